/* status.c — the status table, the comparison table and the text format. */
#include "report/status.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "project/kinds.h"
#include "report/facts.h"
#include "report/num.h"
#include "report/table.h"
#include "report/words.h"

char *ot_fmt_metric(const ot_target *t, double x, char *buf, size_t cap)
{
    return report_fmt_metric(t, x, OT_LANG_EN, buf, cap);
}

char *ot_fmt_test(const ot_target *t, char *buf, size_t cap)
{
    return report_fmt_test_ref(t, OT_LANG_EN, NULL, buf, cap);
}

/* Whether a projection's note deserves a footnote: the status column says
 * "no data" and "unquantified" well enough — but not that no series has the
 * key at all (a mistyped key: the note names the near one), nor that the
 * series has growth rates and the target needs levels, nor that the year's
 * figure is out without its growth (a row "through 2023-12 ... no data"),
 * nor that the year is before the series' data begin, nor that a level
 * target is stated in another unit than its series', nor that the ref of a
 * relative or in_step target has no data (its row shows the series' own). */
static int footnoted(const ot_projection *p)
{
    if (!p->notes.n || p->status == OT_STATUS_UNQUANTIFIED)
        return 0;
    if (p->status != OT_STATUS_NO_DATA)
        return 1;
    for (int i = 0; i < p->notes.n; i++)
        switch (p->notes.f[i].code) {
        case OT_N_NO_SERIES:
        case OT_N_LEVELS_NONE:
        case OT_N_NO_GROWTH:
        case OT_N_NO_OUTCOME:
        case OT_N_BEFORE_DATA: /* a year before the data: a typo for a later one? */
        case OT_N_UNIT_OTHER:  /* a level target in another unit than its series' */
        case OT_N_BASE_NOT_POSITIVE: /* last year's total not above 0: no growth on it */
            return 1;
        default:
            if (p->notes.f[i].of_ref) /* the row shows the series' data: the ref has none */
                return 1;
        }
    return 0;
}

/* s on one line into buf: each control character (a line break, a tab, an
 * escape sequence's ESC) a space, as the table makes its cells.  Returns buf. */
static char *one_line(const char *s, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s", s ? s : "");
    for (unsigned char *p = (unsigned char *)buf; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            *p = ' ';
    return buf;
}

/* The range "lo .. hi" (English) / "lo – hi" (Chinese); "" when either is
 * unknown. */
static char *fmt_range(const ot_target *t, double lo, double hi, ot_report_lang lang, char *buf,
                       size_t cap)
{
    return report_fmt_range(t, lo, hi, lang, lang == OT_LANG_ZH ? " – " : " .. ", buf, cap);
}

/* The status table of doc: its indicators by name, in its language.  The
 * English headers are the terminal's short ones (scripts read them). */
static int status_table(const ot_report_doc *doc, FILE *f, ot_err *err)
{
    static const char *const head_en[] = {"target", "test",     "through", "ytd",    "point",
                                          "80% range", "prob", "required", "carry",  "status",
                                          "outcome"};
    const ot_report_lang lang = doc->lang == OT_LANG_EN ? OT_LANG_EN : OT_LANG_ZH;
    const int zh = lang == OT_LANG_ZH;
    const report_words *w = report_words_of(lang);
    const char *const head_zh[] = {w->target, w->test,     w->through, w->ytd,    w->point,
                                   w->range80, w->prob,    w->required, w->carry, w->status,
                                   w->outcome};
    size_t n = doc->n;
    int any_outcome = 0;
    for (size_t i = 0; i < n; i++)
        any_outcome |= doc->items[i].proj->has_outcome || !isnan(doc->items[i].proj->outcome);
    ot_table *tab = ot_table_new(any_outcome ? 11 : 10, err);
    if (!tab)
        return OT_ENOMEM;
    int rc = ot_table_header(tab, zh ? head_zh : head_en, err);
    for (size_t j = 3; j < 9; j++)
        ot_table_right(tab, j);
    ot_table_right(tab, 10);
    size_t nnotes = 0;
    for (size_t i = 0; i < n && rc == OT_OK; i++) {
        const ot_report_item *it = &doc->items[i];
        const ot_target *ti = it->target;
        const ot_projection *pi = it->proj;
        char test[256], through[48], ytd[48] = "", point[48], range[112], prob[16] = "",
             req[48] = "", carry[48], outc[48], status[48], lab[160];
        /* the row's label names the indicator; the test names only the
         * reference (so the table stays readable on a terminal) */
        report_fmt_test_named(ti, lang, it->kind, NULL, zh ? it->ref_name : it->ref_name_en, test,
                              sizeof test);
        if (zh)
            report_fmt_period(pi->latest, lang, through, sizeof through);
        else
            snprintf(through, sizeof through, "%s", pi->latest);
        ot_fmt_growth(pi->ytd_growth, ytd, sizeof ytd);
        report_fmt_metric(ti, pi->point, lang, point, sizeof point);
        fmt_range(ti, pi->lo80, pi->hi80, lang, range, sizeof range);
        ot_fmt_prob(pi->prob, prob, sizeof prob);
        ot_fmt_growth(pi->required, req, sizeof req);
        report_fmt_metric(ti, pi->carry, lang, carry, sizeof carry);
        report_fmt_metric(ti, pi->outcome, lang, outc, sizeof outc);
        snprintf(status, sizeof status, "%s", report_status(w, pi->status));
        if (footnoted(pi))
            snprintf(status + strlen(status), sizeof status - strlen(status), " [%zu]", ++nnotes);
        ot_fmt_clip(ti->label && ti->label[0] ? ti->label : report_item_name(doc, it), 36, lab,
                    sizeof lab);
        const char *row[] = {lab, test, through, ytd, point, range, prob, req, carry, status, outc};
        rc = ot_table_row(tab, row, err);
    }
    if (rc == OT_OK && ot_table_print(tab, f) != OT_OK)
        rc = ot_err_set(err, OT_EIO, "cannot write the table");
    ot_table_free(tab);
    if (rc != OT_OK)
        return rc;
    if (nnotes)
        fputc('\n', f);
    char notes[2048], method[256];
    for (size_t i = 0, k = 0; i < n; i++) {
        const ot_report_item *it = &doc->items[i];
        if (!footnoted(it->proj))
            continue;
        char lab[512], name[256];
        one_line(report_item_name(doc, it), name, sizeof name);
        one_line(it->target->label && it->target->label[0] ? it->target->label : name, lab,
                 sizeof lab); /* a label from a quoted CSV cell may hold line breaks */
        report_item_notes(doc, i, notes, sizeof notes);
        /* nothing projected (a mistyped key, no data): no method to name */
        method[0] = '\0';
        if (it->proj->method.code && !report_item_method_said(doc, i))
            report_item_method(doc, i, method, sizeof method);
        if (zh)
            fprintf(f, "[%zu] %s（%s）：%s", ++k, lab, name, notes);
        else
            fprintf(f, "[%zu] %s (%s): %s", ++k, lab, name, notes);
        if (method[0] && zh)
            fprintf(f, "；%s：%s", w->method, method);
        else if (method[0])
            fprintf(f, "; method: %s", method);
        fputc('\n', f);
    }
    return OT_OK;
}

/* The comparison table in lang. */
static int compare_text(const ot_report_compare *c, ot_report_lang lang, FILE *f, ot_err *err)
{
    const report_words *w = report_words_of(lang);
    const int zh = lang == OT_LANG_ZH;
    size_t ncol = c->ncol, n = c->n;
    ot_table *tab = ot_table_new(1 + 2 * ncol, err);
    if (!tab)
        return err ? err->code : OT_ENOMEM;
    int rc = OT_OK;
    const char **cells = calloc(1 + 2 * ncol, sizeof *cells);
    char (*bufs)[48] = calloc(2 * ncol + 1, sizeof *bufs);
    if (!cells || !bufs) {
        rc = ot_err_set(err, OT_ENOMEM, "out of memory");
        goto done;
    }
    cells[0] = zh ? w->target : "target";
    for (size_t j = 0; j < ncol; j++) {
        cells[1 + 2 * j] = zh ? report_scenario_name(w, c->names[j]) : c->names[j];
        cells[2 + 2 * j] = zh ? w->prob : "P";
        ot_table_right(tab, 1 + 2 * j);
        ot_table_right(tab, 2 + 2 * j);
    }
    if ((rc = ot_table_header(tab, cells, err)) != OT_OK)
        goto done;
    for (size_t i = 0; i < n && rc == OT_OK; i++) {
        const ot_target *t = &c->targets[i];
        cells[0] = t->label ? t->label : t->series ? t->series : "-";
        for (size_t j = 0; j < ncol; j++) {
            const ot_projection *p = &c->p[j * n + i];
            report_fmt_metric(t, p->point, lang, bufs[2 * j], sizeof bufs[0]);
            ot_fmt_prob(p->prob, bufs[2 * j + 1], sizeof bufs[0]);
            cells[1 + 2 * j] = bufs[2 * j];
            cells[2 + 2 * j] = bufs[2 * j + 1];
        }
        rc = ot_table_row(tab, cells, err);
    }
    if (rc == OT_OK && ot_table_print(tab, f) != OT_OK)
        rc = ot_err_set(err, OT_EIO, "cannot print the comparison");
done:
    free(bufs);
    free(cells);
    ot_table_free(tab);
    return rc;
}

int ot_report_compare_text(const ot_report_compare *c, ot_report_lang lang, FILE *f, ot_err *err)
{
    return compare_text(c, lang, f, err);
}

int ot_report_text(const ot_report_doc *doc, FILE *f, ot_err *err)
{
    int rc = report_check_doc(doc, err);
    if (rc == OT_OK)
        rc = status_table(doc, f, err);
    for (size_t k = 0; k < doc->ncompares && rc == OT_OK; k++) {
        fputc('\n', f);
        rc = compare_text(&doc->compares[k], doc->lang, f, err);
    }
    return rc;
}

/* The index in r of the projection of target id (or, for an unstored
 * target, of label); -1 when none. */
static long find_item(const ot_report_run *r, int64_t id, const char *label)
{
    for (size_t i = 0; i < r->n; i++)
        if (id ? r->ids[i] == id
               : (!r->ids[i] && r->t[i].label && label && strcmp(r->t[i].label, label) == 0))
            return (long)i;
    return -1;
}

int ot_report_moves_text(const ot_target *t, const int64_t *ids, size_t n,
                         const ot_report_run *runs, size_t m, ot_report_lang lang, FILE *f,
                         ot_err *err)
{
    ot_table *tab = ot_table_new(7, err);
    if (!tab)
        return err ? err->code : OT_ENOMEM;
    const int zh = lang == OT_LANG_ZH;
    const report_words *w = report_words_of(lang);
    static const char *const head_en[] = {"target", "run",  "as of", "point",
                                          "80% range", "prob", "status"};
    const char *const head_zh[] = {w->target, "运行", w->as_of, w->point,
                                   w->range80, w->prob, w->status};
    int rc = ot_table_header(tab, zh ? head_zh : head_en, err);
    for (size_t j = 1; j < 6; j++)
        ot_table_right(tab, j);
    size_t shown = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        /* targets never projected (no data, unquantified) have nothing to show */
        int any = 0;
        for (size_t h = 0; h < m && !any; h++) {
            long r = find_item(&runs[h], ids[i], t[i].label);
            any = r >= 0 && !isnan(runs[h].p[r].point);
        }
        if (!any)
            continue;
        if (shown++ > 0 && (rc = ot_table_rule(tab, err)))
            break;
        char lab[160];
        ot_fmt_clip(t[i].label ? t[i].label : t[i].series ? t[i].series : "", 36, lab, sizeof lab);
        int firstrow = 1;
        for (size_t h = 0; h < m && !rc; h++) {
            long r = find_item(&runs[h], ids[i], t[i].label);
            if (r < 0)
                continue;
            const ot_projection *q = &runs[h].p[r];
            char rid[24], point[48], range[112], prob[16] = "", asof[64];
            snprintf(rid, sizeof rid, "%lld", runs[h].id);
            report_fmt_metric(&t[i], q->point, lang, point, sizeof point);
            fmt_range(&t[i], q->lo80, q->hi80, lang, range, sizeof range);
            ot_fmt_prob(q->prob, prob, sizeof prob);
            if (zh)
                report_fmt_period(runs[h].as_of, lang, asof, sizeof asof);
            else
                snprintf(asof, sizeof asof, "%s", runs[h].as_of);
            const char *cells[] = {firstrow ? lab : "", rid, asof, point, range, prob,
                                   zh ? report_status(w, q->status) : ot_status_label(q->status, 0)};
            firstrow = 0;
            rc = ot_table_row(tab, cells, err);
        }
    }
    if (!rc && ot_table_print(tab, f) != OT_OK)
        rc = ot_err_set(err, OT_EIO, "cannot write the table");
    ot_table_free(tab);
    return rc;
}
