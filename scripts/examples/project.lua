-- project.lua — project Yiwu's 2023 targets as of the end of October 2023
-- (data through September), then compare a scenario.
--   ontrack run scripts/examples/project.lua
package.path = arg[0]:gsub("[^/]*$", "") .. "?.lua;" .. package.path
local db = require "bundled"

local targets = db:targets{year = 2023}
local gdp
for _, t in ipairs(targets) do
  if t.series == "yiwu.gdp" and t.kind == "growth" then gdp = t end
end
local p = ot.project(gdp, {as_of = "2023-10-31", paths = 2000, seed = 1})
print(p)
print("notes:", p.notes)

local trade = {}
for _, t in ipairs(targets) do
  if t.series == "yiwu.exports" or t.series == "yiwu.imports" then trade[#trade + 1] = t end
end
local slump = ot.scenario("Q4 exports -10%", function(sc)
  sc:shock("yiwu.exports", -10, {from = "2023-10", to = "2023-12"})
end)
ot.compare(trade, {slump}, {as_of = "2023-10-31", paths = 2000, seed = 1})
