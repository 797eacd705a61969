/* import.c — the import's entry points (import.h): one transaction over
 * every file of a call, each file opened, hashed (pass 1: an identical file
 * imported before is skipped) and read by the reader its name calls for
 * (csvread.c for CSV, xlsx.c and xls.c for workbooks), whose records go to
 * the format's rows (named.c for long, targets and series; table.c for wide
 * files and bureaus' tables).  After the first problem every good row is
 * still written, so that the checks only the store can make (a duplicate
 * row, a revision at a vintage already stored) report every problem of the
 * call; the call then rolls back, so nothing of it stays.  Also the names of
 * formats and encodings, and printing the errors.
 */
#include "io/import.h"
#include "io/import_int.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/text.h"
#include "io/fields.h"
#include "io/header.h"
#include "io/xxh64.h"

/* ---- names -------------------------------------------------------------- */

static const char *const format_names[] = {"auto", "long", "wide", "targets", "series"};

const char *ot_import_format_name(ot_import_format f)
{
    return (unsigned)f < sizeof format_names / sizeof *format_names ? format_names[f] : "";
}

int ot_import_format_parse(const char *s)
{
    for (int i = 0; i < (int)(sizeof format_names / sizeof *format_names); i++)
        if (strcmp(s, format_names[i]) == 0)
            return i;
    return -1;
}

int ot_encoding_parse(const char *s)
{
    if (strcasecmp(s, "utf-8") == 0 || strcasecmp(s, "utf8") == 0)
        return OT_ENCODING_UTF8;
    if (strcasecmp(s, "gbk") == 0 || strcasecmp(s, "gb18030") == 0 ||
        strcasecmp(s, "gb2312") == 0 || strcasecmp(s, "cp936") == 0)
        return OT_ENCODING_GBK;
    return -1;
}

void ot_import_errors_print(const ot_import_errors *errs, FILE *f)
{
    char line[OT_ERR_FILE_MAX + OT_ERR_MSG_MAX + 64];
    for (size_t i = 0; i < errs->n; i++) {
        ot_err_format(&errs->e[i], line, sizeof line);
        fprintf(f, "%s\n", line);
    }
    if (errs->count > errs->n)
        fprintf(f, "... and %zu more error%s\n", errs->count - errs->n,
                errs->count - errs->n == 1 ? "" : "s");
}

/* ---- one file ----------------------------------------------------------- */

/* Pass 1: the content hash of the raw bytes.  For --encoding gbk it also
 * checks whether the whole file is valid UTF-8 with some non-ASCII text: such
 * a file is almost surely not GBK (GB18030 would decode its bytes into other
 * characters without complaint), so *utf8_line is set to the line of its
 * first non-ASCII byte (0 otherwise). */
static int hash_file(ctx *c, FILE *f, char *raw, long *utf8_line, ot_err *err)
{
    ot_xxh64 h;
    ot_xxh64_init(&h, 0);
    size_t n;
    int check = c->o->encoding == OT_ENCODING_GBK, valid = 1;
    io_utf8 u = IO_UTF8_INIT;
    long line = 1, first = 0;
    c->size = 0;
    while ((n = fread(raw, 1, IO_CHUNK, f)) > 0) {
        ot_xxh64_update(&h, raw, n);
        c->size += (long long)n;
        for (size_t i = 0; check && valid && i < n; i++) {
            unsigned char b = (unsigned char)raw[i];
            if (b == '\n')
                line++;
            else if (b >= 0x80 && !first)
                first = line;
            valid = io_utf8_step(&u, b);
        }
    }
    if (ferror(f))
        return ot_err_set(err, OT_EIO, "%s: %s", c->path, strerror(errno));
    c->hash = ot_xxh64_digest(&h);
    if (fseek(f, 0, SEEK_SET))
        return ot_err_set(err, OT_EIO, "%s: %s", c->path, strerror(errno));
    *utf8_line = check && valid && u.need == 0 && u.nonascii ? first : 0;
    return OT_OK;
}

/* 1 for an .xlsx workbook, 2 for an .xls one, 0 for CSV (by the name). */
static int workbook(const char *path)
{
    size_t n = strlen(path);
    if (n >= 5 && strcasecmp(path + n - 5, ".xlsx") == 0)
        return 1;
    if (n >= 4 && strcasecmp(path + n - 4, ".xls") == 0)
        return 2;
    return 0;
}

/* What a file's first bytes say it is, whatever its name. */
enum { K_TEXT, K_ZIP, K_OLE2, K_HTML };

static int sniff(const unsigned char *b, size_t n)
{
    if (n >= 4 && memcmp(b, "PK\x03\x04", 4) == 0)
        return K_ZIP;
    if (n >= 8 && memcmp(b, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0)
        return K_OLE2;
    size_t i = n >= 3 && memcmp(b, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    while (i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n'))
        i++;
    if (i < n && b[i] == '<') { /* a web page: <!DOCTYPE html>, <html>, <table> … */
        static const char *const tags[] = {"<html", "<table", "<!doctype html", "<meta"};
        for (size_t t = 0; t < sizeof tags / sizeof *tags; t++)
            for (size_t k = i; k + strlen(tags[t]) <= n; k++)
                if (strncasecmp((const char *)b + k, tags[t], strlen(tags[t])) == 0)
                    return K_HTML;
    }
    return K_TEXT;
}

/* A file whose content is not what its name says (a workbook renamed .csv,
 * an .xls that is an .xlsx, or a web page saved as .xls, as statistics web
 * sites offer their tables): one error naming what it is and what to do,
 * before any reader (and FreeXL, which is unsafe on what is not BIFF) sees
 * it.  Returns 1 when reported. */
static int misnamed(ctx *c, FILE *f, int book, char *raw)
{
    size_t n = fread(raw, 1, 1024, f);
    if (fseek(f, 0, SEEK_SET))
        return 0; /* the reader reports it */
    int k = sniff((const unsigned char *)raw, n);
    const char *what = NULL;
    if (book == 0 && k == K_ZIP)
        what = "expected CSV text, found an Excel .xlsx workbook (a zip file): give it a name "
               "ending in .xlsx to import it as one";
    else if (book == 0 && k == K_OLE2)
        what = "expected CSV text, found an Excel .xls workbook: give it a name ending in .xls "
               "to import it as one";
    else if (book == 1 && k == K_OLE2)
        what = "expected an Excel .xlsx workbook, found an .xls one (Excel 97-2003): give it a "
               "name ending in .xls";
    else if (book == 2 && k == K_ZIP)
        what = "expected an Excel .xls workbook, found an .xlsx one (a zip file): give it a name "
               "ending in .xlsx";
    else if (book == 0 && k == K_HTML)
        what = "expected CSV text, found a web page (HTML): save the page's table as CSV (or "
               "open the page in Excel or LibreOffice and save it as .xlsx)";
    else if (book && k == K_HTML)
        what = "expected an Excel workbook, found a web page (HTML) saved under a workbook's name, "
               "as web sites offer tables: open it in Excel or LibreOffice and save it as .xlsx "
               "or CSV";
    else if (book == 2 && k != K_OLE2)
        what = "expected an Excel .xls workbook, found something else (an .xls file starts with "
               "the bytes D0 CF 11 E0)";
    if (!what)
        return 0;
    c->rec_line = 0;
    io_bad(c, 0, "%s", what);
    return 1;
}

/* Imports one file inside the caller's transaction.  Data problems go to
 * c->errs; the return code is for failures that end the whole call. */
static int import_one(ot_store *st, const char *path, const ot_import_opts *o,
                      ot_import_stats *stats, ot_import_errors *errs, char *raw, char *dec,
                      ot_err *err)
{
    ctx c;
    memset(&c, 0, sizeof c);
    c.st = st;
    c.o = o;
    c.stats = stats;
    c.errs = errs;
    c.path = path;
    c.line = c.next_line = 1;
    c.ferr = err;
    c.measure = o->measure == OT_MEASURE_ANY ? OT_MEASURE_VALUE : o->measure;

    int rc = OT_OK;
    /* a file that is missing, not readable or not a file at all is missing
     * input (exit 66); a failure while reading one is an I/O error */
    FILE *f;
    if ((rc = io_open_input(path, "", &f, err)))
        return rc;
    long utf8_line = 0;
    if ((rc = hash_file(&c, f, raw, &utf8_line, err)))
        goto done;
    if (utf8_line) {
        stats->files++;
        c.rec_line = utf8_line;
        io_bad(&c, 0, "expected GBK/GB18030 text, found a file that is valid UTF-8 (import it "
                   "without --encoding gbk)");
        goto done;
    }
    stats->files++;
    int book = workbook(path);
    if (misnamed(&c, f, book, raw))
        goto done;
    if (book) {
        c.line = c.next_line = 0;
        rc = book == 1 ? io_xlsx_read(&c, err) : io_xls_read(&c, err);
        if (rc)
            goto done;
        if (!c.header_done && !c.stop && !c.fatal) {
            c.rec_line = 1;
            io_bad(&c, 0, "expected a header row, found an empty sheet");
        }
    } else {
        if ((rc = io_csv_read(&c, f, raw, dec, err)))
            goto done;
    }
    if (c.t && !c.fatal)
        io_table_end(&c);
    if (c.fmt == OT_FORMAT_LONG && !c.fatal && !c.stop)
        io_long_shape_end(&c);
    if (!c.fatal)
        io_janfeb_end(&c);
    if (c.fatal) {
        rc = c.fatal;
        goto done;
    }
    if (c.import_id && errs->count == 0) /* else the call rolls back */
        rc = ot_store_import_done(st, c.import_id, c.inserted, 0, err);
done:
    fclose(f);
    io_table_free(c.t);
    io_names_free(c.names);
    free(c.unit_key);
    free(c.freq_key);
    free(c.shape_key);
    free(c.sheet_owned);
    io_seen_clear(&c.seen);
    io_seen_clear(&c.janfeb);
    io_jans_free(&c);
    free(c.off);
    free(c.buf);
    return rc;
}

/* What the options ask of the call as a whole, before anything is read: a
 * map that cannot be read is an error even when no file of the call needs
 * one (a mistyped --map must not pass unnoticed, exit 66), and a sheet named
 * for a call without a workbook is a usage error (a CSV file has no sheets:
 * ignoring the name would import something else than was asked for). */
static int check_call(const char *const *paths, size_t n, const ot_import_opts *o, ot_err *err)
{
    if (o->sheet) {
        size_t i = 0;
        while (i < n && !workbook(paths[i]))
            i++;
        if (i == n) {
            char sb[96];
            return ot_err_set(err, OT_EINVAL,
                              "a sheet was named ('%s'), but no file is a workbook (.xlsx, "
                              ".xls): a CSV file has no sheets",
                              ot_fmt_shown(o->sheet, (size_t)-1, sb, sizeof sb));
        }
    }
    return o->map ? io_map_check(o->map, o->encoding, err) : OT_OK;
}

/* The transaction is the caller's unit of work: all files or none. */
int ot_import_files(ot_store *st, const char *const *paths, size_t n, const ot_import_opts *o,
                    ot_import_stats *st_out, ot_import_errors *errs, ot_err *err)
{
    static const ot_import_opts defaults = OT_IMPORT_OPTS_INIT;
    if (!o)
        o = &defaults;
    if (o->measure < OT_MEASURE_ANY || o->measure >= OT_MEASURE_COUNT)
        return ot_err_set(err, OT_EINVAL, "bad measure %d", (int)o->measure);
    ot_import_stats stats;
    memset(&stats, 0, sizeof stats);
    ot_import_errors *own = NULL;
    char *raw = malloc(IO_CHUNK + 16), *dec = malloc(2 * IO_CHUNK + 16);
    if (!errs)
        errs = own = malloc(sizeof *own);
    int rc = OT_OK;
    if (!raw || !dec || !errs) {
        rc = ot_err_set(err, OT_ENOMEM, "out of memory");
        goto done;
    }
    errs->count = errs->n = 0;
    if ((rc = check_call(paths, n, o, err)))
        goto done;
    if ((rc = ot_store_begin(st, err)))
        goto done;
    for (size_t i = 0; i < n && !rc; i++)
        rc = import_one(st, paths[i], o, &stats, errs, raw, dec, err);
    if (rc) {
        ot_store_rollback(st);
        goto done;
    }
    if (errs->count) {
        ot_store_rollback(st);
        if (err) {
            *err = errs->e[0];
            if (errs->count > 1) {
                size_t len = strlen(err->msg);
                snprintf(err->msg + len, sizeof err->msg - len, " (and %zu more error%s)",
                         errs->count - 1, errs->count == 2 ? "" : "s");
            }
        }
        rc = OT_EDATA;
        goto done;
    }
    if (o->dry_run)
        ot_store_rollback(st); /* everything checked, nothing kept */
    else
        rc = ot_store_commit(st, err);
done:
    if (!rc && st_out)
        *st_out = stats;
    free(own);
    free(dec);
    free(raw);
    return rc;
}

int ot_import_file(ot_store *st, const char *path, const ot_import_opts *o,
                   ot_import_stats *st_out, ot_import_errors *errs, ot_err *err)
{
    return ot_import_files(st, &path, 1, o, st_out, errs, err);
}
