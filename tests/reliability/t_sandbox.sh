#!/usr/bin/env bash
# The job sandbox and the script limits (docs/security.md): require resolves
# only inside the job's folder and loads text only; refused functions say so;
# outputs cannot widen the job's folder; limits hold from a job file's first
# instruction; no pcall, in any coroutine, swallows a stop.
. "$SRC/tests/cli/lib.sh"
run 0 init

mkdir -p jobs/lib jobs/out outside
echo 'return {secret = "outside"}' > outside/stolen.lua
echo 'return {answer = 42}' > jobs/lib/mod.lua
echo 'return "plain"' > jobs/plain.lua
ln -s "$T/outside/stolen.lua" jobs/link.lua

# ---- require: the job's folder only, text only, no path to change ----------
cat > jobs/req.lua <<'LUA'
assert(require("lib.mod").answer == 42)
assert(require("plain") == "plain")
-- a search path of the script's choosing changes nothing
package.path = "OUTSIDE/?.lua"
local ok, err = pcall(require, "stolen")
assert(not ok and err:find("module 'stolen' not found in the job's folder", 1, true), err)
ok, err = pcall(require, "..outside.stolen")
assert(not ok and err:find("words joined by dots", 1, true), err)
ok, err = pcall(require, "link")                   -- a symbolic link out of the folder
assert(not ok and err:find("is outside the job's folder", 1, true), err)
-- a binary chunk written into the folder is refused, not run
local f = assert(io.open("jobs/bin.lua", "wb"))
f:write(string.dump(function() return 1 end)); f:close()
ok, err = pcall(require, "bin")
assert(not ok and err:find("attempt to load a binary chunk", 1, true), err)
-- searchpath and loadlib are refused by name
ok, err = pcall(package.searchpath, "x", "/etc/?")
assert(not ok and err:find("package.searchpath is not available in a job script", 1, true), err)
ok, err = pcall(package.loadlib, "/lib/x.so", "f")
assert(not ok and err:find("package.loadlib is not available in a job script", 1, true), err)
print("require ok")
LUA
sed -i "s|OUTSIDE|$T/outside|" jobs/req.lua
echo 'return {name = "req", scripts = {"req.lua"}, outputs = {"out/{job}.json"}}' > jobs/reqjob.lua
run 0 job run jobs/reqjob.lua
has_out "require ok"

# ---- a refused function names itself ----------------------------------------
for f in os.execute os.exit io.popen os.tmpname; do
    echo "$f('true')" > jobs/refused.lua
    echo 'return {name = "refused", scripts = {"refused.lua"}}' > jobs/refusedjob.lua
    run 1 job run jobs/refusedjob.lua
    has_err "jobs/refused.lua:1: $f is not available in a job script (sandbox; see docs/security.md)"
done
echo 'local x = debug.getinfo' > jobs/refused.lua
run 1 job run jobs/refusedjob.lua
has_err "debug.getinfo is not available in a job script (sandbox; see docs/security.md)"

# ---- outputs cannot widen the job's folder --------------------------------------
cat > jobs/etc.lua <<'LUA'
return {name = "etc", scripts = {"req.lua"}, outputs = {"/etc/{job}.json"}}
LUA
run 65 job run jobs/etc.lua
has_err "output '/etc/{job}.json' is outside the job's folder"
echo 'return {name = "../../x", targets = {}, outputs = {"out/{job}.json"}}' > jobs/name.lua
run 65 job run jobs/name.lua
has_err "field 'name' must be a name without '/'"  # refused before any path is made of it
# the scripts' folder is the job file's, whatever the outputs: reading
# /etc/passwd stays refused even with an output folder elsewhere (--trusted)
echo 'assert(not pcall(io.open, "/etc/passwd")); print("bounded")' > jobs/read.lua
echo "return {name = \"read\", scripts = {\"read.lua\"}, outputs = {\"$T/outside/{job}.json\"}}" > jobs/readjob.lua
run 65 job run jobs/readjob.lua
has_err "is outside the job's folder"

# --folder DIR sets the bounds from the command line: scripts read and write only
# there, outputs must lie in it (never widened by them), and a narrower folder
# than the job file's refuses what the job file's own folder would allow
mkdir -p box/data
echo 'hello' > box/data/in.txt
echo 'hello' > jobs/beside.txt
cat > jobs/fold.lua <<'LUA'
local f = assert(io.open(BOX .. "/data/in.txt")); assert(f:read("l") == "hello"); f:close()
local w = assert(io.open(BOX .. "/data/out.txt", "w")); w:write("written"); w:close()
local ok, err = pcall(io.open, "jobs/beside.txt")
assert(not ok and err:find("is outside the job's folder '" .. BOX .. "'", 1, true), err)
LUA
sed -i "1i BOX = '$(cd box && pwd -P)'" jobs/fold.lua
echo 'return {name = "fold", scripts = {"fold.lua"}}' > jobs/foldjob.lua
run 0 job run jobs/foldjob.lua --folder box --quiet
eq "$(cat box/data/out.txt)" written "a script's file in --folder"
echo "return {name = \"fold\", scripts = {\"fold.lua\"}, outputs = {\"$T/box/{job}.json\"}}" > jobs/foldout.lua
run 0 job run jobs/foldout.lua --folder box --quiet
[ -s box/fold.json ] || fail "an output inside --folder"
run 65 job run jobs/reqjob.lua --folder box
has_err "output 'jobs/out/{job}.json' is outside the job's folder '$(cd box && pwd -P)'"
run 66 job run jobs/foldjob.lua --folder nowhere
has_err "--folder: 'nowhere': No such file or directory"

# ---- limits from the first instruction of a job file ---------------------------
echo 'while true do end' > jobs/loop.lua
start=$(date +%s%N)
run 1 job run jobs/loop.lua --timeout 1 --memory 16
ms=$(( ($(date +%s%N) - start) / 1000000 ))
has_err "jobs/loop.lua: job file stopped: time limit of 1 s exceeded"
[ "$ms" -lt 2500 ] || fail "a looping job file ended after $ms ms under --timeout 1"
echo 'local t = {} for i = 1, 40 do t[i] = string.rep("x" .. i, 2^24) end return {targets = {}}' > jobs/big.lua
/usr/bin/time -o "$T/.kb" -f "%M" "$ONTRACK" job run jobs/big.lua --memory 16 2>"$T/.e"
kb=$(tail -1 "$T/.kb")
grep -qF "the job file's memory limit of 16 MB was reached" "$T/.e" || fail "job file memory: $(cat "$T/.e")"
[ "$kb" -lt 100000 ] || fail "a job file under --memory 16 peaked at $kb KB"
# even without limits on the command line a job file has the defaults
echo 'local s = "x" while true do s = s .. s end' > jobs/grow.lua
run 1 job run jobs/grow.lua
has_err "memory limit of 64 MB was reached"

# ---- no pcall swallows a stop, in any coroutine ---------------------------------
cat > esc.lua <<'LUA'
pcall(coroutine.wrap(function() while true do end end))
while true do pcall(function() while true do end end) end
LUA
cat > esc2.lua <<'LUA'
-- a coroutine that catches everything, resumed by a main loop that does too
local co = coroutine.wrap(function()
  while true do pcall(function() while true do end end); coroutine.yield() end
end)
while true do pcall(co) end
LUA
timed() { # timed LIMIT_MS CODE ARGS...: runs, checks the code and the time
    local lim=$1; shift
    local s; s=$(date +%s%N)
    run "$@"
    local ms=$(( ($(date +%s%N) - s) / 1000000 ))
    [ "$ms" -lt "$lim" ] || fail "ontrack ${*:2} took $ms ms (limit $lim)"
}
for s in esc.lua esc2.lua; do
    timed 1900 1 run --timeout 1 "$s"
    has_err "script stopped: time limit of 1 s exceeded"
    lacks_err() { ! grep -qF -- "$1" <<<"$ERR" || fail "stderr has: $1"; }
    lacks_err "inside one engine call"
    cp "$s" jobs/esc.lua
    echo 'return {name = "esc", scripts = {"esc.lua"}}' > jobs/escjob.lua
    timed 4500 1 job run jobs/escjob.lua --timeout 3
    has_err "script stopped: time limit of 3 s exceeded"
    OUT=$(timeout 10 "$ONTRACK" repl --timeout 1 < "$s" 2>&1); CODE=$?
    [ "$CODE" = 1 ] || fail "repl --timeout 1 < $s exited $CODE"
    grep -qF "script stopped: time limit of 1 s exceeded" <<<"$OUT" || fail "repl: $OUT"
done
# the REPL goes on after a stopped statement, and is not left stopped
OUT=$(printf '%s\n' 'while true do pcall(function() while true do end end) end' 'print("after", 1 + 1)' \
      | timeout 10 "$ONTRACK" repl --timeout 1 2>&1)
grep -qF "after	2" <<<"$OUT" || fail "repl after a stop: $OUT"

done_ok
