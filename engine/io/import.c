/* import.c — streaming CSV import: bytes -> (iconv) -> libcsv -> rows ->
 * store.
 *
 * Each file is read twice with one fixed buffer: first to hash it (an
 * identical file imported before is skipped), then to parse it.  The parse
 * feeds libcsv one physical line at a time, so the line number of every
 * record is known exactly; the column of a problem is the 1-based CSV field.
 * A row lives in one reused buffer; nothing grows with the file.  After the
 * first problem, every good row is still written, so that the checks only the
 * store can make (a duplicate row, a revision at a vintage already stored)
 * report every problem of the file; the call then rolls back, so nothing of
 * it stays.
 */
#include "io/import.h"
#include "io/import_int.h"

#include <csv.h>
#include <errno.h>
#include <iconv.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/period.h"
#include "core/series.h"
#include "core/target.h"
#include "core/text.h"
#include "io/fields.h"
#include "io/xxh64.h"

#define CHUNK 65536
/* The longest field accepted.  libcsv would grow its field buffer without
 * bound (and quadratically slowly, 128 bytes a step by default), so a longer
 * field is an error: memory stays within about FIELD_MAX + CHUNK. */
#define FIELD_MAX (1 << 20)
/* Raw bytes a field may take before it is surely longer than FIELD_MAX
 * (a quoted field writes each quote twice), checked while streaming so
 * memory stays bounded; the exact limit is checked on the finished field. */
#define FIELD_RAW_MAX (2 * FIELD_MAX + CHUNK + 2)
/* The most columns a wide header may have (Excel's limit, 16,384). */
#define WIDE_COLS_MAX OT_IMPORT_MAX_COLUMNS

/* ---- names -------------------------------------------------------------- */

static const char *const format_names[] = {"auto", "long", "wide", "targets", "series"};

const char *ot_import_format_name(ot_import_format f)
{
    return (unsigned)f < sizeof format_names / sizeof *format_names ? format_names[f] : "";
}

int ot_import_format_parse(const char *s)
{
    for (int i = 0; i < (int)(sizeof format_names / sizeof *format_names); i++)
        if (strcmp(s, format_names[i]) == 0)
            return i;
    return -1;
}

int ot_encoding_parse(const char *s)
{
    if (strcasecmp(s, "utf-8") == 0 || strcasecmp(s, "utf8") == 0)
        return OT_ENCODING_UTF8;
    if (strcasecmp(s, "gbk") == 0 || strcasecmp(s, "gb18030") == 0 ||
        strcasecmp(s, "gb2312") == 0 || strcasecmp(s, "cp936") == 0)
        return OT_ENCODING_GBK;
    return -1;
}

void ot_import_errors_print(const ot_import_errors *errs, FILE *f)
{
    char line[OT_ERR_FILE_MAX + OT_ERR_MSG_MAX + 64];
    for (size_t i = 0; i < errs->n; i++) {
        ot_err_format(&errs->e[i], line, sizeof line);
        fprintf(f, "%s\n", line);
    }
    if (errs->count > errs->n)
        fprintf(f, "... and %zu more error%s\n", errs->count - errs->n,
                errs->count - errs->n == 1 ? "" : "s");
}

/* ---- columns ------------------------------------------------------------ */

enum col {
    C_SERIES, C_PERIOD, C_VALUE, C_MEASURE, C_UNIT, C_VINTAGE, C_SOURCE, C_YEAR, C_KIND,
    C_OP, C_REF, C_TOLERANCE, C_LABEL, C_SHAPE, C_NAME, C_NAME_EN, C_REGION, C_FREQ, C_AGG,
    C_RELEASE_LAG, C_ALIASES, C_SHAPE_YEARS, C_NCOLS
};
static const char *const col_names[C_NCOLS] = {
    "series", "period", "value",     "measure", "unit",  "vintage", "source",
    "year",   "kind",   "op",        "ref",     "tolerance", "label", "shape",
    "name",   "name_en", "region",   "freq",    "agg",     "release_lag", "aliases",
    "shape_years"};

#define B(c) (1u << (c))
/* Columns each format accepts and requires (wide has its own rule). */
static const struct {
    unsigned allowed, required;
    const char *list;
} formats[] = {
    [OT_FORMAT_LONG] = {B(C_SERIES) | B(C_PERIOD) | B(C_VALUE) | B(C_MEASURE) | B(C_UNIT) |
                            B(C_VINTAGE) | B(C_SOURCE),
                        B(C_SERIES) | B(C_PERIOD) | B(C_VALUE),
                        "series, period, value, measure, unit, vintage, source"},
    [OT_FORMAT_TARGETS] = {B(C_SERIES) | B(C_YEAR) | B(C_KIND) | B(C_OP) | B(C_VALUE) |
                               B(C_REF) | B(C_TOLERANCE) | B(C_LABEL) | B(C_SOURCE) |
                               B(C_SHAPE) | B(C_UNIT) | B(C_SHAPE_YEARS),
                           B(C_SERIES) | B(C_YEAR) | B(C_KIND) | B(C_OP) | B(C_VALUE),
                           "series, year, kind, op, value, ref, tolerance, label, source, "
                           "shape, unit, shape_years"},
    [OT_FORMAT_SERIES] = {B(C_SERIES) | B(C_NAME) | B(C_NAME_EN) | B(C_REGION) | B(C_UNIT) |
                              B(C_FREQ) | B(C_KIND) | B(C_AGG) | B(C_SHAPE) | B(C_SOURCE) |
                              B(C_RELEASE_LAG) | B(C_ALIASES),
                          B(C_SERIES) | B(C_NAME),
                          "series, name, name_en, region, unit, freq, kind, agg, shape, source, "
                          "release_lag, aliases"},
};

static int col_id(const char *name)
{
    for (int i = 0; i < C_NCOLS; i++)
        if (strcasecmp(name, col_names[i]) == 0)
            return i;
    return -1;
}

/* ---- the import context (import_int.h) ---------------------------------- */

const char *ot_import_col_letters(long col, char *buf)
{
    char tmp[8];
    int n = 0;
    while (col > 0 && n < 7) {
        tmp[n++] = (char)('A' + (col - 1) % 26);
        col = (col - 1) / 26;
    }
    for (int i = 0; i < n; i++)
        buf[i] = tmp[n - 1 - i];
    buf[n] = '\0';
    return buf;
}

/* Records a data problem at the current record, column col (0 = none).  In
 * a workbook the position is the cell, written after the sheet's name:
 * table.xlsx:Sheet1:C7 (line and col then 0, so the file part says all). */
void io_bad(ctx *c, long col, const char *fmt, ...)
{
    ot_import_errors *e = c->errs;
    if (e->n < OT_IMPORT_MAX_ERRORS) {
        ot_err *x = &e->e[e->n++];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(x->msg, sizeof x->msg, fmt, ap);
        va_end(ap);
        x->code = OT_EDATA;
        if (c->sheet) {
            char l[8];
            if (col > 0)
                snprintf(x->file, sizeof x->file, "%s:%s:%s%ld", c->path, c->sheet,
                         ot_import_col_letters(col, l), c->rec_line);
            else
                snprintf(x->file, sizeof x->file, "%s:%s:row %ld", c->path, c->sheet,
                         c->rec_line);
            x->line = x->col = 0;
        } else {
            snprintf(x->file, sizeof x->file, "%s", c->path);
            x->line = c->rec_line;
            x->col = col;
        }
    }
    e->count++;
}

/* Checks a series key at column col (core's one rule, ot_key_check).
 * Records the problem and returns 0 when bad. */
int io_key_ok(ctx *c, const char *key, long col)
{
    ot_err e;
    if (ot_key_check(key, (size_t)-1, &e) == OT_OK)
        return 1;
    io_bad(c, col, "%s", e.msg);
    return 0;
}

/* Records a failure that ends the import (I/O, memory, database). */
void io_fatal(ctx *c, const ot_err *e)
{
    if (!c->fatal) {
        if (c->ferr)
            *c->ferr = *e;
        c->fatal = e->code ? e->code : OT_EIO;
    }
    c->stop = 1;
}

void io_fatal_code(ctx *c, int code, const char *msg)
{
    ot_err e;
    ot_err_set(&e, code, "%s: %s", c->path, msg);
    io_fatal(c, &e);
}

/* Field i of the record (always NUL-terminated), "" when absent. */
const char *io_field(const ctx *c, size_t i)
{
    return i < c->nf ? c->buf + c->off[i] : "";
}

/* The field of named column id, or NULL when the file has no such column. */
static const char *named(const ctx *c, int id)
{
    return c->map[id] >= 0 ? io_field(c, (size_t)c->map[id]) : NULL;
}

static long colno(const ctx *c, int id)
{
    return c->map[id] + 1L;
}

/* ---- the header --------------------------------------------------------- */

static int has(const int *ids, size_t n, int id)
{
    for (size_t i = 0; i < n; i++)
        if (ids[i] == id)
            return 1;
    return 0;
}

/* Whether a first record that names no long, targets or series columns
 * starts a table: a period column word first (period, 时间, 指标 …), a title
 * or an empty row above the header, Chinese headings, or periods across. */
static int looks_like_table(const ctx *c)
{
    size_t nonempty = 0;
    for (size_t i = 0; i < c->nf; i++) {
        const char *f = io_field(c, i);
        if (*f)
            nonempty++;
        for (const unsigned char *p = (const unsigned char *)f; *p; p++)
            if (*p >= 0x80)
                return 1;
    }
    if (nonempty <= 1 || io_table_period_word(io_field(c, 0)))
        return 1;
    ot_period p;
    return c->nf > 1 && ot_period_parse(io_field(c, 1), (size_t)-1, &p, NULL) == OT_OK;
}

/* The format a header that names some columns but not all a format needs
 * was meant to be (a misspelt or missing column): the one with the largest
 * share of its required columns present, long first on a tie; OT_FORMAT_AUTO
 * when the header names none. */
static ot_import_format nearest_format(const int *ids, size_t nid)
{
    static const ot_import_format order[] = {OT_FORMAT_LONG, OT_FORMAT_TARGETS, OT_FORMAT_SERIES};
    ot_import_format best = OT_FORMAT_AUTO;
    int best_have = 0, best_need = 1;
    for (size_t k = 0; k < sizeof order / sizeof *order; k++) {
        unsigned req = formats[order[k]].required, got = 0;
        for (size_t i = 0; i < nid; i++)
            if (ids[i] >= 0)
                got |= B(ids[i]) & req;
        int have = __builtin_popcount(got), need = __builtin_popcount(req);
        if (have * best_need > best_have * need) {
            best = order[k];
            best_have = have;
            best_need = need;
        }
    }
    return best;
}

/* Decides the format (given or from the names), maps the columns, then
 * either finds the file already imported (stop) or records the import;
 * tables (wide files, a bureau's tables) go to table.c, which finds their
 * header row itself. */
static void header(ctx *c)
{
    c->header_done = 1;
    c->ncols = c->nf;
    for (int i = 0; i < C_NCOLS; i++)
        c->map[i] = -1;
    int ids[64];
    size_t nid = c->nf < 64 ? c->nf : 64;
    _Static_assert(C_NCOLS <= sizeof c->map / sizeof *c->map, "ctx.map holds every column");
    for (size_t i = 0; i < nid; i++)
        ids[i] = col_id(io_field(c, i));

    ot_import_format f = c->o->format;
    size_t before = c->errs->count;
    char sb[80];
    if (f == OT_FORMAT_AUTO) {
        if (has(ids, nid, C_SERIES) && has(ids, nid, C_PERIOD) && has(ids, nid, C_VALUE))
            f = OT_FORMAT_LONG;
        else if (has(ids, nid, C_SERIES) && has(ids, nid, C_YEAR) && has(ids, nid, C_KIND))
            f = OT_FORMAT_TARGETS;
        else if (has(ids, nid, C_SERIES) && has(ids, nid, C_NAME))
            f = OT_FORMAT_SERIES;
        else if (looks_like_table(c))
            f = OT_FORMAT_WIDE;
        else if ((f = nearest_format(ids, nid)) != OT_FORMAT_AUTO)
            ; /* its unknown and missing columns are named below */
        else {
            io_bad(c, 1,
                "expected a header naming the columns (long: series,period,value; wide: "
                "period,KEY,...; targets: series,year,kind,op,value; series: series,name), "
                "found '%s'",
                io_shown(io_field(c, 0), sb, sizeof sb));
            c->stop = 1;
            return;
        }
    }
    c->fmt = f;
    if (f == OT_FORMAT_WIDE) { /* table.c finds the header itself */
        io_table_record(c);
        return;
    }
    if (c->nf > 64) {
        io_bad(c, 65, "expected at most 64 columns, found %zu", c->nf);
        c->stop = 1;
        return;
    }
    for (size_t i = 0; i < nid; i++) {
        if (ids[i] < 0 || !(formats[f].allowed & B(ids[i])))
            io_bad(c, (long)i + 1, "unknown column '%s' (a %s file has columns %s)",
                   io_shown(io_field(c, i), sb, sizeof sb), format_names[f], formats[f].list);
        else if (c->map[ids[i]] >= 0)
            io_bad(c, (long)i + 1, "duplicate column '%s'", col_names[ids[i]]);
        else
            c->map[ids[i]] = (int)i;
    }
    for (int k = 0; k < C_NCOLS; k++)
        if ((formats[f].required & B(k)) && c->map[k] < 0)
            io_bad(c, 0, "expected a '%s' column in the header of a %s file", col_names[k],
                   format_names[f]);
    if (c->errs->count != before) {
        c->stop = 1;
        return;
    }
    char fn[32];
    if (f == OT_FORMAT_LONG && c->o->measure != OT_MEASURE_ANY) /* rows without one take it */
        snprintf(fn, sizeof fn, "long:%s", ot_measure_name(c->o->measure));
    else
        snprintf(fn, sizeof fn, "%s", format_names[f]);
    io_begin_import(c, fn);
}

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

/* ---- rows --------------------------------------------------------------- */

/* Whether rows still go to the store: until a failure that ends the call.
 * After a data problem they do, inside the transaction the call will roll
 * back, so that later duplicates and revisions are still found. */
int io_writing(const ctx *c)
{
    return !c->fatal;
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
               "one of them, or the later one a later vintage%s",
               key, ot_measure_name(m), year, jf ? line : c->rec_line, jf ? c->rec_line : line,
               ytd);
        return;
    }
    if (io_seen_note(&c->janfeb, janfeb_id(key, m, year, vintage, jf), c->rec_line, &line) < 0)
        io_fatal_code(c, OT_ENOMEM, "out of memory");
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

static const char *freq_word(ot_freq f)
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

int io_cell_period(ctx *c, const char *s, long col, ot_measure m, int word, ot_freq want,
                   const char *key, int serial_ok, ot_period *p)
{
    char sb[80], ps[OT_PERIOD_STRMAX];
    int ytd = is_ytd(m);
    ot_period q;
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
                   io_shown(s, sb, sizeof sb));
        else
            io_bad(c, col, "expected a period such as 2023-01, 2023Q1 or 2023年1-2月, found '%s'",
                   io_shown(s, sb, sizeof sb));
        return -1;
    }
    /* a date (2024/8/1, as spreadsheets write dates) in a monthly, quarterly
     * or yearly series is the period containing it */
    if (q.freq == OT_FREQ_D && want != OT_FREQ_NONE && want != OT_FREQ_D) {
        q.ord = ot_period_convert(OT_FREQ_D, q.ord, want);
        q.freq = want;
        q.span = 1;
    }
    ot_err e;
    if (ot_period_check(q, &e)) {
        io_bad(c, col, "%s, in '%s'", e.msg, io_shown(s, sb, sizeof sb));
        return -1;
    }
    if (want != OT_FREQ_NONE && q.freq != want) {
        ot_period_format(q, ps, sizeof ps);
        io_bad(c, col, "%s is %s; found the %s period %s ('%s'): one series holds one frequency",
               key, freq_word(want), freq_word(q.freq), ps, io_shown(s, sb, sizeof sb));
        return -1;
    }
    *p = q;
    return 0;
}

/* The frequency of key as stored (OT_FREQ_NONE for a new key), remembered
 * for a run of rows with one key. */
static ot_freq long_freq(ctx *c, const char *key)
{
    if (c->freq_key && strcmp(c->freq_key, key) == 0)
        return c->freq_val;
    ot_err e;
    ot_freq f = OT_FREQ_NONE;
    int found;
    if (ot_store_series_freq(c->st, key, &f, &found, &e))
        io_fatal(c, &e);
    free(c->freq_key);
    if (!(c->freq_key = strdup(key)))
        io_fatal_code(c, OT_ENOMEM, "out of memory");
    c->freq_val = f;
    return f;
}

int io_value_of(ctx *c, const char *s, long col, double *v)
{
    char sb[80];
    int r = io_parse_value(s, v);
    if (r == V_BAD)
        io_bad(c, col, "expected a number such as 1234.5, 1,234.5 or 12.3%%, found '%s'",
            io_shown(s, sb, sizeof sb));
    return r;
}

/* Stores the unit of key once per run of rows with that key. */
static void long_unit(ctx *c, const char *key, const char *unit)
{
    if (c->unit_key && strcmp(c->unit_key, key) == 0)
        return;
    ot_series_meta m;
    ot_series_meta_init(&m);
    m.key = (char *)key;
    m.unit = (char *)unit;
    ot_err e;
    if (ot_store_put_meta(c->st, &m, &e)) {
        io_fatal(c, &e);
        return;
    }
    free(c->unit_key);
    if (!(c->unit_key = strdup(key)))
        io_fatal_code(c, OT_ENOMEM, "out of memory");
}

static void long_row(ctx *c)
{
    size_t before = c->errs->count;
    char sb[80];
    const char *key = named(c, C_SERIES);
    io_key_ok(c, key, colno(c, C_SERIES));
    ot_measure m = c->measure; /* --measure for a row that names none, else value */
    const char *ms = named(c, C_MEASURE);
    int known = !(ms && *ms && ot_measure_parse(ms, (size_t)-1, &m));
    ot_period p;
    ot_freq want = io_writing(c) && *key ? long_freq(c, key) : OT_FREQ_NONE;
    io_cell_period(c, named(c, C_PERIOD), colno(c, C_PERIOD), known ? m : c->measure, 0,
                   want, key, 0, &p);
    if (!known)
        io_bad(c, colno(c, C_MEASURE), "expected a measure (value, ytd, yoy or ytd_yoy), found '%s'",
            io_shown(ms, sb, sizeof sb));
    int32_t vintage = c->o->as_of;
    const char *vs = named(c, C_VINTAGE);
    if (vs && *vs && ot_date_parse(vs, &vintage, NULL))
        io_bad(c, colno(c, C_VINTAGE), "expected a vintage date such as 2023-10-20, found '%s'",
            io_shown(vs, sb, sizeof sb));
    double v = NAN;
    int r = io_value_of(c, named(c, C_VALUE), colno(c, C_VALUE), &v);
    if (r == V_MISSING)
        c->stats->missing++;
    if (c->errs->count != before || r != V_OK || !io_writing(c))
        return;
    const char *src = named(c, C_SOURCE);
    if (!src || !*src)
        src = c->o->source;
    if (io_put_obs(c, key, m, p, v, vintage, src, colno(c, C_PERIOD), NULL) == OT_OK &&
        want == OT_FREQ_NONE && c->freq_key)
        c->freq_val = p.freq; /* the series now exists with this frequency */
    if (m == OT_MEASURE_VALUE && !c->o->force_measure) {
        if (!c->shape_key || strcmp(c->shape_key, key) != 0) {
            io_long_shape_end(c);
            if (!(c->shape_key = strdup(key))) {
                io_fatal_code(c, OT_ENOMEM, "out of memory");
                return;
            }
            c->shape_line = c->rec_line;
        }
        io_shape_note(&c->shape, p, v);
    }
    const char *unit = named(c, C_UNIT);
    if (unit && *unit && io_writing(c)) /* after put_obs, which creates the series with its freq */
        long_unit(c, key, unit);
}

void io_long_shape_end(ctx *c)
{
    if (c->shape_key && io_shape_cumulative(&c->shape)) {
        long save = c->rec_line;
        c->rec_line = c->shape_line;
        io_bad(c, colno(c, C_VALUE),
               "%s: the values from here rise through each year and fall back in January, as "
               "year-to-date (累计) figures do; give them the measure ytd (or import with "
               "--force-measure to keep them as value)",
               c->shape_key);
        c->rec_line = save;
    }
    free(c->shape_key);
    c->shape_key = NULL;
    memset(&c->shape, 0, sizeof c->shape);
}

/* An optional string column: NULL when absent or empty. */
static char *opt(const ctx *c, int id)
{
    const char *s = named(c, id);
    return s && *s ? (char *)s : NULL;
}

/* Whether this file gives the stored row id for the first time; when not,
 * c->seen_line is the line that gave it (targets and series rows are
 * identities: a second row would silently overwrite the first). */
static int seen_first(ctx *c, int64_t id)
{
    int r = io_seen_note(&c->seen, id, c->rec_line, &c->seen_line);
    if (r < 0)
        io_fatal_code(c, OT_ENOMEM, "out of memory"); /* ends the call */
    return r != 1;
}

/* Counts a stored row as written or as unchanged. */
static void count_put(ctx *c, ot_put_result res)
{
    if (res == OT_PUT_UNCHANGED) {
        c->stats->unchanged++;
    } else {
        c->stats->inserted++;
        c->inserted++;
    }
}

static void targets_row(ctx *c)
{
    size_t before = c->errs->count;
    char sb[80];
    ot_target t;
    ot_target_init(&t);
    t.series = opt(c, C_SERIES);
    const char *ys = named(c, C_YEAR);
    char *end;
    long y = strtol(ys, &end, 10);
    if (!*ys || *end || y < 1900 || y > 9999)
        io_bad(c, colno(c, C_YEAR), "expected a year such as 2023, found '%s'",
            io_shown(ys, sb, sizeof sb));
    t.year = (int)y;
    const char *ks = named(c, C_KIND);
    if (ot_target_kind_parse(ks, &t.kind))
        io_bad(c, colno(c, C_KIND),
            "expected a target kind (growth, level, daily_avg, relative, in_step, count, decline "
            "or unquantified), found '%s'",
            io_shown(ks, sb, sizeof sb));
    const char *os = named(c, C_OP);
    if (ot_target_op_parse(os, &t.op))
        io_bad(c, colno(c, C_OP),
            "expected an operator (>=, >, <=, <, = or empty when unquantified), found '%s'",
            io_shown(os, sb, sizeof sb));
    int quantified = t.kind != OT_TARGET_UNQUANTIFIED;
    int r = io_value_of(c, named(c, C_VALUE), colno(c, C_VALUE), &t.value);
    if (r == V_MISSING && quantified)
        io_bad(c, colno(c, C_VALUE), "expected a number for a %s target, found ''",
            ot_target_kind_name(t.kind));
    if (quantified && !t.series)
        io_bad(c, colno(c, C_SERIES), "expected a series key for a %s target, found ''",
            ot_target_kind_name(t.kind));
    else if (t.series)
        io_key_ok(c, t.series, colno(c, C_SERIES));
    if (quantified && t.op == OT_OP_NONE)
        io_bad(c, colno(c, C_OP), "expected an operator for a %s target, found ''",
            ot_target_kind_name(t.kind));
    t.ref = opt(c, C_REF);
    if ((t.kind == OT_TARGET_RELATIVE || t.kind == OT_TARGET_IN_STEP) && !t.ref)
        io_bad(c, c->map[C_REF] >= 0 ? colno(c, C_REF) : 0,
            "expected a reference series (ref) for a %s target, found ''",
            ot_target_kind_name(t.kind));
    const char *tol = named(c, C_TOLERANCE);
    if (tol && io_value_of(c, tol, colno(c, C_TOLERANCE), &t.tolerance) == V_MISSING)
        t.tolerance = NAN;
    t.label = opt(c, C_LABEL);
    t.source = opt(c, C_SOURCE) ? opt(c, C_SOURCE) : (char *)c->o->source;
    t.shape = opt(c, C_SHAPE);
    t.unit = opt(c, C_UNIT);
    const char *sy = named(c, C_SHAPE_YEARS);
    ot_err ye;
    if (sy && *sy && ot_years_parse(sy, t.shape_years, &ye) != OT_OK)
        io_bad(c, colno(c, C_SHAPE_YEARS), "shape_years %s", ye.msg);
    if (c->errs->count != before || !io_writing(c))
        return;
    ot_err e;
    int64_t id;
    ot_put_result res;
    int rc = ot_store_put_target_res(c->st, &t, &id, &res, &e);
    if (rc == OT_EINVAL || rc == OT_EDATA)
        io_bad(c, 0, "%s", e.msg);
    else if (rc)
        io_fatal(c, &e);
    else if (!seen_first(c, id))
        io_bad(c, 0,
            "duplicate target: %d %s%s%s%s%s %s%s%s was already given on line %ld (a target "
            "is its year, kind, series, ref and label)",
            t.year, ot_target_kind_name(t.kind), t.series ? " " : "", t.series ? t.series : "",
            t.ref ? " against " : "", t.ref ? t.ref : "", t.label ? "labelled '" : "without a label",
            t.label ? io_shown(t.label, sb, sizeof sb) : "", t.label ? "'" : "", c->seen_line);
    else
        count_put(c, res);
}

static void series_row(ctx *c)
{
    size_t before = c->errs->count;
    char sb[80];
    ot_series_meta m;
    ot_series_meta_init(&m);
    m.key = opt(c, C_SERIES);
    if (!m.key)
        io_bad(c, colno(c, C_SERIES), "expected a series key, found ''");
    else
        io_key_ok(c, m.key, colno(c, C_SERIES));
    m.name = opt(c, C_NAME);
    m.name_en = opt(c, C_NAME_EN);
    m.region = opt(c, C_REGION);
    m.unit = opt(c, C_UNIT);
    m.shape = opt(c, C_SHAPE);
    m.aliases = opt(c, C_ALIASES);
    m.source = opt(c, C_SOURCE) ? opt(c, C_SOURCE) : (char *)c->o->source;
    const char *s;
    if ((s = opt(c, C_FREQ)) && (m.freq = ot_freq_parse(s)) == OT_FREQ_NONE)
        io_bad(c, colno(c, C_FREQ), "expected a frequency (D, M, Q or Y), found '%s'",
            io_shown(s, sb, sizeof sb));
    if ((s = opt(c, C_KIND)) && (m.kind = ot_kind_parse(s)) < 0)
        io_bad(c, colno(c, C_KIND), "expected a kind (flow, stock or rate), found '%s'",
            io_shown(s, sb, sizeof sb));
    int a;
    if ((s = opt(c, C_AGG))) {
        if ((a = ot_agg_parse(s)) < 0)
            io_bad(c, colno(c, C_AGG), "expected an aggregation (sum, mean or last), found '%s'",
                io_shown(s, sb, sizeof sb));
        else
            m.agg = (ot_agg)a;
    }
    if ((s = opt(c, C_RELEASE_LAG))) { /* days after the period's end, docs/storage.md */
        char *end;
        long d = strtol(s, &end, 10);
        if (end == s || *end || d < 0 || d > 3660)
            io_bad(c, colno(c, C_RELEASE_LAG), "expected a release lag in days (0..3660), found '%s'",
                io_shown(s, sb, sizeof sb));
        else
            m.release_lag = (int)d;
    }
    if (c->errs->count != before || !io_writing(c))
        return;
    ot_err e;
    int64_t id;
    ot_put_result res;
    int rc = ot_store_put_meta_res(c->st, &m, &id, &res, &e);
    if (rc == OT_EINVAL)
        io_bad(c, 0, "%s", e.msg);
    else if (rc == OT_EDATA) /* a frequency other than the stored observations' */
        io_bad(c, colno(c, C_FREQ), "%s", e.msg);
    else if (rc)
        io_fatal(c, &e);
    else if (!seen_first(c, id))
        io_bad(c, colno(c, C_SERIES), "duplicate row: series '%s' was already given on line %ld",
            io_shown(m.key, sb, sizeof sb), c->seen_line);
    else
        count_put(c, res);
}

/* ---- libcsv callbacks --------------------------------------------------- */

/* Line breaks (LF, CR LF, CR) inside the text of a quoted field. */
static long breaks(const char *s, size_t len)
{
    long n = 0;
    for (size_t i = 0; i < len; i++)
        if (s[i] == '\n' || (s[i] == '\r' && (i + 1 == len || s[i + 1] != '\n')))
            n++;
    return n;
}

void io_add_field(ctx *c, const char *s, size_t len)
{
    if (c->stop)
        return;
    if (c->nf == c->fcap) {
        size_t nc = c->fcap ? 2 * c->fcap : 32;
        size_t *no = realloc(c->off, nc * sizeof *no);
        if (!no) {
            io_fatal_code(c, OT_ENOMEM, "out of memory");
            return;
        }
        c->off = no;
        c->fcap = nc;
    }
    if (c->blen + len + 1 > c->bcap) {
        size_t nc = c->bcap ? c->bcap : 1024;
        while (nc < c->blen + len + 1)
            nc *= 2;
        char *nb = realloc(c->buf, nc);
        if (!nb) {
            io_fatal_code(c, OT_ENOMEM, "out of memory");
            return;
        }
        c->buf = nb;
        c->bcap = nc;
    }
    if (memchr(s, '\0', len)) /* a C string would cut it short: not storable as given */
        io_bad(c, (long)c->nf + 1, "expected text, found a NUL byte");
    c->off[c->nf++] = c->blen;
    if (len)
        memcpy(c->buf + c->blen, s, len);
    c->buf[c->blen + len] = '\0';
    c->blen += len + 1;
}

/* libcsv: a field ends.  Checks its length (exactly FIELD_MAX) and its
 * UTF-8, then appends it to the record. */
static void on_field(void *s, size_t len, void *data)
{
    ctx *c = data;
    c->unended = 0;
    if (c->stop)
        return;
    if (c->nf == 0)
        c->rec_line = c->line - breaks(s, len);
    if (len > FIELD_MAX) {
        io_bad(c, (long)c->nf + 1, "expected a field of at most %d bytes, found one of %zu bytes",
               FIELD_MAX, len);
        c->stop = 1;
        return;
    }
    io_add_field(c, s, len);
    if (c->o->encoding == OT_ENCODING_UTF8 && !c->row_bad && !c->stop) {
        size_t at = io_utf8_check((const unsigned char *)s, len);
        if (at < len) {
            io_bad(c, (long)c->nf,
                   "expected UTF-8 text, found byte 0x%02X (if the file is GBK or GB18030, import "
                   "it with --encoding gbk)",
                   ((const unsigned char *)s)[at]);
            c->stop = 1; /* the rest of the file is in the same encoding */
        }
    }
}

void io_record(ctx *c)
{
    if (c->stop) {
        c->nf = c->blen = 0;
        return;
    }
    if (!c->header_done)
        header(c);
    else if (c->fmt == OT_FORMAT_WIDE)
        io_table_record(c);
    else {
        c->stats->rows++;
        if (c->nf != c->ncols)
            io_bad(c, (long)(c->nf < c->ncols ? c->nf : c->ncols) + 1,
                   "expected %zu fields, found %zu", c->ncols, c->nf);
        else if (c->fmt == OT_FORMAT_LONG)
            long_row(c);
        else if (c->fmt == OT_FORMAT_TARGETS)
            targets_row(c);
        else
            series_row(c);
    }
    c->nf = c->blen = 0;
}

/* libcsv: a record ends. */
static void on_record(int term, void *data)
{
    ctx *c = data;
    (void)term;
    io_record(c);
    c->next_line = c->line + 1;
}

/* ---- reading a file ----------------------------------------------------- */

/* Feeds decoded UTF-8 to libcsv one physical line at a time (the line count
 * stays exact).  A line ends at LF, CR LF or a CR alone (old Mac files), as
 * for libcsv; a CR LF split across two calls counts once (c->cr).  Returns
 * -1 on a CSV syntax error (recorded). */
static int feed(ctx *c, struct csv_parser *p, const char *data, size_t n)
{
    while (n && !c->stop) {
        size_t i = 0;
        while (i < n && data[i] != '\n' && data[i] != '\r')
            i++;
        size_t k = i < n ? i + 1 : n;
        if (csv_parse(p, data, k, on_field, on_record, c) != k) {
            if (csv_error(p) == CSV_EPARSE) {
                c->rec_line = c->line;
                io_bad(c, 0, "malformed quoted field (a quote inside a quoted field is written \"\")");
            } else
                io_fatal_code(c, OT_ENOMEM, csv_strerror(csv_error(p)));
            c->stop = 1;
            return -1;
        }
        if ((c->unended += k) > FIELD_RAW_MAX) {
            c->rec_line = c->nf ? c->rec_line : c->next_line;
            io_bad(c, (long)c->nf + 1, "expected a field of at most %d bytes, found a longer one",
                FIELD_MAX);
            c->stop = 1;
            return -1;
        }
        if (i < n) {
            if (data[i] == '\r')
                c->line++;
            else if (!(c->cr && i == 0))
                c->line++;
            c->cr = data[i] == '\r';
        } else
            c->cr = 0;
        data += k;
        n -= k;
    }
    return 0;
}

/* Pass 1: the content hash of the raw bytes.  For --encoding gbk it also
 * checks whether the whole file is valid UTF-8 with some non-ASCII text: such
 * a file is almost surely not GBK (GB18030 would decode its bytes into other
 * characters without complaint), so *utf8_line is set to the line of its
 * first non-ASCII byte (0 otherwise). */
static int hash_file(ctx *c, FILE *f, char *raw, long *utf8_line, ot_err *err)
{
    ot_xxh64 h;
    ot_xxh64_init(&h, 0);
    size_t n;
    int check = c->o->encoding == OT_ENCODING_GBK, valid = 1;
    io_utf8 u = IO_UTF8_INIT;
    long line = 1, first = 0;
    c->size = 0;
    while ((n = fread(raw, 1, CHUNK, f)) > 0) {
        ot_xxh64_update(&h, raw, n);
        c->size += (long long)n;
        for (size_t i = 0; check && valid && i < n; i++) {
            unsigned char b = (unsigned char)raw[i];
            if (b == '\n')
                line++;
            else if (b >= 0x80 && !first)
                first = line;
            valid = io_utf8_step(&u, b);
        }
    }
    if (ferror(f))
        return ot_err_set(err, OT_EIO, "%s: %s", c->path, strerror(errno));
    c->hash = ot_xxh64_digest(&h);
    if (fseek(f, 0, SEEK_SET))
        return ot_err_set(err, OT_EIO, "%s: %s", c->path, strerror(errno));
    *utf8_line = check && valid && u.need == 0 && u.nonascii ? first : 0;
    return OT_OK;
}

/* Pass 2: decode (GBK through iconv), skip a UTF-8 BOM, parse. */
static void parse_file(ctx *c, FILE *f, struct csv_parser *p, char *raw, char *dec, iconv_t cd)
{
    size_t carry = 0, n;
    int first = 1;
    long long done = 0;
    const ot_import_report *rp = c->o->report;
    while (!c->stop && (n = fread(raw + carry, 1, CHUNK, f)) > 0) {
        done += (long long)n;
        if (rp && rp->progress)
            rp->progress(rp->ud, c->path, done, c->size);
        char *data = raw;
        size_t len = carry + n;
        carry = 0;
        if (first && len >= 2 && ((unsigned char)data[0] == 0xFF || (unsigned char)data[0] == 0xFE) &&
            (unsigned char)data[1] == ((unsigned char)data[0] ^ 0x01)) {
            /* Excel's "Unicode text": neither UTF-8 nor GBK, and every
             * other byte NUL; one error instead of a misleading hint */
            c->rec_line = 1;
            io_bad(c, 0, "expected UTF-8 or GBK text, found UTF-16 (the file starts with the "
                         "byte-order mark %02X %02X): save it as CSV UTF-8, or convert it with "
                         "iconv -f UTF-16 -t UTF-8",
                   (unsigned char)data[0], (unsigned char)data[1]);
            c->stop = 1;
            return;
        }
        if (cd != (iconv_t)-1) {
            char *in = raw, *out = dec;
            size_t inleft = len, outleft = 2 * CHUNK + 16;
            size_t r = iconv(cd, &in, &inleft, &out, &outleft);
            int e = r == (size_t)-1 ? errno : 0;
            feed(c, p, dec, (size_t)(out - dec));
            if (e == EILSEQ) {
                c->rec_line = c->line;
                io_bad(c, 0, "expected GBK/GB18030 text, found byte 0x%02X",
                    (unsigned char)*in);
                c->stop = 1;
                return;
            }
            if (e == E2BIG || inleft > 8) { /* cannot happen: output room is 2x input */
                io_fatal_code(c, OT_EIO, "iconv: conversion buffer too small");
                return;
            }
            /* EINVAL: a character cut by the chunk end, kept for the next */
            memmove(raw, in, inleft);
            carry = inleft;
            continue;
        }
        if (first && len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
            data += 3;
            len -= 3;
        }
        first = 0;
        feed(c, p, data, len);
    }
    if (ferror(f)) {
        io_fatal_code(c, OT_EIO, strerror(errno));
        return;
    }
    if (c->stop)
        return;
    if (carry) {
        c->rec_line = c->line;
        io_bad(c, 0, "expected GBK/GB18030 text, found a character cut short at the end of the file");
        return;
    }
    if (csv_fini(p, on_field, on_record, c) != 0 && !c->stop) {
        c->rec_line = c->next_line;
        io_bad(c, 0, "expected a closing quote, found the end of the file");
    }
    if (!c->header_done && !c->stop) {
        c->rec_line = 1;
        io_bad(c, 0, "expected a header row, found an empty file");
    }
}

/* 1 for an .xlsx workbook, 2 for an .xls one, 0 for CSV (by the name). */
static int workbook(const char *path)
{
    size_t n = strlen(path);
    if (n >= 5 && strcasecmp(path + n - 5, ".xlsx") == 0)
        return 1;
    if (n >= 4 && strcasecmp(path + n - 4, ".xls") == 0)
        return 2;
    return 0;
}

/* Imports one file inside the caller's transaction.  Data problems go to
 * c->errs; the return code is for failures that end the whole call. */
static int import_one(ot_store *st, const char *path, const ot_import_opts *o,
                      ot_import_stats *stats, ot_import_errors *errs, char *raw, char *dec,
                      ot_err *err)
{
    ctx c;
    memset(&c, 0, sizeof c);
    c.st = st;
    c.o = o;
    c.stats = stats;
    c.errs = errs;
    c.path = path;
    c.line = c.next_line = 1;
    c.ferr = err;
    c.measure = o->measure == OT_MEASURE_ANY ? OT_MEASURE_VALUE : o->measure;

    struct csv_parser p;
    iconv_t cd = (iconv_t)-1;
    int rc = OT_OK, parser = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return ot_err_set(err, errno == ENOENT ? OT_ENOTFOUND : OT_EIO, "cannot open %s: %s",
                          path, strerror(errno));
    long utf8_line = 0;
    if ((rc = hash_file(&c, f, raw, &utf8_line, err)))
        goto done;
    if (utf8_line) {
        stats->files++;
        c.rec_line = utf8_line;
        io_bad(&c, 0, "expected GBK/GB18030 text, found a file that is valid UTF-8 (import it "
                   "without --encoding gbk)");
        goto done;
    }
    if (o->encoding == OT_ENCODING_GBK && (cd = iconv_open("UTF-8", "GB18030")) == (iconv_t)-1) {
        rc = ot_err_set(err, OT_EIO, "%s: iconv cannot convert GB18030: %s", path,
                        strerror(errno));
        goto done;
    }
    stats->files++;
    int book = workbook(path);
    if (book) {
        c.line = c.next_line = 0;
        rc = book == 1 ? io_xlsx_read(&c, err) : io_xls_read(&c, err);
        if (rc)
            goto done;
        if (!c.header_done && !c.stop && !c.fatal) {
            c.rec_line = 1;
            io_bad(&c, 0, "expected a header row, found an empty sheet");
        }
    } else {
        if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL)) {
            rc = ot_err_set(err, OT_ENOMEM, "out of memory");
            goto done;
        }
        parser = 1;
        csv_set_blk_size(&p, CHUNK);
        parse_file(&c, f, &p, raw, dec, cd);
    }
    if (c.t && !c.fatal)
        io_table_end(&c);
    if (c.fmt == OT_FORMAT_LONG && !c.fatal && !c.stop)
        io_long_shape_end(&c);
    if (c.fatal) {
        rc = c.fatal;
        goto done;
    }
    if (c.import_id && errs->count == 0) /* else the call rolls back */
        rc = ot_store_import_done(st, c.import_id, c.inserted, 0, err);
done:
    if (parser)
        csv_free(&p);
    if (cd != (iconv_t)-1)
        iconv_close(cd);
    fclose(f);
    io_table_free(c.t);
    io_names_free(c.names);
    free(c.unit_key);
    free(c.freq_key);
    free(c.shape_key);
    free(c.sheet_owned);
    io_seen_clear(&c.seen);
    io_seen_clear(&c.janfeb);
    free(c.off);
    free(c.buf);
    return rc;
}

/* The transaction is the caller's unit of work: all files or none. */
int ot_import_files(ot_store *st, const char *const *paths, size_t n, const ot_import_opts *o,
                    ot_import_stats *st_out, ot_import_errors *errs, ot_err *err)
{
    static const ot_import_opts defaults = OT_IMPORT_OPTS_INIT;
    if (!o)
        o = &defaults;
    if (o->measure < OT_MEASURE_ANY || o->measure >= OT_MEASURE_COUNT)
        return ot_err_set(err, OT_EINVAL, "bad measure %d", (int)o->measure);
    ot_import_stats stats;
    memset(&stats, 0, sizeof stats);
    ot_import_errors *own = NULL;
    char *raw = malloc(CHUNK + 16), *dec = malloc(2 * CHUNK + 16);
    if (!errs)
        errs = own = malloc(sizeof *own);
    int rc = OT_OK;
    if (!raw || !dec || !errs) {
        rc = ot_err_set(err, OT_ENOMEM, "out of memory");
        goto done;
    }
    errs->count = errs->n = 0;
    if ((rc = ot_store_begin(st, err)))
        goto done;
    for (size_t i = 0; i < n && !rc; i++)
        rc = import_one(st, paths[i], o, &stats, errs, raw, dec, err);
    if (rc) {
        ot_store_rollback(st);
        goto done;
    }
    if (errs->count) {
        ot_store_rollback(st);
        if (err) {
            *err = errs->e[0];
            if (errs->count > 1) {
                size_t len = strlen(err->msg);
                snprintf(err->msg + len, sizeof err->msg - len, " (and %zu more error%s)",
                         errs->count - 1, errs->count == 2 ? "" : "s");
            }
        }
        rc = OT_EDATA;
        goto done;
    }
    if (o->dry_run)
        ot_store_rollback(st); /* everything checked, nothing kept */
    else
        rc = ot_store_commit(st, err);
done:
    if (!rc && st_out)
        *st_out = stats;
    free(own);
    free(dec);
    free(raw);
    return rc;
}

int ot_import_file(ot_store *st, const char *path, const ot_import_opts *o,
                   ot_import_stats *st_out, ot_import_errors *errs, ot_err *err)
{
    return ot_import_files(st, &path, 1, o, st_out, errs, err);
}
