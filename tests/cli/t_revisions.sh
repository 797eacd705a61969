#!/usr/bin/env bash
# ontrack revisions KEY [--period P] [--measure M]: every vintage of every
# period, with the import that brought it; values in their shortest exact form.
. "$SRC/tests/cli/lib.sh"

cat > first.csv <<'CSV'
series,period,value,measure
r.x,2024-01,66.96,value
r.x,2024-02,70.1,value
r.x,2024-02,5.5,yoy
CSV
cat > revised.csv <<'CSV'
series,period,value,measure,vintage,source
r.x,2024-01,66.959999999999994,value,2024-03-15,bureau
r.x,2024-01,67.04,value,2024-04-15,年鉴
CSV
run 0 import first.csv
run 0 import revised.csv
run 0 revisions r.x
out_words 1 "period measure value known from source import file imported at"
eq "$(sed -n 3p <<<"$OUT" | tr -s ' ' | cut -d' ' -f1-6)" "2024-01 value 66.96 2024-02-15* 1 first.csv" "first vintage: undated, the period's end plus the monthly release lag (15 days)"
eq "$(sed -n 4p <<<"$OUT" | tr -s ' ' | cut -d' ' -f1-6)" "2024-01 value 67.04 2024-04-15 年鉴 2" "the revision (66.959999999999994 is 66.96: unchanged, not stored)"
eq "$(sed -n 5p <<<"$OUT" | tr -s ' ' | cut -d' ' -f1-6)" "2024-02 value 70.1 2024-03-15* 1 first.csv" "February"
eq "$(sed -n 6p <<<"$OUT" | tr -s ' ' | cut -d' ' -f1-6)" "2024-02 yoy 5.5 2024-03-15* 1 first.csv" "yoy"
lacks_out "66.959999999999994"
run 0 revisions r.x --period 2024-01
eq "$(wc -l <<<"$OUT")" 4 "header, rule, two vintages"
run 0 revisions r.x --measure yoy
eq "$(wc -l <<<"$OUT")" 3 "one yoy row"
# a value put by a script has no import
cat > put.lua <<'LUA'
local db = ot.db()
db:put(ot.series{key = "r.x", freq = "M", start = "2024-03", values = {71.25}})
LUA
run 0 run put.lua
run 0 revisions r.x --period 2024-03
eq "$(sed -n 3p <<<"$OUT" | tr -s ' ')" "2024-03 value 71.25 2024-04-15* -" "a put has no import"
# mistakes
run 66 revisions r.y
has_err "unknown series 'r.y'"
run 66 revisions r.x --period 2023-01
has_err "r.x: no observations in 2023-01"
# a coarser period selects the periods inside it (the months of a quarter or
# a year); a finer one the period containing it; a month within a
# January–February release that release
run 0 revisions r.x --period 2024Q1 --measure value
eq "$(sed -n '3,$p' <<<"$OUT" | cut -c1-7 | tr '\n' ' ')" "2024-01 2024-01 2024-02 2024-03 " "the months of 2024Q1"
run 0 revisions r.x --period 2024 --measure yoy
eq "$(wc -l <<<"$OUT")" 3 "the yoy of 2024"
run 0 revisions r.x --period 2024-02-29 --measure value
eq "$(sed -n 3p <<<"$OUT" | cut -c1-7)" "2024-02" "the month of a day"
run 66 revisions r.x --period 2023Q4
has_err "r.x: no observations in 2023Q4"
# with --measure, the message says which measure has none
run 66 revisions r.x --period 2023Q4 --measure yoy
has_err "ontrack: r.x: no yoy observations in 2023Q4"
run 66 revisions r.x --measure ytd_yoy
has_err "ontrack: r.x: no ytd_yoy observations"
printf 'series,period,measure,value\nr.jf,2024年1-2月,ytd,10\nr.jf,2024-03,ytd,15\n' > jf.csv
run 0 import jf.csv
run 0 revisions r.jf --period 2024-01
eq "$(sed -n '3,$p' <<<"$OUT" | cut -c1-10)" "2024-01/02" "January: the Jan–Feb release"
run 0 revisions r.jf --period 2024Q1
eq "$(wc -l <<<"$OUT")" 4 "both releases of 2024Q1"
# a year to date names the figure of its last month, not the months before
run 0 revisions r.jf --period 2024年1-3月
eq "$(sed -n '3,$p' <<<"$OUT" | cut -c1-7)" "2024-03" "the ytd through March"
run 0 revisions r.x --period 2024年一季度 --measure value
eq "$(wc -l <<<"$OUT")" 6 "a quarter: its months"
printf 'series,period,measure,value\nr.h,2024-06,ytd,60\nr.h,2024-05,ytd,50\n' > h.csv
run 0 import h.csv
run 0 revisions r.h --period 2024年上半年
eq "$(sed -n '3,$p' <<<"$OUT" | cut -c1-7)" "2024-06" "the first half's year to date: June"
run 2 revisions r.x --period soon
has_err "--period: expected a period such as 2023-01, got 'soon'"
run 2 revisions
# a series' own release lag moves the undated rows' date
printf 'series,name,release_lag\nr.x,测试,40\n' > lag.csv
run 0 import lag.csv
run 0 revisions r.x --period 2024-02 --measure value
eq "$(sed -n 3p <<<"$OUT" | tr -s ' ' | cut -d' ' -f1-4)" "2024-02 value 70.1 2024-04-09*" "40 days after February"
done_ok
