/* target.h — an annual target as a plain value: what, which year, which test;
 * and the one table describing each kind of target.
 *
 * Shared by store and io (which keep and read targets), project (which
 * projects them), report and lua, so it lives in core: store and io do not
 * see project/.  Strings are owned by the target and freed with
 * ot_target_clear; ot_target_copy deep-copies.  How a kind's metric is
 * computed is in project/ (its metric code).
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
    OT_TARGET_DECLINE,     /* year-end (or annual) value below last year's; the fall
                              tested by op and value (> 0: any fall) */
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
    int shape_years[2]; /* years of the shape reference's record to borrow the range
                           from (docs/methods-projection.md §12); {0, 0} = the
                           projection's option */
} ot_target;

/* The range of a target's year, the same wherever a target is made (CSV,
 * Lua, the store). */
#define OT_TARGET_YEAR_MIN 1900
#define OT_TARGET_YEAR_MAX 9999

/* How a kind's metric is shown: a growth rate ("8.1%"), a difference of
 * growth rates in points ("+3.2 pts", "+3.2个百分点") or a level. */
typedef enum ot_metric_unit { OT_UNIT_PCT = 0, OT_UNIT_PTS, OT_UNIT_LEVEL } ot_metric_unit;

/* What a target needs besides a year. */
enum { OT_NEEDS_SERIES = 1, OT_NEEDS_VALUE = 2, OT_NEEDS_REF = 4 };

/* One kind of target, described once: adding a kind is a line in the table
 * of target.c, its metric in project/ and its tests.  The test wordings are
 * templates: %op the operator (">=" / "≥"), %opw it in words ("above" /
 * "高于"), %v the value, %tol the tolerance (else the value), %ref the
 * reference series (its name where known, else its key), %name the series'
 * name where the renderer knows it (followed by a space in English), else
 * nothing. */
typedef struct ot_target_kind_desc {
    ot_target_kind kind;
    const char *name;          /* "growth" */
    const char *metric;        /* what the projection's point measures */
    unsigned needs;            /* OT_NEEDS_* */
    double default_value;      /* the value when none is given; NaN = required */
    ot_metric_unit unit;       /* how the metric is shown in tables and charts */
    const char *test_en, *test_zh;   /* the test in words */
    const char *test0_en, *test0_zh; /* the same when value is 0, or NULL */
    const char *stock_en, *stock_zh; /* the test of a stock or rate series, where the
                                        metric differs from a flow's (a level target is
                                        the year-end level, not a total), or NULL */
} ot_target_kind_desc;

/* The description of k, or NULL when k is not a kind. */
const ot_target_kind_desc *ot_target_kind_desc_of(ot_target_kind k);

/* Checks t as every maker of targets must (the year in range, a series, a
 * value and a ref where the kind needs them, no ref where it does not, an
 * operator, finite numbers) and fills what is implied: the kind's default
 * value when none is given (a relative target without a value compares
 * with a margin of 0, an in_step target's band is centred on 0), and no
 * operator for an unquantified target (nothing but its year is read).  A
 * tolerance, when given, is at least 0; op "=" needs one (but for in_step,
 * unquantified without one): a continuous figure never equals a point.  An
 * in_step target's test is a band, so its op is "=".  OT_EINVAL with a
 * message naming what is missing: "target without a valid year (0)", "a
 * relative target needs a ref (the series it is compared with)", "a growth
 * target with op '=' needs a tolerance (…)"; ot_target_check_at also sets
 * *field (when field is not NULL) to the field found wrong: "kind", "year",
 * "series", "ref", "op", "value" or "tolerance" — so a maker that names
 * fields (ot.target) reports the one rule with its field. */
int ot_target_check_at(ot_target *t, const char **field, ot_err *err);
int ot_target_check(ot_target *t, ot_err *err);

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

/* Parses a range of years as shape_years (and a projection's exclude_years)
 * take it: "2020-2022", "2020" (one year) or "none" ({0, 0}).  Writes
 * y[0..1] and returns OT_OK, else OT_EINVAL with err saying what was
 * expected (y untouched).  Years OT_TARGET_YEAR_MIN..MAX, first <= last. */
int ot_years_parse(const char *s, int y[2], ot_err *err);
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
