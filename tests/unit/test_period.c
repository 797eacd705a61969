/* test_period.c — periods: every accepted form, every rejected one with its
 * exact message, formatting, ordinals, conversion and civil dates. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/period.h"

/* Ordinals by hand: M = year*12 + month-1, so 2023-01 = 24276; Q = year*4 +
 * quarter-1, so 2023Q1 = 8092; D = days since 1970-01-01. */
static const struct {
    const char *text;
    ot_freq freq;
    ot_ord ord;
    int span;
    const char *canon;
} good[] = {
    {"2023-01", OT_FREQ_M, 24276, 1, "2023-01"},
    {"2023-1", OT_FREQ_M, 24276, 1, "2023-01"},
    {"2023-12", OT_FREQ_M, 24287, 1, "2023-12"},
    {"2023M01", OT_FREQ_M, 24276, 1, "2023-01"},
    {"2023M1", OT_FREQ_M, 24276, 1, "2023-01"},
    {"2023m10", OT_FREQ_M, 24285, 1, "2023-10"},
    {"2023/03", OT_FREQ_M, 24278, 1, "2023-03"},
    {"2023年1月", OT_FREQ_M, 24276, 1, "2023-01"},
    {"2023年01月", OT_FREQ_M, 24276, 1, "2023-01"},
    {"2023年12月", OT_FREQ_M, 24287, 1, "2023-12"},
    {"2023-01/02", OT_FREQ_M, 24277, 2, "2023-01/02"},
    {"2023-1/2", OT_FREQ_M, 24277, 2, "2023-01/02"},
    {"2023年1-2月", OT_FREQ_M, 24277, 2, "2023-01/02"},
    {"2023年1-2月份", OT_FREQ_M, 24277, 2, "2023-01/02"},
    {"2023年3月份", OT_FREQ_M, 24278, 1, "2023-03"},
    {"2023年1—2月", OT_FREQ_M, 24277, 2, "2023-01/02"},   /* em dash */
    {"2023年1～2月", OT_FREQ_M, 24277, 2, "2023-01/02"},  /* full-width tilde */
    {"2023年1–2月", OT_FREQ_M, 24277, 2, "2023-01/02"},   /* en dash */
    /* a tilde or dash between two months is a range, never a date's separator */
    {"2023-01～02", OT_FREQ_M, 24277, 2, "2023-01/02"},
    {"2023-1~2", OT_FREQ_M, 24277, 2, "2023-01/02"},
    {"2023-01—02", OT_FREQ_M, 24277, 2, "2023-01/02"},
    /* 1至2月 and 1、2月 (January and February listed) as bureaus' texts write them */
    {"2023年1至2月", OT_FREQ_M, 24277, 2, "2023-01/02"},
    {"2023年1、2月", OT_FREQ_M, 24277, 2, "2023-01/02"},
    {"2023年1、2月份", OT_FREQ_M, 24277, 2, "2023-01/02"},
    /* a data vendor's dotted month, two digits (2023.1 is refused below) */
    {"2023.02", OT_FREQ_M, 24277, 1, "2023-02"},
    {"2023.10", OT_FREQ_M, 24285, 1, "2023-10"},
    {"2023.1.15", OT_FREQ_D, 19372, 1, "2023-01-15"},
    /* a blank not between two digits is dropped */
    {"2023 年 1 月", OT_FREQ_M, 24276, 1, "2023-01"},
    {"2023年 1-2月", OT_FREQ_M, 24277, 2, "2023-01/02"},
    {"2023 Q1", OT_FREQ_Q, 8092, 1, "2023Q1"},
    {"2023\xE3\x80\x80年\xE3\x80\x80二季度", OT_FREQ_Q, 8093, 1, "2023Q2"}, /* U+3000 */
    {"2023Q1", OT_FREQ_Q, 8092, 1, "2023Q1"},
    {"2023q4", OT_FREQ_Q, 8095, 1, "2023Q4"},
    {"2023-Q1", OT_FREQ_Q, 8092, 1, "2023Q1"},
    {"2023年一季度", OT_FREQ_Q, 8092, 1, "2023Q1"},
    {"2023年二季度", OT_FREQ_Q, 8093, 1, "2023Q2"},
    {"2023年三季度", OT_FREQ_Q, 8094, 1, "2023Q3"},
    {"2023年四季度", OT_FREQ_Q, 8095, 1, "2023Q4"},
    {"2023年第一季度", OT_FREQ_Q, 8092, 1, "2023Q1"},
    {"2023年第3季度", OT_FREQ_Q, 8094, 1, "2023Q3"},
    {"2023年1季度", OT_FREQ_Q, 8092, 1, "2023Q1"},
    {"2023", OT_FREQ_Y, 2023, 1, "2023"},
    {"2023年", OT_FREQ_Y, 2023, 1, "2023"},
    {"2023年度", OT_FREQ_Y, 2023, 1, "2023"}, /* as budget and annual reports write it */
    /* 2023-01-15: 53 years from 1970 with 13 leap days (1972..2020) =
     * 53*365 + 13 = 19358 days to 2023-01-01, + 14 = 19372. */
    {"2023-01-15", OT_FREQ_D, 19372, 1, "2023-01-15"},
    {"2023/1/15", OT_FREQ_D, 19372, 1, "2023-01-15"},
    {"2023年1月15日", OT_FREQ_D, 19372, 1, "2023-01-15"},
    /* 2024-02-29: 2024-01-01 = 19358 + 365 = 19723, + 31 + 28 = 19782 */
    {"2024-02-29", OT_FREQ_D, 19782, 1, "2024-02-29"},
    {"1970-01-01", OT_FREQ_D, 0, 1, "1970-01-01"},
    {"1969-12-31", OT_FREQ_D, -1, 1, "1969-12-31"},
    {"  2023-01\t", OT_FREQ_M, 24276, 1, "2023-01"},
    {"\xE3\x80\x80" "2023Q2" "\xE3\x80\x80", OT_FREQ_Q, 8093, 1, "2023Q2"}, /* U+3000 */
    {"２０２３年１月", OT_FREQ_M, 24276, 1, "2023-01"},                     /* full-width */
    {"２０２３－０３", OT_FREQ_M, 24278, 1, "2023-03"},
    {"２０２３Ｑ２", OT_FREQ_Q, 8093, 1, "2023Q2"},
};

static void test_period_parse_every_form(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        ot_period p = {OT_FREQ_NONE, -7, 0};
        ot_err err;
        char buf[OT_PERIOD_STRMAX];
        ot_err_clear(&err);
        int rc = ot_period_parse(good[i].text, (size_t)-1, &p, &err);
        if (rc != OT_OK)
            fail_msg("%s: %s", good[i].text, err.msg);
        assert_int_equal(p.freq, good[i].freq);
        assert_int_equal(p.ord, good[i].ord);
        assert_int_equal(p.span, good[i].span);
        ot_period_format(p, buf, sizeof buf);
        assert_string_equal(buf, good[i].canon);
        /* the canonical text parses back to the same period */
        ot_period q;
        assert_int_equal(ot_period_parse(buf, (size_t)-1, &q, &err), OT_OK);
        assert_int_equal(q.ord, p.ord);
        assert_int_equal(q.span, p.span);
    }
}

static void test_period_parse_uses_len(void **state)
{
    (void)state;
    ot_period p;
    assert_int_equal(ot_period_parse("2023-01-15xyz", 7, &p, NULL), OT_OK);
    assert_int_equal(p.freq, OT_FREQ_M);
    assert_int_equal(p.ord, 24276);
}

static const struct {
    const char *text;
    const char *msg;
} bad[] = {
    {"", "'' is not a period (empty)"},
    {"   ", "'' is not a period (empty)"},
    {"2023-13", "'2023-13' is not a period (month must be 1-12)"},
    {"2023-00", "'2023-00' is not a period (month must be 1-12)"},
    {"2023M13", "'2023M13' is not a period (month must be 1-12)"},
    {"2023年13月", "'2023年13月' is not a period (month must be 1-12)"},
    {"2023年0月", "'2023年0月' is not a period (month must be 1-12)"},
    {"2023Q5", "'2023Q5' is not a period (quarter must be 1-4)"},
    {"2023Q0", "'2023Q0' is not a period (quarter must be 1-4)"},
    {"2023年五季度", "'2023年五季度' is not a period (expected a form such as 2023-01, "
                    "2023-01/02, 2023Q1, 2023, 2023-01-15 or 2023年1月)"},
    {"2023年5季度", "'2023年5季度' is not a period (quarter must be 1-4)"},
    {"2023-02-29", "'2023-02-29' is not a period (day must be 1-28)"},
    {"2024-02-30", "'2024-02-30' is not a period (day must be 1-29)"},
    {"2023-04-31", "'2023-04-31' is not a period (day must be 1-30)"},
    {"2023-01-00", "'2023-01-00' is not a period (day must be 1-31)"},
    {"2023-13-01", "'2023-13-01' is not a period (month must be 1-12)"},
    {"2023-02/03", "'2023-02/03' is not a period (only January and February may be combined)"},
    {"2023年2-3月", "'2023年2-3月' is not a period (only January and February may be combined)"},
    {"2023年1-3月", "'2023年1-3月' is not a period (a year-to-date month is written as the "
                   "month alone, e.g. 2023年3月)"},
    {"2023-01/13", "'2023-01/13' is not a period (month must be 1-12)"},
    {"2023-02～03", "'2023-02～03' is not a period (only January and February may be combined)"},
    {"2023~01~15", "'2023~01~15' is not a period (expected a form such as 2023-01, 2023-01/02, "
                   "2023Q1, 2023, 2023-01-15 or 2023年1月)"},
    {"2023-01~02-15", "'2023-01~02-15' is not a period (expected a form such as 2023-01, "
                      "2023-01/02, 2023Q1, 2023, 2023-01-15 or 2023年1月)"},
    {"23-01", "'23-01' is not a period (year must have 4 digits)"},
    {"20231", "'20231' is not a period (year must have 4 digits)"},
    {"abc", "'abc' is not a period (expected a form such as 2023-01, 2023-01/02, 2023Q1, 2023, "
            "2023-01-15 or 2023年1月)"},
    {"2023-01x", "'2023-01x' is not a period (expected a form such as 2023-01, 2023-01/02, "
                 "2023Q1, 2023, 2023-01-15 or 2023年1月)"},
    {"2023-001", "'2023-001' is not a period (expected a form such as 2023-01, 2023-01/02, "
                 "2023Q1, 2023, 2023-01-15 or 2023年1月)"},
    {"2023Q12", "'2023Q12' is not a period (expected a form such as 2023-01, 2023-01/02, "
                "2023Q1, 2023, 2023-01-15 or 2023年1月)"},
    {"2023年1月份份", "'2023年1月份份' is not a period (expected a form such as 2023-01, "
                    "2023-01/02, 2023Q1, 2023, 2023-01-15 or 2023年1月)"},
    {"2023年1月x", "'2023年1月x' is not a period (expected a form such as 2023-01, 2023-01/02, "
                  "2023Q1, 2023, 2023-01-15 or 2023年1月)"},
    {"2023年度1月", "'2023年度1月' is not a period (expected a form such as 2023-01, 2023-01/02, "
                   "2023Q1, 2023, 2023-01-15 or 2023年1月)"},
    {"2023-01-15-1", "'2023-01-15-1' is not a period (expected a form such as 2023-01, "
                     "2023-01/02, 2023Q1, 2023, 2023-01-15 or 2023年1月)"},
    {"2023年第五季度", "'2023年第五季度' is not a period (expected a form such as 2023-01, "
                      "2023-01/02, 2023Q1, 2023, 2023-01-15 or 2023年1月)"},
    {"2023.1", "'2023.1' is not a period (a one-digit month after a dot is ambiguous: 2023.10 "
               "saved as a number reads 2023.1; write 2023.01, 2023.10 or 2023-01)"},
    {"2023年1、3月", "'2023年1、3月' is not a period (only January and February may be combined)"},
    {"2023年1、8月", "'2023年1、8月' is not a period (only January and February may be combined)"},
    {"2023 01", "'2023 01' is not a period (expected a form such as 2023-01, 2023-01/02, "
                "2023Q1, 2023, 2023-01-15 or 2023年1月)"},
    {"2023-0 1", "'2023-0 1' is not a period (expected a form such as 2023-01, 2023-01/02, "
                 "2023Q1, 2023, 2023-01-15 or 2023年1月)"},
    {"2023-01-01-01-01-01-01-01-01-01-01-01-01-01-01-01-01",
     "'2023-01-01-01-01-01-01-01-01-01-01-01-01-01-01-01-01' is not a period (too long)"},
};

static void test_period_parse_rejects_with_exact_message(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        ot_period p = {OT_FREQ_NONE, -7, 0};
        ot_err err;
        ot_err_clear(&err);
        int rc = ot_period_parse(bad[i].text, (size_t)-1, &p, &err);
        if (rc != OT_EDATA)
            fail_msg("%s: accepted (rc %d)", bad[i].text, rc);
        assert_int_equal(err.code, OT_EDATA);
        assert_string_equal(err.msg, bad[i].msg);
        assert_int_equal(p.ord, -7); /* out-parameter untouched on failure */
    }
}

static void test_period_parse_long_text_is_shortened(void **state)
{
    (void)state;
    char text[201];
    ot_err err;
    ot_period p;
    memset(text, 'x', 200);
    text[200] = '\0';
    assert_int_equal(ot_period_parse(text, (size_t)-1, &p, &err), OT_EDATA);
    /* 64 x's, then "...", then the reason */
    char want[128];
    snprintf(want, sizeof want, "'%.64s...' is not a period (too long)", text);
    assert_string_equal(err.msg, want);
}

static void test_period_parse_long_chinese_text_cut_on_a_character(void **state)
{
    (void)state;
    /* 30 x "年" is 90 bytes; 64 would cut the 22nd character in half, so
     * the message shows 21 characters (63 bytes) */
    char text[91] = "";
    char want[200] = "'";
    ot_err err;
    ot_period p;
    for (int i = 0; i < 30; i++)
        strcat(text, "年");
    for (int i = 0; i < 21; i++)
        strcat(want, "年");
    strcat(want, "...' is not a period (too long)");
    assert_int_equal(ot_period_parse(text, (size_t)-1, &p, &err), OT_EDATA);
    assert_string_equal(err.msg, want);
}

static void test_period_parse_null_err_is_fine(void **state)
{
    (void)state;
    ot_period p;
    assert_int_equal(ot_period_parse("2023-99", (size_t)-1, &p, NULL), OT_EDATA);
}

/* A bureau's year-to-date range from January is its last month, for ytd
 * figures only: 2023年1-8月 -> 2023-08 (2023*12 + 7 = 24283). */
static void test_period_parse_ytd_range(void **state)
{
    (void)state;
    ot_period p;
    ot_err err;
    assert_int_equal(ot_period_parse_ytd("2023年1-8月", (size_t)-1, &p, &err), OT_OK);
    assert_int_equal(p.freq, OT_FREQ_M);
    assert_int_equal(p.ord, 2023 * 12 + 7);
    assert_int_equal(p.span, 1);
    assert_int_equal(ot_period_parse_ytd("2023年1-12月份", (size_t)-1, &p, &err), OT_OK);
    assert_int_equal(p.ord, 2023 * 12 + 11);
    /* everything ot_period_parse takes, as it takes it */
    assert_int_equal(ot_period_parse_ytd("2023年1-2月", (size_t)-1, &p, &err), OT_OK);
    assert_int_equal(p.span, 2);
    assert_int_equal(ot_period_parse_ytd("2023Q3", (size_t)-1, &p, &err), OT_OK);
    assert_int_equal(p.freq, OT_FREQ_Q);
    /* a range not from January is no year-to-date figure */
    assert_int_equal(ot_period_parse_ytd("2023年3-8月", (size_t)-1, &p, &err), OT_EDATA);
    assert_int_equal(ot_period_parse_ytd("2023年1-13月", (size_t)-1, &p, &err), OT_EDATA);
    /* and ot_period_parse keeps refusing the range */
    assert_int_equal(ot_period_parse("2023年1-8月", (size_t)-1, &p, &err), OT_EDATA);
    /* quarters to date, as GDP is published: 上半年 is through Q2 (2023*4 + 1),
     * 前三季度 and 1-3季度 through Q3 */
    assert_int_equal(ot_period_parse_ytd("2023年上半年", (size_t)-1, &p, &err), OT_OK);
    assert_int_equal(p.freq, OT_FREQ_Q);
    assert_int_equal(p.ord, 2023 * 4 + 1);
    assert_int_equal(p.span, 1);
    assert_int_equal(ot_period_parse_ytd("2023年前三季度", (size_t)-1, &p, &err), OT_OK);
    assert_int_equal(p.ord, 2023 * 4 + 2);
    assert_int_equal(ot_period_parse_ytd("2023年1-3季度", (size_t)-1, &p, &err), OT_OK);
    assert_int_equal(p.ord, 2023 * 4 + 2);
    assert_int_equal(ot_period_parse_ytd("2023年1-4季度", (size_t)-1, &p, &err), OT_OK);
    assert_int_equal(p.ord, 2023 * 4 + 3);
    assert_int_equal(ot_period_parse_ytd("2023年2-3季度", (size_t)-1, &p, &err), OT_EDATA);
    assert_int_equal(ot_period_parse_ytd("2023年1-5季度", (size_t)-1, &p, &err), OT_EDATA);
    assert_int_equal(ot_period_parse_ytd("2023年上半年度", (size_t)-1, &p, &err), OT_EDATA);
    assert_int_equal(ot_period_parse("2023年上半年", (size_t)-1, &p, &err), OT_EDATA);
    assert_int_equal(ot_period_parse("2023年前三季度", (size_t)-1, &p, &err), OT_EDATA);
}

/* A period a reader names: every ot_period_parse form as it is (2023Q1
 * stays a quarter, 2023-01/02 keeps its span), a year to date as the month
 * it ends: 2023年1-8月 -> 2023-08 (24283), 上半年 -> 2023-06 (24281),
 * 前三季度 -> 2023-09 (24284). */
static void test_period_parse_query(void **state)
{
    (void)state;
    ot_period p;
    ot_err err;
    assert_int_equal(ot_period_parse_query("2023Q1", (size_t)-1, &p, &err), OT_OK);
    assert_int_equal(p.freq, OT_FREQ_Q);
    assert_int_equal(p.ord, 2023 * 4);
    assert_int_equal(ot_period_parse_query("2023年1-2月", (size_t)-1, &p, &err), OT_OK);
    assert_int_equal(p.freq, OT_FREQ_M);
    assert_int_equal(p.ord, 24277);
    assert_int_equal(p.span, 2);
    assert_int_equal(ot_period_parse_query("2023年1-8月", (size_t)-1, &p, &err), OT_OK);
    assert_int_equal(p.freq, OT_FREQ_M);
    assert_int_equal(p.ord, 24283);
    assert_int_equal(ot_period_parse_query("2023年上半年", (size_t)-1, &p, &err), OT_OK);
    assert_int_equal(p.freq, OT_FREQ_M);
    assert_int_equal(p.ord, 24281);
    assert_int_equal(p.span, 1);
    assert_int_equal(ot_period_parse_query("2023年前三季度", (size_t)-1, &p, &err), OT_OK);
    assert_int_equal(p.ord, 24284);
    assert_int_equal(ot_period_parse_query("2023-13", (size_t)-1, &p, &err), OT_EDATA);
    assert_int_equal(ot_period_parse_query("2023年3-8月", (size_t)-1, &p, &err), OT_EDATA);
}

static void test_period_format_each_freq(void **state)
{
    (void)state;
    char buf[OT_PERIOD_STRMAX];
    assert_int_equal(ot_period_fmt(OT_FREQ_M, 24287, buf, sizeof buf), 7);
    assert_string_equal(buf, "2023-12");
    ot_period_fmt(OT_FREQ_Q, 8095, buf, sizeof buf);
    assert_string_equal(buf, "2023Q4");
    ot_period_fmt(OT_FREQ_Y, 2023, buf, sizeof buf);
    assert_string_equal(buf, "2023");
    ot_period_fmt(OT_FREQ_D, 19782, buf, sizeof buf);
    assert_string_equal(buf, "2024-02-29");
    /* a span-2 period on a month other than February is printed plainly */
    ot_period p = {OT_FREQ_M, 24278, 2};
    ot_period_format(p, buf, sizeof buf);
    assert_string_equal(buf, "2023-03");
    /* a small buffer truncates but reports the full length, as snprintf */
    char small[5];
    assert_int_equal(ot_period_fmt(OT_FREQ_M, 24287, small, sizeof small), 7);
    assert_string_equal(small, "2023");
}

static void test_period_freq_names(void **state)
{
    (void)state;
    assert_int_equal(ot_freq_parse("M"), OT_FREQ_M);
    assert_int_equal(ot_freq_parse("monthly"), OT_FREQ_M);
    assert_int_equal(ot_freq_parse("q"), OT_FREQ_Q);
    assert_int_equal(ot_freq_parse("A"), OT_FREQ_Y);
    assert_int_equal(ot_freq_parse("annual"), OT_FREQ_Y);
    assert_int_equal(ot_freq_parse("daily"), OT_FREQ_D);
    assert_int_equal(ot_freq_parse("W"), OT_FREQ_NONE);
    assert_int_equal(ot_freq_parse(NULL), OT_FREQ_NONE);
    assert_string_equal(ot_freq_name(OT_FREQ_Q), "Q");
    assert_string_equal(ot_freq_name(OT_FREQ_NONE), "");
    assert_int_equal(ot_freq_per_year(OT_FREQ_M), 12);
    assert_int_equal(ot_freq_per_year(OT_FREQ_Q), 4);
    assert_int_equal(ot_freq_per_year(OT_FREQ_Y), 1);
    assert_int_equal(ot_freq_per_year(OT_FREQ_D), 0);
}

static void test_period_make_year_sub(void **state)
{
    (void)state;
    assert_int_equal(ot_period_make(OT_FREQ_M, 2023, 2), 24277);
    assert_int_equal(ot_period_make(OT_FREQ_Q, 2023, 4), 8095);
    assert_int_equal(ot_period_make(OT_FREQ_Y, 2023, 1), 2023);
    /* day 60 of 2024 is 29 February: 19723 + 59 = 19782 */
    assert_int_equal(ot_period_make(OT_FREQ_D, 2024, 60), 19782);
    assert_int_equal(ot_period_year(OT_FREQ_M, 24287), 2023);
    assert_int_equal(ot_period_sub(OT_FREQ_M, 24287), 12);
    assert_int_equal(ot_period_year(OT_FREQ_Q, 8092), 2023);
    assert_int_equal(ot_period_sub(OT_FREQ_Q, 8094), 3);
    assert_int_equal(ot_period_year(OT_FREQ_D, 19782), 2024);
    assert_int_equal(ot_period_sub(OT_FREQ_D, 19782), 60);
    assert_int_equal(ot_period_sub(OT_FREQ_D, ot_days_from_civil(2024, 12, 31)), 366);
    /* negative ordinals floor: month -1 is December of year -1 */
    assert_int_equal(ot_period_year(OT_FREQ_M, -1), -1);
    assert_int_equal(ot_period_sub(OT_FREQ_M, -1), 12);
}

static void test_period_convert_between_freqs(void **state)
{
    (void)state;
    /* coarsening */
    assert_int_equal(ot_period_convert(OT_FREQ_M, 24281, OT_FREQ_Q), 8093); /* 2023-06 -> Q2 */
    assert_int_equal(ot_period_convert(OT_FREQ_M, 24282, OT_FREQ_Q), 8094); /* 2023-07 -> Q3 */
    assert_int_equal(ot_period_convert(OT_FREQ_M, 24287, OT_FREQ_Y), 2023);
    assert_int_equal(ot_period_convert(OT_FREQ_Q, 8095, OT_FREQ_Y), 2023);
    assert_int_equal(ot_period_convert(OT_FREQ_D, 19782, OT_FREQ_M), 24289); /* 2024-02 */
    assert_int_equal(ot_period_convert(OT_FREQ_D, 19782, OT_FREQ_Q), 8096);  /* 2024Q1 */
    assert_int_equal(ot_period_convert(OT_FREQ_D, 19782, OT_FREQ_Y), 2024);
    assert_int_equal(ot_period_convert(OT_FREQ_M, 24276, OT_FREQ_M), 24276);
    /* refining: the first sub-period; last_sub: the last */
    assert_int_equal(ot_period_convert(OT_FREQ_Y, 2023, OT_FREQ_M), 24276);
    assert_int_equal(ot_period_last_sub(OT_FREQ_Y, 2023, OT_FREQ_M), 24287);
    assert_int_equal(ot_period_convert(OT_FREQ_Q, 8093, OT_FREQ_M), 24279);   /* Q2 -> Apr */
    assert_int_equal(ot_period_last_sub(OT_FREQ_Q, 8093, OT_FREQ_M), 24281); /* -> Jun */
    assert_int_equal(ot_period_convert(OT_FREQ_Y, 2023, OT_FREQ_Q), 8092);
    assert_int_equal(ot_period_last_sub(OT_FREQ_Y, 2023, OT_FREQ_Q), 8095);
    assert_int_equal(ot_period_convert(OT_FREQ_M, 24289, OT_FREQ_D), 19754); /* 2024-02-01 */
    assert_int_equal(ot_period_last_sub(OT_FREQ_M, 24289, OT_FREQ_D), 19782); /* 02-29 */
    assert_int_equal(ot_period_last_sub(OT_FREQ_Y, 2024, OT_FREQ_D), 20088); /* 19723+365 */
    assert_int_equal(ot_period_convert(OT_FREQ_Q, 8096, OT_FREQ_D), 19723);
}

static void test_period_first_last_day(void **state)
{
    (void)state;
    assert_int_equal(ot_period_first_day(OT_FREQ_Y, 2024), 19723);
    assert_int_equal(ot_period_last_day(OT_FREQ_Y, 2024), 20088);
    assert_int_equal(ot_period_first_day(OT_FREQ_Q, 8096), 19723);
    /* Q1 2024: 31 + 29 + 31 = 91 days, so it ends on day 19723 + 90 */
    assert_int_equal(ot_period_last_day(OT_FREQ_Q, 8096), 19813);
    assert_int_equal(ot_period_last_day(OT_FREQ_M, 24289), 19782);
    assert_int_equal(ot_period_first_day(OT_FREQ_D, 5), 5);
}

static void test_period_civil_round_trip(void **state)
{
    (void)state;
    /* Every day from 1600-01-01 to 2400-12-31 maps back to itself, and the
     * day count moves by exactly one each time (so leap years are right). */
    int32_t d0 = ot_days_from_civil(1600, 1, 1), d1 = ot_days_from_civil(2400, 12, 31);
    int py = 1599, pm = 12, pd = 31;
    for (int32_t d = d0; d <= d1; d++) {
        int y, m, dd;
        ot_civil_from_days(d, &y, &m, &dd);
        assert_int_equal(ot_days_from_civil(y, m, dd), d);
        if (dd == 1) {
            assert_int_equal(pd, ot_days_in_month(py, pm));
        } else {
            assert_int_equal(dd, pd + 1);
        }
        py = y, pm = m, pd = dd;
    }
    /* 1600..2400: 801 years, 195 leap (every 4th: 201, minus 1700, 1800,
     * 1900, 2100, 2200, 2300 = 6), so 801*365 + 195 days */
    assert_int_equal(d1 - d0 + 1, 801 * 365 + 195);
}

static void test_period_leap_years(void **state)
{
    (void)state;
    assert_true(ot_is_leap(2024));
    assert_true(ot_is_leap(2000));
    assert_false(ot_is_leap(1900));
    assert_false(ot_is_leap(2023));
    assert_int_equal(ot_days_in_year(2024), 366);
    assert_int_equal(ot_days_in_year(2100), 365);
    assert_int_equal(ot_days_in_month(2024, 2), 29);
    assert_int_equal(ot_days_in_month(2023, 2), 28);
    assert_int_equal(ot_days_in_month(2023, 13), 0);
}

static void test_period_date_parse_and_format(void **state)
{
    (void)state;
    int32_t d = -1;
    ot_err err;
    char buf[16];
    /* 2023-10-20: 19358 + 273 (Jan..Sep) + 19 = 19650 */
    /* with a time of day, as spreadsheets export date cells (the day is kept) */
    const char *forms[] = {"2023-10-20", "2023/10/20", "20231020", "2023年10月20日", " 2023-10-20 ",
                           "2023/10/20 0:00", "2023-10-20 00:00:00", "2023-10-20T09:30:15",
                           "2023/10/20 23:59"};
    for (size_t i = 0; i < sizeof forms / sizeof *forms; i++) {
        d = -1;
        assert_int_equal(ot_date_parse(forms[i], &d, &err), OT_OK);
        assert_int_equal(d, 19650);
    }
    assert_int_equal(ot_date_format(19650, buf, sizeof buf), 10);
    assert_string_equal(buf, "2023-10-20");

    d = -1;
    assert_int_equal(ot_date_parse("2023-10", &d, &err), OT_EDATA);
    assert_string_equal(err.msg, "'2023-10' is not a date (expected 2023-10-20)");
    assert_int_equal(d, -1);
    assert_int_equal(ot_date_parse("20230230", &d, &err), OT_EDATA);
    assert_string_equal(err.msg, "'20230230' is not a date (day must be 1-28)");
    assert_int_equal(ot_date_parse("20231320", &d, &err), OT_EDATA);
    assert_string_equal(err.msg, "'20231320' is not a date (month must be 1-12)");
    assert_int_equal(ot_date_parse("", &d, &err), OT_EDATA);
    assert_string_equal(err.msg, "'' is not a date (empty)");
    assert_int_equal(ot_date_parse("2023-02-29", &d, &err), OT_EDATA);
    assert_string_equal(err.msg, "'2023-02-29' is not a date (day must be 1-28)");
    assert_int_equal(ot_date_parse("2023-10-20 24:00", &d, &err), OT_EDATA);
    assert_string_equal(err.msg, "'2023-10-20 24:00' is not a date (expected 2023-10-20)");
    assert_int_equal(ot_date_parse("2023-10-20 9", &d, &err), OT_EDATA);
    assert_int_equal(ot_date_parse("2023-10 00:00", &d, &err), OT_EDATA);
    assert_int_equal(ot_date_parse("tomorrow", &d, &err), OT_EDATA);
    assert_string_equal(err.msg, "'tomorrow' is not a date (expected 2023-10-20)");
    assert_int_equal(d, -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_period_parse_every_form),
        cmocka_unit_test(test_period_parse_uses_len),
        cmocka_unit_test(test_period_parse_rejects_with_exact_message),
        cmocka_unit_test(test_period_parse_long_text_is_shortened),
        cmocka_unit_test(test_period_parse_long_chinese_text_cut_on_a_character),
        cmocka_unit_test(test_period_parse_null_err_is_fine),
        cmocka_unit_test(test_period_parse_ytd_range),
        cmocka_unit_test(test_period_parse_query),
        cmocka_unit_test(test_period_format_each_freq),
        cmocka_unit_test(test_period_freq_names),
        cmocka_unit_test(test_period_make_year_sub),
        cmocka_unit_test(test_period_convert_between_freqs),
        cmocka_unit_test(test_period_first_last_day),
        cmocka_unit_test(test_period_civil_round_trip),
        cmocka_unit_test(test_period_leap_years),
        cmocka_unit_test(test_period_date_parse_and_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
