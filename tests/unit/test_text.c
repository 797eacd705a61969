/* test_text.c — shortest round-trip numbers, escaped text for messages, and
 * the key and period rules every writer shares (core/text.h). */
#include <setjmp.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/text.h"

static void test_text_fmt_double_shortest(void **state)
{
    (void)state;
    char b[OT_FMT_DOUBLE_MAX];
    /* 66.96 is stored as 66.959999999999994315658113919198513031005859375;
     * %.17g prints 66.959999999999994, yet "66.96" reads back as the same double */
    assert_string_equal(ot_fmt_double(66.96, b, sizeof b), "66.96");
    assert_string_equal(ot_fmt_double(0.1 + 0.2, b, sizeof b), "0.30000000000000004");
    assert_string_equal(ot_fmt_double(100, b, sizeof b), "100");
    assert_string_equal(ot_fmt_double(-3.5, b, sizeof b), "-3.5");
    assert_string_equal(ot_fmt_double(0, b, sizeof b), "0");
    assert_string_equal(ot_fmt_double(1e21, b, sizeof b), "1e+21");
    assert_string_equal(ot_fmt_double(1234567.25, b, sizeof b), "1234567.25");
    assert_string_equal(ot_fmt_double(0.000012, b, sizeof b), "0.000012");
    assert_string_equal(ot_fmt_double(1.5e-7, b, sizeof b), "1.5e-07");
    assert_string_equal(ot_fmt_double(12345678901234567.0, b, sizeof b), "12345678901234568");
    assert_string_equal(ot_fmt_double(NAN, b, sizeof b), "nan");
    assert_string_equal(ot_fmt_double(-INFINITY, b, sizeof b), "-inf");
    /* every result reads back exactly */
    double xs[] = {66.96, 1.0 / 3, 2.0 / 3 * 1e-300, 5e-324, 1.7976931348623157e308, 7.3, 7.7};
    for (size_t i = 0; i < sizeof xs / sizeof *xs; i++)
        assert_true(strtod(ot_fmt_double(xs[i], b, sizeof b), NULL) == xs[i]);
}

static void test_text_fmt_double_ignores_the_locale(void **state)
{
    (void)state;
    char b[OT_FMT_DOUBLE_MAX];
    if (!setlocale(LC_NUMERIC, "de_DE.UTF-8") && !setlocale(LC_NUMERIC, "fr_FR.UTF-8"))
        skip();
    assert_string_equal(ot_fmt_double(66.96, b, sizeof b), "66.96");
    setlocale(LC_NUMERIC, "C");
}

static void test_text_shown_escapes_control_characters(void **state)
{
    (void)state;
    char b[96];
    assert_string_equal(ot_fmt_shown("\x1b[31mRED", (size_t)-1, b, sizeof b), "\\x1b[31mRED");
    assert_string_equal(ot_fmt_shown("a\nb\tc\\d", (size_t)-1, b, sizeof b), "a\\nb\\tc\\\\d");
    assert_string_equal(ot_fmt_shown("nul\0tail", 8, b, sizeof b), "nul\\x00tail");
    assert_string_equal(ot_fmt_shown("出口总额", (size_t)-1, b, sizeof b), "出口总额");
    /* 70 bytes: the first 60 then "..." */
    char longs[71];
    memset(longs, 'x', 70);
    longs[70] = '\0';
    const char *r = ot_fmt_shown(longs, (size_t)-1, b, sizeof b);
    assert_int_equal(strlen(r), 63);
    assert_string_equal(r + 60, "...");
    /* 21 three-byte characters (63 bytes): cut after 20, not inside the 21st */
    char cjk[64] = "";
    for (int i = 0; i < 21; i++)
        strcat(cjk, "值");
    r = ot_fmt_shown(cjk, (size_t)-1, b, sizeof b);
    assert_int_equal(strlen(r), 63);
    /* a small buffer: escapes never cut in half, "..." at the end */
    char small[16];
    r = ot_fmt_shown("\x01\x02\x03\x04\x05", (size_t)-1, small, sizeof small);
    assert_string_equal(r, "\\x01\\x02\\x03...");
}

static void test_text_key_check(void **state)
{
    (void)state;
    ot_err e;
    assert_int_equal(ot_key_check("yiwu.exports", (size_t)-1, &e), OT_OK);
    assert_int_equal(ot_key_check("义乌.出口", (size_t)-1, &e), OT_OK);
    assert_int_equal(ot_key_check("", (size_t)-1, &e), OT_EDATA);
    assert_string_equal(e.msg, "expected a series key, found ''");
    assert_int_equal(ot_key_check("nul\0tail", 8, &e), OT_EDATA);
    assert_string_equal(e.msg, "expected a series key, found control character 0x00 in "
                               "'nul\\x00tail'");
    assert_int_equal(ot_key_check("a\x1b[31m", (size_t)-1, &e), OT_EDATA);
    assert_string_equal(e.msg, "expected a series key, found control character 0x1B in "
                               "'a\\x1b[31m'");
    assert_int_equal(ot_key_check("a\nb", (size_t)-1, &e), OT_EDATA);
    assert_int_equal(ot_key_check("a\x7f", (size_t)-1, &e), OT_EDATA);
    char big[OT_KEY_MAX + 2];
    memset(big, 'k', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_int_equal(ot_key_check(big, (size_t)-1, &e), OT_EDATA);
    assert_string_equal(e.msg, "expected a series key of at most 256 bytes, found 257");
    big[OT_KEY_MAX] = '\0';
    assert_int_equal(ot_key_check(big, (size_t)-1, &e), OT_OK);
}

static void test_text_period_check(void **state)
{
    (void)state;
    ot_err e;
    ot_period ok = {OT_FREQ_M, ot_period_make(OT_FREQ_M, 9999, 12), 1};
    assert_int_equal(ot_period_check(ok, &e), OT_OK);
    ot_period jf = {OT_FREQ_M, ot_period_make(OT_FREQ_M, 2023, 2), 2};
    assert_int_equal(ot_period_check(jf, &e), OT_OK);
    ot_period far = {OT_FREQ_M, ot_period_make(OT_FREQ_M, 10000, 2), 1};
    assert_int_equal(ot_period_check(far, &e), OT_EDATA);
    assert_string_equal(e.msg, "expected a period in the years 1 to 9999, found year 10000");
    ot_period day = {OT_FREQ_D, ot_days_from_civil(10000, 1, 1), 1};
    assert_int_equal(ot_period_check(day, &e), OT_EDATA);
    ot_period neg = {OT_FREQ_Y, -5, 1};
    assert_int_equal(ot_period_check(neg, &e), OT_EDATA);
    ot_period mar2 = {OT_FREQ_M, ot_period_make(OT_FREQ_M, 2023, 3), 2};
    assert_int_equal(ot_period_check(mar2, &e), OT_EDATA);
    ot_period none = {OT_FREQ_NONE, 0, 1};
    assert_int_equal(ot_period_check(none, &e), OT_EDATA);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_fmt_double_shortest),
        cmocka_unit_test(test_text_fmt_double_ignores_the_locale),
        cmocka_unit_test(test_text_shown_escapes_control_characters),
        cmocka_unit_test(test_text_key_check),
        cmocka_unit_test(test_text_period_check),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
