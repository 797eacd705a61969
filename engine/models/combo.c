/* combo.c — forecast combinations: the mean (or median) of the forecasts
 * of several methods fitted to the same data, the kind that wins
 * forecasting competitions (M3: Makridakis & Hibon 2000; M4: Makridakis et
 * al. 2020).  "combo" defaults to the mean of ETS, ARIMA and Theta; "auto"
 * is the mean of ETS and Theta, nearly as accurate and far faster.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "models/methods.h"

#define MAXPARTS 8

typedef struct combo_state {
    int median;
    size_t k;
    ot_model *part[MAXPARTS];
} combo_state;

static void combo_free(ot_model *m)
{
    combo_state *c = m->state;
    for (size_t j = 0; j < c->k; j++)
        ot_model_free(c->part[j]);
    ot_free(&m->alloc, c, sizeof *c);
    m->state = NULL;
}

/* The mean or median of v[0..k) ignoring NaN (NaN when all are). */
static double combine(double *v, size_t k, int median)
{
    size_t n = 0;
    for (size_t j = 0; j < k; j++)
        if (!isnan(v[j]))
            v[n++] = v[j];
    if (n == 0)
        return NAN;
    if (median) {
        gsl_sort(v, 1, n);
        return gsl_stats_median_from_sorted_data(v, 1, n);
    }
    return gsl_stats_mean(v, 1, n);
}

/* Spec: "[mean:|median:]part,part,...", default "mean:ets,arima,theta"; a
 * part is a method name, fitted with its automatic choice, or "name=spec"
 * with that method's spec (commas inside parentheses belong to the spec:
 * "arima=(0,1,1)(0,1,1)").  A part that fails is left out (its message is
 * lost) as long as one fits.  m->spec_used names each part's choice, so
 * that a refit (calibrated intervals) keeps the structures chosen. */
static int fit_parts(ot_model *m, const char *who, const double *y, size_t n, const char *spec,
                     ot_err *err)
{
    combo_state *c = ot_model_calloc(m, 1, sizeof *c);
    if (!c)
        return ot_err_set(err, OT_ENOMEM, "out of memory");
    m->state = c;
    const char *p = spec;
    if (!strncmp(p, "median:", 7))
        c->median = 1, p += 7;
    else if (!strncmp(p, "mean:", 5))
        p += 5;
    ot_model_opts po = {.period = m->period};
    ot_err last;
    ot_err_clear(&last);
    int nomem = 0;
    while (*p) {
        char name[96];
        size_t len = 0;
        for (int depth = 0; p[len] && (p[len] != ',' || depth > 0); len++)
            depth += p[len] == '(' ? 1 : p[len] == ')' ? -1 : 0;
        if (len == 0 || len >= sizeof name || c->k == MAXPARTS)
            return ot_err_set(err, OT_EINVAL, "%s: bad method list '%s'", who, spec);
        memcpy(name, p, len);
        name[len] = '\0';
        p += len + (p[len] == ',');
        char *eq = strchr(name, '=');
        if (eq)
            *eq = '\0';
        po.spec = eq ? eq + 1 : NULL;
        const ot_method *meth = ot_method_find(name);
        if (!meth || meth == &ot_method_combo || meth == &ot_method_auto)
            return ot_err_set(err, OT_EINVAL, "%s: '%s' cannot be combined (known: %s)", who,
                              name, ot_method_names());
        int rc = ot_model_fit_array(meth, y, n, m, &po, &c->part[c->k], &last);
        if (rc == OT_OK)
            c->k++;
        else if (rc == OT_ENOMEM)
            nomem = 1;
        else if (rc == OT_ELIMIT) /* interrupted: no part is left out silently */
            return ot_err_set(err, rc, "%s", last.msg);
    }
    if (nomem)
        return ot_err_set(err, OT_ENOMEM, "out of memory");
    if (c->k == 0)
        return ot_err_set(err, last.code ? last.code : OT_EINVAL, "%s: no part could be fitted%s%s",
                          who, last.msg[0] ? ": " : "", last.msg);
    int w = snprintf(m->desc, sizeof m->desc, "%s(", c->median ? "Median" : "Mean");
    for (size_t j = 0; j < c->k && w > 0 && (size_t)w < sizeof m->desc; j++)
        w += snprintf(m->desc + w, sizeof m->desc - (size_t)w, "%s%s", j ? ", " : "",
                      c->part[j]->desc);
    if (w > 0 && (size_t)w < sizeof m->desc)
        snprintf(m->desc + w, sizeof m->desc - (size_t)w, ")");
    int u = snprintf(m->spec_used, sizeof m->spec_used, "%s:", c->median ? "median" : "mean");
    for (size_t j = 0; j < c->k && u > 0 && (size_t)u < sizeof m->spec_used; j++) {
        const ot_model *pj = c->part[j];
        u += snprintf(m->spec_used + u, sizeof m->spec_used - (size_t)u, "%s%s%s%s", j ? "," : "",
                      pj->method->name, pj->spec_used[0] ? "=" : "", pj->spec_used);
    }
    if (u < 0 || (size_t)u >= sizeof m->spec_used)
        m->spec_used[0] = '\0'; /* too long to name: a refit chooses again */
    double v[MAXPARTS];
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < c->k; j++)
            v[j] = c->part[j]->fitted[i];
        m->fitted[i] = combine(v, c->k, c->median);
        m->resid[i] = y[i] - m->fitted[i];
    }
    return OT_OK;
}

static int fit_combo(ot_model *m, const double *y, size_t n, const ot_model_opts *o,
                     ot_err *err)
{
    return fit_parts(m, "combo", y, n, o->spec ? o->spec : "mean:ets,arima,theta", err);
}

static int fit_auto(ot_model *m, const double *y, size_t n, const ot_model_opts *o, ot_err *err)
{
    return fit_parts(m, "auto", y, n, o->spec ? o->spec : "mean:ets,theta", err);
}

/* Means and bounds are combined element by element: the combined interval
 * averages the parts' quantiles (quantile averaging, as in the M4
 * combinations), which the mixture of the parts' paths widens when the
 * parts disagree. */
static int combo_forecast(const ot_model *m, size_t h, double *mean, const double *levels,
                          size_t nlevels, double *lower, double *upper, ot_err *err)
{
    const combo_state *c = m->state;
    size_t nb = h * (nlevels ? nlevels : 1), per = h + 2 * nb;
    double *buf = ot_model_calloc(m, per * c->k, sizeof *buf);
    if (!buf)
        return ot_err_set(err, OT_ENOMEM, "out of memory");
    int rc = OT_OK;
    for (size_t j = 0; j < c->k && rc == OT_OK; j++) {
        double *b = buf + j * per;
        rc = c->part[j]->method->forecast(c->part[j], h, b, levels, nlevels, b + h, b + h + nb,
                                          err);
    }
    if (rc == OT_OK) {
        double v[MAXPARTS];
        for (size_t i = 0; i < h; i++) {
            for (size_t j = 0; j < c->k; j++)
                v[j] = buf[j * per + i];
            mean[i] = combine(v, c->k, c->median);
        }
        for (size_t i = 0; i < h * nlevels; i++) {
            for (size_t j = 0; j < c->k; j++)
                v[j] = buf[j * per + h + i];
            lower[i] = combine(v, c->k, c->median);
            for (size_t j = 0; j < c->k; j++)
                v[j] = buf[j * per + h + nb + i];
            upper[i] = combine(v, c->k, c->median);
        }
    }
    ot_model_free_mem(m, buf, per * c->k, sizeof *buf);
    return rc;
}

/* Paths are a mixture: path p comes from part p mod k, so the paths carry
 * both each model's uncertainty and the disagreement between the models. */
static int combo_simulate(const ot_model *m, size_t h, size_t npaths, gsl_rng *rng,
                          double *paths, ot_err *err)
{
    const combo_state *c = m->state;
    size_t most = npaths / c->k + 1;
    double *tmp = ot_model_calloc(m, most * h, sizeof *tmp);
    if (!tmp)
        return ot_err_set(err, OT_ENOMEM, "out of memory");
    int rc = OT_OK;
    for (size_t j = 0; j < c->k && rc == OT_OK; j++) {
        size_t nj = npaths / c->k + (j < npaths % c->k);
        if (nj == 0)
            continue;
        rc = c->part[j]->method->simulate(c->part[j], h, nj, rng, tmp, err);
        for (size_t q = 0; q < nj && rc == OT_OK; q++)
            memcpy(paths + (q * c->k + j) * h, tmp + q * h, h * sizeof *tmp);
    }
    ot_model_free_mem(m, tmp, most * h, sizeof *tmp);
    return rc;
}

const ot_method ot_method_combo = {"combo", fit_combo, combo_forecast, combo_simulate,
                                   combo_free, 1};
const ot_method ot_method_auto = {"auto", fit_auto, combo_forecast, combo_simulate, combo_free, 1};
