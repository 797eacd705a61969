/* fields.h — reading one CSV field as statistics tables print it: numbers
 * with thousands separators and percent signs, missing markers, UTF-8
 * checks, and quoting a field in a message.  Pure functions, no allocation.
 * Internal to engine/io.
 */
#ifndef OT_IO_FIELDS_H
#define OT_IO_FIELDS_H

#include <stddef.h>

enum { V_OK = 0, V_MISSING = 1, V_BAD = -1 };

/* Parses s (NUL-terminated): 1234.5, -0.3, 1,234.5 (comma groups of three),
 * 1.2e3, 12.3% or 12.3 ％ (the number 12.3), with surrounding blanks; empty
 * and -, —, ―, －, … or ... (one or repeated: ——, ……) are missing.  Returns V_OK and sets *out, V_MISSING, or V_BAD. */
int io_parse_value(const char *s, double *out);

/* Index of the first byte of s[0..n) that is not valid UTF-8, or n. */
size_t io_utf8_check(const unsigned char *s, size_t n);

/* s for a message, written into buf (cap >= 64): control characters
 * escaped (\x1b), at most 60 bytes of text then "..." (ot_fmt_shown). */
const char *io_shown(const char *s, char *buf, size_t cap);

/* Whether s (NUL-terminated) starts with U+3000, the ideographic space;
 * compared byte by byte, so a shorter string stops at its end. */
int io_ideo_space(const char *s);

/* A UTF-8 check fed one byte at a time (a file read in blocks). */
typedef struct io_utf8 {
    int need;              /* continuation bytes still expected */
    unsigned char lo, hi;  /* the range of the next continuation byte */
    int nonascii;          /* a byte >= 0x80 was seen */
} io_utf8;
#define IO_UTF8_INIT {0, 0x80, 0xBF, 0}
/* Feeds b; returns 1 while the bytes so far can be UTF-8, 0 when not. */
int io_utf8_step(io_utf8 *u, unsigned char b);

#endif
