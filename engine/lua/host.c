/* host.c — the script host: a Lua state with the engine, limits and one
 * protected entry for everything the CLI asks of it.
 *
 * Every entry point (new, run_file, run_string, eval) runs its work inside
 * lua_pcall of a C function, so even the host's own pushes cannot panic when
 * memory runs out; the script itself runs in a nested pcall whose message
 * handler adds the traceback (lua.c's msghandler) and picks up the engine
 * code of an ontrack error.  Limits come from limit.c: a count hook every
 * 100k instructions that, once the limit is passed, re-arms itself on every
 * instruction of every coroutine so no pcall can swallow the stop (as Redis
 * does), interrupts set from the signal handler (as lua.c does), and an
 * allocator that counts every byte, Lua's and the engine's (threads too),
 * against the cap.  Each chunk (a script, a REPL statement) is one
 * transaction per database it opens: the stores join OT_L_REG_HELD and are
 * committed or rolled back when the chunk ends (settle).  LC_NUMERIC is "C"
 * after every chunk.
 */
#include "lua/host.h"

#include <limits.h>
#include <locale.h>

#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/period.h"
#include "lua/limit.h"
#include "lua/lontrack.h"
#include "store/store.h"
#include "models/model.h"

extern const unsigned char ot_l_lua_api_doc[]; /* docs/lua-api.md, compiled in */

struct ot_host {
    ot_limit lim;                     /* first: the state's allocator and hook data */
    lua_State *L;
    int last_code;                    /* set by the message handler */
    int sandbox;
    int exit_status;                  /* os.exit's status, or -1 */
    char *errtext;                    /* the last error whole, when err->msg cut it */
    int nbefore;                      /* the command line before the script: arg[-n..-1] */
    char **before;
};

/* ---- hooks ------------------------------------------------------------------ */

/* Starts a chunk's limits and lets engine calls run again. */
static void arm(ot_host *h)
{
    ot_limit_arm(&h->lim);
    ot_models_resume();
}

void ot_host_interrupt(ot_host *h)
{
    if (!h)
        return;
    ot_limit_interrupt(&h->lim);
    ot_models_interrupt(OT_STOP_INTERRUPT); /* and an engine call that is running */
}

/* ---- REPL helpers ------------------------------------------------------------------ */

/* Lua source of the REPL's helpers, loaded once per state into the registry
 * (OT_REPL): repr(v) for printing results, complete(line) for candidates. */
#define OT_REPL "ontrack.repl"
static const char repl_lua[] =
    "local ot, doc = ...\n"
    "local M = {}\n"
    /* the names .help takes, from docs/lua-api.md's ### headings with what
     * stands in brackets (argument lists) left out: ot.project, s:lag,
     * s:lead, and each method's own name (project, lag) */
    "local topics\n"
    "local function help_topics()\n"
    "  if topics then return topics end\n"
    "  topics = {}\n"
    "  local seen = {}\n"
    "  local function add(t) if #t > 1 and not seen[t] then seen[t] = true; topics[#topics + 1] = t end end\n"
    "  for h in doc:gmatch('\\n### ([^\\n]+)') do\n"
    "    h = h:gsub('%b()', ''):gsub('%b{}', ''):gsub('%b[]', '')\n"
    "    for w in h:gmatch('[%a_][%w_%.:]*') do\n"
    "      w = w:gsub('[%.:]+$', '')\n"
    "      add(w)\n"
    "      local tail = w:match('[%.:]([%a_][%w_]*)$')\n"
    "      if tail then add(tail) end\n"
    "    end\n"
    "  end\n"
    "  table.sort(topics)\n"
    "  return topics\n"
    "end\n"
    "local function key_repr(k)\n"
    "  if type(k) == 'string' and k:match('^[%a_][%w_]*$') then return k end\n"
    "  return '[' .. (type(k) == 'string' and string.format('%q', k) or tostring(k)) .. ']'\n"
    "end\n"
    "local function repr(v, depth, seen)\n"
    "  if type(v) == 'string' then return depth == 0 and v or string.format('%q', v) end\n"
    "  local mt = getmetatable(v)\n"
    "  if type(v) ~= 'table' or (mt and mt.__tostring) then return tostring(v) end\n"
    "  if seen[v] then return '<cycle>' end\n"
    "  if depth >= 2 then return '{...}' end\n"
    "  seen[v] = true\n"
    "  local parts, n, shown = {}, #v, 0\n"
    "  for i = 1, n do\n"
    "    if shown == 10 then parts[#parts + 1] = '... (' .. n .. ' items)'; break end\n"
    "    parts[#parts + 1] = repr(v[i], depth + 1, seen); shown = shown + 1\n"
    "  end\n"
    "  local keys = {}\n"
    "  for k in pairs(v) do\n"
    "    if not (math.type(k) == 'integer' and k >= 1 and k <= n) then keys[#keys + 1] = k end\n"
    "  end\n"
    "  table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)\n"
    "  for i, k in ipairs(keys) do\n"
    "    if i > 10 then parts[#parts + 1] = '... (' .. #keys .. ' fields)'; break end\n"
    "    parts[#parts + 1] = key_repr(k) .. ' = ' .. repr(v[k], depth + 1, seen)\n"
    "  end\n"
    "  seen[v] = nil\n"
    "  return '{' .. table.concat(parts, ', ') .. '}'\n"
    "end\n";
/* The rest of the helpers (a second literal: one string literal may hold
 * 4095 bytes in ISO C); loaded after repl_lua as one chunk. */
static const char repl_lua_more[] =
    /* a list of objects that print on one line (targets, projections): one
     * per line, numbered, up to 100, so a year's targets can be read and
     * picked from */
    "local function list_repr(v)\n"
    "  local mt = getmetatable(v)\n"
    "  if type(v) ~= 'table' or mt ~= nil or #v == 0 or next(v, #v) ~= nil then return nil end\n"
    "  local n = 0\n"
    "  for _ in pairs(v) do n = n + 1 end\n"
    "  if n ~= #v then return nil end\n"
    "  local lines = {}\n"
    "  for i = 1, n do\n"
    "    local m = getmetatable(v[i])\n"
    "    if type(v[i]) ~= 'userdata' and type(v[i]) ~= 'table' or not (m and m.__tostring) then return nil end\n"
    "    if i > 100 then lines[#lines + 1] = '... (' .. n .. ' items)'; break end\n"
    "    local s = tostring(v[i])\n"
    "    if s:find('\\n') then return nil end\n"
    "    lines[#lines + 1] = '[' .. i .. '] ' .. s\n"
    "  end\n"
    "  return table.concat(lines, '\\n')\n"
    "end\n"
    "function M.repr(v) return list_repr(v) or repr(v, 0, {}) end\n"
    "local keywords = {'and', 'break', 'do', 'else', 'elseif', 'end', 'false', 'for',\n"
    "  'function', 'goto', 'if', 'in', 'local', 'nil', 'not', 'or', 'repeat', 'return',\n"
    "  'then', 'true', 'until', 'while'}\n"
    "local function methods(v)\n"
    "  local mt = getmetatable(v)\n"
    "  if type(mt) ~= 'table' then return nil end\n"
    "  if type(mt.methods) == 'table' then return mt.methods end\n"
    "  if type(mt.__index) == 'table' then return mt.__index end\n"
    "end\n"
    "function M.complete(line)\n"
    "  local out, seen = {}, {}\n"
    "  local function add(c) if not seen[c] then seen[c] = true; out[#out + 1] = c end end\n"
    "  local q, partial = line:match([[:series%(%s*([\"'])([^\"']*)$]])\n"
    "  if q then\n"
    "    local ok, db = pcall(ot.db)\n"
    "    if ok then\n"
    "      local ok2, keys = pcall(db.keys, db, partial:gsub('[%*%?%[]', '') .. '*')\n"
    "      if ok2 then for _, k in ipairs(keys) do add(k) end end\n"
    "    end\n"
    "    table.sort(out)\n"
    "    return out\n"
    "  end\n"
    "  local mq, mp = line:match([[measure%s*=%s*([\"'])([%w_]*)$]])\n"
    "  if mq then\n"
    "    for _, m in ipairs({'value', 'ytd', 'yoy', 'ytd_yoy'}) do if m:sub(1, #mp) == mp then add(m) end end\n"
    "    return out\n"
    "  end\n"
    "  local dot = line:match('^%s*(%.%a*)$')\n"
    "  if dot then\n"
    "    for _, c in ipairs({'.exit', '.help', '.quit'}) do if c:sub(1, #dot) == dot then add(c) end end\n"
    "    return out\n"
    "  end\n"
    "  local topic = line:match('^%s*%.help%s+([^%s]*)$')\n"
    "  if topic then\n"
    "    for _, t in ipairs(help_topics()) do if t:sub(1, #topic) == topic then add(t) end end\n"
    "    return out\n"
    "  end\n"
    "  local word = line:match('[%w_%.:]*$')\n"
    "  local base, sep, last = word:match('^(.-)([%.:])([%w_]*)$')\n"
    "  if not base then\n"
    "    for k in pairs(_G) do\n"
    "      if type(k) == 'string' and k:sub(1, #word) == word and (#word > 0 or k:sub(1, 1) ~= '_') then add(k) end\n"
    "    end\n"
    "    for _, k in ipairs(keywords) do if k:sub(1, #word) == word then add(k) end end\n"
    "    table.sort(out)\n"
    "    return out\n"
    "  end\n"
    "  local v = _G\n"
    "  for name in base:gmatch('[^%.:]+') do\n"
    "    local ok, x = pcall(function() return v[name] end)\n"
    "    if not ok or x == nil then return out end\n"
    "    v = x\n"
    "  end\n"
    "  local function from(t)\n"
    "    if type(t) ~= 'table' then return end\n"
    "    for k, x in pairs(t) do\n"
    "      if type(k) == 'string' and k:sub(1, #last) == last and k:match('^[%a_][%w_]*$') and\n"
    "         (sep == '.' or type(x) == 'function') and (#last > 0 or k:sub(1, 1) ~= '_') then\n"
    "        add(base .. sep .. k)\n"
    "      end\n"
    "    end\n"
    "  end\n"
    "  if sep == '.' and type(v) == 'table' then from(v) end\n"
    "  from(methods(v))\n"
    "  table.sort(out)\n"
    "  return out\n"
    "end\n"
    "return M\n";

/* Loads the helpers into the registry (in the protected init). */
/* lua_Reader over repl_lua then repl_lua_more. */
static const char *repl_parts(lua_State *L, void *ud, size_t *size)
{
    (void)L;
    int *part = ud;
    switch ((*part)++) {
    case 0: *size = sizeof repl_lua - 1; return repl_lua;
    case 1: *size = sizeof repl_lua_more - 1; return repl_lua_more;
    default: *size = 0; return NULL;
    }
}

static void load_repl(lua_State *L)
{
    int part = 0;
    if (lua_load(L, repl_parts, &part, "=repl", "t") != LUA_OK)
        lua_error(L);
    lua_getglobal(L, "ot");
    lua_pushstring(L, (const char *)ot_l_lua_api_doc);
    lua_call(L, 2, 1);
    lua_setfield(L, LUA_REGISTRYINDEX, OT_REPL);
}

/* ---- calling ------------------------------------------------------------------ */

/* The message handler: remembers the engine code of the error and appends a
 * traceback (lua.c's msghandler).  Upvalue 1 is the host. */
static int msghandler(lua_State *L)
{
    ot_host *h = lua_touserdata(L, lua_upvalueindex(1));
    if (h->lim.exiting)
        return 1; /* os.exit unwinding: no message is shown */
    h->last_code = ot_l_errcode(L, 1);
    const char *msg = lua_tostring(L, 1);
    if (msg == NULL) {
        if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
            return 1;
        msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    }
    luaL_traceback(L, L, msg, 1);
    return 1;
}

/* The code the CLI sees for an error of Lua status st. */
static int error_code(const ot_host *h, int st)
{
    if (st == LUA_ERRMEM)
        return h->lim.cap ? OT_ELIMIT : OT_ENOMEM;
    if (h->lim.stopped)
        return OT_ELIMIT;
    switch (h->last_code) {
    case OT_EDATA:
    case OT_ENOTFOUND:
    case OT_EIO:
    case OT_ELOCKED:
    case OT_ELIMIT:
        return h->last_code;
    case OT_ENOMEM:
        return h->lim.cap ? OT_ELIMIT : OT_ENOMEM;
    default:
        return OT_ESCRIPT;
    }
}

/* Copies the error value at the top into err with code and pops it.  Reads
 * the string in place: no allocation. */
static int take_error(lua_State *L, int code, ot_err *err)
{
    static const char nomem[] = "not enough memory";
    const char *msg = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
    if (!msg)
        msg = "(error object is not a string)";
    /* Lua's memory error, also when caught and raised again by the script */
    if (strncmp(msg, nomem, sizeof nomem - 1) == 0 &&
        (msg[sizeof nomem - 1] == '\0' || msg[sizeof nomem - 1] == '\n') && code == OT_ESCRIPT) {
        ot_limit *lim = ot_limit_of(L);
        code = lim->cap ? OT_ELIMIT : OT_ENOMEM;
    }
    if (code == OT_ELIMIT && strcmp(msg, nomem) == 0)
        msg = "not enough memory: the script's memory limit was reached";
    const char *nl = strchr(msg, '\n');
    int first = nl ? (int)(nl - msg) : (int)strlen(msg);
    if (code == OT_ELIMIT && strstr(msg, "out of memory") && strstr(msg, "out of memory") < msg + first)
        ot_err_set(err, code, "%.*s (the script's memory limit was reached)%s", first, msg,
                   nl ? nl : ""); /* an engine call's */
    else {
        ot_err_set(err, code, "%s", msg);
        /* a message longer than err holds (db:import's list of problems, a
         * long traceback) is kept whole for ot_host_error_text; malloc, not
         * the state's allocator, which may be at its cap */
        ot_host *h = (ot_host *)(void *)ot_limit_of(L); /* lim is its first member */
        size_t len = strlen(msg);
        if (len >= sizeof err->msg - 1 && !h->errtext && (h->errtext = malloc(len + 1)))
            memcpy(h->errtext, msg, len + 1);
    }
    lua_pop(L, 1);
    return code;
}

/* Calls the function below narg arguments with the traceback handler and the
 * limits armed; leaves nres results.  Returns OT_OK or the error's code with
 * err set (the message popped). */
static int docall(ot_host *h, int narg, int nres, ot_err *err)
{
    lua_State *L = h->L;
    int base = lua_gettop(L) - narg;            /* function index */
    lua_pushlightuserdata(L, h);
    lua_pushcclosure(L, msghandler, 1);
    lua_insert(L, base);                        /* handler below the function */
    h->last_code = OT_ESCRIPT;
    arm(h);
    int st = lua_pcall(L, narg, nres, base);
    ot_limit_disarm(&h->lim);
    lua_remove(L, base);
    if (h->lim.exiting) { /* os.exit: the chunk has unwound; its results go */
        h->exit_status = h->lim.exit_status;
        lua_settop(L, base - 1);
        if (h->exit_status == 0)
            return OT_OK;
        return ot_err_set(err, OT_ESCRIPT, "os.exit(%d)", h->exit_status);
    }
    if (st != LUA_OK)
        return take_error(L, error_code(h, st), err);
    return OT_OK;
}

/* What an entry asks for, passed to the protected entry as light userdata. */
typedef enum { CALL_INIT, CALL_FILE, CALL_STRING, CALL_EVAL, CALL_COMPLETE } call_kind;

typedef struct call_ctx {
    call_kind kind;
    ot_host *h;
    const ot_host_opts *opts; /* INIT */
    const char *path;         /* FILE */
    int argc;
    char **argv;
    const char *chunk, *name; /* STRING, EVAL */
    int *incomplete;          /* EVAL */
    ot_host_complete_fn fn;   /* COMPLETE */
    void *ud;
    size_t ncand;
    int code;
    ot_err *err;
} call_ctx;

/* Opens the libraries (an allow-list in sandbox mode) and the module. */
static const luaL_Reg libs[] = {
    {LUA_GNAME, luaopen_base},         {LUA_LOADLIBNAME, luaopen_package},
    {LUA_COLIBNAME, luaopen_coroutine}, {LUA_TABLIBNAME, luaopen_table},
    {LUA_IOLIBNAME, luaopen_io},        {LUA_OSLIBNAME, luaopen_os},
    {LUA_STRLIBNAME, luaopen_string},   {LUA_MATHLIBNAME, luaopen_math},
    {LUA_UTF8LIBNAME, luaopen_utf8},    {LUA_DBLIBNAME, luaopen_debug},
    {NULL, NULL}};

/* Sandbox replacements forcing text chunks.  Upvalue 1 is the original. */
static int sb_load(lua_State *L)
{
    /* load(chunk [, chunkname [, mode [, env]]]): the env argument counts
     * only when given, so pass 3 or 4 arguments as the caller did. */
    int env = lua_gettop(L) >= 4;
    lua_settop(L, 4);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_pushvalue(L, 1);
    lua_pushvalue(L, 2);
    lua_pushliteral(L, "t");
    if (env)
        lua_pushvalue(L, 4);
    lua_call(L, env ? 4 : 3, LUA_MULTRET);
    return lua_gettop(L) - 4;
}

/* loadfile(filename [, mode [, env]]) likewise. */
static int sb_loadfile(lua_State *L)
{
    int env = lua_gettop(L) >= 3;
    lua_settop(L, 3);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_pushvalue(L, 1);
    lua_pushliteral(L, "t");
    if (env)
        lua_pushvalue(L, 3);
    lua_call(L, env ? 3 : 2, LUA_MULTRET);
    return lua_gettop(L) - 3;
}

static int sb_dofile(lua_State *L)
{
    const char *fname = luaL_optstring(L, 1, NULL);
    lua_settop(L, 1);
    if (luaL_loadfilex(L, fname, "t") != LUA_OK)
        return lua_error(L);
    lua_call(L, 0, LUA_MULTRET);
    return lua_gettop(L) - 1;
}

static void wrap_global(lua_State *L, const char *name, lua_CFunction f)
{
    lua_getglobal(L, name);
    lua_pushcclosure(L, f, 1);
    lua_setglobal(L, name);
}

/* A library function whose string arguments named in the mask (bit i-1 for
 * argument i) are file paths, checked by ot_l_checkpath before the original
 * function (upvalue 1) runs.  Upvalue 2 is the mask. */
static int sb_guard(lua_State *L)
{
    lua_Integer mask = lua_tointeger(L, lua_upvalueindex(2));
    int n = lua_gettop(L);
    for (int i = 1; i <= n && i <= 8; i++)
        if ((mask >> (i - 1) & 1) && lua_type(L, i) == LUA_TSTRING)
            ot_l_checkpath(L, i, lua_tostring(L, i));
    lua_pushvalue(L, lua_upvalueindex(1)); /* [args.., f] */
    lua_insert(L, 1);                      /* [f, args..] */
    lua_call(L, n, LUA_MULTRET);
    return lua_gettop(L);
}

/* Replaces lib.name (a global when lib is NULL) by sb_guard around it. */
static void guard_field(lua_State *L, const char *lib, const char *name, int mask)
{
    if (lib)
        lua_getglobal(L, lib);
    else
        lua_pushglobaltable(L);
    if (lua_getfield(L, -1, name) == LUA_TFUNCTION) { /* [t, f] */
        lua_pushinteger(L, mask);
        lua_pushcclosure(L, sb_guard, 2);              /* [t, guard] */
        lua_setfield(L, -2, name);
    } else {
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

/* A refused function: raises "<name> is not available in a job script
 * (sandbox; see docs/security.md)".  Upvalue 1 is the name. */
static int sb_refused(lua_State *L)
{
    return luaL_error(L, "%s is not available in a job script (sandbox; see docs/security.md)",
                      lua_tostring(L, lua_upvalueindex(1)));
}

/* Replaces lib.name by sb_refused (lib a global table). */
static void refuse(lua_State *L, const char *lib, const char *name)
{
    if (lua_getglobal(L, lib) == LUA_TTABLE) {
        lua_pushfstring(L, "%s.%s", lib, name);
        lua_pushcclosure(L, sb_refused, 1);
        lua_setfield(L, -2, name);
    }
    lua_pop(L, 1);
}

/* __index of the sandbox's `debug`: every field is refused by name. */
static int sb_debug_index(lua_State *L)
{
    return luaL_error(L, "debug.%s is not available in a job script (sandbox; see "
                         "docs/security.md)", luaL_optstring(L, 2, "?"));
}

/* require(name) in the sandbox: package.loaded, then package.preload, then
 * only NAME.lua (dots as folders) inside the job's folder, loaded as text.
 * No path a script can change: package.path, package.searchers and
 * package.searchpath play no part.  Returns the module's value. */
static int sb_require(lua_State *L)
{
    const char *name = luaL_checkstring(L, 1);
    lua_settop(L, 1);
    luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);  /* [name, LOADED] */
    if (lua_getfield(L, 2, name) != LUA_TNIL && lua_toboolean(L, -1))
        return 1;
    lua_pop(L, 1);
    luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE); /* [name, LOADED, PRELOAD] */
    if (lua_getfield(L, 3, name) == LUA_TFUNCTION) {            /* [.., loader] */
        lua_pushvalue(L, 1);
        lua_pushliteral(L, ":preload:");
    } else {
        lua_pop(L, 1);
        size_t len = strlen(name);
        int ok = len > 0 && len < 256 && name[0] != '.' && name[len - 1] != '.';
        for (const char *c = name; ok && *c; c++)
            ok = ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
                  *c == '_' || *c == '-' || (*c == '.' && c[1] != '.'));
        if (!ok)
            return luaL_error(L, "module '%s' not found: a module name in a job script is words "
                                 "joined by dots (sandbox; see docs/security.md)", name);
        if (lua_getfield(L, LUA_REGISTRYINDEX, OT_L_REG_FILES) != LUA_TSTRING)
            return luaL_error(L, "module '%s' not found: scripts in the sandbox have no files",
                              name);
        const char *dir = lua_tostring(L, -1);                   /* [.., dir] */
        const char *rel = luaL_gsub(L, name, ".", "/");          /* [.., dir, rel] */
        const char *path = lua_pushfstring(L, "%s/%s.lua", dir, rel); /* [.., dir, rel, path] */
        ot_l_checkpath(L, 1, path);                              /* symbolic links too */
        int st = luaL_loadfilex(L, path, "t");                   /* [.., path, chunk] */
        if (st == LUA_ERRFILE)
            return luaL_error(L, "module '%s' not found in the job's folder (no file '%s')", name,
                              path);
        if (st != LUA_OK)
            return lua_error(L);
        lua_pushvalue(L, 1);
        lua_pushvalue(L, -3);                                    /* [.., path, chunk, name, path] */
    }
    lua_call(L, 2, 1);                                           /* [.., value] */
    if (!lua_isnil(L, -1))
        lua_setfield(L, 2, name);
    else
        lua_pop(L, 1);
    if (lua_getfield(L, 2, name) == LUA_TNIL) {                  /* nothing returned: true */
        lua_pushboolean(L, 1);
        lua_copy(L, -1, -2);
        lua_setfield(L, 2, name);
    }
    return 1;
}

/* os.setlocale that leaves LC_NUMERIC "C": numbers are written and read the
 * same whatever a script asks (a decimal comma would shift CSV columns and
 * change what imports read).  "numeric" raises; "all" sets the other
 * categories.  Queries (no locale) pass.  Upvalue 1 is the original. */
static int l_setlocale(lua_State *L)
{
    static const char *const cats[] = {"all", "collate", "ctype", "monetary", "numeric", "time",
                                       NULL};
    const char *loc = luaL_optstring(L, 1, NULL);
    int cat = luaL_checkoption(L, 2, "all", cats);
    if (loc && cat == 4 && strcmp(loc, "C") != 0 && strcmp(loc, "POSIX") != 0)
        return luaL_error(L, "os.setlocale: the numeric locale stays \"C\" in ontrack (numbers "
                             "are written and read the same everywhere; see docs/security.md)");
    if (loc && cat == 0) {
        static const int each[] = {LC_COLLATE, LC_CTYPE, LC_MONETARY, LC_TIME};
        for (size_t i = 0; i < sizeof each / sizeof *each; i++)
            if (!setlocale(each[i], loc)) {
                luaL_pushfail(L);
                return 1;
            }
        setlocale(LC_NUMERIC, "C");
        lua_pushstring(L, setlocale(LC_ALL, NULL));
        return 1;
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

/* os.exit([status [, close]]) in a script or the REPL: ends the chunk as
 * lua's does, but through the host, so it unwinds instead of leaving the
 * process from inside Lua.  The chunk's writes are committed when status is
 * 0 or true (or none), else rolled back; the databases are closed and the
 * CLI exits with status (false is 1; integers are taken modulo 256).  close
 * is accepted and makes no difference: the state is always closed. */
static int l_exit(lua_State *L)
{
    lua_Integer status;
    if (lua_isboolean(L, 1))
        status = lua_toboolean(L, 1) ? 0 : 1;
    else
        status = luaL_optinteger(L, 1, 0);
    return ot_limit_exit(L, (int)(status & 0xff));
}

/* The sandbox: refused functions say so; require resolves in the job's
 * folder only; files only there. */
static void sandbox(lua_State *L, const ot_host_opts *o)
{
    static const char *const refused[][2] = {
        {LUA_OSLIBNAME, "execute"},      {LUA_OSLIBNAME, "exit"},
        {LUA_OSLIBNAME, "tmpname"},      {LUA_IOLIBNAME, "popen"},
        {LUA_LOADLIBNAME, "loadlib"},    {LUA_LOADLIBNAME, "searchpath"}};
    for (size_t i = 0; i < sizeof refused / sizeof *refused; i++)
        refuse(L, refused[i][0], refused[i][1]);
    lua_getglobal(L, LUA_LOADLIBNAME); /* no search path a script could change */
    static const char *const gone[] = {"path", "cpath", "searchers"};
    for (size_t i = 0; i < sizeof gone / sizeof *gone; i++) {
        lua_pushnil(L);
        lua_setfield(L, -2, gone[i]);
    }
    lua_pop(L, 1);
    lua_pushcfunction(L, sb_require);
    lua_setglobal(L, "require");
    lua_newtable(L);                   /* debug: every field refused */
    lua_createtable(L, 0, 2);
    lua_pushcfunction(L, sb_debug_index);
    lua_setfield(L, -2, "__index");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
    lua_setglobal(L, LUA_DBLIBNAME);
    wrap_global(L, "load", sb_load);
    wrap_global(L, "loadfile", sb_loadfile);
    lua_pushcfunction(L, sb_dofile);
    lua_setglobal(L, "dofile");
    /* files: only inside files_dir (resolved once, here) */
    char dir[PATH_MAX];
    if (o->files_dir && realpath(o->files_dir, dir))
        lua_pushstring(L, dir);
    else
        lua_pushboolean(L, 0);
    lua_setfield(L, LUA_REGISTRYINDEX, OT_L_REG_FILES);
    static const struct {
        const char *lib, *name;
        int mask;
    } guarded[] = {{LUA_IOLIBNAME, "open", 1},   {LUA_IOLIBNAME, "lines", 1},
                   {LUA_IOLIBNAME, "input", 1},  {LUA_IOLIBNAME, "output", 1},
                   {LUA_OSLIBNAME, "remove", 1}, {LUA_OSLIBNAME, "rename", 3},
                   {NULL, "loadfile", 1},        {NULL, "dofile", 1}};
    for (size_t i = 0; i < sizeof guarded / sizeof *guarded; i++)
        guard_field(L, guarded[i].lib, guarded[i].name, guarded[i].mask);
}

static void init_state(lua_State *L, const ot_host_opts *o)
{
    for (const luaL_Reg *lib = libs; lib->func; lib++) {
        if (o->sandbox && strcmp(lib->name, LUA_DBLIBNAME) == 0)
            continue;
        luaL_requiref(L, lib->name, lib->func, 1);
        lua_pop(L, 1);
    }
    lua_getglobal(L, LUA_OSLIBNAME);
    lua_getfield(L, -1, "setlocale");
    lua_pushcclosure(L, l_setlocale, 1);
    lua_setfield(L, -2, "setlocale");
    lua_pop(L, 1);
    if (o->sandbox) {
        sandbox(L, o);
    } else {
        lua_getglobal(L, LUA_OSLIBNAME);
        lua_pushcfunction(L, l_exit);
        lua_setfield(L, -2, "exit");
        lua_pop(L, 1);
    }
    if (!o->commit_partial) {
        lua_newtable(L);
        lua_setfield(L, LUA_REGISTRYINDEX, OT_L_REG_HELD);
    }
    lua_pushboolean(L, 1);
    lua_setfield(L, LUA_REGISTRYINDEX, OT_L_REG_MTALLOC);
    if (o->as_of) {
        lua_pushstring(L, o->as_of);
        lua_setfield(L, LUA_REGISTRYINDEX, OT_L_REG_ASOF);
    }
    if (o->db_path) {
        lua_pushstring(L, o->db_path);
        lua_setfield(L, LUA_REGISTRYINDEX, OT_L_REG_DBPATH);
    }
    luaL_requiref(L, "ontrack", luaopen_ontrack, 0);
    lua_setglobal(L, "ot");
    if (o->store) { /* ot.db() is the caller's connection, in the caller's transaction */
        ot_l_pushdb_borrowed(L, o->store);
        lua_setfield(L, LUA_REGISTRYINDEX, OT_L_REG_DBOBJ);
    }
    load_repl(L);
}

/* arg as lua.c makes it: arg[0] = script, arg[1..argc] = the arguments,
 * arg[-n..-1] = the command line before the script (ot_host_set_before). */
static void push_args(lua_State *L, const ot_host *h, const char *path, int argc, char **argv)
{
    lua_createtable(L, argc, 1 + h->nbefore);
    for (int i = 0; i < h->nbefore; i++) {
        lua_pushstring(L, h->before[i]);
        lua_rawseti(L, -2, i - h->nbefore);
    }
    lua_pushstring(L, path);
    lua_rawseti(L, -2, 0);
    for (int i = 0; i < argc; i++) {
        lua_pushstring(L, argv[i]);
        lua_rawseti(L, -2, i + 1);
    }
    lua_setglobal(L, "arg");
}

/* lua.c's incomplete test: a syntax error whose message ends in <eof>. */
static int incomplete(lua_State *L, int st)
{
    static const char mark[] = "<eof>";
    size_t len;
    if (st != LUA_ERRSYNTAX)
        return 0;
    const char *msg = lua_tolstring(L, -1, &len);
    return msg && len >= sizeof mark - 1 && strcmp(msg + len - (sizeof mark - 1), mark) == 0;
}

/* An expression left open, as a table typed over several lines
 * (`{point = p.point,`): not a statement, and `return <input>` (without the
 * `;` the first try adds, which would stop the parser before the end) is
 * incomplete.  The stack is left as it was. */
static int open_expression(lua_State *L, const char *chunk)
{
    const char *ret = lua_pushfstring(L, "return %s", chunk);
    int st = luaL_loadbufferx(L, ret, strlen(ret), "=stdin", "t");
    int open = incomplete(L, st);
    lua_pop(L, 2);                              /* the text and the chunk or error */
    return open;
}

/* A quoted string left open at the end of the input (`x = "abc`): Lua's
 * lexer calls it incomplete (`unfinished string near <eof>`), but a quoted
 * string cannot go on past its line unless the line ends in a backslash, so
 * reading on would only swallow the next statement into the string. */
static int open_string(lua_State *L, int st, const char *chunk, size_t len)
{
    static const char mark[] = "unfinished string near <eof>";
    size_t n;
    if (st != LUA_ERRSYNTAX || (len > 0 && chunk[len - 1] == '\\'))
        return 0;
    const char *msg = lua_tolstring(L, -1, &n);
    return msg && n >= sizeof mark - 1 && strcmp(msg + n - (sizeof mark - 1), mark) == 0;
}

/* REPL: load `return <input>;` else the input itself; run; print results
 * through the global print. */
static int eval(call_ctx *c)
{
    lua_State *L = c->h->L;
    int base = lua_gettop(L);
    const char *ret = lua_pushfstring(L, "return %s;", c->chunk);
    int st = luaL_loadbufferx(L, ret, strlen(ret), "=stdin", "t");
    lua_remove(L, -2);                          /* the "return" text */
    if (st != LUA_OK) {
        lua_pop(L, 1);
        size_t len = strlen(c->chunk);
        st = luaL_loadbufferx(L, c->chunk, len, "=stdin", "t");
        if (open_string(L, st, c->chunk, len)) {
            /* loaded again with its line's end, the error names the string */
            lua_pop(L, 1);
            ret = lua_pushfstring(L, "%s\n", c->chunk);
            st = luaL_loadbufferx(L, ret, len + 1, "=stdin", "t");
            lua_remove(L, -2);
            return take_error(L, error_code(c->h, st), c->err);
        }
        if (incomplete(L, st) || (st == LUA_ERRSYNTAX && open_expression(L, c->chunk))) {
            lua_pop(L, 1);
            *c->incomplete = 1;
            return OT_OK;
        }
        if (st != LUA_OK)
            return take_error(L, error_code(c->h, st), c->err);
    }
    int code = docall(c->h, 0, LUA_MULTRET, c->err);
    if (code != OT_OK || c->h->exit_status >= 0)
        return code;
    int n = lua_gettop(L) - base;
    if (n > 0) {
        luaL_checkstack(L, LUA_MINSTACK, "too many results to print");
        /* results that printed themselves (ot.compare's table) are not
         * printed again; when all did, nothing is */
        int printed = 0;
        for (int i = base + 1; i <= base + n; i++)
            if (luaL_getmetafield(L, i, "__printed") != LUA_TNIL) {
                printed += lua_toboolean(L, -1);
                lua_pop(L, 1);
            }
        if (printed == n) {
            lua_settop(L, base);
            return OT_OK;
        }
        lua_getfield(L, LUA_REGISTRYINDEX, OT_REPL);
        lua_getfield(L, -1, "repr");                /* [results, M, repr] */
        for (int i = base + 1; i <= base + n; i++) {
            if (lua_type(L, i) != LUA_TTABLE)
                continue;
            lua_pushvalue(L, -1);
            lua_pushvalue(L, i);
            if ((code = docall(c->h, 1, 1, c->err)) != OT_OK || c->h->exit_status >= 0) {
                lua_settop(L, base); /* an error, or os.exit from a __tostring */
                return code;
            }
            lua_replace(L, i);
        }
        lua_pop(L, 2);
        lua_getglobal(L, "print");
        lua_insert(L, base + 1);
        code = docall(c->h, n, 0, c->err);
    }
    lua_settop(L, base);
    return code;
}

/* Ends the chunk's transaction in every database it opened (OT_L_REG_HELD):
 * commits when the chunk succeeded (code OT_OK), else rolls back.  Returns
 * the first commit error (then err is set and that database rolled back).
 * Boxes closed meanwhile leave the set. */
static int settle(ot_host *h, int code, ot_err *err)
{
    lua_State *L = h->L;
    int rc = OT_OK;
    if (lua_getfield(L, LUA_REGISTRYINDEX, OT_L_REG_HELD) != LUA_TTABLE) {
        lua_pop(L, 1);
        return OT_OK;
    }
    lua_pushnil(L);                                         /* [held, key] */
    while (lua_next(L, -2)) {                               /* [held, box, true] */
        lua_pop(L, 1);
        ot_store **box = luaL_testudata(L, -1, OT_L_DB);
        if (!box || !*box) {
            lua_pushvalue(L, -1);
            lua_pushnil(L);
            lua_rawset(L, -4);                              /* leaves the set */
            continue;
        }
        ot_err e;
        int r = ot_store_settle(*box, code == OT_OK && rc == OT_OK, &e);
        if (r != OT_OK && rc == OT_OK)
            rc = ot_err_set(err, r, "the script's writes were not kept: %s", e.msg);
    }
    lua_pop(L, 1);
    return rc;
}

static int entry(lua_State *L)
{
    call_ctx *c = lua_touserdata(L, 1);
    lua_pop(L, 1);
    int st;
    switch (c->kind) {
    case CALL_INIT:
        init_state(L, c->opts);
        c->code = OT_OK;
        break;
    case CALL_FILE:
        push_args(L, c->h, c->path, c->argc, c->argv);
        st = luaL_loadfilex(L, strcmp(c->path, "-") == 0 ? NULL : c->path, "t");
        if (st == LUA_ERRFILE) {
            c->code = take_error(L, OT_ENOTFOUND, c->err);
            break;
        }
        if (st != LUA_OK) { /* a syntax error names the file; a binary chunk did not */
            const char *name = strcmp(c->path, "-") == 0 ? "stdin" : c->path;
            const char *msg = lua_tostring(L, -1);
            if (msg && strncmp(msg, name, strlen(name)) != 0) {
                lua_pushfstring(L, "%s: %s", name, msg);
                lua_remove(L, -2);
            }
            c->code = take_error(L, error_code(c->h, st), c->err);
            break;
        }
        luaL_checkstack(L, c->argc, "too many arguments to script");
        for (int i = 0; i < c->argc; i++)
            lua_pushstring(L, c->argv[i]);
        c->code = docall(c->h, c->argc, 0, c->err);
        break;
    case CALL_STRING:
        st = luaL_loadbufferx(L, c->chunk, strlen(c->chunk), c->name ? c->name : c->chunk, "t");
        c->code = st != LUA_OK ? take_error(L, error_code(c->h, st), c->err)
                               : docall(c->h, 0, 0, c->err);
        break;
    case CALL_EVAL:
        *c->incomplete = 0;
        c->code = eval(c);
        break;
    case CALL_COMPLETE:
        lua_getfield(L, LUA_REGISTRYINDEX, OT_REPL);
        lua_getfield(L, -1, "complete");
        lua_pushstring(L, c->chunk);
        c->code = docall(c->h, 1, 1, c->err);
        if (c->code == OT_OK && lua_istable(L, -1)) {
            lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
            for (lua_Integer i = 1; i <= n; i++) {
                if (lua_rawgeti(L, -1, i) == LUA_TSTRING) {
                    c->fn(c->ud, lua_tostring(L, -1));
                    c->ncand++;
                }
                lua_pop(L, 1);
            }
        }
        break;
    }
    if (c->kind != CALL_INIT) {
        int rc = settle(c->h, c->code, c->err);
        if (c->code == OT_OK)
            c->code = rc;
    }
    return 0;
}

/* Rolls back the chunk's writes after an error that escaped entry. */
static int entry_settle(lua_State *L)
{
    ot_err e;
    settle(lua_touserdata(L, 1), OT_ESCRIPT, &e);
    return 0;
}

/* Runs c through the protected entry; an error escaping it (out of memory
 * while setting up, outside the script) is reported too. */
static int enter(ot_host *h, call_ctx *c)
{
    lua_State *L = h->L;
    int top = lua_gettop(L);
    c->h = h;
    c->code = OT_OK;
    free(h->errtext);
    h->errtext = NULL;
    h->lim.stopped = 0;
    h->last_code = OT_ESCRIPT;
    ot_err_clear(c->err);
    lua_pushcfunction(L, entry);
    lua_pushlightuserdata(L, c);
    int st = lua_pcall(L, 1, 0, 0);
    if (st != LUA_OK) {
        h->last_code = OT_ESCRIPT;
        c->code = take_error(L, error_code(h, st), c->err);
        lua_pushcfunction(L, entry_settle); /* what the chunk wrote goes with it */
        lua_pushlightuserdata(L, h);
        if (lua_pcall(L, 1, 0, 0) != LUA_OK)
            lua_pop(L, 1);
    }
    lua_settop(L, top);
    setlocale(LC_NUMERIC, "C"); /* whatever a C module did: numbers stay locale-free */
    return c->code;
}

/* ---- public entry points ----------------------------------------------------- */

/* Checks as_of: "latest", a date or a period. */
static int check_asof(const char *s, ot_err *err)
{
    int32_t days;
    ot_period p;
    ot_err e;
    if (strcmp(s, "latest") == 0 || ot_date_parse(s, &days, &e) == OT_OK ||
        ot_period_parse(s, (size_t)-1, &p, &e) == OT_OK)
        return OT_OK;
    return ot_err_set(err, OT_EDATA, "--as-of: '%s' is neither a date (2023-10-20) nor a period "
                                     "(2023-09)", s);
}

int ot_host_new(const ot_host_opts *o, ot_host **out, ot_err *err)
{
    static const ot_host_opts defaults = {NULL, NULL, 0, 0, 0, NULL, 0, NULL};
    if (!o)
        o = &defaults;
    if (o->as_of && check_asof(o->as_of, err) != OT_OK)
        return OT_EDATA;
    ot_host *h = calloc(1, sizeof *h);
    if (!h)
        return ot_err_set(err, OT_ENOMEM, "out of memory");
    h->lim.cap = o->mem_limit;
    h->lim.timeout = o->timeout > 0 ? o->timeout : 0;
    h->lim.what = "script";
    h->sandbox = o->sandbox;
    h->exit_status = -1;
    h->L = ot_limit_newstate(&h->lim);
    if (!h->L) {
        int code = h->lim.cap ? OT_ELIMIT : OT_ENOMEM;
        free(h);
        return ot_err_set(err, code, "cannot create a Lua state");
    }
    ot_err e;
    call_ctx c = {.kind = CALL_INIT, .opts = o, .err = &e};
    if (enter(h, &c) != OT_OK) {
        int code = ot_err_set(err, e.code, "cannot start the script host: %s", e.msg);
        ot_host_free(h);
        return code;
    }
    *out = h;
    return OT_OK;
}

/* Marks the state closing (OT_L_REG_CLOSING; see ot_l_setmeta). */
static int mark_closing(lua_State *L)
{
    lua_pushboolean(L, 1);
    lua_setfield(L, LUA_REGISTRYINDEX, OT_L_REG_CLOSING);
    return 0;
}

void ot_host_free(ot_host *h)
{
    if (!h)
        return;
    /* lua_close runs the finalizers of everything left, and no box made
     * inside one of them would ever be finalized (Lua registers no new
     * finalizer while closing): from here the bindings make none */
    lua_pushcfunction(h->L, mark_closing);
    if (lua_pcall(h->L, 0, 0, 0) != LUA_OK)
        lua_pop(h->L, 1);
    lua_close(h->L);
    free(h->errtext);
    free(h);
}

void ot_host_set_before(ot_host *h, int n, char **before)
{
    h->nbefore = n > 0 && before ? n : 0;
    h->before = before;
}

int ot_host_run_file(ot_host *h, const char *path, int argc, char **argv, ot_err *err)
{
    ot_err e;
    call_ctx c = {.kind = CALL_FILE, .path = path, .argc = argc, .argv = argv, .err = err ? err : &e};
    return enter(h, &c);
}

int ot_host_run_string(ot_host *h, const char *chunk, const char *name, ot_err *err)
{
    ot_err e;
    call_ctx c = {.kind = CALL_STRING, .chunk = chunk, .name = name, .err = err ? err : &e};
    return enter(h, &c);
}

int ot_host_eval(ot_host *h, const char *input, int *incomplete_out, ot_err *err)
{
    ot_err e;
    int inc = 0;
    call_ctx c = {.kind = CALL_EVAL, .chunk = input, .incomplete = &inc, .err = err ? err : &e};
    int code = enter(h, &c);
    if (incomplete_out)
        *incomplete_out = inc;
    return code;
}

size_t ot_host_complete(ot_host *h, const char *line, ot_host_complete_fn fn, void *ud)
{
    ot_err e;
    call_ctx c = {.kind = CALL_COMPLETE, .chunk = line, .fn = fn, .ud = ud, .err = &e};
    if (!h || !line || !fn)
        return 0;
    enter(h, &c);
    return c.ncand;
}

const char *ot_host_error_text(const ot_host *h)
{
    return h ? h->errtext : NULL;
}

int ot_host_exit_status(const ot_host *h)
{
    return h ? h->exit_status : -1;
}

size_t ot_host_mem_used(const ot_host *h)
{
    return h ? atomic_load(&h->lim.used) : 0;
}

size_t ot_host_mem_peak(const ot_host *h)
{
    return h ? atomic_load(&h->lim.peak) : 0;
}
