#!/usr/bin/env bash
# run.sh — builds the libFuzzer harnesses with clang (ASan+UBSan, the engine
# instrumented too) in build-fuzz/ and fuzzes each for a bounded time.
#
#   tests/fuzz/run.sh [SECONDS [HARNESS...]]     default: 60 s each, all seven
#
# Each harness starts from the committed corpus (tests/fuzz/corpus/<name>,
# read only) and keeps what it finds in build-fuzz/corpus/<name>.  A crash,
# leak, timeout or broken invariant stops the run with libFuzzer's report and
# the input saved as build-fuzz/crash-*; then the script exits 1.  To keep a
# finding as a regression test, fix the bug and copy the input into
# tests/fuzz/corpus/<name>/ (ctest's fuzz_replay_<name> replays it).
set -euo pipefail
cd "$(dirname "$0")/../.."
SECS=${1:-60}
shift || true
HARNESSES=("$@")
[ ${#HARNESSES[@]} -gt 0 ] || HARNESSES=(import period lua job put xlsx header)
B=${ONTRACK_FUZZ_BUILD:-build-fuzz}

CC=clang cmake -S . -B "$B" -DONTRACK_FUZZ=ON -DONTRACK_SANITIZE=ON \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_FLAGS=-fsanitize=fuzzer-no-link >/dev/null
cmake --build "$B" -j2 --target $(printf 'fuzz_%s ' "${HARNESSES[@]}")

status=0
for h in "${HARNESSES[@]}"; do
    mkdir -p "$B/corpus/$h" "$B/artifacts/$h"
    echo "== fuzz_$h for $SECS s"
    # -close_fd_mask=1: scripts that print (ot.report) would flood the log.
    # -timeout: one input may take at most 120 s.  The Lua host stops a chunk
    # at 50 ms, but only between Lua instructions: a single engine call runs to
    # its end, and an automatic ARIMA search inside `combo` on 48 values takes
    # about a minute in this instrumented build (docs/security.md, "Time inside
    # the engine").  Such an input is slow, not stuck; a real hang still ends
    # the run through the 120 s limit.
    if ! ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
         "$B/tests/fuzz/fuzz_$h" -max_total_time="$SECS" -timeout=120 -rss_limit_mb=2048 \
             -max_len=65536 -close_fd_mask=1 -print_final_stats=1 \
             -dict=tests/fuzz/$h.dict -artifact_prefix="$B/artifacts/$h/" \
             "$B/corpus/$h" tests/fuzz/corpus/$h 2>"$B/fuzz_$h.log"; then
        tail -n 60 "$B/fuzz_$h.log"
        echo "fuzz_$h: FOUND A PROBLEM (input in $B/artifacts/$h/)"
        status=1
    else
        grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb|^#[0-9]+.*DONE' "$B/fuzz_$h.log" || true
    fi
done
exit $status
