-- forecast.lua — fit a model to monthly exports and forecast the rest of the
-- year with 80% and 95% intervals.
--   ontrack run scripts/examples/forecast.lua
package.path = arg[0]:gsub("[^/]*$", "") .. "?.lua;" .. package.path
local db = require "bundled"

local exports = db:series("china.exports_usd", {measure = "value", as_of = "2023-10-20"})
  :window("2015-01", "2023-09")
local _, last = exports:last()
local h = 12 - tonumber(last:sub(6, 7))          -- months left in the year
print("data through " .. last .. ", forecasting " .. h .. " months")
local m = ot.fit(exports, "snaive")
print(m)
local fc = m:forecast(h, {levels = {80, 95}})
for i, p in ipairs(fc.mean:periods()) do
  print(string.format("%s  %8.1f   80%%: %8.1f .. %8.1f   95%%: %8.1f .. %8.1f", p, fc.mean[i],
                      fc.lower[80][i], fc.upper[80][i], fc.lower[95][i], fc.upper[95][i]))
end
-- the rest of the year's total over 1000 sample paths
local total = 0
local paths = m:simulate(h, 1000, 1)
for _, path in ipairs(paths) do
  for _, v in ipairs(path:values()) do total = total + v end
end
print(string.format("mean simulated total of the remaining months: %.1f", total / #paths))
