/* view.h — the store seen as of a date: the data source projections read.
 *
 * An ot_store_view pairs an open store with an as-of vintage date and a
 * lock, and offers the two callbacks project/projection.h asks for
 * (ot_source_fn and ot_shape_fn) with matching signatures, so the project
 * layer stays free of SQLite.  The lock makes them safe to call from
 * ot_project_many's threads: reads are serialised, the simulation that
 * follows is not.  The view borrows the store; it owns nothing else.
 */
#ifndef OT_STORE_VIEW_H
#define OT_STORE_VIEW_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/series.h"
#include "store/store.h"

typedef struct ot_store_view {
    ot_store *st;
    int32_t as_of;        /* days, or OT_ASOF_LATEST */
    const ot_alloc *alloc; /* for the series read (NULL = ot_alloc_std) */
    pthread_mutex_t lock;
} ot_store_view;

/* Initialises v over st (borrowed) as of as_of; a NULL alloc is ot_alloc_std. */
void ot_store_view_init(ot_store_view *v, ot_store *st, int32_t as_of, const ot_alloc *alloc);
/* Releases the lock; v can be initialised again afterwards. */
void ot_store_view_destroy(ot_store_view *v);

/* ot_source_fn: reads measure ("value", "ytd", "yoy", "ytd_yoy") of key as
 * known at the view's date into a new series.  OT_ENOTFOUND when the key or
 * that measure is not stored, or nothing was known then. */
int ot_store_view_read(void *view, const char *key, const char *measure, ot_series **out,
                       ot_err *err);

/* ot_source_at_fn: reads measure of key as known on the day the data
 * through period origin (of freq) were first published
 * (ot_store_origin_day), or at the view's date if that is earlier. */
int ot_store_view_read_at(void *view, const char *key, ot_freq freq, ot_ord origin,
                          const char *measure, ot_series **out, ot_err *err);

/* ot_revised_fn: 1 when some period of key is stored in more than one
 * vintage, 0 when none, -1 when that cannot be read (the caller then reads
 * as known at each origin). */
int ot_store_view_revised(void *view, const char *key);

/* ot_record_get_fn / ot_record_put_fn: the record's model points kept in
 * the store (ot_store_recpoint_get/put).  A failed read is a miss; a failed
 * or read-only write is dropped (a cache, never a reason to fail). */
int ot_store_view_record_get(void *view, uint64_t hash, double *v);
void ot_store_view_record_put(void *view, const char *key, const char *cand, const char *origin,
                              uint64_t hash, double v);

/* ot_shape_fn: the `shape` metadata of key into buf; 1 when set, else 0. */
int ot_store_view_shape(void *view, const char *key, char *buf, size_t cap);

/* ot_unknown_fn: 1 when the store has no series key (buf: the nearest stored
 * key, or ""), else 0 (also when the store cannot say). */
int ot_store_view_unknown(void *view, const char *key, char *buf, size_t cap);

#endif
