#!/usr/bin/env bash
# ontrack import: formats, vintages, one transaction, errors with locations.
. "$SRC/tests/cli/lib.sh"

cat > long.csv <<'CSV'
series,period,value,measure,unit
x.exports,2023-01,100,value,亿元
x.exports,2023-02,"1,200.5",value,亿元
x.exports,2023年3月,12.5%,yoy,%
x.exports,2023-04,-,value,亿元
CSV
run 0 import long.csv
has_out "imported 1 file: 4 rows, 3 new, 0 unchanged, 1 missing value"
eq "$(sql "SELECT count(*) FROM observations")" 3 "observations stored"

# the same file again changes nothing
run 0 import long.csv
eq "$(sql "SELECT count(*) FROM observations")" 3 "observations after re-import"

# a revised value becomes a new vintage; the old one stays readable as of an earlier date
cat > rev.csv <<'CSV'
series,period,value,measure,vintage
x.exports,2023-01,101,value,2023-03-01
CSV
run 0 import rev.csv
eq "$(sql "SELECT count(*) FROM observations")" 4 "observations after a revision"
run 0 show x.exports --measure value
out_line 4 "2023-01     101"
out_line 5 "2023-02  1200.5"
run 0 show x.exports --measure value --as-of 2023-02-15
out_line 4 "2023-01    100"
lacks_out "2023-02"

# bad input: every problem with file:line:column, exit 65, nothing written
cat > bad.csv <<'CSV'
series,period,value,measure
x.imports,2023-01,10,value
x.imports,2023-13,11,value
x.imports,2023-03,abc,value
x.imports,2023-04,12,levels
x.imports,2023-01,10,value
x.imports,2023-05,1
CSV
run 65 import bad.csv
has_err "bad.csv:3:2:"
has_err "bad.csv:4:3:"
has_err "bad.csv:5:4:"
has_err "bad.csv:6:2: duplicate row: x.imports value 2023-01 was already given in this import"
has_err "bad.csv:7:4: expected 4 fields, found 3"
has_err "nothing was written"
eq "$(sql "SELECT count(*) FROM observations WHERE key = 'x.imports'")" 0 "rows of a rejected file"

# a bureau's year-to-date range (2023年1-8月) is the ytd figure of August, for ytd measures only
printf 'series,period,value,measure\nr.x,2023年1-8月,"1,000",ytd\nr.x,2023年1-9月份,5.5,ytd_yoy\n' > range.csv
run 0 import range.csv
eq "$(sql "SELECT group_concat(measure || '@' || ord, ' ') FROM observations WHERE key = 'r.x'")" "ytd@24283 ytd_yoy@24284" "ytd ranges stored on their last month"
printf 'series,period,value\nr.y,2023年1-8月,1\n' > range2.csv
run 65 import range2.csv
has_err "range2.csv:2:2: expected a period such as 2023-01, found the year-to-date range '2023年1-8月' (give it with measure ytd or ytd_yoy)"

# a duplicate row for the same series, period and measure
printf 'series,period,value,measure\nd.x,2023-01,10,value\nd.x,2023-01,10,value\n' > dup.csv
run 65 import dup.csv
has_err "dup.csv:3:"
has_err "duplicate row"

# two files, the second bad: neither is imported
cat > good2.csv <<'CSV'
series,period,value
y.a,2023-01,1
CSV
run 65 import good2.csv bad.csv
eq "$(sql "SELECT count(*) FROM series WHERE key = 'y.a'")" 0 "series of a rejected call"

# a missing file: exit 66
run 66 import nope.csv
has_err "nope.csv"

# an unknown column and a wrong --format value
printf 'series,period,value,colour\nz,2023-01,1,red\n' > col.csv
run 65 import col.csv
has_err "col.csv:1:4:"
run 2 import --format tall long.csv
has_err "--format: expected long, wide, targets or series, got 'tall'"

# the measure column as bureaus write it: 累计值, 当月同比 … (one word naming a
# measure alone); 增长 (whose measure depends on the table) is not one
cat > cnmeas.csv <<'CSV'
series,period,measure,value
cm.x,2023年1-3月,累计值,100
cm.x,2023年1-3月,累计同比,5.2
cm.x,2023-03,当月值,40
cm.x,2023-03,当月同比,6.1
CSV
run 0 import cnmeas.csv
eq "$(sql "SELECT group_concat(measure || '=' || value, ' ') FROM (SELECT * FROM observations WHERE key = 'cm.x' AND ord = 24278 ORDER BY measure)")" \
   "value=40.0 yoy=6.1 ytd=100.0 ytd_yoy=5.2" "measures in Chinese"
printf 'series,period,measure,value\ncm.y,2023-03,增长,1\n' > cnmeas2.csv
run 65 import cnmeas2.csv
has_err "cnmeas2.csv:2:3: expected a measure (value, ytd, yoy or ytd_yoy; or 当月值, 累计值, 当月同比, 累计同比), found '增长'"

# a year to date through a year or a quarter in a finer series: GDP's 全年
# figure is Q4's year to date, 前三季度 September's in a monthly series
printf 'series,name,freq\nyq.gdp,某地生产总值,Q\nym.x,某月度,M\n' > yqs.csv
cat > yq.csv <<'CSV'
series,period,measure,value
yq.gdp,2023年前三季度,ytd,320
yq.gdp,2023年全年,ytd,440
yq.gdp,2023年度,ytd_yoy,5.3
ym.x,2023年前三季度,ytd,90
ym.x,2023,ytd,120
CSV
run 0 import yqs.csv yq.csv
eq "$(sql "SELECT group_concat(key || ' ' || measure || ' ' || freq || ord || '=' || value, '; ') FROM (SELECT * FROM observations WHERE key IN ('yq.gdp', 'ym.x') ORDER BY key, measure, ord)")" \
   "ym.x ytd M24284=90.0; ym.x ytd M24287=120.0; yq.gdp ytd Q8094=320.0; yq.gdp ytd Q8095=440.0; yq.gdp ytd_yoy Q8095=5.3" \
   "years and quarters to date in finer series"
# a year's own figure (not a year to date) stays an error there
printf 'series,period,measure,value\nyq.gdp,2023年全年,yoy,5\n' > yq2.csv
run 65 import yq2.csv
has_err "yq2.csv:2:2: yq.gdp is quarterly; found the yearly period 2023 ('2023年全年'): one series holds one frequency"

# GBK input with --encoding gbk; without it, a hint
printf 'series,period,value,unit\ng.x,2023-01,5,亿元\n' | iconv -f UTF-8 -t GBK > gbk.csv
run 65 import gbk.csv
has_err "--encoding gbk"
run 0 import --encoding gbk gbk.csv
eq "$(sql "SELECT unit FROM series WHERE key = 'g.x'")" "亿元" "unit read from GBK"

# --- limits and hostile text (reliability round 2) ---

# the 1 MiB field limit holds to the byte: 1,048,576 accepted, 1,048,577 refused
{ printf 'series,period,value,source\nf.x,2023-01,1,'; head -c 1048576 /dev/zero | tr '\0' s; printf '\n'; } > f1m.csv
run 0 import f1m.csv
{ printf 'series,period,value,source\nf.y,2023-01,1,'; head -c 1048577 /dev/zero | tr '\0' s; printf '\n'; } > f1m1.csv
run 65 import f1m1.csv
has_err "f1m1.csv:2:4: expected a field of at most 1048576 bytes, found one of 1048577 bytes"
{ printf 'series,period,value,source\nf.z,2023-01,1,'; head -c 1048676 /dev/zero | tr '\0' s; printf '\n'; } > f1m100.csv
run 65 import f1m100.csv
has_err "f1m100.csv:2:4: expected a field of at most 1048576 bytes"

# CR-only line endings (old Mac files): errors at their own line
printf 'series,period,value\rcr.x,2023-01,1\rcr.x,2023-02,abc\rcr.x,2023-13,3\r' > cr.csv
run 65 import cr.csv
has_err "cr.csv:3:3: expected a number"
has_err "cr.csv:4:2: expected a period"
# CR LF, and CR LF inside a quoted field, count once
printf 'series,period,value,source\r\ncr.y,2023-01,1,"a\r\nb"\r\ncr.y,2023-02,x,s\r\n' > crlf.csv
run 65 import crlf.csv
has_err "crlf.csv:4:3: expected a number"

# a UTF-8 BOM (Excel's "CSV UTF-8"), CR LF endings and quoted fields holding
# commas and line breaks: the header is recognised, fields come back whole
printf '\xef\xbb\xbfseries,period,value,source\r\nbom.x,2023-01,"1,000","市统计局, 月报"\r\nbom.x,2023年2月,2,"第一行\r\n第二行"\r\n' > bom.csv
run 0 import bom.csv
has_out "imported 1 file: 2 rows, 2 new"
eq "$(sql "SELECT group_concat(value || '|' || replace(replace(source, char(13), '<CR>'), char(10), '<LF>'), ' ') FROM observations WHERE key = 'bom.x'")" \
   "1000.0|市统计局, 月报 2.0|第一行<CR><LF>第二行" "BOM, CRLF, quoted commas and line breaks"
# the same as GBK bytes, with a January–February release
printf 'series,period,value,source\r\ngbk.x,2023年1-2月,"1,5",义乌市统计局\r\n' | iconv -f UTF-8 -t GBK > gbk2.csv
run 65 import --encoding gbk gbk2.csv
has_err 'gbk2.csv:2:3: expected a number such as 1234.5, 1,234.5 or 12.3%, found '"'"'1,5'"'"
printf 'series,period,value,source\r\ngbk.x,2023年1-2月,"1,500",义乌市统计局\r\n' | iconv -f UTF-8 -t GBK > gbk3.csv
run 0 import --encoding gbk gbk3.csv
eq "$(sql "SELECT span || ' ' || value || ' ' || source FROM observations WHERE key = 'gbk.x'")" "2 1500.0 义乌市统计局" "GBK bytes, a Jan–Feb release"
# a byte-order mark before GBK text: GB18030's own (84 31 95 33, what iconv -t
# GB18030 makes of a BOM'd UTF-8 file) or a UTF-8 one is skipped, not read
# into the first column's name (it was: "unknown column '\uFEFFseries'")
printf '\xef\xbb\xbfseries,period,value,unit\ngbom.x,2023-01,5,亿元\n' | iconv -f UTF-8 -t GB18030 > gbom.csv
eq "$(head -c 4 gbom.csv | od -An -tx1 | tr -d ' ')" "84319533" "GB18030's byte-order mark"
run 0 import --encoding gbk gbom.csv
eq "$(sql "SELECT unit || value FROM observations JOIN series USING (key) WHERE key = 'gbom.x'")" "亿元5.0" "after GB18030's BOM"
{ printf '\xef\xbb\xbf'; printf 'series,period,value,unit\nubom.x,2023-01,6,亿元\n' | iconv -f UTF-8 -t GBK; } > ubom.csv
run 0 import --encoding gbk ubom.csv
eq "$(sql "SELECT value FROM observations WHERE key = 'ubom.x'")" "6.0" "GBK after a UTF-8 BOM"
# a byte GBK/GB18030 has no character for: at its line and field
printf 'series,name\nbadg.x,\x81\x20\n' > badg.csv
run 65 import --encoding gbk badg.csv
has_err "badg.csv:2:2: expected GBK/GB18030 text, found byte 0x81"
# a UTF-8 file given --encoding gbk is refused, not stored as mojibake
printf 'series,period,value,unit\nu8.x,2023-01,5,亿元\n' > utf8.csv
run 65 import --encoding gbk utf8.csv
has_err "utf8.csv:2: expected GBK/GB18030 text, found a file that is valid UTF-8 (import it without --encoding gbk)"
eq "$(sql "SELECT count(*) FROM series WHERE key = 'u8.x'")" 0 "series of a refused UTF-8-as-GBK file"
# plain ASCII is both: accepted with --encoding gbk
printf 'series,period,value\nasc.x,2023-01,5\n' > ascii.csv
run 0 import --encoding gbk ascii.csv

# control characters are shown escaped in messages, never raw
printf 'series,period,value\nesc.x,2023-01,\033[31mRED\n' > escv.csv
run 65 import escv.csv
has_err "escv.csv:2:3: expected a number such as 1234.5, 1,234.5 or 12.3%, found '\x1b[31mRED'"
[ "$(printf '%s' "$ERR" | tr -d '\n' | tr -d '[:print:]' | wc -c)" -le 0 ] || fail "raw control bytes in stderr"
printf 'series,period,value\n"k\033[2Jx",2023-01,1\n' > esck.csv
run 65 import esck.csv
has_err "esck.csv:2:1: expected a series key, found control character 0x1B in 'k\x1b[2Jx'"

# a wide header: the 16,384-column cap (there was none: 80,000 columns took 12.7 s with the
# pairwise duplicate check), and repeated keys found in one pass through a hash table
python3 -c "print('period,' + ','.join('k%d' % i for i in range(16384)) + ',k7')" > dupw.csv
run 65 import dupw.csv
has_err "expected at most 16384 columns, found 16386"
python3 -c "print('period,' + ','.join('k%d' % i for i in range(16000)) + ',k7,k9')" > dupw2.csv
start=$(date +%s%N)
run 65 import dupw2.csv
ms=$(( ($(date +%s%N) - start) / 1000000 ))
has_err "dupw2.csv:1:16002: duplicate column 'k7'"
has_err "dupw2.csv:1:16003: duplicate column 'k9'"
[ "$ms" -lt 5000 ] || fail "16,000-column header took $ms ms"

# the bundled datasets import in one call
cd "$SRC/datasets"
run 0 import --db "$T/bundled.db" series.csv china/china_monthly_nbs.csv zhejiang/zhejiang.csv yiwu/yiwu.csv yiwu/targets_2023.csv
cd "$T" # the files below are written in the test's directory, never in the source tree
# series metadata: a key given twice in one file is an error (the second row
# would overwrite the first); rows stored alike count as unchanged
printf 'series,name,unit\nm.k,甲,亿元\nm.k,乙,万元\n' > meta_dup.csv
run 65 import meta_dup.csv
has_err "meta_dup.csv:3:1: duplicate row: series 'm.k' was already given on line 2"
eq "$(sql "SELECT count(*) FROM series WHERE key = 'm.k'")" 0 "series of a file with a duplicate"
printf 'series,name,unit\nm.k,甲,亿元\nm.j,乙,\n' > meta1.csv
run 0 import meta1.csv
has_out "imported 1 file: 2 rows, 2 new, 0 unchanged"
printf 'series,name,unit\nm.k,甲,亿元\nm.j,丙,\n' > meta2.csv
run 0 import meta2.csv
has_out "imported 1 file: 2 rows, 1 new, 1 unchanged"
eq "$(sql "SELECT name FROM series WHERE key = 'm.j'")" 丙 "the changed name"
# --measure is the measure of a long file's rows that name none: ytd figures
# given so are stored as ytd (not silently as value); a row's own measure wins
printf 'series,period,value\nlm.x,2023-01,10\nlm.x,2023-02,25\n' > lm.csv
run 0 import lm.csv --measure ytd
eq "$(sql "SELECT group_concat(measure || '=' || value, ' ') FROM observations WHERE key = 'lm.x'")" "ytd=10.0 ytd=25.0" "long rows under --measure ytd"
# the same file with another --measure is another import, not one already done
printf 'series,period,value\nlm.w,2023-01,10\n' > lmw.csv
run 0 import lmw.csv
run 0 import lmw.csv --measure ytd
out_line 1 "imported 1 file: 1 row, 1 new, 0 unchanged, 0 missing values"
eq "$(sql "SELECT group_concat(measure, ' ') FROM (SELECT * FROM observations WHERE key = 'lm.w' ORDER BY measure)")" "value ytd" "lm.w measures"
printf 'series,period,value,measure\nlm.y,2023年1-8月,5.5,\nlm.y,2023-09,6,yoy\n' > lm2.csv
run 0 import lm2.csv --measure ytd_yoy
eq "$(sql "SELECT group_concat(measure || '=' || value, ' ') FROM (SELECT * FROM observations WHERE key = 'lm.y' ORDER BY ord)")" "ytd_yoy=5.5 yoy=6.0" "an empty measure cell under --measure"
# a file saved with semicolons or tabs says so instead of only "no header"
printf 'series;period;value\nsc.x;2023-01;3\n' > semi.csv
run 65 import semi.csv
has_err "semi.csv:1: expected a header row, found no row of two or more cells (fields are separated by commas; this file seems to use semicolons)"
printf 'series\tperiod\tvalue\nsc.x\t2023-01\t3\n' > tabs.csv
run 65 import tabs.csv
has_err "this file seems to use tabs)"
# January on its own and within January-February in one file: the combined
# figure would hide January for good, so it is an error naming both lines;
# with a later vintage for the combined one it is a revision and fine
printf 'series,period,value\njf.x,2023年1-2月,10\njf.x,2023-01,4\n' > jf.csv
run 65 import jf.csv
has_err "jf.csv:3:2: jf.x value: January 2023 is given on its own (line 3) and within January–February (line 2); the combined figure covers January, which would never be read: give one of them, or the January–February figure a later vintage than January's (a revision)"
eq "$(sql "SELECT count(*) FROM observations WHERE key = 'jf.x'")" 0 "rows of the rejected file"
printf 'series,period,value,measure\njf.y,2023年1月,4,ytd\njf.y,2023年1-2月,10,ytd\n' > jfy.csv
run 65 import jfy.csv
has_err "or the year to date through February as 2023-02"
printf 'series,period,value,vintage\njf.z,2023-01,4,2023-02-15\njf.z,2023-01/02,10,2023-03-15\n' > jfv.csv
run 0 import jfv.csv
# the spellings of bureaus' texts and vendors' exports: 1至2月, 1、2月, a
# dotted month, blanks around 年; a one-digit dotted month is refused
printf 'series,period,value\nbs.a,2023年1至2月,10\nbs.b,2023年1、2月份,11\nbs.c,2023.10,12\nbs.d,2023 年 3 月,13\n' > spell.csv
run 0 import spell.csv
# (months as year*12 + month-1: 2023-02 is 24277, 2023-10 24285)
eq "$(sql "SELECT group_concat(key || ' ' || ord || ' ' || span || ' ' || value, '; ') FROM (SELECT key, ord, span, value FROM observations WHERE key LIKE 'bs._' ORDER BY key)")" \
    "bs.a 24277 2 10.0; bs.b 24277 2 11.0; bs.c 24285 1 12.0; bs.d 24278 1 13.0" "periods as bureaus and vendors spell them"
printf 'series,period,value\nbs.e,2023.1,1\n' > dot1.csv
run 65 import dot1.csv
has_err "dot1.csv:2:2: "
has_err "a one-digit month after a dot is ambiguous"
# series metadata cannot give a series another frequency than its
# observations' (a later import would store a second, hidden series)
printf 'series,period,value\nfq.a,2023Q1,1\n' > fq1.csv
run 0 import fq1.csv
printf 'series,name,freq\nfq.a,A,M\n' > fq2.csv
run 65 import fq2.csv
has_err "fq2.csv:2:3: fq.a holds observations of frequency Q; found the frequency M: one series holds one frequency"
eq "$(sql "SELECT freq FROM series WHERE key = 'fq.a'")" Q "the stored frequency"
# a UTF-16 file (Excel's "Unicode text") is named as such: one error, no hint of GBK
printf 'series,period,value\nu.x,2023-01,1\n' | iconv -f UTF-8 -t UTF-16LE | { printf '\377\376'; cat; } > u16.csv
run 65 import u16.csv
has_err "u16.csv:1: expected UTF-8 or GBK text, found UTF-16 (the file starts with the byte-order mark FF FE): save it as CSV UTF-8"
eq "$(grep -c 'u16.csv' <<<"$ERR")" 1 "errors for a UTF-16 file"
# a vintage before its period is over (a mistyped date, a wrong --as-of) would
# let as-of reads see the figure before it existed: refused
printf 'series,period,value,vintage\nvv.x,2023-03,1,2023-02-01\n' > vv.csv
run 65 import vv.csv
has_err "vv.csv:2:2: vv.x value 2023-03: its vintage 2023-02-01 is before the period ends (2023-03-31); a figure is known only once its period is over (check the vintage column or --as-of)"
printf 'series,period,value\nvv.y,2023Q1,1\n' > vq.csv
run 65 import vq.csv --as-of 2023-03-30
has_err "vv.y value 2023Q1: its vintage 2023-03-30 is before the period ends (2023-03-31)"
run 0 import vq.csv --as-of 2023-03-31
# measure names in any case, as column names are; a GBK table's doubled
# dashes and ellipses (——, ……: Chinese typography) are missing values
printf 'series,period,value,measure\nmc.x,2023-01,1,YTD\nmc.x,2023-02,——,Ytd\nmc.x,2023-03,……,ytd\nmc.x,2023-04,4.5％,ytd\n' |
    iconv -f UTF-8 -t GBK > mc.csv
run 0 import mc.csv --encoding gbk
has_out "imported 1 file: 4 rows, 2 new, 0 unchanged, 2 missing values"
eq "$(sql "SELECT group_concat(value) FROM observations WHERE key = 'mc.x' AND measure = 'ytd'")" "1.0,4.5" "ytd values"
# the unit of growth rows (yoy, ytd_yoy: always percent) is not the
# series' unit: a file giving its growth rows first (as NBS extracts do)
# keeps the unit of its levels
cat > units.csv <<'CSV'
series,period,value,measure,unit
un.rev,2023-02,10.5,yoy,pct
un.rev,2023-02,12.0,ytd_yoy,pct
un.rev,2023-02,2100,value,亿元
un.rev,2023-02,4200,ytd,亿元
un.g,2023-02,3.5,yoy,%
CSV
run 0 import units.csv
eq "$(sql "SELECT unit FROM series WHERE key = 'un.rev'")" "亿元" "unit of un.rev"
eq "$(sql "SELECT coalesce(unit, 'NULL') FROM series WHERE key = 'un.g'")" "NULL" "unit of a growth-only series"
run 0 show un.rev --measure yoy
out_line 1 "un.rev  %  [M]"
# a level row in another unit than the series' is refused at its unit cell,
# as a table's heading in another unit is: the series' unit is never
# silently replaced (its stored figures would all read 10,000 times off)
printf 'series,period,value,unit\nun.rev,2023-03,21000000,万元\n' > wan.csv
run 65 import wan.csv
has_err "wan.csv:2:4: un.rev is in 亿元; found the unit '万元' (change a series' unit through the series metadata, or give the figures in 亿元)"
eq "$(sql "SELECT unit FROM series WHERE key = 'un.rev'")" "亿元" "unit of un.rev after a refused import"
printf 'series,period,value,unit\nun.rev,2023-03,2200,亿元\nun.rev,2023-04,2300,"亿元 "\n' > yi.csv
run 0 import yi.csv
# an import that writes nothing (rejected, missing input, a dry run) into a
# database it would have created leaves no database behind
run 65 --db "$T/typo.db" import bad.csv
[ ! -e "$T/typo.db" ] || fail "a rejected import left a new database"
run 66 --db "$T/typo.db" import nosuch.csv
[ ! -e "$T/typo.db" ] || fail "an import of a missing file left a new database"
run 0 --db "$T/typo.db" import long.csv --dry-run
[ ! -e "$T/typo.db" ] || fail "a dry run left a new database"
ls "$T"/typo.db* >/dev/null 2>&1 && fail "a -wal or -shm file was left"
run 0 --db "$T/typo.db" import long.csv
[ -e "$T/typo.db" ] || fail "an import did not create its database"
# every documented period and value spelling (formats.md), one series each:
# the period stored (frequency, ordinal, span) and the value
cat > spell.csv <<'CSV'
series,period,value
sp.m1,2023-1,1
sp.m2,2023M01,1
sp.m3,2023年1月,1
sp.m4,2023-01/02,1
sp.m5,2023年1-2月,1
sp.m6,2023年1～2月,1
sp.q1,2023Q1,1
sp.q2,2023-Q1,1
sp.q3,2023年一季度,1
sp.y1,2023,1
sp.y2,2023年,1
sp.y3,2023年度,1
sp.d1,2023-01-15,1
sp.v1,2023-01,"1,234.5"
sp.v2,2023-01,12.3%
sp.v3,2023-01,12.3％
sp.v4,2023-01,1.2e3
sp.v5,2023-01,-0.3
sp.x1,2023-01,-
sp.x2,2023-01,—
sp.x3,2023-01,…
sp.x4,2023-01,
CSV
run 0 import spell.csv
has_out "imported 1 file: 22 rows, 18 new, 0 unchanged, 4 missing values"
eq "$(sql "SELECT group_concat(key || ':' || freq || ord || '/' || span || '=' || value, ' ') FROM (SELECT * FROM observations WHERE key LIKE 'sp.%' ORDER BY key)")" \
   "sp.d1:D19372/1=1.0 sp.m1:M24276/1=1.0 sp.m2:M24276/1=1.0 sp.m3:M24276/1=1.0 sp.m4:M24277/2=1.0 sp.m5:M24277/2=1.0 sp.m6:M24277/2=1.0 sp.q1:Q8092/1=1.0 sp.q2:Q8092/1=1.0 sp.q3:Q8092/1=1.0 sp.v1:M24276/1=1234.5 sp.v2:M24276/1=12.3 sp.v3:M24276/1=12.3 sp.v4:M24276/1=1200.0 sp.v5:M24276/1=-0.3 sp.y1:Y2023/1=1.0 sp.y2:Y2023/1=1.0 sp.y3:Y2023/1=1.0" \
   "every spelling"
# an undated figure is never ordered before a dated one of its period: the
# same figure as the latest is unchanged, another is refused at its row
printf 'series,period,value,vintage\nud.x,2023-01,100,2023-02-20\n' > ud1.csv
printf 'series,period,value\nud.x,2023-01,105\n' > ud2.csv
printf 'series,period,value\nud.x,2023-01,100\n' > ud3.csv
run 0 import ud1.csv
run 65 import ud2.csv
has_err "ud2.csv:2:2: ud.x value 2023-01 is stored as 100 released 2023-02-20; an undated figure, 105, would count from before that and never be read: give it its release date (a vintage column or --as-of)"
run 0 import ud3.csv
has_out "0 new, 1 unchanged"
run 0 import ud2.csv --as-of 2023-03-01
eq "$(sql "SELECT group_concat(value || '@' || vintage, ' ') FROM observations WHERE key = 'ud.x'")" "100.0@2023-02-20 105.0@2023-03-01" "the dated revision"
# one unit, several spellings (formats.md, "Units"): a series declared with
# the English code takes a bureau file's Chinese unit names, and the store
# keeps the canonical spelling; a genuinely different unit is still an error
# at its cell, and a growth row's unit must be a percent
printf 'series,name,unit\nua.x,X,100m_cny\nua.y,Y,usd_100m\nua.w,W,10K_CNY\n' > ua_meta.csv
run 0 import ua_meta.csv
eq "$(sql "SELECT group_concat(unit, ' ') FROM (SELECT unit FROM series WHERE key LIKE 'ua.%' ORDER BY key)")" "万元 亿元 亿美元" "canonical units stored"
cat > ua.csv <<'CSV'
series,period,measure,value,unit
ua.x,2023-01,value,1,亿元
ua.x,2023-01,yoy,5,pct
ua.x,2023-02,value,2,100M_CNY
ua.y,2023-01,value,3,亿美元
ua.w,2023-01,value,4,万元
CSV
run 0 import ua.csv
has_out "5 new"
printf '时间,规上工业增加值(亿元),规上工业增加值 同比(pct)\n2023-03,3,4\n' > ua_table.csv
printf 'series,name,unit\nua.t,规上工业增加值,100m_cny\n' > ua_tmeta.csv
run 0 import ua_tmeta.csv ua_table.csv
cat > ua_bad.csv <<'CSV'
series,period,measure,value,unit
ua.x,2023-03,value,1,万元
ua.y,2023-03,value,1,usd_bn
ua.x,2023-03,yoy,5,亿元
CSV
run 65 import ua_bad.csv
has_err "ua_bad.csv:2:5: ua.x is in 亿元; found the unit '万元'"
has_err "ua_bad.csv:3:5: ua.y is in 亿美元; found the unit 'usd_bn'"
has_err "ua_bad.csv:4:5: expected the unit of a growth rate (yoy), % or pct, found '亿元'"
printf 'series,year,kind,op,value,unit\nua.x,2023,level,>=,500,100m_cny\n' > ua_tg.csv
run 0 import ua_tg.csv
eq "$(sql "SELECT unit FROM targets WHERE series = 'ua.x'")" "亿元" "a target's unit, canonical"
printf 'series,year,kind,op,value,unit\nua.x,2023,level,>=,500,亿元\n' > ua_tg2.csv
run 0 import ua_tg2.csv
has_out "0 new, 1 unchanged"
printf '时间,规上工业增加值(万元)\n2023-04,3\n' > ua_table2.csv
run 65 import ua_table2.csv
has_err "ua_table2.csv:1:2: '规上工业增加值(万元)' is in 万元, but series ua.t is in 亿元"
# input that cannot be read as a file is missing input (66, sysexits'
# EX_NOINPUT: "did not exist or was not readable"), not an I/O error
mkdir adir
run 66 import adir
has_err "cannot read adir: Is a directory"
as_nobody
if [ "${AS[0]:-}" != skip ]; then
    printf 'series,period,value\nnp.x,2023-01,1\n' > noperm.csv && chmod 000 noperm.csv
    mkdir npdb && chmod 777 npdb
    OUT=$("${AS[@]}" "$ONTRACK" --db npdb/np.db import noperm.csv 2>&1); CODE=$?
    eq "$CODE" 66 "import of a file that cannot be read"
    grep -qF "cannot open noperm.csv: Permission denied" <<<"$OUT" || fail "unreadable file: $OUT"
fi
# another writer holding the database past the 5 s busy timeout: exit 75
# (try again), nothing written; once it lets go, the same import succeeds
mkfifo lockfifo
sqlite3 "$ONTRACK_DB" < lockfifo > /dev/null 2>&1 &
LP=$!
exec 7>lockfifo
echo "BEGIN IMMEDIATE;" >&7
for _ in $(seq 50); do # until the lock is held
    sqlite3 "$ONTRACK_DB" ".timeout 0" "BEGIN IMMEDIATE; ROLLBACK;" 2>/dev/null || break
    sleep 0.1
done
printf 'series,period,value\nlk.x,2023-01,1\n' > lk.csv
run 75 import lk.csv
has_err "database is locked"
eq "$(sql "SELECT count(*) FROM series WHERE key = 'lk.x'")" 0 "series written while locked"
echo "ROLLBACK;" >&7
exec 7>&-
wait "$LP"
run 0 import lk.csv
has_out "imported 1 file: 1 row, 1 new"
# a vintage column saved from a spreadsheet's date cells carries a time of
# day: the day is the vintage
printf 'series,period,value,vintage\nvt.x,2023-01,1,2023/10/20 0:00\nvt.x,2023-02,2,2023-10-21 00:00:00\n' > vt.csv
run 0 import vt.csv
eq "$(sql "SELECT group_concat(vintage) FROM observations WHERE key = 'vt.x'")" "2023-10-20,2023-10-21" "vintages"
# a year to date through a quarter's last month (2023年1-6月, as a county's
# monthly table gives GDP) in a quarterly series is through that quarter;
# through December in a yearly series, the year; another month stays an error
printf 'series,name,freq\nqy.gdp,地区生产总值,Q\nqy.y,全年,Y\n' > qym.csv
printf 'series,period,value,measure\nqy.gdp,2023年1-3月,100,ytd\nqy.gdp,2023年1-6月,8.1,ytd_yoy\nqy.gdp,2023-09,330,ytd\nqy.y,2023年1-12月,5.2,ytd_yoy\n' > qyd.csv
run 0 import qym.csv qyd.csv
run 0 show qy.gdp
out_line 4 "2023Q1  100"
out_line 5 "2023Q2           8.1"
out_line 6 "2023Q3  330"
run 0 show qy.y
out_line 4 "2023        5.2"
printf 'series,period,value,measure\nqy.gdp,2023年1-5月,150,ytd\n' > qy5.csv
run 65 import qy5.csv
has_err "qy5.csv:2:2: qy.gdp is quarterly; found the monthly period 2023-05 ('2023年1-5月'): one series holds one frequency"
# a target's year as Chinese documents write it
printf 'series,year,kind,op,value,label\nty.gdp,2023年,growth,>=,7.5,甲\nty.gdp,2024年度,growth,>=,7,乙\nty.gdp,23年,growth,>=,7,丙\n' > ty.csv
run 65 import ty.csv
has_err "ty.csv:4:2: expected a year such as 2023, found '23年'"
sed -i '$d' ty.csv
run 0 import ty.csv
eq "$(sql "SELECT group_concat(year) FROM (SELECT year FROM targets WHERE series = 'ty.gdp' ORDER BY year)")" "2023,2024" "target years"
# a January of its own given with a later vintage than a January-February
# release, without February's own figure, would never be read (the
# combined release covers it while it is February's latest): refused at
# its row, in the same file or a later import; with February's own figure
# beside it (a split), taken
printf 'series,period,value,vintage\njl.a,2023年1-2月,10,2023-03-15\njl.a,2023-01,4,2023-04-15\n' > jl1.csv
run 65 import jl1.csv
has_err "jl1.csv:3:2: jl.a value: January 2023 (vintage 2023-04-15) would never be read: the January–February figure of vintage 2023-03-15 covers it; give February's own figure of the same vintage with it (a split of the combined release), or leave it out"
printf 'series,period,value,vintage\njl.a,2023年1-2月,10,2023-03-15\n' > jl2.csv
run 0 import jl2.csv
printf 'series,period,value,vintage\njl.a,2023-01,4,2023-04-15\n' > jl3.csv
run 65 import jl3.csv
has_err "jl3.csv:2:2: jl.a value: January 2023 (vintage 2023-04-15) would never be read"
printf 'series,period,value,vintage\njl.a,2023-01,4,2023-04-15\njl.a,2023-02,6,2023-04-15\n' > jl4.csv
run 0 import jl4.csv
run 0 show jl.a
out_line 4 "2023-01      4"
out_line 5 "2023-02      6"
done_ok
