/* frame.c — reading a key's measures into year × period tables and filling
 * each table from the others. */
#include "project/frame.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { M_VALUE, M_YTD, M_YTD_YOY, M_YOY, M_COUNT };
static const char *const measure_names[M_COUNT] = {"value", "ytd", "ytd_yoy", "yoy"};

double frame_get(const frame *f, const double *tab, int y, int j)
{
    long i = frame_at(f, y, j);
    return i < 0 ? NAN : tab[i];
}

void frame_free(frame *f)
{
    if (!f)
        return;
    size_t nd = f->cells * sizeof(double);
    ot_free(&f->alloc, f->val, nd);
    ot_free(&f->alloc, f->ytd, nd);
    ot_free(&f->alloc, f->gy, nd);
    ot_free(&f->alloc, f->yoy, nd);
    ot_free(&f->alloc, f->cov, f->cells);
    memset(f, 0, sizeof *f);
}

/* Maps ordinal o of frequency from to (year, period) of the frame's
 * frequency: a coarser period lands on its last sub-period (Q3 -> September,
 * a year -> December).  Returns 0 when from is finer than the frame. */
static int place(const frame *f, ot_freq from, ot_ord o, int *y, int *j)
{
    int pf = ot_freq_per_year(from);
    if (pf > f->P)
        return 0;
    ot_ord t = pf == f->P ? o : ot_period_last_sub(from, o, f->freq);
    *y = ot_period_year(f->freq, t);
    *j = ot_period_sub(f->freq, t);
    return 1;
}

/* Fills tab from series s (keeping periods ending by cut_day); marks covered
 * periods when mark_cov.  A period value at a coarser frequency than the
 * frame is a sum over several periods, so it goes to ytd at the year end
 * (annual flows) or to val (stocks, rates), and is dropped otherwise. */
static void fill(frame *f, const ot_series *s, int m, int32_t cut_day)
{
    int pf = ot_freq_per_year(s->freq);
    double *tab = m == M_VALUE ? f->val : m == M_YTD ? f->ytd : m == M_YTD_YOY ? f->gy : f->yoy;
    if (pf < f->P) {
        if (m == M_VALUE && f->kind == OT_KIND_FLOW)
            tab = pf == 1 ? f->ytd : NULL;
        else if (m == M_YOY)
            tab = pf == 1 ? f->gy : NULL; /* annual yoy is full-year growth */
    }
    if (!tab)
        return;
    for (size_t i = 0; i < s->n; i++) {
        ot_ord o = s->start + (ot_ord)i;
        int covered = s->flags && (s->flags[i] & OT_OBS_COVERED);
        if (isnan(s->v[i]) && !covered)
            continue;
        if (ot_period_last_day(s->freq, o) > cut_day)
            continue;
        int y, j;
        if (!place(f, s->freq, o, &y, &j))
            continue;
        long at = frame_at(f, y, j);
        if (at < 0)
            continue;
        if (covered && pf == f->P)
            f->cov[at] = 1;
        if (!isnan(s->v[i]))
            tab[at] = s->v[i];
        if (y > f->last_y || (y == f->last_y && j > f->last_j)) {
            f->last_y = y;
            f->last_j = j;
        }
    }
}

/* Derives, year by year, what the published measures imply:
 * implied levels from yoy (val = last year's val × (1 + yoy/100)), period
 * values from ytd (from_ytd, a Jan–Feb ytd on February), ytd from period
 * values (running sums across a covered January), ytd growth from ytd levels
 * and, for stocks, the yoy from levels a year apart (when not published) and
 * ytd growth as the growth over last December. */
static void derive(frame *f)
{
    int P = f->P;
    for (int y = f->y0; y < f->y0 + f->ny; y++) {
        double *val = f->val + (long)(y - f->y0) * P, *ytd = f->ytd + (long)(y - f->y0) * P;
        double *gy = f->gy + (long)(y - f->y0) * P, *yoy = f->yoy + (long)(y - f->y0) * P;
        unsigned char *cov = f->cov + (long)(y - f->y0) * P;
        for (int j = 1; j <= P; j++) {
            double prev = frame_get(f, f->val, y - 1, j);
            if (isnan(val[j - 1]) && !isnan(prev) && !isnan(yoy[j - 1]))
                val[j - 1] = prev * (1 + yoy[j - 1] / 100);
        }
        if (f->kind == OT_KIND_STOCK) {
            /* a stock's yoy: published, else from the levels a year apart */
            for (int j = 1; j <= P; j++) {
                double prev = frame_get(f, f->val, y - 1, j);
                if (isnan(yoy[j - 1]) && val[j - 1] > 0 && prev > 0)
                    yoy[j - 1] = (val[j - 1] / prev - 1) * 100;
            }
            double dec = frame_get(f, f->val, y - 1, P);
            for (int j = 1; j <= P; j++)
                if (isnan(gy[j - 1]) && !isnan(val[j - 1]) && dec > 0)
                    gy[j - 1] = (val[j - 1] / dec - 1) * 100;
            continue;
        }
        for (int j = 1; j <= P; j++) {
            if (!isnan(val[j - 1]) || isnan(ytd[j - 1]))
                continue;
            if (j == 1)
                val[0] = ytd[0];
            else if (!isnan(ytd[j - 2]))
                val[j - 1] = ytd[j - 1] - ytd[j - 2];
            else if (j == 2 && cov[0])
                val[1] = ytd[1];
        }
        double cum = 0;
        for (int j = 1; j <= P; j++) {
            if (isnan(val[j - 1]) && !cov[j - 1])
                break;
            if (!isnan(val[j - 1]))
                cum += val[j - 1];
            if (isnan(ytd[j - 1]) && !cov[j - 1])
                ytd[j - 1] = cum;
        }
        for (int j = 1; j <= P; j++) {
            double last = frame_get(f, f->ytd, y - 1, j);
            if (isnan(gy[j - 1]) && !isnan(ytd[j - 1]) && last > 0)
                gy[j - 1] = (ytd[j - 1] / last - 1) * 100;
        }
    }
}

int frame_load(frame *f, const char *key, ot_source_fn src, void *ud, int32_t cut_day,
               const ot_alloc *a, ot_err *err)
{
    ot_series *s[M_COUNT] = {0};
    int rc = OT_OK, found = 0, ymin = 0, ymax = 0, P = 0;
    memset(f, 0, sizeof *f);
    f->alloc = a && a->f ? *a : ot_alloc_std;
    for (int m = 0; m < M_COUNT; m++) {
        ot_err e;
        ot_err_clear(&e);
        rc = src(ud, key, measure_names[m], &s[m], &e);
        if (rc == OT_ENOTFOUND) {
            s[m] = NULL;
            rc = OT_OK;
            continue;
        }
        if (rc) {
            if (err)
                *err = e;
            if (e.code == OT_OK)
                ot_err_set(err, rc, "%s (%s): source failed", key, measure_names[m]);
            goto done;
        }
        if (!s[m])
            continue;
        if (s[m]->freq == OT_FREQ_D || ot_freq_per_year(s[m]->freq) == 0) {
            rc = ot_err_set(err, OT_EDATA,
                            "%s (%s): a daily series cannot be projected; aggregate it first", key,
                            measure_names[m]);
            goto done;
        }
        size_t i1, i2;
        if (!ot_series_valid_range(s[m], &i1, &i2))
            continue;
        int y1 = ot_period_year(s[m]->freq, s[m]->start + (ot_ord)i1);
        int y2 = ot_period_year(s[m]->freq, s[m]->start + (ot_ord)i2);
        if (!found || y1 < ymin)
            ymin = y1;
        if (!found || y2 > ymax)
            ymax = y2;
        if (!found)
            f->kind = s[m]->kind;
        if ((m == M_VALUE || m == M_YTD) && !f->unit[0] && s[m]->unit)
            snprintf(f->unit, sizeof f->unit, "%s", s[m]->unit);
        if (ot_freq_per_year(s[m]->freq) > P) {
            P = ot_freq_per_year(s[m]->freq);
            f->freq = s[m]->freq;
        }
        found = 1;
    }
    if (!found)
        goto done;
    /* a rate published only as values (a ratio, an unemployment rate) is a
     * level at each period's end, like a stock; with growth measures it is
     * the growth of an underlying flow (GDP real growth) */
    if (f->kind == OT_KIND_RATE && !s[M_YTD] && !s[M_YTD_YOY] && !s[M_YOY])
        f->kind = OT_KIND_STOCK;
    f->P = P;
    f->y0 = ymin;
    f->ny = ymax - ymin + 1;
    size_t cells = (size_t)f->ny * (size_t)P;
    f->cells = cells;
    f->val = ot_malloc(&f->alloc, cells * sizeof *f->val);
    f->ytd = ot_malloc(&f->alloc, cells * sizeof *f->ytd);
    f->gy = ot_malloc(&f->alloc, cells * sizeof *f->gy);
    f->yoy = ot_malloc(&f->alloc, cells * sizeof *f->yoy);
    f->cov = ot_malloc(&f->alloc, cells);
    if (!f->val || !f->ytd || !f->gy || !f->yoy || !f->cov) {
        frame_free(f);
        rc = ot_err_set(err, OT_ENOMEM, "out of memory");
        goto done;
    }
    memset(f->cov, 0, cells);
    for (size_t i = 0; i < cells; i++)
        f->val[i] = f->ytd[i] = f->gy[i] = f->yoy[i] = NAN;
    for (int m = 0; m < M_COUNT; m++)
        if (s[m])
            fill(f, s[m], m, cut_day);
    derive(f);
done:
    for (int m = M_COUNT - 1; m >= 0; m--)
        ot_series_free(s[m]);
    return rc;
}

int frame_last_k(const frame *f, int y)
{
    for (int j = f->P; j >= 1; j--) {
        long i = frame_at(f, y, j);
        if (i < 0)
            return 0;
        if (!isnan(f->gy[i]) || !isnan(f->ytd[i]) ||
            (f->kind == OT_KIND_STOCK && (!isnan(f->val[i]) || !isnan(f->yoy[i]))))
            return j;
    }
    return 0;
}
