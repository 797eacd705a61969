/* model.c — the method table and the generic entry points of model.h:
 * fitting on the non-missing stretch of a series, forecasts as series that
 * follow the data, simulation, and the helpers the method files share. */
#include "models/model.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <pthread.h>
#include <stdatomic.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>

#include "models/cny.h"
#include "models/methods.h"

static const ot_method *const methods[] = {
    &ot_method_naive, &ot_method_snaive, &ot_method_drift, &ot_method_mean,
    &ot_method_naive2, &ot_method_ets, &ot_method_theta, &ot_method_arima, &ot_method_combo, &ot_method_auto,
    &ot_method_arima_cny, &ot_method_ets_cny, &ot_method_arima_jf, &ot_method_ets_jf,
    &ot_method_otm,
};

/* Kept in step with methods[] (test_models checks it), except the Chinese
 * New Year variants (cny.h), found by name but not yet listed here: the
 * expected message in test_models.c must change with this string. */
static const char method_names[] = "naive, snaive, drift, mean, naive2, ets, theta, otm, arima, combo, "
                                   "auto, arima_cny, ets_cny, arima_jf, ets_jf";

const ot_method *ot_method_find(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
        if (strcmp(methods[i]->name, name) == 0)
            return methods[i];
    return NULL;
}

const char *ot_method_names(void)
{
    return method_names;
}

/* Lock-free, hence async-signal-safe (C17 7.17.5; checked by the static
 * assertion on ATOMIC_INT_LOCK_FREE). */
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "the stop flag must be lock-free");
static atomic_int stop_request;

void ot_models_interrupt(int why)
{
    atomic_store(&stop_request, why == OT_STOP_TIME ? OT_STOP_TIME : OT_STOP_INTERRUPT);
}

void ot_models_resume(void)
{
    atomic_store(&stop_request, 0);
}

int ot_models_interrupted(void)
{
    return atomic_load_explicit(&stop_request, memory_order_relaxed);
}

int ot_model_check_stop(ot_err *err)
{
    switch (ot_models_interrupted()) {
    case 0:
        return OT_OK;
    case OT_STOP_TIME:
        return ot_err_set(err, OT_ELIMIT, "time limit exceeded inside an engine call");
    default:
        return ot_err_set(err, OT_ELIMIT, "interrupted!");
    }
}

double ot_zlevel(double level)
{
    return gsl_cdf_ugaussian_Pinv(0.5 + level / 200.0);
}

void ot_model_add_par(ot_model *m, const char *name, double value)
{
    if (m->npar >= OT_MODEL_MAXPAR)
        return;
    snprintf(m->par_name[m->npar], sizeof m->par_name[0], "%s", name);
    m->par[m->npar++] = value;
}

/* AIC = -2 logL + 2k, AICc = AIC + 2k(k+1)/(n-k-1), BIC = -2 logL + k log n
 * (Hyndman & Athanasopoulos, fpp3 §7.5); AICc is NaN when n <= k + 1. */
void ot_model_set_ic(ot_model *m, size_t k)
{
    double n = (double)m->n, kk = (double)k;
    m->aic = -2.0 * m->loglik + 2.0 * kk;
    m->bic = -2.0 * m->loglik + kk * log(n);
    m->aicc = n > kk + 1.0 ? m->aic + 2.0 * kk * (kk + 1.0) / (n - kk - 1.0) : NAN;
}

void *ot_model_calloc(const ot_model *m, size_t n, size_t size)
{
    if (n == 0 || size > (size_t)-1 / n)
        return NULL;
    void *p = ot_malloc(&m->alloc, n * size);
    if (p)
        memset(p, 0, n * size);
    return p;
}

void ot_model_free_mem(const ot_model *m, void *p, size_t n, size_t size)
{
    ot_free(&m->alloc, p, n * size);
}

/* GSL's default handler aborts the process; the methods check GSL's return
 * codes instead.  Set once for the process, before any fit. */
static pthread_once_t gsl_once = PTHREAD_ONCE_INIT;

static void gsl_quiet(void)
{
    gsl_set_error_handler_off();
}

static int default_period(ot_freq f)
{
    switch (f) {
    case OT_FREQ_M: return 12;
    case OT_FREQ_Q: return 4;
    default:        return 1;
    }
}

/* Copies the stretch y[first..last] into x, filling what the methods cannot
 * take: a value covered by the next one (a January–February release) shares
 * that value evenly with it, and other missing values inside the stretch are
 * interpolated linearly between their neighbours. */
static void fill_stretch(const ot_series *y, size_t first, size_t last, double *x)
{
    size_t n = last - first + 1;
    for (size_t i = 0; i < n; i++)
        x[i] = y->v[first + i];
    if (y->flags) {
        for (size_t i = 0; i + 1 < n; i++) {
            if ((y->flags[first + i] & OT_OBS_COVERED) && isnan(x[i]) && !isnan(x[i + 1])) {
                x[i] = x[i + 1] / 2.0;
                x[i + 1] = x[i];
            }
        }
    }
    for (size_t i = 1; i + 1 < n; i++) {
        if (!isnan(x[i]))
            continue;
        size_t j = i;
        while (isnan(x[j]))
            j++; /* x[last] is not NaN */
        double a = x[i - 1], b = x[j];
        for (size_t k = i; k < j; k++)
            x[k] = a + (b - a) * (double)(k - i + 1) / (double)(j - i + 1);
        i = j;
    }
}

/* Fits meth to x[0..n) into a new model that shares like's allocator,
 * frequency, start and period: allocates the model and its fitted values and
 * residuals, then lets the method fill them.  On failure everything is
 * released and *out untouched. */
int ot_model_fit_array(const ot_method *meth, const double *x, size_t n, const ot_model *like,
                       const ot_model_opts *o, ot_model **out, ot_err *err)
{
    if (ot_model_check_stop(err) != OT_OK)
        return OT_ELIMIT;
    if (o->spec && !meth->takes_spec)
        return ot_err_set(err, OT_EINVAL, "%s: takes no spec (got '%s')", meth->name, o->spec);
    const ot_alloc *a = &like->alloc;
    ot_model *m = ot_malloc(a, sizeof *m);
    if (!m)
        return ot_err_set(err, OT_ENOMEM, "out of memory");
    memset(m, 0, sizeof *m);
    m->method = meth;
    m->alloc = *a;
    m->freq = like->freq;
    m->start = like->start;
    m->n = n;
    m->period = like->period;
    m->loglik = m->aic = m->aicc = m->bic = m->sigma2 = NAN;
    m->fitted = ot_malloc(a, n * sizeof *m->fitted);
    m->resid = ot_malloc(a, n * sizeof *m->resid);
    if (!m->fitted || !m->resid) {
        ot_model_free(m);
        return ot_err_set(err, OT_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++)
        m->fitted[i] = m->resid[i] = NAN;
    int rc = meth->fit(m, x, n, o, err);
    if (rc == OT_OK || rc == OT_EDATA) /* a search cut short fails somewhere inside */
        rc = ot_model_check_stop(err) != OT_OK ? OT_ELIMIT : rc;
    if (rc != OT_OK) {
        ot_model_free(m);
        return rc;
    }
    if (!m->spec_used[0] && o->spec && strlen(o->spec) < sizeof m->spec_used)
        memcpy(m->spec_used, o->spec, strlen(o->spec) + 1);
    if (o->intervals == OT_PI_CV) {
        m->intervals = OT_PI_CV;
        if (!(m->y = ot_malloc(a, n * sizeof *m->y))) {
            ot_model_free(m);
            return ot_err_set(err, OT_ENOMEM, "out of memory");
        }
        memcpy(m->y, x, n * sizeof *x);
    }
    *out = m;
    return OT_OK;
}

/* Fits as model.h says: checks, copies the stretch from the first to the
 * last value (filled as fill_stretch says) and fits it. */
int ot_model_fit(const ot_series *y, const char *method, const ot_model_opts *o,
                 ot_model **out, ot_err *err)
{
    static const ot_model_opts defaults = {0};
    pthread_once(&gsl_once, gsl_quiet);
    if (!o)
        o = &defaults;
    const ot_method *meth = ot_method_find(method);
    if (!meth)
        return ot_err_set(err, OT_EINVAL, "unknown method '%s' (known: %s)",
                          method ? method : "(null)", ot_method_names());
    if (!y)
        return ot_err_set(err, OT_EINVAL, "no series to fit");
    if (o->period < 0 || o->period > 366)
        return ot_err_set(err, OT_EINVAL, "seasonal period %d out of range 0..366", o->period);
    if (o->intervals != OT_PI_MODEL && o->intervals != OT_PI_CV)
        return ot_err_set(err, OT_EINVAL, "intervals %d is neither model (0) nor cv (1)",
                          o->intervals);
    size_t first = 0, last = 0, nvalid = 0;
    for (size_t i = 0; i < y->n; i++) {
        if (isnan(y->v[i]))
            continue;
        if (nvalid++ == 0)
            first = i;
        last = i;
    }
    if (nvalid == 0)
        return ot_err_set(err, OT_EDATA, "%s: the series has no values", meth->name);
    for (size_t i = first; i <= last; i++)
        if (!isfinite(y->v[i]) && !isnan(y->v[i]))
            return ot_err_set(err, OT_EDATA, "%s: the series holds an infinite value", meth->name);

    const ot_alloc *a = &y->alloc;
    size_t n = last - first + 1;
    double *x = ot_malloc(a, n * sizeof *x);
    if (!x)
        return ot_err_set(err, OT_ENOMEM, "out of memory");
    fill_stretch(y, first, last, x);
    ot_model like;
    memset(&like, 0, sizeof like);
    like.alloc = *a;
    like.freq = y->freq;
    like.start = y->start + (ot_ord)first;
    like.period = o->period > 0 ? o->period : default_period(y->freq);
    int rc = ot_model_fit_array(meth, x, n, &like, o, out, err);
    ot_free(a, x, n * sizeof *x);
    return rc;
}

void ot_model_free(ot_model *m)
{
    if (!m)
        return;
    if (m->state && m->method && m->method->free_state)
        m->method->free_state(m);
    ot_alloc a = m->alloc;
    ot_free(&a, m->fitted, m->n * sizeof *m->fitted);
    ot_free(&a, m->resid, m->n * sizeof *m->resid);
    ot_free(&a, m->y, m->n * sizeof *m->y);
    ot_free(&a, m, sizeof *m);
}

/* Frees f's series and f itself through a. */
static void forecast_release(ot_forecast *f, const ot_alloc *a)
{
    if (!f)
        return;
    ot_series_free(f->mean);
    for (size_t l = 0; l < 8; l++) {
        ot_series_free(f->lower[l]);
        ot_series_free(f->upper[l]);
    }
    ot_free(a, f, sizeof *f);
}

/* A complete forecast always has its mean, made with the model's allocator. */
void ot_forecast_free(ot_forecast *f)
{
    if (!f)
        return;
    ot_alloc a = f->mean->alloc;
    forecast_release(f, &a);
}

/* ---- calibrated intervals (OT_PI_CV) ------------------------------------
 *
 * The model's own intervals assume the model and its estimates are right;
 * on the M3 quarterly and yearly series they cover 5-10 points less than
 * they claim (R's too).  A model fitted with OT_PI_CV measures how far off
 * it has been: it refits its chosen structure (m->spec_used; the whole
 * method where that is empty) to y[0..t) at the last CV_ORIGINS origins t,
 * and standardises each error at step j by that fit's own forecast standard
 * deviation (half the 80% interval over z_0.9).  With r the ne_j standardised
 * errors of step j, k_j = max(1, sqrt(mean r^2)): intervals are never
 * narrower than the model's, and wider by k_j where its record says so.
 * Because k_j is estimated from ne_j errors, the level-L bound uses the
 * Student-t quantile with ne_j degrees of freedom:
 *     mean_j +- (upper_j - mean_j) * k_j * t_{ne_j}(q) / z(q),  q = 1/2 + L/200
 * (the classical prediction interval with an estimated variance).  Steps
 * no origin reaches keep the last step's factor; with fewer than two errors
 * at step 1 the intervals are the model's. */
#define CV_ORIGINS 50

typedef struct cv_cal {
    double k, nu; /* factor and degrees of freedom (0: model intervals) */
} cv_cal;

/* Fills cal[0..h) for m (OT_PI_CV, m->y set).  Refits that fail are skipped;
 * OT_ENOMEM only when memory runs out. */
static int cv_calibrate(const ot_model *m, size_t h, cv_cal *cal, ot_err *err)
{
    size_t n = m->n, norig = n / 2 < CV_ORIGINS ? n / 2 : CV_ORIGINS;
    double *ss = ot_model_calloc(m, 5 * h, sizeof *ss);
    if (!ss)
        return ot_err_set(err, OT_ENOMEM, "out of memory");
    double *ne = ss + h, *mean = ss + 2 * h, *lo = ss + 3 * h, *up = ss + 4 * h;
    double level = 80.0, z = ot_zlevel(level);
    ot_model_opts po = {.period = m->period, .spec = m->spec_used[0] ? m->spec_used : NULL};
    int rc = OT_OK;
    for (size_t t = n - norig; t < n && rc == OT_OK; t++) {
        ot_model *mt = NULL;
        ot_err e;
        rc = ot_model_fit_array(m->method, m->y, t, m, &po, &mt, &e);
        if (rc != OT_OK) {
            if (rc == OT_ENOMEM)
                ot_err_set(err, OT_ENOMEM, "out of memory");
            else if (rc == OT_ELIMIT && err)
                *err = e;
            else
                rc = OT_OK; /* too short for the method: no error at this origin */
            continue;
        }
        size_t hj = n - t < h ? n - t : h;
        if (mt->method->forecast(mt, hj, mean, &level, 1, lo, up, &e) == OT_OK) {
            for (size_t j = 0; j < hj; j++) {
                double sd = (up[j] - lo[j]) / (2.0 * z);
                double r = sd > 0.0 ? (m->y[t + j] - mean[j]) / sd : NAN;
                if (isfinite(r)) {
                    ss[j] += r * r;
                    ne[j] += 1.0;
                }
            }
        } else if (e.code == OT_ENOMEM) {
            rc = ot_err_set(err, OT_ENOMEM, "out of memory");
        }
        ot_model_free(mt);
    }
    cv_cal last = {1.0, 0.0};
    for (size_t j = 0; j < h && rc == OT_OK; j++) {
        if (ne[j] >= 2.0) {
            double k = sqrt(ss[j] / ne[j]);
            last = (cv_cal){k > 1.0 ? k : 1.0, ne[j]};
        }
        cal[j] = last;
    }
    ot_model_free_mem(m, ss, 5 * h, sizeof *ss);
    return rc;
}

/* Widens lower/upper[l*h + i] around mean[i] by cal as cv_calibrate says. */
static void cv_widen(const cv_cal *cal, size_t h, const double *mean, const double *levels,
                     size_t nlevels, double *lower, double *upper)
{
    for (size_t l = 0; l < nlevels; l++) {
        double q = 0.5 + levels[l] / 200.0, z = gsl_cdf_ugaussian_Pinv(q);
        for (size_t i = 0; i < h; i++) {
            if (cal[i].nu < 1.0)
                continue;
            double f = cal[i].k * gsl_cdf_tdist_Pinv(q, cal[i].nu) / z;
            lower[l * h + i] = mean[i] - (mean[i] - lower[l * h + i]) * f;
            upper[l * h + i] = mean[i] + (upper[l * h + i] - mean[i]) * f;
        }
    }
}

/* Runs the method into scratch arrays, then wraps them as series starting at
 * the period after the last fitted observation.  One exit releases the
 * scratch; a partly built forecast is freed on failure. */
int ot_model_forecast(const ot_model *m, size_t h, const double *levels, size_t nlevels,
                      ot_forecast **out, ot_err *err)
{
    if (!m)
        return ot_err_set(err, OT_EINVAL, "no model");
    if (h == 0 || h > 100000)
        return ot_err_set(err, OT_EINVAL, "forecast horizon %zu out of range 1..100000", h);
    if (nlevels > 8)
        return ot_err_set(err, OT_EINVAL, "at most 8 interval levels, got %zu", nlevels);
    for (size_t l = 0; l < nlevels; l++)
        if (!(levels[l] > 0.0 && levels[l] < 100.0))
            return ot_err_set(err, OT_EINVAL, "interval level %g is not between 0 and 100",
                              levels[l]);
    const ot_alloc *a = &m->alloc;
    size_t nb = h * (nlevels ? nlevels : 1);
    int rc = OT_ENOMEM;
    ot_forecast *f = NULL;
    double *mean = ot_malloc(a, h * sizeof *mean);
    double *lo = ot_malloc(a, nb * sizeof *lo);
    double *up = ot_malloc(a, nb * sizeof *up);
    if (!mean || !lo || !up) {
        ot_err_set(err, OT_ENOMEM, "out of memory");
        goto done;
    }
    rc = m->method->forecast(m, h, mean, levels, nlevels, lo, up, err);
    if (rc == OT_OK && m->intervals == OT_PI_CV && nlevels > 0) {
        cv_cal *cal = ot_model_calloc(m, h, sizeof *cal);
        rc = cal ? cv_calibrate(m, h, cal, err) : ot_err_set(err, OT_ENOMEM, "out of memory");
        if (rc == OT_OK)
            cv_widen(cal, h, mean, levels, nlevels, lo, up);
        ot_model_free_mem(m, cal, h, sizeof *cal);
    }
    if (rc != OT_OK)
        goto done;
    rc = OT_ENOMEM;
    f = ot_malloc(a, sizeof *f);
    if (!f) {
        ot_err_set(err, OT_ENOMEM, "out of memory");
        goto done;
    }
    memset(f, 0, sizeof *f);
    f->h = h;
    f->nlevels = nlevels;
    ot_ord start = m->start + (ot_ord)m->n;
    if (!(f->mean = ot_series_from(a, m->freq, start, mean, h, err)))
        goto done;
    for (size_t l = 0; l < nlevels; l++) {
        f->levels[l] = levels[l];
        if (!(f->lower[l] = ot_series_from(a, m->freq, start, lo + l * h, h, err)) ||
            !(f->upper[l] = ot_series_from(a, m->freq, start, up + l * h, h, err)))
            goto done;
    }
    *out = f;
    f = NULL;
    rc = OT_OK;
done:
    forecast_release(f, a);
    ot_free(a, up, nb * sizeof *up);
    ot_free(a, lo, nb * sizeof *lo);
    ot_free(a, mean, h * sizeof *mean);
    return rc;
}

int ot_model_simulate(const ot_model *m, size_t h, size_t npaths, gsl_rng *rng, double *paths,
                      ot_err *err)
{
    if (!m || !rng || !paths)
        return ot_err_set(err, OT_EINVAL, "simulate needs a model, a generator and an output");
    if (h == 0 || npaths == 0)
        return ot_err_set(err, OT_EINVAL, "simulate needs h > 0 and paths > 0");
    int rc = m->method->simulate(m, h, npaths, rng, paths, err);
    if (rc != OT_OK || m->intervals != OT_PI_CV)
        return rc;
    /* paths keep their normal shape; their spread grows by k_j (the
     * Student-t part of the intervals is not reproduced) */
    cv_cal *cal = ot_model_calloc(m, h, sizeof *cal);
    double *mean = ot_model_calloc(m, 3 * h, sizeof *mean);
    if (!cal || !mean)
        rc = ot_err_set(err, OT_ENOMEM, "out of memory");
    if (rc == OT_OK)
        rc = m->method->forecast(m, h, mean, NULL, 0, mean + h, mean + 2 * h, err);
    if (rc == OT_OK)
        rc = cv_calibrate(m, h, cal, err);
    for (size_t p = 0; rc == OT_OK && p < npaths; p++)
        for (size_t i = 0; i < h; i++)
            paths[p * h + i] = mean[i] + (paths[p * h + i] - mean[i]) * cal[i].k;
    ot_model_free_mem(m, mean, 3 * h, sizeof *mean);
    ot_model_free_mem(m, cal, h, sizeof *cal);
    return rc;
}
