-- test_errors.lua — the exact text of every kind of error the bindings
-- raise: bad arguments (Lua's wording, numbered as the caller sees them),
-- bad options (the list of what was expected), engine errors (the engine's
-- message after the caller's position), and misuse of closed objects.
package.path = arg[0]:gsub("[^/]*$", "") .. "?.lua;" .. package.path
local H = require "harness"

local s = ot.series{key = "e.m", freq = "M", start = "2023-01", values = {1, 2, 3, 4}}
local q = ot.series{key = "e.q", freq = "Q", start = "2023Q1", values = {1, 2}}

-- {expected message without the position, function}
local cases = {
  -- options
  {'bad argument #2 to \'to\' (expected "sum", "mean", "last" or "first", got "avg")',
   function() return s:to("Y", "avg") end},
  {'bad argument #1 to \'to\' (expected "D", "M", "Q" or "Y", got "W")',
   function() return s:to("W") end},
  {"bad argument #1 to 'to' (cannot convert Q to the finer frequency M)",
   function() return q:to("M") end},
  {'bad argument #2 to \'rolling\' (expected "mean", "sum", "min", "max" or "sd", got "median")',
   function() return s:rolling(3, "median") end},
  {'bad argument #1 to \'fill\' (expected "linear", "previous" or "none", got "spline")',
   function() return s:fill("spline") end},
  {'bad argument #2 to \'add\' (expected "union" or "intersect", got "outer")',
   function() return s:add(s, "outer") end},
  -- types and ranges
  {"bad argument #1 to 'lag' (number expected, got string)", function() return s:lag("a") end},
  {"bad argument #1 to 'lag' (number has no integer representation)",
   function() return s:lag(1.5) end},
  {"bad argument #1 to 'diff' (k must be at least 1, got 0)", function() return s:diff(0) end},
  {"bad argument #1 to 'pct' (k must be at least 1, got -2)", function() return s:pct(-2) end},
  {"bad argument #1 to 'rolling' (window must be 1 to 1000000 periods, got 0)",
   function() return s:rolling(0) end},
  {'bad argument #1 to \'rolling\' ("sd" needs a window of at least 2)',
   function() return s:rolling(1, "sd") end},
  {"bad argument #1 to 'share' (series expected, got number)", function() return s:share(5) end},
  {"bad argument #1 to 'yoy' (series expected, got number)", function() return s.yoy(5) end},
  {"bad argument #2 to 'add' (number expected, got string)", function() return s + "abc" end},
  {"bad argument #1 to 'window' ('2023-13' is not a period (month must be 1-12))",
   function() return s:window("2023-13") end},
  {"bad argument #1 to 'window' (period expected, got table)", function() return s:window({}) end},
  {"bad argument #2 to 'window' ('2022-01' is before '2023-02')",
   function() return s:window("2023-02", "2022-01") end},
  {"bad argument #1 to 'index' (a year must be an integer 1-9999)",
   function() return s:index(20231) end},
  -- indexing
  {"period '2023Q1' does not match the series' frequency (M)", function() return s["2023Q1"] end},
  {"'2023-13' is not a period (month must be 1-12)", function() return s["2023-13"] end},
  {"series are immutable (use ot.series or s:with to make a new one)",
   function() s.key = "x" end},
  -- constructors
  {"bad argument #1 to 'series' (table expected, got string)", function() return ot.series("x") end},
  {'bad argument #1 to \'series\' (field \'freq\' expected ("D", "M", "Q" or "Y"))',
   function() return ot.series{start = "2023-01", values = {}} end},
  {'bad argument #1 to \'series\' (field \'freq\' must be "D", "M", "Q" or "Y", got "W")',
   function() return ot.series{freq = "W", start = "2023-01", values = {}} end},
  {"bad argument #1 to 'series' (field 'start' expected (a period))",
   function() return ot.series{freq = "M", values = {}} end},
  {"bad argument #1 to 'series' (field 'start' (2023-01) is not a Q period)",
   function() return ot.series{freq = "Q", start = "2023-01", values = {}} end},
  {"bad argument #1 to 'series' (field 'start': '2023-13' is not a period (month must be 1-12))",
   function() return ot.series{freq = "M", start = "2023-13", values = {}} end},
  {"bad argument #1 to 'series' (covered[1]: period expected, got boolean)",
   function() return ot.series{freq = "M", start = "2023-01", values = {1, 2}, covered = {true}} end},
  {"bad argument #1 to 'series' (field 'values.n' must be an integer)",
   function() return ot.series{freq = "M", start = "2023-01", values = {n = 1.5}} end},
  {"bad argument #1 to 'series' (field 'values' expected (a table of numbers))",
   function() return ot.series{freq = "M", start = "2023-01"} end},
  {"bad argument #1 to 'series' (values[2] must be a number, got string)",
   function() return ot.series{freq = "M", start = "2023-01", values = {1, "x"}} end},
  {"bad argument #1 to 'series' (field 'key' must be a string, got number)",
   function() return ot.series{key = 5, freq = "M", start = "2023-01", values = {}} end},
  {'bad argument #1 to \'series\' (field \'kind\' must be "flow", "stock" or "rate", got "level")',
   function() return ot.series{freq = "M", start = "2023-01", values = {}, kind = "level"} end},
  {"bad argument #1 to 'series' (covered[1] (2023-02) is not a January followed by a February in the series)",
   function() return ot.series{freq = "M", start = "2023-01", values = {1, 2}, covered = {"2023-02"}} end},
  {"bad argument #1 to 'series' (covered[1] (2023-01) has a value of its own (10.0): a covered January's is in February's)",
   function() return ot.series{freq = "M", start = "2023-01", values = {10, 33}, covered = {"2023-01"}} end},
  {'bad argument #1 to \'target\' (field \'kind\' must be "growth", "level", "daily_avg", "relative", "in_step", "count", "decline" or "unquantified", got "grow")',
   function() return ot.target{series = "x", year = 2023, kind = "grow", value = 1} end},
  {'bad argument #1 to \'target\' (field \'op\' must be ">=", ">", "<=", "<" or "=", got "=>")',
   function() return ot.target{series = "x", year = 2023, op = "=>", value = 1} end},
  {"bad argument #1 to 'target' (field 'value': a growth target needs a value (the number to meet))",
   function() return ot.target{series = "x", year = 2023} end},
  {"bad argument #1 to 'target' (field 'year': target without a valid year (0))",
   function() return ot.target{kind = "unquantified", label = "节能降耗"} end},
  {"bad argument #1 to 'target' (field 'ref': a relative target needs a ref (the series it is compared with))",
   function() return ot.target{series = "x", year = 2023, kind = "relative", value = 0} end},
  -- what a target could not test: an infinite value, a negative band, an empty key, no
  -- operator, a ref its kind never reads
  {"bad argument #1 to 'target' (field 'value': a growth target's value must be a finite number, got inf)",
   function() return ot.target{series = "x", year = 2023, value = math.huge} end},
  {"bad argument #1 to 'target' (field 'tolerance': an in_step target's tolerance is at least 0 (in points), got -1)",
   function() return ot.target{series = "x", year = 2023, kind = "in_step", ref = "y", tolerance = -1} end},
  {"bad argument #1 to 'target' (field 'tolerance': an in_step target's tolerance must be a finite number, got inf)",
   function() return ot.target{series = "x", year = 2023, kind = "in_step", ref = "y", tolerance = 1 / 0} end},
  {"bad argument #1 to 'target' (field 'series': a growth target needs a series)",
   function() return ot.target{series = "", year = 2023, value = 1} end},
  {"bad argument #1 to 'target' (field 'ref': a relative target needs a ref (the series it is compared with))",
   function() return ot.target{series = "x", year = 2023, kind = "relative", ref = ""} end},
  {'bad argument #1 to \'target\' (field \'op\' must be ">=", ">", "<=", "<" or "=", got "")',
   function() return ot.target{series = "x", year = 2023, op = "", value = 1} end},
  {"bad argument #1 to 'target' (field 'ref': a ref is for relative and in_step targets, not growth)",
   function() return ot.target{series = "x", year = 2023, value = 1, ref = "y"} end},
  -- in_step's test is a band: another operator would be ignored, so it is refused
  {"bad argument #1 to 'target' (field 'op': an in_step target's test is a band (|growth - ref's growth - value| <= tolerance), so its op is '=', got '>=' (growth above ref's is a relative target))",
   function() return ot.target{series = "x", year = 2023, kind = "in_step", op = ">=", ref = "y", tolerance = 1} end},
  {"bad argument #1 to 'target' (field 'op': an in_step target's test is a band (|growth - ref's growth - value| <= tolerance), so its op is '=', got '<' (growth above ref's is a relative target))",
   function() return ot.target{series = "x", year = 2023, kind = "in_step", op = "<", ref = "y", tolerance = 1} end},
  -- a seed is 1..2^32-1 everywhere (a larger one would be cut to 32 bits: 2^32 + 1 is 1)
  {"bad argument #3 to 'simulate' (seed must be 1..4294967295)",
   function() return ot.fit(s, "naive"):simulate(2, 1, (1 << 32) + 1) end},
  {"bad argument #3 to 'simulate' (seed must be 1..4294967295)",
   function() return ot.fit(s, "naive"):simulate(2, 1, 0) end},
  -- periods are years 1 to 9999: a series reaching outside could not be named or read back
  {"bad argument #1 to 'series' (the series would run past the year 9999 (periods are years 1 to 9999))",
   function() return ot.series{freq = "M", start = "9999-12", values = {1, 2}} end},
  {"the series would run past the year 9999 (periods are years 1 to 9999)",
   function() return ot.series{freq = "Y", start = 9999, values = {1}}:lag(1) end},
  {"the series would run before the year 1 (periods are years 1 to 9999)",
   function() return ot.series{freq = "Q", start = "0001Q2", values = {1}}:lead(2) end},
  -- engine errors, after the caller's position
  {"series frequencies differ (M and Q)", function() return s + q end},
  {"index base 2022-01 is missing", function() return s:index("2022-01") end},
  {"bad argument #2 to 'forecast' (levels[1] must be a number between 0 and 100)",
   function() return ot.fit(s, "naive"):forecast(3, {levels = {100}}) end},
  {"bad argument #2 to 'forecast' (levels[3] repeats levels[1] (80.0))",
   function() return ot.fit(s, "naive"):forecast(3, {levels = {80, 95, 80}}) end},
  {"bad argument #1 to 'project' (target or list of targets expected)",
   function() return ot.project(5) end},
  {"bad argument #2 to 'project' (unknown method 'nope' (known: carry, rate, rwsd, naive, snaive, drift, mean, naive2, ets, theta, otm, arima, combo, auto, arima_cny, ets_cny, arima_jf, ets_jf))",
   function()
     return ot.project(ot.target{series = "e.m", year = 2023, value = 1},
                       {series = {["e.m"] = s}, method = "nope"})
   end},
  {"bad argument #2 to 'project' (as_of 'soon' is neither a date (2023-10-20) nor a period (2023-09))",
   function()
     return ot.project(ot.target{series = "e.m", year = 2023, value = 1},
                       {series = {["e.m"] = s}, as_of = "soon"})
   end},
  {"bad argument #3 to 'growth' (field 'from' expected (the first period that grows))",
   function() ot.scenario("s", function(sc) sc:growth("x", 5) end) end},
  -- an option misspelled, or one the operation has not (growth runs to the year end), is named
  {"bad argument #3 to 'growth' (unknown option 'form' (did you mean 'from'?))",
   function() ot.scenario("s", function(sc) sc:growth("x", 5, {form = "2023-10"}) end) end},
  {"bad argument #3 to 'growth' (unknown option 'to' (known: from))",
   function() ot.scenario("s", function(sc) sc:growth("x", 5, {from = "2023-10", to = "2023-11"}) end) end},
  {"bad argument #3 to 'shock' (unknown option 'levle' (did you mean 'level'?))",
   function() ot.scenario("s", function(sc) sc:shock("x", -5, {from = "2023-10", levle = true}) end) end},
  {"bad argument #3 to 'shock' (field 'level' must be a boolean, got string)",
   function() ot.scenario("s", function(sc) sc:shock("x", -5, {from = "2023-10", level = "yes"}) end) end},
  {"bad argument #1 to 'scenario' (string expected, got no value)", function() ot.scenario() end},
  -- a box in an options table or a list is reported under its argument, by field or item
  {"bad argument #2 to 'project' (field 'db': db expected, got number)",
   function() return ot.project(ot.target{series = "e.m", year = 2023, value = 1}, {db = 5}) end},
  {"bad argument #2 to 'project' (field 'scenario': scenario expected, got series)",
   function()
     return ot.project(ot.target{series = "e.m", year = 2023, value = 1},
                       {series = {["e.m"] = s}, scenario = s})
   end},
  {"bad argument #2 to 'report' (field 'db': db expected, got boolean)",
   function()
     local p = ot.project(ot.target{series = "e.m", year = 2023, value = 1},
                          {series = {["e.m"] = s}, paths = 10})
     return ot.report({p}, {db = true})
   end},
}

local function run_cases()
  for i, c in ipairs(cases) do
    local ok, err = pcall(H.checkmsg, c[1], c[2])
    if not ok then error(string.format("case %d: %s", i, err), 0) end
  end
end

H.run{
  {"messages", run_cases},
  {"position", function()
    -- an error names the calling line of this script
    local msg = H.checkerror("series frequencies differ", function() return s + q end)
    assert(msg:find("^tests/lua/test_errors%.lua:%d+: ") or msg:find("test_errors%.lua:%d+: "), msg)
  end},
  {"closed objects", function()
    local db = ot.open(":memory:")
    db:close()
    H.checkmsg("calling 'keys' on bad self (database is closed)", function() return db:keys() end)
    assert(tostring(db) == "db (closed)")
    local m = ot.fit(s, "naive")
    H.checkerror("model", function() return m.forecast(5, 3) end)
    local t = ot.target{series = "e.m", year = 2023, value = 1}
    H.checkmsg("bad argument #2 to 'project' (field 'db': database is closed)",
               function() return ot.project(t, {db = db}) end)
    local sc = ot.scenario("s")
    getmetatable(sc).__close(sc)
    H.checkmsg("bad argument #2 to 'project' (field 'scenario': scenario is closed)",
               function() return ot.project(t, {series = {["e.m"] = s}, scenario = sc}) end)
    H.checkmsg("bad argument #2 to 'compare' (item 2: scenario is closed)",
               function() return ot.compare({t}, {ot.scenario("a"), sc}, {series = {["e.m"] = s}}) end)
    local gone = ot.series{freq = "M", start = "2023-01", values = {1}}
    getmetatable(gone).__close(gone)
    H.checkmsg("bad argument #2 to 'project' (series['e.m']: series is closed)",
               function() return ot.project(t, {series = {["e.m"] = gone}}) end)
    H.checkmsg("bad argument #2 to 'project' (series['e.m'].ytd is closed)",
               function() return ot.project(t, {series = {["e.m"] = {ytd = gone}}}) end)
    -- a target declared <close> is closed afterwards, as every other box: not an empty target
    local kept
    do
      local tt <close> = ot.target{series = "e.m", year = 2023, value = 1}
      kept = tt
    end
    assert(tostring(kept) == "target (closed)")
    H.checkmsg("bad argument #1 to 'index' (target is closed)", function() return kept.series end)
    H.checkmsg("bad argument #1 to 'project' (target is closed)",
               function() return ot.project(kept, {series = {["e.m"] = s}}) end)
    H.checkmsg("bad argument #1 to 'project' (item 2: target is closed)",
               function() return ot.project({t, kept}, {series = {["e.m"] = s}}) end)
    local mem = ot.open(":memory:")
    H.checkmsg("bad argument #1 to 'put' (target is closed)", function() return mem:put(kept) end)
  end},
  {"ot.report: a bad item of outcomes is reported under the options, by field", function()
    local t = ot.target{series = "e.m", year = 2023, value = 1}
    local ps = ot.project({t}, {series = {["e.m"] = s}, paths = 10})
    H.checkmsg("bad argument #2 to 'report' (field 'outcomes': item 1 is not a projection)",
               function() return ot.report(ps, {outcomes = {5}, format = "json", output = "/dev/null"}) end)
  end},
  {"ot.compare: a scenario's name is not met twice, nor a field's of the result", function()
    local t = ot.target{series = "e.m", year = 2023, value = 1}
    local data = {series = {["e.m"] = s}, paths = 10, print = false}
    for _, name in ipairs{"baseline", "target", "label"} do
      H.checkmsg("bad argument #2 to 'compare' (item 1: the name '" .. name .. "' is taken (by " ..
                 "another scenario, or a field of the result: target, label, baseline))",
                 function() return ot.compare({t}, {ot.scenario(name)}, data) end)
    end
    H.checkmsg("bad argument #2 to 'compare' (item 3: the name 'a' is taken (by another " ..
               "scenario, or a field of the result: target, label, baseline))",
               function() return ot.compare({t}, {ot.scenario("a"), ot.scenario("b"), ot.scenario("a")}, data) end)
    local r = ot.compare({t}, {ot.scenario("a"), ot.scenario("b")}, data)
    assert(table.concat(r.scenarios, ",") == "baseline,a,b" and r[1].a and r[1].b and r[1].baseline)
  end},
  {"errors are catchable and the state stays usable", function()
    for _ = 1, 100 do pcall(function() return s:to("Y", "avg") end) end
    assert(#s:yoy() == 4)
  end},
}
