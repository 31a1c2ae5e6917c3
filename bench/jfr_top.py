#!/usr/bin/env python3
"""Aggregates a JFR recording's CPU samples (and allocation samples) into top-N tables.

Usage: jfr_top.py RECORDING.jfr [THREAD_SUBSTRING] [N]

Reads `jfr print --json --events jdk.ExecutionSample` (Java code running on a CPU) and
`jdk.NativeMethodSample` (threads inside native code: epoll, socket I/O), optionally only for
threads whose name contains THREAD_SUBSTRING (e.g. "eventloop"). Prints:
  - self time: the top frame of each sample, by method;
  - inclusive time: every method on the stack, counted once per sample;
  - inclusive time by component (package prefix), the view used in bench/PROFILE.md;
  - allocation by top frame (jdk.ObjectAllocationSample weight).
"""
import collections
import json
import subprocess
import sys

recording = sys.argv[1]
thread_filter = sys.argv[2] if len(sys.argv) > 2 else ""
top_n = int(sys.argv[3]) if len(sys.argv) > 3 else 30

COMPONENTS = [  # first match wins: the most specific prefixes first
    ("io.tollgate.gateway.", "tollgate gateway (route, bearer, scopes, headers)"),
    ("io.tollgate.tokens.", "tollgate token verification"),
    ("io.tollgate.", "tollgate other"),
    ("io.jsonwebtoken.", "jjwt (JWT parsing, claims)"),
    ("com.fasterxml.jackson.", "jackson (JWT JSON)"),
    ("com.amazon.corretto.", "ACCP crypto (RSA)"),
    ("sun.security.", "JDK crypto"),
    ("java.security.", "JDK crypto"),
    ("io.vertx.httpproxy.", "vertx-http-proxy"),
    ("io.vertx.ext.web.", "vertx-web router"),
    ("io.vertx.core.http.", "vertx-core HTTP (server + client)"),
    ("io.vertx.core.net.", "vertx-core net"),
    ("io.vertx.", "vertx other"),
    ("io.netty.handler.codec.http.", "netty HTTP codec"),
    ("io.netty.channel.nio.", "netty NIO event loop"),
    ("io.netty.", "netty other"),
    ("sun.nio.ch.", "JDK NIO (socket syscalls)"),
    ("java.util.concurrent.", "java.util.concurrent"),
    ("java.lang.String", "java.lang.String*"),
    ("java.", "JDK other"),
    ("jdk.", "JDK other"),
]


def component(method):
    for prefix, name in COMPONENTS:
        if method.startswith(prefix):
            return name
    return "other"


def events(kind):
    out = subprocess.run(["jfr", "print", "--json", "--stack-depth", "128", "--events", kind, recording],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)["recording"]["events"]


def frame_name(frame):
    m = frame["method"]
    return f"{m['type']['name'].replace('/', '.')}.{m['name']}"


def thread_name(event):
    t = event["values"].get("sampledThread") or event["values"].get("eventThread") or {}
    return t.get("javaName") or t.get("osName") or "?"


def stacks(kind):
    for e in events(kind):
        if thread_filter and thread_filter not in thread_name(e):
            continue
        st = e["values"].get("stackTrace")
        if st and st.get("frames"):
            yield e, [frame_name(f) for f in st["frames"]]


def table(title, counter, total, n=top_n):
    print(f"\n### {title} ({total} samples)\n")
    print("| % | samples | frame |")
    print("|---:|---:|---|")
    for name, count in counter.most_common(n):
        print(f"| {100.0 * count / total:.1f} | {count} | `{name}` |")


java_samples = list(stacks("jdk.ExecutionSample"))
native_samples = list(stacks("jdk.NativeMethodSample"))
total = len(java_samples)
print(f"recording {recording}, threads matching {thread_filter!r}: {total} Java samples, "
      f"{len(native_samples)} native-method samples")
if not total:
    sys.exit("no samples")

self_time = collections.Counter(frames[0] for _, frames in java_samples)
inclusive = collections.Counter()
by_component = collections.Counter()
by_component_self = collections.Counter()
for _, frames in java_samples:
    inclusive.update(set(frames))
    by_component.update({component(f) for f in frames})
    by_component_self[component(frames[0])] += 1

table("Self time by method (top of stack)", self_time, total)
table("Inclusive time by method", inclusive, total, top_n + 20)
print("\n### Who calls the top self-time frames (nearest caller outside java.*, jdk.*, sun.*)\n")
print("| frame | % of all samples | main callers (% of that frame's samples) |")
print("|---|---:|---|")
for name, count in self_time.most_common(12):
    callers = collections.Counter()
    for _, frames in java_samples:
        if frames[0] == name:
            callers[next((f for f in frames[1:] if not f.startswith(("java.", "jdk.", "sun."))), "?")] += 1
    text = "; ".join(f"`{c}` {100.0 * k / count:.0f}%" for c, k in callers.most_common(3))
    print(f"| `{name}` | {100.0 * count / total:.1f} | {text} |")
table("Self time by component", by_component_self, total)
table("Inclusive time by component", by_component, total)
if native_samples:
    table("Native methods (threads in native code)", collections.Counter(f[0] for _, f in native_samples),
          len(native_samples), 10)

alloc = collections.Counter()
alloc_total = 0
for e, frames in stacks("jdk.ObjectAllocationSample"):
    weight = e["values"].get("weight", 0)
    alloc_total += weight
    # the first frame outside java.* / jdk.* says who allocated
    owner = next((f for f in frames if not f.startswith(("java.", "jdk.", "sun."))), frames[0])
    alloc[owner] += weight
if alloc_total:
    print(f"\n### Allocation by first non-JDK frame ({alloc_total / 1e6:.0f} MB sampled weight)\n")
    print("| % | MB | frame |")
    print("|---:|---:|---|")
    for name, w in alloc.most_common(top_n):
        print(f"| {100.0 * w / alloc_total:.1f} | {w / 1e6:.0f} | `{name}` |")
