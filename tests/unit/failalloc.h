/* failalloc.h — the failing allocator the unit tests share.
 *
 * An ot_alloc function (lua_Alloc's contract) over malloc that fails call
 * number fail_at (1-based; 0 = never) and keeps count of what is still
 * allocated, in blocks and in bytes by the sizes the caller reports — so a
 * test can fail allocation N = 1, 2, ... until the call succeeds and check
 * that nothing leaked and every free passed the right size.
 */
#ifndef OT_TESTS_FAILALLOC_H
#define OT_TESTS_FAILALLOC_H

#include <stdlib.h>

typedef struct failalloc {
    long calls;       /* allocations and reallocations asked for */
    long fail_at;     /* the call that returns NULL; 0 = none */
    long long blocks; /* blocks not yet freed */
    long long bytes;  /* bytes not yet freed */
} failalloc;

static inline void *failalloc_f(void *ud, void *ptr, size_t osize, size_t nsize)
{
    failalloc *f = ud;
    if (nsize == 0) {
        if (ptr) {
            f->blocks--;
            f->bytes -= (long long)osize;
        }
        free(ptr);
        return NULL;
    }
    if (++f->calls == f->fail_at)
        return NULL;
    void *p = realloc(ptr, nsize);
    if (p) {
        f->blocks += ptr ? 0 : 1;
        f->bytes += (long long)nsize - (ptr ? (long long)osize : 0);
    }
    return p;
}

#endif
