-- test_project.lua — ot.target, ot.project, ot.scenario, ot.compare and
-- ot.report on series given in Lua (no database), with the cases whose
-- answer is fixed by arithmetic: a complete year, the required pace, and
-- scenarios that pin every remaining month.
package.path = arg[0]:gsub("[^/]*$", "") .. "?.lua;" .. package.path
local H = require "harness"

-- x: 2022 months are 10*m (total 780), 2023 months 11*m (total 858):
-- full-year growth 858 / 780 - 1 = 10%.
local xv = {}
for m = 1, 12 do xv[m] = 10 * m end
for m = 1, 12 do xv[12 + m] = 11 * m end
local x = ot.series{key = "p.x", freq = "M", start = "2022-01", values = xv}
-- y: 2023 months 10.5*m: growth 5%.
local yv = {}
for m = 1, 12 do yv[m] = 10 * m end
for m = 1, 12 do yv[12 + m] = 10.5 * m end
local y = ot.series{key = "p.y", freq = "M", start = "2022-01", values = yv}
local data = {series = {["p.x"] = x, ["p.y"] = y}, paths = 500, seed = 7}

local function opts(extra)
  local o = {}
  for k, v in pairs(data) do o[k] = v end
  for k, v in pairs(extra or {}) do o[k] = v end
  return o
end

-- v: calm, then volatile (as test_projection_cv_intervals in C): log values
-- start at log 100 and move by +-0.01 a month (alternating) for 23 months,
-- then by +-0.05 for 23 more, 2020-01 .. 2023-11.  Naive on logs takes its
-- spread from the whole history; its one-step errors at the last 23
-- origins are 2.17 times what it claimed there (k = sqrt(4.716), worked out
-- in the C test), so calibrated ("cv") paths are 2.17 times as spread.
local vv, lv = {}, math.log(100)
for i = 0, 46 do
  if i > 0 then lv = lv + (i <= 23 and 0.01 or 0.05) * (i % 2 == 1 and -1 or 1) end
  vv[i + 1] = math.exp(lv)
end
local v = ot.series{key = "p.v", freq = "M", start = "2020-01", values = vv}
local tv = ot.target{series = "p.v", year = 2023, kind = "growth", op = ">=", value = 0}
local vdata = {series = {["p.v"] = v}, paths = 2000, seed = 3, method = "naive"}

local t75 = ot.target{series = "p.x", year = 2023, kind = "growth", op = ">=", value = 7.5,
                      label = "x增长7.5%"}

-- r: ten years 2010-2019 in which January-June grow 10% on the year before
-- and July-December 6%, so carry-forward at June (10%) overshoots every
-- year by about the same 1.75 points (2019: outcome 8.24): its record's
-- errors hardly vary, so the range is narrow, and as the errors are centred
-- on their median (a past bias is not carried into the projection, §11) it
-- sits around carry-forward.
local rv, lvl = {}, {}
for m = 1, 12 do lvl[m] = 100 + m end
for yr = 0, 9 do
  for m = 1, 12 do
    if yr > 0 then lvl[m] = lvl[m] * (m <= 6 and 1.10 or 1.06) end
    rv[yr * 12 + m] = lvl[m]
  end
end
local r = ot.series{key = "p.r", freq = "M", start = "2010-01", values = rv}
local tr = ot.target{series = "p.r", year = 2019, kind = "growth", op = ">=", value = 8}
local rdata = {series = {["p.r"] = r}, paths = 1000, seed = 5, as_of = "2019-06"}

H.run{
  {"the record: carry-forward named, exceptional years", function()
    local o = {}
    for k, v in pairs(rdata) do o[k] = v end
    o.method = "carry"
    local p = ot.project(tr, o)
    assert(p.method == "record: carry", p.method)
    H.eq(p.carry, 10)
    H.eq(p.point, 10)                          -- the paths are centred on the point
    assert(p.lower[80] < 10 and p.upper[80] > 10 and p.upper[80] - p.lower[80] < 0.5)
    assert(p.notes:find("carry%-forward chosen by the record at month 6 ±3 months in 2011%-2018"), p.notes)
    assert(p.notes:find("2020%-2022 left out of the record", 1, false))
    -- a year without data yet: nothing to carry, no model's paths either
    local none = ot.project(ot.target{series = "p.r", year = 2020, value = 1}, o)
    assert(none.status == "no_data" and none.notes:find("no data for 2020 yet"), none.notes)
    o.exclude_years = "2015-2016"
    p = ot.project(tr, o)
    assert(p.notes:find("2015%-2016 left out of the record"), p.notes)
    o.exclude_years = false
    p = ot.project(tr, o)
    assert(not p.notes:find("left out"), p.notes)
    o.exclude_years = "2016-2015"
    H.checkerror("field 'exclude_years' must be years like \"2020%-2022\", a year or false, got '2016%-2015'",
                 function() return ot.project(tr, o) end)
    o.exclude_years = "soon"
    H.checkerror("field 'exclude_years' must be years like \"2020%-2022\", a year or false, got 'soon'",
                 function() return ot.project(tr, o) end)
    -- the seed is what the CLI's --seed and a job's seed take: 1..2^32 - 1
    H.checkerror("seed must be 1%.%.4294967295", function() return ot.project(tr, {seed = 0}) end)
    H.checkerror("seed must be 1%.%.4294967295",
                 function() return ot.project(tr, {seed = 4294967296}) end)
  end},

  {"a key no stored series has: the note names the near one", function()
    local db = ot.open(":memory:")
    db:put(ot.series{key = "yiwu.gdp", freq = "M", start = "2022-01", values = {1, 2, 3}})
    local function proj(key, o)
      o = o or {}
      o.db, o.as_of, o.paths = db, "2023-06", 100
      return ot.project(ot.target{series = key, year = 2023, value = 5}, o)
    end
    local p = proj("yiwu.gpd")
    assert(p.status == "no_data", p.status)
    assert(p.notes == "no series yiwu.gpd in the database: did you mean yiwu.gdp?", p.notes)
    p = proj("zz.other")
    assert(p.notes == "no series zz.other in the database", p.notes)
    p = proj("yiwu.gdp")                       -- stored, nothing for 2023 yet
    assert(p.status == "no_data" and not p.notes:find("no series"), p.notes)
    -- a series given in the call is known, stored or not
    p = proj("yiwu.gpd", {series = {["yiwu.gpd"] = ot.series{freq = "M", start = "2030-01",
                                                             values = {1}}}})
    assert(p.status == "no_data" and not p.notes:find("no series"), p.notes)
    local out = os.tmpname() .. ".md"
    ot.report({proj("yiwu.gpd")}):write(out)
    local md = io.open(out):read("a")
    os.remove(out)
    assert(md:find("无数据 [1]", 1, true) and md:find("数据库中没有指标yiwu.gpd，是否为yiwu.gdp？", 1, true), md)
    db:close()
  end},

  {"a level target reads as a flow's total, a stock's year-end level, in every format", function()
    -- stock: December 2022 400, September 2023 430 (test_pace_stock_required)
    local db = ot.open(":memory:")
    local sv = {400}
    for m = 1, 9 do sv[m + 1] = m == 9 and 430 or 0 / 0 end
    db:put(ot.series{key = "k.buyers", freq = "M", start = "2022-12", values = sv}:with{kind = "stock"})
    db:put(ot.series{key = "k.sales", freq = "M", start = "2022-01", values = xv})
    local ts = {ot.target{series = "k.buyers", year = 2023, kind = "level", value = 450},
                ot.target{series = "k.sales", year = 2023, kind = "level", value = 900}}
    local ps = ot.project(ts, {db = db, paths = 200, as_of = "2023-09"})
    H.eq(ps[1].required, (450 / 430 - 1) * 100)
    for _, f in ipairs{"md", "csv", "html"} do
      local out = os.tmpname() .. "." .. f
      ot.report(ps, {format = f, output = out, db = db, lang = "en", history = false})
      local doc = io.open(out):read("a")
      os.remove(out)
      if f ~= "csv" then
        assert(doc:find("year-end level", 1, true) and doc:find("total", 1, true), f .. ": " .. doc)
      end
    end
    local out = os.tmpname() .. ".txt"
    ot.report(ps, {output = out, db = db})
    local txt = io.open(out):read("a")
    os.remove(out)
    assert(txt:find("year-end level >= 450", 1, true) and txt:find("total >= 900", 1, true), txt)
    -- the overview counts in English: "2 targets", "1 target"
    for n, want in pairs{[2] = "\n2 targets: ", [1] = "\n1 target: "} do
      local o = os.tmpname() .. ".md"
      ot.report({table.unpack(ps, 1, n)}, {format = "md", output = o, db = db, lang = "en",
                                           history = false})
      local md = io.open(o):read("a")
      os.remove(o)
      assert(md:find(want, 1, true), md)
    end
    db:close()
  end},

  {"the default chooses by record", function()
    local p = ot.project(tr, rdata)
    assert(p.method:find("^record: carry"), p.method)
    assert(p.notes:find("chosen by the record at month 6 ±3 months in 2011%-2018: mean error"), p.notes)
  end},

  {"target fields", function()
    assert(t75.series == "p.x" and t75.year == 2023 and t75.kind == "growth" and t75.op == ">=")
    assert(t75.value == 7.5 and t75.label == "x增长7.5%" and t75.ref == nil and t75.id == nil)
    assert(tostring(t75) == "p.x 2023: growth >= 7.5 (x增长7.5%)")
    -- an "about" target shows its band: = 7.5 alone would read as exact equality
    local about = ot.target{series = "p.x", year = 2023, op = "=", value = 7.5, tolerance = 0.5}
    assert(tostring(about) == "p.x 2023: growth = 7.5 \u{b1}0.5", tostring(about))
    local u = ot.target{kind = "unquantified", year = 2023, label = "环境"}
    assert(u.op == "" and u.value == nil)
  end},

  {"complete year: the outcome", function()
    local p = ot.project(t75, opts())
    assert(p.status == "met" and p.has_outcome)
    H.eq(p.outcome, 10)                              -- 858 / 780 - 1
    H.eq(p.point, 10)
    H.eq(p.lower[80], 10); H.eq(p.upper[95], 10)
    H.eq(p.prob, 1)
    assert(p.target == t75 and p.label == "x增长7.5%" and p.year == 2023)
    assert(ot.project(t75, opts{as_of = 2023}).status == "met")     -- a year as an integer
    assert(ot.project(t75, opts{as_of = 2022}).status ~= "met")
    local miss = ot.project(ot.target{series = "p.x", year = 2023, value = 12}, opts())
    assert(miss.status == "missed")
    H.eq(miss.prob, 0)
  end},

  {"partial year: required pace and carry-forward", function()
    local p = ot.project(t75, opts{as_of = "2023-09"})
    assert(p.periods_done == 9 and p.periods_left == 3 and p.latest == "2023-09")
    -- ytd growth g = 495 / 450 - 1 = 10%; last year's share of Jan-Sep
    -- s = 450 / 780 = 15/26; required r = (1.075 - s * 1.10) / (1 - s) - 1
    --   = (27.95 - 16.5) / 11 - 1 = 0.0409090... -> 4.0909%
    H.eq(p.ytd_growth, 10)
    H.eq(p.share, 15 / 26)
    H.eq(p.required, 100 * (11.45 / 11 - 1))
    H.eq(p.carry, 10)
    assert(p.prob >= 0 and p.prob <= 1 and p.lower[80] <= p.point and p.point <= p.upper[80])
    assert(p.lower[95] <= p.lower[80] and p.upper[80] <= p.upper[95])
    assert(type(p.notes) == "string" and type(p.method) == "string")
    assert(tostring(p):find("^x增长7.5%%: "))
    -- one number of decimals on the line, from the size of the range
    -- (past 10 here: one decimal), never 4 significant digits (4.091)
    assert(p.upper[80] >= 10, p.upper[80])
    assert(tostring(p):find(", required 4.1, carry 10.0$"), tostring(p))
    assert(tostring(p):find(("point %.1f (80%%: %.1f to %.1f)"):format(p.point, p.lower[80],
                                                                        p.upper[80]), 1, true), tostring(p))
  end},

  {"same seed, same figures", function()
    local a = ot.project(t75, opts{as_of = "2023-09"})
    local b = ot.project(t75, opts{as_of = "2023-09"})
    assert(a.point == b.point and a.prob == b.prob and a.lower[80] == b.lower[80])
  end},

  {"scenarios pin the rest of the year", function()
    -- Q4 shocked by -100%: every path ends at 495 / 780 - 1 = -36.538...%
    local zero = ot.scenario("zero Q4", function(sc)
      sc:shock("p.x", -100, {from = "2023-10", to = "2023-12"})
    end)
    assert(zero.name == "zero Q4" and zero.n == 1)
    local p = ot.project(t75, opts{as_of = "2023-09", scenario = zero})
    H.eq(p.point, 100 * (495 / 780 - 1))
    H.eq(p.prob, 0)
    -- Q4 set to last year's months * 1.1: back to exactly 10%
    local set = ot.scenario("as 2023", function(sc)
      sc:set("p.x", "2023-10", 110):set("p.x", "2023-11", 121):set("p.x", "2023-12", 132)
    end)
    local q = ot.project(t75, opts{as_of = "2023-09", scenario = set})
    H.eq(q.point, 10)
    H.eq(q.prob, 1)
    -- growth 0% on the same months last year for Q4: (495 + 100+110+120) / 780 - 1
    local flat = ot.scenario("flat", function(sc) sc:growth("p.x", 0, {from = "2023-10"}) end)
    local f = ot.project(t75, opts{as_of = "2023-09", scenario = flat})
    H.eq(f.point, 100 * (825 / 780 - 1))
  end},

  {"a model named for a series too short for it: its ytd instead, and the notes say so", function()
    -- x has 21 months through 2023-09: a level model needs 3 years of period values
    local p = ot.project(t75, opts{as_of = "2023-09", method = "ets"})
    assert(p.method == "ytd+shape(rule of thumb)", p.method)
    assert(p.notes:find("p.x: ets needs 3 years of its own period values: projected from its "
                        .. "ytd instead", 1, true), p.notes)
    H.eq(p.carry, 10)
    -- the default chooses by record and names no model: nothing to say
    assert(not ot.project(t75, opts{as_of = "2023-09"}).notes:find("needs 3 years", 1, true))
  end},

  {"a level target in another unit than its series': never converted, not projected", function()
    -- 1000 (万元) a month in 2022, 1100 in 2023 through September: 9,900 so far, so
    -- "1.3 (亿元)" compared as it is would be met at once
    local v = {}
    for m = 1, 12 do v[m] = 1000 end
    for m = 1, 9 do v[12 + m] = 1100 end
    local u = ot.series{key = "p.u", freq = "M", start = "2022-01", values = v, unit = "万元"}
    local t = ot.target{series = "p.u", year = 2023, kind = "level", value = 1.3, unit = "100m_cny"}
    assert(t.unit == "亿元", t.unit)                -- the store's spelling
    local p = ot.project(t, {series = {["p.u"] = u}, as_of = "2023-09", paths = 200})
    assert(p.status == "no_data" and p.point == nil and p.prob == nil, p.status)
    assert(p.notes == "p.u is in 万元, the target in another unit: a level is never converted "
                      .. "(state the target in 万元)", p.notes)
    -- the same unit (blanks around it do not matter), or none, is the series'
    for _, unit in ipairs{" 万元 ", false} do
      local w = ot.target{series = "p.u", year = 2023, kind = "level", value = 9000,
                          unit = unit or nil}
      local q = ot.project(w, {series = {["p.u"] = u}, as_of = "2023-09", paths = 200})
      assert(q.status == "met", q.status)         -- 9,900 so far: later months only add
    end
  end},

  {"relative target", function()
    local r = ot.target{series = "p.x", year = 2023, kind = "relative", op = ">", value = 0,
                        ref = "p.y"}
    local p = ot.project(r, opts())
    H.eq(p.point, 5)                                 -- 10% - 5%
    assert(p.status == "met")
  end},

  {"in_step: within the tolerance of the reference's growth, no value needed", function()
    -- x grows 10%, y 5%: 5 points apart, within a tolerance of 6, not of 4
    local within = ot.target{series = "p.x", year = 2023, kind = "in_step", ref = "p.y",
                             tolerance = 6}
    assert(within.value == 0 and within.tolerance == 6 and within.op == "=")
    assert(tostring(within) == "p.x 2023: in_step with p.y \u{b1}6", tostring(within))
    local p = ot.project(within, opts())
    H.eq(p.point, 5)
    assert(p.status == "met")
    local tight = ot.target{series = "p.x", year = 2023, kind = "in_step", ref = "p.y",
                            tolerance = 4}
    assert(ot.project(tight, opts()).status == "missed")
    -- a band centred off the reference's growth shows its centre: 5 points above y
    local above = ot.target{series = "p.x", year = 2023, kind = "in_step", ref = "p.y",
                            value = 5, tolerance = 0.5}
    assert(tostring(above) == "p.x 2023: in_step with p.y+5 \u{b1}0.5", tostring(above))
    assert(ot.project(above, opts()).status == "met")   -- 10% - 5% = 5 points exactly
  end},

  {"series given by measure: an unknown measure is an error", function()
    H.checkmsg("bad argument #2 to 'project' (series['p.x']: unknown measure 'ytdd' "
               .. "(did you mean 'ytd'?))",
               function() return ot.project(t75, {series = {["p.x"] = {ytdd = x:ytd()}}}) end)
    H.checkmsg("bad argument #2 to 'project' (series['p.x'] must be a series or a table "
               .. "{measure = series})",
               function() return ot.project(t75, {series = {["p.x"] = {x}}}) end)
    local p = ot.project(t75, {series = {["p.x"] = {ytd = x:ytd()}}, as_of = "2023-09",
                               paths = 100})
    H.eq(p.carry, 10)
  end},

  {"a list of targets", function()
    local ps = ot.project({t75, ot.target{series = "p.y", year = 2023, value = 6}}, opts())
    assert(#ps == 2 and ps[1].status == "met" and ps[2].status == "missed")
    H.eq(ps[2].point, 5)
    assert(ps[2].target.series == "p.y")
    ot.report(ps)                                    -- the status table
    ot.report(ps, "json")
    ot.report(ps[1])                                 -- one projection
    H.checkmsg("bad argument #1 to 'report' (item 1 is not a projection)",
               function() ot.report({{}}) end)
  end},

  {"no data and unquantified", function()
    local none = ot.project(ot.target{series = "p.none", year = 2023, value = 1}, opts())
    assert(none.status == "no_data" and none.point == nil)
    local u = ot.project(ot.target{kind = "unquantified", year = 2023, label = "环境"}, opts())
    assert(u.status == "unquantified")
  end},

  {"calibrated intervals", function()
    local d = ot.project(tv, vdata)                  -- the default: the model's own
    local m = ot.project(tv, {series = vdata.series, paths = 2000, seed = 3, method = "naive",
                              intervals = "model"})
    local c = ot.project(tv, {series = vdata.series, paths = 2000, seed = 3, method = "naive",
                              intervals = "cv"})
    assert(d.method == "Naive on logs" and m.method == d.method)
    assert(d.point == m.point and d.lower[80] == m.lower[80] and d.upper[95] == m.upper[95])
    assert(c.method == "Naive on logs, cv intervals")
    assert(c.upper[80] - c.lower[80] > 2 * (m.upper[80] - m.lower[80]))
    assert(c.upper[95] - c.lower[95] > 2 * (m.upper[95] - m.lower[95]))
    H.eq(c.point, m.point, 0.01)                     -- widened around the point forecast
    -- ot.compare passes the option through: its baseline is c
    local r = ot.compare({tv}, nil, {series = vdata.series, paths = 2000, seed = 3,
                                     method = "naive", intervals = "cv", print = false})
    assert(r[1].baseline.prob == c.prob and r[1].baseline.point == c.point)
    H.checkmsg('bad argument #2 to \'project\' (intervals must be "model" or "cv", got "wide")',
               function() ot.project(tv, {series = vdata.series, intervals = "wide"}) end)
    -- rwsd, carry and rate have no model to calibrate: one rule, one wording
    for _, m in ipairs{"rwsd", "carry", "rate"} do
      H.checkmsg('bad argument #2 to \'project\' (intervals "cv" are not available with method '
                 .. m .. ' (use a model such as auto or ets))',
                 function() ot.project(tv, {series = vdata.series, method = m,
                                            intervals = "cv"}) end)
    end
    H.checkmsg('bad argument #3 to \'compare\' (intervals must be "model" or "cv", got "x")',
               function() ot.compare({tv}, nil, {series = vdata.series, intervals = "x"}) end)
  end},

  {"a relative target without a value has a margin of 0", function()
    local t = ot.target{series = "yiwu.exports", year = 2023, kind = "relative",
                        ref = "zhejiang.exports", op = ">"}
    assert(t.value == 0)
  end},

  {"unknown options are errors, with the near one", function()
    local t = ot.target{series = "x", year = 2023, value = 1}
    for _, c in ipairs{
      {"bad argument #2 to 'project' (unknown option 'seeds' (did you mean 'seed'?))",
       function() ot.project(t, {seeds = 1}) end},
      {"bad argument #2 to 'project' (unknown option 'as_at' (did you mean 'as_of'?))",
       function() ot.project(t, {as_at = "2023-09"}) end},
      {"bad argument #3 to 'compare' (unknown option 'prnt' (did you mean 'print'?))",
       function() ot.compare({t}, nil, {prnt = false}) end},
      {"bad argument #1 to 'target' (unknown option 'vaule' (did you mean 'value'?))",
       function() ot.target{series = "x", year = 2023, vaule = 1} end},
      {"bad argument #2 to 'report' (unknown option 'titel' (did you mean 'title'?))",
       function() ot.report({}, {titel = "x"}) end},
      {"bad argument #2 to 'project' (unknown option 'colour' (known: as_of, paths, seed, method, "
       .. "intervals, exclude_years, shape_years, scenario, db, series))",
       function() ot.project(t, {colour = "red"}) end},
      -- every ot.* call with an options table
      {"bad argument #1 to 'series' (unknown option 'vales' (did you mean 'values'?))",
       function() ot.series{freq = "Y", start = 2020, vales = {1}} end},
      {"bad argument #1 to 'plot' (unknown option 'hieght' (did you mean 'height'?))",
       function() ot.series{freq = "Y", start = 2020, values = {1, 2}}:plot{hieght = 3} end},
      {"bad argument #1 to 'with' (unknown option 'nmae' (did you mean 'name'?))",
       function() ot.series{freq = "Y", start = 2020, values = {1}}:with{nmae = "x"} end},
      {"bad argument #3 to 'fit' (unknown option 'sepc' (did you mean 'spec'?))",
       function() ot.fit(ot.series{freq = "Y", start = 2000, values = {1, 2, 3, 4}}, "naive",
                         {sepc = "x"}) end},
      {"bad argument #2 to 'forecast' (unknown option 'level' (did you mean 'levels'?))",
       function() ot.fit(ot.series{freq = "Y", start = 2000, values = {1, 2, 3, 4}}, "naive")
                    :forecast(2, {level = {80}}) end},
      {"bad argument #2 to 'open' (unknown option 'read_only' (did you mean 'readonly'?))",
       function() ot.open(":memory:", {read_only = true}) end},
      {"bad argument #2 to 'import' (unknown option 'fromat' (did you mean 'format'?))",
       function() ot.open(":memory:"):import("x.csv", {fromat = "long"}) end},
      {"bad argument #1 to 'targets' (unknown option 'yr' (did you mean 'year'?))",
       function() ot.open(":memory:"):targets{yr = 2023} end},
    } do H.checkmsg(c[1], c[2]) end
  end},

  {"a target's shape_years choose the reference's record years", function()
    -- s.ref: January-June grow 6 % every year; July-December 6.5 % or 5.5 %
    -- (alternately) in 2011-2015 and 10 % or 2 % in 2016-2019, so carry-forward
    -- at June misses by about +-0.25 points in the first years and +-2 in the
    -- later ones.  s.loc publishes only its ytd growth (5.0 in March, 5.4 in
    -- June 2023): it is carried forward with the range of s.ref's carry record
    -- in the years the target names (§12), which beat the option's.
    local rv, lvl = {}, {}
    for m = 1, 12 do lvl[m] = 100 + m end
    for yr = 0, 13 do
      local yy = 2010 + yr
      local b = yy <= 2015 and (yy % 2 == 0 and 0.065 or 0.055) or (yy % 2 == 0 and 0.10 or 0.02)
      for m = 1, 12 do
        if yr > 0 then lvl[m] = lvl[m] * (m <= 6 and 1.06 or 1 + b) end
        rv[yr * 12 + m] = lvl[m]
      end
    end
    local ser = {["s.ref"] = ot.series{key = "s.ref", freq = "M", start = "2010-01", values = rv},
                 ["s.loc"] = {ytd_yoy = ot.series{key = "s.loc", freq = "M", start = "2023-03",
                                                  values = {5.0, 0 / 0, 0 / 0, 5.4}}}}
    local function go(sy, osy)
      local t = ot.target{series = "s.loc", year = 2023, value = 5, shape = "s.ref",
                          shape_years = sy}
      return ot.project(t, {series = ser, as_of = "2023-06", paths = 2000, seed = 1,
                            shape_years = osy}), t
    end
    local calm, t = go("2012-2015")
    assert(t.shape_years == "2012-2015")
    local wild = go("2016-2019")
    local opt = go(nil, "2016-2019")
    local both = go("2012-2015", "2016-2019")
    H.eq(calm.point, 5.4)
    assert(calm.method == "carry with the range of s.ref", calm.method)
    assert(calm.notes:find("its errors on s.ref at month 6 in 2012-2015", 1, true), calm.notes)
    assert(wild.notes:find("s.ref at month 6 in 2016-2019", 1, true), wild.notes)
    -- +-0.25 x 2 (the typical local scale) against +-2 x 2: an eighth of the width
    local wc, ww = calm.upper[80] - calm.lower[80], wild.upper[80] - wild.lower[80]
    assert(wc < 3 and ww > 12 and wc < ww / 5, wc .. " " .. ww)
    H.eq(opt.lower[80], wild.lower[80])    -- the option when the target names none
    H.eq(both.lower[80], calm.lower[80])   -- the target's own years first
    -- years holding too little of the record (3 of the 4 it needs): the rules
    -- of thumb, and the notes say why the years asked for were not used
    local few = go("2013-2015")
    assert(few.method ~= "carry with the range of s.ref", few.method)
    assert(few.notes:find("the record of s.ref over the shape years 2013-2015 holds 3 of the 4 years "
                          .. "it needs: its range is not borrowed", 1, true), few.notes)
    assert(not calm.notes:find("shape years", 1, true), calm.notes)
    local mem = ot.open(":memory:")
    mem:put(t)
    assert(mem:targets{year = 2023}[1].shape_years == "2012-2015")   -- stored with the target
    mem:close()
    assert(ot.target{series = "a", year = 2023, value = 1, shape_years = 2019}.shape_years == "2019")
    assert(ot.target{series = "a", year = 2023, value = 1, shape_years = false}.shape_years == nil)
    H.checkerror("bad argument #1 to 'target' %(field 'shape_years' must be years like "
                 .. "\"2020%-2022\", a year or false, got '2019%-2014'%)", function()
      ot.target{series = "a", year = 2023, value = 1, shape_years = "2019-2014"} end)
  end},

  {"compare", function()
    local zero = ot.scenario("zero Q4", function(sc)
      sc:shock("p.x", -100, {from = "2023-10", to = "2023-12"})
    end)
    local r = ot.compare({t75}, {zero}, opts{as_of = "2023-09", print = false})
    assert(r.scenarios[1] == "baseline" and r.scenarios[2] == "zero Q4")
    assert(r[1].target == t75 and r[1].label == "x增长7.5%")
    H.eq(r[1]["zero Q4"].point, 100 * (495 / 780 - 1))
    H.eq(r[1]["zero Q4"].prob, 0)
    assert(r[1].baseline.prob > 0)
    -- a comparison that printed itself reads as a summary, not an address
    local saved = print
    print = function() end
    local shown = ot.compare({t75, t75}, {zero}, opts{as_of = "2023-09"})
    print = saved
    assert(tostring(shown) == "comparison of 2 targets under baseline, zero Q4", tostring(shown))
  end},
}
