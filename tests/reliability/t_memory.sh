#!/usr/bin/env bash
# --memory counts every allocation a script makes, the working memory of
# parallel projections (threads) included (docs/security.md, "Memory").
. "$SRC/tests/cli/lib.sh"
D="$SRC/datasets"
run 0 import "$D/series.csv" "$D/china/china_monthly_nbs.csv" "$D/zhejiang/zhejiang.csv" \
    "$D/yiwu/yiwu.csv" "$D/yiwu/targets_2023.csv"
peak() { # peak CODE ARGS...: runs ontrack, checks the code, sets KB to its peak RSS
    local want=$1; shift
    /usr/bin/time -o "$T/.kb" -f "%M" "$ONTRACK" "$@" >"$T/.out" 2>"$T/.err"; CODE=$?
    OUT=$(cat "$T/.out"); ERR=$(cat "$T/.err"); KB=$(tail -1 "$T/.kb"); NCHECK=$((NCHECK + 1))
    [ "$CODE" = "$want" ] || fail "ontrack $* exited $CODE, expected $want"
}
# two targets in parallel with 10 million paths each: hundreds of MB unbounded
cat > two.lua <<'LUA'
local ts = ot.db():targets{year = 2023}
ot.project({ts[1], ts[2]}, {paths = 1e7, as_of = "2023-10-31"})
LUA
peak 1 run --memory 32 two.lua
has_err "memory limit was reached"
[ "$KB" -lt 100000 ] || fail "two parallel projections under --memory 32 peaked at $KB KB"
# every 2023 target in parallel
cat > all.lua <<'LUA'
ot.project(ot.db():targets{year = 2023}, {paths = 2e6, as_of = "2023-10-31"})
LUA
peak 1 run --memory 32 all.lua
has_err "memory limit was reached"
[ "$KB" -lt 100000 ] || fail "all targets under --memory 32 peaked at $KB KB"
# and within the limit the same projections run (on every core)
cat > fits.lua <<'LUA'
local ps = ot.project(ot.db():targets{year = 2023}, {paths = 2000, as_of = "2023-10-31"})
print(#ps)
LUA
peak 0 run --memory 64 fits.lua
[ "$OUT" -gt 1 ] || fail "projections within the limit: $OUT"
done_ok
