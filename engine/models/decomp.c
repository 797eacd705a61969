/* decomp.c — autocorrelation, the 90% seasonality test and classical
 * decomposition (R's acf() and decompose()). */
#include "models/decomp.h"

#include <math.h>

double ot_acf(const double *y, size_t n, int k)
{
    if (n == 0 || k < 0 || (size_t)k >= n)
        return 0.0;
    double mean = 0.0;
    for (size_t i = 0; i < n; i++)
        mean += y[i];
    mean /= (double)n;
    double den = 0.0, num = 0.0;
    for (size_t i = 0; i < n; i++)
        den += (y[i] - mean) * (y[i] - mean);
    for (size_t i = 0; i + (size_t)k < n; i++)
        num += (y[i] - mean) * (y[i + (size_t)k] - mean);
    return den > 0.0 ? num / den : 0.0;
}

/* thetaf: r <- acf(x, lag.max = m)$acf[-1]; stat <- sqrt((1 + 2 sum(r[-m]^2)) / n);
 * seasonal <- abs(r[m]) / stat > qnorm(0.95). */
int ot_seasonal_test(const double *y, size_t n, int m, size_t min_n)
{
    if (m < 2 || n < min_n || n <= (size_t)m)
        return 0;
    int constant = 1;
    for (size_t i = 1; i < n && constant; i++)
        constant = y[i] == y[0];
    if (constant)
        return 0;
    double s = 1.0;
    for (int k = 1; k < m; k++) {
        double r = ot_acf(y, n, k);
        s += 2.0 * r * r;
    }
    double rm = ot_acf(y, n, m);
    return fabs(rm) > 1.6448536269514722 * sqrt(s / (double)n);
}

/* R: filter <- c(0.5, rep(1, m - 1), 0.5) / m (even m) or rep(1, m) / m (odd),
 * trend <- filter(x, filter, sides = 2); figure[i] <- mean(season[i + k m]). */
int ot_decompose(const double *y, size_t n, int m, int multiplicative, double *idx)
{
    if (m < 2 || n < 2 * (size_t)m)
        return -1;
    size_t half = (size_t)m / 2;
    int even = m % 2 == 0;
    size_t lo = half, hi = n - half; /* trend defined for t in [lo, hi) */
    for (int j = 0; j < m; j++)
        idx[j] = 0.0;
    for (size_t t = lo; t < hi; t++) {
        double tr = 0.0;
        if (even) {
            tr = 0.5 * (y[t - half] + y[t + half]);
            for (size_t j = t - half + 1; j < t + half; j++)
                tr += y[j];
        } else {
            for (size_t j = t - half; j <= t + half; j++)
                tr += y[j];
        }
        tr /= (double)m;
        double d;
        if (multiplicative) {
            if (tr == 0.0)
                return -1;
            d = y[t] / tr;
        } else {
            d = y[t] - tr;
        }
        idx[t % (size_t)m] += d;
    }
    double mean = 0.0;
    for (int j = 0; j < m; j++) {
        /* positions t = j + k m in [lo, hi); n >= 2m gives at least one */
        size_t first = (size_t)j + ((lo > (size_t)j ? lo - (size_t)j + (size_t)m - 1 : 0) / (size_t)m) * (size_t)m;
        size_t cnt = first < hi ? (hi - first - 1) / (size_t)m + 1 : 0;
        idx[j] /= (double)cnt;
        mean += idx[j];
    }
    mean /= m;
    for (int j = 0; j < m; j++) {
        if (multiplicative)
            idx[j] /= mean;
        else
            idx[j] -= mean;
    }
    return 0;
}
