/* ops.c — the time-series operations declared in ops.h.
 *
 * Each op allocates its result once (ot_series_new with the input's
 * allocator), fills it in tight loops over the double arrays, and sets flags
 * only when some position is covered.  Jan–Feb combined values are handled
 * through two helpers: span_at (how many positions a value stands for) and
 * block_sum (the exact total of a range, or NaN when a value straddles its
 * edges or something is missing).  Semantics are documented in ops.h.
 */
#include "core/ops.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

const char *const ot_agg_names[] = {"sum", "mean", "last", "first", NULL};
const char *const ot_roll_names[] = {"mean", "sum", "min", "max", "sd", NULL};
const char *const ot_fill_names[] = {"linear", "previous", "none", NULL};
const char *const ot_align_names[] = {"union", "intersect", NULL};

int ot_ops_name_parse(const char *const names[], const char *s)
{
    if (!s)
        return -1;
    for (int i = 0; names[i]; i++)
        if (strcmp(names[i], s) == 0)
            return i;
    return -1;
}

/* ---- helpers ------------------------------------------------------------- */

/* Flag test by index; i must be inside s. */
static inline int cov(const ot_series *s, size_t i)
{
    return s->flags && (s->flags[i] & OT_OBS_COVERED);
}

/* Index of ordinal o in s, or -1 when outside. */
static inline int64_t idx(const ot_series *s, int64_t o)
{
    int64_t i = o - s->start;
    return i >= 0 && i < (int64_t)s->n ? i : -1;
}

/* Positions the value at index i stands for: 1 + the covered run before it. */
static size_t span_at(const ot_series *s, size_t i)
{
    size_t j = i;
    if (!s->flags)
        return 1;
    while (j > 0 && (s->flags[j - 1] & OT_OBS_COVERED))
        j--;
    return i - j + 1;
}

/* The total of s over ordinals [lo, hi] when it is exactly known: every
 * position inside s, present or covered, hi not covered (its covering value
 * would lie outside) and lo - 1 not covered (the value covering it would
 * bring in a period before lo).  NaN otherwise. */
static double block_sum(const ot_series *s, int64_t lo, int64_t hi)
{
    int64_t i0 = lo - s->start, i1 = hi - s->start;
    double acc = 0;
    if (i0 < 0 || i1 >= (int64_t)s->n || i1 < i0)
        return NAN;
    if (s->flags && ((i0 > 0 && cov(s, (size_t)i0 - 1)) || cov(s, (size_t)i1)))
        return NAN;
    for (int64_t i = i0; i <= i1; i++) {
        if (s->flags && cov(s, (size_t)i))
            continue;
        if (isnan(s->v[i]))
            return NAN;
        acc += s->v[i];
    }
    return acc;
}

/* The mean of s per position over [lo, hi] under block_sum's rule (NaN when
 * that total is not exactly known).  A flow's span value is the total of its
 * positions, so it counts once; a stock's or rate's span value (a Jan–Feb
 * level or growth rate) is the value of each position it stands for, so it
 * counts once per position: Jan–Feb 3.5%, March 10.6% average 5.87%, not
 * (3.5 + 10.6) / 3. */
static double block_mean(const ot_series *s, int64_t lo, int64_t hi)
{
    double sum = block_sum(s, lo, hi);
    if (isnan(sum) || s->kind == OT_KIND_FLOW || !s->flags)
        return sum / (double)(hi - lo + 1);
    double acc = 0;
    for (int64_t i = lo - s->start; i <= hi - s->start; i++)
        if (!cov(s, (size_t)i))
            acc += s->v[i] * (double)span_at(s, (size_t)i);
    return acc / (double)(hi - lo + 1);
}

/* The ordinal a year before o: o - periods per year, or for daily data the
 * same calendar day; returns 0 when there is none (29 February). */
static int year_back(ot_freq f, int64_t o, int64_t *out)
{
    if (f == OT_FREQ_D) {
        int y, m, d;
        ot_civil_from_days((int32_t)o, &y, &m, &d);
        if (m == 2 && d == 29)
            return 0;
        *out = ot_days_from_civil(y - 1, m, d);
        return 1;
    }
    *out = o - ot_freq_per_year(f);
    return 1;
}

enum meta { META_SAME, META_PCT, META_PP, META_INDEX, META_NONE };

/* Gives r the metadata an op's result carries (see ops.h). */
static int put_meta(ot_series *r, const ot_series *from, enum meta m, ot_err *err)
{
    switch (m) {
    case META_SAME:
        return ot_series_copy_meta(r, from, err);
    case META_NONE:
        r->kind = from->kind;
        return OT_OK;
    default:
        r->kind = OT_KIND_RATE; /* a rate averages, whatever its source's agg */
        r->agg = OT_AGG_NONE;
        return ot_series_set_meta(r, from->key ? from->key : "", from->name ? from->name : "",
                                  m == META_PCT ? "%" : m == META_PP ? "pp" : "", err);
    }
}

/* A new result of n missing values from start, with like's allocator and
 * frequency and the metadata m; NULL and err set on failure. */
static ot_series *make(const ot_series *like, ot_ord start, size_t n, enum meta m, ot_err *err)
{
    ot_series *r = ot_series_new(&like->alloc, like->freq, start, n, err);
    if (r && put_meta(r, like, m, err)) {
        ot_series_free(r);
        return NULL;
    }
    return r;
}

/* Flags position i of r covered, creating the flags on first use. */
static int mark(ot_series *r, size_t i, ot_err *err)
{
    if (ot_series_ensure_flags(r, err))
        return OT_ENOMEM;
    r->flags[i] |= OT_OBS_COVERED;
    return OT_OK;
}

static ot_series *fail_free(ot_series *r)
{
    ot_series_free(r);
    return NULL;
}

static int check_op(char op, ot_err *err)
{
    if (op == '+' || op == '-' || op == '*' || op == '/')
        return OT_OK;
    return ot_err_set(err, OT_EINVAL, "unknown operator '%c' (expected +, -, * or /)", op);
}

/* Arithmetic can make a negative zero (0 * -1, -0 / 5, -s of 0), which
 * prints as "-0" in every table: a zero in a series has no sign, and x + 0.0
 * is x for every other value (NaN included). */
static void unsigned_zeros(ot_series *r)
{
    for (size_t i = 0; i < r->n; i++)
        r->v[i] += 0.0;
}

static inline double apply(char op, double x, double y)
{
    switch (op) {
    case '+': return x + y;
    case '-': return x - y;
    case '*': return x * y;
    default:  return y != 0 ? x / y : NAN;
    }
}

/* ---- arithmetic ---------------------------------------------------------- */

/* The fast path (no flags on either side) is a plain loop over the overlap;
 * otherwise each position compares the spans of the two values and, when
 * they differ, re-forms the shorter side's total over the longer span. */
ot_series *ot_series_binop(const ot_series *a, const ot_series *b, char op, ot_align mode,
                           ot_err *err)
{
    ot_ord start;
    size_t n;
    if (check_op(op, err) || ot_series_align(a, b, mode, &start, &n, err))
        return NULL;
    ot_series *r = make(a, start, n, META_NONE, err);
    if (!r)
        return NULL;
    if ((op == '+' || op == '-') && a->unit && b->unit && strcmp(a->unit, b->unit) == 0 &&
        ot_series_set_meta(r, NULL, NULL, a->unit, err))
        return fail_free(r);
    int64_t lo = a->start > b->start ? a->start : b->start;
    int64_t ea = (int64_t)a->start + (int64_t)a->n, eb = (int64_t)b->start + (int64_t)b->n;
    int64_t hi = ea < eb ? ea : eb; /* overlap [lo, hi) */
    if (lo < (int64_t)start)
        lo = start;
    if (hi > (int64_t)start + (int64_t)n)
        hi = (int64_t)start + (int64_t)n;
    if (hi <= lo)
        return r;
    if (!a->flags && !b->flags) {
        const double *x = a->v + (lo - a->start), *y = b->v + (lo - b->start);
        double *z = r->v + (lo - start);
        int64_t m = hi - lo;
        switch (op) {
        case '+': for (int64_t i = 0; i < m; i++) z[i] = x[i] + y[i]; break;
        case '-': for (int64_t i = 0; i < m; i++) z[i] = x[i] - y[i]; break;
        case '*': for (int64_t i = 0; i < m; i++) z[i] = x[i] * y[i]; break;
        default:  for (int64_t i = 0; i < m; i++) z[i] = y[i] != 0 ? x[i] / y[i] : NAN; break;
        }
        unsigned_zeros(r);
        return r;
    }
    for (int64_t o = lo; o < hi; o++) {
        size_t ia = (size_t)(o - a->start), ib = (size_t)(o - b->start), ir = (size_t)(o - start);
        if (cov(a, ia) || cov(b, ib)) {
            if (mark(r, ir, err))
                return fail_free(r);
            continue;
        }
        size_t sa = span_at(a, ia), sb = span_at(b, ib), L = sa > sb ? sa : sb;
        double x = a->v[ia], y = b->v[ib];
        if (sa != L)
            x = a->kind == OT_KIND_FLOW ? block_sum(a, o - (int64_t)L + 1, o) : NAN;
        if (sb != L)
            y = b->kind == OT_KIND_FLOW ? block_sum(b, o - (int64_t)L + 1, o) : NAN;
        r->v[ir] = apply(op, x, y);
    }
    unsigned_zeros(r);
    return r;
}

ot_series *ot_series_scalar(const ot_series *s, char op, double x, int scalar_left, ot_err *err)
{
    if (check_op(op, err))
        return NULL;
    ot_series *r = ot_series_copy(s, err);
    if (!r)
        return NULL;
    double *v = r->v;
    size_t n = r->n;
    switch (op) {
    case '+': for (size_t i = 0; i < n; i++) v[i] += x; break;
    case '-':
        if (scalar_left)
            for (size_t i = 0; i < n; i++) v[i] = x - v[i];
        else
            for (size_t i = 0; i < n; i++) v[i] -= x;
        break;
    case '*': for (size_t i = 0; i < n; i++) v[i] *= x; break;
    default:
        if (scalar_left)
            for (size_t i = 0; i < n; i++) v[i] = v[i] != 0 ? x / v[i] : NAN;
        else if (x != 0)
            for (size_t i = 0; i < n; i++) v[i] /= x;
        else
            for (size_t i = 0; i < n; i++) v[i] = NAN;
        break;
    }
    unsigned_zeros(r);
    return r;
}

ot_series *ot_series_unm(const ot_series *s, ot_err *err)
{
    ot_series *r = ot_series_copy(s, err);
    if (r)
        for (size_t i = 0; i < r->n; i++)
            r->v[i] = 0.0 - r->v[i]; /* 0, not -0 (unsigned_zeros) */
    return r;
}

/* ---- shifts and growth --------------------------------------------------- */

ot_series *ot_series_lag(const ot_series *s, long k, ot_err *err)
{
    int64_t start = (int64_t)s->start + (k > INT32_MAX || k < -INT32_MAX ? 0 : k);
    if (k > INT32_MAX || k < -INT32_MAX || start < INT32_MIN ||
        start + (int64_t)s->n - 1 > INT32_MAX) {
        ot_err_set(err, OT_ERANGE, "lag of %ld periods is out of range", k);
        return NULL;
    }
    ot_series *r = ot_series_copy(s, err);
    if (r)
        r->start = (ot_ord)start;
    return r;
}

ot_series *ot_series_lead(const ot_series *s, long k, ot_err *err)
{
    if (k < -INT32_MAX) {
        ot_err_set(err, OT_ERANGE, "lead of %ld periods is out of range", k);
        return NULL;
    }
    return ot_series_lag(s, -k, err);
}

enum growth { G_DIFF, G_PCT };

static inline double grow(enum growth g, double x, double p)
{
    if (g == G_DIFF)
        return x - p;
    return p != 0 ? (x / p - 1) * 100 : NAN;
}

/* x compared with the value k periods earlier (by_year: a year earlier, by
 * calendar day for daily data).  Span values are compared with the total of
 * the same span a year earlier when the shift is whole years (monthly k a
 * multiple of 12, or by_year); then covered positions stay covered. */
static ot_series *growth(const ot_series *s, long k, int by_year, enum growth g, enum meta m,
                         const char *what, ot_err *err)
{
    int ppy = ot_freq_per_year(s->freq);
    if (by_year && s->freq == OT_FREQ_NONE) {
        ot_err_set(err, OT_EINVAL, "%s needs a frequency", what);
        return NULL;
    }
    if (!by_year && (k < 1 || k > INT32_MAX)) {
        ot_err_set(err, OT_EINVAL, "%s: lag must be at least 1 (got %ld)", what, k);
        return NULL;
    }
    if (by_year && s->freq != OT_FREQ_D)
        k = ppy;
    int yearly = by_year || (ppy > 0 && k % ppy == 0);
    ot_series *r = make(s, s->start, s->n, m, err);
    if (!r)
        return NULL;
    const double *v = s->v;
    double *z = r->v;
    size_t n = s->n;
    if (!s->flags && !(by_year && s->freq == OT_FREQ_D)) {
        for (size_t i = (size_t)k; i < n; i++)
            z[i] = grow(g, v[i], v[i - (size_t)k]);
        return r;
    }
    for (size_t i = 0; i < n; i++) {
        int64_t o = (int64_t)s->start + (int64_t)i, p;
        if (cov(s, i)) {
            if (yearly && mark(r, i, err))
                return fail_free(r);
            continue;
        }
        if (by_year && s->freq == OT_FREQ_D) {
            if (!year_back(s->freq, o, &p))
                continue;
        } else {
            p = o - k;
        }
        size_t sp = span_at(s, i);
        if (sp > 1 && !yearly)
            continue;
        z[i] = grow(g, v[i], block_sum(s, p - (int64_t)sp + 1, p));
    }
    return r;
}

ot_series *ot_series_diff(const ot_series *s, long k, ot_err *err)
{
    return growth(s, k, 0, G_DIFF, META_SAME, "diff", err);
}

ot_series *ot_series_pct(const ot_series *s, long k, ot_err *err)
{
    return growth(s, k, 0, G_PCT, META_PCT, "pct", err);
}

ot_series *ot_series_yoy(const ot_series *s, ot_err *err)
{
    return growth(s, 0, 1, G_PCT, META_PCT, "yoy", err);
}

/* ---- year to date -------------------------------------------------------- */

/* First ordinal of the year after the one containing o. */
static int64_t next_year(ot_freq f, int64_t o)
{
    int y = ot_period_year(f, (ot_ord)o);
    return ot_period_convert(OT_FREQ_Y, (ot_ord)y + 1, f);
}

/* First ordinal of the year containing o. */
static int64_t year_start(ot_freq f, int64_t o)
{
    return ot_period_convert(OT_FREQ_Y, (ot_ord)ot_period_year(f, (ot_ord)o), f);
}

/* One pass: acc is the year's total so far, ok whether it is still known
 * (it starts known only when the series starts with the year's first
 * sub-period and no covered run straddles the new year). */
ot_series *ot_series_ytd(const ot_series *s, ot_err *err)
{
    if (s->freq == OT_FREQ_NONE) {
        ot_err_set(err, OT_EINVAL, "ytd needs a frequency");
        return NULL;
    }
    if (s->freq == OT_FREQ_Y)
        return ot_series_copy(s, err);
    ot_series *r = make(s, s->start, s->n, META_SAME, err);
    if (!r || s->n == 0)
        return r;
    int64_t o = s->start, boundary = next_year(s->freq, o);
    int ok = year_start(s->freq, o) == o;
    double acc = 0;
    for (size_t i = 0; i < s->n; i++, o++) {
        if (o == boundary) {
            boundary = next_year(s->freq, o);
            acc = 0;
            ok = !cov(s, i - 1);
        }
        if (!ok || cov(s, i))
            continue;
        if (isnan(s->v[i])) {
            ok = 0;
            continue;
        }
        acc += s->v[i];
        r->v[i] = acc;
    }
    return r;
}

/* Walks each year keeping the last present total and its position; a
 * present total at t takes the difference and covers the missing positions
 * between.  The result starts at the first sub-period of s's first year. */
ot_series *ot_series_from_ytd(const ot_series *s, ot_err *err)
{
    if (s->freq == OT_FREQ_NONE) {
        ot_err_set(err, OT_EINVAL, "from_ytd needs a frequency");
        return NULL;
    }
    if (s->freq == OT_FREQ_Y)
        return ot_series_copy(s, err);
    int64_t rstart = s->n ? year_start(s->freq, s->start) : s->start;
    size_t lead = (size_t)(s->start - rstart), n = s->n + lead;
    ot_series *r = make(s, (ot_ord)rstart, n, META_SAME, err);
    if (!r || n == 0)
        return r;
    int64_t o = rstart, boundary = next_year(s->freq, o);
    double last = 0;
    size_t after = 0; /* index in r just after the last present total */
    for (size_t i = 0; i < n; i++, o++) {
        if (o == boundary) {
            boundary = next_year(s->freq, o);
            last = 0;
            after = i;
        }
        double x = i >= lead ? s->v[i - lead] : NAN;
        if (isnan(x))
            continue;
        r->v[i] = x - last;
        for (size_t j = after; j < i; j++)
            if (mark(r, j, err))
                return fail_free(r);
        last = x;
        after = i + 1;
    }
    return r;
}

ot_series *ot_series_ytd_yoy(const ot_series *s, ot_err *err)
{
    if (s->freq == OT_FREQ_NONE) {
        ot_err_set(err, OT_EINVAL, "ytd_yoy needs a frequency");
        return NULL;
    }
    ot_series *y = ot_series_ytd(s, err);
    if (!y)
        return NULL;
    ot_series *r = growth(y, 0, 1, G_PCT, META_PCT, "ytd_yoy", err);
    ot_series_free(y);
    return r;
}

/* ---- frequency and windows ----------------------------------------------- */

/* Each target period's sub-range [a, b] in s's frequency is checked and
 * summed by block_sum, which is exactly the completeness rule. */
ot_series *ot_series_to(const ot_series *s, ot_freq f, ot_agg how, ot_err *err)
{
    if (!ot_freq_rank(f) || !ot_freq_rank(s->freq) || ot_freq_rank(f) < ot_freq_rank(s->freq)) {
        ot_err_set(err, OT_EINVAL, "cannot convert %s data to %s (expected a coarser frequency)",
                   ot_freq_name(s->freq)[0] ? ot_freq_name(s->freq) : "undated",
                   ot_freq_name(f)[0] ? ot_freq_name(f) : "no frequency");
        return NULL;
    }
    if ((unsigned)how > OT_AGG_NONE) {
        ot_err_set(err, OT_EINVAL, "unknown aggregation %d", (int)how);
        return NULL;
    }
    if (how == OT_AGG_NONE && s->agg >= OT_AGG_SUM && s->agg < OT_AGG_NONE)
        how = (ot_agg)s->agg; /* the series' own, from its metadata */
    else if (how == OT_AGG_NONE)
        how = s->kind == OT_KIND_STOCK ? OT_AGG_LAST
              : s->kind == OT_KIND_RATE ? OT_AGG_MEAN : OT_AGG_SUM;
    if (f == s->freq)
        return ot_series_copy(s, err);
    ot_ord t0 = ot_period_convert(s->freq, s->start, f);
    ot_ord t1 = s->n ? ot_period_convert(s->freq, ot_series_end(s), f) : t0 - 1;
    size_t n = (size_t)((int64_t)t1 - t0 + 1);
    ot_series *r = ot_series_new(&s->alloc, f, t0, n, err);
    if (!r)
        return NULL;
    if (ot_series_copy_meta(r, s, err))
        return fail_free(r);
    for (size_t i = 0; i < n; i++) {
        ot_ord t = t0 + (ot_ord)i;
        int64_t a = ot_period_convert(f, t, s->freq), b = ot_period_last_sub(f, t, s->freq);
        double sum = block_sum(s, a, b);
        if (isnan(sum))
            continue;
        switch (how) {
        case OT_AGG_SUM:  r->v[i] = sum; break;
        case OT_AGG_MEAN: r->v[i] = block_mean(s, a, b); break;
        case OT_AGG_LAST: r->v[i] = s->v[b - s->start]; break;
        case OT_AGG_FIRST:
            r->v[i] = cov(s, (size_t)(a - s->start)) ? NAN : s->v[a - s->start];
            break;
        case OT_AGG_NONE: /* resolved above */
            break;
        }
    }
    return r;
}

ot_series *ot_series_window(const ot_series *s, ot_ord from, ot_ord to, ot_err *err)
{
    if (to < from) {
        char a[OT_PERIOD_STRMAX], b[OT_PERIOD_STRMAX];
        ot_period_fmt(s->freq, from, a, sizeof a);
        ot_period_fmt(s->freq, to, b, sizeof b);
        ot_err_set(err, OT_EINVAL, "window end %s is before its start %s", b, a);
        return NULL;
    }
    ot_series *r = ot_series_slice(s, from, to, err);
    if (!r)
        return NULL;
    /* covered periods at the end whose covering value lies after `to` (a
     * window ending in the January of a Jan–Feb release): missing, not
     * covered by a value the window does not hold */
    for (size_t j = r->n; j-- > 0 && cov(r, j);)
        r->flags[j] &= (uint8_t)~OT_OBS_COVERED;
    int64_t i = (int64_t)from - s->start; /* from's index in s */
    if (i < 1 || i >= (int64_t)s->n || !cov(s, (size_t)i - 1))
        return r;
    /* the span value at or after from also stands for periods before it (a
     * Jan–Feb value in a window from February): it is not the window's own,
     * so it is missing, and so are the covered periods before it, now
     * covered by nothing */
    for (size_t j = 0; j < r->n; j++) {
        int c = cov(r, j);
        r->v[j] = NAN;
        if (!c)
            break;
        r->flags[j] &= (uint8_t)~OT_OBS_COVERED;
    }
    return r;
}

/* Windows longer than this take the linear-time path (roll_blocks); shorter
 * ones are computed directly, window by window, O(n k), as they always were
 * (the same figures to the last bit for the windows scripts use). */
#define ROLL_DIRECT 64

/* The per-position input of a rolling sum or mean under block_sum's rule: a
 * covered position adds 0 (its covering value carries it), a stock's or
 * rate's span value counts once per position for a mean (block_mean). */
static double roll_term(const ot_series *s, size_t i, ot_roll fn)
{
    if (cov(s, i))
        return 0;
    if (fn == OT_ROLL_MEAN && s->kind != OT_KIND_FLOW && s->flags)
        return s->v[i] * (double)span_at(s, i);
    return s->v[i];
}

/* Combines two adjacent parts of a window: a sum, a min or max (NaN when
 * either part has a missing value), or for sd the (mean, M2) of each part by
 * Chan, Golub and LeVeque (1979), "Updating formulae and a pairwise algorithm
 * for computing sample variances", eq. 2.1: M2 = M2a + M2b + d^2 na nb / n. */
static double roll_join(ot_roll fn, double a, double b)
{
    if (isnan(a) || isnan(b))
        return NAN;
    switch (fn) {
    case OT_ROLL_MIN: return a < b ? a : b;
    case OT_ROLL_MAX: return a > b ? a : b;
    default: return a + b;
    }
}

/* Rolling windows of w in O(n) (van Herk 1992; Gil and Werman 1993): cut s
 * into blocks of w positions, keep for each position the aggregate from its
 * block's start (pre) and to its block's end (suf); a window [j, i] is the
 * whole block when j starts one, else suf[j] joined with pre[i].  Nothing is
 * ever subtracted, so sums do not drift; sd joins Welford means and M2s.
 * Writes r->v; returns OT_OK or OT_ENOMEM (r untouched but for NaNs). */
static int roll_blocks(const ot_series *s, size_t w, ot_roll fn, ot_series *r, ot_err *err)
{
    size_t n = s->n, arrays = fn == OT_ROLL_SD ? 4 : 2;
    double *buf = ot_malloc(&s->alloc, arrays * n * sizeof *buf);
    if (!buf)
        return ot_err_set(err, OT_ENOMEM, "out of memory");
    double *pre = buf, *suf = buf + n, *pm2 = buf + 2 * n, *sm2 = buf + 3 * n;
    int sd = fn == OT_ROLL_SD;
    for (size_t b0 = 0; b0 < n; b0 += w) {
        size_t b1 = b0 + w < n ? b0 + w : n; /* the block is [b0, b1) */
        for (size_t i = b0; i < b1; i++) {
            double x = fn == OT_ROLL_SUM || fn == OT_ROLL_MEAN ? roll_term(s, i, fn) : s->v[i];
            if (i == b0) {
                pre[i] = x;
                if (sd)
                    pm2[i] = isnan(x) ? NAN : 0;
            } else if (sd) { /* Welford (1962) */
                double m = pre[i - 1], d = x - m, c = (double)(i - b0 + 1);
                pre[i] = m + d / c;
                pm2[i] = pm2[i - 1] + d * (x - pre[i]);
            } else
                pre[i] = roll_join(fn, pre[i - 1], x);
        }
        for (size_t i = b1; i-- > b0;) {
            double x = fn == OT_ROLL_SUM || fn == OT_ROLL_MEAN ? roll_term(s, i, fn) : s->v[i];
            if (i == b1 - 1) {
                suf[i] = x;
                if (sd)
                    sm2[i] = isnan(x) ? NAN : 0;
            } else if (sd) {
                double m = suf[i + 1], d = x - m, c = (double)(b1 - i);
                suf[i] = m + d / c;
                sm2[i] = sm2[i + 1] + d * (x - suf[i]);
            } else
                suf[i] = roll_join(fn, suf[i + 1], x);
        }
    }
    for (size_t i = w - 1; i < n; i++) {
        size_t j = i + 1 - w;
        double v;
        if ((fn == OT_ROLL_SUM || fn == OT_ROLL_MEAN) &&
            ((j > 0 && cov(s, j - 1)) || cov(s, i))) {
            r->v[i] = NAN; /* a value straddles the window's edge (block_sum) */
            continue;
        }
        if (j % w == 0)
            v = sd ? pm2[i] : pre[i];
        else if (sd) {
            double na = (double)(w - j % w), nb = (double)(i % w + 1), d = pre[i] - suf[j];
            v = sm2[j] + pm2[i] + d * d * na * nb / (double)w;
        } else
            v = roll_join(fn, suf[j], pre[i]);
        r->v[i] = sd ? sqrt(v / (double)(w - 1)) : fn == OT_ROLL_MEAN ? v / (double)w : v;
    }
    ot_free(&s->alloc, buf, arrays * n * sizeof *buf);
    return OT_OK;
}

ot_series *ot_series_rolling(const ot_series *s, long k, ot_roll fn, ot_err *err)
{
    if ((unsigned)fn > OT_ROLL_SD) {
        ot_err_set(err, OT_EINVAL, "unknown rolling function %d", (int)fn);
        return NULL;
    }
    if (k < 1 || k > INT32_MAX || (fn == OT_ROLL_SD && k < 2)) {
        ot_err_set(err, OT_EINVAL, "rolling window must be at least %d (got %ld)",
                   fn == OT_ROLL_SD ? 2 : 1, k);
        return NULL;
    }
    ot_series *r = make(s, s->start, s->n, META_SAME, err);
    if (!r)
        return NULL;
    size_t w = (size_t)k;
    if (w > ROLL_DIRECT && w <= s->n) {
        if (roll_blocks(s, w, fn, r, err)) {
            ot_series_free(r);
            return NULL;
        }
        return r;
    }
    for (size_t i = w - 1; i < s->n; i++) {
        const double *x = s->v + (i + 1 - w);
        double acc, mean, ss;
        int64_t o = (int64_t)s->start + (int64_t)i;
        switch (fn) {
        case OT_ROLL_SUM:
        case OT_ROLL_MEAN:
            r->v[i] = fn == OT_ROLL_SUM ? block_sum(s, o - (int64_t)w + 1, o)
                                        : block_mean(s, o - (int64_t)w + 1, o);
            break;
        case OT_ROLL_MIN:
        case OT_ROLL_MAX:
            acc = x[0];
            for (size_t j = 1; j < w && !isnan(acc); j++) {
                if (isnan(x[j]))
                    acc = NAN;
                else if (fn == OT_ROLL_MIN ? x[j] < acc : x[j] > acc)
                    acc = x[j];
            }
            r->v[i] = acc;
            break;
        case OT_ROLL_SD:
            mean = 0;
            for (size_t j = 0; j < w; j++)
                mean += x[j];
            mean /= (double)w;
            ss = 0;
            for (size_t j = 0; j < w; j++)
                ss += (x[j] - mean) * (x[j] - mean);
            r->v[i] = sqrt(ss / (double)(w - 1)); /* NaN propagates */
            break;
        }
    }
    return r;
}

/* Linear: a gap between two plain values (neither end a span value) is
 * interpolated in ordinal distance.  Previous: the last present value is
 * carried into missing, uncovered positions. */
ot_series *ot_series_fill(const ot_series *s, ot_fill method, ot_err *err)
{
    if ((unsigned)method > OT_FILL_NONE) {
        ot_err_set(err, OT_EINVAL, "unknown fill method %d", (int)method);
        return NULL;
    }
    ot_series *r = ot_series_copy(s, err);
    if (!r || method == OT_FILL_NONE)
        return r;
    double *v = r->v;
    size_t n = r->n, prev = SIZE_MAX; /* index of the last present value */
    for (size_t i = 0; i < n; i++) {
        if (cov(r, i))
            continue;
        if (isnan(v[i])) {
            if (method == OT_FILL_PREVIOUS && prev != SIZE_MAX)
                v[i] = v[prev];
            continue;
        }
        if (method == OT_FILL_LINEAR && prev != SIZE_MAX && i - prev > 1 &&
            !cov(r, i - 1) && span_at(r, prev) == 1) {
            double step = (v[i] - v[prev]) / (double)(i - prev);
            for (size_t j = prev + 1; j < i; j++)
                if (!cov(r, j))
                    v[j] = v[prev] + step * (double)(j - prev);
        }
        prev = i;
    }
    return r;
}

/* ---- indices, shares, contributions -------------------------------------- */

ot_series *ot_series_index(const ot_series *s, ot_period base, ot_err *err)
{
    char name[OT_PERIOD_STRMAX];
    if (!ot_freq_rank(base.freq) || !ot_freq_rank(s->freq) ||
        ot_freq_rank(base.freq) < ot_freq_rank(s->freq)) {
        ot_err_set(err, OT_EINVAL, "index base must be a %s period or coarser",
                   ot_freq_name(s->freq));
        return NULL;
    }
    int64_t lo = ot_period_convert(base.freq, base.ord - (base.span > 1 ? base.span - 1 : 0),
                                   s->freq);
    int64_t hi = ot_period_last_sub(base.freq, base.ord, s->freq);
    double b = block_mean(s, lo, hi);
    if (isnan(b) || b == 0) {
        /* a base inside a span value's periods (February alone of a Jan–Feb
         * release) is not missing: name the value's own period */
        int64_t i0 = idx(s, lo), i1 = idx(s, hi), k = -1;
        if (isnan(b) && i0 > 0 && i1 >= 0 && cov(s, (size_t)i0 - 1))
            k = i0;
        else if (isnan(b) && i0 >= 0 && i1 >= 0 && cov(s, (size_t)i1) && i1 + 1 < (int64_t)s->n)
            k = i1 + 1;
        ot_period_format(base, name, sizeof name);
        if (k >= 0 && s->freq == OT_FREQ_M && !isnan(s->v[k]) && span_at(s, (size_t)k) == 2 &&
            ot_period_sub(s->freq, s->start + (ot_ord)k) == 2) { /* a Jan–Feb value */
            char whole[OT_PERIOD_STRMAX];
            ot_period span = {s->freq, s->start + (ot_ord)k, 2};
            ot_period_format(span, whole, sizeof whole);
            ot_err_set(err, OT_EDATA, "index base %s is part of the value of %s: take %s or a "
                                      "coarser period", name, whole, whole);
        } else
            ot_err_set(err, OT_EDATA, "index base %s is %s", name, isnan(b) ? "missing" : "zero");
        return NULL;
    }
    ot_series *r = ot_series_copy(s, err);
    if (!r)
        return NULL;
    if (put_meta(r, s, META_INDEX, err))
        return fail_free(r);
    for (size_t i = 0; i < r->n; i++)
        r->v[i] = r->v[i] / b * 100;
    return r;
}

ot_series *ot_series_share(const ot_series *s, const ot_series *of, ot_err *err)
{
    ot_series *r = ot_series_binop(s, of, '/', OT_ALIGN_UNION, err);
    if (!r)
        return NULL;
    if (put_meta(r, s, META_PCT, err))
        return fail_free(r);
    for (size_t i = 0; i < r->n; i++)
        r->v[i] *= 100;
    return r;
}

ot_series *ot_series_contribution(const ot_series *part, const ot_series *total, ot_err *err)
{
    if (part->freq != total->freq || part->freq == OT_FREQ_NONE) {
        ot_err_set(err, OT_EINVAL, "series frequencies differ (%s and %s)",
                   ot_freq_name(part->freq), ot_freq_name(total->freq));
        return NULL;
    }
    ot_series *r = make(part, part->start, part->n, META_PP, err);
    if (!r)
        return NULL;
    for (size_t i = 0; i < part->n; i++) {
        int64_t o = (int64_t)part->start + (int64_t)i, p;
        if (cov(part, i)) {
            if (mark(r, i, err))
                return fail_free(r);
            continue;
        }
        if (isnan(part->v[i]) || !year_back(part->freq, o, &p))
            continue;
        int64_t lo = p - (int64_t)span_at(part, i) + 1;
        double pp = block_sum(part, lo, p), tt = block_sum(total, lo, p);
        r->v[i] = tt != 0 ? (part->v[i] - pp) / tt * 100 : NAN;
    }
    return r;
}

/* Fills position o of L from the total of L a year earlier grown by g, when
 * L is missing over the whole span [o - sp + 1, o]; the span's earlier
 * positions become covered.  Returns OT_OK or OT_ENOMEM. */
static int grow_forward(ot_series *L, int64_t o, size_t sp, int ppy, double g, ot_err *err)
{
    int64_t i = idx(L, o), i0 = idx(L, o - (int64_t)sp + 1);
    if (i < 0 || i0 < 0)
        return OT_OK;
    for (int64_t j = i0; j <= i; j++)
        if (!isnan(L->v[j]) || cov(L, (size_t)j))
            return OT_OK;
    if (i0 > 0 && cov(L, (size_t)i0 - 1))
        return OT_OK;
    double prev = block_sum(L, o - ppy - (int64_t)sp + 1, o - ppy);
    if (isnan(prev))
        return OT_OK;
    L->v[i] = prev * (1 + g / 100);
    for (int64_t j = i0; j < i; j++)
        if (mark(L, (size_t)j, err))
            return OT_ENOMEM;
    return OT_OK;
}

/* The mirror image: fills the span a year before o from L's value at o
 * (which must stand for exactly the same span) shrunk by g. */
static int grow_backward(ot_series *L, int64_t o, size_t sp, int ppy, double g, ot_err *err)
{
    int64_t i = idx(L, o), p = o - ppy, j0 = idx(L, p - (int64_t)sp + 1), j1 = idx(L, p);
    if (i < 0 || j0 < 0 || j1 < 0 || isnan(L->v[i]) || span_at(L, (size_t)i) != sp || g == -100)
        return OT_OK;
    for (int64_t j = j0; j <= j1; j++)
        if (!isnan(L->v[j]) || cov(L, (size_t)j))
            return OT_OK;
    L->v[j1] = L->v[i] / (1 + g / 100);
    for (int64_t j = j0; j < j1; j++)
        if (mark(L, (size_t)j, err))
            return OT_ENOMEM;
    return OT_OK;
}

/* Forward then backward passes suffice: each pass follows the chains of
 * whole-year steps in one direction, and base values are never replaced. */
ot_series *ot_series_implied_level(const ot_series *g, const ot_series *base, ot_err *err)
{
    if (g->freq != base->freq || !ot_freq_per_year(g->freq)) {
        if (g->freq != base->freq)
            ot_err_set(err, OT_EINVAL, "series frequencies differ (%s and %s)",
                       ot_freq_name(g->freq), ot_freq_name(base->freq));
        else
            ot_err_set(err, OT_EINVAL, "implied_level needs monthly, quarterly or yearly data");
        return NULL;
    }
    size_t bf, bl;
    if (!ot_series_valid_range(base, &bf, &bl)) {
        ot_err_set(err, OT_EDATA, "no base level to start from");
        return NULL;
    }
    int ppy = ot_freq_per_year(g->freq);
    int64_t lo = base->start, hi = (int64_t)base->start + (int64_t)base->n;
    if (g->n) {
        if ((int64_t)g->start - ppy < lo)
            lo = (int64_t)g->start - ppy;
        if ((int64_t)g->start + (int64_t)g->n > hi)
            hi = (int64_t)g->start + (int64_t)g->n;
    }
    ot_series *L = ot_series_new(&g->alloc, g->freq, (ot_ord)lo, (size_t)(hi - lo), err);
    if (!L)
        return NULL;
    if (ot_series_copy_meta(L, base, err))
        return fail_free(L);
    memcpy(L->v + (base->start - lo), base->v, base->n * sizeof(double));
    if (base->flags) {
        if (ot_series_ensure_flags(L, err))
            return fail_free(L);
        memcpy(L->flags + (base->start - lo), base->flags, base->n);
    }
    for (size_t i = 0; i < g->n; i++)
        if (!cov(g, i) && !isnan(g->v[i]) &&
            grow_forward(L, (int64_t)g->start + (int64_t)i, span_at(g, i), ppy, g->v[i], err))
            return fail_free(L);
    for (size_t i = g->n; i-- > 0;)
        if (!cov(g, i) && !isnan(g->v[i]) &&
            grow_backward(L, (int64_t)g->start + (int64_t)i, span_at(g, i), ppy, g->v[i], err))
            return fail_free(L);
    return L;
}

/* Years in increasing order, so a year's split uses the already split year
 * before it. */
ot_series *ot_series_split_janfeb(const ot_series *s, ot_err *err)
{
    if (s->freq != OT_FREQ_M) {
        ot_err_set(err, OT_EINVAL, "split_janfeb needs monthly data (got %s)",
                   ot_freq_name(s->freq)[0] ? ot_freq_name(s->freq) : "undated");
        return NULL;
    }
    ot_series *r = ot_series_copy(s, err);
    if (!r || !r->flags)
        return r;
    for (size_t i = 1; i < r->n; i++) {
        ot_ord o = r->start + (ot_ord)i;
        if (ot_period_sub(OT_FREQ_M, o) != 2 || !cov(r, i - 1) || cov(r, i) || isnan(r->v[i]))
            continue;
        double j = ot_series_at(r, o - 13), f = ot_series_at(r, o - 12), x = r->v[i];
        /* the shares must lie in [0, 1]: January -10 and February 30 would
         * split 60 into -30 and 90 */
        int usable = !isnan(j) && !isnan(f) && j + f != 0 && j / (j + f) >= 0 &&
                     f / (j + f) >= 0 && !ot_series_covered(r, o - 13) &&
                     !ot_series_covered(r, o - 14);
        if (s->kind != OT_KIND_FLOW) /* a level or a rate: the value of each month */
            r->v[i - 1] = x;
        else {
            r->v[i - 1] = usable ? x * j / (j + f) : x / 2;
            r->v[i] = usable ? x * f / (j + f) : x / 2;
        }
        r->flags[i - 1] &= (uint8_t)~OT_OBS_COVERED;
    }
    return r;
}

ot_series *ot_series_through(const ot_series *s, ot_period p, ot_err *err)
{
    ot_ord end = ot_period_ord_in(p, s->freq, 1);
    if (end > ot_series_end(s))
        end = ot_series_end(s);
    while (end >= s->start && ot_series_covered(s, end))
        end--; /* a January whose Jan-Feb value comes later is not known yet */
    if (end < s->start) {
        char buf[OT_PERIOD_STRMAX];
        ot_period_format(p, buf, sizeof buf);
        ot_err_set(err, OT_ENOTFOUND, "%s: nothing known through %s", s->key ? s->key : "series",
                   buf);
        return NULL;
    }
    return ot_series_slice(s, s->start, end, err);
}
