/* status.h — projections as people read them in a terminal or a .txt
 * file: the status table, the scenario comparison table, and the short
 * English forms of metrics and tests they use.
 *
 * Renders arrays of (target, projection) pairs; owns nothing it is given.
 * The tables keep Chinese labels aligned (report/table.h).  No I/O besides
 * the FILE * handed in.
 */
#ifndef OT_REPORT_STATUS_H
#define OT_REPORT_STATUS_H

#include <stdint.h>
#include <stdio.h>

#include "core/err.h"
#include "core/target.h"
#include "project/projection.h"
#include "report/report.h"

/* Formats the target's metric x for display: growth kinds as "8.1%",
 * relative/in_step as "+3.2 pts", levels as the number. */
char *ot_fmt_metric(const ot_target *t, double x, char *buf, size_t cap);

/* Describes the test in words: "growth >= 7.5%", "total > 500". */
char *ot_fmt_test(const ot_target *t, char *buf, size_t cap);

/* The status table of a document (the plain-text format, .txt, and what
 * the terminal shows): one row per item with the target's label (else the
 * indicator's name), its test naming the reference (in the document's
 * language, its key where no name is known; the label names the indicator), data
 * through, ytd growth, point, 80% range, probability, required pace,
 * carry-forward, status, and the outcome column when any projection has
 * one; the notes follow, numbered, from the facts renderer; then the
 * scenario comparisons.  Chinese headers, periods and words when doc->lang
 * is OT_LANG_ZH; the short English headers otherwise.  OT_OK, OT_EINVAL
 * (bad document), OT_ENOMEM or OT_EIO. */
int ot_report_text(const ot_report_doc *doc, FILE *f, ot_err *err);

/* One run of a movement table: its number, its as-of and what it projected
 * (ids: the targets' store ids, 0 for one not stored, matched by label). */
typedef struct ot_report_run {
    long long id;
    const char *as_of;
    const ot_target *t;
    const int64_t *ids;
    const ot_projection *p;
    size_t n;
} ot_report_run;

/* Prints how each of the n targets t (ids as above) moved over runs[0..m),
 * given oldest as-of first: per target one row per run with run, as-of,
 * point, 80% range, probability and status; targets never projected in any
 * of them are left out; in lang (the status table's words and figures).
 * OT_OK, OT_ENOMEM or OT_EIO. */
int ot_report_moves_text(const ot_target *t, const int64_t *ids, size_t n,
                         const ot_report_run *runs, size_t m, ot_report_lang lang, FILE *f,
                         ot_err *err);

/* Prints a scenario comparison in lang: one row per target with the point
 * and probability under each scenario.  OT_OK, OT_ENOMEM or OT_EIO. */
int ot_report_compare_text(const ot_report_compare *c, ot_report_lang lang, FILE *f, ot_err *err);

#endif
