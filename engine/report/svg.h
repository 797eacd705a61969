/* svg.h — chart helpers of report/ (internal): axis ticks.
 * Pure arithmetic, no allocation.
 */
#ifndef OT_REPORT_SVG_H
#define OT_REPORT_SVG_H

/* Axis ticks for the data range [lo, hi] with about `want` ticks (>= 2),
 * by Heckbert's "nice numbers" (Graphics Gems, 1990): the step is 1, 2 or
 * 5 times a power of ten, the axis runs from *first to *last (multiples of
 * the step enclosing [lo, hi]) and labels need *nfrac decimals.  A range
 * of zero width is widened by 1 (or 10% of |lo|) each side.  Returns the
 * number of ticks. */
int report_nice_ticks(double lo, double hi, int want, double *first, double *last, double *step,
                      int *nfrac);

/* Heckbert's nicenum: a nice number near x (> 0), rounded when round is
 * non-zero, else the nice number >= x. */
double report_nicenum(double x, int round);

#endif
