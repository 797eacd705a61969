/* test_record.c — the track record (project/record.c): weights, period
 * rates, the rate method's aggregation, rate-only ytd growth, empirical
 * quantiles, the rolling-origin record with no look-ahead, the choice, the
 * excluded years and the memo.  Expected values are worked beside each case. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "proj_source.h"
#include "project/frame.h"
#include "project/record.h"

/* Loads key from the fixture into f, cut at cut_day (INT32_MAX = all). */
static void load(frame *f, const fx_entry *e, size_t n, const char *key, int32_t cut_day)
{
    fx_source fx = {e, n, 0, 0};
    ot_err err;
    assert_int_equal(frame_load(f, key, fx_get, &fx, cut_day, NULL, &err), OT_OK);
    assert_true(f->ny > 0);
}

static void test_record_quantile(void **state)
{
    (void)state;
    /* R type 7: h = (n - 1) q; {1..5} at 0.1: h = 0.4, 1 + 0.4 = 1.4; at 0.9:
     * h = 3.6, 4 + 0.6 = 4.6; the median 3 */
    double x[] = {5, 1, 4, 2, 3};
    assert_near(rec_quantile(x, 5, 0.1), 1.4, 1e-12);
    assert_near(rec_quantile(x, 5, 0.9), 4.6, 1e-12);
    assert_near(rec_quantile(x, 5, 0.5), 3, 1e-12);
    double one[] = {7};
    assert_near(rec_quantile(one, 1, 0.9), 7, 0);
    assert_true(isnan(rec_quantile(x, 0, 0.5)));
}

static void test_record_widen(void **state)
{
    (void)state;
    /* sqrt(1 + 1/n) from REC_LONG (8) years of an own record, times
     * t_{max(n-1,2)}(0.9) / z(0.9) below it and for a borrowed record; the
     * figures from R: f <- function(n, b) { n <- max(n, 2); w <- sqrt(1 + 1/n);
     * if (b || n < 8) w <- w * qt(0.9, max(n - 1, 2)) / qnorm(0.9); w }
     * (two years: sqrt(1.5) x 1.885618 / 1.281552 = 1.802, not the 2.941
     * of one degree of freedom, §14) */
    assert_near(rec_widen(10, 0), 1.0488088482, 1e-9);
    assert_near(rec_widen(8, 0), 1.0606601718, 1e-9);
    assert_near(rec_widen(7, 0), 1.2010157669, 1e-9);
    assert_near(rec_widen(6, 0), 1.2439116873, 1e-9);
    assert_near(rec_widen(10, 1), 1.1318567408, 1e-9);
    assert_near(rec_widen(3, 0), 1.6989751129, 1e-9);
    assert_near(rec_widen(2, 0), 1.8020352351, 1e-9);
    assert_near(rec_widen(1, 0), 1.8020352351, 1e-9); /* counted as 2 */
}

/* Quarterly values: 2018 10, 20, 30, 40 (total 100); 2019 11, 23. */
static const double q_val[] = {10, 20, 30, 40, 11, 23};

static void test_record_weights(void **state)
{
    (void)state;
    frame f, r, y;
    double c[SHAPE_MAXP + 1];
    fx_entry e[] = {{"q", "value", OT_KIND_FLOW, "2018Q1", q_val, 6, 0, NULL}};
    load(&f, e, 1, "q", INT32_MAX);
    /* last year's ytd levels: 10/100, 30/100, 60/100, 100/100 */
    assert_int_equal(rec_weights(&f, NULL, 2019, c), 2);
    assert_near(c[0], 0, 0);
    assert_near(c[1], 0.1, 1e-12);
    assert_near(c[2], 0.3, 1e-12);
    assert_near(c[3], 0.6, 1e-12);
    assert_near(c[4], 1, 1e-12);
    /* no levels: the reference's mean shares (10, 30, 30, 30 of 100 in 2016
     * and 2017: 0.1, 0.4, 0.7, 1), else equal */
    static const double ref_val[] = {10, 30, 30, 30, 10, 30, 30, 30};
    static const double yoy[] = {5, 6, 7, 8, 9, 10};
    fx_entry e2[] = {{"y", "yoy", OT_KIND_FLOW, "2017Q1", yoy, 6, 0, NULL},
                     {"r", "value", OT_KIND_FLOW, "2016Q1", ref_val, 8, 0, NULL}};
    load(&y, e2, 2, "y", INT32_MAX);
    load(&r, e2, 2, "r", INT32_MAX);
    assert_int_equal(rec_weights(&y, &r, 2018, c), 1);
    assert_near(c[1], 0.1, 1e-12);
    assert_near(c[2], 0.4, 1e-12);
    assert_near(c[3], 0.7, 1e-12);
    assert_int_equal(rec_weights(&y, NULL, 2018, c), 0);
    assert_near(c[1], 0.25, 1e-12);
    assert_near(c[3], 0.75, 1e-12);
    frame_free(&y);
    frame_free(&r);
    frame_free(&f);
}

static void test_record_period_rate(void **state)
{
    (void)state;
    frame f, g;
    fx_entry e[] = {{"q", "value", OT_KIND_FLOW, "2018Q1", q_val, 6, 0, NULL}};
    load(&f, e, 1, "q", INT32_MAX);
    /* from the levels: 11/10 - 1, 23/20 - 1 */
    assert_near(rec_period_rate(&f, 2019, 1), 10, 1e-9);
    assert_near(rec_period_rate(&f, 2019, 2), 15, 1e-9);
    assert_true(isnan(rec_period_rate(&f, 2019, 3)));
    /* ytd growth differenced with last year's ytd levels as weights: last
     * year's ytd 10, 30; this year's ytd growth 5, 8:
     * r2 = (1.08 x 30 - 1.05 x 10) / (30 - 10) - 1 = 21.9 / 20 - 1 = 9.5 % */
    static const double ytd[] = {10, 30, 60, 100};
    static const double gy[] = {5, 8};
    static const double yoy[] = {NAN, NAN, NAN, NAN, 4.5};
    fx_entry e2[] = {{"g", "ytd", OT_KIND_FLOW, "2018Q1", ytd, 4, 0, NULL},
                     {"g", "ytd_yoy", OT_KIND_FLOW, "2019Q1", gy, 2, 0, NULL},
                     {"g", "yoy", OT_KIND_FLOW, "2018Q1", yoy, 5, 0, NULL}};
    load(&g, e2, 3, "g", INT32_MAX);
    assert_near(rec_period_rate(&g, 2019, 2), 9.5, 1e-9);
    /* a published yoy wins over the differenced ytd growth (5 % published) */
    assert_near(rec_period_rate(&g, 2019, 1), 4.5, 1e-12);
    frame_free(&g);
    frame_free(&f);
}

/* The rate method at 2019Q2: carry = ytd growth 34/30 - 1 = 13.333 %; the
 * rest of the year at the latest quarter's yoy r = 15 % with last year's
 * share s = 30/100: G = 0.3 x 1.13333 + 0.7 x 1.15 - 1 = 14.5 %. */
static void test_record_rate_aggregation(void **state)
{
    (void)state;
    frame f;
    double pts[REC_NC];
    ot_err err;
    fx_entry e[] = {{"q", "value", OT_KIND_FLOW, "2018Q1", q_val, 6, 0, NULL}};
    load(&f, e, 1, "q", INT32_MAX);
    assert_int_equal(rec_points(&f, NULL, "q", 2019, 2, NULL, NULL, NULL, pts, &err), OT_OK);
    assert_near(pts[CAND_CARRY], (34.0 / 30 - 1) * 100, 1e-9);
    assert_near(pts[CAND_RATE], 14.5, 1e-9);
    assert_true(isnan(pts[CAND_MODEL]));
    frame_free(&f);
}

/* The rate method with base effects (rate2y) at 2019Q2.  Values: 2017 10,
 * 10, 10, 10; 2018 11, 12, 13, 14 (yoy 10, 20, 30, 40 %, total 50); 2019
 * 12.1, 13.2 (yoy 10, 10 %).  Carry = 25.3/23 - 1 = 10 %; the plain rate
 * method: r = 10 % for the rest, G = 10 %.  With base effects, b = 20 %
 * (last year's Q2): Q3 at 10 + 0.5 (1.1 x 1.2 / 1.3 - 1 - 0.10) x 100 =
 * 5.769231 %, Q4 at 10 + 0.5 (1.32 / 1.4 - 1.10) x 100 = 2.142857 %; last
 * year's shares 23/50, 13/50, 14/50:
 * G = 0.46 x 1.10 + 0.26 x 1.0576923 + 0.28 x 1.0214286 - 1 = 0.506 + 0.275
 * + 0.286 - 1 = 6.7 %.  Without 2017 (no rates for 2018) it has no point. */
static void test_record_rate_base_effects(void **state)
{
    (void)state;
    static const double v[] = {10, 10, 10, 10, 11, 12, 13, 14, 12.1, 13.2};
    frame f;
    double pts[REC_NC];
    ot_err err;
    assert_near(rec_stacked_rate(10, 20, 30), 10 + 0.5 * (132 / 1.3 - 100 - 10), 1e-12);
    assert_near(rec_stacked_rate(10, 20, 30), 5.769230769, 1e-8);
    assert_near(rec_stacked_rate(10, 20, 40), 2.142857143, 1e-8);
    /* no base effect when last year's rates were even: r itself */
    assert_near(rec_stacked_rate(7, 5, 5), 7, 1e-12);
    fx_entry e[] = {{"b", "value", OT_KIND_FLOW, "2017Q1", v, 10, 0, NULL}};
    load(&f, e, 1, "b", INT32_MAX);
    assert_int_equal(rec_points(&f, NULL, "b", 2019, 2, NULL, NULL, NULL, pts, &err), OT_OK);
    assert_near(pts[CAND_CARRY], 10, 1e-9);
    assert_near(pts[CAND_RATE], 10, 1e-9);
    assert_near(pts[CAND_RATE2], 6.7, 1e-9);
    frame_free(&f);
    fx_entry e2[] = {{"b", "value", OT_KIND_FLOW, "2018Q1", v + 4, 6, 0, NULL}};
    load(&f, e2, 1, "b", INT32_MAX);
    assert_int_equal(rec_points(&f, NULL, "b", 2019, 2, NULL, NULL, NULL, pts, &err), OT_OK);
    assert_near(pts[CAND_RATE], 10, 1e-9);
    assert_true(isnan(pts[CAND_RATE2]));
    frame_free(&f);
}

/* Monthly yoy only, equal weights.  2018: Jan missing, Feb 10 (Jan–Feb),
 * Mar 4: ytd Feb 10, Mar (2 x 1.10 + 1.04)/3 - 1 = 8 %.  2019: Jan and Feb
 * missing, Mar 6, Apr 8: ytd Mar 6, Apr 7 (left-out months carry no
 * weight). */
static void test_record_fill_rate_ytd(void **state)
{
    (void)state;
    frame f;
    static const double yoy[] = {NAN, 10, 4, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN,
                                 NAN, NAN, 6, 8};
    fx_entry e[] = {{"m", "yoy", OT_KIND_FLOW, "2018-01", yoy, 16, 0, NULL}};
    load(&f, e, 1, "m", INT32_MAX);
    assert_int_equal(rec_fill_rate_ytd(&f, NULL), 4);
    assert_near(frame_get(&f, f.gy, 2018, 2), 10, 1e-9);
    assert_near(frame_get(&f, f.gy, 2018, 3), 8, 1e-9);
    assert_near(frame_get(&f, f.gy, 2019, 3), 6, 1e-9);
    assert_near(frame_get(&f, f.gy, 2019, 4), 7, 1e-9);
    assert_true(isnan(frame_get(&f, f.gy, 2019, 2)));
    frame_free(&f);
}

/* 2005..2019 quarterly: in year y, Q1 grows a_y, Q2-Q4 grow b_y over the
 * same quarter of y - 1 (a, b from a fixed pattern).  Then the rate method
 * at Q2 (the rest of the year at Q2's yoy b_y, weighted by last year's
 * levels) is exactly the outcome, while carry-forward is off by the Q1
 * difference. */
#define NY 15
static double hist[NY * 4];

static void fill_hist(void)
{
    double v[4] = {100, 110, 120, 130};
    for (int y = 0; y < NY; y++) {
        double a = 0.02 + 0.01 * (y % 5), b = 0.08 - 0.01 * (y % 3);
        for (int j = 0; j < 4; j++) {
            if (y)
                v[j] *= 1 + (j == 0 ? a : b);
            hist[y * 4 + j] = v[j];
        }
    }
}

static void test_record_choice_and_exclusion(void **state)
{
    (void)state;
    frame f;
    record r;
    ot_err err;
    fill_hist();
    fx_entry e[] = {{"h", "value", OT_KIND_FLOW, "2005Q1", hist, NY * 4, 0, NULL}};
    load(&f, e, 1, "h", INT32_MAX);
    assert_int_equal(rec_build(&r, &f, NULL, "h", 2019, 2, NULL, -1, 0, 0, 0, 0, NULL, NULL, &err),
                     OT_OK);
    /* 2018 back to 2007: REC_YEARS = 12 most recent years with an outcome */
    assert_int_equal(r.n, REC_YEARS);
    assert_int_equal(r.w, 1); /* quarterly: the choice scores Q1..Q3 */
    assert_int_equal(r.year[0], 2018);
    assert_int_equal(r.year[REC_YEARS - 1], 2018 - REC_YEARS + 1);
    /* exact at Q2 and Q3; at Q1 (pooled) the rate is Q1's own a_y */
    for (int i = 0; i < r.n; i++) {
        assert_near(r.pt[r.w][i][CAND_RATE], r.out[i], 1e-9);
        assert_near(r.pt[r.w + 1][i][CAND_RATE], r.out[i], 1e-9);
    }
    assert_true(r.mae[CAND_RATE] < r.mae[CAND_CARRY]);
    /* carry stays in: the point is the mean of the two */
    assert_int_equal(r.chosen, (1u << CAND_CARRY) | (1u << CAND_RATE));
    assert_near(r.point, (r.now[CAND_CARRY] + r.now[CAND_RATE]) / 2, 1e-12);
    /* the errors at k are out - (carry + rate)/2 = (rate - carry)/2 */
    assert_int_equal(r.years_k, REC_YEARS);
    for (int i = 0; i < r.years_k; i++)
        assert_near(r.err[i], (r.pt[r.w][i][CAND_RATE] - r.pt[r.w][i][CAND_CARRY]) / 2, 1e-9);
    /* a forced candidate is alone */
    assert_int_equal(rec_build(&r, &f, NULL, "h", 2019, 2, NULL, CAND_RATE, 0, 0, 0, 0, NULL, NULL,
                               &err), OT_OK);
    assert_int_equal(r.chosen, 1u << CAND_RATE);
    /* exceptional years leave the record, not the data: 2016-2017 skipped,
     * the record reaches back two years further */
    assert_int_equal(rec_build(&r, &f, NULL, "h", 2019, 2, NULL, -1, 2016, 2017, 0, 0, NULL, NULL,
                               &err), OT_OK);
    assert_int_equal(r.year[0], 2018);
    assert_int_equal(r.year[1], 2015);
    for (int i = 0; i < r.n; i++)
        assert_true(r.year[i] < 2016 || r.year[i] > 2017);
    /* too short: three years give carry-forward alone; one, nothing */
    assert_int_equal(rec_build(&r, &f, NULL, "h", 2009, 2, NULL, -1, 0, 0, 0, 0, NULL, NULL, &err),
                     OT_OK);
    assert_int_equal(r.n, 3);
    assert_int_equal(r.chosen, 1u << CAND_CARRY);
    assert_int_equal(rec_build(&r, &f, NULL, "h", 2007, 2, NULL, -1, 0, 0, 0, 0, NULL, NULL, &err),
                     OT_OK);
    assert_true(r.n < REC_MIN_SHORT);
    assert_int_equal(r.chosen, 0);
    frame_free(&f);
}

/* The choice's window (§10): a monthly record scores the candidates at the
 * as-of months within a quarter of a year of k (k-3..k+3), a quarterly one
 * at k-1..k+1.  Monthly flow 2010-2017: every month 100 in 2010, then
 * January-June grow 10 % a year and July-December stay flat, so the ytd
 * growth through k' overstates the year by an amount that changes with k'.
 * Carry-forward's MAE as of June 2017 (record 2011-2016) is worked here
 * from the raw values over months 3..9: mean |out_y - carry_y,k'|. */
#define WY 8
static void test_record_choice_window(void **state)
{
    (void)state;
    double v[WY * 12];
    for (int y = 0; y < WY; y++)
        for (int j = 0; j < 12; j++)
            v[y * 12 + j] = y ? v[(y - 1) * 12 + j] * (j < 6 ? 1.10 : 1.00) : 100;
    frame f;
    record r;
    ot_err err;
    fx_entry e[] = {{"m", "value", OT_KIND_FLOW, "2010-01", v, WY * 12, 0, NULL}};
    load(&f, e, 1, "m", INT32_MAX);
    assert_int_equal(rec_build(&r, &f, NULL, "m", 2017, 6, NULL, CAND_CARRY, 0, 0, 0, 0, NULL, NULL,
                               &err), OT_OK);
    assert_int_equal(r.w, 3);
    assert_int_equal(r.n, 6);
    double sum3 = 0, sum1 = 0;
    int n3 = 0, n1 = 0;
    for (int y = 1; y <= 6; y++) {
        double tot = 0, prev = 0;
        for (int j = 0; j < 12; j++) {
            tot += v[y * 12 + j];
            prev += v[(y - 1) * 12 + j];
        }
        double out = (tot / prev - 1) * 100;
        for (int kk = 3; kk <= 9; kk++) {
            double a = 0, b = 0;
            for (int j = 0; j < kk; j++) {
                a += v[y * 12 + j];
                b += v[(y - 1) * 12 + j];
            }
            double err_k = fabs(out - (a / b - 1) * 100);
            sum3 += err_k;
            n3++;
            if (kk >= 5 && kk <= 7) {
                sum1 += err_k;
                n1++;
            }
        }
    }
    assert_near(r.mae[CAND_CARRY], sum3 / n3, 1e-9);
    /* 3.539 over months 3..9; months 5..7 alone would give 4.021 */
    assert_near(sum3 / n3, 3.539217, 1e-6);
    assert_near(sum1 / n1, 4.020530, 1e-6);
    /* the range pools the errors of the same months: 6 years at each of 7 */
    assert_int_equal(r.years_k, 6);
    assert_int_equal(r.nerr, 42);
    frame_free(&f);
}

/* No look-ahead: the record of 2015 as of Q2 made from every year's data
 * equals the one made from the data cut at the end of 2015Q2; changing a
 * number after the cut changes nothing, changing one before it does. */
static void test_record_no_lookahead(void **state)
{
    (void)state;
    frame all, cut, alt;
    record r1, r2, r3;
    ot_err err;
    fill_hist();
    fx_entry e[] = {{"h", "value", OT_KIND_FLOW, "2005Q1", hist, NY * 4, 0, NULL}};
    load(&all, e, 1, "h", INT32_MAX);
    load(&cut, e, 1, "h", ot_period_last_day(OT_FREQ_Q, ot_period_make(OT_FREQ_Q, 2015, 2)));
    assert_int_equal(rec_build(&r1, &all, NULL, "h", 2015, 2, NULL, -1, 0, 0, 0, 0, NULL, NULL, &err),
                     OT_OK);
    assert_int_equal(rec_build(&r2, &cut, NULL, "h", 2015, 2, NULL, -1, 0, 0, 0, 0, NULL, NULL, &err),
                     OT_OK);
    assert_true(r1.n >= REC_MIN);
    assert_memory_equal(&r1, &r2, sizeof r1);
    /* a future year leaking in would show here: 2015Q3 and 2016 doubled */
    static double future[NY * 4];
    memcpy(future, hist, sizeof hist);
    for (int i = (2015 - 2005) * 4 + 2; i < NY * 4; i++)
        future[i] *= 2;
    fx_entry e2[] = {{"h", "value", OT_KIND_FLOW, "2005Q1", future, NY * 4, 0, NULL}};
    load(&alt, e2, 1, "h", INT32_MAX);
    assert_int_equal(rec_build(&r3, &alt, NULL, "h", 2015, 2, NULL, -1, 0, 0, 0, 0, NULL, NULL, &err),
                     OT_OK);
    assert_memory_equal(&r1, &r3, sizeof r1);
    frame_free(&alt);
    /* while the past counts: 2014Q4 changes the outcome of 2014 */
    memcpy(future, hist, sizeof hist);
    future[(2014 - 2005) * 4 + 3] *= 1.1;
    load(&alt, e2, 1, "h", INT32_MAX);
    assert_int_equal(rec_build(&r3, &alt, NULL, "h", 2015, 2, NULL, -1, 0, 0, 0, 0, NULL, NULL, &err),
                     OT_OK);
    assert_int_equal(r3.year[0], 2014);
    assert_true(fabs(r3.out[0] - r1.out[0]) > 1);
    frame_free(&alt);
    frame_free(&cut);
    frame_free(&all);
}

/* The level model's point through the memo: naive on the logs of
 * 2016-2019Q2 forecasts 23 for Q3 and Q4, so the year is 34 + 2 x 23 = 80
 * against 100: -20 %.  The second call is a hit (one entry). */
static void test_record_memo(void **state)
{
    (void)state;
    static const double v[] = {10, 20, 30, 40, 10, 20, 30, 40, 10, 20, 30, 40, 11, 23};
    frame f;
    double pts[REC_NC], again[REC_NC];
    ot_err err;
    fx_entry e[] = {{"q", "value", OT_KIND_FLOW, "2016Q1", v, 14, 0, NULL}};
    load(&f, e, 1, "q", INT32_MAX);
    ot_proj_memo *m = ot_proj_memo_new();
    assert_non_null(m);
    assert_int_equal(rec_points(&f, NULL, "q", 2019, 2, "naive", m, NULL, pts, &err), OT_OK);
    assert_near(pts[CAND_MODEL], -20, 1e-9);
    assert_int_equal(ot_proj_memo_size(m), 1);
    assert_int_equal(rec_points(&f, NULL, "q", 2019, 2, "naive", m, NULL, again, &err), OT_OK);
    assert_near(again[CAND_MODEL], -20, 1e-9);
    assert_int_equal(ot_proj_memo_size(m), 1);
    /* another origin is another entry */
    assert_int_equal(rec_points(&f, NULL, "q", 2019, 1, "naive", m, NULL, again, &err), OT_OK);
    assert_int_equal(ot_proj_memo_size(m), 2);
    ot_proj_memo_free(m);
    ot_proj_memo_free(NULL);
    frame_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_record_quantile),
        cmocka_unit_test(test_record_widen),
        cmocka_unit_test(test_record_weights),
        cmocka_unit_test(test_record_period_rate),
        cmocka_unit_test(test_record_rate_aggregation),
        cmocka_unit_test(test_record_rate_base_effects),
        cmocka_unit_test(test_record_fill_rate_ytd),
        cmocka_unit_test(test_record_choice_and_exclusion),
        cmocka_unit_test(test_record_choice_window),
        cmocka_unit_test(test_record_no_lookahead),
        cmocka_unit_test(test_record_memo),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
