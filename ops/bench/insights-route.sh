#!/usr/bin/env bash
# Benchmarks GET /v1/reports/themes and /drivers on the real reporting service over a real PostgreSQL, with a
# quarter of one agency's comments stored through the real handler (InsightsRouteBench; see its header).
#   ops/bench/insights-route.sh [comments] [steps]     (defaults: 1000000 and 2)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
swift build --package-path "$root" -c release --product InsightsRouteBench >&2
bin="$(swift build --package-path "$root" -c release --show-bin-path)/InsightsRouteBench"
export LD_LIBRARY_PATH="$root/.runtime/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export CIVIC_REPO_ROOT="$root"
"$bin" "${1:-1000000}" "${2:-2}"
