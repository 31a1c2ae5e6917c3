-- POST a 1 MiB body on every request (the streamed-body scenario).
dofile("bench/lua/report.lua")
wrk.method = "POST"
wrk.body = string.rep("0123456789abcdef", 65536)
wrk.headers["Content-Type"] = "application/octet-stream"
