/* lontrack.h — what the files of the `ontrack` Lua library share.
 *
 * Internal to engine/lua (as lualib.h and lauxlib.h are to Lua): the module
 * opener, the per-file registration functions, the metatable names and the
 * small helpers every binding uses to check arguments, box engine objects
 * and raise engine errors.  Conventions (STYLE.md "The C/Lua boundary"):
 * arguments are checked before anything is owned; an object's userdata box
 * is pushed before the object is made; nothing malloc'd is held in a C local
 * across a Lua call that may raise.
 */
#ifndef OT_LUA_LONTRACK_H
#define OT_LUA_LONTRACK_H

#include <lua.h>
#include <lauxlib.h>

#include "core/err.h"
#include "core/period.h"
#include "core/series.h"
#include "core/target.h"

/* Metatable names (each defined once, here). */
#define OT_L_SERIES "ontrack.series"
#define OT_L_DB "ontrack.db"
#define OT_L_MODEL "ontrack.model"
#define OT_L_TARGET "ontrack.target"
#define OT_L_SCENARIO "ontrack.scenario"
#define OT_L_PRINTED "ontrack.printed" /* a result that printed itself: the REPL shows it once */

/* Registry fields the host sets before opening the module. */
#define OT_L_REG_ASOF "ontrack.as_of"     /* default as_of string, or absent */
#define OT_L_REG_DBPATH "ontrack.db_path" /* what ot.db() opens, or absent */
#define OT_L_REG_DBOBJ "ontrack.db_obj"   /* the db ot.db() opened, once opened */
#define OT_L_REG_ERRMSG "ontrack.errmsg"  /* message of the last engine error raised */
#define OT_L_REG_ERRCODE "ontrack.errcode"/* and its OT_E* code */
#define OT_L_REG_FILES "ontrack.files"    /* sandbox: the one folder scripts may use
                                             (resolved), false for none; absent = any */
#define OT_L_REG_HELD "ontrack.held"      /* the host runs each chunk as one transaction:
                                             the set of db boxes opened, or absent */
#define OT_L_REG_MTALLOC "ontrack.mt_alloc" /* true when the state's allocator is
                                               thread-safe (engine threads may use it) */
#define OT_L_REG_CLOSING "ontrack.closing" /* true once the host closes the state: the
                                              finalizers run at exit make no new boxes */

/* luaL_setmetatable(L, tname) for a new box at the top, which must own
 * nothing yet.  While the host closes the state (OT_L_REG_CLOSING), a
 * finalizer run at exit (a script's __gc) could make a box whose own __gc
 * Lua would never call, leaking what it owns (a database connection, a
 * series): that raises instead. */
void ot_l_setmeta(lua_State *L, const char *tname);

/* Opens the library: returns 1 with the module table on the stack. */
int luaopen_ontrack(lua_State *L);

/* Each file adds its functions to the module table at the top of the stack
 * and creates its metatables. */
void ot_l_open_series(lua_State *L);
void ot_l_open_db(lua_State *L);
void ot_l_open_model(lua_State *L);
void ot_l_open_target(lua_State *L);
void ot_l_open_scenario(lua_State *L);
void ot_l_open_project(lua_State *L);

/* ---- shared helpers (lontrack.c) ---------------------------------------- */

/* The engine allocator built on the state's lua_Alloc, so engine memory
 * counts against the host's cap. */
ot_alloc ot_l_alloc(lua_State *L);

/* Raises e as a Lua error "where: message" (where = the calling Lua line)
 * and records its code, so the host can return OT_EDATA etc. for it.  Never
 * returns; nothing may be owned by C locals when called. */
int ot_l_error(lua_State *L, const ot_err *e);
/* The same for an engine error whose text (without the position) is on the
 * top of the stack, with its OT_E* code: for messages longer than an ot_err
 * holds (every problem of an import). */
int ot_l_error_top(lua_State *L, int code);
/* The OT_E* code of the error value at idx when it is the last engine error
 * raised (also when re-raised by error(e, 0)), else OT_ESCRIPT. */
int ot_l_errcode(lua_State *L, int idx);

/* Checks that the file path given as argument arg may be used: always
 * outside the sandbox; in it, only inside the folder the host allowed
 * (OT_L_REG_FILES), resolving "..", symbolic links and relative paths.
 * Raises "bad argument #1 to 'open' (file 'x' is outside the job's folder
 * '/dir')" otherwise. */
void ot_l_checkpath(lua_State *L, int arg, const char *path);

/* Checks that argument arg is one of names (NULL-terminated) or absent when
 * def is not NULL; returns its index.  The error reads
 * bad argument #2 to 'to' (expected "sum", "mean", "last" or "first", got "avg"). */
int ot_l_checkoption(lua_State *L, int arg, const char *def, const char *const names[]);

/* The same for field k of the options table at idx (argument arg): returns
 * -1 when the field is absent; the error reads
 * bad argument #2 to 'import' (field 'format': expected "long", ... got "xlsx"). */
int ot_l_optfield_option(lua_State *L, int arg, int idx, const char *k,
                         const char *const names[]);

/* Checks that argument arg is a period: a string ot_period_parse accepts or
 * an integer year.  Raises a bad-argument error otherwise. */
ot_period ot_l_checkperiod(lua_State *L, int arg);
/* The same without raising: OT_OK and *out, or the code with e's message
 * ("period expected, got table", the parser's message, ...). */
int ot_l_toperiod(lua_State *L, int idx, ot_period *out, ot_err *e);
/* Pushes p formatted ("2023-01", "2023-01/02", "2023Q1", ...). */
void ot_l_pushperiod(lua_State *L, ot_freq f, ot_ord o, int span);

/* Checks that every string key of the options table at idx (argument arg)
 * is one of known (NULL-terminated): raises
 * bad argument #2 to 'project' (unknown option 'seeds' (did you mean 'seed'?))
 * otherwise.  Does nothing when idx is not a table. */
void ot_l_checkkeys(lua_State *L, int arg, int idx, const char *const known[]);
/* Pushes "unknown <what> 'k' (did you mean 'x'?)" (or the known names when
 * none is near) and returns it. */
const char *ot_l_pushunknown(lua_State *L, const char *what, const char *k,
                             const char *const known[]);

/* Reads an optional string field of the table at idx (raw access: the
 * string stays anchored by the table): NULL when absent; raises
 * "bad argument #arg to 'fn' (field 'k' must be a string, got number)"
 * otherwise. */
const char *ot_l_optfield_str(lua_State *L, int arg, int idx, const char *k);
/* Same for a number field; returns def when absent. */
double ot_l_optfield_num(lua_State *L, int arg, int idx, const char *k, double def);
/* Same for an integer field. */
lua_Integer ot_l_optfield_int(lua_State *L, int arg, int idx, const char *k, lua_Integer def);

/* Reads the optional field as_of of the table at idx: its text, or an
 * integer year written into buf (cap >= 8); NULL when absent; raises as
 * ot_l_optfield_str does, or for a number that is not a year 1-9999. */
const char *ot_l_optfield_asof(lua_State *L, int arg, int idx, char *buf, size_t cap);

/* Reads an optional field of years (shape_years, exclude_years): "2020-2022",
 * "2020" or an integer year, or false / "none" for none ({0, 0}).  Returns 0
 * when absent (y untouched), 1 with y set; raises "bad argument #arg to 'fn'
 * (field 'k' must be years like "2020-2022", a year or false: ...)"
 * otherwise. */
int ot_l_optfield_years(lua_State *L, int arg, int idx, const char *k, int y[2]);

/* The object held by the box of metatable tname at idx (a db, a scenario:
 * boxes whose first member is the object's pointer, NULL once closed),
 * checked as part of argument arg: where names the part ("field 'db'",
 * "item 2"), NULL for the argument itself.  Raises
 * "bad argument #2 to 'project' (field 'db': db expected, got number)" or
 * "(field 'db': <closed>)" with closed the box's own words
 * ("database is closed"). */
void *ot_l_checkbox(lua_State *L, int idx, int arg, const char *where, const char *tname,
                    const char *closed);

/* Pushes s, or nil when s is NULL. */
void ot_l_pushstr(lua_State *L, const char *s);
/* Pushes x, or nil when x is NaN (not defined). */
void ot_l_pushnum(lua_State *L, double x);

/* ---- series (lseries.c) -------------------------------------------------- */

/* Pushes a new empty series box (metatable set, pointer NULL) and returns
 * the slot to store the series in once it is made. */
ot_series **ot_l_newseries(lua_State *L);
/* Stores s (owned by the box from now on) in box, telling the collector
 * about its size.  s must not be NULL. */
void ot_l_setseries(lua_State *L, ot_series **box, ot_series *s);
/* The series at arg; raises a bad-argument error if it is not one or has
 * been closed. */
const ot_series *ot_l_checkseries(lua_State *L, int arg);
/* The series at idx, or NULL when the value is not an open series. */
const ot_series *ot_l_toseries(lua_State *L, int idx);

/* ---- scenarios (lscenario.c) ---------------------------------------------- */

struct ot_scenario;
/* The open scenario at arg; raises a bad-argument error if it is not one
 * or is closed. */
struct ot_scenario *ot_l_checkscenario(lua_State *L, int arg);

/* ---- targets (ltarget.c) -------------------------------------------------- */

/* A target box: the target itself and its id in the store (0 = not stored). */
typedef struct ot_l_target {
    ot_target t;
    long long id;
    int closed; /* after __close (or __gc): every use raises "target is closed" */
} ot_l_target;

/* Pushes a new target box holding an empty target (ot_target_init). */
ot_l_target *ot_l_newtarget(lua_State *L);
/* The target at arg; raises a bad-argument error if it is not one. */
const ot_target *ot_l_checktarget(lua_State *L, int arg);

/* ---- db (ldb.c) ------------------------------------------------------------ */

struct ot_store;
/* The store of the db at arg (raises if not a db or closed). */
struct ot_store *ot_l_checkdb(lua_State *L, int arg);
/* The store ot.db() returns, opening it on first use; raises on failure. */
struct ot_store *ot_l_defaultdb(lua_State *L);
/* Pushes a db box over st, which the box never closes, holds or settles (the
 * caller owns st and outlives the state): a job's ot.db(). */
void ot_l_pushdb_borrowed(lua_State *L, struct ot_store *st);

/* An as-of option: a date ("2023-10-20") gives *days and *period = NULL; a
 * period ("2023-09", "2023Q3") gives *days = OT_ASOF_LATEST and *period the
 * text; "latest" gives OT_ASOF_LATEST and NULL.  s NULL = the host's default
 * (latest when none).  *period points into a string kept alive by the
 * registry or the caller's argument.  Raises a bad-argument error for arg
 * on bad text. */
void ot_l_asof(lua_State *L, int arg, const char *s, int32_t *days, const char **period);

#endif
