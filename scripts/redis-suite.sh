#!/usr/bin/env bash
# Redis 7.0.15's own test suite (tcl), fetched and run the one way both users of it need: bench/redis-compat.sh
# (eleven files, ReplDash next to redis-server) and the test suite's short run (RedisOwnSuiteTests).
#
#   scripts/redis-suite.sh fetch              prints the folder holding Redis's source (runtest, tests/), fetching it
#                                             first when it is not cached yet
#   scripts/redis-suite.sh run PORT UNIT      runs the suite's file UNIT (unit/type/incr, ...) unmodified, in
#                                             external-server mode, against the server on 127.0.0.1:PORT; prints the
#                                             harness's output ([ok] / [err] / [exception] lines) and exits with its
#                                             status (0: every test passed; 124: the file did not finish in time)
#
# Fetch: Debian's source package of redis (see ../shared/STACK.md), through a deb-src list of the script's own
# (the URIs and suites of /etc/apt/sources.list.d/debian.sources; deb822, so the file must end in .sources) and
# apt state of its own (lists and cache), so the machine's apt configuration is neither needed nor changed.
# `apt-get source --download-only` needs no dpkg-dev; the orig tarball is unpacked with tar. The source is kept in
# REDIS_SUITE_CACHE (default ${XDG_CACHE_HOME:-~/.cache}/repldash/redis-suite), outside the repository, so later
# runs do not fetch again; concurrent fetches wait for each other (flock). Nothing of it is committed.
#
# Run: the flags are the ones docs/COMPATIBILITY.md explains:
#   --host 127.0.0.1 --port PORT --single UNIT --clients 1 --timeout 600 --durable --ignore-encoding
#   --tags "-needs:debug -needs:repl -needs:config-maxmemory -needs:save -needs:other-server"
# bounded by REDIS_SUITE_TIMEOUT seconds (default 900). Needs tclsh (Debian's tcl; scripts/test.sh and
# bench/redis-compat.sh install it when missing).
set -euo pipefail

REDIS_VERSION=7.0.15
CACHE=${REDIS_SUITE_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/repldash/redis-suite}
SOURCE_DIR="$CACHE/redis-$REDIS_VERSION"
TAGS="-needs:debug -needs:repl -needs:config-maxmemory -needs:save -needs:other-server"

usage() {
  echo "usage: $0 fetch | run PORT UNIT" >&2
  exit 2
}

# Downloads Debian's redis source package into $CACHE and unpacks the upstream tarball, unless already there.
fetch_source() {
  [ -x "$SOURCE_DIR/runtest" ] && return 0
  local apt_dir="$CACHE/apt" download="$CACHE/download" unpack
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$download"
  sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources >"$apt_dir/deb-src.sources"
  local opts=(-o "Dir::Etc::SourceList=$apt_dir/deb-src.sources" -o Dir::Etc::SourceParts=/dev/null
    -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache")
  echo "Fetching redis $REDIS_VERSION's source package into $CACHE..." >&2
  apt-get "${opts[@]}" update -q >&2
  # Bookworm's redis is 7.0.15 (with Debian's patches, which are not used): the orig tarball below is what runs.
  (cd "$download" && apt-get "${opts[@]}" source --download-only redis >&2)
  # Unpacked beside and moved in whole: a run never sees half a tree.
  unpack=$(mktemp -d "$CACHE/unpack.XXXXXX")
  tar -xzf "$download/redis_$REDIS_VERSION.orig.tar.gz" -C "$unpack"
  [ -x "$unpack/redis-$REDIS_VERSION/runtest" ] || { echo "no runtest in redis_$REDIS_VERSION.orig.tar.gz" >&2; exit 1; }
  mv "$unpack/redis-$REDIS_VERSION" "$SOURCE_DIR"
  rmdir "$unpack"
}

fetch() {
  mkdir -p "$CACHE"
  exec 9>"$CACHE/.lock"
  flock 9
  fetch_source
  flock -u 9
  echo "$SOURCE_DIR"
}

run() { # port unit
  local port=$1 unit=$2 source
  source=$(fetch)
  command -v tclsh >/dev/null || { echo "tclsh is missing: apt-get install tcl (scripts/test.sh does)" >&2; exit 1; }
  [ -f "$source/tests/$unit.tcl" ] || { echo "no such unit in Redis's suite: $unit" >&2; exit 2; }
  cd "$source"
  TERM=dumb exec timeout --kill-after=10 "${REDIS_SUITE_TIMEOUT:-900}" ./runtest --host 127.0.0.1 --port "$port" \
    --single "$unit" --clients 1 --timeout 600 --durable --ignore-encoding --tags "$TAGS"
}

case "${1:-}" in
  fetch) [ $# -eq 1 ] || usage; fetch ;;
  run) [ $# -eq 3 ] || usage; run "$2" "$3" ;;
  *) usage ;;
esac
