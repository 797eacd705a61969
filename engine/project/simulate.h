/* simulate.h — sample paths of the rest of the year from a series' own
 * history (internal to project/).
 *
 * "rwsd" (the fallback while models/ has no "auto"): a random walk with a
 * drift per season on log values.  Any other name goes through the model
 * interface (ot_model_fit / ot_model_simulate) on log values, with the
 * projection's interval option (calibrated intervals widen the paths).
 * Writes levels.
 */
#ifndef OT_PROJECT_SIMULATE_H
#define OT_PROJECT_SIMULATE_H

#include <stddef.h>

#include <gsl/gsl_rng.h>

#include "core/err.h"
#include "core/period.h"
#include "project/facts.h"

/* Simulates h values following x[0..n) (positive, no NaN, ordinal of x[0] =
 * start in freq) for np paths into paths[p*h + i], drawing from rng.
 * intervals (OT_PI_MODEL or OT_PI_CV) goes into the model's options; with
 * rwsd it must be OT_PI_MODEL (the caller checks).  Writes the fitted model
 * as a method fact into desc (OT_M_MODEL or OT_M_RWSD; y0 = 1 for cv
 * intervals).  OT_EDATA when x is too short for the method, OT_EINVAL for an
 * unknown method, OT_ENOMEM.  A model's memory comes from a (NULL =
 * ot_alloc_std). */
int sim_paths(const char *method, int intervals, const double *x, size_t n, ot_freq freq,
              ot_ord start, size_t h, size_t np, gsl_rng *rng, double *paths,
              ot_proj_fact *desc, const ot_alloc *a, ot_err *err);

#endif
