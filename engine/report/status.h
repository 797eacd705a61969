/* status.h — projections as people read them: the status table and JSON.
 *
 * Renders arrays of (target, projection) pairs; owns nothing it is given.
 * The table keeps Chinese labels aligned (report/table.h); JSON goes through
 * jansson with a fixed, documented schema (docs/formats.md, "projection
 * JSON").  No I/O besides the FILE * handed in.
 */
#ifndef OT_REPORT_STATUS_H
#define OT_REPORT_STATUS_H

#include <stdio.h>

#include "core/err.h"
#include "core/target.h"
#include "project/projection.h"

/* "met", "on track", "at risk", "off track", "missed", "no data", "unquantified". */
const char *ot_status_label(ot_proj_status s);

/* Formats the target's metric x for display: growth kinds as "8.1%",
 * relative/in_step as "+3.2 pts", levels as the number. */
char *ot_fmt_metric(const ot_target *t, double x, char *buf, size_t cap);

/* Describes the test in words: "growth >= 7.5%", "total > 500". */
char *ot_fmt_test(const ot_target *t, char *buf, size_t cap);

/* Prints the status table: one row per target with label, series, test,
 * data through, ytd growth, point, 80% range, probability, required pace,
 * carry-forward, status, and the outcome column when any projection has one.
 * Notes follow the table, numbered.  Returns OT_OK or OT_ENOMEM/OT_EIO. */
int ot_report_status(const ot_target *t, const ot_projection *p, size_t n, FILE *f, ot_err *err);

/* Writes {"as_of": ..., "projections": [...]} as JSON (schema in
 * docs/formats.md).  as_of may be NULL. */
int ot_report_json(const ot_target *t, const ot_projection *p, size_t n, const char *as_of,
                   FILE *f, ot_err *err);

#endif
