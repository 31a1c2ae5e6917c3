#!/usr/bin/env python3
"""Turns h2load's text output into the JSON object bench/lua/report.lua writes for wrk.

Usage: h2load_json.py H2LOAD_OUTPUT DURATION_SECONDS > run.json
h2load prints no latency percentiles: the mean and the maximum of "time for request" are kept as
lat_mean_us and lat_max_us, and p50/p90/p99 are null. Exits 1 when h2 was not negotiated.
"""
import json
import re
import sys

text = open(sys.argv[1]).read()
duration = float(sys.argv[2])


def number(pattern, default=None):
    m = re.search(pattern, text)
    return float(m.group(1).replace(",", "")) if m else default


def micros(value, unit):
    return float(value) * {"us": 1, "ms": 1000, "s": 1_000_000}[unit]


if not re.search(r"Application protocol: h2\b", text):
    sys.exit("h2load: h2 was not negotiated:\n" + text[-800:])
m = re.search(r"requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored, (\d+) timeout", text)
if not m:
    sys.exit("h2load: no summary line:\n" + text[-800:])
total, started, done, succeeded, failed, errored, timeout = map(int, m.groups())
codes = re.search(r"status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx", text)
# answers that are not 2xx (h2load counts a stream cut by the end of the run as done, without a status)
non2xx = sum(int(codes.group(i)) for i in (2, 3, 4)) if codes else done
finished = re.search(r"finished in ([\d.]+)(ms|s)", text)
seconds = float(finished.group(1)) / (1000 if finished and finished.group(2) == "ms" else 1) if finished else duration
lat = re.search(r"time for request:\s+([\d.]+)(us|ms|s)\s+([\d.]+)(us|ms|s)\s+([\d.]+)(us|ms|s)", text)
requests = done
print(json.dumps({
    "requests": requests, "duration_s": seconds, "rps": requests / seconds if seconds else 0,
    "bytes": int(number(r"traffic: [^(]*\((\d+)\) total", 0)),
    "lat_mean_us": micros(lat.group(5), lat.group(6)) if lat else None,
    "lat_p50_us": None, "lat_p90_us": None, "lat_p99_us": None,
    "lat_max_us": micros(lat.group(3), lat.group(4)) if lat else None,
    "non2xx": non2xx, "err_connect": 0 if started else 1, "err_read": errored, "err_write": 0, "err_timeout": timeout,
}))
