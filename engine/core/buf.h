/* buf.h — a growing byte string: what an Excel reader collects of a sheet
 * and a text table is laid out in.  Memory from realloc; free(b.p) when
 * done.
 */
#ifndef OT_CORE_BUF_H
#define OT_CORE_BUF_H

#include <stddef.h>

/* {0} is empty (p NULL).  Once anything is added, even 0 bytes, p[n] is a
 * NUL.  oom: memory ran out; nothing is added after that. */
typedef struct ot_buf {
    char *p;
    size_t n, cap;
    int oom;
} ot_buf;

/* Appends s[0..n) (which may hold NULs); the capacity doubles from 256.
 * 0, or -1 with b->oom set when memory runs out (or had run out). */
int ot_buf_add(ot_buf *b, const char *s, size_t n);

#endif
