#!/usr/bin/env bash
# Anchor figure for the semi-sync benchmark: MariaDB 10.11 (Debian 12's mariadb-server) with lossless
# semi-synchronous replication, a primary and one replica on this machine, measured with sysbench.
#
# Two fresh instances are made under a temp dir (BENCH_TMP, default /tmp) and started as root
# (mariadbd --user=root), each with its own datadir, socket, pid file and a free port on 127.0.0.1:
#   primary  server-id=1, log-bin, binlog_format=ROW, sync_binlog=1, innodb_flush_log_at_trx_commit=1,
#            rpl_semi_sync_master_enabled=ON, rpl_semi_sync_master_wait_point=AFTER_SYNC,
#            rpl_semi_sync_master_timeout=BENCH_MARIADB_SEMI_TIMEOUT ms (default 10000)
#   replica  server-id=2, relay log with sync_relay_log=1, sync_relay_log_info=1, sync_master_info=1,
#            innodb_flush_log_at_trx_commit=1, rpl_semi_sync_slave_enabled=ON, read_only,
#            replicating with CHANGE MASTER TO ... MASTER_USE_GTID=slave_pos over 127.0.0.1
# Semi-sync is built into the server since 10.3 (no INSTALL PLUGIN); the script checks that the
# variables exist, and that Rpl_semi_sync_master_status=ON and Rpl_semi_sync_master_clients=1 before
# measuring. MariaDB has no rpl_semi_sync_master_wait_for_slave_count (a MySQL 5.7+ variable): it
# always waits for one replica's ACK, which is what we want; it is set only if the server has it.
#
# Load: sysbench oltp_insert over TCP 127.0.0.1 on the primary, database sbtest, BENCH_MARIADB_TABLES
# tables x BENCH_MARIADB_ROWS rows prepared first (replicated, not measured), then a short warm-up
# (BENCH_MARIADB_WARMUP s, not measured), then one run per thread count in BENCH_MARIADB_THREADS, each
# BENCH_MARIADB_TIME s, with --percentile=99 --histogram. One autocommit INSERT = one transaction.
# Printed per run, one line: TPS, avg / p50 / p99 latency in ms (p50 from sysbench's histogram, p99
# from --percentile), and the semi-sync counters of that run: yes_tx / no_tx (deltas; no_tx must be 0:
# a WARNING line is printed otherwise), status, clients, tx_avg_wait_us / net_avg_wait_us (from the
# deltas of Rpl_semi_sync_master_tx_wait_time / _tx_waits and _net_wait_time / _net_waits; 10.11 leaves
# _net_wait_time at 0, so net_avg_wait_us prints n/a), the replica's lag in transactions when the run
# ended (0 = caught up: GTID positions equal), and other_pct, the CPU that processes other than the
# two servers and sysbench took during the run, in % of the machine ("noisy run" when >= 10). The
# primary's full Rpl_semi_sync_master% status after each run goes to stderr.
# Exit status: 0, or 2 when a run had no_tx > 0 / status OFF / no ACKed transactions (WARNING lines).
# About 1 minute after install on a quiet 2-core machine with the defaults (1.5 min when busy).
# Before each run the script waits up to BENCH_QUIET_WAIT=20 s for the machine to be quiet (lib.sh's
# quiet).
#
# Install: mariadb-server and sysbench via apt when missing. Debian's mariadb-server postinst tries to
# start the system service (invoke-rc.d mariadb start). This machine has no systemd and a Docker-style
# /usr/sbin/policy-rc.d that answers 101 (start refused); where there is no policy-rc.d the script puts
# a temporary one (exit 101) in place for the install and removes it after, so no system instance is
# started. No system instance is used or stopped: everything here runs from the temp dir.
#
# Knobs (environment):
#   BENCH_MARIADB_TIME=20        seconds per measured run
#   BENCH_MARIADB_THREADS="1 16" sysbench --threads values, one run each
#   BENCH_MARIADB_TABLES=4       sbtest tables
#   BENCH_MARIADB_ROWS=10000     rows per table prepared before measuring
#   BENCH_MARIADB_WARMUP=5       seconds of unmeasured oltp_insert (highest thread count) before the runs; 0 = none
#   BENCH_MARIADB_SEMI_TIMEOUT=10000  rpl_semi_sync_master_timeout in ms
#   BENCH_TMP=/tmp               where the temp dir (both datadirs) goes
#   BENCH_QUIET_WAIT=20          seconds to wait for a quiet machine before each run
#   BENCH_MARIADB_KEEP=0         1 = keep the temp dir (logs) on exit; servers are stopped anyway
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

TIME=${BENCH_MARIADB_TIME:-20}
THREADS=${BENCH_MARIADB_THREADS:-"1 16"}
TABLES=${BENCH_MARIADB_TABLES:-4}
ROWS=${BENCH_MARIADB_ROWS:-10000}
WARMUP_S=${BENCH_MARIADB_WARMUP:-5}
SEMI_TIMEOUT=${BENCH_MARIADB_SEMI_TIMEOUT:-10000}
KEEP=${BENCH_MARIADB_KEEP:-0}
TMPBASE=${BENCH_TMP:-${TMPDIR:-/tmp}}

die() { echo "mariadb-semisync: $*" >&2; exit 1; }

# --- tools -----------------------------------------------------------------------------------
missing=()
for c in mariadbd mariadb-install-db mariadb mariadb-admin; do
  command -v "$c" >/dev/null 2>&1 || [ -x "/usr/sbin/$c" ] || { missing+=(mariadb-server); break; }
done
command -v sysbench >/dev/null 2>&1 || missing+=(sysbench)
command -v ss >/dev/null 2>&1 || missing+=(iproute2)
command -v lscpu >/dev/null 2>&1 || missing+=(util-linux)
if [ ${#missing[@]} -gt 0 ]; then
  # Keep the package's postinst from starting a system-wide mariadb service: with systemd absent,
  # invoke-rc.d asks /usr/sbin/policy-rc.d, and 101 means "not allowed". Only a policy-rc.d that we
  # put there ourselves is removed again.
  policy_tmp=""
  if [ ! -e /usr/sbin/policy-rc.d ] && [ "$(id -u)" -eq 0 ]; then
    policy_tmp=/usr/sbin/policy-rc.d
    printf '#!/bin/sh\n# temporary, from bench/mariadb-semisync.sh: no service starts during the install\nexit 101\n' >"$policy_tmp"
    chmod 755 "$policy_tmp"
    trap 'rm -f "$policy_tmp"' EXIT
  fi
  before=$(pgrep -x mariadbd || true)
  apt_install "${missing[@]}" || { [ -n "$policy_tmp" ] && rm -f "$policy_tmp"; die "apt-get install ${missing[*]} failed"; }
  if [ -n "$policy_tmp" ]; then rm -f "$policy_tmp"; trap - EXIT; fi
  after=$(pgrep -x mariadbd || true)
  if [ -n "$after" ] && [ "$after" != "$before" ]; then
    echo "note: the package install started a system mariadbd (pid $after; this machine's policy-rc.d allowed it)." >&2
    echo "      It is left alone: this script uses its own instances on other ports and sockets." >&2
  fi
fi
PATH=$PATH:/usr/sbin
for c in mariadbd mariadb-install-db mariadb mariadb-admin sysbench ss; do
  command -v "$c" >/dev/null 2>&1 || die "$c not found after install"
done

# --- temp dir, cleanup -----------------------------------------------------------------------
mkdir -p "$TMPBASE"
T=$(mktemp -d "$TMPBASE/mariadb-semisync.XXXXXX")
PIDS=()
cleanup() {
  local rc=$? p i
  trap - EXIT INT TERM
  if [ -n "${SB_PID:-}" ]; then kill -TERM "$SB_PID" 2>/dev/null || true; wait "$SB_PID" 2>/dev/null || true; fi
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do
    for ((i = 0; i < 300; i++)); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
  done
  if [ "$KEEP" = 1 ]; then echo "kept $T" >&2; else rm -rf "$T"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Free TCP ports on 127.0.0.1 (lib.sh's free_port keeps the ports it handed out under $WORK).
WORK=$T
P_PORT=$(free_port) || die "no free TCP port found"
R_PORT=$(free_port) || die "no free TCP port found"

REPL_PW=repl-pw
SB_PW=sbtest-pw

# sql NAME SQL...: runs SQL as root over NAME's socket (unix_socket auth: we are root), tab-separated
# output without column names, bounded in time.
sql() {
  local name=$1; shift
  timeout 60 mariadb --no-defaults --protocol=socket -S "$T/$name/sock" -u root -N -B -e "$*"
}
slave_field() { # field: one field of the replica's SHOW SLAVE STATUS
  timeout 60 mariadb --no-defaults --protocol=socket -S "$T/replica/sock" -u root -E -e "SHOW SLAVE STATUS" |
    awk -v f="$1" -F': ' '$1 ~ ("^ *" f "$") { print $2 }'
}
status_var() { # name var
  sql "$1" "SHOW GLOBAL STATUS LIKE '$2'" | awk -F'\t' '{ print $2 }'
}

# --- instances -------------------------------------------------------------------------------
init_instance() { # name
  mkdir -p "$T/$1/data" "$T/$1/tmp"
  if ! timeout 120 mariadb-install-db --no-defaults --user=root --datadir="$T/$1/data" \
      --auth-root-authentication-method=socket --skip-test-db >"$T/$1/install.log" 2>&1; then
    tail -n 30 "$T/$1/install.log" >&2
    die "mariadb-install-db failed for $1"
  fi
}

start_instance() { # name port extra-options...
  local name=$1 port=$2; shift 2
  # --no-defaults: nothing from /etc/mysql; --user=root: mariadbd refuses to run as root without it.
  mariadbd --no-defaults --user=root \
    --datadir="$T/$name/data" --tmpdir="$T/$name/tmp" \
    --socket="$T/$name/sock" --pid-file="$T/$name/mariadbd.pid" \
    --port="$port" --bind-address=127.0.0.1 --skip-name-resolve \
    --log-error="$T/$name/error.log" \
    --innodb-buffer-pool-size=256M --innodb-flush-log-at-trx-commit=1 \
    --max-connections=200 \
    "$@" >"$T/$name/stdout.log" 2>&1 &
  local pid=$!
  PIDS+=("$pid")
  local deadline=$((SECONDS + 60))
  until timeout 5 mariadb-admin --no-defaults --protocol=socket -S "$T/$name/sock" -u root ping >/dev/null 2>&1; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "--- tail of $T/$name/error.log ---" >&2
      tail -n 40 "$T/$name/error.log" >&2 2>/dev/null || true
      tail -n 10 "$T/$name/stdout.log" >&2 2>/dev/null || true
      die "$name (mariadbd) exited during start-up"
    fi
    if [ $SECONDS -ge $deadline ]; then
      echo "--- tail of $T/$name/error.log ---" >&2
      tail -n 40 "$T/$name/error.log" >&2 2>/dev/null || true
      die "$name (mariadbd) did not answer ping within 60 s"
    fi
    sleep 0.2
  done
}

echo "Preparing two MariaDB instances in $T (primary 127.0.0.1:$P_PORT, replica 127.0.0.1:$R_PORT)..." >&2
init_instance primary
init_instance replica

# Semi-sync must be in the server (10.3+): the variables exist without INSTALL PLUGIN.
help=$(mariadbd --no-defaults --user=root --verbose --help 2>/dev/null || true)
for v in rpl-semi-sync-master-enabled rpl-semi-sync-master-wait-point rpl-semi-sync-slave-enabled; do
  grep -q -- "^$v " <<<"$help" || die "mariadbd has no $v option: semi-sync is not built in"
done
extra_primary=()
if grep -q -- '^rpl-semi-sync-master-wait-for-slave-count ' <<<"$help"; then
  extra_primary+=(--rpl-semi-sync-master-wait-for-slave-count=1)
fi

start_instance primary "$P_PORT" \
  --server-id=1 --log-bin="$T/primary/data/primary-bin" --binlog-format=ROW --sync-binlog=1 \
  --rpl-semi-sync-master-enabled=ON --rpl-semi-sync-master-wait-point=AFTER_SYNC \
  --rpl-semi-sync-master-timeout="$SEMI_TIMEOUT" "${extra_primary[@]}"
start_instance replica "$R_PORT" \
  --server-id=2 --relay-log="$T/replica/data/replica-relay-bin" \
  --sync-relay-log=1 --sync-relay-log-info=1 --sync-master-info=1 \
  --rpl-semi-sync-slave-enabled=ON --read-only=ON --skip-slave-start

# Users: created with sql_log_bin=0 so that nothing is replicated (nor waits for an ACK) before the
# replica is attached; everything after that goes through the binlog and the replica.
sql primary "SET SESSION sql_log_bin=0;
  CREATE USER 'repl'@'127.0.0.1' IDENTIFIED BY '$REPL_PW';
  GRANT REPLICATION SLAVE ON *.* TO 'repl'@'127.0.0.1';
  CREATE USER 'sbtest'@'127.0.0.1' IDENTIFIED BY '$SB_PW';
  GRANT ALL ON sbtest.* TO 'sbtest'@'127.0.0.1';"
sql replica "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=$P_PORT, MASTER_USER='repl',
  MASTER_PASSWORD='$REPL_PW', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1; START SLAVE;"

# Wait (up to 30 s) for the replica's IO and SQL threads and the primary's semi-sync client count.
deadline=$((SECONDS + 30))
while true; do
  io=$(slave_field Slave_IO_Running)
  sqlr=$(slave_field Slave_SQL_Running)
  clients=$(status_var primary Rpl_semi_sync_master_clients)
  mstatus=$(status_var primary Rpl_semi_sync_master_status)
  [ "$io" = Yes ] && [ "$sqlr" = Yes ] && [ "$clients" = 1 ] && [ "$mstatus" = ON ] && break
  if [ $SECONDS -ge $deadline ]; then
    timeout 60 mariadb --no-defaults --protocol=socket -S "$T/replica/sock" -u root -E -e "SHOW SLAVE STATUS" >&2 || true
    echo "--- tail of replica error.log ---" >&2; tail -n 20 "$T/replica/error.log" >&2 || true
    die "replication not ready in 30 s (io=$io sql=$sqlr semi_sync_clients=$clients semi_sync_status=$mstatus)"
  fi
  sleep 0.2
done
rstatus=$(status_var replica Rpl_semi_sync_slave_status)
[ "$rstatus" = ON ] || die "replica Rpl_semi_sync_slave_status=$rstatus (expected ON)"

# Replica lag in transactions: primary's gtid_binlog_pos seq_no minus replica's gtid_slave_pos seq_no
# (one domain, one server id, so the last seq_no is a transaction count).
seqno() { sed -n 's/.*-\([0-9][0-9]*\)$/\1/p' <<<"$1"; }
lag_tx() {
  local p r
  p=$(seqno "$(sql primary 'SELECT @@gtid_binlog_pos')")
  r=$(seqno "$(sql replica 'SELECT @@gtid_slave_pos')")
  echo $(( ${p:-0} - ${r:-0} ))
}
wait_caught_up() { # seconds
  local deadline=$((SECONDS + $1)) l
  while true; do
    l=$(lag_tx)
    [ "$l" -le 0 ] && return 0
    [ $SECONDS -ge $deadline ] && { echo "  replica still $l transactions behind after $1 s" >&2; return 1; }
    sleep 0.2
  done
}

SB=(sysbench oltp_insert --db-driver=mysql --mysql-host=127.0.0.1 --mysql-port="$P_PORT"
    --mysql-user=sbtest --mysql-password="$SB_PW" --mysql-db=sbtest
    --tables="$TABLES" --table-size="$ROWS")

# sb SECONDS LOG ARGS...: sysbench with a time limit, in the background and waited for, so that a
# TERM to this script is handled at once (bash defers traps while a foreground command runs).
SB_PID=""
sb() {
  local limit=$1 out=$2 rc=0; shift 2
  timeout "$limit" "${SB[@]}" "$@" >"$out" 2>&1 &
  SB_PID=$!
  wait "$SB_PID" || rc=$?
  SB_PID=""
  return "$rc"
}

sql primary "CREATE DATABASE sbtest"
echo "sysbench prepare: $TABLES tables x $ROWS rows (replicated, semi-sync)..." >&2
sb 180 "$T/prepare.log" --threads="$TABLES" prepare \
  || { tail -n 20 "$T/prepare.log" >&2; die "sysbench prepare failed"; }
wait_caught_up 60 || die "replica did not catch up after prepare"
n=$(sql replica "SELECT COUNT(*) FROM sbtest.sbtest1")
[ "$n" = "$ROWS" ] || die "replica has $n rows in sbtest.sbtest1, expected $ROWS"

max_threads=1
for th in $THREADS; do [ "$th" -gt "$max_threads" ] && max_threads=$th; done
if [ "$WARMUP_S" -gt 0 ]; then
  echo "warm-up: ${WARMUP_S} s at threads=$max_threads (not measured)..." >&2
  sb $((WARMUP_S + 60)) "$T/warmup.log" --threads="$max_threads" --time="$WARMUP_S" run \
    || { tail -n 20 "$T/warmup.log" >&2; die "sysbench warm-up failed"; }
  wait_caught_up 60 || true
fi

# --- header ----------------------------------------------------------------------------------
cpu=$(lscpu 2>/dev/null | awk -F': *' '/^Model name/ { print $2; exit }')
echo "# mariadb-semisync: sysbench oltp_insert (1 autocommit INSERT per transaction) on a MariaDB primary"
echo "#   with lossless semi-sync (AFTER_SYNC, timeout ${SEMI_TIMEOUT} ms) to 1 replica on the same machine;"
echo "#   primary sync_binlog=1 + innodb_flush_log_at_trx_commit=1, replica sync_relay_log=1 +"
echo "#   innodb_flush_log_at_trx_commit=1; client over TCP 127.0.0.1; ${TABLES} tables x ${ROWS} rows prepared;"
echo "#   ${TIME} s per run; latency in ms (avg, p50 from --histogram, p99 from --percentile=99);"
echo "#   yes_tx/no_tx are this run's semi-sync commits acknowledged / not acknowledged by the replica;"
echo "#   tx_avg_wait_us/net_avg_wait_us from this run's Rpl_semi_sync_master_{tx,net}_wait_time/_waits"
echo "#   (n/a: the server counts net waits but reports their time as 0); replica_lag_tx = transactions the"
echo "#   replica had not applied when the run ended; other_pct = CPU other processes took during the run."
echo "# server: $(mariadbd --version)"
echo "# sysbench: $(sysbench --version)"
echo "# primary: $(sql primary "SELECT CONCAT_WS(' ', CONCAT('server_id=', @@server_id), CONCAT('log_bin=', @@log_bin),
  CONCAT('binlog_format=', @@binlog_format), CONCAT('sync_binlog=', @@sync_binlog),
  CONCAT('innodb_flush_log_at_trx_commit=', @@innodb_flush_log_at_trx_commit),
  CONCAT('rpl_semi_sync_master_enabled=', @@rpl_semi_sync_master_enabled),
  CONCAT('wait_point=', @@rpl_semi_sync_master_wait_point), CONCAT('timeout_ms=', @@rpl_semi_sync_master_timeout),
  CONCAT('wait_no_slave=', @@rpl_semi_sync_master_wait_no_slave))")"
echo "# replica: $(sql replica "SELECT CONCAT_WS(' ', CONCAT('server_id=', @@server_id), CONCAT('sync_relay_log=', @@sync_relay_log),
  CONCAT('sync_relay_log_info=', @@sync_relay_log_info), CONCAT('sync_master_info=', @@sync_master_info),
  CONCAT('innodb_flush_log_at_trx_commit=', @@innodb_flush_log_at_trx_commit),
  CONCAT('rpl_semi_sync_slave_enabled=', @@rpl_semi_sync_slave_enabled), CONCAT('read_only=', @@read_only))") $(slave_field Using_Gtid | sed 's/^/using_gtid=/')"
echo "# machine: nproc=$(nproc) cpu=\"${cpu:-unknown}\" date=$(date -u +%Y-%m-%dT%H:%M:%SZ) tmp=$TMPBASE"

# --- runs ------------------------------------------------------------------------------------
counters() { # prints yes_tx no_tx tx_wait_time tx_waits net_wait_time net_waits
  sql primary "SHOW GLOBAL STATUS WHERE Variable_name IN ('Rpl_semi_sync_master_yes_tx',
    'Rpl_semi_sync_master_no_tx', 'Rpl_semi_sync_master_tx_wait_time', 'Rpl_semi_sync_master_tx_waits',
    'Rpl_semi_sync_master_net_wait_time', 'Rpl_semi_sync_master_net_waits')" |
    awk -F'\t' '{ v[$1] = $2 }
      END { print v["Rpl_semi_sync_master_yes_tx"] + 0, v["Rpl_semi_sync_master_no_tx"] + 0,
                  v["Rpl_semi_sync_master_tx_wait_time"] + 0, v["Rpl_semi_sync_master_tx_waits"] + 0,
                  v["Rpl_semi_sync_master_net_wait_time"] + 0, v["Rpl_semi_sync_master_net_waits"] + 0 }'
}

# CPU snapshot: machine busy and total jiffies (/proc/stat), and the jiffies of our own processes:
# both mariadbd (utime+stime) and the children this shell has waited for (cutime+cstime: sysbench).
cpu_snapshot() {
  local ours=0 p
  for p in "${PIDS[@]}" $$; do
    ours=$((ours + $(sed 's/^.*) //' "/proc/$p/stat" | awk -v self="$([ "$p" = $$ ] && echo 1 || echo 0)" \
      '{ print (self ? $14 + $15 : $12 + $13) }')))
  done
  awk -v ours="$ours" '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9, ours }' /proc/stat
}

warn=0
for th in $THREADS; do
  quiet
  read -r y0 n0 tw0 tn0 nw0 nn0 < <(counters)
  read -r mb0 mt0 o0 < <(cpu_snapshot)
  log="$T/run-t$th.log"
  if ! sb $((TIME + 120)) "$log" --threads="$th" --time="$TIME" --percentile=99 --histogram run; then
    tail -n 30 "$log" >&2
    die "sysbench run threads=$th failed"
  fi
  read -r mb1 mt1 o1 < <(cpu_snapshot)
  read -r y1 n1 tw1 tn1 nw1 nn1 < <(counters)
  other=$(( (mb1 - mb0 - (o1 - o0)) * 100 / (mt1 - mt0 > 0 ? mt1 - mt0 : 1) ))
  [ "$other" -ge 0 ] || other=0
  { echo "  threads=$th: primary's semi-sync status after the run:"
    sql primary "SHOW GLOBAL STATUS LIKE 'Rpl_semi_sync_master%'" | sed 's/^/    /'; } >&2
  st=$(status_var primary Rpl_semi_sync_master_status)
  cl=$(status_var primary Rpl_semi_sync_master_clients)
  lag=$(lag_tx)
  # sysbench's summary: "transactions: N (X per sec.)", "avg: X", "99th percentile: X", and the
  # histogram lines "value  |*** count" (value = bucket latency in ms); p50 = first bucket at which
  # the cumulative count reaches half of the total.
  read -r tps avg p99 p50 < <(awk '
    /transactions:/ { gsub(/\(/, "", $3); tps = $3 }
    /^ *avg:/ { avg = $2 }
    /99th percentile:/ { p99 = $3 }
    /^ *[0-9.]+ +\|/ { nb++; bv[nb] = $1; bc[nb] = $NF; tot += $NF }
    END {
      p50 = "n/a"; c = 0
      for (i = 1; i <= nb; i++) { c += bc[i]; if (c * 2 >= tot) { p50 = bv[i]; break } }
      print (tps == "" ? "n/a" : tps), (avg == "" ? "n/a" : avg), (p99 == "" ? "n/a" : p99), p50
    }' "$log")
  dy=$((y1 - y0)); dn=$((n1 - n0))
  note=""; [ "$other" -ge 10 ] && note=" (noisy run: other processes took ${other}% of the machine)"
  txw=$(awk -v a="$tw0" -v b="$tw1" -v c="$tn0" -v d="$tn1" 'BEGIN { printf "%.0f", (d > c ? (b - a) / (d - c) : 0) }')
  # 10.11 counts Rpl_semi_sync_master_net_waits but leaves _net_wait_time (and so _net_avg_wait_time)
  # at 0: print n/a rather than a 0 that would read as "no wait".
  netw=$(awk -v a="$nw0" -v b="$nw1" -v c="$nn0" -v d="$nn1" 'BEGIN { if (d > c && b > a) printf "%.0f", (b - a) / (d - c); else print "n/a" }')
  echo "mariadb-semisync threads=$th tps=$tps avg_ms=$avg p50_ms=$p50 p99_ms=$p99 yes_tx=$dy no_tx=$dn status=$st clients=$cl tx_avg_wait_us=$txw net_avg_wait_us=$netw replica_lag_tx=$lag other_pct=$other${note}"
  if [ "$dn" -ne 0 ] || [ "$st" != ON ] || [ "$cl" != 1 ]; then
    echo "WARNING: threads=$th: $dn transactions committed without the replica's ACK (no_tx), status=$st clients=$cl: not lossless semi-sync"
    warn=1
  fi
  if [ "$dy" -eq 0 ]; then
    echo "WARNING: threads=$th: no semi-sync acknowledged transactions (yes_tx=0)"
    warn=1
  fi
done

wait_caught_up 60 || echo "WARNING: replica did not catch up within 60 s after the last run"
[ "$warn" = 0 ] || exit 2
