/* fuzz.h — what every harness in tests/fuzz provides.
 *
 * A harness defines LLVMFuzzerTestOneInput, the libFuzzer entry point.  It is
 * linked either with libFuzzer (clang -fsanitize=fuzzer: the fuzz_<name>
 * targets) or with replay.c (any compiler: fuzz_<name>_replay, which runs
 * the committed corpus once under ctest).  A harness aborts on a broken
 * invariant, so a wrong answer is a finding just like a crash.
 */
#ifndef OT_TESTS_FUZZ_H
#define OT_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* Aborts with "file:line: check failed: cond" when cond is false: a broken
 * invariant is a finding. */
#define CHECK(cond)                                                                     \
    do {                                                                                \
        if (!(cond)) {                                                                  \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);    \
            abort();                                                                    \
        }                                                                               \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A private directory for the process's scratch files (created on first use
 * under $TMPDIR, /dev/shm preferred; removed at exit).  Aborts when it cannot
 * be made: a harness without it would test nothing. */
const char *fuzz_tmpdir(void);

#endif
