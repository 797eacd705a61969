/* store.c — opening and migrating the database, transactions, statement
 * cache, measure and aggregation names, series metadata, key listing and the
 * imports table.  Observations are in obs.c, their per-series summary rows
 * (series_stats) in stats.c, targets in targets.c, runs and projections in
 * runs.c; docs/storage.md describes the schema.
 */
#include "store/store.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <utf8proc.h>

#include "store/store_int.h"

/* ---- schema ------------------------------------------------------------- */

/* Migration i (1-based) brings user_version i-1 to i; never edit a released
 * one, append a new one. */
static const char *const migrations[] = {
    /* 1: the initial schema */
    "CREATE TABLE series(\n"
    "  id      INTEGER PRIMARY KEY,\n"
    "  key     TEXT NOT NULL UNIQUE,\n"
    "  name    TEXT, name_en TEXT, region TEXT, unit TEXT,\n"
    "  freq    TEXT CHECK (freq IN ('D','M','Q','Y')),\n"
    "  kind    TEXT CHECK (kind IN ('flow','stock','rate')),\n"
    "  agg     TEXT CHECK (agg IN ('sum','mean','last')),\n"
    "  shape   TEXT, source TEXT);\n"
    "CREATE TABLE measures(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);\n"
    "INSERT INTO measures VALUES (0,'value'),(1,'ytd'),(2,'yoy'),(3,'ytd_yoy');\n"
    "CREATE TABLE imports(\n"
    "  id     INTEGER PRIMARY KEY,\n"
    "  file   TEXT NOT NULL,\n"
    "  hash   TEXT NOT NULL,\n"
    "  format TEXT NOT NULL,\n"
    "  as_of  INTEGER,\n"
    "  rows   INTEGER,\n"
    "  time   TEXT NOT NULL);\n"
    "CREATE INDEX imports_hash ON imports(hash);\n"
    "CREATE TABLE obs(\n"
    "  series_id INTEGER NOT NULL,\n"
    "  measure   INTEGER NOT NULL CHECK (measure BETWEEN 0 AND 3),\n"
    "  freq      TEXT NOT NULL CHECK (freq = 'M' OR freq = 'Q' OR freq = 'Y' OR freq = 'D'),\n"
    "  ord       INTEGER NOT NULL,\n"
    "  vintage   INTEGER NOT NULL,\n"
    "  span      INTEGER NOT NULL DEFAULT 1 CHECK (span = 1 OR span = 2),\n"
    "  value     REAL NOT NULL,\n"
    "  source    TEXT,\n"
    "  import_id INTEGER,\n"
    "  PRIMARY KEY (series_id, measure, freq, ord, vintage)) WITHOUT ROWID;\n"
    "CREATE VIEW observations AS\n"
    "  SELECT s.key, m.name AS measure, o.freq, o.ord, o.span,\n"
    "         date(o.vintage * 86400, 'unixepoch') AS vintage, o.value, o.source, o.import_id\n"
    "  FROM obs o JOIN series s ON s.id = o.series_id JOIN measures m ON m.id = o.measure;\n"
    "CREATE TABLE targets(\n"
    "  id        INTEGER PRIMARY KEY,\n"
    "  year      INTEGER NOT NULL,\n"
    "  kind      TEXT NOT NULL,\n"
    "  series    TEXT,\n"
    "  op        TEXT NOT NULL,\n"
    "  value     REAL,\n"
    "  ref       TEXT,\n"
    "  tolerance REAL,\n"
    "  label     TEXT,\n"
    "  source    TEXT,\n"
    "  shape     TEXT,\n"
    "  unit      TEXT);\n"
    "CREATE UNIQUE INDEX targets_identity\n"
    "  ON targets(year, kind, coalesce(series,''), coalesce(ref,''), coalesce(label,''));\n"
    "CREATE TABLE runs(\n"
    "  id             INTEGER PRIMARY KEY,\n"
    "  job            TEXT,\n"
    "  started        TEXT NOT NULL,\n"
    "  finished       TEXT,\n"
    "  as_of          INTEGER,\n"
    "  status         TEXT NOT NULL,\n"
    "  engine_version TEXT,\n"
    "  scripts_hash   TEXT,\n"
    "  data_hash      TEXT);\n"
    "CREATE INDEX runs_job ON runs(job, id);\n"
    "CREATE TABLE projections(\n"
    "  run_id    INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,\n"
    "  target_id INTEGER REFERENCES targets(id) ON DELETE SET NULL,\n"
    "  label     TEXT,\n"
    "  as_of     INTEGER,\n"
    "  point REAL, lo80 REAL, hi80 REAL, lo95 REAL, hi95 REAL,\n"
    "  prob REAL, required REAL, carry REAL,\n"
    "  status    TEXT,\n"
    "  method    TEXT,\n"
    "  note      TEXT);\n"
    "CREATE INDEX projections_run ON projections(run_id);\n",
    /* 2: per series and frequency, what the listing shows (stats.c) */
    "CREATE TABLE series_stats(\n"
    "  series_id INTEGER NOT NULL,\n"
    "  freq      TEXT NOT NULL,\n"
    "  measures  INTEGER NOT NULL,\n"
    "  lo        INTEGER NOT NULL,\n"
    "  hi        INTEGER NOT NULL,\n"
    "  n         INTEGER NOT NULL,\n"
    "  PRIMARY KEY (series_id, freq)) WITHOUT ROWID;\n"
    "INSERT INTO series_stats(series_id, freq, measures, lo, hi, n)\n"
    "  SELECT series_id, freq, sum(DISTINCT 1 << measure), min(ord), max(ord), count(DISTINCT ord)\n"
    "  FROM obs GROUP BY series_id, freq;\n",
    /* 3: days after a period's end before a value without a vintage counts
     * as known (NULL: the frequency's default, docs/storage.md) */
    "ALTER TABLE series ADD COLUMN release_lag INTEGER CHECK (release_lag >= 0);\n",
    /* 4: a run keeps the period its data were cut at; a projection keeps all
     * its fields (run/fields.c writes and reads the JSON); a run keeps the
     * scenario comparisons its scripts made (run/compare.c) */
    "ALTER TABLE runs ADD COLUMN through TEXT;\n"
    "ALTER TABLE projections ADD COLUMN data TEXT;\n"
    "CREATE TABLE compares(\n"
    "  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,\n"
    "  seq    INTEGER NOT NULL,\n"
    "  data   TEXT NOT NULL,\n"
    "  PRIMARY KEY (run_id, seq));\n",
    /* 5: other names a statistics table may give a series ('|'-separated),
     * matched with name and name_en when a table's header is read */
    "ALTER TABLE series ADD COLUMN aliases TEXT;\n",
    /* 6: a target's shape_years, the years of its shape reference's record
     * (NULL = the projection's option; docs/methods-projection.md §12) */
    "ALTER TABLE targets ADD COLUMN shape_from INTEGER;\n"
    "ALTER TABLE targets ADD COLUMN shape_to INTEGER;\n",
    /* 7: the level-model points of projections' records, kept across runs
     * (recpoints.c; docs/methods-projection.md §10): keyed by the hash of
     * the series, the method, the origin and every number they came from */
    "CREATE TABLE record_points(\n"
    "  hash   INTEGER PRIMARY KEY,\n"
    "  series TEXT NOT NULL,\n"
    "  cand   TEXT NOT NULL,\n"
    "  origin TEXT NOT NULL,\n"
    "  value  REAL);\n",
    /* 8: the title and language of a job's reports (NULL = the defaults), so
     * that `ontrack report RUN` renders the page the job wrote; why a failed
     * run failed, for `ontrack job show` */
    "ALTER TABLE runs ADD COLUMN title TEXT;\n"
    "ALTER TABLE runs ADD COLUMN lang TEXT;\n"
    "ALTER TABLE runs ADD COLUMN error TEXT;\n",
};

#define NMIGRATIONS ((int)(sizeof migrations / sizeof *migrations))
_Static_assert(NMIGRATIONS == OT_STORE_SCHEMA_VERSION, "one migration per schema version");

/* ---- SQLite plumbing ---------------------------------------------------- */

int store_sqlerr(ot_store *st, int rc, const char *what, ot_err *err)
{
    int code;
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        code = OT_ELOCKED;
        break;
    case SQLITE_NOMEM:
        code = OT_ENOMEM;
        break;
    case SQLITE_CANTOPEN:
        code = OT_ENOTFOUND;
        break;
    default:
        code = OT_EIO;
    }
    const char *msg = st && st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc);
    if ((rc & 0xff) == SQLITE_NOTADB && st && st->path) /* a file given by mistake: say so */
        return ot_err_set(err, OT_EDATA,
                          "%s: not an ontrack database (not an SQLite file, or one whose header is "
                          "damaged); it was left as it is — give the database with --db or "
                          "$ONTRACK_DB",
                          st->path);
    if ((rc & 0xff) == SQLITE_READONLY && st && st->path)
        return ot_err_set(err, OT_EIO,
                          "%s: %s: the database is read-only (%s) — check the permissions of the "
                          "file and its folder",
                          st->path, what, msg);
    if (code == OT_ELOCKED && st && st->path) { /* which file, and what to do about it */
        int named = strcmp(what, st->path) == 0; /* the open's steps say the path as what */
        return ot_err_set(err, code,
                          "%s%s%s: %s — another process is writing to it (waited %d s); "
                          "try again when it has finished",
                          st->path, named ? "" : ": ", named ? "" : what, msg,
                          STORE_BUSY_MS / 1000);
    }
    return ot_err_set(err, code, "%s: %s", what, msg);
}

int store_text_check(const char *whose, const char *what, const char *s, ot_err *err)
{
    if (!s)
        return OT_OK;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    while (*p) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate(p, -1, &c);
        if (k <= 0)
            return ot_err_set(err, OT_EDATA, "%s: expected UTF-8 text in the %s, found byte 0x%02X",
                              whose, what, *p);
        p += k;
    }
    return OT_OK;
}

sqlite3_stmt *store_stmt(ot_store *st, enum stmt_id id, const char *sql, ot_err *err)
{
    sqlite3_stmt *q = st->stmt[id];
    if (q) {
        sqlite3_reset(q);
        sqlite3_clear_bindings(q);
        return q;
    }
    int rc = sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &q, NULL);
    if (rc != SQLITE_OK) {
        store_sqlerr(st, rc, "preparing a statement", err);
        return NULL;
    }
    st->stmt[id] = q;
    return q;
}

int store_bind_text(sqlite3_stmt *q, int i, const char *s)
{
    return s ? sqlite3_bind_text(q, i, s, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(q, i);
}

char *store_col_strdup(sqlite3_stmt *q, int i, int *oom)
{
    const unsigned char *s = sqlite3_column_text(q, i);
    if (!s)
        return NULL;
    char *r = strdup((const char *)s);
    if (!r)
        *oom = 1;
    return r;
}

/* Runs one SQL text without results (pragmas, BEGIN, migrations). */
static int exec(ot_store *st, const char *sql, const char *what, ot_err *err)
{
    int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? OT_OK : store_sqlerr(st, rc, what, err);
}

/* Reads an integer pragma such as user_version. */
static int pragma_int(ot_store *st, const char *sql, int *out, ot_err *err)
{
    sqlite3_stmt *q;
    int rc = sqlite3_prepare_v2(st->db, sql, -1, &q, NULL);
    if (rc != SQLITE_OK)
        return store_sqlerr(st, rc, "reading the schema version", err);
    rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    return rc == SQLITE_ROW ? OT_OK : store_sqlerr(st, rc, "reading the schema version", err);
}

/* Brings the schema to OT_STORE_SCHEMA_VERSION inside one write transaction,
 * re-reading the version under the lock so two openers cannot both migrate. */
static int migrate(ot_store *st, ot_err *err)
{
    int v, rc = pragma_int(st, "PRAGMA user_version", &v, err);
    if (rc)
        return rc;
    if (v > OT_STORE_SCHEMA_VERSION)
        return ot_err_set(err, OT_EDATA,
                          "%s: schema version %d is newer than this ontrack's (%d)",
                          st->path, v, OT_STORE_SCHEMA_VERSION);
    if (v == OT_STORE_SCHEMA_VERSION)
        return OT_OK;
    if (st->readonly)
        return ot_err_set(err, OT_EDATA,
                          "%s: schema version %d needs migrating to %d (run 'ontrack init')",
                          st->path, v, OT_STORE_SCHEMA_VERSION);
    if ((rc = exec(st, "BEGIN IMMEDIATE", "migrating the schema", err)))
        return rc;
    if ((rc = pragma_int(st, "PRAGMA user_version", &v, err)))
        goto fail;
    for (; v < OT_STORE_SCHEMA_VERSION; v++) {
        char sql[64];
        if ((rc = exec(st, migrations[v], "migrating the schema", err)))
            goto fail;
        snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v + 1);
        if ((rc = exec(st, sql, "migrating the schema", err)))
            goto fail;
    }
    if ((rc = exec(st, "COMMIT", "migrating the schema", err)))
        goto fail;
    return OT_OK;
fail:
    sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

/* ---- a file ontrack did not make ------------------------------------------- */

/* SQLite's own defences against a crafted file: no writes to the schema
 * through SQL (DEFENSIVE), and no function with side effects or of unknown
 * safety run from the schema (trusted_schema off). */
static int harden(ot_store *st, const char *path, ot_err *err)
{
    int on = -1;
    sqlite3_db_config(st->db, SQLITE_DBCONFIG_DEFENSIVE, 1, &on);
    sqlite3_db_config(st->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
    if (on != 1)
        return ot_err_set(err, OT_EIO, "%s: cannot turn on SQLite's defensive mode", path);
    return exec(st, "PRAGMA trusted_schema = OFF", path, err);
}

/* Only views and triggers run queries of the file's own choosing (a
 * recursive one hangs every read), and a view can stand in for one of our
 * tables.  So the file's views and triggers must be exactly those the
 * migrations make, text for text, and every table and view they make must
 * be there with its type: the migrations are replayed into a private
 * in-memory database and the two schemas compared.  OT_EDATA naming the
 * first stranger. */
static const char SQL_SCHEMA[] = "SELECT type, name, sql FROM sqlite_schema "
                                 "WHERE type IN ('view', 'trigger', 'table') ORDER BY name";

static int check_schema(ot_store *st, ot_err *err)
{
    sqlite3 *ref = NULL;
    sqlite3_stmt *q = NULL, *r = NULL;
    int rc = OT_OK;
    if (sqlite3_open_v2(":memory:", &ref, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
        SQLITE_OK) {
        rc = ot_err_set(err, OT_ENOMEM, "%s: out of memory checking the schema", st->path);
        goto done;
    }
    for (int v = 0; v < OT_STORE_SCHEMA_VERSION; v++)
        if (sqlite3_exec(ref, migrations[v], NULL, NULL, NULL) != SQLITE_OK) {
            rc = ot_err_set(err, OT_EIO, "checking the schema: %s", sqlite3_errmsg(ref));
            goto done;
        }
    if (sqlite3_prepare_v2(ref, "SELECT type, sql FROM sqlite_schema WHERE name = ?1", -1, &r,
                           NULL) != SQLITE_OK) {
        rc = ot_err_set(err, OT_EIO, "checking the schema: %s", sqlite3_errmsg(ref));
        goto done;
    }
    int s = sqlite3_prepare_v2(st->db, SQL_SCHEMA, -1, &q, NULL);
    if (s != SQLITE_OK) {
        rc = store_sqlerr(st, s, "checking the schema", err);
        goto done;
    }
    while ((s = sqlite3_step(q)) == SQLITE_ROW) {
        const char *type = (const char *)sqlite3_column_text(q, 0);
        const char *name = (const char *)sqlite3_column_text(q, 1);
        const char *sql = (const char *)sqlite3_column_text(q, 2);
        if (!type || !name)
            continue;
        sqlite3_bind_text(r, 1, name, -1, SQLITE_TRANSIENT);
        int known = sqlite3_step(r) == SQLITE_ROW;
        const char *rtype = known ? (const char *)sqlite3_column_text(r, 0) : NULL;
        const char *rsql = known ? (const char *)sqlite3_column_text(r, 1) : NULL;
        int same = known && rtype && strcmp(rtype, type) == 0 &&
                   (strcmp(type, "table") == 0 || (sql && rsql && strcmp(sql, rsql) == 0));
        int stranger = strcmp(type, "table") == 0 ? known && !same : !same;
        sqlite3_reset(r);
        if (stranger) {
            rc = ot_err_set(err, OT_EDATA,
                            "%s: the %s '%s' is not one ontrack makes: the database was changed "
                            "outside ontrack, refused (docs/security.md)",
                            st->path, type, name);
            goto done;
        }
    }
    if (s != SQLITE_DONE)
        rc = store_sqlerr(st, s, "checking the schema", err);
done:
    sqlite3_finalize(q);
    sqlite3_finalize(r);
    sqlite3_close(ref);
    return rc;
}

/* An SQLite file of another program (no schema version, but tables) must not
 * be turned into ours: the migrations would add our tables to it and WAL
 * mode would change its header.  So it is refused before anything is
 * written, OT_EDATA. */
static int foreign_file(ot_store *st, ot_err *err)
{
    sqlite3_stmt *q;
    int s = sqlite3_prepare_v2(st->db,
                               "SELECT (SELECT user_version FROM pragma_user_version) = 0 AND "
                               "(SELECT count(*) FROM sqlite_schema) > 0",
                               -1, &q, NULL);
    if (s != SQLITE_OK)
        return store_sqlerr(st, s, st->path, err);
    s = sqlite3_step(q);
    int foreign = s == SQLITE_ROW && sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    if (s != SQLITE_ROW)
        return store_sqlerr(st, s, st->path, err);
    if (foreign)
        return ot_err_set(err, OT_EDATA,
                          "%s: not an ontrack database (an SQLite file of another program: it "
                          "has tables and no ontrack schema version); it was left as it is — "
                          "give the database with --db or $ONTRACK_DB",
                          st->path);
    return OT_OK;
}

/* ---- open and close ----------------------------------------------------- */

/* A WAL database in a file or folder this process may not write (the file
 * itself writable or not) cannot be
 * read the ordinary way: SQLite must first create its -shm file and reports
 * SQLITE_READONLY (_CANTINIT and kin) instead.  Then the file is reopened
 * read-only as an immutable URI, so reads still work and writes fail with
 * SQLITE_READONLY (OT_EIO).  Sets *reopened; leaves everything else to the
 * normal path, which reports whatever the probe did not fix. */
static int reopen_immutable(ot_store *st, const char *path, int *reopened, ot_err *err)
{
    *reopened = 0;
    /* a writable file in a folder this process cannot write gives
     * SQLITE_READONLY_DIRECTORY or _CANTINIT here just the same */
    if ((sqlite3_exec(st->db, "PRAGMA user_version", NULL, NULL, NULL) & 0xff) != SQLITE_READONLY)
        return OT_OK;
    size_t n = strlen(path);
    char *uri = malloc(3 * n + sizeof "file:?immutable=1");
    if (!uri)
        return ot_err_set(err, OT_ENOMEM, "out of memory opening %s", path);
    char *u = uri + sprintf(uri, "file:");
    for (const char *c = path; *c; c++) {
        if (strchr("%?#", *c))
            u += sprintf(u, "%%%02X", (unsigned char)*c);
        else
            *u++ = *c;
    }
    strcpy(u, "?immutable=1");
    sqlite3_close(st->db);
    int rc = sqlite3_open_v2(uri, &st->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX,
                             NULL);
    free(uri);
    if (rc != SQLITE_OK)
        return store_sqlerr(st, rc, path, err);
    *reopened = 1;
    return OT_OK;
}

/* Why sqlite3_open_v2 could not open path: the system errno it saw, except
 * that creating a file in a folder that exists but cannot be written reads
 * EACCES (SQLite retries read-only and reports the file missing). */
static int open_errno(sqlite3 *db, const char *path, int flags)
{
    int e = db ? sqlite3_system_errno(db) : 0;
    if ((e == ENOENT || e == 0) && (flags & OT_STORE_CREATE) && !(flags & OT_STORE_READONLY)) {
        char dir[4096];
        const char *slash = strrchr(path, '/');
        size_t n = slash ? (size_t)(slash - path) : 0;
        if (n < sizeof dir) {
            memcpy(dir, path, n);
            dir[n] = '\0';
            const char *d = slash ? (n ? dir : "/") : ".";
            if (access(d, F_OK) == 0 && access(d, W_OK) != 0)
                e = EACCES;
        }
    }
    return e;
}

/* Opens with SQLite's own flags, then the pragmas, then the migration.  The
 * temp table put_seen (obs.c) lives in the connection's temp database. */
int ot_store_open(const char *path, int flags, ot_store **out, ot_err *err)
{
    if (!path || !*path)
        return ot_err_set(err, OT_EINVAL, "no database path given");
    ot_store *st = calloc(1, sizeof *st);
    if (!st || !(st->path = strdup(path))) {
        free(st);
        return ot_err_set(err, OT_ENOMEM, "out of memory opening %s", path);
    }
    st->readonly = (flags & OT_STORE_READONLY) != 0;
    st->fresh_after = INT64_MAX;
    int oflags = st->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    if (!st->readonly && (flags & OT_STORE_CREATE))
        oflags |= SQLITE_OPEN_CREATE;
    int rc = sqlite3_open_v2(path, &st->db, oflags | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        int e = open_errno(st->db, path, flags);
        if ((rc & 0xff) == SQLITE_CANTOPEN && e && e != ENOENT && e != ENOTDIR)
            rc = ot_err_set(err, OT_EIO, "%s: cannot open the database: %s", path, strerror(e));
        else if ((rc & 0xff) == SQLITE_CANTOPEN && (flags & OT_STORE_CREATE) && !st->readonly)
            rc = ot_err_set(err, OT_ENOTFOUND,
                            "%s: cannot open the database: %s (its folder does not exist: "
                            "create it first)",
                            path, e ? strerror(e) : "no such file or directory");
        else if ((rc & 0xff) == SQLITE_CANTOPEN)
            rc = ot_err_set(err, OT_ENOTFOUND,
                            "%s: cannot open the database: %s (no database there yet: 'ontrack "
                            "init' or an import creates one)",
                            path, e ? strerror(e) : "no such file or directory");
        else
            rc = store_sqlerr(st, rc, path, err);
        goto fail;
    }
    int immutable;
    if ((rc = reopen_immutable(st, path, &immutable, err)))
        goto fail;
    sqlite3_extended_result_codes(st->db, 1);
    sqlite3_busy_timeout(st->db, STORE_BUSY_MS);
    if ((rc = harden(st, path, err)))
        goto fail;
    if ((rc = exec(st, "PRAGMA foreign_keys = ON", path, err)))
        goto fail;
    if ((rc = foreign_file(st, err)))
        goto fail;
    if (!st->readonly && !immutable && (rc = exec(st, "PRAGMA journal_mode = WAL", path, err)))
        goto fail;
    /* WAL makes NORMAL durable against corruption; a power loss may lose the
     * last commits, never the database. */
    if ((rc = exec(st, "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -16384", path, err)))
        goto fail;
    if ((rc = migrate(st, err)))
        goto fail;
    if ((rc = check_schema(st, err)))
        goto fail;
    if ((rc = exec(st,
                   "CREATE TEMP TABLE put_seen(import_id INTEGER, series_id INTEGER, "
                   "measure INTEGER, freq TEXT, ord INTEGER, vintage INTEGER, "
                   "PRIMARY KEY (import_id, series_id, measure, freq, ord, vintage)) WITHOUT ROWID",
                   path, err)))
        goto fail;
    *out = st;
    return OT_OK;
fail:
    ot_store_close(st);
    return rc;
}

void ot_store_close(ot_store *st)
{
    if (!st)
        return;
    for (int i = 0; i < S_COUNT; i++)
        sqlite3_finalize(st->stmt[i]);
    if (st->db && !sqlite3_get_autocommit(st->db))
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(st->db);
    free(st->pend);
    free(st->arena);
    free(st->hw);
    free(st->sacc);
    free(st->last_key);
    free(st->path);
    free(st);
}

const char *ot_store_path(const ot_store *st)
{
    return st->path;
}

/* ---- transactions ------------------------------------------------------- */

/* What a rolled-back transaction may have created must not outlive it. */
static const char SQL_SERIES_MAX[] = "SELECT coalesce(max(id), 0) FROM series";

static void forget(ot_store *st)
{
    store_drop_pending(st);
    stats_drop(st);
    st->fresh_after = INT64_MAX;
    st->last_id = 0;
    if (st->last_key)
        st->last_key[0] = '\0';
    st->nseen = 0;
}

/* In a held store (ot_store_hold) a begin is a savepoint inside the outer
 * transaction, which the first begin opens; otherwise BEGIN IMMEDIATE. */
int ot_store_begin(ot_store *st, ot_err *err)
{
    if (st->held ? st->sp : !sqlite3_get_autocommit(st->db))
        return ot_err_set(err, OT_EINVAL, "a transaction is already open");
    if (st->readonly)
        return ot_err_set(err, OT_EINVAL, "%s is open read-only", st->path);
    forget(st);
    int rc = OT_OK;
    if (sqlite3_get_autocommit(st->db))
        rc = exec(st, "BEGIN IMMEDIATE", "starting a transaction", err);
    if (rc)
        return rc;
    if (st->held) {
        if ((rc = exec(st, "SAVEPOINT ot_w", "starting a transaction", err))) {
            ot_store_settle(st, 0, NULL);
            return rc;
        }
        st->sp = 1;
    }
    sqlite3_stmt *q = store_stmt(st, S_SERIES_MAX, SQL_SERIES_MAX, err);
    int s = q ? sqlite3_step(q) : SQLITE_ERROR;
    if (s == SQLITE_ROW)
        st->fresh_after = sqlite3_column_int64(q, 0);
    if (q)
        sqlite3_reset(q);
    if (s != SQLITE_ROW) {
        rc = q ? store_sqlerr(st, s, "starting a transaction", err) : (err ? err->code : OT_EIO);
        ot_store_rollback(st);
    }
    return rc;
}

int ot_store_commit(ot_store *st, ot_err *err)
{
    if (st->held ? !st->sp : sqlite3_get_autocommit(st->db))
        return ot_err_set(err, OT_EINVAL, "no transaction is open");
    int rc = store_flush(st, err);
    if (!rc)
        rc = stats_flush(st, err);
    if (!rc && st->nseen > 0)
        rc = exec(st, "DELETE FROM temp.put_seen", "committing", err);
    if (!rc)
        rc = exec(st, st->held ? "RELEASE ot_w" : "COMMIT", "committing", err);
    if (rc)
        ot_store_rollback(st);
    else
        st->sp = 0;
    st->nseen = 0;
    st->fresh_after = INT64_MAX;
    store_drop_pending(st);
    stats_drop(st);
    return rc;
}

void ot_store_rollback(ot_store *st)
{
    if (st->held) {
        if (st->sp && !sqlite3_get_autocommit(st->db))
            sqlite3_exec(st->db, "ROLLBACK TO ot_w; RELEASE ot_w", NULL, NULL, NULL);
        st->sp = 0;
    } else if (!sqlite3_get_autocommit(st->db)) {
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    }
    forget(st);
}

void ot_store_hold(ot_store *st)
{
    if (st)
        st->held = 1;
}

int ot_store_held(const ot_store *st)
{
    return st && st->held;
}

int ot_store_settle(ot_store *st, int commit, ot_err *err)
{
    if (!st || sqlite3_get_autocommit(st->db))
        return OT_OK;
    if (st->sp)
        ot_store_rollback(st); /* a begin left open: its writes are not whole */
    int rc = OT_OK;
    if (commit)
        rc = exec(st, "COMMIT", "committing the script's writes", err);
    if (!sqlite3_get_autocommit(st->db))
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    forget(st);
    return rc;
}

void ot_store_unhold(ot_store *st)
{
    if (!st)
        return;
    ot_store_settle(st, 0, NULL);
    st->held = 0;
    st->sp = 0;
}

/* A write function's own transaction when the caller has none open. */
int store_wbegin(ot_store *st, int *own, ot_err *err)
{
    *own = 0;
    if (st->held ? st->sp : !sqlite3_get_autocommit(st->db))
        return OT_OK;
    int rc = ot_store_begin(st, err);
    *own = rc == OT_OK;
    return rc;
}

int store_wend(ot_store *st, int own, int rc, ot_err *err)
{
    if (!own)
        return rc;
    if (rc) {
        ot_store_rollback(st);
        return rc;
    }
    return ot_store_commit(st, err);
}

/* ---- names -------------------------------------------------------------- */

static const char *const measure_names[OT_MEASURE_COUNT] = {"value", "ytd", "yoy", "ytd_yoy"};

const char *ot_measure_name(ot_measure m)
{
    return m >= 0 && m < OT_MEASURE_COUNT ? measure_names[m] : "";
}

int ot_measure_parse(const char *s, size_t len, ot_measure *out)
{
    if (len == (size_t)-1)
        len = strlen(s);
    for (int i = 0; i < OT_MEASURE_COUNT; i++)
        if (strlen(measure_names[i]) == len && strncasecmp(s, measure_names[i], len) == 0) {
            *out = (ot_measure)i;
            return 0;
        }
    return -1;
}

const char *ot_agg_name(ot_agg a)
{
    return a == OT_AGG_SUM || a == OT_AGG_MEAN || a == OT_AGG_LAST ? ot_agg_names[a] : "";
}

int ot_agg_parse(const char *s)
{
    static const ot_agg stored[] = {OT_AGG_SUM, OT_AGG_MEAN, OT_AGG_LAST};
    for (size_t i = 0; i < sizeof stored / sizeof *stored; i++)
        if (strcasecmp(s, ot_agg_names[stored[i]]) == 0)
            return (int)stored[i];
    return -1;
}

/* ---- series ids and near keys ------------------------------------------- */

static const char SQL_SERIES_ID[] = "SELECT id FROM series WHERE key = ?1";
static const char SQL_SERIES_NEW[] = "INSERT INTO series(key, freq) VALUES (?1, ?2)";
static const char SQL_SERIES_KEYS[] = "SELECT key FROM series ORDER BY key";

int store_series_id(ot_store *st, const char *key, ot_freq f, int64_t *id, ot_err *err)
{
    sqlite3_stmt *q = store_stmt(st, S_SERIES_ID, SQL_SERIES_ID, err);
    if (!q)
        return err ? err->code : OT_EIO;
    sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(q, 0);
        sqlite3_reset(q);
        return OT_OK;
    }
    sqlite3_reset(q);
    if (rc != SQLITE_DONE)
        return store_sqlerr(st, rc, "looking up a series", err);
    if (f == OT_FREQ_NONE)
        return store_unknown_key(st, key, err);
    if (!(q = store_stmt(st, S_SERIES_NEW, SQL_SERIES_NEW, err)))
        return err ? err->code : OT_EIO;
    sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, ot_freq_name(f), -1, SQLITE_STATIC);
    rc = sqlite3_step(q);
    sqlite3_reset(q);
    if (rc != SQLITE_DONE)
        return store_sqlerr(st, rc, "adding a series", err);
    *id = sqlite3_last_insert_rowid(st->db);
    return OT_OK;
}

/* The (up to) three stored keys nearest to key into near, nearest first,
 * within max(2, strlen(key) / 3) edits, and in *d0 the distance of the
 * first (0: key itself is stored); returns how many, -1 when the keys cannot
 * be read.  Scans every key once: the store holds hundreds of series, not
 * millions. */
static int nearest_keys(ot_store *st, const char *key, char near[3][128], int *d0)
{
    int nd[3] = {INT_MAX, INT_MAX, INT_MAX};
    int max = (int)strlen(key) / 3;
    if (max < 2)
        max = 2;
    sqlite3_stmt *q = store_stmt(st, S_SERIES_KEYS, SQL_SERIES_KEYS, NULL);
    while (q && sqlite3_step(q) == SQLITE_ROW) {
        const char *k = (const char *)sqlite3_column_text(q, 0);
        int d = k ? ot_edit_distance(key, k, max) : INT_MAX;
        for (int i = 0; i < 3; i++)
            if (d < nd[i]) {
                for (int j = 2; j > i; j--) {
                    nd[j] = nd[j - 1];
                    memcpy(near[j], near[j - 1], sizeof near[j]);
                }
                nd[i] = d;
                snprintf(near[i], sizeof near[i], "%s", k);
                break;
            }
    }
    if (!q)
        return -1;
    sqlite3_reset(q);
    *d0 = nd[0];
    return (nd[0] != INT_MAX) + (nd[1] != INT_MAX) + (nd[2] != INT_MAX);
}

int store_unknown_key(ot_store *st, const char *key, ot_err *err)
{
    if (!err) /* a probe wants no message: no scan of every key for near ones */
        return OT_ENOTFOUND;
    char near[3][128] = {{0}};
    int d0, n = nearest_keys(st, key, near, &d0);
    if (n <= 0)
        return ot_err_set(err, OT_ENOTFOUND, "unknown series '%s'", key);
    if (n == 1)
        return ot_err_set(err, OT_ENOTFOUND, "unknown series '%s' (did you mean '%s'?)", key,
                          near[0]);
    if (n == 2)
        return ot_err_set(err, OT_ENOTFOUND, "unknown series '%s' (did you mean '%s' or '%s'?)",
                          key, near[0], near[1]);
    return ot_err_set(err, OT_ENOTFOUND,
                      "unknown series '%s' (did you mean '%s', '%s' or '%s'?)", key, near[0],
                      near[1], near[2]);
}

int ot_store_unknown_key(ot_store *st, const char *key, char *buf, size_t cap)
{
    char near[3][128] = {{0}};
    int d0, n = nearest_keys(st, key, near, &d0);
    if (n < 0 || (n > 0 && d0 == 0))
        return 0;
    if (cap)
        snprintf(buf, cap, "%s", n ? near[0] : "");
    return 1;
}

/* ---- metadata ----------------------------------------------------------- */

void ot_series_meta_init(ot_series_meta *m)
{
    memset(m, 0, sizeof *m);
    m->freq = OT_FREQ_NONE;
    m->kind = -1;
    m->agg = OT_AGG_NONE;
    m->release_lag = -1;
}

void ot_series_meta_clear(ot_series_meta *m)
{
    if (!m)
        return;
    free(m->key);
    free(m->name);
    free(m->name_en);
    free(m->region);
    free(m->unit);
    free(m->shape);
    free(m->source);
    free(m->aliases);
    ot_series_meta_init(m);
}

/* ?2..?7 and ?12 are the strings (NULL keeps, '' clears), ?8..?10 the enums
 * and ?11 the release lag (NULL keeps).  The update happens only when a field
 * changes, so sqlite3_changes() says whether anything was written. */
#define META_TEXT(col, p) "iif(" p " IS NULL, " col ", nullif(" p ",''))"
#define META_NEW                                                                          \
    META_TEXT("name", "?2") ", " META_TEXT("name_en", "?3") ", " META_TEXT("region", "?4") \
    ", " META_TEXT("unit", "?5") ", " META_TEXT("shape", "?6") ", "                       \
    META_TEXT("source", "?7") ", coalesce(?8, freq), coalesce(?9, kind), "               \
    "coalesce(?10, agg), coalesce(?11, release_lag), " META_TEXT("aliases", "?12")
static const char SQL_META_PUT[] =
    "INSERT INTO series(key, name, name_en, region, unit, shape, source, freq, kind, agg,\n"
    "                   release_lag, aliases)\n"
    "VALUES (?1, nullif(?2,''), nullif(?3,''), nullif(?4,''), nullif(?5,''), nullif(?6,''),\n"
    "        nullif(?7,''), ?8, ?9, ?10, ?11, nullif(?12,''))\n"
    "ON CONFLICT(key) DO UPDATE SET\n"
    "  (name, name_en, region, unit, shape, source, freq, kind, agg, release_lag, aliases) =\n"
    "  (" META_NEW ")\n"
    "WHERE (name, name_en, region, unit, shape, source, freq, kind, agg, release_lag, aliases)\n"
    "  IS NOT (" META_NEW ")";
#undef META_NEW
#undef META_TEXT

/* A frequency of key's observations other than ?2, if any. */
static const char SQL_OTHER_FREQ[] =
    "SELECT o.freq FROM obs o JOIN series s ON s.id = o.series_id\n"
    "WHERE s.key = ?1 AND o.freq <> ?2 LIMIT 1";

/* OT_EDATA when key holds observations of another frequency than f: one
 * series holds one frequency, and the metadata must not say otherwise (the
 * next import would then store a second, hidden series under the key). */
static int check_freq(ot_store *st, const char *key, ot_freq f, ot_err *err)
{
    sqlite3_stmt *q = store_stmt(st, S_SERIES_OTHER_FREQ, SQL_OTHER_FREQ, err);
    if (!q)
        return err ? err->code : OT_EIO;
    sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, ot_freq_name(f), -1, SQLITE_STATIC);
    int s = sqlite3_step(q);
    char have[8] = "";
    if (s == SQLITE_ROW)
        snprintf(have, sizeof have, "%s", (const char *)sqlite3_column_text(q, 0));
    sqlite3_reset(q);
    if (s == SQLITE_ROW)
        return ot_err_set(err, OT_EDATA,
                          "%s holds observations of frequency %s; found the frequency %s: one "
                          "series holds one frequency",
                          key, have, ot_freq_name(f));
    return s == SQLITE_DONE ? OT_OK : store_sqlerr(st, s, "reading a series' frequency", err);
}

int ot_store_put_meta(ot_store *st, const ot_series_meta *m, ot_err *err)
{
    return ot_store_put_meta_res(st, m, NULL, NULL, err);
}

int ot_store_put_meta_res(ot_store *st, const ot_series_meta *m, int64_t *id, ot_put_result *res,
                          ot_err *err)
{
    if (!m->key || !*m->key)
        return ot_err_set(err, OT_EINVAL, "series metadata without a key");
    if (m->kind < -1 || m->kind > OT_KIND_RATE)
        return ot_err_set(err, OT_EINVAL, "series '%s': bad kind %d", m->key, m->kind);
    const char *const texts[] = {m->key, m->name, m->name_en, m->region, m->unit,
                                 m->shape, m->source, m->aliases};
    static const char *const names[] = {"key",   "name",  "name_en", "region",
                                        "unit",  "shape", "source",  "aliases"};
    int own, rc = OT_OK;
    for (size_t i = 0; i < sizeof texts / sizeof *texts && !rc; i++)
        rc = store_text_check("series metadata", names[i], texts[i], err);
    if (rc || (rc = store_wbegin(st, &own, err)))
        return rc;
    if (rc)
        return rc;
    if (m->freq != OT_FREQ_NONE && (rc = check_freq(st, m->key, m->freq, err)))
        goto done;
    sqlite3_stmt *q = store_stmt(st, S_SERIES_META_PUT, SQL_META_PUT, err);
    if (!q) {
        rc = err ? err->code : OT_EIO;
        goto done;
    }
    store_bind_text(q, 1, m->key);
    store_bind_text(q, 2, m->name);
    store_bind_text(q, 3, m->name_en);
    store_bind_text(q, 4, m->region);
    const char *canon = ot_unit_canonical(m->unit);
    store_bind_text(q, 5, canon ? canon : m->unit);
    store_bind_text(q, 6, m->shape);
    store_bind_text(q, 7, m->source);
    store_bind_text(q, 8, m->freq != OT_FREQ_NONE ? ot_freq_name(m->freq) : NULL);
    store_bind_text(q, 9, m->kind >= 0 ? ot_kind_name((ot_kind)m->kind) : NULL);
    store_bind_text(q, 10, m->agg != OT_AGG_NONE ? ot_agg_name(m->agg) : NULL);
    if (m->release_lag >= 0)
        sqlite3_bind_int(q, 11, m->release_lag);
    else
        sqlite3_bind_null(q, 11);
    store_bind_text(q, 12, m->aliases);
    int s = sqlite3_step(q);
    sqlite3_reset(q);
    if (s != SQLITE_DONE) {
        rc = store_sqlerr(st, s, "storing series metadata", err);
        goto done;
    }
    int changed = sqlite3_changes(st->db) > 0;
    int64_t sid = 0;
    if (id && (rc = store_series_id(st, m->key, OT_FREQ_NONE, &sid, err)))
        goto done;
    if (id)
        *id = sid;
    if (res)
        *res = changed ? OT_PUT_INSERTED : OT_PUT_UNCHANGED;
done:
    return store_wend(st, own, rc, err);
}

static const char SQL_META_GET[] =
    "SELECT key, name, name_en, region, unit, shape, source, freq, kind, agg, release_lag,\n"
    "       aliases\n"
    "FROM series WHERE key = ?1";

int ot_store_get_meta(ot_store *st, const char *key, ot_series_meta *out, ot_err *err)
{
    sqlite3_stmt *q = store_stmt(st, S_SERIES_META_GET, SQL_META_GET, err);
    if (!q)
        return err ? err->code : OT_EIO;
    sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
    int s = sqlite3_step(q);
    if (s != SQLITE_ROW) {
        sqlite3_reset(q);
        return s == SQLITE_DONE ? store_unknown_key(st, key, err)
                                : store_sqlerr(st, s, "reading series metadata", err);
    }
    ot_series_meta m;
    ot_series_meta_init(&m);
    int oom = 0;
    m.key = store_col_strdup(q, 0, &oom);
    m.name = store_col_strdup(q, 1, &oom);
    m.name_en = store_col_strdup(q, 2, &oom);
    m.region = store_col_strdup(q, 3, &oom);
    m.unit = store_col_strdup(q, 4, &oom);
    m.shape = store_col_strdup(q, 5, &oom);
    m.source = store_col_strdup(q, 6, &oom);
    m.aliases = store_col_strdup(q, 11, &oom);
    const char *t;
    if ((t = (const char *)sqlite3_column_text(q, 7)))
        m.freq = ot_freq_parse(t);
    if ((t = (const char *)sqlite3_column_text(q, 8)))
        m.kind = ot_kind_parse(t);
    if ((t = (const char *)sqlite3_column_text(q, 9)) && ot_agg_parse(t) >= 0)
        m.agg = (ot_agg)ot_agg_parse(t);
    if (sqlite3_column_type(q, 10) == SQLITE_INTEGER)
        m.release_lag = sqlite3_column_int(q, 10);
    sqlite3_reset(q);
    if (oom) {
        ot_series_meta_clear(&m);
        return ot_err_set(err, OT_ENOMEM, "out of memory reading series '%s'", key);
    }
    *out = m;
    return OT_OK;
}

/* ---- listing ------------------------------------------------------------ */

/* One series_stats row per series and frequency (stats.c keeps them in
 * step with obs): the key index in order, one seek per series. */
static const char SQL_KEYS[] =
    "SELECT s.key, s.name, s.unit, coalesce(t.freq, s.freq), coalesce(t.measures, 0), t.lo, t.hi,\n"
    "       coalesce(t.n, 0), s.id\n"
    "FROM series s LEFT JOIN series_stats t ON t.series_id = s.id\n"
    "WHERE ?1 IS NULL OR s.key GLOB ?1\n"
    "ORDER BY s.key, t.freq";

static const char SQL_KEYS_NAMED[] =
    "SELECT s.key, s.name, s.unit, coalesce(t.freq, s.freq), coalesce(t.measures, 0), t.lo, t.hi,\n"
    "       coalesce(t.n, 0), s.id\n"
    "FROM series s LEFT JOIN series_stats t ON t.series_id = s.id\n"
    "WHERE lower(s.key) GLOB lower(?1) OR lower(s.name) GLOB lower(?1)\n"
    "   OR lower(s.name_en) GLOB lower(?1)\n"
    "ORDER BY s.key, t.freq";

static const char SQL_KEY_NAMES[] =
    "SELECT key, name, unit, freq FROM series WHERE ?1 IS NULL OR key GLOB ?1 ORDER BY key";

/* The span of the latest vintage of each measure at one period: 2 when
 * every measure stored there has it as a January–February release. */
static const char SQL_KEY_FEB_SPAN[] =
    "SELECT min(span) FROM (SELECT (SELECT o.span FROM obs o WHERE o.series_id = ?1\n"
    "  AND o.measure = m.id AND o.freq = 'M' AND o.ord = ?2 ORDER BY o.vintage DESC LIMIT 1)\n"
    "  AS span FROM measures m)";

/* A monthly series' first or last period, when a February, is shown as the
 * January–February release it is (2023-01/02) when every measure's latest
 * figure there is one: four seeks of the primary key, for such periods only. */
static int key_span(ot_store *st, int64_t sid, ot_period *p, ot_err *err)
{
    if (p->freq != OT_FREQ_M || ot_period_sub(OT_FREQ_M, p->ord) != 2)
        return OT_OK;
    sqlite3_stmt *q = store_stmt(st, S_KEY_FEB_SPAN, SQL_KEY_FEB_SPAN, err);
    if (!q)
        return err ? err->code : OT_EIO;
    sqlite3_bind_int64(q, 1, sid);
    sqlite3_bind_int(q, 2, p->ord);
    int s = sqlite3_step(q);
    if (s == SQLITE_ROW && sqlite3_column_int(q, 0) == 2)
        p->span = 2;
    sqlite3_reset(q);
    return s == SQLITE_ROW || s == SQLITE_DONE ? OT_OK : store_sqlerr(st, s, "listing series", err);
}

/* The listing of ot_store_keys (stats 1), ot_store_keys_named (2) or
 * ot_store_key_names (0). */
static int list_keys(ot_store *st, const char *pattern, int stats, ot_key_fn fn, void *ud,
                     ot_err *err)
{
    int rc = store_flush(st, err);
    if (!rc && stats)
        rc = stats_flush(st, err); /* what this transaction wrote so far */
    if (rc)
        return rc;
    sqlite3_stmt *q = stats == 2 && pattern ? store_stmt(st, S_KEYS_NAMED, SQL_KEYS_NAMED, err)
                      : stats       ? store_stmt(st, S_KEYS, SQL_KEYS, err)
                                    : store_stmt(st, S_KEY_NAMES, SQL_KEY_NAMES, err);
    if (!q)
        return err ? err->code : OT_EIO;
    store_bind_text(q, 1, pattern);
    int s;
    while ((s = sqlite3_step(q)) == SQLITE_ROW) {
        ot_key_info ki;
        memset(&ki, 0, sizeof ki);
        ki.key = (const char *)sqlite3_column_text(q, 0);
        if (!ki.key) {
            sqlite3_reset(q);
            return ot_err_set(err, OT_EDATA, "%s: a series without a key: the database is damaged",
                              st->path);
        }
        ki.name = (const char *)sqlite3_column_text(q, 1);
        ki.unit = (const char *)sqlite3_column_text(q, 2);
        const char *f = (const char *)sqlite3_column_text(q, 3);
        ki.freq = f ? ot_freq_parse(f) : OT_FREQ_NONE;
        if (stats) {
            ki.measures = (unsigned)sqlite3_column_int(q, 4);
            ki.first = (ot_period){ki.freq, (ot_ord)sqlite3_column_int(q, 5), 1};
            ki.last = (ot_period){ki.freq, (ot_ord)sqlite3_column_int(q, 6), 1};
            ki.count = sqlite3_column_int64(q, 7);
            int64_t sid = sqlite3_column_int64(q, 8);
            if (ki.count > 0 && ((rc = key_span(st, sid, &ki.first, err)) ||
                                 (rc = key_span(st, sid, &ki.last, err)))) {
                sqlite3_reset(q);
                return rc;
            }
        } else {
            ki.count = -1;
        }
        if (fn(ud, &ki))
            break;
    }
    sqlite3_reset(q);
    if (s != SQLITE_ROW && s != SQLITE_DONE)
        return store_sqlerr(st, s, "listing series", err);
    return OT_OK;
}

int ot_store_keys(ot_store *st, const char *pattern, ot_key_fn fn, void *ud, ot_err *err)
{
    return list_keys(st, pattern, 1, fn, ud, err);
}

int ot_store_keys_named(ot_store *st, const char *pattern, ot_key_fn fn, void *ud, ot_err *err)
{
    return list_keys(st, pattern, 2, fn, ud, err);
}

int ot_store_key_names(ot_store *st, const char *pattern, ot_key_fn fn, void *ud, ot_err *err)
{
    return list_keys(st, pattern, 0, fn, ud, err);
}

/* ---- imports ------------------------------------------------------------ */

static const char SQL_IMPORT_NEW[] =
    "INSERT INTO imports(file, hash, format, as_of, time)\n"
    "VALUES (?1, ?2, ?3, ?4, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))";
static const char SQL_IMPORT_DONE[] = "UPDATE imports SET rows = ?2 WHERE id = ?1";
static const char SQL_IMPORT_DELETE[] = "DELETE FROM imports WHERE id = ?1";
static const char SQL_IMPORT_FIND[] =
    "SELECT id FROM imports WHERE hash = ?1 AND format = ?2 AND as_of IS ?3\n"
    "AND rows IS NOT NULL ORDER BY id LIMIT 1";

/* The hash is stored as 16 hex digits: SQLite integers are signed. */
static void bind_import(sqlite3_stmt *q, const ot_import_rec *r)
{
    char hex[17];
    snprintf(hex, sizeof hex, "%016llx", (unsigned long long)r->hash);
    sqlite3_bind_text(q, 1, hex, -1, SQLITE_TRANSIENT);
    store_bind_text(q, 2, r->format);
    if (r->as_of != OT_VINTAGE_NONE)
        sqlite3_bind_int(q, 3, r->as_of);
}

int ot_store_import_begin(ot_store *st, const ot_import_rec *r, int64_t *id, ot_err *err)
{
    sqlite3_stmt *q = store_stmt(st, S_IMPORT_NEW, SQL_IMPORT_NEW, err);
    if (!q)
        return err ? err->code : OT_EIO;
    char hex[17];
    snprintf(hex, sizeof hex, "%016llx", (unsigned long long)r->hash);
    store_bind_text(q, 1, r->file);
    sqlite3_bind_text(q, 2, hex, -1, SQLITE_TRANSIENT);
    store_bind_text(q, 3, r->format);
    if (r->as_of != OT_VINTAGE_NONE)
        sqlite3_bind_int(q, 4, r->as_of);
    int s = sqlite3_step(q);
    sqlite3_reset(q);
    if (s != SQLITE_DONE)
        return store_sqlerr(st, s, "recording an import", err);
    *id = sqlite3_last_insert_rowid(st->db);
    return OT_OK;
}

int ot_store_import_done(ot_store *st, int64_t id, long long rows, int discard, ot_err *err)
{
    sqlite3_stmt *q = discard ? store_stmt(st, S_IMPORT_DELETE, SQL_IMPORT_DELETE, err)
                              : store_stmt(st, S_IMPORT_DONE, SQL_IMPORT_DONE, err);
    if (!q)
        return err ? err->code : OT_EIO;
    sqlite3_bind_int64(q, 1, id);
    if (!discard)
        sqlite3_bind_int64(q, 2, rows);
    int s = sqlite3_step(q);
    sqlite3_reset(q);
    return s == SQLITE_DONE ? OT_OK : store_sqlerr(st, s, "recording an import", err);
}

int ot_store_import_find(ot_store *st, const ot_import_rec *r, int64_t *found, ot_err *err)
{
    sqlite3_stmt *q = store_stmt(st, S_IMPORT_FIND, SQL_IMPORT_FIND, err);
    if (!q)
        return err ? err->code : OT_EIO;
    bind_import(q, r);
    int s = sqlite3_step(q);
    int64_t id = s == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
    sqlite3_reset(q);
    if (s != SQLITE_ROW && s != SQLITE_DONE)
        return store_sqlerr(st, s, "looking up earlier imports", err);
    *found = id;
    return OT_OK;
}
