/* main.c — the `ontrack` command: global options and dispatch to subcommands.
 *
 * The only file that decides the process's exit; subcommands return their
 * exit code.  Exit codes (sysexits): 0 ok, 1 script or runtime error,
 * 2 usage, 65 bad data, 66 missing input, 74 I/O error, 75 locked.  A
 * command that succeeded but whose standard output could not be written
 * exits 74 (finish).
 */
#include "cli/cli.h"

#include <errno.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *name;
    int (*fn)(cli_global *, int, char **);
    const char *summary;
} command;

static const command commands[] = {
    {"init", cmd_init, "create or migrate the database"},
    {"import", cmd_import, "import CSV files, Excel workbooks and bureau tables in one transaction"},
    {"series", cmd_series, "list the stored series"},
    {"show", cmd_show, "print one series"},
    {"revisions", cmd_revisions, "every vintage of a series, with the import that brought it"},
    {"targets", cmd_targets, "list the stored targets"},
    {"project", cmd_project, "project every stored target"},
    {"run", cmd_run, "run a Lua scenario script"},
    {"repl", cmd_repl, "interactive Lua with the engine loaded"},
    {"job", cmd_job, "scheduled forecast jobs: run, history, show, backfill"},
    {"backtest", cmd_backtest, "accuracy and calibration of projections over past years"},
    {"report", cmd_report, "render a stored run as HTML, Markdown, CSV or JSON"},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: ontrack [--db PATH] COMMAND [ARGS...]\n\n"
               "Projects annual government targets from monthly and quarterly statistics.\n\n"
               "commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\noptions:\n"
               "  --db PATH   the database (default: $ONTRACK_DB, else ./ontrack.db)\n"
               "  --version   print the version and exit\n"
               "  --help      print this help and exit\n\n"
               "'ontrack help COMMAND' or 'ontrack COMMAND --help' describes a command.\n"
               "Exit codes: 0 ok, 1 script or runtime error, 2 usage, 65 bad data,\n"
               "66 missing input, 74 I/O error, 75 locked.\n");
}

/* Every command's output ends here: what stdio still buffers is written, and
 * any write to standard output that failed (a full disk, a closed pipe end,
 * /dev/full) turns success into exit 74, so success is never reported on
 * output that was lost.  One place for all commands. */
static int finish(int rc)
{
    int bad = ferror(stdout);
    errno = 0;
    if (fflush(stdout) != 0)
        bad = 1;
    int e = errno;
    if (fclose(stdout) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    if (bad && rc == 0) { /* a failed command has said what failed */
        fprintf(stderr, "ontrack: cannot write to standard output: %s\n",
                e ? strerror(e) : "write error");
        return 74;
    }
    return rc;
}

static int dispatch(int argc, char **argv);

static const command *find_command(const char *name)
{
    for (size_t k = 0; k < sizeof commands / sizeof *commands; k++)
        if (strcmp(name, commands[k].name) == 0)
            return &commands[k];
    return NULL;
}

/* "unknown command 'imprt' (did you mean 'import'?)" and the usage; exit 2. */
static int unknown_command(const char *name)
{
    const char *names[sizeof commands / sizeof *commands + 1];
    for (size_t k = 0; k < sizeof commands / sizeof *commands; k++)
        names[k] = commands[k].name;
    names[sizeof commands / sizeof *commands] = NULL;
    const char *near = ot_nearest_name(name, names);
    fputs("ontrack: unknown command '", stderr);
    cli_eputs(name);
    if (near)
        fprintf(stderr, "' (did you mean '%s'?)\n", near);
    else
        fputs("'\n", stderr);
    usage(stderr);
    return 2;
}

int main(int argc, char **argv)
{
    setlocale(LC_CTYPE, "");
    setlocale(LC_NUMERIC, "C"); /* numbers are written and read the same everywhere */
    return finish(dispatch(argc, argv));
}

static int dispatch(int argc, char **argv)
{
    cli_global g = {NULL, "ontrack", 0, argv};
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--version") == 0) {
            printf("ontrack %s\n", ONTRACK_VERSION);
            return 0;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(a, "--db") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "ontrack: option '--db' needs a value (ontrack --db PATH COMMAND)\n");
                return 2;
            }
            g.db_path = argv[++i];
        } else if (strncmp(a, "--db=", 5) == 0) {
            g.db_path = a + 5;
        } else {
            fputs("ontrack: unknown option '", stderr);
            cli_eputs(a);
            fputs("'\n", stderr);
            usage(stderr);
            return 2;
        }
    }
    if (i >= argc) {
        usage(stderr);
        return 2;
    }
    /* `ontrack help [COMMAND]`, as git and cargo take it: the usage, or
     * what `ontrack COMMAND --help` prints */
    if (strcmp(argv[i], "help") == 0) {
        if (i + 1 >= argc) {
            usage(stdout);
            return 0;
        }
        const command *c = find_command(argv[i + 1]);
        if (!c)
            return unknown_command(argv[i + 1]);
        static char help_opt[] = "--help";
        char *help_argv[] = {help_opt, NULL};
        g.nlead = i + 2;
        return c->fn(&g, 1, help_argv);
    }
    const command *c = find_command(argv[i]);
    if (c) {
        g.nlead = i + 1;
        return c->fn(&g, argc - i - 1, argv + i + 1);
    }
    return unknown_command(argv[i]);
}
