/* import.h — CSV import into the store: long, wide, targets and series files.
 *
 * Streams each file through libcsv with a fixed read buffer; rows go straight
 * into the store's prepared statements, so memory stays flat whatever the
 * file size.  One call is one transaction: on any bad row the whole call is
 * rolled back and every problem is reported as `file:line:column: expected X,
 * found 'Y'` (the first OT_IMPORT_MAX_ERRORS, then a count).  Formats are
 * DESIGN.md's "CSV formats"; docs/formats.md has the details.  Uses iconv for
 * GBK/GB18030 input.
 */
#ifndef OT_IO_IMPORT_H
#define OT_IO_IMPORT_H

#include <stdint.h>
#include <stdio.h>

#include "core/err.h"
#include "store/store.h"

typedef enum ot_import_format {
    OT_FORMAT_AUTO = 0, /* from the header row */
    OT_FORMAT_LONG,
    OT_FORMAT_WIDE,     /* `period,KEY,...`, or a statistics bureau's table */
    OT_FORMAT_TARGETS,
    OT_FORMAT_SERIES
} ot_import_format;

typedef enum ot_encoding {
    OT_ENCODING_UTF8 = 0, /* with or without BOM */
    OT_ENCODING_GBK       /* GBK / GB18030, converted with iconv */
} ot_encoding;

/* "auto", "long", "wide", "targets", "series"; and back (-1 when unknown). */
const char *ot_import_format_name(ot_import_format f);
int ot_import_format_parse(const char *s);
/* "utf-8"/"utf8" and "gbk"/"gb18030"/"gb2312" (any case); -1 when unknown. */
int ot_encoding_parse(const char *s);
/* The spreadsheet letters of a 1-based column (1 = A, 27 = AA) into buf (cap >= 8). */
const char *ot_import_col_letters(long col, char *buf);

/* One column of a table as the import mapped it (for --dry-run and the
 * report); in the indicator-per-row layout, one row.  Strings are valid
 * during the callback only. */
typedef struct ot_import_column {
    const char *file;     /* as given (with ":sheet" for a workbook) */
    long line, col;       /* where its heading is (col 0 for a row label) */
    const char *heading;  /* the heading as printed: "社会消费品零售总额 / 累计增长(%)" */
    const char *key;      /* the series */
    ot_measure measure;
    const char *unit;     /* the heading's unit, or the series' unit; may be NULL */
    ot_period first, last; /* periods given a value (meaningless when rows == 0) */
    long long rows;       /* values read */
    long long inserted;   /* new observations or new vintages */
    long long unchanged;  /* same as stored */
    long long missing;    /* missing markers */
} ot_import_column;

/* A row skipped: empty, a note (注：…, 数据来源…) or a title above the
 * header.  text is the first non-empty cell (valid during the callback). */
typedef struct ot_import_skip {
    const char *file;
    long line;
    const char *why;      /* "empty", "note" or "title" */
    const char *text;
} ot_import_skip;

/* What an import tells as it goes; every member may be NULL. */
typedef struct ot_import_report {
    void (*column)(void *ud, const ot_import_column *col);
    void (*skipped)(void *ud, const ot_import_skip *row);
    /* bytes of the current file read so far, of total (0 when unknown) */
    void (*progress)(void *ud, const char *file, long long done, long long total);
    void *ud;
} ot_import_report;

typedef struct ot_import_opts {
    ot_import_format format; /* OT_FORMAT_AUTO */
    ot_measure measure;      /* wide files: the measure of every column
                                (OT_MEASURE_ANY = value) */
    int32_t as_of;           /* vintage of rows without one; OT_VINTAGE_NONE */
    ot_encoding encoding;
    const char *source;      /* source of rows without one; may be NULL */
    const char *map;         /* --map FILE: headings to series; may be NULL */
    const char *sheet;       /* workbooks: the sheet to read (NULL = the first) */
    int dry_run;             /* check and report everything, then roll back */
    int force_measure;       /* keep value columns that look year-to-date */
    const ot_import_report *report; /* may be NULL */
} ot_import_opts;

#define OT_IMPORT_OPTS_INIT \
    {OT_FORMAT_AUTO, OT_MEASURE_ANY, OT_VINTAGE_NONE, OT_ENCODING_UTF8, NULL, NULL, NULL, 0, 0, NULL}

typedef struct ot_import_stats {
    int files;           /* files read */
    int already;         /* files skipped: same content, format and as-of imported before */
    long long rows;      /* data rows read */
    long long inserted;  /* observations, targets or series written */
    long long unchanged; /* identical to what was stored: nothing written */
    long long missing;   /* values given as a missing marker: not stored */
    long long skipped;   /* table rows skipped: empty, notes, titles */
} ot_import_stats;

#define OT_IMPORT_MAX_ERRORS 20
/* The most columns a wide table may have (Excel's own limit). */
#define OT_IMPORT_MAX_COLUMNS 16384

/* Every problem found in one call, each with file, line and column. */
typedef struct ot_import_errors {
    size_t count;                   /* problems found (may exceed n) */
    size_t n;                       /* kept in e: min(count, OT_IMPORT_MAX_ERRORS) */
    ot_err e[OT_IMPORT_MAX_ERRORS];
} ot_import_errors;

/* Prints each kept error as "file:line:col: message" on its own line, then
 * "... and N more errors" when some were not kept. */
void ot_import_errors_print(const ot_import_errors *errs, FILE *f);

/* Imports paths[0..n) in one transaction.  o may be NULL (defaults); st_out
 * (may be NULL) receives the totals on success; errs (may be NULL) every
 * problem.  With o->dry_run everything is checked and reported, then rolled
 * back (st_out says what would have been written).  Fails with OT_EINVAL
 * when a transaction is already open.  On
 * OT_EDATA nothing is written and err holds the first problem (with location)
 * and its message says how many there were.  Other codes: OT_ENOTFOUND (a
 * file is missing, unreadable or a folder), OT_EIO, OT_ELOCKED, OT_ENOMEM. */
int ot_import_files(ot_store *st, const char *const *paths, size_t n, const ot_import_opts *o,
                    ot_import_stats *st_out, ot_import_errors *errs, ot_err *err);
/* ot_import_files for one file. */
int ot_import_file(ot_store *st, const char *path, const ot_import_opts *o,
                   ot_import_stats *st_out, ot_import_errors *errs, ot_err *err);

#endif
