/* test_target.c — ot_target_check_at: the one rule every maker of targets
 * (CSV import, the store, ot.target) applies, and the field it names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/target.h"

/* A target of kind k for series a, 2023, value v (NaN = none). */
static ot_target make(ot_target_kind k, ot_target_op op, double v)
{
    ot_target t;
    ot_target_init(&t);
    t.kind = k;
    t.op = op;
    t.value = v;
    t.year = 2023;
    t.series = (char *)"a";
    return t;
}

/* Checks t fails with field f and message msg. */
static void fails(ot_target t, const char *f, const char *msg)
{
    ot_err e;
    const char *field = NULL;
    assert_int_equal(ot_target_check_at(&t, &field, &e), OT_EINVAL);
    assert_non_null(field);
    assert_string_equal(field, f);
    assert_string_equal(e.msg, msg);
}

/* Every rule, table-driven by the field it names. */
static void test_target_check_fields(void **state)
{
    (void)state;
    ot_target t = make(OT_TARGET_GROWTH, OT_OP_GE, 7.5);
    t.year = 0;
    fails(t, "year", "target without a valid year (0)");
    t = make(OT_TARGET_GROWTH, OT_OP_GE, 7.5);
    t.series = (char *)"";
    fails(t, "series", "a growth target needs a series");
    t = make(OT_TARGET_IN_STEP, OT_OP_EQ, NAN);
    fails(t, "ref", "an in_step target needs a ref (the series it is compared with)");
    t = make(OT_TARGET_GROWTH, OT_OP_GE, 7.5);
    t.ref = (char *)"b";
    fails(t, "ref", "a ref is for relative and in_step targets, not growth");
    fails(make(OT_TARGET_LEVEL, OT_OP_NONE, 50), "op",
          "a level target needs an op (>=, >, <=, < or =)");
    fails(make(OT_TARGET_GROWTH, OT_OP_GE, INFINITY), "value",
          "a growth target's value must be a finite number, got inf");
    fails(make(OT_TARGET_COUNT, OT_OP_GE, NAN), "value",
          "a count target needs a value (the number to meet)");
    t = make(OT_TARGET_LEVEL, OT_OP_EQ, 50);
    t.tolerance = -INFINITY;
    fails(t, "tolerance", "a level target's tolerance must be a finite number, got -inf");
    t.tolerance = -2;
    fails(t, "tolerance", "a level target's tolerance is at least 0 (in the level's unit), got -2");
    t.tolerance = NAN;
    fails(t, "tolerance", "a level target with op '=' needs a tolerance (the band around 50 it "
                          "may miss by: 增长7.5%左右 is '=' 7.5 with tolerance 0.5), or state "
                          "it as '>='");
    t = make((ot_target_kind)42, OT_OP_GE, 1);
    fails(t, "kind", "unknown target kind 42");
}

/* in_step's test is |growth - ref's - value| <= tolerance: "=" passes (with
 * or without its band: without, it is listed as unquantified), every other
 * operator is refused, since the band would ignore it. */
static void test_target_in_step_op(void **state)
{
    (void)state;
    static const ot_target_op bad[] = {OT_OP_GE, OT_OP_GT, OT_OP_LE, OT_OP_LT};
    static const char *const names[] = {">=", ">", "<=", "<"};
    for (size_t i = 0; i < 4; i++) {
        ot_target t = make(OT_TARGET_IN_STEP, bad[i], NAN);
        t.ref = (char *)"b";
        t.tolerance = 1;
        char msg[256];
        snprintf(msg, sizeof msg,
                 "an in_step target's test is a band (|growth - ref's growth - value| <= "
                 "tolerance), so its op is '=', got '%s' (growth above ref's is a relative "
                 "target)",
                 names[i]);
        fails(t, "op", msg);
    }
    ot_target t = make(OT_TARGET_IN_STEP, OT_OP_EQ, NAN);
    t.ref = (char *)"b";
    t.tolerance = 1;
    ot_err e;
    assert_int_equal(ot_target_check_at(&t, NULL, &e), OT_OK);
    assert_true(t.value == 0); /* the band's centre */
    t.tolerance = NAN;
    assert_int_equal(ot_target_check(&t, &e), OT_OK);
}

/* An unquantified target needs its year only, and is never tested: its
 * operator is cleared whatever was given. */
static void test_target_unquantified(void **state)
{
    (void)state;
    ot_target t;
    ot_target_init(&t);
    t.kind = OT_TARGET_UNQUANTIFIED;
    ot_err e;
    const char *field = NULL;
    assert_int_equal(ot_target_check_at(&t, &field, &e), OT_EINVAL);
    assert_string_equal(field, "year");
    t.year = 2023;
    assert_int_equal(t.op, OT_OP_GE); /* ot_target_init's */
    assert_int_equal(ot_target_check_at(&t, &field, &e), OT_OK);
    assert_int_equal(t.op, OT_OP_NONE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_target_check_fields),
        cmocka_unit_test(test_target_in_step_op),
        cmocka_unit_test(test_target_unquantified),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
