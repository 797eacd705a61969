-- test_series.lua — series construction, fields, metamethods and every
-- operation, against values worked out by hand (the working is beside each).
package.path = arg[0]:gsub("[^/]*$", "") .. "?.lua;" .. package.path
local H = require "harness"
local NA = H.NA

-- x: 2022 months are 10*m (10, 20, ..., 120; total 780),
--    2023 months are 11*m (11, 22, ..., 132; total 858).
local xv = {}
for m = 1, 12 do xv[m] = 10 * m end
for m = 1, 12 do xv[12 + m] = 11 * m end
local x = ot.series{key = "t.x", freq = "M", start = "2022-01", values = xv,
                    name = "出口", unit = "亿元", kind = "flow"}

local function M(start, values, extra)
  local t = {freq = "M", start = start, values = values}
  for k, v in pairs(extra or {}) do t[k] = v end
  return ot.series(t)
end

H.run{
  {"fields", function()
    assert(x.key == "t.x" and x.name == "出口" and x.unit == "亿元")
    assert(x.freq == "M" and x.kind == "flow" and x.start == "2022-01" and x.stop == "2023-12")
    assert(#x == 24)
    assert(x[1] == 10 and x[24] == 132 and x[0] == nil and x[25] == nil and x[1.5] == nil)
    assert(x["2023-03"] == 33 and x["2021-12"] == nil)
    assert(x.nosuchfield == nil)
    local q = ot.series{freq = "Q", start = 2023, values = {1, 2}}
    assert(q.start == "2023Q1" and q.key == nil and q.kind == "flow")
    -- an empty series keeps its start and has no last period
    local e = ot.series{freq = "M", start = "2023-01", values = {}}
    assert(#e == 0 and e.start == "2023-01" and e.stop == nil and e:last() == nil)
  end},

  {"missing values", function()
    local s = ot.series{freq = "Y", start = 2020, values = {n = 3, 1, nil, 3}}
    assert(#s == 3 and s[2] == nil and s[3] == 3)
    local v = s:values()
    assert(#v == 3 and v[2] ~= v[2])                 -- NaN inside values()
    assert(ot.missing(v[2]) and ot.missing(nil) and not ot.missing(0))
    local t = ot.series{freq = "Y", start = 2020, values = {1, 0/0, 3}}
    assert(s == t)                                   -- missing equals missing
  end},

  {"pairs, periods, values, last", function()
    local s = M("2023-01", {n = 4, 5, 6, 7, nil})
    local ps, vs = {}, {}
    for p, v in s:pairs() do ps[#ps + 1] = p; vs[#ps] = v end
    assert(#ps == 4 and ps[1] == "2023-01" and ps[4] == "2023-04")
    assert(vs[1] == 5 and vs[3] == 7 and vs[4] == nil)
    local per = s:periods()
    assert(per[2] == "2023-02" and #per == 4)
    local v, p = s:last()                            -- trailing missing skipped
    assert(v == 7 and p == "2023-03")
    assert(M("2023-01", {n = 1, nil}):last() == nil)
  end},

  {"equality and immutability", function()
    assert(M("2023-01", {1, 2}) == M("2023-01", {1, 2}))
    assert(M("2023-01", {1, 2}) ~= M("2023-02", {1, 2}))
    assert(M("2023-01", {1, 2}) ~= M("2023-01", {1, 3}))
    H.checkerror("series are immutable", function() x[1] = 5 end)
  end},

  {"arithmetic", function()
    local a = M("2023-01", {1, 2, 3})
    local b = M("2023-02", {10, 20})
    -- union: 2023-01 has no b value -> missing; 2+10, 3+20
    H.series(a + b, "2023-01", {NA, 12, 23})
    H.series(a:add(b, "intersect"), "2023-02", {12, 23})
    H.series(b - a, "2023-01", {NA, 8, 17})
    H.series(a * b, "2023-01", {NA, 20, 60})
    H.series(b / a, "2023-01", {NA, 5, 20 / 3})
    H.series(a * 2, "2023-01", {2, 4, 6})
    H.series(2 * a, "2023-01", {2, 4, 6})
    H.series(1 - a, "2023-01", {0, -1, -2})         -- scalar on the left
    H.series(a / 2, "2023-01", {0.5, 1, 1.5})
    H.series(-a, "2023-01", {-1, -2, -3})
    H.series(a / M("2023-01", {1, 0, 2}), "2023-01", {1, NA, 1.5})  -- x/0 is missing
    H.series(a:div(b, "intersect"), "2023-02", {0.2, 0.15})
    assert((a * 2).key == nil or true)
  end},

  {"lag lead diff pct", function()
    local a = M("2023-01", {100, 110, 121})
    H.series(a:lag(), "2023-02", {100, 110, 121})
    H.series(a:lag(12), "2024-01", {100, 110, 121})
    H.series(a:lead(1), "2022-12", {100, 110, 121})
    H.series(a:lag(-1), "2022-12", {100, 110, 121})
    H.series(a:diff(), "2023-01", {NA, 10, 11})
    H.series(a:pct(), "2023-01", {NA, 10, 10})      -- 110/100-1, 121/110-1
    -- diff(12) at 2023-03: 33 - 30 = 3; pct(12) = 10%
    H.eq(x:diff(12)["2023-03"], 3)
    H.eq(x:pct(12)["2023-03"], 10)
    assert(a:pct().unit == "%" and a:pct().kind == "rate")
  end},

  {"yoy ytd from_ytd ytd_yoy", function()
    local y = x:yoy()
    assert(y["2022-12"] == nil)
    for m = 1, 12 do H.eq(y[12 + m], 10) end        -- 11m / 10m - 1 = 10%
    local ytd = x:ytd()
    H.eq(ytd["2022-03"], 60)                        -- 10 + 20 + 30
    H.eq(ytd["2022-12"], 780)
    H.eq(ytd["2023-01"], 11)                        -- restarts each year
    H.eq(ytd["2023-03"], 66)                        -- 11 + 22 + 33
    assert(ytd:from_ytd() == x)
    local yy = x:ytd_yoy()
    H.eq(yy["2023-03"], 10)                         -- 66 / 60 - 1
    H.eq(yy["2023-12"], 10)                         -- 858 / 780 - 1
    assert(yy["2022-06"] == nil)
  end},

  {"january-february combined", function()
    -- 2022: Jan 10, Feb 20, Mar 30; 2023: Jan+Feb released together as 33, Mar 33
    local s = M("2022-01", {10, 20, 30, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0/0, 33, 33},
                {covered = {"2023-01"}})
    assert(s:covered("2023-01") and not s:covered("2023-02"))
    assert(s["2023-01"] == nil)
    local v, p = M("2023-01", {0/0, 33}, {covered = {"2023-01"}}):last()
    assert(v == 33 and p == "2023-01/02")
    -- yoy on the combined February: 33 / (10 + 20) - 1 = 10%
    H.eq(s:yoy()["2023-02"], 10)
    -- ytd: January's own total is missing, February 33, March 66
    local ytd = s:ytd()
    assert(ytd["2023-01"] == nil)
    H.eq(ytd["2023-02"], 33)
    H.eq(ytd["2023-03"], 66)
    -- to("Q"): 2023Q1 = 33 + 33 = 66 (the combined value counts for both months)
    H.eq(s:to("Q", "sum")["2023Q1"], 66)
    H.eq(s:to("Q", "sum")["2022Q1"], 60)
    -- from_ytd of a ytd series that starts in February: February carries Jan+Feb
    local f = M("2023-02", {30, 60}):from_ytd()
    assert(f.start == "2023-01" and f:covered("2023-01"))
    H.eq(f["2023-02"], 30)
    H.eq(f["2023-03"], 30)
    -- split by last year's shares: Jan' 10, Feb' 20 -> 33 * 1/3 and 33 * 2/3
    local sp = s:split_janfeb()
    H.eq(sp["2023-01"], 11)
    H.eq(sp["2023-02"], 22)
    assert(not sp:covered("2023-01"))
    -- start at a January–February period: the first value is that release, on February
    -- with January covered (as published: 1-2月, 3月 …), never January's own value
    for _, start in ipairs{"2023-01/02", "2023年1-2月"} do
      local r = M(start, {33, 40})
      assert(r.start == "2023-01" and #r == 3 and r:covered("2023-01") and r["2023-01"] == nil)
      assert(r["2023-02"] == 33 and r["2023-03"] == 40)
      assert(r == M("2023-01", {0/0, 33, 40}, {covered = {"2023-01"}}))
    end
    assert(#M("2023-01/02", {}) == 0)
    -- indexing by a January–February period gives that release, never February's own value
    assert(M("2023-01/02", {33, 40})["2023-01/02"] == 33)
    assert(M("2023-01", {10, 20, 30})["2023-01/02"] == nil and M("2023-01", {10, 20})["2023年1-2月"] == nil)
    -- a daily series starting at it starts on January 1st
    assert(ot.series{freq = "D", start = "2023-01/02", values = {1}}.start == "2023-01-01")
  end},

  {"to", function()
    local y = x:to("Y", "sum")
    H.series(y, "2022", {780, 858})
    H.series(x:to("Q", "sum"):window("2022Q1", "2022Q2"), "2022Q1", {60, 150})
    H.eq(x:to("Q", "mean")["2022Q1"], 20)
    H.eq(x:to("Q", "last")["2022Q1"], 30)
    H.eq(x:to("Q", "first")["2022Q1"], 10)
    H.eq(x:to("Y")["2023"], 858)                    -- flows default to "sum"
    local stock = x:with{kind = "stock"}
    H.eq(stock:to("Y")["2022"], 120)                -- stocks default to "last"
    local rate = x:with{kind = "rate"}
    H.eq(rate:to("Y")["2022"], 65)                  -- rates default to "mean": 780 / 12
    -- an incomplete year is missing
    local part = M("2023-01", {1, 2, 3})
    assert(part:to("Y", "sum")["2023"] == nil)
    H.series(part:to("Q", "sum"), "2023Q1", {6})
  end},

  {"window", function()
    H.series(x:window("2022-06", "2022-08"), "2022-06", {60, 70, 80})
    H.series(x:window("2023-11"), "2023-11", {121, 132})
    H.series(x:window(nil, "2022-02"), "2022-01", {10, 20})
    H.series(x:window(2023, 2023), "2023-01", {11, 22, 33, 44, 55, 66, 77, 88, 99, 110, 121, 132})
    H.series(x:window("2023Q4"), "2023-10", {110, 121, 132})
    H.series(x:window("2021-11", "2022-01"), "2021-11", {NA, NA, 10})  -- missing outside
  end},

  {"rolling fill index", function()
    local a = M("2023-01", {1, 2, 3, 4})
    H.series(a:rolling(2, "sum"), "2023-01", {NA, 3, 5, 7})
    H.series(a:rolling(3), "2023-01", {NA, NA, 2, 3})          -- mean
    H.series(a:rolling(2, "max"), "2023-01", {NA, 2, 3, 4})
    H.series(a:rolling(2, "min"), "2023-01", {NA, 1, 2, 3})
    -- sd of {1, 2} with n - 1: sqrt(0.5)
    H.series(a:rolling(2, "sd"), "2023-01", {NA, math.sqrt(0.5), math.sqrt(0.5), math.sqrt(0.5)})
    local g = M("2023-01", {n = 6, 1, nil, 3, nil, nil, 6})
    H.series(g:fill(), "2023-01", {1, 2, 3, 4, 5, 6})
    H.series(g:fill("previous"), "2023-01", {1, 1, 3, 3, 3, 6})
    H.series(g:fill("none"), "2023-01", {1, NA, 3, NA, NA, 6})
    H.series(M("2023-01", {n = 2, nil, 2}):fill(), "2023-01", {NA, 2})  -- leading gap stays
    H.series(a:index("2023-02"), "2023-01", {50, 100, 150, 200})
    -- index on a year: 2022's mean is 780 / 12 = 65; 10 / 65 * 100
    H.eq(x:index(2022)[1], 1000 / 65)
  end},

  {"share contribution implied_level", function()
    local part = M("2023-01", {1, 2})
    local total = M("2023-01", {4, 4})
    H.series(part:share(total), "2023-01", {25, 50})
    -- yearly: part 10 -> 15, total 100 -> 120: (15 - 10) / 100 * 100 = 5 points
    local p = ot.series{freq = "Y", start = 2022, values = {10, 15}}
    local t = ot.series{freq = "Y", start = 2022, values = {100, 120}}
    H.series(p:contribution(t), "2022", {NA, 5})
    -- growth 10% in 2023 on a base of 100 in 2022 -> 110
    local g = ot.series{freq = "Y", start = 2023, values = {10}, kind = "rate"}
    local base = ot.series{freq = "Y", start = 2022, values = {100}}
    H.series(g:implied_level(base), "2022", {100, 110})
  end},

  {"with", function()
    local r = x:with{key = "t.y", name = "", unit = "万元"}
    assert(r.key == "t.y" and r.name == nil and r.unit == "万元" and r.kind == "flow")
    assert(r == x and x.key == "t.x")               -- values equal; x unchanged
  end},

  {"tostring", function()
    local txt = tostring(x)
    assert(txt:find("t.x  出口  [M flow, 亿元, 24 values 2022-01..2023-12]", 1, true))
    assert(txt:find("\n  ...\n", 1, true))            -- head and tail only
    assert(txt:find("2022-01", 1, true) and txt:find("2023-12", 1, true))
    assert(not txt:find("2022-08", 1, true))
    local short = tostring(M("2023-01", {n = 2, 1.5, nil}))
    assert(short == "series  [M flow, 2 values 2023-01..2023-02]\n  2023-01  1.5\n  2023-02    -",
           short)
  end},

  {"plot", function()
    local printed = {}
    local saved = print
    print = function(x) printed[#printed + 1] = x end
    -- one row: 0 (the bottom) is the lowest eighth, so the lowest value
    -- never looks like a missing one (a blank); 8 (the top) a full block
    ot.series{freq = "Y", start = 2020, values = {0, 8}}:plot{height = 1}
    -- two rows from 0 to 4 (8 eighths each) with the target at 2, the top of
    -- the bottom row: that row is dotted where a value is missing; 0 is the
    -- lowest eighth, 1 is 4 eighths (a half block) in the bottom row, 4 fills
    -- both rows
    ot.series{key = "k", freq = "Y", start = 2020, values = {n = 4, 0, 1, nil, 4}}
      :plot{height = 2, target = 2}
    print = saved
    assert(printed[1] == "8 \u{2502}\u{2581}\u{2588}\n   2020 2021", printed[1])
    assert(printed[2] == "4 \u{2502}   \u{2588}\n" ..
                         "0 \u{2502}\u{2581}\u{2584}\u{2508}\u{2588} target 2\n" ..
                         "   2020 2023  k", printed[2])
    H.checkmsg("bad argument #1 to 'plot' (height must be 1..60)",
               function() x:plot{height = 0} end)
  end},

  {"covered asks about one period of the series' own frequency", function()
    local jf = M("2023-01/02", {30, 30})
    assert(jf:covered("2023-01") and not jf:covered("2023-02"))
    -- "2023-01/02" names the combined value on February, which is not covered
    assert(not jf:covered("2023-01/02") and not jf:covered("2023年1-2月"))
    -- a quarter, a year or a day is not a month of it (these answered true)
    H.checkmsg("bad argument #1 to 'covered' (a M period expected, got '2023Q1')",
               function() return jf:covered("2023Q1") end)
    H.checkmsg("bad argument #1 to 'covered' (a M period expected, got '2023')",
               function() return jf:covered(2023) end)
    H.checkmsg("bad argument #1 to 'covered' (a M period expected, got '2023-01-20')",
               function() return jf:covered("2023-01-20") end)
  end},

  {"a period is a period however it is spelled", function()
    -- full-width digits and blanks parse everywhere else; indexing gave nil
    assert(x["２０２３-03"] == 33 and x[" 2023-03"] == 33 and x["2023年3月"] == 33)
    assert(x.nosuchfield == nil and x["月"] == nil)
    H.checkmsg("'2023-13' is not a period (month must be 1-12)", function() return x["2023-13"] end)
    -- covered names a January, or the January–February release it belongs to
    local jf = M("2023-01", {0/0, 30}, {covered = {"2023-01/02"}})
    assert(jf:covered("2023-01") and jf["2023-01/02"] == 30)
    assert(M("2023-01", {0/0, 30}, {covered = {"2023年1-2月"}}) == jf)
  end},

  {"a window with one open end past the data is empty", function()
    -- these raised "bad argument #2 to 'window' ('no value: (nil)' is before ...)"
    local e = M("2023-01", {}):window()
    assert(#e == 0 and e.start == "2023-01")
    local late = x:with{key = "t.late"}:window("2030-01")
    assert(#late == 0 and late.start == "2030-01" and late.key == "t.late" and late.unit == "亿元")
    local early = x:window(nil, "2020-06")
    assert(#early == 0 and early.start == "2022-01")
    H.checkmsg("bad argument #2 to 'window' ('2023-01' is before '2023-03')",
               function() return x:window("2023-03", "2023-01") end)
  end},

  {"ranges of k and of a rolling window say what is allowed", function()
    H.checkmsg("bad argument #1 to 'rolling' (window must be 1 to 1000000 periods, got 1000001)",
               function() return x:rolling(1000001) end)
    H.checkmsg("bad argument #1 to 'lag' (k must be at most 1000000, got 1000001)",
               function() return x:lag(1000001) end)
    H.checkmsg("bad argument #1 to 'diff' (k must be at most 1000000, got 1000001)",
               function() return x:diff(1000001) end)
  end},

  {"close", function()
    local keep
    do
      local c <close> = M("2023-01", {1})
      keep = c
    end
    assert(tostring(keep) == "series (closed)")
    H.checkerror("series is closed", function() return keep:yoy() end)
    H.checkerror("series is closed", function() return keep + 1 end)
  end},
}
