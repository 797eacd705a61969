/* target.c — names, parsing, copying and the pass test of a target. */
#include "core/target.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[] = {"growth", "level", "daily_avg", "relative",
                                         "in_step", "count", "decline", "unquantified"};
static const char *const op_names[] = {">=", ">", "<=", "<", "=", ""};

const char *ot_target_kind_name(ot_target_kind k)
{
    return (unsigned)k < sizeof kind_names / sizeof *kind_names ? kind_names[k] : "?";
}

const char *ot_target_op_name(ot_target_op op)
{
    return (unsigned)op < sizeof op_names / sizeof *op_names ? op_names[op] : "?";
}

int ot_target_kind_parse(const char *s, ot_target_kind *out)
{
    for (size_t i = 0; i < sizeof kind_names / sizeof *kind_names; i++)
        if (strcmp(s, kind_names[i]) == 0) {
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

int ot_target_copy(ot_target *dst, const ot_target *src, ot_err *err)
{
    ot_target_init(dst);
    dst->year = src->year;
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
