/* backtest.h — how good were past projections: accuracy and calibration.
 *
 * For each past year with data, at each as-of month 1..11, projects the
 * full-year growth of each series from the data through that month and
 * compares it with the outcome: mean absolute error in percentage points by
 * as-of month, for the model and for carry-forward (the ytd growth carried to
 * year end); the probabilities are scored against hypothetical targets at
 * the previous year's growth and 2 points either side (Brier score and a
 * reliability table by probability bin).  Reads through the projection's
 * source callback (no SQLite); results are plain values.  The accumulator
 * functions are public so a caller can score projections of its own.
 * Reading the output: docs/backtest.md.
 */
#ifndef OT_PROJECT_BACKTEST_H
#define OT_PROJECT_BACKTEST_H

#include <stddef.h>

#include "core/err.h"
#include "project/projection.h"

#define OT_BT_MONTHS 11 /* as-of months 1..11 */
#define OT_BT_BINS 10   /* probability bins [0, .1), ..., [.9, 1] */
#define OT_BT_SPREAD 2.0 /* hypothetical targets: last year's growth and ± this many points */

/* One series to test and the years its data span. */
typedef struct ot_backtest_series {
    const char *key;
    int first_year, last_year;
} ot_backtest_series;

typedef struct ot_backtest_opts {
    const char *method;   /* model for rich data; NULL = the projection's default */
    size_t paths;         /* sample paths per projection; 0 = 1000 */
    unsigned long seed;   /* 0 = 1 */
    int year_from, year_to; /* target years tested; 0 = no bound */
    ot_shape_fn shape;    /* optional metadata callback (see projection.h) */
    int threads;          /* as ot_proj_opts.threads */
    int intervals;        /* as ot_proj_opts.intervals: OT_PI_MODEL (0) or OT_PI_CV */
} ot_backtest_opts;

typedef struct ot_backtest_month {
    size_t n;             /* projections with a model point */
    double mae;           /* mean |point - outcome|, points; NaN when n == 0 */
    size_t n_carry;       /* of those, with a carry-forward figure */
    double mae_carry;     /* mean |carry - outcome|, points; NaN when n_carry == 0 */
    double sum, sum_carry; /* running sums (ot_backtest_finish turns them into means) */
} ot_backtest_month;

typedef struct ot_backtest_bin {
    size_t n;             /* probabilities in [k/10, (k+1)/10) (the last bin holds 1) */
    double mean_prob;     /* their mean; NaN when n == 0 */
    double freq;          /* share of them whose target was met; NaN when n == 0 */
    double sum_prob, hits;
} ot_backtest_bin;

typedef struct ot_backtest {
    size_t series;        /* series with at least one year tested */
    size_t cases;         /* series-years tested */
    ot_backtest_month month[OT_BT_MONTHS]; /* [m - 1]: as of the end of month m */
    size_t n_prob;        /* probabilities scored */
    double brier;         /* mean (prob - met)^2; NaN when n_prob == 0 */
    double sum_brier;
    ot_backtest_bin bin[OT_BT_BINS];
} ot_backtest;

/* Empties b (counts 0, sums 0, means NaN). */
void ot_backtest_init(ot_backtest *b);
/* Scores one full-year projection made as of month (1..11): the model's
 * point and the carry-forward figure (NaN: none) against the outcome.  A NaN
 * point or outcome, or a month out of range, is ignored. */
void ot_backtest_add_point(ot_backtest *b, int month, double point, double carry, double outcome);
/* Scores one probability that a target is met against whether it was
 * (met non-zero).  A NaN prob is ignored; prob is clamped to [0, 1]. */
void ot_backtest_add_prob(ot_backtest *b, double prob, int met);
/* Turns the sums into the means (mae, mae_carry, brier, mean_prob, freq). */
void ot_backtest_finish(ot_backtest *b);

/* Backtests the growth of series s[0..n) read through src (ud passed
 * through): first the outcome of every year (a projection on all the data),
 * then for every target year Y in [o->year_from, o->year_to] whose outcome
 * and the previous year's are known, at each as-of month 1..11, a growth
 * target of Y at last year's growth (and ±OT_BT_SPREAD) projected from the
 * data through that month (latest vintages).  Fills *out (finished) and
 * returns OT_OK, also when nothing could be tested (out->cases == 0).
 * Fails with OT_EINVAL (bad options, unknown method), OT_ENOMEM, or the
 * source's error other than OT_ENOTFOUND; *out is then untouched. */
int ot_backtest_run(const ot_backtest_series *s, size_t n, ot_source_fn src, void *ud,
                    const ot_backtest_opts *o, ot_backtest *out, ot_err *err);

#endif
