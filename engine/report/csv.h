/* csv.h — the report as CSV (RFC 4180) with the fixed columns of
 * docs/reports.md.  Text cells that a spreadsheet would run as a formula
 * (starting with =, +, -, @, tab or CR) are neutralised by a leading
 * apostrophe, as OWASP's CSV-injection advice says, unless raw output is
 * asked for; numbers are written locale-independently and never altered.
 */
#ifndef OT_REPORT_CSV_H
#define OT_REPORT_CSV_H

#include <stddef.h>
#include <stdio.h>

#include "core/err.h"
#include "report/report.h"

#define OT_REPORT_CSV_COLUMNS 27

/* Writes the CSV report with all OT_REPORT_CSV_COLUMNS columns, cells
 * neutralised (doc->csv_raw = 0) or raw. */
int ot_report_csv(const ot_report_doc *doc, FILE *f, ot_err *err);
/* The same with only the first ncols columns (1..OT_REPORT_CSV_COLUMNS;
 * OT_EINVAL otherwise): the job outputs of docs/scheduling.md take 20. */
int ot_report_csv_columns(const ot_report_doc *doc, size_t ncols, FILE *f, ot_err *err);
/* Writes one text cell: quoted when it holds a comma, quote, CR or LF
 * (quotes doubled); prefixed with ' when raw is 0 and it starts with =, +,
 * -, @, tab or CR.  NULL is an empty cell. */
void ot_csv_cell(FILE *f, const char *s, int raw);

#endif
