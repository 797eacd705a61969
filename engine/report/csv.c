/* csv.c — the report as CSV (RFC 4180): one header line with the fixed
 * column names of docs/reports.md (the first twenty are those of the job
 * outputs in docs/scheduling.md, in the same order), one row per target.
 * Numbers are plain (%.10g, "." decimal point whatever the locale, no
 * thousands separator, no "%"), empty when not defined, so spreadsheets and
 * scripts read them as numbers; text cells that would run as formulas are
 * neutralised (csv.h). */
#include "report/csv.h"

#include <math.h>
#include <string.h>

#include "report/facts.h"
#include "report/words.h"

/* The column names, in order: a stable interface (docs/reports.md). */
static const char header[] =
    "target_id,label,series,year,kind,op,value,as_of,through,point,lo80,hi80,lo95,hi95,prob,"
    "required,carry,outcome,status,method,ref,ytd_growth,periods_left,notes,tolerance,known_on,"
    "vintage\r\n";

/* One row being written: fields after the first ncols are dropped, and
 * the ncols-th ends the line (CRLF). */
typedef struct row {
    FILE *f;
    size_t col, ncols;
    int raw; /* cells as they are (--csv-raw) */
} row;

/* Ends the current field: a comma, or CRLF after the last column. */
static void next(row *r)
{
    fputs(++r->col == r->ncols ? "\r\n" : ",", r->f);
}

void ot_csv_cell(FILE *f, const char *s, int raw)
{
    if (!s)
        return;
    /* OWASP, CSV injection: a cell a spreadsheet would take for a formula
     * gets a leading apostrophe, which shows as text and is not run */
    int formula = !raw && strchr("=+-@\t\r", s[0]) && s[0];
    if (formula || s[strcspn(s, ",\"\r\n")]) {
        fputc('"', f);
        if (formula)
            fputc('\'', f);
        for (; *s; s++) {
            if (*s == '"')
                fputc('"', f);
            fputc(*s, f);
        }
        fputc('"', f);
    } else {
        fputs(s, f);
    }
}

/* A text field (ot_csv_cell). */
static void field(row *r, const char *s)
{
    if (r->col >= r->ncols)
        return;
    ot_csv_cell(r->f, s, r->raw);
    next(r);
}

/* A number (%.10g), empty when not finite. */
static void num(row *r, double x)
{
    if (r->col >= r->ncols)
        return;
    if (!isnan(x) && !isinf(x)) {
        char buf[32];
        snprintf(buf, sizeof buf, "%.10g", x);
        for (char *c = buf; *c; c++) /* a decimal point, whatever LC_NUMERIC says */
            if (*c == ',')
                *c = '.';
        fputs(buf, r->f);
    }
    next(r);
}

/* An integer, empty when skip. */
static void whole(row *r, long long x, int skip)
{
    if (r->col >= r->ncols)
        return;
    if (!skip)
        fprintf(r->f, "%lld", x);
    next(r);
}

int ot_report_csv(const ot_report_doc *doc, FILE *f, ot_err *err)
{
    return ot_report_csv_columns(doc, OT_REPORT_CSV_COLUMNS, f, err);
}

int ot_report_csv_columns(const ot_report_doc *doc, size_t ncols, FILE *f, ot_err *err)
{
    int rc = report_check_doc(doc, err);
    if (rc != OT_OK)
        return rc;
    if (ncols == 0 || ncols > OT_REPORT_CSV_COLUMNS)
        return ot_err_set(err, OT_EINVAL, "CSV columns %zu out of range 1..%d", ncols,
                          OT_REPORT_CSV_COLUMNS);
    const char *h = header;
    for (size_t k = 0; k < ncols; k++) /* the first ncols names */
        h += strcspn(h, ",\r") + 1;
    fprintf(f, "%.*s\r\n", (int)(h - header - 1), header);
    for (size_t i = 0; i < doc->n; i++) {
        const ot_target *t = doc->items[i].target;
        const ot_projection *p = doc->items[i].proj;
        row r = {f, 0, ncols, doc->csv_raw};
        whole(&r, doc->items[i].target_id, doc->items[i].target_id <= 0);
        field(&r, t->label);
        field(&r, t->series);
        whole(&r, t->year, 0);
        field(&r, ot_target_kind_name(t->kind));
        field(&r, ot_target_op_name(t->op));
        num(&r, t->value);
        field(&r, doc->as_of);
        field(&r, p->latest);
        num(&r, p->point);
        num(&r, p->lo80);
        num(&r, p->hi80);
        num(&r, p->lo95);
        num(&r, p->hi95);
        num(&r, p->prob);
        num(&r, p->required);
        num(&r, p->carry);
        num(&r, p->outcome);
        field(&r, ot_proj_status_name(p->status));
        char method[512], notes[4096];
        /* a data format: method and notes in English words, series by key */
        field(&r, ot_report_fact(&p->method, NULL, OT_LANG_EN, NULL, 0, method, sizeof method));
        field(&r, t->ref);
        num(&r, p->ytd_growth);
        whole(&r, p->periods_left, 0);
        field(&r, ot_report_facts(&p->notes, t->ref, OT_LANG_EN, NULL, 0, notes, sizeof notes));
        num(&r, t->tolerance);          /* the band of "=" and in_step */
        field(&r, doc->known_on);       /* the data as known on that date */
        field(&r, doc->items[i].vintage); /* the newest release read of its data */
    }
    if (ferror(f))
        return ot_err_set(err, OT_EIO, "cannot write the CSV report");
    return OT_OK;
}
