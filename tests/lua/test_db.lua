-- test_db.lua — the database from Lua: open, put and read back, vintages and
-- as-of reads, measures, keys, metadata, targets and CSV import.  Each case
-- uses its own database file under the system's temporary directory.
package.path = arg[0]:gsub("[^/]*$", "") .. "?.lua;" .. package.path
local H = require "harness"
local NA = H.NA

local tmpfiles = {}
local function tmpdb()
  local path = os.tmpname()
  os.remove(path)
  tmpfiles[#tmpfiles + 1] = path
  return ot.open(path), path
end

local function writefile(text)
  local path = os.tmpname()
  local f = assert(io.open(path, "w"))
  f:write(text)
  f:close()
  tmpfiles[#tmpfiles + 1] = path
  return path
end

local function M(start, values, extra)
  local t = {freq = "M", start = start, values = values}
  for k, v in pairs(extra or {}) do t[k] = v end
  return ot.series(t)
end

H.run{
  {"put and read back", function()
    local db = tmpdb()
    local s = M("2023-01", {1, 2, 3}, {key = "d.x", name = "测试", unit = "亿元", kind = "stock"})
    local ins, same = db:put(s)
    assert(ins == 3 and same == 0)
    ins, same = db:put(s)                           -- identical: nothing written
    assert(ins == 0 and same == 3)
    local r = db:series("d.x")
    assert(r == s and r.key == "d.x" and r.name == "测试" and r.unit == "亿元" and r.kind == "stock")
    local m = db:meta("d.x")
    assert(m.key == "d.x" and m.name == "测试" and m.unit == "亿元" and m.freq == "M" and m.kind == "stock")
    db:close()
  end},

  {"put under another key, gaps skipped", function()
    local db = tmpdb()
    local s = M("2023-01", {n = 3, 5, nil, 7})
    H.checkmsg("bad argument #1 to 'put' (the series has no key (give one: s:with{key = ...} or {key = ...}))",
               function() return db:put(s) end)
    assert(db:put(s, {key = "d.g"}) == 2)
    H.series(db:series("d.g"), "2023-01", {5, NA, 7})
  end},

  {"a growth rate or another unit is not put over a series of levels", function()
    local db = tmpdb()
    local s = M("2022-01", {100, 110, 120, 130, 140, 150, 160, 170, 180, 190, 200, 210,
                            110, 121, 132, 143, 154, 165, 176, 187, 198, 209, 220, 231},
                {key = "d.lv", unit = "亿元", kind = "flow"})
    db:put(s)
    -- s:yoy() keeps the key: put as values it would turn the flow into a rate in %
    H.checkmsg("d.lv is stored as a flow in 亿元; this series is a rate (a growth rate made by " ..
               "s:yoy() keeps its key): store it as a measure of it ({measure = \"yoy\"}) or " ..
               "under a key of its own ({key = \"d.lv.yoy\"})",
               function() return db:put(s:yoy(), {vintage = "2024-01-20"}) end)
    H.checkmsg("d.lv is in 亿元; this series is in 万元 (change a series' unit through the series " ..
               "metadata, or convert the figures to 亿元)",
               function() return db:put(s:with{unit = "万元"}, {vintage = "2024-01-20"}) end)
    local m = db:meta("d.lv")
    assert(m.kind == "flow" and m.unit == "亿元")
    assert(db:put(s:with{unit = "100m_cny"}) == 0)       -- the same unit spelt otherwise
    assert(db:put(s:yoy(), {measure = "yoy"}) == 12)       -- as a measure: 10 % a month
    assert(math.abs(db:series("d.lv", {measure = "yoy"})["2023-06"] - 10) < 1e-9)
    assert(db:put(s:yoy(), {key = "d.lv.yoy"}) == 12)
    assert(db:meta("d.lv.yoy").kind == "rate" and db:meta("d.lv").kind == "flow")
  end},

  {"vintages and as_of", function()
    local db = tmpdb()
    db:put(M("2023-01", {100, 200}, {key = "d.v"}), {vintage = "2023-02-10"})
    db:put(M("2023-01", {100, 250}, {key = "d.v"}), {vintage = "2023-03-10"})  -- February revised
    H.series(db:series("d.v", {as_of = "2023-02-20"}), "2023-01", {100, 200})
    H.series(db:series("d.v", {as_of = "2023-03-10"}), "2023-01", {100, 250})
    H.series(db:series("d.v"), "2023-01", {100, 250})
    H.series(db:series("d.v", {as_of = "latest"}), "2023-01", {100, 250})
    -- a period as_of: the latest data through that period
    H.series(db:series("d.v", {as_of = "2023-01"}), "2023-01", {100})
    H.series(db:series("d.v", {as_of = "2023Q1"}), "2023-01", {100, 250})
    -- an integer is a year, as everywhere a period is expected
    H.series(db:series("d.v", {as_of = 2023}), "2023-01", {100, 250})
    -- before anything was known: an empty series, as it was then (its key,
    -- frequency and unit kept), not an error; its start is the period after
    -- a period as_of, the period of a date as_of
    H.series(db:series("d.v", {as_of = 2022}), "2023-01", {})
    local e = db:series("d.v", {as_of = "2023-02-09"})
    H.series(e, "2023-02", {})
    assert(e.key == "d.v" and e.freq == "M" and e:last() == nil)
    H.checkmsg("unknown series 'd.nope'", function() return db:series("d.nope", {as_of = 2022}) end)
    H.checkmsg("bad argument #2 to 'series' (field 'as_of' must be a date, a period or a year "
               .. "1-9999, got 2023.5)", function() return db:series("d.v", {as_of = 2023.5}) end)
    H.series(db:series("d.v", {as_of = "2022-12"}), "2023-01", {})
    -- undated rows count from the end of their period plus the release lag
    -- (monthly: 15 days, so 2023-03 from 2023-04-15)
    db:put(M("2023-03", {300}, {key = "d.v"}))
    assert(db:series("d.v", {as_of = "2023-04-14"})["2023-03"] == nil)
    assert(db:series("d.v", {as_of = "2023-04-15"})["2023-03"] == 300)
    H.checkmsg("bad argument #2 to 'put' (vintage: '10 March' is not a date (year must have 4 digits))",
               function() return db:put(M("2023-01", {1}, {key = "d.v"}), {vintage = "10 March"}) end)
  end},

  {"measures", function()
    local db = tmpdb()
    local x = M("2023-01", {10, 20, 30}, {key = "d.m"})
    db:put(x:with{unit = "亿元", kind = "flow"})
    db:put(x:ytd(), {measure = "ytd"})
    db:put(x:pct(), {measure = "yoy"})              -- unit "%", kind rate: not the key's
    assert(db:meta("d.m").unit == "亿元" and db:meta("d.m").kind == "flow")
    H.checkmsg("series 'd.m' stores several measures (value, ytd, yoy): say which, e.g. {measure = \"value\"} (--measure value on the command line)",
               function() return db:series("d.m") end)
    H.series(db:series("d.m", {measure = "ytd"}), "2023-01", {10, 30, 60})
    H.series(db:series("d.m", {measure = "value"}), "2023-01", {10, 20, 30})
    H.checkmsg("series 'd.m' has no 'ytd_yoy' observations (stored: value, ytd, yoy)",
               function() return db:series("d.m", {measure = "ytd_yoy"}) end)
    H.checkmsg('bad argument #2 to \'series\' (field \'measure\': expected "value", "ytd", "yoy" or "ytd_yoy", got "total")',
               function() return db:series("d.m", {measure = "total"}) end)
    H.checkmsg("unknown series 'd.nope'", function() return db:series("d.nope") end)
  end},

  {"january-february survives the store", function()
    local db = tmpdb()
    local j = M("2023-01", {0/0, 33, 40}, {key = "d.j", covered = {"2023-01"}})
    db:put(j)
    local r = db:series("d.j")
    assert(r == j and r:covered("2023-01"))
    -- through January: the Jan-Feb value is not out yet, so nothing is known
    H.series(db:series("d.j", {as_of = "2023-01"}), "2023-02", {})
    H.series(db:series("d.j", {as_of = "2023-02"}), "2023-01", {NA, 33})
  end},

  {"keys", function()
    local db = tmpdb()
    for _, k in ipairs{"b.two", "a.one", "b.one"} do
      db:put(M("2023-01", {1}, {key = k}))
    end
    local all = db:keys()
    assert(#all == 3 and all[1] == "a.one" and all[2] == "b.one" and all[3] == "b.two")
    local b = db:keys("b.*")
    assert(#b == 2 and b[1] == "b.one")
    assert(#db:keys("z*") == 0)
  end},

  {"import and targets", function()
    local db = tmpdb()
    local csv = writefile("series,period,value,measure\n" ..
                          "d.i,2023-01,5,value\n" ..
                          "d.i,2023-02,6,value\n" ..
                          "d.i,2023年1-2月,11,ytd\n")
    local st = db:import(csv)
    assert(st.files == 1 and st.rows == 3 and st.inserted == 3, st.inserted)
    assert(db:import(csv).already == 1)             -- same file again: skipped
    H.series(db:series("d.i", {measure = "value"}), "2023-01", {5, 6})
    local y = db:series("d.i", {measure = "ytd"})
    assert(y:covered("2023-01") and y["2023-02"] == 11)
    local targets = writefile("series,year,kind,op,value,ref,tolerance,label\n" ..
                              "d.i,2023,growth,>=,7.5,,,增长7.5%\n" ..
                              "d.i,2024,level,>,100,,,总量100\n")
    db:import(targets, {format = "targets"})
    local ts = db:targets{year = 2023}
    assert(#ts == 1)
    local t = ts[1]
    assert(t.series == "d.i" and t.year == 2023 and t.kind == "growth" and t.op == ">=" and
           t.value == 7.5 and t.label == "增长7.5%" and t.id)
    assert(tostring(t) == "d.i 2023: growth >= 7.5 (增长7.5%)", tostring(t))
    assert(#db:targets() == 2 and #db:targets(2024) == 1)
    -- a target made in Lua, stored
    local mine = ot.target{series = "d.i", year = 2025, kind = "level", op = ">", value = 9,
                           label = "自定"}
    local id = db:put(mine)
    assert(math.type(id) == "integer" and mine.id == id)
    assert(db:put(mine) == id)                      -- the same target again: same id
    local got = db:targets{year = 2025}
    assert(#got == 1 and got[1].id == id and got[1].label == "自定" and got[1].op == ">")
    local bad = writefile("series,period,value\nd.b,2023-01,abc\n")
    local msg = H.checkerror("abc", function() return db:import(bad) end)
    assert(msg:find(bad .. ":2:", 1, true), msg)    -- file:line: in the message
    assert(#db:keys("d.b") == 0)                    -- nothing imported
    H.checkmsg('bad argument #2 to \'import\' (field \'format\': expected "auto", "long", "wide", "targets" or "series", got "xlsx")',
               function() return db:import(bad, {format = "xlsx"}) end)
  end},

  {"a stock's yoy reads as a stock: its year is December's", function()
    local db = tmpdb()
    db:import(writefile("series,name,unit,freq,kind\nk.m2,M2,亿元,M,stock\nk.rs,零售,亿元,M,flow\n"),
              {format = "series"})
    local rows = {"series,period,value,measure"}
    for m = 1, 12 do
      rows[#rows + 1] = string.format("k.m2,2023-%02d,%d,yoy", m, 13 - m)
      rows[#rows + 1] = string.format("k.rs,2023-%02d,%d,yoy", m, 13 - m)
    end
    db:import(writefile(table.concat(rows, "\n") .. "\n"))
    local s = db:series("k.m2", {measure = "yoy"})
    assert(s.kind == "stock" and s.unit == "%")
    assert(s:to("Y")["2023"] == 1)                 -- December's yoy
    local r = db:series("k.rs", {measure = "yoy"})
    assert(r.kind == "rate" and r.unit == "%")
    assert(r:to("Y")["2023"] == 6.5)               -- a flow's rates: their mean
  end},

  {"ot.db is the host's database", function()
    local db = ot.db()
    assert(db == ot.db())
    db:put(M("2023-01", {1}, {key = "d.host"}))
    assert(ot.db():series("d.host")[1] == 1)
  end},

  {"a file open already in the script is the same database object", function()
    -- a second connection would wait for the first's transaction (5 s, then "locked …
    -- another process") and would not see its writes
    local host = tostring(ot.db()):match("^db (.*)$")
    assert(rawequal(ot.open(host), ot.db()))
    local db, path = tmpdb()
    db:put(M("2023-01", {1}, {key = "d.twice"}))
    local same = ot.open(path)
    assert(rawequal(same, db))
    same:put(M("2023-02", {2}, {key = "d.twice"}))       -- at once, in the same transaction
    assert(#db:series("d.twice") == 2)
    local ro <close> = ot.open(path, {readonly = true})   -- a read-only one is a connection of its own
    assert(not rawequal(ro, db))
    assert(not rawequal(ot.open(":memory:"), ot.open(":memory:")))  -- private databases never are
    db:close()
    local again <close> = ot.open(path)                    -- closed: opened anew
    assert(not rawequal(again, db) and again:series("d.twice")[2] == 2)
  end},
}

for _, p in ipairs(tmpfiles) do
  os.remove(p)
  os.remove(p .. "-wal")
  os.remove(p .. "-shm")
end
