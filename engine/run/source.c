/* source.c — given series overlaid on a store view, as the projection's
 * data callbacks. */
#include "run/source.h"

#include <string.h>

/* The given series of key (any measure), or NULL. */
static const ot_run_given *given_key(const ot_run_data *c, const char *key)
{
    for (size_t i = 0; i < c->ngiven; i++)
        if (strcmp(c->given[i].key, key) == 0)
            return &c->given[i];
    return NULL;
}

/* ot_source_fn: a copy of the given series, then the store view. */
static int src_read(void *ud, const char *key, const char *measure, ot_series **out, ot_err *err)
{
    const ot_run_data *c = ud;
    for (size_t i = 0; i < c->ngiven; i++)
        if (strcmp(c->given[i].key, key) == 0 && strcmp(c->given[i].measure, measure) == 0) {
            ot_series *s = ot_series_copy(c->given[i].s, err);
            if (!s)
                return err ? err->code : OT_ENOMEM;
            *out = s;
            return OT_OK;
        }
    if (c->view)
        return ot_store_view_read(c->view, key, measure, out, err);
    return OT_ENOTFOUND;
}

static int src_shape(void *ud, const char *key, char *buf, size_t cap)
{
    const ot_run_data *c = ud;
    return c->view ? ot_store_view_shape(c->view, key, buf, cap) : 0;
}

/* A key neither given nor stored (store only: a given series is known). */
static int src_unknown(void *ud, const char *key, char *buf, size_t cap)
{
    const ot_run_data *c = ud;
    return !given_key(c, key) && c->view ? ot_store_view_unknown(c->view, key, buf, cap) : 0;
}

/* The record's origins as known then (store only: given series have no
 * vintages, so they are read as they are). */
static int src_read_at(void *ud, const char *key, ot_freq freq, ot_ord origin,
                       const char *measure, ot_series **out, ot_err *err)
{
    const ot_run_data *c = ud;
    if (given_key(c, key))
        return src_read(ud, key, measure, out, err);
    if (c->view)
        return ot_store_view_read_at(c->view, key, freq, origin, measure, out, err);
    return OT_ENOTFOUND;
}

static int src_revised(void *ud, const char *key)
{
    const ot_run_data *c = ud;
    return !given_key(c, key) && c->view ? ot_store_view_revised(c->view, key) : 0;
}

/* The record's model points kept in the store (a point's key is the hash
 * of the numbers it came from, so given series share it). */
static int src_record_get(void *ud, uint64_t hash, double *v)
{
    const ot_run_data *c = ud;
    return c->view ? ot_store_view_record_get(c->view, hash, v) : 0;
}

static void src_record_put(void *ud, const char *key, const char *cand, const char *origin,
                           uint64_t hash, double v)
{
    const ot_run_data *c = ud;
    if (c->view)
        ot_store_view_record_put(c->view, key, cand, origin, hash, v);
}

ot_source_fn ot_run_data_wire(ot_run_data *src, ot_proj_opts *o)
{
    (void)src; /* the callbacks get it as their ud */
    o->shape = src_shape;
    o->unknown = src_unknown;
    o->source_at = src_read_at;
    o->revised = src_revised;
    o->record_get = src_record_get;
    o->record_put = src_record_put;
    return src_read;
}
