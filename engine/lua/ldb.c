/* ldb.c — the database userdata: ot.open, ot.db, db:series, db:keys, db:put,
 * db:targets, db:import, db:close.
 *
 * A db box holds one ot_store * (NULL once closed).  Store calls never run
 * Lua code: what they return is boxed before conversion (targets) or
 * collected into a GC-owned buffer (keys), so a Lua error can never leave a
 * statement or a transaction open.  Every function raises on failure (an
 * unknown series, a locked database, bad data), with the engine's code kept
 * for the host's exit status.
 */
#include "lua/lontrack.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/text.h"
#ifdef OT_IO_PRESENT
#include "core/ops.h"
#include "io/import.h"
#endif
#include "store/store.h"

/* Metatables of the GC-owned scratch boxes below. */
#define OT_L_KEYBUF "ontrack.keybuf"
#define OT_L_TBUF "ontrack.targetbuf"
#define OT_L_METABUF "ontrack.metabuf"

/* ---- as_of -------------------------------------------------------------------- */

void ot_l_asof(lua_State *L, int arg, const char *s, int32_t *days, const char **period)
{
    *days = OT_ASOF_LATEST;
    *period = NULL;
    if (!s) {
        if (lua_getfield(L, LUA_REGISTRYINDEX, OT_L_REG_ASOF) == LUA_TSTRING)
            s = lua_tostring(L, -1); /* the registry keeps it alive */
        lua_pop(L, 1);
        if (!s)
            return;
    }
    if (strcmp(s, "latest") == 0)
        return;
    ot_err e;
    ot_period p;
    if (ot_date_parse(s, days, &e) == OT_OK)
        return;
    if (ot_period_parse(s, (size_t)-1, &p, &e) == OT_OK) {
        *days = OT_ASOF_LATEST;
        *period = s;
        return;
    }
    luaL_argerror(L, arg, lua_pushfstring(L, "as_of '%s' is neither a date (2023-10-20) nor a "
                                             "period (2023-09)", s));
}

/* ---- boxes ---------------------------------------------------------------------- */

/* A db box: the store (first, so the box reads as an ot_store **), and
 * whether it is borrowed: a store the host's caller owns and ends (a job's
 * own connection, ot_host_opts.store), which the box never closes, holds or
 * settles. */
typedef struct dbbox {
    ot_store *st;
    int borrowed;
    int readonly; /* opened {readonly = true}: it never writes */
} dbbox;

/* Pushes an empty db box (pointer NULL) to open a store into. */
static ot_store **newdb(lua_State *L)
{
    dbbox *b = lua_newuserdatauv(L, sizeof *b, 0);
    b->st = NULL;
    b->borrowed = 0;
    b->readonly = 0;
    ot_l_setmeta(L, OT_L_DB);
    return &b->st;
}

void ot_l_pushdb_borrowed(lua_State *L, ot_store *st)
{
    ot_store **box = newdb(L);
    *box = st;
    ((dbbox *)(void *)box)->borrowed = 1;
}

ot_store *ot_l_checkdb(lua_State *L, int arg)
{
    return ot_l_checkbox(L, arg, arg, NULL, OT_L_DB, "database is closed");
}

/* When the host runs each chunk as one transaction (OT_L_REG_HELD), the
 * store at idx (a box just opened) joins it: its writes wait for the chunk's
 * end, and the host commits or rolls them back. */
static void hold(lua_State *L, int idx)
{
    idx = lua_absindex(L, idx);
    if (lua_getfield(L, LUA_REGISTRYINDEX, OT_L_REG_HELD) == LUA_TTABLE) {
        ot_store_hold(*(ot_store **)lua_touserdata(L, idx));
        lua_pushvalue(L, idx);
        lua_pushboolean(L, 1);
        lua_rawset(L, -3);
    }
    lua_pop(L, 1);
}

/* When the host holds each chunk's writes in one transaction per database,
 * a second connection to a file already held would wait for the first one's
 * transaction (the 5 s busy timeout, then "locked … another process") and
 * would not see its writes.  Pushes the box already holding the file at
 * path for writing and returns 1, else pushes nothing and returns 0. */
static int find_held(lua_State *L, const char *path)
{
    struct stat want, got;
    if (strcmp(path, ":memory:") == 0 || stat(path, &want) != 0)
        return 0; /* a new file is nobody's yet */
    if (lua_getfield(L, LUA_REGISTRYINDEX, OT_L_REG_HELD) != LUA_TTABLE) {
        lua_pop(L, 1);
        return 0;
    }
    lua_pushnil(L);                                          /* [held, key] */
    while (lua_next(L, -2)) {                                /* [held, box, true] */
        lua_pop(L, 1);
        ot_store **box = luaL_testudata(L, -1, OT_L_DB);
        if (box && *box && !((dbbox *)(void *)box)->readonly &&
            stat(ot_store_path(*box), &got) == 0 && got.st_dev == want.st_dev &&
            got.st_ino == want.st_ino) {
            lua_remove(L, -2);                               /* [box] */
            return 1;
        }
    }
    lua_pop(L, 1);
    return 0;
}

/* ot.open(path [, {readonly = true}]) -> db, creating the file unless
 * readonly; a file the script holds open for writing already (find_held)
 * gives that same object. */
static int l_open(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    ot_l_checkpath(L, 1, path);
    int ro = 0;
    if (!lua_isnoneornil(L, 2)) {
        static const char *const keys[] = {"readonly", NULL};
        luaL_checktype(L, 2, LUA_TTABLE);
        ot_l_checkkeys(L, 2, 2, keys);
        lua_getfield(L, 2, "readonly");
        ro = lua_toboolean(L, -1);
        lua_pop(L, 1);
    }
    if (!ro && find_held(L, path))
        return 1; /* that file is this script's already: the same object */
    ot_store **box = newdb(L);
    ((dbbox *)(void *)box)->readonly = ro;
    ot_err e;
    ot_err_clear(&e);
    if (ot_store_open(path, ro ? OT_STORE_READONLY : OT_STORE_CREATE, box, &e) != OT_OK)
        return ot_l_error(L, &e);
    hold(L, -1);
    return 1;
}

/* Pushes the db ot.db() returns, opening it on first use: the host's path,
 * else $ONTRACK_DB, else ./ontrack.db (as the CLI). */
static void pushdefault(lua_State *L)
{
    if (lua_getfield(L, LUA_REGISTRYINDEX, OT_L_REG_DBOBJ) == LUA_TUSERDATA) {
        ot_store **box = luaL_testudata(L, -1, OT_L_DB);
        if (box && *box)
            return;
    }
    lua_pop(L, 1);
    const char *path = NULL;
    if (lua_getfield(L, LUA_REGISTRYINDEX, OT_L_REG_DBPATH) == LUA_TSTRING)
        path = lua_tostring(L, -1);
    if (!path)
        path = getenv("ONTRACK_DB");
    if (!path || !*path)
        path = "ontrack.db";
    if (find_held(L, path)) {                  /* [path, box]: opened by ot.open */
        lua_remove(L, -2);
        lua_pushvalue(L, -1);
        lua_setfield(L, LUA_REGISTRYINDEX, OT_L_REG_DBOBJ);
        return;
    }
    ot_store **box = newdb(L);                 /* [path, box] */
    ot_err e;
    ot_err_clear(&e);
    if (ot_store_open(path, OT_STORE_CREATE, box, &e) != OT_OK)
        ot_l_error(L, &e);
    lua_remove(L, -2);                         /* [box] */
    hold(L, -1);
    lua_pushvalue(L, -1);
    lua_setfield(L, LUA_REGISTRYINDEX, OT_L_REG_DBOBJ);
}

ot_store *ot_l_defaultdb(lua_State *L)
{
    pushdefault(L);
    ot_store *st = *(ot_store **)lua_touserdata(L, -1);
    lua_pop(L, 1); /* the registry keeps the box */
    return st;
}

/* ot.db() -> the default db (see pushdefault). */
static int l_db(lua_State *L)
{
    pushdefault(L);
    return 1;
}

/* Closes the box's store: in a chunk run as one transaction, what the chunk
 * wrote to it is committed when keep, else rolled back.  A borrowed box (a
 * job's ot.db()) is left as it is: the job commits or rolls back. */
static int close_box(lua_State *L, int keep)
{
    ot_store **box = luaL_checkudata(L, 1, OT_L_DB);
    if (((dbbox *)(void *)box)->borrowed)
        return 0; /* the job's connection: the job ends its transaction and closes it */
    /* closed by the host closing the state: the script has ended and its
     * writes were settled; what a finalizer wrote since belongs to no chunk */
    if (lua_getfield(L, LUA_REGISTRYINDEX, OT_L_REG_CLOSING) != LUA_TNIL)
        keep = 0;
    lua_pop(L, 1);
    ot_err e;
    int rc = ot_store_settle(*box, keep, &e);
    ot_store_close(*box);
    *box = NULL;
    if (rc != OT_OK)
        return ot_l_error(L, &e);
    return 0;
}

/* db:close(): closes now (later uses raise "database is closed"), keeping
 * what the chunk wrote (docs/reliability.md); __gc does the same. */
static int m_close(lua_State *L)
{
    return close_box(L, 1);
}

/* __close(db, err): a `<close>` variable going out of scope.  Left normally
 * (err nil) it is db:close(); left by an error (a raise, a time limit, a
 * stop) the chunk's writes to this database are rolled back, as the
 * chunk's own would be: the block that wrote them failed. */
static int m_toclose(lua_State *L)
{
    return close_box(L, lua_isnoneornil(L, 2));
}

/* "db PATH" or "db (closed)". */
static int m_tostring(lua_State *L)
{
    ot_store **box = luaL_checkudata(L, 1, OT_L_DB);
    if (*box)
        lua_pushfstring(L, "db %s", ot_store_path(*box));
    else
        lua_pushliteral(L, "db (closed)");
    return 1;
}

/* ---- reading ------------------------------------------------------------------------ */

static const char *const measure_names[] = {"value", "ytd", "yoy", "ytd_yoy", NULL};

/* db:series(key [, {as_of =, measure =, freq =}]) -> series.  as_of defaults
 * to the host's --as-of; a period as_of cuts the data after that period.  A
 * stored series of which nothing was known yet at as_of (a date before its
 * first release, a period before its first figure) is an empty series, as
 * it was then, not an error: a script reading as of past dates (a backfill)
 * tests #s instead of wrapping every read in pcall. */
static int l_series(lua_State *L)
{
    ot_store *st = ot_l_checkdb(L, 1);
    const char *key = luaL_checkstring(L, 2);
    ot_read_opts ro = OT_READ_OPTS_INIT;
    const char *as_of = NULL, *through = NULL;
    char year[16];
    if (!lua_isnoneornil(L, 3)) {
        static const char *const keys[] = {"as_of", "measure", "freq", NULL};
        luaL_checktype(L, 3, LUA_TTABLE);
        ot_l_checkkeys(L, 3, 3, keys);
        as_of = ot_l_optfield_asof(L, 3, 3, year, sizeof year);
        int mi = ot_l_optfield_option(L, 3, 3, "measure", measure_names);
        const char *fs = ot_l_optfield_str(L, 3, 3, "freq");
        if (mi >= 0)
            ro.measure = (ot_measure)mi;
        if (fs && (ro.freq = ot_freq_parse(fs)) == OT_FREQ_NONE)
            luaL_argerror(L, 3, lua_pushfstring(L, "freq must be \"D\", \"M\", \"Q\" or \"Y\", "
                                                   "got \"%s\"", fs));
    }
    int32_t days;
    ot_l_asof(L, 3, as_of, &days, &through);
    ro.as_of = days;
    ro.empty = 1;
    ot_series **box = ot_l_newseries(L);
    ot_alloc a = ot_l_alloc(L);
    ot_err e;
    ot_err_clear(&e);
    ot_series *s;
    if (ot_store_read(st, key, &ro, &a, &s, &e) != OT_OK)
        return ot_l_error(L, &e);
    ot_l_setseries(L, box, s);
    if (through) {
        ot_period p;
        ot_period_parse(through, (size_t)-1, &p, &e); /* checked by ot_l_asof */
        ot_series **cut = ot_l_newseries(L);
        ot_series *r = ot_series_through(s, p, &e);
        if (!r && e.code == OT_ENOTFOUND) { /* nothing through p: empty after it */
            ot_ord after = ot_period_ord_in(p, s->freq, 1) + 1;
            if ((r = ot_series_new(&a, s->freq, after, 0, &e)) && ot_series_copy_meta(r, s, &e)) {
                ot_series_free(r);
                r = NULL;
            }
        }
        if (!r)
            return ot_l_error(L, &e);
        ot_l_setseries(L, cut, r);
    }
    return 1;
}

/* Keys collected by the ot_store_keys callback into a GC-owned buffer:
 * NUL-separated, in order, each once.  Allocated with the state's allocator
 * without Lua calls (the callback runs inside the store). */
typedef struct keybuf {
    ot_alloc a;
    char *p;
    size_t len, cap;
    size_t n;
    int oom;
} keybuf;

/* Frees the key buffer (the box stays valid, empty). */
static int keybuf_gc(lua_State *L)
{
    keybuf *kb = lua_touserdata(L, 1);
    ot_free(&kb->a, kb->p, kb->cap);
    kb->p = NULL;
    kb->cap = 0;
    return 0;
}

/* Pushes an empty keybuf (freed by its __gc) and returns it. */
static keybuf *push_keybuf(lua_State *L)
{
    keybuf *kb = lua_newuserdatauv(L, sizeof *kb, 0);
    memset(kb, 0, sizeof *kb);
    kb->a = ot_l_alloc(L);
    ot_l_setmeta(L, OT_L_KEYBUF);
    return kb;
}

/* Appends n bytes to kb; 0, or 1 (kb->oom set) when out of memory.  No Lua call. */
static int kb_append(keybuf *kb, const void *data, size_t n)
{
    if (kb->len + n > kb->cap) {
        size_t cap = kb->cap ? kb->cap * 2 : 1024;
        while (cap < kb->len + n)
            cap *= 2;
        char *p = ot_realloc(&kb->a, kb->p, kb->cap, cap);
        if (!p) {
            kb->oom = 1;
            return 1;
        }
        kb->p = p;
        kb->cap = cap;
    }
    memcpy(kb->p + kb->len, data, n);
    kb->len += n;
    return 0;
}

/* ot_key_fn: appends ki->key unless it repeats the previous one (a key
 * listed once per frequency); stops on out of memory.  No Lua call here. */
static int collect_key(void *ud, const ot_key_info *ki)
{
    keybuf *kb = ud;
    size_t k = strlen(ki->key) + 1;
    if (kb->len >= k && kb->n && strcmp(kb->p + kb->len - k, ki->key) == 0 &&
        (kb->len == k || kb->p[kb->len - k - 1] == '\0'))
        return 0; /* the same key at another frequency */
    if (kb_append(kb, ki->key, k))
        return 1;
    kb->n++;
    return 0;
}

/* db:keys([pattern]) -> {key, ...} in key order; pattern is a GLOB
 * ("yiwu.*"). */
static int l_keys(lua_State *L)
{
    ot_store *st = ot_l_checkdb(L, 1);
    const char *pattern = luaL_optstring(L, 2, NULL);
    keybuf *kb = push_keybuf(L);                        /* [kb] */
    ot_err e;
    ot_err_clear(&e);
    if (ot_store_key_names(st, pattern, collect_key, kb, &e) != OT_OK)
        return ot_l_error(L, &e);
    if (kb->oom) {
        ot_err_set(&e, OT_ENOMEM, "out of memory listing keys");
        return ot_l_error(L, &e);
    }
    lua_createtable(L, (int)kb->n, 0);                    /* [kb, keys] */
    const char *k = kb->p;
    for (size_t i = 0; i < kb->n; i++) {
        lua_pushstring(L, k);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
        k += strlen(k) + 1;
    }
    return 1;
}

/* ---- writing -------------------------------------------------------------------------- */

/* db:put(target) -> id, or db:put(series [, {key =, measure =, vintage =,
 * source =}]) -> inserted, unchanged.  Writes every present value in one transaction, and for measure
 * "value" the series' name, unit and kind as the key's metadata; a Jan–Feb
 * value is stored as the combined period. */
static int l_put(lua_State *L)
{
    ot_store *st = ot_l_checkdb(L, 1);
    ot_l_target *tb = luaL_testudata(L, 2, OT_L_TARGET);
    if (tb) {
        ot_l_checktarget(L, 2); /* not closed */
        /* db:put(target) -> id: stores (or updates) the target */
        ot_err e;
        ot_err_clear(&e);
        int64_t id = 0;
        if (ot_store_put_target(st, &tb->t, &id, &e) != OT_OK)
            return ot_l_error(L, &e);
        tb->id = (long long)id;
        lua_pushinteger(L, (lua_Integer)id);
        return 1;
    }
    const ot_series *s = ot_l_checkseries(L, 2);
    const char *key = s->key, *source = NULL, *vs = NULL;
    ot_measure m = OT_MEASURE_VALUE;
    int32_t vintage = OT_VINTAGE_NONE;
    if (!lua_isnoneornil(L, 3)) {
        static const char *const keys[] = {"key", "measure", "vintage", "source", NULL};
        luaL_checktype(L, 3, LUA_TTABLE);
        ot_l_checkkeys(L, 3, 3, keys);
        const char *k = ot_l_optfield_str(L, 3, 3, "key");
        if (k)
            key = k;
        source = ot_l_optfield_str(L, 3, 3, "source");
        vs = ot_l_optfield_str(L, 3, 3, "vintage");
        int mi = ot_l_optfield_option(L, 3, 3, "measure", measure_names);
        if (mi >= 0)
            m = (ot_measure)mi;
    }
    if (!key || !*key)
        luaL_argerror(L, 2, "the series has no key (give one: s:with{key = ...} or {key = ...})");
    ot_err e;
    ot_err_clear(&e);
    size_t klen = strlen(key); /* the rule of CSV import (core/text.h), NULs included */
    if (key != s->key) {
        lua_getfield(L, 3, "key");
        lua_tolstring(L, -1, &klen);
        lua_pop(L, 1);
    }
    if (ot_key_check(key, klen, &e) != OT_OK)
        luaL_argerror(L, key != s->key ? 3 : 2, e.msg);
    if (vs && ot_date_parse(vs, &vintage, &e) != OT_OK)
        luaL_argerror(L, 3, lua_pushfstring(L, "vintage: %s", e.msg));

    long long inserted = 0, unchanged = 0;
    /* periods outside the years 1..9999 are refused, as import refuses
     * them (ot_period_check): the first and last present values bound the rest */
    size_t lo = 0, hi = s->n;
    while (lo < hi && s->v[lo] != s->v[lo])
        lo++;
    while (hi > lo && s->v[hi - 1] != s->v[hi - 1])
        hi--;
    for (size_t k = 0; lo < hi && k < 2; k++) {
        ot_period p = {s->freq, s->start + (ot_ord)(k ? hi - 1 : lo), 1};
        if (ot_period_check(p, &e) != OT_OK) {
            char per[OT_PERIOD_STRMAX], msg[OT_ERR_MSG_MAX];
            ot_period_format(p, per, sizeof per);
            snprintf(msg, sizeof msg, "%s", e.msg);
            ot_err_set(&e, OT_EDATA, "%s %s: %s", key, per, msg);
            return ot_l_error(L, &e);
        }
    }
    if (ot_store_put_series(st, key, m, s, vintage, source, &inserted, &unchanged, &e) != OT_OK)
        return ot_l_error(L, &e);
    lua_pushinteger(L, inserted);
    lua_pushinteger(L, unchanged);
    return 2;
}

/* ---- targets --------------------------------------------------------------------------- */

/* The array ot_store_targets returns, boxed while it is turned into target
 * userdata (each target is moved out, the rest freed by __gc). */
typedef struct tbuf {
    ot_target *t;
    int64_t *ids;
    size_t n;
} tbuf;

/* Frees the targets not moved out and the id array. */
static int tbuf_gc(lua_State *L)
{
    tbuf *b = lua_touserdata(L, 1);
    ot_store_targets_free(b->t, b->n);
    free(b->ids);
    b->t = NULL;
    b->ids = NULL;
    b->n = 0;
    return 0;
}

/* db:targets([{year =}]) -> {target, ...} ordered by year and id. */
static int l_targets(lua_State *L)
{
    ot_store *st = ot_l_checkdb(L, 1);
    lua_Integer year = 0;
    if (lua_type(L, 2) == LUA_TNUMBER)
        year = luaL_checkinteger(L, 2);
    else if (!lua_isnoneornil(L, 2)) {
        static const char *const keys[] = {"year", NULL};
        luaL_checktype(L, 2, LUA_TTABLE);
        ot_l_checkkeys(L, 2, 2, keys);
        year = ot_l_optfield_int(L, 2, 2, "year", 0);
    }
    luaL_argcheck(L, year >= 0 && year <= 9999, 2, "year out of range");
    tbuf *b = lua_newuserdatauv(L, sizeof *b, 0);          /* [b] */
    memset(b, 0, sizeof *b);
    ot_l_setmeta(L, OT_L_TBUF);
    ot_err e;
    ot_err_clear(&e);
    if (ot_store_targets(st, (int)year, &b->t, &b->ids, &b->n, &e) != OT_OK)
        return ot_l_error(L, &e);
    lua_createtable(L, (int)b->n, 0);                       /* [b, list] */
    for (size_t i = 0; i < b->n; i++) {
        ot_l_target *t = ot_l_newtarget(L);                 /* [b, list, t] */
        t->t = b->t[i];                                     /* move */
        ot_target_init(&b->t[i]);
        t->id = b->ids ? (long long)b->ids[i] : 0;
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

#ifdef OT_IO_PRESENT
/* ---- import --------------------------------------------------------------------------- */

static const char *const format_names[] = {"auto", "long", "wide", "targets", "series", NULL};

/* db:import(file_or_files [, {format =, measure =, as_of =, encoding =,
 * source =}]) -> {files =, already =, rows =, inserted =, unchanged =,
 * missing =}.  One transaction; bad data raises with every problem's
 * location counted in the message. */
static int l_import(lua_State *L)
{
    ot_store *st = ot_l_checkdb(L, 1);
    size_t n = 1;
    if (lua_istable(L, 2))
        n = lua_rawlen(L, 2);
    else
        luaL_checkstring(L, 2);
    luaL_argcheck(L, n >= 1 && n <= 100000, 2, "no files given");
    ot_import_opts o = OT_IMPORT_OPTS_INIT;
    if (!lua_isnoneornil(L, 3)) {
        static const char *const keys[] = {"format", "measure", "encoding", "source", "as_of",
                                           "map", "sheet", "force_measure", "dry_run", NULL};
        luaL_checktype(L, 3, LUA_TTABLE);
        ot_l_checkkeys(L, 3, 3, keys);
        int fi = ot_l_optfield_option(L, 3, 3, "format", format_names);
        if (fi >= 0)
            o.format = (ot_import_format)fi;
        int mi = ot_l_optfield_option(L, 3, 3, "measure", measure_names);
        if (mi >= 0)
            o.measure = (ot_measure)mi;
        const char *enc = ot_l_optfield_str(L, 3, 3, "encoding");
        int en;
        if (enc && (en = ot_encoding_parse(enc)) < 0)
            luaL_argerror(L, 3, lua_pushfstring(L, "encoding must be \"utf-8\" or \"gbk\", got "
                                                   "\"%s\"", enc));
        else if (enc)
            o.encoding = (ot_encoding)en;
        o.source = ot_l_optfield_str(L, 3, 3, "source");
        const char *as_of = ot_l_optfield_str(L, 3, 3, "as_of");
        ot_err e;
        if (as_of && ot_date_parse(as_of, &o.as_of, &e) != OT_OK)
            luaL_argerror(L, 3, lua_pushfstring(L, "as_of: %s", e.msg));
        o.sheet = ot_l_optfield_str(L, 3, 3, "sheet");
        if ((o.map = ot_l_optfield_str(L, 3, 3, "map")))
            ot_l_checkpath(L, 3, o.map);
        lua_getfield(L, 3, "force_measure");
        o.force_measure = lua_toboolean(L, -1);
        lua_getfield(L, 3, "dry_run");
        o.dry_run = lua_toboolean(L, -1);
        lua_pop(L, 2);
    }
    /* the file names, in a GC-owned array of pointers into Lua strings */
    const char **paths = lua_newuserdatauv(L, n * sizeof *paths, 0);
    if (lua_istable(L, 2)) {
        for (size_t i = 0; i < n; i++) {
            lua_rawgeti(L, 2, (lua_Integer)i + 1);
            if (lua_type(L, -1) != LUA_TSTRING)
                luaL_argerror(L, 2, lua_pushfstring(L, "file %d is not a string", (int)i + 1));
            paths[i] = lua_tostring(L, -1);
            ot_l_checkpath(L, 2, paths[i]);
            lua_pop(L, 1); /* the table keeps it */
        }
    } else {
        paths[0] = lua_tostring(L, 2);
        ot_l_checkpath(L, 2, paths[0]);
    }
    ot_import_stats stats;
    memset(&stats, 0, sizeof stats);
    ot_err e;
    ot_err_clear(&e);
    /* every problem, kept GC-owned (twenty messages are too big for the C stack) */
    ot_import_errors *errs = lua_newuserdatauv(L, sizeof *errs, 0);     /* [.., errs] */
    memset(errs, 0, sizeof *errs);
    if (ot_import_files(st, paths, n, &o, &stats, errs, &e) != OT_OK) {
        if (e.code != OT_EDATA || errs->n < 2)
            return ot_l_error(L, &e);
        /* one line per problem, as `ontrack import` prints them */
        luaL_Buffer b;
        char line[OT_ERR_FILE_MAX + OT_ERR_MSG_MAX + 64];
        luaL_buffinit(L, &b);
        for (size_t i = 0; i < errs->n; i++) {
            ot_err_format(&errs->e[i], line, sizeof line);
            if (i)
                luaL_addchar(&b, '\n');
            luaL_addstring(&b, line);
        }
        if (errs->count > errs->n) {
            snprintf(line, sizeof line, "\n... and %zu more error%s", errs->count - errs->n,
                     errs->count - errs->n == 1 ? "" : "s");
            luaL_addstring(&b, line);
        }
        luaL_pushresult(&b);
        return ot_l_error_top(L, OT_EDATA);
    }
    lua_createtable(L, 0, 6);
    lua_pushinteger(L, stats.files);
    lua_setfield(L, -2, "files");
    lua_pushinteger(L, stats.already);
    lua_setfield(L, -2, "already");
    lua_pushinteger(L, stats.rows);
    lua_setfield(L, -2, "rows");
    lua_pushinteger(L, stats.inserted);
    lua_setfield(L, -2, "inserted");
    lua_pushinteger(L, stats.unchanged);
    lua_setfield(L, -2, "unchanged");
    lua_pushinteger(L, stats.missing);
    lua_setfield(L, -2, "missing");
    lua_pushinteger(L, stats.skipped);
    lua_setfield(L, -2, "skipped");
    return 1;
}

#endif

/* t[k] = v for the table at the top, when v is set. */
static void setstr(lua_State *L, const char *k, const char *v)
{
    if (v) {
        lua_pushstring(L, v);
        lua_setfield(L, -2, k);
    }
}

/* Frees the metadata strings the store returned. */
static int metabox_gc(lua_State *L)
{
    ot_series_meta_clear(lua_touserdata(L, 1));
    return 0;
}

/* db:meta(key) -> {key =, name =, name_en =, region =, unit =, shape =,
 * source =, freq =, kind =, agg =} (absent fields are nil).  The store's
 * strings are held by a box whose __gc frees them. */
static int l_meta(lua_State *L)
{
    ot_store *st = ot_l_checkdb(L, 1);
    const char *key = luaL_checkstring(L, 2);
    ot_series_meta *m = lua_newuserdatauv(L, sizeof *m, 0);    /* [m] */
    ot_series_meta_init(m);
    ot_l_setmeta(L, OT_L_METABUF);
    ot_err e;
    ot_err_clear(&e);
    if (ot_store_get_meta(st, key, m, &e) != OT_OK)
        return ot_l_error(L, &e);
    lua_createtable(L, 0, 10);                                 /* [m, t] */
    setstr(L, "key", m->key);
    setstr(L, "name", m->name);
    setstr(L, "name_en", m->name_en);
    setstr(L, "region", m->region);
    setstr(L, "unit", m->unit);
    setstr(L, "shape", m->shape);
    setstr(L, "source", m->source);
    setstr(L, "aliases", m->aliases);
    if (m->freq != OT_FREQ_NONE)
        setstr(L, "freq", ot_freq_name(m->freq));
    if (m->kind >= 0)
        setstr(L, "kind", ot_kind_name((ot_kind)m->kind));
    if (m->agg != OT_AGG_NONE)
        setstr(L, "agg", ot_agg_name(m->agg));
    return 1;
}

/* ---- revisions ------------------------------------------------------------------------ */

/* One revision as collected in a keybuf: the fixed part, then source, file
 * and time as NUL-terminated strings ("" for none). */
typedef struct revrec {
    int measure, has_source, has_file, has_time, undated;
    ot_period period;
    int32_t vintage;
    double value;
    int64_t import_id;
} revrec;


/* ot_revision_fn: copies r into the buffer.  No Lua call here. */
static int collect_rev(void *ud, const ot_revision *r)
{
    keybuf *kb = ud;
    revrec x;
    memset(&x, 0, sizeof x);
    x.measure = (int)r->measure;
    x.period = r->period;
    x.vintage = r->vintage;
    x.value = r->value;
    x.import_id = r->import_id;
    x.undated = r->undated;
    x.has_source = r->source != NULL;
    x.has_file = r->file != NULL;
    x.has_time = r->time != NULL;
    const char *s[3] = {r->source ? r->source : "", r->file ? r->file : "",
                        r->time ? r->time : ""};
    if (kb_append(kb, &x, sizeof x))
        return 1;
    for (int i = 0; i < 3; i++)
        if (kb_append(kb, s[i], strlen(s[i]) + 1))
            return 1;
    kb->n++;
    return 0;
}

/* db:revisions(key [, period]) -> {{period =, measure =, value =, vintage =,
 * undated =, source =, import =, file =, time =}, ...}: every stored vintage
 * of every period (of `period` only), by measure, period and vintage; vintage
 * is the date it is known from (for an undated row, the period's end plus
 * the release lag); import, file and time are nil for values a script put.
 * Raises for an unknown key. */
static int l_revisions(lua_State *L)
{
    ot_store *st = ot_l_checkdb(L, 1);
    const char *key = luaL_checkstring(L, 2);
    const char *ps = luaL_optstring(L, 3, NULL);
    ot_period p;
    if (ps && ot_period_parse_query(ps, (size_t)-1, &p, NULL) != OT_OK)
        luaL_argerror(L, 3, lua_pushfstring(L, "'%s' is not a period", ps));
    keybuf *kb = push_keybuf(L);                        /* [kb] */
    ot_err e;
    ot_err_clear(&e);
    if (ot_store_revisions(st, key, ps ? &p : NULL, collect_rev, kb, &e) != OT_OK)
        return ot_l_error(L, &e);
    if (kb->oom) {
        ot_err_set(&e, OT_ENOMEM, "out of memory reading revisions");
        return ot_l_error(L, &e);
    }
    lua_createtable(L, (int)kb->n, 0);                    /* [kb, list] */
    const char *q = kb->p;
    for (size_t i = 0; i < kb->n; i++) {
        revrec x;
        memcpy(&x, q, sizeof x);
        q += sizeof x;
        const char *str[3];
        for (int k = 0; k < 3; k++) {
            str[k] = q;
            q += strlen(q) + 1;
        }
        char per[OT_PERIOD_STRMAX], day[16];
        ot_period_format(x.period, per, sizeof per);
        ot_date_format(x.vintage, day, sizeof day);
        lua_createtable(L, 0, 8);                         /* [kb, list, rev] */
        setstr(L, "period", per);
        setstr(L, "measure", ot_measure_name((ot_measure)x.measure));
        lua_pushnumber(L, x.value);
        lua_setfield(L, -2, "value");
        setstr(L, "vintage", day);
        lua_pushboolean(L, x.undated);
        lua_setfield(L, -2, "undated");
        if (x.has_source)
            setstr(L, "source", str[0]);
        if (x.import_id) {
            lua_pushinteger(L, (lua_Integer)x.import_id);
            lua_setfield(L, -2, "import");
        }
        if (x.has_file)
            setstr(L, "file", str[1]);
        if (x.has_time)
            setstr(L, "time", str[2]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);           /* [kb, list] */
    }
    return 1;
}

static const luaL_Reg db_methods[] = {
    {"series", l_series},
    {"keys", l_keys},
    {"put", l_put},
    {"targets", l_targets},
#ifdef OT_IO_PRESENT
    {"import", l_import},
#endif
    {"meta", l_meta},
    {"revisions", l_revisions},
    {"close", m_close},
    {NULL, NULL}};

static const luaL_Reg db_meta[] = {
    {"__gc", m_close},
    {"__close", m_toclose},
    {"__tostring", m_tostring},
    {NULL, NULL}};

static const luaL_Reg db_funcs[] = {
    {"open", l_open},
    {"db", l_db},
    {NULL, NULL}};

/* Adds ot.open and ot.db and makes the db metatable. */
void ot_l_open_db(lua_State *L)
{
    luaL_setfuncs(L, db_funcs, 0);          /* [mod] */
    luaL_newmetatable(L, OT_L_DB);          /* [mod, mt] */
    luaL_setfuncs(L, db_meta, 0);
    luaL_newlib(L, db_methods);             /* [mod, mt, methods] */
    lua_setfield(L, -2, "__index");
    lua_pushliteral(L, "db");
    lua_setfield(L, -2, "__name");
    lua_pop(L, 1);                          /* [mod] */
    static const struct {
        const char *name;
        lua_CFunction gc;
    } bufs[] = {{OT_L_KEYBUF, keybuf_gc}, {OT_L_TBUF, tbuf_gc}, {OT_L_METABUF, metabox_gc}};
    for (size_t i = 0; i < sizeof bufs / sizeof *bufs; i++) {
        luaL_newmetatable(L, bufs[i].name);
        lua_pushcfunction(L, bufs[i].gc);
        lua_setfield(L, -2, "__gc");
        lua_pop(L, 1);
    }
}
