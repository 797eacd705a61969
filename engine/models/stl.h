/* stl.h — seasonal-trend decomposition by loess (Cleveland, Cleveland,
 * McRae & Terpenning 1990), the algorithm of R's stats::stl (stl.f), used
 * by auto ARIMA's seasonal-strength test as forecast::nsdiffs uses mstl().
 *
 * Works on caller-owned arrays; allocates only its workspace, through the
 * allocator given.  Never reads or writes anything else.
 */
#ifndef OT_MODELS_STL_H
#define OT_MODELS_STL_H

#include <stddef.h>

#include "core/err.h"

/* The windows (odd spans, in observations), loess degrees (0 or 1), jumps
 * (loess evaluated every jump-th point, linear between) and iteration counts
 * of one decomposition, with stats::stl's names. */
typedef struct ot_stl_opts {
    int period;
    int s_window, s_degree, s_jump;
    int t_window, t_degree, t_jump;
    int l_window, l_degree, l_jump;
    int inner, outer;
} ot_stl_opts;

/* R's defaults for stl(x, s.window, robust): s.degree 0, t.window
 * nextodd(ceiling(1.5 period / (1 - 1.5 / s.window))), t.degree 1,
 * l.window nextodd(period), l.degree 1, each jump ceiling(window / 10),
 * inner 2 and outer 0 (robust: inner 1, outer 15).  Never fails. */
void ot_stl_defaults(ot_stl_opts *o, int period, int s_window, int robust);

/* Decomposes y[0..n) into seasonal[0..n) and trend[0..n) (remainder =
 * y - seasonal - trend); weights (may be NULL) gets the robustness weights
 * (all 1 when o->outer is 0).  Outputs are written only on success.  Returns
 * OT_OK; OT_EINVAL and err set when period < 2 or n <= 2 period ("series is
 * not periodic or has less than two periods", as R) or a degree is not 0 or
 * 1; OT_ENOMEM when the workspace cannot be had (a NULL a means malloc). */
int ot_stl(const double *y, size_t n, const ot_stl_opts *o, const ot_alloc *a, double *seasonal,
           double *trend, double *weights, ot_err *err);

#endif
