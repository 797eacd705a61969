/* fuzz_put.c — db:put and db:import from Lua with arbitrary data.
 *
 * The input's lines are a series key, a start period, a frequency, values
 * (comma-separated) and a vintage, given to db:put; then the whole input is
 * imported as a CSV file with db:import (auto, long and wide).  The script
 * runs in a sandboxed host (50 ms, 64 MiB, a ":memory:" database, files only
 * in the harness's folder).  Invariants (checked in Lua, raised as
 * "INVARIANT: ..."): a failed put or import leaves the stored keys as they
 * were; a successful put stores the key as given (never cut short); every
 * error is a string.  Leaks are LeakSanitizer's findings.
 */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lua/host.h"

static const char script[] =
    "local f = assert(io.open(FUZZ_FILE, 'rb')); local data = f:read('a'); f:close()\n"
    "local db = ot.db()\n"
    "local function keys() return table.concat(db:keys(), '\\n') end\n"
    "local function inv(c, what) if not c then error('INVARIANT: ' .. what, 0) end end\n"
    "local parts = {}\n"
    "for p in (data .. '\\n'):gmatch('([^\\n]*)\\n') do parts[#parts + 1] = p end\n"
    "local key, start, freq = parts[1] or '', parts[2] or '2023-01', parts[3] or 'M'\n"
    "local vals = {}\n"
    "for v in (parts[4] or '1'):gmatch('[^,]+') do vals[#vals + 1] = tonumber(v) or 0 / 0 end\n"
    "local before = keys()\n"
    "local ok, err = pcall(function()\n"
    "  local s = ot.series{key = key, freq = freq, start = start, values = vals}\n"
    "  return db:put(s, {vintage = parts[5] ~= '' and parts[5] or nil})\n"
    "end)\n"
    "if ok then\n"
    "  local found = false\n"
    "  for _, k in ipairs(db:keys()) do found = found or k == key end\n"
    "  inv(found or #vals == 0, 'a stored key differs from the key given')\n"
    "else\n"
    "  inv(type(err) == 'string', 'a put error is not a string')\n"
    "  inv(keys() == before, 'a failed put changed the keys')\n"
    "end\n"
    "for _, fmt in ipairs{'auto', 'long', 'wide'} do\n"
    "  before = keys()\n"
    "  ok, err = pcall(db.import, db, FUZZ_FILE, {format = fmt})\n"
    "  if not ok then\n"
    "    inv(type(err) == 'string', 'an import error is not a string')\n"
    "    inv(keys() == before, 'a failed import changed the keys')\n"
    "  end\n"
    "end\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[4096], prelude[4200];
    const char *dir = fuzz_tmpdir();
    snprintf(path, sizeof path, "%s/in.csv", dir);
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    CHECK(fwrite(data, 1, size, f) == size);
    CHECK(fclose(f) == 0);

    ot_host_opts o = {":memory:", NULL, 0.05, (size_t)64 << 20, 1, dir, 0, NULL};
    ot_host *h;
    ot_err err;
    CHECK(ot_host_new(&o, &h, &err) == OT_OK);
    snprintf(prelude, sizeof prelude, "FUZZ_FILE = [==[%s]==]", path);
    CHECK(ot_host_run_string(h, prelude, "=prelude", &err) == OT_OK);
    ot_err_clear(&err);
    int rc = ot_host_run_string(h, script, "=fuzz_put", &err);
    if (rc != OT_OK) {
        if (strstr(err.msg, "INVARIANT"))
            fprintf(stderr, "fuzz_put: %s\n", err.msg);
        CHECK(strstr(err.msg, "INVARIANT") == NULL);
        CHECK(rc == OT_ESCRIPT || rc == OT_ELIMIT || rc == OT_EDATA || rc == OT_ENOTFOUND ||
              rc == OT_EIO || rc == OT_ENOMEM || rc == OT_EINVAL || rc == OT_ERANGE);
        CHECK(err.code == rc && err.msg[0] != '\0');
    }
    ot_host_free(h);
    return 0;
}
