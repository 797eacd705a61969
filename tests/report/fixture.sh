# fixture.sh — a stored run for the report tests (sourced after tests/cli/lib.sh).
#
# Imports the bundled Yiwu 2023 data and targets plus one hostile target whose
# label and series name are `<script>alert(1)</script>` (quarterly ytd growth
# 2022: 5.0 5.5 6.0 6.2; 2023: 4.0 4.5), projects everything as known on
# 2023-10-31 (2000 paths, seed 1) and records them as run 1 with a real
# `ontrack job run` of the same.  Leaves p.json (the projection JSON of
# `ontrack project` with the same options) in the current directory.
D="$SRC/datasets"
printf 'series,name,unit,freq,kind\nxss.s,<script>alert(1)</script>,%%,Q,flow\n' > xss_series.csv
printf 'series,period,value,measure\n' > xss.csv
for pv in 2022Q1,5.0 2022Q2,5.5 2022Q3,6.0 2022Q4,6.2 2023Q1,4.0 2023Q2,4.5; do
    printf 'xss.s,%s,ytd_yoy\n' "$pv" >> xss.csv
done
printf 'series,year,kind,op,value,label\nxss.s,2023,growth,>=,5,<script>alert(1)</script>\n' > xss_t.csv
run 0 import "$D/series.csv" "$D/china/china_monthly_nbs.csv" "$D/china/china_afan_macropage.csv" \
    "$D/zhejiang/zhejiang.csv" "$D/yiwu/yiwu.csv" "$D/yiwu/targets_2023.csv" \
    xss_series.csv xss.csv xss_t.csv
run 0 project --as-of 2023-10-31 --json --paths 2000
printf '%s' "$OUT" > p.json
# run 1: a real job run over every stored target, as `project` above; then
# its record's time, engine and data hash fixed so the source line is known
printf 'return {name = "yiwu_2023", targets = {}, as_of = "2023-10-31", paths = 2000, seed = 1}\n' \
    > fixture_job.lua
run 0 job run fixture_job.lua --quiet
sqlite3 "$ONTRACK_DB" <<'SQL' || fail "fixing run 1's record"
UPDATE runs SET started = '2023-10-31T08:00:00Z', finished = '2023-10-31T08:00:05Z',
  engine_version = 'test', data_hash = 'a1b2c3d4e5f60718' WHERE id = 1;
SQL
NTARGETS=$(sqlite3 "$ONTRACK_DB" "SELECT count(*) FROM projections WHERE run_id = 1")
[ "$NTARGETS" = 23 ] || fail "run 1 has $NTARGETS projections, expected 23"
