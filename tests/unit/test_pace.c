/* test_pace.c — required pace and carry-forward, worked by hand, for a flow,
 * a stock, a daily average and a rates-only series. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "proj_words.h"

#include "proj_source.h"

#define EPS 1e-9

static ot_proj_opts fast_opts(void)
{
    ot_proj_opts o;
    ot_proj_opts_init(&o);
    o.paths = 2000;
    o.method = "rwsd"; /* what these tests work out, whatever "auto" becomes */
    o.shape = fx_shape;
    return o;
}

/* G = s(1+g) + (1-s)(1+r) - 1 with g = 10, s = 0.6, r = 5:
 * 0.6 * 1.10 + 0.4 * 1.05 - 1 = 0.66 + 0.42 - 1 = 0.08 -> 8 %.
 * r* for T = 7.5: (1.075 - 0.66) / 0.4 - 1 = 1.0375 - 1 -> 3.75 %. */
static void test_pace_formulas(void **state)
{
    (void)state;
    assert_near(ot_pace_full_year(10, 0.6, 5), 8.0, EPS);
    assert_near(ot_pace_required(7.5, 10, 0.6), 3.75, EPS);
    /* r* fed back gives T */
    assert_near(ot_pace_full_year(10, 0.6, ot_pace_required(7.5, 10, 0.6)), 7.5, EPS);
    /* k = 0: the whole year needs T */
    assert_near(ot_pace_required(7.5, 3, 0), 7.5, EPS);
    assert_true(isnan(ot_pace_required(7.5, 10, 1.0)));
    assert_true(isnan(ot_pace_required(7.5, NAN, 0.5)));
}

/* Flow, monthly values: 2022 every month 100 (total 1200); 2023 Jan–Sep 110.
 * g = 990/900 - 1 = 10 %, s = 900/1200 = 0.75.
 * T = 7.5: r* = (1.075 - 0.75 * 1.10) / 0.25 - 1 = (1.075 - 0.825)/0.25 - 1 = 0.
 * Check: Q4 at last year's 300 gives 1290 = 1200 * 1.075.  Carry = 10. */
static const double flow_v[] = {100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100,
                                110, 110, 110, 110, 110, 110, 110, 110, 110};

static void test_pace_flow_required(void **state)
{
    (void)state;
    fx_entry e[] = {{"x.sales", "value", OT_KIND_FLOW, "2022-01", flow_v, 21, 0, NULL}};
    fx_source fx = {e, 1, 0, 0};
    ot_target t = fx_target("x.sales", 2023, OT_TARGET_GROWTH, OT_OP_GE, 7.5);
    ot_proj_opts o = fast_opts();
    ot_projection p;
    ot_err err;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_near(p.required, 0.0, EPS);
    assert_near(p.carry, 10.0, EPS);
    assert_near(p.ytd_growth, 10.0, EPS);
    assert_near(p.share, 0.75, EPS);
    assert_int_equal(p.periods_done, 9);
    assert_int_equal(p.periods_left, 3);
    assert_string_equal(p.latest, "2023-09");
    assert_string_equal(EN_METHOD(&p), "ytd+shape(rule of thumb)");
    assert_non_null(strstr(EN_NOTES(&p), "no shape reference: range is a rule of thumb"));
    /* the rule-of-thumb spread is centred on the carry-forward */
    assert_near(p.point, 10.0, 0.2);
    assert_true(p.lo80 < p.point && p.point < p.hi80 && p.lo95 < p.lo80 && p.hi80 < p.hi95);

    /* level target on the same data: T = 1300 -> T_G = 1300/1200 - 1 = 8.3333 %;
     * r* = (1.083333 - 0.825)/0.25 - 1 = 3.3333 %: Q4 needs 1300 - 990 = 310 vs 300.
     * carry = ytd × last total / last ytd = 990 × 1200/900 = 1320. */
    t.kind = OT_TARGET_LEVEL;
    t.value = 1300;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_near(p.required, 100.0 / 30.0, 1e-9);
    assert_near(p.carry, 1320.0, 1e-9);
}

/* Stock (registered buyers, end-of-month level): December 2022 400, September
 * 2023 430.  Level target 450: the rest of the year must add
 * 450/430 - 1 = 4.6512 %.  Growth target 10 % = 440 at year end:
 * 440/430 - 1 = 2.3256 %.  Carry (level) = latest level 430. */
static void test_pace_stock_required(void **state)
{
    (void)state;
    static const double v[] = {400, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, 430};
    fx_entry e[] = {{"x.buyers", "value", OT_KIND_STOCK, "2022-12", v, 10, 0, NULL}};
    fx_source fx = {e, 1, 0, 0};
    ot_target t = fx_target("x.buyers", 2023, OT_TARGET_LEVEL, OT_OP_GT, 450);
    ot_proj_opts o = fast_opts();
    ot_projection p;
    ot_err err;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_near(p.required, (450.0 / 430 - 1) * 100, 1e-9);
    assert_near(p.carry, 430.0, EPS);
    assert_string_equal(EN_METHOD(&p), "pace since December");
    /* continuing the pace 430/400 over 9 months for 3 more: 430 (430/400)^(3/9) */
    assert_near(p.point, 430 * pow(430.0 / 400, 3.0 / 9), 0.5);
    t.kind = OT_TARGET_GROWTH;
    t.value = 10;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_near(p.required, (440.0 / 430 - 1) * 100, 1e-9);
    assert_near(p.carry, 7.5, 1e-9); /* 430/400 - 1 */
}

/* A rate published as values only (an unemployment rate) is a level at the
 * period end, like a stock: December 2022 5.5, September 2023 5.0; the
 * ceiling 5.5 at year end allows the rate to rise 5.5/5.0 - 1 = 10 % from
 * its latest level; carry = 5.0. */
static void test_pace_rate_level_required(void **state)
{
    (void)state;
    static const double v[] = {5.5, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, 5.0};
    fx_entry e[] = {{"x.unemp", "value", OT_KIND_RATE, "2022-12", v, 10, 0, NULL}};
    fx_source fx = {e, 1, 0, 0};
    ot_target t = fx_target("x.unemp", 2023, OT_TARGET_LEVEL, OT_OP_LE, 5.5);
    ot_proj_opts o = fast_opts();
    ot_projection p;
    ot_err err;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_near(p.required, 10.0, 1e-9);
    assert_near(p.carry, 5.0, 0);
    assert_string_equal(EN_METHOD(&p), "pace since December");
    assert_true(p.prob > 0.9);
}

/* Daily average of a quarterly flow: 2022 quarters 15000, 17000, 18000, 20000
 * (70000); 2023 Q1–Q3 16000, 18000, 19500 (53500 vs 50000: g = 7 %,
 * s = 50000/70000).  Target 200 a day = 73000 in 365 days: T_G = 4.2857 %,
 * r* = (1.042857 - 0.714286 × 1.07)/0.285714 - 1 = -2.5 %: Q4 needs 19500
 * against 20000.  Carry: 53500 × 70000/50000 / 365 = 205.2055. */
static void test_pace_daily_avg_required(void **state)
{
    (void)state;
    static const double v[] = {15000, 17000, 18000, 20000, 16000, 18000, 19500};
    fx_entry e[] = {{"x.visitors", "value", OT_KIND_FLOW, "2022Q1", v, 7, 0, NULL}};
    fx_source fx = {e, 1, 0, 0};
    ot_target t = fx_target("x.visitors", 2023, OT_TARGET_DAILY_AVG, OT_OP_GE, 200);
    ot_proj_opts o = fast_opts();
    ot_projection p;
    ot_err err;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_near(p.required, -2.5, 1e-9);
    assert_near(p.carry, 53500.0 * 1.4 / 365, 1e-9);
    assert_string_equal(p.latest, "2023Q3");
    assert_int_equal(p.periods_left, 1);
}

/* Rates only: GDP ytd growth 7.3 (Q1) and 8.7 (Q3), no levels; the share
 * comes from the nominal ytd levels of the reference named by the target:
 * 2022 330/460 = 0.717391, 2021 310/430 = 0.720930, mean s = 0.719161.
 * r* = (1.075 - 0.719161 × 1.087)/(1 - 0.719161) - 1 = 4.42709 %. */
static void test_pace_rates_only_required(void **state)
{
    (void)state;
    static const double g[] = {7.3, NAN, 8.7};
    static const double ref[] = {95, 200, 310, 430, 100, 210, 330, 460};
    fx_entry e[] = {{"x.gdp", "ytd_yoy", OT_KIND_RATE, "2023Q1", g, 3, 0, NULL},
                    {"ref.gdp", "ytd", OT_KIND_FLOW, "2021Q1", ref, 8, 0, NULL}};
    fx_source fx = {e, 2, 0, 0};
    ot_target t = fx_target("x.gdp", 2023, OT_TARGET_GROWTH, OT_OP_GE, 7.5);
    t.shape = "ref.gdp";
    ot_proj_opts o = fast_opts();
    ot_projection p;
    ot_err err;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    double s = (330.0 / 460 + 310.0 / 430) / 2;
    assert_near(p.share, s, 1e-12);
    assert_near(p.required, ((1.075 - s * 1.087) / (1 - s) - 1) * 100, 1e-9);
    assert_near(p.required, 4.427092709, 1e-6);
    assert_near(p.carry, 8.7, EPS);
    assert_non_null(
        strstr(EN_NOTES(&p), "share of periods 1-3 (71.9%) borrowed from ref.gdp, 2021-2022"));
    assert_non_null(strstr(EN_NOTES(&p), "shape reference ref.gdp has too little history"));
    /* a level target on growth rates alone cannot be projected */
    t.kind = OT_TARGET_LEVEL;
    t.value = 2000;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_int_equal(p.status, OT_STATUS_NO_DATA);
    assert_true(isnan(p.point));
    assert_non_null(strstr(EN_NOTES(&p), "x.gdp: no levels, only growth rates"));
}

/* Monthly yoy only, no levels at all: the ytd growth is the yoy weighted by
 * the reference's shares of last year's total.  Reference 2022: 50, 50, then
 * 110 a month (1200).  yoy 2023: Jan–Feb 10 (on February), Mar–Jun 5.
 * g = (100 × 1.10 + 440 × 1.05)/540 - 1 = 572/540 - 1 = 5.92593 %,
 * s = 540/1200 = 0.45; for T = 6: r* = (1.06 - 0.45 × 1.0592593)/0.55 - 1
 * = 0.5833333/0.55 - 1 = 6.06061 %. */
static void test_pace_yoy_only_required(void **state)
{
    (void)state;
    static const double yoy[] = {NAN, 10, 5, 5, 5, 5};
    static const double ref[] = {50, 50, 110, 110, 110, 110, 110, 110, 110, 110, 110, 110};
    fx_entry e[] = {{"y", "yoy", OT_KIND_FLOW, "2023-01", yoy, 6, 0, "r"},
                    {"r", "value", OT_KIND_FLOW, "2022-01", ref, 12, 0, NULL}};
    fx_source fx = {e, 2, 0, 0};
    ot_target t = fx_target("y", 2023, OT_TARGET_GROWTH, OT_OP_GE, 6);
    ot_proj_opts o = fast_opts();
    ot_projection p;
    ot_err err;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_near(p.ytd_growth, (572.0 / 540 - 1) * 100, 1e-9);
    assert_near(p.share, 0.45, 1e-12);
    assert_near(p.required, 6.0606060606, 1e-8);
    assert_string_equal(p.latest, "2023-06");
    assert_non_null(strstr(EN_NOTES(&p), "y: ytd growth from the period yoy weighted by the shares of r"));
    /* Without a reference the weights are equal (the documented last resort):
     * g = (2 × 1.10 + 4 × 1.05)/6 - 1 = 6.4/6 - 1 = 6.66667 %, s = 6/12;
     * r* = (1.06 - 0.5 × 1.0666667)/0.5 - 1 = 5.33333 %.  The rule-of-thumb
     * range (sd 0.5 × 5 points around 6.67) puts P(G >= 6) near 0.6: at risk. */
    o.shape = NULL;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_int_equal(p.status, OT_STATUS_AT_RISK);
    assert_near(p.ytd_growth, (6.4 / 6 - 1) * 100, 1e-9);
    assert_near(p.share, 0.5, 1e-12);
    assert_near(p.required, (1.06 - 0.5 * 6.4 / 6) / 0.5 * 100 - 100, 1e-8);
    assert_non_null(strstr(EN_NOTES(&p), "y: ytd growth from the period yoy weighted equally (no "
                                    "levels, no shape reference)"));
}

/* Before any data of the year (k = 0) the whole year must grow T
 * (docs/methods-projection.md §1: s = 0, r* = T), whether or not a ytd
 * growth exists.  A rich monthly flow, 2020-2022 every month 100 (2022
 * total 1200), projected for 2023 with nothing of 2023: growth 7.5 needs
 * 7.5 %; level 1300 needs 1300/1200 - 1 = 8.3333 %; 200 a day needs
 * 73000/1200 - 1 = 5983.33 %.  A rich stock (2020-2022 monthly, December
 * 2022 400): level 450 needs 450/400 - 1 = 12.5 % from its latest level,
 * last December's. */
static void test_pace_required_before_data(void **state)
{
    (void)state;
    double v[36], st[36];
    for (int i = 0; i < 36; i++) {
        v[i] = 100;
        st[i] = 400 * pow(1.01, i - 35);
    }
    fx_entry e[] = {{"x.sales", "value", OT_KIND_FLOW, "2020-01", v, 36, 0, NULL},
                    {"x.buyers", "value", OT_KIND_STOCK, "2020-01", st, 36, 0, NULL}};
    fx_source fx = {e, 2, 0, 0};
    ot_target t = fx_target("x.sales", 2023, OT_TARGET_GROWTH, OT_OP_GE, 7.5);
    ot_proj_opts o = fast_opts();
    ot_projection p;
    ot_err err;
    assert_near(ot_pace_required(7.5, NAN, 0), 7.5, EPS);
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_int_equal(p.periods_done, 0);
    assert_int_equal(p.periods_left, 12);
    assert_true(!isnan(p.point));
    assert_near(p.required, 7.5, EPS);
    t.kind = OT_TARGET_LEVEL;
    t.value = 1300;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_near(p.required, 100.0 / 12, 1e-9);
    t.kind = OT_TARGET_DAILY_AVG;
    t.value = 200;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_near(p.required, (73000.0 / 1200 - 1) * 100, 1e-9);
    t = fx_target("x.buyers", 2023, OT_TARGET_LEVEL, OT_OP_GE, 450);
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_int_equal(p.periods_done, 0);
    assert_true(!isnan(p.point));
    assert_near(p.required, 12.5, 1e-9);
}

/* A flow's level target decided before the year ends, and at the year's
 * end.  Same data as test_pace_flow_required (2022: 100 a month; 2023
 * Jan-Sep 110).  A floor of 900 is passed by the ytd alone (990): met, and
 * no pace is required of the rest of the year (r* would be
 * (0.75 - 0.825)/0.25 - 1 = -130 %, a meaningless figure); a ceiling of 900
 * is already exceeded: missed, nothing required either.  With all twelve
 * months of 2023 (1320) the carry-forward of a level is the total itself,
 * 1320, as a growth target's is its outcome growth, 10 %. */
static void test_pace_level_decided(void **state)
{
    (void)state;
    double v[24];
    for (int i = 0; i < 24; i++)
        v[i] = i < 12 ? 100 : 110;
    fx_entry e[] = {{"x.sales", "value", OT_KIND_FLOW, "2022-01", flow_v, 21, 0, NULL},
                    {"x.full", "value", OT_KIND_FLOW, "2022-01", v, 24, 0, NULL}};
    fx_source fx = {e, 2, 0, 0};
    ot_target t = fx_target("x.sales", 2023, OT_TARGET_LEVEL, OT_OP_GE, 900);
    ot_proj_opts o = fast_opts();
    ot_projection p;
    ot_err err;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_int_equal(p.status, OT_STATUS_MET);
    assert_true(isnan(p.required));
    assert_near(p.carry, 1320.0, 1e-9);
    t.op = OT_OP_LE;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_int_equal(p.status, OT_STATUS_MISSED);
    assert_true(isnan(p.required));
    t.op = OT_OP_GE;
    t.value = 1300; /* not decided: r* = 3.3333 % (test_pace_flow_required) */
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_near(p.required, 100.0 / 30.0, 1e-9);
    t.series = "x.full";
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_int_equal(p.status, OT_STATUS_MET);
    assert_near(p.outcome, 1320.0, 1e-9);
    assert_near(p.carry, 1320.0, 1e-9);
    assert_true(isnan(p.required));
    t.kind = OT_TARGET_DAILY_AVG;
    t.value = 3;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_near(p.carry, 1320.0 / 365, 1e-9);
    t.kind = OT_TARGET_GROWTH;
    t.value = 7.5;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_near(p.carry, 10.0, 1e-9);
    assert_near(p.outcome, 10.0, 1e-9);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pace_formulas),
        cmocka_unit_test(test_pace_flow_required),
        cmocka_unit_test(test_pace_stock_required),
        cmocka_unit_test(test_pace_rate_level_required),
        cmocka_unit_test(test_pace_daily_avg_required),
        cmocka_unit_test(test_pace_rates_only_required),
        cmocka_unit_test(test_pace_yoy_only_required),
        cmocka_unit_test(test_pace_required_before_data),
        cmocka_unit_test(test_pace_level_decided),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
