/* backtest.h — a backtest as people read it: terminal tables and JSON.
 *
 * Renders the figures of ot_backtest_run (project/backtest.h) beside the
 * options that made them; owns nothing it is given.  Every view starts with
 * the count of series where the model does worse than the spreadsheet and a
 * table with one row per series, so an aggregate never hides one.  JSON goes
 * through jansson with the schema of docs/backtest.md.  No I/O besides the
 * FILE * handed in.
 */
#ifndef OT_REPORT_BACKTEST_H
#define OT_REPORT_BACKTEST_H

#include <stdio.h>

#include "core/err.h"
#include "project/backtest.h"

/* What to print after the per-series summary: the figures of all series by
 * as-of month (MAE of every case, Brier score, reliability), or one table
 * per series by as-of month. */
typedef enum ot_report_bt_by { OT_REPORT_BT_MONTH = 0, OT_REPORT_BT_SERIES } ot_report_bt_by;

/* Prints the backtest of s[0..n) (rows[0..n) from the same run, o its
 * options) as text tables at most ~115 columns wide.  Returns OT_OK, or
 * OT_ENOMEM / OT_EIO with err set. */
int ot_report_backtest(const ot_backtest *b, const ot_backtest_row *rows,
                       const ot_backtest_series *s, size_t n, const ot_backtest_opts *o,
                       ot_report_bt_by by, FILE *f, ot_err *err);

/* Every case of a run, for the JSON's audit trail (opaque). */
typedef struct ot_report_bt_cases ot_report_bt_cases;
/* Returns new; free with ot_report_bt_cases_free (accepts NULL).  NULL when
 * out of memory. */
ot_report_bt_cases *ot_report_bt_cases_new(void);
void ot_report_bt_cases_free(ot_report_bt_cases *c);
/* An ot_backtest_case_fn (ud: an ot_report_bt_cases): appends the case.
 * Running out of memory is remembered, and reported by
 * ot_report_backtest_json. */
void ot_report_bt_case_add(void *ud, const char *key, int year, int month,
                           const ot_backtest_case *k, int compared, const ot_proj_fact *method);

/* Writes the same as one JSON object (docs/backtest.md, "JSON"), with the
 * cases collected in cases when it is not NULL.  Returns OT_OK, or
 * OT_ENOMEM / OT_EIO with err set. */
int ot_report_backtest_json(const ot_backtest *b, const ot_backtest_row *rows,
                            const ot_backtest_series *s, size_t n, const ot_backtest_opts *o,
                            const ot_report_bt_cases *cases, FILE *f, ot_err *err);

#endif
