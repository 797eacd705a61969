/* cmd_import.c — `ontrack import FILE...`: CSV files into the store, one transaction. */
#include "cli/cli.h"

#include "io/import.h"

static const char help[] =
    "usage: ontrack import FILE... [--format long|wide|targets|series] [--measure M]\n"
    "                      [--as-of DATE] [--encoding utf-8|gbk] [--source TEXT]\n\n"
    "Imports CSV files in one transaction: if any row of any file is bad, nothing\n"
    "is written and every problem is printed as file:line:column (exit 65).\n"
    "The format is recognised from the header unless --format is given.  --measure\n"
    "is the measure of every column of a wide file (value, ytd, yoy, ytd_yoy).\n"
    "--as-of DATE is the vintage (release date) of rows that carry none; without\n"
    "it such rows count as known from the end of their period.  A changed value is\n"
    "kept as a new vintage; re-importing an identical file changes nothing.\n";

int cmd_import(cli_global *g, int argc, char **argv)
{
    const char *format = NULL, *measure = NULL, *as_of = NULL, *encoding = NULL, *source = NULL;
    const cli_opt opts[] = {{"format", 1, &format, NULL},     {"measure", 1, &measure, NULL},
                            {"as-of", 1, &as_of, NULL},       {"encoding", 1, &encoding, NULL},
                            {"source", 1, &source, NULL},     {NULL, 0, NULL, NULL}};
    char **pos = argv;
    int npos, rc;
    if ((rc = cli_args("import", help, argc, argv, opts, 0, g, &npos)) != CLI_GO)
        return rc;
    if (npos == 0)
        return cli_usage_error("import", "which files? (ontrack import data.csv)");
    ot_import_opts o = OT_IMPORT_OPTS_INIT;
    int v;
    if (format && (v = ot_import_format_parse(format)) < 0)
        return cli_usage_error("import", "--format: expected long, wide, targets or series, got '%s'",
                               format);
    if (format)
        o.format = (ot_import_format)v;
    if (measure && ot_measure_parse(measure, (size_t)-1, &o.measure) != 0)
        return cli_usage_error("import", "--measure: expected value, ytd, yoy or ytd_yoy, got '%s'",
                               measure);
    if (encoding && (v = ot_encoding_parse(encoding)) < 0)
        return cli_usage_error("import", "--encoding: expected utf-8 or gbk, got '%s'", encoding);
    if (encoding)
        o.encoding = (ot_encoding)v;
    if (as_of) {
        ot_err e;
        if (ot_date_parse(as_of, &o.as_of, &e) != OT_OK)
            return cli_usage_error("import", "--as-of: expected a date (2023-10-20), got '%s'", as_of);
    }
    o.source = source;

    ot_store *st;
    if ((rc = cli_open_store(g, 0, &st)))
        return rc;
    ot_err err;
    ot_err_clear(&err);
    ot_import_stats stats = {0};
    ot_import_errors errs = {0};
    rc = ot_import_files(st, (const char *const *)pos, (size_t)npos, &o, &stats, &errs, &err);
    ot_store_close(st);
    if (rc == OT_EDATA && errs.n > 0) {
        ot_import_errors_print(&errs, stderr);
        fprintf(stderr, "ontrack: import rejected: nothing was written\n");
        return ot_err_exit_code(rc);
    }
    if (rc != OT_OK)
        return cli_fail(&err);
    printf("imported %d file%s: %lld rows, %lld new, %lld unchanged, %lld missing values",
           stats.files, stats.files == 1 ? "" : "s", stats.rows, stats.inserted, stats.unchanged,
           stats.missing);
    if (stats.already)
        printf(" (%d already imported)", stats.already);
    printf("\n");
    return 0;
}
