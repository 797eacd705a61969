/* words.h — what the renderers of report/ share (internal): the words of
 * the reports in Chinese and English, formatting of tests and metrics in
 * those words, and the document check.  Static tables; nothing allocated.
 */
#ifndef OT_REPORT_WORDS_H
#define OT_REPORT_WORDS_H

#include <stddef.h>

#include "core/target.h"
#include "project/projection.h"
#include "report/report.h"

typedef struct report_words {
    const char *lang_tag; /* the html lang attribute */
    const char *title, *as_of, *latest, *method, *source, *vintage;
    const char *target, *series, *test, *through, *ytd, *point, *range80, *range95, *prob,
        *required, *carry, *status, *outcome, *notes, *summary;
    const char *history, *projection, *band80, *band95, *target_line, *required_path;
    const char *no_chart, *generated;
    const char *scenarios; /* the heading of the scenario comparisons */
    /* said in place of a chart: "no data published yet for " 2023 "" /
     * "" 2023 "年数据尚未发布，无图表" (no_data when the year is unknown), and
     * for a target without a number */
    const char *no_data_pre, *no_data_post, *no_data, *unquantified;
    const char *needs; /* the chart's short label of the required pace */
    const char *months[12], *quarters[4];
} report_words;

/* The words of lang (Chinese for anything unknown). */
const report_words *report_words_of(ot_report_lang lang);

/* The status in words ("有望达成" / "on track"). */
const char *report_status(const report_words *w, ot_proj_status s);

/* The target's test in words of lang: "增速 ≥ 7.5%", "growth >= 7.5%". */
char *report_fmt_test(const ot_target *t, ot_report_lang lang, char *buf, size_t cap);

/* The same naming the reference series ref_name (its name where known;
 * NULL = the target's ref key): "增速高于浙江省出口总额增速".  From the
 * kind's templates in core/target.h. */
char *report_fmt_test_ref(const ot_target *t, ot_report_lang lang, const char *ref_name, char *buf,
                          size_t cap);

/* The test of item it in words of lang, its ref named as the document
 * knows it (the English name, else the key, in English). */
char *report_fmt_item_test(const ot_report_item *it, ot_report_lang lang, char *buf, size_t cap);

/* The metric x as shown: "8.1%" (growth), "+3.2 个百分点" / "+3.2 pts"
 * (relative, in_step), the number otherwise; "" for NaN. */
char *report_fmt_metric(const ot_target *t, double x, ot_report_lang lang, char *buf, size_t cap);

/* Why an item has no chart, in words of w, into buf: for status no_data
 * "no data published yet for 2023" (the target's year; without it when the
 * year is unknown), for unquantified "target not quantified".  Returns NULL
 * (buf untouched) for any other status, which has a chart. */
char *report_fmt_no_chart(const report_words *w, const ot_target *t, ot_proj_status s, char *buf,
                          size_t cap);

/* Checks that doc has its items and every item its target and projection
 * (the renderers dereference both): OT_OK, or OT_EINVAL "report: item 2 has
 * no projection".  Defined in doc.c. */
int report_check_doc(const ot_report_doc *doc, ot_err *err);

/* The colour class of a status: "ok", "risk", "bad", "none". */
const char *report_status_class(ot_proj_status s);

#endif
