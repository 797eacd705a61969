/* job_stop.c — SIGTERM and SIGINT during a job run: flags set by a handler,
 * read by cmd_job.c between the steps of a run (job_stop.h). */
#include "cli/job_stop.h"

#include <string.h>
#include <unistd.h>

#include "models/model.h"

/* The one bridge a signal handler has: process-wide, set by the handler,
 * read by the run. */
static volatile sig_atomic_t stop_sig;
static ot_host *volatile stop_host;

#define STOP_GRACE 5 /* seconds a stop signal gives the run to roll back */
#define STR_(x) #x
#define STR(x) STR_(x)

/* SIGALRM STOP_GRACE seconds after a stop signal: an engine call that does
 * not check (a projection of very many paths) ends with the process, the run
 * left "running" (interrupted, as a killed one). */
static void on_grace(int sig)
{
    (void)sig;
    static const char msg[] = "ontrack: stopped: the run did not stop within " STR(STOP_GRACE)
                              " s of the signal; the process ends here (the run stays recorded "
                              "running: interrupted, marked failed by the next run)\n";
    ssize_t w = write(STDERR_FILENO, msg, sizeof msg - 1);
    (void)w;
    _exit(128 + stop_sig);
}

/* The first SIGTERM or SIGINT: ask the engine and the running script to
 * stop (both async-signal-safe), and arm the grace period.  SA_RESETHAND
 * leaves the second one its default action. */
static void on_stop(int sig)
{
    stop_sig = sig;
    ot_models_interrupt(OT_STOP_INTERRUPT);
    ot_host *h = stop_host;
    if (h)
        ot_host_interrupt(h);
    struct sigaction ga;
    memset(&ga, 0, sizeof ga);
    ga.sa_handler = on_grace;
    sigemptyset(&ga.sa_mask);
    sigaction(SIGALRM, &ga, NULL);
    alarm(STOP_GRACE);
}

static const int sigs[2] = {SIGTERM, SIGINT};

void job_stop_catch(struct sigaction old[2])
{
    for (int i = 0; i < 2; i++) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_stop;
        sa.sa_flags = SA_RESETHAND; /* no SA_RESTART: a lock wait ends */
        sigemptyset(&sa.sa_mask);
        sigaction(sigs[i], &sa, &old[i]);
    }
}

void job_stop_restore(const struct sigaction old[2])
{
    if (stop_sig)
        alarm(0); /* the run has wound down: no grace period left to end */
    for (int i = 0; i < 2; i++)
        sigaction(sigs[i], &old[i], NULL);
}

void job_stop_host(ot_host *h)
{
    stop_host = h;
}

int job_stop_signal(void)
{
    return stop_sig;
}

const char *job_stop_name(void)
{
    return stop_sig == SIGINT ? "SIGINT" : "SIGTERM";
}

const volatile sig_atomic_t *job_stop_flag(void)
{
    return &stop_sig;
}

int job_stop_check(ot_err *err)
{
    if (!stop_sig)
        return OT_OK;
    return ot_err_set(err, OT_ELIMIT,
                      "stopped by %s (the run is rolled back)",
                      job_stop_name());
}
