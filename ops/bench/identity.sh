#!/usr/bin/env bash
# Benchmarks CivicIdentity on one core: RS256 and ES256 token verifications/s, pseudonyms/s and
# redactions/s, with the bare signature check (swift-crypto alone, no JWT parsing or claim checks)
# measured in the same run as the baseline each verification is compared with.
#   ops/bench/identity.sh [seconds-per-case]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
swift build --package-path "$root" -c release --product IdentityBench >&2
bin="$(swift build --package-path "$root" -c release --show-bin-path)/IdentityBench"
pin=()
command -v taskset >/dev/null 2>&1 && pin=(taskset -c "${BENCH_CPU:-0}")
"${pin[@]}" "$bin" "${1:-2}"
