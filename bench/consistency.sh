#!/usr/bin/env bash
# Consistency checks at scale (issue 13): ReplDash m1 with slaves s1 and s2 in one process, BENCH_KEYS keys.
#
# Printed:
#   1. check time: a check of every key on s1 and s2 (POST /api/checks until GET says completed), from the
#      run's own start and end times, and its keys/s;
#   2. write throughput during a check: redis-benchmark SETs (-c 50 -P 16 -r 100000 -d 16, BENCH_N requests)
#      without a check, then while a check runs (a new check is started just before; if it ends before the
#      benchmark, another is started, so the whole benchmark runs under checks), and the ratio; both after an
#      unmeasured warm-up of the checked load (BENCH_N / 2 SETs under checks), so that neither pays JIT compilation;
#   3. time to find 10 differing keys: DEBUG SET-LOCAL on s1 changes 10 random keys behind replication's back;
#      a check must report exactly those 10, and its time is printed.
#   Also printed: where each measured check's time went (the run's own log line: master lock, waits for slaves'
#   answers and own digests, drill-down, saving, pauses) and the machine's load average before and after.
# Targets (docs/BENCHMARKS.md): 1,000,000 keys checked in under 10 s; writes during a check >= 0.8 x normal.
#
# Knobs: BENCH_KEYS=1000000, BENCH_N=1500000 (300000 before the inline write path: at 120-170k SET/s that lasted under
#        2 s, too short for the checks' start-up not to dominate), BENCH_BUILD=1 (build Release first; 0 uses the existing binary),
#        BENCH_TMP=/tmp, BENCH_QUIET_WAIT=20, BENCH_CHUNK_TARGET_MS=10 (ReplDash:Consistency:ChunkTargetMs),
#        BENCH_IN_FLIGHT=3 (ReplDash:Consistency:ChunksInFlight), BENCH_STEPS=123 (which of the three to run),
#        BENCH_BUSY_SHARE= (ReplDash:Consistency:BusySharePercent; empty: the product's default).
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/.."
root=$(pwd)

KEYS=${BENCH_KEYS:-1000000}
N=${BENCH_N:-1500000}
BUILD=${BENCH_BUILD:-1}
CHUNK_TARGET_MS=${BENCH_CHUNK_TARGET_MS:-10}
IN_FLIGHT=${BENCH_IN_FLIGHT:-3}
BUSY_SHARE=${BENCH_BUSY_SHARE:-}
busy_share_json=""
[ -z "$BUSY_SHARE" ] || busy_share_json=", \"BusySharePercent\": $BUSY_SHARE"
STEPS=${BENCH_STEPS:-123}
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
TMPBASE=${BENCH_TMP:-${TMPDIR:-/tmp}}
BIN="$root/src/ReplDash.Web/bin/Release/net10.0/ReplDash.Web"
C=50 R=100000 D=16 WARMUP=100000

missing=()
command -v redis-benchmark >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1 || missing+=(redis-tools)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
command -v curl >/dev/null 2>&1 || missing+=(curl)
apt_install "${missing[@]}"
build_release

WORK=$(mktemp -d "$TMPBASE/bench-consistency.XXXXXX")
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do stop_pid "$p" 20; done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$WORK/root" "$WORK/data"
http=$(free_port); m1=$(free_port); repl=$(free_port); s1=$(free_port); s2=$(free_port)
# The REST API needs an Operator (issue 15): ReplDash:Admin:ApiKey makes this key the first admin's at first start.
api_key="bench-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
cat >"$WORK/root/appsettings.json" <<JSON
{
  "Logging": { "LogLevel": { "Default": "Warning", "ReplDash": "Warning", "ReplDash.Web.Consistency": "Information" } },
  "ReplDash": {
    "DataDir": "$WORK/data",
    "BindAddress": "127.0.0.1",
    "Http": { "Port": $http },
    "Durability": { "SyncBinlog": 1, "SyncRelayLog": 1 },
    "Nodes": [
      { "Id": "m1", "Role": "master", "RespPort": $m1, "ReplicationPort": $repl },
      { "Id": "s1", "Role": "slave", "RespPort": $s1, "Master": "m1" },
      { "Id": "s2", "Role": "slave", "RespPort": $s2, "Master": "m1" }
    ],
    "Replication": { "Secret": "bench-$RANDOM$RANDOM$RANDOM" },
    "SemiSync": { "Enabled": false },
    "Faults": { "Enabled": true },
    "Admin": { "ApiKey": "$api_key" },
    "Consistency": { "ChunkTargetMs": $CHUNK_TARGET_MS, "ChunksInFlight": $IN_FLIGHT$busy_share_json }
  }
}
JSON
env REPLDASH_CONTENT_ROOT="$WORK/root" "$BIN" >"$WORK/node.log" 2>&1 &
pid=$!
pids+=("$pid")
wait_ready "$m1" "$pid" m1 && wait_ready "$s1" "$pid" s1 && wait_ready "$s2" "$pid" s2 &&
  wait_link_up "$s1" s1 && wait_link_up "$s2" s2 || { tail -20 "$WORK/node.log" >&2; exit 1; }
api="http://127.0.0.1:$http"

caught_up() { # all three digests equal
  local a b c
  a=$(redis-cli -p "$m1" DEBUG DIGEST); b=$(redis-cli -p "$s1" DEBUG DIGEST); c=$(redis-cli -p "$s2" DEBUG DIGEST)
  [ "$a" = "$b" ] && [ "$a" = "$c" ]
}
wait_caught_up() {
  local deadline=$((SECONDS + 300))
  until caught_up; do
    [ $SECONDS -lt $deadline ] || { echo "slaves did not catch up within 300 s" >&2; exit 1; }
    sleep 0.5
  done
}

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; } # the process's user + system CPU, in clock ticks
api_curl() { curl -sf -H "Authorization: Bearer $api_key" "$@"; }
start_check() { api_curl -X POST "$api/api/checks" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'; }
check_json() { api_curl "$api/api/checks/$1"; }
wait_check() { # id -> prints "seconds keysCompared differingKeys"
  local deadline=$((SECONDS + 1800)) status
  while true; do
    status=$(check_json "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')
    [ "$status" != running ] && break
    [ $SECONDS -lt $deadline ] || { echo "check $1 still running after 1800 s" >&2; exit 1; }
    sleep 0.2
  done
  [ "$status" = completed ] || { echo "check $1 ended $status" >&2; check_json "$1" >&2; exit 1; }
  check_json "$1" | python3 -c '
import json, sys
from datetime import datetime
r = json.load(sys.stdin)["run"]
t = lambda s: datetime.fromisoformat(s.replace("Z", "+00:00"))
print("%.2f %d %d" % ((t(r["endedUtc"]) - t(r["startedUtc"])).total_seconds(), r["keysCompared"], r["differingKeys"]))'
}

echo "Loading $KEYS keys into m1..." >&2
python3 - "$KEYS" <<'PY' | redis-cli -p "$m1" --pipe >/dev/null
import sys
n = int(sys.argv[1])
out = sys.stdout.buffer
for i in range(n):
    k = b"key:%d" % i
    v = b"value-%d" % i
    out.write(b"*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n" % (len(k), k, len(v), v))
PY
wait_caught_up
echo "m1 holds $(redis-cli -p "$m1" DBSIZE) keys; s1 and s2 caught up." >&2

check_cpu=- check_s=0 check_keys=0 check_diff=- ops_alone=- ops_check=- ratio=- checks_during=0 keys_during=0 find_s=- find_diff=- check_id= find_id=
if [[ $STEPS == *1* ]]; then
echo "1. Checking every key..." >&2
quiet
idle0=$(cpu_ticks); sleep 10; idle_rate=$(python3 -c "print(($(cpu_ticks) - $idle0) / 10 / $(getconf CLK_TCK))") # CPU s per s, no check
cpu0=$(cpu_ticks)
check_id=$(start_check)
read -r check_s check_keys check_diff < <(wait_check "$check_id")
check_cpu=$(python3 -c "print('%.2f' % (($(cpu_ticks) - $cpu0) / $(getconf CLK_TCK)))")
check_cpu="$check_cpu s of process CPU, of which $(python3 -c "print('%.2f' % ($idle_rate * $check_s))") s at the idle rate measured just before"
fi

if [[ $STEPS == *2* ]]; then
echo "2. Write throughput without and during a check..." >&2
bench_ops() { # [requests] -> SET/s
  redis-benchmark -h 127.0.0.1 -p "$m1" -t set -n "${1:-$N}" -c "$C" -P 16 -r "$R" -d "$D" --csv 2>/dev/null |
    awk -F'"' '/^"SET"/ { print $4 }'
}
checks_until() { # stop-file: starts checks back to back until the file exists (polled every 0.5 s: each poll is a
  # curl process and an authenticated API request, CPU the writes would otherwise get)
  while [ ! -f "$1" ]; do
    id=$(start_check)
    echo "$id" >>"$1.ids"
    while [ ! -f "$1" ] && check_json "$id" | grep -q '"status":"running"'; do sleep 0.5; done
  done
}
# Warm-up: the checked load once, unmeasured, so that both measured runs use compiled code. Cold, the first checked
# run also paid the JIT of the check path, the API the poller calls and the SET path under checks: about 1,800
# methods recompiled at tier 1, 1.5-2.8 s of CPU on the tiered-compilation thread (docs/BENCHMARKS.md).
warmup "$m1"
checks_until "$WORK/warm-done" &
checker=$!
bench_ops $((N / 2)) >/dev/null
touch "$WORK/warm-done"
wait "$checker" 2>/dev/null || true
last=$(api_curl "$api/api/checks?take=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
wait_check "$last" >/dev/null
wait_caught_up
quiet
cpu0=$(cpu_ticks)
ops_alone=$(bench_ops)
cpu_alone=$(( $(cpu_ticks) - cpu0 ))
wait_caught_up
quiet
checks_until "$WORK/bench-done" &
checker=$!
cpu0=$(cpu_ticks)
ops_check=$(bench_ops)
cpu_check=$(( $(cpu_ticks) - cpu0 ))
touch "$WORK/bench-done"
wait "$checker" 2>/dev/null || true
ratio=$(python3 -c "print('%.2f' % ($ops_check / $ops_alone))")
wait_caught_up
# Let the last check end before the next measurement.
sleep 1
last=$(api_curl "$api/api/checks?take=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
wait_check "$last" >/dev/null
# What the checks did while the writes were measured (so a ratio near 1 cannot hide checks that never ran).
checks_during=0 keys_during=0
while read -r id; do
  checks_during=$((checks_during + 1))
  keys_during=$((keys_during + $(check_json "$id" | python3 -c 'import json,sys; print(json.load(sys.stdin)["run"]["keysCompared"])')))
done <"$WORK/bench-done.ids"
fi

if [[ $STEPS == *3* ]]; then
echo "3. Finding 10 differing keys..." >&2
for k in $(python3 -c "import random; print(' '.join('key:%d' % random.randrange($KEYS) for _ in range(10)))"); do
  redis-cli -p "$s1" DEBUG SET-LOCAL "$k" differs >/dev/null
done
quiet
find_id=$(start_check)
read -r find_s find_keys find_diff < <(wait_check "$find_id")
fi

echo
echo "Consistency check, $KEYS keys, m1 + s1 + s2 in one process (SyncBinlog=1, semi-sync off, ChunkTargetMs=$CHUNK_TARGET_MS, ChunksInFlight=$IN_FLIGHT${BUSY_SHARE:+, BusySharePercent=$BUSY_SHARE})"
printf '  %-44s %s s (%s keys compared, %s differing, %.0f keys/s; %s)\n' "1. check of every key on s1 and s2:" "$check_s" "$check_keys" \
  "$check_diff" "$(python3 -c "print($check_keys / max($check_s, 0.001))")" "$check_cpu"
printf '  %-44s %s SET/s alone, %s SET/s during checks: %sx\n' "2. write throughput (-c 50 -P 16):" "$ops_alone" "$ops_check" "$ratio"
[ "$ops_alone" = - ] || printf '  %-44s %s s alone, %s s during checks\n' "   process CPU over the benchmark:" \
  "$(python3 -c "print('%.2f' % ($cpu_alone / $(getconf CLK_TCK)))")" "$(python3 -c "print('%.2f' % ($cpu_check / $(getconf CLK_TCK)))")"
[ "$ops_alone" = - ] || printf '  %-44s %s started, %s keys compared\n' "   checks during the measured writes:" "$checks_during" "$keys_during"
printf '  %-44s %s s (%s differing keys found)\n' "3. time to find 10 differing keys:" "$find_s" "$find_diff"
for id in $check_id $find_id; do
  grep -o "Check run $id: .*" "$WORK/node.log" | head -1 | sed 's/^/  time of /' || true
done
echo "  load average (1, 5, 15 min): $load_before before, $(cut -d' ' -f1-3 /proc/loadavg) after; $(date -u '+%Y-%m-%d %H:%M UTC')"
