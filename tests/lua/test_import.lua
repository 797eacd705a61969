-- test_import.lua — the rules CSV import and db:put share (one key and period
-- validator, core/text.h), and db:revisions: every vintage of every period.
package.path = arg[0]:gsub("[^/]*$", "") .. "?.lua;" .. package.path
local H = require "harness"

local tmpfiles = {}
local function tmpdb()
  local path = os.tmpname()
  os.remove(path)
  tmpfiles[#tmpfiles + 1] = path
  return ot.open(path), path
end

local function M(start, values, extra)
  local t = {freq = "M", start = start, values = values}
  for k, v in pairs(extra or {}) do t[k] = v end
  return ot.series(t)
end

H.run{
  {"db:put refuses the keys import refuses", function()
    local db = tmpdb()
    local s = M("2023-01", {1, 2})
    H.checkmsg("bad argument #2 to 'put' (field 'key' holds a NUL character: 'nul\\x00tail')",
               function() return db:put(s, {key = "nul\0tail"}) end)
    -- no string option is cut at a NUL: ot.series refuses the key before db:put sees it
    H.checkmsg("bad argument #1 to 'series' (field 'key' holds a NUL character: 'nul\\x00tail')",
               function() return M("2023-01", {1, 2}, {key = "nul\0tail"}) end)
    H.checkmsg("bad argument #2 to 'put' (expected a series key, found control character 0x1B in 'a\\x1b[31mRED')",
               function() return db:put(s, {key = "a\27[31mRED"}) end)
    H.checkmsg("bad argument #2 to 'put' (expected a series key, found control character 0x0A in 'a\\nb')",
               function() return db:put(s, {key = "a\nb"}) end)
    H.checkmsg("bad argument #1 to 'put' (expected a series key, found control character 0x09 in 'tab\\tkey')",
               function() return db:put(M("2023-01", {1}, {key = "tab\tkey"})) end)
    assert(#db:keys() == 0)
  end},

  {"db:put refuses an infinite value, as import does", function()
    local db = tmpdb()
    H.checkmsg("inf.x 2023-02: -inf is not a number that can be stored",
               function() return db:put(M("2023-01", {1, -math.huge, 3}, {key = "inf.x"})) end)
    assert(#db:keys() == 0)                   -- nothing of it is written
    H.checkmsg("inf.x 2023-01: inf is not a number that can be stored",
               function() return db:put(M("2023-01", {1 / 0}), {key = "inf.x"}) end)
  end},

  {"db:put refuses periods beyond the year 9999", function()
    local db = tmpdb()
    -- ot.series and the series operations refuse such a series; a forecast does not
    local s = ot.fit(M("9999-09", {1, 2}), "naive"):forecast(4).mean
    H.checkerror("far.x 10000-02: expected a period in the years 1 to 9999, found year 10000",
                 function() return db:put(s, {key = "far.x"}) end)
    assert(#db:keys() == 0)                   -- one transaction: nothing of it stays
    assert(db:put(M("9999-11", {1, 2}, {key = "far.y"})) == 2)
  end},

  {"db:revisions: every vintage, with its import", function()
    local db, path = tmpdb()
    db:put(M("2024-01", {66.96, 70}, {key = "r.x"}))
    db:put(M("2024-01", {67.5}, {key = "r.x"}), {vintage = "2024-03-10", source = "年鉴"})
    local f = os.tmpname()
    tmpfiles[#tmpfiles + 1] = f
    local h = assert(io.open(f, "w"))
    h:write("series,period,value,vintage\nr.x,2024-02,71.25,2024-04-01\n")
    h:close()
    db:import(f)
    local r = db:revisions("r.x")
    assert(#r == 4)
    assert(r[1].period == "2024-01" and r[1].measure == "value" and r[1].value == 66.96)
    assert(r[1].vintage == "2024-02-15" and r[1].undated and r[1].import == nil and r[1].file == nil)
    assert(r[2].value == 67.5 and r[2].vintage == "2024-03-10" and not r[2].undated)
    assert(r[2].source == "年鉴")
    assert(r[3].period == "2024-02" and r[3].value == 70 and r[3].vintage == "2024-03-15")
    assert(r[4].value == 71.25 and r[4].file == f and math.type(r[4].import) == "integer")
    assert(r[4].time:match("^%d%d%d%d%-%d%d%-%d%dT"))
    local jan = db:revisions("r.x", "2024-01")
    assert(#jan == 2 and jan[2].value == 67.5)
    assert(#db:revisions("r.x", "2023-05") == 0)
    H.checkerror("unknown series 'r.y'", function() return db:revisions("r.y") end)
    H.checkmsg("bad argument #2 to 'revisions' ('soon' is not a period)",
               function() return db:revisions("r.x", "soon") end)
  end},

  {"db:import: bureau tables, workbooks, dry runs, maps", function()
    local db = tmpdb()
    db:import("tests/data/import/bureau/series.csv")
    assert(db:meta("xq.retail").aliases == "社零总额|社零额")
    local st = db:import("tests/data/import/bureau/主要经济指标_两行表头.csv", {dry_run = true})
    assert(st.inserted == 15 and st.missing == 1 and st.skipped == 5)
    assert(#db:revisions("xq.iva") == 0)                 -- a dry run writes nothing
    st = db:import("tests/data/import/xlsx/bureau.xls", {sheet = "按日期"})
    assert(st.inserted == 2)
    local r = db:revisions("xq.exports")
    assert(r[1].period == "2024-07" and r[1].value == 30.5 and r[2].period == "2024-08")
    H.checkerror("no sheet 'none'", function()
      return db:import("tests/data/import/xlsx/bureau.xls", {sheet = "none"})
    end)
    local map = os.tmpname()
    tmpfiles[#tmpfiles + 1] = map
    local h = assert(io.open(map, "w"))
    h:write("header,series,measure\n规上工业增加值累计值(亿元),xq.other,ytd\n")
    h:close()
    db:import("tests/data/import/bureau/主要经济指标_单行表头.csv", {map = map})
    assert(#db:revisions("xq.other") == 3)
    -- a sheet for CSV files only, a map that cannot be read: raised, nothing read
    H.checkerror("a sheet was named ('按日期'), but no file is a workbook (.xlsx, .xls): a CSV "
                 .. "file has no sheets", function()
      return db:import("tests/data/import/bureau/series.csv", {sheet = "按日期"})
    end)
    H.checkerror("cannot open the map " .. map .. ".none: No such file or directory", function()
      return db:import("tests/data/import/bureau/series.csv", {map = map .. ".none"})
    end)
  end},

  {"db:import raises with every problem's file:line:column", function()
    local db = tmpdb()
    local bad = os.tmpname()
    tmpfiles[#tmpfiles + 1] = bad
    local h = assert(io.open(bad, "w"))
    h:write("series,period,value\nq.a,2023-01,1\nq.a,2023-13,2\nq.b,2023-02,abc\n")
    h:close()
    local ok, msg = pcall(function() return db:import(bad) end)
    assert(not ok)
    local want = bad .. ":3:2: expected a period such as 2023-01, 2023Q1 or 2023年1-2月, found '2023-13' (month must be 1-12)\n"
                 .. bad .. ":4:3: expected a number such as 1234.5, 1,234.5 or 12.3%, found 'abc'"
    assert(msg:sub(-#want) == want, msg)
    assert(msg:find("^tests/lua/test_import%.lua:%d+: "), msg)    -- the caller's line first
    assert(#db:keys() == 0)                                       -- nothing imported
    -- more than twenty: the first twenty, then how many more
    h = assert(io.open(bad, "w"))
    h:write("series,period,value\n")
    for i = 1, 25 do h:write("q.a,2023-01,x", i, "\n") end
    h:close()
    ok, msg = pcall(function() return db:import(bad) end)
    assert(not ok and select(2, msg:gsub("\n", "")) == 20 and msg:find("\n... and 5 more errors$"), msg)
  end},
}

for _, p in ipairs(tmpfiles) do
  os.remove(p); os.remove(p .. "-wal"); os.remove(p .. "-shm")
end
