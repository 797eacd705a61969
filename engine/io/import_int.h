/* import_int.h — what the import's source files share: the context of one
 * file being imported and, by the file that provides them, the record and
 * error helpers (record.c), the observation put and period cells (put.c),
 * the named-column formats (named.c), tables (table.c: wide files and
 * statistics bureaus' tables), and the readers that hand records to them
 * (csvread.c for CSV, xlsx.c and xls.c for workbooks).  Internal to
 * engine/io; import.c ties them together.
 */
#ifndef OT_IO_IMPORT_INT_H
#define OT_IO_IMPORT_INT_H

#include <stdint.h>
#include <stdio.h>

#include "io/header.h"
#include "io/import.h"
#include "io/seen.h"

typedef struct table table;

/* Bytes read from a file at a time (the CSV reader's buffer is IO_CHUNK + 16,
 * its decode buffer 2 * IO_CHUNK + 16). */
#define IO_CHUNK 65536

/* The year-to-date check (table.c): adjacent months of one series' values,
 * within a year (rises, falls) and across the turn of a year (drops below
 * half of December, or not). */
typedef struct io_shape {
    int have;
    ot_period prev;
    double prev_v;
    long rises, falls, drops, nodrops;
} io_shape;
/* Notes v at p (monthly periods only). */
void io_shape_note(io_shape *s, ot_period p, double v);
/* Whether the values noted look year-to-date: at least six rises, no fall
 * within a year, and every turn of a year a drop. */
int io_shape_cumulative(const io_shape *s);

/* A dated January of its own this file gave (checked at its end by
 * io_janfeb_end). */
typedef struct io_jan {
    char *key;
    ot_measure m;
    ot_ord ord;
    int32_t vintage;
    long line, col;
} io_jan;

typedef struct ctx {
    ot_store *st;
    const ot_import_opts *o;
    ot_import_stats *stats;
    ot_import_errors *errs;
    const char *path;
    const char *sheet;  /* workbooks: positions are sheet:cell */
    char *sheet_owned;  /* the sheet's name, freed with the context */
    uint64_t hash;
    long long size;     /* bytes in the file */
    int64_t import_id;
    long long inserted; /* by this file */

    ot_import_format fmt;
    ot_measure measure; /* wide: --measure, value when not given */
    int map[32];        /* long, targets, series: field index of each named column, -1 */
    size_t ncols;       /* header width */
    table *t;           /* wide files and tables (table.c) */
    io_names *names;    /* the store's series names, loaded for a table's header */

    /* the current record: fields NUL-terminated in buf at off[i] */
    char *buf;
    size_t blen, bcap;
    size_t *off;
    size_t nf, fcap;
    int row_bad;        /* a field of this record was refused (encoding) */

    long line;          /* physical line being fed to libcsv, 1-based (workbooks: the row) */
    long rec_line;      /* line where the current record began */
    long next_line;     /* line where the next record begins (for end-of-file errors) */
    size_t unended;     /* bytes fed since the last field ended */
    int cr;             /* the last byte fed ended a line with CR */
    int header_done;
    int stop;           /* ignore the rest of the file (already imported, bad header) */
    int fatal;          /* the code of a non-data failure (also in *ferr), or 0 */
    ot_err *ferr;

    char *unit_key;     /* long: the key whose unit was last stored */
    char *freq_key;     /* long: the key whose frequency is freq_val */
    ot_freq freq_val;
    char *shape_key;    /* long: the key of the run of value rows being checked */
    long shape_line;    /* the line where that run began */
    io_shape shape;
    io_seen seen;       /* targets, series: the stored rows this file gave, by id */
    long seen_line;     /* the line that first gave a row given again */
    io_seen janfeb;     /* Januaries and January–February rows given (janfeb_check) */
    io_jan *jans;       /* dated Januaries given, for io_janfeb_end */
    size_t njan, capjan;
} ctx;

/* ---- record.c: the current record and its problems ---- */

/* Records a data problem at the current record (c->rec_line), column col
 * (1-based, 0 = none); positions are sheet:cell in a workbook. */
void io_bad(ctx *c, long col, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Records a failure that ends the import (I/O, memory, database). */
void io_fatal(ctx *c, const ot_err *e);
void io_fatal_code(ctx *c, int code, const char *msg);
/* Whether rows still go to the store (until a failure that ends the call). */
int io_writing(const ctx *c);
/* Field i of the record (NUL-terminated), "" when absent. */
const char *io_field(const ctx *c, size_t i);
/* Checks a series key (ot_key_check); records the problem, returns 0 when bad. */
int io_key_ok(ctx *c, const char *key, long col);
/* "monthly", "quarterly", "yearly", "daily" (for messages). */
const char *io_freq_word(ot_freq f);
/* Parses a value cell: V_OK, V_MISSING, or V_BAD (recorded). */
int io_value_of(ctx *c, const char *s, long col, double *v);
/* Appends one field of len bytes to the current record (the first field of a
 * record starts it at line c->line). */
void io_add_field(ctx *c, const char *s, size_t len);
/* Hands one record to the format's row handler (the CSV reader and the
 * workbook readers call it once the fields are in c->buf/c->off). */
void io_record(ctx *c);

/* ---- put.c: observations and the import record ---- */

/* Puts one observation; data problems recorded at col, res (may be NULL)
 * receives what the store did; returns OT_OK or the store's code. */
int io_put_obs(ctx *c, const char *key, ot_measure m, ot_period p, double v, int32_t vintage,
               const char *source, long col, ot_put_result *res);
/* At the end of a file: each dated January it gave that a stored
 * January–February release covers for good (ot_store_january_covered) is
 * an error at its row.  io_jans_free releases the list. */
void io_janfeb_end(ctx *c);
void io_jans_free(ctx *c);
/* Records the import of the current file (after its header) unless the same
 * content, format and as-of was imported before (then c->stop). */
void io_begin_import(ctx *c, const char *fmtname);
/* The period of a cell for a series of frequency want (OT_FREQ_NONE when
 * new): a bureau's 1-8月 range for a year-to-date measure (and for a measure
 * a heading word gave, as the month it ends), a date (2024/8/1, or an Excel
 * serial when serial_ok) read as its month, quarter or year when the series
 * has that frequency.  Records the problem (with the key) and returns -1 when
 * bad. */
int io_cell_period(ctx *c, const char *s, long col, ot_measure m, int word, ot_freq want,
                   const char *key, int serial_ok, ot_period *p);

/* ---- named.c: long, targets and series files ---- */

/* Takes the first record as the header: decides the format, maps the
 * columns and records the import; hands a table to table.c. */
void io_header(ctx *c);
/* Takes one data record of a long, targets or series file. */
void io_named_row(ctx *c);
/* Long files: ends the year-to-date check of the current run of rows. */
void io_long_shape_end(ctx *c);

/* ---- table.c: wide files and bureaus' tables ---- */

/* io_table_record takes the current record; io_table_end finishes the file
 * (end-of-file checks, the column report); io_table_free releases the table
 * state (accepts NULL). */
void io_table_record(ctx *c);
/* Whether s names a table's period column: period, 时间, 日期, 期别, 月份,
 * 时期, 年月, 统计时间 … (blanks ignored). */
int io_table_period_word(const char *s);
void io_table_end(ctx *c);
void io_table_free(table *t);

/* ---- readers: each feeds its rows through io_add_field/io_record ---- */

/* csvread.c: parses the CSV file f (positioned at its start) with the
 * caller's buffers raw (IO_CHUNK + 16) and dec (2 * IO_CHUNK + 16); problems
 * are recorded, failures to set up (iconv, memory) returned. */
int io_csv_read(ctx *c, FILE *f, char *raw, char *dec, ot_err *err);
/* xlsx.c, xls.c: read path (already hashed: c->hash) with c->line the 1-based
 * row; problems are recorded, failures returned. */
int io_xlsx_read(ctx *c, ot_err *err);
int io_xls_read(ctx *c, ot_err *err);

#endif
