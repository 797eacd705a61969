/* lproject.c — projections: ot.project, ot.compare, ot.report.
 *
 * Targets (ltarget.c) and scenarios (lscenario.c) come boxed.  Projections
 * run entirely in C over
 * arrays kept in GC-owned userdata (shallow copies of the boxed targets,
 * results, in-memory series), reading data through a source that looks at
 * series given in Lua first and then at the database as of the date asked
 * for.  Results become Lua tables only after every engine call is done.  A
 * projection table keeps a copy of the C result (field _c) so ot.report can
 * print a status table of any list of them; documents are run/'s, tables
 * report/'s.
 */
#include "lua/lontrack.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/model.h"
#include "project/projection.h"
#include "project/scenario.h"
#include "store/store.h"
#include "store/view.h"
#ifdef OT_REPORT_PRESENT
#include "report/facts.h"
#include "report/json.h"
#include "report/report.h"
#include "report/status.h"
#include "run/run.h"
#include "run/source.h"
#endif

#define OT_L_PROJECTION "ontrack.projection"
#define OT_L_RAWPROJ "ontrack.rawprojection"
#define OT_L_REPORT "ontrack.report"

/* ---- projecting ------------------------------------------------------------------------ */

/* Everything a projection call reads, gathered before any engine call. */
typedef struct proj_ctx {
    ot_proj_opts po;
    int32_t days;          /* as_of date, or OT_ASOF_LATEST */
    ot_store *st;          /* NULL when only in-memory series are used */
    ot_store_view view;
    ot_run_given *mem;     /* series given in Lua: a GC-owned array */
    size_t nmem;
    ot_alloc alloc;        /* the state's: working memory counts against the host's cap */
    int mt_alloc;          /* alloc is thread-safe (OT_L_REG_MTALLOC) */
    char as_of_year[16];   /* an as_of given as an integer year, as text */
} proj_ctx;

static const char *const measure_names[] = {"value", "ytd", "yoy", "ytd_yoy", NULL};

/* Collects opts.series ({key = series} or {key = {measure = series}}) into
 * a GC-owned array pushed on the stack. */
static void collect_series(lua_State *L, int arg, int tab, proj_ctx *c)
{
    size_t n = 0;
    lua_pushnil(L);
    while (lua_next(L, tab)) {
        if (lua_type(L, -2) != LUA_TSTRING)
            luaL_argerror(L, arg, "series: keys must be series keys (strings)");
        if (lua_istable(L, -1) && !ot_l_toseries(L, -1))
            n += lua_rawlen(L, -1) + 4; /* at most the four measures */
        else
            n++;
        lua_pop(L, 1);
    }
    c->mem = lua_newuserdatauv(L, (n ? n : 1) * sizeof *c->mem, 0);
    c->nmem = 0;
    lua_pushnil(L);
    while (lua_next(L, tab)) {
        const char *key = lua_tostring(L, -2);
        const ot_series *s = ot_l_toseries(L, -1);
        if (s) {
            c->mem[c->nmem++] = (ot_run_given){key, "value", s};
        } else if (lua_istable(L, -1)) {
            lua_pushnil(L);                             /* [.., key, tab, k] */
            while (lua_next(L, -2)) {                   /* [.., key, tab, k, v] */
                lua_pop(L, 1);
                int m = 0;
                const char *k = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
                while (k && measure_names[m] && strcmp(measure_names[m], k) != 0)
                    m++;
                if (!k)
                    luaL_argerror(L, arg, lua_pushfstring(L, "series['%s'] must be a series or "
                                                             "a table {measure = series}", key));
                if (!measure_names[m])
                    luaL_argerror(L, arg, lua_pushfstring(L, "series['%s']: %s", key,
                                                          ot_l_pushunknown(L, "measure", k,
                                                                           measure_names)));
            }
            for (int m = 0; measure_names[m]; m++) {
                lua_pushstring(L, measure_names[m]);
                if (lua_rawget(L, -2) != LUA_TNIL) {       /* raw: anchored by the table */
                    if (!(s = ot_l_toseries(L, -1)))
                        luaL_argerror(L, arg, lua_pushfstring(L, "series['%s'].%s %s", key,
                                                              measure_names[m],
                                                              luaL_testudata(L, -1, OT_L_SERIES)
                                                                  ? "is closed"
                                                                  : "must be a series"));
                    c->mem[c->nmem++] = (ot_run_given){key, measure_names[m], s};
                }
                lua_pop(L, 1); /* the table keeps it alive */
            }
        } else if (luaL_testudata(L, -1, OT_L_SERIES)) {
            luaL_argerror(L, arg, lua_pushfstring(L, "series['%s']: series is closed", key));
        } else {
            luaL_argerror(L, arg, lua_pushfstring(L, "series['%s'] must be a series or a table "
                                                     "of measures", key));
        }
        lua_pop(L, 1);
    }
}

/* Reads the projection options at arg (may be absent) into c, leaving what
 * keeps its strings and arrays alive on the stack.  The database is the
 * opts.db given, else ot.db() unless opts.series is given alone. */
static const char *const popts_keys[] = {"as_of",  "paths",         "seed",        "method",
                                          "intervals", "exclude_years", "shape_years", "scenario",
                                          "db",     "series",        NULL};
static const char *const compare_keys[] = {"as_of",  "paths",         "seed",        "method",
                                           "intervals", "exclude_years", "shape_years", "db",
                                           "series", "print",         "lang",        NULL};

static void check_popts(lua_State *L, int arg, proj_ctx *c, const char *const keys[])
{
    ot_l_checkkeys(L, arg, arg, keys);
    memset(c, 0, sizeof *c);
    ot_proj_opts_init(&c->po);
    c->alloc = ot_l_alloc(L);
    /* the host's allocator is thread-safe: parallel work counts against its cap */
    c->mt_alloc = lua_getfield(L, LUA_REGISTRYINDEX, OT_L_REG_MTALLOC) == LUA_TBOOLEAN &&
                  lua_toboolean(L, -1);
    lua_pop(L, 1);
    const char *as_of = NULL;
    int has_db = 0, has_series = 0;
    if (!lua_isnoneornil(L, arg)) {
        luaL_checktype(L, arg, LUA_TTABLE);
        as_of = ot_l_optfield_asof(L, arg, arg, c->as_of_year, sizeof c->as_of_year);
        lua_Integer paths = ot_l_optfield_int(L, arg, arg, "paths", OT_PROJ_PATHS);
        lua_Integer seed = ot_l_optfield_int(L, arg, arg, "seed", 1);
        luaL_argcheck(L, paths >= 1 && paths <= OT_PROJ_PATHS_MAX, arg,
                      "paths must be 1..10000000");
        luaL_argcheck(L, seed >= 1 && seed <= 0xffffffffL, arg,
                      "seed must be 1..4294967295"); /* as the CLI's --seed and a job's seed */
        c->po.paths = (size_t)paths;
        c->po.seed = (unsigned long)seed;
        const char *method = ot_l_optfield_str(L, arg, arg, "method");
        if (method) {
            if (!ot_proj_method_resolve(method)) /* the list the engine's own error gives */
                luaL_argerror(L, arg, lua_pushfstring(L, "unknown method '%s' (known: %s, %s, %s, %s)",
                                                      method, OT_PROJ_METHOD_CARRY,
                                                      OT_PROJ_METHOD_RATE, OT_PROJ_METHOD_FALLBACK,
                                                      ot_method_names()));
            c->po.method = method;
        }
        ot_l_optfield_years(L, arg, arg, "exclude_years", c->po.exclude_years);
        ot_l_optfield_years(L, arg, arg, "shape_years", c->po.shape_years);
        const char *pi = ot_l_optfield_str(L, arg, arg, "intervals");
        if (pi && strcmp(pi, "model") != 0 && strcmp(pi, "cv") != 0)
            luaL_argerror(L, arg, lua_pushfstring(L, "intervals must be \"model\" or \"cv\", "
                                                     "got \"%s\"", pi));
        c->po.intervals = pi && strcmp(pi, "cv") == 0 ? OT_PI_CV : OT_PI_MODEL;
        if (c->po.intervals == OT_PI_CV && !ot_proj_method_takes_cv(c->po.method))
            luaL_argerror(L, arg, lua_pushfstring(L, "intervals \"cv\" are not available with "
                                                     "method %s (use a model such as auto or ets)",
                                                  ot_proj_method_resolve(c->po.method)));
        if (lua_getfield(L, arg, "scenario") != LUA_TNIL)
            c->po.scenario = ot_l_checkbox(L, -1, arg, "field 'scenario'", OT_L_SCENARIO,
                                           "scenario is closed");
        /* left on the stack: keeps the scenario alive */
        if (lua_getfield(L, arg, "db") != LUA_TNIL) {
            c->st = ot_l_checkbox(L, -1, arg, "field 'db'", OT_L_DB, "database is closed");
            has_db = 1;
        }
        if (lua_getfield(L, arg, "series") != LUA_TNIL) {
            int tab = lua_gettop(L);
            luaL_argcheck(L, lua_istable(L, tab), arg, "series must be a table {key = series}");
            collect_series(L, arg, tab, c);
            has_series = 1;
        }
    }
    const char *through;
    ot_l_asof(L, arg, as_of, &c->days, &through);
    c->po.as_of_period = through;
    if (!has_db && !has_series)
        c->st = ot_l_defaultdb(L);
}

/* Gathers the targets at arg (one target or a list) into a GC-owned array
 * of shallow copies pushed on the stack; the boxes stay referenced by the
 * argument. */
static const ot_target *gather_targets(lua_State *L, int arg, size_t *n)
{
    if (luaL_testudata(L, arg, OT_L_TARGET)) {
        *n = 1;
        return ot_l_checktarget(L, arg);
    }
    luaL_argcheck(L, lua_istable(L, arg), arg, "target or list of targets expected");
    size_t k = lua_rawlen(L, arg);
    luaL_argcheck(L, k >= 1, arg, "the list of targets is empty");
    ot_target *t = lua_newuserdatauv(L, k * sizeof *t, 0);
    for (size_t i = 0; i < k; i++) {
        lua_rawgeti(L, arg, (lua_Integer)i + 1);
        ot_l_target *b = luaL_testudata(L, -1, OT_L_TARGET);
        if (!b)
            luaL_argerror(L, arg, lua_pushfstring(L, "item %d is not a target", (int)i + 1));
        if (b->closed)
            luaL_argerror(L, arg, lua_pushfstring(L, "item %d: target is closed", (int)i + 1));
        t[i] = b->t;
        lua_pop(L, 1);
    }
    *n = k;
    return t;
}

/* Runs the projections of n targets into out (C only: no Lua call).  A list
 * read from the database alone runs on every core; its working memory comes
 * from the state's allocator when that is thread-safe (the host's, which
 * counts against the script's cap), else from malloc.  Otherwise one thread
 * works through the state's allocator. */
static int run_projections(proj_ctx *c, const ot_target *t, size_t n, ot_projection *out,
                           ot_err *e)
{
    int many = n > 1 && c->nmem == 0;
    c->po.threads = many ? 0 : 1;
    c->po.alloc = many && !c->mt_alloc ? NULL : &c->alloc;
    if (c->st)
        ot_store_view_init(&c->view, c->st, c->days, NULL);
    ot_run_data src = {c->mem, c->nmem, c->st ? &c->view : NULL};
    ot_source_fn read = ot_run_data_wire(&src, &c->po);
    int rc = n == 1 ? ot_project_target(t, read, &src, &c->po, out, e)
                    : ot_project_many(t, n, read, &src, &c->po, out, e);
    if (c->st)
        ot_store_view_destroy(&c->view);
    return rc;
}

/* Pushes the table of one projection: the fields of p, its target (the box
 * at targ or NULL) and a raw copy for ot.report. */
static void push_projection(lua_State *L, const ot_projection *p, const ot_target *t, int targ)
{
    lua_createtable(L, 0, 24);
    ot_projection *raw = lua_newuserdatauv(L, sizeof *raw, 0);
    *raw = *p;
    ot_l_setmeta(L, OT_L_RAWPROJ);
    lua_setfield(L, -2, "_c");
    if (targ) {
        lua_pushvalue(L, targ);
        lua_setfield(L, -2, "target");
    }
    ot_l_pushstr(L, t->label);
    lua_setfield(L, -2, "label");
    ot_l_pushstr(L, t->series);
    lua_setfield(L, -2, "series");
    lua_pushinteger(L, t->year);
    lua_setfield(L, -2, "year");
    lua_pushstring(L, ot_proj_status_name(p->status));
    lua_setfield(L, -2, "status");
    static const struct {
        const char *name;
        size_t off;
    } nums[] = {{"point", offsetof(ot_projection, point)},
                {"prob", offsetof(ot_projection, prob)},
                {"required", offsetof(ot_projection, required)},
                {"carry", offsetof(ot_projection, carry)},
                {"outcome", offsetof(ot_projection, outcome)},
                {"ytd_growth", offsetof(ot_projection, ytd_growth)},
                {"share", offsetof(ot_projection, share)}};
    for (size_t i = 0; i < sizeof nums / sizeof *nums; i++) {
        ot_l_pushnum(L, *(const double *)((const char *)p + nums[i].off));
        lua_setfield(L, -2, nums[i].name);
    }
    lua_createtable(L, 0, 2);
    ot_l_pushnum(L, p->lo80);
    lua_rawseti(L, -2, 80);
    ot_l_pushnum(L, p->lo95);
    lua_rawseti(L, -2, 95);
    lua_setfield(L, -2, "lower");
    lua_createtable(L, 0, 2);
    ot_l_pushnum(L, p->hi80);
    lua_rawseti(L, -2, 80);
    ot_l_pushnum(L, p->hi95);
    lua_rawseti(L, -2, 95);
    lua_setfield(L, -2, "upper");
    lua_pushinteger(L, p->periods_done);
    lua_setfield(L, -2, "periods_done");
    lua_pushinteger(L, p->periods_left);
    lua_setfield(L, -2, "periods_left");
    lua_pushinteger(L, (lua_Integer)p->paths);
    lua_setfield(L, -2, "paths");
    lua_pushboolean(L, p->has_outcome);
    lua_setfield(L, -2, "has_outcome");
    ot_l_pushstr(L, p->latest[0] ? p->latest : NULL);
    lua_setfield(L, -2, "latest");
    /* the method and notes in English words (report/facts.c); the facts
     * themselves are in JSON reports */
    char text[4096];
    lua_pushstring(L, ot_report_fact(&p->method, NULL, OT_LANG_EN, NULL, 0, text, sizeof text));
    lua_setfield(L, -2, "method");
    lua_pushstring(L, ot_report_facts(&p->notes, t ? t->ref : NULL, OT_LANG_EN, NULL, 0, text, sizeof text));
    lua_setfield(L, -2, "notes");
    ot_l_setmeta(L, OT_L_PROJECTION);
}

/* ot.project(target_or_list [, {as_of =, paths = 10000, seed = 1, method =,
 * intervals = "model" | "cv", scenario =, db =, series =}]) -> p, or a list
 * of p for a list.  The same seed and data give the same figures. */
static int l_project(lua_State *L)
{
    int list = !luaL_testudata(L, 1, OT_L_TARGET);
    lua_settop(L, 2);
    size_t n;
    const ot_target *t = gather_targets(L, 1, &n);
    proj_ctx c;
    check_popts(L, 2, &c, popts_keys);
    ot_projection *out = lua_newuserdatauv(L, n * sizeof *out, 0);
    ot_err e;
    ot_err_clear(&e);
    if (run_projections(&c, t, n, out, &e) != OT_OK)
        return ot_l_error(L, &e);
    if (!list) {
        push_projection(L, out, t, 1);
        return 1;
    }
    lua_createtable(L, (int)n, 0);
    int res = lua_gettop(L);
    for (size_t i = 0; i < n; i++) {
        lua_rawgeti(L, 1, (lua_Integer)i + 1);
        push_projection(L, &out[i], &t[i], lua_gettop(L));
        lua_rawseti(L, res, (lua_Integer)i + 1);
        lua_pop(L, 1);
    }
    return 1;
}

/* "label: on_track, point 7.90 (80%: 7.10 to 8.60), P = 0.83, required 6.20, carry 8.10" */
static int proj_tostring(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_getfield(L, 1, "_c");
    const ot_projection *p = luaL_testudata(L, -1, OT_L_RAWPROJ);
    if (!p)
        return luaL_error(L, "not a projection");
    lua_getfield(L, 1, "label");
    lua_getfield(L, 1, "series");
    const char *label = lua_tostring(L, -2) ? lua_tostring(L, -2) : lua_tostring(L, -1);
    char buf[512];
    int k = snprintf(buf, sizeof buf, "%s: %s", label ? label : "target",
                     ot_proj_status_name(p->status));
    /* one number of decimals for the line, from the size of the point and
     * its range: 8.70 (8.21 to 8.90), 96.4, 4000000 (never 4e+06) */
    double big = 0;
    const double sized[] = {p->point, p->lo80, p->hi80};
    for (int i = 0; i < 3; i++)
        if (isfinite(sized[i]) && fabs(sized[i]) > big)
            big = fabs(sized[i]);
    int dp = big < 10 ? 2 : big < 1000 ? 1 : 0;
    if (!isnan(p->point) && k < (int)sizeof buf)
        k += snprintf(buf + k, sizeof buf - (size_t)k, ", point %.*f (80%%: %.*f to %.*f)", dp,
                      p->point, dp, p->lo80, dp, p->hi80);
    if (!isnan(p->prob) && k < (int)sizeof buf)
        k += snprintf(buf + k, sizeof buf - (size_t)k, ", P = %.2f", p->prob);
    if (!isnan(p->required) && k < (int)sizeof buf)
        k += snprintf(buf + k, sizeof buf - (size_t)k, ", required %.*f", dp, p->required);
    if (!isnan(p->carry) && k < (int)sizeof buf)
        snprintf(buf + k, sizeof buf - (size_t)k, ", carry %.*f", dp, p->carry);
    lua_pushstring(L, buf);
    return 1;
}

/* ---- compare and report ----------------------------------------------------------- */

/* tostring(r) of a comparison that printed itself: "comparison of 2
 * targets under baseline, no Q4". */
static int compare_tostring(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_Integer n = (lua_Integer)lua_rawlen(L, 1);
    lua_settop(L, 1);
    if (lua_getfield(L, 1, "scenarios") != LUA_TTABLE)       /* [r, names] */
        lua_newtable(L), lua_replace(L, 2);
    lua_Integer k = (lua_Integer)lua_rawlen(L, 2);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    lua_pushfstring(L, "comparison of %I target%s under ", n, n == 1 ? "" : "s");
    luaL_addvalue(&b);
    for (lua_Integer i = 1; i <= k; i++) {
        if (i > 1)
            luaL_addstring(&b, ", ");
        lua_rawgeti(L, 2, i);                                  /* [.., name] */
        if (lua_type(L, -1) != LUA_TSTRING)
            lua_pop(L, 1), lua_pushliteral(L, "?");
        luaL_addvalue(&b);
    }
    luaL_pushresult(&b);
    return 1;
}

/* ot.compare(targets, scenarios [, opts]) -> r: r[i] = {target =, label =,
 * baseline = {point =, prob =, status =}, [scenario name] = {...}} and
 * r.scenarios = {"baseline", name, ...}.  Prints the table unless
 * opts.print == false.  opts are ot.project's (without scenario). */
static int l_compare(lua_State *L)
{
    lua_settop(L, 3);
    size_t n;
    const ot_target *t = gather_targets(L, 1, &n);              /* [4]? array */
    int tlist = !luaL_testudata(L, 1, OT_L_TARGET);
    size_t ns = 0;
    if (!lua_isnil(L, 2)) {
        if (luaL_testudata(L, 2, OT_L_SCENARIO)) {
            lua_createtable(L, 1, 0);
            lua_pushvalue(L, 2);
            lua_rawseti(L, -2, 1);
            lua_replace(L, 2);
        }
        luaL_argcheck(L, lua_istable(L, 2), 2, "scenario or list of scenarios expected");
        ns = lua_rawlen(L, 2);
        for (size_t j = 0; j < ns; j++) {
            lua_rawgeti(L, 2, (lua_Integer)j + 1);
            if (!luaL_testudata(L, -1, OT_L_SCENARIO))
                luaL_argerror(L, 2, lua_pushfstring(L, "item %d is not a scenario", (int)j + 1));
            int it = lua_gettop(L);                        /* [.., sc] */
            ot_l_checkbox(L, it, 2, lua_pushfstring(L, "item %d", (int)j + 1), OT_L_SCENARIO,
                          "scenario is closed");           /* [.., sc, where] */
            /* each scenario's results go in r[i][name], beside target,
             * label and baseline: a name met twice would hide a result */
            const char *name = (*(ot_scenario **)lua_touserdata(L, it))->name;
            int clash = strcmp(name, "baseline") == 0 || strcmp(name, "target") == 0 ||
                        strcmp(name, "label") == 0;
            for (size_t k = 0; !clash && k < j; k++) {
                lua_rawgeti(L, 2, (lua_Integer)k + 1);
                clash = strcmp((*(ot_scenario **)lua_touserdata(L, -1))->name, name) == 0;
                lua_pop(L, 1);
            }
            if (clash)
                luaL_argerror(L, 2, lua_pushfstring(L, "item %d: the name '%s' is taken (by "
                                                       "another scenario, or a field of the "
                                                       "result: target, label, baseline)",
                                                    (int)j + 1, name));
            lua_pop(L, 2);
        }
    }
    int print = 1;
    static const char *const langs[] = {"en", "zh", NULL};
    ot_report_lang lang = OT_LANG_EN; /* the terminal's default, as ot.report's table */
    if (lua_istable(L, 3)) {
        lua_getfield(L, 3, "print");
        print = lua_isnil(L, -1) || lua_toboolean(L, -1);
        lua_pop(L, 1);
        if (ot_l_optfield_option(L, 3, 3, "lang", langs) == 1)
            lang = OT_LANG_ZH;
    }
    proj_ctx c;
    check_popts(L, 3, &c, compare_keys);
    size_t ncol = ns + 1;
    luaL_argcheck(L, ncol <= 64, 2, "at most 63 scenarios");
    ot_projection *out = lua_newuserdatauv(L, n * ncol * sizeof *out, 0);
    const char *names[64];
    const ot_scenario *scs[64];
    names[0] = "baseline";
    scs[0] = NULL;
    for (size_t j = 0; j < ns; j++) {
        lua_rawgeti(L, 2, (lua_Integer)j + 1);
        scs[j + 1] = *(ot_scenario **)lua_touserdata(L, -1);
        names[j + 1] = scs[j + 1]->name;
        lua_pop(L, 1); /* the list keeps it alive */
    }
    ot_err e;
    ot_err_clear(&e);
    for (size_t j = 0; j < ncol; j++) {
        c.po.scenario = scs[j];
        if (run_projections(&c, t, n, out + j * n, &e) != OT_OK)
            return ot_l_error(L, &e);
    }
#ifdef OT_REPORT_PRESENT
    ot_report_compare cmp = {t, n, names, ncol, out};
    /* in a job's script: saved with the run, so its reports show it */
    const char *run = getenv(OT_RUN_ENV);
    if (run && c.st && ot_run_compare_save(c.st, strtoll(run, NULL, 10), &cmp, &e) != OT_OK)
        return ot_l_error(L, &e);
    if (print) {
        fflush(stdout);
        if (ot_report_compare_text(&cmp, lang, stdout, &e) != OT_OK)
            return ot_l_error(L, &e);
        fflush(stdout);
    }
#else
    (void)print;
    (void)lang;
#endif
    lua_createtable(L, (int)n, 1);
    int res = lua_gettop(L);
    lua_createtable(L, (int)ncol, 0);
    for (size_t j = 0; j < ncol; j++) {
        lua_pushstring(L, names[j]);
        lua_rawseti(L, -2, (lua_Integer)j + 1);
    }
    lua_setfield(L, res, "scenarios");
    for (size_t i = 0; i < n; i++) {
        lua_createtable(L, 0, (int)ncol + 2);
        if (tlist)
            lua_rawgeti(L, 1, (lua_Integer)i + 1);
        else
            lua_pushvalue(L, 1);
        lua_setfield(L, -2, "target");
        ot_l_pushstr(L, t[i].label ? t[i].label : t[i].series);
        lua_setfield(L, -2, "label");
        for (size_t j = 0; j < ncol; j++) {
            const ot_projection *p = &out[j * n + i];
            lua_createtable(L, 0, 3);
            ot_l_pushnum(L, p->point);
            lua_setfield(L, -2, "point");
            ot_l_pushnum(L, p->prob);
            lua_setfield(L, -2, "prob");
            lua_pushstring(L, ot_proj_status_name(p->status));
            lua_setfield(L, -2, "status");
            lua_setfield(L, -2, names[j]);
        }
        lua_rawseti(L, res, (lua_Integer)i + 1);
    }
    if (print) {
        /* printed already: the REPL shows it once (host.c skips a result
         * whose metatable says __printed); tostring gives a summary, not
         * the metatable's name and an address */
        if (luaL_newmetatable(L, OT_L_PRINTED)) {
            lua_pushboolean(L, 1);
            lua_setfield(L, -2, "__printed");
            lua_pushcfunction(L, compare_tostring);
            lua_setfield(L, -2, "__tostring");
        }
        lua_setmetatable(L, res);
    }
    return 1;
}

#ifdef OT_REPORT_PRESENT
/* Copies projection i of the list at idx into *p and its target (shallow:
 * the list keeps the box alive) into *t; raises naming the item otherwise,
 * as bad argument arg (the list's own, or the options' for a list given in
 * field `field`, NULL for none).  Leaves the stack as it found it. */
static void raw_projection(lua_State *L, int idx, int arg, const char *field, size_t i,
                           ot_projection *p, ot_target *t)
{
    lua_rawgeti(L, idx, (lua_Integer)i + 1);                  /* [.., pi] */
    if (!lua_istable(L, -1) || lua_getfield(L, -1, "_c") == LUA_TNIL ||
        !luaL_testudata(L, -1, OT_L_RAWPROJ))
        luaL_argerror(L, arg, lua_pushfstring(L, "%s%s%sitem %d is not a projection",
                                              field ? "field '" : "", field ? field : "",
                                              field ? "': " : "", (int)i + 1));
    *p = *(const ot_projection *)lua_touserdata(L, -1);      /* [.., pi, raw] */
    if (t) {
        lua_getfield(L, -2, "target");                       /* [.., pi, raw, target] */
        ot_l_target *b = luaL_testudata(L, -1, OT_L_TARGET);
        if (!b || b->closed)
            luaL_argerror(L, arg, lua_pushfstring(L, "item %d has no target", (int)i + 1));
        *t = b->t;
        lua_pop(L, 1);
    }
    lua_pop(L, 2);
}

/* The db ot.db() has opened already, NULL when none: the status table
 * names its indicators from it without opening (or creating) one. */
static ot_store *open_db(lua_State *L)
{
    ot_store *st = NULL;
    if (lua_getfield(L, LUA_REGISTRYINDEX, OT_L_REG_DBOBJ) == LUA_TUSERDATA) {
        ot_store **box = luaL_testudata(L, -1, OT_L_DB);
        st = box ? *box : NULL;
    }
    lua_pop(L, 1);
    return st;
}

/* The document formats of ot.report: writes t/p[0..n) as fmt (1 json, 2 html,
 * 3 md, 4 csv; 0 the status table, English unless lang = "zh"), its
 * indicators named (and their tests worded by their kinds) from opts.db,
 * else the db ot.db() opened, to opts.output or standard output, with
 * the charts' history read from opts.db (else ot.db(); none when opts.history
 * is false) as of opts.as_of (else the host's): the document of run/, as a
 * job's.  Everything that can raise is done first; then the document is
 * built, written and released before an error is raised. */
static int report_doc(lua_State *L, ot_target *t, ot_projection *p, size_t n, int fmt)
{
    static const char *const langs[] = {"zh", "en", NULL};
    static const ot_report_format rf[] = {OT_REPORT_TXT, OT_REPORT_JSON, OT_REPORT_HTML,
                                          OT_REPORT_MD, OT_REPORT_CSV};
    int has_opts = lua_istable(L, 2);
    const char *output = has_opts ? ot_l_optfield_str(L, 2, 2, "output") : NULL;
    const char *title = has_opts ? ot_l_optfield_str(L, 2, 2, "title") : NULL;
    char year[16];
    const char *as_of_s = has_opts ? ot_l_optfield_asof(L, 2, 2, year, sizeof year) : NULL;
    int lang = has_opts ? ot_l_optfield_option(L, 2, 2, "lang", langs) : -1;
    int csv_raw = 0;
    ot_store *st = NULL;
    int history = fmt == 2;
    if (has_opts) {
        lua_getfield(L, 2, "csv_raw");                        /* [.., raw] */
        csv_raw = lua_toboolean(L, -1);
        lua_pop(L, 1);
    }
    if (has_opts && history) {
        if (lua_getfield(L, 2, "history") != LUA_TNIL) /* [.., history] */
            history = lua_toboolean(L, -1);
        lua_pop(L, 1);
        if (history && lua_getfield(L, 2, "db") != LUA_TNIL) /* [.., db]: anchored by opts */
            st = ot_l_checkbox(L, -1, 2, "field 'db'", OT_L_DB, "database is closed");
        lua_pop(L, 1);
    }
    if (history && !st)
        st = ot_l_defaultdb(L);
    if (!history) { /* the names and kinds of the series: opts.db, else the one open */
        if (has_opts && lua_getfield(L, 2, "db") != LUA_TNIL) /* [.., db]: anchored by opts */
            st = ot_l_checkbox(L, -1, 2, "field 'db'", OT_L_DB, "database is closed");
        if (has_opts)
            lua_pop(L, 1);
        if (!st)
            st = open_db(L);
    }
    int32_t days;
    const char *through;
    ot_l_asof(L, 2, as_of_s, &days, &through);
    ot_period pe = {OT_FREQ_NONE, 0, 1};
    if (through)
        ot_period_parse(through, (size_t)-1, &pe, NULL); /* checked by ot_l_asof */
    ot_run_asof a;
    ot_run_asof_set(&a, days, pe);
    int64_t *ids = lua_newuserdatauv(L, (n ? n : 1) * sizeof *ids, 0);
    memset(ids, 0, (n ? n : 1) * sizeof *ids);
    ot_run_set set = {t, ids, p, n}; /* borrowed: never freed here */
    ot_alloc al = ot_l_alloc(L);
    /* no Lua call from here until the document is released */
    ot_err e;
    ot_err_clear(&e);
    ot_run_doc d;
    int rc = !history ? ot_run_doc_table(&d, &set, st, &a, lang == 0 ? OT_LANG_ZH : OT_LANG_EN, &e)
                      : ot_run_doc_build(&d, &set, st, &a, NULL, &al, &e);
    if (fmt != 0)
        d.doc.lang = lang == 1 ? OT_LANG_EN : OT_LANG_ZH;
    d.doc.title = title;
    d.doc.csv_raw = csv_raw;
    FILE *f = stdout;
    if (rc == OT_OK && output && !(f = fopen(output, "wb")))
        rc = ot_err_set(&e, OT_EIO, "%s: %s", output, strerror(errno));
    if (rc == OT_OK) {
        fflush(stdout);
        rc = ot_report_write(&d.doc, rf[fmt], f, &e);
        if (f == stdout)
            fflush(stdout);
        else if (fclose(f) != 0 && rc == OT_OK)
            rc = ot_err_set(&e, OT_EIO, "%s: %s", output, strerror(errno));
    }
    ot_run_doc_free(&d);
    if (rc != OT_OK)
        return ot_l_error(L, &e);
    if (output)
        lua_pushstring(L, output);
    return output ? 1 : 0;
}

/* ot.report(list_of_p [, "table"|"json"|"html"|"md"|"csv" | {format =,
 * outcomes =, output =, lang =, title =, as_of =, db =, history =}]):
 * prints the status table (or JSON) of projections made by ot.project.
 * `outcomes` is a list of the same targets projected later (as_of =
 * "latest"): where one of them knows the year's outcome, it is shown beside
 * the projection.  "html", "md" and "csv" render the report document
 * (docs/reports.md); `output` writes any format to that file instead of
 * standard output and returns the path. */
static int l_report(lua_State *L)
{
    static const char *const fmts[] = {"table", "json", "html", "md", "csv", NULL};
    static const char *const keys[] = {"format", "outcomes", "output", "lang", "title",
                                       "as_of",  "db",       "history", "csv_raw", NULL};
    luaL_checktype(L, 1, LUA_TTABLE);
    int fmt = 0, outcomes = 0;
    lua_settop(L, 2);
    ot_l_checkkeys(L, 2, 2, keys);
    if (lua_istable(L, 2)) {
        lua_getfield(L, 2, "format");                         /* [ps, opts, format] */
        fmt = ot_l_checkoption(L, 3, "table", fmts);
        lua_pop(L, 1);
        if (lua_getfield(L, 2, "outcomes") != LUA_TNIL) {     /* [ps, opts, outcomes] */
            luaL_argcheck(L, lua_istable(L, -1), 2, "field 'outcomes' must be a list of projections");
            outcomes = lua_gettop(L);
        }
    } else {
        fmt = ot_l_checkoption(L, 2, "table", fmts);
    }
    int single = lua_getfield(L, 1, "_c") != LUA_TNIL;
    lua_pop(L, 1);
    if (single) {
        lua_createtable(L, 1, 0);
        lua_pushvalue(L, 1);
        lua_rawseti(L, -2, 1);
        lua_replace(L, 1);
    }
    size_t n = lua_rawlen(L, 1);
    if (outcomes)
        luaL_argcheck(L, lua_rawlen(L, outcomes) == n, 2,
                      "field 'outcomes' must have one projection per projection");
    ot_target *t = lua_newuserdatauv(L, (n ? n : 1) * sizeof *t, 0);
    ot_projection *p = lua_newuserdatauv(L, (n ? n : 1) * sizeof *p, 0);
    for (size_t i = 0; i < n; i++) {
        raw_projection(L, 1, 1, NULL, i, &p[i], &t[i]);
        if (outcomes) {
            ot_projection later;
            raw_projection(L, outcomes, 2, "outcomes", i, &later, NULL);
            if (later.has_outcome) {
                p[i].outcome = later.outcome;
                p[i].has_outcome = 1;
            }
        }
    }
    if (fmt >= 2 || (lua_istable(L, 2) && lua_getfield(L, 2, "output") != LUA_TNIL))
        return report_doc(L, t, p, n, fmt);
    if (fmt == 0) {
        report_doc(L, t, p, n, 0); /* pushes nothing without output */
    } else {
        ot_err e;
        ot_err_clear(&e);
        fflush(stdout);
        int rc = ot_report_json(t, p, n, NULL, stdout, &e);
        fflush(stdout);
        if (rc != OT_OK)
            return ot_l_error(L, &e);
    }
    /* The report object of the chained form ot.report(ps):write(path): it
     * remembers the list (normalised at 1) and the options. */
    lua_createtable(L, 0, 2);                  /* [.., r] */
    lua_pushvalue(L, 1);
    lua_setfield(L, -2, "projections");
    lua_pushvalue(L, 2);
    lua_setfield(L, -2, "options");
    ot_l_setmeta(L, OT_L_REPORT);
    return 1;
}

/* Copies the fields of the table at src (when it is one) into the table at
 * the top of the stack. */
static void merge_into_top(lua_State *L, int src)
{
    if (!lua_istable(L, src))
        return;
    lua_pushnil(L);                            /* [.., dst, k] */
    while (lua_next(L, src)) {                 /* [.., dst, k, v] */
        lua_pushvalue(L, -2);                  /* [.., dst, k, v, k] */
        lua_insert(L, -2);                     /* [.., dst, k, k, v] */
        lua_settable(L, -4);                   /* [.., dst, k] */
    }
}

/* r:write(path [, {format =, lang =, title =, as_of =, ...}]): writes the
 * report to path, in the format its extension names (.html, .md, .csv,
 * .json; else the text table) unless `format` says otherwise; the options
 * given to ot.report apply, overridden by these.  Returns path. */
static int report_write(lua_State *L)
{
    int ok = lua_istable(L, 1) && lua_getmetatable(L, 1);   /* [r, .., mt?] */
    if (ok) {
        luaL_getmetatable(L, OT_L_REPORT);                  /* [r, .., mt, MT] */
        ok = lua_rawequal(L, -1, -2);
        lua_pop(L, 2);
    }
    luaL_argexpected(L, ok, 1, "report");
    const char *path = luaL_checkstring(L, 2);
    if (!lua_isnoneornil(L, 3))
        luaL_checktype(L, 3, LUA_TTABLE);
    lua_settop(L, 3);
    lua_pushcfunction(L, l_report);                 /* 4: ot.report */
    lua_getfield(L, 1, "projections");              /* 5: the list */
    lua_newtable(L);                                /* 6: the options of this call */
    lua_getfield(L, 1, "options");                  /* 7: those given to ot.report */
    lua_pushvalue(L, 6);                            /* 8: 6 again, to merge into */
    merge_into_top(L, 7);
    merge_into_top(L, 3);
    lua_settop(L, 6);
    lua_pushvalue(L, 2);
    lua_setfield(L, 6, "output");
    if (lua_getfield(L, 6, "format") == LUA_TNIL) { /* the extension decides */
        static const char *const names[] = {"html", "md", "csv", "json"};
        ot_report_format f;
        int known = ot_report_format_from_path(path, &f) == 0 &&
                    (unsigned)f < sizeof names / sizeof *names;
        lua_pushstring(L, known ? names[f] : "table");
        lua_setfield(L, 6, "format");
    }
    lua_settop(L, 6);                               /* [r, path, o, report, ps, opts] */
    lua_call(L, 2, 0);
    lua_pushvalue(L, 2);
    return 1;
}

static int report_tostring(lua_State *L)
{
    lua_getfield(L, 1, "projections");
    lua_pushfstring(L, "report of %d projection%s (r:write(path) saves it as html, md, csv or json)",
                    (int)lua_rawlen(L, -1), lua_rawlen(L, -1) == 1 ? "" : "s");
    return 1;
}
#endif

static const luaL_Reg project_funcs[] = {
    {"project", l_project},
    {"compare", l_compare},
#ifdef OT_REPORT_PRESENT
    {"report", l_report},
#endif
    {NULL, NULL}};

void ot_l_open_project(lua_State *L)
{
    luaL_setfuncs(L, project_funcs, 0);        /* [mod] */
    luaL_newmetatable(L, OT_L_PROJECTION);
    lua_pushcfunction(L, proj_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pop(L, 1);
    luaL_newmetatable(L, OT_L_RAWPROJ);
    lua_pop(L, 1);
#ifdef OT_REPORT_PRESENT
    luaL_newmetatable(L, OT_L_REPORT);         /* [mod, mt] */
    lua_createtable(L, 0, 1);
    lua_pushcfunction(L, report_write);
    lua_setfield(L, -2, "write");
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, report_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pop(L, 1);
#endif
}
