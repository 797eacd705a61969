/* scenario.c — building scenarios: validated operations on series keys. */
#include "project/scenario.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

ot_scenario *ot_scenario_new(const char *name, ot_err *err)
{
    ot_scenario *sc = calloc(1, sizeof *sc);
    if (!sc || !(sc->name = strdup(name ? name : ""))) {
        free(sc);
        ot_err_set(err, OT_ENOMEM, "out of memory");
        return NULL;
    }
    return sc;
}

void ot_scenario_free(ot_scenario *sc)
{
    if (!sc)
        return;
    for (size_t i = 0; i < sc->n; i++)
        free(sc->ops[i].key);
    free(sc->ops);
    free(sc->name);
    free(sc);
}

/* Parses the period text `s` of argument `what` into *p. */
static int parse_period(const char *what, const char *s, ot_period *p, ot_err *err)
{
    ot_err e;
    if (!s || !*s)
        return ot_err_set(err, OT_EINVAL, "scenario: %s period missing", what);
    if (ot_period_parse(s, (size_t)-1, p, &e) != OT_OK)
        return ot_err_set(err, OT_EINVAL, "scenario: bad %s period '%s'", what, s);
    if (p->freq == OT_FREQ_D || p->freq == OT_FREQ_NONE)
        return ot_err_set(err, OT_EINVAL,
                          "scenario: %s period '%s' must be a month, quarter or year", what, s);
    return OT_OK;
}

/* Validates and appends one operation; `to` NULL = the last period of from's
 * year.  The scenario is unchanged on failure. */
static int add(ot_scenario *sc, ot_scen_kind kind, const char *key, double value,
               const char *from, const char *to, ot_err *err)
{
    ot_scen_op op;
    if (!sc)
        return ot_err_set(err, OT_EINVAL, "scenario: no scenario");
    if (!key || !*key)
        return ot_err_set(err, OT_EINVAL, "scenario: series key missing");
    if (!isfinite(value))
        return ot_err_set(err, OT_EINVAL, "scenario %s: value for '%s' is not a finite number",
                          sc->name, key);
    memset(&op, 0, sizeof op);
    op.kind = kind;
    op.value = value;
    int rc = parse_period("from", from, &op.from, err);
    if (rc)
        return rc;
    /* a Jan–Feb combined period starts in January */
    if (op.from.span > 1) {
        op.from.ord -= op.from.span - 1;
        op.from.span = 1;
    }
    if (kind == OT_SCEN_SET) {
        op.to = op.from;
    } else if (to) {
        if ((rc = parse_period("to", to, &op.to, err)))
            return rc;
        op.to.span = 1;
        if (op.to.freq != op.from.freq)
            return ot_err_set(err, OT_EINVAL, "scenario: from '%s' and to '%s' differ in frequency",
                              from, to);
        if (op.to.ord < op.from.ord)
            return ot_err_set(err, OT_EINVAL, "scenario: to '%s' is before from '%s'", to, from);
        if (ot_period_year(op.to.freq, op.to.ord) != ot_period_year(op.from.freq, op.from.ord))
            return ot_err_set(err, OT_EINVAL,
                              "scenario: from '%s' and to '%s' are in different years", from, to);
    } else {
        int y = ot_period_year(op.from.freq, op.from.ord);
        op.to.freq = op.from.freq;
        op.to.span = 1;
        op.to.ord = ot_period_make(op.from.freq, y, ot_freq_per_year(op.from.freq));
    }
    if (sc->n == sc->cap) {
        size_t cap = sc->cap ? 2 * sc->cap : 4;
        ot_scen_op *ops = realloc(sc->ops, cap * sizeof *ops);
        if (!ops)
            return ot_err_set(err, OT_ENOMEM, "out of memory");
        sc->ops = ops;
        sc->cap = cap;
    }
    if (!(op.key = strdup(key)))
        return ot_err_set(err, OT_ENOMEM, "out of memory");
    sc->ops[sc->n++] = op;
    return OT_OK;
}

int ot_scenario_growth(ot_scenario *sc, const char *key, double pct, const char *from,
                       ot_err *err)
{
    return add(sc, OT_SCEN_GROWTH, key, pct, from, NULL, err);
}

int ot_scenario_shock(ot_scenario *sc, const char *key, double pct, const char *from,
                      const char *to, ot_err *err)
{
    return add(sc, OT_SCEN_SHOCK, key, pct, from, to, err);
}

int ot_scenario_shock_level(ot_scenario *sc, const char *key, double amount, const char *from,
                            const char *to, ot_err *err)
{
    return add(sc, OT_SCEN_SHOCK_LEVEL, key, amount, from, to, err);
}

int ot_scenario_set(ot_scenario *sc, const char *key, const char *period, double value,
                    ot_err *err)
{
    return add(sc, OT_SCEN_SET, key, value, period, NULL, err);
}

int ot_scenario_touches(const ot_scenario *sc, const char *key)
{
    if (!sc || !key)
        return 0;
    for (size_t i = 0; i < sc->n; i++)
        if (strcmp(sc->ops[i].key, key) == 0)
            return 1;
    return 0;
}
