/* job.c — job files: run a sandboxed chunk, convert its table to ot_job.
 *
 * The chunk runs under limits from its first instruction (limit.h): the
 * command's --timeout and --memory, else OT_JOB_TIMEOUT and OT_JOB_MEMORY. */
#include "lua/job.h"

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lua/limit.h"
#include "models/model.h" /* OT_PI_MODEL, OT_PI_CV */
#include "project/projection.h" /* OT_PROJ_EXCLUDE_*, the method rules (ot_years_parse: core/target.h) */
#include "run/run.h"              /* ot_run_asof_parse: the as_of a run will read */

void ot_job_clear(ot_job *j)
{
    if (!j)
        return;
    free(j->path);
    free(j->dir);
    free(j->name);
    free(j->db);
    free(j->as_of);
    free(j->series);
    free(j->method);
    free(j->title);
    for (size_t i = 0; i < j->nscripts; i++)
        free(j->scripts[i]);
    free(j->scripts);
    for (size_t i = 0; i < j->noutputs; i++)
        free(j->outputs[i]);
    free(j->outputs);
    memset(j, 0, sizeof *j);
}

/* Returns a new string: p when absolute, else dir/p. */
static char *resolve(const char *dir, const char *p)
{
    if (p[0] == '/' || !dir[0] || strcmp(dir, ".") == 0)
        return strdup(p);
    size_t n = strlen(dir) + strlen(p) + 2;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s/%s", dir, p);
    return s;
}

/* The conversion runs inside lua_pcall (so a Lua error while reading the
 * table cannot leak): its context, the light userdata at 1, holds the ot_job
 * being filled and the key an error is about; the job's table is at 2.
 * Everything allocated is stored in the job at once, so ot_job_clear frees it
 * whatever happens. */
typedef struct cvt {
    ot_job *j;
    char key[64]; /* the field the error raised is about, "" for none */
} cvt;

/* Records that the error about to be raised is about field k (its position
 * in the file is looked up afterwards, ot_job_field_at). */
static void at_key(lua_State *L, const char *k)
{
    cvt *c = lua_touserdata(L, 1);
    snprintf(c->key, sizeof c->key, "%s", k);
}

static int field_type_error(lua_State *L, const char *k, const char *want)
{
    at_key(L, k);
    return luaL_error(L, "field '%s' must be %s, got %s", k, want, luaL_typename(L, -1));
}

static char *opt_string(lua_State *L, int t, const char *k)
{
    char *s = NULL;
    lua_getfield(L, t, k);
    if (!lua_isnil(L, -1)) {
        if (lua_type(L, -1) != LUA_TSTRING)
            field_type_error(L, k, "a string");
        if (!(s = strdup(lua_tostring(L, -1))))
            luaL_error(L, "out of memory");
    }
    lua_pop(L, 1);
    return s;
}

static lua_Integer opt_int(lua_State *L, int t, const char *k, lua_Integer def, lua_Integer lo,
                           lua_Integer hi)
{
    lua_Integer v = def;
    lua_getfield(L, t, k);
    if (!lua_isnil(L, -1)) {
        int ok;
        v = lua_tointegerx(L, -1, &ok);
        if (!ok || v < lo || v > hi) {
            at_key(L, k);
            return luaL_error(L, "field '%s' must be an integer from %I to %I", k, lo, hi);
        }
    }
    lua_pop(L, 1);
    return v;
}

/* Reads a string or a list of strings at field k into a new resolved array. */
static void path_list(lua_State *L, int t, const char *k, const char *dir, char ***out, size_t *n)
{
    lua_getfield(L, t, k);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        return;
    }
    if (lua_type(L, -1) == LUA_TSTRING) {
        lua_newtable(L);
        lua_insert(L, -2);
        lua_rawseti(L, -2, 1);
    }
    if (!lua_istable(L, -1))
        field_type_error(L, k, "a list of strings");
    lua_Integer len = luaL_len(L, -1);
    if (len > 0 && !(*out = calloc((size_t)len, sizeof **out)))
        luaL_error(L, "out of memory");
    for (lua_Integer i = 1; i <= len; i++) {
        if (lua_rawgeti(L, -1, i) != LUA_TSTRING && (at_key(L, k), 1))
            luaL_error(L, "field '%s' must be a list of strings (item %I is %s)", k, i,
                       luaL_typename(L, -1));
        if (!((*out)[*n] = resolve(dir, lua_tostring(L, -1))))
            luaL_error(L, "out of memory");
        (*n)++;
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

/* Raises "unknown key 'output' (did you mean 'outputs'?)" for a string key
 * of the table at t that is not in known: a misspelt key is an error, not a
 * job that silently does less.  `in` names the table ("" or " in targets"). */
static void check_keys(lua_State *L, int t, const char *const known[], const char *in)
{
    lua_pushnil(L);
    while (lua_next(L, t)) {
        lua_pop(L, 1);
        const char *k = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
        size_t i = 0;
        while (k && known[i] && strcmp(known[i], k) != 0)
            i++;
        if (!k || known[i])
            continue;
        at_key(L, k);
        const char *near = ot_nearest_name(k, known);
        if (near)
            luaL_error(L, "unknown key '%s'%s (did you mean '%s'?)", k, in, near);
        luaL_Buffer b;
        luaL_buffinit(L, &b);
        for (i = 0; known[i]; i++) {
            luaL_addstring(&b, i ? ", " : "");
            luaL_addstring(&b, known[i]);
        }
        luaL_pushresult(&b);
        luaL_error(L, "unknown key '%s'%s (known: %s)", k, in, lua_tostring(L, -1));
    }
}

/* Reads the years field k of the job table at 2 into y, leaving y as it is
 * when absent: "2020-2022", "2020", "none", an integer year, or false
 * (none). */
static void opt_years(lua_State *L, const char *k, int y[2])
{
    int t = lua_getfield(L, 2, k);
    ot_err err;
    if (t == LUA_TBOOLEAN && !lua_toboolean(L, -1)) {
        y[0] = y[1] = 0;
    } else if (t == LUA_TNUMBER && lua_isinteger(L, -1) && lua_tointeger(L, -1) >= 1900 &&
               lua_tointeger(L, -1) <= 9999) {
        y[0] = y[1] = (int)lua_tointeger(L, -1);
    } else if (t == LUA_TSTRING) {
        if (ot_years_parse(lua_tostring(L, -1), y, &err) != OT_OK && (at_key(L, k), 1))
            luaL_error(L, "field '%s': %s", k, err.msg);
    } else if (t != LUA_TNIL) {
        field_type_error(L, k, "years (\"2020-2022\", a year, \"none\" or false)");
    }
    lua_pop(L, 1);
}

static int convert(lua_State *L)
{
    ot_job *j = ((cvt *)lua_touserdata(L, 1))->j;
    if (!lua_istable(L, 2))
        return luaL_error(L, "a job file must return a table, got %s", luaL_typename(L, 2));
    static const char *const keys[] = {"name",    "db",      "targets", "scripts", "as_of",
                                       "paths",   "seed",    "outputs", "keep",    "method",
                                       "intervals", "title",  "lang",    "exclude_years",
                                       "shape_years", NULL};
    static const char *const target_keys[] = {"year", "series", NULL};
    check_keys(L, 2, keys, "");
    j->name = opt_string(L, 2, "name");
    /* the name goes into file names ({job}) and the log: one file name, not
     * a path, and no control character */
    for (const char *c = j->name; c && *c; c++)
        if ((*c == '/' || (unsigned char)*c < 0x20 || *c == 0x7f) && (at_key(L, "name"), 1))
            return luaL_error(L, "field 'name' must be a name without '/' or control "
                                 "characters (it names files), got \"%s\"", j->name);
    if (j->name && !j->name[0] && (at_key(L, "name"), 1))
        return luaL_error(L, "field 'name' must not be empty");
    char *db = opt_string(L, 2, "db");
    if (db) {
        j->db = resolve(j->dir, db);
        free(db);
        if (!j->db)
            return luaL_error(L, "out of memory");
    }
    lua_getfield(L, 2, "as_of");
    if (!lua_isnil(L, -1) && lua_type(L, -1) != LUA_TSTRING)
        return field_type_error(L, "as_of", "a string (\"latest\" or a date)");
    lua_pop(L, 1);
    j->as_of = opt_string(L, 2, "as_of");
    ot_period asof;
    ot_err e2;
    /* checked here, as every field, before a database is opened (or made) */
    if (j->as_of && strcmp(j->as_of, "latest") != 0 &&
        ot_run_asof_parse(j->as_of, &asof, &e2) != OT_OK && (at_key(L, "as_of"), 1))
        return luaL_error(L, "field 'as_of' must be \"latest\", a date (2023-10-31) or a period "
                             "(2023-09), got \"%s\"", j->as_of);
    j->method = opt_string(L, 2, "method");
    lua_getfield(L, 2, "intervals");
    if (!lua_isnil(L, -1)) {
        const char *pi = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
        if (!pi || (strcmp(pi, "model") != 0 && strcmp(pi, "cv") != 0)) {
            at_key(L, "intervals");
            return luaL_error(L, "field 'intervals' must be \"model\" or \"cv\", got %s",
                              pi ? lua_pushfstring(L, "\"%s\"", pi) : luaL_typename(L, -1));
        }
        j->intervals = strcmp(pi, "cv") == 0 ? OT_PI_CV : OT_PI_MODEL;
    }
    lua_pop(L, 1);
    /* the rules ot.project and `ontrack project` apply, here before a run */
    if (j->method && !ot_proj_method_resolve(j->method) && (at_key(L, "method"), 1))
        return luaL_error(L, "field 'method': unknown method '%s' (known: %s, %s, %s, %s)",
                          j->method, OT_PROJ_METHOD_CARRY, OT_PROJ_METHOD_RATE,
                          OT_PROJ_METHOD_FALLBACK, ot_method_names());
    if (j->intervals == OT_PI_CV && !ot_proj_method_takes_cv(j->method) &&
        (at_key(L, "intervals"), 1))
        return luaL_error(L, "field 'intervals': \"cv\" is not available with method %s (use a "
                             "model such as auto or ets)", ot_proj_method_resolve(j->method));
    j->title = opt_string(L, 2, "title");
    lua_getfield(L, 2, "lang");
    if (!lua_isnil(L, -1)) {
        const char *lang = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
        if (!lang || (strcmp(lang, "zh") != 0 && strcmp(lang, "en") != 0)) {
            at_key(L, "lang");
            return luaL_error(L, "field 'lang' must be \"zh\" or \"en\", got %s",
                              lang ? lua_pushfstring(L, "\"%s\"", lang) : luaL_typename(L, -1));
        }
        j->lang_en = strcmp(lang, "en") == 0;
    }
    lua_pop(L, 1);
    j->paths = (size_t)opt_int(L, 2, "paths", 10000, 1, 10000000);
    j->seed = (unsigned long)opt_int(L, 2, "seed", 1, 1, 0xffffffffL);
    j->keep = (int)opt_int(L, 2, "keep", 0, 0, 1000000);
    j->exclude_years[0] = OT_PROJ_EXCLUDE_FROM;
    j->exclude_years[1] = OT_PROJ_EXCLUDE_TO;
    opt_years(L, "exclude_years", j->exclude_years);
    opt_years(L, "shape_years", j->shape_years);
    lua_getfield(L, 2, "targets");
    if (!lua_isnil(L, -1)) {
        if (!lua_istable(L, -1))
            return field_type_error(L, "targets", "a table ({year = 2023, series = \"yiwu.*\"})");
        check_keys(L, lua_gettop(L), target_keys, " in targets");
        j->has_targets = 1;
        j->year = (int)opt_int(L, lua_gettop(L), "year", 0, 0, 9999);
        j->series = opt_string(L, lua_gettop(L), "series");
    }
    lua_pop(L, 1);
    path_list(L, 2, "scripts", j->dir, &j->scripts, &j->nscripts);
    path_list(L, 2, "outputs", j->dir, &j->outputs, &j->noutputs);
    if (!j->has_targets && j->nscripts == 0)
        return luaL_error(L, "a job needs `targets` or `scripts`");
    if (!j->name) {
        const char *base = strrchr(j->path, '/');
        base = base ? base + 1 : j->path;
        size_t n = strlen(base);
        if (n > 4 && strcmp(base + n - 4, ".lua") == 0)
            n -= 4;
        if (!(j->name = strndup(base, n)))
            return luaL_error(L, "out of memory");
    }
    return 0;
}

/* Skips a long bracket ("[[", "[==[") at s[*i] when there is one, counting
 * the lines it spans into *line and *bol (the start of the line).  Returns
 * whether it skipped. */
static int skip_long(const char *s, size_t n, size_t *i, long *line, size_t *bol)
{
    size_t j = *i + 1, eq = 0;
    while (j < n && s[j] == '=')
        j++, eq++;
    if (s[*i] != '[' || j >= n || s[j] != '[')
        return 0;
    for (j++; j < n; j++) {
        if (s[j] == '\n') {
            (*line)++;
            *bol = j + 1;
        } else if (s[j] == ']') {
            size_t k = j + 1, e = 0;
            while (k < n && s[k] == '=')
                k++, e++;
            if (e == eq && k < n && s[k] == ']') {
                *i = k + 1;
                return 1;
            }
        }
    }
    *i = n;
    return 1;
}

/* Whether c may be in a Lua name (ASCII letters, '_', and digits after the
 * first character). */
static int name_char(unsigned char c, int digits)
{
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (digits && c >= '0' && c <= '9');
}

/* Where field k is written in the Lua source s (`k =`, not `k ==` nor
 * `x.k =`): the first such name outside comments and strings, as 1-based
 * line and column (in characters).  A lexical look, not a parse: a table
 * built another way (t["k"] = …) gives 0, no position. */
static void locate_key(const char *s, size_t n, const char *k, long *line, long *col)
{
    size_t kl = strlen(k), bol = 0;
    long ln = 1;
    *line = *col = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\n') {
            ln++;
            bol = ++i;
        } else if (c == '-' && i + 1 < n && s[i + 1] == '-') { /* a comment */
            i += 2;
            if (!(i < n && skip_long(s, n, &i, &ln, &bol)))
                while (i < n && s[i] != '\n')
                    i++;
        } else if (c == '[' && skip_long(s, n, &i, &ln, &bol)) { /* a long string */
        } else if (c == '"' || c == '\'') { /* a string; "\<newline>" and \z span lines */
            for (i++; i < n && s[i] != (char)c; i++) {
                if (s[i] == '\\' && i + 1 < n)
                    i++;
                if (s[i] == '\n') {
                    ln++;
                    bol = i + 1;
                }
            }
            i++;
        } else if (name_char(c, 0)) {
            size_t b = i;
            while (i < n && name_char((unsigned char)s[i], 1))
                i++;
            size_t e = i;
            while (e < n && (s[e] == ' ' || s[e] == '\t'))
                e++;
            if (i - b == kl && memcmp(s + b, k, kl) == 0 && (b == 0 || s[b - 1] != '.') &&
                e < n && s[e] == '=' && (e + 1 >= n || s[e + 1] != '=')) {
                *line = ln;
                *col = 1;
                for (size_t p = bol; p < b; p++) /* characters, not bytes: UTF-8 */
                    *col += ((unsigned char)s[p] & 0xC0) != 0x80;
                return;
            }
        } else {
            i++;
        }
    }
}

/* Reads the file again (the chunk is gone by then) and looks for k in its
 * first MiB; 0 when it cannot be read or k is not found. */
void ot_job_field_at(const char *path, const char *k, long *line, long *col)
{
    *line = *col = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return;
    enum { MAXREAD = 1 << 20 }; /* job files are small; a longer one is looked at so far */
    char *buf = malloc(MAXREAD);
    size_t n = buf ? fread(buf, 1, MAXREAD, f) : 0;
    fclose(f);
    if (buf)
        locate_key(buf, n, k, line, col);
    free(buf);
}

int ot_job_load(const char *path, ot_job *out, ot_err *err)
{
    return ot_job_load_limited(path, 0, 0, out, err);
}

int ot_job_load_limited(const char *path, double timeout, size_t mem, ot_job *out, ot_err *err)
{
    ot_limit lim;
    memset(&lim, 0, sizeof lim);
    lim.timeout = timeout > 0 ? timeout : OT_JOB_TIMEOUT;
    lim.cap = mem > 0 ? mem : OT_JOB_MEMORY;
    lim.what = "job file";
    ot_job j;
    memset(&j, 0, sizeof j);
    int rc = OT_OK;
    lua_State *L = NULL;
    if (!(j.path = strdup(path))) {
        rc = ot_err_set(err, OT_ENOMEM, "out of memory");
        goto done;
    }
    const char *slash = strrchr(path, '/');
    j.dir = slash ? strndup(path, (size_t)(slash - path) + (slash == path)) : strdup(".");
    if (!j.dir || !(L = ot_limit_newstate(&lim))) {
        rc = ot_err_set(err, OT_ENOMEM, "out of memory");
        goto done;
    }
    ot_limit_arm(&lim); /* from the first instruction, the loader's too */
    /* Only the base, string, table and math libraries; then drop the base
     * functions that reach outside (files, code loading). */
    static const luaL_Reg libs[] = {{LUA_GNAME, luaopen_base},     {LUA_STRLIBNAME, luaopen_string},
                                    {LUA_TABLIBNAME, luaopen_table}, {LUA_MATHLIBNAME, luaopen_math},
                                    {NULL, NULL}};
    for (const luaL_Reg *l = libs; l->func; l++) {
        luaL_requiref(L, l->name, l->func, 1);
        lua_pop(L, 1);
    }
    static const char *const unsafe[] = {"dofile", "loadfile", "load", "require", "collectgarbage", NULL};
    for (const char *const *u = unsafe; *u; u++) {
        lua_pushnil(L);
        lua_setglobal(L, *u);
    }
    int st = luaL_loadfilex(L, path, "t");
    if (st == LUA_ERRFILE) {
        rc = ot_err_set(err, OT_ENOTFOUND, "%s", lua_tostring(L, -1));
        goto done;
    }
    if (st == LUA_OK)
        st = lua_pcall(L, 0, 1, 0);
    if (st != LUA_OK) {
        if (st == LUA_ERRMEM)
            rc = ot_err_set(err, OT_ELIMIT, "%s: not enough memory: the job file's memory limit of "
                            "%zu MB was reached", path, lim.cap >> 20);
        else if (lim.stopped)
            rc = ot_err_set(err, OT_ELIMIT, "%s: job file stopped: time limit of %g s exceeded",
                            path, lim.timeout);
        else { /* name the file when the message does not ("attempt to load a
                * binary chunk", error("x", 0), an error object) */
            const char *m = lua_tostring(L, -1) ? lua_tostring(L, -1) : "(error object)";
            size_t pl = strlen(path);
            int named = strncmp(m, path, pl) == 0 && m[pl] == ':';
            rc = ot_err_set(err, OT_EDATA, "%s%s%s", named ? "" : path, named ? "" : ": ", m);
        }
        goto done;
    }
    /* stack: result */
    cvt cv = {&j, ""};
    lua_pushcfunction(L, convert);
    lua_pushlightuserdata(L, &cv);
    lua_pushvalue(L, -3);
    if ((st = lua_pcall(L, 2, 0, 0)) != LUA_OK) {
        /* a field's error says where the field is written: file:line:col */
        long line = 0, col = 0;
        if (st != LUA_ERRMEM && cv.key[0])
            ot_job_field_at(path, cv.key, &line, &col);
        const char *m = lua_tostring(L, -1) ? lua_tostring(L, -1) : "not enough memory";
        if (line > 0)
            rc = ot_err_setloc(err, OT_EDATA, path, line, col, "%s", m);
        else
            rc = ot_err_set(err, st == LUA_ERRMEM ? OT_ELIMIT : OT_EDATA, "%s: %s", path, m);
        goto done;
    }
done:
    if (L)
        lua_close(L);
    if (rc == OT_OK)
        *out = j;
    else
        ot_job_clear(&j);
    return rc;
}
