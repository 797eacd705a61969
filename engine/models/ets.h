/* ets.h — exponential smoothing state space models (Hyndman et al. 2008),
 * the parts other methods reuse: fitting one model on an array and its point
 * forecasts.  theta.c fits SES (ETS(A,N,N) by mean squared error) through it.
 *
 * Pure computation on caller-owned arrays and fixed-size structs; the only
 * allocation is GSL's minimiser inside ot_ets_fit_spec.
 */
#ifndef OT_MODELS_ETS_H
#define OT_MODELS_ETS_H

#include <stddef.h>

#define OT_ETS_MAXM 24 /* longest seasonal period, as forecast::ets */
/* The lik of a perfect fit (every error 0: n log 0), as forecast's lik()
 * clamps it so that perfect fits compare by their parameters' count. */
#define OT_ETS_LIK_PERFECT (-1e10)

/* Components: 'N' none, 'A' additive, 'M' multiplicative. */
typedef struct ot_ets_spec {
    char error, trend, season;
    int damped;
} ot_ets_spec;

/* A fitted model: parameters, initial and final states. */
typedef struct ot_ets_fit {
    ot_ets_spec spec;
    int m;                              /* seasonal period; 1 when season is 'N' */
    double alpha, beta, gamma, phi;     /* beta, gamma 0 and phi 1 when absent */
    double l0, b0, s0[OT_ETS_MAXM];     /* initial states; s0[0] oldest (used first) */
    double l, b, s[OT_ETS_MAXM];        /* states after the last observation, s[0] oldest */
    double lik;                         /* n log(SSE) (+ 2 sum log|yhat| for M errors) */
    double mse;                         /* mean squared one-step error (of e) */
    size_t nopt;                        /* estimated parameters (smoothing and states) */
} ot_ets_fit;

enum { OT_ETS_LIK = 0, OT_ETS_MSE = 1 };

/* Fits spec to y[0..n) with period m by Nelder–Mead on crit (OT_ETS_LIK or
 * OT_ETS_MSE): the smoothing parameters always, the initial states too when
 * ml_states (otherwise they keep forecast's heuristic values).  Writes *out
 * and returns 0, or -1 when the model cannot be fitted (too few values, no
 * finite objective, out of memory). */
int ot_ets_fit_spec(const double *y, size_t n, int m, ot_ets_spec spec, int crit, int ml_states,
                    ot_ets_fit *out);

/* One-step errors e[0..n) (y - yhat, or (y - yhat) / yhat for M errors) and
 * fitted values yhat[0..n) of fit on y, from its initial states. */
void ot_ets_residuals(const ot_ets_fit *fit, const double *y, size_t n, double *e, double *yhat);

/* Point forecasts f[0..h) from the final states (Hyndman et al. 2008, table 2.1). */
void ot_ets_point(const ot_ets_fit *fit, size_t h, double *f);

#endif
