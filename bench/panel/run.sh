#!/bin/sh
# run.sh — the panel benchmark: ontrack (a Lua script under `ontrack run`) and
# pandas doing the same work on the same panel, interleaved, median of RUNS
# runs, peak RSS from /usr/bin/time.  See README.md.
#
#   bench/panel/run.sh [N]        N series x 240 months (default 10000)
#
# Environment: OT (the ontrack binary, default build-bench/ontrack, a Release
# build without sanitizers), PY (a python3 with pandas, default /usr/bin/python3,
# Debian's python3-pandas), RUNS (default 3), BENCH_DIR (scratch space, default
# /tmp/ontrack-bench-panel).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
OT=${OT:-build-bench/ontrack}
# run.sh --ot-csv CSV DB: the import and the script one after the other, timed as one
if [ "${1:-}" = "--ot-csv" ]; then
    rm -f "$3" "$3-wal" "$3-shm"
    "$OT" --db "$3" import "$2" >/dev/null
    exec "$OT" --db "$3" run "$here/panel.lua" db
fi
PY=${PY:-/usr/bin/python3}
RUNS=${RUNS:-3}
BENCH_DIR=${BENCH_DIR:-/tmp/ontrack-bench-panel}
N=${1:-10000}
mkdir -p "$BENCH_DIR"
command -v /usr/bin/time >/dev/null || { echo "run.sh: needs /usr/bin/time (apt-get install time)" >&2; exit 69; }
"$PY" -c 'import pandas' || { echo "run.sh: $PY has no pandas (apt-get install python3-pandas)" >&2; exit 69; }
csv="$BENCH_DIR/panel_long_$N.csv"
[ -s "$csv" ] || "$PY" "$here/gen_csv.py" "$N" "$csv"
db="$BENCH_DIR/panel.db"

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
# timed FILE CMD...: runs CMD, appends "wall_s peak_kb user_s sys_s" to FILE, keeps stdout in FILE.out
timed() {
    f=$1; shift
    /usr/bin/time -f "%e %M %U %S" -o "$BENCH_DIR/t" "$@" >"$f.out"
    cat "$BENCH_DIR/t" >>"$f"
}

for k in gen_ot gen_pd csv_ot csv_pd warm_ot warmn_ot; do : >"$BENCH_DIR/$k"; done
i=0
while [ $i -lt "$RUNS" ]; do
    timed "$BENCH_DIR/gen_ot" "$OT" --db "$BENCH_DIR/unused.db" run "$here/panel.lua" gen "$N"
    timed "$BENCH_DIR/gen_pd" "$PY" "$here/panel.py" gen "$N"
    timed "$BENCH_DIR/csv_ot" sh "$0" --ot-csv "$csv" "$db"
    timed "$BENCH_DIR/csv_pd" "$PY" "$here/panel.py" csv "$csv"
    timed "$BENCH_DIR/warm_ot" "$OT" --db "$db" run "$here/panel.lua" db
    timed "$BENCH_DIR/warmn_ot" "$OT" --db "$db" run "$here/panel.lua" dbn "$N"
    i=$((i + 1))
done
# /usr/bin/time's %M of `sh run.sh --ot-csv` is the largest child's peak (the
# import or the script), not their sum: they run one after the other.

echo "panel: $N series x 240 months, raw data $(awk -v n="$N" 'BEGIN {printf "%.1f", n * 240 * 8 / 1e6}') MB; RUNS=$RUNS; $(date -u +%Y-%m-%dT%H:%MZ)"
printf '%-34s %9s %9s %9s %9s %9s\n' what median_s user_s sys_s peak_MB vs_pandas
row() { # row LABEL FILE PANDAS_FILE
    s=$(cut -d' ' -f1 "$2" | median); u=$(cut -d' ' -f3 "$2" | median); y=$(cut -d' ' -f4 "$2" | median)
    kb=$(cut -d' ' -f2 "$2" | sort -n | tail -1)
    ratio=-
    if [ -n "$3" ]; then ratio=$(awk -v a="$(cut -d' ' -f1 "$3" | median)" -v b="$s" 'BEGIN {printf "%.2f", a / b}'); fi
    awk -v l="$1" -v s="$s" -v u="$u" -v y="$y" -v kb="$kb" -v r="$ratio" \
        'BEGIN {printf "%-34s %9.2f %9.2f %9.2f %9.1f %9s\n", l, s, u, y, kb / 1024, r}'
}
row "generated: ontrack run" "$BENCH_DIR/gen_ot" "$BENCH_DIR/gen_pd"
row "generated: pandas" "$BENCH_DIR/gen_pd" "$BENCH_DIR/gen_pd"
row "CSV: ontrack import + run" "$BENCH_DIR/csv_ot" "$BENCH_DIR/csv_pd"
row "CSV: pandas read_csv + pivot" "$BENCH_DIR/csv_pd" "$BENCH_DIR/csv_pd"
row "stored: ontrack run (db:keys)" "$BENCH_DIR/warm_ot" "$BENCH_DIR/csv_pd"
row "stored: ontrack run (keys made)" "$BENCH_DIR/warmn_ot" "$BENCH_DIR/csv_pd"
echo "checksums (each line: ontrack, then pandas; the CSV's values have 6 decimals):"
cat "$BENCH_DIR/gen_ot.out" "$BENCH_DIR/gen_pd.out" "$BENCH_DIR/csv_ot.out" "$BENCH_DIR/csv_pd.out"
