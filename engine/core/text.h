/* text.h — numbers and names as the user sees them: the shortest text that
 * reads back as the same double, text quoted for a message with control
 * characters escaped, and the one rule a series key and a stored period meet
 * (CSV import, Excel import and db:put all call these).  Pure functions,
 * no allocation, independent of the C locale's decimal point.
 */
#ifndef OT_CORE_TEXT_H
#define OT_CORE_TEXT_H

#include <stddef.h>

#include "core/err.h"
#include "core/period.h"

/* Enough for any double in ot_fmt_double, with the NUL. */
#define OT_FMT_DOUBLE_MAX 32

/* Writes the shortest decimal that strtod reads back as v (66.96, not
 * 66.959999999999994), with '.' as the decimal point whatever the locale;
 * "nan", "inf", "-inf" for those.  Returns buf (cap >= OT_FMT_DOUBLE_MAX). */
const char *ot_fmt_double(double v, char *buf, size_t cap);

/* s[0..len) for a message, written into buf: control characters (bytes
 * below 0x20, 0x7F) as \xHH (\t, \n, \r as themselves escaped), a
 * backslash as \\, at most 60 bytes of the text (cut on a UTF-8 boundary)
 * then "...".  len may be (size_t)-1 for NUL-terminated s.  Returns buf
 * (cap >= 64; shorter output when cap is smaller). */
const char *ot_fmt_shown(const char *s, size_t len, char *buf, size_t cap);

/* Checks a series key of len bytes (len may be (size_t)-1): not empty, no
 * NUL, no control character (below 0x20, 0x7F), at most OT_KEY_MAX bytes.
 * OT_OK, or OT_EDATA with "expected a series key, found control character
 * 0x1B in 'a\x1b[31m'" (the key escaped) or the like. */
#define OT_KEY_MAX 256
int ot_key_check(const char *key, size_t len, ot_err *err);

/* Checks a period to be stored: a known frequency, span 1 or 2 (2 only for
 * a monthly February), year from 1 to 9999.  OT_OK, or OT_EDATA with a
 * message naming the period. */
int ot_period_check(ot_period p, ot_err *err);

#endif
