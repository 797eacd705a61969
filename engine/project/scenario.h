/* scenario.h — named "what if" changes applied to the projected periods.
 *
 * A scenario is a name and an ordered list of operations on series keys:
 * growth (the periods from `from` grow pct % over the same periods last
 * year), shock (the projected values of [from, to] are multiplied by
 * 1 + pct/100, or have an amount added), set (one period's value is fixed).
 * The projection applies them to every sample path of the series they name,
 * in the order added (docs/methods-projection.md §5).  The scenario owns
 * copies of its strings; free with ot_scenario_free.  Core only.
 */
#ifndef OT_PROJECT_SCENARIO_H
#define OT_PROJECT_SCENARIO_H

#include <stddef.h>

#include "core/err.h"
#include "core/period.h"

typedef enum ot_scen_kind {
    OT_SCEN_GROWTH = 0, /* value = growth % over the same period last year */
    OT_SCEN_SHOCK,      /* value = % change of the projected value */
    OT_SCEN_SHOCK_LEVEL,/* value = amount added to the projected value */
    OT_SCEN_SET         /* value = the period's value */
} ot_scen_kind;

typedef struct ot_scen_op {
    ot_scen_kind kind;
    char *key;        /* series key */
    ot_period from;   /* first period affected */
    ot_period to;     /* last period affected (== from for set; growth: to
                         the end of from's year) */
    double value;
} ot_scen_op;

typedef struct ot_scenario {
    char *name;
    size_t n, cap;
    ot_scen_op *ops;
} ot_scenario;

/* Returns a new empty scenario called name; NULL and err set on failure. */
ot_scenario *ot_scenario_new(const char *name, ot_err *err);
/* Frees sc and its operations; accepts NULL. */
void ot_scenario_free(ot_scenario *sc);

/* Appends an operation.  Periods are text as ot_period_parse accepts
 * ("2023-10", "2023Q4"); `to` NULL means the end of from's year (growth,
 * shock).  OT_EINVAL (message names the argument) for a NULL or empty key,
 * an unparseable period, a non-finite value, to before from, or periods of
 * different frequencies or years; OT_ENOMEM.  sc is unchanged on failure. */
int ot_scenario_growth(ot_scenario *sc, const char *key, double pct, const char *from,
                       ot_err *err);
int ot_scenario_shock(ot_scenario *sc, const char *key, double pct, const char *from,
                      const char *to, ot_err *err);
int ot_scenario_shock_level(ot_scenario *sc, const char *key, double amount, const char *from,
                            const char *to, ot_err *err);
int ot_scenario_set(ot_scenario *sc, const char *key, const char *period, double value,
                    ot_err *err);

/* Whether sc (NULL allowed) has an operation on key. */
int ot_scenario_touches(const ot_scenario *sc, const char *key);

#endif
