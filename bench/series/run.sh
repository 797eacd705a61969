#!/bin/sh
# run.sh — `ontrack series` on a big database against the sqlite3 shell
# running the same listing query on the same file, side by side, median of
# RUNS runs (README.md).
#
#   bench/series/run.sh [ROWS]      default 2400000: 10,000 series x 240 months
#
# Environment: OT (the ontrack binary, default build-bench/ontrack, a Release
# build without sanitizers), RUNS (default 5), BENCH_DIR (scratch space,
# default /tmp/ontrack-bench-series).  The CSV is bench/import/gen_long.awk's;
# the database is made once by `ontrack import` (timed once, shown too).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
OT=${OT:-build-bench/ontrack}
RUNS=${RUNS:-5}
BENCH_DIR=${BENCH_DIR:-/tmp/ontrack-bench-series}
N=${1:-2400000}
mkdir -p "$BENCH_DIR"
command -v /usr/bin/time >/dev/null || { echo "run.sh: needs /usr/bin/time (apt-get install time)" >&2; exit 69; }
command -v sqlite3 >/dev/null || { echo "run.sh: needs the sqlite3 shell (apt-get install sqlite3)" >&2; exit 69; }
csv="$BENCH_DIR/long_$N.csv"
db="$BENCH_DIR/series_$N.db"
[ -s "$csv" ] || awk -v n="$N" -f "$here/../import/gen_long.awk" >"$csv"
if [ ! -s "$db" ]; then
    /usr/bin/time -f "%e" -o "$BENCH_DIR/import_s" "$OT" --db "$db" import "$csv" >/dev/null
fi

# The query ot_store_keys runs (engine/store/store.c, SQL_KEYS) with no pattern.
cat >"$BENCH_DIR/listing.sql" <<'SQL'
SELECT s.key, s.name, s.unit, coalesce(t.freq, s.freq), coalesce(t.measures, 0), t.lo, t.hi,
       coalesce(t.n, 0)
FROM series s LEFT JOIN series_stats t ON t.series_id = s.id
ORDER BY s.key, t.freq;
SQL
# The same figures counted from the observations (the listing's query before
# schema version 2): what the summary rows save.
cat >"$BENCH_DIR/recount.sql" <<'SQL'
SELECT s.key, s.name, s.unit, coalesce(o.freq, s.freq), coalesce(o.mb, 0), o.lo, o.hi,
       coalesce(o.n, 0)
FROM series s LEFT JOIN (
  SELECT series_id, freq, sum(DISTINCT 1 << measure) AS mb, min(ord) AS lo,
         max(ord) AS hi, count(DISTINCT ord) AS n
  FROM obs GROUP BY series_id, freq) o ON o.series_id = s.id
ORDER BY s.key, o.freq;
SQL

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
# timed FILE CMD...: runs CMD (stdin from $in), appends "wall_s peak_kb" to
# FILE; the wall time from date's nanoseconds (/usr/bin/time's %e has 10 ms
# steps, as long as the whole listing), the peak RSS from /usr/bin/time
timed() {
    f=$1; shift
    t0=$(date +%s%N)
    /usr/bin/time -f "%M" -o "$BENCH_DIR/t" "$@" <"$in" >"$f.out"
    t1=$(date +%s%N)
    echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.4f", (b - a) / 1e9}') $(cat "$BENCH_DIR/t")" >>"$f"
}
for k in ot sq rc; do : >"$BENCH_DIR/$k"; done
i=0
while [ $i -lt "$RUNS" ]; do   # interleaved, so all see the same machine load
    in=/dev/null; timed "$BENCH_DIR/ot" "$OT" --db "$db" series
    in="$BENCH_DIR/listing.sql"; timed "$BENCH_DIR/sq" sqlite3 "$db"
    in="$BENCH_DIR/recount.sql"; timed "$BENCH_DIR/rc" sqlite3 "$db"
    i=$((i + 1))
done

nser=$(($(wc -l <"$BENCH_DIR/ot.out") - 2))   # less the header and its rule
echo "series listing: $nser series, $N observations; RUNS=$RUNS; $(date -u +%Y-%m-%dT%H:%MZ); load $(cut -d' ' -f1-3 /proc/loadavg)"
[ ! -s "$BENCH_DIR/import_s" ] || echo "database made by ontrack import in $(cat "$BENCH_DIR/import_s") s (once)"
[ "$(wc -l <"$BENCH_DIR/sq.out")" -eq "$nser" ] || { echo "run.sh: the listing query gave $(wc -l <"$BENCH_DIR/sq.out") rows, ontrack $nser" >&2; exit 1; }
cmp -s "$BENCH_DIR/sq.out" "$BENCH_DIR/rc.out" || { echo "run.sh: the summary rows differ from the recount" >&2; exit 1; }
printf '%-40s %9s %9s %10s\n' what median_s peak_MB vs_sqlite3
sq_s=$(cut -d' ' -f1 "$BENCH_DIR/sq" | median)
row() {
    s=$(cut -d' ' -f1 "$2" | median); kb=$(cut -d' ' -f2 "$2" | sort -n | tail -1)
    awk -v l="$1" -v s="$s" -v kb="$kb" -v r="$sq_s" \
        'BEGIN {printf "%-40s %9.4f %9.1f %10.3f\n", l, s, kb / 1024, (s > 0 ? r / s : 0)}'
}
row "ontrack series" "$BENCH_DIR/ot"
row "sqlite3 shell, the same query" "$BENCH_DIR/sq"
row "sqlite3 shell, recount from obs" "$BENCH_DIR/rc"
