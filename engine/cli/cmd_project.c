/* cmd_project.c — `ontrack project`: project every stored target of a year
 * (run/ projects, report/ prints). */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>

#include "project/projection.h"
#include "report/report.h"
#include "run/run.h"

static const char help[] =
    "usage: ontrack project [--year Y] [--as-of DATE|PERIOD] [--paths N] [--seed S]\n"
    "                       [--method M] [--intervals model|cv] [--exclude-years Y1-Y2]\n"
    "                       [--shape-years Y1-Y2] [--json] [--lang en|zh]\n\n"
    "Projects every stored target (of year Y) from the data known at --as-of:\n"
    "point, 80% range, probability of meeting the target, the pace the rest of the\n"
    "year needs, the carry-forward figure and a status.  --as-of DATE uses the data\n"
    "vintages known that day; --as-of PERIOD uses the data through that period.\n"
    "--paths (default 10000) sample paths, seeded by --seed (default 1): the same\n"
    "seed and data give the same figures.  --method (default auto) is the model for\n"
    "series with enough history; --intervals cv widens its paths by its own errors\n"
    "at past origins (default model: its own spread; docs/methods-projection.md).\n"
    "--exclude-years (default 2020-2022, or none) leaves those target years out of\n"
    "every series' record; --shape-years limits the years of a shape reference's\n"
    "record a local series borrows its range from (default all; a target's own\n"
    "shape_years wins).\n"
    "--json prints JSON (docs/formats.md).  The table names the indicators by their\n"
    "series' names; --lang zh prints it in Chinese (default en).\n";


int cmd_project(cli_global *g, int argc, char **argv)
{
    const char *year_s = NULL, *as_of = NULL, *paths_s = NULL, *seed_s = NULL, *method = NULL,
               *intervals = NULL, *excl_s = NULL, *shape_s = NULL, *lang_s = NULL;
    int json = 0;
    const cli_opt opts[] = {{"year", 1, &year_s, NULL},   {"as-of", 1, &as_of, NULL},
                            {"paths", 1, &paths_s, NULL}, {"seed", 1, &seed_s, NULL},
                            {"method", 1, &method, NULL}, {"intervals", 1, &intervals, NULL},
                            {"exclude-years", 1, &excl_s, NULL},
                            {"shape-years", 1, &shape_s, NULL},
                            {"json", 0, NULL, &json},     {"lang", 1, &lang_s, NULL},
                            {NULL, 0, NULL, NULL}};
    char **pos = argv;
    int npos, rc, year = 0;
    if ((rc = cli_args("project", help, argc, argv, opts, 0, g, &npos)) != CLI_GO)
        return rc;
    if (npos > 0)
        return cli_usage_error("project", "unexpected argument '%s'", pos[0]);
    ot_report_lang lang = OT_LANG_EN;
    if (lang_s && ot_report_lang_parse(lang_s, &lang) != 0)
        return cli_usage_error("project", "--lang: expected zh or en, got '%s'", lang_s);
    ot_proj_opts po;
    ot_proj_opts_init(&po);
    unsigned long v;
    if (year_s && (rc = cli_parse_year("project", "year", year_s, &year)))
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
    if (po.intervals == OT_PI_CV && !ot_proj_method_takes_cv(method))
        return cli_usage_error("project", "--intervals cv: not available with method %s",
                               ot_proj_method_resolve(method));
    ot_err yerr;
    if (excl_s && ot_years_parse(excl_s, po.exclude_years, &yerr) != OT_OK)
        return cli_usage_error("project", "--exclude-years: %s", yerr.msg);
    if (shape_s && ot_years_parse(shape_s, po.shape_years, &yerr) != OT_OK)
        return cli_usage_error("project", "--shape-years: %s", yerr.msg);
    int32_t days = OT_ASOF_LATEST;
    ot_period through = {OT_FREQ_NONE, 0, 1};
    if (as_of && (rc = cli_parse_asof("project", as_of, &days, &through)))
        return rc;
    ot_run_asof a;
    ot_run_asof_set(&a, days, through);

    ot_store *st;
    if ((rc = cli_open_store(g, 1, &st)))
        return rc;
    ot_err err;
    ot_err_clear(&err);
    ot_run_set set = {0};
    ot_run_doc d = {0};
    if ((rc = ot_run_targets(st, year, NULL, &set, &err)) != OT_OK)
        goto done;
    if (set.n == 0) {
        rc = year ? ot_err_set(&err, OT_ENOTFOUND,
                               "no targets for %d (ontrack import --format targets FILE adds them)",
                               year)
                  : ot_err_set(&err, OT_ENOTFOUND,
                               "no targets (ontrack import --format targets FILE adds them)");
        goto done;
    }
    if ((rc = ot_run_project(st, &set, &a, &po, 0, NULL, NULL, &err)) != OT_OK ||
        (rc = ot_run_doc_table(&d, &set, st, &a, lang, &err)) != OT_OK) /* JSON too: its
                                                          vintage is read from st */
        goto done;
    rc = ot_report_write(&d.doc, json ? OT_REPORT_JSON : OT_REPORT_TXT, stdout, &err);
done:
    ot_run_doc_free(&d);
    ot_run_set_free(&set);
    ot_store_close(st);
    return rc == OT_OK ? 0 : cli_fail(&err);
}
