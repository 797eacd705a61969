-- A script error: exit 1, "script:LINE: message" and a traceback on stderr.
local function fail(msg)
  error(msg)
end
fail("boom")
