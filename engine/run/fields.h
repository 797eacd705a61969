/* fields.h — every field of an ot_projection, once, for saving a run.
 *
 * One table (fields.c) names each field of ot_projection with its type and
 * place; the JSON a run stores per projection is written and read from that
 * table alone, so a field added to ot_projection is saved and loaded by
 * adding one line there (tests/unit/test_run.c fails until it is).  Status
 * is stored by its name (project/kinds.h).  Internal to run/ and its tests.
 */
#ifndef OT_RUN_FIELDS_H
#define OT_RUN_FIELDS_H

#include <stddef.h>

#include "core/err.h"
#include "project/projection.h"

typedef enum run_ftype {
    RUN_F_DOUBLE, /* NaN stored as null */
    RUN_F_INT,
    RUN_F_SIZE,
    RUN_F_TEXT,   /* a char array, NUL-terminated */
    RUN_F_STATUS, /* ot_proj_status, by name */
    RUN_F_FACT,   /* an ot_proj_fact (report/json.h's form: code by name) */
    RUN_F_FACTS   /* an ot_proj_facts: an array of facts */
} run_ftype;

typedef struct run_field {
    const char *name;
    run_ftype type;
    size_t off, size;
} run_field;

/* The table and its length. */
extern const run_field run_fields[];
extern const size_t run_nfields;

/* Writes p as a JSON object into a new string (caller frees with free()).
 * NULL and err set (OT_ENOMEM) on failure.  Doubles keep 17 significant
 * digits, so loading gives back the same bits. */
char *run_proj_to_json(const ot_projection *p, ot_err *err);
/* Reads the JSON of run_proj_to_json into *p (ot_projection_init first: a
 * field absent from the text keeps its "nothing projected" value).
 * OT_EDATA naming the field on bad text; *p is then untouched. */
int run_proj_from_json(const char *text, ot_projection *p, ot_err *err);

#endif
