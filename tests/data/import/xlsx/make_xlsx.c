/* make_xlsx.c — writes the .xlsx fixtures of the import tests with
 * libxlsxwriter (real spreadsheet-writing software, not hand-made bytes):
 *
 *   make_xlsx DIR
 *
 * DIR/bureau.xlsx   a county's table as a bureau publishes it: a merged title,
 *                   a two-row header with merged cells (时间 over two rows, an
 *                   indicator over 累计值/累计增长), 1-2月 rows, a number stored
 *                   as text, a note under the table; a second sheet "按日期"
 *                   whose period column holds date cells (2024/7/1, 2024/8/1).
 * DIR/bad.xlsx      a long table whose C7 holds '96.O2' (a letter O).
 * DIR/long.xlsx     a long table (series, period, value), numbers as numbers.
 * DIR/pct.xlsx      growth rates in cells formatted as percentages, as Excel
 *                   users keep them: 0.052 shown as 5.2% (built-in 0.0% is
 *                   not, so a custom "0.0%" and the built-in "0.00%", id 10),
 *                   beside a plain number column.
 *
 * tests/cli/t_import_xlsx.sh runs it into its temporary folder; the .xls
 * fixture (bureau.xls) was converted from bureau.xlsx by make_xls.sh.
 */
#include <stdio.h>
#include <xlsxwriter.h>

static int bureau(const char *dir)
{
    char path[512];
    snprintf(path, sizeof path, "%s/bureau.xlsx", dir);
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "主要指标");
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    worksheet_merge_range(ws, 0, 0, 0, 4, "某县2024年主要经济指标", bold);
    worksheet_merge_range(ws, 2, 0, 3, 0, "时间", bold);
    worksheet_merge_range(ws, 2, 1, 2, 2, "规上工业增加值", bold);
    worksheet_merge_range(ws, 2, 3, 2, 4, "社会消费品零售总额", bold);
    worksheet_write_string(ws, 3, 1, "累计值(亿元)", bold);
    worksheet_write_string(ws, 3, 2, "累计增长(%)", bold);
    worksheet_write_string(ws, 3, 3, "本月(亿元)", bold);
    worksheet_write_string(ws, 3, 4, "同比增长(%)", bold);
    const char *per[] = {"2024年1-2月", "2024年1-3月", "2024年1-4月"};
    double iva[] = {120.5, 190.3, 255.96}, ivg[] = {6.2, 6.5, 6.4};
    double ret[] = {80.1, 41.2, 40.7}, reg[] = {5.1, 4.8, 5.0};
    for (int i = 0; i < 3; i++) {
        worksheet_write_string(ws, 4 + i, 0, per[i], NULL);
        if (i == 1) /* a number stored as text, as pasted from a web page */
            worksheet_write_string(ws, 4 + i, 1, "190.3", NULL);
        else
            worksheet_write_number(ws, 4 + i, 1, iva[i], NULL);
        worksheet_write_number(ws, 4 + i, 2, ivg[i], NULL);
        worksheet_write_number(ws, 4 + i, 3, ret[i], NULL);
        worksheet_write_number(ws, 4 + i, 4, reg[i], NULL);
    }
    worksheet_write_string(ws, 8, 0, "注：规上工业增加值增速按可比价格计算。", NULL);

    lxw_worksheet *ds = workbook_add_worksheet(wb, "按日期");
    lxw_format *date = workbook_add_format(wb);
    format_set_num_format(date, "yyyy/m/d");
    worksheet_write_string(ds, 0, 0, "日期", NULL);
    worksheet_write_string(ds, 0, 1, "出口总额本月(亿元)", NULL);
    lxw_datetime d1 = {2024, 7, 1, 0, 0, 0}, d2 = {2024, 8, 1, 0, 0, 0};
    worksheet_write_datetime(ds, 1, 0, &d1, date);
    worksheet_write_number(ds, 1, 1, 30.5, NULL);
    worksheet_write_datetime(ds, 2, 0, &d2, date);
    worksheet_write_number(ds, 2, 1, 31.25, NULL);
    return workbook_close(wb) != LXW_NO_ERROR;
}

static int bad(const char *dir)
{
    char path[512];
    snprintf(path, sizeof path, "%s/bad.xlsx", dir);
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Sheet1");
    worksheet_write_string(ws, 0, 0, "series", NULL);
    worksheet_write_string(ws, 0, 1, "period", NULL);
    worksheet_write_string(ws, 0, 2, "value", NULL);
    for (int i = 1; i <= 6; i++) {
        char p[16];
        snprintf(p, sizeof p, "2024-%02d", i);
        worksheet_write_string(ws, (lxw_row_t)i, 0, "bad.x", NULL);
        worksheet_write_string(ws, (lxw_row_t)i, 1, p, NULL);
        if (i == 6)
            worksheet_write_string(ws, (lxw_row_t)i, 2, "96.O2", NULL);
        else
            worksheet_write_number(ws, (lxw_row_t)i, 2, 90 + i, NULL);
    }
    return workbook_close(wb) != LXW_NO_ERROR;
}

static int longt(const char *dir)
{
    char path[512];
    snprintf(path, sizeof path, "%s/long.xlsx", dir);
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "data");
    worksheet_write_string(ws, 0, 0, "series", NULL);
    worksheet_write_string(ws, 0, 1, "period", NULL);
    worksheet_write_string(ws, 0, 2, "value", NULL);
    worksheet_write_string(ws, 0, 3, "measure", NULL);
    const double v[] = {66.96, 70.1, 0.1 + 0.2};
    for (int i = 0; i < 3; i++) {
        char p[16];
        snprintf(p, sizeof p, "2024-%02d", i + 1);
        worksheet_write_string(ws, (lxw_row_t)i + 1, 0, "l.x", NULL);
        worksheet_write_string(ws, (lxw_row_t)i + 1, 1, p, NULL);
        worksheet_write_number(ws, (lxw_row_t)i + 1, 2, v[i], NULL);
        /* measure left empty: a trailing empty cell is not written at all */
    }
    return workbook_close(wb) != LXW_NO_ERROR;
}

static int pct(const char *dir)
{
    char path[512];
    snprintf(path, sizeof path, "%s/pct.xlsx", dir);
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "增速");
    lxw_format *p1 = workbook_add_format(wb), *p2 = workbook_add_format(wb);
    format_set_num_format(p1, "0.0%");
    format_set_num_format_index(p2, 10); /* 0.00% */
    worksheet_write_string(ws, 0, 0, "时间", NULL);
    worksheet_write_string(ws, 0, 1, "进口总额累计值(亿元)", NULL);
    worksheet_write_string(ws, 0, 2, "进口总额累计增长", NULL);
    worksheet_write_string(ws, 0, 3, "进口总额当月同比", NULL);
    const char *per[] = {"2024年1-2月", "2024年1-3月"};
    const double lv[] = {200.1, 310.5}, yg[] = {0.052, -0.0315}, mg[] = {0.1, 0.125};
    for (int i = 0; i < 2; i++) {
        worksheet_write_string(ws, (lxw_row_t)i + 1, 0, per[i], NULL);
        worksheet_write_number(ws, (lxw_row_t)i + 1, 1, lv[i], NULL);
        worksheet_write_number(ws, (lxw_row_t)i + 1, 2, yg[i], p1);
        worksheet_write_number(ws, (lxw_row_t)i + 1, 3, mg[i], p2);
    }
    return workbook_close(wb) != LXW_NO_ERROR;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: make_xlsx DIR\n");
        return 2;
    }
    return bureau(argv[1]) || bad(argv[1]) || longt(argv[1]) || pct(argv[1]);
}
