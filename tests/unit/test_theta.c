/* test_theta.c — the Theta method (theta.c) against forecast::thetaf on the
 * series of tests/data/models (make_fixtures.R), and by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/model.h"

#define NEAR(a, b, tol) assert_true(fabs((a) - (b)) <= (tol))
#define FIXDIR ONTRACK_SOURCE_DIR "/tests/data/models/"

/* thetaf on every fixture series: SES has two parameters, so both
 * optimisers reach the same optimum and the forecasts and 80% bounds agree
 * within 0.1% of the series' mean level (R's own optimiser stops at a
 * relative tolerance of 1.5e-8 on the MSE, which moves alpha in the 4th
 * digit on flat objectives). */
static void test_theta_vs_r(void **state)
{
    FILE *fs = fopen(FIXDIR "series.txt", "r"), *ft = fopen(FIXDIR "theta.txt", "r");
    assert_non_null(fs);
    assert_non_null(ft);
    char name[32], tname[32], line[20000];
    int freq, rows = 0;
    size_t n;
    while (fscanf(fs, "%31s %d %zu", name, &freq, &n) == 3) {
        double v[1000], lvl = 0;
        for (size_t i = 0; i < n; i++) {
            assert_int_equal(fscanf(fs, "%lf", &v[i]), 1);
            lvl += fabs(v[i]) / (double)n;
        }
        assert_non_null(fgets(line, sizeof line, ft));
        int used;
        assert_int_equal(sscanf(line, "%31s |%n", tname, &used), 1);
        assert_string_equal(tname, name);
        double mean[100], up[100];
        size_t h = 0, k = 0;
        char *p = line + used, *end;
        while ((mean[h] = strtod(p, &end)), end != p)
            h++, p = end;
        p = strchr(p, '|') + 1;
        while ((up[k] = strtod(p, &end)), end != p)
            k++, p = end;
        assert_int_equal(h, k);
        ot_err err;
        ot_series *y = ot_series_from(NULL, freq == 12 ? OT_FREQ_M : freq == 4 ? OT_FREQ_Q
                                      : OT_FREQ_Y, 0, v, n, &err);
        ot_model_opts o = {.period = freq};
        ot_model *m = NULL;
        assert_int_equal(ot_model_fit(y, "theta", &o, &m, &err), OT_OK);
        ot_forecast *f = NULL;
        double lv = 80;
        assert_int_equal(ot_model_forecast(m, h, &lv, 1, &f, &err), OT_OK);
        double worst = 0;
        for (size_t i = 0; i < h; i++) {
            double d = fmax(fabs(f->mean->v[i] - mean[i]), fabs(f->upper[0]->v[i] - up[i]));
            worst = fmax(worst, d / lvl);
        }
        if (getenv("OT_TEST_VERBOSE") || worst > 1e-3)
            printf("  %-14s %-34s worst diff / level %.2e\n", name, m->desc, worst);
        assert_true(worst <= 1e-3);
        ot_forecast_free(f);
        ot_model_free(m);
        ot_series_free(y);
        rows++;
    }
    fclose(ft);
    fclose(fs);
    assert_int_equal(rows, 13);
}

/* A straight line y = 2 t (t = 0..9): the fitted SES chases the trend, the
 * drift is half the slope, b = 1, and with alpha near 1 the forecast is the
 * last value plus b (h - 1 + 1/alpha) ~ 18 + h: 19, 20, 21 to 0.1. */
static void test_theta_line(void **state)
{
    double v[10];
    for (int i = 0; i < 10; i++)
        v[i] = 2.0 * i;
    ot_err err;
    ot_series *y = ot_series_from(NULL, OT_FREQ_Y, 2000, v, 10, &err);
    ot_model *m = NULL;
    assert_int_equal(ot_model_fit(y, "theta", NULL, &m, &err), OT_OK);
    assert_string_equal(m->par_name[1], "drift");
    NEAR(m->par[1], 1.0, 1e-12);
    ot_forecast *f = NULL;
    assert_int_equal(ot_model_forecast(m, 3, NULL, 0, &f, &err), OT_OK);
    NEAR(f->mean->v[0], 19, 0.1);
    NEAR(f->mean->v[2], 21, 0.1);
    ot_forecast_free(f);
    ot_model_free(m);
    ot_series_free(y);
    y = ot_series_from(NULL, OT_FREQ_Y, 2000, v, 3, &err);
    assert_int_equal(ot_model_fit(y, "theta", NULL, &m, &err), OT_EDATA);
    assert_string_equal(err.msg, "theta: needs at least 4 values, got 3");
    ot_series_free(y);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_theta_vs_r),
        cmocka_unit_test(test_theta_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
