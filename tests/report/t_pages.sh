#!/usr/bin/env bash
# The report page a bureau signs, in a real browser (headless Chromium):
# the zh and en pages of every bundled target plus a relative target (the
# fixture, tests/report/fixture.sh) and a crowded chart (target, required
# pace and projection within 0.5 points of each other).  Checks
# - in the DOM: the title with the region and year, 数据截至 the data's
#   latest period, the summary paragraph, the footer's provenance, the
#   relative target's test by the series' names, its chart in points;
# - the end-of-line labels of every chart, measured with getBBox by a page
#   script injected into a copy of the page: no two intersect, none runs
#   past the chart;
# - the zh page has no Latin word but the allow-list: series keys, the job's
#   name, the data hash, ontrack, and the words of the targets' own labels;
# - no console message; a screenshot of each page kept under
#   $REPORT_ARTIFACTS (CI keeps them);
# - printing: A4 portrait pages (pdfinfo), every chart's section shorter
#   than a page's printable height, so `break-inside: avoid` keeps it whole;
# - the Markdown and CSV of the same run carry no HTML escape.
# Exits 77 (skipped) without chromium or pdfinfo.
. "$SRC/tests/cli/lib.sh"

CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ] || ! command -v pdfinfo >/dev/null; then
    echo "SKIP: needs chromium and pdfinfo (Debian: apt-get install -y chromium poppler-utils)"
    exit 77
fi
. "$SRC/tests/report/fixture.sh"

# a crowded chart: quarterly ytd growth 2022 5.0 5.5 6.0 6.2, 2023 6.0 6.1
# 6.1; the target 6.1 % sits on the projection, the required pace and last
# year's end
printf 'series,name,unit,freq,kind\ncrowd.s,拥挤指标,%%,Q,flow\n' > crowd_series.csv
printf 'series,period,value,measure\n' > crowd.csv
for pv in 2022Q1,5.0 2022Q2,5.5 2022Q3,6.0 2022Q4,6.2 2023Q1,6.0 2023Q2,6.1 2023Q3,6.1; do
    printf 'crowd.s,%s,ytd_yoy\n' "$pv" >> crowd.csv
done
printf 'series,year,kind,op,value,label\ncrowd.s,2023,growth,>=,6.1,拥挤图表\n' > crowd_t.csv
run 0 import crowd_series.csv crowd.csv crowd_t.csv
printf 'return {name = "crowd", targets = {year = 2023, series = "crowd.s"}, as_of = "2023-10-31", paths = 2000, seed = 1}\n' > crowd_job.lua
run 0 job run crowd_job.lua --quiet
CROWD=$(sql "SELECT max(id) FROM runs WHERE job = 'crowd'")
read -r cp cr ct <<<"$(sql "SELECT printf('%.3f %.3f', point, required), 6.1 FROM projections WHERE run_id = $CROWD" | tr '|' ' ')"
awk -v p="$cp" -v r="$cr" -v t="$ct" 'BEGIN { d1 = p - t; d2 = r - t; exit !(d1 < 0.5 && d1 > -0.5 && d2 < 0.5 && d2 > -0.5) }' ||
    fail "the crowded case is not crowded: point $cp, required $cr, target $ct"

chrome() {
    local profile; profile=$(mktemp -d "$T/profile.XXXXXX")
    timeout 60 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
        --no-first-run --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$profile" "$@"
}

# A copy of page $1 with a script measuring it, its results in <pre id="m">:
# per chart the label boxes, pairs that intersect, boxes past the chart's
# width; per target section its height in CSS px at print width.
measure() {
    sed 's|</body>|<script>\
(function () {\
  var out = [], bad = 0, past = 0, labels = 0, tallest = 0;\
  document.querySelectorAll("svg.chart").forEach(function (svg) {\
    var w = svg.viewBox.baseVal.width, b = [];\
    svg.querySelectorAll("text.lab").forEach(function (t) { b.push(t.getBBox()); });\
    labels += b.length;\
    for (var i = 0; i < b.length; i++) {\
      if (b[i].x + b[i].width > w + 0.5 \|\| b[i].y < 0) past++;\
      for (var j = i + 1; j < b.length; j++)\
        if (b[i].x < b[j].x + b[j].width \&\& b[j].x < b[i].x + b[i].width \&\&\
            b[i].y < b[j].y + b[j].height \&\& b[j].y < b[i].y + b[i].height) bad++;\
    }\
  });\
  document.querySelectorAll("section.target").forEach(function (s) {\
    tallest = Math.max(tallest, s.getBoundingClientRect().height);\
  });\
  var pre = document.createElement("pre");\
  pre.id = "m";\
  pre.textContent = "labels=" + labels + " overlaps=" + bad + " past=" + past +\
    " tallest=" + Math.ceil(tallest);\
  document.body.appendChild(pre);\
})();\
</script></body>|' "$1" > "$2"
}

for lang in zh en; do
    run 0 report 1 --lang "$lang" -o "$lang.html"
    run 0 report "$CROWD" --lang "$lang" -o "crowd-$lang.html"
    for page in "$lang" "crowd-$lang"; do
        measure "$page.html" "m-$page.html"
        # the print width: A4 less 2 × 14 mm margins = 688 CSS px
        chrome --window-size=688,1200 --dump-dom "file://$T/m-$page.html" > "m-$page.dom" 2> m.log ||
            fail "chromium --dump-dom failed on $page: $(tail -3 m.log)"
        m=$(grep -o 'labels=[0-9]* overlaps=[0-9]* past=[0-9]* tallest=[0-9]*' "m-$page.dom")
        [ -n "$m" ] || fail "the measuring script did not run on $page"
        labels=${m#labels=}; labels=${labels%% *}
        [ "$labels" -ge 3 ] || fail "$page: only $labels end-of-line labels measured ($m)"
        eq "$(grep -o 'overlaps=[0-9]*' <<<"$m")" overlaps=0 "$page: intersecting label boxes ($m)"
        eq "$(grep -o 'past=[0-9]*' <<<"$m")" past=0 "$page: labels past the chart ($m)"
        tallest=${m##*tallest=}
        # A4's printable height: 297 - 2 × 14 mm = 269 mm = 1017 CSS px
        [ "$tallest" -lt 1017 ] || fail "$page: a target's section is $tallest px, taller than a page"
    done
    # the screenshot, the console logged: no message, no uncaught error
    chrome --enable-logging=stderr --v=0 --window-size=900,2400 --screenshot="$T/$lang.png" \
        "file://$T/$lang.html" 2> shot.log || fail "chromium --screenshot failed: $(tail -3 shot.log)"
    NCHECK=$((NCHECK + 1))
    ! grep -E 'CONSOLE|Uncaught' shot.log || fail "console messages while rendering $lang"
    chrome --enable-logging=stderr --v=0 --window-size=900,700 --screenshot="$T/crowd-$lang.png" \
        "file://$T/crowd-$lang.html" 2> shot.log || fail "chromium --screenshot failed: $(tail -3 shot.log)"
    if [ -n "${REPORT_ARTIFACTS:-}" ]; then
        mkdir -p "$REPORT_ARTIFACTS" && cp "$lang.png" "crowd-$lang.png" "$lang.html" "$REPORT_ARTIFACTS"/
    fi
    # printing: A4 portrait, more than one page, none wider than tall
    chrome --no-pdf-header-footer --print-to-pdf="$T/$lang.pdf" "file://$T/$lang.html" 2> pdf.log ||
        fail "chromium --print-to-pdf failed: $(tail -3 pdf.log)"
    info=$(pdfinfo "$lang.pdf")
    pages=$(awk '/^Pages:/ { print $2 }' <<<"$info")
    [ "$pages" -ge 3 ] && [ "$pages" -le 20 ] || fail "$lang: $pages pages printed"
    grep -qE '^Page size: +59[45]\.[0-9]+ x 841\.[0-9]+ pts \(A4\)' <<<"$info" ||
        fail "$lang: pages are not A4 portrait: $(grep 'Page size' <<<"$info")"
done

# the zh page: its title, the data's latest period, the paragraph, the footer
grep -qF '<h1>义乌市2023年目标进度</h1>' zh.html || fail "zh title with region and year"
grep -qF '<span class="through">数据截至：2023年9月</span>' zh.html || fail "数据截至 the data's latest period"
grep -qF "<span class=\"compiled\">编制日期：$(date +%Y年%-m月%-d日)</span>" zh.html || fail "编制日期"
grep -qF '<p class="overview">共23项目标：3项有望达成，2项存在风险，0项偏离目标，18项尚无数据或未量化。需要关注：出口增速高于全省平均（存在风险，达标概率79%）' zh.html ||
    fail "the summary paragraph"
grep -qF '<dt>来源</dt><dd>运行 1（yiwu_2023），2023-10-31T08:00:00Z，数据哈希 a1b2c3d4e5f6，ontrack test</dd>' zh.html ||
    fail "the provenance in the footer"
# the relative target: by the series' names, its chart in points
grep -qF '<td>义乌市出口总额增速高于浙江省出口总额增速</td>' zh.html || fail "relative test by names"
rel=$(awk '/<section class="target" id="t3">/,/<\/section>/' zh.html)
grep -qF '>目标 +0.0个百分点</text>' <<<"$rel" || fail "relative chart: target in points"
grep -q '>+[0-9.]*个百分点</text>' <<<"$rel" || fail "relative chart: projection in points"
! grep -q 'class="lab required"[^>]*>[^<]*%' <<<"$rel" || fail "relative chart: a label in %"
grep -qF '<td>Yiwu exports (yuan) growth above Zhejiang exports (yuan) growth</td>' en.html || fail "en relative test by names"
grep -qF '<h1>Progress towards the 2023 targets</h1>' en.html || fail "en title"

# no Latin word in the zh page but the allow-list (an ISO 8601 time is no word)
allow=$( { sql "SELECT key FROM series"; sql "SELECT label FROM targets" | grep -oE '[A-Za-z]+';
           printf '%s\n' yiwu_2023 ontrack test a1b2c3d4e5f6 a1b2c3d4e5f60718; } | sort -u)
words=$(awk '/<style>/ { skip = 1 } !skip { print } /<\/style>/ { skip = 0 }' zh.html |
        sed -e 's|<code class="key">[^<]*</code>||g' -e 's/<[^>]*>/ /g' -e 's/&[a-z#0-9]*;/ /g' \
            -e 's/[0-9]\{4\}-[0-9][0-9]-[0-9][0-9]T[0-9:]*Z//g' |
        grep -oE '[A-Za-z][A-Za-z0-9_.]*[A-Za-z0-9]|[A-Za-z]' | sed 's/\.$//' | sort -u)
stray=$(comm -23 <(printf '%s\n' "$words") <(printf '%s\n' "$allow"))
eq "$stray" "" "Latin words in the zh page outside the allow-list"

# Markdown and CSV: escaped for their own format, never with HTML entities
run 0 report 1 --format md -o r.md
run 0 report 1 --format csv -o r.csv
for f in r.md r.csv; do
    eq "$(grep -cE '&(lt|gt|amp|quot|#39);' "$f")" 0 "HTML escapes in $f"
done
grep -qF '<script>alert(1)</script>' r.csv || fail "the hostile label as it is in the CSV (quoted)"
done_ok
