/* jobs.h — what scheduled jobs need from the store besides runs.c: marking
 * the runs of a dead process failed, the date of the newest data, and a
 * canonical feed of the data a run reads (for its data hash).
 *
 * Same ownership rules as store.h.  The queries are prepared per call (jobs
 * call them a few times per run), so store_int.h's statement cache is left
 * alone.  Uses SQLite; sqlite3.h never leaks out.
 */
#ifndef OT_STORE_JOBS_H
#define OT_STORE_JOBS_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "store/store.h"

/* Marks every run of job still "running" as "failed" (finish time now), in
 * one transaction.  Call only while holding the job's lock: then no live
 * process owns those runs.  *ids (may be NULL) receives a new array of the
 * ids marked (caller frees with free(); NULL when none) and *n their count.
 * OT_ELOCKED or OT_EIO on failure. */
int ot_store_runs_fail_stale(ot_store *st, const char *job, int64_t **ids, size_t *n,
                             ot_err *err);

/* Sets *days to the newest vintage stored (days since 1970-01-01), a row
 * stored without a release date counting from its period's last day plus
 * its series' release lag: reading as of that date is reading the latest
 * data.  OT_ENOTFOUND when the store
 * holds no observations. */
int ot_store_latest_vintage(ot_store *st, int32_t *days, ot_err *err);

/* Receives canonical bytes of the data; p is valid during the call only. */
typedef void (*ot_store_feed_fn)(void *ud, const void *p, size_t n);

/* Feeds fn, in a fixed order, every observation row known at as_of (vintage
 * <= as_of; OT_ASOF_LATEST for all), then the series metadata (every column:
 * the release lag decides when an undated row is known) and the targets (every
 * column), each field length-prefixed so different data never feed the same
 * bytes.  A digest of the feed identifies the data a run read.  OT_EIO on
 * failure (fn may have been called). */
int ot_store_data_feed(ot_store *st, int32_t as_of, ot_store_feed_fn fn, void *ud, ot_err *err);

#endif
