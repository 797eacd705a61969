/* model.h — one interface for every forecasting method: fit, forecast, simulate.
 *
 * Each method lives in its own file (naive.c, ets.c, arima.c, theta.c, ...)
 * and exports one `const ot_method ot_method_<name>`; model.c keeps the table
 * and the generic entry points below.  A fitted ot_model owns its state and
 * arrays; free with ot_model_free.  Knows core and GSL; never Lua or SQLite.
 */
#ifndef OT_MODELS_MODEL_H
#define OT_MODELS_MODEL_H

#include <stddef.h>

#include <gsl/gsl_rng.h>

#include "core/err.h"
#include "core/series.h"

#define OT_MODEL_MAXPAR 32

typedef struct ot_model_opts {
    int period;        /* seasonal period; 0 = from the frequency (12, 4, 1) */
    const char *spec;  /* method-specific specification: "MAdM" or "ZZZ/ml"
                          for ets, "(0,1,1)(0,1,1)" for arima,
                          "median:ets,theta" for combo; NULL = automatic
                          (docs/methods.md) */
    int level_only;    /* reserved */
    int intervals;     /* OT_PI_MODEL: the model's own intervals (as R's
                          forecast); OT_PI_CV: widened by its errors out of
                          sample at past origins (docs/methods.md) */
} ot_model_opts;

enum { OT_PI_MODEL = 0, OT_PI_CV = 1 };

struct ot_method;

typedef struct ot_model {
    const struct ot_method *method;
    void *state;               /* method-private */
    ot_alloc alloc;
    ot_freq freq;              /* of the data it was fitted on */
    ot_ord start;              /* ordinal of the first fitted observation */
    size_t n;                  /* observations used */
    int period;                /* seasonal period used (1 = none) */
    char desc[64];             /* e.g. "ETS(M,Ad,M)", "ARIMA(0,1,1)(0,1,1)[12]" */
    double loglik, aic, aicc, bic, sigma2; /* NaN when not defined */
    size_t npar;
    char par_name[OT_MODEL_MAXPAR][16];
    double par[OT_MODEL_MAXPAR];
    double *fitted;            /* n one-step fitted values (NaN where none) */
    double *resid;             /* n residuals y - fitted */
    char spec_used[96];        /* a spec that refits the structure chosen
                                  ("MAdN" for ets), or "" (refit in full) */
    int intervals;             /* OT_PI_MODEL or OT_PI_CV, from the options */
    double *y;                 /* OT_PI_CV: the n values fitted, else NULL */
} ot_model;

typedef struct ot_method {
    const char *name;
    /* Fits to y[0..n) (NaN allowed inside; a method that cannot use them
     * interpolates first), filling m's public fields and m->state. */
    int (*fit)(ot_model *m, const double *y, size_t n, const ot_model_opts *o, ot_err *err);
    /* Point forecasts mean[0..h) and, for each of nlevels levels (percent),
     * bounds lower[l*h + i], upper[l*h + i]. */
    int (*forecast)(const ot_model *m, size_t h, double *mean, const double *levels,
                    size_t nlevels, double *lower, double *upper, ot_err *err);
    /* npaths sample paths of h future values: paths[p*h + i]. */
    int (*simulate)(const ot_model *m, size_t h, size_t npaths, gsl_rng *rng, double *paths,
                    ot_err *err);
    /* Releases m->state (not m). */
    void (*free_state)(ot_model *m);
    /* 1 when fit reads opts->spec; a spec given to another method is an
     * error, never ignored. */
    int takes_spec;
} ot_method;

/* Interruption.  ot_models_interrupt(why) — async-signal-safe, from any
 * thread — asks every fit, forecast and simulation running in the process
 * to stop: each returns OT_ELIMIT at its next check (between the models of
 * a search, the optimiser's iterations, the origins of calibrated
 * intervals, the series of a batch), with the message "interrupted!"
 * (OT_STOP_INTERRUPT) or "time limit exceeded inside an engine call"
 * (OT_STOP_TIME).  The request holds until ot_models_resume(). */
enum { OT_STOP_INTERRUPT = 1, OT_STOP_TIME = 2 };
void ot_models_interrupt(int why);
void ot_models_resume(void);
/* The pending request (OT_STOP_*), or 0. */
int ot_models_interrupted(void);
/* OT_ELIMIT with the request's message when one is pending, else OT_OK:
 * what the methods (and callers looping over many fits) check between
 * their costly steps. */
int ot_model_check_stop(ot_err *err);

/* The method called name ("naive", "snaive", "drift", "mean", "naive2", "ets",
 * "theta", "arima", "combo", "auto"), or NULL. */
const ot_method *ot_method_find(const char *name);
/* Comma-separated names of every method, for error messages. */
const char *ot_method_names(void);

/* Fits method to the non-missing stretch of y; *out is new, caller frees with
 * ot_model_free.  OT_EINVAL for an unknown method (message lists the known
 * ones), OT_EDATA when y is too short for it. */
int ot_model_fit(const ot_series *y, const char *method, const ot_model_opts *o,
                 ot_model **out, ot_err *err);
void ot_model_free(ot_model *m);

/* A forecast: mean, and per level lower/upper, as series following the data. */
typedef struct ot_forecast {
    size_t h, nlevels;
    double levels[8];
    ot_series *mean;
    ot_series *lower[8];
    ot_series *upper[8];
} ot_forecast;

/* Returns a new forecast (free with ot_forecast_free); at most 8 levels.
 * A model fitted with OT_PI_CV refits itself at past origins to calibrate
 * the intervals (docs/methods.md, "Calibrated intervals"). */
int ot_model_forecast(const ot_model *m, size_t h, const double *levels, size_t nlevels,
                      ot_forecast **out, ot_err *err);
void ot_forecast_free(ot_forecast *f);

/* Simulates npaths paths of h steps into paths[p*h + i] (caller-allocated);
 * with OT_PI_CV each path's distance from the point forecast is widened by
 * the calibration factor of its step. */
int ot_model_simulate(const ot_model *m, size_t h, size_t npaths, gsl_rng *rng, double *paths,
                      ot_err *err);

/* Fits method to each of the n series ys[0..n) on nthreads threads (0 means
 * 2; at most n).  out[i] is new (caller frees each with ot_model_free), or
 * NULL where that fit failed, with the reason in errs[i] (errs may be NULL).
 * Every fit is deterministic, so the result does not depend on nthreads.
 * Returns OT_OK, or OT_EINVAL / OT_ENOMEM (a thread could not start) /
 * OT_ELIMIT (interrupted: ot_models_interrupt) with nothing in out. */
int ot_model_fit_many(const ot_series *const *ys, size_t n, const char *method,
                      const ot_model_opts *o, int nthreads, ot_model **out, ot_err *errs,
                      ot_err *err);

/* Simulates npaths paths of h steps for each of the n models on nthreads
 * threads into paths[i][p*h + k] (caller-allocated); model i draws from its
 * own MT19937 generator seeded with seed + i, so the paths are the same for
 * any thread count.  OT_OK, or the first failure's code and message. */
int ot_model_simulate_many(const ot_model *const *ms, size_t n, size_t h, size_t npaths,
                           unsigned long seed, int nthreads, double *const *paths, ot_err *err);

#endif
