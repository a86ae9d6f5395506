#!/usr/bin/env bash
# Runs the app for development: the API server on an embedded SQLite file (seeded demo data)
# and `trunk serve` with an /api proxy to it. Ctrl-C stops both.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/setup.sh"
cd "$ROOT"

cargo build -p reservation-desk-server
./target/debug/reservation-desk-server --listen 127.0.0.1:3000 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT

printf '\n\033[1mReservation Desk: open http://127.0.0.1:8080/ once trunk says it is serving.\033[0m\n\n'
RESERVATION_DESK_API=/api trunk serve --offline
