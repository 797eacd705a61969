/* projection.h — where will the year end, how likely is the target met, what
 * must the rest of the year do.
 *
 * Projects one ot_target (or many, on a thread pool) from the data a caller's
 * source callback gives: no SQLite, no Lua.  The store-backed callback of the
 * CLI and the Lua bindings applies the as-of vintage date; opts->as_of_period
 * cuts the data at a period.  Results are plain values with fixed buffers (an
 * ot_projection owns nothing), so they can be copied, stored and printed
 * freely.  The methods and their formulas are in docs/methods-projection.md.
 * Uses core (series, periods, targets) and models (fit, simulate) only.
 */
#ifndef OT_PROJECT_PROJECTION_H
#define OT_PROJECT_PROJECTION_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/period.h"
#include "core/series.h"
#include "core/target.h"
#include "models/model.h" /* OT_PI_MODEL, OT_PI_CV */
#include "project/facts.h"
#include "project/scenario.h"

/* Reads one measure of one series.  measure is "value" (the period's own
 * value; end-of-period for stocks), "ytd" (累计值), "yoy" (当月同比 %) or
 * "ytd_yoy" (累计同比 %).  On success *out is a new series the projection
 * frees with ot_series_free; its kind (flow, stock, rate) is read from
 * out->kind.  Returns OT_ENOTFOUND (err may be left untouched) when that
 * key/measure is not stored; any other code aborts the projection with err.
 * May be called from several threads at once by ot_project_many: it must be
 * thread-safe or the caller must use threads = 1. */
typedef int (*ot_source_fn)(void *ud, const char *key, const char *measure, ot_series **out,
                            ot_err *err);

/* Series metadata the projection needs besides values: the key of the
 * series to borrow the within-year shape from (the series' `shape`
 * metadata).  Writes a NUL-terminated key into buf (cap bytes) and returns
 * 1, or returns 0 when the series names none.  Same ud and threading rules
 * as ot_source_fn.  Optional: NULL means "no metadata". */
typedef int (*ot_shape_fn)(void *ud, const char *key, char *buf, size_t cap);

/* Whether key names no series the source holds at all (a mistyped key, or
 * data not imported yet): returns 1 and writes into buf (cap bytes) the
 * stored key nearest to it, or "" when none is near; 0 when the series is
 * stored.  Same ud and threading rules as ot_source_fn.  Optional: the
 * projection of a series with no data then notes only "no data". */
typedef int (*ot_unknown_fn)(void *ud, const char *key, char *buf, size_t cap);

/* The data as known at a record origin (docs/methods-projection.md §10):
 * reads measure of key as known when the data through period `origin` (of
 * freq) were first published, never later than the source's own date.
 * Same contract otherwise as ot_source_fn (a new series, OT_ENOTFOUND when
 * nothing of that measure was known then).  Optional: without it the record
 * reads the data as the source knows them now. */
typedef int (*ot_source_at_fn)(void *ud, const char *key, ot_freq freq, ot_ord origin,
                               const char *measure, ot_series **out, ot_err *err);

/* Whether any past value of key was revised (stored in more than one
 * vintage): 1 or 0, or -1 when unknown.  A record reads the data as known at
 * each origin (ot_source_at_fn) only for a revised series — otherwise they
 * equal the data it has, cut at the origin.  Optional: NULL = "revised". */
typedef int (*ot_revised_fn)(void *ud, const char *key);

/* A keeper of the record's level-model points across runs (the store's
 * table record_points): get returns 1 with *v (NaN = the model gave none)
 * when a point is kept under hash, else 0; put keeps one — the series key,
 * the candidate, the origin ("2019-06"), the hash of everything it was made
 * from, the value — and may drop it (a read-only store).  Same ud and
 * threading rules as ot_source_fn.  Optional: NULL = the memo alone. */
typedef int (*ot_record_get_fn)(void *ud, uint64_t hash, double *v);
typedef void (*ot_record_put_fn)(void *ud, const char *key, const char *cand, const char *origin,
                                 uint64_t hash, double v);

/* A memo of the level-model points of the record (docs/methods-projection.md
 * §6), keyed by the content of the data each point was made from, so a hit
 * is right whatever the vintage.  Thread-safe.  ot_proj_memo_new returns new
 * (NULL when out of memory); free with ot_proj_memo_free (accepts NULL). */
typedef struct ot_proj_memo ot_proj_memo;
ot_proj_memo *ot_proj_memo_new(void);
void ot_proj_memo_free(ot_proj_memo *m);
/* Entries held (for tests and benchmarks). */
size_t ot_proj_memo_size(ot_proj_memo *m);
/* The memo of the process, used when ot_proj_opts.memo is NULL: created on
 * first use, lives until exit (an in-memory cache for one process). */
ot_proj_memo *ot_proj_memo_default(void);

/* Default number of sample paths. */
#define OT_PROJ_PATHS 10000
#define OT_PROJ_PATHS_MAX 10000000
/* The model the projection asks for by default, and the method it uses for
 * rich data while "auto" is not registered in models/ (see
 * ot_proj_method_resolve): a random walk with seasonal drift on logs. */
#define OT_PROJ_METHOD_DEFAULT "auto"
#define OT_PROJ_METHOD_FALLBACK "rwsd"
/* Methods of the record (§6) that can be named to force one candidate:
 * carry-forward and the published-growth-rate method, each with its record
 * range. */
#define OT_PROJ_METHOD_CARRY "carry"
#define OT_PROJ_METHOD_RATE "rate"
/* The exceptional years left out of every record by default (never out of
 * the data): the 2020-2022 pandemic years. */
#define OT_PROJ_EXCLUDE_FROM 2020
#define OT_PROJ_EXCLUDE_TO 2022

typedef struct ot_proj_opts {
    const char *as_of_period; /* data through this period ("2023-09", "2023Q3");
                                 NULL = everything the source gives */
    size_t paths;             /* sample paths, at most OT_PROJ_PATHS_MAX; 0 = OT_PROJ_PATHS */
    unsigned long seed;       /* 0 = 1 */
    const char *method;       /* NULL or "auto" (OT_PROJ_METHOD_DEFAULT): chosen by the
                                 series' record (§6); "carry" or "rate": that candidate
                                 with its record range; any other: that model forced */
    int intervals;            /* OT_PI_MODEL (0, the default): the model's own spread;
                                 OT_PI_CV: the model's paths widened by its errors out
                                 of sample at past origins (models/model.h; needs a
                                 model from models/, so not with rwsd).  Paths made
                                 without a model (ytd + shape) are not affected. */
    const ot_scenario *scenario; /* NULL = baseline */
    ot_shape_fn shape;        /* optional metadata callback (same ud as the source) */
    ot_unknown_fn unknown;    /* optional: a key no stored series has, and the near
                                 one (same ud as the source) */
    int threads;              /* ot_project_many: 0 = online CPUs (at most 8) */
    int exclude_years[2];     /* first and last target year left out of every record
                                 (§6; the data keep them); {0, 0} = none; default
                                 {OT_PROJ_EXCLUDE_FROM, OT_PROJ_EXCLUDE_TO} */
    int shape_years[2];       /* years of the shape reference's record a local series
                                 borrows its spread from (§12); {0, 0} = all of them */
    ot_source_at_fn source_at; /* optional: the data as known at each record origin
                                 (same ud as the source); NULL = as the source knows
                                 them now (later revisions not undone) */
    ot_revised_fn revised;    /* optional, with source_at: skips the reads for a
                                 series never revised */
    ot_record_get_fn record_get; /* optional: the record's model points kept across */
    ot_record_put_fn record_put; /* runs (same ud as the source); NULL = none */
    ot_proj_memo *memo;       /* memo of the record's model points; NULL =
                                 ot_proj_memo_default() */
    const ot_alloc *alloc;    /* working memory (released before return; results own
                                 none); NULL = ot_alloc_std.  Must be thread-safe when
                                 ot_project_many runs more than one thread.  GSL's
                                 random generator state (~5 KB a target) uses malloc. */
} ot_proj_opts;

/* Sets every field to its default. */
void ot_proj_opts_init(ot_proj_opts *o);

typedef enum ot_proj_status {
    OT_STATUS_MET = 0,      /* outcome known and passes, or certain from the ytd */
    OT_STATUS_ON_TRACK,     /* prob >= 0.8 */
    OT_STATUS_AT_RISK,      /* 0.4 <= prob < 0.8 */
    OT_STATUS_OFF_TRACK,    /* prob < 0.4 */
    OT_STATUS_MISSED,       /* outcome known and fails, or certain to fail */
    OT_STATUS_NO_DATA,      /* nothing to project from: no numbers given */
    OT_STATUS_UNQUANTIFIED  /* the target has no number to test */
} ot_proj_status;

/* Thresholds of the probability statuses (documented in docs/methods-projection.md). */
#define OT_PROJ_ON_TRACK 0.8
#define OT_PROJ_AT_RISK 0.4

/* A probability as shown: rounded to a whole percent (0.797 -> 0.80).  The
 * thresholds apply to this figure, so a reader never sees "80%" beside "at
 * risk" (docs/methods-projection.md). */
double ot_proj_prob_round(double prob);
/* on_track, at_risk or off_track for prob, by the rounded figure. */
ot_proj_status ot_proj_status_of_prob(double prob);

/* "met", "on_track", "at_risk", "off_track", "missed", "no_data", "unquantified". */
const char *ot_proj_status_name(ot_proj_status s);


/* One projection.  The metric is what the target tests: growth % for growth,
 * relative and in_step (for those two: growth of series minus growth of ref,
 * in points), the full-year total for level and count of a flow, the
 * year-end level for level of a stock or rate, the total per day for
 * daily_avg, and the fall (last year minus this year) for decline.  Every
 * double is NaN when not defined (e.g. all of them under no_data). */
typedef struct ot_projection {
    ot_proj_status status;
    double point;            /* median of the simulated metric */
    double lo80, hi80;       /* 10% and 90% path quantiles */
    double lo95, hi95;       /* 2.5% and 97.5% path quantiles */
    double prob;             /* share of paths meeting the target, 0..1 */
    double required;         /* growth % the remaining periods need over the same
                                periods last year to meet the target exactly (stocks:
                                growth still needed from the latest level); NaN when
                                the year is determined (also a flow's level target the
                                ytd alone meets or misses) or it is not computable */
    double carry;            /* carry-forward: ytd growth carried to year end (growth
                                kinds; a stock's latest published yoy), or ytd × last
                                year's total / last year's ytd (levels); the outcome
                                when the year is complete; NaN when not computable */
    double outcome;          /* the metric from complete data for the year, else NaN */
    double ytd_growth;       /* latest ytd growth % of the series (NaN if unknown) */
    double share;            /* s: last year's share of periods 1..k in its total */
    int has_outcome;         /* 1 when the year's data are complete */
    int periods_done;        /* k: periods of the target year in the data */
    int periods_left;        /* periods of the year still to come */
    size_t paths;            /* paths simulated (0 when none) */
    char latest[OT_PERIOD_STRMAX]; /* latest period used, "" when none */
    ot_proj_fact method;     /* the method as a fact (project/facts.h: OT_M_*): chosen
                                by record (§10), carry with a reference's range (§12),
                                rwsd, a level model on logs, ytd + shape, a stock's pace
                                since December, the outcome; code 0 when nothing was
                                projected.  report/facts.c says it in words. */
    ot_proj_facts notes;     /* what was borrowed from which years, why ranges are rules
                                of thumb, why there is no projection: facts (OT_N_*),
                                those of the ref with of_ref set */
} ot_projection;

/* Initialises p to "nothing projected" (NaN numbers, status no_data). */
void ot_projection_init(ot_projection *p);

/* Projects target t from the data src gives (ud passed through).  Fills *out
 * and returns OT_OK, also for no_data and unquantified (a projection that
 * could not be made is a result, not an error).  Fails with OT_EINVAL for an
 * invalid target (no series, no year, relative without ref, bad as_of_period,
 * unknown method, too many paths, intervals neither OT_PI_MODEL nor OT_PI_CV
 * or OT_PI_CV with rwsd — the message says which), OT_EDATA for a
 * daily series, OT_ENOMEM, or whatever src returned other than OT_ENOTFOUND;
 * *out is then untouched. */
int ot_project_target(const ot_target *t, ot_source_fn src, void *ud, const ot_proj_opts *o,
                      ot_projection *out, ot_err *err);

/* Projects n targets into out[0..n) on opts->threads threads (the caller's
 * included).  Each target draws from its own random stream seeded from the
 * seed and what the target is (series, ref, year, kind), so a result does not
 * depend on the number of threads, on the batch, or on the scenario (common
 * random numbers), and equals ot_project_target's.  On failure returns the
 * code of the first failing target with err naming it ("target 3 (yiwu.gdp
 * 2023): ..."); out is then partly filled. */
int ot_project_many(const ot_target *t, size_t n, ot_source_fn src, void *ud,
                    const ot_proj_opts *o, ot_projection *out, ot_err *err);

/* The chart history of target t (a report's chart line) for the target
 * year and the `years` before it, read through src as the projection reads
 * it: ytd growth % for growth, growth minus the ref's for relative and
 * in_step, the ytd total (flows) or level (stocks) for level and count, the
 * ytd total per day of the year for daily_avg.  *out is a new series (from
 * a; caller frees with ot_series_free), or NULL when the kind has no history
 * (decline, unquantified) or the source has nothing.  Fails with the
 * source's error, OT_EDATA for a daily series, or OT_ENOMEM. */
int ot_project_history(const ot_target *t, ot_source_fn src, void *ud, int years,
                       const ot_alloc *a, ot_series **out, ot_err *err);

/* The method used for rich data when `requested` is asked for: requested
 * itself when models/ registers it or it is OT_PROJ_METHOD_FALLBACK,
 * OT_PROJ_METHOD_CARRY or OT_PROJ_METHOD_RATE,
 * OT_PROJ_METHOD_FALLBACK when requested is NULL or "auto" and "auto" is not
 * registered, NULL otherwise (unknown method). */
const char *ot_proj_method_resolve(const char *requested);

/* Whether calibrated intervals (OT_PI_CV) can go with method `requested`
 * (NULL = the default): 1 for a model, 0 for carry, rate and rwsd, which
 * have no model to calibrate (and for an unknown method).  The one rule
 * ot_project_target, ot.project and the CLI's --intervals apply. */
int ot_proj_method_takes_cv(const char *requested);

/* The pace arithmetic of a flow, in percent (docs/methods-projection.md §1).
 * g: ytd growth through k; s: last year's share of periods 1..k in its
 * total (0 <= s < 1); r: growth of the remaining periods; T: the target. */
/* Full-year growth G = s(1+g) + (1-s)(1+r) - 1. */
double ot_pace_full_year(double g, double s, double r);
/* Required pace r* = ((1+T) - s(1+g)) / (1-s) - 1; T when s = 0 (nothing of
 * the year known, g may be NaN); NaN when s >= 1. */
double ot_pace_required(double T, double g, double s);

#endif
