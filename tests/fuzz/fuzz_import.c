/* fuzz_import.c — CSV import of arbitrary bytes, every format and both
 * encodings, into a private in-memory store.
 *
 * The input is written to a file in the process's scratch directory (on
 * /dev/shm when there is one) and imported by ot_import_file six times: auto,
 * long, wide, targets and series in UTF-8, and auto in GBK.  It checks the
 * promises of import.h: a failed import writes nothing (the store's row
 * counts are unchanged), every kept problem has a message, n <= count, and
 * the code is one of those documented.
 */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/import.h"
#include "store/store.h"

/* What the store holds: series keys, stored periods (summed over keys) and
 * targets.  A failed import must leave all three unchanged. */
typedef struct census {
    size_t keys, targets;
    long long periods;
} census;

static int count_key(void *ud, const ot_key_info *ki)
{
    census *c = ud;
    c->keys++;
    c->periods += ki->count;
    return 0;
}

static census take_census(ot_store *st)
{
    census c = {0, 0, 0};
    ot_err err;
    CHECK(ot_store_keys(st, NULL, count_key, &c, &err) == OT_OK);
    ot_target *t = NULL;
    CHECK(ot_store_targets(st, 0, &t, NULL, &c.targets, &err) == OT_OK);
    ot_store_targets_free(t, c.targets);
    return c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char path[600];
    if (!path[0])
        snprintf(path, sizeof path, "%s/input.csv", fuzz_tmpdir());
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    CHECK(fwrite(data, 1, size, f) == size);
    CHECK(fclose(f) == 0);

    ot_store *st;
    ot_err err;
    CHECK(ot_store_open(":memory:", OT_STORE_CREATE, &st, &err) == OT_OK);

    static const struct {
        ot_import_format format;
        ot_encoding encoding;
    } runs[] = {{OT_FORMAT_AUTO, OT_ENCODING_UTF8},    {OT_FORMAT_LONG, OT_ENCODING_UTF8},
                {OT_FORMAT_WIDE, OT_ENCODING_UTF8},    {OT_FORMAT_TARGETS, OT_ENCODING_UTF8},
                {OT_FORMAT_SERIES, OT_ENCODING_UTF8},  {OT_FORMAT_AUTO, OT_ENCODING_GBK}};
    for (size_t i = 0; i < sizeof runs / sizeof *runs; i++) {
        ot_import_opts o = OT_IMPORT_OPTS_INIT;
        o.format = runs[i].format;
        o.encoding = runs[i].encoding;
        census before = take_census(st);
        ot_import_stats stats;
        ot_import_errors errs;
        ot_err_clear(&err);
        int rc = ot_import_file(st, path, &o, &stats, &errs, &err);
        if (rc == OT_OK) {
            CHECK(stats.files == 1 && stats.already <= 1 && stats.rows >= 0);
            continue;
        }
        CHECK(rc == OT_EDATA || rc == OT_ENOMEM || rc == OT_ELIMIT);
        CHECK(err.code == rc && err.msg[0] != '\0');
        CHECK(errs.n <= errs.count && errs.n <= OT_IMPORT_MAX_ERRORS);
        for (size_t k = 0; k < errs.n; k++)
            CHECK(errs.e[k].msg[0] != '\0');
        census after = take_census(st);
        CHECK(after.keys == before.keys && after.periods == before.periods &&
              after.targets == before.targets);
    }
    ot_store_close(st);
    return 0;
}
