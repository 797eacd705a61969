/* kinds.h — what the statuses of a projection are called: the one
 * vocabulary of names (as stored and in JSON) and their Chinese and English
 * labels (as reports print them).
 *
 * One static table (kinds.c); nothing allocated.  ot_proj_status_name
 * (project/projection.h) reads the same table.  Every other layer — store,
 * run, report, lua, cli — names and labels statuses through this header.
 */
#ifndef OT_PROJECT_KINDS_H
#define OT_PROJECT_KINDS_H

#include "project/projection.h"

/* One status: its name ("on_track") and labels ("on track", "有望达成"). */
typedef struct ot_status_desc {
    ot_proj_status status;
    const char *name;
    const char *en;
    const char *zh;
} ot_status_desc;

/* The description of s, or of OT_STATUS_NO_DATA when s is out of range. */
const ot_status_desc *ot_status_desc_of(ot_proj_status s);
/* The status named name ("on_track"); 0 and *out set, or -1 when no status
 * has that name. */
int ot_proj_status_parse(const char *name, ot_proj_status *out);
/* The label of s in English ("on track") or, when zh is non-zero, Chinese. */
const char *ot_status_label(ot_proj_status s, int zh);

#endif
