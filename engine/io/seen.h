/* seen.h — the rows one file has given, by the id of the stored row they
 * wrote (a target's, a series'), so that a row given twice in one file is
 * found at once and reported with the line that gave it first.  An open-
 * addressing table that grows; owns its arrays.  Internal to engine/io.
 */
#ifndef OT_IO_SEEN_H
#define OT_IO_SEEN_H

#include <stddef.h>
#include <stdint.h>

typedef struct io_seen {
    int64_t *id;  /* 0 = an empty slot (row ids start at 1) */
    long *line;
    size_t cap, n;
} io_seen;

/* Notes that id (> 0) was given at line.  Returns 0 when it is new, 1 when
 * it was given before (*first receives that line, and nothing changes), -1
 * when out of memory. */
int io_seen_note(io_seen *s, int64_t id, long line, long *first);
/* Whether id was given; then *line receives the line that gave it. */
int io_seen_find(const io_seen *s, int64_t id, long *line);
/* Frees the arrays and empties s; accepts an empty s. */
void io_seen_clear(io_seen *s);

#endif
