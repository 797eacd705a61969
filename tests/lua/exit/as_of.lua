-- Run with --as-of 2023-01: every read defaults to the data through January.
local db = ot.db()
db:put(ot.series{key = "exit.asof", freq = "M", start = "2023-01", values = {1, 2, 3}})
local s = db:series("exit.asof")
assert(#s == 1 and s[1] == 1, tostring(s))
assert(#db:series("exit.asof", {as_of = "latest"}) == 3)
print("as_of ok")
