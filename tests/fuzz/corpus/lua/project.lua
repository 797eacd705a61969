local db = ot.db()
local v = {}
for m = 1, 34 do v[m] = 100 + m + 5 * math.sin(m) end
db:put(ot.series{key = "f.g", freq = "M", start = "2021-01", values = v}, {measure = "value"})
local t = ot.target{series = "f.g", year = 2023, kind = "growth", op = ">=", value = 5}
local p = ot.project(t, {as_of = "2023-10-31", paths = 200, seed = 7})
print(p.point, p.lower[80], p.upper[80], p.prob, p.required, p.status)
print(ot.report({p}, "json"))
