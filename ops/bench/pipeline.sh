#!/usr/bin/env bash
# Benchmarks the product as users run it: the four release services, Tansu and PostgreSQL together on this
# machine, first as deployed (durable PostgreSQL, TLS to the broker), then the ceiling (non-durable, plaintext),
# side by side at the end (BENCH_SETUPS=deployed or ceiling runs one). For each it publishes N realistic
# responses (distinct submitters and comments, one in 50 with a signed id_token bound to it, as identity-verify
# requires; the run stops if any is not verified) as fast as the producer goes, times each stage until it has stored all of them, and prints CPU per event per process from
# /proc; with the baselines measured in the same run: the producer alone, a plain consumer of the same
# messages, and COPY of the same bytes into PostgreSQL; then the latency at a fixed rate
# (BENCH_RATE events/s for BENCH_RATE_SECONDS, from the broker's acknowledgement to the row in reporting).
#   ops/bench/pipeline.sh [events (50000)]
# Environment: BENCH_BATCH (500) for the services' CIVIC_BATCH_SIZE; BENCH_RATE (1000) and BENCH_RATE_SECONDS (20),
# 0 to skip; BENCH_PG_STATEMENTS=1 with CIVIC_TEST_POSTGRES_OPTIONS='-c shared_preload_libraries=pg_stat_statements'
# for PostgreSQL's time per statement; any CIVIC_KAFKA_* or OTEL_* variable is passed to the services (an A/B of a
# setting; OTEL_EXPORTER_OTLP_ENDPOINT turns tracing on).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
"$root/ops/bootstrap" >&2
for product in survey-intake identity-verify sentiment-scorer reporting PipelineBench; do
    swift build --package-path "$root" -c release --product "$product" >&2
done
bin="$(swift build --package-path "$root" -c release --show-bin-path)"
export CIVIC_REPO_ROOT="$root" CIVIC_BIN_DIR="$bin"
export LD_LIBRARY_PATH="$root/.runtime/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
"$bin/PipelineBench" "${1:-50000}"
