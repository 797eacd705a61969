/* compare.h — the scenario comparisons of a run: saved when a job's script
 * calls ot.compare, loaded back for the run's reports.
 *
 * A comparison (report/report.h's ot_report_compare) is stored as one JSON
 * text: the scenario names, per target its kind, test and label, and per
 * target and scenario every field of the projection (run/fields.h).  The
 * loaded form owns its memory.
 */
#ifndef OT_RUN_COMPARE_H
#define OT_RUN_COMPARE_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "report/report.h"
#include "store/store.h"

/* The environment variable through which a job tells its scripts' ot.compare
 * which run it is making (docs/scheduling.md). */
#define OT_RUN_ENV "ONTRACK_RUN"

/* Stores comparison c as part of run run_id.  OT_ENOMEM, store errors. */
int ot_run_compare_save(ot_store *st, int64_t run_id, const ot_report_compare *c, ot_err *err);

/* The comparisons of a run, loaded. */
typedef struct ot_run_compares {
    ot_report_compare *c; /* n comparisons, pointing into what follows */
    size_t n;
    struct run_cmp *own;  /* the memory of each */
} ot_run_compares;

/* Loads the comparisons of run_id into *out (new; free with
 * ot_run_compares_free).  OT_EDATA for text that cannot be read. */
int ot_run_compares_load(ot_store *st, int64_t run_id, ot_run_compares *out, ot_err *err);
void ot_run_compares_free(ot_run_compares *c);

#endif
