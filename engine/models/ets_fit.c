/* ets_fit.c — one ETS(E,T,S) model fitted as R's forecast::ets (8.20) fits
 * it (Hyndman, Koehler, Ord & Snyder 2008): the state equations, run as one
 * specialised filter loop per combination of components, point forecasts and
 * sample paths; maximum likelihood by GSL's Nelder–Mead simplex under
 * forecast's "both" bounds; and the staged AICc search over the candidate
 * models ets.c draws up.  Works on caller-owned arrays; allocates only GSL's
 * minimisers and, through the caller's allocator, the search's scratch.
 */
#include "models/ets_fit.h"

#include <assert.h>
#include <math.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_multifit.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_randist.h>

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

/* Sample paths: the model run forward with Gaussian innovations e ~ N(0,
 * sigma2), y = yhat + e or yhat (1 + e) (Hyndman et al. 2008, ch. 6.1). */
void ot_ets_paths(const ot_ets_fit *p, double sigma2, size_t h, size_t npaths, gsl_rng *rng,
                  double *paths)
{
    kern k = kern_of(p);
    double sd = sqrt(sigma2), bpa = k.trend == 'M' ? k.beta / k.alpha : 0.0;
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
    v = v < OT_ETS_LIK_PERFECT ? OT_ETS_LIK_PERFECT : v; /* forecast: avoid perfect fits */
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
    if (p.lik < OT_ETS_LIK_PERFECT)
        p.lik = OT_ETS_LIK_PERFECT; /* n log 0: every e is 0 (ets.c reports it as such) */
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

/* ---- the automatic search -------------------------------------------- */

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

/* Fits every candidate and keeps the one of smallest AICc.
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
int ot_ets_search(const double *y, size_t n, int m, const ot_ets_spec *cand, size_t nc,
                  int ml_states, const ot_alloc *a, ot_ets_fit *out)
{
    assert(nc >= 1 && nc <= OT_ETS_MAXCAND);
    fitting *fs = ot_malloc(a, nc * sizeof *fs);
    if (!fs)
        return OT_ENOMEM;
    int ok[OT_ETS_MAXCAND];
    minimisers ms = {{NULL}};
    for (size_t i = 0; i < nc; i++) {
        /* on non-seasonal data the level-only models estimate their
         * initial level too (see above) */
        int level_only = m < 2 && cand[i].trend == 'N' && cand[i].season == 'N';
        ok[i] = fit_start(&fs[i], y, n, m, cand[i], OT_ETS_LIK, ml_states || level_only,
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
    ot_ets_fit win;
    int found = 0;
    for (size_t i = 0; i < nc; i++) {
        ot_ets_fit f;
        if (!ok[i] || fit_end(&fs[i], &f) != 0)
            continue;
        double ic = fit_aicc(&f, n);
        if (!isnan(ic) && (!found || ic < best)) {
            best = ic;
            win = f;
            found = 1;
        }
    }
    minimisers_free(&ms);
    ot_free(a, fs, nc * sizeof *fs);
    if (!found)
        return OT_EDATA;
    *out = win;
    return OT_OK;
}
