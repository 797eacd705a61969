/* proj_source.h — an in-memory ot_source_fn for the projection tests.
 *
 * A fixture is a table of (key, measure, kind, period of the first value,
 * values); the source returns a new series built with ot_series_from, with
 * a NaN value flagged covered when the entry says so (Jan–Feb releases).
 */
#ifndef OT_TEST_PROJ_SOURCE_H
#define OT_TEST_PROJ_SOURCE_H

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/period.h"
#include "core/series.h"
#include "project/projection.h"

typedef struct fx_entry {
    const char *key, *measure;
    ot_kind kind;
    const char *start; /* "2022-01", "2022Q1", "2022" */
    const double *v;
    size_t n;
    int covered_jan;   /* NaN Januaries are covered by February */
    const char *shape; /* the series' shape metadata, or NULL */
} fx_entry;

typedef struct fx_source {
    const fx_entry *e;
    size_t n;
    int calls;
    int fail; /* non-zero: fail every call with this code */
} fx_source;

static int fx_get(void *ud, const char *key, const char *measure, ot_series **out, ot_err *err)
{
    fx_source *fx = ud;
    __atomic_add_fetch(&fx->calls, 1, __ATOMIC_RELAXED);
    if (fx->fail)
        return ot_err_set(err, fx->fail, "store: disk on fire reading %s", key);
    for (size_t i = 0; i < fx->n; i++) {
        const fx_entry *e = &fx->e[i];
        if (strcmp(e->key, key) || strcmp(e->measure, measure))
            continue;
        ot_period p;
        if (ot_period_parse(e->start, (size_t)-1, &p, err))
            return OT_EINVAL;
        ot_series *s = ot_series_from(NULL, p.freq, p.ord, e->v, e->n, err);
        if (!s)
            return OT_ENOMEM;
        s->kind = e->kind;
        if (e->covered_jan) {
            if (ot_series_ensure_flags(s, err)) {
                ot_series_free(s);
                return OT_ENOMEM;
            }
            for (size_t j = 0; j < s->n; j++)
                if (isnan(s->v[j]) && ot_period_sub(s->freq, s->start + (ot_ord)j) == 1)
                    s->flags[j] |= OT_OBS_COVERED;
        }
        *out = s;
        return OT_OK;
    }
    return OT_ENOTFOUND;
}

__attribute__((unused)) static int fx_shape(void *ud, const char *key, char *buf, size_t cap)
{
    fx_source *fx = ud;
    for (size_t i = 0; i < fx->n; i++)
        if (strcmp(fx->e[i].key, key) == 0 && fx->e[i].shape) {
            snprintf(buf, cap, "%s", fx->e[i].shape);
            return 1;
        }
    return 0;
}

/* cmocka's float comparison works in float; projections need doubles. */
#define assert_near(a, b, eps) assert_near_at((a), (b), (eps), #a, __LINE__)
static inline void assert_near_at(double a, double b, double eps, const char *what, int line)
{
    if (!(fabs(a - b) <= eps))
        fail_msg("line %d: %s = %.12g, expected %.12g (eps %g)", line, what, a, b, eps);
}

/* A target built in place (strings borrowed, never freed by the test). */
__attribute__((unused)) static ot_target fx_target(const char *series, int year,
                                                  ot_target_kind kind, ot_target_op op,
                                                  double value)
{
    ot_target t;
    ot_target_init(&t);
    t.series = (char *)series;
    t.year = year;
    t.kind = kind;
    t.op = op;
    t.value = value;
    return t;
}

#endif
