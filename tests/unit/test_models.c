/* test_models.c — the model interface (model.c) and the benchmark methods
 * (naive.c, decomp.c): hand-computed forecasts, intervals, likelihoods,
 * simulation and every failure path. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "models/decomp.h"
#include "models/model.h"
#include "failalloc.h"

#define NEAR(a, b, tol) assert_true(fabs((a) - (b)) <= (tol))

static ot_series *mk(ot_freq f, ot_ord start, const double *v, size_t n)
{
    ot_err err;
    ot_series *s = ot_series_from(NULL, f, start, v, n, &err);
    assert_non_null(s);
    return s;
}

static ot_model *fit(const ot_series *s, const char *method)
{
    ot_err err;
    ot_model *m = NULL;
    int rc = ot_model_fit(s, method, NULL, &m, &err);
    if (rc != OT_OK)
        fail_msg("fit %s: %s", method, err.msg);
    return m;
}

/* y = 1 3 2 5 4 6 (years 2000..2005); differences 2 -1 3 -1 2. */
static const double Y6[] = {1, 3, 2, 5, 4, 6};

/* naive: mse = (4 + 1 + 9 + 1 + 4) / 5 = 3.8; forecast 6; h = 2 at 95%:
 * 6 + 1.959964 sqrt(2 * 3.8) = 11.403248.  loglik over the 5 residuals:
 * -5/2 (log(2 pi 3.8) + 1) = -10.432195; AIC = 20.864391 + 2 = 22.864391. */
static void test_models_naive_forecast(void **state)
{
    ot_series *s = mk(OT_FREQ_Y, 2000, Y6, 6);
    ot_model *m = fit(s, "naive");
    NEAR(m->sigma2, 3.8, 1e-12);
    NEAR(m->loglik, -10.432195332854214, 1e-9);
    NEAR(m->aic, 22.864390665708428, 1e-9);
    NEAR(m->fitted[1], 1.0, 0);
    NEAR(m->resid[5], 2.0, 1e-12);
    assert_true(isnan(m->fitted[0]));
    double lv[] = {80, 95};
    ot_forecast *f = NULL;
    ot_err err;
    assert_int_equal(ot_model_forecast(m, 3, lv, 2, &f, &err), OT_OK);
    assert_int_equal(f->mean->start, 2006);
    assert_int_equal(f->mean->n, 3);
    NEAR(f->mean->v[2], 6.0, 0);
    NEAR(f->upper[1]->v[1], 11.403247823048222, 1e-6);
    NEAR(f->lower[1]->v[1], 6.0 - 5.403247823048222, 1e-6);
    /* h = 1 at 80%: 6 +- 1.281552 sqrt(3.8) = 6 +- 2.498204 */
    NEAR(f->upper[0]->v[0], 8.498203910326236, 1e-9);
    ot_forecast_free(f);
    ot_model_free(m);
    ot_series_free(s);
}

/* drift: b = (6 - 1) / 5 = 1; residuals 1 -2 2 -2 1, mse = 14 / 5 = 2.8;
 * se(b) = sqrt(14 / 4) / sqrt(5) = 0.836660; h = 2: 6 + 2 = 8,
 * se = sqrt(2.8 * 2 + 4 * 0.7) = sqrt(8.4); 80%: 8 + 1.281552 sqrt(8.4) = 11.714289. */
static void test_models_drift_forecast(void **state)
{
    ot_series *s = mk(OT_FREQ_Y, 2000, Y6, 6);
    ot_model *m = fit(s, "drift");
    assert_int_equal(m->npar, 1);
    assert_string_equal(m->par_name[0], "drift");
    NEAR(m->par[0], 1.0, 1e-12);
    NEAR(m->sigma2, 2.8, 1e-12);
    NEAR(m->resid[2], -2.0, 1e-12);
    double lv = 80;
    ot_forecast *f = NULL;
    ot_err err;
    assert_int_equal(ot_model_forecast(m, 2, &lv, 1, &f, &err), OT_OK);
    NEAR(f->mean->v[0], 7.0, 1e-12);
    NEAR(f->mean->v[1], 8.0, 1e-12);
    NEAR(f->upper[0]->v[1], 11.714289311195138, 1e-6);
    ot_forecast_free(f);
    ot_model_free(m);
    ot_series_free(s);
}

/* mean: ybar = 21 / 6 = 3.5, s^2 = 17.5 / 5 = 3.5, se = sqrt(3.5 * 7 / 6) = 2.020726;
 * 95% with t_5 = 2.570582: 3.5 + 5.194441 = 8.694441. */
static void test_models_mean_forecast(void **state)
{
    ot_series *s = mk(OT_FREQ_Y, 2000, Y6, 6);
    ot_model *m = fit(s, "mean");
    NEAR(m->sigma2, 3.5, 1e-12);
    NEAR(m->fitted[0], 3.5, 1e-12);
    NEAR(m->resid[0], -2.5, 1e-12);
    double lv = 95;
    ot_forecast *f = NULL;
    ot_err err;
    assert_int_equal(ot_model_forecast(m, 4, &lv, 1, &f, &err), OT_OK);
    NEAR(f->mean->v[3], 3.5, 1e-12);
    NEAR(f->upper[0]->v[3], 8.694441401725058, 1e-6);
    ot_forecast_free(f);
    ot_model_free(m);
    ot_series_free(s);
}

/* snaive, quarterly from 2000Q1: lag-4 differences 4-1 = 3, 6-3 = 3, mse = 9;
 * forecasts repeat the last year 2 5 4 6; h = 5 is in the second year:
 * se = 3 sqrt(2), 95% upper 2 + 1.959964 * 4.242641 = 10.315423. */
static void test_models_snaive_forecast(void **state)
{
    ot_series *s = mk(OT_FREQ_Q, 2000 * 4, Y6, 6);
    ot_model *m = fit(s, "snaive");
    assert_int_equal(m->period, 4);
    NEAR(m->sigma2, 9.0, 1e-12);
    NEAR(m->fitted[4], 1.0, 0);
    double lv = 95;
    ot_forecast *f = NULL;
    ot_err err;
    assert_int_equal(ot_model_forecast(m, 5, &lv, 1, &f, &err), OT_OK);
    assert_int_equal(f->mean->start, 2000 * 4 + 6);
    double want[] = {2, 5, 4, 6, 2};
    for (int i = 0; i < 5; i++)
        NEAR(f->mean->v[i], want[i], 0);
    NEAR(f->upper[0]->v[4], 2 + 1.959963984540054 * 3 * sqrt(2.0), 1e-9);
    NEAR(f->upper[0]->v[3], 6 + 1.959963984540054 * 3, 1e-9);
    ot_forecast_free(f);
    ot_model_free(m);
    ot_series_free(s);
}

/* y = 10 s_t with s = 0.8 1.2 1.1 0.9 over 3 years: r_1..r_4 = -1/6, -2/3, 0, 2/3;
 * threshold 1.645 sqrt((1 + 2 (1/36 + 4/9)) / 12) = 0.662116 < 2/3, so seasonal.
 * The centred 2x4 average is 10 everywhere, the indices are s exactly, the
 * adjusted series is constant 10 and the forecasts are 10 s. */
static void test_models_naive2_seasonal(void **state)
{
    double s4[] = {0.8, 1.2, 1.1, 0.9}, y[12];
    for (int i = 0; i < 12; i++)
        y[i] = 10 * s4[i % 4];
    assert_int_equal(ot_seasonal_test(y, 12, 4, 12), 1);
    assert_int_equal(ot_seasonal_test(y, 12, 4, 13), 0); /* too short for min_n */
    double idx[4];
    assert_int_equal(ot_decompose(y, 12, 4, 1, idx), 0);
    for (int j = 0; j < 4; j++)
        NEAR(idx[j], s4[j], 1e-12);
    ot_series *s = mk(OT_FREQ_Q, 2000 * 4, y, 12);
    ot_model *m = fit(s, "naive2");
    assert_string_equal(m->desc, "Naive2 (seasonally adjusted, m=4)");
    NEAR(m->sigma2, 0.0, 1e-20);
    ot_forecast *f = NULL;
    ot_err err;
    assert_int_equal(ot_model_forecast(m, 5, NULL, 0, &f, &err), OT_OK);
    double want[] = {8, 12, 11, 9, 8};
    for (int i = 0; i < 5; i++)
        NEAR(f->mean->v[i], want[i], 1e-12);
    ot_forecast_free(f);
    ot_model_free(m);
    ot_series_free(s);

    /* 6 quarters are too few for the test: naive2 is then naive */
    s = mk(OT_FREQ_Q, 2000 * 4, Y6, 6);
    m = fit(s, "naive2");
    assert_string_equal(m->desc, "Naive2 (not seasonal)");
    NEAR(m->sigma2, 3.8, 1e-12);
    ot_model_free(m);
    ot_series_free(s);
}

/* Additive decomposition of an odd period: m = 3, y = t + (1, -1, 0):
 * the centred 3-term average of t is t, so the figures are 1, -1, 0. */
static void test_models_decompose_additive_odd(void **state)
{
    double y[9], idx[3], s3[] = {1, -1, 0};
    for (int i = 0; i < 9; i++)
        y[i] = i + s3[i % 3];
    assert_int_equal(ot_decompose(y, 9, 3, 0, idx), 0);
    for (int j = 0; j < 3; j++)
        NEAR(idx[j], s3[j], 1e-12);
    assert_int_equal(ot_decompose(y, 5, 3, 0, idx), -1); /* fewer than 2 periods */
    /* acf of 1 2 3 4: mean 2.5, lag 1: (-1.5 -0.5 + -0.5 0.5 + 0.5 1.5) / 5 = 0.25 */
    double z[] = {1, 2, 3, 4};
    NEAR(ot_acf(z, 4, 1), 0.25, 1e-12);
}

/* Missing values: leading and trailing NaN are dropped (the model starts at
 * the first value); an inside gap is interpolated (2 NaN 6 -> 2 4 6). */
static void test_models_fit_stretch(void **state)
{
    double v[] = {NAN, 2, NAN, 6, 7, NAN};
    ot_series *s = mk(OT_FREQ_Y, 2000, v, 6);
    ot_model *m = fit(s, "naive");
    assert_int_equal(m->start, 2001);
    assert_int_equal(m->n, 4);
    NEAR(m->fitted[2], 4.0, 1e-12); /* the interpolated value */
    ot_forecast *f = NULL;
    ot_err err;
    assert_int_equal(ot_model_forecast(m, 1, NULL, 0, &f, &err), OT_OK);
    assert_int_equal(f->mean->start, 2005);
    NEAR(f->mean->v[0], 7.0, 0);
    ot_forecast_free(f);
    ot_model_free(m);
    ot_series_free(s);
}

/* Simulated paths agree with the analytic moments: the drift model at h = 2
 * has mean 8 and variance 8.4 (see test_models_drift_forecast); 20000 paths
 * give the mean within 4 standard errors (4 sqrt(8.4 / 20000) = 0.082) and the
 * variance within 5%.  The same seed gives the same paths. */
static void test_models_simulate_moments(void **state)
{
    ot_series *s = mk(OT_FREQ_Y, 2000, Y6, 6);
    ot_model *m = fit(s, "drift");
    size_t np = 20000;
    double *p = malloc(np * 2 * sizeof *p), *q = malloc(np * 2 * sizeof *q);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 42);
    ot_err err;
    assert_int_equal(ot_model_simulate(m, 2, np, r, p, &err), OT_OK);
    double mu = 0, ss = 0;
    for (size_t i = 0; i < np; i++)
        mu += p[i * 2 + 1];
    mu /= (double)np;
    for (size_t i = 0; i < np; i++)
        ss += (p[i * 2 + 1] - mu) * (p[i * 2 + 1] - mu);
    NEAR(mu, 8.0, 0.082);
    NEAR(ss / (double)(np - 1), 8.4, 0.42);
    gsl_rng_set(r, 42);
    assert_int_equal(ot_model_simulate(m, 2, np, r, q, &err), OT_OK);
    assert_memory_equal(p, q, np * 2 * sizeof *p);
    gsl_rng_free(r);
    free(q);
    free(p);
    ot_model_free(m);
    ot_series_free(s);
}

static void test_models_errors(void **state)
{
    ot_series *s = mk(OT_FREQ_Y, 2000, Y6, 6);
    ot_model *m = NULL;
    ot_err err;
    assert_int_equal(ot_model_fit(s, "prophet", NULL, &m, &err), OT_EINVAL);
    assert_string_equal(err.msg, "unknown method 'prophet' (known: naive, snaive, drift, mean, "
                                 "naive2, ets, theta, otm, arima, combo, auto, arima_cny, ets_cny, "
                                 "arima_jf, ets_jf)");
    assert_null(m);
    /* every name listed is found */
    char names[256];
    snprintf(names, sizeof names, "%s", ot_method_names());
    for (char *t = strtok(names, ", "); t; t = strtok(NULL, ", "))
        assert_non_null(ot_method_find(t));
    assert_int_equal(ot_model_fit(s, "snaive", NULL, &m, &err), OT_EDATA);
    assert_string_equal(err.msg, "snaive: needs a seasonal period above 1, got 1");
    ot_model_opts o = {.period = 4};
    assert_int_equal(ot_model_fit(s, "snaive", &o, &m, &err), OT_OK);
    ot_model_free(m);
    m = NULL;
    o.period = 6;
    assert_int_equal(ot_model_fit(s, "snaive", &o, &m, &err), OT_EDATA);
    assert_string_equal(err.msg, "snaive: needs at least 7 values, got 6");
    o.period = -1;
    assert_int_equal(ot_model_fit(s, "naive", &o, &m, &err), OT_EINVAL);
    assert_string_equal(err.msg, "seasonal period -1 out of range 0..366");
    ot_series_free(s);

    double nan3[] = {NAN, NAN, NAN};
    s = mk(OT_FREQ_Y, 2000, nan3, 3);
    assert_int_equal(ot_model_fit(s, "mean", NULL, &m, &err), OT_EDATA);
    assert_string_equal(err.msg, "mean: the series has no values");
    ot_series_free(s);
    double inf[] = {1, INFINITY, 2};
    s = mk(OT_FREQ_Y, 2000, inf, 3);
    assert_int_equal(ot_model_fit(s, "mean", NULL, &m, &err), OT_EDATA);
    assert_string_equal(err.msg, "mean: the series holds an infinite value");
    ot_series_free(s);
    assert_null(m);

    s = mk(OT_FREQ_Y, 2000, Y6, 6);
    m = fit(s, "naive");
    ot_forecast *f = NULL;
    double bad = 100;
    assert_int_equal(ot_model_forecast(m, 0, NULL, 0, &f, &err), OT_EINVAL);
    assert_string_equal(err.msg, "forecast horizon 0 out of range 1..100000");
    assert_int_equal(ot_model_forecast(m, 2, &bad, 1, &f, &err), OT_EINVAL);
    assert_string_equal(err.msg, "interval level 100 is not between 0 and 100");
    double many[9] = {50, 50, 50, 50, 50, 50, 50, 50, 50};
    assert_int_equal(ot_model_forecast(m, 2, many, 9, &f, &err), OT_EINVAL);
    assert_string_equal(err.msg, "at most 8 interval levels, got 9");
    assert_null(f);
    double p[2];
    assert_int_equal(ot_model_simulate(m, 2, 1, NULL, p, &err), OT_EINVAL);
    assert_string_equal(err.msg, "simulate needs a model, a generator and an output");
    ot_model_free(m);
    ot_series_free(s);
}

/* Calibrated intervals (OT_PI_CV) of naive on 1 3 2 5 4 6: refits at the
 * last n/2 = 3 origins t = 3, 4, 5 (model.c, cv_calibrate):
 *   t = 3: 1 3 2, mse (4 + 1) / 2 = 2.5, forecast 2; errors 3, 2, 4 at steps
 *          1..3, r^2 = 9 / 2.5 = 3.6, 4 / 5 = 0.8, 16 / 7.5 = 2.133333;
 *   t = 4: mse 14 / 3, forecast 5; errors -1, 1: r^2 = 3 / 14, 3 / 28;
 *   t = 5: mse 15 / 4, forecast 4; error 2: r^2 = 4 / 3.75 = 1.066667.
 * Step 1: k = sqrt((3.6 + 3/14 + 1.066667) / 3) = 1.275533 on 3 errors;
 * step 2: sqrt((0.8 + 3/28) / 2) = 0.673 -> 1 (never narrower) on 2 errors;
 * step 3 has one error and keeps step 2's factor.  Bounds widen by
 * k t_nu(q) / z(q) around 6, the model's half-widths z(q) sqrt(3.8 h):
 *   80%, h = 1: 6 + 1.281552 sqrt(3.8) 1.275533 (1.637744 / 1.281552) = 10.072204
 *   95%, h = 1: 6 - 1.959964 sqrt(3.8) 1.275533 (3.182446 / 1.959964) = -1.913062
 *   95%, h = 2: 6 + 4.302653 sqrt(7.6) = 17.861595
 *   80%, h = 3: 6 + 1.885618 sqrt(11.4) = 12.366579
 * (R: k1 = sqrt((3.6+3/14+4/3.75)/3); 6 + sqrt(3.8) * k1 * qt(.9, 3), ...)
 * Paths: the model's paths moved away from the forecast 6 by k at step 1. */
static void test_models_cv_intervals(void **state)
{
    ot_series *s = mk(OT_FREQ_Y, 2000, Y6, 6);
    ot_model_opts o = {.intervals = OT_PI_CV};
    ot_model *m = NULL, *plain = fit(s, "naive");
    ot_err err;
    assert_int_equal(ot_model_fit(s, "naive", &o, &m, &err), OT_OK);
    assert_int_equal(m->intervals, OT_PI_CV);
    assert_non_null(m->y);
    NEAR(m->sigma2, 3.8, 1e-12); /* the fit itself is unchanged */
    double lv[] = {80, 95};
    ot_forecast *f = NULL;
    assert_int_equal(ot_model_forecast(m, 3, lv, 2, &f, &err), OT_OK);
    NEAR(f->mean->v[0], 6.0, 0);
    NEAR(f->upper[0]->v[0], 10.072204383847, 1e-9);
    NEAR(f->lower[1]->v[0], -1.913061502234, 1e-9);
    NEAR(f->upper[1]->v[1], 17.861594998036, 1e-9);
    NEAR(f->upper[0]->v[2], 12.366579406034, 1e-9);
    ot_forecast_free(f);

    gsl_rng *r1 = gsl_rng_alloc(gsl_rng_mt19937), *r2 = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r1, 7);
    gsl_rng_set(r2, 7);
    double pc[2 * 5], pm[2 * 5];
    assert_int_equal(ot_model_simulate(m, 2, 5, r1, pc, &err), OT_OK);
    assert_int_equal(ot_model_simulate(plain, 2, 5, r2, pm, &err), OT_OK);
    for (size_t p = 0; p < 5; p++) {
        NEAR(pc[p * 2], 6.0 + (pm[p * 2] - 6.0) * 1.275532879617, 1e-9);
        NEAR(pc[p * 2 + 1], pm[p * 2 + 1], 1e-12); /* step 2: k = 1 */
    }
    gsl_rng_free(r1);
    gsl_rng_free(r2);
    ot_model_free(m);
    ot_model_free(plain);

    /* ets names the model it chose, and refitting that spec gives it back */
    static const double q[] = {112, 118, 132, 129, 121, 135, 148, 148, 136, 119, 104, 118,
                               115, 126, 141, 135, 125, 149, 170, 170, 158, 133, 114, 140};
    ot_series *sq = mk(OT_FREQ_Q, 8000, q, 24);
    ot_model *e1 = fit(sq, "ets"), *e2 = NULL;
    assert_true(strlen(e1->spec_used) >= 3);
    ot_model_opts o2 = {.spec = e1->spec_used};
    assert_int_equal(ot_model_fit(sq, "ets", &o2, &e2, &err), OT_OK);
    assert_string_equal(e1->desc, e2->desc);
    NEAR(e1->loglik, e2->loglik, 1e-9);
    /* auto names its parts' choices: "mean:ets=XXX,theta" */
    ot_model *a = fit(sq, "auto");
    assert_true(strncmp(a->spec_used, "mean:ets=", 9) == 0);
    assert_non_null(strstr(a->spec_used, ",theta"));
    ot_model_free(a);
    /* a part may carry its own spec, commas inside parentheses included */
    ot_model_opts o3 = {.spec = "median:ets=ANN,arima=(0,1,1)"};
    assert_int_equal(ot_model_fit(sq, "combo", &o3, &a, &err), OT_OK);
    assert_non_null(strstr(a->desc, "ETS(A,N,N)"));
    assert_non_null(strstr(a->desc, "ARIMA(0,1,1)"));
    assert_string_equal(a->spec_used, "median:ets=ANN,arima=(0,1,1)(0,0,0)-c");
    ot_model_free(a);
    ot_model_free(e2);
    ot_model_free(e1);
    ot_series_free(sq);

    o.intervals = 2;
    assert_int_equal(ot_model_fit(s, "naive", &o, &m, &err), OT_EINVAL);
    assert_string_equal(err.msg, "intervals 2 is neither model (0) nor cv (1)");
    ot_series_free(s);
}

/* A stop request (ot_models_interrupt) makes fits, batches and calibrated
 * forecasts return OT_ELIMIT with its message, nothing half made; cleared,
 * everything works again. */
static void test_models_interrupt(void **state)
{
    ot_series *s = mk(OT_FREQ_Y, 2000, Y6, 6);
    const ot_series *ys[3] = {s, s, s};
    ot_model *m = NULL, *ms[3] = {NULL, NULL, NULL};
    ot_err err;
    ot_models_interrupt(OT_STOP_INTERRUPT);
    assert_int_equal(ot_models_interrupted(), OT_STOP_INTERRUPT);
    assert_int_equal(ot_model_fit(s, "auto", NULL, &m, &err), OT_ELIMIT);
    assert_string_equal(err.msg, "interrupted!");
    assert_null(m);
    assert_int_equal(ot_model_fit_many(ys, 3, "naive", NULL, 2, ms, NULL, &err), OT_ELIMIT);
    assert_string_equal(err.msg, "interrupted!");
    for (int i = 0; i < 3; i++)
        assert_null(ms[i]);
    ot_models_resume();
    ot_model_opts o = {.intervals = OT_PI_CV};
    assert_int_equal(ot_model_fit(s, "naive", &o, &m, &err), OT_OK);
    ot_models_interrupt(OT_STOP_TIME); /* the calibration refits stop */
    double lv = 80;
    ot_forecast *f = NULL;
    assert_int_equal(ot_model_forecast(m, 2, &lv, 1, &f, &err), OT_ELIMIT);
    assert_string_equal(err.msg, "time limit exceeded inside an engine call");
    assert_null(f);
    ot_models_resume();
    assert_int_equal(ot_models_interrupted(), 0);
    assert_int_equal(ot_model_forecast(m, 2, &lv, 1, &f, &err), OT_OK);
    ot_forecast_free(f);
    ot_model_free(m);
    assert_int_equal(ot_model_fit_many(ys, 3, "naive", NULL, 2, ms, NULL, &err), OT_OK);
    for (int i = 0; i < 3; i++)
        ot_model_free(ms[i]);
    ot_series_free(s);
}

/* Fitting and forecasting every method (with model, then calibrated
 * intervals) under allocation failure N = 1, 2, ... until it succeeds:
 * always OT_ENOMEM with "out of memory", never a leak. */
static void test_models_alloc_failure(void **state)
{
    static const char *meths[] = {"naive", "snaive", "drift", "mean", "naive2", "ets", "theta",
                                  "arima", "auto", "combo"};
    for (size_t kk = 0; kk < 2 * (sizeof meths / sizeof meths[0]); kk++) {
        size_t k = kk % (sizeof meths / sizeof meths[0]);
        int cv = kk >= sizeof meths / sizeof meths[0]; /* then with calibrated intervals */
        for (int n = 1;; n++) {
            failalloc fa = {0};
            ot_alloc a = {failalloc_f, &fa};
            ot_err err;
            ot_series *s = ot_series_from(&a, OT_FREQ_Q, 8000, Y6, 6, &err);
            assert_non_null(s);
            fa.calls = 0;
            fa.fail_at = n;
            ot_model *m = NULL;
            ot_forecast *f = NULL;
            double lv = 90;
            ot_model_opts o = {.intervals = cv ? OT_PI_CV : OT_PI_MODEL};
            int rc = ot_model_fit(s, meths[k], &o, &m, &err);
            if (rc == OT_OK)
                rc = ot_model_forecast(m, 3, &lv, 1, &f, &err);
            if (rc != OT_OK) {
                assert_int_equal(rc, OT_ENOMEM);
                assert_string_equal(err.msg, "out of memory");
            }
            ot_forecast_free(f);
            ot_model_free(m);
            ot_series_free(s);
            assert_int_equal(fa.blocks, 0);
            if (rc == OT_OK)
                break;
        }
    }
}

/* combo "median:naive,drift,mean" on 1 3 2 5 4 6: the parts forecast
 * 6 (naive), 6 + h (drift, b = 1), 3.5 (mean), so the median is 6 at every
 * h; "mean:..." gives (6 + 7 + 3.5) / 3 = 5.5 at h = 1.  auto is the mean
 * of ets and theta.  Paths are a mixture: with 3 parts, path 1 comes from
 * drift, whose h = 1 draws centre on 7 (checked over 3000 paths: mean of
 * paths 1, 4, 7, ... within 4 standard errors, 4 sqrt(2.8 + 0.7) / sqrt(1000)). */
static void test_models_combo(void **state)
{
    ot_series *s = mk(OT_FREQ_Y, 2000, Y6, 6);
    ot_model_opts o = {.spec = "median:naive,drift,mean"};
    ot_model *m = NULL;
    ot_err err;
    assert_int_equal(ot_model_fit(s, "combo", &o, &m, &err), OT_OK);
    assert_string_equal(m->desc, "Median(Naive, Random walk with drift, Mean)");
    ot_forecast *f = NULL;
    double lv = 80;
    assert_int_equal(ot_model_forecast(m, 3, &lv, 1, &f, &err), OT_OK);
    for (int i = 0; i < 3; i++)
        NEAR(f->mean->v[i], 6.0, 1e-12);
    ot_forecast_free(f);
    size_t np = 3000;
    double *p = malloc(np * sizeof *p);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 5);
    assert_int_equal(ot_model_simulate(m, 1, np, r, p, &err), OT_OK);
    double mu = 0;
    for (size_t i = 1; i < np; i += 3)
        mu += p[i] / 1000.0;
    NEAR(mu, 7.0, 4 * sqrt(3.5) / sqrt(1000.0));
    gsl_rng_free(r);
    free(p);
    ot_model_free(m);
    o.spec = "mean:naive,drift,mean";
    assert_int_equal(ot_model_fit(s, "combo", &o, &m, &err), OT_OK);
    assert_int_equal(ot_model_forecast(m, 1, NULL, 0, &f, &err), OT_OK);
    NEAR(f->mean->v[0], 5.5, 1e-12);
    ot_forecast_free(f);
    ot_model_free(m);
    m = NULL;

    o.spec = "naive,auto";
    assert_int_equal(ot_model_fit(s, "combo", &o, &m, &err), OT_EINVAL);
    assert_string_equal(err.msg, "combo: 'auto' cannot be combined (known: naive, snaive, drift, "
                                 "mean, naive2, ets, theta, otm, arima, combo, auto, arima_cny, "
                                 "ets_cny, arima_jf, ets_jf)");
    o.spec = "naive,,drift";
    assert_int_equal(ot_model_fit(s, "combo", &o, &m, &err), OT_EINVAL);
    assert_string_equal(err.msg, "combo: bad method list 'naive,,drift'");
    o.spec = "snaive";
    assert_int_equal(ot_model_fit(s, "combo", &o, &m, &err), OT_EDATA);
    assert_string_equal(err.msg, "combo: no part could be fitted: snaive: needs a seasonal period "
                                 "above 1, got 1");
    assert_null(m);
    /* auto's own failure is named auto, not combo (the method the caller asked for) */
    o.spec = NULL;
    double three[] = {12, 14, 16};
    ot_series *s3 = ot_series_from(NULL, OT_FREQ_Y, 2000, three, 3, &err);
    assert_int_equal(ot_model_fit(s3, "auto", &o, &m, &err), OT_EDATA);
    assert_string_equal(err.msg, "auto: no part could be fitted: theta: needs at least 4 values, "
                                 "got 3");
    assert_null(m);
    ot_series_free(s3);
    ot_series_free(s);

    /* auto = mean of ets and theta, element by element */
    double v[30];
    for (int i = 0; i < 30; i++)
        v[i] = 50 + i + 5 * sin(i);
    s = mk(OT_FREQ_Y, 1990, v, 30);
    ot_model *a = NULL, *e = NULL, *t = NULL;
    ot_forecast *fa, *fe, *ft;
    assert_int_equal(ot_model_fit(s, "auto", NULL, &a, &err), OT_OK);
    assert_int_equal(ot_model_fit(s, "ets", NULL, &e, &err), OT_OK);
    assert_int_equal(ot_model_fit(s, "theta", NULL, &t, &err), OT_OK);
    assert_int_equal(ot_model_forecast(a, 4, &lv, 1, &fa, &err), OT_OK);
    assert_int_equal(ot_model_forecast(e, 4, &lv, 1, &fe, &err), OT_OK);
    assert_int_equal(ot_model_forecast(t, 4, &lv, 1, &ft, &err), OT_OK);
    for (int i = 0; i < 4; i++) {
        NEAR(fa->mean->v[i], (fe->mean->v[i] + ft->mean->v[i]) / 2, 1e-9);
        NEAR(fa->upper[0]->v[i], (fe->upper[0]->v[i] + ft->upper[0]->v[i]) / 2, 1e-9);
    }
    ot_forecast_free(fa);
    ot_forecast_free(fe);
    ot_forecast_free(ft);
    ot_model_free(a);
    ot_model_free(e);
    ot_model_free(t);
    ot_series_free(s);
}

/* fit_many and simulate_many give the same models and paths on 1 and 2
 * threads (each series' generator is seeded with seed + index), and a
 * series that cannot be fitted leaves NULL and its message. */
static void test_models_batch_deterministic(void **state)
{
    enum { N = 7, H = 4, P = 50 };
    ot_series *ys[N];
    ot_err err;
    for (int i = 0; i < N; i++) {
        double v[24];
        for (int t = 0; t < 24; t++)
            v[t] = 100 + i * t + 10 * sin(t * (i + 1) * 0.7);
        ys[i] = mk(OT_FREQ_Q, 8000, v, i == 3 ? 1 : 24); /* series 3: one value */
    }
    ot_model *a[N], *b[N];
    ot_err errs[N];
    assert_int_equal(ot_model_fit_many((const ot_series *const *)ys, N, "ets", NULL, 1, a, errs,
                                       &err), OT_OK);
    assert_int_equal(ot_model_fit_many((const ot_series *const *)ys, N, "ets", NULL, 2, b, NULL,
                                       &err), OT_OK);
    assert_null(a[3]);
    assert_null(b[3]);
    assert_string_equal(errs[3].msg, "ets: needs at least 4 values, got 1");
    double *pa[N], *pb[N];
    const ot_model *ma[N], *mb[N];
    size_t k = 0;
    for (int i = 0; i < N; i++) {
        if (!a[i])
            continue;
        assert_string_equal(a[i]->desc, b[i]->desc);
        assert_memory_equal(a[i]->par, b[i]->par, a[i]->npar * sizeof(double));
        ma[k] = a[i];
        mb[k] = b[i];
        pa[k] = malloc(H * P * sizeof(double));
        pb[k] = malloc(H * P * sizeof(double));
        k++;
    }
    assert_int_equal(ot_model_simulate_many(ma, k, H, P, 99, 1, pa, &err), OT_OK);
    assert_int_equal(ot_model_simulate_many(mb, k, H, P, 99, 2, pb, &err), OT_OK);
    for (size_t i = 0; i < k; i++) {
        assert_memory_equal(pa[i], pb[i], H * P * sizeof(double));
        free(pa[i]);
        free(pb[i]);
    }
    for (int i = 0; i < N; i++) {
        ot_model_free(a[i]);
        ot_model_free(b[i]);
        ot_series_free(ys[i]);
    }
    assert_int_equal(ot_model_fit_many(NULL, 0, "nope", NULL, 2, NULL, NULL, &err), OT_EINVAL);
    assert_string_equal(err.msg, "unknown method 'nope' (known: naive, snaive, drift, mean, "
                                 "naive2, ets, theta, otm, arima, combo, auto, arima_cny, ets_cny, "
                                 "arima_jf, ets_jf)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_models_naive_forecast),
        cmocka_unit_test(test_models_drift_forecast),
        cmocka_unit_test(test_models_mean_forecast),
        cmocka_unit_test(test_models_snaive_forecast),
        cmocka_unit_test(test_models_naive2_seasonal),
        cmocka_unit_test(test_models_decompose_additive_odd),
        cmocka_unit_test(test_models_fit_stretch),
        cmocka_unit_test(test_models_simulate_moments),
        cmocka_unit_test(test_models_errors),
        cmocka_unit_test(test_models_alloc_failure),
        cmocka_unit_test(test_models_batch_deterministic),
        cmocka_unit_test(test_models_combo),
        cmocka_unit_test(test_models_cv_intervals),
        cmocka_unit_test(test_models_interrupt),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
