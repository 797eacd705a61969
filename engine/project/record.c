/* record.c — candidates' points at past origins, their record, the choice by
 * record and the pooled errors that set the range
 * (docs/methods-projection.md §6, §7). */
#include "project/record.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "models/model.h"
#include "project/sproj.h"

/* ---- the memo --------------------------------------------------------- */

/* Open addressing on 64-bit content hashes (0 marks an empty slot). */
struct ot_proj_memo {
    pthread_mutex_t mu;
    size_t cap, n;
    uint64_t *keys;
    double *vals;
};

/* Entries kept before the memo starts afresh (16 bytes each). */
#define MEMO_MAX ((size_t)1 << 21)

ot_proj_memo *ot_proj_memo_new(void)
{
    ot_proj_memo *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    if (pthread_mutex_init(&m->mu, NULL)) {
        free(m);
        return NULL;
    }
    return m;
}

void ot_proj_memo_free(ot_proj_memo *m)
{
    if (!m)
        return;
    pthread_mutex_destroy(&m->mu);
    free(m->keys);
    free(m->vals);
    free(m);
}

static ot_proj_memo *process_memo;
static pthread_once_t process_once = PTHREAD_ONCE_INIT;

static void process_memo_init(void)
{
    process_memo = ot_proj_memo_new();
}

ot_proj_memo *ot_proj_memo_default(void)
{
    pthread_once(&process_once, process_memo_init);
    return process_memo;
}

size_t ot_proj_memo_size(ot_proj_memo *m)
{
    if (!m)
        return 0;
    pthread_mutex_lock(&m->mu);
    size_t n = m->n;
    pthread_mutex_unlock(&m->mu);
    return n;
}

static int memo_get(ot_proj_memo *m, uint64_t key, double *v)
{
    int found = 0;
    if (!m)
        return 0;
    pthread_mutex_lock(&m->mu);
    if (m->cap) {
        for (size_t i = key & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
            if (m->keys[i] == 0)
                break;
            if (m->keys[i] == key) {
                *v = m->vals[i];
                found = 1;
                break;
            }
        }
    }
    pthread_mutex_unlock(&m->mu);
    return found;
}

static void memo_slot_put(uint64_t *keys, double *vals, size_t cap, uint64_t key, double v)
{
    size_t i = key & (cap - 1);
    while (keys[i] != 0 && keys[i] != key)
        i = (i + 1) & (cap - 1);
    keys[i] = key;
    vals[i] = v;
}

/* Stores v under key; out of memory only loses the memo, never the result. */
static void memo_put(ot_proj_memo *m, uint64_t key, double v)
{
    if (!m)
        return;
    pthread_mutex_lock(&m->mu);
    if (m->n >= MEMO_MAX) { /* start afresh rather than grow without bound */
        memset(m->keys, 0, m->cap * sizeof *m->keys);
        m->n = 0;
    }
    if (2 * (m->n + 1) > m->cap) {
        size_t nc = m->cap ? 2 * m->cap : 1024;
        uint64_t *nk = calloc(nc, sizeof *nk);
        double *nv = malloc(nc * sizeof *nv);
        if (!nk || !nv) {
            free(nk);
            free(nv);
            pthread_mutex_unlock(&m->mu);
            return;
        }
        for (size_t i = 0; i < m->cap; i++)
            if (m->keys[i])
                memo_slot_put(nk, nv, nc, m->keys[i], m->vals[i]);
        free(m->keys);
        free(m->vals);
        m->keys = nk;
        m->vals = nv;
        m->cap = nc;
    }
    size_t i = key & (m->cap - 1);
    while (m->keys[i] != 0 && m->keys[i] != key)
        i = (i + 1) & (m->cap - 1);
    if (m->keys[i] == 0)
        m->n++;
    m->keys[i] = key;
    m->vals[i] = v;
    pthread_mutex_unlock(&m->mu);
}

/* FNV-1a over bytes. */
static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

/* The method and spec (NULL: automatic) a level candidate named model fits:
 * REC_LEVELS is a combination with a fixed spec, any other name the method
 * of that name. */
static const char *level_method(const char *model, const char **spec)
{
    if (strcmp(model, REC_LEVELS) == 0) {
        *spec = REC_LEVELS_SPEC;
        return REC_LEVELS_METHOD;
    }
    *spec = NULL;
    return model;
}

/* The memo key of a level-model point at origin (y, k): the key, the method
 * and its spec, and every number of the frame through (y, k) — the point is a
 * function of exactly these, so a hit is always right, whatever the vintage
 * (and a point kept in the store under an earlier spec is never taken for the
 * current one). */
static uint64_t origin_hash(const frame *f, const char *key, const char *model, int y, int k)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    const char *spec;
    const char *method = level_method(model, &spec);
    h = fnv(h, key, strlen(key) + 1);
    h = fnv(h, method, strlen(method) + 1);
    if (spec)
        h = fnv(h, spec, strlen(spec) + 1);
    int hdr[5] = {f->y0, f->P, y, k, (int)f->kind};
    h = fnv(h, hdr, sizeof hdr);
    long end = frame_at(f, y, k);
    if (end >= 0) {
        size_t n = (size_t)end + 1;
        h = fnv(h, f->val, n * sizeof *f->val);
        h = fnv(h, f->ytd, n * sizeof *f->ytd);
        h = fnv(h, f->gy, n * sizeof *f->gy);
        h = fnv(h, f->yoy, n * sizeof *f->yoy);
        h = fnv(h, f->cov, n);
    }
    return h ? h : 1;
}

/* ---- candidates --------------------------------------------------------- */

const char *rec_cand_name(int c, const char *model)
{
    switch (c) {
    case CAND_CARRY: return "carry";
    case CAND_RATE: return "rate";
    case CAND_RATE2: return "rate2y";
    default: return model ? model : "model";
    }
}

double rec_period_rate(const frame *f, int y, int j)
{
    double r = frame_get(f, f->yoy, y, j);
    if (!isnan(r))
        return r;
    double g = frame_get(f, f->gy, y, j);
    if (!isnan(g)) {
        if (j == 1)
            return g;
        double gp = frame_get(f, f->gy, y, j - 1);
        long ip = frame_at(f, y, j - 1);
        if (isnan(gp) && j == 2 && ip >= 0 && f->cov[ip])
            return g; /* a Jan–Feb release: its growth is the period's */
        double a = frame_get(f, f->ytd, y - 1, j), b = frame_get(f, f->ytd, y - 1, j - 1);
        if (!isnan(gp) && a > b && b > 0)
            return ((1 + g / 100) * a - (1 + gp / 100) * b) / (a - b) * 100 - 100;
    }
    double v = frame_get(f, f->val, y, j), vp = frame_get(f, f->val, y - 1, j);
    if (v > 0 && vp > 0 && f->kind == OT_KIND_FLOW)
        return (v / vp - 1) * 100;
    return NAN;
}

/* Weights of the periods of year y-1 as cumulative shares c[0..P] (c[0] = 0,
 * c[P] = 1): last year's ytd levels, else the reference's mean shapes before
 * y, else equal.  Returns which (2, 1, 0). */
int rec_weights(const frame *f, const frame *ref, int y, double *c)
{
    int P = f->P;
    double tot = frame_get(f, f->ytd, y - 1, P);
    int ok = tot > 0;
    for (int j = 1; j <= P && ok; j++)
        ok = frame_get(f, f->ytd, y - 1, j) > 0 ||
             (j == 1 && frame_at(f, y - 1, 1) >= 0 && f->cov[frame_at(f, y - 1, 1)]);
    c[0] = 0;
    if (ok) {
        for (int j = 1; j <= P; j++) {
            double v = frame_get(f, f->ytd, y - 1, j);
            c[j] = isnan(v) ? NAN : v / tot;
        }
        if (isnan(c[1]))
            c[1] = c[2] / 2; /* a covered January: half of the Jan–Feb release */
        return 2;
    }
    if (ref && ref->P == P && P > 1) {
        shape rs;
        shape_measure(ref, y, 1, P, &rs);
        if (rs.s_n && !isnan(rs.cum[P])) {
            for (int j = 0; j <= P; j++)
                c[j] = rs.cum[j];
            return 1;
        }
    }
    for (int j = 0; j <= P; j++)
        c[j] = (double)j / P;
    return 0;
}

int rec_fill_rate_ytd(frame *f, const double *cum)
{
    int P = f->P, filled = 0;
    for (int y = f->y0; y < f->y0 + f->ny; y++) {
        double c[SHAPE_MAXP + 1];
        int own = rec_weights(f, NULL, y, c) == 2;
        if (!own && cum)
            memcpy(c, cum, (size_t)(P + 1) * sizeof *c);
        double num = 0, den = 0, pending = 0;
        for (int j = 1; j <= P; j++) {
            long i = frame_at(f, y, j);
            double w = c[j] - c[j - 1], r = f->yoy[i];
            if (isnan(r)) {
                if (j == 1 && (f->cov[i] || !isnan(frame_get(f, f->yoy, y, 2)))) {
                    pending = w; /* no January: the Jan–Feb figure stands for both */
                    continue;
                }
                if (den == 0)
                    continue; /* the year's first rates not published: left out */
                break;
            }
            num += (w + pending) * (1 + r / 100);
            den += w + pending;
            pending = 0;
            if (isnan(f->gy[i]) && den > 0) {
                f->gy[i] = (num / den - 1) * 100;
                filled++;
            }
        }
    }
    return filled;
}

/* The carry-forward at (y, k): the ytd growth (flows), the latest yoy
 * (stocks). */
static double carry_at(const frame *f, int y, int k)
{
    return f->kind == OT_KIND_STOCK ? frame_get(f, f->yoy, y, k) : frame_get(f, f->gy, y, k);
}

/* The mean period rate of year y over the latest quarter-year of periods
 * through k (max(1, P/4) periods with a rate; a covered January is skipped,
 * any other gap ends the run), and in *last the mean of year y - 1's rates
 * over the same periods (NaN when one of them is missing).  NaN when year y
 * has no rate at k. */
static double recent_rate(const frame *f, int y, int k, double *last)
{
    int P = f->P, m = P / 4 > 1 ? P / 4 : 1, got = 0;
    double sum = 0, lsum = 0;
    for (int j = k; j >= 1 && got < m; j--) {
        double r = rec_period_rate(f, y, j);
        if (isnan(r)) {
            long i = frame_at(f, y, j);
            if (i >= 0 && f->cov[i])
                continue;
            break;
        }
        sum += r;
        lsum += rec_period_rate(f, y - 1, j);
        got++;
    }
    *last = got ? lsum / got : NAN;
    return got ? sum / got : NAN;
}

/* The published-growth-rate method at (y, k): the rest of the year at the
 * mean rate of the latest quarter-year of periods, aggregated with last
 * year's period weights: G = s (1 + g) + (1 - s)(1 + r) - 1 (§1); a stock's
 * December yoy is r. */
static double rate_at(const frame *f, const frame *ref, int y, int k)
{
    double last, r = recent_rate(f, y, k, &last);
    if (isnan(r))
        return NAN;
    if (f->kind == OT_KIND_STOCK)
        return r;
    double g = frame_get(f, f->gy, y, k);
    if (isnan(g))
        return NAN;
    double c[SHAPE_MAXP + 1];
    rec_weights(f, ref, y, c);
    return ot_pace_full_year(g, c[k], r);
}

double rec_stacked_rate(double r, double b, double lj)
{
    double two = (1 + r / 100) * (1 + b / 100) / (1 + lj / 100) * 100 - 100;
    return r + REC_BASE_SHRINK * (two - r);
}

/* The rate method with base effects at (y, k): as rate_at, but each later
 * period j grows at rec_stacked_rate(r, b, r_j(y-1)) — the two-year
 * (stacked) growth of the recent periods, (1 + r)(1 + b), carried to period
 * j over last year's rate there, half-way from the plain r.  Aggregated
 * with last year's weights: G = s (1 + g) + sum_j>k w_j (1 + r_j) - 1; a
 * stock's December yoy is r_P.  NaN when a rate of last year is missing. */
static double rate2_at(const frame *f, const frame *ref, int y, int k)
{
    int P = f->P;
    double b, r = recent_rate(f, y, k, &b);
    if (isnan(r) || isnan(b))
        return NAN;
    if (f->kind == OT_KIND_STOCK)
        return rec_stacked_rate(r, b, rec_period_rate(f, y - 1, P));
    double g = frame_get(f, f->gy, y, k);
    if (isnan(g))
        return NAN;
    double c[SHAPE_MAXP + 1];
    rec_weights(f, ref, y, c);
    double tot = c[k] * (1 + g / 100);
    for (int j = k + 1; j <= P; j++) {
        double lj = rec_period_rate(f, y - 1, j);
        if (isnan(lj))
            return NAN;
        tot += (c[j] - c[j - 1]) * (1 + rec_stacked_rate(r, b, lj) / 100);
    }
    return (tot - 1) * 100;
}

/* The level model's point at (y, k): the method fitted on the log period
 * values through (y, k), its mean forecast of the rest of the year added to
 * the ytd (flows) or taken at December (stocks), as growth on the published
 * basis (sproj.c, project_rich).  NaN when the run of values is too short. */
static int model_at(const frame *f, const char *key, int y, int k, const char *model,
                    ot_proj_memo *memo, const rec_src *keep, const ot_alloc *a, double *out,
                    ot_err *err)
{
    int P = f->P, stock = f->kind == OT_KIND_STOCK;
    *out = NAN;
    if (P < 4 || k < 1 || k >= P)
        return OT_OK;
    double base = stock ? frame_get(f, f->val, y - 1, P) : frame_get(f, f->ytd, y - 1, P);
    double now = stock ? frame_get(f, f->val, y, k) : frame_get(f, f->ytd, y, k);
    double then = stock ? frame_get(f, f->val, y - 1, k) : frame_get(f, f->ytd, y - 1, k);
    double pub = stock ? frame_get(f, f->yoy, y, k) : frame_get(f, f->gy, y, k);
    if (!(base > 0) || !(now > 0) || !(then > 0) || isnan(pub))
        return OT_OK;
    size_t cap = (size_t)(y - f->y0 + 1) * (size_t)P;
    if (sproj_value_run(f, y, k, NULL, cap, NULL) < (size_t)3 * P)
        return OT_OK;
    uint64_t hk = origin_hash(f, key, model, y, k);
    double v;
    if (memo_get(memo, hk, &v)) {
        *out = v;
        return OT_OK;
    }
    if (keep && keep->get && keep->get(keep->ud, hk, &v)) {
        memo_put(memo, hk, v);
        *out = v;
        return OT_OK;
    }
    int rc = OT_OK;
    size_t h = (size_t)(P - k);
    ot_series *s = NULL;
    ot_model *m = NULL;
    ot_forecast *fc = NULL;
    double *x = ot_malloc(a, cap * sizeof *x);
    if (!x)
        return ot_err_set(err, OT_ENOMEM, "out of memory");
    ot_ord start;
    size_t n = sproj_value_run(f, y, k, x, cap, &start);
    if (!(s = ot_series_new(a, f->freq, start, n, err))) {
        rc = OT_ENOMEM;
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        s->v[i] = log(x[i]);
    ot_model_opts mo = {0};
    const char *method = level_method(model, &mo.spec);
    if ((rc = ot_model_fit(s, method, &mo, &m, err)) == OT_OK)
        rc = ot_model_forecast(m, h, NULL, 0, &fc, err);
    if (rc == OT_EDATA) {
        if (err)
            ot_err_clear(err);
        rc = OT_OK;
        v = NAN;
    } else if (rc == OT_OK) {
        double tot = stock ? 0 : now, last = now;
        for (size_t i = 0; i < h; i++) {
            last = exp(fc->mean->v[i]);
            tot += last;
        }
        double lev = stock ? last : tot;
        double basis = (1 + pub / 100) / (now / then);
        v = (lev / base * basis - 1) * 100;
    }
    if (rc == OT_OK) {
        memo_put(memo, hk, v);
        if (keep && keep->put) {
            char origin[OT_PERIOD_STRMAX];
            ot_period_fmt(f->freq, ot_period_make(f->freq, y, k), origin, sizeof origin);
            keep->put(keep->ud, key, model, origin, hk, v);
        }
        *out = v;
    }
done:
    ot_forecast_free(fc);
    ot_model_free(m);
    ot_series_free(s);
    ot_free(a, x, cap * sizeof *x);
    return rc;
}

/* rec_points with the keeper of model points (NULL: the memo alone). */
static int points_kept(const frame *f, const frame *ref, const char *key, int y, int k,
                       const char *model, ot_proj_memo *memo, const rec_src *keep,
                       const ot_alloc *a, double *pts, ot_err *err);

int rec_points(const frame *f, const frame *ref, const char *key, int y, int k,
               const char *model, ot_proj_memo *memo, const ot_alloc *a, double *pts,
               ot_err *err)
{
    return points_kept(f, ref, key, y, k, model, memo, NULL, a, pts, err);
}

static int points_kept(const frame *f, const frame *ref, const char *key, int y, int k,
                       const char *model, ot_proj_memo *memo, const rec_src *keep,
                       const ot_alloc *a, double *pts, ot_err *err)
{
    for (int c = 0; c < REC_NC; c++)
        pts[c] = NAN;
    pts[CAND_CARRY] = carry_at(f, y, k);
    if (isnan(pts[CAND_CARRY]))
        return OT_OK;
    pts[CAND_RATE] = rate_at(f, ref, y, k);
    pts[CAND_RATE2] = rate2_at(f, ref, y, k);
    if (model)
        return model_at(f, key, y, k, model, memo, keep, a, &pts[CAND_MODEL], err);
    return OT_OK;
}

double rec_widen(int years, int borrowed)
{
    int n = years >= 2 ? years : 2;
    double w = sqrt(1 + 1.0 / n);
    /* two degrees of freedom at least: two years' record pools the errors
     * of up to seven as-of periods each, which tell more of the spread than
     * two draws, and with one (t = 3.08) the ranges of two-year records
     * covered 91-92 % at 80 % on series never seen (§14) */
    int df = n - 1 >= 2 ? n - 1 : 2;
    if (borrowed || n < REC_LONG)
        w *= gsl_cdf_tdist_Pinv(0.9, df) / gsl_cdf_ugaussian_Pinv(0.9);
    return w;
}

/* ---- the record --------------------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double rec_quantile(double *x, int n, double q)
{
    if (n <= 0)
        return NAN;
    qsort(x, (size_t)n, sizeof *x, cmp_double);
    double h = (n - 1) * q;
    int lo = (int)h;
    if (lo + 1 >= n)
        return x[n - 1];
    return x[lo] + (h - lo) * (x[lo + 1] - x[lo]);
}

/* The outcome of year y: the December ytd growth (flows), the December yoy
 * (stocks). */
static double outcome_at(const frame *f, int y)
{
    return carry_at(f, y, f->P);
}

/* The combination's point from candidate points p (mean of the chosen). */
static double combine(const double *p, unsigned chosen)
{
    double s = 0;
    int n = 0;
    for (int c = 0; c < REC_NC; c++)
        if (chosen & (1u << c)) {
            if (isnan(p[c]))
                return NAN;
            s += p[c];
            n++;
        }
    return n ? s / n : NAN;
}

/* How: years are taken from Y-1 backwards (those in excl_from..excl_to
 * skipped, as target years of the record — their data stay in every
 * series), keeping those with an outcome and a carry-forward at k, up to
 * REC_YEARS.  Candidate points at k-w..k+w (within 1..P-1; w = max(1, P/4),
 * REC_WMAX) of each year use only the data through that origin: the frame's
 * tables are read at or before (y, k') and at year y-1, never after.  The
 * outcome of y <= Y-1 is known at (Y, k).  Choice: the candidates with
 * points at k in at least REC_MIN years and now are scored by their mean
 * absolute error over the common (year, k') cells of that window;
 * carry-forward and those within REC_CLOSE of the best are averaged with
 * equal weights (Stock & Watson 2004; Claeskens et
 * al. 2016): with 8-14 years a record cannot tell a better method from a
 * lucky one, so a method that scores well is averaged with the spreadsheet's
 * figure, never substituted for it.  Errors: the combination's errors at k,
 * and at the window's other periods k' rescaled by the ratio of root mean
 * squares at k and k' (over the same years), pooled — Williams & Goodman's
 * empirical limits over a neighbourhood of horizons. */
int rec_build(record *r, const frame *f, const frame *ref, const char *key, int Y, int k,
              const char *model, int only, int excl_from, int excl_to, int keep_from,
              int keep_to, ot_proj_memo *memo, const ot_alloc *a, ot_err *err)
{
    return rec_build_at(r, f, ref, key, Y, k, model, only, excl_from, excl_to, keep_from, keep_to,
                        NULL, memo, a, err);
}

/* The thunk that turns an ot_source_at_fn into the ot_source_fn frame_load
 * reads through, for one origin. */
typedef struct origin_src {
    const rec_src *src;
    ot_freq freq;
    ot_ord ord;
} origin_src;

static int origin_read(void *ud, const char *key, const char *measure, ot_series **out,
                       ot_err *err)
{
    origin_src *o = ud;
    return o->src->at(o->src->ud, key, o->freq, o->ord, measure, out, err);
}

/* The candidates' points at origin (y, k) from the data as known then: key
 * read through src as of the day (y, k) was first published, cut at the
 * end of (y, k), laid out as f was (a rate-only series' ytd growth filled
 * the same way).  A frame with nothing known then gives no points. */
static int points_then(const rec_src *src, const frame *f, const frame *ref, const char *key,
                       int y, int k, const char *model, ot_proj_memo *memo, const ot_alloc *a,
                       double *pts, ot_err *err)
{
    frame fo;
    origin_src os = {src, f->freq, ot_period_make(f->freq, y, k)};
    int rc = frame_load(&fo, key, origin_read, &os, ot_period_last_day(f->freq, os.ord), a, err);
    if (rc == OT_OK) {
        if (fo.ny > 0 && fo.P == f->P) {
            if (src->fill_rate)
                rec_fill_rate_ytd(&fo, src->cum);
            rc = points_kept(&fo, ref, key, y, k, model, memo, src, a, pts, err);
        } else {
            for (int c = 0; c < REC_NC; c++)
                pts[c] = NAN;
        }
    }
    frame_free(&fo);
    return rc;
}

int rec_build_at(record *r, const frame *f, const frame *ref, const char *key, int Y, int k,
                 const char *model, int only, int excl_from, int excl_to, int keep_from,
                 int keep_to, const rec_src *src, ot_proj_memo *memo, const ot_alloc *a,
                 ot_err *err)
{
    const rec_src *keep = src;
    if (src && !src->at)
        src = NULL;
    int P = f->P, rc;
    memset(r, 0, sizeof *r);
    r->k = k;
    r->P = P;
    r->w = P / 4 > 1 ? P / 4 : 1;
    if (r->w > REC_WMAX)
        r->w = REC_WMAX;
    for (int c = 0; c < REC_NC; c++)
        r->mae[c] = r->now[c] = NAN;
    r->point = r->mae_chosen = NAN;
    if (k < 1 || k >= P)
        return OT_OK;
    for (int y = Y - 1; y > f->y0 && r->n < REC_YEARS; y--) {
        if ((excl_from && y >= excl_from && y <= excl_to) ||
            (keep_from && (y < keep_from || y > keep_to)))
            continue;
        double o = outcome_at(f, y);
        if (isnan(o) || isnan(carry_at(f, y, k)))
            continue;
        r->year[r->n] = y;
        r->out[r->n] = o;
        r->n++;
    }
    if (r->n < REC_MIN_SHORT)
        return OT_OK;
    int need = r->n < REC_MIN ? r->n : REC_MIN;
    if (r->n < REC_MIN && only < 0)
        only = CAND_CARRY; /* too few years to show that another beats carry-forward */
    r->last = r->year[0];
    r->first = r->year[r->n - 1];
    /* a level model needs three years of values before each origin: without
     * enough such years it cannot enter the running, so it is not fitted */
    if (model) {
        int fit = 0;
        for (int i = 0; i < r->n; i++)
            fit += sproj_value_run(f, r->year[i], k, NULL, (size_t)3 * P, NULL) >= (size_t)3 * P;
        if (fit < need)
            model = NULL;
    }
    if ((rc = points_kept(f, ref, key, Y, k, model, memo, keep, a, r->now, err)))
        return rc;
    int w = r->w, span = 2 * w + 1;
    for (int d = 0; d < span; d++) {
        int kk = k + d - w;
        for (int i = 0; i < r->n; i++) {
            for (int c = 0; c < REC_NC; c++)
                r->pt[d][i][c] = NAN;
            if (kk < 1 || kk >= P)
                continue;
            const char *m = isnan(r->now[CAND_MODEL]) ? NULL : model;
            rc = src ? points_then(src, f, ref, key, r->year[i], kk, m, memo, a, r->pt[d][i], err)
                     : points_kept(f, ref, key, r->year[i], kk, m, memo, keep, a, r->pt[d][i],
                                   err);
            if (rc)
                return rc;
        }
    }
    /* candidates in the running */
    unsigned run = 0;
    for (int c = 0; c < REC_NC; c++) {
        for (int i = 0; i < r->n; i++)
            r->used[c] += !isnan(r->pt[w][i][c]);
        if (!isnan(r->now[c]) && r->used[c] >= need && (only < 0 || only == c))
            run |= 1u << c;
    }
    if (!run) {
        r->n = 0; /* nothing to choose from: the caller falls back */
        return OT_OK;
    }
    /* MAE over the common cells */
    double sum[REC_NC] = {0};
    int cnt = 0;
    for (int d = 0; d < span; d++)
        for (int i = 0; i < r->n; i++) {
            int ok = 1;
            for (int c = 0; c < REC_NC; c++)
                if ((run & (1u << c)) && isnan(r->pt[d][i][c]))
                    ok = 0;
            if (!ok)
                continue;
            for (int c = 0; c < REC_NC; c++)
                if (run & (1u << c))
                    sum[c] += fabs(r->pt[d][i][c] - r->out[i]);
            cnt++;
        }
    double best = INFINITY;
    for (int c = 0; c < REC_NC; c++)
        if ((run & (1u << c)) && cnt) {
            r->mae[c] = sum[c] / cnt;
            if (r->mae[c] < best)
                best = r->mae[c];
        }
    for (int c = 0; c < REC_NC; c++)
        if ((run & (1u << c)) && (!cnt || r->mae[c] <= best * (1 + REC_CLOSE) + 1e-12))
            r->chosen |= 1u << c;
    if (run & (1u << CAND_CARRY))
        r->chosen |= 1u << CAND_CARRY; /* carry-forward stays in: averaged with, never replaced */
    r->point = combine(r->now, r->chosen);
    double sc = 0;
    int nc = 0;
    for (int d = 0; d < span; d++)
        for (int i = 0; i < r->n; i++) {
            double x = combine(r->pt[d][i], run);
            if (isnan(x))
                continue; /* not a common cell */
            sc += fabs(combine(r->pt[d][i], r->chosen) - r->out[i]);
            nc++;
        }
    r->mae_chosen = nc ? sc / nc : NAN;
    /* the combination's errors, pooled over k-w..k+w: k's first, then each
     * other period's rescaled to k's spread */
    double e[REC_SPAN][REC_YEARS];
    for (int d = 0; d < span; d++)
        for (int i = 0; i < r->n; i++)
            e[d][i] = r->out[i] - combine(r->pt[d][i], r->chosen);
    for (int i = 0; i < r->n; i++)
        if (!isnan(e[w][i]))
            r->err[r->nerr++] = e[w][i];
    r->years_k = r->nerr;
    for (int d = 0; d < span; d++) {
        if (d == w)
            continue;
        /* the scale ratio over the years both periods have */
        double q1 = 0, qd = 0;
        int both = 0;
        for (int i = 0; i < r->n; i++)
            if (!isnan(e[w][i]) && !isnan(e[d][i])) {
                q1 += e[w][i] * e[w][i];
                qd += e[d][i] * e[d][i];
                both++;
            }
        if (both < need || !(qd > 0))
            continue;
        double scale = sqrt(q1 / qd);
        for (int i = 0; i < r->n; i++)
            if (!isnan(e[d][i]) && r->nerr < REC_ERRS)
                r->err[r->nerr++] = e[d][i] * scale;
    }
    return OT_OK;
}
