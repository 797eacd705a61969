/* cny_bench.c — how much the Chinese New Year remedies improve January and
 * February forecasts of a real China monthly series.
 *
 * Reads the long-format datasets/china/china_monthly_nbs.csv (series,period,
 * value,measure,...; plain fields, no quoting), takes the `value` rows of one
 * series, and for each origin December Y (Y = 2012 .. the last year with the
 * next February) fits every method on the data up to December Y, forecasts
 * h = 2 and scores the absolute percentage error of January, February and
 * their sum.  Prints a Markdown table of MAPEs: all origins, and the targets
 * 2013-2019 (before the pandemic).  Usage: cny_bench CSV [SERIES].
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/period.h"
#include "core/series.h"
#include "models/cny.h"
#include "models/model.h"

#define MAXN 1200

static const char *methods[] = {"snaive", "ets", "ets_cny", "ets_jf", "arima", "arima_cny", "arima_jf"};
#define NMETH (sizeof methods / sizeof methods[0])

/* Loads the value rows of key into v[] indexed by month ordinal - *start. */
static size_t load(const char *path, const char *key, ot_ord *start, double *v)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        exit(1);
    }
    char line[4096];
    ot_ord first = 0, last = 0;
    int any = 0;
    for (size_t i = 0; i < MAXN; i++)
        v[i] = NAN;
    size_t klen = strlen(key);
    ot_ord base = ot_period_make(OT_FREQ_M, 1990, 1);
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, key, klen) != 0 || line[klen] != ',')
            continue;
        char *fld[4], *p = line;
        for (int k = 0; k < 4; k++) {
            fld[k] = p;
            p = strchr(p, ',');
            if (!p)
                break;
            *p++ = '\0';
        }
        if (!p || strcmp(fld[3], "value") != 0)
            continue;
        int y, m;
        if (sscanf(fld[1], "%d-%d", &y, &m) != 2)
            continue;
        ot_ord o = ot_period_make(OT_FREQ_M, y, m) - base;
        if (o < 0 || o >= MAXN)
            continue;
        v[o] = strtod(fld[2], NULL);
        if (!any || o < first)
            first = o;
        if (!any || o > last)
            last = o;
        any = 1;
    }
    fclose(f);
    if (!any) {
        fprintf(stderr, "%s: no value rows for %s\n", path, key);
        exit(1);
    }
    memmove(v, v + first, (size_t)(last - first + 1) * sizeof *v);
    *start = base + first;
    return (size_t)(last - first + 1);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: cny_bench CSV [SERIES]\n");
        return 2;
    }
    const char *key = argc > 2 ? argv[2] : "china.exports_usd";
    static double v[MAXN];
    ot_ord start;
    size_t n = load(argv[1], key, &start, v);
    /* per method: sums of APE for Jan, Feb, Jan+Feb; all origins and pre-2020 */
    double sum[NMETH][2][3] = {{{0}}};
    int cnt[2] = {0, 0};
    int y0 = ot_period_year(OT_FREQ_M, start);
    printf("series %s, %zu months from %d-%02d\n\n", key, n, y0, ot_period_sub(OT_FREQ_M, start));
    printf("| target year | actual Jan | actual Feb |");
    for (size_t k = 0; k < NMETH; k++)
        printf(" %s Jan / Feb |", methods[k]);
    printf("\n|---|---|---|");
    for (size_t k = 0; k < NMETH; k++)
        printf("---|");
    printf("\n");
    for (int y = 2012;; y++) {
        ot_ord dec = ot_period_make(OT_FREQ_M, y, 12);
        size_t nfit = (size_t)(dec - start + 1);
        if (nfit + 2 > n)
            break;
        double jan = v[nfit], feb = v[nfit + 1];
        if (isnan(jan) || isnan(feb))
            continue;
        ot_err err;
        ot_series *s = ot_series_from(NULL, OT_FREQ_M, start, v, nfit, &err);
        if (!s) {
            fprintf(stderr, "%s\n", err.msg);
            return 1;
        }
        int pre = y + 1 <= 2019;
        cnt[0]++;
        cnt[1] += pre;
        printf("| %d | %.0f | %.0f |", y + 1, jan, feb);
        for (size_t k = 0; k < NMETH; k++) {
            ot_model *m = NULL;
            ot_forecast *fc = NULL;
            if (ot_model_fit(s, methods[k], NULL, &m, &err) != OT_OK ||
                ot_model_forecast(m, 2, NULL, 0, &fc, &err) != OT_OK) {
                fprintf(stderr, "%s at %d: %s\n", methods[k], y, err.msg);
                return 1;
            }
            double fj = fc->mean->v[0], ff = fc->mean->v[1];
            double ape[3] = {100 * fabs(fj - jan) / jan, 100 * fabs(ff - feb) / feb,
                             100 * fabs(fj + ff - jan - feb) / (jan + feb)};
            for (int a = 0; a < 3; a++) {
                sum[k][0][a] += ape[a];
                if (pre)
                    sum[k][1][a] += ape[a];
            }
            printf(" %.0f / %.0f |", fj, ff);
            ot_forecast_free(fc);
            ot_model_free(m);
        }
        printf("\n");
        ot_series_free(s);
    }
    /* the fitted effect and shares on all the data */
    ot_err err;
    ot_series *all = ot_series_from(NULL, OT_FREQ_M, start, v, n, &err);
    for (size_t k = 0; all && k < NMETH; k++) {
        ot_model *m = NULL;
        if (!strstr(methods[k], "_") || ot_model_fit(all, methods[k], NULL, &m, &err) != OT_OK)
            continue;
        printf("\n%s on all %zu months: %s,", methods[k], n, m->desc);
        for (size_t i = 0; i < m->npar; i++)
            if (!strncmp(m->par_name[i], "cny", 3) || !strncmp(m->par_name[i], "jf_", 3))
                printf(" %s = %.4f", m->par_name[i], m->par[i]);
        ot_model_free(m);
    }
    printf("\n");
    ot_series_free(all);
    /* Which window: the OLS of the twelve-month log growth on the regressor's
     * twelve-month change (with intercept) over January-March of all years,
     * for several windows; R^2 says how much of the swing each explains. */
    static const int win[][2] = {{7, 7}, {14, 0}, {20, 0}, {0, 7}, {0, 14}, {0, 21},
                                 {0, 30}, {7, 14}, {7, 21}, {14, 14}, {20, 30}};
    printf("\n| window (days before, after) | beta | R^2 over Jan-Mar |\n|---|---|---|\n");
    for (size_t w = 0; w < sizeof win / sizeof win[0]; w++) {
        static double x[MAXN];
        if (ot_cny_regressor_window(OT_FREQ_M, start, n, win[w][0], win[w][1], x, &err) != OT_OK) {
            fprintf(stderr, "%s\n", err.msg);
            return 1;
        }
        double sd = 0, se = 0, sdd = 0, see = 0, sde = 0;
        int k = 0;
        for (size_t t = 12; t < n; t++) {
            if (ot_period_sub(OT_FREQ_M, start + (ot_ord)t) > 3 || isnan(v[t]) || isnan(v[t - 12]))
                continue;
            double d = log(v[t]) - log(v[t - 12]), e = x[t] - x[t - 12];
            sd += d, se += e, sdd += d * d, see += e * e, sde += d * e;
            k++;
        }
        double cde = sde - sd * se / k, cee = see - se * se / k, cdd = sdd - sd * sd / k;
        printf("| %d, %d | %.3f | %.3f |\n", win[w][0], win[w][1], cde / cee,
               cde * cde / (cee * cdd));
    }
    /* the methods' pair together: 14 days before and 30 after, one slope each */
    {
        static double x1[MAXN], x2[MAXN];
        if (ot_cny_regressor_window(OT_FREQ_M, start, n, OT_CNY_PRE, 0, x1, &err) != OT_OK ||
            ot_cny_regressor_window(OT_FREQ_M, start, n, 0, OT_CNY_POST, x2, &err) != OT_OK) {
            fprintf(stderr, "%s\n", err.msg);
            return 1;
        }
        double s[3] = {0}; /* sums of d, e1, e2; the cross products below */
        double sdd = 0, s11 = 0, s12 = 0, s22 = 0, s1d = 0, s2d = 0;
        int k = 0;
        for (size_t t = 12; t < n; t++) {
            if (ot_period_sub(OT_FREQ_M, start + (ot_ord)t) > 3 || isnan(v[t]) || isnan(v[t - 12]))
                continue;
            double d = log(v[t]) - log(v[t - 12]), e1 = x1[t] - x1[t - 12], e2 = x2[t] - x2[t - 12];
            s[0] += d, s[1] += e1, s[2] += e2;
            sdd += d * d, s11 += e1 * e1, s12 += e1 * e2, s22 += e2 * e2, s1d += e1 * d, s2d += e2 * d;
            k++;
        }
        sdd -= s[0] * s[0] / k, s11 -= s[1] * s[1] / k, s12 -= s[1] * s[2] / k;
        s22 -= s[2] * s[2] / k, s1d -= s[1] * s[0] / k, s2d -= s[2] * s[0] / k;
        double det = s11 * s22 - s12 * s12;
        double b1 = (s1d * s22 - s2d * s12) / det, b2 = (s2d * s11 - s1d * s12) / det;
        printf("| %d, 0 and 0, %d together | %.3f, %.3f | %.3f |\n", OT_CNY_PRE, OT_CNY_POST, b1, b2,
               (b1 * s1d + b2 * s2d) / sdd);
    }
    const char *label[2] = {"all targets", "targets 2013-2019"};
    for (int g = 0; g < 2; g++) {
        printf("\nMAPE (%%), %s (%d origins)\n\n| method | Jan | Feb | Jan+Feb |\n|---|---|---|---|\n",
               label[g], cnt[g]);
        for (size_t k = 0; k < NMETH; k++)
            printf("| %s | %.1f | %.1f | %.1f |\n", methods[k], sum[k][g][0] / cnt[g],
                   sum[k][g][1] / cnt[g], sum[k][g][2] / cnt[g]);
    }
    return 0;
}
