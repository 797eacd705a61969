/* arima_int.h — what the three files of the ARIMA method share (private to
 * engine/models): the order and fitted-state types, the state of an
 * automatic search, and the functions crossing files.  arima_fit.c owns the
 * likelihood and the estimation of one order, arima_search.c the automatic
 * choice of an order, arima.c the method (model.h's interface).  Nothing
 * here allocates; buffers are the caller's.
 */
#ifndef OT_MODELS_ARIMA_INT_H
#define OT_MODELS_ARIMA_INT_H

#include <stddef.h>

#include "models/methods.h"

#define MAXP 5        /* p, q at most */
#define MAXSP 2       /* P, Q at most */
#define MAXR 64       /* state dimension: max(p + mP, q + mQ + 1) */
#define MAXD 80       /* degree of the differencing polynomial: d + mD */

/* An order (p,d,q)(P,D,Q)_m, m = 1 when non-seasonal, with or without a
 * constant (a mean, or a drift when d + D = 1). */
typedef struct order {
    int p, d, q, P, D, Q, m, constant;
} order;

/* A fitted order: its coefficients, their expanded polynomials, and what
 * forecasts and paths start from. */
typedef struct arima_state {
    order o;
    double phi[MAXP], theta[MAXP], sphi[MAXSP], stheta[MAXSP], mu;
    double ar[MAXR], ma[MAXR]; /* expanded: w_t = sum ar_i w_{t-i} + e_t + sum ma_i e_{t-i} */
    int np, nq;                /* degrees of the expanded polynomials */
    double sigma2;
    double a[MAXR];            /* predicted state for the first future period */
    double P[MAXR * MAXR];     /* and its covariance, in units of sigma2 */
    double dpoly[MAXD + 1];    /* (1-B)^d (1-B^m)^D, dpoly[0] = 1 */
    int nd;
    size_t n;
    double ylast[MAXD];        /* the last nd observations, oldest first */
} arima_state;

/* Flags of ot_arima_fit_order (see there). */
enum { FIT_THOROUGH = 1, FIT_STRICT = 2, FIT_CSS = 4 };

#define NMODELS 94 /* auto.arima's nmodels */

/* The state of one automatic search: the data, the differencing found, the
 * order bounds, every order fitted with its AICc (forecast's results
 * matrix, so that no order is fitted twice) and the best fit so far. */
typedef struct search {
    const double *y;
    size_t n;
    double *w;
    int flags;     /* of ot_arima_fit_order for each model */
    double offset; /* with FIT_CSS: auto.arima's offset, making CSS fits comparable */
    int maxp, maxq, maxP, maxQ;
    int aic;         /* choose by AIC, not AICc (auto.arima on 3 values or fewer) */
    int fixed;       /* differenced data constant: the model bo, constant fixed */
    double fixed_mu;
    struct {
        order o;
        double ic;
    } tried[NMODELS + 8];
    int k;
    double best;
    order bo;
    arima_state bs;
} search;

/* arima_fit.c */

/* Differences y[0..n) by (1-B)^d (1-B^m)^D into w (n - d - mD values) and
 * writes the polynomial (poly, deg: may be NULL); returns the length of w, 0
 * when y is too short. */
size_t ot_arima_difference(const double *y, size_t n, int d, int D, int m, double *w,
                           double *poly, int *deg);

/* The exact -2 log L of w[0..n) under s by the Kalman filter; writes s2, the
 * innovations v, the state and covariance for n + 1 (each may be NULL); NaN
 * when s is not stationary enough to start the filter. */
double ot_arima_kalman(const arima_state *s, const double *w, size_t n, double *s2out, double *v,
                       double *anext, double *Pnext);

/* Fits o to y[0..n) as R's arima() (FIT_* flags), wbuf n values of scratch;
 * fills *s and returns -2 log L (with FIT_CSS: log CSS variance); NaN when
 * o cannot be fitted. */
double ot_arima_fit_order(const double *y, size_t n, const order *o, int flags, double *wbuf,
                          arima_state *s);

/* Fills *s with o, no ARMA part, its constant fixed at mu; returns -2 log L,
 * minus infinity for a perfect fit, NaN when y is too short. */
double ot_arima_fixed_order(const double *y, size_t n, const order *o, double mu, double *wbuf,
                            arima_state *s);

/* The AIC of a fit of o with -2 log L m2ll: m2ll + 2 k, k its coefficients,
 * constant and sigma^2. */
double ot_arima_aic(double m2ll, const order *o);
/* The AICc of a fit of o with -2 log L m2ll on nw differenced values;
 * infinity when nw leaves no degrees of freedom. */
double ot_arima_aicc(double m2ll, const order *o, size_t nw);

/* forecast's checkarima of the ML fit s of w[0..nw): 0 when its Hessian is
 * singular or a variance negative (the fit rejected), 1 otherwise. */
int ot_arima_hessian_ok(const arima_state *s, const double *w, size_t nw);

/* arima_search.c */

/* Fits o as forecast's myarima, records it in sr and makes it sr's best
 * when its AICc is lower; returns the AICc, infinity for a failed or
 * rejected fit or when ot_models_interrupted(). */
double ot_arima_fit_ic(search *sr, order o);

/* auto.arima's choice for sr->y, sr->n (sr zeroed but y, n, w and best =
 * infinity) with md's allocator and seasonal period; st is scratch.  Leaves
 * the choice in sr (sr->best infinite when no order could be fitted);
 * OT_ENOMEM with err set when memory runs out. */
int ot_arima_auto(const ot_model *md, int period, search *sr, arima_state *st, ot_err *err);

#endif
