/* job_lock.c — the job lock: an OFD lock on one byte of the database file.
 * job_lock.h says why the descriptor outlives the store. */
#define _GNU_SOURCE /* F_OFD_SETLK, F_OFD_SETLKW, F_OFD_GETLK (Linux 3.15) */
#include "cli/job_lock.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "io/xxh64.h"

uint64_t job_lock_offset(const char *job)
{
    ot_xxh64 h;
    ot_xxh64_init(&h, 0);
    ot_xxh64_update(&h, job, strlen(job));
    return (UINT64_C(1) << 62) | (ot_xxh64_digest(&h) >> 2);
}

int job_lock_open(const char *db, int write, int *fd, ot_err *err)
{
    *fd = -1;
    if (strcmp(db, ":memory:") == 0) /* SQLite's name for a database of this process alone */
        return OT_OK;
    *fd = open(db, (write ? O_RDWR : O_RDONLY) | O_CLOEXEC | O_NOCTTY);
    if (*fd < 0)
        return ot_err_set(err, OT_EIO, "%s: cannot open the database %sto lock the job: %s%s", db,
                          write ? "for writing " : "", strerror(errno),
                          write && (errno == EACCES || errno == EROFS)
                              ? " (a job run records itself in the database, so it must be writable)"
                              : "");
    return OT_OK;
}

/* The lock of job as a struct flock of type type. */
static struct flock byte_of(const char *job, short type)
{
    struct flock fl;
    memset(&fl, 0, sizeof fl); /* l_pid must be 0 for the F_OFD_* commands */
    fl.l_type = type;
    fl.l_whence = SEEK_SET;
    fl.l_start = (off_t)job_lock_offset(job);
    fl.l_len = 1;
    return fl;
}

int job_lock_try(int fd, const char *job)
{
    if (fd < 0)
        return OT_OK;
    struct flock fl = byte_of(job, F_WRLCK);
    if (fcntl(fd, F_OFD_SETLK, &fl) == 0)
        return OT_OK;
    return errno == EAGAIN || errno == EACCES ? OT_ELOCKED : OT_EIO;
}

int job_lock_wait(int fd, const char *job, const volatile sig_atomic_t *stop)
{
    if (fd < 0)
        return OT_OK;
    struct flock fl = byte_of(job, F_WRLCK);
    while (fcntl(fd, F_OFD_SETLKW, &fl) != 0) {
        if (errno != EINTR)
            return OT_EIO;
        if (stop && *stop)
            return OT_ELIMIT;
    }
    return OT_OK;
}

int job_lock_busy(int fd, const char *job)
{
    if (fd < 0)
        return 0;
    struct flock fl = byte_of(job, F_WRLCK);
    if (fcntl(fd, F_OFD_GETLK, &fl) != 0)
        return -1;
    return fl.l_type != F_UNLCK;
}
