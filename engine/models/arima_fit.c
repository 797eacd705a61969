/* arima_fit.c — the estimation of one seasonal ARIMA(p,d,q)(P,D,Q)_m order:
 * the exact Gaussian likelihood from a Kalman filter (Harvey's state space
 * form, as R's arima(): Gardner, Harvey & Phillips 1980; Durbin & Koopman
 * 2012, ch. 3), CSS, and R's own path to the optimum (CSS then ML by R's
 * BFGS, vmmin, in R's parametrisation), with forecast's Hessian check.
 * Orders given by the caller are polished past R's optimum by Nelder-Mead
 * restarts.  Works on caller-owned buffers and the stack; never allocates
 * through the model, never chooses an order (arima_search.c does).
 */
#include "models/arima_int.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_permutation.h>
#include <gsl/gsl_poly.h>

#define PENALTY 1e12

/* ---- polynomials -------------------------------------------------------- */

/* ar and ma of the product polynomials (R's arima: phi(B) Phi(B^m) and
 * theta(B) Theta(B^m), MA with plus signs). */
static void expand(const order *o, const double *phi, const double *theta, const double *sphi,
                   const double *stheta, double *ar, int *np, double *ma, int *nq)
{
    *np = o->p + o->m * o->P;
    *nq = o->q + o->m * o->Q;
    for (int i = 0; i < MAXR; i++)
        ar[i] = ma[i] = 0.0;
    /* a(B) = 1 - sum ar_i B^i = (1 - sum phi_i B^i)(1 - sum Phi_j B^{jm}) */
    double A[MAXR + 1] = {1.0}, M[MAXR + 1] = {1.0};
    for (int i = 1; i <= o->p; i++)
        A[i] = -phi[i - 1];
    for (int j = 1; j <= o->P; j++)
        for (int i = 0; i <= o->p; i++)
            A[i + j * o->m] += -sphi[j - 1] * (i == 0 ? 1.0 : -phi[i - 1]);
    for (int i = 1; i <= o->q; i++)
        M[i] = theta[i - 1];
    for (int j = 1; j <= o->Q; j++)
        for (int i = 0; i <= o->q; i++)
            M[i + j * o->m] += stheta[j - 1] * (i == 0 ? 1.0 : theta[i - 1]);
    for (int i = 1; i <= *np; i++)
        ar[i - 1] = -A[i];
    for (int i = 1; i <= *nq; i++)
        ma[i - 1] = M[i];
}

/* 1 when 1 - c_1 z - ... - c_k z^k (sign -1) or 1 + c_1 z + ... (sign +1)
 * has every root outside the unit circle: the reversed polynomial's roots
 * lie inside. */
static int outside(const double *c, int k, double sign)
{
    if (k == 0)
        return 1;
    double r[MAXP + 1];
    for (int i = 0; i < k; i++)
        r[i] = sign * c[k - 1 - i];
    r[k] = 1.0;
    return ot_roots_inside(r, k, 1.0);
}

/* Makes the MA polynomial 1 + c_1 z + ... + c_k z^k invertible by
 * replacing each root inside the unit circle by its reciprocal (R's arima,
 * maInvert, between its CSS and ML steps). */
static void ma_invert(double *c, int k)
{
    int q = k;
    while (q > 0 && c[q - 1] == 0.0)
        q--;
    if (q == 0)
        return;
    if (q == 1) {
        if (fabs(c[0]) > 1.0)
            c[0] = 1.0 / c[0];
        return;
    }
    double a[MAXP + 1], z[2 * MAXP];
    a[0] = 1.0;
    for (int i = 1; i <= q; i++)
        a[i] = c[i - 1];
    gsl_poly_complex_workspace *ws = gsl_poly_complex_workspace_alloc((size_t)q + 1);
    if (!ws)
        return;
    int rc = gsl_poly_complex_solve(a, (size_t)q + 1, ws, z);
    gsl_poly_complex_workspace_free(ws);
    if (rc != GSL_SUCCESS)
        return;
    int any = 0;
    for (int i = 0; i < q; i++) {
        double re = z[2 * i], im = z[2 * i + 1], m2 = re * re + im * im;
        if (m2 < 1.0) {
            z[2 * i] = re / m2, z[2 * i + 1] = -im / m2;
            any = 1;
        }
    }
    if (!any)
        return;
    /* x <- 1; for (r in roots) x <- c(x, 0) - c(0, x) / r, in complex */
    double xr[MAXP + 1] = {1.0}, xi[MAXP + 1] = {0.0};
    for (int i = 0; i < q; i++) {
        double rr = z[2 * i], ri = z[2 * i + 1], d = rr * rr + ri * ri;
        for (int j = i + 1; j >= 1; j--) {
            /* x_j -= x_{j-1} / r */
            double ar = xr[j - 1], ai = xi[j - 1];
            xr[j] -= (ar * rr + ai * ri) / d;
            xi[j] -= (ai * rr - ar * ri) / d;
        }
    }
    for (int i = 0; i < q; i++)
        c[i] = xr[i + 1];
}

/* ---- likelihood --------------------------------------------------------- */

typedef struct problem {
    const double *w; /* differenced data */
    size_t n;
    order o;
    double scale;    /* of the data, for the constant */
} problem;

/* Unpacks x = (phi, theta, Phi, Theta, mu / scale) into s. */
static void unpack(const problem *pb, const double *x, arima_state *s)
{
    const order *o = &pb->o;
    int k = 0;
    for (int i = 0; i < o->p; i++)
        s->phi[i] = x[k++];
    for (int i = 0; i < o->q; i++)
        s->theta[i] = x[k++];
    for (int i = 0; i < o->P; i++)
        s->sphi[i] = x[k++];
    for (int i = 0; i < o->Q; i++)
        s->stheta[i] = x[k++];
    s->mu = o->constant ? x[k++] * pb->scale : 0.0;
    s->o = *o;
    expand(o, s->phi, s->theta, s->sphi, s->stheta, s->ar, &s->np, s->ma, &s->nq);
}

/* P0 = T P0 T' + R R', the stationary covariance of the state, in units
 * of sigma2, from the autocovariances of the ARMA process.  With a_j = ar_j
 * (lag j + 1), m_j = R_j (m_0 = 1) and alpha_t[i] = a_i w_{t-1} +
 * alpha_{t-1}[i+1] + m_i e_t, the first row is
 *   P[0][l] = sum_{j>=l} a_j gamma(j + 1 - l) + m_j psi_{j-l}
 * (w_t is uncorrelated with later shocks; psi the MA(infinity) weights) and
 * the rest follows from P = T P T' + R R' written out:
 *   P[i][l] = a_i a_l P[0][0] + a_i P[0][l+1] + a_l P[0][i+1] + P[i+1][l+1] + m_i m_l.
 * gamma(0..np) solves gamma(k) - sum_j ar_j gamma(|k - j|) = sum_{j>=k} m_j psi_{j-k}
 * (Brockwell & Davis 1991, sec. 3.3), the later lags follow by the
 * recursion.  O(np^3 + r^2), where doubling the sum of T^k R R' T'^k took
 * O(r^3 log) per likelihood.  Returns -1 when the system is singular or the
 * variance not positive (a unit root). */
static int initial_cov(const double *ar, int np, const double *Rv, int r, double *P)
{
    double psi[MAXR + 1], g[MAXR + 2], c[MAXR + 1];
    for (int k = 0; k <= r; k++) {
        double v = k < r ? Rv[k] : 0.0;
        for (int j = 1; j <= np && j <= k; j++)
            v += ar[j - 1] * psi[k - j];
        psi[k] = v;
    }
    for (int k = 0; k <= r; k++) {
        double v = 0.0;
        for (int j = k; j < r; j++)
            v += Rv[j] * psi[j - k];
        c[k] = v;
    }
    if (np > 0) {
        int d = np + 1;
        double M[(MAXR + 1) * (MAXR + 1)], b[MAXR + 1];
        size_t perm_data[MAXR + 1];
        memset(M, 0, (size_t)(d * d) * sizeof M[0]);
        for (int k = 0; k < d; k++) {
            M[k * d + k] += 1.0;
            for (int j = 1; j <= np; j++)
                M[k * d + abs(k - j)] -= ar[j - 1];
            b[k] = c[k];
        }
        gsl_matrix_view mv = gsl_matrix_view_array(M, (size_t)d, (size_t)d);
        gsl_vector_view bv = gsl_vector_view_array(b, (size_t)d);
        gsl_vector_view gv = gsl_vector_view_array(g, (size_t)d);
        gsl_permutation perm = {(size_t)d, perm_data};
        int sgn;
        if (gsl_linalg_LU_decomp(&mv.matrix, &perm, &sgn) != GSL_SUCCESS)
            return -1;
        for (int k = 0; k < d; k++)
            if (M[k * d + k] == 0.0)
                return -1;
        if (gsl_linalg_LU_solve(&mv.matrix, &perm, &bv.vector, &gv.vector) != GSL_SUCCESS)
            return -1;
    } else {
        g[0] = c[0];
    }
    for (int k = np + 1; k <= r; k++) {
        double v = c[k];
        for (int j = 1; j <= np; j++)
            v += ar[j - 1] * g[k - j];
        g[k] = v;
    }
    if (!(g[0] > 0.0) || !isfinite(g[0]))
        return -1;
    double row[MAXR + 1];
    for (int l = 0; l < r; l++) {
        double v = 0.0;
        for (int j = l; j < r; j++)
            v += (j < np ? ar[j] * g[j + 1 - l] : 0.0) + Rv[j] * psi[j - l];
        row[l] = v;
    }
    row[r] = 0.0;
    for (int l = 0; l < r; l++)
        P[l] = P[l * r] = row[l];
    for (int i = r - 1; i >= 1; i--)
        for (int l = r - 1; l >= i; l--) {
            double ai = i < np ? ar[i] : 0.0, al = l < np ? ar[l] : 0.0;
            double next = i + 1 < r && l + 1 < r ? P[(i + 1) * r + l + 1] : 0.0;
            double v = ai * al * row[0] + ai * row[l + 1] + al * row[i + 1] + next + Rv[i] * Rv[l];
            P[i * r + l] = P[l * r + i] = v;
        }
    return 0;
}

/* The Kalman filter for w - mu in the state space form
 *   alpha_{t+1} = T alpha_t + R e_t,  w_t - mu = alpha_t[0],
 * T the companion matrix of ar, R = (1, ma_1, ..., ma_{r-1})'.  Returns the
 * concentrated -2 log-likelihood n log(2 pi s2) + sum log F_t + n with
 * s2 = sum v_t^2 / F_t / n, and writes s2, the innovations v[] (may be
 * NULL) and the predicted state for period n + 1 (may be NULL); NaN when
 * the model is not stationary enough for the initial covariance.  Once the
 * covariance has converged (as it does for an invertible MA part) only the
 * state is propagated: O(r) a period instead of O(r^2). */
double ot_arima_kalman(const arima_state *s, const double *w, size_t n, double *s2out, double *v,
                       double *anext, double *Pnext)
{
    int r = s->np > s->nq + 1 ? s->np : s->nq + 1;
    if (r > MAXR)
        return NAN;
    double Rv[MAXR], P[MAXR * MAXR], a[MAXR] = {0};
    Rv[0] = 1.0;
    for (int i = 1; i < r; i++)
        Rv[i] = s->ma[i - 1];
    if (initial_cov(s->ar, s->np, Rv, r, P) != 0)
        return NAN;
    double ssq = 0.0, sumlog = 0.0, c[MAXR + 1];
    int conv = 0;
    for (size_t t = 0; t < n; t++) {
        double F = P[0];
        if (!(F > 0.0))
            return NAN;
        double vt = w[t] - s->mu - a[0];
        if (v)
            v[t] = vt;
        ssq += vt * vt / F;
        sumlog += log(F);
        /* update a += P[:,0] v / F, predict a = T a */
        for (int i = 0; i < r; i++)
            c[i] = P[i];
        c[r] = 0.0;
        double a0 = a[0] + c[0] / F * vt;
        for (int i = 0; i < r; i++)
            a[i] = s->ar[i] * a0 + (i + 1 < r ? a[i + 1] + c[i + 1] / F * vt : 0.0);
        if (conv)
            continue; /* steady state: P no longer changes, only the state moves */
        /* P <- T (P - P[:,0] P[0,:] / F) T' + R R'.  The updated covariance has
         * a zero first row and column, so with T the companion matrix this is
         *   P[i][j] <- P[i+1][j+1] - P[i+1][0] P[j+1][0] / F + R_i R_j
         * (P[r][.] = 0): the AR coefficients enter only through P0.  Upper
         * triangle in place, rows ascending (row i + 1 is read before it is
         * written). */
        double change = 0.0;
        for (int i = 0; i < r; i++)
            for (int j = i; j < r; j++) {
                double nv = (j + 1 < r ? P[(i + 1) * r + j + 1] : 0.0) - c[i + 1] * c[j + 1] / F +
                            Rv[i] * Rv[j];
                double dlt = fabs(nv - P[i * r + j]);
                change = dlt > change ? dlt : change;
                P[i * r + j] = nv;
            }
        /* the filter has converged when the predicted P stops changing */
        conv = change <= 1e-13 * P[0];
    }
    for (int i = 0; i < r; i++) /* mirror the upper triangle */
        for (int j = 0; j < i; j++)
            P[i * r + j] = P[j * r + i];
    double s2 = ssq / (double)n;
    if (s2out)
        *s2out = s2;
    if (anext)
        memcpy(anext, a, (size_t)r * sizeof a[0]);
    if (Pnext)
        memcpy(Pnext, P, (size_t)(r * r) * sizeof P[0]);
    return (double)n * log(2.0 * M_PI * s2) + sumlog + (double)n;
}

/* Conditional sum of squares: residuals e_t = w_t - mu - sum ar_i (w_{t-i} - mu)
 * - sum ma_j e_{t-j}, from t = np on; returns n' log(css / n'). */
static double css(const arima_state *s, const double *w, size_t n)
{
    double e[4096];
    if (n > 4096 || (size_t)s->np >= n)
        return NAN;
    double ss = 0.0;
    size_t cnt = 0;
    for (size_t t = 0; t < n; t++) {
        if (t < (size_t)s->np) {
            e[t] = 0.0;
            continue;
        }
        double v = w[t] - s->mu;
        for (int i = 0; i < s->np; i++)
            v -= s->ar[i] * (w[t - 1 - (size_t)i] - s->mu);
        for (int j = 0; j < s->nq && (size_t)j < t; j++)
            v -= s->ma[j] * e[t - 1 - (size_t)j];
        e[t] = v;
        ss += v * v;
        cnt++;
    }
    return (double)cnt * log(ss / (double)cnt);
}

/* The -2 log L of problem vp at xv for gsl's Nelder-Mead, PENALTY outside
 * the stationary and invertible region or where the filter fails. */
static double objective(const gsl_vector *xv, void *vp)
{
    const problem *pb = vp;
    double x[2 * MAXP + 2 * MAXSP + 1];
    for (size_t i = 0; i < xv->size; i++)
        x[i] = gsl_vector_get(xv, i);
    arima_state s;
    unpack(pb, x, &s);
    const order *o = &pb->o;
    /* the exact likelihood of a stationary, invertible model */
    if (!outside(s.phi, o->p, -1.0) || !outside(s.sphi, o->P, -1.0) ||
        !outside(s.theta, o->q, 1.0) || !outside(s.stheta, o->Q, 1.0))
        return PENALTY;
    double v = ot_arima_kalman(&s, pb->w, pb->n, NULL, NULL, NULL, NULL);
    return isfinite(v) && v < PENALTY ? v : PENALTY;
}

/* Minimises objective from x[0..k) by Nelder-Mead (gsl's nmsimplex2, steps
 * 0.1) for at most evals iterations, stopping early at a simplex of size
 * 1e-5 or after 20 k iterations without progress; writes the minimiser
 * into x and returns the minimum, NaN when gsl cannot allocate. */
static double simplex(problem *pb, double *x, size_t k, size_t evals)
{
    gsl_multimin_function fn = {objective, k, pb};
    gsl_vector_view xv = gsl_vector_view_array(x, k);
    double st[2 * MAXP + 2 * MAXSP + 1];
    for (size_t i = 0; i < k; i++)
        st[i] = 0.1;
    gsl_vector_view sv = gsl_vector_view_array(st, k);
    gsl_multimin_fminimizer *s = gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2,
                                                               k);
    if (!s)
        return NAN;
    if (gsl_multimin_fminimizer_set(s, &fn, &xv.vector, &sv.vector) != GSL_SUCCESS) {
        gsl_multimin_fminimizer_free(s);
        return NAN;
    }
    /* the value at the start: gsl's minimum is not defined before the
     * first iteration (fminimizer_set leaves fval unset) */
    double best = objective(&xv.vector, pb);
    size_t since = 0;
    for (size_t it = 0; it < evals; it++) {
        if (gsl_multimin_fminimizer_iterate(s) != GSL_SUCCESS)
            break;
        if (gsl_multimin_test_size(gsl_multimin_fminimizer_size(s), 1e-5) == GSL_SUCCESS)
            break;
        double f = gsl_multimin_fminimizer_minimum(s);
        if (f < best - 1e-8 * (fabs(best) + 1e-8)) {
            best = f;
            since = it;
        } else if (it - since > 20 * k) {
            break;
        }
    }
    best = gsl_multimin_fminimizer_minimum(s);
    for (size_t i = 0; i < k; i++)
        x[i] = gsl_vector_get(s->x, i);
    gsl_multimin_fminimizer_free(s);
    return best;
}

/* ---- R's AR parametrisation ------------------------------------------- */

/* R's partrans: p PACF values tanh(raw) to AR coefficients by the
 * Durbin-Levinson recursion. */
static void partrans(int p, const double *raw, double *out)
{
    double work[MAXP];
    for (int j = 0; j < p; j++)
        work[j] = out[j] = tanh(raw[j]);
    for (int j = 1; j < p; j++) {
        double a = out[j];
        for (int k = 0; k < j; k++)
            work[k] -= a * out[j - k - 1];
        for (int k = 0; k < j; k++)
            out[k] = work[k];
    }
}

/* Its inverse (R's invpartrans); -1 when a partial autocorrelation is not
 * inside (-1, 1). */
static int invpartrans(int p, const double *phi, double *raw)
{
    double work[MAXP];
    for (int j = 0; j < p; j++)
        work[j] = raw[j] = phi[j];
    for (int j = p - 1; j > 0; j--) {
        double a = raw[j];
        if (!(fabs(a) < 1.0))
            return -1;
        for (int k = 0; k < j; k++)
            work[k] = (raw[k] + a * raw[j - k - 1]) / (1.0 - a * a);
        for (int k = 0; k < j; k++)
            raw[k] = work[k];
    }
    for (int j = 0; j < p; j++) {
        if (!(fabs(raw[j]) < 1.0))
            return -1;
        raw[j] = atanh(raw[j]);
    }
    return 0;
}

/* Differences y by (1-B)^d (1-B^m)^D into w (n - d - mD values) and writes
 * the polynomial's coefficients; returns the length of w. */
size_t ot_arima_difference(const double *y, size_t n, int d, int D, int m, double *w,
                           double *poly, int *deg)
{
    double p[MAXD + 1] = {1.0};
    int k = 0;
    for (int i = 0; i < d + D; i++) {
        int lag = i < d ? 1 : m;
        for (int j = k; j >= 0; j--)
            p[j + lag] -= p[j];
        k += lag;
    }
    if (poly)
        memcpy(poly, p, (size_t)(k + 1) * sizeof p[0]);
    if (deg)
        *deg = k;
    if ((size_t)k >= n)
        return 0;
    for (size_t t = (size_t)k; t < n; t++) {
        double v = 0.0;
        for (int j = 0; j <= k; j++)
            v += p[j] * y[t - (size_t)j];
        w[t - (size_t)k] = v;
    }
    return n - (size_t)k;
}

/* ---- R's optimiser path ------------------------------------------------ */

#define NPAR (2 * MAXP + 2 * MAXSP + 1)

/* One objective of R's arima() in R's parameters: AR blocks raw (PACF
 * through tanh) when trans, else as they are; MA as they are; the constant
 * as R's regression coefficient b (mean, or drift per period of the
 * undifferenced series), mu = b * cmul on the differenced data.  Values are
 * R's: 0.5 log(CSS / n') for CSS, 0.5 (log s2 + sum log F / n) for ML. */
typedef struct rproblem {
    const double *w;
    size_t n;
    order o;
    int css, trans;
    double cmul;
    double parscale[NPAR];
} rproblem;

/* The coefficients of R's parameters par (rproblem's layout) into a zeroed *s. */
static void r_state(const rproblem *rp, const double *par, arima_state *s)
{
    const order *o = &rp->o;
    memset(s, 0, sizeof *s);
    int k = 0;
    if (rp->trans)
        partrans(o->p, par, s->phi);
    else
        memcpy(s->phi, par, (size_t)o->p * sizeof par[0]);
    k += o->p;
    for (int i = 0; i < o->q; i++)
        s->theta[i] = par[k++];
    if (rp->trans)
        partrans(o->P, par + k, s->sphi);
    else
        memcpy(s->sphi, par + k, (size_t)o->P * sizeof par[0]);
    k += o->P;
    for (int i = 0; i < o->Q; i++)
        s->stheta[i] = par[k++];
    s->mu = o->constant ? par[k] * rp->cmul : 0.0;
    s->o = *o;
    expand(o, s->phi, s->theta, s->sphi, s->stheta, s->ar, &s->np, s->ma, &s->nq);
}

/* The objective at scaled parameters x (par = x * parscale, as optim). */
static double r_fn(const rproblem *rp, const double *x)
{
    int k = rp->o.p + rp->o.q + rp->o.P + rp->o.Q + rp->o.constant;
    double par[NPAR];
    for (int i = 0; i < k; i++)
        par[i] = x[i] * rp->parscale[i];
    arima_state s;
    r_state(rp, par, &s);
    double v;
    if (rp->css) {
        v = css(&s, rp->w, rp->n); /* n' log(ssq / n') */
        return isfinite(v) ? 0.5 * v / (double)(rp->n - (size_t)s.np) : HUGE_VAL;
    }
    v = ot_arima_kalman(&s, rp->w, rp->n, NULL, NULL, NULL, NULL);
    if (!isfinite(v))
        return DBL_MAX; /* R's armafn: .Machine$double.xmax */
    double nn = (double)rp->n;
    return (v - nn * log(2.0 * M_PI) - nn) / (2.0 * nn);
}

/* optim's numerical gradient: central differences, ndeps 1e-3 in scaled
 * units.  Returns -1 on a non-finite difference (optim stops there). */
static int r_grad(const rproblem *rp, int k, double *x, double *g)
{
    for (int i = 0; i < k; i++) {
        double keep = x[i];
        x[i] = keep + 1e-3;
        double f1 = r_fn(rp, x);
        x[i] = keep - 1e-3;
        double f2 = r_fn(rp, x);
        x[i] = keep;
        g[i] = (f1 - f2) / 2e-3;
        if (!isfinite(g[i]))
            return -1;
    }
    return 0;
}

/* The variable-metric minimiser of R's optim(method = "BFGS") (vmmin,
 * Nash 1990, Algorithm 21), with its constants: step reduction 0.2,
 * acceptance 1e-4, reltol sqrt(DBL_EPSILON), maxit 100.  Minimises from
 * x[0..k) in place.  Returns 0 converged, 1 maxit reached, -1 error (a
 * non-finite start or gradient: R's arima() stops). */
static int vmmin(const rproblem *rp, int k, double *b, double *fmin)
{
    const double reltol = 1.490116119384765625e-8, stepredn = 0.2, acctol = 1e-4, reltest = 10.0;
    double g[NPAR], t[NPAR], X[NPAR], c[NPAR], B[NPAR][NPAR];
    double f = r_fn(rp, b);
    if (!isfinite(f))
        return -1;
    *fmin = f;
    if (r_grad(rp, k, b, g) != 0)
        return -1;
    int gradcount = 1, iter = 1, ilast = gradcount, count;
    do {
        if (ilast == gradcount)
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < i; j++)
                    B[i][j] = 0.0;
                B[i][i] = 1.0;
            }
        for (int i = 0; i < k; i++)
            X[i] = b[i], c[i] = g[i];
        double gradproj = 0.0;
        for (int i = 0; i < k; i++) {
            double sacc = 0.0;
            for (int j = 0; j <= i; j++)
                sacc -= B[i][j] * g[j];
            for (int j = i + 1; j < k; j++)
                sacc -= B[j][i] * g[j];
            t[i] = sacc;
            gradproj += sacc * g[i];
        }
        if (gradproj < 0.0) { /* downhill */
            double steplength = 1.0;
            int accpoint = 0;
            do {
                count = 0;
                for (int i = 0; i < k; i++) {
                    b[i] = X[i] + steplength * t[i];
                    if (reltest + X[i] == reltest + b[i])
                        count++;
                }
                if (count < k) {
                    f = r_fn(rp, b);
                    accpoint = isfinite(f) && f <= *fmin + gradproj * steplength * acctol;
                    if (!accpoint)
                        steplength *= stepredn;
                }
            } while (!(count == k || accpoint));
            int enough = fabs(f - *fmin) > reltol * (fabs(*fmin) + reltol);
            if (!enough) {
                count = k;
                *fmin = f;
            }
            if (count < k) { /* progress */
                *fmin = f;
                if (r_grad(rp, k, b, g) != 0)
                    return -1;
                gradcount++;
                iter++;
                double D1 = 0.0;
                for (int i = 0; i < k; i++) {
                    t[i] *= steplength;
                    c[i] = g[i] - c[i];
                    D1 += t[i] * c[i];
                }
                if (D1 > 0) {
                    double D2 = 0.0;
                    for (int i = 0; i < k; i++) {
                        double sacc = 0.0;
                        for (int j = 0; j <= i; j++)
                            sacc += B[i][j] * c[j];
                        for (int j = i + 1; j < k; j++)
                            sacc += B[j][i] * c[j];
                        X[i] = sacc;
                        D2 += sacc * c[i];
                    }
                    D2 = 1.0 + D2 / D1;
                    for (int i = 0; i < k; i++)
                        for (int j = 0; j <= i; j++)
                            B[i][j] += (D2 * t[i] * t[j] - X[i] * t[j] - t[i] * X[j]) / D1;
                } else {
                    ilast = gradcount;
                }
            } else if (ilast < gradcount) { /* no progress: reset once */
                count = 0;
                ilast = gradcount;
            }
        } else { /* uphill: reset unless just reset */
            count = 0;
            if (ilast == gradcount)
                count = k;
            else
                ilast = gradcount;
        }
        if (iter >= 100)
            break;
        if (gradcount - ilast > 2 * k)
            ilast = gradcount; /* periodic restart */
    } while (count != k || ilast != gradcount);
    /* vmmin leaves b at the last point tried; optim returns it with fmin */
    return iter < 100 ? 0 : 1;
}

/* R's arima(method = "CSS-ML") on the differenced data w: CSS by BFGS from
 * zero (the constant from least squares), its result kept only when BFGS
 * converged, "non-stationary AR part from CSS" a failure, MA parts made
 * invertible, then ML by BFGS over raw PACF values; MA parts inverted
 * after, as R.  With css_only, R's method = "CSS".  Writes the estimates
 * into x (our layout: phi, theta, Phi, Theta, mu) and returns 0, or -1
 * when R's arima() would stop with an error. */
static int r_css_ml(const double *w, size_t nw, const order *o, int css_only, double *x)
{
    int k = o->p + o->q + o->P + o->Q + o->constant;
    rproblem rp = {w, nw, *o, 1, 0, 1.0, {0}};
    for (int i = 0; i < k; i++)
        rp.parscale[i] = 1.0;
    double par[NPAR] = {0};
    if (o->constant) {
        /* lm(dx ~ dxreg - 1): dxreg the differenced intercept or 1:n, a
         * constant cmul (1, or m after a seasonal difference) */
        rp.cmul = o->D ? (double)o->m : 1.0;
        double mean = 0.0, ss = 0.0;
        for (size_t t = 0; t < nw; t++)
            mean += w[t] / (double)nw;
        for (size_t t = 0; t < nw; t++)
            ss += (w[t] - mean) * (w[t] - mean);
        par[k - 1] = mean / rp.cmul;
        double se = nw > 1 ? sqrt(ss / (double)(nw - 1) / (double)nw) / rp.cmul : 0.0;
        rp.parscale[k - 1] = se > 0.0 ? 10.0 * se : 1.0;
    }
    double xs[NPAR], fmin;
    for (int i = 0; i < k; i++)
        xs[i] = par[i] / rp.parscale[i];
    if (k > 0) {
        int rc = vmmin(&rp, k, xs, &fmin);
        if (rc < 0)
            return -1;
        if (rc == 0 || css_only)
            for (int i = 0; i < k; i++)
                par[i] = xs[i] * rp.parscale[i];
    }
    if (!css_only) {
        if (!outside(par, o->p, -1.0) || !outside(par + o->p + o->q, o->P, -1.0))
            return -1;
        ma_invert(par + o->p, o->q);
        ma_invert(par + o->p + o->q + o->P, o->Q);
        if (invpartrans(o->p, par, par) != 0 || invpartrans(o->P, par + o->p + o->q,
                                                          par + o->p + o->q) != 0)
            return -1;
        rp.css = 0;
        rp.trans = 1;
        for (int i = 0; i < k; i++)
            xs[i] = par[i] / rp.parscale[i];
        if (k > 0 && vmmin(&rp, k, xs, &fmin) < 0)
            return -1;
        for (int i = 0; i < k; i++)
            par[i] = xs[i] * rp.parscale[i];
    }
    arima_state s;
    r_state(&rp, par, &s);
    ma_invert(s.theta, o->q);
    ma_invert(s.stheta, o->Q);
    int j = 0;
    for (int i = 0; i < o->p; i++)
        x[j++] = s.phi[i];
    for (int i = 0; i < o->q; i++)
        x[j++] = s.theta[i];
    for (int i = 0; i < o->P; i++)
        x[j++] = s.sphi[i];
    for (int i = 0; i < o->Q; i++)
        x[j++] = s.stheta[i];
    if (o->constant)
        x[j] = s.mu;
    return 0;
}

/* The 1-norm (largest column sum of |a_il|) of the k x k matrix a. */
static double norm1(const double *a, int k)
{
    double norm = 0.0;
    for (int l = 0; l < k; l++) {
        double c = 0.0;
        for (int i = 0; i < k; i++)
            c += fabs(a[i * k + l]);
        norm = fmax(norm, c);
    }
    return norm;
}

/* forecast's checkarima after R's arima(): the Hessian of r_fn (ML) by R's
 * optimHess (central differences of central-difference gradients, steps
 * 1e-3, and 1e-2 sd(w) / sqrt(n) for the constant, whose parscale is ten
 * standard errors), then var = A' H^-1 A with A the Jacobian of partrans
 * (forward differences, 1e-3).  Returns 0 (a rejected fit, ic = Inf in
 * forecast) when H is singular to working precision, as solve() stops, or
 * a variance is negative (sqrt gives NaN); 1 otherwise. */
int ot_arima_hessian_ok(const arima_state *s, const double *w, size_t nw)
{
    const order *o = &s->o;
    rproblem rp = {w, nw, *o, 0, 1, 1.0, {0}}; /* R's armafn, the constant as mu */
    for (int i = 0; i < NPAR; i++)
        rp.parscale[i] = 1.0;
    int k = o->p + o->q + o->P + o->Q + o->constant;
    if (k == 0)
        return 1;
    double par[2 * MAXP + 2 * MAXSP + 1], step[2 * MAXP + 2 * MAXSP + 1];
    int j = 0;
    if (invpartrans(o->p, s->phi, par) != 0)
        return 0;
    j += o->p;
    for (int i = 0; i < o->q; i++)
        par[j++] = s->theta[i];
    if (invpartrans(o->P, s->sphi, par + j) != 0)
        return 0;
    j += o->P;
    for (int i = 0; i < o->Q; i++)
        par[j++] = s->stheta[i];
    for (int i = 0; i < k; i++)
        step[i] = 1e-3;
    if (o->constant) {
        double mean = 0.0, ss = 0.0;
        for (size_t t = 0; t < nw; t++)
            mean += w[t] / (double)nw;
        for (size_t t = 0; t < nw; t++)
            ss += (w[t] - mean) * (w[t] - mean);
        par[j] = s->mu;
        step[j] = 1e-2 * sqrt(ss / (double)(nw - 1)) / sqrt((double)nw);
        if (!(step[j] > 0.0))
            return 0;
    }
    /* gradients at par +- step_i e_i, each by central differences */
    double H[(2 * MAXP + 2 * MAXSP + 1) * (2 * MAXP + 2 * MAXSP + 1)];
    double g1[2 * MAXP + 2 * MAXSP + 1], g2[2 * MAXP + 2 * MAXSP + 1];
    for (int i = 0; i < k; i++) {
        for (int side = 0; side < 2; side++) {
            double *g = side ? g2 : g1, x[2 * MAXP + 2 * MAXSP + 1];
            memcpy(x, par, (size_t)k * sizeof x[0]);
            x[i] += side ? -step[i] : step[i];
            for (int l = 0; l < k; l++) {
                double keep = x[l];
                x[l] = keep + step[l];
                double fp = r_fn(&rp, x);
                x[l] = keep - step[l];
                double fm = r_fn(&rp, x);
                x[l] = keep;
                g[l] = (fp - fm) / (2.0 * step[l]);
            }
        }
        for (int l = 0; l < k; l++)
            H[i * k + l] = (g1[l] - g2[l]) / (2.0 * step[i]);
    }
    for (int i = 0; i < k; i++)
        for (int l = 0; l < i; l++)
            H[i * k + l] = H[l * k + i] = 0.5 * (H[i * k + l] + H[l * k + i]);
    for (int i = 0; i < k * k; i++)
        if (!isfinite(H[i]))
            return 0;
    /* H^-1 by LU; singular when the reciprocal 1-norm condition number is
     * below the machine epsilon (R's solve: "computationally singular") */
    double norm = norm1(H, k);
    double Hinv[(2 * MAXP + 2 * MAXSP + 1) * (2 * MAXP + 2 * MAXSP + 1)];
    size_t perm_data[2 * MAXP + 2 * MAXSP + 1];
    gsl_permutation perm = {(size_t)k, perm_data};
    gsl_matrix_view hv = gsl_matrix_view_array(H, (size_t)k, (size_t)k);
    gsl_matrix_view iv = gsl_matrix_view_array(Hinv, (size_t)k, (size_t)k);
    int sgn;
    if (gsl_linalg_LU_decomp(&hv.matrix, &perm, &sgn) != GSL_SUCCESS)
        return 0;
    for (int i = 0; i < k; i++)
        if (H[i * k + i] == 0.0)
            return 0;
    if (gsl_linalg_LU_invert(&hv.matrix, &perm, &iv.matrix) != GSL_SUCCESS)
        return 0;
    double inorm = norm1(Hinv, k);
    if (!(norm * inorm > 0.0) || 1.0 / (norm * inorm) < 2.220446049250313e-16)
        return 0;
    /* A: identity but for the AR blocks, A(i, l) = d phi_l / d raw_i */
    double A[(2 * MAXP + 2 * MAXSP + 1) * (2 * MAXP + 2 * MAXSP + 1)];
    for (int i = 0; i < k; i++)
        for (int l = 0; l < k; l++)
            A[i * k + l] = i == l;
    int off[2] = {0, o->p + o->q}, len[2] = {o->p, o->P};
    for (int b = 0; b < 2; b++) {
        double base[MAXP], moved[MAXP], raw[MAXP];
        if (len[b] == 0)
            continue;
        memcpy(raw, par + off[b], (size_t)len[b] * sizeof raw[0]);
        partrans(len[b], raw, base);
        for (int i = 0; i < len[b]; i++) {
            raw[i] += 1e-3;
            partrans(len[b], raw, moved);
            for (int l = 0; l < len[b]; l++)
                A[(off[b] + i) * k + off[b] + l] = (moved[l] - base[l]) / 1e-3;
            raw[i] -= 1e-3;
        }
    }
    for (int l = 0; l < k; l++) {
        double v = 0.0;
        for (int i = 0; i < k; i++)
            for (int m = 0; m < k; m++)
                v += A[i * k + l] * Hinv[i * k + m] * A[m * k + l];
        if (!(v >= 0.0))
            return 0;
    }
    return 1;
}

/* Keeps in s what forecasts need to undo the differencing of y[0..n): the
 * differencing polynomial poly[0..deg] and the last deg values. */
static void keep_differencing(arima_state *s, const double *poly, int deg, const double *y,
                              size_t n)
{
    memcpy(s->dpoly, poly, (size_t)(deg + 1) * sizeof poly[0]);
    s->nd = deg;
    s->n = n;
    for (int i = 0; i < deg; i++)
        s->ylast[i] = y[n - (size_t)deg + (size_t)i];
}

/* Fits one order as R's arima(method = "CSS-ML") does (r_css_ml).  Flags:
 * FIT_THOROUGH then polishes by Nelder-Mead, restarting from R's optimum and
 * from white noise, keeping the best (for orders the caller gives);
 * FIT_STRICT (the automatic search) fails the fit where R's arima() stops
 * with an error, where otherwise the ML step starts from white noise;
 * FIT_CSS stops after CSS, as arima(method = "CSS"), fills only the
 * coefficients of *s and returns log of the CSS variance (sum of squares
 * over the residuals counted).  Otherwise fills *s and returns -2 log L.
 * NaN when the order cannot be fitted. */
double ot_arima_fit_order(const double *y, size_t n, const order *o, int flags, double *wbuf,
                          arima_state *s)
{
    int deg;
    double poly[MAXD + 1];
    size_t nw = ot_arima_difference(y, n, o->d, o->D, o->m, wbuf, poly, &deg);
    size_t k = (size_t)(o->p + o->q + o->P + o->Q + o->constant);
    if (deg > MAXD || nw <= k || o->p + o->m * o->P >= MAXR || o->q + o->m * o->Q + 1 > MAXR)
        return NAN;
    problem pb = {wbuf, nw, *o, 1.0};
    double mean = 0.0, sc = 0.0;
    for (size_t i = 0; i < nw; i++)
        mean += wbuf[i] / (double)nw;
    for (size_t i = 0; i < nw; i++)
        sc += fabs(wbuf[i] - mean) / (double)nw;
    pb.scale = sc > 0.0 ? sc : 1.0;
    double x[NPAR] = {0};
    if (flags & FIT_CSS) {
        if (r_css_ml(wbuf, nw, o, 1, x) != 0)
            return NAN;
        if (o->constant)
            x[k - 1] /= pb.scale;
        unpack(&pb, x, s);
        double v = css(s, wbuf, nw);
        return isfinite(v) ? v / (double)(nw - (size_t)s->np) : NAN;
    }
    if (r_css_ml(wbuf, nw, o, 0, x) != 0) {
        if (flags & FIT_STRICT)
            return NAN;
        memset(x, 0, sizeof x); /* then from white noise */
        if (o->constant)
            x[k - 1] = mean;
    }
    if (o->constant)
        x[k - 1] /= pb.scale;
    if ((flags & FIT_THOROUGH) && k > 0) {
        /* polish R's optimum by Nelder-Mead: a restart from it and a start
         * from white noise, where CSS misleads on short series */
        gsl_vector_view xv = gsl_vector_view_array(x, k);
        double v1 = objective(&xv.vector, &pb), x2[NPAR];
        for (int pass = 0; pass < 3; pass++) {
            memcpy(x2, x, sizeof x2);
            if (pass == 2) {
                memset(x2, 0, sizeof x2);
                if (o->constant)
                    x2[k - 1] = mean / pb.scale;
            }
            double v2 = simplex(&pb, x2, k, 600);
            if (v2 < v1)
                memcpy(x, x2, sizeof x2), v1 = v2;
        }
    }
    unpack(&pb, x, s);
    double s2;
    double m2ll = ot_arima_kalman(s, wbuf, nw, &s2, NULL, s->a, s->P);
    if (!isfinite(m2ll))
        return NAN;
    s->sigma2 = s2 * (double)nw / (double)(nw - k); /* as forecast's Arima: SSE / (n - k) */
    keep_differencing(s, poly, deg, y, n);
    return m2ll;
}

/* A model with no ARMA part and, when o->constant, the constant fixed at
 * mu (forecast's Arima(..., fixed = ...) for data that differencing makes
 * constant).  Fills *s; returns -2 log L, minus infinity when the residuals
 * are all zero (R reports an infinite likelihood), NaN when too short. */
double ot_arima_fixed_order(const double *y, size_t n, const order *o, double mu, double *wbuf,
                            arima_state *s)
{
    int deg;
    double poly[MAXD + 1];
    size_t nw = ot_arima_difference(y, n, o->d, o->D, o->m, wbuf, poly, &deg);
    if (deg > MAXD || nw == 0)
        return NAN;
    memset(s, 0, sizeof *s);
    s->o = *o;
    s->mu = o->constant ? mu : 0.0;
    double s2;
    double m2ll = ot_arima_kalman(s, wbuf, nw, &s2, NULL, s->a, s->P);
    s->sigma2 = s2;
    keep_differencing(s, poly, deg, y, n);
    return m2ll;
}

/* AICc = -2 log L + 2 k + 2 k (k + 1) / (n - k - 1), k counting sigma2 and n
 * the differenced length, as forecast's Arima. */
/* The coefficients, the constant and sigma^2. */
static double ic_k(const order *o)
{
    return o->p + o->q + o->P + o->Q + o->constant + 1;
}

double ot_arima_aic(double m2ll, const order *o)
{
    return m2ll + 2 * ic_k(o);
}

double ot_arima_aicc(double m2ll, const order *o, size_t nw)
{
    double k = ic_k(o), n = (double)nw;
    if (n - k - 1 <= 0)
        return INFINITY;
    return ot_arima_aic(m2ll, o) + 2 * k * (k + 1) / (n - k - 1);
}
