/* bench_import.c — times ot_import_files on a fresh or existing store:
 * `ot_bench_import DB FILE...` prints rows, seconds and rows per second.
 * A stand-in for `ontrack import` so the benchmark runs the same engine code
 * without the CLI.
 */
#include <stdio.h>
#include <time.h>

#include "io/import.h"
#include "store/store.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s DB FILE...\n", argv[0]);
        return 2;
    }
    ot_err err;
    ot_store *st = NULL;
    double t0 = now();
    if (ot_store_open(argv[1], OT_STORE_CREATE, &st, &err)) {
        fprintf(stderr, "%s: %s\n", argv[0], err.msg);
        return ot_err_exit_code(err.code);
    }
    static ot_import_errors errs;
    ot_import_stats s;
    int rc = ot_import_files(st, (const char *const *)argv + 2, (size_t)argc - 2, NULL, &s,
                             &errs, &err);
    ot_store_close(st);
    double dt = now() - t0;
    if (rc) {
        if (rc == OT_EDATA)
            ot_import_errors_print(&errs, stderr);
        else {
            char buf[2048];
            ot_err_format(&err, buf, sizeof buf);
            fprintf(stderr, "%s: %s\n", argv[0], buf);
        }
        return ot_err_exit_code(rc);
    }
    printf("rows %lld inserted %lld unchanged %lld seconds %.3f rows/s %.0f\n", s.rows,
           s.inserted, s.unchanged, dt, (double)s.rows / dt);
    return 0;
}
