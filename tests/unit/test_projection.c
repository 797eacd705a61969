/* test_projection.c — projecting targets: outcomes and certainties, relative
 * targets, Jan–Feb releases, borrowed shapes, reproducibility, no data, and
 * the failure paths with their messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>
#include <gsl/gsl_cdf.h>

#include "proj_words.h"

#include "models/model.h"
#include "proj_source.h"
#include "failalloc.h"

static ot_proj_opts fast_opts(void)
{
    ot_proj_opts o;
    ot_proj_opts_init(&o);
    o.paths = 2000;
    o.method = "rwsd"; /* what these tests work out, whatever "auto" becomes */
    o.shape = fx_shape;
    return o;
}

/* 2022: every month 100 (1200); 2023: every month 110 (1320, +10 %). */
static const double a_v[] = {100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100,
                             110, 110, 110, 110, 110, 110, 110, 110, 110, 110, 110, 110};
/* 2022: every month 200 (2400); 2023: every month 208 (+4 %). */
static const double b_v[] = {200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200,
                             208, 208, 208, 208, 208, 208, 208, 208, 208, 208, 208, 208};

static fx_entry ab[] = {{"a", "value", OT_KIND_FLOW, "2022-01", a_v, 24, 0, NULL},
                        {"b", "value", OT_KIND_FLOW, "2022-01", b_v, 24, 0, NULL}};

/* Level target of a flow already passed by the ytd: 990 through September
 * >= 900, and later months only add, so every path passes: prob 1, met.  The
 * same number as a ceiling (<= 900) is already broken: prob 0, missed. */
static void test_projection_level_met_by_ytd(void **state)
{
    (void)state;
    fx_source fx = {ab, 2, 0, 0};
    ot_target t = fx_target("a", 2023, OT_TARGET_LEVEL, OT_OP_GE, 900);
    ot_proj_opts o = fast_opts();
    o.as_of_period = "2023-09";
    ot_projection p;
    ot_err err;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_int_equal(p.status, OT_STATUS_MET);
    assert_near(p.prob, 1.0, 0);
    assert_true(p.lo95 >= 990);
    assert_int_equal(p.has_outcome, 0);
    t.op = OT_OP_LE;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_int_equal(p.status, OT_STATUS_MISSED);
    assert_near(p.prob, 0.0, 0);
    assert_string_equal(ot_proj_status_name(p.status), "missed");
    /* "about 900" (± 50): 990 is past the band's top already: missed, not
     * merely off track; "about 1300" (± 50) is still open */
    t.op = OT_OP_EQ;
    t.tolerance = 50;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_int_equal(p.status, OT_STATUS_MISSED);
    assert_true(isnan(p.required));
    t.value = 1300;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_true(p.status != OT_STATUS_MISSED && p.status != OT_STATUS_MET);
    assert_false(isnan(p.required));
}

/* A growth target of a flow the ytd alone decides: 990 through September
 * 2023 against 1200 in 2022, so the year's growth is at least 990/1200 - 1
 * = -17.5 % whatever the rest of the year does.  "At most -20 %" is missed
 * and "at least -18 %" met, with no pace required (by (2) r* would be
 * (0.80 - 0.825) / 0.25 - 1 = -110 % and (0.82 - 0.825) / 0.25 - 1 = -102 %:
 * less than nothing); "at least 5 %" is still open. */
static void test_projection_growth_decided_by_ytd(void **state)
{
    (void)state;
    fx_source fx = {ab, 2, 0, 0};
    ot_target t = fx_target("a", 2023, OT_TARGET_GROWTH, OT_OP_LE, -20);
    ot_proj_opts o = fast_opts();
    o.as_of_period = "2023-09";
    ot_projection p;
    ot_err err;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_near(p.prob, 0.0, 0);
    assert_int_equal(p.status, OT_STATUS_MISSED);
    assert_true(isnan(p.required));
    t.op = OT_OP_GE;
    t.value = -18;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_near(p.prob, 1.0, 0);
    assert_int_equal(p.status, OT_STATUS_MET);
    assert_true(isnan(p.required));
    t.value = 5;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_true(p.status != OT_STATUS_MET && p.status != OT_STATUS_MISSED);
    assert_false(isnan(p.required));
    /* "about -20 %" (± 1): -17.5 % is past the band's top already, missed
     * (r* would be (0.80 - 0.825) / 0.25 - 1 = -110 %); "about -17 %" (± 1)
     * holds -17.5 % and is open */
    t.op = OT_OP_EQ;
    t.value = -20;
    t.tolerance = 1;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_near(p.prob, 0.0, 0);
    assert_int_equal(p.status, OT_STATUS_MISSED);
    assert_true(isnan(p.required));
    t.value = -17;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_true(p.status != OT_STATUS_MET && p.status != OT_STATUS_MISSED);
    assert_false(isnan(p.required));
}

/* A count with no events yet: 4 a month in 2023 (48), 0 in January-June
 * 2024.  The ytd (0) is a figure, not a gap: its carry-forward is 0 events,
 * a floor of 0 is met by it already (nothing required), and 40 needs the
 * rest of the year at r* = 40 / 24 - 1 = 66.7 % over last year's second
 * half (s = 6/12 without a shape; (2) with g = -100 %). */
static void test_projection_count_no_events_yet(void **state)
{
    (void)state;
    double v[18];
    for (int i = 0; i < 18; i++)
        v[i] = i < 12 ? 4 : 0;
    fx_entry e[] = {{"c", "value", OT_KIND_FLOW, "2023-01", v, 18, 0, NULL}};
    fx_source fx = {e, 1, 0, 0};
    ot_target t = fx_target("c", 2024, OT_TARGET_COUNT, OT_OP_GE, 0);
    ot_proj_opts o = fast_opts();
    ot_projection p;
    ot_err err;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_int_equal(p.periods_done, 6);
    assert_int_equal(p.status, OT_STATUS_MET);
    assert_true(isnan(p.required));
    assert_near(p.carry, 0.0, 0);
    t.value = 40;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_int_equal(p.status, OT_STATUS_OFF_TRACK);
    assert_near(p.required, (40.0 / 24 - 1) * 100, 1e-9);
    assert_near(p.carry, 0.0, 0);
}

/* A flow never below 0 cannot end the year below its ytd (§6, sproj.c
 * floor_paths).  M3 series N0846 (Makridakis & Hibon 2000, quarterly),
 * 1984Q2-1988Q1: its record as of 1988Q1 holds two years of carry errors
 * of 15-80 points, whose paths reached down to a total of 197 after a first
 * quarter of 4,606 — a floor of 1,000 that the ytd passes was "met" with a
 * probability of 0.85.  Now every path ends at 4,606 or above: prob 1, the
 * 80 % range starts at the ytd, and the growth range at
 * 4606.4 / 19746.8 - 1 = -76.67 % (1987's total 3242.6 + 7296.4 + 4487.4 +
 * 4720.4). */
static void test_projection_flow_not_below_ytd(void **state)
{
    (void)state;
    static const double v[] = {4512.4, 4590.4, 4992.4, 5116.2, 4972.4, 4985.2, 5390.6, 3734,
                               4824,   4963.6, 1821.4, 3242.6, 7296.4, 4487.4, 4720.4, 4606.4};
    fx_entry e[] = {{"q", "value", OT_KIND_FLOW, "1984Q2", v, 16, 0, NULL}};
    fx_source fx = {e, 1, 0, 0};
    ot_target t = fx_target("q", 1988, OT_TARGET_LEVEL, OT_OP_GE, 1000);
    ot_proj_opts o;
    ot_proj_opts_init(&o);
    o.paths = 2000;
    o.as_of_period = "1988Q1";
    ot_projection p;
    ot_err err;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_int_equal(p.status, OT_STATUS_MET);
    assert_near(p.prob, 1.0, 0);
    assert_true(p.lo95 >= 4606.4 && p.lo80 >= 4606.4);
    t = fx_target("q", 1988, OT_TARGET_GROWTH, OT_OP_GE, -90);
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_true(p.lo95 >= (4606.4 / 19746.8 - 1) * 100 - 1e-9);
    assert_near(p.prob, 1.0, 0);
    assert_int_equal(p.status, OT_STATUS_MET);
}

/* A flow whose last year's total is not above 0 (a balance; M3 N1409
 * shifted below zero gave a point of -101.8 % with a range of zero width):
 * growth on it means nothing, so the year is not projected and the note
 * names the total.  2023: -10 a month (-120); 2024: 5, 5, 5 through March. */
static void test_projection_base_not_positive(void **state)
{
    (void)state;
    double v[15];
    for (int i = 0; i < 15; i++)
        v[i] = i < 12 ? -10 : 5;
    fx_entry e[] = {{"b", "value", OT_KIND_FLOW, "2023-01", v, 15, 0, NULL}};
    fx_source fx = {e, 1, 0, 0};
    ot_target t = fx_target("b", 2024, OT_TARGET_GROWTH, OT_OP_GE, 5);
    ot_proj_opts o;
    ot_proj_opts_init(&o);
    o.paths = 500;
    ot_projection p;
    ot_err err;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_int_equal(p.status, OT_STATUS_NO_DATA);
    assert_true(isnan(p.point) && isnan(p.prob) && isnan(p.lo80));
    int seen = 0;
    for (int i = 0; i < p.notes.n; i++)
        if (p.notes.f[i].code == OT_N_BASE_NOT_POSITIVE) {
            assert_int_equal(p.notes.f[i].y[0], 2023);
            assert_near(p.notes.f[i].v[0], -120.0, 1e-9);
            seen = 1;
        }
    assert_true(seen);
}

/* daily_avg divides by the days of the target year: 2024 has 366.  2023:
 * 100 a month (1200); 2024: 122 a month, 1464 = 4.0 a day over 366 days
 * (4.01 over 365).  As of September 2024 (ytd 1098, g = 22 %, s = 0.75) the
 * target 4 a day needs T = 4 × 366 / 1200 - 1 = 22 %, so by (2) r* =
 * (1.22 - 0.75 × 1.22) / 0.25 - 1 = 22 % (20.67 % with 365 days). */
static void test_projection_daily_avg_leap(void **state)
{
    (void)state;
    double v[24];
    for (int i = 0; i < 24; i++)
        v[i] = i < 12 ? 100 : 122;
    fx_entry e[] = {{"d", "value", OT_KIND_FLOW, "2023-01", v, 24, 0, NULL}};
    fx_source fx = {e, 1, 0, 0};
    ot_target t = fx_target("d", 2024, OT_TARGET_DAILY_AVG, OT_OP_GE, 4);
    ot_proj_opts o = fast_opts();
    ot_projection p;
    ot_err err;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_int_equal(p.has_outcome, 1);
    assert_near(p.outcome, 1464.0 / 366, 1e-12);
    assert_int_equal(p.status, OT_STATUS_MET);
    t.value = 4.005; /* 4.01 a day over 365 days would pass */
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_int_equal(p.status, OT_STATUS_MISSED);
    t.value = 4;
    o.as_of_period = "2024-09";
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_int_equal(p.has_outcome, 0);
    assert_near(p.required, 22.0, 1e-9);
    assert_near(p.carry, 1098.0 / 0.75 / 366, 1e-9);
}

/* A target "=" 10 % within 0.5 points: the ytd growth is 10 % on every path
 * through September and the rest of the year is drawn around it, so part of
 * the paths pass; without its tolerance (a target made before ot_target_check
 * asked for one) it is unquantified — never a probability of 0 from a test
 * no continuous figure passes. */
static void test_projection_eq_tolerance(void **state)
{
    (void)state;
    fx_source fx = {ab, 2, 0, 0};
    ot_target t = fx_target("a", 2023, OT_TARGET_GROWTH, OT_OP_EQ, 10);
    t.tolerance = 0.5;
    ot_proj_opts o = fast_opts();
    o.as_of_period = "2023-09";
    ot_projection p;
    ot_err err;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    /* the paths are about normal around 10: sd = (hi80 - lo80) / (2 × 1.2816),
     * P(|G - 10| <= 0.5) = 2Φ(0.5 / sd) - 1 (≈ 0.31 for the 8.4 .. 11.6 of
     * this fixture) */
    double sd = (p.hi80 - p.lo80) / (2 * 1.2816);
    assert_true(sd > 0.5);
    assert_near(p.prob, 2 * gsl_cdf_ugaussian_P(0.5 / sd) - 1, 0.05);
    assert_int_equal(p.status, OT_STATUS_OFF_TRACK);
    t.tolerance = NAN;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_int_equal(p.status, OT_STATUS_UNQUANTIFIED);
    assert_true(isnan(p.prob));
}

/* Quarterly values 2008Q1-2019Q2 (46) into v: each quarter grows 2-6% a year
 * with a year pattern (the record's fixture). */
static void growing_quarters(double v[46])
{
    double lv[4] = {100, 110, 120, 130};
    for (int y = 0; y < 12; y++)
        for (int j = 0; j < 4 && y * 4 + j < 46; j++) {
            if (y)
                lv[j] *= 1.02 + 0.01 * ((y + j) % 5);
            v[y * 4 + j] = lv[j];
        }
}

/* A scenario on a flow projected from its record moves every path by its
 * effect on the point: the rest of the year at the growth r the point
 * implies, (1 - s)(1 + r) = (1 + G) - s(1 + g) of last year's total, cut by
 * 10%: G' = G - 10 ((1 + G/100) - s (1 + g/100)) points. */
static void test_projection_record_scenario(void **state)
{
    (void)state;
    static double v[46];
    growing_quarters(v);
    fx_entry e[] = {{"h", "value", OT_KIND_FLOW, "2008Q1", v, 46, 0, NULL}};
    fx_source fx = {e, 1, 0, 0};
    ot_target t = fx_target("h", 2019, OT_TARGET_GROWTH, OT_OP_GE, 4);
    ot_proj_opts o = fast_opts();
    o.method = "carry";
    ot_projection base, shocked;
    ot_err err;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &base, &err), OT_OK);
    assert_string_equal(EN_METHOD(&base), "record: carry");
    ot_scenario *sc = ot_scenario_new("q34", &err);
    assert_non_null(sc);
    assert_int_equal(ot_scenario_shock(sc, "h", -10, "2019Q3", "2019Q4", &err), OT_OK);
    o.scenario = sc;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &shocked, &err), OT_OK);
    double G = base.point, s = base.share, g = base.ytd_growth;
    assert_near(shocked.point, G - 10 * ((1 + G / 100) - s * (1 + g / 100)), 1e-9);
    ot_scenario_free(sc);
}

/* A stock (M2) publishes its level and its yoy.  As of June the analyst's
 * carry-forward is June's published yoy, 9.1 (growth since December from the
 * levels: 120/115 - 1 = 4.35); the outcome is December's published yoy, 8.1,
 * not the level ratio 126/115 - 1 = 9.57 (levels carry definitional breaks
 * the published rate corrects). */
static void test_projection_stock_yoy(void **state)
{
    (void)state;
    static const double lv[] = {100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 115,
                                116, 117, 118, 119, 119, 120, 121, 122, 123, 124, 125, 126};
    static const double yoy[] = {NAN, NAN, NAN, NAN, NAN, 9.1, NAN, NAN, NAN, NAN, NAN, 8.1};
    fx_entry e[] = {{"m2", "value", OT_KIND_STOCK, "2016-01", lv, 24, 0, NULL},
                    {"m2", "yoy", OT_KIND_STOCK, "2017-01", yoy, 12, 0, NULL}};
    fx_source fx = {e, 2, 0, 0};
    ot_target t = fx_target("m2", 2017, OT_TARGET_GROWTH, OT_OP_GE, 8.5);
    ot_proj_opts o = fast_opts();
    ot_projection p;
    ot_err err;
    o.as_of_period = "2017-06";
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_near(p.carry, 9.1, 1e-12);
    assert_near(p.ytd_growth, 9.1, 1e-12);
    o.as_of_period = NULL;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_true(p.has_outcome);
    assert_near(p.outcome, 8.1, 1e-12);
    assert_int_equal(p.status, OT_STATUS_MISSED);
    /* without a published yoy the levels a year apart give it: 123/108 - 1 */
    o.as_of_period = "2017-09";
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_near(p.carry, (123.0 / 108 - 1) * 100, 1e-9);
}

/* A stock known by its yoy alone (M2 as the central bank publishes it): the
 * carry-forward is the latest yoy, the outcome December's yoy; without a
 * record the yoy is carried on as a random walk whose step is the root mean
 * square of its changes: Nov..Feb 11.8, 11.8, 12.6, 12.9 give changes 0, 0.8,
 * 0.3, s = sqrt(0.73 / 3) = 0.4933, over the 10 months left sd = s sqrt(10) =
 * 1.5599, so the 80% range is 12.9 -/+ 1.2816 x 1.5599 = 10.90 .. 14.90. */
static void test_projection_stock_yoy_only(void **state)
{
    (void)state;
    static const double yoy[] = {11.8, 11.8, 12.6, 12.9};
    fx_entry e[] = {{"m2", "yoy", OT_KIND_STOCK, "2022-11", yoy, 4, 0, NULL}};
    fx_source fx = {e, 1, 0, 0};
    ot_target t = fx_target("m2", 2023, OT_TARGET_GROWTH, OT_OP_GE, 12);
    ot_proj_opts o = fast_opts();
    o.paths = 20000;
    o.as_of_period = "2023-02";
    ot_projection p;
    ot_err err;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_near(p.carry, 12.9, 1e-12);
    assert_near(p.point, 12.9, 0.05);
    assert_near(p.lo80, 10.90, 0.08);
    assert_near(p.hi80, 14.90, 0.08);
    assert_near(p.prob, 1 - gsl_cdf_ugaussian_P(-0.9 / 1.5599), 0.015);
    assert_int_equal(p.method.code, OT_M_YOY_WALK);
    int seen = 0;
    for (int i = 0; i < p.notes.n; i++)
        if (p.notes.f[i].code == OT_N_STOCK_YOY_WALK) {
            assert_int_equal(p.notes.f[i].y[0], 3);
            assert_near(p.notes.f[i].v[0], sqrt(0.73 / 3), 1e-9);
            seen = 1;
        }
    assert_true(seen);
    /* a level target needs levels: none, and the note says why */
    ot_target tl = fx_target("m2", 2023, OT_TARGET_LEVEL, OT_OP_GE, 1);
    assert_int_equal(ot_project_target(&tl, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_int_equal(p.status, OT_STATUS_NO_DATA);
    seen = 0;
    for (int i = 0; i < p.notes.n; i++)
        seen |= p.notes.f[i].code == OT_N_LEVELS_NONE;
    assert_true(seen);
    /* with last December's level (200) and no level since, a level target
     * reads the December level from the walk: 200 (1 + G/100), so >= 220 is
     * G >= 10, z >= -2.9 / 1.5599 */
    static const double dec[] = {200};
    fx_entry e3[] = {{"m2", "yoy", OT_KIND_STOCK, "2022-11", yoy, 4, 0, NULL},
                     {"m2", "value", OT_KIND_STOCK, "2022-12", dec, 1, 0, NULL}};
    fx_source fx3 = {e3, 2, 0, 0};
    ot_target t3 = fx_target("m2", 2023, OT_TARGET_LEVEL, OT_OP_GE, 220);
    assert_int_equal(ot_project_target(&t3, fx_get, &fx3, &o, &p, &err), OT_OK);
    assert_int_equal(p.method.code, OT_M_YOY_WALK);
    assert_near(p.point, 200 * 1.129, 0.2);
    assert_near(p.prob, 1 - gsl_cdf_ugaussian_P(-2.9 / 1.5599), 0.015);
    /* a whole year of yoy: the outcome is December's, not their mean */
    static const double y2[] = {12.6, 12.9, 12.7, 12.4, 11.6, 11.3, 10.7, 10.6, 10.3, 10.3, 10.0, 9.7};
    fx_entry e2[] = {{"m2", "yoy", OT_KIND_STOCK, "2023-01", y2, 12, 0, NULL}};
    fx_source fx2 = {e2, 1, 0, 0};
    o.as_of_period = NULL;
    assert_int_equal(ot_project_target(&t, fx_get, &fx2, &o, &p, &err), OT_OK);
    assert_true(p.has_outcome);
    assert_near(p.outcome, 9.7, 1e-12);
    assert_int_equal(p.status, OT_STATUS_MISSED);
    o.as_of_period = "2023-06";
    assert_int_equal(ot_project_target(&t, fx_get, &fx2, &o, &p, &err), OT_OK);
    assert_near(p.carry, 11.3, 1e-12);
}

/* Complete year: 1320 / 1200 - 1 = 10 %, so >= 7.5 is met and >= 12 missed,
 * with probability exactly 1 and 0 and the outcome reported. */
static void test_projection_outcome_known(void **state)
{
    (void)state;
    fx_source fx = {ab, 2, 0, 0};
    ot_target t = fx_target("a", 2023, OT_TARGET_GROWTH, OT_OP_GE, 7.5);
    ot_proj_opts o = fast_opts();
    ot_projection p;
    ot_err err;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_int_equal(p.status, OT_STATUS_MET);
    assert_int_equal(p.has_outcome, 1);
    assert_near(p.outcome, 10.0, 1e-9);
    assert_near(p.point, 10.0, 1e-9);
    assert_near(p.prob, 1.0, 0);
    assert_true(isnan(p.required));
    assert_string_equal(EN_METHOD(&p), "outcome");
    assert_string_equal(p.latest, "2023-12");
    t.value = 12;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_int_equal(p.status, OT_STATUS_MISSED);
    assert_near(p.prob, 0.0, 0);
    /* level outcome: the total itself */
    t.kind = OT_TARGET_LEVEL;
    t.value = 1300;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_near(p.outcome, 1320.0, 1e-9);
    assert_int_equal(p.status, OT_STATUS_MET);
    /* as of September the year is open again */
    o.as_of_period = "2023-09";
    t.kind = OT_TARGET_GROWTH;
    t.value = 7.5;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_int_equal(p.has_outcome, 0);
    assert_int_equal(p.periods_done, 9);
    assert_true(p.prob > 0 && p.prob < 1);
    assert_int_equal(p.paths, 2000);
}

/* Relative target: a grows 10 %, b 4 %, so a - b = 6 points; ">= 3 points
 * above b" is met.  in_step within 1 point is missed.  As of September both
 * ytd growths are the same, carry = 10 - 4 = 6, and with no history the
 * correlation is the stated assumption. */
static void test_projection_relative(void **state)
{
    (void)state;
    fx_source fx = {ab, 2, 0, 0};
    ot_target t = fx_target("a", 2023, OT_TARGET_RELATIVE, OT_OP_GE, 3);
    t.ref = "b";
    ot_proj_opts o = fast_opts();
    ot_projection p;
    ot_err err;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_near(p.outcome, 6.0, 1e-9);
    assert_int_equal(p.status, OT_STATUS_MET);
    t.kind = OT_TARGET_IN_STEP;
    t.tolerance = 1;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_int_equal(p.status, OT_STATUS_MISSED);
    t.tolerance = 6.5;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_int_equal(p.status, OT_STATUS_MET);

    t.kind = OT_TARGET_RELATIVE;
    o.as_of_period = "2023-09";
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_int_equal(p.has_outcome, 0);
    assert_near(p.carry, 6.0, 1e-9);
    assert_near(p.point, 6.0, 0.5);
    assert_true(p.prob > 0.5 && p.prob < 1);
    assert_non_null(strstr(EN_NOTES(&p), "correlation of a and b assumed 0.5"));
    /* required: the growth of a's Q4 that puts a 3 points above b's median
     * (≈ 4 %): T ≈ 7, r* = (1.07 - 0.75 × 1.1)/0.25 - 1 ≈ -2 % */
    assert_near(p.required, -2.0, 1.0);
    /* swapping the series flips the sign */
    t.series = "b";
    t.ref = "a";
    t.value = -3;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_near(p.carry, -6.0, 1e-9);
}

/* A January–February release: January covered, February holding both.
 * 2022: 200 (Jan+Feb), then 100 a month (1200); 2023: 220, then 110.
 * Through March: 330 vs 300, g = 10 %, s = 300/1200 = 0.25.
 * Through February: 220 vs 200, g = 10 %, s = 200/1200. */
static void test_projection_jan_feb_combined(void **state)
{
    (void)state;
    static const double v[] = {NAN, 200, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100,
                               NAN, 220, 110};
    fx_entry e[] = {{"jf", "value", OT_KIND_FLOW, "2022-01", v, 15, 1, NULL}};
    fx_source fx = {e, 1, 0, 0};
    ot_target t = fx_target("jf", 2023, OT_TARGET_GROWTH, OT_OP_GE, 5);
    ot_proj_opts o = fast_opts();
    ot_projection p;
    ot_err err;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_string_equal(p.latest, "2023-03");
    assert_near(p.ytd_growth, 10.0, 1e-9);
    assert_near(p.share, 0.25, 1e-12);
    /* r* = (1.05 - 0.25 × 1.1)/0.75 - 1 = 0.775/0.75 - 1 = 3.3333 % */
    assert_near(p.required, 100.0 / 30, 1e-9);
    o.as_of_period = "2023-02";
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_string_equal(p.latest, "2023-01/02"); /* the January–February release */
    assert_int_equal(p.periods_done, 2);
    assert_near(p.share, 200.0 / 1200, 1e-12);
    assert_near(p.ytd_growth, 10.0, 1e-9);
}

/* Monthly series from a known process: log level a random walk with drift
 * 0.005 a month, seasonal factors, sd 0.02; a fixed LCG so it is data. */
static void synth(double *v, size_t n, uint64_t seed, double sd)
{
    static const double seas[12] = {-0.10, -0.25, 0.05, 0.0, 0.02, 0.04,
                                    0.0,   0.01,  0.03, 0.05, 0.08, 0.12};
    uint64_t x = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    double l = log(100);
    for (size_t i = 0; i < n; i++) {
        double u1, u2;
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        u1 = ((x >> 11) + 0.5) / 9007199254740992.0;
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        u2 = ((x >> 11) + 0.5) / 9007199254740992.0;
        l += 0.005 + sd * sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
        v[i] = exp(l + seas[i % 12]);
    }
}

/* Same seed, same numbers; another seed, other numbers; ot_project_many on
 * one or two threads gives exactly what ot_project_target gives alone. */
static void test_projection_seeded_reproducible(void **state)
{
    (void)state;
    static double v[4][81]; /* 2017-01 .. 2023-09 */
    const char *keys[4] = {"r0", "r1", "r2", "r3"};
    fx_entry e[4];
    for (int i = 0; i < 4; i++) {
        synth(v[i], 81, (uint64_t)i + 7, 0.02);
        e[i] = (fx_entry){keys[i], "value", OT_KIND_FLOW, "2017-01", v[i], 81, 0, NULL};
    }
    fx_source fx = {e, 4, 0, 0};
    ot_target t[6];
    for (int i = 0; i < 6; i++)
        t[i] = fx_target(keys[i % 4], 2023, i < 4 ? OT_TARGET_GROWTH : OT_TARGET_LEVEL, OT_OP_GE,
                         i < 4 ? 6 : 1300);
    t[5].kind = OT_TARGET_RELATIVE; /* two series on correlated paths */
    t[5].value = 0;
    t[5].ref = "r2";
    ot_proj_opts o = fast_opts();
    ot_projection p1, p2, one[6], many[6];
    ot_err err;
    assert_int_equal(ot_project_target(&t[0], fx_get, &fx, &o, &p1, &err), OT_OK);
    assert_int_equal(ot_project_target(&t[0], fx_get, &fx, &o, &p2, &err), OT_OK);
    assert_memory_equal(&p1, &p2, sizeof p1);
    assert_true(strncmp(EN_METHOD(&p1), "rwsd(", 5) == 0);
    assert_int_equal(p1.periods_done, 9);
    assert_true(p1.lo95 < p1.lo80 && p1.lo80 < p1.point && p1.point < p1.hi80 &&
                p1.hi80 < p1.hi95);
    o.seed = 2;
    assert_int_equal(ot_project_target(&t[0], fx_get, &fx, &o, &p2, &err), OT_OK);
    assert_true(p1.point != p2.point);
    assert_near(p1.point, p2.point, 0.2); /* 2000 paths: close but not equal */
    o.seed = 1;
    for (int i = 0; i < 6; i++)
        assert_int_equal(ot_project_target(&t[i], fx_get, &fx, &o, &one[i], &err), OT_OK);
    o.threads = 1;
    assert_int_equal(ot_project_many(t, 6, fx_get, &fx, &o, many, &err), OT_OK);
    assert_memory_equal(one, many, sizeof one);
    /* both series have five years of rest-of-year surprises: the copula's
     * correlation is estimated, not assumed */
    assert_non_null(strstr(EN_NOTES(&one[5]), "correlation of r1 and r2 "));
    assert_non_null(strstr(EN_NOTES(&one[5]), " from their history"));
    o.threads = 2;
    memset(many, 0, sizeof many);
    assert_int_equal(ot_project_many(t, 6, fx_get, &fx, &o, many, &err), OT_OK);
    assert_memory_equal(one, many, sizeof one);
    /* a pending stop request (Ctrl-C, a time limit) ends the batch at the
     * next target; once cleared, the same call gives the same results */
    ot_models_interrupt(OT_STOP_TIME);
    assert_int_equal(ot_project_many(t, 6, fx_get, &fx, &o, many, &err), OT_ELIMIT);
    assert_string_equal(err.msg, "target 1 (r0 2023): time limit exceeded inside an engine call");
    ot_models_resume();
    memset(many, 0, sizeof many);
    assert_int_equal(ot_project_many(t, 6, fx_get, &fx, &o, many, &err), OT_OK);
    assert_memory_equal(one, many, sizeof one);
}

/* A published ytd growth that differs from the ratio of the levels (the
 * bureau's revised base) puts the year's growth on the published basis:
 * 1 + G' = (1 + G)(1 + g_pub)/(1 + g_lev), path by path, so the point maps
 * the same way. */
static void test_projection_published_basis(void **state)
{
    (void)state;
    static double v[81];
    synth(v, 81, 9, 0.02);
    double ytd = 0, prev = 0;
    for (int i = 0; i < 9; i++) {
        ytd += v[72 + i];
        prev += v[60 + i];
    }
    double g_lev = (ytd / prev - 1) * 100, g_pub = g_lev + 0.4;
    double gp[] = {g_pub};
    fx_entry e[] = {{"b", "value", OT_KIND_FLOW, "2017-01", v, 81, 0, NULL},
                    {"b", "ytd_yoy", OT_KIND_FLOW, "2023-09", gp, 1, 0, NULL}};
    fx_source levels = {e, 1, 0, 0}, both = {e, 2, 0, 0};
    ot_target t = fx_target("b", 2023, OT_TARGET_GROWTH, OT_OP_GE, 6);
    ot_proj_opts o = fast_opts();
    ot_projection p0, p1;
    ot_err err;
    assert_int_equal(ot_project_target(&t, fx_get, &levels, &o, &p0, &err), OT_OK);
    assert_int_equal(ot_project_target(&t, fx_get, &both, &o, &p1, &err), OT_OK);
    double f = (1 + g_pub / 100) / (1 + g_lev / 100);
    assert_near(p1.point, ((1 + p0.point / 100) * f - 1) * 100, 1e-9);
    assert_near(p1.lo95, ((1 + p0.lo95 / 100) * f - 1) * 100, 1e-9);
    assert_near(p1.carry, g_pub, 1e-12);
    assert_non_null(strstr(EN_NOTES(&p1), "b: growth on the published basis (ytd "));
    assert_string_equal(EN_NOTES(&p0), "");
}

/* A registered model through the model interface, fitted on logs. */
static void test_projection_model_method(void **state)
{
    (void)state;
    static double v[81];
    synth(v, 81, 3, 0.02);
    fx_entry e[] = {{"m", "value", OT_KIND_FLOW, "2017-01", v, 81, 0, NULL}};
    fx_source fx = {e, 1, 0, 0};
    ot_target t = fx_target("m", 2023, OT_TARGET_GROWTH, OT_OP_GE, 6);
    ot_proj_opts o = fast_opts();
    o.method = "snaive";
    ot_projection p;
    ot_err err;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_non_null(strstr(EN_METHOD(&p), "on logs"));
    assert_true(p.lo80 < p.point && p.point < p.hi80);
    assert_string_equal(ot_proj_method_resolve("rwsd"), "rwsd");
    assert_string_equal(ot_proj_method_resolve("snaive"), "snaive");
    assert_null(ot_proj_method_resolve("nope"));
    assert_string_equal(ot_proj_method_resolve(NULL),
                        ot_method_find("auto") ? "auto" : OT_PROJ_METHOD_FALLBACK);
    assert_string_equal(ot_proj_method_resolve("auto"), ot_proj_method_resolve(NULL));
}

/* Projects t with every allocation of the working memory failing in turn
 * (o->alloc replaced): each failure is "out of memory", leaks nothing and
 * leaves *p untouched; the first run that gets through must equal want.
 * Returns how many failures it took. */
static long project_until_ok(const ot_target *t, fx_source *fx, ot_proj_opts o,
                             const ot_projection *want)
{
    ot_projection p, before;
    ot_err err;
    failalloc f = {0};
    ot_alloc a = {failalloc_f, &f};
    o.alloc = &a;
    int rc = OT_ENOMEM;
    long n;
    for (n = 1; rc == OT_ENOMEM && n < 1000; n++) {
        f.calls = 0;
        f.fail_at = n;
        memset(&p, 0x5a, sizeof p);
        before = p;
        rc = ot_project_target(t, fx_get, fx, &o, &p, &err);
        assert_int_equal(f.bytes, 0);
        if (rc == OT_ENOMEM) {
            assert_string_equal(err.msg, "out of memory");
            assert_memory_equal(&p, &before, sizeof p);
        }
    }
    assert_int_equal(rc, OT_OK);
    assert_memory_equal(&p, want, sizeof p);
    return n;
}

/* Calibrated intervals (OT_PI_CV) on a series whose late errors are larger
 * than its early ones: the model's own spread, estimated from the whole
 * history, is too narrow for the present, and its record at past origins
 * says so.  Log values y_0 = log 100, y_i = y_{i-1} + d_i with
 * d_i = a (-1)^i for i = 1..23 (a = 0.01, a calm start) and b (-1)^i for
 * i = 24..46 (b = 0.05, a volatile end): 47 months 2020-01 .. 2023-11, so
 * one month (December) is projected, h = 1.
 * Naive on logs: sigma^2 = mean d_i^2 = (23 a^2 + 23 b^2)/46, and a path is
 * l = y_46 + sigma z.  Calibration refits naive to y_0..y_{t-1} at the last
 * K = min(47/2, 50) = 23 origins t = 24..46: sigma_t^2 = (23 a^2 +
 * (t - 24) b^2)/(t - 1); its one-step error there is d_t, |d_t| = b, so
 * r_t^2 = b^2 / sigma_t^2 (25 at t = 24, 1.96 at t = 46) and
 *     k_1 = sqrt(mean_t r_t^2) = sqrt(4.71594) = 2.17162.
 * The cv path is y_46 + k_1 (l - y_46) drawn from the same z (same seed).
 * The full-year growth G = ((ytd + e^l)/base - 1) 100 is increasing in l,
 * so every quantile of G maps through l the same way: from the model's
 * quantile G_q, l_q = log((1 + G_q/100) base - ytd), and the cv quantile is
 * ((ytd + exp(y_46 + k_1 (l_q - y_46)))/base - 1) 100 (up to the type-7
 * interpolation between neighbouring paths: below 1e-7 points). */
static void test_projection_cv_intervals(void **state)
{
    (void)state;
    const double a = 0.01, b = 0.05;
    double y[47], v[47];
    y[0] = log(100);
    for (int i = 1; i < 47; i++)
        y[i] = y[i - 1] + (i <= 23 ? a : b) * (i % 2 ? -1 : 1);
    for (int i = 0; i < 47; i++)
        v[i] = exp(y[i]);
    double base = 0, ytd = 0; /* 2022: v[24..35]; 2023 Jan..Nov: v[36..46] */
    for (int i = 24; i < 36; i++)
        base += v[i];
    for (int i = 36; i < 47; i++)
        ytd += v[i];
    double k1 = 0;
    for (int t = 24; t <= 46; t++)
        k1 += b * b / ((23 * a * a + (t - 24) * b * b) / (t - 1));
    k1 = sqrt(k1 / 23);
    assert_near(k1, 2.17162, 1e-5);

    fx_entry e[] = {{"v", "value", OT_KIND_FLOW, "2020-01", v, 47, 0, NULL}};
    fx_source fx = {e, 1, 0, 0};
    ot_target t = fx_target("v", 2023, OT_TARGET_GROWTH, OT_OP_GE, 0);
    ot_proj_opts o = fast_opts();
    o.method = "naive";
    ot_projection pm, pc, pd;
    ot_err err;
    assert_int_equal(o.intervals, OT_PI_MODEL); /* the default */
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &pd, &err), OT_OK);
    o.intervals = OT_PI_MODEL;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &pm, &err), OT_OK);
    assert_memory_equal(&pd, &pm, sizeof pm);
    assert_string_equal(EN_METHOD(&pm), "Naive on logs");
    o.intervals = OT_PI_CV;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &pc, &err), OT_OK);
    assert_string_equal(EN_METHOD(&pc), "Naive on logs, cv intervals");
    assert_int_equal(pc.periods_left, 1);

    const double qm[5] = {pm.lo95, pm.lo80, pm.point, pm.hi80, pm.hi95};
    const double qc[5] = {pc.lo95, pc.lo80, pc.point, pc.hi80, pc.hi95};
    for (int q = 0; q < 5; q++) {
        double l = log((1 + qm[q] / 100) * base - ytd);
        double want = ((ytd + exp(y[46] + k1 * (l - y[46]))) / base - 1) * 100;
        assert_near(qc[q], want, 1e-7);
    }
    assert_true(pc.hi80 - pc.lo80 > 2 * (pm.hi80 - pm.lo80)); /* k_1 > 2 in logs */
    assert_true(pc.hi95 - pc.lo95 > 2 * (pm.hi95 - pm.lo95));

    /* working memory: every allocation failing in turn (refits included),
     * nothing leaked, then the same result */
    o.paths = 200;
    ot_projection want, p, before;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &want, &err), OT_OK);
    assert_true(project_until_ok(&t, &fx, o, &want) > 23); /* the 23 refits allocate too */

    /* rwsd has no calibration; intervals is 0 or 1 */
    o.alloc = NULL;
    o.method = "rwsd";
    memset(&p, 0x5a, sizeof p);
    before = p;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_EINVAL);
    assert_string_equal(err.msg, "intervals cv are not available with method rwsd (use a model "
                                 "such as auto or ets)");
    o.method = "naive";
    o.intervals = 2;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_EINVAL);
    assert_string_equal(err.msg, "intervals 2 is neither model (0) nor cv (1)");
    assert_memory_equal(&p, &before, sizeof p);
}

/* A sparse local series (ytd growth at March and September only) borrows
 * its shape from a reference with eight years of monthly values named in
 * the series' metadata, and says so. */
static void test_projection_borrowed_shape(void **state)
{
    (void)state;
    static double ref[105]; /* 2015-01 .. 2023-09 */
    synth(ref, 105, 11, 0.03);
    static const double g[] = {11, NAN, NAN, NAN, NAN, NAN, 18.9};
    fx_entry e[] = {{"loc.exports", "ytd_yoy", OT_KIND_FLOW, "2023-03", g, 7, 0, "ref.exports"},
                    {"ref.exports", "value", OT_KIND_FLOW, "2015-01", ref, 105, 0, NULL}};
    fx_source fx = {e, 2, 0, 0};
    ot_target t = fx_target("loc.exports", 2023, OT_TARGET_GROWTH, OT_OP_GE, 15);
    ot_proj_opts o = fast_opts();
    ot_projection p;
    ot_err err;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_string_equal(p.latest, "2023-09");
    assert_near(p.carry, 18.9, 1e-9);
    assert_string_equal(EN_METHOD(&p), "ytd+shape(ref.exports)");
    assert_non_null(strstr(EN_NOTES(&p), "borrowed from ref.exports, 2018-2022"));
    assert_non_null(strstr(EN_NOTES(&p), "shape of the year borrowed from ref.exports, 2016-2022, its "
                                    "spread widened 1.5 times as usual for a local series"));
    assert_true(p.share > 0.6 && p.share < 0.8);
    assert_true(p.prob > 0.5);
    assert_int_equal(p.status, p.prob >= 0.8 ? OT_STATUS_ON_TRACK : OT_STATUS_AT_RISK);
    /* without the metadata callback there is no reference */
    o.shape = NULL;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_string_equal(EN_METHOD(&p), "ytd+shape(rule of thumb)");
}

/* No data, no data for the year, an unquantified target, and a decline
 * of an annual ratio. */
static void test_projection_no_data(void **state)
{
    (void)state;
    static const double ratio[] = {2.0, 1.9, 1.85};
    fx_entry e[] = {{"a", "value", OT_KIND_FLOW, "2022-01", a_v, 12, 0, NULL},
                    {"ratio", "value", OT_KIND_RATE, "2021", ratio, 3, 0, NULL}};
    fx_source fx = {e, 2, 0, 0};
    ot_target t = fx_target("nope", 2023, OT_TARGET_GROWTH, OT_OP_GE, 5);
    ot_proj_opts o = fast_opts();
    ot_projection p;
    ot_err err;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_int_equal(p.status, OT_STATUS_NO_DATA);
    assert_string_equal(ot_proj_status_name(p.status), "no_data");
    assert_true(isnan(p.point) && isnan(p.prob) && isnan(p.required));
    assert_string_equal(EN_NOTES(&p), "no data for nope");
    t.series = "a";
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_int_equal(p.status, OT_STATUS_NO_DATA);
    assert_string_equal(EN_NOTES(&p), "a: no data for 2023 yet");
    /* a year before the data begin (2022) is not "not published yet" */
    t.year = 2015;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_int_equal(p.status, OT_STATUS_NO_DATA);
    assert_string_equal(EN_NOTES(&p), "a: no data for 2015, a year before its data begin (2022)");
    t.year = 2023;
    t.kind = OT_TARGET_UNQUANTIFIED;
    t.op = OT_OP_NONE;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_int_equal(p.status, OT_STATUS_UNQUANTIFIED);
    /* decline: 1.9 -> 1.85 falls by 0.05 */
    t = fx_target("ratio", 2023, OT_TARGET_DECLINE, OT_OP_GE, NAN);
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_int_equal(p.status, OT_STATUS_MET);
    assert_near(p.outcome, 0.05, 1e-12);
    t.value = 0.1; /* must fall by at least 0.1 */
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_int_equal(p.status, OT_STATUS_MISSED);
    /* the operator counts: "fall by at most 0.01" is missed by a fall of 0.05,
     * "fall by at most 0.1" met; no fall at all never passes */
    t.op = OT_OP_LE;
    t.value = 0.01;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_int_equal(p.status, OT_STATUS_MISSED);
    t.value = 0.1;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_int_equal(p.status, OT_STATUS_MET);
    t.op = OT_OP_GT;
    t.value = 0.06;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_int_equal(p.status, OT_STATUS_MISSED);
    t.op = OT_OP_GE;
    t.value = 0.1;
    o.as_of_period = "2023-10";
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_int_equal(p.status, OT_STATUS_NO_DATA);
    assert_string_equal(EN_NOTES(&p), "ratio: no data for 2023 yet");
}

/* A year's total published without its growth (Yiwu's exports: 5005.7 for
 * 2023, growth only through September): a level target has its outcome, a
 * growth target is projected from September and says why. */
static void test_projection_total_without_growth(void **state)
{
    (void)state;
    static const double g[] = {10};
    static const double ytd[] = {990, NAN, NAN, 1300};
    fx_entry e[] = {{"t", "ytd_yoy", OT_KIND_FLOW, "2023-09", g, 1, 0, NULL},
                    {"t", "ytd", OT_KIND_FLOW, "2023-09", ytd, 4, 0, NULL}};
    fx_source fx = {e, 2, 0, 0};
    ot_target t = fx_target("t", 2023, OT_TARGET_LEVEL, OT_OP_GE, 1250);
    ot_proj_opts o = fast_opts();
    ot_projection p;
    ot_err err;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_int_equal(p.status, OT_STATUS_MET);
    assert_near(p.outcome, 1300, 0);
    t.kind = OT_TARGET_GROWTH;
    t.value = 8;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_int_equal(p.has_outcome, 0);
    assert_int_equal(p.periods_done, 9);
    assert_string_equal(p.latest, "2023-09");
    assert_near(p.carry, 10, 0);
    assert_non_null(strstr(EN_NOTES(&p), "t: the 2023 total is published without its growth; growth "
                                    "projected from the data through period 9; "));
}

/* Every allocation of a projection failing in turn (N = 1, 2, ... until the
 * call succeeds): OT_ENOMEM with "out of memory", *out untouched, nothing
 * left allocated; then the same result as with the standard allocator.
 * Covers frames, a model through models/ (snaive), the rwsd paths, a
 * borrowed shape and the correlated pair of a relative target. */
static void test_projection_out_of_memory(void **state)
{
    (void)state;
    static double rich[81], ref[105];
    static const double g[] = {11, NAN, NAN, NAN, NAN, NAN, 18.9};
    synth(rich, 81, 3, 0.02);
    synth(ref, 105, 11, 0.03);
    fx_entry e[] = {{"m", "value", OT_KIND_FLOW, "2017-01", rich, 81, 0, NULL},
                    {"loc", "ytd_yoy", OT_KIND_FLOW, "2023-03", g, 7, 0, "ref"},
                    {"ref", "value", OT_KIND_FLOW, "2015-01", ref, 105, 0, NULL}};
    fx_source fx = {e, 3, 0, 0};
    ot_target t = fx_target("loc", 2023, OT_TARGET_RELATIVE, OT_OP_GE, 3);
    t.ref = "m";
    for (int method = 0; method < 2; method++) {
        ot_proj_opts o = fast_opts();
        o.paths = 200;
        o.method = method ? "snaive" : "rwsd";
        ot_projection want;
        ot_err err;
        assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &want, &err), OT_OK);
        /* it did fail several allocations first */
        assert_true(project_until_ok(&t, &fx, o, &want) > 8);
    }
}

/* The choice by record allocates too (frames, the level model's fits at past
 * origins, the scratch that centres the paths): out of memory at every
 * allocation in turn is reported, leaks nothing, and leaves *out untouched;
 * then the result equals the one made without failures.  Quarterly values
 * 2008-2019Q2 whose quarters grow 2-6% with a year pattern. */
static void test_projection_record_out_of_memory(void **state)
{
    (void)state;
    static double v[46];
    growing_quarters(v);
    fx_entry e[] = {{"h", "value", OT_KIND_FLOW, "2008Q1", v, 46, 0, NULL}};
    fx_source fx = {e, 1, 0, 0};
    ot_target t = fx_target("h", 2019, OT_TARGET_GROWTH, OT_OP_GE, 4);
    ot_proj_opts o = fast_opts();
    o.method = NULL; /* the default: by record */
    o.paths = 300;
    ot_proj_memo *memo = ot_proj_memo_new(); /* a fresh memo: the fits are made here */
    o.memo = memo;
    ot_projection want;
    ot_err err;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &want, &err), OT_OK);
    assert_int_equal(strncmp(EN_METHOD(&want), "record: ", 8), 0);
    ot_proj_memo_free(memo);
    o.memo = memo = ot_proj_memo_new();
    assert_true(project_until_ok(&t, &fx, o, &want) > 8);
    ot_proj_memo_free(memo);
}

/* Invalid targets and options, and a failing source: the code, the message,
 * and *out untouched. */
static void test_projection_failures(void **state)
{
    (void)state;
    fx_source fx = {ab, 2, 0, 0};
    ot_target t = fx_target("a", 2023, OT_TARGET_RELATIVE, OT_OP_GE, 3);
    ot_proj_opts o = fast_opts();
    ot_projection p, before;
    ot_err err;
    memset(&p, 0x5a, sizeof p);
    before = p;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_EINVAL);
    assert_string_equal(err.msg, "target a: a relative target needs ref");
    assert_memory_equal(&p, &before, sizeof p);
    t.kind = OT_TARGET_GROWTH;
    o.as_of_period = "2023-13";
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_EINVAL);
    assert_string_equal(err.msg, "bad as_of period '2023-13'");
    o.as_of_period = NULL;
    o.method = "nope";
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_EINVAL);
    assert_true(strncmp(err.msg, "unknown method 'nope' (known: carry, rate, rwsd, naive", 54) == 0);
    o.method = "carry";
    o.intervals = OT_PI_CV;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_EINVAL);
    assert_string_equal(err.msg, "intervals cv are not available with method carry (use a model "
                                 "such as auto or ets)");
    o.intervals = OT_PI_MODEL;
    o.exclude_years[0] = 2022;
    o.exclude_years[1] = 2020;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_EINVAL);
    assert_string_equal(err.msg, "exclude_years 2022-2020: the first is after the last");
    o.exclude_years[0] = o.exclude_years[1] = 0;
    o.shape_years[0] = 2019;
    o.shape_years[1] = 2015;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_EINVAL);
    assert_string_equal(err.msg, "shape_years 2019-2015: the first is after the last");
    o.shape_years[0] = o.shape_years[1] = 0;
    assert_memory_equal(&p, &before, sizeof p);
    o.method = "rwsd";
    t.year = 0;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_EINVAL);
    assert_string_equal(err.msg, "target a: year 0 out of range 1900..9999");
    t.year = 2023;
    t.series = NULL;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_EINVAL);
    assert_string_equal(err.msg, "target has no series");
    t.series = "a";
    fx.fail = OT_EIO;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_EIO);
    assert_string_equal(err.msg, "store: disk on fire reading a");
    assert_memory_equal(&p, &before, sizeof p);
    /* many: the first failing target is named */
    fx.fail = 0;
    ot_target ts[3] = {t, t, t};
    ts[1].kind = OT_TARGET_IN_STEP;
    ts[1].tolerance = 1;
    ot_projection ps[3];
    o.threads = 2;
    assert_int_equal(ot_project_many(ts, 3, fx_get, &fx, &o, ps, &err), OT_EINVAL);
    assert_string_equal(err.msg, "target 2 (a 2023): target a: a in_step target needs ref");
    assert_int_equal(ot_project_many(ts, 0, fx_get, &fx, &o, ps, &err), OT_OK);
    assert_int_equal(ot_project_target(&t, NULL, &fx, &o, &p, &err), OT_EINVAL);
    assert_string_equal(err.msg, "no data source");
    o.paths = OT_PROJ_PATHS_MAX + 1;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_EINVAL);
    assert_string_equal(err.msg, "paths 10000001 out of range 1..10000000");
    o.paths = 100;
    /* a daily series is refused with a reason */
    static const double d[] = {1, 2, 3};
    fx_entry de[] = {{"d", "value", OT_KIND_FLOW, "2023-01-01", d, 3, 0, NULL}};
    fx_source dfx = {de, 1, 0, 0};
    t.series = "d";
    assert_int_equal(ot_project_target(&t, fx_get, &dfx, &o, &p, &err), OT_EDATA);
    assert_string_equal(err.msg,
                        "d (value): a daily series cannot be projected; aggregate it first");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_projection_level_met_by_ytd),
        cmocka_unit_test(test_projection_eq_tolerance),
        cmocka_unit_test(test_projection_daily_avg_leap),
        cmocka_unit_test(test_projection_count_no_events_yet),
        cmocka_unit_test(test_projection_flow_not_below_ytd),
        cmocka_unit_test(test_projection_base_not_positive),
        cmocka_unit_test(test_projection_growth_decided_by_ytd),
        cmocka_unit_test(test_projection_outcome_known),
        cmocka_unit_test(test_projection_relative),
        cmocka_unit_test(test_projection_jan_feb_combined),
        cmocka_unit_test(test_projection_seeded_reproducible),
        cmocka_unit_test(test_projection_published_basis),
        cmocka_unit_test(test_projection_model_method),
        cmocka_unit_test(test_projection_cv_intervals),
        cmocka_unit_test(test_projection_borrowed_shape),
        cmocka_unit_test(test_projection_no_data),
        cmocka_unit_test(test_projection_total_without_growth),
        cmocka_unit_test(test_projection_out_of_memory),
        cmocka_unit_test(test_projection_record_out_of_memory),
        cmocka_unit_test(test_projection_stock_yoy),
        cmocka_unit_test(test_projection_stock_yoy_only),
        cmocka_unit_test(test_projection_record_scenario),
        cmocka_unit_test(test_projection_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
