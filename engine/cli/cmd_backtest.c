/* cmd_backtest.c — `ontrack backtest`: accuracy and calibration of the
 * full-year growth projections over past years (docs/backtest.md). */
#include "cli/cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "project/backtest.h"
#include "report/table.h"
#include "store/view.h"

static const char help[] =
    "usage: ontrack backtest [--series PATTERN] [--years Y1-Y2] [--method M]\n"
    "                        [--intervals model|cv] [--paths N] [--seed S]\n\n"
    "For each past year with data, at the end of each month 1..11, projects the\n"
    "full-year growth of each monthly or quarterly series matching PATTERN (a glob,\n"
    "default all) from the data through that month, and compares it with the\n"
    "outcome: mean absolute error in percentage points by as-of month, for the\n"
    "model (--method, default auto) and for carry-forward; then scores the\n"
    "probabilities of meeting targets at last year's growth and 2 points either\n"
    "side (Brier score, reliability table).  --years limits the target years\n"
    "(2018-2023, or one year).  --intervals, --paths (default 1000) and --seed\n"
    "(default 1) as in project.  Reads the latest vintages.  How to read it:\n"
    "docs/backtest.md.\n";

typedef struct keylist {
    ot_backtest_series *v;
    size_t n, cap;
    int oom;
} keylist;

/* Collects the monthly and quarterly series (one entry per key). */
static int add_key(void *ud, const ot_key_info *ki)
{
    keylist *l = ud;
    if (ki->count == 0 || (ki->freq != OT_FREQ_M && ki->freq != OT_FREQ_Q))
        return 0;
    if (l->n && strcmp(l->v[l->n - 1].key, ki->key) == 0)
        return 0;
    if (l->n == l->cap) {
        size_t nc = l->cap ? 2 * l->cap : 64;
        ot_backtest_series *nv = realloc(l->v, nc * sizeof *nv);
        if (!nv) {
            l->oom = 1;
            return 1;
        }
        l->v = nv;
        l->cap = nc;
    }
    char *key = strdup(ki->key);
    if (!key) {
        l->oom = 1;
        return 1;
    }
    l->v[l->n++] = (ot_backtest_series){key, ot_period_year(ki->first.freq, ki->first.ord),
                                        ot_period_year(ki->last.freq, ki->last.ord)};
    return 0;
}

/* A number with d decimals, "" for NaN. */
static const char *num(double x, int d, char *buf, size_t cap)
{
    if (isnan(x))
        buf[0] = '\0';
    else
        snprintf(buf, cap, "%.*f", d, x);
    return buf;
}

static int print_report(const ot_backtest *b, const char *method, int intervals, size_t paths,
                        FILE *f, ot_err *err)
{
    fprintf(f, "backtest: %zu series, %zu series-years; method %s%s, %zu paths\n\n", b->series,
            b->cases, method ? method : "auto", intervals == OT_PI_CV ? " (cv intervals)" : "",
            paths);
    fprintf(f, "mean absolute error of the full-year growth, percentage points\n");
    ot_table *t = ot_table_new(4, err);
    if (!t)
        return OT_ENOMEM;
    static const char *const h1[] = {"as of", "n", "model", "carry-forward"};
    int rc = ot_table_header(t, h1, err);
    for (size_t c = 1; c < 4; c++)
        ot_table_right(t, c);
    for (int m = 0; m < OT_BT_MONTHS && !rc; m++) {
        char mon[16], n[24], a[32], c[32];
        snprintf(mon, sizeof mon, "month %d", m + 1);
        snprintf(n, sizeof n, "%zu", b->month[m].n);
        const char *row[] = {mon, n, num(b->month[m].mae, 2, a, sizeof a),
                             num(b->month[m].mae_carry, 2, c, sizeof c)};
        rc = ot_table_row(t, row, err);
    }
    if (!rc && ot_table_print(t, f) != OT_OK)
        rc = ot_err_set(err, OT_EIO, "cannot write the table");
    ot_table_free(t);
    if (rc)
        return rc;
    char br[32];
    fprintf(f, "\ncalibration: %zu probabilities of meeting a target at last year's growth "
               "and +/-%.0f points\n",
            b->n_prob, OT_BT_SPREAD);
    fprintf(f, "Brier score %s (0 is perfect; always saying 50%% scores 0.25)\n\n",
            isnan(b->brier) ? "-" : num(b->brier, 3, br, sizeof br));
    if (!(t = ot_table_new(4, err)))
        return OT_ENOMEM;
    static const char *const h2[] = {"prob", "n", "mean prob", "met"};
    rc = ot_table_header(t, h2, err);
    for (size_t c = 1; c < 4; c++)
        ot_table_right(t, c);
    for (int k = 0; k < OT_BT_BINS && !rc; k++) {
        char bin[24], n[24], mp[32], fr[32];
        snprintf(bin, sizeof bin, "%d-%d%%", 10 * k, 10 * (k + 1));
        snprintf(n, sizeof n, "%zu", b->bin[k].n);
        const char *row[] = {bin, n, num(100 * b->bin[k].mean_prob, 0, mp, sizeof mp),
                             num(100 * b->bin[k].freq, 0, fr, sizeof fr)};
        if (b->bin[k].n) {
            strcat(mp, "%");
            strcat(fr, "%");
        }
        rc = ot_table_row(t, row, err);
    }
    if (!rc && ot_table_print(t, f) != OT_OK)
        rc = ot_err_set(err, OT_EIO, "cannot write the table");
    ot_table_free(t);
    return rc;
}


/* Parses "Y1-Y2" or "Y".  Returns 0 or 2. */
static int parse_years(const char *s, int *from, int *to)
{
    const char *dash = strchr(s, '-');
    char a[16];
    if (!dash)
        return cli_parse_year("backtest", s, from) ? 2 : (*to = *from, 0);
    if ((size_t)(dash - s) >= sizeof a)
        return cli_usage_error("backtest", "--years: expected Y1-Y2 (2018-2023), got '%s'", s);
    memcpy(a, s, (size_t)(dash - s));
    a[dash - s] = '\0';
    if (cli_parse_year("backtest", a, from) || cli_parse_year("backtest", dash + 1, to))
        return 2;
    if (*from > *to)
        return cli_usage_error("backtest", "--years: %d is after %d", *from, *to);
    return 0;
}

int cmd_backtest(cli_global *g, int argc, char **argv)
{
    const char *pattern = NULL, *years = NULL, *method = NULL, *paths_s = NULL, *seed_s = NULL,
               *intervals = NULL;
    const cli_opt opts[] = {{"series", 1, &pattern, NULL},      {"years", 1, &years, NULL},
                            {"method", 1, &method, NULL},       {"paths", 1, &paths_s, NULL},
                            {"seed", 1, &seed_s, NULL},         {"intervals", 1, &intervals, NULL},
                            {NULL, 0, NULL, NULL}};
    char **pos = argv;
    int npos, rc;
    if ((rc = cli_args("backtest", help, argc, argv, opts, 0, g, &npos)) != CLI_GO)
        return rc;
    if (npos > 0)
        return cli_usage_error("backtest", "unexpected argument '%s'", pos[0]);
    ot_backtest_opts o = {method, 1000, 1, 0, 0, ot_store_view_shape, 0, OT_PI_MODEL};
    if (years && (rc = parse_years(years, &o.year_from, &o.year_to)))
        return rc;
    const struct {
        const char *name, *s;
        unsigned long max;
    } counts[] = {{"paths", paths_s, OT_PROJ_PATHS_MAX}, {"seed", seed_s, 0xffffffffUL}};
    for (int i = 0; i < 2; i++) {
        if (!counts[i].s)
            continue;
        char *end;
        unsigned long v = strtoul(counts[i].s, &end, 10);
        if (!*counts[i].s || *end || counts[i].s[0] == '-' || v == 0 || v > counts[i].max)
            return cli_usage_error("backtest", "--%s: expected a whole number from 1 to %lu, got '%s'",
                                   counts[i].name, counts[i].max, counts[i].s);
        if (i == 0)
            o.paths = v;
        else
            o.seed = v;
    }
    if (method && !ot_proj_method_resolve(method))
        return cli_usage_error("backtest", "--method: unknown method '%s'", method);
    if (intervals && (rc = cli_parse_intervals("backtest", intervals, &o.intervals)))
        return rc;
    if (o.intervals == OT_PI_CV &&
        strcmp(ot_proj_method_resolve(method), OT_PROJ_METHOD_FALLBACK) == 0)
        return cli_usage_error("backtest", "--intervals cv: not available with method %s",
                               OT_PROJ_METHOD_FALLBACK);

    ot_store *st;
    if ((rc = cli_open_store(g, 1, &st)))
        return rc;
    ot_err err;
    ot_err_clear(&err);
    keylist keys = {NULL, 0, 0, 0};
    ot_store_view view;
    ot_store_view_init(&view, st, OT_ASOF_LATEST, NULL);
    ot_backtest b;
    if ((rc = ot_store_keys(st, pattern, add_key, &keys, &err)))
        goto done;
    if (keys.oom) {
        rc = ot_err_set(&err, OT_ENOMEM, "out of memory");
        goto done;
    }
    if (keys.n == 0) {
        rc = ot_err_set(&err, OT_ENOTFOUND, "no monthly or quarterly series%s%s%s", pattern ? " match '" : "",
                        pattern ? pattern : "", pattern ? "'" : "");
        goto done;
    }
    if ((rc = ot_backtest_run(keys.v, keys.n, ot_store_view_read, &view, &o, &b, &err)))
        goto done;
    if (b.cases == 0) {
        rc = ot_err_set(&err, OT_ENOTFOUND,
                        "nothing to test: no year%s with a known outcome and a known year before it",
                        years ? " in --years" : "");
        goto done;
    }
    rc = print_report(&b, method, o.intervals, o.paths, stdout, &err);
done:
    for (size_t i = 0; i < keys.n; i++)
        free((char *)keys.v[i].key);
    free(keys.v);
    ot_store_view_destroy(&view);
    ot_store_close(st);
    return rc ? cli_fail(&err) : 0;
}
