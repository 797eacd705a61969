-- harness.lua — the assertions the Lua tests share, in the manner of Lua's
-- own test suite: plain assert, checkerror(pattern, f, ...) on pcall, and
-- numeric comparisons with a tolerance.  A failing check raises, so the
-- script (run as `ontrack run tests/lua/test_x.lua`) exits 1 and ctest fails.
--
--   package.path = arg[0]:gsub("[^/]*$", "") .. "?.lua;" .. package.path
--   local H = require "harness"

local H = {}

-- Runs f(...) and checks that it fails with a message containing `pattern`
-- (plain text unless `pattern` starts with "^" or contains "%").  Returns the
-- message.
function H.checkerror(pattern, f, ...)
  local ok, msg = pcall(f, ...)
  if ok then
    error(string.format("expected an error matching %q, but the call succeeded", pattern), 2)
  end
  msg = tostring(msg)
  local plain = not (pattern:find("^%^") or pattern:find("%%"))
  if not msg:find(pattern, 1, plain) then
    error(string.format("error %q does not match %q", msg, pattern), 2)
  end
  return msg
end

-- Runs f(...) and checks that it fails with exactly `expected` once the
-- "chunk:LINE: " position is taken off (checked to be there when `where` is
-- given: the file name the message must start with).
function H.checkmsg(expected, f, ...)
  local ok, msg = pcall(f, ...)
  if ok then
    error(string.format("expected the error %q, but the call succeeded", expected), 2)
  end
  msg = tostring(msg)
  local body = msg:match("^[^:\n]+:%d+: (.*)$") or msg
  if body ~= expected then
    error(string.format("error\n  %q\nexpected\n  %q", msg, expected), 2)
  end
  return msg
end

local function missing(x) return x == nil or x ~= x end

-- |a - b| <= tol (default 1e-9, relative for large numbers); nil and NaN
-- equal each other.
function H.near(a, b, tol)
  tol = tol or 1e-9
  if missing(a) or missing(b) then return missing(a) and missing(b) end
  return math.abs(a - b) <= tol * math.max(1, math.abs(a), math.abs(b))
end

function H.eq(a, b, tol, what)
  if not H.near(a, b, tol) then
    error(string.format("%s: expected %s, got %s", what or "value", tostring(b), tostring(a)), 2)
  end
end

-- H.NA stands for a missing value in expected lists.
H.NA = setmetatable({}, {__tostring = function() return "NA" end})

-- Checks a series: start period, then every value (H.NA = missing).
function H.series(s, start, expected, tol, what)
  what = what or (s.key or "series")
  if s.start ~= start then
    error(string.format("%s: starts at %s, expected %s", what, s.start, start), 2)
  end
  if #s ~= #expected then
    error(string.format("%s: %d values, expected %d\n%s", what, #s, #expected, tostring(s)), 2)
  end
  for i = 1, #expected do
    local want = expected[i]
    if want == H.NA then want = nil end
    if not H.near(s[i], want, tol) then
      error(string.format("%s: value %d (%s) is %s, expected %s\n%s", what, i,
                          s:periods()[i], tostring(s[i]), tostring(want), tostring(s)), 2)
    end
  end
end

-- Runs a table of cases {name, f} and prints one line per case.
function H.run(cases)
  for _, c in ipairs(cases) do
    local ok, err = pcall(c[2])
    if not ok then error(string.format("case '%s' failed: %s", c[1], err), 0) end
  end
  print(string.format("%s: %d cases ok", arg and arg[0] or "?", #cases))
end

return H
