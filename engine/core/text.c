/* text.c — shortest round-trip numbers, escaped text, key and period rules
 * (text.h). */
#include "core/text.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Tries 1..17 significant digits and keeps the first that reads back
 * exactly: 17 always does (IEEE 754 binary64).  The
 * formatting and the reading back use the same locale, whatever it is; its
 * decimal point is then written as '.'. */
const char *ot_fmt_double(double v, char *buf, size_t cap)
{
    if (cap == 0)
        return buf;
    if (isnan(v)) {
        snprintf(buf, cap, "nan");
        return buf;
    }
    if (isinf(v)) {
        snprintf(buf, cap, v < 0 ? "-inf" : "inf");
        return buf;
    }
    char tmp[OT_FMT_DOUBLE_MAX + 8];
    int prec = 1;
    for (; prec < 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*e", prec - 1, v);
        if (strtod(tmp, NULL) == v)
            break;
    }
    /* prec significant digits; plain notation while the exponent is
     * moderate (integers up to 10^17 print whole), else 1.5e+21 */
    snprintf(tmp, sizeof tmp, "%.*e", prec - 1, v);
    int x = atoi(strchr(tmp, 'e') + 1);
    if (x >= -5 && x < 17)
        snprintf(tmp, sizeof tmp, "%.*f", prec - 1 - x > 0 ? prec - 1 - x : 0, v);
    const char *dp = localeconv()->decimal_point;
    size_t dl = dp ? strlen(dp) : 0;
    size_t o = 0;
    for (const char *p = tmp; *p && o + 1 < cap;) {
        if (dl && !(dl == 1 && *dp == '.') && strncmp(p, dp, dl) == 0) {
            buf[o++] = '.';
            p += dl;
        } else
            buf[o++] = *p++;
    }
    buf[o] = '\0';
    return buf;
}

const char *ot_fmt_shown(const char *s, size_t len, char *buf, size_t cap)
{
    if (cap == 0)
        return buf;
    if (len == (size_t)-1)
        len = strlen(s);
    size_t keep = len, o = 0;
    int cut = 0;
    if (keep > 60) {
        keep = 60;
        while (keep > 0 && ((unsigned char)s[keep] & 0xC0) == 0x80)
            keep--;
        cut = 1;
    }
    for (size_t i = 0; i < keep; i++) {
        unsigned char b = (unsigned char)s[i];
        char e[8];
        size_t n;
        if (b == '\\')
            n = (size_t)snprintf(e, sizeof e, "\\\\");
        else if (b == '\n')
            n = (size_t)snprintf(e, sizeof e, "\\n");
        else if (b == '\t')
            n = (size_t)snprintf(e, sizeof e, "\\t");
        else if (b == '\r')
            n = (size_t)snprintf(e, sizeof e, "\\r");
        else if (b < 0x20 || b == 0x7F)
            n = (size_t)snprintf(e, sizeof e, "\\x%02x", b);
        else {
            e[0] = (char)b;
            n = 1;
        }
        if (o + n + 4 > cap) {
            cut = 1;
            break;
        }
        memcpy(buf + o, e, n);
        o += n;
    }
    if (cut && o + 4 <= cap) {
        /* never end inside a UTF-8 sequence */
        while (o > 0 && ((unsigned char)buf[o - 1] & 0xC0) == 0x80) {
            size_t k = o - 1;
            while (k > 0 && ((unsigned char)buf[k] & 0xC0) == 0x80)
                k--;
            unsigned char lead = (unsigned char)buf[k];
            size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
            if (o - k >= need)
                break;
            o = k;
        }
        memcpy(buf + o, "...", 3);
        o += 3;
    }
    buf[o < cap ? o : cap - 1] = '\0';
    return buf;
}

int ot_key_check(const char *key, size_t len, ot_err *err)
{
    char sb[96];
    if (len == (size_t)-1)
        len = strlen(key);
    if (len == 0)
        return ot_err_set(err, OT_EDATA, "expected a series key, found ''");
    for (size_t i = 0; i < len; i++) {
        unsigned char b = (unsigned char)key[i];
        if (b < 0x20 || b == 0x7F)
            return ot_err_set(err, OT_EDATA,
                              "expected a series key, found control character 0x%02X in '%s'", b,
                              ot_fmt_shown(key, len, sb, sizeof sb));
    }
    if (len > OT_KEY_MAX)
        return ot_err_set(err, OT_EDATA, "expected a series key of at most %d bytes, found %zu",
                          OT_KEY_MAX, len);
    return OT_OK;
}

int ot_period_check(ot_period p, ot_err *err)
{
    if (p.freq != OT_FREQ_D && p.freq != OT_FREQ_M && p.freq != OT_FREQ_Q &&
        p.freq != OT_FREQ_Y)
        return ot_err_set(err, OT_EDATA, "expected a period of frequency D, M, Q or Y");
    int y = ot_period_year(p.freq, p.ord);
    if (y < 1 || y > 9999)
        return ot_err_set(err, OT_EDATA, "expected a period in the years 1 to 9999, found year %d",
                          y);
    if (p.span != 1 &&
        !(p.span == 2 && p.freq == OT_FREQ_M && ot_period_sub(OT_FREQ_M, p.ord) == 2))
        return ot_err_set(err, OT_EDATA,
                          "expected a single period (or January-February together), found a span "
                          "of %d",
                          p.span);
    return OT_OK;
}
