/* md.c — the report as Markdown (md.h): heading, as-of line, pipe table,
 * notes, scenario comparisons; data text backslash-escaped. */
#include "report/md.h"

#include <math.h>
#include <string.h>

#include "report/words.h"

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
    fputs("# ", f);
    ot_md_escape(f, doc->title && doc->title[0] ? doc->title : w->title);
    fprintf(f, "\n\n%s: ", w->as_of);
    ot_md_escape(f, doc->as_of ? doc->as_of : w->latest);
    if (doc->method) {
        fprintf(f, " · %s: ", w->method);
        ot_md_escape(f, doc->method);
    }
    if (doc->source) {
        fprintf(f, " · %s: ", w->source);
        ot_md_escape(f, doc->source);
    }
    fprintf(f, "\n\n| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n"
               "|---|---|---|--:|--:|--:|--:|--:|---|\n",
            w->target, w->test, w->through, w->ytd, w->point, w->range80, w->prob, w->required,
            w->status);
    size_t nnotes = 0;
    for (size_t i = 0; i < doc->n; i++) {
        const ot_target *t = doc->items[i].target;
        const ot_projection *p = doc->items[i].proj;
        char buf[160], a[64], b[64];
        fputs("| ", f);
        ot_md_escape(f, t->label && t->label[0] ? t->label : t->series);
        fputs(" | ", f);
        ot_md_escape(f, report_fmt_item_test(&doc->items[i], doc->lang, buf, sizeof buf));
        fputs(" | ", f);
        ot_md_escape(f, p->latest);
        fputs(" | ", f);
        if (!isnan(p->ytd_growth))
            fprintf(f, "%.1f%%", p->ytd_growth);
        fprintf(f, " | %s | ", report_fmt_metric(t, p->point, doc->lang, buf, sizeof buf));
        if (!isnan(p->lo80) && !isnan(p->hi80))
            fprintf(f, "%s – %s", report_fmt_metric(t, p->lo80, doc->lang, a, sizeof a),
                    report_fmt_metric(t, p->hi80, doc->lang, b, sizeof b));
        fputs(" | ", f);
        if (!isnan(p->prob))
            fprintf(f, "%.0f%%", 100 * p->prob);
        fputs(" | ", f);
        if (!isnan(p->required))
            fprintf(f, "%.1f%%", p->required);
        fprintf(f, " | %s", report_status(w, p->status));
        if (p->notes[0])
            fprintf(f, " [%zu]", ++nnotes);
        fputs(" |\n", f);
    }
    if (nnotes)
        fputc('\n', f);
    for (size_t i = 0, k = 0; i < doc->n; i++) {
        const ot_target *t = doc->items[i].target;
        const ot_projection *p = doc->items[i].proj;
        if (!p->notes[0])
            continue;
        fprintf(f, "%zu. ", ++k);
        ot_md_escape(f, t->label && t->label[0] ? t->label : t->series);
        fputs(": ", f);
        ot_md_escape(f, p->notes);
        if (p->method[0]) {
            fprintf(f, " (%s: ", w->method);
            ot_md_escape(f, p->method);
            fputc(')', f);
        }
        fputc('\n', f);
    }
    for (size_t k = 0; k < doc->ncompares; k++) {
        const ot_report_compare *c = &doc->compares[k];
        char buf[64];
        fprintf(f, "\n## %s\n\n| %s |", w->scenarios, w->target);
        for (size_t j = 0; j < c->ncol; j++) {
            fputc(' ', f);
            ot_md_escape(f, c->names[j]);
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
                if (!isnan(p->prob))
                    fprintf(f, " %.0f%% |", 100 * p->prob);
                else
                    fputs(" |", f);
            }
            fputc('\n', f);
        }
    }
    if (ferror(f))
        return ot_err_set(err, OT_EIO, "cannot write the Markdown report");
    return OT_OK;
}
