/* report.h — the report document, and the one entry to its formats.
 *
 * A report document (ot_report_doc) is a borrowed view: title, as-of date,
 * language, method, and per target the ot_target, its ot_projection and an
 * optional history series for the chart.  Renderers own nothing they are
 * given and write only to the FILE * handed in.  Each format has its own
 * file and header (html.h, md.h, csv.h, json.h, status.h for plain text);
 * this header declares the document and ot_report_write, which dispatches
 * on the format.  Every text that comes from data is escaped for the format
 * it lands in.  Formats and columns: docs/reports.md.  The document of a
 * stored run is built in run/ (run/run.h), not here.
 */
#ifndef OT_REPORT_REPORT_H
#define OT_REPORT_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "core/err.h"
#include "core/series.h"
#include "core/target.h"
#include "project/projection.h"

typedef enum ot_report_lang { OT_LANG_ZH = 0, OT_LANG_EN } ot_report_lang;

typedef enum ot_report_format {
    OT_REPORT_HTML = 0,
    OT_REPORT_MD,
    OT_REPORT_CSV,
    OT_REPORT_JSON,
    OT_REPORT_TXT /* the status table as plain text (report/status.h) */
} ot_report_format;

/* One target of a report.  target and proj are required.  history is the
 * chart's history in the scale of the projected metric, so that its value at
 * the last period of a year is that year's metric: ytd growth % (累计同比)
 * for growth targets, the ytd total for level/count targets of a flow, the
 * level for stocks and rates.  It spans the previous year(s) and the target
 * year through the as-of (monthly or quarterly); NULL draws no history. */
typedef struct ot_report_item {
    const ot_target *target;
    const ot_projection *proj;
    const ot_series *history; /* may be NULL */
    const char *vintage;      /* the data's latest release date ("2023-10-20"); may be NULL */
    long long target_id;      /* the target's id in the store; 0 = not stored */
    const char *ref_name;     /* the ref series' name (浙江省出口总额), NULL = unknown */
    const char *ref_name_en;  /* and in English, NULL = unknown */
    const char *name;         /* the series' name (义乌市出口总额), NULL = unknown */
    const char *name_en;      /* and in English, NULL = unknown */
    ot_kind kind;             /* the series' kind (its metadata; flow when unknown): a
                                 level target of a stock or rate tests its year-end
                                 level, and its test says so */
} ot_report_item;

/* A series' names, for the series a projection's notes mention. */
typedef struct ot_report_name {
    const char *key, *name, *name_en; /* name or name_en NULL = unknown */
    int periods; /* periods in its year: 12 monthly, 4 quarterly; 0 = unknown */
} ot_report_name;

/* A scenario comparison (ot.compare): n targets projected under ncol
 * scenarios, "baseline" first; p[j * n + i] is target i under scenario j. */
typedef struct ot_report_compare {
    const ot_target *targets;  /* n */
    size_t n;
    const char *const *names;  /* ncol */
    size_t ncol;
    const ot_projection *p;    /* ncol * n */
} ot_report_compare;

typedef struct ot_report_doc {
    const char *title;   /* NULL = "目标进度" / "Progress towards targets" */
    const char *as_of;   /* vintage date of the data ("2023-10-20"); NULL = latest */
    ot_report_lang lang;
    const char *method;  /* method asked for ("auto"); NULL = not shown */
    const char *source;  /* what produced it: "run 12 (yiwu_2023)"; NULL = not shown */
    const ot_report_item *items;
    size_t n;
    const ot_report_compare *compares; /* scenario comparisons shown after the table */
    size_t ncompares;
    int csv_raw;         /* CSV: cells as they are, without formula neutralising */
    const ot_report_name *names; /* names of the series notes mention; may be NULL */
    size_t nnames;
    const char *region;  /* who the targets are of, in Chinese ("义乌市"); NULL = not said */
    const char *data_through; /* the data's latest period ("2023-09"); NULL = from the items */
    const char *compiled;     /* the day the report was compiled ("2023-10-25"); NULL = not said */
    const char *known_on;     /* the date the data were read as known on ("2023-10-31"): the
                                 run's vintage date; NULL = the latest data */
    const char *vintage;      /* the newest vintage (release) date among the data read
                                 ("2023-10-20"); NULL = not known */
} ot_report_doc;

/* Sets doc to an empty Chinese report (every pointer NULL, n 0). */
void ot_report_doc_init(ot_report_doc *doc);

/* "zh"/"en" (also "cn", "chinese", "english"); -1 when unknown. */
int ot_report_lang_parse(const char *s, ot_report_lang *out);
/* "html", "md" (also "markdown"), "csv", "json", "txt" (also "text"); -1
 * when unknown. */
int ot_report_format_parse(const char *s, ot_report_format *out);
/* The format for a file name's extension (.html/.htm, .md, .csv, .json,
 * .txt); -1 when the extension is none of them. */
int ot_report_format_from_path(const char *path, ot_report_format *out);

/* The file extensions of the formats, as users are told them. */
#define OT_REPORT_EXTENSIONS ".json, .txt, .md, .csv, .html"

/* Writes doc in format fmt (dispatching to the format's file).  Returns
 * OT_OK, OT_EINVAL for a bad document or format, OT_ENOMEM or OT_EIO. */
int ot_report_write(const ot_report_doc *doc, ot_report_format fmt, FILE *f, ot_err *err);

#endif
