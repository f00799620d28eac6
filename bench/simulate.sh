#!/usr/bin/env bash
# The seeded replication simulator (docs/ARCHITECTURE.md, "Simulation").
#   bash bench/simulate.sh --seeds N [--unsafe NAME] [--seed S] [--seconds T] [--first F]
# --seeds N: seeds 1..N (or F..F+N-1); --seed S: that one seed with its step-by-step trace; --seconds T: as many seeds
# as fit in T seconds, then seeds per second; --unsafe NAME: first-ack-without-drain, applied-position-outside-data,
# aftercommit-visibility-as-lossless or recovered-tail-visible. Ends with "N seeds, M violations"; exit status 1 when M > 0.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
project="$root/tools/ReplDash.Simulate/ReplDash.Simulate.csproj"
dotnet build "$project" -c Release -nologo -v quiet >/dev/null
exec dotnet "$root/tools/ReplDash.Simulate/bin/Release/net10.0/ReplDash.Simulate.dll" "$@"
