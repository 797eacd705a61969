/* json.h — the projection JSON of docs/formats.md (schema
 * docs/projection.schema.json), through jansson.
 */
#ifndef OT_REPORT_JSON_H
#define OT_REPORT_JSON_H

#include <stdio.h>

#include "core/err.h"
#include "core/target.h"
#include "project/projection.h"
#include "project/facts.h"
#include "report/report.h"

/* Writes {"as_of": ..., "projections": [...]} (as_of may be NULL). */
int ot_report_json(const ot_target *t, const ot_projection *p, size_t n, const char *as_of,
                   FILE *f, ot_err *err);
/* The same for a document. */
int ot_report_doc_json(const ot_report_doc *doc, FILE *f, ot_err *err);

/* A fact (project/facts.h) as JSON, {"code": "share_borrowed", "of_ref":
 * true (only when set), "y": [6 integers], "v": [4 numbers or null],
 * "keys": [2 strings]}: new reference (NULL when out of memory).  The form
 * run/fields.c saves and ot_report_json writes (docs/reports.md). */
struct json_t;
struct json_t *ot_report_fact_json(const ot_proj_fact *f);
/* Reads that form into *out (shorter y and v arrays leave the rest 0 and
 * NaN): 0, or -1 (out untouched) when it is not one. */
int ot_report_fact_from_json(const struct json_t *o, ot_proj_fact *out);

#endif
