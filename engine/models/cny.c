/* cny.c — Chinese New Year dates, the moving-holiday regressor, and the
 * regression and combined-period methods around ARIMA and ETS.
 *
 * Regressor: Census genhol (X-13ARIMA-SEATS Reference Manual, "user-defined
 * holiday regressors"; R seasonal::genhol): for each month, the share of the
 * days of a window around the festival that fall in it, minus that month's
 * mean share over the table's years, so the regressor moves January against
 * February and has no level effect over the years.  The *_cny methods use a
 * pre-holiday and a post-holiday window (cny.h) with one coefficient each;
 * the *_jf methods split January+February by the default window's share.
 */
#include "models/cny.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "models/methods.h"

/* First day of the lunar year in mainland China (month, day), 1990–2050:
 * generated from datasets/calendar/cny.csv (awk over its rows), which copies
 * the LUNAR_NEW_YEAR_DATES table of the Python holidays package
 * (vacanza/holidays, holidays/calendars/chinese.py, MIT licence); for
 * 1990–2030 it agrees with the cny data of R's seasonal package. */
static const unsigned char cny_md[OT_CNY_LAST_YEAR - OT_CNY_FIRST_YEAR + 1][2] = {
    {1, 27}, {2, 15}, {2, 4}, {1, 23}, {2, 10}, {1, 31},
    {2, 19}, {2, 7}, {1, 28}, {2, 16}, {2, 5}, {1, 24},
    {2, 12}, {2, 1}, {1, 22}, {2, 9}, {1, 29}, {2, 18},
    {2, 7}, {1, 26}, {2, 14}, {2, 3}, {1, 23}, {2, 10},
    {1, 31}, {2, 19}, {2, 8}, {1, 28}, {2, 16}, {2, 5},
    {1, 25}, {2, 12}, {2, 1}, {1, 22}, {2, 10}, {1, 29},
    {2, 17}, {2, 6}, {1, 26}, {2, 13}, {2, 3}, {1, 23},
    {2, 11}, {1, 31}, {2, 19}, {2, 8}, {1, 28}, {2, 15},
    {2, 4}, {1, 24}, {2, 12}, {2, 1}, {1, 22}, {2, 10},
    {1, 30}, {2, 17}, {2, 6}, {1, 26}, {2, 14}, {2, 2},
    {1, 23}};

int ot_cny_date(int year, int32_t *days, ot_err *err)
{
    if (year < OT_CNY_FIRST_YEAR || year > OT_CNY_LAST_YEAR)
        return ot_err_set(err, OT_ERANGE, "no Chinese New Year date for %d (the table covers %d-%d)",
                          year, OT_CNY_FIRST_YEAR, OT_CNY_LAST_YEAR);
    const unsigned char *md = cny_md[year - OT_CNY_FIRST_YEAR];
    *days = ot_days_from_civil(year, md[0], md[1]);
    return OT_OK;
}

/* The share of the window [festival - before, festival + after] (whole days)
 * falling in month k of year (a table year; the window stays in that year). */
static double window_share(int year, int k, int before, int after)
{
    const unsigned char *md = cny_md[year - OT_CNY_FIRST_YEAR];
    int32_t d = ot_days_from_civil(year, md[0], md[1]);
    int32_t w0 = d - before, w1 = d + after;
    int32_t m0 = ot_days_from_civil(year, k, 1), m1 = m0 + ot_days_in_month(year, k) - 1;
    int32_t lo = w0 > m0 ? w0 : m0, hi = w1 < m1 ? w1 : m1;
    return hi < lo ? 0.0 : (double)(hi - lo + 1) / (double)(before + after + 1);
}

/* Fills as cny.h says.  The window never reaches past March (at most 30
 * days after 20 February), so only January–March get a share; the mean
 * share of each of those months over the table is computed once per call
 * (61 years, cheap) rather than kept in a static. */
int ot_cny_regressor_window(ot_freq f, ot_ord start, size_t n, int before, int after,
                            double *out, ot_err *err)
{
    if (f != OT_FREQ_M)
        return ot_err_set(err, OT_EINVAL, "the Chinese New Year regressor needs monthly data, not %s",
                          ot_freq_name(f));
    if (before < 0 || before > 20 || after < 0 || after > 30)
        return ot_err_set(err, OT_EINVAL,
                          "Chinese New Year window %d days before, %d after: need 0..20 before, 0..30 after",
                          before, after);
    if (n > 0) {
        int y0 = ot_period_year(f, start), y1 = ot_period_year(f, start + (ot_ord)(n - 1));
        int bad = y0 < OT_CNY_FIRST_YEAR ? y0 : y1 > OT_CNY_LAST_YEAR ? y1 : 0;
        if (bad)
            return ot_err_set(err, OT_ERANGE,
                              "no Chinese New Year date for %d (the table covers %d-%d)", bad,
                              OT_CNY_FIRST_YEAR, OT_CNY_LAST_YEAR);
    }
    double mean[3] = {0, 0, 0};
    for (int y = OT_CNY_FIRST_YEAR; y <= OT_CNY_LAST_YEAR; y++)
        for (int k = 1; k <= 3; k++)
            mean[k - 1] += window_share(y, k, before, after);
    for (int k = 0; k < 3; k++)
        mean[k] /= (double)(OT_CNY_LAST_YEAR - OT_CNY_FIRST_YEAR + 1);
    for (size_t i = 0; i < n; i++) {
        ot_ord o = start + (ot_ord)i;
        int y = ot_period_year(f, o), k = ot_period_sub(f, o);
        out[i] = k <= 3 ? window_share(y, k, before, after) - mean[k - 1] : 0.0;
    }
    return OT_OK;
}

int ot_cny_regressor(ot_freq f, ot_ord start, size_t n, double *out, ot_err *err)
{
    return ot_cny_regressor_window(f, start, n, OT_CNY_BEFORE, OT_CNY_AFTER, out, err);
}

/* ---- the methods ------------------------------------------------------- */

enum { KIND_CNY, KIND_JF };

/* A wrapped fit: the inner model on the adjusted series y_t / factor_t, and
 * what gives the factors of future months. */
typedef struct cny_state {
    ot_model *inner;
    int kind;
    double beta[2]; /* KIND_CNY: factor exp(beta[0] pre_t + beta[1] post_t) */
    double sa, sb; /* KIND_JF: January's share of Jan+Feb = sa + sb x_Jan */
} cny_state;

static double clamp_share(double s)
{
    return s < 0.05 ? 0.05 : s > 0.95 ? 0.95 : s;
}

/* The pre- and post-holiday regressors of the methods for n months from
 * start into pre[0..n) and post[0..n). */
static int pair(ot_freq f, ot_ord start, size_t n, double *pre, double *post, ot_err *err)
{
    int rc = ot_cny_regressor_window(f, start, n, OT_CNY_PRE, 0, pre, err);
    return rc != OT_OK ? rc : ot_cny_regressor_window(f, start, n, 0, OT_CNY_POST, post, err);
}

/* The multiplicative factors of the h months after the fitted data into
 * fac[0..h), using tmp[0..h) as scratch.  OT_ERANGE beyond the date table. */
static int future_factors(const ot_model *m, size_t h, double *fac, double *tmp, ot_err *err)
{
    const cny_state *s = m->state;
    ot_ord o = m->start + (ot_ord)m->n;
    if (s->kind == KIND_CNY) {
        int rc = pair(m->freq, o, h, fac, tmp, err);
        if (rc != OT_OK)
            return rc;
        for (size_t i = 0; i < h; i++)
            fac[i] = exp(s->beta[0] * fac[i] + s->beta[1] * tmp[i]);
        return OT_OK;
    }
    int rc = ot_cny_regressor(m->freq, o, h, fac, err);
    if (rc != OT_OK)
        return rc;
    /* KIND_JF: January gets twice its share, February twice the rest; the
     * share comes from January's regressor value. */
    double xjan = 0.0;
    for (size_t i = 0; i < h; i++) {
        int k = ot_period_sub(m->freq, o + (ot_ord)i);
        if (k == 1)
            xjan = fac[i];
        else if (k == 2 && i == 0)
            xjan = -fac[i]; /* x_Feb = -x_Jan: the default window spans only Jan-Feb */
        double sh = clamp_share(s->sa + s->sb * xjan);
        fac[i] = k == 1 ? 2.0 * sh : k == 2 ? 2.0 * (1.0 - sh) : 1.0;
    }
    return OT_OK;
}

/* OLS of the log growth over twelve months on the two regressors' changes
 * over twelve months, with an intercept for the trend: the two-step route to
 * a regression with ARIMA errors (docs/methods.md).  After centring, the 2x2
 * normal equations are solved by Cramer's rule.  beta[0..2) on success;
 * OT_EDATA when the holiday dates in the data do not vary enough to tell the
 * two effects apart. */
static int estimate_beta(const ot_model *m, const double *y, const double *x1, const double *x2,
                         size_t n, double *beta, ot_err *err)
{
    double sd = 0, s1 = 0, s2 = 0;
    size_t k = n - 12;
    for (size_t t = 12; t < n; t++) {
        sd += log(y[t]) - log(y[t - 12]);
        s1 += x1[t] - x1[t - 12];
        s2 += x2[t] - x2[t - 12];
    }
    double md = sd / (double)k, m1 = s1 / (double)k, m2 = s2 / (double)k;
    double a11 = 0, a12 = 0, a22 = 0, b1 = 0, b2 = 0;
    for (size_t t = 12; t < n; t++) {
        double d = log(y[t]) - log(y[t - 12]) - md;
        double e1 = x1[t] - x1[t - 12] - m1, e2 = x2[t] - x2[t - 12] - m2;
        a11 += e1 * e1, a12 += e1 * e2, a22 += e2 * e2;
        b1 += e1 * d, b2 += e2 * d;
    }
    double det = a11 * a22 - a12 * a12;
    if (!(a11 > 1e-6 && a22 > 1e-6 && det > 1e-3 * a11 * a22))
        return ot_err_set(err, OT_EDATA,
                          "%s: the Chinese New Year dates do not vary enough within the data "
                          "to estimate the holiday effects",
                          m->method->name);
    beta[0] = (b1 * a22 - b2 * a12) / det;
    beta[1] = (b2 * a11 - b1 * a12) / det;
    return OT_OK;
}

/* January shares of every complete January–February pair, regressed on
 * January's regressor value (sb = 0 with fewer than three pairs; n >= 25
 * guarantees two); then the
 * factors of the data: 2 s, 2 (1 - s) with each year's actual share, and
 * the fitted share for a January or February without its partner. */
static void estimate_shares(const ot_model *m, const double *y, const double *x, size_t n,
                            cny_state *s, double *fac)
{
    double sx = 0, ss = 0, sxx = 0, sxs = 0;
    size_t np = 0;
    for (size_t t = 0; t + 1 < n; t++) {
        if (ot_period_sub(m->freq, m->start + (ot_ord)t) != 1)
            continue;
        double sh = y[t] / (y[t] + y[t + 1]);
        sx += x[t], ss += sh, sxx += x[t] * x[t], sxs += x[t] * sh;
        np++;
    }
    assert(np >= 2); /* 25 consecutive months hold two complete pairs */
    double mx = sx / (double)np, ms = ss / (double)np;
    double vxx = sxx - (double)np * mx * mx;
    s->sb = np >= 3 && vxx > 1e-6 ? (sxs - (double)np * mx * ms) / vxx : 0.0;
    s->sa = ms - s->sb * mx;
    for (size_t t = 0; t < n; t++) {
        int k = ot_period_sub(m->freq, m->start + (ot_ord)t);
        fac[t] = 1.0;
        if (k == 1 && t + 1 < n)
            fac[t] = 2.0 * y[t] / (y[t] + y[t + 1]);
        else if (k == 2 && t >= 1)
            fac[t] = 2.0 * y[t] / (y[t - 1] + y[t]);
        else if (k == 1 || k == 2) {
            double xj = k == 1 ? x[t] : -x[t]; /* x_Feb = -x_Jan: the window spans only Jan-Feb */
            double sh = clamp_share(s->sa + s->sb * xj);
            fac[t] = k == 1 ? 2.0 * sh : 2.0 * (1.0 - sh);
        }
    }
}

/* Fits the wrapper of inner: checks a positive monthly series of at least
 * 25 values, estimates the factors, fits inner to y / factor, and fills m
 * from it (fitted values times the factors; for KIND_CNY the likelihood of
 * y, i.e. the inner one plus the Jacobian -sum log factor_t, and two more
 * parameters).  Scratch freed on every path; m->state set only on success. */
static int fit_wrapped(ot_model *m, const double *y, size_t n, const ot_model_opts *o,
                       const ot_method *inner, int kind, ot_err *err)
{
    if (m->freq != OT_FREQ_M || m->period != 12)
        return ot_err_set(err, OT_EDATA, "%s: needs monthly data with period 12", m->method->name);
    if (n < 25)
        return ot_err_set(err, OT_EDATA, "%s: needs at least 25 monthly values, got %zu",
                          m->method->name, n);
    for (size_t t = 0; t < n; t++)
        if (!(y[t] > 0.0) || !isfinite(y[t]))
            return ot_err_set(err, OT_EDATA, "%s: needs positive values, got %g at %zu",
                              m->method->name, y[t], t + 1);
    int rc = OT_ENOMEM;
    cny_state *s = NULL;
    double *x = ot_model_calloc(m, n, sizeof *x), *fac = ot_model_calloc(m, n, sizeof *fac);
    double *x2 = ot_model_calloc(m, n, sizeof *x2);
    if (!x || !fac || !x2) {
        ot_err_set(err, OT_ENOMEM, "out of memory");
        goto done;
    }
    if (!(s = ot_model_calloc(m, 1, sizeof *s))) {
        ot_err_set(err, OT_ENOMEM, "out of memory");
        goto done;
    }
    s->kind = kind;
    if (kind == KIND_CNY) {
        if ((rc = pair(m->freq, m->start, n, x, x2, err)) != OT_OK ||
            (rc = estimate_beta(m, y, x, x2, n, s->beta, err)) != OT_OK)
            goto done;
        for (size_t t = 0; t < n; t++)
            fac[t] = exp(s->beta[0] * x[t] + s->beta[1] * x2[t]);
    } else {
        if ((rc = ot_cny_regressor(m->freq, m->start, n, x, err)) != OT_OK)
            goto done;
        estimate_shares(m, y, x, n, s, fac);
    }
    for (size_t t = 0; t < n; t++)
        x[t] = y[t] / fac[t]; /* x now holds the adjusted series */
    if ((rc = ot_model_fit_array(inner, x, n, m, o, &s->inner, err)) != OT_OK)
        goto done;

    const ot_model *im = s->inner;
    double jac = 0.0;
    for (size_t t = 0; t < n; t++) {
        m->fitted[t] = im->fitted[t] * fac[t];
        m->resid[t] = y[t] - m->fitted[t];
        jac += log(fac[t]);
    }
    snprintf(m->desc, sizeof m->desc, "%.56s%s", im->desc, kind == KIND_CNY ? "+CNY" : "+JanFeb");
    for (size_t i = 0; i < im->npar; i++)
        ot_model_add_par(m, im->par_name[i], im->par[i]);
    if (kind == KIND_CNY) {
        ot_model_add_par(m, "cny_pre", s->beta[0]);
        ot_model_add_par(m, "cny_post", s->beta[1]);
        m->sigma2 = im->sigma2;
        if (isfinite(im->loglik) && isfinite(im->aic)) {
            double k = round((im->aic + 2.0 * im->loglik) / 2.0);
            m->loglik = im->loglik - jac;
            ot_model_set_ic(m, (size_t)k + 2);
        }
    } else {
        ot_model_add_par(m, "jf_share", s->sa);
        ot_model_add_par(m, "jf_slope", s->sb);
        m->sigma2 = im->sigma2; /* the shares are taken from the data: no likelihood */
    }
    m->state = s;
    s = NULL;
    rc = OT_OK;
done:
    if (s) {
        ot_model_free(s->inner);
        ot_model_free_mem(m, s, 1, sizeof *s);
    }
    ot_model_free_mem(m, x2, n, sizeof *x2);
    ot_model_free_mem(m, fac, n, sizeof *fac);
    ot_model_free_mem(m, x, n, sizeof *x);
    return rc;
}

static int fit_arima_cny(ot_model *m, const double *y, size_t n, const ot_model_opts *o, ot_err *err)
{
    return fit_wrapped(m, y, n, o, &ot_method_arima, KIND_CNY, err);
}

static int fit_ets_cny(ot_model *m, const double *y, size_t n, const ot_model_opts *o, ot_err *err)
{
    return fit_wrapped(m, y, n, o, &ot_method_ets, KIND_CNY, err);
}

static int fit_arima_jf(ot_model *m, const double *y, size_t n, const ot_model_opts *o, ot_err *err)
{
    return fit_wrapped(m, y, n, o, &ot_method_arima, KIND_JF, err);
}

static int fit_ets_jf(ot_model *m, const double *y, size_t n, const ot_model_opts *o, ot_err *err)
{
    return fit_wrapped(m, y, n, o, &ot_method_ets, KIND_JF, err);
}

/* The inner forecast, times each month's factor: a positive factor maps
 * quantiles to quantiles, so the bounds scale exactly as the mean does. */
static int wrapped_forecast(const ot_model *m, size_t h, double *mean, const double *levels,
                            size_t nlevels, double *lower, double *upper, ot_err *err)
{
    const cny_state *s = m->state;
    double *fac = ot_model_calloc(m, 2 * h, sizeof *fac);
    if (!fac)
        return ot_err_set(err, OT_ENOMEM, "out of memory");
    int rc = future_factors(m, h, fac, fac + h, err);
    if (rc == OT_OK)
        rc = s->inner->method->forecast(s->inner, h, mean, levels, nlevels, lower, upper, err);
    if (rc == OT_OK) {
        for (size_t i = 0; i < h; i++) {
            mean[i] *= fac[i];
            for (size_t l = 0; l < nlevels; l++) {
                lower[l * h + i] *= fac[i];
                upper[l * h + i] *= fac[i];
            }
        }
    }
    ot_model_free_mem(m, fac, 2 * h, sizeof *fac);
    return rc;
}

/* The inner paths, times each month's factor. */
static int wrapped_simulate(const ot_model *m, size_t h, size_t npaths, gsl_rng *rng,
                            double *paths, ot_err *err)
{
    const cny_state *s = m->state;
    double *fac = ot_model_calloc(m, 2 * h, sizeof *fac);
    if (!fac)
        return ot_err_set(err, OT_ENOMEM, "out of memory");
    int rc = future_factors(m, h, fac, fac + h, err);
    if (rc == OT_OK)
        rc = s->inner->method->simulate(s->inner, h, npaths, rng, paths, err);
    if (rc == OT_OK)
        for (size_t p = 0; p < npaths; p++)
            for (size_t i = 0; i < h; i++)
                paths[p * h + i] *= fac[i];
    ot_model_free_mem(m, fac, 2 * h, sizeof *fac);
    return rc;
}

static void wrapped_free(ot_model *m)
{
    cny_state *s = m->state;
    ot_model_free(s->inner);
    ot_model_free_mem(m, s, 1, sizeof *s);
    m->state = NULL;
}

const ot_method ot_method_arima_cny = {"arima_cny", fit_arima_cny, wrapped_forecast,
                                       wrapped_simulate, wrapped_free, 1};
const ot_method ot_method_ets_cny = {"ets_cny", fit_ets_cny, wrapped_forecast, wrapped_simulate,
                                     wrapped_free, 1};
const ot_method ot_method_arima_jf = {"arima_jf", fit_arima_jf, wrapped_forecast, wrapped_simulate,
                                      wrapped_free, 1};
const ot_method ot_method_ets_jf = {"ets_jf", fit_ets_jf, wrapped_forecast, wrapped_simulate,
                                    wrapped_free, 1};
