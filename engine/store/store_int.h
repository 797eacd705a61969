/* store_int.h — what the store's source files share: the handle, the cached
 * prepared statements and the SQLite error mapping.  Internal to engine/store;
 * the only header that includes sqlite3.h.
 */
#ifndef OT_STORE_STORE_INT_H
#define OT_STORE_STORE_INT_H

#include <sqlite3.h>

#include "store/store.h"

/* Prepared statements, made on first use and kept until close. */
enum stmt_id {
    S_SERIES_ID,
    S_SERIES_NEW,
    S_SERIES_META_GET,
    S_SERIES_META_PUT,
    S_SERIES_KEYS,
    S_SERIES_ROW,
    S_SERIES_MAX,
    S_OBS_LATEST,
    S_OBS_LATER,
    S_OBS_INSERT,
    S_OBS_INSERT_BATCH,
    S_OBS_SETS,
    S_OBS_READ,
    S_OBS_READ_LAG,
    S_OBS_FIRST_VINTAGE,
    S_OBS_ORIGIN,
    S_OBS_REVISED,
    S_RECPOINT_GET,
    S_RECPOINT_PUT,
    S_SEEN_INSERT,
    S_SEEN_FIND,
    S_IMPORT_NEW,
    S_IMPORT_DONE,
    S_IMPORT_DELETE,
    S_IMPORT_FIND,
    S_KEYS,
    S_KEYS_NAMED,
    S_KEY_NAMES,
    S_KEY_FEB_SPAN,
    S_TARGET_FIND,
    S_TARGET_INSERT,
    S_TARGET_UPDATE,
    S_TARGETS_ALL,
    S_TARGETS_YEAR,
    S_RUN_NEW,
    S_RUN_FINISH,
    S_PROJECTION_NEW,
    S_RUNS_ALL,
    S_RUNS_JOB,
    S_RUN_ONE,
    S_RUNS_PRUNE,
    S_PROJECTIONS,
    S_STATS_GET,
    S_STATS_PUT,
    S_ORD_EXISTS,
    S_SERIES_FREQ,
    S_SERIES_OTHER_FREQ,
    S_FEB_AT,
    S_FEB_OWN_LATER,
    S_COUNT
};

/* An observation waiting in the insert batch (obs.c). */
typedef struct obs_row {
    int64_t sid, import_id;
    int32_t ord, vintage;
    int measure, span, freq;
    double value;
    size_t source; /* 1 + offset of its text in the batch arena; 0 = none */
} obs_row;

#define OBS_BATCH 32
#define STORE_BUSY_MS 5000 /* how long a writer waits for another's lock */

/* The greatest key inserted into one new series (24 bytes: the table of them
 * stays small even for 10^5 new series). */
typedef struct obs_hw {
    int32_t ord, vintage;
    int8_t set, measure, freq, span;
    double value;
} obs_hw;

/* What the open transaction changed in the series_stats row of one series
 * and frequency (stats.c): the row as stored when first touched, merged
 * with the periods and measures written since. */
typedef struct stats_acc {
    int64_t sid;       /* 0 = an empty slot */
    int32_t lo, hi;    /* first and last period (INT32_MAX, INT32_MIN: none) */
    long long dn;      /* periods new to the series since the entry was last written */
    uint8_t freq;      /* as obs_row.freq: 0..3 for D, M, Q, Y */
    uint8_t measures;  /* bit 1 << measure per measure */
    uint8_t dirty;     /* changed since last written */
} stats_acc;

/* The most periods one stored series may span (10,000 years of days):
 * anything longer read from a file is damage, not data. */
#define OT_STORE_SPAN_MAX ((int64_t)3660000)

struct ot_store {
    sqlite3 *db;
    char *path;
    int readonly;
    int held;          /* ot_store_hold: writes wait in an outer transaction */
    int sp;            /* held: a begin (savepoint ot_w) is open inside it */
    sqlite3_stmt *stmt[S_COUNT];
    /* the last key put_obs resolved: bulk imports repeat one key for many rows */
    char *last_key;
    size_t last_key_cap;
    int64_t last_id;
    /* rows put_obs skipped as unchanged in this transaction (temp.put_seen) */
    long long nseen;
    /* series with a larger id were created in the open transaction */
    int64_t fresh_after;
    /* rows of such series waiting for one multi-row INSERT, their source
     * texts, and per such series (index id - fresh_after - 1) the greatest
     * key inserted so far (sid 0: none yet) */
    obs_row *pend;
    size_t npend;
    char *arena;
    size_t alen, acap;
    obs_hw *hw;
    size_t nhw;
    /* series_stats changes of the open transaction: an open-addressing hash
     * table of scap (a power of two) slots, sn used, slast the last found */
    stats_acc *sacc;
    size_t scap, sn, slast;
};

/* Returns statement id (text sql, a static string), reset and unbound,
 * preparing it on first use; NULL and err set on failure. */
sqlite3_stmt *store_stmt(ot_store *st, enum stmt_id id, const char *sql, ot_err *err);

/* OT_OK when s (NULL: nothing) is valid UTF-8; else OT_EDATA naming the
 * series or target (whose) and the field (what): stored text must come back
 * as text in every output (JSON refuses anything else). */
int store_text_check(const char *whose, const char *what, const char *s, ot_err *err);

/* Maps an SQLite result code to OT_ELOCKED, OT_ENOMEM or OT_EIO, copies
 * sqlite3_errmsg after `what` into err and returns the code. */
int store_sqlerr(ot_store *st, int rc, const char *what, ot_err *err);

/* Opens a write transaction when none is open: *own tells store_wend to end
 * it.  store_wend commits (rc == OT_OK) or rolls back an owned transaction and
 * returns rc (or the commit's failure). */
int store_wbegin(ot_store *st, int *own, ot_err *err);
int store_wend(ot_store *st, int own, int rc, ot_err *err);

/* Writes the batched observations (before any statement that reads obs, and
 * at commit); store_drop_pending forgets them (rollback). */
int store_flush(ot_store *st, ot_err *err);
void store_drop_pending(ot_store *st);

/* The series_stats entry of (sid, freq) for this transaction (freq as
 * obs_row.freq), made on first use from the stored row (none for a series
 * created in the transaction).  *out is valid until the next stats_get.
 * OT_ENOMEM, OT_EIO. */
int stats_get(ot_store *st, int64_t sid, int freq, stats_acc **out, ot_err *err);
/* Records a row of measure at ord written to a's series; new_ord when no
 * row of any measure and vintage had that period before. */
void stats_note(stats_acc *a, int measure, int32_t ord, int new_ord);
/* Sets *exists when obs (or the pending batch) has a row of sid, freq and
 * ord, any measure and vintage. */
int stats_ord_exists(ot_store *st, int64_t sid, int freq, int32_t ord, int *exists, ot_err *err);
/* Writes the changed entries to series_stats (before the commit and before
 * a listing); stats_drop forgets every entry (rollback, begin). */
int stats_flush(ot_store *st, ot_err *err);
void stats_drop(ot_store *st);

/* Finds the id of key; when missing, creates it with frequency f if f is not
 * OT_FREQ_NONE, else fails with OT_ENOTFOUND (message suggests near keys). */
int store_series_id(ot_store *st, const char *key, ot_freq f, int64_t *id, ot_err *err);

/* Sets err to OT_ENOTFOUND "unknown series 'key'" plus up to three stored
 * keys within a small edit distance; returns OT_ENOTFOUND. */
int store_unknown_key(ot_store *st, const char *key, ot_err *err);

/* Binds s (NULL binds NULL) as transient text. */
int store_bind_text(sqlite3_stmt *q, int i, const char *s);
/* Returns a malloc'd copy of column i (NULL for NULL); sets *oom on failure. */
char *store_col_strdup(sqlite3_stmt *q, int i, int *oom);

#endif
