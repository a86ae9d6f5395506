#!/usr/bin/env bash
# Runs every test: native workspace tests, browser tests (wasm-bindgen-test in headless
# Chromium), then the end-to-end tests against the release build served by the real server.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/setup.sh"
cd "$ROOT"
step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

step "The quote engine pulls in no web, database or async-runtime crate"
if cargo tree -p quote-engine -e normal --prefix none | grep -E '^(web-sys|js-sys|wasm-bindgen|sqlx|tokio|axum|hyper|reqwest|gloo)'; then
  echo "quote-engine must stay pure: the crates above must not be among its dependencies" >&2
  exit 1
fi

step "Every locale has every English key (and the same {{ variables }})"
node scripts/check-locales.mjs

step "Lints (clippy, warnings are errors)"
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy -p reservation-desk --target wasm32-unknown-unknown --all-targets -- -D warnings

step "Native tests (engine, contract, service, server, SPA formatting)"
cargo test --workspace --exclude reservation-desk
cargo test -p reservation-desk --lib

export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
step "Browser tests (wasm-bindgen-test) in headless Chromium"
CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown -p reservation-desk
step "Browser tests (wasm-bindgen-test) in headless Firefox"
GECKODRIVER="$(command -v geckodriver)" cargo test --target wasm32-unknown-unknown -p reservation-desk

step "Release builds (trunk, wasm-opt): at the root for the server, under /reservation-desk/ as on GitHub Pages"
RESERVATION_DESK_API=/api trunk build --release --offline
trunk build --release --offline --public-url /reservation-desk/ --dist dist-pages   # in-browser backend

step "End-to-end tests (Playwright, Debian chromium): the release build on the real server, and the static build"
cargo build -p reservation-desk-server
E2E_DIR="$(mktemp -d)"
PORT=3917 PAGES_PORT=3918
./target/debug/reservation-desk-server --listen "127.0.0.1:$PORT" \
  --database "sqlite://$E2E_DIR/e2e.sqlite" --static-dir dist >"$E2E_DIR/server.log" 2>&1 &
SERVER=$!
node tests/e2e/pages-server.mjs dist-pages /reservation-desk "$PAGES_PORT" &
PAGES=$!
trap 'kill $SERVER $PAGES 2>/dev/null || true; rm -rf "$E2E_DIR"' EXIT
for _ in $(seq 1 50); do curl -sf -H "Authorization: Bearer demo-admin-agent" "http://127.0.0.1:$PORT/api/customers" >/dev/null && break; sleep 0.2; done
BASE_URL="http://127.0.0.1:$PORT" PAGES_URL="http://127.0.0.1:$PAGES_PORT/reservation-desk" \
  node --test tests/e2e/*.test.mjs
