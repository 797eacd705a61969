/* json.c — the projection JSON (docs/formats.md) of arrays and documents. */
#include "report/json.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "project/kinds.h"
#include "report/facts.h"
#include "report/words.h"

/* A JSON number, or null for NaN and ±inf (JSON has no such numbers, and
 * json_real refuses them: the member would be left out). */
static json_t *num_or_null(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

/* The JSON of doc's items. */
static int doc_json(const ot_report_doc *doc, FILE *f, ot_err *err)
{
    size_t n = doc->n;
    const char *as_of = doc->as_of;
    json_t *root = json_object(), *arr = json_array();
    if (!root || !arr) {
        json_decref(root);
        json_decref(arr);
        return ot_err_set(err, OT_ENOMEM, "out of memory");
    }
    json_object_set_new(root, "as_of", str_or_null(as_of));
    /* what was read: the data as known on a date, the newest release among them */
    json_object_set_new(root, "known_on", str_or_null(doc->known_on));
    json_object_set_new(root, "vintage", str_or_null(doc->vintage));
    json_object_set_new(root, "projections", arr);
    for (size_t i = 0; i < n; i++) {
        const ot_target *ti = doc->items[i].target;
        const ot_projection *pi = doc->items[i].proj;
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
        /* the newest release read of this target's series and ref */
        json_object_set_new(o, "vintage", str_or_null(doc->items[i].vintage));
        json_object_set_new(o, "periods_left", json_integer(pi->periods_left));
        json_object_set_new(o, "paths", json_integer((json_int_t)pi->paths));
        char method[512], notes[4096];
        /* a data format: method and notes in English words with series
         * keys, as they always were, and as facts (codes and values) */
        json_object_set_new(o, "method", json_string(ot_report_fact(&pi->method, NULL, OT_LANG_EN,
                                                                    NULL, 0, method, sizeof method)));
        json_object_set_new(o, "notes", json_string(ot_report_facts(&pi->notes, ti->ref, OT_LANG_EN,
                                                                    NULL, 0, notes, sizeof notes)));
        /* the same as machine-readable facts: code and values */
        json_object_set_new(o, "method_fact", ot_report_fact_json(&pi->method));
        json_t *fa = json_array();
        for (int k = 0; fa && k < pi->notes.n; k++)
            json_array_append_new(fa, ot_report_fact_json(&pi->notes.f[k]));
        json_object_set_new(o, "facts", fa);
        json_array_append_new(arr, o);
    }
    int rc = json_dumpf(root, f, JSON_INDENT(2) | JSON_REAL_PRECISION(10)) == 0 ? OT_OK : OT_EIO;
    fputc('\n', f);
    json_decref(root);
    return rc == OT_OK ? OT_OK : ot_err_set(err, OT_EIO, "cannot write JSON");
}

int ot_report_json(const ot_target *t, const ot_projection *p, size_t n, const char *as_of,
                   FILE *f, ot_err *err)
{
    ot_report_item *items = calloc(n ? n : 1, sizeof *items);
    if (!items)
        return ot_err_set(err, OT_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        items[i].target = &t[i];
        items[i].proj = &p[i];
    }
    ot_report_doc doc;
    ot_report_doc_init(&doc);
    doc.lang = OT_LANG_EN;
    doc.as_of = as_of;
    doc.items = items;
    doc.n = n;
    int rc = doc_json(&doc, f, err);
    free(items);
    return rc;
}

int ot_report_doc_json(const ot_report_doc *doc, FILE *f, ot_err *err)
{
    int rc = report_check_doc(doc, err);
    return rc != OT_OK ? rc : doc_json(doc, f, err);
}

json_t *ot_report_fact_json(const ot_proj_fact *f)
{
    json_t *o = json_object(), *y = json_array(), *v = json_array(), *k = json_array();
    if (!o || !y || !v || !k) {
        json_decref(o), json_decref(y), json_decref(v), json_decref(k);
        return NULL;
    }
    const char *name = ot_fact_name(f->code);
    json_object_set_new(o, "code", name ? json_string(name) : json_null());
    if (f->of_ref)
        json_object_set_new(o, "of_ref", json_true());
    for (int i = 0; i < OT_FACT_NY; i++)
        json_array_append_new(y, json_integer(f->y[i]));
    for (int i = 0; i < OT_FACT_NV; i++)
        json_array_append_new(v, num_or_null(f->v[i]));
    for (int i = 0; i < 2; i++)
        json_array_append_new(k, json_stringn(f->key[i], strnlen(f->key[i], OT_FACT_KEY_MAX)));
    json_object_set_new(o, "y", y);
    json_object_set_new(o, "v", v);
    json_object_set_new(o, "keys", k);
    return o;
}

int ot_report_fact_from_json(const json_t *o, ot_proj_fact *out)
{
    ot_proj_fact f;
    ot_fact_set(&f, 0, "");
    if (!json_is_object(o))
        return -1;
    const json_t *c = json_object_get(o, "code");
    f.code = json_is_null(c) ? 0 : ot_fact_code(json_string_value(c));
    if (!json_is_null(c) && !f.code)
        return -1;
    f.of_ref = json_is_true(json_object_get(o, "of_ref"));
    const json_t *y = json_object_get(o, "y"), *v = json_object_get(o, "v"),
                 *k = json_object_get(o, "keys");
    /* fewer values than slots (a fact saved when there were fewer) leave
     * the rest 0 and NaN; more than there are slots is not a fact */
    if (!json_is_array(y) || !json_is_array(v) || json_array_size(y) > OT_FACT_NY ||
        json_array_size(v) > OT_FACT_NV || json_array_size(k) != 2)
        return -1;
    for (size_t i = 0; i < json_array_size(y); i++)
        f.y[i] = (int)json_integer_value(json_array_get(y, i));
    for (size_t i = 0; i < json_array_size(v); i++) {
        const json_t *x = json_array_get(v, i);
        f.v[i] = json_is_number(x) ? json_number_value(x) : NAN;
    }
    for (size_t i = 0; i < 2; i++) {
        const char *s = json_string_value(json_array_get(k, i));
        if (!s || strlen(s) >= OT_FACT_KEY_MAX)
            return -1;
        memcpy(f.key[i], s, strlen(s) + 1);
    }
    *out = f;
    return 0;
}
