return {name = "yiwu", targets = {year = 2023, series = "yiwu.*"}, scripts = {"s.lua"},
        outputs = {"out/{job}-{as_of}.json", "out/{job}.csv"}, paths = 500, seed = 3, keep = 5,
        as_of = "latest", intervals = "cv", method = "ets"}
