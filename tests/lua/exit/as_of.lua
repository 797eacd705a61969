-- Run with --as-of 2023-01: every read defaults to the data through January,
-- db:series and ot.project alike.
local db = ot.db()
db:put(ot.series{key = "exit.asof", freq = "M", start = "2022-01",
                 values = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3}})
local s = db:series("exit.asof")
assert(s.stop == "2023-01", tostring(s))
assert(db:series("exit.asof", {as_of = "latest"}).stop == "2023-03")
local p = ot.project(ot.target{series = "exit.asof", year = 2023, value = 5}, {paths = 100})
assert(p.latest == "2023-01" and p.periods_done == 1, p.latest)
print("as_of ok")
