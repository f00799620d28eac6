#!/usr/bin/env bash
# Server CPU per durable SET, for A/B runs of two builds on a busy machine (ops/s swing with the load; CPU per
# SET and context switches per SET much less). Starts a fresh m1 (SyncBinlog=1) from the given executable, sends
# 50,000 warm-up SETs, then measures `redis-benchmark -c 50 -n N -r 100000 -d 16 -t set` (no pipelining), reading
# the server's CPU time and context switches from /proc as bench/profile-set.sh does. Prints one line.
#
#   bash bench/cpu-per-set.sh <ReplDash.Web executable> [N=100000]
# Alternate two builds, e.g. for r in 1 2 3; do bash bench/cpu-per-set.sh OLD; bash bench/cpu-per-set.sh NEW; done
#
# BENCH_SLAVES=2: the same process also hosts slaves s1 and s2 of m1 (as bench/replication.sh's repldash-3: SyncBinlog=1,
# SyncRelayLog=1, semi-sync off); the figure is then server CPU per replicated SET, read once both slaves have applied
# everything (their slave_repl_offset equals m1's master_repl_offset).
set -euo pipefail
BIN=$1
N=${2:-100000}
SLAVES=${BENCH_SLAVES:-0}
TICK=$(getconf CLK_TCK)
free_port() {
  local p
  for _ in $(seq 200); do
    p=$((20000 + RANDOM % 12000))
    [ -z "$(ss -tanH "sport = :$p" 2>/dev/null)" ] && { echo "$p"; return 0; }
  done
  return 1
}
dir=$(mktemp -d "${TMPDIR:-/tmp}/bench-cpu.XXXXXX")
port=$(free_port)
http=$(free_port)
slave_ports=()
if [ "$SLAVES" -gt 0 ]; then
  repl=$(free_port)
  nodes="{ \"Id\": \"m1\", \"Role\": \"master\", \"RespPort\": $port, \"ReplicationPort\": $repl }"
  for i in $(seq "$SLAVES"); do
    p=$(free_port)
    slave_ports+=("$p")
    nodes="$nodes, { \"Id\": \"s$i\", \"Role\": \"slave\", \"RespPort\": $p, \"Master\": \"m1\" }"
  done
  cat >"$dir/appsettings.json" <<JSON
{ "Logging": { "LogLevel": { "Default": "Warning", "ReplDash": "Warning" } },
  "ReplDash": { "Nodes": [ $nodes ], "Durability": { "SyncRelayLog": 1 },
    "Replication": { "Secret": "bench-$RANDOM$RANDOM$RANDOM" }, "SemiSync": { "Enabled": false } } }
JSON
else
  cat >"$dir/appsettings.json" <<JSON
{ "Logging": { "LogLevel": { "Default": "Warning", "ReplDash": "Warning" } },
  "ReplDash": { "Nodes": [ { "Id": "m1", "Role": "master", "RespPort": $port } ] } }
JSON
fi
REPLDASH_CONTENT_ROOT=$dir ReplDash__DataDir=$dir/data ReplDash__BindAddress=127.0.0.1 ReplDash__Http__Port=$http \
  ReplDash__Durability__SyncBinlog=1 Logging__LogLevel__Default=Warning "$BIN" >"$dir/node.log" 2>&1 &
pid=$!
trap 'kill -TERM $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 1200); do # up to 2 minutes on a busy machine
  [ "$(redis-cli -h 127.0.0.1 -p "$port" PING 2>/dev/null)" = PONG ] && break
  kill -0 $pid 2>/dev/null || { tail -20 "$dir/node.log" >&2; exit 1; }
  sleep 0.1
done
for p in "${slave_ports[@]}"; do
  for _ in $(seq 1200); do
    [ "$(redis-cli -h 127.0.0.1 -p "$p" PING 2>/dev/null)" = PONG ] && break
    sleep 0.1
  done
done
offset() { redis-cli -h 127.0.0.1 -p "$1" INFO replication 2>/dev/null | tr -d '\r' | awk -F: -v k="$2" '$1 == k { print $2 }'; }
caught_up() { # every slave has applied what m1 holds (or up to 60 s have passed)
  local want p
  for _ in $(seq 600); do
    want=$(offset "$port" master_repl_offset)
    for p in "${slave_ports[@]}"; do
      [ "$(offset "$p" slave_repl_offset)" = "$want" ] || { sleep 0.1; continue 2; }
    done
    return 0
  done
  echo "slaves did not catch up" >&2
}
cpu() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
switches() { cat /proc/"$pid"/task/*/status 2>/dev/null | awk '/_ctxt_switches/ { s += $2 } END { print s + 0 }'; }
redis-benchmark -h 127.0.0.1 -p "$port" -c 50 -n 50000 -r 100000 -d 16 -t set -q >/dev/null 2>&1
[ "$SLAVES" -gt 0 ] && caught_up
t0=$(cpu); c0=$(switches)
rps=$(timeout 300 redis-benchmark -h 127.0.0.1 -p "$port" -c 50 -n "$N" -r 100000 -d 16 -t set --csv | tr -d '"' | awk -F, '$1 == "SET" { print $2 }')
[ "$SLAVES" -gt 0 ] && caught_up
t1=$(cpu); c1=$(switches)
awk -v t=$((t1 - t0)) -v tick="$TICK" -v n="$N" -v rps="$rps" -v cs=$((c1 - c0)) -v load="$(cut -d' ' -f1 /proc/loadavg)" \
  'BEGIN { printf "%.0f SET/s, server CPU %.1f us/SET, %.2f context switches/SET, load average %s\n", rps, 1e6 * t / tick / n, cs / n, load }'
