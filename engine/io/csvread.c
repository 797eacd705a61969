/* csvread.c — a CSV file's bytes into records: decoded (GBK/GB18030
 * through iconv, a UTF-8 BOM skipped, UTF-16 refused), fed to libcsv one
 * physical line at a time so that the line of every record is known exactly,
 * each field checked (length, UTF-8) and appended to the record, each record
 * handed to io_record.  One fixed read buffer and one decode buffer, given
 * by the caller; a field is at most FIELD_MAX bytes, so memory stays flat
 * whatever the file size.
 */
#include "io/import_int.h"

#include <csv.h>
#include <errno.h>
#include <iconv.h>
#include <string.h>

#include "io/fields.h"

/* The longest field accepted.  libcsv would grow its field buffer without
 * bound (and quadratically slowly, 128 bytes a step by default), so a longer
 * field is an error: memory stays within about FIELD_MAX + IO_CHUNK. */
#define FIELD_MAX (1 << 20)
/* Raw bytes a field may take before it is surely longer than FIELD_MAX
 * (a quoted field writes each quote twice), checked while streaming so
 * memory stays bounded; the exact limit is checked on the finished field. */
#define FIELD_RAW_MAX (2 * FIELD_MAX + IO_CHUNK + 2)

/* ---- libcsv callbacks --------------------------------------------------- */

/* Line breaks (LF, CR LF, CR) inside the text of a quoted field. */
static long breaks(const char *s, size_t len)
{
    long n = 0;
    for (size_t i = 0; i < len; i++)
        if (s[i] == '\n' || (s[i] == '\r' && (i + 1 == len || s[i + 1] != '\n')))
            n++;
    return n;
}

/* libcsv: a field ends.  Checks its length (exactly FIELD_MAX) and its
 * UTF-8, then appends it to the record. */
static void on_field(void *s, size_t len, void *data)
{
    ctx *c = data;
    c->unended = 0;
    if (c->stop)
        return;
    if (c->nf == 0)
        c->rec_line = c->line - breaks(s, len);
    if (len > FIELD_MAX) {
        io_bad(c, (long)c->nf + 1, "expected a field of at most %d bytes, found one of %zu bytes",
               FIELD_MAX, len);
        c->stop = 1;
        return;
    }
    io_add_field(c, s, len);
    if (c->o->encoding == OT_ENCODING_UTF8 && !c->row_bad && !c->stop) {
        size_t at = io_utf8_check((const unsigned char *)s, len);
        if (at < len) {
            io_bad(c, (long)c->nf,
                   "expected UTF-8 text, found byte 0x%02X (if the file is GBK or GB18030, import "
                   "it with --encoding gbk)",
                   ((const unsigned char *)s)[at]);
            c->stop = 1; /* the rest of the file is in the same encoding */
        }
    }
}

/* libcsv: a record ends. */
static void on_record(int term, void *data)
{
    ctx *c = data;
    (void)term;
    io_record(c);
    c->next_line = c->line + 1;
}

/* ---- reading a file ----------------------------------------------------- */

/* Feeds decoded UTF-8 to libcsv one physical line at a time (the line count
 * stays exact).  A line ends at LF, CR LF or a CR alone (old Mac files), as
 * for libcsv; a CR LF split across two calls counts once (c->cr).  Returns
 * -1 on a CSV syntax error (recorded). */
static int feed(ctx *c, struct csv_parser *p, const char *data, size_t n)
{
    while (n && !c->stop) {
        size_t i = 0;
        while (i < n && data[i] != '\n' && data[i] != '\r')
            i++;
        size_t k = i < n ? i + 1 : n;
        if (csv_parse(p, data, k, on_field, on_record, c) != k) {
            if (csv_error(p) == CSV_EPARSE) {
                c->rec_line = c->line;
                io_bad(c, 0, "malformed quoted field (a quote inside a quoted field is written \"\")");
            } else
                io_fatal_code(c, OT_ENOMEM, csv_strerror(csv_error(p)));
            c->stop = 1;
            return -1;
        }
        if ((c->unended += k) > FIELD_RAW_MAX) {
            c->rec_line = c->nf ? c->rec_line : c->next_line;
            io_bad(c, (long)c->nf + 1, "expected a field of at most %d bytes, found a longer one",
                FIELD_MAX);
            c->stop = 1;
            return -1;
        }
        if (i < n) {
            if (data[i] == '\r')
                c->line++;
            else if (!(c->cr && i == 0))
                c->line++;
            c->cr = data[i] == '\r';
        } else
            c->cr = 0;
        data += k;
        n -= k;
    }
    return 0;
}

/* Pass 2: decode (GBK through iconv), skip a UTF-8 BOM, parse. */
static void parse_file(ctx *c, FILE *f, struct csv_parser *p, char *raw, char *dec, iconv_t cd)
{
    size_t carry = 0, n;
    int first = 1;
    long long done = 0;
    const ot_import_report *rp = c->o->report;
    while (!c->stop && (n = fread(raw + carry, 1, IO_CHUNK, f)) > 0) {
        done += (long long)n;
        if (rp && rp->progress)
            rp->progress(rp->ud, c->path, done, c->size);
        char *data = raw;
        size_t len = carry + n;
        carry = 0;
        if (first && len >= 2 && ((unsigned char)data[0] == 0xFF || (unsigned char)data[0] == 0xFE) &&
            (unsigned char)data[1] == ((unsigned char)data[0] ^ 0x01)) {
            /* Excel's "Unicode text": neither UTF-8 nor GBK, and every
             * other byte NUL; one error instead of a misleading hint */
            c->rec_line = 1;
            io_bad(c, 0, "expected UTF-8 or GBK text, found UTF-16 (the file starts with the "
                         "byte-order mark %02X %02X): save it as CSV UTF-8, or convert it with "
                         "iconv -f UTF-16 -t UTF-8",
                   (unsigned char)data[0], (unsigned char)data[1]);
            c->stop = 1;
            return;
        }
        if (cd != (iconv_t)-1) {
            char *in = raw, *out = dec;
            size_t inleft = len, outleft = 2 * IO_CHUNK + 16;
            /* a byte-order mark: a UTF-8 one (EF BB BF, which GB18030 would
             * read as 锘 and more), or GB18030's own (84 31 95 33, U+FEFF) */
            if (first && len >= 3 && memcmp(in, "\xEF\xBB\xBF", 3) == 0)
                in += 3, inleft -= 3;
            else if (first && len >= 4 && memcmp(in, "\x84\x31\x95\x33", 4) == 0)
                in += 4, inleft -= 4;
            first = 0;
            size_t r = iconv(cd, &in, &inleft, &out, &outleft);
            int e = r == (size_t)-1 ? errno : 0;
            feed(c, p, dec, (size_t)(out - dec));
            if (e == EILSEQ) {
                /* the text before the bad byte was parsed (unless a problem
                 * stopped the file there): it is in the field after those
                 * of the record so far */
                c->rec_line = c->line;
                if (!c->stop)
                    io_bad(c, (long)c->nf + 1, "expected GBK/GB18030 text, found byte 0x%02X",
                           (unsigned char)*in);
                c->stop = 1;
                return;
            }
            if (e == E2BIG || inleft > 8) { /* cannot happen: output room is 2x input */
                io_fatal_code(c, OT_EIO, "iconv: conversion buffer too small");
                return;
            }
            /* EINVAL: a character cut by the chunk end, kept for the next */
            memmove(raw, in, inleft);
            carry = inleft;
            continue;
        }
        if (first && len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
            data += 3;
            len -= 3;
        }
        first = 0;
        feed(c, p, data, len);
    }
    if (ferror(f)) {
        io_fatal_code(c, OT_EIO, strerror(errno));
        return;
    }
    if (c->stop)
        return;
    if (carry) {
        c->rec_line = c->line;
        io_bad(c, 0, "expected GBK/GB18030 text, found a character cut short at the end of the file");
        return;
    }
    if (csv_fini(p, on_field, on_record, c) != 0 && !c->stop) {
        c->rec_line = c->next_line;
        io_bad(c, 0, "expected a closing quote, found the end of the file");
    }
    if (!c->header_done && !c->stop) {
        c->rec_line = 1;
        io_bad(c, 0, "expected a header row, found an empty file");
    }
}

/* Sets up the decoder (GBK only) and libcsv (strict: a stray quote is an
 * error), parses the file, releases both. */
int io_csv_read(ctx *c, FILE *f, char *raw, char *dec, ot_err *err)
{
    struct csv_parser p;
    iconv_t cd = (iconv_t)-1;
    if (c->o->encoding == OT_ENCODING_GBK && (cd = iconv_open("UTF-8", "GB18030")) == (iconv_t)-1)
        return ot_err_set(err, OT_EIO, "%s: iconv cannot convert GB18030: %s", c->path,
                          strerror(errno));
    int rc = OT_OK;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL)) {
        rc = ot_err_set(err, OT_ENOMEM, "out of memory");
        goto done;
    }
    csv_set_blk_size(&p, IO_CHUNK);
    parse_file(c, f, &p, raw, dec, cd);
    csv_free(&p);
done:
    if (cd != (iconv_t)-1)
        iconv_close(cd);
    return rc;
}
