/* test_stl.c — STL (stl.c) against R's stats::stl (R 4.2) on the series of
 * tests/data/models: stl.txt, written by make_fixtures.R (the R command is
 * there), holds the seasonal and trend components of six decompositions
 * (plain, s.degree = 1, two robustness passes, quarterly) and forecast's
 * seasonal strength of each; and the failure paths.  (With more robustness
 * passes R's weights drift from ours from the third pass on, by about 1e-5
 * of the scale by the fifteenth; not found why.  The seasonal-strength test
 * uses no robustness passes.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "failalloc.h"
#include "models/stl.h"

#define FIXDIR ONTRACK_SOURCE_DIR "/tests/data/models/"
#define MAXN 1000

/* The values of series name from series.txt into y; returns the count. */
static size_t load_series(const char *name, double *y)
{
    FILE *f = fopen(FIXDIR "series.txt", "r");
    assert_non_null(f);
    char nm[32];
    int freq;
    size_t n;
    while (fscanf(f, "%31s %d %zu", nm, &freq, &n) == 3) {
        assert_true(n <= MAXN);
        for (size_t i = 0; i < n; i++)
            assert_int_equal(fscanf(f, "%lf", &y[i]), 1);
        if (!strcmp(nm, name)) {
            fclose(f);
            return n;
        }
    }
    fclose(f);
    fail_msg("no series %s in series.txt", name);
    return 0;
}

/* Reads up to cap numbers after the next '|' of *p. */
static size_t section(char **p, double *out, size_t cap)
{
    char *s = strchr(*p, '|'), *end;
    assert_non_null(s);
    s++;
    size_t k = 0;
    for (;;) {
        double v = strtod(s, &end);
        if (end == s || k == cap)
            break;
        out[k++] = v;
        s = end;
    }
    *p = s;
    return k;
}

static double strength(const double *y, const double *s, const double *t, size_t n)
{
    /* 1 - var(R) / var(R + S), R = y - S - T; max(0, min(1, .)) */
    double mr = 0, ms = 0, vr = 0, vs = 0;
    for (size_t i = 0; i < n; i++) {
        mr += (y[i] - s[i] - t[i]) / (double)n;
        ms += (y[i] - t[i]) / (double)n;
    }
    for (size_t i = 0; i < n; i++) {
        double r = y[i] - s[i] - t[i] - mr, rs = y[i] - t[i] - ms;
        vr += r * r;
        vs += rs * rs;
    }
    return fmax(0.0, fmin(1.0, 1.0 - vr / vs));
}

/* Every case of stl.txt: components within 1e-8 of R's relative to the
 * series' scale (R prints 15 digits; the algorithm is the same, the sums in
 * the same order), and the seasonal strength within 1e-9. */
static void test_stl_matches_r(void **state)
{
    (void)state;
    FILE *fx = fopen(FIXDIR "stl.txt", "r");
    assert_non_null(fx);
    static char line[65536];
    int rows = 0;
    while (fgets(line, sizeof line, fx)) {
        char name[32];
        int period, swin, sdeg, inner, outer;
        assert_int_equal(sscanf(line, "%31s %d %d %d %d %d", name, &period, &swin, &sdeg, &inner,
                                &outer),
                         6);
        double y[MAXN], rs[MAXN], rt[MAXN], st[1] = {NAN}, s[MAXN], t[MAXN], w[MAXN];
        size_t n = load_series(name, y);
        char *p = line;
        assert_int_equal(section(&p, rs, MAXN), n);
        assert_int_equal(section(&p, rt, MAXN), n);
        assert_int_equal(section(&p, st, 1), 1);
        ot_stl_opts o;
        ot_stl_defaults(&o, period, swin, outer > 0);
        o.s_degree = sdeg;
        o.inner = inner;
        o.outer = outer;
        ot_err err;
        assert_int_equal(ot_stl(y, n, &o, NULL, s, t, w, &err), OT_OK);
        double scale = 0.0, worst = 0.0;
        for (size_t i = 0; i < n; i++)
            scale = fmax(scale, fabs(y[i]));
        for (size_t i = 0; i < n; i++)
            worst = fmax(worst, fmax(fabs(s[i] - rs[i]), fabs(t[i] - rt[i])) / scale);
        if (worst > 1e-8)
            fail_msg("%s s.window=%d: largest difference %.3g of the scale", name, swin, worst);
        assert_true(fabs(strength(y, s, t, n) - st[0]) < 1e-9);
        for (size_t i = 0; i < n; i++) /* robust weights lie in [0, 1]; 1 without */
            assert_true(outer ? w[i] >= 0.0 && w[i] <= 1.0 : w[i] == 1.0);
        rows++;
    }
    fclose(fx);
    assert_int_equal(rows, 6);
}

/* R's default windows for monthly data and mstl's s.window = 11:
 * t.window = nextodd(ceiling(1.5 * 12 / (1 - 1.5 / 11))) = nextodd(21) = 21,
 * l.window = nextodd(12) = 13, jumps ceiling(11/10) = 2, ceiling(21/10) = 3,
 * ceiling(13/10) = 2; quarterly with s.window = 7: t.window =
 * nextodd(ceiling(6 / (1 - 1.5/7))) = nextodd(8) = 9, l.window = 5. */
static void test_stl_defaults(void **state)
{
    (void)state;
    ot_stl_opts o;
    ot_stl_defaults(&o, 12, 11, 0);
    assert_int_equal(o.t_window, 21);
    assert_int_equal(o.l_window, 13);
    assert_int_equal(o.s_jump, 2);
    assert_int_equal(o.t_jump, 3);
    assert_int_equal(o.l_jump, 2);
    assert_int_equal(o.inner, 2);
    assert_int_equal(o.outer, 0);
    ot_stl_defaults(&o, 4, 7, 1);
    assert_int_equal(o.t_window, 9);
    assert_int_equal(o.l_window, 5);
    assert_int_equal(o.inner, 1);
    assert_int_equal(o.outer, 15);
}

/* A pure seasonal pattern repeated exactly: the seasonal component is the
 * pattern less its mean and the trend that mean, to rounding (each loess
 * fit of a constant subseries returns the constant; the low-pass filter of
 * a periodic sequence is its mean). */
static void test_stl_exact_pattern(void **state)
{
    (void)state;
    double pat[4] = {3, -1, 2, 0}, y[40], s[40], t[40]; /* mean 1 */
    for (int i = 0; i < 40; i++)
        y[i] = 10 + pat[i % 4];
    ot_stl_opts o;
    ot_stl_defaults(&o, 4, 7, 0);
    ot_err err;
    assert_int_equal(ot_stl(y, 40, &o, NULL, s, t, NULL, &err), OT_OK);
    for (int i = 0; i < 40; i++) {
        assert_true(fabs(s[i] - (pat[i % 4] - 1.0)) < 1e-10);
        assert_true(fabs(t[i] - 11.0) < 1e-10);
    }
}

static void test_stl_errors(void **state)
{
    (void)state;
    double y[24] = {0}, s[24], t[24];
    ot_stl_opts o;
    ot_stl_defaults(&o, 12, 11, 0);
    ot_err err;
    assert_int_equal(ot_stl(y, 24, &o, NULL, s, t, NULL, &err), OT_EINVAL);
    assert_string_equal(err.msg, "stl: series is not periodic or has less than two periods");
    ot_stl_defaults(&o, 1, 11, 0);
    assert_int_equal(ot_stl(y, 24, &o, NULL, s, t, NULL, &err), OT_EINVAL);
    ot_stl_defaults(&o, 4, 11, 0);
    o.t_degree = 2;
    assert_int_equal(ot_stl(y, 24, &o, NULL, s, t, NULL, &err), OT_EINVAL);
    assert_string_equal(err.msg, "stl: degrees must be 0 or 1");
    /* out of memory: the one workspace allocation fails, outputs untouched */
    failalloc fa = {.fail_at = 1};
    ot_alloc a = {failalloc_f, &fa};
    ot_stl_defaults(&o, 4, 11, 0);
    s[0] = 42.0;
    assert_int_equal(ot_stl(y, 24, &o, &a, s, t, NULL, &err), OT_ENOMEM);
    assert_string_equal(err.msg, "out of memory");
    assert_true(s[0] == 42.0);
    fa.fail_at = 0;
    assert_int_equal(ot_stl(y, 24, &o, &a, s, t, NULL, &err), OT_OK);
    assert_int_equal(fa.blocks, 0);
    assert_int_equal(fa.bytes, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stl_matches_r),
        cmocka_unit_test(test_stl_defaults),
        cmocka_unit_test(test_stl_exact_pattern),
        cmocka_unit_test(test_stl_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
