/* test_cny.c — Chinese New Year (cny.c): the compiled-in dates, the
 * genhol-style regressor against hand-computed shares, its centring, the
 * regression step recovering a known effect, the combined January–February
 * period, and the failure paths. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "models/cny.h"
#include "models/model.h"
#include "failalloc.h"

#define NEAR(a, b, tol) assert_true(fabs((a) - (b)) <= (tol))

/* Mean January share of the default 15-day window (7 before, the day, 7
 * after) over 1990–2050: counting the window's January days per year from
 * datasets/calendar/cny.csv (python3, datetime) gives 343 days in all, so the
 * mean is 343 / (15 * 61) = 343/915; February's is 572/915 (the window never
 * reaches December or March: 21 Jan - 7 = 14 Jan, 20 Feb + 7 = 27 Feb). */
#define MJAN (343.0 / 915.0)

static void test_cny_dates(void **state)
{
    (void)state;
    int32_t d;
    ot_err err;
    assert_int_equal(ot_cny_date(2023, &d, &err), OT_OK);
    assert_int_equal(d, ot_days_from_civil(2023, 1, 22));
    assert_int_equal(ot_cny_date(1990, &d, &err), OT_OK);
    assert_int_equal(d, ot_days_from_civil(1990, 1, 27));
    assert_int_equal(ot_cny_date(2050, &d, &err), OT_OK);
    assert_int_equal(d, ot_days_from_civil(2050, 1, 23));
    d = -1;
    assert_int_equal(ot_cny_date(2051, &d, &err), OT_ERANGE);
    assert_string_equal(err.msg, "no Chinese New Year date for 2051 (the table covers 1990-2050)");
    assert_int_equal(d, -1);
    assert_int_equal(ot_cny_date(1989, &d, &err), OT_ERANGE);
}

/* Every festival falls between 21 January and 20 February. */
static void test_cny_dates_in_range(void **state)
{
    (void)state;
    for (int y = OT_CNY_FIRST_YEAR; y <= OT_CNY_LAST_YEAR; y++) {
        int32_t d;
        assert_int_equal(ot_cny_date(y, &d, NULL), OT_OK);
        assert_true(d >= ot_days_from_civil(y, 1, 21) && d <= ot_days_from_civil(y, 2, 20));
    }
}

/* Hand-computed, window 7 days before to 7 after (15 days):
 *   2022: 1 Feb -> 25 Jan..8 Feb: 7 days in Jan, 8 in Feb: Jan 7/15 - 343/915 = 84/915
 *   2023: 22 Jan -> 15..29 Jan: all 15 in Jan: Jan 1 - 343/915 = 572/915, Feb -572/915
 *   2024: 10 Feb -> 3..17 Feb: Jan 0 - 343/915, Feb 1 - 572/915 = 343/915
 *   2025: 29 Jan -> 22 Jan..5 Feb: 10 in Jan: Jan 10/15 - 343/915 = 267/915
 * and every month from March to December is 0. */
static void test_cny_regressor_values(void **state)
{
    (void)state;
    double x[48];
    ot_err err;
    assert_int_equal(ot_cny_regressor(OT_FREQ_M, ot_period_make(OT_FREQ_M, 2022, 1), 48, x, &err),
                     OT_OK);
    NEAR(x[0], 84.0 / 915, 1e-12);
    NEAR(x[1], -84.0 / 915, 1e-12);
    NEAR(x[12], 572.0 / 915, 1e-12);
    NEAR(x[13], -572.0 / 915, 1e-12);
    NEAR(x[24], -MJAN, 1e-12);
    NEAR(x[25], 343.0 / 915, 1e-12);
    NEAR(x[36], 267.0 / 915, 1e-12);
    NEAR(x[37], -267.0 / 915, 1e-12);
    for (size_t i = 0; i < 48; i++)
        if (i % 12 >= 2)
            assert_true(x[i] == 0.0);
    /* a window of 20 days before and 30 after (51 days) for 2023: 2..31 Jan
     * (30 days), 1..21 Feb (21); only the raw shares are hand-checked, so
     * compare differences between years, where the means cancel:
     * Jan 2023 - Jan 2024 = 30/51 - (10 Feb - 20 = 21 Jan..31 Jan: 11)/51 = 19/51 */
    double w[15];
    assert_int_equal(ot_cny_regressor_window(OT_FREQ_M, ot_period_make(OT_FREQ_M, 2023, 1), 15, 20,
                                             30, w, &err),
                     OT_OK);
    NEAR(w[0] - w[12], 19.0 / 51, 1e-12);
    /* February: 2023 21 days, 2024 (leap) 1..29 Feb, 29 days: -8/51.
     * March: 2024 to 10 Feb + 30 = 11 Mar, 11 days; 2023 ends 21 Feb, none */
    NEAR(w[1] - w[13], -8.0 / 51, 1e-12);
    NEAR(w[14] - w[2], 11.0 / 51, 1e-12);
    NEAR(w[3], 0.0, 0.0);
}

/* Centring: over the whole table each calendar month sums to zero. */
static void test_cny_regressor_centred(void **state)
{
    (void)state;
    size_t n = 12 * (OT_CNY_LAST_YEAR - OT_CNY_FIRST_YEAR + 1);
    double *x = malloc(n * sizeof *x);
    assert_non_null(x);
    int widths[][2] = {{7, 7}, {0, 0}, {20, 30}, {10, 3}};
    for (size_t w = 0; w < 4; w++) {
        assert_int_equal(ot_cny_regressor_window(OT_FREQ_M,
                                                 ot_period_make(OT_FREQ_M, OT_CNY_FIRST_YEAR, 1), n,
                                                 widths[w][0], widths[w][1], x, NULL),
                         OT_OK);
        for (int k = 0; k < 12; k++) {
            double sum = 0, year = 0;
            for (size_t i = (size_t)k; i < n; i += 12)
                sum += x[i];
            for (int j = 0; j < 12; j++)
                year += x[j];
            NEAR(sum, 0.0, 1e-9);
            NEAR(year, 0.0, 1e-12); /* and each year sums to zero: the shares sum to 1 */
        }
    }
    free(x);
}

static void test_cny_regressor_errors(void **state)
{
    (void)state;
    double x[3] = {7, 7, 7};
    ot_err err;
    assert_int_equal(ot_cny_regressor(OT_FREQ_Q, ot_period_make(OT_FREQ_Q, 2020, 1), 3, x, &err),
                     OT_EINVAL);
    assert_string_equal(err.msg, "the Chinese New Year regressor needs monthly data, not Q");
    assert_int_equal(ot_cny_regressor(OT_FREQ_M, ot_period_make(OT_FREQ_M, 2050, 11), 3, x, &err),
                     OT_ERANGE);
    assert_string_equal(err.msg, "no Chinese New Year date for 2051 (the table covers 1990-2050)");
    assert_int_equal(ot_cny_regressor(OT_FREQ_M, ot_period_make(OT_FREQ_M, 1989, 12), 3, x, &err),
                     OT_ERANGE);
    assert_string_equal(err.msg, "no Chinese New Year date for 1989 (the table covers 1990-2050)");
    assert_int_equal(ot_cny_regressor_window(OT_FREQ_M, ot_period_make(OT_FREQ_M, 2020, 1), 3, 21,
                                             7, x, &err),
                     OT_EINVAL);
    assert_string_equal(err.msg, "Chinese New Year window 21 days before, 7 after: need 0..20 "
                                 "before, 0..30 after");
    assert_int_equal(ot_cny_regressor_window(OT_FREQ_M, ot_period_make(OT_FREQ_M, 2020, 1), 3, 7,
                                             -1, x, &err),
                     OT_EINVAL);
    assert_true(x[0] == 7 && x[1] == 7 && x[2] == 7); /* untouched */
    assert_int_equal(ot_cny_regressor(OT_FREQ_M, 0, 0, x, &err), OT_OK); /* n = 0: nothing */
}

/* A synthetic monthly series 2008-01..2019-12 (144 values) with known
 * effects: log y = log 100 + 0.01 t + s_k + b1 pre_t + b2 post_t + e_t, with
 * pre/post the methods' regressors (14 days before, 30 after), s_k a fixed
 * monthly pattern, e_t ~ N(0, 0.01^2) (MT19937, seed 42).  The twelve-month
 * differences remove the level, trend and pattern, so the OLS slopes are b1,
 * b2 plus noise of standard error about 0.01 sqrt(2) / sqrt(sum dx^2 (1 - r^2))
 * ~ 0.01 (sum dx^2 ~ 3 over 11 years for each, r the correlation of the two);
 * the tolerance 0.06 is six of them. */
#define NSYN 144
static void regs(ot_ord start, size_t n, double *pre, double *post)
{
    assert_int_equal(ot_cny_regressor_window(OT_FREQ_M, start, n, OT_CNY_PRE, 0, pre, NULL), OT_OK);
    assert_int_equal(ot_cny_regressor_window(OT_FREQ_M, start, n, 0, OT_CNY_POST, post, NULL), OT_OK);
}

static void synth(double b1, double b2, double sd, double *y)
{
    static const double pat[12] = {0.05, -0.2, 0.1, 0.0, 0.02, 0.04, 0.06, 0.03, 0.0, -0.02, 0.05, 0.1};
    double x1[NSYN], x2[NSYN];
    regs(ot_period_make(OT_FREQ_M, 2008, 1), NSYN, x1, x2);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 42);
    for (size_t t = 0; t < NSYN; t++)
        y[t] = 100.0 * exp(0.01 * (double)t + pat[t % 12] + b1 * x1[t] + b2 * x2[t] +
                           (sd > 0 ? gsl_ran_gaussian(r, sd) : 0.0));
    gsl_rng_free(r);
}

static double par(const ot_model *m, const char *name)
{
    for (size_t i = 0; i < m->npar; i++)
        if (strcmp(m->par_name[i], name) == 0)
            return m->par[i];
    fail_msg("no parameter %s", name);
    return NAN;
}

static void test_cny_recovers_effect(void **state)
{
    (void)state;
    double y[NSYN];
    synth(0.3, -0.2, 0.01, y);
    ot_series *s = ot_series_from(NULL, OT_FREQ_M, ot_period_make(OT_FREQ_M, 2008, 1), y, NSYN, NULL);
    assert_non_null(s);
    const char *meths[] = {"arima_cny", "ets_cny"};
    for (size_t k = 0; k < 2; k++) {
        ot_model *m = NULL;
        ot_err err;
        assert_int_equal(ot_model_fit(s, meths[k], NULL, &m, &err), OT_OK);
        NEAR(par(m, "cny_pre"), 0.3, 0.06);
        NEAR(par(m, "cny_post"), -0.2, 0.06);
        assert_non_null(strstr(m->desc, "+CNY"));
        assert_true(isfinite(m->aicc));
        ot_model_free(m);
    }
    ot_series_free(s);
    /* no noise: exact to rounding */
    synth(-0.25, 0.4, 0.0, y);
    s = ot_series_from(NULL, OT_FREQ_M, ot_period_make(OT_FREQ_M, 2008, 1), y, NSYN, NULL);
    ot_model *m = NULL;
    ot_model_opts o = {.spec = "(0,1,1)(0,1,1)"};
    assert_int_equal(ot_model_fit(s, "arima_cny", &o, &m, NULL), OT_OK);
    NEAR(par(m, "cny_pre"), -0.25, 1e-9);
    NEAR(par(m, "cny_post"), 0.4, 1e-9);
    ot_model_free(m);
    ot_series_free(s);
}

/* The wrapper's forecasts, bounds and paths are the inner method's on the
 * adjusted series y_t exp(-b1 pre_t - b2 post_t), times exp(b1 pre + b2 post)
 * of each future month: checked against "arima" fitted directly to that
 * series. */
static void test_cny_forecast_is_scaled_inner(void **state)
{
    (void)state;
    double y[NSYN], x1[NSYN + 14], x2[NSYN + 14], x[NSYN + 14];
    synth(0.3, -0.2, 0.01, y);
    ot_ord st = ot_period_make(OT_FREQ_M, 2008, 1);
    regs(st, NSYN + 14, x1, x2);
    ot_series *s = ot_series_from(NULL, OT_FREQ_M, st, y, NSYN, NULL);
    ot_model_opts o = {.spec = "(0,1,1)(0,1,1)"};
    ot_model *m = NULL, *mi = NULL;
    ot_err err;
    assert_int_equal(ot_model_fit(s, "arima_cny", &o, &m, &err), OT_OK);
    double b1 = par(m, "cny_pre"), b2 = par(m, "cny_post"), adj[NSYN];
    for (size_t t = 0; t < NSYN + 14; t++)
        x[t] = b1 * x1[t] + b2 * x2[t]; /* log factor */
    for (size_t t = 0; t < NSYN; t++)
        adj[t] = y[t] * exp(-x[t]);
    ot_series *sa = ot_series_from(NULL, OT_FREQ_M, st, adj, NSYN, NULL);
    assert_int_equal(ot_model_fit(sa, "arima", &o, &mi, &err), OT_OK);
    NEAR(m->fitted[20], mi->fitted[20] * exp(x[20]), 1e-9 * y[20]);
    ot_forecast *f = NULL, *fi = NULL;
    double lv = 95;
    assert_int_equal(ot_model_forecast(m, 14, &lv, 1, &f, &err), OT_OK);
    assert_int_equal(ot_model_forecast(mi, 14, &lv, 1, &fi, &err), OT_OK);
    for (size_t i = 0; i < 14; i++) {
        double fac = exp(x[NSYN + i]);
        NEAR(f->mean->v[i], fi->mean->v[i] * fac, 1e-9 * f->mean->v[i]);
        NEAR(f->lower[0]->v[i], fi->lower[0]->v[i] * fac, 1e-9 * f->mean->v[i]);
        NEAR(f->upper[0]->v[i], fi->upper[0]->v[i] * fac, 1e-9 * f->mean->v[i]);
    }
    double p[2 * 14], pi[2 * 14];
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 7);
    assert_int_equal(ot_model_simulate(m, 14, 2, r, p, &err), OT_OK);
    gsl_rng_set(r, 7);
    assert_int_equal(ot_model_simulate(mi, 14, 2, r, pi, &err), OT_OK);
    for (size_t i = 0; i < 28; i++)
        NEAR(p[i], pi[i] * exp(x[NSYN + i % 14]), 1e-9 * fabs(p[i]));
    gsl_rng_free(r);
    ot_forecast_free(f);
    ot_forecast_free(fi);
    ot_model_free(m);
    ot_model_free(mi);
    ot_series_free(s);
    ot_series_free(sa);
}

/* Combined period: with January's share of Jan+Feb exactly 0.5 + 0.5 x_Jan
 * every year, the share regression gives intercept 0.5 and slope 0.5; the
 * inner model sees Jan = Feb = (Jan+Feb)/2, and the forecast of January is
 * the inner one times 2 (0.5 + 0.5 x_Jan), February's times 2 (0.5 - 0.5 x_Jan). */
static void test_cny_jf(void **state)
{
    (void)state;
    double y[NSYN], x[NSYN + 14], half[NSYN];
    ot_ord st = ot_period_make(OT_FREQ_M, 2008, 1);
    assert_int_equal(ot_cny_regressor(OT_FREQ_M, st, NSYN + 14, x, NULL), OT_OK);
    synth(0.0, 0.0, 0.01, y);
    for (size_t t = 0; t < NSYN; t += 12) {
        double jf = y[t] + y[t + 1], sh = 0.5 + 0.5 * x[t];
        y[t] = sh * jf, y[t + 1] = (1 - sh) * jf;
    }
    memcpy(half, y, sizeof y);
    for (size_t t = 0; t < NSYN; t += 12)
        half[t] = half[t + 1] = (y[t] + y[t + 1]) / 2;
    ot_series *s = ot_series_from(NULL, OT_FREQ_M, st, y, NSYN, NULL);
    ot_series *sh = ot_series_from(NULL, OT_FREQ_M, st, half, NSYN, NULL);
    ot_model_opts o = {.spec = "(0,1,1)(0,1,1)"};
    ot_model *m = NULL, *mi = NULL;
    ot_err err;
    assert_int_equal(ot_model_fit(s, "arima_jf", &o, &m, &err), OT_OK);
    NEAR(par(m, "jf_share"), 0.5, 1e-9);
    NEAR(par(m, "jf_slope"), 0.5, 1e-9);
    assert_true(isnan(m->aicc));
    assert_int_equal(ot_model_fit(sh, "arima", &o, &mi, &err), OT_OK);
    ot_forecast *f = NULL, *fi = NULL;
    assert_int_equal(ot_model_forecast(m, 14, NULL, 0, &f, &err), OT_OK);
    assert_int_equal(ot_model_forecast(mi, 14, NULL, 0, &fi, &err), OT_OK);
    NEAR(f->mean->v[0], fi->mean->v[0] * (1 + x[NSYN]), 1e-9 * f->mean->v[0]);
    NEAR(f->mean->v[1], fi->mean->v[1] * (1 - x[NSYN]), 1e-9 * f->mean->v[1]);
    NEAR(f->mean->v[5], fi->mean->v[5], 1e-9 * f->mean->v[5]);
    NEAR(f->mean->v[12], fi->mean->v[12] * (1 + x[NSYN + 12]), 1e-9 * f->mean->v[12]);
    ot_forecast_free(f);
    ot_forecast_free(fi);
    ot_model_free(m);
    ot_model_free(mi);
    ot_series_free(s);
    ot_series_free(sh);
}

static void test_cny_fit_errors(void **state)
{
    (void)state;
    double y[NSYN];
    synth(0.3, -0.2, 0.01, y);
    ot_model *m = NULL;
    ot_err err;
    ot_series *s = ot_series_from(NULL, OT_FREQ_Q, ot_period_make(OT_FREQ_Q, 2008, 1), y, 40, NULL);
    assert_int_equal(ot_model_fit(s, "ets_cny", NULL, &m, &err), OT_EDATA);
    assert_string_equal(err.msg, "ets_cny: needs monthly data with period 12");
    ot_series_free(s);
    s = ot_series_from(NULL, OT_FREQ_M, ot_period_make(OT_FREQ_M, 2008, 1), y, 24, NULL);
    assert_int_equal(ot_model_fit(s, "arima_cny", NULL, &m, &err), OT_EDATA);
    assert_string_equal(err.msg, "arima_cny: needs at least 25 monthly values, got 24");
    ot_series_free(s);
    s = ot_series_from(NULL, OT_FREQ_M, ot_period_make(OT_FREQ_M, 2008, 1), y, 60, NULL);
    ot_model_opts o6 = {.period = 6};
    assert_int_equal(ot_model_fit(s, "arima_cny", &o6, &m, &err), OT_EDATA);
    assert_string_equal(err.msg, "arima_cny: needs monthly data with period 12");
    assert_null(m);
    ot_series_free(s);
    y[4] = -1;
    s = ot_series_from(NULL, OT_FREQ_M, ot_period_make(OT_FREQ_M, 2008, 1), y, 60, NULL);
    assert_int_equal(ot_model_fit(s, "arima_jf", NULL, &m, &err), OT_EDATA);
    assert_string_equal(err.msg, "arima_jf: needs positive values, got -1 at 5");
    ot_series_free(s);
    synth(0.3, -0.2, 0.01, y);
    /* the data end in December 2049: a 24-month forecast reaches 2051 */
    s = ot_series_from(NULL, OT_FREQ_M, ot_period_make(OT_FREQ_M, 2038, 1), y, NSYN, NULL);
    assert_int_equal(ot_model_fit(s, "ets_cny", NULL, &m, &err), OT_OK);
    ot_forecast *f = NULL;
    assert_int_equal(ot_model_forecast(m, 24, NULL, 0, &f, &err), OT_ERANGE);
    assert_string_equal(err.msg, "no Chinese New Year date for 2051 (the table covers 1990-2050)");
    assert_null(f);
    double p[24];
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    assert_int_equal(ot_model_simulate(m, 24, 1, r, p, &err), OT_ERANGE);
    assert_int_equal(ot_model_forecast(m, 12, NULL, 0, &f, &err), OT_OK);
    gsl_rng_free(r);
    ot_forecast_free(f);
    ot_model_free(m);
    ot_series_free(s);
    /* data before the table */
    s = ot_series_from(NULL, OT_FREQ_M, ot_period_make(OT_FREQ_M, 1985, 1), y, NSYN, NULL);
    assert_int_equal(ot_model_fit(s, "ets_cny", NULL, &m, &err), OT_ERANGE);
    assert_string_equal(err.msg, "no Chinese New Year date for 1985 (the table covers 1990-2050)");
    ot_series_free(s);
}

/* Fit, forecast and simulate under allocation failure N = 1, 2, ... until
 * all succeed: always OT_ENOMEM "out of memory", never a leak. */
static void test_cny_alloc_failure(void **state)
{
    (void)state;
    static const char *meths[] = {"arima_cny", "ets_cny", "arima_jf", "ets_jf"};
    double y[NSYN];
    synth(0.3, -0.2, 0.01, y);
    for (size_t k = 0; k < 4; k++) {
        for (int n = 1;; n++) {
            failalloc fa = {0};
            ot_alloc a = {failalloc_f, &fa};
            ot_err err;
            ot_series *s = ot_series_from(&a, OT_FREQ_M, ot_period_make(OT_FREQ_M, 2008, 1), y, 60, &err);
            assert_non_null(s);
            fa.calls = 0;
            fa.fail_at = n;
            ot_model *m = NULL;
            ot_forecast *f = NULL;
            ot_model_opts o = {.spec = k % 2 ? "MAM" : "(0,1,1)(0,1,1)"};
            double lv = 90, p[6];
            gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
            int rc = ot_model_fit(s, meths[k], &o, &m, &err);
            if (rc == OT_OK)
                rc = ot_model_forecast(m, 3, &lv, 1, &f, &err);
            if (rc == OT_OK)
                rc = ot_model_simulate(m, 3, 2, r, p, &err);
            if (rc != OT_OK) {
                assert_int_equal(rc, OT_ENOMEM);
                assert_string_equal(err.msg, "out of memory");
            }
            gsl_rng_free(r);
            ot_forecast_free(f);
            ot_model_free(m);
            ot_series_free(s);
            assert_int_equal(fa.blocks, 0);
            if (rc == OT_OK)
                break;
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cny_dates),
        cmocka_unit_test(test_cny_dates_in_range),
        cmocka_unit_test(test_cny_regressor_values),
        cmocka_unit_test(test_cny_regressor_centred),
        cmocka_unit_test(test_cny_regressor_errors),
        cmocka_unit_test(test_cny_recovers_effect),
        cmocka_unit_test(test_cny_forecast_is_scaled_inner),
        cmocka_unit_test(test_cny_jf),
        cmocka_unit_test(test_cny_fit_errors),
        cmocka_unit_test(test_cny_alloc_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
