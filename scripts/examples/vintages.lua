-- vintages.lua — what was known when: the same series read as of several
-- dates (every read can ask for the data as known at a date).
--   ontrack run scripts/examples/vintages.lua
package.path = arg[0]:gsub("[^/]*$", "") .. "?.lua;" .. package.path
local db = require "bundled"

for _, date in ipairs{"2023-06-30", "2023-10-31", "2024-03-01"} do
  local ok, s = pcall(db.series, db, "yiwu.exports", {measure = "ytd", as_of = date})
  if ok then
    local v, p = s:last()
    print(string.format("as of %s: %d values, latest %s = %.1f", date, #s, p, v))
  else
    print(string.format("as of %s: %s", date, s))
  end
end
-- a period instead of a date: the latest data through that period
local s = db:series("yiwu.exports", {measure = "ytd", as_of = "2023-09"})
print("through 2023-09:", s:last())
