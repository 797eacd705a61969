/* facts.c — the names of the fact codes, and building facts. */
#include "project/facts.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* In the order of the codes; the names are what run/fields.c saves. */
static const char *const names[OT_FACT_NCODES] = {
    [OT_FACT_NONE] = "",
    [OT_M_RECORD] = "record",
    [OT_M_CARRY_RANGE] = "carry_range",
    [OT_M_RWSD] = "rwsd",
    [OT_M_MODEL] = "model",
    [OT_M_SHAPE] = "shape",
    [OT_M_PACE] = "pace",
    [OT_M_OUTCOME] = "outcome",
    [OT_N_LEVELS_NONE] = "levels_none",
    [OT_N_NO_LEVEL] = "no_level",
    [OT_N_NO_GROWTH] = "no_growth",
    [OT_N_NO_OUTCOME] = "no_outcome",
    [OT_N_CORR_ASSUMED] = "corr_assumed",
    [OT_N_CORR] = "corr",
    [OT_N_SC_GROWTH] = "scenario_growth_skipped",
    [OT_N_SC_AMOUNT] = "scenario_amount_skipped",
    [OT_N_SC_FREQ] = "scenario_set_skipped",
    [OT_N_SC_STOCK] = "scenario_stock_skipped",
    [OT_N_BASIS] = "published_basis",
    [OT_N_SHARE_BORROWED] = "share_borrowed",
    [OT_N_SHARE_ASSUMED] = "share_assumed",
    [OT_N_SPREAD_OWN] = "spread_own",
    [OT_N_SHAPE_BORROWED] = "shape_borrowed",
    [OT_N_SHAPE_SHORT] = "shape_ref_short",
    [OT_N_SHAPE_NONE] = "shape_none",
    [OT_N_STOCK_PACE] = "stock_pace",
    [OT_N_RECORD_SHORT] = "record_short",
    [OT_N_RECORD] = "record_choice",
    [OT_N_EXCLUDED] = "years_excluded",
    [OT_N_SCALE_LARGE] = "scale_too_large",
    [OT_N_CARRY_SCALED] = "carry_range_scaled",
    [OT_N_CARRY_TYPICAL] = "carry_range_typical",
    [OT_N_NO_DATA] = "no_data",
    [OT_N_SHAPE_NO_DATA] = "shape_ref_no_data",
    [OT_N_YOY_WEIGHTED] = "yoy_weighted",
    [OT_N_YOY_EQUAL] = "yoy_equal",
    [OT_N_TOTAL_ONLY] = "total_without_growth",
    [OT_N_YTD_IMPLIED] = "ytd_implied",
    [OT_N_YOY_ONLY] = "yoy_only",
    [OT_N_NO_YTD] = "no_ytd",
    [OT_N_NO_DATA_YEAR] = "no_data_year",
    [OT_N_NO_YEAR_END] = "no_year_end",
    [OT_N_RECORD_FORCED] = "record_too_short",
    [OT_N_MODEL_FAILED] = "model_failed",
    [OT_N_NO_SERIES] = "no_series",
    [OT_N_SC_PUBLISHED] = "scenario_published_skipped",
    [OT_M_YOY_WALK] = "yoy_walk",
    [OT_N_STOCK_YOY_WALK] = "stock_yoy_walk",
    [OT_N_BEFORE_DATA] = "before_data",
    [OT_N_MODEL_SHORT] = "model_too_short",
    [OT_N_UNIT_OTHER] = "unit_other",
    [OT_N_SHAPE_YEARS_SHORT] = "shape_years_short",
    [OT_N_BASE_NOT_POSITIVE] = "base_not_positive",
};

const char *ot_fact_name(int code)
{
    return code > 0 && code < OT_FACT_NCODES ? names[code] : NULL;
}

int ot_fact_code(const char *name)
{
    for (int c = 1; name && c < OT_FACT_NCODES; c++)
        if (names[c] && strcmp(names[c], name) == 0)
            return c;
    return 0;
}

static void vset(ot_proj_fact *f, int code, const char *spec, va_list ap)
{
    memset(f, 0, sizeof *f);
    for (int i = 0; i < OT_FACT_NV; i++)
        f->v[i] = NAN;
    f->code = code;
    int ny = 0, nv = 0, nk = 0;
    for (const char *s = spec; s && *s; s++) {
        if (*s == 'k') {
            const char *k = va_arg(ap, const char *);
            if (nk < 2)
                snprintf(f->key[nk++], OT_FACT_KEY_MAX, "%s", k ? k : "");
        } else if (*s == 'i') {
            int y = va_arg(ap, int);
            if (ny < OT_FACT_NY)
                f->y[ny++] = y;
        } else if (*s == 'd') {
            double v = va_arg(ap, double);
            if (nv < OT_FACT_NV)
                f->v[nv++] = v;
        }
    }
}

void ot_fact_set(ot_proj_fact *f, int code, const char *spec, ...)
{
    va_list ap;
    va_start(ap, spec);
    vset(f, code, spec, ap);
    va_end(ap);
}

void ot_fact_add(ot_proj_facts *fs, int code, const char *spec, ...)
{
    if (fs->n >= OT_PROJ_FACTS_MAX)
        return;
    va_list ap;
    va_start(ap, spec);
    vset(&fs->f[fs->n++], code, spec, ap);
    va_end(ap);
}
