/* theta.c — the Theta method of Assimakopoulos & Nikolopoulos (2000) as
 * forecast::thetaf computes it (Hyndman & Billah 2003: SES with drift equal
 * to half the slope of the linear trend), on data seasonally adjusted by
 * classical multiplicative decomposition when the 90% autocorrelation test
 * at the seasonal lag says seasonal.
 */
#include <math.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "models/decomp.h"
#include "models/ets.h"
#include "models/methods.h"

typedef struct theta_state {
    double alpha, level, drift, sigma2;
    size_t n;
    int m, seasonal;
    double idx[366]; /* seasonal indices by position i mod m (1 when none) */
} theta_state;

/* Hyndman & Billah (2003), forecast::thetaf:
 *   x = y / idx (when seasonal), SES on x by least squares (ETS(A,N,N),
 *   opt.crit = "mse"), b = slope of x on 0..n-1 divided by 2,
 *   yhat_{n+h} = (l_n + b (h - 1 + (1 - (1 - alpha)^n) / alpha)) idx,
 *   se_h = sigma sqrt((h - 1) alpha^2 + 1), sigma^2 = SSE / (n - 2). */
static int fit_theta(ot_model *m, const double *y, size_t n, const ot_model_opts *o,
                     ot_err *err)
{
    if (n < 4)
        return ot_err_set(err, OT_EDATA, "theta: needs at least 4 values, got %zu", n);
    theta_state *ts = ot_malloc(&m->alloc, sizeof *ts);
    if (!ts)
        return ot_err_set(err, OT_ENOMEM, "out of memory");
    memset(ts, 0, sizeof *ts);
    m->state = ts;
    ts->n = n;
    ts->m = m->period > 1 ? m->period : 1;
    for (int j = 0; j < ts->m; j++)
        ts->idx[j] = 1.0;
    int rc = OT_ENOMEM;
    double *x = ot_model_calloc(m, n, sizeof *x);
    double *e = ot_model_calloc(m, n, sizeof *e);
    if (!x || !e) {
        ot_err_set(err, rc, "out of memory");
        goto done;
    }
    if (ts->m > 1 && ot_seasonal_test(y, n, ts->m, 2 * (size_t)ts->m + 1) &&
        ot_decompose(y, n, ts->m, 1, ts->idx) == 0) {
        ts->seasonal = 1;
        for (int j = 0; j < ts->m; j++)
            if (fabs(ts->idx[j]) < 1e-4)
                ts->seasonal = 0; /* thetaf: indices near zero, not seasonal */
        if (!ts->seasonal)
            for (int j = 0; j < ts->m; j++)
                ts->idx[j] = 1.0;
    }
    for (size_t i = 0; i < n; i++)
        x[i] = y[i] / ts->idx[i % (size_t)ts->m];
    ot_ets_fit f;
    if (ot_ets_fit_spec(x, n, 1, (ot_ets_spec){'A', 'N', 'N', 0}, OT_ETS_MSE, 1, &f) != 0) {
        rc = ot_err_set(err, OT_EDATA, "theta: simple exponential smoothing could not be fitted");
        goto done;
    }
    ot_ets_residuals(&f, x, n, e, m->fitted);
    double sse = 0.0, mx = (double)(n - 1) / 2.0, my = 0.0, sxy = 0.0, sxx = 0.0;
    for (size_t i = 0; i < n; i++) {
        sse += e[i] * e[i];
        my += x[i];
    }
    my /= (double)n;
    for (size_t i = 0; i < n; i++) {
        sxy += ((double)i - mx) * (x[i] - my);
        sxx += ((double)i - mx) * ((double)i - mx);
    }
    ts->alpha = f.alpha > 1e-10 ? f.alpha : 1e-10;
    ts->level = f.l;
    ts->drift = sxy / sxx / 2.0;
    ts->sigma2 = sse / (double)(n - 2);
    m->sigma2 = ts->sigma2;
    for (size_t i = 0; i < n; i++) {
        m->fitted[i] *= ts->idx[i % (size_t)ts->m];
        m->resid[i] = y[i] - m->fitted[i];
    }
    /* Gaussian likelihood of the SES errors, alpha, l0 and sigma estimated */
    m->loglik = -0.5 * (double)n * (log(2.0 * M_PI * sse / (double)n) + 1.0);
    ot_model_set_ic(m, 3);
    ot_model_add_par(m, "alpha", ts->alpha);
    ot_model_add_par(m, "drift", ts->drift);
    ot_model_add_par(m, "l", f.l0);
    snprintf(m->desc, sizeof m->desc, ts->seasonal ? "Theta (seasonally adjusted, m=%d)" :
             "Theta", ts->m);
    rc = OT_OK;
done:
    ot_model_free_mem(m, e, n, sizeof *e);
    ot_model_free_mem(m, x, n, sizeof *x);
    return rc;
}

static void theta_free(ot_model *m)
{
    ot_free(&m->alloc, m->state, sizeof(theta_state));
    m->state = NULL;
}

static double theta_point(const theta_state *ts, size_t i)
{
    double a = ts->alpha;
    return ts->level + ts->drift * ((double)i + (1.0 - pow(1.0 - a, (double)ts->n)) / a);
}

/* Intervals as thetaf: on the adjusted scale, around the reseasonalised mean. */
static int theta_forecast(const ot_model *m, size_t h, double *mean, const double *levels,
                          size_t nlevels, double *lower, double *upper, ot_err *err)
{
    const theta_state *ts = m->state;
    for (size_t i = 0; i < h; i++) {
        mean[i] = theta_point(ts, i) * ts->idx[(ts->n + i) % (size_t)ts->m];
        double se = sqrt(ts->sigma2 * ((double)i * ts->alpha * ts->alpha + 1.0));
        for (size_t l = 0; l < nlevels; l++) {
            double z = ot_zlevel(levels[l]);
            lower[l * h + i] = mean[i] - z * se;
            upper[l * h + i] = mean[i] + z * se;
        }
    }
    return OT_OK;
}

/* Paths of the SES state space model with the drift added:
 * x_{n+i} = l + alpha (e_1 + ... + e_{i-1}) + e_i + drift term, times the
 * seasonal index (so the spread, unlike thetaf's intervals, is seasonal). */
static int theta_simulate(const ot_model *m, size_t h, size_t npaths, gsl_rng *rng,
                          double *paths, ot_err *err)
{
    const theta_state *ts = m->state;
    double sd = sqrt(ts->sigma2);
    for (size_t p = 0; p < npaths; p++) {
        double acc = 0.0;
        for (size_t i = 0; i < h; i++) {
            double e = gsl_ran_gaussian(rng, sd);
            paths[p * h + i] = (theta_point(ts, i) + acc + e) * ts->idx[(ts->n + i) %
                                                                       (size_t)ts->m];
            acc += ts->alpha * e;
        }
    }
    return OT_OK;
}

const ot_method ot_method_theta = {"theta", fit_theta, theta_forecast, theta_simulate,
                                   theta_free, 0};
