/* record.h — a series' track record at one as-of period (internal to project/).
 *
 * For the target year Y and the as-of period k, the record holds, for each
 * earlier year y (most recent first, the exceptional years of
 * ot_proj_opts.exclude_years left out) and each as-of period k' within a
 * quarter of a year of k (k-3..k+3 months, k-1..k+1 quarters), the point of
 * every candidate method made from the data through (y, k') and the
 * outcome of y: carry-forward, the published-growth-rate method (plain and
 * with base effects) and the level model (docs/methods-projection.md §9,
 * §10).  From it: each candidate's mean absolute error over those periods,
 * the choice (equal-weight average of carry-forward and the candidates close
 * to the best), and the pooled errors of that choice over the same periods
 * (each period's rescaled to k's spread), which set the range.
 * Level-model points are memoised (ot_proj_memo) by the content of the data
 * they were made from, so a record is not refitted for every projection.
 * No allocation besides the model fits; core and models only.
 */
#ifndef OT_PROJECT_RECORD_H
#define OT_PROJECT_RECORD_H

#include "project/frame.h"
#include "project/projection.h"
#include "project/shape.h"

enum { CAND_CARRY = 0, CAND_RATE, CAND_MODEL, CAND_RATE2, REC_NC };

#define REC_YEARS 12 /* most recent eligible years kept in a record */
#define REC_MIN 4    /* years a record needs at period k before a choice is made */
#define REC_MIN_SHORT 2 /* with 2..3 years: carry-forward and its record range */
#define REC_CLOSE 0.10 /* a candidate is "close to the best" within 10% of its MAE */
#define REC_LONG 8     /* years from which an own record's range drops the t factor */
/* The choice scores the candidates at the as-of periods within a quarter of
 * a year of k: k-w..k+w, w = max(1, P/4) (3 months, 1 quarter) — more
 * evidence than k alone for telling methods apart, from periods where the
 * methods behave alike (§10); the range pools the errors of the same
 * periods (§11). */
#define REC_WMAX 3
#define REC_SPAN (2 * REC_WMAX + 1)
#define REC_ERRS (REC_SPAN * REC_YEARS)
#define REC_BASE_SHRINK 0.5 /* rate2y: the share of the base effect taken (§9) */
/* The level candidate (§10): the equal-weight mean of ETS, Theta and the
 * airline model ARIMA(0,1,1)(0,1,1) on the logs of the period values, named
 * "levels" in notes and kept points. */
#define REC_LEVELS "levels"
#define REC_LEVELS_METHOD "combo"
#define REC_LEVELS_SPEC "mean:ets,theta,arima=(0,1,1)(0,1,1)"

typedef struct record {
    int k, P, n;                      /* as-of period, periods a year, years */
    int year[REC_YEARS];
    double out[REC_YEARS];            /* outcome of each year */
    int w;                            /* the choice's window: k' = k-w..k+w */
    double pt[REC_SPAN][REC_YEARS][REC_NC]; /* [k' - k + w][year][candidate]; NaN = none */
    double now[REC_NC];               /* the candidates' points for the target year */
    double mae[REC_NC];               /* over the common cells k-w..k+w; NaN = not scored */
    int used[REC_NC];                 /* years at k with a point of the candidate */
    unsigned chosen;                  /* bit per candidate in the combination */
    double point;                     /* the combination's point for the target year */
    double mae_chosen;                /* the combination's MAE over the common sample */
    double err[REC_ERRS];             /* pooled errors of the combination, scaled to k */
    int nerr;
    int years_k;                      /* of them, errors at k itself (one per year) */
    int first, last;                  /* years behind the record */
} record;

/* The period growth % of (y, j): published yoy, else the ytd growth
 * differenced with last year's ytd levels as weights, else the ratio of the
 * period values; NaN when none. */
double rec_period_rate(const frame *f, int y, int j);

/* The rate with base effects of a later period j (§9): the recent two-year
 * growth (1 + r)(1 + b) over last year's rate lj at j, taken REC_BASE_SHRINK
 * of the way from r: r + 0.5 ((1 + r)(1 + b)/(1 + lj) - 1 - r), in %.  r:
 * this year's recent mean rate, b: last year's over the same periods. */
double rec_stacked_rate(double r, double b, double lj);

/* Weights of the periods of year y - 1 as cumulative shares c[0..P] (c[0] =
 * 0, c[P] = 1): last year's ytd levels, else the reference's mean shape
 * before y, else equal (the documented last resort).  Returns 2, 1 or 0
 * for which. */
int rec_weights(const frame *f, const frame *ref, int y, double *c);

/* Fills g with the ytd growth of every year and period where f has period
 * yoy but no ytd growth and no levels (a rate-only series): the yoy weighted
 * by cum (mean cumulative shares, P + 1 values) or, when cum is NULL, equally.
 * Returns the number of cells filled. */
int rec_fill_rate_ytd(frame *f, const double *cum);

/* The candidates' points at origin (y, k) of f into pts[REC_NC] (NaN where a
 * candidate has none).  model: the level method (NULL: none); ref: the shape
 * reference for weights when f has no levels (may be NULL).  Level-model
 * points go through memo.  Fails only with a model's error other than
 * OT_EDATA, or OT_ENOMEM. */
int rec_points(const frame *f, const frame *ref, const char *key, int y, int k,
               const char *model, ot_proj_memo *memo, const ot_alloc *a, double *pts,
               ot_err *err);

/* Builds the record of f for target year Y as of period k (excluding years
 * excl_from..excl_to; 0 = none; and, when keep_from is not 0, every year
 * outside keep_from..keep_to) and makes the choice.  r->n < REC_MIN_SHORT
 * when the record is too short to be used (nothing chosen then); with
 * REC_MIN_SHORT <= n < REC_MIN only carry-forward (or the forced candidate)
 * is in the running.  only: a single
 * candidate forced (-1 = choose by record). */
int rec_build(record *r, const frame *f, const frame *ref, const char *key, int Y, int k,
              const char *model, int only, int excl_from, int excl_to, int keep_from,
              int keep_to, ot_proj_memo *memo, const ot_alloc *a, ot_err *err);

/* Where the record reads the data as known at each origin (§10): through
 * at (ud passed on) for a revised series, the frame cut at each origin
 * otherwise.  fill_rate: the series is rate-only, its ytd growth filled by
 * rec_fill_rate_ytd with cum (NULL = equal weights), as the caller's frame
 * was. */
typedef struct rec_src {
    ot_source_at_fn at;       /* NULL: the origins from f */
    void *ud;
    int fill_rate;
    const double *cum;
    ot_record_get_fn get;     /* optional: model points kept across runs */
    ot_record_put_fn put;
} rec_src;

/* rec_build with the candidate points at each origin made from the data as
 * known then, read through src (NULL or src->at NULL: from f, as
 * rec_build), and the level-model points looked up in (and added to) the
 * keeper src->get/put after the memo.  Fails also with the source's error. */
int rec_build_at(record *r, const frame *f, const frame *ref, const char *key, int Y, int k,
                 const char *model, int only, int excl_from, int excl_to, int keep_from,
                 int keep_to, const rec_src *src, ot_proj_memo *memo, const ot_alloc *a,
                 ot_err *err);

/* The names of the candidates ("carry", "rate", model, "rate2y"). */
const char *rec_cand_name(int c, const char *model);

/* The factor a record's errors are widened by (§11), n the years at the as-of
 * period (at least 2 counted): sqrt(1 + 1/n), as the next of n exchangeable
 * errors spreads; times t_{n-1}(0.9) / z(0.9), as a predictive interval from
 * n normal draws would be (at least 2 degrees of freedom: a two-year record
 * pools several as-of periods a year), for a record shorter than REC_LONG years or a
 * borrowed one (a reference's record scaled by a lambda estimated from a few
 * changes). */
double rec_widen(int years, int borrowed);

/* Empirical q-quantile (R type 7) of x[0..n); reorders x; NaN when n == 0. */
double rec_quantile(double *x, int n, double q);

#endif
