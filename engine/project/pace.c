/* pace.c — the arithmetic of year-to-date growth, shares and required pace
 * (docs/methods-projection.md §1).  Percent in, percent out. */
#include "project/projection.h"

#include <math.h>

/* A year's total is last year's total times s(1+g) + (1-s)(1+r): the ytd part
 * grew g over last year's ytd (a share s of last year's total), the rest grew
 * r over the same periods last year.  G = s(1+g) + (1-s)(1+r) - 1. */
double ot_pace_full_year(double g, double s, double r)
{
    return (s * (1 + g / 100) + (1 - s) * (1 + r / 100) - 1) * 100;
}

/* Solving G = T for r: r* = ((1+T) - s(1+g)) / (1-s) - 1.  Undefined when the
 * year is done (s >= 1) or s is unknown.  Before any period of the year
 * (s = 0) the whole year needs T, and there is no ytd growth to know. */
double ot_pace_required(double T, double g, double s)
{
    if (s == 0)
        return T;
    if (!(s >= 0 && s < 1) || isnan(T) || isnan(g))
        return NAN;
    return (((1 + T / 100) - s * (1 + g / 100)) / (1 - s) - 1) * 100;
}
