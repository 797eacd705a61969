/* test_scenario.c — building scenarios (validation and messages) and their
 * effect on projections, worked by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "proj_words.h"

#include "proj_source.h"
#include "project/scenario.h"

static ot_proj_opts fast_opts(void)
{
    ot_proj_opts o;
    ot_proj_opts_init(&o);
    o.paths = 2000;
    o.method = "rwsd"; /* what these tests work out, whatever "auto" becomes */
    return o;
}

static void test_scenario_build(void **state)
{
    (void)state;
    ot_err err;
    ot_scenario *sc = ot_scenario_new("slow Q4", &err);
    assert_non_null(sc);
    assert_string_equal(sc->name, "slow Q4");
    assert_int_equal(ot_scenario_growth(sc, "x", 3, "2023-10", &err), OT_OK);
    assert_int_equal(sc->ops[0].to.ord, ot_period_make(OT_FREQ_M, 2023, 12)); /* year end */
    assert_int_equal(ot_scenario_shock(sc, "x", -5, "2023Q4", NULL, &err), OT_OK);
    assert_int_equal(sc->ops[1].to.ord, ot_period_make(OT_FREQ_Q, 2023, 4));
    assert_int_equal(ot_scenario_shock_level(sc, "y", 10, "2023-11", "2023-12", &err), OT_OK);
    assert_int_equal(ot_scenario_set(sc, "y", "2023-12", 500, &err), OT_OK);
    /* a Jan–Feb period starts in January */
    assert_int_equal(ot_scenario_shock(sc, "z", 1, "2023-01/02", "2023-03", &err), OT_OK);
    assert_int_equal(sc->ops[4].from.ord, ot_period_make(OT_FREQ_M, 2023, 1));
    assert_int_equal(sc->n, 5);
    assert_true(ot_scenario_touches(sc, "y"));
    assert_false(ot_scenario_touches(sc, "w"));
    assert_false(ot_scenario_touches(NULL, "y"));

    assert_int_equal(ot_scenario_growth(sc, "", 3, "2023-10", &err), OT_EINVAL);
    assert_string_equal(err.msg, "scenario: series key missing");
    assert_int_equal(ot_scenario_growth(sc, "x", 3, "2023-13", &err), OT_EINVAL);
    assert_string_equal(err.msg, "scenario: bad from period '2023-13'");
    assert_int_equal(ot_scenario_growth(sc, "x", 3, NULL, &err), OT_EINVAL);
    assert_string_equal(err.msg, "scenario: from period missing");
    assert_int_equal(ot_scenario_shock(sc, "x", 3, "2023-12", "2023-10", &err), OT_EINVAL);
    assert_string_equal(err.msg, "scenario: to '2023-10' is before from '2023-12'");
    assert_int_equal(ot_scenario_shock(sc, "x", 3, "2023-10", "2024-01", &err), OT_EINVAL);
    assert_string_equal(err.msg,
                        "scenario: from '2023-10' and to '2024-01' are in different years");
    assert_int_equal(ot_scenario_shock(sc, "x", 3, "2023-10", "2023Q4", &err), OT_EINVAL);
    assert_string_equal(err.msg, "scenario: from '2023-10' and to '2023Q4' differ in frequency");
    assert_int_equal(ot_scenario_set(sc, "x", "2023-10-05", 1, &err), OT_EINVAL);
    assert_string_equal(err.msg,
                        "scenario: from period '2023-10-05' must be a month, quarter or year");
    assert_int_equal(ot_scenario_set(sc, "x", "2023-10", NAN, &err), OT_EINVAL);
    assert_string_equal(err.msg, "scenario slow Q4: value for 'x' is not a finite number");
    assert_int_equal(sc->n, 5); /* unchanged by failures */
    ot_scenario_free(sc);
    ot_scenario_free(NULL);
}

/* Monthly data from a known process (see test_projection.c), 2017-01 .. 2023-09. */
static void synth(double *v, size_t n, uint64_t seed)
{
    static const double seas[12] = {-0.10, -0.25, 0.05, 0.0,  0.02, 0.04,
                                    0.0,   0.01,  0.03, 0.05, 0.08, 0.12};
    uint64_t x = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    double l = log(100);
    for (size_t i = 0; i < n; i++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        double u1 = ((x >> 11) + 0.5) / 9007199254740992.0;
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        double u2 = ((x >> 11) + 0.5) / 9007199254740992.0;
        l += 0.005 + 0.02 * sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
        v[i] = exp(l + seas[i % 12]);
    }
}

/* Rich data, rwsd paths.  A -5 % shock on 2023Q4 multiplies every path's
 * October–December by 0.95: total' = ytd + 0.95 (total - ytd), a monotone
 * map, so with the same random numbers every quantile maps the same way:
 * point' = ytd + 0.95 (point - ytd).  Growth 0 % from October makes the
 * year certain: total = ytd + last year's Q4. */
static void test_scenario_rich_effect(void **state)
{
    (void)state;
    static double v[81];
    synth(v, 81, 5);
    double ytd = 0, prev_q4 = 0, prev_total = 0;
    for (int i = 72; i < 81; i++)
        ytd += v[i];
    for (int i = 60; i < 72; i++)
        prev_total += v[i];
    for (int i = 69; i < 72; i++)
        prev_q4 += v[i];
    fx_entry e[] = {{"s", "value", OT_KIND_FLOW, "2017-01", v, 81, 0, NULL}};
    fx_source fx = {e, 1, 0, 0};
    ot_target t = fx_target("s", 2023, OT_TARGET_LEVEL, OT_OP_GE, 1000);
    ot_proj_opts o = fast_opts();
    ot_projection base, p;
    ot_err err;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &base, &err), OT_OK);
    ot_scenario *sc = ot_scenario_new("shock", &err);
    assert_int_equal(ot_scenario_shock(sc, "s", -5, "2023Q4", NULL, &err), OT_OK);
    o.scenario = sc;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_near(p.point, ytd + 0.95 * (base.point - ytd), 1e-9 * base.point);
    assert_near(p.lo80, ytd + 0.95 * (base.lo80 - ytd), 1e-9 * base.point);
    assert_near(p.hi95, ytd + 0.95 * (base.hi95 - ytd), 1e-9 * base.point);
    assert_near(p.carry, base.carry, 0); /* the ytd is data: unchanged */
    /* growth target: G' = (ytd + 0.95 (L - ytd)) / prev_total - 1 */
    t.kind = OT_TARGET_GROWTH;
    t.value = 5;
    o.scenario = NULL;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &base, &err), OT_OK);
    o.scenario = sc;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    double L = prev_total * (1 + base.point / 100);
    assert_near(p.point, ((ytd + 0.95 * (L - ytd)) / prev_total - 1) * 100, 1e-9);
    assert_true(p.prob < base.prob);
    ot_scenario_free(sc);

    sc = ot_scenario_new("flat", &err);
    assert_int_equal(ot_scenario_growth(sc, "s", 0, "2023-10", &err), OT_OK);
    o.scenario = sc;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    double G = ((ytd + prev_q4) / prev_total - 1) * 100;
    assert_near(p.point, G, 1e-9);
    assert_near(p.lo95, G, 1e-9);
    assert_near(p.hi95, G, 1e-9);
    assert_near(p.prob, G >= 5 ? 1.0 : 0.0, 0);
    ot_scenario_free(sc);

    /* a scenario on another series leaves the projection bit for bit */
    sc = ot_scenario_new("other", &err);
    assert_int_equal(ot_scenario_shock(sc, "zz", -50, "2023-10", NULL, &err), OT_OK);
    o.scenario = sc;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_memory_equal(&p, &base, sizeof p);
    ot_scenario_free(sc);
}

/* Sparse data (2022 at 100 a month, 2023 Jan–Sep at 110: g = 10 %, s = 0.75,
 * s(1+g) = 0.825, each Q4 month 1/12 of last year's total):
 * - growth 2 % from October: G = 0.825 + 0.25 × 1.02 - 1 = 8 %, certain;
 * - then Dec set to 500: 990 + 102 + 102 + 500 = 1694 = 1200 × 1.411667;
 * - growth 0 then +60 a month in Q4: 990 + 3 × 160 = 1470, G = 22.5 %;
 * - a -5 % shock on Q4: G' = 0.825 + 0.95 (G + 1 - 0.825) - 1 path by path. */
static void test_scenario_sparse_effect(void **state)
{
    (void)state;
    static const double v[] = {100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100,
                               110, 110, 110, 110, 110, 110, 110, 110, 110};
    fx_entry e[] = {{"x", "value", OT_KIND_FLOW, "2022-01", v, 21, 0, NULL}};
    fx_source fx = {e, 1, 0, 0};
    ot_target t = fx_target("x", 2023, OT_TARGET_GROWTH, OT_OP_GE, 7.5);
    ot_proj_opts o = fast_opts();
    ot_projection base, p;
    ot_err err;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &base, &err), OT_OK);

    ot_scenario *sc = ot_scenario_new("g2", &err);
    assert_int_equal(ot_scenario_growth(sc, "x", 2, "2023-10", &err), OT_OK);
    o.scenario = sc;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_near(p.point, 8.0, 1e-9);
    assert_near(p.lo95, 8.0, 1e-9);
    assert_near(p.prob, 1.0, 0);
    assert_int_equal(p.status, OT_STATUS_ON_TRACK);
    assert_near(p.required, base.required, 0); /* the pace needed does not change */
    assert_int_equal(ot_scenario_set(sc, "x", "2023-12", 500, &err), OT_OK);
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_near(p.point, (1694.0 / 1200 - 1) * 100, 1e-9);
    ot_scenario_free(sc);

    sc = ot_scenario_new("lvl", &err);
    assert_int_equal(ot_scenario_growth(sc, "x", 0, "2023-10", &err), OT_OK);
    assert_int_equal(ot_scenario_shock_level(sc, "x", 60, "2023Q4", NULL, &err), OT_OK);
    o.scenario = sc;
    t.kind = OT_TARGET_LEVEL;
    t.value = 1400;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_near(p.point, 1470.0, 1e-9);
    /* rwsd, named so that the arithmetic is fixed, needs three years: said */
    assert_string_equal(EN_NOTES(&p), "x: rwsd needs 3 years of its own period values: "
                                      "projected from its ytd instead; no shape reference: "
                                      "range is a rule of thumb");
    /* a quarter cannot be set on a monthly series: skipped, and said */
    assert_int_equal(ot_scenario_set(sc, "x", "2023Q4", 1, &err), OT_OK);
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_near(p.point, 1470.0, 1e-9);
    assert_non_null(strstr(EN_NOTES(&p), "scenario set on x skipped: its period is not of the "
                                    "series' frequency"));
    assert_null(strstr(EN_NOTES(&p), "already published"));
    /* nor a month already in the data (the ytd through September stands) */
    assert_int_equal(ot_scenario_set(sc, "x", "2023-05", 1, &err), OT_OK);
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_near(p.point, 1470.0, 1e-9);
    assert_non_null(strstr(EN_NOTES(&p), "scenario on x skipped for periods already published "
                                    "(the data stand)"));
    ot_scenario_free(sc);

    /* amounts need last year's total: on growth rates alone they are skipped */
    static const double g[] = {7.3, NAN, 8.7};
    fx_entry ge[] = {{"g", "ytd_yoy", OT_KIND_RATE, "2023Q1", g, 3, 0, NULL}};
    fx_source gfx = {ge, 1, 0, 0};
    ot_target gt = fx_target("g", 2023, OT_TARGET_GROWTH, OT_OP_GE, 7.5);
    sc = ot_scenario_new("amount", &err);
    assert_int_equal(ot_scenario_shock_level(sc, "g", 10, "2023Q4", NULL, &err), OT_OK);
    o.scenario = NULL;
    assert_int_equal(ot_project_target(&gt, fx_get, &gfx, &o, &base, &err), OT_OK);
    o.scenario = sc;
    assert_int_equal(ot_project_target(&gt, fx_get, &gfx, &o, &p, &err), OT_OK);
    assert_near(p.point, base.point, 0);
    assert_non_null(strstr(EN_NOTES(&p), "scenario amounts on g skipped: last year's total is unknown"));
    ot_scenario_free(sc);

    t.kind = OT_TARGET_GROWTH;
    t.value = 7.5;
    o.scenario = NULL;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &base, &err), OT_OK);
    sc = ot_scenario_new("shock", &err);
    assert_int_equal(ot_scenario_shock(sc, "x", -5, "2023-10", "2023-12", &err), OT_OK);
    o.scenario = sc;
    assert_int_equal(ot_project_target(&t, fx_get, &fx, &o, &p, &err), OT_OK);
    assert_near(p.point, (0.825 + 0.95 * (base.point / 100 + 1 - 0.825) - 1) * 100, 1e-9);
    assert_near(p.hi80, (0.825 + 0.95 * (base.hi80 / 100 + 1 - 0.825) - 1) * 100, 1e-9);
    ot_scenario_free(sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scenario_build),
        cmocka_unit_test(test_scenario_rich_effect),
        cmocka_unit_test(test_scenario_sparse_effect),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
