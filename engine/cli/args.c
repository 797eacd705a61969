/* args.c — option parsing shared by the subcommands, and error printing. */
#include "cli/cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "ontrack: %s%s", cmd ? cmd : "", cmd ? ": " : "");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'ontrack %s%s--help'.\n", cmd ? cmd : "", cmd ? " " : "");
    return 2;
}

int cli_fail(const ot_err *err)
{
    char buf[OT_ERR_MSG_MAX + OT_ERR_FILE_MAX + 64];
    ot_err_format(err, buf, sizeof buf);
    fprintf(stderr, "ontrack: %s\n", buf);
    return ot_err_exit_code(err->code);
}

const char *cli_db_path(const cli_global *g)
{
    if (g->db_path)
        return g->db_path;
    const char *env = getenv("ONTRACK_DB");
    return env && *env ? env : "ontrack.db";
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
            return cli_usage_error(cmd, "unknown option '%s'", a);
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

int cli_parse_asof(const char *cmd, const char *s, int32_t *days, ot_period *through)
{
    ot_period p;
    ot_err err;
    if (ot_period_parse(s, (size_t)-1, &p, &err) != OT_OK)
        return cli_usage_error(cmd, "--as-of: '%s' is neither a date (2023-10-20) nor a period (2023-09)",
                               s);
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
