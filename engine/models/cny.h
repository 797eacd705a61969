/* cny.h — Chinese New Year: the festival's dates, the moving-holiday
 * regressor, and the methods that use it.
 *
 * The dates 1990–2050 are compiled in (cny.c), so fitting never reads a
 * file.  The regressor is genhol-style (the share of a window of days around
 * the festival falling in each month, centred by calendar-month means); the
 * methods wrap ARIMA and ETS (docs/methods.md, "Chinese New Year").  Nothing
 * here allocates except the methods, through the model's allocator.
 */
#ifndef OT_MODELS_CNY_H
#define OT_MODELS_CNY_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/period.h"
#include "models/model.h"

#define OT_CNY_FIRST_YEAR 1990
#define OT_CNY_LAST_YEAR 2050
#define OT_CNY_BEFORE 7 /* default window: the 7 days before the festival, */
#define OT_CNY_AFTER 7  /* the day itself and the 7 days after (15 days) */
#define OT_CNY_PRE 14   /* the methods' pair: the 14 days before and the day, */
#define OT_CNY_POST 30  /* and the day and the 30 days after */

/* The festival's date in year (days since 1970-01-01) into *days.
 * OT_ERANGE outside OT_CNY_FIRST_YEAR..OT_CNY_LAST_YEAR. */
int ot_cny_date(int year, int32_t *days, ot_err *err);

/* The regressor for n months from ordinal start into out[0..n) (caller's),
 * with the default window.  OT_EINVAL unless f is monthly; OT_ERANGE for a
 * month outside the table's years; out untouched on failure. */
int ot_cny_regressor(ot_freq f, ot_ord start, size_t n, double *out, ot_err *err);

/* The same with a window from `before` days before to `after` days after the
 * festival (0 <= before <= 20, 0 <= after <= 30, so a window never leaves
 * January–March of its year); OT_EINVAL for other widths. */
int ot_cny_regressor_window(ot_freq f, ot_ord start, size_t n, int before, int after,
                            double *out, ot_err *err);

/* The methods (registered in model.c): "arima_cny" and "ets_cny" remove the
 * estimated effects of a pre- and a post-holiday regressor (windows
 * OT_CNY_PRE, OT_CNY_POST) from a positive monthly series, fit the inner
 * method and put the effects back into forecasts and paths; "arima_jf" and
 * "ets_jf" model January+February as one period and split it back. */
extern const ot_method ot_method_arima_cny;
extern const ot_method ot_method_ets_cny;
extern const ot_method ot_method_arima_jf;
extern const ot_method ot_method_ets_jf;

#endif
