/* cmd_run.c — `ontrack run [--as-of D] SCRIPT [ARGS...]`: a Lua scenario script. */
#include "cli/cli.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "lua/host.h"

/* Shared with cmd_repl.c and cmd_job.c (declared there). */
int cli_parse_limits(const char *cmd, const char *timeout, const char *memory, double *secs,
                     size_t *bytes);

static const char help[] =
    "usage: ontrack run [--as-of DATE|PERIOD] [--timeout S] [--memory MB]\n"
    "                   SCRIPT [ARGS...]\n\n"
    "Runs a Lua script with the engine preloaded as `ot` (ot.db() is the database\n"
    "given by --db, $ONTRACK_DB or ./ontrack.db) and `arg` as in lua.  Options\n"
    "come before SCRIPT; everything after it belongs to the script.  --as-of\n"
    "restricts every read to the data known at that date (or through that period).\n"
    "A script error prints script:LINE: message and a traceback, exit 1.  SCRIPT\n"
    "'-' reads standard input.  --timeout S stops the script after S seconds of\n"
    "running and --memory MB when Lua and engine memory would pass MB megabytes:\n"
    "either ends it with a clear error and exit 1; what the script wrote before\n"
    "stays, each database write being its own transaction (nothing half-written).\n";

/* Parses --timeout (seconds above 0, at most a year) and --memory
 * (whole megabytes, 1..1048576) into *secs and *bytes (0 when not given).
 * Returns 0, or prints a usage error and returns 2. */
int cli_parse_limits(const char *cmd, const char *timeout, const char *memory, double *secs,
                     size_t *bytes)
{
    *secs = 0;
    *bytes = 0;
    if (timeout) {
        char *end;
        errno = 0;
        double v = strtod(timeout, &end);
        if (end == timeout || *end != '\0' || errno || !isfinite(v) || v <= 0 || v > 31536000)
            return cli_usage_error(cmd, "--timeout: expected seconds (a number above 0), got '%s'",
                                   timeout);
        *secs = v;
    }
    if (memory) {
        char *end;
        errno = 0;
        unsigned long v = strtoul(memory, &end, 10);
        if (end == memory || *end != '\0' || errno || memory[0] == '-' || v == 0 || v > 1048576)
            return cli_usage_error(cmd, "--memory: expected megabytes from 1 to 1048576, got '%s'",
                                   memory);
        *bytes = (size_t)v << 20;
    }
    return 0;
}

int cmd_run(cli_global *g, int argc, char **argv)
{
    const char *as_of = NULL, *timeout = NULL, *memory = NULL;
    const cli_opt opts[] = {{"as-of", 1, &as_of, NULL},
                            {"timeout", 1, &timeout, NULL},
                            {"memory", 1, &memory, NULL},
                            {NULL, 0, NULL, NULL}};
    char **pos = argv;
    int npos, wants_help, rc;
    if ((rc = cli_parse("run", argc, argv, opts, 1, g, &wants_help, pos, &npos)))
        return rc;
    if (wants_help) {
        fputs(help, stdout);
        return 0;
    }
    if (npos == 0)
        return cli_usage_error("run", "which script? (ontrack run script.lua)");
    if (as_of) {
        int32_t days;
        ot_period through;
        if ((rc = cli_parse_asof("run", as_of, &days, &through)))
            return rc;
    }
    double secs;
    size_t bytes;
    if ((rc = cli_parse_limits("run", timeout, memory, &secs, &bytes)))
        return rc;
    ot_host_opts o = {cli_db_path(g), as_of, secs, bytes, 0};
    ot_host *h;
    ot_err err;
    ot_err_clear(&err);
    if (ot_host_new(&o, &h, &err) != OT_OK)
        return cli_fail(&err);
    rc = ot_host_run_file(h, pos[0], npos - 1, pos + 1, &err);
    ot_host_free(h);
    if (rc != OT_OK) {
        fprintf(stderr, "ontrack: %s\n", err.msg);
        return ot_err_exit_code(rc);
    }
    return 0;
}
