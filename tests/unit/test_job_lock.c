/* test_job_lock.c — cli/job_lock.c: where a job's lock byte lies, and that
 * two open file descriptions of one file exclude each other per job. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cli/job_lock.h"

/* The byte: 2^62 | XXH64(name, seed 0) >> 2.  XXH64 of the empty input is
 * 0xEF46DB3751D8E999 (the reference implementation's test vector), so the
 * empty name's byte is 0x4000000000000000 | 0x3BD1B6CDD4763A66. */
static void test_offset(void **state)
{
    (void)state;
    assert_int_equal(job_lock_offset(""), UINT64_C(0x7BD1B6CDD4763A66));
    static const char *const names[] = {"slow", "quick", "yiwu-monthly", "a", "b", "job with spaces"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        uint64_t o = job_lock_offset(names[i]);
        assert_true(o >= UINT64_C(1) << 62 && o < UINT64_C(1) << 63); /* far above SQLite's bytes */
        assert_int_equal(o, job_lock_offset(names[i]));
        for (size_t k = 0; k < i; k++)
            assert_int_not_equal(o, job_lock_offset(names[k]));
    }
}

static void temp_db(char *path, size_t cap)
{
    snprintf(path, cap, "%s/job_lock_XXXXXX", ONTRACK_TEST_TMP);
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
}

/* Two descriptions of one file: the same job excludes, another job does not;
 * a read-only description sees the lock; closing the holder frees it. */
static void test_exclusion(void **state)
{
    (void)state;
    char path[4096];
    temp_db(path, sizeof path);
    ot_err err;
    int a, b, r;
    assert_int_equal(job_lock_open(path, 1, &a, &err), OT_OK);
    assert_int_equal(job_lock_open(path, 1, &b, &err), OT_OK);
    assert_int_equal(job_lock_open(path, 0, &r, &err), OT_OK);
    assert_int_equal(job_lock_busy(r, "slow"), 0);
    assert_int_equal(job_lock_try(a, "slow"), OT_OK);
    assert_int_equal(job_lock_try(a, "slow"), OT_OK); /* its own lock again */
    assert_int_equal(job_lock_try(b, "slow"), OT_ELOCKED);
    assert_int_equal(job_lock_busy(r, "slow"), 1);
    assert_int_equal(job_lock_busy(r, "quick"), 0);
    assert_int_equal(job_lock_try(b, "quick"), OT_OK);
    assert_int_equal(job_lock_busy(r, "quick"), 1);
    close(a);
    assert_int_equal(job_lock_busy(r, "slow"), 0);
    assert_int_equal(job_lock_try(b, "slow"), OT_OK);
    assert_int_equal(job_lock_wait(b, "slow", NULL), OT_OK); /* held by itself: no wait */
    close(b);
    close(r);
    unlink(path);
}

/* A hard link is the same file: its description meets the same lock. */
static void test_hard_link(void **state)
{
    (void)state;
    char path[4096], link_path[4200];
    temp_db(path, sizeof path);
    snprintf(link_path, sizeof link_path, "%s.link", path);
    assert_int_equal(link(path, link_path), 0);
    ot_err err;
    int a, b;
    assert_int_equal(job_lock_open(path, 1, &a, &err), OT_OK);
    assert_int_equal(job_lock_open(link_path, 1, &b, &err), OT_OK);
    assert_int_equal(job_lock_try(a, "slow"), OT_OK);
    assert_int_equal(job_lock_try(b, "slow"), OT_ELOCKED);
    close(a);
    close(b);
    unlink(link_path);
    unlink(path);
}

/* ":memory:" is no file: no descriptor and a lock always free; a missing
 * file is an error naming it. */
static void test_no_file(void **state)
{
    (void)state;
    ot_err err;
    int fd = 7;
    assert_int_equal(job_lock_open(":memory:", 1, &fd, &err), OT_OK);
    assert_int_equal(fd, -1);
    assert_int_equal(job_lock_try(fd, "slow"), OT_OK);
    assert_int_equal(job_lock_wait(fd, "slow", NULL), OT_OK);
    assert_int_equal(job_lock_busy(fd, "slow"), 0);
    char path[4096];
    snprintf(path, sizeof path, "%s/job_lock_missing/x.db", ONTRACK_TEST_TMP);
    assert_int_equal(job_lock_open(path, 0, &fd, &err), OT_EIO);
    assert_int_equal(fd, -1);
    char want[4300];
    snprintf(want, sizeof want, "%s: cannot open the database to lock the job: No such file or directory", path);
    assert_string_equal(err.msg, want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_offset),
        cmocka_unit_test(test_exclusion),
        cmocka_unit_test(test_hard_link),
        cmocka_unit_test(test_no_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
