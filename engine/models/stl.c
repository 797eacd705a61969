/* stl.c — STL: seasonal-trend decomposition by loess (Cleveland,
 * Cleveland, McRae & Terpenning 1990, J. Official Statistics 6(1) 3-73),
 * following the structure and numerical choices of the reference
 * implementation R's stats::stl calls (stl.f: stlstp, stlss, stlfts, stless,
 * stlest, stlrwt), so that the components agree with R to rounding.
 *
 * Indices inside the loess helpers are 1-based, as in the paper's
 * pseudo-code, with the arrays passed one element early (x - 1).
 */
#include "models/stl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int nextodd(double x)
{
    int k = (int)lround(x);
    return k % 2 == 0 ? k + 1 : k;
}

void ot_stl_defaults(ot_stl_opts *o, int period, int s_window, int robust)
{
    o->period = period;
    o->s_window = s_window;
    o->s_degree = 0;
    o->s_jump = (int)ceil(s_window / 10.0);
    o->t_window = nextodd(ceil(1.5 * period / (1.0 - 1.5 / s_window)));
    o->t_degree = 1;
    o->t_jump = (int)ceil(o->t_window / 10.0);
    o->l_window = nextodd(period);
    o->l_degree = o->t_degree;
    o->l_jump = (int)ceil(o->l_window / 10.0);
    o->inner = robust ? 1 : 2;
    o->outer = robust ? 15 : 0;
}

/* The loess fit at abscissa xs from y[nleft..nright] (1-based) with tricube
 * weights over the half-width h = max(xs - nleft, nright - xs), widened by
 * (len - n) / 2 when the window exceeds the series; times rw when userw;
 * locally linear when deg is 1 and the abscissae spread enough.  w is
 * scratch.  Returns 0 when every weight is zero (the caller keeps y). */
static int est(const double *y, int n, int len, int deg, double xs, double *ys, int nleft,
               int nright, double *w, int userw, const double *rw)
{
    double range = (double)n - 1.0;
    double h = fmax(xs - (double)nleft, (double)nright - xs);
    if (len > n)
        h += (double)((len - n) / 2);
    double h9 = 0.999 * h, h1 = 0.001 * h, a = 0.0;
    for (int j = nleft; j <= nright; j++) {
        w[j] = 0.0;
        double r = fabs((double)j - xs);
        if (r <= h9) {
            if (r <= h1) {
                w[j] = 1.0;
            } else {
                double q = r / h;
                q = 1.0 - q * q * q;
                w[j] = q * q * q;
            }
            if (userw)
                w[j] *= rw[j];
            a += w[j];
        }
    }
    if (a <= 0.0)
        return 0;
    for (int j = nleft; j <= nright; j++)
        w[j] /= a;
    if (h > 0.0 && deg > 0) {
        a = 0.0;
        for (int j = nleft; j <= nright; j++)
            a += w[j] * (double)j;
        double b = xs - a, c = 0.0;
        for (int j = nleft; j <= nright; j++)
            c += w[j] * ((double)j - a) * ((double)j - a);
        if (sqrt(c) > 0.001 * range) {
            b /= c;
            for (int j = nleft; j <= nright; j++)
                w[j] *= b * ((double)j - a) + 1.0;
        }
    }
    double s = 0.0;
    for (int j = nleft; j <= nright; j++)
        s += w[j] * y[j];
    *ys = s;
    return 1;
}

/* Loess smoothing of y[1..n] with span len into ys[1..n], evaluated every
 * njump-th point and interpolated linearly between (stless).  res is
 * scratch of n + 1. */
static void ess(const double *y, int n, int len, int deg, int njump, int userw, const double *rw,
                double *ys, double *res)
{
    if (n < 2) {
        ys[1] = y[1];
        return;
    }
    int newnj = njump < n - 1 ? njump : n - 1;
    int nleft = 1, nright = n;
    if (len >= n) {
        for (int i = 1; i <= n; i += newnj)
            if (!est(y, n, len, deg, (double)i, &ys[i], nleft, nright, res, userw, rw))
                ys[i] = y[i];
    } else if (newnj == 1) {
        int nsh = (len + 1) / 2;
        nright = len;
        for (int i = 1; i <= n; i++) {
            if (i > nsh && nright != n)
                nleft++, nright++;
            if (!est(y, n, len, deg, (double)i, &ys[i], nleft, nright, res, userw, rw))
                ys[i] = y[i];
        }
    } else {
        int nsh = (len + 1) / 2;
        for (int i = 1; i <= n; i += newnj) {
            if (i < nsh) {
                nleft = 1;
                nright = len;
            } else if (i >= n - nsh + 1) {
                nleft = n - len + 1;
                nright = n;
            } else {
                nleft = i - nsh + 1;
                nright = len + i - nsh;
            }
            if (!est(y, n, len, deg, (double)i, &ys[i], nleft, nright, res, userw, rw))
                ys[i] = y[i];
        }
    }
    if (newnj != 1) {
        for (int i = 1; i <= n - newnj; i += newnj) {
            double delta = (ys[i + newnj] - ys[i]) / (double)newnj;
            for (int j = i + 1; j <= i + newnj - 1; j++)
                ys[j] = ys[i] + delta * (double)(j - i);
        }
        int k = ((n - 1) / newnj) * newnj + 1;
        if (k != n) {
            /* nleft, nright are those of the last evaluated point, as stl.f */
            if (!est(y, n, len, deg, (double)n, &ys[n], nleft, nright, res, userw, rw))
                ys[n] = y[n];
            if (k != n - 1) {
                double delta = (ys[n] - ys[k]) / (double)(n - k);
                for (int j = k + 1; j <= n - 1; j++)
                    ys[j] = ys[k] + delta * (double)(j - k);
            }
        }
    }
}

/* Moving average of length len over x[1..n] into ave[1..n-len+1]. */
static void ma(const double *x, int n, int len, double *ave)
{
    int newn = n - len + 1;
    double flen = (double)len, v = 0.0;
    for (int i = 1; i <= len; i++)
        v += x[i];
    ave[1] = v / flen;
    for (int j = 2, k = len, m = 0; j <= newn; j++) {
        k++, m++;
        v = v - x[m] + x[k];
        ave[j] = v / flen;
    }
}

/* The low-pass filter of the cycle-subseries (moving averages of lengths
 * np, np and 3) from x[1..n] into trend[1..n - 2 np]. */
static void fts(const double *x, int n, int np, double *trend, double *work)
{
    ma(x, n, np, trend);
    ma(trend, n - np + 1, np, work);
    ma(work, n - 2 * np + 2, 3, trend);
}

/* Smooths each cycle-subseries of y[1..n] with loess, extended by one
 * period at each end, into season[1..n + 2 np] (stlss). */
static void ss(const double *y, int n, int np, int ns, int deg, int njump, int userw,
               const double *rw, double *season, double *w1, double *w2, double *w3, double *w4)
{
    for (int j = 1; j <= np; j++) {
        int k = (n - j) / np + 1;
        for (int i = 1; i <= k; i++)
            w1[i] = y[(i - 1) * np + j];
        if (userw)
            for (int i = 1; i <= k; i++)
                w3[i] = rw[(i - 1) * np + j];
        ess(w1, k, ns, deg, njump, userw, w3, w2 + 1, w4);
        int nright = ns < k ? ns : k;
        if (!est(w1, k, ns, deg, 0.0, &w2[1], 1, nright, w4, userw, w3))
            w2[1] = w2[2];
        int nleft = k - ns + 1 > 1 ? k - ns + 1 : 1;
        if (!est(w1, k, ns, deg, (double)(k + 1), &w2[k + 2], nleft, k, w4, userw, w3))
            w2[k + 2] = w2[k + 1];
        for (int m = 1; m <= k + 2; m++)
            season[(m - 1) * np + j] = w2[m];
    }
}

/* Robustness weights from the residuals y - fit: bisquare of r / (6 MAD)
 * with the median taken as the mean of the two middle order statistics
 * (stlrwt).  sorted is scratch of n + 1. */
static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void rwt(const double *y, int n, const double *fit, double *rw, double *sorted)
{
    for (int i = 1; i <= n; i++)
        sorted[i] = fabs(y[i] - fit[i]);
    qsort(sorted + 1, (size_t)n, sizeof sorted[0], cmp_double);
    int mid1 = n / 2 + 1, mid2 = n - mid1 + 1;
    double cmad = 3.0 * (sorted[mid1] + sorted[mid2]);
    double c9 = 0.999 * cmad, c1 = 0.001 * cmad;
    for (int i = 1; i <= n; i++) {
        double r = fabs(y[i] - fit[i]);
        if (r <= c1) {
            rw[i] = 1.0;
        } else if (r <= c9) {
            double q = r / cmad;
            q = 1.0 - q * q;
            rw[i] = q * q;
        } else {
            rw[i] = 0.0;
        }
    }
}

static int odd3(int k)
{
    k = k > 3 ? k : 3;
    return k % 2 == 0 ? k + 1 : k;
}

/* Inner loop (stlstp): detrend, smooth the cycle-subseries, remove their
 * low-pass part to get the season, deseasonalise and smooth the trend.
 * All arrays 1-based; work has 5 columns of n + 2 np + 1. */
int ot_stl(const double *y, size_t n, const ot_stl_opts *o, const ot_alloc *a, double *seasonal,
           double *trend, double *weights, ot_err *err)
{
    int np = o->period;
    if (np < 2 || n <= 2 * (size_t)np)
        return ot_err_set(err, OT_EINVAL, "stl: series is not periodic or has less than two periods");
    if (n > 1000000)
        return ot_err_set(err, OT_EINVAL, "stl: at most 1000000 values, got %zu", n);
    if (o->s_degree < 0 || o->s_degree > 1 || o->t_degree < 0 || o->t_degree > 1 ||
        o->l_degree < 0 || o->l_degree > 1)
        return ot_err_set(err, OT_EINVAL, "stl: degrees must be 0 or 1");
    int ni = (int)n, ns = odd3(o->s_window), nt = odd3(o->t_window), nl = odd3(o->l_window);
    int sj = o->s_jump > 1 ? o->s_jump : 1, tj = o->t_jump > 1 ? o->t_jump : 1;
    int lj = o->l_jump > 1 ? o->l_jump : 1;
    size_t col = n + 2 * (size_t)np + 1, total = 5 * col + 4 * (n + 1);
    double *buf = ot_malloc(a, total * sizeof *buf);
    if (!buf)
        return ot_err_set(err, OT_ENOMEM, "out of memory");
    memset(buf, 0, total * sizeof *buf);
    double *w[5];
    for (int k = 0; k < 5; k++)
        w[k] = buf + (size_t)k * col;
    double *yy = buf + 5 * col, *rw = yy + n + 1, *se = rw + n + 1, *tr = se + n + 1;
    for (int i = 1; i <= ni; i++)
        yy[i] = y[i - 1];
    int userw = 0;
    for (int pass = 0;; pass++) {
        for (int it = 0; it < o->inner; it++) {
            for (int i = 1; i <= ni; i++)
                w[0][i] = yy[i] - tr[i];
            ss(w[0], ni, np, ns, o->s_degree, sj, userw, rw, w[1], w[2], w[3], w[4], se);
            fts(w[1], ni + 2 * np, np, w[2], w[0]);
            ess(w[2], ni, nl, o->l_degree, lj, 0, w[3], w[0], w[4]);
            for (int i = 1; i <= ni; i++)
                se[i] = w[1][np + i] - w[0][i];
            for (int i = 1; i <= ni; i++)
                w[0][i] = yy[i] - se[i];
            ess(w[0], ni, nt, o->t_degree, tj, userw, rw, tr, w[2]);
        }
        if (pass >= o->outer)
            break;
        for (int i = 1; i <= ni; i++)
            w[0][i] = tr[i] + se[i];
        rwt(yy, ni, w[0], rw, w[1]);
        userw = 1;
    }
    for (size_t i = 0; i < n; i++) {
        seasonal[i] = se[i + 1];
        trend[i] = tr[i + 1];
        if (weights)
            weights[i] = o->outer > 0 ? rw[i + 1] : 1.0;
    }
    ot_free(a, buf, total * sizeof *buf);
    return OT_OK;
}
