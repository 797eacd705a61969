/* target.h — an annual target as a plain value: what, which year, which test.
 *
 * Shared by store (which keeps targets) and project (which projects them), so
 * it lives in core.  Strings are owned by the target and freed with
 * ot_target_clear; ot_target_copy deep-copies.  Parsing of kinds and operators
 * is here; what a kind means for projection is in project/.
 */
#ifndef OT_CORE_TARGET_H
#define OT_CORE_TARGET_H

#include "core/err.h"

typedef enum ot_target_kind {
    OT_TARGET_GROWTH = 0,  /* full-year growth % of a flow, or December ytd growth of a rate */
    OT_TARGET_LEVEL,       /* full-year total (flow) or year-end level (stock, rate) */
    OT_TARGET_DAILY_AVG,   /* full-year total / days in the year */
    OT_TARGET_RELATIVE,    /* growth of series minus growth of ref, compared with value */
    OT_TARGET_IN_STEP,     /* |growth of series - growth of ref| <= tolerance */
    OT_TARGET_COUNT,       /* events counted over the year */
    OT_TARGET_DECLINE,     /* year-end (or annual) value below last year's, by at least value */
    OT_TARGET_UNQUANTIFIED /* listed, never projected */
} ot_target_kind;

typedef enum ot_target_op {
    OT_OP_GE = 0, /* >= */
    OT_OP_GT,     /* >  */
    OT_OP_LE,     /* <= */
    OT_OP_LT,     /* <  */
    OT_OP_EQ,     /* ≈ within tolerance */
    OT_OP_NONE    /* unquantified */
} ot_target_op;

typedef struct ot_target {
    char *series;     /* series key (required unless unquantified) */
    int year;
    ot_target_kind kind;
    ot_target_op op;
    double value;     /* threshold: % for growth kinds, level otherwise; NaN when none */
    char *ref;        /* reference series for relative / in_step (else NULL) */
    double tolerance; /* points, for in_step and op "=" (NaN = none) */
    char *label;      /* the report's wording, e.g. 地区生产总值增长7.5%以上 */
    char *source;     /* where the target was published */
    char *shape;      /* series to borrow the within-year shape from (NULL = from metadata) */
    char *unit;       /* unit of value when it is a level (NULL = the series' unit) */
} ot_target;

/* Names: "growth", "level", "daily_avg", "relative", "in_step", "count",
 * "decline", "unquantified"; ">=", ">", "<=", "<", "=", "". */
const char *ot_target_kind_name(ot_target_kind k);
const char *ot_target_op_name(ot_target_op op);
/* Return 0 and set *out, or -1 when s is not a known name.  Operators also
 * accept "ge", "gt", "le", "lt", "eq", "≥", "≤". */
int ot_target_kind_parse(const char *s, ot_target_kind *out);
int ot_target_op_parse(const char *s, ot_target_op *out);

/* Initialises t to an empty target (NaN value and tolerance, NULL strings). */
void ot_target_init(ot_target *t);
/* Frees t's strings and re-initialises it; accepts NULL. */
void ot_target_clear(ot_target *t);
/* Deep copy into dst (initialised by the call); OT_ENOMEM on failure, dst
 * then left empty. */
int ot_target_copy(ot_target *dst, const ot_target *src, ot_err *err);
/* Replaces one owned string field (*field) with a copy of s (NULL clears). */
int ot_target_set_str(char **field, const char *s, ot_err *err);
/* Whether x passes the test `x op value` (tolerance used by "="). */
int ot_target_test(const ot_target *t, double x);

#endif
