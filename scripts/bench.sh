#!/usr/bin/env bash
# Prints the performance report (not part of the tests' pass/fail). Everything is measured in
# this run: release builds of the app (all five languages, and English only), of a minimal
# Leptos counter and of the browser benchmark page; loads in headless Chromium from loopback;
# the quote engine natively (criterion) and in the browser; the server under 64 clients.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/setup.sh"
cd "$ROOT"

# Prints wrk's requests per second from its output ($1), or fails: a figure that counts
# non-2xx/3xx answers (wrk's "Non-2xx or 3xx responses: N" line, printed only when N > 0) or
# no request at all is not the server's throughput.
wrk_figure() {
  local out=$1 total bad rps
  total="$(awk '/ requests in / {print $1}' <<<"$out")"
  bad="$(awk '/Non-2xx or 3xx responses:/ {print $NF}' <<<"$out")"
  rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
  if [[ -z "$total" || "$total" == 0 || -n "$bad" && "$bad" != 0 || -z "$rps" ]]; then
    echo "$out" >&2
    echo "| GET /api/customers/{customerId}/reservations under wrk | FAILED: ${bad:-0} of ${total:-0} answers were not 2xx/3xx |"
    echo "bench.sh: the wrk figure counts failed requests, so it is not reported" >&2
    exit 1
  fi
  echo "| GET /api/customers/{customerId}/reservations under wrk (2 threads, 64 connections, 5 s): requests per second | $rps (all $total answers 2xx) |"
}

RESERVATION_DESK_LOCALES=en RESERVATION_DESK_API=/api trunk build --release --offline --dist target/bench-english-dist
RESERVATION_DESK_API=/api trunk build --release --offline
trunk build bench/counter/index.html --release --offline --dist target/bench-counter-dist
trunk build bench/browser/index.html --release --offline --dist target/bench-browser-dist
# The GitHub Pages build (in-browser backend), for its bytes on the wire.
trunk build --release --offline --public-url /reservation-desk/ --dist target/bench-pages-dist
cargo build --profile server -p reservation-desk-server

WORK="$(mktemp -d)"
./target/server/reservation-desk-server --listen 127.0.0.1:3927 \
  --database "sqlite://$WORK/bench.sqlite" --static-dir dist >"$WORK/server.log" 2>&1 &
SERVER=$!
node tests/e2e/pages-server.mjs target/bench-counter-dist "" 3928 &
COUNTER=$!
node tests/e2e/pages-server.mjs target/bench-browser-dist "" 3929 &
BENCH=$!
trap 'kill $SERVER $COUNTER $BENCH 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 150); do curl -sf -o /dev/null http://127.0.0.1:3927/api/openapi.json && break; sleep 0.2; done
curl -sf -o /dev/null http://127.0.0.1:3927/api/openapi.json || { cat "$WORK/server.log" >&2; echo "bench.sh: the server on 127.0.0.1:3927 did not start" >&2; exit 1; }

echo "## Performance report — $(date -u +%F), $(nproc) cores, $(uname -m)"
APP_URL=http://127.0.0.1:3927 COUNTER_URL=http://127.0.0.1:3928 BENCH_URL=http://127.0.0.1:3929 \
  node bench/report.mjs dist target/bench-counter-dist target/bench-english-dist >"$WORK/report.md"
grep -v '^BROWSER_QUOTES_PER_SECOND=' "$WORK/report.md"
BROWSER_QPS="$(sed -n 's/^BROWSER_QUOTES_PER_SECOND=//p' "$WORK/report.md")"

# Bytes on the wire as Chromium receives them (cache off): the server build from the server,
# the Pages build with gzip as GitHub Pages sends it.
node bench/wire.mjs http://127.0.0.1:3927 target/bench-pages-dist /reservation-desk >"$WORK/wire.md"
grep -v '^WIRE_' "$WORK/wire.md"

# The engine natively: criterion's own JSON (target/criterion/**/new/estimates.json) of this run.
echo
BENCH_START_MS="$(date +%s%3N)"
cargo bench -q -p quote-engine --bench quotes -- --warm-up-time 1 --measurement-time 3 >"$WORK/criterion.log" 2>&1 \
  || { cat "$WORK/criterion.log" >&2; exit 1; }
node bench/criterion.mjs "${CARGO_TARGET_DIR:-$ROOT/target}/criterion" "$BENCH_START_MS" >"$WORK/native.md"
grep -v '^NATIVE_QPS_UPFRONT=' "$WORK/native.md"
NATIVE_QPS="$(sed -n 's/^NATIVE_QPS_UPFRONT=//p' "$WORK/native.md")"
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
WRK_URL="http://127.0.0.1:3927/api/customers/$CUSTOMER/reservations"
wrk_figure "$(wrk -t2 -c64 -d5s -H "Authorization: Bearer demo-admin-agent" "$WRK_URL")"
