#!/usr/bin/env bash
# Profiles Tollgate's gateway hot path under the benchmark's c=64 valid-token scenario, pinned as
# bench/run.sh pins it (Tollgate on CPU 0, wrk and the backend on CPU 1, -Xmx128m).
#
#   bench/profile.sh [SECONDS]      (default 30) -> bench/.work-profile/: flame graph and top tables
#
# BENCH_PROFILER=async (default): async-profiler (Maven Central tools.profiler:async-profiler, its
#   native library taken from the jar), CPU samples from perf_events every 100 µs of CPU time with
#   kernel frames (system calls, TCP), so it sees what JFR cannot: native code, the kernel, the GC and
#   JIT threads. Writes flame.html (open it in a browser), gateway.collapsed (one line per stack) and
#   top.md (bench/collapsed_top.py: by component, by frame, per request in µs).
# BENCH_PROFILER=jfr: a JFR recording (Java frames only) and bench/jfr_top.py's tables, as before.
# BENCH_SCENARIO=client_credentials: the token endpoint (POST /token, c=16) instead of the gateway.
# BENCH_SCENARIO=query: the token as the _bearer_token query parameter instead of the header.
# BENCH_SCENARIO=tls_handshake|tls_keepalive|tls_h2: the gateway behind http.tls (conf/dev-tls.sh's ECDSA
#   P-256 certificate, BENCH_TLS_ENGINE=openssl|jdk, default openssl) as bench/run.sh's "TLS at the edge"
#   measures it: c=16 with Connection: close and a full handshake each (bench/full_handshake.c), c=64
#   keep-alive, or h2load with 16 connections of 4 streams.
# BENCH_CONNS=N: wrk's connections in the header and query scenarios (default 64; 1024 for the c=1024 targets).
# BENCH_WARMUP=SECONDS: the warm-up before recording (default 20).
# The recording starts after a warm-up, so it shows the steady state, not start-up or the JIT.
# Use BENCH_JAR=path/to/other.jar to profile a scratch build (bench/PROFILE.md compares such builds).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/pg.sh
ROOT=$PWD
SECONDS_TO_RECORD=${1:-30}
BASE=${BENCH_PORT_BASE:-18200}
TOLLGATE_PORT=$((BASE + 80)) BACKEND_PORT=$((BASE + 81))
JAR=${BENCH_JAR:-target/tollgate.jar}
WORK=$ROOT/bench/.work-profile
SUT_CPUS=${BENCH_SUT_CPUS:-0} LOAD_CPUS=${BENCH_LOAD_CPUS:-1}
log() { printf '[profile %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

declare -A PIDS=()
cleanup() {
  local rc=$?
  trap - EXIT
  for name in "${!PIDS[@]}"; do kill -TERM "${PIDS[$name]}" 2>/dev/null || true; done
  for name in "${!PIDS[@]}"; do
    for ((i = 0; i < 300; i++)); do kill -0 "${PIDS[$name]}" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "${PIDS[$name]}" 2>/dev/null || true
  done
  forget_cluster "$WORK/tollgate-data"
  exit "$rc"
}
trap cleanup EXIT
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

[[ -f $JAR ]] || die "$JAR is missing (mvn -q -DskipTests package)"
PROFILER=${BENCH_PROFILER:-async}
AP_VERSION=4.1
AP_LIB=$ROOT/bench/.cache/async-profiler-$AP_VERSION/linux-x64/libasyncProfiler.so
if [[ $PROFILER == async && ! -f $AP_LIB ]]; then
  log "fetching async-profiler $AP_VERSION from Maven Central (its jar carries the native library)"
  mvn -B -ntp -q dependency:get -Dartifact="tools.profiler:async-profiler:$AP_VERSION" >/dev/null \
    || die "could not fetch tools.profiler:async-profiler:$AP_VERSION"
  mkdir -p "$(dirname "$(dirname "$AP_LIB")")"
  unzip -q -o "$HOME/.m2/repository/tools/profiler/async-profiler/$AP_VERSION/async-profiler-$AP_VERSION.jar" \
    'linux-x64/*' -d "$(dirname "$(dirname "$AP_LIB")")"
fi
forget_cluster "$WORK/tollgate-data"
rm -rf "$WORK" && mkdir -p "$WORK/keys"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/keys/rs256.pem" 2>/dev/null
# the shipped bootstrap plus a client without refresh tokens, whose grant writes nothing (issue 15)
sed '/^users:/i\  - { id: bench-plain, secret: bench-plain-secret, grant: client_credentials, scopes: [profile] }' \
  conf/bootstrap.yaml >"$WORK/bootstrap.yaml"
sed -e "s#@WORK@#$WORK#g" -e "s#@TOLLGATE_PORT@#$TOLLGATE_PORT#g" -e "s#@BACKEND_PORT@#$BACKEND_PORT#g" \
  -e "s#@ARGON_MEMORY@#19456#g" -e "s#@ARGON_ITERATIONS@#2#g" -e "s#@ARGON_PARALLELISM@#1#g" \
  -e "s#^bootstrap: .*#bootstrap: $WORK/bootstrap.yaml#" bench/conf/tollgate.yaml >"$WORK/tollgate.yaml"
SCHEME=http CURL_TLS=()
if [[ ${BENCH_SCENARIO:-header} == tls_* ]]; then
  SCHEME=https
  conf/dev-tls.sh "$WORK/tls" >/dev/null
  gcc -shared -fPIC -O2 -o "$WORK/full_handshake.so" bench/full_handshake.c -ldl -lssl || die "cannot compile bench/full_handshake.c"
  CURL_TLS=(--cacert "$WORK/tls/ca.crt")
  sed -i "/^  instances: /a\\  tls: { cert: $WORK/tls/default.crt, key: $WORK/tls/default.key, engine: ${BENCH_TLS_ENGINE:-openssl} }" \
    "$WORK/tollgate.yaml"
fi

# JFR's "profile" settings with Java samples every 2 ms instead of 10 (more samples, same picture)
python3 - "$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")/lib/jfr/profile.jfc" "$WORK/gateway.jfc" <<'EOF'
import re, sys
text = open(sys.argv[1]).read()
text = re.sub(r'(<event name="jdk.ExecutionSample">.*?<setting name="period"[^>]*>)[^<]*', r'\g<1>2 ms', text, flags=re.S)
text = re.sub(r'(<event name="jdk.NativeMethodSample">.*?<setting name="period"[^>]*>)[^<]*', r'\g<1>10 ms', text, flags=re.S)
open(sys.argv[2], "w").write(text)
EOF

taskset -c "$LOAD_CPUS" java -cp "$JAR" bench/BenchBackend.java "$BACKEND_PORT" >"$WORK/backend.log" 2>&1 &
PIDS[backend]=$!
taskset -c "$SUT_CPUS" java -Xmx128m ${BENCH_JAVA_OPTS:-} -XX:NativeMemoryTracking=summary -XX:+UnlockDiagnosticVMOptions \
  -XX:+DebugNonSafepoints -jar "$JAR" --config "$WORK/tollgate.yaml" >"$WORK/tollgate.log" 2>&1 &
PIDS[tollgate]=$!
for ((i = 0; i < 1200; i++)); do
  [[ $(curl -s -o /dev/null -w '%{http_code}' "${CURL_TLS[@]}" "$SCHEME://127.0.0.1:$TOLLGATE_PORT/ready") == 200 ]] && break
  kill -0 "${PIDS[tollgate]}" || die "Tollgate exited, see $WORK/tollgate.log"
  sleep 0.05
done
pm=$(pg_pidfile "$WORK/tollgate.log")
for p in $(head -1 "$pm") $(ps --ppid "$(head -1 "$pm")" -o pid=); do
  taskset -a -p -c "$LOAD_CPUS" "$p" >/dev/null 2>&1 || true
done
TOKEN=$(curl -s "${CURL_TLS[@]}" -u s6BhdRkqt3:gX1fBat3bV -d grant_type=client_credentials "$SCHEME://127.0.0.1:$TOLLGATE_PORT/token" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
URL=$SCHEME://127.0.0.1:$TOLLGATE_PORT/api/items?id=1
[[ $(curl -s -o /dev/null -w '%{http_code}' "${CURL_TLS[@]}" -H "Authorization: Bearer $TOKEN" "$URL") == 200 ]] || die "gateway does not answer 200"

# the load: the gateway (c=64, valid token) or the token endpoint (c=16, a client without refresh tokens)
LOAD=(-c"${BENCH_CONNS:-64}" -H "Authorization: Bearer $TOKEN" "$URL")
WHAT="c=${BENCH_CONNS:-64} with a valid token in the header"
if [[ ${BENCH_SCENARIO:-header} == client_credentials ]]; then
  export WRK_METHOD=POST WRK_BODY=grant_type=client_credentials WRK_JSON=/dev/null
  LOAD=(-c16 -s bench/lua/plain.lua -H "Authorization: Basic $(printf %s bench-plain:bench-plain-secret | base64 -w0)"
    -H 'Content-Type: application/x-www-form-urlencoded' "http://127.0.0.1:$TOLLGATE_PORT/token")
  WHAT="POST /token client_credentials at c=16 (client without refresh tokens)"
fi
PRELOAD=() H2=no
case ${BENCH_SCENARIO:-header} in
  tls_handshake)  # a full handshake per request: no session offered (bench/full_handshake.c)
    LOAD=(-c16 -H 'Connection: close' -H "Authorization: Bearer $TOKEN" "$URL") PRELOAD=(LD_PRELOAD="$WORK/full_handshake.so")
    WHAT="c=16 TLS full handshakes (Connection: close) with a valid token" ;;
  tls_keepalive) WHAT="c=64 TLS keep-alive with a valid token" ;;
  tls_h2) H2=yes WHAT="HTTP/2 over TLS, h2load -c16 -m4, with a valid token" ;;
  query) LOAD=(-c64 "$URL&_bearer_token=$TOKEN") WHAT="c=64 with a valid token as the _bearer_token query parameter" ;;
esac
# wrk LOAD... for SECONDS (h2load in tls_h2), writing wrk's or h2load's report to stdout
drive() {
  if [[ $H2 == yes ]]; then
    taskset -c "$LOAD_CPUS" h2load -t1 -c16 -m4 -D "$1" -H "authorization: Bearer $TOKEN" "$URL"
  else
    taskset -c "$LOAD_CPUS" env "${PRELOAD[@]}" wrk -t1 -d"$1s" --latency "${LOAD[@]}"
  fi
}
WARM=${BENCH_WARMUP:-20}  # longer on a busy machine, where the JIT takes longer to settle
log "warm-up $WARM s"
drive "$WARM" >/dev/null
log "recording ${SECONDS_TO_RECORD} s of $WHAT with $PROFILER"
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }   # utime + stime, in clock ticks
if [[ $PROFILER == async ]]; then
  # cpu = perf_events (kernel frames too); interval in ns of CPU time; all threads, each kept apart
  java bench/ApAttach.java "${PIDS[tollgate]}" "$AP_LIB" "start,event=cpu,interval=100000,threads" \
    || die "async-profiler did not start, see $WORK/tollgate.log"
else
  jcmd "${PIDS[tollgate]}" JFR.start name=gateway settings="$WORK/gateway.jfc" >/dev/null
fi
t0=$(cpu_ticks "${PIDS[tollgate]}") b0=$(cpu_ticks "${PIDS[backend]}") w0=$(date +%s%N)
drive "$SECONDS_TO_RECORD" | tee "$WORK/wrk.txt"
t1=$(cpu_ticks "${PIDS[tollgate]}") b1=$(cpu_ticks "${PIDS[backend]}") w1=$(date +%s%N)
hz=$(getconf CLK_TCK)
requests=$(awk '/requests in/ {print $1} /^requests: .* total/ {print $2}' "$WORK/wrk.txt")
python3 -c "w=($w1-$w0)/1e9; print(f'CPU used during the recording: Tollgate {($t1-$t0)/$hz/w:.0%} of a core, backend {($b1-$b0)/$hz/w:.0%}; Tollgate CPU per request {($t1-$t0)/$hz/$requests*1e6:.1f} µs; load average now', open('/proc/loadavg').read().split()[:3])" \
  | tee "$WORK/cpu.txt"
if [[ $PROFILER == async ]]; then
  java bench/ApAttach.java "${PIDS[tollgate]}" "$AP_LIB" "dump,flamegraph,title=Tollgate ${BENCH_SCENARIO:-header},file=$WORK/flame.html"
  java bench/ApAttach.java "${PIDS[tollgate]}" "$AP_LIB" "stop,collapsed,ann,file=$WORK/gateway.collapsed"
else
  jcmd "${PIDS[tollgate]}" JFR.stop name=gateway filename="$WORK/gateway.jfr" >/dev/null
fi
jcmd "${PIDS[tollgate]}" VM.native_memory summary >"$WORK/nmt.txt"
awk '/^VmRSS/' "/proc/${PIDS[tollgate]}/status" | tee "$WORK/rss.txt"
transport=NIO
grep -q netty_transport_native_epoll "/proc/${PIDS[tollgate]}/maps" && transport="native epoll"
grep -q netty_transport_native_io_uring "/proc/${PIDS[tollgate]}/maps" && transport="native io_uring"
echo "transport: $transport"
grep -E '^-? *(Total|Java Heap|Class|Thread|Code|GC|Internal|Other|Symbol|Arena|Metaspace)' "$WORK/nmt.txt" | head -20 || true

if [[ $PROFILER == async ]]; then
  python3 bench/collapsed_top.py "$WORK/gateway.collapsed" "$requests" 30 >"$WORK/top.md"
  log "flame graph: $WORK/flame.html; stacks: gateway.collapsed; tables: top.md"
else
  python3 bench/jfr_top.py "$WORK/gateway.jfr" eventloop 25 >"$WORK/top-eventloop.md"
  python3 bench/jfr_top.py "$WORK/gateway.jfr" "" 25 >"$WORK/top-all.md"
  jfr summary "$WORK/gateway.jfr" >"$WORK/summary.txt"
  log "tables: $WORK/top-eventloop.md (event-loop thread), $WORK/top-all.md (all threads), nmt.txt, summary.txt"
fi
