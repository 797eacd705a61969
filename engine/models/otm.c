/* otm.c — the Optimised Theta Method of Fiorucci, Pellegrini, Louzada,
 * Petropoulos & Koehler (2016), "Models for optimising the theta method and
 * their relationship to state space models", IJF 32(4) 1151–1161: the theta
 * coefficient is estimated by least squares (the Gaussian MLE) together with
 * the smoothing parameter and the initial level, on data seasonally adjusted
 * as theta.c does (classical multiplicative decomposition when the 90%
 * autocorrelation test at the seasonal lag says seasonal).  Spec "theta=V"
 * fixes theta (V = 2 is the paper's standard theta model, STM).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_multimin.h>
#include <gsl/gsl_randist.h>

#include "models/decomp.h"
#include "models/methods.h"

/* alpha in [ALPHA_LO, ALPHA_HI] and omega = 1 - 1/theta in [0, OMEGA_HI],
 * i.e. theta in [1, 1e6], as forecTheta's otm bounds them (alpha in
 * [0.1, 0.99], theta >= 1).  The lower bound on alpha matters: as alpha -> 0
 * with theta -> infinity and l0 = 0, mu_t tends to the least-squares line
 * A + B t, so without it the "optimised theta" degenerates into a linear
 * regression on most trending series. */
#define ALPHA_LO 0.1
#define ALPHA_HI 0.99
#define OMEGA_HI (1.0 - 1e-6)

typedef struct otm_state {
    double alpha, omega, level, a, b, sigma2;
    size_t n;
    int m, seasonal;
    double idx[366]; /* seasonal indices by position i mod m (1 when none) */
} otm_state;

/* What the profile objective needs: the adjusted data, the regression line
 * and, when theta is fixed, its omega (NaN when estimated). */
typedef struct otm_problem {
    const double *x;
    size_t n;
    double a, b, wfix;
} otm_problem;

/* The static OTM of Fiorucci et al. (2016, §3), with t = 1..n, q = 1 - alpha,
 * omega = 1 - 1/theta, A + B t the least-squares line through x:
 *   x_t = mu_t + e_t,  mu_t = l_{t-1} + omega d_t,
 *   d_t = q^{t-1} A + c_t B,  c_t = (1 - q^t)/alpha = 1 + q c_{t-1},
 *   l_t = alpha x_t + q l_{t-1}.
 * Since l_{t-1} = q^{t-1} l0 + s_{t-1} with s_t = alpha x_t + q s_{t-1}, s_0 = 0,
 * mu_t is linear in (l0, omega): for a given alpha the SSE is a convex
 * quadratic whose minimum over omega in [0, OMEGA_HI] is found exactly
 * (the profile in omega is convex, so a violated bound is the answer).  Writes
 * l0 and omega; returns the SSE.  When the two regressors are collinear
 * (B = 0: omega does not change the forecasts) omega is taken as 1/2. */
static double profile(const otm_problem *pb, double alpha, double *l0, double *omega)
{
    const double *x = pb->x;
    double q = 1.0 - alpha, u = 1.0, c = 0.0, s = 0.0;
    double suu = 0, sud = 0, sdd = 0, sur = 0, sdr = 0;
    for (size_t t = 1; t <= pb->n; t++) {
        c = 1.0 + q * c;
        double d = u * pb->a + c * pb->b, r = x[t - 1] - s;
        suu += u * u;
        sud += u * d;
        sdd += d * d;
        sur += u * r;
        sdr += d * r;
        s = alpha * x[t - 1] + q * s;
        u *= q;
    }
    double w = pb->wfix, l, det = suu * sdd - sud * sud;
    if (isnan(w) && !(det > 1e-10 * suu * sdd))
        w = 0.5;
    if (isnan(w)) {
        w = (suu * sdr - sud * sur) / det;
        if (w >= 0.0 && w <= OMEGA_HI) {
            l = (sdd * sur - sud * sdr) / det;
        } else {
            w = w < 0.0 ? 0.0 : OMEGA_HI;
            l = (sur - w * sud) / suu;
        }
    } else {
        l = (sur - w * sud) / suu;
    }
    /* the SSE by a second pass: the expanded quadratic cancels badly */
    double sse = 0.0;
    u = 1.0, c = 0.0, s = 0.0;
    for (size_t t = 1; t <= pb->n; t++) {
        c = 1.0 + q * c;
        double e = x[t - 1] - (s + u * l + w * (u * pb->a + c * pb->b));
        sse += e * e;
        s = alpha * x[t - 1] + q * s;
        u *= q;
    }
    *l0 = l;
    *omega = w;
    return sse;
}

static double alpha_of(double z)
{
    return ALPHA_LO + (ALPHA_HI - ALPHA_LO) / (1.0 + exp(-z));
}

static double objective(const gsl_vector *z, void *params)
{
    double l0, w;
    return profile(params, alpha_of(gsl_vector_get(z, 0)), &l0, &w);
}

/* The alpha minimising the profile SSE: the best of a grid of 10 values,
 * refined by Nelder–Mead (GSL nmsimplex2) on the logit of alpha, which keeps
 * alpha inside (ALPHA_LO, ALPHA_HI).  Returns the better of grid and simplex, so a
 * GSL failure only costs precision. */
static double best_alpha(otm_problem *pb)
{
    static const double grid[] = {0.11, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.98};
    double l0, w, alpha = grid[0], best = INFINITY;
    for (size_t i = 0; i < sizeof grid / sizeof grid[0]; i++) {
        double f = profile(pb, grid[i], &l0, &w);
        if (f < best) {
            best = f;
            alpha = grid[i];
        }
    }
    double z0 = -log((ALPHA_HI - ALPHA_LO) / (alpha - ALPHA_LO) - 1.0), step = 0.5;
    gsl_multimin_function fn = {objective, 1, pb};
    gsl_vector_view zv = gsl_vector_view_array(&z0, 1);
    gsl_vector_view sv = gsl_vector_view_array(&step, 1);
    gsl_multimin_fminimizer *s = gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2,
                                                               1);
    if (!s)
        return alpha;
    if (gsl_multimin_fminimizer_set(s, &fn, &zv.vector, &sv.vector) == GSL_SUCCESS) {
        for (int it = 0; it < 200; it++) {
            if (gsl_multimin_fminimizer_iterate(s) != GSL_SUCCESS)
                break;
            if (gsl_multimin_test_size(gsl_multimin_fminimizer_size(s), 1e-8) == GSL_SUCCESS)
                break;
        }
        double a = alpha_of(gsl_vector_get(s->x, 0));
        if (profile(pb, a, &l0, &w) < best)
            alpha = a;
    }
    gsl_multimin_fminimizer_free(s);
    return alpha;
}

/* Reads the spec: NULL or "" estimates theta (*omega = NaN); "theta=V" with
 * 1 <= V <= 1e6 fixes it.  OT_EINVAL with the spec quoted otherwise. */
static int parse_spec(const char *spec, double *omega, ot_err *err)
{
    *omega = NAN;
    if (!spec || !*spec)
        return OT_OK;
    char *end;
    double v = strncmp(spec, "theta=", 6) == 0 ? strtod(spec + 6, &end) : NAN;
    if (isnan(v) || end == spec + 6 || *end || !(v >= 1.0 && v <= 1e6))
        return ot_err_set(err, OT_EINVAL,
                          "otm: bad spec '%s' (expected theta=V with 1 <= V <= 1e6)", spec);
    *omega = 1.0 - 1.0 / v;
    return OT_OK;
}

/* Fits as the top comment says: seasonal adjustment as theta.c, the line
 * A + B t (t = 1..n) by least squares, then alpha by best_alpha and l0,
 * omega exactly for it.  sigma^2 = SSE / (n - k), k = 3 mean parameters
 * (2 when theta is fixed); the log-likelihood is the Gaussian one with sigma
 * estimated too.  OT_EDATA for fewer than 4 values, OT_EINVAL for a bad
 * spec, OT_ENOMEM; m->state is set before anything else is allocated so
 * ot_model_free releases it on any failure. */
static int fit_otm(ot_model *m, const double *y, size_t n, const ot_model_opts *o, ot_err *err)
{
    double wfix;
    int rc = parse_spec(o->spec, &wfix, err);
    if (rc != OT_OK)
        return rc;
    if (n < 4)
        return ot_err_set(err, OT_EDATA, "otm: needs at least 4 values, got %zu", n);
    otm_state *st = ot_malloc(&m->alloc, sizeof *st);
    if (!st)
        return ot_err_set(err, OT_ENOMEM, "out of memory");
    memset(st, 0, sizeof *st);
    m->state = st;
    st->n = n;
    st->m = m->period > 1 ? m->period : 1;
    for (int j = 0; j < st->m; j++)
        st->idx[j] = 1.0;
    double *x = ot_model_calloc(m, n, sizeof *x);
    if (!x)
        return ot_err_set(err, OT_ENOMEM, "out of memory");
    if (st->m > 1 && ot_seasonal_test(y, n, st->m, 2 * (size_t)st->m + 1) &&
        ot_decompose(y, n, st->m, 1, st->idx) == 0) {
        st->seasonal = 1;
        for (int j = 0; j < st->m; j++)
            if (fabs(st->idx[j]) < 1e-4)
                st->seasonal = 0;
        if (!st->seasonal)
            for (int j = 0; j < st->m; j++)
                st->idx[j] = 1.0;
    }
    for (size_t i = 0; i < n; i++)
        x[i] = y[i] / st->idx[i % (size_t)st->m];

    /* the least-squares line A + B t on t = 1..n */
    double mt = (double)(n + 1) / 2.0, mx = 0.0, sxy = 0.0, stt = 0.0;
    for (size_t i = 0; i < n; i++)
        mx += x[i] / (double)n;
    for (size_t i = 0; i < n; i++) {
        double dt = (double)(i + 1) - mt;
        sxy += dt * (x[i] - mx);
        stt += dt * dt;
    }
    otm_problem pb = {x, n, 0.0, sxy / stt, wfix};
    pb.a = mx - pb.b * mt;

    double alpha = best_alpha(&pb), l0, w;
    double sse = profile(&pb, alpha, &l0, &w);
    if (!isfinite(sse) || !isfinite(l0)) {
        ot_model_free_mem(m, x, n, sizeof *x);
        return ot_err_set(err, OT_EDATA, "otm: the model could not be fitted");
    }
    /* the fitted values and the final level by the recursions */
    double q = 1.0 - alpha, u = 1.0, c = 0.0, l = l0;
    for (size_t t = 1; t <= n; t++) {
        c = 1.0 + q * c;
        double mu = l + w * (u * pb.a + c * pb.b);
        m->fitted[t - 1] = mu * st->idx[(t - 1) % (size_t)st->m];
        m->resid[t - 1] = y[t - 1] - m->fitted[t - 1];
        l = alpha * x[t - 1] + q * l;
        u *= q;
    }
    ot_model_free_mem(m, x, n, sizeof *x);
    size_t k = isnan(wfix) ? 3 : 2;
    st->alpha = alpha;
    st->omega = w;
    st->level = l;
    st->a = pb.a;
    st->b = pb.b;
    st->sigma2 = sse / (double)(n > k ? n - k : 1);
    m->sigma2 = st->sigma2;
    m->loglik = -0.5 * (double)n * (log(2.0 * M_PI * sse / (double)n) + 1.0);
    ot_model_set_ic(m, k + 1);
    ot_model_add_par(m, "alpha", alpha);
    ot_model_add_par(m, "theta", 1.0 / (1.0 - w));
    ot_model_add_par(m, "l", l0);
    ot_model_add_par(m, "A", pb.a);
    ot_model_add_par(m, "B", pb.b);
    snprintf(m->desc, sizeof m->desc, "OTM(theta=%.3g)%s", 1.0 / (1.0 - w),
             st->seasonal ? " seasonally adjusted" : "");
    return OT_OK;
}

static void otm_free(ot_model *m)
{
    ot_free(&m->alloc, m->state, sizeof(otm_state));
    m->state = NULL;
}

/* Fiorucci et al. (2016), the h-step forecast on the adjusted scale, i = h - 1:
 *   x_{n+h|n} = l_n + omega (q^n A + (h - 1 + (1 - q^{n+1})/alpha) B). */
static double otm_point(const otm_state *st, size_t i)
{
    double a = st->alpha, q = 1.0 - a, qn = pow(q, (double)st->n);
    return st->level + st->omega * (qn * st->a + ((double)i + (1.0 - qn * q) / a) * st->b);
}

/* Forecast errors of the SSOE form: x_{n+h} - x_{n+h|n} = e_{n+h} +
 * alpha (e_{n+1} + ... + e_{n+h-1}), so se_h = sigma sqrt(1 + (h-1) alpha^2);
 * the bounds are the adjusted-scale bounds times the seasonal index, as the
 * paths of otm_simulate are. */
static int otm_forecast(const ot_model *m, size_t h, double *mean, const double *levels,
                        size_t nlevels, double *lower, double *upper, ot_err *err)
{
    (void)err;
    const otm_state *st = m->state;
    for (size_t i = 0; i < h; i++) {
        double s = st->idx[(st->n + i) % (size_t)st->m], xm = otm_point(st, i);
        double se = sqrt(st->sigma2 * ((double)i * st->alpha * st->alpha + 1.0));
        mean[i] = xm * s;
        for (size_t l = 0; l < nlevels; l++) {
            double z = ot_zlevel(levels[l]);
            lower[l * h + i] = (xm - z * se) * s;
            upper[l * h + i] = (xm + z * se) * s;
        }
    }
    return OT_OK;
}

/* Paths of the state space form: each future value is the point forecast
 * plus e_{n+i} plus alpha times the earlier innovations of its path,
 * e ~ N(0, sigma^2), times the seasonal index. */
static int otm_simulate(const ot_model *m, size_t h, size_t npaths, gsl_rng *rng, double *paths,
                        ot_err *err)
{
    (void)err;
    const otm_state *st = m->state;
    double sd = sqrt(st->sigma2);
    for (size_t p = 0; p < npaths; p++) {
        double acc = 0.0;
        for (size_t i = 0; i < h; i++) {
            double e = gsl_ran_gaussian(rng, sd);
            paths[p * h + i] = (otm_point(st, i) + acc + e) * st->idx[(st->n + i) %
                                                                    (size_t)st->m];
            acc += st->alpha * e;
        }
    }
    return OT_OK;
}

const ot_method ot_method_otm = {"otm", fit_otm, otm_forecast, otm_simulate, otm_free, 1};
