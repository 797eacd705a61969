/* args.c — option parsing shared by the subcommands, and error printing. */
#include "cli/cli.h"

#include <errno.h>
#include <signal.h>
#include <sys/time.h>
#include <unistd.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "models/model.h"
#include "run/run.h"

void cli_eputc(unsigned char c)
{
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F)
        fprintf(stderr, "\\x%02x", c);
    else
        fputc(c, stderr);
}

void cli_puts_shown(const char *s, FILE *f)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        fputc(*p < 0x20 || *p == 0x7F ? ' ' : *p, f);
}

void cli_eputs(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        cli_eputc(*p);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    char msg[OT_ERR_MSG_MAX + 256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fprintf(stderr, "ontrack: %s%s", cmd ? cmd : "", cmd ? ": " : "");
    cli_eputs(msg); /* it may quote an argument */
    fprintf(stderr, "\nTry 'ontrack %s%s--help'.\n", cmd ? cmd : "", cmd ? " " : "");
    return 2;
}

int cli_fail(const ot_err *err)
{
    char buf[OT_ERR_MSG_MAX + OT_ERR_FILE_MAX + 64];
    ot_err_format(err, buf, sizeof buf);
    fputs("ontrack: ", stderr);
    cli_eputs(buf); /* a key or a path from the command line may hold anything */
    fputc('\n', stderr);
    return ot_err_exit_code(err->code);
}

const char *cli_db_path(const cli_global *g)
{
    if (g->db_path)
        return g->db_path;
    const char *env = getenv("ONTRACK_DB");
    return env && *env ? env : "ontrack.db";
}


int cli_parse_measure(const char *cmd, const char *s, ot_measure *out)
{
    if (ot_measure_parse(s, (size_t)-1, out) != 0)
        return cli_usage_error(cmd, "--measure: expected value, ytd, yoy or ytd_yoy, got '%s'", s);
    return 0;
}

int64_t cli_parse_run(const char *s)
{
    if (strcmp(s, "latest") == 0)
        return 0;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v <= 0 || errno)
        return -1;
    return v;
}

/* Finds opts' entry for "--name" or "--name=value"; *eq points at the value
 * after '=' or is NULL. */
static const cli_opt *find(const cli_opt *opts, const char *arg, const char **eq)
{
    const char *name = arg + 2;
    const char *e = strchr(name, '=');
    size_t len = e ? (size_t)(e - name) : strlen(name);
    *eq = e ? e + 1 : NULL;
    for (const cli_opt *o = opts; o && o->name; o++)
        if (strlen(o->name) == len && strncmp(o->name, name, len) == 0)
            return o;
    return NULL;
}

/* "unknown option '--yaer' (did you mean '--year'?)": the nearest of the
 * command's options (and --db, --help) to the name typed, within
 * ot_nearest_name's distance. */
static int unknown_option(const char *cmd, const char *a, const cli_opt *opts)
{
    const char *names[64];
    size_t n = 0;
    for (const cli_opt *o = opts; o && o->name && n + 3 < sizeof names / sizeof *names; o++)
        names[n++] = o->name;
    names[n++] = "db";
    names[n++] = "help";
    names[n] = NULL;
    char typed[128];
    snprintf(typed, sizeof typed, "%.*s", (int)strcspn(a + 2, "="), a + 2);
    const char *near = ot_nearest_name(typed, names);
    if (near)
        return cli_usage_error(cmd, "unknown option '%s' (did you mean '--%s'?)", a, near);
    return cli_usage_error(cmd, "unknown option '%s'", a);
}

int cli_parse(const char *cmd, int argc, char **argv, const cli_opt *opts, int stop_at_positional,
              cli_global *g, int *help, char **pos, int *npos)
{
    static const cli_opt common[] = {{"db", 1, NULL, NULL}, {"help", 0, NULL, NULL}, {NULL, 0, NULL, NULL}};
    int n = 0, only_pos = 0;
    *help = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (only_pos || a[0] != '-' || a[1] == '\0') {
            pos[n++] = argv[i];
            if (stop_at_positional)
                only_pos = 1;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_pos = 1;
            continue;
        }
        if (strcmp(a, "-h") == 0) {
            *help = 1;
            continue;
        }
        if (a[1] != '-')
            return cli_usage_error(cmd, "unknown option '%s'", a);
        const char *eq;
        const cli_opt *o = find(opts, a, &eq);
        const cli_opt *c = o ? NULL : find(common, a, &eq);
        if (!o && !c)
            return unknown_option(cmd, a, opts);
        int has_arg = o ? o->has_arg : c->has_arg;
        const char *val = NULL;
        if (has_arg) {
            if (eq)
                val = eq;
            else if (i + 1 < argc)
                val = argv[++i];
            else
                return cli_usage_error(cmd, "option '--%s' needs a value", o ? o->name : c->name);
        } else if (eq) {
            return cli_usage_error(cmd, "option '--%s' takes no value", o ? o->name : c->name);
        }
        if (o) {
            if (o->value)
                *o->value = val;
            if (o->flag)
                *o->flag = 1;
        } else if (strcmp(c->name, "db") == 0) {
            g->db_path = val;
        } else {
            *help = 1;
        }
    }
    *npos = n;
    return 0;
}

int cli_args(const char *cmd, const char *help_text, int argc, char **argv, const cli_opt *opts,
             int stop_at_positional, cli_global *g, int *npos)
{
    int help, rc = cli_parse(cmd, argc, argv, opts, stop_at_positional, g, &help, argv, npos);
    if (rc)
        return rc;
    if (help) {
        fputs(help_text, stdout);
        return 0;
    }
    return CLI_GO;
}

int cli_parse_asof(const char *cmd, const char *s, int32_t *days, ot_period *through)
{
    ot_period p;
    ot_err err;
    if (ot_run_asof_parse(s, &p, &err) != OT_OK) /* the one parser: run/run.h */
        return cli_usage_error(
            cmd, "--as-of: '%s' is neither a date (2023-10-20) nor a period (2023-09)", s);
    if (p.freq == OT_FREQ_D) {
        *days = p.ord;
        through->freq = OT_FREQ_NONE;
    } else {
        *days = OT_ASOF_LATEST;
        *through = p;
    }
    return 0;
}

int cli_open_store(const cli_global *g, int readonly, ot_store **out)
{
    ot_err err;
    ot_err_clear(&err);
    if (ot_store_open(cli_db_path(g), readonly ? OT_STORE_READONLY : OT_STORE_CREATE, out, &err) !=
        OT_OK)
        return cli_fail(&err);
    return 0;
}

int cli_parse_year(const char *cmd, const char *opt, const char *s, int *year)
{
    char *end;
    long y = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || y < 1900 || y > 2200)
        return cli_usage_error(cmd, "--%s: expected a year such as 2023, got '%s'", opt, s);
    *year = (int)y;
    return 0;
}

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
            return cli_usage_error(cmd, "--timeout: expected seconds, above 0 and at most "
                                   "31536000 (a year), got '%s'",
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

int cli_parse_count(const char *cmd, const char *opt, const char *s, unsigned long max,
                    unsigned long *out)
{
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    if (*s == '\0' || *s == '-' || *end != '\0' || v == 0 || v > max)
        return cli_usage_error(cmd, "--%s: expected a whole number from 1 to %lu, got '%s'",
                               opt, max, s);
    *out = v;
    return 0;
}

int cli_host_open(const cli_global *g, const char *cmd, const char *as_of, const char *timeout,
                  const char *memory, int commit_partial, ot_host **out)
{
    int32_t days;
    ot_period through;
    double secs;
    size_t bytes;
    int rc;
    if (as_of && (rc = cli_parse_asof(cmd, as_of, &days, &through)))
        return rc;
    if ((rc = cli_parse_limits(cmd, timeout, memory, &secs, &bytes)))
        return rc;
    ot_host_opts o = {cli_db_path(g), as_of, secs, bytes, 0, NULL, commit_partial, NULL};
    ot_err err;
    ot_err_clear(&err);
    if (ot_host_new(&o, out, &err) != OT_OK)
        return cli_fail(&err);
    return 0;
}

/* The watchdog's message, written by the signal handler (so made beforehand). */
static char watchdog_msg[256];
static size_t watchdog_len;
static volatile sig_atomic_t watchdog_fired, watchdog_hard;

/* First alarm: ask the engine to stop; second (hard watchdogs only): end. */
static void watchdog_fire(int sig)
{
    (void)sig;
    if (!watchdog_fired) {
        watchdog_fired = 1;
        ot_models_interrupt(OT_STOP_TIME);
        return;
    }
    if (!watchdog_hard)
        return;
    ssize_t w = write(STDERR_FILENO, watchdog_msg, watchdog_len);
    (void)w;
    _exit(1);
}

static struct timeval seconds(double s)
{
    struct timeval v;
    v.tv_sec = (time_t)s;
    v.tv_usec = (suseconds_t)((s - (double)v.tv_sec) * 1e6);
    return v;
}

static void arm_watchdog(double secs, int hard)
{
    struct itimerval t;
    memset(&t, 0, sizeof t);
    watchdog_fired = 0;
    watchdog_hard = hard;
    if (secs > 0) {
        int n = snprintf(watchdog_msg, sizeof watchdog_msg,
                         "ontrack: script stopped: time limit of %g s exceeded inside one engine "
                         "call, which did not stop when asked: the process ends here (what was "
                         "committed stays)\n",
                         secs);
        watchdog_len = n > 0 && (size_t)n < sizeof watchdog_msg ? (size_t)n : 0;
        signal(SIGALRM, watchdog_fire);
        t.it_value = seconds(secs);
        if (hard)
            t.it_interval = seconds(secs > 1 ? secs : 1);
    }
    setitimer(ITIMER_REAL, &t, NULL);
}

int cli_parse_intervals(const char *cmd, const char *s, int *out)
{
    if (strcmp(s, "model") == 0)
        *out = OT_PI_MODEL;
    else if (strcmp(s, "cv") == 0)
        *out = OT_PI_CV;
    else
        return cli_usage_error(cmd, "--intervals: expected 'model' or 'cv', got '%s'", s);
    return 0;
}

void cli_watchdog(double secs)
{
    arm_watchdog(secs, 1);
}

void cli_watchdog_soft(double secs)
{
    arm_watchdog(secs, 0);
}
