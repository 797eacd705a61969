/* test_run.c — run/: every field of ot_projection is saved and loaded back
 * exactly, the field table covers the whole struct (so a field added to
 * ot_projection fails here until it is saved), bad stored text is refused,
 * the as-of of "latest" is the targets' newest data, and a stored run's
 * document carries what was saved. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include <cmocka.h>

#include "mem_store.h"

#include "project/kinds.h"
#include "run/fields.h"
#include "run/run.h"
#include "store/jobs.h"

static size_t align_of(run_ftype t)
{
    switch (t) {
    case RUN_F_DOUBLE: return _Alignof(double);
    case RUN_F_INT: return _Alignof(int);
    case RUN_F_SIZE: return _Alignof(size_t);
    case RUN_F_STATUS: return _Alignof(ot_proj_status);
    default: return 1;
    }
}

static int by_off(const void *a, const void *b)
{
    const run_field *x = a, *y = b;
    return x->off < y->off ? -1 : x->off > y->off;
}

/* Laid out in order of offset, the fields of the table leave only the
 * padding their alignment asks for: a field of ot_projection missing from
 * the table shows as a gap the next field's alignment does not explain. */
static void test_run_fields_cover_the_projection(void **state)
{
    (void)state;
    run_field *f = malloc(run_nfields * sizeof *f);
    memcpy(f, run_fields, run_nfields * sizeof *f);
    qsort(f, run_nfields, sizeof *f, by_off);
    size_t end = 0;
    for (size_t i = 0; i < run_nfields; i++) {
        size_t a = align_of(f[i].type);
        size_t want = (end + a - 1) / a * a;
        if (f[i].off != want)
            fail_msg("ot_projection has bytes %zu..%zu before '%s' that run/fields.c does not save: "
                     "add the new field to its table",
                     end, f[i].off, f[i].name);
        end = f[i].off + f[i].size;
    }
    size_t a = _Alignof(ot_projection);
    if ((end + a - 1) / a * a != sizeof(ot_projection))
        fail_msg("ot_projection has %zu bytes after '%s' that run/fields.c does not save: add the "
                 "new field to its table",
                 sizeof(ot_projection) - end, f[run_nfields - 1].name);
    free(f);
}

/* Every field set to a value of its own (by the table), NaN in one. */
static void distinct(ot_projection *p, int k)
{
    ot_projection_init(p);
    for (size_t i = 0; i < run_nfields; i++) {
        char *at = (char *)p + run_fields[i].off;
        double x = 1.0 / 3 + (double)i + 100 * k;
        int n = (int)i + 7 * k;
        size_t z = 1000 + i + (size_t)k;
        ot_proj_status s = (ot_proj_status)((i + (size_t)k) % (OT_STATUS_UNQUANTIFIED + 1));
        switch (run_fields[i].type) {
        case RUN_F_DOUBLE: memcpy(at, &x, sizeof x); break;
        case RUN_F_INT: memcpy(at, &n, sizeof n); break;
        case RUN_F_SIZE: memcpy(at, &z, sizeof z); break;
        case RUN_F_STATUS: memcpy(at, &s, sizeof s); break;
        case RUN_F_TEXT: snprintf(at, run_fields[i].size, "%s %d \"q\" 义乌", run_fields[i].name, k); break;
        case RUN_F_FACT:
            ot_fact_set((ot_proj_fact *)(void *)at, OT_M_RECORD + k, "ikdk", n, "a \"q\" 义乌", x,
                        run_fields[i].name);
            break;
        case RUN_F_FACTS: {
            ot_proj_facts *fs = (void *)at;
            ot_fact_add(fs, OT_N_RECORD, "iiiiiikdddd", 2011, 2019 + k, 12, 9, 27, 3, "auto", x,
                        x + 1, NAN, x + 2);
            ot_fact_add(fs, OT_N_CORR, "kkd", run_fields[i].name, "zhejiang.exports", x);
            fs->f[1].of_ref = 1;
            break;
        }
        }
    }
    p->carry = NAN;
}

static void assert_same(const ot_projection *a, const ot_projection *b)
{
    for (size_t i = 0; i < run_nfields; i++) {
        const run_field *f = &run_fields[i];
        const char *x = (const char *)a + f->off, *y = (const char *)b + f->off;
        if (f->type == RUN_F_TEXT) {
            if (strcmp(x, y) != 0)
                fail_msg("field %s: '%s' != '%s'", f->name, x, y);
        } else if (memcmp(x, y, f->size) != 0) {
            fail_msg("field %s differs after loading", f->name);
        }
    }
}

/* Saved by ot_run_save and read by ot_run_load: the same bits in every
 * field, targets from the store (an unstored one by its label). */
static void test_run_save_load_exactly(void **state)
{
    ot_store *st = *state;
    ot_err err;
    ot_target t;
    ot_target_init(&t);
    t.series = "x.gdp";
    t.year = 2023;
    t.value = 7.5;
    t.label = "GDP";
    int64_t tid;
    assert_int_equal(ot_store_put_target(st, &t, &tid, &err), OT_OK);
    ot_run_set s = {0};
    assert_int_equal(ot_run_targets(st, 2023, NULL, &s, &err), OT_OK);
    assert_int_equal(s.n, 1);
    distinct(&s.p[0], 1);
    ot_run r = {"j", 19661, "test", NULL, NULL, "2023-09"};
    int64_t run;
    assert_int_equal(ot_store_run_begin(st, &r, &run, &err), OT_OK);
    ot_run_asof a;
    ot_run_asof_set(&a, 19661, (ot_period){OT_FREQ_M, ot_period_make(OT_FREQ_M, 2023, 9), 1});
    assert_string_equal(a.text, "2023-09");
    assert_int_equal(ot_run_save(st, run, &a, &s, &err), OT_OK);
    assert_int_equal(ot_store_run_finish(st, run, "ok", &err), OT_OK);

    ot_run_rec *rec;
    ot_run_set back = {0};
    assert_int_equal(ot_run_open(st, 0, &rec, &back, &err), OT_OK);
    assert_int_equal(rec->id, run);
    assert_int_equal(back.n, 1);
    assert_int_equal(back.ids[0], tid);
    assert_string_equal(back.t[0].label, "GDP");
    assert_true(isnan(back.p[0].carry));
    assert_same(&s.p[0], &back.p[0]);
    ot_run_asof b;
    ot_run_asof_of(rec, &b);
    assert_string_equal(b.text, "2023-09");
    assert_int_equal(b.days, 19661);

    /* the document of the stored run: the items are the saved projections */
    ot_run_doc d;
    assert_int_equal(ot_run_doc_build(&d, &back, NULL, &b, "run 1", NULL, &err), OT_OK);
    assert_int_equal(d.doc.n, 1);
    assert_string_equal(d.doc.as_of, "2023-09");
    assert_string_equal(d.doc.source, "run 1");
    assert_ptr_equal(d.doc.items[0].proj, &back.p[0]);
    assert_int_equal(d.doc.items[0].target_id, tid);
    ot_run_doc_free(&d);
    ot_run_set_free(&back);
    ot_store_runs_free(rec, 1);
    ot_run_set_free(&s);
}

/* A stored target without a label loads without one (the row's label
 * column holds its series key for SQL readers), so a stored run's report
 * names it by its indicator's name, as the run's own outputs did. */
static void test_run_load_unlabelled(void **state)
{
    ot_store *st = *state;
    ot_err err;
    ot_target t;
    ot_target_init(&t);
    t.series = "x.gdp";
    t.year = 2023;
    t.value = 7.5;
    int64_t tid;
    assert_int_equal(ot_store_put_target(st, &t, &tid, &err), OT_OK);
    ot_run_set s = {0};
    assert_int_equal(ot_run_targets(st, 2023, NULL, &s, &err), OT_OK);
    assert_int_equal(s.n, 1);
    assert_null(s.t[0].label);
    distinct(&s.p[0], 1);
    ot_run r = {"j", 19661, "test", NULL, NULL, "2023-09"};
    int64_t run;
    assert_int_equal(ot_store_run_begin(st, &r, &run, &err), OT_OK);
    ot_run_asof a;
    ot_run_asof_set(&a, 19661, (ot_period){OT_FREQ_M, ot_period_make(OT_FREQ_M, 2023, 9), 1});
    assert_int_equal(ot_run_save(st, run, &a, &s, &err), OT_OK);
    assert_int_equal(ot_store_run_finish(st, run, "ok", &err), OT_OK);
    ot_projection_row *rows;
    size_t nrows;
    assert_int_equal(ot_store_projections(st, run, &rows, &nrows, &err), OT_OK);
    assert_int_equal(nrows, 1);
    assert_string_equal(rows[0].label, "x.gdp"); /* the column, for SQL readers */
    ot_store_projections_free(rows, nrows);

    ot_run_rec *rec;
    ot_run_set back = {0};
    assert_int_equal(ot_run_open(st, run, &rec, &back, &err), OT_OK);
    assert_int_equal(back.n, 1);
    assert_int_equal(back.ids[0], tid);
    assert_null(back.t[0].label);
    assert_string_equal(back.t[0].series, "x.gdp");
    ot_run_set_free(&back);
    ot_store_runs_free(rec, 1);
    ot_run_set_free(&s);
}

/* The one as-of parser: periods, and dates in every form of formats.md. */
static void test_run_asof_parse(void **state)
{
    (void)state;
    ot_err err;
    ot_period p;
    int32_t d = ot_days_from_civil(2023, 10, 31);
    static const char *const dates[] = {"2023-10-31", "20231031", "2023/10/31", "2023年10月31日"};
    for (size_t i = 0; i < sizeof dates / sizeof *dates; i++) {
        assert_int_equal(ot_run_asof_parse(dates[i], &p, &err), OT_OK);
        assert_int_equal(p.freq, OT_FREQ_D);
        assert_int_equal(p.ord, d);
    }
    assert_int_equal(ot_run_asof_parse("2023年9月", &p, &err), OT_OK);
    assert_int_equal(p.freq, OT_FREQ_M);
    assert_int_equal(p.ord, ot_period_make(OT_FREQ_M, 2023, 9));
    /* January and February together: through February, one point */
    assert_int_equal(ot_run_asof_parse("2023年1-2月", &p, &err), OT_OK);
    assert_int_equal(p.freq, OT_FREQ_M);
    assert_int_equal(p.ord, ot_period_make(OT_FREQ_M, 2023, 2));
    assert_int_equal(p.span, 1);
    ot_run_asof a;
    ot_run_asof_set(&a, OT_ASOF_LATEST, p);
    assert_string_equal(a.text, "2023-02");
    assert_int_equal(ot_run_asof_parse("2023Q3", &p, &err), OT_OK);
    assert_int_equal(p.freq, OT_FREQ_Q);
    ot_period keep = p;
    assert_int_equal(ot_run_asof_parse("2023x", &p, &err), OT_EDATA);
    assert_string_equal(err.msg, "'2023x' is neither a date (2023-10-31) nor a period (2023-09)");
    assert_memory_equal(&p, &keep, sizeof p); /* untouched */
}

/* Records an ok run of job "j" as of day d (empty projections). */
static int64_t ok_run(ot_store *st, int32_t d)
{
    ot_err err;
    ot_run r = {"j", d, "test", NULL, NULL, NULL};
    int64_t id;
    assert_int_equal(ot_store_run_begin(st, &r, &id, &err), OT_OK);
    assert_int_equal(ot_store_run_finish(st, id, "ok", &err), OT_OK);
    return id;
}

/* The history of `job show`: the last `max` ok runs made up to a run, then
 * ordered by as-of — a backfill of earlier months made after runs on newer
 * data is in it (before them), not left out for having older data. */
static void test_run_history_last_made(void **state)
{
    ot_store *st = *state;
    ot_err err;
    int32_t dec = ot_days_from_civil(2023, 12, 31);
    for (int i = 0; i < 4; i++) /* four daily runs on the newest data */
        ok_run(st, dec);
    int64_t last = 0;
    for (int m = 1; m <= 3; m++) /* then a backfill of January to March */
        last = ok_run(st, ot_period_last_day(OT_FREQ_M, ot_period_make(OT_FREQ_M, 2023, m)));
    ot_run_history h;
    assert_int_equal(ot_run_history_load(st, "j", last, 4, &h, &err), OT_OK);
    assert_int_equal(h.m, 4);
    /* runs 4 (December), 5, 6, 7 (January to March), by as-of */
    assert_string_equal(h.asof[0].text, "2023-01-31");
    assert_int_equal(h.run[0]->id, 5);
    assert_string_equal(h.asof[2].text, "2023-03-31");
    assert_int_equal(h.run[2]->id, 7);
    assert_string_equal(h.asof[3].text, "2023-12-31");
    assert_int_equal(h.run[3]->id, 4);
    ot_run_history_free(&h);
    /* up to run 5: runs 2, 3, 4 on December and 5 on January */
    assert_int_equal(ot_run_history_load(st, "j", 5, 4, &h, &err), OT_OK);
    assert_int_equal(h.m, 4);
    assert_int_equal(h.run[0]->id, 5);
    assert_int_equal(h.run[1]->id, 2);
    assert_int_equal(h.run[3]->id, 4);
    ot_run_history_free(&h);
}

/* JSON round trip of every status, and the refusals. */
static void test_run_json(void **state)
{
    (void)state;
    ot_err err;
    for (int k = 0; k < 9; k++) {
        ot_projection p, q;
        distinct(&p, k);
        char *j = run_proj_to_json(&p, &err);
        assert_non_null(j);
        assert_int_equal(run_proj_from_json(j, &q, &err), OT_OK);
        assert_same(&p, &q);
        free(j);
    }
    ot_projection q;
    distinct(&q, 2);
    ot_projection keep = q;
    assert_int_equal(run_proj_from_json("{\"status\": \"on track\"}", &q, &err), OT_EDATA);
    assert_string_equal(err.msg, "stored projection: bad field 'status'");
    assert_int_equal(run_proj_from_json("{\"periods_left\": 1.5}", &q, &err), OT_EDATA);
    assert_string_equal(err.msg, "stored projection: bad field 'periods_left'");
    assert_int_equal(run_proj_from_json("[1]", &q, &err), OT_EDATA);
    assert_memory_equal(&q, &keep, sizeof q); /* untouched */
    /* a field saved before it existed keeps its "nothing projected" value */
    assert_int_equal(run_proj_from_json("{\"status\": \"met\", \"point\": 2.5}", &q, &err), OT_OK);
    assert_int_equal(q.status, OT_STATUS_MET);
    assert_true(q.point == 2.5 && isnan(q.prob) && q.method.code == OT_FACT_NONE);
}

static void put(ot_store *st, const char *key, ot_freq f, ot_ord o, double v)
{
    ot_err err;
    if (ot_store_put_obs(st, key, OT_MEASURE_VALUE, (ot_period){f, o, 1}, v, 19000 + (int32_t)o % 1000,
                         NULL, 0, NULL, &err) != OT_OK)
        fail_msg("put_obs: %s", err.msg);
}

/* "latest": the newest period with data among the targets' series and refs
 * (not another series' later data), the finer one at the same end; a date
 * and a period as given. */
static void test_run_asof_latest(void **state)
{
    ot_store *st = *state;
    ot_err err;
    put(st, "a", OT_FREQ_M, ot_period_make(OT_FREQ_M, 2023, 7), 1);
    put(st, "b", OT_FREQ_Q, ot_period_make(OT_FREQ_Q, 2023, 3), 1);
    put(st, "r", OT_FREQ_M, ot_period_make(OT_FREQ_M, 2023, 9), 1);
    put(st, "later", OT_FREQ_M, ot_period_make(OT_FREQ_M, 2026, 8), 1);
    ot_target t;
    ot_target_init(&t);
    t.series = "a";
    t.year = 2023;
    t.value = 1;
    assert_int_equal(ot_store_put_target(st, &t, NULL, &err), OT_OK);
    t.series = "b";
    assert_int_equal(ot_store_put_target(st, &t, NULL, &err), OT_OK);
    ot_run_set s = {0};
    assert_int_equal(ot_run_targets(st, 2023, NULL, &s, &err), OT_OK);
    ot_run_asof a;
    assert_int_equal(ot_run_asof_resolve(st, &s, "latest", &a, &err), OT_OK);
    assert_string_equal(a.text, "2023Q3"); /* b ends 30 Sep, a in July */
    assert_int_equal(ot_run_asof_resolve(st, &s, NULL, &a, &err), OT_OK);
    assert_string_equal(a.text, "2023Q3");
    ot_run_set_free(&s);
    t.series = "a";
    t.kind = OT_TARGET_RELATIVE;
    t.ref = "r";
    assert_int_equal(ot_store_put_target(st, &t, NULL, &err), OT_OK);
    assert_int_equal(ot_run_targets(st, 2023, "a", &s, &err), OT_OK);
    assert_int_equal(s.n, 2);
    assert_int_equal(ot_run_asof_resolve(st, &s, "latest", &a, &err), OT_OK);
    assert_string_equal(a.text, "2023-09"); /* the ref's September */
    assert_int_equal(a.through.freq, OT_FREQ_M);
    /* data of a later year do not move the as-of of 2023's targets past 2023 */
    put(st, "r", OT_FREQ_M, ot_period_make(OT_FREQ_M, 2024, 3), 1);
    assert_int_equal(ot_run_asof_resolve(st, &s, "latest", &a, &err), OT_OK);
    assert_string_equal(a.text, "2023-12");
    assert_int_equal(ot_run_asof_resolve(st, &s, "2023-10-31", &a, &err), OT_OK);
    assert_string_equal(a.text, "2023-10-31");
    assert_int_equal(a.through.freq, OT_FREQ_NONE);
    assert_int_equal(ot_run_asof_resolve(st, &s, "2023-06", &a, &err), OT_OK);
    assert_string_equal(a.text, "2023-06");
    assert_int_equal(ot_run_asof_resolve(st, &s, "soon", &a, &err), OT_EDATA);
    assert_string_equal(err.msg, "as_of 'soon' is neither \"latest\", a date (2023-10-31) nor a "
                                 "period (2023-09)");
    ot_run_set_free(&s);
    /* no targets: the newest vintage stored */
    assert_int_equal(ot_run_asof_resolve(st, NULL, "latest", &a, &err), OT_OK);
    int32_t newest;
    assert_int_equal(ot_store_latest_vintage(st, &newest, &err), OT_OK);
    assert_int_equal(a.days, newest);
    assert_int_equal(a.through.freq, OT_FREQ_NONE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_run_fields_cover_the_projection),
        cmocka_unit_test(test_run_json),
        cmocka_unit_test(test_run_asof_parse),
        MEM_STORE_TEST(test_run_load_unlabelled),
        MEM_STORE_TEST(test_run_history_last_made),
        MEM_STORE_TEST(test_run_save_load_exactly),
        MEM_STORE_TEST(test_run_asof_latest),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
