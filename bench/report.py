#!/usr/bin/env python3
"""Turns bench/run.sh's wrk runs into the results table (Markdown) and JSON, and prints the table.

Usage: report.py RUNS.jsonl META.json OUTPUT_PREFIX   (writes OUTPUT_PREFIX.md and OUTPUT_PREFIX.json)

Every figure is the median of the repetitions. A ratio is the median of the per-round ratios: the
systems of one comparison ran alternately in the same rounds, so each round's ratio compares runs a
few seconds apart, under the same machine load. Exits 2 when a scenario failed (non-2xx answers
where only 2xx are expected, no requests at all, connection errors), after writing the results.
"""
import json
import statistics
import sys
from collections import defaultdict

runs_file, meta_file, prefix = sys.argv[1:4]
meta = json.load(open(meta_file))
runs = [json.loads(line) for line in open(runs_file) if line.strip()]

SCENARIOS = {
    "gw_header": "Gateway, valid token in the `Authorization` header",
    "gw_query": "Gateway, valid token as `_bearer_token` query parameter",
    "gw_tokens10k": "Gateway, {tokens} distinct valid tokens, round robin (wrk Lua)",
    "gw_invalid": "Gateway, invalid token (bad signature): 401 expected",
    "gw_public": "Gateway, public route (no token)",
    "gw_body1m": "Gateway, 1 MiB request body streamed to the backend",
    "tok_client_credentials": "Token endpoint, `client_credentials`",
    "tok_refresh_token": "Token endpoint, `refresh_token` (each request a never-used refresh token)",
    "tok_password": "Token endpoint, `password` (argon2id m={m} KiB, t={t}, p={p})",
    "tls_keepalive": "TLS keep-alive, c=64 (wrk)",
    "tls_handshake": "TLS full handshake per request (`Connection: close`, c=16, wrk without resumption)",
    "tls_resumed": "TLS resumed handshake per request (`Connection: close`, c=16, plain wrk)",
    "tls_h2": "HTTP/2 over TLS, c=16, 4 streams each (h2load)",
}
TLS_SCENARIOS = ["tls_keepalive", "tls_handshake", "tls_resumed", "tls_h2"]
SYSTEM_NAMES = {
    "backend": "backend alone (ceiling)",
    "nginx": "nginx, plain proxy",
    "haproxy": "HAProxy 2.6 + jwt_verify",
    "tollgate": "**Tollgate**",
    "keycloak": "Keycloak " + meta.get("keycloak", ""),
    "nginx_tls": "nginx, TLS + plain proxy",
    "tollgate_tls": "**Tollgate**, TLS, engine openssl",
    "tollgate_tls_jdk": "Tollgate, TLS, engine jdk",
}
EXPECT_401 = {"gw_invalid"}
a2 = meta["argon2"]


def label(scenario):
    if scenario.startswith("gw_conns_"):
        return "Gateway, valid token, c=" + scenario.split("_")[-1]
    return SCENARIOS[scenario].format(tokens=meta["tokens"], m=a2["memoryKiB"], t=a2["iterations"], p=a2["parallelism"])


by = defaultdict(list)  # (scenario, system) -> runs ordered by rep
for run in sorted(runs, key=lambda r: r["rep"]):
    by[(run["scenario"], run["system"])].append(run)
scenarios = list(dict.fromkeys(r["scenario"] for r in runs))


def med(values):
    return statistics.median(values) if values else None


def stat(scenario, system, key):
    return med([r["wrk"][key] for r in by.get((scenario, system), []) if r["wrk"].get(key) is not None])


def round_ratios(scenario, a, b, key="rps"):
    """a/b for each round in which both ran."""
    ra = {r["rep"]: r["wrk"].get(key) for r in by.get((scenario, a), []) if r["wrk"].get(key) is not None}
    rb = {r["rep"]: r["wrk"].get(key) for r in by.get((scenario, b), []) if r["wrk"].get(key) is not None}
    return [ra[k] / rb[k] for k in sorted(ra) if k in rb and rb[k]]


def ratio(scenario, a, b, key="rps"):
    """Median over rounds of a/b for the same round."""
    return med(round_ratios(scenario, a, b, key))


# ---------------------------------------------------------------- failures
failures, warnings = [], []
for (scenario, system), rs in by.items():
    for r in rs:
        w, where = r["wrk"], f"{scenario} on {system}, round {r['rep']}"
        if w["requests"] == 0:
            failures.append(f"{where}: no requests completed")
        elif scenario in EXPECT_401:
            if w["non2xx"] != w["requests"]:
                failures.append(f"{where}: {w['requests'] - w['non2xx']} of {w['requests']} answers were 2xx, all should be 401")
        elif w["non2xx"]:
            failures.append(f"{where}: {w['non2xx']} non-2xx answers of {w['requests']}")
        if w["err_connect"]:
            failures.append(f"{where}: {w['err_connect']} connection errors")
        if w["err_read"] or w["err_write"] or w["err_timeout"]:
            warnings.append(f"{where}: socket errors read {w['err_read']}, write {w['err_write']}, timeout {w['err_timeout']}")

# ---------------------------------------------------------------- targets
def fmt_ratio(x):
    return "n/a" if x is None else f"{x:.2f}×"


def ms(us):
    return "n/a" if us is None else f"{us / 1000:.2f}"


tollgate_rss = [r["rss_kb"] for (s, sys_), rs in by.items() if sys_.startswith("tollgate") for r in rs if r["rss_kb"]]
max_rss_mb = max(tollgate_rss) / 1024 if tollgate_rss else None
startup = med(meta["startup_ms"])
targets = []


def target(check, measured, value, goal, met, rounds=()):
    targets.append({"check": check, "measured": measured, "value": value, "target": goal,
                    "met": None if value is None else bool(met), "rounds": [round(x, 3) for x in rounds]})


# issue 15's targets: nginx's CPU per request with auth, p99 within 1.5x of nginx's at every
# concurrency, 10,000 distinct tokens nearly as fast as one, RSS at c=1024, and the token endpoint
r = ratio("gw_header", "tollgate", "nginx", "cpu_us")
target("Gateway, valid token, c=64: CPU time per request ÷ nginx's", fmt_ratio(r), r, "≤ 1.0×", r is not None and r <= 1.0,
       round_ratios("gw_header", "tollgate", "nginx", "cpu_us"))
r = ratio("gw_header", "tollgate", "nginx")
target("Gateway, valid token, c=64: throughput ÷ nginx", fmt_ratio(r), r, "≥ 1.0×", r is not None and r >= 1.0,
       round_ratios("gw_header", "tollgate", "nginx"))
for c in (1, 16, 64, 256, 1024):
    r = ratio(f"gw_conns_{c}", "tollgate", "nginx", "lat_p99_us")
    if r is not None:
        target(f"Gateway, valid token, c={c}: p99 ÷ nginx's", fmt_ratio(r), r, "≤ 1.5×", r <= 1.5,
               round_ratios(f"gw_conns_{c}", "tollgate", "nginx", "lat_p99_us"))
one, many = stat("gw_header", "tollgate", "rps"), stat("gw_tokens10k", "tollgate", "rps")
r = many / one if one and many else None
target(f"Gateway, {meta['tokens']} distinct tokens: Tollgate's throughput ÷ its one-token figure", fmt_ratio(r), r,
       "≥ 0.9×", r is not None and r >= 0.9)
rss_1024 = [x["rss_kb"] / 1024 for x in by.get(("gw_conns_1024", "tollgate"), []) if x["rss_kb"]]
target("Gateway, c=1024: Tollgate RSS (-Xmx128m, max of the rounds)", f"{max(rss_1024):.0f} MB" if rss_1024 else "n/a",
       max(rss_1024) if rss_1024 else None, "≤ 200 MB", bool(rss_1024) and max(rss_1024) <= 200)
for scenario, goal in (("tok_client_credentials", 30), ("tok_refresh_token", 3), ("tok_password", 1.5)):
    r = ratio(scenario, "tollgate", "keycloak")
    target(f"{label(scenario)}: throughput ÷ Keycloak", fmt_ratio(r) if r else "not run", r, f"≥ {goal}×",
           r is not None and r >= goal, round_ratios(scenario, "tollgate", "keycloak"))
for scenario, key, goal, what in (("tls_handshake", "rps", 1.0, "full handshakes per second ÷ nginx's"),
                                  ("tls_keepalive", "cpu_us", 1.0, "keep-alive c=64: CPU time per request ÷ nginx's"),
                                  ("tls_h2", "rps", 1.0, "HTTP/2 (c=16, 4 streams): req/s ÷ nginx's")):
    r = ratio(scenario, "tollgate_tls", "nginx_tls", key)
    met = r is not None and (r >= goal if key == "rps" else r <= goal)
    target(f"TLS, engine openssl: {what}", fmt_ratio(r) if r else "not run", r, ("≥ " if key == "rps" else "≤ ") + f"{goal}×",
           met, round_ratios(scenario, "tollgate_tls", "nginx_tls", key))
target(f"Start-up to /ready (median of {len(meta['startup_ms'])}, embedded PostgreSQL)",
       f"{startup / 1000:.2f} s", startup, "≤ 1.5 s", startup <= 1500, [x / 1000 for x in meta["startup_ms"]])
target("Tollgate RSS, -Xmx128m (max after any scenario)", "n/a" if max_rss_mb is None else f"{max_rss_mb:.0f} MB",
       max_rss_mb, "≤ 200 MB", max_rss_mb is not None and max_rss_mb <= 200)

# ---------------------------------------------------------------- Markdown
out = []
w = out.append
w(f"# Tollgate benchmark, {meta['stamp']} ({meta['mode']})")
w("")
command = {"full": "bench/run.sh", "quick": "bench/run.sh --quick", "smoke": "bench/run.sh --smoke"}[meta["mode"]]
w(f"`{command}` at commit `{meta['commit']}`: **nproc {meta['nproc']}**, {meta['cpu']}; "
  f"**load average {meta['load_before']} before, {meta['load_after']} after**. "
  f"System under test pinned to CPU {meta['sut_cpus']}, wrk ({meta['wrk_threads']} thread) and the backend to CPU {meta['load_cpus']}. "
  f"Every figure is the median of {meta['reps']} alternating rounds of {meta['duration_s']} s "
  f"({meta['pw_duration_s']} s for the password grant), each scenario after a {meta['warmup_s']} s warm-up per system "
  f"(and Tollgate's JIT after {meta['jit_warmup_s']} s of traffic once); every ratio is the median of the per-round "
  f"ratios of the same run. "
  f"Tollgate: {meta['java']}, -Xmx{meta['xmx']}, one event loop, RS256. nginx {meta['nginx']}, HAProxy {meta['haproxy']}, "
  f"wrk {meta['wrk']}, Keycloak {meta['keycloak']}.")
w("")
w("## Targets")
w("")
w("| Check | Measured | Target | Met | Per round |")
w("|---|---:|---:|:---:|---|")
for t in targets:
    met = "—" if t["met"] is None else ("met" if t["met"] else "**not met**")
    rounds = " / ".join(f"{x:.2f}" for x in t["rounds"])
    w(f"| {t['check']} | {t['measured']} | {t['target']} | {met} | {rounds} |")
w("")
w("## Scenarios (c=64 unless stated; token endpoint c=16)")
w("")
w("| Scenario | System | req/s | p50 ms | p99 ms | CPU µs/req | non-2xx | Tollgate req/s ÷ this | Tollgate p99 ÷ this "
  "| Tollgate CPU/req ÷ this | Tollgate RSS MB |")
w("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for scenario in scenarios:
    if scenario.startswith("gw_conns_") or scenario in TLS_SCENARIOS:
        continue
    systems = [s for s in ("backend", "nginx", "haproxy", "keycloak", "tollgate") if (scenario, s) in by]
    for s in systems:
        cmp_rps = cmp_p99 = cmp_cpu = ""
        if s != "tollgate" and (scenario, "tollgate") in by:
            cmp_rps = fmt_ratio(ratio(scenario, "tollgate", s))
            cmp_p99 = fmt_ratio(ratio(scenario, "tollgate", s, "lat_p99_us"))
            cmp_cpu = fmt_ratio(ratio(scenario, "tollgate", s, "cpu_us"))
        cpu = stat(scenario, s, "cpu_us")
        rss = med([r["rss_kb"] for r in by[(scenario, s)]]) if s in ("tollgate", "keycloak") else None
        non2xx = med([r["wrk"]["non2xx"] for r in by[(scenario, s)]])
        w(f"| {label(scenario)} | {SYSTEM_NAMES[s]} | {stat(scenario, s, 'rps'):,.0f} | {ms(stat(scenario, s, 'lat_p50_us'))} | "
          f"{ms(stat(scenario, s, 'lat_p99_us'))} | {'' if cpu is None else f'{cpu:.1f}'} | {non2xx:.0f} | "
          f"{cmp_rps} | {cmp_p99} | {cmp_cpu} | "
          f"{'' if not rss else f'{rss / 1024:.0f}' + ('' if s == 'tollgate' else ' (Keycloak)')} |")
w("")
scaling = [s for s in scenarios if s.startswith("gw_conns_")]
if scaling:
    w("## Connection scaling (valid token in the header)")
    w("")
    w("| c | nginx req/s | nginx p99 ms | Tollgate req/s | Tollgate p99 ms | req/s ratio | p99 ratio | Tollgate RSS MB |")
    w("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for s in scaling:
        rss = med([r["rss_kb"] for r in by[(s, "tollgate")]])
        w(f"| {s.split('_')[-1]} | {stat(s, 'nginx', 'rps'):,.0f} | {ms(stat(s, 'nginx', 'lat_p99_us'))} | "
          f"{stat(s, 'tollgate', 'rps'):,.0f} | {ms(stat(s, 'tollgate', 'lat_p99_us'))} | "
          f"{fmt_ratio(ratio(s, 'tollgate', 'nginx'))} | {fmt_ratio(ratio(s, 'tollgate', 'nginx', 'lat_p99_us'))} | {rss / 1024:.0f} |")
    w("")
tls = [s for s in TLS_SCENARIOS if s in scenarios]
if tls:
    def us(x):
        return "n/a" if x is None else f"{x:.1f}"

    w("## TLS at the edge (same run)")
    w("")
    w("nginx terminates TLS and proxies (no authentication); both Tollgates run the gateway with a valid token. "
      "The same certificate and key everywhere (ECDSA P-256 leaf and its CA, made like `conf/dev-tls.sh`), "
      "the same backend. CPU per request: the system's own user + system time over the round (/proc), "
      "÷ the requests it answered. Ratios: medians of the per-round ratios.")
    w("")
    w("| Scenario | nginx req/s | Tollgate openssl req/s | Tollgate jdk req/s | openssl ÷ nginx | jdk ÷ nginx | openssl ÷ jdk |")
    w("|---|---:|---:|---:|---:|---:|---:|")
    for sc in tls:
        v = [stat(sc, s, "rps") for s in ("nginx_tls", "tollgate_tls", "tollgate_tls_jdk")]
        w(f"| {label(sc)} | " + " | ".join("n/a" if x is None else f"{x:,.0f}" for x in v) + " | "
          f"{fmt_ratio(ratio(sc, 'tollgate_tls', 'nginx_tls'))} | {fmt_ratio(ratio(sc, 'tollgate_tls_jdk', 'nginx_tls'))} | "
          f"{fmt_ratio(ratio(sc, 'tollgate_tls', 'tollgate_tls_jdk'))} |")
    w("")
    w("| Scenario: CPU µs per request | nginx | Tollgate openssl | Tollgate jdk | openssl ÷ nginx | jdk ÷ nginx | openssl ÷ jdk |")
    w("|---|---:|---:|---:|---:|---:|---:|")
    for sc in tls:
        v = [stat(sc, s, "cpu_us") for s in ("nginx_tls", "tollgate_tls", "tollgate_tls_jdk")]
        w(f"| {label(sc)} | " + " | ".join(us(x) for x in v) + " | "
          f"{fmt_ratio(ratio(sc, 'tollgate_tls', 'nginx_tls', 'cpu_us'))} | {fmt_ratio(ratio(sc, 'tollgate_tls_jdk', 'nginx_tls', 'cpu_us'))} | "
          f"{fmt_ratio(ratio(sc, 'tollgate_tls', 'tollgate_tls_jdk', 'cpu_us'))} |")
    w("")
    p99 = [f"{SYSTEM_NAMES[s]} {ms(stat(sc, s, 'lat_p99_us'))} ms" for sc in ("tls_keepalive",) for s in
           ("nginx_tls", "tollgate_tls", "tollgate_tls_jdk") if stat(sc, s, "lat_p99_us") is not None]
    if p99:
        w(f"- Keep-alive p99: {', '.join(p99)}.")
    for line in meta.get("tls_negotiated", []):
        w(f"- Negotiated with `openssl s_client`: {line}")
    if meta.get("tls_resumed_plain_wrk"):
        w(f"- Full handshakes: wrk with `Connection: close` resumes the previous connection's session "
          f"(checked on nginx with `$ssl_session_reused`: {meta['tls_resumed_plain_wrk']} resumed), so the full-handshake "
          f"scenario runs wrk with `bench/full_handshake.c` preloaded, which offers no session (checked: 0 resumed); "
          f"the resumed scenario is plain wrk.")
    w("")
w("## Start-up and memory")
w("")
w(f"- Start-up to `/ready` (embedded PostgreSQL already initialised): {', '.join(str(x) for x in meta['startup_ms'])} ms "
  f"(median {startup:.0f} ms); the very first start, which creates the database and records the class archive, took {meta['first_start_ms']} ms.")
w(f"- Tollgate RSS (VmRSS of the JVM; the embedded PostgreSQL's processes are not included): "
  f"{meta['idle_rss_kb'] / 1024:.0f} MB idle after start, {max_rss_mb or 0:.0f} MB at most after a scenario.")
w("")
if failures:
    w("## FAILED")
    w("")
    for f in failures:
        w(f"- {f}")
    w("")
if warnings:
    w("## Socket errors (not failures)")
    w("")
    for f in warnings:
        w(f"- {f}")
    w("")
w("How to read these figures: README, section \"Performance\".")
markdown = "\n".join(out) + "\n"

# ---------------------------------------------------------------- JSON
figures = {}
for (scenario, system), rs in by.items():
    figures.setdefault(scenario, {})[system] = {
        "median": {k: stat(scenario, system, k) for k in ("rps", "lat_p50_us", "lat_p90_us", "lat_p99_us", "non2xx")},
        "rounds": [dict(r["wrk"], rep=r["rep"], rss_kb=r["rss_kb"]) for r in rs],
    }
result = {"meta": meta, "targets": targets, "figures": figures, "failures": failures, "warnings": warnings}
with open(prefix + ".md", "w") as f:
    f.write(markdown)
with open(prefix + ".json", "w") as f:
    json.dump(result, f, indent=1)
print(markdown)
sys.exit(2 if failures else 0)
