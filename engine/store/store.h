/* store.h — the SQLite indicator store: series metadata, observations with
 * vintages, imports, targets, runs and projections.
 *
 * Ownership, for the whole API: an ot_store is opened by ot_store_open and
 * closed by ot_store_close; everything returned through an out-parameter is
 * new and owned by the caller, freed with the function named beside it.
 * Strings passed in are copied when kept.  Out-parameters are written only on
 * success.  Observations are never overwritten: a changed value becomes a new
 * vintage, and every read can ask for the data as known at a date.  The
 * schema is in docs/storage.md.  Uses SQLite; sqlite3.h never leaks out.
 */
#ifndef OT_STORE_STORE_H
#define OT_STORE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/ops.h"
#include "core/period.h"
#include "core/series.h"
#include "core/target.h"

typedef struct ot_store ot_store;

/* ot_store_open flags */
enum {
    OT_STORE_READONLY = 1, /* open read-only; the file must exist and be migrated */
    OT_STORE_CREATE = 2    /* create the file when it does not exist */
};

/* Vintages and as-of dates are days since 1970-01-01 (ot_days_from_civil). */
#define OT_VINTAGE_NONE INT32_MIN /* no release date: known from the period's last day */
#define OT_ASOF_LATEST INT32_MAX  /* read the latest vintage of every period */

/* What an observation measures, as the statistics bureau publishes it. */
typedef enum ot_measure {
    OT_MEASURE_ANY = -1,   /* reads only: the one measure stored for the key */
    OT_MEASURE_VALUE = 0,  /* the period's own value (end of period for stocks) */
    OT_MEASURE_YTD = 1,    /* 累计值: year to date */
    OT_MEASURE_YOY = 2,    /* 当月同比: % change on the same period last year */
    OT_MEASURE_YTD_YOY = 3 /* 累计同比: % change of ytd on last year's ytd */
} ot_measure;
#define OT_MEASURE_COUNT 4

/* "value", "ytd", "yoy", "ytd_yoy" ("" for OT_MEASURE_ANY or out of range). */
const char *ot_measure_name(ot_measure m);
/* Parses a measure name, in any case (len (size_t)-1 for NUL-terminated);
 * returns 0 and sets *out, or -1 when s is not one of the four names. */
int ot_measure_parse(const char *s, size_t len, ot_measure *out);

/* The current schema version (PRAGMA user_version after migration). */
#define OT_STORE_SCHEMA_VERSION 8

/* ---- opening ----------------------------------------------------------- */

/* Opens (flags OT_STORE_CREATE: creates) the database at path (":memory:"
 * for a private in-memory one), sets WAL, foreign keys, busy timeout 5000 ms
 * and migrates the schema to OT_STORE_SCHEMA_VERSION.  Returns new in *out;
 * caller closes with ot_store_close.  OT_ENOTFOUND when the file is missing
 * and CREATE not given; OT_ELOCKED when busy; OT_EIO otherwise; OT_EDATA when
 * the file's schema is newer than this engine. */
int ot_store_open(const char *path, int flags, ot_store **out, ot_err *err);
/* Closes st, rolling back an open transaction; accepts NULL. */
void ot_store_close(ot_store *st);
/* The path st was opened with (owned by st). */
const char *ot_store_path(const ot_store *st);

/* ---- transactions ------------------------------------------------------ */

/* BEGIN IMMEDIATE.  Every write function below runs in its own transaction
 * when none is open, or inside the caller's when one is; bulk writers (import)
 * call begin, many put_*, then commit or rollback.  OT_ELOCKED when another
 * writer holds the database past the busy timeout; OT_EINVAL when one is open. */
int ot_store_begin(ot_store *st, ot_err *err);
/* COMMIT.  OT_EINVAL when no transaction is open; on failure the transaction
 * is rolled back. */
int ot_store_commit(ot_store *st, ot_err *err);
/* ROLLBACK; does nothing when no transaction is open. */
void ot_store_rollback(ot_store *st);

/* Holds every later write of st in one outer transaction (a script run as a
 * whole: docs/reliability.md).  The first write opens it with BEGIN IMMEDIATE;
 * from then on begin/commit/rollback are a savepoint inside it, and nothing
 * is committed until ot_store_settle.  Stays in force until close. */
void ot_store_hold(ot_store *st);
/* Whether st is held (ot_store_hold). */
int ot_store_held(const ot_store *st);
/* Ends the outer transaction of a held store: COMMIT when commit is nonzero,
 * else ROLLBACK; OT_OK when none is open.  On a failed COMMIT everything is
 * rolled back and the error returned (OT_ELOCKED, OT_EIO). */
int ot_store_settle(ot_store *st, int commit, ot_err *err);
/* Ends ot_store_hold: later writes commit on their own again.  An outer
 * transaction still open is rolled back (settle first to keep it).  Accepts
 * NULL. */
void ot_store_unhold(ot_store *st);

/* ---- series metadata --------------------------------------------------- */

/* A series' aggregation over time is core's ot_agg (core/ops.h): OT_AGG_SUM
 * for flows, OT_AGG_MEAN for rates and averages, OT_AGG_LAST for stocks, and
 * OT_AGG_NONE when unknown (the reader decides from the kind). */

/* "sum", "mean", "last" ("" for OT_AGG_NONE or any other value). */
const char *ot_agg_name(ot_agg a);
/* The ot_agg of "sum", "mean" or "last" (any case); -1 for anything else. */
int ot_agg_parse(const char *s);

typedef struct ot_series_meta {
    char *key;     /* required for put */
    char *name;    /* Chinese name, e.g. 出口总额 */
    char *name_en;
    char *region;
    char *unit;
    char *shape;   /* series whose within-year shape projection borrows */
    char *source;
    ot_freq freq;  /* OT_FREQ_NONE = unknown */
    int kind;      /* ot_kind, or -1 = unknown */
    ot_agg agg;
    int release_lag; /* days after a period's end before a value without a vintage
                        counts as known; -1 = the frequency's default
                        (ot_store_release_lag) */
    char *aliases; /* other names in published tables, '|'-separated: 社零额|社会消费品零售总额 */
} ot_series_meta;

/* Empty metadata (NULL strings, unknown enums). */
void ot_series_meta_init(ot_series_meta *m);
/* Frees m's strings (allocated with ot_alloc_std) and re-initialises it;
 * accepts NULL. */
void ot_series_meta_clear(ot_series_meta *m);

/* What a put did (ot_store_put_obs, ot_store_put_meta_res,
 * ot_store_put_target_res). */
typedef enum ot_put_result {
    OT_PUT_INSERTED = 0, /* written: a new observation or vintage, a new or changed row */
    OT_PUT_UNCHANGED     /* the same as stored: nothing written */
} ot_put_result;

/* The canonical spelling of a unit (units.c, docs/formats.md "Units"): 亿元
 * for 100m_cny or 亿元人民币, % for pct; the static string, or NULL when the
 * unit is not in the table.  Blanks around it and the case of ASCII letters
 * do not matter. */
const char *ot_unit_canonical(const char *unit);

/* Creates the series m->key or updates it: NULL strings and unknown enums
 * leave the stored field unchanged, "" clears a string; a unit is stored in
 * its canonical spelling (ot_unit_canonical).  OT_EINVAL for an
 * empty key; OT_EDATA when m->freq differs from the frequency of the key's
 * stored observations (one series holds one frequency). */
int ot_store_put_meta(ot_store *st, const ot_series_meta *m, ot_err *err);
/* ot_store_put_meta, also saying what it did: *id (may be NULL) receives the
 * series' id, *res (may be NULL) OT_PUT_UNCHANGED when every field given was
 * already stored so. */
int ot_store_put_meta_res(ot_store *st, const ot_series_meta *m, int64_t *id, ot_put_result *res,
                          ot_err *err);
/* Whether no series is stored under key: 1, with the stored key nearest to
 * it (edit distance within max(2, strlen(key) / 3), as the "did you mean" of
 * an unknown key) in buf, "" when none is that near; 0 when key is stored,
 * or when the keys cannot be read. */
int ot_store_unknown_key(ot_store *st, const char *key, char *buf, size_t cap);

/* Fills *out (strings new, caller frees with ot_series_meta_clear).
 * OT_ENOTFOUND (message suggests near keys) when key is unknown. */
int ot_store_get_meta(ot_store *st, const char *key, ot_series_meta *out, ot_err *err);

/* ---- listing ----------------------------------------------------------- */

typedef struct ot_key_info {
    const char *key;   /* valid during the callback only */
    const char *name;  /* may be NULL */
    const char *unit;  /* may be NULL */
    ot_freq freq;      /* frequency of these observations (meta freq when none) */
    unsigned measures; /* bit (1u << ot_measure) per measure stored */
    ot_period first, last; /* span 2 for a January–February release (every measure's
                            * latest figure there); meaningless when count == 0 */
    long long count;   /* distinct periods stored, any measure, any vintage */
} ot_key_info;

/* Returns non-zero to stop the listing. */
typedef int (*ot_key_fn)(void *ud, const ot_key_info *ki);

/* Calls fn once per series key (once per key and frequency when a key holds
 * several) matching the GLOB pattern (NULL = all), in key order.  Reads one
 * summary row per series (series_stats, kept by put_obs), so its cost does
 * not grow with the observations.  Returns OT_OK (also when fn stopped it)
 * or OT_EIO. */
int ot_store_keys(ot_store *st, const char *pattern, ot_key_fn fn, void *ud, ot_err *err);
/* The same listing where the pattern may match the key, the name or the
 * English name (`ontrack series 出口`), ASCII letters in any case (`gdp`
 * matches "Yiwu GDP"). */
int ot_store_keys_named(ot_store *st, const char *pattern, ot_key_fn fn, void *ud, ot_err *err);
/* The same listing without the statistics (measures 0, count -1, freq from
 * the metadata): one row per key, fast whatever the number of observations. */
int ot_store_key_names(ot_store *st, const char *pattern, ot_key_fn fn, void *ud, ot_err *err);

/* ---- imports ----------------------------------------------------------- */

typedef struct ot_import_rec {
    const char *file;   /* as given */
    uint64_t hash;      /* XXH64 of the file's bytes, seed 0 */
    const char *format; /* "long", "wide", "targets", "series" */
    int32_t as_of;      /* --as-of for undated rows, or OT_VINTAGE_NONE */
} ot_import_rec;

/* Records an import (time = now) and returns its id in *id, for put_obs and
 * ot_store_import_done.  Call inside a transaction. */
int ot_store_import_begin(ot_store *st, const ot_import_rec *r, int64_t *id, ot_err *err);
/* Stores the row count of import id, or deletes the record when it wrote
 * nothing (discard non-zero). */
int ot_store_import_done(ot_store *st, int64_t id, long long rows, int discard, ot_err *err);
/* Sets *found to the id of an earlier import of the same hash, format and
 * as_of (0 when none). */
int ot_store_import_find(ot_store *st, const ot_import_rec *r, int64_t *found, ot_err *err);

/* ---- observations ------------------------------------------------------ */

/* Adds one observation of key (created with freq p.freq when unknown).  The
 * row's vintage is `vintage` (days) or, for OT_VINTAGE_NONE, the last day of
 * the period.  When the latest stored vintage on or before it has the same
 * value and span, nothing is written (*res = OT_PUT_UNCHANGED); otherwise a
 * new vintage row is written.  OT_EDATA when the same key, measure, period
 * and vintage was already put by this import (a duplicate row), or is stored
 * with a different value (a revision needs a later vintage).  import_id is
 * from ot_store_import_begin, or 0.  source may be NULL.  value must not be
 * NaN (missing values are not stored).  res may be NULL.  Messages carry no
 * location; the caller adds it.  Rows that cannot clash (a series new in
 * this transaction, keys increasing) are written in batches, so an I/O
 * failure may surface from a later call or from ot_store_commit. */
int ot_store_put_obs(ot_store *st, const char *key, ot_measure m, ot_period p, double value,
                     int32_t vintage, const char *source, int64_t import_id,
                     ot_put_result *res, ot_err *err);

/* Stores every present value of s as key's measure m at `vintage`
 * (OT_VINTAGE_NONE: each period's last day), a January–February value as
 * the combined period (span 2); for m = value also the series' name, unit
 * and kind as key's metadata.  One transaction (or the caller's).  Counts
 * in *inserted and *unchanged; on failure everything is rolled back and the
 * message names the key and period ("x.y 2023-03: ..."). */
int ot_store_put_series(ot_store *st, const char *key, ot_measure m, const ot_series *s,
                        int32_t vintage, const char *source, long long *inserted,
                        long long *unchanged, ot_err *err);

typedef struct ot_read_opts {
    ot_measure measure; /* OT_MEASURE_ANY: the only one stored (error names them when several) */
    ot_freq freq;       /* OT_FREQ_NONE: the only one stored, else the series' own */
    int32_t as_of;      /* days; OT_ASOF_LATEST for the latest vintages */
    int empty;          /* 1: nothing known yet as of as_of is an empty series, not OT_ENOTFOUND */
} ot_read_opts;

/* Defaults: any measure, any frequency, latest; nothing known is an error. */
#define OT_READ_OPTS_INIT {OT_MEASURE_ANY, OT_FREQ_NONE, OT_ASOF_LATEST, 0}

/* Default release lags, in days after the end of a period, of a value stored
 * without a vintage (docs/storage.md): monthly about the 15th of the next
 * month, quarterly about 20 days after the quarter, yearly the next spring
 * (end of March), daily the next day. */
#define OT_LAG_M 15
#define OT_LAG_Q 20
#define OT_LAG_Y 90
#define OT_LAG_D 1

/* The release lag of freq: lag when >= 0 (a series' own), else the default. */
int ot_store_release_lag(ot_freq freq, int lag);

/* Reads key as known at o->as_of: for every period the latest vintage on or
 * before as_of (undated rows count from the end of their period plus the
 * series' release lag, ot_store_release_lag; with OT_ASOF_LATEST every row
 * counts).  The result
 * spans the first to the last period known, NaN between; a Jan–Feb combined
 * value sits on February with January flagged OT_OBS_COVERED.  Metadata key,
 * name, unit and kind are set.  o may be NULL (defaults); a may be NULL.
 * Returns new in *out; caller frees with ot_series_free.  OT_ENOTFOUND for an
 * unknown key (suggests near keys) or when nothing is known at as_of
 * (with o->empty, an empty series at as_of's period, metadata set, instead);
 * OT_EINVAL when the measure or frequency is ambiguous or absent (the message
 * lists those stored). */
int ot_store_read(ot_store *st, const char *key, const ot_read_opts *o, const ot_alloc *a,
                  ot_series **out, ot_err *err);

/* The day the data of key through period ord (of freq) were first known —
 * the date a record origin stands for (docs/methods-projection.md §10): the
 * earliest vintage of any measure at that period, an undated row counting
 * from its period's last day plus the series' release lag; with no row at
 * that period, the period's last day plus the frequency's default lag.
 * OT_ENOTFOUND for an unknown key. */
int ot_store_origin_day(ot_store *st, const char *key, ot_freq freq, ot_ord ord, int32_t *day,
                        ot_err *err);

/* *revised = 1 when some period of key is stored in more than one vintage
 * (a later figure revised an earlier one), else 0.  OT_ENOTFOUND for an
 * unknown key. */
int ot_store_revised(ot_store *st, const char *key, int *revised, ot_err *err);

/* ---- record points (recpoints.c) ---------------------------------------- */

/* A projection record's level-model point kept across runs, under hash (the
 * series, method, origin and every number it came from; project/record.c):
 * *found = 1 and *value (NaN = the model gave none) when kept, else
 * *found = 0. */
int ot_store_recpoint_get(ot_store *st, uint64_t hash, int *found, double *value, ot_err *err);
/* Keeps one (INSERT OR IGNORE: a hash names one value); series, cand and
 * origin ("2019-06") say what it is.  On a read-only store nothing is
 * written and OT_OK returned.  One statement in the caller's transaction,
 * else its own. */
int ot_store_recpoint_put(ot_store *st, uint64_t hash, const char *series, const char *cand,
                          const char *origin, double value, ot_err *err);

/* ---- revisions and names (revisions.c) --------------------------------- */

/* One stored vintage of one period, for ot_store_revisions. */
typedef struct ot_revision {
    ot_measure measure;
    ot_period period;
    int32_t vintage;     /* days: known from; for a row stored without a release date,
                            its period's last day plus the series' release lag */
    int undated;         /* the row was stored without a release date */
    double value;
    const char *source;  /* may be NULL; valid during the callback only */
    int64_t import_id;   /* 0 when written by a script (db:put) */
    const char *file;    /* the import's file, NULL when none */
    const char *time;    /* when the import ran (UTC text), NULL when none */
} ot_revision;

/* Returns non-zero to stop. */
typedef int (*ot_revision_fn)(void *ud, const ot_revision *r);

/* Calls fn for every stored row of key (when period is not NULL, of the
 * periods overlapping it: within it, as the months of 2023Q1 or 2023, or
 * containing it, as the month of 2023-01-15 or the 2023-01/02 release of
 * 2023-01), by
 * frequency, measure, period and vintage.  OT_ENOTFOUND for an unknown key
 * (suggests near keys), OT_EIO.  A non-zero return of fn stops it (OT_OK). */
int ot_store_revisions(ot_store *st, const char *key, const ot_period *period, ot_revision_fn fn,
                       void *ud, ot_err *err);

/* Whether the January jan (monthly ordinal) of key and measure m, stored at
 * vintage, is covered for good: February's latest figure at that vintage is
 * a January–February release (span 2) and no February figure of its own
 * (span 1) comes later, so no as-of read will ever see that January.  Sets
 * *covering to the release's vintage, or to OT_VINTAGE_NONE when not
 * covered.  OT_EIO. */
int ot_store_january_covered(ot_store *st, const char *key, ot_measure m, ot_ord jan,
                             int32_t vintage, int32_t *covering, ot_err *err);

/* The stored frequency of key in *freq (OT_FREQ_NONE when unset) and
 * whether the key exists in *found; one indexed lookup, without the near-key
 * suggestions of ot_store_get_meta.  OT_EIO. */
int ot_store_series_freq(ot_store *st, const char *key, ot_freq *freq, int *found, ot_err *err);

/* Called with borrowed metadata (key, name, name_en, aliases, unit, freq
 * set; valid during the call); a non-zero return stops and is returned. */
typedef int (*ot_names_fn)(void *ud, const ot_series_meta *m);
/* Calls fn for every stored series, in key order.  OT_EIO. */
int ot_store_names(ot_store *st, ot_names_fn fn, void *ud, ot_err *err);

/* ---- targets ----------------------------------------------------------- */

/* Stores t: a target is identified by year, kind, series, ref and label; an
 * identical one changes nothing, one with the same identity and other fields
 * different is updated.  *id (may be NULL) receives its id.  OT_EINVAL when a
 * quantified target has no series or no year. */
int ot_store_put_target(ot_store *st, const ot_target *t, int64_t *id, ot_err *err);
/* ot_store_put_target, also saying what it did: *res (may be NULL) is
 * OT_PUT_UNCHANGED when an identical target was stored. */
int ot_store_put_target_res(ot_store *st, const ot_target *t, int64_t *id, ot_put_result *res,
                            ot_err *err);
/* Returns the targets of year (0 = all), ordered by year and id, as a new
 * array *out of *n targets; ids (may be NULL) receives a new array of their
 * ids.  Caller frees with ot_store_targets_free(*out, *n) and free(*ids). */
int ot_store_targets(ot_store *st, int year, ot_target **out, int64_t **ids, size_t *n,
                     ot_err *err);
/* Clears and frees an array from ot_store_targets; accepts NULL. */
void ot_store_targets_free(ot_target *t, size_t n);

/* ---- runs and projections ---------------------------------------------- */

typedef struct ot_run {
    const char *job;           /* job name or script path; may be NULL */
    int32_t as_of;             /* days, or OT_ASOF_LATEST */
    const char *engine_version;
    const char *scripts_hash;  /* hex, may be NULL */
    const char *data_hash;     /* hex, may be NULL */
    const char *through;       /* the period the data were cut at ("2023-09"), or NULL */
} ot_run;

/* Records a run started now with status "running"; *id receives its id. */
int ot_store_run_begin(ot_store *st, const ot_run *r, int64_t *id, ot_err *err);
/* Sets the finish time and status ("ok", "failed", ...) of run id. */
int ot_store_run_finish(ot_store *st, int64_t id, const char *status, ot_err *err);
/* Records the title and language ("zh", "en") a job's reports used, NULL
 * for the defaults, so that rendering run id later gives the same page. */
int ot_store_run_set_look(ot_store *st, int64_t id, const char *title, const char *lang,
                          ot_err *err);
/* Reads them back as new strings (NULL when not recorded); caller frees.
 * OT_ENOTFOUND when there is no run id. */
int ot_store_run_look(ot_store *st, int64_t id, char **title, char **lang, ot_err *err);
/* Marks run id failed now, with why (the error message; may be NULL). */
int ot_store_run_fail(ot_store *st, int64_t id, const char *why, ot_err *err);
/* Why run id failed as a new string, NULL when not recorded; caller frees.
 * OT_ENOTFOUND when there is no run id. */
int ot_store_run_error(ot_store *st, int64_t id, char **why, ot_err *err);

typedef struct ot_projection_row {
    int64_t run_id;
    int64_t target_id;  /* 0 when the target is not stored */
    const char *label;
    int32_t as_of;      /* days */
    double point, lo80, hi80, lo95, hi95, prob, required, carry; /* NaN = none */
    const char *status; /* the status name: "met", "on_track", ... */
    const char *method;
    const char *note;
    const char *data;   /* every field of the projection as JSON (run/fields.c);
                           NULL in rows stored before schema 3 */
} ot_projection_row;

/* Stores one projection of a run. */
int ot_store_put_projection(ot_store *st, const ot_projection_row *p, ot_err *err);

/* A stored run; every string is owned by the array it came in. */
typedef struct ot_run_rec {
    int64_t id;
    char *job;            /* may be NULL */
    char *started;        /* UTC, YYYY-MM-DDTHH:MM:SSZ */
    char *finished;       /* NULL while running */
    char *status;
    char *engine_version, *scripts_hash, *data_hash; /* may be NULL */
    int32_t as_of;        /* days, or OT_ASOF_LATEST */
    char *through;        /* the period the data were cut at, or NULL */
} ot_run_rec;

/* Returns the runs of job (NULL = every job), newest first, at most limit
 * (0 = all), as a new array; caller frees with ot_store_runs_free.  With
 * id > 0 returns that run only (OT_ENOTFOUND when there is none). */
int ot_store_runs(ot_store *st, const char *job, int64_t id, size_t limit, ot_run_rec **out,
                  size_t *n, ot_err *err);
void ot_store_runs_free(ot_run_rec *r, size_t n);
/* Deletes all but the newest keep runs of job, with their projections;
 * *deleted (may be NULL) receives how many runs went. */
int ot_store_runs_prune(ot_store *st, const char *job, size_t keep, size_t *deleted,
                        ot_err *err);

/* Returns the projections of run_id in the order stored, as a new array
 * whose strings it owns; caller frees with ot_store_projections_free. */
int ot_store_projections(ot_store *st, int64_t run_id, ot_projection_row **out, size_t *n,
                         ot_err *err);
void ot_store_projections_free(ot_projection_row *p, size_t n);

/* Stores one scenario comparison (its JSON, written by run/) of run_id,
 * after those stored already.  OT_EIO, OT_ELOCKED. */
int ot_store_put_compare(ot_store *st, int64_t run_id, const char *data, ot_err *err);
/* The comparisons of run_id in the order stored: *out a new array of n new
 * strings; free with ot_store_compares_free. */
int ot_store_compares(ot_store *st, int64_t run_id, char ***out, size_t *n, ot_err *err);
void ot_store_compares_free(char **c, size_t n);

#endif
