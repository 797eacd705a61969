/* json.c — the projection JSON (docs/formats.md) of arrays and documents. */
#include "report/json.h"

#include <math.h>
#include <stdlib.h>

#include <jansson.h>

#include "project/kinds.h"
#include "report/words.h"

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

/* The JSON form of a document is the one above, fed with copies of the item structs (the
 * targets are copied shallowly: ot_report_json only reads them). */
int ot_report_doc_json(const ot_report_doc *doc, FILE *f, ot_err *err)
{
    int rc = report_check_doc(doc, err);
    if (rc != OT_OK)
        return rc;
    size_t n = doc->n;
    ot_target *t = malloc((n ? n : 1) * sizeof *t);
    ot_projection *p = malloc((n ? n : 1) * sizeof *p);
    if (!t || !p) {
        free(t);
        free(p);
        return ot_err_set(err, OT_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        t[i] = *doc->items[i].target;
        p[i] = *doc->items[i].proj;
    }
    rc = ot_report_json(t, p, n, doc->as_of, f, err);
    free(p);
    free(t);
    return rc;
}

