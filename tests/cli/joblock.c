/* joblock.c — holds a job's lock from another process, as a test needs.
 *
 * usage: joblock DB JOB SECONDS
 * Takes job JOB's lock in database DB the way `ontrack job run` does
 * (engine/cli/job_lock.c), prints "held" on stdout, keeps it SECONDS seconds
 * and exits 0; exits 75 when someone else holds it, 74 when DB cannot be
 * opened or locked, 2 on a usage error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/job_lock.h"

int main(int argc, char **argv)
{
    if (argc != 4) {
        fputs("usage: joblock DB JOB SECONDS\n", stderr);
        return 2;
    }
    ot_err err;
    int fd;
    if (job_lock_open(argv[1], 1, &fd, &err) != OT_OK) {
        fprintf(stderr, "joblock: %s\n", err.msg);
        return 74;
    }
    int rc = job_lock_try(fd, argv[2]);
    if (rc != OT_OK) {
        fprintf(stderr, "joblock: %s\n", rc == OT_ELOCKED ? "held by another" : "cannot lock");
        return rc == OT_ELOCKED ? 75 : 74;
    }
    puts("held");
    fflush(stdout);
    sleep((unsigned)atoi(argv[3]));
    close(fd);
    return 0;
}
