#!/usr/bin/env bash
# Profiles Tollgate's gateway hot path with JFR under the benchmark's c=64 valid-token scenario,
# pinned as bench/run.sh pins it (Tollgate on CPU 0, wrk and the backend on CPU 1, -Xmx128m).
#
#   bench/profile.sh [SECONDS]      (default 30) -> bench/.work-profile/gateway.jfr and top-frame tables
#
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
forget_cluster "$WORK/tollgate-data"
rm -rf "$WORK" && mkdir -p "$WORK/keys"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/keys/rs256.pem" 2>/dev/null
sed -e "s#@WORK@#$WORK#g" -e "s#@TOLLGATE_PORT@#$TOLLGATE_PORT#g" -e "s#@BACKEND_PORT@#$BACKEND_PORT#g" \
  -e "s#@ARGON_MEMORY@#19456#g" -e "s#@ARGON_ITERATIONS@#2#g" -e "s#@ARGON_PARALLELISM@#1#g" \
  bench/conf/tollgate.yaml >"$WORK/tollgate.yaml"

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
  [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$TOLLGATE_PORT/ready") == 200 ]] && break
  kill -0 "${PIDS[tollgate]}" || die "Tollgate exited, see $WORK/tollgate.log"
  sleep 0.05
done
pm=$(pg_pidfile "$WORK/tollgate.log")
for p in $(head -1 "$pm") $(ps --ppid "$(head -1 "$pm")" -o pid=); do
  taskset -a -p -c "$LOAD_CPUS" "$p" >/dev/null 2>&1 || true
done
TOKEN=$(curl -s -u s6BhdRkqt3:gX1fBat3bV -d grant_type=client_credentials "http://127.0.0.1:$TOLLGATE_PORT/token" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
URL=http://127.0.0.1:$TOLLGATE_PORT/api/items?id=1
[[ $(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$URL") == 200 ]] || die "gateway does not answer 200"

log "warm-up 20 s"
taskset -c "$LOAD_CPUS" wrk -t1 -c64 -d20s -H "Authorization: Bearer $TOKEN" "$URL" >/dev/null
log "recording ${SECONDS_TO_RECORD} s of c=64 with a valid token in the header"
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }   # utime + stime, in clock ticks
jcmd "${PIDS[tollgate]}" JFR.start name=gateway settings="$WORK/gateway.jfc" >/dev/null
t0=$(cpu_ticks "${PIDS[tollgate]}") b0=$(cpu_ticks "${PIDS[backend]}") w0=$(date +%s%N)
taskset -c "$LOAD_CPUS" wrk -t1 -c64 -d"${SECONDS_TO_RECORD}s" --latency -H "Authorization: Bearer $TOKEN" "$URL" \
  | tee "$WORK/wrk.txt"
t1=$(cpu_ticks "${PIDS[tollgate]}") b1=$(cpu_ticks "${PIDS[backend]}") w1=$(date +%s%N)
hz=$(getconf CLK_TCK)
python3 -c "w=($w1-$w0)/1e9; print(f'CPU used during the recording: Tollgate {($t1-$t0)/$hz/w:.0%} of a core, backend {($b1-$b0)/$hz/w:.0%}; load average now', open('/proc/loadavg').read().split()[:3])" \
  | tee "$WORK/cpu.txt"
jcmd "${PIDS[tollgate]}" JFR.stop name=gateway filename="$WORK/gateway.jfr" >/dev/null
jcmd "${PIDS[tollgate]}" VM.native_memory summary >"$WORK/nmt.txt"
awk '/^VmRSS/' "/proc/${PIDS[tollgate]}/status" | tee "$WORK/rss.txt"
if grep -q netty_transport_native_epoll "/proc/${PIDS[tollgate]}/maps"; then echo "transport: native epoll"; else echo "transport: NIO"; fi
grep -E '^-? *(Total|Java Heap|Class|Thread|Code|GC|Internal|Other|Symbol|Arena|Metaspace)' "$WORK/nmt.txt" | head -20 || true

python3 bench/jfr_top.py "$WORK/gateway.jfr" eventloop 25 >"$WORK/top-eventloop.md"
python3 bench/jfr_top.py "$WORK/gateway.jfr" "" 25 >"$WORK/top-all.md"
jfr summary "$WORK/gateway.jfr" >"$WORK/summary.txt"
log "tables: $WORK/top-eventloop.md (event-loop thread), $WORK/top-all.md (all threads), nmt.txt, summary.txt"
