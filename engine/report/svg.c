/* svg.c — one target's chart as inline SVG: the history of the metric by
 * year, the fan of the projection (80% and 95% bands) from the latest period
 * to the year end, the target line and the path the target requires.  Axis
 * ticks are Heckbert's nice numbers.  Why SVG from C: docs/reports.md. */
#include "report/svg.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/html.h"
#include "report/num.h"
#include "report/table.h"
#include "report/words.h"

/* Heckbert, "Nice numbers for graph labels", Graphics Gems (1990), 61–63,
 * with 2.5 among the nice fractions: steps of 1, 2, 2.5 and 5 × 10^k. */
double report_nicenum(double x, int round)
{
    double e = floor(log10(x));
    double f = x / pow(10, e); /* 1 <= f < 10 */
    double nf;
    if (round)
        nf = f < 1.5 ? 1 : f < 2.25 ? 2 : f < 3.5 ? 2.5 : f < 7.5 ? 5 : 10;
    else
        nf = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
    return nf * pow(10, e);
}

int report_nice_ticks(double lo, double hi, int want, double *first, double *last, double *step,
                      int *nfrac)
{
    if (want < 2)
        want = 2;
    if (hi < lo) {
        double t = lo;
        lo = hi;
        hi = t;
    }
    if (hi - lo <= 1e-12 * fmax(fabs(lo), fabs(hi))) {
        double pad = lo == 0 ? 1 : 0.1 * fabs(lo);
        lo -= pad;
        hi += pad;
    }
    double range = report_nicenum(hi - lo, 0);
    double d = report_nicenum(range / (want - 1), 1);
    *first = floor(lo / d) * d;
    *last = ceil(hi / d) * d;
    *step = d;
    int nf = (int)-floor(log10(d));
    if (nf < 0)
        nf = 0;
    if (fabs(d * pow(10, nf) - floor(d * pow(10, nf) + 0.5)) > 1e-9)
        nf++; /* a step of 0.25 needs two decimals */
    *nfrac = nf;
    return (int)floor((*last - *first) / d + 0.5) + 1;
}

/* Plot geometry: data (x in periods 1..P, y in metric units) to pixels. */
typedef struct plot {
    double l, r, t, b; /* plot area edges in pixels */
    int P;
    double y0, y1;     /* axis range */
} plot;

static double px(const plot *g, double j)
{
    if (g->P <= 1)
        return g->r;
    return g->l + (j - 1) / (g->P - 1) * (g->r - g->l);
}

static double py(const plot *g, double v)
{
    return g->b - (v - g->y0) / (g->y1 - g->y0) * (g->b - g->t);
}

/* Widens [*lo, *hi] to take x (NaN ignored). */
static void take(double x, double *lo, double *hi)
{
    if (isnan(x) || isinf(x))
        return;
    if (x < *lo)
        *lo = x;
    if (x > *hi)
        *hi = x;
}

/* The value of the history at (year, sub-period j); NaN outside it. */
static double hist_at(const ot_series *h, int year, int j)
{
    return h ? ot_series_at(h, ot_period_make(h->freq, year, j)) : NAN;
}

/* Draws the history of one year: a polyline through the periods that have a
 * value (a gap in a sparse release is bridged: a ytd figure moves smoothly)
 * and a dot on each. */
static void draw_year(FILE *f, const plot *g, const ot_series *h, int year, const char *cls)
{
    int npts = 0;
    for (int j = 1; j <= g->P; j++) {
        double v = hist_at(h, year, j);
        if (isnan(v))
            continue;
        if (npts++ == 0)
            fprintf(f, "<polyline class=\"%s\" points=\"", cls);
        fprintf(f, "%s%.1f,%.1f", npts > 1 ? " " : "", px(g, j), py(g, v));
    }
    if (npts)
        fputs("\"/>\n", f);
    for (int j = 1; j <= g->P; j++) {
        double v = hist_at(h, year, j);
        if (!isnan(v))
            fprintf(f, "<circle class=\"%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"%s\"/>\n", cls,
                    px(g, j), py(g, v), cls[0] == 'c' ? "2.6" : "1.8");
    }
}

/* A label at the right end of the plot: y is the line's height there
 * (pixels), at is where the label is put. */
typedef struct side_label {
    double y, at;
    const char *cls;
    char text[96];
} side_label;

#define SIDE_MAX 8

/* Writes the end-of-line labels in one column at the right of the plot,
 * each joined to its line by a leader.  The collision rule: sorted by the
 * height of their lines, each label goes where its line ends unless that is
 * within `gap` pixels (a line of text) of the label above, then just below
 * it; when the stack runs past `bottom` it is pushed up from there, and
 * when it then runs past `top` it starts at top (the plot is tall enough for
 * SIDE_MAX lines).  So no two labels overlap, whatever the lines do. */
static void side_labels(FILE *f, side_label *lab, int n, double x0, double top, double bottom,
                        double gap)
{
    for (int i = 1; i < n; i++) /* insertion sort by y: n <= SIDE_MAX */
        for (int j = i; j > 0 && lab[j].y < lab[j - 1].y; j--) {
            side_label tmp = lab[j];
            lab[j] = lab[j - 1];
            lab[j - 1] = tmp;
        }
    for (int i = 0; i < n; i++) {
        lab[i].at = lab[i].y;
        if (i && lab[i].at < lab[i - 1].at + gap)
            lab[i].at = lab[i - 1].at + gap;
    }
    if (n && lab[n - 1].at > bottom) {
        lab[n - 1].at = bottom;
        for (int i = n - 2; i >= 0; i--)
            if (lab[i].at > lab[i + 1].at - gap)
                lab[i].at = lab[i + 1].at - gap;
    }
    if (n && lab[0].at < top)
        for (int i = 0; i < n; i++)
            lab[i].at = top + i * gap > lab[i].at ? top + i * gap : lab[i].at;
    for (int i = 0; i < n; i++) {
        /* the leader from the line's end to the label's middle (text is
         * drawn 4 px below its middle at 11 px) */
        fprintf(f,
                "<line class=\"leader\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>"
                "<text class=\"lab %s\" x=\"%.1f\" y=\"%.1f\">",
                x0 + 1, lab[i].y, x0 + 9, lab[i].at, lab[i].cls, x0 + 12, lab[i].at + 4);
        ot_html_escape(f, lab[i].text);
        fputs("</text>\n", f);
    }
}

/* Fills *lastj with the last sub-period of year holding a value (0 when none)
 * and returns that value. */
static double last_point(const ot_series *h, int year, int P, int *lastj)
{
    *lastj = 0;
    for (int j = P; j >= 1; j--) {
        double v = hist_at(h, year, j);
        if (!isnan(v)) {
            *lastj = j;
            return v;
        }
    }
    return NAN;
}

int ot_report_svg(const ot_report_item *it, ot_report_lang lang, int width, int height, FILE *f,
                  ot_err *err)
{
    if (!it || !it->target || !it->proj)
        return ot_err_set(err, OT_EINVAL, "report: chart without target or projection");
    if (width < 240 || height < 120)
        return ot_err_set(err, OT_EINVAL, "report: a chart of %d x %d px is too small (at least 240 x 120)",
                          width, height);
    const report_words *w = report_words_of(lang);
    const ot_target *t = it->target;
    const ot_projection *p = it->proj;
    const ot_series *h = it->history;
    if (h && (h->freq == OT_FREQ_D || ot_freq_per_year(h->freq) == 0))
        h = NULL;
    int P = h ? ot_freq_per_year(h->freq) : 12;
    int year = t->year;
    int has_target = t->kind != OT_TARGET_UNQUANTIFIED && !isnan(t->value);

    /* the data range: every year drawn, the bands, the target */
    double lo = DBL_MAX, hi = -DBL_MAX;
    int y_first = year;
    if (h) {
        y_first = ot_period_year(h->freq, h->start);
        if (y_first < year - 4)
            y_first = year - 4;
        for (int y = y_first; y <= year; y++)
            for (int j = 1; j <= P; j++)
                take(hist_at(h, y, j), &lo, &hi);
    }
    double blo = isnan(p->lo95) ? p->lo80 : p->lo95, bhi = isnan(p->hi95) ? p->hi80 : p->hi95;
    take(p->point, &lo, &hi);
    take(blo, &lo, &hi);
    take(bhi, &lo, &hi);
    take(p->outcome, &lo, &hi);
    /* the band of an "about" (=) or in_step target: value ± tolerance */
    int has_band = has_target && (t->op == OT_OP_EQ || t->kind == OT_TARGET_IN_STEP) &&
                   isfinite(t->tolerance) && t->tolerance > 0;
    if (has_target)
        take(t->value, &lo, &hi);
    if (has_band) {
        take(t->value - t->tolerance, &lo, &hi);
        take(t->value + t->tolerance, &lo, &hi);
    }

    fprintf(f,
            "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
            "width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"",
            width, height, width, height);
    ot_html_escape(f, t->label ? t->label : t->series);
    fputs("\">\n<title>", f);
    ot_html_escape(f, t->label ? t->label : t->series);
    fputs("</title>\n", f);
    if (lo > hi) {
        fprintf(f, "<text class=\"empty\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>\n</svg>\n",
                width / 2, height / 2, w->no_chart);
        return ferror(f) ? ot_err_set(err, OT_EIO, "cannot write the chart") : OT_OK;
    }

    plot g = {.l = 64, .r = width - 104.0, .t = 12, .b = height - 44.0, .P = P};
    double step;
    int nfrac;
    int nt = report_nice_ticks(lo, hi, 6, &g.y0, &g.y1, &step, &nfrac);

    /* grid and y ticks */
    char num[64];
    fputs("<g class=\"axis\">\n", f);
    for (int i = 0; i < nt; i++) {
        double v = g.y0 + i * step;
        double y = py(&g, v);
        snprintf(num, sizeof num, "%.*f", nfrac, fabs(v) < step / 2 ? 0.0 : v);
        fprintf(f,
                "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>"
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
                g.l, y, g.r, y, g.l - 6, y + 4, num);
    }
    /* x ticks: a monthly chart labels January and the quarter ends */
    for (int j = 1; j <= P; j++) {
        double x = px(&g, j);
        const char *lab = P == 12 ? w->months[j - 1] : P == 4 ? w->quarters[j - 1] : "";
        fprintf(f, "<line class=\"tick\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", x, g.b,
                x, g.b + 4);
        if (P != 12 || j % 3 == 0 || j == 1)
            fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>", x, g.b + 17,
                    lab);
        fputc('\n', f);
    }
    fprintf(f, "<line class=\"frame\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n</g>\n",
            g.l, g.b, g.r, g.b);

    /* the fan, under the lines */
    int k = 0;
    double vk = h ? last_point(h, year, P, &k) : NAN;
    double xe = px(&g, P);
    if (!isnan(blo) && !isnan(bhi) && k < P) {
        int fan = k > 0 && !isnan(vk);
        double xk = fan ? px(&g, k) : xe - 8;
        double ykl = fan ? py(&g, vk) : py(&g, blo), ykh = fan ? py(&g, vk) : py(&g, bhi);
        fprintf(f,
                "<polygon class=\"band95\" points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f %.1f,%.1f\"/>\n",
                xk, ykh, xe, py(&g, bhi), xe, py(&g, blo), xk, ykl);
        if (!isnan(p->lo80) && !isnan(p->hi80)) {
            if (!fan) {
                ykl = py(&g, p->lo80);
                ykh = py(&g, p->hi80);
            }
            fprintf(f,
                    "<polygon class=\"band80\" points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f %.1f,%.1f\"/>\n",
                    xk, ykh, xe, py(&g, p->hi80), xe, py(&g, p->lo80), xk, ykl);
        }
        if (!isnan(p->point))
            fprintf(f, "<line class=\"median\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
                    fan ? xk : xe - 8, fan ? py(&g, vk) : py(&g, p->point), xe, py(&g, p->point));
    }

    /* history: earlier years pale, the target year strong; a year that
     * ends at the right edge is labelled there with the others */
    side_label lab[SIDE_MAX];
    int nlab = 0;
    if (h) {
        for (int y = y_first; y < year; y++) {
            int lj;
            double lv = last_point(h, y, P, &lj);
            draw_year(f, &g, h, y, "past");
            if (lj == P && nlab < SIDE_MAX - 3) {
                lab[nlab] = (side_label){py(&g, lv), 0, "year", ""};
                snprintf(lab[nlab++].text, sizeof lab->text, "%d", y);
            } else if (lj) {
                fprintf(f, "<text class=\"year\" x=\"%.1f\" y=\"%.1f\">%d</text>\n",
                        px(&g, lj) + 5, py(&g, lv) + 4, y);
            }
        }
        draw_year(f, &g, h, year, "current");
    }

    /* the target, the path to it, and the labels at the right */
    if (has_target) {
        double yt = py(&g, t->value);
        if (has_band) { /* where the target passes, under its line */
            double ya = py(&g, t->value + t->tolerance), yb = py(&g, t->value - t->tolerance);
            fprintf(f, "<rect class=\"target-band\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                       "height=\"%.1f\"/>\n",
                    g.l, ya, g.r - g.l, yb - ya);
        }
        fprintf(f, "<line class=\"target\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
                g.l, yt, g.r, yt);
        lab[nlab] = (side_label){yt, 0, "target", ""};
        snprintf(lab[nlab++].text, sizeof lab->text, "%s %s", w->target_line,
                 report_fmt_metric(t, t->value, lang, num, sizeof num));
        if (k > 0 && k < P && !isnan(vk) && !isnan(p->required)) {
            fprintf(f,
                    "<line class=\"required\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
                    px(&g, k), py(&g, vk), xe, yt);
            lab[nlab] = (side_label){yt, 0, "required", ""};
            /* the required pace is a growth of the series; on a chart in
             * points (relative, in_step) it is named, not given in % */
            const ot_target_kind_desc *kd = ot_target_kind_desc_of(t->kind);
            if (kd && kd->unit == OT_UNIT_PTS)
                snprintf(lab[nlab++].text, sizeof lab->text, "%s", w->required_path);
            else
                snprintf(lab[nlab++].text, sizeof lab->text, "%s %s", w->needs,
                         ot_fmt_growth(p->required, num, sizeof num));
        }
    }
    if (!isnan(p->point) && k < P) {
        lab[nlab] = (side_label){py(&g, p->point), 0, "point", ""};
        snprintf(lab[nlab++].text, sizeof lab->text, "%s",
                 report_fmt_metric(t, p->point, lang, num, sizeof num));
    }
    side_labels(f, lab, nlab, g.r, g.t, g.b, 17); /* a line of 11 px CJK text is ~16 px tall */

    /* nothing but the target to show: say so in the plot */
    if (k == 0 && (isnan(blo) || isnan(bhi)) && isnan(p->point))
        fprintf(f, "<text class=\"empty\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n",
                (g.l + g.r) / 2, (g.t + g.b) / 2 - 8, w->no_chart);

    /* legend */
    double ly = height - 10.0, lx = g.l;
    struct {
        const char *cls, *text;
    } legend[] = {{"current", w->history},   {"median", w->projection},
                  {"band80", w->band80},     {"band95", w->band95},
                  {"target", w->target_line}, {"required", w->required_path}};
    fputs("<g class=\"legend\">\n", f);
    for (size_t i = 0; i < sizeof legend / sizeof *legend; i++) {
        if (legend[i].cls[0] == 'b')
            fprintf(f, "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"16\" height=\"8\"/>",
                    legend[i].cls, lx, ly - 8);
        else
            fprintf(f, "<line class=\"%s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
                    legend[i].cls, lx, ly - 4, lx + 16, ly - 4);
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\">%s</text>\n", lx + 20, ly, legend[i].text);
        lx += 20 + 6.0 * (double)ot_display_width(legend[i].text) + 16; /* ~6 px a column at 11 px */
    }
    fputs("</g>\n</svg>\n", f);
    return ferror(f) ? ot_err_set(err, OT_EIO, "cannot write the chart") : OT_OK;
}
