#!/usr/bin/env bash
# Benchmarks reporting's streamed Touchpoints export (GET /v1/exports/touchpoints.csv and .ndjson) as users
# deploy it: the release build of the service against a durable PostgreSQL (BENCH_DURABLE=0 for the
# non-durable ceiling). Prints rows/s, CPU seconds of reporting, PostgreSQL and curl per download, and peak
# RSS against the idle service; the ceiling, measured in the same run, is `COPY (<the export's SELECT>) TO
# STDOUT` of the same rows through psql.
#   ops/bench/export.sh [rows ...]     (default: 200000 2000000)
# BENCH_BEFORE_BIN=<an earlier release build of reporting> runs it beside the current one on the same
# database, with after/before ratios at the end.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
for product in reporting ExportBench; do
    swift build --package-path "$root" -c release --product "$product" >&2
done
bin="$(swift build --package-path "$root" -c release --show-bin-path)"
export CIVIC_REPO_ROOT="$root" CIVIC_BIN_DIR="$bin"
export LD_LIBRARY_PATH="$root/.runtime/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
"$bin/ExportBench" "$@"
