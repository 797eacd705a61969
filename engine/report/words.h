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
    const char *before_data; /* a format: the target's year, the series' first year */
    const char *no_series;   /* no stored series has the target's key */
    const char *ref_no_data; /* the ref of a relative or in_step target has no data */
    const char *needs; /* the chart's short label of the required pace */
    const char *months[12], *quarters[4];
    const char *compiled;   /* 编制日期 */
    const char *provenance; /* the footer's heading */
    const char *keys;       /* the footer's list of series keys */
    const char *title_year; /* "%s%d年目标进度" / "%sProgress towards the %d targets" */
    const char *baseline;   /* the comparison's first column: 基准 / baseline */
} report_words;

/* The title of doc: the one given, else "义乌市2023年目标进度" (the
 * region's and the targets' year, when they share one), else the words'
 * title.  Returns it (buf or a static string). */
const char *report_doc_title(const ot_report_doc *doc, char *buf, size_t cap);
/* The data's latest period: doc->data_through, else the newest of the
 * items'; NULL when none has data. */
const char *report_doc_through(const ot_report_doc *doc);

/* What the footer's 数据版本 / Data vintage says, in doc's language: the
 * date the data were read as known on, the period they were cut after (when
 * the run read through one), and the newest release date among them —
 * what a reader needs to read the same data again: "2023-10-31已知的数据
 * （截至2023年9月），最新发布于2023-10-20" / "as known on 2023-10-31
 * (through Sep 2023); newest release read 2023-10-20".  NULL when the
 * document says none of them. */
const char *report_fmt_data_version(const ot_report_doc *doc, char *buf, size_t cap);

/* A period as a reader writes it: "2023年9月", "2023年三季度" / "Sep 2023",
 * "2023 Q3"; text as it is when it is no period.  Returns buf. */
char *report_fmt_period(const char *text, ot_report_lang lang, char *buf, size_t cap);
/* A date "2023-10-31" as a reader of lang writes it: "2023年10月31日" in
 * Chinese, as it is in English (and any text that is not such a date).
 * Returns buf. */
char *report_fmt_date(const char *iso, ot_report_lang lang, char *buf, size_t cap);

/* A scenario's name in a comparison: "baseline" in the words of w. */
const char *report_scenario_name(const report_words *w, const char *name);

/* A projection whose data end more than this many days before the newest
 * data of its report is named as one from older data. */
#define OT_REPORT_STALE_DAYS 92

/* The summary paragraph of doc in its language: how many targets are met,
 * on track, at risk, off track, missed, without data; the ones at risk or
 * off track named with their probability; those projected from data more
 * than OT_REPORT_STALE_DAYS older than the report's newest named with their
 * latest period.  Returns buf, cut at a whole character when cap is short. */
char *report_fmt_overview(const ot_report_doc *doc, char *buf, size_t cap);
/* The same in a new string long enough for every target named (caller
 * frees with free()); NULL when out of memory. */
char *report_overview_new(const ot_report_doc *doc);

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

/* The same naming the series too (name; NULL = not named):
 * "义乌市出口总额增速高于浙江省出口总额增速"; in the words of the series'
 * kind (a level target on a stock or rate: "year-end level >= 4,000,000",
 * on a flow "total >= 500"), a level with the target's unit (the document
 * gives a target stated without one its series' unit): "总量 ≥ 500亿元",
 * "total >= 500 (100m yuan)". */
/* buf (a level, or a range of levels, of t's metric) followed by t's unit as
 * a test says it ("9.52亿元", "450.0 – 520.0亿元", "9.52 (100m yuan)");
 * unchanged for other metrics, an empty buf or no unit.  Returns buf. */
char *report_with_unit(const ot_target *t, ot_report_lang lang, char *buf, size_t cap);

char *report_fmt_test_named(const ot_target *t, ot_report_lang lang, ot_kind kind,
                            const char *name, const char *ref_name, char *buf, size_t cap);

/* The test of item it in words of lang, its ref named as the document
 * knows it (the English name, else the key, in English). */
char *report_fmt_item_test(const ot_report_item *it, ot_report_lang lang, char *buf, size_t cap);

/* The metric x as shown: "8.1%" (growth), "+3.2个百分点" / "+3.2 pts"
 * (relative, in_step), the number otherwise; "" for NaN. */
char *report_fmt_metric(const ot_target *t, double x, ot_report_lang lang, char *buf, size_t cap);
/* The range of the metric, lo then hi joined by sep (" – ", " .. "): "7.2% –
 * 8.9%"; points in Chinese carry their unit once, "-6.1 – +23.7个百分点".
 * "" when either end is not finite.  Returns buf. */
char *report_fmt_range(const ot_target *t, double lo, double hi, ot_report_lang lang,
                       const char *sep, char *buf, size_t cap);

/* Why an item has no chart, in words of w, into buf: for status no_data
 * "no data published yet for 2023" (the target's year; without it when the
 * year is unknown; "no data for 2010: the data begin in 2019" when the
 * projection notes a year before the series' data), for unquantified
 * "target not quantified".  Returns NULL
 * (buf untouched) for any other status, which has a chart. */
char *report_fmt_no_chart(const report_words *w, const ot_target *t, const ot_projection *p,
                          char *buf, size_t cap);

/* Checks that doc has its items and every item its target and projection
 * (the renderers dereference both): OT_OK, or OT_EINVAL "report: item 2 has
 * no projection".  Defined in doc.c. */
int report_check_doc(const ot_report_doc *doc, ot_err *err);

/* The notes of item i of doc in the document's language (a note of the
 * target's own series not prefixed by its name), the series named from
 * doc->names (else by key). */
char *report_item_notes(const ot_report_doc *doc, size_t i, char *buf, size_t cap);
char *report_item_method(const ot_report_doc *doc, size_t i, char *buf, size_t cap);
/* Whether item i's notes already say its method (a carry-forward range note
 * for the carry method, the record's choice for the record, the borrowed
 * shape for ytd + shape), so that a footnote need not name it again. */
int report_item_method_said(const ot_report_doc *doc, size_t i);

/* The indicator of item it as a reader knows it: its name in lang (the
 * English name in English), else the document's names, else its key. */
const char *report_item_name(const ot_report_doc *doc, const ot_report_item *it);

/* A probability as every output shows it: whole percent ("80%"), "" for
 * NaN.  The status of a projection is decided on this rounded figure
 * (project/projection.c, ot_proj_status_of_prob), so the two always agree. */
char *report_fmt_prob(double prob, char *buf, size_t cap);

/* The colour class of a status: "ok", "risk", "bad", "none". */
const char *report_status_class(ot_proj_status s);

#endif
