/* series.h — the time series type: frequency, start, values, flags, metadata.
 *
 * Ownership: every function that returns an ot_series * returns a new series
 * the caller frees with ot_series_free; NULL and err set on failure.  Inputs
 * are never modified unless the name says so (set_*).  A series remembers the
 * allocator it was made with and frees through it.  Values are doubles with
 * NaN for missing.  A January–February combined release sits on February with
 * January flagged OT_OBS_COVERED (its value NaN but not missing: it is counted
 * in February's).  No Lua, no SQLite.
 */
#ifndef OT_CORE_SERIES_H
#define OT_CORE_SERIES_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/period.h"

typedef enum ot_kind {
    OT_KIND_FLOW = 0, /* summed over time: exports, retail sales */
    OT_KIND_STOCK,    /* a level at a point in time: registered buyers */
    OT_KIND_RATE      /* a percentage or ratio: growth, income ratio */
} ot_kind;

/* flags[i] bits */
enum { OT_OBS_COVERED = 1 };

typedef struct ot_series {
    ot_freq freq;
    ot_ord start;   /* ordinal of v[0] */
    size_t n;
    double *v;      /* n values, NaN = missing (NULL when n == 0) */
    uint8_t *flags; /* n flag bytes, or NULL when none is set */
    char *key;      /* owned metadata, each may be NULL */
    char *name;
    char *unit;
    ot_kind kind;
    int agg;        /* how to() aggregates when not told: an ot_agg (core/ops.h),
                       OT_AGG_NONE = by kind; the stored series' agg column */
    ot_alloc alloc; /* what v, flags and the strings were allocated with */
} ot_series;

/* Returns a new series of n missing values (a NULL allocator = ot_alloc_std). */
ot_series *ot_series_new(const ot_alloc *a, ot_freq f, ot_ord start, size_t n, ot_err *err);
/* Returns a new series holding a copy of values[0..n). */
ot_series *ot_series_from(const ot_alloc *a, ot_freq f, ot_ord start, const double *values,
                          size_t n, ot_err *err);
/* Frees s and everything it owns; accepts NULL. */
void ot_series_free(ot_series *s);
/* Returns a deep copy (values, flags, metadata). */
ot_series *ot_series_copy(const ot_series *s, ot_err *err);
/* Returns a copy with the metadata of s and the values in [from, to]
 * (ordinals in s->freq; outside s the values are missing). */
ot_series *ot_series_slice(const ot_series *s, ot_ord from, ot_ord to, ot_err *err);

/* Replaces the metadata strings (NULL leaves one unchanged, "" clears it). */
int ot_series_set_meta(ot_series *s, const char *key, const char *name, const char *unit,
                       ot_err *err);
/* Copies key, name, unit, kind and agg from src to dst. */
int ot_series_copy_meta(ot_series *dst, const ot_series *src, ot_err *err);

/* Ensures s->flags exists (all zero); for callers that set flags. */
int ot_series_ensure_flags(ot_series *s, ot_err *err);

/* Ordinal of the last value (start + n - 1); start - 1 when empty. */
ot_ord ot_series_end(const ot_series *s);
/* Value at ordinal o; NaN outside the series. */
double ot_series_at(const ot_series *s, ot_ord o);
/* Non-zero when the observation at ordinal o is covered by the next one. */
int ot_series_covered(const ot_series *s, ot_ord o);
/* Index range of the first and last non-missing values; returns 0 (and
 * leaves *first, *last) when every value is missing. */
int ot_series_valid_range(const ot_series *s, size_t *first, size_t *last);
/* Returns a copy without leading and trailing missing values. */
ot_series *ot_series_trim(const ot_series *s, ot_err *err);

/* Alignment of two series of the same frequency. */
typedef enum { OT_ALIGN_UNION = 0, OT_ALIGN_INTERSECT } ot_align;
/* The common ordinal range: *start and *n.  OT_EINVAL when frequencies differ. */
int ot_series_align(const ot_series *a, const ot_series *b, ot_align mode, ot_ord *start,
                    size_t *n, ot_err *err);

/* "flow", "stock", "rate"; and back (returns -1 when unknown). */
const char *ot_kind_name(ot_kind k);
int ot_kind_parse(const char *s);

#endif
