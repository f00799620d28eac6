#!/usr/bin/env bash
# ReplDash node m1 against Debian's redis-server 7 (AOF), side by side, in one run.
#
# For each durability level it starts a fresh ReplDash node (SyncBinlog=1, then 0) and a fresh
# redis-server (appendonly yes, appendfsync always, then everysec), and runs redis-benchmark
# SET and GET with -c 50, first without pipelining and then with -P 16, alternating between the
# two servers so that both see the same machine state. It prints ops/s and p50/p99 latency and
# the ratio ReplDash/Redis. The results are in docs/BENCHMARKS.md.
#
# Only loopback addresses are used, every run is bounded by -n (and a timeout), and the whole
# script takes about 2 minutes on 2 cores (more when other work keeps the machine busy: before each
# run it waits up to BENCH_QUIET_WAIT=20 s for the machine to be quiet, and it prints how much CPU
# other processes used during each run).
#
# Knobs (environment):
#   BENCH_N=200000     requests per test without pipelining
#   BENCH_NP=1000000   requests per test with -P 16
#   BENCH_R=100000     key space (-r)
#   BENCH_C=50         clients (-c)
#   BENCH_D=16         value size in bytes (-d)
#   BENCH_WARMUP=50000 SETs sent to each server (not measured) before the first measured test
#   BENCH_COMMANDS=1   also run the data-type commands of issue 14 in durable mode on both, -n 100000 -c 50 -P 1:
#                      -t set,zadd,zpopmin,lpush,lpop,rpop,lrange_100,hset,spop,mset (SET is the reference the
#                      issue compares the others against); 0 to skip. BENCH_COMMAND_TESTS overrides the -t list.
#                      (BENCH_LISTS=0, its older name, also skips it.)
#   BENCH_BUILD=1      build src/ReplDash.Web (Release) first; 0 to use the existing binary
#   BENCH_BIN=...      the ReplDash.Web executable to measure (default: this tree's Release build; BENCH_BUILD=0 with it)
#   BENCH_TMP=/tmp     where the data directories go (same file system for both servers)
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/.."
root=$(pwd)

N=${BENCH_N:-200000}
NP=${BENCH_NP:-1000000}
R=${BENCH_R:-100000}
C=${BENCH_C:-50}
D=${BENCH_D:-16}
WARMUP=${BENCH_WARMUP:-50000}
COMMANDS=${BENCH_COMMANDS:-${BENCH_LISTS:-1}}
COMMAND_TESTS=${BENCH_COMMAND_TESTS:-set,zadd,zpopmin,lpush,lpop,rpop,lrange_100,hset,spop,mset}
BUILD=${BENCH_BUILD:-1}
TMPBASE=${BENCH_TMP:-${TMPDIR:-/tmp}}
BIN="${BENCH_BIN:-$root/src/ReplDash.Web/bin/Release/net10.0/ReplDash.Web}"

# --- tools -----------------------------------------------------------------------------------
missing=()
command -v redis-benchmark >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1 || missing+=(redis-tools)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
[ -x /usr/bin/time ] || missing+=(time)
apt_install "${missing[@]}"
build_release

# --- processes and clean-up ------------------------------------------------------------------
pids=()
dirs=()
cleanup() {
  local p
  for p in "${pids[@]}"; do
    kill -TERM "$p" 2>/dev/null || true
  done
  for p in "${pids[@]}"; do
    wait "$p" 2>/dev/null || true
  done
  for p in "${dirs[@]}"; do
    rm -rf "$p"
  done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A TCP port nobody listens on (loopback). Not reserved, so taken right before use.
free_port() {
  local p
  for _ in $(seq 200); do
    p=$((20000 + RANDOM % 12000)) # below the usual ephemeral range (32768-60999)
    if [ -z "$(ss -tanH "sport = :$p" 2>/dev/null)" ]; then
      echo "$p"
      return 0
    fi
  done
  echo "no free port" >&2
  return 1
}


# A content root of its own (REPLDASH_CONTENT_ROOT) with a one-node appsettings.json: the bench runs
# m1 alone, whatever the repository's appsettings.json lists (other nodes, replicas).
write_config() { # dir resp-port
  cat >"$1/appsettings.json" <<JSON
{
  "Logging": { "LogLevel": { "Default": "Warning", "ReplDash": "Warning" } },
  "ReplDash": { "Nodes": [ { "Id": "m1", "Role": "master", "RespPort": $2 } ] }
}
JSON
}

# Sets RD_PORT, RD_PID, RD_DIR
start_repldash() { # sync
  RD_DIR=$(mktemp -d "$TMPBASE/bench-repldash.XXXXXX")
  dirs+=("$RD_DIR")
  RD_PORT=$(free_port)
  local http
  http=$(free_port)
  write_config "$RD_DIR" "$RD_PORT"
  REPLDASH_CONTENT_ROOT="$RD_DIR" \
  ReplDash__DataDir="$RD_DIR/data" \
  ReplDash__BindAddress=127.0.0.1 \
  ReplDash__Http__Port="$http" \
  ReplDash__Nodes__0__Id=m1 \
  ReplDash__Nodes__0__RespPort="$RD_PORT" \
  ReplDash__Durability__SyncBinlog="$1" \
  Logging__LogLevel__Default=Warning \
  Logging__LogLevel__ReplDash=Warning \
    "$BIN" >"$RD_DIR/node.log" 2>&1 &
  RD_PID=$!
  pids+=("$RD_PID")
  wait_ready "$RD_PORT" "$RD_PID" "ReplDash" || { tail -20 "$RD_DIR/node.log" >&2; exit 1; }
}

# Sets RS_PORT, RS_PID, RS_DIR
start_redis() { # appendfsync
  RS_DIR=$(mktemp -d "$TMPBASE/bench-redis.XXXXXX")
  dirs+=("$RS_DIR")
  RS_PORT=$(free_port)
  redis-server --port "$RS_PORT" --bind 127.0.0.1 --save '' --appendonly yes --appendfsync "$1" \
    --dir "$RS_DIR" --daemonize no --logfile "$RS_DIR/redis.log" >/dev/null 2>&1 &
  RS_PID=$!
  pids+=("$RS_PID")
  wait_ready "$RS_PORT" "$RS_PID" "redis-server" || { tail -20 "$RS_DIR/redis.log" >&2; exit 1; }
}

stop_redis() {
  redis-cli -h 127.0.0.1 -p "$RS_PORT" shutdown nosave >/dev/null 2>&1 || true
  stop_pid "$RS_PID"
}

# --- measuring -------------------------------------------------------------------------------
declare -A RES # "impl|mode|P|TEST" -> "rps p50 p99"

# redis-benchmark --csv: "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms",
# "p95_latency_ms","p99_latency_ms","max_latency_ms". Columns are located by header name.
# The CPU of other processes during a run is printed with it ("other"): this machine has 2 cores,
# and anything else running skews the figures.
machine_busy() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }
proc_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
TICK=$(getconf CLK_TCK)

bench() { # impl mode pid port pipeline n tests
  local impl=$1 mode=$2 pid=$3 port=$4 pipeline=$5 n=$6 tests=$7 out m0 s0 m1 s1 usage other srv_pct cli_pct
  local test rps p50 p99
  m0=$(machine_busy); s0=$(proc_ticks "$pid")
  out=$( { /usr/bin/time -f 'BENCHTIME %U %S %e' timeout 300 redis-benchmark -h 127.0.0.1 -p "$port" -c "$C" -n "$n" \
    -r "$R" -d "$D" -P "$pipeline" -t "$tests" --csv; } 2>&1)
  m1=$(machine_busy); s1=$(proc_ticks "$pid")
  usage=$(printf '%s\n' "$out" | awk -v m=$((m1 - m0)) -v s=$((s1 - s0)) -v tick="$TICK" -v cores="$(nproc)" '
    /^BENCHTIME/ { o = 100 * (m / tick - s / tick - $2 - $3) / ($4 * cores)
      printf "%.0f %.0f %.0f", 100 * s / tick / $4, 100 * ($2 + $3) / $4, o < 0 ? 0 : o }')
  read -r srv_pct cli_pct other <<<"$usage"
  while IFS=' ' read -r test rps p50 p99; do
    RES["$impl|$mode|$pipeline|$test"]="$rps $p50 $p99 $other"
    printf '  %-8s %-7s -P %-2s %-5s %10s ops/s  p50 %6s ms  p99 %6s ms  (run: server %s%% cpu, client %s%%, other processes %s%% of the machine)\n' \
      "$impl" "$mode" "$pipeline" "$test" "$rps" "$p50" "$p99" "$srv_pct" "$cli_pct" "$other" >&2
  done < <(printf '%s\n' "$out" | grep -v '^BENCHTIME' | tr -d '"' | awk -F, '
    NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    NF > 1 && $col["test"] ~ /needed to benchmark/ { next } # the LPUSH that fills the list for LRANGE
    NF > 1  { name = $col["test"]; sub(/ .*/, "", name); print name, $col["rps"], $col["p50_latency_ms"], $col["p99_latency_ms"] }')
}



# --- header ----------------------------------------------------------------------------------
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
fs=$(df -PT "$TMPBASE" | awk 'NR == 2 { print $2 " on " $1 }')
echo "# ReplDash m1 vs redis-server, single node"
echo "date:    $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "machine: $(nproc) cores, ${cpu:-unknown CPU}, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
echo "kernel:  $(uname -sr)"
echo "disk:    $TMPBASE is $fs"
echo "redis:   $(redis-server --version | awk '{ print $3 }') ($(redis-benchmark --version))"
echo "dotnet:  $(dotnet --version 2>/dev/null || echo '?')"
echo "load:    -c $C, -n $N (no pipelining) / -n $NP (-P 16), -r $R, -d $D, warm-up $WARMUP SETs"
echo

# --- runs ------------------------------------------------------------------------------------
run_mode() { # sync appendfsync label
  local sync=$1 fsync=$2 mode=$3
  echo "SyncBinlog=$sync vs appendfsync $fsync:" >&2
  start_repldash "$sync"
  start_redis "$fsync"
  warmup "$RD_PORT"
  warmup "$RS_PORT"
  # Alternate: ReplDash, Redis, ReplDash, Redis, each test in its own redis-benchmark run.
  local pipeline n test
  for pipeline in 1 16; do
    n=$N
    [ "$pipeline" = 1 ] || n=$NP
    for test in set get; do
      quiet; bench repldash "$mode" "$RD_PID" "$RD_PORT" "$pipeline" "$n" "$test"
      quiet; bench redis "$mode" "$RS_PID" "$RS_PORT" "$pipeline" "$n" "$test"
    done
  done
  stop_pid "$RD_PID"
  stop_redis
  rm -rf "$RD_DIR" "$RS_DIR"
}

run_mode 1 always durable
run_mode 0 everysec relaxed

commands=()
if [ "$COMMANDS" = 1 ]; then
  echo "Data-type commands (SyncBinlog=1 vs appendfsync always, -n 100000, -P 1):" >&2
  start_repldash 1
  start_redis always
  warmup "$RD_PORT"
  warmup "$RS_PORT"
  quiet; bench repldash commands "$RD_PID" "$RD_PORT" 1 100000 "$COMMAND_TESTS"
  quiet; bench redis commands "$RS_PID" "$RS_PORT" 1 100000 "$COMMAND_TESTS"
  stop_pid "$RD_PID"
  stop_redis
  rm -rf "$RD_DIR" "$RS_DIR"
  # redis-benchmark's test names, first word only ("LRANGE_100 (first 100 elements)" -> LRANGE_100).
  read -r -a commands <<<"$(tr 'a-z,' 'A-Z ' <<<"$COMMAND_TESTS")"
fi

# --- table -----------------------------------------------------------------------------------
row() { # label mode pipeline test
  local a b ratio note=""
  a=${RES["repldash|$2|$3|$4"]:-"- - - -"}
  b=${RES["redis|$2|$3|$4"]:-"- - - -"}
  read -r ar ap50 ap99 aother <<<"$a"
  read -r br bp50 bp99 bother <<<"$b"
  ratio=$(awk -v a="$ar" -v b="$br" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2f", a / b; else print "-" }')
  if [ "$2" = durable ] && [ "$3" = 1 ]; then
    note=$(awk -v r="$ratio" 'BEGIN { if (r == "-") print ""; else if (r + 0 >= 0.5) print "ok (>= 0.5)"; else print "BELOW 0.5" }')
  fi
  if [ "${aother:-0}" != - ] && [ "${bother:-0}" != - ] && { [ "${aother:-0}" -ge 10 ] || [ "${bother:-0}" -ge 10 ]; }; then
    note="noisy run" # another process took >= 10% of the machine: rerun before trusting the ratio
  fi
  printf '| %-34s | %10s | %6s | %6s | %10s | %6s | %6s | %5s | %-11s | %7s |\n' \
    "$1" "$ar" "$ap50" "$ap99" "$br" "$bp50" "$bp99" "$ratio" "$note" "$aother/$bother"
}

echo "ReplDash durable = SyncBinlog 1 (fsync per group before replying); Redis durable = appendfsync always."
echo "ReplDash relaxed = SyncBinlog 0 (write, no fsync);                Redis relaxed = appendfsync everysec."
echo "Latencies in ms (redis-benchmark's p50/p99). ratio = ReplDash ops/s / Redis ops/s."
echo "other % = CPU used by other processes during the ReplDash/Redis run, in % of the whole machine (noise;"
echo "          'noisy run' when >= 10%: rerun on a quiet machine before trusting that ratio)."
echo
printf '| %-34s | %10s | %6s | %6s | %10s | %6s | %6s | %5s | %-11s | %7s |\n' \
  "scenario" "ReplDash/s" "p50" "p99" "Redis/s" "p50" "p99" "ratio" "target" "other %"
echo "|------------------------------------|-----------:|-------:|-------:|-----------:|-------:|-------:|------:|-------------|--------:|"
for mode in durable relaxed; do
  for pipeline in 1 16; do
    for test in SET GET; do
      row "$test -c $C -P $pipeline, $mode" "$mode" "$pipeline" "$test"
    done
  done
done
for test in "${commands[@]}"; do
  row "$test -c $C -P 1, durable (commands)" commands 1 "$test"
done
