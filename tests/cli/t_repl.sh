#!/usr/bin/env bash
# ontrack repl: through a pipe, and through a pseudo-terminal as a person types.
. "$SRC/tests/cli/lib.sh"
: "${PTYDRIVE:?set PTYDRIVE to the ptydrive binary}"
export XDG_STATE_HOME="$T/state"
mkdir -p "$XDG_STATE_HOME"

# --- a pipe: statements run line by line; only results and errors print
OUT=$(printf '%s\n' 'x = 20 + 1' 'x * 2' 'function f(a)' '  return a + 1' 'end' 'f(x)' \
      'ot.series{key = "a", freq = "Y", start = 2020, values = {5, 6}}' | "$ONTRACK" repl 2>"$T/err")
CODE=$?; ERR=$(cat "$T/err")
eq "$CODE" 0 "exit code of a clean pipe"
out_line 1 42
out_line 2 22
out_line 3 "a  [Y flow, 2 values 2020..2021]"
out_line 4 "  2020  5"
OUT=$(printf '%s\n' 'error("boom")' 'print("after")' | "$ONTRACK" repl 2>"$T/err")
CODE=$?; ERR=$(cat "$T/err")
eq "$CODE" 1 "exit code after an error"
has_err "stdin:1: boom"
out_line 1 after
# an error longer than 1 KiB is printed whole, with its traceback
OUT=$(printf '%s\n' 'error(string.rep("y", 3000) .. " END")' | "$ONTRACK" repl 2>"$T/err")
ERR=$(cat "$T/err")
has_err "yyyyyyyy END"
has_err "stdin:1: in main chunk"
# an unfinished statement at the end of input is a syntax error
OUT=$(printf '%s\n' 'function g()' | "$ONTRACK" repl 2>"$T/err"); CODE=$?; ERR=$(cat "$T/err")
eq "$CODE" 1 "exit code of an unfinished statement"
has_err "'end' expected"
# an expression left open — a table typed alone over several lines, an
# operator at the end of a line — reads on, as a statement does; at the end
# of input it is a syntax error at <eof>
OUT=$(printf '%s\n' '{point = 8.7,' ' prob = 1}' '1 +' '2' 'x = "abc' 'print(x == nil)' '{a = 1' |
      "$ONTRACK" repl 2>"$T/err"); CODE=$?; ERR=$(cat "$T/err")
eq "$CODE" 1 "exit code of an open string and an unfinished table"
out_line 1 "{point = 8.7, prob = 1}"
out_line 2 3
out_line 3 true
has_err "stdin:1: unfinished string near '\"abc'"
has_err "stdin:1: '}' expected near <eof>"
lacks_err() { NCHECK=$((NCHECK + 1)); ! grep -qF -- "$1" <<<"$ERR" || fail "stderr has: $1"; }
lacks_err "unexpected symbol near '{'"

# a list of targets or projections prints one per line, numbered (a year's
# targets to pick from); a list with anything else stays a table
OUT=$(printf '%s\n' 'a = ot.target{series = "x.gdp", year = 2023, value = 7.5, label = "增长7.5%"}' \
      'b = ot.target{series = "x.ex", year = 2023, value = 5}' '{a, b}' '{a, 1}' '{a, k = 1}' |
      "$ONTRACK" repl 2>"$T/err"); CODE=$?; ERR=$(cat "$T/err")
eq "$CODE" 0 "exit code of lists"
out_line 1 "[1] x.gdp 2023: growth >= 7.5 (增长7.5%)"
out_line 2 "[2] x.ex 2023: growth >= 5"
out_line 3 "{x.gdp 2023: growth >= 7.5 (增长7.5%), 1}"
out_line 4 "{x.gdp 2023: growth >= 7.5 (增长7.5%), k = 1}"

# .help NAME takes the name as text: a quote or a backslash in it is part of
# the name (no help for it), never code; blanks after it do not count
OUT=$(printf '%s\n' '.help x") print("INJECTED") --' '.help lag\' '.help lag  ' |
      "$ONTRACK" repl 2>"$T/err"); CODE=$?; ERR=$(cat "$T/err")
eq "$CODE" 0 "exit code of .help with quotes"
! grep -qx INJECTED <<<"$OUT" || fail "the text after .help ran as code"
has_out "no help for 'x\") print(\"INJECTED\") --'"
has_out "no help for 'lag\\'"
has_out "### s:lag(k), s:lead(k)"

# --timeout stops a statement inside a long engine call (2000 ETS fits, ~10 s),
# and the session goes on with the next one
MK='L = {} for k = 1, 2000 do local v = {} for m = 1, 60 do v[m] = 50 + m + k + 3 * math.cos(m / 2 + k) end L[k] = ot.series{freq = "M", start = "2019-01", values = v} end'
start=$(date +%s)
OUT=$(printf '%s\n' "$MK" 'ms = ot.fit_many(L, "ets", {threads = 1})' 'print("after", ms)' \
      | "$ONTRACK" repl --timeout 0.5 2>"$T/err"); CODE=$?; ERR=$(cat "$T/err")
eq "$CODE" 1 "exit code after a statement over its time limit"
has_err "stdin:1: time limit exceeded inside an engine call"
out_line 1 "after	nil"
[ $(( $(date +%s) - start )) -lt 5 ] || fail "the engine call was not stopped at the time limit"

# --- a terminal
run 0 import "$SRC/datasets/series.csv" "$SRC/datasets/yiwu/yiwu.csv"

# docs/repl.md's pipe example prints what the page shows, on each stream
awk '/^## Pipes and here-documents/ {u = 1} u && /^```sh$/ {b = 1; next} b && /^```$/ {exit} b' \
    "$SRC/docs/repl.md" > pipe.sh
awk '/^## Pipes and here-documents/ {u = 1} u && /^```text$/ {b = 1; k++; next}
     b && /^```$/ {b = 0; if (k == 2) exit; next} b {print > ("shown" k ".txt")}' "$SRC/docs/repl.md"
[ -s pipe.sh ] && [ -s shown1.txt ] && [ -s shown2.txt ] || fail "docs/repl.md: the pipe example was not found"
OUT=$(PATH="$(dirname "$ONTRACK"):$PATH" bash pipe.sh 2>"$T/err"); CODE=$?; ERR=$(cat "$T/err")
eq "$CODE" 1 "exit code of docs/repl.md's pipe example"
eq "$OUT" "$(cat shown1.txt)" "docs/repl.md's pipe example, standard output"
eq "$ERR" "$(cat shown2.txt)" "docs/repl.md's pipe example, standard error"

# ot.compare typed alone prints its table once (the REPL does not print the
# result it returns again); with print = false the result is printed; a
# series prints readable digits
OUT=$(printf '%s\n' 't = ot.target{series = "yiwu.gdp", year = 2023, kind = "growth", op = ">=", value = 7.5}' \
    'sc = ot.scenario("s", function(s) s:shock("yiwu.gdp", -5, {from = "2023Q4", to = "2023Q4"}) end)' \
    'ot.compare({t}, {sc}, {paths = 200, seed = 1, as_of = "2023-10-31"})' \
    'ot.compare({t}, {sc}, {paths = 200, seed = 1, as_of = "2023-10-31", print = false})' \
    'ot.series{key = "x", freq = "M", start = "2023-01", values = {7.558139535, 1234.5, 10}}' |
    "$ONTRACK" repl 2>"$T/err")
eq "$(grep -c '^target ' <<<"$OUT")" 1 "the comparison table printed once"
eq "$(grep -c '^{{baseline = ' <<<"$OUT")" 1 "the result printed when the table was not"
has_out "  2023-01     7.6"
has_out "  2023-02  1234.5"

# ot.compare in Chinese: the header and the baseline in Chinese words, no English
OUT=$(printf '%s\n' 't = ot.target{series = "yiwu.gdp", year = 2023, kind = "growth", op = ">=", value = 7.5}' \
    'sc = ot.scenario("s", function(s) s:shock("yiwu.gdp", -5, {from = "2023Q4", to = "2023Q4"}) end)' \
    'ot.compare({t}, {sc}, {paths = 200, seed = 1, as_of = "2023-10-31", lang = "zh"})' |
    "$ONTRACK" repl 2>"$T/err")
has_out "基准"
grep -q 'baseline\|^target ' <<<"$OUT" && fail "the Chinese comparison table has English words"
cat > s1.txt <<'EOF2'
expect database
expect > 
send x = 21\r
send x * 2\r
expect 42
# a multi-line function continues on the >> prompt
send function f(a)\r
expect >> 
send return a + 1\r
send end\r
send f(x)\r
expect 22
# completion of a field, then of a method, then of a series key
send ot.ser\t
expect ot.series
send {key = "义乌.出口", name = "出口总额", freq = "M", start = "2023-01", values = {7}}\r
expect 出口总额
expect 2023-01  7
send db = ot.db()\r
send g = db:series("yiwu.gd\t
expect yiwu.gdp
send ", {measure = "ytd_yoy"})\r
send g:las\t
expect g:last
send ()\r
expect 7.5	2024Q4
# Ctrl-C interrupts an endless loop; the session keeps its variables
send while true do end\r
sleep 500
send \x03
expect interrupted
send x\r
expect 21
# Ctrl-C also stops a long engine call (2000 ETS fits)
send L = {} for k = 1, 2000 do local v = {} for m = 1, 60 do v[m] = 50 + m + k + 3 * math.cos(m / 2 + k) end L[k] = ot.series{freq = "M", start = "2019-01", values = v} end\r
send ms = ot.fit_many(L, "ets", {threads = 1})\r
sleep 500
send \x03
expect interrupted!
send x\r
expect 21
# Ctrl-C at the prompt drops the line
send nonsense here\x03
sleep 200
send x + 1\r
expect 22
send hist_marker = 1\r
send .quit\r
wait
EOF2
"$PTYDRIVE" s1.txt "$ONTRACK" repl > "$T/s1.log" 2>&1 || { cat "$T/s1.log"; fail "terminal session 1"; }
[ -s "$XDG_STATE_HOME/ontrack/history" ] || fail "no history file written"
grep -q "hist_marker = 1" "$XDG_STATE_HOME/ontrack/history" || fail "history lacks the last statement"

# a second session recalls the first one's history (Ctrl-P), and Ctrl-D leaves
cat > s2.txt <<'EOF2'
expect > 
send \x10
expect hist_marker = 1
send \r
send hist_marker + 1\r
expect 2
# type Ctrl-D at the prompt, not ahead of it (typed ahead, the terminal eats it)
expect > 
send \x04
wait
EOF2
"$PTYDRIVE" s2.txt "$ONTRACK" repl > "$T/s2.log" 2>&1 || { cat "$T/s2.log"; fail "terminal session 2"; }
NCHECK=$((NCHECK + 2))
# the multi-line function is one history entry: its three lines follow one timestamp mark
grep -A3 '^#[0-9]' "$XDG_STATE_HOME/ontrack/history" | grep -q -x 'return a + 1' ||
    fail "the multi-line statement is not one history entry"
[ "$(grep -B1 -x 'return a + 1' "$XDG_STATE_HOME/ontrack/history" | head -1)" = "function f(a)" ] ||
    fail "history entry lines out of order"

# Ctrl-D inside an unfinished statement: its syntax error, as lua says it
cat > s5.txt <<'EOF2'
expect > 
send function g(a)\r
expect >> 
send \x04
expect 'end' expected near <eof>
wait
EOF2
"$PTYDRIVE" s5.txt "$ONTRACK" repl > "$T/s5.log" 2>&1 || { cat "$T/s5.log"; fail "Ctrl-D inside a statement"; }
NCHECK=$((NCHECK + 1))

# the history's folder is made with the folders missing above it (mode 0700);
# a relative XDG_STATE_HOME is ignored (XDG Base Directory spec): nothing is
# written under the working directory, the history goes to $HOME
cat > s7.txt <<'EOF2'
expect > 
send hist7 = 1\r
send .quit\r
wait
EOF2
XDG_STATE_HOME="$T/fresh/state" "$PTYDRIVE" s7.txt "$ONTRACK" repl > "$T/s7.log" 2>&1 ||
    { cat "$T/s7.log"; fail "a session with a missing XDG_STATE_HOME"; }
grep -q "hist7 = 1" "$T/fresh/state/ontrack/history" || fail "no history under a missing XDG_STATE_HOME"
eq "$(stat -c %a "$T/fresh/state")" 700 "mode of the state folder made"
mkdir -p "$T/home" "$T/cwd"
(cd "$T/cwd" && HOME="$T/home" XDG_STATE_HOME=rel "$PTYDRIVE" "$T/s7.txt" "$ONTRACK" repl > "$T/s7.log" 2>&1) ||
    { cat "$T/s7.log"; fail "a session with a relative XDG_STATE_HOME"; }
[ -z "$(ls -A "$T/cwd")" ] || fail "a relative XDG_STATE_HOME wrote under the working directory"
grep -q "hist7 = 1" "$T/home/.ontrack_history" || fail "no history in \$HOME with a relative XDG_STATE_HOME"
NCHECK=$((NCHECK + 4))

# os.exit leaves the session through the host: history saved, the statement's
# writes kept (status 0)
cat > s6.txt <<'EOF2'
expect > 
send exit_marker = 1\r
send ot.db():put(ot.series{key = "x.repl_exit", freq = "Y", start = 2020, values = {1}}); os.exit(0)\r
wait
EOF2
"$PTYDRIVE" s6.txt "$ONTRACK" repl > "$T/s6.log" 2>&1 || { cat "$T/s6.log"; fail "os.exit in a terminal session"; }
NCHECK=$((NCHECK + 1))
grep -q "exit_marker = 1" "$XDG_STATE_HOME/ontrack/history" || fail "os.exit left without saving the history"
eq "$(sql "select count(*) from series where key = 'x.repl_exit'")" 1 "os.exit(0) keeps the statement's writes"
# piped: the exit code is os.exit's, the lines after it do not run, a status
# other than 0 rolls the statement's writes back
OUT=$(printf '%s\n' 'nosuch()' 'ot.db():put(ot.series{key = "x.repl_exit4", freq = "Y", start = 2020, values = {1}}); os.exit(4)' \
      'print("not run")' | "$ONTRACK" repl 2>"$T/err"); CODE=$?; ERR=$(cat "$T/err")
eq "$CODE" 4 "exit code of os.exit(4) in piped input"
lacks_out "not run"
eq "$(sql "select count(*) from series where key = 'x.repl_exit4'")" 0 "os.exit(4) rolls the statement's writes back"
OUT=$(printf '%s\n' 'nosuch()' 'os.exit()' | "$ONTRACK" repl 2>"$T/err"); CODE=$?
eq "$CODE" 0 "os.exit() after a failed statement exits 0, as lua does"
# also from the __tostring that prints a result (inside a table: printed by the REPL's repr)
OUT=$(printf '%s\n' '{setmetatable({}, {__tostring = function() os.exit(0) end})}' 'print("not run")' |
      "$ONTRACK" repl 2>"$T/err"); CODE=$?; ERR=$(cat "$T/err")
eq "$CODE" 0 "os.exit(0) from a __tostring printing a result"
eq "$OUT$ERR" "" "nothing printed after os.exit from a __tostring"

# colours on a colour terminal (the escapes arrive without their ESC byte)...
cat > s3.txt <<'EOF2'
expect [36m>
send error("red")\r
expect [31mstdin:1: red
send .quit\r
wait
EOF2
env -u NO_COLOR PTY_TERM=xterm "$PTYDRIVE" s3.txt "$ONTRACK" repl > "$T/s3.log" 2>&1 ||
    { cat "$T/s3.log"; fail "colour session"; }
# ...and none with NO_COLOR
cat > s4.txt <<'EOF2'
expect > 
send .quit\r
wait
EOF2
PTY_TERM=xterm "$PTYDRIVE" s4.txt "$ONTRACK" repl > "$T/s4.log" 2>&1 || { cat "$T/s4.log"; fail "NO_COLOR session"; }
! grep -q '\[36m' "$T/s4.log" || fail "colour despite NO_COLOR"
NCHECK=$((NCHECK + 3))
done_ok
