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
has_err "no/such/dir/x.db: cannot open the database: No such file or directory"
run 74 --db "$T" series
has_err "cannot open the database: Is a directory"
as_nobody
if [ "${AS[0]:-}" != skip ]; then
    mkdir rodir && chmod 555 rodir
    OUT=$("${AS[@]}" "$ONTRACK" --db rodir/x.db init 2>&1); CODE=$?
    eq "$CODE" 74 "init in a folder that cannot be written"
    grep -qF "rodir/x.db: cannot open the database: Permission denied" <<<"$OUT" || fail "read-only folder: $OUT"
fi
done_ok
