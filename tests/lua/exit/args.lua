-- `ontrack run args.lua a "b c"`: arg and ... as lua gives them.
assert(arg[0]:find("args%.lua$"), arg[0])
assert(arg[1] == "a" and arg[2] == "b c" and arg[3] == nil)
local n, x = select("#", ...), ...
assert(n == 2 and x == "a")
print("args ok")
