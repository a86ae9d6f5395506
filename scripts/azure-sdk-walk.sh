#!/usr/bin/env bash
# The Azure surface driven by a real client: the official Python SDK, azure-mgmt-reservations
# 3.0.0 (tools/.venv, made by scripts/setup.sh), walks the debug server on a fresh SQLite file
# (tests/azure_sdk/walk.py: list, get, $filter, PATCH, available scopes, calculate refund, return
# and the same session again, exchange, the order's payment plan ($expand=schedule), revisions,
# split (403 for a Sales agent), merge, archive and unarchive of the split source (400 for an
# active one), a trade-in for a compute savings plan and one of a SQL Database reservation for a
# 1-year savings plan for databases through the SDK's own models, a purchase (the catalog,
# calculatePrice, begin_purchase under the order ID it gives, the same PUT again),
# 401/403/404, api-version errors); then, on a server with --approval-threshold 0, a
# return and a purchase waiting for approval (tests/azure_sdk/approval_walk.py: the SDK's poller
# until approved).
# A few seconds.
# Needs target/debug/reservation-desk-server first (scripts/test.sh's native test build makes it; or `cargo build -p reservation-desk-server`).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
fail() { echo "azure-sdk-walk.sh: $*" >&2; exit 1; }

SERVER_BIN="${SERVER_BIN:-$ROOT/target/debug/reservation-desk-server}"
PYTHON="$ROOT/tools/.venv/bin/python"
[[ -x "$SERVER_BIN" ]] || fail "$SERVER_BIN is missing: cargo build -p reservation-desk-server"
"$PYTHON" -c 'import azure.mgmt.reservations' 2>/dev/null || fail "the Azure SDK is missing from tools/.venv: run bash scripts/setup.sh"

DIR="$(mktemp -d)"
SERVER=""
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$DIR"' EXIT
source "$ROOT/scripts/serve-for-tests.sh"  # start_server, wait_for_http
start_server "$SERVER_BIN" "sqlite://$DIR/walk.sqlite" "$DIR/server.log"
"$PYTHON" tests/azure_sdk/walk.py "http://127.0.0.1:$PORT" || { echo "the server's log:" >&2; tail -n 40 "$DIR/server.log" >&2; fail "the SDK walk failed"; }
kill "$SERVER"; wait "$SERVER" 2>/dev/null || true
# Maker and checker: a server whose every refund waits for approval; the SDK's poller
# waits on the 202's Location until another user approves (tests/azure_sdk/approval_walk.py).
start_server "$SERVER_BIN" "sqlite://$DIR/approval.sqlite" "$DIR/approval.log" --approval-threshold 0
"$PYTHON" tests/azure_sdk/approval_walk.py "http://127.0.0.1:$PORT" || { echo "the server's log:" >&2; tail -n 40 "$DIR/approval.log" >&2; fail "the SDK approval walk failed"; }
