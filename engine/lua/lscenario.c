/* lscenario.c — ot.scenario and the scenario box: a named list of changes
 * (growth, shocks, set values) a projection applies to the data it reads.
 *
 * The box holds an ot_scenario * (project/scenario.h), freed by __gc and
 * __close.  Argument checking and boxing only.
 */
#include "lua/lontrack.h"

#include <stddef.h>
#include <string.h>

#include "project/scenario.h"

ot_scenario *ot_l_checkscenario(lua_State *L, int arg)
{
    return ot_l_checkbox(L, arg, arg, NULL, OT_L_SCENARIO, "scenario is closed");
}

/* ot.scenario(name [, function(sc) ... end]) -> scenario; the function
 * receives the new scenario to add operations to. */
static int l_scenario(lua_State *L)
{
    const char *name = luaL_checkstring(L, 1);
    if (!lua_isnoneornil(L, 2))
        luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_settop(L, 2);
    ot_scenario **box = lua_newuserdatauv(L, sizeof *box, 0);   /* [3] */
    *box = NULL;
    ot_l_setmeta(L, OT_L_SCENARIO);
    ot_err e;
    ot_err_clear(&e);
    if (!(*box = ot_scenario_new(name, &e)))
        return ot_l_error(L, &e);
    if (!lua_isnil(L, 2)) {
        lua_pushvalue(L, 2);
        lua_pushvalue(L, 3);
        lua_call(L, 1, 0); /* the box owns the scenario: errors propagate safely */
    }
    lua_settop(L, 3);
    return 1;
}

/* Reads the options table at arg (keys of known only: a misspelled or
 * misplaced option raises, naming it) into text, numbers becoming strings:
 * from, to (when asked for) and level (a boolean). */
static void fromto(lua_State *L, int arg, const char *const known[], const char **from,
                   const char **to, int *level)
{
    *from = *to = NULL;
    *level = 0;
    if (lua_isnoneornil(L, arg))
        return;
    luaL_checktype(L, arg, LUA_TTABLE);
    ot_l_checkkeys(L, arg, arg, known);
    lua_getfield(L, arg, "from");
    lua_getfield(L, arg, "to");
    int lt = lua_getfield(L, arg, "level");
    if (lt != LUA_TNIL && lt != LUA_TBOOLEAN)
        luaL_argerror(L, arg, lua_pushfstring(L, "field 'level' must be a boolean, got %s",
                                              luaL_typename(L, -1)));
    *level = lua_toboolean(L, -1);
    lua_pop(L, 1);
    if (!lua_isnil(L, -2)) {
        if (!lua_isstring(L, -2))
            luaL_argerror(L, arg, "field 'from' must be a period");
        *from = lua_tostring(L, -2); /* converts the stack slot, not the table */
    }
    if (!lua_isnil(L, -1)) {
        if (!lua_isstring(L, -1))
            luaL_argerror(L, arg, "field 'to' must be a period");
        *to = lua_tostring(L, -1);
    }
    /* the two values stay on the stack, so the strings stay alive */
}

/* sc:growth(key, pct, {from = period}): the periods from `from` to the year
 * end (no `to`: the same periods last year are the base). */
static int sc_growth(lua_State *L)
{
    static const char *const known[] = {"from", NULL};
    ot_scenario *sc = ot_l_checkscenario(L, 1);
    const char *key = luaL_checkstring(L, 2);
    double pct = luaL_checknumber(L, 3);
    const char *from, *to;
    int level;
    fromto(L, 4, known, &from, &to, &level);
    if (!from)
        luaL_argerror(L, 4, "field 'from' expected (the first period that grows)");
    ot_err e;
    ot_err_clear(&e);
    if (ot_scenario_growth(sc, key, pct, from, &e) != OT_OK)
        return luaL_error(L, "%s", e.msg);
    lua_settop(L, 1);
    return 1;
}

/* sc:shock(key, x, {from =, to =, level = false}): projected values of
 * [from, to] change by x % (or by the amount x when level is true). */
static int sc_shock(lua_State *L)
{
    static const char *const known[] = {"from", "to", "level", NULL};
    ot_scenario *sc = ot_l_checkscenario(L, 1);
    const char *key = luaL_checkstring(L, 2);
    double x = luaL_checknumber(L, 3);
    const char *from, *to;
    int level;
    fromto(L, 4, known, &from, &to, &level);
    if (!from)
        luaL_argerror(L, 4, "field 'from' expected (the first period shocked)");
    ot_err e;
    ot_err_clear(&e);
    int rc = level ? ot_scenario_shock_level(sc, key, x, from, to, &e)
                   : ot_scenario_shock(sc, key, x, from, to, &e);
    if (rc != OT_OK)
        return luaL_error(L, "%s", e.msg);
    lua_settop(L, 1);
    return 1;
}

/* sc:set(key, period, value) */
static int sc_set(lua_State *L)
{
    ot_scenario *sc = ot_l_checkscenario(L, 1);
    const char *key = luaL_checkstring(L, 2);
    const char *period = luaL_checkstring(L, 3);
    double v = luaL_checknumber(L, 4);
    ot_err e;
    ot_err_clear(&e);
    if (ot_scenario_set(sc, key, period, v, &e) != OT_OK)
        return luaL_error(L, "%s", e.msg);
    lua_settop(L, 1);
    return 1;
}

/* Methods (upvalue 1), then sc.name and sc.n. */
static int sc_index(lua_State *L)
{
    ot_scenario *sc = ot_l_checkscenario(L, 1);
    const char *k = luaL_checkstring(L, 2);
    if (lua_getfield(L, lua_upvalueindex(1), k) != LUA_TNIL)
        return 1;
    if (strcmp(k, "name") == 0)
        lua_pushstring(L, sc->name);
    else if (strcmp(k, "n") == 0)
        lua_pushinteger(L, (lua_Integer)sc->n);
    else
        lua_pushnil(L);
    return 1;
}

/* "scenario 'name' (n operations)" */
static int sc_tostring(lua_State *L)
{
    ot_scenario *sc = ot_l_checkscenario(L, 1);
    lua_pushfstring(L, "scenario '%s' (%d operations)", sc->name, (int)sc->n);
    return 1;
}

static int sc_gc(lua_State *L)
{
    ot_scenario **box = luaL_checkudata(L, 1, OT_L_SCENARIO);
    ot_scenario_free(*box);
    *box = NULL;
    return 0;
}

static const luaL_Reg scenario_methods[] = {
    {"growth", sc_growth},
    {"shock", sc_shock},
    {"set", sc_set},
    {NULL, NULL}};

static const luaL_Reg scenario_meta[] = {
    {"__tostring", sc_tostring},
    {"__gc", sc_gc},
    {"__close", sc_gc},
    {NULL, NULL}};


void ot_l_open_scenario(lua_State *L)
{
    lua_pushcfunction(L, l_scenario);          /* [mod, f] */
    lua_setfield(L, -2, "scenario");
    luaL_newmetatable(L, OT_L_SCENARIO);       /* [mod, mt] */
    luaL_setfuncs(L, scenario_meta, 0);
    luaL_newlib(L, scenario_methods);          /* [mod, mt, methods] */
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, "methods");            /* mt.methods, for REPL completion */
    lua_pushcclosure(L, sc_index, 1);
    lua_setfield(L, -2, "__index");
    lua_pushliteral(L, "scenario");
    lua_setfield(L, -2, "__name");
    lua_pop(L, 1);
}
