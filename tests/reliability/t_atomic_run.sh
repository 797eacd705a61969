#!/usr/bin/env bash
# Every script run is all or nothing (docs/reliability.md): `run`, each job
# script and each REPL statement is one transaction per database it writes,
# committed only when it succeeds; --commit-partial restores write-by-write.
. "$SRC/tests/cli/lib.sh"
run 0 init
count() { sql "SELECT count(*) FROM observations WHERE key = '$1'"; }

# ---- run: a put, then an error ---------------------------------------------
cat > putfail.lua <<'LUA'
local db = ot.db()
db:put(ot.series{key = "a.x", freq = "M", start = "2023-01", values = {1, 2, 3}})
assert(#db:series("a.x") == 3)          -- the script sees its own write
error("late failure")
LUA
run 1 run putfail.lua
has_err "late failure"
eq "$(count a.x)" 0 "a failed script's put"
eq "$(sql "SELECT count(*) FROM series WHERE key = 'a.x'")" 0 "a failed script's series"
run 1 run --commit-partial putfail.lua
eq "$(count a.x)" 3 "--commit-partial keeps the put"

# a put that fails inside pcall is undone alone; the script's other puts stay
cat > pcallput.lua <<'LUA'
local db = ot.db()
db:put(ot.series{key = "b.ok", freq = "M", start = "2023-01", values = {1, 2}})
local ok = pcall(db.put, db, ot.series{key = "b.bad", freq = "M", start = "2023-01", values = {1}},
                 {vintage = "not a date"})
assert(not ok)
print("done")
LUA
run 0 run pcallput.lua
eq "$(count b.ok)" 2 "a successful script's put"
eq "$(count b.bad)" 0 "a failed put"

# a stopped script keeps nothing, nor does one over its memory limit
cat > putloop.lua <<'LUA'
ot.db():put(ot.series{key = "c.x", freq = "M", start = "2023-01", values = {1}}, {vintage = "2099-01-01"})
while true do pcall(function() while true do end end) end
LUA
run 1 run --timeout 1 putloop.lua
eq "$(count c.x)" 0 "a stopped script's put"
cat > putmem.lua <<'LUA'
ot.db():put(ot.series{key = "c.m", freq = "M", start = "2023-01", values = {1}})
local t = {} for i = 1, 1e9 do t[i] = string.rep("x", 1000) .. i end
LUA
run 1 run --memory 32 putmem.lua
eq "$(count c.m)" 0 "a script over its memory limit"

# ot.open databases are held too; db:close() commits that database early
cat > other.lua <<'LUA'
local a = ot.open("other.db")
a:put(ot.series{key = "o.x", freq = "Y", start = 2020, values = {1}})
local b = ot.open("closed.db")
b:put(ot.series{key = "o.y", freq = "Y", start = 2020, values = {1}})
b:close()
error("after close")
LUA
run 1 run other.lua
eq "$(sqlite3 other.db "SELECT count(*) FROM observations")" 0 "ot.open database of a failed script"
eq "$(sqlite3 closed.db "SELECT count(*) FROM observations")" 1 "closed before the failure"

# ---- job: a script that puts with a future vintage, then loops -------------
mkdir jobs
cp putloop.lua jobs/putloop.lua
echo 'return {name = "loop", scripts = {"putloop.lua"}}' > jobs/loop.lua
run 1 job run jobs/loop.lua --timeout 1
eq "$(count c.x)" 0 "a failed job's put"
eq "$(sql "SELECT count(*) FROM observations WHERE vintage > '2098-01-01'")" 0 "no 2099 vintage"
eq "$(sql "SELECT status FROM runs WHERE job = 'loop'")" failed "the run is failed"

# ---- job: the whole run is one transaction, all its scripts with it --------------
# A job of two scripts whose second fails keeps nothing of the first: the
# observations are byte for byte as before (sqlite3's dump of the table).
cat > jobs/put1.lua <<'LUA'
ot.db():put(ot.series{key = "j.first", freq = "M", start = "2023-01", values = {1, 2}},
            {vintage = "2099-01-01"})
LUA
echo 'error("second script fails")' > jobs/raise2.lua
echo 'while true do pcall(function() while true do end end) end' > jobs/loop2.lua
echo 'return {name = "two", scripts = {"put1.lua", "raise2.lua"}}' > jobs/two.lua
echo 'return {name = "twoloop", scripts = {"put1.lua", "loop2.lua"}}' > jobs/twoloop.lua
dump() { sqlite3 "$ONTRACK_DB" ".dump observations" | grep -v '^\(BEGIN\|COMMIT\)'; }
before=$(dump)
run 1 job run jobs/two.lua
has_err "second script fails"
eq "$(count j.first)" 0 "the first script's put, the second failing"
[ "$(dump)" = "$before" ] || fail "observations changed by a failed job of two scripts"
eq "$(sql "SELECT status FROM runs WHERE job = 'two'")" failed "the failed run's record"
run 1 job run jobs/twoloop.lua --timeout 1
eq "$(count j.first)" 0 "the first script's put, the second stopped"
[ "$(dump)" = "$before" ] || fail "observations changed by a stopped job of two scripts"
eq "$(sql "SELECT status FROM runs WHERE job = 'twoloop'")" failed "the stopped run's record"
# a successful job keeps both scripts' writes; --commit-partial keeps the first's
echo 'ot.db():put(ot.series{key = "j.second", freq = "Y", start = 2020, values = {5}})' > jobs/put2.lua
echo 'return {name = "twook", scripts = {"put1.lua", "put2.lua"}}' > jobs/twook.lua
run 0 job run jobs/twook.lua --quiet
eq "$(count j.first):$(count j.second)" 2:1 "a successful job's puts"
sql "DELETE FROM observations WHERE key LIKE 'j.%'" >/dev/null
run 1 job run jobs/two.lua --commit-partial
eq "$(count j.first)" 2 "--commit-partial keeps the first script's put"
eq "$(sql "SELECT group_concat(status) FROM runs WHERE job = 'two'")" failed,failed \
   "--commit-partial: the run is still failed"

# ---- REPL: each statement ----------------------------------------------------
OUT=$(printf '%s\n' \
  'db = ot.db()' \
  'db:put(ot.series{key = "r.kept", freq = "Y", start = 2020, values = {1}})' \
  'db:put(ot.series{key = "r.lost", freq = "Y", start = 2020, values = {1}}); error("boom")' \
  'print(#db:series("r.kept"), pcall(db.series, db, "r.lost"))' \
  | "$ONTRACK" repl 2>&1)
grep -qF "boom" <<<"$OUT" || fail "repl: $OUT"
grep -qF "1	false" <<<"$OUT" || fail "repl: the failed statement's put is visible: $OUT"
eq "$(count r.kept)" 1 "a REPL statement that succeeded"
eq "$(count r.lost)" 0 "a REPL statement that failed"

# ---- the job lock is the database file's own, whatever names it ------------------
# A symbolic link, a hard link in another folder, a path through a linked folder,
# an absolute and a roundabout relative path: one file, so one lock per job.
: "${JOBLOCK:?set JOBLOCK to the joblock helper}"
mkdir lk lk2 && ln -s "$T/lk/j.db" lk/link.db
"$ONTRACK" --db lk/j.db init >/dev/null
ln lk/j.db lk2/hard.db
ln -s "$T/lk" lkdir
echo 'local t = os.clock() while os.clock() - t < 3 do end' > jobs/slow.lua
echo 'return {name = "slow", scripts = {"slow.lua"}}' > jobs/slowjob.lua
echo 'return 1' > jobs/quick.lua
echo 'return {name = "quick", scripts = {"quick.lua"}}' > jobs/quickjob.lua
echo 'return {name = "slow", scripts = {"quick.lua"}}' > jobs/slowquick.lua
running() { sqlite3 lk/j.db "SELECT count(*) FROM runs WHERE job = '$1' AND status = 'running'"; }
"$ONTRACK" --db lk/j.db job run jobs/slowjob.lua --quiet 2>/dev/null &
pid=$!
for _ in $(seq 100); do [ "$(running slow)" = 1 ] && break; sleep 0.05; done
[ "$(running slow)" = 1 ] || fail "the slow run never showed as running"
for db in lk/link.db lk2/hard.db lkdir/j.db "$T/lk/j.db" lk2/../lk/j.db; do
    run 75 --db "$db" job run jobs/slowjob.lua
    has_err "job 'slow' is running ("
done
run 75 --db lk2/hard.db job run jobs/slowjob.lua
has_err "warn slow lk2/hard.db has 2 names (hard links): SQLite keeps its journal beside the name it opens, so use one name only (docs/reliability.md)"
# another job on the same file, and the same job on another file, run meanwhile
run 0 --db lk/j.db job run jobs/quickjob.lua --quiet
"$ONTRACK" --db lk/k.db init >/dev/null
run 0 --db lk/k.db job run jobs/slowquick.lua --quiet
[ "$(running slow)" = 1 ] || fail "the slow run ended before the other runs were tried"
wait $pid || fail "the first run of the slow job failed"
eq "$(sqlite3 lk/j.db "SELECT group_concat(job || ':' || status) FROM runs ORDER BY id")" \
   "slow:ok,quick:ok" "the slow run (not marked failed by the others) and the quick one"
eq "$(sqlite3 lk/k.db "SELECT group_concat(job || ':' || status) FROM runs")" "slow:ok" \
   "the same job on another database"

# ---- no descriptor of the database file is closed while its store is open ------
# Closing any descriptor of a file drops every POSIX lock the process holds on it,
# SQLite's included (https://www.sqlite.org/howtocorrupt.html, 2.2): the job lock's
# descriptor lives until the store is closed.  In WAL mode SQLite holds a shared
# lock on bytes 1073741826..1073742335 of the file while a connection is open, so
# /proc/locks shows whether a process still holds it: a run waiting for the lock
# (--wait) and a `job history` that tested the locks of 1500 running runs and is
# stopped on a full pipe must both still hold it.
INO=$(stat -c %i lk/j.db)
sqlite_locked() { # sqlite_locked PID: PID holds SQLite's shared lock on lk/j.db
    awk -v p="$1" -v i=":$INO" '$2 == "POSIX" && $5 == p && $7 == 1073741826 &&
        substr($6, length($6) - length(i) + 1) == i { f = 1 } END { exit !f }' /proc/locks
}
coproc HOLD { exec "$JOBLOCK" lk/j.db held 20; }
read -r held <&"${HOLD[0]}"
eq "$held" held "joblock took the lock of job 'held'"
echo 'return {name = "held", scripts = {"quick.lua"}}' > jobs/heldjob.lua
"$ONTRACK" --db lk/j.db job run jobs/heldjob.lua --wait 2>waiter.err &
waiter=$!
for _ in $(seq 100); do grep -q "waiting for the running job" waiter.err && break; sleep 0.05; done
grep -q "waiting for the running job (its lock in lk/j.db is held)" waiter.err || fail "the waiter: $(cat waiter.err)"
sqlite_locked "$waiter" || fail "a run waiting for the job lock lost SQLite's lock: $(grep ":$INO " /proc/locks)"
kill "$waiter" && { wait "$waiter" 2>/dev/null || true; }
kill "$HOLD_PID" && { wait "$HOLD_PID" 2>/dev/null || true; }
sqlite3 lk/j.db "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1500)
                 INSERT INTO runs(job, started, status) SELECT 'ghost', '2026-01-01T00:00:00Z', 'running' FROM n"
rm -f hist.pid hist.started
bash -c 'echo $$ > hist.pid; exec "$0" --db lk/j.db job history ghost' "$ONTRACK" |
    { head -c 1 >/dev/null; touch hist.started; sleep 1; cat >hist.out; } &
reader=$!
for _ in $(seq 100); do [ -e hist.started ] && break; sleep 0.05; done
[ -e hist.started ] || fail "job history printed nothing"
sqlite_locked "$(cat hist.pid)" || fail "job history lost SQLite's lock: $(grep ":$INO " /proc/locks)"
wait "$reader"
eq "$(grep -c ' ghost  *interrupted ' hist.out)" 1500 "history: the ghost runs"

# ---- a read-only database file: no run, a clear error; history still tests locks -----
# as root, permissions do not bind: run as nobody (setpriv), as reliability_hostile does
as_nobody
if [ "${AS[0]:-}" = skip ]; then
    echo "SKIP read-only database: running as root without setpriv"
else
    mkdir ro && cp lk/k.db ro/r.db && chmod 444 ro/r.db && chmod -R a+rX jobs ro
    OUT=$("${AS[@]}" "$ONTRACK" --db ro/r.db job run jobs/slowquick.lua 2>&1); CODE=$?
    eq "$CODE" 74 "job run on a read-only database"
    grep -qF "ro/r.db: cannot open the database for writing to lock the job: Permission denied (a job run records itself in the database, so it must be writable)" <<<"$OUT" \
        || fail "job run on a read-only database: $OUT"
    OUT=$("${AS[@]}" "$ONTRACK" --db ro/r.db job history 2>&1) || fail "job history on a read-only database: $OUT"
    grep -Eq " slow +ok " <<<"$OUT" || fail "job history on a read-only database: $OUT"
fi

done_ok
