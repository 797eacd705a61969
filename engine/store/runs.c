/* runs.c — the record of runs (a job or script execution) and the
 * projections each produced, so any report can be reproduced from the store.
 */
#include "store/store.h"

#include <math.h>
#include <stdlib.h>

#include "store/store_int.h"

#define NOW "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"

static const char SQL_RUN_NEW[] =
    "INSERT INTO runs(job, started, as_of, status, engine_version, scripts_hash, data_hash,\n"
    "  through)\n"
    "VALUES (?1, " NOW ", ?2, 'running', ?3, ?4, ?5, ?6)";
static const char SQL_RUN_FINISH[] =
    "UPDATE runs SET finished = " NOW ", status = ?2 WHERE id = ?1";
static const char SQL_PROJECTION_NEW[] =
    "INSERT INTO projections(run_id, target_id, label, as_of, point, lo80, hi80, lo95, hi95,\n"
    "  prob, required, carry, status, method, note, data)\n"
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)";

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
    store_bind_text(q, 6, r->through);
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
    store_bind_text(q, 16, p->data);
    return write1(st, q, "storing a projection", err);
}

/* ---- reading runs back ------------------------------------------------- */

#define RUN_COLUMNS \
    "SELECT id, job, started, finished, status, engine_version, scripts_hash, data_hash, as_of,\n" \
    "  through\n" \
    "FROM runs "
/* ?2 = limit, -1 for none */
static const char SQL_RUNS_ALL[] = RUN_COLUMNS "ORDER BY id DESC LIMIT ?2";
static const char SQL_RUNS_JOB[] = RUN_COLUMNS "WHERE job = ?1 ORDER BY id DESC LIMIT ?2";
static const char SQL_RUN_ONE[] = RUN_COLUMNS "WHERE id = ?1";
static const char SQL_RUNS_PRUNE[] =
    "DELETE FROM runs WHERE job IS ?1 AND id NOT IN\n"
    "  (SELECT id FROM runs WHERE job IS ?1 ORDER BY id DESC LIMIT ?2)";
static const char SQL_PROJECTIONS[] =
    "SELECT run_id, target_id, label, as_of, point, lo80, hi80, lo95, hi95, prob, required,\n"
    "  carry, status, method, note, data FROM projections WHERE run_id = ?1 ORDER BY rowid";

void ot_store_runs_free(ot_run_rec *r, size_t n)
{
    if (!r)
        return;
    for (size_t i = 0; i < n; i++) {
        free(r[i].job);
        free(r[i].started);
        free(r[i].finished);
        free(r[i].status);
        free(r[i].engine_version);
        free(r[i].scripts_hash);
        free(r[i].data_hash);
        free(r[i].through);
    }
    free(r);
}

/* Grows *arr (of *cap elements of size sz) to hold n + 1. */
static int grow(void **arr, size_t *cap, size_t n, size_t sz)
{
    if (n < *cap)
        return 0;
    size_t nc = *cap ? 2 * *cap : 8;
    void *na = realloc(*arr, nc * sz);
    if (!na)
        return -1;
    *arr = na;
    *cap = nc;
    return 0;
}

int ot_store_runs(ot_store *st, const char *job, int64_t id, size_t limit, ot_run_rec **out,
                  size_t *n, ot_err *err)
{
    sqlite3_stmt *q = id > 0 ? store_stmt(st, S_RUN_ONE, SQL_RUN_ONE, err)
                      : job  ? store_stmt(st, S_RUNS_JOB, SQL_RUNS_JOB, err)
                             : store_stmt(st, S_RUNS_ALL, SQL_RUNS_ALL, err);
    if (!q)
        return err ? err->code : OT_EIO;
    if (id > 0) {
        sqlite3_bind_int64(q, 1, id);
    } else {
        store_bind_text(q, 1, job);
        sqlite3_bind_int64(q, 2, limit ? (sqlite3_int64)limit : -1);
    }
    ot_run_rec *rs = NULL;
    size_t len = 0, cap = 0;
    int rc = OT_OK, s, oom = 0;
    while ((s = sqlite3_step(q)) == SQLITE_ROW) {
        if (grow((void **)&rs, &cap, len, sizeof *rs)) {
            oom = 1;
            break;
        }
        ot_run_rec *r = &rs[len++];
        r->id = sqlite3_column_int64(q, 0);
        r->job = store_col_strdup(q, 1, &oom);
        r->started = store_col_strdup(q, 2, &oom);
        r->finished = store_col_strdup(q, 3, &oom);
        r->status = store_col_strdup(q, 4, &oom);
        r->engine_version = store_col_strdup(q, 5, &oom);
        r->scripts_hash = store_col_strdup(q, 6, &oom);
        r->data_hash = store_col_strdup(q, 7, &oom);
        r->as_of = sqlite3_column_type(q, 8) == SQLITE_NULL ? OT_ASOF_LATEST
                                                            : sqlite3_column_int(q, 8);
        r->through = store_col_strdup(q, 9, &oom);
        if (oom)
            break;
    }
    sqlite3_reset(q);
    if (oom)
        rc = ot_err_set(err, OT_ENOMEM, "out of memory reading runs");
    else if (s != SQLITE_DONE)
        rc = store_sqlerr(st, s, "reading runs", err);
    else if (id > 0 && len == 0)
        rc = ot_err_set(err, OT_ENOTFOUND, "no run %lld", (long long)id);
    if (rc) {
        ot_store_runs_free(rs, len);
        return rc;
    }
    *out = rs;
    *n = len;
    return OT_OK;
}

/* Prepares sql on st's connection (these two are rare: one call per run or
 * report, so no cached statement).  NULL and err set on failure. */
static sqlite3_stmt *prepare_once(ot_store *st, const char *sql, ot_err *err)
{
    sqlite3_stmt *q = NULL;
    int s = sqlite3_prepare_v2(st->db, sql, -1, &q, NULL);
    if (s != SQLITE_OK) {
        store_sqlerr(st, s, "preparing a statement on runs", err);
        sqlite3_finalize(q);
        return NULL;
    }
    return q;
}

int ot_store_run_set_look(ot_store *st, int64_t id, const char *title, const char *lang,
                          ot_err *err)
{
    sqlite3_stmt *q = prepare_once(st, "UPDATE runs SET title = ?2, lang = ?3 WHERE id = ?1", err);
    if (!q)
        return err ? err->code : OT_EIO;
    sqlite3_bind_int64(q, 1, id);
    store_bind_text(q, 2, title);
    store_bind_text(q, 3, lang);
    int rc = write1(st, q, "recording the run's title and language", err);
    sqlite3_finalize(q);
    return rc;
}

/* The n text columns of run id that sql selects (?1 = id) into out[0..n),
 * each owned by the caller (NULL for SQL NULL); OT_ENOTFOUND when no such
 * run.  On error nothing is kept. */
static int run_texts(ot_store *st, const char *sql, int64_t id, int n, char **out, ot_err *err)
{
    for (int i = 0; i < n; i++)
        out[i] = NULL;
    sqlite3_stmt *q = prepare_once(st, sql, err);
    if (!q)
        return err ? err->code : OT_EIO;
    sqlite3_bind_int64(q, 1, id);
    int oom = 0, rc = OT_OK, s = sqlite3_step(q);
    if (s == SQLITE_ROW) {
        for (int i = 0; i < n; i++)
            out[i] = store_col_strdup(q, i, &oom);
        if (oom)
            rc = ot_err_set(err, OT_ENOMEM, "out of memory reading a run");
    } else if (s == SQLITE_DONE) {
        rc = ot_err_set(err, OT_ENOTFOUND, "no run %lld", (long long)id);
    } else {
        rc = store_sqlerr(st, s, "reading a run", err);
    }
    sqlite3_finalize(q);
    if (rc)
        for (int i = 0; i < n; i++) {
            free(out[i]);
            out[i] = NULL;
        }
    return rc;
}

int ot_store_run_look(ot_store *st, int64_t id, char **title, char **lang, ot_err *err)
{
    char *v[2] = {NULL, NULL};
    int rc = run_texts(st, "SELECT title, lang FROM runs WHERE id = ?1", id, 2, v, err);
    if (rc == OT_OK) {
        *title = v[0];
        *lang = v[1];
    }
    return rc;
}

int ot_store_run_fail(ot_store *st, int64_t id, const char *why, ot_err *err)
{
    sqlite3_stmt *q = prepare_once(
        st, "UPDATE runs SET finished = " NOW ", status = 'failed', error = ?2 WHERE id = ?1", err);
    if (!q)
        return err ? err->code : OT_EIO;
    sqlite3_bind_int64(q, 1, id);
    store_bind_text(q, 2, why);
    int rc = write1(st, q, "marking the run failed", err);
    sqlite3_finalize(q);
    return rc;
}

int ot_store_run_error(ot_store *st, int64_t id, char **why, ot_err *err)
{
    return run_texts(st, "SELECT error FROM runs WHERE id = ?1", id, 1, why, err);
}

int ot_store_runs_prune(ot_store *st, const char *job, size_t keep, size_t *deleted,
                        ot_err *err)
{
    sqlite3_stmt *q = store_stmt(st, S_RUNS_PRUNE, SQL_RUNS_PRUNE, err);
    if (!q)
        return err ? err->code : OT_EIO;
    store_bind_text(q, 1, job);
    sqlite3_bind_int64(q, 2, (sqlite3_int64)keep);
    int rc = write1(st, q, "deleting old runs", err);
    if (!rc && deleted)
        *deleted = (size_t)sqlite3_changes(st->db);
    return rc;
}

void ot_store_projections_free(ot_projection_row *p, size_t n)
{
    if (!p)
        return;
    for (size_t i = 0; i < n; i++) {
        free((char *)p[i].label);
        free((char *)p[i].status);
        free((char *)p[i].method);
        free((char *)p[i].note);
        free((char *)p[i].data);
    }
    free(p);
}

static double col_num(sqlite3_stmt *q, int i)
{
    return sqlite3_column_type(q, i) == SQLITE_NULL ? NAN : sqlite3_column_double(q, i);
}

int ot_store_projections(ot_store *st, int64_t run_id, ot_projection_row **out, size_t *n,
                         ot_err *err)
{
    sqlite3_stmt *q = store_stmt(st, S_PROJECTIONS, SQL_PROJECTIONS, err);
    if (!q)
        return err ? err->code : OT_EIO;
    sqlite3_bind_int64(q, 1, run_id);
    ot_projection_row *ps = NULL;
    size_t len = 0, cap = 0;
    int rc = OT_OK, s, oom = 0;
    while ((s = sqlite3_step(q)) == SQLITE_ROW) {
        if (grow((void **)&ps, &cap, len, sizeof *ps)) {
            oom = 1;
            break;
        }
        ot_projection_row *p = &ps[len++];
        p->run_id = sqlite3_column_int64(q, 0);
        p->target_id = sqlite3_column_int64(q, 1);
        p->label = store_col_strdup(q, 2, &oom);
        p->as_of = sqlite3_column_int(q, 3);
        double *xs[8] = {&p->point, &p->lo80, &p->hi80, &p->lo95,
                         &p->hi95,  &p->prob, &p->required, &p->carry};
        for (int i = 0; i < 8; i++)
            *xs[i] = col_num(q, 4 + i);
        p->status = store_col_strdup(q, 12, &oom);
        p->method = store_col_strdup(q, 13, &oom);
        p->note = store_col_strdup(q, 14, &oom);
        p->data = store_col_strdup(q, 15, &oom);
        if (oom)
            break;
    }
    sqlite3_reset(q);
    if (oom)
        rc = ot_err_set(err, OT_ENOMEM, "out of memory reading projections");
    else if (s != SQLITE_DONE)
        rc = store_sqlerr(st, s, "reading projections", err);
    if (rc) {
        ot_store_projections_free(ps, len);
        return rc;
    }
    *out = ps;
    *n = len;
    return OT_OK;
}

/* ---- scenario comparisons ---------------------------------------------- */

/* The queries are prepared per call: a run stores a few comparisons. */
int ot_store_put_compare(ot_store *st, int64_t run_id, const char *data, ot_err *err)
{
    sqlite3_stmt *q = NULL;
    int s = sqlite3_prepare_v2(st->db,
                               "INSERT INTO compares(run_id, seq, data) VALUES (?1,\n"
                               "  (SELECT coalesce(max(seq), 0) + 1 FROM compares WHERE run_id = ?1), ?2)",
                               -1, &q, NULL);
    if (s != SQLITE_OK)
        return store_sqlerr(st, s, "storing a comparison", err);
    sqlite3_bind_int64(q, 1, run_id);
    store_bind_text(q, 2, data);
    int rc = write1(st, q, "storing a comparison", err);
    sqlite3_finalize(q);
    return rc;
}

void ot_store_compares_free(char **c, size_t n)
{
    for (size_t i = 0; c && i < n; i++)
        free(c[i]);
    free(c);
}

int ot_store_compares(ot_store *st, int64_t run_id, char ***out, size_t *n, ot_err *err)
{
    sqlite3_stmt *q = NULL;
    int s = sqlite3_prepare_v2(st->db, "SELECT data FROM compares WHERE run_id = ?1 ORDER BY seq",
                               -1, &q, NULL);
    if (s != SQLITE_OK)
        return store_sqlerr(st, s, "reading comparisons", err);
    sqlite3_bind_int64(q, 1, run_id);
    char **cs = NULL;
    size_t len = 0, cap = 0;
    int oom = 0, rc = OT_OK;
    while ((s = sqlite3_step(q)) == SQLITE_ROW) {
        if (grow((void **)&cs, &cap, len, sizeof *cs)) {
            oom = 1;
            break;
        }
        cs[len] = store_col_strdup(q, 0, &oom);
        len++;
        if (oom)
            break;
    }
    sqlite3_finalize(q);
    if (oom)
        rc = ot_err_set(err, OT_ENOMEM, "out of memory reading comparisons");
    else if (s != SQLITE_DONE)
        rc = store_sqlerr(st, s, "reading comparisons", err);
    if (rc) {
        ot_store_compares_free(cs, len);
        return rc;
    }
    *out = cs;
    *n = len;
    return OT_OK;
}
