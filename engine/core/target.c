/* target.c — the table of target kinds; names, parsing, checking, copying
 * and the pass test of a target. */
#include "core/target.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Every kind, in the order of ot_target_kind (docs/targets.md says what
 * each means). */
static const ot_target_kind_desc kinds[] = {
    {OT_TARGET_GROWTH, "growth", "full-year growth % (December ytd growth of a rate)",
     OT_NEEDS_SERIES | OT_NEEDS_VALUE, NAN, OT_UNIT_PCT,
     "growth %op %v%", "增速 %op %v%", NULL, NULL, NULL, NULL},
    {OT_TARGET_LEVEL, "level", "full-year total (flows), year-end level (stocks, rates)",
     OT_NEEDS_SERIES | OT_NEEDS_VALUE, NAN, OT_UNIT_LEVEL,
     "total %op %v", "总量 %op %v", NULL, NULL, "year-end level %op %v", "年末水平 %op %v"},
    {OT_TARGET_DAILY_AVG, "daily_avg", "full-year total per day of the year",
     OT_NEEDS_SERIES | OT_NEEDS_VALUE, NAN, OT_UNIT_LEVEL,
     "per day %op %v", "日均 %op %v", NULL, NULL, NULL, NULL},
    {OT_TARGET_RELATIVE, "relative", "growth minus the ref's growth, in points",
     OT_NEEDS_SERIES | OT_NEEDS_REF, 0.0, OT_UNIT_PTS,
     "%namegrowth - %ref %op %v", "%name增速 − %ref增速 %op %v个百分点",
     "%namegrowth %opw %ref growth", "%name增速%opw%ref增速", NULL, NULL},
    /* the test is |growth - ref's - value| <= tolerance: the value, the
     * centre of that band, is 0 unless given (report/words.c says it when
     * it is not 0) */
    {OT_TARGET_IN_STEP, "in_step", "growth minus the ref's growth, in points",
     OT_NEEDS_SERIES | OT_NEEDS_VALUE | OT_NEEDS_REF, 0.0, OT_UNIT_PTS,
     "|%namegrowth - %ref| <= %tol", "%name增速与%ref增速相差不超过%tol个百分点", NULL, NULL,
     NULL, NULL},
    {OT_TARGET_COUNT, "count", "events counted over the year",
     OT_NEEDS_SERIES | OT_NEEDS_VALUE, NAN, OT_UNIT_LEVEL,
     "count %op %v", "数量 %op %v", NULL, NULL, NULL, NULL},
    {OT_TARGET_DECLINE, "decline", "last year's value minus this year's",
     OT_NEEDS_SERIES | OT_NEEDS_VALUE, NAN, OT_UNIT_LEVEL,
     "fall %op %v", "降幅 %op %v", NULL, NULL, NULL, NULL},
    {OT_TARGET_UNQUANTIFIED, "unquantified", "nothing: listed, never projected",
     0, NAN, OT_UNIT_LEVEL, "", "", NULL, NULL, NULL, NULL},
};
#define NKINDS (sizeof kinds / sizeof *kinds)
static const char *const op_names[] = {">=", ">", "<=", "<", "=", ""};

const ot_target_kind_desc *ot_target_kind_desc_of(ot_target_kind k)
{
    return (unsigned)k < NKINDS ? &kinds[k] : NULL;
}

const char *ot_target_kind_name(ot_target_kind k)
{
    return (unsigned)k < NKINDS ? kinds[k].name : "?";
}

/* "a growth target", "an in_step target": the article of a kind's name. */
static const char *an(const char *name)
{
    return strchr("aeiou", name[0]) ? "an" : "a";
}

/* Records the failure: its field in *field (when field is not NULL) and
 * the message in err; returns OT_EINVAL. */
#define BAD(f, ...)                                                                        \
    (field ? (void)(*field = (f)) : (void)0, ot_err_set(err, OT_EINVAL, __VA_ARGS__))

int ot_target_check_at(ot_target *t, const char **field, ot_err *err)
{
    const ot_target_kind_desc *d = ot_target_kind_desc_of(t->kind);
    if (!d)
        return BAD("kind", "unknown target kind %d", (int)t->kind);
    if (t->year < OT_TARGET_YEAR_MIN || t->year > OT_TARGET_YEAR_MAX)
        return BAD("year", "target without a valid year (%d)", t->year);
    if ((d->needs & OT_NEEDS_SERIES) && (!t->series || !*t->series))
        return BAD("series", "%s %s target needs a series", an(d->name), d->name);
    if (t->kind == OT_TARGET_UNQUANTIFIED) {
        t->op = OT_OP_NONE; /* listed, never tested: nothing else is read */
        return OT_OK;
    }
    if ((d->needs & OT_NEEDS_REF) && (!t->ref || !*t->ref))
        return BAD("ref", "%s %s target needs a ref (the series it is compared with)", an(d->name),
                   d->name);
    if (!(d->needs & OT_NEEDS_REF) && t->ref) /* it would be ignored, never tested */
        return BAD("ref", "a ref is for relative and in_step targets, not %s", d->name);
    if (t->op == OT_OP_NONE)
        return BAD("op", "%s %s target needs an op (>=, >, <=, < or =)", an(d->name), d->name);
    /* in_step's test is a band around value: an operator other than "="
     * would be ignored (growth at least ref's is a relative target) */
    if (t->kind == OT_TARGET_IN_STEP && t->op != OT_OP_EQ)
        return BAD("op",
                   "an in_step target's test is a band (|growth - ref's growth - value| <= "
                   "tolerance), so its op is '=', got '%s' (growth above ref's is a relative "
                   "target)",
                   ot_target_op_name(t->op));
    if (isinf(t->value))
        return BAD("value", "%s %s target's value must be a finite number, got %g", an(d->name),
                   d->name, t->value);
    if (isnan(t->value) && !isnan(d->default_value))
        t->value = d->default_value;
    if ((d->needs & OT_NEEDS_VALUE) && isnan(t->value))
        return BAD("value", "%s %s target needs a value (the number to meet)", an(d->name),
                   d->name);
    if (isinf(t->tolerance))
        return BAD("tolerance", "%s %s target's tolerance must be a finite number, got %g",
                   an(d->name), d->name, t->tolerance);
    if (!isnan(t->tolerance) && !(t->tolerance >= 0))
        return BAD("tolerance", "%s %s target's tolerance is at least 0 (%s), got %g",
                   an(d->name), d->name,
                   d->unit == OT_UNIT_LEVEL ? "in the level's unit" : "in points", t->tolerance);
    /* "=" on a continuous figure: exact equality would pass on no path, so
     * the band must be stated (an in_step target without one is listed as
     * unquantified: 与经济增长同步 without a number) */
    if (t->op == OT_OP_EQ && isnan(t->tolerance) && t->kind != OT_TARGET_IN_STEP)
        return BAD("tolerance",
                   "%s %s target with op '=' needs a tolerance (the band around %g it may miss "
                   "by: 增长7.5%%左右 is '=' 7.5 with tolerance 0.5), or state it as '>='",
                   an(d->name), d->name, t->value);
    return OT_OK;
}
#undef BAD

int ot_target_check(ot_target *t, ot_err *err)
{
    return ot_target_check_at(t, NULL, err);
}

const char *ot_target_op_name(ot_target_op op)
{
    return (unsigned)op < sizeof op_names / sizeof *op_names ? op_names[op] : "?";
}

int ot_target_kind_parse(const char *s, ot_target_kind *out)
{
    for (size_t i = 0; i < NKINDS; i++)
        if (strcmp(s, kinds[i].name) == 0) {
            *out = (ot_target_kind)i;
            return 0;
        }
    return -1;
}

int ot_target_op_parse(const char *s, ot_target_op *out)
{
    static const struct {
        const char *name;
        ot_target_op op;
    } ops[] = {{">=", OT_OP_GE}, {"ge", OT_OP_GE}, {"≥", OT_OP_GE}, {">", OT_OP_GT},
               {"gt", OT_OP_GT}, {"<=", OT_OP_LE}, {"le", OT_OP_LE}, {"≤", OT_OP_LE},
               {"<", OT_OP_LT},  {"lt", OT_OP_LT}, {"=", OT_OP_EQ},  {"==", OT_OP_EQ},
               {"eq", OT_OP_EQ}, {"", OT_OP_NONE}};
    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
        if (strcmp(s, ops[i].name) == 0) {
            *out = ops[i].op;
            return 0;
        }
    return -1;
}

void ot_target_init(ot_target *t)
{
    memset(t, 0, sizeof *t);
    t->kind = OT_TARGET_GROWTH;
    t->op = OT_OP_GE;
    t->value = NAN;
    t->tolerance = NAN;
}

void ot_target_clear(ot_target *t)
{
    if (!t)
        return;
    free(t->series);
    free(t->ref);
    free(t->label);
    free(t->source);
    free(t->shape);
    free(t->unit);
    ot_target_init(t);
}

int ot_target_set_str(char **field, const char *s, ot_err *err)
{
    char *copy = NULL;
    if (s && !(copy = strdup(s)))
        return ot_err_set(err, OT_ENOMEM, "out of memory");
    free(*field);
    *field = copy;
    return OT_OK;
}

int ot_years_parse(const char *s, int y[2], ot_err *err)
{
    int a = 0, b = 0, n = 0;
    if (strcmp(s, "none") == 0) {
        y[0] = y[1] = 0;
        return OT_OK;
    }
    if ((sscanf(s, "%4d-%4d%n", &a, &b, &n) == 2 || (b = 0, sscanf(s, "%4d%n", &a, &n) == 1)) &&
        s[n] == '\0' && s[0] >= '0' && s[0] <= '9' && a >= OT_TARGET_YEAR_MIN && (b ? b : a) >= a) {
        y[0] = a;
        y[1] = b ? b : a;
        return OT_OK;
    }
    return ot_err_set(err, OT_EINVAL, "'%s': expected years like 2020-2022, one year, or none", s);
}

int ot_target_copy(ot_target *dst, const ot_target *src, ot_err *err)
{
    ot_target_init(dst);
    dst->year = src->year;
    dst->shape_years[0] = src->shape_years[0];
    dst->shape_years[1] = src->shape_years[1];
    dst->kind = src->kind;
    dst->op = src->op;
    dst->value = src->value;
    dst->tolerance = src->tolerance;
    if (ot_target_set_str(&dst->series, src->series, err) ||
        ot_target_set_str(&dst->ref, src->ref, err) ||
        ot_target_set_str(&dst->label, src->label, err) ||
        ot_target_set_str(&dst->source, src->source, err) ||
        ot_target_set_str(&dst->shape, src->shape, err) ||
        ot_target_set_str(&dst->unit, src->unit, err)) {
        ot_target_clear(dst);
        return OT_ENOMEM;
    }
    return OT_OK;
}

int ot_target_test(const ot_target *t, double x)
{
    if (isnan(x) || isnan(t->value))
        return 0;
    switch (t->op) {
    case OT_OP_GE: return x >= t->value;
    case OT_OP_GT: return x > t->value;
    case OT_OP_LE: return x <= t->value;
    case OT_OP_LT: return x < t->value;
    case OT_OP_EQ: return fabs(x - t->value) <= (isnan(t->tolerance) ? 0.0 : t->tolerance);
    default:       return 0;
    }
}
