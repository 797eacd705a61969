#!/usr/bin/env bash
# ontrack run: arg, options before the script only, errors, exit codes, stdin.
. "$SRC/tests/cli/lib.sh"

cat > args.lua <<'LUA'
print(#arg, arg[0], arg[1], arg[2], ...)
LUA
run 0 run args.lua one --as-of
out_line 1 "2	args.lua	one	--as-of	one	--as-of"
# options after the script belong to the script
run 0 run --as-of 2023-09 args.lua --db x
out_line 1 "2	args.lua	--db	x	--db	x"
# arg[-n..-1]: the command line before the script, as lua gives it
cat > before.lua <<'LUA'
local t = {}
for i = -8, -1 do if arg[i] then t[#t + 1] = i .. "=" .. arg[i] end end
print(table.concat(t, " "))
LUA
run 0 --db "$ONTRACK_DB" run --as-of 2023-09 before.lua x --y
out_line 1 "-6=$ONTRACK -5=--db -4=$ONTRACK_DB -3=run -2=--as-of -1=2023-09"
run 0 run before.lua
out_line 1 "-2=$ONTRACK -1=run"

cat > err.lua <<'LUA'
local function f() error("boom") end
f()
LUA
run 1 run err.lua
has_err "err.lua:1: boom"
has_err "stack traceback:"

cat > syntax.lua <<'LUA'
local x = = 1
LUA
run 1 run syntax.lua
has_err "syntax.lua:1:"

# an error message longer than 1 KiB is printed whole, with its traceback:
# db:import's list of problems (20 of them, then "… and 40 more") and a long
# error() (both were cut at 1 KiB in the middle of a line, traceback lost)
{ echo "series,period,value"; for i in $(seq 0 59); do echo "bad.x,2023-$(printf %02d $((i % 12 + 1))),abc$i"; done; } > bad60.csv
echo 'ot.db():import("bad60.csv")' > imp60.lua
run 65 run imp60.lua
has_err "bad60.csv:21:3: expected a number such as 1234.5, 1,234.5 or 12.3%, found 'abc19'"
has_err "... and 40 more errors"
has_err "imp60.lua:1: in main chunk"
echo 'error(string.rep("x", 3000) .. " END")' > long.lua
run 1 run long.lua
has_err "xxxxxxxx END"
has_err "long.lua:1: in main chunk"

# an engine error names the script's line also when a C function stands
# between (pcall, r:write calling ot.report)
cat > pos.lua <<'LUA'
print(pcall(ot.db().series, ot.db(), "no.such"))
local t = ot.target{series = "p.x", year = 2023, value = 1}
local x = ot.series{key = "p.x", freq = "Y", start = 2020, values = {1, 2, 3}}
local r = ot.report(ot.project({t}, {series = {["p.x"] = x}, paths = 10}), {format = "json"})
print(pcall(r.write, r, "no/such/folder/r.html"))
LUA
run 0 run pos.lua
out_line 1 "false	pos.lua:1: unknown series 'no.such'"
has_out "false	pos.lua:5: no/such/folder/r.html: No such file or directory"

# a binary chunk is refused naming the script, as a syntax error names it
printf '\033Lua' > bin.lua
run 1 run bin.lua
eq "$ERR" "ontrack: bin.lua: attempt to load a binary chunk (mode is 't')" "binary chunk"
OUT=$(printf '\033Lua' | "$ONTRACK" run - 2>&1); CODE=$?
eq "$CODE" 1 "exit code of a binary chunk on standard input"
eq "$OUT" "ontrack: stdin: attempt to load a binary chunk (mode is 't')" "binary chunk on stdin"

# an ontrack error keeps its exit code: unknown series -> 66
cat > missing.lua <<'LUA'
ot.db():series("no.such.series")
LUA
run 66 run missing.lua
has_err "no.such.series"

run 66 run nope.lua
has_err "nope.lua"
run 2 run
has_err "which script?"
run 2 run --as-of never args.lua
has_err "--as-of: 'never' is neither a date"

# the script from standard input
OUT=$(echo 'print(1 + 1)' | "$ONTRACK" run -) || fail "run - failed"
eq "$OUT" 2 "run - output"

# --timeout also stops a long engine call: at the limit the watchdog asks the
# engine to stop, and a batch of 2000 ETS fits (about 0.6 s on two threads,
# building their series 0.01 s) returns at once with
# an error the script sees (pcall) before the hook ends the script
cat > stop.lua <<'LUA'
local list = {}
for k = 1, 2000 do
  local v = {}
  for m = 1, 60 do v[m] = 50 + m + k + 3 * math.cos(m / 2 + k) end
  list[k] = ot.series{freq = "M", start = "2019-01", values = v}
end
print(pcall(ot.fit_many, list, "ets", {threads = 2}))
while true do end
LUA
start=$(date +%s)
run 1 run --timeout 0.3 stop.lua
out_line 1 "false	stop.lua:7: time limit exceeded inside an engine call"
has_err "time limit of 0.3"
[ $(( $(date +%s) - start )) -lt 5 ] || fail "the engine call was not stopped at the limit"

# a call that does not stop when asked — one ETS fit, which has no checks
# inside (milliseconds on real data; about 5.5 s on 3.5 million daily values,
# years 1 to 9583): the watchdog ends the process at 2 + 1 s, long before the
# call would end (the limit leaves time to build the series, about 0.3 s, also
# in an instrumented build on a loaded machine)
cat > slow.lua <<'LUA'
local v = {}
for m = 1, 3500000 do v[m] = 50 + m / 1000 + 3 * math.cos(m / 2) end
ot.fit(ot.series{freq = "D", start = "0001-01-01", values = v}, "ets")
print("finished")
LUA
start=$(date +%s)
run 1 run --timeout 2 slow.lua
lacks_out "finished"
has_err "time limit of 2 s exceeded inside one engine call"
[ $(( $(date +%s) - start )) -lt 12 ] || fail "the watchdog did not end the script in time"

# os.exit ends the script through the host: with status 0 (or true) its
# writes are committed, with another status rolled back; no pcall keeps the
# script running, in a coroutine neither; the exit code is the status
cat > exit0.lua <<'LUA'
ot.db():put(ot.series{key = "x.exit0", freq = "Y", start = 2020, values = {1}})
local db = ot.open("other.db")
db:put(ot.series{key = "x.other", freq = "Y", start = 2020, values = {2}})
print(pcall(os.exit, 0))
print("still running")
LUA
run 0 run exit0.lua
eq "$OUT" "" "nothing runs after os.exit(0)"
eq "$(sql "select count(*) from obs o join series s on s.id = o.series_id where s.key = 'x.exit0'")" 1 "os.exit(0) keeps the script's writes"
eq "$(sqlite3 other.db "select count(*) from obs")" 1 "os.exit(0) keeps the writes to an ot.open database"
cat > exit3.lua <<'LUA'
ot.db():put(ot.series{key = "x.exit3", freq = "Y", start = 2020, values = {1}})
local co = coroutine.wrap(function() os.exit(3) end)
print(pcall(co))
print("still running")
LUA
run 3 run exit3.lua
eq "$OUT" "" "nothing runs after os.exit(3) in a coroutine"
eq "$ERR" "" "os.exit prints no error"
eq "$(sql "select count(*) from series where key = 'x.exit3'")" 0 "os.exit(3) rolls the script's writes back"
echo 'os.exit(false)' > exitf.lua
run 1 run exitf.lua
echo 'os.exit(true, true)' > exitt.lua
run 0 run exitt.lua
echo 'os.exit(258)' > exit258.lua
run 2 run exit258.lua

# a database declared <close> and left by an error rolls back what the chunk
# wrote to it, as the chunk's own writes are; left normally it commits
cat > toclose.lua <<'LUA'
local ok = pcall(function()
  local db <close> = ot.open("failed.db")
  db:put(ot.series{key = "x.failed", freq = "Y", start = 2020, values = {1}})
  error("boom")
end)
do
  local db <close> = ot.open("kept.db")
  db:put(ot.series{key = "x.kept", freq = "Y", start = 2020, values = {1}})
end
print(ok)
LUA
run 0 run toclose.lua
out_line 1 false
eq "$(sqlite3 failed.db "select count(*) from obs")" 0 "a <close> db left by an error keeps nothing"
eq "$(sqlite3 kept.db "select count(*) from obs")" 1 "a <close> db left normally commits"

# Ctrl-C (SIGINT) stops the script as lua does: "interrupted!", a traceback,
# exit 1, its writes rolled back -- also inside a long engine call
cat > spin.lua <<'LUA'
ot.db():put(ot.series{key = "x.spin", freq = "Y", start = 2020, values = {1}})
print("spinning")
io.stdout:flush()
while true do end
LUA
"$ONTRACK" run spin.lua > spin.out 2> spin.err &
pid=$!
for _ in $(seq 50); do grep -q spinning spin.out && break; sleep 0.1; done
kill -INT "$pid"
wait "$pid"; CODE=$?; OUT=$(cat spin.out); ERR=$(cat spin.err)
eq "$CODE" 1 "exit code of an interrupted script"
has_err "interrupted!"
has_err "spin.lua:4: in main chunk"
eq "$(sql "select count(*) from series where key = 'x.spin'")" 0 "an interrupted script keeps no writes"
cat > spinfit.lua <<'LUA'
local list = {}
for k = 1, 8000 do
  local v = {}
  for m = 1, 60 do v[m] = 50 + m + k + 3 * math.cos(m / 2 + k) end
  list[k] = ot.series{freq = "M", start = "2019-01", values = v}
end
print("fitting")
io.stdout:flush()
ot.fit_many(list, "ets", {threads = 1})
print("finished")
LUA
"$ONTRACK" run spinfit.lua > spin.out 2> spin.err &
pid=$!
for _ in $(seq 100); do grep -q fitting spin.out && break; sleep 0.1; done
sleep 0.3
kill -INT "$pid"
wait "$pid"; CODE=$?; OUT=$(cat spin.out); ERR=$(cat spin.err)
eq "$CODE" 1 "exit code of a script interrupted inside an engine call"
has_err "interrupted!"
lacks_out "finished"

# a finalizer run at exit (after the script's transaction is settled) makes
# no new engine object: Lua would never finalize it, and the database
# connection or series it owns would leak
cat > gcexit.lua <<'LUA'
gc_keep = setmetatable({}, {__gc = function()
  print("at exit", pcall(ot.open, "late.db"))
  print("at exit", pcall(ot.series, {freq = "Y", start = 2020, values = {1}}))
end})
LUA
run 0 run gcexit.lua
out_line 1 "at exit	false	the script has ended: ontrack makes no new object (ontrack.db) in a finalizer run at exit"
out_line 2 "at exit	false	the script has ended: ontrack makes no new object (ontrack.series) in a finalizer run at exit"
[ ! -e late.db ] || fail "a finalizer at exit opened a database"
# nor does it write into a database the script opened: the script's writes
# were settled when it ended (here: rolled back, it failed), what a
# finalizer writes afterwards is not kept
cat > gcput.lua <<'LUA'
local db = ot.db()
local s = ot.series{key = "x.gc_late", freq = "Y", start = 2020, values = {1}}
gc_keep = setmetatable({}, {__gc = function() db:put(s) end})
error("the script fails")
LUA
run 1 run gcput.lua
eq "$(sql "select count(*) from series where key = 'x.gc_late'")" 0 "a finalizer's write at exit after a failed script"
sed -i 's/^error("the script fails")$/print("ok")/' gcput.lua
run 0 run gcput.lua
eq "$(sql "select count(*) from series where key = 'x.gc_late'")" 0 "a finalizer's write at exit"

# ot is also require-able and the same table
cat > req.lua <<'LUA'
assert(require("ontrack") == ot)
print("ok")
LUA
run 0 run req.lua
out_line 1 ok
# ---- run's option after the script is the script's (arg[1]), and a note says
# so: `run s.lua --as-of D` would otherwise read the latest data unnoticed
printf 'print(ot.as_of(), arg[1], arg[2])\n' > late.lua
run 0 run late.lua --as-of 2023-08-31
out_line 1 "nil	--as-of	2023-08-31"
eq "$ERR" "ontrack: run: note: '--as-of' after the script is the script's argument arg[1], not run's option: put it before the script (ontrack run --as-of ... SCRIPT)" "the note on a late --as-of"
run 0 run late.lua x --timeout=5
has_err "'--timeout' after the script is the script's argument arg[2]"
run 0 run --as-of 2023-08-31 late.lua --mine
out_line 1 "2023-08-31	--mine	nil"
eq "$ERR" "" "stderr of a script's own option"

# ---- help and misspellings, as a new user meets them
run 0 help
out_line 1 "usage: ontrack [--db PATH] COMMAND [ARGS...]"
has_out "'ontrack help COMMAND' or 'ontrack COMMAND --help' describes a command."
run 0 help run
out_line 1 "usage: ontrack run [--as-of DATE|PERIOD] [--timeout S] [--memory MB]"
eq "$OUT" "$("$ONTRACK" run --help)" "ontrack help run = ontrack run --help"
run 2 help imprt
has_err "ontrack: unknown command 'imprt' (did you mean 'import'?)"
run 2 imprt data.csv
has_err "ontrack: unknown command 'imprt' (did you mean 'import'?)"
run 2 frobnicate
has_err "ontrack: unknown command 'frobnicate'"
lacks_err() { NCHECK=$((NCHECK + 1)); ! grep -qF -- "$1" <<<"$ERR" || fail "stderr has: $1"; }
lacks_err "did you mean"
run 2 run --timout 5 s.lua
has_err "ontrack: run: unknown option '--timout' (did you mean '--timeout'?)"
run 2 run --as_of=2023-09 s.lua
has_err "ontrack: run: unknown option '--as_of=2023-09' (did you mean '--as-of'?)"
run 2 run --zzz s.lua
has_err "ontrack: run: unknown option '--zzz'"
lacks_err "did you mean"
done_ok
