/* test_store_stats.c — the per-series summary rows (series_stats) behind
 * ot_store_keys: hand-worked listings across transactions, rollbacks and a
 * listing inside a transaction; the rows against a recount of obs after
 * thousands of random puts (fast and full path, several measures and
 * frequencies, revisions, unchanged rows, conflicts); the migration of a
 * version 1 database. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "store/store.h"

static int setup(void **state)
{
    ot_store *st = NULL;
    if (ot_store_open(":memory:", OT_STORE_CREATE, &st, NULL) != OT_OK)
        return -1;
    *state = st;
    return 0;
}

static int teardown(void **state)
{
    ot_store_close(*state);
    return 0;
}

static ot_period month(int y, int m)
{
    return (ot_period){OT_FREQ_M, ot_period_make(OT_FREQ_M, y, m), 1};
}

static void put(ot_store *st, const char *key, ot_measure m, ot_period p, double v, int32_t vintage)
{
    ot_err err;
    if (ot_store_put_obs(st, key, m, p, v, vintage, NULL, 0, NULL, &err))
        fail_msg("put_obs %s: %s", key, err.msg);
}

typedef struct listing {
    char text[1024];
    size_t len;
} listing;

/* key|freq|measures|first|last|n per line */
static int collect(void *ud, const ot_key_info *ki)
{
    listing *l = ud;
    char a[OT_PERIOD_STRMAX] = "", b[OT_PERIOD_STRMAX] = "";
    if (ki->count > 0) {
        ot_period_format(ki->first, a, sizeof a);
        ot_period_format(ki->last, b, sizeof b);
    }
    l->len += (size_t)snprintf(l->text + l->len, sizeof l->text - l->len, "%s|%s|%u|%s|%s|%lld\n",
                               ki->key, ot_freq_name(ki->freq), ki->measures, a, b, ki->count);
    return 0;
}

#define assert_listing(st, want)                                                                  \
    do {                                                                                          \
        listing l_ = {.len = 0};                                                                  \
        ot_err e_;                                                                                \
        assert_int_equal(ot_store_keys((st), NULL, collect, &l_, &e_), OT_OK);                   \
        assert_string_equal(l_.text, (want));                                                    \
    } while (0)

/* Measure bits: value 1, ytd 2, yoy 4, ytd_yoy 8. */
static void test_store_stats_hand_worked(void **state)
{
    ot_store *st = *state;
    ot_err err;
    /* one transaction, a new series: value Jan..Mar (the fast path), then
     * ytd Feb..May: Feb and Mar are value's periods already.  measures
     * 1 | 2 = 3; periods Jan..May, 5 distinct. */
    assert_int_equal(ot_store_begin(st, &err), OT_OK);
    for (int m = 1; m <= 3; m++)
        put(st, "x", OT_MEASURE_VALUE, month(2023, m), m, OT_VINTAGE_NONE);
    for (int m = 2; m <= 5; m++)
        put(st, "x", OT_MEASURE_YTD, month(2023, m), 10 * m, OT_VINTAGE_NONE);
    /* listed inside the transaction: what it wrote so far */
    assert_listing(st, "x|M|3|2023-01|2023-05|5\n");
    /* after the listing, in the same transaction: Jun is new (6), a later
     * vintage of May is not */
    put(st, "x", OT_MEASURE_YTD, month(2023, 6), 60, OT_VINTAGE_NONE);
    put(st, "x", OT_MEASURE_YTD, month(2023, 5), 51, ot_days_from_civil(2023, 7, 1));
    assert_int_equal(ot_store_commit(st, &err), OT_OK);
    assert_listing(st, "x|M|3|2023-01|2023-06|6\n");

    /* a second transaction on the stored series (the full path): yoy of
     * Apr (ytd has Apr: not new), value of Sep (new, past the end), an
     * unchanged ytd of Feb (nothing written), and a quarterly figure (a
     * line of its own).  measures 3 | 4 = 7, Jan..Sep, 7 periods. */
    assert_int_equal(ot_store_begin(st, &err), OT_OK);
    put(st, "x", OT_MEASURE_YOY, month(2023, 4), 5.5, OT_VINTAGE_NONE);
    put(st, "x", OT_MEASURE_VALUE, month(2023, 9), 9, OT_VINTAGE_NONE);
    put(st, "x", OT_MEASURE_YTD, month(2023, 2), 20, OT_VINTAGE_NONE);
    put(st, "x", OT_MEASURE_YTD_YOY, (ot_period){OT_FREQ_Q, ot_period_make(OT_FREQ_Q, 2023, 2), 1},
        6.1, OT_VINTAGE_NONE);
    assert_int_equal(ot_store_commit(st, &err), OT_OK);
    assert_listing(st, "x|M|7|2023-01|2023-09|7\n"
                       "x|Q|8|2023Q2|2023Q2|1\n");

    /* rolled back: nothing of it counts */
    assert_int_equal(ot_store_begin(st, &err), OT_OK);
    put(st, "x", OT_MEASURE_YTD_YOY, month(2022, 12), 1, OT_VINTAGE_NONE);
    put(st, "y", OT_MEASURE_VALUE, month(2023, 1), 1, OT_VINTAGE_NONE);
    assert_listing(st, "x|M|15|2022-12|2023-09|8\n"
                       "x|Q|8|2023Q2|2023Q2|1\n"
                       "y|M|1|2023-01|2023-01|1\n");
    ot_store_rollback(st);
    assert_listing(st, "x|M|7|2023-01|2023-09|7\n"
                       "x|Q|8|2023Q2|2023Q2|1\n");

    /* without a transaction (put_obs makes its own): an earlier period,
     * then a January–February release on February (already a period) */
    put(st, "x", OT_MEASURE_VALUE, month(2022, 11), 1, OT_VINTAGE_NONE);
    ot_period janfeb = month(2023, 2);
    janfeb.span = 2;
    put(st, "x", OT_MEASURE_YTD_YOY, janfeb, 4.4, OT_VINTAGE_NONE);
    assert_listing(st, "x|M|15|2022-11|2023-09|8\n"
                       "x|Q|8|2023Q2|2023Q2|1\n");
}

/* A conflict (another figure at a stored vintage) writes nothing and counts
 * nothing; the transaction goes on. */
static void test_store_stats_refused_rows(void **state)
{
    ot_store *st = *state;
    ot_err err;
    put(st, "c", OT_MEASURE_VALUE, month(2023, 1), 1, OT_VINTAGE_NONE);
    assert_int_equal(ot_store_begin(st, &err), OT_OK);
    assert_int_equal(ot_store_put_obs(st, "c", OT_MEASURE_VALUE, month(2023, 1), 2,
                                      OT_VINTAGE_NONE, NULL, 0, NULL, &err),
                     OT_EDATA);
    put(st, "c", OT_MEASURE_VALUE, month(2023, 2), 2, OT_VINTAGE_NONE);
    assert_int_equal(ot_store_commit(st, &err), OT_OK);
    assert_listing(st, "c|M|1|2023-01|2023-02|2\n");
}

/* ---- against a recount ---------------------------------------------------- */

static uint64_t rng_state = 88172645463325252u;
static unsigned rnd(unsigned n) /* xorshift64, uniform enough for tests */
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (unsigned)(rng_state % n);
}

typedef struct op {
    int key, measure, freq, ord, vintage;
    double value;
} op;

static int op_cmp(const void *a, const void *b)
{
    const op *x = a, *y = b;
    int d;
    if ((d = x->key - y->key) || (d = x->measure - y->measure) || (d = x->freq - y->freq) ||
        (d = x->ord - y->ord))
        return d;
    return x->vintage - y->vintage;
}

/* Rows of series_stats that the recount from obs does not give, plus the
 * other way round: 0 when they agree. */
static int stats_mismatches(const char *path)
{
    sqlite3 *db;
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(
        sqlite3_prepare_v2(db,
                           "WITH r AS (SELECT series_id, freq, sum(DISTINCT 1 << measure) AS "
                           "measures, min(ord) AS lo, max(ord) AS hi, count(DISTINCT ord) AS n "
                           "FROM obs GROUP BY series_id, freq) "
                           "SELECT (SELECT count(*) FROM (SELECT * FROM series_stats EXCEPT "
                           "SELECT * FROM r)) + (SELECT count(*) FROM (SELECT * FROM r EXCEPT "
                           "SELECT * FROM series_stats)), (SELECT count(*) FROM r)",
                           -1, &q, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    int bad = sqlite3_column_int(q, 0);
    assert_true(sqlite3_column_int(q, 1) > 20); /* the test made many (series, freq) pairs */
    sqlite3_finalize(q);
    sqlite3_close(db);
    return bad;
}

/* 40 transactions of 150 puts each on 12 keys (new keys keep coming), four
 * measures, monthly and quarterly periods in a narrow range (so measures
 * share periods), four vintages and three values (so rows are revisions,
 * unchanged or refused).  Every other transaction is sorted by key (the fast
 * path for its new series), every fifth rolled back, some listed midway. */
static void test_store_stats_match_a_recount(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/test_store_stats_%d.db", ONTRACK_TEST_TMP, (int)getpid());
    unlink(path);
    ot_store *st;
    ot_err err;
    assert_int_equal(ot_store_open(path, OT_STORE_CREATE, &st, &err), OT_OK);
    static const ot_freq freqs[] = {OT_FREQ_M, OT_FREQ_Q};
    op ops[150];
    long long refused = 0, written = 0;
    for (int t = 0; t < 40; t++) {
        for (int i = 0; i < 150; i++) {
            ops[i] = (op){(int)rnd(3 + (unsigned)t / 4), (int)rnd(4), (int)rnd(2),
                          24276 + (int)rnd(12), (int)rnd(4), (double)rnd(3)};
            if (ops[i].freq == 1)
                ops[i].ord = 8092 + (int)rnd(6);
        }
        if (t % 2 == 0)
            qsort(ops, 150, sizeof *ops, op_cmp);
        assert_int_equal(ot_store_begin(st, &err), OT_OK);
        for (int i = 0; i < 150; i++) {
            char key[16];
            snprintf(key, sizeof key, "k%02d", ops[i].key);
            ot_period p = {freqs[ops[i].freq], ops[i].ord, 1};
            int32_t v = ops[i].vintage ? 19000 + 30 * ops[i].vintage : OT_VINTAGE_NONE;
            int rc = ot_store_put_obs(st, key, (ot_measure)ops[i].measure, p, ops[i].value, v,
                                      NULL, 0, NULL, &err);
            if (rc == OT_EDATA)
                refused++;
            else if (rc)
                fail_msg("put_obs: %s", err.msg);
            else
                written++;
            if (t % 3 == 0 && i == 75) {
                listing l = {.len = 0};
                assert_int_equal(ot_store_keys(st, NULL, collect, &l, &err), OT_OK);
            }
        }
        if (t % 5 == 4)
            ot_store_rollback(st);
        else
            assert_int_equal(ot_store_commit(st, &err), OT_OK);
    }
    /* the mix did what it says */
    assert_true(refused > 100);
    assert_true(written > 3000);
    ot_store_close(st);
    assert_int_equal(stats_mismatches(path), 0);
    unlink(path);
}

/* ---- migration ------------------------------------------------------------ */

/* A version 1 database (version 2 added only series_stats) is migrated on
 * open: the rows are counted from obs.  A read-only open asks for init. */
static void test_store_stats_migration_from_v1(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/test_store_v1_%d.db", ONTRACK_TEST_TMP, (int)getpid());
    unlink(path);
    ot_store *st;
    ot_err err;
    assert_int_equal(ot_store_open(path, OT_STORE_CREATE, &st, &err), OT_OK);
    /* value Jan..Mar, ytd Mar..Apr with a revision of Apr: 1 | 2 = 3,
     * Jan..Apr, 4 periods; a quarterly yoy: 4, Q1, 1 */
    for (int m = 1; m <= 3; m++)
        put(st, "old", OT_MEASURE_VALUE, month(2023, m), m, OT_VINTAGE_NONE);
    put(st, "old", OT_MEASURE_YTD, month(2023, 3), 30, OT_VINTAGE_NONE);
    put(st, "old", OT_MEASURE_YTD, month(2023, 4), 40, OT_VINTAGE_NONE);
    put(st, "old", OT_MEASURE_YTD, month(2023, 4), 41, ot_days_from_civil(2023, 6, 1));
    put(st, "old", OT_MEASURE_YOY, (ot_period){OT_FREQ_Q, ot_period_make(OT_FREQ_Q, 2023, 1), 1},
        3, OT_VINTAGE_NONE);
    ot_series_meta m;
    ot_series_meta_init(&m);
    m.key = "empty";
    m.freq = OT_FREQ_Y;
    assert_int_equal(ot_store_put_meta(st, &m, &err), OT_OK);
    ot_store_close(st);

    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "DROP TABLE series_stats; ALTER TABLE series DROP COLUMN "
                                  "release_lag; ALTER TABLE runs DROP COLUMN through; ALTER TABLE projections "
                                  "DROP COLUMN data; DROP TABLE compares; ALTER TABLE series DROP COLUMN "
                                  "aliases; ALTER TABLE targets DROP COLUMN shape_from; ALTER TABLE "
                                  "targets DROP COLUMN shape_to; DROP TABLE record_points; "
                                  "ALTER TABLE runs DROP COLUMN title; ALTER TABLE runs DROP COLUMN lang; "
                                  "ALTER TABLE runs DROP COLUMN error; "
                                  "PRAGMA user_version = 1",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);

    assert_int_equal(ot_store_open(path, OT_STORE_READONLY, &st, &err), OT_EDATA);
    char msg[80];
    snprintf(msg, sizeof msg, "schema version 1 needs migrating to %d (run 'ontrack init')",
             OT_STORE_SCHEMA_VERSION);
    assert_non_null(strstr(err.msg, msg));
    assert_int_equal(ot_store_open(path, 0, &st, &err), OT_OK);
    assert_listing(st, "empty|Y|0|||0\n"
                       "old|M|3|2023-01|2023-04|4\n"
                       "old|Q|4|2023Q1|2023Q1|1\n");
    /* and kept from there */
    put(st, "old", OT_MEASURE_YOY, month(2023, 5), 1, OT_VINTAGE_NONE);
    assert_listing(st, "empty|Y|0|||0\n"
                       "old|M|7|2023-01|2023-05|5\n"
                       "old|Q|4|2023Q1|2023Q1|1\n");
    ot_store_close(st);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(q, 0), OT_STORE_SCHEMA_VERSION);
    sqlite3_finalize(q);
    sqlite3_close(db);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_store_stats_hand_worked, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_stats_refused_rows, setup, teardown),
        cmocka_unit_test(test_store_stats_match_a_recount),
        cmocka_unit_test(test_store_stats_migration_from_v1),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
