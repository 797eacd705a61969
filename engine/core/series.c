/* series.c — creation, copying, slicing, metadata and alignment of series.
 *
 * Every byte a series owns comes from its ot_alloc and goes back to it with
 * the exact size it was allocated with (v: n doubles, flags: n bytes,
 * strings: strlen + 1, the struct itself), so a counting Lua allocator sees
 * the true figures.
 */
#include "core/series.h"

#include "core/ops.h"

#include <math.h>
#include <string.h>
#include <strings.h>

static const ot_alloc *alloc_or_std(const ot_alloc *a)
{
    return a && a->f ? a : &ot_alloc_std;
}

static void free_str(const ot_alloc *a, char *p)
{
    if (p)
        ot_free(a, p, strlen(p) + 1);
}

/* Allocates the struct and n missing values; n * sizeof(double) must not
 * overflow. */
ot_series *ot_series_new(const ot_alloc *a, ot_freq f, ot_ord start, size_t n, ot_err *err)
{
    a = alloc_or_std(a);
    if (n > SIZE_MAX / sizeof(double) || (uint64_t)n > (uint64_t)INT32_MAX) {
        ot_err_set(err, OT_ERANGE, "series of %zu values is too long", n);
        return NULL;
    }
    ot_series *s = ot_malloc(a, sizeof *s);
    if (!s) {
        ot_err_set(err, OT_ENOMEM, "out of memory");
        return NULL;
    }
    memset(s, 0, sizeof *s);
    s->freq = f;
    s->start = start;
    s->kind = OT_KIND_FLOW;
    s->agg = OT_AGG_NONE;
    s->alloc = *a;
    if (n) {
        s->v = ot_malloc(a, n * sizeof(double));
        if (!s->v) {
            ot_free(a, s, sizeof *s);
            ot_err_set(err, OT_ENOMEM, "out of memory");
            return NULL;
        }
        for (size_t i = 0; i < n; i++)
            s->v[i] = NAN;
    }
    s->n = n;
    return s;
}

ot_series *ot_series_from(const ot_alloc *a, ot_freq f, ot_ord start, const double *values,
                          size_t n, ot_err *err)
{
    ot_series *s = ot_series_new(a, f, start, n, err);
    if (s && n)
        memcpy(s->v, values, n * sizeof(double));
    return s;
}

void ot_series_free(ot_series *s)
{
    if (!s)
        return;
    ot_alloc a = s->alloc;
    ot_free(&a, s->v, s->n * sizeof(double));
    ot_free(&a, s->flags, s->n);
    free_str(&a, s->key);
    free_str(&a, s->name);
    free_str(&a, s->unit);
    ot_free(&a, s, sizeof *s);
}

int ot_series_ensure_flags(ot_series *s, ot_err *err)
{
    if (s->flags || s->n == 0)
        return OT_OK;
    s->flags = ot_malloc(&s->alloc, s->n);
    if (!s->flags)
        return ot_err_set(err, OT_ENOMEM, "out of memory");
    memset(s->flags, 0, s->n);
    return OT_OK;
}

/* All-or-nothing: the three copies are made first, then swapped in. */
int ot_series_set_meta(ot_series *s, const char *key, const char *name, const char *unit,
                       ot_err *err)
{
    const char *src[3] = {key, name, unit};
    char **dst[3] = {&s->key, &s->name, &s->unit};
    char *copy[3] = {NULL, NULL, NULL};
    for (int i = 0; i < 3; i++) {
        if (src[i] && *src[i] && !(copy[i] = ot_strdup(&s->alloc, src[i]))) {
            for (int j = 0; j < i; j++)
                free_str(&s->alloc, copy[j]);
            return ot_err_set(err, OT_ENOMEM, "out of memory");
        }
    }
    for (int i = 0; i < 3; i++) {
        if (!src[i])
            continue;
        free_str(&s->alloc, *dst[i]);
        *dst[i] = copy[i];
    }
    return OT_OK;
}

int ot_series_copy_meta(ot_series *dst, const ot_series *src, ot_err *err)
{
    if (dst == src)
        return OT_OK;
    int rc = ot_series_set_meta(dst, src->key ? src->key : "", src->name ? src->name : "",
                                src->unit ? src->unit : "", err);
    if (rc == OT_OK) {
        dst->kind = src->kind;
        dst->agg = src->agg;
    }
    return rc;
}

static int any_flag(const uint8_t *f, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (f[i])
            return 1;
    return 0;
}

/* The slice [from, to] of s (from <= to + 1; an empty slice when to < from). */
static ot_series *slice(const ot_series *s, ot_ord from, ot_ord to, ot_err *err)
{
    size_t n = to >= from ? (size_t)((int64_t)to - from + 1) : 0;
    ot_series *r = ot_series_new(&s->alloc, s->freq, from, n, err);
    if (!r)
        return NULL;
    if (ot_series_copy_meta(r, s, err))
        goto fail;
    /* overlap of [from, to] with s, as indices into s */
    int64_t lo = from > s->start ? from : s->start;
    int64_t hi = (int64_t)to < (int64_t)s->start + (int64_t)s->n - 1 ? to
                 : (int64_t)s->start + (int64_t)s->n - 1;
    if (lo <= hi) {
        size_t off = (size_t)(lo - from), so = (size_t)(lo - s->start), cnt = (size_t)(hi - lo + 1);
        memcpy(r->v + off, s->v + so, cnt * sizeof(double));
        if (s->flags && any_flag(s->flags + so, cnt)) {
            if (ot_series_ensure_flags(r, err))
                goto fail;
            memcpy(r->flags + off, s->flags + so, cnt);
        }
    }
    return r;
fail:
    ot_series_free(r);
    return NULL;
}

ot_series *ot_series_copy(const ot_series *s, ot_err *err)
{
    return slice(s, s->start, ot_series_end(s), err);
}

ot_series *ot_series_slice(const ot_series *s, ot_ord from, ot_ord to, ot_err *err)
{
    if (to < from) {
        ot_err_set(err, OT_EINVAL, "slice end is before its start");
        return NULL;
    }
    return slice(s, from, to, err);
}

ot_ord ot_series_end(const ot_series *s)
{
    return (ot_ord)((int64_t)s->start + (int64_t)s->n - 1);
}

double ot_series_at(const ot_series *s, ot_ord o)
{
    int64_t i = (int64_t)o - s->start;
    return i >= 0 && (uint64_t)i < s->n ? s->v[i] : NAN;
}

int ot_series_covered(const ot_series *s, ot_ord o)
{
    int64_t i = (int64_t)o - s->start;
    return s->flags && i >= 0 && (uint64_t)i < s->n && (s->flags[i] & OT_OBS_COVERED);
}

int ot_series_valid_range(const ot_series *s, size_t *first, size_t *last)
{
    size_t i = 0, j = s->n;
    while (i < s->n && isnan(s->v[i]))
        i++;
    if (i == s->n)
        return 0;
    while (isnan(s->v[j - 1]))
        j--;
    *first = i;
    *last = j - 1;
    return 1;
}

/* Covered positions just before the first value belong to it, so they are
 * kept: trimming a Jan–Feb release must not lose its January flag. */
ot_series *ot_series_trim(const ot_series *s, ot_err *err)
{
    size_t first, last;
    if (!ot_series_valid_range(s, &first, &last))
        return slice(s, s->start, s->start - 1, err);
    while (first > 0 && s->flags && (s->flags[first - 1] & OT_OBS_COVERED))
        first--;
    return slice(s, s->start + (ot_ord)first, s->start + (ot_ord)last, err);
}

int ot_series_align(const ot_series *a, const ot_series *b, ot_align mode, ot_ord *start,
                    size_t *n, ot_err *err)
{
    if (a->freq != b->freq)
        return ot_err_set(err, OT_EINVAL, "series frequencies differ (%s and %s)",
                          ot_freq_name(a->freq), ot_freq_name(b->freq));
    int64_t ea = (int64_t)a->start + (int64_t)a->n, eb = (int64_t)b->start + (int64_t)b->n;
    int64_t lo, hi; /* [lo, hi) */
    if (a->n == 0 || b->n == 0) {
        const ot_series *o = a->n ? a : b;
        lo = o->start;
        hi = mode == OT_ALIGN_UNION ? (int64_t)o->start + (int64_t)o->n : lo;
    } else if (mode == OT_ALIGN_UNION) {
        lo = a->start < b->start ? a->start : b->start;
        hi = ea > eb ? ea : eb;
    } else {
        lo = a->start > b->start ? a->start : b->start;
        hi = ea < eb ? ea : eb;
        if (hi < lo)
            hi = lo;
    }
    *start = (ot_ord)lo;
    *n = (size_t)(hi - lo);
    return OT_OK;
}

const char *ot_kind_name(ot_kind k)
{
    switch (k) {
    case OT_KIND_FLOW:  return "flow";
    case OT_KIND_STOCK: return "stock";
    case OT_KIND_RATE:  return "rate";
    default:            return "?";
    }
}

int ot_kind_parse(const char *s)
{
    static const char *const names[] = {"flow", "stock", "rate"};
    for (int i = 0; i < 3; i++)
        if (s && strcasecmp(s, names[i]) == 0)
            return i;
    return -1;
}
