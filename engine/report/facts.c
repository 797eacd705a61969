/* facts.c — the wordings of a projection's facts in Chinese and English.
 *
 * One line per code: its English and Chinese template.  In a template {k0}
 * and {k1} are the fact's keys as series (named where the caller knows the
 * name), {r1} the second key as it is, {R1} the second key as a period
 * people write it ("2023年6月" / "Jun 2023"), {m1} the second key as a
 * method, {y0}..{y5} its whole numbers, {Y0} the years y0-y1 ("2020" when
 * they are one), {v0.2} a number with 2 decimals, {P0.1}
 * a share as a percentage with 1 decimal (0.74 -> "74.0%"), {p}
 * the period y3 of a year of y2 periods ("month 9" / "9月"), {w} the periods
 * v5 either side of it (" ±3 months" / "及前后3个月"; nothing when v5 is NaN),
 * {q1} the period y1 of the year ("month 9" / "9月", "三季度"; "period 9" /
 * "第9期" when the frequency is unknown), {s0} the periods 1..y0 of the year: "periods 1-9" ("period 1" alone) in
 * English; "1-9月", "一至三季度", "1-9期" when the frequency is unknown in
 * Chinese (the year's periods are y1 of a share assumed, else those of the
 * series k0 the share is borrowed from, as names know it).  A few codes
 * whose wording is built from a list (the record's candidates) are written
 * in C below.  Notes are said as an analyst reads them: short, no possessive
 * on a long name, a scale with what it is for, one year as one year.
 */
#include "report/facts.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/target.h"
#include "report/words.h"

typedef struct wording {
    const char *en, *zh;
} wording;

static const wording wordings[OT_FACT_NCODES] = {
    [OT_M_CARRY_RANGE] = {"carry with the range of {k0}", "按当前进度推算，区间取自{k0}的历史误差"},
    [OT_M_RWSD] = {"rwsd(sigma={v0.4}, {y0} obs)", "带季节漂移的随机游走（σ={v0.4}，{y0}个观测值）"},
    [OT_M_PACE] = {"pace since December", "延续上年12月以来的速度"},
    [OT_M_YOY_WALK] = {"latest yoy carried on", "延续最新同比增速"},
    [OT_M_OUTCOME] = {"outcome", "全年实际值"},
    [OT_N_NO_LEVEL] = {"{k0}: no level for {y0}", "{k0}：缺少{y0}年的总量"},
    [OT_N_NO_GROWTH] = {"{k0}: the {y0} figure is published without its growth",
                        "{k0}：{y0}年数据发布时未附增速"},
    [OT_N_NO_OUTCOME] = {"{k0}: the {y0} outcome cannot be computed (last year's figure missing)",
                         "{k0}：{y0}年实际值无法计算（缺少上年数据）"},
    [OT_N_CORR_ASSUMED] = {"correlation of {k0} and {k1} assumed {v0.1} (too little common history)",
                           "{k0}与{k1}的相关系数假定为{v0.1}（共同历史太短）"},
    [OT_N_CORR] = {"correlation of {k0} and {k1} {v0.2} from their history",
                   "{k0}与{k1}的相关系数为{v0.2}（由历史数据估计）"},
    [OT_N_SC_GROWTH] = {"scenario growth on {k0} skipped where last year's value is unknown",
                        "{k0}上年数值未知的时期，情景增速未应用"},
    [OT_N_SC_AMOUNT] = {"scenario amounts on {k0} skipped: last year's total is unknown",
                        "{k0}上年总量未知，情景金额未应用"},
    [OT_N_SC_PUBLISHED] = {"scenario on {k0} skipped for periods already published (the data stand)",
                           "{k0}的情景设定针对已公布的时期，未应用（以公布数据为准）"},
    [OT_N_SC_FREQ] = {"scenario set on {k0} skipped: its period is not of the series' frequency",
                      "{k0}的情景设定期间与指标频率不符，未应用"},
    [OT_N_SC_STOCK] = {"scenario on {k0} skipped: a stock projected from its record has no period "
                       "values to change (name a model to apply it)",
                       "{k0}为存量指标且按历史表现推算，没有可改变的分期数值，情景未应用（指定模型后可应用）"},
    [OT_N_BASIS] = {"{k0}: growth on the published basis (ytd {v0.2}% published, {v1.2}% from the "
                    "levels)",
                    "{k0}：增速按公布口径（公布累计增速{v0.2}%，按总量计算为{v1.2}%）"},
    [OT_N_SHARE_BORROWED] = {"share of {s0} ({P0.1}) borrowed from {k0}, {Y1}",
                             "{s0}占全年的比重（{P0.1}）取自{k0}{Y1}年"},
    [OT_N_SHARE_ASSUMED] = {"no share for {s0}: taken as {y0}/{y1}",
                            "缺少{s0}占全年的比重，按{y0}/{y1}计"},
    [OT_N_SPREAD_OWN] = {"rest-of-year spread from own history {Y0}",
                         "余下各期的波动取自本指标{Y0}年的历史"},
    [OT_N_SHAPE_BORROWED] = {"shape of the year borrowed from {k0}, {Y0}, its spread widened "
                             "{v0.1} times as usual for a local series",
                             "年内走势取自{k0}{Y0}年，波动按地方指标一般情况放大{v0.1}倍"},
    [OT_N_SHAPE_SHORT] = {"shape reference {k0} has too little history: range is a rule of thumb",
                          "参照指标{k0}历史太短，区间按经验规则"},
    [OT_N_SHAPE_NONE] = {"no shape reference: range is a rule of thumb",
                         "没有参照指标，区间按经验规则"},
    [OT_N_STOCK_PACE] = {"too little history for a model: the pace since last December is carried "
                         "on, range is a rule of thumb",
                         "历史太短，无法建模：延续上年12月以来的速度，区间按经验规则"},
    [OT_N_STOCK_YOY_WALK] = {"too little history for a record: the latest yoy carried to the year "
                             "end, its range a random walk on its {y0} period-to-period changes "
                             "(root mean square {v0.2} points)",
                             "历史太短，无法按历史记录选择方法：最新同比增速延续至年末，区间按其{y0}次"
                             "逐期变化（均方根{v0.2}个百分点）作随机游走"},
    [OT_N_RECORD_SHORT] = {"a record of {y0} years is too short to choose by: carry-forward",
                           "历史记录仅{y0}年，不足以据此选择方法：按当前进度推算"},
    [OT_N_EXCLUDED] = {"{Y0} left out of the record", "历史记录剔除{Y0}年"},
    [OT_N_SCALE_LARGE] = {"the record of {k1} not used: {k0} varies {v0.1} times as much",
                          "未采用{k1}的历史记录：{k0}的波动是其{v0.1}倍"},
    [OT_N_CARRY_SCALED] = {"carry-forward, with a range from its errors on {k0} at {p} in "
                           "{Y0}, scaled by {v0.2} to the indicator's own variation",
                           "按当前进度推算，区间依据该方法在{k0}{Y0}年截至{p}时的推算误差，"
                           "按本指标累计增速的波动幅度调整为{v0.2}倍"},
    [OT_N_CARRY_TYPICAL] = {"carry-forward, with a range from its errors on {k0} at {p} in "
                            "{Y0}, widened {v0.1} times as usual for a local series",
                            "按当前进度推算，区间依据该方法在{k0}{Y0}年截至{p}时的推算误差，"
                            "按地方指标一般情况放大{v0.1}倍"},
    [OT_N_NO_DATA] = {"no data for {k0}", "{k0}无数据"},
    [OT_N_SHAPE_NO_DATA] = {"shape reference {k0} has no data", "参照指标{k0}无数据"},
    [OT_N_YOY_WEIGHTED] = {"{k0}: ytd growth from the period yoy weighted by the shares of {k1}",
                           "{k0}：累计增速由当期同比按{k1}的各期比重加权得到"},
    [OT_N_YOY_EQUAL] = {"{k0}: ytd growth from the period yoy weighted equally (no levels, no "
                        "shape reference)",
                        "{k0}：累计增速由当期同比等权平均得到（没有总量，也没有参照指标）"},
    [OT_N_TOTAL_ONLY] = {"{k0}: the {y0} total is published without its growth; growth projected "
                         "from the data through {q1}",
                         "{k0}：{y0}年总量发布时未附增速，增速按截至{q1}的数据推算"},
    [OT_N_YTD_IMPLIED] = {"ytd growth through {R1} ({v0.1}%) implied from the period yoy weighted by "
                          "the shares of {k0}",
                          "截至{R1}的累计增速（{v0.1}%）由当期同比按{k0}的各期比重推得"},
    [OT_N_YOY_ONLY] = {"{k0}: only period yoy for {y0}, without levels or shares to weight them",
                       "{k0}：{y0}年只有当期同比，没有总量或比重可供加权"},
    [OT_N_NO_YTD] = {"{k0}: no ytd growth for {y0}", "{k0}：{y0}年没有累计增速"},
    [OT_N_NO_DATA_YEAR] = {"{k0}: no data for {y0} yet", "{k0}：{y0}年数据尚未发布"},
    [OT_N_BEFORE_DATA] = {"{k0}: no data for {y0}, a year before its data begin ({y1})",
                          "{k0}：{y0}年早于数据起始年份（{y1}年），没有数据"},
    [OT_N_NO_YEAR_END] = {"{k0}: no year-end level for {y0}", "{k0}：缺少{y0}年末数"},
    [OT_N_RECORD_FORCED] = {"{k0}: too short a record at period {y0} for {m1}: the rules of thumb "
                            "instead",
                            "{k0}：第{y0}期的历史记录太短，无法采用{m1}，改用经验规则"},
    [OT_N_MODEL_FAILED] = {"{k0}: the model {m1} failed", "{k0}：{m1}拟合失败，改用累计值推算"},
    [OT_N_SHAPE_YEARS_SHORT] = {"the record of {k0} over the shape years {Y0} holds {y2} of the "
                                "{y3} years it needs: its range is not borrowed",
                                "{k0}在指定年份{Y0}年的历史记录只有{y2}年，少于{y3}年，"
                                "不借用其区间"},
    [OT_N_UNIT_OTHER] = {"{k0} is in {r1}, the target in another unit: a level is never "
                         "converted (state the target in {r1})",
                         "{k0}的单位是{r1}，与目标的单位不同：不做换算（请以{r1}表述目标）"},
    [OT_N_MODEL_SHORT] = {"{k0}: {m1} needs {y0} years of its own period values: projected from "
                          "its ytd instead",
                          "{k0}：自身分期数据不足{y0}年，无法采用{m1}，改用累计值推算"},
    [OT_N_BASE_NOT_POSITIVE] = {"{k0}: its {y0} total is {v0.1}, not above 0: a growth rate on "
                                "it means nothing, and its year is not projected",
                                "{k0}：{y0}年合计为{v0.1}，不大于0，增速无意义，不作推算"},
};

const char *ot_report_name_of(const char *key, ot_report_lang lang, const ot_report_name *names,
                              size_t n)
{
    for (size_t i = 0; key && i < n; i++)
        if (names[i].key && strcmp(names[i].key, key) == 0) {
            const char *nm = lang == OT_LANG_EN ? names[i].name_en : names[i].name;
            if (nm && nm[0])
                return nm;
        }
    return key ? key : "";
}

/* A buffer being filled: never past cap, always terminated. */
typedef struct out {
    char *buf;
    size_t cap, n;
} out;

static void put(out *o, const char *s)
{
    size_t len = strlen(s);
    if (o->n + 1 >= o->cap)
        return;
    if (len > o->cap - 1 - o->n) {
        /* cut at a UTF-8 character boundary */
        len = o->cap - 1 - o->n;
        while (len && ((unsigned char)s[len] & 0xC0) == 0x80)
            len--;
    }
    memcpy(o->buf + o->n, s, len);
    o->n += len;
    o->buf[o->n] = '\0';
}

/* The record's candidates in the order of their bits (project/record.h);
 * NULL: the level model, named by the fact's key. */
static const char *const cand_names[] = {"carry", "rate", NULL, "rate2y"};
#define NCAND (sizeof cand_names / sizeof *cand_names)

/* A method (a candidate of the record or a named one) in words. */
static const char *method_word(const char *m, ot_report_lang lang)
{
    int zh = lang == OT_LANG_ZH;
    if (strcmp(m, "carry") == 0)
        return zh ? "按当前进度推算" : "carry";
    if (strcmp(m, "rate") == 0)
        return zh ? "公布增速法" : "rate";
    if (strcmp(m, "rate2y") == 0)
        return zh ? "含基数效应的公布增速法" : "rate2y";
    if (zh && (strcmp(m, "levels") == 0 || strcmp(m, "auto") == 0 || strcmp(m, "model") == 0 ||
               !m[0]))
        return "水平模型";
    /* a model named by its method ("ets") or description ("ETS(M,Ad,A)"):
     * the technical designation is the English words' and the JSON's */
    return zh ? "时间序列模型" : m;
}

/* A method in the words of a note (the English method's short names in
 * full: "carry-forward", not "carry"). */
static const char *note_word(const char *m, ot_report_lang lang)
{
    if (lang == OT_LANG_EN && strcmp(m, "carry") == 0)
        return "carry-forward";
    if (lang == OT_LANG_EN && strcmp(m, "rate") == 0)
        return "published rate";
    if (lang == OT_LANG_EN && strcmp(m, "rate2y") == 0)
        return "rate with base effect";
    return method_word(m, lang);
}

/* The chosen candidates of a record (mask) in words: "carry+rate" /
 * "按当前进度推算与公布增速法"; in a note (full) "carry-forward and
 * published rate". */
static void candidates(out *o, unsigned mask, const char *model, ot_report_lang lang, int full)
{
    int first = 1;
    for (unsigned c = 0; c < NCAND; c++)
        if (mask & (1u << c)) {
            if (!first)
                put(o, lang == OT_LANG_ZH ? "与" : full ? " and " : "+");
            first = 0;
            const char *m = cand_names[c] ? cand_names[c] : model[0] ? model : "model";
            put(o, full ? note_word(m, lang) : method_word(m, lang));
        }
}

static const char *const zh_quarters[] = {"一季度", "二季度", "三季度", "四季度"};

static const char *const zh_digits[] = {"一", "二", "三", "四"};

/* The periods in the year of fact f's share: y1 of a share assumed, else
 * those of the series k0 the share is borrowed from; 0 when unknown. */
static int year_periods(const ot_proj_fact *f, const ot_report_name *names, size_t n)
{
    if (f->code == OT_N_SHARE_ASSUMED)
        return f->y[1];
    for (size_t i = 0; f->key[0][0] && i < n; i++)
        if (names[i].key && strcmp(names[i].key, f->key[0]) == 0)
            return names[i].periods;
    return 0;
}

/* The periods 1..y0 of the year of fact f in Chinese: "1-9月" (monthly),
 * "一至三季度" / "一季度" (quarterly), "1-9期" when the frequency is unknown. */
static void zh_periods(char *buf, size_t cap, const ot_proj_fact *f, const ot_report_name *names,
                       size_t n)
{
    int k = f->y[0], per = year_periods(f, names, n);
    if (per == 4 && k == 1)
        snprintf(buf, cap, "一季度");
    else if (per == 4 && k >= 2 && k <= 4)
        snprintf(buf, cap, "一至%s季度", zh_digits[k - 1]);
    else if (per == 12 && k == 1)
        snprintf(buf, cap, "1月");
    else if (per == 12 && k >= 2 && k <= 12)
        snprintf(buf, cap, "1-%d月", k);
    else
        snprintf(buf, cap, "1-%d期", k);
}

/* The periods 1..y0 of the year of fact f in English, as zh_periods:
 * "months 1-9" / "month 1", "Q1-Q3" / "Q1", "periods 1-9" when the
 * frequency is unknown. */
static void en_periods(char *buf, size_t cap, const ot_proj_fact *f, const ot_report_name *names,
                       size_t n)
{
    int k = f->y[0], per = year_periods(f, names, n);
    if (per == 4 && k == 1)
        snprintf(buf, cap, "Q1");
    else if (per == 4 && k >= 2 && k <= 4)
        snprintf(buf, cap, "Q1-Q%d", k);
    else if (per == 12 && k == 1)
        snprintf(buf, cap, "month 1");
    else if (per == 12 && k >= 2 && k <= 12)
        snprintf(buf, cap, "months 1-%d", k);
    else if (k == 1)
        snprintf(buf, cap, "period 1");
    else
        snprintf(buf, cap, "periods 1-%d", k);
}

/* Period k of a year of per periods: "9月" / "month 9", "三季度" /
 * "quarter 3", "第9期" / "period 9" when the frequency is unknown. */
static void period_of(char *buf, size_t cap, int k, int per, ot_report_lang lang)
{
    int zh = lang == OT_LANG_ZH;
    if (per == 4 && k >= 1 && k <= 4 && zh)
        snprintf(buf, cap, "%s", zh_quarters[k - 1]);
    else if (per == 4)
        snprintf(buf, cap, "quarter %d", k);
    else if (per == 12)
        snprintf(buf, cap, zh ? "%d月" : "month %d", k);
    else
        snprintf(buf, cap, zh ? "第%d期" : "period %d", k);
}

static void expand(out *o, const char *tmpl, const ot_proj_fact *f, ot_report_lang lang,
                   const ot_report_name *names, size_t n)
{
    char num[64], one[8];
    for (const char *p = tmpl; *p;) {
        if (*p == '{') {
            const char *e = strchr(p, '}');
            if (e) {
                char c = p[1];
                int i = p[2] >= '0' && p[2] <= '9' ? p[2] - '0' : 0;
                int dec = p[3] == '.' ? p[4] - '0' : 0;
                num[0] = '\0';
                if (c == 'k')
                    put(o, ot_report_name_of(f->key[i & 1], lang, names, n));
                else if (c == 'r')
                    put(o, f->key[i & 1]);
                else if (c == 'R')
                    report_fmt_period(f->key[i & 1], lang, num, sizeof num);
                else if (c == 's' && lang == OT_LANG_ZH)
                    zh_periods(num, sizeof num, f, names, n);
                else if (c == 's')
                    en_periods(num, sizeof num, f, names, n);
                else if (c == 'm')
                    put(o, method_word(f->key[i & 1], lang));
                else if (c == 'y' && i < OT_FACT_NY)
                    snprintf(num, sizeof num, "%d", f->y[i]);
                else if (c == 'q' && i < OT_FACT_NY)
                    period_of(num, sizeof num, f->y[i], year_periods(f, names, n), lang);
                else if (c == 'Y' && i + 1 < OT_FACT_NY && f->y[i] == f->y[i + 1])
                    snprintf(num, sizeof num, "%d", f->y[i]); /* 2020, not 2020-2020 */
                else if (c == 'Y' && i + 1 < OT_FACT_NY)
                    snprintf(num, sizeof num, "%d-%d", f->y[i], f->y[i + 1]);
                else if (c == 'v' && i < OT_FACT_NV)
                    snprintf(num, sizeof num, "%.*f", dec, f->v[i]);
                else if (c == 'P' && i < OT_FACT_NV)
                    snprintf(num, sizeof num, "%.*f%%", dec, 100 * f->v[i]);
                else if (c == 'w' && !isnan(f->v[5])) {
                    int w = (int)f->v[5], q = f->y[2] == 4;
                    if (lang == OT_LANG_ZH)
                        snprintf(num, sizeof num, q ? "及前后%d个季度" : "及前后%d个月", w);
                    else
                        snprintf(num, sizeof num, " ±%d %s%s", w, q ? "quarter" : "month",
                                 w == 1 ? "" : "s");
                } else if (c == 'p' && lang == OT_LANG_ZH && f->y[2] == 4 && f->y[3] >= 1 &&
                         f->y[3] <= 4)
                    snprintf(num, sizeof num, "%s", zh_quarters[f->y[3] - 1]);
                else if (c == 'p')
                    snprintf(num, sizeof num,
                             lang == OT_LANG_ZH ? "%d月"
                                                : (f->y[2] == 4 ? "quarter %d" : "month %d"),
                             f->y[3]);
                put(o, num);
                p = e + 1;
                continue;
            }
        }
        one[0] = *p++;
        one[1] = '\0';
        put(o, one);
    }
}

/* The codes whose wording is built in C. */
static void special(out *o, const ot_proj_fact *f, ot_report_lang lang,
                    const ot_report_name *names, size_t n)
{
    int zh = lang == OT_LANG_ZH;
    char num[96];
    switch (f->code) {
    case OT_M_RECORD:
        put(o, zh ? "按历史表现选择：" : "record: ");
        candidates(o, (unsigned)f->y[0], f->key[0], lang, 0);
        break;
    case OT_M_MODEL:
        put(o, zh ? "时间序列模型（取对数）" : f->key[0]);
        if (!zh)
            put(o, " on logs");
        if (f->y[0])
            put(o, zh ? "，交叉验证区间" : ", cv intervals");
        break;
    case OT_M_SHAPE:
        put(o, zh ? "累计值加年内走势（" : "ytd+shape(");
        if (f->y[0] == 1)
            put(o, zh ? "本指标历史" : "own history");
        else if (f->y[0] == 2)
            put(o, zh ? "经验规则" : "rule of thumb");
        else
            put(o, ot_report_name_of(f->key[0], lang, names, n));
        put(o, zh ? "）" : ")");
        break;
    case OT_N_LEVELS_NONE: {
        const ot_target_kind_desc *d = ot_target_kind_desc_of((ot_target_kind)f->y[0]);
        put(o, ot_report_name_of(f->key[0], lang, names, n));
        put(o, zh ? "只有增速、没有总量，无法推算此类目标"
                  : ": no levels, only growth rates: a ");
        if (!zh) {
            put(o, d ? d->name : "?");
            put(o, " target cannot be projected");
        }
        break;
    }
    case OT_N_NO_SERIES:
        /* keys as they are: the near one is what the user should type */
        expand(o, zh ? "数据库中没有指标{r0}" : "no series {r0} in the database", f, lang, names, n);
        if (f->key[1][0])
            expand(o, zh ? "，是否为{r1}？" : ": did you mean {r1}?", f, lang, names, n);
        break;
    case OT_N_RECORD: {
        /* y: first, last, P, k, errors, chosen; v: mean error chosen, then
         * carry, rate, model (NaN = not scored) */
        candidates(o, (unsigned)f->y[5], f->key[0], lang, 1);
        if (zh) {
            expand(o, "：按{Y0}年同期（{p}{w}）的历史表现选定，平均误差{v0.2}个百分点", f,
                   lang, names, n);
        } else {
            expand(o, " chosen by the record at {p}{w} in {Y0}: mean error {v0.2} points", f, lang,
                   names, n);
        }
        int any = 0;
        unsigned chosen = (unsigned)f->y[5];
        int combined = chosen & (chosen - 1); /* more than one: each said alone */
        for (unsigned c = 0; c < NCAND && 1 + c < OT_FACT_NV; c++) {
            if (isnan(f->v[1 + c]) || chosen == 1u << c)
                continue;
            put(o, any       ? (zh ? "，" : ", ")
                   : combined ? (zh ? "（各方法单独：" : " (each alone: ")
                              : (zh ? "（其他方法：" : " (others: "));
            any = 1;
            const char *m = cand_names[c] ? cand_names[c] : f->key[0][0] ? f->key[0] : "model";
            put(o, note_word(m, lang));
            snprintf(num, sizeof num, zh ? "%.2f" : " %.2f", f->v[1 + c]);
            put(o, num);
        }
        if (any)
            put(o, zh ? "）" : ")");
        expand(o, zh ? "；区间取自{y4}个历史误差" : "; range from {y4} past errors", f, lang, names,
               n);
        break;
    }
    default: break;
    }
}

char *ot_report_fact(const ot_proj_fact *f, const char *ref, ot_report_lang lang,
                     const ot_report_name *names, size_t n, char *buf, size_t cap)
{
    out o = {buf, cap, 0};
    if (cap)
        buf[0] = '\0';
    if (!f || f->code <= 0 || f->code >= OT_FACT_NCODES)
        return buf;
    const wording *w = &wordings[f->code];
    /* a range scaled by 1.00 is the reference's range as it is: no scale to explain */
    static const wording unscaled = {"carry-forward, with a range from its errors on {k0} at "
                                     "{p} in {Y0}",
                                     "按当前进度推算，区间依据该方法在{k0}{Y0}年截至{p}时的推算误差"};
    if (f->code == OT_N_CARRY_SCALED && fabs(f->v[0] - 1) < 0.005)
        w = &unscaled;
    /* a fact said of the ref that names the ref itself names it once */
    const char *tmpl = w->en ? (lang == OT_LANG_ZH ? w->zh : w->en) : NULL;
    int names_ref = tmpl && strstr(tmpl, "{k0}") && ref && strcmp(f->key[0], ref) == 0;
    if (f->of_ref && !names_ref) {
        put(&o, ot_report_name_of(ref ? ref : "ref", lang, names, n));
        put(&o, lang == OT_LANG_ZH ? "：" : ": ");
    }
    if (w->en)
        expand(&o, lang == OT_LANG_ZH ? w->zh : w->en, f, lang, names, n);
    else
        special(&o, f, lang, names, n);
    return buf;
}

/* Whether a fact before fs->f[i] reads the same as text (its words as the
 * list says them, the ref's name before the first of the ref's). */
static int said_before(const ot_proj_facts *fs, int i, const char *ref, ot_report_lang lang,
                       const ot_report_name *names, size_t n, const char *text)
{
    char prev[1024];
    for (int j = 0; j < i; j++) {
        ot_proj_fact f = fs->f[j];
        if (f.of_ref && j && fs->f[j - 1].of_ref)
            f.of_ref = 0;
        if (strcmp(ot_report_fact(&f, ref, lang, names, n, prev, sizeof prev), text) == 0)
            return 1;
    }
    return 0;
}

char *ot_report_facts(const ot_proj_facts *fs, const char *ref, ot_report_lang lang,
                      const ot_report_name *names, size_t n, char *buf, size_t cap)
{
    return ot_report_facts_of(fs, NULL, ref, lang, names, n, buf, cap);
}

char *ot_report_facts_of(const ot_proj_facts *fs, const char *series, const char *ref,
                         ot_report_lang lang, const ot_report_name *names, size_t n, char *buf,
                         size_t cap)
{
    out o = {buf, cap, 0};
    char one[1024], own[512] = "";
    if (cap)
        buf[0] = '\0';
    if (series && series[0]) /* "义乌市出口总额：" / "Yiwu exports (yuan): " */
        snprintf(own, sizeof own, "%s%s", ot_report_name_of(series, lang, names, n),
                 lang == OT_LANG_ZH ? "：" : ": ");
    int refs = 0; /* a fact of the ref said already: the series' own are named again */
    for (int i = 0; fs && i < fs->n; i++) {
        ot_proj_fact f = fs->f[i];
        if (f.of_ref && i && fs->f[i - 1].of_ref)
            f.of_ref = 0; /* the ref named once before its facts */
        ot_report_fact(&f, ref, lang, names, n, one, sizeof one);
        if (said_before(fs, i, ref, lang, names, n, one))
            continue; /* "2020-2022 left out of the record" once, not for the ref again */
        refs |= fs->f[i].of_ref;
        const char *text = one;
        if (own[0] && !refs && strcmp(f.key[0], series) == 0 &&
            strncmp(one, own, strlen(own)) == 0 && one[strlen(own)])
            text = one + strlen(own); /* the footnote names the series already */
        if (o.n)
            put(&o, lang == OT_LANG_ZH ? "；" : "; ");
        put(&o, text);
    }
    return buf;
}
