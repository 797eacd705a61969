/* compare.c — scenario comparisons of a run, to and from JSON. */
#include "run/compare.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "run/fields.h"

/* What one loaded comparison owns. */
struct run_cmp {
    ot_target *t;
    size_t n;
    char **names;
    size_t ncol;
    ot_projection *p;
};

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

int ot_run_compare_save(ot_store *st, int64_t run_id, const ot_report_compare *c, ot_err *err)
{
    json_t *o = json_object(), *names = json_array(), *targets = json_array(),
           *cols = json_array();
    int bad = !o || !names || !targets || !cols;
    for (size_t j = 0; j < c->ncol && !bad; j++)
        bad = json_array_append_new(names, json_string(c->names[j])) != 0;
    for (size_t i = 0; i < c->n && !bad; i++) {
        const ot_target *t = &c->targets[i];
        json_t *tj = json_pack("{s:o, s:o, s:s, s:s, s:o, s:o, s:i}", "label", str_or_null(t->label),
                               "series", str_or_null(t->series), "kind",
                               ot_target_kind_name(t->kind), "op", ot_target_op_name(t->op),
                               "value", isnan(t->value) ? json_null() : json_real(t->value),
                               "ref", str_or_null(t->ref), "year", t->year);
        bad = !tj || json_array_append_new(targets, tj) != 0;
    }
    for (size_t j = 0; j < c->ncol && !bad; j++) {
        json_t *col = json_array();
        bad = !col || json_array_append_new(cols, col) != 0;
        for (size_t i = 0; i < c->n && !bad; i++) {
            char *pj = run_proj_to_json(&c->p[j * c->n + i], err);
            json_t *v = pj ? json_loads(pj, 0, NULL) : NULL;
            free(pj);
            bad = !v || json_array_append_new(col, v) != 0;
        }
    }
    char *text = NULL;
    if (!bad) {
        json_object_set(o, "scenarios", names);
        json_object_set(o, "targets", targets);
        json_object_set(o, "projections", cols);
        text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
    }
    json_decref(names);
    json_decref(targets);
    json_decref(cols);
    json_decref(o);
    if (!text)
        return ot_err_set(err, OT_ENOMEM, "out of memory saving a comparison");
    int rc = ot_store_put_compare(st, run_id, text, err);
    free(text);
    return rc;
}

static void cmp_free(struct run_cmp *m)
{
    for (size_t i = 0; m->t && i < m->n; i++)
        ot_target_clear(&m->t[i]);
    free(m->t);
    for (size_t j = 0; m->names && j < m->ncol; j++)
        free(m->names[j]);
    free(m->names);
    free(m->p);
}

void ot_run_compares_free(ot_run_compares *c)
{
    if (!c)
        return;
    for (size_t k = 0; c->own && k < c->n; k++)
        cmp_free(&c->own[k]);
    free(c->own);
    free(c->c);
    memset(c, 0, sizeof *c);
}

/* Reads one comparison's JSON into m (zeroed by the caller). */
static int cmp_read(const char *text, struct run_cmp *m, ot_err *err)
{
    json_t *o = json_loads(text, 0, NULL);
    json_t *names = json_object_get(o, "scenarios"), *targets = json_object_get(o, "targets"),
           *cols = json_object_get(o, "projections");
    int rc = OT_OK;
    if (!json_is_array(names) || !json_is_array(targets) || !json_is_array(cols) ||
        json_array_size(cols) != json_array_size(names)) {
        rc = ot_err_set(err, OT_EDATA, "stored comparison: not the JSON of a comparison");
        goto done;
    }
    m->ncol = json_array_size(names);
    m->n = json_array_size(targets);
    m->names = calloc(m->ncol ? m->ncol : 1, sizeof *m->names);
    m->t = calloc(m->n ? m->n : 1, sizeof *m->t);
    size_t np = m->n * m->ncol;
    m->p = calloc(np ? np : 1, sizeof *m->p);
    if (!m->names || !m->t || !m->p) {
        rc = ot_err_set(err, OT_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t j = 0; j < m->ncol && rc == OT_OK; j++) {
        const char *s = json_string_value(json_array_get(names, j));
        if (!(m->names[j] = strdup(s ? s : "?")))
            rc = ot_err_set(err, OT_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < m->n && rc == OT_OK; i++) {
        json_t *tj = json_array_get(targets, i);
        ot_target *t = &m->t[i];
        ot_target_init(t);
        t->year = (int)json_integer_value(json_object_get(tj, "year"));
        json_t *v = json_object_get(tj, "value");
        t->value = json_is_number(v) ? json_number_value(v) : NAN;
        const char *k = json_string_value(json_object_get(tj, "kind"));
        const char *op = json_string_value(json_object_get(tj, "op"));
        if (!k || ot_target_kind_parse(k, &t->kind) != 0 || !op ||
            ot_target_op_parse(op, &t->op) != 0)
            rc = ot_err_set(err, OT_EDATA, "stored comparison: target %zu: bad kind or op", i + 1);
        else if (ot_target_set_str(&t->label, json_string_value(json_object_get(tj, "label")), err) ||
                 ot_target_set_str(&t->series, json_string_value(json_object_get(tj, "series")), err) ||
                 ot_target_set_str(&t->ref, json_string_value(json_object_get(tj, "ref")), err))
            rc = OT_ENOMEM;
    }
    for (size_t j = 0; j < m->ncol && rc == OT_OK; j++) {
        json_t *col = json_array_get(cols, j);
        for (size_t i = 0; i < m->n && rc == OT_OK; i++) {
            char *pj = json_dumps(json_array_get(col, i), JSON_REAL_PRECISION(17));
            rc = pj ? run_proj_from_json(pj, &m->p[j * m->n + i], err)
                    : ot_err_set(err, OT_EDATA, "stored comparison: a projection is missing");
            free(pj);
        }
    }
done:
    json_decref(o);
    return rc;
}

int ot_run_compares_load(ot_store *st, int64_t run_id, ot_run_compares *out, ot_err *err)
{
    char **texts = NULL;
    size_t n = 0;
    ot_run_compares c = {0};
    int rc = ot_store_compares(st, run_id, &texts, &n, err);
    if (rc)
        return rc;
    c.c = calloc(n ? n : 1, sizeof *c.c);
    c.own = calloc(n ? n : 1, sizeof *c.own);
    if (!c.c || !c.own) {
        free(c.c);
        free(c.own);
        ot_store_compares_free(texts, n);
        return ot_err_set(err, OT_ENOMEM, "out of memory");
    }
    for (size_t k = 0; k < n && rc == OT_OK; k++) {
        c.n = k + 1;
        if ((rc = cmp_read(texts[k], &c.own[k], err)) == OT_OK)
            c.c[k] = (ot_report_compare){c.own[k].t, c.own[k].n,
                                         (const char *const *)c.own[k].names, c.own[k].ncol,
                                         c.own[k].p};
    }
    ot_store_compares_free(texts, n);
    if (rc) {
        ot_run_compares_free(&c);
        return rc;
    }
    *out = c;
    return OT_OK;
}
