/* test_buf.c — the growing byte string of core/buf.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/buf.h"

static void test_buf_grows_and_terminates(void **state)
{
    (void)state;
    ot_buf b = {0};
    assert_int_equal(ot_buf_add(&b, "", 0), 0); /* even nothing gives a string */
    assert_string_equal(b.p, "");
    assert_int_equal(b.cap, 256);
    char big[300];
    memset(big, 'x', sizeof big);
    assert_int_equal(ot_buf_add(&b, "ab\0c", 4), 0); /* NULs are kept */
    assert_int_equal(b.n, 4);
    assert_memory_equal(b.p, "ab\0c", 5);
    assert_int_equal(ot_buf_add(&b, big, sizeof big), 0);
    assert_int_equal(b.n, 304);
    assert_int_equal(b.cap, 512); /* 256 doubled once: 305 bytes with the NUL */
    assert_int_equal(b.p[304], '\0');
    assert_int_equal(b.p[303], 'x');
    free(b.p);
}

static void test_buf_after_oom_adds_nothing(void **state)
{
    (void)state;
    ot_buf b = {0};
    assert_int_equal(ot_buf_add(&b, "abc", 3), 0);
    b.oom = 1; /* as after a failed realloc */
    assert_int_equal(ot_buf_add(&b, "def", 3), -1);
    assert_int_equal(b.n, 3);
    assert_string_equal(b.p, "abc");
    free(b.p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buf_grows_and_terminates),
        cmocka_unit_test(test_buf_after_oom_adds_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
