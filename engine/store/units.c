/* units.c — one spelling per unit: the table of the units statistics tables
 * and hand-made files spell in several ways (亿元 and 100m_cny, % and pct).
 * The store keeps the canonical spelling (the one the bureaus print); every
 * comparison of units goes through ot_unit_canonical, so a file in either
 * spelling matches a series declared in the other, while a genuinely
 * different unit (万元 against 亿元, usd_bn against 亿美元) does not.
 * docs/formats.md ("Units") lists the table; keep the two in step.
 */
#include "store/store.h"

#include <string.h>

typedef struct unit_row {
    const char *canon;
    const char *alias[6]; /* NULL-terminated; ASCII matched in any case */
} unit_row;

static const unit_row units[] = {
    {"%", {"pct", "percent", "％", NULL}},
    {"元", {"cny", "yuan", "rmb", "元人民币", NULL}},
    {"万元", {"10k_cny", "cny_10k", "10k_yuan", "万元人民币", NULL}},
    {"亿元", {"100m_cny", "cny_100m", "100m_yuan", "亿元人民币", NULL}},
    {"美元", {"usd", "us$", NULL}},
    {"万美元", {"10k_usd", "usd_10k", NULL}},
    {"亿美元", {"100m_usd", "usd_100m", NULL}},
    {"人", {"persons", "people", NULL}},
    {"万人", {"10k_persons", "10k_people", NULL}},
    {"吨", {"t", "tonnes", "tons", NULL}},
    {"万吨", {"10k_t", "10k_tonnes", "10k_tons", NULL}},
    {"千瓦时", {"kwh", NULL}},
    {"万千瓦时", {"10k_kwh", NULL}},
    {"亿千瓦时", {"100m_kwh", NULL}},
};

/* s[0..n) equals word, ASCII letters in any case. */
static int same_word(const char *s, size_t n, const char *word)
{
    if (strlen(word) != n)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char a = (unsigned char)s[i], b = (unsigned char)word[i];
        if (a >= 'A' && a <= 'Z')
            a = (unsigned char)(a - 'A' + 'a');
        if (a != b)
            return 0;
    }
    return 1;
}

const char *ot_unit_canonical(const char *unit)
{
    if (!unit)
        return NULL;
    size_t n = strlen(unit);
    while (n && (*unit == ' ' || *unit == '\t'))
        unit++, n--;
    while (n && (unit[n - 1] == ' ' || unit[n - 1] == '\t'))
        n--;
    for (size_t i = 0; i < sizeof units / sizeof *units; i++) {
        if (same_word(unit, n, units[i].canon))
            return units[i].canon;
        for (const char *const *a = units[i].alias; *a; a++)
            if (same_word(unit, n, *a))
                return units[i].canon;
    }
    return NULL;
}
