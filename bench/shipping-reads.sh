#!/usr/bin/env bash
# Does the master ship from memory? Starts m1+s1+s2 in one process from the given ReplDash.Web executable, sends 5,000
# warm-up SETs, then counts the process's read syscalls and bytes read (/proc/PID/io: syscr, rchar) across 20,000 SETs
# (redis-benchmark -c 50 -d 16). Shipping from the binlog files reads each item once per slave (about 2 x 87 B per SET).
#   bash bench/shipping-reads.sh <ReplDash.Web executable>
BIN=$1
dir=$(mktemp -d "${TMPDIR:-/tmp}/shipping-reads.XXXXXX")
fp() { while :; do p=$((20000 + RANDOM % 12000)); [ -z "$(ss -tanH "sport = :$p")" ] && { echo $p; return; }; done; }
port=$(fp); http=$(fp); repl=$(fp); s1=$(fp); s2=$(fp)
cat >"$dir/appsettings.json" <<JSON
{ "Logging": { "LogLevel": { "Default": "Warning" } },
  "ReplDash": { "Nodes": [ { "Id": "m1", "Role": "master", "RespPort": $port, "ReplicationPort": $repl },
    { "Id": "s1", "Role": "slave", "RespPort": $s1, "Master": "m1" }, { "Id": "s2", "Role": "slave", "RespPort": $s2, "Master": "m1" } ],
    "Replication": { "Secret": "x$RANDOM$RANDOM" }, "SemiSync": { "Enabled": false } } }
JSON
REPLDASH_CONTENT_ROOT=$dir ReplDash__DataDir=$dir/data ReplDash__BindAddress=127.0.0.1 ReplDash__Http__Port=$http "$BIN" >"$dir/node.log" 2>&1 &
pid=$!
for _ in $(seq 1200); do [ "$(redis-cli -p $s2 PING 2>/dev/null)" = PONG ] && break; sleep 0.1; done
redis-benchmark -p $port -c 50 -n 5000 -r 100000 -d 16 -t set -q >/dev/null 2>&1
sleep 2
r0=$(awk '/syscr/ {print $2}' /proc/$pid/io); b0=$(awk '/^rchar/ {print $2}' /proc/$pid/io)
redis-benchmark -p $port -c 50 -n 20000 -r 100000 -d 16 -t set -q >/dev/null 2>&1
sleep 2
r1=$(awk '/syscr/ {print $2}' /proc/$pid/io); b1=$(awk '/^rchar/ {print $2}' /proc/$pid/io)
echo "read syscalls: $((r1 - r0)), bytes read: $((b1 - b0)) for 20000 SETs; s1 keys $(redis-cli -p $s1 DBSIZE) m1 keys $(redis-cli -p $port DBSIZE)"
kill -TERM $pid; wait $pid; rm -rf "$dir"
