/* shape.h — the within-year shape of a series' history (internal to project/).
 *
 * From a frame's complete past years: the share s of periods 1..k in the
 * annual total (mean and year-to-year sd), the cumulative shares of every
 * period, and the history of u = r - g_k, the growth of the rest of the year
 * minus the ytd growth at k (docs/methods-projection.md §3).  Used on the
 * target's own series when its history suffices, else on the reference named
 * by the target's or series' `shape`.  No allocation.
 */
#ifndef OT_PROJECT_SHAPE_H
#define OT_PROJECT_SHAPE_H

#include "project/frame.h"

#define SHAPE_S_YEARS 5  /* years averaged for s */
#define SHAPE_U_YEARS 8  /* years of u history */
#define SHAPE_MAXP 12

typedef struct shape {
    int k;                  /* in the frame's own periods */
    int s_n;                /* years behind s (0: no share) */
    double s_mean, s_sd;    /* share of periods 1..k in the annual total */
    double cum[SHAPE_MAXP + 1]; /* mean cumulative share through period j; cum[0] = 0;
                               NaN when s_n == 0 */
    int u_n;                /* years behind u (0: none) */
    double u_mean, u_sd;    /* r - g_k, points */
    double u[SHAPE_U_YEARS];
    int u_year[SHAPE_U_YEARS]; /* the year of each u */
    int s_first, s_last;    /* years behind s (for notes) */
    int u_first, u_last;    /* years behind u */
} shape;

/* Measures the shape of f through k of P_target periods (k converted to f's
 * frequency: k * f->P / P_target, which must be whole) over the complete
 * years before year Y.  Always fills *out; s_n and u_n say what was found. */
void shape_measure(const frame *f, int Y, int k, int P_target, shape *out);

#endif
