#!/usr/bin/env bash
# Azure mode's read of a partner's whole book (not part of the tests' pass/fail): 50, 200 and
# 500 customers over the stand-ins answering every request after 100 ms, with the desk's
# default settings; crates/server/benches/azure.rs prints the table recorded in
# docs/performance.md. AZURE_BENCH_LATENCY_MS and AZURE_BENCH_CUSTOMERS (e.g. 50,200) change
# the latency and the sizes. About 1 minute with a warm build.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"
cd "$ROOT"
cargo bench -q -p reservation-desk-server --bench azure
