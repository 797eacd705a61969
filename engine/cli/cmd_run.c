/* cmd_run.c — `ontrack run [--as-of D] SCRIPT [ARGS...]`: a Lua scenario script.
 *
 * Ctrl-C (SIGINT) stops the script as lua.c does: the handler only asks the
 * host to stop ("interrupted!" at the next instruction, or the engine call
 * at its next check), so the script unwinds, its writes are rolled back and
 * the exit code is 1; a second Ctrl-C ends the process at once.  os.exit
 * ends the script through the host too (lua/host.h, ot_host_exit_status).
 */
#include "cli/cli.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "lua/host.h"

/* The host while the script runs: a signal handler reaches nothing else. */
static ot_host *volatile running;

static void on_sigint(int sig)
{
    (void)sig;
    if (running)
        ot_host_interrupt(running);
}

/* Shared with cmd_repl.c and cmd_job.c (declared there). */
static const char help[] =
    "usage: ontrack run [--as-of DATE|PERIOD] [--timeout S] [--memory MB]\n"
    "                   [--commit-partial] SCRIPT [ARGS...]\n\n"
    "Runs a Lua script with the engine preloaded as `ot` (ot.db() is the database\n"
    "given by --db, $ONTRACK_DB or ./ontrack.db) and `arg` as in lua.  Options\n"
    "come before SCRIPT; everything after it belongs to the script.  --as-of\n"
    "restricts every read to the data known at that date (or through that period).\n"
    "A script error prints script:LINE: message and a traceback, exit 1; so does\n"
    "Ctrl-C.  os.exit(N) exits N, keeping the script's writes only when N is 0.\n"
    "SCRIPT '-' reads standard input.  --timeout S stops the script after S seconds\n"
    "of running and --memory MB when Lua and engine memory would pass MB megabytes:\n"
    "either ends it with a clear error and exit 1.  The whole script is one\n"
    "transaction per database it writes: committed when it succeeds, rolled back\n"
    "when it fails or is stopped (db:close() commits that database early).\n"
    "--commit-partial commits each write at once instead (what a failing script\n"
    "wrote before its error stays).\n";

/* An option of run's typed after the script (`ontrack run s.lua --as-of
 * 2023-08-31`) is the script's argument, as DESIGN.md has it, so the script
 * reads the latest data while the user believes it reads August's: says so
 * on standard error, once, before the script runs. */
static void note_late_options(int nargs, char **args, const cli_opt *opts)
{
    for (int i = 0; i < nargs; i++) {
        const char *a = args[i];
        if (strncmp(a, "--", 2) != 0)
            continue;
        size_t len = strcspn(a + 2, "=");
        const char *name = NULL;
        for (const cli_opt *o = opts; o->name && !name; o++)
            if (strlen(o->name) == len && strncmp(o->name, a + 2, len) == 0)
                name = o->name;
        if (!name && len == 2 && strncmp(a + 2, "db", 2) == 0)
            name = "db";
        if (!name)
            continue;
        fprintf(stderr,
                "ontrack: run: note: '--%s' after the script is the script's argument arg[%d], "
                "not run's option: put it before the script (ontrack run --%s ... SCRIPT)\n",
                name, i + 1, name);
        return;
    }
}

int cmd_run(cli_global *g, int argc, char **argv)
{
    const char *as_of = NULL, *timeout = NULL, *memory = NULL;
    int partial = 0;
    const cli_opt opts[] = {{"as-of", 1, &as_of, NULL},
                            {"timeout", 1, &timeout, NULL},
                            {"memory", 1, &memory, NULL},
                            {"commit-partial", 0, NULL, &partial},
                            {NULL, 0, NULL, NULL}};
    char **pos = argv;
    int npos, rc;
    /* the command line before the script, for arg[-n..-1] as lua.c gives
     * it: main's words through "run", then run's options as typed (taken
     * before cli_args moves the script and its arguments to the front) */
    int nlead = g->lead ? g->nlead : 0;
    char **before = malloc(((size_t)nlead + (size_t)argc + 1) * sizeof *before);
    if (!before) {
        fputs("ontrack: out of memory\n", stderr);
        return 1;
    }
    for (int i = 0; i < nlead; i++)
        before[i] = g->lead[i];
    for (int i = 0; i < argc; i++)
        before[nlead + i] = argv[i];
    if ((rc = cli_args("run", help, argc, argv, opts, 1, g, &npos)) != CLI_GO) {
        free(before);
        return rc;
    }
    if (npos == 0) {
        free(before);
        return cli_usage_error("run", "which script? (ontrack run script.lua)");
    }
    note_late_options(npos - 1, pos + 1, opts);
    ot_host *h;
    if ((rc = cli_host_open(g, "run", as_of, timeout, memory, partial, &h))) {
        free(before);
        return rc;
    }
    /* everything from the script on is the script's: the options end there */
    ot_host_set_before(h, nlead + argc - npos, before);
    double secs;
    size_t bytes;
    cli_parse_limits("run", timeout, memory, &secs, &bytes); /* checked by cli_host_open */
    ot_err err;
    ot_err_clear(&err);
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sa.sa_flags = SA_RESETHAND; /* the second Ctrl-C is the default: the end */
    sigemptyset(&sa.sa_mask);
    running = h;
    sigaction(SIGINT, &sa, &old);
    cli_watchdog(secs);
    rc = ot_host_run_file(h, pos[0], npos - 1, pos + 1, &err);
    cli_watchdog(0);
    sigaction(SIGINT, &old, NULL);
    running = NULL;
    int status = ot_host_exit_status(h);
    if (status <= 0 && rc != OT_OK) { /* the whole message, also past err.msg's size */
        const char *text = ot_host_error_text(h);
        fprintf(stderr, "ontrack: %s\n", text ? text : err.msg);
    }
    ot_host_free(h);
    free(before);
    if (status > 0) /* os.exit(N): the script's own code; its writes rolled back */
        return status;
    return rc != OT_OK ? ot_err_exit_code(rc) : 0;
}
