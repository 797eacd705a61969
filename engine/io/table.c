/* table.c — wide files and statistics bureaus' tables, as published.
 *
 * A table is read record by record (from CSV or a workbook), so its size
 * does not matter.  Rows above the header with one cell (titles, 单位：亿元)
 * are skipped and listed, as are empty rows and notes (注：…, 数据来源…)
 * anywhere.  The header is the first row with two or more cells; a second
 * row of measure words (本月 | 累计 | 同比增长(%), or 绝对值 | 增长) under it
 * makes a two-row header, an empty top cell taking the indicator of the cell
 * to its left (a merged cell).  Then either
 *   - periods down: the first column holds periods, every other column is a
 *     series and a measure; `period,KEY,...` names keys (the plain wide
 *     file), other headings are mapped through header.c; or
 *   - periods across (the header's cells after the first are periods): each
 *     row is a series and a measure named by its first cell, with an
 *     optional unit column (单位, 计量单位).
 * Every value goes through io_put_obs, so validation, duplicates, revisions
 * and the one transaction are those of any import.  At the end of the file,
 * columns given as `value` whose figures rise through each year and fall
 * back in January are refused as year-to-date (unless --force-measure).
 */
#include "io/import_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/text.h"
#include "io/fields.h"
#include "io/xxh64.h"

enum { T_SEEK, T_SUB, T_DATA };

static const char *skip_blanks(const char *s);

typedef struct tcol {
    char *key;    /* NULL: a blank column, not read */
    char *head;   /* the heading as printed (top / sub) */
    char *unit;   /* the heading's unit, else the series'; may be NULL */
    ot_measure m;
    int word;     /* a heading word or the map decided the measure */
    int check;    /* check whether its values look year-to-date */
    int unnamed;  /* a value found under this column without a heading was reported */
    ot_freq freq; /* the series' frequency, OT_FREQ_NONE while new */
    long long rows, inserted, unchanged, missing;
    ot_period first, last;
    io_shape shape; /* the year-to-date check */
} tcol;

struct table {
    int state;
    int english;       /* `period,KEY,...` */
    int across;        /* periods across, series down */
    long hdr_line;
    char **top;        /* the header row, copied */
    size_t ntop;
    tcol *col;         /* periods down: one per header field */
    size_t ncol;
    long unit_col;     /* across: the field index of 单位, or -1 */
    size_t first_per;  /* across: the first period column */
    int title_year;    /* the year a title above the header names (2024年…), or 0 */
    unsigned char *unnamed; /* across: per header field, a value under a blank heading was reported */
    char other_sep;    /* ';' or '\t' when every one-cell row so far held it, else 0 */
    ot_freq *vfreq;    /* a data vendor's 频率 row under the header: per field, or NULL */
    long vfreq_line;
    int ntitles;
};

/* Notes the separator a one-cell row may be using instead of commas: kept
 * while every such row holds the same one. */
static void other_separator(table *t, const char *cell)
{
    char sep = strchr(cell, ';') ? ';' : strchr(cell, '\t') ? '\t' : 0;
    if (t->ntitles++ == 0)
        t->other_sep = sep;
    else if (t->other_sep != sep)
        t->other_sep = 0;
}

/* The year a title names: the first four digits followed by 年. */
static int year_in(const char *s)
{
    for (; *s; s++) {
        if (s[0] >= '1' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' && s[2] >= '0' &&
            s[2] <= '9' && s[3] >= '0' && s[3] <= '9' && strncmp(s + 4, "年", 3) == 0)
            return (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    }
    return 0;
}

/* Whether s is a period without its year, as bureaus write them under a
 * title that says the year: a month or a range of months (3月, 1-2月,
 * 1-3月份), a quarter (一季度, 第二季度) or quarters to date (上半年, 前三季度,
 * 1-3季度): with a year put in front it reads as a period. */
static int yearless(const char *s)
{
    const char *p = skip_blanks(s);
    char buf[96];
    ot_period q;
    if (strncmp(p, "全年", strlen("全年")) == 0 && !*skip_blanks(p + strlen("全年")))
        return 1; /* the year's figure: 2024年全年 */
    if (!*p || year_in(p) || strstr(p, "年") == p)
        return 0;
    for (const char *d = p; *d; d++) /* a year of its own: 2024-03, 2024Q1 */
        if (d[0] >= '0' && d[0] <= '9' && d[1] >= '0' && d[1] <= '9' && d[2] >= '0' &&
            d[2] <= '9' && d[3] >= '0' && d[3] <= '9')
            return 0;
    if ((size_t)snprintf(buf, sizeof buf, "2000年%s", p) >= sizeof buf)
        return 0;
    return ot_period_parse_ytd(buf, (size_t)-1, &q, NULL) == OT_OK;
}

/* A period written without its year: with the title's year put in front, in
 * buf; otherwise s itself. */
static const char *with_year(const table *t, const char *s, char *buf, size_t cap)
{
    if (!t->title_year || !yearless(s))
        return s;
    snprintf(buf, cap, "%d年%s", t->title_year, skip_blanks(s));
    return buf;
}

static const char *const period_words[] = {
    "period", "date", "time", "时间", "日期", "期别", "月份", "时期", "年月", "统计时间",
    "统计期", "期间", "年份", "季度", "报告期", "月度", "指标", "指标名称", "项目", "项目名称"};

/* s without leading and trailing blanks (ASCII and the ideographic space),
 * compared with word. */
static int blank_eq(const char *s, const char *word)
{
    while (*s == ' ' || *s == '\t' || io_ideo_space(s))
        s += *s == ' ' || *s == '\t' ? 1 : 3;
    size_t n = strlen(s), w = strlen(word);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    while (n >= 3 && memcmp(s + n - 3, "\xE3\x80\x80", 3) == 0)
        n -= 3;
    return n == w && strncasecmp(s, word, n) == 0;
}

int io_table_period_word(const char *s)
{
    for (size_t i = 0; i < sizeof period_words / sizeof *period_words; i++)
        if (blank_eq(s, period_words[i]))
            return 1;
    return 0;
}

static int blank(const char *s)
{
    while (*s == ' ' || *s == '\t' || io_ideo_space(s))
        s += *s == ' ' || *s == '\t' ? 1 : 3;
    return *s == '\0';
}

static const char *skip_blanks(const char *s)
{
    while (*s == ' ' || *s == '\t' || io_ideo_space(s))
        s += *s == ' ' || *s == '\t' ? 1 : 3;
    return s;
}

/* A note under (or above) a table: 注：…, 数据来源：…, 说明 … */
static int is_note(const char *s)
{
    static const char *const starts[] = {"注", "数据来源", "资料来源", "来源：", "来源:", "说明",
                                         "备注", "附注", "Note", "Source", "*"};
    s = skip_blanks(s);
    for (size_t i = 0; i < sizeof starts / sizeof *starts; i++)
        if (strncmp(s, starts[i], strlen(starts[i])) == 0)
            return 1;
    return 0;
}

static void skipped(ctx *c, const char *why, const char *text)
{
    c->stats->skipped++;
    const ot_import_report *r = c->o->report;
    if (r && r->skipped) {
        char sb[96], where[OT_ERR_FILE_MAX];
        snprintf(where, sizeof where, "%s%s%s", c->path, c->sheet ? ":" : "",
                 c->sheet ? c->sheet : "");
        ot_import_skip k = {where, c->rec_line, why, ot_fmt_shown(text, (size_t)-1, sb,
                                                                  sizeof sb)};
        r->skipped(r->ud, &k);
    }
}

static const char *with_year(const table *t, const char *s, char *buf, size_t cap);

/* Whether s is a period (with the title's year when it has none). */
static int parses_period(const table *t, const char *s)
{
    ot_period p;
    char yb[96];
    if (t)
        s = with_year(t, s, yb, sizeof yb);
    return !blank(s) && (ot_period_parse(s, (size_t)-1, &p, NULL) == OT_OK ||
                         ot_period_parse_ytd(s, (size_t)-1, &p, NULL) == OT_OK);
}

/* A second header row: measure words (and units) only, no period, no number. */
static int is_sub(const ctx *c)
{
    const char *f0 = io_field(c, 0);
    if (!blank(f0) && !io_table_period_word(f0))
        return 0;
    int any = 0;
    for (size_t i = 1; i < c->nf; i++) {
        const char *f = io_field(c, i);
        if (blank(f))
            continue;
        double v;
        if (io_parse_value(f, &v) == V_OK || parses_period(c->t, f))
            return 0;
        io_heading h;
        io_heading_parse(f, &h);
        if (h.measure < 0 && !h.growth && !(h.name[0] == '\0' && h.unit[0]))
            return 0;
        any = 1;
    }
    return any;
}

/* Rows a data vendor's export (Wind, iFinD, Choice) puts between the header
 * and the data, by their first cell: the unit (单位) and frequency (频率) of
 * each column, read; its code, source, time range or update time, skipped. */
enum { V_NONE, V_UNIT, V_FREQ, V_OTHER };

static int vendor_row(const char *f0)
{
    static const char *const other[] = {"指标ID", "指标id", "指标代码", "代码", "来源",
                                        "时间区间", "更新时间", "最后更新时间", "数据状态"};
    if (blank_eq(f0, "单位") || blank_eq(f0, "计量单位"))
        return V_UNIT;
    if (blank_eq(f0, "频率"))
        return V_FREQ;
    for (size_t i = 0; i < sizeof other / sizeof *other; i++)
        if (blank_eq(f0, other[i]))
            return V_OTHER;
    return V_NONE;
}

/* A frequency as vendors write it (月, 季, 年, 日; also 月度 … and M, Q, Y). */
static ot_freq vendor_freq(const char *s)
{
    static const struct {
        const char *w;
        ot_freq f;
    } words[] = {{"月", OT_FREQ_M}, {"月度", OT_FREQ_M}, {"季", OT_FREQ_Q},
                 {"季度", OT_FREQ_Q}, {"年", OT_FREQ_Y}, {"年度", OT_FREQ_Y},
                 {"日", OT_FREQ_D}, {"日度", OT_FREQ_D}};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (blank_eq(s, words[i].w))
            return words[i].f;
    char t[16];
    s = skip_blanks(s);
    size_t n = strcspn(s, " \t");
    if (n >= sizeof t)
        return OT_FREQ_NONE;
    memcpy(t, s, n);
    t[n] = '\0';
    return ot_freq_parse(t);
}

/* The 单位 row: each column's unit goes into its heading, as a unit in
 * brackets would (and is checked as one); a heading that has one already
 * must agree with it. */
static void vendor_units(ctx *c, table *t)
{
    char sb[80], sb2[80];
    for (size_t i = 1; i < c->nf && i < t->ntop; i++) {
        const char *u = io_field(c, i);
        if (blank(u) || blank(t->top[i]))
            continue;
        io_heading h;
        io_heading_parse(t->top[i], &h);
        if (h.unit[0]) {
            if (!io_same_unit(h.unit, u))
                io_bad(c, (long)i + 1, "expected the unit of the heading '%s', found '%s'",
                       io_shown(t->top[i], sb, sizeof sb), io_shown(u, sb2, sizeof sb2));
            continue;
        }
        size_t l = strlen(t->top[i]) + strlen(u) + 3;
        char *w = malloc(l);
        if (!w) {
            io_fatal_code(c, OT_ENOMEM, "out of memory");
            return;
        }
        snprintf(w, l, "%s(%s)", t->top[i], skip_blanks(u));
        free(t->top[i]);
        t->top[i] = w;
    }
}

/* The 频率 row: kept per field, applied once the columns are mapped. */
static void vendor_freqs(ctx *c, table *t)
{
    char sb[80];
    free(t->vfreq);
    if (!(t->vfreq = calloc(t->ntop ? t->ntop : 1, sizeof *t->vfreq))) {
        io_fatal_code(c, OT_ENOMEM, "out of memory");
        return;
    }
    t->vfreq_line = c->rec_line;
    for (size_t i = 1; i < c->nf && i < t->ntop; i++) {
        const char *w = io_field(c, i);
        if (blank(w))
            continue;
        if ((t->vfreq[i] = vendor_freq(w)) == OT_FREQ_NONE)
            io_bad(c, (long)i + 1,
                   "expected a frequency (月, 季, 年 or 日), found '%s' (a series holds "
                   "daily, monthly, quarterly or yearly figures)",
                   io_shown(w, sb, sizeof sb));
    }
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* Keeps a copy of the header row (the record buffer is reused). */
static int keep_top(ctx *c, table *t)
{
    t->top = calloc(c->nf ? c->nf : 1, sizeof *t->top);
    if (!t->top)
        return OT_ENOMEM;
    t->ntop = c->nf;
    for (size_t i = 0; i < c->nf; i++)
        if (!(t->top[i] = strdup(io_field(c, i))))
            return OT_ENOMEM;
    return OT_OK;
}

/* Reports every column whose (key, measure) repeats an earlier one: one
 * pass through a hash table, so a header of any width costs time in
 * proportion to it.  `text` compares the heading text instead (the plain
 * wide file, whose headings are the keys).  OT_ENOMEM or OT_OK. */
static int dup_columns(ctx *c, table *t, int text)
{
    size_t cap = 16;
    while (cap < 2 * t->ncol)
        cap *= 2;
    size_t *slot = calloc(cap, sizeof *slot); /* column index + 1; 0 = empty */
    if (!slot)
        return OT_ENOMEM;
    char sb[80];
    long save = c->rec_line;
    c->rec_line = t->hdr_line;
    for (size_t i = 1; i < t->ncol; i++) {
        const tcol *x = &t->col[i];
        if (!x->key)
            continue;
        const char *s = text ? t->top[i] : x->key;
        ot_xxh64 h;
        ot_xxh64_init(&h, text ? 0 : (uint64_t)x->m);
        ot_xxh64_update(&h, s, strlen(s));
        size_t at = (size_t)ot_xxh64_digest(&h) & (cap - 1);
        for (; slot[at]; at = (at + 1) & (cap - 1)) {
            const tcol *y = &t->col[slot[at] - 1];
            if (text ? strcmp(t->top[slot[at] - 1], s) == 0
                     : strcmp(y->key, x->key) == 0 && y->m == x->m)
                break;
        }
        if (!slot[at])
            slot[at] = i + 1;
        else if (text)
            io_bad(c, (long)i + 1, "duplicate column '%s'", io_shown(s, sb, sizeof sb));
        else
            io_bad(c, (long)i + 1, "'%s' is %s %s again (as in column %zu)",
                   io_shown(x->head, sb, sizeof sb), x->key, ot_measure_name(x->m), slot[at]);
    }
    c->rec_line = save;
    free(slot);
    return OT_OK;
}

static int is_growth(ot_measure m)
{
    return m == OT_MEASURE_YOY || m == OT_MEASURE_YTD_YOY;
}

/* Maps one heading (top over sub; sub may be NULL) to a series and measure
 * in x, recording the problem at column col when it names none, several, or
 * a unit other than the series'. */
static void map_heading(ctx *c, tcol *x, const char *top, const char *sub, long col)
{
    char sb[80], sb2[80];
    io_heading ht, hs;
    io_heading_parse(top, &ht);
    if (sub)
        io_heading_parse(sub, &hs);
    const char *name = ht.name[0] ? ht.name : sub ? hs.name : "";
    io_match m;
    const char *other = NULL;
    int n = io_names_find(c->names, x->head, name, &m, &other);
    if (n == 0 && yearless(top)) {
        io_bad(c, col,
               "expected a period with its year such as 2024年%s, found '%s' (or a title above "
               "the header naming the year, such as 2024年主要经济指标)",
               io_shown(skip_blanks(top), sb2, sizeof sb2), io_shown(top, sb, sizeof sb));
        return;
    }
    if (n == 0) {
        io_bad(c, col,
               "unknown indicator '%s' (name it in the series metadata: name, name_en or "
               "aliases; or map the heading with --map)",
               io_shown(name[0] ? name : x->head, sb, sizeof sb));
        return;
    }
    if (n > 1) {
        io_bad(c, col, "'%s' names two series, %s and %s (map the heading with --map)",
               io_shown(name, sb, sizeof sb), m.key, other);
        return;
    }
    if (m.measure >= 0) {
        x->m = (ot_measure)m.measure;
        x->word = 1;
    } else
        x->m = io_heading_measure(&ht, sub ? &hs : NULL, c->measure, &x->word);
    const char *unit = sub && hs.unit[0] ? hs.unit : ht.unit;
    if (unit[0] && is_growth(x->m) && !io_same_unit(unit, "%"))
        io_bad(c, col, "'%s' is a growth rate (%s), in %%, found the unit '%s'",
               io_shown(x->head, sb, sizeof sb), ot_measure_name(x->m),
               io_shown(unit, sb2, sizeof sb2));
    else if (unit[0] && !is_growth(x->m) && m.unit && !io_same_unit(unit, m.unit))
        io_bad(c, col, "'%s' is in %s, but series %s is in %s",
               io_shown(x->head, sb, sizeof sb), io_shown(unit, sb2, sizeof sb2), m.key, m.unit);
    x->key = strdup(m.key);
    x->unit = unit[0] ? strdup(unit) : dup_or_null(m.unit);
    x->freq = m.freq;
    if (!x->key)
        io_fatal_code(c, OT_ENOMEM, "out of memory");
}

/* Periods down: one tcol per header field (sub: the second header row). */
static void map_down(ctx *c, table *t, char **sub, size_t nsub)
{
    size_t n = t->ntop > nsub ? t->ntop : nsub;
    t->col = calloc(n ? n : 1, sizeof *t->col);
    if (!t->col) {
        io_fatal_code(c, OT_ENOMEM, "out of memory reading the header");
        return;
    }
    t->ncol = n;
    const char *carry = "", *named = NULL; /* the last heading naming an indicator */
    for (size_t i = 1; i < n && !c->fatal; i++) {
        tcol *x = &t->col[i];
        const char *top = i < t->ntop ? t->top[i] : "";
        const char *s = i < nsub ? sub[i] : "";
        if (!blank(top))
            carry = top;
        else if (sub && !blank(s))
            top = carry; /* merged over its sub-columns */
        if (blank(top) && blank(s))
            continue;
        if (t->english) {
            /* the heading is a key, unless a --map line names it */
            io_match mm;
            int mapped = c->names && io_names_map_find(c->names, top, &mm);
            x->key = strdup(mapped ? mm.key : top);
            x->head = strdup(top);
            x->m = mapped && mm.measure >= 0 ? (ot_measure)mm.measure : c->measure;
            x->word = mapped && mm.measure >= 0;
            if (mapped) {
                x->freq = mm.freq;
                if (mm.unit && !(x->unit = strdup(mm.unit))) {
                    io_fatal_code(c, OT_ENOMEM, "out of memory");
                    return;
                }
            }
            x->check = !x->word && x->m == OT_MEASURE_VALUE && !c->o->force_measure;
            if (!x->key || !x->head) {
                io_fatal_code(c, OT_ENOMEM, "out of memory");
                return;
            }
            if (!mapped && !io_key_ok(c, top, (long)i + 1)) {
                free(x->key);
                x->key = NULL;
            }
            continue;
        }
        /* one header row: a heading of measure words only (增长(%), 累计增长)
         * is of the indicator to its left, as if merged over both */
        const char *own = sub && !blank(s) ? s : NULL;
        if (!sub) {
            io_heading h;
            io_heading_parse(top, &h);
            if (!h.name[0] && (h.measure >= 0 || h.growth) && named) {
                own = top;
                top = named;
            } else if (h.name[0])
                named = top;
        }
        size_t hl = strlen(top) + (own ? strlen(own) : 0) + 4;
        if (!(x->head = malloc(hl))) {
            io_fatal_code(c, OT_ENOMEM, "out of memory");
            return;
        }
        snprintf(x->head, hl, "%s%s%s", top, own ? " / " : "", own ? own : "");
        map_heading(c, x, top, own, (long)i + 1);
        x->check = !x->word && x->m == OT_MEASURE_VALUE && !c->o->force_measure;
    }
}

static void free_strings(char **v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* The header is complete (sub: the current record is its second row, or
 * NULL): lays out the columns, checks them, records the import. */
static void finish_header(ctx *c, table *t, int sub)
{
    size_t before = c->errs->count;
    long save = c->rec_line;
    c->rec_line = t->hdr_line;
    size_t n = t->ntop > c->nf || !sub ? t->ntop : c->nf;
    if (n > OT_IMPORT_MAX_COLUMNS) {
        io_bad(c, OT_IMPORT_MAX_COLUMNS + 1, "expected at most %d columns, found %zu",
               OT_IMPORT_MAX_COLUMNS, n);
        c->stop = 1;
        return;
    }
    if (t->english && t->ntop < 2)
        io_bad(c, 2, "expected a series key after 'period', found nothing");
    if ((!t->english || c->o->map) && !c->names) {
        ot_err e;
        if (io_names_load(c->st, c->o->map, c->o->encoding, &c->names, &e)) {
            io_fatal(c, &e); /* a bad --map file ends the call with its own code */
            return;
        }
    }
    /* periods across: the header's cells from some column on are periods */
    if (!t->english && !sub) {
        size_t k = 1;
        while (k < t->ntop && !parses_period(t, t->top[k]))
            k++;
        int across = k < t->ntop;
        for (size_t j = k; j < t->ntop && across; j++)
            if (!blank(t->top[j]) && !parses_period(t, t->top[j]))
                across = 0;
        if (across) {
            t->across = 1;
            t->first_per = k;
            t->unit_col = -1;
            for (size_t j = 1; j < k; j++)
                if (blank_eq(t->top[j], "单位") || blank_eq(t->top[j], "计量单位") ||
                    blank_eq(t->top[j], "unit"))
                    t->unit_col = (long)j;
        }
    }
    if (!t->across) {
        char **subv = NULL;
        size_t nsub = 0;
        if (sub) {
            subv = calloc(c->nf ? c->nf : 1, sizeof *subv);
            if (!subv) {
                io_fatal_code(c, OT_ENOMEM, "out of memory");
                return;
            }
            nsub = c->nf;
            for (size_t i = 0; i < c->nf; i++)
                subv[i] = (char *)io_field(c, i); /* borrowed: the current record */
        }
        map_down(c, t, subv, nsub);
        free(subv);
        for (size_t i = 1; t->vfreq && i < t->ncol && i < t->ntop && !c->fatal; i++) {
            tcol *x = &t->col[i];
            if (!x->key || t->vfreq[i] == OT_FREQ_NONE)
                continue;
            if (x->freq == OT_FREQ_NONE)
                x->freq = t->vfreq[i]; /* a new series: dates read as its periods */
            else if (x->freq != t->vfreq[i]) {
                c->rec_line = t->vfreq_line;
                io_bad(c, (long)i + 1, "%s is %s; the 频率 row says %s: one series holds one "
                       "frequency", x->key, io_freq_word(x->freq), io_freq_word(t->vfreq[i]));
                c->rec_line = t->hdr_line;
            }
        }
        if (!c->fatal && dup_columns(c, t, t->english))
            io_fatal_code(c, OT_ENOMEM, "out of memory reading the header");
    }
    c->rec_line = save;
    if (c->fatal)
        return;
    if (c->errs->count != before) {
        c->stop = 1;
        return;
    }
    char fmtname[64];
    int n0 = snprintf(fmtname, sizeof fmtname, "%s:%s", t->english ? "wide" : "table",
                      ot_measure_name(c->measure));
    uint64_t mh;
    if (io_names_map_hash(c->names, &mh)) /* another map may map the same file otherwise */
        snprintf(fmtname + n0, sizeof fmtname - (size_t)n0, " map:%016llx", (unsigned long long)mh);
    io_begin_import(c, fmtname);
}

void io_shape_note(io_shape *x, ot_period p, double v)
{
    if (p.freq != OT_FREQ_M)
        return;
    if (x->have) {
        ot_period a = x->prev, b = p;
        double va = x->prev_v, vb = v;
        if (b.ord < a.ord) {
            ot_period tp = a;
            a = b;
            b = tp;
            double tv = va;
            va = vb;
            vb = tv;
        }
        if (b.ord - b.span == a.ord) {
            int ya = ot_period_year(OT_FREQ_M, a.ord), yb = ot_period_year(OT_FREQ_M, b.ord);
            if (ya == yb)
                vb > va ? x->rises++ : x->falls++;
            else if (yb == ya + 1 && ot_period_sub(OT_FREQ_M, a.ord) == 12 && va > 0)
                vb < 0.5 * va ? x->drops++ : x->nodrops++;
        }
    }
    x->prev = p;
    x->prev_v = v;
    x->have = 1;
}

int io_shape_cumulative(const io_shape *x)
{
    return x->rises >= 6 && !x->falls && x->drops && !x->nodrops;
}

/* The period of a row, parsed once for the columns that read it alike
 * (same measure, heading word and frequency): a wide row of many series
 * parses its period once, not once per column. */
typedef struct pcache {
    int have;
    ot_measure m;
    int word;
    ot_freq freq;
    ot_period p;
} pcache;

/* One value of series x at the period text ps (column col of the record).
 * Returns -1 when the period is bad (recorded once for the row). */
static int put_value(ctx *c, tcol *x, const char *ps, long pcol, const char *vs, long vcol,
                     pcache *pc)
{
    double v;
    int r = io_value_of(c, vs, vcol, &v);
    if (r == V_MISSING) {
        c->stats->missing++;
        x->missing++;
        return 0;
    }
    if (r != V_OK)
        return 0;
    ot_period p;
    if (pc && pc->have && pc->m == x->m && pc->word == x->word && pc->freq == x->freq)
        p = pc->p;
    else {
        if (io_cell_period(c, ps, pcol, x->m, x->word, x->freq, x->key, 1, &p))
            return -1;
        if (pc && x->freq != OT_FREQ_NONE) {
            pc->have = 1;
            pc->m = x->m;
            pc->word = x->word;
            pc->freq = x->freq;
            pc->p = p;
        }
    }
    x->rows++;
    if (!io_writing(c))
        return 0;
    ot_put_result res;
    if (io_put_obs(c, x->key, x->m, p, v, c->o->as_of, c->o->source, vcol, &res) != OT_OK)
        return 0;
    if (x->freq == OT_FREQ_NONE)
        x->freq = p.freq; /* the series now exists with it */
    res == OT_PUT_INSERTED ? x->inserted++ : x->unchanged++;
    if (x->inserted + x->unchanged == 1 || p.ord < x->first.ord)
        x->first = p;
    if (x->inserted + x->unchanged == 1 || p.ord > x->last.ord)
        x->last = p;
    if (x->check)
        io_shape_note(&x->shape, p, v);
    return 0;
}

static void report(ctx *c, const tcol *x, long line, long col)
{
    const ot_import_report *r = c->o->report;
    if (!r || !r->column || !x->key)
        return;
    ot_import_column k = {c->path, line, col, x->head, x->key, x->m, x->unit,
                          x->first, x->last, x->rows, x->inserted, x->unchanged, x->missing};
    r->column(r->ud, &k);
}

static void free_col(tcol *x)
{
    free(x->key);
    free(x->head);
    free(x->unit);
    memset(x, 0, sizeof *x);
}

/* Periods down: the first field is the period, each mapped column a value. */
static void row_down(ctx *c, table *t)
{
    c->stats->rows++;
    if (t->english ? c->nf != t->ntop : c->nf > t->ncol) {
        size_t extra = t->ncol;
        while (!t->english && extra < c->nf && blank(io_field(c, extra)))
            extra++;
        if (t->english || extra < c->nf) {
            io_bad(c, (long)(c->nf < t->ntop ? c->nf : t->ntop) + 1,
                   "expected %zu fields, found %zu", t->english ? t->ntop : t->ncol, c->nf);
            return;
        }
    }
    char yb[96];
    const char *ps = with_year(t, io_field(c, 0), yb, sizeof yb);
    pcache pc = {0, OT_MEASURE_VALUE, 0, OT_FREQ_NONE, {OT_FREQ_NONE, 0, 1}};
    for (size_t i = 1; i < t->ncol && i < c->nf; i++) {
        tcol *x = &t->col[i];
        if (!x->key && !x->head && !x->unnamed && !blank(io_field(c, i))) {
            /* no heading names it: its figures would be dropped unread */
            char sb[80];
            x->unnamed = 1;
            io_bad(c, (long)i + 1,
                   "expected no value in a column without a heading, found '%s' (give the "
                   "column a heading, or delete it)",
                   io_shown(io_field(c, i), sb, sizeof sb));
        }
        if (x->key && put_value(c, x, ps, 1, io_field(c, i), (long)i + 1, &pc))
            return; /* a bad period: said once for the row */
    }
}

/* A value under a period column without a heading (periods across): its
 * figure would be dropped unread.  Reported once per column. */
static void unnamed_value(ctx *c, table *t, size_t j)
{
    if (!t->unnamed && !(t->unnamed = calloc(t->ntop, 1))) {
        io_fatal_code(c, OT_ENOMEM, "out of memory");
        return;
    }
    if (t->unnamed[j])
        return;
    t->unnamed[j] = 1;
    char sb[80];
    io_bad(c, (long)j + 1,
           "expected no value in a column without a heading, found '%s' (give the column its "
           "period, or delete it)",
           io_shown(io_field(c, j), sb, sizeof sb));
}

/* Periods across: the row's label names the series, each period column a
 * value. */
static void row_across(ctx *c, table *t)
{
    c->stats->rows++;
    tcol x;
    memset(&x, 0, sizeof x);
    const char *label = io_field(c, 0);
    const char *unit = t->unit_col >= 0 ? io_field(c, (size_t)t->unit_col) : "";
    size_t before = c->errs->count;
    char buf[IO_NAME_MAX + IO_UNIT_MAX + 8];
    if (!blank(unit)) /* the unit column as if in the heading */
        snprintf(buf, sizeof buf, "%s(%s)", label, skip_blanks(unit));
    else
        snprintf(buf, sizeof buf, "%s", label);
    if (!(x.head = strdup(label))) {
        io_fatal_code(c, OT_ENOMEM, "out of memory");
        return;
    }
    map_heading(c, &x, buf, NULL, 1);
    if (c->errs->count == before && x.key) {
        x.check = !x.word && !c->o->force_measure && x.m == OT_MEASURE_VALUE;
        for (size_t j = t->first_per; j < t->ntop && j < c->nf; j++) {
            if (blank(t->top[j])) {
                if (!blank(io_field(c, j)))
                    unnamed_value(c, t, j);
                continue;
            }
            long save = c->rec_line;
            c->rec_line = t->hdr_line; /* a bad period is the header's */
            ot_period p;
            char yb[96];
            const char *ps = with_year(t, t->top[j], yb, sizeof yb);
            int bad = io_cell_period(c, ps, (long)j + 1, x.m, x.word, x.freq, x.key, 1, &p);
            c->rec_line = save;
            if (bad)
                break;
            put_value(c, &x, ps, (long)j + 1, io_field(c, j), (long)j + 1, NULL);
        }
        report(c, &x, c->rec_line, 0);
        if (x.check && io_shape_cumulative(&x.shape))
            io_bad(c, 1,
                   "%s: the values rise through each year and fall back in January, as "
                   "year-to-date (累计) figures do; import with --measure ytd (or "
                   "--force-measure to keep them as value)",
                   x.key);
    }
    free_col(&x);
}

void io_table_record(ctx *c)
{
    table *t = c->t;
    if (!t) {
        if (!(t = c->t = calloc(1, sizeof *t))) {
            io_fatal_code(c, OT_ENOMEM, "out of memory");
            return;
        }
        c->header_done = 1;
        c->ncols = 0;
    }
    size_t first = 0;
    while (first < c->nf && blank(io_field(c, first)))
        first++;
    if (first == c->nf) {
        skipped(c, "empty", "");
        return;
    }
    if (is_note(io_field(c, first))) {
        skipped(c, "note", io_field(c, first));
        return;
    }
    switch (t->state) {
    case T_SEEK: {
        size_t nonblank = 0;
        for (size_t i = first; i < c->nf; i++)
            nonblank += !blank(io_field(c, i));
        if (nonblank == 1 && !io_table_period_word(io_field(c, 0))) {
            if (!t->title_year)
                t->title_year = year_in(io_field(c, first));
            other_separator(t, io_field(c, first));
            skipped(c, "title", io_field(c, first));
            return;
        }
        t->english = blank_eq(io_field(c, 0), "period");
        t->hdr_line = c->rec_line;
        if (keep_top(c, t)) {
            io_fatal_code(c, OT_ENOMEM, "out of memory reading the header");
            return;
        }
        if (c->o->format == OT_FORMAT_WIDE && !t->english && !io_table_period_word(t->top[0]) &&
            !blank(t->top[0]) && !parses_period(t, t->ntop > 1 ? t->top[1] : "")) {
            char sb[80];
            long save = c->rec_line;
            io_bad(c, 1,
                   "expected 'period' (or a period column such as 时间, 日期, 月份, 指标) as "
                   "the first column of a wide file, found '%s'",
                   io_shown(t->top[0], sb, sizeof sb));
            c->rec_line = save;
            c->stop = 1;
            return;
        }
        if (t->english) {
            finish_header(c, t, 0);
            t->state = T_DATA;
        } else
            t->state = T_SUB;
        return;
    }
    case T_SUB:
        switch (t->english ? V_NONE : vendor_row(io_field(c, 0))) {
        case V_UNIT:
            vendor_units(c, t);
            skipped(c, "unit", io_field(c, 0));
            return;
        case V_FREQ:
            vendor_freqs(c, t);
            skipped(c, "frequency", io_field(c, 0));
            return;
        case V_OTHER:
            skipped(c, "metadata", io_field(c, 0));
            return;
        default:
            break;
        }
        if (is_sub(c)) {
            finish_header(c, t, 1);
            t->state = T_DATA;
            return;
        }
        finish_header(c, t, 0);
        t->state = T_DATA;
        if (c->stop || c->fatal)
            return;
        break;
    default:
        break;
    }
    if (t->across)
        row_across(c, t);
    else
        row_down(c, t);
}

void io_table_end(ctx *c)
{
    table *t = c->t;
    if (!t || c->stop)
        return;
    if (t->state == T_SUB) { /* a header and nothing under it */
        finish_header(c, t, 0);
        t->state = T_DATA;
    }
    if (t->state != T_DATA) {
        c->rec_line = 1;
        if (t->other_sep) /* a CSV saved with another separator is all one-cell rows */
            io_bad(c, 0, "expected a header row, found no row of two or more cells (fields are "
                         "separated by commas; this file seems to use %s)",
                   t->other_sep == ';' ? "semicolons" : "tabs");
        else
            io_bad(c, 0, "expected a header row, found no row of two or more cells");
        return;
    }
    if (t->across)
        return; /* each row was reported and checked as it came */
    long save = c->rec_line;
    c->rec_line = t->hdr_line;
    for (size_t i = 1; i < t->ncol; i++) {
        tcol *x = &t->col[i];
        if (!x->key)
            continue;
        report(c, x, t->hdr_line, (long)i + 1);
        if (x->check && io_shape_cumulative(&x->shape))
            io_bad(c, (long)i + 1,
                   "%s: the values rise through each year and fall back in January, as "
                   "year-to-date (累计) figures do; import with --measure ytd (or "
                   "--force-measure to keep them as value)",
                   x->key);
    }
    c->rec_line = save;
}

void io_table_free(table *t)
{
    if (!t)
        return;
    free_strings(t->top, t->ntop);
    free(t->unnamed);
    free(t->vfreq);
    for (size_t i = 0; i < t->ncol; i++)
        free_col(&t->col[i]);
    free(t->col);
    free(t);
}
