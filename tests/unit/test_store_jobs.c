/* test_store_jobs.c — store/jobs.c: stale runs marked failed, the newest
 * vintage, and the data feed behind a run's data hash. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mem_store.h"

#include "store/jobs.h"

static ot_period month(int y, int m)
{
    return (ot_period){OT_FREQ_M, ot_period_make(OT_FREQ_M, y, m), 1};
}

static void put(ot_store *st, const char *key, ot_period p, double v, int32_t vintage)
{
    ot_err err;
    if (ot_store_put_obs(st, key, OT_MEASURE_VALUE, p, v, vintage, NULL, 0, NULL, &err) != OT_OK)
        fail_msg("put_obs: %s", err.msg);
}

/* FNV-1a over the feed, and its length. */
typedef struct digest {
    uint64_t h;
    size_t n;
} digest;

static void feed(void *ud, const void *p, size_t n)
{
    digest *d = ud;
    for (size_t i = 0; i < n; i++)
        d->h = (d->h ^ ((const unsigned char *)p)[i]) * 1099511628211ULL;
    d->n += n;
}

static digest digest_of(ot_store *st, int32_t as_of)
{
    digest d = {14695981039346656037ULL, 0};
    ot_err err;
    if (ot_store_data_feed(st, as_of, feed, &d, &err) != OT_OK)
        fail_msg("data_feed: %s", err.msg);
    return d;
}

/* Runs of job "a" left running are marked failed (with a finish time);
 * job "b"'s and finished runs are left alone; a second call finds none. */
static void test_store_jobs_fail_stale(void **state)
{
    ot_store *st = *state;
    ot_err err;
    ot_run a = {"a", OT_ASOF_LATEST, "1", NULL, NULL, NULL}, b = {"b", OT_ASOF_LATEST, "1", NULL, NULL, NULL};
    int64_t id1, id2, id3, id4;
    assert_int_equal(ot_store_run_begin(st, &a, &id1, &err), OT_OK);
    assert_int_equal(ot_store_run_begin(st, &a, &id2, &err), OT_OK);
    assert_int_equal(ot_store_run_begin(st, &b, &id3, &err), OT_OK);
    assert_int_equal(ot_store_run_begin(st, &a, &id4, &err), OT_OK);
    assert_int_equal(ot_store_run_finish(st, id4, "ok", &err), OT_OK);
    int64_t *ids = NULL;
    size_t n = 99;
    assert_int_equal(ot_store_runs_fail_stale(st, "a", &ids, &n, &err), OT_OK);
    assert_int_equal(n, 2);
    /* RETURNING gives no order: either way round */
    assert_true((ids[0] == id1 && ids[1] == id2) || (ids[0] == id2 && ids[1] == id1));
    free(ids);
    ot_run_rec *r;
    size_t nr;
    assert_int_equal(ot_store_runs(st, NULL, 0, 0, &r, &nr, &err), OT_OK);
    assert_int_equal(nr, 4);
    /* newest first: id4 ok, id3 (b) running, id2 and id1 failed with a finish time */
    assert_string_equal(r[0].status, "ok");
    assert_string_equal(r[1].status, "running");
    assert_null(r[1].finished);
    assert_string_equal(r[2].status, "failed");
    assert_non_null(r[2].finished);
    assert_string_equal(r[3].status, "failed");
    ot_store_runs_free(r, nr);
    ids = (int64_t *)&n; /* must be replaced */
    assert_int_equal(ot_store_runs_fail_stale(st, "a", &ids, &n, &err), OT_OK);
    assert_int_equal(n, 0);
    assert_null(ids);
    /* ids may be NULL */
    assert_int_equal(ot_store_runs_fail_stale(st, "b", NULL, &n, &err), OT_OK);
    assert_int_equal(n, 1);
}

static void test_store_jobs_latest_vintage(void **state)
{
    ot_store *st = *state;
    ot_err err;
    int32_t d = 7;
    assert_int_equal(ot_store_latest_vintage(st, &d, &err), OT_ENOTFOUND);
    assert_string_equal(err.msg, "the database holds no observations (ontrack import FILE adds them)");
    assert_int_equal(d, 7); /* untouched on failure */
    put(st, "x", month(2023, 1), 10, ot_days_from_civil(2023, 2, 15));
    put(st, "x", month(2023, 2), 11, ot_days_from_civil(2023, 3, 15));
    /* undated: stored on the period's last day, 2023-03-31, but read (as
     * ot_store_read counts it) from there plus the monthly release lag of
     * 15 days: reading as of 2023-03-31 would leave it out */
    put(st, "y", month(2023, 3), 5, OT_VINTAGE_NONE);
    assert_int_equal(ot_store_latest_vintage(st, &d, &err), OT_OK);
    assert_int_equal(d, ot_days_from_civil(2023, 4, 15));
    /* inside an open transaction the pending (batched) rows count too */
    assert_int_equal(ot_store_begin(st, &err), OT_OK);
    put(st, "z", month(2023, 4), 1, ot_days_from_civil(2023, 5, 20));
    assert_int_equal(ot_store_latest_vintage(st, &d, &err), OT_OK);
    assert_int_equal(d, ot_days_from_civil(2023, 5, 20));
    ot_store_rollback(st);
}

/* The feed is a function of the data visible at the as-of: the same data
 * feed the same bytes; a vintage after the as-of changes nothing; a new
 * vintage, metadata or a target changes the feed. */
static void test_store_jobs_data_feed(void **state)
{
    ot_store *st = *state;
    ot_err err;
    int32_t mar = ot_days_from_civil(2023, 3, 31), apr = ot_days_from_civil(2023, 4, 30);
    digest empty = digest_of(st, OT_ASOF_LATEST);
    assert_int_equal(empty.n, 3); /* three sections, each closed by one separator byte */
    put(st, "x", month(2023, 1), 10, ot_days_from_civil(2023, 2, 15));
    digest d1 = digest_of(st, mar), again = digest_of(st, mar);
    assert_true(d1.h == again.h && d1.n == again.n);
    assert_true(d1.h != empty.h);
    /* a revision released in April: invisible at the end of March */
    put(st, "x", month(2023, 1), 12, ot_days_from_civil(2023, 4, 20));
    digest d2 = digest_of(st, mar);
    assert_true(d2.h == d1.h && d2.n == d1.n);
    digest d3 = digest_of(st, apr);
    assert_true(d3.h != d1.h);
    /* one more row of 7 typed columns: 5 integers (series, measure, ord,
     * vintage, span: 1 + 8 bytes each), the freq text (tag, 4-byte length,
     * "M") and the value (1 + 8) = 45 + 6 + 9 = 60 bytes */
    assert_int_equal(d3.n - d1.n, 60);
    /* metadata and targets are part of it */
    ot_series_meta m;
    ot_series_meta_init(&m);
    m.key = "x";
    m.shape = "y";
    assert_int_equal(ot_store_put_meta(st, &m, &err), OT_OK);
    digest d4 = digest_of(st, apr);
    assert_true(d4.h != d3.h);
    ot_target t;
    ot_target_init(&t);
    t.series = "x";
    t.year = 2023;
    t.kind = OT_TARGET_GROWTH;
    t.op = OT_OP_GE;
    t.value = 5;
    assert_int_equal(ot_store_put_target(st, &t, NULL, &err), OT_OK);
    digest d5 = digest_of(st, apr);
    assert_true(d5.h != d4.h);
    /* every column a run reads: the release lag (when an undated row is
     * known), the name its reports print, a target's shape years */
    m.release_lag = 30;
    assert_int_equal(ot_store_put_meta(st, &m, &err), OT_OK);
    digest d6 = digest_of(st, apr);
    assert_true(d6.h != d5.h);
    m.name = "某市出口";
    assert_int_equal(ot_store_put_meta(st, &m, &err), OT_OK);
    digest d7 = digest_of(st, apr);
    assert_true(d7.h != d6.h);
    /* "某市出口" is 12 bytes, fed as its tag, a 4-byte length and the bytes,
     * where the NULL name fed its tag alone */
    assert_int_equal(d7.n - d6.n, 4 + 12);
    t.shape_years[0] = 2014;
    t.shape_years[1] = 2019;
    assert_int_equal(ot_store_put_target(st, &t, NULL, &err), OT_OK);
    digest d8 = digest_of(st, apr);
    assert_true(d8.h != d7.h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        MEM_STORE_TEST(test_store_jobs_fail_stale),
        MEM_STORE_TEST(test_store_jobs_latest_vintage),
        MEM_STORE_TEST(test_store_jobs_data_feed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
