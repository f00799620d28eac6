#!/usr/bin/env bash
# What watching the cluster costs: SET throughput on m1 with 20 dashboard clients connected against the same
# run with none, and how long a write takes to show on the Overview page in a real browser.
#
# One ReplDash process hosts m1, s1, s2 (SyncBinlog=1, SyncRelayLog=1, as shipped) on free loopback ports. Its first
# start gets a random admin password and Operator API key (ReplDash:Admin): the hub clients send the key, each
# browser context signs in at /login with the password (both through the environment).
#
# 1. Throughput. BENCH_ROUNDS rounds; each round measures, in a rotating order, three setups with
#    `redis-benchmark -t set -c 50 -n BENCH_N -r 100000 -d 16 --csv` against m1:
#      none   no dashboard client
#      hub    20 SignalR hub clients (examples/hub-client/hub-client.mjs --clients 20: one Node process,
#             20 WebSocket connections, each receiving ~4 snapshots/s)
#      tabs   20 Overview tabs in Debian's Chromium (bench/dashboard/page-probe.mjs tabs: 20 Blazor circuits,
#             each re-rendered by the server on every change, i.e. ~4 times a second under load)
#    The clients connect before the run and stay until it ends. Cost = 1 - median(setup) / median(none);
#    target <= 10%. Everything shares the 2 cores: the clients' own CPU is printed next to the server's.
# 2. Write-to-DOM delay, idle cluster: BENCH_SAMPLES times, one SET to m1 (raw RESP socket), then the time until
#    the Overview's binlog-end-m1 element changes (MutationObserver in the page); p50/p99/max. Method and clock
#    assumptions: bench/dashboard/page-probe.mjs (both timestamps from the same machine's clock).
# 3. Read-to-DOM delay under load: for BENCH_OBSERVE_S seconds while redis-benchmark runs, every change of the
#    element is compared with the server's read time carried in the Overview (data-taken-at-ms).
# 4. Server CPU alone: the server's CPU with none / hub / tabs while a steady trickle of SETs changes the status
#    on every poll (runs before 2 and 3; printed as its own table).
# Results: docs/BENCHMARKS.md, "Dashboard cost and update delay".
#
# Knobs (environment):
#   BENCH_N=200000        requests per throughput run
#   BENCH_ROUNDS=3        rounds of (none, hub, tabs)
#   BENCH_CLIENTS=20      hub connections and browser tabs
#   BENCH_SAMPLES=200     write-to-DOM samples
#   BENCH_OBSERVE_S=10    seconds of read-to-DOM observation under load
#   BENCH_TRICKLE_S=20    seconds of the server-CPU comparison (part 4)
#   BENCH_TRICKLE_RATE=50 SETs per second during it
#   BENCH_WARMUP=50000    SETs before the first measured run
#   BENCH_BUILD=1         build src/ReplDash.Web (Release) first; 0 to use the existing binary
#   BENCH_TMP=/tmp        where the data directory goes
#   BENCH_QUIET_WAIT=20   seconds to wait for a quiet machine before each run
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/.."
root=$(pwd)

N=${BENCH_N:-200000}
ROUNDS=${BENCH_ROUNDS:-3}
CLIENTS=${BENCH_CLIENTS:-20}
SAMPLES=${BENCH_SAMPLES:-200}
OBSERVE_S=${BENCH_OBSERVE_S:-10}
TRICKLE_S=${BENCH_TRICKLE_S:-20}
TRICKLE_RATE=${BENCH_TRICKLE_RATE:-50}
WARMUP=${BENCH_WARMUP:-50000}
R=100000
C=50
D=16
BUILD=${BENCH_BUILD:-1}
TMPBASE=${BENCH_TMP:-${TMPDIR:-/tmp}}
BIN="$root/src/ReplDash.Web/bin/Release/net10.0/ReplDash.Web"
HUB_CLIENT="$root/examples/hub-client"
PROBE="$root/bench/dashboard"

# --- tools -----------------------------------------------------------------------------------
missing=()
command -v redis-benchmark >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1 || missing+=(redis-tools)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
apt_install "${missing[@]}"
for dir in "$HUB_CLIENT" "$PROBE"; do
  if [ ! -d "$dir/node_modules" ]; then
    echo "npm ci in ${dir#"$root"/}..." >&2
    (cd "$dir" && npm ci --no-audit --no-fund >&2)
  fi
done
build_release

# --- processes and clean-up ------------------------------------------------------------------
WORK=$(mktemp -d "$TMPBASE/bench-dashboard.XXXXXX")
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do
    stop_pid "$p" 10
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM


# CPU ticks (user + system) of a process and all its descendants.
tree_ticks() { # pid
  local p sum=0 t
  for p in $1 $(pgrep -P "$1" 2>/dev/null || true); do
    if [ "$p" != "$1" ]; then
      t=$(tree_ticks "$p")
    else
      t=$(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0)
    fi
    sum=$((sum + t))
  done
  echo "$sum"
}

# --- the cluster -----------------------------------------------------------------------------
# A content root of its own, so the repository's appsettings.json (ports, data dir) does not matter; the data
# directory is outside it (the host would otherwise watch binlog writes).
mkdir -p "$WORK/root" "$WORK/data"
ln -s "$root/wwwroot" "$WORK/root/wwwroot" # the pages' own CSS, as the browser tabs load it
HTTP=$(free_port); M1=$(free_port); REPL=$(free_port); S1=$(free_port); S2=$(free_port)
# The dashboard, the API and the hub need a sign-in (issue 15). At first start ReplDash:Admin:ApiKey becomes admin's
# Operator key (for the hub clients) and ReplDash:Admin:Password admin's password (the browser tabs sign in with it).
# Both go to the clients through the environment, not their command lines (`ps` shows those).
REPLDASH_API_KEY="bench-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
REPLDASH_PASSWORD="bench-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
export REPLDASH_API_KEY REPLDASH_PASSWORD
cat >"$WORK/root/appsettings.json" <<JSON
{
  "Logging": { "LogLevel": { "Default": "Warning", "ReplDash": "Warning" } },
  "ReplDash": {
    "DataDir": "$WORK/data",
    "BindAddress": "127.0.0.1",
    "Http": { "Port": $HTTP },
    "Durability": { "SyncBinlog": 1, "SyncRelayLog": 1 },
    "Nodes": [
      { "Id": "m1", "Role": "master", "RespPort": $M1, "ReplicationPort": $REPL },
      { "Id": "s1", "Role": "slave", "RespPort": $S1, "Master": "m1" },
      { "Id": "s2", "Role": "slave", "RespPort": $S2, "Master": "m1" }
    ],
    "Replication": { "Secret": "bench-$RANDOM$RANDOM$RANDOM" },
    "Admin": { "Password": "$REPLDASH_PASSWORD", "ApiKey": "$REPLDASH_API_KEY" }
  }
}
JSON
env REPLDASH_CONTENT_ROOT="$WORK/root" "$BIN" >"$WORK/server.log" 2>&1 &
SERVER=$!
pids+=("$SERVER")
wait_ready "$M1" "$SERVER" m1 && wait_ready "$S1" "$SERVER" s1 && wait_ready "$S2" "$SERVER" s2 || { tail -20 "$WORK/server.log" >&2; exit 1; }
URL="http://127.0.0.1:$HTTP/"

# --- dashboard clients -----------------------------------------------------------------------
CLIENT_PID=""
CLIENT_LOG=""
start_clients() { # setup: none | hub | tabs
  CLIENT_PID=""
  CLIENT_LOG="$WORK/clients-$1.log"
  case "$1" in
    none) return 0 ;;
    hub) node "$HUB_CLIENT/hub-client.mjs" "${URL}hubs/cluster" --clients "$CLIENTS" --quiet --seconds 900 >"$CLIENT_LOG" 2>&1 & ;;
    tabs) node "$PROBE/page-probe.mjs" tabs --url "$URL" --tabs "$CLIENTS" >"$CLIENT_LOG" 2>&1 & ;;
  esac
  CLIENT_PID=$!
  pids+=("$CLIENT_PID")
  local deadline=$((SECONDS + 120))
  until grep -qE '^(connected|ready)' "$CLIENT_LOG"; do
    if ! kill -0 "$CLIENT_PID" 2>/dev/null || [ $SECONDS -ge $deadline ]; then
      echo "$1 clients did not come up:" >&2
      cat "$CLIENT_LOG" >&2
      exit 1
    fi
    sleep 0.2
  done
}

stop_clients() { # SIGTERM (the hub client prints its summary), SIGKILL after 10 s
  [ -n "$CLIENT_PID" ] || return 0
  stop_pid "$CLIENT_PID" 10
  CLIENT_PID=""
}

# --- throughput ------------------------------------------------------------------------------
declare -A RPS # "setup|round" -> ops/s
declare -A NOTE # "setup|round" -> CPU and client details

machine_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }

# CPU seconds of this shell's finished children (bash `times`, second line): redis-benchmark's, here. `times`
# runs in this shell (a $(...) subshell has no children of its own), its output is parsed afterwards.
children_seconds() { awk 'NR == 2 { for (i = 1; i <= 2; i++) { split($i, t, /[ms]/); sum += t[1] * 60 + t[2] } } END { print sum }' "$WORK/times"; }

measure() { # setup round
  local setup=$1 round=$2 csv="$WORK/bench-$1-$2.csv" s0 s1 c0=0 c1=0 m0 m1 b0 b1 t0 t1 rps hub
  start_clients "$setup"
  quiet
  t0=$(date +%s.%N)
  s0=$(tree_ticks "$SERVER")
  [ -n "$CLIENT_PID" ] && c0=$(tree_ticks "$CLIENT_PID")
  m0=$(machine_ticks)
  times >"$WORK/times"
  b0=$(children_seconds)
  timeout 300 redis-benchmark -h 127.0.0.1 -p "$M1" -c "$C" -n "$N" -r "$R" -d "$D" -t set --csv >"$csv" 2>&1 || true
  t1=$(date +%s.%N)
  times >"$WORK/times"
  b1=$(children_seconds)
  m1=$(machine_ticks)
  s1=$(tree_ticks "$SERVER")
  [ -n "$CLIENT_PID" ] && c1=$(tree_ticks "$CLIENT_PID")
  stop_clients
  rps=$(tr -d '"' <"$csv" | awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next } $col["test"] == "SET" { print $col["rps"] }')
  RPS["$setup|$round"]=${rps:-0}
  hub=""
  [ "$setup" != none ] && hub="; $(grep '^summary' "$CLIENT_LOG" | sed 's/^summary //' || true)"
  # other: CPU of processes that are not part of this benchmark (a neighbour's build), in % of the machine.
  NOTE["$setup|$round"]=$(awk -v s0="$s0" -v s1="$s1" -v c0="$c0" -v c1="$c1" -v m0="$m0" -v m1="$m1" -v b="$(awk -v a="$b0" -v z="$b1" 'BEGIN { print z - a }')" \
    -v t0="$t0" -v t1="$t1" -v hz="$(getconf CLK_TCK)" -v cores="$(nproc)" -v n="$N" 'BEGIN {
      w = t1 - t0; srv = (s1 - s0) / hz; cli = (c1 - c0) / hz; other = ((m1 - m0) / hz - srv - cli - b) / (w * cores)
      printf "server %.0f%% (%.0f us per SET), clients %.0f%%, redis-benchmark %.0f%% of a core; other %.0f%% of the machine", 100 * srv / w, 1e6 * srv / n, 100 * cli / w, 100 * b / w, (other > 0 ? 100 * other : 0) }')$hub
  printf '  round %s %-5s %10s ops/s  (%s)\n' "$round" "$setup" "${rps:--}" "${NOTE["$setup|$round"]}" >&2
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print 0; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# --- header ----------------------------------------------------------------------------------
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
echo "# Dashboard cost and update delay"
echo "date:    $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "machine: $(nproc) cores, ${cpu:-unknown CPU}, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
echo "kernel:  $(uname -sr)"
echo "tools:   $(redis-benchmark --version), node $(node --version), $(/usr/bin/chromium --version 2>/dev/null | head -1), dotnet $(dotnet --version 2>/dev/null || echo '?')"
echo "cluster: m1 + s1 + s2 in one process, SyncBinlog=1, SyncRelayLog=1"
echo "load:    SET -c $C -n $N -r $R -d $D, warm-up $WARMUP SETs; $CLIENTS hub clients / $CLIENTS Overview tabs"
echo

echo "Warm-up..." >&2
warmup "$M1"
setups=(none hub tabs)
for round in $(seq "$ROUNDS"); do
  # Rotate the order so that no setup always runs first (JIT, page cache, a neighbour's build).
  shift_by=$(((round - 1) % 3))
  order=("${setups[@]:$shift_by}" "${setups[@]:0:$shift_by}")
  for setup in "${order[@]}"; do
    measure "$setup" "$round"
  done
done

echo "## Throughput (ops/s, redis-benchmark SET on m1)"
echo
printf '| setup | %s | median | cost vs none | target |\n' "$(seq -s ' | ' -f 'round %g' 1 "$ROUNDS")"
printf '|---|%s---:|---:|---|\n' "$(printf -- '---:|%.0s' $(seq "$ROUNDS"))"
base=$(for r in $(seq "$ROUNDS"); do echo "${RPS["none|$r"]}"; done | median)
for setup in "${setups[@]}"; do
  med=$(for r in $(seq "$ROUNDS"); do echo "${RPS["$setup|$r"]}"; done | median)
  cells=$(for r in $(seq "$ROUNDS"); do printf '%s | ' "${RPS["$setup|$r"]}"; done)
  if [ "$setup" = none ]; then
    printf '| %s | %s%s | - | |\n' "$setup" "$cells" "$med"
  else
    awk -v s="$setup" -v c="$cells" -v m="$med" -v b="$base" 'BEGIN {
      cost = (b > 0) ? 100 * (1 - m / b) : 0
      printf "| %s | %s%s | %.1f%% | %s |\n", s, c, m, cost, (cost <= 10 ? "ok (<= 10%)" : "MISSED (> 10%)") }'
  fi
done
echo
echo "CPU during each run (% of one core; 200% = the whole machine):"
for round in $(seq "$ROUNDS"); do
  for setup in "${setups[@]}"; do
    printf '  round %s %-5s %s\n' "$round" "$setup" "${NOTE["$setup|$round"]}"
  done
done
echo

# --- server CPU under a trickle ----------------------------------------------------------------
# Throughput on a shared 2-core machine mixes the server's cost with the clients' own (Chromium's above all).
# This isolates the server: a steady TRICKLE_RATE SETs/s (the status changes on every poll, so every tab
# re-renders 4 times a second) and the server's CPU over TRICKLE_S seconds, for each setup.
declare -A TRICKLE
echo "Server CPU under a trickle of writes..." >&2
for setup in "${setups[@]}"; do
  start_clients "$setup"
  quiet
  s0=$(tree_ticks "$SERVER"); t0=$(date +%s.%N)
  node "$PROBE/page-probe.mjs" trickle --resp-port "$M1" --seconds "$TRICKLE_S" --per-second "$TRICKLE_RATE"
  s1=$(tree_ticks "$SERVER"); t1=$(date +%s.%N)
  stop_clients
  TRICKLE[$setup]=$(awk -v s0="$s0" -v s1="$s1" -v t0="$t0" -v t1="$t1" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", 100 * (s1 - s0) / hz / (t1 - t0) }')
  extra=""
  [ "$setup" != none ] && extra=" ($(grep '^summary' "$CLIENT_LOG" | sed 's/^summary //' || true))"
  printf '  trickle %-5s server %s%% of a core%s\n' "$setup" "${TRICKLE[$setup]}" "$extra" >&2
done
echo "## Server CPU with a steady $TRICKLE_RATE SETs/s for ${TRICKLE_S} s (% of one core)"
echo
echo "| setup | server CPU | more than none |"
echo "|---|---:|---:|"
for setup in "${setups[@]}"; do
  awk -v s="$setup" -v v="${TRICKLE[$setup]}" -v b="${TRICKLE[none]}" 'BEGIN { printf "| %s | %.1f%% | %s |\n", s, v, (s == "none" ? "-" : sprintf("%+.1f points", v - b)) }'
done
echo

echo "Write-to-DOM samples..." >&2
quiet
latency=$(node "$PROBE/page-probe.mjs" latency --url "$URL" --resp-port "$M1" --samples "$SAMPLES")
echo "Read-to-DOM under load..." >&2
quiet
timeout 300 redis-benchmark -h 127.0.0.1 -p "$M1" -c "$C" -n 100000000 -r "$R" -d "$D" -t set -q >/dev/null 2>&1 &
LOAD=$!
pids+=("$LOAD")
observed=$(node "$PROBE/page-probe.mjs" observe --url "$URL" --seconds "$OBSERVE_S")
stop_pid "$LOAD" 10

field() { tr ' ' '\n' <<<"$1" | awk -F= -v k="$2" '$1 == k { print $2 }'; }
echo "## Update delay on the Overview (ms; Chromium, MutationObserver on binlog-end-m1)"
echo
echo "| what | samples | p50 | p99 | max | target |"
echo "|---|---:|---:|---:|---:|---|"
printf '| write to DOM, idle (SET sent -> element changed) | %s | %s | %s | %s | %s |\n' "$(field "$latency" samples)" \
  "$(field "$latency" write_dom_p50)" "$(field "$latency" write_dom_p99)" "$(field "$latency" write_dom_max)" \
  "$(awk -v p="$(field "$latency" write_dom_p99)" 'BEGIN { print (p + 0 < 500 ? "ok (p99 < 500)" : "MISSED (p99 >= 500)") }')"
printf '| read to DOM, idle (server read -> element changed) | %s | %s | %s | %s | |\n' "$(field "$latency" samples)" \
  "$(field "$latency" read_dom_p50)" "$(field "$latency" read_dom_p99)" "$(field "$latency" read_dom_max)"
printf '| read to DOM, under SET load (%s s) | %s | %s | %s | %s | |\n' "$OBSERVE_S" "$(field "$observed" changes)" \
  "$(field "$observed" read_dom_p50)" "$(field "$observed" read_dom_p99)" "$(field "$observed" read_dom_max)"
printf '| SET acknowledged (for scale) | %s | %s | %s | %s | |\n' "$(field "$latency" samples)" \
  "$(field "$latency" ack_p50)" "$(field "$latency" ack_p99)" "$(field "$latency" ack_max)"

if grep -qiE 'warn|fail|error' "$WORK/server.log"; then
  echo >&2
  echo "server log (warnings):" >&2
  grep -iE 'warn|fail|error' "$WORK/server.log" | head -20 >&2
fi
