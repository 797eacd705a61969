/* facts.h — what a projection says about itself, as structured facts.
 *
 * A projection's method and notes are facts: a reason code and its values
 * (years and counts, numbers, series keys), never sentences.  report/facts.c
 * renders them in Chinese or English; run/fields.c saves them by the codes'
 * names (stable across versions).  A new reason is one enum value and one
 * line in the table of facts.c, and its wordings in report/facts.c.
 */
#ifndef OT_PROJECT_FACTS_H
#define OT_PROJECT_FACTS_H

#define OT_FACT_KEY_MAX 64
#define OT_FACT_NY 6
#define OT_FACT_NV 6
#define OT_PROJ_FACTS_MAX 16

/* One fact: code (0 = none), said of the target's ref series when of_ref,
 * whole numbers y, numbers v (NaN = none), keys (series keys, a model's
 * name, a period).  What each slot holds is the code's (facts.c). */
typedef struct ot_proj_fact {
    int code;
    int of_ref;
    int y[OT_FACT_NY];
    double v[OT_FACT_NV];
    char key[2][OT_FACT_KEY_MAX];
} ot_proj_fact;

/* The notes of a projection: n facts in f[0..n). */
typedef struct ot_proj_facts {
    int n;
    ot_proj_fact f[OT_PROJ_FACTS_MAX];
} ot_proj_facts;

/* The codes.  Methods first (ot_projection.method), then notes. */
enum {
    OT_FACT_NONE = 0,
    /* methods */
    OT_M_RECORD,        /* chosen by record: y0 chosen candidates (bit mask), k0 model */
    OT_M_CARRY_RANGE,   /* carry-forward with k0's record range */
    OT_M_RWSD,          /* random walk with seasonal drift: v0 sigma, y0 observations */
    OT_M_MODEL,         /* k0 (model description) on logs; y0 = 1: cv intervals */
    OT_M_SHAPE,         /* ytd + shape: y0 0 = of k0, 1 = own history, 2 = rule of thumb */
    OT_M_PACE,          /* a stock's pace since December */
    OT_M_OUTCOME,       /* the year's outcome */
    /* notes */
    OT_N_LEVELS_NONE,   /* k0 has growth rates only: a y0 (ot_target_kind) target needs levels */
    OT_N_NO_LEVEL,      /* k0 has no level for y0 */
    OT_N_NO_GROWTH,     /* k0's y0 figure is published without its growth */
    OT_N_NO_OUTCOME,    /* k0's y0 outcome cannot be computed */
    OT_N_CORR_ASSUMED,  /* correlation of k0 and k1 assumed v0 */
    OT_N_CORR,          /* correlation of k0 and k1 v0 from their history */
    OT_N_SC_GROWTH,     /* scenario growth on k0 skipped (last year unknown) */
    OT_N_SC_AMOUNT,     /* scenario amounts on k0 skipped (last year's total unknown) */
    OT_N_SC_FREQ,       /* scenario set on k0 skipped (period of another frequency) */
    OT_N_SC_STOCK,      /* scenario on k0 skipped: a stock projected from its record */
    OT_N_BASIS,         /* k0: growth on the published basis, v0 published, v1 from levels */
    OT_N_SHARE_BORROWED,/* share of periods 1-y0 (v0) borrowed from k0, y1-y2 */
    OT_N_SHARE_ASSUMED, /* no share for periods 1-y0: taken as y0/y1 */
    OT_N_SPREAD_OWN,    /* rest-of-year spread from own history y0-y1 */
    OT_N_SHAPE_BORROWED,/* shape borrowed from k0, y0-y1, spread x v0 */
    OT_N_SHAPE_SHORT,   /* shape reference k0 has too little history: rule of thumb */
    OT_N_SHAPE_NONE,    /* no shape reference: rule of thumb */
    OT_N_STOCK_PACE,    /* too little history: pace since December carried on */
    OT_N_RECORD_SHORT,  /* a record of y0 years is too short to choose by */
    OT_N_RECORD,        /* y5 (mask of project/record.h's candidates, k0 the model) by
                           record y0-y1 at period y3 of y2 a year and v5 periods
                           either side (NaN: a fact stored before the window): mean
                           error v0; v1..v4 the candidates' (carry, rate, model,
                           rate2y; NaN = not scored); y4 errors */
    OT_N_EXCLUDED,      /* y0-y1 left out of the record */
    OT_N_SCALE_LARGE,   /* k0 moves v0 times as much as k1: its record does not describe it */
    OT_N_CARRY_SCALED,  /* carry range of k0's record y0-y1 at period y3 of y2, x v0 (k1 measured) */
    OT_N_CARRY_TYPICAL, /* the same, x v0 the typical local scale */
    OT_N_NO_DATA,       /* no data for k0 */
    OT_N_SHAPE_NO_DATA, /* shape reference k0 has no data */
    OT_N_YOY_WEIGHTED,  /* k0: ytd growth from the period yoy weighted by k1's shares */
    OT_N_YOY_EQUAL,     /* k0: ytd growth from the period yoy weighted equally */
    OT_N_TOTAL_ONLY,    /* k0: the y0 total without its growth; growth from period y1 */
    OT_N_YTD_IMPLIED,   /* ytd growth through k1 (v0) implied from yoy weighted by k0's shares */
    OT_N_YOY_ONLY,      /* k0: only period yoy for y0, nothing to weight them */
    OT_N_NO_YTD,        /* k0: no ytd growth for y0 */
    OT_N_NO_DATA_YEAR,  /* k0: no data for y0 yet */
    OT_N_NO_YEAR_END,   /* k0: no year-end level for y0 */
    OT_N_RECORD_FORCED, /* k0: too short a record at period y0 for method k1 */
    OT_N_MODEL_FAILED,  /* k0: the model k1 failed */
    OT_N_NO_SERIES,     /* no stored series is named k0; k1 the stored key nearest to it
                           ("" = none near: a mistyped key, or data not imported yet) */
    OT_N_SC_PUBLISHED,  /* scenario operations on k0 skipped: their periods are published */
    OT_M_YOY_WALK,      /* a stock's latest yoy carried to the year end, as a random walk */
    OT_N_STOCK_YOY_WALK,/* a stock with yoy and no record: its yoy's period changes (y0 of them,
                           root mean square v0 points) spread over the periods left */
    OT_N_BEFORE_DATA,   /* k0: no data for y0, a year before its data begin (y1) */
    OT_N_MODEL_SHORT,   /* k0: the method k1 named needs y0 years of its own period values,
                           which it lacks: its ytd (and a shape) instead */
    OT_N_SHAPE_YEARS_SHORT, /* k0's record over the shape years y0-y1 holds y2 years at the
                               period, fewer than y3: its range is not borrowed */
    OT_N_UNIT_OTHER,    /* k0's levels are in k1, the level target's value in another unit:
                           never converted, not projected */
    OT_N_BASE_NOT_POSITIVE, /* k0's y0 total is v0, not above 0: no growth on it (a flow that
                               goes below 0, a balance); not projected */
    OT_FACT_NCODES
};

/* The stable name of a code ("share_borrowed"); NULL when unknown. */
const char *ot_fact_name(int code);
/* The code of a name; 0 when unknown. */
int ot_fact_code(const char *name);

/* Sets *f to code with values taken in the order spec names them: 'k' a
 * const char * key (truncated to OT_FACT_KEY_MAX - 1 bytes; NULL = ""), 'i'
 * an int (to y), 'd' a double (to v).  Unset slots are 0, NaN and "". */
void ot_fact_set(ot_proj_fact *f, int code, const char *spec, ...);
/* Appends such a fact to fs; dropped silently when fs is full. */
void ot_fact_add(ot_proj_facts *fs, int code, const char *spec, ...);

#endif
