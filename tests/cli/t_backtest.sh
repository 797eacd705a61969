#!/usr/bin/env bash
# ontrack backtest: a synthetic series where carry-forward is exact (and so
# the spreadsheet's baseline), --json, --exclude-years, --months, --by series,
# the bundled Yiwu and China series, and the errors.
. "$SRC/tests/cli/lib.sh"
: "${PTYDRIVE:?set PTYDRIVE to the ptydrive binary}"

# A monthly flow flat within each year: 2015 every month 100, then yearly
# growth 10, 5, 20, 0, 8 % (2016..2020).  The ytd growth at any month is the
# year's growth, so carry-forward is exact (MAE 0.00 at every month).  Years
# tested: 2017..2020 (the outcome and the year before known): 4 series-years,
# 4 * 11 months * 3 hypothetical targets = 132 probabilities.  The targets at
# last year's growth G and G +/- 2 are all missed in 2017 (G 10 vs 5) and
# 2019 (20 vs 0), all met in 2018 (5 vs 20) and 2020 (0 vs 8).
{
    echo "series,period,value"
    awk 'BEGIN { split("10 5 20 0 8", g, " "); l = 100
                 for (y = 2015; y <= 2020; y++) {
                     if (y > 2015) l *= 1 + g[y - 2015] / 100
                     for (m = 1; m <= 12; m++) printf "syn.flat,%d-%02d,%.10g\n", y, m, l } }'
} > flat.csv
printf 'series,name,kind,freq\nsyn.flat,flat,flow,M\n' > meta.csv
run 0 import meta.csv flat.csv

run 0 backtest --method rwsd --paths 500
out_line 1 "backtest: 1 series, 4 series-years; method rwsd, 500 paths"
out_line 2 "as of months 1-11; target years 2017-2020"
# against the spreadsheet: the baseline needs 3 earlier years, so 2019 and
# 2020 are compared (2 years x 11 months = 22 cases, 66 probabilities); carry
# is exact, so its MAE and its CRPS are 0; the model (rwsd) is not exact
has_out "against the spreadsheet the model is WORSE in 1 of 1 series: on MAE in 1, on the Brier score"
out_words 8 "series n MAE carry Brier base cov80 cov95 w80 w95 CRPS base"
grep -Eq '^syn\.flat +22 +[0-9]\.[0-9]{2}\* +0\.00 +0\.[0-9]{3}  +0\.00[23] +[0-9]+% +[0-9]+% ' <<<"$OUT" \
    || fail "summary row of syn.flat"
has_out "* worse than the figure to its right: carry-forward's MAE, the baseline's Brier score or CRPS"
has_out "mean absolute error of the full-year growth, percentage points (every case)"
for m in 1 2 3 4 5 6 7 8 9 10 11; do
    grep -Eq "^month $m +4 +[0-9]+\.[0-9]{2} +0\.00$" <<<"$OUT" || fail "month $m: carry-forward MAE 0.00"
done
has_out "calibration: 132 probabilities of meeting a target at last year's growth and +/-2 points"
grep -Eq '^Brier score 0\.[0-9]{3} \(0 is perfect; always saying 50% scores 0\.25\)$' <<<"$OUT" || fail "Brier line"
# the bins hold the 132 probabilities
eq "$(sed -n '/^prob  /,$p' <<<"$OUT" | awk 'NR > 2 { s += $2 } END { print s }')" 132 "reliability bins"

# stderr is quiet when it is not a terminal; on one, a progress bar counts
# the batches of projections: the outcomes, then 2016 (for the record only)
# and 2017-2020 at 11 months each: 1 + 5 * 11 = 56
eq "$ERR" "" "no progress bar off a terminal"
printf 'expect 56/56 batches\nexpect backtest: 1 series, 4 series-years\nwait\n' > pty.txt
"$PTYDRIVE" pty.txt "$ONTRACK" backtest --method rwsd --paths 100 > pty.log 2>&1 || { cat pty.log; fail "progress bar"; }

# --json: the same figures, exactly.  The baseline's probabilities: 2019's
# targets 18, 20, 22 against carry 0 with errors {0, 0, 0}: share 0, so
# 0.05 + 0.9 * 0 = 0.05, all missed: (0.05 - 0)^2 = 0.0025; 2020's -2, 0, 2
# against carry 8: share 1, 0.95, all met: (0.95 - 1)^2 = 0.0025.  Brier 0.0025.
run 0 backtest --method rwsd --paths 500 --json
J=$OUT
echo "$J" > bt.json
jq_() { sqlite3 :memory: "select json_extract(cast(readfile('bt.json') as text), '$1')"; }
eq "$(jq_ '$.options.method')" rwsd "json method"
eq "$(jq_ '$.options.months.from')-$(jq_ '$.options.months.to')" 1-11 "json months"
eq "$(jq_ '$.series_years')" 4 "json series-years"
eq "$(jq_ '$.worse.compared') $(jq_ '$.worse.mae') $(jq_ '$.worse.brier')" "1 1 0" "json worse"
eq "$(jq_ '$.series[0].key')" syn.flat "json key"
eq "$(jq_ '$.series[0].baseline')" ytd_growth "json baseline"
eq "$(jq_ '$.series[0].all.n') $(jq_ '$.series[0].all.n_prob')" "22 66" "json cases"
eq "$(jq_ '$.series[0].all.brier_base')" 0.0025 "json baseline Brier"
eq "$(sqlite3 :memory: "select round(json_extract(cast(readfile('bt.json') as text), '$.series[0].all.mae_carry'), 9), round(json_extract(cast(readfile('bt.json') as text), '$.series[0].all.crps_base'), 9)")" "0.0|0.0" "json carry exact"
eq "$(jq_ '$.series[0].worse')" '["mae","crps"]' "json worse list"
eq "$(sqlite3 :memory: "select json_array_length(cast(readfile('bt.json') as text), '$.series[0].by_month'), json_extract(cast(readfile('bt.json') as text), '$.series[0].by_month[5].month'), json_extract(cast(readfile('bt.json') as text), '$.series[0].by_month[5].n')")" "11|6|2" "json by month"
eq "$(jq_ '$.calibration.n')" 132 "json calibration"

# --cases: the audit trail, one entry per projection scored.  As of month 6:
# 2017-2020, the first two without the 3 earlier years the baseline needs;
# 2019's record is 2016-2018 (errors 0), its baseline says 0.05 to targets
# 18, 20, 22; 2020's says 0.95 to -2, 0, 2
run 0 backtest --method rwsd --paths 500 --json --cases --months 6
echo "$OUT" > bt.json
cases() { sqlite3 -separator ' ' :memory: "select $1 from json_each(cast(readfile('bt.json') as text), '\$.cases')"; }
eq "$(cases "json_extract(value, '\$.year') || json_extract(value, '\$.compared')" | tr '\n' ' ')" \
    "20170 20180 20191 20201 " "cases: years and compared"
eq "$(cases "json_array_length(value, '\$.record')" | tr '\n' ' ')" "1 2 3 4 " "cases: record lengths"
eq "$(cases "json_extract(value, '\$.targets') || json_extract(value, '\$.prob_base')" | sed -n 3,4p | tr '\n' ' ')" \
    "[18.0,20.0,22.0][0.05,0.05,0.05] [-2.0,0.0,2.0][0.95,0.95,0.95] " "cases: baseline probabilities"
eq "$(cases "json_extract(value, '\$.prob_base')" | sed -n 1p)" "[null,null,null]" "cases: no baseline"
has_out '"method": "rwsd('
run 2 backtest --cases
has_err "--cases: only with --json"

# --exclude-years 2018: 2017, 2019, 2020 scored; 2019's baseline has only
# 2016 and 2017 (2018 is left out of the record too): not compared; 2020's
# has 2016, 2017, 2019: 11 cases
run 0 backtest --method rwsd --paths 500 --exclude-years 2018 --by series
out_line 1 "backtest: 1 series, 3 series-years; method rwsd, 500 paths"
out_line 2 "as of months 1-11; target years 2017-2020; left out: 2018"
grep -Eq '^syn\.flat +11 ' <<<"$OUT" || fail "11 cases with 2018 left out"
has_out "syn.flat: flow (carry-forward: the ytd growth), 3 target years scored (2017-2020)"
grep -Eq '^month 6 +1 +[0-9]\.[0-9]{2}[* ] +0\.00 ' <<<"$OUT" || fail "--by series month 6"
grep -Eq '^months 1-11 +11 ' <<<"$OUT" || fail "--by series total"
lacks_out "calibration:"
run 0 backtest --method rwsd --paths 500 --exclude-years 2017,2019-2020 --months 3-9
out_line 1 "backtest: 1 series, 1 series-years; method rwsd, 500 paths"
out_line 2 "as of months 3-9; target year 2018; left out: 2017, 2019-2020"
has_out "against the spreadsheet: no series has a year with 3 earlier ones at the same as-of month;"
has_out "syn.flat: no year has the earlier years its baseline needs"
has_out "calibration: 21 probabilities"
lacks_out "month 2 "
run 0 backtest --method rwsd --paths 500 --months 6
out_line 2 "as of month 6; target years 2017-2020"
has_out "calibration: 12 probabilities"

run 0 backtest --method rwsd --paths 500 --years 2019-2020
out_line 1 "backtest: 1 series, 2 series-years; method rwsd, 500 paths"
has_out "calibration: 66 probabilities"
run 0 backtest --method rwsd --paths 500 --years 2018 --series 'syn.*'
out_line 1 "backtest: 1 series, 1 series-years; method rwsd, 500 paths"

# the same seed gives the same figures
run 0 backtest --method rwsd --paths 500 --seed 3
A=$OUT
run 0 backtest --method rwsd --paths 500 --seed 3
eq "$OUT" "$A" "same seed, same output"

# the bundled Yiwu series: the outcomes are known through 2023
D="$SRC/datasets"
run 0 import "$D/series.csv" "$D/china/china_monthly_nbs.csv" "$D/china/china_afan_macropage.csv" \
    "$D/zhejiang/zhejiang.csv" "$D/yiwu/yiwu.csv"
run 0 backtest --series 'yiwu.*' --paths 300
grep -Eq '^backtest: [1-9][0-9]* series, [1-9][0-9]* series-years; method auto, 300 paths$' <<<"$OUT" \
    || fail "bundled backtest header"
grep -Eq '^month 11 +[1-9][0-9]* +[0-9]+\.[0-9]{2} +[0-9]+\.[0-9]{2}$' <<<"$OUT" || fail "bundled month 11"
# China's headline series, per series: every series matching the pattern has
# its row (none hidden), the count of series where the model is worse is in
# the headline, and it agrees with the rows marked *
# (three patterns, comma-separated)
run 0 backtest --series 'china.gdp,china.retail*,china.budget_revenue' --paths 300 --months 3-9 --exclude-years 2020-2021 --by series
grep -Eq '^backtest: 3 series, [1-9][0-9] series-years; method auto, 300 paths$' <<<"$OUT" || fail "3 series"
out_line 2 "as of months 3-9; target years 2012-2025; left out: 2020-2021"
for k in china.gdp china.retail_sales china.budget_revenue; do
    grep -Eq "^$k +[1-9][0-9]* +[0-9.]+[* ] " <<<"$OUT" || fail "summary row of $k"
    has_out "$k: flow (carry-forward: the ytd growth)"
done
W=$(sed -n 's/^against the spreadsheet the model is WORSE in \([0-9]*\) of \([0-9]*\) series.*/\1 \2/p' <<<"$OUT")
[ -n "$W" ] || fail "headline count"
marked=$(sed -n '/^per series/,/^\* worse/p' <<<"$OUT" | grep -E '^china\.' |
         awk '{ if ($3 ~ /\*$/ || $5 ~ /\*$/) w++; n++ } END { print w + 0, n }')
eq "$W" "$marked" "headline count = rows marked on MAE or Brier"
has_out "all series"
grep -Eq '^months 3-9 +[1-9][0-9]* ' <<<"$OUT" || fail "all series total"
run 0 backtest --series 'china.gdp' --paths 300 --months 3-9 --exclude-years 2020-2021 --json
echo "$OUT" > bt.json
eq "$(jq_ '$.series[0].key') $(jq_ '$.options.exclude_years')" "china.gdp [2020,2021]" "bundled json"
[ "$(jq_ '$.series[0].all.n')" -ge 50 ] || fail "china.gdp cases"

# --intervals cv: the header says so; model is the default
run 0 backtest --series 'syn.*' --method snaive --paths 300 --years 2019-2020
A=$OUT
run 0 backtest --series 'syn.*' --method snaive --paths 300 --years 2019-2020 --intervals model
eq "$OUT" "$A" "--intervals model is the default"
run 0 backtest --series 'syn.*' --method snaive --paths 300 --years 2019-2020 --intervals cv
out_line 1 "backtest: 1 series, 2 series-years; method snaive (cv intervals), 300 paths"
has_out "calibration: 66 probabilities"

# errors
run 2 backtest --intervals wide
has_err "--intervals: expected 'model' or 'cv', got 'wide'"
run 2 backtest --method rwsd --intervals cv
has_err "--intervals cv: not available with method rwsd"
run 2 backtest --method carry --intervals cv
has_err "ontrack: backtest: --intervals cv: not available with method carry"
run 2 backtest --years 2020-2019
has_err "--years: 2020 is after 2019"
# a malformed year names the option it was given to
run 2 backtest --years abc
has_err "backtest: --years: expected a year such as 2023, got 'abc'"
run 2 backtest --years 2019-20x
has_err "backtest: --years: expected a year such as 2023, got '20x'"
run 2 backtest --exclude-years 2008,2020-x
has_err "backtest: --exclude-years: expected a year such as 2023, got 'x'"
run 2 backtest --exclude-years 20o8
has_err "backtest: --exclude-years: expected a year such as 2023, got '20o8'"
run 66 backtest --series 'nomatch*'
has_err "no monthly or quarterly series match 'nomatch*'"
# one mistyped key among several is named (its row would just be missing),
# with the stored key nearest to it; an empty pattern is a usage error
run 66 backtest --series syn.flat,syn.falt --months 6
has_err "ontrack: no monthly or quarterly series match 'syn.falt' (did you mean syn.flat?)"
lacks_out "backtest:"
run 2 backtest --series syn.flat,,syn.x
has_err "ontrack: backtest: --series: an empty pattern in 'syn.flat,,syn.x'"
run 66 backtest --series 'syn.*' --years 2030-2031
has_err "nothing to test: no year in --years with a known outcome and a known year before it"
run 2 backtest --method crystal-ball
has_err "--method: unknown method 'crystal-ball'"
run 2 backtest --paths 0
has_err "--paths: expected a whole number from 1 to 10000000, got '0'"
run 2 backtest extra
has_err "unexpected argument 'extra'"
run 2 backtest --by year
has_err "--by: expected 'month' or 'series', got 'year'"
run 2 backtest --by series --json
has_err "--by: not with --json (it holds both views)"
run 2 backtest --months 0-9
has_err "--months: expected M1-M2 within 1-11 (3-9), got '0-9'"
run 2 backtest --months 9-3
has_err "--months: expected M1-M2 within 1-11 (3-9), got '9-3'"
run 2 backtest --months 12
has_err "--months: expected M1-M2 within 1-11 (3-9), got '12'"
run 2 backtest --exclude-years 2021-2020
has_err "--exclude-years: 2021 is after 2020"
run 2 backtest --exclude-years 2020,,2021
has_err "--exclude-years: expected years and ranges (2020-2021 or 2008,2020-2022), got '2020,,2021'"
run 2 backtest --exclude-years 20x0
has_err "20x0"
run 66 backtest --series 'syn.*' --years 2019-2020 --exclude-years 2019-2020
has_err "nothing to test: no year in --years outside --exclude-years with a known outcome"
# a quarterly series as of January-February: projected from last year's
# data, with no carry-forward figure (its first quarter is not out): the
# reason given is that, not a short record
{
    echo "series,period,value"
    for y in 2015 2016 2017 2018 2019 2020; do for q in 1 2 3 4; do
        echo "syn.q,${y}Q$q,$((100 + (y - 2015) * 5 + q))"; done; done
} > q.csv
printf 'series,name,kind,freq\nsyn.q,q,flow,Q\n' > qmeta.csv
export ONTRACK_DB="$T/quarterly.db"   # a database of its own
run 0 import qmeta.csv q.csv
run 0 backtest --series syn.q --method rwsd --paths 200 --months 1-2
has_out "syn.q: no carry-forward figure at the months tested (nothing of the year published yet)"
lacks_out "syn.q: no year has the earlier years"
done_ok
