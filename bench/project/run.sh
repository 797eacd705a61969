#!/bin/sh
# run.sh — the projection benchmark (README.md): the Yiwu flagship (first run
# with its import, then warm) and N synthetic monthly series with one growth
# target each, 10,000 paths per target.  Median of RUNS runs; wall, user and
# sys time, CPU use ((user+sys)/wall: 2.0 = both cores busy) and peak RSS
# from /usr/bin/time.  There is no reference library to run beside it.
#
#   bench/project/run.sh [N]        default N = 10000
#   bench/project/run.sh --report [N]   only print the table of the last runs
#
# Environment: OT (the ontrack binary, default build-bench/ontrack, a Release
# build without sanitizers), RUNS (default 3), BENCH_DIR (scratch space,
# default /tmp/ontrack-bench-project).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
OT=${OT:-build-bench/ontrack}
RUNS=${RUNS:-3}
BENCH_DIR=${BENCH_DIR:-/tmp/ontrack-bench-project}
report_only=
if [ "${1:-}" = "--report" ]; then report_only=1; shift; fi
N=${1:-10000}
mkdir -p "$BENCH_DIR"
command -v /usr/bin/time >/dev/null || { echo "run.sh: needs /usr/bin/time (apt-get install time)" >&2; exit 69; }
fdb="$BENCH_DIR/flagship.db"; sdb="$BENCH_DIR/synth_$N.db"

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
# timed FILE CMD...: runs CMD, appends "wall_s peak_kb user_s sys_s" to FILE, keeps stdout in FILE.out
timed() {
    f=$1; shift
    /usr/bin/time -f "%e %M %U %S" -o "$BENCH_DIR/t" "$@" >"$f.out"
    cat "$BENCH_DIR/t" >>"$f"
}
if [ -z "$report_only" ]; then
if [ ! -s "$sdb" ]; then   # the stored synthetic case, made once (not timed)
    "$OT" --db "$sdb" run "$here/synth.lua" "$N" 10000 store >/dev/null
fi

for k in first warm cli synth gen store rwsd; do : >"$BENCH_DIR/$k"; done
i=0
while [ $i -lt "$RUNS" ]; do
    rm -f "$fdb" "$fdb-wal" "$fdb-shm"
    timed "$BENCH_DIR/first" "$OT" --db "$fdb" run "$src/scripts/yiwu_2023.lua"
    timed "$BENCH_DIR/warm" "$OT" --db "$fdb" run "$src/scripts/yiwu_2023.lua"
    timed "$BENCH_DIR/cli" "$OT" --db "$fdb" project --year 2023 --as-of 2023-10-31
    timed "$BENCH_DIR/gen" "$OT" --db "$BENCH_DIR/unused.db" run "$here/synth.lua" "$N" 10000 gen
    timed "$BENCH_DIR/synth" "$OT" --db "$BENCH_DIR/unused.db" run "$here/synth.lua" "$N" 10000
    timed "$BENCH_DIR/store" "$OT" --db "$sdb" project --year 2023 --as-of 2023-09
    timed "$BENCH_DIR/rwsd" "$OT" --db "$sdb" project --year 2023 --as-of 2023-09 --method rwsd
    i=$((i + 1))
done
fi

echo "projection: 10000 paths per target; synthetic N=$N; RUNS=$RUNS; $(date -u +%Y-%m-%dT%H:%MZ); load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-44s %9s %8s %8s %6s %8s\n' what median_s user_s sys_s cpu peak_MB
row() {
    s=$(cut -d' ' -f1 "$2" | median); u=$(cut -d' ' -f3 "$2" | median); y=$(cut -d' ' -f4 "$2" | median)
    kb=$(cut -d' ' -f2 "$2" | sort -n | tail -1)
    awk -v l="$1" -v s="$s" -v u="$u" -v y="$y" -v kb="$kb" \
        'BEGIN {printf "%-44s %9.3f %8.3f %8.3f %6.2f %8.1f\n", l, s, u, y, (s > 0 ? (u + y) / s : 0), kb / 1024}'
}
row "flagship, first run (imports datasets/)" "$BENCH_DIR/first"
row "flagship, warm" "$BENCH_DIR/warm"
row "ontrack project --year 2023 (warm)" "$BENCH_DIR/cli"
row "synthetic: make $N series + targets (Lua)" "$BENCH_DIR/gen"
row "synthetic: make + ot.project $N targets" "$BENCH_DIR/synth"
row "synthetic: ontrack project, $N stored" "$BENCH_DIR/store"
[ ! -s "$BENCH_DIR/rwsd" ] || row "synthetic: the same, --method rwsd" "$BENCH_DIR/rwsd"
echo "results:"
grep -h "projections" "$BENCH_DIR/synth.out"
grep -c "" "$BENCH_DIR/store.out" | sed 's/^/ontrack project printed lines: /'
tail -n 1 "$BENCH_DIR/warm.out"
