#!/usr/bin/env bash
# Hostile input: every case gives exactly the documented outcome
# (docs/security.md, "Hostile data"): stored verbatim, or rejected with
# file:line:column and nothing written; a damaged, read-only or full database
# gives a clear error and exit 74 (or 65), never a crash, and loses nothing.
. "$SRC/tests/cli/lib.sh"

# ---- text stored verbatim ---------------------------------------------------
# quotes, SQL, HTML and (outside keys) tabs and newlines are data like any other
printf '%s\n' 'series,period,value,unit,source' \
    '"q.""quoted""",2023-01,1,"亿""元","a ""source"""' \
    "\"x'); DROP TABLE obs;--\",2023-01,2,u,\"'); DELETE FROM series;--\"" \
    '<b>h</b>,2023-01,3,<i>u</i>,"<script>alert(1)</script>"' > text.csv
printf 'm.tab,2023-01,4,"a\tb","line 1\nline 2"\n' >> text.csv
run 0 import text.csv
has_out "imported 1 file: 4 rows, 4 new"
eq "$(sql "SELECT count(*) FROM series")" 4 "series (no table was dropped)"
eq "$(sql "SELECT unit FROM series WHERE key = 'q.\"quoted\"'")" '亿"元' "unit with a quote"
eq "$(sql "SELECT source FROM observations WHERE key = 'q.\"quoted\"'")" 'a "source"' "source with quotes"
eq "$(sql "SELECT source FROM observations WHERE key = 'x''); DROP TABLE obs;--'")" \
   "'); DELETE FROM series;--" "SQL in a key and a source"
eq "$(sql "SELECT s.unit || '|' || o.source FROM observations o JOIN series s USING (key) WHERE key = '<b>h</b>'")" \
   '<i>u</i>|<script>alert(1)</script>' "HTML"
eq "$(sql "SELECT hex(source) FROM observations WHERE key = 'm.tab'")" \
   "$(printf 'line 1\nline 2' | od -An -tx1 | tr -d ' \n' | tr a-f A-F)" "a newline in a source"
run 0 show "x'); DROP TABLE obs;--"
out_line 1 "x'); DROP TABLE obs;--  u  [M]"
run 0 series '<b>'
has_out "<b>h</b>"

# the same names through Lua
cat > names.lua <<'EOF_LUA'
local db = ot.db()
local k = "x'); DROP TABLE obs;--"
assert(db:series(k)[1] == 2)
local s = ot.series{key = "l.\"q\"<i>", freq = "Y", start = 2020, values = {1, 2}}
db:put(s)
assert(db:series("l.\"q\"<i>")[2] == 2)
print("lua ok")
EOF_LUA
run 0 run names.lua
has_out "lua ok"

# a key and a label with quotes, a newline, a tab, a backslash and </script>
# come back exactly from JSON output (the projection of a stored target)
K='"j.""k""<b>"'
printf 'series,period,value\n%s,2022-01,100\n%s,2022-02,100\n%s,2023-01,110\n' "$K" "$K" "$K" > j.csv
printf 'series,year,kind,op,value,label\n%s,2023,growth,>=,5,"a ""label""\nline2\t</script>\\"\n' "$K" > jt.csv
run 0 import j.csv jt.csv
run 0 project --year 2023 --json
printf '%s' "$OUT" > p.json
eq "$(sqlite3 :memory: "SELECT json_valid(readfile('p.json'))")" 1 "JSON output is valid"
eq "$(sqlite3 :memory: "SELECT json_extract(readfile('p.json'), '\$.projections[0].target.series')")" \
   'j."k"<b>' "key in JSON"
eq "$(sqlite3 :memory: "SELECT hex(json_extract(readfile('p.json'), '\$.projections[0].target.label'))")" \
   "$(printf 'a "label"\nline2\t</script>\\' | od -An -tx1 | tr -d ' \n' | tr a-f A-F)" "label in JSON"

# ---- rejected with a location -----------------------------------------------
# control characters in a series key (each format), a NUL byte in any field
printf 'series,period,value\n"a\033[31mred",2023-01,1\n' > esc.csv
run 65 import esc.csv
has_err "esc.csv:2:1: expected a series key, found control character 0x1B"
printf 'series,period,value\nok.1,2023-01,1\n"a\nb",2023-01,1\n' > nl.csv
run 65 import nl.csv
has_err "nl.csv:3:1: expected a series key, found control character 0x0A"
printf 'period,"w\001",ok.w\n2023-01,1,2\n' > wide.csv
run 65 import wide.csv
has_err "wide.csv:1:2: expected a series key, found control character 0x01"
printf 'series,name\n"s\177",x\n' > meta.csv
run 65 import meta.csv
has_err "meta.csv:2:1: expected a series key, found control character 0x7F"
printf 'series,year,kind,op,value\n"t\tx",2023,growth,>=,5\n' > tgt.csv
run 65 import tgt.csv
has_err "tgt.csv:2:1: expected a series key, found control character 0x09"
printf 'series,period,value,source\nn.x,2023-01,1,"a\000b"\n' > nul.csv
run 65 import nul.csv
has_err "nul.csv:2:4: expected text, found a NUL byte"
# invalid UTF-8 in UTF-8 mode: the first bad byte, with the GBK hint
printf 'series,period,value,unit\nu.x,2023-01,1,"ab\377cd"\n' > bad8.csv
run 65 import bad8.csv
has_err "bad8.csv:2:4: expected UTF-8 text, found byte 0xFF (if the file is GBK or GB18030, import it with --encoding gbk)"
printf 'series,period,value\nu.y,2023-01,1\nu.y,2023-02,\300\n' > bad8b.csv
run 65 import bad8b.csv
has_err "bad8b.csv:3:3: expected UTF-8 text, found byte 0xC0"
eq "$(sql "SELECT count(*) FROM series")" 6 "series after the rejected files (4 + l.\"q\"<i> + j.\"k\"<b>)"

# a 10 MB field: rejected at its place, memory bounded (a 1 MiB cap per field)
{ printf 'series,period,value,source\nbig.x,2023-01,1,"'; head -c 10485760 /dev/zero | tr '\0' x; printf '"\n'; } > big.csv
run 65 import big.csv
has_err "big.csv:2:4: expected a field of at most 1048576 bytes, found a longer one"
if [ -x /usr/bin/time ]; then
    /usr/bin/time -o rss.txt -f %M "$ONTRACK" import big.csv >/dev/null 2>&1
    rss=$(tail -n 1 rss.txt)
    NCHECK=$((NCHECK + 1))
    [ "$rss" -lt 200000 ] || fail "import of a 10 MB field used $rss KB"
fi
# just under the cap is an ordinary source
{ printf 'series,period,value,source\nbig.y,2023-01,1,"'; head -c 1000000 /dev/zero | tr '\0' y; printf '"\n'; } > big2.csv
run 0 import big2.csv
eq "$(sql "SELECT length(source) FROM observations WHERE key = 'big.y'")" 1000000 "a 1 MB source"

# ---- a damaged database -----------------------------------------------------
printf 'series,period,value\nd.a,2023-01,1\nd.a,2023-02,2\n' > d.csv
printf 'series,period,value\nd.b,2023-01,1\n' > d2.csv
"$ONTRACK" --db good.db import d.csv >/dev/null || fail "import into good.db"
sqlite3 good.db 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
cp good.db trunc.db; truncate -s 3000 trunc.db
run 74 --db trunc.db series
has_err "trunc.db: database disk image is malformed"
run 74 --db trunc.db import d2.csv
has_err "database disk image is malformed"
cp good.db garbled.db
printf 'this is not an sqlite header, nor anything else' | dd of=garbled.db conv=notrunc 2>/dev/null
run 65 --db garbled.db show d.a
has_err "garbled.db: not an ontrack database (not an SQLite file, or one whose header is damaged)"
run 65 --db garbled.db import d2.csv
has_err "garbled.db: not an ontrack database"
echo "hello" > text.db
run 65 --db text.db series
has_err "text.db: not an ontrack database"
run 65 --db text.db run names.lua
has_err "not an ontrack database"

# 64 random bytes at 20 random places (seeded: the same places every run):
# every command ends with 0 (the damage missed what it reads), 65, 66 or 74,
# never a crash or a sanitizer report
D="$SRC/datasets"
"$ONTRACK" --db bundled.db import "$D/series.csv" "$D/yiwu/yiwu.csv" "$D/yiwu/targets_2023.csv" >/dev/null ||
    fail "import into bundled.db"
sqlite3 bundled.db 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
size=$(stat -c %s bundled.db)
RANDOM=9
for ((i = 1; i <= 20; i++)); do
    cp bundled.db hit.db
    off=$(( (RANDOM * 32768 + RANDOM) % size ))
    head -c 64 /dev/urandom | dd of=hit.db bs=1 seek=$off conv=notrunc 2>/dev/null
    for cmd in "series" "show yiwu.exports" "targets" "project --year 2023 --as-of 2023-10-31" "import d2.csv"; do
        # shellcheck disable=SC2086
        "$ONTRACK" --db hit.db $cmd >/dev/null 2>"$T/.err"; CODE=$?
        NCHECK=$((NCHECK + 1))
        case $CODE in
            0|65|66|74) ;;
            *) ERR=$(cat "$T/.err"); fail "ontrack $cmd on hit.db (64 bytes at $off garbled) exited $CODE" ;;
        esac
    done
    rm -f hit.db hit.db-wal hit.db-shm
done

# ---- a read-only database ---------------------------------------------------
# as root, permissions do not bind: run those commands as nobody (setpriv)
as_nobody
[ "${AS[0]:-}" != setpriv ] || chmod 644 d2.csv
if [ "${AS[0]:-}" = skip ]; then
    echo "SKIP read-only database: running as root without setpriv"
else
    run_as() {
        local want=$1; shift
        OUT=$("${AS[@]}" "$ONTRACK" "$@" 2>"$T/.err"); CODE=$?
        ERR=$(cat "$T/.err"); NCHECK=$((NCHECK + 1))
        [ "$CODE" = "$want" ] || fail "ontrack $* (read-only) exited $CODE, expected $want"
    }
    mkdir ro rodir
    cp good.db ro/r.db; chmod 444 ro/r.db
    cp good.db rodir/r.db; chmod 555 rodir
    for db in ro/r.db rodir/r.db; do
        run_as 74 --db $db import d2.csv
        has_err "attempt to write a readonly database"
        run_as 0 --db $db show d.a
        out_line 4 "2023-01      1"
        run_as 0 --db $db series
        has_out "d.a"
        eq "$(sqlite3 "file:$db?immutable=1" "SELECT count(*) FROM observations")" 2 "rows in $db"
    done
    chmod 755 rodir
fi

# ---- a full disk ------------------------------------------------------------
if mkdir full && mount -t tmpfs -o size=1m tmpfs full 2>/dev/null; then
    trap 'umount "$T/full" 2>/dev/null; rm -rf "$T"' EXIT
    "$ONTRACK" --db full/f.db import d.csv >/dev/null || fail "import into the small tmpfs"
    awk 'BEGIN { print "series,period,value"; for (i = 0; i < 40000; i++) printf "full.k%05d,2023-01,%d\n", i, i }' > many.csv
    run 74 --db full/f.db import many.csv
    has_err "database or disk is full"
    eq "$(sqlite3 full/f.db "PRAGMA integrity_check")" ok "integrity after a full disk"
    eq "$(sqlite3 full/f.db "SELECT count(*) FROM observations")" 2 "rows after a full disk"
    rm -f many.csv
    run 0 --db full/f.db show d.a
    umount full
else
    echo "SKIP full disk: cannot mount a tmpfs here (needs root and CAP_SYS_ADMIN)"
fi
done_ok
