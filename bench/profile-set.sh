#!/usr/bin/env bash
# Where does the time go for durable SET (-c 50, no pipelining)? ReplDash m1 with SyncBinlog=1 and
# redis-server with appendfsync always, each measured the same way:
#   1. a plain run: ops/s, CPU time of the server and of redis-benchmark (from /proc and time),
#      the server's threads and context switches;
#   2. a run under `strace -c -f`: syscalls per op, fsyncs per second and ops per fsync (the
#      group-commit size). strace slows the server, so its ops/s are lower than in step 1;
#   3. (ReplDash, when perf works) `perf record -e cpu-clock` with the .NET perf map: the top
#      symbols by CPU samples.
# Bounded (-n per run, timeouts), loopback only; about a minute. Results in docs/BENCHMARKS.md.
#
# Knobs: BENCH_N=200000 (plain run), BENCH_STRACE_N=50000, BENCH_BUILD=1, BENCH_TMP=/tmp, BENCH_PERF=1,
#        BENCH_BIN=<a ReplDash.Web executable> (default: this tree's Release build; with BENCH_BUILD=0),
#        BENCH_READY_WAIT=30 (seconds a server may take to answer PING; more on a busy machine)
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/.."
root=$(pwd)

N=${BENCH_N:-200000}
SN=${BENCH_STRACE_N:-50000}
C=50
R=100000
D=16
BUILD=${BENCH_BUILD:-1}
PERF=${BENCH_PERF:-1}
TMPBASE=${BENCH_TMP:-${TMPDIR:-/tmp}}
BIN="${BENCH_BIN:-$root/src/ReplDash.Web/bin/Release/net10.0/ReplDash.Web}"
TICK=$(getconf CLK_TCK)

missing=()
command -v redis-benchmark >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1 || missing+=(redis-tools)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v strace >/dev/null 2>&1 || missing+=(strace)
[ -x /usr/bin/time ] || missing+=(time)
if [ "$PERF" = 1 ] && ! command -v perf >/dev/null 2>&1; then missing+=(linux-perf); fi
apt_install "${missing[@]}" || true  # profiling runs on without a tool it could not get
build_release

pids=()
dirs=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  for p in "${dirs[@]}"; do rm -rf "$p"; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  local p
  for _ in $(seq 200); do
    p=$((20000 + RANDOM % 12000)) # below the usual ephemeral range (32768-60999)
    [ -z "$(ss -tanH "sport = :$p" 2>/dev/null)" ] && { echo "$p"; return 0; }
  done
  return 1
}

wait_ready() { # port pid
  local deadline=$((SECONDS + ${BENCH_READY_WAIT:-30}))
  until [ "$(redis-cli -h 127.0.0.1 -p "$1" PING 2>/dev/null)" = PONG ]; do
    kill -0 "$2" 2>/dev/null || { echo "server exited" >&2; return 1; }
    [ $SECONDS -lt $deadline ] || { echo "server not ready in ${BENCH_READY_WAIT:-30} s" >&2; return 1; }
    sleep 0.1
  done
}

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; } # utime + stime of the whole process
ctx_switches() { cat /proc/"$1"/task/*/status 2>/dev/null | awk '/_ctxt_switches/ { s += $2 } END { print s + 0 }'; }

# busy CPU of the whole machine in ticks (user+nice+system+irq+softirq+steal)
machine_busy() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }

measure() { # name pid port
  local name=$1 pid=$2 port=$3
  local t0 c0 m0 t1 c1 m1 out rps
  redis-benchmark -h 127.0.0.1 -p "$port" -c $C -n 50000 -r $R -d $D -t set -q >/dev/null 2>&1 # warm-up
  t0=$(cpu_ticks "$pid"); c0=$(ctx_switches "$pid"); m0=$(machine_busy)
  out=$( { /usr/bin/time -f 'BENCHTIME %U %S %e' timeout 120 redis-benchmark -h 127.0.0.1 -p "$port" \
    -c $C -n "$N" -r $R -d $D -t set --csv; } 2>&1 )
  t1=$(cpu_ticks "$pid"); c1=$(ctx_switches "$pid"); m1=$(machine_busy)
  rps=$(printf '%s\n' "$out" | tr -d '"' | awk -F, '$1 == "SET" { print $2 }')
  printf '%s\n' "$out" | awk -v name="$name" -v rps="$rps" -v n="$N" -v st=$((t1 - t0)) -v cs=$((c1 - c0)) \
    -v mb=$((m1 - m0)) -v tick="$TICK" -v threads="$(awk '/^Threads/ { print $2 }' /proc/"$pid"/status)" '
    /^BENCHTIME/ {
      bu = $2 + $3; el = $4; s = st / tick; m = mb / tick
      printf "%s: SET -c 50 -n %d: %.0f ops/s, %.2f s wall\n", name, n, rps, el
      printf "  server CPU %.2f s (%.0f%% of one core, %.1f us/op); redis-benchmark CPU %.2f s (%.0f%%, %.1f us/op)\n", s, 100 * s / el, 1e6 * s / n, bu, 100 * bu / el, 1e6 * bu / n
      printf "  whole machine busy %.2f of %d core-seconds (%.0f%%); other processes %.2f s\n", m, 2 * el, 100 * m / (2 * el), m - s - bu
      printf "  server threads %d, context switches %d (%.2f per op)\n", threads, cs, cs / n
    }'
}

strace_run() { # name pid port
  local name=$1 pid=$2 port=$3 log rps
  log=$(mktemp "$TMPBASE/bench-strace.XXXXXX"); dirs+=("$log")
  strace -c -f -q -o "$log" -p "$pid" &
  local spid=$!
  sleep 1
  rps=$(timeout 120 redis-benchmark -h 127.0.0.1 -p "$port" -c $C -n "$SN" -r $R -d $D -t set --csv 2>/dev/null \
    | tr -d '"' | awk -F, '$1 == "SET" { print $2 }')
  kill -INT "$spid" 2>/dev/null || true
  wait "$spid" 2>/dev/null || true
  echo "$name under strace -c -f: SET -n $SN at $rps ops/s (slowed by strace)"
  awk -v n="$SN" -v rps="$rps" '
    $NF ~ /^(fsync|fdatasync|write|writev|pwrite64|read|recvfrom|sendto|sendmsg|recvmsg|epoll_wait|epoll_pwait|futex|epoll_ctl)$/ {
      calls = ($4 ~ /^[0-9]+$/) ? $4 : $5  # the errors column may be empty
      printf "  %-12s %9d calls  %6.2f per op  %8s us/call\n", $NF, calls, calls / n, $3
      if ($NF == "fsync" || $NF == "fdatasync") { f += calls }
    }
    END { if (f > 0) printf "  => %.1f ops per fsync (group size); %.0f fsyncs/s at the traced rate\n", n / f, rps / (n / f) }' "$log"
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

# Starts ReplDash m1 (SyncBinlog=1); sets SRV_PID, SRV_PORT. With a trace file, runs it under
# strace tracing only fsync/fdatasync (seccomp-bpf: other syscalls are not stopped).
# Extra environment (perf map) may be given as NAME=VALUE arguments after the trace file.
start_repldash() { # tracefile|"" [env...]
  local trace=$1; shift
  local dir http
  dir=$(mktemp -d "$TMPBASE/bench-repldash.XXXXXX"); dirs+=("$dir")
  SRV_PORT=$(free_port); http=$(free_port)
  write_config "$dir" "$SRV_PORT"
  local -a cmd=(env "$@" REPLDASH_CONTENT_ROOT="$dir" ReplDash__DataDir="$dir/data" ReplDash__BindAddress=127.0.0.1 ReplDash__Http__Port="$http"
    ReplDash__Nodes__0__Id=m1 ReplDash__Nodes__0__RespPort="$SRV_PORT" ReplDash__Durability__SyncBinlog=1
    Logging__LogLevel__Default=Warning Logging__LogLevel__ReplDash=Warning "$BIN")
  launch "$trace" "$dir/node.log" "${cmd[@]}"
}

start_redis() { # tracefile|""
  local dir
  dir=$(mktemp -d "$TMPBASE/bench-redis.XXXXXX"); dirs+=("$dir")
  SRV_PORT=$(free_port)
  launch "$1" "$dir/redis.log" redis-server --port "$SRV_PORT" --bind 127.0.0.1 --save '' --appendonly yes \
    --appendfsync always --dir "$dir" --daemonize no
}

launch() { # tracefile log cmd...
  local trace=$1 log=$2; shift 2
  if [ -n "$trace" ]; then
    local pidfile="$trace.pid"
    dirs+=("$pidfile")
    rm -f "$pidfile"
    # The traced shell writes its own pid, then becomes the server (exec keeps the pid).
    strace -f -qq -e signal=none --seccomp-bpf -e trace=fsync,fdatasync -y -ttt -T -o "$trace" \
      sh -c 'echo $$ >"$0.tmp" && mv "$0.tmp" "$0" && exec "$@"' "$pidfile" "$@" >"$log" 2>&1 &
    LAUNCH_PID=$!
    pids+=("$LAUNCH_PID")
    local deadline=$((SECONDS + 10))
    until [ -s "$pidfile" ] || [ $SECONDS -ge $deadline ]; do sleep 0.05; done
    SRV_PID=$(cat "$pidfile" 2>/dev/null || true)
    [ -n "$SRV_PID" ] || { echo "server did not start under strace" >&2; return 1; }
    pids=("$SRV_PID" "${pids[@]}") # stopped before its strace
  else
    "$@" >"$log" 2>&1 &
    LAUNCH_PID=$!
    SRV_PID=$LAUNCH_PID
    pids+=("$LAUNCH_PID")
  fi
  wait_ready "$SRV_PORT" "$SRV_PID" || { tail -20 "$log" >&2; return 1; }
}

stop_server() {
  stop_pid "$SRV_PID"
  [ "$LAUNCH_PID" = "$SRV_PID" ] || stop_pid "$LAUNCH_PID"
}

# Runs SET -n N while fsync/fdatasync are traced; prints fsyncs in the window, grouped by file.
fsync_run() { # name tracefile
  local name=$1 trace=$2 t0 t1 rps
  redis-benchmark -h 127.0.0.1 -p "$SRV_PORT" -c $C -n 50000 -r $R -d $D -t set -q >/dev/null 2>&1 # warm-up
  t0=$(date +%s.%N)
  rps=$(timeout 120 redis-benchmark -h 127.0.0.1 -p "$SRV_PORT" -c $C -n "$N" -r $R -d $D -t set --csv 2>/dev/null \
    | tr -d '"' | awk -F, '$1 == "SET" { print $2 }')
  t1=$(date +%s.%N)
  stop_server
  echo "$name, fsync/fdatasync traced (strace --seccomp-bpf): SET -c 50 -n $N at $rps ops/s"
  awk -v t0="$t0" -v t1="$t1" -v n="$N" -v rps="$rps" '
    $2 + 0 >= t0 + 0 && $2 + 0 <= t1 + 0 && $3 ~ /^f(data)?sync\(/ {
      call = $3; sub(/\(.*/, "", call)
      file = $3; sub(/^[^<]*</, "", file); sub(/>.*/, "", file); sub(/.*\//, "", file)
      t = $NF; gsub(/[<>]/, "", t)
      key = call " " file; count[key]++; secs[key] += t; total++; all += t
    }
    END {
      el = t1 - t0
      for (k in count) printf "  %-36s %7d calls  %7.0f /s  avg %5.0f us\n", k, count[k], count[k] / el, 1e6 * secs[k] / count[k]
      if (total > 0)
        printf "  => %d syncs in %.2f s: %.1f ops per sync (group size), sync busy %.0f%% of the wall time\n", total, el, n / total, 100 * all / el
    }' "$trace"
}

echo "# Durable SET profile ($(date -u '+%Y-%m-%d %H:%M:%S UTC'), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(uname -r))"
echo

# 1. plain runs and the syscall mix
start_repldash ""
measure "ReplDash SyncBinlog=1" "$SRV_PID" "$SRV_PORT"
strace_run "ReplDash SyncBinlog=1" "$SRV_PID" "$SRV_PORT"
stop_server
start_redis ""
measure "redis-server appendfsync always" "$SRV_PID" "$SRV_PORT"
strace_run "redis-server appendfsync always" "$SRV_PID" "$SRV_PORT"
stop_server
echo

# 2. fsyncs, traced with little overhead
trace=$(mktemp "$TMPBASE/bench-fsync.XXXXXX"); dirs+=("$trace")
start_repldash "$trace"
fsync_run "ReplDash SyncBinlog=1" "$trace"
start_redis "$trace"
fsync_run "redis-server appendfsync always" "$trace"
echo

# 3. perf (ReplDash): JIT code is named through the perf map, which needs W^X off.
if [ "$PERF" = 1 ] && command -v perf >/dev/null 2>&1; then
  start_repldash "" DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0
  redis-benchmark -h 127.0.0.1 -p "$SRV_PORT" -c $C -n 50000 -r $R -d $D -t set -q >/dev/null 2>&1 # warm-up
  pdata=$(mktemp "$TMPBASE/bench-perf.XXXXXX"); dirs+=("$pdata")
  perf record -q -e cpu-clock -F 2000 -g -p "$SRV_PID" -o "$pdata" >/dev/null 2>&1 &
  ppid=$!
  sleep 1
  rps=$(timeout 120 redis-benchmark -h 127.0.0.1 -p "$SRV_PORT" -c $C -n "$N" -r $R -d $D -t set --csv 2>/dev/null \
    | tr -d '"' | awk -F, '$1 == "SET" { print $2 }')
  kill -INT "$ppid" 2>/dev/null || true
  wait "$ppid" 2>/dev/null || true
  if [ -s "$pdata" ]; then
    report() { perf report -i "$pdata" --no-children -g none --stdio "$@" 2>/dev/null | grep -E '^ +[0-9.]+%'; }
    echo "ReplDash under perf record -e cpu-clock (SET -n $N at $rps ops/s; W^X off for symbols)"
    echo "  by thread:";        report --sort comm | awk 'NR <= 8'
    echo "  by shared object:"; report --sort dso | awk 'NR <= 8'
    echo "  top symbols:";      report --sort dso,sym | awk -v n="${BENCH_PERF_TOP:-30}" 'NR <= n { print substr($0, 1, 160) }'
    [ -n "${BENCH_PERF_KEEP:-}" ] && { cp "$pdata" "$BENCH_PERF_KEEP"; cp /tmp/perf-"$SRV_PID".map "$BENCH_PERF_KEEP.map" 2>/dev/null; } || true
  fi
  stop_server
  rm -f /tmp/perf-"$SRV_PID".map /tmp/perfinfo-"$SRV_PID".map
fi
