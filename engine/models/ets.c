/* ets.c — the ETS method behind model.h (Hyndman, Koehler, Ord & Snyder
 * 2008, as R's forecast::ets 8.20): parses a spec such as "ZZZ" or "MAdM/ml",
 * draws up the candidate models forecast::ets allows and leaves their fitting
 * and the AICc choice to ets_fit.c; forecasts with prediction intervals,
 * analytic for classes 1-3 (Hyndman et al. 2008, ch. 6) and simulated
 * otherwise, and sample paths.  Scratch memory goes through the model's
 * allocator, except GSL's matrices for class 3.
 */
#include "models/ets_fit.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_blas.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "models/methods.h"

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

/* Fits as forecast::ets(y, model = spec): each letter Z tries the allowed
 * components, a trend without 'd' under Z tries damped and not; models with
 * A errors and M components and ETS(M,M,A) are not tried (restrict = TRUE),
 * nor M errors on data with a value <= 0, nor the M trend under Z
 * (allow.multiplicative.trend = FALSE).  The one of smallest AICc wins
 * (ot_ets_search).  m->spec_used names it, so that a refit needs no search. */
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
    ot_ets_spec cand[OT_ETS_MAXCAND];
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
    int rc = ot_ets_search(y, n, period, cand, nc, ml_states, &m->alloc, &es->fit);
    if (rc == OT_ENOMEM)
        return ot_err_set(err, OT_ENOMEM, "out of memory");
    if (rc != OT_OK)
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
    /* forecast's convention: constants dropped.  A perfect fit (every e 0)
     * has n log 0 = -inf; the search compares it as -1e10 (forecast's lik()
     * does, so fewer parameters win among perfect fits), but the model
     * reports what forecast's etsmodel() reports: logLik +inf, AIC, AICc and
     * BIC -inf — never a finite-looking -1e10. */
    m->loglik = f->lik <= OT_ETS_LIK_PERFECT ? INFINITY : -0.5 * f->lik;
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

static int ets_simulate(const ot_model *m, size_t h, size_t npaths, gsl_rng *rng, double *paths,
                        ot_err *err)
{
    (void)err;
    const ets_state *es = m->state;
    ot_ets_paths(&es->fit, es->sigma2, h, npaths, rng, paths);
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
        ot_ets_paths(p, s2, h, SIM_PATHS, rng, paths);
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

const ot_method ot_method_ets = {"ets", fit_ets, ets_forecast, ets_simulate, ets_free, 1};
