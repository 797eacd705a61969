-- contribution.lua — quarterly GDP from year-to-date releases, each
-- industry's share and its contribution (percentage points) to growth.
--   ontrack run scripts/examples/contribution.lua
package.path = arg[0]:gsub("[^/]*$", "") .. "?.lua;" .. package.path
local db = require "bundled"

local function quarters(key)
  return db:series(key, {measure = "ytd"}):from_ytd():window("2021Q1", "2023Q4")
end
local gdp = quarters("china.gdp")
print(string.format("%-8s %10s %9s %9s %9s", "quarter", "GDP", "growth", "tertiary", "contrib"))
local tertiary = quarters("china.gdp_tertiary")
local share = tertiary:share(gdp)
local contrib = tertiary:contribution(gdp)
for p, v in gdp:window("2023Q1"):pairs() do
  print(string.format("%-8s %10.1f %8.1f%% %8.1f%% %8.2fpp", p, v, gdp:yoy()[p], share[p], contrib[p]))
end
-- the contributions of the three industries add up to GDP's nominal growth
local sum = quarters("china.gdp_primary"):contribution(gdp) +
            quarters("china.gdp_secondary"):contribution(gdp) + contrib
print(string.format("2023Q4: sum of contributions %.2f pp, GDP growth %.2f%%", sum["2023Q4"],
                    gdp:yoy()["2023Q4"]))
