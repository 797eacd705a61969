#!/usr/bin/env bash
# ontrack project: the bundled Yiwu 2023 targets as known on 2023-10-31.
. "$SRC/tests/cli/lib.sh"

D="$SRC/datasets"
run 0 import "$D/series.csv" "$D/china/china_monthly_nbs.csv" "$D/china/china_afan_macropage.csv" \
    "$D/zhejiang/zhejiang.csv" "$D/yiwu/yiwu.csv" "$D/yiwu/targets_2023.csv"

run 0 project --year 2023 --as-of 2023-10-31
out_words 1 "target test through ytd point 80% range prob required carry status"
# GDP: Jan–Sep +8.7% (published 2023-10-24) is carried: ytd and carry-forward 8.7%
grep -q "^地区生产总值增长7.5%以上 *growth >= 7.5% *2023Q3 *8.7%" <<<"$OUT" || fail "GDP row"
# imports +52.8% against a 25% target: on track; retail sales have no data for 2023
has_out "进口增长25%"
grep -q "^进口增长25%.*on track" <<<"$OUT" || fail "imports not on track"
grep -q "^社会消费品零售总额增长7%.*no data" <<<"$OUT" || fail "retail sales not 'no data'"
grep -q "unquantified$" <<<"$OUT" || fail "the unquantified target is not listed"
# notes and tests name the indicators (name_en in English), keys only where
# a series has no name
# the note reads once: the method, the range's source and its scale said with
# what it is for, no possessive on a long name, no "method: …" repeating it
grep -qxF "[1] 地区生产总值增长7.5%以上 (Yiwu GDP): carry-forward, with a range from its errors on Gross domestic product at quarter 3 in 2011-2019, widened 2.0 times as usual for a local series; 2020-2022 left out of the record" <<<"$OUT" ||
    fail "the GDP note in English"
lacks_out "method: carry"
lacks_out "'s carry-forward"
grep -q "^出口增速高于全省平均 *growth above Zhejiang exports (yuan) growth *2023-09 " <<<"$OUT" ||
    fail "the relative target's test naming its reference by its English name"
lacks_out "zhejiang.exports"
has_out "2020-2022 left out of the record"
# a level target tests a flow's full-year total but a stock's year-end level
# (registered buyers are a stock, online transactions a flow): the test says which
grep -q "^Chinagoods平台注册采购商突破400万 *year-end level >= 4,000,000 " <<<"$OUT" ||
    fail "the level target of a stock not worded as its year-end level"
grep -q "^Chinagoods平台线上交易额500亿元 *total >= 500 (100m yuan) " <<<"$OUT" ||
    fail "the level target of a flow not worded as its total"

# --lang zh: Chinese headers, periods, statuses and notes; no Latin word but
# the series keys and the words of the targets' own labels (Chinagoods)
run 0 project --year 2023 --as-of 2023-10-31 --lang zh
out_words 1 "目标 检验 数据期 累计增速 预测 80%区间 达标概率 所需增速 按当前进度 状态"
grep -q "^地区生产总值增长7.5%以上 *增速 ≥ 7.5% *2023年三季度 *8.7% *8.7% *8.2% – 8.9% *100% .*有望达成 \[1\]$" <<<"$OUT" ||
    fail "zh GDP row"
grep -q "^出口增速高于全省平均 *增速高于浙江省出口总额增速 *2023年9月 .*+9.0个百分点 .*存在风险 \[2\]$" <<<"$OUT" ||
    fail "zh relative target: the test by names, the figures in points"
grep -q "^社会消费品零售总额增长7% .*无数据$" <<<"$OUT" || fail "zh: retail sales 无数据"
has_out "[1] 地区生产总值增长7.5%以上（义乌市地区生产总值）：按当前进度推算，区间依据该方法在国内生产总值2011-2019年截至三季度时的推算误差，按地方指标一般情况放大2.0倍；历史记录剔除2020-2022年"
lacks_out "；方法："
has_out "1-9月占全年的比重（74.0%）取自进口总额（美元）2018-2022年"
# FAI: Yiwu publishes its ytd growth only (19.8% Jan–Sep); China's FAI publishes no January
# (its first figure is Jan–Feb), so the share of Jan–Sep is China's mean over 2018-2022 —
# 483442/635636, 461204/551478, 436530/518907, 397827/544547, 421412/572138: s = 0.78105 —
# not 9/12, and the required pace is (1.15 - 0.78105 x 1.198)/(1 - 0.78105) - 1 = -2.1%
has_out "1-9月占全年的比重（78.1%）取自固定资产投资（不含农户）2018-2022年"
lacks_out "按9/12计"
grep -q "^固定资产投资增长15% .* 19.8% .* -2.1% *19.8% *有望达成" <<<"$OUT" || fail "zh FAI: the required pace with the borrowed share"
# a level target stated without a unit is in its series' unit, and says it
grep -q "^Chinagoods平台注册采购商突破400万 *年末水平 ≥ 400万人 " <<<"$OUT" || fail "zh: a stock's level test"
grep -q "^Chinagoods平台线上交易额500亿元 *总量 ≥ 500亿元 " <<<"$OUT" || fail "zh: a flow's level test"
grep -q "^国内采购商日均20万人次 *日均 ≥ 20万人次 " <<<"$OUT" || fail "zh: a daily average's unit"
allow=$( { sql "SELECT key FROM series"; sql "SELECT label FROM targets" | grep -oE '[A-Za-z]+'; } | sort -u)
words=$(grep -oE '[A-Za-z][A-Za-z0-9_.]*[A-Za-z0-9]|[A-Za-z]' <<<"$OUT" | sort -u)
eq "$(comm -23 <(printf '%s\n' "$words") <(printf '%s\n' "$allow"))" "" "Latin words in the zh table outside the allow-list"
# CJK columns stay aligned: the probability column ends where its header does
eq "$(printf '%s' "$OUT" | python3 -c '
import sys, unicodedata
w = lambda s: sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
lines = sys.stdin.read().split("\n")
head = lines[0]; row = [l for l in lines if l.startswith("地区生产总值")][0]
print(w(head[:head.index("达标概率") + 4]) - w(row[:row.index("100%") + 4]))')" 0 "zh table: the probability column aligned"
run 2 project --lang fr
has_err "--lang: expected zh or en, got 'fr'"

# the records' exceptional years and the shape reference's years
run 0 project --year 2023 --as-of 2023-10-31 --exclude-years 2019-2022 --shape-years 2014-2018
has_out "its errors on Gross domestic product at quarter 3 in 2014-2018"
has_out "2019-2022 left out of the record"
# one year left out is said as one year
run 0 project --year 2023 --as-of 2023-10-31 --exclude-years 2020 --lang en
has_out "; 2020 left out of the record"
lacks_out "2020-2020"
run 0 project --year 2023 --as-of 2023-10-31 --exclude-years 2020 --lang zh
has_out "；历史记录剔除2020年"
run 0 project --year 2023 --as-of 2023-10-31 --exclude-years none
grep -q "left out of the record" <<<"$OUT" && fail "--exclude-years none still leaves years out"
run 2 project --exclude-years 2020-20x
has_err "ontrack: project: --exclude-years: '2020-20x': expected years like 2020-2022, one year, or none"
run 2 project --shape-years 2019-2015
has_err "--shape-years: '2019-2015': expected years like 2020-2022, one year, or none"

# the same seed gives the same figures; another seed other figures
run 0 project --as-of 2023-10-31 --seed 7
A=$OUT
run 0 project --as-of 2023-10-31 --seed 7
eq "$OUT" "$A" "same seed, same output"
run 0 project --as-of 2023-10-31 --seed 8
[ "$OUT" != "$A" ] || fail "seeds 7 and 8 gave identical output"

# JSON: valid, with the documented fields; the GDP figures are the table's
run 0 project --as-of 2023-10-31 --json --paths 2000
printf '%s' "$OUT" > p.json
eq "$(sqlite3 :memory: "SELECT json_valid(readfile('p.json'))")" 1 "valid JSON"
# what was read: the data as known on 2023-10-31, the newest release among
# them Yiwu's September figures of 2023-10-24
eq "$(sqlite3 :memory: "SELECT json_extract(readfile('p.json'), '\$.known_on') || ' ' || json_extract(readfile('p.json'), '\$.vintage')")" "2023-10-31 2023-10-24" "known_on, vintage"
eq "$(sqlite3 :memory: "SELECT json_array_length(readfile('p.json'), '\$.projections')")" 22 "projections"
eq "$(sqlite3 :memory: "SELECT json_extract(readfile('p.json'), '\$.projections[0].target.series')")" yiwu.gdp "first series"
eq "$(sqlite3 :memory: "SELECT json_extract(readfile('p.json'), '\$.projections[0].carry')")" 8.7 "GDP carry-forward"
eq "$(sqlite3 :memory: "SELECT json_extract(readfile('p.json'), '\$.projections[0].through')")" 2023Q3 "GDP data through"
eq "$(sqlite3 :memory: "SELECT json_extract(readfile('p.json'), '\$.projections[0].paths')")" 2000 "paths"
eq "$(sqlite3 :memory: "SELECT json_extract(readfile('p.json'), '\$.projections[4].status')")" no_data "retail status"
# the required paces worked by hand on the bundled data (methods-projection §1): Yiwu GDP has
# no ytd levels of 2022's first quarters, so s is China's mean share of Q1-Q3 (Q1) over
# 2018-2022 — 660472.2/919281.1, 709717.2/986515.2, 733031.4/1034867.6, 840996.2/1173823,
# 891687/1234029.4: s = 0.717054 (Q1: 0.216030) — and r* = (1.075 - s(1+g))/(1 - s) - 1
js() { sqlite3 :memory: "SELECT round(json_extract(readfile('$1'), '\$.projections[$2].$3'), $4)"; }
jx() { sqlite3 :memory: "SELECT json_extract(readfile('$1'), '\$.projections[$2].$3')"; }
eq "$(js p.json 0 required 2)" 4.46 "GDP as of Q3 (g 8.7): required (1.075 - 0.717054 x 1.087)/0.282946 - 1"
# imports: own levels of 2022 missing too; China's imports share at 9 is 0.740 (the note):
# (1.25 - 0.740 x 1.528)/0.260 - 1 = -54.0%; FAI -2.1% (above); carry = the ytd growth
eq "$(js p.json 3 required 1)" -54.0 "imports required"
eq "$(js p.json 3 carry 1)" 52.8 "imports carry-forward"
eq "$(js p.json 6 required 1)" -2.1 "FAI required"
# as of a day inside a month: GDP Q1 (7.3%, published 2023-04-24) is known on the 24th, not
# the 23rd; then r* = (1.075 - 0.216028 x 1.073)/0.783972 - 1 = 7.5551%
run 0 project --as-of 2023-04-23 --json --paths 500
printf '%s' "$OUT" > q0.json
eq "$(jx q0.json 0 status)" no_data "GDP before its first release of the year"
run 0 project --as-of 2023-04-24 --json --paths 500
printf '%s' "$OUT" > q1.json
eq "$(jx q1.json 0 through)" 2023Q1 "GDP through Q1 on the day of its release"
eq "$(js q1.json 0 required 2)" 7.56 "GDP as of Q1: required"
eq "$(js q1.json 0 carry 1)" 7.3 "GDP as of Q1: carry-forward"

# as of a period: data through June 2023 (Yiwu GDP: Q1 is the latest before Q3)
run 0 project --as-of 2023-06
grep -q "^地区生产总值增长7.5%以上.*2023Q1    7.3%" <<<"$OUT" || fail "as of 2023-06: GDP through Q1"
# with the latest data, the outcomes are known: GDP 2023 +8.0%, met
run 0 project --json
printf '%s' "$OUT" > latest.json
eq "$(sqlite3 :memory: "SELECT json_extract(readfile('latest.json'), '\$.projections[0].outcome')")" 8.0 "GDP outcome"
eq "$(sqlite3 :memory: "SELECT json_extract(readfile('latest.json'), '\$.projections[0].status')")" met "GDP status"
eq "$(sqlite3 :memory: "SELECT json_extract(readfile('latest.json'), '\$.projections[1].outcome')")" 8.6 "budget revenue outcome"

# --intervals cv: a model's paths are widened by its own record at past
# origins (a named model: the default chooses by record, without a model's
# paths).  The Yiwu targets above are projected from the ytd and a shape
# (no model), so this uses its own database with targets on two rich
# national series; the default is --intervals model.
printf 'series,year,kind,op,value\nchina.exports_usd,2023,growth,>=,0\nchina.retail_sales,2023,growth,>=,5\n' > cvt.csv
run 0 --db cv.db import "$D/series.csv" "$D/china/china_monthly_nbs.csv" cvt.csv
run 0 --db cv.db project --as-of 2023-06 --json --paths 2000 --method ets
printf '%s' "$OUT" > m.json
run 0 --db cv.db project --as-of 2023-06 --json --paths 2000 --method ets --intervals model
eq "$OUT" "$(cat m.json)" "--intervals model is the default"
run 0 --db cv.db project --as-of 2023-06 --json --paths 2000 --method ets --intervals cv
printf '%s' "$OUT" > cv.json
for i in 0 1; do
    jm=$(sqlite3 :memory: "SELECT json_extract(readfile('m.json'), '\$.projections[$i].method')")
    jc=$(sqlite3 :memory: "SELECT json_extract(readfile('cv.json'), '\$.projections[$i].method')")
    case $jm in *" on logs") ;; *) fail "target $i: model method '$jm'" ;; esac
    eq "$jc" "$jm, cv intervals" "target $i: cv method text"
    # never narrower (each path's distance from the point forecast grows by k >= 1)
    r="\$.projections[$i]"
    w=$(sqlite3 :memory: "SELECT json_extract(c, '$r.upper.80') - json_extract(c, '$r.lower.80') >=
                                 json_extract(m, '$r.upper.80') - json_extract(m, '$r.lower.80')
                          FROM (SELECT readfile('cv.json') AS c, readfile('m.json') AS m)")
    eq "$w" 1 "target $i: the cv 80% range is at least as wide"
done

# errors
run 2 project --intervals wide
has_err "--intervals: expected 'model' or 'cv', got 'wide'"
run 2 project --intervals cv --method rwsd
has_err "--intervals cv: not available with method rwsd"
# carry and rate neither (it was the first target's error, not the option's)
run 2 project --intervals cv --method rate
has_err "ontrack: project: --intervals cv: not available with method rate"
! grep -q "target 1" <<<"$ERR" || fail "the option is named, not the first target"
run 66 project --year 2031
has_err "ontrack: no targets for 2031 (ontrack import"
run 2 project --paths 0
has_err "--paths: expected a whole number from 1 to 10000000, got '0'"
run 2 project --method crystal-ball
has_err "--method: unknown method 'crystal-ball'"
run 2 project extra
has_err "unexpected argument 'extra'"
# a target whose key no series has: "no data", with a footnote naming the near key
printf 'series,year,kind,op,value,label\nyiwu.gpd,2024,growth,>=,7,typo target\n' > typo.csv
run 0 import typo.csv
run 0 project --year 2024 --as-of 2024-10-31
grep -q "^typo target .*no data \[1\]$" <<<"$OUT" || fail "the mistyped key's row"
has_out "[1] typo target (yiwu.gpd): no series yiwu.gpd in the database: did you mean yiwu.gdp?"
lacks_out "method none" # nothing was projected: no method to name
run 0 project --year 2024 --as-of 2024-10-31 --lang zh
has_out "数据库中没有指标yiwu.gpd，是否为yiwu.gdp？"
lacks_out "方法：无"
# a year before the series' data begin (a typo for 2023?) is footnoted as
# that, not as data "not published yet"; so is a relative target whose ref has
# no data, whose row shows the series' own data beside "no data"
printf 'series,name,freq,kind\nnone.x,无数据指标,M,flow\n' > early_meta.csv
printf 'series,year,kind,op,value,ref,label\nyiwu.gdp,2003,growth,>=,7,,early target\nyiwu.exports,2023,relative,>=,0,none.x,ref without data\n' > early.csv
run 0 import early_meta.csv early.csv
run 0 project --year 2003
grep -q "^early target .*no data \[1\]$" <<<"$OUT" || fail "the early year's row"
has_out "[1] early target (Yiwu GDP): no data for 2003, a year before its data begin (2020)"
run 0 project --year 2003 --lang zh
has_out "2003年早于数据起始年份（2020年），没有数据"
run 0 project --year 2023 --as-of 2023-10-31
grep -q "^ref without data .*2023-09 .*no data \[[0-9]*\]$" <<<"$OUT" || fail "the row of a relative target whose ref has no data"
has_out "; no data for none.x"      # the ref named once, not "none.x: no data for none.x"
lacks_out "none.x: no data for none.x"
run 0 project --year 2023 --as-of 2023-10-31 --lang zh
has_out "；无数据指标无数据"
lacks_out "无数据指标：无数据指标"

# a year's figure out without its growth (Yiwu's 2023 gross industrial output,
# with no 2022 total to compare): "no data" with a footnote saying why
run 0 project --year 2023 --as-of 2024-06-30
grep -q "^规上工业总产值增长10% .*no data \[[0-9]\]$" <<<"$OUT" || fail "the output row is footnoted"
has_out "the 2023 figure is published without its growth"

# in_step: within tolerance of the band's centre (value, 0 unless given);
# relative and in_step rows may leave value empty (0, as in Lua). a.x grew 6 %,
# b.x 5 %: 1 point apart
printf 'series,name,unit,freq,kind\na.x,A,亿元,Y,flow\nb.x,B,亿元,Y,flow\n' > ism.csv
printf 'series,period,value\na.x,2021,100\na.x,2022,106\nb.x,2021,100\nb.x,2022,105\n' > iso.csv
printf 'series,year,kind,op,value,ref,tolerance,label\na.x,2022,in_step,=,,b.x,0.5,step0\na.x,2022,in_step,=,1,b.x,0.5,step1\na.x,2022,in_step,=,-1,b.x,0.5,stepm1\na.x,2022,relative,>,,b.x,,rel\n' > ist.csv
run 0 import ism.csv iso.csv
run 0 import --format targets ist.csv
run 0 project --year 2022
grep -q "^step0 *|growth - b.x| <= 0.5 .* missed " <<<"$OUT" || fail "in_step about 0"
grep -q "^step1 *|growth - b.x - 1| <= 0.5 .* met " <<<"$OUT" || fail "in_step about 1"
grep -q "^stepm1 *|growth - b.x + 1| <= 0.5 .* missed " <<<"$OUT" || fail "in_step about -1"
grep -q "^rel *growth - b.x > 0 .* met " <<<"$OUT" || fail "relative without a value"
run 0 project --year 2022 --lang zh
has_out "增速与B增速之差在1±0.5个百分点之内"
# a level target stated in another unit than its series' (500亿元 against a
# series in 万元) is never converted: no data, footnoted, not "met" at once
printf 'series,name,unit,freq,kind\nu.x,U,万元,M,flow\n' > um.csv
{ echo series,period,value; for m in 01 02 03 04 05 06 07 08 09 10 11 12; do echo "u.x,2022-$m,1000"; done
  echo u.x,2023-01,1100; echo u.x,2023-02,1100; } > uo.csv
printf 'series,year,kind,op,value,unit,label\nu.x,2023,level,>=,1.3,亿元,uyi\n' > ut.csv
run 0 import um.csv uo.csv
run 0 import --format targets ut.csv
run 0 targets --year 2023
grep -q "^ *[0-9]* *2023 *u.x *level *>= 1.3 亿元 *uyi" <<<"$OUT" || fail "targets shows the unit"
run 0 project --year 2023 --as-of 2023-02
grep -q "^uyi .* no data \[[0-9]\]$" <<<"$OUT" || fail "the level target in 亿元 is not projected"
has_out "u.x is in 万元, the target in another unit: a level is never converted (state the target in 万元)"
# an in_step row with another operator is refused at its line: the band
# would ignore it (growth above the reference's is a relative target)
printf 'series,year,kind,op,value,ref,tolerance,label\na.x,2022,in_step,>=,0,b.x,0.5,stepge\n' > isge.csv
run 65 import --format targets isge.csv
has_err "isge.csv:2:4: an in_step target's test is a band (|growth - ref's growth - value| <= tolerance), so its op is '=', got '>=' (growth above ref's is a relative target)"
eq "$(sql "SELECT count(*) FROM targets WHERE label = 'stepge'")" 0 "the in_step row with >= is not stored"

# a stock published as yoy alone (M2 增长12%左右): the metadata's kind decides
# that the carry-forward is the latest yoy and the outcome December's yoy,
# not the mean of the year's yoy (12.6 .. 9.7 average 11.425)
printf 'series,name,unit,freq,kind\ncn.m2,广义货币M2,亿元,M,stock\n' > m2meta.csv
{ echo "series,period,value,measure"
  for v in 2022-11:11.8 2022-12:11.8 2023-01:12.6 2023-02:12.9 2023-03:12.7 2023-04:12.4 \
           2023-05:11.6 2023-06:11.3 2023-07:10.7 2023-08:10.6 2023-09:10.3 2023-10:10.3 \
           2023-11:10.0 2023-12:9.7; do echo "cn.m2,${v%%:*},${v#*:},yoy"; done; } > m2.csv
printf 'series,year,kind,op,value,label\ncn.m2,2023,growth,>=,12,M2增长12%%左右\ncn.m2,2023,level,>=,3000000,M2余额\n' > m2t.csv
run 0 import m2meta.csv m2.csv
run 0 import --format targets m2t.csv
# m2 FIELDS: FIELDS of the M2 growth target in the JSON of the last run
m2() {
    printf '%s' "$OUT" > m2.json
    sqlite3 :memory: "SELECT $1 FROM json_each(readfile('m2.json'), '\$.projections')
                      WHERE json_extract(value, '\$.target.label') = 'M2增长12%左右'"
}
run 0 project --year 2023 --as-of 2023-07-31 --json
eq "$(m2 "json_extract(value, '\$.carry')")" 11.3 "M2's carry: June's yoy"
run 0 project --year 2023 --as-of 2024-06-30 --json
eq "$(m2 "json_extract(value, '\$.outcome') || ' ' || json_extract(value, '\$.status')")" \
   "9.7 missed" "M2's outcome: December's yoy"
run 0 project --year 2023 --as-of 2023-03-31
grep -q "^M2余额 .*no data \[[0-9]\]$" <<<"$OUT" || fail "the level target of a yoy-only stock is footnoted"
has_out "; no levels, only growth rates: a level target cannot be projected"

# data through a January–February release read as that release wherever the
# period is shown: 2023-01/02 (English table and JSON), 2023年1-2月 (Chinese)
export ONTRACK_DB="$T/jf.db"
{
    echo "series,period,measure,value"
    echo "jf.x,2022年1-2月,ytd,100"
    for m in 3 4 5 6 7 8 9 10 11 12; do echo "jf.x,2022-$m,ytd,$((50 * m))"; done
    echo "jf.x,2023年1-2月,ytd,110"
} > jf.csv
printf 'series,year,kind,op,value\njf.x,2023,growth,>=,5\n' > jft.csv
run 0 import jf.csv jft.csv
run 0 project
grep -q "^jf.x *growth >= 5% *2023-01/02 *10.0%" <<<"$OUT" || fail "through a Jan–Feb release (en)"
run 0 project --lang zh
grep -q "^jf.x *增速 ≥ 5% *2023年1-2月 *10.0%" <<<"$OUT" || fail "through a Jan–Feb release (zh)"
run 0 project --json
grep -qF '"through": "2023-01/02"' <<<"$OUT" || fail "through a Jan–Feb release (json)"

# a flow whose last year's total is below 0 (a balance) is not projected: no
# growth rate on it, the note names the total; a flow never below 0 whose ytd
# passes a level floor is met with every path agreeing (prob 100%, the range
# starting at the ytd)
export ONTRACK_DB="$T/neg.db"
{
    echo "series,period,value"
    for m in 1 2 3 4 5 6 7 8 9 10 11 12; do echo "bal.x,2023-$m,-10"; echo "pos.x,2023-$m,$((m * 10))"; done
    for m in 1 2 3; do echo "bal.x,2024-$m,5"; echo "pos.x,2024-$m,$((m * 40))"; done
} > neg.csv
printf 'series,year,kind,op,value\nbal.x,2024,growth,>=,5\npos.x,2024,level,>=,200\n' > negt.csv
run 0 import neg.csv negt.csv
run 0 project --year 2024 --as-of 2024-03
grep -q "^bal.x *growth >= 5% .*no data" <<<"$OUT" || fail "a negative total's growth not 'no data'"
has_out "[1] bal.x (bal.x): its 2023 total is -120.0, not above 0: a growth rate on it means nothing"
grep -q "^pos.x .*100% .*met" <<<"$OUT" || fail "a level floor the ytd passes not met at 100%"
run 0 project --year 2024 --as-of 2024-03 --lang zh
has_out "[1] bal.x（bal.x）：2023年合计为-120.0，不大于0，增速无意义，不作推算"

done_ok
