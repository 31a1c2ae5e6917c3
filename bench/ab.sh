#!/usr/bin/env bash
# A/B test of two Tollgate builds or JVM options on the gateway's c=64 valid-token scenario, with the
# harness's method: both run side by side (CPU 0, -Xmx128m, one event loop; wrk and the backend on
# CPU 1), in alternating rounds (A B B A A B ...), and the answer is the median of the per-round ratios,
# of throughput and of the SUT's CPU time per request (steadier when other work shares the machine).
#
#   bench/ab.sh JAR_A JAR_B [ROUNDS] [SECONDS]         e.g. bench/ab.sh target/tollgate.jar /tmp/exp/target/tollgate.jar
#   BENCH_OPTS_A=... BENCH_OPTS_B=...                  extra JVM options for A or B (same jar twice to test a flag)
#   BENCH_YAML_A=... BENCH_YAML_B=...                  YAML lines appended to A's or B's configuration, with
#                                                      @BACKEND_PORT@ replaced: e.g. B with span export to the
#                                                      backend, which answers any POST 200 like a collector:
#                                                      BENCH_YAML_B='tracing: { otlp: { endpoint: "http://127.0.0.1:@BACKEND_PORT@/v1/traces" } }'
#   BENCH_SCENARIO=header|public|client_credentials    (default header; client_credentials: POST /token, c=16)
#                  |client_credentials_plain             (the same with a client without refresh tokens: no database)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/pg.sh
ROOT=$PWD
JAR_A=$(readlink -f "$1") JAR_B=$(readlink -f "$2") ROUNDS=${3:-6} SECS=${4:-5}
BASE=${BENCH_PORT_BASE:-18300}
BACKEND_PORT=$((BASE + 81))
declare -A PORT=([A]=$((BASE + 80)) [B]=$((BASE + 90)))
declare -A JAR=([A]=$JAR_A [B]=$JAR_B) OPTS=([A]=${BENCH_OPTS_A:-} [B]=${BENCH_OPTS_B:-})
WORK=$ROOT/bench/.work-ab
SUT_CPUS=${BENCH_SUT_CPUS:-0} LOAD_CPUS=${BENCH_LOAD_CPUS:-1}
log() { printf '[ab %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
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
  for s in A B; do forget_cluster "$WORK/$s/tollgate-data"; done
  exit "$rc"
}
trap cleanup EXIT
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

for s in A B; do forget_cluster "$WORK/$s/tollgate-data"; done
rm -rf "$WORK" && mkdir -p "$WORK/keys"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/keys/rs256.pem" 2>/dev/null
taskset -c "$LOAD_CPUS" java -cp "$JAR_A" bench/BenchBackend.java "$BACKEND_PORT" >"$WORK/backend.log" 2>&1 &
PIDS[backend]=$!

# the shipped bootstrap plus a client without refresh tokens, whose grant writes nothing (issue 15)
sed '/^users:/i\  - { id: bench-plain, secret: bench-plain-secret, grant: client_credentials, scopes: [profile] }' \
  conf/bootstrap.yaml >"$WORK/bootstrap.yaml"

declare -A TOKEN=()
for s in A B; do
  mkdir -p "$WORK/$s"
  sed -e "s#@WORK@/keys#$WORK/keys#g" -e "s#@WORK@#$WORK/$s#g" -e "s#@TOLLGATE_PORT@#${PORT[$s]}#g" \
    -e "s#@BACKEND_PORT@#$BACKEND_PORT#g" -e "s#@ARGON_MEMORY@#19456#g" -e "s#@ARGON_ITERATIONS@#2#g" \
    -e "s#@ARGON_PARALLELISM@#1#g" -e "s#^bootstrap: .*#bootstrap: $WORK/bootstrap.yaml#" bench/conf/tollgate.yaml >"$WORK/$s/tollgate.yaml"
  yaml=BENCH_YAML_$s
  if [[ -n ${!yaml:-} ]]; then printf '%s\n' "${!yaml//@BACKEND_PORT@/$BACKEND_PORT}" >>"$WORK/$s/tollgate.yaml"; fi
  # shellcheck disable=SC2086
  taskset -c "$SUT_CPUS" java -Xmx128m ${OPTS[$s]} -jar "${JAR[$s]}" --config "$WORK/$s/tollgate.yaml" \
    >"$WORK/$s/tollgate.log" 2>&1 &
  PIDS[$s]=$!
  for ((i = 0; i < 1200; i++)); do
    [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${PORT[$s]}/ready") == 200 ]] && break
    kill -0 "${PIDS[$s]}" || die "Tollgate $s exited, see $WORK/$s/tollgate.log"
    sleep 0.05
  done
  pg=$(head -1 "$(pg_pidfile "$WORK/$s/tollgate.log")")
  for p in $pg $(ps --ppid "$pg" -o pid=); do taskset -a -p -c "$LOAD_CPUS" "$p" >/dev/null 2>&1 || true; done
  TOKEN[$s]=$(curl -s -u s6BhdRkqt3:gX1fBat3bV -d grant_type=client_credentials "http://127.0.0.1:${PORT[$s]}/token" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
done

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }  # user + system time of a process, 1/100 s
run() {  # system seconds -> "rps p99_us cpu_us_per_request"
  local before after
  before=$(cpu_ticks "${PIDS[$1]}")
  local path=/api/items?id=1 auth=(-H "Authorization: Bearer ${TOKEN[$1]}") connections=64 form=()
  case ${BENCH_SCENARIO:-header} in
    public) path=/public/items?id=1 auth=() ;;
    client_credentials)  # the token endpoint as bench/run.sh measures it: c=16, HTTP Basic
      path=/token connections=16 auth=(-H "Authorization: Basic $(printf %s s6BhdRkqt3:gX1fBat3bV | base64 -w0)"
        -H 'Content-Type: application/x-www-form-urlencoded')
      form=(WRK_METHOD=POST WRK_BODY=grant_type=client_credentials) ;;
    client_credentials_plain)
      path=/token connections=16 auth=(-H "Authorization: Basic $(printf %s bench-plain:bench-plain-secret | base64 -w0)"
        -H 'Content-Type: application/x-www-form-urlencoded')
      form=(WRK_METHOD=POST WRK_BODY=grant_type=client_credentials) ;;
  esac
  taskset -c "$LOAD_CPUS" env WRK_JSON="$WORK/run.json" "${form[@]}" wrk -t1 -c"$connections" -d"$2s" \
    -s bench/lua/plain.lua "${auth[@]}" "http://127.0.0.1:${PORT[$1]}$path" >/dev/null
  after=$(cpu_ticks "${PIDS[$1]}")
  # CPU time per request is steadier than throughput while other work shares the machine
  python3 -c 'import json,sys; w=json.load(open(sys.argv[1])); assert w["non2xx"] == 0, w
print(w["rps"], w["lat_p99_us"], int(sys.argv[2]) * 10000 / (w["rps"] * float(sys.argv[3])))' "$WORK/run.json" \
    "$((after - before))" "$2"
}
log "warm-up: 15 s each"
run A 15 >/dev/null
run B 15 >/dev/null
log "A = ${JAR[A]} ${OPTS[A]} ${BENCH_YAML_A:-}"
log "B = ${JAR[B]} ${OPTS[B]} ${BENCH_YAML_B:-}"
: >"$WORK/rounds.txt"
for ((r = 1; r <= ROUNDS; r++)); do
  order="A B"
  if ((r % 2 == 0)); then order="B A"; fi
  for s in $order; do echo "$r $s $(run "$s" "$SECS")" >>"$WORK/rounds.txt"; done
done
for s in A B; do echo "RSS $s: $(awk '/^VmRSS/ {print $2 / 1024 " MB"}' "/proc/${PIDS[$s]}/status")"; done
python3 - "$WORK/rounds.txt" <<'EOF'
import collections, statistics, sys
rows = collections.defaultdict(dict)
for line in open(sys.argv[1]):
    r, s, rps, p99, cpu = line.split()
    rows[int(r)][s] = (float(rps), float(p99), float(cpu))
for r in sorted(rows):
    a, b = rows[r]["A"], rows[r]["B"]
    print(f"round {r}: A {a[0]:8.0f} req/s p99 {a[1]/1000:6.1f} ms {a[2]:5.1f} µs CPU/req | "
          f"B {b[0]:8.0f} req/s p99 {b[1]/1000:6.1f} ms {b[2]:5.1f} µs CPU/req | B/A {b[0]/a[0]:.3f}")
ratios = [rows[r]["B"][0] / rows[r]["A"][0] for r in rows]
print(f"B/A throughput: median {statistics.median(ratios):.3f} (min {min(ratios):.3f}, max {max(ratios):.3f}); "
      f"medians A {statistics.median(rows[r]['A'][0] for r in rows):.0f}, B {statistics.median(rows[r]['B'][0] for r in rows):.0f} req/s; "
      f"load average {open('/proc/loadavg').read().split()[:3]}")
cpu = [rows[r]["B"][2] / rows[r]["A"][2] for r in rows]
print(f"B/A CPU time per request: median {statistics.median(cpu):.3f} (min {min(cpu):.3f}, max {max(cpu):.3f})")
EOF
