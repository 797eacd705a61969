-- rates_only.lua — a county publishes growth rates more often than levels:
-- rebuild levels from growth and one year of levels (implied_level).
--   ontrack run scripts/examples/rates_only.lua
package.path = arg[0]:gsub("[^/]*$", "") .. "?.lua;" .. package.path
local db = require "bundled"

local growth = db:series("yiwu.gdp", {measure = "ytd_yoy"})     -- 累计同比 %
local levels = db:series("yiwu.gdp", {measure = "ytd"})         -- 累计值, sparse
local implied = growth:implied_level(levels)
print(string.format("%-8s %10s %8s %10s", "quarter", "published", "growth %", "implied"))
for p, v in implied:window("2022Q1", "2023Q4"):pairs() do
  print(string.format("%-8s %10s %8s %10s", p, levels[p] and string.format("%.1f", levels[p]) or "-",
                      growth[p] and string.format("%.1f", growth[p]) or "-",
                      v and string.format("%.1f", v) or "-"))
end
