#!/usr/bin/env bash
# Load benchmark of atp-keyserver (issue 5). One command, from the repository root:
#
#     bash bench/run.sh
#
# e.g. BENCH_DURATION=10s BENCH_RUNS=3 bash bench/run.sh
#
# It builds a private copy of the working tree, measures start-up time on the embedded defaults and
# the token verification rate of one core, then starts a stand-in PLC directory and the keyserver on
# PostgreSQL, seeds users, groups and devices over HTTP, stores 1,000,000 users and 1,000 one-time
# prekeys per device in all, and drives seven workloads with wrk, BENCH_RUNS times on the same server. It prints a table and writes it as
# Markdown to $BENCH_WORK/results.md. Everything it starts is stopped when it ends. bench/README.md
# says what each workload is.
#
# Options (environment variables):
#   BENCH_DURATION=10s          each workload in each run (wrk -d: 10s, 1m)
#   BENCH_RUNS=3                repetitions of the whole set; the table shows medians
#   BENCH_WARMUP=3s             an unrecorded pass of every workload first (0 to skip)
#   BENCH_CONNECTIONS=32        wrk connections (always one wrk thread)
#   BENCH_FRESH_TOKENS=700000   distinct tokens minted for W4 (warm-up and 3 runs at ~20k req/s)
#   BENCH_TOTAL_USERS=1000000   users stored for W6 (1,000 seeded over HTTP, the rest with SQL)
#   BENCH_VERIFY_ITERATIONS=20000  verifications timed per signature measurement
#   BENCH_JAVA_OPTS=            JVM flags for the keyserver, start-up measurement included; unset means
#                               the launcher's production flags: -XX:AOTCache=<the build's cache> -Xmx96m
#                               -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError --sun-misc-unsafe-memory-access=allow
#   BENCH_RATE_LIMITS=true      the keyserver's rate limits, on (as deployed) with budgets no workload
#                               reaches, so their counting is measured; false turns them off
#   BENCH_JFR=0                 1 records a JFR profile of every workload of run 1 (the keyserver's, or
#                               the bare server's for W0) to $BENCH_WORK/logs/run1-<workload>.jfr and
#                               adds where the CPU time per request goes to the report; profiling
#                               costs throughput, so take figures from a run without it
#   BENCH_DB=keyserver_bench    PostgreSQL database on 127.0.0.1:5432 (user postgres, trust auth);
#                               dropped and recreated at the start, dropped at the end of a good run
#   BENCH_KEEP_DB=0             1 keeps the database afterwards
#   BENCH_WORK=${TMPDIR:-/tmp}/atp-keyserver-bench   scratch: build copy, data, logs, results
#
# Needs a JDK 21+ (found like .ci/run does), Maven 3.8.7+ with a filled ~/.m2 (it builds offline),
# wrk, psql, curl, and PostgreSQL answering on 127.0.0.1:5432.
set -euo pipefail

# ---------------------------------------------------------------------------------------------
# Settings

REPO=$(cd "$(dirname "$0")/.." && pwd)
# The exact command, before defaults are filled in.
COMMAND="$(for v in $(compgen -e | grep "^BENCH_" | sort || true); do printf '%s=%q ' "$v" "${!v}"; done)bash bench/run.sh"

DURATION=${BENCH_DURATION:-10s}
RUNS=${BENCH_RUNS:-3}
WARMUP=${BENCH_WARMUP:-3s}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
FRESH_TOKENS=${BENCH_FRESH_TOKENS:-700000}
TOTAL_USERS=${BENCH_TOTAL_USERS:-1000000}
VERIFY_ITERATIONS=${BENCH_VERIFY_ITERATIONS:-20000}
# Filled in by build() when BENCH_JAVA_OPTS is unset: the cache path is only known after the build.
KEYSERVER_JAVA_OPTS=()
[ -z "${BENCH_JAVA_OPTS+set}" ] || read -ra KEYSERVER_JAVA_OPTS <<<"$BENCH_JAVA_OPTS"
JFR=${BENCH_JFR:-0}
RATE_LIMITS=${BENCH_RATE_LIMITS:-true}
DB=${BENCH_DB:-keyserver_bench}
KEEP_DB=${BENCH_KEEP_DB:-0}
WORK=${BENCH_WORK:-${TMPDIR:-/tmp}/atp-keyserver-bench}

# The seeded population: USERS keypairs; GROUP_COUNT owners with MEMBER_COUNT members each (W3, W4).
USERS=1000
GROUP_COUNT=50
MEMBER_COUNT=10
# Requests per window each rate-limit class allows in the benchmark: counted, never reached.
UNREACHABLE_BUDGET=2000000000
# W6 reads a random sample of this many of the stored users.
W6_SAMPLE=10000
# W7 claims bundles of the USERS devices; each gets this many one-time prekeys in all (the fixture
# registers 100, SQL adds the rest), the per-device bound, so no claim of a run falls back to the
# last-resort key.
DEVICE_PRE_KEYS=1000
SERVICE_DID=did:web:bench.keyserver.test
PSQL=(psql -h 127.0.0.1 -p 5432 -U postgres -X -q -v ON_ERROR_STOP=1)

SRC=$WORK/src
DATA=$WORK/requests
LOGS=$WORK/logs
RESULTS=$WORK/results.tsv

# The keyserver reads KEYSERVER_* and SERVER_* from the environment: ours must not leak in.
for v in $(compgen -e | grep -E '^(KEYSERVER|SERVER)_' || true); do unset "$v"; done

# ---------------------------------------------------------------------------------------------
# Helpers

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() {
  printf '[bench] error: %s\n' "$*" >&2
  exit 1
}

# Every process we start, so the EXIT trap can stop it.
PIDS=()

# Stops one process we started: SIGTERM (the keyserver shuts down gracefully), SIGKILL after 10 s.
stop_pid() {
  local pid=$1
  kill -0 "$pid" 2>/dev/null || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local status=$?
  trap - EXIT
  local pid
  for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A TCP port nothing listens on, below the kernel's ephemeral range so the client sockets of the
# benchmark itself cannot take it.
free_port() {
  local port
  for _ in $(seq 1 100); do
    port=$((20000 + RANDOM % 12000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  die "no free port found"
}

# wrk durations ("10s", "2m", "1h", "0") in seconds.
seconds_of() {
  case $1 in
    *h) echo $((${1%h} * 3600)) ;;
    *m) echo $((${1%m} * 60)) ;;
    *s) echo "${1%s}" ;;
    *) echo "$1" ;;
  esac
}

now_ns() { date +%s%N; }

# Median of the numbers on stdin.
median() {
  sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# Waits until $1 exists, while process $2 lives, for at most $3 seconds.
wait_for_file() {
  local file=$1 pid=$2 limit=$3 waited=0
  until [ -e "$file" ]; do
    kill -0 "$pid" 2>/dev/null || return 1
    [ "$waited" -lt $((limit * 10)) ] || return 1
    sleep 0.1
    waited=$((waited + 1))
  done
}

http_status() { curl -s -o /dev/null --max-time 5 -w '%{http_code}' "$@" || true; }

# ---------------------------------------------------------------------------------------------
# Preconditions

java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 |
    awk -F'= ' '/java.specification.version/ {print $2}' | cut -d. -f1
}

# Same search as .ci/run: $JAVA_HOME first, then the usual install folders.
pick_jdk() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/* /opt/java/* /opt/jdk*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

check_prerequisites() {
  JAVA_HOME=$(pick_jdk) || die "no JDK 21 or newer found (looked at \$JAVA_HOME and /usr/lib/jvm)"
  export JAVA_HOME
  export PATH="$JAVA_HOME/bin:$PATH"
  command -v wrk >/dev/null || die "wrk is missing: apt-get install wrk"
  command -v psql >/dev/null || die "psql is missing: apt-get install postgresql-client"
  command -v curl >/dev/null || die "curl is missing: apt-get install curl"
  command -v mvn >/dev/null || die "Maven is missing: apt-get install maven"
  command -v rsync >/dev/null || die "rsync is missing: apt-get install rsync"
  "${PSQL[@]}" -d postgres -Atc 'SELECT 1' >/dev/null 2>&1 ||
    die "PostgreSQL does not answer on 127.0.0.1:5432 as postgres (start it, e.g. pg_ctlcluster 15 main start)"
  [[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "BENCH_RUNS must be a positive number"
  [[ $RATE_LIMITS =~ ^(true|false)$ ]] || die "BENCH_RATE_LIMITS must be true or false"
}

# ---------------------------------------------------------------------------------------------
# Build: a private copy, so the benchmark never runs Maven in (or races a build of) the checkout.

build() {
  log "Building a copy of $REPO in $SRC"
  mkdir -p "$SRC"
  rsync -a --delete --exclude target --exclude .git --exclude /data "$REPO/" "$SRC/"
  (cd "$SRC" && mvn -B -q -o clean package -DskipTests \
    dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt) \
    >"$LOGS/build.log" 2>&1 || {
    tail -n 40 "$LOGS/build.log" >&2
    die "the build failed (log: $LOGS/build.log)"
  }
  JAR=$SRC/server/target/atp-keyserver.jar
  [ -f "$JAR" ] || die "no $JAR after the build"
  if [ -z "${BENCH_JAVA_OPTS+set}" ]; then
    # The flags the launcher starts a server with (exec_server in server/src/dist/bin/atp-keyserver),
    # so start-up is measured as `./atp-keyserver` starts. The AOT cache is built on JDK 25+ only.
    KEYSERVER_JAVA_OPTS=(-Xmx96m -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError)
    [ "$(java_major "$JAVA_HOME")" -lt 23 ] || KEYSERVER_JAVA_OPTS+=(--sun-misc-unsafe-memory-access=allow)
    local aot=$SRC/server/target/atp-keyserver.aot
    [ ! -f "$aot" ] || KEYSERVER_JAVA_OPTS=("-XX:AOTCache=$aot" "${KEYSERVER_JAVA_OPTS[@]}")
  fi
  # Test classes first: the fixture reuses the test helpers (TestUser, DidDirectory).
  CLASSPATH_TEST="$SRC/server/target/test-classes:$SRC/server/target/classes:$(cat "$SRC/server/target/bench-classpath.txt")"
  LUA=$SRC/bench/lua/replay.lua
}

# ---------------------------------------------------------------------------------------------
# Measurements outside the load test

# Process start to the first 200 from GET /, on the embedded defaults (H2, a generated master key)
# with an empty data directory, with the keyserver's JVM flags. Three times; the median is reported.
measure_startup() {
  local i dir port pid started elapsed cpu
  STARTUP_MS=()
  STARTUP_CPU_MS=()
  for i in 1 2 3; do
    dir=$WORK/startup-$i
    rm -rf "$dir"
    mkdir -p "$dir"
    port=$(free_port)
    started=$(now_ns)
    (cd "$dir" && exec env SERVER_HOST=127.0.0.1 SERVER_PORT="$port" java "${KEYSERVER_JAVA_OPTS[@]}" -jar "$JAR") \
      >"$LOGS/startup-$i.log" 2>&1 &
    pid=$!
    PIDS+=("$pid")
    until [ "$(http_status "http://127.0.0.1:$port/")" = 200 ]; do
      kill -0 "$pid" 2>/dev/null || die "the keyserver did not start (log: $LOGS/startup-$i.log)"
      [ $(($(now_ns) - started)) -lt 60000000000 ] || die "no 200 within 60 s (log: $LOGS/startup-$i.log)"
      sleep 0.02
    done
    elapsed=$((($(now_ns) - started) / 1000000))
    # CPU time so far (user + system): far less sensitive than wall time to what else runs.
    cpu=$(awk -v hz="$(getconf CLK_TCK)" '{ printf "%d", ($14 + $15) * 1000 / hz }' "/proc/$pid/stat")
    STARTUP_MS+=("$elapsed")
    STARTUP_CPU_MS+=("$cpu")
    stop_pid "$pid"
    log "Start-up to first 200 on the embedded defaults: $elapsed ms ($cpu ms of CPU)"
  done
  rm -rf "$WORK"/startup-*
}

measure_verification() {
  log "Timing token verification on one core ($VERIFY_ITERATIONS verifications a measurement)"
  # --enable-native-access: libsecp256k1 loads through JNI (JDK 24+ would warn).
  java --enable-native-access=ALL-UNNAMED -cp "$CLASSPATH_TEST" \
    dev.atpkeyserver.server.bench.VerifyThroughput "$VERIFY_ITERATIONS" \
    >"$LOGS/verify.txt" 2>&1 || die "VerifyThroughput failed (log: $LOGS/verify.txt)"
  verify_rate() { awk -F= -v k="$1" '$1 == k { print $2 }' "$LOGS/verify.txt"; }
  VERIFY_RAW=$(verify_rate es256k_raw)
  VERIFY_BC=$(verify_rate es256k_bc)
  VERIFY_NATIVE=$(verify_rate es256k_native)
  VERIFY_SERVER=$(verify_rate es256k_server)
  VERIFY_P256_BC=$(verify_rate es256_bc)
  VERIFY_P256=$(verify_rate es256_server)
  log "ES256K verifications per CPU second: $VERIFY_NATIVE (libsecp256k1), $VERIFY_BC (BouncyCastle), $VERIFY_RAW (nimbus + BouncyCastle), $VERIFY_SERVER (server's verifier, fresh tokens)"
}

# ---------------------------------------------------------------------------------------------
# The system under test

reset_database() {
  log "Recreating PostgreSQL database $DB"
  "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
}

# The fixture serves DID documents first; once its port is known the keyserver can start, and
# the fixture seeds it as soon as it answers.
start_system() {
  local ks_port token_lifetime
  ks_port=$(free_port)
  KS_URL=http://127.0.0.1:$ks_port
  # Tokens are minted once, before the runs: valid for every run and then some.
  token_lifetime=$((3600 + (RUNS + 1) * 6 * ($(seconds_of "$DURATION") + 5)))
  rm -rf "$DATA" "$WORK/data" "$WORK/run"
  mkdir -p "$DATA" "$WORK/data" "$WORK/run"

  log "Starting the PLC directory stand-in and seeding fixture"
  (cd "$WORK/run" && exec java -Xmx2g -cp "$CLASSPATH_TEST" dev.atpkeyserver.server.bench.BenchmarkFixture \
    "$DATA" "$KS_URL" "$SERVICE_DID" "$USERS" "$GROUP_COUNT" "$MEMBER_COUNT" "$FRESH_TOKENS" "$token_lifetime") \
    >"$LOGS/fixture.log" 2>&1 &
  FIXTURE_PID=$!
  PIDS+=("$FIXTURE_PID")
  wait_for_file "$DATA/plc-url" "$FIXTURE_PID" 120 || die "the fixture did not start (log: $LOGS/fixture.log)"
  PLC_URL=$(cat "$DATA/plc-url")

  log "Starting the keyserver on port $ks_port, PostgreSQL database $DB, JVM options: ${KEYSERVER_JAVA_OPTS[*]:-(none)}"
  # The working directory is empty, so no application.yaml from anywhere overrides the defaults.
  # Rate limits are on, as deployed, with budgets out of reach: every workload comes from one IP,
  # most from one DID, at thousands of req/s, which the contract's budgets would answer with 429s.
  (cd "$WORK/run" && exec env \
    KEYSERVER_RATE_LIMIT_ENABLED="$RATE_LIMITS" \
    KEYSERVER_RATE_LIMIT_PUBLIC_REQUESTS=$UNREACHABLE_BUDGET \
    KEYSERVER_RATE_LIMIT_AUTHENTICATED_REQUESTS=$UNREACHABLE_BUDGET \
    KEYSERVER_RATE_LIMIT_ROTATION_REQUESTS=$UNREACHABLE_BUDGET \
    KEYSERVER_RATE_LIMIT_MEMBERSHIP_REQUESTS=$UNREACHABLE_BUDGET \
    SERVER_HOST=127.0.0.1 \
    SERVER_PORT="$ks_port" \
    KEYSERVER_DB_URL="jdbc:postgresql://127.0.0.1:5432/$DB" \
    KEYSERVER_DB_USERNAME=postgres \
    KEYSERVER_PLC_URL="$PLC_URL" \
    KEYSERVER_SERVICE_DID="$SERVICE_DID" \
    KEYSERVER_DATA_DIR="$WORK/data" \
    java "${KEYSERVER_JAVA_OPTS[@]}" -jar "$JAR") >"$LOGS/keyserver.log" 2>&1 &
  KS_PID=$!
  PIDS+=("$KS_PID")

  log "Seeding $USERS users and $GROUP_COUNT groups of $MEMBER_COUNT members over HTTP, minting $FRESH_TOKENS fresh tokens"
  wait_for_file "$DATA/fixture.properties" "$FIXTURE_PID" 900 || {
    tail -n 20 "$LOGS/fixture.log" "$LOGS/keyserver.log" >&2
    die "seeding failed (logs: $LOGS/fixture.log, $LOGS/keyserver.log)"
  }
  kill -0 "$KS_PID" 2>/dev/null || die "the keyserver stopped (log: $LOGS/keyserver.log)"
  fixture_value() { awk -F= -v k="$1" '$1 == k { print $2 }' "$DATA/fixture.properties"; }
  SEED_SECONDS=$(fixture_value seed_seconds)
  MINT_SECONDS=$(fixture_value mint_seconds)
  log "Seeded in $SEED_SECONDS s; minted $FRESH_TOKENS tokens in $MINT_SECONDS s"
}

# W0's server: Helidon with the keyserver's GET / handler and HTTP/1 settings and nothing else
# (BareHelidon), in a JVM of its own with the keyserver's flags but the AOT cache, which is the
# keyserver jar's. W1 / W0 is what the keyserver's filters (request id, metrics, request log)
# cost; W0 runs right after W1 in every run.
start_bare() {
  local version opts=() opt
  for opt in "${KEYSERVER_JAVA_OPTS[@]}"; do
    [[ $opt == -XX:AOTCache=* ]] || opts+=("$opt")
  done
  version=$(curl -s --max-time 5 "$KS_URL/" | sed -E 's/.*"version":"([^"]*)".*/\1/')
  log "Starting the bare Helidon server for W0, JVM options: ${opts[*]:-(none)}"
  rm -f "$DATA/bare-port"
  (cd "$WORK/run" && exec java "${opts[@]}" -cp "$CLASSPATH_TEST" dev.atpkeyserver.server.bench.BareHelidon \
    "$DATA/bare-port" "$version") >"$LOGS/bare.log" 2>&1 &
  BARE_PID=$!
  PIDS+=("$BARE_PID")
  wait_for_file "$DATA/bare-port" "$BARE_PID" 60 || die "the bare server did not start (log: $LOGS/bare.log)"
  BARE_URL=http://127.0.0.1:$(cat "$DATA/bare-port")
  cp "$DATA/w1.txt" "$DATA/w0.txt"
  [ "$(curl -s --max-time 5 "$BARE_URL/")" = "$(curl -s --max-time 5 "$KS_URL/")" ] ||
    die "the bare server's GET / differs from the keyserver's"
}

# One request of each list, expecting a 200: a broken setup fails here, not as a table of errors.
smoke_check() {
  local name line path token status args
  for name in w1 w2 w3 w4 w5 w6 w7; do
    line=$(head -n 1 "$DATA/$name.txt")
    read -r path token body <<<"$line"
    args=()
    [ -z "$token" ] || args+=(-H "Authorization: Bearer $token")
    [ "$name" != w5 ] || args+=(-X POST -H 'Content-Type: application/json' -d '{}')
    [ "$name" != w7 ] || args+=(-X POST -H 'Content-Type: application/json' -d "$body")
    status=$(http_status "${args[@]}" "$KS_URL$path")
    [ "$status" = 200 ] || die "$name: $path answered $status, not 200"
  done
  # W4 starts after the token the check used, so no token is sent twice.
  W4_OFFSET=1
}

# The 1,000,000-user table for W6: the rest of the users written straight into PostgreSQL. Public
# keys and "ciphertexts" are random bytes of the real sizes: getPublicKey never opens the ciphertext.
insert_users() {
  local extra=$((TOTAL_USERS - USERS)) sealed_size started
  [ "$extra" -gt 0 ] || die "BENCH_TOTAL_USERS must exceed $USERS"
  sealed_size=$("${PSQL[@]}" -d "$DB" -Atc 'SELECT octet_length(private_key_ciphertext) FROM keypair_versions LIMIT 1')
  log "Inserting $extra users with SQL ($sealed_size-byte sealed keys), then VACUUM ANALYZE"
  started=$(now_ns)
  "${PSQL[@]}" -d "$DB" -v extra="$extra" -v sealed_size="$sealed_size" <<'SQL'
BEGIN;
CREATE TEMPORARY TABLE bench_users ON COMMIT DROP AS
  SELECT 'did:plc:' || substr(md5('bench-user-' || i), 1, 24) AS did, i
  FROM generate_series(1, :extra) AS i;
INSERT INTO keypair_owners (did, latest_version, created_at)
  SELECT did, 1, now() FROM bench_users;
INSERT INTO keypair_versions (did, version, public_key, private_key_ciphertext, active, created_at)
  SELECT did, 1, sha256(('public-' || i)::bytea),
         substring(sha512(('sealed-a-' || i)::bytea) || sha512(('sealed-b-' || i)::bytea) FROM 1 FOR :sealed_size),
         TRUE, now()
  FROM bench_users;
COMMIT;
-- ANALYZE for the planner; VACUUM so the first reads do not pay for setting hint bits.
VACUUM ANALYZE keypair_owners;
VACUUM ANALYZE keypair_versions;
SQL
  INSERT_SECONDS=$(awk -v ns=$(($(now_ns) - started)) 'BEGIN { printf "%.1f", ns / 1e9 }')
  STORED_USERS=$("${PSQL[@]}" -d "$DB" -Atc 'SELECT count(*) FROM keypair_owners')
  "${PSQL[@]}" -d "$DB" -Atc "SELECT did FROM keypair_owners ORDER BY random() LIMIT $W6_SAMPLE" |
    sed 's/:/%3A/g; s|^|/xrpc/dev.atpkeyserver.alpha.keypair.getPublicKey?did=|' >"$DATA/w6.txt"
  log "Inserted in $INSERT_SECONDS s; $STORED_USERS users stored"
}

# W7's stock: every seeded device topped up to DEVICE_PRE_KEYS one-time prekeys with SQL (random
# 32-byte public keys; a claim never looks inside one), then VACUUM ANALYZE.
insert_prekeys() {
  local started
  log "Topping up $USERS devices to $DEVICE_PRE_KEYS one-time prekeys each with SQL"
  started=$(now_ns)
  "${PSQL[@]}" -d "$DB" -v total="$DEVICE_PRE_KEYS" <<'SQL'
INSERT INTO device_one_time_prekeys (device_pk, key_id, public_key, uploaded_at)
  SELECT d.id, 'bench-' || g, sha256(('otk-' || d.id || '-' || g)::bytea), now()
  FROM devices d
  CROSS JOIN generate_series(1, :total - (SELECT COUNT(*) FROM device_one_time_prekeys o
                                          WHERE o.device_pk = (SELECT MIN(id) FROM devices))) AS g;
VACUUM ANALYZE device_one_time_prekeys;
SQL
  PREKEY_SECONDS=$(awk -v ns=$(($(now_ns) - started)) 'BEGIN { printf "%.1f", ns / 1e9 }')
  STORED_PREKEYS=$("${PSQL[@]}" -d "$DB" -Atc 'SELECT count(*) FROM device_one_time_prekeys')
  log "Inserted in $PREKEY_SECONDS s; $STORED_PREKEYS one-time prekeys stored"
}

# ---------------------------------------------------------------------------------------------
# Load

# CPU time in clock ticks: the whole machine (busy, not idle or waiting), the server process under
# load ($1: the keyserver, or the bare server for W0), and the PostgreSQL backends serving the
# keyserver's connections.
cpu_ticks() {
  local machine keyserver postgres=0 pid
  machine=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 }' /proc/stat)
  keyserver=$(awk '{ print $14 + $15 }' "/proc/$1/stat")
  for pid in $PG_PIDS; do
    [ -r "/proc/$pid/stat" ] && postgres=$((postgres + $(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0)))
  done
  echo "$machine $keyserver $postgres"
}

declare -A WORKLOAD_TITLE
# Run order: W0 right after W1, so both meet the machine in the same state. The table lists W0 first.
WORKLOADS=(W1 W0 W2 W3 W4 W5 W6 W7)
TABLE_ORDER=(W0 W1 W2 W3 W4 W5 W6 W7)
WORKLOAD_TITLE=(
  [W0]='bare Helidon GET / (same handler, no filters)'
  [W1]='GET / (trivial JSON: the ceiling)'
  [W2]='keypair.getPublicKey, 1,000 seeded users'
  [W3]='group.getKey as a member, one token reused'
  [W4]='group.getKey as a member, a fresh token per request'
  [W5]='keypair.rotate, 1,000 users'
  [W6]='keypair.getPublicKey, 10,000 of 1,000,000 users'
  [W7]='device.claimBundles, 1,000 devices, one bundle each'
)

# start_profile <pid> <workload>: a JFR recording of one workload. JDK 25's CPU-time sampler
# (kernel time included, every thread) is far denser than the execution sampler, which it keeps.
start_profile() {
  local cpu_time=()
  [ "$(java_major "$JAVA_HOME")" -lt 25 ] ||
    cpu_time=('jdk.CPUTimeSample#enabled=true' 'jdk.CPUTimeSample#throttle=1ms')
  jcmd "$1" JFR.start name="bench-$2" settings=profile "${cpu_time[@]}" >/dev/null ||
    die "could not start a JFR recording in process $1"
}

# run_workload <run label> <workload> <duration>: one wrk run; recorded unless the label is "warmup".
run_workload() {
  local run=$1 name=$2 duration=$3 file out started ended before after rss_file rss_pid result
  file=$DATA/$(tr 'W' 'w' <<<"$name").txt
  out=$LOGS/$run-$name.txt
  local method=GET body= offset=0 url=$KS_URL pid=$KS_PID profile=
  [ "$name" != W5 ] || { method=POST; body='{}'; }
  [ "$name" != W7 ] || method=POST
  [ "$name" != W4 ] || offset=$W4_OFFSET
  [ "$name" != W0 ] || { url=$BARE_URL; pid=$BARE_PID; }
  [ "$JFR" != 1 ] || [ "$run" != run1 ] || profile=$LOGS/$run-$name.jfr

  PG_PIDS=$("${PSQL[@]}" -d postgres -Atc "SELECT pid FROM pg_stat_activity WHERE datname = '$DB' AND pid <> pg_backend_pid()")
  rss_file=$LOGS/$run-$name.rss
  (while kill -0 "$pid" 2>/dev/null; do ps -o rss= -p "$pid" || true; sleep 0.25; done) >"$rss_file" &
  rss_pid=$!
  PIDS+=("$rss_pid")
  [ -z "$profile" ] || start_profile "$pid" "$name"
  before=$(cpu_ticks "$pid")
  started=$(now_ns)
  BENCH_REQUESTS=$file BENCH_METHOD=$method BENCH_BODY=$body BENCH_OFFSET=$offset \
    wrk -t1 -c"$CONNECTIONS" -d"$duration" --latency -s "$LUA" "$url" >"$out" 2>&1 ||
    die "wrk failed (output: $out)"
  ended=$(now_ns)
  after=$(cpu_ticks "$pid")
  stop_pid "$rss_pid"
  [ -z "$profile" ] || jcmd "$pid" JFR.stop name="bench-$name" filename="$profile" >/dev/null ||
    die "could not save the profile $profile"

  result=$(grep '^BENCH_RESULT' "$out") || die "wrk printed no result (output: $out)"
  value() { tr ' ' '\n' <<<"$result" | awk -F= -v k="$1" '$1 == k { print $2 }'; }
  local used lines
  used=$(value used)
  lines=$(value lines)
  [ "$name" != W4 ] || W4_OFFSET=$((offset + used))
  [ "$run" != warmup ] || return 0

  # run workload req/s p50 p99 errors ratio keyserver-cores postgres-cores machine-cores rss-MiB
  #   keyserver-us/request postgres-us/request load-average-after
  local row
  row=$(awk -v run="$run" -v name="$name" -v req="$(value requests)" -v us="$(value duration_us)" \
    -v p50="$(value p50_us)" -v p99="$(value p99_us)" \
    -v errors=$(($(value status_errors) + $(value socket_errors))) \
    -v w1="${W1_RPS:-0}" -v before="$before" -v after="$after" -v hz="$(getconf CLK_TCK)" \
    -v wall=$((ended - started)) -v rss="$(sort -n "$rss_file" | tail -n 1)" \
    -v loadavg="$(cut -d' ' -f1 /proc/loadavg)" '
    BEGIN {
      split(before, b, " "); split(after, a, " ")
      seconds = wall / 1e9
      rps = req / (us / 1e6)
      ratio = (name == "W1") ? 1 : (w1 > 0 ? rps / w1 : 0)
      ks = (a[2] - b[2]) / hz / seconds
      pg = (a[3] - b[3]) / hz / seconds
      printf "%s\t%s\t%.0f\t%.2f\t%.2f\t%d\t%.3f\t%.2f\t%.2f\t%.2f\t%.0f\t%.1f\t%.1f\t%s\n", run, name, rps,
        p50 / 1000, p99 / 1000, errors, ratio, ks, pg, (a[1] - b[1]) / hz / seconds, rss / 1024,
        ks * 1e6 / rps, pg * 1e6 / rps, loadavg
    }')
  echo "$row" >>"$RESULTS"
  [ "$name" != W1 ] || W1_RPS=$(cut -f3 <<<"$row")
  IFS=$'\t' read -r _ _ rps p50 p99 errors ratio ks pg machine rss ks_us pg_us load <<<"$row"
  log "$(printf '%-6s %s  %7s req/s  p50 %6s ms  p99 %7s ms  errors %s  %5s x W1  CPU cores: keyserver %s, PostgreSQL %s, machine %s  CPU us/request: %s + %s  RSS %s MiB  load %s' \
    "$run" "$name" "$rps" "$p50" "$p99" "$errors" "$ratio" "$ks" "$pg" "$machine" "$ks_us" "$pg_us" "$rss" "$load")"
  if [ -n "$profile" ]; then
    java -cp "$CLASSPATH_TEST" dev.atpkeyserver.server.bench.ProfileBreakdown "$profile" "$ks_us" \
      >"${profile%.jfr}.profile.txt" 2>&1 || die "could not read the profile $profile"
  fi
  if [ "$name" = W4 ] && [ "$W4_OFFSET" -gt "$lines" ]; then
    log "W4 ran out of fresh tokens: $((W4_OFFSET - lines)) sent again so far (raise BENCH_FRESH_TOKENS)"
  fi
}

run_load() {
  local run name
  : >"$RESULTS"
  if [ "$(seconds_of "$WARMUP")" != 0 ]; then
    log "Warm-up: every workload for $WARMUP, not recorded"
    for name in "${WORKLOADS[@]}"; do run_workload warmup "$name" "$WARMUP"; done
  fi
  for run in $(seq 1 "$RUNS"); do
    log "Run $run of $RUNS: every workload for $DURATION, $CONNECTIONS connections"
    W1_RPS=
    for name in "${WORKLOADS[@]}"; do
      run_workload "run$run" "$name" "$DURATION"
      sleep 1
    done
  done
}

# ---------------------------------------------------------------------------------------------
# Report

column_median() { awk -F'\t' -v w="$1" -v c="$2" '$2 == w { print $c }' "$RESULTS" | median; }
column_sum() { awk -F'\t' -v w="$1" -v c="$2" '$2 == w { s += $c } END { print s + 0 }' "$RESULTS"; }
column_max() { awk -F'\t' -v w="$1" -v c="$2" '$2 == w { print $c }' "$RESULTS" | sort -g | tail -n 1; }

machine_description() {
  local cpu memory
  cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
  memory=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
  echo "- Machine: $(nproc) CPUs ($cpu), $memory RAM, $(uname -sr)"
  echo "- Java: $(java -version 2>&1 | head -n 1)"
  echo "- Keyserver: rate limits $([ "$RATE_LIMITS" = true ] && echo "on, every budget $UNREACHABLE_BUDGET per window (counted, never reached)" || echo off); the request log on (to the bench's log file); metrics on"
  echo "- Keyserver JVM options: ${KEYSERVER_JAVA_OPTS[*]:-none}$([ "$JFR" != 1 ] || echo ', JFR profiling on'); ergonomics: $(java "${KEYSERVER_JAVA_OPTS[@]}" -XX:+PrintCommandLineFlags -version 2>/dev/null | head -n 1)"
  echo "- wrk: $(wrk -v 2>&1 | head -n 1 | awk '{ print $1, $2 }'), 1 thread, $CONNECTIONS connections, $DURATION per workload, $RUNS runs (medians), warm-up $WARMUP"
  echo "- PostgreSQL: $("${PSQL[@]}" -d postgres -Atc 'SHOW server_version'), on the same machine, default settings"
}

report() {
  local md=$WORK/results.md name plc_after access_rows access_size commit w4_note claimed_prekeys w7_claims
  plc_after=$(curl -s --max-time 5 "$PLC_URL/_fixture/stats" | awk -F= '{ print $2 }')
  access_rows=$("${PSQL[@]}" -d "$DB" -Atc 'SELECT count(*) FROM access_logs')
  claimed_prekeys=$("${PSQL[@]}" -d "$DB" -Atc 'SELECT count(*) FROM device_one_time_prekeys WHERE claimed_at IS NOT NULL')
  w7_claims=$("${PSQL[@]}" -d "$DB" -Atc "SELECT count(*) FROM access_logs WHERE key_type = 'device'")
  access_size=$("${PSQL[@]}" -d "$DB" -Atc "SELECT pg_size_pretty(pg_total_relation_size('access_logs'))")
  commit=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)
  [ -z "$(git -C "$REPO" status --porcelain 2>/dev/null)" ] || commit="$commit + uncommitted changes"
  if [ "$W4_OFFSET" -gt "$FRESH_TOKENS" ]; then
    w4_note="ran out: $((W4_OFFSET - FRESH_TOKENS)) tokens were sent a second time"
  else
    w4_note="none sent twice"
  fi
  local sorted_startup
  sorted_startup=$(printf '%s\n' "${STARTUP_MS[@]}" | median)

  {
    echo "## Load benchmark"
    echo
    echo "\`$COMMAND\` at $commit, $(date -u +%Y-%m-%dT%H:%MZ)."
    echo
    machine_description
    echo
    echo "| | workload | req/s | p50 ms | p99 ms | errors | × W1 | keyserver CPU | PostgreSQL CPU | machine CPU | keyserver µs/req | PostgreSQL µs/req | max RSS MiB |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    for name in "${TABLE_ORDER[@]}"; do
      printf '| %s | %s | %.0f | %.2f | %.2f | %s | %.3f | %.2f | %.2f | %.2f | %.1f | %.1f | %.0f |\n' "$name" \
        "${WORKLOAD_TITLE[$name]}" "$(column_median "$name" 3)" "$(column_median "$name" 4)" \
        "$(column_median "$name" 5)" "$(column_sum "$name" 6)" "$(column_median "$name" 7)" \
        "$(column_median "$name" 8)" "$(column_median "$name" 9)" "$(column_median "$name" 10)" \
        "$(column_median "$name" 12)" "$(column_median "$name" 13)" "$(column_max "$name" 11)"
    done
    echo
    echo "Medians over the runs; errors are the total of non-2xx/3xx responses and socket errors over"
    echo "all runs; × W1 is the median of each run's ratio to W1; CPU is in cores (of $(nproc)), averaged"
    echo "over the workload: the keyserver process (the bare server's for W0), the PostgreSQL backends of"
    echo "its connections, and the whole machine (wrk and anything else included); µs/req is that CPU time"
    echo "per request, which depends far less on what else runs on the machine than req/s does; RSS is"
    echo "the server's, sampled every 250 ms."
    echo
    echo "- GET / against the bare Helidon route (W1 / W0) per run: $(awk -F'\t' '$2 == "W0" && $7 > 0 { printf "%s%.3f", sep, 1 / $7; sep = ", " }' "$RESULTS") (median $(awk -F'\t' '$2 == "W0" && $7 > 0 { print 1 / $7 }' "$RESULTS" | median | xargs printf '%.3f'))"
    echo "- One-minute load average after each workload: $(cut -f14 "$RESULTS" | sort -g | head -n 1)–$(cut -f14 "$RESULTS" | sort -g | tail -n 1) on $(nproc) cores (far above that, the figures are noise)"
    echo "- Start to first 200 on the embedded defaults (empty data directory, H2, new master key): median $sorted_startup ms (${STARTUP_MS[*]} ms); CPU time by then: median $(printf '%s\n' "${STARTUP_CPU_MS[@]}" | median) ms (${STARTUP_CPU_MS[*]} ms)"
    echo "- Max keyserver RSS under W2/W3: $(printf '%s\n' "$(column_max W2 11)" "$(column_max W3 11)" | sort -g | tail -n 1) MiB"
    echo "- Token verifications per CPU second, one thread: ES256K $VERIFY_NATIVE with libsecp256k1, $VERIFY_BC with BouncyCastle, $VERIFY_RAW with nimbus + BouncyCastle, $VERIFY_SERVER through the server's ServiceAuthVerifier (fresh tokens, DID document cached); ES256 $VERIFY_P256_BC with BouncyCastle, $VERIFY_P256 through the server's verifier"
    echo "- Seeding over HTTP ($USERS keypairs, $GROUP_COUNT groups × $MEMBER_COUNT members): $SEED_SECONDS s; minting $FRESH_TOKENS W4 tokens: $MINT_SECONDS s; W4 used $((W4_OFFSET - 1)) of them, $w4_note"
    echo "- Inserting $((TOTAL_USERS - USERS)) users with SQL + VACUUM ANALYZE: $INSERT_SECONDS s ($STORED_USERS users stored)"
    echo "- DID documents fetched from the PLC stand-in: ${plc_after:-?} in all ($USERS by the seeding)"
    echo "- One-time prekeys stored for W7 (1,000 devices topped up with SQL in $PREKEY_SECONDS s): $STORED_PREKEYS; claimed by the end: $claimed_prekeys of $w7_claims claims (the rest got the last-resort key)"
    echo "- access_logs at the end: $access_rows rows, $access_size"
    echo "- Total time: $((SECONDS / 60)) min $((SECONDS % 60)) s"
    if [ "$JFR" = 1 ]; then
      echo
      echo "### Where the CPU time per request goes (JFR, run 1)"
      for name in "${TABLE_ORDER[@]}"; do
        echo
        echo "$name, ${WORKLOAD_TITLE[$name]}:"
        echo
        echo '```'
        cat "$LOGS/run1-$name.profile.txt"
        echo '```'
      done
    fi
  } >"$md"
  echo
  cat "$md"
  echo
  log "Markdown: $md; raw per-run rows: $RESULTS; wrk output and logs: $LOGS"
}

# ---------------------------------------------------------------------------------------------

main() {
  check_prerequisites
  mkdir -p "$WORK"
  rm -rf "$LOGS"
  mkdir -p "$LOGS"
  log "Command: $COMMAND"
  log "Work directory: $WORK; JDK: $JAVA_HOME"
  build
  measure_startup
  measure_verification
  reset_database
  start_system
  start_bare
  insert_users
  insert_prekeys
  smoke_check
  run_load
  report
  stop_pid "$KS_PID"
  stop_pid "$BARE_PID"
  stop_pid "$FIXTURE_PID"
  if [ "$KEEP_DB" != 1 ]; then
    "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)"
  fi
}

main "$@"
