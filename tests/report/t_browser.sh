#!/usr/bin/env bash
# The HTML report in a real browser: headless Chromium parses the page of a
# stored run (tests/report/fixture.sh), draws it to a PNG and prints it to
# PDF.  Asserts one chart per projected target in the DOM (a line saying why
# for the others), a fan in each chart that has
# bands, the hostile label as text and never as a script element, no console
# message, a 1200×2000 screenshot, and A4 pages.  Exits 77 (skipped under
# ctest) when chromium is not installed: `apt-get install -y chromium
# fonts-noto-cjk` (the fonts only matter to the eye, for the Chinese labels).
. "$SRC/tests/cli/lib.sh"

CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ]; then
    echo "SKIP: chromium is not installed (Debian: apt-get install -y chromium fonts-noto-cjk)"
    exit 77
fi
. "$SRC/tests/report/fixture.sh"
run 0 report 1 -o r.html

# chromium FLAGS...: a fresh profile, no network services, no sandbox (CI
# containers run as root), 60 s at most
chrome() {
    local profile; profile=$(mktemp -d "$T/profile.XXXXXX")
    timeout 60 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
        --no-first-run --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$profile" "$@"
}

# the DOM after parsing: a chart per projected target, a line saying why in
# place of it for the other 23 - charted, the label as text in its four places
charted=$(sqlite3 "$ONTRACK_DB" "SELECT count(*) FROM projections WHERE run_id = 1 AND status NOT IN ('no_data', 'unquantified')")
[ "$charted" -ge 5 ] || fail "only $charted projected targets in the fixture"
chrome --dump-dom "file://$T/r.html" > dom.html 2> dom.log || fail "chromium --dump-dom failed: $(tail -3 dom.log)"
eq "$(grep -o '<svg class="chart"' dom.html | wc -l)" "$charted" "charts in the DOM"
eq "$(grep -o '<p class="nochart">' dom.html | wc -l)" $((23 - charted)) "no-chart lines in the DOM"
eq "$(grep -o '<script' dom.html | wc -l)" 0 "script elements in the DOM"
eq "$(grep -o '&lt;script&gt;alert(1)&lt;/script&gt;' dom.html | wc -l)" 6 "the hostile label (overview, table, heading, chart twice) and series name as text"
# a fan (95% and 80% bands) in every chart whose projection has bands: the
# projections with both 95% bounds, all of which have periods left
fans=$(sqlite3 "$ONTRACK_DB" "SELECT count(*) FROM projections WHERE run_id = 1 AND lo95 IS NOT NULL AND hi95 IS NOT NULL")
[ "$fans" -ge 5 ] || fail "only $fans projections with bands in the fixture"
eq "$(grep -o '<polygon class="band95"' dom.html | wc -l)" "$fans" "95% bands drawn"
eq "$(grep -o '<polygon class="band80"' dom.html | wc -l)" "$fans" "80% bands drawn"
eq "$(grep -o '<line class="target"' dom.html | wc -l)" $((2 * charted)) "target lines (plot + legend of each chart)"

# the screenshot, with the console logged: no message, no uncaught error
chrome --enable-logging=stderr --v=0 --window-size=1200,2000 --screenshot="$T/shot.png" \
    "file://$T/r.html" 2> shot.log || fail "chromium --screenshot failed: $(tail -3 shot.log)"
NCHECK=$((NCHECK + 1))
! grep -E 'CONSOLE|Uncaught' shot.log || fail "console messages while rendering"
eq "$(head -c 8 shot.png | od -An -tx1 | tr -d ' \n')" 89504e470d0a1a0a "PNG signature"
# IHDR: width and height, big-endian, at bytes 16..23
eq "$(od -An -tu1 -j16 -N8 shot.png | awk '{print $3*256+$4 "x" $7*256+$8}')" 1200x2000 "screenshot size"
[ "$(stat -c %s shot.png)" -gt 100000 ] || fail "screenshot suspiciously small ($(stat -c %s shot.png) bytes)"

# printing: A4 pages (210 × 297 mm = 595.3 × 841.9 pt, as Chromium rounds)
chrome --no-pdf-header-footer --print-to-pdf="$T/r.pdf" "file://$T/r.html" 2> pdf.log ||
    fail "chromium --print-to-pdf failed: $(tail -3 pdf.log)"
boxes=$(grep -a -o 'MediaBox \[[^]]*\]' r.pdf | sort -u)
eq "$(wc -l <<<"$boxes")" 1 "one page size"
awk '{w = $4; h = $5 + 0; exit !(w > 594 && w < 596.5 && h > 841 && h < 843)}' <<<"${boxes//]/}" ||
    fail "pages are not A4: $boxes"
pages=$(grep -a -c '/Type /Page\b' r.pdf)
[ "$pages" -ge 2 ] || fail "$pages pages printed"
if [ -n "${REPORT_KEEP:-}" ]; then cp shot.png r.html r.pdf "$REPORT_KEEP"/; fi
done_ok
