/* period.c — parsing, formatting, arithmetic and conversion of periods.
 *
 * Periods are integer ordinals (see period.h).  Calendar arithmetic uses
 * Howard Hinnant's days_from_civil / civil_from_days ("chrono-Compatible
 * Low-Level Date Algorithms", https://howardhinnant.github.io/date_algorithms.html),
 * exact for the proleptic Gregorian calendar over the whole int32 range we use.
 * Parsing is a small hand-written scanner over a normalised copy of the text
 * (full-width digits and punctuation folded to ASCII); every failure names
 * the text and the reason from one table, so messages are stable.  Besides
 * the forms in period.h it takes the bureaus' 2023年1月份 and 2023年1-2月份.
 */
#include "core/period.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* ---- calendar ------------------------------------------------------------ */

static int32_t floordiv(int32_t a, int32_t b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* Hinnant, days_from_civil: days since 1970-01-01 of y-m-d. */
int32_t ot_days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);                          /* [0, 399] */
    const unsigned doy = (153u * (unsigned)(m > 2 ? m - 3 : m + 9) + 2) / 5 + (unsigned)d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;              /* [0, 146096] */
    return (int32_t)(era * 146097 + (int)doe - 719468);
}

/* Hinnant, civil_from_days: the civil date of a day count since 1970-01-01. */
void ot_civil_from_days(int32_t days, int *y, int *m, int *d)
{
    const int64_t z = (int64_t)days + 719468; /* no overflow near INT32_MAX */
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);                           /* [0, 146096] */
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  /* [0, 399] */
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               /* [0, 365] */
    const unsigned mp = (5 * doy + 2) / 153;                                     /* [0, 11] */
    const int mm = (int)(mp < 10 ? mp + 3 : mp - 9);
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = mm;
    *y = (int)((int64_t)yoe + era * 400 + (mm <= 2));
}

int ot_is_leap(int y)
{
    return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

int ot_days_in_year(int y)
{
    return ot_is_leap(y) ? 366 : 365;
}

int ot_days_in_month(int y, int m)
{
    static const unsigned char dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12)
        return 0;
    return m == 2 && ot_is_leap(y) ? 29 : dim[m - 1];
}

/* ---- frequencies --------------------------------------------------------- */

ot_freq ot_freq_parse(const char *s)
{
    static const struct {
        const char *name;
        ot_freq f;
    } names[] = {{"D", OT_FREQ_D},         {"day", OT_FREQ_D},       {"daily", OT_FREQ_D},
                 {"M", OT_FREQ_M},         {"month", OT_FREQ_M},     {"monthly", OT_FREQ_M},
                 {"Q", OT_FREQ_Q},         {"quarter", OT_FREQ_Q},   {"quarterly", OT_FREQ_Q},
                 {"Y", OT_FREQ_Y},         {"A", OT_FREQ_Y},         {"year", OT_FREQ_Y},
                 {"yearly", OT_FREQ_Y},    {"annual", OT_FREQ_Y},    {"annually", OT_FREQ_Y}};
    if (!s)
        return OT_FREQ_NONE;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcasecmp(s, names[i].name) == 0)
            return names[i].f;
    return OT_FREQ_NONE;
}

const char *ot_freq_name(ot_freq f)
{
    switch (f) {
    case OT_FREQ_D: return "D";
    case OT_FREQ_M: return "M";
    case OT_FREQ_Q: return "Q";
    case OT_FREQ_Y: return "Y";
    default:        return "";
    }
}

int ot_freq_per_year(ot_freq f)
{
    switch (f) {
    case OT_FREQ_M: return 12;
    case OT_FREQ_Q: return 4;
    case OT_FREQ_Y: return 1;
    default:        return 0;
    }
}

/* ---- ordinals ------------------------------------------------------------ */

ot_ord ot_period_make(ot_freq f, int year, int k)
{
    switch (f) {
    case OT_FREQ_M: return (ot_ord)year * 12 + k - 1;
    case OT_FREQ_Q: return (ot_ord)year * 4 + k - 1;
    case OT_FREQ_D: return ot_days_from_civil(year, 1, 1) + k - 1;
    default:        return (ot_ord)year;
    }
}

int ot_period_year(ot_freq f, ot_ord o)
{
    int y, m, d;
    switch (f) {
    case OT_FREQ_M: return (int)floordiv(o, 12);
    case OT_FREQ_Q: return (int)floordiv(o, 4);
    case OT_FREQ_D: ot_civil_from_days(o, &y, &m, &d); return y;
    default:        return (int)o;
    }
}

int ot_period_sub(ot_freq f, ot_ord o)
{
    switch (f) {
    case OT_FREQ_M: return (int)(o - floordiv(o, 12) * 12) + 1;
    case OT_FREQ_Q: return (int)(o - floordiv(o, 4) * 4) + 1;
    case OT_FREQ_D: return (int)(o - ot_days_from_civil(ot_period_year(f, o), 1, 1)) + 1;
    default:        return 1;
    }
}

int32_t ot_period_first_day(ot_freq f, ot_ord o)
{
    switch (f) {
    case OT_FREQ_D: return o;
    case OT_FREQ_M: return ot_days_from_civil((int)floordiv(o, 12), (int)(o - floordiv(o, 12) * 12) + 1, 1);
    case OT_FREQ_Q: return ot_days_from_civil((int)floordiv(o, 4), (int)(o - floordiv(o, 4) * 4) * 3 + 1, 1);
    case OT_FREQ_Y: return ot_days_from_civil((int)o, 1, 1);
    default:        return o;
    }
}

int32_t ot_period_last_day(ot_freq f, ot_ord o)
{
    switch (f) {
    case OT_FREQ_D: return o;
    case OT_FREQ_M: return ot_period_first_day(f, o + 1) - 1;
    case OT_FREQ_Q: return ot_period_first_day(f, o + 1) - 1;
    case OT_FREQ_Y: return ot_days_from_civil((int)o, 12, 31);
    default:        return o;
    }
}

/* Coarsening: the period of `to` containing the first day of o works for
 * every pair because all boundaries are nested (a quarter starts on a month). */
static ot_ord coarsen(ot_freq from, ot_ord o, ot_freq to)
{
    int y, m, d;
    if (from == to)
        return o;
    if (from == OT_FREQ_D) {
        ot_civil_from_days(o, &y, &m, &d);
        if (to == OT_FREQ_M)
            return (ot_ord)y * 12 + m - 1;
        if (to == OT_FREQ_Q)
            return (ot_ord)y * 4 + (m - 1) / 3;
        return (ot_ord)y;
    }
    if (from == OT_FREQ_M)
        return to == OT_FREQ_Q ? floordiv(o, 3) : floordiv(o, 12);
    return floordiv(o, 4); /* Q -> Y */
}

ot_ord ot_period_convert(ot_freq from, ot_ord o, ot_freq to)
{
    if (!ot_freq_rank(from) || !ot_freq_rank(to))
        return o;
    if (ot_freq_rank(to) >= ot_freq_rank(from))
        return coarsen(from, o, to);
    if (to == OT_FREQ_D)
        return ot_period_first_day(from, o);
    if (from == OT_FREQ_Y)
        return to == OT_FREQ_Q ? o * 4 : o * 12;
    return o * 3; /* Q -> M */
}

ot_ord ot_period_last_sub(ot_freq from, ot_ord o, ot_freq to)
{
    if (!ot_freq_rank(from) || !ot_freq_rank(to) || ot_freq_rank(to) >= ot_freq_rank(from))
        return ot_period_convert(from, o, to);
    if (to == OT_FREQ_D)
        return ot_period_last_day(from, o);
    return ot_period_convert(from, o + 1, to) - 1;
}

/* ---- formatting ---------------------------------------------------------- */

int ot_date_format(int32_t days, char *buf, size_t cap)
{
    int y, m, d;
    ot_civil_from_days(days, &y, &m, &d);
    return snprintf(buf, cap, "%04d-%02d-%02d", y, m, d);
}

int ot_period_format(ot_period p, char *buf, size_t cap)
{
    switch (p.freq) {
    case OT_FREQ_D:
        return ot_date_format(p.ord, buf, cap);
    case OT_FREQ_M: {
        int y = ot_period_year(OT_FREQ_M, p.ord), m = ot_period_sub(OT_FREQ_M, p.ord);
        if (p.span == 2 && m == 2)
            return snprintf(buf, cap, "%04d-01/02", y);
        return snprintf(buf, cap, "%04d-%02d", y, m);
    }
    case OT_FREQ_Q:
        return snprintf(buf, cap, "%04dQ%d", ot_period_year(OT_FREQ_Q, p.ord),
                        ot_period_sub(OT_FREQ_Q, p.ord));
    case OT_FREQ_Y:
        return snprintf(buf, cap, "%04d", (int)p.ord);
    default:
        return snprintf(buf, cap, "?");
    }
}

int ot_period_fmt(ot_freq f, ot_ord o, char *buf, size_t cap)
{
    ot_period p = {f, o, 1};
    return ot_period_format(p, buf, cap);
}

/* ---- parsing ------------------------------------------------------------- */

/* Why a text is not a period; one message per reason. */
enum reason {
    R_OK = 0,
    R_SYNTAX,
    R_EMPTY,
    R_LONG,
    R_YEAR,
    R_MONTH,
    R_QUARTER,
    R_DAY,
    R_COMBINED,
    R_YTD,
    R_DOTTED
};

static const char *const reason_text[] = {
    [R_OK] = "",
    [R_SYNTAX] = "expected a form such as 2023-01, 2023-01/02, 2023Q1, 2023, 2023-01-15 or 2023年1月",
    [R_EMPTY] = "empty",
    [R_LONG] = "too long",
    [R_YEAR] = "year must have 4 digits",
    [R_MONTH] = "month must be 1-12",
    [R_QUARTER] = "quarter must be 1-4",
    [R_DAY] = "day must be 1-%d",
    [R_COMBINED] = "only January and February may be combined",
    [R_YTD] = "a year-to-date month is written as the month alone, e.g. 2023年3月",
    [R_DOTTED] = "a one-digit month after a dot is ambiguous: 2023.10 saved as a number reads "
                 "2023.1; write 2023.01, 2023.10 or 2023-01",
};

/* Longest accepted input after trimming, in bytes ("2023年第一季度" is 19). */
#define TEXT_MAX 48

/* Folds full-width digits, letters and punctuation to ASCII, and the
 * tildes, en and em dashes and 至 used between months (1～2月, 1—2月,
 * 1至2月) to '~', the range mark scan takes only between two months (never
 * between a date's parts: 2023-01～02 is January–February, not January
 * 2nd); 、 (1、2月: January and February) to ','; drops a blank (ASCII or
 * U+3000) unless it stands between two digits (2023 年 1 月, 2023 Q1, but
 * 2023 01 stays an error); copies the rest.  Returns the new length, or
 * (size_t)-1 when the result would not fit. */
static size_t normalise(const char *s, size_t n, char *out, size_t cap)
{
    size_t j = 0;
    for (size_t i = 0; i < n;) {
        const unsigned char *u = (const unsigned char *)s + i;
        char c = 0;
        size_t used = 1;
        if (n - i >= 3 && u[0] == 0xEF && u[1] == 0xBC && u[2] >= 0x81 && u[2] <= 0xBF) {
            c = (char)(u[2] - 0x81 + '!'); /* U+FF01..U+FF3F -> '!'..'_' */
            used = 3;
        } else if (n - i >= 3 && u[0] == 0xEF && u[1] == 0xBD && u[2] >= 0x80 && u[2] <= 0x9E) {
            c = (char)(u[2] - 0x80 + '`'); /* U+FF40..U+FF5E -> '`'..'~' */
            used = 3;
        } else if (n - i >= 3 && u[0] == 0xE2 && u[1] == 0x80 && (u[2] == 0x93 || u[2] == 0x94)) {
            c = '~'; /* en dash, em dash */
            used = 3;
        } else if (n - i >= 3 && u[0] == 0xE8 && u[1] == 0x87 && u[2] == 0xB3) {
            c = '~'; /* 至 */
            used = 3;
        } else if (n - i >= 3 && u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x81) {
            c = ','; /* 、 */
            used = 3;
        } else if (n - i >= 3 && u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x80) {
            c = ' '; /* U+3000, the ideographic space */
            used = 3;
        } else {
            c = (char)u[0];
        }
        if (j + 1 >= cap)
            return (size_t)-1;
        out[j++] = c;
        i += used;
    }
    out[j] = '\0';
    /* a blank between a digit and a digit is kept, every other one dropped */
    size_t k = 0;
    for (size_t i = 0; i < j; i++) {
        if ((out[i] == ' ' || out[i] == '\t') &&
            !(k > 0 && isdigit((unsigned char)out[k - 1]) && isdigit((unsigned char)out[i + 1])))
            continue;
        out[k++] = out[i];
    }
    out[k] = '\0';
    return k;
}

/* Reads 1..maxd ASCII digits at *p into *v; returns the count read. */
static int digits(const char **p, int maxd, int *v)
{
    int n = 0, x = 0;
    while (n < maxd && isdigit((unsigned char)(*p)[n])) {
        x = x * 10 + ((*p)[n] - '0');
        n++;
    }
    if (n && isdigit((unsigned char)(*p)[n]))
        return 0; /* more digits than allowed */
    *p += n;
    *v = x;
    return n;
}

/* Consumes the literal lit at *p when present. */
static int lit(const char **p, const char *l)
{
    size_t n = strlen(l);
    if (strncmp(*p, l, n) != 0)
        return 0;
    *p += n;
    return 1;
}

/* A quarter written with a Chinese numeral 一..四, or digits. */
static int quarter_num(const char **p, int *q)
{
    static const char *const cn[] = {"一", "二", "三", "四"};
    for (int i = 0; i < 4; i++)
        if (lit(p, cn[i])) {
            *q = i + 1;
            return 1;
        }
    return digits(p, 2, q) > 0;
}

/* Scans normalised text t into *out; returns 0 or a reason (for R_DAY with
 * the days of that month in *arg). */
static int scan(const char *t, ot_period *out, int *arg)
{
    const char *p = t;
    int y, m, m2, d, q;
    if (digits(&p, 4, &y) != 4)
        return isdigit((unsigned char)*t) ? R_YEAR : R_SYNTAX;
    out->span = 1;
    if (*p == '\0') { /* 2023 */
        out->freq = OT_FREQ_Y;
        out->ord = y;
        return 0;
    }
    if (lit(&p, "年")) {
        if (*p == '\0' || strcmp(p, "度") == 0) { /* 2023年, 2023年度 */
            out->freq = OT_FREQ_Y;
            out->ord = y;
            return 0;
        }
        /* a bureau's year to date of quarters (GDP): 2023年上半年 is through
         * the second quarter, 2023年前三季度 through the third; like
         * 2023年1-3季度, only ot_period_parse_ytd takes them */
        if (lit(&p, "上半年")) {
            q = 2;
            goto ytd_quarter;
        }
        if (lit(&p, "前三季度")) {
            q = 3;
            goto ytd_quarter;
        }
        if (lit(&p, "第")) { /* 2023年第一季度, 2023年第1季度 */
            if (!quarter_num(&p, &q) || !lit(&p, "季度") || *p)
                return R_SYNTAX;
            goto quarter;
        }
        const char *save = p;
        if (quarter_num(&p, &q) && lit(&p, "季度")) { /* 2023年一季度, 2023年1季度 */
            if (*p)
                return R_SYNTAX;
            goto quarter;
        }
        p = save;
        if (!digits(&p, 2, &m))
            return R_SYNTAX;
        if (*p == '-' || *p == '~' || *p == ',') { /* 2023年1-2月, 2023年1～2月, 2023年1、2月 */
            int list = *p++ == ',';                /* 1、2月 lists two months: no range */
            if (!digits(&p, 2, &m2))
                return R_SYNTAX;
            if (list && !(m == 1 && m2 == 2))
                return lit(&p, "月") && (lit(&p, "份"), !*p) ? R_COMBINED : R_SYNTAX;
            if (lit(&p, "季度")) { /* 2023年1-3季度: the year to date through Q3 */
                if (m != 1 || m2 < 2 || m2 > 4)
                    return R_SYNTAX;
                q = m2;
                goto ytd_quarter;
            }
            if (!lit(&p, "月") || (lit(&p, "份"), *p))
                return R_SYNTAX;
            if (m < 1 || m > 12 || m2 < 1 || m2 > 12)
                return R_MONTH;
            if (m == 1 && m2 > 2) { /* a year-to-date range: only ot_period_parse_ytd takes it */
                out->freq = OT_FREQ_M;
                out->ord = ot_period_make(OT_FREQ_M, y, m2);
                return R_YTD;
            }
            if (m != 1 || m2 != 2)
                return R_COMBINED;
            goto janfeb;
        }
        if (!lit(&p, "月"))
            return R_SYNTAX;
        if (*p == '\0')
            goto month;
        if (lit(&p, "份")) { /* 2023年1月份 */
            if (*p)
                return R_SYNTAX;
            goto month;
        }
        if (!digits(&p, 2, &d) || !lit(&p, "日") || *p) /* 2023年10月20日 */
            return R_SYNTAX;
        goto day;
    }
    if (*p == 'M' || *p == 'm') { /* 2023M01 */
        p++;
        if (!digits(&p, 2, &m) || *p)
            return R_SYNTAX;
        goto month;
    }
    if (*p == 'Q' || *p == 'q' || (p[0] == '-' && (p[1] == 'Q' || p[1] == 'q'))) { /* 2023Q1, 2023-Q1 */
        p += *p == '-' ? 2 : 1;
        if (!digits(&p, 1, &q) || *p)
            return R_SYNTAX;
        goto quarter;
    }
    if (*p != '-' && *p != '/' && *p != '.')
        return R_SYNTAX;
    {
        char sep = *p++;
        int nm = digits(&p, 2, &m);
        if (!nm)
            return R_SYNTAX;
        if (*p == '\0') { /* 2023-01, 2023-1, 2023/01, 2023.01 */
            if (sep == '.' && nm == 1)
                return R_DOTTED;
            goto month;
        }
        if ((*p == '/' || *p == '~') && sep == '-') { /* 2023-01/02, 2023-01～02 */
            p++;
            if (!digits(&p, 2, &m2) || *p)
                return R_SYNTAX;
            if (m < 1 || m > 12 || m2 < 1 || m2 > 12)
                return R_MONTH;
            if (m != 1 || m2 != 2)
                return R_COMBINED;
            goto janfeb;
        }
        if (*p != sep)
            return R_SYNTAX;
        p++;
        if (!digits(&p, 2, &d) || *p) /* 2023-01-15 */
            return R_SYNTAX;
        goto day;
    }

month:
    if (m < 1 || m > 12)
        return R_MONTH;
    out->freq = OT_FREQ_M;
    out->ord = ot_period_make(OT_FREQ_M, y, m);
    return 0;
janfeb:
    out->freq = OT_FREQ_M;
    out->ord = ot_period_make(OT_FREQ_M, y, 2);
    out->span = 2;
    return 0;
ytd_quarter:
    if (*p)
        return R_SYNTAX;
    out->freq = OT_FREQ_Q;
    out->ord = ot_period_make(OT_FREQ_Q, y, q);
    return R_YTD;
quarter:
    if (q < 1 || q > 4)
        return R_QUARTER;
    out->freq = OT_FREQ_Q;
    out->ord = ot_period_make(OT_FREQ_Q, y, q);
    return 0;
day:
    if (m < 1 || m > 12)
        return R_MONTH;
    if (d < 1 || d > ot_days_in_month(y, m)) {
        *arg = ot_days_in_month(y, m);
        return R_DAY;
    }
    out->freq = OT_FREQ_D;
    out->ord = ot_days_from_civil(y, m, d);
    return 0;
}

/* Trims ASCII blanks and U+3000 (ideographic space) from both ends. */
static void trim(const char **s, size_t *n)
{
    for (;;) {
        if (*n && isspace((unsigned char)**s)) {
            (*s)++;
            (*n)--;
        } else if (*n >= 3 && memcmp(*s, "\xE3\x80\x80", 3) == 0) {
            *s += 3;
            *n -= 3;
        } else {
            break;
        }
    }
    for (;;) {
        if (*n && isspace((unsigned char)(*s)[*n - 1]))
            (*n)--;
        else if (*n >= 3 && memcmp(*s + *n - 3, "\xE3\x80\x80", 3) == 0)
            *n -= 3;
        else
            break;
    }
}

/* Sets the error for text s[0..n): "'TEXT' is not a WHAT (REASON)", the text
 * shortened to 64 bytes so the message always fits. */
static int fail(ot_err *err, const char *what, const char *s, size_t n, int reason, int arg)
{
    char why[128];
    int shown = n > 64 ? 64 : (int)n;
    while (shown < (int)n && shown > 0 && ((unsigned char)s[shown] & 0xC0) == 0x80)
        shown--; /* never cut a UTF-8 sequence */
    snprintf(why, sizeof why, reason_text[reason], arg);
    return ot_err_set(err, OT_EDATA, "'%.*s%s' is not a %s (%s)", shown, s, (size_t)shown < n ? "..." : "",
                      what, why);
}

/* Reads text s (len bytes, or NUL-terminated when (size_t)-1) into *out:
 * returns 0 or the reason it is not a period (R_YTD for a year-to-date
 * range), with *s and *len trimmed for the message and *arg its argument. */
static int read_text(const char **s, size_t *len, ot_period *out, int *arg)
{
    char t[TEXT_MAX];
    if (!*s)
        *s = "";
    if (*len == (size_t)-1)
        *len = strlen(*s);
    trim(s, len);
    if (*len == 0)
        return R_EMPTY;
    size_t n = normalise(*s, *len, t, sizeof t);
    if (memchr(*s, '\0', *len))
        return R_SYNTAX;
    if (n == (size_t)-1)
        return R_LONG;
    return scan(t, out, arg);
}

/* ot_period_parse, and with ytd set also a year-to-date range from January. */
static int parse(const char *s, size_t len, int ytd, ot_period *out, ot_err *err)
{
    ot_period p;
    int arg = 0;
    int r = read_text(&s, &len, &p, &arg);
    if (r && !(r == R_YTD && ytd))
        return fail(err, "period", s, len, r, arg);
    *out = p;
    return OT_OK;
}

int ot_period_why(const char *s, size_t len, int ytd, char *buf, size_t cap)
{
    ot_period p;
    int arg = 0;
    int r = read_text(&s, &len, &p, &arg);
    if (r == R_OK || r == R_SYNTAX || r == R_EMPTY || r == R_LONG || (r == R_YTD && ytd))
        return 0;
    snprintf(buf, cap, reason_text[r], arg);
    return 1;
}

int ot_period_parse(const char *s, size_t len, ot_period *out, ot_err *err)
{
    return parse(s, len, 0, out, err);
}

int ot_period_parse_ytd(const char *s, size_t len, ot_period *out, ot_err *err)
{
    return parse(s, len, 1, out, err);
}

/* A year to date parses (ot_period_parse_ytd) to the period it ends in,
 * which for 上半年 is a quarter: its last month is the figure meant. */
int ot_period_parse_query(const char *s, size_t len, ot_period *out, ot_err *err)
{
    ot_period p;
    if (parse(s, len, 0, &p, NULL) == OT_OK) {
        *out = p;
        return OT_OK;
    }
    int rc = parse(s, len, 1, &p, err);
    if (rc)
        return rc;
    if (p.freq != OT_FREQ_M)
        p = (ot_period){OT_FREQ_M, ot_period_last_sub(p.freq, p.ord, OT_FREQ_M), 1};
    *out = p;
    return OT_OK;
}

/* The length of t without a time of day after the date, " 0:00",
 * " 00:00:00" or "T09:30:15" (hours 0-23, minutes and seconds 0-59), as
 * spreadsheets export date cells; n when there is none. */
static size_t without_time(const char *t, size_t n)
{
    const char *sep = strpbrk(t, " T");
    if (!sep)
        return n;
    const char *p = sep + 1;
    int h, m, x;
    if (!digits(&p, 2, &h) || h > 23 || *p++ != ':' || digits(&p, 2, &m) != 2 || m > 59)
        return n;
    if (*p == ':' && (p++, digits(&p, 2, &x) != 2 || x > 59))
        return n;
    return *p ? n : (size_t)(sep - t);
}

int ot_date_parse(const char *s, int32_t *days, ot_err *err)
{
    char t[TEXT_MAX];
    ot_period p;
    size_t len;
    int arg = 0;
    if (!s)
        s = "";
    len = strlen(s);
    trim(&s, &len);
    if (len == 0)
        return fail(err, "date", s, len, R_EMPTY, arg);
    size_t n = normalise(s, len, t, sizeof t);
    if (n == (size_t)-1)
        return fail(err, "date", s, len, R_LONG, arg);
    t[n = without_time(t, n)] = '\0';
    if (n == 8 && strspn(t, "0123456789") == 8) { /* 20231020 */
        int y = (t[0] - '0') * 1000 + (t[1] - '0') * 100 + (t[2] - '0') * 10 + (t[3] - '0');
        int m = (t[4] - '0') * 10 + (t[5] - '0');
        int d = (t[6] - '0') * 10 + (t[7] - '0');
        if (m < 1 || m > 12)
            return fail(err, "date", s, len, R_MONTH, arg);
        if (d < 1 || d > ot_days_in_month(y, m))
            return fail(err, "date", s, len, R_DAY, ot_days_in_month(y, m));
        *days = ot_days_from_civil(y, m, d);
        return OT_OK;
    }
    int r = scan(t, &p, &arg);
    if (r && r != R_SYNTAX)
        return fail(err, "date", s, len, r, arg);
    if (r || p.freq != OT_FREQ_D)
        return ot_err_set(err, OT_EDATA, "'%.*s' is not a date (expected 2023-10-20)",
                          len > 64 ? 64 : (int)len, s);
    *days = p.ord;
    return OT_OK;
}

int ot_freq_rank(ot_freq f)
{
    switch (f) {
    case OT_FREQ_D: return 1;
    case OT_FREQ_M: return 2;
    case OT_FREQ_Q: return 3;
    case OT_FREQ_Y: return 4;
    default:        return 0;
    }
}

ot_ord ot_period_ord_in(ot_period p, ot_freq f, int last)
{
    ot_ord o = last ? p.ord : p.ord - (p.span - 1);
    if (p.freq == f)
        return o;
    if (ot_freq_rank(p.freq) > ot_freq_rank(f))
        return last ? ot_period_last_sub(p.freq, o, f) : ot_period_convert(p.freq, o, f);
    ot_ord c = ot_period_convert(p.freq, o, f);
    if (last && ot_period_last_sub(f, c, p.freq) > o)
        c--; /* the containing period is not complete by p's end */
    return c;
}
