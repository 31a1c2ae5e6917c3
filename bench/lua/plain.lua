-- A fixed request (method, headers and body from the wrk command line or $WRK_* below):
-- no Lua runs per request, so the load generator costs the least.
dofile("bench/lua/report.lua")
if os.getenv("WRK_METHOD") then wrk.method = os.getenv("WRK_METHOD") end
if os.getenv("WRK_BODY") then wrk.body = os.getenv("WRK_BODY") end
