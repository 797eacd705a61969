-- test_docs.lua — runs every ```lua block of docs/lua-api.md, in order, each
-- as its own chunk named after its line in the file, so the documented
-- examples stay true.  Run from the source tree (examples read datasets/).
package.path = arg[0]:gsub("[^/]*$", "") .. "?.lua;" .. package.path
local H = require "harness"

local root = arg[0]:gsub("tests/lua/[^/]*$", "")
local path = root .. "docs/lua-api.md"
local f = assert(io.open(path, "r"))
local text = f:read("a")
f:close()

-- Collects {line = first code line, code = text} for each ```lua block.
local blocks, line, cur = {}, 0, nil
for l in (text .. "\n"):gmatch("([^\n]*)\n") do
  line = line + 1
  if cur then
    if l:match("^```%s*$") then
      blocks[#blocks + 1] = cur
      cur = nil
    else
      cur.code[#cur.code + 1] = l
    end
  elseif l:match("^```lua%s*$") then
    cur = {line = line + 1, code = {}}
  end
end
assert(not cur, "unterminated code block at line " .. (cur and cur.line or 0))
assert(#blocks >= 30, "expected an example for every function, found " .. #blocks)

local cases = {}
for _, b in ipairs(blocks) do
  cases[#cases + 1] = {string.format("%s:%d", path, b.line), function()
    -- the leading newlines make error lines match the file's
    local code = string.rep("\n", b.line - 1) .. table.concat(b.code, "\n")
    local chunk = assert(load(code, "@" .. path, "t", setmetatable({}, {__index = _G})))
    chunk()
  end}
end
-- ot.help prints the same text (compiled in), section by section
cases[#cases + 1] = {"ot.help", function()
  local out = {}
  local saved = print
  print = function(x) out[#out + 1] = x end
  ot.help("yoy")
  ot.help("db:series")
  ot.help()
  ot.help("no_such_thing")
  print = saved
  local yoy = text:match("\n(### s:yoy%(%).-```lua.-```)\n")
  assert(out[1] == yoy, out[1])
  assert(out[2]:find("^### db:series%(key") and not out[2]:find("### db:keys"), out[2])
  assert(out[3]:find("\ns:yoy%(%)\n") and out[3]:find("^ot.help%(%[name%]%)\not.as_of%(%), ot._VERSION\not.series{"), out[3])
  -- the list ends saying how to read one topic
  assert(out[3]:find('\n\not.help%("yoy"%) prints a topic\'s section %(in the REPL: %.help yoy; Tab completes the name%)$'), out[3])
  assert(out[4] == "no help for 'no_such_thing' (ot.help() lists the topics)", out[4])
end}
H.run(cases)
