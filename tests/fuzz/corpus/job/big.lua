local t = {} for i = 1, 40 do t[i] = string.rep("x", 2^24) end return {targets = {}}
