/* buf.c — a growing byte string (buf.h). */
#include "core/buf.h"

#include <stdlib.h>
#include <string.h>

int ot_buf_add(ot_buf *b, const char *s, size_t n)
{
    if (b->oom)
        return -1;
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->n + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->oom = 1;
            return -1;
        }
        b->p = p;
        b->cap = cap;
    }
    if (n)
        memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
    return 0;
}
