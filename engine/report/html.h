/* html.h — the report as one self-contained HTML page.
 *
 * Inline CSS and SVG, no script, no network; prints to A4.  Its charts are
 * SVG drawn in svg.c.  Every text that comes from data is HTML-escaped.
 */
#ifndef OT_REPORT_HTML_H
#define OT_REPORT_HTML_H

#include <stdio.h>

#include "core/err.h"
#include "report/report.h"

/* Writes the HTML page.  Returns OT_OK, OT_EINVAL for an item without
 * target or projection, OT_ENOMEM or OT_EIO (write failure). */
int ot_report_html(const ot_report_doc *doc, FILE *f, ot_err *err);

/* Writes one item's chart as an inline <svg> element (width × height CSS
 * pixels, at least 240 × 120): history by year, the fan of 80% and 95%
 * bands to the year end, the target line and the required path.  Same
 * failures as ot_report_html; OT_EINVAL for a smaller size. */
int ot_report_svg(const ot_report_item *it, ot_report_lang lang, int width, int height, FILE *f,
                  ot_err *err);

/* Writes s to f with &, <, >, " and ' escaped; NULL writes nothing. */
void ot_html_escape(FILE *f, const char *s);

#endif
