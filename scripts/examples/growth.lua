-- growth.lua — growth rates from levels: yoy, ytd, ytd_yoy, and checking
-- them against the growth rates the customs office published.
--   ontrack run scripts/examples/growth.lua
package.path = arg[0]:gsub("[^/]*$", "") .. "?.lua;" .. package.path
local db = require "bundled"

local exports = db:series("china.exports_usd", {measure = "value", as_of = "2023-12-31"})
  :window("2021-01", "2023-09")
print(exports:window("2023-01"))

local yoy = exports:yoy()                       -- % on the same month a year earlier
local ytd = exports:ytd()                       -- 1-N月累计
print(string.format("Jan-Sep 2023 total: %.1f", ytd["2023-09"]))
local ytd_yoy = exports:ytd_yoy()               -- 累计同比
local published = db:series("china.exports_usd", {measure = "ytd_yoy", as_of = "2023-12-31"})

print(string.format("%-8s %10s %10s %10s %10s", "month", "exports", "yoy %", "ytd_yoy %", "published"))
for p, v in exports:window("2023-01"):pairs() do
  print(string.format("%-8s %10.1f %10.1f %10.1f %10s", p, v, yoy[p] or 0/0, ytd_yoy[p] or 0/0,
                      published[p] and string.format("%.1f", published[p]) or "-"))
end

-- quarters and years: complete periods only
print(exports:to("Q", "sum"):window("2023Q1"))
local years = exports:to("Y", "sum")
print(string.format("2022 total %.1f (2023 is incomplete: %s)", years["2022"], tostring(years["2023"])))
