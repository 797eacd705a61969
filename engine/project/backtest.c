/* backtest.c — accuracy and calibration of full-year growth projections
 * over past years, and the same figures for the spreadsheet's
 * carry-plus-record baseline (backtest.h; docs/backtest.md). */
#include "project/backtest.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/target.h"

void ot_backtest_init(ot_backtest *b)
{
    b->series = b->cases = b->n_prob = 0;
    b->brier = NAN;
    b->sum_brier = 0;
    for (int m = 0; m < OT_BT_MONTHS; m++)
        b->month[m] = (ot_backtest_month){0, NAN, 0, NAN, 0, 0};
    for (int k = 0; k < OT_BT_BINS; k++)
        b->bin[k] = (ot_backtest_bin){0, NAN, NAN, 0, 0};
    for (int m = 0; m < OT_BT_MONTHS; m++)
        ot_backtest_cell_init(&b->by_month[m]);
    ot_backtest_cell_init(&b->all);
    b->compared = b->worse_mae = b->worse_brier = b->worse_crps = b->worse_any = 0;
}

void ot_backtest_add_point(ot_backtest *b, int month, double point, double carry, double outcome)
{
    if (month < 1 || month > OT_BT_MONTHS || isnan(point) || isnan(outcome))
        return;
    ot_backtest_month *m = &b->month[month - 1];
    m->n++;
    m->sum += fabs(point - outcome);
    if (!isnan(carry)) {
        m->n_carry++;
        m->sum_carry += fabs(carry - outcome);
    }
}

void ot_backtest_add_prob(ot_backtest *b, double prob, int met)
{
    if (isnan(prob))
        return;
    prob = prob < 0 ? 0 : prob > 1 ? 1 : prob;
    double o = met ? 1.0 : 0.0;
    b->n_prob++;
    b->sum_brier += (prob - o) * (prob - o);
    int k = (int)(prob * OT_BT_BINS);
    if (k >= OT_BT_BINS)
        k = OT_BT_BINS - 1;
    b->bin[k].n++;
    b->bin[k].sum_prob += prob;
    b->bin[k].hits += o;
}

void ot_backtest_finish(ot_backtest *b)
{
    for (int m = 0; m < OT_BT_MONTHS; m++) {
        ot_backtest_month *x = &b->month[m];
        x->mae = x->n ? x->sum / (double)x->n : NAN;
        x->mae_carry = x->n_carry ? x->sum_carry / (double)x->n_carry : NAN;
    }
    b->brier = b->n_prob ? b->sum_brier / (double)b->n_prob : NAN;
    for (int k = 0; k < OT_BT_BINS; k++) {
        ot_backtest_bin *x = &b->bin[k];
        x->mean_prob = x->n ? x->sum_prob / (double)x->n : NAN;
        x->freq = x->n ? x->hits / (double)x->n : NAN;
    }
}

/* The sums of a cell, in ot_backtest_cell.s. */
enum { S_AE, S_AE_CARRY, S_BRIER, S_BRIER_BASE, S_IN80, S_IN95, S_W80, S_W95, S_CRPS, S_CRPS_BASE,
       S_COUNT };

double ot_backtest_base_prob(double carry, const double *e, size_t n, double T)
{
    if (n < OT_BT_RECORD_MIN || isnan(carry) || isnan(T))
        return NAN;
    size_t hit = 0;
    for (size_t i = 0; i < n; i++)
        hit += carry + e[i] >= T;
    return 0.05 + 0.9 * (double)hit / (double)n;
}

/* The empirical CRPS: E|X - y| - E|X - X'| / 2 over the sample (the kernel
 * form of Gneiting & Raftery 2007, §4.2, with the empirical distribution
 * for F). */
double ot_backtest_crps_sample(const double *x, size_t n, double y)
{
    if (n == 0 || isnan(y))
        return NAN;
    double a = 0, d = 0;
    for (size_t i = 0; i < n; i++) {
        a += fabs(x[i] - y);
        for (size_t j = i + 1; j < n; j++)
            d += fabs(x[i] - x[j]);
    }
    double nn = (double)n;
    return a / nn - d / (nn * nn); /* the pairs i < j are half of sum_ij */
}

/* The antiderivative of (I - t)(a + b t): I a t + (I b - a) t^2 / 2 - b t^3 / 3. */
static double pinball_int(double I, double a, double b, double t)
{
    return I * a * t + (I * b - a) * t * t / 2 - b * t * t * t / 3;
}

/* CRPS(F, y) = 2 ∫_0^1 (1{y < Q(t)} - t)(Q(t) - y) dt, the quantile (pinball)
 * form (Laio & Tamea 2007).  Q is linear on
 * each segment between the knots, so the integrand is a polynomial on each
 * side of the point where Q crosses y and the integral is exact.  The
 * quantiles are made non-decreasing first (a running maximum). */
double ot_backtest_crps_quantiles(const double q[5], double y)
{
    static const double tau[7] = {0, 0.025, 0.10, 0.50, 0.90, 0.975, 1};
    double k[7];
    for (int i = 0; i < 5; i++) {
        if (isnan(q[i]))
            return NAN;
        k[i + 1] = i && q[i] < k[i] ? k[i] : q[i];
    }
    if (isnan(y))
        return NAN;
    /* the outer segments continue the slopes of their neighbours */
    k[0] = k[1] - (k[2] - k[1]) * (tau[1] - tau[0]) / (tau[2] - tau[1]);
    k[6] = k[5] + (k[5] - k[4]) * (tau[6] - tau[5]) / (tau[5] - tau[4]);
    double sum = 0;
    for (int i = 0; i < 6; i++) {
        double ta = tau[i], tb = tau[i + 1];
        double b = (k[i + 1] - k[i]) / (tb - ta), a = k[i] - y - b * ta; /* Q(t) - y = a + b t */
        double c; /* Q < y below c, Q > y above it */
        if (b == 0)
            c = a > 0 ? ta : tb;
        else
            c = -a / b;
        c = c < ta ? ta : c > tb ? tb : c;
        sum += pinball_int(0, a, b, c) - pinball_int(0, a, b, ta);
        sum += pinball_int(1, a, b, tb) - pinball_int(1, a, b, c);
    }
    return 2 * sum;
}

void ot_backtest_cell_init(ot_backtest_cell *c)
{
    c->n = c->n_prob = 0;
    c->mae = c->mae_carry = c->brier = c->brier_base = NAN;
    c->cover80 = c->cover95 = c->width80 = c->width95 = c->crps = c->crps_base = NAN;
    for (int i = 0; i < S_COUNT; i++)
        c->s[i] = 0;
}

int ot_backtest_cell_add(ot_backtest_cell *c, const ot_backtest_case *k)
{
    if (isnan(k->outcome) || isnan(k->point) || isnan(k->lo95) || isnan(k->lo80) ||
        isnan(k->hi80) || isnan(k->hi95) || isnan(k->carry) || k->n_err < OT_BT_RECORD_MIN)
        return 0;
    double y = k->outcome;
    c->n++;
    c->s[S_AE] += fabs(k->point - y);
    c->s[S_AE_CARRY] += fabs(k->carry - y);
    c->s[S_IN80] += k->lo80 <= y && y <= k->hi80;
    c->s[S_IN95] += k->lo95 <= y && y <= k->hi95;
    c->s[S_W80] += k->hi80 - k->lo80;
    c->s[S_W95] += k->hi95 - k->lo95;
    const double q[5] = {k->lo95, k->lo80, k->point, k->hi80, k->hi95};
    c->s[S_CRPS] += ot_backtest_crps_quantiles(q, y);
    /* the baseline's sample is carry + e; its CRPS at y is that of e at y - carry */
    c->s[S_CRPS_BASE] += ot_backtest_crps_sample(k->err, k->n_err, y - k->carry);
    for (int j = 0; j < OT_BT_TARGETS; j++) {
        if (isnan(k->prob[j]) || isnan(k->target[j]))
            continue;
        double met = y >= k->target[j] ? 1 : 0;
        double pm = k->prob[j] < 0 ? 0 : k->prob[j] > 1 ? 1 : k->prob[j];
        double pb = ot_backtest_base_prob(k->carry, k->err, k->n_err, k->target[j]);
        c->n_prob++;
        c->s[S_BRIER] += (pm - met) * (pm - met);
        c->s[S_BRIER_BASE] += (pb - met) * (pb - met);
    }
    return 1;
}

void ot_backtest_cell_finish(ot_backtest_cell *c)
{
    double n = (double)c->n, np = (double)c->n_prob;
    c->mae = c->n ? c->s[S_AE] / n : NAN;
    c->mae_carry = c->n ? c->s[S_AE_CARRY] / n : NAN;
    c->cover80 = c->n ? c->s[S_IN80] / n : NAN;
    c->cover95 = c->n ? c->s[S_IN95] / n : NAN;
    c->width80 = c->n ? c->s[S_W80] / n : NAN;
    c->width95 = c->n ? c->s[S_W95] / n : NAN;
    c->crps = c->n ? c->s[S_CRPS] / n : NAN;
    c->crps_base = c->n ? c->s[S_CRPS_BASE] / n : NAN;
    c->brier = c->n_prob ? c->s[S_BRIER] / np : NAN;
    c->brier_base = c->n_prob ? c->s[S_BRIER_BASE] / np : NAN;
}

#define WORSE_EPS 1e-9 /* below this a difference is rounding, not worse */

static int worse(double model, double base)
{
    return model > base + WORSE_EPS;
}

unsigned ot_backtest_cell_worse(const ot_backtest_cell *c)
{
    if (!c->n)
        return 0;
    return (worse(c->mae, c->mae_carry) ? OT_BT_WORSE_MAE : 0) |
           (c->n_prob && worse(c->brier, c->brier_base) ? OT_BT_WORSE_BRIER : 0) |
           (worse(c->crps, c->crps_base) ? OT_BT_WORSE_CRPS : 0);
}

/* A growth target of key for year y at value (borrowing key, not owning it). */
static void growth_target(ot_target *t, const char *key, int y, double value)
{
    ot_target_init(t);
    t->series = (char *)key;
    t->year = y;
    t->kind = OT_TARGET_GROWTH;
    t->op = OT_OP_GE;
    t->value = value;
}

static int excluded(const ot_backtest_opts *o, int y)
{
    for (size_t i = 0; i < o->n_exclude; i++)
        if (o->exclude[i] == y)
            return 1;
    return 0;
}

/* The kind of series key and, for a stock, *yoy: its published yoy %, else
 * its levels turned into yoy % (a new series the caller frees), NULL when
 * neither is stored.  *stock is 1 for a stock.  The source's errors other
 * than OT_ENOTFOUND come back. */
static int read_stock(const char *key, ot_source_fn src, void *ud, int *stock, ot_series **yoy,
                      ot_err *err)
{
    static const char *const measures[] = {"value", "ytd", "yoy", "ytd_yoy"};
    ot_series *s = NULL;
    *stock = 0;
    *yoy = NULL;
    for (size_t i = 0; i < sizeof measures / sizeof *measures && !s; i++) {
        int rc = src(ud, key, measures[i], &s, err);
        if (rc == OT_ENOTFOUND)
            s = NULL;
        else if (rc)
            return rc;
    }
    if (!s || s->kind != OT_KIND_STOCK) {
        ot_series_free(s);
        return OT_OK;
    }
    *stock = 1;
    ot_series_free(s);
    s = NULL;
    int rc = src(ud, key, "yoy", &s, err);
    if (rc == OT_OK) {
        *yoy = s;
        return OT_OK;
    }
    if (rc != OT_ENOTFOUND)
        return rc;
    if ((rc = src(ud, key, "value", &s, err)) == OT_ENOTFOUND)
        return OT_OK;
    if (rc)
        return rc;
    /* yoy from the levels: 100 (v_t / v_{t-L} - 1), L periods a year */
    size_t L = (size_t)ot_freq_per_year(s->freq);
    ot_series *g = ot_series_new(NULL, s->freq, s->start, s->n, err);
    if (!g) {
        ot_series_free(s);
        return OT_ENOMEM;
    }
    for (size_t t = L; t < s->n; t++)
        if (s->v[t - L] > 0 && !isnan(s->v[t]))
            g->v[t] = 100 * (s->v[t] / s->v[t - L] - 1);
    ot_series_free(s);
    *yoy = g;
    return OT_OK;
}

/* The latest yoy of y in the periods that end by the end of the period
 * latest ("2023-06", "2023Q2": the latest the projection used, so that the
 * spreadsheet sees what the projection saw, release lags included); NaN when
 * none or latest is not a period. */
static double latest_yoy(const ot_series *y, const char *latest)
{
    ot_period p;
    ot_err e;
    if (!y || y->n == 0 || !*latest || ot_period_parse(latest, (size_t)-1, &p, &e) != OT_OK)
        return NAN;
    if (p.freq == OT_FREQ_D || y->freq == OT_FREQ_D)
        return NAN;
    ot_ord cut = p.freq == OT_FREQ_M ? p.ord : ot_period_last_sub(p.freq, p.ord, OT_FREQ_M), last;
    if (y->freq == OT_FREQ_M) {
        last = cut;
    } else {
        last = ot_period_convert(OT_FREQ_M, cut, y->freq);
        if (ot_period_last_sub(y->freq, last, OT_FREQ_M) > cut)
            last--;
    }
    if (last >= y->start + (ot_ord)y->n)
        last = y->start + (ot_ord)y->n - 1;
    for (ot_ord t = last; t >= y->start; t--)
        if (!isnan(y->v[t - y->start]))
            return y->v[t - y->start];
    return NAN;
}

typedef struct btrun {
    const ot_backtest_series *s;
    size_t n, ny;
    int y0;
    double *outcome;     /* [i * ny + (y - y0)] */
    double *carry;       /* [(i * ny + (y - y0)) * OT_BT_MONTHS + m - 1] */
    ot_series **yoy;     /* [i]: a stock's yoy, else NULL */
    unsigned char *stock;
} btrun;

#define OUTCOME(r, i, y) ((r)->outcome[(i) * (r)->ny + (size_t)((y) - (r)->y0)])
#define CARRY(r, i, y, m) ((r)->carry[((i) * (r)->ny + (size_t)((y) - (r)->y0)) * OT_BT_MONTHS + \
                                      (size_t)(m) - 1])

/* The carry-forward figure of projection p of series i: the latest yoy
 * for a stock, else the projection's (the ytd growth). */
static double carry_of(const btrun *r, size_t i, const ot_projection *p)
{
    if (p->status == OT_STATUS_NO_DATA)
        return NAN;
    return r->stock[i] ? latest_yoy(r->yoy[i], p->latest) : p->carry;
}

/* The baseline's record of series i at month m for a target in year:
 * outcome - carry of every earlier year not excluded, into e.  Returns
 * how many. */
static size_t record(const btrun *r, const ot_backtest_opts *o, size_t i, int year, int m,
                     double *e)
{
    size_t k = 0;
    for (int y = r->y0; y < year; y++) {
        double out = OUTCOME(r, i, y), c = CARRY(r, i, y, m);
        if (!isnan(out) && !isnan(c) && !excluded(o, y))
            e[k++] = out - c;
    }
    return k;
}

/* Is series i scored in year y (in range, not excluded, this year's and
 * last year's outcomes known)? */
static int scored(const btrun *r, const ot_backtest_opts *o, size_t i, int y)
{
    if (y <= r->y0 || y >= r->y0 + (int)r->ny || excluded(o, y))
        return 0;
    if ((o->year_from && y < o->year_from) || (o->year_to && y > o->year_to))
        return 0;
    return !isnan(OUTCOME(r, i, y)) && !isnan(OUTCOME(r, i, y - 1));
}

/* Does the baseline of a later scored year of series i need the carry
 * figures of year y, which is not scored itself? */
static int record_only(const btrun *r, const ot_backtest_opts *o, size_t i, int y,
                       const int *last_scored)
{
    return !scored(r, o, i, y) && !excluded(o, y) && !isnan(OUTCOME(r, i, y)) &&
           y < last_scored[i];
}

static void row_init(ot_backtest_row *w)
{
    w->stock = 0;
    w->years = w->carried = 0;
    w->first = w->last = 0;
    for (int m = 0; m < OT_BT_MONTHS; m++)
        ot_backtest_cell_init(&w->month[m]);
    ot_backtest_cell_init(&w->all);
}

/* How it works: one batch projects every series-year on all the data to
 * learn the outcomes; then, year by year from the earliest the baselines
 * need, and per as-of month, one batch holds three targets per scored
 * series (last year's growth G - 2, G, G + 2) cut at that month, and one
 * more (one target, few paths: only its carry-forward figure is used) the
 * series whose year only feeds a later year's baseline.  The
 * three targets differ only in value, so they share a random stream
 * (projection.h) and their probabilities are consistent with one another.
 * Years are taken in order, so a year's baseline finds the carry figures of
 * the earlier ones already made. */
/* The records' exceptional years from the years a backtest leaves out
 * (so that the years scored and the years the records learn from agree):
 * the longest run of consecutive years among them, the latest on a tie (a
 * record leaves out one range, ot_proj_opts.exclude_years); no years given:
 * y untouched (the projection's default). */
static void record_exclusion(const int *ex, size_t n, int y[2])
{
    int best = 0;
    for (size_t i = 0; i < n; i++) {
        int a = ex[i], b = ex[i];
        for (int grew = 1; grew;) {
            grew = 0;
            for (size_t j = 0; j < n; j++)
                if (ex[j] == b + 1 || ex[j] == a - 1) {
                    a = ex[j] < a ? ex[j] : a;
                    b = ex[j] > b ? ex[j] : b;
                    grew = 1;
                }
        }
        if (b - a + 1 > best || (b - a + 1 == best && a > y[0])) {
            best = b - a + 1;
            y[0] = a;
            y[1] = b;
        }
    }
}

int ot_backtest_run(const ot_backtest_series *s, size_t n, ot_source_fn src, void *ud,
                    const ot_backtest_opts *o, ot_backtest *out, ot_backtest_row *rows,
                    ot_err *err)
{
    ot_backtest b;
    ot_backtest_init(&b);
    int y0 = 0, y1 = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i].last_year < s[i].first_year)
            return ot_err_set(err, OT_EINVAL, "%s: last year %d before first year %d", s[i].key,
                              s[i].last_year, s[i].first_year);
        if (i == 0 || s[i].first_year < y0)
            y0 = s[i].first_year;
        if (i == 0 || s[i].last_year > y1)
            y1 = s[i].last_year;
    }
    if (o->year_from && o->year_to && o->year_from > o->year_to)
        return ot_err_set(err, OT_EINVAL, "years %d-%d: the first is after the last", o->year_from,
                          o->year_to);
    int m0 = o->month_from ? o->month_from : 1, m1 = o->month_to ? o->month_to : OT_BT_MONTHS;
    if (m0 < 1 || m1 > OT_BT_MONTHS || m0 > m1)
        return ot_err_set(err, OT_EINVAL, "months %d-%d: expected months within 1-%d, the first "
                          "not after the last", m0, m1, OT_BT_MONTHS);
    if (o->n_exclude > OT_BT_YEARS_MAX)
        return ot_err_set(err, OT_EINVAL, "%zu years excluded: at most %d", o->n_exclude,
                          OT_BT_YEARS_MAX);
    if (n == 0) {
        ot_backtest_finish(&b);
        *out = b;
        return OT_OK;
    }
    btrun r = {s, n, (size_t)(y1 - y0 + 1), y0, NULL, NULL, NULL, NULL};
    size_t ny = r.ny;
    ot_proj_opts po, pr;
    ot_proj_opts_init(&po);
    po.paths = o->paths ? o->paths : 1000;
    po.seed = o->seed;
    po.method = o->method;
    po.shape = o->shape;
    po.source_at = o->source_at;
    po.revised = o->revised;
    po.record_get = o->record_get;
    po.record_put = o->record_put;
    record_exclusion(o->exclude, o->n_exclude, po.exclude_years);
    po.threads = o->threads;
    po.intervals = o->intervals;
    po.alloc = o->alloc;
    /* the record-only years: only the carry figure is used, so few paths and
     * no calibration; the same method, so that the same path through the
     * projection (and the same carry figure) is taken as in a scored year */
    pr = po;
    pr.paths = 16;
    pr.intervals = OT_PI_MODEL;

    /* The working arrays come from the caller's allocator, as the
     * projections' working memory does (a script's --memory counts them). */
    int rc = OT_OK;
    const ot_alloc *a = o->alloc;
    size_t cap = n * (ny > OT_BT_TARGETS ? ny : OT_BT_TARGETS);
    const size_t sz_w = n * sizeof(ot_backtest_row), sz_out = n * ny * sizeof(double),
                 sz_carry = n * ny * OT_BT_MONTHS * sizeof(double),
                 sz_yoy = n * sizeof(ot_series *), sz_stock = n, sz_last = n * sizeof(int),
                 sz_e = ny * sizeof(double), sz_t = cap * sizeof(ot_target),
                 sz_tr = n * sizeof(ot_target), sz_p = cap * sizeof(ot_projection),
                 sz_pp = n * sizeof(ot_projection), sz_who = cap * sizeof(size_t),
                 sz_whor = n * sizeof(size_t);
    ot_backtest_row *w = ot_malloc(a, sz_w);
    r.outcome = ot_malloc(a, sz_out);
    r.carry = ot_malloc(a, sz_carry);
    r.yoy = ot_malloc(a, sz_yoy);
    for (size_t i = 0; r.yoy && i < n; i++)
        r.yoy[i] = NULL; /* freed at done: no garbage even when a later array fails */
    r.stock = ot_malloc(a, sz_stock);
    int *last_scored = ot_malloc(a, sz_last);
    double *e = ot_malloc(a, sz_e);
    ot_target *t = ot_malloc(a, sz_t), *tr = ot_malloc(a, sz_tr);
    ot_projection *p = ot_malloc(a, sz_p), *pp = ot_malloc(a, sz_pp);
    size_t *who = ot_malloc(a, sz_who), *whor = ot_malloc(a, sz_whor);
    if (!w || !r.outcome || !r.carry || !r.yoy || !r.stock || !last_scored || !e || !t || !tr ||
        !p || !pp || !who || !whor) {
        rc = ot_err_set(err, OT_ENOMEM, "out of memory");
        goto done;
    }
    memset(r.stock, 0, sz_stock);
    memset(last_scored, 0, sz_last);
    for (size_t i = 0; i < n; i++)
        row_init(&w[i]);
    for (size_t j = 0; j < n * ny * OT_BT_MONTHS; j++)
        r.carry[j] = NAN;
    for (size_t i = 0; i < n; i++) {
        int stock;
        if ((rc = read_stock(s[i].key, src, ud, &stock, &r.yoy[i], err)))
            goto done;
        r.stock[i] = (unsigned char)stock;
        w[i].stock = stock;
    }

    /* the outcomes */
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        for (int y = s[i].first_year + 1; y <= s[i].last_year; y++) {
            growth_target(&t[k], s[i].key, y, 0);
            who[k++] = i * ny + (size_t)(y - y0);
        }
    for (size_t j = 0; j < n * ny; j++)
        r.outcome[j] = NAN;
    if (k && (rc = ot_project_many(t, k, src, ud, &po, p, err)))
        goto done;
    for (size_t j = 0; j < k; j++)
        if (p[j].has_outcome)
            r.outcome[who[j]] = p[j].outcome;

    /* the plan: which years run which batches, for the progress count */
    size_t total = 1, done_n = 1;
    int first_y = 0;
    for (size_t i = 0; i < n; i++)
        for (int y = y0 + 1; y <= y1; y++)
            if (scored(&r, o, i, y))
                last_scored[i] = y;
    for (int y = y0 + 1; y <= y1; y++) {
        int sc = 0, ro = 0;
        for (size_t i = 0; i < n; i++) {
            sc |= scored(&r, o, i, y);
            ro |= record_only(&r, o, i, y, last_scored);
        }
        total += (size_t)(sc + ro) * (size_t)(m1 - m0 + 1);
        if ((sc || ro) && !first_y)
            first_y = y;
    }
    if (o->progress)
        o->progress(o->progress_ud, done_n, total);

    for (int y = first_y; first_y && y <= y1; y++) {
        size_t m = 0, mr = 0;
        for (size_t i = 0; i < n; i++) {
            if (scored(&r, o, i, y)) {
                double before = OUTCOME(&r, i, y - 1);
                for (int d = -1; d <= 1; d++) {
                    growth_target(&t[m], s[i].key, y, before + d * OT_BT_SPREAD);
                    who[m++] = i;
                }
                b.cases++;
                w[i].years++;
                if (!w[i].first)
                    w[i].first = y;
                w[i].last = y;
            } else if (record_only(&r, o, i, y, last_scored)) {
                growth_target(&tr[mr], s[i].key, y, 0);
                whor[mr++] = i;
            }
        }
        for (int month = m0; month <= m1 && (m || mr); month++) {
            char cut[16];
            snprintf(cut, sizeof cut, "%04d-%02d", y, month);
            if (mr) {
                pr.as_of_period = cut;
                if ((rc = ot_project_many(tr, mr, src, ud, &pr, pp, err)))
                    goto done;
                for (size_t j = 0; j < mr; j++)
                    CARRY(&r, whor[j], y, month) = carry_of(&r, whor[j], &pp[j]);
                if (o->progress)
                    o->progress(o->progress_ud, ++done_n, total);
            }
            if (!m)
                continue;
            po.as_of_period = cut;
            if ((rc = ot_project_many(t, m, src, ud, &po, p, err)))
                goto done;
            for (size_t j = 0; j < m; j += OT_BT_TARGETS) {
                size_t i = who[j];
                double G = OUTCOME(&r, i, y);
                const ot_projection *c = &p[j + 1]; /* the target at last year's growth */
                double carry = carry_of(&r, i, c);
                CARRY(&r, i, y, month) = carry;
                if (c->status != OT_STATUS_NO_DATA)
                    ot_backtest_add_point(&b, month, c->point, carry, G);
                ot_backtest_case kc = {G, c->point, c->lo95, c->lo80, c->hi80, c->hi95,
                                       {0}, {0}, carry, e, 0};
                for (size_t d = 0; d < OT_BT_TARGETS; d++) {
                    const ot_projection *q = &p[j + d];
                    kc.target[d] = t[j + d].value;
                    kc.prob[d] = q->status != OT_STATUS_NO_DATA ? q->prob : NAN;
                    if (q->status != OT_STATUS_NO_DATA)
                        ot_backtest_add_prob(&b, q->prob, ot_target_test(&t[j + d], G));
                }
                if (c->status == OT_STATUS_NO_DATA)
                    continue;
                w[i].carried += !isnan(carry);
                kc.n_err = record(&r, o, i, y, month, e);
                int compared = ot_backtest_cell_add(&w[i].month[month - 1], &kc);
                if (compared) {
                    ot_backtest_cell_add(&w[i].all, &kc);
                    ot_backtest_cell_add(&b.by_month[month - 1], &kc);
                    ot_backtest_cell_add(&b.all, &kc);
                }
                if (o->on_case)
                    o->on_case(o->case_ud, s[i].key, y, month, &kc, compared, &c->method);
            }
            if (o->progress)
                o->progress(o->progress_ud, ++done_n, total);
        }
    }
    for (size_t i = 0; i < n; i++) {
        b.series += w[i].years > 0;
        for (int mm = 0; mm < OT_BT_MONTHS; mm++)
            ot_backtest_cell_finish(&w[i].month[mm]);
        ot_backtest_cell_finish(&w[i].all);
        const ot_backtest_cell *c = &w[i].all;
        if (!c->n)
            continue;
        unsigned wr = ot_backtest_cell_worse(c);
        b.compared++;
        b.worse_mae += (wr & OT_BT_WORSE_MAE) != 0;
        b.worse_brier += (wr & OT_BT_WORSE_BRIER) != 0;
        b.worse_crps += (wr & OT_BT_WORSE_CRPS) != 0;
        b.worse_any += (wr & (OT_BT_WORSE_MAE | OT_BT_WORSE_BRIER)) != 0;
    }
    for (int mm = 0; mm < OT_BT_MONTHS; mm++)
        ot_backtest_cell_finish(&b.by_month[mm]);
    ot_backtest_cell_finish(&b.all);
    ot_backtest_finish(&b);
    *out = b;
    if (rows)
        memcpy(rows, w, n * sizeof *rows);
done:
    ot_free(a, w, sz_w);
    ot_free(a, whor, sz_whor);
    ot_free(a, who, sz_who);
    ot_free(a, pp, sz_pp);
    ot_free(a, p, sz_p);
    ot_free(a, tr, sz_tr);
    ot_free(a, t, sz_t);
    ot_free(a, e, sz_e);
    ot_free(a, last_scored, sz_last);
    if (r.yoy)
        for (size_t i = 0; i < n; i++)
            ot_series_free(r.yoy[i]);
    ot_free(a, r.yoy, sz_yoy);
    ot_free(a, r.stock, sz_stock);
    ot_free(a, r.carry, sz_carry);
    ot_free(a, r.outcome, sz_out);
    return rc;
}
