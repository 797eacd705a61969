/* replay.c — a main() for the harnesses without libFuzzer: runs
 * LLVMFuzzerTestOneInput once on every file named on the command line or
 * found (in name order) in a directory named there.  ctest uses it to replay
 * the committed corpus, every past crash included, with gcc and the
 * sanitizers of the normal build.  Exit 0 when every input ran; a finding
 * aborts (or trips a sanitizer) as under libFuzzer.
 */
#include "fuzz.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Runs the harness on the file at path; returns 0, or -1 when unreadable. */
static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    uint8_t *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n == cap) {
            cap = cap ? cap * 2 : 4096;
            uint8_t *p = realloc(buf, cap);
            if (!p) {
                free(buf);
                fclose(f);
                return -1;
            }
            buf = p;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    int bad = ferror(f);
    fclose(f);
    if (!bad) {
        /* an exact-size copy, so ASan sees a read past the end as libFuzzer would */
        uint8_t *exact = malloc(n ? n : 1);
        if (exact) {
            memcpy(exact, buf, n);
            LLVMFuzzerTestOneInput(exact, n);
            free(exact);
        } else {
            bad = 1;
        }
    }
    free(buf);
    return bad ? -1 : 0;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

int main(int argc, char **argv)
{
    long runs = 0;
    for (int i = 1; i < argc; i++) {
        struct stat sb;
        if (stat(argv[i], &sb) != 0) {
            fprintf(stderr, "%s: cannot stat\n", argv[i]);
            return 1;
        }
        if (!S_ISDIR(sb.st_mode)) {
            if (run_file(argv[i]) != 0) {
                fprintf(stderr, "%s: cannot read\n", argv[i]);
                return 1;
            }
            runs++;
            continue;
        }
        struct dirent **names;
        int n = scandir(argv[i], &names, NULL, by_name);
        if (n < 0) {
            fprintf(stderr, "%s: cannot list\n", argv[i]);
            return 1;
        }
        int rc = 0;
        for (int k = 0; k < n; k++) {
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", argv[i], names[k]->d_name);
            if (rc == 0 && names[k]->d_name[0] != '.' && stat(path, &sb) == 0 &&
                S_ISREG(sb.st_mode)) {
                if (run_file(path) != 0) {
                    fprintf(stderr, "%s: cannot read\n", path);
                    rc = 1;
                }
                runs++;
            }
            free(names[k]);
        }
        free(names);
        if (rc)
            return rc;
    }
    printf("replayed %ld inputs\n", runs);
    return 0;
}
