#!/usr/bin/env bash
# Benchmarks reporting against a real PostgreSQL (and a real Tansu broker for the service it starts):
# events/s through the real handler and store for 1M events, against COPY of the same events' JSON measured
# on the same batches in the same run; then GET /v1/reports latency (p50/p95/p99) per variant against
# GET /health and SELECT 1 round trips.
#   ops/bench/reporting.sh [events] [queries-per-variant]     (defaults: 1000000 and 200)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
swift build --package-path "$root" -c release --product ReportingBench >&2
bin="$(swift build --package-path "$root" -c release --show-bin-path)/ReportingBench"
export LD_LIBRARY_PATH="$root/.runtime/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export CIVIC_REPO_ROOT="$root"
"$bin" "${1:-1000000}" "${2:-200}"
