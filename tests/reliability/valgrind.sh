#!/usr/bin/env bash
# valgrind.sh — the Lua tests and the main CLI commands (import, series, show,
# targets, project, run of the flagship script, job run, report) under
# valgrind memcheck.
#
#   tests/reliability/valgrind.sh ONTRACK_BINARY
#
# The binary must be built without sanitizers (ASan and valgrind exclude each
# other): CI uses build/ontrack.  Each command runs from the source tree with
# its own database under
#   valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite
# and the script fails when any of them reports a memory error or a definite
# leak (exit 99), or exits with another code than expected.  Logs are kept in
# $VG_LOGS (default: a temporary directory, printed on failure).
set -uo pipefail
ONTRACK=$(realpath "${1:?usage: valgrind.sh ONTRACK_BINARY}")
cd "$(dirname "$0")/../.."
command -v valgrind >/dev/null || { echo "valgrind.sh: valgrind is not installed" >&2; exit 1; }
if nm -an "$ONTRACK" 2>/dev/null | grep -q __asan_init; then
    echo "valgrind.sh: $ONTRACK is built with AddressSanitizer; use a build without it" >&2
    exit 1
fi
W=$(mktemp -d)
LOGS=${VG_LOGS:-$W/logs}
mkdir -p "$LOGS"
trap 'rm -rf "$W"' EXIT
failed=0 n=0

# vg NAME EXPECTED_EXIT ARGS...: ontrack ARGS under memcheck (standard input
# is the caller's).
vg() {
    local name=$1 want=$2 rc; shift 2
    n=$((n + 1))
    valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
        --show-leak-kinds=definite --log-file="$LOGS/$name.vg" \
        "$ONTRACK" "$@" >"$LOGS/$name.out" 2>&1
    rc=$?
    if [ $rc -eq 99 ] || [ -s "$LOGS/$name.vg" ]; then
        echo "FAIL $name: valgrind reports errors:"; cat "$LOGS/$name.vg"; failed=1
    elif [ $rc -ne "$want" ]; then
        echo "FAIL $name: exit $rc, expected $want"; tail -n 20 "$LOGS/$name.out"; failed=1
    else
        echo "ok   $name"
    fi
}

for t in tests/lua/test_*.lua; do
    name=$(basename "$t" .lua)
    [ "$name" = test_module ] && continue   # runs in stock lua5.4, not in ontrack
    vg "lua_$name" 0 --db "$W/$name.db" run "$t"
done
vg lua_exit_script_error 1 --db "$W/exit.db" run tests/lua/exit/script_error.lua
vg lua_exit_bad_data 65 --db "$W/exit.db" run tests/lua/exit/bad_data.lua
vg lua_exit_not_found 66 --db "$W/exit.db" run tests/lua/exit/not_found.lua

DB="$W/cli.db"
vg cli_import 0 --db "$DB" import datasets/series.csv datasets/yiwu/yiwu.csv datasets/yiwu/targets_2023.csv
vg cli_import_bad 65 --db "$DB" import tests/data/import/bad.csv
vg cli_series 0 --db "$DB" series yiwu
vg cli_show 0 --db "$DB" show yiwu.exports --as-of 2023-10-31
vg cli_targets 0 --db "$DB" targets --year 2023
vg cli_project 0 --db "$DB" project --year 2023 --as-of 2023-10-31
vg flagship 0 --db "$W/flagship.db" run scripts/yiwu_2023.lua
mkdir -p "$W/jobs"
cp scripts/jobs/yiwu_monthly.lua "$W/jobs/"
vg job_run 0 --db "$DB" job run "$W/jobs/yiwu_monthly.lua" --as-of 2023-10-31 --quiet
vg report 0 --db "$DB" report latest --format md
vg report_html 0 --db "$DB" report latest --format html -o "$W/r.html"
vg backtest 0 --db "$DB" backtest --series 'yiwu.trade' --years 2024 --paths 200
# the REPL, piped: results, an error, a multi-line function, plotting
printf '%s\n' 's = ot.db():series("yiwu.trade", {measure = "ytd"})' 's:yoy()' 'error("x")' \
    'function f(a)' '  return a * 2' 'end' 'f(21)' 's:plot()' '{1, {2, 3}}' > "$W/repl.in"
vg repl 1 --db "$DB" repl < "$W/repl.in"

if [ $failed -ne 0 ]; then
    cp -r "$LOGS" "${TMPDIR:-/tmp}/ontrack-valgrind-logs" 2>/dev/null &&
        echo "logs in ${TMPDIR:-/tmp}/ontrack-valgrind-logs"
    exit 1
fi
echo "valgrind: $n commands, no memory errors, no definite leaks"
