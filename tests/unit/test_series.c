/* test_series.c — the series type: creation, copy, slice, trim, metadata,
 * alignment, and exact allocator accounting under failing allocations. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include <cmocka.h>

#include "core/series.h"
#include "failalloc.h"

#define M2023(m) (24276 + (m)-1) /* ordinal of 2023-mm */

static void test_series_new_is_all_missing(void **state)
{
    (void)state;
    ot_err err;
    ot_series *s = ot_series_new(NULL, OT_FREQ_M, M2023(1), 3, &err);
    assert_non_null(s);
    assert_int_equal(s->n, 3);
    assert_int_equal(s->start, M2023(1));
    assert_int_equal(s->freq, OT_FREQ_M);
    assert_int_equal(s->kind, OT_KIND_FLOW);
    assert_null(s->flags);
    assert_null(s->key);
    for (size_t i = 0; i < 3; i++)
        assert_true(isnan(s->v[i]));
    assert_int_equal(ot_series_end(s), M2023(3));
    ot_series_free(s);
    s = ot_series_new(NULL, OT_FREQ_M, M2023(1), 0, &err);
    assert_non_null(s);
    assert_null(s->v);
    assert_int_equal(ot_series_end(s), M2023(1) - 1);
    ot_series_free(s);
    ot_series_free(NULL);
}

static void test_series_from_at_covered(void **state)
{
    (void)state;
    double v[] = {NAN, 30, 12};
    ot_series *s = ot_series_from(NULL, OT_FREQ_M, M2023(1), v, 3, NULL);
    assert_non_null(s);
    assert_int_equal(ot_series_ensure_flags(s, NULL), OT_OK);
    s->flags[0] = OT_OBS_COVERED;
    assert_true(isnan(ot_series_at(s, M2023(1))));
    assert_true(ot_series_at(s, M2023(2)) == 30);
    assert_true(isnan(ot_series_at(s, M2023(4))));
    assert_true(isnan(ot_series_at(s, M2023(1) - 1)));
    assert_true(ot_series_covered(s, M2023(1)));
    assert_false(ot_series_covered(s, M2023(2)));
    assert_false(ot_series_covered(s, M2023(9)));
    ot_series_free(s);
}

static void test_series_meta_set_clear_copy(void **state)
{
    (void)state;
    ot_err err;
    ot_series *s = ot_series_new(NULL, OT_FREQ_Y, 2020, 1, &err);
    assert_int_equal(ot_series_set_meta(s, "yiwu.gdp", "地区生产总值", "亿元", &err), OT_OK);
    assert_string_equal(s->key, "yiwu.gdp");
    assert_string_equal(s->name, "地区生产总值");
    assert_string_equal(s->unit, "亿元");
    /* NULL leaves, "" clears */
    assert_int_equal(ot_series_set_meta(s, NULL, "", "元", &err), OT_OK);
    assert_string_equal(s->key, "yiwu.gdp");
    assert_null(s->name);
    assert_string_equal(s->unit, "元");
    s->kind = OT_KIND_STOCK;
    ot_series *t = ot_series_new(NULL, OT_FREQ_Y, 2020, 1, &err);
    assert_int_equal(ot_series_copy_meta(t, s, &err), OT_OK);
    assert_string_equal(t->key, "yiwu.gdp");
    assert_null(t->name);
    assert_string_equal(t->unit, "元");
    assert_int_equal(t->kind, OT_KIND_STOCK);
    ot_series_free(s);
    ot_series_free(t);
}

static void test_series_copy_is_deep(void **state)
{
    (void)state;
    double v[] = {NAN, 5, 6};
    ot_series *s = ot_series_from(NULL, OT_FREQ_M, M2023(1), v, 3, NULL);
    ot_series_ensure_flags(s, NULL);
    s->flags[0] = OT_OBS_COVERED;
    ot_series_set_meta(s, "k", "n", "u", NULL);
    ot_series *c = ot_series_copy(s, NULL);
    assert_non_null(c);
    assert_ptr_not_equal(c->v, s->v);
    assert_ptr_not_equal(c->key, s->key);
    assert_string_equal(c->key, "k");
    assert_int_equal(c->flags[0], OT_OBS_COVERED);
    assert_true(c->v[1] == 5 && c->v[2] == 6);
    c->v[1] = 99;
    assert_true(s->v[1] == 5);
    ot_series_free(s);
    ot_series_free(c);
}

static void test_series_slice_pads_and_cuts(void **state)
{
    (void)state;
    ot_err err;
    double v[] = {1, 2, 3, 4};
    ot_series *s = ot_series_from(NULL, OT_FREQ_Q, 8092, v, 4, &err); /* 2023Q1..Q4 */
    /* [2022Q4, 2023Q2]: one missing before, then 1, 2 */
    ot_series *a = ot_series_slice(s, 8091, 8093, &err);
    assert_int_equal(a->start, 8091);
    assert_int_equal(a->n, 3);
    assert_true(isnan(a->v[0]) && a->v[1] == 1 && a->v[2] == 2);
    assert_null(a->flags);
    /* entirely outside: all missing */
    ot_series *b = ot_series_slice(s, 8100, 8101, &err);
    assert_int_equal(b->n, 2);
    assert_true(isnan(b->v[0]) && isnan(b->v[1]));
    /* reversed range */
    assert_null(ot_series_slice(s, 8093, 8092, &err));
    assert_int_equal(err.code, OT_EINVAL);
    assert_string_equal(err.msg, "slice end is before its start");
    ot_series_free(a);
    ot_series_free(b);
    ot_series_free(s);
}

static void test_series_valid_range_and_trim(void **state)
{
    (void)state;
    ot_err err;
    size_t f = 77, l = 77;
    double v[] = {NAN, NAN, 7, NAN, 8, NAN};
    ot_series *s = ot_series_from(NULL, OT_FREQ_M, M2023(1), v, 6, &err);
    assert_int_equal(ot_series_valid_range(s, &f, &l), 1);
    assert_int_equal(f, 2);
    assert_int_equal(l, 4);
    ot_series *t = ot_series_trim(s, &err);
    assert_int_equal(t->start, M2023(3));
    assert_int_equal(t->n, 3);
    assert_true(t->v[0] == 7 && isnan(t->v[1]) && t->v[2] == 8);
    ot_series_free(t);
    /* a covered January before the first value is kept by trim */
    ot_series_ensure_flags(s, &err);
    s->flags[1] = OT_OBS_COVERED;
    t = ot_series_trim(s, &err);
    assert_int_equal(t->start, M2023(2));
    assert_int_equal(t->n, 4);
    assert_int_equal(t->flags[0], OT_OBS_COVERED);
    ot_series_free(t);
    ot_series_free(s);
    /* all missing: valid_range says 0 and leaves the outputs; trim is empty */
    double w[] = {NAN, NAN};
    s = ot_series_from(NULL, OT_FREQ_M, M2023(1), w, 2, &err);
    f = l = 77;
    assert_int_equal(ot_series_valid_range(s, &f, &l), 0);
    assert_int_equal(f, 77);
    t = ot_series_trim(s, &err);
    assert_int_equal(t->n, 0);
    ot_series_free(t);
    ot_series_free(s);
}

static void test_series_align_union_intersect(void **state)
{
    (void)state;
    ot_err err;
    ot_ord start = -1;
    size_t n = 99;
    ot_series *a = ot_series_new(NULL, OT_FREQ_M, M2023(1), 6, &err); /* Jan..Jun */
    ot_series *b = ot_series_new(NULL, OT_FREQ_M, M2023(4), 6, &err); /* Apr..Sep */
    assert_int_equal(ot_series_align(a, b, OT_ALIGN_UNION, &start, &n, &err), OT_OK);
    assert_int_equal(start, M2023(1));
    assert_int_equal(n, 9);
    assert_int_equal(ot_series_align(a, b, OT_ALIGN_INTERSECT, &start, &n, &err), OT_OK);
    assert_int_equal(start, M2023(4));
    assert_int_equal(n, 3);
    /* disjoint: the intersection is empty */
    ot_series *c = ot_series_new(NULL, OT_FREQ_M, M2023(11), 2, &err);
    assert_int_equal(ot_series_align(a, c, OT_ALIGN_INTERSECT, &start, &n, &err), OT_OK);
    assert_int_equal(n, 0);
    assert_int_equal(ot_series_align(a, c, OT_ALIGN_UNION, &start, &n, &err), OT_OK);
    assert_int_equal(start, M2023(1));
    assert_int_equal(n, 12);
    /* different frequencies */
    ot_series *q = ot_series_new(NULL, OT_FREQ_Q, 8092, 2, &err);
    start = -1;
    assert_int_equal(ot_series_align(a, q, OT_ALIGN_UNION, &start, &n, &err), OT_EINVAL);
    assert_string_equal(err.msg, "series frequencies differ (M and Q)");
    assert_int_equal(start, -1);
    ot_series_free(a);
    ot_series_free(b);
    ot_series_free(c);
    ot_series_free(q);
}

static void test_series_kind_names(void **state)
{
    (void)state;
    assert_string_equal(ot_kind_name(OT_KIND_FLOW), "flow");
    assert_string_equal(ot_kind_name(OT_KIND_STOCK), "stock");
    assert_string_equal(ot_kind_name(OT_KIND_RATE), "rate");
    assert_int_equal(ot_kind_parse("stock"), OT_KIND_STOCK);
    assert_int_equal(ot_kind_parse("Rate"), OT_KIND_RATE);
    assert_int_equal(ot_kind_parse("level"), -1);
    assert_int_equal(ot_kind_parse(NULL), -1);
}

static void test_series_too_long_is_range_error(void **state)
{
    (void)state;
    ot_err err;
    assert_null(ot_series_new(NULL, OT_FREQ_D, 0, SIZE_MAX / 4, &err));
    assert_int_equal(err.code, OT_ERANGE);
}

/* Builds a flagged, named series with the counter, copies and slices it with
 * the N-th allocation failing for N = 1, 2, ... until both succeed; at every
 * N the failure is OT_ENOMEM with "out of memory" and the balance returns to
 * zero once everything is freed. */
static void test_series_failing_allocator(void **state)
{
    (void)state;
    int succeeded = 0;
    for (long n = 1; n < 100 && !succeeded; n++) {
        failalloc c = {0};
        ot_alloc a = {failalloc_f, &c};
        ot_err err;
        double v[] = {NAN, 30, 12, 14};
        ot_series *s = ot_series_from(&a, OT_FREQ_M, M2023(1), v, 4, &err);
        assert_non_null(s);
        assert_int_equal(ot_series_set_meta(s, "yiwu.exports", "出口", "亿元", &err), OT_OK);
        assert_int_equal(ot_series_ensure_flags(s, &err), OT_OK);
        s->flags[0] = OT_OBS_COVERED;
        c.fail_at = c.calls + n;
        ot_err_clear(&err);
        ot_series *cp = ot_series_copy(s, &err);
        ot_series *sl = cp ? ot_series_slice(s, M2023(1) - 1, M2023(2), &err) : NULL;
        if (cp && sl) {
            succeeded = 1;
            assert_string_equal(cp->name, "出口");
            assert_int_equal(sl->flags[1], OT_OBS_COVERED);
        } else {
            assert_int_equal(err.code, OT_ENOMEM);
            assert_string_equal(err.msg, "out of memory");
        }
        ot_series_free(sl);
        ot_series_free(cp);
        /* set_meta is all-or-nothing under failure */
        c.fail_at = c.calls + 1;
        assert_int_equal(ot_series_set_meta(s, "x", "y", "z", &err), OT_ENOMEM);
        assert_string_equal(s->key, "yiwu.exports");
        ot_series_free(s);
        assert_int_equal(c.bytes, 0);
    }
    assert_true(succeeded);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_series_new_is_all_missing),
        cmocka_unit_test(test_series_from_at_covered),
        cmocka_unit_test(test_series_meta_set_clear_copy),
        cmocka_unit_test(test_series_copy_is_deep),
        cmocka_unit_test(test_series_slice_pads_and_cuts),
        cmocka_unit_test(test_series_valid_range_and_trim),
        cmocka_unit_test(test_series_align_union_intersect),
        cmocka_unit_test(test_series_kind_names),
        cmocka_unit_test(test_series_too_long_is_range_error),
        cmocka_unit_test(test_series_failing_allocator),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
