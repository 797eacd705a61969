#!/usr/bin/env bash
# Crash safety of `ontrack import`: SIGKILL at random moments, 50 times.
#
# Each round copies a database that already holds a small base import, starts
# importing a 300,000-row CSV into it and kills the process with SIGKILL
# after a random delay between 0 and a bound that starts at the measured
# length of a whole import and adapts to the machine's load (shrinks by a
# quarter after a round the import finished, grows by a twentieth after a
# kill), so most kills land during the import even on a busy machine.  Afterwards `PRAGMA integrity_check` must say ok, the base rows must
# all be there, and the big import must be all or nothing: exactly 0 or
# exactly 300,000 of its rows.  Every 25th round then imports the file again
# without a kill, which must succeed on the crashed database.  Three more
# rounds kill the very first import into a database that does not exist yet
# (creation and migration interrupted).
. "$SRC/tests/cli/lib.sh"

ROUNDS=${KILL_ROUNDS:-50}
N=300000
awk -v n=$N 'BEGIN {
    print "series,period,value,measure,source"
    for (i = 0; i < n; i++)
        printf "kill.k%04d,%d-%02d,%d.5,value,bulk\n", int(i / 300), 2000 + int((i % 300) / 12), i % 12 + 1, i
}' > big.csv
printf 'series,period,value\nbase.a,2023-01,1\nbase.a,2023-02,2\nbase.b,2023Q1,3\n' > base.csv

export ONTRACK_DB="$T/base.db"
run 0 import base.csv
sqlite3 "$ONTRACK_DB" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
BASE=3
eq "$(sql "SELECT count(*) FROM observations")" $BASE "base rows"

# how long a whole import takes here (sanitizers, load), in ms
cp base.db full.db
t0=$(date +%s%N)
"$ONTRACK" --db full.db import big.csv >/dev/null || fail "the uninterrupted import failed"
FULL_MS=$(( ($(date +%s%N) - t0) / 1000000 ))
eq "$(sqlite3 full.db "SELECT count(*) FROM observations")" $((BASE + N)) "rows of a whole import"
rm -f full.db full.db-wal full.db-shm

# check_db DB BASE: integrity ok; BASE other rows; the big file's rows 0 or N.
# Prints "none" or "all".  Runs in $(...): callers add `|| exit 1`.
check_db() {
    local db=$1 base=$2 ic bulk total
    ic=$(sqlite3 "$db" "PRAGMA integrity_check;" 2>&1) || fail "$db: sqlite3 cannot open it: $ic"
    eq "$ic" ok "integrity_check of $db"
    IFS='|' read -r total bulk < <(sqlite3 "$db" \
        "SELECT count(*), total(key LIKE 'kill.%') FROM observations" 2>&1)
    bulk=${bulk%.0}
    eq "$((total - bulk))" "$base" "rows other than the big import in $db"
    case $bulk in
        0) echo none ;;
        $N) echo all ;;
        *) fail "$db: the big import is partly there: $bulk of $N rows" ;;
    esac
}

# kill_after MS DB: starts the import into DB, SIGKILLs it after MS ms.
# Prints "killed" or "finished".  Runs in $(...): callers add `|| exit 1`.
kill_after() {
    local ms=$1 db=$2 pid rc
    "$ONTRACK" --db "$db" import big.csv >/dev/null 2>&1 &
    pid=$!
    sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
    kill -KILL $pid 2>/dev/null
    { wait $pid; } 2>/dev/null; rc=$?
    if [ $rc -eq 137 ]; then echo killed
    elif [ $rc -eq 0 ]; then echo finished
    else fail "import exited $rc (not killed, not ok)"
    fi
}

killed=0 none=0 all=0 bound=$FULL_MS
for ((r = 1; r <= ROUNDS; r++)); do
    cp base.db round.db
    rm -f round.db-wal round.db-shm
    ms=$(( (RANDOM * 32768 + RANDOM) % (bound + 1) ))
    how=$(kill_after $ms round.db) || exit 1
    if [ "$how" = killed ]; then
        killed=$((killed + 1)); bound=$(( bound * 21 / 20 < FULL_MS * 2 ? bound * 21 / 20 : FULL_MS * 2 ))
    else
        bound=$(( bound * 3 / 4 > 20 ? bound * 3 / 4 : 20 ))
    fi
    got=$(check_db round.db $BASE) || exit 1
    NCHECK=$((NCHECK + 3))
    [ "$got" = none ] && none=$((none + 1)) || all=$((all + 1))
    [ "$how" = finished ] && [ "$got" = none ] && fail "round $r: the import finished but its rows are missing"
    if ((r % 25 == 0)); then
        "$ONTRACK" --db round.db import big.csv >/dev/null 2>"$T/.err" ||
            { ERR=$(cat "$T/.err"); fail "round $r: importing again after the kill failed"; }
        got=$(check_db round.db $BASE) || exit 1
        eq "$got" all "round $r: rows after importing again"
    fi
done

# kills during the creation of a new database
for ((r = 1; r <= 3; r++)); do
    rm -f new.db new.db-wal new.db-shm
    ms=$(( RANDOM % (FULL_MS / 4 + 1) ))
    kill_after $ms new.db >/dev/null || exit 1
    if [ -e new.db ]; then
        ic=$(sqlite3 new.db "PRAGMA integrity_check;" 2>&1)
        eq "$ic" ok "integrity_check of an interrupted new database"
    fi
    "$ONTRACK" --db new.db import big.csv >/dev/null 2>"$T/.err" ||
        { ERR=$(cat "$T/.err"); fail "importing into an interrupted new database failed"; }
    got=$(check_db new.db 0) || exit 1
    eq "$got" all "rows after an interrupted creation"
done

echo "whole import: ${FULL_MS} ms; $ROUNDS rounds: $killed killed ($none left nothing, $((all)) kept all), 3 creations"
# the kills must have landed during imports, not only after them
[ $killed -ge $((ROUNDS / 2)) ] || fail "only $killed of $ROUNDS kills landed during an import"
[ $none -ge 1 ] || fail "no kill left the database without the import"
done_ok
