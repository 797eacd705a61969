/* test_report.c — the report renderers: nice axis ticks, CSV columns and
 * quoting, Markdown escaping, HTML escaping and one chart per target, the
 * JSON dispatch, format names, the chart history, and the failure paths. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <ctype.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "report/csv.h"
#include "report/facts.h"
#include "report/html.h"
#include "report/json.h"
#include "report/md.h"
#include "report/num.h"
#include "report/plot.h"
#include "report/status.h"
#include "report/svg.h"
#include "report/table.h"
#include "report/words.h"
#include "failalloc.h"

#define EPS 1e-9

/* Renders doc with fn into a new string (caller frees); asserts success.
 * The stream's buffer and size live in statics: open_memstream keeps their
 * addresses, and a returned pointer read from a local whose address a stream
 * kept looks dangling to gcc -O2 (-Wdangling-pointer). */
static char *render(int (*fn)(const ot_report_doc *, FILE *, ot_err *), const ot_report_doc *doc)
{
    static char *buf;
    static size_t len;
    buf = NULL;
    len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    ot_err e;
    ot_err_clear(&e);
    int rc = fn(doc, f, &e);
    fclose(f);
    if (rc != OT_OK)
        fail_msg("render failed: %s", e.msg);
    return buf;
}

static size_t count(const char *s, const char *what)
{
    size_t n = 0;
    for (const char *p = strstr(s, what); p; p = strstr(p + 1, what))
        n++;
    return n;
}

/* A growth target of 7.5% and a projection with hand-set figures. */
static void fixture(ot_target *t, ot_projection *p, const char *label)
{
    ot_target_init(t);
    t->series = (char *)"yiwu.gdp";
    t->year = 2023;
    t->kind = OT_TARGET_GROWTH;
    t->op = OT_OP_GE;
    t->value = 7.5;
    t->label = (char *)label;
    ot_projection_init(p);
    p->status = OT_STATUS_AT_RISK;
    p->point = 8.25;
    p->lo80 = 6.5;
    p->hi80 = 10;
    p->lo95 = 5.75;
    p->hi95 = 12.125;
    p->prob = 0.794; /* shown as 79%: at risk, as the status says */
    p->required = 4.5;
    p->carry = 8.7;
    p->ytd_growth = 8.7;
    p->periods_left = 1;
    snprintf(p->latest, sizeof p->latest, "2023Q3");
    ot_fact_set(&p->method, OT_M_SHAPE, "ik", 0, "china.gdp");
    ot_fact_add(&p->notes, OT_N_SHAPE_BORROWED, "kiid", "china.gdp", 2015, 2022, 1.5);
}

/* Dates as their reader writes them: 2023年10月31日 in Chinese (no
 * leading zeros), ISO in English; anything else as it is. */
static void test_report_dates(void **state)
{
    (void)state;
    char b[64];
    assert_string_equal(report_fmt_date("2023-10-31", OT_LANG_ZH, b, sizeof b), "2023年10月31日");
    assert_string_equal(report_fmt_date("2026-01-05", OT_LANG_ZH, b, sizeof b), "2026年1月5日");
    assert_string_equal(report_fmt_date("2023-10-31", OT_LANG_EN, b, sizeof b), "2023-10-31");
    assert_string_equal(report_fmt_date("2023-09", OT_LANG_ZH, b, sizeof b), "2023-09");
    assert_string_equal(report_fmt_date("2023-13-01", OT_LANG_ZH, b, sizeof b), "2023-13-01");
    assert_string_equal(report_fmt_date("2023-10-31x", OT_LANG_ZH, b, sizeof b), "2023-10-31x");
}

/* A level target's figures on the page carry its unit, as its test does
 * (预测 8.25亿元, not a bare 8.25); a growth target's do not change. */
static void test_report_html_level_units(void **state)
{
    (void)state;
    ot_target t;
    ot_projection p;
    fixture(&t, &p, "线上交易额");
    t.kind = OT_TARGET_LEVEL;
    t.value = 10;
    t.unit = (char *)"亿元";
    ot_report_item it = {&t, &p, NULL, NULL, 0, NULL, NULL, NULL, NULL, OT_KIND_FLOW};
    ot_report_doc doc;
    ot_report_doc_init(&doc);
    doc.items = &it;
    doc.n = 1;
    char *s = render(ot_report_html, &doc);
    assert_non_null(strstr(s, "<dt>预测</dt><dd>8.25亿元</dd>"));
    assert_non_null(strstr(s, "<dt>80%区间</dt><dd>6.5 – 10.0亿元</dd>"));
    assert_non_null(strstr(s, "<dt>按当前进度</dt><dd>8.7亿元</dd>"));
    assert_non_null(strstr(s, "总量 ≥ 10亿元"));
    free(s);
    doc.lang = OT_LANG_EN;
    s = render(ot_report_html, &doc);
    assert_non_null(strstr(s, "<dd>8.25 (100m yuan)</dd>"));
    assert_non_null(strstr(s, "<dd>6.5 – 10.0 (100m yuan)</dd>"));
    free(s);
    t.kind = OT_TARGET_GROWTH; /* a growth's figures are percentages: no unit added */
    doc.lang = OT_LANG_ZH;
    s = render(ot_report_html, &doc);
    assert_non_null(strstr(s, "<dt>预测</dt><dd>8.2%</dd>"));
    assert_null(strstr(s, "亿元"));
    free(s);
}

/* Heckbert's nicenum with 2.5: rounded 1 below 1.5, 2 below 2.25, 2.5
 * below 3.5, 5 below 7.5, else 10; the ceiling form: the first of 1, 2,
 * 2.5, 5, 10 at or above the mantissa. */
static void test_report_nicenum(void **state)
{
    (void)state;
    assert_float_equal(report_nicenum(1.4, 1), 1, EPS);
    assert_float_equal(report_nicenum(1.5, 1), 2, EPS);
    assert_float_equal(report_nicenum(2.2, 1), 2, EPS);
    assert_float_equal(report_nicenum(2.3, 1), 2.5, EPS);
    assert_float_equal(report_nicenum(3.4, 1), 2.5, EPS);
    assert_float_equal(report_nicenum(3.5, 1), 5, EPS);
    assert_float_equal(report_nicenum(7.4, 1), 5, EPS);
    assert_float_equal(report_nicenum(7.5, 1), 10, EPS);
    assert_float_equal(report_nicenum(1.0, 0), 1, EPS);
    assert_float_equal(report_nicenum(1.01, 0), 2, EPS);
    assert_float_equal(report_nicenum(2.01, 0), 2.5, EPS);
    assert_float_equal(report_nicenum(2.51, 0), 5, EPS);
    assert_float_equal(report_nicenum(5.01, 0), 10, EPS);
    assert_float_equal(report_nicenum(0.035, 0), 0.05, EPS);
    assert_float_equal(report_nicenum(250, 1), 250, EPS);
}

/* [4.6, 12.1], 6 ticks: range nicenum(7.5) = 10, step nicenum(10/5 = 2,
 * round) = 2, axis floor(4.6/2)*2 = 4 .. ceil(12.1/2)*2 = 14: 6 ticks, 0
 * decimals.  [0.013, 0.087], 5: range 0.1, step nicenum(0.025) = 0.025,
 * 0 .. 0.1: 5 ticks, 3 decimals (0.025 needs them).  [5, 5]: widened to [4.5, 5.5], range 1,
 * step 0.2, 4.4 .. 5.6: 7 ticks, 1 decimal.  Reversed ends are swapped. */
static void test_report_nice_ticks(void **state)
{
    (void)state;
    double a, b, d;
    int nf;
    assert_int_equal(report_nice_ticks(4.6, 12.1, 6, &a, &b, &d, &nf), 6);
    assert_float_equal(a, 4, EPS);
    assert_float_equal(b, 14, EPS);
    assert_float_equal(d, 2, EPS);
    assert_int_equal(nf, 0);
    assert_int_equal(report_nice_ticks(0.013, 0.087, 5, &a, &b, &d, &nf), 5);
    assert_float_equal(a, 0, EPS);
    assert_float_equal(b, 0.1, EPS);
    assert_float_equal(d, 0.025, EPS);
    assert_int_equal(nf, 3);
    assert_int_equal(report_nice_ticks(5, 5, 6, &a, &b, &d, &nf), 7);
    assert_float_equal(a, 4.4, EPS);
    assert_float_equal(b, 5.6, EPS);
    assert_int_equal(nf, 1);
    assert_int_equal(report_nice_ticks(12.1, 4.6, 6, &a, &b, &d, &nf), 6);
    assert_float_equal(a, 4, EPS);
}

/* The job outputs' CSV (docs/scheduling.md): the first 20 columns. */
static int csv20(const ot_report_doc *doc, FILE *f, ot_err *err)
{
    return ot_report_csv_columns(doc, 20, f, err);
}

/* The CSV header is the documented one; numbers are plain %.10g, NaN is
 * empty, text with a comma or quote is quoted with quotes doubled. */
static void test_report_csv_columns(void **state)
{
    (void)state;
    ot_target t;
    ot_projection p;
    fixture(&t, &p, "GDP, growth");
    ot_report_item it = {&t, &p, NULL, NULL, 17, NULL, NULL, NULL, NULL, OT_KIND_FLOW};
    ot_report_doc doc;
    ot_report_doc_init(&doc);
    doc.items = &it;
    doc.n = 1;
    doc.as_of = "2023-10-31";
    char *s = render(ot_report_csv, &doc);
    const char *want =
        "target_id,label,series,year,kind,op,value,as_of,through,point,lo80,hi80,lo95,hi95,prob,"
        "required,carry,outcome,status,method,ref,ytd_growth,periods_left,notes,tolerance,"
        "known_on,vintage\r\n"
        "17,\"GDP, growth\",yiwu.gdp,2023,growth,>=,7.5,2023-10-31,2023Q3,8.25,6.5,10,5.75,12.125,"
        "0.794,4.5,8.7,,at_risk,ytd+shape(china.gdp),,8.7,1,"
        "\"shape of the year borrowed from china.gdp, 2015-2022, its spread widened 1.5 times as "
        "usual for a local series\",,,\r\n";
    assert_string_equal(s, want);
    free(s);
    /* not stored, no as_of: both empty */
    it.target_id = 0;
    doc.as_of = NULL;
    s = render(ot_report_csv, &doc);
    assert_non_null(strstr(s, "\r\n,\"GDP, growth\",yiwu.gdp,2023,growth,>=,7.5,,2023Q3,"));
    free(s);
    /* the first 20 columns, the 20th ending the line */
    it.target_id = 17;
    doc.as_of = "2023-10-31";
    s = render(csv20, &doc);
    assert_string_equal(s, "target_id,label,series,year,kind,op,value,as_of,through,point,lo80,"
                           "hi80,lo95,hi95,prob,required,carry,outcome,status,method\r\n"
                           "17,\"GDP, growth\",yiwu.gdp,2023,growth,>=,7.5,2023-10-31,2023Q3,"
                           "8.25,6.5,10,5.75,12.125,0.794,4.5,8.7,,at_risk,"
                           "ytd+shape(china.gdp)\r\n");
    free(s);
    ot_err e;
    assert_int_equal(ot_report_csv_columns(&doc, 28, stdout, &e), OT_EINVAL);
    assert_string_equal(e.msg, "CSV columns 28 out of range 1..27");
    /* an "about" target's band, the date the data were known on and the
     * newest release read of the item's data */
    t.op = OT_OP_EQ;
    t.tolerance = 0.5;
    doc.known_on = "2023-10-31";
    it.vintage = "2023-10-24";
    s = render(ot_report_csv, &doc);
    assert_non_null(strstr(s, "as usual for a local series\",0.5,2023-10-31,2023-10-24\r\n"));
    free(s);
}

/* Every data text is escaped: the label and the series become text, no
 * script element appears; one <svg> per target; Chinese labels by default,
 * English with OT_LANG_EN. */
static void test_report_html_escapes(void **state)
{
    (void)state;
    ot_target t[2];
    ot_projection p[2];
    fixture(&t[0], &p[0], "<script>alert(1)</script>");
    fixture(&t[1], &p[1], "进口增长25%");
    t[1].series = (char *)"a&b\"c'";
    p[1].status = OT_STATUS_ON_TRACK;
    ot_report_item it[2] = {{&t[0], &p[0], NULL, NULL, 0, NULL, NULL, NULL, NULL, OT_KIND_FLOW},
                            {&t[1], &p[1], NULL, "2023-10-24", 0, NULL, NULL, NULL, NULL, OT_KIND_FLOW}};
    ot_report_doc doc;
    ot_report_doc_init(&doc);
    doc.items = it;
    doc.n = 2;
    doc.as_of = "2023-10-31";
    doc.title = "<b>义乌</b>";
    char *s = render(ot_report_html, &doc);
    assert_null(strstr(s, "<script"));
    assert_null(strstr(s, "<b>"));
    assert_non_null(strstr(s, "&lt;b&gt;义乌&lt;/b&gt;"));
    /* overview paragraph (at risk), summary link, section heading, svg
     * aria-label and title */
    assert_int_equal(count(s, "&lt;script&gt;alert(1)&lt;/script&gt;"), 5);
    assert_non_null(strstr(s, "<code class=\"key\">a&amp;b&quot;c&#39;</code>"));
    assert_int_equal(count(s, "<svg class=\"chart\""), 2);
    assert_int_equal(count(s, "<section class=\"target\""), 2);
    assert_non_null(strstr(s, "<html lang=\"zh-CN\">"));
    assert_non_null(strstr(s, "存在风险"));
    assert_non_null(strstr(s, "<span class=\"st st-ok\">有望达成</span>"));
    assert_non_null(strstr(s, "增速 ≥ 7.5%"));
    assert_non_null(strstr(s, "<td class=\"num\">79%</td>")); /* prob 0.794 */
    assert_non_null(strstr(s, "<dd>2023年10月24日</dd>"));    /* the vintage, as Chinese writes it */
    assert_non_null(strstr(s, "@page{size:A4"));
    assert_null(strstr(s, "http://www.w3.org/1999")); /* nothing fetched: only the SVG namespace */
    assert_int_equal(count(s, "http"), 2);            /* xmlns of the two charts */
    free(s);
    doc.lang = OT_LANG_EN;
    s = render(ot_report_html, &doc);
    assert_non_null(strstr(s, "<html lang=\"en\">"));
    assert_non_null(strstr(s, "at risk"));
    assert_non_null(strstr(s, "growth &gt;= 7.5%"));
    free(s);
}

/* A target with no data for its year and one without a number get a line
 * saying why in place of a chart; the projected one keeps its chart.  In
 * both languages; a target without a year gets the line without it. */
static void test_report_html_no_chart_line(void **state)
{
    (void)state;
    ot_target t[3];
    ot_projection p[3];
    fixture(&t[0], &p[0], "GDP");
    fixture(&t[1], &p[1], "exports");
    ot_projection_init(&p[1]); /* every figure NaN */
    p[1].status = OT_STATUS_NO_DATA;
    fixture(&t[2], &p[2], "<i>energy</i>");
    t[2].kind = OT_TARGET_UNQUANTIFIED;
    t[2].op = OT_OP_NONE;
    t[2].value = NAN;
    t[2].series = NULL;
    ot_projection_init(&p[2]);
    p[2].status = OT_STATUS_UNQUANTIFIED;
    ot_report_item it[3] = {{&t[0], &p[0], NULL, NULL, 0, NULL, NULL, NULL, NULL, OT_KIND_FLOW},
                            {&t[1], &p[1], NULL, NULL, 0, NULL, NULL, NULL, NULL, OT_KIND_FLOW},
                            {&t[2], &p[2], NULL, NULL, 0, NULL, NULL, NULL, NULL, OT_KIND_FLOW}};
    ot_report_doc doc;
    ot_report_doc_init(&doc);
    doc.items = it;
    doc.n = 3;
    char *s = render(ot_report_html, &doc);
    assert_int_equal(count(s, "<svg class=\"chart\""), 1);
    assert_int_equal(count(s, "<p class=\"nochart\">"), 2);
    assert_int_equal(count(s, "<section class=\"target\""), 3);
    assert_non_null(strstr(s, "<p class=\"nochart\">2023年数据尚未发布，无图表</p>"));
    assert_non_null(strstr(s, "<p class=\"nochart\">目标未量化，无图表</p>"));
    assert_null(strstr(s, "无可绘制的数据")); /* no empty frame */
    assert_non_null(strstr(s, "&lt;i&gt;energy&lt;/i&gt;"));
    /* the line sits where the chart would: after the section's sub-line */
    const char *sec = strstr(s, "<section class=\"target\" id=\"t2\">");
    assert_non_null(sec);
    assert_non_null(strstr(sec, "</p>\n<p class=\"nochart\">2023年"));
    free(s);
    doc.lang = OT_LANG_EN;
    t[1].year = 0;
    s = render(ot_report_html, &doc);
    assert_int_equal(count(s, "<svg class=\"chart\""), 1);
    assert_non_null(strstr(s, "<p class=\"nochart\">no data published yet</p>"));
    assert_non_null(strstr(s, "<p class=\"nochart\">target not quantified</p>"));
    free(s);
    t[1].year = 2024;
    s = render(ot_report_html, &doc);
    assert_non_null(strstr(s, "<p class=\"nochart\">no data published yet for 2024</p>"));
    free(s);
    /* every other status has a chart: no line */
    char buf[64] = "untouched";
    const report_words *w = report_words_of(OT_LANG_EN);
    for (int st = OT_STATUS_MET; st <= OT_STATUS_MISSED; st++) {
        p[0].status = (ot_proj_status)st;
        assert_null(report_fmt_no_chart(w, &t[0], &p[0], buf, sizeof buf));
    }
    assert_string_equal(buf, "untouched");
    /* a year before the series' data begin is not "not published yet" */
    t[1].year = 2010;
    ot_fact_add(&p[1].notes, OT_N_BEFORE_DATA, "kii", "x", 2010, 2019);
    assert_string_equal(report_fmt_no_chart(w, &t[1], &p[1], buf, sizeof buf),
                        "no data for 2010: the data begin in 2019");
    assert_string_equal(report_fmt_no_chart(report_words_of(OT_LANG_ZH), &t[1], &p[1], buf,
                                            sizeof buf),
                        "2010年早于数据起始年份（2019年），无图表");
    /* a key no series has; the ref of a relative target without data */
    ot_projection_init(&p[1]);
    p[1].status = OT_STATUS_NO_DATA;
    ot_fact_add(&p[1].notes, OT_N_NO_SERIES, "kk", "yiwu.gpd", "yiwu.gdp");
    assert_string_equal(report_fmt_no_chart(w, &t[1], &p[1], buf, sizeof buf),
                        "no such series in the database");
    assert_string_equal(report_fmt_no_chart(report_words_of(OT_LANG_ZH), &t[1], &p[1], buf,
                                            sizeof buf),
                        "数据库中没有该指标，无图表");
    ot_projection_init(&p[1]);
    p[1].status = OT_STATUS_NO_DATA;
    ot_fact_add(&p[1].notes, OT_N_NO_DATA, "k", "zj.x");
    p[1].notes.f[0].of_ref = 1;
    assert_string_equal(report_fmt_no_chart(w, &t[1], &p[1], buf, sizeof buf),
                        "no data for the reference series");
    assert_string_equal(report_fmt_no_chart(report_words_of(OT_LANG_ZH), &t[1], &p[1], buf,
                                            sizeof buf),
                        "对比指标无数据，无图表");
}

/* The chart of a target with history: both years drawn, the fan from the
 * latest period (Q3) to Q4, the target line at 7.5 and the required path;
 * axis [4.6, 12.125] gives ticks 4 .. 14 by 2. */
static void test_report_svg_parts(void **state)
{
    (void)state;
    ot_target t;
    ot_projection p;
    fixture(&t, &p, "GDP");
    /* 2022Q1 .. 2023Q4: 2022 Q2 6.5, Q4 4.6; 2023 Q1 7.3, Q3 8.7 */
    const double v[] = {NAN, 6.5, NAN, 4.6, 7.3, NAN, 8.7, NAN};
    ot_series *h = ot_series_from(NULL, OT_FREQ_Q, ot_period_make(OT_FREQ_Q, 2022, 1), v, 8, NULL);
    assert_non_null(h);
    ot_report_item it = {&t, &p, h, NULL, 0, NULL, NULL, NULL, NULL, OT_KIND_FLOW};
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ot_err e;
    assert_int_equal(ot_report_svg(&it, OT_LANG_ZH, 680, 260, f, &e), OT_OK);
    fclose(f);
    assert_int_equal(count(buf, "<polyline class=\"past\""), 1);
    assert_int_equal(count(buf, "<polyline class=\"current\""), 1);
    assert_int_equal(count(buf, "<circle class=\"current\""), 2);
    assert_int_equal(count(buf, "<circle class=\"past\""), 2);
    assert_int_equal(count(buf, "<polygon class=\"band95\""), 1);
    assert_int_equal(count(buf, "<polygon class=\"band80\""), 1);
    assert_int_equal(count(buf, "<line class=\"target\""), 2); /* plot and legend */
    assert_int_equal(count(buf, "<line class=\"required\""), 2);
    assert_int_equal(count(buf, "<line class=\"grid\""), 6);
    assert_non_null(strstr(buf, ">14</text>"));
    assert_non_null(strstr(buf, ">一季度</text>"));
    assert_non_null(strstr(buf, ">目标 7.5%</text>"));
    assert_non_null(strstr(buf, ">所需增速 4.5%</text>"));
    assert_non_null(strstr(buf, ">2022</text>"));
    assert_int_equal(count(buf, "target-band"), 0); /* ">=": a line, no band */
    free(buf);
    /* "about 7.5" (± 0.5): the band 7..8 under the target line, on the same
     * axis 4..14 (y = 216 - (v - 4) / 10 × 204: 134.4 to 154.8) across the
     * plot (x 64 to 576) */
    t.op = OT_OP_EQ;
    t.tolerance = 0.5;
    buf = NULL;
    f = open_memstream(&buf, &len);
    assert_int_equal(ot_report_svg(&it, OT_LANG_ZH, 680, 260, f, &e), OT_OK);
    fclose(f);
    assert_non_null(
        strstr(buf, "<rect class=\"target-band\" x=\"64.0\" y=\"134.4\" width=\"512.0\" "
                    "height=\"20.4\"/>\n<line class=\"target\""));
    free(buf);
    t.op = OT_OP_GE;
    t.tolerance = NAN;
    /* no data: the axes, the target and a note, no band */
    ot_projection none;
    ot_projection_init(&none);
    ot_report_item empty = {&t, &none, NULL, NULL, 0, NULL, NULL, NULL, NULL, OT_KIND_FLOW};
    buf = NULL;
    f = open_memstream(&buf, &len);
    assert_int_equal(ot_report_svg(&empty, OT_LANG_EN, 680, 260, f, &e), OT_OK);
    fclose(f);
    assert_non_null(strstr(buf, ">nothing to chart</text>"));
    assert_int_equal(count(buf, "<line class=\"target\""), 2);
    assert_int_equal(count(buf, "<polygon"), 0);
    free(buf);
    /* too small to draw: OT_EINVAL, nothing written */
    buf = NULL;
    f = open_memstream(&buf, &len);
    assert_int_equal(ot_report_svg(&it, OT_LANG_ZH, 200, 260, f, &e), OT_EINVAL);
    fclose(f);
    assert_string_equal(e.msg, "report: a chart of 200 x 260 px is too small (at least 240 x 120)");
    assert_int_equal(len, 0);
    free(buf);
    ot_series_free(h);
}

/* Markdown: pipes, angle brackets, ampersands, backticks and line breaks in
 * data cannot break the table or run as HTML, and are backslash-escaped for
 * Markdown (not HTML entities, which Markdown shows as typed in a code
 * view and a second renderer would double). */
static void test_report_md_escapes(void **state)
{
    (void)state;
    ot_target t;
    ot_projection p;
    fixture(&t, &p, "a|b <i>");
    ot_report_item it = {&t, &p, NULL, NULL, 0, NULL, NULL, NULL, NULL, OT_KIND_FLOW};
    ot_report_doc doc;
    ot_report_doc_init(&doc);
    doc.items = &it;
    doc.n = 1;
    doc.lang = OT_LANG_EN;
    char *s = render(ot_report_md, &doc);
    assert_non_null(strstr(s, "# Progress towards the 2023 targets\n"));
    assert_non_null(strstr(s, "| a\\|b \\<i\\> | growth \\>= 7.5% | 2023 Q3 | 8.7% | 8.2% | "
                              "6.5% – 10.0% | 79% | 4.5% | at risk [1] |\n"));
    assert_non_null(strstr(s, "1. a\\|b \\<i\\>: shape of the year borrowed from china.gdp, "
                              "2015-2022, its spread widened 1.5 times as usual for a local "
                              "series\n"));
    assert_null(strstr(s, "&lt;"));
    assert_null(strstr(s, "&gt;"));
    free(s);
    /* one function escapes every data text of the page */
    const char *cases[][2] = {
        {"<script>alert(1)</script>", "\\<script\\>alert(1)\\</script\\>"},
        {"a & b", "a \\& b"},
        {"`code` *em* [link](x)", "\\`code\\` \\*em\\* \\[link\\](x)"},
        {"two\nlines\r", "two lines "},
        {"back\\slash|pipe", "back\\\\slash\\|pipe"},
        {"义乌_exports 7.5%", "义乌_exports 7.5%"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        ot_md_escape(f, cases[i][0]);
        fclose(f);
        assert_string_equal(buf, cases[i][1]);
        free(buf);
    }
}

/* Facts in words: one exact Chinese and English wording; every code has
 * both, and the Chinese one holds no Latin letter when its series are
 * named; the of_ref prefix once before a run of the ref's facts. */
static void test_report_facts_words(void **state)
{
    (void)state;
    char buf[1024];
    ot_proj_facts fs = {0};
    ot_fact_add(&fs, OT_N_SHARE_BORROWED, "idkii", 9, 0.74, "china.imports_usd", 2018, 2022);
    const ot_report_name names[] = {{"china.imports_usd", "全国进口总额", "China imports", 12},
                                    {"zj.x", "浙江省出口总额", NULL, 0}};
    /* the periods as a reader counts them: months, quarters, 期 when unknown */
    assert_string_equal(ot_report_facts(&fs, NULL, OT_LANG_ZH, names, 2, buf, sizeof buf),
                        "1-9月占全年的比重（74.0%）取自全国进口总额2018-2022年");
    assert_string_equal(ot_report_facts(&fs, NULL, OT_LANG_ZH, NULL, 0, buf, sizeof buf),
                        "1-9期占全年的比重（74.0%）取自china.imports_usd2018-2022年");
    {
        ot_proj_facts q = {0};
        const ot_report_name qn[] = {{"cn.gdp", "国内生产总值", NULL, 4}};
        ot_fact_add(&q, OT_N_SHARE_BORROWED, "idkii", 3, 0.72, "cn.gdp", 2018, 2022);
        assert_string_equal(ot_report_facts(&q, NULL, OT_LANG_ZH, qn, 1, buf, sizeof buf),
                            "一至三季度占全年的比重（72.0%）取自国内生产总值2018-2022年");
        ot_proj_facts a = {0};
        ot_fact_add(&a, OT_N_SHARE_ASSUMED, "ii", 1, 4);
        assert_string_equal(ot_report_facts(&a, NULL, OT_LANG_ZH, NULL, 0, buf, sizeof buf),
                            "缺少一季度占全年的比重，按1/4计");
        /* one period is "Q1" (of a year of 4), never "periods 1-1" */
        assert_string_equal(ot_report_facts(&a, NULL, OT_LANG_EN, NULL, 0, buf, sizeof buf),
                            "no share for Q1: taken as 1/4");
        ot_proj_facts b = {0};
        ot_fact_add(&b, OT_N_SHARE_BORROWED, "idkii", 1, 0.216, "china.gdp", 2018, 2022);
        assert_string_equal(ot_report_facts(&b, NULL, OT_LANG_EN, NULL, 0, buf, sizeof buf),
                            "share of period 1 (21.6%) borrowed from china.gdp, 2018-2022");
        assert_string_equal(ot_report_facts(&q, NULL, OT_LANG_EN, qn, 1, buf, sizeof buf),
                            "share of Q1-Q3 (72.0%) borrowed from cn.gdp, 2018-2022");
        ot_proj_facts m = {0};
        ot_fact_add(&m, OT_N_SHARE_ASSUMED, "ii", 9, 12);
        assert_string_equal(ot_report_facts(&m, NULL, OT_LANG_ZH, NULL, 0, buf, sizeof buf),
                            "缺少1-9月占全年的比重，按9/12计");
    }
    assert_string_equal(ot_report_facts(&fs, NULL, OT_LANG_EN, NULL, 0, buf, sizeof buf),
                        "share of periods 1-9 (74.0%) borrowed from china.imports_usd, 2018-2022");
    assert_string_equal(ot_report_facts(&fs, NULL, OT_LANG_EN, names, 2, buf, sizeof buf),
                        "share of months 1-9 (74.0%) borrowed from China imports, 2018-2022");
    ot_fact_add(&fs, OT_N_EXCLUDED, "ii", 2020, 2022);
    ot_fact_add(&fs, OT_N_NO_DATA_YEAR, "ki", "zj.x", 2023);
    ot_fact_add(&fs, OT_N_SHAPE_NONE, "");
    fs.f[2].of_ref = fs.f[3].of_ref = 1;
    assert_string_equal(ot_report_facts(&fs, "zj.x", OT_LANG_ZH, names, 2, buf, sizeof buf),
                        "1-9月占全年的比重（74.0%）取自全国进口总额2018-2022年；历史记录剔除"
                        "2020-2022年；浙江省出口总额：2023年数据尚未发布；没有参照指标，"
                        "区间按经验规则");
    /* the ref's fact that opens with its name says it once ("zj.x: zj.x: …" before) */
    assert_string_equal(ot_report_facts(&fs, "zj.x", OT_LANG_EN, NULL, 0, buf, sizeof buf),
                        "share of periods 1-9 (74.0%) borrowed from china.imports_usd, 2018-2022; "
                        "2020-2022 left out of the record; zj.x: no data for 2023 yet; no "
                        "shape reference: range is a rule of thumb");
    {
        /* a fact the list has said already is not said again: the years left out
         * of the series' record and of the ref's ("2020-2022 left out of the record"
         * twice in a relative target's note before); the ref's own name still opens
         * the ref's first fact, and a fact with other values stays */
        ot_proj_facts d = {0};
        ot_fact_add(&d, OT_N_EXCLUDED, "ii", 2020, 2022);
        ot_fact_add(&d, OT_N_NO_DATA, "k", "zj.y");
        ot_fact_add(&d, OT_N_EXCLUDED, "ii", 2020, 2022);
        ot_fact_add(&d, OT_N_EXCLUDED, "ii", 2019, 2022);
        ot_fact_add(&d, OT_N_EXCLUDED, "ii", 2020, 2022);
        d.f[1].of_ref = d.f[2].of_ref = d.f[3].of_ref = 1;
        assert_string_equal(ot_report_facts(&d, "zj.x", OT_LANG_EN, NULL, 0, buf, sizeof buf),
                            "2020-2022 left out of the record; zj.x: no data for zj.y; "
                            "2019-2022 left out of the record");
        assert_string_equal(ot_report_facts(&d, "zj.x", OT_LANG_ZH, names, 2, buf, sizeof buf),
                            "历史记录剔除2020-2022年；浙江省出口总额：zj.y无数据；"
                            "历史记录剔除2019-2022年");
        /* one year is one year: "2020 left out", never "2020-2020" */
        ot_proj_facts one = {0};
        ot_fact_add(&one, OT_N_EXCLUDED, "ii", 2020, 2020);
        assert_string_equal(ot_report_facts(&one, NULL, OT_LANG_EN, NULL, 0, buf, sizeof buf),
                            "2020 left out of the record");
        assert_string_equal(ot_report_facts(&one, NULL, OT_LANG_ZH, NULL, 0, buf, sizeof buf),
                            "历史记录剔除2020年");
        /* the carry-forward notes in Chinese: the record's years as of the month,
         * the scale against whom */
        ot_proj_facts c = {0};
        ot_fact_add(&c, OT_N_CARRY_SCALED, "kiiiidk", "china.imports_usd", 2011, 2019, 12, 9,
                    1.89, "zj.x");
        ot_fact_add(&c, OT_N_CARRY_TYPICAL, "kiiiidk", "china.imports_usd", 2011, 2019, 4, 3,
                    2.0, "zj.x");
        assert_string_equal(ot_report_facts(&c, NULL, OT_LANG_ZH, names, 2, buf, sizeof buf),
                            "按当前进度推算，区间依据该方法在全国进口总额2011-2019年截至9月时的推算"
                            "误差，按本指标累计增速的波动幅度调整为1.89倍；按当前进度推算，"
                            "区间依据该方法在全国进口总额2011-2019年截至三季度时的推算误差，按地方"
                            "指标一般情况放大2.0倍");
        /* in English: no possessive on a name, the scale said with what it is for */
        assert_string_equal(ot_report_facts(&c, NULL, OT_LANG_EN, names, 2, buf, sizeof buf),
                            "carry-forward, with a range from its errors on China imports at month "
                            "9 in 2011-2019, scaled by 1.89 to the indicator's own variation; "
                            "carry-forward, with a range from its errors on China imports at "
                            "quarter 3 in 2011-2019, widened 2.0 times as usual for a local series");
        /* a scale of 1.00 is no scale: not said */
        ot_proj_facts c1 = {0};
        ot_fact_add(&c1, OT_N_CARRY_SCALED, "kiiiidk", "china.imports_usd", 2011, 2019, 12, 9,
                    1.001, "zj.x");
        assert_string_equal(ot_report_facts(&c1, NULL, OT_LANG_EN, names, 2, buf, sizeof buf),
                            "carry-forward, with a range from its errors on China imports at month "
                            "9 in 2011-2019");
        assert_string_equal(ot_report_facts(&c1, NULL, OT_LANG_ZH, names, 2, buf, sizeof buf),
                            "按当前进度推算，区间依据该方法在全国进口总额2011-2019年截至9月时的推算"
                            "误差");
        /* a total out without its growth: the period the growth comes from as
         * the series counts it (9月, not 第9期) */
        ot_proj_facts to = {0};
        ot_fact_add(&to, OT_N_TOTAL_ONLY, "kii", "china.imports_usd", 2023, 9);
        assert_string_equal(ot_report_facts(&to, NULL, OT_LANG_ZH, names, 2, buf, sizeof buf),
                            "全国进口总额：2023年总量发布时未附增速，增速按截至9月的数据推算");
        assert_string_equal(ot_report_facts(&to, NULL, OT_LANG_EN, names, 2, buf, sizeof buf),
                            "China imports: the 2023 total is published without its growth; "
                            "growth projected from the data through month 9");
        assert_string_equal(ot_report_facts(&to, NULL, OT_LANG_ZH, NULL, 0, buf, sizeof buf),
                            "china.imports_usd：2023年总量发布时未附增速，增速按截至第9期的数据推算");
        /* an implied ytd growth: a growth to one decimal with its %, the period
         * as people write it */
        ot_proj_facts yi = {0};
        ot_fact_add(&yi, OT_N_YTD_IMPLIED, "kkd", "china.imports_usd", "2023-06", 8.6543);
        assert_string_equal(ot_report_facts(&yi, NULL, OT_LANG_ZH, names, 2, buf, sizeof buf),
                            "截至2023年6月的累计增速（8.7%）由当期同比按全国进口总额的各期比重推得");
        assert_string_equal(ot_report_facts(&yi, NULL, OT_LANG_EN, names, 2, buf, sizeof buf),
                            "ytd growth through Jun 2023 (8.7%) implied from the period yoy "
                            "weighted by the shares of China imports");
        /* a stock's yoy walked on: the range's source in one phrase */
        ot_proj_facts yw = {0};
        ot_fact_add(&yw, OT_N_STOCK_YOY_WALK, "id", 3, 0.4874);
        assert_string_equal(ot_report_facts(&yw, NULL, OT_LANG_EN, NULL, 0, buf, sizeof buf),
                            "too little history for a record: the latest yoy carried to the year "
                            "end, its range a random walk on its 3 period-to-period changes (root "
                            "mean square 0.49 points)");
        /* a reference too unlike the series: the record not used, and why */
        ot_proj_facts sl = {0};
        ot_fact_add(&sl, OT_N_SCALE_LARGE, "kdk", "zj.x", 65.5, "china.imports_usd");
        assert_string_equal(ot_report_facts(&sl, NULL, OT_LANG_EN, names, 2, buf, sizeof buf),
                            "the record of China imports not used: zj.x varies 65.5 times as much");
        assert_string_equal(ot_report_facts(&sl, NULL, OT_LANG_ZH, names, 2, buf, sizeof buf),
                            "未采用全国进口总额的历史记录：浙江省出口总额的波动是其65.5倍");
        /* where the text names the series already (a footnote), its own facts do
         * not open with its name again; the ref's still do */
        ot_proj_facts own = {0};
        ot_fact_add(&own, OT_N_NO_GROWTH, "ki", "zj.x", 2023);
        ot_fact_add(&own, OT_N_NO_DATA_YEAR, "ki", "zj.y", 2023);
        assert_string_equal(ot_report_facts_of(&own, "zj.x", NULL, OT_LANG_ZH, names, 2, buf,
                                               sizeof buf),
                            "2023年数据发布时未附增速；zj.y：2023年数据尚未发布");
        assert_string_equal(ot_report_facts(&own, NULL, OT_LANG_ZH, names, 2, buf, sizeof buf),
                            "浙江省出口总额：2023年数据发布时未附增速；zj.y：2023年数据尚未发布");
        ot_proj_fact mc;
        ot_fact_set(&mc, OT_M_CARRY_RANGE, "k", "china.imports_usd");
        assert_string_equal(ot_report_fact(&mc, NULL, OT_LANG_ZH, names, 2, buf, sizeof buf),
                            "按当前进度推算，区间取自全国进口总额的历史误差");
    }
    /* the record's choice, its candidates by name, the others' errors */
    ot_proj_fact m, r;
    ot_fact_set(&m, OT_M_RECORD, "ik", 1 | 2, "auto");
    assert_string_equal(ot_report_fact(&m, NULL, OT_LANG_EN, NULL, 0, buf, sizeof buf),
                        "record: carry+rate");
    assert_string_equal(ot_report_fact(&m, NULL, OT_LANG_ZH, NULL, 0, buf, sizeof buf),
                        "按历史表现选择：按当前进度推算与公布增速法");
    ot_fact_set(&r, OT_N_RECORD, "iiiiiikdddddd", 2011, 2019, 12, 9, 27, 1, "auto", 1.25, 1.25,
                1.5, NAN, 2.0, 3.0);
    assert_string_equal(ot_report_fact(&r, NULL, OT_LANG_EN, NULL, 0, buf, sizeof buf),
                        "carry-forward chosen by the record at month 9 ±3 months in 2011-2019: mean "
                        "error 1.25 points (others: published rate 1.50, rate with base effect "
                        "2.00); range from 27 past errors");
    assert_string_equal(ot_report_fact(&r, NULL, OT_LANG_ZH, NULL, 0, buf, sizeof buf),
                        "按当前进度推算：按2011-2019年同期（9月及前后3个月）的历史表现选定，平均误差1.25个百分点"
                        "（其他方法：公布增速法1.50，含基数效应的公布增速法2.00）；区间取自27个历史误差");
    /* a combination chosen: each method's own error said as each alone, not
     * as "others" */
    ot_proj_fact rc;
    ot_fact_set(&rc, OT_N_RECORD, "iiiiiikdddddd", 2016, 2019, 12, 9, 24, 3, "auto", 0.01, 0.012,
                0.004, NAN, NAN, 3.0);
    assert_string_equal(ot_report_fact(&rc, NULL, OT_LANG_EN, NULL, 0, buf, sizeof buf),
                        "carry-forward and published rate chosen by the record at month 9 ±3 "
                        "months in 2016-2019: mean error 0.01 points (each alone: carry-forward "
                        "0.01, published rate 0.00); range from 24 past errors");
    assert_string_equal(ot_report_fact(&rc, NULL, OT_LANG_ZH, NULL, 0, buf, sizeof buf),
                        "按当前进度推算与公布增速法：按2016-2019年同期（9月及前后3个月）的历史表现"
                        "选定，平均误差0.01个百分点（各方法单独：按当前进度推算0.01，公布增速法"
                        "0.00）；区间取自24个历史误差");
    /* a fact stored before the window (no v5) says no window */
    ot_proj_fact old;
    ot_fact_set(&old, OT_N_RECORD, "iiiiiikddddd", 2011, 2019, 12, 9, 27, 1, "auto", 1.25, 1.25,
                NAN, NAN, NAN);
    assert_string_equal(ot_report_fact(&old, NULL, OT_LANG_EN, NULL, 0, buf, sizeof buf),
                        "carry-forward chosen by the record at month 9 in 2011-2019: mean error "
                        "1.25 points; range from 27 past errors");
    assert_string_equal(ot_report_fact(&old, NULL, OT_LANG_ZH, NULL, 0, buf, sizeof buf),
                        "按当前进度推算：按2011-2019年同期（9月）的历史表现选定，平均误差1.25个百分点；"
                        "区间取自27个历史误差");
    /* a quarterly record's window is one quarter either side */
    ot_proj_fact qr;
    ot_fact_set(&qr, OT_N_RECORD, "iiiiiikdddddd", 2011, 2019, 4, 2, 27, 1, "auto", 0.25, 0.25,
                NAN, NAN, NAN, 1.0);
    assert_string_equal(ot_report_fact(&qr, NULL, OT_LANG_EN, NULL, 0, buf, sizeof buf),
                        "carry-forward chosen by the record at quarter 2 ±1 quarter in 2011-2019: "
                        "mean error 0.25 points; range from 27 past errors");
    assert_string_equal(ot_report_fact(&qr, NULL, OT_LANG_ZH, NULL, 0, buf, sizeof buf),
                        "按当前进度推算：按2011-2019年同期（二季度及前后1个季度）的历史表现选定，"
                        "平均误差0.25个百分点；区间取自27个历史误差");
    /* every code: words in both languages, no Latin letter in Chinese */
    const ot_report_name all[] = {{"甲", "甲", "A", 12}, {"乙", "乙", "B", 12}};
    for (int c = 1; c < OT_FACT_NCODES; c++) {
        ot_proj_fact f;
        ot_fact_set(&f, c, "kkiiiiiidd", "甲", "乙", 2011, 2019, 4, 3, 5, 0, 1.5, 2.5);
        if (c == OT_M_MODEL || c == OT_N_RECORD_FORCED || c == OT_N_MODEL_FAILED)
            snprintf(f.key[c == OT_M_MODEL ? 0 : 1], OT_FACT_KEY_MAX, "carry"); /* a method */
        if (c == OT_N_YTD_IMPLIED)
            snprintf(f.key[1], OT_FACT_KEY_MAX, "2023-09"); /* a period */
        assert_non_null(ot_fact_name(c));
        assert_int_equal(ot_fact_code(ot_fact_name(c)), c);
        ot_report_fact(&f, NULL, OT_LANG_EN, all, 2, buf, sizeof buf);
        if (!buf[0])
            fail_msg("code %d (%s): no English words", c, ot_fact_name(c));
        ot_report_fact(&f, NULL, OT_LANG_ZH, all, 2, buf, sizeof buf);
        if (!buf[0])
            fail_msg("code %d (%s): no Chinese words", c, ot_fact_name(c));
        for (const char *q = buf; *q; q++)
            if ((*q >= 'A' && *q <= 'Z') || (*q >= 'a' && *q <= 'z'))
                fail_msg("code %d (%s): Latin in '%s'", c, ot_fact_name(c), buf);
    }
    assert_int_equal(ot_fact_code("nope"), 0);
    /* read back from JSON, shorter arrays (saved with fewer slots) too */
    json_t *j = ot_report_fact_json(&r);
    ot_proj_fact back;
    assert_int_equal(ot_report_fact_from_json(j, &back), 0);
    assert_memory_equal(&back, &r, sizeof r - sizeof r.v);
    assert_true(back.v[0] == 1.25 && isnan(back.v[3]) && back.v[4] == 2.0);
    json_decref(j);
    j = json_loads("{\"code\": \"no_data_year\", \"y\": [2023], \"v\": [], "
                   "\"keys\": [\"a\", \"\"]}", 0, NULL);
    assert_int_equal(ot_report_fact_from_json(j, &back), 0);
    assert_true(back.code == OT_N_NO_DATA_YEAR && back.y[0] == 2023 && back.y[1] == 0 &&
                isnan(back.v[0]));
    json_decref(j);
    j = json_loads("{\"code\": \"nope\", \"y\": [], \"v\": [], \"keys\": [\"\", \"\"]}", 0, NULL);
    assert_int_equal(ot_report_fact_from_json(j, &back), -1);
    json_decref(j);
}

/* The one rule for numbers (num.h). */
static void test_report_numbers(void **state)
{
    (void)state;
    char b[64];
    assert_string_equal(ot_fmt_growth(7.558139535, b, sizeof b), "7.6%");
    assert_string_equal(ot_fmt_growth(-0.04, b, sizeof b), "0.0%");
    assert_string_equal(ot_fmt_growth(NAN, b, sizeof b), "");
    assert_string_equal(ot_fmt_prob(0.797, b, sizeof b), "80%");
    assert_string_equal(ot_fmt_prob(0.794, b, sizeof b), "79%");
    /* the status on the figure shown: 80% is on track, 79% at risk */
    assert_int_equal(ot_proj_status_of_prob(0.797), OT_STATUS_ON_TRACK);
    assert_int_equal(ot_proj_status_of_prob(0.7949), OT_STATUS_AT_RISK);
    assert_int_equal(ot_proj_status_of_prob(0.395), OT_STATUS_AT_RISK);
    assert_int_equal(ot_proj_status_of_prob(0.394), OT_STATUS_OFF_TRACK);
    /* exactly at the boundaries, and for every share of paths a run can
     * give: the status always agrees with the percentage shown (on track
     * from "80%", at risk from "40%") */
    assert_int_equal(ot_proj_status_of_prob(0.8), OT_STATUS_ON_TRACK);
    assert_int_equal(ot_proj_status_of_prob(0.4), OT_STATUS_AT_RISK);
    assert_int_equal(ot_proj_status_of_prob(0.3999), OT_STATUS_AT_RISK);
    assert_int_equal(ot_proj_status_of_prob(0.0), OT_STATUS_OFF_TRACK);
    assert_int_equal(ot_proj_status_of_prob(1.0), OT_STATUS_ON_TRACK); /* likely, not met */
    static const int npaths[] = {100, 1000, 2000, 10000, 12345};
    for (size_t j = 0; j < sizeof npaths / sizeof *npaths; j++)
        for (int k = 0; k <= npaths[j]; k++) {
            double pr = (double)k / npaths[j];
            int shown = atoi(ot_fmt_prob(pr, b, sizeof b));
            ot_proj_status st = ot_proj_status_of_prob(pr);
            assert_int_equal(st, shown >= 80   ? OT_STATUS_ON_TRACK
                                 : shown >= 40 ? OT_STATUS_AT_RISK
                                               : OT_STATUS_OFF_TRACK);
        }
    assert_string_equal(ot_fmt_level(560000, OT_LANG_ZH, NULL, b, sizeof b), "56万");
    assert_string_equal(ot_fmt_level(560000, OT_LANG_EN, NULL, b, sizeof b), "560,000");
    assert_string_equal(ot_fmt_level(123456789, OT_LANG_ZH, NULL, b, sizeof b), "1.23亿");
    assert_string_equal(ot_fmt_level(-1234567.8, OT_LANG_EN, NULL, b, sizeof b), "-1,234,568");
    assert_string_equal(ot_fmt_level(22000, OT_LANG_ZH, "万人", b, sizeof b), "22,000");
    assert_string_equal(ot_fmt_level(12.345, OT_LANG_ZH, NULL, b, sizeof b), "12.3");
    /* Chinese writes 1000个 and 9999 without a separator, as the bureaus do */
    assert_string_equal(ot_fmt_level(1000, OT_LANG_ZH, NULL, b, sizeof b), "1000");
    assert_string_equal(ot_fmt_level(9999, OT_LANG_ZH, "个", b, sizeof b), "9999");
    assert_string_equal(ot_fmt_level(1000, OT_LANG_EN, NULL, b, sizeof b), "1,000");
    /* a range reads its two ends alike: the larger one's scale and decimals,
     * every digit kept (not "8.21 .. 12.3", "56.25万 – 60万") */
    char r[96];
    assert_string_equal(ot_fmt_level_range(8.21, 12.345, OT_LANG_EN, NULL, " .. ", r, sizeof r),
                        "8.2 .. 12.3");
    assert_string_equal(ot_fmt_level_range(8.21, 8.897, OT_LANG_EN, NULL, " .. ", r, sizeof r),
                        "8.21 .. 8.90");
    assert_string_equal(ot_fmt_level_range(562500, 600000, OT_LANG_ZH, NULL, " – ", r, sizeof r),
                        "56.25万 – 60.00万");
    assert_string_equal(ot_fmt_level_range(9000, 1.2e5, OT_LANG_ZH, NULL, " – ", r, sizeof r),
                        "0.90万 – 12.00万");
    assert_string_equal(ot_fmt_level_range(-0.001, 3.5e6, OT_LANG_EN, NULL, " .. ", r, sizeof r),
                        "0 .. 3,500,000");
    assert_string_equal(ot_fmt_level_range(450, 520, OT_LANG_ZH, "亿元", " – ", r, sizeof r),
                        "450.0 – 520.0");
    assert_string_equal(ot_fmt_level_range(NAN, 520, OT_LANG_ZH, NULL, " – ", r, sizeof r), "");
    assert_string_equal(ot_fmt_value(7.5, b, sizeof b), "7.5");
    assert_string_equal(ot_fmt_value(1234.56, b, sizeof b), "1234.56");
    assert_string_equal(ot_fmt_value(7.558139535, b, sizeof b), "7.6");
    assert_string_equal(ot_fmt_value(5.952380952, b, sizeof b), "6.0");
    assert_string_equal(ot_fmt_value(0.0123456789, b, sizeof b), "0.0123");
    assert_string_equal(ot_fmt_value(4000000, b, sizeof b), "4000000");
}

/* The tests in words, from the kinds table of core/target.h: a relative
 * target names its reference by its series name when the document knows
 * it, by its key otherwise; a margin of 0 reads as words. */
static void test_report_test_words(void **state)
{
    (void)state;
    ot_target t;
    ot_projection p;
    fixture(&t, &p, "出口增速高于全省平均");
    t.series = (char *)"yiwu.exports";
    t.kind = OT_TARGET_RELATIVE;
    t.op = OT_OP_GT;
    t.value = 0;
    t.ref = (char *)"zhejiang.exports";
    ot_report_item it = {&t, &p, NULL, NULL, 0, "浙江省出口总额", "Zhejiang exports", NULL, NULL, OT_KIND_FLOW};
    char buf[160];
    assert_string_equal(report_fmt_item_test(&it, OT_LANG_ZH, buf, sizeof buf),
                        "增速高于浙江省出口总额增速");
    assert_string_equal(report_fmt_item_test(&it, OT_LANG_EN, buf, sizeof buf),
                        "growth above Zhejiang exports growth");
    t.op = OT_OP_GE;
    assert_string_equal(report_fmt_item_test(&it, OT_LANG_ZH, buf, sizeof buf),
                        "增速不低于浙江省出口总额增速");
    it.name = "义乌市出口总额"; /* the series named too */
    it.name_en = "Yiwu exports";
    t.op = OT_OP_GT;
    assert_string_equal(report_fmt_item_test(&it, OT_LANG_ZH, buf, sizeof buf),
                        "义乌市出口总额增速高于浙江省出口总额增速");
    assert_string_equal(report_fmt_item_test(&it, OT_LANG_EN, buf, sizeof buf),
                        "Yiwu exports growth above Zhejiang exports growth");
    it.name = it.name_en = NULL;
    t.op = OT_OP_GE;
    t.value = 2;
    assert_string_equal(report_fmt_item_test(&it, OT_LANG_ZH, buf, sizeof buf),
                        "增速 − 浙江省出口总额增速 ≥ 2个百分点");
    assert_string_equal(report_fmt_item_test(&it, OT_LANG_EN, buf, sizeof buf),
                        "growth - Zhejiang exports >= 2");
    it.ref_name = it.ref_name_en = NULL; /* not known: the key */
    t.value = 0;
    assert_string_equal(report_fmt_item_test(&it, OT_LANG_ZH, buf, sizeof buf),
                        "增速 − zhejiang.exports增速 ≥ 0个百分点");
    assert_string_equal(ot_fmt_test(&t, buf, sizeof buf), "growth - zhejiang.exports >= 0");
    assert_string_equal(report_fmt_metric(&t, 3.25, OT_LANG_ZH, buf, sizeof buf), "+3.2个百分点");
    assert_string_equal(ot_fmt_metric(&t, 3.25, buf, sizeof buf), "+3.2 pts");
    t.kind = OT_TARGET_DAILY_AVG;
    t.value = 200000;
    assert_string_equal(report_fmt_item_test(&it, OT_LANG_ZH, buf, sizeof buf), "日均 ≥ 20万");
    assert_string_equal(report_fmt_item_test(&it, OT_LANG_EN, buf, sizeof buf),
                        "per day >= 200,000");
    t.value = 4000000;
    t.kind = OT_TARGET_LEVEL;
    assert_string_equal(report_fmt_item_test(&it, OT_LANG_ZH, buf, sizeof buf), "总量 ≥ 400万");
    /* of a stock (registered buyers) or a rate the level is the year-end
     * level, not a total: the test says which */
    it.kind = OT_KIND_STOCK;
    assert_string_equal(report_fmt_item_test(&it, OT_LANG_ZH, buf, sizeof buf), "年末水平 ≥ 400万");
    assert_string_equal(report_fmt_item_test(&it, OT_LANG_EN, buf, sizeof buf),
                        "year-end level >= 4,000,000");
    it.kind = OT_KIND_RATE;
    assert_string_equal(report_fmt_item_test(&it, OT_LANG_EN, buf, sizeof buf),
                        "year-end level >= 4,000,000");
    t.kind = OT_TARGET_COUNT; /* a count reads the same whatever the kind */
    assert_string_equal(report_fmt_item_test(&it, OT_LANG_EN, buf, sizeof buf),
                        "count >= 4,000,000");
    t.kind = OT_TARGET_LEVEL;
    it.kind = OT_KIND_FLOW;
    t.value = 500;
    t.unit = (char *)"亿元"; /* a unit of its own: no 万/亿 added, the unit said */
    assert_string_equal(report_fmt_item_test(&it, OT_LANG_ZH, buf, sizeof buf), "总量 ≥ 500亿元");
    assert_string_equal(report_fmt_item_test(&it, OT_LANG_EN, buf, sizeof buf),
                        "total >= 500 (100m yuan)");
    t.unit = (char *)"万元"; /* never 200万万元 */
    t.value = 2000000;
    assert_string_equal(report_fmt_item_test(&it, OT_LANG_ZH, buf, sizeof buf),
                        "总量 ≥ 2,000,000万元");
    t.kind = OT_TARGET_DAILY_AVG; /* 万 from the figure before a unit without one */
    t.unit = (char *)"人次";
    t.value = 200000;
    assert_string_equal(report_fmt_item_test(&it, OT_LANG_ZH, buf, sizeof buf), "日均 ≥ 20万人次");
    assert_string_equal(report_fmt_item_test(&it, OT_LANG_EN, buf, sizeof buf),
                        "per day >= 200,000 (person-times)");
    t.kind = OT_TARGET_COUNT; /* a measure word: said in Chinese, nothing in English */
    t.unit = (char *)"个";
    t.value = 10;
    assert_string_equal(report_fmt_item_test(&it, OT_LANG_ZH, buf, sizeof buf), "数量 ≥ 10个");
    assert_string_equal(report_fmt_item_test(&it, OT_LANG_EN, buf, sizeof buf), "count >= 10");
    t.kind = OT_TARGET_LEVEL; /* a unit with no English word here: as stored */
    t.unit = (char *)"标箱";
    assert_string_equal(report_fmt_item_test(&it, OT_LANG_EN, buf, sizeof buf), "total >= 10 (标箱)");
    t.unit = NULL;
    t.kind = OT_TARGET_UNQUANTIFIED;
    assert_string_equal(report_fmt_item_test(&it, OT_LANG_EN, buf, sizeof buf), "");
    /* in step within a tolerance; without one it is unquantified: no test
     * (never "<= 0", the band's centre taken for its width) */
    t.kind = OT_TARGET_IN_STEP;
    t.op = OT_OP_EQ;
    t.value = 0;
    t.tolerance = 1;
    it.ref_name_en = "Yiwu GDP";
    assert_string_equal(report_fmt_item_test(&it, OT_LANG_EN, buf, sizeof buf),
                        "|growth - Yiwu GDP| <= 1");
    t.tolerance = NAN;
    assert_string_equal(report_fmt_item_test(&it, OT_LANG_EN, buf, sizeof buf), "");
    assert_string_equal(report_fmt_item_test(&it, OT_LANG_ZH, buf, sizeof buf), "");
    /* "=" says its band: 增长7.5%左右 is 7.5 ± 0.5, and a level's band is a level */
    t.kind = OT_TARGET_GROWTH;
    t.value = 7.5;
    t.tolerance = 0.5;
    assert_string_equal(report_fmt_item_test(&it, OT_LANG_EN, buf, sizeof buf),
                        "growth = 7.5% ± 0.5 pts");
    assert_string_equal(report_fmt_item_test(&it, OT_LANG_ZH, buf, sizeof buf),
                        "增速 ≈ 7.5%（±0.5个百分点）");
    t.kind = OT_TARGET_LEVEL;
    t.value = 500000;
    t.tolerance = 20000;
    assert_string_equal(report_fmt_item_test(&it, OT_LANG_EN, buf, sizeof buf),
                        "total = 500,000 ± 20,000");
    assert_string_equal(report_fmt_item_test(&it, OT_LANG_ZH, buf, sizeof buf),
                        "总量 ≈ 50万（±2万）");
}

/* The kinds table: names round trip, what each needs, the default margin
 * of a relative target and the one year range. */
static void test_report_kinds_table(void **state)
{
    (void)state;
    for (int k = 0; k <= OT_TARGET_UNQUANTIFIED; k++) {
        ot_target_kind back;
        const ot_target_kind_desc *d = ot_target_kind_desc_of((ot_target_kind)k);
        assert_non_null(d);
        assert_int_equal(d->kind, k);
        assert_int_equal(ot_target_kind_parse(d->name, &back), 0);
        assert_int_equal(back, k);
    }
    assert_null(ot_target_kind_desc_of((ot_target_kind)99));
    ot_target t;
    ot_target_init(&t);
    ot_err e;
    t.kind = OT_TARGET_RELATIVE;
    t.series = (char *)"a";
    t.year = 2023;
    assert_int_equal(ot_target_check(&t, &e), OT_EINVAL);
    assert_string_equal(e.msg, "a relative target needs a ref (the series it is compared with)");
    t.ref = (char *)"b";
    assert_int_equal(ot_target_check(&t, &e), OT_OK);
    assert_true(t.value == 0); /* 高于全省平均: a margin of 0 */
    t.kind = OT_TARGET_GROWTH;
    t.ref = NULL; /* a growth target takes none */
    t.value = NAN;
    assert_int_equal(ot_target_check(&t, &e), OT_EINVAL);
    assert_string_equal(e.msg, "a growth target needs a value (the number to meet)");
    t.value = 7.5;
    t.year = 1899;
    assert_int_equal(ot_target_check(&t, &e), OT_EINVAL);
    assert_string_equal(e.msg, "target without a valid year (1899)");
    t.year = OT_TARGET_YEAR_MAX;
    assert_int_equal(ot_target_check(&t, &e), OT_OK);
    /* "=" needs its band: a continuous figure never equals 7.5 exactly */
    t.op = OT_OP_EQ;
    assert_int_equal(ot_target_check(&t, &e), OT_EINVAL);
    assert_string_equal(e.msg, "a growth target with op '=' needs a tolerance (the band around "
                               "7.5 it may miss by: 增长7.5%左右 is '=' 7.5 with tolerance "
                               "0.5), or state it as '>='");
    t.tolerance = -0.5;
    assert_int_equal(ot_target_check(&t, &e), OT_EINVAL);
    assert_string_equal(e.msg, "a growth target's tolerance is at least 0 (in points), got -0.5");
    t.tolerance = 0.5;
    assert_int_equal(ot_target_check(&t, &e), OT_OK);
    /* in_step without one is listed as unquantified, as documented */
    t.kind = OT_TARGET_IN_STEP;
    t.ref = (char *)"b";
    t.tolerance = NAN;
    assert_int_equal(ot_target_check(&t, &e), OT_OK);
    t.kind = OT_TARGET_GROWTH;
    t.ref = NULL;
    t.op = OT_OP_GE;
    /* an unquantified target needs a year only */
    ot_target u;
    ot_target_init(&u);
    u.kind = OT_TARGET_UNQUANTIFIED;
    u.year = 2023;
    assert_int_equal(ot_target_check(&u, &e), OT_OK);
}

/* The footer's data version: the date the data were read as known on, the
 * period they were cut after when the run named one (doc->as_of differs from
 * known_on), the newest release among them; in both languages. */
static void test_report_data_version(void **state)
{
    (void)state;
    ot_report_doc doc;
    ot_report_doc_init(&doc);
    char buf[256];
    assert_null(report_fmt_data_version(&doc, buf, sizeof buf));
    doc.as_of = doc.known_on = "2023-10-31";
    doc.vintage = "2023-10-24";
    assert_string_equal(report_fmt_data_version(&doc, buf, sizeof buf),
                        "2023年10月31日已知的数据，最新发布于2023年10月24日");
    doc.lang = OT_LANG_EN;
    assert_string_equal(report_fmt_data_version(&doc, buf, sizeof buf),
                        "as known on 2023-10-31; newest release read 2023-10-24");
    doc.as_of = "2023-09"; /* a period cut: the vintages of known_on, through September */
    assert_string_equal(report_fmt_data_version(&doc, buf, sizeof buf),
                        "as known on 2023-10-31 (through Sep 2023); newest release read 2023-10-24");
    doc.lang = OT_LANG_ZH;
    assert_string_equal(report_fmt_data_version(&doc, buf, sizeof buf),
                        "2023年10月31日已知的数据（截至2023年9月），最新发布于2023年10月24日");
    doc.known_on = NULL; /* the latest data, cut, nothing known of the releases */
    doc.vintage = NULL;
    assert_string_equal(report_fmt_data_version(&doc, buf, sizeof buf), "最新数据（截至2023年9月）");
    doc.lang = OT_LANG_EN;
    assert_string_equal(report_fmt_data_version(&doc, buf, sizeof buf),
                        "the latest data (through Sep 2023)");
    /* cut short, never past the buffer */
    char small[12];
    assert_string_equal(report_fmt_data_version(&doc, small, sizeof small), "the latest ");
}

/* The display width of s up to the first occurrence of what (a CJK
 * character is two columns); asserts it occurs. */
static size_t width_to(const char *s, const char *what)
{
    const char *e = strstr(s, what);
    assert_non_null(e);
    char buf[1024];
    assert_true((size_t)(e - s) < sizeof buf);
    memcpy(buf, s, (size_t)(e - s));
    buf[e - s] = '\0';
    return ot_display_width(buf);
}

/* The status table keeps its columns whatever the labels: a very long
 * Chinese label is cut to 36 columns with an ellipsis, a label with a line
 * break (a quoted CSV cell) stays on its row, and every row, header and rule
 * are as wide as each other, CJK characters counting two columns. */
static void test_report_status_table_labels(void **state)
{
    (void)state;
    ot_target t[3];
    ot_projection p[3];
    fixture(&t[0], &p[0], "推动经济高质量发展取得新成效，全年地区生产总值增长百分之七点五左右");
    fixture(&t[1], &p[1], "a, \"quoted\"\nsecond line\x1b[31m");
    fixture(&t[2], &p[2], "GDP");
    ot_report_item it[3];
    for (int i = 0; i < 3; i++)
        it[i] = (ot_report_item){&t[i], &p[i], NULL, NULL, 0, NULL, NULL, NULL, NULL, OT_KIND_FLOW};
    ot_report_doc doc;
    ot_report_doc_init(&doc);
    doc.items = it;
    doc.n = 3;
    for (int lang = 0; lang < 2; lang++) {
        doc.lang = lang ? OT_LANG_EN : OT_LANG_ZH;
        char *s = render(ot_report_text, &doc);
        /* each row's status starts in the column of the header's */
        const char *line = s, *head = lang ? "status" : "状态";
        const char *st = lang ? "at risk" : "存在风险";
        size_t col = width_to(line, head);
        line = strchr(line, '\n') + 1; /* the rule */
        for (int r = 0; r < 3; r++) {
            line = strchr(line, '\n') + 1;
            assert_int_equal(width_to(line, st), col);
        }
        assert_int_equal(count(s, "\n"), 2 + 3 + 1 + 3); /* a line a row, a blank, a note each */
        /* 36 columns of label: 17 characters of two columns and the ellipsis */
        assert_non_null(strstr(s, "推动经济高质量发展取得新成效，全年… "));
        assert_non_null(strstr(s, "a, \"quoted\" second line [31m  "));
        assert_non_null(strstr(s, "[2] a, \"quoted\" second line [31m"));
        assert_null(strchr(s, '\x1b'));
        free(s);
    }
}

/* The terminal chart: sized like snprintf, cut in a short buffer, the same
 * text in a long one. */
static void test_report_plot(void **state)
{
    (void)state;
    double v[] = {0, 8};
    ot_err e;
    ot_series *s = ot_series_from(NULL, OT_FREQ_Y, 2020, v, 2, &e);
    size_t n = ot_report_plot(s, 72, 1, NAN, NULL, 0);
    char full[256], cut[8];
    assert_int_equal(ot_report_plot(s, 72, 1, NAN, full, sizeof full), n);
    assert_int_equal(strlen(full), n);
    /* one row: the top label, the bars (the lowest eighth: the lowest value
     * is drawn, never blank as a missing one; full), the periods */
    assert_string_equal(full, "8 \u2502\u2581\u2588\n   2020 2021");
    assert_int_equal(ot_report_plot(s, 72, 1, NAN, cut, sizeof cut), n);
    assert_int_equal(strlen(cut), sizeof cut - 1);
    assert_memory_equal(cut, full, sizeof cut - 1);
    v[0] = v[1] = NAN;
    ot_series *none = ot_series_from(NULL, OT_FREQ_Y, 2020, v, 2, &e);
    assert_int_equal(ot_report_plot(none, 72, 3, NAN, full, sizeof full), 17);
    assert_string_equal(full, "(nothing to plot)");
    ot_series_free(none);
    ot_series_free(s);
}

/* Numbers do not follow LC_NUMERIC: under a locale whose decimal point is
 * a comma (de_DE, made with localedef into a temporary folder read through
 * LOCPATH), CSV and every format through ot_report_write still write 8.25
 * and 7.5%. */
static void test_report_numbers_ignore_locale(void **state)
{
    (void)state;
    char dir[64], cmd[256], loc[128];
    snprintf(dir, sizeof dir, "%s/ot_locale_XXXXXX", P_tmpdir);
    if (!mkdtemp(dir))
        fail_msg("mkdtemp failed");
    snprintf(cmd, sizeof cmd, "localedef -i de_DE -f UTF-8 %s/de_DE.UTF-8 >/dev/null 2>&1", dir);
    int made = system(cmd) == 0;
    snprintf(loc, sizeof loc, "%s/de_DE.UTF-8", dir);
    if (made) {
        setenv("LOCPATH", dir, 1);
        made = setlocale(LC_NUMERIC, "de_DE.UTF-8") != NULL;
    }
    if (!made) { /* localedef (Debian's locales) is in .ci/packages */
        snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
        (void)!system(cmd);
        skip();
    }
    char probe[16];
    snprintf(probe, sizeof probe, "%.1f", 7.5);
    assert_string_equal(probe, "7,5"); /* the locale took */
    ot_target t;
    ot_projection p;
    fixture(&t, &p, "GDP");
    ot_report_item it = {&t, &p, NULL, NULL, 1, NULL, NULL, NULL, NULL, OT_KIND_FLOW};
    ot_report_doc doc;
    ot_report_doc_init(&doc);
    doc.items = &it;
    doc.n = 1;
    char *csv = render(ot_report_csv, &doc);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ot_err e;
    assert_int_equal(ot_report_write(&doc, OT_REPORT_MD, f, &e), OT_OK);
    fclose(f);
    setlocale(LC_NUMERIC, "C");
    unsetenv("LOCPATH");
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    (void)!system(cmd);
    assert_non_null(strstr(csv, ",GDP,yiwu.gdp,2023,growth,>=,7.5,,2023Q3,8.25,6.5,10,5.75,12.125,"
                                "0.794,4.5,8.7,,at_risk,"));
    assert_non_null(strstr(buf, "| GDP | 增速 ≥ 7.5% | 2023年三季度 | 8.7% | 8.2% | 6.5% – 10.0% | 79% |"));
    free(buf);
    free(csv);
}

/* CSV: a text cell starting with = + - @ (or tab, CR) is written with a
 * leading apostrophe, inside quotes (OWASP); raw leaves it; others as RFC
 * 4180 wants them. */
static void test_report_csv_cells(void **state)
{
    (void)state;
    const char *cases[][3] = {
        {"=1+2", "\"'=1+2\"", "=1+2"},
        {"+1", "\"'+1\"", "+1"},
        {"-2+3", "\"'-2+3\"", "-2+3"},
        {"@SUM(A1)", "\"'@SUM(A1)\"", "@SUM(A1)"},
        {"\tx", "\"'\tx\"", "\tx"},
        {"=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"", "\"=HYPERLINK(\"\"x\"\")\""},
        {"a,b", "\"a,b\"", "\"a,b\""},
        {"地区生产总值", "地区生产总值", "地区生产总值"},
        {"", "", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        for (int raw = 0; raw < 2; raw++) {
            char *buf = NULL;
            size_t len = 0;
            FILE *f = open_memstream(&buf, &len);
            ot_csv_cell(f, cases[i][0], raw);
            fclose(f);
            assert_string_equal(buf, cases[i][1 + raw]);
            free(buf);
        }
}

/* The JSON dispatch writes status.c's schema: as_of, projections[] with
 * target, status, point, lower/upper by level. */
static void test_report_json(void **state)
{
    (void)state;
    ot_target t;
    ot_projection p;
    fixture(&t, &p, "GDP");
    ot_report_item it = {&t, &p, NULL, NULL, 0, NULL, NULL, NULL, NULL, OT_KIND_FLOW};
    ot_report_doc doc;
    ot_report_doc_init(&doc);
    doc.items = &it;
    doc.n = 1;
    doc.as_of = "2023-10-31";
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ot_err e;
    assert_int_equal(ot_report_write(&doc, OT_REPORT_JSON, f, &e), OT_OK);
    fclose(f);
    json_error_t je;
    json_t *root = json_loads(buf, 0, &je);
    assert_non_null(root);
    assert_string_equal(json_string_value(json_object_get(root, "as_of")), "2023-10-31");
    json_t *p0 = json_array_get(json_object_get(root, "projections"), 0);
    assert_string_equal(json_string_value(json_object_get(p0, "status")), "at_risk");
    assert_float_equal(json_real_value(json_object_get(p0, "point")), 8.25, EPS);
    assert_float_equal(json_real_value(json_object_get(json_object_get(p0, "upper"), "95")),
                       12.125, EPS);
    assert_true(json_is_null(json_object_get(p0, "outcome")));
    json_decref(root);
    free(buf);
}

/* Figures that are not finite (±inf from a division upstream) are written
 * as not defined in every format: JSON null with the member present (the
 * schema requires it), an empty CSV cell, nothing in the text, HTML and
 * Markdown — never a bare inf or nan token. */
static void test_report_non_finite(void **state)
{
    (void)state;
    ot_target t;
    ot_projection p;
    fixture(&t, &p, "GDP");
    p.required = INFINITY;
    p.hi80 = INFINITY;
    p.hi95 = INFINITY;
    p.carry = -INFINITY;
    ot_report_item it = {&t, &p, NULL, NULL, 0, NULL, NULL, NULL, NULL, OT_KIND_FLOW};
    ot_report_doc doc;
    ot_report_doc_init(&doc);
    doc.items = &it;
    doc.n = 1;
    int (*const fns[])(const ot_report_doc *, FILE *, ot_err *) = {
        ot_report_html, ot_report_md, ot_report_text};
    for (size_t i = 0; i < sizeof fns / sizeof *fns; i++) {
        char *s = render(fns[i], &doc);
        for (char *c = s; *c; c++)
            *c = (char)tolower((unsigned char)*c);
        assert_null(strstr(s, "inf%"));
        assert_null(strstr(s, "nan"));
        assert_null(strstr(s, ">inf"));
        assert_null(strstr(s, " inf"));
        assert_null(strstr(s, "– <")); /* a range with one end unknown is not shown */
        assert_null(strstr(s, "– |"));
        free(s);
    }
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ot_err e;
    assert_int_equal(ot_report_write(&doc, OT_REPORT_JSON, f, &e), OT_OK);
    fclose(f);
    json_error_t je;
    json_t *root = json_loads(buf, 0, &je);
    assert_non_null(root);
    json_t *p0 = json_array_get(json_object_get(root, "projections"), 0);
    assert_true(json_is_null(json_object_get(p0, "required")));
    assert_true(json_is_null(json_object_get(p0, "carry")));
    assert_true(json_is_null(json_object_get(json_object_get(p0, "upper"), "95")));
    assert_float_equal(json_real_value(json_object_get(p0, "point")), 8.25, EPS);
    json_decref(root);
    free(buf);
    buf = NULL;
    f = open_memstream(&buf, &len);
    assert_int_equal(ot_report_write(&doc, OT_REPORT_CSV, f, &e), OT_OK);
    fclose(f);
    assert_null(strstr(buf, "inf"));
    /* columns 12 (hi80), 14 (hi95), 16 (required), 17 (carry) empty */
    assert_non_null(strstr(buf, ",6.5,,5.75,,0.794,,,,at_risk,"));
    free(buf);
}

/* The summary paragraph names a projection made from data more than 92 days
 * older than the report's newest, with its latest period: the province's
 * exports through April in a report through September.  Through June (92
 * days before 30 September) is not old; nor is a target met, whose outcome
 * is known. */
static void test_report_overview_stale(void **state)
{
    (void)state;
    ot_target t[4];
    ot_projection p[4];
    ot_report_item it[4];
    const char *labels[] = {"地区生产总值增长7.5%", "出口增长3%", "零售增长6%", "进口增长5%"};
    const char *latest[] = {"2023-09", "2023-04", "2023-06", "2023-03"};
    for (int i = 0; i < 4; i++) {
        fixture(&t[i], &p[i], labels[i]);
        snprintf(p[i].latest, sizeof p[i].latest, "%s", latest[i]);
        it[i] = (ot_report_item){&t[i], &p[i], NULL, NULL, 0, NULL, NULL, NULL, NULL, OT_KIND_FLOW};
    }
    p[0].status = OT_STATUS_ON_TRACK;
    p[0].prob = 0.95;
    p[3].status = OT_STATUS_MET;
    ot_report_doc doc;
    ot_report_doc_init(&doc);
    doc.items = it;
    doc.n = 4;
    char buf[1024];
    assert_string_equal(report_fmt_overview(&doc, buf, sizeof buf),
                        "共4项目标：1项已达成，1项有望达成，2项存在风险，0项偏离目标。需要关注："
                        "出口增长3%（存在风险，达标概率79%）；零售增长6%（存在风险，达标概率79%）。"
                        "数据较旧：出口增长3%（最新数据为2023年4月）。");
    doc.lang = OT_LANG_EN;
    assert_string_equal(report_fmt_overview(&doc, buf, sizeof buf),
                        "4 targets: 1 met, 1 on track, 2 at risk, 0 off track. Needing attention: "
                        "出口增长3% (at risk, 79%); 零售增长6% (at risk, 79%). Older data: 出口增长3% "
                        "(latest data Apr 2023).");
    /* none old: nothing said */
    snprintf(p[1].latest, sizeof p[1].latest, "2023Q2");
    assert_null(strstr(report_fmt_overview(&doc, buf, sizeof buf), "Older data"));
}

/* A range in points says its Chinese unit once ("-6.1 – +23.7个百分点", not
 * "-6.1个百分点 – +23.7个百分点"); growth ranges keep theirs on each end,
 * English its "pts"; an end not finite leaves it empty. */
static void test_report_range(void **state)
{
    (void)state;
    ot_target t;
    ot_projection p;
    fixture(&t, &p, "出口增速高于全省平均");
    char buf[96];
    assert_string_equal(report_fmt_range(&t, 6.26, 8.94, OT_LANG_ZH, " – ", buf, sizeof buf),
                        "6.3% – 8.9%");
    t.kind = OT_TARGET_RELATIVE;
    assert_string_equal(report_fmt_range(&t, -6.1, 23.7, OT_LANG_ZH, " – ", buf, sizeof buf),
                        "-6.1 – +23.7个百分点");
    assert_string_equal(report_fmt_range(&t, -6.1, 23.7, OT_LANG_EN, " .. ", buf, sizeof buf),
                        "-6.1 pts .. +23.7 pts");
    assert_string_equal(report_fmt_range(&t, NAN, 23.7, OT_LANG_ZH, " – ", buf, sizeof buf), "");
}

/* The summary paragraph names every target needing attention, however many
 * and however long their labels (60 at risk, 30 CJK characters each: over
 * 7 KB); cut short into a small buffer it ends on a whole character. */
static void test_report_overview_long(void **state)
{
    (void)state;
    enum { N = 60 };
    static ot_target t[N];
    static ot_projection p[N];
    static ot_report_item it[N];
    static char labels[N][128];
    for (int i = 0; i < N; i++) {
        snprintf(labels[i], sizeof labels[i], "第%02d项：推动经济高质量发展取得新成效全年地区生产总值增长", i);
        fixture(&t[i], &p[i], labels[i]);
        it[i] = (ot_report_item){&t[i], &p[i], NULL, NULL, 0, NULL, NULL, NULL, NULL, OT_KIND_FLOW};
    }
    ot_report_doc doc;
    ot_report_doc_init(&doc);
    doc.items = it;
    doc.n = N;
    char *s = render(ot_report_html, &doc);
    const char *ov = strstr(s, "<p class=\"overview\">");
    assert_non_null(ov);
    const char *end = strstr(ov, "</p>");
    assert_non_null(end);
    assert_true(end - ov > 4096); /* the buffer it once had to fit in */
    assert_non_null(strstr(ov, "第59项"));
    assert_true(strstr(ov, "第59项") < end);
    assert_memory_equal(end - strlen("（存在风险，达标概率79%）。"), "（存在风险，达标概率79%）。",
                        strlen("（存在风险，达标概率79%）。"));
    free(s);
    s = render(ot_report_md, &doc);
    assert_non_null(strstr(s, "第59项"));
    free(s);
    char small[100];
    report_fmt_overview(&doc, small, sizeof small);
    size_t n = strlen(small);
    assert_true(n < sizeof small && n > 90);
    /* the last byte ends a character: ASCII or the last of a multi-byte one,
     * and the string is valid UTF-8 throughout */
    assert_true(ot_display_width(small) > 0);
    const unsigned char *u = (const unsigned char *)small;
    for (size_t i = 0; i < n;) {
        size_t k = u[i] < 0x80 ? 1 : u[i] >= 0xF0 ? 4 : u[i] >= 0xE0 ? 3 : 2;
        assert_true(i + k <= n);
        for (size_t j = 1; j < k; j++)
            assert_int_equal(u[i + j] & 0xC0, 0x80);
        i += k;
    }
}

static void test_report_names(void **state)
{
    (void)state;
    ot_report_format f;
    ot_report_lang l;
    assert_int_equal(ot_report_format_from_path("out/yiwu-2023-10-31.HTML", &f), 0);
    assert_int_equal(f, OT_REPORT_HTML);
    assert_int_equal(ot_report_format_from_path("a.md", &f), 0);
    assert_int_equal(f, OT_REPORT_MD);
    assert_int_equal(ot_report_format_from_path("a.json", &f), 0);
    assert_int_equal(f, OT_REPORT_JSON);
    assert_int_equal(ot_report_format_from_path("dir.csv/report", &f), -1);
    assert_int_equal(ot_report_format_from_path("report.txt", &f), 0);
    assert_int_equal(f, OT_REPORT_TXT);
    assert_int_equal(ot_report_format_from_path("report.pdf", &f), -1);
    assert_int_equal(ot_report_format_parse("markdown", &f), 0);
    assert_int_equal(f, OT_REPORT_MD);
    assert_int_equal(ot_report_format_parse("pdf", &f), -1);
    assert_int_equal(ot_report_lang_parse("en", &l), 0);
    assert_int_equal(l, OT_LANG_EN);
    assert_int_equal(ot_report_lang_parse("fr", &l), -1);
}

/* An item without a projection is the caller's mistake: OT_EINVAL naming it,
 * nothing written. */
static void test_report_missing_projection(void **state)
{
    (void)state;
    ot_target t;
    ot_projection p;
    fixture(&t, &p, "GDP");
    ot_report_item it[2] = {{&t, &p, NULL, NULL, 0, NULL, NULL, NULL, NULL, OT_KIND_FLOW},
                            {&t, NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL, OT_KIND_FLOW}};
    ot_report_doc doc;
    ot_report_doc_init(&doc);
    doc.items = it;
    doc.n = 2;
    int (*fns[])(const ot_report_doc *, FILE *, ot_err *) = {ot_report_html, ot_report_md,
                                                              ot_report_csv, ot_report_doc_json};
    for (size_t i = 0; i < 4; i++) {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        ot_err e;
        ot_err_clear(&e);
        assert_int_equal(fns[i](&doc, f, &e), OT_EINVAL);
        fclose(f);
        assert_string_equal(e.msg, "report: item 2 has no projection");
        assert_int_equal(len, 0);
        free(buf);
    }
}

/* A write error (a read-only stream) is OT_EIO. */
static void test_report_write_error(void **state)
{
    (void)state;
    ot_target t;
    ot_projection p;
    fixture(&t, &p, "GDP");
    ot_report_item it = {&t, &p, NULL, NULL, 0, NULL, NULL, NULL, NULL, OT_KIND_FLOW};
    ot_report_doc doc;
    ot_report_doc_init(&doc);
    doc.items = &it;
    doc.n = 1;
    FILE *f = fopen("/dev/null", "r");
    assert_non_null(f);
    ot_err e;
    ot_err_clear(&e);
    assert_int_equal(ot_report_csv(&doc, f, &e), OT_EIO);
    assert_string_equal(e.msg, "cannot write the CSV report");
    fclose(f);
}

/* ---- chart history from a source --------------------------------------- */

typedef struct fake {
    const char *measure;
    ot_series *s;
} fake;

static int fake_src(void *ud, const char *key, const char *measure, ot_series **out, ot_err *err)
{
    const fake *fk = ud;
    if (strcmp(key, "k") || strcmp(measure, fk->measure))
        return OT_ENOTFOUND;
    *out = ot_series_copy(fk->s, err);
    return *out ? OT_OK : OT_ENOMEM;
}

/* Monthly values: 2022 every month 100, 2023 Jan–Mar 110.  A level target's
 * history is the ytd total: 2022 100, 200, ..., 1200; 2023 110, 220, 330,
 * then missing.  A growth target's is the ytd growth: 2023 +10% each month.
 * daily_avg: the ytd over the days of the year, 1200/365 in December 2022. */
static void test_report_history(void **state)
{
    (void)state;
    double v[15];
    for (int i = 0; i < 15; i++)
        v[i] = i < 12 ? 100 : 110;
    fake fk = {"value", ot_series_from(NULL, OT_FREQ_M, ot_period_make(OT_FREQ_M, 2022, 1), v, 15,
                                       NULL)};
    assert_non_null(fk.s);
    fk.s->kind = OT_KIND_FLOW;
    ot_target t;
    ot_target_init(&t);
    t.series = (char *)"k";
    t.year = 2023;
    t.kind = OT_TARGET_LEVEL;
    t.op = OT_OP_GE;
    t.value = 1300;
    ot_series *h = NULL;
    ot_err e;
    assert_int_equal(ot_project_history(&t, fake_src, &fk, 1, NULL, &h, &e), OT_OK);
    assert_non_null(h);
    assert_int_equal(h->freq, OT_FREQ_M);
    assert_int_equal(h->start, ot_period_make(OT_FREQ_M, 2022, 1));
    assert_int_equal(h->n, 24);
    assert_float_equal(h->v[0], 100, EPS);
    assert_float_equal(h->v[11], 1200, EPS);
    assert_float_equal(h->v[14], 330, EPS);
    assert_true(isnan(h->v[15]));
    assert_string_equal(h->key, "k");
    ot_series_free(h);

    t.kind = OT_TARGET_GROWTH;
    assert_int_equal(ot_project_history(&t, fake_src, &fk, 1, NULL, &h, &e), OT_OK);
    assert_float_equal(h->v[12], 10, 1e-9);
    assert_float_equal(h->v[14], 10, 1e-9);
    assert_true(isnan(h->v[0])); /* no 2021 to grow from */
    ot_series_free(h);

    t.kind = OT_TARGET_DAILY_AVG;
    assert_int_equal(ot_project_history(&t, fake_src, &fk, 1, NULL, &h, &e), OT_OK);
    assert_float_equal(h->v[11], 1200.0 / 365, 1e-9);
    ot_series_free(h);

    /* no history for decline, nor for a key the source lacks */
    t.kind = OT_TARGET_DECLINE;
    h = (ot_series *)&t;
    assert_int_equal(ot_project_history(&t, fake_src, &fk, 1, NULL, &h, &e), OT_OK);
    assert_null(h);
    t.kind = OT_TARGET_GROWTH;
    t.series = (char *)"other";
    h = (ot_series *)&t;
    assert_int_equal(ot_project_history(&t, fake_src, &fk, 1, NULL, &h, &e), OT_OK);
    assert_null(h);
    ot_series_free(fk.s);
}

/* The history under a failing allocator: fail the N-th allocation, N = 1,
 * 2, ... until the call succeeds; every failure is OT_ENOMEM with *out
 * untouched and nothing left allocated; the success equals the normal one. */
static void test_report_history_nomem(void **state)
{
    (void)state;
    double v[15];
    for (int i = 0; i < 15; i++)
        v[i] = i < 12 ? 100 : 110;
    fake fk = {"value", ot_series_from(NULL, OT_FREQ_M, ot_period_make(OT_FREQ_M, 2022, 1), v, 15,
                                       NULL)};
    assert_non_null(fk.s);
    ot_target t;
    ot_target_init(&t);
    t.series = (char *)"k";
    t.year = 2023;
    t.kind = OT_TARGET_LEVEL;
    t.value = 1300;
    int succeeded = 0, failures = 0;
    for (int n = 1; n < 100 && !succeeded; n++) {
        failalloc fa = {.fail_at = n};
        ot_alloc a = {failalloc_f, &fa};
        ot_series *h = (ot_series *)&t; /* must stay untouched on failure */
        ot_err e;
        ot_err_clear(&e);
        int rc = ot_project_history(&t, fake_src, &fk, 1, &a, &h, &e);
        if (rc == OT_OK) {
            assert_non_null(h);
            assert_float_equal(h->v[14], 330, EPS);
            ot_series_free(h);
            succeeded = 1;
        } else {
            assert_int_equal(rc, OT_ENOMEM);
            assert_ptr_equal(h, (ot_series *)&t);
            failures++;
        }
        assert_int_equal(fa.bytes, 0);
    }
    assert_true(succeeded);
    /* frame tables (5), the series (values, then key) fail in turn */
    assert_true(failures >= 7);
    ot_series_free(fk.s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_report_nicenum),
        cmocka_unit_test(test_report_nice_ticks),
        cmocka_unit_test(test_report_csv_columns),
        cmocka_unit_test(test_report_html_escapes),
        cmocka_unit_test(test_report_html_no_chart_line),
        cmocka_unit_test(test_report_svg_parts),
        cmocka_unit_test(test_report_md_escapes),
        cmocka_unit_test(test_report_csv_cells),
        cmocka_unit_test(test_report_numbers_ignore_locale),
        cmocka_unit_test(test_report_plot),
        cmocka_unit_test(test_report_test_words),
        cmocka_unit_test(test_report_html_level_units),
        cmocka_unit_test(test_report_dates),
        cmocka_unit_test(test_report_facts_words),
        cmocka_unit_test(test_report_numbers),
        cmocka_unit_test(test_report_kinds_table),
        cmocka_unit_test(test_report_data_version),
        cmocka_unit_test(test_report_non_finite),
        cmocka_unit_test(test_report_overview_long),
        cmocka_unit_test(test_report_overview_stale),
        cmocka_unit_test(test_report_range),
        cmocka_unit_test(test_report_status_table_labels),
        cmocka_unit_test(test_report_json),
        cmocka_unit_test(test_report_names),
        cmocka_unit_test(test_report_missing_projection),
        cmocka_unit_test(test_report_write_error),
        cmocka_unit_test(test_report_history),
        cmocka_unit_test(test_report_history_nomem),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
