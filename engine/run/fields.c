/* fields.c — the table of ot_projection's fields and its JSON form. */
#include "run/fields.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "project/kinds.h"
#include "report/json.h"

#define F(m, t) {#m, t, offsetof(ot_projection, m), sizeof(((ot_projection *)0)->m)}

/* One line per field of ot_projection (project/projection.h). */
const run_field run_fields[] = {
    F(status, RUN_F_STATUS),
    F(point, RUN_F_DOUBLE),
    F(lo80, RUN_F_DOUBLE),
    F(hi80, RUN_F_DOUBLE),
    F(lo95, RUN_F_DOUBLE),
    F(hi95, RUN_F_DOUBLE),
    F(prob, RUN_F_DOUBLE),
    F(required, RUN_F_DOUBLE),
    F(carry, RUN_F_DOUBLE),
    F(outcome, RUN_F_DOUBLE),
    F(ytd_growth, RUN_F_DOUBLE),
    F(share, RUN_F_DOUBLE),
    F(has_outcome, RUN_F_INT),
    F(periods_done, RUN_F_INT),
    F(periods_left, RUN_F_INT),
    F(paths, RUN_F_SIZE),
    F(latest, RUN_F_TEXT),
    /* saved as "method_fact" and "facts": the text fields "method" and
     * "notes" of runs saved before facts are not read back */
    {"method_fact", RUN_F_FACT, offsetof(ot_projection, method), sizeof(ot_proj_fact)},
    {"facts", RUN_F_FACTS, offsetof(ot_projection, notes), sizeof(ot_proj_facts)},
};
const size_t run_nfields = sizeof run_fields / sizeof *run_fields;

char *run_proj_to_json(const ot_projection *p, ot_err *err)
{
    json_t *o = json_object();
    int bad = !o;
    for (size_t i = 0; i < run_nfields && !bad; i++) {
        const run_field *f = &run_fields[i];
        const char *at = (const char *)p + f->off;
        json_t *v = NULL;
        switch (f->type) {
        case RUN_F_DOUBLE: {
            double x;
            memcpy(&x, at, sizeof x);
            v = isfinite(x) ? json_real(x) : json_null();
            break;
        }
        case RUN_F_INT: {
            int x;
            memcpy(&x, at, sizeof x);
            v = json_integer(x);
            break;
        }
        case RUN_F_SIZE: {
            size_t x;
            memcpy(&x, at, sizeof x);
            v = json_integer((json_int_t)x);
            break;
        }
        case RUN_F_TEXT:
            v = json_stringn(at, strnlen(at, f->size));
            break;
        case RUN_F_STATUS: {
            ot_proj_status s;
            memcpy(&s, at, sizeof s);
            v = json_string(ot_proj_status_name(s));
            break;
        }
        case RUN_F_FACT:
            v = ot_report_fact_json((const ot_proj_fact *)(const void *)at);
            break;
        case RUN_F_FACTS: {
            const ot_proj_facts *fs = (const void *)at;
            v = json_array();
            for (int k = 0; v && k < fs->n; k++) {
                json_t *x = ot_report_fact_json(&fs->f[k]);
                if (!x || json_array_append_new(v, x)) {
                    json_decref(v);
                    v = NULL;
                }
            }
            break;
        }
        }
        bad = !v || json_object_set_new(o, f->name, v) != 0;
    }
    char *text = bad ? NULL : json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER |
                                                JSON_REAL_PRECISION(17));
    json_decref(o);
    if (!text)
        ot_err_set(err, OT_ENOMEM, "out of memory saving a projection");
    return text;
}

int run_proj_from_json(const char *text, ot_projection *p, ot_err *err)
{
    json_error_t je;
    json_t *o = json_loads(text, 0, &je);
    if (!o || !json_is_object(o)) {
        json_decref(o);
        return ot_err_set(err, OT_EDATA, "stored projection: not a JSON object (%s)", je.text);
    }
    ot_projection q;
    ot_projection_init(&q);
    int rc = OT_OK;
    for (size_t i = 0; i < run_nfields && rc == OT_OK; i++) {
        const run_field *f = &run_fields[i];
        char *at = (char *)&q + f->off;
        json_t *v = json_object_get(o, f->name);
        if (!v)
            continue; /* saved before the field existed */
        switch (f->type) {
        case RUN_F_DOUBLE: {
            double x = json_is_null(v) ? NAN : json_number_value(v);
            if (!json_is_null(v) && !json_is_number(v))
                rc = OT_EDATA;
            memcpy(at, &x, sizeof x);
            break;
        }
        case RUN_F_INT: {
            int x = (int)json_integer_value(v);
            if (!json_is_integer(v))
                rc = OT_EDATA;
            memcpy(at, &x, sizeof x);
            break;
        }
        case RUN_F_SIZE: {
            size_t x = (size_t)json_integer_value(v);
            if (!json_is_integer(v) || json_integer_value(v) < 0)
                rc = OT_EDATA;
            memcpy(at, &x, sizeof x);
            break;
        }
        case RUN_F_TEXT: {
            const char *s = json_string_value(v);
            if (!s || strlen(s) >= f->size)
                rc = OT_EDATA;
            else
                memcpy(at, s, strlen(s) + 1);
            break;
        }
        case RUN_F_STATUS: {
            ot_proj_status s;
            if (ot_proj_status_parse(json_string_value(v), &s) != 0)
                rc = OT_EDATA;
            else
                memcpy(at, &s, sizeof s);
            break;
        }
        case RUN_F_FACT:
            if (ot_report_fact_from_json(v, (ot_proj_fact *)(void *)at) != 0)
                rc = OT_EDATA;
            break;
        case RUN_F_FACTS: {
            ot_proj_facts *fs = (void *)at;
            size_t m = json_array_size(v);
            if (!json_is_array(v) || m > OT_PROJ_FACTS_MAX)
                rc = OT_EDATA;
            for (size_t k = 0; rc == OT_OK && k < m; k++)
                if (ot_report_fact_from_json(json_array_get(v, k), &fs->f[k]) != 0)
                    rc = OT_EDATA;
            if (rc == OT_OK)
                fs->n = (int)m;
            break;
        }
        }
        if (rc)
            ot_err_set(err, rc, "stored projection: bad field '%s'", f->name);
    }
    json_decref(o);
    if (rc == OT_OK)
        *p = q;
    return rc;
}
