/* run.c — a run's targets, as-of, projections, record and document. */
#include "run/run.h"

#include <fnmatch.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/ops.h"
#include "project/kinds.h"
#include "report/facts.h"
#include "run/fields.h"
#include "store/jobs.h"
#include "store/view.h"

void ot_run_set_free(ot_run_set *s)
{
    if (!s)
        return;
    ot_store_targets_free(s->t, s->n);
    free(s->ids);
    free(s->p);
    memset(s, 0, sizeof *s);
}

/* Gives s room for its projections, each "nothing projected". */
static int alloc_projections(ot_run_set *s, ot_err *err)
{
    if (!(s->p = calloc(s->n ? s->n : 1, sizeof *s->p)))
        return ot_err_set(err, OT_ENOMEM, "out of memory");
    for (size_t i = 0; i < s->n; i++)
        ot_projection_init(&s->p[i]);
    return OT_OK;
}

int ot_run_targets(ot_store *st, int year, const char *glob, ot_run_set *out, ot_err *err)
{
    ot_run_set s = {0};
    int rc = ot_store_targets(st, year, &s.t, &s.ids, &s.n, err);
    if (rc)
        return rc;
    if (glob) { /* keep the matching targets, in order, at the front */
        size_t m = 0, nall = s.n;
        for (size_t i = 0; i < nall; i++) {
            if (s.t[i].series && fnmatch(glob, s.t[i].series, 0) == 0) {
                if (m != i) {
                    s.t[m] = s.t[i];
                    s.ids[m] = s.ids[i];
                    ot_target_init(&s.t[i]);
                }
                m++;
            } else {
                ot_target_clear(&s.t[i]);
            }
        }
        s.n = m;
    }
    if ((rc = alloc_projections(&s, err))) {
        ot_run_set_free(&s);
        return rc;
    }
    *out = s;
    return OT_OK;
}

/* ---- as of -------------------------------------------------------------- */

/* The newest period with data of the keys looked at (ot_key_fn). */
typedef struct newest {
    int found;
    ot_period p;
} newest;

static int take_newest(void *ud, const ot_key_info *ki)
{
    newest *nw = ud;
    if (ki->count <= 0 || ki->last.freq == OT_FREQ_NONE)
        return 0;
    int32_t d = ot_period_last_day(ki->last.freq, ki->last.ord);
    int32_t best = nw->found ? ot_period_last_day(nw->p.freq, nw->p.ord) : INT32_MIN;
    /* later end wins; at the same end the finer period (2023-12 over
     * 2023Q4), then a February of its own over a January–February release
     * (2023-02 over 2023-01/02).  The span is kept: a run on a 1-2月 release
     * is as of that release, 2023-01/02, as series and reports name it. */
    int rank = ot_freq_rank(ki->last.freq), brank = nw->found ? ot_freq_rank(nw->p.freq) : 0;
    if (!nw->found || d > best || (d == best && rank < brank) ||
        (d == best && rank == brank && ki->last.span < nw->p.span)) {
        nw->found = 1;
        nw->p = ki->last;
    }
    return 0;
}

/* *days = the newest vintage stored, OT_ASOF_LATEST when there are none. */
static int newest_vintage(ot_store *st, int32_t *days, ot_err *err)
{
    int rc = ot_store_latest_vintage(st, days, err);
    if (rc == OT_ENOTFOUND) {
        *days = OT_ASOF_LATEST;
        rc = OT_OK;
    }
    return rc;
}

/* A period, or a date in any form ot_date_parse knows (20231020,
 * 2023/10/20, 2023年10月20日: forms a period has not) as a daily period. */
int ot_run_asof_parse(const char *text, ot_period *out, ot_err *err)
{
    ot_period p;
    ot_err e2;
    int32_t d;
    if (ot_period_parse(text, (size_t)-1, &p, &e2) != OT_OK) {
        if (ot_date_parse(text, &d, &e2) != OT_OK)
            return ot_err_set(err, OT_EDATA, "'%s' is neither a date (2023-10-31) nor a period "
                                             "(2023-09)", text);
        p.freq = OT_FREQ_D;
        p.ord = d;
    }
    /* an as-of is a point: "2023年1-2月" (January and February together)
     * reads through February, as "2023-02" does, and is written so (in
     * {as_of} too, never "2023-01/02") */
    p.span = 1;
    *out = p;
    return OT_OK;
}

int ot_run_asof_resolve(ot_store *st, const ot_run_set *s, const char *text, ot_run_asof *out,
                        ot_err *err)
{
    ot_run_asof a;
    memset(&a, 0, sizeof a);
    a.through.freq = OT_FREQ_NONE;
    int rc;
    if (text && strcmp(text, "latest") != 0) {
        ot_period p;
        ot_err e2;
        if (ot_run_asof_parse(text, &p, &e2) != OT_OK)
            return ot_err_set(err, OT_EDATA,
                              "as_of '%s' is neither \"latest\", a date (2023-10-31) nor a period "
                              "(2023-09)",
                              text);
        if (p.freq == OT_FREQ_D) {
            a.days = p.ord;
            ot_date_format(p.ord, a.text, sizeof a.text);
            *out = a;
            return OT_OK;
        }
        a.through = p;
    } else {
        newest nw = {0};
        for (size_t i = 0; s && i < s->n; i++) {
            const char *keys[2] = {s->t[i].series, s->t[i].ref};
            for (int k = 0; k < 2; k++)
                if (keys[k] && (rc = ot_store_keys(st, keys[k], take_newest, &nw, err)))
                    return rc;
        }
        if (nw.found) {
            /* no later than the end of the last target year: a 2023 target
             * is decided by 2023's data, whatever later years hold */
            int ymax = 0;
            for (size_t i = 0; i < s->n; i++)
                ymax = s->t[i].year > ymax ? s->t[i].year : ymax;
            int per = ot_freq_per_year(nw.p.freq);
            if (ymax > 0 && per > 0 && ot_period_year(nw.p.freq, nw.p.ord) > ymax)
                nw.p = (ot_period){nw.p.freq, ot_period_make(nw.p.freq, ymax, per), 1};
            a.through = nw.p;
        }
    }
    if ((rc = newest_vintage(st, &a.days, err)))
        return rc;
    if (a.through.freq != OT_FREQ_NONE)
        ot_period_format(a.through, a.text, sizeof a.text);
    else if (a.days != OT_ASOF_LATEST)
        ot_date_format(a.days, a.text, sizeof a.text);
    else
        snprintf(a.text, sizeof a.text, "latest");
    *out = a;
    return OT_OK;
}

void ot_run_asof_set(ot_run_asof *out, int32_t days, ot_period through)
{
    memset(out, 0, sizeof *out);
    out->days = days;
    out->through = through;
    if (through.freq != OT_FREQ_NONE)
        ot_period_format(through, out->text, sizeof out->text);
    else if (days != OT_ASOF_LATEST)
        ot_date_format(days, out->text, sizeof out->text);
    else
        snprintf(out->text, sizeof out->text, "latest");
}

void ot_run_asof_point(const ot_run_asof *a, char *buf, size_t cap)
{
    if (a->through.freq != OT_FREQ_NONE && a->through.span != 1) {
        ot_period p = a->through;
        p.span = 1;
        ot_period_format(p, buf, cap);
    } else {
        snprintf(buf, cap, "%s", a->text);
    }
}

void ot_run_asof_of(const ot_run_rec *r, ot_run_asof *out)
{
    memset(out, 0, sizeof *out);
    out->days = r->as_of;
    out->through.freq = OT_FREQ_NONE;
    ot_err e;
    if (r->through && ot_period_parse(r->through, (size_t)-1, &out->through, &e) == OT_OK)
        ot_period_format(out->through, out->text, sizeof out->text);
    else if (r->as_of != OT_ASOF_LATEST)
        ot_date_format(r->as_of, out->text, sizeof out->text);
    else
        snprintf(out->text, sizeof out->text, "latest");
    if (out->through.freq != OT_FREQ_NONE && !out->text[0])
        out->through.freq = OT_FREQ_NONE;
}

/* ---- projecting --------------------------------------------------------- */

int ot_run_project(ot_store *st, ot_run_set *s, const ot_run_asof *a, const ot_proj_opts *po,
                   size_t chunk, ot_run_progress_fn progress, void *ud, ot_err *err)
{
    ot_proj_opts o = *po;
    char through[OT_PERIOD_STRMAX];
    o.as_of_period = NULL;
    if (a->through.freq != OT_FREQ_NONE) {
        ot_period_format(a->through, through, sizeof through);
        o.as_of_period = through;
    }
    o.shape = ot_store_view_shape;
    o.unknown = ot_store_view_unknown;
    o.source_at = ot_store_view_read_at; /* the record's origins as known then */
    o.revised = ot_store_view_revised;
    o.record_get = ot_store_view_record_get; /* the record's model points, kept */
    o.record_put = ot_store_view_record_put;
    ot_store_view view;
    ot_store_view_init(&view, st, a->days, NULL);
    size_t step = chunk ? chunk : s->n;
    int rc = OT_OK;
    for (size_t i = 0; i < s->n && rc == OT_OK; i += step) {
        size_t k = s->n - i < step ? s->n - i : step;
        rc = ot_project_many(s->t + i, k, ot_store_view_read, &view, &o, s->p + i, err);
        if (rc == OT_OK && progress)
            progress(ud, i + k, s->n);
    }
    ot_store_view_destroy(&view);
    return rc;
}

/* ---- saving and loading ------------------------------------------------- */

int ot_run_save(ot_store *st, int64_t run_id, const ot_run_asof *a, const ot_run_set *s,
                ot_err *err)
{
    for (size_t i = 0; i < s->n; i++) {
        const ot_target *t = &s->t[i];
        const ot_projection *p = &s->p[i];
        char *data = run_proj_to_json(p, err);
        if (!data)
            return err ? err->code : OT_ENOMEM;
        /* the columns beside the JSON are for SQL readers of the database
         * (method and notes in English words) */
        char method[512], notes[4096];
        ot_report_fact(&p->method, NULL, OT_LANG_EN, NULL, 0, method, sizeof method);
        ot_report_facts(&p->notes, t->ref, OT_LANG_EN, NULL, 0, notes, sizeof notes);
        ot_projection_row row = {run_id,   s->ids[i], t->label ? t->label : t->series,
                                 a->days,  p->point,  p->lo80,
                                 p->hi80,  p->lo95,   p->hi95,
                                 p->prob,  p->required, p->carry,
                                 ot_proj_status_name(p->status),
                                 method[0] ? method : NULL,
                                 notes[0] ? notes : NULL,
                                 data};
        int rc = ot_store_put_projection(st, &row, err);
        free(data);
        if (rc)
            return rc;
    }
    return OT_OK;
}

/* A row stored before projections kept their JSON: the columns there are. */
static void from_columns(const ot_projection_row *r, ot_projection *p)
{
    ot_projection_init(p);
    if (ot_proj_status_parse(r->status, &p->status) != 0)
        p->status = OT_STATUS_NO_DATA;
    p->point = r->point;
    p->lo80 = r->lo80;
    p->hi80 = r->hi80;
    p->lo95 = r->lo95;
    p->hi95 = r->hi95;
    p->prob = r->prob;
    p->required = r->required;
    p->carry = r->carry;
    /* the method and note columns are words, not facts: not read back */
}

int ot_run_load(ot_store *st, int64_t run_id, ot_run_set *out, ot_err *err)
{
    ot_projection_row *rows = NULL;
    ot_target *all = NULL;
    int64_t *ids = NULL;
    size_t nrows = 0, nall = 0;
    ot_run_set s = {0};
    int rc = ot_store_projections(st, run_id, &rows, &nrows, err);
    if (rc == OT_OK)
        rc = ot_store_targets(st, 0, &all, &ids, &nall, err);
    if (rc)
        goto done;
    s.t = calloc(nrows ? nrows : 1, sizeof *s.t);
    s.ids = calloc(nrows ? nrows : 1, sizeof *s.ids);
    s.p = calloc(nrows ? nrows : 1, sizeof *s.p);
    if (!s.t || !s.ids || !s.p) {
        free(s.t);
        s.t = NULL;
        rc = ot_err_set(err, OT_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < nrows && rc == OT_OK; i++) {
        const ot_projection_row *r = &rows[i];
        const ot_target *found = NULL;
        for (size_t k = 0; k < nall && r->target_id && !found; k++)
            if (ids[k] == r->target_id)
                found = &all[k];
        s.n = i + 1;
        ot_target_init(&s.t[i]);
        if (found) {
            s.ids[i] = r->target_id;
            rc = ot_target_copy(&s.t[i], found, err);
            /* the row's label column holds the series key when the target
             * had no label (ot_run_save): that is no label, and the reports
             * name such a target by its indicator's name, as the job did */
            if (rc == OT_OK && !s.t[i].label && r->label &&
                !(found->series && strcmp(r->label, found->series) == 0))
                rc = ot_target_set_str(&s.t[i].label, r->label, err);
        } else { /* not stored (or deleted since): its label only */
            s.t[i].kind = OT_TARGET_UNQUANTIFIED;
            s.t[i].op = OT_OP_NONE;
            rc = ot_target_set_str(&s.t[i].label, r->label, err);
        }
        if (rc)
            break;
        if (r->data) {
            ot_err e2;
            if ((rc = run_proj_from_json(r->data, &s.p[i], &e2)))
                ot_err_set(err, rc, "run %lld, projection %zu: %s", (long long)run_id, i + 1,
                           e2.msg);
        } else {
            from_columns(r, &s.p[i]);
        }
    }
done:
    ot_store_projections_free(rows, nrows);
    ot_store_targets_free(all, nall);
    free(ids);
    if (rc) {
        ot_run_set_free(&s);
        return rc;
    }
    *out = s;
    return OT_OK;
}

int ot_run_open(ot_store *st, int64_t id, ot_run_rec **rec, ot_run_set *set, ot_err *err)
{
    ot_run_rec *r = NULL;
    size_t n = 0;
    int rc = ot_store_runs(st, NULL, id, id ? 0 : 1, &r, &n, err);
    if (rc)
        return rc;
    if (n == 0)
        return ot_err_set(err, OT_ENOTFOUND, "no runs stored (ontrack job run records them)");
    if ((rc = ot_run_load(st, r->id, set, err))) {
        ot_store_runs_free(r, n);
        return rc;
    }
    *rec = r;
    return OT_OK;
}

/* ---- the document ------------------------------------------------------- */

/* A source reading through the view and keeping the data through a period. */
typedef struct cut_src {
    ot_store_view view;
    const ot_period *through; /* NULL = all */
} cut_src;

static int cut_read(void *ud, const char *key, const char *measure, ot_series **out, ot_err *err)
{
    cut_src *c = ud;
    ot_series *s;
    int rc = ot_store_view_read(&c->view, key, measure, &s, err);
    if (rc || !c->through) {
        if (rc == OT_OK)
            *out = s;
        return rc;
    }
    ot_err e2;
    ot_series *t = ot_series_through(s, *c->through, &e2);
    ot_series_free(s);
    if (!t)
        return e2.code == OT_ENOTFOUND ? OT_ENOTFOUND : ot_err_set(err, e2.code, "%s", e2.msg);
    *out = t;
    return OT_OK;
}

void ot_run_doc_free(ot_run_doc *d)
{
    if (!d)
        return;
    for (size_t i = 0; d->hist && i < d->n; i++)
        ot_series_free(d->hist[i]);
    for (size_t i = 0; d->refs && i < d->n; i++)
        ot_series_meta_clear(&d->refs[i]);
    free(d->refs);
    free(d->targets);
    for (size_t k = 0; k < d->nnames; k++)
        ot_series_meta_clear(&d->metas[k]);
    free(d->metas);
    free(d->names);
    free(d->vintages);
    free(d->hist);
    ot_run_compares_free(&d->cmp);
    free(d->items);
    memset(d, 0, sizeof *d);
}

/* Adds key to d's names (its metadata read from st) unless it is there. */
static int add_name(ot_run_doc *d, size_t cap, const char *key, ot_store *st, ot_err *err)
{
    if (!key || !key[0] || d->nnames >= cap)
        return OT_OK;
    for (size_t k = 0; k < d->nnames; k++)
        if (strcmp(d->names[k].key, key) == 0)
            return OT_OK;
    ot_series_meta *m = &d->metas[d->nnames];
    ot_series_meta_init(m);
    ot_err e2;
    if (ot_store_get_meta(st, key, m, &e2) == OT_ENOMEM)
        return ot_err_set(err, OT_ENOMEM, "out of memory");
    d->names[d->nnames++] = (ot_report_name){m->key ? m->key : key, m->name, m->name_en,
                                             m->freq == OT_FREQ_M   ? 12
                                             : m->freq == OT_FREQ_Q ? 4
                                                                    : 0};
    if (!m->key) /* not stored: the key is the target's or the fact's, alive as long as d */
        d->names[d->nnames - 1].key = key;
    return OT_OK;
}

/* The region the targets are of, as their series' Chinese names say it: the
 * beginning of a name through its first 省, 市, 县, 区, 州, 盟 or 旗 within
 * five characters ("义乌市" of 义乌市地区生产总值), the one most names begin
 * with, when a third of the named ones and at least two do (or the only
 * one).  Returns 1 with
 * the region in buf, 0 when there is none. */
static int region_of(const ot_run_doc *d, const ot_run_set *s, char *buf, size_t cap)
{
    static const char *const ends[] = {"省", "市", "县", "区", "州", "盟", "旗"};
    const char *best = NULL;
    size_t best_len = 0, best_n = 0, named = 0;
    for (size_t i = 0; i < d->nnames; i++) {
        const char *nm = d->names[i].name;
        size_t len = 0;
        for (size_t j = 3; nm && !len && j <= 15 && j <= strlen(nm); j += 3)
            for (size_t e = 0; e < sizeof ends / sizeof *ends; e++)
                if (strncmp(nm + j - 3, ends[e], 3) == 0)
                    len = j;
        int target = 0;
        for (size_t t = 0; t < s->n && !target; t++)
            target = s->t[t].series && strcmp(s->t[t].series, d->names[i].key) == 0;
        if (!target || !nm || !nm[0])
            continue;
        named++;
        if (!len)
            continue;
        size_t c = 0;
        for (size_t k = 0; k < d->nnames; k++)
            if (d->names[k].name && strncmp(d->names[k].name, nm, len) == 0)
                c++;
        if (c > best_n) {
            best = nm;
            best_len = len;
            best_n = c;
        }
    }
    if (!best || (best_n < 2 && named > 1) || 3 * best_n < named || best_len >= cap)
        return 0;
    memcpy(buf, best, best_len);
    buf[best_len] = '\0';
    return 1;
}

/* The names of every series the items and their notes mention. */
static int doc_names(ot_run_doc *d, const ot_run_set *s, ot_store *st, ot_err *err)
{
    size_t cap = s->n * (2 + 2 * OT_PROJ_FACTS_MAX) + 1;
    d->metas = calloc(cap, sizeof *d->metas);
    d->names = calloc(cap, sizeof *d->names);
    if (!d->metas || !d->names)
        return ot_err_set(err, OT_ENOMEM, "out of memory");
    int rc = OT_OK;
    for (size_t i = 0; i < s->n && rc == OT_OK; i++) {
        rc = add_name(d, cap, s->t[i].series, st, err);
        if (rc == OT_OK)
            rc = add_name(d, cap, s->t[i].ref, st, err);
        const ot_proj_facts *fs = &s->p[i].notes;
        for (int k = 0; k < fs->n && rc == OT_OK; k++)
            for (int j = 0; j < 2 && rc == OT_OK; j++)
                rc = add_name(d, cap, fs->f[k].key[j], st, err);
        for (int j = 0; j < 2 && rc == OT_OK; j++)
            rc = add_name(d, cap, s->p[i].method.key[j], st, err);
    }
    return rc;
}

/* The newest vintage among the rows of a key a run read. */
typedef struct newest_read {
    int32_t days;      /* the run's vintage date (OT_ASOF_LATEST = all) */
    int32_t cut;       /* the last day of its period cut, INT32_MAX = none */
    int32_t newest;    /* found: INT32_MIN = none */
} newest_read;

static int take_read(void *ud, const ot_revision *r)
{
    newest_read *n = ud;
    if (r->vintage <= n->days && ot_period_last_day(r->period.freq, r->period.ord) <= n->cut &&
        r->vintage > n->newest)
        n->newest = r->vintage;
    return 0;
}

/* *newest = the newest vintage date among the rows of key (NULL: none)
 * known at a's date and not after its period cut, left as it is when there
 * are none (an unknown key reads nothing).  Store errors but OT_ENOTFOUND. */
static int newest_of(ot_store *st, const char *key, const ot_run_asof *a, int32_t *found,
                     ot_err *err)
{
    if (!key)
        return OT_OK;
    newest_read n = {a->days, INT32_MAX, *found};
    if (a->through.freq != OT_FREQ_NONE)
        n.cut = ot_period_last_day(a->through.freq, a->through.ord);
    ot_err e2;
    int rc = ot_store_revisions(st, key, NULL, take_read, &n, &e2);
    if (rc == OT_ENOTFOUND)
        return OT_OK;
    if (rc)
        return err ? (*err = e2, rc) : rc;
    *found = n.newest;
    return OT_OK;
}

/* What a reader needs to read the data again: the date they were known on
 * (the run's vintage date) and, per item and over the document, the newest
 * vintage date among the rows read of its series and ref. */
static int doc_vintages(ot_run_doc *d, const ot_run_set *s, ot_store *st, const ot_run_asof *a,
                        ot_err *err)
{
    if (a->days != OT_ASOF_LATEST) {
        ot_date_format(a->days, d->known_on, sizeof d->known_on);
        d->doc.known_on = d->known_on;
    }
    if (!st)
        return OT_OK;
    if (!(d->vintages = calloc(s->n ? s->n : 1, sizeof *d->vintages)))
        return ot_err_set(err, OT_ENOMEM, "out of memory");
    int32_t all = INT32_MIN;
    for (size_t i = 0; i < s->n; i++) {
        int32_t v = INT32_MIN;
        int rc;
        if (s->t[i].kind == OT_TARGET_UNQUANTIFIED)
            continue;
        if ((rc = newest_of(st, s->t[i].series, a, &v, err)) ||
            (rc = newest_of(st, s->t[i].ref, a, &v, err)))
            return rc;
        if (v == INT32_MIN)
            continue;
        ot_date_format(v, d->vintages[i], sizeof d->vintages[i]);
        d->items[i].vintage = d->vintages[i];
        all = v > all ? v : all;
    }
    if (all != INT32_MIN) {
        ot_date_format(all, d->vintage, sizeof d->vintage);
        d->doc.vintage = d->vintage;
    }
    return OT_OK;
}

/* The document of s; the chart histories only when charts is non-zero. */
static int doc_build(ot_run_doc *d, const ot_run_set *s, ot_store *st, const ot_run_asof *a,
                     const char *source, const ot_alloc *alloc, int charts, ot_err *err)
{
    memset(d, 0, sizeof *d);
    size_t n = s->n;
    d->items = calloc(n ? n : 1, sizeof *d->items);
    d->hist = calloc(n ? n : 1, sizeof *d->hist);
    d->refs = calloc(n ? n : 1, sizeof *d->refs);
    d->targets = calloc(n ? n : 1, sizeof *d->targets);
    if (!d->items || !d->hist || !d->refs || !d->targets)
        return ot_err_set(err, OT_ENOMEM, "out of memory");
    d->n = n;
    for (size_t i = 0; i < n; i++)
        ot_series_meta_init(&d->refs[i]);
    int rc = OT_OK;
    if (st && charts) {
        cut_src cs;
        cs.through = a->through.freq != OT_FREQ_NONE ? &a->through : NULL;
        ot_store_view_init(&cs.view, st, a->days, alloc);
        for (size_t i = 0; i < n && rc == OT_OK; i++)
            if (s->t[i].kind != OT_TARGET_UNQUANTIFIED && s->t[i].series) {
                rc = ot_project_history(&s->t[i], cut_read, &cs, 1, alloc, &d->hist[i], err);
                if (rc == OT_ENOTFOUND) {
                    d->hist[i] = NULL;
                    rc = OT_OK;
                }
            }
        ot_store_view_destroy(&cs.view);
        if (rc)
            return rc;
    }
    if (st) {
        for (size_t i = 0; i < n; i++) { /* the ref's names; an unknown series keeps its key */
            ot_err e2;
            if (s->t[i].ref && ot_store_get_meta(st, s->t[i].ref, &d->refs[i], &e2) == OT_ENOMEM)
                return ot_err_set(err, OT_ENOMEM, "out of memory");
        }
    }
    if (st && (rc = doc_names(d, s, st, err)) != OT_OK)
        return rc;
    for (size_t i = 0; i < n; i++) {
        d->targets[i] = s->t[i]; /* shallow: its strings stay the set's */
        d->items[i] = (ot_report_item){&d->targets[i], &s->p[i], d->hist[i], NULL,
                                       (long long)s->ids[i], d->refs[i].name,
                                       d->refs[i].name_en, NULL, NULL, OT_KIND_FLOW};
        for (size_t k = 0; k < d->nnames; k++)
            if (s->t[i].series && strcmp(d->names[k].key, s->t[i].series) == 0) {
                d->items[i].name = d->names[k].name;
                d->items[i].name_en = d->names[k].name_en;
                if (d->metas[k].kind >= 0) /* a level target of a stock says "year-end" */
                    d->items[i].kind = (ot_kind)d->metas[k].kind;
                /* a level stated without a unit is in its series' unit (500 of
                 * 亿元): the test and the figures say it, 总量 ≥ 500亿元 */
                if ((!s->t[i].unit || !s->t[i].unit[0]) && d->metas[k].unit &&
                    d->metas[k].unit[0])
                    d->targets[i].unit = d->metas[k].unit;
            }
    }
    ot_report_doc_init(&d->doc);
    d->doc.items = d->items;
    d->doc.n = n;
    d->doc.names = d->names;
    d->doc.nnames = d->nnames;
    if (region_of(d, s, d->region, sizeof d->region))
        d->doc.region = d->region;
    /* 编制日期 is the day on the reader's clock (TZ), not UTC's: a page
     * compiled in Beijing at 07:00 is dated today, not yesterday */
    time_t now = time(NULL);
    struct tm tm;
    if (localtime_r(&now, &tm) && strftime(d->compiled, sizeof d->compiled, "%Y-%m-%d", &tm))
        d->doc.compiled = d->compiled;
    if (strcmp(a->text, "latest") != 0 && a->text[0]) {
        snprintf(d->as_of, sizeof d->as_of, "%s", a->text);
        d->doc.as_of = d->as_of;
    }
    if (source) {
        snprintf(d->source, sizeof d->source, "%s", source);
        d->doc.source = d->source;
    }
    return doc_vintages(d, s, st, a, err);
}

int ot_run_doc_build(ot_run_doc *d, const ot_run_set *s, ot_store *st, const ot_run_asof *a,
                     const char *source, const ot_alloc *alloc, ot_err *err)
{
    return doc_build(d, s, st, a, source, alloc, 1, err);
}

int ot_run_doc_table(ot_run_doc *d, const ot_run_set *s, ot_store *st, const ot_run_asof *a,
                     ot_report_lang lang, ot_err *err)
{
    int rc = doc_build(d, s, st, a, NULL, NULL, 0, err);
    d->doc.lang = lang;
    return rc;
}

void ot_run_source(const ot_run_rec *r, ot_report_lang lang, char *buf, size_t cap)
{
    /* which run, when, on which data (the first 12 hex digits of the data
     * hash identify the vintages it read) and which engine */
    int zh = lang == OT_LANG_ZH;
    const char *sep = zh ? "，" : ", ";
    int k = snprintf(buf, cap, "%s %lld%s%s%s%s%s", zh ? "运行" : "run", (long long)r->id,
                     r->job ? (zh ? "（" : " (") : "", r->job ? r->job : "",
                     r->job ? (zh ? "）" : ")") : "", sep, r->started ? r->started : "");
    if (r->data_hash && k > 0 && (size_t)k < cap)
        k += snprintf(buf + k, cap - (size_t)k, "%s%s %.12s", sep, zh ? "数据哈希" : "data",
                      r->data_hash);
    if (r->engine_version && k > 0 && (size_t)k < cap)
        snprintf(buf + k, cap - (size_t)k, "%sontrack %s", sep, r->engine_version);
}

int ot_run_doc_compares(ot_run_doc *d, ot_store *st, int64_t run_id, ot_err *err)
{
    ot_run_compares_free(&d->cmp);
    int rc = ot_run_compares_load(st, run_id, &d->cmp, err);
    d->doc.compares = rc == OT_OK ? d->cmp.c : NULL;
    d->doc.ncompares = rc == OT_OK ? d->cmp.n : 0;
    return rc;
}

/* ---- a job's history ------------------------------------------------------ */

/* The day a run's data end: the end of its period cut, else its vintage date. */
static int32_t data_day(const ot_run_rec *r)
{
    ot_run_asof a;
    ot_run_asof_of(r, &a);
    return a.through.freq != OT_FREQ_NONE ? ot_period_last_day(a.through.freq, a.through.ord)
                                          : a.days;
}

/* qsort over run pointers: older data first, then older run. */
static int by_asof(const void *x, const void *y)
{
    const ot_run_rec *a = *(const ot_run_rec *const *)x, *b = *(const ot_run_rec *const *)y;
    int32_t da = data_day(a), db = data_day(b);
    if (da != db)
        return da < db ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

void ot_run_history_free(ot_run_history *h)
{
    if (!h)
        return;
    for (size_t i = 0; h->sets && i < h->m; i++)
        ot_run_set_free(&h->sets[i]);
    free(h->sets);
    free(h->asof);
    free(h->run);
    ot_store_runs_free(h->recs, h->nrecs);
    memset(h, 0, sizeof *h);
}

int ot_run_history_load(ot_store *st, const char *job, int64_t upto, size_t max,
                        ot_run_history *out, ot_err *err)
{
    ot_run_history h;
    memset(&h, 0, sizeof h);
    *out = h;
    int rc = ot_store_runs(st, job, 0, 0, &h.recs, &h.nrecs, err);
    if (rc)
        return rc;
    size_t cap = h.nrecs ? h.nrecs : 1;
    h.run = malloc(cap * sizeof *h.run);
    h.sets = calloc(cap, sizeof *h.sets);
    h.asof = calloc(cap, sizeof *h.asof);
    if (!h.run || !h.sets || !h.asof) {
        *out = h;
        return ot_err_set(err, OT_ENOMEM, "out of memory");
    }
    /* the last `max` ok runs made up to this one (recs are newest first), then
     * ordered by as-of: choosing by as-of instead would leave out a backfill
     * of earlier months behind runs on newer data */
    size_t k = 0;
    for (size_t i = 0; i < h.nrecs && k < max; i++)
        if (h.recs[i].id <= upto && strcmp(h.recs[i].status, "ok") == 0)
            h.run[k++] = &h.recs[i];
    qsort(h.run, k, sizeof *h.run, by_asof);
    for (size_t i = 0; i < k && rc == OT_OK; i++) {
        h.m = i + 1;
        ot_run_asof_of(h.run[i], &h.asof[i]);
        rc = ot_run_load(st, h.run[i]->id, &h.sets[i], err);
    }
    *out = h;
    return rc;
}
