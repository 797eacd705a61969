/* ets.c — exponential smoothing state space models, ETS(E,T,S), as in
 * Hyndman, Koehler, Ord & Snyder (2008), "Forecasting with Exponential
 * Smoothing", and as R's forecast::ets (version 8.20) fits them.
 *
 * Error A/M; trend N, A, Ad, M, Md; season N, A, M.  The smoothing
 * parameters are estimated by maximum likelihood with GSL's Nelder–Mead
 * simplex under forecast's "both" bounds (usual and admissible); the initial
 * states keep forecast's heuristic values unless the spec ends in "/ml",
 * which estimates them too (docs/methods.md says why).  The automatic
 * choice minimises AICc over the models forecast::ets allows by default.
 * Prediction intervals are analytic for classes 1–3 of Hyndman et al.
 * (2008, ch. 6) and simulated otherwise.  The filter runs as one
 * specialised loop per combination of components; the search spends its
 * later simplex runs only on the candidates near the best AICc.
 */
#include "models/ets.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_multifit.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "models/decomp.h"
#include "models/methods.h"

#define TOL 1e-10     /* forecast's etscalc.c: guards divisions */
#define HUGEN 1e10
#define PENALTY 1e12  /* objective outside the parameter space */
#define ZSTEP 2.0      /* first simplex step of the logistic coordinates */
#ifndef RUN_EVALS
#define RUN_EVALS 20   /* objective evaluations per free coordinate and simplex run */
#endif
#ifndef SIMPLEX_TOL
#define SIMPLEX_TOL 1e-6 /* simplex size at which a run stops */
#endif
#ifndef ALT_START
#define ALT_START 1    /* also start from alpha = 0.5 */
#endif
#ifndef RESTARTS
#define RESTARTS 1     /* simplex restarts from the optimum */
#endif
#define MAXPAR (4 + 2 + OT_ETS_MAXM)
#define MAXCAND 18     /* candidates of one search: 2 errors x (N, A, Ad) x 3 seasons at most */
#ifndef PRUNE_ALT
#define PRUNE_ALT 30.0 /* AICc behind the best after which a candidate gets no second start */
#endif
#ifndef PRUNE_RESTART
#define PRUNE_RESTART 3.0 /* ... and no restart */
#endif

/* The states between two observations: level, trend and a ring of m
 * seasonal states whose oldest (the one the next period uses) is s[o]. */
typedef struct st {
    double l, b;
    double s[OT_ETS_MAXM];
    int o;
} st;

/* The model as the filter reads it: components, period and smoothing
 * parameters (a few bytes, where ot_ets_fit carries the states too). */
typedef struct kern {
    char error, trend, season;
    int m;
    double alpha, beta, gamma, phi;
} kern;

static kern kern_of(const ot_ets_fit *p)
{
    return (kern){p->spec.error, p->spec.trend, p->spec.season, p->m,
                  p->alpha, p->beta, p->gamma, p->phi};
}

/* The filter's steps are inlined into one loop per combination of
 * components (filter() below), so that the tests on the components leave
 * the loop; GCC and Clang are told to, other compilers may. */
#if defined(__GNUC__)
#define ALWAYS_INLINE static inline __attribute__((always_inline))
#else
#define ALWAYS_INLINE static inline
#endif

/* The one-step forecast from x for trend T and season S; q is the
 * level-and-trend part and phib the damped trend (phi b, or b^phi for a
 * multiplicative trend).  NaN when a multiplicative trend has gone negative
 * (forecast returns NA there). */
ALWAYS_INLINE double predict(char T, char S, double phi, const st *x, double *q, double *phib)
{
    switch (T) {
    case 'N':
        *phib = 0.0;
        *q = x->l;
        break;
    case 'A':
        *phib = phi * x->b;
        *q = x->l + *phib;
        break;
    default:
        if (x->b < 0.0) {
            *q = *phib = NAN;
            return NAN;
        }
        *phib = phi == 1.0 ? x->b : pow(x->b, phi);
        *q = x->l * *phib;
        break;
    }
    switch (S) {
    case 'A': return *q + x->s[x->o];
    case 'M': return *q * x->s[x->o];
    default:  return *q;
    }
}

/* The state update after observing y (forecast's etscalc.c update(), the
 * error-correction forms of Hyndman et al. 2008, table 2.1):
 *   l = q + alpha (p - q),  p = y, y - s, y / s;
 *   b = phib + (beta / alpha) (r - phib),  r = l - l_prev or l / l_prev;
 *   s_new = s_old + gamma (t - s_old),  t = y - q or y / q.
 * With an additive trend r - phib = l - q = alpha (p - q), so that
 * b = phib + beta (p - q); with an additive season t - s_old = p - q.  Those
 * forms are used: b and s no longer wait for l, which shortens the chain of
 * dependent operations per step.  bpa is beta / alpha. */
ALWAYS_INLINE void update(char T, char S, const kern *k, double bpa, st *x, double y, double q,
                          double phib)
{
    double so = S == 'N' ? 0.0 : x->s[x->o];
    double pp = S == 'N' ? y : S == 'A' ? y - so : fabs(so) < TOL ? HUGEN : y / so;
    double u = pp - q;
    double l = q + k->alpha * u;
    if (T == 'A') {
        x->b = phib + k->beta * u;
    } else if (T == 'M') {
        double r = fabs(x->l) < TOL ? HUGEN : l / x->l;
        x->b = phib + bpa * (r - phib);
    }
    if (S != 'N') {
        double v = S == 'A' ? u : (fabs(q) < TOL ? HUGEN : y / q) - so;
        x->s[x->o] = so + k->gamma * v;
        x->o = x->o + 1 == k->m ? 0 : x->o + 1;
    }
    x->l = l;
}

/* Runs the filter over y from x (left at the final state), for error E,
 * trend T and season S.  Returns n log(sum e^2) + 2 sum log|yhat| (the last
 * term for M errors only; minus twice forecast's log-likelihood) or, for
 * OT_ETS_MSE, the mean squared one-step error; NaN when a forecast is not
 * finite.  e, yhat and mse may be NULL. */
ALWAYS_INLINE double filter(char E, char T, char S, const kern *k, st *x, const double *y,
                            size_t n, int crit, double *e, double *yhat, double *mse)
{
    double sse = 0.0, lsum = 0.0, rsse = 0.0, prod = 1.0;
    double bpa = T == 'M' ? k->beta / k->alpha : 0.0, phi = k->phi;
    st w = *x; /* a local copy, so that level and trend stay in registers */
    for (size_t i = 0; i < n; i++) {
        double q, phib;
        double f = predict(T, S, phi, &w, &q, &phib);
        if (!isfinite(f)) {
            *x = w;
            return NAN;
        }
        double d = y[i] - f, ei = E == 'M' ? d / f : d;
        if (e)
            e[i] = ei;
        if (yhat)
            yhat[i] = f;
        sse += ei * ei;
        rsse += d * d;
        if (E == 'M') { /* sum of log|f| as the log of products: one log per ~30 steps */
            prod *= fabs(f);
            if (prod > 1e150 || prod < 1e-150) {
                lsum += log(prod);
                prod = 1.0;
            }
        }
        update(T, S, k, bpa, &w, y[i], q, phib);
    }
    *x = w;
    lsum += log(prod);
    if (mse)
        *mse = rsse / (double)n;
    if (crit == OT_ETS_MSE)
        return rsse / (double)n;
    return (double)n * log(sse) + 2.0 * lsum;
}

/* filter() for k's components: one specialised loop per combination. */
static double run(const kern *k, st *x, const double *y, size_t n, int crit, double *e,
                  double *yhat, double *mse)
{
#define RUN_S(E, T)                                                                     \
    switch (k->season) {                                                                \
    case 'A': return filter(E, T, 'A', k, x, y, n, crit, e, yhat, mse);                 \
    case 'M': return filter(E, T, 'M', k, x, y, n, crit, e, yhat, mse);                 \
    default:  return filter(E, T, 'N', k, x, y, n, crit, e, yhat, mse);                 \
    }
#define RUN_T(E)                                                                        \
    switch (k->trend) {                                                                 \
    case 'A': RUN_S(E, 'A')                                                             \
    case 'M': RUN_S(E, 'M')                                                             \
    default:  RUN_S(E, 'N')                                                             \
    }
    if (k->error == 'M')
        RUN_T('M')
    RUN_T('A')
#undef RUN_T
#undef RUN_S
}

static void state_from_fit(const ot_ets_fit *p, st *x, int initial)
{
    x->l = initial ? p->l0 : p->l;
    x->b = initial ? p->b0 : p->b;
    x->o = 0;
    for (int j = 0; j < p->m; j++)
        x->s[j] = initial ? p->s0[j] : p->s[j];
}

void ot_ets_residuals(const ot_ets_fit *fit, const double *y, size_t n, double *e, double *yhat)
{
    st x;
    kern k = kern_of(fit);
    state_from_fit(fit, &x, 1);
    run(&k, &x, y, n, OT_ETS_LIK, e, yhat, NULL);
}

/* h-step point forecasts (Hyndman et al. 2008, table 2.1):
 * l + phi_h b (or l b^phi_h) combined with the season due, phi_h = phi + ... + phi^h. */
void ot_ets_point(const ot_ets_fit *p, size_t h, double *f)
{
    double phistar = p->phi;
    for (size_t i = 0; i < h; i++) {
        double v;
        switch (p->spec.trend) {
        case 'N': v = p->l; break;
        case 'A': v = p->l + phistar * p->b; break;
        default:  v = p->b < 0.0 ? NAN : p->l * pow(p->b, phistar); break;
        }
        if (p->spec.season == 'A')
            v += p->s[i % (size_t)p->m];
        else if (p->spec.season == 'M')
            v *= p->s[i % (size_t)p->m];
        f[i] = v;
        phistar += p->phi == 1.0 ? 1.0 : pow(p->phi, (double)(i + 2));
    }
}

/* ---- estimation ------------------------------------------------------- */

/* One optimisation problem: the data, the model and the layout of the
 * parameter vector (alpha, beta, gamma, phi, l, b, s_0 .. s_{m-2}); the last
 * seasonal state is implied (the states sum to 0, or to m when
 * multiplicative).  The minimiser works on par / scale. */
typedef struct problem {
    const double *y;
    size_t n;
    int crit;
    ot_ets_fit base;
    kern k;               /* base as the filter reads it */
    int ib, ig, iphi, il, ibb, is; /* indices; -1 when absent (alpha is 0) */
    size_t np;
    double scale[MAXPAR];
    size_t nevals;
    size_t nfree;         /* leading coordinates the minimiser moves */
    st x0;                /* the initial state when the states are fixed (nfree <= il) */
    int x0ok;             /* x0 is valid (no negative multiplicative season) */
    struct minimisers *ms; /* where simplex() finds its minimiser */
} problem;

/* Schur–Cohn test: 1 when every root of c[0] + c[1] z + ... + c[d] z^d lies
 * inside the circle |z| < rho (forecast finds the roots with polyroot() and
 * accepts max |root| <= 1 + 1e-10; the recursion reaches the same verdict
 * without computing roots).  With p(z) scaled to p(rho z), each step needs
 * |c[0] / c[d]| < 1 and replaces p by (c[d] p(z) - c[0] p*(z)) / z, p* the
 * reversed polynomial (Henrici 1974, Applied and Computational Complex
 * Analysis I, section 6.8).  c is overwritten. */
int ot_roots_inside(double *c, int d, double rho)
{
    double t[OT_ETS_MAXM + 2], r = 1.0;
    for (int k = 0; k <= d; k++, r *= rho)
        c[k] *= r;
    for (int k = d; k >= 1; k--) {
        double lead = c[k], c0 = c[0];
        if (!(fabs(c0) < fabs(lead)))
            return 0;
        double big = 0.0;
        for (int j = 0; j < k; j++) {
            t[j] = lead * c[j + 1] - c0 * c[k - 1 - j];
            big = fabs(t[j]) > big ? fabs(t[j]) : big;
        }
        if (!(big > 0.0))
            return 0;
        for (int j = 0; j < k; j++) /* rescaled: the squares would underflow */
            c[j] = t[j] / big;
    }
    return 1;
}

/* forecast's admissible(): the parameters give a forecastable model
 * (Hyndman et al. 2008, ch. 10; for seasonal models the roots of the
 * characteristic polynomial lie inside the unit circle). */
static int admissible(const problem *pb, double a, double b, double g, double phi)
{
    int m = pb->k.m;
    if (phi < 0.0 || phi > 1.0 + 1e-8)
        return 0;
    if (pb->ig < 0) {
        if (a < 1.0 - 1.0 / phi || a > 1.0 + 1.0 / phi)
            return 0;
        if (pb->ib >= 0 && (b < a * (phi - 1.0) || b > (1.0 + phi) * (2.0 - a)))
            return 0;
        return 1;
    }
    if (m <= 1)
        return 1;
    double d = 1.0 - 1.0 / phi - a;
    if (g < (d > 0.0 ? d : 0.0) || g > 1.0 + 1.0 / phi - a)
        return 0;
    if (a < 1.0 - 1.0 / phi - g * (1.0 - m + phi + phi * m) / (2.0 * phi * m))
        return 0;
    if (b < -(1.0 - phi) * (g / m + a))
        return 0;
    /* phi(1-a-g) + (a+b-a phi+g-1) z + (a+b-a phi)(z^2..z^{m-1}) + (a+b-phi) z^m + z^{m+1} */
    double c[OT_ETS_MAXM + 2];
    c[0] = phi * (1.0 - a - g);
    c[1] = a + b - a * phi + g - 1.0;
    for (int j = 2; j < m; j++)
        c[j] = a + b - a * phi;
    c[m] = a + b - phi;
    c[m + 1] = 1.0;
    return ot_roots_inside(c, m + 1, 1.0 + 1e-10);
}

/* The initial state from the parameter vector; 0 when a multiplicative
 * seasonal state is negative. */
static int decode_states(const problem *pb, const double *par, st *x)
{
    x->l = par[pb->il];
    x->b = pb->ibb >= 0 ? par[pb->ibb] : 0.0;
    x->o = 0;
    if (pb->is >= 0) {
        int m = pb->k.m;
        double sum = 0.0;
        for (int k = 0; k < m - 1; k++) { /* s_k is the k-th newest */
            x->s[m - 1 - k] = par[pb->is + k];
            sum += par[pb->is + k];
        }
        x->s[0] = (pb->k.season == 'M' ? m : 0) - sum;
        if (pb->k.season == 'M')
            for (int j = 0; j < m; j++)
                if (x->s[j] < 0.0)
                    return 0;
    }
    return 1;
}

/* Decodes a parameter vector into p and the initial state x; returns 0 when
 * it lies outside forecast's usual bounds (0.0001..0.9999, beta <= alpha,
 * gamma <= 1 - alpha, 0.8 <= phi <= 0.98) or is not admissible.  When the
 * states are not estimated, x is the fixed pb->x0 and par holds only the
 * smoothing parameters. */
static int decode(const problem *pb, const double *par, kern *p, st *x)
{
    *p = pb->k;
    p->alpha = par[0];
    p->beta = pb->ib >= 0 ? par[pb->ib] : 0.0;
    p->gamma = pb->ig >= 0 ? par[pb->ig] : 0.0;
    p->phi = pb->iphi >= 0 ? par[pb->iphi] : 1.0;
    double a = p->alpha;
    if (a < 1e-4 || a > 0.9999)
        return 0;
    if (pb->ib >= 0 && (p->beta < 1e-4 || p->beta > a || p->beta > 0.9999))
        return 0;
    if (pb->iphi >= 0 && (p->phi < 0.8 || p->phi > 0.98))
        return 0;
    if (pb->ig >= 0 && (p->gamma < 1e-4 || p->gamma > 1.0 - a || p->gamma > 0.9999))
        return 0;
    if (!admissible(pb, a, p->beta, p->gamma, p->phi))
        return 0;
    if (pb->nfree <= (size_t)pb->il) {
        *x = pb->x0;
        return pb->x0ok;
    }
    return decode_states(pb, par, x);
}

/* The minimiser's coordinates: the smoothing parameters pass through
 * logistic maps onto forecast's usual bounds, nested so that the box is the
 * whole feasible region (beta in [1e-4, alpha], gamma in [1e-4, 1 - alpha],
 * phi in [0.8, 0.98]); the states are divided by their scale.  Corners such
 * as alpha = beta = 0.9999, where many series have their optimum, are then
 * reached smoothly instead of across a penalty wall. */
static double logistic(double z)
{
    /* flat beyond |z| = 12, so that the simplex shrinks onto an optimum at a
     * bound instead of running off to infinity */
    z = z < -12.0 ? -12.0 : z > 12.0 ? 12.0 : z;
    return 1.0 / (1.0 + exp(-z));
}

static double logit(double p)
{
    p = p < 1e-9 ? 1e-9 : p > 1.0 - 1e-9 ? 1.0 - 1e-9 : p;
    return log(p / (1.0 - p));
}

#define LO 1e-4
#define HI 0.9999

static void to_par(const problem *pb, const double *z, double *par)
{
    for (size_t i = 0; i < pb->nfree; i++)
        par[i] = z[i] * pb->scale[i];
    double a = LO + (HI - LO) * logistic(z[0]);
    par[0] = a;
    if (pb->ib >= 0)
        par[pb->ib] = LO + ((a < HI ? a : HI) - LO) * logistic(z[pb->ib]);
    if (pb->ig >= 0)
        par[pb->ig] = LO + ((1.0 - a < HI ? 1.0 - a : HI) - LO) * logistic(z[pb->ig]);
    if (pb->iphi >= 0)
        par[pb->iphi] = 0.8 + 0.18 * logistic(z[pb->iphi]);
}

static void from_par(const problem *pb, const double *par, double *z)
{
    for (size_t i = 0; i < pb->np; i++)
        z[i] = par[i] / pb->scale[i];
    double a = par[0];
    z[0] = logit((a - LO) / (HI - LO));
    if (pb->ib >= 0)
        z[pb->ib] = logit((par[pb->ib] - LO) / ((a < HI ? a : HI) - LO));
    if (pb->ig >= 0)
        z[pb->ig] = logit((par[pb->ig] - LO) / ((1.0 - a < HI ? 1.0 - a : HI) - LO));
    if (pb->iphi >= 0)
        z[pb->iphi] = logit((par[pb->iphi] - 0.8) / 0.18);
}

static double objective(const gsl_vector *zv, void *vp)
{
    problem *pb = vp;
    pb->nevals++;
    double par[MAXPAR], z[MAXPAR];
    for (size_t i = 0; i < pb->nfree; i++)
        z[i] = zv->data[i * zv->stride];
    to_par(pb, z, par);
    kern p;
    st x;
    if (!decode(pb, par, &p, &x))
        return PENALTY;
    double v = run(&p, &x, pb->y, pb->n, pb->crit, NULL, NULL, NULL);
    if (isnan(v))
        return PENALTY;
    v = v < -1e10 ? -1e10 : v; /* forecast: avoid perfect fits */
    /* past the flat ends of the logistic maps, a slope back towards them */
    size_t ns = (size_t)pb->il < pb->nfree ? (size_t)pb->il : pb->nfree;
    for (size_t i = 0; i < ns; i++) {
        double over = fabs(z[i]) - 12.0;
        if (over > 0.0)
            v += over * over;
    }
    return v;
}

/* Least-squares line through (1, v[0]) .. (k, v[k-1]): R's lsfit(1:k, v). */
static void line_fit(const double *v, size_t k, double *c0, double *c1)
{
    double mx = (k + 1) / 2.0, my = 0.0, sxy = 0.0, sxx = 0.0;
    for (size_t i = 0; i < k; i++)
        my += v[i];
    my /= (double)k;
    for (size_t i = 0; i < k; i++) {
        double dx = (double)(i + 1) - mx;
        sxy += dx * (v[i] - my);
        sxx += dx * dx;
    }
    *c1 = sxx > 0.0 ? sxy / sxx : 0.0;
    *c0 = my - *c1 * mx;
}

/* forecast's initstate(): seasonal figures from classical decomposition
 * (n >= 3m) or, for shorter series, from a regression on a trend and one
 * Fourier pair; then level and trend from a line through the first
 * max(10, 2m) seasonally adjusted values.  Writes l0, b0 and the m - 1
 * newest seasonal states s[0..m-2]; returns -1 when it cannot. */
static int init_states(const double *y, size_t n, int m, char trend, char season, double *l0,
                     double *b0, double *s)
{
    double ysa[2 * OT_ETS_MAXM > 10 ? 2 * OT_ETS_MAXM : 10];
    size_t maxn = (size_t)(season != 'N' && 2 * m > 10 ? 2 * m : 10);
    if (maxn > n)
        maxn = n;
    if (season != 'N') {
        if (n < 4)
            return -1;
        double seas_at[OT_ETS_MAXM * 2 > 10 ? OT_ETS_MAXM * 2 : 10]; /* seasonal at t < maxn, m */
        size_t need = maxn > (size_t)m ? maxn : (size_t)m;
        int mult = season == 'M';
        if (n < 3 * (size_t)m) {
            gsl_matrix *X = gsl_matrix_alloc(n, 4);
            gsl_vector *yy = gsl_vector_alloc(n), *c = gsl_vector_alloc(4);
            gsl_matrix *cov = gsl_matrix_alloc(4, 4);
            gsl_multifit_linear_workspace *w = gsl_multifit_linear_alloc(n, 4);
            int ok = X && yy && c && cov && w;
            double chisq, c0 = 0, c1 = 0;
            if (ok) {
                for (size_t i = 0; i < n; i++) {
                    double t = (double)(i + 1);
                    gsl_matrix_set(X, i, 0, 1.0);
                    gsl_matrix_set(X, i, 1, t);
                    gsl_matrix_set(X, i, 2, m > 2 ? sin(2.0 * M_PI * t / m) : 0.0);
                    gsl_matrix_set(X, i, 3, cos(2.0 * M_PI * t / m));
                    gsl_vector_set(yy, i, y[i]);
                }
                ok = gsl_multifit_linear(X, yy, c, cov, &chisq, w) == GSL_SUCCESS;
                c0 = gsl_vector_get(c, 0);
                c1 = gsl_vector_get(c, 1);
            }
            gsl_multifit_linear_free(w);
            gsl_matrix_free(cov);
            gsl_vector_free(c);
            gsl_vector_free(yy);
            gsl_matrix_free(X);
            if (!ok)
                return -1;
            for (size_t i = 0; i < need; i++) {
                double tr = c0 + c1 * (double)(i + 1);
                seas_at[i] = mult ? y[i] / tr : y[i] - tr;
            }
        } else {
            double idx[OT_ETS_MAXM];
            if (ot_decompose(y, n, m, mult, idx) != 0)
                return -1;
            for (size_t i = 0; i < need; i++)
                seas_at[i] = idx[i % (size_t)m];
        }
        /* init.seas <- rev(seasonal[2:m]): s_k = seasonal at position m-1-k */
        double sum = 0.0;
        for (int k = 0; k < m - 1; k++) {
            s[k] = seas_at[m - 1 - k];
            if (mult && s[k] < 0.01)
                s[k] = 0.01;
            sum += s[k];
        }
        if (mult && sum > m)
            for (int k = 0; k < m - 1; k++)
                s[k] /= sum + 0.01 * (m - 1);
        for (size_t i = 0; i < maxn; i++)
            ysa[i] = mult ? y[i] / (seas_at[i] > 0.01 ? seas_at[i] : 0.01) : y[i] - seas_at[i];
    } else {
        for (size_t i = 0; i < maxn; i++)
            ysa[i] = y[i];
    }
    if (trend == 'N') {
        double sum = 0.0;
        for (size_t i = 0; i < maxn; i++)
            sum += ysa[i];
        *l0 = sum / (double)maxn;
        *b0 = 0.0;
        return 0;
    }
    double c0, c1;
    line_fit(ysa, maxn, &c0, &c1);
    if (trend == 'A') {
        *l0 = c0;
        *b0 = c1;
        if (fabs(c0 + c1) < 1e-8) {
            *l0 = c0 * 1.001;
            *b0 = c1 * 0.999;
        }
        return 0;
    }
    double l = c0 + c1;
    if (fabs(l) < 1e-8)
        l = 1e-7;
    double b = (c0 + 2.0 * c1) / l;
    l /= b;
    if (fabs(b) > 1e10)
        b = b > 0 ? 1e10 : -1e10;
    if (l < 1e-8 || b < 1e-8) {
        l = ysa[0] > 1e-3 ? ysa[0] : 1e-3;
        b = maxn > 1 && ysa[1] / ysa[0] > 1e-3 ? ysa[1] / ysa[0] : 1e-3;
    }
    *l0 = l;
    *b0 = b;
    return 0;
}

/* GSL minimisers by dimension, allocated on first use and shared by every
 * simplex run of that dimension in one fit or search: set() starts a
 * minimiser afresh, so reuse changes nothing but the number of mallocs. */
typedef struct minimisers {
    gsl_multimin_fminimizer *by_dim[MAXPAR + 1];
} minimisers;

static void minimisers_free(minimisers *ms)
{
    for (size_t i = 0; i <= MAXPAR; i++)
        gsl_multimin_fminimizer_free(ms->by_dim[i]);
}

/* Nelder–Mead (GSL nmsimplex2) from z0 with the given steps; leaves the best
 * point in z0 and returns its value (NaN when GSL fails or is out of
 * memory).  Stops when the simplex is smaller than SIMPLEX_TOL or once more
 * than budget evaluations are spent.  The budget is what ends nearly every
 * run: forecast::ets allows 2000 evaluations per model, we spend RUN_EVALS
 * per coordinate and run, and up to 2 + RESTARTS runs per model. */
static double simplex(problem *pb, double *z0, const double *step, size_t budget)
{
    size_t np = pb->nfree;
    gsl_multimin_function fn = {objective, np, pb};
    gsl_vector_view x = gsl_vector_view_array(z0, np);
    gsl_vector_const_view ss = gsl_vector_const_view_array(step, np);
    gsl_multimin_fminimizer **sp = &pb->ms->by_dim[np];
    if (!*sp)
        *sp = gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2, np);
    gsl_multimin_fminimizer *s = *sp;
    if (!s)
        return NAN;
    pb->nevals = 0;
    if (gsl_multimin_fminimizer_set(s, &fn, &x.vector, &ss.vector) != GSL_SUCCESS)
        return NAN;
    /* set() leaves the minimum unset until the first iteration (valgrind:
     * uninitialised value), hence "iterated" */
    int iterated = 0;
    while (gsl_multimin_fminimizer_iterate(s) == GSL_SUCCESS) {
        iterated = 1;
        if (gsl_multimin_test_size(gsl_multimin_fminimizer_size(s), SIMPLEX_TOL) == GSL_SUCCESS)
            break;
        if (pb->nevals > budget)
            break;
    }
    double best = iterated ? gsl_multimin_fminimizer_minimum(s) : NAN;
    for (size_t i = 0; iterated && i < np; i++)
        z0[i] = gsl_vector_get(s->x, i);
    return best;
}

/* One model being fitted: its problem, the first parameter vector and
 * steps of the simplex, and the best point so far with its value. */
typedef struct fitting {
    problem pb;
    double par[MAXPAR], step[MAXPAR], z[MAXPAR];
    double v; /* objective at z; not finite or >= PENALTY when nothing fits */
} fitting;

/* Sets up the fit of spec to y[0..n) (forecast's initstate() and
 * initparam()) and runs the simplex from forecast's starting values.
 * Returns 0, or -1 when the model cannot be fitted to these data. */
static int fit_start(fitting *f, const double *y, size_t n, int m, ot_ets_spec spec, int crit,
                     int ml_states, minimisers *ms)
{
    problem *pb = &f->pb;
    memset(pb, 0, sizeof *pb);
    pb->ms = ms;
    pb->y = y;
    pb->n = n;
    pb->crit = crit;
    if (spec.season == 'N')
        m = 1;
    if (m > OT_ETS_MAXM || (spec.season != 'N' && (m < 2 || n <= (size_t)m)))
        return -1;
    pb->base.spec = spec;
    pb->base.m = m;
    pb->k = kern_of(&pb->base);
    double l0, b0, s[OT_ETS_MAXM];
    if (init_states(y, n, m, spec.trend, spec.season, &l0, &b0, s) != 0)
        return -1;

    /* forecast's initparam() with the usual bounds */
    double *par = f->par, *step = f->step;
    size_t k = 0;
    double alpha = 1e-4 + 0.2 * (0.9999 - 1e-4) / m;
    par[k] = alpha, step[k] = ZSTEP, pb->scale[k++] = 1.0;
    pb->ib = pb->ig = pb->iphi = pb->ibb = pb->is = -1;
    if (spec.trend != 'N') {
        double ub = alpha < 0.9999 ? alpha : 0.9999;
        double beta = 1e-4 + 0.1 * (ub - 1e-4);
        if (beta < 0 || beta > alpha)
            beta = alpha - 1e-3;
        pb->ib = (int)k;
        par[k] = beta, step[k] = ZSTEP, pb->scale[k++] = 1.0;
    }
    if (spec.season != 'N') {
        double ug = 1.0 - alpha < 0.9999 ? 1.0 - alpha : 0.9999;
        pb->ig = (int)k;
        par[k] = 1e-4 + 0.05 * (ug - 1e-4), step[k] = ZSTEP, pb->scale[k++] = 1.0;
    }
    if (spec.damped) {
        pb->iphi = (int)k;
        par[k] = 0.8 + 0.99 * (0.98 - 0.8), step[k] = -ZSTEP, pb->scale[k++] = 1.0;
    }
    /* states are optimised in units of the data's typical size */
    double ysc = 0.0;
    for (size_t i = 0; i < n; i++)
        ysc += fabs(y[i]);
    ysc = ysc > 0.0 ? ysc / (double)n : 1.0;
    pb->il = (int)k;
    par[k] = l0, step[k] = 0.05, pb->scale[k++] = ysc;
    if (spec.trend != 'N') {
        pb->ibb = (int)k;
        double bs = spec.trend == 'A' ? ysc : 1.0;
        par[k] = b0, step[k] = 0.01, pb->scale[k++] = bs;
    }
    if (spec.season != 'N') {
        pb->is = (int)k;
        double ss = spec.season == 'A' ? ysc : 1.0;
        for (int j = 0; j < m - 1; j++)
            par[k] = s[j], step[k] = 0.02, pb->scale[k++] = ss;
    }
    pb->np = k;
    if (pb->np + 1 >= n) /* forecast: np >= length(y) - 1 is not fitted */
        return -1;
    pb->nfree = ml_states ? k : (size_t)pb->il;
    pb->x0ok = decode_states(pb, par, &pb->x0);
    from_par(pb, par, f->z);
    f->v = simplex(pb, f->z, step, RUN_EVALS * pb->nfree);
    return 0;
}

/* A second start inside the region, where the first often stalls: alpha
 * 0.5, beta alpha/2, gamma (1-alpha)/2, phi 0.9; keeps the better point. */
static void fit_alt(fitting *f)
{
    problem *pb = &f->pb;
    double par2[MAXPAR], z2[MAXPAR];
    memcpy(par2, f->par, pb->np * sizeof par2[0]);
    par2[0] = 0.5;
    if (pb->ib >= 0)
        par2[pb->ib] = 0.25;
    if (pb->ig >= 0)
        par2[pb->ig] = 0.25;
    if (pb->iphi >= 0)
        par2[pb->iphi] = 0.9;
    from_par(pb, par2, z2);
    double v2 = simplex(pb, z2, f->step, RUN_EVALS * pb->nfree);
    if (isfinite(v2) && (!isfinite(f->v) || v2 < f->v)) {
        f->v = v2;
        memcpy(f->z, z2, pb->np * sizeof z2[0]);
    }
}

/* Restarts from the optimum with the first steps (Nelder–Mead stalls on
 * the ridges of these likelihoods), while they improve by 1e-3 or more. */
static void fit_restart(fitting *f)
{
    problem *pb = &f->pb;
    for (int r = 0; r < RESTARTS && isfinite(f->v) && f->v < PENALTY; r++) {
        double z2[MAXPAR];
        memcpy(z2, f->z, pb->np * sizeof z2[0]);
        double v2 = simplex(pb, z2, f->step, RUN_EVALS * pb->nfree);
        if (!(isfinite(v2) && v2 < f->v))
            break;
        memcpy(f->z, z2, pb->np * sizeof z2[0]);
        int small = f->v - v2 < 1e-3;
        f->v = v2;
        if (small)
            break;
    }
}

/* The fitted model at f's best point: parameters, states and likelihood.
 * Returns 0, or -1 when no admissible point with a finite likelihood was
 * found. */
static int fit_end(const fitting *f, ot_ets_fit *out)
{
    const problem *pb = &f->pb;
    if (!(isfinite(f->v) && f->v < PENALTY))
        return -1;
    double par[MAXPAR];
    to_par(pb, f->z, par);
    kern kp;
    st x;
    if (!decode(pb, par, &kp, &x))
        return -1;
    int m = pb->k.m;
    ot_ets_fit p = pb->base;
    p.alpha = kp.alpha;
    p.beta = kp.beta;
    p.gamma = kp.gamma;
    p.phi = kp.phi;
    p.l0 = x.l;
    p.b0 = x.b;
    for (int j = 0; j < m; j++)
        p.s0[j] = x.s[j];
    p.lik = run(&kp, &x, pb->y, pb->n, OT_ETS_LIK, NULL, NULL, &p.mse);
    if (isnan(p.lik) || p.lik == INFINITY)
        return -1;
    if (p.lik < -1e10)
        p.lik = -1e10;
    p.l = x.l;
    p.b = x.b;
    for (int j = 0; j < m; j++) /* rotate so that s[0] is the oldest */
        p.s[j] = x.s[(x.o + j) % m];
    p.nopt = pb->np;
    *out = p;
    return 0;
}

int ot_ets_fit_spec(const double *y, size_t n, int m, ot_ets_spec spec, int crit,
                    int ml_states, ot_ets_fit *out)
{
    fitting f;
    minimisers ms = {{NULL}};
    int rc = fit_start(&f, y, n, m, spec, crit, ml_states, &ms);
    if (rc == 0) {
        if (ALT_START)
            fit_alt(&f);
        fit_restart(&f);
        rc = fit_end(&f, out);
    }
    minimisers_free(&ms);
    return rc;
}

/* ---- the method ------------------------------------------------------- */

typedef struct ets_state {
    ot_ets_fit fit;
    double sigma2; /* variance of the innovations e (relative for M errors) */
} ets_state;

/* Parses "ANN", "MAdM", "ZZZ", "AZN", ... (error, trend with an optional
 * 'd', season; Z = choose), optionally followed by "/ml" (estimate the
 * initial states by maximum likelihood too).  Returns 0 or -1. */
static int parse_spec(const char *s, char *e, char *t, int *d, char *se, int *ml)
{
    size_t len = strlen(s);
    *ml = len > 3 && !strcmp(s + len - 3, "/ml");
    if (*ml)
        len -= 3;
    if (len != 3 && !(len == 4 && s[2] == 'd'))
        return -1;
    *e = s[0];
    *t = s[1];
    *d = len == 4;
    *se = s[len - 1];
    if (!strchr("AMZ", *e) || !strchr("NAMZ", *t) || !strchr("NAMZ", *se))
        return -1;
    if (*d && (*t == 'N' || *t == 'Z'))
        return -1;
    return 0;
}

static void describe(const ot_ets_spec *sp, char *buf, size_t cap)
{
    snprintf(buf, cap, "ETS(%c,%c%s,%c)", sp->error, sp->trend, sp->damped ? "d" : "",
             sp->season);
}

/* AICc on n values with nopt + 1 parameters (forecast counts sigma):
 * lik + 2k + 2k(k+1)/(n-k-1), lik = -2 loglik. */
static double aicc(double lik, size_t nopt, size_t n)
{
    double k = (double)nopt + 1.0;
    if ((double)n - k - 1.0 <= 0.0)
        return INFINITY;
    return lik + 2.0 * k + 2.0 * k * (k + 1.0) / ((double)n - k - 1.0);
}

static double fit_aicc(const ot_ets_fit *f, size_t n)
{
    return aicc(f->lik, f->nopt, n);
}

/* The AICc of a model being fitted, at its best point so far; NaN while it
 * has none (no admissible point with a finite likelihood found yet). */
static double fitting_aicc(const fitting *f, size_t n)
{
    return isfinite(f->v) && f->v < PENALTY ? aicc(f->v, f->pb.np, n) : NAN;
}

/* The smallest fitting_aicc() of the candidates that could be set up. */
static double best_aicc(const fitting *fs, const int *ok, size_t nc, size_t n)
{
    double b = INFINITY;
    for (size_t i = 0; i < nc; i++) {
        double ic = ok[i] ? fitting_aicc(&fs[i], n) : NAN;
        b = ic < b ? ic : b;
    }
    return b;
}

/* Fits as forecast::ets(y, model = spec): each letter Z tries the allowed
 * components, a trend without 'd' under Z tries damped and not; models with
 * A errors and M components and ETS(M,M,A) are not tried (restrict = TRUE),
 * nor M errors on data with a value <= 0, nor the M trend under Z
 * (allow.multiplicative.trend = FALSE).  The smallest AICc wins.
 *
 * The initial states keep forecast's heuristic values (initstate()), except
 * that on non-seasonal data (period 1) ETS(A,N,N) and ETS(M,N,N) estimate
 * their initial level with alpha.  forecast::ets estimates every state, but
 * its simplex (one step size, a tenth of the largest parameter) moves them
 * unevenly: on the first 40 M3 yearly series R's ETS(M,N,N) level ends a
 * median 35% of the series' mean away from the heuristic (the mean of the
 * first ten values, far from the start of a trending series), while
 * ETS(M,A,N) keeps l0 within 1% and b0 within 11% of its regression line.
 * With the heuristic level the level-only models lost the AICc contest to
 * trend models far more often than in R (M3 yearly sMAPE 17.37 against R's
 * 17.00; with the level estimated 16.52, MASE 2.83 against 2.86).  On
 * seasonal data, where those models compete with seasonal ones whose
 * states stay heuristic, estimating their level makes monthly forecasts
 * worse (sMAPE 14.01 to 14.10), so the rule stops there.
 *
 * The candidates are fitted in stages, so that the effort goes to those
 * that can win: every candidate gets its first simplex run; those within
 * PRUNE_ALT of the best AICc then get the second start, and those within
 * PRUNE_RESTART of the best after that the restart.  A candidate that goes
 * through every stage is fitted exactly as ot_ets_fit_spec() fits it alone.
 * A candidate that far behind seldom catches up (with these margins the
 * winner is the one of the full search on every M3 yearly and quarterly
 * series, and on all but 3 of the 1,428 monthly ones), and skipping its
 * later runs halves the time of the search. */
static int fit_ets(ot_model *m, const double *y, size_t n, const ot_model_opts *o, ot_err *err)
{
    const char *spec = o->spec ? o->spec : "ZZZ";
    char E, T, S;
    int D, ml_states;
    if (parse_spec(spec, &E, &T, &D, &S, &ml_states) != 0)
        return ot_err_set(err, OT_EINVAL,
                          "ets: bad model '%s' (three letters: error A/M/Z, trend N/A/Ad/M/Md/Z, "
                          "season N/A/M/Z; then /ml to estimate the initial states)", spec);
    int period = m->period;
    int positive = 1, constant = 1;
    for (size_t i = 0; i < n; i++) {
        positive &= y[i] > 0.0;
        constant &= y[i] == y[0];
    }
    if ((S == 'A' || S == 'M') && period < 2)
        return ot_err_set(err, OT_EDATA, "ets: a seasonal model needs a seasonal period above 1");
    if ((S == 'A' || S == 'M') && period > OT_ETS_MAXM)
        return ot_err_set(err, OT_EDATA, "ets: seasonal period %d is above %d", period,
                          OT_ETS_MAXM);
    if (!positive && (E == 'M' || T == 'M' || S == 'M'))
        return ot_err_set(err, OT_EDATA,
                          "ets: multiplicative components need strictly positive data");
    if (n < 4)
        return ot_err_set(err, OT_EDATA, "ets: needs at least 4 values, got %zu", n);
    if (period < 2 || period > OT_ETS_MAXM || n <= (size_t)period)
        S = S == 'Z' ? 'N' : S;
    if (n <= (size_t)period && S != 'N')
        S = 'N'; /* forecast: length(y) <= m drops the season */

    ets_state *es = ot_malloc(&m->alloc, sizeof *es);
    if (!es)
        return ot_err_set(err, OT_ENOMEM, "out of memory");
    memset(es, 0, sizeof *es);
    m->state = es;

    if (constant) {
        /* forecast: ses(y, alpha = 0.99999, initial = "simple") */
        ot_ets_fit *f = &es->fit;
        f->spec = (ot_ets_spec){'A', 'N', 'N', 0};
        f->m = 1;
        f->alpha = 0.99999;
        f->phi = 1.0;
        f->l0 = f->l = y[0];
        f->nopt = 0;
        es->sigma2 = 0.0;
        m->sigma2 = 0.0;
        for (size_t i = 0; i < n; i++) {
            m->fitted[i] = y[0];
            m->resid[i] = 0.0;
        }
        describe(&f->spec, m->desc, sizeof m->desc);
        ot_model_add_par(m, "alpha", f->alpha);
        ot_model_add_par(m, "l", f->l0);
        return OT_OK;
    }

    const char *es_ = E == 'Z' ? (positive ? "AM" : "A") : (char[]){E, 0};
    const char *ts_ = T == 'Z' ? "NA" : (char[]){T, 0};
    const char *ss_ = S == 'Z' ? (positive ? "NAM" : "NA") : (char[]){S, 0};
    int dz = T == 'Z';
    ot_ets_spec cand[MAXCAND];
    size_t nc = 0;
    for (const char *pe = es_; *pe; pe++)
        for (const char *pt = ts_; *pt; pt++)
            for (const char *ps = ss_; *ps; ps++)
                for (int d = dz ? 1 : D; d >= (dz ? 0 : D); d--) {
                    if (*pt == 'N' && d)
                        continue;
                    if (E == 'Z' || T == 'Z' || S == 'Z') {
                        if (*pe == 'A' && (*pt == 'M' || *ps == 'M'))
                            continue;
                        if (*pe == 'M' && *pt == 'M' && *ps == 'A')
                            continue;
                    }
                    cand[nc++] = (ot_ets_spec){*pe, *pt, *ps, d};
                }
    if (nc == 0) /* e.g. "AZM": every candidate is a forbidden combination */
        return ot_err_set(err, OT_EDATA, "ets: no model %s could be fitted to %zu values", spec, n);
    fitting *fs = ot_malloc(&m->alloc, nc * sizeof *fs);
    if (!fs)
        return ot_err_set(err, OT_ENOMEM, "out of memory");
    int ok[MAXCAND];
    minimisers ms = {{NULL}};
    for (size_t i = 0; i < nc; i++) {
        /* on non-seasonal data the level-only models estimate their
         * initial level too (see above) */
        int level_only = period < 2 && cand[i].trend == 'N' && cand[i].season == 'N';
        ok[i] = fit_start(&fs[i], y, n, period, cand[i], OT_ETS_LIK, ml_states || level_only,
                          &ms) == 0;
    }
    if (ALT_START) {
        double b = best_aicc(fs, ok, nc, n);
        for (size_t i = 0; i < nc; i++)
            if (ok[i] && !(fitting_aicc(&fs[i], n) > b + PRUNE_ALT))
                fit_alt(&fs[i]);
    }
    double b = best_aicc(fs, ok, nc, n);
    for (size_t i = 0; i < nc; i++)
        if (ok[i] && !(fitting_aicc(&fs[i], n) > b + PRUNE_RESTART))
            fit_restart(&fs[i]);
    double best = INFINITY;
    int found = 0;
    for (size_t i = 0; i < nc; i++) {
        ot_ets_fit f;
        if (!ok[i] || fit_end(&fs[i], &f) != 0)
            continue;
        double ic = fit_aicc(&f, n);
        if (!isnan(ic) && (!found || ic < best)) {
            best = ic;
            es->fit = f;
            found = 1;
        }
    }
    minimisers_free(&ms);
    ot_free(&m->alloc, fs, nc * sizeof *fs);
    if (!found)
        return ot_err_set(err, OT_EDATA, "ets: no model %s could be fitted to %zu values", spec, n);

    ot_ets_fit *f = &es->fit;
    double sse = 0.0;
    ot_ets_residuals(f, y, n, m->resid, m->fitted); /* resid holds e for now */
    for (size_t i = 0; i < n; i++) {
        sse += m->resid[i] * m->resid[i];
        m->resid[i] = y[i] - m->fitted[i];
    }
    /* forecast::ets: sigma2 = sum(e^2) / (n - number of estimated parameters) */
    es->sigma2 = sse / (double)(n - f->nopt);
    m->sigma2 = es->sigma2;
    m->loglik = -0.5 * f->lik; /* forecast's convention: constants dropped */
    ot_model_set_ic(m, f->nopt + 1);
    describe(&f->spec, m->desc, sizeof m->desc);
    snprintf(m->spec_used, sizeof m->spec_used, "%c%c%s%c%s", f->spec.error, f->spec.trend,
             f->spec.damped ? "d" : "", f->spec.season, ml_states ? "/ml" : "");
    ot_model_add_par(m, "alpha", f->alpha);
    if (f->spec.trend != 'N')
        ot_model_add_par(m, "beta", f->beta);
    if (f->spec.season != 'N')
        ot_model_add_par(m, "gamma", f->gamma);
    if (f->spec.damped)
        ot_model_add_par(m, "phi", f->phi);
    ot_model_add_par(m, "l", f->l0);
    if (f->spec.trend != 'N')
        ot_model_add_par(m, "b", f->b0);
    if (f->spec.season != 'N') {
        for (int j = 1; j <= f->m; j++) { /* s1 newest, as forecast names them */
            char name[16];
            snprintf(name, sizeof name, "s%d", j);
            ot_model_add_par(m, name, f->s0[f->m - j]);
        }
    }
    return OT_OK;
}

static void ets_free(ot_model *m)
{
    ot_free(&m->alloc, m->state, sizeof(ets_state));
    m->state = NULL;
}

/* Sample paths: the model run forward with Gaussian innovations e ~ N(0,
 * sigma2), y = yhat + e or yhat (1 + e) (Hyndman et al. 2008, ch. 6.1). */
static void ets_paths(const ets_state *es, size_t h, size_t npaths, gsl_rng *rng, double *paths)
{
    const ot_ets_fit *p = &es->fit;
    kern k = kern_of(p);
    double sd = sqrt(es->sigma2), bpa = k.trend == 'M' ? k.beta / k.alpha : 0.0;
    for (size_t j = 0; j < npaths; j++) {
        st x;
        state_from_fit(p, &x, 0);
        for (size_t i = 0; i < h; i++) {
            double q, phib;
            double f = predict(k.trend, k.season, k.phi, &x, &q, &phib);
            double e = gsl_ran_gaussian(rng, sd);
            double yv = k.error == 'M' ? f * (1.0 + e) : f + e;
            paths[j * h + i] = yv;
            if (isfinite(yv))
                update(k.trend, k.season, &k, bpa, &x, yv, q, phib);
        }
    }
}

static int ets_simulate(const ot_model *m, size_t h, size_t npaths, gsl_rng *rng, double *paths,
                        ot_err *err)
{
    (void)err;
    ets_paths(m->state, h, npaths, rng, paths);
    return OT_OK;
}

/* c_j = w' F^{j-1} g for the linear models (class 1; Hyndman et al. 2008,
 * eq. 6.5), with the states ordered level, trend, seasons newest first. */
static void class1_c(const ot_ets_fit *p, size_t h, double *c)
{
    int m = p->m, hasb = p->spec.trend != 'N', hass = p->spec.season != 'N';
    double vl = p->alpha, vb = hasb ? p->beta : 0.0, vs[OT_ETS_MAXM] = {0};
    if (hass)
        vs[0] = p->gamma;
    for (size_t j = 1; j < h; j++) {
        c[j] = vl + (hasb ? p->phi * vb : 0.0) + (hass ? vs[m - 1] : 0.0);
        vl += hasb ? p->phi * vb : 0.0;
        vb *= p->phi;
        if (hass) {
            double last = vs[m - 1];
            memmove(vs + 1, vs, (size_t)(m - 1) * sizeof vs[0]);
            vs[0] = last;
        }
    }
}

/* Class 3, ETS(M,N|A|Ad,M) (Hyndman et al. 2008, section 6.3; forecast's
 * class3()): the mean and variance of y_{n+h} from the moments of the
 * product of the level-trend and seasonal state vectors, M_h and V_h.
 * Damped trends use F1 = [1 phi; 0 phi], H1 = [1 phi], G1 = [a a phi; b b phi].
 * Writes mu[0..h) and var[0..h); returns 0, or -1 when out of memory. */
static int class3(const ot_ets_fit *p, double s2, size_t h, double *mu, double *var)
{
    int m = p->m, q = p->spec.trend == 'N' ? 1 : 2;
    size_t dim = (size_t)(q * m);
    double phi = p->phi;
    double H1[2] = {1.0, phi}, F1[2][2] = {{1.0, phi}, {0.0, phi}};
    double G1[2][2] = {{p->alpha, p->alpha * phi}, {p->beta, p->beta * phi}};
    if (q == 1) {
        F1[0][0] = 1.0;
        G1[0][0] = p->alpha;
    }
    gsl_matrix *F21 = gsl_matrix_calloc(dim, dim), *G21 = gsl_matrix_calloc(dim, dim);
    gsl_matrix *K = gsl_matrix_calloc(dim, dim), *V = gsl_matrix_calloc(dim, dim);
    gsl_matrix *A = gsl_matrix_alloc(dim, dim), *B = gsl_matrix_alloc(dim, dim);
    gsl_matrix *C = gsl_matrix_alloc(dim, dim), *Vn = gsl_matrix_alloc(dim, dim);
    gsl_vector *v = gsl_vector_alloc(dim);
    int rc = -1;
    if (!F21 || !G21 || !K || !V || !A || !B || !C || !Vn || !v)
        goto done;
    /* F2: seasons newest first, s'_1 = s_m, s'_k = s_{k-1}; G2[0][m-1] = gamma */
    for (int i1 = 0; i1 < m; i1++)
        for (int j1 = 0; j1 < m; j1++) {
            double f2 = (i1 == 0 && j1 == m - 1) || (i1 > 0 && j1 == i1 - 1);
            double g2 = (i1 == 0 && j1 == m - 1) ? p->gamma : 0.0;
            for (int i2 = 0; i2 < q; i2++)
                for (int j2 = 0; j2 < q; j2++) {
                    size_t r = (size_t)(i1 * q + i2), c = (size_t)(j1 * q + j2);
                    gsl_matrix_set(F21, r, c, f2 * F1[i2][j2]);
                    gsl_matrix_set(G21, r, c, g2 * G1[i2][j2]);
                    gsl_matrix_set(K, r, c, g2 * F1[i2][j2] + f2 * G1[i2][j2]);
                }
        }
    double M[2][OT_ETS_MAXM], Mn[2][OT_ETS_MAXM];
    double xl[2] = {p->l, p->b};
    for (int r = 0; r < q; r++)
        for (int c = 0; c < m; c++)
            M[r][c] = xl[r] * p->s[m - 1 - c]; /* column c = (c+1)-th newest season */
    for (size_t i = 0; i < h; i++) {
        double mui = 0.0, hv = 0.0;
        for (int r = 0; r < q; r++)
            mui += H1[r] * M[r][m - 1];
        /* H21 V H21': H21 picks the block of the oldest season weighted by H1 */
        for (int r = 0; r < q; r++)
            for (int c = 0; c < q; c++)
                hv += H1[r] * H1[c] * gsl_matrix_get(V, (size_t)((m - 1) * q + r),
                                                     (size_t)((m - 1) * q + c));
        mu[i] = mui;
        var[i] = (1.0 + s2) * hv + s2 * mui * mui;
        for (int c = 0; c < m; c++)
            for (int r = 0; r < q; r++)
                gsl_vector_set(v, (size_t)(c * q + r), M[r][c]);
        /* Vn = F V F' + s2 (F V G' + G V F' + K (V + v v') K' + s2 G (3V + 2 v v') G') */
        gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, F21, V, 0.0, A);      /* A = F V */
        gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0, A, F21, 0.0, Vn);       /* F V F' */
        gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0, A, G21, 0.0, B);        /* F V G' */
        for (size_t r = 0; r < dim; r++)
            for (size_t c = 0; c < dim; c++)
                gsl_matrix_set(Vn, r, c, gsl_matrix_get(Vn, r, c) +
                               s2 * (gsl_matrix_get(B, r, c) + gsl_matrix_get(B, c, r)));
        gsl_matrix_memcpy(C, V);                                               /* C = V + v v' */
        gsl_blas_dger(1.0, v, v, C);
        gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, K, C, 0.0, A);
        gsl_blas_dgemm(CblasNoTrans, CblasTrans, s2, A, K, 1.0, Vn);
        gsl_matrix_memcpy(C, V);                                               /* C = 3V + 2 v v' */
        gsl_matrix_scale(C, 3.0);
        gsl_blas_dger(2.0, v, v, C);
        gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, G21, C, 0.0, A);
        gsl_blas_dgemm(CblasNoTrans, CblasTrans, s2 * s2, A, G21, 1.0, Vn);
        gsl_matrix_memcpy(V, Vn);
        /* M = F1 M F2' + s2 G1 M G2' */
        for (int r = 0; r < q; r++)
            for (int c = 0; c < m; c++) {
                int src = c == 0 ? m - 1 : c - 1; /* (M F2')[., c] = M[., src] */
                double a = 0.0;
                for (int k = 0; k < q; k++)
                    a += F1[r][k] * M[k][src];
                if (c == 0)
                    for (int k = 0; k < q; k++)
                        a += s2 * p->gamma * G1[r][k] * M[k][m - 1];
                Mn[r][c] = a;
            }
        memcpy(M, Mn, sizeof M);
    }
    rc = 0;
done:
    gsl_vector_free(v);
    gsl_matrix_free(Vn);
    gsl_matrix_free(C);
    gsl_matrix_free(B);
    gsl_matrix_free(A);
    gsl_matrix_free(V);
    gsl_matrix_free(K);
    gsl_matrix_free(G21);
    gsl_matrix_free(F21);
    return rc;
}

#define SIM_PATHS 5000
#define SIM_SEED 20080101UL

/* Forecast means and intervals as forecast.ets: class 1 (A errors, no M
 * component) var = s2 (1 + sum_{j<h} c_j^2); class 2 (M errors, additive
 * trend and season) theta_h = mu_h^2 + s2 sum_{j<h} c_j^2 theta_{h-j},
 * var = (1 + s2) theta_h - mu_h^2 (Hyndman et al. 2008, eqs. 6.5, 6.6);
 * class 3 above; otherwise the quantiles of 5000 simulated paths from a
 * generator with a fixed seed, so forecasts are reproducible. */
static int ets_forecast(const ot_model *m, size_t h, double *mean, const double *levels,
                        size_t nlevels, double *lower, double *upper, ot_err *err)
{
    const ets_state *es = m->state;
    const ot_ets_fit *p = &es->fit;
    double s2 = es->sigma2;
    ot_ets_point(p, h, mean);
    int cls = 0;
    if (p->spec.trend != 'M' && p->spec.season != 'M')
        cls = p->spec.error == 'A' ? 1 : 2;
    else if (p->spec.error == 'M' && p->spec.season == 'M' && p->spec.trend != 'M')
        cls = 3;
    int rc = OT_ENOMEM;
    double *var = ot_model_calloc(m, h, sizeof *var);
    double *c = ot_model_calloc(m, h, sizeof *c);
    double *paths = NULL, *col = NULL;
    if (!var || !c)
        goto fail;
    if (cls == 1 || cls == 2) {
        class1_c(p, h, c);
        if (cls == 1) {
            double acc = 1.0;
            for (size_t i = 0; i < h; i++) {
                if (i > 0)
                    acc += c[i] * c[i];
                var[i] = s2 * acc;
            }
        } else {
            double *th = var; /* theta, then overwritten by var from the end */
            for (size_t i = 0; i < h; i++) {
                double t = mean[i] * mean[i];
                for (size_t j = 1; j <= i; j++)
                    t += s2 * c[j] * c[j] * th[i - j];
                th[i] = t;
            }
            for (size_t i = 0; i < h; i++)
                var[i] = (1.0 + s2) * th[i] - mean[i] * mean[i];
        }
    } else if (cls == 3) {
        if (class3(p, s2, h, mean, var) != 0)
            goto fail;
    }
    if (cls > 0) {
        for (size_t l = 0; l < nlevels; l++) {
            double z = ot_zlevel(levels[l]);
            for (size_t i = 0; i < h; i++) {
                double sd = sqrt(var[i] > 0.0 ? var[i] : 0.0);
                lower[l * h + i] = mean[i] - z * sd;
                upper[l * h + i] = mean[i] + z * sd;
            }
        }
    } else if (nlevels > 0) {
        paths = ot_model_calloc(m, SIM_PATHS * h, sizeof *paths);
        col = ot_model_calloc(m, SIM_PATHS, sizeof *col);
        gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
        if (!paths || !col || !rng) {
            gsl_rng_free(rng);
            goto fail;
        }
        gsl_rng_set(rng, SIM_SEED);
        ets_paths(es, h, SIM_PATHS, rng, paths);
        gsl_rng_free(rng);
        for (size_t i = 0; i < h; i++) {
            for (size_t k = 0; k < SIM_PATHS; k++)
                col[k] = paths[k * h + i];
            gsl_sort(col, 1, SIM_PATHS);
            for (size_t l = 0; l < nlevels; l++) {
                double a = (100.0 - levels[l]) / 200.0;
                lower[l * h + i] = gsl_stats_quantile_from_sorted_data(col, 1, SIM_PATHS, a);
                upper[l * h + i] = gsl_stats_quantile_from_sorted_data(col, 1, SIM_PATHS, 1 - a);
            }
        }
    }
    rc = OT_OK;
fail:
    ot_model_free_mem(m, col, SIM_PATHS, sizeof *col);
    ot_model_free_mem(m, paths, SIM_PATHS * h, sizeof *paths);
    ot_model_free_mem(m, c, h, sizeof *c);
    ot_model_free_mem(m, var, h, sizeof *var);
    return rc == OT_OK ? OT_OK : ot_err_set(err, rc, "out of memory");
}

const ot_method ot_method_ets = {"ets", fit_ets, ets_forecast, ets_simulate, ets_free};
