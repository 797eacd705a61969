/* fuzz_job.c — job files: the input is written as a job file and loaded
 * under a 50 ms time limit and a 16 MiB memory cap (ot_job_load_limited).
 *
 * A job file is untrusted text that ontrack runs (docs/security.md): whatever
 * it holds, loading it must end within its limits with either a job whose
 * every field is usable or a documented code with a message.  Leaks are
 * LeakSanitizer's findings.
 */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lua/job.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/job.lua", fuzz_tmpdir());
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    CHECK(fwrite(data, 1, size, f) == size);
    CHECK(fclose(f) == 0);

    ot_job j;
    ot_err err;
    ot_err_clear(&err);
    int rc = ot_job_load_limited(path, 0.05, (size_t)16 << 20, &j, &err);
    if (rc == OT_OK) {
        CHECK(j.path && j.dir && j.name);
        CHECK(j.has_targets || j.nscripts > 0);
        CHECK(j.paths >= 1 && j.seed >= 1 && j.keep >= 0);
        for (size_t i = 0; i < j.nscripts; i++)
            CHECK(j.scripts[i] != NULL);
        for (size_t i = 0; i < j.noutputs; i++)
            CHECK(j.outputs[i] != NULL);
        ot_job_clear(&j);
    } else {
        CHECK(rc == OT_EDATA || rc == OT_ELIMIT || rc == OT_ENOMEM);
        CHECK(err.code == rc && err.msg[0] != '\0');
    }
    return 0;
}
