/* xlsx.c — .xlsx workbooks (Office Open XML spreadsheets) read as records.
 *
 * The zip container is read with minizip (zlib's contrib unzip), each part
 * is parsed with expat, a streaming XML parser: the workbook (sheet names and
 * the 1904 date system), its relationships (where each sheet's part is), the
 * styles (which cell formats are dates), the shared strings (kept: cells
 * refer to them by index), then the chosen sheet, streamed in 64 KiB pieces
 * so that memory does not grow with its rows.  Each row becomes one record
 * (fields are columns A, B, ...; missing cells empty) handed to io_record,
 * so validation, tables and the transaction are those of CSV; positions are
 * sheet:cell.  Numbers come as Excel stored them (the shortest text that
 * reads back, or 17 digits); cells with a date format become YYYY-MM-DD;
 * numbers stored as text stay text and are parsed as any CSV field.  Merged
 * cells keep their value in the top-left cell, the others are empty, which
 * is how table.c reads a merged heading.
 */
#include "io/import_int.h"

#include <expat.h>
#include <math.h>
#include <minizip/unzip.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/text.h"

#define XCHUNK 65536
/* The longest text kept from one cell (as CSV's field limit). */
#define CELL_MAX (1 << 20)
/* A workbook's sheet count and shared strings are bounded so that a
 * hostile file cannot make us allocate without end. */
#define SHEETS_MAX 4096
#define SST_MAX (64u << 20) /* bytes of shared-string text */

/* ---- the reader --------------------------------------------------------- */

typedef struct sheet {
    char *name, *rid, *target;
} sheet;

typedef struct xlsx {
    ctx *c;
    unzFile z;
    ot_err *err;
    int rc;                 /* a failure that ends the read */
    int date1904;
    sheet *sh;
    size_t nsh;
    /* styles: per cellXfs index, what its number format shows (F_*) */
    unsigned char *xf_kind;
    size_t nxf, xfcap;
    int in_cellxfs;
    struct { int id; int kind; } *fmts;
    size_t nfmts, fmtcap;
    /* shared strings: NUL-terminated texts in sst, offsets in soff */
    ot_buf sst;
    size_t *soff;
    size_t nsst, sstcap;
    int in_si, in_t, in_rph;
    /* the sheet */
    long row;               /* current row (1-based) */
    long col;               /* current cell's column (1-based) */
    long next_col;          /* the column of a cell without r= */
    char ctype[16];         /* t= of the current cell */
    int cstyle;             /* s= of the current cell */
    int in_v, in_is, in_cell;
    ot_buf text;              /* the current cell's text */
    ot_buf rowbuf;            /* the current row: cells' texts */
    size_t *rcol;           /* per cell kept: column and offset in rowbuf */
    size_t *roff;
    size_t nr, rcap;
    size_t width;           /* fields of the first row emitted */
    int cell_long;          /* the current cell's text passed CELL_MAX */
} xlsx;

static void xfail(xlsx *x, int code, const char *fmt, const char *a)
{
    if (!x->rc)
        x->rc = ot_err_set(x->err, code, fmt, x->c->path, a ? a : "");
}

static const char *attr(const XML_Char **a, const char *name)
{
    for (; a && a[0]; a += 2) {
        const char *n = a[0], *colon = strchr(n, ':');
        if (strcmp(n, name) == 0 || (colon && strchr(name, ':') == NULL && strcmp(colon + 1, name) == 0 &&
                                     strncmp(n, "xmlns", 5) != 0))
            return a[1];
    }
    return NULL;
}

/* The element's local name (after any namespace prefix). */
static const char *local(const XML_Char *name)
{
    const char *colon = strrchr(name, ':');
    return colon ? colon + 1 : name;
}

/* Reads the zip member `name` through expat with the given handlers.
 * Returns OT_OK; OT_ENOTFOUND when the member is absent (and not needed:
 * `optional`); OT_EDATA for a broken zip or XML. */
static int parse_part(xlsx *x, const char *name, int optional, XML_StartElementHandler start,
                      XML_EndElementHandler end, XML_CharacterDataHandler text, int progress)
{
    if (unzLocateFile(x->z, name, 2) != UNZ_OK) {
        if (optional)
            return OT_ENOTFOUND;
        xfail(x, OT_EDATA, "%s: not an Excel workbook: no part %s", name);
        return x->rc;
    }
    unz_file_info64 info;
    long long total = 0;
    if (unzGetCurrentFileInfo64(x->z, &info, NULL, 0, NULL, 0, NULL, 0) == UNZ_OK)
        total = (long long)info.uncompressed_size;
    if (unzOpenCurrentFile(x->z) != UNZ_OK) {
        xfail(x, OT_EDATA, "%s: cannot read the workbook's part %s", name);
        return x->rc;
    }
    XML_Parser p = XML_ParserCreate(NULL);
    char *buf = malloc(XCHUNK);
    if (!p || !buf) {
        free(buf);
        if (p)
            XML_ParserFree(p);
        unzCloseCurrentFile(x->z);
        xfail(x, OT_ENOMEM, "%s: out of memory%s", NULL);
        return x->rc;
    }
    XML_SetUserData(p, x);
    XML_SetElementHandler(p, start, end);
    XML_SetCharacterDataHandler(p, text);
    long long done = 0;
    const ot_import_report *rp = x->c->o->report;
    for (;;) {
        int n = unzReadCurrentFile(x->z, buf, XCHUNK);
        if (n < 0) {
            xfail(x, OT_EDATA, "%s: the workbook's part %s is damaged (zip)", name);
            break;
        }
        done += n;
        if (progress && rp && rp->progress)
            rp->progress(rp->ud, x->c->path, done, total);
        if (XML_Parse(p, buf, n, n == 0) == XML_STATUS_ERROR) {
            char msg[160];
            snprintf(msg, sizeof msg, "%s, line %lu: %s", name,
                     (unsigned long)XML_GetCurrentLineNumber(p),
                     XML_ErrorString(XML_GetErrorCode(p)));
            xfail(x, OT_EDATA, "%s: the workbook's XML is broken: %s", msg);
            break;
        }
        if (n == 0 || x->rc || x->c->stop || x->c->fatal)
            break;
    }
    XML_ParserFree(p);
    free(buf);
    if (unzCloseCurrentFile(x->z) == UNZ_CRCERROR && !x->rc && !x->c->stop)
        xfail(x, OT_EDATA, "%s: the workbook's part %s fails its checksum", name);
    return x->rc;
}

/* ---- workbook.xml and its relationships ---------------------------------- */

static void wb_start(void *ud, const XML_Char *name, const XML_Char **a)
{
    xlsx *x = ud;
    const char *n = local(name);
    if (strcmp(n, "workbookPr") == 0) {
        const char *d = attr(a, "date1904");
        x->date1904 = d && (strcmp(d, "1") == 0 || strcmp(d, "true") == 0);
    } else if (strcmp(n, "sheet") == 0 && !x->rc) {
        const char *nm = attr(a, "name"), *rid = attr(a, "r:id");
        if (!rid)
            rid = attr(a, "id");
        if (!nm || !rid)
            return;
        if (x->nsh >= SHEETS_MAX) {
            xfail(x, OT_EDATA, "%s: more than 4096 sheets%s", NULL);
            return;
        }
        sheet *ns = realloc(x->sh, (x->nsh + 1) * sizeof *ns);
        if (!ns) {
            xfail(x, OT_ENOMEM, "%s: out of memory%s", NULL);
            return;
        }
        x->sh = ns;
        sheet *s = &x->sh[x->nsh++];
        s->name = strdup(nm);
        s->rid = strdup(rid);
        s->target = NULL;
        if (!s->name || !s->rid)
            xfail(x, OT_ENOMEM, "%s: out of memory%s", NULL);
    }
}

static void no_end(void *ud, const XML_Char *name)
{
    (void)ud;
    (void)name;
}

static void no_text(void *ud, const XML_Char *s, int len)
{
    (void)ud;
    (void)s;
    (void)len;
}

static void rels_start(void *ud, const XML_Char *name, const XML_Char **a)
{
    xlsx *x = ud;
    if (strcmp(local(name), "Relationship") != 0)
        return;
    const char *id = attr(a, "Id"), *t = attr(a, "Target");
    if (!id || !t)
        return;
    for (size_t i = 0; i < x->nsh; i++)
        if (!x->sh[i].target && strcmp(x->sh[i].rid, id) == 0) {
            /* relative to xl/, or absolute from the package root */
            size_t n = strlen(t) + 8;
            if (!(x->sh[i].target = malloc(n))) {
                xfail(x, OT_ENOMEM, "%s: out of memory%s", NULL);
                return;
            }
            if (t[0] == '/')
                snprintf(x->sh[i].target, n, "%s", t + 1);
            else
                snprintf(x->sh[i].target, n, "xl/%s", t);
        }
}

/* ---- styles.xml: which cell formats are dates or percentages ------------- */

enum { F_NUMBER, F_DATE, F_PERCENT };

/* What a number format code shows: a date when it has y, d or m outside
 * quotes, brackets and escapes (m alone could be minutes, but with no h or s
 * it is a month); a percentage when it has % there (0.0%: Excel shows 0.052
 * as 5.2%); else a number.  The first section (before ;) decides. */
static int code_kind(const char *f)
{
    int q = 0, b = 0, date = 0, pct = 0;
    for (; *f; f++) {
        if (*f == '"')
            q = !q;
        else if (q)
            continue;
        else if (*f == '\\' || *f == '_' || *f == '*') {
            if (f[1])
                f++;
        } else if (*f == '[')
            b = 1;
        else if (*f == ']')
            b = 0;
        else if (!b && strchr("yYdD", *f))
            date = 1;
        else if (!b && (*f == 'm' || *f == 'M'))
            date = 1;
        else if (!b && *f == '%')
            pct = 1;
        else if (!b && (*f == ';'))
            break;
    }
    return date ? F_DATE : pct ? F_PERCENT : F_NUMBER;
}

/* Built-in formats 14-22 and 45-47 are dates and times, 9 and 10 (0%,
 * 0.00%) percentages (ECMA-376, 18.8.30). */
static int builtin_kind(int id)
{
    if ((id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
        (id >= 50 && id <= 58))
        return F_DATE;
    return id == 9 || id == 10 ? F_PERCENT : F_NUMBER;
}

static void styles_start(void *ud, const XML_Char *name, const XML_Char **a)
{
    xlsx *x = ud;
    const char *n = local(name);
    if (strcmp(n, "numFmt") == 0) {
        const char *id = attr(a, "numFmtId"), *code = attr(a, "formatCode");
        if (!id || !code)
            return;
        if (x->nfmts == x->fmtcap) {
            size_t nc = x->fmtcap ? 2 * x->fmtcap : 16;
            void *p = realloc(x->fmts, nc * sizeof *x->fmts);
            if (!p) {
                xfail(x, OT_ENOMEM, "%s: out of memory%s", NULL);
                return;
            }
            x->fmts = p;
            x->fmtcap = nc;
        }
        x->fmts[x->nfmts].id = atoi(id);
        x->fmts[x->nfmts++].kind = code_kind(code);
    } else if (strcmp(n, "cellXfs") == 0)
        x->in_cellxfs = 1;
    else if (strcmp(n, "xf") == 0 && x->in_cellxfs) {
        const char *id = attr(a, "numFmtId");
        int f = id ? atoi(id) : 0, d = builtin_kind(f);
        for (size_t i = 0; i < x->nfmts; i++)
            if (x->fmts[i].id == f)
                d = x->fmts[i].kind;
        if (x->nxf == x->xfcap) {
            size_t nc = x->xfcap ? 2 * x->xfcap : 64;
            unsigned char *p = realloc(x->xf_kind, nc);
            if (!p) {
                xfail(x, OT_ENOMEM, "%s: out of memory%s", NULL);
                return;
            }
            x->xf_kind = p;
            x->xfcap = nc;
        }
        x->xf_kind[x->nxf++] = (unsigned char)d;
    }
}

static void styles_end(void *ud, const XML_Char *name)
{
    xlsx *x = ud;
    if (strcmp(local(name), "cellXfs") == 0)
        x->in_cellxfs = 0;
}

/* ---- sharedStrings.xml ---------------------------------------------------- */

static void sst_start(void *ud, const XML_Char *name, const XML_Char **a)
{
    xlsx *x = ud;
    (void)a;
    const char *n = local(name);
    if (strcmp(n, "si") == 0) {
        x->in_si = 1;
        if (x->nsst == x->sstcap) {
            size_t nc = x->sstcap ? 2 * x->sstcap : 256;
            size_t *p = realloc(x->soff, nc * sizeof *p);
            if (!p) {
                xfail(x, OT_ENOMEM, "%s: out of memory%s", NULL);
                return;
            }
            x->soff = p;
            x->sstcap = nc;
        }
        x->soff[x->nsst++] = x->sst.n;
    } else if (strcmp(n, "rPh") == 0)
        x->in_rph = 1; /* phonetic guide text: not part of the string */
    else if (strcmp(n, "t") == 0 && x->in_si)
        x->in_t = 1;
}

static void sst_end(void *ud, const XML_Char *name)
{
    xlsx *x = ud;
    const char *n = local(name);
    if (strcmp(n, "si") == 0 && x->in_si) {
        x->in_si = 0;
        if (ot_buf_add(&x->sst, "", 1))
            xfail(x, OT_ENOMEM, "%s: out of memory%s", NULL);
    } else if (strcmp(n, "rPh") == 0)
        x->in_rph = 0;
    else if (strcmp(n, "t") == 0)
        x->in_t = 0;
}

static void sst_text(void *ud, const XML_Char *s, int len)
{
    xlsx *x = ud;
    if (!x->in_si || !x->in_t || x->in_rph || x->rc)
        return;
    if (x->sst.n + (size_t)len > SST_MAX) {
        xfail(x, OT_EDATA, "%s: the workbook's shared strings pass 64 MiB%s", NULL);
        return;
    }
    if (ot_buf_add(&x->sst, s, (size_t)len))
        xfail(x, OT_ENOMEM, "%s: out of memory%s", NULL);
}

/* ---- the sheet ------------------------------------------------------------ */

/* Column of a cell reference such as "C7" (1-based), 0 when none. */
static long ref_col(const char *r)
{
    long c = 0;
    for (; *r >= 'A' && *r <= 'Z' && c < 100000; r++)
        c = c * 26 + (*r - 'A' + 1);
    return c;
}

static long ref_row(const char *r)
{
    while (*r >= 'A' && *r <= 'Z')
        r++;
    long v = 0;
    for (; *r >= '0' && *r <= '9' && v < 100000000; r++)
        v = v * 10 + (*r - '0');
    return v;
}

/* Hands the collected row to the import as one record. */
static void emit_row(xlsx *x)
{
    ctx *c = x->c;
    if (x->nr == 0 || c->stop || c->fatal) {
        x->nr = 0;
        x->rowbuf.n = 0;
        return;
    }
    size_t last = x->rcol[x->nr - 1];
    size_t width = last > x->width ? last : x->width;
    x->width = width; /* rows are padded to the widest so far (the header) */
    if (width > OT_IMPORT_MAX_COLUMNS + 1)
        width = OT_IMPORT_MAX_COLUMNS + 1;
    c->rec_line = x->row;
    c->line = x->row;
    size_t k = 0;
    for (size_t col = 1; col <= width && !c->stop; col++) {
        if (k < x->nr && x->rcol[k] == col) {
            const char *s = x->rowbuf.p + x->roff[k];
            io_add_field(c, s, strlen(s));
            k++;
        } else
            io_add_field(c, "", 0);
    }
    io_record(c);
    x->nr = 0;
    x->rowbuf.n = 0;
}

static void sheet_start(void *ud, const XML_Char *name, const XML_Char **a)
{
    xlsx *x = ud;
    if (x->rc || x->c->stop || x->c->fatal)
        return;
    const char *n = local(name);
    if (strcmp(n, "row") == 0) {
        const char *r = attr(a, "r");
        long row = r ? atol(r) : x->row + 1;
        x->row = row > x->row ? row : x->row + 1;
        x->next_col = 1;
        x->nr = 0;
        x->rowbuf.n = 0;
    } else if (strcmp(n, "c") == 0) {
        const char *r = attr(a, "r"), *t = attr(a, "t"), *s = attr(a, "s");
        x->col = r ? ref_col(r) : x->next_col;
        if (x->col <= 0)
            x->col = x->next_col;
        if (r && ref_row(r) > 0 && ref_row(r) != x->row) {
            emit_row(x); /* a cell of another row: a row element was left out */
            x->row = ref_row(r);
        }
        x->next_col = x->col + 1;
        snprintf(x->ctype, sizeof x->ctype, "%s", t ? t : "n");
        x->cstyle = s ? atoi(s) : 0;
        x->in_cell = 1;
        x->text.n = 0;
        x->cell_long = 0;
    } else if (strcmp(n, "v") == 0 && x->in_cell)
        x->in_v = 1;
    else if (strcmp(n, "is") == 0 && x->in_cell)
        x->in_is = 1;
    else if (strcmp(n, "rPh") == 0)
        x->in_rph = 1;
    else if (strcmp(n, "t") == 0 && x->in_is)
        x->in_t = 1;
}

/* v as the percentage a cell formatted 0.0% shows: the shortest text of v
 * with its decimal point moved two places right, and %, so that no binary
 * rounding enters (0.052 is "5.2%", not 5.2000000000000002).  buf: 48 bytes. */
static const char *percent_text(double v, char *buf, size_t cap)
{
    char s[OT_FMT_DOUBLE_MAX];
    ot_fmt_double(v, s, sizeof s);
    if (strpbrk(s, "eE")) { /* tiny or huge: exactness matters less than a value */
        char t[OT_FMT_DOUBLE_MAX];
        snprintf(buf, cap, "%s%%", ot_fmt_double(v * 100, t, sizeof t));
        return buf;
    }
    const char *p = s;
    char digits[OT_FMT_DOUBLE_MAX + 4], *o = digits;
    int neg = *p == '-';
    p += neg;
    size_t il = strcspn(p, ".");
    const char *frac = p[il] == '.' ? p + il + 1 : "";
    size_t fl = strlen(frac);
    memcpy(o, p, il);
    o += il;
    for (size_t k = 0; k < 2; k++) /* two digits of the fraction (or zeros) join the integer */
        *o++ = k < fl ? frac[k] : '0';
    *o = '\0';
    const char *ip = digits;
    while (ip[0] == '0' && ip[1]) /* 005 -> 5 */
        ip++;
    snprintf(buf, cap, "%s%s%s%s%%", neg ? "-" : "", ip, fl > 2 ? "." : "", fl > 2 ? frac + 2 : "");
    return buf;
}

/* The text of a finished cell, as a CSV field would hold it. */
static void finish_cell(xlsx *x)
{
    const char *t = x->text.n ? x->text.p : "";
    char num[48];
    const char *out = t;
    if (strcmp(x->ctype, "s") == 0) {
        char *end;
        unsigned long i = strtoul(t, &end, 10);
        if (*t && !*end && i < x->nsst)
            out = x->sst.p + x->soff[i];
        else {
            out = "";
            long save = x->c->rec_line;
            x->c->rec_line = x->row;
            io_bad(x->c, x->col, "expected a shared string, found index '%s'", t);
            x->c->rec_line = save;
        }
    } else if (strcmp(x->ctype, "b") == 0)
        out = strcmp(t, "1") == 0 ? "TRUE" : "FALSE";
    else if (strcmp(x->ctype, "n") == 0 && *t && x->cstyle >= 0 && (size_t)x->cstyle < x->nxf &&
             x->xf_kind[x->cstyle] == F_PERCENT) {
        /* as Excel shows it: 0.052 as 5.2% (growth rates are percentages) */
        char *end;
        double v = strtod(t, &end);
        if (!*end && isfinite(v))
            out = percent_text(v, num, sizeof num);
    } else if (strcmp(x->ctype, "n") == 0 && *t && x->cstyle >= 0 && (size_t)x->cstyle < x->nxf &&
             x->xf_kind[x->cstyle] == F_DATE) {
        /* a date serial: days since 1899-12-30 (1904-01-01 in 1904 workbooks) */
        char *end;
        double v = strtod(t, &end);
        if (!*end && isfinite(v) && v >= 1 && v < 2958466) {
            int32_t days = (int32_t)floor(v) - 25569 + (x->date1904 ? 1462 : 0);
            ot_date_format(days, num, sizeof num);
            out = num;
        }
    }
    if (!*out)
        return;
    if (x->nr == x->rcap) {
        size_t nc = x->rcap ? 2 * x->rcap : 64;
        size_t *a = realloc(x->rcol, nc * sizeof *a), *b;
        if (a)
            x->rcol = a;
        b = a ? realloc(x->roff, nc * sizeof *b) : NULL;
        if (!a || !b) {
            xfail(x, OT_ENOMEM, "%s: out of memory%s", NULL);
            return;
        }
        x->roff = b;
        x->rcap = nc;
    }
    if (x->nr && (size_t)x->col <= x->rcol[x->nr - 1]) {
        long save = x->c->rec_line;
        x->c->rec_line = x->row;
        io_bad(x->c, x->col, "expected cells in column order, found this one after a later one");
        x->c->rec_line = save;
        return;
    }
    x->rcol[x->nr] = (size_t)x->col;
    x->roff[x->nr] = x->rowbuf.n;
    if (ot_buf_add(&x->rowbuf, out, strlen(out) + 1)) {
        xfail(x, OT_ENOMEM, "%s: out of memory%s", NULL);
        return;
    }
    x->nr++;
}

static void sheet_end(void *ud, const XML_Char *name)
{
    xlsx *x = ud;
    if (x->rc || x->c->stop || x->c->fatal)
        return;
    const char *n = local(name);
    if (strcmp(n, "c") == 0 && x->in_cell) {
        x->in_cell = x->in_v = x->in_is = x->in_t = 0;
        if (x->cell_long) {
            long save = x->c->rec_line;
            x->c->rec_line = x->row;
            io_bad(x->c, x->col, "expected a cell of at most %d bytes, found a longer one",
                   CELL_MAX);
            x->c->rec_line = save;
            x->c->stop = 1;
            return;
        }
        finish_cell(x);
    } else if (strcmp(n, "v") == 0)
        x->in_v = 0;
    else if (strcmp(n, "is") == 0)
        x->in_is = 0;
    else if (strcmp(n, "t") == 0)
        x->in_t = 0;
    else if (strcmp(n, "rPh") == 0)
        x->in_rph = 0;
    else if (strcmp(n, "row") == 0)
        emit_row(x);
    else if (strcmp(n, "sheetData") == 0)
        emit_row(x);
}

static void sheet_text(void *ud, const XML_Char *s, int len)
{
    xlsx *x = ud;
    if (!x->in_cell || x->in_rph || !(x->in_v || x->in_t) || x->cell_long)
        return;
    if (x->text.n + (size_t)len > CELL_MAX) {
        x->cell_long = 1;
        return;
    }
    if (ot_buf_add(&x->text, s, (size_t)len))
        xfail(x, OT_ENOMEM, "%s: out of memory%s", NULL);
}

/* ---- the whole ------------------------------------------------------------ */

static void free_xlsx(xlsx *x)
{
    for (size_t i = 0; i < x->nsh; i++) {
        free(x->sh[i].name);
        free(x->sh[i].rid);
        free(x->sh[i].target);
    }
    free(x->sh);
    free(x->xf_kind);
    free(x->fmts);
    free(x->sst.p);
    free(x->soff);
    free(x->text.p);
    free(x->rowbuf.p);
    free(x->rcol);
    free(x->roff);
    if (x->z)
        unzClose(x->z);
}

int io_xlsx_read(ctx *c, ot_err *err)
{
    xlsx x;
    memset(&x, 0, sizeof x);
    x.c = c;
    x.err = err;
    if (!(x.z = unzOpen64(c->path))) {
        c->rec_line = 0;
        io_bad(c, 0, "expected an Excel .xlsx workbook (a zip file), found something else");
        c->stop = 1;
        return OT_OK;
    }
    int rc = parse_part(&x, "xl/workbook.xml", 0, wb_start, no_end, no_text, 0);
    if (!rc)
        rc = parse_part(&x, "xl/_rels/workbook.xml.rels", 0, rels_start, no_end, no_text, 0);
    if (!rc && (rc = parse_part(&x, "xl/styles.xml", 1, styles_start, styles_end, no_text, 0)) ==
                   OT_ENOTFOUND)
        rc = OT_OK;
    if (!rc &&
        (rc = parse_part(&x, "xl/sharedStrings.xml", 1, sst_start, sst_end, sst_text, 0)) ==
            OT_ENOTFOUND)
        rc = OT_OK;
    if (rc) {
        free_xlsx(&x);
        if (rc == OT_EDATA) { /* a broken workbook is bad data: listed, exit 65 */
            c->rec_line = 0;
            io_bad(c, 0, "%s", err->msg + (strncmp(err->msg, c->path, strlen(c->path)) == 0
                                                ? strlen(c->path) + 2
                                                : 0));
            c->stop = 1;
            return OT_OK;
        }
        return rc;
    }
    sheet *pick = NULL;
    for (size_t i = 0; i < x.nsh && !pick; i++)
        if (!c->o->sheet || strcmp(x.sh[i].name, c->o->sheet) == 0)
            pick = &x.sh[i];
    if (!pick || !pick->target) {
        char names[512] = "";
        for (size_t i = 0; i < x.nsh; i++) {
            size_t l = strlen(names);
            snprintf(names + l, sizeof names - l, "%s'%s'", i ? ", " : "", x.sh[i].name);
        }
        c->rec_line = 0;
        if (c->o->sheet)
            io_bad(c, 0, "no sheet '%s' (the workbook has %s)", c->o->sheet,
                   x.nsh ? names : "none");
        else
            io_bad(c, 0, "expected a sheet, found none");
        c->stop = 1;
        free_xlsx(&x);
        return OT_OK;
    }
    c->sheet = pick->name;
    rc = parse_part(&x, pick->target, 0, sheet_start, sheet_end, sheet_text, 1);
    if (!rc)
        emit_row(&x);
    if (rc == OT_EDATA) {
        c->rec_line = x.row;
        io_bad(c, 0, "%s", err->msg + (strncmp(err->msg, c->path, strlen(c->path)) == 0
                                           ? strlen(c->path) + 2
                                           : 0));
        c->stop = 1;
        rc = OT_OK;
    }
    /* the sheet's name is used by messages until the file ends: keep it */
    char *keep = pick->name;
    pick->name = NULL;
    free_xlsx(&x);
    c->sheet_owned = keep;
    c->sheet = keep;
    return rc;
}
