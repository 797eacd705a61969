/* html.c — the report as one self-contained HTML page: inline CSS, inline
 * SVG charts (svg.c), no script and no external resource, A4 print rules.
 * Every text from the data goes through ot_html_escape. */
#include "report/html.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/num.h"
#include "report/words.h"

#define NOTES_CAP 4096

/* The chart's size in CSS pixels: A4 (210 mm) less 2 × 14 mm margins is
 * about 690 px at 96 px/in; the SVG scales down with the page. */
#define CHART_W 680
#define CHART_H 260

static const char css[] =
    "*{box-sizing:border-box}\n"
    "body{font-family:\"Noto Sans CJK SC\",\"Noto Sans SC\",\"Source Han Sans SC\",\"PingFang SC\","
    "\"Microsoft YaHei\",sans-serif;color:#1d1d1f;margin:0 auto;max-width:760px;padding:16px;"
    "font-size:13px;line-height:1.45}\n"
    "h1{font-size:20px;margin:0 0 4px}h2{font-size:15px;margin:0 0 2px}\n"
    ".meta{color:#555;margin:0 0 12px}.meta span{margin-right:14px}\n"
    "table.summary{border-collapse:collapse;width:100%;margin:8px 0 18px;font-size:12px}\n"
    "table.summary th,table.summary td{border-bottom:1px solid #ddd;padding:4px 5px;"
    "text-align:left;vertical-align:top}\n"
    "table.summary th{background:#f3f4f6;font-weight:600}\n"
    "td.num,td.per{text-align:right;white-space:nowrap}\n"
    ".st{display:inline-block;padding:1px 6px;border-radius:3px;white-space:nowrap;"
    "-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
    ".st-ok{background:#d9f2e1;color:#135c2e}.st-risk{background:#fdf0cc;color:#7a5300}\n"
    ".st-bad{background:#f9d6d3;color:#8a1c12}.st-none{background:#eceff1;color:#555}\n"
    "section.target{border-top:1px solid #ccc;padding-top:10px;margin-top:14px;"
    "break-inside:avoid;page-break-inside:avoid}\n"
    "section.target .sub{color:#555;margin:0 0 6px}\n"
    "svg.chart{display:block;max-width:100%;height:auto;font-size:11px}\n"
    "svg.chart text{fill:#444}\n"
    "svg.chart .grid{stroke:#e3e3e3}svg.chart .tick,svg.chart .frame{stroke:#999}\n"
    "svg.chart polyline{fill:none}svg.chart .past{stroke:#a7adb4;stroke-width:1.5}\n"
    "svg.chart .current{stroke:#1f4e9c;stroke-width:2.2;fill:#1f4e9c}svg.chart circle.past{fill:#a7adb4}\n"
    "svg.chart polyline.current{fill:none}\n"
    "svg.chart .band95{fill:#d4def2;stroke:none}svg.chart .band80{fill:#9db5e2;stroke:none}\n"
    "svg.chart .median{stroke:#1f4e9c;stroke-width:1.5;stroke-dasharray:5 3}\n"
    "svg.chart line.target{stroke:#c0392b;stroke-width:1.4;stroke-dasharray:7 4}\n"
    "svg.chart rect.target-band{fill:#c0392b;fill-opacity:.08;stroke:none}\n"
    "svg.chart text.target{fill:#c0392b}\n"
    "svg.chart line.required{stroke:#e67e22;stroke-width:2.2;stroke-dasharray:3 3}\n"
    "svg.chart text.required{fill:#b35900}svg.chart text.point{fill:#1f4e9c}\n"
    "svg.chart text.empty{fill:#888;font-size:13px}\n"
    "svg.chart .legend line.current{stroke-width:2.2}\n"
    "p.nochart{color:#666;background:#f6f7f8;border:1px dashed #ccc;padding:10px 12px;"
    "margin:6px 0;text-align:center}\n"
    "dl.figures{display:grid;grid-template-columns:max-content 1fr max-content 1fr;"
    "gap:2px 12px;margin:6px 0}\n"
    "dl.figures dt{color:#555}dl.figures dd{margin:0}\n"
    ".notes{color:#444;font-size:12px}\n"
    "p.overview{background:#f6f7f9;border-left:3px solid #1f4e9c;padding:8px 12px;margin:4px 0 14px}\n"
    "footer{color:#666;font-size:11px;margin-top:22px;border-top:1px solid #ccc;padding-top:6px;"
    "break-inside:avoid}\n"
    "footer h3{font-size:12px;margin:0 0 4px}footer dl.prov{display:grid;"
    "grid-template-columns:max-content 1fr;gap:2px 12px;margin:0 0 6px}footer dd{margin:0}\n"
    "code.key{color:#666;font-size:11px}\n"
    "svg.chart line.leader{stroke:#b8bcc2;stroke-width:0.8}\n"
    "@page{size:A4;margin:14mm}\n"
    "@media print{body{max-width:none;padding:0;font-size:11px}"
    "section.target,svg.chart,table.summary tr{break-inside:avoid;page-break-inside:avoid}"
    "table.summary{font-size:10px}h2{break-after:avoid}}\n";

/* Writes "<td class="num">text</td>" (text is produced here, not data). */
static void num_cell(FILE *f, const char *text)
{
    fprintf(f, "<td class=\"num\">%s</td>", text);
}

/* The range "lo – hi" of the metric, or "" when either end is not finite. */
static char *fmt_range(const ot_target *t, double lo, double hi, ot_report_lang lang, char *buf,
                       size_t cap)
{
    return report_fmt_range(t, lo, hi, lang, " – ", buf, cap);
}

static void status_span(FILE *f, const report_words *w, ot_proj_status s)
{
    fprintf(f, "<span class=\"st st-%s\">%s</span>", report_status_class(s), report_status(w, s));
}

static const char *item_label(const ot_target *t)
{
    return t->label && t->label[0] ? t->label : t->series ? t->series : "";
}

/* A scenario comparison: per target the point and probability under each
 * scenario. */
static void write_compare(const ot_report_compare *c, ot_report_lang lang, const report_words *w,
                          FILE *f)
{
    char buf[64];
    fprintf(f, "<section class=\"target\"><h2>%s</h2>\n<table class=\"summary\">\n<thead><tr>"
               "<th>%s</th>",
            w->scenarios, w->target);
    for (size_t j = 0; j < c->ncol; j++) {
        fputs("<th>", f);
        ot_html_escape(f, report_scenario_name(w, c->names[j]));
        fprintf(f, "</th><th>%s</th>", w->prob);
    }
    fputs("</tr></thead>\n<tbody>\n", f);
    for (size_t i = 0; i < c->n; i++) {
        fputs("<tr><td>", f);
        ot_html_escape(f, item_label(&c->targets[i]));
        fputs("</td>", f);
        for (size_t j = 0; j < c->ncol; j++) {
            const ot_projection *p = &c->p[j * c->n + i];
            num_cell(f, report_fmt_metric(&c->targets[i], p->point, lang, buf, sizeof buf));
            num_cell(f, report_fmt_prob(p->prob, buf, sizeof buf));
        }
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table></section>\n", f);
}

static void write_summary(const ot_report_doc *doc, const report_words *w, FILE *f)
{
    char buf[160];
    fprintf(f,
            "<table class=\"summary\">\n<thead><tr><th>%s</th><th>%s</th><th>%s</th>"
            "<th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead>\n"
            "<tbody>\n",
            w->target, w->test, w->through, w->ytd, w->point, w->range80, w->prob, w->required,
            w->status);
    for (size_t i = 0; i < doc->n; i++) {
        const ot_target *t = doc->items[i].target;
        const ot_projection *p = doc->items[i].proj;
        fprintf(f, "<tr class=\"st-row-%s\"><td><a href=\"#t%zu\">", report_status_class(p->status),
                i + 1);
        ot_html_escape(f, item_label(t));
        fputs("</a></td><td>", f);
        ot_html_escape(f, report_fmt_item_test(&doc->items[i], doc->lang, buf, sizeof buf));
        fputs("</td><td class=\"per\">", f);
        ot_html_escape(f, report_fmt_period(p->latest, doc->lang, buf, sizeof buf));
        fputs("</td>", f);
        num_cell(f, ot_fmt_growth(p->ytd_growth, buf, sizeof buf));
        num_cell(f, report_fmt_metric(t, p->point, doc->lang, buf, sizeof buf));
        num_cell(f, fmt_range(t, p->lo80, p->hi80, doc->lang, buf, sizeof buf));
        num_cell(f, report_fmt_prob(p->prob, buf, sizeof buf));
        num_cell(f, ot_fmt_growth(p->required, buf, sizeof buf));
        fputs("<td>", f);
        status_span(f, w, p->status);
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody>\n</table>\n", f);
}

/* One dt/dd pair; value is escaped, empty values are left out. */
static void figure(FILE *f, const char *name, const char *value)
{
    if (!value || !value[0])
        return;
    fprintf(f, "<dt>%s</dt><dd>", name);
    ot_html_escape(f, value);
    fputs("</dd>", f);
}

static int write_item(const ot_report_doc *doc, const report_words *w, size_t i, FILE *f,
                      ot_err *err)
{
    const ot_report_item *it = &doc->items[i];
    const ot_target *t = it->target;
    const ot_projection *p = it->proj;
    char buf[160];
    fprintf(f, "<section class=\"target\" id=\"t%zu\">\n<h2>", i + 1);
    ot_html_escape(f, item_label(t));
    fputs(" ", f);
    status_span(f, w, p->status);
    fputs("</h2>\n<p class=\"sub\">", f);
    const char *colon = doc->lang == OT_LANG_ZH ? "：" : ": ";
    fprintf(f, "%s%s", w->series, colon);
    ot_html_escape(f, report_item_name(doc, it));
    fprintf(f, " <code class=\"key\">");
    ot_html_escape(f, t->series);
    fprintf(f, "</code> · %s%s", w->test, colon);
    ot_html_escape(f, report_fmt_item_test(it, doc->lang, buf, sizeof buf));
    if (t->source && t->source[0]) {
        fprintf(f, " · %s%s", w->source, colon);
        ot_html_escape(f, t->source);
    }
    fputs("</p>\n", f);
    /* no data for the year or no number to test: say why instead of an
     * empty frame */
    if (report_fmt_no_chart(w, t, p, buf, sizeof buf)) {
        fputs("<p class=\"nochart\">", f);
        ot_html_escape(f, buf);
        fputs("</p>\n", f);
    } else {
        int rc = ot_report_svg(it, doc->lang, CHART_W, CHART_H, f, err);
        if (rc != OT_OK)
            return rc;
    }
    fputs("<dl class=\"figures\">", f);
    /* a level's figures with its unit, as its test: 预测 9.52亿元 */
    ot_report_lang lg = doc->lang;
    report_fmt_metric(t, p->point, lg, buf, sizeof buf);
    figure(f, w->point, report_with_unit(t, lg, buf, sizeof buf));
    figure(f, w->prob, report_fmt_prob(p->prob, buf, sizeof buf));
    fmt_range(t, p->lo80, p->hi80, lg, buf, sizeof buf);
    figure(f, w->range80, report_with_unit(t, lg, buf, sizeof buf));
    fmt_range(t, p->lo95, p->hi95, lg, buf, sizeof buf);
    figure(f, w->range95, report_with_unit(t, lg, buf, sizeof buf));
    figure(f, w->required, ot_fmt_growth(p->required, buf, sizeof buf));
    report_fmt_metric(t, p->carry, lg, buf, sizeof buf);
    figure(f, w->carry, report_with_unit(t, lg, buf, sizeof buf));
    report_fmt_metric(t, p->outcome, lg, buf, sizeof buf);
    figure(f, w->outcome, report_with_unit(t, lg, buf, sizeof buf));
    figure(f, w->through, report_fmt_period(p->latest, doc->lang, buf, sizeof buf));
    figure(f, w->vintage, it->vintage ? report_fmt_date(it->vintage, lg, buf, sizeof buf) : NULL);
    char notes[NOTES_CAP];
    /* the carry-forward's range is the notes' to explain: the method in brief */
    if (p->method.code == OT_M_CARRY_RANGE && report_item_method_said(doc, i))
        figure(f, w->method, doc->lang == OT_LANG_ZH ? "按当前进度推算" : "carry-forward");
    else
        figure(f, w->method, report_item_method(doc, i, notes, sizeof notes));
    fputs("</dl>\n", f);
    if (p->notes.n) {
        fprintf(f, "<p class=\"notes\">%s%s", w->notes, doc->lang == OT_LANG_ZH ? "：" : ": ");
        ot_html_escape(f, report_item_notes(doc, i, notes, sizeof notes));
        fputs("</p>\n", f);
    }
    fputs("</section>\n", f);
    return OT_OK;
}

int ot_report_html(const ot_report_doc *doc, FILE *f, ot_err *err)
{
    int rc = report_check_doc(doc, err);
    if (rc != OT_OK)
        return rc;
    const report_words *w = report_words_of(doc->lang);
    char tbuf[256], buf[4096];
    const char *title = report_doc_title(doc, tbuf, sizeof tbuf);
    fprintf(f, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
               "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
            w->lang_tag);
    ot_html_escape(f, title);
    fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<header>\n<h1>", css);
    ot_html_escape(f, title);
    /* 数据截至: the data's latest period (else the vintage date), 编制日期 */
    const char *colon = doc->lang == OT_LANG_ZH ? "：" : ": ";
    const char *through = report_doc_through(doc);
    fprintf(f, "</h1>\n<p class=\"meta\"><span class=\"through\">%s%s", w->as_of, colon);
    ot_html_escape(f, through     ? report_fmt_period(through, doc->lang, buf, sizeof buf)
                      : doc->as_of ? report_fmt_date(doc->as_of, doc->lang, buf, sizeof buf)
                                   : w->latest);
    fputs("</span>", f);
    if (doc->compiled) {
        fprintf(f, "<span class=\"compiled\">%s%s", w->compiled, colon);
        ot_html_escape(f, report_fmt_date(doc->compiled, doc->lang, buf, sizeof buf));
        fputs("</span>", f);
    }
    fputs("</p>\n</header>\n<p class=\"overview\">", f);
    char *overview = report_overview_new(doc); /* every target needing attention named */
    if (!overview)
        return ot_err_set(err, OT_ENOMEM, "out of memory");
    ot_html_escape(f, overview);
    free(overview);
    fprintf(f, "</p>\n<h2>%s</h2>\n", w->summary);
    write_summary(doc, w, f);
    for (size_t i = 0; i < doc->n; i++)
        if ((rc = write_item(doc, w, i, f, err)) != OT_OK)
            return rc;
    for (size_t k = 0; k < doc->ncompares; k++)
        write_compare(&doc->compares[k], doc->lang, w, f);
    /* provenance: what produced the page, from which data, by which method,
     * and the keys of the series */
    fprintf(f, "<footer>\n<h3>%s</h3>\n<dl class=\"prov\">", w->provenance);
    if (doc->source)
        figure(f, w->source, doc->source);
    figure(f, w->vintage, report_fmt_data_version(doc, buf, sizeof buf));
    if (doc->method)
        figure(f, w->method, doc->method);
    fprintf(f, "<dt>%s</dt><dd>", w->keys);
    for (size_t i = 0; i < doc->n; i++) {
        const ot_target *t = doc->items[i].target;
        if (!t->series)
            continue;
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++)
            seen = doc->items[j].target->series && strcmp(doc->items[j].target->series, t->series) == 0;
        if (seen)
            continue;
        fputs("<code class=\"key\">", f);
        ot_html_escape(f, t->series);
        fputs("</code> ", f);
    }
    fprintf(f, "</dd></dl>\n<p>%s</p>\n</footer>\n</body>\n</html>\n", w->generated);
    if (ferror(f))
        return ot_err_set(err, OT_EIO, "cannot write the HTML report");
    return OT_OK;
}
