/* test_backtest.c — the backtest's statistics: the accumulator on hand
 * values, a synthetic series where carry-forward is exact, and the failure
 * paths with their messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "project/backtest.h"
#include "proj_source.h"

/* Hand values: month 1 gets (point 8, carry 7) and (11, 10) against the
 * outcome 10: model |8-10| = 2 and |11-10| = 1, MAE 1.5; carry 3 and 0,
 * MAE 1.5.  Month 2 gets a point without carry: MAE |9.5-10| = 0.5, no carry.
 * Probabilities (0.9, met), (0.2, not), (0.95, not), (1.0, met):
 * Brier = (0.01 + 0.04 + 0.9025 + 0) / 4 = 0.238125.  Bins: 0.2 -> [.2,.3);
 * 0.9, 0.95 and 1.0 -> [.9, 1]: n 3, mean (0.9+0.95+1)/3 = 0.95, met 2/3. */
static void test_backtest_accumulates_hand_values(void **state)
{
    (void)state;
    ot_backtest b;
    ot_backtest_init(&b);
    ot_backtest_add_point(&b, 1, 8, 7, 10);
    ot_backtest_add_point(&b, 1, 11, 10, 10);
    ot_backtest_add_point(&b, 2, 9.5, NAN, 10);
    ot_backtest_add_point(&b, 12, 1, 1, 10);  /* month out of range: ignored */
    ot_backtest_add_point(&b, 3, NAN, 1, 10); /* no point: ignored */
    ot_backtest_add_prob(&b, 0.9, 1);
    ot_backtest_add_prob(&b, 0.2, 0);
    ot_backtest_add_prob(&b, 0.95, 0);
    ot_backtest_add_prob(&b, 1.0, 1);
    ot_backtest_add_prob(&b, NAN, 1); /* ignored */
    ot_backtest_finish(&b);
    assert_int_equal(b.month[0].n, 2);
    assert_near(b.month[0].mae, 1.5, 1e-12);
    assert_int_equal(b.month[0].n_carry, 2);
    assert_near(b.month[0].mae_carry, 1.5, 1e-12);
    assert_int_equal(b.month[1].n, 1);
    assert_near(b.month[1].mae, 0.5, 1e-12);
    assert_int_equal(b.month[1].n_carry, 0);
    assert_true(isnan(b.month[1].mae_carry));
    assert_int_equal(b.month[2].n, 0);
    assert_true(isnan(b.month[2].mae));
    assert_int_equal(b.n_prob, 4);
    assert_near(b.brier, 0.238125, 1e-12);
    assert_int_equal(b.bin[2].n, 1);
    assert_near(b.bin[2].mean_prob, 0.2, 1e-12);
    assert_near(b.bin[2].freq, 0.0, 1e-12);
    assert_int_equal(b.bin[9].n, 3);
    assert_near(b.bin[9].mean_prob, 0.95, 1e-12);
    assert_near(b.bin[9].freq, 2.0 / 3.0, 1e-12);
    assert_int_equal(b.bin[0].n, 0);
    assert_true(isnan(b.bin[0].freq));
}

/* A monthly flow flat within each year: 2015 every month 100, then yearly
 * growth 10, 5, 20, 0, 8 % (2016..2020).  The ytd growth at any month is the
 * year's growth, so carry-forward is exact: MAE 0 at every as-of month.
 * Outcomes are known for 2016..2020; a year is tested when the year before
 * has one too: 2017..2020, 4 series-years, each month 4 projections and
 * 3 probabilities each: 4 * 11 * 3 = 132.  The hypothetical targets are the
 * previous year's growth G and G +/- 2:
 *   2017: 8, 10, 12 against 5  -> none met     2018: 3, 5, 7 against 20 -> all met
 *   2019: 18, 20, 22 against 0 -> none met     2020: -2, 0, 2 against 8 -> all met */
static double flat_v[72];

static void fill_flat(void)
{
    static const double g[] = {10, 5, 20, 0, 8};
    double level = 100;
    for (int y = 0; y < 6; y++) {
        if (y > 0)
            level *= 1 + g[y - 1] / 100;
        for (int m = 0; m < 12; m++)
            flat_v[12 * y + m] = level;
    }
}

static void test_backtest_carry_exact_on_flat_years(void **state)
{
    (void)state;
    fill_flat();
    fx_entry e[] = {{"syn.flow", "value", OT_KIND_FLOW, "2015-01", flat_v, 72, 0, NULL}};
    fx_source fx = {e, 1, 0, 0};
    ot_backtest_series s[] = {{"syn.flow", 2015, 2020}};
    ot_backtest_opts o = {.method = "rwsd", .paths = 500, .seed = 1, .shape = fx_shape, .threads = 1};
    ot_backtest b;
    ot_err err;
    ot_err_clear(&err);
    assert_int_equal(ot_backtest_run(s, 1, fx_get, &fx, &o, &b, NULL, &err), OT_OK);
    assert_int_equal(b.series, 1);
    assert_int_equal(b.cases, 4);
    for (int m = 0; m < OT_BT_MONTHS; m++) {
        assert_int_equal(b.month[m].n, 4);
        assert_int_equal(b.month[m].n_carry, 4);
        assert_near(b.month[m].mae_carry, 0.0, 1e-9);
        /* the model is not exact (it sees the January jumps as noise), but
         * it is never further off than the largest change of growth (20) */
        assert_true(b.month[m].mae >= 0 && b.month[m].mae < 20);
    }
    assert_int_equal(b.n_prob, 132);
    size_t nb = 0;
    for (int k = 0; k < OT_BT_BINS; k++)
        nb += b.bin[k].n;
    assert_int_equal(nb, 132);

    /* --years 2019-2020: 2 series-years, 66 probabilities */
    o.year_from = 2019;
    o.year_to = 2020;
    assert_int_equal(ot_backtest_run(s, 1, fx_get, &fx, &o, &b, NULL, &err), OT_OK);
    assert_int_equal(b.cases, 2);
    assert_int_equal(b.month[5].n, 2);
    assert_int_equal(b.n_prob, 66);

    /* a year range without outcomes: nothing tested, no error */
    o.year_from = 2030;
    o.year_to = 2031;
    assert_int_equal(ot_backtest_run(s, 1, fx_get, &fx, &o, &b, NULL, &err), OT_OK);
    assert_int_equal(b.cases, 0);
    assert_int_equal(b.series, 0);
    assert_true(isnan(b.brier));
}

static void test_backtest_failures(void **state)
{
    (void)state;
    fill_flat();
    fx_entry e[] = {{"syn.flow", "value", OT_KIND_FLOW, "2015-01", flat_v, 72, 0, NULL}};
    fx_source fx = {e, 1, 0, OT_EIO};
    ot_backtest_series s[] = {{"syn.flow", 2015, 2020}};
    ot_backtest_opts o = {.method = "rwsd", .paths = 500, .seed = 1, .threads = 1};
    ot_backtest b;
    ot_err err;
    ot_err_clear(&err);
    /* the source's error comes back with the target named */
    assert_int_equal(ot_backtest_run(s, 1, fx_get, &fx, &o, &b, NULL, &err), OT_EIO);
    assert_non_null(strstr(err.msg, "store: disk on fire reading syn.flow"));
    fx.fail = 0;
    o.year_from = 2020;
    o.year_to = 2019;
    assert_int_equal(ot_backtest_run(s, 1, fx_get, &fx, &o, &b, NULL, &err), OT_EINVAL);
    assert_string_equal(err.msg, "years 2020-2019: the first is after the last");
    o.year_from = o.year_to = 0;
    ot_backtest_series bad[] = {{"syn.flow", 2020, 2015}};
    assert_int_equal(ot_backtest_run(bad, 1, fx_get, &fx, &o, &b, NULL, &err), OT_EINVAL);
    assert_string_equal(err.msg, "syn.flow: last year 2015 before first year 2020");
    o.method = "crystal-ball";
    assert_int_equal(ot_backtest_run(s, 1, fx_get, &fx, &o, &b, NULL, &err), OT_EINVAL);
    assert_non_null(strstr(err.msg, "crystal-ball"));
    /* no series: nothing tested */
    assert_int_equal(ot_backtest_run(s, 0, fx_get, &fx, &o, &b, NULL, &err), OT_OK);
    assert_int_equal(b.cases, 0);
}

int main(void)
{
    (void)fx_target; /* proj_source.h's helper, unused here */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_backtest_accumulates_hand_values),
        cmocka_unit_test(test_backtest_carry_exact_on_flat_years),
        cmocka_unit_test(test_backtest_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
