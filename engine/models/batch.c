/* batch.c — fitting and simulating many series on a small thread pool
 * (ot_model_fit_many, ot_model_simulate_many).  Workers take the next index
 * from an atomic counter; each task writes only its own slot, so the
 * results do not depend on the number of threads or their timing. */
#include "models/model.h"
#include "models/methods.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

typedef struct job {
    atomic_size_t next;
    size_t n;
    /* fit */
    const ot_series *const *ys;
    const char *method;
    const ot_model_opts *o;
    ot_model **out;
    ot_err *errs;
    /* simulate */
    const ot_model *const *ms;
    size_t h, npaths;
    unsigned long seed;
    double *const *paths;
    atomic_int failed; /* code of the first failed simulation, OT_OK when none */
    ot_err *first_err;
    pthread_mutex_t lock;
} job;

static void *fit_worker(void *arg)
{
    job *j = arg;
    for (size_t i; (i = atomic_fetch_add(&j->next, 1)) < j->n;) {
        ot_err e;
        ot_err_clear(&e);
        j->out[i] = NULL;
        if (ot_model_fit(j->ys[i], j->method, j->o, &j->out[i], &e) != OT_OK)
            j->out[i] = NULL;
        if (j->errs)
            j->errs[i] = e;
    }
    return NULL;
}

static void *sim_worker(void *arg)
{
    job *j = arg;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    for (size_t i; (i = atomic_fetch_add(&j->next, 1)) < j->n;) {
        ot_err e;
        int rc = r ? OT_OK : ot_err_set(&e, OT_ENOMEM, "out of memory");
        if (rc == OT_OK) {
            gsl_rng_set(r, j->seed + i);
            rc = ot_model_simulate(j->ms[i], j->h, j->npaths, r, j->paths[i], &e);
        }
        if (rc != OT_OK) {
            pthread_mutex_lock(&j->lock);
            if (atomic_load(&j->failed) == 0) {
                atomic_store(&j->failed, (int)rc);
                if (j->first_err)
                    *j->first_err = e;
            }
            pthread_mutex_unlock(&j->lock);
        }
    }
    gsl_rng_free(r);
    return NULL;
}

/* Runs worker on nthreads threads (the calling thread is one of them) and
 * waits for all.  A thread that cannot start is not an error: the threads
 * that run share its work. */
static void run_pool(job *j, int nthreads, void *(*worker)(void *))
{
    pthread_t tid[16];
    int started = 0;
    if (nthreads <= 0)
        nthreads = 2;
    if (nthreads > 16)
        nthreads = 16;
    if ((size_t)nthreads > j->n)
        nthreads = (int)j->n;
    for (int t = 1; t < nthreads; t++)
        if (pthread_create(&tid[started], NULL, worker, j) == 0)
            started++;
    worker(j);
    for (int t = 0; t < started; t++)
        pthread_join(tid[t], NULL);
}

/* Fits as model.h says; a worker that cannot start leaves its share to the
 * others, so the only failures are the caller's arguments. */
int ot_model_fit_many(const ot_series *const *ys, size_t n, const char *method,
                      const ot_model_opts *o, int nthreads, ot_model **out, ot_err *errs,
                      ot_err *err)
{
    if ((!ys || !out) && n > 0)
        return ot_err_set(err, OT_EINVAL, "fit_many needs series and an output array");
    if (!ot_method_find(method))
        return ot_err_set(err, OT_EINVAL, "unknown method '%s' (known: %s)",
                          method ? method : "(null)", ot_method_names());
    if (n == 0)
        return OT_OK;
    job j;
    memset(&j, 0, sizeof j);
    atomic_init(&j.next, 0);
    j.n = n;
    j.ys = ys;
    j.method = method;
    j.o = o;
    j.out = out;
    j.errs = errs;
    run_pool(&j, nthreads, fit_worker);
    if (ot_model_check_stop(err) != OT_OK) { /* some fits were cut short */
        for (size_t i = 0; i < n; i++) {
            ot_model_free(out[i]);
            out[i] = NULL;
        }
        return OT_ELIMIT;
    }
    return OT_OK;
}

int ot_model_simulate_many(const ot_model *const *ms, size_t n, size_t h, size_t npaths,
                           unsigned long seed, int nthreads, double *const *paths, ot_err *err)
{
    if ((!ms || !paths) && n > 0)
        return ot_err_set(err, OT_EINVAL, "simulate_many needs models and output arrays");
    if (n == 0)
        return OT_OK;
    job j;
    memset(&j, 0, sizeof j);
    atomic_init(&j.next, 0);
    atomic_init(&j.failed, 0);
    j.n = n;
    j.ms = ms;
    j.h = h;
    j.npaths = npaths;
    j.seed = seed;
    j.paths = paths;
    j.first_err = err;
    pthread_mutex_init(&j.lock, NULL);
    run_pool(&j, nthreads, sim_worker);
    pthread_mutex_destroy(&j.lock);
    return atomic_load(&j.failed);
}
