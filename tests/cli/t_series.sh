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
run 0 series nothing-like-this
has_err "no series match nothing-like-this"
run 2 series a b
has_err "unexpected argument 'b'"
done_ok
