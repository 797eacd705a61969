local v = {}
for m = 1, 12 do v[m] = 10 * m end
for m = 1, 9 do v[12 + m] = 11 * m end
local x = ot.series{key = "demo.x", freq = "M", start = "2022-01", values = v}
local t = ot.target{series = "demo.x", year = 2023, value = 7.5}
local stop = ot.scenario("no Q4", function(sc)
  sc:shock("demo.x", -100, {from = "2023-10", to = "2023-12"})
  sc:growth("demo.x", 0, {from = "2023-10"}):set("demo.x", "2023-10", 110)
end)
local p = ot.project(t, {series = {["demo.x"] = x}, scenario = stop, paths = 50})
print(p.point, p.prob, ot.compare({t}, {stop}, {series = {["demo.x"] = x}, paths = 50}))
print(ot.help("ot.project"), ot.missing(0/0))
