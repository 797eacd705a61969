#!/usr/bin/env bash
# Outputs (docs/reliability.md): success is never reported on output that was
# lost (every command's standard output checked in one place, exit 74);
# numbers are written the same whatever locale a script asks for; a failed
# report names its file and the reason; temporary files a killed job run left
# are removed by the next run of that job, and nothing else.
. "$SRC/tests/cli/lib.sh"
D="$SRC/datasets"
run 0 import "$D/series.csv" "$D/china/china_monthly_nbs.csv" "$D/zhejiang/zhejiang.csv" \
    "$D/yiwu/yiwu.csv" "$D/yiwu/targets_2023.csv"
mkdir jobs
echo 'return {name = "m", targets = {year = 2023}, paths = 200, outputs = {"out/{job}-{as_of}.csv"}}' > jobs/m.lua
run 0 job run jobs/m.lua --as-of 2023-10-31 --quiet

# ---- a full disk: every command that prints ----------------------------------
full() { # full ARGS...: ontrack ARGS > /dev/full must exit 74 and say why
    "$ONTRACK" "$@" > /dev/full 2>"$T/.err"; CODE=$?; ERR=$(cat "$T/.err"); NCHECK=$((NCHECK + 1))
    [ "$CODE" = 74 ] || fail "ontrack $* > /dev/full exited $CODE, expected 74"
    grep -qE "No space left on device|cannot write" <<<"$ERR" || fail "ontrack $* > /dev/full: $ERR"
}
full series
full show yiwu.gdp
full targets
full job history
full job show 1
full project --as-of 2023-10-31 --paths 200
full project --as-of 2023-10-31 --paths 200 --json
full backtest --method rwsd --paths 200 --years 2021
full report 1
full --version
echo 'print("x")' > p.lua
full run p.lua
# and the same commands succeed on a working output
run 0 series
run 0 show yiwu.gdp

# ---- report -o names the file and the reason -----------------------------------
run 74 report 1 -o /proc/version
has_err "/proc/version: "

# ---- report -o on a full disk keeps the file it would replace -----------------
# It writes a temporary file beside FILE and renames it over FILE only when the
# whole report is written: a small tmpfs filled up, the old report stays.
if mkdir rfull && mount -t tmpfs -o size=256k tmpfs rfull 2>/dev/null; then
    trap 'umount "$T/rfull" 2>/dev/null; rm -rf "$T"' EXIT
    echo "the old report" > rfull/r.html
    dd if=/dev/zero of=rfull/fill bs=4k 2>/dev/null
    run 74 report 1 -o rfull/r.html
    eq "$(cat rfull/r.html)" "the old report" "report -o on a full disk: the old file"
    has_err "rfull/r.html: write error: No space left on device"
    eq "$(ls -A rfull | tr '\n' ' ')" "fill r.html " "report -o on a full disk: no temporary file left"
    rm rfull/fill
    run 0 report 1 -o rfull/r.html
    grep -q "<html" rfull/r.html || fail "report -o once there is room"
    umount rfull
else
    echo "SKIP report -o on a full disk: cannot mount a tmpfs here (needs root and CAP_SYS_ADMIN)"
fi

# ---- numbers whatever locale a script asks for --------------------------------------
LOC="$T/locales"
if mkdir "$LOC" && localedef -i de_DE -f UTF-8 "$LOC/de_DE.UTF-8" 2>/dev/null; then
    export LOCPATH="$LOC"
    cat > jobs/loc.lua <<'LUA'
local ok, err = pcall(os.setlocale, "de_DE.UTF-8", "numeric")
assert(not ok and err:find('the numeric locale stays "C"', 1, true), err)
assert(os.setlocale("de_DE.UTF-8"))          -- the other categories change
assert(tostring(1.5) == "1.5" and string.format("%.2f", 2.25) == "2.25")
LUA
    echo 'return {name = "loc", targets = {year = 2023}, paths = 200, scripts = {"loc.lua"}, outputs = {"out/loc.csv"}}' > jobs/locjob.lua
    run 0 job run jobs/locjob.lua --as-of 2023-10-31 --quiet
    cmp -s jobs/out/loc.csv jobs/out/m-2023-10-31.csv || fail "a script's locale changed the job's CSV"
    grep -q '[0-9],[0-9][0-9]*,' jobs/out/loc.csv && ! grep -q '\.[0-9]' jobs/out/loc.csv && fail "decimal commas"
    echo 'os.setlocale("de_DE.UTF-8", "all"); print(2.5)' > loc2.lua
    run 0 run loc2.lua
    eq "$OUT" "2.5" "print after os.setlocale all"
    unset LOCPATH
else
    echo "SKIP locale: cannot build de_DE.UTF-8 with localedef"
fi

# ---- temporary files of a killed run ------------------------------------------------
touch -d '1 hour ago' jobs/out/.m-2023-10-31.csv.Ab12Cd jobs/out/.m-2023-09-30.csv.zz99ZZ
touch jobs/out/.other.csv.Ab12Cd jobs/out/.m-2023-10-31.csv.toolong1 jobs/out/keep.csv
mkdir jobs/out/.m-x.csv.dir123
run 0 job run jobs/m.lua --as-of 2023-10-31
has_err "removed jobs/out/.m-2023-10-31.csv.Ab12Cd, left by a run that did not finish"
[ ! -e jobs/out/.m-2023-10-31.csv.Ab12Cd ] && [ ! -e jobs/out/.m-2023-09-30.csv.zz99ZZ ] \
    || fail "stale temporary files left"
for f in .other.csv.Ab12Cd .m-2023-10-31.csv.toolong1 keep.csv .m-x.csv.dir123 m-2023-10-31.csv; do
    [ -e "jobs/out/$f" ] || fail "jobs/out/$f was removed"
done
done_ok
