/* test_store.c — the SQLite store: schema, metadata, observations with
 * vintages and as-of reads, targets, listing, imports, runs. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "mem_store.h"
#include <sqlite3.h>

#include "core/ops.h"
#include "store/store.h"
#include "store/store_int.h" /* the connection, to check its defences */

/* Exact comparison of doubles (cmocka 1.1 has none for double). */
#define assert_num(a, b) assert_num_at((a), (b), __FILE__, __LINE__)
static void assert_num_at(double a, double b, const char *file, int line)
{
    if (!(a == b))
        fail_msg("%s:%d: %.17g != %.17g", file, line, a, b);
}

static int32_t day(int y, int m, int d)
{
    return ot_days_from_civil(y, m, d);
}

static ot_period month(int y, int m)
{
    return (ot_period){OT_FREQ_M, ot_period_make(OT_FREQ_M, y, m), 1};
}

/* put_obs without an import; asserts success and returns what it did. */
static ot_put_result put(ot_store *st, const char *key, ot_measure m, ot_period p, double v,
                         int32_t vintage)
{
    ot_err err;
    ot_put_result res = (ot_put_result)-1;
    int rc = ot_store_put_obs(st, key, m, p, v, vintage, NULL, 0, &res, &err);
    if (rc)
        fail_msg("put_obs: %s", err.msg);
    return res;
}

static ot_series *read_asof(ot_store *st, const char *key, ot_measure m, int32_t as_of)
{
    ot_read_opts o = OT_READ_OPTS_INIT;
    o.measure = m;
    o.as_of = as_of;
    ot_series *s = NULL;
    ot_err err;
    if (ot_store_read(st, key, &o, NULL, &s, &err))
        fail_msg("read: %s", err.msg);
    return s;
}

/* ---- opening ------------------------------------------------------------ */

/* A file that is not ours is refused (OT_EDATA) and left byte for byte as
 * it was: text, and an SQLite database of another program (its tables, no
 * schema version; WAL would rewrite its header). */
static void test_store_open_foreign_file(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/test_store_foreign_%d.db", ONTRACK_TEST_TMP, (int)getpid());
    static const char text[] = "series,period,value\nx,2023-01,1\n" /* a CSV given by mistake */
                               "................................................................"
                               "................................................................";
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fwrite(text, 1, sizeof text - 1, f);
    fclose(f);
    ot_store *st = NULL;
    ot_err err;
    for (int flags = 0; flags < 2; flags++) {
        assert_int_equal(ot_store_open(path, flags ? OT_STORE_CREATE : OT_STORE_READONLY, &st, &err),
                         OT_EDATA);
        assert_null(st);
        char want[1024];
        snprintf(want, sizeof want,
                 "%s: not an ontrack database (not an SQLite file, or one whose header is "
                 "damaged); it was left as it is — give the database with --db or $ONTRACK_DB",
                 path);
        assert_string_equal(err.msg, want);
    }
    char back[sizeof text];
    f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fread(back, 1, sizeof back, f), sizeof text - 1);
    fclose(f);
    assert_memory_equal(back, text, sizeof text - 1);
    unlink(path);

    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE places(id INTEGER PRIMARY KEY, url TEXT)", NULL,
                                  NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(ot_store_open(path, OT_STORE_CREATE, &st, &err), OT_EDATA);
    assert_non_null(strstr(err.msg, "not an ontrack database (an SQLite file of another program"));
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT (SELECT count(*) FROM sqlite_schema) || ' ' || "
                                        "(SELECT journal_mode FROM pragma_journal_mode)",
                                        -1, &q, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(q, 0), "1 delete");
    sqlite3_finalize(q);
    sqlite3_close(db);
    unlink(path);
}

static void test_store_open_creates_and_migrates(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/test_store_%d.db", ONTRACK_TEST_TMP, (int)getpid());
    unlink(path);
    ot_store *st = NULL;
    ot_err err;

    assert_int_equal(ot_store_open(path, 0, &st, &err), OT_ENOTFOUND);
    assert_null(st);
    assert_non_null(strstr(err.msg, "cannot open the database"));

    assert_int_equal(ot_store_open(path, OT_STORE_CREATE, &st, &err), OT_OK);
    assert_string_equal(ot_store_path(st), path);
    /* the connection's settings (docs/storage.md): foreign keys on, a 5 s
     * busy timeout, synchronous NORMAL (1) */
    static const struct {
        const char *pragma;
        int want;
    } set[] = {{"PRAGMA foreign_keys", 1}, {"PRAGMA busy_timeout", 5000}, {"PRAGMA synchronous", 1}};
    for (size_t i = 0; i < sizeof set / sizeof *set; i++) {
        sqlite3_stmt *p;
        assert_int_equal(sqlite3_prepare_v2(st->db, set[i].pragma, -1, &p, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_step(p), SQLITE_ROW);
        if (sqlite3_column_int(p, 0) != set[i].want)
            fail_msg("%s is %d, expected %d", set[i].pragma, sqlite3_column_int(p, 0), set[i].want);
        sqlite3_finalize(p);
    }
    ot_store_close(st);

    /* Inspect the file with SQLite itself: version, WAL, tables. */
    sqlite3 *db;
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(q, 0), OT_STORE_SCHEMA_VERSION);
    sqlite3_finalize(q);
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(q, 0), "wal");
    sqlite3_finalize(q);
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT group_concat(name, ' ') FROM (SELECT name FROM "
                                        "sqlite_schema WHERE type = 'table' ORDER BY name)",
                                        -1, &q, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(q, 0),
                        "compares imports measures obs projections record_points runs series "
                        "series_stats targets");
    sqlite3_finalize(q);
    /* A schema from the future is refused, not damaged. */
    assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);

    assert_int_equal(ot_store_open(path, 0, &st, &err), OT_EDATA);
    char msg[80];
    snprintf(msg, sizeof msg, "schema version 99 is newer than this ontrack's (%d)",
             OT_STORE_SCHEMA_VERSION);
    assert_non_null(strstr(err.msg, msg));
    unlink(path);
}

static void test_store_readonly_refuses_writes(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/test_store_ro_%d.db", ONTRACK_TEST_TMP, (int)getpid());
    unlink(path);
    ot_store *st = NULL;
    ot_err err;
    assert_int_equal(ot_store_open(path, OT_STORE_CREATE, &st, &err), OT_OK);
    put(st, "a", OT_MEASURE_VALUE, month(2023, 1), 1.0, OT_VINTAGE_NONE);
    ot_store_close(st);
    assert_int_equal(ot_store_open(path, OT_STORE_READONLY, &st, &err), OT_OK);
    ot_series *s = read_asof(st, "a", OT_MEASURE_ANY, OT_ASOF_LATEST);
    assert_num(s->v[0], 1.0);
    ot_series_free(s);
    assert_int_equal(ot_store_put_obs(st, "a", OT_MEASURE_VALUE, month(2023, 2), 2.0,
                                      OT_VINTAGE_NONE, NULL, 0, NULL, &err),
                     OT_EINVAL);
    assert_non_null(strstr(err.msg, "is open read-only"));
    ot_store_close(st);
    char wal[600];
    unlink(path);
    snprintf(wal, sizeof wal, "%s-wal", path);
    unlink(wal);
    snprintf(wal, sizeof wal, "%s-shm", path);
    unlink(wal);
}

/* A second writer waits the busy timeout (5 s), then gets OT_ELOCKED (exit
 * 75, "try again"); readers are never blocked (WAL). */
static void test_store_second_writer_locked(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/test_store_lock_%d.db", ONTRACK_TEST_TMP, (int)getpid());
    unlink(path);
    ot_store *a = NULL, *b = NULL;
    ot_err err;
    assert_int_equal(ot_store_open(path, OT_STORE_CREATE, &a, &err), OT_OK);
    put(a, "k", OT_MEASURE_VALUE, month(2023, 1), 1, OT_VINTAGE_NONE);
    assert_int_equal(ot_store_open(path, 0, &b, &err), OT_OK);
    assert_int_equal(ot_store_begin(a, &err), OT_OK);
    put(a, "k", OT_MEASURE_VALUE, month(2023, 2), 2, OT_VINTAGE_NONE);
    assert_int_equal(ot_store_put_obs(b, "k", OT_MEASURE_VALUE, month(2023, 3), 3,
                                      OT_VINTAGE_NONE, NULL, 0, NULL, &err),
                     OT_ELOCKED);
    char want[sizeof path + 160];
    snprintf(want, sizeof want,
             "%s: starting a transaction: database is locked — another process is writing to it "
             "(waited 5 s); try again when it has finished",
             path);
    assert_string_equal(err.msg, want);
    assert_int_equal(ot_err_exit_code(err.code), 75);
    ot_series *s = read_asof(b, "k", OT_MEASURE_ANY, OT_ASOF_LATEST);
    assert_int_equal(s->n, 1); /* a's open transaction is invisible to b */
    ot_series_free(s);
    assert_int_equal(ot_store_commit(a, &err), OT_OK);
    s = read_asof(b, "k", OT_MEASURE_ANY, OT_ASOF_LATEST);
    assert_int_equal(s->n, 2);
    ot_series_free(s);
    ot_store_close(b);
    ot_store_close(a);
    char aux[600];
    unlink(path);
    snprintf(aux, sizeof aux, "%s-wal", path);
    unlink(aux);
    snprintf(aux, sizeof aux, "%s-shm", path);
    unlink(aux);
}

/* A held store (a script run as one transaction): writes wait in an outer
 * transaction, a rolled-back begin undoes only its own writes, settle
 * commits or rolls back everything; other connections see nothing before. */
static void test_store_hold_settle(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/test_store_hold_%d.db", ONTRACK_TEST_TMP, (int)getpid());
    unlink(path);
    ot_store *a = NULL, *b = NULL;
    ot_err err;
    assert_int_equal(ot_store_open(path, OT_STORE_CREATE, &a, &err), OT_OK);
    assert_int_equal(ot_store_open(path, 0, &b, &err), OT_OK);
    ot_store_hold(a);
    assert_true(ot_store_held(a));
    put(a, "k", OT_MEASURE_VALUE, month(2023, 1), 1, OT_VINTAGE_NONE); /* its own savepoint */
    assert_int_equal(ot_store_begin(a, &err), OT_OK);
    put(a, "k", OT_MEASURE_VALUE, month(2023, 2), 2, OT_VINTAGE_NONE);
    ot_store_rollback(a);                                  /* undoes February only */
    ot_series *s = read_asof(a, "k", OT_MEASURE_ANY, OT_ASOF_LATEST);
    assert_int_equal(s->n, 1);                              /* a reads its own write */
    ot_series_free(s);
    s = NULL;
    ot_read_opts ro = OT_READ_OPTS_INIT;
    assert_int_equal(ot_store_read(b, "k", &ro, NULL, &s, &err), OT_ENOTFOUND); /* b: nothing yet */
    assert_int_equal(ot_store_settle(a, 1, &err), OT_OK);
    s = read_asof(b, "k", OT_MEASURE_ANY, OT_ASOF_LATEST);
    assert_int_equal(s->n, 1);                              /* committed */
    ot_series_free(s);
    put(a, "k", OT_MEASURE_VALUE, month(2023, 3), 3, OT_VINTAGE_NONE);
    assert_int_equal(ot_store_settle(a, 0, &err), OT_OK);  /* rolled back */
    s = read_asof(a, "k", OT_MEASURE_ANY, OT_ASOF_LATEST);
    assert_int_equal(s->n, 1);
    ot_series_free(s);
    assert_int_equal(ot_store_settle(a, 1, &err), OT_OK);  /* nothing open: a no-op */
    ot_store_close(b);
    ot_store_close(a);
    char aux[600];
    unlink(path);
    snprintf(aux, sizeof aux, "%s-wal", path);
    unlink(aux);
    snprintf(aux, sizeof aux, "%s-shm", path);
    unlink(aux);
}

/* Every connection has SQLite's defences on: defensive mode and no trusted
 * schema (docs/security.md, "The database file"). */
static void test_store_defences(void **state)
{
    ot_store *st = *state;
    int on = -1;
    assert_int_equal(sqlite3_db_config(st->db, SQLITE_DBCONFIG_DEFENSIVE, -1, &on), SQLITE_OK);
    assert_int_equal(on, 1);
    on = -1;
    assert_int_equal(sqlite3_db_config(st->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, -1, &on), SQLITE_OK);
    assert_int_equal(on, 0);
    /* defensive: the schema cannot be written through SQL */
    sqlite3_exec(st->db, "PRAGMA writable_schema = ON", NULL, NULL, NULL);
    assert_int_not_equal(sqlite3_exec(st->db, "UPDATE sqlite_schema SET sql = '' WHERE name = 'obs'",
                                      NULL, NULL, NULL),
                         SQLITE_OK);
}

static void test_store_transaction_misuse(void **state)
{
    ot_store *st = *state;
    ot_err err;
    assert_int_equal(ot_store_commit(st, &err), OT_EINVAL);
    assert_string_equal(err.msg, "no transaction is open");
    assert_int_equal(ot_store_begin(st, &err), OT_OK);
    assert_int_equal(ot_store_begin(st, &err), OT_EINVAL);
    assert_string_equal(err.msg, "a transaction is already open");
    put(st, "x", OT_MEASURE_VALUE, month(2023, 1), 5.0, OT_VINTAGE_NONE);
    ot_store_rollback(st);
    /* The rolled-back series is gone, and so is put_obs's cached id for it. */
    ot_series *s = NULL;
    assert_int_equal(ot_store_read(st, "x", NULL, NULL, &s, &err), OT_ENOTFOUND);
    assert_string_equal(err.msg, "unknown series 'x'");
    put(st, "x", OT_MEASURE_VALUE, month(2023, 1), 5.0, OT_VINTAGE_NONE);
    s = read_asof(st, "x", OT_MEASURE_ANY, OT_ASOF_LATEST);
    assert_int_equal(s->n, 1);
    ot_series_free(s);
}

/* ---- names -------------------------------------------------------------- */

static void test_store_measure_names(void **state)
{
    (void)state;
    ot_measure m;
    const char *names[] = {"value", "ytd", "yoy", "ytd_yoy"};
    for (int i = 0; i < 4; i++) {
        assert_string_equal(ot_measure_name((ot_measure)i), names[i]);
        assert_int_equal(ot_measure_parse(names[i], (size_t)-1, &m), 0);
        assert_int_equal(m, i);
    }
    assert_int_equal(ot_measure_parse("ytdx", 3, &m), 0); /* length-bounded */
    assert_int_equal(m, OT_MEASURE_YTD);
    assert_int_equal(ot_measure_parse("mom", (size_t)-1, &m), -1);
    assert_int_equal(ot_measure_parse("", 0, &m), -1);
    assert_string_equal(ot_measure_name(OT_MEASURE_ANY), "");
    assert_int_equal(ot_agg_parse("last"), OT_AGG_LAST);
    assert_int_equal(ot_agg_parse("median"), -1);
    /* any case, as column names, kinds and frequencies are read */
    assert_int_equal(ot_measure_parse("YTD_YoY", (size_t)-1, &m), 0);
    assert_int_equal(m, OT_MEASURE_YTD_YOY);
    assert_int_equal(ot_measure_parse("Value", (size_t)-1, &m), 0);
    assert_int_equal(m, OT_MEASURE_VALUE);
    assert_int_equal(ot_agg_parse("Mean"), OT_AGG_MEAN);
    assert_string_equal(ot_agg_name(OT_AGG_MEAN), "mean");
}

/* ---- metadata ----------------------------------------------------------- */

/* A series' stored agg is how its values aggregate when to() is not told:
 * sum, mean or last, whatever the kind; without one, the kind decides.  It
 * describes the period's own values: a ytd read has none, and an op whose
 * result is a rate (pct) drops it. */
static void test_store_meta_agg_read(void **state)
{
    ot_store *st = *state;
    ot_err err;
    static const struct {
        const char *key;
        int kind;
        ot_agg agg;
        double q1;
    } cases[] = {
        {"ag.mean", OT_KIND_FLOW, OT_AGG_MEAN, 3}, /* (1 + 2 + 6) / 3 */
        {"ag.last", -1, OT_AGG_LAST, 6},
        {"ag.sum", OT_KIND_STOCK, OT_AGG_SUM, 9},
        {"ag.none", OT_KIND_STOCK, OT_AGG_NONE, 6}, /* a stock: last */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        ot_series_meta m;
        ot_series_meta_init(&m);
        m.key = (char *)cases[i].key;
        m.kind = cases[i].kind;
        m.agg = cases[i].agg;
        assert_int_equal(ot_store_put_meta(st, &m, &err), OT_OK);
        put(st, cases[i].key, OT_MEASURE_VALUE, month(2023, 1), 1, OT_VINTAGE_NONE);
        put(st, cases[i].key, OT_MEASURE_VALUE, month(2023, 2), 2, OT_VINTAGE_NONE);
        put(st, cases[i].key, OT_MEASURE_VALUE, month(2023, 3), 6, OT_VINTAGE_NONE);
        put(st, cases[i].key, OT_MEASURE_YTD, month(2023, 3), 9, OT_VINTAGE_NONE);
        ot_series *s = read_asof(st, cases[i].key, OT_MEASURE_VALUE, OT_ASOF_LATEST);
        assert_int_equal(s->agg, (int)cases[i].agg);
        ot_series *q = ot_series_to(s, OT_FREQ_Q, OT_AGG_NONE, &err);
        assert_non_null(q);
        assert_num(q->v[0], cases[i].q1);
        ot_series *w = ot_series_window(s, s->start, s->start + 2, &err); /* keeps it */
        assert_non_null(w);
        assert_int_equal(w->agg, (int)cases[i].agg);
        ot_series *g = ot_series_pct(s, 1, &err); /* a rate: by kind again */
        assert_non_null(g);
        assert_int_equal(g->agg, OT_AGG_NONE);
        ot_series_free(g);
        ot_series_free(w);
        ot_series_free(q);
        ot_series_free(s);
        s = read_asof(st, cases[i].key, OT_MEASURE_YTD, OT_ASOF_LATEST);
        assert_int_equal(s->agg, OT_AGG_NONE);
        ot_series_free(s);
    }
}

/* One spelling per unit: aliases map to the canonical spelling, any case
 * and blanks around; a unit outside the table is not mapped; put_meta and
 * put_target store the canonical spelling. */
static void test_store_unit_canonical(void **state)
{
    ot_store *st = *state;
    ot_err err;
    assert_string_equal(ot_unit_canonical("100m_cny"), "亿元");
    assert_string_equal(ot_unit_canonical(" 100M_CNY "), "亿元");
    assert_string_equal(ot_unit_canonical("亿元"), "亿元");
    assert_string_equal(ot_unit_canonical("亿元人民币"), "亿元");
    assert_string_equal(ot_unit_canonical("10k_cny"), "万元");
    assert_string_equal(ot_unit_canonical("pct"), "%");
    assert_string_equal(ot_unit_canonical("％"), "%");
    assert_string_equal(ot_unit_canonical("usd_100m"), "亿美元");
    assert_null(ot_unit_canonical("usd_bn")); /* ten 亿美元: another unit */
    assert_null(ot_unit_canonical("户"));
    assert_null(ot_unit_canonical(""));
    assert_null(ot_unit_canonical(NULL));

    ot_series_meta m;
    ot_series_meta_init(&m);
    m.key = "u.x";
    m.unit = "100m_CNY";
    assert_int_equal(ot_store_put_meta(st, &m, &err), OT_OK);
    ot_series_meta g;
    assert_int_equal(ot_store_get_meta(st, "u.x", &g, &err), OT_OK);
    assert_string_equal(g.unit, "亿元");
    ot_series_meta_clear(&g);
    /* the same unit in the other spelling changes nothing */
    int64_t id;
    ot_put_result res;
    m.unit = "亿元";
    assert_int_equal(ot_store_put_meta_res(st, &m, &id, &res, &err), OT_OK);
    assert_int_equal(res, OT_PUT_UNCHANGED);
    m.unit = "户"; /* outside the table: stored as given */
    assert_int_equal(ot_store_put_meta(st, &m, &err), OT_OK);
    assert_int_equal(ot_store_get_meta(st, "u.x", &g, &err), OT_OK);
    assert_string_equal(g.unit, "户");
    ot_series_meta_clear(&g);
}

/* Stored text must be UTF-8 (every output, JSON first, needs text): a
 * name, a label or a key with a stray byte is refused, nothing written. */
static void test_store_text_utf8(void **state)
{
    ot_store *st = *state;
    ot_err err;
    ot_series_meta m;
    ot_series_meta_init(&m);
    m.key = "u8.x";
    m.name = "出口\xff";
    assert_int_equal(ot_store_put_meta(st, &m, &err), OT_EDATA);
    assert_string_equal(err.msg, "series metadata: expected UTF-8 text in the name, found byte 0xFF");
    m.name = "出口";
    m.aliases = "a|\xe5\x87"; /* a sequence cut short */
    assert_int_equal(ot_store_put_meta(st, &m, &err), OT_EDATA);
    assert_string_equal(err.msg,
                        "series metadata: expected UTF-8 text in the aliases, found byte 0xE5");
    assert_int_equal(ot_store_put_obs(st, "u8\xc0\xaf", OT_MEASURE_VALUE, month(2023, 1), 1,
                                      OT_VINTAGE_NONE, NULL, 0, NULL, &err),
                     OT_EDATA);
    assert_string_equal(err.msg,
                        "observation: expected UTF-8 text in the series key, found byte 0xC0");
    ot_target t;
    memset(&t, 0, sizeof t);
    t.series = "u8.x";
    t.year = 2023;
    t.kind = OT_TARGET_GROWTH;
    t.op = OT_OP_GE;
    t.value = 5;
    t.tolerance = NAN;
    t.label = "增长\xed\xa0\x80"; /* a UTF-16 surrogate, not a character */
    int64_t id;
    assert_int_equal(ot_store_put_target(st, &t, &id, &err), OT_EDATA);
    assert_string_equal(err.msg, "target: expected UTF-8 text in the label, found byte 0xED");
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(st->db,
                                        "SELECT (SELECT count(*) FROM series) + (SELECT count(*) "
                                        "FROM targets) + (SELECT count(*) FROM obs)",
                                        -1, &q, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(q, 0), 0);
    sqlite3_finalize(q);
    t.label = "增长5%";
    assert_int_equal(ot_store_put_target(st, &t, &id, &err), OT_OK);
}

static void test_store_meta_put_get_update(void **state)
{
    ot_store *st = *state;
    ot_err err;
    ot_series_meta m;
    ot_series_meta_init(&m);
    m.key = "yiwu.exports";
    m.name = "出口总额";
    m.name_en = "Exports";
    m.region = "义乌";
    m.unit = "亿元";
    m.freq = OT_FREQ_M;
    m.kind = OT_KIND_FLOW;
    m.agg = OT_AGG_SUM;
    m.shape = "zj.exports";
    assert_int_equal(ot_store_put_meta(st, &m, &err), OT_OK);

    /* An update: NULL keeps, "" clears, a value replaces. */
    ot_series_meta u;
    ot_series_meta_init(&u);
    u.key = "yiwu.exports";
    u.name_en = "";
    u.unit = "万元";
    assert_int_equal(ot_store_put_meta(st, &u, &err), OT_OK);

    ot_series_meta g;
    assert_int_equal(ot_store_get_meta(st, "yiwu.exports", &g, &err), OT_OK);
    assert_string_equal(g.key, "yiwu.exports");
    assert_string_equal(g.name, "出口总额");
    assert_null(g.name_en);
    assert_string_equal(g.region, "义乌");
    assert_string_equal(g.unit, "万元");
    assert_string_equal(g.shape, "zj.exports");
    assert_null(g.source);
    assert_int_equal(g.freq, OT_FREQ_M);
    assert_int_equal(g.kind, OT_KIND_FLOW);
    assert_int_equal(g.agg, OT_AGG_SUM);
    ot_series_meta_clear(&g);
    assert_null(g.key);
    ot_series_meta_clear(NULL);

    /* Unknown keys suggest near ones (edit distance <= max(2, len/3)). */
    assert_int_equal(ot_store_get_meta(st, "yiwu.export", &g, &err), OT_ENOTFOUND);
    assert_string_equal(err.msg, "unknown series 'yiwu.export' (did you mean 'yiwu.exports'?)");
    assert_int_equal(ot_store_get_meta(st, "gdp", &g, &err), OT_ENOTFOUND);
    assert_string_equal(err.msg, "unknown series 'gdp'");
    /* the nearest key alone, for a projection's note */
    char near[64] = "x";
    assert_int_equal(ot_store_unknown_key(st, "yiwu.export", near, sizeof near), 1);
    assert_string_equal(near, "yiwu.exports");
    assert_int_equal(ot_store_unknown_key(st, "gdp", near, sizeof near), 1);
    assert_string_equal(near, "");
    assert_int_equal(ot_store_unknown_key(st, "yiwu.exports", near, sizeof near), 0);

    ot_series_meta_init(&u);
    assert_int_equal(ot_store_put_meta(st, &u, &err), OT_EINVAL);
    assert_string_equal(err.msg, "series metadata without a key");
}

/* What a put of metadata or of a target did: written (new or changed) or
 * unchanged (every field given already stored so), and the row's id. */
static void test_store_put_results(void **state)
{
    ot_store *st = *state;
    ot_err err;
    ot_series_meta m;
    ot_series_meta_init(&m);
    m.key = "r.x";
    m.name = "甲";
    m.unit = "亿元";
    int64_t id = 0, id2 = 0;
    ot_put_result res = OT_PUT_UNCHANGED;
    assert_int_equal(ot_store_put_meta_res(st, &m, &id, &res, &err), OT_OK);
    assert_int_equal(res, OT_PUT_INSERTED);
    assert_true(id > 0);
    assert_int_equal(ot_store_put_meta_res(st, &m, &id2, &res, &err), OT_OK);
    assert_int_equal(res, OT_PUT_UNCHANGED);
    assert_int_equal(id2, id);
    /* NULL fields keep what is stored: still unchanged */
    m.unit = NULL;
    assert_int_equal(ot_store_put_meta_res(st, &m, NULL, &res, &err), OT_OK);
    assert_int_equal(res, OT_PUT_UNCHANGED);
    /* "" clears: a change */
    m.unit = "";
    assert_int_equal(ot_store_put_meta_res(st, &m, NULL, &res, &err), OT_OK);
    assert_int_equal(res, OT_PUT_INSERTED);
    m.release_lag = 20;
    assert_int_equal(ot_store_put_meta_res(st, &m, NULL, &res, &err), OT_OK);
    assert_int_equal(res, OT_PUT_INSERTED);
    assert_int_equal(ot_store_put_meta_res(st, &m, NULL, &res, &err), OT_OK);
    assert_int_equal(res, OT_PUT_UNCHANGED);

    ot_target t;
    ot_target_init(&t);
    t.series = "r.x";
    t.year = 2023;
    t.kind = OT_TARGET_GROWTH;
    t.op = OT_OP_GE;
    t.value = 5;
    assert_int_equal(ot_store_put_target_res(st, &t, &id, &res, &err), OT_OK);
    assert_int_equal(res, OT_PUT_INSERTED);
    assert_int_equal(ot_store_put_target_res(st, &t, &id2, &res, &err), OT_OK);
    assert_int_equal(res, OT_PUT_UNCHANGED);
    assert_int_equal(id2, id);
    t.value = 5.5; /* a corrected threshold: the same row, updated */
    assert_int_equal(ot_store_put_target_res(st, &t, &id2, &res, &err), OT_OK);
    assert_int_equal(res, OT_PUT_INSERTED);
    assert_int_equal(id2, id);
}

/* Metadata cannot give a series a frequency other than its observations':
 * the next import would store a second, hidden series under the key. */
static void test_store_meta_freq_of_observations(void **state)
{
    ot_store *st = *state;
    ot_err err;
    put(st, "f.q", OT_MEASURE_VALUE, (ot_period){OT_FREQ_Q, ot_period_make(OT_FREQ_Q, 2023, 1), 1},
        1.0, OT_VINTAGE_NONE);
    ot_series_meta m;
    ot_series_meta_init(&m);
    m.key = "f.q";
    m.name = "季度";
    m.freq = OT_FREQ_M;
    assert_int_equal(ot_store_put_meta(st, &m, &err), OT_EDATA);
    assert_string_equal(err.msg, "f.q holds observations of frequency Q; found the frequency M: "
                                 "one series holds one frequency");
    ot_series_meta g;
    assert_int_equal(ot_store_get_meta(st, "f.q", &g, &err), OT_OK);
    assert_int_equal(g.freq, OT_FREQ_Q);
    assert_null(g.name);
    ot_series_meta_clear(&g);
    m.freq = OT_FREQ_Q; /* the same frequency, or none, is fine */
    assert_int_equal(ot_store_put_meta(st, &m, &err), OT_OK);
    m.freq = OT_FREQ_NONE;
    assert_int_equal(ot_store_put_meta(st, &m, &err), OT_OK);
    /* a series without observations may change its frequency */
    m.key = "f.new";
    m.freq = OT_FREQ_M;
    assert_int_equal(ot_store_put_meta(st, &m, &err), OT_OK);
    m.freq = OT_FREQ_Q;
    assert_int_equal(ot_store_put_meta(st, &m, &err), OT_OK);
}

/* ---- observations ------------------------------------------------------- */

static void test_store_read_layout_and_metadata(void **state)
{
    ot_store *st = *state;
    ot_err err;
    ot_series_meta m;
    ot_series_meta_init(&m);
    m.key = "k";
    m.name = "零售";
    m.unit = "亿元";
    m.kind = OT_KIND_STOCK;
    assert_int_equal(ot_store_put_meta(st, &m, &err), OT_OK);
    /* 2023-03 and 2023-01 given, 2023-02 missing: a gap, not a hole in time. */
    assert_int_equal(put(st, "k", OT_MEASURE_VALUE, month(2023, 3), 30.5, OT_VINTAGE_NONE),
                     OT_PUT_INSERTED);
    assert_int_equal(put(st, "k", OT_MEASURE_VALUE, month(2023, 1), 10.25, OT_VINTAGE_NONE),
                     OT_PUT_INSERTED);
    ot_series *s = read_asof(st, "k", OT_MEASURE_ANY, OT_ASOF_LATEST);
    assert_int_equal(s->freq, OT_FREQ_M);
    assert_int_equal(s->start, 2023 * 12 + 0);
    assert_int_equal(s->n, 3);
    assert_num(s->v[0], 10.25);
    assert_true(isnan(s->v[1]));
    assert_num(s->v[2], 30.5);
    assert_null(s->flags);
    assert_string_equal(s->key, "k");
    assert_string_equal(s->name, "零售");
    assert_string_equal(s->unit, "亿元");
    assert_int_equal(s->kind, OT_KIND_STOCK);
    ot_series_free(s);
}

/* An undated figure is never ordered before a dated one of its period:
 * the same figure as the latest is unchanged, another is refused with the
 * dated release named, and nothing is written. */
static void test_store_undated_after_dated(void **state)
{
    ot_store *st = *state;
    ot_err err;
    ot_put_result res;
    assert_int_equal(put(st, "u", OT_MEASURE_VALUE, month(2023, 1), 100, day(2023, 2, 20)),
                     OT_PUT_INSERTED);
    assert_int_equal(ot_store_put_obs(st, "u", OT_MEASURE_VALUE, month(2023, 1), 105,
                                      OT_VINTAGE_NONE, NULL, 0, &res, &err),
                     OT_EDATA);
    assert_string_equal(err.msg,
                        "u value 2023-01 is stored as 100 released 2023-02-20; an undated "
                        "figure, 105, would count from before that and never be read: give it "
                        "its release date (a vintage column or --as-of)");
    assert_int_equal(put(st, "u", OT_MEASURE_VALUE, month(2023, 1), 100, OT_VINTAGE_NONE),
                     OT_PUT_UNCHANGED);
    /* undated first, then revised with a date: the first figure again is
     * unchanged (it is stored), the revision's too, a third one refused */
    assert_int_equal(put(st, "u", OT_MEASURE_VALUE, month(2023, 2), 200, OT_VINTAGE_NONE),
                     OT_PUT_INSERTED);
    assert_int_equal(put(st, "u", OT_MEASURE_VALUE, month(2023, 2), 201, day(2023, 4, 1)),
                     OT_PUT_INSERTED);
    assert_int_equal(put(st, "u", OT_MEASURE_VALUE, month(2023, 2), 200, OT_VINTAGE_NONE),
                     OT_PUT_UNCHANGED);
    assert_int_equal(put(st, "u", OT_MEASURE_VALUE, month(2023, 2), 201, OT_VINTAGE_NONE),
                     OT_PUT_UNCHANGED);
    assert_int_equal(ot_store_put_obs(st, "u", OT_MEASURE_VALUE, month(2023, 2), 202,
                                      OT_VINTAGE_NONE, NULL, 0, &res, &err),
                     OT_EDATA);
    /* a later dated figure is a revision as before */
    assert_int_equal(put(st, "u", OT_MEASURE_VALUE, month(2023, 2), 202, day(2023, 5, 1)),
                     OT_PUT_INSERTED);
    ot_series *s = read_asof(st, "u", OT_MEASURE_VALUE, OT_ASOF_LATEST);
    assert_int_equal(s->n, 2);
    assert_num(s->v[0], 100);
    assert_num(s->v[1], 202);
    ot_series_free(s);
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(st->db, "SELECT count(*) FROM obs", -1, &q, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(q, 0), 4);
    sqlite3_finalize(q);
}

static void test_store_vintages_and_asof(void **state)
{
    ot_store *st = *state;
    ot_err err;
    ot_series *s;
    /* 2023-01: first released undated (known from 2023-01-31), revised on
     * 2023-03-15 to 101, then confirmed on 2023-04-15 (nothing new). */
    assert_int_equal(put(st, "x", OT_MEASURE_YTD, month(2023, 1), 100, OT_VINTAGE_NONE),
                     OT_PUT_INSERTED);
    assert_int_equal(put(st, "x", OT_MEASURE_YTD, month(2023, 1), 101, day(2023, 3, 15)),
                     OT_PUT_INSERTED);
    assert_int_equal(put(st, "x", OT_MEASURE_YTD, month(2023, 1), 101, day(2023, 4, 15)),
                     OT_PUT_UNCHANGED);
    /* 2023-02 released 2023-03-10. */
    assert_int_equal(put(st, "x", OT_MEASURE_YTD, month(2023, 2), 205, day(2023, 3, 10)),
                     OT_PUT_INSERTED);
    /* The same figure again, undated: the dated release already holds it,
     * so nothing is new (it is not slipped in before the release). */
    assert_int_equal(put(st, "x", OT_MEASURE_YTD, month(2023, 2), 205, OT_VINTAGE_NONE),
                     OT_PUT_UNCHANGED);

    /* Undated monthly rows count OT_LAG_M = 15 days after their month:
     * January's from 2023-01-31 + 15 = 2023-02-15. */
    s = read_asof(st, "x", OT_MEASURE_YTD, day(2023, 2, 15));
    assert_int_equal(s->n, 1);
    assert_num(s->v[0], 100);
    ot_series_free(s);
    /* As of 2023-03-01: January 100; February's undated row counts from
     * 2023-02-28 + 15 = 2023-03-15 and its dated one from 2023-03-10. */
    s = read_asof(st, "x", OT_MEASURE_YTD, day(2023, 3, 1));
    assert_int_equal(s->n, 1);
    assert_num(s->v[0], 100);
    ot_series_free(s);
    s = read_asof(st, "x", OT_MEASURE_YTD, day(2023, 3, 10));
    assert_int_equal(s->n, 2);
    assert_num(s->v[0], 100);
    assert_num(s->v[1], 205);
    ot_series_free(s);
    /* On the revision day the revision is known (on or before). */
    s = read_asof(st, "x", OT_MEASURE_YTD, day(2023, 3, 15));
    assert_num(s->v[0], 101);
    ot_series_free(s);
    s = read_asof(st, "x", OT_MEASURE_ANY, OT_ASOF_LATEST);
    assert_num(s->v[0], 101);
    assert_num(s->v[1], 205);
    ot_series_free(s);

    /* Before anything was known. */
    ot_read_opts o = OT_READ_OPTS_INIT;
    o.as_of = day(2023, 1, 30);
    assert_int_equal(ot_store_read(st, "x", &o, NULL, &s, &err), OT_ENOTFOUND);
    assert_string_equal(err.msg,
                        "nothing of 'x' (ytd) was known as of 2023-01-30: its first vintage is "
                        "2023-01-31");
    o.as_of = day(2023, 2, 14);
    assert_int_equal(ot_store_read(st, "x", &o, NULL, &s, &err), OT_ENOTFOUND);
    assert_string_equal(err.msg,
                        "nothing of 'x' (ytd) was known as of 2023-02-14: its first figure counts "
                        "from 2023-02-15 (undated, released 15 days after its period)");
    /* With o.empty, the same read is an empty series at the as-of day's
     * month, with what is known of the series (key, unit, measure's kind). */
    o.empty = 1;
    s = NULL;
    assert_int_equal(ot_store_read(st, "x", &o, NULL, &s, &err), OT_OK);
    assert_int_equal(s->n, 0);
    assert_int_equal(s->freq, OT_FREQ_M);
    assert_int_equal(s->start, 2023 * 12 + 1); /* 2023-02 */
    assert_string_equal(s->key, "x");
    ot_series_free(s);
    o.as_of = day(2023, 2, 15); /* known from that day: read as ever */
    assert_int_equal(ot_store_read(st, "x", &o, NULL, &s, &err), OT_OK);
    assert_int_equal(s->n, 1);
    ot_series_free(s);
    o.empty = 0;
    /* A series' own lag replaces the default: 0 days, known on 2023-01-31;
     * the metadata keeps it. */
    ot_series_meta m;
    ot_series_meta_init(&m);
    m.key = "x";
    m.release_lag = 0;
    assert_int_equal(ot_store_put_meta(st, &m, &err), OT_OK);
    s = read_asof(st, "x", OT_MEASURE_YTD, day(2023, 1, 31));
    assert_int_equal(s->n, 1);
    ot_series_free(s);
    assert_int_equal(ot_store_get_meta(st, "x", &m, &err), OT_OK);
    assert_int_equal(m.release_lag, 0);
    ot_series_meta_clear(&m);
    assert_int_equal(m.release_lag, -1);
    assert_int_equal(ot_store_release_lag(OT_FREQ_Q, -1), OT_LAG_Q);
    assert_int_equal(ot_store_release_lag(OT_FREQ_Y, -1), OT_LAG_Y);
    assert_int_equal(ot_store_release_lag(OT_FREQ_Y, 7), 7);

    /* A different figure for a vintage already stored is a conflict (the
     * undated one's day given as a date; undated, it would meet the later
     * release first: test_store_undated_after_dated). */
    assert_int_equal(ot_store_put_obs(st, "x", OT_MEASURE_YTD, month(2023, 1), 99,
                                      day(2023, 1, 31), NULL, 0, NULL, &err),
                     OT_EDATA);
    assert_string_equal(err.msg,
                        "x ytd 2023-01 is stored as 100 for vintage 2023-01-31; a revised figure "
                        "needs a later vintage (a vintage column or --as-of), found 99");
}

static void test_store_combined_jan_feb(void **state)
{
    ot_store *st = *state;
    /* 2023年1-2月 ytd 300 on February (span 2), March 450. */
    ot_period jf = {OT_FREQ_M, ot_period_make(OT_FREQ_M, 2023, 2), 2};
    put(st, "c", OT_MEASURE_YTD, jf, 300, OT_VINTAGE_NONE);
    put(st, "c", OT_MEASURE_YTD, month(2023, 3), 450, OT_VINTAGE_NONE);
    ot_series *s = read_asof(st, "c", OT_MEASURE_ANY, OT_ASOF_LATEST);
    assert_int_equal(s->start, ot_period_make(OT_FREQ_M, 2023, 1));
    assert_int_equal(s->n, 3);
    assert_true(isnan(s->v[0]));
    assert_non_null(s->flags);
    assert_int_equal(s->flags[0], OT_OBS_COVERED);
    assert_int_equal(s->flags[1], 0);
    assert_num(s->v[1], 300);
    assert_num(s->v[2], 450);
    ot_series_free(s);
    /* The same value with span 1 is a different observation: a new vintage. */
    assert_int_equal(put(st, "c", OT_MEASURE_YTD, month(2023, 2), 300, day(2023, 6, 1)),
                     OT_PUT_INSERTED);
    s = read_asof(st, "c", OT_MEASURE_ANY, OT_ASOF_LATEST);
    assert_null(s->flags); /* January is no longer covered: it is missing */
    ot_series_free(s);
    /* At the same (undated) day, the same figure for other months is told
     * as such, not as "a revised figure ... found 450" (the same number). */
    ot_err err;
    ot_period jf24 = {OT_FREQ_M, ot_period_make(OT_FREQ_M, 2024, 2), 2};
    put(st, "c", OT_MEASURE_YTD, month(2024, 2), 310, OT_VINTAGE_NONE);
    assert_int_equal(ot_store_put_obs(st, "c", OT_MEASURE_YTD, jf24, 310, OT_VINTAGE_NONE, NULL,
                                      0, NULL, &err),
                     OT_EDATA);
    assert_string_equal(err.msg,
                        "c ytd 2024-02 is stored as 310 for February alone; the same figure "
                        "given for January–February (2024-01/02) changes what it covers, which "
                        "needs a release date (a vintage column or --as-of)");
}

static void test_store_measure_and_freq_choice(void **state)
{
    ot_store *st = *state;
    ot_err err;
    ot_series *s = NULL;
    put(st, "g", OT_MEASURE_VALUE, month(2023, 1), 1, OT_VINTAGE_NONE);
    put(st, "g", OT_MEASURE_YOY, month(2023, 1), 5.5, OT_VINTAGE_NONE);
    put(st, "g", OT_MEASURE_YOY, (ot_period){OT_FREQ_Y, 2022, 1}, 6.0, OT_VINTAGE_NONE);

    assert_int_equal(ot_store_read(st, "g", NULL, NULL, &s, &err), OT_EINVAL);
    assert_string_equal(err.msg, "series 'g' stores several measures (value, yoy): say which, e.g. "
                                 "{measure = \"value\"} (--measure value on the command line)");
    ot_read_opts o = OT_READ_OPTS_INIT;
    o.measure = OT_MEASURE_YTD;
    /* a measure or frequency not stored is missing data (exit 66), not a usage error */
    assert_int_equal(ot_store_read(st, "g", &o, NULL, &s, &err), OT_ENOTFOUND);
    assert_string_equal(err.msg, "series 'g' has no 'ytd' observations (stored: value, yoy)");
    /* yoy at M and Y: the series' own frequency (M, from the first row) wins. */
    o.measure = OT_MEASURE_YOY;
    assert_int_equal(ot_store_read(st, "g", &o, NULL, &s, &err), OT_OK);
    assert_int_equal(s->freq, OT_FREQ_M);
    assert_num(s->v[0], 5.5);
    ot_series_free(s);
    o.freq = OT_FREQ_Y;
    assert_int_equal(ot_store_read(st, "g", &o, NULL, &s, &err), OT_OK);
    assert_int_equal(s->freq, OT_FREQ_Y);
    assert_int_equal(s->start, 2022);
    assert_num(s->v[0], 6.0);
    ot_series_free(s);
    o.freq = OT_FREQ_Q;
    assert_int_equal(ot_store_read(st, "g", &o, NULL, &s, &err), OT_ENOTFOUND);
    assert_string_equal(err.msg, "series 'g' has no Q yoy observations (stored: M, Y)");

    assert_int_equal(ot_store_read(st, "h", NULL, NULL, &s, &err), OT_ENOTFOUND);
    assert_string_equal(err.msg, "unknown series 'h' (did you mean 'g'?)");
}

static void test_store_put_obs_rejects_bad_arguments(void **state)
{
    ot_store *st = *state;
    ot_err err;
    assert_int_equal(ot_store_put_obs(st, "", OT_MEASURE_VALUE, month(2023, 1), 1,
                                      OT_VINTAGE_NONE, NULL, 0, NULL, &err),
                     OT_EINVAL);
    assert_string_equal(err.msg, "observation without a series key");
    assert_int_equal(ot_store_put_obs(st, "a", OT_MEASURE_VALUE, month(2023, 1), NAN,
                                      OT_VINTAGE_NONE, NULL, 0, NULL, &err),
                     OT_EINVAL);
    assert_string_equal(err.msg, "a: missing values are not stored");
    assert_int_equal(ot_store_put_obs(st, "a", OT_MEASURE_VALUE, month(2023, 1), -INFINITY,
                                      OT_VINTAGE_NONE, NULL, 0, NULL, &err),
                     OT_EDATA);
    assert_string_equal(err.msg, "-inf is not a number that can be stored");
    assert_int_equal(ot_store_put_obs(st, "a", (ot_measure)7, month(2023, 1), 1,
                                      OT_VINTAGE_NONE, NULL, 0, NULL, &err),
                     OT_EINVAL);
    assert_string_equal(err.msg, "a: bad measure 7");
    ot_period q2 = {OT_FREQ_Q, ot_period_make(OT_FREQ_Q, 2023, 1), 2};
    assert_int_equal(ot_store_put_obs(st, "a", OT_MEASURE_VALUE, q2, 1, OT_VINTAGE_NONE, NULL,
                                      0, NULL, &err),
                     OT_EINVAL);
    assert_string_equal(err.msg, "a: bad period (frequency 81, span 2)");
}

/* Duplicates within one import: caught when the first copy was written, and
 * also when it was skipped as unchanged (through temp.put_seen). */
static void test_store_duplicates_within_an_import(void **state)
{
    ot_store *st = *state;
    ot_err err;
    int64_t imp1, imp2;
    ot_import_rec r = {"a.csv", 0x1234, "long", OT_VINTAGE_NONE};
    assert_int_equal(ot_store_begin(st, &err), OT_OK);
    assert_int_equal(ot_store_import_begin(st, &r, &imp1, &err), OT_OK);
    assert_int_equal(ot_store_put_obs(st, "d", OT_MEASURE_VALUE, month(2023, 1), 7,
                                      OT_VINTAGE_NONE, "src", imp1, NULL, &err),
                     OT_OK);
    assert_int_equal(ot_store_put_obs(st, "d", OT_MEASURE_VALUE, month(2023, 1), 7,
                                      OT_VINTAGE_NONE, "src", imp1, NULL, &err),
                     OT_EDATA);
    assert_string_equal(err.msg, "duplicate row: d value 2023-01 was already given in this import");
    assert_int_equal(ot_store_import_done(st, imp1, 1, 0, &err), OT_OK);
    assert_int_equal(ot_store_commit(st, &err), OT_OK);

    /* A second import: the first row is unchanged (skipped), its duplicate
     * with another value must still be refused. */
    r.hash = 0x5678;
    assert_int_equal(ot_store_begin(st, &err), OT_OK);
    assert_int_equal(ot_store_import_begin(st, &r, &imp2, &err), OT_OK);
    ot_put_result res;
    assert_int_equal(ot_store_put_obs(st, "d", OT_MEASURE_VALUE, month(2023, 1), 7,
                                      OT_VINTAGE_NONE, NULL, imp2, &res, &err),
                     OT_OK);
    assert_int_equal(res, OT_PUT_UNCHANGED);
    assert_int_equal(ot_store_put_obs(st, "d", OT_MEASURE_VALUE, month(2023, 1), 8,
                                      day(2023, 5, 1), NULL, imp2, &res, &err),
                     OT_OK); /* a dated revision is a different row */
    assert_int_equal(ot_store_put_obs(st, "d", OT_MEASURE_VALUE, month(2023, 1), 9,
                                      OT_VINTAGE_NONE, NULL, imp2, &res, &err),
                     OT_EDATA);
    assert_string_equal(err.msg, "duplicate row: d value 2023-01 was already given in this import");
    assert_int_equal(ot_store_put_obs(st, "d", OT_MEASURE_VALUE, month(2023, 1), 8,
                                      day(2023, 5, 1), NULL, imp2, &res, &err),
                     OT_EDATA);
    assert_string_equal(err.msg, "duplicate row: d value 2023-01 vintage 2023-05-01 was already "
                                 "given in this import");
    ot_store_rollback(st);

    /* Imports are found by hash, format and as-of. */
    int64_t found;
    r.hash = 0x1234;
    assert_int_equal(ot_store_import_find(st, &r, &found, &err), OT_OK);
    assert_int_equal(found, imp1);
    r.as_of = day(2023, 1, 1);
    assert_int_equal(ot_store_import_find(st, &r, &found, &err), OT_OK);
    assert_int_equal(found, 0);
    r.as_of = OT_VINTAGE_NONE;
    r.hash = 0x5678;
    assert_int_equal(ot_store_import_find(st, &r, &found, &err), OT_OK);
    assert_int_equal(found, 0);
}

/* Rows of a series new in the transaction are batched (obs.c): reads inside
 * the transaction see them, and out-of-order or repeated keys still take the
 * full path (duplicates caught, earlier periods inserted). */
static void test_store_batched_rows(void **state)
{
    ot_store *st = *state;
    ot_err err;
    int64_t imp;
    ot_import_rec r = {"b.csv", 0x42, "long", OT_VINTAGE_NONE};
    assert_int_equal(ot_store_begin(st, &err), OT_OK);
    assert_int_equal(ot_store_import_begin(st, &r, &imp, &err), OT_OK);
    /* 40 months from 2020-01: 32 go out in one batch, 8 wait */
    for (int i = 0; i < 40; i++)
        assert_int_equal(ot_store_put_obs(st, "b", OT_MEASURE_VALUE,
                                          month(2020 + i / 12, i % 12 + 1), i, OT_VINTAGE_NONE,
                                          "src", imp, NULL, &err),
                         OT_OK);
    ot_series *s = read_asof(st, "b", OT_MEASURE_ANY, OT_ASOF_LATEST);
    assert_int_equal(s->n, 40);
    assert_num(s->v[39], 39);
    ot_series_free(s);
    /* an earlier period (below the high-water key): full path, inserted */
    assert_int_equal(ot_store_put_obs(st, "b", OT_MEASURE_VALUE, month(2019, 12), -1,
                                      OT_VINTAGE_NONE, NULL, imp, NULL, &err),
                     OT_OK);
    /* a repeat of a batched row, batch not yet written: caught */
    assert_int_equal(ot_store_put_obs(st, "b", OT_MEASURE_VALUE, month(2024, 1), 99,
                                      OT_VINTAGE_NONE, NULL, imp, NULL, &err),
                     OT_OK);
    assert_int_equal(ot_store_put_obs(st, "b", OT_MEASURE_VALUE, month(2024, 1), 99,
                                      OT_VINTAGE_NONE, NULL, imp, NULL, &err),
                     OT_EDATA);
    assert_string_equal(err.msg, "duplicate row: b value 2024-01 was already given in this import");
    assert_int_equal(ot_store_commit(st, &err), OT_OK);
    s = read_asof(st, "b", OT_MEASURE_ANY, OT_ASOF_LATEST);
    /* 2019-12 .. 2024-01: 50 months, 2023-05 .. 2023-12 missing */
    assert_int_equal(s->start, ot_period_make(OT_FREQ_M, 2019, 12));
    assert_int_equal(s->n, 50);
    assert_num(s->v[0], -1);
    assert_num(s->v[40], 39);
    assert_true(isnan(s->v[41]));
    assert_num(s->v[49], 99);
    ot_series_free(s);
    /* a new series given the same figure at two vintages keeps one row;
     * the repeated second one is still a duplicate */
    assert_int_equal(ot_store_begin(st, &err), OT_OK);
    r.hash = 0x43;
    assert_int_equal(ot_store_import_begin(st, &r, &imp, &err), OT_OK);
    ot_put_result res;
    assert_int_equal(ot_store_put_obs(st, "v", OT_MEASURE_YTD, month(2023, 1), 5,
                                      day(2023, 2, 15), NULL, imp, &res, &err),
                     OT_OK);
    assert_int_equal(res, OT_PUT_INSERTED);
    assert_int_equal(ot_store_put_obs(st, "v", OT_MEASURE_YTD, month(2023, 1), 5,
                                      day(2023, 3, 15), NULL, imp, &res, &err),
                     OT_OK);
    assert_int_equal(res, OT_PUT_UNCHANGED);
    assert_int_equal(ot_store_put_obs(st, "v", OT_MEASURE_YTD, month(2023, 1), 6,
                                      day(2023, 3, 15), NULL, imp, &res, &err),
                     OT_EDATA);
    assert_string_equal(err.msg, "duplicate row: v ytd 2023-01 vintage 2023-03-15 was already "
                                 "given in this import");
    assert_int_equal(ot_store_put_obs(st, "v", OT_MEASURE_YTD, month(2023, 1), 7,
                                      day(2023, 4, 15), NULL, imp, &res, &err),
                     OT_OK);
    assert_int_equal(res, OT_PUT_INSERTED);
    assert_int_equal(ot_store_commit(st, &err), OT_OK);
    s = read_asof(st, "v", OT_MEASURE_ANY, day(2023, 3, 20));
    assert_num(s->v[0], 5);
    ot_series_free(s);
    s = read_asof(st, "v", OT_MEASURE_ANY, OT_ASOF_LATEST);
    assert_num(s->v[0], 7);
    ot_series_free(s);

    /* a rolled-back batch leaves nothing behind */
    assert_int_equal(ot_store_begin(st, &err), OT_OK);
    for (int i = 0; i < 5; i++)
        put(st, "gone", OT_MEASURE_VALUE, month(2020, i + 1), i, OT_VINTAGE_NONE);
    ot_store_rollback(st);
    assert_int_equal(ot_store_read(st, "gone", NULL, NULL, &s, &err), OT_ENOTFOUND);
}

/* An allocator that fails its n-th allocation and counts live bytes. */
typedef struct failing {
    int n, calls;
    long long live;
} failing;

static void *failing_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    failing *f = ud;
    if (nsize == 0) {
        if (ptr)
            f->live -= (long long)osize;
        free(ptr);
        return NULL;
    }
    if (++f->calls == f->n)
        return NULL;
    void *p = realloc(ptr, nsize);
    if (p)
        f->live += (long long)nsize - (ptr ? (long long)osize : 0);
    return p;
}

/* ot_store_read through an allocator failing at allocation 1, 2, ...: every
 * failure is OT_ENOMEM with nothing left allocated, until one succeeds. */
static void test_store_read_failing_allocator(void **state)
{
    ot_store *st = *state;
    ot_series_meta m;
    ot_series_meta_init(&m);
    m.key = "f";
    m.name = "名称";
    m.unit = "亿元";
    assert_int_equal(ot_store_put_meta(st, &m, NULL), OT_OK);
    ot_period jf = {OT_FREQ_M, ot_period_make(OT_FREQ_M, 2023, 2), 2};
    put(st, "f", OT_MEASURE_YTD, jf, 3, OT_VINTAGE_NONE); /* flags are allocated too */
    put(st, "f", OT_MEASURE_YTD, month(2023, 3), 4, OT_VINTAGE_NONE);
    int ok = 0;
    for (int n = 1; n < 50 && !ok; n++) {
        failing f = {n, 0, 0};
        ot_alloc a = {failing_alloc, &f};
        ot_series *s = NULL;
        ot_err err;
        int rc = ot_store_read(st, "f", NULL, &a, &s, &err);
        if (rc == OT_OK) {
            ok = n;
            assert_int_equal(s->n, 3);
            assert_string_equal(s->name, "名称");
            ot_series_free(s);
        } else {
            assert_int_equal(rc, OT_ENOMEM);
            assert_null(s);
        }
        assert_int_equal(f.live, 0);
    }
    assert_true(ok > 1);
}

/* ---- listing ------------------------------------------------------------ */

typedef struct listing {
    char text[512];
    size_t len;
    int stop_after;
    int calls;
} listing;

static int collect(void *ud, const ot_key_info *ki)
{
    listing *l = ud;
    char a[OT_PERIOD_STRMAX] = "", b[OT_PERIOD_STRMAX] = "";
    if (ki->count > 0) {
        ot_period_format(ki->first, a, sizeof a);
        ot_period_format(ki->last, b, sizeof b);
    }
    l->len += (size_t)snprintf(l->text + l->len, sizeof l->text - l->len,
                               "%s|%s|%s|%u|%s|%s|%lld\n", ki->key, ki->name ? ki->name : "",
                               ot_freq_name(ki->freq), ki->measures, a, b, ki->count);
    return ++l->calls == l->stop_after;
}

static void test_store_keys_listing(void **state)
{
    ot_store *st = *state;
    ot_err err;
    ot_series_meta m;
    ot_series_meta_init(&m);
    m.key = "yiwu.gdp";
    m.name = "地区生产总值";
    m.freq = OT_FREQ_Q;
    assert_int_equal(ot_store_put_meta(st, &m, &err), OT_OK);
    put(st, "yiwu.exports", OT_MEASURE_YTD, month(2023, 3), 1, OT_VINTAGE_NONE);
    put(st, "yiwu.exports", OT_MEASURE_YTD, month(2023, 1), 1, OT_VINTAGE_NONE);
    put(st, "yiwu.exports", OT_MEASURE_YTD, month(2023, 1), 2, day(2023, 9, 1));
    put(st, "yiwu.exports", OT_MEASURE_YTD_YOY, month(2023, 2), 3, OT_VINTAGE_NONE);
    put(st, "zj.exports", OT_MEASURE_VALUE, (ot_period){OT_FREQ_Y, 2022, 1}, 1, OT_VINTAGE_NONE);

    listing l = {.stop_after = -1};
    assert_int_equal(ot_store_keys(st, "yiwu.*", collect, &l, &err), OT_OK);
    /* exports: measures ytd (bit 1) | ytd_yoy (bit 3) = 2 + 8 = 10; periods
     * 2023-01..2023-03, 3 distinct; gdp: no observations, meta freq Q. */
    assert_string_equal(l.text, "yiwu.exports||M|10|2023-01|2023-03|3\n"
                                "yiwu.gdp|地区生产总值|Q|0|||0\n");
    listing all = {.stop_after = 2};
    assert_int_equal(ot_store_keys(st, NULL, collect, &all, &err), OT_OK);
    assert_int_equal(all.calls, 2);
    /* names only: one row per key, the metadata's frequency, nothing counted
     * (yiwu.exports was created by its first observation, monthly) */
    listing names = {.stop_after = -1};
    assert_int_equal(ot_store_key_names(st, "yiwu.*", collect, &names, &err), OT_OK);
    assert_string_equal(names.text, "yiwu.exports||M|0|||-1\n"
                                    "yiwu.gdp|地区生产总值|Q|0|||-1\n");
}

/* ---- targets ------------------------------------------------------------ */

static void test_store_targets_round_trip(void **state)
{
    ot_store *st = *state;
    ot_err err;
    ot_target t;
    ot_target_init(&t);
    t.series = "yiwu.gdp";
    t.year = 2023;
    t.kind = OT_TARGET_GROWTH;
    t.op = OT_OP_GE;
    t.value = 7.5;
    t.label = "地区生产总值增长7.5%以上";
    int64_t id1, id2, id3;
    assert_int_equal(ot_store_put_target(st, &t, &id1, &err), OT_OK);
    assert_int_equal(ot_store_put_target(st, &t, &id2, &err), OT_OK);
    assert_int_equal(id1, id2); /* identical: nothing new */

    ot_target u;
    ot_target_init(&u);
    u.year = 2023;
    u.kind = OT_TARGET_UNQUANTIFIED;
    u.op = OT_OP_NONE;
    u.label = "完成省下达的能耗双控目标";
    assert_int_equal(ot_store_put_target(st, &u, &id3, &err), OT_OK);
    assert_true(id3 != id1);

    ot_target w;
    ot_target_init(&w);
    w.series = "x";
    w.year = 2022;
    w.value = 1;
    assert_int_equal(ot_store_put_target(st, &w, NULL, &err), OT_OK);

    /* A corrected threshold under the same identity updates in place (so
     * do shape_years). */
    t.value = 8;
    t.source = "政府工作报告";
    t.shape_years[0] = 2016;
    t.shape_years[1] = 2019;
    assert_int_equal(ot_store_put_target(st, &t, &id2, &err), OT_OK);
    assert_int_equal(id2, id1);

    ot_target *ts = NULL;
    int64_t *ids = NULL;
    size_t n = 0;
    assert_int_equal(ot_store_targets(st, 2023, &ts, &ids, &n, &err), OT_OK);
    assert_int_equal(n, 2);
    assert_int_equal(ids[0], id1);
    assert_string_equal(ts[0].series, "yiwu.gdp");
    assert_int_equal(ts[0].kind, OT_TARGET_GROWTH);
    assert_int_equal(ts[0].op, OT_OP_GE);
    assert_num(ts[0].value, 8);
    assert_true(isnan(ts[0].tolerance));
    assert_string_equal(ts[0].label, "地区生产总值增长7.5%以上");
    assert_string_equal(ts[0].source, "政府工作报告");
    assert_null(ts[0].ref);
    assert_int_equal(ts[0].shape_years[0], 2016);
    assert_int_equal(ts[0].shape_years[1], 2019);
    assert_int_equal(ts[1].shape_years[0], 0);
    assert_null(ts[1].series);
    assert_int_equal(ts[1].kind, OT_TARGET_UNQUANTIFIED);
    assert_int_equal(ts[1].op, OT_OP_NONE);
    assert_true(isnan(ts[1].value));
    ot_store_targets_free(ts, n);
    free(ids);

    assert_int_equal(ot_store_targets(st, 0, &ts, NULL, &n, &err), OT_OK);
    assert_int_equal(n, 3);
    assert_int_equal(ts[0].year, 2022); /* ordered by year */
    ot_store_targets_free(ts, n);

    ot_target bad;
    ot_target_init(&bad);
    bad.year = 2023;
    assert_int_equal(ot_store_put_target(st, &bad, NULL, &err), OT_EINVAL);
    assert_string_equal(err.msg, "a growth target needs a series");
    bad.year = 0;
    assert_int_equal(ot_store_put_target(st, &bad, NULL, &err), OT_EINVAL);
    assert_string_equal(err.msg, "target without a valid year (0)");
}

/* ---- runs --------------------------------------------------------------- */

static void test_store_runs_and_projections(void **state)
{
    ot_store *st = *state;
    ot_err err;
    ot_run r = {"yiwu-monthly", day(2023, 10, 31), "0.1.0", NULL, "abc", NULL};
    int64_t id;
    assert_int_equal(ot_store_run_begin(st, &r, &id, &err), OT_OK);
    assert_int_equal(id, 1);
    ot_projection_row p = {.run_id = id, .label = "GDP", .as_of = day(2023, 10, 31),
                           .point = 7.9, .lo80 = 7.1, .hi80 = 8.6, .lo95 = 6.7, .hi95 = 9.0,
                           .prob = 0.8, .required = 6.9, .carry = 8.1, .status = "on track",
                           .method = "ets"};
    assert_int_equal(ot_store_put_projection(st, &p, &err), OT_OK);
    assert_int_equal(ot_store_run_finish(st, id, "ok", &err), OT_OK);
    assert_int_equal(ot_store_run_finish(st, 99, "ok", &err), OT_ENOTFOUND);
    assert_string_equal(err.msg, "no run 99");
    p.run_id = 42; /* foreign key */
    assert_int_equal(ot_store_put_projection(st, &p, &err), OT_EIO);
    assert_non_null(strstr(err.msg, "FOREIGN KEY constraint failed"));

    /* read back: the run, its projection (NaN for what was not given) */
    ot_run_rec *rs;
    size_t n;
    assert_int_equal(ot_store_runs(st, NULL, id, 0, &rs, &n, &err), OT_OK);
    assert_int_equal(n, 1);
    assert_string_equal(rs[0].job, "yiwu-monthly");
    assert_string_equal(rs[0].status, "ok");
    assert_non_null(rs[0].finished);
    assert_null(rs[0].scripts_hash);
    assert_string_equal(rs[0].data_hash, "abc");
    assert_int_equal(rs[0].as_of, day(2023, 10, 31));
    ot_store_runs_free(rs, n);
    ot_projection_row *ps;
    assert_int_equal(ot_store_projections(st, id, &ps, &n, &err), OT_OK);
    assert_int_equal(n, 1);
    assert_string_equal(ps[0].label, "GDP");
    assert_num(ps[0].point, 7.9);
    assert_num(ps[0].hi95, 9.0);
    assert_int_equal(ps[0].target_id, 0);
    assert_string_equal(ps[0].status, "on track");
    assert_null(ps[0].note);
    ot_store_projections_free(ps, n);
    assert_int_equal(ot_store_runs(st, NULL, 7, 0, &rs, &n, &err), OT_ENOTFOUND);
    assert_string_equal(err.msg, "no run 7");

    /* five more runs of the job, one of another; keep the newest 3 of the job */
    int64_t other;
    for (int i = 0; i < 5; i++)
        assert_int_equal(ot_store_run_begin(st, &r, &id, &err), OT_OK);
    ot_run o = {"other", OT_ASOF_LATEST, "0.1.0", NULL, NULL, NULL};
    assert_int_equal(ot_store_run_begin(st, &o, &other, &err), OT_OK);
    size_t gone;
    assert_int_equal(ot_store_runs_prune(st, "yiwu-monthly", 3, &gone, &err), OT_OK);
    assert_int_equal(gone, 3); /* runs 1, 2, 3 (with run 1's projection) */
    assert_int_equal(ot_store_runs(st, "yiwu-monthly", 0, 0, &rs, &n, &err), OT_OK);
    assert_int_equal(n, 3);
    assert_int_equal(rs[0].id, 6); /* newest first */
    assert_int_equal(rs[2].id, 4);
    ot_store_runs_free(rs, n);
    assert_int_equal(ot_store_projections(st, 1, &ps, &n, &err), OT_OK);
    assert_int_equal(n, 0);
    ot_store_projections_free(ps, n);
    assert_int_equal(ot_store_runs(st, NULL, 0, 2, &rs, &n, &err), OT_OK);
    assert_int_equal(n, 2);
    assert_int_equal(rs[0].id, other);
    assert_int_equal(rs[0].as_of, OT_ASOF_LATEST);
    ot_store_runs_free(rs, n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_store_open_creates_and_migrates),
        cmocka_unit_test(test_store_open_foreign_file),
        MEM_STORE_TEST(test_store_unit_canonical),
        MEM_STORE_TEST(test_store_text_utf8),
        MEM_STORE_TEST(test_store_undated_after_dated),
        cmocka_unit_test(test_store_readonly_refuses_writes),
        cmocka_unit_test(test_store_second_writer_locked),
        cmocka_unit_test(test_store_hold_settle),
        MEM_STORE_TEST(test_store_defences),
        MEM_STORE_TEST(test_store_transaction_misuse),
        cmocka_unit_test(test_store_measure_names),
        MEM_STORE_TEST(test_store_meta_agg_read),
        MEM_STORE_TEST(test_store_meta_put_get_update),
        MEM_STORE_TEST(test_store_put_results),
        MEM_STORE_TEST(test_store_meta_freq_of_observations),
        MEM_STORE_TEST(test_store_read_layout_and_metadata),
        MEM_STORE_TEST(test_store_vintages_and_asof),
        MEM_STORE_TEST(test_store_combined_jan_feb),
        MEM_STORE_TEST(test_store_measure_and_freq_choice),
        MEM_STORE_TEST(test_store_put_obs_rejects_bad_arguments),
        MEM_STORE_TEST(test_store_duplicates_within_an_import),
        MEM_STORE_TEST(test_store_batched_rows),
        MEM_STORE_TEST(test_store_read_failing_allocator),
        MEM_STORE_TEST(test_store_keys_listing),
        MEM_STORE_TEST(test_store_targets_round_trip),
        MEM_STORE_TEST(test_store_runs_and_projections),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
