#!/usr/bin/env bash
# Tollgate's benchmark (issue 6): builds Tollgate, starts it and the comparison systems on loopback,
# runs every scenario with wrk, and writes bench/results/<date>-<mode>.md and .json.
#
#   bench/run.sh            full run (~20 min): 3 alternating repetitions of 8 s per figure, Keycloak included
#   bench/run.sh --quick    ~3 min: 3 repetitions of 1 s; Keycloak only with --keycloak
#   bench/run.sh --smoke    a few seconds per scenario, 1 repetition, no Keycloak; results under bench/.work/.
#                           Asserts no timing, but fails when a scenario errors or a system does not start.
#   bench/run.sh --only tls only the TLS scenarios (also: --only gateway, --only tokens; combine with the above)
#
# Other flags: --keycloak / --no-keycloak, --no-build. Ports 18080-18086, 18180, 18190 (BENCH_PORT_BASE
# moves them). CPU pinning: the system under test on BENCH_SUT_CPUS (default 0), wrk and the backend on
# BENCH_LOAD_CPUS (default 1); see README "Performance" for how to read the figures.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/pg.sh
ROOT=$PWD

MODE=full KEYCLOAK=default BUILD=yes ONLY="" next_is_only=no
for arg in "$@"; do
  if [[ $next_is_only == yes ]]; then ONLY=$arg next_is_only=no; continue; fi
  case "$arg" in
    --only) next_is_only=yes ;;
    --only=*) ONLY=${arg#--only=} ;;
    --quick) MODE=quick ;;
    --smoke) MODE=smoke ;;
    --keycloak) KEYCLOAK=yes ;;
    --no-keycloak) KEYCLOAK=no ;;
    --no-build) BUILD=no ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "bench/run.sh: unknown argument $arg (try --help)" >&2; exit 64 ;;
  esac
done
case "$MODE" in
  full)  REPS=3 DURATION=8 WARMUP=5 JIT_WARMUP=20 PW_DURATION=10 TOKENS=10000 POOL_PER_RUN=400 ;;
  quick) REPS=3 DURATION=1 WARMUP=1 JIT_WARMUP=8  PW_DURATION=4  TOKENS=10000 POOL_PER_RUN=200 ;;
  smoke) REPS=1 DURATION=2 WARMUP=0 JIT_WARMUP=0  PW_DURATION=4  TOKENS=1000  POOL_PER_RUN=100 ;;
esac
# WARMUP: seconds per system before each scenario's rounds (connections, caches); JIT_WARMUP: once,
# for Tollgate after its start, so that the first scenario does not measure the JIT compiler;
# PW_DURATION: the password grant runs longer, as a few argon2id hashes per second would leave
# a 1 s round with no completed request.
if [[ $KEYCLOAK == default ]]; then
  [[ $MODE == full ]] && KEYCLOAK=yes || KEYCLOAK=no
fi
[[ $MODE == smoke ]] && KEYCLOAK=no
case "$ONLY" in
  "") SECTIONS=" gateway tokens tls " ;;
  gateway|tokens|tls) SECTIONS=" $ONLY " ;;
  *) echo "bench/run.sh: --only takes gateway, tokens or tls, got \"$ONLY\"" >&2; exit 64 ;;
esac
want() { [[ $SECTIONS == *" $1 "* ]]; }
want tokens || KEYCLOAK=no
want gateway || TOKENS=1000   # the distinct-token pool is only for gw_tokens10k

KC_VERSION=${BENCH_KEYCLOAK_VERSION:-26.7.3}
BASE=${BENCH_PORT_BASE:-18000}
TOLLGATE_PORT=$((BASE + 80)) BACKEND_PORT=$((BASE + 81)) NGINX_PORT=$((BASE + 82)) HAPROXY_PORT=$((BASE + 83))
NGINX_TLS_PORT=$((BASE + 84)) TLS_OPENSSL_PORT=$((BASE + 85)) TLS_JDK_PORT=$((BASE + 86))
NGINX_TLS_CHECK_PORT=$((BASE + 87))
KC_PORT=$((BASE + 180)) KC_MGMT_PORT=$((BASE + 190))
ARGON_MEMORY=19456 ARGON_ITERATIONS=2 ARGON_PARALLELISM=1   # Tollgate's shipped default (OWASP 2023)
CC_AUTH=$(printf %s 's6BhdRkqt3:gX1fBat3bV' | base64 -w0)
PLAIN_AUTH=$(printf %s 'bench-plain:bench-plain-secret' | base64 -w0)  # client_credentials without refresh tokens
PW_AUTH=$(printf %s 'b81cc4de-d192-400e-bcb4-09254394c52a:n3G7KAhcv8OH' | base64 -w0)
PW_BODY='grant_type=password&username=demo%40profix-it.nl&password=demo-password'
KC_TOKEN_PATH=/realms/tollgate/protocol/openid-connect/token

WORK=$ROOT/bench/.work
CACHE=$ROOT/bench/.cache
STAMP=$(date -u +%Y-%m-%dT%H%MZ)
if [[ $MODE == smoke ]]; then OUT_DIR=$WORK/results; else OUT_DIR=$ROOT/bench/results; fi

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

# ---------------------------------------------------------------- processes, stopped on every exit
declare -A PIDS=()
stop_pid() {  # name pid [grace-seconds]
  local pid=$2 grace=${3:-15}
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < grace * 10; i++)); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  log "$1 (pid $pid) did not stop in ${grace}s; killing it"
  # and its children: ./tollgate, while it records the class archive, runs java as a child and waits
  local child
  for child in $(ps --ppid "$pid" -o pid= 2>/dev/null); do kill -KILL "$child" 2>/dev/null || true; done
  kill -KILL "$pid" 2>/dev/null || true
}
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  for name in "${!PIDS[@]}"; do stop_pid "$name" "${PIDS[$name]}"; done
  # a Tollgate killed hard leaves its embedded PostgreSQL behind: stop that one by its pid file
  # (tollgate.log, and tollgate-openssl.log and tollgate-jdk.log of the TLS scenarios)
  local log pm pg data
  for log in "$WORK"/tollgate*.log; do
    pm=$(pg_pidfile "$log")
    if [[ -f $pm ]]; then
      pg=$(head -1 "$pm")
      [[ -n $pg ]] && kill -0 "$pg" 2>/dev/null && { kill -TERM "$pg" 2>/dev/null || true; }
    fi
  done
  for data in "$WORK"/tollgate*-data; do forget_cluster "$data"; done
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- tools
need_packages=()
command -v wrk >/dev/null || need_packages+=(wrk)
command -v nginx >/dev/null || need_packages+=(nginx-light)
command -v haproxy >/dev/null || need_packages+=(haproxy)
command -v taskset >/dev/null || need_packages+=(util-linux)
command -v curl >/dev/null || need_packages+=(curl)
command -v openssl >/dev/null || need_packages+=(openssl)
command -v unzip >/dev/null || need_packages+=(unzip)
command -v python3 >/dev/null || need_packages+=(python3)
command -v mvn >/dev/null || need_packages+=(maven)
if want tls; then
  command -v h2load >/dev/null || need_packages+=(nghttp2-client)
  command -v gcc >/dev/null || need_packages+=(gcc libc6-dev)
  [[ -f /usr/include/openssl/ssl.h ]] || need_packages+=(libssl-dev)
fi
if ((${#need_packages[@]})); then
  log "installing ${need_packages[*]} with apt-get"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${need_packages[@]}") >"$ROOT/bench/.apt.log" 2>&1 || die "apt-get install failed, see bench/.apt.log"
fi
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
(($(ulimit -n) >= 4200)) || die "ulimit -n is $(ulimit -n); c=1024 needs at least 4200 descriptors"

NPROC=$(nproc)
if ((NPROC >= 2)); then
  SUT_CPUS=${BENCH_SUT_CPUS:-0} LOAD_CPUS=${BENCH_LOAD_CPUS:-1}
else
  SUT_CPUS=${BENCH_SUT_CPUS:-0} LOAD_CPUS=${BENCH_LOAD_CPUS:-0}
  log "one CPU only: everything shares it"
fi
WRK_THREADS=$(taskset -c "$LOAD_CPUS" nproc)
# (background processes are started with taskset directly, never through a function, so that $! is
# the process itself: taskset and env exec what they run)
load() { taskset -c "$LOAD_CPUS" "$@"; }

# ---------------------------------------------------------------- build and prepare
if [[ $BUILD == yes ]]; then
  if [[ ! -f target/tollgate.jar || -n $(find pom.xml src -newer target/tollgate.jar -print -quit) ]]; then
    log "building Tollgate (mvn package)"
    mvn -B -ntp -q -DskipTests package >"$ROOT/bench/.build.log" 2>&1 || die "build failed, see bench/.build.log"
  fi
fi
[[ -f target/tollgate.jar ]] || die "target/tollgate.jar is missing"

for data in "$WORK"/tollgate*-data; do forget_cluster "$data"; done
rm -rf "$WORK"
mkdir -p "$WORK/keys" "$WORK/runs" "$WORK/nginx-tmp" "$OUT_DIR" "$CACHE"
# The backend runs from the jar under a neutral name: twice during development a process outside
# the harness stopped every JVM whose command line said tollgate.jar, in the middle of a run.
# (Tollgate itself runs through ./tollgate, as the README starts it: see below.)
ln -s "$ROOT/target/tollgate.jar" "$WORK/sut.jar"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
log "mode $MODE: $REPS x ${DURATION}s per figure, nproc $NPROC, load $LOAD_BEFORE, SUT on CPU $SUT_CPUS, wrk+backend on CPU $LOAD_CPUS"

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/keys/rs256.pem" 2>/dev/null
openssl pkey -in "$WORK/keys/rs256.pem" -pubout -out "$WORK/keys/rs256.pub.pem"
# The TLS scenarios' certificate, made as the README's development setup makes it: a local CA and
# an ECDSA P-256 leaf for localhost and 127.0.0.1 (default.crt holds the leaf and the CA: a chain).
# nginx and both TLS Tollgates serve exactly these files.
conf/dev-tls.sh "$WORK/tls" >/dev/null
ISSUER=http://127.0.0.1:$TOLLGATE_PORT
render() {  # template output
  sed -e "s#@WORK@#$WORK#g" -e "s#@TOLLGATE_PORT@#$TOLLGATE_PORT#g" -e "s#@BACKEND_PORT@#$BACKEND_PORT#g" \
    -e "s#@NGINX_PORT@#$NGINX_PORT#g" -e "s#@HAPROXY_PORT@#$HAPROXY_PORT#g" -e "s#@ISSUER@#$ISSUER#g" \
    -e "s#@NGINX_TLS_PORT@#$NGINX_TLS_PORT#g" -e "s#@NGINX_TLS_CHECK_PORT@#$NGINX_TLS_CHECK_PORT#g" \
    -e "s#@ARGON_MEMORY@#$ARGON_MEMORY#g" -e "s#@ARGON_ITERATIONS@#$ARGON_ITERATIONS#g" \
    -e "s#@ARGON_PARALLELISM@#$ARGON_PARALLELISM#g" "$1" >"$2"
}
render bench/conf/tollgate.yaml "$WORK/sut.yaml"
# the shipped bootstrap plus a client without refresh tokens: its client_credentials grant touches no
# database (clients are cached, issue 15), the case the token-endpoint target is about
sed '/^users:/i\  - { id: bench-plain, secret: bench-plain-secret, grant: client_credentials, scopes: [profile] }' \
  conf/bootstrap.yaml >"$WORK/bootstrap.yaml"
sed -i "s#^bootstrap: .*#bootstrap: $WORK/bootstrap.yaml#" "$WORK/sut.yaml"
# for the token endpoint Tollgate signs with ES256, its default (the gateway scenarios need RS256,
# which HAProxy verifies): the same configuration with a generated P-256 key in the data directory
sed -e 's#algorithm: RS256#algorithm: ES256#' -e '/keys: \[{ kid: bench, private:/d' "$WORK/sut.yaml" >"$WORK/sut-es256.yaml"
render bench/conf/nginx.conf "$WORK/nginx.conf"
render bench/conf/haproxy.cfg "$WORK/haproxy.cfg"

# status URL [timeout-seconds]: waits until URL answers 200
wait_ok() {
  local deadline=$((SECONDS + ${2:-60}))
  until [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 1 --cacert "$WORK/tls/ca.crt" "$1" 2>/dev/null) == 200 ]]; do
    ((SECONDS < deadline)) || return 1
    sleep 0.01
  done
}
alive() {
  [[ -z ${PIDS[$1]:-} ]] || kill -0 "${PIDS[$1]}" 2>/dev/null \
    || die "$1 exited (stopped from outside the harness?), see bench/.work/$1.log"
}
rss_kb() {  # resident set of the JVM of pid $1, which may be a launcher script (Keycloak's kc.sh)
  local pid=$1
  if [[ $(cat "/proc/$pid/comm" 2>/dev/null) != java ]]; then
    pid=$(ps --ppid "$pid" -o pid=,comm= | awk '$2 == "java" {print $1; exit}')
  fi
  awk '/^VmRSS/ {print $2}' "/proc/${pid:-0}/status" 2>/dev/null || echo 0
}

# ---------------------------------------------------------------- comparison systems
log "starting the backend, nginx and HAProxy"
taskset -c "$LOAD_CPUS" java -cp "$WORK/sut.jar" bench/BenchBackend.java "$BACKEND_PORT" >"$WORK/backend.log" 2>&1 &
PIDS[backend]=$!
taskset -c "$SUT_CPUS" nginx -c "$WORK/nginx.conf" -p "$WORK" -e "$WORK/nginx-error.log" >"$WORK/nginx.log" 2>&1 &
PIDS[nginx]=$!
haproxy -c -q -f "$WORK/haproxy.cfg" >"$WORK/haproxy.log" 2>&1 || die "HAProxy rejects bench/conf/haproxy.cfg, see bench/.work/haproxy.log"
taskset -c "$SUT_CPUS" haproxy -db -f "$WORK/haproxy.cfg" >>"$WORK/haproxy.log" 2>&1 &
PIDS[haproxy]=$!
wait_ok "http://127.0.0.1:$BACKEND_PORT/" 60 || die "the backend did not start, see bench/.work/backend.log"
wait_ok "http://127.0.0.1:$NGINX_PORT/" 10 || die "nginx did not start, see bench/.work/nginx-error.log"
alive haproxy

# ---------------------------------------------------------------- Tollgate, and its start-up time
# Started the way the README starts it, through ./tollgate (java -jar target/tollgate.jar with the
# class-data sharing archive target/tollgate.jsa), so that the start-up figure is what users get.
# -Xms16m and a smaller code cache: RSS under 200 MB (bench/PROFILE.md, recommendation 9)
TOLLGATE_OPTS="-Xmx128m -Xms16m -XX:ReservedCodeCacheSize=48m"
export TOLLGATE_NO_BUILD=1   # built above; an edit under src/main during the run must not rebuild it
TOLLGATE_JAVA=(env JAVA_OPTS="$TOLLGATE_OPTS" ./tollgate --config "$WORK/sut.yaml")
start_tollgate() {  # sets STARTUP_MS: milliseconds from launch to /ready
  local t0; t0=$(date +%s%N)
  taskset -c "$SUT_CPUS" "${TOLLGATE_JAVA[@]}" >>"$WORK/tollgate.log" 2>&1 &
  PIDS[tollgate]=$!
  wait_ok "http://127.0.0.1:$TOLLGATE_PORT/ready" 120 || die "Tollgate did not become ready, see bench/.work/tollgate.log"
  STARTUP_MS=$((($(date +%s%N) - t0) / 1000000))
}
stop_tollgate() { stop_pid tollgate "${PIDS[tollgate]}" "${1:-30}"; unset 'PIDS[tollgate]'; }

# The first start is a user's first start: it creates the database and records the class archive
# (written when it stops; a fresh one every run, for the jar just built).
STARTS=$REPS
[[ $SECTIONS == " tls " ]] && STARTS=1   # --only tls: the plain Tollgate only mints the token
log "starting Tollgate once to create its database and class archive, then $STARTS timed starts to /ready"
rm -f target/tollgate.jsa target/tollgate.jsa.key
start_tollgate
first=$STARTUP_MS
stop_tollgate 180   # the JVM writes the class archive as it exits: on a busy machine that took over 30 s
[[ -f target/tollgate.jsa ]] || die "the first start wrote no class archive (target/tollgate.jsa), see bench/.work/tollgate.log"
STARTUPS=()
for ((r = 1; r <= STARTS; r++)); do
  start_tollgate
  STARTUPS+=("$STARTUP_MS")
  if ((r < STARTS)); then stop_tollgate; fi
done
sleep 0.5
TOLLGATE_IDLE_RSS=$(rss_kb "${PIDS[tollgate]}")
log "first start ${first} ms (creates the database, records the class archive); timed starts: ${STARTUPS[*]} ms; idle RSS ${TOLLGATE_IDLE_RSS} kB"

# ---------------------------------------------------------------- token pools
# client_credentials answers carry an access token and (this client has refreshTokens: true) a refresh
# token: one minting pass fills both pools.
mint() {  # url access-file refresh-file count
  local tries=0
  while (( $( { wc -l <"$2"; } 2>/dev/null || echo 0) < $4 )); do
    ((tries++ < 60)) || die "could not mint $4 tokens at $1"  # 3 min: a busy machine mints slowly
    load env MINT_ACCESS="$2" MINT_REFRESH="$3" BASIC_AUTH="$CC_AUTH" WRK_JSON=/dev/null \
      wrk -t1 -c32 -d3s -s bench/lua/mint.lua "$1" >/dev/null
  done
}
REFRESH_NEEDED=$(((REPS + 1) * POOL_PER_RUN))
log "minting $TOKENS access tokens and $REFRESH_NEEDED refresh tokens"
# each grant gives one of each: mint for the larger pool (--only tls/tokens needs fewer access tokens)
mint "http://127.0.0.1:$TOLLGATE_PORT/token" "$WORK/access.txt" "$WORK/refresh.txt" \
  "$((TOKENS > REFRESH_NEEDED ? TOKENS : REFRESH_NEEDED))"
head -n "$TOKENS" "$WORK/access.txt" >"$WORK/tokens.txt"
(($(sort -u "$WORK/tokens.txt" | wc -l) == TOKENS)) || die "the minted tokens are not distinct"
(($(wc -l <"$WORK/refresh.txt") >= REFRESH_NEEDED)) || die "too few refresh tokens minted"
TOKEN=$(head -1 "$WORK/tokens.txt")

# The embedded PostgreSQL inherits CPU 0 from Tollgate. The gateway never touches it, but after the
# minting its autovacuum and checkpoints would run on the measured core: during the gateway
# scenarios it moves to CPU 1 (with wrk and the backend), and back to CPU 0 for the token endpoint,
# where it is part of what is measured (as Keycloak's in-process H2 is).
pin_postgres() {  # cpus [tollgate-log]
  local pm pg p
  pm=$(pg_pidfile "${2:-$WORK/tollgate.log}")
  pg=$(head -1 "$pm" 2>/dev/null) || die "no embedded PostgreSQL pid file"
  for p in $pg $(ps --ppid "$pg" -o pid=); do taskset -a -p -c "$1" "$p" >/dev/null 2>&1 || true; done
}
pin_postgres "$LOAD_CPUS"
IFS=. read -r jh jp js <<<"$TOKEN"
BAD_TOKEN="$jh.$jp.${js:0:20}$([[ ${js:20:6} == AAAAAA ]] && echo BBBBBB || echo AAAAAA)${js:26}"

# ---------------------------------------------------------------- measuring
url_of() {  # system path
  case "$1" in
    backend) echo "http://127.0.0.1:$BACKEND_PORT$2" ;;
    nginx) echo "http://127.0.0.1:$NGINX_PORT$2" ;;
    haproxy) echo "http://127.0.0.1:$HAPROXY_PORT$2" ;;
    tollgate) echo "http://127.0.0.1:$TOLLGATE_PORT$2" ;;
    nginx_tls) echo "https://127.0.0.1:$NGINX_TLS_PORT$2" ;;
    tollgate_tls) echo "https://127.0.0.1:$TLS_OPENSSL_PORT$2" ;;
    tollgate_tls_jdk) echo "https://127.0.0.1:$TLS_JDK_PORT$2" ;;
    keycloak) echo "http://127.0.0.1:$KC_PORT$2" ;;
  esac
}
pid_of() {  # nginx's TLS server is the same nginx process
  if [[ $1 == nginx_tls ]]; then echo "${PIDS[nginx]:-}"; else echo "${PIDS[$1]:-}"; fi
}
is_jvm() { [[ $1 == tollgate* || $1 == keycloak ]]; }
# user + system CPU time, in clock ticks, of a process and its children (nginx's master and worker,
# Keycloak's launcher and JVM): what the system under test spent, read from /proc as bench/ab.sh does
cpu_ticks() {
  local pid=$1 total=0 p
  for p in $pid $(ps --ppid "$pid" -o pid= 2>/dev/null); do
    total=$((total + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}
CLK_TCK=$(getconf CLK_TCK)

# one wrk run; appends a line to runs.jsonl. Args: scenario system rep conns duration url wrk-args...
# WRK_PRELOAD, when set, is LD_PRELOADed into wrk (the TLS full-handshake scenario).
wrk_once() {
  local scenario=$1 system=$2 rep=$3 conns=$4 duration=$5 url=$6; shift 6
  local threads=$WRK_THREADS out=$WORK/runs/$scenario.$system.$rep.json
  if ((threads > conns)); then threads=$conns; fi
  local pid before; pid=$(pid_of "$system"); before=$([[ -n $pid ]] && cpu_ticks "$pid" || echo 0)
  load env ${WRK_PRELOAD:+LD_PRELOAD="$WRK_PRELOAD"} WRK_JSON="$out" WRK_THREADS="$threads" \
    wrk -t"$threads" -c"$conns" -d"${duration}s" --timeout 5s "$@" "$url" \
    >"$WORK/runs/$scenario.$system.$rep.txt" 2>&1 || {
    alive "$system"
    die "wrk failed for $scenario on $system: $(tail -1 "$WORK/runs/$scenario.$system.$rep.txt")"
  }
  [[ -s $out ]] || die "wrk wrote no figures for $scenario on $system"
  record "$scenario" "$system" "$rep" "$conns" "$out" "$before"
}

# h2load_once scenario system rep conns streams duration url h2load-args...: one HTTP/2 run
# (h2load: c connections, m concurrent streams on each), recorded like a wrk run
h2load_once() {
  local scenario=$1 system=$2 rep=$3 conns=$4 streams=$5 duration=$6 url=$7; shift 7
  local threads=$WRK_THREADS out=$WORK/runs/$scenario.$system.$rep.json txt=$WORK/runs/$scenario.$system.$rep.txt
  if ((threads > conns)); then threads=$conns; fi
  local pid before; pid=$(pid_of "$system"); before=$([[ -n $pid ]] && cpu_ticks "$pid" || echo 0)
  load h2load -t"$threads" -c"$conns" -m"$streams" -D "$duration" "$@" "$url" >"$txt" 2>&1 || {
    alive "$system"
    die "h2load failed for $scenario on $system: $(tail -3 "$txt")"
  }
  python3 bench/h2load_json.py "$txt" "$duration" >"$out" || die "h2load on $system ($scenario): $(tail -5 "$txt")"
  record "$scenario" "$system" "$rep" "$conns" "$out" "$before"
}

# record scenario system rep conns figures.json cpu-ticks-before: appends one line to runs.jsonl,
# with the system's CPU time per request (µs) over the round; rounds 0 (warm-ups) are not kept
record() {
  local scenario=$1 system=$2 rep=$3 conns=$4 out=$5 before=$6
  if ((rep == 0)); then return 0; fi
  local pid rss=0 ticks=0; pid=$(pid_of "$system")
  if [[ -n $pid ]]; then
    ticks=$(($(cpu_ticks "$pid") - before))
    if is_jvm "$system"; then rss=$(rss_kb "$pid"); fi
  fi
  python3 - "$out" "$scenario" "$system" "$rep" "$conns" "$rss" "$ticks" "$CLK_TCK" >>"$WORK/runs.jsonl" <<'EOF'
import json, sys
out, scenario, system, rep, conns, rss, ticks, hz = sys.argv[1:]
w = json.load(open(out))
w["cpu_us"] = int(ticks) * 1e6 / int(hz) / w["requests"] if w["requests"] and int(ticks) else None
print(json.dumps({"scenario": scenario, "system": system, "rep": int(rep), "conns": int(conns),
                  "rss_kb": int(rss), "wrk": w}))
EOF
}

# expect status system path curl-args...: one request by hand before wrk, so that a broken scenario
# fails with its real answer instead of a count of non-2xx
expect() {
  local want=$1 system=$2 path=$3; shift 3
  local got; got=$(curl -s -o "$WORK/expect.body" -w '%{http_code}' --max-time 10 "$@" "$(url_of "$system" "$path")")
  [[ $got == "$want" ]] || die "$system $path answered $got, expected $want: $(head -c 300 "$WORK/expect.body")"
}

# once: a wrk run, or with H2_STREAMS set an h2load run with that many streams per connection
once() {
  if [[ -n ${H2_STREAMS:-} ]]; then
    local args=("$@")
    h2load_once "${args[@]:0:5}" "$H2_STREAMS" "${args[@]:5}"
  else
    wrk_once "$@"
  fi
}

# compare scenario conns path "systems" wrk-args...: warm-up, then REPS alternating rounds (the order
# reverses every other round, A B / B A / A B, so that a drifting machine load hits every system alike)
compare() {
  local scenario=$1 conns=$2 path=$3 systems=($4); shift 4
  log "$scenario (c=$conns): ${systems[*]}"
  for s in "${systems[@]}"; do
    alive "$s"
    if ((WARMUP > 0)); then once "$scenario" "$s" 0 "$conns" "$WARMUP" "$(url_of "$s" "$path")" "$@"; fi
  done
  for ((r = 1; r <= REPS; r++)); do
    local order=("${systems[@]}")
    if ((r % 2 == 0)); then order=($(printf '%s\n' "${systems[@]}" | tac)); fi
    for s in "${order[@]}"; do once "$scenario" "$s" "$r" "$conns" "$DURATION" "$(url_of "$s" "$path")" "$@"; done
  done
}

BEARER=(-H "Authorization: Bearer $TOKEN")
PLAIN=(-s bench/lua/plain.lua)

# warm_up system conns seconds url wrk-args...: traffic until the JIT has settled: the given seconds,
# then 4 s windows until two in a row agree within 5% (at most 90 s in all). A fixed time was not
# enough: on a slow machine a TLS Tollgate took ~40 s of keep-alive traffic to reach its steady rate,
# and the first rounds measured the compiler.
warm_up() {
  local system=$1 conns=$2 spent=$3 url=$4 previous=0 rps; shift 4
  once warmup "$system" 0 "$conns" "$spent" "$url" "$@"
  while ((spent < 90)) && [[ $MODE != smoke ]]; do
    once warmup "$system" 0 "$conns" 4 "$url" "$@"
    spent=$((spent + 4))
    rps=$(python3 -c 'import json,sys; print(int(json.load(open(sys.argv[1]))["rps"]))' "$WORK/runs/warmup.$system.0.json")
    ((previous > 0 && rps * 100 >= previous * 95 && rps * 100 <= previous * 105)) && break
    previous=$rps
  done
  log "$system warmed up for ${spent}s (c=$conns)"
}

# ---------------------------------------------------------------- gateway scenarios
if want gateway; then
if ((JIT_WARMUP > 0)); then
  log "warming Tollgate's JIT up for ${JIT_WARMUP}s"
  warm_up tollgate 64 "$JIT_WARMUP" "$(url_of tollgate /api/items)" "${PLAIN[@]}" "${BEARER[@]}"
fi
expect 200 tollgate /api/items "${BEARER[@]}"
expect 200 haproxy /api/items "${BEARER[@]}"
expect 200 tollgate "/api/items?_bearer_token=$TOKEN"
expect 401 tollgate /api/items -H "Authorization: Bearer $BAD_TOKEN"
expect 401 haproxy /api/items -H "Authorization: Bearer $BAD_TOKEN"
expect 200 tollgate /public/items
expect 200 tollgate /api/items -H "Authorization: Bearer $(tail -1 "$WORK/tokens.txt")"

compare gw_header 64 /api/items?id=1 "backend nginx haproxy tollgate" "${PLAIN[@]}" "${BEARER[@]}"
compare gw_query 64 "/api/items?id=1&_bearer_token=$TOKEN" "nginx tollgate" "${PLAIN[@]}"
export TOKENS_FILE=$WORK/tokens.txt
compare gw_tokens10k 64 /api/items?id=1 "nginx haproxy tollgate" -s bench/lua/tokens.lua
compare gw_invalid 64 /api/items?id=1 "haproxy tollgate" "${PLAIN[@]}" -H "Authorization: Bearer $BAD_TOKEN"
compare gw_public 64 /public/items?id=1 "nginx tollgate" "${PLAIN[@]}"
compare gw_body1m 64 /api/upload "backend nginx tollgate" -s bench/lua/body.lua "${BEARER[@]}"
for c in 1 16 64 256 1024; do
  compare "gw_conns_$c" "$c" /api/items?id=1 "nginx tollgate" "${PLAIN[@]}" "${BEARER[@]}"
done
fi

# ---------------------------------------------------------------- TLS at the edge (issue 14)
# nginx terminating TLS (its second server block) beside two more Tollgates with http.tls: the
# same certificate ($WORK/tls/default.crt, ECDSA P-256), the same backend, the same token; one with
# the OpenSSL engine (BoringSSL), one with engine: jdk, so that the engine alone is compared in the
# same rounds. Each has its own embedded PostgreSQL (moved to CPU 1: the gateway never queries it).
TLS_SYSTEMS="nginx_tls tollgate_tls tollgate_tls_jdk"
start_tls_tollgate() {  # system engine port
  local system=$1 engine=$2 port=$3 config=$WORK/tollgate-$2.yaml
  sed -e "s#^  port: .*#  port: $port#" -e "s#^dataDir: .*#dataDir: $WORK/tollgate-$engine-data#" \
    -e "/^  instances: /a\\  tls: { cert: $WORK/tls/default.crt, key: $WORK/tls/default.key, engine: $engine }" \
    "$WORK/sut.yaml" >"$config"
  grep -q "engine: $engine" "$config" || die "could not write $config"
  taskset -c "$SUT_CPUS" env JAVA_OPTS="$TOLLGATE_OPTS" ./tollgate --config "$config" >"$WORK/tollgate-$engine.log" 2>&1 &
  PIDS[$system]=$!
}
# what each TLS system negotiates with an OpenSSL client: protocol, cipher, key exchange, signature
negotiated() {  # system port
  local out; out=$(openssl s_client -connect "127.0.0.1:$2" -CAfile "$WORK/tls/ca.crt" </dev/null 2>/dev/null)
  grep -q 'Verify return code: 0 (ok)' <<<"$out" || die "$1 does not serve a certificate valid for the bench CA"
  printf '%s: %s; %s; %s; %s\n' "$1" "$(grep -m1 -o 'TLSv1\.[0-9]*, Cipher is [A-Z0-9_-]*' <<<"$out")" \
    "$(grep -m1 -o 'Server Temp Key: .*' <<<"$out")" "$(grep -m1 -o 'Peer signature type: .*' <<<"$out")" \
    "$(grep -m1 -o 'Server public key is .*' <<<"$out")"
}
# Resumption check on the nginx TLS server block that logs $ssl_session_reused: wrk with
# Connection: close resumes the session of its previous connection (SSL_clear keeps it), so its
# "handshakes" are resumptions; bench/full_handshake.c makes each one a full handshake. The check
# runs both ways and fails unless the shim gives no resumption at all.
check_full_handshakes() {
  local log=$WORK/nginx-tls-check.log reused full
  : >"$log"
  load env LD_PRELOAD="$WRK_PRELOAD_FULL" wrk -t1 -c4 -d1s -H 'Connection: close' "https://127.0.0.1:$NGINX_TLS_CHECK_PORT/" >/dev/null
  sleep 0.3
  reused=$(grep -c '^r ' "$log" || true) full=$(grep -c '^\. ' "$log" || true)
  ((full > 0 && reused == 0)) || die "the full-handshake wrk resumed $reused of $((full + reused)) sessions"
  : >"$log"
  load wrk -t1 -c4 -d1s -H 'Connection: close' "https://127.0.0.1:$NGINX_TLS_CHECK_PORT/" >/dev/null
  sleep 0.3
  RESUMED_PLAIN_WRK="$(grep -c '^r ' "$log" || true) of $(wc -l <"$log")"
  log "full-handshake check: with the shim 0 of $full handshakes resumed; plain wrk with Connection: close resumed $RESUMED_PLAIN_WRK"
}

if want tls; then
  log "starting Tollgate with http.tls twice (engine openssl, engine jdk) and checking the TLS setup"
  gcc -shared -fPIC -O2 -Wall -o "$WORK/full_handshake.so" bench/full_handshake.c -ldl -lssl \
    || die "could not compile bench/full_handshake.c (gcc, libssl-dev)"
  WRK_PRELOAD_FULL=$WORK/full_handshake.so
  start_tls_tollgate tollgate_tls openssl "$TLS_OPENSSL_PORT"
  start_tls_tollgate tollgate_tls_jdk jdk "$TLS_JDK_PORT"
  wait_ok "$(url_of tollgate_tls /ready)" 180 || die "Tollgate (TLS, openssl) did not become ready, see bench/.work/tollgate-openssl.log"
  wait_ok "$(url_of tollgate_tls_jdk /ready)" 180 || die "Tollgate (TLS, jdk) did not become ready, see bench/.work/tollgate-jdk.log"
  grep -q 'TLS engine: OpenSSL (BoringSSL' "$WORK/tollgate-openssl.log" \
    || die "engine openssl did not load BoringSSL: $(grep -m1 'TLS engine' "$WORK/tollgate-openssl.log")"
  grep -q 'TLS engine: JDK' "$WORK/tollgate-jdk.log" || die "engine jdk is not the JDK's engine"
  pin_postgres "$LOAD_CPUS" "$WORK/tollgate-openssl.log"
  pin_postgres "$LOAD_CPUS" "$WORK/tollgate-jdk.log"
  CA=(--cacert "$WORK/tls/ca.crt")
  for s in $TLS_SYSTEMS; do
    expect 200 "$s" /api/items "${CA[@]}" "${BEARER[@]}"
    [[ $(curl -s -o /dev/null -w '%{http_version}' --http2 "${CA[@]}" "${BEARER[@]}" "$(url_of "$s" /api/items)") == 2 ]] \
      || die "$s does not answer over HTTP/2 (ALPN h2)"
  done
  expect 401 tollgate_tls /api/items "${CA[@]}" -H "Authorization: Bearer $BAD_TOKEN"
  : >"$WORK/tls-negotiated.txt"
  negotiated nginx_tls "$NGINX_TLS_PORT" >>"$WORK/tls-negotiated.txt"
  negotiated tollgate_tls "$TLS_OPENSSL_PORT" >>"$WORK/tls-negotiated.txt"
  negotiated tollgate_tls_jdk "$TLS_JDK_PORT" >>"$WORK/tls-negotiated.txt"
  check_full_handshakes
  # a warm-up even in smoke mode: a cold JVM on a busy machine may complete no TLS request in a 2 s round
  tls_warmup=$((JIT_WARMUP > 2 ? JIT_WARMUP : 2))
  log "warming the TLS Tollgates' JIT up for ${tls_warmup}s each, keep-alive and full handshakes"
  for s in tollgate_tls tollgate_tls_jdk; do
    warm_up "$s" 64 "$tls_warmup" "$(url_of "$s" /api/items)" "${PLAIN[@]}" "${BEARER[@]}"
    WRK_PRELOAD=$WRK_PRELOAD_FULL warm_up "$s" 16 "$tls_warmup" "$(url_of "$s" /api/items)" \
      "${PLAIN[@]}" "${BEARER[@]}" -H 'Connection: close'
    # HTTP/2 runs other code (Netty's h2 codec, HPACK, Vert.x's h2 streams): without its own warm-up the
    # C2 compiler still took most of the core during tls_h2's rounds (bench/PROFILE.md, "TLS")
    H2_STREAMS=4 warm_up "$s" 16 "$tls_warmup" "$(url_of "$s" /api/items?id=1)" -H "authorization: Bearer $TOKEN"
  done
  compare tls_keepalive 64 /api/items?id=1 "$TLS_SYSTEMS" "${PLAIN[@]}" "${BEARER[@]}"
  export WRK_PRELOAD=$WRK_PRELOAD_FULL
  compare tls_handshake 16 /api/items?id=1 "$TLS_SYSTEMS" "${PLAIN[@]}" "${BEARER[@]}" -H 'Connection: close'
  unset WRK_PRELOAD
  compare tls_resumed 16 /api/items?id=1 "$TLS_SYSTEMS" "${PLAIN[@]}" "${BEARER[@]}" -H 'Connection: close'
  export H2_STREAMS=4
  compare tls_h2 16 /api/items?id=1 "$TLS_SYSTEMS" -H "authorization: Bearer $TOKEN"
  unset H2_STREAMS
  stop_pid tollgate_tls "${PIDS[tollgate_tls]}" 30; unset 'PIDS[tollgate_tls]'
  stop_pid tollgate_tls_jdk "${PIDS[tollgate_tls_jdk]}" 30; unset 'PIDS[tollgate_tls_jdk]'
fi

# ---------------------------------------------------------------- Keycloak (token endpoint only)
start_keycloak() {
  local home=$CACHE/keycloak-$KC_VERSION zip=$CACHE/keycloak-quarkus-dist-$KC_VERSION.zip
  if [[ ! -x $home/bin/kc.sh ]]; then
    local base=https://repo1.maven.org/maven2/org/keycloak/keycloak-quarkus-dist/$KC_VERSION
    log "downloading Keycloak $KC_VERSION from Maven Central (~170 MB, cached in bench/.cache/)"
    curl -fsSL -o "$zip.part" "$base/keycloak-quarkus-dist-$KC_VERSION.zip" || die "Keycloak download failed"
    [[ $(sha1sum <"$zip.part" | cut -d' ' -f1) == $(curl -fsSL "$base/keycloak-quarkus-dist-$KC_VERSION.zip.sha1") ]] \
      || die "Keycloak download: checksum mismatch"
    mv "$zip.part" "$zip"
    (cd "$CACHE" && unzip -q -o "$zip" && rm -f "$zip")
  fi
  rm -rf "$home/data"
  mkdir -p "$home/data/import"
  render bench/conf/keycloak-realm.json "$home/data/import/tollgate-realm.json"
  log "starting Keycloak $KC_VERSION (start-dev, H2 database, argon2 m=$ARGON_MEMORY KiB t=$ARGON_ITERATIONS p=$ARGON_PARALLELISM)"
  taskset -c "$SUT_CPUS" env KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=admin JAVA_OPTS_KC_HEAP="-Xms256m -Xmx1g" \
    "$home/bin/kc.sh" start-dev --import-realm --http-host=127.0.0.1 --http-port="$KC_PORT" \
    --http-management-port="$KC_MGMT_PORT" \
    --spi-password-hashing--argon2--memory="$ARGON_MEMORY" \
    --spi-password-hashing--argon2--iterations="$ARGON_ITERATIONS" \
    --spi-password-hashing--argon2--parallelism="$ARGON_PARALLELISM" >"$WORK/keycloak.log" 2>&1 &
  PIDS[keycloak]=$!
  # its first start runs Quarkus' build step: 3 min on a busy 2-core machine, before it even starts
  wait_ok "$(url_of keycloak /realms/tollgate/.well-known/openid-configuration)" 900 \
    || die "Keycloak did not start, see bench/.work/keycloak.log"
}

if [[ $KEYCLOAK == yes ]]; then
  start_keycloak
  expect 200 keycloak "$KC_TOKEN_PATH" -u s6BhdRkqt3:gX1fBat3bV -d grant_type=client_credentials
  expect 200 keycloak "$KC_TOKEN_PATH" -u bench-plain:bench-plain-secret -d grant_type=client_credentials
  python3 -c 'import json,sys; a=json.load(open(sys.argv[1])); assert "refresh_token" not in a, a
import base64; h=json.loads(base64.urlsafe_b64decode(a["access_token"].split(".")[0] + "==")); assert h["alg"] == "ES256", h' \
    "$WORK/expect.body" || die "Keycloak's bench-plain answer must carry an ES256 token and no refresh token"
  expect 200 keycloak "$KC_TOKEN_PATH" -u b81cc4de-d192-400e-bcb4-09254394c52a:n3G7KAhcv8OH --data "$PW_BODY"
  # the stored hash must carry the same cost as Tollgate's
  python3 bench/keycloak_cost.py "http://127.0.0.1:$KC_PORT" "$ARGON_MEMORY" "$ARGON_ITERATIONS" "$ARGON_PARALLELISM" \
    >"$WORK/keycloak-cost.txt" || die "Keycloak's password hash cost differs: $(cat "$WORK/keycloak-cost.txt")"
  log "minting Keycloak's refresh token pool"
  mint "$(url_of keycloak "$KC_TOKEN_PATH")" "$WORK/kc-access.txt" "$WORK/kc-refresh.txt" "$REFRESH_NEEDED"
  TOKEN_SYSTEMS="tollgate keycloak"
else
  TOKEN_SYSTEMS="tollgate"
fi

# ---------------------------------------------------------------- token endpoint scenarios (c=16)
if want tokens; then
# Tollgate again, now signing with ES256 (the refresh tokens are opaque rows: the pool stays valid),
# and its JIT warmed up on the token endpoint as the gateway's was
log "restarting Tollgate with ES256 signing for the token endpoint"
stop_tollgate
TOLLGATE_JAVA=(env JAVA_OPTS="-Xmx128m -Xms16m -XX:ReservedCodeCacheSize=48m" ./tollgate --config "$WORK/sut-es256.yaml")
start_tollgate
pin_postgres "$SUT_CPUS"
expect 200 tollgate /token -u bench-plain:bench-plain-secret -d grant_type=client_credentials
python3 -c 'import json,sys; a=json.load(open(sys.argv[1])); assert "refresh_token" not in a, a
import base64; h=json.loads(base64.urlsafe_b64decode(a["access_token"].split(".")[0] + "==")); assert h["alg"] == "ES256", h' \
  "$WORK/expect.body" || die "bench-plain's client_credentials answer must carry an ES256 token and no refresh token"
if ((JIT_WARMUP > 0)); then
  log "warming Tollgate's JIT up on the token endpoint for ${JIT_WARMUP}s"
  export WRK_METHOD=POST WRK_BODY=grant_type=client_credentials
  warm_up tollgate 16 "$JIT_WARMUP" "$(url_of tollgate /token)" "${PLAIN[@]}" \
    -H "Authorization: Basic $PLAIN_AUTH" -H 'Content-Type: application/x-www-form-urlencoded'
  unset WRK_METHOD WRK_BODY
fi
token_path() { [[ $1 == keycloak ]] && echo "$KC_TOKEN_PATH" || echo /token; }
expect 200 tollgate /token -u b81cc4de-d192-400e-bcb4-09254394c52a:n3G7KAhcv8OH --data "$PW_BODY"
# the token endpoint has a different path per system: compare() is per path, so run each system's
# rounds through a small wrapper that alternates systems by hand
token_compare() {  # scenario make-args-function [duration]
  local scenario=$1 make=$2 duration=${3:-$DURATION} systems=($TOKEN_SYSTEMS)
  log "$scenario (c=16): ${systems[*]}"
  for s in "${systems[@]}"; do
    if ((WARMUP > 0)); then
      $make "$s" 0
      wrk_once "$scenario" "$s" 0 16 "$WARMUP" "$(url_of "$s" "$(token_path "$s")")" "${ARGS[@]}"
    fi
  done
  for ((r = 1; r <= REPS; r++)); do
    local order=("${systems[@]}")
    if ((r % 2 == 0)); then order=($(printf '%s\n' "${systems[@]}" | tac)); fi
    for s in "${order[@]}"; do
      alive "$s"
      $make "$s" "$r"
      wrk_once "$scenario" "$s" "$r" 16 "$duration" "$(url_of "$s" "$(token_path "$s")")" "${ARGS[@]}"
    done
  done
}
cc_args() {  # on both systems a client whose client_credentials grant issues no refresh token
  local auth=$PLAIN_AUTH
  [[ $1 == keycloak ]] && auth=$(printf %s 'bench-plain:bench-plain-secret' | base64 -w0)
  ARGS=(-s bench/lua/plain.lua -H "Authorization: Basic $auth" -H 'Content-Type: application/x-www-form-urlencoded')
  export WRK_METHOD=POST WRK_BODY=grant_type=client_credentials
}
pw_args() { ARGS=(-s bench/lua/plain.lua -H "Authorization: Basic $PW_AUTH" -H 'Content-Type: application/x-www-form-urlencoded'); export WRK_METHOD=POST WRK_BODY=$PW_BODY; }
refresh_args() {  # each round gets its own slice of never-used refresh tokens
  ARGS=(-s bench/lua/refresh.lua)
  local pool=$WORK/refresh.txt
  [[ $1 == keycloak ]] && pool=$WORK/kc-refresh.txt
  export POOL_FILE=$pool POOL_FROM=$(($2 * POOL_PER_RUN)) POOL_COUNT=$POOL_PER_RUN BASIC_AUTH=$CC_AUTH
}
# the database's share of the grant: the CPU time of the embedded PostgreSQL's processes over the
# client_credentials rounds, which is ~0 when the grant reads clients from the cache and writes nothing
pg_ticks() {
  local pg p sum=0
  pg=$(head -1 "$(pg_pidfile "$WORK/tollgate.log")" 2>/dev/null) || { echo 0; return; }
  for p in $pg $(ps --ppid "$pg" -o pid=); do sum=$((sum + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0))); done
  echo "$sum"
}
if ((JIT_WARMUP > 0)) && [[ " $TOKEN_SYSTEMS " == *" keycloak "* ]]; then
  log "warming Keycloak's JIT up on its token endpoint, as Tollgate's was"   # a fair ratio compares two warm JVMs
  cc_args keycloak 0
  warm_up keycloak 16 "$JIT_WARMUP" "$(url_of keycloak "$KC_TOKEN_PATH")" "${ARGS[@]}"
  unset WRK_METHOD WRK_BODY
fi
pg_before=$(pg_ticks)
token_compare tok_client_credentials cc_args
PG_CC_MS=$((($(pg_ticks) - pg_before) * 1000 / $(getconf CLK_TCK)))
log "embedded PostgreSQL CPU during the client_credentials rounds (both systems' turns): ${PG_CC_MS} ms"
token_compare tok_refresh_token refresh_args
token_compare tok_password pw_args "$PW_DURATION"
unset WRK_METHOD WRK_BODY
fi

# ---------------------------------------------------------------- report
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
export MODE STAMP REPS DURATION WARMUP JIT_WARMUP PW_DURATION NPROC LOAD_BEFORE LOAD_AFTER SUT_CPUS LOAD_CPUS WRK_THREADS TOKENS \
  ARGON_MEMORY ARGON_ITERATIONS ARGON_PARALLELISM TOLLGATE_IDLE_RSS FIRST_START=$first
export STARTUPS_CSV=$(IFS=,; echo "${STARTUPS[*]}") \
  CPU_MODEL=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs) \
  COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown) \
  JAVA_VERSION=$(java -version 2>&1 | head -1) NGINX_VERSION=$(nginx -v 2>&1 | cut -d/ -f2) \
  HAPROXY_VERSION=$(haproxy -v | head -1 | cut -d' ' -f3) WRK_VERSION=$(wrk -v 2>&1 | head -1 | cut -d' ' -f2) \
  KC_USED=$([[ $KEYCLOAK == yes ]] && echo "$KC_VERSION" || echo skipped) \
  TLS_NEGOTIATED=$(cat "$WORK/tls-negotiated.txt" 2>/dev/null || true) RESUMED_PLAIN_WRK=${RESUMED_PLAIN_WRK:-}
python3 - "$WORK/meta.json" <<'EOF'
import json, os, sys
e = os.environ
json.dump({
  "mode": e["MODE"], "stamp": e["STAMP"], "reps": int(e["REPS"]), "duration_s": int(e["DURATION"]),
  "warmup_s": int(e["WARMUP"]), "jit_warmup_s": int(e["JIT_WARMUP"]), "pw_duration_s": int(e["PW_DURATION"]),
  "nproc": int(e["NPROC"]), "load_before": e["LOAD_BEFORE"],
  "load_after": e["LOAD_AFTER"], "cpu": e["CPU_MODEL"], "sut_cpus": e["SUT_CPUS"], "load_cpus": e["LOAD_CPUS"],
  "wrk_threads": int(e["WRK_THREADS"]), "commit": e["COMMIT"], "java": e["JAVA_VERSION"],
  "nginx": e["NGINX_VERSION"], "haproxy": e["HAPROXY_VERSION"], "wrk": e["WRK_VERSION"], "keycloak": e["KC_USED"],
  "argon2": {"memoryKiB": int(e["ARGON_MEMORY"]), "iterations": int(e["ARGON_ITERATIONS"]),
             "parallelism": int(e["ARGON_PARALLELISM"])},
  "tokens": int(e["TOKENS"]), "startup_ms": [int(x) for x in e["STARTUPS_CSV"].split(",")],
  "first_start_ms": int(e["FIRST_START"]), "idle_rss_kb": int(e["TOLLGATE_IDLE_RSS"]), "xmx": "128m",
  "tls_negotiated": [line for line in e["TLS_NEGOTIATED"].splitlines() if line],
  "tls_resumed_plain_wrk": e["RESUMED_PLAIN_WRK"],
}, open(sys.argv[1], "w"), indent=1)
EOF
status=0
python3 bench/report.py "$WORK/runs.jsonl" "$WORK/meta.json" "$OUT_DIR/$STAMP-$MODE" || status=$?
if [[ -f $OUT_DIR/$STAMP-$MODE.md && -n ${PG_CC_MS:-} ]]; then
  printf '\nEmbedded PostgreSQL CPU during the client_credentials rounds (client `bench-plain`, no refresh token): %s ms\n' \
    "$PG_CC_MS" >>"$OUT_DIR/$STAMP-$MODE.md"
fi
log "results: ${OUT_DIR#"$ROOT/"}/$STAMP-$MODE.md and .json"
exit "$status"
