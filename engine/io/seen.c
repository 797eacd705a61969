/* seen.c — a set of row ids with the line that gave each (see seen.h). */
#include "io/seen.h"

#include <stdlib.h>

/* The slot of id in a table of cap slots (a power of two): the one holding
 * it, or the empty one where it goes.  Fibonacci hashing spreads ids that
 * come in sequence. */
static size_t slot(const int64_t *ids, size_t cap, int64_t id)
{
    size_t i = (size_t)(((uint64_t)id * UINT64_C(0x9E3779B97F4A7C15)) >> 32) & (cap - 1);
    while (ids[i] != 0 && ids[i] != id)
        i = (i + 1) & (cap - 1);
    return i;
}

/* Doubles the table (16 slots at first), keeping it at most half full. */
static int grow(io_seen *s)
{
    size_t cap = s->cap ? s->cap * 2 : 16;
    int64_t *ids = calloc(cap, sizeof *ids);
    long *lines = malloc(cap * sizeof *lines);
    if (!ids || !lines) {
        free(ids);
        free(lines);
        return -1;
    }
    for (size_t i = 0; i < s->cap; i++)
        if (s->id[i]) {
            size_t j = slot(ids, cap, s->id[i]);
            ids[j] = s->id[i];
            lines[j] = s->line[i];
        }
    free(s->id);
    free(s->line);
    s->id = ids;
    s->line = lines;
    s->cap = cap;
    return 0;
}

int io_seen_note(io_seen *s, int64_t id, long line, long *first)
{
    if (s->cap) {
        size_t i = slot(s->id, s->cap, id);
        if (s->id[i]) {
            *first = s->line[i];
            return 1;
        }
    }
    if ((s->n + 1) * 2 > s->cap && grow(s))
        return -1;
    size_t i = slot(s->id, s->cap, id);
    s->id[i] = id;
    s->line[i] = line;
    s->n++;
    return 0;
}

int io_seen_find(const io_seen *s, int64_t id, long *line)
{
    if (!s->cap)
        return 0;
    size_t i = slot(s->id, s->cap, id);
    if (!s->id[i])
        return 0;
    *line = s->line[i];
    return 1;
}

void io_seen_clear(io_seen *s)
{
    free(s->id);
    free(s->line);
    s->id = NULL;
    s->line = NULL;
    s->cap = s->n = 0;
}
