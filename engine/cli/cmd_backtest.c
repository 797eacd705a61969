/* cmd_backtest.c — `ontrack backtest`: accuracy and calibration of the
 * full-year growth projections over past years (docs/backtest.md). */
#include "cli/cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "project/backtest.h"
#include "report/backtest.h"
#include "store/view.h"

static const char help[] =
    "usage: ontrack backtest [--series PATTERN,...] [--years Y1-Y2] [--exclude-years LIST]\n"
    "                        [--months M1-M2] [--by month|series] [--json [--cases]]\n"
    "                        [--method M] [--intervals model|cv] [--paths N] [--seed S]\n\n"
    "For each past year with data, at the end of each month 1..11, projects the\n"
    "full-year growth of each monthly or quarterly series matching PATTERN (a glob,\n"
    "or several separated by commas; default all) from the data through that\n"
    "month, and compares it with the outcome and with the spreadsheet:\n"
    "carry-forward for the point (MAE), and carry-forward with the series' own\n"
    "past carry errors as its band for the probabilities of meeting targets at\n"
    "last year's growth and 2 points either side (Brier score) and for the whole\n"
    "distribution (CRPS); also the 80% and 95% ranges' coverage and width.\n"
    "First the count of series where the model does worse and one row per\n"
    "series; then, --by month (the default), every series together by as-of\n"
    "month (MAE, Brier, reliability), or --by series, one table per series by\n"
    "as-of month.  --years limits the target years (2018-2023, or one year);\n"
    "--exclude-years leaves years out (2020-2021, or 2008,2020-2022); --months\n"
    "the as-of months (3-9).  --json prints every figure as JSON, --cases adding\n"
    "every projection scored (the audit trail).  --intervals, --paths (default\n"
    "1000) and --seed (default 1) as in project.  A progress bar is drawn on\n"
    "stderr when it is a terminal.\n"
    "Reads the latest vintages.  How to read it: docs/backtest.md.\n";

typedef struct keylist {
    ot_backtest_series *v;
    size_t n, cap;
    size_t hits; /* monthly and quarterly series matched, also those met twice */
    int oom;
} keylist;

/* Collects the monthly and quarterly series (one entry per key, also when
 * several patterns match it). */
static int add_key(void *ud, const ot_key_info *ki)
{
    keylist *l = ud;
    if (ki->count == 0 || (ki->freq != OT_FREQ_M && ki->freq != OT_FREQ_Q))
        return 0;
    l->hits++;
    for (size_t i = l->n; i-- > 0;)
        if (strcmp(l->v[i].key, ki->key) == 0)
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

static int by_key(const void *a, const void *b)
{
    return strcmp(((const ot_backtest_series *)a)->key, ((const ot_backtest_series *)b)->key);
}

/* Collects the series matching any of the comma-separated globs of
 * pattern (NULL: all), in key order.  A glob that matches no monthly or
 * quarterly series is an error naming it (a mistyped key among several
 * would otherwise go unnoticed: its row is simply missing), with the stored
 * key nearest to it (the caller refuses an empty one, "a,,b"). */
static int collect_keys(ot_store *st, const char *pattern, keylist *keys, ot_err *err)
{
    if (!pattern)
        return ot_store_keys(st, NULL, add_key, keys, err);
    char *list = strdup(pattern);
    if (!list)
        return ot_err_set(err, OT_ENOMEM, "out of memory");
    int rc = OT_OK;
    for (char *g = list, *end; g && !rc && !keys->oom; g = end ? end + 1 : NULL) {
        if ((end = strchr(g, ',')))
            *end = '\0';
        size_t before = keys->hits;
        if ((rc = ot_store_keys(st, g, add_key, keys, err)) || keys->oom || keys->hits > before)
            continue;
        char near[128] = "";
        if (!strpbrk(g, "*?[")) /* a key, not a glob: the nearest stored one */
            ot_store_unknown_key(st, g, near, sizeof near);
        rc = ot_err_set(err, OT_ENOTFOUND, "no monthly or quarterly series match '%s'%s%s%s", g,
                        *near ? " (did you mean " : "", near, *near ? "?)" : "");
    }
    free(list);
    if (!rc && keys->n > 1)
        qsort(keys->v, keys->n, sizeof *keys->v, by_key);
    return rc;
}

/* Parses "Y1-Y2" or "Y" given to --opt.  Returns 0 or 2. */
static int parse_years(const char *opt, const char *s, int *from, int *to)
{
    const char *dash = strchr(s, '-');
    char a[16];
    if (!dash)
        return cli_parse_year("backtest", opt, s, from) ? 2 : (*to = *from, 0);
    if ((size_t)(dash - s) >= sizeof a)
        return cli_usage_error("backtest", "--%s: expected Y1-Y2 (2018-2023), got '%s'", opt, s);
    memcpy(a, s, (size_t)(dash - s));
    a[dash - s] = '\0';
    if (cli_parse_year("backtest", opt, a, from) || cli_parse_year("backtest", opt, dash + 1, to))
        return 2;
    if (*from > *to)
        return cli_usage_error("backtest", "--%s: %d is after %d", opt, *from, *to);
    return 0;
}

/* Parses "M1-M2" or "M" (as-of months within 1..OT_BT_MONTHS).  Returns 0 or 2. */
static int parse_months(const char *s, int *from, int *to)
{
    char *end;
    long a = strtol(s, &end, 10), b = a;
    if (end != s && *end == '-') {
        const char *q = end + 1;
        b = strtol(q, &end, 10);
        if (end == q)
            end = (char *)s; /* "3-" */
    }
    if (end == s || *end || s[0] == '-' || s[0] == '+' || a < 1 || b > OT_BT_MONTHS || a > b)
        return cli_usage_error("backtest", "--months: expected M1-M2 within 1-%d (3-9), got '%s'",
                               OT_BT_MONTHS, s);
    *from = (int)a;
    *to = (int)b;
    return 0;
}

/* Parses a list of years and ranges, "2020-2021" or "2008,2020-2022", into
 * y[0..*n) (at most OT_BT_YEARS_MAX, duplicates dropped).  Returns 0 or 2. */
static int parse_year_list(const char *s, int *y, size_t *n)
{
    size_t k = 0;
    const char *p = s;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        char item[32];
        int a, b;
        if (len == 0 || len >= sizeof item)
            return cli_usage_error("backtest", "--exclude-years: expected years and ranges "
                                   "(2020-2021 or 2008,2020-2022), got '%s'", s);
        memcpy(item, p, len);
        item[len] = '\0';
        const char *dash = strchr(item, '-');
        if (dash) {
            if (parse_years("exclude-years", item, &a, &b))
                return 2;
        } else if (cli_parse_year("backtest", "exclude-years", item, &a)) {
            return 2;
        } else {
            b = a;
        }
        for (int x = a; x <= b; x++) {
            size_t j = 0;
            while (j < k && y[j] != x)
                j++;
            if (j < k)
                continue;
            if (k == OT_BT_YEARS_MAX)
                return cli_usage_error("backtest", "--exclude-years: at most %d years, got '%s'",
                                       OT_BT_YEARS_MAX, s);
            y[k++] = x;
        }
        if (!comma)
            break;
        p = comma + 1;
    }
    *n = k;
    return 0;
}

/* Draws the progress bar: batches of projections done of total. */
static void progress(void *ud, size_t done, size_t total)
{
    (void)ud;
    int w = 30, k = total ? (int)((size_t)w * done / total) : w;
    fprintf(stderr, "\r[%.*s%*s] %zu/%zu batches", k, "##############################", w - k, "",
            done, total);
    if (done == total)
        fputs("\r\033[K", stderr); /* the bar goes away once finished */
    fflush(stderr);
}

int cmd_backtest(cli_global *g, int argc, char **argv)
{
    const char *pattern = NULL, *years = NULL, *method = NULL, *paths_s = NULL, *seed_s = NULL,
               *intervals = NULL, *by_s = NULL, *exclude_s = NULL, *months_s = NULL;
    int json = 0, cases_f = 0;
    const cli_opt opts[] = {{"series", 1, &pattern, NULL},      {"years", 1, &years, NULL},
                            {"method", 1, &method, NULL},       {"paths", 1, &paths_s, NULL},
                            {"seed", 1, &seed_s, NULL},         {"intervals", 1, &intervals, NULL},
                            {"by", 1, &by_s, NULL},             {"exclude-years", 1, &exclude_s, NULL},
                            {"months", 1, &months_s, NULL},     {"json", 0, NULL, &json},
                            {"cases", 0, NULL, &cases_f},
                            {NULL, 0, NULL, NULL}};
    char **pos = argv;
    int npos, rc;
    if ((rc = cli_args("backtest", help, argc, argv, opts, 0, g, &npos)) != CLI_GO)
        return rc;
    if (npos > 0)
        return cli_usage_error("backtest", "unexpected argument '%s'", pos[0]);
    int exclude[OT_BT_YEARS_MAX];
    ot_backtest_opts o = {.method = method, .paths = 1000, .seed = 1, .shape = ot_store_view_shape,
                          .source_at = ot_store_view_read_at, .revised = ot_store_view_revised,
                          .record_get = ot_store_view_record_get,
                          .record_put = ot_store_view_record_put,
                          .intervals = OT_PI_MODEL, .exclude = exclude};
    if (pattern && (!*pattern || *pattern == ',' || strstr(pattern, ",,") ||
                    pattern[strlen(pattern) - 1] == ','))
        return cli_usage_error("backtest", "--series: an empty pattern in '%s'", pattern);
    if (years && (rc = parse_years("years", years, &o.year_from, &o.year_to)))
        return rc;
    if (exclude_s && (rc = parse_year_list(exclude_s, exclude, &o.n_exclude)))
        return rc;
    if (months_s && (rc = parse_months(months_s, &o.month_from, &o.month_to)))
        return rc;
    ot_report_bt_by by = OT_REPORT_BT_MONTH;
    if (by_s && strcmp(by_s, "series") == 0)
        by = OT_REPORT_BT_SERIES;
    else if (by_s && strcmp(by_s, "month") != 0)
        return cli_usage_error("backtest", "--by: expected 'month' or 'series', got '%s'", by_s);
    if (json && by_s)
        return cli_usage_error("backtest", "--by: not with --json (it holds both views)");
    if (cases_f && !json)
        return cli_usage_error("backtest", "--cases: only with --json");
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
    if (o.intervals == OT_PI_CV && !ot_proj_method_takes_cv(method))
        return cli_usage_error("backtest", "--intervals cv: not available with method %s",
                               ot_proj_method_resolve(method));

    ot_store *st;
    if ((rc = cli_open_store(g, 1, &st)))
        return rc;
    ot_err err;
    ot_err_clear(&err);
    keylist keys = {NULL, 0, 0, 0, 0};
    ot_store_view view;
    ot_store_view_init(&view, st, OT_ASOF_LATEST, NULL);
    ot_backtest b;
    ot_backtest_row *rows = NULL;
    ot_report_bt_cases *cases = NULL;
    if ((rc = collect_keys(st, pattern, &keys, &err)))
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
    if (!(rows = malloc(keys.n * sizeof *rows))) {
        rc = ot_err_set(&err, OT_ENOMEM, "out of memory");
        goto done;
    }
    if (isatty(STDERR_FILENO))
        o.progress = progress;
    if (cases_f) {
        if (!(cases = ot_report_bt_cases_new())) {
            rc = ot_err_set(&err, OT_ENOMEM, "out of memory");
            goto done;
        }
        o.on_case = ot_report_bt_case_add;
        o.case_ud = cases;
    }
    if ((rc = ot_backtest_run(keys.v, keys.n, ot_store_view_read, &view, &o, &b, rows, &err)))
        goto done;
    if (b.cases == 0) {
        rc = ot_err_set(&err, OT_ENOTFOUND,
                        "nothing to test: no year%s with a known outcome and a known year before it",
                        years && exclude_s ? " in --years outside --exclude-years"
                        : years          ? " in --years"
                        : exclude_s      ? " outside --exclude-years"
                                         : "");
        goto done;
    }
    if (json)
        rc = ot_report_backtest_json(&b, rows, keys.v, keys.n, &o, cases, stdout, &err);
    else
        rc = ot_report_backtest(&b, rows, keys.v, keys.n, &o, by, stdout, &err);
done:
    ot_report_bt_cases_free(cases);
    free(rows);
    for (size_t i = 0; i < keys.n; i++)
        free((char *)keys.v[i].key);
    free(keys.v);
    ot_store_view_destroy(&view);
    ot_store_close(st);
    return rc ? cli_fail(&err) : 0;
}
