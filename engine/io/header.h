/* header.h — reading a statistics table's column headings: the indicator,
 * the measure word (累计值, 本月, 累计增长, 同比 …) and the unit in
 * brackets, and finding the series a heading names among the stored names
 * (key, name, name_en, aliases) or the lines of a --map file.  Owns the
 * names it loads; no store writes.  Internal to engine/io.
 */
#ifndef OT_IO_HEADER_H
#define OT_IO_HEADER_H

#include <stddef.h>
#include <stdio.h>

#include "core/err.h"
#include "io/import.h"
#include "store/store.h"

#define IO_NAME_MAX 256
#define IO_UNIT_MAX 64

enum { IO_GROWTH_NONE = 0, IO_GROWTH_OF_BASE = 1, IO_BASE = 2 };

/* One heading taken apart. */
typedef struct io_heading {
    char name[IO_NAME_MAX]; /* the indicator: measure words, unit and separators taken off */
    int measure;            /* the ot_measure a measure word names, or -1 */
    int growth;             /* 绝对值 (IO_BASE) / 增长, 增速 (IO_GROWTH_OF_BASE) / none */
    char unit[IO_UNIT_MAX]; /* from (亿元), （%）, a trailing %; "" when none */
} io_heading;

/* Opens path for reading into *out, a data file or a map: one that is
 * missing, not readable or a folder is missing input (OT_ENOTFOUND, exit
 * 66), another failure OT_EIO; the message names it as what (such as
 * "the map "), then path. */
int io_open_input(const char *path, const char *what, FILE **out, ot_err *err);

/* Takes text apart (NUL-terminated UTF-8; longer names are cut). */
void io_heading_parse(const char *text, io_heading *h);
/* Whether two units are the same as headings write them: blanks ignored,
 * full-width ％ as % (亿 元 is 亿元), and spellings of one unit alike
 * (100m_cny is 亿元, pct is %: ot_unit_canonical). */
int io_same_unit(const char *a, const char *b);

/* The measure of a heading (top over sub, sub may be NULL): a measure word
 * of sub, else one of top; 绝对值 is the base measure and 增长 its growth
 * (value -> yoy, ytd -> ytd_yoy), the base being top's measure word or
 * `dflt`.  *explicit_out is 1 when a word decided it.  Returns the measure. */
ot_measure io_heading_measure(const io_heading *top, const io_heading *sub, ot_measure dflt,
                              int *explicit_out);

/* A measure as a cell gives it: its name (value, ytd, yoy, ytd_yoy, any
 * case) or one measure word that names one alone (累计值 ytd, 当月值 value,
 * 累计同比 ytd_yoy, 当月同比 yoy …; not 增长 or 绝对值, whose measure
 * depends on the table).  0 and *out set, or -1. */
int io_measure_cell(const char *s, ot_measure *out);

typedef struct io_names io_names;

/* Loads every stored series' names (and, when map_path is not NULL, the
 * lines `header,series[,measure]` of that CSV file, in the call's encoding:
 * GBK/GB18030 decoded, UTF-8 checked).  Returns new in *out;
 * free with io_names_free.  OT_ENOMEM, OT_EIO; OT_ENOTFOUND when the map
 * file cannot be opened; OT_EDATA with file:line:col for a bad map line. */
int io_names_load(ot_store *st, const char *map_path, ot_encoding enc, io_names **out,
                  ot_err *err);
void io_names_free(io_names *n);
/* Reads the map file at path and keeps nothing: OT_OK when it is a map,
 * else as io_names_load (OT_ENOTFOUND when it cannot be opened or is a
 * folder, OT_EDATA with file:line:col for a bad line).  Checked before an
 * import begins, so a mistyped --map is an error even when no table of the
 * call needs it. */
int io_map_check(const char *path, ot_encoding enc, ot_err *err);
/* Whether n was loaded with a --map file; then *hash is the XXH64 of its
 * bytes (part of a table import's identity: a corrected map is read again). */
int io_names_map_hash(const io_names *n, uint64_t *hash);
/* Adds one series (a key created earlier in this import); OT_ENOMEM. */
int io_names_add(io_names *n, const char *key, const char *unit, ot_freq freq);

/* What a heading resolved to. */
typedef struct io_match {
    const char *key;  /* owned by the io_names */
    const char *unit; /* the series' unit, NULL when none */
    ot_freq freq;     /* the series' frequency, OT_FREQ_NONE when unknown */
    int measure;      /* from the map file, or -1 */
} io_match;

/* Finds the series full (the whole heading text) or name (its indicator
 * part) names: a --map line for either first, then a key, name, name_en
 * (any case) or alias equal to name once blanks are taken out.  Returns the
 * number of distinct series that match (0, 1, or 2 for "two or more") and
 * fills *m with the first; *other (may be NULL) the second's key. */
int io_names_find(const io_names *n, const char *full, const char *name, io_match *m,
                  const char **other);
/* A --map line for the whole heading (folded as above) only: 1 and *m
 * filled, else 0.  For `period,KEY,…` files, whose headings are keys unless
 * the map says otherwise. */
int io_names_map_find(const io_names *n, const char *heading, io_match *m);
/* The series key itself, when one is stored (for the freq and unit). */
int io_names_key(const io_names *n, const char *key, io_match *m);

#endif
