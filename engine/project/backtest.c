/* backtest.c — accuracy and calibration of full-year growth projections
 * over past years (backtest.h; docs/backtest.md). */
#include "project/backtest.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/target.h"

void ot_backtest_init(ot_backtest *b)
{
    b->series = b->cases = b->n_prob = 0;
    b->brier = NAN;
    b->sum_brier = 0;
    for (int m = 0; m < OT_BT_MONTHS; m++)
        b->month[m] = (ot_backtest_month){0, NAN, 0, NAN, 0, 0};
    for (int k = 0; k < OT_BT_BINS; k++)
        b->bin[k] = (ot_backtest_bin){0, NAN, NAN, 0, 0};
}

void ot_backtest_add_point(ot_backtest *b, int month, double point, double carry, double outcome)
{
    if (month < 1 || month > OT_BT_MONTHS || isnan(point) || isnan(outcome))
        return;
    ot_backtest_month *m = &b->month[month - 1];
    m->n++;
    m->sum += fabs(point - outcome);
    if (!isnan(carry)) {
        m->n_carry++;
        m->sum_carry += fabs(carry - outcome);
    }
}

void ot_backtest_add_prob(ot_backtest *b, double prob, int met)
{
    if (isnan(prob))
        return;
    prob = prob < 0 ? 0 : prob > 1 ? 1 : prob;
    double o = met ? 1.0 : 0.0;
    b->n_prob++;
    b->sum_brier += (prob - o) * (prob - o);
    int k = (int)(prob * OT_BT_BINS);
    if (k >= OT_BT_BINS)
        k = OT_BT_BINS - 1;
    b->bin[k].n++;
    b->bin[k].sum_prob += prob;
    b->bin[k].hits += o;
}

void ot_backtest_finish(ot_backtest *b)
{
    for (int m = 0; m < OT_BT_MONTHS; m++) {
        ot_backtest_month *x = &b->month[m];
        x->mae = x->n ? x->sum / (double)x->n : NAN;
        x->mae_carry = x->n_carry ? x->sum_carry / (double)x->n_carry : NAN;
    }
    b->brier = b->n_prob ? b->sum_brier / (double)b->n_prob : NAN;
    for (int k = 0; k < OT_BT_BINS; k++) {
        ot_backtest_bin *x = &b->bin[k];
        x->mean_prob = x->n ? x->sum_prob / (double)x->n : NAN;
        x->freq = x->n ? x->hits / (double)x->n : NAN;
    }
}

/* A growth target of key for year y at value (borrowing key, not owning it). */
static void growth_target(ot_target *t, const char *key, int y, double value)
{
    ot_target_init(t);
    t->series = (char *)key;
    t->year = y;
    t->kind = OT_TARGET_GROWTH;
    t->op = OT_OP_GE;
    t->value = value;
}

/* How it works: one batch projects every series-year on all the data to
 * learn the outcomes (has_outcome); then, per target year and as-of month,
 * one batch holds three targets per testable series (last year's growth
 * G - 2, G, G + 2) cut at that month.  The targets differ only in value,
 * so they share a random stream (projection.h) and their probabilities are
 * consistent with one another. */
int ot_backtest_run(const ot_backtest_series *s, size_t n, ot_source_fn src, void *ud,
                    const ot_backtest_opts *o, ot_backtest *out, ot_err *err)
{
    ot_backtest b;
    ot_backtest_init(&b);
    int y0 = 0, y1 = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i].last_year < s[i].first_year)
            return ot_err_set(err, OT_EINVAL, "%s: last year %d before first year %d", s[i].key,
                              s[i].last_year, s[i].first_year);
        if (i == 0 || s[i].first_year < y0)
            y0 = s[i].first_year;
        if (i == 0 || s[i].last_year > y1)
            y1 = s[i].last_year;
    }
    if (o->year_from && o->year_to && o->year_from > o->year_to)
        return ot_err_set(err, OT_EINVAL, "years %d-%d: the first is after the last", o->year_from,
                          o->year_to);
    if (n == 0) {
        ot_backtest_finish(&b);
        *out = b;
        return OT_OK;
    }
    size_t ny = (size_t)(y1 - y0 + 1);
    ot_proj_opts po;
    ot_proj_opts_init(&po);
    po.paths = o->paths ? o->paths : 1000;
    po.seed = o->seed;
    po.method = o->method;
    po.shape = o->shape;
    po.threads = o->threads;
    po.intervals = o->intervals;

    int rc = OT_OK;
    double *outcome = malloc(n * ny * sizeof *outcome);
    unsigned char *tested = calloc(n, 1);
    size_t cap = n * (ny > 3 ? ny : 3);
    ot_target *t = malloc(cap * sizeof *t);
    ot_projection *p = malloc(cap * sizeof *p);
    size_t *who = malloc(cap * sizeof *who);
    if (!outcome || !tested || !t || !p || !who) {
        rc = ot_err_set(err, OT_ENOMEM, "out of memory");
        goto done;
    }

    /* the outcomes, [i * ny + (y - y0)] */
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        for (int y = s[i].first_year + 1; y <= s[i].last_year; y++) {
            growth_target(&t[k], s[i].key, y, 0);
            who[k++] = i * ny + (size_t)(y - y0);
        }
    for (size_t j = 0; j < n * ny; j++)
        outcome[j] = NAN;
    if (k && (rc = ot_project_many(t, k, src, ud, &po, p, err)))
        goto done;
    for (size_t j = 0; j < k; j++)
        if (p[j].has_outcome)
            outcome[who[j]] = p[j].outcome;

    int from = o->year_from ? o->year_from : y0, to = o->year_to ? o->year_to : y1;
    for (int y = from > y0 + 1 ? from : y0 + 1; y <= to && y <= y1; y++) {
        /* the series testable in year y */
        size_t m = 0;
        for (size_t i = 0; i < n; i++) {
            double now = outcome[i * ny + (size_t)(y - y0)];
            double before = outcome[i * ny + (size_t)(y - 1 - y0)];
            if (isnan(now) || isnan(before))
                continue;
            for (int d = -1; d <= 1; d++) {
                growth_target(&t[m], s[i].key, y, before + d * OT_BT_SPREAD);
                who[m++] = i;
            }
            b.cases++;
            tested[i] = 1;
        }
        if (m == 0)
            continue;
        for (int month = 1; month <= OT_BT_MONTHS; month++) {
            char cut[16];
            snprintf(cut, sizeof cut, "%04d-%02d", y, month);
            po.as_of_period = cut;
            if ((rc = ot_project_many(t, m, src, ud, &po, p, err)))
                goto done;
            for (size_t j = 0; j < m; j += 3) {
                double G = outcome[who[j] * ny + (size_t)(y - y0)];
                const ot_projection *c = &p[j + 1]; /* the target at last year's growth */
                if (c->status != OT_STATUS_NO_DATA)
                    ot_backtest_add_point(&b, month, c->point, c->carry, G);
                for (size_t d = 0; d < 3; d++)
                    if (p[j + d].status != OT_STATUS_NO_DATA)
                        ot_backtest_add_prob(&b, p[j + d].prob, ot_target_test(&t[j + d], G));
            }
        }
        po.as_of_period = NULL;
    }
    for (size_t i = 0; i < n; i++)
        b.series += tested[i];
    ot_backtest_finish(&b);
    *out = b;
done:
    free(who);
    free(p);
    free(t);
    free(tested);
    free(outcome);
    return rc;
}
