#!/usr/bin/env bash
# Crafted databases (docs/security.md, "The database file"): a file changed
# outside ontrack gives a clear error, never a crash, a hang or gigabytes;
# a database in a folder the user cannot write can still be read.
. "$SRC/tests/cli/lib.sh"
printf 'series,period,value\nd.a,2023-01,1\nd.a,2023-02,2\n' > d.csv
run 0 --db good.db import d.csv
fresh() { rm -f c.db c.db-wal c.db-shm; cp good.db c.db; }
# within LIMIT_S CODE ARGS...: runs ontrack under a time limit and checks the code
within() {
    local lim=$1 want=$2; shift 2
    OUT=$(timeout "$lim" "$ONTRACK" "$@" 2>"$T/.err"); CODE=$?
    ERR=$(cat "$T/.err"); NCHECK=$((NCHECK + 1))
    [ "$CODE" != 124 ] || fail "ontrack $* hung (more than $lim s)"
    [ "$CODE" = "$want" ] || fail "ontrack $* exited $CODE, expected $want"
}

# ---- a NULL series key --------------------------------------------------------
fresh
sqlite3 c.db "PRAGMA writable_schema = ON;
  UPDATE sqlite_schema SET sql = replace(sql, 'key     TEXT NOT NULL UNIQUE', 'key TEXT UNIQUE')
  WHERE name = 'series';" 
sqlite3 c.db "INSERT INTO series(id, key) VALUES (99, NULL)"
echo 'print(#ot.db():keys())' > keys.lua
within 10 65 --db c.db run keys.lua
has_err "a series without a key: the database is damaged"
within 10 65 --db c.db series
has_err "a series without a key"

# ---- an observation far out of bounds -------------------------------------------
fresh
sqlite3 c.db "INSERT INTO obs(series_id, measure, freq, ord, vintage, value)
  SELECT id, 0, 'M', 2000000000, 19000, 9 FROM series WHERE key = 'd.a'"
/usr/bin/time -o "$T/.kb" -f "%M" timeout 10 "$ONTRACK" --db c.db show d.a >/dev/null 2>"$T/.err"
CODE=$?; ERR=$(cat "$T/.err")
[ "$CODE" = 65 ] || fail "show with ord 2e9 exited $CODE"
has_err "observations of 'd.a' out of bounds"
kb=$(tail -1 "$T/.kb")
[ "$kb" -lt 200000 ] || fail "show with ord 2e9 peaked at $kb KB"
# a vintage of 9.2e18 (UBSan: no signed overflow in the date arithmetic)
fresh
sqlite3 c.db "INSERT INTO obs(series_id, measure, freq, ord, vintage, value)
  SELECT series_id, 0, 'M', ord + 1, 9200000000000000000, 3 FROM obs ORDER BY ord DESC LIMIT 1"
for cmd in "series" "show d.a" "show d.a --as-of 2023-05-01"; do
    # shellcheck disable=SC2086
    within 20 0 --db c.db $cmd
done
echo 'local s = ot.db():series("d.a"); print(#s)' > vint.lua
within 10 0 --db c.db run vint.lua

# ---- recursive views and triggers: refused at open, never run ---------------------
loop="WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"
fresh
sqlite3 c.db "CREATE TRIGGER t_loop AFTER INSERT ON obs BEGIN SELECT ($loop); END;"
printf 'series,period,value\nd.b,2023-01,1\n' > d2.csv
for cmd in "series" "show d.a" "import d2.csv" "targets"; do
    # shellcheck disable=SC2086
    within 10 65 --db c.db $cmd
    has_err "the trigger 't_loop' is not one ontrack makes"
done
fresh
sqlite3 c.db "DROP VIEW observations; CREATE VIEW observations AS $loop;"
within 10 65 --db c.db series
has_err "the view 'observations' is not one ontrack makes"
fresh
sqlite3 c.db "ALTER TABLE series RENAME TO series_old; CREATE VIEW series AS SELECT * FROM series_old;"
within 10 65 --db c.db series
has_err "is not one ontrack makes"
fresh
sqlite3 c.db "CREATE VIEW extra AS $loop;"
within 10 65 --db c.db show d.a
has_err "the view 'extra' is not one ontrack makes"
# the untouched database still opens (and a table of the user's own is tolerated)
fresh
sqlite3 c.db "CREATE TABLE notes(x)"
within 10 0 --db c.db show d.a

# ---- a writable database in a folder the user cannot write ---------------------------
as_nobody
if [ "${AS[0]:-}" = skip ]; then
    echo "SKIP read-only folder: running as root without setpriv"
else
    mkdir rofolder
    cp good.db rofolder/r.db
    chmod 666 rofolder/r.db; chmod 555 rofolder
    echo 'print("keys", #ot.db():keys())' > rokeys.lua; chmod 644 rokeys.lua d2.csv
    run_as() {
        local want=$1; shift
        OUT=$("${AS[@]}" "$ONTRACK" "$@" 2>"$T/.err"); CODE=$?
        ERR=$(cat "$T/.err"); NCHECK=$((NCHECK + 1))
        [ "$CODE" = "$want" ] || fail "ontrack $* (read-only folder) exited $CODE, expected $want"
    }
    run_as 0 --db rofolder/r.db series
    has_out "d.a"
    run_as 0 --db rofolder/r.db show d.a
    run_as 0 --db rofolder/r.db run rokeys.lua
    has_out "keys	1"
    run_as 74 --db rofolder/r.db import d2.csv
    has_err "attempt to write a readonly database"
    chmod 755 rofolder
fi
done_ok
