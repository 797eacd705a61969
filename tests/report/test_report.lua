-- test_report.lua — ot.report's document formats: HTML with the charts'
-- history read from the database as of the report's date, CSV, Markdown,
-- output files and option errors.  Run as
-- `ontrack --db DB run tests/report/test_report.lua` from the source tree.
package.path = "tests/lua/?.lua;" .. package.path
local H = require "harness"

local dir = os.tmpname()
os.remove(dir)
assert(os.execute("mkdir -p " .. dir))
local function write(name, text)
  local f = assert(io.open(dir .. "/" .. name, "w"))
  f:write(text)
  f:close()
  return dir .. "/" .. name
end
local function read(path)
  local f = assert(io.open(path, "r"))
  local s = f:read("a")
  f:close()
  return s
end
local function count(s, what)
  local n, i = 0, 1
  while true do
    local a, b = s:find(what, i, true)
    if not a then return n end
    n, i = n + 1, b + 1
  end
end

-- q.s: ytd growth 2022 Q1..Q4 5.0 5.5 6.0 6.2; 2023 Q1..Q3 4.0 4.5 4.8
local db = ot.db()
if #db:targets{year = 2023} == 0 then
  db:import{write("q.csv", "series,period,value,measure\n" ..
                  "q.s,2022Q1,5.0,ytd_yoy\nq.s,2022Q2,5.5,ytd_yoy\nq.s,2022Q3,6.0,ytd_yoy\n" ..
                  "q.s,2022Q4,6.2,ytd_yoy\nq.s,2023Q1,4.0,ytd_yoy\nq.s,2023Q2,4.5,ytd_yoy\n" ..
                  "q.s,2023Q3,4.8,ytd_yoy\n"),
            write("t.csv", "series,year,kind,op,value,label\nq.s,2023,growth,>=,5,<b>Q</b>\n")}
end
local ps = ot.project(db:targets{year = 2023}, {as_of = "2023-06", paths = 500, seed = 1})
assert(#ps == 1 and ps[1].status ~= "no_data")

-- HTML as of 2023-06: the history stops at Q2 (two dots this year), 2022 in
-- full (four), one chart, the label escaped, English words
local out = dir .. "/r.html"
assert(ot.report(ps, {format = "html", output = out, as_of = "2023-06", lang = "en"}) == out)
local s = read(out)
H.eq(count(s, '<svg class="chart"'), 1)
H.eq(count(s, '<circle class="current"'), 2)
H.eq(count(s, '<circle class="past"'), 4)
H.eq(count(s, "<b>Q"), 0)
-- the label in the overview (off track), the table, the heading, the chart twice
H.eq(count(s, "&lt;b&gt;Q&lt;/b&gt;"), 5)
assert(s:find('<html lang="en">', 1, true))
-- as of the data's latest period; the footer says what was read: the latest
-- vintages, cut after June, the newest release among them Q2's (stored
-- without a date: 2023-06-30 plus the quarterly lag of 20 days)
assert(s:find("Data as of: 2023 Q2", 1, true))
assert(s:find('<dl class="prov"><dt>Data vintage</dt><dd>the latest data (through Jun 2023); ' ..
              "newest release read 2023-07-20</dd>", 1, true))
-- and each target's section the newest release of its own data
assert(s:find("<dt>Data vintage</dt><dd>2023-07-20</dd>", 1, true))
-- with the latest data the chart shows Q3 too; Chinese by default
ot.report(ps, {format = "html", output = out, as_of = "latest"})
s = read(out)
H.eq(count(s, '<circle class="current"'), 3)
assert(s:find('<html lang="zh-CN">', 1, true))
-- history = false: no history drawn
ot.report(ps, {format = "html", output = out, history = false})
H.eq(count(read(out), '<circle class="current"'), 0)

-- CSV and Markdown
ot.report(ps, {format = "csv", output = dir .. "/r.csv"})
local csv = read(dir .. "/r.csv")
assert(csv:find("^target_id,label,series,year,kind,op,value,as_of,through,point,"))
assert(csv:find("\r\n,<b>Q</b>,q.s,2023,growth,>=,5,,2023Q2,", 1, true))
ot.report(ps, "md")
-- the table to a file
ot.report(ps, {output = dir .. "/r.txt"})
assert(read(dir .. "/r.txt"):find("^target"))
-- the table names the indicator from the open db (name_en in English, name in
-- Chinese) and speaks Chinese with lang = "zh": headers, period, status,
-- notes (the quarters counted as quarters), no English word
db:import{write("qs.csv", "series,name,name_en,unit,freq,kind\n" ..
                          "q.s,季度指标,Quarterly indicator,%,Q,flow\n")}
ot.report(ps, {output = dir .. "/e.txt"})
s = read(dir .. "/e.txt")
assert(s:find("\n<b>Q</b>  growth >= 5%  2023Q2 ", 1, true), s)
assert(s:find("\n[1] <b>Q</b> (Quarterly indicator): no share for Q1-Q2: taken as 2/4;", 1, true), s)
ot.report(ps, {lang = "zh", output = dir .. "/z.txt"})
s = read(dir .. "/z.txt")
assert(s:find("^目标 +检验 +数据期 +累计增速 +预测 +80%%区间 +达标概率 +所需增速 +按当前进度 +状态\n"), s)
assert(s:find("\n<b>Q</b>  增速 ≥ 5%  2023年二季度 ", 1, true), s)
assert(s:find("[1] <b>Q</b>（季度指标）：缺少一至二季度占全年的比重，按2/4计；", 1, true), s)
assert(s:find("偏离目标 [1]", 1, true) or s:find("存在风险 [1]", 1, true) or s:find("有望达成 [1]", 1, true), s)
H.eq(s:gsub("<b>Q</b>", ""):find("%a"), nil)

-- the chained form: ot.report(ps) prints the table and returns a report whose
-- write(path [, opts]) saves it, the format from the extension, the options of
-- ot.report applying unless overridden
local r = ot.report(ps, {lang = "en", as_of = "2023-06"})
assert(tostring(r) == "report of 1 projection (r:write(path) saves it as html, md, csv or json)")
assert(r:write(dir .. "/c.html") == dir .. "/c.html")
s = read(dir .. "/c.html")
assert(s:find('<html lang="en">', 1, true) and s:find("Data as of: 2023 Q2", 1, true))
H.eq(count(s, '<circle class="current"'), 2)
r:write(dir .. "/c.csv")
assert(read(dir .. "/c.csv"):find("^target_id,label,series,"))
r:write(dir .. "/c.json")
assert(read(dir .. "/c.json"):find('"projections"', 1, true))
r:write(dir .. "/c.out", {format = "md"})
assert(read(dir .. "/c.out"):find("^# Progress towards the 2023 targets"))
r:write(dir .. "/c.txt")
assert(read(dir .. "/c.txt"):find("^target"))
H.checkerror("bad argument #1 to 'write' (report expected, got table)",
             function() r.write({}, dir .. "/x.html") end)
-- (a method call counts its arguments after self, as Lua's own messages do)
H.checkerror("bad argument #1 to 'write' (string expected, got no value)", function() r:write() end)

-- errors
H.checkerror("field 'lang'", function() ot.report(ps, {format = "html", lang = "fr"}) end)
H.checkerror("expected \"table\", \"json\", \"html\", \"md\" or \"csv\", got \"pdf\"",
             function() ot.report(ps, "pdf") end)
H.checkerror("/no/such/dir/r.html: No such file or directory",
             function() ot.report(ps, {format = "html", output = dir .. "/no/such/dir/r.html"}) end)
os.execute("rm -rf " .. dir)
print("ok")
