/* cmd_import.c — `ontrack import FILE...`: CSV files, statistics bureaus'
 * tables and workbooks into the store, one transaction; --dry-run shows how
 * each column maps and what would change, writing nothing. */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/text.h"
#include "io/import.h"
#include "report/table.h"

static const char help[] =
    "usage: ontrack import FILE... [--format long|wide|targets|series] [--measure M]\n"
    "                      [--as-of DATE] [--encoding utf-8|gbk] [--source TEXT]\n"
    "                      [--map FILE] [--sheet NAME] [--dry-run] [--force-measure]\n\n"
    "Imports CSV files (.csv), Excel workbooks (.xlsx, .xls) and statistics bureaus'\n"
    "tables in one transaction: if any row of any file is bad, nothing is written\n"
    "and every problem is printed as file:line:column or file:sheet:cell (exit 65).\n"
    "The format is recognised from the header unless --format is given.  A table\n"
    "with Chinese headings (时间 | 规上工业增加值 累计值(亿元) | 累计增长(%) ...) maps\n"
    "its columns to series through the series' name, name_en and aliases and the\n"
    "measure words (累计值 ytd, 本月 value, 累计增长 ytd_yoy, 同比 yoy), or through\n"
    "--map FILE (CSV: header,series[,measure]).  --measure is the measure of\n"
    "columns and long rows that name none (value, ytd, yoy, ytd_yoy); values that\n"
    "rise through each year and fall back in January are refused as value\n"
    "(--force-measure keeps them).  --sheet NAME picks a workbook's sheet (default:\n"
    "the first).\n"
    "--as-of DATE is the vintage (release date) of rows that carry none; without\n"
    "it such rows count as known from the end of their period.  A changed value is\n"
    "kept as a new vintage; re-importing an identical file changes nothing.\n"
    "--dry-run prints how each column maps and what would change, and writes\n"
    "nothing.  See docs/formats.md.\n";

typedef struct report_ctx {
    ot_table *cols;      /* --dry-run: the column map */
    int dry;
    int rc;
    ot_err err;
    /* progress on a terminal, after two seconds */
    int tty;
    double after; /* seconds before the line shows (2; $ONTRACK_PROGRESS_AFTER) */
    struct timespec start, last;
    int shown;
} report_ctx;

static double since(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

static void on_progress(void *ud, const char *file, long long done, long long total)
{
    report_ctx *r = ud;
    if (!r->tty)
        return;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (since(&r->start, &now) < r->after || (r->shown && since(&r->last, &now) < 0.25))
        return;
    r->last = now;
    r->shown = 1;
    if (total > 0)
        fprintf(stderr, "\rimporting %s: %3d%% (%lld of %lld MB)", file,
                (int)(100.0 * (double)done / (double)total), done >> 20, total >> 20);
    else
        fprintf(stderr, "\rimporting %s: %lld MB", file, done >> 20);
    fflush(stderr);
}

static void clear_progress(report_ctx *r)
{
    if (r->shown) {
        fprintf(stderr, "\r\033[K");
        fflush(stderr);
        r->shown = 0;
    }
}

static void on_skipped(void *ud, const ot_import_skip *k)
{
    report_ctx *r = ud;
    clear_progress(r);
    printf("%s:%ld: skipped %s row%s%s\n", k->file, k->line, k->why, k->text[0] ? ": " : "",
           k->text);
}

static void on_column(void *ud, const ot_import_column *k)
{
    report_ctx *r = ud;
    if (!r->dry || !r->cols || r->rc)
        return;
    char where[32], l[8], per[2 * OT_PERIOD_STRMAX + 4], a[OT_PERIOD_STRMAX],
        b[OT_PERIOD_STRMAX], rows[24], ins[24], same[24], miss[24], head[160];
    if (k->col > 0)
        snprintf(where, sizeof where, "%s", ot_import_col_letters(k->col, l));
    else
        snprintf(where, sizeof where, "row %ld", k->line);
    if (k->rows + 0 > 0 && k->inserted + k->unchanged > 0) {
        ot_period_format(k->first, a, sizeof a);
        ot_period_format(k->last, b, sizeof b);
        snprintf(per, sizeof per, "%s..%s", a, b);
    } else
        snprintf(per, sizeof per, "-");
    snprintf(rows, sizeof rows, "%lld", k->rows);
    snprintf(ins, sizeof ins, "%lld", k->inserted);
    snprintf(same, sizeof same, "%lld", k->unchanged);
    snprintf(miss, sizeof miss, "%lld", k->missing);
    ot_fmt_clip(k->heading ? k->heading : "", 40, head, sizeof head);
    const char *cells[] = {where, head, k->key, ot_measure_name(k->measure),
                           k->unit ? k->unit : "", per, rows, ins, same, miss};
    r->rc = ot_table_row(r->cols, cells, &r->err);
}

static int count_key(void *ud, const ot_key_info *ki)
{
    (void)ki;
    ++*(long *)ud;
    return 0;
}

/* Whether another connection has path open: in WAL mode its -wal and -shm
 * files stay while any connection is open, and the last one to close
 * removes them. */
static int in_use(const char *path)
{
    static const char *const ext[] = {"-wal", "-shm"};
    char side[4096];
    struct stat sb;
    for (size_t i = 0; i < sizeof ext / sizeof *ext; i++)
        if (snprintf(side, sizeof side, "%s%s", path, ext[i]) >= (int)sizeof side ||
            stat(side, &sb) == 0)
            return 1;
    return 0;
}

/* A database this call created for an import that wrote nothing (rejected,
 * or a dry run) is removed again, so that "nothing was written" holds for
 * the file too: a mistyped --db leaves no stray database.  Only while no
 * other connection has it open and it holds no series and no target
 * (another process may have begun to use the new file meanwhile). */
static void drop_new_db(const char *path)
{
    ot_store *st;
    ot_err e;
    /* read-write: a read-only connection would leave -wal and -shm behind */
    if (in_use(path) || ot_store_open(path, 0, &st, &e) != OT_OK)
        return;
    long keys = 0;
    ot_target *t = NULL;
    int64_t *ids = NULL;
    size_t nt = 1;
    int ok = ot_store_key_names(st, NULL, count_key, &keys, &e) == OT_OK &&
             ot_store_targets(st, 0, &t, &ids, &nt, &e) == OT_OK;
    ot_store_targets_free(t, ok ? nt : 0);
    free(ids);
    ot_store_close(st);
    if (!ok || keys || nt || in_use(path))
        return;
    unlink(path);
}

int cmd_import(cli_global *g, int argc, char **argv)
{
    const char *format = NULL, *measure = NULL, *as_of = NULL, *encoding = NULL, *source = NULL,
               *map = NULL, *sheet = NULL;
    int dry = 0, force = 0;
    const cli_opt opts[] = {{"format", 1, &format, NULL},     {"measure", 1, &measure, NULL},
                            {"as-of", 1, &as_of, NULL},       {"encoding", 1, &encoding, NULL},
                            {"source", 1, &source, NULL},     {"map", 1, &map, NULL},
                            {"sheet", 1, &sheet, NULL},       {"dry-run", 0, NULL, &dry},
                            {"force-measure", 0, NULL, &force}, {NULL, 0, NULL, NULL}};
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
    if (measure && (rc = cli_parse_measure("import", measure, &o.measure)))
        return rc;
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
    o.map = map;
    o.sheet = sheet;
    o.dry_run = dry;
    o.force_measure = force;

    report_ctx r;
    memset(&r, 0, sizeof r);
    r.dry = dry;
    r.tty = isatty(STDERR_FILENO);
    r.after = 2.0;
    const char *pa = getenv("ONTRACK_PROGRESS_AFTER");
    if (pa && *pa)
        r.after = atof(pa);
    clock_gettime(CLOCK_MONOTONIC, &r.start);
    if (dry) {
        if (!(r.cols = ot_table_new(10, &r.err)))
            return cli_fail(&r.err);
        const char *head[] = {"col",  "heading", "series", "measure", "unit",
                              "periods", "values", "new", "same", "missing"};
        ot_table_header(r.cols, head, &r.err);
        for (size_t i = 6; i < 10; i++)
            ot_table_right(r.cols, i);
    }
    ot_import_report rep = {on_column, on_skipped, on_progress, &r};
    o.report = &rep;

    ot_store *st;
    struct stat sb;
    const char *dbp = cli_db_path(g);
    int existed = strcmp(dbp, ":memory:") == 0 || stat(dbp, &sb) == 0; /* or made meanwhile */
    if ((rc = cli_open_store(g, 0, &st))) {
        ot_table_free(r.cols);
        return rc;
    }
    ot_err err;
    ot_err_clear(&err);
    ot_import_stats stats = {0};
    ot_import_errors errs = {0};
    rc = ot_import_files(st, (const char *const *)pos, (size_t)npos, &o, &stats, &errs, &err);
    ot_store_close(st);
    if (!existed && (rc != OT_OK || dry))
        drop_new_db(dbp);
    clear_progress(&r);
    if (rc == OT_EDATA && errs.n > 0) {
        if (dry && r.cols && ot_table_rows(r.cols) > 0)
            ot_table_print(r.cols, stdout);
        ot_table_free(r.cols);
        ot_import_errors_print(&errs, stderr);
        fprintf(stderr, "ontrack: import rejected: nothing was written\n");
        return ot_err_exit_code(rc);
    }
    if (rc == OT_OK && r.rc) {
        rc = r.rc;
        err = r.err;
    }
    if (rc != OT_OK) {
        ot_table_free(r.cols);
        return cli_fail(&err);
    }
    if (dry && r.cols && ot_table_rows(r.cols) > 0)
        ot_table_print(r.cols, stdout);
    ot_table_free(r.cols);
    printf("%s %d file%s: %lld row%s, %lld new, %lld unchanged, %lld missing value%s",
           dry ? "dry run: would import" : "imported", stats.files, stats.files == 1 ? "" : "s",
           stats.rows, stats.rows == 1 ? "" : "s", stats.inserted, stats.unchanged, stats.missing,
           stats.missing == 1 ? "" : "s");
    if (stats.skipped)
        printf(", %lld row%s skipped", stats.skipped, stats.skipped == 1 ? "" : "s");
    if (stats.already)
        printf(" (%d already imported)", stats.already);
    printf("%s\n", dry ? "; nothing was written" : "");
    return 0;
}
