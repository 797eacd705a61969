/* lseries.c — the series userdata: construction, fields, metamethods and
 * every time-series operation of core/ops.h as a method.
 *
 * A series box is a full userdata holding one ot_series * (NULL until made,
 * and again after __close).  Series are immutable from Lua: every method
 * returns a new series.  Missing values are nil when one value is asked for
 * (s["2023-03"], s:pairs(), s:last()) and NaN (0/0) inside s:values(), so
 * that table stays a sequence.  Engine memory is allocated through the
 * state's allocator and reported to the collector.
 */
#include "lua/lontrack.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ops.h"
#include "report/num.h"
#include "report/plot.h"

/* ---- boxes ---------------------------------------------------------------- */

ot_series **ot_l_newseries(lua_State *L)
{
    ot_series **box = lua_newuserdatauv(L, sizeof *box, 0);
    *box = NULL;
    ot_l_setmeta(L, OT_L_SERIES);
    return box;
}

/* The collector does not see memory allocated outside its own objects, so a
 * large series would not make it run: count the bytes as a GC debt, as if
 * Lua had allocated them. */
void ot_l_setseries(lua_State *L, ot_series **box, ot_series *s)
{
    *box = s;
    size_t bytes = sizeof *s + s->n * (sizeof(double) + (s->flags ? 1 : 0));
    if (bytes >= 512) /* whole KB, rounded up (0 would ask for a full step) */
        lua_gc(L, LUA_GCSTEP, (int)((bytes + 1023) >> 10));
}

const ot_series *ot_l_toseries(lua_State *L, int idx)
{
    ot_series **box = luaL_testudata(L, idx, OT_L_SERIES);
    return box ? *box : NULL;
}

const ot_series *ot_l_checkseries(lua_State *L, int arg)
{
    ot_series **box = luaL_testudata(L, arg, OT_L_SERIES);
    if (!box)
        luaL_typeerror(L, arg, "series");
    if (!*box)
        luaL_argerror(L, arg, "series is closed");
    return *box;
}

/* Periods are years 1 to 9999 everywhere (parsed, printed, stored): a
 * series reaching outside them could not be named or read back (its stop
 * would print as "10001").  Raises when the boxed series s does: as a bad
 * argument arg, or (arg 0) as the operation's error. */
static void checkspan(lua_State *L, const ot_series *s, int arg)
{
    if (s->n == 0)
        return;
    int y0 = ot_period_year(s->freq, s->start);
    int y1 = ot_period_year(s->freq, s->start + (ot_ord)(s->n - 1));
    if (y0 >= 1 && y1 <= 9999)
        return;
    const char *msg = lua_pushfstring(L, "the series would run %s (periods are years 1 to 9999)",
                                      y0 < 1 ? "before the year 1" : "past the year 9999");
    if (arg)
        luaL_argerror(L, arg, msg);
    luaL_error(L, "%s", msg);
}

/* Raises e when r is NULL, else stores r in the box at the top and returns
 * 1 (the box is the result); a result outside the years 1-9999 raises. */
static int finish(lua_State *L, ot_series **box, ot_series *r, const ot_err *e)
{
    if (!r)
        return ot_l_error(L, e);
    ot_l_setseries(L, box, r);
    checkspan(L, r, 0);
    return 1;
}

/* ---- constructor ---------------------------------------------------------- */

static const char *const freq_names[] = {"D", "M", "Q", "Y", NULL};

/* A frequency argument: "D", "M", "Q", "Y" or a longer name ot_freq_parse
 * knows ("monthly", "A"); the error lists the four letters. */
static ot_freq checkfreq(lua_State *L, int arg)
{
    const char *s = luaL_checkstring(L, arg);
    ot_freq f = ot_freq_parse(s);
    if (f == OT_FREQ_NONE)
        ot_l_checkoption(L, arg, NULL, freq_names); /* raises with the list */
    return f;
}

/* The ordinal in s's frequency where period argument arg starts (last = 0)
 * or ends (last = 1); see ot_period_ord_in. */
static ot_ord period_ord(lua_State *L, int arg, const ot_series *s, int last)
{
    return ot_period_ord_in(ot_l_checkperiod(L, arg), s->freq, last);
}

/* ot.series{key=, freq=, start=, values={...}, name=, unit=, kind=,
 * covered={periods}}: values are read 1..(values.n or #values); nil and NaN
 * are missing.  covered lists Januaries whose value is in February's. */
static int l_series(lua_State *L)
{
    static const char *const keys[] = {"key", "freq", "start", "values", "name", "unit",
                                       "kind", "covered", NULL};
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    ot_l_checkkeys(L, 1, 1, keys);
    const char *key = ot_l_optfield_str(L, 1, 1, "key");
    const char *name = ot_l_optfield_str(L, 1, 1, "name");
    const char *unit = ot_l_optfield_str(L, 1, 1, "unit");
    const char *fs = ot_l_optfield_str(L, 1, 1, "freq");
    const char *ks = ot_l_optfield_str(L, 1, 1, "kind");
    if (!fs)
        luaL_argerror(L, 1, "field 'freq' expected (\"D\", \"M\", \"Q\" or \"Y\")");
    ot_freq f = ot_freq_parse(fs);
    if (f == OT_FREQ_NONE)
        luaL_argerror(L, 1, lua_pushfstring(L, "field 'freq' must be \"D\", \"M\", \"Q\" or "
                                               "\"Y\", got \"%s\"", fs));
    int kind = OT_KIND_FLOW;
    if (ks && (kind = ot_kind_parse(ks)) < 0)
        luaL_argerror(L, 1, lua_pushfstring(L, "field 'kind' must be \"flow\", \"stock\" or "
                                               "\"rate\", got \"%s\"", ks));
    if (lua_getfield(L, 1, "start") == LUA_TNIL)                 /* [2] start */
        luaL_argerror(L, 1, "field 'start' expected (a period)");
    ot_period p0;
    ot_err e;
    ot_err_clear(&e);
    if (ot_l_toperiod(L, 2, &p0, &e) != OT_OK)
        luaL_argerror(L, 1, lua_pushfstring(L, "field 'start': %s", e.msg));
    /* start = "2023-01/02" for monthly values: the first value is the
     * January–February release, so it sits on February with January covered
     * (DESIGN.md), never on January as January's own */
    int janfeb = 0;
    if (p0.freq != f) {
        if (ot_freq_rank(p0.freq) <= ot_freq_rank(f))
            luaL_argerror(L, 1, lua_pushfstring(L, "field 'start' (%s) is not a %s period",
                                                lua_tostring(L, 2), fs));
        p0.ord = ot_period_convert(p0.freq, p0.ord - (p0.span - 1), f); /* 2023 -> 2023-01 */
    } else {
        janfeb = p0.span == 2;
        p0.ord -= p0.span - 1;
    }
    if (lua_getfield(L, 1, "values") != LUA_TTABLE)              /* [3] values */
        luaL_argerror(L, 1, "field 'values' expected (a table of numbers)");
    lua_Integer n;
    if (lua_getfield(L, 3, "n") != LUA_TNIL) {                   /* [4] values.n */
        int isint = 0;
        n = lua_tointegerx(L, 4, &isint);
        luaL_argcheck(L, isint, 1, "field 'values.n' must be an integer");
    } else
        n = (lua_Integer)lua_rawlen(L, 3);
    lua_pop(L, 1);
    luaL_argcheck(L, n >= 0 && n <= 100000000, 1, "field 'values' has a bad length");
    int hascov = lua_getfield(L, 1, "covered") != LUA_TNIL;      /* [4] covered */
    if (hascov)
        luaL_argcheck(L, lua_istable(L, 4), 1, "field 'covered' must be a table of periods");

    if (n == 0)
        janfeb = 0;
    ot_series **box = ot_l_newseries(L);                         /* [5] box */
    ot_alloc a = ot_l_alloc(L);
    ot_series *s = ot_series_new(&a, f, p0.ord, (size_t)(n + janfeb), &e);
    if (!s)
        return ot_l_error(L, &e);
    ot_l_setseries(L, box, s);
    s->kind = (ot_kind)kind;
    /* The box owns s now: errors below may raise freely. */
    checkspan(L, s, 1);
    for (lua_Integer i = 1; i <= n; i++) {
        int t = lua_rawgeti(L, 3, i);
        if (t == LUA_TNUMBER)
            s->v[i - 1 + janfeb] = lua_tonumber(L, -1);
        else if (t != LUA_TNIL)
            luaL_argerror(L, 1, lua_pushfstring(L, "values[%I] must be a number, got %s", i,
                                                luaL_typename(L, -1)));
        lua_pop(L, 1);
    }
    if (ot_series_set_meta(s, key, name, unit, &e) != OT_OK)
        return ot_l_error(L, &e);
    if (janfeb) {
        if (ot_series_ensure_flags(s, &e) != OT_OK)
            return ot_l_error(L, &e);
        s->flags[0] |= OT_OBS_COVERED;
    }
    if (hascov) {
        lua_Integer nc = (lua_Integer)lua_rawlen(L, 4);
        if (nc > 0 && ot_series_ensure_flags(s, &e) != OT_OK)
            return ot_l_error(L, &e);
        for (lua_Integer i = 1; i <= nc; i++) {
            lua_rawgeti(L, 4, i);                                /* [6] period */
            ot_period c;
            if (ot_l_toperiod(L, 6, &c, &e) != OT_OK)
                luaL_argerror(L, 1, lua_pushfstring(L, "covered[%I]: %s", i, e.msg));
            if (c.freq == OT_FREQ_M && c.span == 2) /* "2023-01/02": its January */
                c.ord--, c.span = 1;
            if (c.freq != OT_FREQ_M || f != OT_FREQ_M || ot_period_sub(c.freq, c.ord) != 1 ||
                c.ord < s->start || c.ord + 1 >= s->start + (ot_ord)s->n)
                luaL_argerror(L, 1, lua_pushfstring(L, "covered[%I] (%s) is not a January "
                                                       "followed by a February in the series",
                                                    i, lua_tostring(L, 6)));
            if (!isnan(s->v[c.ord - s->start])) /* never dropped silently */
                luaL_argerror(L, 1, lua_pushfstring(L, "covered[%I] (%s) has a value of its own "
                                                       "(%f): a covered January's is in "
                                                       "February's", i, lua_tostring(L, 6),
                                                    (LUAI_UACNUMBER)s->v[c.ord - s->start]));
            s->flags[c.ord - s->start] |= OT_OBS_COVERED;
            lua_pop(L, 1);
        }
    }
    lua_settop(L, 5);
    return 1;
}

/* ot.missing(x): true for nil and NaN. */
static int l_missing(lua_State *L)
{
    luaL_checkany(L, 1);
    lua_pushboolean(L, lua_isnil(L, 1) ||
                           (lua_type(L, 1) == LUA_TNUMBER && isnan(lua_tonumber(L, 1))));
    return 1;
}

/* ---- arithmetic ------------------------------------------------------------- */

/* a op b where either may be a number; align applies to series op series. */
static int arith(lua_State *L, char op, ot_align align)
{
    const ot_series *a = NULL, *b = NULL, *s = NULL;
    double x = 0;
    int left = 0;
    int s1 = luaL_testudata(L, 1, OT_L_SERIES) != NULL;
    int s2 = luaL_testudata(L, 2, OT_L_SERIES) != NULL;
    if (s1 && s2) {
        a = ot_l_checkseries(L, 1);
        b = ot_l_checkseries(L, 2);
    } else if (s1) {
        s = ot_l_checkseries(L, 1);
        x = luaL_checknumber(L, 2);
    } else {
        x = luaL_checknumber(L, 1);
        s = ot_l_checkseries(L, 2);
        left = 1;
    }
    ot_series **box = ot_l_newseries(L);
    ot_err e;
    ot_err_clear(&e);
    ot_series *r = s ? ot_series_scalar(s, op, x, left, &e)
                     : ot_series_binop(a, b, op, align, &e);
    return finish(L, box, r, &e);
}

static int m_add(lua_State *L) { return arith(L, '+', OT_ALIGN_UNION); }
static int m_sub(lua_State *L) { return arith(L, '-', OT_ALIGN_UNION); }
static int m_mul(lua_State *L) { return arith(L, '*', OT_ALIGN_UNION); }
static int m_div(lua_State *L) { return arith(L, '/', OT_ALIGN_UNION); }

/* s:add(x [, "union"|"intersect"]) and friends: arithmetic with an explicit
 * alignment (the operators use "union"). */
static int method_arith(lua_State *L, char op)
{
    ot_l_checkseries(L, 1);
    luaL_checkany(L, 2);
    ot_align al = (ot_align)ot_l_checkoption(L, 3, "union", ot_align_names);
    lua_settop(L, 2);
    return arith(L, op, al);
}

static int l_add(lua_State *L) { return method_arith(L, '+'); }
static int l_sub(lua_State *L) { return method_arith(L, '-'); }
static int l_mul(lua_State *L) { return method_arith(L, '*'); }
static int l_div(lua_State *L) { return method_arith(L, '/'); }

/* -s */
static int m_unm(lua_State *L)
{
    const ot_series *s = ot_l_checkseries(L, 1);
    ot_series **box = ot_l_newseries(L);
    ot_err e;
    ot_err_clear(&e);
    return finish(L, box, ot_series_unm(s, &e), &e);
}

/* ---- operations ------------------------------------------------------------- */

typedef ot_series *(*unary_fn)(const ot_series *, ot_err *);
typedef ot_series *(*shift_fn)(const ot_series *, long, ot_err *);
typedef ot_series *(*pair_fn)(const ot_series *, const ot_series *, ot_err *);

/* s:op(): a new series from fn(s), boxed before fn runs. */
static int unary(lua_State *L, unary_fn fn)
{
    const ot_series *s = ot_l_checkseries(L, 1);
    ot_series **box = ot_l_newseries(L);
    ot_err e;
    ot_err_clear(&e);
    return finish(L, box, fn(s, &e), &e);
}

/* An op taking an integer k (default 1); min is the smallest k allowed. */
static int shifted(lua_State *L, shift_fn fn, lua_Integer min)
{
    const ot_series *s = ot_l_checkseries(L, 1);
    lua_Integer k = luaL_optinteger(L, 2, 1);
    if (k < min)
        luaL_argerror(L, 2, lua_pushfstring(L, "k must be at least %I, got %I", min, k));
    if (k > 1000000) /* min is -1000000 or more */
        luaL_argerror(L, 2, lua_pushfstring(L, "k must be at most 1000000, got %I", k));
    ot_series **box = ot_l_newseries(L);
    ot_err e;
    ot_err_clear(&e);
    return finish(L, box, fn(s, (long)k, &e), &e);
}

/* s:op(t) with t a series (share, contribution, implied_level). */
static int paired(lua_State *L, pair_fn fn)
{
    const ot_series *s = ot_l_checkseries(L, 1);
    const ot_series *t = ot_l_checkseries(L, 2);
    ot_series **box = ot_l_newseries(L);
    ot_err e;
    ot_err_clear(&e);
    return finish(L, box, fn(s, t, &e), &e);
}

static int l_yoy(lua_State *L) { return unary(L, ot_series_yoy); }
static int l_ytd(lua_State *L) { return unary(L, ot_series_ytd); }
static int l_from_ytd(lua_State *L) { return unary(L, ot_series_from_ytd); }
static int l_ytd_yoy(lua_State *L) { return unary(L, ot_series_ytd_yoy); }
static int l_split_janfeb(lua_State *L) { return unary(L, ot_series_split_janfeb); }
static int l_lag(lua_State *L) { return shifted(L, ot_series_lag, -1000000); }
static int l_lead(lua_State *L) { return shifted(L, ot_series_lead, -1000000); }
static int l_diff(lua_State *L) { return shifted(L, ot_series_diff, 1); }
static int l_pct(lua_State *L) { return shifted(L, ot_series_pct, 1); }
static int l_share(lua_State *L) { return paired(L, ot_series_share); }
static int l_contribution(lua_State *L) { return paired(L, ot_series_contribution); }
static int l_implied_level(lua_State *L) { return paired(L, ot_series_implied_level); }

/* s:to(freq [, how]): without how, the core's rule (ot_series_to): the
 * series' own agg, else by kind. */
static int l_to(lua_State *L)
{
    const ot_series *s = ot_l_checkseries(L, 1);
    ot_freq f = checkfreq(L, 2);
    ot_agg how = lua_isnoneornil(L, 3) ? OT_AGG_NONE
                                       : (ot_agg)ot_l_checkoption(L, 3, NULL, ot_agg_names);
    if (ot_freq_rank(f) < ot_freq_rank(s->freq))
        luaL_argerror(L, 2, lua_pushfstring(L, "cannot convert %s to the finer frequency %s",
                                            ot_freq_name(s->freq), ot_freq_name(f)));
    ot_series **box = ot_l_newseries(L);
    ot_err e;
    ot_err_clear(&e);
    return finish(L, box, ot_series_to(s, f, how, &e), &e);
}

/* s:window(from, to): either may be nil for the series' own start / end.
 * With one end the series' own, an empty window (a start after the series'
 * end, an end before its start, or an empty series) is an empty series
 * starting at from; two given ends the wrong way round are an error. */
static int l_window(lua_State *L)
{
    const ot_series *s = ot_l_checkseries(L, 1);
    ot_ord from = lua_isnoneornil(L, 2) ? s->start : period_ord(L, 2, s, 0);
    ot_ord to = lua_isnoneornil(L, 3) ? ot_series_end(s) : period_ord(L, 3, s, 1);
    if (to < from && !lua_isnoneornil(L, 2) && !lua_isnoneornil(L, 3))
        luaL_argerror(L, 3, lua_pushfstring(L, "'%s' is before '%s'", luaL_tolstring(L, 3, NULL),
                                            luaL_tolstring(L, 2, NULL)));
    ot_series **box = ot_l_newseries(L);
    ot_err e;
    ot_err_clear(&e);
    if (to >= from)
        return finish(L, box, ot_series_window(s, from, to, &e), &e);
    ot_series *r = ot_series_new(&s->alloc, s->freq, from, 0, &e);
    if (r && ot_series_copy_meta(r, s, &e)) {
        ot_series_free(r);
        r = NULL;
    }
    return finish(L, box, r, &e);
}

/* s:rolling(k [, "mean"|"sum"|"min"|"max"|"sd"]) */
static int l_rolling(lua_State *L)
{
    const ot_series *s = ot_l_checkseries(L, 1);
    lua_Integer k = luaL_checkinteger(L, 2);
    ot_roll fn = (ot_roll)ot_l_checkoption(L, 3, "mean", ot_roll_names);
    if (k < 1 || k > 1000000)
        luaL_argerror(L, 2, lua_pushfstring(L, "window must be 1 to 1000000 periods, got %I", k));
    if (fn == OT_ROLL_SD && k < 2)
        luaL_argerror(L, 2, "\"sd\" needs a window of at least 2");
    ot_series **box = ot_l_newseries(L);
    ot_err e;
    ot_err_clear(&e);
    return finish(L, box, ot_series_rolling(s, (long)k, fn, &e), &e);
}

/* s:fill(["linear"|"previous"|"none"]) */
static int l_fill(lua_State *L)
{
    const ot_series *s = ot_l_checkseries(L, 1);
    ot_fill m = (ot_fill)ot_l_checkoption(L, 2, "linear", ot_fill_names);
    ot_series **box = ot_l_newseries(L);
    ot_err e;
    ot_err_clear(&e);
    return finish(L, box, ot_series_fill(s, m, &e), &e);
}

/* s:index(base): base a period of s's frequency or coarser. */
static int l_index(lua_State *L)
{
    const ot_series *s = ot_l_checkseries(L, 1);
    ot_period base = ot_l_checkperiod(L, 2);
    ot_series **box = ot_l_newseries(L);
    ot_err e;
    ot_err_clear(&e);
    return finish(L, box, ot_series_index(s, base, &e), &e);
}

/* s:with{key=, name=, unit=, kind=}: a copy with other metadata. */
static int l_with(lua_State *L)
{
    const ot_series *s = ot_l_checkseries(L, 1);
    static const char *const keys[] = {"key", "name", "unit", "kind", NULL};
    luaL_checktype(L, 2, LUA_TTABLE);
    ot_l_checkkeys(L, 2, 2, keys);
    const char *key = ot_l_optfield_str(L, 2, 2, "key");
    const char *name = ot_l_optfield_str(L, 2, 2, "name");
    const char *unit = ot_l_optfield_str(L, 2, 2, "unit");
    const char *ks = ot_l_optfield_str(L, 2, 2, "kind");
    int kind = s->kind;
    if (ks && (kind = ot_kind_parse(ks)) < 0)
        luaL_argerror(L, 2, lua_pushfstring(L, "field 'kind' must be \"flow\", \"stock\" or "
                                               "\"rate\", got \"%s\"", ks));
    ot_series **box = ot_l_newseries(L);
    ot_err e;
    ot_err_clear(&e);
    ot_series *r = ot_series_copy(s, &e);
    if (!r)
        return ot_l_error(L, &e);
    ot_l_setseries(L, box, r);
    if (kind != (int)r->kind) /* another kind: aggregated by it, not by the old agg */
        r->agg = OT_AGG_NONE;
    r->kind = (ot_kind)kind;
    if (ot_series_set_meta(r, key, name, unit, &e) != OT_OK)
        return ot_l_error(L, &e);
    return 1;
}

/* ---- access ------------------------------------------------------------------- */

/* One value as Lua sees it: nil when missing. */
static void pushvalue(lua_State *L, double v)
{
    if (isnan(v))
        lua_pushnil(L);
    else
        lua_pushnumber(L, v);
}

/* Iterator of s:pairs(): upvalue 1 is the next 0-based position. */
static int pairs_next(lua_State *L)
{
    const ot_series *s = ot_l_checkseries(L, 1);
    lua_Integer i = lua_tointeger(L, lua_upvalueindex(1));
    if (i < 0 || (size_t)i >= s->n)
        return 0;
    lua_pushinteger(L, i + 1);
    lua_replace(L, lua_upvalueindex(1));
    ot_l_pushperiod(L, s->freq, s->start + (ot_ord)i, 1);
    pushvalue(L, s->v[i]);
    return 2;
}

/* for period, value in s:pairs() do ... end — every period, value nil when
 * missing. */
static int l_pairs(lua_State *L)
{
    ot_l_checkseries(L, 1);
    lua_pushinteger(L, 0);
    lua_pushcclosure(L, pairs_next, 1);
    lua_pushvalue(L, 1);
    return 2;
}

/* s:periods() -> {"2023-01", ...}, one per position. */
static int l_periods(lua_State *L)
{
    const ot_series *s = ot_l_checkseries(L, 1);
    lua_createtable(L, (int)s->n, 0);
    for (size_t i = 0; i < s->n; i++) {
        ot_l_pushperiod(L, s->freq, s->start + (ot_ord)i, 1);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

/* s:values() -> {v1, ...}, NaN where missing so the table is a sequence. */
static int l_values(lua_State *L)
{
    const ot_series *s = ot_l_checkseries(L, 1);
    lua_createtable(L, (int)s->n, 0);
    for (size_t i = 0; i < s->n; i++) {
        lua_pushnumber(L, s->v[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

/* s:last() -> value, period of the last present value; nil when none. */
static int l_last(lua_State *L)
{
    const ot_series *s = ot_l_checkseries(L, 1);
    size_t first, last;
    if (!ot_series_valid_range(s, &first, &last)) {
        lua_pushnil(L);
        return 1;
    }
    lua_pushnumber(L, s->v[last]);
    int span = ot_series_covered(s, s->start + (ot_ord)last - 1) ? 2 : 1;
    ot_l_pushperiod(L, s->freq, s->start + (ot_ord)last, span);
    return 2;
}

/* s:covered(period) -> whether the value of that period is in the next one's.
 * The period has s's frequency, as in s[period]: a quarter or a year of a
 * monthly series covers no single month, and "2023-01/02" names the
 * combined value on February, which is not covered itself. */
static int l_covered(lua_State *L)
{
    const ot_series *s = ot_l_checkseries(L, 1);
    ot_period p = ot_l_checkperiod(L, 2);
    if (p.freq != s->freq)
        luaL_argerror(L, 2, lua_pushfstring(L, "a %s period expected, got '%s'",
                                            ot_freq_name(s->freq), luaL_tolstring(L, 2, NULL)));
    lua_pushboolean(L, ot_series_covered(s, p.ord));
    return 1;
}

/* #s: the number of periods. */
static int m_len(lua_State *L)
{
    lua_pushinteger(L, (lua_Integer)ot_l_checkseries(L, 1)->n);
    return 1;
}

/* A metadata string, nil when unset. */
static void pushopt(lua_State *L, const char *s)
{
    if (s)
        lua_pushstring(L, s);
    else
        lua_pushnil(L);
}

/* __index: a 1-based position, a field, a method (upvalue 1 is the method
 * table) or a period string ("2023-03"); nil for anything else. */
static int m_index(lua_State *L)
{
    const ot_series *s = ot_l_checkseries(L, 1);
    if (lua_type(L, 2) == LUA_TNUMBER) {
        int isint;
        lua_Integer i = lua_tointegerx(L, 2, &isint);
        if (isint && i >= 1 && (lua_Unsigned)i <= s->n)
            pushvalue(L, s->v[i - 1]);
        else
            lua_pushnil(L);
        return 1;
    }
    if (lua_type(L, 2) != LUA_TSTRING) {
        lua_pushnil(L);
        return 1;
    }
    const char *k = lua_tostring(L, 2);
    if (lua_getfield(L, lua_upvalueindex(1), k) != LUA_TNIL)
        return 1;
    lua_pop(L, 1);
    if (strcmp(k, "key") == 0)
        pushopt(L, s->key);
    else if (strcmp(k, "name") == 0)
        pushopt(L, s->name);
    else if (strcmp(k, "unit") == 0)
        pushopt(L, s->unit);
    else if (strcmp(k, "freq") == 0)
        lua_pushstring(L, ot_freq_name(s->freq));
    else if (strcmp(k, "kind") == 0)
        lua_pushstring(L, ot_kind_name(s->kind));
    else if (strcmp(k, "agg") == 0) /* the stored series' own; nil: by kind */
        pushopt(L, s->agg >= OT_AGG_SUM && s->agg < OT_AGG_NONE ? ot_agg_names[s->agg] : NULL);
    else if (strcmp(k, "start") == 0)
        ot_l_pushperiod(L, s->freq, s->start, 1);
    else if (strcmp(k, "stop") == 0) {
        if (s->n) /* an empty series has no last period (ot_series_end is before start) */
            ot_l_pushperiod(L, s->freq, ot_series_end(s), 1);
        else
            lua_pushnil(L);
    }
    else {
        /* a period: one that starts with a digit must parse (s["2023-13"]
         * raises); any other text is a period when it parses ("２０２３-03",
         * " 2023-03"), else no field (nil) */
        ot_period p;
        ot_err e;
        ot_err_clear(&e);
        if (ot_period_parse(k, lua_rawlen(L, 2), &p, &e) != OT_OK) {
            if (k[0] >= '0' && k[0] <= '9')
                return luaL_error(L, "%s", e.msg);
            lua_pushnil(L);
            return 1;
        }
        if (p.freq != s->freq)
            return luaL_error(L, "period '%s' does not match the series' frequency (%s)", k,
                              ot_freq_name(s->freq));
        if (p.span == 2 && !ot_series_covered(s, p.ord - 1))
            lua_pushnil(L); /* "2023-01/02" is the combined release: February's own is not it */
        else
            pushvalue(L, ot_series_at(s, p.ord));
    }
    return 1;
}

/* s.x = v: series are immutable. */
static int m_newindex(lua_State *L)
{
    return luaL_error(L, "series are immutable (use ot.series or s:with to make a new one)");
}

/* Equal when frequency, start, length, values (missing equal to missing) and
 * covered flags agree; metadata is not compared. */
static int m_eq(lua_State *L)
{
    const ot_series *a = ot_l_toseries(L, 1), *b = ot_l_toseries(L, 2);
    int eq = a && b && a->freq == b->freq && a->start == b->start && a->n == b->n;
    for (size_t i = 0; eq && i < a->n; i++) {
        double x = a->v[i], y = b->v[i];
        eq = (isnan(x) && isnan(y)) || x == y;
        if (eq)
            eq = ot_series_covered(a, a->start + (ot_ord)i) ==
                 ot_series_covered(b, b->start + (ot_ord)i);
    }
    lua_pushboolean(L, eq);
    return 1;
}

/* __gc and __close: frees the series once; the box then reads as closed. */
static int m_gc(lua_State *L)
{
    ot_series **box = luaL_checkudata(L, 1, OT_L_SERIES);
    ot_series_free(*box);
    *box = NULL;
    return 0;
}

/* The text of value i in __tostring: the number, "-" when missing, "(in
 * next)" when covered by the next value.  Returns its length. */
static int fmtval(const ot_series *s, size_t i, char *buf, size_t cap)
{
    if (ot_series_covered(s, s->start + (ot_ord)i))
        return snprintf(buf, cap, "(in next)");
    if (isnan(s->v[i]))
        return snprintf(buf, cap, "-");
    ot_fmt_value(s->v[i], buf, cap); /* the one rule (report/num.h) */
    return (int)strlen(buf);
}

/* One row of __tostring: period and value right-aligned to width. */
static void addrow(luaL_Buffer *b, const ot_series *s, size_t i, int width)
{
    char per[OT_PERIOD_STRMAX], val[64], line[160];
    ot_period_fmt(s->freq, s->start + (ot_ord)i, per, sizeof per);
    fmtval(s, i, val, sizeof val);
    snprintf(line, sizeof line, "\n  %s  %*s", per, width, val);
    luaL_addstring(b, line);
}

#define HEADTAIL 5

/* A short aligned table: a header line with key, name, unit, frequency and
 * kind, then period/value rows (the first and last HEADTAIL when long). */
static int m_tostring(lua_State *L)
{
    ot_series **box = luaL_checkudata(L, 1, OT_L_SERIES);
    const ot_series *s = *box;
    if (!s) {
        lua_pushliteral(L, "series (closed)");
        return 1;
    }
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    luaL_addstring(&b, s->key ? s->key : "series");
    if (s->name) {
        luaL_addstring(&b, "  ");
        luaL_addstring(&b, s->name);
    }
    luaL_addstring(&b, "  [");
    luaL_addstring(&b, ot_freq_name(s->freq));
    luaL_addchar(&b, ' ');
    luaL_addstring(&b, ot_kind_name(s->kind));
    if (s->unit) {
        luaL_addstring(&b, ", ");
        luaL_addstring(&b, s->unit);
    }
    char tail[96], p1[OT_PERIOD_STRMAX], p2[OT_PERIOD_STRMAX];
    ot_period_fmt(s->freq, s->start, p1, sizeof p1);
    ot_period_fmt(s->freq, ot_series_end(s), p2, sizeof p2);
    if (s->n)
        snprintf(tail, sizeof tail, ", %zu values %s..%s]", s->n, p1, p2);
    else
        snprintf(tail, sizeof tail, ", empty]");
    luaL_addstring(&b, tail);
    int longs = s->n > 2 * HEADTAIL + 2;
    int width = 1;
    for (size_t i = 0; i < s->n; i++) {
        if (longs && i == HEADTAIL)
            i = s->n - HEADTAIL;
        char val[64];
        int w = fmtval(s, i, val, sizeof val);
        if (w > width)
            width = w;
    }
    for (size_t i = 0; i < s->n; i++) {
        if (longs && i == HEADTAIL) {
            luaL_addstring(&b, "\n  ...");
            i = s->n - HEADTAIL;
        }
        addrow(&b, s, i, width);
    }
    luaL_pushresult(&b);
    return 1;
}

/* ---- plot ------------------------------------------------------------------------- */

/* s:plot([{width =, height =, target =}]): prints the bar chart of
 * report/plot.h of the last `width` values (default: $COLUMNS - 12, at
 * most 120) in `height` rows (default 10), with a dotted line at `target`.
 * Printed through the global print, so it shows in scripts and the REPL. */
static int l_plot(lua_State *L)
{
    const ot_series *s = ot_l_checkseries(L, 1);
    const char *cols = getenv("COLUMNS");
    lua_Integer width = cols && atoi(cols) > 24 ? atoi(cols) - 12 : 72;
    if (width > 120)
        width = 120;
    lua_Integer height = 10;
    double target = NAN;
    if (!lua_isnoneornil(L, 2)) {
        static const char *const keys[] = {"width", "height", "target", NULL};
        luaL_checktype(L, 2, LUA_TTABLE);
        ot_l_checkkeys(L, 2, 2, keys);
        width = ot_l_optfield_int(L, 2, 2, "width", width);
        height = ot_l_optfield_int(L, 2, 2, "height", height);
        target = ot_l_optfield_num(L, 2, 2, "target", NAN);
        luaL_argcheck(L, width >= 2 && width <= OT_PLOT_MAXW, 2, "width must be 2..400");
        luaL_argcheck(L, height >= 1 && height <= OT_PLOT_MAXH, 2, "height must be 1..60");
    }
    /* sized first, drawn into a GC-owned buffer: nothing to free on an error */
    size_t n = ot_report_plot(s, (int)width, (int)height, target, NULL, 0);
    char *buf = lua_newuserdatauv(L, n + 1, 0);             /* [.., buf] */
    ot_report_plot(s, (int)width, (int)height, target, buf, n + 1);
    lua_getglobal(L, "print");                              /* [.., buf, print] */
    lua_pushlstring(L, buf, n);                             /* [.., buf, print, chart] */
    lua_call(L, 1, 0);
    return 0;
}

static const luaL_Reg series_methods[] = {
    {"yoy", l_yoy},
    {"ytd", l_ytd},
    {"from_ytd", l_from_ytd},
    {"ytd_yoy", l_ytd_yoy},
    {"lag", l_lag},
    {"lead", l_lead},
    {"diff", l_diff},
    {"pct", l_pct},
    {"to", l_to},
    {"window", l_window},
    {"rolling", l_rolling},
    {"fill", l_fill},
    {"index", l_index},
    {"share", l_share},
    {"contribution", l_contribution},
    {"implied_level", l_implied_level},
    {"split_janfeb", l_split_janfeb},
    {"add", l_add},
    {"sub", l_sub},
    {"mul", l_mul},
    {"div", l_div},
    {"with", l_with},
    {"pairs", l_pairs},
    {"periods", l_periods},
    {"values", l_values},
    {"last", l_last},
    {"covered", l_covered},
    {"plot", l_plot},
    {NULL, NULL}};

static const luaL_Reg series_meta[] = {
    {"__add", m_add},
    {"__sub", m_sub},
    {"__mul", m_mul},
    {"__div", m_div},
    {"__unm", m_unm},
    {"__len", m_len},
    {"__eq", m_eq},
    {"__newindex", m_newindex},
    {"__tostring", m_tostring},
    {"__gc", m_gc},
    {"__close", m_gc},
    {NULL, NULL}};

static const luaL_Reg series_funcs[] = {
    {"series", l_series},
    {"missing", l_missing},
    {NULL, NULL}};

/* Adds ot.series and ot.missing to the module and makes the series
 * metatable: metamethods, __index over the methods, mt.methods. */
void ot_l_open_series(lua_State *L)
{
    luaL_setfuncs(L, series_funcs, 0);            /* [mod] */
    luaL_newmetatable(L, OT_L_SERIES);            /* [mod, mt] */
    luaL_setfuncs(L, series_meta, 0);
    luaL_newlib(L, series_methods);               /* [mod, mt, methods] */
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, "methods");               /* mt.methods, for REPL completion */
    lua_pushcclosure(L, m_index, 1);              /* [mod, mt, __index] */
    lua_setfield(L, -2, "__index");
    lua_pushliteral(L, "series");
    lua_setfield(L, -2, "__name");
    lua_pop(L, 1);                                /* [mod] */
}
