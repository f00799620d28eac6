#!/usr/bin/env bash
# The one test command (README, .ci/run): installs what the tests need when it is missing
# (redis-tools for redis-cli/redis-benchmark, Debian's Chromium for the browser tests, Node and npm for the
# SignalR hub tests, which run examples/hub-client with the npm @microsoft/signalr client, and the ioredis tests;
# tcl for the short run of Redis's own test suite, which scripts/redis-suite.sh fetches once through Debian's source
# packages into ~/.cache/repldash/redis-suite; apt-get source --download-only and tar need nothing more),
# builds the solution and runs every test project against real processes, sockets and files.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v redis-cli >/dev/null 2>&1 && command -v redis-benchmark >/dev/null 2>&1 || missing+=(redis-tools)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
command -v tclsh >/dev/null 2>&1 || missing+=(tcl)
# ip (iproute2): the protected-mode test runs redis-cli in a network namespace joined by a veth pair.
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${missing[@]}"
fi

dotnet build ReplDash.sln -nologo -v quiet
log="$(mktemp)"
status=0
# One test project at a time: on 2 cores, the process-level engine tests and the browser tests starve each
# other when run side by side (each project still runs its own test classes in parallel).
for project in tests/ReplDash.Engine.Core.Tests tests/ReplDash.Engine.Tests tests/ReplDash.Web.Tests; do
  dotnet test "$project" --no-build -nologo 2>&1 | tee -a "$log" || status=$?
done

# One closing line for CI: 'N passed, N failed' summed over the test assemblies.
passed=$(grep -Eo 'Passed: +[0-9]+,' "$log" | awk '{ sum += $2 } END { print sum + 0 }')
failed=$(grep -Eo 'Failed: +[0-9]+,' "$log" | awk '{ sum += $2 } END { print sum + 0 }')
rm -f "$log"
echo "Tests: ${passed:-0} passed, ${failed:-0} failed"
if [ "$status" -ne 0 ] || [ "${failed:-0}" -ne 0 ] || [ "${passed:-0}" -eq 0 ]; then
  exit 1
fi
