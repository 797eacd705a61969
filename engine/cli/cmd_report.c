/* cmd_report.c — `ontrack report RUN`: render a stored run as HTML,
 * Markdown, CSV or JSON.  The projections come from the run's records, the
 * targets from the store, and the charts' history is read as known at the
 * run's as-of date, so a report of an old run shows what was known then. */
#include "cli/cli.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/html.h"
#include "report/status.h"
#include "store/view.h"

static const char help[] =
    "usage: ontrack report RUN [--format html|md|csv|json] [-o FILE] [--lang zh|en]\n"
    "                          [--title TEXT]\n\n"
    "Renders the projections of a stored run (its id, or 'latest') as one\n"
    "self-contained HTML page with a chart per target (default), Markdown, CSV or\n"
    "JSON (docs/reports.md).  The charts' history is the data known at the run's\n"
    "as-of date.  -o FILE (--output) writes the file instead of standard output;\n"
    "without --format the format follows FILE's extension.  --lang en uses English\n"
    "labels (default Chinese).\n";

/* Fills p from a stored row, and latest, periods_left and ytd_growth from
 * the history h (may be NULL) of target t. */
static void from_row(const ot_projection_row *r, const ot_target *t, const ot_series *h,
                     ot_projection *p)
{
    cli_projection_from_row(r, p);
    if (!h)
        return;
    int P = ot_freq_per_year(h->freq);
    for (int j = P; j >= 1; j--) {
        ot_ord o = ot_period_make(h->freq, t->year, j);
        double v = ot_series_at(h, o);
        if (!isnan(v)) {
            ot_period_fmt(h->freq, o, p->latest, sizeof p->latest);
            p->periods_done = j;
            p->periods_left = P - j;
            if (t->kind == OT_TARGET_GROWTH)
                p->ytd_growth = v;
            if (j == P) {
                p->outcome = v;
                p->has_outcome = 1;
            }
            break;
        }
    }
}

/* Parses RUN: a positive id, or "latest" (*id = 0). */
static int parse_run(const char *s, int64_t *id)
{
    if (strcmp(s, "latest") == 0) {
        *id = 0;
        return 0;
    }
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v <= 0 || errno)
        return cli_usage_error("report", "RUN must be a run id (a whole number) or 'latest', got '%s'",
                               s);
    *id = v;
    return 0;
}

int cmd_report(cli_global *g, int argc, char **argv)
{
    const char *format = NULL, *output = NULL, *lang_s = NULL, *title = NULL;
    const cli_opt opts[] = {{"format", 1, &format, NULL}, {"output", 1, &output, NULL},
                            {"lang", 1, &lang_s, NULL},   {"title", 1, &title, NULL},
                            {NULL, 0, NULL, NULL}};
    static char output_opt[] = "--output";
    for (int i = 0; i < argc; i++) { /* -o is --output */
        if (strcmp(argv[i], "--") == 0)
            break;
        if (strcmp(argv[i], "-o") == 0)
            argv[i] = output_opt;
    }
    char **pos = argv;
    int npos, rc;
    if ((rc = cli_args("report", help, argc, argv, opts, 0, g, &npos)) != CLI_GO)
        return rc;
    if (npos != 1)
        return npos == 0 ? cli_usage_error("report", "which run? (ontrack report RUN; RUN is an id or 'latest')")
                         : cli_usage_error("report", "unexpected argument '%s'", pos[1]);
    int64_t run_id;
    if ((rc = parse_run(pos[0], &run_id)))
        return rc;
    ot_report_format fmt = OT_REPORT_HTML;
    if (format) {
        if (ot_report_format_parse(format, &fmt) != 0)
            return cli_usage_error("report", "--format: expected html, md, csv or json, got '%s'",
                                   format);
    } else if (output && ot_report_format_from_path(output, &fmt) != 0) {
        fmt = OT_REPORT_HTML;
    }
    ot_report_lang lang = OT_LANG_ZH;
    if (lang_s && ot_report_lang_parse(lang_s, &lang) != 0)
        return cli_usage_error("report", "--lang: expected zh or en, got '%s'", lang_s);

    ot_store *st;
    if ((rc = cli_open_store(g, 1, &st)))
        return rc;
    ot_err err;
    ot_err_clear(&err);
    ot_run_rec *run = NULL;
    size_t nrun = 0, n = 0, nt = 0;
    ot_projection_row *rows = NULL;
    ot_target *tg = NULL, *own = NULL;
    int64_t *ids = NULL;
    ot_projection *p = NULL;
    ot_series **hist = NULL;
    ot_report_item *items = NULL;
    FILE *out = NULL;
    int view_ready = 0;
    ot_store_view view;
    char as_of[16], source[256];

    if ((rc = ot_store_runs(st, NULL, run_id, run_id ? 0 : 1, &run, &nrun, &err)) != OT_OK)
        goto done;
    if (nrun == 0) {
        rc = ot_err_set(&err, OT_ENOTFOUND, "no runs stored (ontrack job run records them)");
        goto done;
    }
    if ((rc = ot_store_projections(st, run->id, &rows, &n, &err)) != OT_OK)
        goto done;
    if ((rc = ot_store_targets(st, 0, &tg, &ids, &nt, &err)) != OT_OK)
        goto done;
    own = calloc(n ? n : 1, sizeof *own);
    p = calloc(n ? n : 1, sizeof *p);
    hist = calloc(n ? n : 1, sizeof *hist);
    items = calloc(n ? n : 1, sizeof *items);
    if (!own || !p || !hist || !items) {
        rc = ot_err_set(&err, OT_ENOMEM, "out of memory");
        goto done;
    }
    ot_store_view_init(&view, st, run->as_of, NULL);
    view_ready = 1;
    for (size_t i = 0; i < n; i++) {
        ot_target_init(&own[i]);
        const ot_target *found = NULL;
        for (size_t j = 0; j < nt && rows[i].target_id; j++)
            if (ids[j] == rows[i].target_id)
                found = &tg[j];
        if (found) {
            if ((rc = ot_target_copy(&own[i], found, &err)) != OT_OK)
                goto done;
            if (!own[i].label && (rc = ot_target_set_str(&own[i].label, rows[i].label, &err)))
                goto done;
            if ((rc = ot_project_history(&own[i], ot_store_view_read, &view, 1, NULL, &hist[i],
                                        &err)) != OT_OK)
                goto done;
        } else {
            /* a projection of a target that was not stored: its label only */
            own[i].kind = OT_TARGET_UNQUANTIFIED;
            own[i].op = OT_OP_NONE;
            if ((rc = ot_target_set_str(&own[i].label, rows[i].label, &err)) != OT_OK)
                goto done;
        }
        from_row(&rows[i], &own[i], hist[i], &p[i]);
        items[i] = (ot_report_item){&own[i], &p[i], hist[i], NULL, found ? rows[i].target_id : 0};
    }

    ot_report_doc doc;
    ot_report_doc_init(&doc);
    doc.lang = lang;
    doc.title = title;
    doc.items = items;
    doc.n = n;
    if (run->as_of != OT_ASOF_LATEST) {
        ot_date_format(run->as_of, as_of, sizeof as_of);
        doc.as_of = as_of;
    }
    /* which run, when, on which data (the first 12 hex digits of the run's
     * data hash identify the vintages it read) and which engine */
    int k = snprintf(source, sizeof source, "run %lld%s%s%s, %s", (long long)run->id,
                     run->job ? " (" : "", run->job ? run->job : "", run->job ? ")" : "",
                     run->started);
    if (run->data_hash && k > 0 && (size_t)k < sizeof source)
        k += snprintf(source + k, sizeof source - (size_t)k, ", data %.12s", run->data_hash);
    if (run->engine_version && k > 0 && (size_t)k < sizeof source)
        snprintf(source + k, sizeof source - (size_t)k, ", ontrack %s", run->engine_version);
    doc.source = source;
    if (output && !(out = fopen(output, "wb"))) {
        rc = ot_err_set(&err, OT_EIO, "%s: %s", output, strerror(errno));
        goto done;
    }
    errno = 0;
    rc = ot_report_write(&doc, fmt, out ? out : stdout, &err);
    int werr = errno;
    if (out) {
        if (fclose(out) != 0 && rc == OT_OK)
            rc = ot_err_set(&err, OT_EIO, "%s: %s", output, strerror(errno));
        else if (rc == OT_EIO) /* name the file and the reason */
            rc = ot_err_set(&err, OT_EIO, "%s: cannot write the report: %s", output,
                            werr ? strerror(werr) : "write error");
        out = NULL;
        if (rc != OT_OK)
            remove(output);
    } else if (fflush(stdout) != 0 && rc == OT_OK) {
        rc = ot_err_set(&err, OT_EIO, "cannot write the report: %s", strerror(errno));
    }
done:
    for (size_t i = 0; hist && i < n; i++)
        ot_series_free(hist[i]);
    free(hist);
    free(items);
    free(p);
    for (size_t i = 0; own && i < n; i++)
        ot_target_clear(&own[i]);
    free(own);
    if (view_ready)
        ot_store_view_destroy(&view);
    ot_store_targets_free(tg, nt);
    free(ids);
    ot_store_projections_free(rows, n);
    ot_store_runs_free(run, nrun);
    ot_store_close(st);
    return rc == OT_OK ? 0 : cli_fail(&err);
}
