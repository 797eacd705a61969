#!/bin/sh
# run.sh — import benchmark: ontrack's importer vs the sqlite3 shell's .import
# of the same long CSV into a plain table, side by side, median of RUNS runs,
# peak RSS from /usr/bin/time.
#
#   bench/import/run.sh [ROWS...]          default ROWS: 1000000
#
# Environment: BUILD (a build tree configured with -DONTRACK_BENCH=ON and
# without sanitizers; default ./build-bench), RUNS (default 5), BENCH_DIR
# (scratch space, default /tmp/ontrack-bench), OT_IMPORT (the import command,
# called as `$OT_IMPORT DB FILE`; default $BUILD/bench/ot_bench_import), or
# OT_CLI (an `ontrack` binary: times `$OT_CLI --db DB import FILE` instead).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
BUILD=${BUILD:-build-bench}
RUNS=${RUNS:-5}
BENCH_DIR=${BENCH_DIR:-/tmp/ontrack-bench}
OT_IMPORT=${OT_IMPORT:-$BUILD/bench/ot_bench_import}
OT_CLI=${OT_CLI:-}
[ $# -gt 0 ] || set -- 1000000
mkdir -p "$BENCH_DIR"
command -v /usr/bin/time >/dev/null || { echo "run.sh: needs /usr/bin/time (apt-get install time)" >&2; exit 69; }

# median of the numbers on stdin
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# time_one LABEL DB CMD...: runs CMD on a fresh DB, appends "seconds kbytes"
time_one() {
    out=$1; db=$2; shift 2
    rm -f "$db" "$db-wal" "$db-shm"
    /usr/bin/time -f "%e %M" -o "$BENCH_DIR/time.txt" "$@" >/dev/null
    cat "$BENCH_DIR/time.txt" >>"$out"
}

printf '%-10s %-22s %10s %12s %10s %8s\n' rows tool median_s rows_per_s peak_MB vs_sqlite3
for n in "$@"; do
    csv="$BENCH_DIR/long_$n.csv"
    [ -s "$csv" ] || awk -v n="$n" -f "$here/gen_long.awk" >"$csv"
    ot="$BENCH_DIR/ot_$n.txt"; sq="$BENCH_DIR/sq_$n.txt"
    : >"$ot"; : >"$sq"
    i=0
    while [ $i -lt "$RUNS" ]; do   # interleaved, so both see the same machine state
        if [ -n "$OT_CLI" ]; then
            time_one "$ot" "$BENCH_DIR/ot.db" "$OT_CLI" --db "$BENCH_DIR/ot.db" import "$csv"
        else
            time_one "$ot" "$BENCH_DIR/ot.db" $OT_IMPORT "$BENCH_DIR/ot.db" "$csv"
        fi
        time_one "$sq" "$BENCH_DIR/sq.db" sqlite3 "$BENCH_DIR/sq.db" \
            -cmd "PRAGMA journal_mode=WAL" -cmd "PRAGMA synchronous=NORMAL" \
            ".mode csv" ".import $csv t"
        i=$((i + 1))
    done
    ot_s=$(cut -d' ' -f1 "$ot" | median); ot_kb=$(cut -d' ' -f2 "$ot" | sort -n | tail -1)
    sq_s=$(cut -d' ' -f1 "$sq" | median); sq_kb=$(cut -d' ' -f2 "$sq" | sort -n | tail -1)
    tool="ot_bench_import"; [ -z "$OT_CLI" ] || tool="ontrack import"
    awk -v n="$n" -v tool="$tool" -v os="$ot_s" -v ok="$ot_kb" -v ss="$sq_s" -v sk="$sq_kb" 'BEGIN {
        printf "%-10d %-22s %10.2f %12.0f %10.1f %8.2f\n", n, tool, os, n/os, ok/1024, ss/os
        printf "%-10d %-22s %10.2f %12.0f %10.1f %8s\n", n, "sqlite3 .import", ss, n/ss, sk/1024, "1.00"
    }'
done
rm -f "$BENCH_DIR/ot.db"* "$BENCH_DIR/sq.db"*
