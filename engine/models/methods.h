/* methods.h — the method objects model.c registers, and the helpers the
 * method files share (kept private to engine/models).
 *
 * Each method file exports its ot_method; model.c lists them in one table.
 * Nothing here allocates except where a prototype says so.
 */
#ifndef OT_MODELS_METHODS_H
#define OT_MODELS_METHODS_H

#include <stddef.h>

#include "models/model.h"

extern const ot_method ot_method_naive;
extern const ot_method ot_method_snaive;
extern const ot_method ot_method_drift;
extern const ot_method ot_method_mean;
extern const ot_method ot_method_naive2;
extern const ot_method ot_method_ets;
extern const ot_method ot_method_theta;
extern const ot_method ot_method_otm;
extern const ot_method ot_method_arima;
extern const ot_method ot_method_combo;
extern const ot_method ot_method_auto;

/* Fits meth to x[0..n) as a model with like's allocator, frequency, start
 * and period; *out is new (ot_model_free), untouched on failure. */
int ot_model_fit_array(const ot_method *meth, const double *x, size_t n, const ot_model *like,
                       const ot_model_opts *o, ot_model **out, ot_err *err);

/* 1 when every root of c[0] + c[1] z + ... + c[d] z^d (c[d] != 0) lies
 * inside |z| < rho (Schur–Cohn; ets_fit.c).  Overwrites c[0..d]. */
int ot_roots_inside(double *c, int d, double rho);

/* The standard normal quantile for a two-sided level in percent (95 -> 1.96). */
double ot_zlevel(double level);

/* Copies name and value into m's parameter list (silently ignored beyond
 * OT_MODEL_MAXPAR, which no method reaches). */
void ot_model_add_par(ot_model *m, const char *name, double value);

/* Fills m->aic, aicc, bic from m->loglik, k estimated parameters and m->n. */
void ot_model_set_ic(ot_model *m, size_t k);

/* Zeroed memory for n items of size bytes through m->alloc, or NULL (also
 * for n == 0 or overflow); release with ot_model_free_mem and the same n, size. */
void *ot_model_calloc(const ot_model *m, size_t n, size_t size);
void ot_model_free_mem(const ot_model *m, void *p, size_t n, size_t size);

#endif
