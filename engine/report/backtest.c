/* backtest.c — the backtest's tables and JSON (backtest.h; docs/backtest.md). */
#include "report/backtest.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/facts.h"
#include "report/table.h"

#define NAME_MAX_W 30 /* display columns of a series key in the tables */


/* A number with d decimals, "" for NaN; with a trailing '*' when worse,
 * a trailing blank otherwise (so that marked and unmarked columns align). */
static const char *num(double x, int d, int mark, char *buf, size_t cap)
{
    if (isnan(x))
        buf[0] = '\0';
    else
        snprintf(buf, cap, "%.*f%s", d, x, mark < 0 ? "" : mark ? "*" : " ");
    return buf;
}

/* The model's figure x (marked '*' when worse) and the spreadsheet's y,
 * with d decimals, or as many more (up to 4) as it takes to show the
 * difference behind a mark: "0.483* 0.480", never "0.48* 0.48". */
static void num_pair(double x, double y, int d, int mark, char *bx, char *by, size_t cap)
{
    for (; mark && d < 4 && !isnan(x) && !isnan(y); d++) {
        char a[32], b[32];
        snprintf(a, sizeof a, "%.*f", d, x);
        snprintf(b, sizeof b, "%.*f", d, y);
        if (strcmp(a, b) != 0)
            break;
    }
    num(x, d, mark, bx, cap);
    num(y, d, -1, by, cap);
}

/* A share as a whole percentage, "" for NaN. */
static const char *pct(double x, char *buf, size_t cap)
{
    if (isnan(x))
        buf[0] = '\0';
    else
        snprintf(buf, cap, "%.0f%%", 100 * x);
    return buf;
}

/* "3-9" or "6": the as-of months of o. */
static void months_of(const ot_backtest_opts *o, int *m0, int *m1)
{
    *m0 = o->month_from ? o->month_from : 1;
    *m1 = o->month_to ? o->month_to : OT_BT_MONTHS;
}

/* The excluded years as "2020-2021, 2023" into buf. */
static void years_list(const int *y, size_t n, char *buf, size_t cap)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && len < cap; i++) {
        size_t j = i;
        while (j + 1 < n && y[j + 1] == y[j] + 1)
            j++;
        int w = j > i ? snprintf(buf + len, cap - len, "%s%d-%d", i ? ", " : "", y[i], y[j])
                      : snprintf(buf + len, cap - len, "%s%d", i ? ", " : "", y[i]);
        len += w > 0 ? (size_t)w : 0;
        i = j;
    }
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* The header: what was run and on what. */
static void print_head(const ot_backtest *b, const ot_backtest_row *rows, size_t n,
                       const ot_backtest_opts *o, FILE *f)
{
    fprintf(f, "backtest: %zu series, %zu series-years; method %s%s, %zu paths\n", b->series,
            b->cases, o->method ? o->method : "auto",
            o->intervals == OT_PI_CV ? " (cv intervals)" : "", o->paths ? o->paths : 1000);
    int m0, m1, y0 = 0, y1 = 0;
    months_of(o, &m0, &m1);
    for (size_t i = 0; i < n; i++) {
        if (rows[i].first && (!y0 || rows[i].first < y0))
            y0 = rows[i].first;
        if (rows[i].last > y1)
            y1 = rows[i].last;
    }
    if (m0 == m1)
        fprintf(f, "as of month %d", m0);
    else
        fprintf(f, "as of months %d-%d", m0, m1);
    if (y0 && y0 == y1)
        fprintf(f, "; target year %d", y0); /* one year, not 2018-2018 */
    else if (y0)
        fprintf(f, "; target years %d-%d", y0, y1);
    if (o->n_exclude) {
        int ex[OT_BT_YEARS_MAX];
        char buf[512];
        size_t ne = o->n_exclude < OT_BT_YEARS_MAX ? o->n_exclude : OT_BT_YEARS_MAX;
        memcpy(ex, o->exclude, ne * sizeof *ex);
        qsort(ex, ne, sizeof *ex, cmp_int);
        years_list(ex, ne, buf, sizeof buf);
        fprintf(f, "; left out: %s", buf);
    }
    fputc('\n', f);
}

/* The headline: how many series the model loses on. */
static void print_headline(const ot_backtest *b, size_t n, FILE *f)
{
    size_t none = n - b->compared;
    if (b->compared == 0) {
        fprintf(f, "\nagainst the spreadsheet: no series has a year with %d earlier ones at the "
                   "same as-of month;\nnothing compared\n",
                OT_BT_RECORD_MIN);
        return;
    }
    if (b->worse_any == 0)
        fprintf(f,
                "\nagainst the spreadsheet the model is no worse on MAE or the Brier score in any "
                "of the %zu series;\non CRPS it is worse in %zu (marked *)",
                b->compared, b->worse_crps);
    else
        fprintf(f,
                "\nagainst the spreadsheet the model is WORSE in %zu of %zu series: on MAE in %zu, "
                "on the Brier score\nin %zu, on CRPS in %zu (marked *)",
                b->worse_any, b->compared, b->worse_mae, b->worse_brier, b->worse_crps);
    if (none)
        fprintf(f, "; %zu series not compared", none);
    fputc('\n', f);
}

enum { NCOL = 12 };

/* One row of the comparison: label, n, then the cell's figures with the
 * model's marked where worse than the spreadsheet's beside it. */
static int cell_row(ot_table *t, const char *label, const ot_backtest_cell *c, ot_err *err)
{
    char nb[24], a[32], ac[32], br[32], bb[32], c80[16], c95[16], w80[32], w95[32], cr[32],
        cb[32];
    snprintf(nb, sizeof nb, "%zu", c->n);
    unsigned wr = ot_backtest_cell_worse(c);
    num_pair(c->mae, c->mae_carry, 2, (wr & OT_BT_WORSE_MAE) != 0, a, ac, sizeof a);
    num_pair(c->brier, c->brier_base, 3, (wr & OT_BT_WORSE_BRIER) != 0, br, bb, sizeof br);
    num_pair(c->crps, c->crps_base, 2, (wr & OT_BT_WORSE_CRPS) != 0, cr, cb, sizeof cr);
    const char *row[NCOL] = {
        label,
        nb,
        a,
        ac,
        br,
        bb,
        pct(c->cover80, c80, sizeof c80),
        pct(c->cover95, c95, sizeof c95),
        num(c->width80, 1, -1, w80, sizeof w80),
        num(c->width95, 1, -1, w95, sizeof w95),
        cr,
        cb,
    };
    return ot_table_row(t, row, err);
}

static ot_table *cell_table(const char *first, ot_err *err)
{
    ot_table *t = ot_table_new(NCOL, err);
    if (!t)
        return NULL;
    const char *const h[NCOL] = {first, "n", "MAE ", "carry", "Brier ", "base", "cov80",
                                 "cov95", "w80", "w95", "CRPS ", "base"};
    if (ot_table_header(t, h, err)) {
        ot_table_free(t);
        return NULL;
    }
    for (size_t c = 1; c < NCOL; c++)
        ot_table_right(t, c);
    return t;
}

static int print_table(ot_table *t, FILE *f, ot_err *err)
{
    int rc = ot_table_print(t, f) == OT_OK ? OT_OK : ot_err_set(err, OT_EIO, "cannot write the table");
    ot_table_free(t);
    return rc;
}

/* The per-series summary over the months tested. */
static int print_summary(const ot_backtest *b, const ot_backtest_row *rows,
                         const ot_backtest_series *s, size_t n, FILE *f, ot_err *err)
{
    fprintf(f, "\nper series: cases with a baseline (%d earlier years at the same as-of month)\n",
            OT_BT_RECORD_MIN);
    ot_table *t = cell_table("series", err);
    if (!t)
        return err->code;
    int rc = OT_OK;
    for (size_t i = 0; i < n && !rc; i++) {
        char name[128];
        ot_fmt_clip(s[i].key, NAME_MAX_W, name, sizeof name);
        rc = cell_row(t, name, &rows[i].all, err);
    }
    if (!rc && n > 1 && !(rc = ot_table_rule(t, err)))
        rc = cell_row(t, "all", &b->all, err);
    if (rc) {
        ot_table_free(t);
        return rc;
    }
    if ((rc = print_table(t, f, err)))
        return rc;
    fprintf(f, "* worse than the figure to its right: carry-forward's MAE, the baseline's "
               "Brier score or CRPS\n");
    for (size_t i = 0; i < n; i++)
        if (rows[i].all.n == 0)
            fprintf(f, "%s: %s\n", s[i].key,
                    !rows[i].years ? "no year with a known outcome and a known year before it"
                    : !rows[i].carried
                        ? "no carry-forward figure at the months tested (nothing of the year "
                          "published yet)"
                        : "no year has the earlier years its baseline needs");
    return OT_OK;
}

/* One table of a cell per as-of month, then their total. */
static int print_by_month(const ot_backtest_cell *month, const ot_backtest_cell *all, int m0,
                          int m1, FILE *f, ot_err *err)
{
    ot_table *t = cell_table("as of", err);
    if (!t)
        return err->code;
    int rc = OT_OK;
    for (int m = m0; m <= m1 && !rc; m++) {
        char lab[24];
        snprintf(lab, sizeof lab, "month %d", m);
        rc = cell_row(t, lab, &month[m - 1], err);
    }
    if (!rc && m1 > m0 && !(rc = ot_table_rule(t, err))) {
        char lab[40];
        snprintf(lab, sizeof lab, "months %d-%d", m0, m1);
        rc = cell_row(t, lab, all, err);
    }
    if (rc) {
        ot_table_free(t);
        return rc;
    }
    return print_table(t, f, err);
}

/* The classic tables: MAE by month over every projection, then calibration. */
static int print_classic(const ot_backtest *b, int m0, int m1, FILE *f, ot_err *err)
{
    fprintf(f, "\nmean absolute error of the full-year growth, percentage points (every case)\n");
    ot_table *t = ot_table_new(4, err);
    if (!t)
        return OT_ENOMEM;
    static const char *const h1[] = {"as of", "n", "model", "carry-forward"};
    int rc = ot_table_header(t, h1, err);
    for (size_t c = 1; c < 4; c++)
        ot_table_right(t, c);
    for (int m = m0 - 1; m < m1 && !rc; m++) {
        char mon[24], nb[24], a[32], c[32];
        snprintf(mon, sizeof mon, "month %d", m + 1);
        snprintf(nb, sizeof nb, "%zu", b->month[m].n);
        const char *row[] = {mon, nb, num(b->month[m].mae, 2, -1, a, sizeof a),
                             num(b->month[m].mae_carry, 2, -1, c, sizeof c)};
        rc = ot_table_row(t, row, err);
    }
    if (rc) {
        ot_table_free(t);
        return rc;
    }
    if ((rc = print_table(t, f, err)))
        return rc;
    char br[32];
    fprintf(f, "\ncalibration: %zu probabilities of meeting a target at last year's growth "
               "and +/-%.0f points\n",
            b->n_prob, OT_BT_SPREAD);
    fprintf(f, "Brier score %s (0 is perfect; always saying 50%% scores 0.25)\n\n",
            isnan(b->brier) ? "-" : num(b->brier, 3, -1, br, sizeof br));
    if (!(t = ot_table_new(4, err)))
        return OT_ENOMEM;
    static const char *const h2[] = {"prob", "n", "mean prob", "met"};
    rc = ot_table_header(t, h2, err);
    for (size_t c = 1; c < 4; c++)
        ot_table_right(t, c);
    for (int k = 0; k < OT_BT_BINS && !rc; k++) {
        char bin[24], nb[24], mp[32], fr[32];
        snprintf(bin, sizeof bin, "%d-%d%%", 10 * k, 10 * (k + 1));
        snprintf(nb, sizeof nb, "%zu", b->bin[k].n);
        const char *row[] = {bin, nb, pct(b->bin[k].mean_prob, mp, sizeof mp),
                             pct(b->bin[k].freq, fr, sizeof fr)};
        rc = ot_table_row(t, row, err);
    }
    if (rc) {
        ot_table_free(t);
        return rc;
    }
    return print_table(t, f, err);
}

int ot_report_backtest(const ot_backtest *b, const ot_backtest_row *rows,
                       const ot_backtest_series *s, size_t n, const ot_backtest_opts *o,
                       ot_report_bt_by by, FILE *f, ot_err *err)
{
    int m0, m1, rc;
    months_of(o, &m0, &m1);
    print_head(b, rows, n, o, f);
    print_headline(b, n, f);
    if ((rc = print_summary(b, rows, s, n, f, err)))
        return rc;
    if (by == OT_REPORT_BT_MONTH)
        return print_classic(b, m0, m1, f, err);
    for (size_t i = 0; i < n; i++) {
        const ot_backtest_row *w = &rows[i];
        if (w->all.n == 0)
            continue;
        char span[32];
        if (w->first == w->last)
            snprintf(span, sizeof span, "%d", w->first);
        else
            snprintf(span, sizeof span, "%d-%d", w->first, w->last);
        fprintf(f, "\n%s: %s, %zu target year%s scored (%s)\n", s[i].key,
                w->stock ? "stock (carry-forward: the latest yoy)"
                         : "flow (carry-forward: the ytd growth)",
                w->years, w->years == 1 ? "" : "s", span);
        if ((rc = print_by_month(w->month, &w->all, m0, m1, f, err)))
            return rc;
    }
    if (n > 1 && b->all.n) {
        fprintf(f, "\nall series\n");
        if ((rc = print_by_month(b->by_month, &b->all, m0, m1, f, err)))
            return rc;
    }
    if (fflush(f) || ferror(f))
        return ot_err_set(err, OT_EIO, "cannot write the report");
    return OT_OK;
}

static json_t *num_or_null(double x)
{
    return isnan(x) ? json_null() : json_real(x);
}

/* {"month": m, "n":, "n_prob":, "mae":, ...} of a cell (no month when m is 0). */
static json_t *cell_json(const ot_backtest_cell *c, int m)
{
    json_t *j = json_object();
    if (!j)
        return NULL;
    int bad = (m && json_object_set_new(j, "month", json_integer(m))) ||
              json_object_set_new(j, "n", json_integer((json_int_t)c->n)) ||
              json_object_set_new(j, "n_prob", json_integer((json_int_t)c->n_prob)) ||
              json_object_set_new(j, "mae", num_or_null(c->mae)) ||
              json_object_set_new(j, "mae_carry", num_or_null(c->mae_carry)) ||
              json_object_set_new(j, "brier", num_or_null(c->brier)) ||
              json_object_set_new(j, "brier_base", num_or_null(c->brier_base)) ||
              json_object_set_new(j, "cover80", num_or_null(c->cover80)) ||
              json_object_set_new(j, "cover95", num_or_null(c->cover95)) ||
              json_object_set_new(j, "width80", num_or_null(c->width80)) ||
              json_object_set_new(j, "width95", num_or_null(c->width95)) ||
              json_object_set_new(j, "crps", num_or_null(c->crps)) ||
              json_object_set_new(j, "crps_base", num_or_null(c->crps_base));
    if (bad) {
        json_decref(j);
        return NULL;
    }
    return j;
}

/* [{"month": m, <cell>}, ...] for months m0..m1; NULL when out of memory. */
static json_t *months_json(const ot_backtest_cell *month, int m0, int m1)
{
    json_t *a = json_array();
    for (int m = m0; a && m <= m1; m++) {
        json_t *c = cell_json(&month[m - 1], m);
        if (!c || json_array_append_new(a, c)) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

/* ["mae", "brier", "crps"]: where the cell's model is worse. */
static json_t *worse_json(const ot_backtest_cell *c)
{
    json_t *a = json_array();
    unsigned wr = ot_backtest_cell_worse(c);
    if (!a)
        return NULL;
    if (((wr & OT_BT_WORSE_MAE) && json_array_append_new(a, json_string("mae"))) ||
        ((wr & OT_BT_WORSE_BRIER) && json_array_append_new(a, json_string("brier"))) ||
        ((wr & OT_BT_WORSE_CRPS) && json_array_append_new(a, json_string("crps")))) {
        json_decref(a);
        return NULL;
    }
    return a;
}

/* Builds the whole document; NULL when out of memory.  Every container is
 * owned by root (or by the pack that made it) as soon as it exists, or held
 * here until the end, so one json_decref(root) releases everything. */
static json_t *build_json(const ot_backtest *b, const ot_backtest_row *rows,
                          const ot_backtest_series *s, size_t n, const ot_backtest_opts *o)
{
    int m0, m1;
    months_of(o, &m0, &m1);
    json_t *root = json_object(), *ex = json_array();
    for (size_t i = 0; ex && i < o->n_exclude; i++)
        if (json_array_append_new(ex, json_integer(o->exclude[i]))) {
            json_decref(ex);
            ex = NULL;
        }
    if (!root || !ex) {
        json_decref(root);
        json_decref(ex);
        return NULL;
    }
    json_t *ser = json_array(), *pts = json_array(), *bins = json_array();
    /* each set_new takes its value, NULL included (then it fails); set and
     * the pack's O take a reference of their own */
    int bad =
        json_object_set_new(
            root, "options",
            json_pack("{s:s, s:s, s:I, s:I, s:o, s:o, s:o, s:{s:i, s:i}}", "method",
                      o->method ? o->method : "auto", "intervals",
                      o->intervals == OT_PI_CV ? "cv" : "model", "paths",
                      (json_int_t)(o->paths ? o->paths : 1000), "seed",
                      (json_int_t)(o->seed ? o->seed : 1), "year_from",
                      o->year_from ? json_integer(o->year_from) : json_null(), "year_to",
                      o->year_to ? json_integer(o->year_to) : json_null(), "exclude_years", ex,
                      "months", "from", m0, "to", m1)) ||
        json_object_set_new(root, "baseline",
                            json_pack("{s:i, s:f, s:f, s:f}", "record_min", OT_BT_RECORD_MIN,
                                      "spread", OT_BT_SPREAD, "floor", 0.05, "scale", 0.9)) ||
        json_object_set_new(root, "series_tested", json_integer((json_int_t)b->series)) ||
        json_object_set_new(root, "series_years", json_integer((json_int_t)b->cases)) ||
        json_object_set_new(
            root, "worse",
            json_pack("{s:I, s:I, s:I, s:I, s:I}", "compared", (json_int_t)b->compared, "mae",
                      (json_int_t)b->worse_mae, "brier", (json_int_t)b->worse_brier, "crps",
                      (json_int_t)b->worse_crps, "mae_or_brier", (json_int_t)b->worse_any)) ||
        json_object_set_new(root, "all", cell_json(&b->all, 0)) ||
        json_object_set_new(root, "by_month", months_json(b->by_month, m0, m1)) ||
        json_object_set(root, "series", ser) ||
        json_object_set(root, "point_by_month", pts) ||
        json_object_set_new(root, "calibration",
                            json_pack("{s:I, s:o, s:O}", "n", (json_int_t)b->n_prob, "brier",
                                      num_or_null(b->brier), "bins", bins));
    for (size_t i = 0; !bad && i < n; i++) {
        const ot_backtest_row *w = &rows[i];
        json_t *x = json_pack("{s:s, s:s, s:I, s:o, s:o, s:o, s:o, s:o}", "key", s[i].key,
                              "baseline", w->stock ? "latest_yoy" : "ytd_growth", "years",
                              (json_int_t)w->years, "first",
                              w->first ? json_integer(w->first) : json_null(), "last",
                              w->last ? json_integer(w->last) : json_null(), "worse",
                              worse_json(&w->all), "all", cell_json(&w->all, 0), "by_month",
                              months_json(w->month, m0, m1));
        bad = !x || json_array_append_new(ser, x);
    }
    for (int m = m0; !bad && m <= m1; m++) {
        const ot_backtest_month *x = &b->month[m - 1];
        bad = json_array_append_new(
            pts, json_pack("{s:i, s:I, s:o, s:I, s:o}", "month", m, "n", (json_int_t)x->n, "mae",
                           num_or_null(x->mae), "n_carry", (json_int_t)x->n_carry, "mae_carry",
                           num_or_null(x->mae_carry)));
    }
    for (int k = 0; !bad && k < OT_BT_BINS; k++) {
        const ot_backtest_bin *x = &b->bin[k];
        bad = json_array_append_new(
            bins, json_pack("{s:f, s:f, s:I, s:o, s:o}", "from", k / (double)OT_BT_BINS, "to",
                            (k + 1) / (double)OT_BT_BINS, "n", (json_int_t)x->n, "mean_prob",
                            num_or_null(x->mean_prob), "met", num_or_null(x->freq)));
    }
    /* root (or the calibration) holds its own references to these */
    json_decref(ser);
    json_decref(pts);
    json_decref(bins);
    if (bad) {
        json_decref(root);
        return NULL;
    }
    return root;
}

struct ot_report_bt_cases {
    json_t *a; /* the array of cases */
    int oom;
};

ot_report_bt_cases *ot_report_bt_cases_new(void)
{
    ot_report_bt_cases *c = malloc(sizeof *c);
    if (!c)
        return NULL;
    if (!(c->a = json_array())) {
        free(c);
        return NULL;
    }
    c->oom = 0;
    return c;
}

void ot_report_bt_cases_free(ot_report_bt_cases *c)
{
    if (!c)
        return;
    json_decref(c->a);
    free(c);
}

/* [x[0], ..., x[n - 1]] with null for NaN; NULL when out of memory. */
static json_t *nums_json(const double *x, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        if (json_array_append_new(a, num_or_null(x[i]))) {
            json_decref(a);
            return NULL;
        }
    return a;
}

void ot_report_bt_case_add(void *ud, const char *key, int year, int month,
                           const ot_backtest_case *k, int compared, const ot_proj_fact *mf)
{
    char method[256];
    ot_report_fact(mf, NULL, OT_LANG_EN, NULL, 0, method, sizeof method);
    ot_report_bt_cases *c = ud;
    if (c->oom)
        return;
    double pb[OT_BT_TARGETS], crps = NAN, crps_base = NAN;
    for (int j = 0; j < OT_BT_TARGETS; j++)
        pb[j] = compared ? ot_backtest_base_prob(k->carry, k->err, k->n_err, k->target[j]) : NAN;
    if (compared) {
        const double q[5] = {k->lo95, k->lo80, k->point, k->hi80, k->hi95};
        crps = ot_backtest_crps_quantiles(q, k->outcome);
        crps_base = ot_backtest_crps_sample(k->err, k->n_err, k->outcome - k->carry);
    }
    json_t *x = json_pack(
        "{s:s, s:i, s:i, s:s, s:b, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, "
        "s:o}",
        "series", key, "year", year, "month", month, "method", method, "compared", compared,
        "outcome", num_or_null(k->outcome), "point", num_or_null(k->point), "lo95",
        num_or_null(k->lo95), "lo80", num_or_null(k->lo80), "hi80", num_or_null(k->hi80), "hi95",
        num_or_null(k->hi95), "carry", num_or_null(k->carry), "record",
        nums_json(k->err, k->n_err), "targets", nums_json(k->target, OT_BT_TARGETS), "prob",
        nums_json(k->prob, OT_BT_TARGETS), "prob_base", nums_json(pb, OT_BT_TARGETS), "crps",
        num_or_null(crps), "crps_base", num_or_null(crps_base));
    if (!x || json_array_append_new(c->a, x))
        c->oom = 1;
}

int ot_report_backtest_json(const ot_backtest *b, const ot_backtest_row *rows,
                            const ot_backtest_series *s, size_t n, const ot_backtest_opts *o,
                            const ot_report_bt_cases *cases, FILE *f, ot_err *err)
{
    if (cases && cases->oom)
        return ot_err_set(err, OT_ENOMEM, "out of memory");
    json_t *root = build_json(b, rows, s, n, o);
    if (!root || (cases && json_object_set(root, "cases", cases->a))) {
        json_decref(root);
        return ot_err_set(err, OT_ENOMEM, "out of memory");
    }
    int rc = json_dumpf(root, f, JSON_INDENT(2) | JSON_REAL_PRECISION(10)) == 0 ? OT_OK : OT_EIO;
    json_decref(root);
    if (rc == OT_OK && (fputc('\n', f) == EOF || fflush(f) || ferror(f)))
        rc = OT_EIO;
    return rc ? ot_err_set(err, rc, "cannot write the JSON") : OT_OK;
}
