/* jobs.c — store queries for scheduled jobs: stale runs, newest vintage,
 * the canonical data feed behind a run's data hash. */
#include "store/jobs.h"

#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

/* Prepares sql on st's connection; NULL and err set on failure. */
static sqlite3_stmt *prepare(ot_store *st, const char *sql, const char *what, ot_err *err)
{
    sqlite3_stmt *q = NULL;
    int s = sqlite3_prepare_v2(st->db, sql, -1, &q, NULL);
    if (s != SQLITE_OK) {
        store_sqlerr(st, s, what, err);
        sqlite3_finalize(q);
        return NULL;
    }
    return q;
}

int ot_store_runs_fail_stale(ot_store *st, const char *job, int64_t **ids, size_t *n,
                             ot_err *err)
{
    static const char sql[] =
        "UPDATE runs SET status = 'failed', finished = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'),\n"
        "  error = 'did not finish: its process died (found by the next run of the job)'\n"
        "WHERE job IS ?1 AND status = 'running' RETURNING id";
    int own, rc = store_wbegin(st, &own, err);
    if (rc)
        return rc;
    sqlite3_stmt *q = prepare(st, sql, "marking stale runs failed", err);
    int64_t *v = NULL;
    size_t len = 0, cap = 0;
    if (!q) {
        rc = err ? err->code : OT_EIO;
        goto done;
    }
    store_bind_text(q, 1, job);
    int s;
    while ((s = sqlite3_step(q)) == SQLITE_ROW) {
        if (len == cap) {
            size_t nc = cap ? 2 * cap : 4;
            int64_t *nv = realloc(v, nc * sizeof *nv);
            if (!nv) {
                rc = ot_err_set(err, OT_ENOMEM, "out of memory marking stale runs");
                goto done;
            }
            v = nv;
            cap = nc;
        }
        v[len++] = sqlite3_column_int64(q, 0);
    }
    if (s != SQLITE_DONE)
        rc = store_sqlerr(st, s, "marking stale runs failed", err);
done:
    sqlite3_finalize(q);
    rc = store_wend(st, own, rc, err);
    if (rc) {
        free(v);
        return rc;
    }
    if (ids)
        *ids = v;
    else
        free(v);
    *n = len;
    return OT_OK;
}

/* How: a row stored without a release date (on its period's last day)
 * is known from that day plus its series' release lag, as ot_store_read
 * counts it — so the newest stored vintage alone would leave the last
 * period of undated data unread.  One pass over the rows. */
int ot_store_latest_vintage(ot_store *st, int32_t *days, ot_err *err)
{
    int rc = store_flush(st, err);
    if (rc)
        return rc;
    sqlite3_stmt *q = prepare(st,
                              "SELECT o.vintage, o.freq, o.ord, s.release_lag FROM obs o "
                              "JOIN series s ON s.id = o.series_id",
                              "finding the newest data", err);
    if (!q)
        return err ? err->code : OT_EIO;
    int s, found = 0;
    int32_t best = 0;
    while ((s = sqlite3_step(q)) == SQLITE_ROW) {
        int32_t v = sqlite3_column_int(q, 0);
        const char *f = (const char *)sqlite3_column_text(q, 1);
        ot_freq fr = f ? ot_freq_parse(f) : OT_FREQ_NONE;
        if (fr != OT_FREQ_NONE && v == ot_period_last_day(fr, (ot_ord)sqlite3_column_int(q, 2)))
            v += ot_store_release_lag(fr, sqlite3_column_type(q, 3) == SQLITE_INTEGER
                                              ? sqlite3_column_int(q, 3)
                                              : -1);
        if (!found || v > best)
            best = v;
        found = 1;
    }
    if (s != SQLITE_DONE)
        rc = store_sqlerr(st, s, "finding the newest data", err);
    else if (!found)
        rc = ot_err_set(err, OT_ENOTFOUND, "the database holds no observations "
                                           "(ontrack import FILE adds them)");
    else
        *days = best;
    sqlite3_finalize(q);
    return rc;
}

/* Feeds one row: per column a type tag, then 8 bytes (integers, reals:
 * their bit pattern) or a 4-byte length and the text. */
static void feed_row(sqlite3_stmt *q, ot_store_feed_fn fn, void *ud)
{
    int nc = sqlite3_column_count(q);
    for (int i = 0; i < nc; i++) {
        unsigned char tag = (unsigned char)sqlite3_column_type(q, i);
        fn(ud, &tag, 1);
        if (tag == SQLITE_INTEGER) {
            int64_t v = sqlite3_column_int64(q, i);
            fn(ud, &v, sizeof v);
        } else if (tag == SQLITE_FLOAT) {
            double v = sqlite3_column_double(q, i);
            fn(ud, &v, sizeof v);
        } else if (tag != SQLITE_NULL) {
            const unsigned char *t = sqlite3_column_text(q, i);
            uint32_t len = (uint32_t)sqlite3_column_bytes(q, i);
            fn(ud, &len, sizeof len);
            fn(ud, t, len);
        }
    }
}

int ot_store_data_feed(ot_store *st, int32_t as_of, ot_store_feed_fn fn, void *ud, ot_err *err)
{
    static const char *const sqls[] = {
        "SELECT series_id, measure, freq, ord, vintage, span, value FROM obs\n"
        "WHERE vintage <= ?1 ORDER BY series_id, measure, freq, ord, vintage",
        /* every column a run reads (release_lag: when an undated row is
         * known; names, region and unit: what its reports say) */
        "SELECT id, key, freq, kind, agg, shape, release_lag, name, name_en, region, unit, "
        "source, aliases FROM series ORDER BY id",
        "SELECT id, year, kind, series, op, value, ref, tolerance, label, shape, unit,\n"
        "  shape_from, shape_to, source FROM targets ORDER BY id",
    };
    int rc = store_flush(st, err);
    if (rc)
        return rc;
    for (size_t k = 0; k < sizeof sqls / sizeof *sqls && !rc; k++) {
        sqlite3_stmt *q = prepare(st, sqls[k], "reading the data for its hash", err);
        if (!q)
            return err ? err->code : OT_EIO;
        if (k == 0)
            sqlite3_bind_int(q, 1, as_of);
        int s;
        while ((s = sqlite3_step(q)) == SQLITE_ROW)
            feed_row(q, fn, ud);
        if (s != SQLITE_DONE)
            rc = store_sqlerr(st, s, "reading the data for its hash", err);
        sqlite3_finalize(q);
        unsigned char sep = 0xff;
        fn(ud, &sep, 1);
    }
    return rc;
}
