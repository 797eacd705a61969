/* header.c — a table's headings taken apart and matched to series (header.h).
 *
 * The stored names are kept in one array, each series with its key and its
 * names folded for comparison (blanks out, ASCII lower case); a heading is
 * compared with every series, which is fine for the few thousand series of a
 * store and the few hundred columns of a bureau's table.
 */
#include "io/header.h"

#include <csv.h>
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "core/text.h"
#include "io/fields.h"
#include "io/xxh64.h"
#include "store/store.h"

/* ---- headings ----------------------------------------------------------- */

/* Measure words, matched at the end of a heading (the longest first). */
static const struct {
    const char *word;
    int measure; /* ot_measure, or -1 for a growth word */
    int growth;
} words[] = {
    {"累计比上年同期增长率", OT_MEASURE_YTD_YOY, 0},
    {"累计比上年同期增长", OT_MEASURE_YTD_YOY, 0},
    {"本月比上年同月增长", OT_MEASURE_YOY, 0},
    {"比上年同期增长率", -1, IO_GROWTH_OF_BASE},
    {"比上年同月增长", OT_MEASURE_YOY, 0},
    {"比上年同期增长", -1, IO_GROWTH_OF_BASE},
    {"累计同比增长", OT_MEASURE_YTD_YOY, 0},
    {"当月同比增长", OT_MEASURE_YOY, 0},
    {"本月同比增长", OT_MEASURE_YOY, 0},
    {"累计增长率", OT_MEASURE_YTD_YOY, 0},
    {"比上年增长", -1, IO_GROWTH_OF_BASE},
    {"累计增长", OT_MEASURE_YTD_YOY, 0},
    {"累计同比", OT_MEASURE_YTD_YOY, 0},
    {"累计增速", OT_MEASURE_YTD_YOY, 0},
    {"当月同比", OT_MEASURE_YOY, 0},
    {"本月同比", OT_MEASURE_YOY, 0},
    {"同比增长", OT_MEASURE_YOY, 0},
    {"同比增速", OT_MEASURE_YOY, 0},
    {"本年累计", OT_MEASURE_YTD, 0},
    {"累计值", OT_MEASURE_YTD, 0},
    {"累计数", OT_MEASURE_YTD, 0},
    {"本月值", OT_MEASURE_VALUE, 0},
    {"本月数", OT_MEASURE_VALUE, 0},
    {"当月值", OT_MEASURE_VALUE, 0},
    {"当月数", OT_MEASURE_VALUE, 0},
    {"增长率", -1, IO_GROWTH_OF_BASE},
    {"绝对值", -1, IO_BASE},
    {"绝对数", -1, IO_BASE},
    {"累计", OT_MEASURE_YTD, 0},
    {"本月", OT_MEASURE_VALUE, 0},
    {"当月", OT_MEASURE_VALUE, 0},
    {"同比", OT_MEASURE_YOY, 0},
    {"增长", -1, IO_GROWTH_OF_BASE},
    {"增速", -1, IO_GROWTH_OF_BASE},
    {"增幅", -1, IO_GROWTH_OF_BASE},
};

/* Separators and blanks at either end of a name: ASCII blanks and
 * punctuation, the ideographic space, 、, ：, ·, full-width brackets. */
static size_t sep_at(const char *s, size_t n)
{
    static const char *const wide[] = {"\xE3\x80\x80", "、", "：", "·", "－", "—", "，"};
    if (n && strchr(" \t:_-,;/|", s[0]))
        return 1;
    for (size_t i = 0; i < sizeof wide / sizeof *wide; i++) {
        size_t k = strlen(wide[i]);
        if (n >= k && memcmp(s, wide[i], k) == 0)
            return k;
    }
    return 0;
}

/* Length of s[0..n) without the separators at its end. */
static size_t trim_end(const char *s, size_t n)
{
    for (;;) {
        size_t cut = 0;
        for (size_t k = 1; k <= 3 && k <= n && !cut; k++)
            if (sep_at(s + n - k, k) == k)
                cut = k;
        if (!cut)
            return n;
        n -= cut;
    }
}

static int ends_with(const char *s, size_t n, const char *w)
{
    size_t k = strlen(w);
    return n >= k && memcmp(s + n - k, w, k) == 0;
}

void io_heading_parse(const char *text, io_heading *h)
{
    memset(h, 0, sizeof *h);
    h->measure = -1;
    const char *s = text;
    size_t k;
    while ((k = sep_at(s, strlen(s))) > 0)
        s += k;
    size_t n = trim_end(s, strlen(s));
    /* the unit: a bracketed tail (亿元) or （%）, or a bare % */
    for (int pass = 0; pass < 2; pass++) {
        const char *close = NULL, *open = NULL;
        if (ends_with(s, n, ")"))
            close = ")", open = "(";
        else if (ends_with(s, n, "）"))
            close = "）", open = "（";
        if (!close)
            break;
        size_t cl = strlen(close), ol = strlen(open), at = n - cl, found = (size_t)-1;
        for (size_t i = at; i-- > 0;)
            if (i + ol <= at && memcmp(s + i, open, ol) == 0) {
                found = i;
                break;
            }
        if (found == (size_t)-1)
            break;
        if (!h->unit[0]) {
            size_t ul = at - found - ol;
            const char *u = s + found + ol;
            while (ul && (*u == ' '))
                u++, ul--;
            while (ul && u[ul - 1] == ' ')
                ul--;
            if (ul >= IO_UNIT_MAX)
                ul = IO_UNIT_MAX - 1;
            memcpy(h->unit, u, ul);
            h->unit[ul] = '\0';
        }
        n = trim_end(s, found);
    }
    if (!h->unit[0] && (ends_with(s, n, "%") || ends_with(s, n, "％"))) {
        n -= ends_with(s, n, "%") ? 1 : strlen("％");
        strcpy(h->unit, "%");
        n = trim_end(s, n);
    }
    if (strcmp(h->unit, "％") == 0)
        strcpy(h->unit, "%");
    /* the measure word: the longest one the name ends with */
    size_t best = 0;
    int bi = -1;
    for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
        size_t wl = strlen(words[i].word);
        if (wl > best && ends_with(s, n, words[i].word)) {
            best = wl;
            bi = (int)i;
        }
    }
    if (bi >= 0) {
        h->measure = words[bi].measure;
        h->growth = words[bi].growth;
        n = trim_end(s, n - best);
    }
    if (n >= IO_NAME_MAX) {
        n = IO_NAME_MAX - 1;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(h->name, s, n);
    h->name[n] = '\0';
}

ot_measure io_heading_measure(const io_heading *top, const io_heading *sub, ot_measure dflt,
                              int *explicit_out)
{
    ot_measure base = top->measure >= 0 ? (ot_measure)top->measure : dflt;
    const io_heading *h = sub && (sub->measure >= 0 || sub->growth) ? sub : top;
    *explicit_out = 1;
    if (h->measure >= 0)
        return (ot_measure)h->measure;
    if (h->growth == IO_GROWTH_OF_BASE)
        return base == OT_MEASURE_YTD || base == OT_MEASURE_YTD_YOY ? OT_MEASURE_YTD_YOY
                                                                     : OT_MEASURE_YOY;
    if (h->growth == IO_BASE && top->measure >= 0)
        return base;
    *explicit_out = 0;
    return dflt;
}

int io_measure_cell(const char *s, ot_measure *out)
{
    if (ot_measure_parse(s, (size_t)-1, out) == 0)
        return 0;
    io_heading h;
    io_heading_parse(s, &h);
    if (h.measure < 0 || h.name[0] || h.unit[0])
        return -1;
    *out = (ot_measure)h.measure;
    return 0;
}

/* ---- names -------------------------------------------------------------- */

typedef struct entry {
    char *key, *unit;
    char *names;  /* folded names, each NUL-terminated, an empty one last */
    ot_freq freq;
    int measure;  /* map lines: the measure they give, or -1 */
    int is_map;   /* a --map line: names holds the heading it matches */
} entry;

struct io_names {
    entry *e;
    size_t n, cap;
    int has_map;       /* a --map file was read */
    uint64_t map_hash; /* XXH64 of its bytes */
};

/* Appends s folded (blanks out, ASCII lower case) and its NUL to buf. */
static size_t fold(const char *s, char *buf)
{
    size_t o = 0;
    while (*s) {
        if (*s == ' ' || *s == '\t') {
            s++;
            continue;
        }
        if (io_ideo_space(s)) {
            s += 3;
            continue;
        }
        char ch = *s++;
        buf[o++] = ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
    }
    buf[o++] = '\0';
    return o;
}

static int push(io_names *nm, const char *key, const char *unit, ot_freq freq,
                const char *const *names, size_t nnames, const char *aliases, int measure,
                int is_map)
{
    if (nm->n == nm->cap) {
        size_t nc = nm->cap ? 2 * nm->cap : 64;
        entry *ne = realloc(nm->e, nc * sizeof *ne);
        if (!ne)
            return OT_ENOMEM;
        nm->e = ne;
        nm->cap = nc;
    }
    size_t len = 2;
    for (size_t i = 0; i < nnames; i++)
        len += names[i] ? strlen(names[i]) + 1 : 0;
    len += aliases ? strlen(aliases) + 1 : 0;
    entry x = {NULL, NULL, NULL, freq, measure, is_map};
    x.key = strdup(key);
    x.unit = unit && *unit ? strdup(unit) : NULL;
    x.names = malloc(len);
    if (!x.key || (unit && *unit && !x.unit) || !x.names) {
        free(x.key);
        free(x.unit);
        free(x.names);
        return OT_ENOMEM;
    }
    size_t o = 0;
    for (size_t i = 0; i < nnames; i++)
        if (names[i] && *names[i])
            o += fold(names[i], x.names + o);
    if (aliases) { /* '|'-separated */
        char one[IO_NAME_MAX];
        for (const char *a = aliases; *a;) {
            size_t l = strcspn(a, "|");
            if (l && l < sizeof one) {
                memcpy(one, a, l);
                one[l] = '\0';
                size_t w = fold(one, x.names + o);
                if (w > 1)
                    o += w;
            }
            a += l + (a[l] == '|');
        }
    }
    x.names[o] = '\0';
    nm->e[nm->n++] = x;
    return OT_OK;
}

int io_names_add(io_names *n, const char *key, const char *unit, ot_freq freq)
{
    return push(n, key, unit, freq, NULL, 0, NULL, -1, 0);
}

static int add_stored(void *ud, const ot_series_meta *m)
{
    const char *names[] = {m->name, m->name_en};
    return push(ud, m->key, m->unit, m->freq, names, 2, m->aliases, -1, 0);
}

/* The --map file: a header row naming `header` and `series` (and optionally
 * `measure`), then one line per heading. */
typedef struct mapread {
    io_names *nm;
    const char *path;
    char *f[3];
    size_t nf;
    long line;
    int col[3]; /* field index of header, series, measure; -1 absent */
    int header_done, rc;
    ot_err *err;
} mapread;

static void map_field(void *s, size_t len, void *ud)
{
    mapread *r = ud;
    if (r->rc)
        return;
    if (r->nf < 3) {
        char *c = malloc(len + 1);
        if (!c) {
            r->rc = ot_err_set(r->err, OT_ENOMEM, "out of memory reading %s", r->path);
            return;
        }
        memcpy(c, s, len);
        c[len] = '\0';
        r->f[r->nf] = c;
    }
    r->nf++;
}

static void map_record(int term, void *ud)
{
    mapread *r = ud;
    (void)term;
    size_t nf = r->nf < 3 ? r->nf : 3;
    if (!r->rc && !r->header_done) {
        r->header_done = 1;
        r->col[0] = r->col[1] = r->col[2] = -1;
        static const char *const cn[] = {"header", "series", "measure"};
        for (size_t i = 0; i < nf; i++)
            for (int k = 0; k < 3; k++)
                if (strcasecmp(r->f[i], cn[k]) == 0)
                    r->col[k] = (int)i;
        if (r->col[0] < 0 || r->col[1] < 0)
            r->rc = ot_err_setloc(r->err, OT_EDATA, r->path, r->line, 1,
                                  "expected a map header 'header,series[,measure]'");
    } else if (!r->rc && nf > 0) {
        const char *h = r->col[0] < (int)nf ? r->f[r->col[0]] : "";
        const char *k = r->col[1] < (int)nf ? r->f[r->col[1]] : "";
        const char *ms = r->col[2] >= 0 && r->col[2] < (int)nf ? r->f[r->col[2]] : "";
        ot_measure m = OT_MEASURE_VALUE;
        ot_err ke;
        char sb[96];
        if (!*h)
            r->rc = ot_err_setloc(r->err, OT_EDATA, r->path, r->line, r->col[0] + 1,
                                  "expected a heading, found ''");
        else if (ot_key_check(k, (size_t)-1, &ke))
            r->rc = ot_err_setloc(r->err, OT_EDATA, r->path, r->line, r->col[1] + 1, "%s",
                                  ke.msg);
        else if (*ms && io_measure_cell(ms, &m))
            r->rc = ot_err_setloc(r->err, OT_EDATA, r->path, r->line, r->col[2] + 1,
                                  "expected a measure (value, ytd, yoy or ytd_yoy), found '%s'",
                                  ot_fmt_shown(ms, (size_t)-1, sb, sizeof sb));
        else {
            const char *names[] = {h};
            if (push(r->nm, k, NULL, OT_FREQ_NONE, names, 1, NULL, *ms ? (int)m : -1, 1))
                r->rc = ot_err_set(r->err, OT_ENOMEM, "out of memory reading %s", r->path);
        }
    }
    for (size_t i = 0; i < nf; i++)
        free(r->f[i]);
    r->nf = 0;
    r->line++;
}

/* The line (1-based) of byte off of buf. */
static long line_of(const char *buf, size_t off)
{
    long l = 1;
    for (size_t i = 0; i < off; i++)
        l += buf[i] == '\n';
    return l;
}

/* The map's bytes (raw, n) as UTF-8 text in a new buffer (*out, *outn):
 * a byte-order mark skipped; GBK/GB18030 decoded when enc says so, else
 * checked to be UTF-8, so a map saved by Excel on a Chinese Windows is
 * read, or told to need --encoding gbk, never compared as other bytes. */
static int map_text(const char *path, const char *raw, size_t n, ot_encoding enc, char **out,
                    size_t *outn, ot_err *err)
{
    size_t skip = n >= 3 && memcmp(raw, "\xEF\xBB\xBF", 3) == 0 ? 3
                  : enc == OT_ENCODING_GBK && n >= 4 && memcmp(raw, "\x84\x31\x95\x33", 4) == 0
                      ? 4
                      : 0;
    const char *in = raw + skip;
    size_t left = n - skip, cap = 2 * left + 16;
    char *buf = malloc(cap);
    if (!buf)
        return ot_err_set(err, OT_ENOMEM, "out of memory reading %s", path);
    if (enc != OT_ENCODING_GBK) {
        size_t at = io_utf8_check((const unsigned char *)in, left);
        if (at < left) {
            int rc = ot_err_setloc(err, OT_EDATA, path, line_of(in, at), 0,
                                   "expected UTF-8 text, found byte 0x%02X (if the map is GBK or "
                                   "GB18030, import with --encoding gbk)",
                                   (unsigned char)in[at]);
            free(buf);
            return rc;
        }
        memcpy(buf, in, left);
        *out = buf;
        *outn = left;
        return OT_OK;
    }
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1) {
        free(buf);
        return ot_err_set(err, OT_EIO, "%s: iconv cannot convert GB18030: %s", path,
                          strerror(errno));
    }
    char *ip = (char *)in, *op = buf;
    size_t il = left, ol = cap;
    int rc = OT_OK;
    if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1)
        rc = ot_err_setloc(err, OT_EDATA, path, line_of(in, (size_t)(ip - in)), 0,
                           errno == EINVAL ? "expected GBK/GB18030 text, found a character cut "
                                             "short at the end of the file"
                                           : "expected GBK/GB18030 text, found byte 0x%02X",
                           (unsigned char)*ip);
    iconv_close(cd);
    if (rc) {
        free(buf);
        return rc;
    }
    *out = buf;
    *outn = (size_t)(op - buf);
    return OT_OK;
}

/* The largest map read: a map has a line per heading, so this is far more
 * than any needs, and keeps a wrong file (a data file given as the map) from
 * being read into memory whole. */
#define MAP_MAX (16 << 20)

int io_open_input(const char *path, const char *what, FILE **out, ot_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return ot_err_set(err,
                          errno == ENOENT || errno == EACCES || errno == ENOTDIR ? OT_ENOTFOUND
                                                                                 : OT_EIO,
                          "cannot open %s%s: %s", what, path, strerror(errno));
    struct stat sb;
    if (fstat(fileno(f), &sb) == 0 && S_ISDIR(sb.st_mode)) {
        fclose(f);
        return ot_err_set(err, OT_ENOTFOUND, "cannot read %s%s: %s", what, path,
                          strerror(EISDIR));
    }
    *out = f;
    return OT_OK;
}

static int load_map(io_names *nm, const char *path, ot_encoding enc, ot_err *err)
{
    FILE *f;
    int orc = io_open_input(path, "the map ", &f, err);
    if (orc)
        return orc;
    char *raw = NULL, *text = NULL;
    size_t n = 0, cap = 0, tn = 0;
    int rc = OT_OK;
    for (;;) {
        if (n == cap) {
            if (cap >= MAP_MAX) {
                rc = ot_err_set(err, OT_EDATA, "%s: expected a map of at most %d MiB, found a "
                                               "larger file", path, MAP_MAX >> 20);
                goto done;
            }
            size_t nc = cap ? 2 * cap : 4096;
            char *p = realloc(raw, nc);
            if (!p) {
                rc = ot_err_set(err, OT_ENOMEM, "out of memory reading %s", path);
                goto done;
            }
            raw = p;
            cap = nc;
        }
        size_t got = fread(raw + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        rc = ot_err_set(err, OT_EIO, "%s: %s", path, strerror(errno));
        goto done;
    }
    if ((rc = map_text(path, raw, n, enc, &text, &tn, err)))
        goto done;
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_APPEND_NULL)) {
        rc = ot_err_set(err, OT_ENOMEM, "out of memory");
        goto done;
    }
    mapread r = {nm, path, {NULL, NULL, NULL}, 0, 1, {-1, -1, -1}, 0, OT_OK, err};
    if (csv_parse(&p, text, tn, map_field, map_record, &r) != tn && !r.rc)
        r.rc = ot_err_setloc(err, OT_EDATA, path, r.line, 0, "malformed quoted field");
    if (!r.rc)
        csv_fini(&p, map_field, map_record, &r);
    if (!r.rc && !r.header_done)
        r.rc = ot_err_setloc(err, OT_EDATA, path, 1, 0,
                             "expected a map header 'header,series[,measure]', found an empty file");
    for (size_t i = 0; i < (r.nf < 3 ? r.nf : 3); i++)
        free(r.f[i]);
    csv_free(&p);
    rc = r.rc;
    nm->has_map = 1;
    ot_xxh64 h;
    ot_xxh64_init(&h, 0);
    ot_xxh64_update(&h, raw, n);
    nm->map_hash = ot_xxh64_digest(&h);
done:
    free(text);
    free(raw);
    fclose(f);
    return rc;
}

int io_map_check(const char *path, ot_encoding enc, ot_err *err)
{
    io_names *nm = calloc(1, sizeof *nm);
    if (!nm)
        return ot_err_set(err, OT_ENOMEM, "out of memory");
    int rc = load_map(nm, path, enc, err);
    io_names_free(nm);
    return rc;
}

int io_names_map_hash(const io_names *n, uint64_t *hash)
{
    if (!n || !n->has_map)
        return 0;
    *hash = n->map_hash;
    return 1;
}

void io_names_free(io_names *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->n; i++) {
        free(n->e[i].key);
        free(n->e[i].unit);
        free(n->e[i].names);
    }
    free(n->e);
    free(n);
}

int io_names_load(ot_store *st, const char *map_path, ot_encoding enc, io_names **out,
                  ot_err *err)
{
    io_names *nm = calloc(1, sizeof *nm);
    if (!nm)
        return ot_err_set(err, OT_ENOMEM, "out of memory");
    int rc = map_path ? load_map(nm, map_path, enc, err) : OT_OK;
    if (!rc)
        rc = ot_store_names(st, add_stored, nm, err);
    if (rc == OT_ENOMEM && err && !err->msg[0])
        ot_err_set(err, OT_ENOMEM, "out of memory reading series names");
    if (rc) {
        io_names_free(nm);
        return rc;
    }
    /* a map line's series may be stored: take its unit and frequency */
    for (size_t i = 0; i < nm->n; i++) {
        if (!nm->e[i].is_map)
            continue;
        io_match m;
        if (io_names_key(nm, nm->e[i].key, &m) == 1) {
            nm->e[i].freq = m.freq;
            if (m.unit && !(nm->e[i].unit = strdup(m.unit))) {
                io_names_free(nm);
                return ot_err_set(err, OT_ENOMEM, "out of memory");
            }
        }
    }
    *out = nm;
    return OT_OK;
}

static int has_name(const char *names, const char *folded)
{
    for (const char *p = names; *p; p += strlen(p) + 1)
        if (strcmp(p, folded) == 0)
            return 1;
    return 0;
}

static void fill(const entry *e, io_match *m)
{
    m->key = e->key;
    m->unit = e->unit;
    m->freq = e->freq;
    m->measure = e->measure;
}

int io_names_key(const io_names *n, const char *key, io_match *m)
{
    for (size_t i = 0; i < n->n; i++)
        if (!n->e[i].is_map && strcmp(n->e[i].key, key) == 0) {
            fill(&n->e[i], m);
            return 1;
        }
    return 0;
}

int io_names_map_find(const io_names *n, const char *heading, io_match *m)
{
    char tmp[4 * IO_NAME_MAX], ff[4 * IO_NAME_MAX + 8];
    snprintf(tmp, sizeof tmp, "%s", heading);
    fold(tmp, ff);
    for (size_t i = 0; i < n->n; i++)
        if (n->e[i].is_map && has_name(n->e[i].names, ff)) {
            fill(&n->e[i], m);
            return 1;
        }
    return 0;
}

int io_names_find(const io_names *n, const char *full, const char *name, io_match *m,
                  const char **other)
{
    char ff[4 * IO_NAME_MAX + 8], fn[IO_NAME_MAX + 8];
    size_t fl = strlen(full);
    if (fl >= IO_NAME_MAX * 4)
        fl = IO_NAME_MAX * 4 - 1;
    char tmp[4 * IO_NAME_MAX];
    memcpy(tmp, full, fl);
    tmp[fl] = '\0';
    fold(tmp, ff);
    fold(name, fn);
    /* a map line for the whole heading, then for the indicator */
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < n->n; i++)
            if (n->e[i].is_map && has_name(n->e[i].names, pass ? fn : ff)) {
                fill(&n->e[i], m);
                return 1;
            }
    if (!*fn)
        return 0;
    int count = 0;
    for (size_t i = 0; i < n->n && count < 2; i++) {
        const entry *e = &n->e[i];
        if (e->is_map || !(strcmp(e->key, name) == 0 || has_name(e->names, fn)))
            continue;
        if (count == 0)
            fill(e, m);
        else if (strcmp(m->key, e->key) == 0)
            continue;
        else if (other)
            *other = e->key;
        count++;
    }
    return count;
}

/* Both units through io_heading_parse, as a heading's bracket (blanks out,
 * full-width ％ as %), then through the store's table of spellings
 * (100m_cny is 亿元, pct is %). */
int io_same_unit(const char *a, const char *b)
{
    io_heading ha, hb;
    char ta[IO_UNIT_MAX + 4], tb[IO_UNIT_MAX + 4];
    snprintf(ta, sizeof ta, "(%s)", a);
    snprintf(tb, sizeof tb, "(%s)", b);
    io_heading_parse(ta, &ha);
    io_heading_parse(tb, &hb);
    const char *ca = ot_unit_canonical(ha.unit), *cb = ot_unit_canonical(hb.unit);
    return strcmp(ca ? ca : ha.unit, cb ? cb : hb.unit) == 0;
}
