/* test_calibration.c — do the ranges and probabilities mean what they say?
 *
 * 400 independent monthly series from a known process — log level a random
 * walk with drift 0.5 % a month and sd 2 %, plus fixed seasonal factors —
 * each eight years long (2016–2023).  Each is projected as of June 2023 with
 * the rwsd method against a growth target placed at the ytd growth plus
 * a uniform offset in [-6, 6] points (drawn independently of the outcome).
 * Over the 400 target-years:
 * - the 80% range covers the outcome 80% ± 6 points (3 binomial sd =
 *   3 sqrt(0.8 × 0.2 / 400) = 0.06), the 95% range 95% ± 3.5 points;
 * - targets projected at probability p are met about p of the time: in
 *   each probability fifth holding at least 30 targets the share met is
 *   within 0.15 of the mean probability (3 sd of a share of 30 at p = 0.5
 *   is 0.27; bins hold many more), and over all targets the mean
 *   probability and the share met differ by at most 0.05.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "proj_words.h"
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "proj_source.h"

#define NSER 400
#define NOBS 96 /* 2016-01 .. 2023-12 */

static double data[NSER][NOBS];
static char keys[NSER][16];

static void make_data(gsl_rng *r)
{
    static const double seas[12] = {-0.10, -0.25, 0.05, 0.0,  0.02, 0.04,
                                    0.0,   0.01,  0.03, 0.05, 0.08, 0.12};
    for (int s = 0; s < NSER; s++) {
        double l = log(100);
        for (int i = 0; i < NOBS; i++) {
            l += 0.005 + gsl_ran_gaussian(r, 0.02);
            data[s][i] = exp(l + seas[i % 12]);
        }
        snprintf(keys[s], sizeof keys[s], "c%d", s);
    }
}

static void test_calibration_rwsd_monthly(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 20231);
    make_data(r);
    static fx_entry e[NSER];
    static ot_target t[NSER];
    static ot_projection p[NSER];
    for (int s = 0; s < NSER; s++) {
        e[s] = (fx_entry){keys[s], "value", OT_KIND_FLOW, "2016-01", data[s], NOBS, 0, NULL};
        double ytd = 0, last = 0;
        for (int i = 0; i < 6; i++) {
            ytd += data[s][84 + i];
            last += data[s][72 + i];
        }
        double g = (ytd / last - 1) * 100;
        t[s] = fx_target(keys[s], 2023, OT_TARGET_GROWTH, OT_OP_GE,
                         g + gsl_ran_flat(r, -6, 6));
    }
    fx_source fx = {e, NSER, 0, 0};
    ot_proj_opts o;
    ot_proj_opts_init(&o);
    o.paths = 2000;
    o.method = "rwsd";
    o.as_of_period = "2023-06";
    o.threads = 2;
    ot_err err;
    assert_int_equal(ot_project_many(t, NSER, fx_get, &fx, &o, p, &err), OT_OK);

    int in80 = 0, in95 = 0, met = 0;
    double psum = 0, bin_p[5] = {0}, bin_met[5] = {0};
    int bin_n[5] = {0};
    for (int s = 0; s < NSER; s++) {
        double tot = 0, last = 0;
        for (int i = 0; i < 12; i++) {
            tot += data[s][84 + i];
            last += data[s][72 + i];
        }
        double G = (tot / last - 1) * 100;
        assert_int_equal(p[s].periods_done, 6);
        in80 += G >= p[s].lo80 && G <= p[s].hi80;
        in95 += G >= p[s].lo95 && G <= p[s].hi95;
        int ok = G >= t[s].value;
        met += ok;
        psum += p[s].prob;
        int b = p[s].prob >= 1 ? 4 : (int)(p[s].prob * 5);
        bin_p[b] += p[s].prob;
        bin_met[b] += ok;
        bin_n[b]++;
    }
    print_message("coverage 80%%: %.3f, 95%%: %.3f; mean prob %.3f, share met %.3f\n",
                  (double)in80 / NSER, (double)in95 / NSER, psum / NSER, (double)met / NSER);
    assert_near((double)in80 / NSER, 0.80, 0.06);
    assert_near((double)in95 / NSER, 0.95, 0.035);
    assert_near(psum / NSER, (double)met / NSER, 0.05);
    for (int b = 0; b < 5; b++) {
        if (bin_n[b] == 0)
            continue;
        print_message("p in [%.1f, %.1f): %3d targets, mean p %.3f, met %.3f\n", b / 5.0,
                      (b + 1) / 5.0, bin_n[b], bin_p[b] / bin_n[b], bin_met[b] / bin_n[b]);
        if (bin_n[b] >= 30)
            assert_near(bin_met[b] / bin_n[b], bin_p[b] / bin_n[b], 0.15);
    }
    gsl_rng_free(r);
}

#define NPAIR 300
#define NREF 117 /* 2014-01 .. 2023-09: the reference's published values */

static double refv[NPAIR][NREF];
static double locg[NPAIR][9];
static double outcome[NPAIR];
static char rkeys[NPAIR][16], lkeys[NPAIR][16];

/* The sparse case (Yiwu): a local series publishes only its ytd growth,
 * January to September of the target year; its shape is borrowed from a
 * reference published monthly.  The local log changes are the reference's
 * plus independent noise of sd 0.02 × sqrt(1.25), so its surprises are
 * sqrt(1 + 1.25) = 1.5 times as wide as the reference's.  The projection
 * takes the reference's carry-forward record (2015-2019; 2020-2022 left out)
 * and scales it by the ratio it measures on the two ytd growths (§12), which
 * should come out near 1.5.  Then the borrowed ranges must be calibrated:
 * 80% coverage within ±7 points (3 binomial sd at n = 300 is 6.9), 95%
 * within ±4.5. */
static void test_calibration_borrowed_shape(void **state)
{
    (void)state;
    static const double seas[12] = {-0.10, -0.25, 0.05, 0.0,  0.02, 0.04,
                                    0.0,   0.01,  0.03, 0.05, 0.08, 0.12};
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 777);
    static fx_entry e[2 * NPAIR];
    static ot_target t[NPAIR];
    static ot_projection p[NPAIR];
    for (int i = 0; i < NPAIR; i++) {
        double lr = log(100), ll = log(10), loc[120];
        for (int m = 0; m < 120; m++) {
            double d = 0.005 + gsl_ran_gaussian(r, 0.02);
            lr += d;
            ll += d + gsl_ran_gaussian(r, 0.02 * sqrt(1.25));
            if (m < NREF)
                refv[i][m] = exp(lr + seas[m % 12]);
            loc[m] = exp(ll + seas[m % 12]);
        }
        double y12 = 0, p12 = 0;
        for (int m = 0; m < 12; m++) {
            y12 += loc[108 + m];
            p12 += loc[96 + m];
            if (m < 9)
                locg[i][m] = (y12 / p12 - 1) * 100;
        }
        outcome[i] = (y12 / p12 - 1) * 100;
        snprintf(rkeys[i], sizeof rkeys[i], "r%d", i);
        snprintf(lkeys[i], sizeof lkeys[i], "l%d", i);
        e[2 * i] = (fx_entry){rkeys[i], "value", OT_KIND_FLOW, "2014-01", refv[i], NREF, 0, NULL};
        e[2 * i + 1] = (fx_entry){lkeys[i], "ytd_yoy", OT_KIND_FLOW, "2023-01", locg[i], 9, 0,
                                  rkeys[i]};
        t[i] = fx_target(lkeys[i], 2023, OT_TARGET_GROWTH, OT_OP_GE, locg[i][8]);
    }
    fx_source fx = {e, 2 * NPAIR, 0, 0};
    ot_proj_opts o;
    ot_proj_opts_init(&o);
    o.paths = 2000;
    o.shape = fx_shape;
    o.threads = 2;
    ot_err err;
    assert_int_equal(ot_project_many(t, NPAIR, fx_get, &fx, &o, p, &err), OT_OK);
    int in80 = 0, in95 = 0;
    for (int i = 0; i < NPAIR; i++) {
        assert_int_equal(strncmp(EN_METHOD(&p[i]), "carry with the range of r", 25), 0);
        in80 += outcome[i] >= p[i].lo80 && outcome[i] <= p[i].hi80;
        in95 += outcome[i] >= p[i].lo95 && outcome[i] <= p[i].hi95;
    }
    print_message("borrowed shape: coverage 80%%: %.3f, 95%%: %.3f\n", (double)in80 / NPAIR,
                  (double)in95 / NPAIR);
    assert_near((double)in80 / NPAIR, 0.80, 0.07);
    assert_near((double)in95 / NPAIR, 0.95, 0.045);
    gsl_rng_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_calibration_rwsd_monthly),
        cmocka_unit_test(test_calibration_borrowed_shape),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
