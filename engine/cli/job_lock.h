/* job_lock.h — the job lock (internal to cli/): one byte of the database
 * file itself, locked with an open-file-description lock (Linux F_OFD_*).
 *
 * Locks belong to the file (its device and inode), not to a name, so every
 * name of one database — a symbolic link, a hard link, a path through a
 * linked folder, relative or absolute — takes the same lock of a job; two
 * jobs lock two bytes of one file, one job two files: both stay independent.
 * The byte lies at 2^62 + (XXH64 of the job's name) / 4, far from the bytes
 * SQLite locks (0x40000000..0x400001FF), so the two never meet.
 *
 * Ownership, once for the whole API: the descriptor job_lock_open gives is an
 * open descriptor of the database file, and closing ANY descriptor of a file
 * drops every classic POSIX lock the process holds on it — SQLite's own locks
 * included (https://www.sqlite.org/howtocorrupt.html, 2.2).  So it must stay
 * open until every SQLite connection of the process to that file is closed:
 * close it only after ot_store_close (cmd_job.c does both in job_store_close).
 * Its own lock is an OFD lock, which only the last close of this descriptor
 * drops, so SQLite closing its descriptors never drops it either.
 */
#ifndef OT_CLI_JOB_LOCK_H
#define OT_CLI_JOB_LOCK_H

#include <signal.h>
#include <stdint.h>

#include "core/err.h"

/* Where job's lock byte lies in the database file: in [2^62, 2^63). */
uint64_t job_lock_offset(const char *job);
/* Opens the database file db for its job locks into *fd: for writing when
 * write is set (to take them), else for reading (job_lock_busy only).  A
 * database that is no file (":memory:", one per process) needs no lock:
 * *fd = -1, and every call below treats -1 as a free lock.  OT_OK, or OT_EIO
 * naming db and the reason (*fd = -1). */
int job_lock_open(const char *db, int write, int *fd, ot_err *err);
/* Takes job's lock on fd without waiting: OT_OK, OT_ELOCKED when another
 * open file description holds it, OT_EIO (errno kept). */
int job_lock_try(int fd, const char *job);
/* Takes job's lock on fd, waiting for its holder (a signal that interrupts
 * the wait resumes it, unless it set *stop — stop may be NULL — which ends
 * the wait with OT_ELIMIT; one that ends the process ends it): OT_OK,
 * OT_ELIMIT or OT_EIO. */
int job_lock_wait(int fd, const char *job, const volatile sig_atomic_t *stop);
/* Whether another open file description holds job's lock (fd may be opened
 * for reading): 1 held, 0 free, -1 unknown (errno kept). */
int job_lock_busy(int fd, const char *job);

#endif
