/* xls.c — .xls workbooks (Excel 97-2003, BIFF) read as records with
 * libfreexl.  FreeXL reads the whole sheet on open (an .xls sheet holds at
 * most 65,536 rows), then each cell is asked for by row and column and the
 * row handed to io_record as one record, as xlsx.c does: numbers as their
 * shortest exact text, dates as YYYY-MM-DD, text as UTF-8, positions
 * sheet:cell.
 *
 * FreeXL is not safe on malformed files: a damaged BIFF record makes it
 * read out of bounds, even crash (Debian's 1.0.6; docs/dependencies.md).
 * So it runs in a child process that only reads the workbook and writes
 * its rows down a pipe; the import (and the store's open transaction) stays
 * in this process.  A child that dies is one error at the file — a damaged
 * workbook — never a crash of the import, nor memory it may have spoilt.
 */
#include "io/import_int.h"

#include <errno.h>
#include <freexl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/text.h"

/* The messages down the pipe: a type byte, a 32-bit length, the payload.
 * A row's payload is its number and field count, then each field as a
 * length and its bytes (up to its last non-empty cell). */
enum {
    M_BAD = 'B',   /* a problem with the file: the message */
    M_SHEET = 'N', /* the sheet read: its name */
    M_ROWS = 'D',  /* the number of rows (for progress) */
    M_ROW = 'R',
    M_END = 'Z' /* every row was sent */
};

/* ---- the child: FreeXL to the pipe ---------------------------------------- */

typedef struct wbuf {
    int fd;
    char *p;
    size_t n, cap;
    int failed;
} wbuf;

static void w_bytes(wbuf *w, const void *s, size_t n)
{
    if (w->failed)
        return;
    if (w->n + n > w->cap) {
        size_t cap = w->cap ? w->cap : 4096;
        while (cap < w->n + n)
            cap *= 2;
        char *p = realloc(w->p, cap);
        if (!p) {
            w->failed = 1;
            return;
        }
        w->p = p;
        w->cap = cap;
    }
    memcpy(w->p + w->n, s, n);
    w->n += n;
}

static void w_u32(wbuf *w, uint32_t v)
{
    w_bytes(w, &v, sizeof v);
}

/* Writes the buffer as one message of type t and empties it. */
static void w_send(wbuf *w, char t)
{
    uint32_t len = (uint32_t)w->n;
    char head[5];
    head[0] = t;
    memcpy(head + 1, &len, 4);
    const char *parts[2] = {head, w->p};
    size_t sizes[2] = {5, w->n};
    for (int k = 0; k < 2 && !w->failed; k++)
        for (size_t off = 0; off < sizes[k];) {
            ssize_t r = write(w->fd, parts[k] + off, sizes[k] - off);
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0) {
                w->failed = 1;
                break;
            }
            off += (size_t)r;
        }
    w->n = 0;
}

static void w_text(wbuf *w, char t, const char *s)
{
    w->n = 0;
    w_bytes(w, s, strlen(s));
    w_send(w, t);
}

/* Reads the workbook at path (the sheet named, or the first) and writes
 * its rows to fd.  Runs in the child; returns its exit status. */
static int child_read(const char *path, const char *want, int fd)
{
    wbuf w = {fd, NULL, 0, 0, 0};
    const void *h = NULL;
    char msg[768];
    if (freexl_open(path, &h) != FREEXL_OK) {
        w_text(&w, M_BAD, "expected an Excel .xls workbook, found something FreeXL cannot read");
        goto done;
    }
    unsigned int nsheets = 0;
    freexl_get_info(h, FREEXL_BIFF_SHEET_COUNT, &nsheets);
    int pick = -1;
    char names[512] = "";
    const char *name = NULL;
    for (unsigned int i = 0; i < nsheets && i < 65536; i++) {
        const char *n = NULL;
        if (freexl_get_worksheet_name(h, (unsigned short)i, &n) != FREEXL_OK || !n)
            continue;
        size_t l = strlen(names);
        snprintf(names + l, sizeof names - l, "%s'%s'", l ? ", " : "", n);
        if (pick < 0 && (!want || strcmp(n, want) == 0)) {
            pick = (int)i;
            name = n;
        }
    }
    if (pick < 0) {
        if (want)
            snprintf(msg, sizeof msg, "no sheet '%s' (the workbook has %s)", want,
                     names[0] ? names : "none");
        else
            snprintf(msg, sizeof msg, "expected a sheet, found none");
        w_text(&w, M_BAD, msg);
        goto done;
    }
    w_text(&w, M_SHEET, name);
    unsigned int rows = 0;
    unsigned short cols = 0;
    if (freexl_select_active_worksheet(h, (unsigned short)pick) != FREEXL_OK ||
        freexl_worksheet_dimensions(h, &rows, &cols) != FREEXL_OK) {
        snprintf(msg, sizeof msg, "cannot read the sheet '%s'", name);
        w_text(&w, M_BAD, msg);
        goto done;
    }
    w_u32(&w, rows);
    w_send(&w, M_ROWS);
    wbuf row = {fd, NULL, 0, 0, 0};
    for (unsigned int r = 0; r < rows && !w.failed && !row.failed; r++) {
        row.n = 0;
        w_u32(&row, r);
        w_u32(&row, 0); /* the field count, set below */
        uint32_t nf = 0;
        size_t keep = row.n; /* the bytes up to the last non-empty field */
        for (unsigned short k = 0; k < cols; k++) {
            FreeXL_CellValue v;
            char num[OT_FMT_DOUBLE_MAX];
            const char *s = "";
            if (freexl_get_cell_value(h, r, k, &v) == FREEXL_OK) {
                switch (v.type) {
                case FREEXL_CELL_INT:
                    snprintf(num, sizeof num, "%d", v.value.int_value);
                    s = num;
                    break;
                case FREEXL_CELL_DOUBLE:
                    s = ot_fmt_double(v.value.double_value, num, sizeof num);
                    break;
                case FREEXL_CELL_TEXT:
                case FREEXL_CELL_SST_TEXT:
                case FREEXL_CELL_DATE:
                case FREEXL_CELL_DATETIME:
                case FREEXL_CELL_TIME:
                    s = v.value.text_value ? v.value.text_value : "";
                    break;
                default:
                    break;
                }
            }
            size_t len = strlen(s);
            w_u32(&row, (uint32_t)len);
            w_bytes(&row, s, len);
            if (len) { /* empty cells after the last filled one are left out */
                nf = (uint32_t)k + 1;
                keep = row.n;
            }
        }
        row.n = keep;
        if (!row.failed)
            memcpy(row.p + 4, &nf, 4);
        w_send(&row, M_ROW);
    }
    if (!row.failed)
        w_send(&w, M_END);
    w.failed |= row.failed;
    free(row.p);
done:
    if (h)
        freexl_close(h);
    free(w.p);
    return w.failed ? 1 : 0;
}

/* ---- the parent: the pipe to records -------------------------------------- */

static int r_exact(FILE *f, void *p, size_t n)
{
    return n == 0 || fread(p, 1, n, f) == n;
}

/* Reads one message: its type in *t and payload in *buf (grown as needed).
 * 0 at the end of the pipe or on a short message. */
static int r_msg(FILE *f, char *t, char **buf, size_t *cap, uint32_t *len)
{
    char head[5];
    if (!r_exact(f, head, 5))
        return 0;
    *t = head[0];
    memcpy(len, head + 1, 4);
    if (*len + 1 > *cap) {
        char *p = realloc(*buf, (size_t)*len + 1);
        if (!p)
            return -1;
        *buf = p;
        *cap = (size_t)*len + 1;
    }
    if (!r_exact(f, *buf, *len))
        return 0;
    (*buf)[*len] = '\0';
    return 1;
}

/* One row message into the context's record; 0, or 1 when malformed. */
static int row_record(ctx *c, const char *p, uint32_t len, size_t *width)
{
    uint32_t r, nf;
    if (len < 8)
        return 1;
    memcpy(&r, p, 4);
    memcpy(&nf, p + 4, 4);
    c->line = c->rec_line = (long)r + 1;
    size_t off = 8;
    for (uint32_t k = 0; k < nf; k++) {
        uint32_t fl;
        if (len - off < 4)
            return 1;
        memcpy(&fl, p + off, 4);
        off += 4;
        if (len - off < fl)
            return 1;
        io_add_field(c, p + off, fl);
        off += fl;
    }
    if (nf == 0) { /* an empty row: as a blank line in CSV */
        c->nf = c->blen = 0;
        return 0;
    }
    if (nf > *width)
        *width = nf;
    while (c->nf < *width) /* padded to the widest row so far (the header), as xlsx.c */
        io_add_field(c, "", 0);
    io_record(c);
    return 0;
}

int io_xls_read(ctx *c, ot_err *err)
{
    c->rec_line = 0;
    int fds[2];
    if (pipe(fds) != 0)
        return ot_err_set(err, OT_EIO, "%s: cannot start the .xls reader: %s", c->path,
                          strerror(errno));
    fflush(NULL); /* nothing buffered is written twice */
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return ot_err_set(err, OT_EIO, "%s: cannot start the .xls reader: %s", c->path,
                          strerror(errno));
    }
    if (pid == 0) {
        close(fds[0]);
        signal(SIGPIPE, SIG_IGN); /* the parent stopped reading: a write fails, we end */
        _exit(child_read(c->path, c->o->sheet, fds[1]));
    }
    close(fds[1]);
    FILE *f = fdopen(fds[0], "rb");
    if (!f) {
        close(fds[0]);
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        return ot_err_set(err, OT_ENOMEM, "out of memory");
    }
    const ot_import_report *rp = c->o->report;
    char *buf = NULL;
    size_t cap = 0, width = 0;
    uint32_t len = 0, rows = 0;
    char t = 0;
    int got = 0, ended = 0, bad = 0, rc = OT_OK;
    while (!c->stop && !c->fatal && (got = r_msg(f, &t, &buf, &cap, &len)) > 0) {
        if (t == M_BAD) {
            io_bad(c, 0, "%s", buf);
            c->stop = 1;
            ended = 1;
        } else if (t == M_SHEET) {
            free(c->sheet_owned);
            if (!(c->sheet_owned = strdup(buf))) {
                rc = ot_err_set(err, OT_ENOMEM, "out of memory");
                break;
            }
            c->sheet = c->sheet_owned;
        } else if (t == M_ROWS && len == 4) {
            memcpy(&rows, buf, 4);
        } else if (t == M_ROW) {
            if ((bad = row_record(c, buf, len, &width)))
                break;
            if (rp && rp->progress && (c->rec_line & 1023) == 1)
                rp->progress(rp->ud, c->path, (long long)c->rec_line - 1, (long long)rows);
        } else if (t == M_END) {
            ended = 1;
            break;
        } else {
            bad = 1;
            break;
        }
    }
    if (got < 0 && !rc)
        rc = ot_err_set(err, OT_ENOMEM, "out of memory");
    free(buf);
    fclose(f); /* the child, if still writing, gets EPIPE and ends */
    if (!ended || c->stop || c->fatal || rc)
        kill(pid, SIGKILL);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (rc || c->stop || c->fatal)
        return rc;
    if (!ended || bad) {
        c->rec_line = 0;
        /* killed by a signal, or (under a sanitizer, whose handler
         * catches the fault) ended with a status */
        char how[48];
        if (WIFSIGNALED(status))
            snprintf(how, sizeof how, "signal %d", WTERMSIG(status));
        else
            snprintf(how, sizeof how, "exit status %d", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        io_bad(c, 0, "expected an Excel .xls workbook, found a damaged one: FreeXL failed on it "
                     "(%s); open it in Excel or LibreOffice and save it again, or as .xlsx",
               how);
        c->stop = 1;
    }
    return OT_OK;
}
