/* simulate.c — sample paths of future period values from a series' history. */
#include "project/simulate.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "core/series.h"
#include "models/model.h"
#include "project/projection.h"

/* Years of history the random walk estimates its drifts from. */
#define RWSD_YEARS 10

/* Random walk with seasonal drift on logs:  log x_t = log x_{t-1} + d_m(t) + e_t,
 * e_t ~ N(0, σ²).  d_m is the mean log change into season m over the last
 * RWSD_YEARS years; σ² the residual variance with N - P degrees of freedom.
 * Each simulated step adds d_m + σ sqrt(1 + 1/N_m) z, the predictive spread
 * that counts the estimation error of d_m from N_m changes (one season
 * appears once in a year's horizon, so per-step draws are independent).  It is
 * the seasonal analogue of the random walk with drift (Hyndman &
 * Athanasopoulos, fpp3 §5.2); unlike seasonal naive with i.i.d. errors it
 * carries the year's level surprise forward, so the rest of the year moves
 * with the ytd (docs/methods-projection.md §2). */
static int rwsd(const double *x, size_t n, ot_freq freq, ot_ord start, size_t h, size_t np,
                gsl_rng *rng, double *paths, ot_proj_fact *desc, ot_err *err)
{
    int P = ot_freq_per_year(freq);
    if (P < 1)
        P = 1;
    size_t use = (size_t)(RWSD_YEARS * P + 1);
    if (n > use) {
        start += (ot_ord)(n - use);
        x += n - use;
        n = use;
    }
    if (n < (size_t)(2 * P + 2))
        return ot_err_set(err, OT_EDATA, "rwsd: %zu values, at least %d needed", n, 2 * P + 2);
    double d[12] = {0}, q = 0;
    int cnt[12] = {0};
    for (size_t t = 1; t < n; t++) {
        int m = ot_period_sub(freq, start + (ot_ord)t) - 1;
        d[m] += log(x[t]) - log(x[t - 1]);
        cnt[m]++;
    }
    for (int m = 0; m < P; m++)
        d[m] = cnt[m] ? d[m] / cnt[m] : 0;
    for (size_t t = 1; t < n; t++) {
        int m = ot_period_sub(freq, start + (ot_ord)t) - 1;
        double e = log(x[t]) - log(x[t - 1]) - d[m];
        q += e * e;
    }
    double sigma = sqrt(q / (double)(n - 1 - (size_t)P));
    double sd[12];
    for (int m = 0; m < P; m++)
        sd[m] = sigma * sqrt(1 + 1.0 / (cnt[m] ? cnt[m] : 1));
    double l0 = log(x[n - 1]);
    int m0 = ot_period_sub(freq, start + (ot_ord)(n - 1)) - 1;
    for (size_t p = 0; p < np; p++) {
        double l = l0;
        int m = m0;
        for (size_t i = 0; i < h; i++) {
            m = (m + 1) % P;
            l += d[m] + sd[m] * gsl_ran_gaussian_ziggurat(rng, 1.0);
            paths[p * h + i] = exp(l);
        }
    }
    ot_fact_set(desc, OT_M_RWSD, "di", sigma, (int)n);
    return OT_OK;
}

/* A registered model fitted on log values; paths are exponentiated.  With
 * OT_PI_CV the model widens its log paths by its own out-of-sample record
 * (models/model.h), so the spread of the levels grows alike. */
static int model(const char *method, int intervals, const double *x, size_t n, ot_freq freq,
                 ot_ord start, size_t h, size_t np, gsl_rng *rng, double *paths,
                 ot_proj_fact *desc, const ot_alloc *a, ot_err *err)
{
    ot_model_opts mo = {.intervals = intervals};
    ot_model *m = NULL;
    ot_series *y = ot_series_new(a, freq, start, n, err);
    if (!y)
        return OT_ENOMEM;
    for (size_t i = 0; i < n; i++)
        y->v[i] = log(x[i]);
    int rc = ot_model_fit(y, method, &mo, &m, err);
    if (rc == OT_OK)
        rc = ot_model_simulate(m, h, np, rng, paths, err);
    if (rc == OT_OK) {
        for (size_t i = 0; i < h * np; i++)
            paths[i] = exp(paths[i]);
        ot_fact_set(desc, OT_M_MODEL, "ki", m->desc[0] ? m->desc : method,
                    intervals == OT_PI_CV);
    }
    ot_model_free(m);
    ot_series_free(y);
    return rc;
}

int sim_paths(const char *method, int intervals, const double *x, size_t n, ot_freq freq,
              ot_ord start, size_t h, size_t np, gsl_rng *rng, double *paths,
              ot_proj_fact *desc, const ot_alloc *a, ot_err *err)
{
    if (strcmp(method, OT_PROJ_METHOD_FALLBACK) != 0)
        return model(method, intervals, x, n, freq, start, h, np, rng, paths, desc, a, err);
    assert(intervals == OT_PI_MODEL); /* projection.c refuses cv with rwsd */
    return rwsd(x, n, freq, start, h, np, rng, paths, desc, err);
}
