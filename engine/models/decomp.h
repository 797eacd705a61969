/* decomp.h — classical decomposition, autocorrelation and the seasonality
 * test shared by naive2, theta and the ETS initial states.
 *
 * Pure functions on caller-owned arrays; no allocation beyond what a
 * prototype says, no errors other than the return values documented.
 */
#ifndef OT_MODELS_DECOMP_H
#define OT_MODELS_DECOMP_H

#include <stddef.h>

/* Sample autocorrelation at lag k as R's acf(): sum of lagged products of
 * deviations over the sum of squared deviations.  0 when y is constant. */
double ot_acf(const double *y, size_t n, int k);

/* The 90% autocorrelation test at lag m used by forecast::thetaf and the
 * M4 benchmarks: |r_m| > 1.645 sqrt((1 + 2 sum_{k<m} r_k^2) / n).  Returns 1
 * when seasonal; 0 when not, when m < 2, when y is constant or when
 * n < min_n (thetaf uses 2m + 1, the M4 code 3m). */
int ot_seasonal_test(const double *y, size_t n, int m, size_t min_n);

/* Classical decomposition as R's decompose(): a centred moving average of
 * order m (2 x m for even m) as the trend, seasonal figures averaged over the
 * detrended values at each position i mod m and normalised (mean 1 when
 * multiplicative, mean 0 when additive).  Writes idx[0..m) (idx[j] is the
 * figure for positions j, j + m, ...).  Returns 0, or -1 when n < 2m or
 * m < 2, or when a multiplicative trend value is 0. */
int ot_decompose(const double *y, size_t n, int m, int multiplicative, double *idx);

#endif
