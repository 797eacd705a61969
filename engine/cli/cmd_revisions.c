/* cmd_revisions.c — `ontrack revisions KEY [--period P] [--measure M]`: every
 * vintage of every period of a series, with the import that brought it: the
 * audit trail a statistics bureau must be able to show. */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

#include "core/text.h"
#include "report/table.h"

static const char help[] =
    "usage: ontrack revisions KEY [--period P] [--measure M]\n\n"
    "Lists every stored vintage of every period of the series KEY (or of the\n"
    "periods in P -- 2023Q1: January to March of a monthly series -- or containing\n"
    "it; of measure M only): the value, the date it is known from, its source,\n"
    "the import that brought it (id, file and time; '-' for values put by a\n"
    "script).  A value given without a release date is known from the end of its\n"
    "period plus the series' release lag, marked '*'.  Values are printed in their\n"
    "shortest exact form.\n";

typedef struct rev_ctx {
    ot_table *t;
    int measure; /* -1: all */
    long long n;
    int rc;
    ot_err *err;
} rev_ctx;

static int add_rev(void *ud, const ot_revision *r)
{
    rev_ctx *c = ud;
    if (c->measure >= 0 && (int)r->measure != c->measure)
        return 0;
    char per[OT_PERIOD_STRMAX], val[OT_FMT_DOUBLE_MAX], day[20], imp[24];
    ot_period_format(r->period, per, sizeof per);
    ot_fmt_double(r->value, val, sizeof val);
    ot_date_format(r->vintage, day + 0, sizeof day - 1);
    if (r->undated) /* counted from the period's end plus the release lag */
        strcat(day, "*");
    if (r->import_id)
        snprintf(imp, sizeof imp, "%lld", (long long)r->import_id);
    else
        snprintf(imp, sizeof imp, "-");
    char src[96], file[96];
    ot_fmt_shown(r->source ? r->source : "", (size_t)-1, src, sizeof src);
    /* a file name in full unless it holds control characters */
    const char *fn = r->file ? r->file : "";
    for (const unsigned char *b = (const unsigned char *)fn; *b; b++)
        if (*b < 0x20 || *b == 0x7F) {
            fn = ot_fmt_shown(fn, (size_t)-1, file, sizeof file);
            break;
        }
    const char *row[] = {per, ot_measure_name(r->measure), val, day, src, imp, fn,
                         r->time ? r->time : ""};
    c->n++;
    return (c->rc = ot_table_row(c->t, row, c->err)) != OT_OK;
}

int cmd_revisions(cli_global *g, int argc, char **argv)
{
    const char *period = NULL, *measure = NULL;
    const cli_opt opts[] = {{"period", 1, &period, NULL},
                            {"measure", 1, &measure, NULL},
                            {NULL, 0, NULL, NULL}};
    char **pos = argv;
    int npos, rc;
    if ((rc = cli_args("revisions", help, argc, argv, opts, 0, g, &npos)) != CLI_GO)
        return rc;
    if (npos != 1)
        return cli_usage_error("revisions", "which series? (ontrack revisions KEY)");
    ot_period p;
    if (period && ot_period_parse_query(period, (size_t)-1, &p, NULL) != OT_OK)
        return cli_usage_error("revisions", "--period: expected a period such as 2023-01, got '%s'",
                               period);
    int want = -1;
    if (measure) {
        ot_measure m;
        if ((rc = cli_parse_measure("revisions", measure, &m)))
            return rc;
        want = (int)m;
    }
    ot_store *st;
    if ((rc = cli_open_store(g, 1, &st)))
        return rc;
    ot_err err;
    ot_err_clear(&err);
    rev_ctx c = {ot_table_new(8, &err), want, 0, OT_OK, &err};
    if (!c.t) {
        ot_store_close(st);
        return cli_fail(&err);
    }
    const char *head[] = {"period", "measure", "value", "known from", "source", "import", "file",
                          "imported at"};
    ot_table_header(c.t, head, &err);
    ot_table_right(c.t, 2);
    rc = ot_store_revisions(st, pos[0], period ? &p : NULL, add_rev, &c, &err);
    ot_store_close(st);
    if (rc == OT_OK)
        rc = c.rc;
    if (rc != OT_OK) {
        ot_table_free(c.t);
        return cli_fail(&err);
    }
    if (c.n == 0) {
        ot_table_free(c.t);
        ot_err_set(&err, OT_ENOTFOUND, "%s: no %s%sobservations%s%s", pos[0],
                   want >= 0 ? ot_measure_name((ot_measure)want) : "", want >= 0 ? " " : "",
                   period ? " in " : "", period ? period : "");
        return cli_fail(&err);
    }
    ot_table_print(c.t, stdout);
    ot_table_free(c.t);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        ot_err_set(&err, OT_EIO, "cannot write the output");
        return cli_fail(&err);
    }
    return 0;
}
