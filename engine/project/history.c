/* history.c — the target's metric through past periods, for charts. */
#include "project/projection.h"

#include <math.h>
#include <string.h>

#include "project/frame.h"

/* The history of the target's metric at (y, j) from the frames of the
 * series (a) and, for relative and in_step, of the reference (b).  See
 * ot_project_history (projection.h) for the scale of each kind. */
static double metric_at(const ot_target *t, const frame *a, const frame *b, int y, int j)
{
    switch (t->kind) {
    case OT_TARGET_GROWTH:
        return frame_get(a, a->gy, y, j);
    case OT_TARGET_RELATIVE:
    case OT_TARGET_IN_STEP:
        return frame_get(a, a->gy, y, j) - frame_get(b, b->gy, y, j);
    case OT_TARGET_LEVEL:
    case OT_TARGET_COUNT:
        return a->kind == OT_KIND_FLOW ? frame_get(a, a->ytd, y, j) : frame_get(a, a->val, y, j);
    case OT_TARGET_DAILY_AVG:
        return frame_get(a, a->ytd, y, j) / ot_days_in_year(y);
    default:
        return NAN;
    }
}

/* How: the series is read through frame_load (frame.h), which
 * derives every table from whatever the bureau publishes, so the history
 * uses the same numbers the projection did. */
int ot_project_history(const ot_target *t, ot_source_fn src, void *ud, int years,
                      const ot_alloc *a, ot_series **out, ot_err *err)
{
    if (!t->series || t->kind == OT_TARGET_UNQUANTIFIED || t->kind == OT_TARGET_DECLINE ||
        years < 0) {
        *out = NULL;
        return OT_OK;
    }
    int relative = t->kind == OT_TARGET_RELATIVE || t->kind == OT_TARGET_IN_STEP;
    if (relative && !t->ref) {
        *out = NULL;
        return OT_OK;
    }
    frame fa, fb;
    memset(&fb, 0, sizeof fb);
    ot_series *s = NULL;
    int rc = frame_load(&fa, t->series, src, ud, INT32_MAX, a, err);
    if (rc != OT_OK)
        return rc;
    if (relative && (rc = frame_load(&fb, t->ref, src, ud, INT32_MAX, a, err)) != OT_OK)
        goto done;
    if (fa.ny == 0 || (relative && (fb.ny == 0 || fb.P != fa.P))) {
        *out = NULL;
        goto done;
    }
    int y0 = t->year - years;
    size_t n = (size_t)(years + 1) * (size_t)fa.P;
    if (!(s = ot_series_new(a, fa.freq, ot_period_make(fa.freq, y0, 1), n, err))) {
        rc = err ? err->code : OT_ENOMEM;
        goto done;
    }
    for (int y = y0; y <= t->year; y++)
        for (int j = 1; j <= fa.P; j++)
            s->v[(size_t)(y - y0) * fa.P + (j - 1)] = metric_at(t, &fa, &fb, y, j);
    s->kind = fa.kind;
    if ((rc = ot_series_set_meta(s, t->series, NULL, NULL, err)) != OT_OK) {
        ot_series_free(s);
        goto done;
    }
    *out = s;
done:
    frame_free(&fb);
    frame_free(&fa);
    return rc;
}
