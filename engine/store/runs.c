/* runs.c — the record of runs (a job or script execution) and the
 * projections each produced, so any report can be reproduced from the store.
 */
#include "store/store.h"

#include <math.h>

#include "store/store_int.h"

#define NOW "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"

static const char SQL_RUN_NEW[] =
    "INSERT INTO runs(job, started, as_of, status, engine_version, scripts_hash, data_hash)\n"
    "VALUES (?1, " NOW ", ?2, 'running', ?3, ?4, ?5)";
static const char SQL_RUN_FINISH[] =
    "UPDATE runs SET finished = " NOW ", status = ?2 WHERE id = ?1";
static const char SQL_PROJECTION_NEW[] =
    "INSERT INTO projections(run_id, target_id, label, as_of, point, lo80, hi80, lo95, hi95,\n"
    "  prob, required, carry, status, method, note)\n"
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)";

/* Runs one prepared write in its own transaction unless one is open. */
static int write1(ot_store *st, sqlite3_stmt *q, const char *what, ot_err *err)
{
    int own, rc = store_wbegin(st, &own, err);
    if (rc) {
        sqlite3_reset(q);
        return rc;
    }
    int s = sqlite3_step(q);
    sqlite3_reset(q);
    if (s != SQLITE_DONE)
        rc = store_sqlerr(st, s, what, err);
    return store_wend(st, own, rc, err);
}

int ot_store_run_begin(ot_store *st, const ot_run *r, int64_t *id, ot_err *err)
{
    sqlite3_stmt *q = store_stmt(st, S_RUN_NEW, SQL_RUN_NEW, err);
    if (!q)
        return err ? err->code : OT_EIO;
    store_bind_text(q, 1, r->job);
    if (r->as_of != OT_ASOF_LATEST)
        sqlite3_bind_int(q, 2, r->as_of);
    store_bind_text(q, 3, r->engine_version);
    store_bind_text(q, 4, r->scripts_hash);
    store_bind_text(q, 5, r->data_hash);
    int rc = write1(st, q, "recording a run", err);
    if (!rc)
        *id = sqlite3_last_insert_rowid(st->db);
    return rc;
}

int ot_store_run_finish(ot_store *st, int64_t id, const char *status, ot_err *err)
{
    if (!status || !*status)
        return ot_err_set(err, OT_EINVAL, "run %lld: no status given", (long long)id);
    sqlite3_stmt *q = store_stmt(st, S_RUN_FINISH, SQL_RUN_FINISH, err);
    if (!q)
        return err ? err->code : OT_EIO;
    sqlite3_bind_int64(q, 1, id);
    store_bind_text(q, 2, status);
    int rc = write1(st, q, "finishing a run", err);
    if (!rc && sqlite3_changes(st->db) == 0)
        return ot_err_set(err, OT_ENOTFOUND, "no run %lld", (long long)id);
    return rc;
}

int ot_store_put_projection(ot_store *st, const ot_projection_row *p, ot_err *err)
{
    sqlite3_stmt *q = store_stmt(st, S_PROJECTION_NEW, SQL_PROJECTION_NEW, err);
    if (!q)
        return err ? err->code : OT_EIO;
    const double xs[8] = {p->point, p->lo80, p->hi80, p->lo95,
                          p->hi95,  p->prob, p->required, p->carry};
    sqlite3_bind_int64(q, 1, p->run_id);
    if (p->target_id)
        sqlite3_bind_int64(q, 2, p->target_id);
    store_bind_text(q, 3, p->label);
    sqlite3_bind_int(q, 4, p->as_of);
    for (int i = 0; i < 8; i++)
        if (!isnan(xs[i]))
            sqlite3_bind_double(q, 5 + i, xs[i]);
    store_bind_text(q, 13, p->status);
    store_bind_text(q, 14, p->method);
    store_bind_text(q, 15, p->note);
    return write1(st, q, "storing a projection", err);
}
