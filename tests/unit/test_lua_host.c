/* test_lua_host.c — the script host: running chunks and files, error text
 * with positions and tracebacks, engine error codes, --as-of, the REPL's
 * evaluation, time and memory limits, interrupts and the sandbox. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lua/host.h"

static ot_host *host(const ot_host_opts *o)
{
    ot_host *h = NULL;
    ot_err err;
    ot_err_clear(&err);
    int rc = ot_host_new(o, &h, &err);
    if (rc != OT_OK)
        fail_msg("ot_host_new: %s", err.msg);
    return h;
}

/* Runs chunk and asserts it succeeds. */
static void ok(ot_host *h, const char *chunk)
{
    ot_err err;
    ot_err_clear(&err);
    int rc = ot_host_run_string(h, chunk, "=t", &err);
    if (rc != OT_OK)
        fail_msg("%s\n-> %s", chunk, err.msg);
}

static void test_lua_host_run_string_ok(void **state)
{
    (void)state;
    ot_host *h = host(NULL);
    ok(h, "x = 1 + 1");
    ok(h, "assert(x == 2)");                  /* globals persist between chunks */
    ok(h, "assert(ot and package.loaded.ontrack == ot and ot.series)");
    ok(h, "local s = ot.series{freq = 'M', start = '2023-01', values = {1, 2}}\n"
          "assert(#s == 2 and s[2] == 2)");
    assert_true(ot_host_mem_used(h) > 0);
    assert_true(ot_host_mem_peak(h) >= ot_host_mem_used(h));
    ot_host_free(h);
    ot_host_free(NULL);
}

static void test_lua_host_error_traceback(void **state)
{
    (void)state;
    ot_host *h = host(NULL);
    ot_err err;
    int rc = ot_host_run_string(h, "local t = nil\nlocal function f() return t.x end\nf()",
                                "=chunk", &err);
    assert_int_equal(rc, OT_ESCRIPT);
    assert_int_equal(err.code, OT_ESCRIPT);
    /* "chunk:2: attempt to index a nil value (upvalue 't')" then a traceback */
    assert_non_null(strstr(err.msg, "chunk:2: attempt to index a nil value (upvalue 't')\n"
                                    "stack traceback:\n"));
    assert_non_null(strstr(err.msg, "chunk:3: in main chunk"));
    /* a syntax error: no traceback, the parser's message */
    rc = ot_host_run_string(h, "x = = 1", "=chunk", &err);
    assert_int_equal(rc, OT_ESCRIPT);
    assert_string_equal(err.msg, "chunk:1: unexpected symbol near '='");
    /* an error object that is not a string */
    rc = ot_host_run_string(h, "error({})", "=chunk", &err);
    assert_int_equal(rc, OT_ESCRIPT);
    assert_non_null(strstr(err.msg, "(error object is a table value)"));
    ok(h, "y = 3"); /* the state stays usable */
    ot_host_free(h);
}

static void test_lua_host_engine_codes(void **state)
{
    (void)state;
    ot_host *h = host(NULL);
    ot_err err;
    int rc = ot_host_run_string(h, "local db = ot.open(':memory:')\ndb:series('nope')", "=c", &err);
    assert_int_equal(rc, OT_ENOTFOUND);
    assert_non_null(strstr(err.msg, "c:2: unknown series 'nope'"));
    /* caught and raised again unchanged: still "not found" */
    rc = ot_host_run_string(h, "local ok, e = pcall(function() ot.open(':memory:'):series('x') end)\n"
                               "error(e, 0)", "=c", &err);
    assert_int_equal(rc, OT_ENOTFOUND);
    /* wrapped in another message: a script error */
    rc = ot_host_run_string(h, "local ok, e = pcall(function() ot.open(':memory:'):series('x') end)\n"
                               "error('while reading: ' .. e)", "=c", &err);
    assert_int_equal(rc, OT_ESCRIPT);
    /* a bad argument is a script error, not a usage error */
    rc = ot_host_run_string(h, "ot.series{freq = 'M'}", "=c", &err);
    assert_int_equal(rc, OT_ESCRIPT);
    assert_non_null(strstr(err.msg, "bad argument #1 to 'series' (field 'start' expected"));
    ot_host_free(h);
}

static void test_lua_host_as_of(void **state)
{
    (void)state;
    char path[] = ONTRACK_TEST_TMP "/test_lua_host_asof.db";
    remove(path);
    ot_host_opts o = {path, "2023-02", 0, 0, 0, NULL, 0, NULL};
    ot_host *h = host(&o);
    ok(h, "local db = ot.db()\n"
          "assert(db == ot.db())\n"
          "db:put(ot.series{key = 'h.x', freq = 'M', start = '2023-01', values = {1, 2, 3}})\n"
          "assert(#db:series('h.x') == 2)\n"                       /* through 2023-02 */
          "assert(#db:series('h.x', {as_of = 'latest'}) == 3)");
    ot_host_free(h);
    /* a date: undated rows are known from the end of their period */
    o.as_of = "2023-03-30";
    h = host(&o);
    ok(h, "assert(#ot.db():series('h.x') == 2)");
    ot_host_free(h);
    /* bad text is refused before anything runs */
    o.as_of = "soon";
    ot_host *bad = NULL;
    ot_err err;
    assert_int_equal(ot_host_new(&o, &bad, &err), OT_EDATA);
    assert_null(bad);
    assert_string_equal(err.msg, "--as-of: 'soon' is neither a date (2023-10-20) nor a period "
                                 "(2023-09)");
    remove(path);
    char wal[sizeof path + 4], shm[sizeof path + 4];
    snprintf(wal, sizeof wal, "%s-wal", path);
    snprintf(shm, sizeof shm, "%s-shm", path);
    remove(wal);
    remove(shm);
}

static void test_lua_host_run_file(void **state)
{
    (void)state;
    char path[] = ONTRACK_TEST_TMP "/test_lua_host_script.lua";
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("#!/usr/bin/env ontrack\n"
          "local a, b = ...\n"
          "assert(arg[0]:find('test_lua_host_script.lua$') and arg[1] == 'one' and arg[2] == 'two')\n"
          "assert(a == 'one' and b == 'two' and select('#', ...) == 2)\n"
          "if arg[3] == nil then result = 'ran' end\n"
          "error('line five')\n", f);
    fclose(f);
    ot_host *h = host(NULL);
    char *argv[] = {"one", "two"};
    ot_err err;
    int rc = ot_host_run_file(h, path, 2, argv, &err);
    assert_int_equal(rc, OT_ESCRIPT);
    /* Lua shortens long chunk names to "...<tail>", so match the tail only */
    assert_non_null(strstr(err.msg, "test_lua_host_script.lua:6: line five\nstack traceback:"));
    ok(h, "assert(result == 'ran')");
    rc = ot_host_run_file(h, ONTRACK_TEST_TMP "/no_such_script.lua", 0, NULL, &err);
    assert_int_equal(rc, OT_ENOTFOUND);
    assert_non_null(strstr(err.msg, "cannot open " ONTRACK_TEST_TMP "/no_such_script.lua"));
    ot_host_free(h);
    remove(path);
}

static void test_lua_host_eval(void **state)
{
    (void)state;
    ot_host *h = host(NULL);
    ok(h, "out = {}\nfunction print(...) out[#out + 1] = table.concat({...}, ' ') end");
    ot_err err;
    int inc = -1;
    assert_int_equal(ot_host_eval(h, "1 + 2", &inc, &err), OT_OK);       /* an expression */
    assert_int_equal(inc, 0);
    assert_int_equal(ot_host_eval(h, "z = 5", &inc, &err), OT_OK);       /* a statement */
    assert_int_equal(ot_host_eval(h, "z, 'a'", &inc, &err), OT_OK);      /* two results */
    ok(h, "assert(#out == 2 and out[1] == '3' and out[2] == '5 a', table.concat(out, '|'))");
    /* incomplete input asks for more and runs nothing */
    assert_int_equal(ot_host_eval(h, "function f()", &inc, &err), OT_OK);
    assert_int_equal(inc, 1);
    assert_int_equal(ot_host_eval(h, "{a = 1,", &inc, &err), OT_OK);   /* an open table */
    assert_int_equal(inc, 1);
    assert_int_equal(ot_host_eval(h, "s = 'a\\", &inc, &err), OT_OK);  /* escaped line end */
    assert_int_equal(inc, 1);
    /* a quoted string cannot go on past its line: an error at once */
    assert_int_not_equal(ot_host_eval(h, "s = 'open", &inc, &err), OT_OK);
    assert_int_equal(inc, 0);
    assert_string_equal(err.msg, "stdin:1: unfinished string near ''open'");
    assert_int_equal(ot_host_eval(h, "function f()\nreturn 7 end", &inc, &err), OT_OK);
    assert_int_equal(inc, 0);
    assert_int_equal(ot_host_eval(h, "f()", &inc, &err), OT_OK);
    ok(h, "assert(out[3] == '7')");
    /* errors come back with the stdin position */
    assert_int_equal(ot_host_eval(h, "nil + 1", &inc, &err), OT_ESCRIPT);
    assert_int_equal(inc, 0);
    assert_non_null(strstr(err.msg, "stdin:1: attempt to perform arithmetic on a nil value"));
    ot_host_free(h);
}

/* Collects completion candidates joined by spaces. */
static void collect(void *ud, const char *cand)
{
    char *buf = ud;
    if (buf[0])
        strcat(buf, " ");
    strcat(buf, cand);
}

static void test_lua_host_complete(void **state)
{
    (void)state;
    char path[] = ONTRACK_TEST_TMP "/test_lua_host_complete.db";
    remove(path);
    ot_host_opts o = {path, NULL, 0, 0, 0, NULL, 0, NULL};
    ot_host *h = host(&o);
    ok(h, "s = ot.series{freq = 'M', start = '2023-01', values = {1}}\n"
          "cfg = {alpha = 1, alps = 2, beta = 3}\n"
          "db = ot.db()\n"
          "db:put(s:with{key = 'yiwu.gdp'}); db:put(s:with{key = 'yiwu.exports'})\n"
          "db:put(s:with{key = 'china.gdp'})");
    char buf[4096] = "";
    assert_int_equal(ot_host_complete(h, "x = pa", collect, buf), 2);
    assert_string_equal(buf, "package pairs");             /* globals, sorted */
    buf[0] = '\0';
    ot_host_complete(h, "whi", collect, buf);
    assert_string_equal(buf, "while");                     /* keywords */
    buf[0] = '\0';
    ot_host_complete(h, "ot.se", collect, buf);
    assert_string_equal(buf, "ot.series");
    buf[0] = '\0';
    ot_host_complete(h, "print(cfg.al", collect, buf);
    assert_string_equal(buf, "cfg.alpha cfg.alps");
    buf[0] = '\0';
    ot_host_complete(h, "s:y", collect, buf);                /* series methods */
    assert_string_equal(buf, "s:yoy s:ytd s:ytd_yoy");
    buf[0] = '\0';
    ot_host_complete(h, "db:ke", collect, buf);              /* db methods */
    assert_string_equal(buf, "db:keys");
    buf[0] = '\0';
    ot_host_complete(h, "x = db:series(\"yiwu.", collect, buf); /* series keys */
    assert_string_equal(buf, "yiwu.exports yiwu.gdp");
    buf[0] = '\0';
    assert_int_equal(ot_host_complete(h, "nothing.here.", collect, buf), 0);
    /* the measures after measure = " (a key's measures are easy to forget) */
    buf[0] = '\0';
    ot_host_complete(h, "g = db:series(\"yiwu.gdp\", {measure = \"yt", collect, buf);
    assert_string_equal(buf, "ytd ytd_yoy");
    buf[0] = '\0';
    ot_host_complete(h, "db:put(s, {measure='", collect, buf);
    assert_string_equal(buf, "value ytd yoy ytd_yoy");
    /* dot commands, and after .help the names it takes (docs/lua-api.md's
     * headings), not globals */
    buf[0] = '\0';
    ot_host_complete(h, ".h", collect, buf);
    assert_string_equal(buf, ".help");
    buf[0] = '\0';
    ot_host_complete(h, ".help ot.pro", collect, buf);
    assert_string_equal(buf, "ot.project");
    buf[0] = '\0';
    ot_host_complete(h, ".help la", collect, buf);
    assert_string_equal(buf, "lag last");
    buf[0] = '\0';
    ot_host_complete(h, ".help db:se", collect, buf);
    assert_string_equal(buf, "db:series");
    buf[0] = '\0';
    assert_int_equal(ot_host_complete(h, ".help cfg", collect, buf), 0);
    /* a name starting with _ (a projection's internal p._c, _G) is offered
     * only once the user types the _ */
    ok(h, "pr = {_c = 1, point = 2, prob = 3}");
    buf[0] = '\0';
    ot_host_complete(h, "pr.", collect, buf);
    assert_string_equal(buf, "pr.point pr.prob");
    buf[0] = '\0';
    ot_host_complete(h, "pr._", collect, buf);
    assert_string_equal(buf, "pr._c");
    buf[0] = '\0';
    ot_host_complete(h, "ot._", collect, buf);
    assert_string_equal(buf, "ot._VERSION");
    buf[0] = '\0';
    ot_host_complete(h, "_", collect, buf);
    assert_non_null(strstr(buf, "_G"));
    buf[0] = '\0';
    ot_host_complete(h, "", collect, buf);
    assert_null(strstr(buf, "_G"));
    assert_non_null(strstr(buf, "pairs"));
    ot_host_free(h);
    remove(path);
}

static void test_lua_host_eval_repr(void **state)
{
    (void)state;
    ot_host *h = host(NULL);
    ok(h, "out = {}\n"
          "function print(...)\n"
          "  local t = {...}\n"
          "  for i = 1, select('#', ...) do t[i] = tostring(t[i]) end\n"
          "  out[#out + 1] = table.concat(t, ' ')\n"
          "end");
    ot_err err;
    int inc;
    int rc = ot_host_eval(h, "{1, 'a', x = {y = {z = 1}}, ['k y'] = true}", &inc, &err);
    if (rc != OT_OK)
        fail_msg("%s", err.msg);
    rc = ot_host_eval(h, "ot.series{freq = 'Y', start = 2020, values = {1}}", &inc, &err);
    if (rc != OT_OK)
        fail_msg("%s", err.msg);
    /* a plain table nested two levels; a series by its __tostring */
    ok(h, "assert(out[1] == '{1, \"a\", [\"k y\"] = true, x = {y = {...}}}', out[1])\n"
          "assert(out[2] == 'series  [Y flow, 1 values 2020..2020]\\n  2020  1', out[2])");
    ot_host_free(h);
}

static void test_lua_host_timeout(void **state)
{
    (void)state;
    ot_host_opts o = {NULL, NULL, 0.2, 0, 0, NULL, 0, NULL};
    ot_host *h = host(&o);
    ot_err err;
    int rc = ot_host_run_string(h, "while true do end", "=loop", &err);
    assert_int_equal(rc, OT_ELIMIT);
    assert_non_null(strstr(err.msg, "time limit of 0.2 s exceeded"));
    /* pcall cannot swallow the stop */
    rc = ot_host_run_string(h, "while true do pcall(function() while true do end end) end",
                            "=loop", &err);
    assert_int_equal(rc, OT_ELIMIT);
    ok(h, "x = 1"); /* the next chunk gets a fresh allowance */
    ot_host_free(h);
}

static void test_lua_host_memory_limit(void **state)
{
    (void)state;
    ot_host_opts o = {NULL, NULL, 0, 8u << 20, 0, NULL, 0, NULL};
    ot_host *h = host(&o);
    ot_err err;
    int rc = ot_host_run_string(h, "local t = {} for i = 1, 1e8 do t[i] = i end", "=m", &err);
    assert_int_equal(rc, OT_ELIMIT);
    assert_non_null(strstr(err.msg, "not enough memory"));
    /* engine memory counts too: 2e6 doubles = 16 MB */
    rc = ot_host_run_string(h, "ot.series{freq = 'D', start = '2000-01-01', values = {n = 2000000}}",
                            "=m", &err);
    assert_int_equal(rc, OT_ELIMIT);
    ok(h, "local s = ot.series{freq = 'M', start = '2023-01', values = {1}}");
    assert_true(ot_host_mem_peak(h) <= (8u << 20));
    ot_host_free(h);
}

/* The failing-allocator test of the bindings: the same work under caps from
 * 16 KB up, 64 bytes at a time, until it succeeds.  Every failure must be a clean
 * OT_ELIMIT (from ot_host_new or from the chunk) and nothing may leak (the
 * sanitizer build checks at exit). */
static void test_lua_host_every_memory_cap(void **state)
{
    (void)state;
    static const char work[] =
        "local s = ot.series{key = 'c.x', freq = 'M', start = '2022-01',\n"
        "  values = {1,2,3,4,5,6,7,8,9,10,11,12,2,3,4,5,6,7,8,9,10,11,12,13}}\n"
        "local y = s:yoy() + s:ytd() * 0\n"
        "local a = s:to('Q', 'sum'):to('Y')\n"
        "local w = tostring(s:window('2022-03', '2023-02'):rolling(3):fill())\n"
        "local db = ot.open(':memory:')\n"
        "db:put(s)\n"
        "local r = db:series('c.x', {as_of = '2023-06'})\n"
        "local k = db:keys()\n"
        "local m = ot.fit(r, 'naive'):forecast(3)\n"
        "local t = ot.target{series = 'c.x', year = 2023, value = 5}\n"
        "local p = ot.project(t, {series = {['c.x'] = s}, paths = 50, as_of = '2023-06'})\n"
        "local sc = ot.scenario('a', function(sc) sc:shock('c.x', -5, {from = '2023-07'}) end)\n"
        "local c = ot.compare({t}, {sc}, {series = {['c.x'] = s}, paths = 50, as_of = '2023-06',\n"
        "                                 print = false})\n"
        "db:close()\n"
        "assert(#y == 24 and a[2] == 90 and #k == 1 and m.mean and p.status and c[1].a)";
    int succeeded = 0;
    for (size_t cap = 16 << 10; cap <= (8u << 20) && !succeeded; cap += 64) {
        ot_host_opts o = {NULL, NULL, 0, cap, 0, NULL, 0, NULL};
        ot_host *h = NULL;
        ot_err err;
        int rc = ot_host_new(&o, &h, &err);
        if (rc != OT_OK) {
            assert_int_equal(rc, OT_ELIMIT);
            assert_null(h);
            continue;
        }
        rc = ot_host_run_string(h, work, "=cap", &err);
        if (rc == OT_OK)
            succeeded = 1;
        else if (rc != OT_ELIMIT)
            fail_msg("cap %zu: code %d: %s", cap, rc, err.msg);
        assert_true(ot_host_mem_peak(h) <= cap);
        ot_host_free(h);
    }
    assert_true(succeeded);
}

static void *interrupter(void *arg)
{
    struct timespec ts = {0, 100 * 1000 * 1000};
    nanosleep(&ts, NULL);
    ot_host_interrupt(arg);
    return NULL;
}

static void test_lua_host_interrupt(void **state)
{
    (void)state;
    ot_host *h = host(NULL);
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, interrupter, h), 0);
    ot_err err;
    int rc = ot_host_run_string(h, "keep = 1\nwhile true do end", "=spin", &err);
    pthread_join(th, NULL);
    assert_int_equal(rc, OT_ESCRIPT);
    assert_non_null(strstr(err.msg, "interrupted!"));
    ok(h, "assert(keep == 1)"); /* the session's variables survive */
    ot_host_free(h);
}

static void test_lua_host_sandbox(void **state)
{
    (void)state;
    ot_host_opts o = {NULL, NULL, 0, 0, 1, NULL, 0, NULL};
    ot_host *h = host(&o);
    /* a refused function says so, by name */
    ok(h, "for _, f in ipairs{'os.execute', 'os.exit', 'os.tmpname', 'io.popen',\n"
          "                   'package.loadlib', 'package.searchpath'} do\n"
          "  local lib, name = f:match('(%w+)%.(%w+)')\n"
          "  local ok, e = pcall(_G[lib][name], 'x', 'y')\n"
          "  assert(not ok and e:find(f .. ' is not available in a job script (sandbox; see '\n"
          "         .. 'docs/security.md)', 1, true), e)\n"
          "end\n"
          "local ok, e = pcall(function() return debug.getinfo end)\n"
          "assert(not ok and e:find('debug.getinfo is not available in a job script', 1, true), e)\n"
          "assert(package.cpath == nil and package.path == nil and package.searchers == nil)\n"
          "package.path = '/anywhere/?.lua'\n" /* changing it changes nothing */
          "ok, e = pcall(require, 'socket.core')\n"
          "assert(not ok and e:find('scripts in the sandbox have no files', 1, true), e)\n"
          "ok, e = pcall(require, '..x')\n"
          "assert(not ok and e:find('words joined by dots', 1, true), e)\n"
          "assert(require('ontrack') == ot)\n"
          "assert(os.time and string.format and ot.series)\n"
          "local f, e = load(string.dump(function() end))\n"
          "assert(f == nil and e:find('binary chunk'), e)\n"
          "assert(load('return 1')() == 1)\n"
          "local env = {}\n"
          "load('v = 2', 'x', 'b', env)\n"
          "assert(load('v = 2', 'x', 'bt', env) and env.v == nil)\n"
          "local ok, err = pcall(require, 'socket.core')\n"
          "assert(not ok)");
    ot_host_free(h);
    /* without the sandbox the usual libraries are there */
    h = host(NULL);
    ok(h, "assert(os.execute and io.popen and debug and package.loadlib)");
    ot_host_free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lua_host_run_string_ok), cmocka_unit_test(test_lua_host_error_traceback),
        cmocka_unit_test(test_lua_host_engine_codes),  cmocka_unit_test(test_lua_host_as_of),
        cmocka_unit_test(test_lua_host_run_file),      cmocka_unit_test(test_lua_host_eval),
        cmocka_unit_test(test_lua_host_timeout),       cmocka_unit_test(test_lua_host_memory_limit),
        cmocka_unit_test(test_lua_host_interrupt),     cmocka_unit_test(test_lua_host_sandbox),
        cmocka_unit_test(test_lua_host_every_memory_cap),
        cmocka_unit_test(test_lua_host_complete),      cmocka_unit_test(test_lua_host_eval_repr),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
