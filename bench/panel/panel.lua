-- panel.lua — the panel benchmark's work in ontrack (bench/panel/README.md).
--
--   ontrack run bench/panel/panel.lua gen [N]   generate N series (default 10000) x 240 months in Lua
--   ontrack --db DB run bench/panel/panel.lua db    read every series of DB (imported from panel_long.csv),
--                                                   listing them with db:keys()
--   ontrack --db DB run bench/panel/panel.lua dbn [N]  the same, the keys s000001..sN made by the script
--
-- For each monthly series: yoy, ytd and to("Y", "sum"); across all series: the sum of the series,
-- and the sums of each result (so every result is checked against pandas, panel.py). Prints the
-- four totals (of every non-missing period) as checksums.  The input panel is kept in memory
-- (a table of series) as pandas keeps its DataFrame; each series' results are added into the
-- running sums and then dropped.
local mode, n = arg[1] or "gen", tonumber(arg[2]) or 10000
local T = 240

local panel = {}
if mode == "gen" then
  -- value(i, t) = 100 + i % 97 + 0.5 t + 10 sin(0.5236 t + i % 12), t = 1..240 from 2005-01
  local sin = math.sin
  local v = {}
  for i = 1, n do
    local b, ph = 100 + i % 97, i % 12
    for t = 1, T do v[t] = b + 0.5 * t + 10 * sin(0.5236 * t + ph) end
    panel[i] = ot.series{freq = "M", start = "2005-01", values = v}
  end
elseif mode == "db" then
  local db = ot.db()
  for i, k in ipairs(db:keys()) do panel[i] = db:series(k) end
elseif mode == "dbn" then
  local db = ot.db()
  for i = 1, n do panel[i] = db:series(string.format("s%06d", i)) end
else
  error("mode is gen, db or dbn, got " .. tostring(mode))
end

local total, yoy, ytd, annual
for i = 1, #panel do
  local s = panel[i]
  local y, c, a = s:yoy(), s:ytd(), s:to("Y", "sum")
  if total then
    total, yoy, ytd, annual = total + s, yoy + y, ytd + c, annual + a
  else
    total, yoy, ytd, annual = s, y, c, a
  end
end

local function sum(s)
  local acc = 0
  for _, x in s:pairs() do if x then acc = acc + x end end
  return acc
end
print(string.format("series %d  total %.10e  yoy %.10e  ytd %.10e  annual %.10e",
                    #panel, sum(total), sum(yoy), sum(ytd), sum(annual)))
