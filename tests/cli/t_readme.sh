#!/usr/bin/env bash
# The README's examples: after the Quick start's flagship run, every command of
# "Using it" and its Lua example run as written (in a copy of the tree's
# scripts and datasets, so job reports land in the temporary directory).
. "$SRC/tests/cli/lib.sh"

cp -r "$SRC/datasets" "$SRC/scripts" .
ontrack() { "$ONTRACK" "$@"; }
unset ONTRACK_DB   # the README uses the default ./ontrack.db

run 0 run scripts/yiwu_2023.lua
has_out "地区生产总值增长7.5%以上"

# the ```sh block under "## Using it", each line on its own
awk '/^## Using it/ {u = 1} u && /^```sh$/ {b = 1; next} b && /^```$/ {exit} b' "$SRC/README.md" > using.sh
[ "$(grep -c '^ontrack ' using.sh)" -ge 8 ] || fail "README: the 'Using it' commands were not found"
while IFS= read -r line; do
    cmd=${line%%#*}
    [ -n "${cmd// }" ] || continue
    NCHECK=$((NCHECK + 1))
    OUT=$(eval "$cmd" 2>&1 </dev/null) || fail "README command failed: $cmd"
done < using.sh
[ -s report.html ] || fail "README: report.html was not written"
ls scripts/jobs/reports/yiwu-monthly-*.json >/dev/null 2>&1 || fail "README: the job wrote no report"

# the ```lua block
awk '/^```lua$/ {b = 1; next} b && /^```$/ {exit} b' "$SRC/README.md" > readme.lua
run 0 run readme.lua
has_out "on_track"
done_ok
