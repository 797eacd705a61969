/* projection.c — projecting targets: from the paths of one or two series
 * (sproj.c), the target's metric, its quantiles, the probability of passing,
 * required pace, carry-forward and status; seeds; and the thread pool of
 * ot_project_many.  Formulas: docs/methods-projection.md. */
#include "project/projection.h"

#include <math.h>
#include <pthread.h>
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
#include "project/sproj.h"

/* Correlation assumed between two series' surprises when their common
 * history is too short to estimate it (§4). */
#define RHO_DEFAULT 0.5

/* ot_proj_status_name is defined with the status vocabulary, in kinds.c. */

void ot_proj_opts_init(ot_proj_opts *o)
{
    memset(o, 0, sizeof *o);
    o->paths = OT_PROJ_PATHS;
    o->seed = 1;
    o->method = OT_PROJ_METHOD_DEFAULT;
    o->exclude_years[0] = OT_PROJ_EXCLUDE_FROM;
    o->exclude_years[1] = OT_PROJ_EXCLUDE_TO;
}

void ot_projection_init(ot_projection *p)
{
    memset(p, 0, sizeof *p);
    p->status = OT_STATUS_NO_DATA;
    p->point = p->lo80 = p->hi80 = p->lo95 = p->hi95 = p->prob = NAN;
    p->required = p->carry = p->outcome = p->ytd_growth = p->share = NAN;
}

double ot_proj_prob_round(double prob)
{
    return round(prob * 100) / 100;
}

ot_proj_status ot_proj_status_of_prob(double prob)
{
    double r = ot_proj_prob_round(prob);
    return r >= OT_PROJ_ON_TRACK - 1e-9  ? OT_STATUS_ON_TRACK
           : r >= OT_PROJ_AT_RISK - 1e-9 ? OT_STATUS_AT_RISK
                                         : OT_STATUS_OFF_TRACK;
}

/* The one place that decides the fallback (see projection.h). */
const char *ot_proj_method_resolve(const char *requested)
{
    if (!requested || strcmp(requested, "auto") == 0)
        return ot_method_find("auto") ? "auto" : OT_PROJ_METHOD_FALLBACK;
    if (strcmp(requested, OT_PROJ_METHOD_FALLBACK) == 0 ||
        strcmp(requested, OT_PROJ_METHOD_CARRY) == 0 ||
        strcmp(requested, OT_PROJ_METHOD_RATE) == 0 || ot_method_find(requested))
        return requested;
    return NULL;
}

int ot_proj_method_takes_cv(const char *requested)
{
    const char *m = ot_proj_method_resolve(requested);
    return m && strcmp(m, OT_PROJ_METHOD_FALLBACK) != 0 && strcmp(m, OT_PROJ_METHOD_CARRY) != 0 &&
           strcmp(m, OT_PROJ_METHOD_RATE) != 0;
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

/* Whether the target passes for metric x (in_step has its own test; a
 * decline must be a fall, x > 0, and pass its operator and value — "fall by
 * at least 0.1", "by at most 0.5" —; everything else is ot_target_test). */
static int passes(const ot_target *t, double x)
{
    if (isnan(x))
        return 0;
    if (t->kind == OT_TARGET_IN_STEP) /* within tolerance of the band's centre, value */
        return fabs(x - (isnan(t->value) ? 0 : t->value)) <= t->tolerance;
    if (t->kind == OT_TARGET_DECLINE)
        return x > 0 && (isnan(t->value) || ot_target_test(t, x));
    return ot_target_test(t, x);
}

static int quantified(const ot_target *t)
{
    if (t->kind == OT_TARGET_UNQUANTIFIED || t->op == OT_OP_NONE)
        return 0;
    if (t->kind == OT_TARGET_IN_STEP)
        return !isnan(t->tolerance);
    if (t->op == OT_OP_EQ && isnan(t->tolerance))
        return 0; /* "=" without its band (made before ot_target_check asked for one) */
    if (t->kind == OT_TARGET_DECLINE)
        return 1;
    return !isnan(t->value);
}

static int uses_level(ot_target_kind k)
{
    return k == OT_TARGET_LEVEL || k == OT_TARGET_COUNT || k == OT_TARGET_DAILY_AVG ||
           k == OT_TARGET_DECLINE;
}

/* Whether units a and b may be the same: either not given (the target's
 * then is the series'), or equal but for blanks around them and the case of
 * ASCII letters.  The store keeps both in one spelling (亿元, never
 * 100m_cny), so no table of aliases is needed here. */
static int same_unit(const char *a, const char *b)
{
    while (a && (*a == ' ' || *a == '\t'))
        a++;
    while (b && (*b == ' ' || *b == '\t'))
        b++;
    if (!a || !*a || !b || !*b)
        return 1;
    size_t na = strlen(a), nb = strlen(b);
    while (na && (a[na - 1] == ' ' || a[na - 1] == '\t'))
        na--;
    while (nb && (b[nb - 1] == ' ' || b[nb - 1] == '\t'))
        nb--;
    if (na != nb)
        return 0;
    for (size_t i = 0; i < na; i++) {
        int x = (unsigned char)a[i], y = (unsigned char)b[i];
        x = x >= 'A' && x <= 'Z' ? x - 'A' + 'a' : x;
        y = y >= 'A' && y <= 'Z' ? y - 'A' + 'a' : y;
        if (x != y)
            return 0;
    }
    return 1;
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
    case OT_TARGET_IN_STEP: return gr_point + (isnan(t->value) ? 0 : t->value);
    case OT_TARGET_DECLINE: T = sp->base - (isnan(t->value) ? 0 : t->value); break;
    default: return NAN;
    }
    double base = sp->base;
    if (!(base > 0) && sp->ytd_k > 0 && sp->s > 0 && !isnan(sp->g))
        base = sp->ytd_k / (sp->s * (1 + sp->g / 100));
    return base > 0 ? (T / base - 1) * 100 : NAN;
}

/* Whether the ytd alone decides a growth target of a flow: the year's
 * growth is at least ytd / last year's total - 1 (the rest of the year adds
 * nothing), so a floor that growth passes is met, and a ceiling it breaks
 * or an "about" band it is already above missed — every path agreeing
 * (prob 1 or 0).  A "pace" of -165 % for the
 * rest of the year would mean nothing. */
static int growth_decided(const ot_target *t, const sproj *a, double prob)
{
    if (t->kind != OT_TARGET_GROWTH || a->stock || !(a->base > 0) || a->k <= 0 ||
        !(a->ytd_k >= 0) || a->state != SP_PATHS)
        return 0;
    double least = (a->ytd_k / a->base - 1) * 100;
    if ((t->op == OT_OP_GE || t->op == OT_OP_GT) && prob >= 1)
        return passes(t, least);
    if ((t->op == OT_OP_LE || t->op == OT_OP_LT) && prob <= 0)
        return !passes(t, least);
    if (t->op == OT_OP_EQ && prob <= 0) /* "about 5 %" with the ytd alone past 5.5 % */
        return least > t->value + t->tolerance;
    return 0;
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
    ot_proj_opts own; /* the target's own shape_years win over the option's */
    if (t->shape_years[0]) {
        own = *o;
        own.shape_years[0] = t->shape_years[0];
        own.shape_years[1] = t->shape_years[1];
        o = &own;
    }
    if ((rc = sproj_project(&a, t->series, t->shape, NULL, t->year, o, method, src, ud, cut,
                             rng, &p.notes, err)))
        goto done;
    if (two && a.state != SP_NONE) {
        /* ref's shape: its own metadata, else the one the target names */
        ot_proj_facts nb = {0};
        if ((rc = sproj_project(&b, t->ref, NULL, t->shape, t->year, o, method, src, ud, cut,
                                 rng, &nb, err)))
            goto done;
        for (int i = 0; i < nb.n && p.notes.n < OT_PROJ_FACTS_MAX; i++) {
            p.notes.f[p.notes.n] = nb.f[i];
            p.notes.f[p.notes.n++].of_ref = 1; /* said of t->ref */
        }
    }
    if (uses_level(t->kind) && a.total_known)
        a.state = SP_OUTCOME; /* the total is the outcome */
    snprintf(p.latest, sizeof p.latest, "%s", a.latest);
    p.method = a.method;
    p.periods_done = a.k;
    p.periods_left = a.P - a.k;
    p.ytd_growth = a.g;
    p.share = a.s;
    if (a.state == SP_NONE || (two && b.state == SP_NONE))
        goto finish;
    /* 500 亿元 against a series in 万元: never converted (docs/formats.md,
     * "Units"), and compared as it is it would be met at once */
    if (uses_level(t->kind) && !same_unit(t->unit, a.fr.unit)) {
        p.notes.n = 0; /* how it would have been projected no longer matters */
        ot_fact_add(&p.notes, OT_N_UNIT_OTHER, "kk", t->series, a.fr.unit);
        goto finish;
    }
    if (uses_level(t->kind) && a.state == SP_PATHS && !a.L) {
        ot_fact_add(&p.notes, OT_N_LEVELS_NONE, "ki", t->series, (int)t->kind);
        goto finish;
    }
    if (uses_level(t->kind) && a.state == SP_OUTCOME && isnan(a.outL)) {
        ot_fact_add(&p.notes, OT_N_NO_LEVEL, "ki", t->series, t->year);
        goto finish;
    }
    if (!uses_level(t->kind) && ((a.state == SP_OUTCOME && isnan(a.outG)) ||
                                 (two && b.state == SP_OUTCOME && isnan(b.outG)))) {
        ot_fact_add(&p.notes, OT_N_NO_GROWTH, "ki",
                    isnan(a.outG) && a.state == SP_OUTCOME ? t->series : t->ref, t->year);
        goto finish;
    }
    /* carry-forward */
    double gr_carry = two ? b.g : 0;
    if (!uses_level(t->kind))
        p.carry = a.g - gr_carry;
    else if (a.state == SP_OUTCOME && !isnan(a.outL))
        p.carry = metric(t, &a, NAN, a.outL, NAN); /* the year is in: nothing left to carry */
    else if (a.stock)
        p.carry = metric(t, &a, NAN, a.ytd_k, NAN);
    else if (a.s > 0 && a.k > 0 && a.ytd_k >= 0) /* no events yet carry on as none */
        p.carry = metric(t, &a, NAN, a.ytd_k / a.s, NAN);
    /* outcome known */
    if (a.state == SP_OUTCOME && (!two || b.state == SP_OUTCOME)) {
        p.outcome = metric(t, &a, a.outG, a.outL, two ? b.outG : 0);
        if (isnan(p.outcome)) {
            ot_fact_add(&p.notes, OT_N_NO_OUTCOME, "ki", t->series, t->year);
            goto finish;
        }
        p.has_outcome = 1;
        p.point = p.lo80 = p.hi80 = p.lo95 = p.hi95 = p.outcome;
        int ok = passes(t, p.outcome);
        p.prob = ok;
        p.status = ok ? OT_STATUS_MET : OT_STATUS_MISSED;
        ot_fact_set(&p.method, OT_M_OUTCOME, "");
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
            ot_fact_add(&p.notes, OT_N_CORR_ASSUMED, "kkd", t->series, t->ref, rho);
        } else {
            ot_fact_add(&p.notes, OT_N_CORR, "kkd", t->series, t->ref, rho);
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
    if (two)
        gr_point = quantile(b.G, np, 0.5);
    p.point = quantile(m, np, 0.5);
    p.lo80 = quantile(m, np, 0.10);
    p.hi80 = quantile(m, np, 0.90);
    p.lo95 = quantile(m, np, 0.025);
    p.hi95 = quantile(m, np, 0.975);
    if (a.state == SP_PATHS) {
        double T = target_growth(t, &a, gr_point);
        /* a stock needs T_level / x_k - 1 from its latest level x_k: last
         * December's before any data of the year */
        double xk = a.k ? a.ytd_k : a.base;
        if (a.stock)
            p.required = xk > 0 && !isnan(T) ? ((a.base * (1 + T / 100)) / xk - 1) * 100 : NAN;
        else
            p.required = ot_pace_required(T, a.g, a.k ? a.s : 0);
    }
    /* status */
    /* later periods only add to the ytd of a flow never below 0 (sproj.c,
     * floor_paths); one with negative levels may still fall back */
    int flow_total = !a.stock && (a.state != SP_PATHS || a.nonneg) &&
                     (t->kind == OT_TARGET_LEVEL || t->kind == OT_TARGET_COUNT ||
                      t->kind == OT_TARGET_DAILY_AVG);
    /* what the periods so far add up to (0 when a count has no events yet:
     * a floor of 0 is then met) */
    double so_far = flow_total && a.k > 0 && a.ytd_k >= 0 ? metric(t, &a, NAN, a.ytd_k, NAN) : NAN;
    if (flow_total && (t->op == OT_OP_GE || t->op == OT_OP_GT) && passes(t, so_far))
        p.status = OT_STATUS_MET; /* the ytd alone passes; later periods only add */
    else if (flow_total && (t->op == OT_OP_LE || t->op == OT_OP_LT) && !passes(t, so_far) &&
             !isnan(so_far))
        p.status = OT_STATUS_MISSED;
    else if (flow_total && t->op == OT_OP_EQ && so_far > t->value + t->tolerance)
        p.status = OT_STATUS_MISSED; /* already past the band's top: "about 500" missed */
    else if (growth_decided(t, &a, p.prob))
        p.status = p.prob >= 1 ? OT_STATUS_MET : OT_STATUS_MISSED;
    else
        p.status = ot_proj_status_of_prob(p.prob);
    if (p.status == OT_STATUS_MET || p.status == OT_STATUS_MISSED)
        p.required = NAN; /* decided: the rest of the year can neither add nor save */
finish:
    if (p.status == OT_STATUS_NO_DATA || p.status == OT_STATUS_UNQUANTIFIED)
        p.method.code = OT_FACT_NONE; /* nothing was projected */
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
    if (t->year < OT_TARGET_YEAR_MIN || t->year > OT_TARGET_YEAR_MAX)
        return ot_err_set(err, OT_EINVAL, "target %s: year %d out of range %d..%d",
                          t->series ? t->series : "", t->year, OT_TARGET_YEAR_MIN,
                          OT_TARGET_YEAR_MAX);
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
        return ot_err_set(err, OT_EINVAL, "unknown method '%s' (known: %s, %s, %s, %s)",
                          o->method, OT_PROJ_METHOD_CARRY, OT_PROJ_METHOD_RATE,
                          OT_PROJ_METHOD_FALLBACK, ot_method_names());
    if (o->intervals != OT_PI_MODEL && o->intervals != OT_PI_CV)
        return ot_err_set(err, OT_EINVAL, "intervals %d is neither model (%d) nor cv (%d)",
                          o->intervals, OT_PI_MODEL, OT_PI_CV);
    if (o->intervals == OT_PI_CV && !ot_proj_method_takes_cv(*method))
        return ot_err_set(err, OT_EINVAL, "intervals cv are not available with method %s (use a "
                                          "model such as auto or ets)", *method);
    if (o->shape_years[0] > o->shape_years[1])
        return ot_err_set(err, OT_EINVAL, "shape_years %d-%d: the first is after the last",
                          o->shape_years[0], o->shape_years[1]);
    if (o->exclude_years[0] > o->exclude_years[1])
        return ot_err_set(err, OT_EINVAL, "exclude_years %d-%d: the first is after the last",
                          o->exclude_years[0], o->exclude_years[1]);
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
    int32_t cut = 0;          /* set by prepare() on success */
    const char *method = NULL;
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
        int32_t cut = 0;          /* set by prepare() on success */
        const char *method = NULL;
        int rc = ot_model_check_stop(&e); /* Ctrl-C or a time limit: no more targets */
        if (rc == OT_OK)
            rc = prepare(t, pl->o, &cut, &method, &e);
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
