/* frame.h — one series arranged by year and sub-period (internal to project/).
 *
 * Whatever a bureau publishes for a key — period values, ytd levels, monthly
 * yoy, ytd growth, at monthly, quarterly or annual frequency, with a
 * January–February combined release — is read through the source callback,
 * cut at the as-of day and laid out as year × period tables, each derivable
 * table filled from the others (from_ytd, ytd, yoy growth, implied levels).
 * The frame owns its arrays; free with frame_free.  Core only.
 */
#ifndef OT_PROJECT_FRAME_H
#define OT_PROJECT_FRAME_H

#include <stdint.h>

#include "core/err.h"
#include "core/series.h"
#include "project/projection.h"

typedef struct frame {
    ot_freq freq;        /* M, Q or Y: the finest frequency found */
    int P;               /* periods per year: 12, 4 or 1 */
    ot_kind kind;        /* from the first series found; a rate with values only
                            is read as a stock (a level at each period's end) */
    int y0, ny;          /* years y0 .. y0 + ny - 1 (ny == 0: nothing found) */
    double *val;         /* period values (stocks: end-of-period level) */
    double *ytd;         /* ytd level through the period */
    double *gy;          /* ytd growth % through the period */
    double *yoy;         /* growth % of the period over the same period last year */
    unsigned char *cov;  /* 1 when the period is covered by the next (Jan of Jan–Feb) */
    int last_y, last_j;  /* latest year and period holding any number (0 when none) */
    char unit[64];       /* the unit of its levels (value or ytd) as the source gives it,
                            "" when none is given */
    size_t cells;        /* ny * P: the length of each table */
    ot_alloc alloc;      /* what the tables were allocated with */
} frame;

/* Index of (y, j) in the tables, or -1 outside the frame. */
static inline long frame_at(const frame *f, int y, int j)
{
    if (y < f->y0 || y >= f->y0 + f->ny || j < 1 || j > f->P)
        return -1;
    return (long)(y - f->y0) * f->P + (j - 1);
}

/* Table value at (y, j); NaN outside the frame. */
double frame_get(const frame *f, const double *tab, int y, int j);

/* Reads the measures of key from src, keeping observations whose period ends
 * on or before cut_day (INT32_MAX = all), and derives the missing tables.
 * f is initialised by the call; f->ny == 0 when the source has nothing for
 * key.  Tables come from a (NULL = ot_alloc_std).  OT_EDATA for a daily
 * series, OT_ENOMEM, or the source's error. */
int frame_load(frame *f, const char *key, ot_source_fn src, void *ud, int32_t cut_day,
               const ot_alloc *a, ot_err *err);
void frame_free(frame *f);

/* The latest period of year y with a ytd growth (or, for stocks, a value
 * or a yoy); 0 when none. */
int frame_last_k(const frame *f, int y);

#endif
