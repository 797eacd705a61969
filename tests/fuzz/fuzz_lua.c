/* fuzz_lua.c — the Lua API: the input runs as a chunk in a sandboxed host
 * with a 50 ms time limit and a 64 MiB memory cap.
 *
 * A fresh host per input (no state carries over, so every finding replays
 * alone), its default database a private ":memory:" one.  A prelude takes
 * away what could touch the machine (io, the file parts of os, ot.open of a
 * named file, loading Lua files) beyond the sandbox's own list, and makes
 * print discard its output after converting each value with tostring (so
 * __tostring still runs).  Script errors and limits are the expected
 * outcomes; the harness checks that each failure has a code of host.h and a
 * message.  Leaks are LeakSanitizer's findings.
 */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lua/host.h"

static const char prelude[] =
    "local keep = {clock = os.clock, date = os.date, time = os.time, difftime = os.difftime}\n"
    "os = keep; package.loaded.os = keep\n"
    "io = nil; package.loaded.io = nil\n"
    "package.path = ''; loadfile = nil; dofile = nil\n"
    "local open = ot.open\n"
    "ot.open = function(_, o) return open(':memory:', o) end\n"
    "print = function(...)\n"
    "  for i = 1, select('#', ...) do tostring((select(i, ...))) end\n"
    "end\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ot_host_opts o = {":memory:", NULL, 0.05, (size_t)64 << 20, 1, NULL, 0, NULL};
    ot_host *h;
    ot_err err;
    CHECK(ot_host_new(&o, &h, &err) == OT_OK);
    CHECK(ot_host_run_string(h, prelude, "=prelude", &err) == OT_OK);

    char *chunk = malloc(size + 1);
    if (chunk) {
        memcpy(chunk, data, size);
        chunk[size] = '\0';
        ot_err_clear(&err);
        int rc = ot_host_run_string(h, chunk, "=fuzz", &err);
        if (rc != OT_OK) {
            CHECK(rc == OT_ESCRIPT || rc == OT_ELIMIT || rc == OT_EDATA || rc == OT_ENOTFOUND ||
                  rc == OT_EIO || rc == OT_ELOCKED || rc == OT_ENOMEM || rc == OT_EINVAL ||
                  rc == OT_ERANGE);
            CHECK(err.code == rc && err.msg[0] != '\0');
        }
        free(chunk);
    }
    ot_host_free(h);
    return 0;
}
