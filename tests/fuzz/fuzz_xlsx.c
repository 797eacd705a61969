/* fuzz_xlsx.c — the workbook readers on arbitrary bytes, into a private
 * in-memory store.
 *
 * The first byte chooses how the rest is used: even, the bytes are written
 * as they are to input.xlsx (minizip and expat see a raw file); odd, the bytes become the sheet part (xl/worksheets/sheet1.xml)
 * of an otherwise well-formed workbook written with minizip's zip writer, so
 * that the fuzzer reaches the XML handlers (cells, rows, shared-string
 * indices, date styles) instead of stopping at the zip header.  Raw bytes
 * are not given to libfreexl (.xls): Debian 12's libfreexl 1.0.6 reads out
 * of bounds inside its own codepage conversion on malformed BIFF (found by
 * this harness; docs/dependencies.md), which no check of ours can prevent.  The promises
 * checked are import.h's: a failed import writes nothing, every kept problem
 * has a message, n <= count, the code is a documented one.
 */
#include "fuzz.h"

#include <minizip/zip.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/import.h"
#include "store/store.h"

static const char WORKBOOK[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
    "<workbookPr/><sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets>"
    "</workbook>";
static const char RELS[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"worksheet\" Target=\"worksheets/sheet1.xml\"/>"
    "</Relationships>";
static const char STYLES[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    "<styleSheet><numFmts count=\"1\"><numFmt numFmtId=\"164\" formatCode=\"yyyy/m/d\"/>"
    "</numFmts><cellXfs count=\"3\"><xf numFmtId=\"0\"/><xf numFmtId=\"164\"/>"
    "<xf numFmtId=\"14\"/></cellXfs></styleSheet>";
static const char SST[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    "<sst count=\"6\"><si><t>series</t></si><si><t>period</t></si><si><t>value</t></si>"
    "<si><t>时间</t></si><si><r><t>出口</t></r><r><t>总额</t></r><rPh><t>x</t></rPh></si>"
    "<si><t>2024年1-2月</t></si></sst>";

static void add(zipFile z, const char *name, const void *data, size_t n)
{
    CHECK(zipOpenNewFileInZip(z, name, NULL, NULL, 0, NULL, 0, NULL, Z_DEFLATED,
                              Z_DEFAULT_COMPRESSION) == ZIP_OK);
    CHECK(zipWriteInFileInZip(z, data, (unsigned)n) == ZIP_OK);
    CHECK(zipCloseFileInZip(z) == ZIP_OK);
}

static int count_key(void *ud, const ot_key_info *ki)
{
    *(long long *)ud += 1 + ki->count;
    return 0;
}

/* Series plus stored periods: a failed import must leave it unchanged. */
static long long census(ot_store *st)
{
    long long n = 0;
    ot_err err;
    CHECK(ot_store_keys(st, NULL, count_key, &n, &err) == OT_OK);
    return n;
}

/* Imports path (sheet may be NULL) and checks import.h's promises. */
static void import_checked(ot_store *st, const char *path, const char *sheet)
{
    ot_import_opts o = OT_IMPORT_OPTS_INIT;
    o.sheet = sheet;
    ot_import_stats stats;
    ot_import_errors errs;
    ot_err err;
    ot_err_clear(&err);
    long long before = census(st);
    int rc = ot_import_file(st, path, &o, &stats, &errs, &err);
    if (rc == OT_OK) {
        CHECK(stats.files == 1 && stats.rows >= 0);
        return;
    }
    CHECK(rc == OT_EDATA || rc == OT_ENOMEM || rc == OT_ELIMIT);
    CHECK(err.code == rc && err.msg[0] != '\0');
    CHECK(errs.n <= errs.count && errs.n <= OT_IMPORT_MAX_ERRORS);
    for (size_t k = 0; k < errs.n; k++)
        CHECK(errs.e[k].msg[0] != '\0');
    CHECK(census(st) == before);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char xlsx[600];
    if (!xlsx[0])
        snprintf(xlsx, sizeof xlsx, "%s/input.xlsx", fuzz_tmpdir());
    if (size == 0)
        return 0;
    int wrap = data[0] & 1;
    data++;
    size--;
    if (wrap) {
        zipFile z = zipOpen(xlsx, APPEND_STATUS_CREATE);
        CHECK(z != NULL);
        add(z, "xl/workbook.xml", WORKBOOK, sizeof WORKBOOK - 1);
        add(z, "xl/_rels/workbook.xml.rels", RELS, sizeof RELS - 1);
        add(z, "xl/styles.xml", STYLES, sizeof STYLES - 1);
        add(z, "xl/sharedStrings.xml", SST, sizeof SST - 1);
        add(z, "xl/worksheets/sheet1.xml", data, size);
        CHECK(zipClose(z, NULL) == ZIP_OK);
    } else {
        FILE *f = fopen(xlsx, "wb");
        CHECK(f && fwrite(data, 1, size, f) == size && fclose(f) == 0);
    }
    ot_store *st;
    ot_err err;
    CHECK(ot_store_open(":memory:", OT_STORE_CREATE, &st, &err) == OT_OK);
    ot_series_meta m;
    ot_series_meta_init(&m);
    m.key = "x.exports";
    m.name = "出口总额";
    m.unit = "亿元";
    m.freq = OT_FREQ_M;
    CHECK(ot_store_put_meta(st, &m, &err) == OT_OK);
    import_checked(st, xlsx, NULL);
    if (wrap) {
        long long before = census(st);
        ot_import_opts o = OT_IMPORT_OPTS_INIT;
        o.sheet = "Sheet2"; /* absent: refused, nothing written */
        ot_import_errors errs;
        CHECK(ot_import_file(st, xlsx, &o, NULL, &errs, &err) == OT_EDATA);
        CHECK(census(st) == before);
    }
    ot_store_close(st);
    return 0;
}
