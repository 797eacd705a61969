/* sproj.c — one series projected for a year: read it, decide whether the
 * year is over, and fill sample paths of its full-year growth and total —
 * by default from its record (record.c: the chosen candidates' point and the
 * record's errors) or its shape reference's record, else from a model of
 * its values (rich data) or its ytd and a shape (sparse)
 * (docs/methods-projection.md §2, §3, §5, §9-§12). */
#include "project/sproj.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "project/record.h"
#include "project/simulate.h"

/* How much wider a local series' rest-of-year surprises are than those of the
 * reference it borrows its shape from (§3). */
#define LOCAL_SCALE 1.5
/* Own history needed before a series' own u = r - g_k spread is used. */
#define OWN_U_YEARS 4
/* Reference history needed for a borrowed spread. */
#define REF_U_YEARS 3
/* A borrowed record's scale is measured on the ytd growth of the target
 * year and this many before it, from at least BORROW_PAIRS changes; when it
 * cannot be, BORROW_SCALE: the median of the scales measured so on the
 * bundled local series against their references (11 pairs of series, 0.7 to
 * 23, median 2.0) (§12). */
#define BORROW_YEARS 3
#define BORROW_PAIRS 2
#define BORROW_SCALE 2.0
/* Beyond this scale the reference's record says little about the series:
 * the rules of §3 instead. */
#define BORROW_SCALE_MAX 5.0
/* Rule-of-thumb sd of u (points) when there is no history at all (§3). */
#define RULE_U_SD 5.0
/* Years of period values a series needs for a level model's paths (§2). */
#define RICH_YEARS 3

void sproj_free(sproj *sp)
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

/* Why scenario operations were skipped (bits of *ignored). */
enum { IGN_PREV = 1, IGN_LEVEL = 2, IGN_FREQ = 4, IGN_PUBLISHED = 8 };

/* Applies the scenario's operations on key to the remaining periods'
 * values v[j - k - 1], j = k+1..P, of one path.  prev[j-1] is last year's
 * value of period j in the same units, unit the size of one level unit in
 * them (NaN: levels unknown, so level operations cannot apply).  Sets
 * IGN_* bits in *ignored for operations it could not apply. */
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
        if (j1 > j2) {
            *ignored |= IGN_PUBLISHED; /* every period of it is in the data */
            continue;
        }
        for (int j = j1; j <= j2; j++) {
            double *x = &v[j - k - 1];
            switch (op->kind) {
            case OT_SCEN_GROWTH:
                if (!isnan(prev[j - 1]))
                    *x = prev[j - 1] * (1 + op->value / 100);
                else
                    *ignored |= IGN_PREV;
                break;
            case OT_SCEN_SHOCK: *x *= 1 + op->value / 100; break;
            case OT_SCEN_SHOCK_LEVEL:
                if (!isnan(unit))
                    *x += op->value * unit;
                else
                    *ignored |= IGN_LEVEL;
                break;
            case OT_SCEN_SET:
                if (ot_freq_per_year(op->from.freq) != f->P)
                    *ignored |= IGN_FREQ;
                else if (!isnan(unit))
                    *x = op->value * unit;
                else
                    *ignored |= IGN_LEVEL;
                break;
            }
        }
    }
}

/* The period the data reach, (Y, k), as text: 2023-01/02 when it is a
 * January–February release (January covered), as the store writes it. */
static void fmt_latest(const frame *f, int Y, int k, char *buf, size_t cap)
{
    ot_period p = {f->freq, ot_period_make(f->freq, Y, k), 1};
    long jan = frame_at(f, Y, 1);
    if (f->freq == OT_FREQ_M && k == 2 && jan >= 0 && f->cov[jan])
        p.span = 2;
    ot_period_format(p, buf, cap);
}

/* Says which scenario operations on key could not be applied, and why. */
static void note_ignored(ot_proj_facts *notes, const char *key, int ignored)
{
    if (ignored & IGN_PREV)
        ot_fact_add(notes, OT_N_SC_GROWTH, "k", key);
    if (ignored & IGN_LEVEL)
        ot_fact_add(notes, OT_N_SC_AMOUNT, "k", key);
    if (ignored & IGN_FREQ)
        ot_fact_add(notes, OT_N_SC_FREQ, "k", key);
    if (ignored & IGN_PUBLISHED)
        ot_fact_add(notes, OT_N_SC_PUBLISHED, "k", key);
}

/* The trailing run of period values ending at (y, j), January of a Jan–Feb
 * release split evenly with February.  Returns its length, at most cap;
 * stops at a missing or non-positive value (logs are taken).  When x is not
 * NULL writes the values into x[0..len), oldest first, and the ordinal of
 * x[0] into *start. */
size_t sproj_value_run(const frame *f, int y, int j, double *x, size_t cap, ot_ord *start)
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

/* Rich data: a model on the series' own period values, with its own or
 * calibrated intervals (OT_PI_MODEL, OT_PI_CV).  Simulates the periods
 * after (Y, k) and turns each path into the year's total (flows) or
 * December level (stocks), then growth over sp->base. */
static int project_rich(sproj *sp, const char *key, const char *method, int intervals,
                        size_t np, const ot_scenario *sc, gsl_rng *rng, ot_proj_facts *notes, ot_err *err)
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
    size_t n = sproj_value_run(f, k ? Y : Y - 1, k ? k : P, x, cap, &start);
    rc = sim_paths(method, intervals, x, n, f->freq, start, h, np, rng, paths, &sp->method,
                   &sp->alloc, err);
    if (rc)
        goto done;
    double prev[12];
    for (int j = 1; j <= P; j++)
        prev[j - 1] = frame_get(f, f->val, Y - 1, j);
    /* Growth on the published basis: bureaus compute growth against revised
     * figures for last year, so a published ytd growth can differ from the
     * ratio of the levels.  The year's growth keeps the published ytd's
     * basis: (1 + G) = (L / base) (1 + g_published) / (1 + g_levels). */
    double basis = 1;
    double prev_k = frame_get(f, f->ytd, Y - 1, k);
    if (!sp->stock && k && prev_k > 0 && sp->ytd_k > 0 && !isnan(sp->g)) {
        double g_lev = (sp->ytd_k / prev_k - 1) * 100;
        basis = (1 + sp->g / 100) / (1 + g_lev / 100);
        if (fabs(g_lev - sp->g) >= 0.05) /* more than rounding to 0.1 */
            ot_fact_add(notes, OT_N_BASIS, "kdd", key, sp->g, g_lev);
    }
    int ignored = 0;
    for (size_t p = 0; p < np; p++) {
        double *v = paths + p * h;
        if (sc)
            apply_ops(sc, key, f, Y, k, v, prev, 1.0, &ignored);
        double tot = k ? sp->ytd_k : 0;
        for (size_t i = 0; i < h; i++)
            tot += v[i];
        sp->L[p] = sp->stock ? v[h - 1] : tot;
        sp->G[p] = (sp->L[p] / sp->base * basis - 1) * 100;
    }
    note_ignored(notes, key, ignored);
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
static void project_sparse(sproj *sp, const char *key, const frame *ref, const char *ref_key,
                           size_t np, const ot_scenario *sc, gsl_rng *rng, ot_proj_facts *notes)
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
        ot_fact_add(notes, OT_N_SHARE_BORROWED, "idkii", k, rs.s_mean, ref_key, rs.s_first,
                    rs.s_last);
    } else if (isnan(sp->s)) {
        sp->s = (double)k / P;
        ot_fact_add(notes, OT_N_SHARE_ASSUMED, "ii", k, P);
    }
    if (sp->own.s_n && !isnan(sp->own.cum[P]))
        cum = sp->own.cum;
    else if (ref && rs.s_n)
        cum = rs.cum;
    /* the spread of u = r - g_k */
    int how;
    if (sp->own.u_n >= OWN_U_YEARS) {
        u_mean = sp->own.u_mean;
        nu = sp->own.u_n;
        u_scale = sp->own.u_sd * sqrt(1 + 1.0 / nu);
        how = 1;
        ot_fact_add(notes, OT_N_SPREAD_OWN, "ii", sp->own.u_first, sp->own.u_last);
    } else if (ref && rs.u_n >= REF_U_YEARS) {
        u_mean = rs.u_mean;
        nu = rs.u_n;
        u_scale = LOCAL_SCALE * rs.u_sd * sqrt(1 + 1.0 / nu);
        how = 0;
        ot_fact_add(notes, OT_N_SHAPE_BORROWED, "kiid", ref_key, rs.u_first, rs.u_last,
                    LOCAL_SCALE);
    } else {
        how = 2;
        if (ref)
            ot_fact_add(notes, OT_N_SHAPE_SHORT, "k", ref_key);
        else
            ot_fact_add(notes, OT_N_SHAPE_NONE, "");
    }
    ot_fact_set(&sp->method, OT_M_SHAPE, "ik", how, how == 0 ? ref_key : "");
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
    note_ignored(notes, key, ignored);
}

/* Sparse stock: the log change since last December continued at its pace to
 * December, with a rule-of-thumb spread (half the projected change, plus 1%
 * a period square-root), §2. */
static void project_stock_sparse(sproj *sp, size_t np, gsl_rng *rng, ot_proj_facts *notes)
{
    int rem = sp->P - sp->k;
    double mu = log(sp->ytd_k / sp->base) / sp->k;
    double sd = 0.5 * fabs(mu) * rem + 0.01 * sqrt(rem);
    for (size_t p = 0; p < np; p++) {
        sp->L[p] = sp->ytd_k * exp(mu * rem + sd * gsl_ran_gaussian_ziggurat(rng, 1.0));
        sp->G[p] = (sp->L[p] / sp->base - 1) * 100;
    }
    ot_fact_set(&sp->method, OT_M_PACE, "");
    ot_fact_add(notes, OT_N_STOCK_PACE, "");
}

/* A stock known by its yoy alone (M2 as the central bank publishes it) and
 * without a record to range it: the latest yoy g carried to the year end
 * as a random walk, G = g + s sqrt(P - k) z, s the root mean square of the
 * changes of its yoy from one period to the next through (Y, k) (§2);
 * December's level, where sp->L is kept (last December's level known), is
 * that level grown by G.  Returns 0 when no such change is known. */
static int project_stock_yoy(sproj *sp, size_t np, gsl_rng *rng, ot_proj_facts *notes)
{
    const frame *f = &sp->fr;
    double ss = 0;
    int n = 0;
    for (int y = f->y0; y <= sp->Y; y++)
        for (int j = 1; j <= f->P && (y < sp->Y || j <= sp->k); j++) {
            double a = frame_get(f, f->yoy, y, j);
            double b = j > 1 ? frame_get(f, f->yoy, y, j - 1) : frame_get(f, f->yoy, y - 1, f->P);
            if (!isnan(a) && !isnan(b)) {
                ss += (a - b) * (a - b);
                n++;
            }
        }
    if (!n)
        return 0;
    double s = sqrt(ss / n), sd = s * sqrt(sp->P - sp->k);
    for (size_t p = 0; p < np; p++) {
        sp->G[p] = sp->g + sd * gsl_ran_gaussian_ziggurat(rng, 1.0);
        if (sp->L) /* last December's level known: December's is it grown by G */
            sp->L[p] = sp->base * (1 + sp->G[p] / 100);
    }
    ot_fact_set(&sp->method, OT_M_YOY_WALK, "");
    ot_fact_add(notes, OT_N_STOCK_YOY_WALK, "id", n, s);
    return 1;
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
                         const ot_proj_opts *o, const char *method, gsl_rng *rng, ot_proj_facts *notes,
                         ot_err *err);

/* A flow (or the growth rate of one) with period yoy and nothing else: no
 * levels, no ytd growth. */
static int rate_only(const frame *f)
{
    int yoy = 0;
    if (f->kind == OT_KIND_STOCK)
        return 0;
    for (size_t i = 0; i < f->cells; i++) {
        if (!isnan(f->val[i]) || !isnan(f->ytd[i]) || !isnan(f->gy[i]))
            return 0;
        yoy |= !isnan(f->yoy[i]);
    }
    return yoy;
}

/* Whether the options ask for the choice by record (§6), and which single
 * candidate when one is named (-1: choose). */
static int record_mode(const ot_proj_opts *o, int *only)
{
    const char *m = o->method;
    if (o->intervals != OT_PI_MODEL)
        return 0;
    if (!m || strcmp(m, OT_PROJ_METHOD_DEFAULT) == 0)
        *only = -1;
    else if (strcmp(m, OT_PROJ_METHOD_CARRY) == 0)
        *only = CAND_CARRY;
    else if (strcmp(m, OT_PROJ_METHOD_RATE) == 0)
        *only = CAND_RATE;
    else
        return 0;
    return 1;
}

/* The shift of the full-year growth a scenario makes on a flow projected at
 * `point`: the rest of the year at the growth r the point implies, period by
 * period in units of last year's total (weights as the rate method's),
 * through apply_ops; the paths move by the difference. */
static double scenario_shift(sproj *sp, const char *key, const frame *ref, const ot_scenario *sc,
                             double point, ot_proj_facts *notes)
{
    int P = sp->P, k = sp->k, ignored = 0;
    double c[SHAPE_MAXP + 1], prev[12] = {0}, v[12] = {0}; /* read from k on only */
    rec_weights(&sp->fr, ref, sp->Y, c);
    double s = c[k];
    if (!(s < 1))
        return 0;
    double r = ((1 + point / 100) - s * (1 + sp->g / 100)) / (1 - s) - 1;
    for (int j = k + 1; j <= P; j++) {
        prev[j - 1] = c[j] - c[j - 1];
        v[j - k - 1] = prev[j - 1] * (1 + r);
    }
    apply_ops(sc, key, &sp->fr, sp->Y, k, v, prev, sp->base > 0 ? 1 / sp->base : NAN, &ignored);
    double tot = s * (1 + sp->g / 100);
    for (int j = k + 1; j <= P; j++)
        tot += v[j - k - 1];
    note_ignored(notes, key, ignored);
    return (tot - 1) * 100 - point;
}

static int fill_from_errors(sproj *sp, const char *key, const frame *ref, const ot_proj_opts *o,
                            double point, const double *err, int m, int years, double scale,
                            int borrowed, gsl_rng *rng, ot_proj_facts *notes, ot_err *oerr);

/* Last year's share of periods 1..k when the series has none of its own:
 * the rate method's weights (the reference's shares, else equal), so the
 * required pace can be stated.  Those weights need the reference's share
 * of every period; a reference that publishes no January (FAI's first
 * figure is January–February as "2023-02") has none at period 1, so its
 * mean share at k over its last complete years (§3, as the sparse path
 * borrows it) comes before the equal weights. */
static void record_share(sproj *sp, const frame *ref, const char *rk, ot_proj_facts *notes)
{
    double c[SHAPE_MAXP + 1];
    if (!isnan(sp->s) || sp->stock || sp->k >= sp->P)
        return;
    int how = rec_weights(&sp->fr, ref, sp->Y, c);
    sp->s = c[sp->k];
    if (how != 0)
        return;
    shape rs;
    if (ref)
        shape_measure(ref, sp->Y, sp->k, sp->P, &rs);
    if (ref && rs.s_n) {
        sp->s = rs.s_mean;
        ot_fact_add(notes, OT_N_SHARE_BORROWED, "idkii", sp->k, rs.s_mean, rk, rs.s_first,
                    rs.s_last);
    } else {
        ot_fact_add(notes, OT_N_SHARE_ASSUMED, "ii", sp->k, sp->P);
    }
}

/* Paths from the record (§6, §7): the chosen combination's point plus the
 * record's pooled errors, centred on their median, each drawn at random and
 * smoothed by a Gaussian kernel of Silverman's bandwidth
 * 0.9 min(sd, IQR/1.34) m^(-1/5) (Williams & Goodman 1971 empirical limits;
 * the kernel fills the gaps between few errors).  *done = 0 when the record
 * is too short (the caller falls back on §2-§3). */
static int project_record(sproj *sp, const char *key, const frame *ref, const char *rk,
                          const ot_proj_opts *o, int only, gsl_rng *rng, ot_proj_facts *notes,
                          int *done, ot_err *err)
{
    record r;
    const char *model = ot_method_find(REC_LEVELS_METHOD) ? REC_LEVELS : NULL;
    ot_proj_memo *memo = o->memo ? o->memo : ot_proj_memo_default();
    *done = 0;
    /* the record's origins read as known then, when the series was revised */
    int as_known = o->source_at && (!o->revised || o->revised(sp->ud, key) != 0);
    rec_src then = {as_known ? o->source_at : NULL, sp->ud, sp->rate_only,
                    sp->has_cum ? sp->cum : NULL, o->record_get, o->record_put};
    int rc = rec_build_at(&r, &sp->fr, ref, key, sp->Y, sp->k, model, only, o->exclude_years[0],
                          o->exclude_years[1], 0, 0, &then, memo, &sp->alloc, err);
    if (rc || r.n < REC_MIN_SHORT || !r.chosen || isnan(r.point) || r.nerr < REC_MIN_SHORT)
        return rc;
    record_share(sp, ref, rk, notes);
    if ((rc = fill_from_errors(sp, key, ref, o, r.point, r.err, r.nerr, r.years_k, 1, 0, rng, notes,
                               err)))
        return rc;
    /* what was chosen, and its record (report/facts.c words it) */
    const char *mname = rec_cand_name(CAND_MODEL, model);
    ot_fact_set(&sp->method, OT_M_RECORD, "ik", (int)r.chosen, mname);
    if (r.n < REC_MIN)
        ot_fact_add(notes, OT_N_RECORD_SHORT, "i", r.n);
    ot_fact_add(notes, OT_N_RECORD, "iiiiiikdddddd", r.first, r.last, sp->P, sp->k, r.nerr,
                (int)r.chosen, mname, r.mae_chosen, r.mae[CAND_CARRY], r.mae[CAND_RATE],
                r.mae[CAND_MODEL], r.mae[CAND_RATE2], (double)r.w);
    if (o->exclude_years[0])
        ot_fact_add(notes, OT_N_EXCLUDED, "ii", o->exclude_years[0], o->exclude_years[1]);
    *done = 1;
    return OT_OK;
}

/* The scale of a local series' surprises against its shape reference's:
 * the root mean square of the changes of key's ytd growth between the
 * periods it publishes (consecutive among those, within a year, before
 * December) over that of the reference across the same periods, in year Y
 * (through k) and the BORROW_YEARS before it, the excluded years left out;
 * at least 1 (a local series is not taken to be calmer than its
 * reference).  NaN with fewer than BORROW_PAIRS changes. */
static double local_scale(const frame *f, const frame *ref, int Y, int k, const int *excl)
{
    double sl = 0, sr = 0;
    int n = 0;
    for (int y = Y - BORROW_YEARS; y <= Y; y++) {
        if (excl[0] && y >= excl[0] && y <= excl[1])
            continue;
        int last = 0;
        for (int j = 1; j < f->P && (y < Y || j <= k); j++) {
            double a = frame_get(f, f->gy, y, j), c = frame_get(ref, ref->gy, y, j);
            if (isnan(a) || isnan(c))
                continue;
            if (last) {
                double b = frame_get(f, f->gy, y, last), d = frame_get(ref, ref->gy, y, last);
                sl += (a - b) * (a - b);
                sr += (c - d) * (c - d);
                n++;
            }
            last = j;
        }
    }
    if (n < BORROW_PAIRS || !(sr > 0))
        return NAN;
    double x = sqrt(sl / sr);
    return x > 1 ? x : 1;
}

/* A local series without a record of its own (§12): carry-forward, with the
 * range from the shape reference's carry-forward errors at the same period
 * (its record: the years o->shape_years names, else all but the excluded),
 * scaled by local_scale (LOCAL_SCALE when there is too little common
 * history).  *done = 0 when the reference's record is too short too. */
static int project_borrowed(sproj *sp, const char *key, const frame *ref, const char *rk,
                            const ot_proj_opts *o, gsl_rng *rng, ot_proj_facts *notes, int *done,
                            ot_err *err)
{
    record r;
    *done = 0;
    if (!ref || ref->P != sp->P || sp->stock || isnan(sp->g))
        return OT_OK;
    rec_src then = {o->source_at, sp->ud, 0, NULL, NULL, NULL};
    int as_known = o->source_at && (!o->revised || o->revised(sp->ud, rk) != 0);
    int rc = rec_build_at(&r, ref, NULL, rk, sp->Y, sp->k, NULL, CAND_CARRY, o->exclude_years[0],
                          o->exclude_years[1], o->shape_years[0], o->shape_years[1],
                          as_known ? &then : NULL, NULL, &sp->alloc, err);
    if (rc)
        return rc;
    if (r.n < REC_MIN || r.nerr < REC_MIN) {
        if (o->shape_years[0]) /* the years asked for hold too few: say so */
            ot_fact_add(notes, OT_N_SHAPE_YEARS_SHORT, "kiiii", rk, o->shape_years[0],
                        o->shape_years[1], r.n, REC_MIN);
        return OT_OK;
    }
    double scale = local_scale(&sp->fr, ref, sp->Y, sp->k, o->exclude_years);
    int measured = !isnan(scale);
    if (!measured)
        scale = BORROW_SCALE;
    if (scale > BORROW_SCALE_MAX) {
        ot_fact_add(notes, OT_N_SCALE_LARGE, "kdk", key, scale, rk);
        return OT_OK;
    }
    record_share(sp, ref, rk, notes);
    if ((rc = fill_from_errors(sp, key, ref, o, sp->g, r.err, r.nerr, r.years_k, scale, 1, rng,
                               notes, err)))
        return rc;
    ot_fact_set(&sp->method, OT_M_CARRY_RANGE, "k", rk);
    ot_fact_add(notes, measured ? OT_N_CARRY_SCALED : OT_N_CARRY_TYPICAL, "kiiiidk", rk, r.first,
                r.last, sp->P, sp->k, scale, key);
    if (o->exclude_years[0])
        ot_fact_add(notes, OT_N_EXCLUDED, "ii", o->exclude_years[0], o->exclude_years[1]);
    *done = 1;
    return OT_OK;
}

/* The pooled errors err[0..m) (ny years at the as-of period) around point,
 * scaled by scale, into sp's paths; see project_record.  OT_ENOMEM (oerr
 * set) when the scratch for centring cannot be had. */
static int fill_from_errors(sproj *sp, const char *key, const frame *ref, const ot_proj_opts *o,
                            double point, const double *err, int m, int years, double scale,
                            int borrowed, gsl_rng *rng, ot_proj_facts *notes, ot_err *oerr)
{
    double e[REC_ERRS], tmp[REC_ERRS];
    memcpy(tmp, err, (size_t)m * sizeof *tmp);
    double med = rec_quantile(tmp, m, 0.5), mean = 0, sd = 0;
    for (int i = 0; i < m; i++) {
        e[i] = (err[i] - med) * scale;
        mean += e[i] / m;
    }
    for (int i = 0; i < m; i++)
        sd += (e[i] - mean) * (e[i] - mean) / (m - 1);
    sd = sqrt(sd);
    memcpy(tmp, e, (size_t)m * sizeof *tmp);
    double iqr = (rec_quantile(tmp, m, 0.75) - rec_quantile(tmp, m, 0.25)) / 1.34;
    double bw = 0.9 * (iqr > 0 && iqr < sd ? iqr : sd) * pow(m, -0.2);
    /* few years: widen (rec_widen, §11), n the years at k (the errors of the
     * window's other periods come from the same years) */
    double widen = rec_widen(years, borrowed);
    for (int i = 0; i < m; i++)
        e[i] *= widen;
    bw *= widen;
    double shift = 0;
    if (o->scenario && ot_scenario_touches(o->scenario, key)) {
        if (sp->stock)
            ot_fact_add(notes, OT_N_SC_STOCK, "k", key);
        else
            shift = scenario_shift(sp, key, ref, o->scenario, point, notes);
    }
    double lbase = sp->base;
    if (!(lbase > 0) && !sp->stock && sp->ytd_k > 0 && sp->s > 0)
        lbase = sp->ytd_k / (sp->s * (1 + sp->g / 100));
    for (size_t p = 0; p < sp->np; p++)
        sp->G[p] = e[gsl_rng_uniform_int(rng, (unsigned long)m)] +
                   bw * gsl_ran_gaussian_ziggurat(rng, 1.0);
    /* the kernel moves the median of skewed errors a little: centre the
     * paths on the chosen point exactly */
    double *tmpd = ot_malloc(&sp->alloc, sp->np * sizeof *tmpd);
    if (!tmpd)
        return ot_err_set(oerr, OT_ENOMEM, "out of memory");
    memcpy(tmpd, sp->G, sp->np * sizeof *tmpd);
    double mid = rec_quantile(tmpd, (int)sp->np, 0.5);
    ot_free(&sp->alloc, tmpd, sp->np * sizeof *tmpd);
    for (size_t p = 0; p < sp->np; p++) {
        double G = point + shift + sp->G[p] - mid;
        if (G < -99)
            G = -99;
        sp->G[p] = G;
        if (sp->L)
            sp->L[p] = lbase > 0 ? lbase * (1 + G / 100) : NAN;
    }
    return OT_OK;
}

/* Whether every level f holds (period values and ytd levels, every year)
 * is at least 0: a flow that has never been negative is taken never to be,
 * so the rest of the year can only add to its ytd. */
static int frame_nonneg(const frame *f)
{
    for (size_t i = 0; i < f->cells; i++)
        if (f->val[i] < 0 || f->ytd[i] < 0)
            return 0;
    return 1;
}

/* The year's total of a flow that is never negative is at least its ytd:
 * no path may end below it (§6).  Paths from past errors, a kernel or a
 * Gaussian can reach below — a level of 197 after a first quarter of 4,606
 * — and then a floor the ytd already passes would be "met" with a
 * probability of 0.85.  Each growth path is raised to ytd / last year's
 * total - 1 at least, each level path to the ytd.  A stock, a series with a
 * negative level, or one without a ytd level or last year's total is left
 * as it is. */
static void floor_paths(sproj *sp)
{
    sp->nonneg = !sp->stock && frame_nonneg(&sp->fr);
    if (!sp->nonneg || !(sp->base > 0) || !(sp->ytd_k >= 0) || sp->k <= 0)
        return;
    double least = (sp->ytd_k / sp->base - 1) * 100;
    for (size_t p = 0; p < sp->np; p++) {
        if (sp->G[p] < least)
            sp->G[p] = least;
        if (sp->L && sp->L[p] < sp->ytd_k)
            sp->L[p] = sp->ytd_k;
    }
}

/* Projects series key for year Y into sp: reads it, decides outcome / rich /
 * sparse, and fills np paths.  SP_NONE (with a note) when nothing can be
 * said.  Errors are the source's, OT_ENOMEM, or a model's. */
int sproj_project(sproj *sp, const char *key, const char *shape_key,
                  const char *shape_fallback, int Y,
                          const ot_proj_opts *o, const char *method, ot_source_fn src, void *ud,
                          int32_t cut, gsl_rng *rng, ot_proj_facts *notes, ot_err *err)
{
    frame ref;
    int rc, has_ref = 0;
    memset(sp, 0, sizeof *sp);
    memset(&ref, 0, sizeof ref);
    sp->alloc = o->alloc && o->alloc->f ? *o->alloc : ot_alloc_std;
    sp->ud = ud;
    sp->Y = Y;
    sp->g = sp->s = sp->ytd_k = sp->base = sp->outG = sp->outL = NAN;
    if ((rc = frame_load(&sp->fr, key, src, ud, cut, &sp->alloc, err)))
        return rc;
    frame *f = &sp->fr;
    if (f->ny == 0) {
        char near[256];
        if (o->unknown && o->unknown(ud, key, near, sizeof near))
            ot_fact_add(notes, OT_N_NO_SERIES, "kk", key, near);
        else
            ot_fact_add(notes, OT_N_NO_DATA, "k", key);
        return OT_OK;
    }
    sp->P = f->P;
    sp->stock = f->kind == OT_KIND_STOCK;
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
            ot_fact_add(notes, OT_N_SHAPE_NO_DATA, "k", rk);
    }
    if (rate_only(f)) {
        /* period yoy only: the ytd growth is their weighted mean (§1) */
        shape rs;
        const double *cum = NULL;
        if (has_ref && ref.P == f->P) {
            shape_measure(&ref, Y, 1, f->P, &rs);
            if (rs.s_n && !isnan(rs.cum[f->P])) {
                memcpy(sp->cum, rs.cum, sizeof sp->cum);
                sp->has_cum = 1;
                cum = sp->cum;
            }
        }
        sp->rate_only = 1;
        if (rec_fill_rate_ytd(f, cum)) {
            if (cum)
                ot_fact_add(notes, OT_N_YOY_WEIGHTED, "kk", key, rk);
            else
                ot_fact_add(notes, OT_N_YOY_EQUAL, "k", key);
        }
    }
    sp->k = frame_last_k(f, Y);
    int P = sp->P, k = sp->k;
    if (k)
        fmt_latest(f, Y, k, sp->latest, sizeof sp->latest);
    if (sp->stock) {
        sp->base = frame_get(f, f->val, Y - 1, P);
        sp->ytd_k = frame_get(f, f->val, Y, k);
        /* a stock's carry-forward is its latest yoy, growth since December
         * only when no yoy is known */
        sp->g = frame_get(f, f->yoy, Y, k);
        if (isnan(sp->g))
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
            ot_fact_set(&sp->method, OT_M_OUTCOME, "");
            frame_free(&ref);
            return OT_OK;
        }
        /* the year's total is out but not its growth: a level target has its
         * outcome, growth is projected from the last period with a growth */
        sp->total_known = 1;
        ot_fact_add(notes, OT_N_TOTAL_ONLY, "kii", key, Y, k2);
        sp->k = k = k2;
        fmt_latest(f, Y, k, sp->latest, sizeof sp->latest);
        sp->ytd_k = frame_get(f, f->ytd, Y, k);
        sp->g = frame_get(f, f->gy, Y, k);
        double a = frame_get(f, f->ytd, Y - 1, k);
        sp->s = a > 0 && sp->base > 0 ? a / sp->base : NAN;
    }
    if (!sp->stock && sp->base <= 0) {
        /* last year's total at or below 0 (a balance, a flow shifted below
         * zero): growth over it, its share and every path scaled by it would
         * be nonsense (a point of -101.8 % with a range of zero width) */
        frame_free(&ref);
        ot_fact_add(notes, OT_N_BASE_NOT_POSITIVE, "kid", key, Y - 1, sp->base);
        return OT_OK;
    }
    if (k)
        shape_measure(f, Y, k, P, &sp->own);
    /* rich: a run of at least three years of period values ending at (Y, k) */
    int ry = k ? Y : Y - 1, rj = k ? k : P;
    int rich = 0;
    if (P >= 4 && sp->base > 0 && (k == 0 || sp->stock || sp->ytd_k > 0) &&
        values_end_at(f, ry, rj))
        rich = sproj_value_run(f, ry, rj, NULL, (size_t)RICH_YEARS * P, NULL) >=
               (size_t)RICH_YEARS * P;
    int only;
    if (record_mode(o, &only) && only >= 0)
        rich = 0; /* carry or rate named: never a level model's paths */
    int kk;
    double gk;
    shape rs;
    if (!rich && !sp->stock && has_ref && implied_ytd_growth(f, Y, &ref, &kk, &gk, &rs) &&
        kk > k) {
        sp->k = k = kk;
        sp->g = gk;
        sp->ytd_k = NAN;
        sp->s = NAN;
        fmt_latest(f, Y, k, sp->latest, sizeof sp->latest);
        ot_fact_add(notes, OT_N_YTD_IMPLIED, "kkd", rk, sp->latest, gk);
        shape_measure(f, Y, k, P, &sp->own);
    }
    if (!rich && (k == 0 || (isnan(sp->g) && !(sp->stock && sp->ytd_k > 0)))) {
        int has_yoy = 0;
        for (int j = 1; j <= P; j++)
            has_yoy |= !isnan(frame_get(f, f->yoy, Y, j));
        frame_free(&ref);
        if (has_yoy)
            ot_fact_add(notes, OT_N_YOY_ONLY, "ki", key, Y);
        else if (!k && Y < f->y0) /* a year before the data (a typo for a later one?) */
            ot_fact_add(notes, OT_N_BEFORE_DATA, "kii", key, Y, f->y0);
        else
            ot_fact_add(notes, k ? OT_N_NO_YTD : OT_N_NO_DATA_YEAR, "ki", key, Y);
        return OT_OK;
    }
    if (sp->stock && !rich && !(sp->base > 0) && isnan(sp->g)) {
        frame_free(&ref);
        ot_fact_add(notes, OT_N_NO_YEAR_END, "ki", key, Y - 1);
        return OT_OK;
    }
    rc = project_paths(sp, key, has_ref ? &ref : NULL, rk, rich, o, method, rng, notes, err);
    frame_free(&ref);
    if (!rc && sp->state == SP_PATHS)
        floor_paths(sp);
    return rc;
}

/* Allocates sp's paths and fills them: by default (or with carry or rate
 * named) from the series' record, else its reference's record (§10-§12);
 * then by the rich model, else the sparse stock rule, else the ytd and
 * shape (with ref when not NULL). */
static int project_paths(sproj *sp, const char *key, const frame *ref, const char *rk, int rich,
                         const ot_proj_opts *o, const char *method, gsl_rng *rng, ot_proj_facts *notes,
                         ot_err *err)
{
    int rc;
    sp->np = o->paths;
    sp->G = ot_malloc(&sp->alloc, sp->np * sizeof *sp->G);
    int levels = rich || sp->base > 0 || (!sp->stock && sp->ytd_k > 0);
    sp->L = levels ? ot_malloc(&sp->alloc, sp->np * sizeof *sp->L) : NULL;
    if (!sp->G || (levels && !sp->L))
        return ot_err_set(err, OT_ENOMEM, "out of memory");
    sp->state = SP_PATHS;
    int only, by_record = record_mode(o, &only);
    if (by_record && sp->k >= 1) {
        int done;
        if ((rc = project_record(sp, key, ref, rk, o, only, rng, notes, &done, err)) || done)
            return rc;
        if (only < 0 && !rich &&
            ((rc = project_borrowed(sp, key, ref, rk, o, rng, notes, &done, err)) || done))
            return rc;
        if (only >= 0)
            ot_fact_add(notes, OT_N_RECORD_FORCED, "kik", key, sp->k, o->method);
    }
    if (!by_record && !rich) /* a model named, but the series is too short for it */
        ot_fact_add(notes, OT_N_MODEL_SHORT, "kik", key, RICH_YEARS, method);
    if (rich) {
        rc = project_rich(sp, key, method, o->intervals, sp->np, o->scenario, rng, notes, err);
        if (rc == OT_EDATA) { /* too short for the chosen model: fall back on the ytd */
            ot_fact_add(notes, OT_N_MODEL_FAILED, "kk", key, method);
            if (err)
                ot_err_clear(err);
            rich = 0;
            rc = OT_OK;
        }
        if (rc || rich)
            return rc;
    }
    if (sp->stock) {
        if (sp->base > 0 && sp->ytd_k > 0)
            project_stock_sparse(sp, sp->np, rng, notes);
        else if (!project_stock_yoy(sp, sp->np, rng, notes)) {
            sp->state = SP_NONE;
            ot_fact_add(notes, OT_N_NO_YEAR_END, "ki", key, sp->Y - 1);
        }
        return OT_OK;
    }
    project_sparse(sp, key, ref, rk, sp->np, o->scenario, rng, notes);
    return OT_OK;
}
