#!/usr/bin/env bash
# docs/tutorial.md runs as written.
#
# Conventions of the tutorial (keep them when editing it):
# - every ```sh block is run, in document order, in one bash shell with
#   `set -e -o pipefail`, starting in the source tree (where the README's
#   commands run; the tutorial takes it as $ONTRACK_SRC from there) with the
#   ontrack under test first on PATH;
# - a fenced block (```lua, ```csv …) right after the line
#   `<!-- tutorial: write FILE -->` is written to FILE at that point;
# - every line of a ```text block is output the commands print: each must
#   appear as a whole line of the tutorial's standard output (trailing blanks
#   ignored), except lines that are just `…` (an elision);
# - other fenced blocks are not run.
. "$SRC/tests/cli/lib.sh"
DOC="$SRC/docs/tutorial.md"
unset ONTRACK_DB                       # the tutorial uses ./ontrack.db
unset ONTRACK_SRC                      # the tutorial finds the checkout itself
export TMPDIR="$T"                     # its mktemp -d lands inside $T
PATH="$(dirname "$ONTRACK"):$PATH"

# The script: one piece per block, each announcing its line in the document.
awk -v doc="docs/tutorial.md" '
    /^<!-- tutorial: write [^ ]+ -->$/ { pending = $4; next }
    !inblock && /^```/ {
        inblock = 1; lang = substr($0, 4); start = NR
        if (pending != "") {
            mode = "file"
            printf "OT_LINE=%d\ncat > %s <<'"'"'OT_TUTORIAL_EOF'"'"'\n", NR, pending
        } else if (lang == "sh") {
            mode = "sh"; printf "OT_LINE=%d\n", NR
        } else mode = "skip"
        pending = ""
        next
    }
    inblock && /^```$/ {
        if (mode == "file") print "OT_TUTORIAL_EOF"
        inblock = 0; next
    }
    inblock && (mode == "sh" || mode == "file") { print }
    !inblock && !/^[[:space:]]*$/ { pending = "" }
' "$DOC" > "$T/tutorial.sh"
# A file the tutorial writes is named where a reader sees it (the marker is an
# HTML comment, hidden on the rendered page): in the paragraph above it.
awk '
    /^<!-- tutorial: write [^ ]+ -->$/ {
        f = $4
        if (index(para == "" ? last : para, "`" f "`") == 0) { printf "%d\t%s\n", NR, f }
        next
    }
    /^[[:space:]]*$/ { if (!inblock && para != "") { last = para; para = "" } ; next }
    /^```/ { inblock = !inblock; para = ""; next }
    !inblock { para = para " " $0 }
' "$DOC" > "$T/unnamed.txt"
while IFS=$'\t' read -r line f; do
    fail "docs/tutorial.md:$line writes $f without naming it in the text above"
done < "$T/unnamed.txt"
NCHECK=$((NCHECK + 1))
nblocks=$(grep -c '^OT_LINE=' "$T/tutorial.sh")
[ "$nblocks" -ge 10 ] || fail "found only $nblocks runnable blocks in $DOC"

# Run it; a failing command names its block.
cat > "$T/run.sh" <<'EOF'
set -e -o pipefail
trap 'echo "tutorial: command failed (exit $?) in the block at docs/tutorial.md:$OT_LINE" >&2' ERR
. "$1"
EOF
(cd "$SRC" && bash "$T/run.sh" "$T/tutorial.sh" > "$T/out.txt" 2> "$T/err.txt")
CODE=$?
OUT=$(cat "$T/out.txt"); ERR=$(cat "$T/err.txt")
eq "$CODE" 0 "exit code of the tutorial's commands"

# The outputs shown in ```text blocks are what the commands printed.
sed 's/[[:space:]]*$//' "$T/out.txt" > "$T/out.trim"
awk '
    !inblock && /^```text$/ { inblock = 1; next }
    inblock && /^```$/ { inblock = 0; next }
    inblock { sub(/[[:space:]]+$/, ""); if ($0 != "…" && $0 != "") printf "%d\t%s\n", NR, $0 }
' "$DOC" > "$T/shown.txt"
[ -s "$T/shown.txt" ] || fail "no text blocks in $DOC"
while IFS=$'\t' read -r line text; do
    NCHECK=$((NCHECK + 1))
    grep -qxF -- "$text" "$T/out.trim" ||
        fail "docs/tutorial.md:$line shows output the commands did not print: $text"
done < "$T/shown.txt"
# The prose that reads the county's row quotes the figures the row printed.
row=$(grep -E '^社会消费品零售总额增长7\.5%以上 +growth' "$T/out.trim" | head -n 1)
[ -n "$row" ] || fail "the tutorial printed no row for the county's retail target"
read -r lo hi <<<"$(sed -E 's/.* ([0-9.]+)% \.\. ([0-9.]+)% .*/\1 \2/' <<<"$row")"
prose=$(tr '\n' ' ' < "$DOC" | grep -oE 'with an \*\*80% range\*\* of [0-9.]+% to [0-9.]+%')
eq "$prose" "with an **80% range** of $lo% to $hi%" "the 80% range docs/tutorial.md reads off the county's row"
for f in "year-to-date growth 7.2%" "full year 7.2%" "reaching 7.5% is 5%" "must grow 8.2%" "says 7.2%"; do
    NCHECK=$((NCHECK + 1))
    tr '\n' ' ' < "$DOC" | tr -s ' ' | sed 's/\*\*//g' | grep -qF -- "$f" || fail "docs/tutorial.md no longer says: $f"
done
grep -qE ' 7\.2% +7\.2% .* 5% +8\.2% +7\.2% +off track' <<<"$row" || fail "the county's row changed: $row"
done_ok
