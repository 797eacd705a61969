/* cli.h — what the subcommands share: global options, argument parsing, messages.
 *
 * Each subcommand lives in its own cmd_<name>.c and returns a process exit
 * code (sysexits, DESIGN.md).  Options may stand anywhere among a command's
 * arguments ("--" ends them); a command that runs a script stops at its first
 * positional argument so everything after belongs to the script.
 */
#ifndef OT_CLI_CLI_H
#define OT_CLI_CLI_H

#include <stdio.h>

#include "core/err.h"
#include "core/period.h"
#include "lua/host.h"
#include "project/projection.h"
#include "store/store.h"

#ifndef ONTRACK_VERSION
#define ONTRACK_VERSION "0.0.0"
#endif
#define ONTRACK_VERSION_STRING ONTRACK_VERSION

typedef struct cli_global {
    const char *db_path; /* --db, else $ONTRACK_DB, else ./ontrack.db */
    const char *prog;    /* "ontrack" */
    int nlead;           /* main's argv up to and including the command name */
    char **lead;         /* ("ontrack --db x.db run"): run's arg[-n..] */
} cli_global;

/* One option of a command.  `value` receives the argument of an option that
 * takes one; `flag` is set to 1 for one that does not; `multi` options may
 * repeat and each call appends (value then holds the last). */
typedef struct cli_opt {
    const char *name; /* long name without dashes: "as-of" */
    int has_arg;
    const char **value;
    int *flag;
} cli_opt;

/* Parses argv[0..argc) against opts (terminated by a {NULL} entry).  The
 * positional arguments are written to pos (which may be argv itself: they
 * are compacted in place) and counted in *npos.  With stop_at_positional, the first positional argument and
 * everything after it are positional.  --db is accepted by every command and
 * stored in g.  --help sets *help.  Returns 0, or 2 after printing a usage
 * error naming the command. */
int cli_parse(const char *cmd, int argc, char **argv, const cli_opt *opts, int stop_at_positional,
              cli_global *g, int *help, char **pos, int *npos);

/* What cli_args returns when the command should go on. */
#define CLI_GO (-1)

/* cli_parse for a command, printing help_text on --help: returns CLI_GO when
 * the command should go on, with its *npos positional arguments compacted at
 * the front of argv; else the exit code to return (0 after --help, 2 after a
 * usage error). */
int cli_args(const char *cmd, const char *help_text, int argc, char **argv, const cli_opt *opts,
             int stop_at_positional, cli_global *g, int *npos);

/* Prints "ontrack: <formatted err>" on stderr and returns its exit code. */
int cli_fail(const ot_err *err);
/* Write s (one byte c) to stderr with control characters but newline and
 * tab as \xHH: a message quoting an argument never drives the terminal. */
void cli_eputs(const char *s);
/* Writes stored text (a series' name, unit) to f on one line: each control
 * character a space, as tables show them (report/table.c). */
void cli_puts_shown(const char *s, FILE *f);
void cli_eputc(unsigned char c);
/* Prints "ontrack: <cmd>: <message>" on stderr and returns 2. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The database path from g, $ONTRACK_DB or ./ontrack.db. */
const char *cli_db_path(const cli_global *g);

/* An --as-of argument: a date ("2023-10-20": the vintages known that day)
 * or a period ("2023-09": data through that period, latest vintages).
 * Sets *days (OT_ASOF_LATEST for a period) and *through (freq NONE for a
 * date).  Returns 0, or prints a usage error and returns 2. */
int cli_parse_asof(const char *cmd, const char *s, int32_t *days, ot_period *through);

/* A RUN argument: a positive run id, or "latest" (0).  Returns the id, or -1
 * when s is neither (the caller reports it). */
int64_t cli_parse_run(const char *s);

/* A --measure argument: sets *out and returns 0, or prints a usage error
 * naming cmd and returns 2. */
int cli_parse_measure(const char *cmd, const char *s, ot_measure *out);

/* Opens the database for a command (creating it unless readonly); prints
 * the error and returns its exit code on failure, 0 on success. */
int cli_open_store(const cli_global *g, int readonly, ot_store **out);

/* Parses a year 1900-2200 given to --opt into *year.  The cli_parse_*
 * functions return 0, or print a usage error naming the command and the
 * option and return 2. */
int cli_parse_year(const char *cmd, const char *opt, const char *s, int *year);
/* Parses a whole number 1..max given to --opt. */
int cli_parse_count(const char *cmd, const char *opt, const char *s, unsigned long max,
                    unsigned long *out);
/* Parses --timeout (seconds above 0, at most a year) and --memory (whole
 * megabytes, 1..1048576) into *secs and *bytes (0 when not given). */
int cli_parse_limits(const char *cmd, const char *timeout, const char *memory, double *secs,
                     size_t *bytes);
/* Checks --as-of, --timeout and --memory and creates the script host over
 * the command's database (not sandboxed; each chunk one transaction unless
 * commit_partial).  Returns 0 with *out new (free with ot_host_free), or the
 * exit code after printing the problem. */
int cli_host_open(const cli_global *g, const char *cmd, const char *as_of, const char *timeout,
                  const char *memory, int commit_partial, ot_host **out);

/* Arms (secs > 0) or disarms (0) the watchdog of a --timeout.  The script
 * host stops a script between Lua instructions; at secs the watchdog also
 * asks a running engine call to stop (ot_models_interrupt: a model search
 * or batch returns "time limit exceeded inside an engine call" within a
 * fraction of a second).  Should the script still run at secs + max(secs, 1)
 * seconds — a long call without a check — the process prints why and exits
 * 1.  Write transactions are atomic, so the database keeps what was
 * committed. */
void cli_watchdog(double secs);

/* Parses a --intervals value, "model" or "cv", into *out (OT_PI_MODEL or
 * OT_PI_CV).  Returns 0, or 2 after cli_usage_error naming cmd. */
int cli_parse_intervals(const char *cmd, const char *s, int *out);
/* The same without the last resort (the REPL: one statement's limit must
 * not end the session). */
void cli_watchdog_soft(double secs);

/* Subcommands. */
int cmd_init(cli_global *g, int argc, char **argv);
int cmd_import(cli_global *g, int argc, char **argv);
int cmd_revisions(cli_global *g, int argc, char **argv);
int cmd_series(cli_global *g, int argc, char **argv);
int cmd_show(cli_global *g, int argc, char **argv);
int cmd_targets(cli_global *g, int argc, char **argv);
int cmd_project(cli_global *g, int argc, char **argv);
int cmd_run(cli_global *g, int argc, char **argv);
int cmd_repl(cli_global *g, int argc, char **argv);
int cmd_job(cli_global *g, int argc, char **argv);
int cmd_backtest(cli_global *g, int argc, char **argv);
int cmd_report(cli_global *g, int argc, char **argv);

#endif
