local s = ot.series{freq = "M", start = "2023-01", values = {1/0, 30, -1/0, 13, 0/0}}
print(s:plot{width = 10, height = 3, target = 1/0})
print(ot.series{freq = "Y", start = 2020, values = {1e308, -1e308, 0}}:plot{height = 2, target = 1e308})
print(ot.series{freq = "Y", start = 2020, values = {1/0}}:plot{height = 2})
