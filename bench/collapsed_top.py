#!/usr/bin/env python3
"""Where the CPU goes, from async-profiler's collapsed stacks (bench/profile.sh).

Usage: collapsed_top.py STACKS.collapsed REQUESTS [N] [INTERVAL_US]

Each line is "[thread name tid=..];frame;frame;... count", root first, recorded with `threads,ann`
(Java frames end in _[j], inlined _[i], kernel _[k]); every sample stands for INTERVAL_US of CPU
time (default 100, profile.sh's interval). Prints, in µs per request and in %:
  - by thread (event loop, GC, JIT compilers, ...);
  - by component on the event-loop thread: inclusive, the first matching frame from the top of the
    stack (the leaf) decides, so each sample counts once, in the most specific component;
  - top self frames (the leaf) of the event loop;
  - the kernel's share by system call (write, read, epoll).
"""
import collections
import re
import sys

stacks_file, requests = sys.argv[1], int(sys.argv[2])
top_n = int(sys.argv[3]) if len(sys.argv) > 3 else 30
interval_us = float(sys.argv[4]) if len(sys.argv) > 4 else 100.0

# leaf-first: the first component whose pattern matches any frame, scanning from the leaf upwards
COMPONENTS = [
    ("kernel: write/sendmsg (TCP out)", r"(ksys_write|__x64_sys_write|sys_writev|__x64_sys_writev|tcp_sendmsg|do_writev)_\[k\]"),
    ("kernel: read/recvmsg (TCP in)", r"(ksys_read|__x64_sys_read|tcp_recvmsg|__x64_sys_recvfrom|do_readv)_\[k\]"),
    ("kernel: epoll_wait / io_uring_enter", r"(do_epoll_wait|__x64_sys_epoll_wait|__x64_sys_epoll_pwait|io_uring_enter|__x64_sys_io_uring_enter)_\[k\]"),
    ("kernel: other", r"_\[k\]$"),
    ("JWT verification, claims (tollgate tokens, jjwt, crypto)", r"^(io[./]tollgate[./]tokens|io[./]jsonwebtoken|com[./]amazon[./]corretto|sun[./]security)"),
    ("tollgate gateway (route, bearer, scopes, headers, forward)", r"^io[./]tollgate[./]gateway"),
    ("tollgate http / ops (framing guard, target, telemetry)", r"^io[./]tollgate[./](http|ops|Routes|ServicePaths|HttpVerticle)"),
    ("tollgate other", r"^io[./]tollgate"),
    ("Vert.x HTTP client (pool, request, response)", r"^io[./]vertx[./]core[./]http[./]impl[./](Http1xClient|HttpClient|ClientHttp|Http1xClientConnection|SharedClientHttpStreamEndpoint|.*Client)"),
    ("Vert.x HTTP server (request, response)", r"^io[./]vertx[./]core[./]http[./]impl[./](Http1xServer|HttpServer|Http1xServerConnection|Http1xServerRequest|Http1xServerResponse|.*Server)"),
    ("Vert.x headers (HeadersMultiMap, validation)", r"^io[./]vertx[./]core[./]http[./]impl[./](headers|HttpUtils)"),
    ("Vert.x other (contexts, futures, pool)", r"^io[./]vertx"),
    ("Netty HTTP codec (decode, encode)", r"^io[./]netty[./]handler[./]codec"),
    ("Netty headers (DefaultHeaders, AsciiString)", r"^io[./]netty[./](util[./]AsciiString|handler[./]codec[./]http[./]DefaultHttpHeaders)"),
    ("Netty buffers (ByteBuf, allocator)", r"^io[./]netty[./]buffer"),
    ("Netty channel, pipeline, event loop", r"^io[./]netty"),
    ("JDK (strings, collections)", r"^(java|jdk|sun)[./]"),
    ("JVM / libc (native, GC barriers, interpreter)", r"."),
]
COMPILED = [(name, re.compile(pattern)) for name, pattern in COMPONENTS]


def thread_group(name):
    for key, group in (("eventloop", "event loop"), ("GC", "garbage collector"), ("C2", "JIT C2"),
                       ("C1", "JIT C1"), ("hash", "password hashing"), ("worker", "Vert.x workers"),
                       ("blocked", "Vert.x blocked-thread checker")):
        if key in name:
            return group
    return "other: " + re.sub(r"[ -]?(tid=)?\d+\]?$", "", name.strip("[]"))


def component(frames):
    for frame in reversed(frames):
        for name, pattern in COMPILED[:4]:
            if pattern.search(frame):
                return name
    for frame in reversed(frames):
        bare = re.sub(r"_\[[a-z0-9]\]$", "", frame)
        if bare.startswith(("java", "jdk", "sun")) or not re.match(r"^[a-z]+[./]", bare):
            continue  # JDK and native leaves belong to the nearest caller we can name
        for name, pattern in COMPILED[4:-2]:
            if pattern.search(bare):
                return name
    leaf = re.sub(r"_\[[a-z0-9]\]$", "", frames[-1])
    return "JDK (strings, collections)" if leaf.startswith(("java", "jdk", "sun")) else COMPONENTS[-1][0]


threads = collections.Counter()
loop_components = collections.Counter()
loop_self = collections.Counter()
total = loop_total = 0
for line in open(stacks_file):
    line = line.rstrip("\n")
    if not line:
        continue
    stack, count = line.rsplit(" ", 1)
    count = int(count)
    frames = stack.split(";")
    group = thread_group(frames[0])
    if group.startswith("other: Attach Listener"):
        continue  # the profiler's own commands (writing the flame graph), not Tollgate's work
    threads[group] += count
    total += count
    if group == "event loop":
        loop_total += count
        loop_components[component(frames[1:])] += count
        loop_self[frames[-1]] += count


def us(samples):
    return samples * interval_us / requests


print(f"{total} samples of {interval_us:g} µs CPU = {total * interval_us / 1e6:.1f} s of CPU over {requests} requests: "
      f"**{us(total):.2f} µs per request** in the whole process\n")
print("| thread | µs/request | % |\n|---|---:|---:|")
for name, n in threads.most_common():
    print(f"| {name} | {us(n):.2f} | {100 * n / total:.1f} |")
print(f"\n### Event loop by component (each sample once, most specific first; {us(loop_total):.2f} µs/request)\n")
print("| component | µs/request | % of event loop |\n|---|---:|---:|")
for name, n in loop_components.most_common():
    print(f"| {name} | {us(n):.2f} | {100 * n / loop_total:.1f} |")
print(f"\n### Event loop, top {top_n} self frames\n")
print("| frame | µs/request | % |\n|---|---:|---:|")
for frame, n in loop_self.most_common(top_n):
    print(f"| `{frame}` | {us(n):.3f} | {100 * n / loop_total:.1f} |")
