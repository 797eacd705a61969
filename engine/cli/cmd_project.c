/* cmd_project.c — `ontrack project`: project every stored target of a year. */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>

#include "project/projection.h"
#include "report/status.h"
#include "store/view.h"

static const char help[] =
    "usage: ontrack project [--year Y] [--as-of DATE|PERIOD] [--paths N] [--seed S]\n"
    "                       [--method M] [--intervals model|cv] [--json]\n\n"
    "Projects every stored target (of year Y) from the data known at --as-of:\n"
    "point, 80% range, probability of meeting the target, the pace the rest of the\n"
    "year needs, the carry-forward figure and a status.  --as-of DATE uses the data\n"
    "vintages known that day; --as-of PERIOD uses the data through that period.\n"
    "--paths (default 10000) sample paths, seeded by --seed (default 1): the same\n"
    "seed and data give the same figures.  --method (default auto) is the model for\n"
    "series with enough history; --intervals cv widens its paths by its own errors\n"
    "at past origins (default model: its own spread; docs/methods-projection.md).\n"
    "--json prints JSON (docs/formats.md).\n";


int cmd_project(cli_global *g, int argc, char **argv)
{
    const char *year_s = NULL, *as_of = NULL, *paths_s = NULL, *seed_s = NULL, *method = NULL,
               *intervals = NULL;
    int json = 0;
    const cli_opt opts[] = {{"year", 1, &year_s, NULL},   {"as-of", 1, &as_of, NULL},
                            {"paths", 1, &paths_s, NULL}, {"seed", 1, &seed_s, NULL},
                            {"method", 1, &method, NULL}, {"intervals", 1, &intervals, NULL},
                            {"json", 0, NULL, &json},     {NULL, 0, NULL, NULL}};
    char **pos = argv;
    int npos, rc, year = 0;
    if ((rc = cli_args("project", help, argc, argv, opts, 0, g, &npos)) != CLI_GO)
        return rc;
    if (npos > 0)
        return cli_usage_error("project", "unexpected argument '%s'", pos[0]);
    ot_proj_opts po;
    ot_proj_opts_init(&po);
    unsigned long v;
    if (year_s && (rc = cli_parse_year("project", year_s, &year)))
        return rc;
    if (paths_s) {
        if ((rc = cli_parse_count("project", "paths", paths_s, 10000000UL, &v)))
            return rc;
        po.paths = v;
    }
    if (seed_s) {
        if ((rc = cli_parse_count("project", "seed", seed_s, 0xffffffffUL, &v)))
            return rc;
        po.seed = v;
    }
    if (method && !ot_proj_method_resolve(method))
        return cli_usage_error("project", "--method: unknown method '%s'", method);
    po.method = method;
    if (intervals && (rc = cli_parse_intervals("project", intervals, &po.intervals)))
        return rc;
    if (po.intervals == OT_PI_CV &&
        strcmp(ot_proj_method_resolve(method), OT_PROJ_METHOD_FALLBACK) == 0)
        return cli_usage_error("project", "--intervals cv: not available with method %s",
                               OT_PROJ_METHOD_FALLBACK);
    int32_t days = OT_ASOF_LATEST;
    ot_period through = {OT_FREQ_NONE, 0, 1};
    char through_s[OT_PERIOD_STRMAX];
    if (as_of && (rc = cli_parse_asof("project", as_of, &days, &through)))
        return rc;
    if (through.freq != OT_FREQ_NONE) {
        ot_period_format(through, through_s, sizeof through_s);
        po.as_of_period = through_s;
    }

    ot_store *st;
    if ((rc = cli_open_store(g, 1, &st)))
        return rc;
    ot_err err;
    ot_err_clear(&err);
    ot_target *t = NULL;
    int64_t *ids = NULL;
    size_t n = 0;
    ot_projection *p = NULL;
    ot_store_view view;
    ot_store_view_init(&view, st, days, NULL);
    po.shape = ot_store_view_shape;
    if ((rc = ot_store_targets(st, year, &t, &ids, &n, &err)) != OT_OK)
        goto done;
    if (n == 0) {
        rc = ot_err_set(&err, OT_ENOTFOUND, "no targets%s (ontrack import --format targets FILE adds them)",
                        year ? " for that year" : "");
        goto done;
    }
    if (!(p = calloc(n, sizeof *p))) {
        rc = ot_err_set(&err, OT_ENOMEM, "out of memory");
        goto done;
    }
    if ((rc = ot_project_many(t, n, ot_store_view_read, &view, &po, p, &err)) != OT_OK)
        goto done;
    if (json)
        rc = ot_report_json(t, p, n, as_of, stdout, &err);
    else
        rc = ot_report_status(t, p, n, stdout, &err);
done:
    free(p);
    ot_store_view_destroy(&view);
    ot_store_targets_free(t, n);
    free(ids);
    ot_store_close(st);
    return rc == OT_OK ? 0 : cli_fail(&err);
}
