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

/* x with thousands separators and at most dec decimals, trailing zeros cut. */
static char *grouped(double x, int dec, char *buf, size_t cap)
{
    char num[64];
    ot_fmt_num(x, dec, num, sizeof num);
    const char *digits = num[0] == '-' ? num + 1 : num;
    size_t intlen = strcspn(digits, ".");
    size_t o = 0;
    if (num[0] == '-' && o + 1 < cap)
        buf[o++] = '-';
    for (size_t i = 0; digits[i] && o + 2 < cap; i++) {
        if (i && i < intlen && (intlen - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o < cap ? o : cap - 1] = '\0';
    return buf;
}

char *ot_fmt_level(double x, ot_report_lang lang, const char *unit, char *buf, size_t cap)
{
    char num[64];
    double a = fabs(x);
    int own = unit && (strstr(unit, "万") || strstr(unit, "亿"));
    if (!isfinite(x))
        snprintf(buf, cap, "%s", "");
    else if (lang == OT_LANG_ZH && !own && a >= 1e8)
        snprintf(buf, cap, "%s亿", ot_fmt_num(x / 1e8, 2, num, sizeof num));
    else if (lang == OT_LANG_ZH && !own && a >= 1e4)
        snprintf(buf, cap, "%s万", ot_fmt_num(x / 1e4, 2, num, sizeof num));
    else
        grouped(x, a >= 1000 ? 0 : a >= 10 ? 1 : 2, buf, cap);
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
