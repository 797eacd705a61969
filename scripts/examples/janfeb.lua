-- janfeb.lua — a January–February combined release (2023年1-2月): retail
-- sales as the statistics bureau publishes them, one value for both months.
--   ontrack run scripts/examples/janfeb.lua
package.path = arg[0]:gsub("[^/]*$", "") .. "?.lua;" .. package.path
local db = require "bundled"

local retail = db:series("china.retail_sales", {measure = "value", as_of = "2023-12-31"})
  :window("2021-01", "2023-06")
print(retail:window("2023-01"))                  -- January is "(in next)"
print("January 2023 covered by February:", retail:covered("2023-01"))
local v, p = retail:window(nil, "2023-02"):last()
print("last value through February:", v, p)      -- the period reads 2023-01/02

-- growth of the combined value: on last year's January + February
print(string.format("1-2月 yoy: %.1f%%", retail:yoy()["2023-02"]))
-- quarters count the combined value for both months
print(string.format("2023Q1: %.1f", retail:to("Q", "sum")["2023Q1"]))
-- splitting is explicit: by the shares of January and February the year
-- before; retail sales come combined every year, so here the split falls
-- back to equal halves
local split = retail:split_janfeb()
print(string.format("split: January %.1f, February %.1f", split["2023-01"], split["2023-02"]))
