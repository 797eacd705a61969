/* stats.c — the per-series summary rows behind the series listing.
 *
 * series_stats holds, per series and frequency, what `ontrack series` shows:
 * the measures stored, the first and last period and the number of distinct
 * periods (any measure, any vintage).  Rows are kept in step with obs inside
 * the transaction that writes the observations, so the listing reads one
 * row per series instead of aggregating every observation.  put_obs (obs.c)
 * tells, per row it writes, whether the row's period is new to its series
 * and frequency; the changes gather here, in a hash table keyed by (series,
 * frequency), and are written by one upsert per entry before the commit (or
 * before a listing inside the transaction).  Rollback forgets them.
 */
#include <stdlib.h>

#include "store/store_int.h"

static const char SQL_STATS_GET[] =
    "SELECT measures, lo, hi FROM series_stats WHERE series_id = ?1 AND freq = ?2";
/* measures, lo and hi merge idempotently, n adds what is new since the last
 * write of the entry */
static const char SQL_STATS_PUT[] =
    "INSERT INTO series_stats(series_id, freq, measures, lo, hi, n)\n"
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)\n"
    "ON CONFLICT(series_id, freq) DO UPDATE SET\n"
    "  measures = measures | excluded.measures,\n"
    "  lo = min(lo, excluded.lo), hi = max(hi, excluded.hi), n = n + excluded.n";
/* the primary key's prefix (series_id, measure, freq, ord): four seeks */
static const char SQL_ORD_EXISTS[] =
    "SELECT 1 FROM obs\n"
    "WHERE series_id = ?1 AND measure IN (0, 1, 2, 3) AND freq = ?2 AND ord = ?3 LIMIT 1";

static const char freq_chars[] = "DMQY"; /* by obs_row.freq */

static size_t slot_of(int64_t sid, int freq, size_t cap)
{
    uint64_t x = ((uint64_t)sid << 2 | (uint64_t)freq) * 0x9E3779B97F4A7C15u;
    return (size_t)(x >> 32) & (cap - 1);
}

/* Doubles the table (or makes the first, of 64 slots); OT_ENOMEM on failure,
 * the old table intact. */
static int grow(ot_store *st, ot_err *err)
{
    size_t cap = st->scap ? 2 * st->scap : 64;
    stats_acc *t = calloc(cap, sizeof *t);
    if (!t)
        return ot_err_set(err, OT_ENOMEM, "out of memory");
    for (size_t i = 0; i < st->scap; i++) {
        if (!st->sacc[i].sid)
            continue;
        size_t j = slot_of(st->sacc[i].sid, st->sacc[i].freq, cap);
        while (t[j].sid)
            j = (j + 1) & (cap - 1);
        t[j] = st->sacc[i];
    }
    free(st->sacc);
    st->sacc = t;
    st->scap = cap;
    st->slast = 0;
    return OT_OK;
}

/* Reads the stored row of (sid, freq) into a; leaves a empty when none. */
static int load(ot_store *st, stats_acc *a, ot_err *err)
{
    sqlite3_stmt *q = store_stmt(st, S_STATS_GET, SQL_STATS_GET, err);
    if (!q)
        return err ? err->code : OT_EIO;
    sqlite3_bind_int64(q, 1, a->sid);
    sqlite3_bind_text(q, 2, &freq_chars[a->freq], 1, SQLITE_STATIC);
    int s = sqlite3_step(q);
    if (s == SQLITE_ROW) {
        a->measures = (uint8_t)sqlite3_column_int(q, 0);
        a->lo = sqlite3_column_int(q, 1);
        a->hi = sqlite3_column_int(q, 2);
    }
    sqlite3_reset(q);
    return s == SQLITE_ROW || s == SQLITE_DONE ? OT_OK
                                               : store_sqlerr(st, s, "reading series statistics", err);
}

int stats_get(ot_store *st, int64_t sid, int freq, stats_acc **out, ot_err *err)
{
    if (st->scap) {
        stats_acc *a = &st->sacc[st->slast];
        if (a->sid == sid && a->freq == freq) {
            *out = a;
            return OT_OK;
        }
    }
    if (2 * (st->sn + 1) > st->scap) {
        int rc = grow(st, err);
        if (rc)
            return rc;
    }
    size_t i = slot_of(sid, freq, st->scap);
    while (st->sacc[i].sid && !(st->sacc[i].sid == sid && st->sacc[i].freq == freq))
        i = (i + 1) & (st->scap - 1);
    stats_acc *a = &st->sacc[i];
    if (!a->sid) {
        *a = (stats_acc){.sid = sid, .lo = INT32_MAX, .hi = INT32_MIN, .freq = (uint8_t)freq};
        /* a series made in this transaction has no stored row */
        if (sid <= st->fresh_after) {
            int rc = load(st, a, err);
            if (rc) {
                a->sid = 0;
                return rc;
            }
        }
        st->sn++;
    }
    st->slast = i;
    *out = a;
    return OT_OK;
}

void stats_note(stats_acc *a, int measure, int32_t ord, int new_ord)
{
    a->measures |= (uint8_t)(1u << measure);
    if (new_ord) {
        a->dn++;
        if (ord < a->lo)
            a->lo = ord;
        if (ord > a->hi)
            a->hi = ord;
    }
    a->dirty = 1;
}

int stats_ord_exists(ot_store *st, int64_t sid, int freq, int32_t ord, int *exists, ot_err *err)
{
    for (size_t i = 0; i < st->npend; i++) {
        const obs_row *r = &st->pend[i];
        if (r->sid == sid && r->freq == freq && r->ord == ord) {
            *exists = 1;
            return OT_OK;
        }
    }
    sqlite3_stmt *q = store_stmt(st, S_ORD_EXISTS, SQL_ORD_EXISTS, err);
    if (!q)
        return err ? err->code : OT_EIO;
    sqlite3_bind_int64(q, 1, sid);
    sqlite3_bind_text(q, 2, &freq_chars[freq], 1, SQLITE_STATIC);
    sqlite3_bind_int(q, 3, ord);
    int s = sqlite3_step(q);
    sqlite3_reset(q);
    if (s != SQLITE_ROW && s != SQLITE_DONE)
        return store_sqlerr(st, s, "reading observations", err);
    *exists = s == SQLITE_ROW;
    return OT_OK;
}

/* One upsert per changed entry; the entries stay (with nothing new counted)
 * because the rest of the transaction still decides from them. */
int stats_flush(ot_store *st, ot_err *err)
{
    sqlite3_stmt *q = NULL;
    for (size_t i = 0; i < st->scap; i++) {
        stats_acc *a = &st->sacc[i];
        if (!a->sid || !a->dirty)
            continue;
        if (!q && !(q = store_stmt(st, S_STATS_PUT, SQL_STATS_PUT, err)))
            return err ? err->code : OT_EIO;
        sqlite3_bind_int64(q, 1, a->sid);
        sqlite3_bind_text(q, 2, &freq_chars[a->freq], 1, SQLITE_STATIC);
        sqlite3_bind_int(q, 3, a->measures);
        sqlite3_bind_int(q, 4, a->lo);
        sqlite3_bind_int(q, 5, a->hi);
        sqlite3_bind_int64(q, 6, a->dn);
        int s = sqlite3_step(q);
        sqlite3_reset(q);
        if (s != SQLITE_DONE)
            return store_sqlerr(st, s, "storing series statistics", err);
        a->dn = 0;
        a->dirty = 0;
    }
    return OT_OK;
}

void stats_drop(ot_store *st)
{
    free(st->sacc);
    st->sacc = NULL;
    st->scap = st->sn = st->slast = 0;
}
