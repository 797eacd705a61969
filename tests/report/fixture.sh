# fixture.sh — a stored run for the report tests (sourced after tests/cli/lib.sh).
#
# Imports the bundled Yiwu 2023 data and targets plus one hostile target whose
# label and series name are `<script>alert(1)</script>` (quarterly ytd growth
# 2022: 5.0 5.5 6.0 6.2; 2023: 4.0 4.5), projects everything as known on
# 2023-10-31 (2000 paths, seed 1), and records the projections as run 1 with
# sqlite3 — the rows `ontrack job run` writes: one per target, in the order of
# `ontrack targets`, joined to the targets by position.  Leaves p.json (the
# projection JSON the run was made from) in the current directory.
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
# 2023-10-31 is day 19661 since 1970-01-01
sqlite3 "$ONTRACK_DB" <<'SQL' || fail "recording run 1"
INSERT INTO runs(id, job, started, finished, as_of, status, engine_version, data_hash)
  VALUES (1, 'yiwu_2023', '2023-10-31T08:00:00Z', '2023-10-31T08:00:05Z', 19661, 'ok', 'test',
          'a1b2c3d4e5f60718');
WITH t AS (SELECT id, row_number() OVER (ORDER BY year, id) - 1 AS k FROM targets)
INSERT INTO projections(run_id, target_id, label, as_of, point, lo80, hi80, lo95, hi95, prob,
                        required, carry, status, method, note)
SELECT 1, t.id, json_extract(j.value, '$.target.label'), 19661,
       json_extract(j.value, '$.point'), json_extract(j.value, '$.lower.80'),
       json_extract(j.value, '$.upper.80'), json_extract(j.value, '$.lower.95'),
       json_extract(j.value, '$.upper.95'), json_extract(j.value, '$.prob'),
       json_extract(j.value, '$.required'), json_extract(j.value, '$.carry'),
       json_extract(j.value, '$.status'), json_extract(j.value, '$.method'),
       json_extract(j.value, '$.notes')
FROM json_each(readfile('p.json'), '$.projections') AS j JOIN t ON t.k = j.key ORDER BY j.key;
SQL
NTARGETS=$(sqlite3 "$ONTRACK_DB" "SELECT count(*) FROM projections WHERE run_id = 1")
[ "$NTARGETS" = 23 ] || fail "run 1 has $NTARGETS projections, expected 23"
