/* sproj.h — one series projected for one year (internal to project/).
 *
 * An sproj holds the series' frame, what is known of the year (k, ytd growth,
 * share, last year's total) and, unless the year is over or nothing can be
 * said, np sample paths of the full-year growth G and total (or year-end
 * level) L.  It owns its frame and paths; free with sproj_free.  projection.c
 * turns one or two of them into a target's metric.
 */
#ifndef OT_PROJECT_SPROJ_H
#define OT_PROJECT_SPROJ_H

#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "project/frame.h"
#include "project/projection.h"
#include "project/shape.h"

enum { SP_NONE = 0, SP_OUTCOME, SP_PATHS };

typedef struct sproj {
    frame fr;
    int Y, P, k, state, stock;
    int nonneg;        /* a flow none of whose levels is below 0 (set with the paths) */
    double g;          /* ytd growth % at k */
    double s;          /* last year's share of 1..k (own, else borrowed mean) */
    double ytd_k;      /* ytd level at k (flows), latest level (stocks) */
    double base;       /* last year's total (flows) or December level (stocks) */
    double outG, outL; /* outcome, when state == SP_OUTCOME (outL also when total_known) */
    int total_known;   /* the year's total is published, its growth is not */
    size_t np;
    double *G;         /* np growth paths, % */
    double *L;         /* np total / year-end level paths; NULL without levels */
    shape own;         /* the series' own shape at k (for correlations) */
    ot_alloc alloc;    /* G, L and the frames */
    void *ud;          /* the source's, for o->source_at and o->revised */
    int rate_only;     /* the ytd growth was filled from the period yoy ... */
    int has_cum;       /* ... weighted by cum (else equally) */
    double cum[SHAPE_MAXP + 1];
    char latest[OT_PERIOD_STRMAX];
    ot_proj_fact method;
} sproj;

/* Projects key for year Y into sp (initialised by the call): SP_NONE with a
 * note when nothing can be said, SP_OUTCOME when the year is over, else
 * o->paths paths.  shape_key (else the series' metadata, else
 * shape_fallback) names the shape reference.  Notes are appended to notes
 * (facts, project/facts.h).  Fails with the source's error, OT_ENOMEM, or a
 * model's error other than OT_EDATA (which falls back on the ytd); sp must
 * be freed with sproj_free either way. */
int sproj_project(sproj *sp, const char *key, const char *shape_key, const char *shape_fallback,
                  int Y, const ot_proj_opts *o, const char *method, ot_source_fn src, void *ud,
                  int32_t cut, gsl_rng *rng, ot_proj_facts *notes, ot_err *err);
/* The trailing run of positive period values of f ending at (y, j), a
 * covered January split evenly with February: its length (at most cap);
 * with x not NULL the values, oldest first, and the ordinal of x[0] in
 * *start. */
size_t sproj_value_run(const frame *f, int y, int j, double *x, size_t cap, ot_ord *start);
/* Frees sp's paths and frame (not sp); accepts a zeroed sproj. */
void sproj_free(sproj *sp);


#endif
