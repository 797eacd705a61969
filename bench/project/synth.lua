-- synth.lua — the projection benchmark's synthetic case (bench/project/README.md).
--
--   ontrack run bench/project/synth.lua [N [PATHS [MODE]]]
--
-- Makes N (default 10000) synthetic monthly series, 2015-01 .. 2023-09, each with one growth
-- target for 2023, and projects all N targets as of 2023-09 with PATHS (default 10000) sample
-- paths each, in one ot.project call (which runs the targets on the engine's thread pool).
-- MODE "gen" stops after making the series and targets (to time the generation alone); MODE "store"
-- stores them in the database (ot.db(), vintage 2023-10-20) for `ontrack project` instead.
-- Prints the number of projections, the mean probability and the count per status.
--
-- Series i: log level a random walk with drift 0.4%/month and sd 1.5%, times fixed monthly
-- seasonal factors (Lua's own generator, seeded, so every run makes the same data); the target is
-- growth >= 2 + i % 7 (%).
local n, paths, mode = tonumber(arg[1]) or 10000, tonumber(arg[2]) or 10000, arg[3] or "project"
math.randomseed(20231)
local season = {0.92, 0.85, 1.02, 0.98, 1.00, 1.03, 0.99, 0.98, 1.01, 1.03, 1.05, 1.14}
local exp, random, sqrt, log, cos, pi = math.exp, math.random, math.sqrt, math.log, math.cos, math.pi
local function normal() return sqrt(-2 * log(1 - random())) * cos(2 * pi * random()) end

local T = 9 * 12 - 3                        -- 2015-01 .. 2023-09
local data, targets, v = {}, {}, {}
for i = 1, n do
  local key = string.format("synth.s%05d", i)
  local lv = log(100 + i % 50)
  for t = 1, T do
    lv = lv + 0.004 + 0.015 * normal()
    v[t] = exp(lv) * season[(t - 1) % 12 + 1]
  end
  data[key] = ot.series{key = key, freq = "M", start = "2015-01", values = v}
  targets[i] = ot.target{series = key, year = 2023, kind = "growth", op = ">=", value = 2 + i % 7}
end
if mode == "gen" then
  print(string.format("made %d series and targets", n))
  return
elseif mode == "store" then
  local db = ot.db()
  for i = 1, n do
    local key = targets[i].series
    db:put(data[key], {vintage = "2023-10-20"})
    db:put(targets[i])
  end
  print(string.format("stored %d series and targets", n))
  return
end

local ps = ot.project(targets, {series = data, as_of = "2023-09", paths = paths, seed = 1})
local count, prob = {}, 0
for _, p in ipairs(ps) do
  count[p.status] = (count[p.status] or 0) + 1
  prob = prob + p.prob
end
local parts = {}
for s, k in pairs(count) do parts[#parts + 1] = s .. " " .. k end
table.sort(parts)
print(string.format("%d projections x %d paths: mean probability %.4f; %s",
                    #ps, paths, prob / #ps, table.concat(parts, ", ")))
