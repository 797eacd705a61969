/* md.c — the report as Markdown (md.h): heading, as-of line, pipe table,
 * notes, scenario comparisons; data text backslash-escaped. */
#include "report/md.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/num.h"
#include "report/words.h"

/* notes and method of one target in words */
#define NOTES_CAP 4096

void ot_md_escape(FILE *f, const char *s)
{
    if (!s)
        return;
    for (; *s; s++) {
        switch (*s) {
        case '\\': case '`': case '*': case '[': case ']': case '|': case '<': case '>':
        case '&':
            fputc('\\', f);
            fputc(*s, f);
            break;
        case '\n':
        case '\r': fputc(' ', f); break;
        default: fputc(*s, f); break;
        }
    }
}

int ot_report_md(const ot_report_doc *doc, FILE *f, ot_err *err)
{
    int rc = report_check_doc(doc, err);
    if (rc != OT_OK)
        return rc;
    const report_words *w = report_words_of(doc->lang);
    char tbuf[256], buf[4096];
    const char *colon = doc->lang == OT_LANG_ZH ? "：" : ": ";
    const char *through = report_doc_through(doc);
    fputs("# ", f);
    ot_md_escape(f, report_doc_title(doc, tbuf, sizeof tbuf));
    fprintf(f, "\n\n%s%s", w->as_of, colon);
    ot_md_escape(f, through     ? report_fmt_period(through, doc->lang, buf, sizeof buf)
                    : doc->as_of ? report_fmt_date(doc->as_of, doc->lang, buf, sizeof buf)
                                 : w->latest);
    if (doc->compiled) {
        fprintf(f, " · %s%s", w->compiled, colon);
        ot_md_escape(f, report_fmt_date(doc->compiled, doc->lang, buf, sizeof buf));
    }
    fputs("\n\n", f);
    char *overview = report_overview_new(doc); /* every target needing attention named */
    if (!overview)
        return ot_err_set(err, OT_ENOMEM, "out of memory");
    ot_md_escape(f, overview);
    free(overview);
    fprintf(f, "\n\n| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n"
               "|---|---|---|--:|--:|--:|--:|--:|---|\n",
            w->target, w->test, w->through, w->ytd, w->point, w->range80, w->prob, w->required,
            w->status);
    size_t nnotes = 0;
    for (size_t i = 0; i < doc->n; i++) {
        const ot_target *t = doc->items[i].target;
        const ot_projection *p = doc->items[i].proj;
        char a[64];
        fputs("| ", f);
        ot_md_escape(f, t->label && t->label[0] ? t->label : t->series);
        fputs(" | ", f);
        ot_md_escape(f, report_fmt_item_test(&doc->items[i], doc->lang, buf, sizeof buf));
        fputs(" | ", f);
        ot_md_escape(f, report_fmt_period(p->latest, doc->lang, buf, sizeof buf));
        fputs(" | ", f);
        fputs(ot_fmt_growth(p->ytd_growth, a, sizeof a), f);
        fprintf(f, " | %s | ", report_fmt_metric(t, p->point, doc->lang, buf, sizeof buf));
        fputs(report_fmt_range(t, p->lo80, p->hi80, doc->lang, " – ", buf, sizeof buf), f);
        fputs(" | ", f);
        fputs(report_fmt_prob(p->prob, buf, sizeof buf), f);
        fputs(" | ", f);
        fputs(ot_fmt_growth(p->required, a, sizeof a), f);
        fprintf(f, " | %s", report_status(w, p->status));
        if (p->notes.n)
            fprintf(f, " [%zu]", ++nnotes);
        fputs(" |\n", f);
    }
    if (nnotes)
        fputc('\n', f);
    for (size_t i = 0, k = 0; i < doc->n; i++) {
        const ot_target *t = doc->items[i].target;
        const ot_projection *p = doc->items[i].proj;
        char notes[NOTES_CAP], method[512];
        if (!p->notes.n)
            continue;
        fprintf(f, "%zu. ", ++k);
        ot_md_escape(f, t->label && t->label[0] ? t->label : t->series);
        fputs(doc->lang == OT_LANG_ZH ? "：" : ": ", f);
        ot_md_escape(f, report_item_notes(doc, i, notes, sizeof notes));
        if (p->method.code && !report_item_method_said(doc, i)) {
            fprintf(f, doc->lang == OT_LANG_ZH ? "（%s：" : " (%s: ", w->method);
            ot_md_escape(f, report_item_method(doc, i, method, sizeof method));
            fputs(doc->lang == OT_LANG_ZH ? "）" : ")", f);
        }
        fputc('\n', f);
    }
    for (size_t k = 0; k < doc->ncompares; k++) {
        const ot_report_compare *c = &doc->compares[k];
        fprintf(f, "\n## %s\n\n| %s |", w->scenarios, w->target);
        for (size_t j = 0; j < c->ncol; j++) {
            fputc(' ', f);
            ot_md_escape(f, report_scenario_name(w, c->names[j]));
            fprintf(f, " | %s |", w->prob);
        }
        fputs("\n|---|", f);
        for (size_t j = 0; j < c->ncol; j++)
            fputs("--:|--:|", f);
        fputc('\n', f);
        for (size_t i = 0; i < c->n; i++) {
            const ot_target *t = &c->targets[i];
            fputs("| ", f);
            ot_md_escape(f, t->label && t->label[0] ? t->label : t->series);
            fputs(" |", f);
            for (size_t j = 0; j < c->ncol; j++) {
                const ot_projection *p = &c->p[j * c->n + i];
                fprintf(f, " %s |", report_fmt_metric(t, p->point, doc->lang, buf, sizeof buf));
                fprintf(f, " %s |", report_fmt_prob(p->prob, buf, sizeof buf));
            }
            fputc('\n', f);
        }
    }
    /* provenance last */
    char ver[256];
    const char *version = report_fmt_data_version(doc, ver, sizeof ver);
    if (doc->source || version || doc->method) {
        fprintf(f, "\n---\n\n%s%s", w->provenance, colon);
        const char *sep = "";
        if (doc->source) {
            fprintf(f, "%s%s%s", sep, w->source, colon);
            ot_md_escape(f, doc->source);
            sep = " · ";
        }
        if (version) {
            fprintf(f, "%s%s%s", sep, w->vintage, colon);
            ot_md_escape(f, version);
            sep = " · ";
        }
        if (doc->method) {
            fprintf(f, "%s%s%s", sep, w->method, colon);
            ot_md_escape(f, doc->method);
        }
        fputc('\n', f);
    }
    if (ferror(f))
        return ot_err_set(err, OT_EIO, "cannot write the Markdown report");
    return OT_OK;
}
