#!/usr/bin/env bash
# ontrack show KEY: the table, Jan–Feb releases, --measure, --as-of, errors.
. "$SRC/tests/cli/lib.sh"

cat > obs.csv <<'CSV'
series,period,value,measure,vintage
c.retail,2023年1-2月,"7,000",value,2023-03-15
c.retail,2023-03,3500,value,2023-04-18
c.retail,2023-02,7000,ytd,2023-03-15
c.retail,2023-03,10500,ytd,2023-04-18
c.retail,2023-03,10.6,yoy,2023-04-18
CSV
printf 'series,name,unit,freq,kind\nc.retail,社会消费品零售总额,亿元,M,flow\n' > meta.csv
run 0 import meta.csv obs.csv
run 0 show c.retail
out_line 1 "c.retail  社会消费品零售总额  亿元  [M]"
out_line 2 "period      value    ytd   yoy"
out_line 4 "2023-01/02   7000   7000"
out_line 5 "2023-03      3500  10500  10.6"
run 0 show c.retail --measure yoy
out_line 2 "period    yoy"
out_line 4 "2023-03  10.6"
# as known on 2023-04-01: March was not yet published
run 0 show c.retail --as-of 2023-04-01
has_out "2023-01/02"
lacks_out "2023-03"
# the compact and Chinese date forms too
run 0 show c.retail --as-of 20230401
lacks_out "2023-03"
run 0 show c.retail --as-of 2023年4月20日
has_out "2023-03"
# through a period
run 0 show --as-of 2023-02 c.retail
lacks_out "2023-03"
run 66 show c.retial
has_err "c.retial"
run 2 show
has_err "which series?"
run 2 show c.retail --measure level
has_err "--measure: expected value, ytd, yoy or ytd_yoy, got 'level'"
# nothing known yet of a key with glob characters: the store says since when
printf 'series,period,value,measure\ng[1]*,2023-03,5,ytd\n' > globkey.csv
run 0 import globkey.csv
run 66 show 'g[1]*' --as-of 2023-04-01
has_err "ontrack: nothing of 'g[1]*' (ytd) was known as of 2023-04-01: its first figure counts from 2023-04-15"
# a measure the series does not store is missing data (66), not a usage error
run 66 show c.retail --measure ytd_yoy
has_err "ontrack: series 'c.retail' has no 'ytd_yoy' observations (stored: value, ytd, yoy)"
run 2 show c.retail --as-of yesterday
has_err "--as-of: 'yesterday' is neither a date (2023-10-20) nor a period (2023-09)"
# --as-of PERIOD keeps the periods complete by its end (ot_series_through, as
# projections do): a quarter is not known in its first month, a January under
# a Jan-Feb release not before February; nothing left is an error, not an
# empty table
printf 'series,period,value\nq.gdp,2022Q4,4\nq.gdp,2023Q1,5\n' > q.csv
run 0 import q.csv
run 0 show q.gdp --as-of 2023-01
out_line 4 "2022Q4      4"
lacks_out "2023Q1"
run 0 show q.gdp --as-of 2023-03
has_out "2023Q1      5"
run 66 show q.gdp --as-of 2022-06
has_err "q.gdp: nothing known through 2022-06"
run 66 show c.retail --as-of 2023-01
has_err "c.retail: nothing known through 2023-01"
# text from the command line quoted in a message is never sent raw to the
# terminal: control characters are shown escaped
run 66 show $'k\033[2J'
has_err "unknown series 'k\\x1b[2J'"
run 2 show c.retail $'--as-of\033'
has_err "unknown option '--as-of\\x1b'"
run 2 $'\033[31mshow'
has_err "unknown command '\\x1b[31mshow'"
grep -q $'\033' <<<"$ERR" && fail "a raw escape on stderr"
# show prints each stored figure exactly (shortest form), not rounded to 4 decimals
printf 'series,period,value\nnum.x,2023-01,0.000123\nnum.x,2023-02,12.3456789\n' > num.csv
run 0 import num.csv
out_line 1 "imported 1 file: 2 rows, 2 new, 0 unchanged, 0 missing values"
run 0 show num.x
out_line 4 "2023-01    0.000123"
out_line 5 "2023-02  12.3456789"
# a January-February release beside another measure's own January and
# February (当月同比 published per month): no figure is hidden, and the
# combined release keeps its 2023-01/02 row
printf 'series,period,measure,value\nmx.a,2023年1-2月,value,10\nmx.a,2023-01,yoy,1.5\nmx.a,2023-02,yoy,2.5\nmx.a,2023-03,value,6\nmx.a,2023-03,yoy,3\n' > mix.csv
run 0 import mix.csv
run 0 show mx.a
out_line 2 "period      value  yoy"
out_line 4 "2023-01            1.5"
out_line 5 "2023-01/02     10"
out_line 6 "2023-02            2.5"
out_line 7 "2023-03         6    3"
done_ok
