/* test_record_vintage.c — the record with the data as known then
 * (docs/methods-projection.md §10): a store holding a past value and its
 * later revision, read through the view's origin callback
 * (ot_store_view_read_at), must give the record the first vintage at an
 * old origin and the revised figure only where it was known. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <unistd.h>


#include "project/frame.h"
#include "project/record.h"
#include "store/view.h"

#define assert_near(a, b, eps) assert_near_at((a), (b), (eps), #a, __LINE__)
static void assert_near_at(double a, double b, double eps, const char *what, int line)
{
    if (!(fabs(a - b) <= eps))
        fail_msg("line %d: %s = %.12g, expected %.12g (eps %g)", line, what, a, b, eps);
}

/* Quarterly values, 2012Q1..2016Q2: each year 10, 20, 30, 40 times
 * 1 + (y - 2012)/10; 2015Q1 (13) is revised to 18 on 2019-01-15. */
static const double vals[] = {10, 20, 30, 40, 11, 22, 33, 44, 12, 24, 36, 48,
                              13, 26, 39, 52, 14, 28};

static ot_period quarter(int y, int q)
{
    return (ot_period){OT_FREQ_Q, ot_period_make(OT_FREQ_Q, y, q), 1};
}

static int setup(void **state)
{
    ot_store *st = NULL;
    ot_err err;
    if (ot_store_open(":memory:", OT_STORE_CREATE, &st, &err) != OT_OK)
        return -1;
    for (int i = 0; i < (int)(sizeof vals / sizeof *vals); i++) {
        if (ot_store_put_obs(st, "h", OT_MEASURE_VALUE, quarter(2012 + i / 4, 1 + i % 4), vals[i],
                             OT_VINTAGE_NONE, NULL, 0, NULL, &err) != OT_OK ||
            ot_store_put_obs(st, "u", OT_MEASURE_VALUE, quarter(2012 + i / 4, 1 + i % 4), vals[i],
                             OT_VINTAGE_NONE, NULL, 0, NULL, &err) != OT_OK)
            return -1;
    }
    if (ot_store_put_obs(st, "h", OT_MEASURE_VALUE, quarter(2015, 1), 18,
                         ot_days_from_civil(2019, 1, 15), NULL, 0, NULL, &err) != OT_OK)
        return -1;
    *state = st;
    return 0;
}

static int teardown(void **state)
{
    ot_store_close(*state);
    return 0;
}

/* The origin's day: 2015Q2 has one undated row, known from its last day
 * plus the quarterly lag (2015-06-30 + 20 = 2015-07-20); 2015Q1 the
 * earliest of its two rows (2015-03-31 + 20 = 2015-04-20); a period with no
 * row, its last day plus the default lag. */
static void test_record_vintage_origin_day(void **state)
{
    ot_store *st = *state;
    ot_err err;
    int32_t d;
    int rev;
    ot_period p = quarter(2015, 2);
    assert_int_equal(ot_store_origin_day(st, "h", OT_FREQ_Q, p.ord, &d, &err), OT_OK);
    assert_int_equal(d, ot_days_from_civil(2015, 7, 20));
    p = quarter(2015, 1);
    assert_int_equal(ot_store_origin_day(st, "h", OT_FREQ_Q, p.ord, &d, &err), OT_OK);
    assert_int_equal(d, ot_days_from_civil(2015, 4, 20));
    p = quarter(2030, 1);
    assert_int_equal(ot_store_origin_day(st, "h", OT_FREQ_Q, p.ord, &d, &err), OT_OK);
    assert_int_equal(d, ot_days_from_civil(2030, 4, 20));
    assert_int_equal(ot_store_origin_day(st, "nope", OT_FREQ_Q, p.ord, &d, &err), OT_ENOTFOUND);
    assert_int_equal(ot_store_revised(st, "h", &rev, &err), OT_OK);
    assert_int_equal(rev, 1);
    assert_int_equal(ot_store_revised(st, "u", &rev, &err), OT_OK);
    assert_int_equal(rev, 0);
    assert_int_equal(ot_store_revised(st, "nope", &rev, &err), OT_ENOTFOUND);
}

/* The record of 2016 as of Q2 (years 2015, 2014, 2013: carry-forward
 * only).  At the origin (2015, Q2) carry-forward is the ytd growth then:
 * (13 + 26)/(12 + 24) - 1 = 8.333 %; with the revision leaking in it would
 * be (18 + 26)/36 - 1 = 22.222 %.  At (2015, Q1): 13/12 - 1 = 8.333 %
 * (revised: 50 %).  The outcome of 2015 is the revised year, known now:
 * (18 + 26 + 39 + 52)/120 - 1 = 12.5 %.  2014's points are the same
 * either way. */
static void test_record_vintage_first_at_old_origin(void **state)
{
    ot_store *st = *state;
    ot_store_view view;
    ot_store_view_init(&view, st, OT_ASOF_LATEST, NULL);
    frame f;
    record now, then;
    ot_err err;
    assert_int_equal(frame_load(&f, "h", ot_store_view_read, &view, INT32_MAX, NULL, &err), OT_OK);
    assert_int_equal(rec_build(&now, &f, NULL, "h", 2016, 2, NULL, -1, 0, 0, 0, 0, NULL, NULL,
                               &err), OT_OK);
    rec_src src = {ot_store_view_read_at, &view, 0, NULL, NULL, NULL};
    assert_int_equal(rec_build_at(&then, &f, NULL, "h", 2016, 2, NULL, -1, 0, 0, 0, 0, &src, NULL,
                                  NULL, &err), OT_OK);
    assert_int_equal(then.n, 3);
    assert_int_equal(then.year[0], 2015);
    assert_near(then.out[0], (135.0 / 120 - 1) * 100, 1e-9);
    assert_near(then.pt[then.w][0][CAND_CARRY], (39.0 / 36 - 1) * 100, 1e-9);
    assert_near(then.pt[then.w - 1][0][CAND_CARRY], (13.0 / 12 - 1) * 100, 1e-9);
    /* without the origin reads the revision leaks into the old origin */
    assert_near(now.pt[now.w][0][CAND_CARRY], (44.0 / 36 - 1) * 100, 1e-9);
    assert_near(now.pt[now.w - 1][0][CAND_CARRY], (18.0 / 12 - 1) * 100, 1e-9);
    /* 2014 was never revised: the same either way */
    assert_near(then.pt[then.w][1][CAND_CARRY], now.pt[now.w][1][CAND_CARRY], 1e-12);
    assert_near(then.pt[then.w][1][CAND_CARRY], (36.0 / 33 - 1) * 100, 1e-9);
    /* the errors of the range follow: 12.5 - 8.333 at Q2 for 2015 */
    assert_near(then.err[0], (135.0 / 120 - 39.0 / 36) * 100, 1e-9);
    /* a view dated before the revision reads as before it everywhere */
    frame g;
    ot_store_view old;
    ot_store_view_init(&old, st, ot_days_from_civil(2016, 8, 1), NULL);
    assert_int_equal(frame_load(&g, "h", ot_store_view_read, &old, INT32_MAX, NULL, &err), OT_OK);
    record r;
    rec_src osrc = {ot_store_view_read_at, &old, 0, NULL, NULL, NULL};
    assert_int_equal(rec_build_at(&r, &g, NULL, "h", 2016, 2, NULL, -1, 0, 0, 0, 0, &osrc, NULL,
                                  NULL, &err), OT_OK);
    assert_near(r.pt[r.w][0][CAND_CARRY], (39.0 / 36 - 1) * 100, 1e-9);
    assert_near(r.out[0], (130.0 / 120 - 1) * 100, 1e-9);
    frame_free(&g);
    ot_store_view_destroy(&old);
    frame_free(&f);
    ot_store_view_destroy(&view);
}

/* ---- model points kept across runs ------------------------------------- */

/* A keeper that counts and can lie: wraps the view's record_points, or
 * answers `fake` for every hash it was asked for before. */
typedef struct keeper {
    ot_store_view *view;
    int gets, hits, puts;
    double fake; /* NaN: the store's answer */
} keeper;

static int kget(void *ud, uint64_t hash, double *v)
{
    keeper *k = ud;
    k->gets++;
    if (!isnan(k->fake)) {
        *v = k->fake;
        k->hits++;
        return 1;
    }
    int found = ot_store_view_record_get(k->view, hash, v);
    k->hits += found;
    return found;
}

static void kput(void *ud, const char *key, const char *cand, const char *origin, uint64_t hash,
                 double v)
{
    keeper *k = ud;
    k->puts++;
    ot_store_view_record_put(k->view, key, cand, origin, hash, v);
}

/* The record of 2019 as of Q2 with the naive model: the first build fits
 * and keeps every model point; a second one with an empty memo (another
 * process) fits nothing and gives the same record from the kept points; a
 * keeper answering 1000 shows the record takes what is kept.  A read-only
 * store keeps nothing and fails nothing. */
static void test_record_vintage_kept_points(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/record_kept_%d.db", ONTRACK_TEST_TMP, (int)getpid());
    unlink(path);
    ot_store *st = NULL;
    ot_err err;
    assert_int_equal(ot_store_open(path, OT_STORE_CREATE, &st, &err), OT_OK);
    for (int y = 2008; y <= 2019; y++)
        for (int q = 1; q <= (y == 2019 ? 2 : 4); q++)
            assert_int_equal(ot_store_put_obs(st, "k", OT_MEASURE_VALUE, quarter(y, q),
                                              (10 * q + (y * 7 + q * 3) % 5) * pow(1.05, y - 2008),
                                              OT_VINTAGE_NONE, NULL, 0, NULL, &err), OT_OK);
    ot_store_view view;
    ot_store_view_init(&view, st, OT_ASOF_LATEST, NULL);
    frame f;
    assert_int_equal(frame_load(&f, "k", ot_store_view_read, &view, INT32_MAX, NULL, &err), OT_OK);
    keeper k = {&view, 0, 0, 0, NAN};
    rec_src src = {NULL, &k, 0, NULL, kget, kput};
    ot_proj_memo *m1 = ot_proj_memo_new(), *m2 = ot_proj_memo_new(), *m3 = ot_proj_memo_new();
    record r1, r2, r3;
    assert_int_equal(rec_build_at(&r1, &f, NULL, "k", 2019, 2, "naive", -1, 0, 0, 0, 0, &src, m1,
                                  NULL, &err), OT_OK);
    assert_true(r1.used[CAND_MODEL] >= REC_MIN);
    assert_true(k.puts > 0);
    assert_int_equal(k.hits, 0);
    assert_int_equal((int)ot_proj_memo_size(m1), k.puts);
    int fitted = k.puts;
    k.gets = k.puts = 0;
    assert_int_equal(rec_build_at(&r2, &f, NULL, "k", 2019, 2, "naive", -1, 0, 0, 0, 0, &src, m2,
                                  NULL, &err), OT_OK);
    assert_int_equal(k.puts, 0);
    assert_int_equal(k.hits, fitted);
    assert_memory_equal(&r1, &r2, sizeof r1);
    k.fake = 1000;
    assert_int_equal(rec_build_at(&r3, &f, NULL, "k", 2019, 2, "naive", -1, 0, 0, 0, 0, &src, m3,
                                  NULL, &err), OT_OK);
    assert_near(r3.now[CAND_MODEL], 1000, 0);
    assert_near(r3.pt[r3.w][0][CAND_MODEL], 1000, 0);
    assert_near(r3.pt[r3.w][0][CAND_CARRY], r1.pt[r1.w][0][CAND_CARRY], 0);
    ot_proj_memo_free(m1);
    ot_proj_memo_free(m2);
    ot_proj_memo_free(m3);
    frame_free(&f);
    ot_store_view_destroy(&view);
    ot_store_close(st);
    /* read-only: nothing kept, no error */
    assert_int_equal(ot_store_open(path, OT_STORE_READONLY, &st, &err), OT_OK);
    int found = -1;
    double v = 0;
    assert_int_equal(ot_store_recpoint_put(st, 42, "k", "naive", "2019Q2", 1.5, &err), OT_OK);
    assert_int_equal(ot_store_recpoint_get(st, 42, &found, &v, &err), OT_OK);
    assert_int_equal(found, 0);
    ot_store_close(st);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_record_vintage_origin_day, setup, teardown),
        cmocka_unit_test_setup_teardown(test_record_vintage_first_at_old_origin, setup, teardown),
        cmocka_unit_test(test_record_vintage_kept_points),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
