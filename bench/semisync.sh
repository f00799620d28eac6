#!/usr/bin/env bash
# Semi-synchronous replication: ReplDash master m1 with AfterSync semi-sync (SyncBinlog=1, SyncRelayLog=1),
# against the same machine's anchors in the same run:
#   rd-1slave   ReplDash hosting m1 and s1 (one slave), WaitForSlaveCount 1
#   rd-2slaves  ReplDash hosting m1, s1, s2, WaitForSlaveCount 1, then 2 (CONFIG SET at run time)
#   redis+wait  redis-server 7 (appendonly yes, appendfsync always) with one replica (the same), each
#               write sent as SET followed by WAIT 1 0 (bench/tools/SetWaitLoad): answered once the
#               replica has it. Note: a Redis replica acknowledges what it received, not what it synced,
#               so this anchor promises less than ReplDash's ack (relay log fsynced). Run a second time with
#               the replica's AOF off (Redis's usual replica setup).
#   mariadb     MariaDB 10.11 semi-sync AFTER_SYNC, sync_binlog=1, sync_relay_log=1, sysbench oltp_insert
#               (bench/mariadb-semisync.sh; BENCH_MARIADB=0 skips it)
# ReplDash is loaded with `redis-benchmark -t set -r 100000 -d 16 --csv` at -c 1, 16 and 50 (no pipelining);
# after each run INFO semisync gives yes/no transactions (no_tx must stay 0: every write waited for its
# acks) and each slave's ack latency p50/p99 (send-to-ack, over the last minute or last 4096 acks).
# Printed: one line per run. Results: docs/BENCHMARKS.md, "Semi-sync".
#
# Knobs (environment):
#   BENCH_N1=3000  BENCH_N16=40000  BENCH_N50=60000   requests at -c 1 / 16 / 50
#   BENCH_WARMUP=20000   SETs before the first measured run of each setup
#   BENCH_BUILD=1        build Release first; 0 to use existing binaries
#   BENCH_BIN=...        the ReplDash.Web executable to measure (default: this tree's Release build; BENCH_BUILD=0 with it)
#   BENCH_MARIADB=1      run the MariaDB anchor (installs mariadb-server and sysbench when missing)
#   BENCH_TMP=/tmp       where the data directories go
#   BENCH_QUIET_WAIT=20  seconds to wait for a quiet machine before each run
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/.."
root=$(pwd)

N1=${BENCH_N1:-3000}
N16=${BENCH_N16:-40000}
N50=${BENCH_N50:-60000}
WARMUP=${BENCH_WARMUP:-20000}
BUILD=${BENCH_BUILD:-1}
TMPBASE=${BENCH_TMP:-${TMPDIR:-/tmp}}
C=50 R=100000 D=16 # for lib.sh's warmup
BIN="${BENCH_BIN:-$root/src/ReplDash.Web/bin/Release/net10.0/ReplDash.Web}"
LOAD="$root/bench/tools/SetWaitLoad/bin/Release/net10.0/SetWaitLoad"

missing=()
command -v redis-benchmark >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1 || missing+=(redis-tools)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
apt_install "${missing[@]}"
build_release
if [ "$BUILD" = 1 ]; then
  dotnet build "$root/bench/tools/SetWaitLoad" -c Release -nologo -v quiet >&2
fi

WORK=$(mktemp -d "$TMPBASE/bench-semisync.XXXXXX")
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM


info_field() { # port section field
  redis-cli -h 127.0.0.1 -p "$1" INFO "$2" | tr -d '\r' | awk -F: -v f="$3" '$1 == f { print $2 }'
}

wait_clients() { # port count
  local deadline=$((SECONDS + 30))
  until [ "$(info_field "$1" semisync Rpl_semi_sync_master_clients)" = "$2" ]; do
    [ $SECONDS -ge $deadline ] && { echo "semi-sync clients never reached $2" >&2; return 1; }
    sleep 0.1
  done
}

# ReplDash with m1 and the given slaves in one process, semi-sync AfterSync (the defaults), own content root.
start_repldash() { # setup "s1" | "s1 s2"; sets PORT (m1) and RD_PID
  local setup=$1 slaves=$2 dir http m1 repl nodes hosted="m1" s port
  dir="$WORK/$setup"
  mkdir -p "$dir/root" "$dir/data"
  http=$(free_port); m1=$(free_port); repl=$(free_port)
  nodes="{ \"Id\": \"m1\", \"Role\": \"master\", \"RespPort\": $m1, \"ReplicationPort\": $repl }"
  for s in $slaves; do
    port=$(free_port)
    nodes="$nodes, { \"Id\": \"$s\", \"Role\": \"slave\", \"RespPort\": $port, \"Master\": \"m1\" }"
    hosted="$hosted,$s"
  done
  cat >"$dir/root/appsettings.json" <<JSON
{
  "Logging": { "LogLevel": { "Default": "Warning", "ReplDash": "Warning" } },
  "ReplDash": {
    "DataDir": "$dir/data",
    "Http": { "Port": $http },
    "Durability": { "SyncBinlog": 1, "SyncRelayLog": 1 },
    "Nodes": [ $nodes ],
    "Replication": { "Secret": "bench-$RANDOM$RANDOM$RANDOM" },
    "SemiSync": { "Enabled": true, "WaitPoint": "AfterSync", "WaitForSlaveCount": 1, "TimeoutMs": 10000 }
  }
}
JSON
  env REPLDASH_CONTENT_ROOT="$dir/root" "$BIN" >"$dir/node.log" 2>&1 &
  RD_PID=$!
  pids+=("$RD_PID")
  wait_ready "$m1" "$RD_PID" "$setup m1" || { tail -20 "$dir/node.log" >&2; exit 1; }
  wait_clients "$m1" "$(echo "$slaves" | wc -w)" || { tail -20 "$dir/node.log" >&2; exit 1; }
  PORT=$m1
}

# One measured redis-benchmark run on a ReplDash master, then its semi-sync counters.
run_repldash() { # label port clients requests
  local label=$1 port=$2 c=$3 n=$4 csv yes0 no0 yes1 no1 lat
  quiet
  yes0=$(info_field "$port" semisync Rpl_semi_sync_master_yes_tx)
  no0=$(info_field "$port" semisync Rpl_semi_sync_master_no_tx)
  csv=$(redis-benchmark -h 127.0.0.1 -p "$port" -t set -c "$c" -n "$n" -r 100000 -d 16 --csv 2>/dev/null | tail -1)
  yes1=$(info_field "$port" semisync Rpl_semi_sync_master_yes_tx)
  no1=$(info_field "$port" semisync Rpl_semi_sync_master_no_tx)
  lat=$(redis-cli -h 127.0.0.1 -p "$port" INFO semisync | tr -d '\r' | awk -F: '/^semisync_ack_latency_/ { sub("semisync_ack_latency_", "", $1); printf " ack_%s=%s", $1, $2 }')
  echo "$csv" | tr -d '"' | awk -F, -v l="$label" -v c="$c" -v y=$((yes1 - yes0)) -v no=$((no1 - no0)) -v lat="$lat" \
    '{ printf "%-22s c=%-3s ops=%8.0f p50_ms=%.3f p99_ms=%.3f yes_tx=%d no_tx=%d%s\n", l, c, $2, $5, $7, y, no, lat }'
  [ $((no1 - no0)) -eq 0 ] || echo "  WARNING: $label answered $((no1 - no0)) writes without their acks (semi-sync OFF)"
}

requests_for() { # clients
  case $1 in 1) echo "$N1" ;; 16) echo "$N16" ;; *) echo "$N50" ;; esac
}

repldash_runs() { # label: one run per client count on the current ReplDash master
  local c
  for c in 1 16 50; do
    run_repldash "$1" "$PORT" "$c" "$(requests_for "$c")"
  done
}

echo "# semi-sync bench $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p')"

start_repldash rd-1slave "s1"
warmup "$PORT"
repldash_runs "repldash 1 slave"
stop_pid "$RD_PID" # an idle setup left running would share the cores with the next ones

start_repldash rd-2slaves "s1 s2"
warmup "$PORT"
repldash_runs "repldash 2 slaves q=1"
redis-cli -h 127.0.0.1 -p "$PORT" CONFIG SET rpl_semi_sync_master_wait_for_slave_count 2 >/dev/null
repldash_runs "repldash 2 slaves q=2"
stop_pid "$RD_PID"

# Redis: master + one replica, both appendfsync always; SET + WAIT 1 0 per write.
rm_port=$(free_port); rr_port=$(free_port)
for role in master replica; do
  port=$rm_port; extra=()
  [ $role = replica ] && port=$rr_port && extra=(--replicaof 127.0.0.1 "$rm_port")
  mkdir -p "$WORK/redis-$role"
  redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly yes --appendfsync always \
    --dir "$WORK/redis-$role" --daemonize no --logfile "$WORK/redis-$role/redis.log" "${extra[@]}" >/dev/null 2>&1 &
  pids+=("$!")
  wait_ready "$port" "$!" "redis $role"
done
wait_link_up "$rr_port" "redis replica" || exit 1
warmup "$rm_port"
redis_wait_runs() { # label
  local c
  for c in 1 16; do
    quiet
    printf '%-22s ' "$1"
    "$LOAD" --port "$rm_port" --clients "$c" --requests "$(requests_for "$c")" --wait 1
  done
}
redis_wait_runs "redis SET+WAIT 1"
# The same with the replica keeping no AOF (Redis's usual replica): WAIT then waits for its memory only.
redis-cli -h 127.0.0.1 -p "$rr_port" CONFIG SET appendonly no >/dev/null
redis_wait_runs "redis SET+WAIT 1 noAOF"
redis-cli -h 127.0.0.1 -p "$rr_port" CONFIG SET appendonly yes >/dev/null
for c in 1 16 50; do
  quiet
  printf '%-22s ' "redis SET (no WAIT)"
  redis-benchmark -h 127.0.0.1 -p "$rm_port" -t set -c "$c" -n "$(requests_for "$c")" -r 100000 -d 16 --csv 2>/dev/null | tail -1 | tr -d '"' |
    awk -F, -v c="$c" '{ printf "c=%-3s ops=%8.0f p50_ms=%.3f p99_ms=%.3f\n", c, $2, $5, $7 }'
done

if [ "${BENCH_MARIADB:-1}" = 1 ]; then
  bash "$root/bench/mariadb-semisync.sh"
fi
