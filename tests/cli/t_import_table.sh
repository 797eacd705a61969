#!/usr/bin/env bash
# ontrack import of a statistics bureau's tables as published: Chinese
# headings mapped through the series' names and aliases, measure words, units,
# two-row headers, periods across, notes and titles skipped, --map, --dry-run,
# and the measure and frequency mistakes refused.
. "$SRC/tests/cli/lib.sh"
B="$SRC/tests/data/import/bureau"
cp "$B"/*.csv .

run 0 import series.csv
eq "$(sql "SELECT aliases FROM series WHERE key = 'xq.retail'")" "社零总额|社零额" "aliases stored"

# --dry-run: the column map and what would change; nothing written
run 0 import --dry-run 主要经济指标_两行表头.csv
out_line 1 "主要经济指标_两行表头.csv:1: skipped title row: 某县2024年1-5月主要经济指标"
out_line 3 "主要经济指标_两行表头.csv:7: skipped empty row"
out_line 4 "主要经济指标_两行表头.csv:10: skipped note row: 注：规上工业增加值增速按可比价格计算。"
out_words 6 "col heading series measure unit periods values new same missing"
out_words 8 "B 规上工业增加值 / 累计值(亿元) xq.iva ytd 亿元 2024-01/02..2024-05 4 4 0 0"
out_words 9 "C 规上工业增加值 / 累计增长(%) xq.iva ytd_yoy % 2024-01/02..2024-05 4 4 0 0"
out_words 10 "D 社会消费品零售总额 / 本月(亿元) xq.retail value 亿元 2024-01/02..2024-05 4 4 0 0"
out_words 11 "E 社会消费品零售总额 / 同比增长(%) xq.retail yoy % 2024-01/02..2024-05 3 3 0 1"
has_out "dry run: would import 1 file: 4 rows, 15 new, 0 unchanged, 1 missing value, 5 rows skipped; nothing was written"
eq "$(sql "SELECT count(*) FROM obs")" 0 "observations after a dry run"
eq "$(sql "SELECT count(*) FROM imports")" 1 "imports after a dry run (the series file only)"

# the two-row header for real: 1-2月 on February (span 2), 本月 of a 1-3月 row is March's own
run 0 import 主要经济指标_两行表头.csv
has_out "imported 1 file: 4 rows, 15 new, 0 unchanged, 1 missing value, 5 rows skipped"
eq "$(sql "SELECT group_concat(measure || ':' || ord || '/' || span || '=' || value, ' ') FROM (SELECT * FROM observations WHERE key = 'xq.retail' ORDER BY measure, ord)")" \
   "value:24289/2=80.1 value:24290/1=41.2 value:24291/1=40.7 value:24292/1=42.15 yoy:24289/2=5.1 yoy:24290/1=4.8 yoy:24292/1=5.3" "retail from the two-row table"
eq "$(sql "SELECT value FROM observations WHERE key = 'xq.iva' AND measure = 'ytd' AND ord = 24291")" 255.96 "iva ytd April"

# one header row, measure words glued to the name, in GBK and in UTF-8: the same data
run 0 import --encoding gbk 主要经济指标_单行表头_gbk.csv
has_out "imported 1 file: 3 rows, 6 new, 6 unchanged, 0 missing values, 1 row skipped"
run 0 import 主要经济指标_单行表头.csv
has_out "0 new, 12 unchanged"

# an indicator over 绝对值 / 增长 (a year-to-date table: --measure ytd): ytd and ytd_yoy
cat > abs.csv <<'CSV'
指标,固定资产投资(亿元),
,绝对值,增长(%)
2024年1-5月,88.5,3.9
2024年1-6月,106.25,4.1
CSV
run 0 import --measure ytd abs.csv
eq "$(sql "SELECT group_concat(measure || '@' || ord || '=' || value, ' ') FROM (SELECT * FROM observations WHERE key = 'xq.fai' ORDER BY measure, ord)")" \
   "ytd@24292=88.5 ytd@24293=106.25 ytd_yoy@24292=3.9 ytd_yoy@24293=4.1" "绝对值/增长 under --measure ytd"

# rows without their year (1-2月, 3月): the year of the title above the header
cat > noyear.csv <<'CSV'
某县2023年主要经济指标
时间,出口总额累计值(亿元)
1-2月,150.5
1-3月,220.25
CSV
run 0 import noyear.csv
eq "$(sql "SELECT group_concat(ord || '/' || span || '=' || value, ' ') FROM observations WHERE key = 'xq.exports' AND ord < 24288")" \
   "24277/2=150.5 24278/1=220.25" "1-2月 and 1-3月 of the title's 2023"
printf '指标,1-2月,3月\n出口总额本月,1,2\n' > noyear2.csv
run 65 import noyear2.csv
has_err "noyear2.csv:1:2: expected a period with its year such as 2024年1-2月, found '1-2月' (or a title above the header naming the year, such as 2024年主要经济指标)"

# indicators down, periods across, with a unit column
run 0 import 指标按行.csv
eq "$(sql "SELECT group_concat(ord || '=' || value, ' ') FROM observations WHERE key = 'xq.exports' AND measure = 'ytd' AND ord > 24288")" \
   "24289=200.1 24290=310.5 24291=420.9" "exports across"
eq "$(sql "SELECT measure FROM observations WHERE key = 'xq.fai' AND ord = 24289")" "ytd_yoy" "fai measure from 累计增长"

# an unknown heading, a unit unlike the series', a growth column in yuan: all listed, nothing written
cat > bad.csv <<'CSV'
时间,工业用电量累计值(亿千瓦时),规上工业增加值累计值(万元),出口总额累计增长(亿元)
2024年1-2月,1,2,3
CSV
run 65 import bad.csv
has_err "bad.csv:1:2: unknown indicator '工业用电量' (name it in the series metadata: name, name_en or aliases; or map the heading with --map)"
has_err "bad.csv:1:3: '规上工业增加值累计值(万元)' is in 万元, but series xq.iva is in 亿元"
has_err "bad.csv:1:4: '出口总额累计增长(亿元)' is a growth rate (ytd_yoy), in %, found the unit '亿元'"
has_err "nothing was written"

# --map: headings to series (and measures) by hand
cat > map.csv <<'CSV'
header,series,measure
工业用电量,xq.power,ytd
CSV
cat > power.csv <<'CSV'
时间,工业用电量累计值(亿千瓦时)
2024年1-2月,10.5
2024年1-3月,16.25
CSV
run 0 import --map map.csv power.csv
eq "$(sql "SELECT group_concat(measure || '@' || ord || '=' || value, ' ') FROM observations WHERE key = 'xq.power'")" \
   "ytd@24289=10.5 ytd@24290=16.25" "a mapped heading"
printf 'header,series\n"a\033b",k\n' > badmap.csv
run 65 import --map badmap.csv power.csv
run 66 import --map nomap.csv power.csv
has_err "nomap.csv"
# a map saved in GBK: read with --encoding gbk (as the table), else refused at its line
iconv -f UTF-8 -t GBK map.csv > gmap.csv
iconv -f UTF-8 -t GBK power.csv > gpower.csv
run 65 import --map gmap.csv power.csv
has_err "ontrack: gmap.csv:2: expected UTF-8 text, found byte 0xB9 (if the map is GBK or GB18030, import with --encoding gbk)"
run 0 import --encoding gbk --map gmap.csv gpower.csv
has_out "imported 1 file: 2 rows, 0 new, 2 unchanged"
# a map that cannot be read is an error also when no file of the call needs
# one (a long file), not silently ignored: nothing is written
printf 'series,period,value\nxq.lm,2024-01,1\n' > lm.csv
run 66 import --map nomap.csv lm.csv
has_err "ontrack: cannot open the map nomap.csv: No such file or directory"
mkdir mapdir
run 66 import --map mapdir lm.csv
has_err "ontrack: cannot read the map mapdir: Is a directory"
printf 'heading,series\n' > mhead.csv
run 65 import --map mhead.csv lm.csv
has_err "ontrack: mhead.csv:1:1: expected a map header 'header,series[,measure]'"
eq "$(sql "SELECT count(*) FROM observations WHERE key = 'xq.lm'")" "0" "nothing written with a bad map"
# a `period,KEY,…` file's headings are keys, unless the map names them: a
# mapped heading goes to its series (and measure), never a key of that text
printf 'period,工业用电量,xq.other\n2024-04,22.5,3\n' > pkeys.csv
run 0 import --map map.csv pkeys.csv
eq "$(sql "SELECT key || ':' || measure || '@' || ord || '=' || value FROM observations WHERE key IN ('xq.power', '工业用电量', 'xq.other') AND ord = 24291 ORDER BY key")" \
   "xq.other:value@24291=3.0
xq.power:ytd@24291=22.5" "a period,KEY file with --map"
# the same table again with a corrected map is read again, not skipped as
# already imported: its figures now conflict with what the wrong map stored
printf 'series,name,unit\nxq.ma,甲指标,亿元\nxq.mb,乙指标,亿元\n' > mser.csv
run 0 import mser.csv
printf '时间,总量A,总量B\n2023年3月,1,2\n' > mtab.csv
printf 'header,series\n总量A,xq.mb\n总量B,xq.ma\n' > mwrong.csv
printf 'header,series\n总量A,xq.ma\n总量B,xq.mb\n' > mright.csv
run 0 import --map mwrong.csv mtab.csv
run 0 import --map mwrong.csv mtab.csv
has_out "(1 already imported)"
run 65 import --map mright.csv mtab.csv
has_err "mtab.csv:2:2: xq.ma value 2023-03 is stored as 2 without a release date; a revised figure needs its release date"
run 0 import --map mright.csv mtab.csv --as-of 2023-04-20
run 0 show xq.ma
out_line 4 "2023-03      1"

# two headings for one series and measure
printf '时间,社零额本月,社会消费品零售总额当月\n2024年5月,1,2\n' > twice.csv
run 65 import twice.csv
has_err "twice.csv:1:3: '社会消费品零售总额当月' is xq.retail value again (as in column 2)"

# cumulative figures given as value: refused with the hint, unless --measure ytd or --force-measure
python3 - <<'PY'
rows = ["period,cum.x"]
for y in (2022, 2023):
    total = 0
    for m in range(1, 13):
        total += 10 + m
        rows.append("%d-%02d,%d" % (y, m, total))
open("cum.csv", "w").write("\n".join(rows) + "\n")
PY
run 65 import cum.csv
has_err "cum.csv:1:2: cum.x: the values rise through each year and fall back in January, as year-to-date (累计) figures do; import with --measure ytd (or --force-measure to keep them as value)"
eq "$(sql "SELECT count(*) FROM series WHERE key = 'cum.x'")" 0 "series of the refused file"
run 0 import --measure ytd cum.csv
eq "$(sql "SELECT DISTINCT measure FROM observations WHERE key = 'cum.x'")" ytd "stored as ytd"
run 0 import --force-measure --db forced.db cum.csv
# the same in a long file: the run of rows of one key, at its first line and the value column
awk -F, 'NR == 1 { print "series,period,value"; next } { print "cum.l," $1 "," $2 }' cum.csv > cuml.csv
run 65 import cuml.csv
has_err "cuml.csv:2:3: cum.l: the values from here rise through each year and fall back in January, as year-to-date (累计) figures do; give them the measure ytd (or import with --force-measure to keep them as value)"
run 0 import --force-measure cuml.csv
# monthly values that merely rise and fall are not refused
printf 'period,flat.x\n2022-11,5\n2022-12,6\n2023-01,5.5\n2023-02,6.5\n' > flat.csv
run 0 import flat.csv

# dates as spreadsheets write them, in a monthly series: that month; another frequency: an error
printf 'series,period,value\nd.m,2024-07,1\nd.m,2024/8/1,2\n' > dates.csv
run 0 import dates.csv
eq "$(sql "SELECT group_concat(freq || ord, ' ') FROM observations WHERE key = 'd.m'")" "M24294 M24295" "2024/8/1 is August"
printf 'series,period,value\nd.m,2024Q3,3\n' > conflict.csv
run 65 import conflict.csv
has_err "conflict.csv:2:2: d.m is monthly; found the quarterly period 2024Q3 ('2024Q3'): one series holds one frequency"
# an Excel date serial in a table's period column (45505 = 2024-08-01)
printf '时间,出口总额本月\n45474,30\n45505,31\n' > serial.csv
run 0 import serial.csv
eq "$(sql "SELECT group_concat(ord, ' ') FROM observations WHERE key = 'xq.exports' AND measure = 'value'")" "24294 24295" "serials read as months"
eq "$(sql "SELECT count(DISTINCT freq) FROM obs")" 1 "no second hidden frequency"
# GDP as bureaus publish it: quarters to date (一季度, 上半年, 前三季度)
# without their year under a title that says it
printf 'series,name,unit,freq,kind,aliases\nyw.gdp,义乌地区生产总值,亿元,Q,flow,地区生产总值\n' > gdps.csv
run 0 import gdps.csv
printf '义乌市2023年主要经济指标,,\n指标,地区生产总值,\n,累计值(亿元),累计增长(%%)\n一季度,450.2,6.5\n上半年,950.8,7.1\n前三季度,"1,450.3",7.9\n' > gdpq.csv
run 0 import gdpq.csv
run 0 show yw.gdp
out_line 4 "2023Q1   450.2      6.5"
out_line 5 "2023Q2   950.8      7.1"
out_line 6 "2023Q3  1450.3      7.9"
# in a long file with a ytd measure too; as a value it is refused with the hint
printf 'series,period,value,measure\nyw.gdp2,2024年上半年,5.0,ytd_yoy\nyw.gdp2,2024年1-3季度,5.2,ytd_yoy\n' > gdpl.csv
run 0 import gdpl.csv
eq "$(sql "SELECT group_concat(freq || ord, ' ') FROM (SELECT * FROM observations WHERE key = 'yw.gdp2' ORDER BY ord)")" "Q8097 Q8098" "quarters to date"
printf 'series,period,value\nyw.gdp3,2024年上半年,5.0\n' > gdpv.csv
run 65 import gdpv.csv
has_err "gdpv.csv:2:2: expected a period such as 2023-01, found the year-to-date range '2024年上半年' (give it with measure ytd or ytd_yoy)"
# a column without a heading that holds values is an error, not figures
# dropped unread (an empty column, as Excel leaves at the end, is fine)
printf 'period,nh.a,,nh.c\n2023-01,1,2,3\n2023-02,1,4,3\n' > nohead.csv
run 65 import nohead.csv
has_err "nohead.csv:2:3: expected no value in a column without a heading, found '2' (give the column a heading, or delete it)"
eq "$(grep -c 'nohead.csv' <<<"$ERR")" 1 "one error per column"
printf 'period,nh.a,\n2023-01,1,\n' > emptycol.csv
run 0 import emptycol.csv
printf 'series,name,unit\nnh.r,某零售额,亿元\n' > nhs.csv
run 0 import nhs.csv
printf '指标,2024年1-2月,,2024年1-4月\n某零售额累计值,200.1,310.5,420.9\n' > nhacross.csv
run 65 import nhacross.csv
has_err "nhacross.csv:2:3: expected no value in a column without a heading, found '310.5' (give the column its period, or delete it)"
# a county's monthly table giving GDP (a quarterly series) in its
# quarter-end rows: 1-3月 and 1-6月 are the first quarter and half year
cat > gdpq.csv <<'CSV'
某县2024年主要经济指标,,
时间,某县生产总值,某县工业增加值
,累计值(亿元),累计值(亿元)
2024年1-2月,,120.5
2024年1-3月,300.2,190.3
2024年1-4月,,255.96
2024年1-5月,—,300.1
2024年1-6月,610.5,360.2
CSV
printf 'series,name,unit,freq,kind\ngq.gdp,某县生产总值,亿元,Q,flow\ngq.iva,某县工业增加值,亿元,M,flow\n' > gdpqm.csv
run 0 import gdpqm.csv gdpq.csv
run 0 show gq.gdp
out_line 4 "2024Q1  300.2"
out_line 5 "2024Q2  610.5"
# a data vendor's export (Wind, iFinD, Choice): 指标名称 over the columns, then
# rows of 频率, 单位 and codes before the data, end-of-month dates.  Figures:
# NBS retail sales 2023 (亿元, %), as in huizhaohuang/china-econ-data-penetrate
# (data/retail*.csv, an akshare mirror of the NBS releases).  The 单位 row is
# each column's unit (checked as a heading's), 频率 its frequency, the rest
# skipped and listed.  A database of its own: the names above are taken.
export ONTRACK_DB="$T/vendor.db"
printf 'series,name,unit,freq,kind\nv.retail,社会消费品零售总额,亿元,M,flow\nv.gdp,国内生产总值,亿元,Q,flow\n' > vser.csv
run 0 import vser.csv
cat > wind.csv <<'CSV'
指标名称,社会消费品零售总额:当月值,社会消费品零售总额:累计值,社会消费品零售总额:当月同比,社会消费品零售总额:累计同比
频率,月,月,月,月
单位,亿元,亿元,%,%
指标ID,M0001427,M0001428,M0001429,M0001430
2023-02-28,,77067,,3.5
2023-03-31,37855.4,114922.4,10.6,5.8
2023-04-30,34910.5,149832.9,18.4,8.5
数据来源：Wind
CSV
run 0 import wind.csv
out_line 1 "wind.csv:2: skipped frequency row: 频率"
out_line 2 "wind.csv:3: skipped unit row: 单位"
out_line 3 "wind.csv:4: skipped metadata row: 指标ID"
has_out "imported 1 file: 3 rows, 10 new, 0 unchanged, 2 missing values, 4 rows skipped"
eq "$(sql "SELECT group_concat(measure || '@' || ord || '=' || value, ' ') FROM (SELECT * FROM observations WHERE key = 'v.retail' ORDER BY measure, ord)")" \
   "value@24278=37855.4 value@24279=34910.5 yoy@24278=10.6 yoy@24279=18.4 ytd@24277=77067.0 ytd@24278=114922.4 ytd@24279=149832.9 ytd_yoy@24277=3.5 ytd_yoy@24278=5.8 ytd_yoy@24279=8.5" \
   "a vendor's export, its metadata rows read or skipped"
# the 单位 row is checked as a heading's unit; 频率 against the series' frequency
printf '指标名称,社会消费品零售总额:累计值\n频率,季\n单位,万元\n2023-03-31,1\n' > windbad.csv
run 65 import windbad.csv
has_err "windbad.csv:1:2: '社会消费品零售总额:累计值(万元)' is in 万元, but series v.retail is in 亿元"
has_err "windbad.csv:2:2: v.retail is monthly; the 频率 row says quarterly: one series holds one frequency"
printf '指标名称,社会消费品零售总额:累计值\n频率,周\n2023-03-31,1\n' > windweek.csv
run 65 import windweek.csv
has_err "windweek.csv:2:2: expected a frequency (月, 季, 年 or 日), found '周' (a series holds daily, monthly, quarterly or yearly figures)"
# a new series' dates are read as the periods its 频率 row names: quarters here
printf 'series,name\nv.newq,新季度指标\n' > vnew.csv
printf '指标名称,新季度指标\n频率,季\n2023-03-31,1\n2023-06-30,2\n' > windq.csv
run 0 import vnew.csv windq.csv
eq "$(sql "SELECT group_concat(obs.freq || obs.ord, ' ') FROM obs JOIN series ON series.id = obs.series_id WHERE key = 'v.newq'")" \
   "Q8092 Q8093" "dates of a quarterly column as quarters"

# one header row whose growth column names no indicator (累计增长(%) beside
# 地区生产总值累计值): the indicator to its left, as if merged over both; and
# a quarterly GDP table's rows 一季度 … 全年 under a title naming the year
printf 'series,name,unit,freq\nxq.gdp,地区生产总值,亿元,Q\n' > gdps.csv
printf '某市2023年地区生产总值\n时间,地区生产总值累计值(亿元),累计增长(%%)\n一季度,100,5.1\n上半年,210,5.5\n前三季度,320,5.2\n全年,440,5.3\n' > gdpq.csv
run 0 import gdps.csv gdpq.csv --dry-run
out_words 5 "C 地区生产总值累计值(亿元) / 累计增长(%) xq.gdp ytd_yoy % 2023Q1..2023Q4 4 4 0 0"
run 0 import gdps.csv gdpq.csv
eq "$(sql "SELECT group_concat(measure || '@' || ord || '=' || value, ' ') FROM (SELECT * FROM observations WHERE key = 'xq.gdp' ORDER BY measure, ord)")" \
   "ytd@8092=100.0 ytd@8093=210.0 ytd@8094=320.0 ytd@8095=440.0 ytd_yoy@8092=5.1 ytd_yoy@8093=5.5 ytd_yoy@8094=5.2 ytd_yoy@8095=5.3" \
   "a GDP table, its growth column of the indicator to its left"

done_ok
