#!/usr/bin/env bash
# bench/jobs/run.sh — a job over N synthetic series with one target each.
#
#   bench/jobs/run.sh [ONTRACK] [NSERIES] [PATHS] [METHOD]
#                     (defaults: build/ontrack 10000 2000 auto)
#
# Generates N monthly flows (2015-01 .. 2023-09: trend, seasonality and noise
# from a fixed seed), one growth target each for 2023, imports them into a
# fresh database, then runs the job twice as of 2023-10-31 under
# /usr/bin/time -v.  Prints wall time and peak memory of each run, and the
# database growth per run (after a WAL checkpoint).  Use a Release build
# without sanitizers.  Goal (issue 7): under 60 s and 500 MB on 2 cores.
set -eu
ONTRACK=$(realpath "${1:-build/ontrack}")
N=${2:-10000}
PATHS=${3:-2000}
METHOD=${4:-auto}
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cd "$W"

awk -v n="$N" 'BEGIN {
    srand(7); print "series,period,value" > "obs.csv"
    print "series,name,kind,freq" > "meta.csv"
    print "series,year,kind,op,value,label" > "targets.csv"
    for (i = 1; i <= n; i++) {
        key = sprintf("bench.s%05d", i)
        print key ",series " i ",flow,M" > "meta.csv"
        lvl = 50 + 100 * rand(); g = 0.002 + 0.008 * rand(); amp = 0.1 * rand()
        for (y = 2015; y <= 2023; y++)
            for (m = 1; m <= 12; m++) {
                if (y == 2023 && m > 9) break
                t = (y - 2015) * 12 + m
                v = lvl * exp(g * t) * (1 + amp * sin(6.2831853 * m / 12)) * (1 + 0.03 * (rand() - 0.5))
                printf "%s,%d-%02d,%.4f\n", key, y, m, v > "obs.csv"
            }
        printf "%s,2023,growth,>=,%.1f,目标%d\n", key, 100 * (exp(12 * g) - 1), i > "targets.csv"
    }
}'
"$ONTRACK" --db b.db import meta.csv obs.csv >/dev/null
"$ONTRACK" --db b.db import --format targets targets.csv >/dev/null
cat > bench.lua <<LUA
return {name = "bench", targets = {year = 2023}, paths = $PATHS, seed = 1, method = "$METHOD",
        as_of = "2023-10-31", outputs = {"out/{job}-{run}.csv"}, keep = 10}
LUA
size() { sqlite3 b.db "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null; stat -c %s b.db; }
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg), CPUs: $(nproc)"
echo "series: $N, paths: $PATHS, method: $METHOD, observations: $(($(wc -l < obs.csv) - 1)), database: $(size) bytes"
prev=$(size)
for k in 1 2; do
    /usr/bin/time -v "$ONTRACK" --db b.db job run bench.lua --quiet 2> time.txt
    now=$(size)
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' time.txt)
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' time.txt)
    usr=$(sed -n 's/.*User time (seconds): //p' time.txt)
    sys=$(sed -n 's/.*System time (seconds): //p' time.txt)
    echo "run $k: wall $wall, CPU user $usr s + system $sys s, peak RSS $((rss / 1024)) MB, database +$((now - prev)) bytes"
    prev=$now
done
cmp -s out/bench-1.csv out/bench-2.csv && echo "outputs of the two runs identical"
sqlite3 b.db "SELECT 'projections stored: ' || count(*) FROM projections"
