/* plot.c — the terminal bar chart of a series (plot.h). */
#include "report/plot.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/period.h"
#include "report/num.h"

/* Eighths of a cell, bottom up: " ▁▂▃▄▅▆▇█". */
static const char *const eighths[9] = {" ",  "\u2581", "\u2582", "\u2583", "\u2584",
                                       "\u2585", "\u2586", "\u2587", "\u2588"};

/* Eighths of a cell from the bottom of an h-row chart for finite x in
 * [lo, hi] (lo < hi).  Halved first, so that hi - lo cannot overflow to inf
 * for values near +-DBL_MAX (halving is exact: the same result otherwise),
 * and clamped, since lround of NaN or of a huge value is undefined. */
static long plot_eighths(double x, double lo, double hi, int h)
{
    double f = (0.5 * x - 0.5 * lo) / (0.5 * hi - 0.5 * lo) * h * 8;
    return isnan(f) ? 0 : lround(fmin(fmax(f, 0), (double)h * 8));
}

/* The output: what fits into buf, and the length it all needs. */
typedef struct out {
    char *buf;
    size_t cap, len;
} out;

static void add(out *o, const char *s)
{
    size_t k = strlen(s);
    if (o->len + 1 < o->cap) {
        size_t room = o->cap - 1 - o->len;
        memcpy(o->buf + o->len, s, k < room ? k : room);
        o->buf[o->len + (k < room ? k : room)] = '\0';
    }
    o->len += k;
}

size_t ot_report_plot(const ot_series *s, int width, int height, double target, char *buf,
                      size_t cap)
{
    out o = {buf, cap, 0};
    if (buf && cap)
        buf[0] = '\0';
    size_t w = s->n < (size_t)width ? s->n : (size_t)width;
    size_t first = s->n - w;
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = first; i < s->n; i++)
        if (isfinite(s->v[i])) { /* infinities are drawn as gaps, like missing values */
            lo = fmin(lo, s->v[i]);
            hi = fmax(hi, s->v[i]);
        }
    if (isfinite(target)) {
        lo = fmin(lo, target);
        hi = fmax(hi, target);
    }
    if (!(lo <= hi)) {
        add(&o, "(nothing to plot)");
        return o.len;
    }
    if (lo == hi) /* a flat line: give it a visible height */
        lo = hi - (hi == 0 ? 1 : fabs(hi) * 0.1);
    int h = height;
    /* the target's row and eighth, from the top */
    int trow = -1;
    if (isfinite(target)) {
        long te = plot_eighths(target, lo, hi, h);
        trow = h - 1 - (int)(te > 0 ? (te - 1) / 8 : 0);
    }
    char label[48], hilab[32], lolab[32];
    ot_fmt_value(hi, hilab, sizeof hilab); /* the one rule (num.h) */
    ot_fmt_value(lo, lolab, sizeof lolab);
    int lw = (int)(strlen(hilab) > strlen(lolab) ? strlen(hilab) : strlen(lolab));
    for (int r = 0; r < h; r++) {
        const char *lab = r == 0 ? hilab : r == h - 1 ? lolab : "";
        snprintf(label, sizeof label, "%*s \u2502", lw, lab);
        add(&o, label);
        for (size_t i = first; i < s->n; i++) {
            double v = s->v[i];
            if (!isfinite(v)) {
                add(&o, r == trow ? "\u2508" : " ");
                continue;
            }
            long e = plot_eighths(v, lo, hi, h); /* eighths from the bottom */
            long cell = e - (long)(h - 1 - r) * 8;
            cell = cell < 0 ? 0 : cell > 8 ? 8 : cell;
            if (r == h - 1 && cell == 0)
                cell = 1; /* the lowest value is drawn, not left blank as a missing one */
            add(&o, cell == 0 && r == trow ? "\u2508" : eighths[cell]);
        }
        if (r == trow) {
            char tv[32];
            snprintf(label, sizeof label, " target %s", ot_fmt_value(target, tv, sizeof tv));
            add(&o, label);
        }
        add(&o, "\n");
    }
    char p1[OT_PERIOD_STRMAX], p2[OT_PERIOD_STRMAX];
    ot_period_fmt(s->freq, s->start + (ot_ord)first, p1, sizeof p1);
    ot_period_fmt(s->freq, ot_series_end(s), p2, sizeof p2);
    snprintf(label, sizeof label, "%*s  ", lw, "");
    add(&o, label);
    add(&o, p1);
    size_t pad = w > strlen(p1) + strlen(p2) ? w - strlen(p1) - strlen(p2) : 1;
    for (size_t i = 0; i < pad; i++)
        add(&o, " ");
    add(&o, p2);
    if (s->key) {
        add(&o, "  ");
        add(&o, s->key);
    }
    return o.len;
}
