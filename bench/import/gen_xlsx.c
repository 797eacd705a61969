/* gen_xlsx.c — writes the CSV on stdin (gen_long.awk's series,period,measure,
 * value) as an .xlsx workbook with libxlsxwriter: the text cells as shared
 * strings, the values as numbers, as Excel would save the same table.
 *
 *   awk -v n=1000000 -f gen_long.awk | ot_bench_gen_xlsx long.xlsx
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s OUT.xlsx < long.csv\n", argv[0]);
        return 2;
    }
    lxw_workbook_options opt = {.constant_memory = LXW_FALSE, .tmpdir = NULL,
                                .use_zip64 = LXW_TRUE};
    lxw_workbook *wb = workbook_new_opt(argv[1], &opt);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "data");
    char line[256];
    lxw_row_t r = 0;
    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\r\n")] = '\0';
        char *f[4];
        int n = 0;
        for (char *p = line; n < 4; n++) {
            f[n] = p;
            char *c = strchr(p, ',');
            if (!c) {
                n++;
                break;
            }
            *c = '\0';
            p = c + 1;
        }
        for (int k = 0; k < n; k++) {
            if (r > 0 && k == 3)
                worksheet_write_number(ws, r, (lxw_col_t)k, strtod(f[k], NULL), NULL);
            else
                worksheet_write_string(ws, r, (lxw_col_t)k, f[k], NULL);
        }
        r++;
    }
    return workbook_close(wb) != LXW_NO_ERROR;
}
