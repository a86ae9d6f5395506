#!/usr/bin/env bash
# Prints the performance report (not part of the tests' pass/fail). Everything is measured in
# this run: release builds of the app and of a minimal Leptos counter, loads in headless
# Chromium from loopback, and the quote engine's native throughput.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/setup.sh"
cd "$ROOT"

RESERVATION_DESK_API=/api trunk build --release --offline
trunk build bench/counter/index.html --release --offline --dist target/bench-counter-dist
cargo build --release -p reservation-desk-server

WORK="$(mktemp -d)"
./target/release/reservation-desk-server --listen 127.0.0.1:3927 \
  --database "sqlite://$WORK/bench.sqlite" --static-dir dist >"$WORK/server.log" 2>&1 &
SERVER=$!
node tests/e2e/pages-server.mjs target/bench-counter-dist "" 3928 &
COUNTER=$!
trap 'kill $SERVER $COUNTER 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 50); do curl -sf -H "Authorization: Bearer demo-admin-agent" http://127.0.0.1:3927/api/customers >/dev/null && break; sleep 0.2; done

echo "## Performance report — $(date -u +%F), $(nproc) cores, $(uname -m)"
APP_URL=http://127.0.0.1:3927 COUNTER_URL=http://127.0.0.1:3928 node bench/report.mjs dist target/bench-counter-dist

echo
echo "| quote engine, native (criterion) | time per quote | quotes per second |"
echo "|---|---|---|"
cargo bench -q -p quote-engine --bench quotes -- --warm-up-time 1 --measurement-time 3 2>/dev/null \
  | awk '/^[a-z]/ {name=$0} /^ +time:/ && !seen[name]++ {t=$4" "$5} /^ +thrpt:/ && !done[name]++ {print "| " name " | " t " | " $4 " " $5 " |"}'
