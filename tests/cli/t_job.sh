#!/usr/bin/env bash
# ontrack job: runs of the bundled Yiwu job, idempotence, the lock, SIGKILL at
# random moments, stale runs, backfill over a revision, --fail-on, history and
# show, script limits, and the systemd ExecStart line of docs/scheduling.md.
. "$SRC/tests/cli/lib.sh"

D="$SRC/datasets"
run 0 import "$D/series.csv" "$D/china/china_monthly_nbs.csv" "$D/china/china_afan_macropage.csv" \
    "$D/zhejiang/zhejiang.csv" "$D/yiwu/yiwu.csv" "$D/yiwu/targets_2023.csv"

# ---- the bundled job: a run, its record, its files ------------------------
mkdir -p jobs
cp "$SRC/scripts/jobs/yiwu_monthly.lua" jobs/
run 0 job run jobs/yiwu_monthly.lua --as-of 2023-10-31
# one line per event: time, level, job, run, message
grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z info yiwu-monthly run=1 started as of 2023-10-31 \(data [0-9a-f]{16}, scripts [0-9a-f]{16}\)$' <<<"$ERR" \
    || fail "start line"
has_err "info yiwu-monthly run=1 projected 22 targets (0 off track or missed)"
has_err "info yiwu-monthly run=1 wrote jobs/reports/yiwu-monthly-2023-10-31.json"
has_err "info yiwu-monthly run=1 finished ok in"
eq "$(sql "SELECT job, status, date(as_of * 86400, 'unixepoch'), engine_version IS NOT NULL,
           length(scripts_hash), length(data_hash), finished IS NOT NULL FROM runs")" \
   "yiwu-monthly|ok|2023-10-31|1|16|16|1" "run record"
eq "$(sql "SELECT count(*) FROM projections WHERE run_id = 1")" 22 "projections stored"
# GDP: Jan–Sep +8.7% carried (as `project` prints it; on track with the national
# record of carry-forward errors); status names as in JSON
eq "$(sql "SELECT label, round(carry, 1), status FROM projections WHERE run_id = 1 AND target_id = 1")" \
   "地区生产总值增长7.5%以上|8.7|on_track" "GDP projection"
R=jobs/reports/yiwu-monthly-2023-10-31
for ext in json md csv txt; do [ -s "$R.$ext" ] || fail "no $R.$ext"; done
eq "$(sqlite3 :memory: "SELECT json_extract(readfile('$R.json'), '\$.projections[0].carry')")" 8.7 "JSON carry"
eq "$(sed -n 1p "$R.csv" | tr -d '\r')" \
   "target_id,label,series,year,kind,op,value,as_of,through,point,lo80,hi80,lo95,hi95,prob,required,carry,outcome,status,method" \
   "CSV header"
eq "$(sed -n 2p "$R.csv" | cut -d, -f1-9,17,19)" "1,地区生产总值增长7.5%以上,yiwu.gdp,2023,growth,>=,7.5,2023-10-31,2023Q3,8.7,on_track" "CSV GDP row"
eq "$(wc -l < "$R.csv")" 23 "CSV: header and 22 rows"
grep -q '^| 地区生产总值增长7.5%以上 | 增速 ≥ 7.5% | 2023年三季度 | 8.7% | 8.7% |' "$R.md" || fail "Markdown GDP row"
# the text report in the job's language (Chinese unless lang = "en")
grep -q "^地区生产总值增长7.5%以上 *增速 ≥ 7.5% *2023年三季度 *8.7%" "$R.txt" || fail "text GDP row"
ls jobs/reports | grep -q '^\.' && fail "temporary files left behind"

# ---- idempotence: same job, data and as-of -> same projections and bytes --
for ext in json md csv txt; do cp "$R.$ext" "first.$ext"; done
run 0 job run jobs/yiwu_monthly.lua --as-of 2023-10-31 --quiet
eq "$ERR" "" "--quiet prints nothing on success"
for ext in json md csv txt; do cmp -s "$R.$ext" "first.$ext" || fail "$ext differs between runs"; done
COLS="target_id, label, as_of, point, lo80, hi80, lo95, hi95, prob, required, carry, status, method, note"
eq "$(sql "SELECT count(*) FROM (SELECT $COLS FROM projections WHERE run_id = 1
                                 EXCEPT SELECT $COLS FROM projections WHERE run_id = 2)")" 0 "same projections"
eq "$(sql "SELECT count(DISTINCT data_hash) || count(DISTINCT scripts_hash) FROM runs")" 11 "same hashes"
# a series' release lag decides when its undated rows are known: changed, the
# same as-of reads other data, so the data hash changes too (on a copy)
sqlite3 "$ONTRACK_DB" ".backup lag.db"
printf 'series,name,release_lag\nyiwu.gdp,义乌市地区生产总值,120\n' > lag.csv
run 0 --db lag.db import --format series lag.csv
mkdir -p lagjob && cp jobs/yiwu_monthly.lua lagjob/
run 0 --db lag.db job run lagjob/yiwu_monthly.lua --as-of 2023-10-31 --quiet
eq "$(sqlite3 lag.db "SELECT count(DISTINCT data_hash) FROM runs WHERE as_of = (SELECT as_of FROM runs WHERE id = 1)")" 2 \
   "a changed release lag changes the data hash"
# another as-of: other data, another hash
run 0 job run jobs/yiwu_monthly.lua --as-of 2023-08-31 --quiet
eq "$(sql "SELECT count(DISTINCT data_hash) FROM runs")" 2 "data hash follows the as-of"

# the HTML report (report/html.h), byte-identical across runs too
cat > jobs/html.lua <<'LUA'
return {name = "html", targets = {year = 2023}, paths = 500, outputs = {"html/{job}-{run}.html"}}
LUA
run 0 job run jobs/html.lua --as-of 2023-10-31 --quiet
run 0 job run jobs/html.lua --as-of 2023-10-31 --quiet
H1=$(sql "SELECT min(id) FROM runs WHERE job = 'html'"); H2=$(sql "SELECT max(id) FROM runs WHERE job = 'html'")
eq "$(head -c 15 "jobs/html/html-$H1.html")" "<!DOCTYPE html>" "an HTML page"
grep -q "地区生产总值增长7.5%以上" "jobs/html/html-$H1.html" || fail "HTML lacks the GDP target"
cmp -s "jobs/html/html-$H1.html" "jobs/html/html-$H2.html" || fail "HTML differs between runs"
# ... and on any day: no output holds the day it was written (no 编制日期),
# so a daily cron run on unchanged data writes the same bytes tomorrow
TODAY=$(date -u +%Y-%m-%d) LTODAY=$(date +%Y-%m-%d)
for f in "jobs/html/html-$H1.html" "$R.md" "$R.txt" "$R.csv" "$R.json"; do
    grep -qF -e "$TODAY" -e "$LTODAY" "$f" && fail "$f holds today's date"
    grep -qF "编制日期" "$f" && fail "$f holds a 编制日期"
done
sql "PRAGMA foreign_keys = ON; DELETE FROM runs WHERE job = 'html'"

# a period as-of: the latest vintages through that period, named as given
run 0 job run jobs/yiwu_monthly.lua --as-of 2023-06 --quiet
eq "$(sqlite3 :memory: "SELECT json_extract(readfile('jobs/reports/yiwu-monthly-2023-06.json'), '\$.projections[0].through')")" \
   2023Q1 "as of 2023-06: GDP through Q1"
sql "PRAGMA foreign_keys = ON; DELETE FROM runs WHERE id = (SELECT max(id) FROM runs)"

# the job's db (relative to the job file) comes before \$ONTRACK_DB; --db before both
echo 'return {name = "dbjob", db = "own.db", targets = {}}' > jobs/dbjob.lua
# a database without targets (a mistyped `db` is created empty): an error
# naming it, not a run that projects nothing and finishes "ok"
run 66 job run jobs/dbjob.lua
has_err "jobs/dbjob.lua: the database jobs/own.db holds no targets (a wrong \`db\` or --db? import them with ontrack import --format targets)"
eq "$(sqlite3 jobs/own.db "SELECT count(*) FROM runs")" 0 "no run recorded"
# with scripts the run goes on (they may fill the database), saying so
echo 'print("script ran")' > jobs/fill.lua
echo 'return {name = "filljob", db = "fill.db", targets = {}, scripts = {"fill.lua"}}' > jobs/filljob.lua
run 0 job run jobs/filljob.lua
has_out "script ran"
has_err "warn filljob the database jobs/fill.db holds no targets: the scripts run, nothing is projected"
# ... also with a targets filter (the scripts may bring the targets it
# matches): the first run imports them, the next projects them
printf 'series,year,kind,op,value,label\nfill.x,2023,growth,>=,5,FX\n' > jobs/fillt.csv
echo 'assert(ot.db():import("fillt.csv", {format = "targets"}))' > jobs/fill2.lua
echo 'return {name = "fill2", db = "fill2.db", targets = {year = 2023}, scripts = {"fill2.lua"}, paths = 100, outputs = {"fo/{job}.csv"}}' > jobs/fill2job.lua
cd jobs
run 0 job run fill2job.lua
has_err "warn fill2 the database fill2.db holds no targets: the scripts run, nothing is projected"
has_err "info fill2 run=1 finished ok"
run 0 job run fill2job.lua
has_err "info fill2 run=2 projected 1 target (0 off track or missed)"
cd ..
run 0 --db jobs/own.db import --format targets "$D/yiwu/targets_2023.csv"
run 0 job run jobs/dbjob.lua --quiet
eq "$(sqlite3 jobs/own.db "SELECT job || ' ' || status FROM runs")" "dbjob ok" "the job's own database"
eq "$(sql "SELECT count(*) FROM runs WHERE job = 'dbjob'")" 0 "not \$ONTRACK_DB"
run 0 --db "$ONTRACK_DB" job run jobs/dbjob.lua --quiet
eq "$(sql "SELECT count(*) FROM runs WHERE job = 'dbjob'")" 1 "--db wins"
sql "PRAGMA foreign_keys = ON; DELETE FROM runs WHERE job = 'dbjob'"

# as_of = "latest" (the bundled job's): the newest period with data among the
# job's targets' series, said in the log, and the files named after it
cat > jobs/latest.lua <<'LUA'
return {name = "latest", targets = {year = 2023, series = "yiwu.gdp"}, paths = 200,
        outputs = {"l/{job}-{as_of}.json"}}
LUA
run 0 job run jobs/latest.lua
# (yiwu.gdp has data into 2025; a 2023 target reads no further than 2023Q4)
GDPLAST=$(sql "SELECT max(o.ord) FROM obs o JOIN series s ON s.id = o.series_id WHERE s.key = 'yiwu.gdp'")
WANT=$(sqlite3 :memory: "SELECT CASE WHEN $GDPLAST / 4 > 2023 THEN '2023Q4' ELSE printf('%dQ%d', $GDPLAST / 4, $GDPLAST % 4 + 1) END")
has_err "info latest as of latest: $WANT, the newest period with data among the job's targets' series"
has_err "started as of $WANT ("
[ -s "jobs/l/latest-$WANT.json" ] || fail "the file is named after the targets' newest data ($WANT)"
eq "$(sqlite3 :memory: "SELECT json_extract(readfile('jobs/l/latest-$WANT.json'), '\$.as_of')")" "$WANT" "report as of"
eq "$(sql "SELECT through FROM runs WHERE job = 'latest'")" "$WANT" "the run keeps its period"
run 0 report latest --format md
QZH=(一 二 三 四)
has_out "数据截至：${WANT%Q*}年${QZH[${WANT#*Q} - 1]}季度"
sql "PRAGMA foreign_keys = ON; DELETE FROM runs WHERE job = 'latest'"

# a scenario compared in a job's script is in the job's reports, in `report`
# and in `job show`, not only on standard output
cat > jobs/cmp.lua <<'LUA'
local db = ot.db()
local t
for _, x in ipairs(db:targets{year = 2023}) do if x.series == "yiwu.exports" then t = x end end
local weak = ot.scenario("出口四季度下降5%", function(sc)
  sc:shock("yiwu.exports", -5, {from = "2023-10", to = "2023-12"})
end)
ot.compare({t}, {weak}, {paths = 500, seed = 1, print = false})
LUA
cat > jobs/cmpjob.lua <<'LUA'
return {name = "cmp", targets = {year = 2023, series = "yiwu.ex*"}, scripts = {"cmp.lua"},
        as_of = "2023-10-31", paths = 500, outputs = {"c/{job}.md", "c/{job}.txt", "c/{job}.html"}}
LUA
run 0 job run jobs/cmpjob.lua --quiet
grep -q '^## 情景比较$' jobs/c/cmp.md || fail "the comparison in the job's Markdown"
grep -Eq '^\| 出口增速高于全省平均 \| [+0-9.-]+个百分点 \| [0-9]+% \| [+0-9.-]+个百分点 \| [0-9]+% \|$' jobs/c/cmp.md \
    || fail "the comparison's row"
grep -q '出口四季度下降5%' jobs/c/cmp.txt || fail "the comparison in the text"
grep -q '<h2>情景比较</h2>' jobs/c/cmp.html || fail "the comparison in the HTML"
CMP=$(sql "SELECT max(id) FROM runs WHERE job = 'cmp'")
eq "$(sql "SELECT count(*) FROM compares WHERE run_id = $CMP")" 1 "the comparison stored with the run"
# a comparison saved by a script goes with the run when a later script fails
echo 'error("after the comparison")' > jobs/cmpfail.lua
cat > jobs/cmpfailjob.lua <<'LUA'
return {name = "cmpfail", targets = {year = 2023, series = "yiwu.ex*"},
        scripts = {"cmp.lua", "cmpfail.lua"}, as_of = "2023-10-31", paths = 500}
LUA
run 1 job run jobs/cmpfailjob.lua --quiet
eq "$(sql "SELECT count(*) FROM compares c JOIN runs r ON r.id = c.run_id WHERE r.job = 'cmpfail'")" 0 \
   "a failed run's comparison"
eq "$(sql "SELECT status FROM runs WHERE job = 'cmpfail'")" failed "the run with a failed second script"
# a script's error longer than 1 KiB is logged and kept with the run whole
# (it was cut at 1 KiB in the middle of a line, its traceback lost)
echo 'error(string.rep("x", 3000) .. " END")' > jobs/longfail.lua
cat > jobs/longfailjob.lua <<'LUA'
return {name = "longfail", targets = {year = 2023, series = "yiwu.gdp"},
        scripts = {"longfail.lua"}, as_of = "2023-10-31", paths = 200}
LUA
run 1 job run jobs/longfailjob.lua --quiet
has_err "xxxxxxxx END"
has_err "longfail.lua:1: in main chunk"
eq "$(sql "SELECT length(error) > 3000 AND error LIKE '%xxx END%in main chunk%' FROM runs WHERE job = 'longfail'")" 1 \
   "the whole error kept with the run"
run 0 report "$CMP" --format md
eq "$(sed -n '/^## 情景比较$/,$p' <<<"$OUT" | sed '/^---$/,$d')" "$(sed -n '/^## 情景比较$/,$p' jobs/c/cmp.md | sed '/^---$/,$d')" "report RUN shows it (provenance aside)"
run 0 job show "$CMP"
has_out "出口四季度下降5%"
sql "PRAGMA foreign_keys = ON; DELETE FROM runs WHERE job = 'cmp'"
eq "$(sql "SELECT count(*) FROM compares")" 0 "comparisons go with their run"

# ---- history and show ---------------------------------------------------
run 0 job history
out_words 1 "run job status as of started seconds data"
grep -Eq '^ +3  yiwu-monthly  ok +2023-08-31  [0-9T:Z-]{20} +[0-9]+  [0-9a-f]{16}$' <<<"$OUT" || fail "history row 3"
eq "$(grep -c yiwu-monthly <<<"$OUT")" 3 "history rows"
run 0 job history yiwu-monthly --limit 1
eq "$(grep -c yiwu-monthly <<<"$OUT")" 1 "--limit 1"
run 66 job history nosuchjob
has_err "no runs of job 'nosuchjob'"
run 0 job history yiwu-monthly --lang zh
out_words 1 "运行 任务 状态 数据截至 开始时间 耗时（秒） 数据哈希"
grep -Eq '^ +3  yiwu-monthly  成功 +2023-08-31 ' <<<"$OUT" || fail "history row 3 in Chinese"
run 2 job history --lang fr
has_err "--lang: expected zh or en, got 'fr'"
# --db, the option of every command, may also come before the subcommand
( unset ONTRACK_DB; cd / && run 0 job --db "$T/test.db" history yiwu-monthly --limit 1 && \
  eq "$(grep -c yiwu-monthly <<<"$OUT")" 1 "job --db DB history" ) || exit 1
run 2 job --quiet history
has_err "unknown subcommand '--quiet' (run, history, show, backfill; options follow the subcommand)"
run 0 job show 3
grep -q "^run 3  yiwu-monthly  ok  as of 2023-08-31  started " <<<"$OUT" || fail "show header"
grep -q "^地区生产总值增长7.5%以上 *growth >= 7.5%" <<<"$OUT" || fail "show: GDP in the status table"
has_out "how the projections moved (the last 3 ok runs of yiwu-monthly, by as-of):"
# ordered by as-of, not by run: GDP at 7.3% as of August (run 3, made last: Q1
# carried forward),
# then 8.7% as of October (runs 1 and 2)
grep -Eq '^地区生产总值增长7.5%以上 +3  2023-08-31 +7.3%' <<<"$OUT" || fail "show: GDP run 3"
grep -Eq '^ +1  2023-10-31 +8.7%' <<<"$OUT" || fail "show: GDP run 1"
grep -A1 -E '^地区生产总值增长7.5%以上 +3 ' <<<"$OUT" | grep -Eq '^ +1  2023-10-31' || fail "show: by as-of"
# latest: the newest run
run 0 job show latest
grep -q "^run $(sql "SELECT max(id) FROM runs")  " <<<"$OUT" || fail "show latest"
run 66 job show 99
has_err "no run 99"
run 2 job show abc
has_err "expected a run number or 'latest', got 'abc'"

# ---- keep = N prunes older runs -----------------------------------------
cat > jobs/keep.lua <<'LUA'
return {name = "keep2", targets = {year = 2023, series = "yiwu.im*"}, paths = 200, keep = 2}
LUA
for i in 1 2 3; do run 0 job run jobs/keep.lua --as-of 2023-10-31 --quiet; done
eq "$(sql "SELECT count(*) FROM runs WHERE job = 'keep2'")" 2 "keep = 2"
eq "$(sql "SELECT count(*) FROM projections p JOIN runs r ON r.id = p.run_id WHERE r.job = 'keep2'")" 2 \
   "one target (series filter yiwu.im*) per kept run"

# ---- the lock: a second run exits 75 naming the running one; --wait waits
cat > jobs/slow.lua <<'LUA'
return {name = "slow", targets = {year = 2023, series = "yiwu.gdp"}, paths = 200, scripts = {"busy.lua"}}
LUA
cat > jobs/busy.lua <<'LUA'
local t = os.clock()
while os.clock() - t < 3 do end
LUA
"$ONTRACK" job run jobs/slow.lua --quiet --as-of 2023-10-31 2>/dev/null &
BG=$!
for _ in $(seq 100); do
    [ "$(sql "SELECT count(*) FROM runs WHERE job = 'slow' AND status = 'running'")" = 1 ] && break
    sleep 0.05
done
SLOW=$(sql "SELECT id FROM runs WHERE job = 'slow' AND status = 'running'")
[ -n "$SLOW" ] || fail "the slow run never showed as running"
# readers keep working during a run (WAL): history shows it running
run 0 job history slow
grep -Eq "^ +$SLOW  slow +running +2023-10-31  [0-9T:Z-]{20} +[0-9a-f]{16}\$" <<<"$OUT" || fail "history: the running run"
run 0 project --year 2023 --as-of 2023-10-31 --paths 200
run 75 job run jobs/slow.lua --as-of 2023-10-31
grep -Eq "^[0-9T:Z-]{20} error slow job 'slow' is running \(run $SLOW, started [0-9T:Z-]{20}\); try again later or use --wait$" <<<"$ERR" \
    || fail "locked message"
run 0 job run jobs/slow.lua --as-of 2023-10-31 --wait
has_err "info slow waiting for the running job (run $SLOW, started"
wait $BG || fail "the first slow run failed"
eq "$(sql "SELECT group_concat(status) FROM runs WHERE job = 'slow'")" "ok,ok" "both slow runs ok"
# a lock held by another process with no run recorded (joblock, tests/cli/joblock.c)
: "${JOBLOCK:?set JOBLOCK to the joblock helper}"
coproc HOLD { exec "$JOBLOCK" "$ONTRACK_DB" slow 2; }
read -r held <&"${HOLD[0]}"
eq "$held" held "joblock took the lock"
run 75 job run jobs/slow.lua --as-of 2023-10-31
has_err "job 'slow' is running (its lock in $ONTRACK_DB is held); try again later or use --wait"
# a run recorded "running" whose job's lock is held is running, not interrupted
sql "INSERT INTO runs(job, started, status) VALUES ('slow', '2026-01-01T00:00:00Z', 'running')"
HELD=$(sql "SELECT max(id) FROM runs")
run 0 job history slow
grep -Eq "^ +$HELD  slow +running " <<<"$OUT" || fail "history: a held run is running"
# another job's lock on the same database is free meanwhile
"$JOBLOCK" "$ONTRACK_DB" other 0 >/dev/null || fail "the lock of job 'other' is taken by 'slow'"
wait "$HOLD_PID"
# the holder is gone: the lock is free and the run shows as interrupted
run 0 job history slow
grep -Eq "^ +$HELD  slow +interrupted " <<<"$OUT" || fail "history: the released run is interrupted"
sql "UPDATE runs SET status = 'failed' WHERE id = $HELD"

# ---- a run that died: the next run marks it failed and carries on --------
sql "INSERT INTO runs(job, started, status) VALUES ('keep2', '2026-01-01T00:00:00Z', 'running')"
DEAD=$(sql "SELECT max(id) FROM runs")
# its process is gone (the job's lock is free): history and show say so
run 0 job history keep2
grep -Eq "^ +$DEAD  keep2 +interrupted " <<<"$OUT" || fail "history: the dead run is interrupted"
run 0 job show "$DEAD"
grep -q "^run $DEAD  keep2  interrupted  " <<<"$OUT" || fail "show: interrupted"
has_out "no projections (the run was interrupted)"
run 0 job run jobs/keep.lua --as-of 2023-10-31
has_err "warn keep2 run $DEAD did not finish (its process died): marked failed"
eq "$(sql "SELECT status, finished IS NOT NULL FROM runs WHERE id = $DEAD")" "failed|1" "the dead run failed"
has_err "pruned 2 old runs (keep = 2)"

# ---- SIGKILL at random moments: the database stays consistent ----------
cat > jobs/kill.lua <<'LUA'
return {name = "kill", targets = {year = 2023}, paths = 3000, outputs = {"kill/{job}-{run}.json"}}
LUA
# one run's duration in ms, so that the kills land anywhere inside a run
T0=$(date +%s%N)
run 0 job run jobs/kill.lua --as-of 2023-10-31 --quiet
DUR=$(( ($(date +%s%N) - T0) / 1000000 ))
for i in $(seq 20); do
    "$ONTRACK" job run jobs/kill.lua --as-of 2023-10-31 --quiet 2>/dev/null &
    P=$!
    MS=$((RANDOM % (DUR * 3 / 4 + 1)))
    sleep "$((MS / 1000)).$(printf %03d $((MS % 1000)))"
    kill -9 $P 2>/dev/null
    wait $P 2>/dev/null
done
eq "$(sql "PRAGMA integrity_check")" ok "integrity after SIGKILLs"
eq "$(sql "SELECT count(*) FROM runs r WHERE job = 'kill' AND status = 'ok'
           AND (SELECT count(*) FROM projections WHERE run_id = r.id) != 22")" 0 "no partial ok run"
echo "kill: $(($(sql "SELECT count(*) FROM runs WHERE job = 'kill' AND status = 'ok'") - 1)) of 20 runs finished before the kill (a run: $DUR ms)" >&2
eq "$(sql "SELECT count(*) FROM projections p JOIN runs r ON r.id = p.run_id WHERE r.status != 'ok'")" 0 \
   "no projections of unfinished runs"
run 0 job run jobs/kill.lua --as-of 2023-10-31 --quiet
eq "$(sql "SELECT count(*) FROM runs WHERE job = 'kill' AND status = 'running'")" 0 "stale runs marked failed"
LAST=$(sql "SELECT max(id) FROM runs WHERE job = 'kill'")
eq "$(sqlite3 :memory: "SELECT json_array_length(readfile('jobs/kill/kill-$LAST.json'), '\$.projections')")" 22 \
   "the completed run's file"
for f in jobs/kill/kill-*.json; do
    n=${f##*-}; n=${n%.json}
    eq "$(sql "SELECT status FROM runs WHERE id = $n")" ok "a file only for an ok run ($f)"
done

# ---- SIGTERM (systemctl stop, TimeoutStartSec) and SIGINT: the run stops --
# at the engine's next check, is rolled back (its script's put too) and marked
# failed with why; the command exits 128 + the signal
cat > jobs/term.lua <<'LUA'
ot.db():put(ot.series{key = "term.x", freq = "M", start = "2023-01", values = {1}}, {vintage = "2099-01-01"})
while true do end
LUA
echo 'return {name = "term", targets = {year = 2023}, paths = 200, scripts = {"term.lua"}, outputs = {"term/{job}.csv"}}' > jobs/termjob.lua
"$ONTRACK" job run jobs/termjob.lua --as-of 2023-10-31 2>term.err &
P=$!
for i in $(seq 100); do grep -q "projected" term.err && break; sleep 0.1; done
sleep 0.3
kill -TERM $P
wait $P; CODE=$?
ERR=$(cat term.err)
eq "$CODE" 143 "SIGTERM: exit 128 + 15"
TR=$(sql "SELECT max(id) FROM runs WHERE job = 'term'")
has_err "error term run=$TR stopped by SIGTERM (the run is rolled back)"
eq "$(sql "SELECT status FROM runs WHERE id = $TR")" failed "SIGTERM: the run failed"
eq "$(sql "SELECT count(*) FROM series WHERE key = 'term.x'")" 0 "SIGTERM: the script's put rolled back"
[ -e jobs/term ] && [ -n "$(ls -A jobs/term)" ] && fail "SIGTERM: files left ($(ls -A jobs/term))"
run 0 job show "$TR"
out_line 3 "error: stopped by SIGTERM (the run is rolled back)"
# SIGINT (Ctrl-C) ends a --wait: exit 130, nothing recorded
coproc HOLD { exec "$JOBLOCK" "$ONTRACK_DB" term 5; }
read -r held <&"${HOLD[0]}"
"$ONTRACK" job run jobs/termjob.lua --as-of 2023-10-31 --wait 2>term.err &
P=$!
for i in $(seq 100); do grep -q "waiting" term.err && break; sleep 0.1; done
kill -INT $P
wait $P; CODE=$?
ERR=$(cat term.err)
eq "$CODE" 130 "SIGINT in --wait: exit 128 + 2"
has_err "error term stopped by SIGINT while waiting for the running job"
eq "$(sql "SELECT count(*) FROM runs WHERE job = 'term'")" 1 "SIGINT in --wait: no run recorded"
kill "$HOLD_PID" 2>/dev/null; wait "$HOLD_PID" 2>/dev/null

# ---- --fail-on off-track, bad job files ----------------------------------
cat > high.csv <<'CSV'
series,year,kind,op,value,label
yiwu.imports,2023,growth,>=,90,进口增长90%
CSV
run 0 import --format targets high.csv
cat > jobs/high.lua <<'LUA'
return {name = "high", targets = {year = 2023, series = "yiwu.imports"}, paths = 500}
LUA
run 0 job run jobs/high.lua --as-of 2023-10-31
has_err "projected 2 targets (1 off track or missed)"
run 3 job run jobs/high.lua --as-of 2023-10-31 --fail-on off-track --quiet
# cron mails what a job prints, not its exit status: the alert is one warning
# line that --quiet keeps, naming the target
grep -Eq '^[0-9T:-]+Z warn high run=[0-9]+ 1 target off track or missed \(--fail-on off-track: exit 3\): 进口增长90% \(off track\)$' <<<"$ERR" \
    || fail "--fail-on --quiet: the alert line"
eq "$(wc -l <<<"$ERR")" 1 "--fail-on --quiet: only the alert"
run 0 job run jobs/high.lua --as-of 2023-10-31 --quiet
eq "$ERR" "" "without --fail-on an off-track target is no warning"
run 2 job run jobs/high.lua --fail-on rain
has_err "--fail-on: expected 'off-track', got 'rain'"
echo 'return {name = "h", targets = {}, outputs = {"r/{job}.pdf"}}' > jobs/pdf.lua
run 65 job run jobs/pdf.lua
has_err "jobs/pdf.lua: output 'jobs/r/{job}.pdf': unsupported format (supported: .json, .txt, .md, .csv, .html)"
echo 'return {name = "h", targets = {}, outputs = {"r/{date}.json"}}' > jobs/ph.lua
run 65 job run jobs/ph.lua
has_err "output 'jobs/r/{date}.json': unknown placeholder (use {job}, {as_of}, {run})"
echo 'return {name = "h"}' > jobs/empty.lua
run 65 job run jobs/empty.lua
has_err "a job needs \`targets\` or \`scripts\`"
# intervals = "cv": the model's ranges calibrated (a target on a rich series;
# the Yiwu ones are projected from the ytd and a shape, without a model)
printf 'series,year,kind,op,value\nchina.exports_usd,2023,growth,>=,0\n' > cvt.csv
run 0 import --format targets cvt.csv
cat > jobs/cv.lua <<'LUA'
return {name = "cv", targets = {year = 2023, series = "china.*"}, paths = 500,
        intervals = "cv", outputs = {"r/{job}.csv"}}
LUA
run 0 job run jobs/cv.lua --as-of 2023-06 --quiet
grep -q ' on logs, cv intervals"*'$'\r''*$' jobs/r/cv.csv || fail "cv job: no 'cv intervals' method"
sed 's/intervals = "cv"/intervals = "model"/' jobs/cv.lua > jobs/cvm.lua
run 0 job run jobs/cvm.lua --as-of 2023-06 --quiet
# intervals = "model" is the default, whose method is chosen by the record
grep -q 'record: ' jobs/r/cv.csv || fail "model job: method"
# a misspelt key is an error naming the file, the key and the near one: not a
# run that finishes "ok" and writes nothing
echo 'return {name = "h", targets = {year = 2023}, output = {"r/{job}.md"}}' > jobs/typo.lua
run 65 job run jobs/typo.lua
eq "$ERR" "ontrack: jobs/typo.lua:1:46: unknown key 'output' (did you mean 'outputs'?)" "a misspelt key, where it is written"
echo 'return {name = "h", targets = {yaer = 2023}}' > jobs/typo2.lua
run 65 job run jobs/typo2.lua
has_err "jobs/typo2.lua:1:32: unknown key 'yaer' in targets (did you mean 'year'?)"
echo 'return {name = "h", targets = {}, colour = "red"}' > jobs/typo3.lua
run 65 job run jobs/typo3.lua
has_err "jobs/typo3.lua:1:35: unknown key 'colour' (known: name, db, targets, scripts, as_of, paths, seed, outputs, keep, method, intervals, title, lang, exclude_years, shape_years)"
# a targets filter that matches no stored target is an error (as for project),
# not a run that finishes "ok" having projected nothing
echo 'return {name = "none", targets = {year = 2031}}' > jobs/none.lua
run 66 job run jobs/none.lua
has_err "jobs/none.lua: no stored target matches its targets {year = 2031} (ontrack targets lists them)"
echo 'return {name = "none", targets = {year = 2023, series = "yiwu.nothing*"}}' > jobs/none2.lua
run 66 job run jobs/none2.lua
has_err "no stored target matches its targets {year = 2023, series = \"yiwu.nothing*\"}"
eq "$(sql "SELECT count(*) FROM runs WHERE job = 'none'")" 0 "runs of a job whose filter matches nothing"
# a bad as_of in the job file is an error of the file, where it is written
# (exit 65), found before anything is opened: no run recorded, and a database
# the job names is not made
echo 'return {name = "badasof", targets = {year = 2023}, as_of = "2023-13"}' > jobs/badasof.lua
run 65 job run jobs/badasof.lua
eq "$ERR" "ontrack: jobs/badasof.lua:1:52: field 'as_of' must be \"latest\", a date (2023-10-31) or a period (2023-09), got \"2023-13\"" "a bad as_of"
eq "$(sql "SELECT count(*) FROM runs WHERE job = 'badasof'")" 0 "runs of a job with a bad as_of"
printf 'return {\n  name = "badasof2", db = "fresh.db",\n  targets = {year = 2023},\n  as_of = "2023-02-30",\n}\n' > jobs/badasof2.lua
run 65 job run jobs/badasof2.lua
has_err "jobs/badasof2.lua:4:3: field 'as_of' must be"
[ -e jobs/fresh.db ] && fail "a job file with a bad as_of made its database"
# every field's error says where the field is written (line and column in
# characters), past comments and strings that hold its name; a table built
# another way gives the file alone
cat > jobs/pos.lua <<'LUA'
-- paths = 5, in a comment
--[==[ paths = 7,
   in a long comment ]==]
local s = "paths = 3" .. [[paths = 2]]
return {
  title = "义乌 paths", name = "pos", targets = {year = 2023}, paths = 0,
}
LUA
run 65 job run jobs/pos.lua
eq "$ERR" "ontrack: jobs/pos.lua:6:62: field 'paths' must be an integer from 1 to 10000000" "a field's position"
echo 'local t = {targets = {year = 2023}} t["paths"] = 0 return t' > jobs/pos2.lua
run 65 job run jobs/pos2.lua
eq "$ERR" "ontrack: jobs/pos2.lua: field 'paths' must be an integer from 1 to 10000000" "no position to tell"
# the records' exceptional years and the shape reference's years, as for project
echo 'return {name = "ex", targets = {year = 2023, series = "yiwu.gdp"}, paths = 200, exclude_years = "2019-2022", shape_years = "2014-2018", lang = "en", outputs = {"ex/{job}.md"}}' > jobs/ex.lua
run 0 job run jobs/ex.lua --quiet --as-of 2023-10-31
grep -q "its errors on Gross domestic product at quarter 3 in 2014-2018" jobs/ex/ex.md || fail "job shape_years"
grep -q "2019-2022 left out of the record" jobs/ex/ex.md || fail "job exclude_years"
echo 'return {name = "ex2", targets = {year = 2023}, exclude_years = "2022-2020"}' > jobs/ex2.lua
run 65 job run jobs/ex2.lua
has_err "jobs/ex2.lua:1:48: field 'exclude_years': '2022-2020': expected years like 2020-2022, one year, or none"
sql "PRAGMA foreign_keys = ON; DELETE FROM runs WHERE job = 'ex'"
# title and lang are the reports'
echo 'return {name = "tl", targets = {year = 2023, series = "yiwu.gdp"}, paths = 200, title = "义乌 <月报>", lang = "en", outputs = {"tl/{job}.md"}}' > jobs/tl.lua
run 0 job run jobs/tl.lua --quiet --as-of 2023-10-31
eq "$(head -1 jobs/tl/tl.md)" '# 义乌 \<月报\>' "the job's title"
grep -q '^Data as of: 2023 Q3' jobs/tl/tl.md || fail "the job's language (data as of its latest period)"
sql "PRAGMA foreign_keys = ON; DELETE FROM runs WHERE job = 'tl'"
echo 'return {name = "h", targets = {}, lang = "fr"}' > jobs/badlang.lua
run 65 job run jobs/badlang.lua
has_err "jobs/badlang.lua:1:35: field 'lang' must be \"zh\" or \"en\", got \"fr\""
eq "$(sql "SELECT count(*) FROM runs WHERE job = 'h'")" 0 "no run recorded for a bad job file"
echo 'return {name = "h", targets = {}, intervals = "wide"}' > jobs/badiv.lua
run 65 job run jobs/badiv.lua
has_err "jobs/badiv.lua:1:35: field 'intervals' must be \"model\" or \"cv\", got \"wide\""
# method and intervals are checked as ot.project and project check them, when
# the job file is read: a bad job file (65), no run recorded
echo 'return {name = "h", targets = {}, method = "aut"}' > jobs/badm.lua
run 65 job run jobs/badm.lua
has_err "jobs/badm.lua:1:35: field 'method': unknown method 'aut' (known: carry, rate, "
printf 'return {name = "h", targets = {},\n  method = "carry", intervals = "cv"}\n' > jobs/badcv.lua
run 65 job run jobs/badcv.lua
has_err "jobs/badcv.lua:2:21: field 'intervals': \"cv\" is not available with method carry"
eq "$(sql "SELECT count(*) FROM runs WHERE job = 'h'")" 0 "no run recorded for a bad method"
run 66 job run jobs/nosuch.lua
# a missing script is an error of the job file where it names it (66), found
# before a database is opened or made; a folder named as a script is a bad
# job file (65)
printf 'return {name = "ms", db = "ms.db",\n  targets = {year = 2023},\n  scripts = {"nope.lua"}}\n' > jobs/ms.lua
run 66 job run jobs/ms.lua
eq "$ERR" "ontrack: jobs/ms.lua:3:3: script 'jobs/nope.lua': No such file or directory" "a missing script"
[ -e jobs/ms.db ] && fail "a job with a missing script made its database"
mkdir -p jobs/adir
echo 'return {name = "ms", db = "ms.db", targets = {year = 2023}, scripts = "adir"}' > jobs/ms.lua
run 65 job run jobs/ms.lua
eq "$ERR" "ontrack: jobs/ms.lua:1:61: script 'jobs/adir': Is a directory" "a folder as a script"
run 2 job run
has_err "which job file?"
run 2 job frobnicate
has_err "unknown subcommand 'frobnicate' (run, history, show, backfill)"

# ---- a progress bar on a terminal for many targets (pseudo-terminal) -----
{ echo "series,year,kind,op,value,label"
  for i in $(seq 200); do echo "yiwu.imports,2022,growth,>=,$i,bar$i"; done; } > many.csv
run 0 import --format targets many.csv
echo 'return {name = "many", targets = {year = 2022}, paths = 100}' > jobs/many.lua
printf 'expect ] 0/200 targets\nexpect ] 64/200 targets\nexpect [##############################] 200/200 targets\nwait\n' > bar.pty
NCHECK=$((NCHECK + 1))
"$PTYDRIVE" bar.pty "$ONTRACK" job run jobs/many.lua --as-of 2023-10-31 >/dev/null 2>bar.err || { cat bar.err; fail "no progress bar"; }
run 0 job run jobs/many.lua --as-of 2023-10-31
lacks_err() { NCHECK=$((NCHECK + 1)); ! grep -qF -- "$1" <<<"$ERR" || fail "stderr has: $1"; }
lacks_err "200/200 targets"

# ---- script limits: --timeout and --memory end the job, exit 1 ----------
NRUNS=$(sql "SELECT count(*) FROM projections")
run 1 job run jobs/slow.lua --as-of 2023-10-31 --timeout 0.3
has_err "error slow run="
has_err "script stopped: time limit of 0.3 s exceeded"
eq "$(sql "SELECT status FROM runs WHERE job = 'slow' ORDER BY id DESC LIMIT 1")" failed "timed-out run failed"
run 0 job show "$(sql "SELECT max(id) FROM runs WHERE job = 'slow'")"
has_out "no projections (the run failed)"
eq "$(sql "SELECT count(*) FROM projections")" "$NRUNS" "a failed run stores nothing"
echo 'local t = {} for i = 1, 1e8 do t[i] = i end' > jobs/hog.lua
echo 'return {name = "hog", scripts = {"hog.lua"}}' > jobs/hogjob.lua
run 1 job run jobs/hogjob.lua --memory 20
has_err "not enough memory: the script's memory limit was reached"
run 2 job run jobs/hogjob.lua --memory 0
has_err "--memory: expected megabytes from 1 to 1048576, got '0'"
# and the same limits on `run`
run 1 run --timeout 0.3 jobs/busy.lua
has_err "script stopped: time limit of 0.3 s exceeded"
run 1 run --memory 20 jobs/hog.lua
has_err "not enough memory: the script's memory limit was reached"
run 2 run --timeout -1 jobs/busy.lua
has_err "--timeout: expected seconds, above 0 and at most 31536000 (a year), got '-1'"
run 2 job run jobs/hogjob.lua --timeout 31536001
has_err "--timeout: expected seconds, above 0 and at most 31536000 (a year), got '31536001'"
# and on `repl` (piped): the statement stops, the session goes on, exit 1
OUT=$(printf 'local t = os.clock() while os.clock() - t < 5 do end\nprint("after")\n' |
      "$ONTRACK" repl --timeout 0.3 2>"$T/.err"); CODE=$?; ERR=$(cat "$T/.err")
eq "$CODE" 1 "repl --timeout exit code"
has_err "script stopped: time limit of 0.3 s exceeded"
eq "$OUT" "after" "the session went on"
run 2 repl --memory 2000000
has_err "--memory: expected megabytes from 1 to 1048576, got '2000000'"
# job scripts are sandboxed; --trusted lifts it
echo 'os.execute("true")' > jobs/exec.lua
echo 'return {name = "exec", scripts = {"exec.lua"}}' > jobs/execjob.lua
run 1 job run jobs/execjob.lua
has_err "os.execute is not available in a job script (sandbox; see docs/security.md)"
run 0 job run jobs/execjob.lua --trusted --quiet
# files: only inside the job file's own folder (jobs/), whatever its outputs
cat > jobs/files.lua <<'LUA'
local f = assert(io.open("jobs/out/note.txt", "w")); f:write("kept\n"); f:close()
assert(io.open("jobs/out/../out/note.txt")):close()
for _, bad in ipairs{"secret.txt", "jobs/out/../../secret.txt", "/etc/passwd"} do
  local ok, err = pcall(io.open, bad)
  assert(not ok and err:find("is outside the job's folder", 1, true), tostring(err))
end
assert(not pcall(io.lines, "/etc/passwd"))
assert(not pcall(os.remove, "secret.txt"))
assert(not pcall(os.rename, "jobs/out/note.txt", "stolen.txt"))
assert(not pcall(dofile, "secret.txt"))
assert(not pcall(ot.open, "elsewhere.db"))
assert(not pcall(os.tmpname) and package.path == nil)
print("sandbox ok")
LUA
echo 'return {name = "files", scripts = {"files.lua"}, outputs = {"out/{job}.json"}}' > jobs/filesjob.lua
echo "secret" > secret.txt
run 0 job run jobs/filesjob.lua
has_out "sandbox ok"
eq "$(cat jobs/out/note.txt)" kept "file written in the job's folder"
eq "$(cat secret.txt)" secret "file outside untouched"
# a job without outputs gives its scripts no files at all
echo 'io.open("x.txt", "w")' > jobs/nofiles.lua
echo 'return {name = "nofiles", scripts = {"nofiles.lua"}}' > jobs/nofilesjob.lua
run 1 job run jobs/nofilesjob.lua
has_err "scripts in the sandbox have no files"
run 0 job run jobs/nofilesjob.lua --trusted --quiet

# ---- backfill over a revision: two vintages of March 2023 ---------------
mkdir bf && cd bf
export ONTRACK_DB="$T/bf/bf.db"
{
    echo "series,period,value,vintage"
    for m in 01 02 03 04 05 06 07 08 09 10 11 12; do echo "t.x,2022-$m,100,"; done
    echo "t.x,2023-01,110,2023-02-15"
    echo "t.x,2023-02,110,2023-03-15"
    echo "t.x,2023-03,110,2023-04-15"
    echo "t.x,2023-03,150,2023-05-20"
    echo "t.x,2023-04,110,2023-06-15"
} > x.csv
printf 'series,year,kind,op,value,label\nt.x,2023,growth,>=,10,x增长10%%\n' > tx.csv
printf 'series,name,kind,freq\nt.x,x,flow,M\n' > meta.csv
run 0 import meta.csv x.csv tx.csv
echo 'return {name = "bf", targets = {year = 2023}, paths = 1000, outputs = {"out/{as_of}.csv"}}' > bf.lua
run 0 job backfill bf.lua --from 2023-04 --to 2023-05
eq "$(sql "SELECT group_concat(date(as_of * 86400, 'unixepoch')) FROM runs")" "2023-04-30,2023-05-31" "one run per month end"
# as of 30 April March was 110 (ytd +10%); the 20 May revision to 150 moves it to +23.3%
eq "$(sql "SELECT group_concat(round(carry, 1)) FROM projections ORDER BY run_id")" "10.0,23.3" "carry moved with the revision"
eq "$(sql "SELECT count(DISTINCT data_hash) FROM runs")" 2 "two data vintages, two hashes"
[ -f out/2023-04-30.csv ] && [ -f out/2023-05-31.csv ] || fail "backfill outputs"
run 0 job show 2
grep -Eq '^x增长10% +1  2023-04-30 +10\.[0-9]%' <<<"$OUT" || fail "show: the April run"
grep -Eq '^ +2  2023-05-31 +2[0-9]\.[0-9]%' <<<"$OUT" || fail "show: the May run after the revision"
run 2 job backfill bf.lua --from 2023-05 --to 2023-04
has_err "--to 2023-04 is before --from 2023-05"
run 2 job backfill bf.lua --from 2023Q1 --to 2023-04
has_err "--from: expected a month (2023-01), got '2023Q1'"
run 2 job backfill bf.lua
has_err "--from and --to are required"
cd "$T"
export ONTRACK_DB="$T/test.db"

# ---- the scripts hash names files as the job does, not as the shell did ---
# The same job file and script, run from three folders by three spellings of
# its path, is the same job: one scripts hash (names relative to the job's folder).
mkdir -p hj
cat > hj/h.lua <<'LUA'
return {name = "h", targets = {year = 2023}, scripts = {"s.lua"}, paths = 200}
LUA
echo 'local x = 1' > hj/s.lua
run 0 job run hj/h.lua --as-of 2023-10-31 --quiet
run 0 job run "$T/hj/h.lua" --as-of 2023-10-31 --quiet
(cd hj && "$ONTRACK" job run ./h.lua --as-of 2023-10-31 --quiet) || fail "run from the job's folder"
eq "$(sql "SELECT count(*), count(DISTINCT scripts_hash) FROM runs WHERE job = 'h'")" "3|1" \
   "one scripts hash from every working folder"
echo 'local x = 2' > hj/s.lua
run 0 job run hj/h.lua --as-of 2023-10-31 --quiet
eq "$(sql "SELECT count(DISTINCT scripts_hash) FROM runs WHERE job = 'h'")" 2 "a changed script changes it"

# ---- an output below a file: an I/O error naming it, not "outside" ------
touch hj/afile
cat > hj/w.lua <<'LUA'
return {name = "w", targets = {year = 2023}, paths = 200, outputs = {"ok/{job}.json", "afile/{job}.json"}}
LUA
NP=$(sql "SELECT count(*) FROM projections")
run 74 job run hj/w.lua --as-of 2023-10-31
has_err "hj/afile/w.json: cannot create a temporary file: Not a directory"
grep -qF "outside the job's folder" <<<"$ERR" && fail "an output below a file is not outside"
[ -e hj/ok/w.json ] && fail "the first output was written by a failed run"
eq "$(sql "SELECT count(*) FROM projections")" "$NP" "a failed run stores no projections"
eq "$(sql "SELECT status FROM runs WHERE job = 'w'")" failed "the run is marked failed"
# and job show says why (the message of the log, kept with the run)
run 0 job show "$(sql "SELECT id FROM runs WHERE job = 'w'")"
out_line 3 "error: hj/afile/w.json: cannot create a temporary file: Not a directory"
has_out "no projections (the run failed)"

# a folder where an output goes: found before the commit (the rename would
# fail after it, leaving an "ok" run with a missing output), nothing written
mkdir -p hj/ok/w2.json
cat > hj/w2.lua <<'LUA'
return {name = "w2", targets = {year = 2023}, paths = 200, outputs = {"ok/first.json", "ok/{job}.json"}}
LUA
run 74 job run hj/w2.lua --as-of 2023-10-31
has_err "hj/ok/w2.json: is a folder, not a file"
[ -e hj/ok/first.json ] && fail "an output of a failed run was put in place"
eq "$(sql "SELECT status FROM runs WHERE job = 'w2'")" failed "the run with a folder for an output failed"
eq "$(sql "SELECT count(*) FROM projections")" "$NP" "and stored no projections"

# ---- a job's name names files: one name, not a path, not empty ------------
echo 'return {name = "a/b", targets = {year = 2023}}' > hj/n1.lua
run 65 job run hj/n1.lua
has_out ""
has_err "hj/n1.lua:1:9: field 'name' must be a name without '/' or control characters (it names files), got \"a/b\""
echo 'return {name = "", targets = {year = 2023}}' > hj/n2.lua
run 65 job run hj/n2.lua
has_err "hj/n2.lua:1:9: field 'name' must not be empty"
# a {job} too long for a file name is a bad job file (65), before anything
# runs; the limit leaves room for the temporary file's ".NAME.XXXXXX"
N243=$(printf 'y%.0s' $(seq 243))
echo "return {name = \"${N243}y\", targets = {year = 2023}, paths = 100, outputs = {\"ln/{job}.csv\"}}" > hj/ln.lua
run 65 job run hj/ln.lua --as-of 2023-10-31 --trusted
eq "$ERR" "ontrack: hj/ln.lua: output 'hj/ln/{job}.csv': the name 'yyyyyyyyyyyyyyyyyyyyyyyy…' is too long (248 bytes; at most 247, for its temporary file .NAME.XXXXXX)" "a name too long"
eq "$(sql "SELECT count(*) FROM runs WHERE length(job) > 240")" 0 "no run of a job whose output name is too long"
echo "return {name = \"$N243\", targets = {year = 2023}, paths = 100, outputs = {\"ln/{job}.csv\"}}" > hj/ln.lua
run 0 job run hj/ln.lua --as-of 2023-10-31 --quiet
[ -f "hj/ln/$N243.csv" ] || fail "the longest output name"

# ---- report RUN renders the page the job wrote: its title and language ----
cat > hj/look.lua <<'LUA'
return {name = "look", targets = {year = 2023}, paths = 200, title = "某市目标 <2023>", lang = "en",
        outputs = {"look/{job}.md", "look/{job}.html"}}
LUA
run 0 job run hj/look.lua --as-of 2023-10-31 --quiet
L=$(sql "SELECT max(id) FROM runs WHERE job = 'look'")
eq "$(sql "SELECT title || '|' || lang FROM runs WHERE id = $L")" "某市目标 <2023>|en" "the run records the look"
run 0 report "$L" --format md
# the same document but for the two lines a later rendering adds (the day it
# was compiled, the run's provenance in the footer)
eq "$(diff <(printf '%s\n' "$OUT") hj/look/look.md | grep -c '^[<>]')" 4 "report RUN: only the compiled day and the source differ"
out_line 1 "# 某市目标 \\<2023\\>"
has_out "Data as of: Sep 2023 · Compiled: "
run 0 report "$L" --format md --title X --lang zh
out_line 1 "# X"
has_out "数据截至："
run 0 report "$L" -o look.html
grep -qF "<title>某市目标 &lt;2023&gt;</title>" look.html || fail "HTML title of the job"
# a job without title or lang records none: the defaults
eq "$(sql "SELECT count(*) FROM runs WHERE job = 'h' AND (title IS NOT NULL OR lang IS NOT NULL)")" 0 "no look recorded"
# 编制日期 of a page rendered later is the day on the local clock (TZ): at
# UTC+14 and UTC-12 (always two different days), each its own day, never UTC's
for tz in UTC-14 UTC+12; do
    D0=$(TZ=$tz date +%Y年%-m月%-d日)
    OUT=$(TZ=$tz "$ONTRACK" report "$L" --format md --lang zh 2>&1) || fail "report under TZ=$tz"
    D1=$(TZ=$tz date +%Y年%-m月%-d日)
    grep -qE "编制日期：($D0|$D1)" <<<"$OUT" || fail "编制日期 under TZ=$tz: expected $D0"
done

# ---- backfill across a year end, over January–February releases ---------
# 2022 and 2023 ytd of one series, January and February released together in
# mid-March (1-2月), each month on the 15th of the next: the February run
# (as of 2023-02-28) has no 2023 data yet, the March run the 1-2月 figure
# (220 against 200: +10%), the April run March's (330 against 300: +10%).
mkdir -p bf2
{
    echo "series,period,value,measure,vintage"
    echo "bf2.x,2022年1-2月,200,ytd,2022-03-15"
    for m in 3 4 5 6 7 8 9 10 11; do printf 'bf2.x,2022-%02d,%d,ytd,2022-%02d-15\n' $m $((m * 100)) $((m + 1)); done
    echo "bf2.x,2022-12,1200,ytd,2023-01-15"
    echo "bf2.x,2023年1-2月,220,ytd,2023-03-15"
    echo "bf2.x,2023-03,330,ytd,2023-04-15"
} > bf2/x.csv
printf 'series,year,kind,op,value,label\nbf2.x,2023,growth,>=,5,BF2\n' > bf2/t.csv
run 0 --db bf2/bf2.db import bf2/x.csv
run 0 --db bf2/bf2.db import --format targets bf2/t.csv
echo 'return {name = "bf2", db = "bf2.db", targets = {year = 2023}, paths = 200, outputs = {"o/{as_of}.csv"}}' > bf2/bf2.lua
run 0 job backfill bf2/bf2.lua --from 2022-12 --to 2023-04 --quiet
eq "$(sqlite3 bf2/bf2.db "SELECT group_concat(date(as_of * 86400, 'unixepoch'), ' ') FROM (SELECT as_of FROM runs WHERE job = 'bf2' AND status = 'ok' ORDER BY id)")" \
   "2022-12-31 2023-01-31 2023-02-28 2023-03-31 2023-04-30" "backfill: the last day of each month, across the year end"
for d in 2022-12-31 2023-01-31 2023-02-28; do
    eq "$(sed -n 2p "bf2/o/$d.csv" | cut -d, -f8,9,17,19)" "$d,,,no_data" "backfill as of $d: no 2023 release known"
done
eq "$(sed -n 2p bf2/o/2023-03-31.csv | cut -d, -f8,9,17,19)" "2023-03-31,2023-01/02,10,on_track" "backfill: the 1-2月 release in March"
eq "$(sed -n 2p bf2/o/2023-04-30.csv | cut -d, -f8,9,17,19)" "2023-04-30,2023-03,10,on_track" "backfill: March in April"
# as of the January–February release itself: through February, and {as_of}
# one file name (2023-02), not a folder 2023-01/ holding 02.csv
run 0 job run bf2/bf2.lua --as-of 2023年1-2月 --quiet
[ -f bf2/o/2023-02.csv ] || fail "as of 2023年1-2月: bf2/o/2023-02.csv ($(ls bf2/o | tr '\n' ' '))"
[ -e bf2/o/2023-01 ] && fail "as of 2023年1-2月 made a folder"
eq "$(sed -n 2p bf2/o/2023-02.csv | cut -d, -f8,9,17)" "2023-02,2023-01/02,10" "as of 2023年1-2月: the 1-2月 figure"
# as of latest when the newest data are a January–February release: the run
# is as of that release, 2023-01/02, as `series` and the reports name it —
# in the log, history, show and the files' as_of — while {as_of} and the
# scripts' ot.as_of() stay one point, 2023-02 (a file name, not a folder)
mkdir -p jf
grep -v '^bf2.x,2023-03' bf2/x.csv > jf/x.csv
run 0 --db jf/jf.db import jf/x.csv
run 0 --db jf/jf.db import --format targets bf2/t.csv
echo 'assert(ot.as_of() == "2023-02", "ot.as_of() is " .. tostring(ot.as_of()))' > jf/asof.lua
echo 'return {name = "jf", db = "jf.db", targets = {year = 2023}, scripts = {"asof.lua"}, paths = 200, outputs = {"o/{as_of}.csv", "o/{as_of}.json"}}' > jf/jf.lua
run 0 job run jf/jf.lua
has_err "info jf as of latest: 2023-01/02, the newest period with data among the job's targets' series"
has_err "info jf run=1 started as of 2023-01/02 (data"
has_err "info jf run=1 wrote jf/o/2023-02.csv"
eq "$(ls jf/o | tr '\n' ' ')" "2023-02.csv 2023-02.json " "as of a 1-2月 release: files named 2023-02"
eq "$(sed -n 2p jf/o/2023-02.csv | cut -d, -f8,9,17)" "2023-01/02,2023-01/02,10" "as of a 1-2月 release: CSV as_of"
eq "$(sqlite3 :memory: "SELECT json_extract(readfile('jf/o/2023-02.json'), '\$.as_of')")" 2023-01/02 "JSON as_of"
run 0 --db jf/jf.db job history
eq "$(sed -n 3p <<<"$OUT" | awk '{print $1, $2, $3, $4}')" "1 jf ok 2023-01/02" "history: as of the 1-2月 release"
run 0 --db jf/jf.db job show 1
grep -q '^run 1  jf  ok  as of 2023-01/02  started ' <<<"$OUT" || fail "show: as of the 1-2月 release"
run 0 --db jf/jf.db report 1 --format csv
eq "$(tr -d '\r' <<<"$OUT" | cut -d, -f1-20)" "$(tr -d '\r' < jf/o/2023-02.csv)" "report RUN: the job's CSV columns"
# an own February (another series) is newer than a January–February release
{
    echo "series,period,value,measure,vintage"
    for m in 1 2 3 4 5 6 7 8 9 10 11 12; do printf 'jf.y,2022-%02d,100,value,2023-01-15\n' $m; done
    echo "jf.y,2023-01,110,value,2023-02-15"
    echo "jf.y,2023-02,110,value,2023-03-15"
} > jf/y.csv
printf 'series,year,kind,op,value,label\njf.y,2023,growth,>=,5,JFY\n' > jf/ty.csv
run 0 --db jf/jf.db import jf/y.csv
run 0 --db jf/jf.db import --format targets jf/ty.csv
run 0 job run jf/jf.lua
has_err "info jf as of latest: 2023-02, the newest period"
# --from 2023年1-2月 starts at its January (it is both months), --to ends at its February
N0=$(sqlite3 bf2/bf2.db "SELECT max(id) FROM runs")
run 0 job backfill bf2/bf2.lua --from 2023年1-2月 --to 2023年1-2月 --quiet
eq "$(sqlite3 bf2/bf2.db "SELECT group_concat(date(as_of * 86400, 'unixepoch'), ' ') FROM (SELECT as_of FROM runs WHERE id > $N0 ORDER BY id)")" \
   "2023-01-31 2023-02-28" "backfill over 2023年1-2月: January and February"
# the same run again stores the same figures (seeded)
run 0 job backfill bf2/bf2.lua --from 2023-03 --to 2023-03 --quiet
eq "$(sqlite3 bf2/bf2.db "SELECT count(DISTINCT point) || '|' || count(*) FROM projections p JOIN runs r ON r.id = p.run_id WHERE r.job = 'bf2' AND date(r.as_of * 86400, 'unixepoch') = '2023-03-31'")" \
   "1|2" "a backfilled month run twice: the same point"

# --as-of latest overrides a job's fixed as_of
echo 'return {name = "bf2fix", db = "bf2.db", targets = {year = 2023}, as_of = "2022-12-31", paths = 100}' > bf2/fix.lua
run 0 job run bf2/fix.lua --as-of latest
has_err "info bf2fix as of latest: 2023-03, the newest period with data among the job's targets' series"
run 2 job run bf2/fix.lua --as-of newest
has_err "job run: --as-of: 'newest' is neither a date (2023-10-20) nor a period (2023-09)"

# ---- every date form of docs/formats.md as --as-of and as_of ------------
# (they were accepted by --as-of's check, then refused by the run: exit 65)
echo 'return {name = "df", targets = {year = 2023, series = "yiwu.gdp"}, paths = 100, outputs = {"df/{as_of}.csv"}}' > hj/df.lua
run 0 job run hj/df.lua --as-of 20231031 --quiet
run 0 job run hj/df.lua --as-of 2023/10/31 --quiet
echo 'return {name = "df2", targets = {year = 2023, series = "yiwu.gdp"}, paths = 100, as_of = "2023年10月31日", outputs = {"df/{as_of}-2.csv"}}' > hj/df2.lua
run 0 job run hj/df2.lua --quiet
eq "$(ls hj/df | tr '\n' ' ')" "2023-10-31-2.csv 2023-10-31.csv " "the files named by the date, whatever its form"
eq "$(sql "SELECT group_concat(date(as_of * 86400, 'unixepoch')) FROM runs WHERE job IN ('df', 'df2')")" \
   "2023-10-31,2023-10-31,2023-10-31" "the runs as of that date"
run 2 job run hj/df.lua --as-of 2023x
has_err "job run: --as-of: '2023x' is neither a date (2023-10-20) nor a period (2023-09)"

# ---- a job file's every error names the file ----------------------------
printf '\033Lua' > hj/bin.lua
run 65 job run hj/bin.lua
eq "$ERR" "ontrack: hj/bin.lua: attempt to load a binary chunk (mode is 't')" "binary chunk"
echo 'error("no position", 0)' > hj/e0.lua
run 65 job run hj/e0.lua
eq "$ERR" "ontrack: hj/e0.lua: no position" "error without a position"
echo 'error("here")' > hj/e1.lua
run 65 job run hj/e1.lua
eq "$ERR" "ontrack: hj/e1.lua:1: here" "error with its position, named once"

# ---- job show --lang zh: the report's Chinese table, the record in Chinese --
H=$(sql "SELECT max(id) FROM runs WHERE job = 'h'")
run 0 report "$H" --format txt
TXT=$OUT
run 0 job show "$H" --lang zh
out_words 1 "运行 $H h 成功 数据截至 2023-10-31 开始 $(sql "SELECT started FROM runs WHERE id = $H") 结束 $(sql "SELECT finished FROM runs WHERE id = $H")"
grep -Eq '^引擎 [^ ]+  脚本哈希 [0-9a-f]{16}  数据哈希 [0-9a-f]{16}$' <<<"$OUT" || fail "show --lang zh: engine line"
eq "$(sed -n "4,$(( $(wc -l <<<"$TXT") + 3 ))p" <<<"$OUT")" "$TXT" "show --lang zh prints the table of report --format txt"
has_out "测算的变化（h最近4次成功运行，按数据截至日期排列）："
grep -Eq '^ +[0-9]+  2023-10-31 +8\.7% +8\.[0-9]% – 8\.[0-9]% +100%  有望达成$' <<<"$OUT" || fail "show --lang zh: a movement row"
lacks_out "on track"
run 0 job show "$H"
out_words 1 "run $H h ok as of 2023-10-31 started $(sql "SELECT started FROM runs WHERE id = $H") finished $(sql "SELECT finished FROM runs WHERE id = $H")"
has_out "how the projections moved (the last 4 ok runs of h, by as-of):"
run 0 job show "$(sql "SELECT id FROM runs WHERE job = 'w'")" --lang zh
has_out "无测算结果（运行失败）"
out_line 3 "错误：hj/afile/w.json: cannot create a temporary file: Not a directory"
# a script's error with its traceback, indented as in the log
echo 'error("boom")' > hj/boom.lua
echo 'return {name = "boom", targets = {year = 2023}, paths = 100, scripts = {"boom.lua"}}' > hj/boomjob.lua
run 1 job run hj/boomjob.lua --as-of 2023-10-31
run 0 job show "$(sql "SELECT max(id) FROM runs WHERE job = 'boom'")"
out_line 3 "error: hj/boom.lua:1: boom"
out_line 4 "  stack traceback:"
# a run whose process died: why, once the next run found it
sql "INSERT INTO runs(job, started, status) VALUES ('boom', '2026-01-01T00:00:00Z', 'running')"
DEAD2=$(sql "SELECT max(id) FROM runs")
echo 'return {name = "boom", targets = {year = 2023}, paths = 100}' > hj/boomjob.lua
run 0 job run hj/boomjob.lua --as-of 2023-10-31 --quiet
run 0 job show "$DEAD2"
out_line 3 "error: did not finish: its process died (found by the next run of the job)"
run 2 job show "$H" --lang fr
has_err "job show: --lang: expected zh or en, got 'fr'"

# ---- docs/scheduling.md: the job file example, run as the page says ------
mkdir -p docex/scripts/jobs
cp -r "$SRC/datasets" docex/ && cp "$SRC/scripts/yiwu_2023.lua" docex/scripts/
sed -n '/^```lua$/,/^```$/p' "$SRC/docs/scheduling.md" | sed '1d;$d' > docex/scripts/jobs/yiwu_monthly.lua
grep -q '^  scripts = {"../yiwu_2023.lua"},' docex/scripts/jobs/yiwu_monthly.lua || fail "the example job file"
cd docex
OUT=$(env -u ONTRACK_DB "$ONTRACK" job run scripts/jobs/yiwu_monthly.lua --folder . 2>&1); CODE=$?; ERR=
eq "$CODE" 0 "the example job on a fresh checkout: the script imports the data"
has_out "warn yiwu-monthly the database scripts/jobs/../../ontrack.db holds no targets: the scripts run, nothing is projected"
OUT=$(env -u ONTRACK_DB "$ONTRACK" job run scripts/jobs/yiwu_monthly.lua --folder . 2>&1); CODE=$?
eq "$CODE" 0 "the example job, second run"
grep -Eq 'info yiwu-monthly run=2 projected [0-9]+ targets' <<<"$OUT" || fail "the example job projects its targets"
[ -s scripts/jobs/reports/yiwu-monthly-2023-12.md ] || fail "the example job's report ($(ls scripts/jobs/reports))"
cd ..

# ---- docs/scheduling.md: the systemd ExecStart line, run as written ------
# The unit sets WorkingDirectory and Environment; here the test directory and
# $ONTRACK_DB stand in for them, and PATH finds the binary under test.
LINE=$(grep -m1 '^ExecStart=' "$SRC/docs/scheduling.md") || fail "no ExecStart in docs/scheduling.md"
read -ra CMD <<<"${LINE#ExecStart=}"
mkdir -p bin && ln -sf "$ONTRACK" bin/ontrack
WD=$(grep -m1 '^WorkingDirectory=' "$SRC/docs/scheduling.md"); WD=${WD#WorkingDirectory=}
JOB=$(printf '%s\n' "${CMD[@]}" | grep '\.lua$')
mkdir -p "$(dirname "$JOB")" && cp "$SRC/scripts/jobs/yiwu_monthly.lua" "$JOB"
OUT=$(PATH="$T/bin:$PATH" "${CMD[@]}" 2>"$T/.err"); CODE=$?; ERR=$(cat "$T/.err")
eq "$CODE" 0 "ExecStart exit code (working directory $WD in production)"
eq "$ERR" "" "ExecStart is quiet on success"
ls "$(dirname "$JOB")"/reports/yiwu-monthly-*.json >/dev/null 2>&1 || fail "ExecStart wrote no report"
CRON=$(grep -m1 -E '^[0-9*]+ [0-9*]+ \* \* \* ' "$SRC/docs/scheduling.md") || fail "no crontab line"
CRONCMD=$(cut -d' ' -f6- <<<"$CRON")
grep -q "job run" <<<"$CRONCMD" || fail "the crontab line does not run a job"
# ... and the crontab of docs/scheduling.md run as cron runs it: an empty
# environment but HOME, LOGNAME, SHELL and PATH=/usr/bin:/bin, then the
# crontab's variable lines, the command through /bin/sh -c.  The test's
# folder stands in for /var/lib/ontrack, the binary under test for
# /usr/local/bin/ontrack (where cmake --install puts it).
CRONVARS=()
while IFS= read -r l; do CRONVARS+=("${l//\/usr\/local\/bin/$T/cbin}"); done \
    < <(sed -n '/^### cron/,/^### systemd/p' "$SRC/docs/scheduling.md" | grep -E '^[A-Z_]+=')
mkdir -p cron/jobs cbin && ln -sf "$ONTRACK" cbin/ontrack
cp "$SRC/scripts/jobs/yiwu_monthly.lua" cron/jobs/
run 0 --db cron/ontrack.db import "$D/series.csv" "$D/china/china_monthly_nbs.csv" \
    "$D/china/china_afan_macropage.csv" "$D/zhejiang/zhejiang.csv" "$D/yiwu/yiwu.csv" "$D/yiwu/targets_2023.csv"
CRONCMD=${CRONCMD//\/var\/lib\/ontrack/$T/cron}
cronrun() {
    OUT=$(cd / && env -i HOME="$T" LOGNAME=cron SHELL=/bin/sh PATH=/usr/bin:/bin "${CRONVARS[@]}" \
          /bin/sh -c "$CRONCMD" 2>&1); CODE=$?; ERR=
}
cronrun
eq "$CODE" 0 "the crontab line as cron runs it (PATH=/usr/bin:/bin unless the crontab sets it)"
eq "$OUT" "" "the crontab line prints nothing (cron mails nothing) on success"
ls cron/jobs/reports/yiwu-monthly-2023-12.json >/dev/null 2>&1 || fail "the crontab line wrote no report"
eq "$(sqlite3 cron/ontrack.db "SELECT job || ' ' || status FROM runs ORDER BY id DESC LIMIT 1")" \
   "yiwu-monthly ok" "the crontab line's run, in its ONTRACK_DB"
# a target off track: exit 3, and the one line cron mails names it
run 0 --db cron/ontrack.db import --format targets high.csv
cronrun
eq "$CODE" 3 "the crontab line with a target off track"
grep -Eq '^[0-9T:-]+Z warn yiwu-monthly run=2 1 target off track or missed \(--fail-on off-track: exit 3\): 进口增长90% \(off track\)$' <<<"$OUT" \
    || fail "the crontab line's alert"
done_ok
