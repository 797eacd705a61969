/* period.h — periods as integer ordinals: parse, format, arithmetic, conversion.
 *
 * A period is a frequency and an ordinal, so that stepping and alignment are
 * exact integer arithmetic:  Y: the year;  Q: year*4 + quarter-1;
 * M: year*12 + month-1;  D: days since 1970-01-01 (proleptic Gregorian).
 * A Chinese January–February combined release (`2023年1-2月`, `2023-01/02`)
 * parses to the February ordinal with span 2.  Pure functions, no allocation.
 */
#ifndef OT_CORE_PERIOD_H
#define OT_CORE_PERIOD_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

typedef enum ot_freq {
    OT_FREQ_NONE = 0,
    OT_FREQ_D = 'D',
    OT_FREQ_M = 'M',
    OT_FREQ_Q = 'Q',
    OT_FREQ_Y = 'Y'
} ot_freq;

typedef int32_t ot_ord;

typedef struct ot_period {
    ot_freq freq;
    ot_ord ord;
    int span; /* base periods covered, ending at ord: 1, or 2 for Jan–Feb combined */
} ot_period;

/* Longest formatted period, with the terminating NUL. */
#define OT_PERIOD_STRMAX 24

/* Parses every form in DESIGN.md: 2023-01, 2023-1, 2023M01, 2023年1月,
 * 2023-01/02, 2023年1-2月, 2023Q1, 2023-Q1, 2023年一季度 (also 2023年第一季度,
 * 2023年1季度), 2023, 2023年 (also 2023年度), 2023-01-15; also 2023年1至2月,
 * 2023年1、2月, 2023.02 (never 2023.1: 2023.10 saved as a number) and
 * 2023.1.15; a blank not between two digits is ignored.
 * len may be (size_t)-1 for a NUL-terminated s.  Writes *out and returns
 * OT_OK; OT_EDATA with a message naming the text on failure. */
int ot_period_parse(const char *s, size_t len, ot_period *out, ot_err *err);

/* Why s is not a period when the reason is more than that no form matched
 * ("month must be 1-12", "only January and February may be combined"):
 * writes it to buf and returns 1; 0 otherwise (a period, or no form).  ytd
 * as ot_period_parse_ytd. */
int ot_period_why(const char *s, size_t len, int ytd, char *buf, size_t cap);

/* ot_period_parse, also taking a bureau's year-to-date range from January,
 * 2023年1-8月 (or 1-8月份), as its last month (2023-08): the period of a
 * 累计 figure.  For ytd and ytd_yoy observations only; ot_period_parse
 * rejects the range with a hint. */
int ot_period_parse_ytd(const char *s, size_t len, ot_period *out, ot_err *err);

/* A period a reader names to select data (ontrack revisions --period,
 * db:revisions): every ot_period_parse form, or a bureau's year to date
 * from January (2023年1-8月, 2023年上半年) as the month it ends (2023-08,
 * 2023-06).  Writes *out and returns OT_OK; OT_EDATA otherwise. */
int ot_period_parse_query(const char *s, size_t len, ot_period *out, ot_err *err);

/* Canonical text: 2023-01, 2023-01/02 (span 2), 2023Q1, 2023, 2023-01-15.
 * Returns the length written (always < OT_PERIOD_STRMAX when cap allows). */
int ot_period_format(ot_period p, char *buf, size_t cap);

/* Shorthand for a span-1 period. */
int ot_period_fmt(ot_freq f, ot_ord o, char *buf, size_t cap);

/* Frequency from "D", "M", "Q", "Y" (also "A"/"annual"/"monthly"/...).
 * Returns OT_FREQ_NONE when not recognised. */
ot_freq ot_freq_parse(const char *s);
/* "D", "M", "Q" or "Y" ("" for none). */
const char *ot_freq_name(ot_freq f);
/* Periods per year: 12, 4, 1; 0 for daily (use ot_days_in_year). */
int ot_freq_per_year(ot_freq f);

/* The ordinal of year y, sub-period k (month 1–12, quarter 1–4, 1 for Y;
 * for D, k is the day of the year 1–366). */
ot_ord ot_period_make(ot_freq f, int year, int k);
/* The calendar year of an ordinal. */
int ot_period_year(ot_freq f, ot_ord o);
/* The sub-period within the year: month 1–12, quarter 1–4, 1 for Y,
 * day of the year 1–366 for D. */
int ot_period_sub(ot_freq f, ot_ord o);

/* The ordinal in `to` of the period containing o (to at least as coarse as
 * from); or, when `to` is finer, the first sub-period of o. */
ot_ord ot_period_convert(ot_freq from, ot_ord o, ot_freq to);
/* The last sub-period (in `to`, finer than from) of o. */
ot_ord ot_period_last_sub(ot_freq from, ot_ord o, ot_freq to);
/* 1 (D) to 4 (Y): finer frequencies rank lower; 0 for none. */
int ot_freq_rank(ot_freq f);
/* The ordinal in frequency f where period p starts (last = 0) or ends
 * (last = 1).  A coarser p is widened to its sub-periods; a finer p gives
 * the period containing it as a start, and as an end the last period of f
 * complete by p's end ("2023-08" ends quarterly data at 2023Q2). */
ot_ord ot_period_ord_in(ot_period p, ot_freq f, int last);

/* Days: civil date <-> days since 1970-01-01. */
int32_t ot_days_from_civil(int y, int m, int d);
void ot_civil_from_days(int32_t days, int *y, int *m, int *d);
int ot_is_leap(int y);
int ot_days_in_year(int y);
int ot_days_in_month(int y, int m);

/* The first and last day (days since epoch) that period o covers. */
int32_t ot_period_first_day(ot_freq f, ot_ord o);
int32_t ot_period_last_day(ot_freq f, ot_ord o);

/* Parses a date "2023-10-20" (also "2023/10/20", "20231020", "2023年10月20日",
 * each optionally followed by a time of day, " 0:00", "T09:30:15", which is
 * dropped) into days since epoch.  OT_EDATA on failure. */
int ot_date_parse(const char *s, int32_t *days, ot_err *err);
/* Formats days as YYYY-MM-DD. */
int ot_date_format(int32_t days, char *buf, size_t cap);

#endif
