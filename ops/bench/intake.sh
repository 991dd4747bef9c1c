#!/usr/bin/env bash
# Benchmarks survey-intake in one run: (a) a bare Hummingbird handler answering 202 to a POST (the
# baseline), (b) POST /v1/responses of single valid responses through the real service (Tansu +
# PostgreSQL started as the tests do), both driven by wrk on loopback,
# (e) the same route with arrays of 100 responses beside the bare handler given the same bodies, and
# (c) topic ingest: N responses
# published to IRS's cx.feedback.submitted.v1.irs, then the time for the intake stream processor to consume, store
# and forward them all. Prints figures and the HTTP/bare ratio.
#   ops/bench/intake.sh [seconds-per-HTTP-case (10)] [topic-events (100000)]
# Environment: BENCH_CONNECTIONS (32), BENCH_THREADS (2) for wrk; BENCH_ROUNDS (3) runs of each case, medians
# reported (this shared 2-core machine varies by ±25% run to run); BENCH_CASES (http,batch,topic); BENCH_BATCH (500) for the stream
# processor's batch size; INTAKE_BENCH_BIN to use a prebuilt binary.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
command -v wrk >/dev/null 2>&1 || { echo "error: wrk not found; run ops/bootstrap" >&2; exit 1; }
if [[ -n "${INTAKE_BENCH_BIN:-}" ]]; then
    bin="$INTAKE_BENCH_BIN"
else
    swift build --package-path "$root" -c release --product IntakeBench >&2
    bin="$(swift build --package-path "$root" -c release --show-bin-path)/IntakeBench"
fi
export CIVIC_REPO_ROOT="$root"
export LD_LIBRARY_PATH="$root/.runtime/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
"$bin" "${1:-10}" "${2:-100000}"
