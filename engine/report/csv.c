/* csv.c — the report as CSV (RFC 4180): one header line with the fixed
 * column names of docs/reports.md (the first twenty are those of the job
 * outputs in docs/scheduling.md, in the same order), one row per target.  Numbers are plain
 * (%.10g, "." decimal point, no thousands separator, no "%"), empty when
 * not defined, so spreadsheets and scripts read them as numbers. */
#include "report/html.h"

#include <math.h>
#include <string.h>

#include "report/words.h"

/* The column names, in order: a stable interface (docs/reports.md). */
static const char header[] =
    "target_id,label,series,year,kind,op,value,as_of,through,point,lo80,hi80,lo95,hi95,prob,"
    "required,carry,outcome,status,method,ref,ytd_growth,periods_left,notes\r\n";

/* Writes one field, quoted when it holds a comma, quote, CR or LF (quotes
 * doubled), followed by sep.  NULL is an empty field. */
static void field(FILE *f, const char *s, int sep)
{
    if (s && s[strcspn(s, ",\"\r\n")]) {
        fputc('"', f);
        for (; *s; s++) {
            if (*s == '"')
                fputc('"', f);
            fputc(*s, f);
        }
        fputc('"', f);
    } else if (s) {
        fputs(s, f);
    }
    fputc(sep, f);
}

static void num(FILE *f, double x)
{
    if (!isnan(x) && !isinf(x))
        fprintf(f, "%.10g", x);
    fputc(',', f);
}

int ot_report_csv(const ot_report_doc *doc, FILE *f, ot_err *err)
{
    int rc = report_check_doc(doc, err);
    if (rc != OT_OK)
        return rc;
    fputs(header, f);
    for (size_t i = 0; i < doc->n; i++) {
        const ot_target *t = doc->items[i].target;
        const ot_projection *p = doc->items[i].proj;
        if (doc->items[i].target_id > 0)
            fprintf(f, "%lld", doc->items[i].target_id);
        fputc(',', f);
        field(f, t->label, ',');
        field(f, t->series, ',');
        fprintf(f, "%d,", t->year);
        field(f, ot_target_kind_name(t->kind), ',');
        field(f, ot_target_op_name(t->op), ',');
        num(f, t->value);
        field(f, doc->as_of, ',');
        field(f, p->latest, ',');
        num(f, p->point);
        num(f, p->lo80);
        num(f, p->hi80);
        num(f, p->lo95);
        num(f, p->hi95);
        num(f, p->prob);
        num(f, p->required);
        num(f, p->carry);
        num(f, p->outcome);
        field(f, ot_proj_status_name(p->status), ',');
        field(f, p->method, ',');
        field(f, t->ref, ',');
        num(f, p->ytd_growth);
        fprintf(f, "%d,", p->periods_left);
        field(f, p->notes, '\r');
        fputc('\n', f);
    }
    if (ferror(f))
        return ot_err_set(err, OT_EIO, "cannot write the CSV report");
    return OT_OK;
}
