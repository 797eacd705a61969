#!/usr/bin/env bash
# The README's examples: after the Quick start's flagship run, every command of
# "Using it" and its Lua example run as written (in a copy of the tree's
# scripts and datasets, so job reports land in the temporary directory).
. "$SRC/tests/cli/lib.sh"

cp -r "$SRC/datasets" "$SRC/scripts" .
mkdir build && ln -s "$ONTRACK" build/ontrack   # where the Quick start builds it
unset ONTRACK_DB   # the README uses the default ./ontrack.db

# the Quick start's own command, after its build
qs=$(awk '/^## Quick start/ {q = 1} q && /^```sh$/ {b = 1; next} b && /^```$/ {exit} b' "$SRC/README.md")
NCHECK=$((NCHECK + 1))
grep -qF '&& ./build/ontrack run scripts/yiwu_2023.lua' <<<"$qs" || fail "README: the Quick start does not end in the flagship run: $qs"
run 0 run scripts/yiwu_2023.lua
has_out "地区生产总值增长7.5%以上"

# the ```sh block under "## Using it", each line on its own
awk '/^## Using it/ {u = 1} u && /^```sh$/ {b = 1; next} b && /^```$/ {exit} b' "$SRC/README.md" > using.sh
[ "$(grep -c '^ontrack ' using.sh)" -ge 8 ] || fail "README: the 'Using it' commands were not found"
PATH=/usr/bin:/bin   # a new shell: no ontrack on PATH but what the README puts there
NCHECK=$((NCHECK + 1))
! command -v ontrack >/dev/null || fail "an ontrack is on PATH before the README's line"
while IFS= read -r line; do
    cmd=${line%%#*}
    [ -n "${cmd// }" ] || continue
    NCHECK=$((NCHECK + 1))
    case $cmd in
    export\ *) eval "$cmd" ;;   # in this shell, for the commands after it
    *) OUT=$(eval "$cmd" 2>&1 </dev/null) || fail "README command failed: $cmd" ;;
    esac
done < using.sh
NCHECK=$((NCHECK + 1))
[ "$(command -v ontrack)" = "$PWD/build/ontrack" ] || fail "README: its PATH line does not find build/ontrack"
[ -s report.html ] || fail "README: report.html was not written"
ls scripts/jobs/reports/yiwu-monthly-*.json >/dev/null 2>&1 || fail "README: the job wrote no report"

# every link of the README and the tutorial leads to a file or folder of the tree
for doc in README.md docs/tutorial.md; do
    dir=$(dirname "$SRC/$doc")
    grep -oE '\]\([^)#]+' "$SRC/$doc" | sed 's/^](//' | grep -v '^https\?:' | sort -u > links.txt
    [ -s links.txt ] || fail "$doc: no links found"
    while IFS= read -r link; do
        NCHECK=$((NCHECK + 1))
        [ -e "$dir/$link" ] || fail "$doc links to $link, which does not exist"
    done < links.txt
done
NCHECK=$((NCHECK + 1))
grep -qF '(scripts/examples/)' "$SRC/README.md" || fail "README: the examples are not listed"

# the ```lua block
awk '/^```lua$/ {b = 1; next} b && /^```$/ {exit} b' "$SRC/README.md" > readme.lua
run 0 run readme.lua
has_out "on_track"
done_ok
