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
#include "report/backtest.h"
#include "failalloc.h"

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

/* The baseline's probability, 0.05 + 0.9 × share.  carry 5, errors
 * {-1, 0.5, 2, -3}: carry + e = {4, 5.5, 7, 2}.
 *   T 5.5: 5.5 and 7 reach it (>= counts equality): 2/4 -> 0.05 + 0.45 = 0.5
 *   T 3:   4, 5.5, 7: 3/4 -> 0.05 + 0.675 = 0.725
 *   T 8:   none -> 0.05;   T 1: all -> 0.95
 * Two errors are too few (NaN), as is a NaN carry. */
static void test_backtest_base_prob_hand_values(void **state)
{
    (void)state;
    const double e[] = {-1, 0.5, 2, -3};
    assert_near(ot_backtest_base_prob(5, e, 4, 5.5), 0.5, 1e-12);
    assert_near(ot_backtest_base_prob(5, e, 4, 3), 0.725, 1e-12);
    assert_near(ot_backtest_base_prob(5, e, 4, 8), 0.05, 1e-12);
    assert_near(ot_backtest_base_prob(5, e, 4, 1), 0.95, 1e-12);
    assert_true(isnan(ot_backtest_base_prob(5, e, 2, 3)));
    assert_true(isnan(ot_backtest_base_prob(NAN, e, 4, 3)));
}

/* The empirical CRPS, mean |x - y| - sum_ij |x_i - x_j| / (2 n^2):
 *   x {1, 2, 4}, y 3: mean |x - y| = (2 + 1 + 1) / 3 = 4/3; sum_ij = 2 (1 + 3 + 2)
 *   = 12, / 18 = 2/3; CRPS 4/3 - 2/3 = 2/3.
 *   x {5}, y 7: |5 - 7| = 2 (a point forecast: the absolute error). */
static void test_backtest_crps_sample_hand_values(void **state)
{
    (void)state;
    const double x[] = {1, 2, 4}, one[] = {5};
    assert_near(ot_backtest_crps_sample(x, 3, 3), 2.0 / 3.0, 1e-12);
    assert_near(ot_backtest_crps_sample(one, 1, 7), 2.0, 1e-12);
    assert_true(isnan(ot_backtest_crps_sample(x, 0, 3)));
}

/* The CRPS from five quantiles.  The quantiles of U(0, 1) at 2.5, 10, 50, 90,
 * 97.5% are the levels themselves; the outer slopes continued reach 0 and 1,
 * so the distribution is U(0, 1) exactly and CRPS(U(0,1), y) =
 * ∫_0^y x² dx + ∫_y^1 (1 - x)² dx = y³/3 + (1 - y)³/3 inside, and
 * E|X - y| - E|X - X'|/2 = |y - 1/2| - 1/6 outside:
 *   y 0.5: 1/24 + 1/24 = 1/12;  y 0.25: (0.015625 + 0.421875)/3 = 0.1458333;
 *   y 2: 1.5 - 1/6 = 4/3;  y -1: 4/3.
 * U(2, 6) is U(0, 1) scaled by 4: at y 3 (0.25 of the way) 4 × 0.1458333 =
 * 0.5833333.  All five equal (a point) at 5, y 7: |5 - 7| = 2.  Quantiles
 * out of order are made non-decreasing: {.025, .1, .5, .4, .975} counts as
 * {.025, .1, .5, .5, .975}. */
static void test_backtest_crps_quantiles_hand_values(void **state)
{
    (void)state;
    const double u[5] = {0.025, 0.10, 0.50, 0.90, 0.975};
    assert_near(ot_backtest_crps_quantiles(u, 0.5), 1.0 / 12.0, 1e-12);
    assert_near(ot_backtest_crps_quantiles(u, 0.25), 0.4375 / 3, 1e-12);
    assert_near(ot_backtest_crps_quantiles(u, 2), 4.0 / 3.0, 1e-12);
    assert_near(ot_backtest_crps_quantiles(u, -1), 4.0 / 3.0, 1e-12);
    const double u26[5] = {2.1, 2.4, 4, 5.6, 5.9};
    assert_near(ot_backtest_crps_quantiles(u26, 3), 4 * 0.4375 / 3, 1e-12);
    const double pt[5] = {5, 5, 5, 5, 5};
    assert_near(ot_backtest_crps_quantiles(pt, 7), 2.0, 1e-12);
    const double bad[5] = {0.025, 0.10, 0.50, 0.40, 0.975}, fixed[5] = {0.025, 0.10, 0.50, 0.50, 0.975};
    assert_near(ot_backtest_crps_quantiles(bad, 0.7), ot_backtest_crps_quantiles(fixed, 0.7), 1e-15);
    const double nanq[5] = {0, 1, NAN, 3, 4};
    assert_true(isnan(ot_backtest_crps_quantiles(nanq, 2)));
    assert_true(isnan(ot_backtest_crps_quantiles(u, NAN)));
}

/* Two cases into one cell, every figure by hand.
 * A: outcome 6; model point 5, 95% 2..8, 80% 3..7; targets 4, 6, 8 with the
 *    model's P 0.9, 0.6, 0.1; carry 5.5 with errors {-1, 0, 1}.
 *    |5 - 6| = 1, |5.5 - 6| = 0.5; 6 inside both ranges; widths 4 and 6.
 *    met 1, 1, 0: model (0.1² + 0.4² + 0.1²) = 0.18.  Baseline sample
 *    {4.5, 5.5, 6.5}: P(>= 4) 0.05 + 0.9 = 0.95, P(>= 6) 0.05 + 0.3 = 0.35,
 *    P(>= 8) 0.05: 0.0025 + 0.4225 + 0.0025 = 0.4275.
 *    Baseline CRPS: mean |x - 6| = 2.5/3, pairs 1 + 2 + 1 = 4, × 2 / 18 =
 *    4/9: 5/6 - 4/9 = 7/18.  Model CRPS 0.6222222 (= 28/45).
 * D: outcome 10; point 6, 95% 3..9, 80% 4..8; targets 5, 7, 9 with P 1, NaN
 *    (not scored), 0.2; carry 9 with errors {0, 2, -2, 1}.
 *    |6 - 10| = 4, |9 - 10| = 1; 10 outside both ranges; widths 4 and 6.
 *    met 1, -, 1: model 0 + 0.64 = 0.64.  Baseline sample {9, 11, 7, 10}:
 *    P(>= 5) 0.95, P(>= 9) 0.05 + 0.9 × 3/4 = 0.725: 0.0025 + 0.075625.
 *    Baseline CRPS: mean |x - 10| = 5/4; pairs 2+2+1+4+1+3 = 13, / 16:
 *    1.25 - 0.8125 = 0.4375.  Model CRPS 3.0888889 (= 139/45).
 * The model CRPS values were checked against ∫ (F(x) - 1{x >= y})² dx of the
 * piecewise-linear CDF by a midpoint rule of 2·10^5 steps.
 * Cell: n 2, n_prob 5; MAE 2.5, carry 0.75; Brier 0.82/5 = 0.164, baseline
 * 0.505625/5 = 0.101125; coverage 1/2 and 1/2; widths 4 and 6; CRPS
 * (28/45 + 139/45)/2 = 167/90, baseline (7/18 + 0.4375)/2.  Worse on all
 * three.  Cases without 3 errors or with a NaN are not scored. */
static void test_backtest_cell_hand_values(void **state)
{
    (void)state;
    const double ea[] = {-1, 0, 1}, ed[] = {0, 2, -2, 1};
    ot_backtest_case a = {6, 5, 2, 3, 7, 8, {4, 6, 8}, {0.9, 0.6, 0.1}, 5.5, ea, 3};
    ot_backtest_case d = {10, 6, 3, 4, 8, 9, {5, 7, 9}, {1.0, NAN, 0.2}, 9, ed, 4};
    const double qa[5] = {2, 3, 5, 7, 8}, qd[5] = {3, 4, 6, 8, 9};
    assert_near(ot_backtest_crps_quantiles(qa, 6), 28.0 / 45.0, 1e-12);
    assert_near(ot_backtest_crps_quantiles(qd, 10), 139.0 / 45.0, 1e-12);
    ot_backtest_cell c;
    ot_backtest_cell_init(&c);
    assert_int_equal(ot_backtest_cell_add(&c, &a), 1);
    assert_int_equal(ot_backtest_cell_add(&c, &d), 1);
    ot_backtest_case few = a, nan_carry = a, nan_hi = a;
    few.n_err = 2;
    nan_carry.carry = NAN;
    nan_hi.hi95 = NAN;
    assert_int_equal(ot_backtest_cell_add(&c, &few), 0);
    assert_int_equal(ot_backtest_cell_add(&c, &nan_carry), 0);
    assert_int_equal(ot_backtest_cell_add(&c, &nan_hi), 0);
    ot_backtest_cell_finish(&c);
    assert_int_equal(c.n, 2);
    assert_int_equal(c.n_prob, 5);
    assert_near(c.mae, 2.5, 1e-12);
    assert_near(c.mae_carry, 0.75, 1e-12);
    assert_near(c.brier, 0.164, 1e-12);
    assert_near(c.brier_base, 0.101125, 1e-12);
    assert_near(c.cover80, 0.5, 1e-12);
    assert_near(c.cover95, 0.5, 1e-12);
    assert_near(c.width80, 4, 1e-12);
    assert_near(c.width95, 6, 1e-12);
    assert_near(c.crps, 167.0 / 90.0, 1e-12);
    assert_near(c.crps_base, (7.0 / 18.0 + 0.4375) / 2, 1e-12);
    assert_int_equal(ot_backtest_cell_worse(&c),
                     OT_BT_WORSE_MAE | OT_BT_WORSE_BRIER | OT_BT_WORSE_CRPS);
    /* an empty cell: NaN means, never worse */
    ot_backtest_cell_init(&c);
    ot_backtest_cell_finish(&c);
    assert_true(isnan(c.mae) && isnan(c.brier) && isnan(c.crps_base));
    assert_int_equal(ot_backtest_cell_worse(&c), 0);
}

/* The flat series of above, against the spreadsheet.  Carry is exact, so
 * its errors are all 0 and the baseline is sharp: 2019's targets 18, 20, 22
 * against carry 0 get 0.05 each and are missed, 2020's -2, 0, 2 against 8 get
 * 0.95 and are met: every baseline probability scores 0.05² = 0.0025.  The
 * baseline needs 3 earlier years: 2019 (2016-2018) and 2020, 11 months each:
 * 22 cases.  With --years 2019-2020 the earlier years are still projected
 * for the record: the same 22 cases.  Leaving 2018 out drops it from the
 * record as well: 2019 has only 2016 and 2017, 2020 has 2016, 2017, 2019:
 * 11 cases.  Months 3-9 only: 2 × 7 = 14. */
static void test_backtest_against_baseline_on_flat_years(void **state)
{
    (void)state;
    fill_flat();
    fx_entry e[] = {{"syn.flow", "value", OT_KIND_FLOW, "2015-01", flat_v, 72, 0, NULL}};
    fx_source fx = {e, 1, 0, 0};
    ot_backtest_series s[] = {{"syn.flow", 2015, 2020}};
    ot_backtest_opts o = {.method = "rwsd", .paths = 500, .seed = 1, .threads = 1};
    ot_backtest b;
    ot_backtest_row row;
    ot_err err;
    ot_err_clear(&err);
    assert_int_equal(ot_backtest_run(s, 1, fx_get, &fx, &o, &b, &row, &err), OT_OK);
    assert_int_equal(row.stock, 0);
    assert_int_equal(row.years, 4);
    assert_int_equal(row.first, 2017);
    assert_int_equal(row.last, 2020);
    assert_int_equal(row.all.n, 22);
    assert_int_equal(row.all.n_prob, 66);
    assert_near(row.all.mae_carry, 0, 1e-9);
    assert_near(row.all.crps_base, 0, 1e-9);
    assert_near(row.all.brier_base, 0.0025, 1e-12);
    for (int m = 1; m <= OT_BT_MONTHS; m++)
        assert_int_equal(row.month[m - 1].n, 2);
    assert_int_equal(b.all.n, 22);
    assert_int_equal(b.by_month[5].n, 2);
    assert_int_equal(b.compared, 1);
    assert_int_equal(b.worse_mae, 1); /* rwsd is not exact, carry is */
    assert_true(row.all.mae > 0);

    o.year_from = 2019;
    o.year_to = 2020;
    assert_int_equal(ot_backtest_run(s, 1, fx_get, &fx, &o, &b, &row, &err), OT_OK);
    assert_int_equal(b.cases, 2);
    assert_int_equal(row.all.n, 22);
    assert_near(row.all.brier_base, 0.0025, 1e-12);

    const int ex[] = {2018};
    o.year_from = o.year_to = 0;
    o.exclude = ex;
    o.n_exclude = 1;
    assert_int_equal(ot_backtest_run(s, 1, fx_get, &fx, &o, &b, &row, &err), OT_OK);
    assert_int_equal(b.cases, 3);
    assert_int_equal(row.years, 3);
    assert_int_equal(row.all.n, 11);
    assert_int_equal(row.month[0].n, 1);
    assert_int_equal(b.n_prob, 3 * 11 * 3);

    o.exclude = NULL;
    o.n_exclude = 0;
    o.month_from = 3;
    o.month_to = 9;
    assert_int_equal(ot_backtest_run(s, 1, fx_get, &fx, &o, &b, &row, &err), OT_OK);
    assert_int_equal(row.all.n, 14);
    assert_int_equal(row.month[1].n, 0);
    assert_int_equal(b.month[1].n, 0);
    assert_int_equal(b.month[2].n, 4);
    assert_int_equal(b.n_prob, 4 * 7 * 3);
}

/* A stock: the spreadsheet carries the latest published yoy, not the growth
 * since December.  Levels flat within each year, +10% a year; the published
 * yoy says 10 in December (the outcome, whether it is read from the levels
 * or from the published December yoy) and 7 in every other month.
 * Carry-forward at as-of months 1..11 is then 7: MAE 3 (the growth since
 * December, 0, would be off by 10).  Without a yoy measure the yoy comes
 * from the levels: 10, exact. */
static double stock_v[72], yoy_v[72];

static void test_backtest_stock_carries_latest_yoy(void **state)
{
    (void)state;
    double level = 100;
    for (int y = 0; y < 6; y++) {
        if (y > 0)
            level *= 1.1;
        for (int m = 0; m < 12; m++) {
            stock_v[12 * y + m] = level;
            yoy_v[12 * y + m] = m == 11 ? 10 : 7;
        }
    }
    fx_entry e[] = {{"syn.stock", "value", OT_KIND_STOCK, "2015-01", stock_v, 72, 0, NULL},
                    {"syn.stock", "yoy", OT_KIND_STOCK, "2015-01", yoy_v, 72, 0, NULL}};
    fx_source fx = {e, 2, 0, 0};
    ot_backtest_series s[] = {{"syn.stock", 2015, 2020}};
    ot_backtest_opts o = {.method = "rwsd", .paths = 200, .seed = 1, .threads = 1};
    ot_backtest b;
    ot_backtest_row row;
    ot_err err;
    ot_err_clear(&err);
    assert_int_equal(ot_backtest_run(s, 1, fx_get, &fx, &o, &b, &row, &err), OT_OK);
    assert_int_equal(row.stock, 1);
    assert_int_equal(b.cases, 4);
    for (int m = 0; m < OT_BT_MONTHS; m++) {
        assert_int_equal(b.month[m].n_carry, 4);
        assert_near(b.month[m].mae_carry, 3, 1e-9);
    }
    assert_near(row.all.mae_carry, 3, 1e-9);
    fx.n = 1; /* levels only */
    assert_int_equal(ot_backtest_run(s, 1, fx_get, &fx, &o, &b, &row, &err), OT_OK);
    assert_int_equal(row.stock, 1);
    for (int m = 0; m < OT_BT_MONTHS; m++)
        assert_near(b.month[m].mae_carry, 0, 1e-9);
}

static int progress_calls;
static size_t progress_last, progress_total;

static void count_progress(void *ud, size_t done, size_t total)
{
    (void)ud;
    progress_calls++;
    progress_last = done;
    progress_total = total;
}

/* The progress callback: the outcomes' batch, then one batch per year and
 * month: 2017-2020 scored, and 2016 for the baseline's record only (its
 * outcome is known, 2015's is not, so it is not scored): 5 × 11 + 1 = 56,
 * counted to the end. */
static void test_backtest_progress_counts_batches(void **state)
{
    (void)state;
    fill_flat();
    fx_entry e[] = {{"syn.flow", "value", OT_KIND_FLOW, "2015-01", flat_v, 72, 0, NULL}};
    fx_source fx = {e, 1, 0, 0};
    ot_backtest_series s[] = {{"syn.flow", 2015, 2020}};
    ot_backtest_opts o = {.method = "rwsd", .paths = 100, .seed = 1, .threads = 1,
                          .progress = count_progress};
    ot_backtest b;
    ot_err err;
    ot_err_clear(&err);
    progress_calls = 0;
    assert_int_equal(ot_backtest_run(s, 1, fx_get, &fx, &o, &b, NULL, &err), OT_OK);
    assert_int_equal(progress_total, 56);
    assert_int_equal(progress_last, 56);
    assert_int_equal(progress_calls, 56);
    /* --years 2020: 2016-2019 for the record only, 2020 scored: 56 again */
    o.year_from = o.year_to = 2020;
    progress_calls = 0;
    assert_int_equal(ot_backtest_run(s, 1, fx_get, &fx, &o, &b, NULL, &err), OT_OK);
    assert_int_equal(progress_total, 56);
    assert_int_equal(progress_calls, 56);
}

/* Renders b and rows (of the series s) into a new string (caller frees),
 * through a temporary file. */
static char *render(const ot_backtest *b, const ot_backtest_row *rows, const ot_backtest_series *s,
                    const ot_backtest_opts *o, int json, ot_report_bt_by by)
{
    FILE *f = tmpfile();
    assert_non_null(f);
    ot_err err;
    ot_err_clear(&err);
    int rc = json ? ot_report_backtest_json(b, rows, s, 1, o, NULL, f, &err)
                  : ot_report_backtest(b, rows, s, 1, o, by, f, &err);
    assert_int_equal(rc, OT_OK);
    long len = ftell(f);
    assert_true(len > 0);
    char *buf = malloc((size_t)len + 1);
    assert_non_null(buf);
    rewind(f);
    assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
    buf[len] = '\0';
    fclose(f);
    return buf;
}

/* The rendering of the flat series' run (see above): the headline counts
 * the series where the model is worse and the row marks it; a run where the
 * model is no worse says so; the JSON carries the same cells. */
static void test_backtest_report_marks_the_losing_series(void **state)
{
    (void)state;
    fill_flat();
    fx_entry e[] = {{"syn.flow", "value", OT_KIND_FLOW, "2015-01", flat_v, 72, 0, NULL}};
    fx_source fx = {e, 1, 0, 0};
    ot_backtest_series s[] = {{"syn.flow", 2015, 2020}};
    const int ex[] = {2021, 2013, 2014, 2015};
    ot_backtest_opts o = {.method = "rwsd", .paths = 200, .seed = 1, .threads = 1,
                          .exclude = ex, .n_exclude = 4, .month_from = 5, .month_to = 7};
    ot_backtest b;
    ot_backtest_row row;
    ot_err err;
    ot_err_clear(&err);
    assert_int_equal(ot_backtest_run(s, 1, fx_get, &fx, &o, &b, &row, &err), OT_OK);
    char *t = render(&b, &row, s, &o, 0, OT_REPORT_BT_SERIES);
    /* the excluded years sorted and joined into ranges */
    assert_non_null(strstr(t, "backtest: 1 series, 4 series-years; method rwsd, 200 paths\n"
                              "as of months 5-7; target years 2017-2020; left out: 2013-2015, 2021\n"));
    assert_non_null(strstr(t, "the model is WORSE in 1 of 1 series: on MAE in 1, on the Brier score\n"
                              "in 0, on CRPS in 1 (marked *)\n"));
    assert_non_null(strstr(t, "syn.flow: flow (carry-forward: the ytd growth), 4 target years scored "
                              "(2017-2020)\n"));
    assert_non_null(strstr(t, "months 5-7"));
    assert_null(strstr(t, "month 4 "));
    free(t);

    /* the same figures, the model made no worse on MAE (its error set to the
     * carry's): the headline says so, and nothing but CRPS is marked */
    row.all.mae = row.all.mae_carry;
    b.worse_mae = b.worse_any = 0;
    t = render(&b, &row, s, &o, 0, OT_REPORT_BT_MONTH);
    assert_non_null(strstr(t, "the model is no worse on MAE or the Brier score in any of the 1 "
                              "series;\non CRPS it is worse in 1 (marked *)\n"));
    const char *line = strstr(t, "\nsyn.flow ");
    assert_non_null(line);
    const char *eol = strchr(line + 1, '\n');
    size_t stars = 0;
    for (const char *c = line; c < eol; c++)
        stars += *c == '*';
    assert_int_equal(stars, 1); /* CRPS only */
    assert_non_null(strstr(t, "calibration: 36 probabilities")); /* 4 years x 3 months x 3 */
    free(t);

    t = render(&b, &row, s, &o, 1, OT_REPORT_BT_MONTH);
    assert_non_null(strstr(t, "\"exclude_years\": [\n      2021,\n      2013,"));
    assert_non_null(strstr(t, "\"months\": {\n      \"from\": 5,\n      \"to\": 7\n    }"));
    assert_non_null(strstr(t, "\"key\": \"syn.flow\""));
    assert_non_null(strstr(t, "\"worse\": [\n        \"crps\"\n      ]"));
    assert_non_null(strstr(t, "\"brier_base\": 0.0025"));
    free(t);

    /* a loss too small for two decimals is shown with the decimals that
     * show it, never as "0.48* 0.48"; a clear one keeps two */
    row.all.mae = 0.4831;
    row.all.mae_carry = 0.4804;
    b.worse_mae = b.worse_any = 1;
    t = render(&b, &row, s, &o, 0, OT_REPORT_BT_MONTH);
    assert_non_null(strstr(t, " 0.483*  0.480 "));
    free(t);
    row.all.mae = 0.62;
    row.all.mae_carry = 0.46;
    t = render(&b, &row, s, &o, 0, OT_REPORT_BT_MONTH);
    assert_non_null(strstr(t, " 0.62*   0.46 "));
    free(t);
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

/* The failing allocator (o.alloc): ot_backtest_run's working arrays and its
 * projections' working memory come from it.  Failing allocation N = 1, 2, ...
 * until the run succeeds: each failure is OT_ENOMEM ending "out of memory", leaves
 * *out and rows untouched and leaks nothing (the allocator's bytes back to
 * 0); the run that gets through gives exactly what the standard allocator
 * gives.  The 13 working arrays alone are the first 13 calls, so it takes
 * more than 13 failures. */
static void test_backtest_failing_allocator(void **state)
{
    (void)state;
    fill_flat();
    fx_entry e[] = {{"syn.flow", "value", OT_KIND_FLOW, "2015-01", flat_v, 72, 0, NULL}};
    fx_source fx = {e, 1, 0, 0};
    ot_backtest_series s[] = {{"syn.flow", 2015, 2020}};
    ot_backtest_opts o = {.method = "rwsd", .paths = 50, .seed = 1, .shape = fx_shape,
                          .threads = 1, .year_from = 2019, .year_to = 2020, .month_from = 6,
                          .month_to = 6};
    ot_backtest want, b, before;
    ot_backtest_row wrow, row, brow;
    ot_err err;
    ot_err_clear(&err);
    assert_int_equal(ot_backtest_run(s, 1, fx_get, &fx, &o, &want, &wrow, &err), OT_OK);
    assert_int_equal(want.cases, 2);
    failalloc f = {0};
    ot_alloc a = {failalloc_f, &f};
    o.alloc = &a;
    int rc = OT_ENOMEM;
    long n;
    for (n = 1; rc == OT_ENOMEM && n < 100000; n++) {
        f.calls = 0;
        f.fail_at = n;
        memset(&b, 0x5a, sizeof b);
        memset(&row, 0x5a, sizeof row);
        before = b;
        brow = row;
        rc = ot_backtest_run(s, 1, fx_get, &fx, &o, &b, &row, &err);
        assert_int_equal(f.blocks, 0);
        assert_int_equal(f.bytes, 0);
        if (rc == OT_ENOMEM) { /* "out of memory", or a projection's "target 1 (…): out of memory" */
            size_t ml = strlen(err.msg);
            assert_true(ml >= 13 && strcmp(err.msg + ml - 13, "out of memory") == 0);
            if (n <= 13) /* the run's own arrays fail first, before any projection */
                assert_string_equal(err.msg, "out of memory");
            assert_memory_equal(&b, &before, sizeof b);
            assert_memory_equal(&row, &brow, sizeof row);
        }
    }
    assert_int_equal(rc, OT_OK);
    assert_true(n > 14);
    assert_true(f.calls > 13);
    assert_int_equal(b.cases, want.cases);
    assert_int_equal(b.n_prob, want.n_prob);
    assert_true(b.month[5].mae == want.month[5].mae);
    assert_true(b.month[5].mae_carry == want.month[5].mae_carry);
    assert_true(b.brier == want.brier);
}

int main(void)
{
    (void)fx_target; /* proj_source.h's helper, unused here */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_backtest_accumulates_hand_values),
        cmocka_unit_test(test_backtest_carry_exact_on_flat_years),
        cmocka_unit_test(test_backtest_base_prob_hand_values),
        cmocka_unit_test(test_backtest_crps_sample_hand_values),
        cmocka_unit_test(test_backtest_crps_quantiles_hand_values),
        cmocka_unit_test(test_backtest_cell_hand_values),
        cmocka_unit_test(test_backtest_against_baseline_on_flat_years),
        cmocka_unit_test(test_backtest_stock_carries_latest_yoy),
        cmocka_unit_test(test_backtest_progress_counts_batches),
        cmocka_unit_test(test_backtest_report_marks_the_losing_series),
        cmocka_unit_test(test_backtest_failures),
        cmocka_unit_test(test_backtest_failing_allocator),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
