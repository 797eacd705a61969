/* projection.c — projecting targets: per series, sample paths of the year's
 * growth and total (from a model on rich data, or from the ytd and a borrowed
 * within-year shape on sparse data); per target, the metric, its quantiles,
 * the probability of passing, required pace, carry-forward and status; and
 * the thread pool of ot_project_many.  Formulas: docs/methods-projection.md. */
#include "project/projection.h"

#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "models/model.h"
#include "project/frame.h"
#include "project/shape.h"
#include "project/simulate.h"

/* How much wider a local series' rest-of-year surprises are than those of the
 * reference it borrows its shape from (§3). */
#define LOCAL_SCALE 1.5
/* Own history needed before a series' own u = r - g_k spread is used. */
#define OWN_U_YEARS 4
/* Reference history needed for a borrowed spread. */
#define REF_U_YEARS 3
/* Rule-of-thumb sd of u (points) when there is no history at all (§3). */
#define RULE_U_SD 5.0
/* Correlation assumed between two series' surprises when their common
 * history is too short to estimate it (§4). */
#define RHO_DEFAULT 0.5

static const char *const status_names[] = {"met",     "on_track", "at_risk",     "off_track",
                                           "missed",  "no_data",  "unquantified"};

const char *ot_proj_status_name(ot_proj_status s)
{
    return (unsigned)s < sizeof status_names / sizeof *status_names ? status_names[s] : "?";
}

void ot_proj_opts_init(ot_proj_opts *o)
{
    memset(o, 0, sizeof *o);
    o->paths = OT_PROJ_PATHS;
    o->seed = 1;
    o->method = OT_PROJ_METHOD_DEFAULT;
}

void ot_projection_init(ot_projection *p)
{
    memset(p, 0, sizeof *p);
    p->status = OT_STATUS_NO_DATA;
    p->point = p->lo80 = p->hi80 = p->lo95 = p->hi95 = p->prob = NAN;
    p->required = p->carry = p->outcome = p->ytd_growth = p->share = NAN;
}

/* The one place that decides the fallback (see projection.h). */
const char *ot_proj_method_resolve(const char *requested)
{
    if (!requested || strcmp(requested, "auto") == 0)
        return ot_method_find("auto") ? "auto" : OT_PROJ_METHOD_FALLBACK;
    if (strcmp(requested, OT_PROJ_METHOD_FALLBACK) == 0 || ot_method_find(requested))
        return requested;
    return NULL;
}

/* Appends a sentence to a fixed notes buffer, separated by "; ". */
static void note(char *buf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(char *buf, const char *fmt, ...)
{
    size_t len = strlen(buf);
    if (len + 3 >= OT_PROJ_NOTES_MAX)
        return;
    if (len) {
        memcpy(buf + len, "; ", 3);
        len += 2;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + len, OT_PROJ_NOTES_MAX - len, fmt, ap);
    va_end(ap);
}

/* ---- one series ------------------------------------------------------- */

enum { SP_NONE = 0, SP_OUTCOME, SP_PATHS };

typedef struct sproj {
    frame fr;
    int Y, P, k, state, stock;
    double g;          /* ytd growth % at k */
    double s;          /* last year's share of 1..k (own, else borrowed mean) */
    double ytd_k;      /* ytd level at k (flows), latest level (stocks) */
    double base;       /* last year's total (flows) or December level (stocks) */
    double outG, outL; /* outcome, when state == SP_OUTCOME (outL also when total_known) */
    int total_known;   /* the year's total is published, its growth is not */
    size_t np;
    double *G;         /* np growth paths, % */
    double *L;         /* np total / year-end level paths; NULL without levels */
    shape own;         /* the series' own shape at k (for correlations) */
    ot_alloc alloc;    /* G, L and the frames */
    char latest[OT_PERIOD_STRMAX];
    char method[OT_PROJ_METHOD_MAX];
} sproj;

static void sproj_free(sproj *sp)
{
    ot_free(&sp->alloc, sp->G, sp->np * sizeof *sp->G);
    ot_free(&sp->alloc, sp->L, sp->np * sizeof *sp->L);
    frame_free(&sp->fr);
}

/* Converts a scenario period range to the frame's periods j of year Y
 * (1-based); returns 0 when it misses the year. */
static int op_range(const ot_scen_op *op, const frame *f, int Y, int *j1, int *j2)
{
    ot_ord a = op->from.ord, b = op->to.ord;
    int pf = ot_freq_per_year(op->from.freq);
    if (pf < f->P) {
        a = ot_period_convert(op->from.freq, a, f->freq);
        b = ot_period_last_sub(op->from.freq, b, f->freq);
    } else if (pf > f->P) {
        a = ot_period_convert(op->from.freq, a, f->freq);
        b = ot_period_convert(op->from.freq, b, f->freq);
    }
    int ya = ot_period_year(f->freq, a), yb = ot_period_year(f->freq, b);
    if (ya > Y || yb < Y)
        return 0;
    *j1 = ya < Y ? 1 : ot_period_sub(f->freq, a);
    *j2 = yb > Y ? f->P : ot_period_sub(f->freq, b);
    return 1;
}

/* Applies the scenario's operations on key to the remaining periods'
 * values v[j - k - 1], j = k+1..P, of one path.  prev[j-1] is last year's
 * value of period j in the same units, unit the size of one level unit in
 * them (NaN: levels unknown, so level operations cannot apply). */
static void apply_ops(const ot_scenario *sc, const char *key, const frame *f, int Y, int k,
                      double *v, const double *prev, double unit, int *ignored)
{
    for (size_t i = 0; i < sc->n; i++) {
        const ot_scen_op *op = &sc->ops[i];
        int j1, j2;
        if (strcmp(op->key, key) != 0 || !op_range(op, f, Y, &j1, &j2))
            continue;
        if (j1 <= k)
            j1 = k + 1;
        for (int j = j1; j <= j2; j++) {
            double *x = &v[j - k - 1];
            switch (op->kind) {
            case OT_SCEN_GROWTH:
                if (!isnan(prev[j - 1]))
                    *x = prev[j - 1] * (1 + op->value / 100);
                else
                    *ignored = 1;
                break;
            case OT_SCEN_SHOCK: *x *= 1 + op->value / 100; break;
            case OT_SCEN_SHOCK_LEVEL:
                if (!isnan(unit))
                    *x += op->value * unit;
                else
                    *ignored = 1;
                break;
            case OT_SCEN_SET:
                if (!isnan(unit) && ot_freq_per_year(op->from.freq) == f->P)
                    *x = op->value * unit;
                else
                    *ignored = 1;
                break;
            }
        }
    }
}

/* The trailing run of period values ending at (y, j), January of a Jan–Feb
 * release split evenly with February.  Returns its length, at most cap;
 * stops at a missing or non-positive value (logs are taken).  When x is not
 * NULL writes the values into x[0..len), oldest first, and the ordinal of
 * x[0] into *start. */
static size_t value_run(const frame *f, int y, int j, double *x, size_t cap, ot_ord *start)
{
    size_t n = 0;
    double later = NAN; /* the value collected just before (the next period) */
    while (n < cap) {
        long i = frame_at(f, y, j);
        if (i < 0)
            break;
        double v = f->val[i];
        if (f->cov[i]) {
            if (n == 0)
                break;
            v = later / 2;
            if (x)
                x[n - 1] = v;
        } else if (isnan(v) || v <= 0) {
            break;
        }
        if (x)
            x[n] = v;
        later = v;
        n++;
        if (--j < 1) {
            j = f->P;
            y--;
        }
    }
    if (x) {
        for (size_t a = 0, b = n ? n - 1 : 0; a < b; a++, b--) {
            double tmp = x[a];
            x[a] = x[b];
            x[b] = tmp;
        }
        *start = ot_period_make(f->freq, y, j) + 1;
    }
    return n;
}

/* Rich data: a model on the series' own period values.  Simulates the
 * periods after (Y, k) and turns each path into the year's total (flows)
 * or December level (stocks), then growth over sp->base. */
static int project_rich(sproj *sp, const char *key, const char *method, size_t np,
                        const ot_scenario *sc, gsl_rng *rng, char *notes, ot_err *err)
{
    frame *f = &sp->fr;
    int Y = sp->Y, P = sp->P, k = sp->k;
    size_t cap = (size_t)(f->ny + 1) * (size_t)P, h = (size_t)(P - k);
    double *x = ot_malloc(&sp->alloc, cap * sizeof *x);
    double *paths = ot_malloc(&sp->alloc, np * h * sizeof *paths);
    int rc = OT_ENOMEM;
    if (!x || !paths) {
        ot_err_set(err, OT_ENOMEM, "out of memory");
        goto done;
    }
    ot_ord start;
    size_t n = value_run(f, k ? Y : Y - 1, k ? k : P, x, cap, &start);
    char desc[64];
    rc = sim_paths(method, x, n, f->freq, start, h, np, rng, paths, desc, sizeof desc,
                   &sp->alloc, err);
    if (rc)
        goto done;
    snprintf(sp->method, sizeof sp->method, "%s", desc);
    double prev[12];
    for (int j = 1; j <= P; j++)
        prev[j - 1] = frame_get(f, f->val, Y - 1, j);
    int ignored = 0;
    for (size_t p = 0; p < np; p++) {
        double *v = paths + p * h;
        if (sc)
            apply_ops(sc, key, f, Y, k, v, prev, 1.0, &ignored);
        double tot = k ? sp->ytd_k : 0;
        for (size_t i = 0; i < h; i++)
            tot += v[i];
        sp->L[p] = sp->stock ? v[h - 1] : tot;
        sp->G[p] = (sp->L[p] / sp->base - 1) * 100;
    }
    if (ignored)
        note(notes, "scenario growth on %s ignored where last year's value is unknown", key);
    rc = OT_OK;
done:
    ot_free(&sp->alloc, paths, np * h * sizeof *paths);
    ot_free(&sp->alloc, x, cap * sizeof *x);
    return rc;
}

/* Sparse flow or rate: G = s(1+g) + (1-s)(1+r) - 1 with r = g + u, u drawn
 * from the own or borrowed history of r - g_k (§3).  Borrowed s varies by
 * its year-to-year sd.  Scenario operations act on the remaining periods
 * weighted by their shares of last year's total. */
static int project_sparse(sproj *sp, const char *key, const frame *ref, const char *ref_key,
                          size_t np, const ot_scenario *sc, gsl_rng *rng, char *notes,
                          ot_err *err)
{
    int P = sp->P, k = sp->k, Y = sp->Y;
    shape rs;
    double s_sd = 0, u_mean = 0, u_scale = RULE_U_SD;
    int nu = 0;
    const double *cum = NULL;
    if (ref)
        shape_measure(ref, Y, k, P, &rs);
    /* the share */
    if (isnan(sp->s) && ref && rs.s_n) {
        sp->s = rs.s_mean;
        s_sd = rs.s_sd;
        note(notes, "share of periods 1-%d (%.3f) borrowed from %s, %d-%d", k, rs.s_mean,
             ref_key, rs.s_first, rs.s_last);
    } else if (isnan(sp->s)) {
        sp->s = (double)k / P;
        note(notes, "no share for periods 1-%d: taken as %d/%d", k, k, P);
    }
    if (sp->own.s_n && !isnan(sp->own.cum[P]))
        cum = sp->own.cum;
    else if (ref && rs.s_n)
        cum = rs.cum;
    /* the spread of u = r - g_k */
    const char *how;
    if (sp->own.u_n >= OWN_U_YEARS) {
        u_mean = sp->own.u_mean;
        nu = sp->own.u_n;
        u_scale = sp->own.u_sd * sqrt(1 + 1.0 / nu);
        how = "own history";
        note(notes, "rest-of-year spread from own history %d-%d", sp->own.u_first,
             sp->own.u_last);
    } else if (ref && rs.u_n >= REF_U_YEARS) {
        u_mean = rs.u_mean;
        nu = rs.u_n;
        u_scale = LOCAL_SCALE * rs.u_sd * sqrt(1 + 1.0 / nu);
        how = ref_key;
        note(notes, "shape borrowed from %s, %d-%d (spread x%.1f for a local series)", ref_key,
             rs.u_first, rs.u_last, LOCAL_SCALE);
    } else {
        how = "rule of thumb";
        note(notes, ref ? "shape reference %s has too little history: range is a rule of thumb"
                        : "no shape reference%s: range is a rule of thumb",
             ref ? ref_key : "");
    }
    snprintf(sp->method, sizeof sp->method, "ytd+shape(%.64s)", how);
    /* remaining periods' weights, in units of last year's total */
    double w[12], prev[12], v[12];
    for (int j = k + 1; j <= P; j++) {
        double c0 = cum ? cum[j - 1] : (double)(j - 1) / P, c1 = cum ? cum[j] : (double)j / P;
        double rest = cum ? 1 - cum[k] : 1 - (double)k / P;
        w[j - 1] = (c1 - c0) / (rest > 0 ? rest : 1);
    }
    double unit = sp->base > 0 ? 1 / sp->base : NAN;
    int ignored = 0;
    for (size_t p = 0; p < np; p++) {
        double s = sp->s;
        if (s_sd > 0) {
            s += s_sd * gsl_ran_gaussian_ziggurat(rng, 1.0);
            s = s < 0.02 ? 0.02 : s > 0.98 ? 0.98 : s;
        }
        double u = u_mean + u_scale * (nu > 1 ? gsl_ran_tdist(rng, nu - 1)
                                              : gsl_ran_gaussian_ziggurat(rng, 1.0));
        double r = sp->g + u;
        if (r < -99)
            r = -99;
        double G;
        if (sc && ot_scenario_touches(sc, key)) {
            double tot = s * (1 + sp->g / 100);
            for (int j = k + 1; j <= P; j++) {
                prev[j - 1] = w[j - 1] * (1 - s);
                v[j - k - 1] = prev[j - 1] * (1 + r / 100);
            }
            apply_ops(sc, key, &sp->fr, Y, k, v, prev, unit, &ignored);
            for (int j = k + 1; j <= P; j++)
                tot += v[j - k - 1];
            G = (tot - 1) * 100;
        } else {
            G = ot_pace_full_year(sp->g, s, r);
        }
        sp->G[p] = G;
        if (sp->L) {
            double base = sp->base > 0 ? sp->base : sp->ytd_k / (s * (1 + sp->g / 100));
            sp->L[p] = base * (1 + G / 100);
        }
    }
    if (ignored)
        note(notes, "scenario level operations on %s ignored: last year's total unknown", key);
    (void)err;
    return OT_OK;
}

/* Sparse stock: the log change since last December continued at its pace to
 * December, with a rule-of-thumb spread (half the projected change, plus 1%
 * a period square-root), §2. */
static void project_stock_sparse(sproj *sp, size_t np, gsl_rng *rng, char *notes)
{
    int rem = sp->P - sp->k;
    double mu = log(sp->ytd_k / sp->base) / sp->k;
    double sd = 0.5 * fabs(mu) * rem + 0.01 * sqrt(rem);
    for (size_t p = 0; p < np; p++) {
        sp->L[p] = sp->ytd_k * exp(mu * rem + sd * gsl_ran_gaussian_ziggurat(rng, 1.0));
        sp->G[p] = (sp->L[p] / sp->base - 1) * 100;
    }
    snprintf(sp->method, sizeof sp->method, "pace since December");
    note(notes, "too little history for a model: the pace since last December is carried on, "
                "range is a rule of thumb");
}

/* Monthly (or quarterly) yoy without levels: the ytd growth through the
 * latest period kk with a yoy is the yoy of each period weighted by its
 * share of last year's total, g = Σ w_j (1 + yoy_j) / Σ w_j - 1, with the
 * shares from the reference's mean cumulative shares (a NaN January before
 * a February yoy is a Jan–Feb release: both weights go to February).
 * Returns 0 when a yoy or the shares are missing. */
static int implied_ytd_growth(const frame *f, int Y, const frame *ref, int *k_out,
                              double *g_out, shape *rs)
{
    int P = f->P, kk = P;
    while (kk >= 1 && isnan(frame_get(f, f->yoy, Y, kk)))
        kk--;
    if (kk < 1 || kk == P)
        return 0;
    shape_measure(ref, Y, kk, P, rs);
    if (!rs->s_n || isnan(rs->cum[P]))
        return 0;
    double num = 0, den = 0, pending = 0;
    for (int j = 1; j <= kk; j++) {
        double w = rs->cum[j] - rs->cum[j - 1], y = frame_get(f, f->yoy, Y, j);
        if (isnan(y)) {
            if (j != 1)
                return 0;
            pending = w;
            continue;
        }
        num += (w + pending) * (1 + y / 100);
        den += w + pending;
        pending = 0;
    }
    if (!(den > 0))
        return 0;
    *g_out = (num / den - 1) * 100;
    *k_out = kk;
    return 1;
}

/* Whether (y, j) holds the last period value of the frame. */
static int values_end_at(const frame *f, int y, int j)
{
    long i = frame_at(f, y, j);
    if (i < 0 || isnan(f->val[i]))
        return 0;
    for (long t = i + 1; t < (long)f->ny * f->P; t++)
        if (!isnan(f->val[t]))
            return 0;
    return 1;
}

static int project_paths(sproj *sp, const char *key, const frame *ref, const char *rk, int rich,
                         const ot_proj_opts *o, const char *method, gsl_rng *rng, char *notes,
                         ot_err *err);

/* Projects series key for year Y into sp: reads it, decides outcome / rich /
 * sparse, and fills np paths.  SP_NONE (with a note) when nothing can be
 * said.  Errors are the source's, OT_ENOMEM, or a model's. */
static int project_series(sproj *sp, const char *key, const char *shape_key,
                          const char *shape_fallback, int Y,
                          const ot_proj_opts *o, const char *method, ot_source_fn src, void *ud,
                          int32_t cut, gsl_rng *rng, char *notes, ot_err *err)
{
    frame ref;
    int rc, has_ref = 0;
    memset(sp, 0, sizeof *sp);
    memset(&ref, 0, sizeof ref);
    sp->alloc = o->alloc && o->alloc->f ? *o->alloc : ot_alloc_std;
    sp->Y = Y;
    sp->g = sp->s = sp->ytd_k = sp->base = sp->outG = sp->outL = NAN;
    if ((rc = frame_load(&sp->fr, key, src, ud, cut, &sp->alloc, err)))
        return rc;
    frame *f = &sp->fr;
    if (f->ny == 0) {
        note(notes, "no data for %s", key);
        return OT_OK;
    }
    sp->P = f->P;
    sp->stock = f->kind == OT_KIND_STOCK;
    sp->k = frame_last_k(f, Y);
    int P = sp->P, k = sp->k;
    if (k)
        ot_period_fmt(f->freq, ot_period_make(f->freq, Y, k), sp->latest, sizeof sp->latest);
    if (sp->stock) {
        sp->base = frame_get(f, f->val, Y - 1, P);
        sp->ytd_k = frame_get(f, f->val, Y, k);
        sp->g = frame_get(f, f->gy, Y, k);
    } else {
        sp->base = frame_get(f, f->ytd, Y - 1, P);
        sp->ytd_k = frame_get(f, f->ytd, Y, k);
        sp->g = frame_get(f, f->gy, Y, k);
        double a = frame_get(f, f->ytd, Y - 1, k);
        if (a > 0 && sp->base > 0 && k < P)
            sp->s = a / sp->base;
    }
    if (k == P) {
        sp->outL = sp->ytd_k;
        sp->outG = sp->g;
        if (isnan(sp->outG) && sp->base > 0)
            sp->outG = (sp->outL / sp->base - 1) * 100;
        int k2 = P - 1;
        while (k2 >= 1 && isnan(frame_get(f, f->gy, Y, k2)))
            k2--;
        if (!isnan(sp->outG) || sp->stock || k2 < 1) {
            sp->state = SP_OUTCOME;
            snprintf(sp->method, sizeof sp->method, "outcome");
            return OT_OK;
        }
        /* the year's total is out but not its growth: a level target has its
         * outcome, growth is projected from the last period with a growth */
        sp->total_known = 1;
        note(notes, "%s: the %d total is published without its growth; growth projected from "
                    "period %d", key, Y, k2);
        sp->k = k = k2;
        ot_period_fmt(f->freq, ot_period_make(f->freq, Y, k), sp->latest, sizeof sp->latest);
        sp->ytd_k = frame_get(f, f->ytd, Y, k);
        sp->g = frame_get(f, f->gy, Y, k);
        double a = frame_get(f, f->ytd, Y - 1, k);
        sp->s = a > 0 && sp->base > 0 ? a / sp->base : NAN;
    }
    if (k)
        shape_measure(f, Y, k, P, &sp->own);
    /* rich: a run of at least three years of period values ending at (Y, k) */
    int ry = k ? Y : Y - 1, rj = k ? k : P;
    int rich = 0;
    if (P >= 4 && sp->base > 0 && (k == 0 || sp->stock || sp->ytd_k > 0) &&
        values_end_at(f, ry, rj))
        rich = value_run(f, ry, rj, NULL, (size_t)3 * P, NULL) >= (size_t)3 * P;
    char rkey[256];
    const char *rk = shape_key;
    if (!rk && o->shape && o->shape(ud, key, rkey, sizeof rkey))
        rk = rkey;
    if (!rk)
        rk = shape_fallback;
    if (!sp->stock && rk && strcmp(rk, key) != 0) {
        if ((rc = frame_load(&ref, rk, src, ud, cut, &sp->alloc, err)))
            return rc;
        has_ref = ref.ny > 0;
        if (!has_ref)
            note(notes, "shape reference %s has no data", rk);
    }
    int kk;
    double gk;
    shape rs;
    if (!rich && !sp->stock && has_ref && implied_ytd_growth(f, Y, &ref, &kk, &gk, &rs) &&
        kk > k) {
        sp->k = k = kk;
        sp->g = gk;
        sp->ytd_k = NAN;
        sp->s = NAN;
        ot_period_fmt(f->freq, ot_period_make(f->freq, Y, k), sp->latest, sizeof sp->latest);
        note(notes, "ytd growth through %s (%.2f) implied from the period yoy weighted by %s's "
                    "shares", sp->latest, gk, rk);
        shape_measure(f, Y, k, P, &sp->own);
    }
    if (!rich && (k == 0 || (sp->stock ? !(sp->ytd_k > 0) : isnan(sp->g)))) {
        int has_yoy = 0;
        for (int j = 1; j <= P; j++)
            has_yoy |= !isnan(frame_get(f, f->yoy, Y, j));
        frame_free(&ref);
        if (has_yoy)
            note(notes, "%s: only period yoy for %d, without levels or shares to weight them", key,
                 Y);
        else
            note(notes, k ? "%s: no ytd growth for %d" : "%s: no data for %d yet", key, Y);
        return OT_OK;
    }
    if (sp->stock && !rich && !(sp->base > 0)) {
        frame_free(&ref);
        note(notes, "%s: no year-end level for %d", key, Y - 1);
        return OT_OK;
    }
    rc = project_paths(sp, key, has_ref ? &ref : NULL, rk, rich, o, method, rng, notes, err);
    frame_free(&ref);
    return rc;
}

/* Allocates sp's paths and fills them by the rich model, else the sparse
 * stock rule, else the ytd and shape (with ref when not NULL). */
static int project_paths(sproj *sp, const char *key, const frame *ref, const char *rk, int rich,
                         const ot_proj_opts *o, const char *method, gsl_rng *rng, char *notes,
                         ot_err *err)
{
    int rc;
    sp->np = o->paths;
    sp->G = ot_malloc(&sp->alloc, sp->np * sizeof *sp->G);
    int levels = rich || sp->stock || sp->base > 0 || sp->ytd_k > 0;
    sp->L = levels ? ot_malloc(&sp->alloc, sp->np * sizeof *sp->L) : NULL;
    if (!sp->G || (levels && !sp->L))
        return ot_err_set(err, OT_ENOMEM, "out of memory");
    sp->state = SP_PATHS;
    if (rich) {
        rc = project_rich(sp, key, method, sp->np, o->scenario, rng, notes, err);
        if (rc == OT_EDATA) { /* too short for the chosen model: fall back on the ytd */
            note(notes, "%s: %s", key, err ? err->msg : "model failed");
            if (err)
                ot_err_clear(err);
            rich = 0;
            rc = OT_OK;
        }
        if (rc || rich)
            return rc;
    }
    if (sp->stock) {
        project_stock_sparse(sp, sp->np, rng, notes);
        return OT_OK;
    }
    return project_sparse(sp, key, ref, rk, sp->np, o->scenario, rng, notes, err);
}

/* ---- one target ------------------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The k-th smallest of a[0..n) (0-based) by quickselect (Hoare 1961, with
 * median-of-three pivots); reorders a so that a[k] holds it, smaller values
 * before, larger after. */
static double select_k(double *a, size_t n, size_t k)
{
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a[mid] < a[lo]) { double t = a[mid]; a[mid] = a[lo]; a[lo] = t; }
        if (a[hi] < a[lo]) { double t = a[hi]; a[hi] = a[lo]; a[lo] = t; }
        if (a[hi] < a[mid]) { double t = a[hi]; a[hi] = a[mid]; a[mid] = t; }
        double pivot = a[mid];
        size_t i = lo, j = hi;
        while (i <= j) {
            while (a[i] < pivot)
                i++;
            while (a[j] > pivot)
                j--;
            if (i <= j) {
                double t = a[i];
                a[i] = a[j];
                a[j] = t;
                i++;
                if (j == 0)
                    break;
                j--;
            }
        }
        if (k <= j)
            hi = j;
        else if (k >= i)
            lo = i;
        else
            break;
    }
    return a[k];
}

/* The q-quantile of a[0..n) as R's type 7 (Hyndman & Fan 1996): linear
 * between the order statistics at floor(h) and floor(h)+1, h = (n-1) q.
 * Reorders a; linear time, which sorting 10,000 paths per target is not. */
static double quantile(double *a, size_t n, double q)
{
    double h = (double)(n - 1) * q;
    size_t lo = (size_t)h;
    double x = select_k(a, n, lo);
    if (lo + 1 >= n || h == (double)lo)
        return x;
    double y = a[lo + 1];
    for (size_t i = lo + 2; i < n; i++)
        if (a[i] < y)
            y = a[i];
    return x + (h - (double)lo) * (y - x);
}

/* Reorders b so that its ranks follow a's through a Gaussian copula with
 * correlation rho (Iman & Conover 1982): each series keeps its own marginal
 * paths, the pair gets rank correlation about rho. */
static int correlate(double *a, double *b, size_t n, double rho, gsl_rng *rng,
                     const ot_alloc *al, ot_err *err)
{
    size_t nd = n * sizeof(double), ni = n * sizeof(size_t);
    double *za = ot_malloc(al, nd), *zb = ot_malloc(al, nd);
    size_t *ia = ot_malloc(al, ni), *ib = ot_malloc(al, ni);
    double *sa = ot_malloc(al, nd), *sb = ot_malloc(al, nd);
    int rc = OT_OK;
    if (!za || !zb || !ia || !ib || !sa || !sb) {
        rc = ot_err_set(err, OT_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        double z1 = gsl_ran_gaussian_ziggurat(rng, 1.0), z2 = gsl_ran_gaussian_ziggurat(rng, 1.0);
        za[i] = z1;
        zb[i] = rho * z1 + sqrt(1 - rho * rho) * z2;
    }
    gsl_sort_index(ia, za, 1, n);
    gsl_sort_index(ib, zb, 1, n);
    memcpy(sa, a, n * sizeof *sa);
    memcpy(sb, b, n * sizeof *sb);
    qsort(sa, n, sizeof *sa, cmp_double);
    qsort(sb, n, sizeof *sb, cmp_double);
    for (size_t r = 0; r < n; r++) {
        a[ia[r]] = sa[r];
        b[ib[r]] = sb[r];
    }
done:
    ot_free(al, sb, nd);
    ot_free(al, sa, nd);
    ot_free(al, ib, ni);
    ot_free(al, ia, ni);
    ot_free(al, zb, nd);
    ot_free(al, za, nd);
    return rc;
}

/* Correlation of two series' u = r - g_k over their common years; NaN when
 * fewer than four. */
static double u_corr(const shape *a, const shape *b)
{
    double x[SHAPE_U_YEARS], y[SHAPE_U_YEARS];
    size_t n = 0;
    for (int i = 0; i < a->u_n; i++)
        for (int j = 0; j < b->u_n; j++)
            if (a->u_year[i] == b->u_year[j]) {
                x[n] = a->u[i];
                y[n++] = b->u[j];
            }
    return n >= 4 ? gsl_stats_correlation(x, 1, y, 1, n) : NAN;
}

/* A 64-bit mix (splitmix64, Steele et al. 2014) for per-target seeds. */
static uint64_t mix64(uint64_t z)
{
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t hash_str(uint64_t h, const char *s)
{
    for (; s && *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ULL; /* FNV-1a */
    return h;
}

/* The target's seed: the run's seed mixed with what the target is, so a
 * target draws the same numbers alone, in any batch, on any thread, and
 * under every scenario (common random numbers across scenarios). */
static unsigned long target_seed(const ot_target *t, unsigned long seed)
{
    uint64_t h = hash_str(0xcbf29ce484222325ULL, t->series);
    h = hash_str(h ^ 0x2f, t->ref);
    h = mix64(h ^ (uint64_t)t->year ^ ((uint64_t)t->kind << 32));
    return (unsigned long)mix64(h ^ mix64(seed ? seed : 1));
}

/* Whether the target passes for metric x (in_step and decline have their own
 * tests; everything else is ot_target_test). */
static int passes(const ot_target *t, double x)
{
    if (isnan(x))
        return 0;
    if (t->kind == OT_TARGET_IN_STEP)
        return fabs(x) <= t->tolerance;
    if (t->kind == OT_TARGET_DECLINE)
        return x > 0 && (isnan(t->value) || x >= t->value);
    return ot_target_test(t, x);
}

static int quantified(const ot_target *t)
{
    if (t->kind == OT_TARGET_UNQUANTIFIED || t->op == OT_OP_NONE)
        return 0;
    if (t->kind == OT_TARGET_IN_STEP)
        return !isnan(t->tolerance);
    if (t->kind == OT_TARGET_DECLINE)
        return 1;
    return !isnan(t->value);
}

static int uses_level(ot_target_kind k)
{
    return k == OT_TARGET_LEVEL || k == OT_TARGET_COUNT || k == OT_TARGET_DAILY_AVG ||
           k == OT_TARGET_DECLINE;
}

/* The metric for growth G and level L of the series (and ref growth Gr). */
static double metric(const ot_target *t, const sproj *sp, double G, double L, double Gr)
{
    switch (t->kind) {
    case OT_TARGET_GROWTH: return G;
    case OT_TARGET_LEVEL:
    case OT_TARGET_COUNT: return L;
    case OT_TARGET_DAILY_AVG: return L / ot_days_in_year(t->year);
    case OT_TARGET_RELATIVE:
    case OT_TARGET_IN_STEP: return G - Gr;
    case OT_TARGET_DECLINE: return sp->base - L;
    default: return NAN;
    }
}

/* The growth % of the series that makes the target pass exactly, or NaN. */
static double target_growth(const ot_target *t, const sproj *sp, double gr_point)
{
    double T = NAN;
    switch (t->kind) {
    case OT_TARGET_GROWTH: return t->value;
    case OT_TARGET_LEVEL:
    case OT_TARGET_COUNT: T = t->value; break;
    case OT_TARGET_DAILY_AVG: T = t->value * ot_days_in_year(t->year); break;
    case OT_TARGET_RELATIVE: return gr_point + t->value;
    case OT_TARGET_IN_STEP: return gr_point;
    case OT_TARGET_DECLINE: T = sp->base - (isnan(t->value) ? 0 : t->value); break;
    default: return NAN;
    }
    double base = sp->base;
    if (!(base > 0) && sp->ytd_k > 0 && sp->s > 0 && !isnan(sp->g))
        base = sp->ytd_k / (sp->s * (1 + sp->g / 100));
    return base > 0 ? (T / base - 1) * 100 : NAN;
}

static int project_one(const ot_target *t, ot_source_fn src, void *ud, const ot_proj_opts *o,
                       const char *method, int32_t cut, ot_projection *out, ot_err *err)
{
    ot_projection p;
    sproj a, b;
    gsl_rng *rng = NULL;
    double *m = NULL;
    size_t np = 0;
    int rc = OT_OK, two = t->kind == OT_TARGET_RELATIVE || t->kind == OT_TARGET_IN_STEP;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    ot_projection_init(&p);
    if (!quantified(t)) {
        p.status = OT_STATUS_UNQUANTIFIED;
        goto finish;
    }
    if (!(rng = gsl_rng_alloc(gsl_rng_mt19937))) {
        rc = ot_err_set(err, OT_ENOMEM, "out of memory");
        goto done;
    }
    gsl_rng_set(rng, target_seed(t, o->seed));
    if ((rc = project_series(&a, t->series, t->shape, NULL, t->year, o, method, src, ud, cut,
                             rng, p.notes, err)))
        goto done;
    if (two) {
        /* ref's shape: its own metadata, else the one the target names */
        char nb[OT_PROJ_NOTES_MAX] = "";
        if ((rc = project_series(&b, t->ref, NULL, t->shape, t->year, o, method, src, ud, cut,
                                 rng, nb, err)))
            goto done;
        if (*nb)
            note(p.notes, "%s: %s", t->ref, nb);
    }
    if (uses_level(t->kind) && a.total_known)
        a.state = SP_OUTCOME; /* the total is the outcome */
    snprintf(p.latest, sizeof p.latest, "%s", a.latest);
    snprintf(p.method, sizeof p.method, "%s", a.method);
    p.periods_done = a.k;
    p.periods_left = a.P - a.k;
    p.ytd_growth = a.g;
    p.share = a.s;
    if (a.state == SP_NONE || (two && b.state == SP_NONE))
        goto finish;
    if (uses_level(t->kind) && a.state == SP_PATHS && !a.L) {
        note(p.notes, "%s: no levels, only growth rates: a %s target cannot be projected",
             t->series, ot_target_kind_name(t->kind));
        goto finish;
    }
    if (uses_level(t->kind) && a.state == SP_OUTCOME && isnan(a.outL)) {
        note(p.notes, "%s: no level for %d", t->series, t->year);
        goto finish;
    }
    if (!uses_level(t->kind) && ((a.state == SP_OUTCOME && isnan(a.outG)) ||
                                 (two && b.state == SP_OUTCOME && isnan(b.outG)))) {
        note(p.notes, "%s: the %d figure is published without its growth",
             isnan(a.outG) && a.state == SP_OUTCOME ? t->series : t->ref, t->year);
        goto finish;
    }
    /* carry-forward */
    double gr_carry = two ? b.g : 0;
    if (!uses_level(t->kind))
        p.carry = a.g - gr_carry;
    else if (a.stock)
        p.carry = metric(t, &a, NAN, a.ytd_k, NAN);
    else if (a.s > 0 && a.ytd_k > 0)
        p.carry = metric(t, &a, NAN, a.ytd_k / a.s, NAN);
    /* outcome known */
    if (a.state == SP_OUTCOME && (!two || b.state == SP_OUTCOME)) {
        p.outcome = metric(t, &a, a.outG, a.outL, two ? b.outG : 0);
        if (isnan(p.outcome)) {
            note(p.notes, "%s: the %d outcome cannot be computed (last year's figure missing)",
                 t->series, t->year);
            goto finish;
        }
        p.has_outcome = 1;
        p.point = p.lo80 = p.hi80 = p.lo95 = p.hi95 = p.outcome;
        int ok = passes(t, p.outcome);
        p.prob = ok;
        p.status = ok ? OT_STATUS_MET : OT_STATUS_MISSED;
        snprintf(p.method, sizeof p.method, "outcome");
        goto finish;
    }
    np = a.state == SP_PATHS ? a.np : b.np;
    /* a series whose year is complete contributes its outcome to every path */
    sproj *fix[2] = {&a, &b};
    for (int i = 0; i < 1 + two; i++) {
        sproj *sp = fix[i];
        if (sp->state != SP_OUTCOME)
            continue;
        sp->np = np;
        sp->G = ot_malloc(&sp->alloc, np * sizeof *sp->G);
        sp->L = ot_malloc(&sp->alloc, np * sizeof *sp->L);
        if (!sp->G || !sp->L) {
            rc = ot_err_set(err, OT_ENOMEM, "out of memory");
            goto done;
        }
        for (size_t q = 0; q < np; q++) {
            sp->G[q] = sp->outG;
            sp->L[q] = sp->outL;
        }
    }
    if (two && a.state == SP_PATHS && b.state == SP_PATHS) {
        double rho = u_corr(&a.own, &b.own);
        if (isnan(rho)) {
            rho = RHO_DEFAULT;
            note(p.notes, "correlation of %s and %s assumed %.1f (too little common history)",
                 t->series, t->ref, rho);
        } else {
            note(p.notes, "correlation of %s and %s %.2f from their history", t->series, t->ref,
                 rho);
        }
        if ((rc = correlate(a.G, b.G, np, rho, rng, &a.alloc, err)))
            goto done;
    }
    if (!(m = ot_malloc(&a.alloc, np * sizeof *m))) {
        rc = ot_err_set(err, OT_ENOMEM, "out of memory");
        goto done;
    }
    size_t pass = 0;
    for (size_t q = 0; q < np; q++) {
        m[q] = metric(t, &a, a.G[q], a.L ? a.L[q] : NAN, two ? b.G[q] : 0);
        pass += (size_t)passes(t, m[q]);
    }
    p.prob = (double)pass / (double)np;
    p.paths = np;
    double gr_point = NAN;
    if (two) {
        gr_point = quantile(b.G, np, 0.5);
    }
    p.point = quantile(m, np, 0.5);
    p.lo80 = quantile(m, np, 0.10);
    p.hi80 = quantile(m, np, 0.90);
    p.lo95 = quantile(m, np, 0.025);
    p.hi95 = quantile(m, np, 0.975);
    if (a.state == SP_PATHS) {
        double T = target_growth(t, &a, gr_point);
        if (a.stock)
            p.required = a.ytd_k > 0 && !isnan(T) ? ((a.base * (1 + T / 100)) / a.ytd_k - 1) * 100
                                                  : NAN;
        else
            p.required = ot_pace_required(T, a.g, a.k ? a.s : 0);
    }
    /* status */
    int flow_total = !a.stock && (t->kind == OT_TARGET_LEVEL || t->kind == OT_TARGET_COUNT ||
                                  t->kind == OT_TARGET_DAILY_AVG);
    double so_far = flow_total && a.ytd_k > 0 ? metric(t, &a, NAN, a.ytd_k, NAN) : NAN;
    if (flow_total && (t->op == OT_OP_GE || t->op == OT_OP_GT) && passes(t, so_far))
        p.status = OT_STATUS_MET; /* the ytd alone passes; later periods only add */
    else if (flow_total && (t->op == OT_OP_LE || t->op == OT_OP_LT) && !passes(t, so_far) &&
             !isnan(so_far))
        p.status = OT_STATUS_MISSED;
    else if (p.prob >= OT_PROJ_ON_TRACK)
        p.status = OT_STATUS_ON_TRACK;
    else if (p.prob >= OT_PROJ_AT_RISK)
        p.status = OT_STATUS_AT_RISK;
    else
        p.status = OT_STATUS_OFF_TRACK;
finish:
    *out = p;
done:
    ot_free(&a.alloc, m, np * sizeof *m);
    sproj_free(&b);
    sproj_free(&a);
    gsl_rng_free(rng);
    return rc;
}

/* Validates the target and options shared by one and many; *cut and
 * *method are what the projection uses. */
static int prepare(const ot_target *t, const ot_proj_opts *o, int32_t *cut, const char **method,
                   ot_err *err)
{
    if (!t)
        return ot_err_set(err, OT_EINVAL, "no target");
    if (t->kind != OT_TARGET_UNQUANTIFIED && (!t->series || !*t->series))
        return ot_err_set(err, OT_EINVAL, "target has no series");
    if (t->year < 1900 || t->year > 9999)
        return ot_err_set(err, OT_EINVAL, "target %s: year %d out of range 1900..9999",
                          t->series ? t->series : "", t->year);
    if ((t->kind == OT_TARGET_RELATIVE || t->kind == OT_TARGET_IN_STEP) && (!t->ref || !*t->ref))
        return ot_err_set(err, OT_EINVAL, "target %s: a %s target needs ref", t->series,
                          ot_target_kind_name(t->kind));
    if (o->paths > OT_PROJ_PATHS_MAX)
        return ot_err_set(err, OT_EINVAL, "paths %zu out of range 1..%d", o->paths,
                          OT_PROJ_PATHS_MAX);
    *cut = INT32_MAX;
    if (o->as_of_period) {
        ot_period per;
        ot_err e;
        if (ot_period_parse(o->as_of_period, (size_t)-1, &per, &e))
            return ot_err_set(err, OT_EINVAL, "bad as_of period '%s'", o->as_of_period);
        *cut = ot_period_last_day(per.freq, per.ord);
    }
    if (!(*method = ot_proj_method_resolve(o->method)))
        return ot_err_set(err, OT_EINVAL, "unknown method '%s' (known: %s, %s)", o->method,
                          OT_PROJ_METHOD_FALLBACK, ot_method_names());
    return OT_OK;
}

/* Options with defaults filled in. */
static ot_proj_opts effective(const ot_proj_opts *o)
{
    ot_proj_opts e;
    ot_proj_opts_init(&e);
    if (o) {
        e = *o;
        if (!e.paths)
            e.paths = OT_PROJ_PATHS;
        if (!e.seed)
            e.seed = 1;
    }
    return e;
}

int ot_project_target(const ot_target *t, ot_source_fn src, void *ud, const ot_proj_opts *o,
                      ot_projection *out, ot_err *err)
{
    ot_proj_opts e = effective(o);
    int32_t cut;
    const char *method;
    if (!src)
        return ot_err_set(err, OT_EINVAL, "no data source");
    int rc = prepare(t, &e, &cut, &method, err);
    return rc ? rc : project_one(t, src, ud, &e, method, cut, out, err);
}

/* ---- many targets on a pool ------------------------------------------ */

typedef struct pool {
    const ot_target *t;
    size_t n, next;
    ot_source_fn src;
    void *ud;
    const ot_proj_opts *o;
    const char *method;
    int32_t cut;
    ot_projection *out;
    pthread_mutex_t mu;
    size_t fail_at; /* lowest failing index, n when none */
    ot_err err;
} pool;

static void *worker(void *arg)
{
    pool *pl = arg;
    for (;;) {
        pthread_mutex_lock(&pl->mu);
        size_t i = pl->next < pl->fail_at ? pl->next++ : pl->n;
        pthread_mutex_unlock(&pl->mu);
        if (i >= pl->n)
            return NULL;
        ot_err e;
        ot_err_clear(&e);
        const ot_target *t = &pl->t[i];
        int32_t cut;
        const char *method;
        int rc = prepare(t, pl->o, &cut, &method, &e);
        if (rc == OT_OK)
            rc = project_one(t, pl->src, pl->ud, pl->o, method, cut, &pl->out[i], &e);
        if (rc) {
            pthread_mutex_lock(&pl->mu);
            if (i < pl->fail_at) {
                pl->fail_at = i;
                ot_err_set(&pl->err, rc, "target %zu (%s %d): %s", i + 1,
                           t->series ? t->series : "?", t->year, e.msg);
            }
            pthread_mutex_unlock(&pl->mu);
        }
    }
}

int ot_project_many(const ot_target *t, size_t n, ot_source_fn src, void *ud,
                    const ot_proj_opts *o, ot_projection *out, ot_err *err)
{
    ot_proj_opts e = effective(o);
    if (!src)
        return ot_err_set(err, OT_EINVAL, "no data source");
    if (n == 0)
        return OT_OK;
    if (!t || !out)
        return ot_err_set(err, OT_EINVAL, "no targets");
    pool pl = {.t = t, .n = n, .src = src, .ud = ud, .o = &e, .out = out, .fail_at = n};
    ot_err_clear(&pl.err);
    long nth = e.threads > 0 ? e.threads : sysconf(_SC_NPROCESSORS_ONLN);
    if (nth < 1)
        nth = 1;
    if (nth > 8 && e.threads <= 0)
        nth = 8;
    if ((size_t)nth > n)
        nth = (long)n;
    pthread_t th[64];
    if (nth > 64)
        nth = 64;
    if (pthread_mutex_init(&pl.mu, NULL))
        return ot_err_set(err, OT_ENOMEM, "cannot create a mutex");
    long started = 0;
    for (long i = 1; i < nth; i++, started++)
        if (pthread_create(&th[i], NULL, worker, &pl))
            break;
    worker(&pl); /* the calling thread works too */
    for (long i = 1; i <= started; i++)
        pthread_join(th[i], NULL);
    pthread_mutex_destroy(&pl.mu);
    if (pl.fail_at < n) {
        if (err)
            *err = pl.err;
        return pl.err.code;
    }
    return OT_OK;
}
