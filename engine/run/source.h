/* source.h — the data a projection reads: series given by the caller,
 * overlaid on a store view.
 *
 * ot.project may be given series built in Lua ({key = series} or
 * {key = {measure = series}}) beside, or instead of, the database.  An
 * ot_run_data answers the projection's callbacks (project/projection.h)
 * from those first, then from the store view: reads, the shape metadata,
 * the record's origins as known then, whether a series was revised, and the
 * record's kept model points.  The caller owns the given series and the view;
 * the source borrows both for the call.  No Lua.
 */
#ifndef OT_RUN_SOURCE_H
#define OT_RUN_SOURCE_H

#include <stddef.h>

#include "core/series.h"
#include "project/projection.h"
#include "store/view.h"

/* A series given by the caller under key and measure (borrowed). */
typedef struct ot_run_given {
    const char *key, *measure;
    const ot_series *s;
} ot_run_given;

typedef struct ot_run_data {
    const ot_run_given *given; /* n given series (borrowed; may be NULL) */
    size_t ngiven;
    ot_store_view *view;       /* NULL when only given series are read */
} ot_run_data;

/* Points every data callback of o (source shape, source_at, revised,
 * record_get, record_put) at src, and returns the ot_source_fn to pass to
 * ot_project_target / ot_project_many with src as their ud. */
ot_source_fn ot_run_data_wire(ot_run_data *src, ot_proj_opts *o);

#endif
