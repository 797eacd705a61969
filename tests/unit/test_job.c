/* test_job.c — lua/job.c: a job file's table into ot_job, and where a bad
 * field is written (file, line and column of err). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lua/job.h"

#define JOB ONTRACK_TEST_TMP "/test_job.lua"

static void write_job(const char *text)
{
    FILE *f = fopen(JOB, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* A good job file: its fields, paths relative to the job file's folder. */
static void test_job_load_fields(void **state)
{
    (void)state;
    write_job("return {name = \"m\", targets = {year = 2023, series = \"yiwu.*\"},\n"
              "  as_of = \"2023年1-2月\", paths = 500, keep = 3, outputs = {\"r/{job}.csv\"}}\n");
    ot_job j;
    ot_err err;
    assert_int_equal(ot_job_load(JOB, &j, &err), OT_OK);
    assert_string_equal(j.name, "m");
    assert_int_equal(j.year, 2023);
    assert_string_equal(j.series, "yiwu.*");
    assert_string_equal(j.as_of, "2023年1-2月");
    assert_int_equal(j.paths, 500);
    assert_int_equal(j.keep, 3);
    assert_int_equal(j.noutputs, 1);
    assert_string_equal(j.outputs[0], ONTRACK_TEST_TMP "/r/{job}.csv");
    ot_job_clear(&j);
}

/* Each bad field: the message, and the line and column (in characters) where
 * the field is written, past comments and strings holding its name; 0 when
 * the table is built another way. */
static void test_job_load_positions(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        long line, col;
        const char *msg;
    } cases[] = {
        {"return {\n  targets = {year = 2023},\n  paths = 0,\n}\n", 3, 3,
         "field 'paths' must be an integer from 1 to 10000000"},
        {"-- paths = 5\n--[==[ paths = 7\n]==]\nlocal s = \"paths = 3\" .. [[paths = 2]]\n"
         "return {title = \"义乌 paths\", targets = {year = 2023}, paths = 0}\n",
         5, 54, "field 'paths' must be an integer from 1 to 10000000"},
        {"local s = 'a\\\n paths = 1'\nreturn {targets = {}, output = {}}\n", 3, 23,
         "unknown key 'output' (did you mean 'outputs'?)"},
        {"return {targets = {yaer = 2023}}", 1, 20,
         "unknown key 'yaer' in targets (did you mean 'year'?)"},
        {"return {targets = {}, as_of = \"2023-02-30\"}", 1, 23,
         "field 'as_of' must be \"latest\", a date (2023-10-31) or a period (2023-09), got "
         "\"2023-02-30\""},
        {"return {targets = {}, lang = \"fr\"}", 1, 23, "field 'lang' must be \"zh\" or \"en\", got \"fr\""},
        {"return {name = \"\", targets = {}}", 1, 9, "field 'name' must not be empty"},
        {"local t = {targets = {}}\nt[\"paths\"] = 0\nreturn t", 0, 0,
         "field 'paths' must be an integer from 1 to 10000000"},
        {"local t = {targets = {}}\nt.paths = 0\nreturn t", 0, 0,
         "field 'paths' must be an integer from 1 to 10000000"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        write_job(cases[i].text);
        ot_job j;
        ot_err err;
        ot_err_clear(&err);
        assert_int_equal(ot_job_load(JOB, &j, &err), OT_EDATA);
        char buf[OT_ERR_MSG_MAX + OT_ERR_FILE_MAX + 64], want[OT_ERR_MSG_MAX + OT_ERR_FILE_MAX + 64];
        ot_err_format(&err, buf, sizeof buf);
        if (cases[i].line)
            snprintf(want, sizeof want, "%s:%ld:%ld: %s", JOB, cases[i].line, cases[i].col,
                     cases[i].msg);
        else
            snprintf(want, sizeof want, "%s: %s", JOB, cases[i].msg);
        if (strcmp(buf, want) != 0)
            fail_msg("case %zu: got '%s', expected '%s'", i, buf, want);
    }
}

/* ot_job_field_at on its own: the first field written so, 0 for none or an
 * unreadable file. */
static void test_job_field_at(void **state)
{
    (void)state;
    write_job("return {\n  x.scripts = 1, scripts == 2,\n\tscripts\t= {\"a.lua\"}}\n");
    long line, col;
    ot_job_field_at(JOB, "scripts", &line, &col);
    assert_int_equal(line, 3);
    assert_int_equal(col, 2);
    ot_job_field_at(JOB, "outputs", &line, &col);
    assert_int_equal(line, 0);
    assert_int_equal(col, 0);
    ot_job_field_at(ONTRACK_TEST_TMP "/no_such_job.lua", "scripts", &line, &col);
    assert_int_equal(line, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_job_load_fields),
        cmocka_unit_test(test_job_load_positions),
        cmocka_unit_test(test_job_field_at),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    remove(JOB);
    return rc;
}
