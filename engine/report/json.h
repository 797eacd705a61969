/* json.h — the projection JSON of docs/formats.md (schema
 * docs/projection.schema.json), through jansson.
 */
#ifndef OT_REPORT_JSON_H
#define OT_REPORT_JSON_H

#include <stdio.h>

#include "core/err.h"
#include "core/target.h"
#include "project/projection.h"
#include "report/report.h"

/* Writes {"as_of": ..., "projections": [...]} (as_of may be NULL). */
int ot_report_json(const ot_target *t, const ot_projection *p, size_t n, const char *as_of,
                   FILE *f, ot_err *err);
/* The same for a document. */
int ot_report_doc_json(const ot_report_doc *doc, FILE *f, ot_err *err);

#endif
