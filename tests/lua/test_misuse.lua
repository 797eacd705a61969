-- test_misuse.lua — every function and method called with every pair of
-- awkward arguments: each call either succeeds or raises a string error;
-- none crashes, leaks (the sanitizer build checks) or changes its inputs.
package.path = arg[0]:gsub("[^/]*$", "") .. "?.lua;" .. package.path
local H = require "harness"

local s = ot.series{key = "z.m", freq = "M", start = "2022-01",
                    values = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0/0, 14, 15},
                    covered = {"2023-01"}}
local q = ot.series{freq = "Q", start = "2022Q1", values = {1, 2, 3, 4}}
local before = s:values()
local closed = ot.series{freq = "Y", start = 2020, values = {1}}
getmetatable(closed).__close(closed)

local pool = {n = 17, nil, 0, -1, 1, 2.5, 1e300, 0/0, math.huge, "", "x", "2023-02", "2023Q1", 2023,
              {}, {1, 2}, s, q}
pool[18] = closed
pool[19] = ot.target{series = "z.m", year = 2023, value = 5}
pool[20] = {paths = 10, series = {["z.m"] = s}}
pool.n = 20

local function try(f, ...)
  local ok, err = pcall(f, ...)
  if not ok and type(err) ~= "string" then
    error("a non-string error: " .. tostring(err), 2)
  end
  return ok
end

local function each_pair(f)
  for i = 1, pool.n + 1 do            -- pool.n + 1 stands for "no argument"
    for j = 1, pool.n + 1 do
      local a, b = pool[i], pool[j]
      if i > pool.n then f() elseif j > pool.n then f(a) else f(a, b) end
    end
  end
end

H.run{
  {"series methods", function()
    local calls = 0
    for name, m in pairs(getmetatable(s).methods) do
      if name ~= "plot" then
        each_pair(function(...) try(m, s, ...); calls = calls + 1 end)
        each_pair(function(...) try(m, ...) end)            -- self missing or wrong
      end
    end
    assert(calls > 20 * 19 * 19)
  end},
  {"operators", function()
    for i = 1, pool.n do
      local x = pool[i]
      try(function() return s + x end); try(function() return x - s end)
      try(function() return s * x end); try(function() return x / s end)
      try(function() return s[x] end); try(function() return s == x end)
    end
  end},
  {"module functions", function()
    for _, name in ipairs{"series", "missing", "target", "project", "scenario", "compare", "fit",
                          "fit_many", "report"} do
      each_pair(function(...) try(ot[name], ...) end)
    end
  end},
  {"db methods", function()
    local db <close> = ot.open(":memory:")
    db:put(s)
    for name, m in pairs(getmetatable(db).__index) do
      if name ~= "close" and name ~= "import" then
        each_pair(function(...) try(m, db, ...) end)
      end
    end
  end},
  {"model and scenario methods", function()
    local m = ot.fit(s:window("2022-01", "2022-12"), "naive")
    for name, f in pairs(getmetatable(m).methods) do
      each_pair(function(a, b) try(f, m, a, b, 3) end)
    end
    ot.scenario("z", function(sc)
      for name, f in pairs(getmetatable(sc).methods) do
        each_pair(function(a, b) try(f, sc, a, b, {from = "2023-02"}) end)
      end
    end)
  end},
  {"inputs unchanged", function()
    local after = s:values()
    for i = 1, #before do assert(after[i] == before[i] or (after[i] ~= after[i] and before[i] ~= before[i])) end
    assert(s:covered("2023-01") and s.key == "z.m" and #q == 4)
  end},
}
