/* ltarget.c — ot.target and the target box.
 *
 * A target box holds an ot_target by value (its strings freed by __gc and
 * __close); stored targets carry their id.  Argument checking and boxing
 * only: what a kind means is in core/target.h and project/.
 */
#include "lua/lontrack.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "store/store.h"

ot_l_target *ot_l_newtarget(lua_State *L)
{
    ot_l_target *t = lua_newuserdatauv(L, sizeof *t, 0);
    ot_target_init(&t->t);
    t->id = 0;
    t->closed = 0;
    ot_l_setmeta(L, OT_L_TARGET);
    return t;
}

const ot_target *ot_l_checktarget(lua_State *L, int arg)
{
    ot_l_target *t = luaL_testudata(L, arg, OT_L_TARGET);
    if (!t)
        luaL_typeerror(L, arg, "target");
    if (t->closed)
        luaL_argerror(L, arg, "target is closed");
    return &t->t;
}

/* ot.target{series =, year =, kind = "growth", op = ">=", value =, ref =,
 * tolerance =, label =, shape =, shape_years =, unit =, source =} -> target */
static int l_target(lua_State *L)
{
    static const char *const fields[] = {"series", "year", "kind",  "op",    "value", "ref",
                                         "tolerance", "label", "shape", "shape_years", "unit",
                                         "source", NULL};
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    ot_l_checkkeys(L, 1, 1, fields);
    const char *series = ot_l_optfield_str(L, 1, 1, "series");
    const char *ref = ot_l_optfield_str(L, 1, 1, "ref");
    const char *label = ot_l_optfield_str(L, 1, 1, "label");
    const char *shape = ot_l_optfield_str(L, 1, 1, "shape");
    const char *unit = ot_l_optfield_str(L, 1, 1, "unit");
    const char *source = ot_l_optfield_str(L, 1, 1, "source");
    const char *ks = ot_l_optfield_str(L, 1, 1, "kind");
    const char *ops = ot_l_optfield_str(L, 1, 1, "op");
    lua_Integer year = ot_l_optfield_int(L, 1, 1, "year", 0);
    double value = ot_l_optfield_num(L, 1, 1, "value", NAN);
    double tol = ot_l_optfield_num(L, 1, 1, "tolerance", NAN);
    int shape_years[2] = {0, 0};
    ot_l_optfield_years(L, 1, 1, "shape_years", shape_years);
    ot_target_kind kind = OT_TARGET_GROWTH;
    ot_target_op op = OT_OP_GE;
    if (ks && ot_target_kind_parse(ks, &kind) != 0) {
        lua_pushstring(L, ks);                                   /* [2] */
        luaL_Buffer b;
        luaL_buffinit(L, &b);
        luaL_addstring(&b, "field 'kind' must be ");
        for (int i = 0; i <= OT_TARGET_UNQUANTIFIED; i++) { /* the names of core's table */
            if (i)
                luaL_addstring(&b, i == OT_TARGET_UNQUANTIFIED ? " or " : ", ");
            luaL_addchar(&b, '"');
            luaL_addstring(&b, ot_target_kind_name((ot_target_kind)i));
            luaL_addchar(&b, '"');
        }
        luaL_addstring(&b, ", got \"");
        luaL_addstring(&b, ks);
        luaL_addchar(&b, '"');
        luaL_pushresult(&b);
        luaL_argerror(L, 1, lua_tostring(L, -1));
    }
    if (ops && (!*ops || ot_target_op_parse(ops, &op) != 0)) /* "" is an untested target's */
        luaL_argerror(L, 1, lua_pushfstring(L, "field 'op' must be \">=\", \">\", \"<=\", \"<\" "
                                               "or \"=\", got \"%s\"", ops));
    if (!ops && kind == OT_TARGET_IN_STEP)
        op = OT_OP_EQ; /* its test is a band: value ± tolerance */
    ot_l_target *t = ot_l_newtarget(L);                      /* [.., box] */
    t->t.year = year < INT_MIN || year > INT_MAX ? 0 : (int)year; /* checked below */
    t->t.kind = kind;
    t->t.op = op;
    t->t.value = value;
    t->t.tolerance = tol;
    t->t.shape_years[0] = shape_years[0];
    t->t.shape_years[1] = shape_years[1];
    ot_err e;
    ot_err_clear(&e);
    if (ot_target_set_str(&t->t.series, series, &e) != OT_OK ||
        ot_target_set_str(&t->t.ref, ref, &e) != OT_OK ||
        ot_target_set_str(&t->t.label, label, &e) != OT_OK ||
        ot_target_set_str(&t->t.shape, shape, &e) != OT_OK ||
        /* in the store's one spelling (亿元 for 100m_cny), as a stored
         * target's, so the projection compares it with its series' */
        ot_target_set_str(&t->t.unit, unit && ot_unit_canonical(unit) ? ot_unit_canonical(unit)
                                                                      : unit, &e) != OT_OK ||
        ot_target_set_str(&t->t.source, source, &e) != OT_OK)
        return ot_l_error(L, &e);
    /* what the kind needs is core's one rule (core/target.h); the box owns
     * the strings, so raising here leaks nothing */
    const char *field = NULL;
    if (ot_target_check_at(&t->t, &field, &e) != OT_OK)
        return luaL_argerror(L, 1, lua_pushfstring(L, "field '%s': %s", field ? field : "kind",
                                                   e.msg));
    return 1;
}

/* t.series, t.year, t.kind, t.op, t.value, t.ref, t.tolerance, t.label,
 * t.source, t.shape, t.shape_years ("2014-2019", "2019" or nil), t.unit,
 * t.id (stored targets only). */
static int target_index(lua_State *L)
{
    ot_l_target *b = luaL_checkudata(L, 1, OT_L_TARGET);
    const ot_target *t = ot_l_checktarget(L, 1);
    const char *k = luaL_checkstring(L, 2);
    if (strcmp(k, "series") == 0)
        ot_l_pushstr(L, t->series);
    else if (strcmp(k, "year") == 0)
        lua_pushinteger(L, t->year);
    else if (strcmp(k, "kind") == 0)
        lua_pushstring(L, ot_target_kind_name(t->kind));
    else if (strcmp(k, "op") == 0)
        lua_pushstring(L, ot_target_op_name(t->op));
    else if (strcmp(k, "value") == 0)
        ot_l_pushnum(L, t->value);
    else if (strcmp(k, "ref") == 0)
        ot_l_pushstr(L, t->ref);
    else if (strcmp(k, "tolerance") == 0)
        ot_l_pushnum(L, t->tolerance);
    else if (strcmp(k, "label") == 0)
        ot_l_pushstr(L, t->label);
    else if (strcmp(k, "source") == 0)
        ot_l_pushstr(L, t->source);
    else if (strcmp(k, "shape") == 0)
        ot_l_pushstr(L, t->shape);
    else if (strcmp(k, "shape_years") == 0 && t->shape_years[0]) {
        if (t->shape_years[0] == t->shape_years[1])
            lua_pushfstring(L, "%d", t->shape_years[0]);
        else
            lua_pushfstring(L, "%d-%d", t->shape_years[0], t->shape_years[1]);
    } else if (strcmp(k, "unit") == 0)
        ot_l_pushstr(L, t->unit);
    else if (strcmp(k, "id") == 0 && b->id)
        lua_pushinteger(L, (lua_Integer)b->id);
    else
        lua_pushnil(L);
    return 1;
}

/* "yiwu.gdp 2023: growth >= 7.5 (地区生产总值增长7.5%以上)", an "about"
 * target with its band ("… growth = 7.5 ±0.5"); an in_step
 * target, whose test is a band, "… in_step with yiwu.gdp ±1 (…)", its
 * centre when not 0 ("… in_step with yiwu.gdp+1 ±0.5"). */
static int target_tostring(lua_State *L)
{
    if (((ot_l_target *)luaL_checkudata(L, 1, OT_L_TARGET))->closed) {
        lua_pushliteral(L, "target (closed)");
        return 1;
    }
    const ot_target *t = ot_l_checktarget(L, 1);
    char v[64] = "";
    if (t->kind == OT_TARGET_IN_STEP) {
        char tol[80] = "";
        if (!isnan(t->value) && t->value != 0) /* the band's centre: ref's growth + value */
            snprintf(tol, sizeof tol, "%+.10g", t->value);
        if (!isnan(t->tolerance))
            snprintf(tol + strlen(tol), sizeof tol - strlen(tol), " \xc2\xb1%.10g",
                     t->tolerance);
        lua_pushfstring(L, "%s %d: in_step with %s%s%s%s%s", t->series ? t->series : "-",
                        t->year, t->ref ? t->ref : "-", tol, t->label ? " (" : "",
                        t->label ? t->label : "", t->label ? ")" : "");
        return 1;
    }
    if (!isnan(t->value) && t->op == OT_OP_EQ && !isnan(t->tolerance)) /* its band */
        snprintf(v, sizeof v, " %.10g \xc2\xb1%.10g", t->value, t->tolerance);
    else if (!isnan(t->value))
        snprintf(v, sizeof v, " %.10g", t->value);
    lua_pushfstring(L, "%s %d: %s%s%s%s%s%s%s", t->series ? t->series : "-", t->year,
                    ot_target_kind_name(t->kind), t->op == OT_OP_NONE ? "" : " ",
                    ot_target_op_name(t->op), v, t->label ? " (" : "", t->label ? t->label : "",
                    t->label ? ")" : "");
    return 1;
}

/* __gc and __close: frees the target's strings. */
static int target_gc(lua_State *L)
{
    ot_l_target *t = luaL_checkudata(L, 1, OT_L_TARGET);
    ot_target_clear(&t->t);
    t->closed = 1;
    return 0;
}

static const luaL_Reg target_meta[] = {
    {"__index", target_index},
    {"__tostring", target_tostring},
    {"__gc", target_gc},
    {"__close", target_gc},
    {NULL, NULL}};


void ot_l_open_target(lua_State *L)
{
    lua_pushcfunction(L, l_target);            /* [mod, f] */
    lua_setfield(L, -2, "target");
    luaL_newmetatable(L, OT_L_TARGET);         /* [mod, mt] */
    luaL_setfuncs(L, target_meta, 0);
    lua_pushliteral(L, "target");
    lua_setfield(L, -2, "__name");
    lua_pop(L, 1);
}
