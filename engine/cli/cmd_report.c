/* cmd_report.c — `ontrack report RUN`: render a stored run as HTML,
 * Markdown, CSV, JSON or text.  The run, its projections and its document
 * (charts read as known at the run's as-of) come from run/; this file parses
 * the options and writes the file. */
#include "cli/cli.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/job_files.h"
#include "report/report.h"
#include "run/run.h"

static const char help[] =
    "usage: ontrack report RUN [--format html|md|csv|json|txt] [-o FILE] [--lang zh|en]\n"
    "                          [--title TEXT] [--csv-raw]\n\n"
    "Renders the projections of a stored run (its id, or 'latest') as one\n"
    "self-contained HTML page with a chart per target (default), Markdown, CSV,\n"
    "JSON or the text status table (docs/reports.md).  The charts' history is the\n"
    "data known at the run's as-of date.  -o FILE (--output) writes the file\n"
    "instead of standard output (-o - is standard output); without --format the\n"
    "format follows FILE's extension, and standard output that is a terminal\n"
    "gets the text table.  --lang en uses English labels and --title TEXT\n"
    "replaces the title (defaults: those the run's job gave its reports, else\n"
    "Chinese and the region and year).  CSV cells starting with = + - @ get a\n"
    "leading ' so spreadsheets show them as text (--csv-raw writes them as they\n"
    "are).\n";

/* A run that failed, or is still running (or was killed), stored no
 * projections: rendering it would be an empty report that looks like one of
 * no targets.  OT_ENOTFOUND naming the run and the newest run that is ok. */
static int check_finished(ot_store *st, const ot_run_rec *run, ot_err *err)
{
    if (strcmp(run->status, "ok") == 0)
        return OT_OK;
    char job[300] = "", ok[64] = "";
    if (run->job)
        snprintf(job, sizeof job, " of job '%s'", run->job);
    ot_run_rec *r = NULL;
    size_t n = 0;
    ot_err e;
    if (ot_store_runs(st, run->job, 0, 0, &r, &n, &e) == OT_OK)
        for (size_t i = 0; i < n; i++)
            if (strcmp(r[i].status, "ok") == 0) {
                snprintf(ok, sizeof ok, "; run %lld is the newest that finished ok",
                         (long long)r[i].id);
                break;
            }
    ot_store_runs_free(r, n);
    return ot_err_set(err, OT_ENOTFOUND,
                      "run %lld%s %s: it stored no projections to report (ontrack job show %lld "
                      "says more)%s",
                      (long long)run->id, job,
                      strcmp(run->status, "failed") == 0 ? "failed"
                                                         : "has not finished (running or killed)",
                      (long long)run->id, ok);
}

int cmd_report(cli_global *g, int argc, char **argv)
{
    const char *format = NULL, *output = NULL, *lang_s = NULL, *title = NULL;
    int csv_raw = 0;
    const cli_opt opts[] = {{"format", 1, &format, NULL}, {"output", 1, &output, NULL},
                            {"lang", 1, &lang_s, NULL},   {"title", 1, &title, NULL},
                            {"csv-raw", 0, NULL, &csv_raw}, {NULL, 0, NULL, NULL}};
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
    int64_t run_id = cli_parse_run(pos[0]);
    if (run_id < 0)
        return cli_usage_error("report", "RUN must be a run id (a whole number) or 'latest', got '%s'",
                               pos[0]);
    if (output && strcmp(output, "-") == 0) /* -o -: standard output, as without -o */
        output = NULL;
    ot_report_format fmt = OT_REPORT_HTML;
    if (format) {
        if (ot_report_format_parse(format, &fmt) != 0)
            return cli_usage_error("report", "--format: expected html, md, csv, json or txt, got '%s'",
                                   format);
    } else if (output && ot_report_format_from_path(output, &fmt) != 0) {
        /* a name without an extension is a page; another extension (x.pdf,
         * x.xlsx) would get a page under a name that says it is something else */
        const char *base = strrchr(output, '/'), *dot = strrchr(base ? base : output, '.');
        if (dot && dot != (base ? base + 1 : output))
            return cli_usage_error("report",
                                   "-o %s: unsupported extension (supported: .html, .htm, .md, "
                                   ".csv, .json, .txt; or give --format)",
                                   output);
        fmt = OT_REPORT_HTML;
    }
    else if (!format && !output && isatty(STDOUT_FILENO))
        fmt = OT_REPORT_TXT; /* a page's source is no reading on a terminal: the table */
    ot_report_lang lang = OT_LANG_ZH;
    if (lang_s && ot_report_lang_parse(lang_s, &lang) != 0)
        return cli_usage_error("report", "--lang: expected zh or en, got '%s'", lang_s);

    ot_store *st;
    if ((rc = cli_open_store(g, 1, &st)))
        return rc;
    ot_err err;
    ot_err_clear(&err);
    ot_run_rec *run = NULL;
    ot_run_set set = {0};
    ot_run_doc d = {0};
    char source[512], *look_title = NULL, *look_lang = NULL;
    if ((rc = ot_run_open(st, run_id, &run, &set, &err)) != OT_OK ||
        (rc = check_finished(st, run, &err)) != OT_OK)
        goto done;
    /* the title and language the run's job gave its reports, unless asked */
    if ((rc = ot_store_run_look(st, run->id, &look_title, &look_lang, &err)) != OT_OK)
        goto done;
    if (!title)
        title = look_title;
    if (!lang_s && look_lang)
        (void)ot_report_lang_parse(look_lang, &lang);
    ot_run_asof a;
    ot_run_asof_of(run, &a);
    ot_run_source(run, lang, source, sizeof source);
    if ((rc = ot_run_doc_build(&d, &set, st, &a, source, NULL, &err)) != OT_OK ||
        (rc = ot_run_doc_compares(&d, st, run->id, &err)) != OT_OK)
        goto done;
    d.doc.lang = lang;
    d.doc.title = title;
    d.doc.csv_raw = csv_raw;
    if (output) { /* a temporary file renamed over FILE: a failed write leaves FILE as it was */
        pending_out po = {NULL, NULL};
        if ((rc = out_write_tmp(output, fmt, 0, &d.doc, &po, &err)) == OT_OK)
            rc = out_place(&po, &err);
        free(po.tmp);
        free(po.final);
        goto done;
    }
    errno = 0;
    rc = ot_report_write(&d.doc, fmt, stdout, &err);
    if (fflush(stdout) != 0 && rc == OT_OK)
        rc = ot_err_set(&err, OT_EIO, "cannot write the report: %s", strerror(errno));
done:
    free(look_title);
    free(look_lang);
    ot_run_doc_free(&d);
    ot_run_set_free(&set);
    ot_store_runs_free(run, run ? 1 : 0);
    ot_store_close(st);
    return rc == OT_OK ? 0 : cli_fail(&err);
}
