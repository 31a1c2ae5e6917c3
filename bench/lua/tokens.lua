-- Each request carries the next token of $TOKENS_FILE (one JWT per line), round robin, so that
-- the gateway sees many distinct tokens. Each wrk thread starts at a different offset.
dofile("bench/lua/report.lua")
local counter = 0
function setup(thread)
  thread:set("offset", counter * 7919)
  counter = counter + 1
end
local tokens, n, i = {}, 0, 0
function init(args)
  for line in io.lines(os.getenv("TOKENS_FILE")) do
    if #line > 0 then n = n + 1; tokens[n] = "Bearer " .. line end
  end
  assert(n > 0, "no tokens in " .. os.getenv("TOKENS_FILE"))
  i = (offset or 0) % n
end
function request()
  i = i % n + 1
  return wrk.format(nil, nil, { ["Authorization"] = tokens[i] })
end
