print(pcall(ot.series, {freq = "X"}), pcall(ot.target, {}), pcall(ot.fit, 1))
print(pcall(string.rep, "x", 1 << 30), pcall(load, "\27Lua"))
local t = {} for i = 1, 100 do t[i] = ot.series{freq = "Y", start = 2000 + i, values = {i}} end
print(pcall(function() return t[1] + t[2] end))
