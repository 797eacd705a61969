-- sweep.lua -- a robustness sweep of ot.project (docs/methods-projection.md §14).
--
--   ontrack --db DB run bench/project/sweep.lua KEY:FREQ:FIRST:LAST ...
--
-- For the last ten years of each series (FREQ M, Q or Y; FIRST and LAST its first and last
-- year), as of months 1, 2, 3, 6, 9, 11, 12 (quarter ends, mid-year and December for Q and Y),
-- projects a growth floor and a growth ceiling at last year's growth and a level floor of 1000,
-- and prints a BAD line for each: an error raised, a point or probability that is not finite, a
-- range out of order, of zero width or wider than 100 points, a probability at odds with the
-- range and the operator, a status at odds with the shown probability, a pace above 1,000 %, a
-- projection slower than one second.  The specs come from `ontrack series`:
--   ontrack --db DB series | awk 'NR>2 && $NF ~ /^[0-9]+$/ {print $1":"$(NF-4)":"substr($(NF-2),1,4)":"substr($(NF-1),1,4)}'
local bad, n, slowest, slowk = 0, 0, 0, ""
local errs = {}
local function fin(x) return type(x) == "number" and x == x and x ~= math.huge and x ~= -math.huge end
local function flag(ctx, msg) bad = bad + 1; print("BAD " .. ctx .. ": " .. msg) end
local months = {M = {1, 2, 3, 6, 9, 11, 12}, Q = {3, 6, 9, 12}, Y = {6, 12}}
for _, spec in ipairs(arg) do
  local key, freq, f, l = spec:match("^(.-):(%a):(%d+):(%d+)$")
  f, l = tonumber(f), tonumber(l)
  for y = math.max(f + 1, l - 9), l do
    for _, m in ipairs(months[freq]) do
      local as_of = string.format("%04d-%02d", y, m)
      local last = ot.project(ot.target{series = key, year = y - 1, kind = "growth", op = ">=", value = 0},
                              {as_of = as_of, paths = 500, seed = 1})
      local base = fin(last.outcome) and last.outcome or 5
      local ts = {
        ot.target{series = key, year = y, kind = "growth", op = ">=", value = base},
        ot.target{series = key, year = y, kind = "growth", op = "<=", value = base},
        ot.target{series = key, year = y, kind = "level", op = ">=", value = 1000},
      }
      for i, t in ipairs(ts) do
        local ctx = string.format("%s %d as of %s #%d", key, y, as_of, i)
        local c0 = os.clock()
        local ok, p = pcall(ot.project, t, {as_of = as_of, paths = 1000, seed = 1})
        local dt = os.clock() - c0
        n = n + 1
        if dt > slowest then slowest, slowk = dt, ctx end
        if dt > 1 then flag(ctx, string.format("slow %.2f s", dt)) end
        if not ok then
          flag(ctx, "error: " .. tostring(p))
        else
          local st = p.status
          local notes = tostring(p.notes or "") .. " " .. tostring(p.method or "")
          if notes:find("nan") or notes:find("inf[^o]") or notes:find("%-?1%.#") then flag(ctx, "notes: " .. notes) end
          if st ~= "no_data" and st ~= "unquantified" then
            for _, fld in ipairs{"point", "prob"} do
              if not fin(p[fld]) then flag(ctx, fld .. " = " .. tostring(p[fld]) .. " status " .. st) end
            end
            if fin(p.point) and p.lower and st ~= "met" and st ~= "missed" then
              local lo, hi, lo9, hi9 = p.lower[80], p.upper[80], p.lower[95], p.upper[95]
              if not (fin(lo) and fin(hi) and fin(lo9) and fin(hi9)) then
                flag(ctx, "range not finite " .. tostring(lo) .. " " .. tostring(hi))
              else
                if not (lo9 <= lo + 1e-9 and lo <= p.point + 1e-9 and p.point <= hi + 1e-9 and hi <= hi9 + 1e-9) then
                  flag(ctx, string.format("order %g %g %g %g %g", lo9, lo, p.point, hi, hi9))
                end
                if hi - lo <= 0 then flag(ctx, "zero width " .. notes) end
                if i ~= 3 and hi - lo > 100 then flag(ctx, string.format("width %.1f (%g..%g) %s", hi - lo, lo, hi, notes)) end
                local v = t.value
                if i ~= 2 then
                  if v < lo9 and p.prob < 0.9 then flag(ctx, string.format("prob %.3f but value %g below 95%% lower %g", p.prob, v, lo9)) end
                  if v > hi9 and p.prob > 0.1 then flag(ctx, string.format("prob %.3f but value %g above 95%% upper %g", p.prob, v, hi9)) end
                else
                  if v > hi9 and p.prob < 0.9 then flag(ctx, string.format("<= prob %.3f value %g above upper %g", p.prob, v, hi9)) end
                  if v < lo9 and p.prob > 0.1 then flag(ctx, string.format("<= prob %.3f value %g below lower %g", p.prob, v, lo9)) end
                end
              end
            end
            if fin(p.prob) then
              local pr = math.floor(p.prob * 100 + 0.5)
              local want = pr >= 80 and "on_track" or pr >= 40 and "at_risk" or "off_track"
              if st ~= want and st ~= "met" and st ~= "missed" then flag(ctx, "status " .. st .. " prob " .. p.prob) end
              if (st == "met" and p.prob ~= 1) or (st == "missed" and p.prob ~= 0) then flag(ctx, "status " .. st .. " prob " .. p.prob) end
            end
            if fin(p.required) and math.abs(p.required) > 1000 then flag(ctx, "required " .. p.required) end
          end
        end
      end
    end
  end
end
print(string.format("%d projections, %d anomalies, slowest %.3f s (%s)", n, bad, slowest, slowk))
