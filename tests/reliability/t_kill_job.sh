#!/usr/bin/env bash
# Crash safety of `ontrack job run`: SIGKILL at random moments, 50 times.
#
# The bundled data is imported once; then each round starts the job and kills
# it with SIGKILL after a random delay between 0 and a bound that starts at
# the measured length of a whole run and adapts to the load as in
# t_kill_import.sh, all rounds on the same database; rounds go on (at least 50)
# until 25 kills have landed inside a recorded run, whatever the load.  After every kill:
# `PRAGMA integrity_check` is ok, the imported data is unchanged (a job never
# loses data), no run that is not `ok` has projections, and every `ok` run has
# all 22.  At the end a normal run succeeds, marks the killed runs failed, and
# an output file exists only for runs that finished (docs/scheduling.md: "A
# run killed anywhere before the commit leaves ... no projections and no
# output files").  tests/cli/t_job.sh has a shorter kill test of its own.
. "$SRC/tests/cli/lib.sh"

ROUNDS=${KILL_ROUNDS:-50}
D="$SRC/datasets"
run 0 import "$D/series.csv" "$D/china/china_monthly_nbs.csv" "$D/china/china_afan_macropage.csv" \
    "$D/zhejiang/zhejiang.csv" "$D/yiwu/yiwu.csv" "$D/yiwu/targets_2023.csv"
OBS=$(sql "SELECT count(*) || '/' || total(value) FROM observations")
mkdir -p jobs
cat > jobs/kill.lua <<'LUA'
return {name = "kill", targets = {year = 2023}, paths = 4000, seed = 1,
        outputs = {"out/{job}-{run}.json", "out/{job}-{run}.txt"}}
LUA

t0=$(date +%s%N)
run 0 job run jobs/kill.lua --as-of 2023-10-31 --quiet
FULL_MS=$(( ($(date +%s%N) - t0) / 1000000 ))
eq "$(sql "SELECT count(*) FROM projections")" 22 "projections of a whole run"

# check_db: the invariants that hold after any kill, in one query (one
# process per round: under load every fork counts).  Also sets LAST to the
# newest run's "id status".
check_db() {
    local got
    got=$(sql "SELECT (SELECT group_concat(integrity_check) FROM pragma_integrity_check)
               || '|' || (SELECT count(*) || '/' || total(value) FROM observations)
               || '|' || (SELECT count(*) FROM projections p JOIN runs r ON r.id = p.run_id
                          WHERE r.status != 'ok')
               || '|' || (SELECT count(*) FROM runs r WHERE status = 'ok'
                          AND (SELECT count(*) FROM projections WHERE run_id = r.id) != 22)
               || '|' || coalesce((SELECT id || ' ' || status FROM runs ORDER BY id DESC LIMIT 1), '0')")
    IFS='|' read -r integ obs partial missing LAST <<<"$got"
    eq "$integ" ok "integrity_check"
    eq "$obs" "$OBS" "the imported data"
    eq "$partial" 0 "projections of runs that did not finish"
    eq "$missing" 0 "ok runs with missing projections"
}

# Rounds go on until ROUNDS of them are done and ROUNDS/2 kills have landed
# inside a run (after the run was recorded, before it finished): a condition,
# not a count of sleeps, so a loaded machine (where starting a process may take
# longer than a whole run) takes more rounds instead of failing.  At most
# 10 x ROUNDS rounds.
check_db
killed=0 inside=0 bound=$FULL_MS r=0
while (( r < ROUNDS || inside < ROUNDS / 2 )); do
    r=$((r + 1))
    (( r <= ROUNDS * 10 )) || fail "only $inside kills landed inside a run in $((r - 1)) rounds"
    prev=${LAST%% *}
    ms=$(( (RANDOM * 32768 + RANDOM) % (bound + 1) ))
    "$ONTRACK" job run jobs/kill.lua --as-of 2023-10-31 --quiet >/dev/null 2>&1 &
    pid=$!
    sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
    kill -KILL $pid 2>/dev/null
    { wait $pid; } 2>/dev/null; rc=$?
    check_db
    case $rc in
        137) killed=$((killed + 1))
             # recorded, not finished: the kill landed inside the run
             [ "${LAST%% *}" != "$prev" ] && [ "${LAST#* }" = running ] && inside=$((inside + 1))
             bound=$(( bound * 21 / 20 < FULL_MS * 2 ? bound * 21 / 20 : FULL_MS * 2 )) ;;
        0) bound=$(( bound * 3 / 4 > 20 ? bound * 3 / 4 : 20 )) ;;
        *) fail "round $r: job run exited $rc (not killed, not ok)" ;;
    esac
done

run 0 job run jobs/kill.lua --as-of 2023-10-31 --quiet
check_db
eq "$(sql "SELECT count(*) FROM runs WHERE status = 'running'")" 0 "runs left running"
ok=$(sql "SELECT count(*) FROM runs WHERE status = 'ok'")
for f in jobs/out/kill-*.json jobs/out/kill-*.txt; do
    n=${f##*-}; n=${n%.*}
    eq "$(sql "SELECT status FROM runs WHERE id = $n")" ok "an output only for an ok run ($f)"
done
last=$(sql "SELECT max(id) FROM runs")
cmp -s jobs/out/kill-1.txt "jobs/out/kill-$last.txt" || fail "the last run's text differs from the first's"

echo "whole run: ${FULL_MS} ms; $r rounds: $killed killed by the signal, $inside of them inside a recorded run; $((ok - 2)) runs committed"
[ $inside -ge $((ROUNDS / 2)) ] || fail "only $inside of $r kills landed inside a run"
done_ok
