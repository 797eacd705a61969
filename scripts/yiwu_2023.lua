-- yiwu_2023.lua — Will Yiwu meet the targets of its 2023 government work report?
--
-- Projects every target of 义乌市2023年政府工作报告 as an analyst could have at the end of
-- October 2023: only the figures published by 31 October (Jan–Sep / Q3 for Yiwu) are read.
-- Prints the status table, a scenario (exports fall 5% in the fourth quarter), and, where
-- the bundled data hold the 2023 outcome published in 2024, the outcome beside the projection.
--
--   ontrack run scripts/yiwu_2023.lua                      -- as of 2023-10-31
--   ontrack run --as-of 2023-08-31 scripts/yiwu_2023.lua   -- earlier in the year
--
-- On a database without the bundled data it imports datasets/ first (once).

-- the checkout: the folder above this script's, from wherever it is run
local root = ((arg and arg[0] or ""):match("^(.*)/[^/]*$") or ".") .. "/.."
local AS_OF = ot.as_of() or "2023-10-31"
local db = ot.db()

-- The bundled data, imported in one transaction in the order datasets/manifest.csv gives.
if #db:targets{year = 2023} == 0 then
  local files = {}
  for line in io.lines(root .. "/datasets/manifest.csv") do
    local file = line:match("^([^,]+),")
    if file and file ~= "file" then files[#files + 1] = root .. "/datasets/" .. file end
  end
  local st = db:import(files)
  print(string.format("imported the bundled data: %d files, %d observations and targets",
                      st.files, st.inserted))
end

local targets = db:targets{year = 2023}
local opts = {as_of = AS_OF, paths = 10000, seed = 1}

-- What was known then, and what the year turned out to be (the latest data).
local now = ot.project(targets, opts)
local later = ot.project(targets, {as_of = "latest", paths = 1000, seed = 1})

print(string.format("\n义乌市2023年政府工作报告主要目标 — projection as of %s\n", AS_OF))
ot.report(now, {outcomes = later})

-- A scenario: exports fall 5% in the fourth quarter against the baseline.
local by_series = {}
for _, t in ipairs(targets) do
  if t.series then by_series[t.series] = t end
end
local weak_q4 = ot.scenario("出口四季度下降5%", function(sc)
  sc:shock("yiwu.exports", -5, {from = "2023-10", to = "2023-12"})
end)
print("\nScenario: exports 5% lower in October–December than projected\n")
ot.compare({by_series["yiwu.exports"]}, {weak_q4}, opts)
