/* fields.c — numbers, missing markers and UTF-8 in CSV fields (fields.h). */
#include "io/fields.h"

#include "core/text.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A field quoted for a message: core's escaped, shortened form. */
const char *io_shown(const char *s, char *buf, size_t cap)
{
    return ot_fmt_shown(s, (size_t)-1, buf, cap);
}

int io_ideo_space(const char *s)
{
    return (unsigned char)s[0] == 0xE3 && (unsigned char)s[1] == 0x80 &&
           (unsigned char)s[2] == 0x80;
}

/* One byte through the UTF-8 automaton of io_utf8_check; returns 0 when the
 * byte cannot come next. */
int io_utf8_step(io_utf8 *u, unsigned char b)
{
    if (u->need) {
        if (b < u->lo || b > u->hi)
            return 0;
        u->need--;
        u->lo = 0x80;
        u->hi = 0xBF;
        return 1;
    }
    u->lo = 0x80;
    u->hi = 0xBF;
    if (b < 0x80)
        return 1;
    u->nonascii = 1;
    if (b >= 0xC2 && b <= 0xDF)
        u->need = 1;
    else if (b >= 0xE0 && b <= 0xEF) {
        u->need = 2;
        if (b == 0xE0)
            u->lo = 0xA0;
        else if (b == 0xED)
            u->hi = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
        u->need = 3;
        if (b == 0xF0)
            u->lo = 0x90;
        else if (b == 0xF4)
            u->hi = 0x8F;
    } else
        return 0;
    return 1;
}

/* Index of the first byte of s[0..n) that is not valid UTF-8, or n. */
size_t io_utf8_check(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char b = s[i];
        if (b < 0x80) {
            i++;
            continue;
        }
        size_t k;
        unsigned char lo = 0x80, hi = 0xBF;
        if (b >= 0xC2 && b <= 0xDF)
            k = 1;
        else if (b >= 0xE0 && b <= 0xEF) {
            k = 2;
            if (b == 0xE0)
                lo = 0xA0;
            else if (b == 0xED)
                hi = 0x9F;
        } else if (b >= 0xF0 && b <= 0xF4) {
            k = 3;
            if (b == 0xF0)
                lo = 0x90;
            else if (b == 0xF4)
                hi = 0x8F;
        } else
            return i;
        if (i + k >= n)
            return i;
        if (s[i + 1] < lo || s[i + 1] > hi)
            return i;
        for (size_t j = 2; j <= k; j++)
            if ((s[i + j] & 0xC0) != 0x80)
                return i;
        i += k + 1;
    }
    return n;
}

/* Clinger's fast path: a decimal of at most 15 significant digits and at most
 * 22 after the point is m / 10^k with m and 10^k both exact doubles, so one
 * division gives the correctly rounded result strtod would.  Returns 0 (use
 * strtod) for anything else, exponents included.  s is [+-]digits[.digits]. */
static int fast_decimal(const char *s, double *out)
{
    static const double pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                   1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    int neg = *s == '-';
    if (*s == '-' || *s == '+')
        s++;
    uint64_t m = 0;
    int digits = 0, frac = -1;
    for (; *s; s++) {
        if (*s == '.') {
            frac = 0;
            continue;
        }
        if (*s < '0' || *s > '9')
            return 0;
        m = m * 10 + (uint64_t)(*s - '0');
        if (m && ++digits > 15)
            return 0;
        if (frac >= 0 && ++frac > 22)
            return 0;
    }
    double v = (double)m / pow10[frac > 0 ? frac : 0];
    *out = neg ? -v : v;
    return 1;
}

/* Whether s[0..n) is one missing marker, repeated: -, — (U+2014), ―
 * (U+2015: what Windows' GBK code page makes of —), － (full-width), …
 * (U+2026), or three dots.  Chinese typography doubles the dash and the
 * ellipsis (——, ……), so a table's missing cells are often written so. */
static int missing_marker(const char *s, size_t n)
{
    static const char *const marks[] = {"-", "\xE2\x80\x94", "\xE2\x80\x95", "\xEF\xBC\x8D",
                                        "\xE2\x80\xA6", "..."};
    for (size_t k = 0; k < sizeof marks / sizeof *marks; k++) {
        size_t m = strlen(marks[k]), i = 0;
        while (i + m <= n && memcmp(s + i, marks[k], m) == 0)
            i += m;
        if (i && i == n)
            return 1;
    }
    return 0;
}

/* Parses a number as statistics tables print it: 1234.5, -0.3, 1,234.5
 * (comma groups of three), 1.2e3, 12.3% or 12.3 ％ (the number 12.3: growth
 * rates are percentages everywhere).  Empty and the markers of
 * missing_marker are missing. */
int io_parse_value(const char *s, double *out)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (n == 0 || missing_marker(s, n))
        return V_MISSING;
    char tmp[64];
    size_t t = 0, i = 0;
    size_t pct = n && s[n - 1] == '%' ? 1
                 : n >= 3 && memcmp(s + n - 3, "\xEF\xBC\x85", 3) == 0 ? 3 /* full-width ％ */
                                                                       : 0;
    n -= pct;
    while (pct && n && (s[n - 1] == ' ' || s[n - 1] == '\t')) /* 12.3 % */
        n--;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        tmp[t++] = s[i++];
    /* integer part, with optional thousands separators */
    size_t digits = 0, group = 0;
    int commas = 0;
    for (; i < n && (s[i] == ',' || (s[i] >= '0' && s[i] <= '9')); i++) {
        if (s[i] == ',') {
            if ((commas ? group != 3 : (group == 0 || group > 3)))
                return V_BAD;
            commas = 1;
            group = 0;
            continue;
        }
        if (t >= sizeof tmp - 8)
            return V_BAD;
        tmp[t++] = s[i];
        digits++;
        group++;
    }
    if (commas && group != 3)
        return V_BAD;
    if (i < n && s[i] == '.') {
        tmp[t++] = s[i++];
        for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
            if (t >= sizeof tmp - 8)
                return V_BAD;
            tmp[t++] = s[i];
            digits++;
        }
    }
    if (!digits)
        return V_BAD;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        tmp[t++] = s[i++];
        if (i < n && (s[i] == '+' || s[i] == '-'))
            tmp[t++] = s[i++];
        size_t e = 0;
        for (; i < n && s[i] >= '0' && s[i] <= '9' && e < 4; i++, e++)
            tmp[t++] = s[i];
        if (!e)
            return V_BAD;
    }
    if (i != n)
        return V_BAD;
    tmp[t] = '\0';
    double v;
    if (!fast_decimal(tmp, &v))
        v = strtod(tmp, NULL);
    if (!isfinite(v))
        return V_BAD;
    *out = v;
    return V_OK;
}
