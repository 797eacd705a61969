/* cmd_series.c — `ontrack series [PATTERN]` and `ontrack show KEY`. */
#include "cli/cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "report/table.h"

static const char series_help[] =
    "usage: ontrack series [PATTERN]\n\n"
    "Lists the stored series: key, name, unit, frequency, the measures stored,\n"
    "the first and last period and the number of periods.  PATTERN is a glob\n"
    "(yiwu.*) matched against the key, the name and the English name, Latin\n"
    "letters in any case; without wildcards it matches those containing it\n"
    "(ontrack series 出口, ontrack series gdp).\n";

static const char show_help[] =
    "usage: ontrack show KEY [--as-of DATE|PERIOD] [--measure M]\n\n"
    "Prints one series as a period/value table, one column per stored measure\n"
    "(value, ytd, yoy, ytd_yoy) or only --measure.  --as-of DATE shows the data\n"
    "as known that day (earlier vintages); --as-of PERIOD stops at that period.\n";

typedef struct {
    ot_table *t;
    ot_err *err;
    int rc;
} list_ctx;

static int add_key(void *ud, const ot_key_info *ki)
{
    list_ctx *c = ud;
    char meas[64] = "", first[OT_PERIOD_STRMAX] = "", last[OT_PERIOD_STRMAX] = "", cnt[32];
    for (int m = 0; m < OT_MEASURE_COUNT; m++)
        if (ki->measures & (1u << m)) {
            if (meas[0])
                strcat(meas, ",");
            strcat(meas, ot_measure_name((ot_measure)m));
        }
    if (ki->count > 0) {
        ot_period_format(ki->first, first, sizeof first);
        ot_period_format(ki->last, last, sizeof last);
    }
    snprintf(cnt, sizeof cnt, "%lld", ki->count);
    const char *row[] = {ki->key, ki->name, ki->unit, ot_freq_name(ki->freq), meas, first, last, cnt};
    c->rc = ot_table_row(c->t, row, c->err);
    return c->rc != OT_OK;
}

int cmd_series(cli_global *g, int argc, char **argv)
{
    static const cli_opt opts[] = {{NULL, 0, NULL, NULL}};
    char **pos = argv;
    int npos, rc;
    if ((rc = cli_args("series", series_help, argc, argv, opts, 0, g, &npos)) != CLI_GO)
        return rc;
    if (npos > 1)
        return cli_usage_error("series", "unexpected argument '%s'", pos[1]);
    char pattern[512];
    const char *pat = NULL;
    if (npos == 1) {
        if (strpbrk(pos[0], "*?["))
            pat = pos[0];
        else if (snprintf(pattern, sizeof pattern, "*%s*", pos[0]) < (int)sizeof pattern)
            pat = pattern;
        else
            return cli_usage_error("series", "pattern too long");
    }
    ot_store *st;
    if ((rc = cli_open_store(g, 0, &st)))
        return rc;
    ot_err err;
    ot_err_clear(&err);
    list_ctx c = {ot_table_new(8, &err), &err, OT_OK};
    if (!c.t) {
        ot_store_close(st);
        return cli_fail(&err);
    }
    static const char *const head[] = {"series", "name", "unit", "freq", "measures", "first", "last", "n"};
    ot_table_header(c.t, head, &err);
    ot_table_right(c.t, 7);
    rc = ot_store_keys_named(st, pat, add_key, &c, &err);
    if (rc == OT_OK)
        rc = c.rc;
    if (rc == OT_OK) {
        if (ot_table_rows(c.t) == 0) {
            fprintf(stderr, "ontrack: no series%s", pat ? " match " : "");
            cli_eputs(pat ? pos[0] : "");
            fputc('\n', stderr);
        } else {
            ot_table_print(c.t, stdout);
        }
    }
    ot_table_free(c.t);
    ot_store_close(st);
    return rc == OT_OK ? 0 : cli_fail(&err);
}

/* ot_key_fn: the measures stored under the one key sought (a pattern that is
 * the key may match others: glob characters in it). */
typedef struct mask_ctx {
    const char *key;
    unsigned measures;
} mask_ctx;

static int key_mask(void *ud, const ot_key_info *ki)
{
    mask_ctx *m = ud;
    if (strcmp(ki->key, m->key) == 0)
        m->measures |= ki->measures;
    return 0;
}

/* Reads every measure of key stored (or just `want`) into cols[]; returns the
 * number read, or -1 with err set. */
static int read_measures(ot_store *st, const char *key, int want, int32_t as_of, ot_series **cols,
                         ot_measure *which, ot_err *err)
{
    ot_series_meta meta;
    if (ot_store_get_meta(st, key, &meta, err) != OT_OK) /* unknown key: suggests near ones */
        return -1;
    ot_series_meta_clear(&meta);
    /* the measures stored: a read of another is "not stored", which is no
     * reason to fail the table of those that are */
    mask_ctx mc = {key, 0};
    char glob[3 * OT_KEY_MAX + 8]; /* the key as a GLOB pattern matching it alone */
    size_t g = 0;
    for (const char *k = key; *k && g + 4 < sizeof glob; k++) {
        if (*k == '*' || *k == '?' || *k == '[') {
            glob[g++] = '[';
            glob[g++] = *k;
            glob[g++] = ']';
        } else
            glob[g++] = *k;
    }
    glob[g] = '\0';
    if (want < 0 && ot_store_keys(st, glob, key_mask, &mc, err) != OT_OK)
        return -1;
    int n = 0;
    ot_err later; /* a stored measure with nothing known yet: the store says since when */
    later.code = OT_OK;
    for (int m = 0; m < OT_MEASURE_COUNT; m++) {
        if (want >= 0 && m != want)
            continue;
        if (want < 0 && mc.measures && !(mc.measures & (1u << m)))
            continue;
        ot_read_opts o = OT_READ_OPTS_INIT;
        o.measure = (ot_measure)m;
        o.as_of = as_of;
        ot_series *s = NULL;
        int rc = ot_store_read(st, key, &o, NULL, &s, err);
        if (rc == OT_OK) {
            cols[n] = s;
            which[n++] = (ot_measure)m;
        } else if (want >= 0 || (rc != OT_ENOTFOUND && rc != OT_EINVAL)) {
            return -1;
        } else if (rc == OT_ENOTFOUND && later.code == OT_OK) {
            later = *err;
        }
    }
    if (n == 0 && later.code != OT_OK) {
        *err = later;
        return -1;
    }
    if (n == 0) {
        ot_err_set(err, OT_ENOTFOUND, "nothing is known of '%s'%s", key,
                   as_of != OT_ASOF_LATEST ? " at that date" : "");
        return -1;
    }
    ot_err_clear(err);
    return n;
}

int cmd_show(cli_global *g, int argc, char **argv)
{
    const char *as_of = NULL, *measure = NULL;
    const cli_opt opts[] = {{"as-of", 1, &as_of, NULL}, {"measure", 1, &measure, NULL}, {NULL, 0, NULL, NULL}};
    char **pos = argv;
    int npos, rc;
    if ((rc = cli_args("show", show_help, argc, argv, opts, 0, g, &npos)) != CLI_GO)
        return rc;
    if (npos != 1)
        return npos ? cli_usage_error("show", "unexpected argument '%s'", pos[1])
                    : cli_usage_error("show", "which series? (ontrack series lists them)");
    int32_t days = OT_ASOF_LATEST;
    ot_period through = {OT_FREQ_NONE, 0, 1};
    if (as_of && (rc = cli_parse_asof("show", as_of, &days, &through)))
        return rc;
    int want = -1;
    if (measure) {
        ot_measure m;
        if ((rc = cli_parse_measure("show", measure, &m)))
            return rc;
        want = (int)m;
    }
    ot_store *st;
    if ((rc = cli_open_store(g, 1, &st)))
        return rc;
    ot_err err;
    ot_err_clear(&err);
    ot_series *cols[OT_MEASURE_COUNT] = {0};
    ot_measure which[OT_MEASURE_COUNT];
    ot_table *t = NULL;
    int n = read_measures(st, pos[0], want, days, cols, which, &err);
    if (n < 0) {
        rc = cli_fail(&err);
        goto done;
    }
    if (through.freq != OT_FREQ_NONE) { /* --as-of PERIOD: the one rule, ot_series_through */
        int kept = 0;
        for (int i = 0; i < n; i++) {
            ot_series *c = ot_series_through(cols[i], through, &err);
            ot_series_free(cols[i]);
            cols[i] = NULL;
            if (c) {
                cols[kept] = c;
                which[kept++] = which[i];
            } else if (err.code != OT_ENOTFOUND) {
                rc = cli_fail(&err);
                goto done;
            }
        }
        if ((n = kept) == 0) {
            rc = cli_fail(&err); /* "KEY: nothing known through P" */
            goto done;
        }
        ot_err_clear(&err);
    }
    /* The union of the columns' periods. */
    ot_ord lo = cols[0]->start, hi = ot_series_end(cols[0]);
    for (int i = 1; i < n; i++) {
        if (cols[i]->start < lo)
            lo = cols[i]->start;
        if (ot_series_end(cols[i]) > hi)
            hi = ot_series_end(cols[i]);
    }
    ot_freq f = cols[0]->freq;
    if (!(t = ot_table_new((size_t)n + 1, &err))) {
        rc = cli_fail(&err);
        goto done;
    }
    const char *head[OT_MEASURE_COUNT + 1] = {"period"};
    for (int i = 0; i < n; i++) {
        head[i + 1] = ot_measure_name(which[i]);
        ot_table_right(t, (size_t)i + 1);
    }
    ot_table_header(t, head, &err);
    /* A January–February release prints as one row 2023-01/02 beside the
     * other measures' February (a year to date through February is the same
     * figure).  When another measure has a January of its own, that January
     * gets its row and the February splits in two: 2023-01/02 for the
     * combined releases, 2023-02 for the others' February. */
    int split = 0; /* the January just printed had figures of its own */
    for (ot_ord o = lo; o <= hi; o++) {
        char per[OT_PERIOD_STRMAX], vals[OT_MEASURE_COUNT][48];
        const char *row[OT_MEASURE_COUNT + 1];
        int any = 0, covered = 0, jan_of[OT_MEASURE_COUNT] = {0};
        for (int i = 0; i < n; i++) {
            double x = ot_series_at(cols[i], o);
            any |= !isnan(x);
            covered |= ot_series_covered(cols[i], o);
            if (isnan(x)) /* the stored figure exactly, as imported (1234567.891, 0.000123) */
                vals[i][0] = '\0';
            else
                ot_fmt_double(x, vals[i], sizeof vals[i]);
            row[i + 1] = vals[i];
        }
        int feb = f == OT_FREQ_M && o > lo && ot_period_sub(f, o) == 2;
        for (int i = 0; feb && i < n; i++)
            jan_of[i] = ot_series_covered(cols[i], o - 1);
        int was_split = split;
        split = covered && any;
        if (!any && !covered)
            continue;
        if (covered && !any) /* January under a Jan–Feb release: shown with February */
            continue;
        ot_period p = {f, o, 1};
        int jf = 0;
        for (int i = 0; i < n; i++)
            jf |= jan_of[i];
        if (jf && was_split) { /* the combined releases first, then the others' February */
            const char *r2[OT_MEASURE_COUNT + 1];
            int rest = 0;
            for (int i = 0; i < n; i++) {
                r2[i + 1] = jan_of[i] ? row[i + 1] : "";
                row[i + 1] = jan_of[i] ? "" : row[i + 1];
                rest |= *row[i + 1] != '\0';
            }
            p.span = 2;
            ot_period_format(p, per, sizeof per);
            r2[0] = per;
            if (ot_table_row(t, r2, &err) != OT_OK)
                break;
            if (!rest)
                continue;
            p.span = 1;
        } else if (jf) {
            p.span = 2;
        }
        ot_period_format(p, per, sizeof per);
        row[0] = per;
        if (ot_table_row(t, row, &err) != OT_OK)
            break;
    }
    const ot_series *s0 = cols[0];
    /* the key is checked on import; the name and the unit may hold anything */
    printf("%s%s", s0->key ? s0->key : pos[0], s0->name ? "  " : "");
    cli_puts_shown(s0->name ? s0->name : "", stdout);
    fputs(s0->unit ? "  " : "", stdout);
    cli_puts_shown(s0->unit ? s0->unit : "", stdout);
    printf("  [%s]\n", ot_freq_name(f));
    ot_table_print(t, stdout);
    rc = err.code == OT_OK ? 0 : cli_fail(&err);
done:
    ot_table_free(t);
    for (int i = 0; i < OT_MEASURE_COUNT; i++)
        ot_series_free(cols[i]);
    ot_store_close(st);
    return rc;
}
