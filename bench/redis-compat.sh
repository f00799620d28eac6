#!/usr/bin/env bash
# Redis compatibility: runs Redis 7.0.15's own test suite, unmodified, in external-server mode against a fresh
# ReplDash m1 and against Debian's redis-server 7.0.15, one test file at a time, and prints the tests passed
# and failed per file for both, and the share of the tests Redis itself passes that ReplDash passes too.
#
# The suite comes from Debian's source package of redis (see ../shared/STACK.md); scripts/redis-suite.sh fetches it
# once into its cache (COMPAT_SRC, default ~/.cache/repldash/redis-suite) and runs one file with the flags below,
# the same way the test suite's short run (RedisOwnSuiteTests) does; nothing of it is committed. tcl,
# redis-server and redis-tools are installed when missing.
#
# Each file runs against a new server (a fresh data directory), both servers started the same way for every
# file, with the same runtest flags:
#   --host 127.0.0.1 --port P --single unit/X --clients 1 --timeout 600 --durable --ignore-encoding
#   --tags "-needs:debug -needs:repl -needs:config-maxmemory -needs:save -needs:other-server"
# Why the tags: tests that need DEBUG's internals (RELOAD, OBJECT, JMAP, ...), Redis's own replication, maxmemory
# eviction or RDB saving test Redis's internals rather than its commands; Redis's external mode skips the
# tests tagged external:skip by itself. --ignore-encoding: ReplDash has no listpack/ziplist/intset encodings,
# so the assertions on OBJECT ENCODING are internal details (both servers run with the same flags).
# --durable: a test whose command gets an error counts as failed and the file goes on (without it the
# first unknown command would end the whole file, and every later test would count as not passed).
# Every runtest is bounded by COMPAT_FILE_TIMEOUT; a file that hangs or whose harness dies is reported.
#
# Usage: bash bench/redis-compat.sh [unit/type/string ...]     (default: the issue's eleven files)
# Knobs (environment):
#   COMPAT_BUILD=1            build src/ReplDash.Web (Release) first; 0 to use the existing binary
#   COMPAT_BIN=...            the ReplDash.Web executable (default: this tree's Release build)
#   COMPAT_SRC=...            where the Redis source is kept between runs (default ~/.cache/repldash/redis-suite)
#   COMPAT_OUT=...            where logs and the per-test results go (default: a new directory under /tmp)
#   COMPAT_FILE_TIMEOUT=900   seconds one file may take on one server
#   COMPAT_REDIS=1            also run against redis-server (0: ReplDash only, no comparison)
# Results: docs/COMPATIBILITY.md.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/.."
root=$(pwd)

BUILD=${COMPAT_BUILD:-1}
BIN="${COMPAT_BIN:-$root/src/ReplDash.Web/bin/Release/net10.0/ReplDash.Web}"
# Where scripts/redis-suite.sh keeps Redis's source (its default when COMPAT_SRC is not set).
if [ -n "${COMPAT_SRC:-}" ]; then export REDIS_SUITE_CACHE=$COMPAT_SRC; fi
FILE_TIMEOUT=${COMPAT_FILE_TIMEOUT:-900}
WITH_REDIS=${COMPAT_REDIS:-1}
REDIS_VERSION=7.0.15
DEFAULT_UNITS="unit/type/string unit/type/incr unit/type/list unit/type/hash unit/type/set unit/type/zset
unit/expire unit/keyspace unit/multi unit/protocol unit/info-command"
units=${*:-$DEFAULT_UNITS}

WORK=$(mktemp -d /tmp/repldash-compat.XXXXXX)
OUT=${COMPAT_OUT:-$WORK/results}
mkdir -p "$OUT"
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
  rm -rf "$WORK/servers"
}
trap cleanup EXIT

missing=()
command -v tclsh >/dev/null || missing+=(tcl)
command -v redis-cli >/dev/null || missing+=(redis-tools)
if [ "$WITH_REDIS" = 1 ]; then command -v redis-server >/dev/null || missing+=(redis-server); fi
command -v python3 >/dev/null || missing+=(python3)
apt_install "${missing[@]}"

# Sets SERVER_PORT and SERVER_PID: a fresh ReplDash with the one node m1.
start_repldash_m1() {
  local dir http
  dir=$(mktemp -d "$WORK/servers.XXXXXX")
  SERVER_PORT=$(free_port)
  http=$(free_port)
  mkdir -p "$dir/data"
  cat >"$dir/appsettings.json" <<JSON
{ "ReplDash": { "Nodes": [ { "Id": "m1", "Role": "master", "RespPort": $SERVER_PORT } ] } }
JSON
  REPLDASH_CONTENT_ROOT="$dir" \
  ReplDash__DataDir="$dir/data" \
  ReplDash__BindAddress=127.0.0.1 \
  ReplDash__Http__Port="$http" \
  ReplDash__Nodes__0__Id=m1 \
  ReplDash__Nodes__0__RespPort="$SERVER_PORT" \
  Logging__LogLevel__Default=Warning \
    "$BIN" >"$dir/server.log" 2>&1 &
  SERVER_PID=$!
  pids+=("$SERVER_PID")
  SERVER_LOG="$dir/server.log"
  wait_ready "$SERVER_PORT" "$SERVER_PID" "ReplDash m1" || { tail -20 "$dir/server.log" >&2; exit 1; }
}

# Sets SERVER_PORT and SERVER_PID: a fresh redis-server with Debian's defaults (no persistence files kept).
start_redis_server() {
  local dir
  dir=$(mktemp -d "$WORK/servers.XXXXXX")
  SERVER_PORT=$(free_port)
  redis-server --port "$SERVER_PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$dir" \
    --daemonize no --logfile "$dir/server.log" >/dev/null 2>&1 &
  SERVER_PID=$!
  pids+=("$SERVER_PID")
  SERVER_LOG="$dir/server.log"
  wait_ready "$SERVER_PORT" "$SERVER_PID" "redis-server" || exit 1
}

# Runs one unit against one server kind; writes <out>/<kind>/<unit>.log and .ok / .err (test names).
run_unit() { # kind unit
  local kind=$1 unit=$2 log name rc=0
  name=${unit//\//_}
  mkdir -p "$OUT/$kind"
  log="$OUT/$kind/$name.log"
  if [ "$kind" = repldash ]; then start_repldash_m1; else start_redis_server; fi
  REDIS_SUITE_TIMEOUT=$FILE_TIMEOUT bash "$root/scripts/redis-suite.sh" run "$SERVER_PORT" "$unit" >"$log" 2>&1 || rc=$?
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "CRASH: the $kind server exited during $unit" | tee -a "$log" >&2
    tail -20 "$SERVER_LOG" >>"$log" || true
  fi
  [ "$rc" = 124 ] && echo "HANG: $unit on $kind did not finish within $FILE_TIMEOUT s" | tee -a "$log" >&2
  stop_pid "$SERVER_PID" 10
  sed -n 's/^\[ok\]: \(.*\) ([0-9]* ms)$/\1/p' "$log" >"$OUT/$kind/$name.ok"
  sed -n 's/^\[err\]: \(.*\) in tests\/.*$/\1/p; s/^\[exception\]: \(.*\)$/EXCEPTION: \1/p' "$log" \
    >"$OUT/$kind/$name.err"
}

if [ "$BUILD" = 1 ]; then
  echo "Building src/ReplDash.Web (Release)..." >&2
  dotnet build "$root/src/ReplDash.Web" -c Release -nologo -v quiet >&2
fi
[ -x "$BIN" ] || { echo "missing $BIN (build src/ReplDash.Web -c Release)" >&2; exit 1; }
REDIS_SRC=$(bash "$root/scripts/redis-suite.sh" fetch)

echo "Redis $REDIS_VERSION test suite, external-server mode; $(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) cores"
echo "redis-server: $(redis-server --version 2>/dev/null | awk '{print $3}') ; ReplDash: $BIN"
echo "logs: $OUT"
for unit in $units; do
  [ -f "$REDIS_SRC/tests/$unit.tcl" ] || { echo "no such unit: $unit" >&2; exit 2; }
  [ "$WITH_REDIS" = 1 ] && run_unit redis "$unit"
  run_unit repldash "$unit"
  echo "  done: $unit" >&2
done

python3 - "$OUT" "$WITH_REDIS" $units <<'PY'
import os, sys
out, with_redis, units = sys.argv[1], sys.argv[2] == "1", sys.argv[3:]

def names(kind, unit, ext):
    path = os.path.join(out, kind, unit.replace("/", "_") + "." + ext)
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [line.rstrip("\n") for line in f if line.strip()]

print()
print(f"{'file':<20} {'redis ok':>8} {'redis err':>9} {'repldash ok':>11} {'repldash err':>12} {'of redis ok':>11}")
tot_r = tot_both = 0
failures = []
for unit in units:
    r_ok, r_err = set(names("redis", unit, "ok")), names("redis", unit, "err")
    d_ok, d_err = set(names("repldash", unit, "ok")), names("repldash", unit, "err")
    both = len(r_ok & d_ok)
    share = f"{100.0 * both / len(r_ok):.0f} %" if with_redis and r_ok else "-"
    tot_r += len(r_ok)
    tot_both += both
    redis_cols = f"{len(r_ok):>8} {len(r_err):>9}" if with_redis else f"{'-':>8} {'-':>9}"
    print(f"{unit:<20} {redis_cols} {len(d_ok):>11} {len(d_err):>12} {share:>11}")
    missing = sorted(r_ok - d_ok) if with_redis else d_err
    for name in missing:
        failures.append((unit, name))
    for name in d_err:
        if name.startswith("EXCEPTION"):
            failures.append((unit, name))
if with_redis:
    share = 100.0 * tot_both / tot_r if tot_r else 0.0
    print(f"{'total':<20} {tot_r:>8} {'':>9} {tot_both:>11} {'':>12} {share:>9.1f} %")
    print(f"ReplDash passes {tot_both} of the {tot_r} tests Redis passes ({share:.1f} %)")
print()
print("Tests Redis passes and ReplDash does not (and harness exceptions):")
for unit, name in failures:
    print(f"  {unit}: {name}")
PY
