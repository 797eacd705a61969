local db = ot.db()
local s = ot.series{key = "f.a", freq = "Q", start = "2021Q1", values = {1, 2, 3, 4, 5, 6, 7, 8}}
db:put(s, {measure = "value", vintage = "2023-01-31", source = "x"})
print(db:keys(), db:meta("f.a"), db:series("f.a", {as_of = "2023-02-01"}))
db:put(ot.target{series = "f.a", year = 2022, kind = "growth", op = ">=", value = 5})
print(db:targets{year = 2022})
