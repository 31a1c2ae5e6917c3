-- Issues tokens with client_credentials and appends each answer's access_token to $MINT_ACCESS
-- and refresh_token (when there is one) to $MINT_REFRESH: the pools for the other scenarios.
dofile("bench/lua/report.lua")
wrk.method = "POST"
wrk.body = os.getenv("WRK_BODY") or "grant_type=client_credentials"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic " .. os.getenv("BASIC_AUTH")
local access, refresh
function init(args)
  access = assert(io.open(os.getenv("MINT_ACCESS"), "a"))
  if os.getenv("MINT_REFRESH") then refresh = assert(io.open(os.getenv("MINT_REFRESH"), "a")) end
end
function response(status, headers, body)
  if status ~= 200 then return end
  local a = body:match('"access_token"%s*:%s*"([^"]+)"')
  if a then access:write(a, "\n"); access:flush() end
  local r = refresh and body:match('"refresh_token"%s*:%s*"([^"]+)"')
  if r then refresh:write(r, "\n"); refresh:flush() end
end
