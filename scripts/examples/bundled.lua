-- bundled.lua — the database the examples use: ot.db() (--db, $ONTRACK_DB or
-- ./ontrack.db), with the bundled data of datasets/ imported the first time.
-- Used by the other examples as `local db = require "bundled"`.
local here = arg and arg[0] and arg[0]:match("^(.*)/") or "."
local root = here .. "/../.."
local db = ot.db()
if #db:keys("china.*") == 0 or #db:targets{year = 2023} == 0 then
  local first = true
  for line in io.lines(root .. "/datasets/manifest.csv") do
    if first then
      first = false                                  -- header: file,format
    else
      local file, format = line:match("^([^,]+),([^,]+)")
      db:import(root .. "/datasets/" .. file, {format = format})
    end
  end
end
return db
