/* shape.c — shares and rest-of-year surprises measured on past years. */
#include "project/shape.h"

#include <math.h>
#include <string.h>

/* Mean and sample sd of x[0..n) (sd 0 when n < 2). */
static void mean_sd(const double *x, int n, double *mean, double *sd)
{
    double m = 0, q = 0;
    for (int i = 0; i < n; i++)
        m += x[i];
    m = n ? m / n : NAN;
    for (int i = 0; i < n; i++)
        q += (x[i] - m) * (x[i] - m);
    *mean = m;
    *sd = n > 1 ? sqrt(q / (n - 1)) : 0;
}

/* Share of periods 1..k in year y's total, NaN when either is unknown. */
static double share(const frame *f, int y, int k)
{
    double a = frame_get(f, f->ytd, y, k), b = frame_get(f, f->ytd, y, f->P);
    return a > 0 && b > 0 ? a / b : NAN;
}

/* s_y = ytd_y,k / total_y over the last SHAPE_S_YEARS years before Y where
 * both are known, with the cumulative shares of every period in those years;
 * u_y = (G_y - g_y,k) / (1 - s_{y-1}) over the last SHAPE_U_YEARS years with
 * both growths, which is r_y - g_y,k by §1 (s_{y-1} from the data, else the
 * mean share). */
void shape_measure(const frame *f, int Y, int k, int P_target, shape *out)
{
    double sv[SHAPE_S_YEARS];
    memset(out, 0, sizeof *out);
    out->k = k;
    out->s_mean = out->s_sd = out->u_mean = out->u_sd = NAN;
    for (int j = 0; j <= SHAPE_MAXP; j++)
        out->cum[j] = NAN;
    if (f->ny == 0 || P_target <= 0 || f->P % P_target != 0 || f->P > SHAPE_MAXP)
        return;
    int step = f->P / P_target, kf = k * step;
    if (kf < 1 || kf >= f->P)
        return;
    double cum[SHAPE_MAXP + 1] = {0};
    for (int y = Y - 1; y >= f->y0 && out->s_n < SHAPE_S_YEARS; y--) {
        double s = share(f, y, kf);
        if (isnan(s))
            continue;
        double c[SHAPE_MAXP + 1];
        int ok = 1;
        for (int j = 1; j <= P_target && ok; j++)
            ok = !isnan(c[j] = share(f, y, j * step));
        sv[out->s_n++] = s;
        for (int j = 1; j <= P_target; j++)
            cum[j] += ok ? c[j] : (j <= k ? s * j / k : s + (1 - s) * (j - k) / (P_target - k));
        out->s_last = out->s_last ? out->s_last : y;
        out->s_first = y;
    }
    if (out->s_n) {
        mean_sd(sv, out->s_n, &out->s_mean, &out->s_sd);
        out->cum[0] = 0;
        for (int j = 1; j <= P_target; j++)
            out->cum[j] = cum[j] / out->s_n;
    }
    for (int y = Y - 1; y >= f->y0 && out->u_n < SHAPE_U_YEARS; y--) {
        double G = frame_get(f, f->gy, y, f->P), g = frame_get(f, f->gy, y, kf);
        if (isnan(G) || isnan(g))
            continue;
        double sp = share(f, y - 1, kf);
        if (isnan(sp))
            sp = out->s_mean;
        if (isnan(sp))
            sp = (double)k / P_target;
        out->u_year[out->u_n] = y;
        out->u[out->u_n++] = (G - g) / (1 - sp);
        out->u_last = out->u_last ? out->u_last : y;
        out->u_first = y;
    }
    if (out->u_n)
        mean_sd(out->u, out->u_n, &out->u_mean, &out->u_sd);
}
