#!/usr/bin/env bash
# ontrack import of Excel workbooks: .xlsx written by libxlsxwriter at test
# time (tests/data/import/xlsx/make_xlsx.c), .xls converted from it by
# LibreOffice (make_xls.sh, committed); merged headings, numbers stored as
# text, date cells, --sheet, errors at sheet:cell, all or nothing.
. "$SRC/tests/cli/lib.sh"
: "${MAKE_XLSX:?set MAKE_XLSX to the fixture writer}"
"$MAKE_XLSX" . || fail "make_xlsx failed"
cp "$SRC/tests/data/import/xlsx/bureau.xls" .
run 0 import "$SRC/tests/data/import/bureau/series.csv"

# the bureau's table: merged title and headings, a number stored as text, a note
run 0 import --dry-run bureau.xlsx
out_line 1 "bureau.xlsx:主要指标:1: skipped title row: 某县2024年主要经济指标"
out_line 2 "bureau.xlsx:主要指标:9: skipped note row: 注：规上工业增加值增速按可比价格计算。"
out_words 5 "B 规上工业增加值 / 累计值(亿元) xq.iva ytd 亿元 2024-01/02..2024-04 3 3 0 0"
out_words 8 "E 社会消费品零售总额 / 同比增长(%) xq.retail yoy % 2024-01/02..2024-04 3 3 0 0"
eq "$(sql "SELECT count(*) FROM obs")" 0 "nothing written by a dry run"
run 0 import bureau.xlsx
has_out "imported 1 file: 3 rows, 12 new, 0 unchanged, 0 missing values, 2 rows skipped"
eq "$(sql "SELECT group_concat(value, ' ') FROM (SELECT value FROM observations WHERE key = 'xq.iva' AND measure = 'ytd' ORDER BY ord)")" \
   "120.5 190.3 255.96" "ytd, the text-stored 190.3 included"

# the same table as .xls (LibreOffice's conversion) is the same data
run 0 import bureau.xls
has_out "0 new, 12 unchanged"

# date cells in a monthly series' period column: that month
run 0 import --sheet 按日期 bureau.xlsx
eq "$(sql "SELECT group_concat(ord || '=' || value, ' ') FROM observations WHERE key = 'xq.exports' AND measure = 'value'")" \
   "24294=30.5 24295=31.25" "2024/7/1 and 2024/8/1 as July and August"
run 0 import --sheet 按日期 bureau.xls
has_out "0 new, 2 unchanged"

# a long table; a trailing empty cell is no missing column; values exact
run 0 import long.xlsx
run 0 revisions l.x
eq "$(sed -n 3,5p <<<"$OUT" | tr -s ' ' | cut -d' ' -f3 | tr '\n' ' ')" "66.96 70.1 0.3 " "values as stored (libxlsxwriter writes 0.1 + 0.2 with 16 digits: 0.3)"

# growth rates in cells formatted as percentages read as Excel shows them
# (0.052 in a 0.0% cell is 5.2%, growth rates being percentages), not as the
# fraction stored, which imported them 100 times too small
printf 'series,name,unit,freq\npx.imports,进口总额,亿元,M\n' > pxs.csv
run 0 import pxs.csv pct.xlsx
eq "$(sql "SELECT group_concat(measure || '@' || ord || '=' || value, ' ') FROM (SELECT * FROM observations WHERE key = 'px.imports' ORDER BY measure, ord)")" \
   "yoy@24289=10.0 yoy@24290=12.5 ytd@24289=200.1 ytd@24290=310.5 ytd_yoy@24289=5.2 ytd_yoy@24290=-3.15" \
   "percent cells as percentages"

# bad data: at sheet:cell, exit 65, nothing written
run 65 import bad.xlsx
has_err "bad.xlsx:Sheet1:C7: expected a number such as 1234.5, 1,234.5 or 12.3%, found '96.O2'"
eq "$(sql "SELECT count(*) FROM series WHERE key = 'bad.x'")" 0 "nothing of a bad workbook"
run 65 import --sheet 无此表 bureau.xlsx
has_err "bureau.xlsx: no sheet '无此表' (the workbook has '主要指标', '按日期')"
run 65 import --sheet 无此表 bureau.xls
has_err "bureau.xls: no sheet '无此表' (the workbook has '主要指标', '按日期')"
# --sheet for a call without a workbook: a CSV file has no sheets, so the
# name is refused (usage, exit 2) rather than ignored; with a workbook in the
# call it picks that workbook's sheet, and the CSV files are read whole
printf 'series,period,value\ns.csv1,2024-01,1\n' > plain.csv
run 2 import --sheet 按日期 plain.csv
has_err "ontrack: a sheet was named ('按日期'), but no file is a workbook (.xlsx, .xls): a CSV file has no sheets"
eq "$(sql "SELECT count(*) FROM series WHERE key = 's.csv1'")" 0 "nothing of a refused --sheet"
run 0 import --sheet 按日期 plain.csv bureau.xlsx
eq "$(sql "SELECT count(*) FROM observations WHERE key = 's.csv1'")" 1 "the CSV beside a workbook's sheet"
printf 'not a zip' > junk.xlsx
run 65 import junk.xlsx
has_err "junk.xlsx: expected an Excel .xlsx workbook (a zip file), found something else"
printf 'not biff' > junk.xls
run 65 import junk.xls
has_err "junk.xls: expected an Excel .xls workbook, found something else (an .xls file starts with the bytes D0 CF 11 E0)"
# a file whose content is not what its name says: what it is, and what to do
cp bureau.xlsx wb.csv
run 65 import wb.csv
has_err "wb.csv: expected CSV text, found an Excel .xlsx workbook (a zip file): give it a name ending in .xlsx to import it as one"
cp bureau.xls wb2.csv
run 65 import wb2.csv
has_err "wb2.csv: expected CSV text, found an Excel .xls workbook: give it a name ending in .xls to import it as one"
cp bureau.xlsx wb3.xls
run 65 import wb3.xls
has_err "wb3.xls: expected an Excel .xls workbook, found an .xlsx one (a zip file): give it a name ending in .xlsx"
cp bureau.xls wb4.xlsx
run 65 import wb4.xlsx
has_err "wb4.xlsx: expected an Excel .xlsx workbook, found an .xls one (Excel 97-2003): give it a name ending in .xls"
# a statistics web site's "Excel" download that is an HTML table
printf '<html>\r\n<head><meta charset="gb2312"></head><body><table><tr><td>指标</td></tr></table></body></html>\r\n' > web.xls
run 65 import web.xls
has_err "web.xls: expected an Excel workbook, found a web page (HTML) saved under a workbook's name, as web sites offer tables: open it in Excel or LibreOffice and save it as .xlsx or CSV"
cp web.xls web.csv
run 65 import web.csv
has_err "web.csv: expected CSV text, found a web page (HTML): save the page's table as CSV (or open the page in Excel or LibreOffice and save it as .xlsx)"
# a damaged .xls (two bytes of bureau.xls's workbook stream changed, a BIFF
# record FreeXL 1.0.6 crashes on): one error at the file, exit 65, nothing
# written; the import itself does not crash (FreeXL reads in a child process)
cp bureau.xls damaged.xls
printf '\xaa' | dd of=damaged.xls bs=1 seek=4684 conv=notrunc 2>/dev/null
printf '\xff' | dd of=damaged.xls bs=1 seek=5076 conv=notrunc 2>/dev/null
run 65 import plain.csv damaged.xls --db dmg.db
has_err "damaged.xls: expected an Excel .xls workbook, found a damaged one: FreeXL failed on it ("
has_err "); open it in Excel or LibreOffice and save it again, or as .xlsx"
has_err "ontrack: import rejected: nothing was written"
[ ! -e dmg.db ] || fail "a damaged .xls left a database behind"
# a good .xls before it in the call is read whole through its own reader
run 65 import --dry-run bureau.xls damaged.xls --db dmg.db
has_err "bureau.xls:主要指标:B3: unknown indicator '规上工业增加值'"
has_err "bureau.xls:主要指标:E3: unknown indicator '社会消费品零售总额'"
# a good workbook and a bad one in one call: neither
run 65 import long.xlsx bad.xlsx --db two.db
[ ! -e two.db ] || fail "one transaction across workbooks: the new database was left"
run 0 init --db two.db
run 65 import long.xlsx bad.xlsx --db two.db
eq "$(sqlite3 two.db "SELECT count(*) FROM obs")" 0 "one transaction across workbooks"

# a progress line on a terminal (after $ONTRACK_PROGRESS_AFTER seconds, 2 by default), none otherwise
: "${PTYDRIVE:?set PTYDRIVE to the ptydrive binary}"
awk 'BEGIN { print "series,period,value"; for (i = 0; i < 50000; i++) printf "p%d,%d-%02d,%d\n", int(i / 240), 2000 + int(i % 240 / 12), i % 12 + 1, i }' > big.csv
printf 'expect importing big.csv:\nwait\n' > bar.pty
ONTRACK_PROGRESS_AFTER=0 "$PTYDRIVE" bar.pty "$ONTRACK" --db bar.db import big.csv >/dev/null 2>bar.err || { cat bar.err; fail "no progress line on a terminal"; }
ONTRACK_PROGRESS_AFTER=0 run 0 --db bar2.db import big.csv
[[ "$ERR" != *importing* ]] || fail "a progress line when stderr is not a terminal"
done_ok
