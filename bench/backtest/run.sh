#!/bin/sh
# run.sh — the backtest benchmark (README.md): how the projections of the
# bundled China series fare against the spreadsheet (carry-forward for the
# point, carry-plus-record for the probabilities), as-of months 3-9, 2020 and
# 2021 left out; one run of `ontrack backtest --json` per method, timed.
#
#   bench/backtest/run.sh [METHOD...]    default: auto (the projection's default)
#
# Prints, per method, the time and the per-series summary, then the figures
# by as-of month of the first method, then MAE and Brier of every method side
# by side.  Environment: OT (the ontrack binary, default build-bench/ontrack,
# a Release build without sanitizers), PATHS (default 1000), BENCH_DIR
# (scratch space, default build-bench/backtest in the checkout), SERIES (the
# comma-separated --series list; default the seven headline China series).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
OT=${OT:-build-bench/ontrack}
PATHS=${PATHS:-1000}
BENCH_DIR=${BENCH_DIR:-$src/build-bench/backtest}
SERIES=${SERIES:-china.gdp,china.retail_sales,china.exports_usd,china.imports_usd,china.budget_revenue,china.fixed_asset_investment,china.industrial_value_added}
[ $# -gt 0 ] || set -- auto
command -v /usr/bin/time >/dev/null || { echo "run.sh: needs /usr/bin/time (apt-get install time)" >&2; exit 69; }
command -v sqlite3 >/dev/null || { echo "run.sh: needs sqlite3 (apt-get install sqlite3)" >&2; exit 69; }
mkdir -p "$BENCH_DIR"
db="$BENCH_DIR/bt.db"
rm -f "$db" "$db-wal" "$db-shm"
"$OT" --db "$db" import "$src/datasets/series.csv" "$src"/datasets/china/*.csv >/dev/null

# rows FILE: one line per series and one for all, from the JSON of FILE:
# key|month|n|mae|mae_carry|brier|brier_base|cover80|cover95|width80|width95|crps|crps_base
# (month 0: the months together; empty fields: no figure)
rows() {
    sqlite3 -batch -separator '|' :memory: "
        with d(j) as (select cast(readfile('$1') as text)),
        c(k, ord, m, v) as (
            select json_extract(s.value, '\$.key'), s.id, 0, json_extract(s.value, '\$.all')
              from d, json_each(d.j, '\$.series') s
            union all
            select json_extract(s.value, '\$.key'), s.id, json_extract(b.value, '\$.month'), b.value
              from d, json_each(d.j, '\$.series') s, json_each(s.value, '\$.by_month') b
            union all select 'all', 1e9, 0, json_extract(j, '\$.all') from d
            union all select 'all', 1e9, json_extract(b.value, '\$.month'), b.value
              from d, json_each(d.j, '\$.by_month') b)
        select k, m, json_extract(v, '\$.n'), json_extract(v, '\$.mae'), json_extract(v, '\$.mae_carry'),
               json_extract(v, '\$.brier'), json_extract(v, '\$.brier_base'),
               json_extract(v, '\$.cover80'), json_extract(v, '\$.cover95'),
               json_extract(v, '\$.width80'), json_extract(v, '\$.width95'),
               json_extract(v, '\$.crps'), json_extract(v, '\$.crps_base')
          from c order by ord, m"
}

# table [by-month]: formats rows (stdin); ratio = model / spreadsheet
table() {
    awk -F'|' -v bm="${1:-}" '
        function f(x, fmt) { return x == "" ? "-" : sprintf(fmt, x) }
        function r(a, b) { return (a == "" || b == "" || b == 0) ? "-" : sprintf("%.2f", a / b) }
        BEGIN { printf "%-29s %s%4s %6s %6s %5s %6s %6s %5s %5s %5s %5s %5s %6s %6s\n", "series",
                       bm ? "month " : "", "n", "MAE", "carry", "ratio", "Brier", "base", "ratio",
                       "cov80", "cov95", "w80", "w95", "CRPS", "base" }
        (bm && $2 == 0) || (!bm && $2 != 0) { next }
        bm && $3 == 0 { next }
        { printf "%-29s %s%4d %6s %6s %5s %6s %6s %5s %5s %5s %5s %5s %6s %6s\n", $1,
                 bm ? sprintf("%5d ", $2) : "", $3, f($4, "%.2f"), f($5, "%.2f"), r($4, $5),
                 f($6, "%.3f"), f($7, "%.3f"), r($6, $7), f($8 == "" ? "" : 100 * $8, "%.0f%%"),
                 f($9 == "" ? "" : 100 * $9, "%.0f%%"), f($10, "%.1f"), f($11, "%.1f"),
                 f($12, "%.2f"), f($13, "%.2f") }'
}

cmd="ontrack backtest --series $SERIES --months 3-9 --exclude-years 2020-2021 --paths $PATHS --json --method METHOD"
echo "backtest of the bundled China series, as of months 3-9, 2020-2021 left out, $PATHS paths"
echo "$(date -u +%Y-%m-%dT%H:%MZ); load $(cut -d' ' -f1-3 /proc/loadavg); $("$OT" --version 2>/dev/null || true)"
echo "command: $cmd"
for m in "$@"; do
    f="$BENCH_DIR/$m.json"
    /usr/bin/time -f "%e %U %M" -o "$BENCH_DIR/t" "$OT" --db "$db" backtest --series "$SERIES" \
        --months 3-9 --exclude-years 2020-2021 --paths "$PATHS" --method "$m" --json >"$f"
    read -r wall user kb <"$BENCH_DIR/t"
    rows "$f" >"$BENCH_DIR/$m.rows"
    w=$(sqlite3 -batch :memory: "with d(j) as (select cast(readfile('$f') as text))
        select json_extract(j, '\$.worse.mae_or_brier') || ' of ' || json_extract(j, '\$.worse.compared')
               || ' series (MAE ' || json_extract(j, '\$.worse.mae') || ', Brier '
               || json_extract(j, '\$.worse.brier') || ', CRPS ' || json_extract(j, '\$.worse.crps') || ')' from d")
    echo
    echo "method $m: $wall s wall, $user s user, $((kb / 1024)) MB peak; worse than the spreadsheet in $w"
    table <"$BENCH_DIR/$m.rows"
done

echo
echo "method $1 by as-of month"
table by-month <"$BENCH_DIR/$1.rows"

if [ $# -gt 1 ]; then
    echo
    echo "methods side by side (months 3-9): MAE, carry-forward first; Brier score, the baseline first"
    for m in "$@"; do awk -F'|' -v m="$m" '$2 == 0 { print m "|" $0 }' "$BENCH_DIR/$m.rows"; done |
    awk -F'|' -v methods="$*" '
        BEGIN { nm = split(methods, ms, " ") }
        { k = $2; if (!(k in seen)) { seen[k] = 1; keys[++nk] = k }
          mae[k, $1] = $5; brier[k, $1] = $7; carry[k] = $6; base[k] = $8 }
        function f(x, fmt) { return x == "" ? "-" : sprintf(fmt, x) }
        END {
            printf "%-29s %6s", "series", "carry"; for (i = 1; i <= nm; i++) printf " %6.6s", ms[i]
            printf "   %6s", "base"; for (i = 1; i <= nm; i++) printf " %6.6s", ms[i]; printf "\n"
            for (j = 1; j <= nk; j++) {
                k = keys[j]; printf "%-29s %6s", k, f(carry[k], "%.2f")
                for (i = 1; i <= nm; i++) printf " %6s", f(mae[k, ms[i]], "%.2f")
                printf "   %6s", f(base[k], "%.3f")
                for (i = 1; i <= nm; i++) printf " %6s", f(brier[k, ms[i]], "%.3f")
                printf "\n"
            }
        }'
fi
