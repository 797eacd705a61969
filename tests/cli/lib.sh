# lib.sh — helpers for the end-to-end CLI tests (sourced by each t_*.sh).
#
# Each test runs in a fresh temporary directory with its own database
# ($ONTRACK_DB), calls the binary through `run CODE ARGS...`, which checks the
# exit code and keeps stdout in $OUT and stderr in $ERR, and then asserts on
# them.  The first failed assertion prints what was expected and what came,
# and exits 1, which fails the ctest case.
set -u
: "${ONTRACK:?set ONTRACK to the ontrack binary}"
: "${SRC:?set SRC to the source tree}"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T"
export ONTRACK_DB="$T/test.db"
export NO_COLOR=1
OUT= ERR= CODE=
NCHECK=0

fail() {
    echo "FAIL: $*" >&2
    echo "--- stdout:" >&2; printf '%s\n' "$OUT" >&2
    echo "--- stderr:" >&2; printf '%s\n' "$ERR" >&2
    exit 1
}

# run EXPECTED_CODE ARGS...: runs ontrack ARGS, checks the exit code.
run() {
    local want=$1; shift
    OUT=$("$ONTRACK" "$@" 2>"$T/.err"); CODE=$?
    ERR=$(cat "$T/.err")
    NCHECK=$((NCHECK + 1))
    [ "$CODE" = "$want" ] || fail "ontrack $* exited $CODE, expected $want"
}

# has_out TEXT / has_err TEXT: the output contains TEXT (fixed string).
has_out() { NCHECK=$((NCHECK + 1)); grep -qF -- "$1" <<<"$OUT" || fail "stdout lacks: $1"; }
has_err() { NCHECK=$((NCHECK + 1)); grep -qF -- "$1" <<<"$ERR" || fail "stderr lacks: $1"; }
lacks_out() { NCHECK=$((NCHECK + 1)); ! grep -qF -- "$1" <<<"$OUT" || fail "stdout has: $1"; }
# out_line N TEXT: line N of stdout is exactly TEXT.
out_line() {
    NCHECK=$((NCHECK + 1))
    local got; got=$(sed -n "${1}p" <<<"$OUT")
    [ "$got" = "$2" ] || fail "stdout line $1 is '$got', expected '$2'"
}
# sql QUERY: prints the result of a query on the test database.
sql() { sqlite3 "$ONTRACK_DB" "$1"; }
# eq GOT WANT WHAT
eq() { NCHECK=$((NCHECK + 1)); [ "$1" = "$2" ] || fail "$3: got '$1', expected '$2'"; }

done_ok() { echo "ok: $NCHECK checks"; exit 0; }
# out_words N TEXT: line N of stdout, with runs of blanks squeezed, is TEXT.
out_words() {
    NCHECK=$((NCHECK + 1))
    local got; got=$(sed -n "${1}p" <<<"$OUT" | tr -s ' ')
    [ "$got" = "$2" ] || fail "stdout line $1 is '$got', expected '$2'"
}
# as_nobody: sets the array AS to the prefix that runs a command where file
# permissions bind: nothing for a user other than root; for root, setpriv as
# nobody (and $T opened to nobody); (skip) when neither is possible.
as_nobody() {
    AS=()
    [ "$(id -u)" -eq 0 ] || return 0
    if command -v setpriv >/dev/null && setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null; then
        AS=(setpriv --reuid=65534 --regid=65534 --clear-groups)
        chmod 755 "$T"
    else
        AS=(skip)
    fi
}
