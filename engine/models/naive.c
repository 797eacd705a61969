/* naive.c — the benchmark methods: naive, snaive, drift, mean and naive2.
 *
 * All are random walks (or the mean) written as R's forecast::lagwalk and
 * meanf compute them, with the analytic intervals of Hyndman &
 * Athanasopoulos, Forecasting: Principles and Practice (fpp3 §5.5, table
 * 5.2; fpp2 §3.5).  naive2 is the M-competition benchmark: naive on data
 * seasonally adjusted by classical multiplicative decomposition when the 90%
 * autocorrelation test at the seasonal lag says seasonal.
 */
#include <math.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

#include "models/decomp.h"
#include "models/methods.h"

enum kind { NAIVE, SNAIVE, DRIFT, MEAN, NAIVE2 };

typedef struct walk {
    size_t size;     /* bytes of this allocation */
    enum kind kind;
    int lag;         /* 1, or the period for snaive */
    int m;           /* seasonal period (naive2's indices) */
    int seasonal;    /* naive2: idx applies */
    double b, bse;   /* drift and its standard error; 0 when none */
    double mse;      /* mean squared residual, the one-step variance */
    double mu, sd;   /* mean: mean and standard deviation of the data */
    size_t nobs;     /* mean: observations (for the t quantile) */
    double *last;    /* the last lag values (seasonally adjusted for naive2) */
    double *idx;     /* m seasonal indices by position i mod m (naive2) */
} walk;

static void walk_free(ot_model *m)
{
    walk *w = m->state;
    ot_free(&m->alloc, w, w->size);
    m->state = NULL;
}

static int walk_new(ot_model *m, enum kind kind, int lag, ot_err *err)
{
    int mm = m->period > 1 ? m->period : 1;
    size_t size = sizeof(walk) + ((size_t)lag + (size_t)mm) * sizeof(double);
    walk *w = ot_malloc(&m->alloc, size);
    if (!w)
        return ot_err_set(err, OT_ENOMEM, "out of memory");
    memset(w, 0, size);
    w->size = size;
    w->kind = kind;
    w->lag = lag;
    w->m = mm;
    w->last = (double *)(w + 1);
    w->idx = w->last + lag;
    for (int j = 0; j < mm; j++)
        w->idx[j] = 1.0;
    m->state = w;
    return OT_OK;
}

/* Gaussian log-likelihood of k residuals with variance s2 (its ML value),
 * and the information criteria with npar parameters counted on k values. */
static void gauss_ic(ot_model *m, double sse, size_t k, size_t npar)
{
    if (k == 0 || !(sse > 0.0))
        return;
    double s2 = sse / (double)k;
    m->loglik = -0.5 * (double)k * (log(2.0 * M_PI * s2) + 1.0);
    size_t n = m->n;
    m->n = k; /* the criteria count the values with a residual */
    ot_model_set_ic(m, npar);
    m->n = n;
}

/* The random walk y_t = y_{t-lag} (+ b) + e_t on x (R's lagwalk):
 * fitted_t = (x_{t-lag} + b) times the seasonal index, mse = mean squared residual; with drift,
 * b = mean of the differences and se(b) = sd(differences) / sqrt(count). */
static void walk_fit(ot_model *m, walk *w, const double *x, size_t n, int drift)
{
    size_t lag = (size_t)w->lag, nd = n - lag;
    if (drift) {
        double s = 0.0;
        for (size_t i = lag; i < n; i++)
            s += x[i] - x[i - lag];
        w->b = s / (double)nd;
        double ss = 0.0;
        for (size_t i = lag; i < n; i++) {
            double d = x[i] - x[i - lag] - w->b;
            ss += d * d;
        }
        w->bse = nd > 1 ? sqrt(ss / (double)(nd - 1) / (double)nd) : 0.0;
    }
    double sse = 0.0;
    for (size_t i = lag; i < n; i++) {
        double f = (x[i - lag] + w->b) * w->idx[i % (size_t)w->m];
        m->fitted[i] = f;
        double e = x[i] - x[i - lag] - w->b;
        sse += e * e;
    }
    w->mse = sse / (double)nd;
    m->sigma2 = w->mse;
    for (size_t j = 0; j < lag; j++)
        w->last[j] = x[n - lag + j];
    gauss_ic(m, sse, nd, drift ? 2 : 1);
}

static int fit_common(ot_model *m, const double *y, size_t n, enum kind kind, ot_err *err)
{
    static const char *names[] = {"naive", "snaive", "drift", "mean", "naive2"};
    int lag = kind == SNAIVE ? m->period : 1;
    if (kind == SNAIVE && m->period < 2)
        return ot_err_set(err, OT_EDATA, "snaive: needs a seasonal period above 1, got %d",
                          m->period);
    size_t need = (size_t)lag + 1;
    if (n < need)
        return ot_err_set(err, OT_EDATA, "%s: needs at least %zu values, got %zu",
                          names[kind], need, n);
    int rc = walk_new(m, kind, lag, err);
    if (rc != OT_OK)
        return rc;
    walk *w = m->state;
    switch (kind) {
    case MEAN: {
        double s = 0.0, ss = 0.0;
        for (size_t i = 0; i < n; i++)
            s += y[i];
        w->mu = s / (double)n;
        for (size_t i = 0; i < n; i++) {
            m->fitted[i] = w->mu;
            m->resid[i] = y[i] - w->mu;
            ss += m->resid[i] * m->resid[i];
        }
        w->sd = sqrt(ss / (double)(n - 1));
        w->nobs = n;
        m->sigma2 = w->sd * w->sd;
        ot_model_add_par(m, "mean", w->mu);
        gauss_ic(m, ss, n, 2);
        snprintf(m->desc, sizeof m->desc, "Mean");
        return OT_OK;
    }
    case NAIVE2: {
        int pos = 1;
        for (size_t i = 0; i < n && pos; i++)
            pos = y[i] > 0.0;
        /* M4 benchmark code: seasonal test needs 3 full years */
        if (pos && m->period > 1 && ot_seasonal_test(y, n, m->period, 3 * (size_t)m->period) &&
            ot_decompose(y, n, m->period, 1, w->idx) == 0) {
            w->seasonal = 1;
        } else {
            for (int j = 0; j < w->m; j++)
                w->idx[j] = 1.0;
        }
        double *x = ot_model_calloc(m, n, sizeof *x);
        if (!x)
            return ot_err_set(err, OT_ENOMEM, "out of memory");
        for (size_t i = 0; i < n; i++)
            x[i] = y[i] / w->idx[i % (size_t)w->m];
        walk_fit(m, w, x, n, 0);
        ot_model_free_mem(m, x, n, sizeof *x);
        for (size_t i = 1; i < n; i++)
            m->resid[i] = y[i] - m->fitted[i];
        snprintf(m->desc, sizeof m->desc, w->seasonal ? "Naive2 (seasonally adjusted, m=%d)" :
                 "Naive2 (not seasonal)", m->period);
        return OT_OK;
    }
    default:
        walk_fit(m, w, y, n, kind == DRIFT);
        for (size_t i = (size_t)lag; i < n; i++)
            m->resid[i] = y[i] - m->fitted[i];
        if (kind == DRIFT)
            ot_model_add_par(m, "drift", w->b);
        snprintf(m->desc, sizeof m->desc, kind == NAIVE ? "Naive" : kind == DRIFT ?
                 "Random walk with drift" : "Seasonal naive (m=%d)", m->period);
        return OT_OK;
    }
}

static int fit_naive(ot_model *m, const double *y, size_t n, const ot_model_opts *o, ot_err *err)
{
    return fit_common(m, y, n, NAIVE, err);
}
static int fit_snaive(ot_model *m, const double *y, size_t n, const ot_model_opts *o, ot_err *err)
{
    return fit_common(m, y, n, SNAIVE, err);
}
static int fit_drift(ot_model *m, const double *y, size_t n, const ot_model_opts *o, ot_err *err)
{
    return fit_common(m, y, n, DRIFT, err);
}
static int fit_mean(ot_model *m, const double *y, size_t n, const ot_model_opts *o, ot_err *err)
{
    return fit_common(m, y, n, MEAN, err);
}
static int fit_naive2(ot_model *m, const double *y, size_t n, const ot_model_opts *o, ot_err *err)
{
    return fit_common(m, y, n, NAIVE2, err);
}

/* Point forecasts and intervals, fpp3 table 5.2 in lagwalk's form:
 *   naive/snaive/naive2  y_{T+h} = y_{T+h-k(h)}, se = sigma sqrt(k), k = floor((h-1)/lag) + 1
 *   drift                y_{T+h} = y_T + h b,   se = sqrt(sigma^2 h + h^2 se(b)^2)
 *                        (fpp3: sigma sqrt(h (1 + h/T)))
 *   mean                 y_{T+h} = ybar,        se = s sqrt(1 + 1/T), with t_{T-1} quantiles
 * naive2 multiplies the adjusted forecast and bounds by the seasonal index. */
static int walk_forecast(const ot_model *m, size_t h, double *mean, const double *levels,
                         size_t nlevels, double *lower, double *upper, ot_err *err)
{
    const walk *w = m->state;
    size_t n = m->n, lag = (size_t)w->lag;
    for (size_t i = 0; i < h; i++) {
        double f, se;
        if (w->kind == MEAN) {
            f = w->mu;
            se = w->sd * sqrt(1.0 + 1.0 / (double)w->nobs);
        } else {
            double steps = (double)(i / lag + 1);
            f = w->last[i % lag] + steps * w->b;
            se = sqrt(w->mse * steps + steps * steps * w->bse * w->bse);
        }
        double s = w->idx[(n + i) % (size_t)w->m];
        mean[i] = f * s;
        for (size_t l = 0; l < nlevels; l++) {
            double q = w->kind == MEAN ? gsl_cdf_tdist_Pinv(0.5 + levels[l] / 200.0,
                                                            (double)(w->nobs - 1))
                                       : ot_zlevel(levels[l]);
            lower[l * h + i] = (f - q * se) * s;
            upper[l * h + i] = (f + q * se) * s;
        }
    }
    return OT_OK;
}

/* Sample paths of the same models with Gaussian innovations of variance
 * sigma^2.  Parameter uncertainty enters as in the analytic intervals: each
 * drift path draws its own b ~ N(b, se(b)^2), each mean path its own level
 * ~ N(ybar, s^2 / T). */
static int walk_simulate(const ot_model *m, size_t h, size_t npaths, gsl_rng *rng,
                         double *paths, ot_err *err)
{
    const walk *w = m->state;
    size_t n = m->n, lag = (size_t)w->lag;
    double sigma = w->kind == MEAN ? w->sd : sqrt(w->mse);
    for (size_t p = 0; p < npaths; p++) {
        double *out = paths + p * h;
        if (w->kind == MEAN) {
            double mu = w->mu + gsl_ran_gaussian(rng, w->sd / sqrt((double)w->nobs));
            for (size_t i = 0; i < h; i++)
                out[i] = mu + gsl_ran_gaussian(rng, sigma);
            continue;
        }
        double b = w->b + (w->bse > 0.0 ? gsl_ran_gaussian(rng, w->bse) : 0.0);
        /* out[] holds the adjusted path until the indices are applied */
        for (size_t i = 0; i < h; i++) {
            double prev = i < lag ? w->last[i] : out[i - lag];
            out[i] = prev + b + gsl_ran_gaussian(rng, sigma);
        }
        for (size_t i = 0; i < h; i++)
            out[i] *= w->idx[(n + i) % (size_t)w->m];
    }
    return OT_OK;
}

const ot_method ot_method_naive = {"naive", fit_naive, walk_forecast, walk_simulate, walk_free, 0};
const ot_method ot_method_snaive = {"snaive", fit_snaive, walk_forecast, walk_simulate,
                                    walk_free, 0};
const ot_method ot_method_drift = {"drift", fit_drift, walk_forecast, walk_simulate, walk_free, 0};
const ot_method ot_method_mean = {"mean", fit_mean, walk_forecast, walk_simulate, walk_free, 0};
const ot_method ot_method_naive2 = {"naive2", fit_naive2, walk_forecast, walk_simulate,
                                    walk_free, 0};
