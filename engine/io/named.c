/* named.c — files whose header names their columns: long
 * (series,period,value[,measure,unit,vintage,source]), targets and series
 * metadata.  The first record decides the format (given, or from the names;
 * a header naming none of them that looks like a table goes to table.c),
 * maps each named column, and records the import; each later record is one
 * observation, target or series, checked field by field with every problem
 * recorded at its column, then written through the store.
 */
#include "io/import_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/period.h"
#include "core/series.h"
#include "core/target.h"
#include "core/text.h"
#include "io/fields.h"

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
void io_header(ctx *c)
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
                   io_shown(io_field(c, i), sb, sizeof sb), ot_import_format_name(f), formats[f].list);
        else if (c->map[ids[i]] >= 0)
            io_bad(c, (long)i + 1, "duplicate column '%s'", col_names[ids[i]]);
        else
            c->map[ids[i]] = (int)i;
    }
    for (int k = 0; k < C_NCOLS; k++)
        if ((formats[f].required & B(k)) && c->map[k] < 0)
            io_bad(c, 0, "expected a '%s' column in the header of a %s file", col_names[k],
                   ot_import_format_name(f));
    if (c->errs->count != before) {
        c->stop = 1;
        return;
    }
    char fn[32];
    if (f == OT_FORMAT_LONG && c->o->measure != OT_MEASURE_ANY) /* rows without one take it */
        snprintf(fn, sizeof fn, "long:%s", ot_measure_name(c->o->measure));
    else
        snprintf(fn, sizeof fn, "%s", ot_import_format_name(f));
    io_begin_import(c, fn);
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

/* Stores the unit of key once per run of rows with that key. */
static void long_unit(ctx *c, const char *key, const char *unit)
{
    if (c->unit_key && strcmp(c->unit_key, key) == 0)
        return;
    ot_series_meta m;
    ot_err e;
    if (ot_store_get_meta(c->st, key, &m, &e)) { /* put_obs created the series */
        io_fatal(c, &e);
        return;
    }
    int same = m.unit && io_same_unit(unit, m.unit), other = m.unit && !same;
    if (other) {
        /* as a table's heading in another unit: the stored figures are in
         * the stored unit, so replacing it would misstate all of them */
        char sb[80], sb2[80];
        io_bad(c, colno(c, C_UNIT),
               "%s is in %s; found the unit '%s' (change a series' unit through the series "
               "metadata, or give the figures in %s)",
               key, io_shown(m.unit, sb2, sizeof sb2), io_shown(unit, sb, sizeof sb),
               io_shown(m.unit, sb2, sizeof sb2));
    }
    ot_series_meta_clear(&m);
    ot_series_meta_init(&m);
    m.key = (char *)key;
    m.unit = (char *)unit;
    if (!same && !other && ot_store_put_meta(c->st, &m, &e)) {
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
    int known = !(ms && *ms && io_measure_cell(ms, &m));
    ot_period p;
    ot_freq want = io_writing(c) && *key ? long_freq(c, key) : OT_FREQ_NONE;
    io_cell_period(c, named(c, C_PERIOD), colno(c, C_PERIOD), known ? m : c->measure, 0,
                   want, key, 0, &p);
    if (!known)
        io_bad(c, colno(c, C_MEASURE), "expected a measure (value, ytd, yoy or ytd_yoy; or 当月值, 累计值, "
            "当月同比, 累计同比), found '%s'", io_shown(ms, sb, sizeof sb));
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
    int put = io_put_obs(c, key, m, p, v, vintage, src, colno(c, C_PERIOD), NULL);
    if (put == OT_OK && want == OT_FREQ_NONE && c->freq_key)
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
    /* The series' unit is its levels' (value, ytd): a growth row's unit is
     * its percent, whatever the file calls it (%, pct), and reads give
     * growth measures the unit % anyway. */
    const char *unit = named(c, C_UNIT);
    int growth = m == OT_MEASURE_YOY || m == OT_MEASURE_YTD_YOY;
    if (unit && *unit && growth && !io_same_unit(unit, "%"))
        io_bad(c, colno(c, C_UNIT), "expected the unit of a growth rate (%s), %% or pct, found '%s'",
               ot_measure_name(m), io_shown(unit, sb, sizeof sb));
    else if (unit && *unit && !growth && put == OT_OK) /* put_obs created the series */
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

/* "a" or "an" before a kind's name: an in_step target. */
static const char *article(ot_target_kind k)
{
    return strchr("aeiou", ot_target_kind_name(k)[0]) ? "an" : "a";
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
    ot_period yp; /* 2023年, 2023年度: the year as periods write it */
    if (*ys && *end && ot_period_parse(ys, (size_t)-1, &yp, NULL) == OT_OK && yp.freq == OT_FREQ_Y) {
        y = yp.ord;
        end = (char *)"";
    }
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
    const ot_target_kind_desc *kd = ot_target_kind_desc_of(t.kind);
    if (r == V_MISSING && quantified && !(kd && !isnan(kd->default_value)))
        io_bad(c, colno(c, C_VALUE), "expected a number for %s %s target, found ''",
            article(t.kind), ot_target_kind_name(t.kind)); /* relative and in_step: 0, as in Lua */
    if (quantified && !t.series)
        io_bad(c, colno(c, C_SERIES), "expected a series key for %s %s target, found ''",
            article(t.kind), ot_target_kind_name(t.kind));
    else if (t.series)
        io_key_ok(c, t.series, colno(c, C_SERIES));
    if (quantified && t.op == OT_OP_NONE)
        io_bad(c, colno(c, C_OP), "expected an operator for %s %s target, found ''",
            article(t.kind), ot_target_kind_name(t.kind));
    t.ref = opt(c, C_REF);
    if ((t.kind == OT_TARGET_RELATIVE || t.kind == OT_TARGET_IN_STEP) && !t.ref)
        io_bad(c, c->map[C_REF] >= 0 ? colno(c, C_REF) : 0,
            "expected a reference series (ref) for %s %s target, found ''",
            article(t.kind), ot_target_kind_name(t.kind));
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
    if (c->errs->count != before)
        return;
    /* the core's rules of a target, at the column of the field it names */
    ot_err e;
    const char *field = NULL;
    if (ot_target_check_at(&t, &field, &e) != OT_OK) {
        static const struct { const char *name; enum col col; } at[] = {
            {"series", C_SERIES}, {"year", C_YEAR}, {"kind", C_KIND}, {"op", C_OP},
            {"value", C_VALUE},   {"ref", C_REF},   {"tolerance", C_TOLERANCE},
        };
        int col = 0;
        for (size_t i = 0; field && i < sizeof at / sizeof *at; i++)
            if (strcmp(field, at[i].name) == 0 && c->map[at[i].col] >= 0)
                col = colno(c, at[i].col);
        io_bad(c, col, "%s", e.msg);
        return;
    }
    if (!io_writing(c))
        return;
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

void io_named_row(ctx *c)
{
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
