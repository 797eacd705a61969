/* obs.c — observations: adding them as vintages and reading a series as
 * known at a date.
 *
 * A row of obs is one figure of one series, measure and period as released
 * on its vintage date; rows are never updated.  The primary key (series_id,
 * measure, freq, ord, vintage) makes both "the latest vintage on or before D
 * of this period" (put) and "of every period" (read) range scans.
 */
#include "store/store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "store/store_int.h"

static const char SQL_LATEST[] =
    "SELECT value, span, vintage, import_id FROM obs\n"
    "WHERE series_id = ?1 AND measure = ?2 AND freq = ?3 AND ord = ?4 AND vintage <= ?5\n"
    "ORDER BY vintage DESC LIMIT 1";
static const char SQL_LATER[] =
    "SELECT value, span, vintage, import_id FROM obs\n"
    "WHERE series_id = ?1 AND measure = ?2 AND freq = ?3 AND ord = ?4 AND vintage > ?5\n"
    "ORDER BY vintage DESC LIMIT 1";
static const char SQL_INSERT[] =
    "INSERT INTO obs(series_id, measure, freq, ord, vintage, span, value, source, import_id)\n"
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
static const char SQL_SEEN_INSERT[] =
    "INSERT INTO temp.put_seen VALUES (?6, ?1, ?2, ?3, ?4, ?5)";
static const char SQL_SEEN_FIND[] =
    "SELECT 1 FROM temp.put_seen\n"
    "WHERE import_id = ?6 AND series_id = ?1 AND measure = ?2 AND freq = ?3 AND ord = ?4\n"
    "  AND vintage = ?5";

/* Binds ?1..?5 (and ?6 = import_id when the statement has it). */
static void bind_key(sqlite3_stmt *q, int64_t sid, ot_measure m, ot_period p, int32_t v,
                     int64_t import_id)
{
    sqlite3_bind_int64(q, 1, sid);
    sqlite3_bind_int(q, 2, (int)m);
    sqlite3_bind_text(q, 3, ot_freq_name(p.freq), 1, SQLITE_STATIC);
    sqlite3_bind_int(q, 4, p.ord);
    sqlite3_bind_int(q, 5, v);
    if (sqlite3_bind_parameter_count(q) >= 6)
        sqlite3_bind_int64(q, 6, import_id);
}

/* One stored row of (sid, m, p) by the statement sql (SQL_LATEST: the
 * latest at or before vintage v; SQL_LATER: the latest after it). */
typedef struct stored_row {
    int have;
    double value;
    int span;
    int32_t vintage;
    int64_t import;
} stored_row;

static int read_obs_row(ot_store *st, enum stmt_id which, const char *sql, int64_t sid,
                        ot_measure m, ot_period p, int32_t v, stored_row *o, ot_err *err)
{
    sqlite3_stmt *q = store_stmt(st, which, sql, err);
    if (!q)
        return err ? err->code : OT_EIO;
    bind_key(q, sid, m, p, v, 0);
    int s = sqlite3_step(q);
    if (s != SQLITE_ROW && s != SQLITE_DONE) {
        sqlite3_reset(q);
        return store_sqlerr(st, s, "reading observations", err);
    }
    o->have = s == SQLITE_ROW;
    o->value = o->have ? sqlite3_column_double(q, 0) : NAN;
    o->span = o->have ? sqlite3_column_int(q, 1) : 0;
    o->vintage = o->have ? sqlite3_column_int(q, 2) : 0;
    o->import = o->have ? sqlite3_column_int64(q, 3) : 0;
    sqlite3_reset(q);
    return OT_OK;
}

/* The series id of key, through the one-entry cache. */
static int cached_id(ot_store *st, const char *key, ot_freq f, int64_t *id, ot_err *err)
{
    if (st->last_id && st->last_key && strcmp(st->last_key, key) == 0) {
        *id = st->last_id;
        return OT_OK;
    }
    int rc = store_text_check("observation", "series key", key, err);
    if (rc || (rc = store_series_id(st, key, f, id, err)))
        return rc;
    size_t len = strlen(key) + 1;
    if (len > st->last_key_cap) {
        char *k = realloc(st->last_key, len);
        if (!k)
            return OT_OK; /* only the cache is lost */
        st->last_key = k;
        st->last_key_cap = len;
    }
    memcpy(st->last_key, key, len);
    st->last_id = *id;
    return OT_OK;
}

static int duplicate(ot_err *err, const char *key, ot_measure m, ot_period p, int32_t vintage)
{
    char ps[OT_PERIOD_STRMAX], vs[32] = "";
    ot_period_format(p, ps, sizeof ps);
    if (vintage != OT_VINTAGE_NONE) {
        char d[16];
        ot_date_format(vintage, d, sizeof d);
        snprintf(vs, sizeof vs, " vintage %s", d);
    }
    return ot_err_set(err, OT_EDATA, "duplicate row: %s %s %s%s was already given in this import",
                      key, ot_measure_name(m), ps, vs);
}

/* ---- the insert batch ---------------------------------------------------
 *
 * Rows of a series created in the open transaction whose key (measure, freq,
 * period, vintage) is greater than every key inserted into that series so
 * far cannot clash with anything stored: the series holds only this
 * transaction's rows.  They skip the lookup and wait in a batch written
 * by one INSERT of OBS_BATCH rows, which saves SQLite's per-statement work.
 * Any other row first flushes the batch, then takes the full decision.  A
 * sorted first import (the common case, and the benchmark's) thus costs one
 * B-tree insert per row and one statement per OBS_BATCH rows.
 */

/* Whether the key of h (of the same series) is below that of r: measure,
 * freq, period, vintage, compared in that order. */
static int hw_below(const obs_hw *h, const obs_row *r)
{
#define CMP(f) if (h->f != r->f) return h->f < r->f
    CMP(measure);
    CMP(freq);
    CMP(ord);
    CMP(vintage);
#undef CMP
    return 0;
}

/* Binds row r, with source text src (NULL = none), to parameters base+1 ..
 * base+9 of q. */
static void bind_row(sqlite3_stmt *q, int base, const obs_row *r, const char *src)
{
    static const char freqs[] = "DMQY";
    sqlite3_bind_int64(q, base + 1, r->sid);
    sqlite3_bind_int(q, base + 2, r->measure);
    sqlite3_bind_text(q, base + 3, &freqs[r->freq], 1, SQLITE_STATIC);
    sqlite3_bind_int(q, base + 4, r->ord);
    sqlite3_bind_int(q, base + 5, r->vintage);
    sqlite3_bind_int(q, base + 6, r->span);
    sqlite3_bind_double(q, base + 7, r->value);
    if (src)
        sqlite3_bind_text(q, base + 8, src, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(q, base + 8);
    if (r->import_id)
        sqlite3_bind_int64(q, base + 9, r->import_id);
    else
        sqlite3_bind_null(q, base + 9);
}

static int freq_index(ot_freq f)
{
    return f == OT_FREQ_D ? 0 : f == OT_FREQ_M ? 1 : f == OT_FREQ_Q ? 2 : 3;
}

/* Inserts one row; returns the SQLite code of the step (SQLITE_DONE on
 * success), or -1 with err set when the statement cannot be prepared. */
static int insert1(ot_store *st, const obs_row *r, const char *src, ot_err *err)
{
    /* every parameter is bound each time, so no clearing */
    sqlite3_stmt *q = st->stmt[S_OBS_INSERT];
    if (!q && !(q = store_stmt(st, S_OBS_INSERT, SQL_INSERT, err)))
        return -1;
    bind_row(q, 0, r, src);
    int s = sqlite3_step(q);
    sqlite3_reset(q);
    return s;
}

/* The OBS_BATCH-row INSERT, built and prepared on first use. */
static sqlite3_stmt *batch_stmt(ot_store *st, ot_err *err)
{
    if (st->stmt[S_OBS_INSERT_BATCH])
        return st->stmt[S_OBS_INSERT_BATCH];
    static const char head[] = "INSERT INTO obs(series_id, measure, freq, ord, vintage, span, "
                               "value, source, import_id) VALUES ";
    static const char tuple[] = ",(?,?,?,?,?,?,?,?,?)";
    char sql[sizeof head + OBS_BATCH * (sizeof tuple - 1)];
    size_t n = sizeof head - 1;
    memcpy(sql, head, n);
    for (int i = 0; i < OBS_BATCH; i++) {
        memcpy(sql + n, tuple + (i == 0), sizeof tuple - 1 - (i == 0));
        n += sizeof tuple - 1 - (i == 0);
    }
    sql[n] = '\0';
    sqlite3_stmt *q;
    int rc = sqlite3_prepare_v3(st->db, sql, (int)n, SQLITE_PREPARE_PERSISTENT, &q, NULL);
    if (rc != SQLITE_OK) {
        store_sqlerr(st, rc, "preparing a statement", err);
        return NULL;
    }
    return st->stmt[S_OBS_INSERT_BATCH] = q;
}

static const char *pending_source(const ot_store *st, const obs_row *r)
{
    return r->source ? st->arena + r->source - 1 : NULL;
}

void store_drop_pending(ot_store *st)
{
    st->npend = 0;
    st->alen = 0;
    free(st->hw);
    st->hw = NULL;
    st->nhw = 0;
}

/* The high-water slot of new series sid, grown on demand; NULL when sid is
 * not new in this transaction or past the cap (those rows take the full
 * path), or memory runs out (then no row takes the fast path any more). */
#define HW_MAX (1u << 18) /* 6 MiB of obs_hw at most */
static obs_hw *hw_slot(ot_store *st, int64_t sid)
{
    if (sid <= st->fresh_after)
        return NULL;
    uint64_t off = (uint64_t)(sid - st->fresh_after - 1);
    if (off >= HW_MAX)
        return NULL;
    if (off >= st->nhw) {
        size_t nc = st->nhw ? st->nhw : 64;
        while (nc <= off)
            nc *= 2;
        obs_hw *n = realloc(st->hw, nc * sizeof *n);
        if (!n) { /* no fast path for the rest of the transaction: always safe */
            st->fresh_after = INT64_MAX;
            return NULL;
        }
        memset(n + st->nhw, 0, (nc - st->nhw) * sizeof *n);
        st->hw = n;
        st->nhw = nc;
    }
    return &st->hw[off];
}

int store_flush(ot_store *st, ot_err *err)
{
    size_t i = 0;
    int s = SQLITE_DONE;
    if (st->npend == OBS_BATCH) {
        sqlite3_stmt *q = batch_stmt(st, err);
        if (!q) {
            store_drop_pending(st);
            return err ? err->code : OT_EIO;
        }
        for (int k = 0; k < OBS_BATCH; k++)
            bind_row(q, 9 * k, &st->pend[k], pending_source(st, &st->pend[k]));
        s = sqlite3_step(q);
        sqlite3_reset(q);
        i = OBS_BATCH;
    }
    for (; i < st->npend && s == SQLITE_DONE; i++)
        s = insert1(st, &st->pend[i], pending_source(st, &st->pend[i]), err);
    st->npend = 0;
    st->alen = 0;
    if (s == SQLITE_DONE)
        return OT_OK;
    store_drop_pending(st);
    return s < 0 ? (err ? err->code : OT_EIO) : store_sqlerr(st, s, "storing observations", err);
}

/* Appends r (its source copied into the arena) to the batch; writes the
 * batch when full. */
static int enqueue(ot_store *st, obs_row r, const char *source, ot_err *err)
{
    if (!st->pend && !(st->pend = malloc(OBS_BATCH * sizeof *st->pend)))
        return ot_err_set(err, OT_ENOMEM, "out of memory");
    if (source && *source) {
        size_t len = strlen(source) + 1;
        if (st->alen + len > st->acap) {
            size_t nc = st->acap ? st->acap : 4096;
            while (nc < st->alen + len)
                nc *= 2;
            char *na = realloc(st->arena, nc);
            if (!na)
                return ot_err_set(err, OT_ENOMEM, "out of memory");
            st->arena = na;
            st->acap = nc;
        }
        memcpy(st->arena + st->alen, source, len);
        r.source = st->alen + 1;
        st->alen += len;
    }
    st->pend[st->npend++] = r;
    return st->npend == OBS_BATCH ? store_flush(st, err) : OT_OK;
}

/* Records in temp.put_seen a row of import_id skipped as unchanged, so that
 * a later duplicate of it in the same import is still caught. */
static int remember_unchanged(ot_store *st, int64_t sid, ot_measure m, ot_period p, int32_t v,
                              int64_t import_id, ot_err *err)
{
    if (!import_id)
        return OT_OK;
    sqlite3_stmt *q = store_stmt(st, S_SEEN_INSERT, SQL_SEEN_INSERT, err);
    if (!q)
        return err ? err->code : OT_EIO;
    bind_key(q, sid, m, p, v, import_id);
    int s = sqlite3_step(q);
    sqlite3_reset(q);
    if (s != SQLITE_DONE)
        return store_sqlerr(st, s, "recording an unchanged row", err);
    st->nseen++;
    return OT_OK;
}

/* The row is the same as one stored: nothing written (remembered for the
 * import's duplicate check). */
static int put_unchanged(ot_store *st, int64_t sid, ot_measure m, ot_period p, int32_t v,
                         int64_t import_id, ot_put_result *res, ot_err *err)
{
    int rc = remember_unchanged(st, sid, m, p, v, import_id, err);
    if (rc == OT_OK && res)
        *res = OT_PUT_UNCHANGED;
    return rc;
}

/* One lookup of the latest vintage on or before v decides: unchanged (record
 * the row in temp.put_seen, so a later duplicate of it is still caught),
 * conflict, or insert.  Rows of this import are recognised by import_id. */
static int put(ot_store *st, const char *key, ot_measure m, ot_period p, double value,
               int32_t vintage, const char *source, int64_t import_id, ot_put_result *res,
               ot_err *err)
{
    int64_t sid;
    int rc = cached_id(st, key, p.freq, &sid, err);
    if (rc)
        return rc;
    int32_t v = vintage != OT_VINTAGE_NONE ? vintage : ot_period_last_day(p.freq, p.ord);
    obs_row r = {sid, import_id, p.ord, v, (int)m, p.span, freq_index(p.freq), value, 0};

    obs_hw *hw = hw_slot(st, sid);
    stats_acc *a;
    if (hw && (!hw->set || hw_below(hw, &r))) {
        /* hw, when of the same period, is its latest vintage: rule 2 */
        int period = hw->set && hw->measure == r.measure && hw->freq == r.freq && hw->ord == r.ord;
        int same = period && hw->value == r.value && hw->span == r.span;
        if (!same) {
            /* A period is new to the series unless it is hw's (another vintage)
             * or, when other measures are stored, one of theirs.  Rows of one
             * measure come in increasing periods (the key is above hw). */
            int fresh = !period, exists;
            if ((rc = stats_get(st, sid, r.freq, &a, err)))
                return rc;
            if (fresh && (a->measures & ~(1u << r.measure)) && r.ord >= a->lo && r.ord <= a->hi) {
                if ((rc = stats_ord_exists(st, sid, r.freq, r.ord, &exists, err)))
                    return rc;
                fresh = !exists;
            }
            stats_note(a, r.measure, r.ord, fresh);
        }
        if (same ? (rc = remember_unchanged(st, sid, m, p, v, import_id, err))
                 : (rc = enqueue(st, r, source, err)))
            return rc;
        *hw = (obs_hw){r.ord, r.vintage, 1, (int8_t)r.measure, (int8_t)r.freq, (int8_t)r.span,
                       r.value};
        if (res)
            *res = same ? OT_PUT_UNCHANGED : OT_PUT_INSERTED;
        return OT_OK;
    }
    if ((rc = store_flush(st, err)))
        return rc;

    int s;
    sqlite3_stmt *q;
    stored_row latest;
    if ((rc = read_obs_row(st, S_OBS_LATEST, SQL_LATEST, sid, m, p, v, &latest, err)))
        return rc;

    if (import_id) {
        if (latest.have && latest.vintage == v && latest.import == import_id)
            return duplicate(err, key, m, p, vintage);
        if (st->nseen > 0) {
            if (!(q = store_stmt(st, S_SEEN_FIND, SQL_SEEN_FIND, err)))
                return err ? err->code : OT_EIO;
            bind_key(q, sid, m, p, v, import_id);
            s = sqlite3_step(q);
            sqlite3_reset(q);
            if (s == SQLITE_ROW)
                return duplicate(err, key, m, p, vintage);
            if (s != SQLITE_DONE)
                return store_sqlerr(st, s, "reading observations", err);
        }
    }
    if (latest.have && latest.value == value && latest.span == p.span)
        return put_unchanged(st, sid, m, p, v, import_id, res, err);
    /* An undated figure counts from its period's end: stored so, it would
     * sit before a dated figure of the period and never be read as the
     * latest.  The same figure as the latest is nothing new; another one
     * needs its release date to be placed (storage.md, rule 2). */
    if ((rc = stats_get(st, sid, r.freq, &a, err)))
        return rc;
    if (vintage == OT_VINTAGE_NONE && r.ord >= a->lo && r.ord <= a->hi) { /* else none stored */
        stored_row next;
        if ((rc = read_obs_row(st, S_OBS_LATER, SQL_LATER, sid, m, p, v, &next, err)))
            return rc;
        if (next.have && next.value == value && next.span == p.span)
            return put_unchanged(st, sid, m, p, v, import_id, res, err);
        if (next.have) {
            char ps[OT_PERIOD_STRMAX], d[16], so[OT_FMT_DOUBLE_MAX], sv[OT_FMT_DOUBLE_MAX];
            ot_period_format(p, ps, sizeof ps);
            ot_date_format(next.vintage, d, sizeof d);
            return ot_err_set(err, OT_EDATA,
                              "%s %s %s is stored as %s released %s; an undated figure, %s, "
                              "would count from before that and never be read: give it its "
                              "release date (a vintage column or --as-of)",
                              key, ot_measure_name(m), ps, ot_fmt_double(next.value, so, sizeof so), d,
                              ot_fmt_double(value, sv, sizeof sv));
        }
    }
    if (latest.have && latest.vintage == v) {
        char ps[OT_PERIOD_STRMAX], d[16], so[OT_FMT_DOUBLE_MAX], sv[OT_FMT_DOUBLE_MAX];
        ot_period_format(p, ps, sizeof ps);
        ot_date_format(v, d, sizeof d);
        if (latest.value == value) { /* the same figure, covering other months */
            ot_period was = p;
            was.span = latest.span;
            char qs[OT_PERIOD_STRMAX];
            ot_period_format(was, qs, sizeof qs);
            return ot_err_set(err, OT_EDATA,
                              "%s %s %s is stored as %s for %s; the same figure given for %s "
                              "(%s) changes what it covers, which needs a %s (a vintage column "
                              "or --as-of)",
                              key, ot_measure_name(m), qs, ot_fmt_double(value, so, sizeof so),
                              latest.span == 2 ? "January–February" : "February alone",
                              p.span == 2 ? "January–February" : "February alone", ps,
                              vintage == OT_VINTAGE_NONE ? "release date" : "later vintage");
        }
        if (vintage == OT_VINTAGE_NONE) /* both undated: no date to name */
            return ot_err_set(err, OT_EDATA,
                              "%s %s %s is stored as %s without a release date; a revised "
                              "figure needs its release date (a vintage column or --as-of), "
                              "found %s",
                              key, ot_measure_name(m), ps, ot_fmt_double(latest.value, so, sizeof so),
                              ot_fmt_double(value, sv, sizeof sv));
        return ot_err_set(err, OT_EDATA,
                          "%s %s %s is stored as %s for vintage %s; a revised figure "
                          "needs a later vintage (a vintage column or --as-of), found %s",
                          key, ot_measure_name(m), ps, ot_fmt_double(latest.value, so, sizeof so), d,
                          ot_fmt_double(value, sv, sizeof sv));
    }

    /* The period is new to the series unless this measure has it at an
     * earlier vintage, or the stored range holds it and a row of any measure
     * or vintage does. */
    int fresh = !latest.have, exists;
    if (fresh && r.ord >= a->lo && r.ord <= a->hi) {
        if ((rc = stats_ord_exists(st, sid, r.freq, r.ord, &exists, err)))
            return rc;
        fresh = !exists;
    }
    s = insert1(st, &r, source && *source ? source : NULL, err);
    if (s != SQLITE_DONE)
        return s < 0 ? (err ? err->code : OT_EIO)
                     : store_sqlerr(st, s, "storing an observation", err);
    stats_note(a, r.measure, r.ord, fresh);
    if (res)
        *res = OT_PUT_INSERTED;
    return OT_OK;
}

int ot_store_put_obs(ot_store *st, const char *key, ot_measure m, ot_period p, double value,
                     int32_t vintage, const char *source, int64_t import_id,
                     ot_put_result *res, ot_err *err)
{
    if (!key || !*key)
        return ot_err_set(err, OT_EINVAL, "observation without a series key");
    if (m < 0 || m >= OT_MEASURE_COUNT)
        return ot_err_set(err, OT_EINVAL, "%s: bad measure %d", key, (int)m);
    if (!*ot_freq_name(p.freq) || (p.span != 1 && !(p.span == 2 && p.freq == OT_FREQ_M)))
        return ot_err_set(err, OT_EINVAL, "%s: bad period (frequency %d, span %d)", key,
                          (int)p.freq, p.span);
    if (isnan(value))
        return ot_err_set(err, OT_EINVAL, "%s: missing values are not stored", key);
    if (isinf(value)) /* import reads no infinite number either */
        return ot_err_set(err, OT_EDATA, "%s is not a number that can be stored",
                          value < 0 ? "-inf" : "inf");
    int own, rc = store_wbegin(st, &own, err);
    if (rc)
        return rc;
    rc = put(st, key, m, p, value, vintage, source, import_id, res, err);
    return store_wend(st, own, rc, err);
}

/* ---- reading ------------------------------------------------------------ */

int ot_store_release_lag(ot_freq freq, int lag)
{
    if (lag >= 0)
        return lag;
    switch (freq) {
    case OT_FREQ_D: return OT_LAG_D;
    case OT_FREQ_M: return OT_LAG_M;
    case OT_FREQ_Q: return OT_LAG_Q;
    default: return OT_LAG_Y;
    }
}

static const char SQL_SETS[] =
    "SELECT measure, freq FROM obs WHERE series_id = ?1 GROUP BY measure, freq";
/* max(vintage) makes SQLite take the other columns from the row holding it. */
static const char SQL_READ[] =
    "SELECT ord, span, value, max(vintage) FROM obs\n"
    "WHERE series_id = ?1 AND measure = ?2 AND freq = ?3 AND vintage <= ?4\n"
    "GROUP BY ord ORDER BY ord";
/* Every row known by as_of at the latest, newest first per period: the
 * release lag may make a vintage counted later than it says (read()). */
static const char SQL_READ_LAG[] =
    "SELECT ord, span, value, vintage FROM obs\n"
    "WHERE series_id = ?1 AND measure = ?2 AND freq = ?3 AND vintage <= ?4\n"
    "ORDER BY ord, vintage DESC";
static const char SQL_FIRST_VINTAGE[] =
    "SELECT min(vintage) FROM obs WHERE series_id = ?1 AND measure = ?2 AND freq = ?3";
static const char SQL_SERIES_ROW[] =
    "SELECT id, name, unit, kind, freq, release_lag, agg FROM series WHERE key = ?1";

/* "value, ytd" or "M, Y": the names of the bits set in mask. */
static void list_names(unsigned mask, int freqs, char *buf, size_t cap)
{
    static const ot_freq fs[] = {OT_FREQ_D, OT_FREQ_M, OT_FREQ_Q, OT_FREQ_Y};
    size_t len = 0;
    buf[0] = '\0';
    for (int i = 0; i < 4; i++) {
        if (!(mask & (1u << i)))
            continue;
        const char *n = freqs ? ot_freq_name(fs[i]) : ot_measure_name((ot_measure)i);
        len += (size_t)snprintf(buf + len, len < cap ? cap - len : 0, "%s%s", len ? ", " : "", n);
    }
}

static int freq_bit(ot_freq f)
{
    switch (f) {
    case OT_FREQ_D: return 1;
    case OT_FREQ_M: return 2;
    case OT_FREQ_Q: return 4;
    case OT_FREQ_Y: return 8;
    default: return 0;
    }
}

static ot_freq bit_freq(unsigned mask)
{
    return mask == 1 ? OT_FREQ_D : mask == 2 ? OT_FREQ_M : mask == 4 ? OT_FREQ_Q : OT_FREQ_Y;
}

/* Chooses the measure and frequency to read from what is stored. */
static int choose(ot_store *st, const char *key, int64_t sid, ot_freq meta_freq,
                  const ot_read_opts *o, ot_measure *m, ot_freq *f, ot_err *err)
{
    unsigned freqs_of[OT_MEASURE_COUNT] = {0}, measures = 0;
    sqlite3_stmt *q = store_stmt(st, S_OBS_SETS, SQL_SETS, err);
    if (!q)
        return err ? err->code : OT_EIO;
    sqlite3_bind_int64(q, 1, sid);
    int s;
    while ((s = sqlite3_step(q)) == SQLITE_ROW) {
        int mi = sqlite3_column_int(q, 0);
        const char *fs = (const char *)sqlite3_column_text(q, 1);
        if (mi >= 0 && mi < OT_MEASURE_COUNT && fs) {
            freqs_of[mi] |= (unsigned)freq_bit(ot_freq_parse(fs));
            measures |= 1u << mi;
        }
    }
    sqlite3_reset(q);
    if (s != SQLITE_DONE)
        return store_sqlerr(st, s, "reading observations", err);
    if (!measures)
        return ot_err_set(err, OT_ENOTFOUND, "series '%s' has no observations", key);

    char names[64];
    list_names(measures, 0, names, sizeof names);
    ot_measure mm = o->measure;
    if (mm == OT_MEASURE_ANY) {
        for (mm = OT_MEASURE_VALUE; !(measures & (1u << mm)); mm++)
            ;
        if (measures & (measures - 1))
            return ot_err_set(err, OT_EINVAL,
                              "series '%s' stores several measures (%s): say which, e.g. "
                              "{measure = \"%s\"} (--measure %s on the command line)",
                              key, names, ot_measure_name(mm), ot_measure_name(mm));
    } else if (mm < 0 || mm >= OT_MEASURE_COUNT || !(measures & (1u << mm))) {
        return ot_err_set(err, OT_ENOTFOUND, "series '%s' has no '%s' observations (stored: %s)",
                          key, ot_measure_name(mm), names);
    }

    unsigned fm = freqs_of[mm];
    list_names(fm, 1, names, sizeof names);
    ot_freq ff;
    if (o->freq != OT_FREQ_NONE) {
        if (!(fm & (unsigned)freq_bit(o->freq)))
            return ot_err_set(err, OT_ENOTFOUND, "series '%s' has no %s %s observations (stored: %s)",
                              key, ot_freq_name(o->freq), ot_measure_name(mm), names);
        ff = o->freq;
    } else if (!(fm & (fm - 1))) {
        ff = bit_freq(fm);
    } else if (fm & (unsigned)freq_bit(meta_freq)) {
        ff = meta_freq;
    } else {
        return ot_err_set(err, OT_EINVAL,
                          "series '%s' stores %s at several frequencies (%s): say which", key,
                          ot_measure_name(mm), names);
    }
    *m = mm;
    *f = ff;
    return OT_OK;
}

typedef struct row {
    ot_ord ord;
    int span;
    double value;
} row;

/* Collects the rows (one per period) then lays them out as a series; the
 * row buffer is the only memory besides the result. */
int ot_store_read(ot_store *st, const char *key, const ot_read_opts *o, const ot_alloc *a,
                  ot_series **out, ot_err *err)
{
    static const ot_read_opts defaults = OT_READ_OPTS_INIT;
    if (!o)
        o = &defaults;
    if (!key || !*key)
        return ot_err_set(err, OT_EINVAL, "no series key given");
    int rc = store_flush(st, err); /* rows batched by put_obs in this transaction */
    if (rc)
        return rc;

    row *rows = NULL;
    char *name = NULL, *unit = NULL;
    ot_series *r = NULL;
    int s;

    sqlite3_stmt *q = store_stmt(st, S_SERIES_ROW, SQL_SERIES_ROW, err);
    if (!q)
        return err ? err->code : OT_EIO;
    sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
    if ((s = sqlite3_step(q)) != SQLITE_ROW) {
        sqlite3_reset(q);
        return s == SQLITE_DONE ? store_unknown_key(st, key, err)
                                : store_sqlerr(st, s, "reading a series", err);
    }
    int oom = 0;
    int64_t sid = sqlite3_column_int64(q, 0);
    name = store_col_strdup(q, 1, &oom);
    unit = store_col_strdup(q, 2, &oom);
    const char *t = (const char *)sqlite3_column_text(q, 3);
    int kind = t ? ot_kind_parse(t) : -1;
    t = (const char *)sqlite3_column_text(q, 4);
    ot_freq meta_freq = t ? ot_freq_parse(t) : OT_FREQ_NONE;
    int lag = sqlite3_column_type(q, 5) == SQLITE_INTEGER ? sqlite3_column_int(q, 5) : -1;
    t = (const char *)sqlite3_column_text(q, 6);
    int agg = t ? ot_agg_parse(t) : -1;
    sqlite3_reset(q);
    if (oom) {
        rc = ot_err_set(err, OT_ENOMEM, "out of memory reading '%s'", key);
        goto done;
    }

    ot_measure m = OT_MEASURE_VALUE;
    ot_freq f = OT_FREQ_NONE;
    if ((rc = choose(st, key, sid, meta_freq, o, &m, &f, err)))
        goto done;

    /* As of a date, a row without a vintage (stored on its period's last
     * day) counts from that day plus the release lag: all rows up to as_of
     * are read, newest first per period, and the first that counts wins. */
    int lagged = o->as_of != OT_ASOF_LATEST;
    lag = ot_store_release_lag(f, lag);
    if (lagged ? !(q = store_stmt(st, S_OBS_READ_LAG, SQL_READ_LAG, err))
               : !(q = store_stmt(st, S_OBS_READ, SQL_READ, err))) {
        rc = err ? err->code : OT_EIO;
        goto done;
    }
    sqlite3_bind_int64(q, 1, sid);
    sqlite3_bind_int(q, 2, (int)m);
    sqlite3_bind_text(q, 3, ot_freq_name(f), 1, SQLITE_STATIC);
    sqlite3_bind_int(q, 4, o->as_of);
    size_t n = 0, cap = 0;
    int32_t released = 0; /* the first release date of a row held back by the lag */
    while ((s = sqlite3_step(q)) == SQLITE_ROW) {
        if (lagged) {
            ot_ord ord = (ot_ord)sqlite3_column_int(q, 0);
            int32_t v = sqlite3_column_int(q, 3);
            if (n && rows[n - 1].ord == ord)
                continue; /* a newer row of this period counted */
            if (v == ot_period_last_day(f, ord) && (int64_t)v + lag > o->as_of) {
                if (!released || v + lag < released)
                    released = v + lag; /* undated, not yet released */
                continue;
            }
        }
        if (n == cap) {
            size_t nc = cap ? 2 * cap : 64;
            row *nr = realloc(rows, nc * sizeof *nr);
            if (!nr) {
                sqlite3_reset(q);
                rc = ot_err_set(err, OT_ENOMEM, "out of memory reading '%s'", key);
                goto done;
            }
            rows = nr;
            cap = nc;
        }
        rows[n].ord = (ot_ord)sqlite3_column_int(q, 0);
        rows[n].span = sqlite3_column_int(q, 1);
        rows[n].value = sqlite3_column_double(q, 2);
        n++;
    }
    sqlite3_reset(q);
    if (s != SQLITE_DONE) {
        rc = store_sqlerr(st, s, "reading observations", err);
        goto done;
    }
    if (n == 0 && o->empty) {
        /* known of the series: its key, names, unit and frequency; of its
         * figures, none yet: an empty series at the period of as_of */
        if (!(r = ot_series_new(a, f, ot_period_convert(OT_FREQ_D, o->as_of, f), 0, err))) {
            rc = err ? err->code : OT_ENOMEM;
            goto done;
        }
    } else if (n == 0) {
        /* Something is stored (choose found it), but all of it later. */
        int32_t first = 0;
        if ((q = store_stmt(st, S_OBS_FIRST_VINTAGE, SQL_FIRST_VINTAGE, NULL))) {
            sqlite3_bind_int64(q, 1, sid);
            sqlite3_bind_int(q, 2, (int)m);
            sqlite3_bind_text(q, 3, ot_freq_name(f), 1, SQLITE_STATIC);
            if (sqlite3_step(q) == SQLITE_ROW)
                first = sqlite3_column_int(q, 0);
            sqlite3_reset(q);
        }
        char asof[16], fv[16];
        ot_date_format(o->as_of, asof, sizeof asof);
        ot_date_format(released ? released : first, fv, sizeof fv);
        if (released)
            rc = ot_err_set(err, OT_ENOTFOUND,
                            "nothing of '%s' (%s) was known as of %s: its first figure counts "
                            "from %s (undated, released %d days after its period)",
                            key, ot_measure_name(m), asof, fv, lag);
        else
            rc = ot_err_set(err, OT_ENOTFOUND,
                            "nothing of '%s' (%s) was known as of %s: its first vintage is %s",
                            key, ot_measure_name(m), asof, fv);
        goto done;
    }

    /* Bounds on what the file says: a crafted span or ord must not make us
     * allocate gigabytes (no stored series spans more than 10,000 years of days). */
    for (size_t i = 0; i < n; i++)
        if (rows[i].span < 1 || rows[i].span > 2 ||
            (int64_t)rows[n - 1].ord - (int64_t)rows[0].ord + 2 > OT_STORE_SPAN_MAX) {
            rc = ot_err_set(err, OT_EDATA, "%s: observations of '%s' out of bounds (period %lld, "
                            "span %d): the database is damaged", st->path, key,
                            (long long)rows[i].ord, rows[i].span);
            goto done;
        }
    ot_ord start = n ? rows[0].ord - (rows[0].span - 1) : 0;
    size_t len = n ? (size_t)(rows[n - 1].ord - start) + 1 : 0;
    if (n && !(r = ot_series_new(a, f, start, len, err))) {
        rc = err ? err->code : OT_ENOMEM;
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        size_t at = (size_t)(rows[i].ord - start);
        r->v[at] = rows[i].value;
        if (rows[i].span == 2) { /* the combined release wins over a January of its own */
            if ((rc = ot_series_ensure_flags(r, err)))
                goto done;
            r->v[at - 1] = NAN;
            r->flags[at - 1] |= OT_OBS_COVERED;
        }
    }
    /* A growth measure is a rate in percent whatever the series' own unit;
     * a stock's growth stays a stock: an end-of-period figure whose year is
     * December's (M2's yoy), not a rate averaged over the year. */
    int growth = m == OT_MEASURE_YOY || m == OT_MEASURE_YTD_YOY;
    if ((rc = ot_series_set_meta(r, key, name ? name : "", growth ? "%" : unit ? unit : "", err)))
        goto done;
    if (growth)
        r->kind = kind == OT_KIND_STOCK ? OT_KIND_STOCK : OT_KIND_RATE;
    else if (kind >= 0)
        r->kind = (ot_kind)kind;
    if (m == OT_MEASURE_VALUE && agg >= 0) /* agg describes the period's own values */
        r->agg = agg;
    *out = r;
    r = NULL;
done:
    ot_series_free(r);
    free(rows);
    free(unit);
    free(name);
    return rc;
}

/* ---- a whole series ------------------------------------------------------ */

/* Whether s may be stored as the values of key: a stored series of levels
 * (a flow or a stock) does not become a rate by a put of its growth (s:yoy()
 * keeps its key, and would otherwise turn the series' kind and unit over
 * silently), nor changes its unit by one (as import refuses another unit). */
static int put_series_fits(ot_store *st, const char *key, const ot_series *s, ot_err *err)
{
    ot_series_meta old;
    ot_series_meta_init(&old);
    if (ot_store_get_meta(st, key, &old, NULL) != OT_OK)
        return OT_OK; /* a new key: the series describes it */
    int rc = OT_OK;
    const char *cu = old.unit ? ot_unit_canonical(old.unit) : NULL;
    const char *nu = s->unit && *s->unit ? ot_unit_canonical(s->unit) : NULL;
    if (s->kind == OT_KIND_RATE && (old.kind == OT_KIND_FLOW || old.kind == OT_KIND_STOCK))
        rc = ot_err_set(err, OT_EDATA,
                        "%s is stored as a %s%s%s; this series is a rate (a growth rate made by "
                        "s:yoy() keeps its key): store it as a measure of it ({measure = "
                        "\"yoy\"}) or under a key of its own ({key = \"%s.yoy\"})",
                        key, ot_kind_name((ot_kind)old.kind), old.unit && *old.unit ? " in " : "",
                        old.unit ? old.unit : "", key);
    else if (old.unit && *old.unit && s->unit && *s->unit &&
             strcmp(cu ? cu : old.unit, nu ? nu : s->unit) != 0)
        rc = ot_err_set(err, OT_EDATA,
                        "%s is in %s; this series is in %s (change a series' unit through the "
                        "series metadata, or convert the figures to %s)",
                        key, old.unit, s->unit, old.unit);
    ot_series_meta_clear(&old);
    return rc;
}

int ot_store_put_series(ot_store *st, const char *key, ot_measure m, const ot_series *s,
                        int32_t vintage, const char *source, long long *inserted,
                        long long *unchanged, ot_err *err)
{
    /* The series' name, unit and kind describe the key only when the values
     * are the period's own (a yoy series has unit "%" and kind rate). */
    ot_series_meta meta;
    ot_series_meta_init(&meta);
    meta.key = (char *)key; /* put_meta only reads */
    meta.freq = s->freq;
    if (m == OT_MEASURE_VALUE) {
        meta.name = s->name;
        meta.unit = s->unit;
        meta.kind = (int)s->kind;
    }
    long long ins = 0, same = 0;
    int own, rc = store_wbegin(st, &own, err);
    if (rc)
        return rc;
    if (m == OT_MEASURE_VALUE)
        rc = put_series_fits(st, key, s, err);
    if (rc == OT_OK)
        rc = ot_store_put_meta(st, &meta, err);
    for (size_t i = 0; rc == OT_OK && i < s->n; i++) {
        double v = s->v[i];
        if (isnan(v))
            continue;
        ot_ord o = s->start + (ot_ord)i;
        ot_period p = {s->freq, o, 1}; /* a Jan-Feb value: the combined period */
        while (p.span <= (int)i && ot_series_covered(s, o - p.span))
            p.span++;
        ot_put_result res;
        rc = ot_store_put_obs(st, key, m, p, v, vintage, source, 0, &res, err);
        if (rc == OT_OK) {
            ins += res == OT_PUT_INSERTED;
            same += res != OT_PUT_INSERTED;
        } else if (err) {
            char per[OT_PERIOD_STRMAX], msg[OT_ERR_MSG_MAX];
            ot_period_format(p, per, sizeof per);
            snprintf(msg, sizeof msg, "%s", err->msg);
            ot_err_set(err, rc, "%s %s: %s", key, per, msg);
        }
    }
    rc = store_wend(st, own, rc, err);
    if (rc == OT_OK) {
        *inserted = ins;
        *unchanged = same;
    }
    return rc;
}

/* ---- record origins ----------------------------------------------------- */

static const char SQL_ORIGIN[] =
    "SELECT o.vintage, s.release_lag FROM obs o JOIN series s ON s.id = o.series_id\n"
    "WHERE s.key = ?1 AND o.freq = ?2 AND o.ord = ?3";
static const char SQL_REVISED[] =
    "SELECT 1 FROM obs o JOIN series s ON s.id = o.series_id WHERE s.key = ?1\n"
    "GROUP BY o.measure, o.freq, o.ord HAVING count(*) > 1 LIMIT 1";

/* Whether key names a stored series: OT_OK, else OT_ENOTFOUND (err set). */
static int known_key(ot_store *st, const char *key, ot_err *err)
{
    sqlite3_stmt *q = store_stmt(st, S_SERIES_ROW, SQL_SERIES_ROW, err);
    if (!q)
        return err ? err->code : OT_EIO;
    sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
    int s = sqlite3_step(q);
    sqlite3_reset(q);
    if (s == SQLITE_ROW)
        return OT_OK;
    return s == SQLITE_DONE ? store_unknown_key(st, key, err)
                            : store_sqlerr(st, s, "reading a series", err);
}

/* How: every row at (freq, ord) of key, each counted from its vintage, or
 * — stored without one, on the period's last day — from that day plus the
 * release lag, as ot_store_read counts it; the earliest wins. */
int ot_store_origin_day(ot_store *st, const char *key, ot_freq freq, ot_ord ord, int32_t *day,
                        ot_err *err)
{
    int rc = known_key(st, key, err);
    if (rc)
        return rc;
    sqlite3_stmt *q = store_stmt(st, S_OBS_ORIGIN, SQL_ORIGIN, err);
    if (!q)
        return err ? err->code : OT_EIO;
    sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, ot_freq_name(freq), 1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 3, (sqlite3_int64)ord);
    int32_t last = ot_period_last_day(freq, ord), best = INT32_MAX;
    int lag = -1, s;
    while ((s = sqlite3_step(q)) == SQLITE_ROW) {
        int32_t v = sqlite3_column_int(q, 0);
        lag = sqlite3_column_type(q, 1) == SQLITE_INTEGER ? sqlite3_column_int(q, 1) : -1;
        if (v == last)
            v += ot_store_release_lag(freq, lag);
        if (v < best)
            best = v;
    }
    sqlite3_reset(q);
    if (s != SQLITE_DONE)
        return store_sqlerr(st, s, "reading a record origin", err);
    *day = best != INT32_MAX ? best : last + ot_store_release_lag(freq, -1);
    return OT_OK;
}

int ot_store_revised(ot_store *st, const char *key, int *revised, ot_err *err)
{
    int rc = known_key(st, key, err);
    if (rc)
        return rc;
    sqlite3_stmt *q = store_stmt(st, S_OBS_REVISED, SQL_REVISED, err);
    if (!q)
        return err ? err->code : OT_EIO;
    sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
    int s = sqlite3_step(q);
    sqlite3_reset(q);
    if (s != SQLITE_ROW && s != SQLITE_DONE)
        return store_sqlerr(st, s, "reading revisions", err);
    *revised = s == SQLITE_ROW;
    return OT_OK;
}
