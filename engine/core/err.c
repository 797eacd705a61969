/* err.c — the error record, exit-code mapping, the default allocator and
 * the nearest name for "did you mean". */
#include "core/err.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ot_err_clear(ot_err *err)
{
    if (!err)
        return;
    err->code = OT_OK;
    err->line = err->col = 0;
    err->file[0] = '\0';
    err->msg[0] = '\0';
}

static int setv(ot_err *err, int code, const char *file, long line, long col,
                const char *fmt, va_list ap)
{
    if (!err)
        return code;
    err->code = code;
    err->line = line;
    err->col = col;
    snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    return code;
}

int ot_err_set(ot_err *err, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    setv(err, code, NULL, 0, 0, fmt, ap);
    va_end(ap);
    return code;
}

int ot_err_setloc(ot_err *err, int code, const char *file, long line, long col,
                  const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    setv(err, code, file, line, col, fmt, ap);
    va_end(ap);
    return code;
}

void ot_err_format(const ot_err *err, char *buf, size_t cap)
{
    if (cap == 0)
        return;
    if (!err) {
        buf[0] = '\0';
        return;
    }
    if (err->file[0] && err->line > 0 && err->col > 0)
        snprintf(buf, cap, "%s:%ld:%ld: %s", err->file, err->line, err->col, err->msg);
    else if (err->file[0] && err->line > 0)
        snprintf(buf, cap, "%s:%ld: %s", err->file, err->line, err->msg);
    else if (err->file[0])
        snprintf(buf, cap, "%s: %s", err->file, err->msg);
    else
        snprintf(buf, cap, "%s", err->msg);
}

int ot_err_exit_code(int code)
{
    switch (code) {
    case OT_OK:        return 0;
    case OT_EINVAL:    return 2;
    case OT_EDATA:     return 65;
    case OT_ENOTFOUND: return 66;
    case OT_EIO:       return 74;
    case OT_ELOCKED:   return 75;
    default:           return 1;
    }
}

static void *std_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    (void)ud;
    (void)osize;
    if (nsize == 0) {
        free(ptr);
        return NULL;
    }
    return realloc(ptr, nsize);
}

const ot_alloc ot_alloc_std = {std_alloc, NULL};

void *ot_malloc(const ot_alloc *a, size_t n)
{
    if (!a)
        a = &ot_alloc_std;
    return n ? a->f(a->ud, NULL, 0, n) : NULL;
}

void *ot_realloc(const ot_alloc *a, void *p, size_t oldn, size_t newn)
{
    if (!a)
        a = &ot_alloc_std;
    if (newn == 0) {
        ot_free(a, p, oldn);
        return NULL;
    }
    return a->f(a->ud, p, p ? oldn : 0, newn);
}

void ot_free(const ot_alloc *a, void *p, size_t n)
{
    if (!p)
        return;
    if (!a)
        a = &ot_alloc_std;
    a->f(a->ud, p, n, 0);
}

char *ot_strdup(const ot_alloc *a, const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *p = ot_malloc(a, n);
    if (p)
        memcpy(p, s, n);
    return p;
}

/* Rows are cut short once every entry of one exceeds max. */
int ot_edit_distance(const char *a, const char *b, int max)
{
    size_t la = strlen(a), lb = strlen(b);
    if ((la > lb ? la - lb : lb - la) > (size_t)max || lb > 256)
        return INT_MAX;
    int row[257];
    for (size_t j = 0; j <= lb; j++)
        row[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        int diag = row[0], best = row[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int up = row[j];
            int d = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < d)
                d = up + 1;
            if (row[j - 1] + 1 < d)
                d = row[j - 1] + 1;
            row[j] = d;
            diag = up;
            if (d < best)
                best = d;
        }
        if (best > max)
            return INT_MAX;
    }
    return row[lb] <= max ? row[lb] : INT_MAX;
}

const char *ot_nearest_name(const char *got, const char *const names[])
{
    int max = (int)strlen(got) / 3, best = INT_MAX;
    if (max < 2)
        max = 2;
    const char *near = NULL;
    for (size_t i = 0; names[i]; i++) {
        int d = ot_edit_distance(got, names[i], max);
        if (d < best) {
            best = d;
            near = names[i];
        }
    }
    return near;
}
