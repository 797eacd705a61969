/* lontrack.c — the `ontrack` Lua module: opener and the helpers every binding
 * file shares (argument checks, periods, engine errors, the allocator).
 *
 * luaopen_ontrack builds one table from the per-file openers (series, db,
 * model, project).  It is what the host preloads as the global `ot` and what
 * `require "ontrack"` loads from stock lua5.4.
 */
#include "lua/lontrack.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/period.h"
#include "core/text.h"

/* docs/lua-api.md, compiled in (lua_api_doc.c, made by embed.cmake). */
extern const unsigned char ot_l_lua_api_doc[];

ot_alloc ot_l_alloc(lua_State *L)
{
    ot_alloc a;
    a.f = lua_getallocf(L, &a.ud);
    return a;
}

void ot_l_setmeta(lua_State *L, const char *tname)
{
    int closing = lua_getfield(L, LUA_REGISTRYINDEX, OT_L_REG_CLOSING) != LUA_TNIL;
    lua_pop(L, 1);
    if (closing)
        luaL_error(L, "the script has ended: ontrack makes no new object (%s) in a finalizer "
                      "run at exit", tname);
    luaL_setmetatable(L, tname);
}

/* Formats e after the calling Lua function's position, remembers the message
 * and code in the registry (for ot_l_errcode) and raises it.  Only stack
 * memory is used before the raise. */
int ot_l_error(lua_State *L, const ot_err *e)
{
    char buf[OT_ERR_MSG_MAX + OT_ERR_FILE_MAX + 48];
    ot_err_format(e, buf, sizeof buf);
    if (!buf[0])
        snprintf(buf, sizeof buf, "engine error %d", e->code);
    lua_pushstring(L, buf);
    return ot_l_error_top(L, e->code);
}

/* Pushes "chunk:line: " of the Lua code that called into the engine, as
 * luaL_where(L, 1) does, but past C functions in between (r:write calling
 * ot.report, pcall calling db:series), so the message says where the
 * script was; "" when no Lua function with line information is found. */
static void where(lua_State *L)
{
    lua_Debug ar;
    for (int level = 1; level < 8 && lua_getstack(L, level, &ar); level++) {
        lua_getinfo(L, "Sl", &ar);
        if (ar.currentline > 0) {
            lua_pushfstring(L, "%s:%d: ", ar.short_src, ar.currentline);
            return;
        }
        if (ar.what[0] != 'C') /* a Lua function without line information */
            break;
    }
    lua_pushliteral(L, "");
}

int ot_l_error_top(lua_State *L, int code)
{
    where(L);                               /* [.., text, "chunk:line: "] */
    lua_insert(L, -2);
    lua_concat(L, 2);                       /* message */
    lua_pushvalue(L, -1);
    lua_setfield(L, LUA_REGISTRYINDEX, OT_L_REG_ERRMSG);
    lua_pushinteger(L, code);
    lua_setfield(L, LUA_REGISTRYINDEX, OT_L_REG_ERRCODE);
    return lua_error(L);
}

int ot_l_errcode(lua_State *L, int idx)
{
    int code = OT_ESCRIPT;
    idx = lua_absindex(L, idx);
    if (lua_type(L, idx) != LUA_TSTRING)
        return code;
    lua_getfield(L, LUA_REGISTRYINDEX, OT_L_REG_ERRMSG);
    if (lua_rawequal(L, idx, -1)) {
        lua_getfield(L, LUA_REGISTRYINDEX, OT_L_REG_ERRCODE);
        code = (int)lua_tointeger(L, -1);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return code;
}

/* Pushes `<prefix>expected "a", "b" or "c", got "x"` and returns it. */
static const char *pushexpected(lua_State *L, const char *prefix, const char *const names[],
                                const char *got)
{
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    luaL_addstring(&b, prefix);
    luaL_addstring(&b, "expected ");
    size_t n = 0;
    while (names[n])
        n++;
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            luaL_addstring(&b, i + 1 == n ? " or " : ", ");
        luaL_addchar(&b, '"');
        luaL_addstring(&b, names[i]);
        luaL_addchar(&b, '"');
    }
    luaL_addstring(&b, ", got \"");
    luaL_addstring(&b, got);
    luaL_addchar(&b, '"');
    luaL_pushresult(&b);
    return lua_tostring(L, -1);
}

static int findname(const char *const names[], const char *s)
{
    for (int i = 0; names[i]; i++)
        if (strcmp(names[i], s) == 0)
            return i;
    return -1;
}

int ot_l_checkoption(lua_State *L, int arg, const char *def, const char *const names[])
{
    const char *name = def ? luaL_optstring(L, arg, def) : luaL_checkstring(L, arg);
    int i = findname(names, name);
    if (i < 0)
        luaL_argerror(L, arg, pushexpected(L, "", names, name));
    return i;
}

int ot_l_optfield_option(lua_State *L, int arg, int idx, const char *k,
                         const char *const names[])
{
    const char *s = ot_l_optfield_str(L, arg, idx, k);
    if (!s)
        return -1;
    int i = findname(names, s);
    if (i < 0) {
        lua_pushfstring(L, "field '%s': ", k);
        luaL_argerror(L, arg, pushexpected(L, lua_tostring(L, -1), names, s));
    }
    return i;
}

int ot_l_toperiod(lua_State *L, int idx, ot_period *out, ot_err *e)
{
    ot_period p = {OT_FREQ_NONE, 0, 1};
    if (lua_type(L, idx) == LUA_TNUMBER) {
        int isint = 0;
        lua_Integer y = lua_tointegerx(L, idx, &isint);
        if (!isint || y < 1 || y > 9999)
            return ot_err_set(e, OT_EINVAL, "a year must be an integer 1-9999");
        p.freq = OT_FREQ_Y;
        p.ord = (ot_ord)y;
        *out = p;
        return OT_OK;
    }
    if (lua_type(L, idx) != LUA_TSTRING)
        return ot_err_set(e, OT_EINVAL, "period expected, got %s", luaL_typename(L, idx));
    size_t len;
    const char *s = lua_tolstring(L, idx, &len);
    if (ot_period_parse(s, len, &p, e) != OT_OK)
        return e->code;
    *out = p;
    return OT_OK;
}

ot_period ot_l_checkperiod(lua_State *L, int arg)
{
    ot_period p;
    ot_err e;
    ot_err_clear(&e);
    if (ot_l_toperiod(L, arg, &p, &e) != OT_OK)
        luaL_argerror(L, arg, e.msg);
    return p;
}

void ot_l_pushperiod(lua_State *L, ot_freq f, ot_ord o, int span)
{
    char buf[OT_PERIOD_STRMAX];
    ot_period p = {f, o, span};
    ot_period_format(p, buf, sizeof buf);
    lua_pushstring(L, buf);
}

const char *ot_l_pushunknown(lua_State *L, const char *what, const char *k,
                             const char *const known[])
{
    const char *near = ot_nearest_name(k, known);
    if (near)
        return lua_pushfstring(L, "unknown %s '%s' (did you mean '%s'?)", what, k, near);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    lua_pushfstring(L, "unknown %s '%s' (known: ", what, k);
    luaL_addvalue(&b);
    for (size_t i = 0; known[i]; i++) {
        if (i)
            luaL_addstring(&b, ", ");
        luaL_addstring(&b, known[i]);
    }
    luaL_addchar(&b, ')');
    luaL_pushresult(&b);
    return lua_tostring(L, -1);
}

void ot_l_checkkeys(lua_State *L, int arg, int idx, const char *const known[])
{
    if (!lua_istable(L, idx))
        return;
    idx = lua_absindex(L, idx);
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);                                  /* [.., key] */
        if (lua_type(L, -1) != LUA_TSTRING)
            continue;
        const char *k = lua_tostring(L, -1);
        size_t i = 0;
        while (known[i] && strcmp(known[i], k) != 0)
            i++;
        if (!known[i])
            luaL_argerror(L, arg, ot_l_pushunknown(L, "option", k, known));
    }
}

/* As luaL_checkudata with the argument's part named, so that a box read
 * from an options table or a list is reported under its argument (not its
 * stack slot); the type names are the metatables' __name. */
void *ot_l_checkbox(lua_State *L, int idx, int arg, const char *where, const char *tname,
                    const char *closed)
{
    idx = lua_absindex(L, idx);
    void **box = luaL_testudata(L, idx, tname);
    if (box && *box)
        return *box;
    const char *pre = where ? where : "";
    const char *sep = where ? ": " : "";
    if (box)
        luaL_argerror(L, arg, lua_pushfstring(L, "%s%s%s", pre, sep, closed));
    luaL_getmetatable(L, tname);                            /* [.., mt] */
    lua_getfield(L, -1, "__name");                          /* [.., mt, want] */
    const char *want = lua_isstring(L, -1) ? lua_tostring(L, -1) : tname;
    const char *got = luaL_getmetafield(L, idx, "__name") == LUA_TSTRING
                          ? lua_tostring(L, -1)              /* [.., mt, want, got] */
                          : luaL_typename(L, idx);
    luaL_argerror(L, arg, lua_pushfstring(L, "%s%s%s expected, got %s", pre, sep, want, got));
    return NULL;
}

void ot_l_pushstr(lua_State *L, const char *s)
{
    if (s)
        lua_pushstring(L, s);
    else
        lua_pushnil(L);
}

void ot_l_pushnum(lua_State *L, double x)
{
    if (isnan(x))
        lua_pushnil(L);
    else
        lua_pushnumber(L, x);
}

/* Pushes t[k] without metamethods, so a string read from an options table
 * is anchored by the table after the pop; returns its type. */
static int rawfield(lua_State *L, int idx, const char *k)
{
    lua_pushstring(L, k);
    return lua_rawget(L, idx);
}

const char *ot_l_optfield_str(lua_State *L, int arg, int idx, const char *k)
{
    idx = lua_absindex(L, idx);
    int t = rawfield(L, idx, k);
    const char *s = NULL;
    size_t len;
    if (t == LUA_TSTRING) {
        s = lua_tolstring(L, -1, &len); /* kept alive by the table */
        /* every string option goes on as a C string: one with a NUL inside
         * would be cut short silently, so it is refused */
        if (strlen(s) != len) {
            char shown[80];
            luaL_argerror(L, arg, lua_pushfstring(L, "field '%s' holds a NUL character: '%s'", k,
                                                  ot_fmt_shown(s, len, shown, sizeof shown)));
        }
    } else if (t != LUA_TNIL)
        luaL_argerror(L, arg, lua_pushfstring(L, "field '%s' must be a string, got %s", k,
                                              luaL_typename(L, -1)));
    lua_pop(L, 1);
    return s;
}

double ot_l_optfield_num(lua_State *L, int arg, int idx, const char *k, double def)
{
    idx = lua_absindex(L, idx);
    int t = rawfield(L, idx, k);
    double x = def;
    int isnum = 0;
    if (t != LUA_TNIL) {
        x = lua_tonumberx(L, -1, &isnum);
        if (!isnum)
            luaL_argerror(L, arg, lua_pushfstring(L, "field '%s' must be a number, got %s", k,
                                                  luaL_typename(L, -1)));
    }
    lua_pop(L, 1);
    return x;
}

int ot_l_optfield_years(lua_State *L, int arg, int idx, const char *k, int y[2])
{
    idx = lua_absindex(L, idx);
    int t = rawfield(L, idx, k);
    ot_err e;
    ot_err_clear(&e);
    char buf[32];
    const char *s = NULL;
    if (t == LUA_TNIL) {
        lua_pop(L, 1);
        return 0;
    }
    if (t == LUA_TBOOLEAN && !lua_toboolean(L, -1))
        s = "none";
    else if (t == LUA_TNUMBER && lua_isinteger(L, -1)) {
        snprintf(buf, sizeof buf, "%lld", (long long)lua_tointeger(L, -1));
        s = buf;
    } else if (t == LUA_TSTRING)
        s = lua_tostring(L, -1);
    if (!s || ot_years_parse(s, y, &e) != OT_OK) {
        char shown[64];
        if (s)
            ot_fmt_shown(s, t == LUA_TSTRING ? lua_rawlen(L, -1) : (size_t)-1, shown, sizeof shown);
        luaL_argerror(L, arg, lua_pushfstring(L, "field '%s' must be years like \"2020-2022\", a "
                                                 "year or false, got %s%s%s", k, s ? "'" : "",
                                              s ? shown : luaL_typename(L, -1), s ? "'" : ""));
    }
    lua_pop(L, 1);
    return 1;
}

lua_Integer ot_l_optfield_int(lua_State *L, int arg, int idx, const char *k, lua_Integer def)
{
    idx = lua_absindex(L, idx);
    int t = rawfield(L, idx, k);
    lua_Integer x = def;
    int isint = 0;
    if (t != LUA_TNIL) {
        x = lua_tointegerx(L, -1, &isint);
        if (!isint)
            luaL_argerror(L, arg, lua_pushfstring(L, "field '%s' must be an integer, got %s", k,
                                                  luaL_typename(L, -1)));
    }
    lua_pop(L, 1);
    return x;
}

/* An integer as_of is a year, as everywhere a period is expected: it is
 * written into buf (the caller's, living as long as the text is used). */
const char *ot_l_optfield_asof(lua_State *L, int arg, int idx, char *buf, size_t cap)
{
    idx = lua_absindex(L, idx);
    if (rawfield(L, idx, "as_of") == LUA_TNUMBER) {
        int isint = 0;
        lua_Integer y = lua_tointegerx(L, -1, &isint);
        if (!isint || y < 1 || y > 9999)
            luaL_argerror(L, arg, lua_pushfstring(L, "field 'as_of' must be a date, a period or "
                                                     "a year 1-9999, got %s",
                                                  lua_tostring(L, -1)));
        lua_pop(L, 1);
        snprintf(buf, cap, "%d", (int)y);
        return buf;
    }
    lua_pop(L, 1);
    return ot_l_optfield_str(L, arg, idx, "as_of");
}

/* ---- help ----------------------------------------------------------------------------- */

static int identch(int c)
{
    return isalnum(c) || c == '_';
}

/* Whether the heading h[0..hl) names `name` as a whole word ("yoy" is in
 * "s:yoy()", not in "s:ytd_yoy()"). */
static int names(const char *h, size_t hl, const char *name, size_t nl)
{
    for (size_t i = 0; nl && i + nl <= hl; i++)
        if (memcmp(h + i, name, nl) == 0 && (i == 0 || !identch((unsigned char)h[i - 1])) &&
            (i + nl == hl || !identch((unsigned char)h[i + nl])))
            return 1;
    return 0;
}

/* ot.help([name]): prints the sections of docs/lua-api.md whose heading
 * names `name` (e.g. "yoy", "db:series", "ot.project"), with their
 * examples; without a name, the list of headings.  Prints through the
 * global print, so it shows in scripts and the REPL; returns nothing. */
static int l_help(lua_State *L)
{
    size_t nl;
    const char *name = luaL_optlstring(L, 1, NULL, &nl);
    const char *doc = (const char *)ot_l_lua_api_doc;
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    int found = 0, in = 0, blank = 0; /* blank: empty lines held until text follows */
    for (const char *line = doc; *line;) {
        const char *eol = strchr(line, '\n');
        size_t len = eol ? (size_t)(eol - line) : strlen(line);
        int heading = len > 4 && memcmp(line, "### ", 4) == 0;
        if (heading || (len > 3 && memcmp(line, "## ", 3) == 0))
            in = blank = 0;
        if (heading && !name) {
            luaL_addlstring(&b, line + 4, len - 4);
            luaL_addchar(&b, '\n');
            found++;
        } else if (heading && names(line + 4, len - 4, name, nl)) {
            in = 1;
            if (found++)
                luaL_addchar(&b, '\n');
        }
        if (in && len == 0) {
            blank++;
        } else if (in) {
            for (; blank > 0; blank--)
                luaL_addchar(&b, '\n');
            luaL_addlstring(&b, line, len);
            luaL_addchar(&b, '\n');
        }
        line += len + (eol ? 1 : 0);
    }
    if (!name && found) /* how to read one of the topics listed */
        luaL_addstring(&b, "\not.help(\"yoy\") prints a topic's section (in the REPL: .help yoy; Tab "
                           "completes the name)\n");
    if (!found) {
        lua_pushfstring(L, "no help for '%s' (ot.help() lists the topics)", name ? name : "");
    } else {
        luaL_pushresult(&b);
        size_t n;
        const char *t = lua_tolstring(L, -1, &n);
        if (n && t[n - 1] == '\n') {
            lua_pushlstring(L, t, n - 1); /* print adds the last newline */
            lua_remove(L, -2);
        }
    }
    lua_getglobal(L, "print");
    lua_insert(L, -2);
    lua_call(L, 1, 0);
    return 0;
}

/* Writes the absolute, resolved form of path into out (PATH_MAX bytes):
 * realpath of the file when it exists, else realpath of its folder joined
 * with its last component.  Returns 0, or -1 when neither resolves. */
static int resolve_path(const char *path, char *out)
{
    if (realpath(path, out))
        return 0;
    /* a file still to be made: its folder must resolve */
    char dir[PATH_MAX], real[PATH_MAX];
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    if (!*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
        return -1;
    if (!slash) {
        strcpy(dir, ".");
    } else if (slash == path) {
        strcpy(dir, "/");
    } else if ((size_t)(slash - path) < sizeof dir) {
        memcpy(dir, path, (size_t)(slash - path));
        dir[slash - path] = '\0';
    } else {
        return -1;
    }
    if (!realpath(dir, real))
        return -1;
    int k = snprintf(out, PATH_MAX, "%s%s%s", real, strcmp(real, "/") ? "/" : "", base);
    return k > 0 && k < PATH_MAX ? 0 : -1;
}

void ot_l_checkpath(lua_State *L, int arg, const char *path)
{
    int t = lua_getfield(L, LUA_REGISTRYINDEX, OT_L_REG_FILES); /* [.., dir|false|nil] */
    if (t == LUA_TNIL) {
        lua_pop(L, 1);
        return;
    }
    if (t == LUA_TSTRING && strcmp(path, ":memory:") != 0) {
        size_t dl;
        const char *dir = lua_tolstring(L, -1, &dl);
        char real[PATH_MAX];
        if (resolve_path(path, real) == 0 && strncmp(real, dir, dl) == 0 &&
            (real[dl] == '/' || real[dl] == '\0')) {
            lua_pop(L, 1);
            return;
        }
        luaL_argerror(L, arg, lua_pushfstring(L, "file '%s' is outside the job's folder '%s'", path,
                                              dir));
    }
    if (t != LUA_TSTRING)
        luaL_argerror(L, arg, lua_pushfstring(L, "file '%s': scripts in the sandbox have no files",
                                              path));
    lua_pop(L, 1); /* ":memory:" */
}

/* ot.as_of(): the default as-of of reads (`--as-of` of the CLI), or nil
 * when reads default to the latest data. */
static int l_as_of(lua_State *L)
{
    if (lua_getfield(L, LUA_REGISTRYINDEX, OT_L_REG_ASOF) != LUA_TSTRING)
        lua_pushnil(L);
    return 1;
}

int luaopen_ontrack(lua_State *L)
{
    lua_newtable(L);
    ot_l_open_series(L);
    ot_l_open_db(L);
    ot_l_open_model(L);
    ot_l_open_target(L);
    ot_l_open_scenario(L);
    ot_l_open_project(L);
    lua_pushcfunction(L, l_help);
    lua_setfield(L, -2, "help");
    lua_pushcfunction(L, l_as_of);
    lua_setfield(L, -2, "as_of");
    lua_pushliteral(L, "ontrack " ONTRACK_VERSION); /* as `ontrack --version` says it */
    lua_setfield(L, -2, "_VERSION");
    return 1;
}
