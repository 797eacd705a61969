local x = ot.series{key = "f.x", freq = "M", start = "2022-01", values = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 11, 22, 33, 44, 55, 66}}
print(x, #x, x[1], x["2023-03"], x:yoy(), x:lag(1), x:lead(2), x:diff(1), x:pct(1))
print(x:ytd(), x:ytd():from_ytd(), x:ytd_yoy(), x:to("Q"), x:to("Y", "sum"), x:window("2022-06", "2023-02"))
print(x:rolling(3), x:fill(), x:index("2022-01"), x + x, x - 1, 2 * x, x / x, -x, x == x)
for p, v in x:pairs() do print(p, v) end
print(x:last(), x:periods(), x:values(), x:with{key = "f.y", unit = "亿元"})
