/* job_stop.h — SIGTERM (systemctl stop, kill) and SIGINT during a job run.
 *
 * While caught, the first signal asks the run to stop as --timeout does (the
 * engine and a running script stop at their next check); cmd_job.c then rolls
 * the run back, marks it failed with job_stop_check's message and exits 128 +
 * the signal.  A run not stopped 5 s later ends with the process; a second
 * signal ends it at once.  The handler only sets flags; no store here.
 */
#ifndef OT_CLI_JOB_STOP_H
#define OT_CLI_JOB_STOP_H

#include <signal.h>

#include "core/err.h"
#include "lua/host.h"

/* Catches SIGTERM and SIGINT; old receives the previous actions. */
void job_stop_catch(struct sigaction old[2]);
/* Puts back the actions job_stop_catch saved (and ends a grace period). */
void job_stop_restore(const struct sigaction old[2]);
/* The script host running now (NULL: none), so a signal stops its chunk. */
void job_stop_host(ot_host *h);
/* The signal that asked the run to stop, or 0. */
int job_stop_signal(void);
/* "SIGTERM" or "SIGINT", the one that came. */
const char *job_stop_name(void);
/* The flag a waiting loop tests (job_lock_wait). */
const volatile sig_atomic_t *job_stop_flag(void);
/* OT_ELIMIT "stopped by SIGTERM (the run is rolled back)" when a stop
 * signal came, else OT_OK. */
int job_stop_check(ot_err *err);

#endif
