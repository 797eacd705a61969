/* table.c — aligned plain-text tables, display-width aware (utf8proc). */
#include "report/table.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "core/buf.h"

struct ot_table {
    size_t ncols;
    char **head;    /* ncols cells or NULL */
    char ***rows;   /* nrows entries: ncols cells, or NULL for a rule */
    size_t nrows, cap;
    unsigned char *right;
};

size_t ot_display_width(const char *s)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    size_t w = 0;
    while (*p) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate(p, -1, &c);
        if (k <= 0) { /* invalid byte: one column, move on */
            w++;
            p++;
            continue;
        }
        int cw = utf8proc_charwidth(c);
        w += cw > 0 ? (size_t)cw : 0;
        p += k;
    }
    return w;
}

char *ot_fmt_num(double x, int decimals, char *buf, size_t cap)
{
    if (cap == 0)
        return buf;
    if (isnan(x)) {
        buf[0] = '\0';
        return buf;
    }
    int n = snprintf(buf, cap, "%.*f", decimals, x);
    if (n > 0 && (size_t)n < cap && strchr(buf, '.')) {
        char *e = buf + n - 1;
        while (*e == '0')
            *e-- = '\0';
        if (*e == '.')
            *e = '\0';
    }
    if (strcmp(buf, "-0") == 0)
        strcpy(buf, "0");
    return buf;
}

char *ot_fmt_clip(const char *s, size_t maxw, char *buf, size_t cap)
{
    if (cap == 0)
        return buf;
    if (ot_display_width(s) <= maxw && strlen(s) < cap) {
        memcpy(buf, s, strlen(s) + 1);
        return buf;
    }
    /* Keep whole characters while they fit in maxw - 1 columns and the
     * buffer has room for them and the 3-byte ellipsis. */
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    size_t w = 0, n = 0;
    while (*p) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate(p, -1, &c);
        int cw = k > 0 ? utf8proc_charwidth(c) : 1;
        if (k <= 0)
            k = 1;
        if (w + (size_t)(cw > 0 ? cw : 0) + 1 > maxw || n + (size_t)k + 4 > cap)
            break;
        w += (size_t)(cw > 0 ? cw : 0);
        n += (size_t)k;
        p += k;
    }
    memcpy(buf, s, n);
    memcpy(buf + n, "\xe2\x80\xa6", 4); /* … */
    return buf;
}

ot_table *ot_table_new(size_t ncols, ot_err *err)
{
    ot_table *t = calloc(1, sizeof *t);
    if (t && !(t->right = calloc(ncols ? ncols : 1, 1))) {
        free(t);
        t = NULL;
    }
    if (!t) {
        ot_err_set(err, OT_ENOMEM, "out of memory");
        return NULL;
    }
    t->ncols = ncols;
    return t;
}

static void free_cells(char **cells, size_t n)
{
    if (!cells)
        return;
    for (size_t i = 0; i < n; i++)
        free(cells[i]);
    free(cells);
}

void ot_table_free(ot_table *t)
{
    if (!t)
        return;
    free_cells(t->head, t->ncols);
    for (size_t i = 0; i < t->nrows; i++)
        free_cells(t->rows[i], t->ncols);
    free(t->rows);
    free(t->right);
    free(t);
}

/* Returns a new array of copies of cells (NULL cells become ""), each
 * control character (a line break, a tab, an escape sequence's ESC) made a
 * space: a cell is one line of the table, and data (a label from a CSV
 * cell) may neither break a row nor drive the terminal. */
static char **copy_cells(const char *const *cells, size_t n)
{
    char **c = calloc(n ? n : 1, sizeof *c);
    if (!c)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (!(c[i] = strdup(cells[i] ? cells[i] : ""))) {
            free_cells(c, n);
            return NULL;
        }
        for (unsigned char *p = (unsigned char *)c[i]; *p; p++)
            if (*p < 0x20 || *p == 0x7f)
                *p = ' ';
    }
    return c;
}

int ot_table_header(ot_table *t, const char *const *cells, ot_err *err)
{
    char **c = copy_cells(cells, t->ncols);
    if (!c)
        return ot_err_set(err, OT_ENOMEM, "out of memory");
    free_cells(t->head, t->ncols);
    t->head = c;
    return OT_OK;
}

static int push(ot_table *t, char **cells, ot_err *err)
{
    if (t->nrows == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 16;
        char ***r = realloc(t->rows, cap * sizeof *r);
        if (!r) {
            free_cells(cells, t->ncols);
            return ot_err_set(err, OT_ENOMEM, "out of memory");
        }
        t->rows = r;
        t->cap = cap;
    }
    t->rows[t->nrows++] = cells;
    return OT_OK;
}

int ot_table_row(ot_table *t, const char *const *cells, ot_err *err)
{
    char **c = copy_cells(cells, t->ncols);
    if (!c)
        return ot_err_set(err, OT_ENOMEM, "out of memory");
    return push(t, c, err);
}

int ot_table_rule(ot_table *t, ot_err *err)
{
    return push(t, NULL, err);
}

void ot_table_right(ot_table *t, size_t col)
{
    if (col < t->ncols)
        t->right[col] = 1;
}

size_t ot_table_rows(const ot_table *t)
{
    size_t n = 0;
    for (size_t i = 0; i < t->nrows; i++)
        n += t->rows[i] != NULL;
    return n;
}

static void pad(ot_buf *b, size_t n)
{
    static const char spaces[] = "                                ";
    while (n > 0) {
        size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;
        ot_buf_add(b, spaces, k);
        n -= k;
    }
}

static void put_line(ot_buf *b, const ot_table *t, char **cells, const size_t *w)
{
    size_t last = t->ncols;
    while (last > 0 && !cells[last - 1][0])
        last--; /* no trailing blanks */
    for (size_t j = 0; j < last; j++) {
        size_t cw = ot_display_width(cells[j]);
        size_t gap = w[j] > cw ? w[j] - cw : 0;
        if (j > 0)
            ot_buf_add(b, "  ", 2);
        if (t->right[j])
            pad(b, gap);
        ot_buf_add(b, cells[j], strlen(cells[j]));
        if (!t->right[j] && j + 1 < last)
            pad(b, gap);
    }
    ot_buf_add(b, "\n", 1);
}

static int render(const ot_table *t, ot_buf *b)
{
    size_t *w = calloc(t->ncols ? t->ncols : 1, sizeof *w);
    if (!w)
        return OT_ENOMEM;
    for (size_t j = 0; j < t->ncols; j++) {
        if (t->head && ot_display_width(t->head[j]) > w[j])
            w[j] = ot_display_width(t->head[j]);
        for (size_t i = 0; i < t->nrows; i++)
            if (t->rows[i] && ot_display_width(t->rows[i][j]) > w[j])
                w[j] = ot_display_width(t->rows[i][j]);
    }
    size_t total = 0;
    for (size_t j = 0; j < t->ncols; j++)
        total += w[j] + (j ? 2 : 0);
    if (t->head) {
        put_line(b, t, t->head, w);
        for (size_t k = 0; k < total; k++)
            ot_buf_add(b, "-", 1);
        ot_buf_add(b, "\n", 1);
    }
    for (size_t i = 0; i < t->nrows; i++) {
        if (t->rows[i]) {
            put_line(b, t, t->rows[i], w);
        } else {
            for (size_t k = 0; k < total; k++)
                ot_buf_add(b, "-", 1);
            ot_buf_add(b, "\n", 1);
        }
    }
    free(w);
    return b->oom ? OT_ENOMEM : OT_OK;
}

char *ot_table_string(const ot_table *t, ot_err *err)
{
    ot_buf b = {0}; /* print goes through the string: both are the same bytes */
    ot_buf_add(&b, "", 0);
    if (render(t, &b) != OT_OK) {
        free(b.p);
        ot_err_set(err, OT_ENOMEM, "out of memory");
        return NULL;
    }
    return b.p;
}

int ot_table_print(const ot_table *t, FILE *f)
{
    ot_err err;
    char *s = ot_table_string(t, &err);
    if (!s)
        return OT_ENOMEM;
    int rc = fputs(s, f) < 0 ? OT_EIO : OT_OK;
    free(s);
    return rc;
}
