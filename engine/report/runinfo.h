/* runinfo.h — a stored run's record as people read it (`ontrack job show`):
 * the lines naming the run, what it holds when it stored no projections, and
 * the heading of how its projections moved — in Chinese or English, as the
 * status table beside them.
 *
 * Renders what it is given; owns nothing.  No I/O besides the FILE * handed in.
 */
#ifndef OT_REPORT_RUNINFO_H
#define OT_REPORT_RUNINFO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/err.h"
#include "report/report.h"

/* A run's record: status is "ok", "failed", "running" or "interrupted";
 * the texts may be NULL (shown as "-"). */
typedef struct ot_report_run_info {
    int64_t id;
    const char *job, *status, *as_of, *started, *finished;
    const char *engine, *scripts_hash, *data_hash;
    const char *error; /* why a failed run failed; may be NULL */
} ot_report_run_info;

/* Prints the run's two record lines (a third with why it failed, when
 * known) and a blank line in lang.  OT_OK or OT_EIO. */
/* A run's status in lang: the store's word ("ok", "failed", "running",
 * "interrupted") in English, the page's (成功, 失败, 运行中, 已中断) in Chinese;
 * "-" when none. */
const char *ot_report_run_status(const char *s, ot_report_lang lang);
int ot_report_run_head(const ot_report_run_info *r, ot_report_lang lang, FILE *f, ot_err *err);
/* Prints why the run shows no projections (by its status) in lang.  OT_OK or
 * OT_EIO. */
int ot_report_run_none(const ot_report_run_info *r, ot_report_lang lang, FILE *f, ot_err *err);
/* Prints the heading of the movement table over the last m ok runs of job
 * in lang.  OT_OK or OT_EIO. */
int ot_report_moves_heading(size_t m, const char *job, ot_report_lang lang, FILE *f, ot_err *err);

#endif
