/* num.h — the one rule for writing numbers, in every output (REPL, tables,
 * reports, messages).
 *
 * Growth rates and shares to one decimal ("7.6%"); probabilities to a whole
 * percent, rounded as the status is decided (project/projection.h:
 * ot_proj_prob_round); levels with thousands separators in English and
 * 万/亿 in Chinese ("56万", "1.2亿"); a value of a series as typed when it
 * has at most six significant digits (the shortest text that reads back,
 * core/text.h: ot_fmt_double), else rounded to one decimal (three
 * significant digits below 1).  Writes into the caller's buffer.
 */
#ifndef OT_REPORT_NUM_H
#define OT_REPORT_NUM_H

#include <stddef.h>

#include "report/report.h"

/* "7.6%" of a growth in percent; "" for NaN.  Returns buf. */
char *ot_fmt_growth(double x, char *buf, size_t cap);
/* "80%" of a probability 0..1 (rounded as the status decides); "" for NaN. */
char *ot_fmt_prob(double p, char *buf, size_t cap);
/* A level: "4,000,000" / "400万", "12,345.6" / "1.23万", "500"; the
 * Chinese units only when unit (the target's or series' unit, may be NULL)
 * holds no 万 or 亿 of its own.  "" for NaN.  Returns buf. */
char *ot_fmt_level(double x, ot_report_lang lang, const char *unit, char *buf, size_t cap);
/* A range of levels "lo SEP hi", both ends in the scale and with the
 * decimals of the larger ("8.2 .. 12.3", "56.25万 – 60.00万"); "" when
 * either is not finite.  Returns buf. */
char *ot_fmt_level_range(double lo, double hi, ot_report_lang lang, const char *unit,
                         const char *sep, char *buf, size_t cap);
/* A series value as the rule above says: "7.5", "1234.56", "7.6" (of
 * 7.558139535).  "" for NaN.  Returns buf. */
char *ot_fmt_value(double x, char *buf, size_t cap);

#endif
