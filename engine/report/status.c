/* status.c — the projection status table and its JSON form. */
#include "report/status.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "report/table.h"

const char *ot_status_label(ot_proj_status s)
{
    static const char *const names[] = {"met",     "on track", "at risk",     "off track",
                                        "missed",  "no data",  "unquantified"};
    return (unsigned)s < sizeof names / sizeof *names ? names[s] : "?";
}

char *ot_fmt_metric(const ot_target *t, double x, char *buf, size_t cap)
{
    char num[48];
    if (isnan(x)) {
        snprintf(buf, cap, "%s", "");
    } else if (t->kind == OT_TARGET_GROWTH) {
        snprintf(buf, cap, "%.1f%%", x);
    } else if (t->kind == OT_TARGET_RELATIVE || t->kind == OT_TARGET_IN_STEP) {
        snprintf(buf, cap, "%+.1f pts", x);
    } else {
        int dec = fabs(x) >= 1000 ? 0 : fabs(x) >= 10 ? 1 : 2;
        snprintf(buf, cap, "%s", ot_fmt_num(x, dec, num, sizeof num));
    }
    return buf;
}

char *ot_fmt_test(const ot_target *t, char *buf, size_t cap)
{
    char num[48], tol[48];
    if (t->kind == OT_TARGET_UNQUANTIFIED || isnan(t->value)) {
        snprintf(buf, cap, "%s", "");
        return buf;
    }
    ot_fmt_num(t->value, 4, num, sizeof num);
    switch (t->kind) {
    case OT_TARGET_GROWTH:
        snprintf(buf, cap, "growth %s %s%%", ot_target_op_name(t->op), num);
        break;
    case OT_TARGET_RELATIVE:
        snprintf(buf, cap, "growth - %s %s %s", t->ref ? t->ref : "ref", ot_target_op_name(t->op),
                 num);
        break;
    case OT_TARGET_IN_STEP:
        snprintf(buf, cap, "|growth - %s| <= %s", t->ref ? t->ref : "ref",
                 ot_fmt_num(isnan(t->tolerance) ? t->value : t->tolerance, 4, tol, sizeof tol));
        break;
    case OT_TARGET_DAILY_AVG:
        snprintf(buf, cap, "per day %s %s", ot_target_op_name(t->op), num);
        break;
    case OT_TARGET_DECLINE:
        snprintf(buf, cap, "fall %s %s", ot_target_op_name(t->op), num);
        break;
    case OT_TARGET_COUNT:
        snprintf(buf, cap, "count %s %s", ot_target_op_name(t->op), num);
        break;
    default:
        snprintf(buf, cap, "total %s %s", ot_target_op_name(t->op), num);
        break;
    }
    return buf;
}

/* Whether a projection's note deserves a footnote: the status column says
 * "no data" and "unquantified" well enough. */
static int footnoted(const ot_projection *p)
{
    return p->notes[0] && p->status != OT_STATUS_NO_DATA && p->status != OT_STATUS_UNQUANTIFIED;
}

int ot_report_status(const ot_target *t, const ot_projection *p, size_t n, FILE *f, ot_err *err)
{
    int any_outcome = 0;
    for (size_t i = 0; i < n; i++)
        any_outcome |= p[i].has_outcome || !isnan(p[i].outcome);
    size_t ncols = any_outcome ? 11 : 10;
    ot_table *tab = ot_table_new(ncols, err);
    if (!tab)
        return OT_ENOMEM;
    static const char *const head[] = {"target", "test",     "through", "ytd",    "point", "80% range",
                                       "prob",   "required", "carry",   "status", "outcome"};
    int rc = ot_table_header(tab, head, err);
    for (size_t j = 3; j < 9; j++)
        ot_table_right(tab, j);
    ot_table_right(tab, 10);
    size_t nnotes = 0;
    for (size_t i = 0; i < n && rc == OT_OK; i++) {
        const ot_target *ti = &t[i];
        const ot_projection *pi = &p[i];
        char test[160], ytd[48] = "", point[48], lo[48], hi[48], range[112] = "", prob[16] = "",
             req[48] = "", carry[48], outc[48], status[48], lab[160];
        ot_fmt_test(ti, test, sizeof test);
        if (!isnan(pi->ytd_growth))
            snprintf(ytd, sizeof ytd, "%.1f%%", pi->ytd_growth);
        ot_fmt_metric(ti, pi->point, point, sizeof point);
        if (!isnan(pi->lo80) && !isnan(pi->hi80))
            snprintf(range, sizeof range, "%s .. %s", ot_fmt_metric(ti, pi->lo80, lo, sizeof lo),
                     ot_fmt_metric(ti, pi->hi80, hi, sizeof hi));
        if (!isnan(pi->prob))
            snprintf(prob, sizeof prob, "%.0f%%", 100 * pi->prob);
        if (!isnan(pi->required))
            snprintf(req, sizeof req, "%.1f%%", pi->required);
        ot_fmt_metric(ti, pi->carry, carry, sizeof carry);
        ot_fmt_metric(ti, pi->outcome, outc, sizeof outc);
        snprintf(status, sizeof status, "%s", ot_status_label(pi->status));
        if (footnoted(pi))
            snprintf(status + strlen(status), sizeof status - strlen(status), " [%zu]", ++nnotes);
        ot_fmt_clip(ti->label ? ti->label : ti->series ? ti->series : "", 36, lab, sizeof lab);
        const char *row[] = {lab, test, pi->latest, ytd, point, range, prob, req, carry, status, outc};
        rc = ot_table_row(tab, row, err);
    }
    if (rc == OT_OK && ot_table_print(tab, f) != OT_OK)
        rc = ot_err_set(err, OT_EIO, "cannot write the table");
    ot_table_free(tab);
    if (rc != OT_OK)
        return rc;
    if (nnotes)
        fputc('\n', f);
    for (size_t i = 0, k = 0; i < n; i++)
        if (footnoted(&p[i]))
            fprintf(f, "[%zu] %s (%s): %s; method %s\n", ++k, t[i].label ? t[i].label : t[i].series,
                    t[i].series, p[i].notes, p[i].method[0] ? p[i].method : "none");
    return OT_OK;
}

/* A JSON number, or null for NaN. */
static json_t *num_or_null(double x)
{
    return isnan(x) ? json_null() : json_real(x);
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

int ot_report_json(const ot_target *t, const ot_projection *p, size_t n, const char *as_of,
                   FILE *f, ot_err *err)
{
    json_t *root = json_object(), *arr = json_array();
    if (!root || !arr) {
        json_decref(root);
        json_decref(arr);
        return ot_err_set(err, OT_ENOMEM, "out of memory");
    }
    json_object_set_new(root, "as_of", str_or_null(as_of));
    json_object_set_new(root, "projections", arr);
    for (size_t i = 0; i < n; i++) {
        const ot_target *ti = &t[i];
        const ot_projection *pi = &p[i];
        json_t *o = json_object();
        json_t *tg = json_pack("{s:o, s:i, s:s, s:s, s:o, s:o, s:o, s:o}", "series",
                               str_or_null(ti->series), "year", ti->year, "kind",
                               ot_target_kind_name(ti->kind), "op", ot_target_op_name(ti->op),
                               "value", num_or_null(ti->value), "ref", str_or_null(ti->ref),
                               "tolerance", num_or_null(ti->tolerance), "label",
                               str_or_null(ti->label));
        if (!o || !tg) {
            json_decref(o);
            json_decref(tg);
            json_decref(root);
            return ot_err_set(err, OT_ENOMEM, "out of memory");
        }
        json_object_set_new(o, "target", tg);
        json_object_set_new(o, "status", json_string(ot_proj_status_name(pi->status)));
        json_object_set_new(o, "point", num_or_null(pi->point));
        json_object_set_new(o, "lower", json_pack("{s:o, s:o}", "80", num_or_null(pi->lo80), "95",
                                                  num_or_null(pi->lo95)));
        json_object_set_new(o, "upper", json_pack("{s:o, s:o}", "80", num_or_null(pi->hi80), "95",
                                                  num_or_null(pi->hi95)));
        json_object_set_new(o, "prob", num_or_null(pi->prob));
        json_object_set_new(o, "required", num_or_null(pi->required));
        json_object_set_new(o, "carry", num_or_null(pi->carry));
        json_object_set_new(o, "outcome", num_or_null(pi->outcome));
        json_object_set_new(o, "ytd_growth", num_or_null(pi->ytd_growth));
        json_object_set_new(o, "through", pi->latest[0] ? json_string(pi->latest) : json_null());
        json_object_set_new(o, "periods_left", json_integer(pi->periods_left));
        json_object_set_new(o, "paths", json_integer((json_int_t)pi->paths));
        json_object_set_new(o, "method", json_string(pi->method));
        json_object_set_new(o, "notes", json_string(pi->notes));
        json_array_append_new(arr, o);
    }
    int rc = json_dumpf(root, f, JSON_INDENT(2) | JSON_REAL_PRECISION(10)) == 0 ? OT_OK : OT_EIO;
    fputc('\n', f);
    json_decref(root);
    return rc == OT_OK ? OT_OK : ot_err_set(err, OT_EIO, "cannot write JSON");
}
