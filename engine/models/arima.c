/* arima.c — seasonal ARIMA(p,d,q)(P,D,Q)_m with the exact Gaussian likelihood
 * from a Kalman filter (Harvey's state space form, as R's arima(): Gardner,
 * Harvey & Phillips 1980; Durbin & Koopman 2012, ch. 3), and automatic
 * order selection after Hyndman & Khandakar (2008), as forecast::auto.arima:
 * D from a seasonal-strength test, d from KPSS tests, then a stepwise search
 * on AICc.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_randist.h>

#include "models/decomp.h"
#include "models/methods.h"

#define MAXP 5        /* p, q at most */
#define MAXSP 2       /* P, Q at most */
#define MAXORDER 5    /* p + q + P + Q at most (auto) */
#define MAXR 64       /* state dimension: max(p + mP, q + mQ + 1) */
#define MAXD 80       /* degree of the differencing polynomial: d + mD */
#define PENALTY 1e12

typedef struct order {
    int p, d, q, P, D, Q, m, constant;
} order;

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

/* ---- likelihood --------------------------------------------------------- */

typedef struct problem {
    const double *w; /* differenced data */
    size_t n;
    order o;
    int css;         /* conditional sum of squares instead of the exact likelihood */
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

/* P0 = T P0 T' + R R', the stationary covariance of the state, by doubling:
 * P <- P + A P A', A <- A A from P = R R', A = T, i.e. the sum over k of
 * T^k R R' T'^k in 2^j terms after j steps.  Returns -1 when it has not
 * converged after 40 steps (a root at or near the unit circle). */
static int initial_cov(const double *ar, const double *Rv, int r, double *P)
{
    double A[MAXR * MAXR], B[MAXR * MAXR], C[MAXR * MAXR];
    for (int i = 0; i < r; i++)
        for (int j = 0; j < r; j++) {
            P[i * r + j] = Rv[i] * Rv[j];
            A[i * r + j] = (j == 0 ? ar[i] : 0.0) + (j == i + 1 ? 1.0 : 0.0);
        }
    for (int it = 0; it < 40; it++) {
        for (int i = 0; i < r; i++) /* B = A P */
            for (int j = 0; j < r; j++) {
                double t = 0.0;
                for (int k = 0; k < r; k++)
                    t += A[i * r + k] * P[k * r + j];
                B[i * r + j] = t;
            }
        double big = 0.0, tot = 0.0;
        for (int i = 0; i < r; i++) /* P += B A' */
            for (int j = 0; j < r; j++) {
                double t = 0.0;
                for (int k = 0; k < r; k++)
                    t += B[i * r + k] * A[j * r + k];
                P[i * r + j] += t;
                big = fmax(big, fabs(t));
                tot = fmax(tot, fabs(P[i * r + j]));
            }
        if (big <= 1e-12 * tot)
            return 0;
        for (int i = 0; i < r; i++) /* A = A A */
            for (int j = 0; j < r; j++) {
                double t = 0.0;
                for (int k = 0; k < r; k++)
                    t += A[i * r + k] * A[k * r + j];
                C[i * r + j] = t;
            }
        memcpy(A, C, (size_t)(r * r) * sizeof A[0]);
    }
    return -1;
}

/* The Kalman filter for w - mu in the state space form
 *   alpha_{t+1} = T alpha_t + R e_t,  w_t - mu = alpha_t[0],
 * T the companion matrix of ar, R = (1, ma_1, ..., ma_{r-1})'.  Returns the
 * concentrated -2 log-likelihood n log(2 pi s2) + sum log F_t + n with
 * s2 = sum v_t^2 / F_t / n, and writes s2, the innovations v[] (may be
 * NULL) and the predicted state for period n + 1 (may be NULL); NaN when
 * the model is not stationary enough for the initial covariance. */
static double kalman(const arima_state *s, const double *w, size_t n, double *s2out,
                     double *v, double *anext, double *Pnext)
{
    int r = s->np > s->nq + 1 ? s->np : s->nq + 1;
    if (r > MAXR)
        return NAN;
    double Rv[MAXR], P[MAXR * MAXR], a[MAXR] = {0}, TX[MAXR * MAXR];
    Rv[0] = 1.0;
    for (int i = 1; i < r; i++)
        Rv[i] = s->ma[i - 1];
    if (initial_cov(s->ar, Rv, r, P) != 0)
        return NAN;
    double ssq = 0.0, sumlog = 0.0;
    for (size_t t = 0; t < n; t++) {
        double F = P[0];
        if (!(F > 0.0))
            return NAN;
        double vt = w[t] - s->mu - a[0];
        if (v)
            v[t] = vt;
        ssq += vt * vt / F;
        sumlog += log(F);
        /* update: a += P[:,0] v / F; P -= P[:,0] P[0,:] / F */
        double k0[MAXR];
        for (int i = 0; i < r; i++)
            k0[i] = P[i * r] / F;
        for (int i = 0; i < r; i++)
            a[i] += k0[i] * vt;
        double row0[MAXR];
        for (int j = 0; j < r; j++)
            row0[j] = P[j];
        for (int i = 0; i < r; i++)
            for (int j = 0; j < r; j++)
                P[i * r + j] -= k0[i] * row0[j];
        /* predict: a = T a; P = T P T' + R R' */
        double a0 = a[0];
        for (int i = 0; i < r; i++)
            a[i] = s->ar[i] * a0 + (i + 1 < r ? a[i + 1] : 0.0);
        for (int i = 0; i < r; i++)
            for (int j = 0; j < r; j++)
                TX[i * r + j] = s->ar[i] * P[j] + (i + 1 < r ? P[(i + 1) * r + j] : 0.0);
        for (int i = 0; i < r; i++)
            for (int j = 0; j < r; j++)
                P[i * r + j] = s->ar[j] * TX[i * r] + (j + 1 < r ? TX[i * r + j + 1] : 0.0) +
                               Rv[i] * Rv[j];
    }
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

static double objective(const gsl_vector *xv, void *vp)
{
    const problem *pb = vp;
    double x[2 * MAXP + 2 * MAXSP + 1];
    for (size_t i = 0; i < xv->size; i++)
        x[i] = gsl_vector_get(xv, i);
    arima_state s;
    unpack(pb, x, &s);
    const order *o = &pb->o;
    if (!outside(s.phi, o->p, -1.0) || !outside(s.sphi, o->P, -1.0) ||
        !outside(s.theta, o->q, 1.0) || !outside(s.stheta, o->Q, 1.0))
        return PENALTY;
    double v = pb->css ? css(&s, pb->w, pb->n) : kalman(&s, pb->w, pb->n, NULL, NULL, NULL, NULL);
    return isfinite(v) ? v : PENALTY;
}

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
    double best = gsl_multimin_fminimizer_minimum(s);
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

/* Differences y by (1-B)^d (1-B^m)^D into w (n - d - mD values) and writes
 * the polynomial's coefficients; returns the length of w. */
static size_t difference(const double *y, size_t n, int d, int D, int m, double *w,
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

/* Fits one order: conditional sum of squares for the starting values, then
 * the exact likelihood; when thorough, also a restart from the optimum and a
 * start from white noise (the stepwise search skips these, and refits its
 * choice thoroughly).  Fills *s and returns -2 log L (NaN when it cannot be
 * fitted). */
static double fit_order(const double *y, size_t n, const order *o, int thorough, double *wbuf,
                        arima_state *s)
{
    int deg;
    double poly[MAXD + 1];
    size_t nw = difference(y, n, o->d, o->D, o->m, wbuf, poly, &deg);
    size_t k = (size_t)(o->p + o->q + o->P + o->Q + o->constant);
    if (deg > MAXD || nw <= k + 2 || o->p + o->m * o->P >= MAXR || o->q + o->m * o->Q + 1 > MAXR)
        return NAN;
    problem pb = {wbuf, nw, *o, 1, 1.0};
    double mean = 0.0, sc = 0.0;
    for (size_t i = 0; i < nw; i++)
        mean += wbuf[i] / (double)nw;
    for (size_t i = 0; i < nw; i++)
        sc += fabs(wbuf[i] - mean) / (double)nw;
    pb.scale = sc > 0.0 ? sc : 1.0;
    double x[2 * MAXP + 2 * MAXSP + 1] = {0};
    if (o->constant)
        x[k - 1] = mean / pb.scale;
    if (k > 0) {
        double v = simplex(&pb, x, k, 400);
        if (!isfinite(v) || v >= PENALTY)
            memset(x, 0, sizeof x), x[k - 1] = o->constant ? mean / pb.scale : 0.0;
        pb.css = 0;
        double v1 = simplex(&pb, x, k, thorough ? 600 : 300);
        double x2[2 * MAXP + 2 * MAXSP + 1];
        if (!thorough)
            goto done;
        memcpy(x2, x, sizeof x2);
        double v2 = simplex(&pb, x2, k, 600); /* a restart from the optimum */
        if (v2 < v1)
            memcpy(x, x2, sizeof x2), v1 = v2;
        /* and a start from white noise, where CSS misleads on short series */
        memset(x2, 0, sizeof x2);
        if (o->constant)
            x2[k - 1] = mean / pb.scale;
        if (simplex(&pb, x2, k, 600) < v1)
            memcpy(x, x2, sizeof x2);
    }
done:
    pb.css = 0;
    unpack(&pb, x, s);
    double s2;
    double m2ll = kalman(s, wbuf, nw, &s2, NULL, s->a, s->P);
    if (!isfinite(m2ll))
        return NAN;
    s->sigma2 = s2 * (double)nw / (double)(nw - k); /* as forecast's Arima: SSE / (n - k) */
    memcpy(s->dpoly, poly, (size_t)(deg + 1) * sizeof poly[0]);
    s->nd = deg;
    s->n = n;
    for (int i = 0; i < deg; i++)
        s->ylast[i] = y[n - (size_t)deg + (size_t)i];
    return m2ll;
}

static double aicc_of(double m2ll, const order *o, size_t nw)
{
    double k = o->p + o->q + o->P + o->Q + o->constant + 1;
    double n = (double)nw;
    if (n - k - 1 <= 0)
        return INFINITY;
    return m2ll + 2 * k + 2 * k * (k + 1) / (n - k - 1);
}

/* ---- unit-root tests ---------------------------------------------------- */

/* KPSS level-stationarity statistic (Kwiatkowski et al. 1992) with a
 * Bartlett window of trunc(3 sqrt(n) / 13) lags, as forecast::ndiffs calls
 * urca::ur.kpss. */
static double kpss(const double *x, size_t n)
{
    double mean = 0.0;
    for (size_t i = 0; i < n; i++)
        mean += x[i] / (double)n;
    double s = 0.0, eta = 0.0, s2 = 0.0;
    for (size_t i = 0; i < n; i++) {
        double e = x[i] - mean;
        s += e;
        eta += s * s;
        s2 += e * e;
    }
    int l = (int)(3.0 * sqrt((double)n) / 13.0);
    for (int k = 1; k <= l; k++) {
        double c = 0.0;
        for (size_t i = (size_t)k; i < n; i++)
            c += (x[i] - mean) * (x[i - (size_t)k] - mean);
        s2 += 2.0 * (1.0 - k / (l + 1.0)) * c;
    }
    s2 /= (double)n;
    return s2 > 0.0 ? eta / ((double)n * (double)n * s2) : 0.0;
}

/* Seasonal strength max(0, 1 - Var(R) / Var(S + R)) (Wang, Smith & Hyndman
 * 2006); D = 1 when above 0.64, as forecast::nsdiffs(test = "seas").
 * nsdiffs takes S and R from STL; here the trend is the centred 2 x m moving
 * average and S_t the mean of the detrended values at the same season within
 * three cycles either side, so that, as with STL, the seasonal pattern may
 * evolve (a fixed pattern misses the growing seasons of UKgas). */
static int seasonal_d(const double *y, size_t n, int m)
{
    if (m < 2 || n < 2 * (size_t)m + 1 || n > 4096)
        return 0;
    size_t half = (size_t)m / 2, lo = half, hi = n - half;
    double dt[4096];
    for (size_t t = lo; t < hi; t++) {
        double tr = 0.0;
        if (m % 2 == 0) {
            tr = 0.5 * (y[t - half] + y[t + half]);
            for (size_t j = t - half + 1; j < t + half; j++)
                tr += y[j];
        } else {
            for (size_t j = t - half; j <= t + half; j++)
                tr += y[j];
        }
        dt[t] = y[t] - tr / m;
    }
    double mr = 0, md = 0, vr = 0, vd = 0, r[4096];
    size_t cnt = 0;
    for (size_t t = lo; t < hi; t++) {
        double sum = 0.0;
        int k = 0;
        for (int c = -3; c <= 3; c++) {
            long u = (long)t + (long)c * m;
            if (u >= (long)lo && u < (long)hi)
                sum += dt[u], k++;
        }
        r[t] = dt[t] - sum / k;
        mr += r[t];
        md += dt[t];
        cnt++;
    }
    mr /= (double)cnt;
    md /= (double)cnt;
    for (size_t t = lo; t < hi; t++) {
        vr += (r[t] - mr) * (r[t] - mr);
        vd += (dt[t] - md) * (dt[t] - md);
    }
    return vd > 0.0 && 1.0 - vr / vd > 0.64;
}

/* ---- the method --------------------------------------------------------- */

static void describe(const order *o, char *buf, size_t cap)
{
    int w = snprintf(buf, cap, "ARIMA(%d,%d,%d)", o->p, o->d, o->q);
    if (w > 0 && (size_t)w < cap && (o->P || o->D || o->Q))
        w += snprintf(buf + w, cap - (size_t)w, "(%d,%d,%d)[%d]", o->P, o->D, o->Q, o->m);
    if (w > 0 && (size_t)w < cap && o->constant)
        snprintf(buf + w, cap - (size_t)w, o->d + o->D == 1 ? " with drift" : " with non-zero mean");
    else if (w > 0 && (size_t)w < cap && o->d + o->D == 0)
        snprintf(buf + w, cap - (size_t)w, " with zero mean");
}

typedef struct search {
    const double *y;
    size_t n;
    double *w;
    double best;
    order bo;
    arima_state bs;
    int tried, thorough;
} search;

static int try_order(search *sr, order o)
{
    if (o.p < 0 || o.q < 0 || o.P < 0 || o.Q < 0 || o.p > MAXP || o.q > MAXP || o.P > MAXSP ||
        o.Q > MAXSP || o.p + o.q + o.P + o.Q > MAXORDER)
        return 0;
    if (o.constant && o.d + o.D > 1)
        return 0;
    arima_state s;
    sr->tried++;
    double m2ll = fit_order(sr->y, sr->n, &o, sr->thorough, sr->w, &s);
    if (!isfinite(m2ll))
        return 0;
    double ic = aicc_of(m2ll, &o, sr->n - (size_t)s.nd);
    if (ic < sr->best - 1e-9) {
        sr->best = ic;
        sr->bo = o;
        sr->bs = s;
        return 1;
    }
    return 0;
}

static int parse_order(const char *s, order *o)
{
    o->P = o->D = o->Q = 0;
    int used = 0;
    if (sscanf(s, " (%d,%d,%d)%n", &o->p, &o->d, &o->q, &used) != 3)
        return -1;
    s += used;
    if (*s == '(') {
        if (sscanf(s, "(%d,%d,%d)%n", &o->P, &o->D, &o->Q, &used) != 3)
            return -1;
        s += used;
    }
    if (*s)
        return -1;
    if (o->p < 0 || o->q < 0 || o->P < 0 || o->Q < 0 || o->p > MAXP || o->q > MAXP ||
        o->P > MAXSP || o->Q > MAXSP || o->d < 0 || o->d > 2 || o->D < 0 || o->D > 1)
        return -1;
    return 0;
}

static int fit_arima(ot_model *m, const double *y, size_t n, const ot_model_opts *opts,
                     ot_err *err)
{
    int period = m->period > 1 ? m->period : 1;
    double *w = ot_model_calloc(m, n, sizeof *w);
    arima_state *st = ot_model_calloc(m, 1, sizeof *st);
    if (!w || !st) {
        ot_model_free_mem(m, w, n, sizeof *w);
        ot_model_free_mem(m, st, 1, sizeof *st);
        return ot_err_set(err, OT_ENOMEM, "out of memory");
    }
    m->state = st;
    int rc = OT_OK;
    search sr;
    memset(&sr, 0, sizeof sr);
    sr.y = y, sr.n = n, sr.w = w, sr.best = INFINITY;
    if (n > 4000) {
        rc = ot_err_set(err, OT_EDATA, "arima: at most 4000 values, got %zu", n);
        goto done;
    }
    if (opts->spec) {
        order o;
        if (parse_order(opts->spec, &o) != 0) {
            rc = ot_err_set(err, OT_EINVAL, "arima: bad order '%s' (\"(p,d,q)\" or "
                            "\"(p,d,q)(P,D,Q)\", p, q <= 5, P, Q <= 2, d <= 2, D <= 1)",
                            opts->spec);
            goto done;
        }
        o.m = (o.P || o.D || o.Q) ? period : 1;
        if (o.m < 2 && (o.P || o.D || o.Q)) {
            rc = ot_err_set(err, OT_EDATA, "arima: a seasonal order needs a seasonal period above 1");
            goto done;
        }
        o.constant = o.d + o.D == 0; /* as forecast::Arima: a mean, never a drift */
        sr.thorough = 1;
        try_order(&sr, o);
        if (!isfinite(sr.best) && o.constant) { /* R's Arima keeps the mean; drop it if it fails */
            o.constant = 0;
            try_order(&sr, o);
        }
    } else {
        /* Hyndman & Khandakar (2008): D by seasonal strength, d by KPSS at 5%
         * (critical value 0.463) on the seasonally differenced data. */
        int D = period > 1 ? seasonal_d(y, n, period) : 0;
        size_t nw = difference(y, n, 0, D, period, w, NULL, NULL);
        int d = 0;
        while (d < 2 && nw > 10 && kpss(w, nw) > 0.463) {
            double tmp[4096];
            memcpy(tmp, w, nw * sizeof w[0]);
            for (size_t i = 1; i < nw; i++)
                w[i - 1] = tmp[i] - tmp[i - 1];
            nw--;
            d++;
        }
        int seas = period > 1;
        int cst = d + D <= 1;
        order start[4] = {{2, d, 2, seas, D, seas, period, cst}, {0, d, 0, 0, D, 0, period, cst},
                          {1, d, 0, seas, D, 0, period, cst}, {0, d, 1, 0, D, seas, period, cst}};
        for (int i = 0; i < 4; i++) {
            if (!seas)
                start[i].P = start[i].Q = 0, start[i].m = 1;
            try_order(&sr, start[i]);
        }
        if (!isfinite(sr.best) && cst) {
            for (int i = 0; i < 4; i++) {
                start[i].constant = 0;
                try_order(&sr, start[i]);
            }
        }
        /* stepwise: neighbours of the best until none improves (at most 94 fits) */
        int improved = isfinite(sr.best);
        while (improved && sr.tried < 94) {
            improved = 0;
            order b = sr.bo;
            /* forecast 8.20's moves: P, Q, both, crossed; then p, q, both, crossed */
            static const int dv[][4] = {{0, 0, -1, 0}, {0, 0, 1, 0}, {0, 0, 0, -1}, {0, 0, 0, 1},
                                        {0, 0, -1, -1}, {0, 0, 1, 1}, {0, 0, -1, 1},
                                        {0, 0, 1, -1}, {-1, 0, 0, 0}, {1, 0, 0, 0},
                                        {0, -1, 0, 0}, {0, 1, 0, 0}, {-1, -1, 0, 0},
                                        {1, 1, 0, 0}, {-1, 1, 0, 0}, {1, -1, 0, 0}};
            for (size_t k = 0; k < sizeof dv / sizeof dv[0] && !improved; k++) {
                if (!seas && (dv[k][2] || dv[k][3]))
                    continue;
                order o = b;
                o.p += dv[k][0], o.q += dv[k][1], o.P += dv[k][2], o.Q += dv[k][3];
                improved = try_order(&sr, o);
            }
            if (!improved && cst) {
                order o = b;
                o.constant = !o.constant;
                improved = try_order(&sr, o);
            }
        }
    }
    if (!isfinite(sr.best)) {
        rc = ot_err_set(err, OT_EDATA, "arima: no model could be fitted to %zu values", n);
        goto done;
    }
    *st = sr.bs;
    {
        const order *o = &st->o;
        size_t nw = n - (size_t)st->nd;
        double m2ll = fit_order(y, n, o, 1, w, st); /* the choice, refitted thoroughly */
        size_t k = (size_t)(o->p + o->q + o->P + o->Q + o->constant);
        m->loglik = -0.5 * m2ll;
        m->sigma2 = st->sigma2;
        ot_model_set_ic(m, k + 1);
        m->aicc = aicc_of(m2ll, o, nw); /* on the differenced length, as R */
        m->aic = m2ll + 2.0 * (double)(k + 1);
        m->bic = m2ll + (double)(k + 1) * log((double)nw);
        describe(o, m->desc, sizeof m->desc);
        char name[16];
        for (int i = 0; i < o->p; i++)
            snprintf(name, sizeof name, "ar%d", i + 1), ot_model_add_par(m, name, st->phi[i]);
        for (int i = 0; i < o->q; i++)
            snprintf(name, sizeof name, "ma%d", i + 1), ot_model_add_par(m, name, st->theta[i]);
        for (int i = 0; i < o->P; i++)
            snprintf(name, sizeof name, "sar%d", i + 1), ot_model_add_par(m, name, st->sphi[i]);
        for (int i = 0; i < o->Q; i++)
            snprintf(name, sizeof name, "sma%d", i + 1),
                ot_model_add_par(m, name, st->stheta[i]);
        if (o->constant)
            ot_model_add_par(m, o->d + o->D == 1 ? "drift" : "mean", st->mu);
        /* fitted values: y minus the one-step innovations of the differenced model */
        double *v = ot_model_calloc(m, nw, sizeof *v);
        if (!v) {
            rc = ot_err_set(err, OT_ENOMEM, "out of memory");
            goto done;
        }
        difference(y, n, o->d, o->D, o->m, w, NULL, NULL);
        kalman(st, w, nw, NULL, v, NULL, NULL);
        for (size_t t = 0; t < nw; t++) {
            m->resid[t + (size_t)st->nd] = v[t];
            m->fitted[t + (size_t)st->nd] = y[t + (size_t)st->nd] - v[t];
        }
        ot_model_free_mem(m, v, nw, sizeof *v);
    }
done:
    ot_model_free_mem(m, w, n, sizeof *w);
    return rc;
}

static void arima_free(ot_model *m)
{
    ot_model_free_mem(m, m->state, 1, sizeof(arima_state));
    m->state = NULL;
}

/* Forecasts of w from the predicted state (w = mu + alpha[0], alpha' = T alpha),
 * undifferenced with y_t = w_t - sum_{j>=1} dpoly_j y_{t-j}.  The error of
 * y_{T+h} is sum_j pi_{h-j} (Z T^{j-1} delta) + sum_i psi_{h-i} e_{T+i}, with
 * pi the weights of 1 / D(B), psi those of theta(B) / (phi(B) D(B)) and delta
 * the state's error at T + 1 (covariance sigma2 P, which holds e_{T+1}), so
 *   Var_h = sigma2 (g_h' P g_h + sum_{j<h-1} psi_j^2),  g_h = sum_j pi_{h-j} (Z T^{j-1})'
 * (Box, Jenkins & Reinsel; Durbin & Koopman §4.11), as R's predict.Arima. */
static int arima_forecast(const ot_model *m, size_t h, double *mean, const double *levels,
                          size_t nlevels, double *lower, double *upper, ot_err *err)
{
    const arima_state *s = m->state;
    int r = s->np > s->nq + 1 ? s->np : s->nq + 1;
    double a[MAXR];
    memcpy(a, s->a, (size_t)r * sizeof a[0]);
    for (size_t i = 0; i < h; i++) {
        double yv = s->mu + a[0];
        for (int j = 1; j <= s->nd; j++) {
            double prev = (size_t)j <= i ? mean[i - (size_t)j] : s->ylast[s->nd - j + (int)i];
            yv -= s->dpoly[j] * prev;
        }
        mean[i] = yv;
        double a0 = a[0];
        for (int k = 0; k < r; k++)
            a[k] = s->ar[k] * a0 + (k + 1 < r ? a[k + 1] : 0.0);
    }
    /* full AR polynomial phi(B) D(B), coefficients c_0 = 1, c_1, ... */
    double full[MAXR + MAXD + 1] = {0};
    int nf = s->np + s->nd;
    for (int i = 0; i <= s->np; i++)
        for (int j = 0; j <= s->nd; j++)
            full[i + j] += (i == 0 ? 1.0 : -s->ar[i - 1]) * s->dpoly[j];
    size_t nb = 3 * h + h * (size_t)r;
    double *buf = ot_model_calloc(m, nb, sizeof *buf);
    if (!buf)
        return ot_err_set(err, OT_ENOMEM, "out of memory");
    double *psi = buf, *pi = buf + h, *u = buf + 3 * h; /* u[j*r ..]: Z T^j */
    for (size_t j = 0; j < h; j++) {
        double v = j == 0 ? 1.0 : (j <= (size_t)s->nq ? s->ma[j - 1] : 0.0);
        for (int k = 1; k <= nf && (size_t)k <= j; k++)
            v -= full[k] * psi[j - (size_t)k];
        psi[j] = v;
        double q = j == 0 ? 1.0 : 0.0;
        for (int k = 1; k <= s->nd && (size_t)k <= j; k++)
            q -= s->dpoly[k] * pi[j - (size_t)k];
        pi[j] = q;
        double *uj = u + j * (size_t)r; /* Z T^j = (Z T^{j-1}) T, T the companion */
        if (j == 0) {
            for (int k = 0; k < r; k++)
                uj[k] = k == 0;
        } else {
            const double *up = uj - r;
            double u0 = 0.0;
            for (int k = 0; k < r; k++)
                u0 += up[k] * s->ar[k];
            uj[0] = u0;
            for (int k = 1; k < r; k++)
                uj[k] = up[k - 1];
        }
    }
    double acc = 0.0, g[MAXR];
    for (size_t i = 0; i < h; i++) {
        if (i > 0) /* e_{T+1} is inside delta (P holds R R'): psi_0 .. psi_{h-2} */
            acc += psi[i - 1] * psi[i - 1];
        for (int k = 0; k < r; k++) {
            g[k] = 0.0;
            for (size_t j = 0; j <= i; j++)
                g[k] += pi[i - j] * u[j * (size_t)r + (size_t)k];
        }
        double gpg = 0.0;
        for (int k = 0; k < r; k++)
            for (int l = 0; l < r; l++)
                gpg += g[k] * s->P[k * r + l] * g[l];
        double sd = sqrt(s->sigma2 * (acc + (gpg > 0.0 ? gpg : 0.0)));
        for (size_t l = 0; l < nlevels; l++) {
            double z = ot_zlevel(levels[l]);
            lower[l * h + i] = mean[i] - z * sd;
            upper[l * h + i] = mean[i] + z * sd;
        }
    }
    ot_model_free_mem(m, buf, nb, sizeof *buf);
    return OT_OK;
}

/* Paths: the state at T + 1 drawn from N(a, sigma2 P) (P's Cholesky factor,
 * with a 1e-10 ridge for the singular P of converged filters), then the
 * state space model run forward with e ~ N(0, sigma2), undifferenced as the
 * forecasts. */
static int arima_simulate(const ot_model *m, size_t h, size_t npaths, gsl_rng *rng,
                          double *paths, ot_err *err)
{
    const arima_state *s = m->state;
    int r = s->np > s->nq + 1 ? s->np : s->nq + 1;
    double sd = sqrt(s->sigma2), big = 0.0;
    gsl_matrix *L = gsl_matrix_alloc((size_t)r, (size_t)r);
    if (!L)
        return ot_err_set(err, OT_ENOMEM, "out of memory");
    for (int i = 0; i < r; i++)
        big = fmax(big, s->P[i * r + i]);
    for (int i = 0; i < r; i++)
        for (int j = 0; j < r; j++)
            gsl_matrix_set(L, (size_t)i, (size_t)j, s->P[i * r + j] + (i == j ? 1e-10 * big : 0.0));
    int chol = gsl_linalg_cholesky_decomp1(L) == GSL_SUCCESS;
    for (size_t p = 0; p < npaths; p++) {
        double a[MAXR], z[MAXR], *out = paths + p * h;
        for (int k = 0; k < r; k++)
            z[k] = gsl_ran_gaussian(rng, 1.0);
        for (int k = 0; k < r; k++) {
            double v = 0.0;
            for (int l = 0; l <= k && chol; l++)
                v += gsl_matrix_get(L, (size_t)k, (size_t)l) * z[l];
            a[k] = s->a[k] + sd * (chol ? v : (k == 0 ? z[0] : 0.0));
        }
        for (size_t i = 0; i < h; i++) {
            double yv = s->mu + a[0];
            for (int j = 1; j <= s->nd; j++) {
                double prev = (size_t)j <= i ? out[i - (size_t)j] : s->ylast[s->nd - j + (int)i];
                yv -= s->dpoly[j] * prev;
            }
            out[i] = yv;
            /* alpha' = T alpha + R e, R = (1, ma_1, ...) */
            double e = gsl_ran_gaussian(rng, sd), a0 = a[0];
            for (int k = 0; k < r; k++)
                a[k] = s->ar[k] * a0 + (k + 1 < r ? a[k + 1] : 0.0) +
                       (k == 0 ? 1.0 : k - 1 < s->nq ? s->ma[k - 1] : 0.0) * e;
        }
    }
    gsl_matrix_free(L);
    return OT_OK;
}

const ot_method ot_method_arima = {"arima", fit_arima, arima_forecast, arima_simulate,
                                   arima_free};
