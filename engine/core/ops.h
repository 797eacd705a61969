/* ops.h — time-series operations: arithmetic, lags, growth, year-to-date,
 * frequency conversion, windows, filling, indices, shares, contributions.
 *
 * Ownership (one rule for the whole API): every op takes const inputs, never
 * modifies them, and returns a NEW series allocated with the first input's
 * allocator, which the caller frees with ot_series_free; NULL and err set on
 * failure (OT_ENOMEM, OT_EINVAL for a caller's mistake, OT_EDATA for data that
 * cannot give an answer, OT_ERANGE for ordinals out of range).  NaN = missing.
 * Uses core only; no Lua, no SQLite.  The Lua bindings map these 1:1.
 *
 * January–February combined releases (DESIGN.md "Two conventions"): on a
 * monthly series a February value whose January is flagged OT_OBS_COVERED is
 * the value of both months.  Generally a present value at t covers the run of
 * COVERED positions just before it (from_ytd can produce runs longer than one
 * month when a ytd series has gaps).  Ops treat such a value as the value of
 * its whole span; details per op below and in docs/ops-semantics.md.
 *
 * Metadata: "same meta" = key, name, unit and kind copied from the input.
 * Growth ops (pct, yoy, ytd_yoy, share) give unit "%", kind RATE;
 * contribution gives unit "pp", kind RATE; index gives unit NULL, kind RATE.
 */
#ifndef OT_CORE_OPS_H
#define OT_CORE_OPS_H

#include "core/err.h"
#include "core/period.h"
#include "core/series.h"

/* Names for enum arguments: NULL-terminated arrays in enum order, directly
 * usable with luaL_checkoption; ot_ops_name_parse returns the index or -1. */
typedef enum ot_agg {
    OT_AGG_SUM = 0,
    OT_AGG_MEAN,
    OT_AGG_LAST,
    OT_AGG_FIRST,
    OT_AGG_NONE /* not named: "by the series' kind" (sum flows, last stocks, mean rates) */
} ot_agg;
typedef enum ot_roll {
    OT_ROLL_MEAN = 0, OT_ROLL_SUM, OT_ROLL_MIN, OT_ROLL_MAX, OT_ROLL_SD
} ot_roll;
typedef enum ot_fill { OT_FILL_LINEAR = 0, OT_FILL_PREVIOUS, OT_FILL_NONE } ot_fill;

extern const char *const ot_agg_names[];   /* "sum", "mean", "last", "first" */
extern const char *const ot_roll_names[];  /* "mean", "sum", "min", "max", "sd" */
extern const char *const ot_fill_names[];  /* "linear", "previous", "none" */
extern const char *const ot_align_names[]; /* "union", "intersect" */
int ot_ops_name_parse(const char *const names[], const char *s);

/* ---- arithmetic ---------------------------------------------------------- */

/* a op b, op one of '+', '-', '*', '/', period by period.  OT_ALIGN_UNION
 * (what Lua's + - * / use): the result spans both inputs and a value is NaN
 * unless both are present (x/0 gives NaN, never inf).  OT_ALIGN_INTERSECT:
 * the result spans only the common range (empty when there is none).
 * Frequencies must match (OT_EINVAL "series frequencies differ (M and Q)").
 * Jan–Feb: where exactly one side has January covered, the other side's
 * January and February are first added up (flows only; for stocks and rates
 * that February is NaN); the result's January is covered where both sides'
 * Januaries are (or were merged).  Result: no key or name, a's kind, a's unit
 * for + and - when both units are equal, else none. */
ot_series *ot_series_binop(const ot_series *a, const ot_series *b, char op, ot_align mode,
                           ot_err *err);
/* s op x, or x op s when scalar_left is non-zero.  Same meta; flags kept. */
ot_series *ot_series_scalar(const ot_series *s, char op, double x, int scalar_left,
                            ot_err *err);
/* -s.  Same meta; flags kept. */
ot_series *ot_series_unm(const ot_series *s, ot_err *err);

/* ---- shifts and differences ---------------------------------------------- */

/* Value at t+k is s's value at t: the same values on a start moved by k
 * (k < 0 leads).  Flags move with the values.  Same meta.  OT_ERANGE when the
 * ordinals would overflow. */
ot_series *ot_series_lag(const ot_series *s, long k, ot_err *err);
/* ot_series_lag(s, -k). */
ot_series *ot_series_lead(const ot_series *s, long k, ot_err *err);
/* s_t - s_{t-k} over s's span (k >= 1; OT_EINVAL otherwise).  On a monthly
 * series with k a multiple of 12, a covered February is compared with the
 * Jan+Feb total k months earlier (as yoy does) and the result keeps the
 * January covered; for other k a span value gives NaN.  Same meta. */
ot_series *ot_series_diff(const ot_series *s, long k, ot_err *err);
/* (s_t / s_{t-k} - 1) * 100, same spans and Jan–Feb rule as diff; NaN when the
 * earlier value is missing or zero.  Unit "%", kind RATE. */
ot_series *ot_series_pct(const ot_series *s, long k, ot_err *err);
/* Growth on the same period a year earlier, %: pct(s, 12|4|1) for M, Q, Y.
 * A covered February is compared with last year's January + February (the sum
 * of both, or last year's February when its January was covered too); NaN
 * when either is missing.  Daily: the same calendar day a year earlier;
 * 29 February has no counterpart and gives NaN. */
ot_series *ot_series_yoy(const ot_series *s, ot_err *err);

/* ---- year to date -------------------------------------------------------- */

/* Running total within each calendar year (M, Q, D; Y is copied).  A missing
 * value makes the rest of that year's totals missing; a COVERED value is
 * counted in the value that covers it, so the covered position's own total is
 * NaN (not flagged: in a ytd series an absent January is how a Jan–Feb release
 * appears) and totals go on from the covering value.  Same meta. */
ot_series *ot_series_ytd(const ot_series *s, ot_err *err);
/* Back from year-to-date totals to period values: v_t = ytd_t - ytd_{t-j} where
 * t-j is the last present total earlier in the same year (0 before January).
 * When j > 1 (one or more totals missing just before t) the value at t covers
 * j periods and the j-1 positions before it are flagged OT_OBS_COVERED: a ytd
 * series without January but with February gives February = the Jan–Feb
 * value and January covered.  The result starts at the first sub-period of
 * s's first year, so a ytd series beginning with 2023-02 still gives a
 * covered 2023-01.  Same meta. */
ot_series *ot_series_from_ytd(const ot_series *s, ot_err *err);
/* Growth of the year-to-date total on the year-to-date total a year earlier,
 * %: ot_series_pct of ot_series_ytd(s) by one year (M, Q; daily by calendar
 * day as yoy).  s holds period values.  Unit "%", kind RATE. */
ot_series *ot_series_ytd_yoy(const ot_series *s, ot_err *err);

/* ---- frequency and windows ----------------------------------------------- */

/* Aggregates to the coarser frequency f (D -> M, Q, Y; M -> Q, Y; Q -> Y; the
 * same frequency copies); how OT_AGG_NONE picks by s->kind: sum for flows,
 * last for stocks, mean for rates.  A target period is complete only when each of its
 * sub-periods is present or covered by a value inside the same target period;
 * incomplete periods (including partial ones at the ends) are NaN.  sum adds
 * the values (a Jan–Feb value counts as both months); mean divides that sum by
 * the number of sub-periods; last / first take the last / first sub-period's
 * value (NaN when that sub-period is covered).  Same meta.  OT_EINVAL when f
 * is finer than s->freq or none. */
ot_series *ot_series_to(const ot_series *s, ot_freq f, ot_agg how, ot_err *err);
/* Values in [from, to] (ordinals in s->freq), missing outside s: as
 * ot_series_slice, except that a value whose span begins before from (a
 * Jan–Feb value in a window from February) is missing, its covered periods
 * uncovered, and covered periods at the end whose value lies after to (a
 * window ending in a covered January) are uncovered, so missing.  OT_EINVAL
 * when to < from. */
ot_series *ot_series_window(const ot_series *s, ot_ord from, ot_ord to, ot_err *err);
/* The data known through period p: a copy of s ending at the last period
 * complete by p's end (ot_period_ord_in), so that a January whose
 * January–February value lies after p is not known either (it is dropped,
 * not left covered).  The one rule for "keep data through P" (db:series with
 * a period as_of, reports of a run cut at a period).  OT_ENOTFOUND ("KEY:
 * nothing known through P") when nothing is left. */
ot_series *ot_series_through(const ot_series *s, ot_period p, ot_err *err);
/* Trailing window of k periods ending at t (k >= 1), NaN until k values.  sum
 * and mean accept covered positions whose covering value is in the window
 * (and no value in the window covers a position before it); min, max and sd
 * (sample, n - 1 divisor; needs k >= 2) need k present values.  Same meta. */
ot_series *ot_series_rolling(const ot_series *s, long k, ot_roll fn, ot_err *err);
/* Fills missing values: linear interpolation between the present values
 * around an interior gap (in ordinal distance); previous carries the last
 * present value forward; none copies.  Leading gaps stay missing; covered
 * positions are never filled.  Same meta, flags kept. */
ot_series *ot_series_fill(const ot_series *s, ot_fill method, ot_err *err);

/* ---- indices, shares, contributions -------------------------------------- */

/* s / base * 100 where base is s's value at the period `base` when it has
 * s's frequency, or the mean of s over it when it is coarser (e.g. a year for
 * monthly data; must be complete as in ot_series_to).  OT_EDATA "index base
 * 2020 is missing" / "... is zero"; OT_EINVAL when base is finer than s. */
ot_series *ot_series_index(const ot_series *s, ot_period base, ot_err *err);
/* s / of * 100 aligned as binop's union (Jan–Feb rule included).  Unit "%". */
ot_series *ot_series_share(const ot_series *s, const ot_series *of, ot_err *err);
/* Contribution of part to total's growth on a year earlier, in percentage
 * points: (part_t - part_{t-1y}) / total_{t-1y} * 100, over part's span; the
 * year-earlier values of a covered February are Jan+Feb totals as in yoy;
 * daily by calendar day.  Summed over the parts it gives the total's yoy. */
ot_series *ot_series_contribution(const ot_series *part, const ot_series *total,
                                  ot_err *err);
/* Levels from yoy growth g (%) and a base series of levels covering at least
 * one year: level_t = level_{t-1y} * (1 + g_t/100) forward, and
 * level_{t-1y} = level_t / (1 + g_t/100) backward; base values are kept where
 * present.  Spans the union of base and g's span extended back one year.
 * A covered February in g grows last year's Jan+Feb total and the result's
 * January is covered.  Meta of base.  OT_EINVAL on frequency mismatch or
 * daily data; OT_EDATA "no base level to start from" when nothing is found. */
ot_series *ot_series_implied_level(const ot_series *g, const ot_series *base, ot_err *err);
/* Splits each Jan–Feb combined value (monthly) into January and February.  A
 * flow's is a two-month total: split by the shares of the same months the
 * year before (Jan' / (Jan' + Feb') taken from s, after splitting that year
 * first); when the year before lacks either month, they sum to zero or a
 * share falls outside [0, 1] (months of opposite signs), into equal halves.
 * A stock's or rate's is the level or growth of each month: both months get
 * it.  Covered flags of the split Januaries are cleared.  Same meta.
 * OT_EINVAL unless monthly. */
ot_series *ot_series_split_janfeb(const ot_series *s, ot_err *err);

#endif
