-- Importing a bad file: the engine's "bad data" gives exit 65, even when the
-- script catches the error and raises it again.
local path = os.tmpname()
local f = assert(io.open(path, "w"))
f:write("series,period,value\nexit.bad,2023-01,abc\n")
f:close()
local ok, err = pcall(function() return ot.db():import(path) end)
os.remove(path)
assert(not ok)
error(err, 0)
