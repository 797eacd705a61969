#!/bin/sh
# xlsx.sh — the same table as CSV and as .xlsx, imported by `ontrack import`
# side by side (interleaved), median of RUNS runs, peak RSS from /usr/bin/time,
# and the .xlsx/CSV time ratio (goal: within 3x, peak under 64 MB).
#
#   OT_CLI=build-bench/ontrack GEN=build-bench/bench/ot_bench_gen_xlsx bench/import/xlsx.sh [ROWS]
#
# ROWS (default 1000000) rows of gen_long.awk's table; the workbook is written
# by libxlsxwriter (ot_bench_gen_xlsx).  BENCH_DIR: scratch (default
# build-bench/import in the checkout).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
RUNS=${RUNS:-5}
BENCH_DIR=${BENCH_DIR:-$here/../../build-bench/import}
OT_CLI=${OT_CLI:?set OT_CLI to an ontrack binary}
GEN=${GEN:?set GEN to ot_bench_gen_xlsx}
n=${1:-1000000}
mkdir -p "$BENCH_DIR"
csv="$BENCH_DIR/long_$n.csv"; xlsx="$BENCH_DIR/long_$n.xlsx"
[ -s "$csv" ] || awk -v n="$n" -f "$here/gen_long.awk" >"$csv"
[ -s "$xlsx" ] || "$GEN" "$xlsx" <"$csv"
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
one() { # one FILE OUT: a fresh database, time and peak RSS appended to OUT
    rm -f "$BENCH_DIR/x.db" "$BENCH_DIR/x.db-wal" "$BENCH_DIR/x.db-shm"
    /usr/bin/time -f "%e %M" -o "$BENCH_DIR/t.txt" "$OT_CLI" --db "$BENCH_DIR/x.db" import "$1" >/dev/null
    cat "$BENCH_DIR/t.txt" >>"$2"
}
: >"$BENCH_DIR/c.txt"; : >"$BENCH_DIR/x.txt"
i=0
while [ $i -lt "$RUNS" ]; do
    one "$csv" "$BENCH_DIR/c.txt"
    one "$xlsx" "$BENCH_DIR/x.txt"
    i=$((i + 1))
done
cs=$(cut -d' ' -f1 "$BENCH_DIR/c.txt" | median); ck=$(cut -d' ' -f2 "$BENCH_DIR/c.txt" | sort -n | tail -1)
xs=$(cut -d' ' -f1 "$BENCH_DIR/x.txt" | median); xk=$(cut -d' ' -f2 "$BENCH_DIR/x.txt" | sort -n | tail -1)
# the ratio of each run's pair, then their median
ratio=$(paste -d' ' "$BENCH_DIR/c.txt" "$BENCH_DIR/x.txt" | awk '{print $3 / $1}' | median)
printf '%-8s %-6s %10s %10s %9s %9s\n' rows file size_MB median_s peak_MB
printf '%-8s %-6s %10.1f %10.2f %9.1f\n' "$n" csv "$(($(stat -c %s "$csv") / 1048576))" "$cs" "$(echo "$ck" | awk '{print $1/1024}')"
printf '%-8s %-6s %10.1f %10.2f %9.1f\n' "$n" xlsx "$(($(stat -c %s "$xlsx") / 1048576))" "$xs" "$(echo "$xk" | awk '{print $1/1024}')"
echo "xlsx/csv time: median of the $RUNS runs' ratios $ratio"
