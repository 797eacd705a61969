-- test_module.lua — the engine as a C module of stock lua5.4:
--   ONTRACK_CPATH=build/lua lua5.4 tests/lua/test_module.lua
-- (the build puts ontrack.so in <build>/lua; after install it is in the
-- Lua 5.4 C module directory and a plain `require "ontrack"` finds it).
local dir = os.getenv("ONTRACK_CPATH")
if dir then package.cpath = dir .. "/?.so;" .. package.cpath end
package.path = arg[0]:gsub("[^/]*$", "") .. "?.lua;" .. package.path
local H = require "harness"

local ot = require "ontrack"
assert(type(ot) == "table" and ot.series and ot.open and ot.project and ot.fit)
assert(rawget(_G, "ot") == nil)                   -- no global without the host
assert(require "ontrack" == ot)

H.run{
  {"series", function()
    local s = ot.series{key = "mod.x", freq = "Q", start = "2022Q1", values = {1, 2, 3, 4, 2, 4, 6, 8}}
    H.series(s:yoy(), "2022Q1", {H.NA, H.NA, H.NA, H.NA, 100, 100, 100, 100})
    H.series(s:to("Y", "sum"), "2022", {10, 20})
  end},
  {"db", function()
    local db <close> = ot.open(":memory:")
    db:put(ot.series{key = "mod.y", freq = "Y", start = 2020, values = {1, 2}})
    H.series(db:series("mod.y"), "2020", {1, 2})
  end},
  {"errors", function()
    H.checkmsg('bad argument #2 to \'to\' (expected "sum", "mean", "last" or "first", got "avg")',
               function() return ot.series{freq = "M", start = "2023-01", values = {1}}:to("Y", "avg") end)
  end},
}
