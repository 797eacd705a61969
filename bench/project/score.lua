-- score.lua — the projection against the analyst's spreadsheet, per series and
-- as-of month (docs/methods-projection.md §8).
--
--   ontrack --db DB run bench/project/score.lua [METHOD] [KEY...]
--
-- For every series KEY (default: the bundled national series), every target
-- year Y from FIRST to LAST but the years in SKIP, and every as-of month
-- 3..9: projects the full-year growth from the data through that month and
-- compares it with the outcome (the projection on all the data):
--   * MAE of the point and of carry-forward;
--   * Brier score of the probabilities of meeting targets at last year's
--     growth and +/-2 points, and of the carry-plus-record baseline (carry
--     plus the series' own carry errors at the same month in earlier years,
--     at least 3 of them: P = 0.05 + 0.9 x share of carry + e >= T);
--   * coverage and mean width of the 80% range.
-- Only years with at least three earlier years of carry errors are scored
-- (so the baseline exists), as in notes/projection-quality.md.
-- Environment: FIRST (2012), LAST (2025), SKIP ("2020,2021"), PATHS (1000);
-- CELLS=1 also writes every scored target to standard error, one line each:
--   CELL,key,year,month,i,target,outcome,prob,baseline prob,met,point,carry,lower80,upper80
-- (i = 1..3: last year's growth -2, +0, +2), as bench/project/pooled.py reads them.
local method = arg[1] ~= "-" and arg[1] or nil
local keys = {}
for i = 2, #arg do keys[#keys + 1] = arg[i] end
if #keys == 0 then
  keys = {"china.gdp", "china.retail_sales", "china.exports_usd", "china.imports_usd",
          "china.budget_revenue", "china.fixed_asset_investment",
          "china.industrial_value_added"}
end
local FIRST = tonumber(os.getenv("FIRST") or "") or 2012
local LAST = tonumber(os.getenv("LAST") or "") or 2025
local PATHS = tonumber(os.getenv("PATHS") or "") or 1000
local CELLS = os.getenv("CELLS") == "1"
local skip = {}
for y in (os.getenv("SKIP") or "2020,2021"):gmatch("%d+") do skip[tonumber(y)] = true end

local function growth(key, y, v)
  return ot.target{series = key, year = y, kind = "growth", op = ">=", value = v}
end

local function project(t, as_of)
  return ot.project(t, {as_of = as_of, paths = PATHS, seed = 1, method = method})
end

local tot = {n = 0, mae = 0, mae_c = 0, nb = 0, brier = 0, brier_b = 0, cov = 0, width = 0}
local function add(a, b)
  for k, v in pairs(b) do a[k] = (a[k] or 0) + v end
end

print(string.format("%-30s %5s %4s %6s %6s %7s %7s %5s %6s", "series", "month", "n", "MAE",
                    "carry", "Brier", "base", "cov80", "width"))
for _, key in ipairs(keys) do
  -- outcomes and carry-forward of every year and month
  local out, carry = {}, {}
  for y = FIRST - 12, LAST do
    local p = project(growth(key, y, 0), "latest")
    if p.outcome and p.outcome == p.outcome then out[y] = p.outcome end
  end
  local per = {}
  for m = 3, 9 do
    local row = {n = 0, mae = 0, mae_c = 0, nb = 0, brier = 0, brier_b = 0, cov = 0, width = 0}
    carry[m] = {}
    for y = FIRST - 12, LAST do
      if out[y] and out[y - 1] then
        local as_of = string.format("%04d-%02d", y, m)
        local ts = {growth(key, y, out[y - 1] - 2), growth(key, y, out[y - 1]),
                    growth(key, y, out[y - 1] + 2)}
        local ps = y >= FIRST and not skip[y] and project(ts, as_of) or nil
        local c = ps and ps[2].carry or project(ts[2], as_of).carry
        carry[m][y] = c
        if ps and ps[2].point == ps[2].point and c == c then
          -- the baseline's errors: earlier years at the same month
          local errs = {}
          for z = y - 1, FIRST - 12, -1 do
            if carry[m][z] and out[z] and not skip[z] then errs[#errs + 1] = out[z] - carry[m][z] end
          end
          if #errs >= 3 then
            local G = out[y]
            row.n = row.n + 1
            row.mae = row.mae + math.abs(ps[2].point - G)
            row.mae_c = row.mae_c + math.abs(c - G)
            local lo, hi = ps[2].lower[80], ps[2].upper[80]
            row.cov = row.cov + ((G >= lo and G <= hi) and 1 or 0)
            row.width = row.width + (hi - lo)
            for i = 1, 3 do
              local T = ts[i].value
              local met = G >= T and 1 or 0
              local hit = 0
              for _, e in ipairs(errs) do if c + e >= T then hit = hit + 1 end end
              local pb = 0.05 + 0.9 * hit / #errs
              row.nb = row.nb + 1
              row.brier = row.brier + (ps[i].prob - met) ^ 2
              row.brier_b = row.brier_b + (pb - met) ^ 2
              if CELLS then
                io.stderr:write(string.format("CELL,%s,%d,%d,%d,%.3f,%.3f,%.4f,%.4f,%d,%.3f,%.3f,%.3f,%.3f\n",
                                              key, y, m, i, T, G, ps[i].prob, pb, met, ps[2].point, c,
                                              lo, hi))
              end
            end
          end
        end
      end
    end
    per[m] = row
  end
  local s = {n = 0, mae = 0, mae_c = 0, nb = 0, brier = 0, brier_b = 0, cov = 0, width = 0}
  for m = 3, 9 do
    local r = per[m]
    if r.n > 0 then
      print(string.format("%-30s %5d %4d %6.2f %6.2f %7.3f %7.3f %5.2f %6.2f", key, m, r.n,
                          r.mae / r.n, r.mae_c / r.n, r.brier / r.nb, r.brier_b / r.nb,
                          r.cov / r.n, r.width / r.n))
    end
    add(s, r)
  end
  if s.n > 0 then
    print(string.format("%-30s %5s %4d %6.2f %6.2f %7.3f %7.3f %5.2f %6.2f   <- series", key,
                        "3-9", s.n, s.mae / s.n, s.mae_c / s.n, s.brier / s.nb, s.brier_b / s.nb,
                        s.cov / s.n, s.width / s.n))
  end
  add(tot, s)
end
if tot.n > 0 then
  print(string.format("%-30s %5s %4d %6.2f %6.2f %7.3f %7.3f %5.2f %6.2f", "all", "3-9", tot.n,
                      tot.mae / tot.n, tot.mae_c / tot.n, tot.brier / tot.nb, tot.brier_b / tot.nb,
                      tot.cov / tot.n, tot.width / tot.n))
  print(string.format("MAE %.3f x carry; Brier %.3f x baseline", tot.mae / tot.mae_c,
                      tot.brier / tot.brier_b))
end
