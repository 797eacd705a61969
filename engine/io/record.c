/* record.c — the import context's shared helpers (import_int.h): the
 * current record (its fields appended by the CSV and workbook readers, then
 * handed to the format's row handler), the fields of it, and the two ways a
 * problem is recorded: a data problem at file:line:column (the call goes on
 * and rolls back at the end), or a failure that ends the call.  Owns no
 * state of its own; everything lives in the ctx.
 */
#include "io/import_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/series.h"
#include "core/text.h"
#include "io/fields.h"

const char *ot_import_col_letters(long col, char *buf)
{
    char tmp[8];
    int n = 0;
    while (col > 0 && n < 7) {
        tmp[n++] = (char)('A' + (col - 1) % 26);
        col = (col - 1) / 26;
    }
    for (int i = 0; i < n; i++)
        buf[i] = tmp[n - 1 - i];
    buf[n] = '\0';
    return buf;
}

/* Records a data problem at the current record, column col (0 = none).  In
 * a workbook the position is the cell, written after the sheet's name:
 * table.xlsx:Sheet1:C7 (line and col then 0, so the file part says all). */
void io_bad(ctx *c, long col, const char *fmt, ...)
{
    ot_import_errors *e = c->errs;
    if (e->n < OT_IMPORT_MAX_ERRORS) {
        ot_err *x = &e->e[e->n++];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(x->msg, sizeof x->msg, fmt, ap);
        va_end(ap);
        x->code = OT_EDATA;
        if (c->sheet) {
            char l[8];
            if (col > 0)
                snprintf(x->file, sizeof x->file, "%s:%s:%s%ld", c->path, c->sheet,
                         ot_import_col_letters(col, l), c->rec_line);
            else
                snprintf(x->file, sizeof x->file, "%s:%s:row %ld", c->path, c->sheet,
                         c->rec_line);
            x->line = x->col = 0;
        } else {
            snprintf(x->file, sizeof x->file, "%s", c->path);
            x->line = c->rec_line;
            x->col = col;
        }
    }
    e->count++;
}

/* Checks a series key at column col (core's one rule, ot_key_check).
 * Records the problem and returns 0 when bad. */
int io_key_ok(ctx *c, const char *key, long col)
{
    ot_err e;
    if (ot_key_check(key, (size_t)-1, &e) == OT_OK)
        return 1;
    io_bad(c, col, "%s", e.msg);
    return 0;
}

/* Records a failure that ends the import (I/O, memory, database). */
void io_fatal(ctx *c, const ot_err *e)
{
    if (!c->fatal) {
        if (c->ferr)
            *c->ferr = *e;
        c->fatal = e->code ? e->code : OT_EIO;
    }
    c->stop = 1;
}

void io_fatal_code(ctx *c, int code, const char *msg)
{
    ot_err e;
    ot_err_set(&e, code, "%s: %s", c->path, msg);
    io_fatal(c, &e);
}

/* Field i of the record (always NUL-terminated), "" when absent. */
const char *io_field(const ctx *c, size_t i)
{
    return i < c->nf ? c->buf + c->off[i] : "";
}

/* Whether rows still go to the store: until a failure that ends the call.
 * After a data problem they do, inside the transaction the call will roll
 * back, so that later duplicates and revisions are still found. */
int io_writing(const ctx *c)
{
    return !c->fatal;
}

int io_value_of(ctx *c, const char *s, long col, double *v)
{
    char sb[80];
    int r = io_parse_value(s, v);
    if (r == V_BAD)
        io_bad(c, col, "expected a number such as 1234.5, 1,234.5 or 12.3%%, found '%s'",
            io_shown(s, sb, sizeof sb));
    return r;
}

void io_add_field(ctx *c, const char *s, size_t len)
{
    if (c->stop)
        return;
    if (c->nf == c->fcap) {
        size_t nc = c->fcap ? 2 * c->fcap : 32;
        size_t *no = realloc(c->off, nc * sizeof *no);
        if (!no) {
            io_fatal_code(c, OT_ENOMEM, "out of memory");
            return;
        }
        c->off = no;
        c->fcap = nc;
    }
    if (c->blen + len + 1 > c->bcap) {
        size_t nc = c->bcap ? c->bcap : 1024;
        while (nc < c->blen + len + 1)
            nc *= 2;
        char *nb = realloc(c->buf, nc);
        if (!nb) {
            io_fatal_code(c, OT_ENOMEM, "out of memory");
            return;
        }
        c->buf = nb;
        c->bcap = nc;
    }
    if (memchr(s, '\0', len)) /* a C string would cut it short: not storable as given */
        io_bad(c, (long)c->nf + 1, "expected text, found a NUL byte");
    c->off[c->nf++] = c->blen;
    if (len)
        memcpy(c->buf + c->blen, s, len);
    c->buf[c->blen + len] = '\0';
    c->blen += len + 1;
}

void io_record(ctx *c)
{
    if (c->stop) {
        c->nf = c->blen = 0;
        return;
    }
    if (!c->header_done)
        io_header(c);
    else if (c->fmt == OT_FORMAT_WIDE)
        io_table_record(c);
    else
        io_named_row(c);
    c->nf = c->blen = 0;
}
