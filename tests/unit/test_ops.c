/* test_ops.c — every time-series operation against hand-computed values
 * (the working is in the comments), Jan–Feb combined releases, missing
 * values, leap-year daily data, error messages, and failing allocations. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <math.h>

#include <cmocka.h>

#include "core/ops.h"
#include "failalloc.h"

#define X NAN
#define M(y, m) ((ot_ord)(y) * 12 + (m)-1)
#define Q(y, q) ((ot_ord)(y) * 4 + (q)-1)
#define N(a) (sizeof(a) / sizeof *(a))

static ot_series *mk(ot_freq f, ot_ord start, const double *v, size_t n)
{
    ot_series *s = ot_series_from(NULL, f, start, v, n, NULL);
    assert_non_null(s);
    return s;
}

/* Flags ordinal o of s as covered by the next value. */
static void cover(ot_series *s, ot_ord o)
{
    assert_int_equal(ot_series_ensure_flags(s, NULL), OT_OK);
    s->flags[o - s->start] |= OT_OBS_COVERED;
}

/* Asserts r spans [start, start + n) with values want (NaN matches NaN,
 * numbers to 1e-9). */
static void check(const ot_series *r, ot_ord start, const double *want, size_t n)
{
    assert_non_null(r);
    assert_int_equal(r->start, start);
    assert_int_equal(r->n, n);
    for (size_t i = 0; i < n; i++) {
        if (isnan(want[i]) != isnan(r->v[i]) || (!isnan(want[i]) && fabs(want[i] - r->v[i]) > 1e-9))
            fail_msg("value %zu: got %.12g, want %.12g", i, r->v[i], want[i]);
    }
}

/* The covered positions of r, as a string of '.' and 'c'. */
static void check_flags(const ot_series *r, const char *want)
{
    assert_int_equal(strlen(want), r->n);
    for (size_t i = 0; i < r->n; i++) {
        int c = r->flags && (r->flags[i] & OT_OBS_COVERED);
        if (c != (want[i] == 'c'))
            fail_msg("flag %zu: got %d, want %c", i, c, want[i]);
    }
}

/* ---- names ------------------------------------------------------------- */

static void test_ops_names_parse(void **state)
{
    (void)state;
    assert_int_equal(ot_ops_name_parse(ot_agg_names, "sum"), OT_AGG_SUM);
    assert_int_equal(ot_ops_name_parse(ot_agg_names, "first"), OT_AGG_FIRST);
    assert_int_equal(ot_ops_name_parse(ot_agg_names, "avg"), -1);
    assert_int_equal(ot_ops_name_parse(ot_roll_names, "sd"), OT_ROLL_SD);
    assert_int_equal(ot_ops_name_parse(ot_fill_names, "previous"), OT_FILL_PREVIOUS);
    assert_int_equal(ot_ops_name_parse(ot_align_names, "intersect"), OT_ALIGN_INTERSECT);
    assert_int_equal(ot_ops_name_parse(ot_fill_names, NULL), -1);
    assert_null(ot_agg_names[4]);
}

/* ---- arithmetic -------------------------------------------------------- */

static void test_ops_binop_union_and_intersect(void **state)
{
    (void)state;
    ot_err err;
    /* a: Jan..Mar 1 2 3;  b: Feb..Apr 10 20 -  */
    double av[] = {1, 2, 3}, bv[] = {10, 20, X};
    ot_series *a = mk(OT_FREQ_M, M(2023, 1), av, 3), *b = mk(OT_FREQ_M, M(2023, 2), bv, 3);
    ot_series_set_meta(a, "a", "A", "亿元", NULL);
    ot_series_set_meta(b, "b", "B", "亿元", NULL);
    /* union: Jan..Apr; Jan only in a, Apr missing in b -> NaN; Feb 2+10, Mar 3+20 */
    ot_series *r = ot_series_binop(a, b, '+', OT_ALIGN_UNION, &err);
    check(r, M(2023, 1), (double[]){X, 12, 23, X}, 4);
    assert_string_equal(r->unit, "亿元");
    assert_null(r->key);
    ot_series_free(r);
    r = ot_series_binop(a, b, '-', OT_ALIGN_INTERSECT, &err);
    check(r, M(2023, 2), (double[]){-8, -17}, 2);
    ot_series_free(r);
    r = ot_series_binop(a, b, '*', OT_ALIGN_UNION, &err);
    check(r, M(2023, 1), (double[]){X, 20, 60, X}, 4);
    assert_null(r->unit); /* a product has no unit of its own */
    ot_series_free(r);
    /* division by zero is missing, never inf */
    b->v[0] = 0;
    r = ot_series_binop(a, b, '/', OT_ALIGN_UNION, &err);
    check(r, M(2023, 1), (double[]){X, X, 3.0 / 20, X}, 4);
    ot_series_free(r);
    /* disjoint intersect is empty */
    ot_series *c = mk(OT_FREQ_M, M(2024, 1), av, 3);
    r = ot_series_binop(a, c, '+', OT_ALIGN_INTERSECT, &err);
    assert_non_null(r);
    assert_int_equal(r->n, 0);
    ot_series_free(r);
    /* errors */
    ot_series *q = mk(OT_FREQ_Q, Q(2023, 1), av, 3);
    assert_null(ot_series_binop(a, q, '+', OT_ALIGN_UNION, &err));
    assert_int_equal(err.code, OT_EINVAL);
    assert_string_equal(err.msg, "series frequencies differ (M and Q)");
    assert_null(ot_series_binop(a, b, '%', OT_ALIGN_UNION, &err));
    assert_string_equal(err.msg, "unknown operator '%' (expected +, -, * or /)");
    ot_series_free(a);
    ot_series_free(b);
    ot_series_free(c);
    ot_series_free(q);
}

static void test_ops_binop_janfeb(void **state)
{
    (void)state;
    ot_err err;
    /* a: Jan–Feb combined 30 (January covered), Mar 20; b: Jan 10, Feb 12, Mar 5.
     * a + b: Jan covered, Feb = 30 + (10 + 12) = 52, Mar = 25. */
    ot_series *a = mk(OT_FREQ_M, M(2023, 1), (double[]){X, 30, 20}, 3);
    ot_series *b = mk(OT_FREQ_M, M(2023, 1), (double[]){10, 12, 5}, 3);
    cover(a, M(2023, 1));
    ot_series *r = ot_series_binop(a, b, '+', OT_ALIGN_UNION, &err);
    check(r, M(2023, 1), (double[]){X, 52, 25}, 3);
    check_flags(r, "c..");
    ot_series_free(r);
    /* b - a the other way round: Feb = 22 - 30 = -8 */
    r = ot_series_binop(b, a, '-', OT_ALIGN_UNION, &err);
    check(r, M(2023, 1), (double[]){X, -8, -15}, 3);
    check_flags(r, "c..");
    ot_series_free(r);
    /* a stock cannot be summed over Jan and Feb: that February is NaN */
    b->kind = OT_KIND_STOCK;
    r = ot_series_binop(a, b, '+', OT_ALIGN_UNION, &err);
    check(r, M(2023, 1), (double[]){X, X, 25}, 3);
    ot_series_free(r);
    /* both combined: plain, January stays covered: 30 - 20 = 10 */
    b->kind = OT_KIND_FLOW;
    b->v[0] = X;
    b->v[1] = 20;
    cover(b, M(2023, 1));
    r = ot_series_binop(a, b, '-', OT_ALIGN_UNION, &err);
    check(r, M(2023, 1), (double[]){X, 10, 15}, 3);
    check_flags(r, "c..");
    ot_series_free(r);
    ot_series_free(a);
    ot_series_free(b);
}

static void test_ops_scalar_and_unm(void **state)
{
    (void)state;
    ot_err err;
    ot_series *s = mk(OT_FREQ_Y, 2020, (double[]){1, 2, X, 0}, 4);
    ot_series_set_meta(s, "k", NULL, "元", NULL);
    ot_series *r = ot_series_scalar(s, '*', 2, 0, &err);
    check(r, 2020, (double[]){2, 4, X, 0}, 4);
    assert_string_equal(r->unit, "元");
    ot_series_free(r);
    r = ot_series_scalar(s, '-', 10, 1, &err); /* 10 - s */
    check(r, 2020, (double[]){9, 8, X, 10}, 4);
    ot_series_free(r);
    r = ot_series_scalar(s, '-', 10, 0, &err); /* s - 10 */
    check(r, 2020, (double[]){-9, -8, X, -10}, 4);
    ot_series_free(r);
    r = ot_series_scalar(s, '/', 0, 0, &err); /* s / 0: all missing */
    check(r, 2020, (double[]){X, X, X, X}, 4);
    ot_series_free(r);
    r = ot_series_scalar(s, '/', 1, 1, &err); /* 1 / s: 1, 0.5, -, (1/0 ->) - */
    check(r, 2020, (double[]){1, 0.5, X, X}, 4);
    ot_series_free(r);
    r = ot_series_scalar(s, '+', 0.5, 0, &err);
    check(r, 2020, (double[]){1.5, 2.5, X, 0.5}, 4);
    ot_series_free(r);
    r = ot_series_unm(s, &err);
    check(r, 2020, (double[]){-1, -2, X, 0}, 4);
    assert_false(signbit(r->v[3])); /* 0, not -0 (which prints "-0") */
    ot_series_free(r);
    r = ot_series_scalar(s, '*', -1, 0, &err); /* 0 * -1 */
    assert_false(signbit(r->v[3]));
    ot_series_free(r);
    r = ot_series_scalar(s, '/', -5, 0, &err); /* 0 / -5 */
    assert_false(signbit(r->v[3]));
    ot_series_free(r);
    ot_series *neg = mk(OT_FREQ_Y, 2020, (double[]){-1, -1, -1, -1}, 4);
    r = ot_series_binop(s, neg, '*', OT_ALIGN_UNION, &err); /* 0 * -1, no flags */
    assert_false(signbit(r->v[3]));
    ot_series_free(r);
    assert_int_equal(ot_series_ensure_flags(neg, &err), OT_OK);
    r = ot_series_binop(s, neg, '*', OT_ALIGN_UNION, &err); /* the flagged path */
    assert_false(signbit(r->v[3]));
    ot_series_free(r);
    ot_series_free(neg);
    assert_null(ot_series_scalar(s, '^', 2, 0, &err));
    assert_string_equal(err.msg, "unknown operator '^' (expected +, -, * or /)");
    ot_series_free(s);
}

/* ---- shifts and growth ---------------------------------------------------- */

static void test_ops_lag_lead(void **state)
{
    (void)state;
    ot_err err;
    ot_series *s = mk(OT_FREQ_M, M(2023, 1), (double[]){1, 2, 3}, 3);
    cover(s, M(2023, 1));
    ot_series *r = ot_series_lag(s, 1, &err);
    check(r, M(2023, 2), (double[]){1, 2, 3}, 3); /* same values, a month later */
    check_flags(r, "c..");
    ot_series_free(r);
    r = ot_series_lead(s, 2, &err);
    check(r, M(2022, 11), (double[]){1, 2, 3}, 3);
    ot_series_free(r);
    assert_null(ot_series_lag(s, LONG_MAX, &err));
    assert_int_equal(err.code, OT_ERANGE);
    ot_series_free(s);
}

static void test_ops_diff_pct(void **state)
{
    (void)state;
    ot_err err;
    ot_series *s = mk(OT_FREQ_M, M(2023, 1), (double[]){1, 2, 4, X, 10}, 5);
    ot_series *r = ot_series_diff(s, 1, &err);
    check(r, M(2023, 1), (double[]){X, 1, 2, X, X}, 5);
    ot_series_free(r);
    r = ot_series_diff(s, 2, &err); /* 4-1, -, 10-4 */
    check(r, M(2023, 1), (double[]){X, X, 3, X, 6}, 5);
    ot_series_free(r);
    /* pct: 110/100 - 1 = 10%, 99/110 - 1 = -10%, x/0 -> NaN */
    ot_series *p = mk(OT_FREQ_Q, Q(2023, 1), (double[]){100, 110, 99, 0, 5}, 5);
    r = ot_series_pct(p, 1, &err);
    check(r, Q(2023, 1), (double[]){X, 10, -10, -100, X}, 5);
    assert_string_equal(r->unit, "%");
    assert_int_equal(r->kind, OT_KIND_RATE);
    ot_series_free(r);
    assert_null(ot_series_diff(s, 0, &err));
    assert_int_equal(err.code, OT_EINVAL);
    assert_string_equal(err.msg, "diff: lag must be at least 1 (got 0)");
    assert_null(ot_series_pct(s, -3, &err));
    assert_string_equal(err.msg, "pct: lag must be at least 1 (got -3)");
    ot_series_free(s);
    ot_series_free(p);
}

static void test_ops_yoy_monthly(void **state)
{
    (void)state;
    ot_err err;
    /* 2022: 100 + i; 2023: (100 + i) * 1.1, so every 2023 month grows 10% */
    double v[24];
    for (int i = 0; i < 12; i++) {
        v[i] = 100 + i;
        v[12 + i] = (100 + i) * 1.1;
    }
    v[15] = X; /* 2023-04 missing */
    ot_series *s = mk(OT_FREQ_M, M(2022, 1), v, 24);
    ot_series_set_meta(s, "yiwu.exports", "出口", "亿元", NULL);
    ot_series *r = ot_series_yoy(s, &err);
    double want[24];
    for (int i = 0; i < 24; i++)
        want[i] = i < 12 ? X : 10;
    want[15] = X;
    check(r, M(2022, 1), want, 24);
    assert_string_equal(r->key, "yiwu.exports");
    assert_string_equal(r->unit, "%");
    assert_int_equal(r->kind, OT_KIND_RATE);
    ot_series_free(r);
    /* pct(12) is the same */
    r = ot_series_pct(s, 12, &err);
    check(r, M(2022, 1), want, 24);
    ot_series_free(r);
    ot_series_free(s);
    /* quarterly and yearly use 4 and 1 */
    s = mk(OT_FREQ_Q, Q(2022, 1), (double[]){10, 20, 30, 40, 11, 22}, 6);
    r = ot_series_yoy(s, &err);
    check(r, Q(2022, 1), (double[]){X, X, X, X, 10, 10}, 6);
    ot_series_free(r);
    ot_series_free(s);
    s = mk(OT_FREQ_Y, 2021, (double[]){200, 215}, 2);
    r = ot_series_yoy(s, &err); /* 215/200 - 1 = 7.5% */
    check(r, 2021, (double[]){X, 7.5}, 2);
    ot_series_free(r);
    ot_series_free(s);
}

static void test_ops_yoy_janfeb(void **state)
{
    (void)state;
    ot_err err;
    /* 2022: Jan 40, Feb 50, Mar 60; 2023: Jan–Feb 99 (Jan covered), Mar 66.
     * Feb: 99 / (40 + 50) - 1 = 10%; Mar: 66 / 60 - 1 = 10%; Jan covered. */
    double v[15] = {40, 50, 60, 1, 1, 1, 1, 1, 1, 1, 1, 1, X, 99, 66};
    ot_series *s = mk(OT_FREQ_M, M(2022, 1), v, 15);
    cover(s, M(2023, 1));
    ot_series *r = ot_series_yoy(s, &err);
    double want[15] = {X, X, X, X, X, X, X, X, X, X, X, X, X, 10, 10};
    check(r, M(2022, 1), want, 15);
    check_flags(r, "............c..");
    ot_series_free(r);
    /* last year combined as well: 99 / 90 - 1 = 10% */
    s->v[0] = X;
    s->v[1] = 90;
    cover(s, M(2022, 1));
    r = ot_series_yoy(s, &err);
    check(r, M(2022, 1), want, 15);
    ot_series_free(r);
    /* diff(12) follows the same rule: 99 - 90 = 9, 66 - 60 = 6 */
    r = ot_series_diff(s, 12, &err);
    want[13] = 9;
    want[14] = 6;
    check(r, M(2022, 1), want, 15);
    ot_series_free(r);
    /* month-on-month changes of or against a combined value have no answer:
     * Feb covers two months, and March against it would compare one month
     * with two */
    r = ot_series_pct(s, 1, &err);
    assert_true(isnan(r->v[13]));
    assert_true(isnan(r->v[14]));
    check_flags(r, "..............."); /* not a whole-year shift: nothing covered */
    ot_series_free(r);
    /* last year's January simply missing: no comparison */
    s->flags[0] = 0;
    r = ot_series_yoy(s, &err);
    assert_true(isnan(r->v[13]));
    ot_series_free(r);
    ot_series_free(s);
    /* combined last year, separate this year: neither month comparable */
    double w[14] = {X, 90, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 44, 55};
    s = mk(OT_FREQ_M, M(2022, 1), w, 14);
    cover(s, M(2022, 1));
    r = ot_series_yoy(s, &err);
    assert_true(isnan(r->v[12]) && isnan(r->v[13]));
    ot_series_free(r);
    ot_series_free(s);
}

static void test_ops_yoy_daily_leap_year(void **state)
{
    (void)state;
    ot_err err;
    /* 2023-02-27 .. 2024-03-01: 2023 days are 100, 2024 days 110, except
     * 2024-02-28 = 121.  yoy: 2024-02-27 110/100 = +10%, 02-28 +21%, 02-29
     * has no counterpart (NaN), 03-01 vs 2023-03-01 +10%; 2023 days and
     * 2024 days before 02-27 (their counterparts precede s) NaN. */
    ot_ord d0 = ot_days_from_civil(2023, 2, 27), d1 = ot_days_from_civil(2024, 3, 1);
    size_t n = (size_t)(d1 - d0 + 1);
    assert_int_equal(n, 369); /* 2023-02-27 + 366 days = 2024-02-28 (2024 leap) */
    ot_series *s = ot_series_new(NULL, OT_FREQ_D, d0, n, &err);
    for (size_t i = 0; i < n; i++)
        s->v[i] = ot_period_year(OT_FREQ_D, d0 + (ot_ord)i) == 2023 ? 100 : 110;
    s->v[ot_days_from_civil(2024, 2, 28) - d0] = 121;
    ot_series *r = ot_series_yoy(s, &err);
    assert_non_null(r);
    assert_true(isnan(r->v[0]));
    assert_true(isnan(r->v[ot_days_from_civil(2023, 12, 31) - d0]));
    assert_true(isnan(r->v[ot_days_from_civil(2024, 1, 1) - d0])); /* 2023-01-01 not in s */
    assert_true(isnan(r->v[ot_days_from_civil(2024, 2, 26) - d0])); /* 2023-02-26 not in s */
    assert_true(fabs(r->v[ot_days_from_civil(2024, 2, 27) - d0] - 10) < 1e-9);
    assert_true(fabs(r->v[ot_days_from_civil(2024, 2, 28) - d0] - 21) < 1e-9);
    assert_true(isnan(r->v[ot_days_from_civil(2024, 2, 29) - d0]));
    assert_true(fabs(r->v[ot_days_from_civil(2024, 3, 1) - d0] - 10) < 1e-9);
    ot_series_free(r);
    ot_series_free(s);
}

/* ---- year to date ---------------------------------------------------------- */

static void test_ops_ytd(void **state)
{
    (void)state;
    ot_err err;
    /* 2022-11..2023-05: 5 6 | 1 2 3 - 5.  2022 starts mid-year: unknown.
     * 2023: 1, 1+2 = 3, 3+3 = 6, then missing for the rest of the year. */
    ot_series *s = mk(OT_FREQ_M, M(2022, 11), (double[]){5, 6, 1, 2, 3, X, 5}, 7);
    ot_series *r = ot_series_ytd(s, &err);
    check(r, M(2022, 11), (double[]){X, X, 1, 3, 6, X, X}, 7);
    ot_series_free(r);
    ot_series_free(s);
    /* quarterly across a year: 1, 3, 6, 10 | 5, 11 */
    s = mk(OT_FREQ_Q, Q(2023, 1), (double[]){1, 2, 3, 4, 5, 6}, 6);
    r = ot_series_ytd(s, &err);
    check(r, Q(2023, 1), (double[]){1, 3, 6, 10, 5, 11}, 6);
    ot_series_free(r);
    ot_series_free(s);
    /* yearly: unchanged */
    s = mk(OT_FREQ_Y, 2020, (double[]){7, 8}, 2);
    r = ot_series_ytd(s, &err);
    check(r, 2020, (double[]){7, 8}, 2);
    ot_series_free(r);
    ot_series_free(s);
}

static void test_ops_ytd_janfeb(void **state)
{
    (void)state;
    ot_err err;
    /* Jan covered, Feb (Jan–Feb) 30, Mar 20, Apr 10: ytd Jan is absent (NaN,
     * unflagged, as a ytd series shows a Jan–Feb release), Feb 30, Mar 50,
     * Apr 60. */
    ot_series *s = mk(OT_FREQ_M, M(2023, 1), (double[]){X, 30, 20, 10}, 4);
    cover(s, M(2023, 1));
    ot_series *r = ot_series_ytd(s, &err);
    check(r, M(2023, 1), (double[]){X, 30, 50, 60}, 4);
    check_flags(r, "....");
    /* and back: from_ytd gives Feb = 30 with January covered again */
    ot_series *b = ot_series_from_ytd(r, &err);
    check(b, M(2023, 1), (double[]){X, 30, 20, 10}, 4);
    check_flags(b, "c...");
    ot_series_free(b);
    ot_series_free(r);
    ot_series_free(s);
}

static void test_ops_from_ytd(void **state)
{
    (void)state;
    ot_err err;
    /* ytd 2023 Jan..Jun: 10 25 - 60 75 90.  Jan 10, Feb 25-10 = 15, Mar
     * missing, Apr 60-25 = 35 covering Mar and Apr (Mar flagged), May 15,
     * Jun 15. */
    ot_series *s = mk(OT_FREQ_M, M(2023, 1), (double[]){10, 25, X, 60, 75, 90}, 6);
    ot_series *r = ot_series_from_ytd(s, &err);
    check(r, M(2023, 1), (double[]){10, 15, X, 35, 15, 15}, 6);
    check_flags(r, "..c...");
    /* to("Q"): Q1 ends on a covered March whose value lies in Q2, and Q2's
     * April brings in March: both quarters are incomplete */
    ot_series *q = ot_series_to(r, OT_FREQ_Q, OT_AGG_SUM, &err);
    check(q, Q(2023, 1), (double[]){X, X}, 2);
    ot_series_free(q);
    ot_series_free(r);
    ot_series_free(s);
    /* a ytd series starting with the Jan–Feb release: the result starts in
     * January, covered; Feb 30, Mar 50-30 = 20, Apr 60-50 = 10 */
    s = mk(OT_FREQ_M, M(2023, 2), (double[]){30, 50, 60}, 3);
    r = ot_series_from_ytd(s, &err);
    check(r, M(2023, 1), (double[]){X, 30, 20, 10}, 4);
    check_flags(r, "c...");
    ot_series_free(r);
    ot_series_free(s);
    /* across a year end: ytd resets; Dec 120-100 = 20, Jan 10, Feb 15, and a
     * trailing missing total stays missing (not covered) */
    s = mk(OT_FREQ_M, M(2022, 12), (double[]){120, 10, 25, X}, 4);
    r = ot_series_from_ytd(s, &err);
    assert_int_equal(r->start, M(2022, 1)); /* Dec's total covers Jan..Dec */
    assert_int_equal(r->n, 15);
    assert_true(r->v[11] == 120 && r->v[12] == 10 && r->v[13] == 15 && isnan(r->v[14]));
    check_flags(r, "ccccccccccc....");
    ot_series_free(r);
    ot_series_free(s);
    /* quarterly: 5, 12-5 = 7 */
    s = mk(OT_FREQ_Q, Q(2023, 1), (double[]){5, 12}, 2);
    r = ot_series_from_ytd(s, &err);
    check(r, Q(2023, 1), (double[]){5, 7}, 2);
    ot_series_free(r);
    ot_series_free(s);
}

static void test_ops_ytd_yoy(void **state)
{
    (void)state;
    ot_err err;
    /* 2022 Jan..Mar 10 20 30 (rest 1); 2023 Jan 11, Feb 22, Mar 33.
     * ytd 2022: 10 30 60; 2023: 11 33 66 -> +10% each. */
    double v[15] = {10, 20, 30, 1, 1, 1, 1, 1, 1, 1, 1, 1, 11, 22, 33};
    ot_series *s = mk(OT_FREQ_M, M(2022, 1), v, 15);
    ot_series *r = ot_series_ytd_yoy(s, &err);
    assert_true(fabs(r->v[12] - 10) < 1e-9 && fabs(r->v[13] - 10) < 1e-9 &&
                fabs(r->v[14] - 10) < 1e-9);
    assert_true(isnan(r->v[11]));
    assert_string_equal(r->unit, "%");
    ot_series_free(r);
    /* 2023 Jan–Feb combined 33 (Jan covered): ytd 2023 - 33 66 -> Jan NaN,
     * Feb 33/30 = +10%, Mar 66/60 = +10% */
    s->v[12] = X;
    s->v[13] = 33;
    cover(s, M(2023, 1));
    r = ot_series_ytd_yoy(s, &err);
    assert_true(isnan(r->v[12]));
    assert_true(fabs(r->v[13] - 10) < 1e-9 && fabs(r->v[14] - 10) < 1e-9);
    ot_series_free(r);
    ot_series_free(s);
}

static void test_ops_ytd_edges(void **state)
{
    (void)state;
    ot_err err;
    /* a covered December whose value sits in January: January's value brings
     * in last year's December, so 2024's totals are unknown */
    ot_series *s = mk(OT_FREQ_M, M(2023, 11), (double[]){1, X, 5, 2}, 4);
    cover(s, M(2023, 12));
    ot_series *r = ot_series_ytd(s, &err);
    check(r, M(2023, 11), (double[]){X, X, X, X}, 4);
    ot_series_free(r);
    ot_series_free(s);
    /* daily, across a year end: 2024-12-30 is mid-year (unknown), 2025-01-01
     * restarts at 3, then 3 + 4 = 7 */
    ot_ord d = ot_days_from_civil(2024, 12, 30);
    s = mk(OT_FREQ_D, d, (double[]){1, 2, 3, 4}, 4);
    r = ot_series_ytd(s, &err);
    check(r, d, (double[]){X, X, 3, 7}, 4);
    /* back: the result starts on 2024-01-01; 2024 has no present totals, so
     * nothing there is covered; 2025: 3, 7-3 = 4 */
    ot_series *b = ot_series_from_ytd(r, &err);
    assert_int_equal(b->start, ot_days_from_civil(2024, 1, 1));
    assert_int_equal(b->n, 366 + 2);
    assert_true(b->v[366] == 3 && b->v[367] == 4);
    assert_false(ot_series_covered(b, d));
    ot_series_free(b);
    ot_series_free(r);
    ot_series_free(s);
    /* no frequency */
    s = mk(OT_FREQ_NONE, 0, (double[]){1}, 1);
    assert_null(ot_series_ytd(s, &err));
    assert_string_equal(err.msg, "ytd needs a frequency");
    assert_null(ot_series_from_ytd(s, &err));
    assert_string_equal(err.msg, "from_ytd needs a frequency");
    assert_null(ot_series_yoy(s, &err));
    assert_string_equal(err.msg, "yoy needs a frequency");
    assert_null(ot_series_ytd_yoy(s, &err));
    assert_string_equal(err.msg, "ytd_yoy needs a frequency");
    ot_series_free(s);
}

static void test_ops_flags_follow_values(void **state)
{
    (void)state;
    ot_err err;
    /* scalar ops and unm keep January covered: Feb 30 * 2 = 60 */
    ot_series *s = mk(OT_FREQ_M, M(2023, 1), (double[]){X, 30, 20}, 3);
    cover(s, M(2023, 1));
    ot_series *r = ot_series_scalar(s, '*', 2, 0, &err);
    check(r, M(2023, 1), (double[]){X, 60, 40}, 3);
    check_flags(r, "c..");
    ot_series_free(r);
    r = ot_series_unm(s, &err);
    check_flags(r, "c..");
    ot_series_free(r);
    /* intersect with a series from February: Feb's Jan–Feb value has no
     * counterpart total in b (its January is outside b) */
    ot_series *b = mk(OT_FREQ_M, M(2023, 2), (double[]){5, 6}, 2);
    r = ot_series_binop(s, b, '+', OT_ALIGN_INTERSECT, &err);
    check(r, M(2023, 2), (double[]){X, 26}, 2);
    ot_series_free(r);
    ot_series_free(b);
    ot_series_free(s);
}

/* A fixed linear congruential generator, so the property test is the same
 * on every run (Numerical Recipes' constants). */
static unsigned lcg(unsigned *x)
{
    *x = *x * 1664525u + 1013904223u;
    return *x >> 8;
}

/* Properties over 200 random monthly series of 5 years with Jan–Feb combined
 * releases in random years and random missing months:
 *   ytd(from_ytd(ytd(x))) == ytd(x)   (the round trip loses nothing)
 *   to(from_ytd(ytd(x)), Y) == to(x, Y) wherever the latter is known. */
static void test_ops_ytd_round_trip_property(void **state)
{
    (void)state;
    ot_err err;
    unsigned seed = 12345;
    for (int rep = 0; rep < 200; rep++) {
        double v[60];
        for (int i = 0; i < 60; i++)
            v[i] = (double)(lcg(&seed) % 1000) / 10.0;
        ot_series *x = mk(OT_FREQ_M, M(2019, 1), v, 60);
        for (int y = 0; y < 5; y++) {
            if (lcg(&seed) % 2) {
                x->v[y * 12] = X;
                cover(x, M(2019 + y, 1));
            }
            if (lcg(&seed) % 4 == 0)
                x->v[y * 12 + 2 + (int)(lcg(&seed) % 10)] = X;
        }
        ot_series *y1 = ot_series_ytd(x, &err);
        ot_series *b = ot_series_from_ytd(y1, &err);
        ot_series *y2 = ot_series_ytd(b, &err);
        check(y2, y1->start, y1->v, y1->n);
        ot_series *ax = ot_series_to(x, OT_FREQ_Y, OT_AGG_SUM, &err);
        ot_series *ab = ot_series_to(b, OT_FREQ_Y, OT_AGG_SUM, &err);
        for (size_t i = 0; i < ax->n; i++)
            if (!isnan(ax->v[i]))
                assert_true(fabs(ax->v[i] - ab->v[i]) < 1e-9);
        ot_series_free(ax);
        ot_series_free(ab);
        ot_series_free(y2);
        ot_series_free(b);
        ot_series_free(y1);
        ot_series_free(x);
    }
}

/* ---- frequency conversion --------------------------------------------------- */

static void test_ops_to_quarter_and_year(void **state)
{
    (void)state;
    ot_err err;
    /* 2023 Jan..Jun 1..6, Jul 7, Aug missing */
    ot_series *s = mk(OT_FREQ_M, M(2023, 1), (double[]){1, 2, 3, 4, 5, 6, 7, X}, 8);
    ot_series *r = ot_series_to(s, OT_FREQ_Q, OT_AGG_SUM, &err); /* 6, 15, Q3 partial */
    check(r, Q(2023, 1), (double[]){6, 15, X}, 3);
    ot_series_free(r);
    r = ot_series_to(s, OT_FREQ_Q, OT_AGG_MEAN, &err); /* 2, 5 */
    check(r, Q(2023, 1), (double[]){2, 5, X}, 3);
    ot_series_free(r);
    r = ot_series_to(s, OT_FREQ_Q, OT_AGG_LAST, &err);
    check(r, Q(2023, 1), (double[]){3, 6, X}, 3);
    ot_series_free(r);
    r = ot_series_to(s, OT_FREQ_Q, OT_AGG_FIRST, &err);
    check(r, Q(2023, 1), (double[]){1, 4, X}, 3);
    ot_series_free(r);
    r = ot_series_to(s, OT_FREQ_Y, OT_AGG_SUM, &err); /* incomplete year */
    check(r, 2023, (double[]){X}, 1);
    ot_series_free(r);
    /* OT_AGG_NONE goes by kind: flow sums, stock takes the last, rate means */
    r = ot_series_to(s, OT_FREQ_Q, OT_AGG_NONE, &err);
    check(r, Q(2023, 1), (double[]){6, 15, X}, 3);
    ot_series_free(r);
    s->kind = OT_KIND_STOCK;
    r = ot_series_to(s, OT_FREQ_Q, OT_AGG_NONE, &err);
    check(r, Q(2023, 1), (double[]){3, 6, X}, 3);
    ot_series_free(r);
    s->kind = OT_KIND_RATE;
    r = ot_series_to(s, OT_FREQ_Q, OT_AGG_NONE, &err);
    check(r, Q(2023, 1), (double[]){2, 5, X}, 3);
    ot_series_free(r);
    s->kind = OT_KIND_FLOW;
    r = ot_series_to(s, OT_FREQ_M, OT_AGG_SUM, &err); /* same frequency: a copy */
    check(r, M(2023, 1), s->v, 8);
    ot_series_free(r);
    /* series starting in February: Q1 partial */
    ot_series *t = mk(OT_FREQ_M, M(2023, 2), (double[]){2, 3, 4, 5, 6}, 5);
    r = ot_series_to(t, OT_FREQ_Q, OT_AGG_SUM, &err);
    check(r, Q(2023, 1), (double[]){X, 15}, 2);
    ot_series_free(r);
    ot_series_free(t);
    /* quarters to a year: 10+20+30+40 = 100 */
    t = mk(OT_FREQ_Q, Q(2023, 1), (double[]){10, 20, 30, 40}, 4);
    r = ot_series_to(t, OT_FREQ_Y, OT_AGG_SUM, &err);
    check(r, 2023, (double[]){100}, 1);
    ot_series_free(r);
    /* errors */
    assert_null(ot_series_to(t, OT_FREQ_M, OT_AGG_SUM, &err));
    assert_int_equal(err.code, OT_EINVAL);
    assert_string_equal(err.msg, "cannot convert Q data to M (expected a coarser frequency)");
    assert_null(ot_series_to(t, OT_FREQ_NONE, OT_AGG_SUM, &err));
    assert_string_equal(err.msg,
                        "cannot convert Q data to no frequency (expected a coarser frequency)");
    ot_series_free(t);
    ot_series_free(s);
}

static void test_ops_to_quarter_janfeb(void **state)
{
    (void)state;
    ot_err err;
    /* Jan covered, Feb (Jan–Feb) 30, Mar 20 | Apr 10, May 11, Jun 12.
     * Q1 sum = 30 + 20 = 50 (all three months there); mean = 50/3;
     * last = Mar 20; first = NaN (January has no value of its own). */
    ot_series *s = mk(OT_FREQ_M, M(2023, 1), (double[]){X, 30, 20, 10, 11, 12}, 6);
    cover(s, M(2023, 1));
    ot_series *r = ot_series_to(s, OT_FREQ_Q, OT_AGG_SUM, &err);
    check(r, Q(2023, 1), (double[]){50, 33}, 2);
    ot_series_free(r);
    r = ot_series_to(s, OT_FREQ_Q, OT_AGG_MEAN, &err);
    check(r, Q(2023, 1), (double[]){50.0 / 3, 11}, 2);
    ot_series_free(r);
    r = ot_series_to(s, OT_FREQ_Q, OT_AGG_LAST, &err);
    check(r, Q(2023, 1), (double[]){20, 12}, 2);
    ot_series_free(r);
    r = ot_series_to(s, OT_FREQ_Q, OT_AGG_FIRST, &err);
    check(r, Q(2023, 1), (double[]){X, 10}, 2);
    ot_series_free(r);
    /* a January that is simply missing (not covered) leaves Q1 incomplete */
    s->flags[0] = 0;
    r = ot_series_to(s, OT_FREQ_Q, OT_AGG_SUM, &err);
    check(r, Q(2023, 1), (double[]){X, 33}, 2);
    ot_series_free(r);
    ot_series_free(s);
}

static void test_ops_mean_janfeb_rate(void **state)
{
    (void)state;
    ot_err err;
    /* China's retail sales, growth on a year earlier (%), 2023: 1-2月 3.5
     * (January covered), March 10.6, April 18.4, May 12.7, June 3.1.  A rate
     * of Jan–Feb is the rate of both months, so Q1's mean is
     * (3.5 * 2 + 10.6) / 3 = 5.8667 (NBS: 5.8), not (3.5 + 10.6) / 3 = 4.7;
     * Q2 (18.4 + 12.7 + 3.1) / 3 = 11.4. */
    ot_series *s = mk(OT_FREQ_M, M(2023, 1), (double[]){X, 3.5, 10.6, 18.4, 12.7, 3.1}, 6);
    cover(s, M(2023, 1));
    s->kind = OT_KIND_RATE;
    ot_series *r = ot_series_to(s, OT_FREQ_Q, OT_AGG_NONE, &err); /* a rate: the mean */
    check(r, Q(2023, 1), (double[]){17.6 / 3, 34.2 / 3}, 2);
    ot_series_free(r);
    /* a stock's Jan–Feb level likewise stands for both months */
    s->kind = OT_KIND_STOCK;
    r = ot_series_to(s, OT_FREQ_Q, OT_AGG_MEAN, &err);
    check(r, Q(2023, 1), (double[]){17.6 / 3, 34.2 / 3}, 2);
    ot_series_free(r);
    /* rolling means of 2 and 3: [Jan, Feb] = 3.5; [Feb, Mar] splits the
     * Jan–Feb value -> NaN; [Jan, Mar] = 17.6 / 3; [Mar, Apr] = 14.5 */
    s->kind = OT_KIND_RATE;
    r = ot_series_rolling(s, 2, OT_ROLL_MEAN, &err);
    check(r, M(2023, 1), (double[]){X, 3.5, X, 14.5, 15.55, 7.9}, 6);
    ot_series_free(r);
    r = ot_series_rolling(s, 3, OT_ROLL_MEAN, &err);
    check(r, M(2023, 1), (double[]){X, X, 17.6 / 3, X, 41.7 / 3, 34.2 / 3}, 6);
    ot_series_free(r);
    /* index on the first quarter's mean: June 3.1 / (17.6 / 3) * 100 */
    r = ot_series_index(s, (ot_period){OT_FREQ_Q, Q(2023, 1), 1}, &err);
    assert_non_null(r);
    assert_true(fabs(r->v[5] - 3.1 / (17.6 / 3) * 100) < 1e-9);
    ot_series_free(r);
    /* a flow's Jan–Feb value is the two months' total: counted once */
    s->kind = OT_KIND_FLOW;
    r = ot_series_to(s, OT_FREQ_Q, OT_AGG_MEAN, &err);
    check(r, Q(2023, 1), (double[]){14.1 / 3, 34.2 / 3}, 2);
    ot_series_free(r);
    ot_series_free(s);
}

static void test_ops_to_from_daily(void **state)
{
    (void)state;
    ot_err err;
    /* 2024-02-01 .. 2024-03-01, every day 1: February (29 days in 2024) sums
     * to 29, mean 1; March has one day only -> incomplete */
    ot_ord d0 = ot_days_from_civil(2024, 2, 1);
    ot_series *s = ot_series_new(NULL, OT_FREQ_D, d0, 30, &err);
    for (size_t i = 0; i < 30; i++)
        s->v[i] = 1;
    ot_series *r = ot_series_to(s, OT_FREQ_M, OT_AGG_SUM, &err);
    check(r, M(2024, 2), (double[]){29, X}, 2);
    ot_series_free(r);
    r = ot_series_to(s, OT_FREQ_M, OT_AGG_MEAN, &err);
    check(r, M(2024, 2), (double[]){1, X}, 2);
    ot_series_free(r);
    r = ot_series_to(s, OT_FREQ_Q, OT_AGG_SUM, &err); /* Q1 lacks January */
    check(r, Q(2024, 1), (double[]){X}, 1);
    ot_series_free(r);
    ot_series_free(s);
    /* a whole leap year: 366 days of 2 = 732 */
    s = ot_series_new(NULL, OT_FREQ_D, ot_days_from_civil(2024, 1, 1), 366, &err);
    for (size_t i = 0; i < 366; i++)
        s->v[i] = 2;
    r = ot_series_to(s, OT_FREQ_Y, OT_AGG_SUM, &err);
    check(r, 2024, (double[]){732}, 1);
    ot_series_free(r);
    ot_series_free(s);
}

/* ---- windows, rolling, fill ---------------------------------------------- */

static void test_ops_window(void **state)
{
    (void)state;
    ot_err err;
    ot_series *s = mk(OT_FREQ_M, M(2023, 1), (double[]){1, 2, 3}, 3);
    ot_series *r = ot_series_window(s, M(2023, 2), M(2023, 4), &err);
    check(r, M(2023, 2), (double[]){2, 3, X}, 3);
    ot_series_free(r);
    assert_null(ot_series_window(s, M(2023, 3), M(2023, 1), &err));
    assert_int_equal(err.code, OT_EINVAL);
    assert_string_equal(err.msg, "window end 2023-01 is before its start 2023-03");
    ot_series_free(s);
    /* Dec 5, Jan covered, Feb (Jan–Feb) 30, Mar 20.  From January the span
     * is whole: Jan covered, Feb 30.  From February, 30 is not February's
     * alone: missing, nothing covered, March kept. */
    s = mk(OT_FREQ_M, M(2022, 12), (double[]){5, X, 30, 20}, 4);
    cover(s, M(2023, 1));
    r = ot_series_window(s, M(2023, 1), M(2023, 3), &err);
    check(r, M(2023, 1), (double[]){X, 30, 20}, 3);
    check_flags(r, "c..");
    ot_series_free(r);
    r = ot_series_window(s, M(2023, 2), M(2023, 3), &err);
    check(r, M(2023, 2), (double[]){X, 20}, 2);
    assert_false(ot_series_covered(r, M(2023, 2)));
    ot_series_free(r);
    /* a span of three (from_ytd over a gap): Jan, Feb covered, Mar 60 */
    ot_series *t = mk(OT_FREQ_M, M(2023, 1), (double[]){X, X, 60, 7}, 4);
    cover(t, M(2023, 1));
    cover(t, M(2023, 2));
    r = ot_series_window(t, M(2023, 2), M(2023, 4), &err);
    check(r, M(2023, 2), (double[]){X, X, 7}, 3);
    check_flags(r, "...");
    ot_series_free(r);
    /* ending in the span: to February leaves January (and February) to a
     * value outside, March's 60 -> both missing and uncovered (they were
     * left "(in next)" with no next) */
    r = ot_series_window(t, M(2023, 1), M(2023, 2), &err);
    check(r, M(2023, 1), (double[]){X, X}, 2);
    check_flags(r, "..");
    ot_series_free(r);
    ot_series_free(t);
    /* Dec 5 to the covered January: Jan missing, not covered */
    r = ot_series_window(s, M(2022, 12), M(2023, 1), &err);
    check(r, M(2022, 12), (double[]){5, X}, 2);
    check_flags(r, "..");
    ot_series_free(r);
    ot_series_free(s);
}

static void test_ops_rolling(void **state)
{
    (void)state;
    ot_err err;
    ot_series *s = mk(OT_FREQ_M, M(2023, 1), (double[]){1, 2, 3, 4, X, 6}, 6);
    struct {
        ot_roll fn;
        double want[6];
    } cases[] = {
        {OT_ROLL_SUM, {X, X, 6, 9, X, X}},  /* 1+2+3, 2+3+4 */
        {OT_ROLL_MEAN, {X, X, 2, 3, X, X}},
        {OT_ROLL_MIN, {X, X, 1, 2, X, X}},
        {OT_ROLL_MAX, {X, X, 3, 4, X, X}},
        {OT_ROLL_SD, {X, X, 1, 1, X, X}},   /* sd(1,2,3) = sqrt(2/2) = 1 */
    };
    for (size_t i = 0; i < N(cases); i++) {
        ot_series *r = ot_series_rolling(s, 3, cases[i].fn, &err);
        check(r, M(2023, 1), cases[i].want, 6);
        ot_series_free(r);
    }
    ot_series *r = ot_series_rolling(s, 2, OT_ROLL_SD, &err); /* sd(1,2) = sqrt(0.5) */
    assert_true(fabs(r->v[1] - 0.70710678118654757) < 1e-12);
    ot_series_free(r);
    assert_null(ot_series_rolling(s, 0, OT_ROLL_SUM, &err));
    assert_string_equal(err.msg, "rolling window must be at least 1 (got 0)");
    assert_null(ot_series_rolling(s, 1, OT_ROLL_SD, &err));
    assert_string_equal(err.msg, "rolling window must be at least 2 (got 1)");
    ot_series_free(s);
    /* Jan–Feb: Jan covered, Feb 30, Mar 20, Apr 10; 2-month sums: Feb's
     * window [Jan, Feb] = 30; Mar's [Feb, Mar] would split the Jan–Feb value
     * -> NaN; Apr's [Mar, Apr] = 30 */
    s = mk(OT_FREQ_M, M(2023, 1), (double[]){X, 30, 20, 10}, 4);
    cover(s, M(2023, 1));
    r = ot_series_rolling(s, 2, OT_ROLL_SUM, &err);
    check(r, M(2023, 1), (double[]){X, 30, X, 30}, 4);
    ot_series_free(r);
    ot_series_free(s);
}

/* The window of w ending at index i computed the slow way, from the rules
 * of ops.h: sum and mean accept covered positions whose covering value is
 * inside the window (a rate's span value counting once per position in a
 * mean); min, max and sd need w present values; sd is the two-pass sample
 * standard deviation. */
static double naive_roll(const ot_series *s, size_t i, size_t w, ot_roll fn)
{
    size_t j = i + 1 - w;
    int c = 0;
    double acc = 0, lo = INFINITY, hi = -INFINITY;
    if (fn == OT_ROLL_SUM || fn == OT_ROLL_MEAN) {
        if ((j > 0 && s->flags && s->flags[j - 1]) || (s->flags && s->flags[i]))
            return NAN;
        for (size_t t = j; t <= i; t++) {
            if (s->flags && s->flags[t])
                continue;
            size_t span = 1;
            while (fn == OT_ROLL_MEAN && s->kind != OT_KIND_FLOW && s->flags && t >= span &&
                   s->flags[t - span])
                span++;
            acc += s->v[t] * (double)span;
        }
        return fn == OT_ROLL_SUM ? acc : acc / (double)w;
    }
    for (size_t t = j; t <= i; t++) {
        if (isnan(s->v[t]))
            return NAN;
        acc += s->v[t];
        lo = fmin(lo, s->v[t]);
        hi = fmax(hi, s->v[t]);
        c++;
    }
    if (fn == OT_ROLL_MIN || fn == OT_ROLL_MAX)
        return fn == OT_ROLL_MIN ? lo : hi;
    double mean = acc / (double)c, ss = 0;
    for (size_t t = j; t <= i; t++)
        ss += (s->v[t] - mean) * (s->v[t] - mean);
    return sqrt(ss / (double)(c - 1));
}

/* Long windows take the linear-time path; it must agree with the rules
 * (naive_roll) at every position, on data with gaps, Jan–Feb spans and a
 * 1e6 offset that a running sum of squares would cancel away; and 10^6
 * values with a window of 500,000 must take milliseconds, not the hours
 * of a window-by-window loop (5 * 10^11 additions). */
static void test_ops_rolling_long_windows(void **state)
{
    (void)state;
    ot_err err;
    enum { n = 2000 };
    double *v = malloc(n * sizeof *v);
    assert_non_null(v);
    uint32_t x = 12345;
    for (size_t i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u; /* an LCG: reproducible noise */
        v[i] = 1e6 + (double)(x >> 16 & 1023) / 8.0 - 64.0 + (double)i * 0.01;
    }
    v[700] = X;                            /* a gap */
    for (int kind = OT_KIND_FLOW; kind <= OT_KIND_RATE; kind++) {
        ot_series *s = mk(OT_FREQ_M, M(2000, 1), v, n);
        s->kind = (ot_kind)kind;
        for (size_t i = 0; i + 1 < n; i += 12) { /* every January covered */
            if (i == 1200)
                continue;
            cover(s, s->start + (ot_ord)i);
            s->v[i] = X;
        }
        const size_t ws[] = {65, 100, 240, 999, n};
        for (size_t a = 0; a < N(ws); a++)
            for (int fn = OT_ROLL_MEAN; fn <= OT_ROLL_SD; fn++) {
                ot_series *r = ot_series_rolling(s, (long)ws[a], (ot_roll)fn, &err);
                assert_non_null(r);
                for (size_t i = 0; i < n; i++) {
                    double want = i + 1 < ws[a] ? NAN : naive_roll(s, i, ws[a], (ot_roll)fn);
                    double tol = 1e-9 * fmax(1, fabs(want));
                    if (isnan(want) != isnan(r->v[i]) || (!isnan(want) && fabs(r->v[i] - want) > tol))
                        fail_msg("kind %d w %zu fn %d at %zu: got %.15g, want %.15g", kind,
                                 ws[a], fn, i, r->v[i], want);
                }
                ot_series_free(r);
            }
        ot_series_free(s);
    }
    free(v);

    /* failing allocations on the long path: the scratch arrays too */
    int ok = 0;
    for (long k = 1; k < 20 && !ok; k++) {
        failalloc c = {0};
        ot_alloc a = {failalloc_f, &c};
        double z[100] = {0};
        ot_series *s = ot_series_from(&a, OT_FREQ_M, M(2022, 1), z, 100, &err);
        assert_non_null(s);
        c.fail_at = c.calls + k;
        ot_series *r = ot_series_rolling(s, 80, OT_ROLL_SD, &err);
        if (r)
            ok = 1;
        else
            assert_int_equal(err.code, OT_ENOMEM);
        ot_series_free(r);
        ot_series_free(s);
        assert_int_equal(c.bytes, 0);
    }
    assert_true(ok);

    /* 10^6 daily values, a window of 500,000 */
    enum { big = 1000000 };
    ot_series *s = ot_series_new(NULL, OT_FREQ_D, 0, big, &err);
    assert_non_null(s);
    for (size_t i = 0; i < big; i++)
        s->v[i] = (double)(i % 7);
    for (int fn = OT_ROLL_MEAN; fn <= OT_ROLL_SD; fn++) {
        ot_series *r = ot_series_rolling(s, 500000, (ot_roll)fn, &err);
        assert_non_null(r);
        /* the last window is 500,000 consecutive values of i % 7 starting at
         * 500,000 % 7 = 4 (7 * 71,428 = 499,996): 71,428 full weeks (sum 21
         * each) and 4 more values 4, 5, 6, 0 (sum 15): 1,500,003 */
        double want[] = {1500003.0 / 500000, 1500003.0, 0, 6};
        if (fn <= OT_ROLL_MAX)
            assert_true(fabs(r->v[big - 1] - want[fn]) < 1e-6);
        ot_series_free(r);
    }
    ot_series_free(s);
}

static void test_ops_fill(void **state)
{
    (void)state;
    ot_err err;
    ot_series *s = mk(OT_FREQ_M, M(2023, 1), (double[]){X, 1, X, X, 4, X}, 6);
    ot_series *r = ot_series_fill(s, OT_FILL_LINEAR, &err); /* 1, 2, 3, 4 between */
    check(r, M(2023, 1), (double[]){X, 1, 2, 3, 4, X}, 6);
    ot_series_free(r);
    r = ot_series_fill(s, OT_FILL_PREVIOUS, &err);
    check(r, M(2023, 1), (double[]){X, 1, 1, 1, 4, 4}, 6);
    ot_series_free(r);
    r = ot_series_fill(s, OT_FILL_NONE, &err);
    check(r, M(2023, 1), s->v, 6);
    ot_series_free(r);
    ot_series_free(s);
    /* a gap ending in a Jan–Feb value is not interpolated; covered stays */
    s = mk(OT_FREQ_M, M(2022, 11), (double[]){1, X, X, 9}, 4);
    cover(s, M(2023, 1));
    r = ot_series_fill(s, OT_FILL_LINEAR, &err);
    check(r, M(2022, 11), (double[]){1, X, X, 9}, 4);
    check_flags(r, "..c.");
    ot_series_free(r);
    r = ot_series_fill(s, OT_FILL_PREVIOUS, &err);
    check(r, M(2022, 11), (double[]){1, 1, X, 9}, 4);
    ot_series_free(r);
    ot_series_free(s);
}

/* ---- index, share, contribution, implied level, split ------------------ */

static void test_ops_index(void **state)
{
    (void)state;
    ot_err err;
    ot_period p;
    ot_series *s = mk(OT_FREQ_M, M(2023, 1), (double[]){50, 100, 150}, 3);
    assert_int_equal(ot_period_parse("2023-02", (size_t)-1, &p, NULL), OT_OK);
    ot_series *r = ot_series_index(s, p, &err); /* /100*100 */
    check(r, M(2023, 1), (double[]){50, 100, 150}, 3);
    assert_null(r->unit);
    assert_int_equal(r->kind, OT_KIND_RATE);
    ot_series_free(r);
    assert_int_equal(ot_period_parse("2023-01", (size_t)-1, &p, NULL), OT_OK);
    r = ot_series_index(s, p, &err); /* / 50 * 100 */
    check(r, M(2023, 1), (double[]){100, 200, 300}, 3);
    ot_series_free(r);
    /* a year base on quarterly data: mean (90+100+110+100)/4 = 100 */
    ot_series *q = mk(OT_FREQ_Q, Q(2023, 1), (double[]){90, 100, 110, 100, 120}, 5);
    assert_int_equal(ot_period_parse("2023", (size_t)-1, &p, NULL), OT_OK);
    r = ot_series_index(q, p, &err);
    check(r, Q(2023, 1), (double[]){90, 100, 110, 100, 120}, 5);
    ot_series_free(r);
    /* errors */
    assert_int_equal(ot_period_parse("2024", (size_t)-1, &p, NULL), OT_OK);
    assert_null(ot_series_index(q, p, &err));
    assert_int_equal(err.code, OT_EDATA);
    assert_string_equal(err.msg, "index base 2024 is missing");
    assert_int_equal(ot_period_parse("2023-01", (size_t)-1, &p, NULL), OT_OK);
    assert_null(ot_series_index(q, p, &err));
    assert_int_equal(err.code, OT_EINVAL);
    assert_string_equal(err.msg, "index base must be a Q period or coarser");
    s->v[0] = 0;
    assert_null(ot_series_index(s, p, &err));
    assert_string_equal(err.msg, "index base 2023-01 is zero");
    ot_series_free(s);
    ot_series_free(q);
    /* February alone of a Jan–Feb release (30) is not missing: the message
     * names the release; the release itself is a base (mean 15 a month) */
    s = mk(OT_FREQ_M, M(2023, 1), (double[]){X, 30, 20}, 3);
    cover(s, M(2023, 1));
    const char *parts[] = {"2023-02", "2023-01"};
    for (size_t i = 0; i < N(parts); i++) {
        assert_int_equal(ot_period_parse(parts[i], (size_t)-1, &p, NULL), OT_OK);
        assert_null(ot_series_index(s, p, &err));
        assert_int_equal(err.code, OT_EDATA);
        char want[128];
        snprintf(want, sizeof want,
                 "index base %s is part of the value of 2023-01/02: take 2023-01/02 or a "
                 "coarser period", parts[i]);
        assert_string_equal(err.msg, want);
    }
    assert_int_equal(ot_period_parse("2023-01/02", (size_t)-1, &p, NULL), OT_OK);
    r = ot_series_index(s, p, &err);
    assert_non_null(r);
    assert_true(fabs(r->v[1] - 200) < 1e-9 && fabs(r->v[2] - 20.0 / 15 * 100) < 1e-9);
    ot_series_free(r);
    ot_series_free(s);
}

static void test_ops_share(void **state)
{
    (void)state;
    ot_err err;
    ot_series *a = mk(OT_FREQ_Y, 2022, (double[]){10, 20}, 2);
    ot_series *b = mk(OT_FREQ_Y, 2022, (double[]){40, 50}, 2);
    ot_series_set_meta(a, "yiwu.exports", NULL, "亿元", NULL);
    ot_series *r = ot_series_share(a, b, &err); /* 10/40 = 25%, 20/50 = 40% */
    check(r, 2022, (double[]){25, 40}, 2);
    assert_string_equal(r->unit, "%");
    assert_string_equal(r->key, "yiwu.exports");
    ot_series_free(r);
    ot_series_free(a);
    ot_series_free(b);
}

static void test_ops_contribution(void **state)
{
    (void)state;
    ot_err err;
    /* total 100 -> 110 (+10%); part1 10 -> 12, part2 90 -> 98.
     * part1: (12-10)/100*100 = 2 pp; part2: (98-90)/100*100 = 8 pp; sum 10. */
    ot_series *t = mk(OT_FREQ_Q, Q(2022, 1), (double[]){100, 1, 1, 1, 110}, 5);
    ot_series *p1 = mk(OT_FREQ_Q, Q(2022, 1), (double[]){10, 1, 1, 1, 12}, 5);
    ot_series *p2 = mk(OT_FREQ_Q, Q(2022, 1), (double[]){90, 1, 1, 1, 98}, 5);
    ot_series *r1 = ot_series_contribution(p1, t, &err);
    ot_series *r2 = ot_series_contribution(p2, t, &err);
    check(r1, Q(2022, 1), (double[]){X, X, X, X, 2}, 5);
    check(r2, Q(2022, 1), (double[]){X, X, X, X, 8}, 5);
    assert_string_equal(r1->unit, "pp");
    ot_series *y = ot_series_yoy(t, &err);
    assert_true(fabs(r1->v[4] + r2->v[4] - y->v[4]) < 1e-9);
    ot_series_free(y);
    ot_series_free(r1);
    ot_series_free(r2);
    ot_series_free(t);
    ot_series_free(p1);
    ot_series_free(p2);
    /* Jan–Feb: part 2022 Jan 4 Feb 6, total Jan 40 Feb 60; 2023 part Jan–Feb
     * 12: (12 - (4+6)) / (40+60) * 100 = 2 pp, January covered */
    double pv[14] = {4, 6, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, X, 12};
    double tv[14] = {40, 60, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, X, 110};
    ot_series *p = mk(OT_FREQ_M, M(2022, 1), pv, 14), *tt = mk(OT_FREQ_M, M(2022, 1), tv, 14);
    cover(p, M(2023, 1));
    ot_series *r = ot_series_contribution(p, tt, &err);
    assert_true(fabs(r->v[13] - 2) < 1e-9);
    assert_true(isnan(r->v[12]) && (r->flags[12] & OT_OBS_COVERED));
    ot_series_free(r);
    ot_series *q = mk(OT_FREQ_Q, Q(2022, 1), pv, 4);
    assert_null(ot_series_contribution(p, q, &err));
    assert_string_equal(err.msg, "series frequencies differ (M and Q)");
    ot_series_free(q);
    ot_series_free(p);
    ot_series_free(tt);
}

static void test_ops_implied_level(void **state)
{
    (void)state;
    ot_err err;
    /* forward: 2020 level 100, growth 2021 +10%, 2022 +20%:
     * 2021 = 100 * 1.1 = 110, 2022 = 110 * 1.2 = 132 */
    ot_series *base = mk(OT_FREQ_Y, 2020, (double[]){100}, 1);
    ot_series *g = mk(OT_FREQ_Y, 2021, (double[]){10, 20}, 2);
    ot_series_set_meta(base, "yiwu.gdp", "地区生产总值", "亿元", NULL);
    ot_series *r = ot_series_implied_level(g, base, &err);
    check(r, 2020, (double[]){100, 110, 132}, 3);
    assert_string_equal(r->unit, "亿元");
    ot_series_free(r);
    ot_series_free(base);
    /* backward: only 2022 = 132 known: 2021 = 132/1.2 = 110, 2020 = 110/1.1 = 100 */
    base = mk(OT_FREQ_Y, 2022, (double[]){132}, 1);
    r = ot_series_implied_level(g, base, &err);
    check(r, 2020, (double[]){100, 110, 132}, 3);
    ot_series_free(r);
    ot_series_free(base);
    ot_series_free(g);
    /* monthly with a Jan–Feb growth: 2022 Jan 40, Feb 50, Mar 60; 2023 Jan–Feb
     * +10%, Mar +10%: Feb 2023 = (40+50) * 1.1 = 99 (Jan covered), Mar 66 */
    base = mk(OT_FREQ_M, M(2022, 1), (double[]){40, 50, 60}, 3);
    g = mk(OT_FREQ_M, M(2023, 1), (double[]){X, 10, 10}, 3);
    cover(g, M(2023, 1));
    r = ot_series_implied_level(g, base, &err);
    double want[15] = {40, 50, 60, X, X, X, X, X, X, X, X, X, X, 99, 66};
    check(r, M(2022, 1), want, 15);
    check_flags(r, "............c..");
    ot_series_free(r);
    /* errors */
    ot_series *empty = mk(OT_FREQ_M, M(2022, 1), (double[]){X}, 1);
    assert_null(ot_series_implied_level(g, empty, &err));
    assert_int_equal(err.code, OT_EDATA);
    assert_string_equal(err.msg, "no base level to start from");
    ot_series *d = mk(OT_FREQ_D, 0, (double[]){1}, 1);
    assert_null(ot_series_implied_level(d, d, &err));
    assert_string_equal(err.msg, "implied_level needs monthly, quarterly or yearly data");
    ot_series_free(d);
    ot_series_free(empty);
    ot_series_free(base);
    ot_series_free(g);
}

static void test_ops_split_janfeb(void **state)
{
    (void)state;
    ot_err err;
    /* 2022 Jan 40, Feb 60 (shares 0.4, 0.6); 2023 Jan–Feb 110 -> 44, 66;
     * 2024 Jan–Feb 100 split by the (already split) 2023 shares 44/110 = 0.4
     * -> 40, 60 */
    double v[26];
    for (int i = 0; i < 26; i++)
        v[i] = 1;
    v[0] = 40, v[1] = 60, v[12] = X, v[13] = 110, v[24] = X, v[25] = 100;
    ot_series *s = mk(OT_FREQ_M, M(2022, 1), v, 26);
    cover(s, M(2023, 1));
    cover(s, M(2024, 1));
    ot_series *r = ot_series_split_janfeb(s, &err);
    assert_true(fabs(r->v[12] - 44) < 1e-9 && fabs(r->v[13] - 66) < 1e-9);
    assert_true(fabs(r->v[24] - 40) < 1e-9 && fabs(r->v[25] - 60) < 1e-9);
    assert_false(ot_series_covered(r, M(2023, 1)));
    assert_false(ot_series_covered(r, M(2024, 1)));
    ot_series_free(r);
    ot_series_free(s);
    /* no year before: equal halves, 110 -> 55 + 55 */
    s = mk(OT_FREQ_M, M(2023, 1), (double[]){X, 110}, 2);
    cover(s, M(2023, 1));
    r = ot_series_split_janfeb(s, &err);
    check(r, M(2023, 1), (double[]){55, 55}, 2);
    check_flags(r, "..");
    ot_series_free(r);
    ot_series_free(s);
    /* months of opposite signs a year before (profits: January -10,
     * February 30) give shares -0.5 and 1.5: 60 would become -30 and 90;
     * equal halves instead, 30 + 30 */
    s = mk(OT_FREQ_M, M(2022, 1), (double[]){-10, 30, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, X, 60}, 14);
    cover(s, M(2023, 1));
    r = ot_series_split_janfeb(s, &err);
    assert_true(r->v[12] == 30 && r->v[13] == 30);
    ot_series_free(r);
    /* a rate's or a stock's Jan–Feb value is each month's: retail sales
     * growth 1-2月 3.5% is January's 3.5% and February's 3.5% (halves would
     * make the first quarter's mean (1.75 + 1.75 + 10.6) / 3 = 4.7, not
     * (2 * 3.5 + 10.6) / 3 = 5.87); a stock's level likewise */
    for (int kind = OT_KIND_STOCK; kind <= OT_KIND_RATE; kind++) {
        s->kind = (ot_kind)kind;
        r = ot_series_split_janfeb(s, &err);
        assert_true(r->v[12] == 60 && r->v[13] == 60);
        check_flags(r, "..............");
        ot_series_free(r);
    }
    ot_series *q = mk(OT_FREQ_Q, 0, (double[]){1}, 1);
    assert_null(ot_series_split_janfeb(q, &err));
    assert_string_equal(err.msg, "split_janfeb needs monthly data (got Q)");
    ot_series_free(q);
    ot_series_free(s);
}

/* ---- failing allocations ---------------------------------------------------- */

enum {
    OP_YOY, OP_FROM_YTD, OP_BINOP, OP_IMPLIED, OP_TO, OP_YTD_YOY, OP_SHARE, OP_INDEX, OP_YTD,
    OP_ROLLING, OP_FILL, OP_CONTRIB, OP_SPLIT, OP_LAG, OP_SCALAR, OP_WINDOW, OP_DIFF, OP_NOPS
};

/* Runs op on flagged, named inputs made with a counting allocator whose
 * N-th allocation fails, N = 1, 2, ... until the op succeeds; every failure
 * must be OT_ENOMEM, and the byte balance must be zero after freeing. */
static void test_ops_failing_allocator(void **state)
{
    (void)state;
    for (int op = 0; op < OP_NOPS; op++) {
        int ok = 0;
        for (long n = 1; n < 200 && !ok; n++) {
            failalloc c = {0};
            ot_alloc a = {failalloc_f, &c};
            ot_err err;
            double v[15] = {40, 50, 60, 1, 1, 1, 1, 1, 1, 1, 1, 1, X, 99, 66};
            ot_series *s = ot_series_from(&a, OT_FREQ_M, M(2022, 1), v, 15, &err);
            ot_series *y = ot_series_from(&a, OT_FREQ_M, M(2022, 2), v, 13, &err);
            assert_non_null(s);
            assert_non_null(y);
            assert_int_equal(ot_series_set_meta(s, "yiwu.exports", "出口", "亿元", &err), OT_OK);
            assert_int_equal(ot_series_set_meta(y, "k", "n", "亿元", &err), OT_OK);
            assert_int_equal(ot_series_ensure_flags(s, &err), OT_OK);
            s->flags[12] = OT_OBS_COVERED;
            c.fail_at = c.calls + n;
            ot_period base = {OT_FREQ_Y, 2022, 1};
            ot_series *r = NULL;
            switch (op) {
            case OP_YOY:      r = ot_series_yoy(s, &err); break;
            case OP_FROM_YTD: r = ot_series_from_ytd(y, &err); break;
            case OP_BINOP:    r = ot_series_binop(s, y, '+', OT_ALIGN_UNION, &err); break;
            case OP_IMPLIED:  r = ot_series_implied_level(s, y, &err); break;
            case OP_TO:       r = ot_series_to(s, OT_FREQ_Q, OT_AGG_SUM, &err); break;
            case OP_YTD_YOY:  r = ot_series_ytd_yoy(s, &err); break;
            case OP_SHARE:    r = ot_series_share(s, y, &err); break;
            case OP_INDEX:    r = ot_series_index(s, base, &err); break;
            case OP_YTD:      r = ot_series_ytd(s, &err); break;
            case OP_ROLLING:  r = ot_series_rolling(s, 3, OT_ROLL_SUM, &err); break;
            case OP_FILL:     r = ot_series_fill(s, OT_FILL_LINEAR, &err); break;
            case OP_CONTRIB:  r = ot_series_contribution(s, y, &err); break;
            case OP_SPLIT:    r = ot_series_split_janfeb(s, &err); break;
            case OP_LAG:      r = ot_series_lag(s, 12, &err); break;
            case OP_SCALAR:   r = ot_series_scalar(s, '/', 2, 1, &err); break;
            case OP_WINDOW:   r = ot_series_window(s, M(2021, 6), M(2022, 6), &err); break;
            case OP_DIFF:     r = ot_series_diff(s, 12, &err); break;
            }
            if (r)
                ok = 1;
            else if (err.code != OT_ENOMEM)
                fail_msg("op %d, n %ld: code %d (%s)", op, n, err.code, err.msg);
            ot_series_free(r);
            ot_series_free(s);
            ot_series_free(y);
            if (c.bytes != 0)
                fail_msg("op %d, n %ld: %lld bytes not returned", op, n, c.bytes);
        }
        if (!ok)
            fail_msg("op %d never succeeded", op);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ops_names_parse),
        cmocka_unit_test(test_ops_binop_union_and_intersect),
        cmocka_unit_test(test_ops_binop_janfeb),
        cmocka_unit_test(test_ops_scalar_and_unm),
        cmocka_unit_test(test_ops_lag_lead),
        cmocka_unit_test(test_ops_diff_pct),
        cmocka_unit_test(test_ops_yoy_monthly),
        cmocka_unit_test(test_ops_yoy_janfeb),
        cmocka_unit_test(test_ops_yoy_daily_leap_year),
        cmocka_unit_test(test_ops_ytd),
        cmocka_unit_test(test_ops_ytd_janfeb),
        cmocka_unit_test(test_ops_from_ytd),
        cmocka_unit_test(test_ops_ytd_yoy),
        cmocka_unit_test(test_ops_ytd_edges),
        cmocka_unit_test(test_ops_ytd_round_trip_property),
        cmocka_unit_test(test_ops_flags_follow_values),
        cmocka_unit_test(test_ops_to_quarter_and_year),
        cmocka_unit_test(test_ops_to_quarter_janfeb),
        cmocka_unit_test(test_ops_mean_janfeb_rate),
        cmocka_unit_test(test_ops_to_from_daily),
        cmocka_unit_test(test_ops_window),
        cmocka_unit_test(test_ops_rolling),
        cmocka_unit_test(test_ops_rolling_long_windows),
        cmocka_unit_test(test_ops_fill),
        cmocka_unit_test(test_ops_index),
        cmocka_unit_test(test_ops_share),
        cmocka_unit_test(test_ops_contribution),
        cmocka_unit_test(test_ops_implied_level),
        cmocka_unit_test(test_ops_split_janfeb),
        cmocka_unit_test(test_ops_failing_allocator),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
