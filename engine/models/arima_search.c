/* arima_search.c — the automatic choice of an ARIMA order after Hyndman &
 * Khandakar (2008), step for step as forecast 8.20's auto.arima: D from the
 * STL seasonal strength (stl.c), d from KPSS tests, the stepwise search on
 * AICc with R's starting models, moves, bounds and rejections (roots near
 * the unit circle, a failed CSS step, a singular Hessian) and its CSS
 * approximation for long or finely seasonal series, so that the choices
 * agree with R's (99% of the M3 monthly series).  Each order is fitted by
 * arima_fit.c; this file never estimates, forecasts or reports a model.
 */
#include "models/arima_int.h"

#include <math.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_poly.h>

#include "models/stl.h"

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

/* 1 when x[0..n) is constant as forecast's is.constant: all.equal(x, x[1]),
 * the mean absolute difference from x[1] relative to the mean absolute
 * value (absolute when that is below the tolerance) at most 1.5e-8. */
static int is_constant(const double *x, size_t n)
{
    double xy = 0.0, xn = 0.0;
    for (size_t i = 0; i < n; i++) {
        xy += fabs(x[i] - x[0]);
        xn += fabs(x[i]);
    }
    if (n == 0)
        return 1;
    xy /= (double)n, xn /= (double)n;
    return (xn > 1.5e-8 ? xy / xn : xy) <= 1.5e-8;
}

/* Seasonal strength max(0, min(1, 1 - Var(R) / Var(S + R))) of an STL
 * decomposition with s.window = 11 (Wang, Smith & Hyndman 2006; forecast's
 * seas.heuristic on mstl()); D = 1 when above 0.64, as
 * forecast::nsdiffs(test = "seas", max.D = 1).  0 for constant data and
 * for n <= 2m (STL needs two periods); -1 when memory runs out. */
static int seasonal_d(const ot_model *md, const double *y, size_t n, int m)
{
    if (m < 2 || n <= 2 * (size_t)m || is_constant(y, n))
        return 0;
    double *buf = ot_model_calloc(md, 2 * n, sizeof *buf);
    if (!buf)
        return -1;
    double *se = buf, *tr = buf + n;
    ot_stl_opts o;
    ot_stl_defaults(&o, m, 11, 0);
    int D = 0, rc = ot_stl(y, n, &o, &md->alloc, se, tr, NULL, NULL);
    if (rc == OT_ENOMEM)
        D = -1;
    else if (rc == OT_OK) {
        double mr = 0, ms = 0, vr = 0, vs = 0;
        for (size_t i = 0; i < n; i++) {
            mr += (y[i] - se[i] - tr[i]) / (double)n;
            ms += (y[i] - tr[i]) / (double)n;
        }
        for (size_t i = 0; i < n; i++) {
            double r = y[i] - se[i] - tr[i] - mr, rs = y[i] - tr[i] - ms;
            vr += r * r;
            vs += rs * rs;
        }
        D = vs > 0.0 && fmax(0.0, fmin(1.0, 1.0 - vr / vs)) > 0.64;
    }
    ot_model_free_mem(md, buf, 2 * n, sizeof *buf);
    return D;
}

/* d as forecast::ndiffs(test = "kpss", alpha = 0.05, max.d = 2): difference
 * while the KPSS p-value is below 5% (statistic above 0.463), stopping when
 * the differenced data are constant.  w[0..*nw) is differenced in place. */
static int kpss_d(double *w, size_t *nw)
{
    int d = 0;
    if (is_constant(w, *nw))
        return 0;
    while (d < 2 && *nw > 2 && kpss(w, *nw) > 0.463) {
        for (size_t i = 1; i < *nw; i++)
            w[i - 1] = w[i] - w[i - 1];
        (*nw)--;
        d++;
        if (is_constant(w, *nw))
            break;
    }
    return d;
}

/* ---- the stepwise search ---------------------------------------------- */

/* The smallest modulus of the roots of 1 + sign (c_1 z + ... + c_k z^k),
 * trailing |c_i| <= 1e-8 dropped as forecast's myarima does; 2 when there
 * is no root (or above 2), NaN when the roots cannot be found. */
static double min_root(const double *c, int k, double sign)
{
    while (k > 0 && fabs(c[k - 1]) <= 1e-8)
        k--;
    if (k == 0)
        return 2.0;
    double a[MAXR + 1], z[2 * MAXR];
    a[0] = 1.0;
    for (int i = 1; i <= k; i++)
        a[i] = sign * c[i - 1];
    gsl_poly_complex_workspace *ws = gsl_poly_complex_workspace_alloc((size_t)k + 1);
    if (!ws)
        return NAN;
    int rc = gsl_poly_complex_solve(a, (size_t)k + 1, ws, z);
    gsl_poly_complex_workspace_free(ws);
    if (rc != GSL_SUCCESS)
        return NAN;
    double m = 2.0;
    for (int i = 0; i < k; i++)
        m = fmin(m, hypot(z[2 * i], z[2 * i + 1]));
    return m;
}

/* 1 when o was fitted already (forecast's newmodel() false). */
static int seen(const search *sr, const order *o)
{
    for (int i = 0; i < sr->k; i++) {
        const order *t = &sr->tried[i].o;
        if (t->p == o->p && t->q == o->q && t->P == o->P && t->Q == o->Q &&
            t->constant == o->constant && t->d == o->d && t->D == o->D)
            return 1;
    }
    return 0;
}

/* Fits o as forecast's myarima and records it: its AICc (its AIC when
 * sr->aic), or infinity when the fit fails or, in the automatic search,
 * when a root of the AR or MA polynomial lies within 1.01 of the unit
 * circle.  With FIT_CSS the AICc is forecast's approximation: offset + n*
 * log(CSS variance) + 2 k + the AICc term, n* the differenced length.
 * Becomes the best when its criterion is strictly lower.  Returns it. */
double ot_arima_fit_ic(search *sr, order o)
{
    arima_state s;
    double ic = INFINITY;
    if (ot_models_interrupted()) /* asked to stop: no more fits (fit_arima fails, */
        return ic;               /* and ot_model_fit_array reports the stop) */
    double v = ot_arima_fit_order(sr->y, sr->n, &o, sr->flags, sr->w, &s);
    size_t nstar = sr->n - (size_t)(o.d + o.D * o.m);
    if (isfinite(v)) {
        double m2ll = sr->flags & FIT_CSS ? sr->offset + (double)nstar * v : v;
        ic = sr->aic ? ot_arima_aic(m2ll, &o) : ot_arima_aicc(m2ll, &o, nstar);
        if (sr->flags & FIT_STRICT) {
            double r = 2.0;
            if (o.p + o.P > 0)
                r = fmin(r, min_root(s.ar, s.np, -1.0));
            if (o.q + o.Q > 0)
                r = fmin(r, min_root(s.ma, s.nq, 1.0));
            if (!(r >= 1.01))
                ic = INFINITY;
            /* checkarima matters only for a fit that would be the best */
            if (ic < sr->best && !(sr->flags & FIT_CSS) && !ot_arima_hessian_ok(&s, sr->w, nstar))
                ic = INFINITY;
        }
    }
    if (sr->k < (int)(sizeof sr->tried / sizeof sr->tried[0])) {
        sr->tried[sr->k].o = o;
        sr->tried[sr->k].ic = ic;
        sr->k++;
    }
    if (ic < sr->best) {
        sr->best = ic;
        sr->bo = o;
        sr->bs = s;
    }
    return ic;
}

/* The stepwise search of Hyndman & Khandakar (2008) exactly as forecast
 * 8.20's auto.arima: four starting models (and the first without its
 * constant), then from the current model each of its neighbours in a fixed
 * order: P-1, Q-1, P+1, Q+1, (P-1,Q-1), (P-1,Q+1), (P+1,Q-1), (P+1,Q+1), then
 * the same for p and q, moving at the first that lowers the AICc, and last
 * the constant toggled; until no neighbour improves or 94 models were
 * tried.  max.order bounds only the non-stepwise search in forecast, so not
 * here. */
static void stepwise(search *sr, int d, int D, int m, int constant)
{
    int seas = m > 1;
    int p = sr->maxp < 2 ? sr->maxp : 2, q = sr->maxq < 2 ? sr->maxq : 2;
    int P = sr->maxP < 1 ? sr->maxP : 1, Q = sr->maxQ < 1 ? sr->maxQ : 1;
    if (sr->n < 10) {
        p = p < 1 ? p : 1, q = q < 1 ? q : 1;
        P = Q = 0;
    }
    order o = {p, d, q, P, D, Q, seas ? m : 1, constant};
    double best = ot_arima_fit_ic(sr, o);
    o = (order){0, d, 0, 0, D, 0, seas ? m : 1, constant};
    double ic = ot_arima_fit_ic(sr, o);
    if (ic < best)
        best = ic, p = q = P = Q = 0;
    if (sr->maxp > 0 || sr->maxP > 0) {
        int p1 = sr->maxp > 0, P1 = seas && sr->maxP > 0;
        o = (order){p1, d, 0, P1, D, 0, seas ? m : 1, constant};
        if ((ic = ot_arima_fit_ic(sr, o)) < best)
            best = ic, p = p1, P = P1, q = Q = 0;
    }
    if (sr->maxq > 0 || sr->maxQ > 0) {
        int q1 = sr->maxq > 0, Q1 = seas && sr->maxQ > 0;
        o = (order){0, d, q1, 0, D, Q1, seas ? m : 1, constant};
        if ((ic = ot_arima_fit_ic(sr, o)) < best)
            best = ic, p = P = 0, q = q1, Q = Q1;
    }
    int allow = constant;
    if (constant) {
        o = (order){0, d, 0, 0, D, 0, seas ? m : 1, 0};
        if ((ic = ot_arima_fit_ic(sr, o)) < best)
            best = ic, p = q = P = Q = 0;
    }
    static const int mv[16][4] = {{0, 0, -1, 0}, {0, 0, 0, -1}, {0, 0, 1, 0}, {0, 0, 0, 1},
                                  {0, 0, -1, -1}, {0, 0, -1, 1}, {0, 0, 1, -1}, {0, 0, 1, 1},
                                  {-1, 0, 0, 0}, {0, -1, 0, 0}, {1, 0, 0, 0}, {0, 1, 0, 0},
                                  {-1, -1, 0, 0}, {-1, 1, 0, 0}, {1, -1, 0, 0}, {1, 1, 0, 0}};
    int startk = 0;
    while (startk < sr->k && sr->k < NMODELS) {
        startk = sr->k;
        int moved = 0;
        for (int i = 0; i < 16 && !moved; i++) {
            int np = p + mv[i][0], nq = q + mv[i][1], nP = P + mv[i][2], nQ = Q + mv[i][3];
            if (np < 0 || nq < 0 || nP < 0 || nQ < 0 || np > sr->maxp || nq > sr->maxq ||
                nP > sr->maxP || nQ > sr->maxQ)
                continue;
            o = (order){np, d, nq, nP, D, nQ, seas ? m : 1, constant};
            if (seen(sr, &o))
                continue;
            if (sr->k >= NMODELS) { /* forecast counts the model, then stops */
                sr->k++;
                moved = 1;
                break;
            }
            if ((ic = ot_arima_fit_ic(sr, o)) < best) {
                best = ic, p = np, q = nq, P = nP, Q = nQ;
                moved = 1;
            }
        }
        if (moved || !allow)
            continue;
        o = (order){p, d, q, P, D, Q, seas ? m : 1, !constant};
        if (seen(sr, &o))
            continue;
        if (sr->k >= NMODELS)
            break;
        if ((ic = ot_arima_fit_ic(sr, o)) < best)
            best = ic, constant = !constant;
    }
}

/* forecast::auto.arima: D by seasonal strength (when n > 2m), d by KPSS on
 * the seasonally differenced data; the order bounds from the length; a
 * drift when d + D = 1, a mean when d + D = 0.  Data constant once
 * differenced get auto.arima's fixed model (sr->fixed).  Long or finely
 * seasonal series are searched by CSS, then refitted by exact likelihood
 * in order of the approximate AICc until one fit is accepted. */
int ot_arima_auto(const ot_model *md, int period, search *sr, arima_state *st, ot_err *err)
{
    const double *y = sr->y;
    size_t n = sr->n;
    double *w = sr->w;
    int D = period > 1 && n > 2 * (size_t)period ? seasonal_d(md, y, n, period) : 0;
    if (D < 0)
        return ot_err_set(err, OT_ENOMEM, "out of memory");
    size_t nw = ot_arima_difference(y, n, 0, D, period, w, NULL, NULL);
    int d = kpss_d(w, &nw);
    /* the bounds and the criterion count the values from the first to the
     * last present one, as auto.arima's serieslength; on 3 values or fewer
     * it chooses by AIC ("AICc won't work for tiny samples": every model
     * with a mean would have an infinite AICc, leaving the zero mean) */
    size_t nobs = 0;
    for (size_t i = 0; i < n; i++)
        nobs += !isnan(y[i]);
    int m3 = (int)(nobs / 3), seas = period > 1;
    sr->aic = nobs <= 3;
    if (is_constant(w, nw)) {
        /* auto.arima's rules for data that are constant once
         * differenced: a fixed mean or drift (mean(dx), per period or
         * per season) when d < 2 and not both d and D, none otherwise */
        double mean = 0.0;
        for (size_t i = 0; i < nw; i++)
            mean += w[i] / (double)nw;
        sr->fixed = 1;
        sr->fixed_mu = mean;
        sr->bo = (order){0, d, 0, 0, D, 0, D ? period : 1, (D > 0 && d == 0) || (D == 0 && d < 2)};
        sr->best = 0.0;
        return OT_OK;
    }
    sr->maxp = sr->maxq = m3 < MAXP ? m3 : MAXP;
    int mP = seas ? (int)(nobs / 3 / (size_t)period) : 0;
    sr->maxP = sr->maxQ = mP < MAXSP ? mP : MAXSP;
    if (seas && sr->maxP > 0 && sr->maxp > period - 1)
        sr->maxp = period - 1;
    if (seas && sr->maxQ > 0 && sr->maxq > period - 1)
        sr->maxq = period - 1;
    /* forecast's approximation: CSS in the search when n > 150 or
     * m > 12, AICc offset by -2 log L - n log s2 of ARIMA(0,d,0)(0,D,0) */
    int approx = n > 150 || period > 12;
    sr->flags = FIT_STRICT;
    if (approx) {
        order o0 = {0, d, 0, 0, D, 0, seas ? period : 1, d + D == 0};
        double m2ll = ot_arima_fit_order(y, n, &o0, 0, w, st);
        size_t k0 = (size_t)o0.constant, nw0 = n - (size_t)(d + D * period);
        double s2 = st->sigma2 * (double)(nw0 - k0) / (double)nw0; /* the ML variance */
        sr->offset = isfinite(m2ll) ? m2ll - (double)n * log(s2) : 0.0;
        sr->flags |= FIT_CSS;
    }
    stepwise(sr, d, D, period, d + D <= 1);
    if (approx) {
        /* refit by exact likelihood in order of the approximate AICc
         * until one fit is acceptable (stable, as R's order()) */
        int k = sr->k < NMODELS ? sr->k : NMODELS, idx[NMODELS];
        for (int i = 0; i < k; i++) {
            int j = i;
            while (j > 0 && sr->tried[idx[j - 1]].ic > sr->tried[i].ic)
                idx[j] = idx[j - 1], j--;
            idx[j] = i;
        }
        order cand[NMODELS];
        for (int i = 0; i < k; i++)
            cand[i] = sr->tried[idx[i]].o;
        sr->flags = FIT_STRICT;
        sr->k = 0;
        sr->best = INFINITY;
        for (int i = 0; i < k && !isfinite(sr->best); i++)
            ot_arima_fit_ic(sr, cand[i]);
    }
    return OT_OK;
}
