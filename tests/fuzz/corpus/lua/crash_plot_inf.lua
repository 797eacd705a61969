local s = ot.series{freq = "M", start = "2023-01", values = {5/0, 30, 12, 13}}
print(s:split_janfeb(), s:covered("2023-01"), s:share(s), s:contribution(s), s:plot{width = 21, hei20t = 5})
