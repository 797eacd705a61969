#!/usr/bin/env bash
# ontrack targets: the bundled Yiwu 2023 targets, --year, errors.
. "$SRC/tests/cli/lib.sh"

run 0 import "$SRC/datasets/yiwu/targets_2023.csv"
run 0 targets --year 2023
has_out "地区生产总值增长7.5%以上"
has_out "growth        >= 7.5"
has_out "yiwu.exports"
has_out "zhejiang.exports"
has_out "unquantified"
eq "$(grep -c . <<<"$OUT")" 24 "lines: header, rule and 22 targets"
run 0 targets
run 0 targets --year 2024
has_err "no targets for that year"
run 2 targets --year twenty
has_err "--year: expected a year such as 2023, got 'twenty'"
# a bad targets file: kind and op checked, nothing imported
printf 'series,year,kind,op,value\nq.x,2023,growth,>=,7\nq.y,2023,speed,>=,7\nq.z,2023,growth,=>,7\n' > bad.csv
run 65 import --format targets bad.csv
has_err "bad.csv:3:3:"
has_err "bad.csv:4:4:"
eq "$(sql "SELECT count(*) FROM targets WHERE series = 'q.x'")" 0 "targets of a rejected file"
done_ok
