/* revisions.c — the audit trail of a series (every vintage of every period,
 * with the import that brought it) and the names a statistics table may use
 * for a series (name, name_en, aliases), read when a table's header is
 * mapped to series keys.  Statements are prepared per call: both are read
 * once per command, not per row.  Also whether a January is covered for
 * good by a January–February release (kept statements: asked per row).
 */
#include "store/store.h"

#include <string.h>

#include "store/store_int.h"

static const char SQL_REVISIONS[] =
    "SELECT o.measure, o.freq, o.ord, o.span, o.vintage, o.value, o.source, o.import_id,\n"
    "       i.file, i.time\n"
    "FROM obs o JOIN series s ON s.id = o.series_id LEFT JOIN imports i ON i.id = o.import_id\n"
    "WHERE s.key = ?1\n"
    "ORDER BY o.freq, o.measure, o.ord, o.vintage";

int ot_store_revisions(ot_store *st, const char *key, const ot_period *period, ot_revision_fn fn,
                       void *ud, ot_err *err)
{
    int rc = store_flush(st, err);
    if (rc)
        return rc;
    ot_series_meta m;
    if ((rc = ot_store_get_meta(st, key, &m, err))) /* an unknown key names near ones */
        return rc;
    int lag = m.release_lag;
    ot_series_meta_clear(&m);
    sqlite3_stmt *q;
    int s = sqlite3_prepare_v2(st->db, SQL_REVISIONS, -1, &q, NULL);
    if (s != SQLITE_OK)
        return store_sqlerr(st, s, "reading revisions", err);
    sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
    /* the days the asked period covers: a row is its when the two overlap */
    int32_t d0 = 0, d1 = 0;
    if (period) {
        d0 = ot_period_first_day(period->freq, period->ord - (period->span - 1));
        d1 = ot_period_last_day(period->freq, period->ord);
    }
    while ((s = sqlite3_step(q)) == SQLITE_ROW) {
        ot_revision r;
        memset(&r, 0, sizeof r);
        int mi = sqlite3_column_int(q, 0);
        r.measure = mi >= 0 && mi < OT_MEASURE_COUNT ? (ot_measure)mi : OT_MEASURE_VALUE;
        const char *f = (const char *)sqlite3_column_text(q, 1);
        r.period.freq = f ? ot_freq_parse(f) : OT_FREQ_NONE;
        r.period.ord = (ot_ord)sqlite3_column_int(q, 2);
        r.period.span = sqlite3_column_int(q, 3);
        if (period && (r.period.freq == OT_FREQ_NONE ||
                       ot_period_first_day(r.period.freq, r.period.ord - (r.period.span - 1)) > d1 ||
                       ot_period_last_day(r.period.freq, r.period.ord) < d0))
            continue;
        r.vintage = (int32_t)sqlite3_column_int(q, 4);
        /* a row stored without a release date (on its period's last day)
         * counts from there plus the release lag, as the as-of reads do */
        if (r.period.freq != OT_FREQ_NONE &&
            r.vintage == ot_period_last_day(r.period.freq, r.period.ord)) {
            r.undated = 1;
            r.vintage += ot_store_release_lag(r.period.freq, lag);
        }
        r.value = sqlite3_column_double(q, 5);
        r.source = (const char *)sqlite3_column_text(q, 6);
        r.import_id = sqlite3_column_int64(q, 7);
        r.file = (const char *)sqlite3_column_text(q, 8);
        r.time = (const char *)sqlite3_column_text(q, 9);
        if (fn(ud, &r))
            break;
    }
    if (s != SQLITE_ROW && s != SQLITE_DONE)
        rc = store_sqlerr(st, s, "reading revisions", err);
    sqlite3_finalize(q);
    return rc;
}

static const char SQL_NAMES[] =
    "SELECT key, name, name_en, aliases, unit, freq FROM series ORDER BY key";

int ot_store_names(ot_store *st, ot_names_fn fn, void *ud, ot_err *err)
{
    sqlite3_stmt *q;
    int rc = OT_OK, s = sqlite3_prepare_v2(st->db, SQL_NAMES, -1, &q, NULL);
    if (s != SQLITE_OK)
        return store_sqlerr(st, s, "reading series names", err);
    while ((s = sqlite3_step(q)) == SQLITE_ROW) {
        ot_series_meta m;
        ot_series_meta_init(&m);
        m.key = (char *)sqlite3_column_text(q, 0);
        m.name = (char *)sqlite3_column_text(q, 1);
        m.name_en = (char *)sqlite3_column_text(q, 2);
        m.aliases = (char *)sqlite3_column_text(q, 3);
        m.unit = (char *)sqlite3_column_text(q, 4);
        const char *f = (const char *)sqlite3_column_text(q, 5);
        m.freq = f ? ot_freq_parse(f) : OT_FREQ_NONE;
        if (!m.key)
            continue;
        if ((rc = fn(ud, &m)))
            break;
    }
    if (s != SQLITE_ROW && s != SQLITE_DONE)
        rc = store_sqlerr(st, s, "reading series names", err);
    sqlite3_finalize(q);
    return rc;
}

static const char SQL_SERIES_FREQ[] = "SELECT freq FROM series WHERE key = ?1";

int ot_store_series_freq(ot_store *st, const char *key, ot_freq *freq, int *found, ot_err *err)
{
    sqlite3_stmt *q = store_stmt(st, S_SERIES_FREQ, SQL_SERIES_FREQ, err);
    if (!q)
        return err ? err->code : OT_EIO;
    sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
    int s = sqlite3_step(q);
    ot_freq f = OT_FREQ_NONE;
    if (s == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(q, 0);
        f = t ? ot_freq_parse(t) : OT_FREQ_NONE;
    }
    sqlite3_reset(q);
    if (s != SQLITE_ROW && s != SQLITE_DONE)
        return store_sqlerr(st, s, "reading a series' frequency", err);
    *freq = f;
    *found = s == SQLITE_ROW;
    return OT_OK;
}

static const char SQL_FEB_AT[] =
    "SELECT f.vintage, f.span FROM obs f JOIN series s ON s.id = f.series_id\n"
    "WHERE s.key = ?1 AND f.measure = ?2 AND f.freq = 'M' AND f.ord = ?3 AND f.vintage <= ?4\n"
    "ORDER BY f.vintage DESC LIMIT 1";
static const char SQL_FEB_OWN_LATER[] =
    "SELECT 1 FROM obs f JOIN series s ON s.id = f.series_id\n"
    "WHERE s.key = ?1 AND f.measure = ?2 AND f.freq = 'M' AND f.ord = ?3 AND f.vintage > ?4\n"
    "  AND f.span = 1 LIMIT 1";

/* Two seeks of February's rows (the key's primary index), with kept
 * statements: an import asks once per dated January it gave. */
int ot_store_january_covered(ot_store *st, const char *key, ot_measure m, ot_ord jan,
                             int32_t vintage, int32_t *covering, ot_err *err)
{
    int rc = store_flush(st, err);
    if (rc)
        return rc;
    const char *sql[2] = {SQL_FEB_AT, SQL_FEB_OWN_LATER};
    static const enum stmt_id ids[2] = {S_FEB_AT, S_FEB_OWN_LATER};
    int32_t at = OT_VINTAGE_NONE;
    int span = 0, later = 0;
    for (int i = 0; i < 2; i++) {
        sqlite3_stmt *q = store_stmt(st, ids[i], sql[i], err);
        if (!q)
            return err ? err->code : OT_EIO;
        int s;
        store_bind_text(q, 1, key);
        sqlite3_bind_int(q, 2, (int)m);
        sqlite3_bind_int(q, 3, jan + 1);
        sqlite3_bind_int(q, 4, vintage);
        s = sqlite3_step(q);
        if (s == SQLITE_ROW && i == 0) {
            at = (int32_t)sqlite3_column_int(q, 0);
            span = sqlite3_column_int(q, 1);
        } else if (s == SQLITE_ROW) {
            later = 1;
        }
        sqlite3_reset(q);
        if (s != SQLITE_ROW && s != SQLITE_DONE)
            return store_sqlerr(st, s, "reading February's figures", err);
        if (span != 2)
            break; /* not covered at its vintage: the second question is moot */
    }
    *covering = span == 2 && !later ? at : OT_VINTAGE_NONE;
    return OT_OK;
}
