/* xxh64.h — the XXH64 hash (Yann Collet's xxHash, 64-bit variant), streaming.
 *
 * Identifies imported files by content: fast (several GB/s), and a 64-bit
 * digest makes accidental collisions between one store's files negligible.
 * Not a cryptographic hash.  No allocation.  Internal to engine/io.
 */
#ifndef OT_IO_XXH64_H
#define OT_IO_XXH64_H

#include <stddef.h>
#include <stdint.h>

typedef struct ot_xxh64 {
    uint64_t v[4];
    uint64_t total;
    unsigned char buf[32];
    size_t nbuf;
    uint64_t seed;
} ot_xxh64;

/* Starts a digest with seed. */
void ot_xxh64_init(ot_xxh64 *h, uint64_t seed);
/* Adds n bytes of p. */
void ot_xxh64_update(ot_xxh64 *h, const void *p, size_t n);
/* The digest of everything added; h is left unchanged. */
uint64_t ot_xxh64_digest(const ot_xxh64 *h);

#endif
