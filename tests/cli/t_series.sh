#!/usr/bin/env bash
# ontrack series [PATTERN]: listing with names, measures and ranges.
. "$SRC/tests/cli/lib.sh"

cat > meta.csv <<'CSV'
series,name,name_en,region,unit,freq,kind,agg
a.exports,出口总额,Exports,a,亿元,M,flow,sum
b.gdp,地区生产总值,GDP,b,亿元,Q,flow,sum
CSV
cat > obs.csv <<'CSV'
series,period,value,measure
a.exports,2023-01,1,value
a.exports,2023-03,3,value
a.exports,2023-03,30,ytd
b.gdp,2023Q1,10,ytd
b.gdp,2023Q2,21,ytd
CSV
run 0 import meta.csv obs.csv
run 0 series
out_line 1 "series     name          unit  freq  measures   first    last     n"
has_out "a.exports  出口总额      亿元  M     value,ytd  2023-01  2023-03  2"
has_out "b.gdp      地区生产总值  亿元  Q     ytd        2023Q1   2023Q2   2"
run 0 series gdp
lacks_out "a.exports"
has_out "b.gdp"
run 0 series 'a.*'
has_out "a.exports"
lacks_out "b.gdp"
# the pattern matches names too, Chinese or English
run 0 series 出口
has_out "a.exports"
lacks_out "b.gdp"
run 0 series 'G?P'
has_out "b.gdp"
lacks_out "a.exports"
run 0 series nothing-like-this
has_err "no series match nothing-like-this"
run 2 series a b
has_err "unexpected argument 'b'"

# the listing follows later imports (kept with them: series_stats), and a
# rejected import changes nothing: a.exports gains yoy (bit 2) for 2023-02,
# a period new to it, and a ytd revision of 2023-03, not a new period
printf 'series,period,value,measure,vintage\na.exports,2023-02,5.5,yoy,\na.exports,2023-03,31,ytd,2023-05-01\n' > more.csv
printf 'series,period,value,measure\na.exports,2023-04,4,value\na.exports,2023-13,5,value\n' > bad.csv
run 65 import bad.csv
run 0 series a.exports
has_out "a.exports  出口总额  亿元  M     value,ytd  2023-01  2023-03  2"
run 0 import more.csv
run 0 series a.exports
has_out "a.exports  出口总额  亿元  M     value,ytd,yoy  2023-01  2023-03  3"
eq "$(sql "SELECT measures || ' ' || n FROM series_stats t JOIN series s ON s.id = t.series_id WHERE key = 'a.exports'")" "7 3" "summary row"

# a version 1 database (before series_stats): read-only commands ask for
# init; the listing migrates it and shows the same
sql "DROP TABLE series_stats; ALTER TABLE series DROP COLUMN release_lag; ALTER TABLE runs DROP COLUMN through; ALTER TABLE projections DROP COLUMN data; DROP TABLE compares; ALTER TABLE series DROP COLUMN aliases; ALTER TABLE targets DROP COLUMN shape_from; ALTER TABLE targets DROP COLUMN shape_to; DROP TABLE record_points; ALTER TABLE runs DROP COLUMN title; ALTER TABLE runs DROP COLUMN lang; ALTER TABLE runs DROP COLUMN error; PRAGMA user_version = 1"
run 65 show a.exports
has_err "schema version 1 needs migrating to "
cp "$ONTRACK_DB" v1.db
run 0 --db v1.db init
has_out "v1.db: schema version $(sed -n 's/^#define OT_STORE_SCHEMA_VERSION \([0-9]*\)$/\1/p' "$SRC/engine/store/store.h")"
run 0 --db v1.db show a.exports
has_out "2023-03"
run 0 series
has_out "a.exports  出口总额      亿元  M     value,ytd,yoy  2023-01  2023-03  3"
has_out "b.gdp      地区生产总值  亿元  Q     ytd            2023Q1   2023Q2   2"
[ "$(sql 'PRAGMA user_version')" -gt 1 ] || fail "migrated"
# release_lag: a series' own publication lag (days after its period), used by
# as-of reads of figures imported without a vintage; a bad one is refused
printf 'series,name,release_lag\nb.gdp,地区生产总值,40\n' > lag.csv
run 0 import lag.csv
eq "$(sql "SELECT release_lag FROM series WHERE key = 'b.gdp'")" 40 "release_lag stored"
run 0 show b.gdp --as-of 2023-05-10
has_out "2023Q1"
run 66 show b.gdp --as-of 2023-05-09
has_err "its first figure counts from 2023-05-10 (undated, released 40 days after its period)"
printf 'series,name,release_lag\nb.gdp,地区生产总值,soon\n' > badlag.csv
run 65 import badlag.csv
has_err "badlag.csv:2:3: expected a release lag in days (0..3660), found 'soon'"

# kind and agg of the series metadata decide how a stored series aggregates
# (s:to without how): agg wins over the kind; without agg, the kind decides
printf 'series,name,kind,agg\nk.s,存款余额,stock,\nk.f,产值,flow,\nk.r,价格,rate,\nk.m,均值,flow,mean\nk.l,期末,,LAST\n' > kmeta.csv
printf 'period,k.s,k.f,k.r,k.m,k.l\n2023-01,1,1,1,1,1\n2023-02,2,2,2,2,2\n2023-03,6,6,6,6,6\n' > kdata.csv
run 0 import kmeta.csv kdata.csv
cat > k.lua <<'LUA'
local db = ot.db()
for _, k in ipairs{"k.s", "k.f", "k.r", "k.m", "k.l"} do
  local s = db:series(k)
  print(k, s.kind, s.agg, s:to("Q")[1])
end
LUA
run 0 run k.lua
out_line 1 "k.s	stock	nil	6.0"
out_line 2 "k.f	flow	nil	9.0"
out_line 3 "k.r	rate	nil	3.0"
out_line 4 "k.m	flow	mean	3.0"
out_line 5 "k.l	flow	last	6.0"

# a January–February release is listed as the joint release it is, as first
# and as last period (never as a February of its own); a February of its own
# in another measure lists as 2024-02
cat > jf.csv <<'CSV'
series,period,measure,value
jf.a,2024年1-2月,ytd,100
jf.a,2024-03,ytd,150
jf.b,2024年1-2月,value,10
jf.c,2024年1-2月,ytd,1
jf.c,2024-02,yoy,5
CSV
run 0 import jf.csv
run 0 series 'jf.*'
out_words 3 "jf.a M ytd 2024-01/02 2024-03 2"
out_words 4 "jf.b M value 2024-01/02 2024-01/02 1"
out_words 5 "jf.c M ytd,yoy 2024-02 2024-02 1"

# the pattern matches Latin letters in any case, in keys and English names
printf 'series,name,name_en\ncase.gdp,地区生产总值,Yiwu GDP\ncase.x,出口,Exports\n' > case.csv
run 0 import case.csv
run 0 series GDP
has_out "case.gdp"
run 0 series 'EXPORT*'
has_out "case.x"
run 0 series 'Case.*'
eq "$(grep -c '^case\.' <<<"$OUT")" 2 "both case.* series"

done_ok
