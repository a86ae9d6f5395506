#!/usr/bin/env bash
# Fuzzes the HTTP contract with schemathesis (tools/.venv, made by scripts/setup.sh): the debug
# server on a fresh SQLite file, its generated /api/openapi.json, every operation, once signed in
# as an Admin agent and once as a Sales agent. Fails on any finding of the checks below (about
# 2½ minutes on two busy cores).
# Needs `cargo build -p reservation-desk-server` first (scripts/test.sh does it).
# FUZZ_MAX_EXAMPLES (default 100) bounds the generated cases per operation and phase.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
fail() { echo "fuzz-api.sh: $*" >&2; exit 1; }

SERVER_BIN="${SERVER_BIN:-$ROOT/target/debug/reservation-desk-server}"
SCHEMATHESIS="$ROOT/tools/.venv/bin/schemathesis"
# The four the contract promises (no 5xx; only documented statuses, media types and bodies),
# and what else holds: a 405 with Allow for an undeclared method, 4xx for schema-invalid data or
# a missing required header, 401 without the token, 404 after a delete. Not
# positive_data_acceptance: the server refuses (400) schema-valid requests the schema cannot
# describe (a quantity above the reservation's, an amount with more decimals than its currency).
CHECKS="${FUZZ_CHECKS:-not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,unsupported_method,negative_data_rejection,missing_required_header,ignored_auth,use_after_free,ensure_resource_availability}"
[[ -x "$SERVER_BIN" ]] || fail "$SERVER_BIN is missing: cargo build -p reservation-desk-server"
[[ -x "$SCHEMATHESIS" ]] || fail "$SCHEMATHESIS is missing: source scripts/setup.sh"

DIR="$(mktemp -d)"
SERVER=""
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$DIR"' EXIT
source "$ROOT/scripts/serve-for-tests.sh"  # start_server, wait_for_http
start_server "$SERVER_BIN" "sqlite://$DIR/fuzz.sqlite" "$DIR/server.log"
URL="http://127.0.0.1:$PORT/api/openapi.json"

# Known IDs from the seeded database, offered to schemathesis as dictionaries: most generated
# path parameters and ID fields take one of them (the rest stay random), so the requests reach
# the operations' logic instead of stopping at a 404. A few active reservations only, so that a
# generated (orderId, reservationId) pair often belongs together.
"$ROOT/tools/.venv/bin/python" - "http://127.0.0.1:$PORT" >"$DIR/schemathesis.toml" <<'PY'
import json, sys, urllib.request

base = sys.argv[1]
def get(path):
    request = urllib.request.Request(base + path, headers={"Authorization": "Bearer demo-admin-agent"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.load(answer)

customers = sorted(c["id"] for c in get("/api/customers"))
active = sorted(
    (r for c in customers for r in get(f"/api/customers/{c}/reservations") if r["provisioningState"] == "Succeeded"),
    key=lambda r: r["id"],
)[:3]
if not customers or not active:
    sys.exit("the seeded database has no customer or no active reservation")
dictionaries = {
    "customers": customers,
    "orders": [r["reservationOrderId"] for r in active],
    "reservations": [r["id"] for r in active],
}
bindings = {
    "path.customerId": "customers", "query.customerId": "customers",
    "path.orderId": "orders", "body.reservationOrderId": "orders",
    "path.reservationId": "reservations", "body.reservationId": "reservations",
    "body.reservationsToExchange[*].reservationId": "reservations",
}
for name, values in dictionaries.items():
    print(f"[dictionaries.{name}]\nvalues = {json.dumps(values)}\n")
print("[parameters]")
for key, name in bindings.items():
    print(f'"{key}" = {{ dictionary = "{name}", probability = 0.8 }}')
PY

# One run per role. The seed makes a failure reproducible; the examples database is off and the
# cache lives in $DIR, so nothing of one run leaks into the next (or into the working tree).
fuzz() {
  local role=$1 token=$2 log="$DIR/$1.log" started
  started=$SECONDS
  printf '\n--- schemathesis as %s (Bearer %s) ---\n' "$role" "$token"
  # Run in $DIR: schemathesis keeps a cache of what it found in .schemathesis/ of its folder.
  if ! (cd "$DIR" && "$SCHEMATHESIS" --config-file "$DIR/schemathesis.toml" run "$URL" \
      --checks "$CHECKS" \
      --header "Authorization: Bearer $token" \
      --max-examples "${FUZZ_MAX_EXAMPLES:-100}" \
      --seed "${FUZZ_SEED:-17}" \
      --workers 2 \
      --request-timeout 10 \
      --generation-database none \
      --no-color) 2>&1 | tee "$log"; then
    echo "--- the server's log ---" >&2; tail -n 50 "$DIR/server.log" >&2
    fail "schemathesis found problems as $role (see above)"
  fi
  kill -0 "$SERVER" 2>/dev/null || { cat "$DIR/server.log" >&2; fail "the server died while fuzzed as $role"; }
  # schemathesis' summary, e.g. "Test cases:\n  1234 generated, 1234 passed".
  local cases
  cases="$(grep -A1 -E '^ *Test cases:' "$log" | tail -n1 | sed 's/^ *//')"
  [[ -n "$cases" ]] || fail "schemathesis printed no test case count as $role"
  SUMMARY+=("$role: $cases ($((SECONDS - started)) s)")
}

SUMMARY=()
fuzz AdminAgent demo-admin-agent
fuzz SalesAgent demo-sales-agent
printf '\nschemathesis test cases per role:\n'
printf '  %s\n' "${SUMMARY[@]}"
