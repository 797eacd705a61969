/* view.c — store-backed data source for projections, as of a date. */
#include "store/view.h"

#include <stdio.h>
#include <string.h>

void ot_store_view_init(ot_store_view *v, ot_store *st, int32_t as_of, const ot_alloc *alloc)
{
    v->st = st;
    v->as_of = as_of;
    v->alloc = alloc;
    pthread_mutex_init(&v->lock, NULL);
}

void ot_store_view_destroy(ot_store_view *v)
{
    pthread_mutex_destroy(&v->lock);
}

int ot_store_view_read(void *view, const char *key, const char *measure, ot_series **out,
                       ot_err *err)
{
    ot_store_view *v = view;
    ot_read_opts o = OT_READ_OPTS_INIT;
    if (ot_measure_parse(measure, (size_t)-1, &o.measure) != 0)
        return ot_err_set(err, OT_EINVAL, "unknown measure '%s'", measure);
    o.as_of = v->as_of;
    pthread_mutex_lock(&v->lock);
    int rc = ot_store_read(v->st, key, &o, v->alloc, out, err);
    pthread_mutex_unlock(&v->lock);
    /* A measure not stored for a known key is "not found" to a projection. */
    return rc == OT_EINVAL ? OT_ENOTFOUND : rc;
}

int ot_store_view_read_at(void *view, const char *key, ot_freq freq, ot_ord origin,
                          const char *measure, ot_series **out, ot_err *err)
{
    ot_store_view *v = view;
    ot_read_opts o = OT_READ_OPTS_INIT;
    if (ot_measure_parse(measure, (size_t)-1, &o.measure) != 0)
        return ot_err_set(err, OT_EINVAL, "unknown measure '%s'", measure);
    int32_t day;
    pthread_mutex_lock(&v->lock);
    int rc = ot_store_origin_day(v->st, key, freq, origin, &day, err);
    if (rc == OT_OK) {
        o.as_of = v->as_of != OT_ASOF_LATEST && v->as_of < day ? v->as_of : day;
        rc = ot_store_read(v->st, key, &o, v->alloc, out, err);
    }
    pthread_mutex_unlock(&v->lock);
    return rc == OT_EINVAL ? OT_ENOTFOUND : rc;
}

int ot_store_view_revised(void *view, const char *key)
{
    ot_store_view *v = view;
    ot_err err;
    int revised = -1;
    pthread_mutex_lock(&v->lock);
    if (ot_store_revised(v->st, key, &revised, &err) != OT_OK)
        revised = -1;
    pthread_mutex_unlock(&v->lock);
    return revised;
}

int ot_store_view_record_get(void *view, uint64_t hash, double *v)
{
    ot_store_view *sv = view;
    ot_err err;
    int found = 0;
    pthread_mutex_lock(&sv->lock);
    if (ot_store_recpoint_get(sv->st, hash, &found, v, &err) != OT_OK)
        found = 0;
    pthread_mutex_unlock(&sv->lock);
    return found;
}

void ot_store_view_record_put(void *view, const char *key, const char *cand, const char *origin,
                              uint64_t hash, double v)
{
    ot_store_view *sv = view;
    ot_err err;
    pthread_mutex_lock(&sv->lock);
    (void)ot_store_recpoint_put(sv->st, hash, key, cand, origin, v, &err);
    pthread_mutex_unlock(&sv->lock);
}

int ot_store_view_shape(void *view, const char *key, char *buf, size_t cap)
{
    ot_store_view *v = view;
    ot_series_meta m;
    ot_err err;
    int found = 0;
    pthread_mutex_lock(&v->lock);
    if (ot_store_get_meta(v->st, key, &m, &err) == OT_OK) {
        if (m.shape && *m.shape && strlen(m.shape) < cap) {
            snprintf(buf, cap, "%s", m.shape);
            found = 1;
        }
        ot_series_meta_clear(&m);
    }
    pthread_mutex_unlock(&v->lock);
    return found;
}

int ot_store_view_unknown(void *view, const char *key, char *buf, size_t cap)
{
    ot_store_view *v = view;
    pthread_mutex_lock(&v->lock);
    int unknown = ot_store_unknown_key(v->st, key, buf, cap);
    pthread_mutex_unlock(&v->lock);
    return unknown;
}
