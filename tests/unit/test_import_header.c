/* test_import_header.c — a statistics table's headings taken apart
 * (indicator, measure word, unit) and matched to series by name, name_en,
 * alias, key or a --map line (io/header.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "io/header.h"

static const struct {
    const char *text, *name;
    int measure, growth;
    const char *unit;
} cases[] = {
    {"规上工业增加值 累计值(亿元)", "规上工业增加值", OT_MEASURE_YTD, 0, "亿元"},
    {"社会消费品零售总额累计增长(%)", "社会消费品零售总额", OT_MEASURE_YTD_YOY, 0, "%"},
    {"社会消费品零售总额累计增长（％）", "社会消费品零售总额", OT_MEASURE_YTD_YOY, 0, "%"},
    {"本月", "", OT_MEASURE_VALUE, 0, ""},
    {"当月同比", "", OT_MEASURE_YOY, 0, ""},
    {"同比增长(%)", "", OT_MEASURE_YOY, 0, "%"},
    {"出口总额比上年同月增长%", "出口总额", OT_MEASURE_YOY, 0, "%"},
    {"绝对值", "", -1, IO_BASE, ""},
    {"增长（%）", "", -1, IO_GROWTH_OF_BASE, "%"},
    {"  固定资产投资、累计 ", "固定资产投资", OT_MEASURE_YTD, 0, ""},
    {"出口总额（亿元）", "出口总额", -1, 0, "亿元"},
    {"GDP (100 million yuan)", "GDP", -1, 0, "100 million yuan"},
    {"", "", -1, 0, ""},
    {"(亿元", "(亿元", -1, 0, ""},
};

static void test_import_header_parse(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        io_heading h;
        io_heading_parse(cases[i].text, &h);
        if (strcmp(h.name, cases[i].name) || h.measure != cases[i].measure ||
            h.growth != cases[i].growth || strcmp(h.unit, cases[i].unit))
            fail_msg("case %zu '%s': got name '%s' measure %d growth %d unit '%s'", i,
                     cases[i].text, h.name, h.measure, h.growth, h.unit);
    }
}

static void test_import_header_measure(void **state)
{
    (void)state;
    io_heading top, sub;
    int ex;
    /* 绝对值 / 增长 under a plain indicator: the default measure and its growth */
    io_heading_parse("社会消费品零售总额(亿元)", &top);
    io_heading_parse("绝对值", &sub);
    assert_int_equal(io_heading_measure(&top, &sub, OT_MEASURE_VALUE, &ex), OT_MEASURE_VALUE);
    assert_int_equal(ex, 0);
    io_heading_parse("增长(%)", &sub);
    assert_int_equal(io_heading_measure(&top, &sub, OT_MEASURE_VALUE, &ex), OT_MEASURE_YOY);
    assert_int_equal(ex, 1);
    assert_int_equal(io_heading_measure(&top, &sub, OT_MEASURE_YTD, &ex), OT_MEASURE_YTD_YOY);
    /* under an indicator that says 累计: ytd and ytd_yoy */
    io_heading_parse("社会消费品零售总额累计", &top);
    io_heading_parse("绝对值", &sub);
    assert_int_equal(io_heading_measure(&top, &sub, OT_MEASURE_VALUE, &ex), OT_MEASURE_YTD);
    assert_int_equal(ex, 1);
    io_heading_parse("增长", &sub);
    assert_int_equal(io_heading_measure(&top, &sub, OT_MEASURE_VALUE, &ex), OT_MEASURE_YTD_YOY);
    /* no word at all: the default, not explicit */
    io_heading_parse("出口总额", &top);
    assert_int_equal(io_heading_measure(&top, NULL, OT_MEASURE_YOY, &ex), OT_MEASURE_YOY);
    assert_int_equal(ex, 0);
}

static void put(ot_store *st, const char *key, const char *name, const char *name_en,
                const char *aliases, const char *unit)
{
    ot_series_meta m;
    ot_series_meta_init(&m);
    m.key = (char *)key;
    m.name = (char *)name;
    m.name_en = (char *)name_en;
    m.aliases = (char *)aliases;
    m.unit = (char *)unit;
    m.freq = OT_FREQ_M;
    ot_err err;
    assert_int_equal(ot_store_put_meta(st, &m, &err), OT_OK);
}

static void test_import_header_names(void **state)
{
    (void)state;
    ot_store *st;
    ot_err err;
    assert_int_equal(ot_store_open(":memory:", OT_STORE_CREATE, &st, &err), OT_OK);
    put(st, "xq.retail", "社会消费品零售总额", "Retail Sales", "社零额|社零 总额", "亿元");
    put(st, "xq.exp", "出口", NULL, NULL, "亿元");
    put(st, "xq.exp2", "出口总值", NULL, "出口", "万元");
    ot_series_meta back;
    assert_int_equal(ot_store_get_meta(st, "xq.retail", &back, &err), OT_OK);
    assert_string_equal(back.aliases, "社零额|社零 总额");
    ot_series_meta_clear(&back);

    char map[256];
    snprintf(map, sizeof map, "%s/header_map_%d.csv", ONTRACK_TEST_TMP, (int)getpid());
    FILE *f = fopen(map, "w");
    assert_non_null(f);
    fputs("header,series,measure\n\"用电量 本月\",xq.power,value\n出口,xq.exp2,\n", f);
    fclose(f);

    io_names *n;
    assert_int_equal(io_names_load(st, map, OT_ENCODING_UTF8, &n, &err), OT_OK);
    io_match m;
    const char *other = NULL;
    /* name, name_en in any case, aliases with blanks ignored, the key */
    assert_int_equal(io_names_find(n, "社会消费品零售总额累计", "社会消费品零售总额", &m, NULL), 1);
    assert_string_equal(m.key, "xq.retail");
    assert_string_equal(m.unit, "亿元");
    assert_int_equal(m.freq, OT_FREQ_M);
    assert_int_equal(io_names_find(n, "retail sales", "retail sales", &m, NULL), 1);
    assert_int_equal(io_names_find(n, "社零总额", "社零总额", &m, NULL), 1);
    assert_int_equal(io_names_find(n, "xq.retail", "xq.retail", &m, NULL), 1);
    assert_int_equal(io_names_find(n, "零售", "零售", &m, NULL), 0);
    /* the map wins: its whole heading, then its indicator */
    assert_int_equal(io_names_find(n, "用电量本月", "用电量", &m, NULL), 1);
    assert_string_equal(m.key, "xq.power");
    assert_int_equal(m.measure, OT_MEASURE_VALUE);
    assert_int_equal(io_names_find(n, "出口累计", "出口", &m, NULL), 1);
    assert_string_equal(m.key, "xq.exp2");
    assert_int_equal(m.measure, -1);
    assert_string_equal(m.unit, "万元"); /* the mapped series' own unit */
    io_names_free(n);

    /* without the map, 出口 names two series */
    assert_int_equal(io_names_load(st, NULL, OT_ENCODING_UTF8, &n, &err), OT_OK);
    assert_int_equal(io_names_find(n, "出口", "出口", &m, &other), 2);
    assert_string_equal(m.key, "xq.exp");
    assert_string_equal(other, "xq.exp2");
    io_names_free(n);

    /* a bad map line: its place */
    f = fopen(map, "w");
    fputs("header,series,measure\na,b,levels\n", f);
    fclose(f);
    assert_int_equal(io_names_load(st, map, OT_ENCODING_UTF8, &n, &err), OT_EDATA);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.col, 3);
    assert_string_equal(err.msg, "expected a measure (value, ytd, yoy or ytd_yoy), found 'levels'");
    f = fopen(map, "w");
    fputs("heading,key\n", f);
    fclose(f);
    assert_int_equal(io_names_load(st, map, OT_ENCODING_UTF8, &n, &err), OT_EDATA);
    assert_string_equal(err.msg, "expected a map header 'header,series[,measure]'");
    /* a map in GBK (Excel on a Chinese Windows): read with the call's
     * encoding, else refused at its line with the hint, never compared as
     * other bytes; "工业用电量" is B9 A4 D2 B5 D3 C3 B5 E7 C1 BF in GBK */
    f = fopen(map, "w");
    fputs("header,series\n\xB9\xA4\xD2\xB5\xD3\xC3\xB5\xE7\xC1\xBF,xq.power\n", f);
    fclose(f);
    assert_int_equal(io_names_load(st, map, OT_ENCODING_UTF8, &n, &err), OT_EDATA);
    assert_int_equal(err.line, 2);
    assert_string_equal(err.msg, "expected UTF-8 text, found byte 0xB9 (if the map is GBK or "
                                 "GB18030, import with --encoding gbk)");
    assert_int_equal(io_names_load(st, map, OT_ENCODING_GBK, &n, &err), OT_OK);
    assert_int_equal(io_names_find(n, "工业用电量", "工业用电量", &m, NULL), 1);
    assert_string_equal(m.key, "xq.power");
    io_names_free(n);
    /* an empty map is no map */
    f = fopen(map, "w");
    fclose(f);
    assert_int_equal(io_names_load(st, map, OT_ENCODING_UTF8, &n, &err), OT_EDATA);
    assert_string_equal(err.msg, "expected a map header 'header,series[,measure]', found an empty file");
    unlink(map);
    assert_int_equal(io_names_load(st, map, OT_ENCODING_UTF8, &n, &err), OT_ENOTFOUND);
    ot_store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_import_header_parse),
        cmocka_unit_test(test_import_header_measure),
        cmocka_unit_test(test_import_header_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
