#!/usr/bin/env bash
# ontrack report: a stored run (tests/report/fixture.sh) as CSV, JSON,
# Markdown and HTML; the JSON checked against docs/projection.schema.json;
# usage and failure exits.
. "$SRC/tests/cli/lib.sh"
. "$SRC/tests/report/fixture.sh"

# CSV: the documented header, one row per target, numbers as stored
run 0 report 1 --format csv
out_line 1 "target_id,label,series,year,kind,op,value,as_of,through,point,lo80,hi80,lo95,hi95,prob,required,carry,outcome,status,method,ref,ytd_growth,periods_left,notes,tolerance,known_on,vintage"$'\r'
eq "$(wc -l <<<"$OUT")" 24 "CSV lines (header + 23 targets)"
printf '%s\n' "$OUT" > r.csv
# GDP: Jan–Sep +8.7% (published 2023-10-24), one quarter left, carried to 8.7
eq "$(sed -n 2p r.csv | cut -d, -f2-9)" "地区生产总值增长7.5%以上,yiwu.gdp,2023,growth,>=,7.5,2023-10-31,2023Q3" "GDP row"
# (on track: carried on with the national GDP's record of carry-forward errors
# at Q3, x2, the range stays above 7.5)
eq "$(sed -n 2p r.csv | cut -d, -f17,19,22,23)" "8.7,on_track,8.7,1" "GDP carry-forward, status, ytd, periods left"
eq "$(sed -n 2p r.csv | cut -d, -f1)" "$(sqlite3 "$ONTRACK_DB" "SELECT id FROM targets WHERE series = 'yiwu.gdp'")" "GDP target id"
# no tolerance; the data as known on 2023-10-31, GDP's newest release read 2023-10-24
eq "$(sed -n 2p r.csv | awk -F, '{print $(NF-2) "," $(NF-1) "," $NF}' | tr -d '\r')" ",2023-10-31,2023-10-24" "GDP data version"
# the point is the stored one, printed with 10 significant digits
want=$(sqlite3 "$ONTRACK_DB" "SELECT printf('%.10g', point) FROM projections WHERE run_id = 1 AND label LIKE '地区生产总值%'")
eq "$(sed -n 2p r.csv | cut -d, -f10)" "$want" "GDP point"
# the hostile target: raw text in CSV; H1 +4.5% against 5%, two quarters
# left, s = 2/4 by rule of thumb: r* = (1.05 - 0.5 * 1.045) / 0.5 - 1 = 5.5%
eq "$(tail -n 1 r.csv | cut -d, -f2-9,16,19,22,23)" "<script>alert(1)</script>,xss.s,2023,growth,>=,5,2023-10-31,2023Q2,5.5,at_risk,4.5,2" "hostile row"

# JSON: valid against the schema; figures as stored
run 0 report 1 --format json
printf '%s' "$OUT" > doc.json
cp "$SRC/docs/projection.schema.json" schema.json
eq "$(sqlite3 :memory: < "$SRC/tests/report/validate.sql")" "" "schema violations"
eq "$(sqlite3 :memory: "SELECT json_array_length(readfile('doc.json'), '\$.projections')")" 23 "projections"
eq "$(sqlite3 :memory: "SELECT json_extract(readfile('doc.json'), '\$.as_of')")" 2023-10-31 "as_of"
eq "$(sqlite3 :memory: "SELECT json_extract(readfile('doc.json'), '\$.known_on') || ' ' || json_extract(readfile('doc.json'), '\$.vintage')")" "2023-10-31 2023-10-24" "known_on, vintage"
eq "$(sqlite3 :memory: "SELECT json_extract(readfile('doc.json'), '\$.projections[0].through')")" 2023Q3 "through"
eq "$(sqlite3 :memory: "SELECT json_extract(readfile('doc.json'), '\$.projections[0].vintage')")" 2023-10-24 "GDP's newest release read"
eq "$(sqlite3 :memory: "SELECT json_extract(readfile('doc.json'), '\$.projections[0].upper.\"95\"') = json_extract(readfile('p.json'), '\$.projections[0].upper.\"95\"')")" 1 "upper 95 as projected"
# the validator catches what it should: a wrong type, a bad enum, a missing member
sed -e '0,/"periods_left": 1/s//"periods_left": "1"/' -e '0,/"status": "on_track"/s//"status": "risky"/' \
    -e '0,/"carry": 8.7,/s//"carried": 8.7,/' doc.json > bad.json && mv bad.json doc.json
V=$(sqlite3 :memory: < "$SRC/tests/report/validate.sql")
grep -qF '$.projections[0]."periods_left": text, expected integer' <<<"$V" || fail "type violation not found: $V"
grep -qF '$.projections[0]."status": "risky" not in the enum' <<<"$V" || fail "enum violation not found: $V"
grep -qF '$.projections[0]."carry": missing' <<<"$V" || fail "missing member not found: $V"

# Markdown: the region and year in the title (from the series' names), the
# data's latest period and the day compiled, the summary paragraph naming the
# targets at risk, Chinese headings, the hostile label escaped, notes
# numbered, provenance last
run 0 report latest --format md
out_line 1 "# 义乌市2023年目标进度"
has_out "数据截至：2023年9月 · 编制日期：$(date +%Y年%-m月%-d日)"
has_out "共23项目标：3项有望达成，2项存在风险，0项偏离目标，18项尚无数据或未量化。需要关注：出口增速高于全省平均（存在风险，达标概率79%）；\<script\>alert(1)\</script\>（存在风险，达标概率43%）。"
# the data version says what to read again: the date the data were known on
# and the newest release among them (Yiwu's September figures, 2023-10-24)
has_out "技术信息：来源：运行 1（yiwu_2023），2023-10-31T08:00:00Z，数据哈希 a1b2c3d4e5f6，ontrack test · 数据版本：2023年10月31日已知的数据，最新发布于2023年10月24日"
has_out "| 目标 | 检验 | 数据期 | 累计增速 | 预测 | 80%区间 | 达标概率 | 所需增速 | 状态 |"
# escaped for Markdown (backslashes), not with HTML entities
has_out '| \<script\>alert(1)\</script\> | 增速 ≥ 5% | 2023年二季度 | 4.5% |'
lacks_out "<script>"
lacks_out "&lt;"
lacks_out "&gt;"
lacks_out "&amp;"
# a count target counts things (展会家次, 实训基地个数), not times: 数量, not 次数
has_out "| 组织参加境外展会500家次 | 数量 ≥ 500家次 |"
has_out "| 全年境外客商来义56万人次 | 数量 ≥ 56万人次 |"
has_out "| Chinagoods平台线上交易额500亿元 | 总量 ≥ 500亿元 |"
has_out "| 新增合作品牌1000个 | 数量 ≥ 1000个 |"
# a relative target names its series and its reference by their names
has_out "| 出口增速高于全省平均 | 义乌市出口总额增速高于浙江省出口总额增速 | 2023年9月 |"
# notes in Chinese, the series by name
has_out "按当前进度推算，区间依据该方法在国内生产总值2011-2019年截至三季度时的推算误差，按地方指标一般情况放大2.0倍；历史记录剔除2020-2022年"
# the note says the method already: it is not named again after it
lacks_out "（方法：按当前进度推算，区间取自国内生产总值的历史误差）"

# HTML to a file, format from the extension; English with --lang en
run 0 report 1 -o r.html
eq "$OUT" "" "nothing on stdout with -o"
# a chart per projected target; in place of it a line saying why for the
# targets without data for 2023 and the unquantified one
charted=$(sql "SELECT count(*) FROM projections WHERE run_id = 1 AND status NOT IN ('no_data', 'unquantified')")
nodata=$(sql "SELECT count(*) FROM projections WHERE run_id = 1 AND status = 'no_data'")
eq "$(sql "SELECT count(*) FROM projections WHERE run_id = 1 AND status = 'unquantified'")" 1 "unquantified targets"
eq "$((charted + nodata + 1))" 23 "targets"
eq "$(grep -o '<svg class="chart"' r.html | wc -l)" "$charted" "one chart per projected target"
eq "$(grep -o '<p class="nochart">2023年数据尚未发布，无图表</p>' r.html | wc -l)" "$nodata" "no-data lines"
eq "$(grep -o '<p class="nochart">目标未量化，无图表</p>' r.html | wc -l)" 1 "unquantified line"
eq "$(grep -c '<script' r.html)" 0 "script elements"
# the carry-forward's method in brief: its notes explain the range, once
grep -qF '<dt>方法</dt><dd>按当前进度推算</dd>' r.html || fail "html: the carry-forward method in brief"
grep -qF '区间取自国内生产总值的历史误差' r.html && fail "html: the carry range said twice"
eq "$(grep -o '&lt;script&gt;alert(1)&lt;/script&gt;' r.html | wc -l)" 6 "escaped label (overview, summary, heading, aria-label, title) and series name"
grep -qF '<html lang="zh-CN">' r.html || fail "not Chinese by default"
grep -qF '<span class="st st-risk">存在风险</span>' r.html || fail "status colour class"
run 0 report 1 --lang en --title 'Yiwu <2023>' -o r.htm
grep -qF '<html lang="en">' r.htm || fail "--lang en"
grep -qF '<h1>Yiwu &lt;2023&gt;</h1>' r.htm || fail "--title escaped"
grep -qF '>Required pace<' r.htm || fail "English headings"
eq "$(grep -o '<p class="nochart">no data published yet for 2023</p>' r.htm | wc -l)" "$nodata" "no-data lines in English"
grep -qF '<p class="nochart">target not quantified</p>' r.htm || fail "unquantified line in English"
grep -qF '<dt>Data vintage</dt><dd>as known on 2023-10-31; newest release read 2023-10-24</dd>' r.htm ||
    fail "the data version in English"
# each target's section: the newest release of its own data (GDP's Q3 on
# 2023-10-24; the hostile series' Q2, stored without a date, 2023-06-30 plus
# the quarterly lag of 20 days)
gdp=$(sed -n '/<code class="key">yiwu.gdp<\/code> ·/,/<\/section>/p' r.htm)
grep -qF '<dt>Data vintage</dt><dd>2023-10-24</dd>' <<<"$gdp" || fail "GDP's data version"
xss=$(sed -n '/<code class="key">xss.s<\/code> ·/,/<\/section>/p' r.htm)
grep -qF '<dt>Data vintage</dt><dd>2023-07-20</dd>' <<<"$xss" || fail "the hostile series' data version"
# a run cut at a period reads the vintages stored when it ran: the footer says
# that date and the cut, not the period alone (Yiwu publishes GDP for Q1 and
# Q3 only: the newest release through June is Q1's, on 2023-04-24)
printf 'return {name = "cut", targets = {year = 2023, series = "yiwu.gdp"}, as_of = "2023-06", paths = 100}\n' > cut_job.lua
run 0 job run cut_job.lua --quiet
newest=$(sql "SELECT date(max(vintage) * 86400, 'unixepoch') FROM obs")
newest_zh=$(sql "SELECT strftime('%Y', d) || '年' || (0 + strftime('%m', d)) || '月' || (0 + strftime('%d', d)) || '日' FROM (SELECT date(max(vintage) * 86400, 'unixepoch') AS d FROM obs)")
run 0 report latest --format md
has_out "数据版本：${newest_zh}已知的数据（截至2023年6月），最新发布于2023年4月24日"
run 0 report latest --format md --lang en
has_out "Data vintage: as known on ${newest} (through Jun 2023); newest release read 2023-04-24"

# a job as of "latest" reads the latest data: undated rows count from their
# period's end plus the release lag (June 2023 from July 15th), so the newest
# stored vintage (June 30th) alone would leave June unread.  2022: 101 a
# month, 2023: 102: ytd growth 102/101 - 1 = 0.990099 %
{
    printf 'series,period,value\n'
    for y in 2021 2022 2023; do
        for m in 01 02 03 04 05 06 07 08 09 10 11 12; do
            [ "$y$m" -gt 202306 ] || printf 'u.x,%s-%s,%s\n' "$y" "$m" "$((100 + ${y#20} - 21))"
        done
    done
} > u_data.csv
printf 'series,year,kind,op,value,label\nu.x,2023,growth,>=,1,u\n' > u_t.csv
printf 'return {name = "u", targets = {year = 2023}, as_of = "latest", paths = 100, outputs = {"u_out.csv", "u_out.md"}}\n' > u_job.lua
ONTRACK_DB="$T/u.db" run 0 import u_data.csv u_t.csv
ONTRACK_DB="$T/u.db" run 0 job run u_job.lua --quiet
eq "$(sed -n 2p u_out.csv | cut -d, -f8,9,17)" "2023-06,2023-06,0.9900990099" "as of latest: through June"
grep -qF "数据版本：2023年7月15日已知的数据（截至2023年6月），最新发布于2023年7月15日" u_out.md ||
    fail "the data version of a run as of latest on undated data"

# help, and the command in the list
run 0 report --help
out_line 1 "usage: ontrack report RUN [--format html|md|csv|json|txt] [-o FILE] [--lang zh|en]"
run 0 --help
has_out "  report    render a stored run as HTML, Markdown, CSV or JSON"

# ---- what the job stored is what report and job show print, field by field
# (run 1 was written by a real `job run`: tests/report/fixture.sh)
run 0 report 1 --format json
printf '%s' "$OUT" > r1.json
FIELDS="status point prob required carry outcome ytd_growth through periods_left paths method_fact.code method_fact.keys facts[0].code facts[1].code facts[0].y facts[0].keys"
for k in $(seq 0 22); do
    for f in $FIELDS; do
        # numbers to the 10 significant digits the JSON report keeps
        v="json_extract(x, '\$.$f')"
        fmt="CASE json_type(x, '\$.$f') WHEN 'real' THEN printf('%.9e', $v) ELSE $v END"
        got=$(sqlite3 :memory: "SELECT $fmt FROM (SELECT json_extract(readfile('r1.json'), '\$.projections[$k]') AS x)")
        want=$(sql "SELECT $fmt FROM (SELECT data AS x FROM projections WHERE run_id = 1 ORDER BY rowid LIMIT 1 OFFSET $k)")
        [ "$f" = through ] && want=$(sql "SELECT nullif(json_extract(data, '\$.latest'), '') FROM projections WHERE run_id = 1 ORDER BY rowid LIMIT 1 OFFSET $k")
        eq "$got" "$want" "report 1, projection $k, $f"
    done
done
# GDP: through, ytd, paths and periods left as projected, not patched from the chart
eq "$(sqlite3 :memory: "SELECT json_extract(readfile('r1.json'), '\$.projections[0].through') || ' ' ||
      json_extract(readfile('r1.json'), '\$.projections[0].ytd_growth') || ' ' ||
      json_extract(readfile('r1.json'), '\$.projections[0].paths') || ' ' ||
      json_extract(readfile('r1.json'), '\$.projections[0].periods_left')")" "2023Q3 8.7 2000 1" "GDP fields"
eq "$(sqlite3 :memory: "SELECT json_extract(readfile('r1.json'), '\$.projections') =
      json_extract(readfile('p.json'), '\$.projections')")" 1 "report 1 = the projection it stored"
run 0 job show 1
show=$OUT
run 0 report 1 --format txt --lang en
eq "$OUT" "$(sed -n '/^target /,$p' <<<"$show")" "job show 1 prints the status table of report 1"
grep -Eq '^地区生产总值增长7.5%以上 +growth >= 7.5% +2023Q3 +8.7% +8.7%' <<<"$OUT" || fail "text GDP row: through and ytd"
# the text report follows --lang like every format (Chinese by default)
run 0 report 1 --format txt
grep -Eq '^目标 +检验 +数据期 +累计增速 +预测 +80%区间 +达标概率' <<<"$OUT" || fail "zh text: headers"
grep -Eq '^地区生产总值增长7.5%以上 +增速 ≥ 7.5% +2023年三季度 +8.7% +8.7%' <<<"$OUT" || fail "zh text GDP row"

# ---- CSV: cells a spreadsheet would run are neutralised, --csv-raw keeps them
printf 'series,year,kind,op,value,label\nxss.s,2024,growth,>=,5,"=HYPERLINK(""http://x"")"\nxss.s,2024,growth,>=,6,-2+3\nxss.s,2024,growth,>=,-1.5,@SUM(A1)\n' > f_t.csv
run 0 import --format targets f_t.csv
printf 'return {name = "f", targets = {year = 2024}, as_of = "2023-10-31", paths = 100}\n' > f_job.lua
run 0 job run f_job.lua --quiet
F=$(sql "SELECT max(id) FROM runs")
run 0 report "$F" --format csv
has_out ",\"'=HYPERLINK(\"\"http://x\"\")\",xss.s,2024,growth,>=,5,"
has_out ",\"'-2+3\",xss.s,2024,growth,>=,6,"
has_out ",\"'@SUM(A1)\",xss.s,2024,growth,>=,-1.5,2023-10-31,"
run 0 report "$F" --format csv --csv-raw
has_out ",\"=HYPERLINK(\"\"http://x\"\")\",xss.s,2024,growth,>=,5,"
has_out ",-2+3,xss.s,2024,growth,>=,6,"
# numbers are never quoted or prefixed (the -1.5 above), whatever the locale
LC_ALL=C.UTF-8 run 0 report "$F" --format csv
has_out ",growth,>=,-1.5,2023-10-31,"

# errors
run 2 report
has_err "which run?"
run 2 report abc
has_err "RUN must be a run id (a whole number) or 'latest', got 'abc'"
run 2 report 1 --format pdf
has_err "--format: expected html, md, csv, json or txt, got 'pdf'"
# -o FILE: an extension that names no format is refused (no page saved as
# .pdf); a name without one is a page; --format decides over the name
run 2 report 1 -o "$T/r.pdf"
has_err "ontrack: report: -o $T/r.pdf: unsupported extension (supported: .html, .htm, .md, .csv, .json, .txt; or give --format)"
[ ! -e "$T/r.pdf" ] || fail "report -o r.pdf wrote a file"
run 0 report 1 -o "$T/plain"
eq "$(head -c 15 "$T/plain")" "<!DOCTYPE html>" "report -o plain (no extension)"
run 0 report 1 -o "$T/r.pdf.md"
eq "$(head -c 2 "$T/r.pdf.md")" "# " "report -o r.pdf.md"
run 0 report 1 --format md -o "$T/r.data"
eq "$(head -c 2 "$T/r.data")" "# " "report --format md -o r.data"
# on a terminal, without --format or -o, the text table rather than a page's
# source; piped (as everywhere above), the page
: "${PTYDRIVE:?set PTYDRIVE to the ptydrive binary}"
# (an expect of what never comes: ptydrive then prints all the terminal showed)
printf 'expect END-OF-RECORDING\n' > tty.txt
TTY=$("$PTYDRIVE" tty.txt "$ONTRACK" report 1 2>&1)
NCHECK=$((NCHECK + 1))
grep -qF -- "增速 ≥ 7.5%" <<<"$TTY" || fail "report 1 on a terminal did not print the table: $TTY"
NCHECK=$((NCHECK + 1))
! grep -qF -- "<!DOCTYPE" <<<"$TTY" || fail "report 1 on a terminal printed the page's source"
run 0 report 1
eq "$(head -c 15 <<<"$OUT")" "<!DOCTYPE html>" "report 1 to a pipe"
run 2 report 1 --lang fr
has_err "--lang: expected zh or en, got 'fr'"
run 66 report 99
has_err "no run 99"
# -o -: standard output, as without -o (not a file named "-")
run 0 report 1 --format md
MD=$OUT
run 0 report 1 --format md -o -
eq "$OUT" "$MD" "-o - writes to standard output"
[ ! -e ./- ] || fail "-o - wrote a file named '-'"
mkdir -p "$T/adir.html"
run 74 report 1 -o "$T/adir.html"
has_err "adir.html: is a folder, not a file"
run 74 report 1 -o "$T/no/such/dir/r.html"
has_err "no/such/dir/r.html: cannot create a temporary file: No such file or directory"
ONTRACK_DB="$T/empty.db" run 0 init
ONTRACK_DB="$T/empty.db" run 66 report latest
has_err "no runs stored"
# a failed run stored no projections: an error naming it (and the newest ok
# run of its job), not an empty report that exits 0
printf 'error("broken script")\n' > f_bad.lua
printf 'return {name = "f", targets = {year = 2024}, as_of = "2023-10-31", paths = 100, scripts = {"f_bad.lua"}}\n' > f_job2.lua
run 1 job run f_job2.lua --quiet
B=$(sql "SELECT max(id) FROM runs")
eq "$(sql "SELECT status FROM runs WHERE id = $B")" failed "the broken run"
run 66 report latest --format txt
has_err "run $B of job 'f' failed: it stored no projections to report (ontrack job show $B says more); run $F is the newest that finished ok"
lacks_out "目标"
run 66 report "$B" -o "$T/failed.html"
[ ! -e "$T/failed.html" ] || fail "a report file of a failed run"
# ---- docs/reports.md's text tables are what `ontrack project` prints on the
# bundled data (the files of datasets/manifest.csv), English then Chinese
DOCDB="$T/docs.db"
files=$(awk -F, 'NR > 1 {print "'"$SRC"'/datasets/" $1}' "$SRC/datasets/manifest.csv")
# shellcheck disable=SC2086
ONTRACK_DB="$DOCDB" run 0 import $files
ONTRACK_DB="$DOCDB" run 0 project --as-of 2023-10-31
EN=$OUT
ONTRACK_DB="$DOCDB" run 0 project --as-of 2023-10-31 --lang zh
ZH=$OUT
awk '!b && /^```text$/ {b = 1; k++; next} b && /^```$/ {b = 0; next}
     b && $0 != "…" {sub(/[[:space:]]+$/, ""); printf "%d\t%d\t%s\n", k, NR, $0}' \
    "$SRC/docs/reports.md" > doc_tables.txt
[ "$(cut -f1 doc_tables.txt | sort -u | tr '\n' ' ')" = "1 2 " ] ||
    fail "docs/reports.md: expected two text tables (English, Chinese)"
while IFS=$'\t' read -r k line text; do
    NCHECK=$((NCHECK + 1))
    if [ "$k" = 1 ]; then got=$EN; else got=$ZH; fi
    sed 's/[[:space:]]*$//' <<<"$got" | grep -qxF -- "$text" ||
        fail "docs/reports.md:$line shows what ontrack project did not print: $text"
done < doc_tables.txt
done_ok
