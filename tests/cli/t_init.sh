#!/usr/bin/env bash
# ontrack init, --version, --help, usage errors and exit codes.
. "$SRC/tests/cli/lib.sh"

run 0 --version
has_out "ontrack "
run 0 --help
has_out "usage: ontrack [--db PATH] COMMAND"
run 2
has_err "usage: ontrack"
run 2 frobnicate
has_err "ontrack: unknown command 'frobnicate'"
run 2 init --bogus
has_err "ontrack: init: unknown option '--bogus'"

# init creates the database and sets the schema version; running it again is harmless
V=$(sed -n 's/^#define OT_STORE_SCHEMA_VERSION \([0-9]*\)$/\1/p' "$SRC/engine/store/store.h")
run 0 init
has_out "schema version $V"
eq "$(sql 'PRAGMA user_version')" "$V" "user_version"
eq "$(sql 'PRAGMA journal_mode')" wal "journal mode"
run 0 init
# --db after the command, and $ONTRACK_DB
run 0 init --db "$T/other.db"
[ -f "$T/other.db" ] || fail "--db other.db was not created"
# a read-only command on a database that does not exist: missing input
run 66 --db "$T/nope.db" targets
has_err "nope.db"
# every command has --help
for c in init import series show targets project run repl; do
    run 0 $c --help
    has_out "usage: ontrack"
done
# --db without its value is named as such, not as an unknown option
run 2 --db
has_err "option '--db' needs a value"
run 2 init --db
has_err "option '--db' needs a value"
# a database that cannot be opened says why: a missing folder (66), a folder
# given as the database (74), a folder that cannot be written (74)
run 66 --db "$T/no/such/dir/x.db" init
has_err "no/such/dir/x.db: cannot open the database: No such file or directory (its folder does not exist: create it first)"
[ ! -e "$T/no" ] || fail "a missing folder was created"
run 66 --db "$T/nope2.db" show x
has_err "nope2.db: cannot open the database: No such file or directory (no database there yet: 'ontrack init' or an import creates one)"
# a file that is not an ontrack database is refused (65) by every command and
# never written: text given as --db, an SQLite file of another program
printf 'series,period,value\nx,2023-01,1\n%0200d\n' 0 > notdb.db
cp notdb.db notdb.orig
for c in init series "show x" targets project "import notdb.orig" "revisions x" backtest "job history"; do
    run 65 --db notdb.db $c
    has_err "notdb.db: not an ontrack database (not an SQLite file, or one whose header is damaged); it was left as it is"
done
cmp -s notdb.db notdb.orig || fail "a file that is not a database was changed"
[ ! -e notdb.db-wal ] || fail "a WAL file was left beside a file that is not a database"
sqlite3 foreign.db "CREATE TABLE places(id INTEGER PRIMARY KEY, url TEXT); INSERT INTO places VALUES (1, 'x')"
cp foreign.db foreign.orig
run 65 --db foreign.db init
has_err "foreign.db: not an ontrack database (an SQLite file of another program: it has tables and no ontrack schema version); it was left as it is"
run 65 --db foreign.db series
cmp -s foreign.db foreign.orig || fail "another program's database was changed"
# an empty file is a database not yet made: init makes it
: > empty.db
run 0 --db empty.db init
has_out "schema version"
run 74 --db "$T" series
has_err "cannot open the database: Is a directory"
as_nobody
if [ "${AS[0]:-}" != skip ]; then
    mkdir rodir && chmod 555 rodir
    OUT=$("${AS[@]}" "$ONTRACK" --db rodir/x.db init 2>&1); CODE=$?
    eq "$CODE" 74 "init in a folder that cannot be written"
    grep -qF "rodir/x.db: cannot open the database: Permission denied" <<<"$OUT" || fail "read-only folder: $OUT"
    # a database file that is read-only on disk: reads work, a write exits 74
    # saying so, and the file is left as it was
    mkdir rodb && "$ONTRACK" --db rodb/r.db init >/dev/null && chmod 444 rodb/r.db && chmod 755 rodb
    printf 'series,period,value\nro.x,2023-01,1\n' > ro.csv && chmod 644 ro.csv
    cp rodb/r.db ro.orig
    OUT=$("${AS[@]}" "$ONTRACK" --db rodb/r.db series 2>&1); CODE=$?
    eq "$CODE" 0 "listing a read-only database"
    OUT=$("${AS[@]}" "$ONTRACK" --db rodb/r.db import ro.csv 2>&1); CODE=$?
    eq "$CODE" 74 "importing into a read-only database"
    grep -qF "rodb/r.db: recording an import: the database is read-only (attempt to write a readonly database) — check the permissions of the file and its folder" <<<"$OUT" ||
        fail "read-only database: $OUT"
    cmp -s rodb/r.db ro.orig || fail "a read-only database was changed"
fi
done_ok
