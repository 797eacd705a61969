/* table.h — plain-text tables whose columns stay aligned with Chinese text.
 *
 * Cells are UTF-8; widths are display columns (East Asian wide characters
 * count two), measured with utf8proc.  A table owns copies of its cells.
 * Used by `show`, `project`, the REPL and Lua's __tostring.  No I/O beyond
 * the FILE * or buffer it is handed.
 */
#ifndef OT_REPORT_TABLE_H
#define OT_REPORT_TABLE_H

#include <stddef.h>
#include <stdio.h>

#include "core/err.h"

typedef struct ot_table ot_table;

/* Display width of a UTF-8 string in terminal columns (invalid bytes count 1). */
size_t ot_display_width(const char *s);

/* Formats a value for a table: up to `decimals` decimals, trailing zeros
 * dropped, "" for NaN.  Returns buf. */
char *ot_fmt_num(double x, int decimals, char *buf, size_t cap);

/* Copies s into buf, cut to at most maxw display columns: a cut string
 * ends in "…" and never splits a character.  Returns buf. */
char *ot_fmt_clip(const char *s, size_t maxw, char *buf, size_t cap);

/* Returns a new table of ncols columns; free with ot_table_free.  NULL and
 * err set when out of memory. */
ot_table *ot_table_new(size_t ncols, ot_err *err);
void ot_table_free(ot_table *t);
/* Sets the header (ncols cells; NULL cells print empty). */
int ot_table_header(ot_table *t, const char *const *cells, ot_err *err);
/* Appends a row of ncols cells (copied; control characters, line breaks
 * among them, become spaces: a cell is one line). */
int ot_table_row(ot_table *t, const char *const *cells, ot_err *err);
/* Appends a horizontal rule between rows. */
int ot_table_rule(ot_table *t, ot_err *err);
/* Right-aligns column col (numbers); columns are left-aligned by default. */
void ot_table_right(ot_table *t, size_t col);
/* Number of body rows (rules not counted). */
size_t ot_table_rows(const ot_table *t);
/* Writes the table to f: header, a rule, the rows; two spaces between columns. */
int ot_table_print(const ot_table *t, FILE *f);
/* Writes the table into a new NUL-terminated string (caller frees with free()). */
char *ot_table_string(const ot_table *t, ot_err *err);

#endif
