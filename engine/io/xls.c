/* xls.c — .xls workbooks (Excel 97-2003, BIFF) read as records with
 * libfreexl.  FreeXL reads the whole sheet on open (an .xls sheet holds at
 * most 65,536 rows), then each cell is asked for by row and column and the
 * row handed to io_record as one record, as xlsx.c does: numbers as their
 * shortest exact text, dates as YYYY-MM-DD, text as UTF-8, positions
 * sheet:cell.
 */
#include "io/import_int.h"

#include <freexl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"

int io_xls_read(ctx *c, ot_err *err)
{
    (void)err;
    const void *h = NULL;
    c->rec_line = 0;
    if (freexl_open(c->path, &h) != FREEXL_OK) {
        if (h)
            freexl_close(h);
        io_bad(c, 0, "expected an Excel .xls workbook, found something FreeXL cannot read");
        c->stop = 1;
        return OT_OK;
    }
    unsigned int nsheets = 0;
    freexl_get_info(h, FREEXL_BIFF_SHEET_COUNT, &nsheets);
    int pick = -1;
    char names[512] = "";
    const char *name = NULL;
    for (unsigned int i = 0; i < nsheets && i < 65536; i++) {
        const char *n = NULL;
        if (freexl_get_worksheet_name(h, (unsigned short)i, &n) != FREEXL_OK || !n)
            continue;
        size_t l = strlen(names);
        snprintf(names + l, sizeof names - l, "%s'%s'", l ? ", " : "", n);
        if (pick < 0 && (!c->o->sheet || strcmp(n, c->o->sheet) == 0)) {
            pick = (int)i;
            name = n;
        }
    }
    if (pick < 0) {
        if (c->o->sheet)
            io_bad(c, 0, "no sheet '%s' (the workbook has %s)", c->o->sheet,
                   names[0] ? names : "none");
        else
            io_bad(c, 0, "expected a sheet, found none");
        c->stop = 1;
        freexl_close(h);
        return OT_OK;
    }
    if (!(c->sheet_owned = strdup(name))) {
        freexl_close(h);
        return ot_err_set(err, OT_ENOMEM, "out of memory");
    }
    c->sheet = c->sheet_owned;
    unsigned int rows = 0;
    unsigned short cols = 0;
    if (freexl_select_active_worksheet(h, (unsigned short)pick) != FREEXL_OK ||
        freexl_worksheet_dimensions(h, &rows, &cols) != FREEXL_OK) {
        io_bad(c, 0, "cannot read the sheet '%s'", name);
        c->stop = 1;
        freexl_close(h);
        return OT_OK;
    }
    const ot_import_report *rp = c->o->report;
    size_t width = 0;
    for (unsigned int r = 0; r < rows && !c->stop && !c->fatal; r++) {
        if (rp && rp->progress && (r & 1023) == 0)
            rp->progress(rp->ud, c->path, (long long)r, (long long)rows);
        c->line = c->rec_line = (long)r + 1;
        size_t last = 0; /* fields up to the last non-empty cell */
        for (unsigned short k = 0; k < cols && !c->stop; k++) {
            FreeXL_CellValue v;
            char num[OT_FMT_DOUBLE_MAX];
            const char *s = "";
            if (freexl_get_cell_value(h, r, k, &v) == FREEXL_OK) {
                switch (v.type) {
                case FREEXL_CELL_INT:
                    snprintf(num, sizeof num, "%d", v.value.int_value);
                    s = num;
                    break;
                case FREEXL_CELL_DOUBLE:
                    s = ot_fmt_double(v.value.double_value, num, sizeof num);
                    break;
                case FREEXL_CELL_TEXT:
                case FREEXL_CELL_SST_TEXT:
                case FREEXL_CELL_DATE:
                case FREEXL_CELL_DATETIME:
                case FREEXL_CELL_TIME:
                    s = v.value.text_value ? v.value.text_value : "";
                    break;
                default:
                    break;
                }
            }
            /* empty cells after the last filled one are left out, as xlsx.c does */
            io_add_field(c, s, strlen(s));
            if (*s)
                last = c->nf;
        }
        if (last == 0) { /* an empty row: as a blank line in CSV */
            c->nf = c->blen = 0;
            continue;
        }
        if (last > width)
            width = last;
        c->nf = width; /* padded to the widest row so far (the header), as xlsx.c */
        io_record(c);
    }
    freexl_close(h);
    return OT_OK;
}
