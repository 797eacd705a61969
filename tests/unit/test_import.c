/* test_import.c — CSV import: the four formats, values and periods as
 * published, encodings, every kind of bad row with its exact message, the
 * all-or-nothing rule, vintages, re-imports.  Data in tests/data/import/. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "io/import.h"
#include "io/xxh64.h"
#include "store/store.h"

#define DATA ONTRACK_SOURCE_DIR "/tests/data/import/"

#define assert_num(a, b) assert_num_at((a), (b), __FILE__, __LINE__)
static void assert_num_at(double a, double b, const char *file, int line)
{
    if (!(a == b))
        fail_msg("%s:%d: %.17g != %.17g", file, line, a, b);
}

static int setup(void **state)
{
    ot_store *st = NULL;
    if (ot_store_open(":memory:", OT_STORE_CREATE, &st, NULL) != OT_OK)
        return -1;
    *state = st;
    return 0;
}

static int teardown(void **state)
{
    ot_store_close(*state);
    return 0;
}

static int32_t day(int y, int m, int d)
{
    return ot_days_from_civil(y, m, d);
}

/* Imports path with options o; fails the test on any error. */
static ot_import_stats import_ok(ot_store *st, const char *path, const ot_import_opts *o)
{
    ot_import_stats s;
    ot_import_errors errs;
    ot_err err;
    if (ot_import_file(st, path, o, &s, &errs, &err) != OT_OK) {
        char buf[2048];
        ot_err_format(&err, buf, sizeof buf);
        fail_msg("import %s: %s", path, buf);
    }
    return s;
}

static ot_series *read_m(ot_store *st, const char *key, ot_measure m, int32_t as_of)
{
    ot_read_opts o = OT_READ_OPTS_INIT;
    o.measure = m;
    o.as_of = as_of;
    ot_series *s = NULL;
    ot_err err;
    if (ot_store_read(st, key, &o, NULL, &s, &err))
        fail_msg("read %s: %s", key, err.msg);
    return s;
}

static int count_key(void *ud, const ot_key_info *ki)
{
    (void)ki;
    ++*(int *)ud;
    return 0;
}

static int nkeys(ot_store *st)
{
    int n = 0;
    assert_int_equal(ot_store_keys(st, NULL, count_key, &n, NULL), OT_OK);
    return n;
}

static void assert_problem(const ot_err *e, const char *file, long line, long col,
                           const char *msg)
{
    assert_int_equal(e->code, OT_EDATA);
    assert_string_equal(e->file, file);
    assert_int_equal(e->line, line);
    assert_int_equal(e->col, col);
    assert_string_equal(e->msg, msg);
}

/* ---- names and hashing --------------------------------------------------- */

static void test_import_names(void **state)
{
    (void)state;
    assert_int_equal(ot_import_format_parse("wide"), OT_FORMAT_WIDE);
    assert_int_equal(ot_import_format_parse("json"), -1);
    assert_string_equal(ot_import_format_name(OT_FORMAT_TARGETS), "targets");
    assert_int_equal(ot_encoding_parse("GBK"), OT_ENCODING_GBK);
    assert_int_equal(ot_encoding_parse("gb18030"), OT_ENCODING_GBK);
    assert_int_equal(ot_encoding_parse("UTF-8"), OT_ENCODING_UTF8);
    assert_int_equal(ot_encoding_parse("latin1"), -1);
}

/* Reference digests from `xxhsum -H1` (xxHash 0.8.1):
 *   printf '' | xxhsum -H1               -> ef46db3751d8e999
 *   printf 'abc' | xxhsum -H1            -> 44bc2cf5ad770999
 *   seq 1 1000 | tr -d "\n" | xxhsum -H1 -> fb5a5bb5644836bb (2893 bytes: stripes
 *   plus a tail, fed in uneven pieces). */
static void test_import_xxh64_reference_values(void **state)
{
    (void)state;
    ot_xxh64 h;
    ot_xxh64_init(&h, 0);
    assert_true(ot_xxh64_digest(&h) == 0xef46db3751d8e999ULL);
    ot_xxh64_update(&h, "abc", 3);
    assert_true(ot_xxh64_digest(&h) == 0x44bc2cf5ad770999ULL);

    char buf[4000];
    size_t n = 0;
    for (int i = 1; i <= 1000; i++)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%d", i);
    assert_int_equal(n, 2893);
    ot_xxh64_init(&h, 0);
    for (size_t at = 0, step = 1; at < n; at += step, step = step * 3 % 97 + 1)
        ot_xxh64_update(&h, buf + at, at + step <= n ? step : n - at);
    assert_true(ot_xxh64_digest(&h) == 0xfb5a5bb5644836bbULL);
}

/* ---- the formats ---------------------------------------------------------- */

static void test_import_long_values_periods_bom(void **state)
{
    ot_store *st = *state;
    /* long.csv: BOM, 8 rows; 3 missing (—, …, -), 5 stored. */
    ot_import_stats s = import_ok(st, DATA "long.csv", NULL);
    assert_int_equal(s.files, 1);
    assert_int_equal(s.rows, 8);
    assert_int_equal(s.inserted, 5);
    assert_int_equal(s.missing, 3);
    assert_int_equal(s.unchanged, 0);

    /* ytd: 2023年1-2月 "1,234.5" on February (January covered), 2023-03 2000. */
    ot_series *x = read_m(st, "yiwu.exports", OT_MEASURE_YTD, OT_ASOF_LATEST);
    assert_int_equal(x->freq, OT_FREQ_M);
    assert_int_equal(x->start, ot_period_make(OT_FREQ_M, 2023, 1));
    assert_int_equal(x->n, 3);
    assert_int_equal(x->flags[0], OT_OBS_COVERED);
    assert_num(x->v[1], 1234.5);
    assert_num(x->v[2], 2000);
    assert_string_equal(x->unit, "亿元");
    ot_series_free(x);
    /* ytd_yoy: 2023年3月 -0.5, 2023-04 "12.3%" = 12.3. */
    x = read_m(st, "yiwu.exports", OT_MEASURE_YTD_YOY, OT_ASOF_LATEST);
    assert_int_equal(x->start, ot_period_make(OT_FREQ_M, 2023, 3));
    assert_int_equal(x->n, 2);
    assert_num(x->v[0], -0.5);
    assert_num(x->v[1], 12.3);
    ot_series_free(x);
    /* 2023年一季度: quarterly. */
    x = read_m(st, "yiwu.gdp", OT_MEASURE_ANY, OT_ASOF_LATEST);
    assert_int_equal(x->freq, OT_FREQ_Q);
    assert_int_equal(x->start, ot_period_make(OT_FREQ_Q, 2023, 1));
    assert_int_equal(x->n, 1);
    assert_num(x->v[0], 458.2);
    ot_series_free(x);
}

static void test_import_wide_with_measure_and_as_of(void **state)
{
    ot_store *st = *state;
    ot_import_opts o = OT_IMPORT_OPTS_INIT;
    o.format = OT_FORMAT_WIDE;
    o.measure = OT_MEASURE_YTD;
    o.as_of = day(2023, 4, 10);
    ot_import_stats s = import_ok(st, DATA "wide.csv", &o);
    assert_int_equal(s.rows, 3);
    assert_int_equal(s.inserted, 4);
    assert_int_equal(s.missing, 2);
    ot_series *x = read_m(st, "zj.exports", OT_MEASURE_YTD, OT_ASOF_LATEST);
    assert_int_equal(x->n, 3);
    assert_num(x->v[0], 100);
    assert_true(isnan(x->v[1]));
    assert_num(x->v[2], 1300);
    ot_series_free(x);
    x = read_m(st, "cn.exports", OT_MEASURE_YTD, day(2023, 4, 10));
    assert_int_equal(x->n, 2);
    assert_num(x->v[1], 2000.5);
    ot_series_free(x);
    /* Every figure carries the --as-of vintage: nothing was known the day before. */
    ot_read_opts ro = OT_READ_OPTS_INIT;
    ro.as_of = day(2023, 4, 9);
    ot_err err;
    assert_int_equal(ot_store_read(st, "cn.exports", &ro, NULL, &x, &err), OT_ENOTFOUND);
    assert_string_equal(err.msg, "nothing of 'cn.exports' (ytd) was known as of 2023-04-09: its "
                                 "first vintage is 2023-04-10");
}

static void test_import_targets_and_series_auto(void **state)
{
    ot_store *st = *state;
    ot_import_stats s = import_ok(st, DATA "targets.csv", NULL);
    assert_int_equal(s.inserted, 4);
    s = import_ok(st, DATA "series.csv", NULL);
    assert_int_equal(s.inserted, 2);

    ot_target *t;
    size_t n;
    ot_err err;
    assert_int_equal(ot_store_targets(st, 2023, &t, NULL, &n, &err), OT_OK);
    assert_int_equal(n, 4);
    assert_string_equal(t[0].series, "yiwu.gdp");
    assert_int_equal(t[0].kind, OT_TARGET_GROWTH);
    assert_num(t[0].value, 7.5);
    assert_string_equal(t[0].label, "地区生产总值增长7.5%以上");
    assert_string_equal(t[0].source, "2023年义乌市政府工作报告");
    assert_int_equal(t[1].kind, OT_TARGET_RELATIVE);
    assert_int_equal(t[1].op, OT_OP_GT);
    assert_string_equal(t[1].ref, "zj.exports");
    assert_int_equal(t[2].kind, OT_TARGET_IN_STEP);
    assert_int_equal(t[2].op, OT_OP_EQ);
    assert_num(t[2].tolerance, 1);
    assert_null(t[3].series);
    assert_int_equal(t[3].kind, OT_TARGET_UNQUANTIFIED);
    assert_int_equal(t[3].op, OT_OP_NONE);
    assert_true(isnan(t[3].value));
    assert_string_equal(t[3].label, "完成省下达的能耗双控目标");
    ot_store_targets_free(t, n);

    ot_series_meta m;
    assert_int_equal(ot_store_get_meta(st, "yiwu.buyers", &m, &err), OT_OK);
    assert_string_equal(m.name, "注册采购商");
    assert_string_equal(m.name_en, "Registered buyers");
    assert_string_equal(m.unit, "万户");
    assert_int_equal(m.freq, OT_FREQ_M);
    assert_int_equal(m.kind, OT_KIND_STOCK);
    assert_int_equal(m.agg, OT_AGG_LAST);
    ot_series_meta_clear(&m);

    /* Importing the same targets again: the same content is skipped whole. */
    s = import_ok(st, DATA "targets.csv", NULL);
    assert_int_equal(s.already, 1);
    assert_int_equal(s.inserted, 0);
    assert_int_equal(ot_store_targets(st, 0, &t, NULL, &n, &err), OT_OK);
    assert_int_equal(n, 4);
    ot_store_targets_free(t, n);
}

/* Values as published, checked against the literal each one means (the C
 * compiler rounds the literals; fast path and strtod must agree with it). */
static void test_import_value_forms(void **state)
{
    ot_store *st = *state;
    static const struct {
        const char *text;
        double want;
    } good[] = {
        {"0.1", 0.1},
        {"-0.3", -0.3},
        {"\"1,234,567.25\"", 1234567.25},
        {"123456789012345.6", 123456789012345.6}, /* 16 digits: strtod */
        {"1e3", 1000},
        {"2.5E-2", 0.025},
        {"+7", 7},
        {"12.3%", 12.3},
        {"\" 42 \"", 42},
        {"0.000000000000000000000123", 1.23e-22}, /* 24 decimals: strtod */
        {"9007199254740993", 9007199254740992.0}, /* 2^53 + 1 rounds to even */
        {"3.14159265358979", 3.14159265358979},
        {"0", 0},
    };
    static const char *const bad[] = {"1,2345", "1.2.3", "1e", "inf", "nan", "0x10", ",123",
                                      "12%%", "1,234,56", "--1", "1 000"};
    size_t ngood = sizeof good / sizeof *good, nbad = sizeof bad / sizeof *bad;
    char path[512];
    snprintf(path, sizeof path, "%s/import_values_%d.csv", ONTRACK_TEST_TMP, (int)getpid());
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("series,period,value\n", f);
    for (size_t i = 0; i < ngood; i++)
        fprintf(f, "v,2023-01-%02zu,%s\n", i + 1, good[i].text); /* daily */
    fclose(f);
    ot_import_stats s = import_ok(st, path, NULL);
    assert_int_equal(s.inserted, (long long)ngood);
    ot_series *x = read_m(st, "v", OT_MEASURE_ANY, OT_ASOF_LATEST);
    assert_int_equal(x->n, ngood);
    for (size_t i = 0; i < ngood; i++)
        if (!(x->v[i] == good[i].want))
            fail_msg("%s: %.17g != %.17g", good[i].text, x->v[i], good[i].want);
    ot_series_free(x);

    f = fopen(path, "w");
    fputs("series,period,value\n", f);
    for (size_t i = 0; i < nbad; i++)
        fprintf(f, "w,2023-%02zu,\"%s\"\n", i + 1, bad[i]);
    fclose(f);
    ot_import_errors errs;
    ot_err err;
    assert_int_equal(ot_import_file(st, path, NULL, NULL, &errs, &err), OT_EDATA);
    assert_int_equal(errs.count, nbad);
    for (size_t i = 0; i < nbad; i++) {
        char want[256];
        snprintf(want, sizeof want,
                 "expected a number such as 1234.5, 1,234.5 or 12.3%%, found '%s'", bad[i]);
        assert_problem(&errs.e[i], path, (long)i + 2, 3, want);
    }
    unlink(path);
}

/* Missing markers and percent signs as Chinese tables print them: the
 * dash and the ellipsis doubled (——, ……, the typographic forms of — and …),
 * ―  (U+2015, what Windows' GBK code page turns — into), the full-width
 * hyphen, three dots; a full-width ％ and a blank before the sign.  "1 000"
 * stays bad: a blank is not a thousands separator. */
static void test_import_missing_and_percent_forms(void **state)
{
    ot_store *st = *state;
    static const char *const missing[] = {"——", "……", "...", "―", "－", "—", "…", "-", "",
                                          " —— "};
    static const struct {
        const char *text;
        double want;
    } good[] = {{"12.3％", 12.3}, {"12.3 %", 12.3}, {"-0.5％", -0.5}, {"\"1,234.5 %\"", 1234.5}};
    size_t nmiss = sizeof missing / sizeof *missing, ngood = sizeof good / sizeof *good;
    char path[512];
    snprintf(path, sizeof path, "%s/import_missing_%d.csv", ONTRACK_TEST_TMP, (int)getpid());
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("series,period,value\n", f);
    for (size_t i = 0; i < nmiss; i++)
        fprintf(f, "m,2023-01-%02zu,%s\n", i + 1, missing[i]);
    for (size_t i = 0; i < ngood; i++)
        fprintf(f, "m,2023-02-%02zu,%s\n", i + 1, good[i].text);
    fclose(f);
    ot_import_stats s = import_ok(st, path, NULL);
    assert_int_equal(s.missing, (long long)nmiss);
    assert_int_equal(s.inserted, (long long)ngood);
    ot_series *x = read_m(st, "m", OT_MEASURE_ANY, OT_ASOF_LATEST);
    ot_ord feb1 = day(2023, 2, 1); /* daily ordinals are days */
    assert_int_equal(x->start, feb1);
    for (size_t i = 0; i < ngood; i++)
        assert_num(ot_series_at(x, feb1 + (ot_ord)i), good[i].want);
    ot_series_free(x);

    f = fopen(path, "w");
    fputs("series,period,value\n", f);
    fputs("n,2023-01,— —\nn,2023-02,1 000 %\nn,2023-03,.\nn,2023-04,%\n", f);
    fclose(f);
    ot_import_errors errs;
    assert_int_equal(ot_import_file(st, path, NULL, NULL, &errs, NULL), OT_EDATA);
    assert_int_equal(errs.count, 4);
    assert_problem(&errs.e[0], path, 2, 3,
                   "expected a number such as 1234.5, 1,234.5 or 12.3%, found '— —'");
    assert_problem(&errs.e[3], path, 5, 3,
                   "expected a number such as 1234.5, 1,234.5 or 12.3%, found '%'");
    unlink(path);
}

/* The targets format's optional shape_years column: stored with the
 * target; a malformed one is an error at its line and column. */
static void test_import_targets_shape_years(void **state)
{
    ot_store *st = *state;
    char path[512];
    snprintf(path, sizeof path, "%s/import_shape_years_%d.csv", ONTRACK_TEST_TMP, (int)getpid());
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("series,year,kind,op,value,shape,shape_years\n"
          "a.x,2023,growth,>=,5,b.x,2016-2019\n"
          "a.y,2023,growth,>=,5,b.x,\n", f);
    fclose(f);
    ot_import_stats s = import_ok(st, path, NULL);
    assert_int_equal(s.inserted, 2);
    ot_target *t = NULL;
    size_t n = 0;
    ot_err err;
    assert_int_equal(ot_store_targets(st, 2023, &t, NULL, &n, &err), OT_OK);
    assert_int_equal(n, 2);
    assert_int_equal(t[0].shape_years[0], 2016);
    assert_int_equal(t[0].shape_years[1], 2019);
    assert_int_equal(t[1].shape_years[0], 0); /* empty: the projection's option */
    assert_int_equal(t[1].shape_years[1], 0);
    ot_store_targets_free(t, n);

    f = fopen(path, "w");
    fputs("series,year,kind,op,value,shape_years\n"
          "a.z,2023,growth,>=,5,2019-2016\n", f);
    fclose(f);
    ot_import_errors errs;
    assert_int_equal(ot_import_file(st, path, NULL, NULL, &errs, &err), OT_EDATA);
    assert_int_equal(errs.count, 1);
    assert_problem(&errs.e[0], path, 2, 6,
                   "shape_years '2019-2016': expected years like 2020-2022, one year, or none");
    unlink(path);
}

/* A wide file interleaves its series row by row; a repeated period is a
 * duplicate for every column of it. */
static void test_import_wide_interleaved_and_repeated(void **state)
{
    ot_store *st = *state;
    char path[512];
    snprintf(path, sizeof path, "%s/import_wide_%d.csv", ONTRACK_TEST_TMP, (int)getpid());
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("period,a,b\n2023-01,1,10\n2023-02,2,20\n2023-03,3,30\n", f);
    fclose(f);
    ot_import_stats s = import_ok(st, path, NULL);
    assert_int_equal(s.inserted, 6);
    ot_series *x = read_m(st, "b", OT_MEASURE_ANY, OT_ASOF_LATEST);
    assert_int_equal(x->n, 3);
    assert_num(x->v[0], 10);
    assert_num(x->v[2], 30);
    ot_series_free(x);

    f = fopen(path, "w");
    fputs("period,c,d\n2023-01,1,10\n2023-02,2,20\n2023-01,1,10\n", f);
    fclose(f);
    ot_import_errors errs;
    ot_err err;
    assert_int_equal(ot_import_file(st, path, NULL, NULL, &errs, &err), OT_EDATA);
    /* both columns of the repeated period are duplicates: the first problem
     * does not stop the checks of the second */
    assert_int_equal(errs.count, 2);
    assert_problem(&errs.e[0], path, 4, 2,
                   "duplicate row: c value 2023-01 was already given in this import");
    assert_problem(&errs.e[1], path, 4, 3,
                   "duplicate row: d value 2023-01 was already given in this import");
    assert_int_equal(nkeys(st), 2); /* a and b only: c and d were rolled back */
    unlink(path);
}

/* ---- encodings ------------------------------------------------------------ */

static void test_import_gbk(void **state)
{
    ot_store *st = *state;
    ot_import_errors errs;
    ot_err err;
    /* Without --encoding gbk: the first non-UTF-8 byte, with the advice.
     * 年 is C4 EA in GBK; it is in field 2 of line 2. */
    assert_int_equal(ot_import_file(st, DATA "gbk.csv", NULL, NULL, &errs, &err), OT_EDATA);
    assert_int_equal(errs.count, 1);
    assert_problem(&errs.e[0], DATA "gbk.csv", 2, 2,
                   "expected UTF-8 text, found byte 0xC4 (if the file is GBK or GB18030, "
                   "import it with --encoding gbk)");
    assert_int_equal(nkeys(st), 0);

    ot_import_opts o = OT_IMPORT_OPTS_INIT;
    o.encoding = OT_ENCODING_GBK;
    ot_import_stats s = import_ok(st, DATA "gbk.csv", &o);
    assert_int_equal(s.inserted, 2);
    ot_series *x = read_m(st, "yiwu.retail", OT_MEASURE_ANY, OT_ASOF_LATEST);
    assert_int_equal(x->n, 3);
    assert_int_equal(x->flags[0], OT_OBS_COVERED);
    assert_num(x->v[1], 1234.5);
    assert_num(x->v[2], 2000);
    assert_string_equal(x->unit, "亿元");
    ot_series_free(x);
}

/* Builds a GBK long file of n rows whose source is 20 two-byte characters
 * (义 = D2 E5), led by pad ASCII 'a's in the first row; returns its length
 * and, in *cut, whether byte 65535 (the last of the first 64 KiB read) is
 * the first byte of a character. */
static size_t gbk_rows(char *buf, int n, int pad, int *cut)
{
    size_t len = (size_t)sprintf(buf, "series,period,value,source\n");
    *cut = 0;
    for (int i = 0; i < n; i++) {
        len += (size_t)sprintf(buf + len, "k%05d,2023-01,%d,%.*s", i, i, i == 0 ? pad : 0,
                               "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
        size_t run = len;
        for (int k = 0; k < 20; k++)
            len += (size_t)sprintf(buf + len, "\xD2\xE5");
        if (run <= 65535 && 65535 < len)
            *cut = (65535 - run) % 2 == 0;
        buf[len++] = '\n';
    }
    return len;
}

/* A character cut by the 64 KiB read boundary is carried into the next read. */
static void test_import_gbk_character_across_reads(void **state)
{
    ot_store *st = *state;
    enum { N = 3000 };
    char *buf = malloc(N * 80 + 64);
    assert_non_null(buf);
    int cut = 0;
    size_t len = 0;
    for (int pad = 0; pad < 64 && !cut; pad++)
        len = gbk_rows(buf, N, pad, &cut);
    if (!cut)
        free(buf);
    assert_true(cut);
    assert_true(len > 2 * 65536);
    char path[512];
    snprintf(path, sizeof path, "%s/import_gbkcut_%d.csv", ONTRACK_TEST_TMP, (int)getpid());
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(buf, 1, len, f), len);
    fclose(f);
    free(buf);
    ot_import_opts o = OT_IMPORT_OPTS_INIT;
    o.encoding = OT_ENCODING_GBK;
    ot_import_stats s = import_ok(st, path, &o);
    assert_int_equal(s.rows, N);
    assert_int_equal(s.inserted, N);
    ot_series *x = read_m(st, "k02999", OT_MEASURE_ANY, OT_ASOF_LATEST);
    assert_num(x->v[0], 2999);
    ot_series_free(x);
    unlink(path);
}

/* ---- bad input ------------------------------------------------------------ */

static void test_import_every_bad_row_reported(void **state)
{
    ot_store *st = *state;
    ot_import_errors errs;
    ot_err err;
    const char *f = DATA "bad.csv";
    assert_int_equal(ot_import_file(st, f, NULL, NULL, &errs, &err), OT_EDATA);
    assert_int_equal(errs.count, 7);
    assert_int_equal(errs.n, 7);
    assert_problem(&errs.e[0], f, 3, 2,
                   "duplicate row: a value 2023-01 was already given in this import");
    assert_problem(&errs.e[1], f, 4, 3,
                   "expected a measure (value, ytd, yoy or ytd_yoy; or 当月值, 累计值, 当月同比, "
                   "累计同比), found 'mom'");
    assert_problem(&errs.e[2], f, 5, 2,
                   "expected a period such as 2023-01, 2023Q1 or 2023年1-2月, found '2023-13' (month must be 1-12)");
    assert_problem(&errs.e[3], f, 6, 4,
                   "expected a number such as 1234.5, 1,234.5 or 12.3%, found 'n/a'");
    assert_problem(&errs.e[4], f, 7, 4, "expected 4 fields, found 3");
    assert_problem(&errs.e[5], f, 8, 5, "expected 4 fields, found 5");
    assert_problem(&errs.e[6], f, 9, 4,
                   "expected a number such as 1234.5, 1,234.5 or 12.3%, found '1,23'");
    /* err is the first problem and says how many there were. */
    char buf[2048];
    ot_err_format(&err, buf, sizeof buf);
    char want[2048];
    snprintf(want, sizeof want,
             "%s:3:2: duplicate row: a value 2023-01 was already given in this import (and 6 "
             "more errors)",
             f);
    assert_string_equal(buf, want);
    assert_int_equal(ot_err_exit_code(err.code), 65);
    /* Nothing was written: row 2 was valid but the call is all or nothing. */
    assert_int_equal(nkeys(st), 0);
}

static void test_import_header_problems(void **state)
{
    ot_store *st = *state;
    ot_import_errors errs;
    ot_err err;
    assert_int_equal(ot_import_file(st, DATA "unknown_column.csv", NULL, NULL, &errs, &err),
                     OT_EDATA);
    assert_int_equal(errs.count, 1);
    assert_problem(&errs.e[0], DATA "unknown_column.csv", 1, 4,
                   "unknown column 'colour' (a long file has columns series, period, value, "
                   "measure, unit, vintage, source)");

    assert_int_equal(ot_import_file(st, DATA "noheader.csv", NULL, NULL, &errs, &err), OT_EDATA);
    assert_problem(&errs.e[0], DATA "noheader.csv", 1, 1,
                   "expected a header naming the columns (long: series,period,value; wide: "
                   "period,KEY,...; targets: series,year,kind,op,value; series: series,name), "
                   "found 'a'");

    /* A header naming some of a format's columns is read as that format, so
     * the misspelt column is the one named (not the first, which is right). */
    assert_int_equal(ot_import_file(st, DATA "misspelt_column.csv", NULL, NULL, &errs, &err),
                     OT_EDATA);
    assert_int_equal(errs.count, 2);
    assert_problem(&errs.e[0], DATA "misspelt_column.csv", 1, 2,
                   "unknown column 'perod' (a long file has columns series, period, value, "
                   "measure, unit, vintage, source)");
    assert_problem(&errs.e[1], DATA "misspelt_column.csv", 1, 0,
                   "expected a 'period' column in the header of a long file");

    assert_int_equal(ot_import_file(st, DATA "empty.csv", NULL, NULL, &errs, &err), OT_EDATA);
    assert_problem(&errs.e[0], DATA "empty.csv", 1, 0,
                   "expected a header row, found an empty file");

    /* A format given explicitly checks its required columns. */
    ot_import_opts o = OT_IMPORT_OPTS_INIT;
    o.format = OT_FORMAT_TARGETS;
    assert_int_equal(ot_import_file(st, DATA "series.csv", &o, NULL, &errs, &err), OT_EDATA);
    /* unknown: name, name_en, region, freq, agg; missing: year, op, value */
    assert_int_equal(errs.count, 8);
    assert_problem(&errs.e[0], DATA "series.csv", 1, 2,
                   "unknown column 'name' (a targets file has columns series, year, kind, op, "
                   "value, ref, tolerance, label, source, shape, unit, shape_years)");
    assert_problem(&errs.e[6], DATA "series.csv", 1, 0,
                   "expected a 'year' column in the header of a targets file");

    assert_int_equal(ot_import_file(st, DATA "quote.csv", NULL, NULL, &errs, &err), OT_EDATA);
    assert_problem(&errs.e[0], DATA "quote.csv", 2, 0,
                   "expected a closing quote, found the end of the file");

    assert_int_equal(ot_import_file(st, DATA "none.csv", NULL, NULL, &errs, &err), OT_ENOTFOUND);
    assert_string_equal(err.msg, "cannot open " DATA "none.csv: No such file or directory");
    assert_int_equal(nkeys(st), 0);
}

/* Line numbers are physical lines: CRLF, blank lines and a quoted field
 * spanning two lines all count. */
static void test_import_line_numbers(void **state)
{
    ot_store *st = *state;
    char path[512];
    snprintf(path, sizeof path, "%s/import_lines_%d.csv", ONTRACK_TEST_TMP, (int)getpid());
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs("series,period,value,source\r\n"        /* 1 */
          "a,2023-01,1,\"two\r\nlines\"\r\n"     /* 2-3 */
          "\r\n"                                  /* 4 */
          "\n"                                    /* 5 */
          "a,2023-02,x,s\r\n"                     /* 6 */
          "a,2023-03,\"y\",s",                    /* 7, no final newline */
          f);
    fclose(f);
    ot_import_errors errs;
    ot_err err;
    assert_int_equal(ot_import_file(st, path, NULL, NULL, &errs, &err), OT_EDATA);
    assert_int_equal(errs.count, 2);
    assert_problem(&errs.e[0], path, 6, 3,
                   "expected a number such as 1234.5, 1,234.5 or 12.3%, found 'x'");
    assert_problem(&errs.e[1], path, 7, 3,
                   "expected a number such as 1234.5, 1,234.5 or 12.3%, found 'y'");
    unlink(path);
}

/* Several files are one transaction: the bad second file takes the good
 * first one down with it. */
static void test_import_files_all_or_nothing(void **state)
{
    ot_store *st = *state;
    const char *paths[] = {DATA "long.csv", DATA "bad.csv"};
    ot_import_errors errs;
    ot_err err;
    ot_import_stats s = {0};
    s.files = -1;
    assert_int_equal(ot_import_files(st, paths, 2, NULL, &s, &errs, &err), OT_EDATA);
    assert_int_equal(s.files, -1); /* stats are written only on success */
    assert_int_equal(errs.count, 7);
    assert_int_equal(nkeys(st), 0);
    /* and the good file alone goes in */
    s = import_ok(st, paths[0], NULL);
    assert_int_equal(s.inserted, 5);
    assert_int_equal(nkeys(st), 2);
}

/* Writes a long file of `rows` data rows to path; row r (1-based) of series
 * s<r/1000> for month r%1000 from 1900-01; rows listed in bad_rows get the
 * value "x". */
static void write_long(const char *path, long rows, const long *bad_rows, size_t nbad)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("series,period,value\n", f);
    for (long r = 1; r <= rows; r++) {
        long m = r % 1000;
        int bad = 0;
        for (size_t i = 0; i < nbad; i++)
            bad |= bad_rows[i] == r;
        char v[32];
        snprintf(v, sizeof v, "%ld.5", r);
        fprintf(f, "s%ld,%ld-%02ld,%s\n", r / 1000, 1900 + m / 12, m % 12 + 1, bad ? "x" : v);
    }
    fclose(f);
}

static void test_import_100k_rows_last_bad(void **state)
{
    ot_store *st = *state;
    char path[512];
    snprintf(path, sizeof path, "%s/import_100k_%d.csv", ONTRACK_TEST_TMP, (int)getpid());
    long last = 100000;
    write_long(path, 100000, &last, 1);
    ot_import_errors errs;
    ot_err err;
    assert_int_equal(ot_import_file(st, path, NULL, NULL, &errs, &err), OT_EDATA);
    assert_int_equal(errs.count, 1);
    /* header is line 1, data row r is line r + 1 */
    assert_problem(&errs.e[0], path, 100001, 3,
                   "expected a number such as 1234.5, 1,234.5 or 12.3%, found 'x'");
    assert_int_equal(nkeys(st), 0);

    /* The same file made good goes in whole: 100,000 rows over keys s0..s100. */
    write_long(path, 100000, NULL, 0);
    ot_import_stats s = import_ok(st, path, NULL);
    assert_int_equal(s.rows, 100000);
    assert_int_equal(s.inserted, 100000);
    assert_int_equal(nkeys(st), 101);
    /* row 1234: s1, month 234 -> 1919-07, value 1234.5 */
    ot_series *x = read_m(st, "s1", OT_MEASURE_ANY, OT_ASOF_LATEST);
    assert_num(ot_series_at(x, ot_period_make(OT_FREQ_M, 1919, 7)), 1234.5);
    ot_series_free(x);
    unlink(path);
}

static void test_import_error_list_is_capped(void **state)
{
    ot_store *st = *state;
    char path[512];
    snprintf(path, sizeof path, "%s/import_25bad_%d.csv", ONTRACK_TEST_TMP, (int)getpid());
    long bad[25];
    for (int i = 0; i < 25; i++)
        bad[i] = 10 + 2 * i;
    write_long(path, 100, bad, 25);
    ot_import_errors errs;
    ot_err err;
    assert_int_equal(ot_import_file(st, path, NULL, NULL, &errs, &err), OT_EDATA);
    assert_int_equal(errs.count, 25);
    assert_int_equal(errs.n, OT_IMPORT_MAX_ERRORS);
    assert_int_equal(errs.e[19].line, 10 + 2 * 19 + 1);
    assert_non_null(strstr(err.msg, "(and 24 more errors)"));

    FILE *out = tmpfile();
    assert_non_null(out);
    ot_import_errors_print(&errs, out);
    rewind(out);
    char line[2048], lastline[2048] = "";
    int lines = 0;
    while (fgets(line, sizeof line, out)) {
        lines++;
        snprintf(lastline, sizeof lastline, "%s", line);
    }
    fclose(out);
    assert_int_equal(lines, 21);
    assert_string_equal(lastline, "... and 5 more errors\n");
    unlink(path);
}

/* Writes text to a new temporary file named after tag; path receives it. */
static void write_text(char *path, size_t cap, const char *tag, const char *text)
{
    snprintf(path, cap, "%s/import_%s_%d.csv", ONTRACK_TEST_TMP, tag, (int)getpid());
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* The lines ot_import_errors_print writes for errs, in one buffer. */
static void printed(const ot_import_errors *errs, char *buf, size_t cap)
{
    FILE *out = tmpfile();
    assert_non_null(out);
    ot_import_errors_print(errs, out);
    rewind(out);
    size_t n = fread(buf, 1, cap - 1, out);
    buf[n] = '\0';
    fclose(out);
}

/* The problems only the store can find (a duplicate row, a revision at a
 * vintage already stored, a duplicate of a row skipped as unchanged) are
 * reported after an earlier bad row too, and nothing is imported. */
static void test_import_store_problems_after_a_bad_row(void **state)
{
    ot_store *st = *state;
    char base[512], path[512];
    write_text(base, sizeof base, "base", "series,period,value\nr,2023-01,5\n");
    import_ok(st, base, NULL); /* r 2023-01 = 5, vintage 2023-01-31 (the period's end) */
    write_text(path, sizeof path, "late",
               "series,period,value\n" /* line 1 */
               "a,2023-01,1\n"         /* 2: fine */
               "a,2023-02,n/a\n"       /* 3: bad number, the first problem */
               "a,2023-03,3\n"         /* 4: fine */
               "r,2023-01,6\n"         /* 5: 6 for the stored vintage of 5 */
               "a,2023-01,1\n"         /* 6: duplicate of line 2 */
               "a,2023-03,4\n"         /* 7: duplicate of line 4, another value */
               "r,2023-01,5\n"         /* 8: unchanged (nothing written) */
               "r,2023-01,5\n");       /* 9: duplicate of line 8 */
    ot_import_errors errs;
    ot_err err;
    assert_int_equal(ot_import_file(st, path, NULL, NULL, &errs, &err), OT_EDATA);
    assert_int_equal(errs.count, 5);
    assert_int_equal(errs.n, 5);
    char got[4096], want[4096];
    printed(&errs, got, sizeof got);
    snprintf(want, sizeof want,
             "%s:3:3: expected a number such as 1234.5, 1,234.5 or 12.3%%, found 'n/a'\n"
             "%s:5:2: r value 2023-01 is stored as 5 without a release date; a revised figure "
             "needs its release date (a vintage column or --as-of), found 6\n"
             "%s:6:2: duplicate row: a value 2023-01 was already given in this import\n"
             "%s:7:2: duplicate row: a value 2023-03 was already given in this import\n"
             "%s:9:2: duplicate row: r value 2023-01 was already given in this import\n",
             path, path, path, path, path);
    assert_string_equal(got, want);
    /* err: the first problem, and how many more */
    char buf[2048];
    ot_err_format(&err, buf, sizeof buf);
    snprintf(want, sizeof want,
             "%s:3:3: expected a number such as 1234.5, 1,234.5 or 12.3%%, found 'n/a' (and 4 "
             "more errors)",
             path);
    assert_string_equal(buf, want);
    /* nothing of the file stayed: no series a, r as before */
    assert_int_equal(nkeys(st), 1);
    ot_series *x = read_m(st, "r", OT_MEASURE_ANY, OT_ASOF_LATEST);
    assert_int_equal(x->n, 1);
    assert_num(x->v[0], 5);
    ot_series_free(x);
    /* the file once corrected imports: its problems were not remembered */
    write_text(path, sizeof path, "late", "series,period,value\na,2023-01,1\na,2023-03,3\n");
    ot_import_stats s = import_ok(st, path, NULL);
    assert_int_equal(s.inserted, 2);
    unlink(base);
    unlink(path);
}

/* A bad first row, then 30 rows each given twice: 1 + 30 problems, the
 * first 20 listed, then the count of the other 11. */
static void test_import_store_problems_are_capped(void **state)
{
    ot_store *st = *state;
    char path[512];
    snprintf(path, sizeof path, "%s/import_dups_%d.csv", ONTRACK_TEST_TMP, (int)getpid());
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("series,period,value\nd,2023-01,x\n", f); /* lines 1, 2 */
    for (int pass = 0; pass < 2; pass++)             /* lines 3..32, then 33..62 */
        for (int m = 0; m < 30; m++)
            fprintf(f, "d,%d-%02d,%d\n", 2000 + m / 12, m % 12 + 1, m);
    fclose(f);
    ot_import_errors errs;
    ot_err err;
    assert_int_equal(ot_import_file(st, path, NULL, NULL, &errs, &err), OT_EDATA);
    assert_int_equal(errs.count, 31);
    assert_int_equal(errs.n, OT_IMPORT_MAX_ERRORS);
    assert_problem(&errs.e[0], path, 2, 3,
                   "expected a number such as 1234.5, 1,234.5 or 12.3%, found 'x'");
    /* the 19th duplicate: month 18 (2001-07), line 33 + 18 */
    assert_problem(&errs.e[19], path, 51, 2,
                   "duplicate row: d value 2001-07 was already given in this import");
    char got[8192];
    printed(&errs, got, sizeof got);
    assert_non_null(strstr(got, "\n... and 11 more errors\n"));
    assert_non_null(strstr(err.msg, "(and 30 more errors)"));
    assert_int_equal(nkeys(st), 0);
    unlink(path);
}

/* ---- vintages and re-imports ---------------------------------------------- */

static void test_import_vintages_revisions_reimport(void **state)
{
    ot_store *st = *state;
    /* vintages.csv: Jan 100 (2023-02-15), revised 101 (2023-03-15); Feb 210 (2023-03-15). */
    ot_import_stats s = import_ok(st, DATA "vintages.csv", NULL);
    assert_int_equal(s.inserted, 3);
    ot_series *x = read_m(st, "x", OT_MEASURE_YTD, day(2023, 3, 1));
    assert_int_equal(x->n, 1);
    assert_num(x->v[0], 100);
    ot_series_free(x);
    x = read_m(st, "x", OT_MEASURE_YTD, day(2023, 3, 15));
    assert_int_equal(x->n, 2);
    assert_num(x->v[0], 101);
    assert_num(x->v[1], 210);
    ot_series_free(x);

    /* revised.csv (2023-04-15): Jan 101 unchanged, Feb 212 a new vintage. */
    s = import_ok(st, DATA "revised.csv", NULL);
    assert_int_equal(s.inserted, 1);
    assert_int_equal(s.unchanged, 1);
    x = read_m(st, "x", OT_MEASURE_YTD, day(2023, 4, 14));
    assert_num(x->v[1], 210);
    ot_series_free(x);
    x = read_m(st, "x", OT_MEASURE_YTD, OT_ASOF_LATEST);
    assert_num(x->v[1], 212);
    ot_series_free(x);

    /* The identical file again: recognised by its content hash. */
    s = import_ok(st, DATA "revised.csv", NULL);
    assert_int_equal(s.files, 1);
    assert_int_equal(s.already, 1);
    assert_int_equal(s.rows, 0);
    assert_int_equal(s.inserted, 0);
    /* The same content with another --as-of is a new import, but every
     * figure is what was known then: nothing new is stored. */
    ot_import_opts o = OT_IMPORT_OPTS_INIT;
    o.as_of = day(2023, 5, 1);
    s = import_ok(st, DATA "revised.csv", &o);
    assert_int_equal(s.already, 0);
    assert_int_equal(s.inserted, 0);
    assert_int_equal(s.unchanged, 2);
}

/* An undated revision cannot be placed in time: it is refused with advice. */
static void test_import_undated_revision_refused(void **state)
{
    ot_store *st = *state;
    char p1[512], p2[512];
    snprintf(p1, sizeof p1, "%s/import_u1_%d.csv", ONTRACK_TEST_TMP, (int)getpid());
    snprintf(p2, sizeof p2, "%s/import_u2_%d.csv", ONTRACK_TEST_TMP, (int)getpid());
    FILE *f = fopen(p1, "w");
    fputs("series,period,value\nu,2023-01,5\n", f);
    fclose(f);
    f = fopen(p2, "w");
    fputs("series,period,value\nu,2023-01,6\n", f);
    fclose(f);
    import_ok(st, p1, NULL);
    ot_import_errors errs;
    ot_err err;
    assert_int_equal(ot_import_file(st, p2, NULL, NULL, &errs, &err), OT_EDATA);
    assert_problem(&errs.e[0], p2, 2, 2,
                   "u value 2023-01 is stored as 5 without a release date; a revised figure "
                   "needs its release date (a vintage column or --as-of), found 6");
    ot_import_opts o = OT_IMPORT_OPTS_INIT;
    o.as_of = day(2023, 6, 30);
    ot_import_stats s = import_ok(st, p2, &o);
    assert_int_equal(s.inserted, 1);
    ot_series *x = read_m(st, "u", OT_MEASURE_ANY, day(2023, 6, 29));
    assert_num(x->v[0], 5);
    ot_series_free(x);
    unlink(p1);
    unlink(p2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_import_names),
        cmocka_unit_test(test_import_xxh64_reference_values),
        cmocka_unit_test_setup_teardown(test_import_long_values_periods_bom, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_wide_with_measure_and_as_of, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_targets_and_series_auto, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_value_forms, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_missing_and_percent_forms, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_targets_shape_years, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_wide_interleaved_and_repeated, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_import_gbk, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_gbk_character_across_reads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_every_bad_row_reported, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_header_problems, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_line_numbers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_files_all_or_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_100k_rows_last_bad, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_error_list_is_capped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_store_problems_after_a_bad_row, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_import_store_problems_are_capped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_vintages_revisions_reimport, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_undated_revision_refused, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
