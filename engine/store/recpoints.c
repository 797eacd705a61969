/* recpoints.c — the level-model points of projections' records, kept across
 * runs in table record_points (docs/storage.md).  A point is a function of
 * the numbers it was made from, so its key is their hash: a kept point is
 * right whatever the vintage, and nothing is ever updated. */
#include "store/store.h"

#include <math.h>

#include "store/store_int.h"

static const char SQL_GET[] = "SELECT value FROM record_points WHERE hash = ?1";
static const char SQL_PUT[] =
    "INSERT OR IGNORE INTO record_points(hash, series, cand, origin, value)\n"
    "VALUES (?1, ?2, ?3, ?4, ?5)";

int ot_store_recpoint_get(ot_store *st, uint64_t hash, int *found, double *value, ot_err *err)
{
    sqlite3_stmt *q = store_stmt(st, S_RECPOINT_GET, SQL_GET, err);
    if (!q)
        return err ? err->code : OT_EIO;
    sqlite3_bind_int64(q, 1, (sqlite3_int64)hash);
    int s = sqlite3_step(q);
    if (s == SQLITE_ROW) {
        *found = 1;
        *value = sqlite3_column_type(q, 0) == SQLITE_NULL ? NAN : sqlite3_column_double(q, 0);
    } else if (s == SQLITE_DONE) {
        *found = 0;
    }
    sqlite3_reset(q);
    if (s != SQLITE_ROW && s != SQLITE_DONE)
        return store_sqlerr(st, s, "reading a record point", err);
    return OT_OK;
}

int ot_store_recpoint_put(ot_store *st, uint64_t hash, const char *series, const char *cand,
                          const char *origin, double value, ot_err *err)
{
    if (st->readonly)
        return OT_OK;
    int own, rc;
    if ((rc = store_wbegin(st, &own, err)))
        return rc;
    sqlite3_stmt *q = store_stmt(st, S_RECPOINT_PUT, SQL_PUT, err);
    if (!q)
        return store_wend(st, own, err ? err->code : OT_EIO, err);
    sqlite3_bind_int64(q, 1, (sqlite3_int64)hash);
    sqlite3_bind_text(q, 2, series, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, cand, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 4, origin, -1, SQLITE_STATIC);
    if (isnan(value))
        sqlite3_bind_null(q, 5);
    else
        sqlite3_bind_double(q, 5, value);
    int s = sqlite3_step(q);
    sqlite3_reset(q);
    if (s != SQLITE_DONE)
        rc = store_sqlerr(st, s, "keeping a record point", err);
    return store_wend(st, own, rc, err);
}
