/* doc.c — the report document: names of languages and formats, the format
 * dispatch, HTML escaping and the document check. */
#include "report/report.h"

#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "report/csv.h"
#include "report/html.h"
#include "report/json.h"
#include "report/md.h"
#include "report/status.h"
#include "report/words.h"

void ot_report_doc_init(ot_report_doc *doc)
{
    memset(doc, 0, sizeof *doc);
    doc->lang = OT_LANG_ZH;
}

int ot_report_lang_parse(const char *s, ot_report_lang *out)
{
    if (!s)
        return -1;
    if (!strcasecmp(s, "zh") || !strcasecmp(s, "cn") || !strcasecmp(s, "zh-cn") ||
        !strcasecmp(s, "chinese")) {
        *out = OT_LANG_ZH;
        return 0;
    }
    if (!strcasecmp(s, "en") || !strcasecmp(s, "english")) {
        *out = OT_LANG_EN;
        return 0;
    }
    return -1;
}

int ot_report_format_parse(const char *s, ot_report_format *out)
{
    static const struct {
        const char *name;
        ot_report_format f;
    } names[] = {{"html", OT_REPORT_HTML}, {"htm", OT_REPORT_HTML}, {"md", OT_REPORT_MD},
                 {"markdown", OT_REPORT_MD}, {"csv", OT_REPORT_CSV}, {"json", OT_REPORT_JSON},
                 {"txt", OT_REPORT_TXT}, {"text", OT_REPORT_TXT}};
    if (!s)
        return -1;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (!strcasecmp(s, names[i].name)) {
            *out = names[i].f;
            return 0;
        }
    return -1;
}

int ot_report_format_from_path(const char *path, ot_report_format *out)
{
    const char *dot = path ? strrchr(path, '.') : NULL;
    if (!dot || strchr(dot, '/'))
        return -1;
    return ot_report_format_parse(dot + 1, out);
}

void ot_html_escape(FILE *f, const char *s)
{
    if (!s)
        return;
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default: fputc(*s, f); break;
        }
    }
}

int report_check_doc(const ot_report_doc *doc, ot_err *err)
{
    if (!doc || (doc->n && !doc->items))
        return ot_err_set(err, OT_EINVAL, "report: no document");
    for (size_t i = 0; i < doc->n; i++)
        if (!doc->items[i].target || !doc->items[i].proj)
            return ot_err_set(err, OT_EINVAL, "report: item %zu has no %s", i + 1,
                              doc->items[i].target ? "projection" : "target");
    return OT_OK;
}

static int write_format(const ot_report_doc *doc, ot_report_format fmt, FILE *f, ot_err *err)
{
    switch (fmt) {
    case OT_REPORT_TXT: return ot_report_text(doc, f, err);
    case OT_REPORT_HTML: return ot_report_html(doc, f, err);
    case OT_REPORT_MD: return ot_report_md(doc, f, err);
    case OT_REPORT_CSV: return ot_report_csv(doc, f, err);
    case OT_REPORT_JSON: return ot_report_doc_json(doc, f, err);
    }
    return ot_err_set(err, OT_EINVAL, "report: unknown format %d", (int)fmt);
}

/* Every format writes numbers with a '.', whatever LC_NUMERIC the program
 * (or a host loading the Lua module) set: the C numeric locale is used for
 * this thread while the report is written. */
int ot_report_write(const ot_report_doc *doc, ot_report_format fmt, FILE *f, ot_err *err)
{
    locale_t c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    locale_t old = c ? uselocale(c) : (locale_t)0;
    int rc = write_format(doc, fmt, f, err);
    if (c) {
        uselocale(old);
        freelocale(c);
    }
    return rc;
}
