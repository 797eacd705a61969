/* plot.h — a series as a terminal bar chart of Unicode block characters
 * (s:plot in Lua): the last `width` values in `height` rows, the top and
 * bottom values as labels, the first and last period below, a dotted line
 * at a target.  Writes into a caller's buffer, as snprintf does, so callers
 * (the Lua binding) can size a GC-owned buffer first; allocates nothing.
 */
#ifndef OT_REPORT_PLOT_H
#define OT_REPORT_PLOT_H

#include <stddef.h>

#include "core/series.h"

#define OT_PLOT_MAXW 400
#define OT_PLOT_MAXH 60

/* Writes the chart of s (width 2..OT_PLOT_MAXW, height 1..OT_PLOT_MAXH;
 * target NaN for none) into buf (cap bytes, NUL-terminated, cut when too
 * small; buf may be NULL when cap is 0).  Returns the length the whole
 * chart needs, without the NUL.  "(nothing to plot)" when no value is
 * finite. */
size_t ot_report_plot(const ot_series *s, int width, int height, double target, char *buf,
                      size_t cap);

#endif
