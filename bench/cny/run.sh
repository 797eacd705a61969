#!/bin/sh
# Builds the engine's models library and the Chinese New Year benchmark, then
# runs it on the repository's China monthly data.  Usage (from anywhere):
#   bench/cny/run.sh [SERIES]        (default china.exports_usd)
# BUILD_DIR overrides the build directory (default build-bench-cny).
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_DIR:-$root/build-bench-cny}
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j2 --target ot_models >/dev/null
cc -std=c17 -O2 -Wall -Wextra -Wpedantic -D_POSIX_C_SOURCE=200809L -I"$root/engine" \
  "$root/bench/cny/cny_bench.c" "$build/engine/models/libot_models.a" "$build/engine/core/libot_core.a" \
  $(pkg-config --libs gsl) -lpthread -lm -o "$build/cny_bench"
"$build/cny_bench" "$root/datasets/china/china_monthly_nbs.csv" "${1:-china.exports_usd}"
