-- calibration.lua — the 80 % and 95 % coverage of ranges from a record of
-- known errors (docs/methods-projection.md §13, round 3): N synthetic monthly
-- series from Y0 to 2023 whose carry-forward errors at June are independent
-- normal draws, projected as of 2023-06 with method "carry" (its record range).
--
--   ontrack run bench/project/calibration.lua [N=300] [Y0=2009]
--
-- Y0 = 2009 gives records of 12 years, 2016 of 6.

local N = tonumber(arg[1]) or 300
local Y0, Y1 = tonumber(arg[2]) or 2009, 2023
math.randomseed(42)
local function norm() local u, v = math.random(), math.random(); return math.sqrt(-2 * math.log(u)) * math.cos(2 * math.pi * v) end
local in80, in95, n = 0, 0, 0
for s = 1, N do
  local lvl, vals = {}, {}
  for m = 1, 12 do lvl[m] = 100 + 5 * m end
  for y = Y0, Y1 do
    local g, h = 0.08 + 0.02 * norm(), 0.03 * norm()
    for m = 1, 12 do
      if y > Y0 then lvl[m] = lvl[m] * (1 + g + (m > 6 and h or 0)) * (1 + 0.01 * norm()) end
      vals[#vals + 1] = lvl[m]
    end
  end
  local x = ot.series{key = "c.x", freq = "M", start = Y0 .. "-01", values = vals}
  local t = ot.target{series = "c.x", year = Y1, value = 8}
  local o = {series = {["c.x"] = x}, paths = 2000, seed = s, exclude_years = false, method = "carry"}
  o.as_of = "latest"; local G = ot.project(t, o).outcome
  o.as_of = Y1 .. "-06"; local p = ot.project(t, o)
  n = n + 1
  if G >= p.lower[80] and G <= p.upper[80] then in80 = in80 + 1 end
  if G >= p.lower[95] and G <= p.upper[95] then in95 = in95 + 1 end
end
print(string.format("years %d-%d: coverage 80%%: %.3f  95%%: %.3f (n=%d)", Y0, Y1, in80 / n, in95 / n, n))
