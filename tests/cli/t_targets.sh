#!/usr/bin/env bash
# ontrack targets: the bundled Yiwu 2023 targets, --year, errors.
. "$SRC/tests/cli/lib.sh"

run 0 import "$SRC/datasets/yiwu/targets_2023.csv"
run 0 targets --year 2023
has_out "地区生产总值增长7.5%以上"
has_out "growth        >= 7.5%"
has_out "yiwu.exports"
has_out "zhejiang.exports"
has_out "unquantified"
eq "$(grep -c . <<<"$OUT")" 24 "lines: header, rule and 22 targets"
run 0 targets
run 0 targets --year 2024
has_err "ontrack: no targets for 2024 (ontrack import --format targets FILE adds them)"
run 2 targets --year twenty
has_err "--year: expected a year such as 2023, got 'twenty'"
# a bad targets file: kind and op checked, nothing imported
printf 'series,year,kind,op,value\nq.x,2023,growth,>=,7\nq.y,2023,speed,>=,7\nq.z,2023,growth,=>,7\n' > bad.csv
run 65 import --format targets bad.csv
has_err "bad.csv:3:3:"
has_err "bad.csv:4:4:"
eq "$(sql "SELECT count(*) FROM targets WHERE series = 'q.x'")" 0 "targets of a rejected file"
# a target given twice in one file (same year, kind, series, ref and label) is
# an error naming both lines, never a silent overwrite of the first
printf 'series,year,kind,op,value,label\nd.x,2023,growth,>=,5,\nd.x,2023,growth,>=,6,\nd.x,2023,level,>,50,总量\nd.x,2023,level,>,60,总量\n' > dup.csv
run 65 import dup.csv
has_err "dup.csv:3: duplicate target: 2023 growth d.x without a label was already given on line 2"
has_err "dup.csv:5: duplicate target: 2023 level d.x labelled '总量' was already given on line 4"
eq "$(sql "SELECT count(*) FROM targets WHERE series = 'd.x'")" 0 "targets of a file with a duplicate"
# the summary counts targets stored alike as unchanged: one corrected, one the same
printf 'series,year,kind,op,value,label\nc.x,2023,growth,>=,5,甲\nc.y,2023,growth,>=,6,乙\n' > c1.csv
run 0 import c1.csv
has_out "imported 1 file: 2 rows, 2 new, 0 unchanged"
printf 'series,year,kind,op,value,label\nc.x,2023,growth,>=,5.5,甲\nc.y,2023,growth,>=,6,乙\n' > c2.csv
run 0 import c2.csv
has_out "imported 1 file: 2 rows, 1 new, 1 unchanged"
eq "$(sql "SELECT value FROM targets WHERE series = 'c.x'")" 5.5 "the corrected threshold"
# "=" needs its band: about 7.5% (增长7.5%左右) is "=" 7.5 within a tolerance;
# without one the row is an error at its line, nothing imported
printf 'series,year,kind,op,value,tolerance,label\ne.x,2023,growth,=,7.5,0.5,增长7.5%%左右\ne.y,2023,growth,=,7.5,,增长7.5%%\ne.z,2023,level,=,500,-1,总量\n' > eq.csv
run 65 import eq.csv
has_err "eq.csv:3:6: a growth target with op '=' needs a tolerance (the band around 7.5 it may miss by: 增长7.5%左右 is '=' 7.5 with tolerance 0.5), or state it as '>='"
has_err "eq.csv:4:6: a level target's tolerance is at least 0 (in the level's unit), got -1"
# the core's rules of a target, each at the column of the field it names
printf 'series,year,kind,op,value,tolerance,ref,label\ne.r,2023,growth,>=,7.5,,zj.gdp,甲\ne.s,2023,in_step,>=,0,1,zj.gdp,乙\ne.t,2023,in_step,=,0,1,,丙\n' > rules.csv
run 65 import rules.csv
has_err "rules.csv:2:7: a ref is for relative and in_step targets, not growth"
has_err "rules.csv:3:4: an in_step target's test is a band"
has_err "rules.csv:4:7: expected a reference series (ref) for an in_step target, found ''"
eq "$(sql "SELECT count(*) FROM targets WHERE series LIKE 'e.%'")" 0 "targets of a file with '=' and no tolerance"
printf 'series,year,kind,op,value,tolerance,label\ne.x,2023,growth,=,7.5,0.5,增长7.5%%左右\ne.z,2023,level,=,500,20,总量\n' > eq.csv
run 0 import eq.csv
run 0 targets --year 2023
has_out "= 7.5% ±0.5 pts"
has_out "= 500 ±20"
# a label with a line break (a quoted CSV cell) stays on its row of the list
printf 'series,year,kind,op,value,label\nn.x,2031,growth,>=,5,"first line\nsecond line"\n' > nl.csv
run 0 import nl.csv
run 0 targets --year 2031
eq "$(grep -c . <<<"$OUT")" 3 "lines: header, rule and the one target"
has_out "first line second line"
# and in Lua the field is named
cat > eq.lua <<'EOF'
print(pcall(ot.target, {series = "e.x", year = 2023, op = "=", value = 7.5}))
print(pcall(ot.target, {series = "e.x", year = 2023, op = "=", value = 7.5, tolerance = -1}))
print(ot.target{series = "e.x", year = 2023, op = "=", value = 7.5, tolerance = 0.5}.tolerance)
EOF
run 0 run eq.lua
has_out "false	bad argument #1 to 'ontrack.target' (field 'tolerance': a growth target with op '=' needs a tolerance (the band around 7.5 it may miss by: 增长7.5%左右 is '=' 7.5 with tolerance 0.5), or state it as '>=')"
has_out "false	bad argument #1 to 'ontrack.target' (field 'tolerance': a growth target's tolerance is at least 0 (in points), got -1)"
has_out "0.5"
# a name with control characters is shown with spaces for them, as tables
# show every cell: it neither breaks a line nor drives the terminal
printf 'series,name\nesc.x,"名\t字\x1b[0m"\n' > escn.csv
printf 'series,period,value\nesc.x,2023-01,1\n' > escd.csv
run 0 import escn.csv escd.csv
run 0 show esc.x
out_line 1 'esc.x  名 字 [0m  [M]'
done_ok
