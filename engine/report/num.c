/* num.c — the one rule for writing numbers (num.h). */
#include "report/num.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/text.h"
#include "project/projection.h"
#include "report/table.h"

/* Figures that are not finite (NaN: not defined; ±inf: a division by a
 * share of 1 or a base of 0 upstream) print as nothing, as JSON's null. */
char *ot_fmt_growth(double x, char *buf, size_t cap)
{
    if (!isfinite(x))
        snprintf(buf, cap, "%s", "");
    else
        snprintf(buf, cap, "%.1f%%", fabs(x) < 0.05 ? 0.0 : x);
    return buf;
}

char *ot_fmt_prob(double p, char *buf, size_t cap)
{
    if (!isfinite(p))
        snprintf(buf, cap, "%s", "");
    else
        snprintf(buf, cap, "%.0f%%", ot_proj_prob_round(p) * 100);
    return buf;
}

/* x with thousands separators (none in Chinese below 10,000: 1000个, as
 * the bureaus write it) and at most dec decimals, trailing zeros cut
 * (exactly dec decimals when fixed). */
static char *grouped(double x, int dec, int fixed, ot_report_lang lang, char *buf, size_t cap)
{
    char num[64];
    if (fixed) {
        snprintf(num, sizeof num, "%.*f", dec, x);
        if (num[0] == '-' && num[1 + strspn(num + 1, "0.")] == '\0')
            memmove(num, num + 1, strlen(num)); /* -0.00 is 0.00 */
    } else
        ot_fmt_num(x, dec, num, sizeof num);
    const char *digits = num[0] == '-' ? num + 1 : num;
    size_t intlen = strcspn(digits, ".");
    size_t o = 0;
    if (num[0] == '-' && o + 1 < cap)
        buf[o++] = '-';
    for (size_t i = 0; digits[i] && o + 2 < cap; i++) {
        if (i && i < intlen && (intlen - i) % 3 == 0 && (lang == OT_LANG_EN || intlen > 4))
            buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o < cap ? o : cap - 1] = '\0';
    return buf;
}

/* How a level of size a is written: divided by *div with suffix *sfx (亿,
 * 万 in Chinese when the unit has neither), to *dec decimals. */
static void level_scale(double a, ot_report_lang lang, const char *unit, double *div,
                        const char **sfx, int *dec)
{
    int own = unit && (strstr(unit, "万") || strstr(unit, "亿"));
    *div = 1, *sfx = "", *dec = a >= 1000 ? 0 : a >= 10 ? 1 : 2;
    if (lang == OT_LANG_ZH && !own && a >= 1e8)
        *div = 1e8, *sfx = "亿", *dec = 2;
    else if (lang == OT_LANG_ZH && !own && a >= 1e4)
        *div = 1e4, *sfx = "万", *dec = 2;
}

char *ot_fmt_level(double x, ot_report_lang lang, const char *unit, char *buf, size_t cap)
{
    char num[64];
    double div;
    const char *sfx;
    int dec;
    if (!isfinite(x)) {
        snprintf(buf, cap, "%s", "");
        return buf;
    }
    level_scale(fabs(x), lang, unit, &div, &sfx, &dec);
    snprintf(buf, cap, "%s%s", grouped(x / div, dec, 0, lang, num, sizeof num), sfx);
    return buf;
}

/* Both ends in the scale and decimals of the larger one, every digit
 * kept, so the two read alike: "8.21 .. 12.35" never, "8.2 .. 12.3";
 * "56.25万 – 60.00万", not "56.25万 – 60万". */
char *ot_fmt_level_range(double lo, double hi, ot_report_lang lang, const char *unit,
                         const char *sep, char *buf, size_t cap)
{
    char a[64], b[64];
    double div;
    const char *sfx;
    int dec;
    if (!isfinite(lo) || !isfinite(hi)) {
        snprintf(buf, cap, "%s", "");
        return buf;
    }
    level_scale(fmax(fabs(lo), fabs(hi)), lang, unit, &div, &sfx, &dec);
    grouped(lo / div, dec, 1, lang, a, sizeof a);
    grouped(hi / div, dec, 1, lang, b, sizeof b);
    snprintf(buf, cap, "%s%s%s%s%s", a, sfx, sep, b, sfx);
    return buf;
}

char *ot_fmt_value(double x, char *buf, size_t cap)
{
    char raw[OT_FMT_DOUBLE_MAX];
    if (isnan(x)) {
        snprintf(buf, cap, "%s", "");
        return buf;
    }
    ot_fmt_double(x, raw, sizeof raw);
    /* significant digits: from the first non-zero digit to the last */
    size_t sig = 0, run = 0, lead = 1;
    for (const char *p = raw; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9') {
            if (*p != '0')
                lead = 0;
            if (lead)
                continue;
            run++;
            if (*p != '0')
                sig = run;
        }
    if (sig <= 6 || isinf(x))
        snprintf(buf, cap, "%s", raw);
    else if (fabs(x) >= 1)
        snprintf(buf, cap, "%.1f", x);
    else
        snprintf(buf, cap, "%.3g", x);
    return buf;
}
