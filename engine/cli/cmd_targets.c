/* cmd_targets.c — `ontrack targets [--year Y]`: list the stored targets. */
#include "cli/cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "report/table.h"

static const char help[] =
    "usage: ontrack targets [--year Y]\n\n"
    "Lists the stored targets: id, year, series, kind, the test, the reference\n"
    "series and the label.  Unquantified targets are listed with kind\n"
    "'unquantified' and no test.\n";

int cmd_targets(cli_global *g, int argc, char **argv)
{
    const char *year_s = NULL;
    const cli_opt opts[] = {{"year", 1, &year_s, NULL}, {NULL, 0, NULL, NULL}};
    char **pos = argv;
    int npos, rc, year = 0;
    if ((rc = cli_args("targets", help, argc, argv, opts, 0, g, &npos)) != CLI_GO)
        return rc;
    if (npos > 0)
        return cli_usage_error("targets", "unexpected argument '%s'", pos[0]);
    if (year_s && (rc = cli_parse_year("targets", "year", year_s, &year)))
        return rc;
    ot_store *st;
    if ((rc = cli_open_store(g, 1, &st)))
        return rc;
    ot_err err;
    ot_err_clear(&err);
    ot_target *t = NULL;
    int64_t *ids = NULL;
    size_t n = 0;
    ot_table *tab = NULL;
    if ((rc = ot_store_targets(st, year, &t, &ids, &n, &err)) != OT_OK)
        goto done;
    if (n == 0) {
        if (year)
            fprintf(stderr, "ontrack: no targets for %d (ontrack import --format targets FILE adds "
                            "them)\n", year);
        else
            fprintf(stderr, "ontrack: no targets (ontrack import --format targets FILE adds them)\n");
        goto done;
    }
    if (!(tab = ot_table_new(7, &err))) {
        rc = err.code;
        goto done;
    }
    static const char *const head[] = {"id", "year", "series", "kind", "test", "ref", "label"};
    ot_table_header(tab, head, &err);
    ot_table_right(tab, 0);
    for (size_t i = 0; i < n && rc == OT_OK; i++) {
        char id[24], yr[16], test[64] = "", num[48];
        snprintf(id, sizeof id, "%lld", (long long)ids[i]);
        snprintf(yr, sizeof yr, "%d", t[i].year);
        if (t[i].kind != OT_TARGET_UNQUANTIFIED && !isnan(t[i].value)) {
            /* in the kind's unit: growth in %, margins in points, levels as numbers */
            const ot_target_kind_desc *d = ot_target_kind_desc_of(t[i].kind);
            const char *u = d && d->unit == OT_UNIT_PCT   ? "%"
                            : d && d->unit == OT_UNIT_PTS ? " pts"
                                                          : "";
            if (!isnan(t[i].tolerance) && u[0] == ' ')
                u = ""; /* "= 0 ±1 pts": the tolerance names the unit */
            snprintf(test, sizeof test, "%s %s%s", ot_target_op_name(t[i].op),
                     ot_fmt_double(t[i].value, num, sizeof num), u);
            if (!isnan(t[i].tolerance))
                snprintf(test + strlen(test), sizeof test - strlen(test), " ±%s%s",
                         ot_fmt_double(t[i].tolerance, num, sizeof num),
                         d && (d->unit == OT_UNIT_PCT || d->unit == OT_UNIT_PTS) ? " pts" : "");
            if (d && d->unit == OT_UNIT_LEVEL && t[i].unit && *t[i].unit) /* 500 亿元 */
                snprintf(test + strlen(test), sizeof test - strlen(test), " %s", t[i].unit);
        }
        const char *row[] = {id, yr, t[i].series, ot_target_kind_name(t[i].kind), test, t[i].ref,
                             t[i].label};
        rc = ot_table_row(tab, row, &err);
    }
    if (rc == OT_OK)
        ot_table_print(tab, stdout);
done:
    ot_table_free(tab);
    ot_store_targets_free(t, n);
    free(ids);
    ot_store_close(st);
    return rc == OT_OK ? 0 : cli_fail(&err);
}
