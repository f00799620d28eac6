#!/usr/bin/env bash
# Replication throughput and lag: ReplDash master m1 with slaves s1, s2 (one process) against Debian's
# redis-server 7 master with two replicas, each next to its own single-node figure, in one run.
#
# Four setups are started once and kept running for the whole script:
#   repldash-1  ReplDash hosting only m1 (ReplDash:Node=m1; the slaves are configured but not running)
#   repldash-3  ReplDash hosting m1, s1, s2 in one process (SyncBinlog=1, SyncRelayLog=1)
#   redis-1     redis-server alone (appendonly yes, appendfsync always)
#   redis-3     redis-server master + 2 replicas (--replicaof, each appendonly yes, appendfsync always)
# Each master gets BENCH_WARMUP SETs first (not measured). Then, for -P 1 and -P 16, the four setups
# are measured one after the other with `redis-benchmark -t set -c 50 -r 100000 -d 16 --csv`
# (-n BENCH_N without pipelining, -n BENCH_NP with -P 16). During each run a small python3 sampler
# reads INFO replication from the master and both slaves at the same moment every 100 ms
# (lag = master_repl_offset - slave_repl_offset, in bytes; for ReplDash also in transactions from
# last_transaction_id m1:N). When redis-benchmark exits it polls every 10 ms until both slaves'
# offsets equal the master's and DEBUG DIGEST is equal on all three: that is the time to converge.
#
# Printed: ops/s, p50/p99 (ms, redis-benchmark's), the slaves' apply rate during the load (items/s;
# bytes/s in the log lines), lag p50/p99, converge ms, and the ratio replicated/single. Only loopback
# addresses are used; every run is bounded (-n, timeouts); about 10 minutes on 2 cores (3 rounds), more when the
# machine is busy: before each run the script waits up to BENCH_QUIET_WAIT=20 s for it to be quiet
# and reports the CPU other processes took during the run ("other %", "noisy run" when >= 10%).
# Replication is asynchronous here, as Redis's is (semi-sync off); bench/semisync.sh measures semi-sync.
# Results: docs/BENCHMARKS.md, "Replication throughput and lag".
#
# Knobs (environment):
#   BENCH_N=200000       requests per run without pipelining
#   BENCH_NP=1000000     requests per run with -P 16
#   BENCH_R=100000       key space (-r)
#   BENCH_C=50           clients (-c)
#   BENCH_D=16           value size in bytes (-d)
#   BENCH_ROUNDS=3       rounds: each round measures the four setups once, one after the other; the table
#                        shows each setup's median round (its ops/s and the figures of that run), and the
#                        ratio of the medians; every round's figures follow it
#   BENCH_WARMUP=200000  SETs sent to each master before the first measured run (ReplDash's tiered JIT is
#                        still compiling after 50000: 6% of a core in the first measured three-node run)
#   BENCH_CONVERGE_MAX=60  seconds to wait for convergence before reporting "no"
#   BENCH_BUILD=1        build src/ReplDash.Web (Release) first; 0 to use the existing binary
#   BENCH_BIN=...        the ReplDash.Web executable to measure (default: this tree's Release build; BENCH_BUILD=0 with it)
#   BENCH_TMP=/tmp       where the data directories go (same file system for all servers)
#   BENCH_QUIET_WAIT=20  seconds to wait for a quiet machine before each run
#   BENCH_SYNC_RELAY=1   ReplDash slaves' SyncRelayLog (1 = fsync the relay log before acknowledging;
#                        0 only to see what the relay-log fsync costs: not comparable with Redis then)
#   BENCH_ACK_COALESCE_MS=5  ReplDash slaves' AckCoalesceMs (0 = acknowledge every batch at once, as before
#                        2026-11-21 14:00 UTC)
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
WARMUP=${BENCH_WARMUP:-200000}
ROUNDS=${BENCH_ROUNDS:-3}
CONVERGE_MAX=${BENCH_CONVERGE_MAX:-60}
BUILD=${BENCH_BUILD:-1}
SYNC_RELAY=${BENCH_SYNC_RELAY:-1}
ACK_COALESCE_MS=${BENCH_ACK_COALESCE_MS:-5}
TMPBASE=${BENCH_TMP:-${TMPDIR:-/tmp}}
BIN="${BENCH_BIN:-$root/src/ReplDash.Web/bin/Release/net10.0/ReplDash.Web}"

# --- tools -----------------------------------------------------------------------------------
missing=()
command -v redis-benchmark >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1 || missing+=(redis-tools)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
apt_install "${missing[@]}"
build_release

# --- processes and clean-up ------------------------------------------------------------------
WORK=$(mktemp -d "$TMPBASE/bench-replication.XXXXXX")
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do
    kill -TERM "$p" 2>/dev/null || true
  done
  for p in "${pids[@]}"; do
    wait "$p" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- setups ----------------------------------------------------------------------------------
declare -A MASTER SLAVES SPIDS LOGS # setup -> master port / "port port" / "pid..." / log files

# One content root (REPLDASH_CONTENT_ROOT) per ReplDash process, with the cluster's appsettings.json:
# m1 master (RESP + replication listener), s1 and s2 slaves of m1. The repository's appsettings.json
# is not read, so its ports and node list do not matter.
start_repldash() { # setup hosted-nodes ("m1" or "")
  local setup=$1 hosted=$2 dir http m1 repl s1 s2 pid
  dir="$WORK/$setup"
  # The data directory is outside the content root: the host watches the content root for changes to
  # appsettings.json, and binlog writes below it would wake that watcher (".NET File Watch" thread).
  mkdir -p "$dir/root" "$dir/data"
  http=$(free_port); m1=$(free_port); repl=$(free_port); s1=$(free_port); s2=$(free_port)
  cat >"$dir/root/appsettings.json" <<JSON
{
  "Logging": { "LogLevel": { "Default": "Warning", "ReplDash": "Warning" } },
  "ReplDash": {
    "DataDir": "$dir/data",
    "BindAddress": "127.0.0.1",
    "Http": { "Port": $http },
    "Durability": { "SyncBinlog": 1, "SyncRelayLog": $SYNC_RELAY },
    "Nodes": [
      { "Id": "m1", "Role": "master", "RespPort": $m1, "ReplicationPort": $repl },
      { "Id": "s1", "Role": "slave", "RespPort": $s1, "Master": "m1" },
      { "Id": "s2", "Role": "slave", "RespPort": $s2, "Master": "m1" }
    ],
    "Replication": { "Secret": "bench-$RANDOM$RANDOM$RANDOM", "AckCoalesceMs": $ACK_COALESCE_MS },
    "SemiSync": { "Enabled": false }
  }
}
JSON
  local only=()
  [ -n "$hosted" ] && only=("ReplDash__Node=$hosted")
  env REPLDASH_CONTENT_ROOT="$dir/root" "${only[@]}" "$BIN" >"$dir/node.log" 2>&1 &
  pid=$!
  pids+=("$pid")
  SPIDS[$setup]=$pid
  LOGS[$setup]="$dir/node.log"
  MASTER[$setup]=$m1
  wait_ready "$m1" "$pid" "$setup m1" || { tail -20 "$dir/node.log" >&2; exit 1; }
  if [ -z "$hosted" ]; then
    SLAVES[$setup]="$s1 $s2"
    wait_ready "$s1" "$pid" "$setup s1" && wait_ready "$s2" "$pid" "$setup s2" &&
      wait_link_up "$s1" "$setup s1" && wait_link_up "$s2" "$setup s2" || { tail -20 "$dir/node.log" >&2; exit 1; }
  else
    SLAVES[$setup]=""
  fi
}

redis_one() { # dir port [replicaof-port]: starts redis-server in the background, sets RPID
  local dir=$1 port=$2 of=${3:-}
  mkdir -p "$dir"
  local extra=()
  [ -n "$of" ] && extra=(--replicaof 127.0.0.1 "$of")
  redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly yes --appendfsync always \
    --enable-debug-command local --dir "$dir" --daemonize no --logfile "$dir/redis.log" "${extra[@]}" \
    >/dev/null 2>&1 &
  RPID=$!
  pids+=("$RPID")
}

start_redis() { # setup replicas (0 or 2)
  local setup=$1 n=$2 m r1 r2 all
  m=$(free_port)
  redis_one "$WORK/$setup/master" "$m"; all=$RPID
  wait_ready "$m" "$RPID" "$setup master" || { tail -20 "$WORK/$setup/master/redis.log" >&2; exit 1; }
  MASTER[$setup]=$m
  LOGS[$setup]="$WORK/$setup/master/redis.log"
  SLAVES[$setup]=""
  if [ "$n" = 2 ]; then
    r1=$(free_port); r2=$(free_port)
    redis_one "$WORK/$setup/replica1" "$r1" "$m"; all="$all $RPID"
    wait_ready "$r1" "$RPID" "$setup replica1" || exit 1
    redis_one "$WORK/$setup/replica2" "$r2" "$m"; all="$all $RPID"
    wait_ready "$r2" "$RPID" "$setup replica2" || exit 1
    wait_link_up "$r1" "$setup replica1" && wait_link_up "$r2" "$setup replica2" || exit 1
    SLAVES[$setup]="$r1 $r2"
    LOGS[$setup]="$WORK/$setup/master/redis.log $WORK/$setup/replica1/redis.log $WORK/$setup/replica2/redis.log"
  fi
  SPIDS[$setup]=$all
}

# --- the sampler -----------------------------------------------------------------------------
# Runs redis-benchmark, samples the replication offsets every 100 ms while it runs, then measures the
# time to converge. Prints one line of key=value on stdout; redis-benchmark's CSV goes to a file.
cat >"$WORK/sampler.py" <<'PY'
import os, resource, socket, subprocess, sys, threading, time

args = dict(a.split("=", 1) for a in sys.argv[1:] if "=" in a and not a.startswith("--"))
bench = sys.argv[sys.argv.index("--") + 1:]
master = int(args["master"])
slaves = [int(p) for p in args.get("slaves", "").split()]
server_pids = [int(p) for p in args["pids"].split()]
n_requests = int(args["n"])
converge_max = float(args.get("converge_max", "60"))
csv_path = args["csv"]


class Conn:
    def __init__(self, port):
        self.s = socket.create_connection(("127.0.0.1", port), timeout=30)
        self.s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""

    def send(self, *words):
        out = b"*%d\r\n" % len(words)
        for w in words:
            w = w.encode()
            out += b"$%d\r\n%s\r\n" % (len(w), w)
        self.s.sendall(out)

    def _line(self):
        while b"\r\n" not in self.buf:
            chunk = self.s.recv(65536)
            if not chunk:
                raise EOFError("connection closed")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def reply(self):
        line = self._line()
        kind, rest = line[:1], line[1:]
        if kind == b"$":
            size = int(rest)
            if size < 0:
                return None
            while len(self.buf) < size + 2:
                chunk = self.s.recv(65536)
                if not chunk:
                    raise EOFError("connection closed")
                self.buf += chunk
            data, self.buf = self.buf[:size], self.buf[size + 2:]
            return data.decode()
        if kind == b"-":
            raise RuntimeError(rest.decode())
        return rest.decode()


def fields(text):
    return dict(l.split(":", 1) for l in text.split("\r\n") if ":" in l and not l.startswith("#"))


def txid(f):  # last_transaction_id m1:N -> N (ReplDash); Redis has none
    v = f.get("last_transaction_id", "")
    return int(v.rsplit(":", 1)[1]) if ":" in v and v.rsplit(":", 1)[1].isdigit() else None


conns = [Conn(master)] + [Conn(p) for p in slaves]


def poll():
    """INFO replication on all nodes at once: (time, master offset, [slave offsets], master tx, [slave tx], [link up])."""
    for c in conns:
        c.send("INFO", "replication")
    infos = [fields(c.reply()) for c in conns]
    t = time.monotonic()
    mo = int(infos[0]["master_repl_offset"])
    so = [int(i["slave_repl_offset"]) for i in infos[1:]]
    up = [i.get("master_link_status") == "up" for i in infos[1:]]
    return t, mo, so, txid(infos[0]), [txid(i) for i in infos[1:]], up


def digests():
    for c in conns:
        c.send("DEBUG", "DIGEST")
    return [c.reply() for c in conns]


def converge(deadline_s):
    """Polls every 10 ms until all offsets equal the master's and the digests agree. Returns (time, digest mismatches seen)."""
    mismatches = 0
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        t, mo, so, _, _, _ = poll()
        if all(o == mo for o in so):
            d = digests()
            if len(set(d)) == 1:
                return t, mismatches
            mismatches += 1
        time.sleep(0.01)
    return None, mismatches


def machine_busy():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return v[0] + v[1] + v[2] + v[5] + v[6] + v[7]


def proc_ticks(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            v = f.read().rsplit(")", 1)[1].split()
        return int(v[11]) + int(v[12])
    except OSError:
        return 0


def thread_ticks(pids):
    """CPU ticks per thread name (digits dropped) of the server processes."""
    out = {}
    for pid in pids:
        try:
            tids = os.listdir("/proc/%d/task" % pid)
        except OSError:
            continue
        for tid in tids:
            try:
                with open("/proc/%d/task/%s/stat" % (pid, tid)) as f:
                    head, rest = f.read().rsplit(")", 1)
                name = "".join(ch for ch in head.split("(", 1)[1] if not ch.isdigit()).strip().replace(" ", "_") or "?"
                v = rest.split()
                out[name] = out.get(name, 0) + int(v[11]) + int(v[12])
            except (OSError, IndexError, ValueError):
                pass
    return out


def pct(samples, q):  # nearest rank
    if not samples:
        return None
    s = sorted(samples)
    return s[max(0, min(len(s) - 1, -(-len(s) * q // 100) - 1))]


# Start from a converged state (the previous run's tail, warm-up).
if slaves:
    t_pre, mism_pre = converge(converge_max)
    if t_pre is None:
        print("status=not-converged-before-run", flush=True)
        sys.exit(2)

tick = os.sysconf("SC_CLK_TCK")
cores = os.cpu_count()
m0 = machine_busy()
s0 = sum(proc_ticks(p) for p in server_pids)
th0 = thread_ticks(server_pids)
c0 = resource.getrusage(resource.RUSAGE_CHILDREN)
me0 = resource.getrusage(resource.RUSAGE_SELF)

samples = []
first = poll() if slaves else None
done = threading.Event()
exit_time = [None]
with open(csv_path, "w") as out:
    t_start = time.monotonic()
    proc = subprocess.Popen(bench, stdout=out, stderr=subprocess.STDOUT)

    def waiter():
        proc.wait()
        exit_time[0] = time.monotonic()
        done.set()

    threading.Thread(target=waiter, daemon=True).start()
    next_t = t_start
    while not done.is_set():
        if slaves:
            samples.append(poll())
        next_t += 0.1
        done.wait(max(0.0, next_t - time.monotonic()))
t_exit = exit_time[0]
wall = t_exit - t_start

m1 = machine_busy()
s1 = sum(proc_ticks(p) for p in server_pids)
th1 = thread_ticks(server_pids)
c1 = resource.getrusage(resource.RUSAGE_CHILDREN)
me1 = resource.getrusage(resource.RUSAGE_SELF)
cli = (c1.ru_utime + c1.ru_stime) - (c0.ru_utime + c0.ru_stime)
smp = (me1.ru_utime + me1.ru_stime) - (me0.ru_utime + me0.ru_stime)
srv = (s1 - s0) / tick
other = ((m1 - m0) / tick - srv - cli - smp) / (wall * cores)

res = {"status": "ok" if proc.returncode == 0 else "benchmark-exit-%d" % proc.returncode,
       "wall": "%.2f" % wall, "srv_pct": "%.0f" % (100 * srv / wall), "cli_pct": "%.0f" % (100 * cli / wall),
       "sampler_pct": "%.0f" % (100 * smp / wall), "other_pct": "%.0f" % max(0, 100 * other)}
# Server CPU by thread name (% of one core), largest first: where the server's time goes.
th = sorted(((th1.get(k, 0) - th0.get(k, 0), k) for k in th1), reverse=True)
res["threads"] = ",".join("%s:%.0f" % (k, 100 * t / tick / wall) for t, k in th[:6] if t > 0) or "-"

if slaves:
    end = poll()  # right after the exit: the end of the load window
    t_conv, mism = converge(converge_max)
    res["converge_ms"] = "%.0f" % ((t_conv - t_exit) * 1000) if t_conv is not None else "no"
    res["digest_mismatch_polls"] = mism
    res["samples"] = len(samples)
    res["links_down_samples"] = sum(1 for s in samples + [end] for u in s[5] if not u)
    # Only samples taken once the load had started (master offset moved).
    during = [s for s in samples if s[1] > first[1]]
    lag_b = [max(0, s[1] - o) for s in during for o in s[2]]
    dt = end[0] - first[0]
    mbytes = end[1] - first[1]
    bytes_per_item = mbytes / n_requests if n_requests else 0
    res["bytes_per_item"] = "%.1f" % bytes_per_item
    res["master_bytes_s"] = "%.0f" % (mbytes / dt)
    res["slave_bytes_s"] = ",".join("%.0f" % ((end[2][i] - first[2][i]) / dt) for i in range(len(slaves)))
    if first[3] is not None and all(x is not None for x in first[4]):
        lag_i = [max(0, s[3] - x) for s in during for x in s[4]]
        rates = [(end[4][i] - first[4][i]) / dt for i in range(len(slaves))]
        res["items_source"] = "txid"
    else:
        lag_i = [l / bytes_per_item for l in lag_b] if bytes_per_item else []
        rates = [(end[2][i] - first[2][i]) / bytes_per_item / dt for i in range(len(slaves))] if bytes_per_item else []
        res["items_source"] = "bytes"
    res["slave_items_s"] = ",".join("%.0f" % r for r in rates)
    res["slave_items_s_min"] = "%.0f" % min(rates) if rates else "-"
    res["lag_b_p50"], res["lag_b_p99"], res["lag_b_max"] = (pct(lag_b, 50), pct(lag_b, 99), max(lag_b) if lag_b else None)
    res["lag_i_p50"], res["lag_i_p99"] = ["%.0f" % x if x is not None else "-" for x in (pct(lag_i, 50), pct(lag_i, 99))]
    # Lag left behind when the load stopped.
    res["lag_b_at_exit"] = max(end[1] - o for o in end[2])
print(" ".join("%s=%s" % (k, "-" if v is None else v) for k, v in res.items()), flush=True)
PY

# --- measuring -------------------------------------------------------------------------------
declare -A RES # "setup|P" -> "key=value ..." (sampler) + rps p50 p99

get() { # "k=v ..." key
  local kv
  for kv in $1; do
    [ "${kv%%=*}" = "$2" ] && { echo "${kv#*=}"; return 0; }
  done
  echo "-"
}

bench() { # setup pipeline n
  local setup=$1 pipeline=$2 n=$3 line csv rps p50 p99
  csv="$WORK/bench-$setup-$pipeline.csv"
  line=$(python3 "$WORK/sampler.py" master="${MASTER[$setup]}" slaves="${SLAVES[$setup]}" \
    pids="${SPIDS[$setup]}" n="$n" converge_max="$CONVERGE_MAX" csv="$csv" -- \
    timeout 300 redis-benchmark -h 127.0.0.1 -p "${MASTER[$setup]}" -c "$C" -n "$n" -r "$R" -d "$D" \
    -P "$pipeline" -t set --csv) || true
  read -r rps p50 p99 < <(tr -d '"' <"$csv" | awk -F, '
    NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    NF > 1 && $col["test"] == "SET" { print $col["rps"], $col["p50_latency_ms"], $col["p99_latency_ms"] }')
  RES["$setup|$pipeline"]="$line rps=${rps:--} p50=${p50:--} p99=${p99:--}"
  printf '  %-10s -P %-2s %10s ops/s  p50 %6s  p99 %6s ms  %s\n' "$setup" "$pipeline" "${rps:--}" "${p50:--}" "${p99:--}" "$line" >&2
  case "$(get "$line" status)" in ok) ;; *) echo "  !! $setup -P $pipeline: $(get "$line" status)" >&2 ;; esac
}



# --- header ----------------------------------------------------------------------------------
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
fs=$(df -PT "$TMPBASE" | awk 'NR == 2 { print $2 " on " $1 }')
echo "# Replication: ReplDash m1 + s1, s2 vs redis-server master + 2 replicas"
echo "date:    $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "machine: $(nproc) cores, ${cpu:-unknown CPU}, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
echo "kernel:  $(uname -sr)"
echo "disk:    $TMPBASE is $fs"
echo "redis:   $(redis-server --version | awk '{ print $3 }') ($(redis-benchmark --version))"
echo "dotnet:  $(dotnet --version 2>/dev/null || echo '?')"
echo "load:    SET -c $C, -n $N (no pipelining) / -n $NP (-P 16), -r $R, -d $D, warm-up $WARMUP SETs"
echo "durable: ReplDash SyncBinlog=1, SyncRelayLog=$SYNC_RELAY, AckCoalesceMs=$ACK_COALESCE_MS; Redis appendonly yes, appendfsync always (master and replicas)"
echo

# --- runs ------------------------------------------------------------------------------------
SETUPS=(repldash-1 repldash-3 redis-1 redis-3)
echo "Starting the four setups..." >&2
start_repldash repldash-1 m1
start_repldash repldash-3 ""
start_redis redis-1 0
start_redis redis-3 2
for s in "${SETUPS[@]}"; do
  warmup "${MASTER[$s]}"
done

# One run of a setup varies by up to 10-15% from the next (docs/BENCHMARKS.md, "What bounds the ratio"):
# rounds interleave the setups, so a slow spell of the machine hits all four alike, and the median is kept.
for pipeline in 1 16; do
  n=$N
  [ "$pipeline" = 1 ] || n=$NP
  for round in $(seq 1 "$ROUNDS"); do
    echo "-P $pipeline, -n $n, round $round of $ROUNDS:" >&2
    for s in "${SETUPS[@]}"; do
      quiet
      bench "$s" "$pipeline" "$n"
      RES["$s|$pipeline|$round"]=${RES["$s|$pipeline"]}
    done
  done
  # Each setup's median round (by ops/s) stands for it in the table.
  for s in "${SETUPS[@]}"; do
    median=$(for round in $(seq 1 "$ROUNDS"); do echo "$(get "${RES["$s|$pipeline|$round"]}" rps) $round"; done |
      sort -g | awk -v k=$(( (ROUNDS + 1) / 2 )) 'NR == k { print $2 }')
    RES["$s|$pipeline"]=${RES["$s|$pipeline|$median"]}
  done
done

# Anything the servers logged at warning level or above during the runs (link drops, slow applies).
for s in repldash-1 repldash-3; do
  if grep -qiE 'warn|fail|error|down' ${LOGS[$s]} 2>/dev/null; then
    echo "$s log (warnings):" >&2
    grep -iE 'warn|fail|error|down' ${LOGS[$s]} | head -20 >&2
  fi
done

# --- table -----------------------------------------------------------------------------------
row() { # setup pipeline single-setup
  local r=${RES["$1|$2"]:-} base=${RES["$3|$2"]:-} rps ratio="" note="" conv lagb lagi apply other
  rps=$(get "$r" rps)
  if [ "$1" != "$3" ]; then
    ratio=$(awk -v a="$rps" -v b="$(get "$base" rps)" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2f", a / b; else print "-" }')
  fi
  conv=$(get "$r" converge_ms)
  lagb="$(get "$r" lag_b_p50) / $(get "$r" lag_b_p99)"
  lagi="$(get "$r" lag_i_p50) / $(get "$r" lag_i_p99)"
  apply=$(get "$r" slave_items_s_min)
  if [ -z "${SLAVES[$1]}" ]; then lagb="-"; lagi="-"; conv="-"; apply="-"; fi
  case "$1" in
    repldash-3)
      note=$(awk -v r="$ratio" -v c="$conv" 'BEGIN {
        a = (r == "-") ? "?" : (r + 0 >= 0.8 ? ">=0.8 ok" : "<0.8 MISSED")
        b = (c == "no" || c == "-") ? "NOT CONVERGED" : (c + 0 < 1000 ? "<1s ok" : ">=1s MISSED")
        print a ", " b }') ;;
  esac
  other=$(get "$r" other_pct)
  [ "$other" != - ] && [ "$other" -ge 10 ] && note="${note:+$note, }noisy run"
  printf '| %-10s | %2s | %10s | %6s | %7s | %10s | %17s | %13s | %8s | %5s | %-30s | %5s |\n' \
    "$1" "$2" "$rps" "$(get "$r" p50)" "$(get "$r" p99)" "$apply" "$lagb" "$lagi" "$conv" "$ratio" "$note" "$other"
}

echo "ops/s, p50, p99 (ms): redis-benchmark on the master. apply/s: the slower slave's applied items per second"
echo "while the load ran (ReplDash: last_transaction_id; Redis: replica offset / bytes per SET). lag: master"
echo "offset - slave offset, both slaves' 100 ms samples pooled, p50 / p99, in bytes and in items (SETs)."
echo "converge: ms from redis-benchmark's exit until both slaves' offsets equal the master's and DEBUG DIGEST"
echo "agrees on all three. ratio: ops/s with two slaves / ops/s of the single node (same -P)."
echo "Each row is the setup's median of $ROUNDS rounds (by ops/s); the rounds follow the table."
echo "other %: CPU of other processes during the run, in % of the machine ('noisy run' when >= 10%)."
echo
printf '| %-10s | %2s | %10s | %6s | %7s | %10s | %17s | %13s | %8s | %5s | %-30s | %5s |\n' \
  setup P ops/s p50 p99 apply/s "lag bytes p50/p99" "lag items" converge ratio target "other"
echo "|------------|---:|-----------:|-------:|--------:|-----------:|------------------:|--------------:|---------:|------:|--------------------------------|------:|"
for pipeline in 1 16; do
  row repldash-1 "$pipeline" repldash-1
  row repldash-3 "$pipeline" repldash-1
  row redis-1 "$pipeline" redis-1
  row redis-3 "$pipeline" redis-1
done
echo
echo "Rounds (ops/s; ratio of the same round):"
echo
echo "| P | round | repldash-1 | repldash-3 | ratio | redis-1 | redis-3 | ratio |"
echo "|--:|------:|-----------:|-----------:|------:|--------:|--------:|------:|"
for pipeline in 1 16; do
  for round in $(seq 1 "$ROUNDS"); do
    declare -A ops=()
    for s in "${SETUPS[@]}"; do ops[$s]=$(get "${RES["$s|$pipeline|$round"]:-}" rps); done
    awk -v p="$pipeline" -v k="$round" -v a="${ops[repldash-1]}" -v b="${ops[repldash-3]}" -v c="${ops[redis-1]}" -v d="${ops[redis-3]}" '
      function ratio(x, y) { return (x + 0 > 0 && y + 0 > 0) ? sprintf("%.2f", x / y) : "-" }
      BEGIN { printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", p, k, a, b, ratio(b, a), c, d, ratio(d, c) }'
  done
done
echo
echo "Details (bytes/s applied per slave, bytes per SET in the replication stream, lag when the load stopped,"
echo "samples, samples with a link down, digest mismatches seen while converging, server/client CPU %, server"
echo "CPU by thread name in % of one core):"
for pipeline in 1 16; do
  for s in "${SETUPS[@]}"; do
    r=${RES["$s|$pipeline"]:-}
    printf '  %-10s -P %-2s master %s B/s, slaves %s B/s (%s items/s), %s B/SET, lag at exit %s B, max %s B, %s samples, %s link-down, %s digest mismatches; server %s%%, client %s%%, sampler %s%% cpu; threads %s\n' \
      "$s" "$pipeline" "$(get "$r" master_bytes_s)" "$(get "$r" slave_bytes_s)" "$(get "$r" slave_items_s)" \
      "$(get "$r" bytes_per_item)" "$(get "$r" lag_b_at_exit)" "$(get "$r" lag_b_max)" "$(get "$r" samples)" \
      "$(get "$r" links_down_samples)" "$(get "$r" digest_mismatch_polls)" "$(get "$r" srv_pct)" "$(get "$r" cli_pct)" \
      "$(get "$r" sampler_pct)" "$(get "$r" threads)"
  done
done
