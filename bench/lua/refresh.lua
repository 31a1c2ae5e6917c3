-- refresh_token grant: every request presents a refresh token that has never been used.
-- It starts from lines [$POOL_FROM, $POOL_FROM + $POOL_COUNT) of $POOL_FILE (pre-issued), and each
-- answer's new (rotated) refresh token goes to the back of the queue. A rejected request loses
-- one token; the non-2xx count shows it.
dofile("bench/lua/report.lua")
local counter = 0
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end
local queue, head, tail = {}, 1, 0
local auth
function init(args)
  auth = os.getenv("BASIC_AUTH")
  local from, count = tonumber(os.getenv("POOL_FROM")), tonumber(os.getenv("POOL_COUNT"))
  local threads = tonumber(os.getenv("WRK_THREADS") or "1")
  local k = 0
  for line in io.lines(os.getenv("POOL_FILE")) do
    if k >= from and k < from + count and (k - from) % threads == (id or 0) then
      tail = tail + 1; queue[tail] = line
    end
    k = k + 1
  end
  assert(tail > 0, "empty refresh token pool")
end
function request()
  local token = queue[head]
  if head <= tail then queue[head] = nil; head = head + 1 else token = "pool-exhausted" end
  return wrk.format("POST", nil, {
    ["Authorization"] = "Basic " .. auth,
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, "grant_type=refresh_token&refresh_token=" .. token)
end
function response(status, headers, body)
  local fresh = body and body:match('"refresh_token"%s*:%s*"([^"]+)"')
  if status == 200 and fresh then tail = tail + 1; queue[tail] = fresh end
end
