/* lmodel.c — fitted models: ot.fit, ot.fit_many, m:forecast, m:simulate,
 * m:residuals, m:fitted and the fields method, desc, params, aicc, ...
 *
 * A model box holds one ot_model * (made through the fitted series'
 * allocator, i.e. the state's).  Forecast and simulation results are copied
 * into series boxes pushed before the engine call, so a Lua error while the
 * result tables are built cannot leak; the GSL generator lives only between
 * its allocation and its free, with no Lua call in between.
 */
#include "lua/lontrack.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "models/model.h"

#define MAXLEVELS 8

/* Pushes an empty model box (pointer NULL) to fit a model into. */
static ot_model **newmodel(lua_State *L)
{
    ot_model **box = lua_newuserdatauv(L, sizeof *box, 0);
    *box = NULL;
    ot_l_setmeta(L, OT_L_MODEL);
    return box;
}

/* The open model at arg, or a bad-argument error. */
static const ot_model *checkmodel(lua_State *L, int arg)
{
    ot_model **box = luaL_testudata(L, arg, OT_L_MODEL);
    if (!box)
        luaL_typeerror(L, arg, "model");
    if (!*box)
        luaL_argerror(L, arg, "model is closed");
    return *box;
}

/* Reads {period =, spec =, intervals = "model" | "cv"} at arg (may be
 * absent) into o; the spec string stays alive in the caller's table. */
static const char *const fit_keys[] = {"period", "spec", "intervals", NULL};
static const char *const fit_many_keys[] = {"period", "spec", "intervals", "threads", NULL};

static void checkopts(lua_State *L, int arg, ot_model_opts *o, const char *const keys[])
{
    memset(o, 0, sizeof *o);
    if (lua_isnoneornil(L, arg))
        return;
    luaL_checktype(L, arg, LUA_TTABLE);
    ot_l_checkkeys(L, arg, arg, keys);
    lua_Integer period = ot_l_optfield_int(L, arg, arg, "period", 0);
    luaL_argcheck(L, period >= 0 && period <= 366, arg, "period out of range 0..366");
    o->period = (int)period;
    o->spec = ot_l_optfield_str(L, arg, arg, "spec");
    const char *pi = ot_l_optfield_str(L, arg, arg, "intervals");
    if (pi && strcmp(pi, "model") != 0 && strcmp(pi, "cv") != 0)
        luaL_argerror(L, arg, lua_pushfstring(L, "intervals must be \"model\" or \"cv\", "
                                                 "got \"%s\"", pi));
    o->intervals = pi && strcmp(pi, "cv") == 0 ? OT_PI_CV : OT_PI_MODEL;
}

/* ot.fit(s [, method = "auto" [, {period =, spec =}]]) -> model, made
 * through the state's allocator. */
static int l_fit(lua_State *L)
{
    const ot_series *s = ot_l_checkseries(L, 1);
    const char *method = luaL_optstring(L, 2, "auto");
    ot_model_opts o;
    checkopts(L, 3, &o, fit_keys);
    ot_model **box = newmodel(L);
    ot_err e;
    ot_err_clear(&e);
    if (ot_model_fit(s, method, &o, box, &e) != OT_OK)
        return ot_l_error(L, &e);
    return 1;
}

/* The C arrays of one fit_many call, boxed while they are filled: copies of
 * the inputs made with malloc (the pool's threads cannot share the state's
 * allocator), the fitted models not yet moved into model boxes, and the
 * errors.  __gc frees whatever is still there. */
typedef struct batch {
    size_t n;
    ot_series **ys;
    ot_model **out;
    ot_err *errs;
} batch;

#define OT_L_BATCH "ontrack.fitbatch"

/* Frees the input copies and every model not moved into a box. */
static int batch_gc(lua_State *L)
{
    batch *b = luaL_checkudata(L, 1, OT_L_BATCH);
    for (size_t i = 0; i < b->n; i++) {
        if (b->ys)
            ot_series_free(b->ys[i]);
        if (b->out)
            ot_model_free(b->out[i]);
    }
    free(b->ys);
    free(b->out);
    free(b->errs);
    memset(b, 0, sizeof *b);
    return 0;
}

/* ot.fit_many({s1, s2, ...} [, method = "auto" [, {period =, spec =,
 * threads =}]]) -> {m1, m2, ...}: fits on `threads` threads (0 = the
 * engine's default), with the same results for any number of threads; the
 * first failure raises naming the series' position.  The models' memory is
 * not counted against a script's cap. */
static int l_fit_many(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    const char *method = luaL_optstring(L, 2, "auto");
    ot_model_opts o;
    checkopts(L, 3, &o, fit_many_keys);
    lua_Integer threads = 0;
    if (lua_istable(L, 3))
        threads = ot_l_optfield_int(L, 3, 3, "threads", 0);
    luaL_argcheck(L, threads >= 0 && threads <= 64, 3, "threads must be 0..64");
    size_t n = lua_rawlen(L, 1);
    lua_settop(L, 3);
    for (size_t i = 0; i < n; i++) {
        lua_rawgeti(L, 1, (lua_Integer)i + 1);
        if (!ot_l_toseries(L, -1))
            luaL_argerror(L, 1, lua_pushfstring(L, "item %d is not an open series", (int)i + 1));
        lua_pop(L, 1);
    }
    batch *b = lua_newuserdatauv(L, sizeof *b, 0);               /* [4] batch */
    memset(b, 0, sizeof *b);
    ot_l_setmeta(L, OT_L_BATCH);
    ot_err e;
    ot_err_clear(&e);
    if (n && (!(b->ys = calloc(n, sizeof *b->ys)) || !(b->out = calloc(n, sizeof *b->out)) ||
              !(b->errs = calloc(n, sizeof *b->errs)))) {
        ot_err_set(&e, OT_ENOMEM, "out of memory");
        return ot_l_error(L, &e);
    }
    b->n = n;
    for (size_t i = 0; i < n; i++) {
        lua_rawgeti(L, 1, (lua_Integer)i + 1);
        const ot_series *s = ot_l_toseries(L, -1);
        lua_pop(L, 1); /* the list keeps it */
        if (!(b->ys[i] = ot_series_from(&ot_alloc_std, s->freq, s->start, s->v, s->n, &e)))
            return ot_l_error(L, &e);
    }
    if (ot_model_fit_many((const ot_series *const *)b->ys, n, method, &o, (int)threads, b->out,
                          b->errs, &e) != OT_OK)
        return ot_l_error(L, &e);
    lua_createtable(L, (int)n, 0);                                /* [5] result */
    for (size_t i = 0; i < n; i++) {
        if (!b->out[i]) {
            ot_err_set(&e, b->errs[i].code ? b->errs[i].code : OT_EDATA, "series %d: %s",
                       (int)i + 1, b->errs[i].msg);
            return ot_l_error(L, &e);
        }
        ot_model **box = newmodel(L);
        *box = b->out[i];                                         /* move */
        b->out[i] = NULL;
        lua_rawseti(L, 5, (lua_Integer)i + 1);
    }
    return 1;
}

/* m:forecast(h [, {levels = {80, 95}}]) -> {mean = s, lower = {[80] = s, ...},
 * upper = {...}, levels = {80, 95}, h = h} */
static int l_forecast(lua_State *L)
{
    const ot_model *m = checkmodel(L, 1);
    lua_Integer h = luaL_checkinteger(L, 2);
    luaL_argcheck(L, h >= 1 && h <= 100000, 2, "horizon must be 1..100000");
    double levels[MAXLEVELS] = {80, 95};
    size_t nl = 2;
    if (!lua_isnoneornil(L, 3)) {
        static const char *const keys[] = {"levels", NULL};
        luaL_checktype(L, 3, LUA_TTABLE);
        ot_l_checkkeys(L, 3, 3, keys);
        if (lua_getfield(L, 3, "levels") != LUA_TNIL) {
            luaL_argcheck(L, lua_istable(L, -1), 3, "levels must be a table of percentages");
            lua_Integer k = (lua_Integer)lua_rawlen(L, -1);
            luaL_argcheck(L, k <= MAXLEVELS, 3, "at most 8 levels");
            nl = (size_t)k;
            for (lua_Integer i = 1; i <= k; i++) {
                lua_rawgeti(L, -1, i);
                int isnum;
                double x = lua_tonumberx(L, -1, &isnum);
                if (!isnum || !(x > 0 && x < 100))
                    luaL_argerror(L, 3, lua_pushfstring(L, "levels[%I] must be a number "
                                                           "between 0 and 100", i));
                for (lua_Integer j = 1; j < i; j++) /* fc.lower[x] would hold one of them */
                    if (levels[j - 1] == x)
                        luaL_argerror(L, 3, lua_pushfstring(L, "levels[%I] repeats levels[%I] "
                                                               "(%f)", i, j, (LUAI_UACNUMBER)x));
                levels[i - 1] = x;
                lua_pop(L, 1);
            }
        }
        lua_pop(L, 1);
    }
    lua_settop(L, 2);
    luaL_checkstack(L, (int)(2 * nl + 8), "too many levels");
    int first = lua_gettop(L) + 1;                        /* mean, lo[...], up[...] boxes */
    ot_series **mean = ot_l_newseries(L);
    ot_series **lo[MAXLEVELS], **up[MAXLEVELS];
    for (size_t l = 0; l < nl; l++) {
        lo[l] = ot_l_newseries(L);
        up[l] = ot_l_newseries(L);
    }
    ot_forecast *f;
    ot_err e;
    ot_err_clear(&e);
    if (ot_model_forecast(m, (size_t)h, levels, nl, &f, &e) != OT_OK)
        return ot_l_error(L, &e);
    /* copy into the boxes; no Lua call until f is freed */
    int ok = (*mean = ot_series_copy(f->mean, &e)) != NULL;
    for (size_t l = 0; ok && l < nl; l++)
        ok = (*lo[l] = ot_series_copy(f->lower[l], &e)) != NULL &&
             (*up[l] = ot_series_copy(f->upper[l], &e)) != NULL;
    ot_forecast_free(f);
    if (!ok)
        return ot_l_error(L, &e);
    lua_createtable(L, 0, 5);                             /* [.., fc] */
    lua_pushvalue(L, first);
    lua_setfield(L, -2, "mean");
    lua_pushinteger(L, h);
    lua_setfield(L, -2, "h");
    lua_createtable(L, (int)nl, 0);                       /* levels */
    lua_createtable(L, 0, (int)nl);                       /* lower */
    lua_createtable(L, 0, (int)nl);                       /* upper */
    for (size_t l = 0; l < nl; l++) {
        lua_Number lv = levels[l];
        lua_pushnumber(L, lv);
        lua_rawseti(L, -4, (lua_Integer)l + 1);
        /* integral levels index as integers: fc.lower[80] */
        if (lv == floor(lv))
            lua_pushinteger(L, (lua_Integer)lv);
        else
            lua_pushnumber(L, lv);
        lua_pushvalue(L, -1);                             /* [levels, lower, upper, k, k] */
        lua_pushvalue(L, first + 1 + 2 * (int)l);
        lua_rawset(L, -5);                                /* lower[k] */
        lua_pushvalue(L, first + 2 + 2 * (int)l);
        lua_rawset(L, -3);                                /* upper[k] */
    }
    lua_setfield(L, -4, "upper");
    lua_setfield(L, -3, "lower");
    lua_setfield(L, -2, "levels");
    return 1;
}

/* m:simulate(h, n [, seed = 1]) -> {path1, ..., pathn} as series following
 * the data.  Same seed, same paths. */
static int l_simulate(lua_State *L)
{
    const ot_model *m = checkmodel(L, 1);
    lua_Integer h = luaL_checkinteger(L, 2);
    lua_Integer n = luaL_checkinteger(L, 3);
    lua_Integer seed = luaL_optinteger(L, 4, 1);
    luaL_argcheck(L, h >= 1 && h <= 100000, 2, "horizon must be 1..100000");
    luaL_argcheck(L, n >= 1 && n <= 1000000 && h * n <= 100000000, 3,
                  "paths must be 1..1000000 (and h * paths at most 1e8)");
    /* as ot.project's: a seed the generator would cut to 32 bits (2^32 + 1
     * giving seed 1's paths) or read as its default (0) is refused */
    luaL_argcheck(L, seed >= 1 && seed <= 4294967295, 4, "seed must be 1..4294967295");
    double *paths = lua_newuserdatauv(L, (size_t)(h * n) * sizeof *paths, 0); /* [.., paths] */
    ot_err e;
    ot_err_clear(&e);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!rng) {
        ot_err_set(&e, OT_ENOMEM, "out of memory");
        return ot_l_error(L, &e);
    }
    gsl_rng_set(rng, (unsigned long)seed);
    int rc = ot_model_simulate(m, (size_t)h, (size_t)n, rng, paths, &e);
    gsl_rng_free(rng);
    if (rc != OT_OK)
        return ot_l_error(L, &e);
    lua_createtable(L, (int)n, 0);                        /* [.., paths, list] */
    int list = lua_gettop(L); /* not a fixed index: the seed may be left out */
    ot_alloc a = ot_l_alloc(L);
    ot_ord start = m->start + (ot_ord)m->n;
    for (lua_Integer p = 0; p < n; p++) {
        ot_series **box = ot_l_newseries(L);
        ot_series *s = ot_series_from(&a, m->freq, start, paths + p * h, (size_t)h, &e);
        if (!s)
            return ot_l_error(L, &e);
        ot_l_setseries(L, box, s);
        lua_rawseti(L, list, p + 1);
    }
    return 1;
}

/* Pushes n values from v as a series on the model's data periods. */
static int push_fitted(lua_State *L, const ot_model *m, const double *v)
{
    ot_series **box = ot_l_newseries(L);
    ot_alloc a = ot_l_alloc(L);
    ot_err e;
    ot_err_clear(&e);
    ot_series *s = ot_series_from(&a, m->freq, m->start, v, m->n, &e);
    if (!s)
        return ot_l_error(L, &e);
    ot_l_setseries(L, box, s);
    return 1;
}

/* m:residuals() -> series over the data (missing where none). */
static int l_residuals(lua_State *L)
{
    const ot_model *m = checkmodel(L, 1);
    return push_fitted(L, m, m->resid);
}

/* m:fitted() -> one-step fitted values over the data. */
static int l_fitted(lua_State *L)
{
    const ot_model *m = checkmodel(L, 1);
    return push_fitted(L, m, m->fitted);
}

/* A number, nil for NaN (a statistic the method does not define). */
static void pushnum(lua_State *L, double x)
{
    if (isnan(x))
        lua_pushnil(L);
    else
        lua_pushnumber(L, x);
}

/* __index: methods (upvalue 1), then the fields. */
static int m_index(lua_State *L)
{
    const ot_model *m = checkmodel(L, 1);
    const char *k = luaL_checkstring(L, 2);
    if (lua_getfield(L, lua_upvalueindex(1), k) != LUA_TNIL)
        return 1;
    lua_pop(L, 1);
    if (strcmp(k, "method") == 0)
        lua_pushstring(L, m->method->name);
    else if (strcmp(k, "desc") == 0)
        lua_pushstring(L, m->desc);
    else if (strcmp(k, "aicc") == 0)
        pushnum(L, m->aicc);
    else if (strcmp(k, "aic") == 0)
        pushnum(L, m->aic);
    else if (strcmp(k, "bic") == 0)
        pushnum(L, m->bic);
    else if (strcmp(k, "loglik") == 0)
        pushnum(L, m->loglik);
    else if (strcmp(k, "sigma2") == 0)
        pushnum(L, m->sigma2);
    else if (strcmp(k, "n") == 0)
        lua_pushinteger(L, (lua_Integer)m->n);
    else if (strcmp(k, "period") == 0)
        lua_pushinteger(L, m->period);
    else if (strcmp(k, "spec") == 0) /* refits the structure chosen, or nil */
        m->spec_used[0] ? (void)lua_pushstring(L, m->spec_used) : lua_pushnil(L);
    else if (strcmp(k, "intervals") == 0)
        lua_pushstring(L, m->intervals == OT_PI_CV ? "cv" : "model");
    else if (strcmp(k, "params") == 0) {
        lua_createtable(L, 0, (int)m->npar);
        for (size_t i = 0; i < m->npar && i < OT_MODEL_MAXPAR; i++) {
            /* a name may fill its 16 bytes without a terminator */
            lua_pushlstring(L, m->par_name[i], strnlen(m->par_name[i], sizeof m->par_name[i]));
            lua_pushnumber(L, m->par[i]);
            lua_rawset(L, -3);
        }
    } else
        lua_pushnil(L);
    return 1;
}

/* "ETS(A,N,A) on 141 observations, AICc 2126.84" and the parameters. */
static int m_tostring(lua_State *L)
{
    ot_model **box = luaL_checkudata(L, 1, OT_L_MODEL);
    const ot_model *m = *box;
    if (!m) {
        lua_pushliteral(L, "model (closed)");
        return 1;
    }
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    char buf[128];
    snprintf(buf, sizeof buf, "%s on %zu observations", m->desc[0] ? m->desc : m->method->name,
             m->n);
    luaL_addstring(&b, buf);
    if (!isnan(m->aicc)) {
        snprintf(buf, sizeof buf, ", AICc %.2f", m->aicc);
        luaL_addstring(&b, buf);
    }
    for (size_t i = 0; i < m->npar && i < OT_MODEL_MAXPAR; i++) {
        snprintf(buf, sizeof buf, "%s%.*s = %.4g", i ? ", " : "\n  ", 16, m->par_name[i],
                 m->par[i]);
        luaL_addstring(&b, buf);
    }
    luaL_pushresult(&b);
    return 1;
}

/* __gc and __close: frees the model once. */
static int m_gc(lua_State *L)
{
    ot_model **box = luaL_checkudata(L, 1, OT_L_MODEL);
    ot_model_free(*box);
    *box = NULL;
    return 0;
}

static const luaL_Reg model_methods[] = {
    {"forecast", l_forecast},
    {"simulate", l_simulate},
    {"residuals", l_residuals},
    {"fitted", l_fitted},
    {NULL, NULL}};

static const luaL_Reg model_meta[] = {
    {"__tostring", m_tostring},
    {"__gc", m_gc},
    {"__close", m_gc},
    {NULL, NULL}};

static const luaL_Reg model_funcs[] = {
    {"fit", l_fit},
    {"fit_many", l_fit_many},
    {NULL, NULL}};

/* Adds ot.fit and ot.fit_many and makes the model and batch metatables. */
void ot_l_open_model(lua_State *L)
{
    luaL_setfuncs(L, model_funcs, 0);       /* [mod] */
    luaL_newmetatable(L, OT_L_MODEL);       /* [mod, mt] */
    luaL_setfuncs(L, model_meta, 0);
    luaL_newlib(L, model_methods);          /* [mod, mt, methods] */
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, "methods");         /* mt.methods, for REPL completion */
    lua_pushcclosure(L, m_index, 1);
    lua_setfield(L, -2, "__index");
    lua_pushliteral(L, "model");
    lua_setfield(L, -2, "__name");
    lua_pop(L, 1);                          /* [mod] */
    luaL_newmetatable(L, OT_L_BATCH);
    lua_pushcfunction(L, batch_gc);
    lua_setfield(L, -2, "__gc");
    lua_pop(L, 1);
}
