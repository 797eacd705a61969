#!/bin/sh
# run.sh — bench/m3 side by side: ontrack's methods (m3bench.c) and R's forecast
# package (r_bench.R) on the M3 series, one group after another.
# Usage: bench/m3/run.sh [DATADIR [OUTDIR [GROUPS]]]
#   DATADIR defaults to ../shared/datasets/m3 (relative to the repository),
#   OUTDIR to /tmp/ontrack-m3, GROUPS to "monthly quarterly yearly".
# Set R_METHODS (default ets,theta,arima) or SKIP_R=1 to change the R side.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
data=${1:-$root/../shared/datasets/m3}
out=${2:-/tmp/ontrack-m3}
groups=${3:-monthly quarterly yearly}
mkdir -p "$out"
cc=${CC:-cc}
$cc -O2 -std=c17 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -I"$root/engine" \
    "$here/m3bench.c" "$root"/engine/models/*.c "$root"/engine/core/*.c \
    -lgsl -lgslcblas -lm -lpthread -o "$out/m3bench"
uname -a > "$out/machine.txt"
grep -m1 "model name" /proc/cpuinfo >> "$out/machine.txt" || true
nproc >> "$out/machine.txt"
for g in $groups; do
    echo "== $g: ontrack, 1 thread"
    "$out/m3bench" "$data" "$g" ets,theta,auto,naive2 "$out/ontrack-$g" 1 1
    echo "== $g: ontrack, 2 threads (calibrated intervals: NAME@cv)"
    "$out/m3bench" "$data" "$g" "arima,combo,ets@cv,theta@cv,auto@cv,arima@cv,combo@cv" \
        "$out/ontrack2-$g" 1 2
    if [ "${SKIP_R:-0}" != 1 ]; then
        echo "== $g: R forecast $(Rscript -e 'cat(format(packageVersion("forecast")))')"
        Rscript "$here/r_bench.R" "$data" "$g" "${R_METHODS:-ets,theta,arima}" "$out/r-$g"
        Rscript -e 'd <- read.csv(commandArgs(TRUE)[1]); print(aggregate(cbind(smape, mase, cov80, cov95) ~ method, d, mean), digits = 5)' "$out/r-$g-summary.csv"
    fi
done
