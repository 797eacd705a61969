/* fuzz_header.c — a table's header mapper on arbitrary text.
 *
 * Each line of the input is taken apart as a heading (io_heading_parse:
 * indicator, measure word, unit) and its invariants checked (texts
 * NUL-terminated within their buffers, the measure a known one); then the
 * whole input is imported as a table (format wide) into an in-memory store
 * whose series have Chinese names and aliases, so that headings reach the
 * name matching, measure words, units, two-row headers, periods across and
 * the year-to-date check.  A failed import must write nothing.
 */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/header.h"
#include "io/import.h"
#include "store/store.h"

static int count_key(void *ud, const ot_key_info *ki)
{
    *(long long *)ud += 1 + ki->count;
    return 0;
}

static long long census(ot_store *st)
{
    long long n = 0;
    ot_err err;
    CHECK(ot_store_keys(st, NULL, count_key, &n, &err) == OT_OK);
    return n;
}

static void series(ot_store *st, const char *key, const char *name, const char *aliases,
                   const char *unit)
{
    ot_series_meta m;
    ot_series_meta_init(&m);
    m.key = (char *)key;
    m.name = (char *)name;
    m.aliases = (char *)aliases;
    m.unit = (char *)unit;
    m.freq = OT_FREQ_M;
    ot_err err;
    CHECK(ot_store_put_meta(st, &m, &err) == OT_OK);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* every line as a heading */
    char line[4096];
    for (size_t i = 0; i < size;) {
        size_t n = 0;
        while (i < size && data[i] != '\n' && n < sizeof line - 1)
            line[n++] = (char)data[i++];
        line[n] = '\0';
        i++;
        io_heading h;
        io_heading_parse(line, &h);
        CHECK(memchr(h.name, '\0', sizeof h.name) != NULL);
        CHECK(memchr(h.unit, '\0', sizeof h.unit) != NULL);
        CHECK(h.measure >= -1 && h.measure < OT_MEASURE_COUNT);
        CHECK(h.growth >= IO_GROWTH_NONE && h.growth <= IO_BASE);
        int ex;
        ot_measure m = io_heading_measure(&h, &h, OT_MEASURE_VALUE, &ex);
        CHECK(m >= OT_MEASURE_VALUE && m < OT_MEASURE_COUNT);
    }

    static char path[600];
    if (!path[0])
        snprintf(path, sizeof path, "%s/table.csv", fuzz_tmpdir());
    FILE *f = fopen(path, "wb");
    CHECK(f && fwrite(data, 1, size, f) == size && fclose(f) == 0);
    ot_store *st;
    ot_err err;
    CHECK(ot_store_open(":memory:", OT_STORE_CREATE, &st, &err) == OT_OK);
    series(st, "x.iva", "规模以上工业增加值", "规上工业增加值|规上工业", "亿元");
    series(st, "x.retail", "社会消费品零售总额", "社零额", "亿元");
    series(st, "x.fai", "固定资产投资", "固投", "亿元");
    series(st, "x.dup", "出口", "出口总额", "亿元");
    series(st, "x.dup2", "出口总额", NULL, "万元");
    for (int run = 0; run < 2; run++) {
        ot_import_opts o = OT_IMPORT_OPTS_INIT;
        o.format = run ? OT_FORMAT_WIDE : OT_FORMAT_AUTO;
        o.measure = run ? OT_MEASURE_YTD : OT_MEASURE_ANY;
        ot_import_stats stats;
        ot_import_errors errs;
        ot_err_clear(&err);
        long long before = census(st);
        int rc = ot_import_file(st, path, &o, &stats, &errs, &err);
        if (rc == OT_OK)
            continue;
        CHECK(rc == OT_EDATA || rc == OT_ENOMEM || rc == OT_ELIMIT);
        CHECK(err.code == rc && err.msg[0] != '\0');
        CHECK(errs.n <= errs.count && errs.n <= OT_IMPORT_MAX_ERRORS);
        for (size_t k = 0; k < errs.n; k++)
            CHECK(errs.e[k].msg[0] != '\0');
        CHECK(census(st) == before);
    }
    ot_store_close(st);
    return 0;
}
