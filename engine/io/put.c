/* put.c — one observation from a file into the store, for every format:
 * the period of its cell (every spelling, a bureau's 1-8月 range, a date or
 * an Excel serial read as its month), the checks only a file can make (a
 * January given beside a January–February, a vintage before its period
 * ends), the put and its count; and the import record each file or sheet
 * opens (io_begin_import), which finds a file imported before.
 */
#include "io/import_int.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/period.h"
#include "core/text.h"
#include "io/fields.h"
#include "io/xxh64.h"

void io_begin_import(ctx *c, const char *fmtname)
{
    /* a workbook's sheets are imports of their own */
    char fn[OT_ERR_FILE_MAX + 64];
    snprintf(fn, sizeof fn, "%s%s%s", fmtname, c->sheet ? "@" : "", c->sheet ? c->sheet : "");
    ot_import_rec rec = {c->path, c->hash, fn, c->o->as_of};
    ot_err e;
    int64_t found = 0;
    if (ot_store_import_find(c->st, &rec, &found, &e)) {
        io_fatal(c, &e);
        return;
    }
    if (found) {
        c->stats->already++;
        c->stop = 1;
        return;
    }
    if (ot_store_import_begin(c->st, &rec, &c->import_id, &e))
        io_fatal(c, &e);
}

static int is_ytd(ot_measure m)
{
    return m == OT_MEASURE_YTD || m == OT_MEASURE_YTD_YOY;
}

/* An id for a January (jf = 0) or January–February (jf = 1) row of key,
 * measure m and year at vintage: XXH64 of them, kept positive and non-zero. */
static int64_t janfeb_id(const char *key, ot_measure m, int year, int32_t vintage, int jf)
{
    ot_xxh64 h;
    ot_xxh64_init(&h, 0);
    ot_xxh64_update(&h, key, strlen(key) + 1);
    int32_t k[4] = {(int32_t)m, year, vintage, jf};
    ot_xxh64_update(&h, k, sizeof k);
    int64_t id = (int64_t)(ot_xxh64_digest(&h) & INT64_MAX);
    return id ? id : 1;
}

/* A January row and a January–February row of one series, measure and year
 * at the same vintage (or both without one) in one file: the combined figure
 * covers January, so the January one would be stored and never read.  An
 * error at the second row, naming the line of the first. */
static void janfeb_check(ctx *c, const char *key, ot_measure m, ot_period p, int32_t vintage,
                         long col)
{
    int jf = p.freq == OT_FREQ_M && p.span == 2;
    if (!jf && !(p.freq == OT_FREQ_M && p.span == 1 && ot_period_sub(p.freq, p.ord) == 1))
        return;
    int year = ot_period_year(p.freq, p.ord);
    long line;
    if (io_seen_find(&c->janfeb, janfeb_id(key, m, year, vintage, !jf), &line)) {
        char ytd[64] = "";
        if (is_ytd(m)) /* a year to date through February is February's own */
            snprintf(ytd, sizeof ytd, ", or the year to date through February as %d-02", year);
        io_bad(c, col,
               "%s %s: January %d is given on its own (line %ld) and within January–February "
               "(line %ld); the combined figure covers January, which would never be read: give "
               "one of them, or the January–February figure a later vintage than January's (a "
               "revision)%s",
               key, ot_measure_name(m), year, jf ? line : c->rec_line, jf ? c->rec_line : line,
               ytd);
        return;
    }
    if (io_seen_note(&c->janfeb, janfeb_id(key, m, year, vintage, jf), c->rec_line, &line) < 0)
        io_fatal_code(c, OT_ENOMEM, "out of memory");
}

/* Keeps a dated January for io_janfeb_end (an undated one is stored on its
 * last day, before any February figure can exist). */
static void note_january(ctx *c, const char *key, ot_measure m, ot_ord ord, int32_t vintage,
                         long col)
{
    if (c->njan == c->capjan) {
        size_t nc = c->capjan ? 2 * c->capjan : 16;
        io_jan *nj = realloc(c->jans, nc * sizeof *nj);
        if (!nj) {
            io_fatal_code(c, OT_ENOMEM, "out of memory");
            return;
        }
        c->jans = nj;
        c->capjan = nc;
    }
    io_jan *j = &c->jans[c->njan];
    if (!(j->key = strdup(key))) {
        io_fatal_code(c, OT_ENOMEM, "out of memory");
        return;
    }
    j->m = m;
    j->ord = ord;
    j->vintage = vintage;
    j->line = c->rec_line;
    j->col = col;
    c->njan++;
}

/* The covering release may come from this file or an earlier import; a
 * February of its own given later in this file uncovers the January, so
 * the check waits for the file's end. */
void io_janfeb_end(ctx *c)
{
    long save = c->rec_line;
    for (size_t i = 0; i < c->njan && io_writing(c); i++) {
        const io_jan *j = &c->jans[i];
        int32_t cover;
        ot_err e;
        if (ot_store_january_covered(c->st, j->key, j->m, j->ord, j->vintage, &cover, &e)) {
            io_fatal(c, &e);
            break;
        }
        if (cover == OT_VINTAGE_NONE)
            continue;
        char vd[16], cd[16];
        ot_date_format(j->vintage, vd, sizeof vd);
        ot_date_format(cover, cd, sizeof cd);
        c->rec_line = j->line;
        io_bad(c, j->col,
               "%s %s: January %d (vintage %s) would never be read: the January–February figure "
               "of vintage %s covers it; give February's own figure of the same vintage with it "
               "(a split of the combined release), or leave it out",
               j->key, ot_measure_name(j->m), ot_period_year(OT_FREQ_M, j->ord), vd, cd);
    }
    c->rec_line = save;
}

void io_jans_free(ctx *c)
{
    for (size_t i = 0; i < c->njan; i++)
        free(c->jans[i].key);
    free(c->jans);
    c->jans = NULL;
    c->njan = c->capjan = 0;
}

int io_put_obs(ctx *c, const char *key, ot_measure m, ot_period p, double v, int32_t vintage,
               const char *source, long col, ot_put_result *res_out)
{
    janfeb_check(c, key, m, p, vintage, col);
    if (vintage != OT_VINTAGE_NONE && vintage < ot_period_last_day(p.freq, p.ord)) {
        /* known before its period was over: a mistyped date, or an --as-of
         * that would leak the figure into as-of reads before it could exist */
        char ps[OT_PERIOD_STRMAX], vd[16], ld[16];
        ot_period_format(p, ps, sizeof ps);
        ot_date_format(vintage, vd, sizeof vd);
        ot_date_format(ot_period_last_day(p.freq, p.ord), ld, sizeof ld);
        io_bad(c, col,
               "%s %s %s: its vintage %s is before the period ends (%s); a figure is known only "
               "once its period is over (check the vintage column or --as-of)",
               key, ot_measure_name(m), ps, vd, ld);
        return OT_EDATA;
    }
    ot_err e;
    ot_put_result res;
    int rc = ot_store_put_obs(c->st, key, m, p, v, vintage, source, c->import_id, &res, &e);
    if (!rc && vintage != OT_VINTAGE_NONE && p.freq == OT_FREQ_M && p.span == 1 &&
        ot_period_sub(p.freq, p.ord) == 1)
        note_january(c, key, m, p.ord, vintage, col);
    if (rc == OT_EDATA || rc == OT_EINVAL)
        io_bad(c, col, "%s", e.msg);
    else if (rc)
        io_fatal(c, &e);
    else if (res == OT_PUT_INSERTED) {
        c->stats->inserted++;
        c->inserted++;
    } else
        c->stats->unchanged++;
    if (!rc && res_out)
        *res_out = res;
    return rc;
}

const char *io_freq_word(ot_freq f)
{
    switch (f) {
    case OT_FREQ_D: return "daily";
    case OT_FREQ_M: return "monthly";
    case OT_FREQ_Q: return "quarterly";
    case OT_FREQ_Y: return "yearly";
    default:        return "of unknown frequency";
    }
}

/* An Excel date serial written as a plain number (a date cell saved to CSV
 * without its format): exactly five digits, 10000 (1927-05-18) to 99999.
 * Sets *days (since 1970-01-01; serial 25569 is 1970-01-01, past Excel's
 * phantom 1900-02-29). */
static int excel_serial(const char *s, int32_t *days)
{
    while (*s == ' ')
        s++;
    long v = 0;
    int n = 0;
    for (; *s >= '0' && *s <= '9'; s++, n++)
        if (n < 5) /* more digits are no serial: not read, so v cannot overflow */
            v = v * 10 + (*s - '0');
    while (*s == ' ')
        s++;
    if (*s || n != 5)
        return 0;
    *days = (int32_t)(v - 25569);
    return 1;
}

/* 2023年全年 (2023全年), as bureaus label a year's figure: the year 2023 in
 * buf, else s itself. */
static const char *full_year(const char *s, char *buf, size_t cap)
{
    while (*s == ' ')
        s++;
    size_t n = strlen(s);
    while (n && s[n - 1] == ' ')
        n--;
    static const char fy[] = "全年", yfy[] = "年全年";
    if (n == 4 + strlen(yfy) && memcmp(s + 4, yfy, strlen(yfy)) == 0)
        n = 4;
    else if (n == 4 + strlen(fy) && memcmp(s + 4, fy, strlen(fy)) == 0)
        n = 4;
    else
        return s;
    for (size_t i = 0; i < 4; i++)
        if (s[i] < '0' || s[i] > '9')
            return s;
    snprintf(buf, cap, "%.4s", s);
    return buf;
}

int io_cell_period(ctx *c, const char *s, long col, ot_measure m, int word, ot_freq want,
                   const char *key, int serial_ok, ot_period *p)
{
    char sb[80], ps[OT_PERIOD_STRMAX], yb[8];
    int ytd = is_ytd(m);
    ot_period q;
    const char *shown = s;
    s = full_year(s, yb, sizeof yb);
    int ok = (ytd ? ot_period_parse_ytd : ot_period_parse)(s, (size_t)-1, &q, NULL) == OT_OK;
    /* a bureau's 1-8月 row: its 本月 and 同比 columns are August's own */
    if (!ok && !ytd && word)
        ok = ot_period_parse_ytd(s, (size_t)-1, &q, NULL) == OT_OK;
    int32_t days;
    if (!ok && serial_ok && excel_serial(s, &days)) {
        q.freq = OT_FREQ_D;
        q.ord = days;
        q.span = 1;
        ok = 1;
    }
    if (!ok) {
        if (!ytd && ot_period_parse_ytd(s, (size_t)-1, &q, NULL) == OT_OK)
            io_bad(c, col, "expected a period such as 2023-01, found the year-to-date range '%s' "
                           "(give it with measure ytd or ytd_yoy)",
                   io_shown(shown, sb, sizeof sb));
        else {
            char why[160];
            int has = ot_period_why(s, (size_t)-1, ytd, why, sizeof why);
            io_bad(c, col,
                   "expected a period such as 2023-01, 2023Q1 or 2023年1-2月, found '%s'%s%s%s",
                   io_shown(shown, sb, sizeof sb), has ? " (" : "", has ? why : "",
                   has ? ")" : "");
        }
        return -1;
    }
    /* a date (2024/8/1, as spreadsheets write dates) in a monthly, quarterly
     * or yearly series is the period containing it */
    if (q.freq == OT_FREQ_D && want != OT_FREQ_NONE && want != OT_FREQ_D) {
        q.ord = ot_period_convert(OT_FREQ_D, q.ord, want);
        q.freq = want;
        q.span = 1;
    }
    /* a year to date through a quarter's last month (2023年1-6月, or 2023-06
     * given as ytd: a county's monthly table gives GDP so) in a quarterly
     * series is through that quarter, through December in a yearly one the
     * year; a month's own figure (本月) is not its quarter's */
    if (ytd && q.freq == OT_FREQ_M && q.span == 1 && (want == OT_FREQ_Q || want == OT_FREQ_Y)) {
        int mo = ot_period_sub(OT_FREQ_M, q.ord);
        if (want == OT_FREQ_Q ? mo % 3 == 0 : mo == 12) {
            q.ord = ot_period_convert(OT_FREQ_M, q.ord, want);
            q.freq = want;
        }
    }
    /* and the other way: a year to date through a year (2023, 2023年全年)
     * or a quarter (2023年前三季度) in a monthly or quarterly series is
     * through its last month or quarter: a GDP table's 全年 row is Q4's
     * year to date, a 前三季度 figure September's */
    if (ytd && (want == OT_FREQ_M || want == OT_FREQ_Q) &&
        (q.freq == OT_FREQ_Y || q.freq == OT_FREQ_Q) && ot_freq_rank(q.freq) > ot_freq_rank(want)) {
        q.ord = ot_period_last_sub(q.freq, q.ord, want);
        q.freq = want;
        q.span = 1;
    }
    ot_err e;
    if (ot_period_check(q, &e)) {
        io_bad(c, col, "%s, in '%s'", e.msg, io_shown(shown, sb, sizeof sb));
        return -1;
    }
    if (want != OT_FREQ_NONE && q.freq != want) {
        ot_period_format(q, ps, sizeof ps);
        io_bad(c, col, "%s is %s; found the %s period %s ('%s'): one series holds one frequency",
               key, io_freq_word(want), io_freq_word(q.freq), ps, io_shown(shown, sb, sizeof sb));
        return -1;
    }
    *p = q;
    return 0;
}
