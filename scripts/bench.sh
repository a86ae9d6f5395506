#!/usr/bin/env bash
# Prints the performance report (not part of the tests' pass/fail). Everything is measured in
# this run: release builds of the app (all five languages, and English only), of a minimal
# Leptos counter and of the browser benchmark page; loads in headless Chromium from loopback;
# the quote engine natively (criterion) and in the browser; the server under 64 clients.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/setup.sh"
cd "$ROOT"

RESERVATION_DESK_LOCALES=en RESERVATION_DESK_API=/api trunk build --release --offline --dist target/bench-english-dist
RESERVATION_DESK_API=/api trunk build --release --offline
trunk build bench/counter/index.html --release --offline --dist target/bench-counter-dist
trunk build bench/browser/index.html --release --offline --dist target/bench-browser-dist
cargo build --release -p reservation-desk-server

WORK="$(mktemp -d)"
./target/release/reservation-desk-server --listen 127.0.0.1:3927 \
  --database "sqlite://$WORK/bench.sqlite" --static-dir dist >"$WORK/server.log" 2>&1 &
SERVER=$!
node tests/e2e/pages-server.mjs target/bench-counter-dist "" 3928 &
COUNTER=$!
node tests/e2e/pages-server.mjs target/bench-browser-dist "" 3929 &
BENCH=$!
trap 'kill $SERVER $COUNTER $BENCH 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 50); do curl -sf -H "Authorization: Bearer demo-admin-agent" http://127.0.0.1:3927/api/customers >/dev/null && break; sleep 0.2; done

echo "## Performance report — $(date -u +%F), $(nproc) cores, $(uname -m)"
APP_URL=http://127.0.0.1:3927 COUNTER_URL=http://127.0.0.1:3928 BENCH_URL=http://127.0.0.1:3929 \
  node bench/report.mjs dist target/bench-counter-dist target/bench-english-dist >"$WORK/report.md"
grep -v '^BROWSER_QUOTES_PER_SECOND=' "$WORK/report.md"
BROWSER_QPS="$(sed -n 's/^BROWSER_QUOTES_PER_SECOND=//p' "$WORK/report.md")"

echo
echo "| quote engine, native (criterion) | time per quote | quotes per second |"
echo "|---|---|---|"
cargo bench -q -p quote-engine --bench quotes -- --warm-up-time 1 --measurement-time 3 2>/dev/null \
  | awk '/^[a-z]/ {name=$0} /^ +time:/ && !seen[name]++ {t=$4" "$5} /^ +thrpt:/ && !done[name]++ {print "| " name " | " t " | " $4 " " $5 " |"}' \
  | tee "$WORK/native.md"
# criterion prints e.g. "thrpt: [...] 312.45 Kelem/s ..."; the middle estimate, in quotes/s.
NATIVE_QPS="$(awk -F'|' '/partner-center-2020\/upfront/ {split($4, a, " "); n=a[1]; u=a[2]; m=(u ~ /^M/) ? 1e6 : (u ~ /^K/) ? 1e3 : 1; printf "%d", n*m}' "$WORK/native.md")"
if [[ -n "$BROWSER_QPS" && -n "$NATIVE_QPS" && "$NATIVE_QPS" != 0 ]]; then
  echo
  echo "| refund quotes per second | native | browser | browser / native |"
  echo "|---|---|---|---|"
  awk -v b="$BROWSER_QPS" -v n="$NATIVE_QPS" 'BEGIN { printf "| partner-center-2020/upfront | %d | %d | %.0f %% |\n", n, b, 100 * b / n }'
fi

node bench/load.mjs http://127.0.0.1:3927

# The same list under wrk (C, from Debian): the Node client above shares the 2 cores with the
# server and saturates first, so this is the server's own figure.
command -v wrk >/dev/null || { [ "$(id -u)" = 0 ] && apt-get install -y -q wrk >/dev/null || sudo apt-get install -y -q wrk >/dev/null; }
CUSTOMER="$(curl -sf -H "Authorization: Bearer demo-admin-agent" http://127.0.0.1:3927/api/customers | node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => console.log(JSON.parse(s)[0].id))')"
WRK_RPS="$(wrk -t2 -c64 -d5s -H "Authorization: Bearer demo-admin-agent" "http://127.0.0.1:3927/api/customers/$CUSTOMER/reservations" | awk '/Requests\/sec/ {print $2}')"
echo "| GET /api/customers/{customerId}/reservations under wrk (2 threads, 64 connections, 5 s): requests per second | $WRK_RPS |"
