/* md.h — the report as Markdown for pasting into documents: a heading, the
 * as-of line, one pipe table, the notes as a numbered list, and the scenario
 * comparisons.  Data text is escaped for Markdown (not HTML entities): it can
 * break neither the table nor the page it lands on, and raw HTML in it is
 * shown, never run.
 */
#ifndef OT_REPORT_MD_H
#define OT_REPORT_MD_H

#include <stdio.h>

#include "core/err.h"
#include "report/report.h"

/* Writes the Markdown report.  OT_OK, OT_EINVAL (bad document) or OT_EIO. */
int ot_report_md(const ot_report_doc *doc, FILE *f, ot_err *err);
/* Writes s as Markdown inline text: \, `, *, _, [, ], |, <, > and &
 * backslash-escaped (CommonMark: a backslash-escaped character is literal,
 * so no tag, entity, code span or emphasis can start), line breaks as
 * spaces.  NULL writes nothing. */
void ot_md_escape(FILE *f, const char *s);

#endif
