/* ets_fit.h — what the ETS method (ets.c) uses of ets_fit.c beyond ets.h:
 * the staged AICc search over candidate models and sample paths of a fitted
 * model.  Private to engine/models.  The search borrows its scratch from the
 * caller's allocator and returns it; the paths allocate nothing.
 */
#ifndef OT_MODELS_ETS_FIT_H
#define OT_MODELS_ETS_FIT_H

#include <stddef.h>

#include <gsl/gsl_rng.h>

#include "core/err.h"
#include "models/ets.h"

/* Candidates of one search: 2 errors x (N, A, Ad) x 3 seasons at most. */
#define OT_ETS_MAXCAND 18

/* Fits cand[0..nc) (1 <= nc <= OT_ETS_MAXCAND) to y[0..n) with period m by
 * maximum likelihood, the initial states too when ml_states, and writes the
 * one of smallest AICc to *out.  Returns OT_OK, OT_ENOMEM, or OT_EDATA when
 * no candidate could be fitted; *out is untouched on failure.  Sets no
 * message: the caller words it. */
int ot_ets_search(const double *y, size_t n, int m, const ot_ets_spec *cand, size_t nc,
                  int ml_states, const ot_alloc *a, ot_ets_fit *out);

/* Writes npaths sample paths of h steps from fit's final states, with
 * innovation variance sigma2 and draws from rng, to paths[j*h + i]. */
void ot_ets_paths(const ot_ets_fit *fit, double sigma2, size_t h, size_t npaths, gsl_rng *rng,
                  double *paths);

#endif
