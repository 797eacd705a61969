/* backtest.h — how good were past projections: accuracy and calibration,
 * against the spreadsheet.
 *
 * For each past year with data, at each as-of month 1..11, projects the
 * full-year growth of each series from the data through that month and
 * compares it with the outcome.  Two views of the same projections:
 * - all together, by as-of month: mean absolute error (MAE) of the model
 *   and of carry-forward, and the probabilities of meeting hypothetical
 *   targets at last year's growth and ±2 points (Brier score, reliability);
 * - per series and as-of month, every figure beside the spreadsheet's: MAE
 *   against carry-forward, Brier score and CRPS against the carry-plus-record
 *   baseline (carry-forward with the series' own past carry errors as its
 *   band), 80%/95% coverage and mean width of the ranges.
 * Reads through the projection's source callback (no SQLite); results are
 * plain values.  The accumulators are public so a caller can score
 * projections of its own.  Reading the output: docs/backtest.md.
 */
#ifndef OT_PROJECT_BACKTEST_H
#define OT_PROJECT_BACKTEST_H

#include <stddef.h>

#include "core/err.h"
#include "project/projection.h"

#define OT_BT_MONTHS 11 /* as-of months 1..11 */
#define OT_BT_BINS 10   /* probability bins [0, .1), ..., [.9, 1] */
#define OT_BT_SPREAD 2.0 /* hypothetical targets: last year's growth and ± this many points */
#define OT_BT_TARGETS 3 /* G - spread, G, G + spread */
#define OT_BT_RECORD_MIN 3 /* earlier years the baseline needs at an as-of month */
#define OT_BT_YEARS_MAX 64 /* years in an exclusion list */

/* One series to test and the years its data span. */
typedef struct ot_backtest_series {
    const char *key;
    int first_year, last_year;
} ot_backtest_series;

/* Called after each batch of projections: done of total batches. */
typedef void (*ot_backtest_progress_fn)(void *ud, size_t done, size_t total);

struct ot_backtest_case;
/* Called for every projection scored (series key, target year, as-of
 * month): the case (its record borrowed for the call), whether it was
 * compared with the baseline (a record of OT_BT_RECORD_MIN years), and the
 * projection's method (a fact, project/facts.h).  For an audit trail of the
 * figures. */
typedef void (*ot_backtest_case_fn)(void *ud, const char *key, int year, int month,
                                    const struct ot_backtest_case *k, int compared,
                                    const ot_proj_fact *method);

typedef struct ot_backtest_opts {
    const char *method;   /* model for rich data; NULL = the projection's default */
    size_t paths;         /* sample paths per projection; 0 = 1000 */
    unsigned long seed;   /* 0 = 1 */
    int year_from, year_to; /* target years tested; 0 = no bound */
    ot_shape_fn shape;    /* optional metadata callback (see projection.h) */
    ot_source_at_fn source_at; /* optional: the records' origins as known then */
    ot_revised_fn revised;     /* optional, with source_at (see projection.h) */
    ot_record_get_fn record_get; /* optional: model points kept across runs */
    ot_record_put_fn record_put;
    int threads;          /* as ot_proj_opts.threads */
    int intervals;        /* as ot_proj_opts.intervals: OT_PI_MODEL (0) or OT_PI_CV */
    const int *exclude;   /* target years not scored, and left out of the baseline's
                             record too (2020, 2021); NULL = none */
    size_t n_exclude;     /* at most OT_BT_YEARS_MAX */
    int month_from, month_to; /* as-of months projected, within 1..11; 0 = 1 and 11 */
    ot_backtest_progress_fn progress; /* optional */
    void *progress_ud;
    ot_backtest_case_fn on_case; /* optional */
    void *case_ud;
    const ot_alloc *alloc; /* the run's working arrays and its projections' working
                              memory (ot_proj_opts.alloc); NULL = ot_alloc_std.
                              Thread-safe when threads != 1.  The series the source
                              returns are the source's. */
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

/* One projection scored against the spreadsheet: the model's figures, the
 * baseline's (carry-forward and its record) and the outcome.  Borrowed
 * pointers only. */
typedef struct ot_backtest_case {
    double outcome;                 /* the full-year growth the year turned out */
    double point;                   /* the model: median */
    double lo95, lo80, hi80, hi95;  /* its 2.5, 10, 90, 97.5% quantiles */
    double target[OT_BT_TARGETS];   /* thresholds T (growth >= T) */
    double prob[OT_BT_TARGETS];     /* the model's P(growth >= T); NaN: not scored */
    double carry;                   /* the baseline's point */
    const double *err;              /* its record: outcome - carry at the same as-of
                                       month in earlier years */
    size_t n_err;
} ot_backtest_case;

/* Every figure of one group of cases (a series at a month, a series over
 * its months, all series at a month, all of it).  All the means are over the
 * same cases, so model and baseline are compared like for like. */
typedef struct ot_backtest_cell {
    size_t n;             /* cases scored */
    size_t n_prob;        /* probabilities scored (model and baseline alike) */
    double mae;           /* mean |point - outcome| */
    double mae_carry;     /* mean |carry - outcome| */
    double brier;         /* mean (prob - met)^2, the model */
    double brier_base;    /* the same for the baseline's probabilities */
    double cover80, cover95; /* share of outcomes inside [lo80, hi80], [lo95, hi95] */
    double width80, width95; /* mean hi80 - lo80, hi95 - lo95, points */
    double crps;          /* mean CRPS of the model (from its quantiles) */
    double crps_base;     /* mean CRPS of the baseline (from its error sample) */
    double s[10];         /* running sums (ot_backtest_cell_finish turns them into means) */
} ot_backtest_cell;

/* One series' figures. */
typedef struct ot_backtest_row {
    int stock;            /* the baseline carries the latest yoy (else the ytd growth) */
    size_t years;         /* target years scored at some month */
    size_t carried;       /* cases with a carry-forward figure (none before the year's
                             first release: a quarterly series at months 1-2) */
    int first, last;      /* the first and last of them; 0 when none */
    ot_backtest_cell month[OT_BT_MONTHS]; /* [m - 1]: as of the end of month m */
    ot_backtest_cell all; /* over the months tested */
} ot_backtest_row;

typedef struct ot_backtest {
    size_t series;        /* series with at least one year tested */
    size_t cases;         /* series-years tested */
    ot_backtest_month month[OT_BT_MONTHS]; /* [m - 1]: as of the end of month m */
    size_t n_prob;        /* probabilities scored */
    double brier;         /* mean (prob - met)^2; NaN when n_prob == 0 */
    double sum_brier;
    ot_backtest_bin bin[OT_BT_BINS];
    /* against the spreadsheet (cases with a baseline only) */
    ot_backtest_cell by_month[OT_BT_MONTHS]; /* all series, per as-of month */
    ot_backtest_cell all; /* everything */
    size_t compared;      /* series with at least one case against the baseline */
    size_t worse_mae;     /* of those, where the model's MAE > carry-forward's */
    size_t worse_brier;   /* where the model's Brier score > the baseline's */
    size_t worse_crps;    /* where the model's CRPS > the baseline's */
    size_t worse_any;     /* where MAE or Brier is worse */
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

/* The baseline's probability that growth >= T: 0.05 + 0.9 × the share of
 * the errors e[0..n) with carry + e >= T.  NaN when n < OT_BT_RECORD_MIN or
 * carry is NaN. */
double ot_backtest_base_prob(double carry, const double *e, size_t n, double T);
/* The CRPS of the empirical distribution of x[0..n) at y:
 * mean |x_i - y| - sum_ij |x_i - x_j| / (2 n^2).  NaN when n == 0. */
double ot_backtest_crps_sample(const double *x, size_t n, double y);
/* The CRPS at y of the distribution whose quantile function is linear
 * between the quantiles q[0..5) at 2.5, 10, 50, 90 and 97.5% and continues
 * the outer slopes to 0 and 100% (docs/backtest.md).  NaN when any is NaN. */
double ot_backtest_crps_quantiles(const double q[5], double y);

/* Empties c. */
void ot_backtest_cell_init(ot_backtest_cell *c);
/* Scores one case into c.  Returns 1, or 0 (c untouched) when the case
 * cannot be compared: a NaN outcome, point, range or carry, or fewer than
 * OT_BT_RECORD_MIN errors. */
int ot_backtest_cell_add(ot_backtest_cell *c, const ot_backtest_case *k);
/* Turns the sums into the means (NaN when n or n_prob is 0). */
void ot_backtest_cell_finish(ot_backtest_cell *c);

#define OT_BT_WORSE_MAE 1u   /* mae > mae_carry */
#define OT_BT_WORSE_BRIER 2u /* brier > brier_base */
#define OT_BT_WORSE_CRPS 4u  /* crps > crps_base */
/* Where the model does worse than the spreadsheet in the finished cell c:
 * the OT_BT_WORSE_* bits (a difference below 1e-9 is rounding, not worse);
 * 0 for an empty cell. */
unsigned ot_backtest_cell_worse(const ot_backtest_cell *c);

/* Backtests the growth of series s[0..n) read through src (ud passed
 * through): first the outcome of every year (a projection on all the data),
 * then for every target year Y in [o->year_from, o->year_to] not excluded
 * whose outcome and the previous year's are known, at each as-of month, a
 * growth target of Y at last year's growth (and ±OT_BT_SPREAD) projected from
 * the data through that month (latest vintages).  The baseline's record of a
 * year needs the carry-forward figures of the earlier years: years before
 * year_from are projected for it too (one target each, few paths).
 * Fills *out (finished) and, when rows is not NULL, rows[0..n) (one per
 * series), and returns OT_OK, also when nothing could be tested
 * (out->cases == 0).  Fails with OT_EINVAL (bad options, unknown method),
 * OT_ENOMEM, or the source's error other than OT_ENOTFOUND; *out and rows
 * are then untouched. */
int ot_backtest_run(const ot_backtest_series *s, size_t n, ot_source_fn src, void *ud,
                    const ot_backtest_opts *o, ot_backtest *out, ot_backtest_row *rows,
                    ot_err *err);

#endif
