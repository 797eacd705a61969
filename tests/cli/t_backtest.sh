#!/usr/bin/env bash
# ontrack backtest: a synthetic series where carry-forward is exact, the
# bundled Yiwu series, and the errors.
. "$SRC/tests/cli/lib.sh"

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
out_line 3 "mean absolute error of the full-year growth, percentage points"
out_words 4 "as of n model carry-forward"
for m in 1 2 3 4 5 6 7 8 9 10 11; do
    grep -Eq "^month $m +4 +[0-9]+\.[0-9]{2} +0\.00$" <<<"$OUT" || fail "month $m: carry-forward MAE 0.00"
done
has_out "calibration: 132 probabilities of meeting a target at last year's growth and +/-2 points"
grep -Eq '^Brier score 0\.[0-9]{3} \(0 is perfect; always saying 50% scores 0\.25\)$' <<<"$OUT" || fail "Brier line"
out_words 21 "prob n mean prob met"
# the bins hold the 132 probabilities
eq "$(sed -n '23,32p' <<<"$OUT" | awk '{ s += $2 } END { print s }')" 132 "reliability bins"

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
run 2 backtest --years 2020-2019
has_err "--years: 2020 is after 2019"
run 66 backtest --series 'nomatch*'
has_err "no monthly or quarterly series match 'nomatch*'"
run 66 backtest --series 'syn.*' --years 2030-2031
has_err "nothing to test: no year in --years with a known outcome and a known year before it"
run 2 backtest --method crystal-ball
has_err "--method: unknown method 'crystal-ball'"
run 2 backtest --paths 0
has_err "--paths: expected a whole number from 1 to 10000000, got '0'"
run 2 backtest extra
has_err "unexpected argument 'extra'"
done_ok
