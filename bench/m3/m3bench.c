/* m3bench.c — the ontrack side of bench/m3: fits each method to the M3
 * series of one group, forecasts the hold-out and scores it.
 *
 * Usage: m3bench DATADIR GROUP METHODS [OUTPREFIX [EVERY [THREADS]]]
 *   GROUP monthly|quarterly|yearly|other; METHODS comma-separated
 *   (ets, theta, naive2, ...); EVERY k keeps every k-th series (as r_bench.R);
 *   THREADS > 1 fits with ot_model_fit_many on that many threads.  A method
 *   may carry a spec after '=': "combo=mean:ets+arima+theta" ('+' for ','),
 *   and "@cv" at the end of its name for calibrated intervals ("ets@cv").
 * Prints per method: series, mean sMAPE, MASE, 80%/95% coverage, seconds;
 * with OUTPREFIX writes OUTPREFIX-models.csv (series, method, model, aicc, sMAPE).
 * Reads info.csv, train.csv, test.csv as the dataset README describes.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "models/model.h"

typedef struct m3 {
    char id[8];
    int freq, h;
    size_t n, nt;
    double *y, *yt;
} m3;

static size_t nser;
static m3 *ser;

static m3 *find(const char *id)
{
    /* ids N0001..N3003 map to index id-1 */
    int k = atoi(id + 1);
    return k >= 1 && (size_t)k <= nser ? &ser[k - 1] : NULL;
}

static int load(const char *dir)
{
    char path[1024], line[256];
    snprintf(path, sizeof path, "%s/info.csv", dir);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    ser = calloc(3003, sizeof *ser);
    fgets(line, sizeof line, f);
    while (fgets(line, sizeof line, f)) {
        m3 *s = &ser[nser++];
        char cat[32];
        int sy, sp, n;
        sscanf(line, "%7[^,],%31[^,],%d,%d,%d,%d,%d", s->id, cat, &s->freq, &sy, &sp, &n, &s->h);
        s->y = malloc((size_t)n * sizeof(double));
        s->yt = malloc((size_t)s->h * sizeof(double));
    }
    fclose(f);
    for (int part = 0; part < 2; part++) {
        snprintf(path, sizeof path, "%s/%s.csv", dir, part ? "test" : "train");
        if (!(f = fopen(path, "r")))
            return -1;
        fgets(line, sizeof line, f);
        while (fgets(line, sizeof line, f)) {
            char id[8];
            int t;
            double v;
            sscanf(line, "%7[^,],%d,%lf", id, &t, &v);
            m3 *s = find(id);
            if (part)
                s->yt[s->nt++] = v;
            else
                s->y[s->n++] = v;
        }
        fclose(f);
    }
    return 0;
}

static int in_group(const m3 *s, const char *g)
{
    if (!strcmp(g, "monthly"))
        return s->freq == 12;
    if (!strcmp(g, "quarterly"))
        return s->freq == 4;
    if (!strcmp(g, "yearly"))
        return s->freq == 1 && s->h == 6;
    return s->freq == 1 && s->h == 8;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: m3bench DATADIR GROUP METHODS [OUTPREFIX [EVERY]]\n");
        return 2;
    }
    if (load(argv[1]) != 0) {
        fprintf(stderr, "m3bench: cannot read %s/{info,train,test}.csv\n", argv[1]);
        return 66;
    }
    const char *group = argv[2];
    int every = argc > 5 ? atoi(argv[5]) : 1;
    FILE *mo = NULL;
    if (argc > 4) {
        char path[1024];
        snprintf(path, sizeof path, "%s-models.csv", argv[4]);
        mo = fopen(path, "w");
        if (mo)
            fprintf(mo, "series,method,model,aicc,smape\n");
    }
    char *methods = strdup(argv[3]);
    printf("%-8s %-10s %6s %8s %8s %6s %6s %9s\n", "group", "method", "series", "sMAPE", "MASE",
           "cov80", "cov95", "seconds");
    int threads = argc > 6 ? atoi(argv[6]) : 1;
    size_t nsel = 0;
    m3 **sel = calloc(nser, sizeof *sel);
    ot_series **ys = calloc(nser, sizeof *ys);
    ot_model **ms = calloc(nser, sizeof *ms);
    for (size_t k = 0; k < nser; k++) {
        m3 *s = &ser[k];
        if (!in_group(s, group) || (k + 1) % (size_t)every != 0)
            continue;
        ot_err err;
        sel[nsel] = s;
        ys[nsel] = ot_series_from(NULL, s->freq == 12 ? OT_FREQ_M : s->freq == 4 ? OT_FREQ_Q :
                                  OT_FREQ_Y, 0, s->y, s->n, &err);
        nsel++;
    }
    for (char *meth = strtok(methods, ","); meth; meth = strtok(NULL, ",")) {
        double t0 = now(), smape = 0, mase = 0, c80 = 0, c95 = 0;
        size_t count = 0, failed = 0;
        size_t ml = strlen(meth);
        int cv = ml > 3 && !strcmp(meth + ml - 3, "@cv");
        if (cv)
            meth[ml - 3] = '\0';
        char spec[128] = "";
        char *eq = strchr(meth, '=');
        if (eq) {
            *eq = '\0';
            snprintf(spec, sizeof spec, "%s", eq + 1);
            for (char *c = spec; *c; c++)
                *c = *c == '+' ? ',' : *c;
        }
        ot_model_opts o = {.period = sel[0] ? sel[0]->freq : 1, .spec = eq ? spec : NULL,
                           .intervals = cv ? OT_PI_CV : OT_PI_MODEL};
        ot_err err;
        if (threads > 1) {
            if (ot_model_fit_many((const ot_series *const *)ys, nsel, meth, &o, threads, ms,
                                  NULL, &err) != OT_OK) {
                fprintf(stderr, "m3bench: %s\n", err.msg);
                return 1;
            }
        }
        for (size_t k = 0; k < nsel; k++) {
            m3 *s = sel[k];
            ot_model *m = NULL;
            ot_forecast *fc = NULL;
            double lv[2] = {80, 95};
            int rc = OT_OK;
            if (threads > 1) {
                m = ms[k];
                rc = m ? OT_OK : OT_EDATA;
            } else {
                rc = ot_model_fit(ys[k], meth, &o, &m, &err);
            }
            if (rc != OT_OK || ot_model_forecast(m, (size_t)s->h, lv, 2, &fc, &err) != OT_OK) {
                fprintf(stderr, "%s %s: failed\n", s->id, meth);
                failed++;
                ot_model_free(m);
                continue;
            }
            double sc = 0;
            for (size_t i = (size_t)s->freq; i < s->n; i++)
                sc += fabs(s->y[i] - s->y[i - (size_t)s->freq]);
            sc /= (double)(s->n - (size_t)s->freq);
            double sm = 0, ae = 0, a80 = 0, a95 = 0;
            for (int i = 0; i < s->h; i++) {
                double f = fc->mean->v[i], a = s->yt[i];
                sm += 200 * fabs(a - f) / (fabs(a) + fabs(f));
                ae += fabs(a - f);
                a80 += a >= fc->lower[0]->v[i] && a <= fc->upper[0]->v[i];
                a95 += a >= fc->lower[1]->v[i] && a <= fc->upper[1]->v[i];
            }
            smape += sm / s->h;
            mase += ae / s->h / sc;
            c80 += a80 / s->h;
            c95 += a95 / s->h;
            count++;
            if (mo)
                fprintf(mo, "%s,%s,\"%s\",%.10g,%.6f\n", s->id, meth, m->desc, m->aicc, sm / s->h);
            ot_forecast_free(fc);
            ot_model_free(m);
        }
        double secs = now() - t0;
        char label[160];
        snprintf(label, sizeof label, "%s%s", eq ? spec : meth, cv ? "@cv" : "");
        printf("%-8s %-10s %6zu %8.3f %8.3f %6.3f %6.3f %9.3f%s\n", group, label, count,
               smape / count, mase / count, c80 / count, c95 / count, secs,
               failed ? " (failures)" : "");
        fflush(stdout);
    }
    for (size_t k = 0; k < nsel; k++)
        ot_series_free(ys[k]);
    free(ms);
    free(ys);
    free(sel);
    if (mo)
        fclose(mo);
    free(methods);
    return 0;
}
