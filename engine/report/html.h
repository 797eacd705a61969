/* html.h — the report document and its renderers: HTML, Markdown, CSV, JSON.
 *
 * A report document (ot_report_doc) is a borrowed view: title, as-of date,
 * language, method, and per target the ot_target, its ot_projection and an
 * optional history series for the chart.  Renderers own nothing they are
 * given and write only to the FILE * handed in.  The HTML page is one
 * self-contained file (inline CSS and SVG, no script, no network) that
 * prints to A4; its charts are SVG drawn here (report/svg.c).  Every text
 * that comes from data is escaped.  Formats and columns: docs/reports.md.
 */
#ifndef OT_REPORT_HTML_H
#define OT_REPORT_HTML_H

#include <stddef.h>
#include <stdio.h>

#include "core/err.h"
#include "core/series.h"
#include "core/target.h"
#include "project/projection.h"

typedef enum ot_report_lang { OT_LANG_ZH = 0, OT_LANG_EN } ot_report_lang;

typedef enum ot_report_format {
    OT_REPORT_HTML = 0,
    OT_REPORT_MD,
    OT_REPORT_CSV,
    OT_REPORT_JSON
} ot_report_format;

/* One target of a report.  target and proj are required.  history is the
 * chart's history in the scale of the projected metric, so that its value at
 * the last period of a year is that year's metric: ytd growth % (累计同比)
 * for growth targets, the ytd total for level/count targets of a flow, the
 * level for stocks and rates.  It spans the previous year(s) and the target
 * year through the as-of (monthly or quarterly); NULL draws no history. */
typedef struct ot_report_item {
    const ot_target *target;
    const ot_projection *proj;
    const ot_series *history; /* may be NULL */
    const char *vintage;      /* the data's latest release date ("2023-10-20"); may be NULL */
    long long target_id;      /* the target's id in the store; 0 = not stored */
} ot_report_item;

typedef struct ot_report_doc {
    const char *title;   /* NULL = "目标进度" / "Progress towards targets" */
    const char *as_of;   /* vintage date of the data ("2023-10-20"); NULL = latest */
    ot_report_lang lang;
    const char *method;  /* method asked for ("auto"); NULL = not shown */
    const char *source;  /* what produced it: "run 12 (yiwu_2023)"; NULL = not shown */
    const ot_report_item *items;
    size_t n;
} ot_report_doc;

/* Sets doc to an empty Chinese report (every pointer NULL, n 0). */
void ot_report_doc_init(ot_report_doc *doc);

/* "zh"/"en" (also "cn", "chinese", "english"); -1 when unknown. */
int ot_report_lang_parse(const char *s, ot_report_lang *out);
/* "html", "md" (also "markdown"), "csv", "json"; -1 when unknown. */
int ot_report_format_parse(const char *s, ot_report_format *out);
/* The format for a file name's extension (.html/.htm, .md, .csv, .json);
 * -1 when the extension is none of them. */
int ot_report_format_from_path(const char *path, ot_report_format *out);

/* Writes the HTML page.  Returns OT_OK, OT_EINVAL for an item without
 * target or projection, OT_ENOMEM or OT_EIO (write failure). */
int ot_report_html(const ot_report_doc *doc, FILE *f, ot_err *err);
/* Writes a Markdown summary table plus notes (pipes in data escaped). */
int ot_report_md(const ot_report_doc *doc, FILE *f, ot_err *err);
/* Writes RFC 4180 CSV with the fixed header of docs/reports.md. */
int ot_report_csv(const ot_report_doc *doc, FILE *f, ot_err *err);
/* The same with only the first ncols columns (1..OT_REPORT_CSV_COLUMNS;
 * OT_EINVAL otherwise): the job outputs of docs/scheduling.md take 20. */
#define OT_REPORT_CSV_COLUMNS 24
int ot_report_csv_columns(const ot_report_doc *doc, size_t ncols, FILE *f, ot_err *err);
/* Writes the projection JSON of docs/formats.md (via ot_report_json). */
int ot_report_doc_json(const ot_report_doc *doc, FILE *f, ot_err *err);
/* Dispatches on fmt to one of the four above. */
int ot_report_write(const ot_report_doc *doc, ot_report_format fmt, FILE *f, ot_err *err);

/* Writes one item's chart as an inline <svg> element (width × height CSS
 * pixels, at least 240 × 120): history by year, the fan of 80% and 95%
 * bands to the year end, the target line and the required path.  Same
 * failures as ot_report_html; OT_EINVAL for a smaller size. */
int ot_report_svg(const ot_report_item *it, ot_report_lang lang, int width, int height, FILE *f,
                  ot_err *err);

/* Writes s to f with &, <, >, " and ' escaped; NULL writes nothing. */
void ot_html_escape(FILE *f, const char *s);

#endif
