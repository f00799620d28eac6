#!/usr/bin/env bash
# Functions shared by the benchmark scripts (sourced, not run). They expect the caller's globals
# C, WARMUP, R and D (clients, warm-up SETs, key range, value size).

wait_ready() { # port pid name  (BENCH_READY_SECONDS: how long a start may take, 30 by default; more on a loaded machine)
  local limit=${BENCH_READY_SECONDS:-30}
  local deadline=$((SECONDS + limit))
  until [ "$(redis-cli -h 127.0.0.1 -p "$1" PING 2>/dev/null)" = PONG ]; do
    if ! kill -0 "$2" 2>/dev/null; then
      echo "$3 exited before answering PING" >&2
      return 1
    fi
    if [ $SECONDS -ge $deadline ]; then
      echo "$3 did not answer PING within $limit s" >&2
      return 1
    fi
    sleep 0.1
  done
}

# Stops a server the script started: SIGTERM, then SIGKILL if it is still there after the grace period
# (default 20 s); never waits forever. Drops the pid from the caller's pids array (kept for clean-up).
stop_pid() { # pid [grace-seconds]
  local pid=$1 deadline=$((SECONDS + ${2:-20})) p kept=()
  kill -TERM "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  for p in "${pids[@]}"; do [ "$p" = "$pid" ] || kept+=("$p"); done
  pids=("${kept[@]}")
}

# Waits until the replica on <port> reports master_link_status:up (30 s at most).
wait_link_up() { # port name
  local deadline=$((SECONDS + 30))
  until redis-cli -h 127.0.0.1 -p "$1" INFO replication 2>/dev/null | grep -q '^master_link_status:up'; do
    if [ $SECONDS -ge $deadline ]; then
      echo "$2: master_link_status not up within 30 s" >&2
      return 1
    fi
    sleep 0.1
  done
}

# Waits (up to BENCH_QUIET_WAIT s, default 20) until the machine is below 15% busy over a second.
quiet() {
  local deadline=$((SECONDS + ${BENCH_QUIET_WAIT:-20})) b0 b1 t0 t1 pct
  while true; do
    read -r b0 t0 < <(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat)
    sleep 1
    read -r b1 t1 < <(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat)
    pct=$(( (b1 - b0) * 100 / (t1 - t0 > 0 ? t1 - t0 : 1) ))
    [ "$pct" -lt 15 ] && return 0
    if [ $SECONDS -ge $deadline ]; then
      echo "  (machine still ${pct}% busy with other work; measuring anyway)" >&2
      return 0
    fi
  done
}

warmup() { # port
  redis-benchmark -h 127.0.0.1 -p "$1" -c "$C" -n "$WARMUP" -r "$R" -d "$D" -t set -q >/dev/null 2>&1 || true
}

# Installs the Debian packages named, if any (with sudo when not root).
apt_install() {
  [ $# -gt 0 ] || return 0
  echo "Installing: $*" >&2
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "$@" >&2
}

# Builds the Release app when BUILD is 1, then checks that $BIN exists.
build_release() {
  if [ "$BUILD" = 1 ]; then
    echo "Building src/ReplDash.Web (Release)..." >&2
    dotnet build "$root/src/ReplDash.Web" -c Release -nologo -v quiet >&2
  fi
  [ -x "$BIN" ] || { echo "missing $BIN (build src/ReplDash.Web -c Release)" >&2; exit 1; }
}

# Prints a loopback TCP port nobody listens on, below the usual ephemeral range (32768-60999), and not
# handed out before in this run. Callers use $(free_port), a subshell, so the ports handed out are kept
# in a file under $WORK (which the caller creates and removes).
free_port() {
  local p taken="${WORK:?free_port needs WORK}/.ports-taken"
  touch "$taken"
  for _ in $(seq 200); do
    p=$((20000 + RANDOM % 12000))
    grep -qx "$p" "$taken" && continue
    if [ -z "$(ss -tanH "sport = :$p" 2>/dev/null)" ]; then
      echo "$p" >>"$taken"
      echo "$p"
      return 0
    fi
  done
  echo "no free port" >&2
  return 1
}
