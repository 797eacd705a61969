/* arima.c — the ARIMA method behind model.h: seasonal ARIMA(p,d,q)(P,D,Q)_m
 * as forecast's Arima (an order given as a spec) or auto.arima (none given).
 * Parses the spec, fits the chosen order (arima_fit.c) or has one chosen
 * (arima_search.c), reports it, and forecasts and simulates from the state
 * space form.  Never estimates or searches itself; allocates only through
 * the model's allocator.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_randist.h>

#include "models/arima_int.h"

/* Writes R's name of the model o into buf (cap bytes), truncated to fit. */
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

/* Reads "(p,d,q)" or "(p,d,q)(P,D,Q)", then optionally "+c" (with a
 * constant: a mean, or a drift when d + D = 1) or "-c" (without); *cst is
 * 1, 0, or -1 when not said (a mean exactly when d + D = 0, as Arima). */
static int parse_order(const char *s, order *o, int *cst)
{
    *cst = -1;
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
    if ((s[0] == '+' || s[0] == '-') && s[1] == 'c') {
        *cst = s[0] == '+';
        s += 2;
    }
    if (*s || (*cst == 1 && o->d + o->D > 1))
        return -1;
    if (o->p < 0 || o->q < 0 || o->P < 0 || o->Q < 0 || o->p > MAXP || o->q > MAXP ||
        o->P > MAXSP || o->Q > MAXSP || o->d < 0 || o->d > 2 || o->D < 0 || o->D > 1)
        return -1;
    return 0;
}

/* The method's fit: the order of opts->spec, or auto.arima's choice, fitted
 * to y[0..n) with its likelihood, information criteria, parameters, fitted
 * values and residuals written into m; m->state is the arima_state (freed by
 * arima_free).  OT_EINVAL for a bad spec, OT_EDATA for data no order fits,
 * OT_ENOMEM, each with err set. */
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
        int cst;
        if (parse_order(opts->spec, &o, &cst) != 0) {
            rc = ot_err_set(err, OT_EINVAL, "arima: bad order '%s' (\"(p,d,q)\" or "
                            "\"(p,d,q)(P,D,Q)\", p, q <= 5, P, Q <= 2, d <= 2, D <= 1, then "
                            "+c or -c for a constant or none; +c needs d + D <= 1)",
                            opts->spec);
            goto done;
        }
        o.m = (o.P || o.D || o.Q) ? period : 1;
        if (o.m < 2 && (o.P || o.D || o.Q)) {
            rc = ot_err_set(err, OT_EDATA, "arima: a seasonal order needs a seasonal period above 1");
            goto done;
        }
        /* unsaid, as forecast::Arima: a mean, never a drift */
        o.constant = cst >= 0 ? cst : o.d + o.D == 0;
        sr.flags = FIT_THOROUGH;
        sr.aic = 1; /* nothing to choose: a fit is kept even when its AICc is infinite
                     * (a mean on three values), as R's Arima keeps it */
        ot_arima_fit_ic(&sr, o);
        if (!isfinite(sr.best) && o.constant && cst < 0) { /* R's Arima keeps the mean; drop it if it fails */
            o.constant = 0;
            ot_arima_fit_ic(&sr, o);
        }
    } else {
        rc = ot_arima_auto(m, period, &sr, st, err);
        if (rc != OT_OK)
            goto done;
    }
    if (!isfinite(sr.best)) {
        rc = ot_err_set(err, OT_EDATA, "arima: no model could be fitted to %zu values", n);
        goto done;
    }
    *st = sr.bs;
    {
        const order *o = &sr.bo;
        /* the choice refitted: an order given is polished beyond R's optimum
         * (FIT_THOROUGH); the automatic choice is R's fit, as auto.arima */
        double m2ll = sr.fixed ? ot_arima_fixed_order(y, n, o, sr.fixed_mu, w, st)
                               : ot_arima_fit_order(y, n, o, sr.flags & FIT_THOROUGH, w, st);
        size_t nw = n - (size_t)st->nd;
        size_t k = sr.fixed ? 0 : (size_t)(o->p + o->q + o->P + o->Q + o->constant);
        m->loglik = -0.5 * m2ll;
        m->sigma2 = st->sigma2;
        ot_model_set_ic(m, k + 1);
        m->aicc = sr.fixed ? m2ll + 2.0 + 4.0 / ((double)nw - 2.0) /* k = 1: sigma2 */
                           : ot_arima_aicc(m2ll, o, nw); /* on the differenced length, as R */
        m->aic = m2ll + 2.0 * (double)(k + 1);
        m->bic = m2ll + (double)(k + 1) * log((double)nw);
        if (!isfinite(m2ll)) /* a perfect fit: no likelihood to report */
            m->loglik = m->aic = m->aicc = m->bic = NAN;
        describe(o, m->desc, sizeof m->desc);
        if (!sr.fixed) /* the spec that refits this choice (calibrated intervals) */
            snprintf(m->spec_used, sizeof m->spec_used, "(%d,%d,%d)(%d,%d,%d)%s", o->p, o->d,
                     o->q, o->P, o->D, o->Q, o->constant ? "+c" : "-c");
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
            /* R's drift is per period: mu / m after a seasonal difference */
            ot_model_add_par(m, o->d + o->D == 1 ? "drift" : "mean",
                             o->D ? st->mu / o->m : st->mu);
        /* fitted values: y minus the one-step innovations of the differenced model */
        double *v = ot_model_calloc(m, nw, sizeof *v);
        if (!v) {
            rc = ot_err_set(err, OT_ENOMEM, "out of memory");
            goto done;
        }
        ot_arima_difference(y, n, o->d, o->D, o->m, w, NULL, NULL);
        ot_arima_kalman(st, w, nw, NULL, v, NULL, NULL);
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

/* Releases the arima_state of m (NULL allowed). */
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
                                   arima_free, 1};
