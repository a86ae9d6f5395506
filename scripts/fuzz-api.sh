#!/usr/bin/env bash
# Fuzzes the HTTP contracts with schemathesis (tools/.venv, made by scripts/setup.sh): the debug
# server on a fresh SQLite file, its two generated documents, every operation of each, once signed
# in as an Admin agent and once as a Sales agent: /api/openapi.json, then the Azure surface's
# /providers/Microsoft.Capacity/openapi.json. Fails on any finding of the checks below (about
# 5 minutes alone on two cores; twice that beside the test command's release build).
# Needs target/debug/reservation-desk-server first (scripts/test.sh's native test build makes it; or `cargo build -p reservation-desk-server`).
# FUZZ_MAX_EXAMPLES (default 100) and FUZZ_AZURE_MAX_EXAMPLES (default 100) bound the generated
# cases per operation and phase of each document as the Admin agent; FUZZ_SALES_MAX_EXAMPLES
# (default 25) as the Sales agent, whose run is there for what its role is refused and allowed:
# each operation still gets its examples, its coverage cases and 25 generated ones (alone on this
# machine its two runs took 40 + 28 s, against 162 + 96 s at 100; the four runs 295 s); FUZZ_ONLY=api or FUZZ_ONLY=azure runs one of
# them; SCHEMATHESIS names another schemathesis (its venv's python writes the configuration).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
fail() { echo "fuzz-api.sh: $*" >&2; exit 1; }

SERVER_BIN="${SERVER_BIN:-$ROOT/target/debug/reservation-desk-server}"
SCHEMATHESIS="${SCHEMATHESIS:-$ROOT/tools/.venv/bin/schemathesis}"
# The four the contract promises (no 5xx; only documented statuses, media types and bodies),
# and what else holds: a 405 with Allow for an undeclared method, 4xx for schema-invalid data or
# a missing required header, 401 without the token, 404 after a delete. Not
# positive_data_acceptance: the server refuses (400) schema-valid requests the schema cannot
# describe (a quantity above the reservation's, an amount with more decimals than its currency;
# on the Azure surface also an empty returnReason or a SKU not in the catalog). The Azure document
# has no required header and no operation that creates or deletes, so missing_required_header,
# use_after_free and ensure_resource_availability find nothing to test there; they stay on for it
# so that an operation of that kind added to AzureOperation::ALL is checked at once.
CHECKS="${FUZZ_CHECKS:-not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,unsupported_method,negative_data_rejection,missing_required_header,ignored_auth,use_after_free,ensure_resource_availability}"
[[ -x "$SERVER_BIN" ]] || fail "$SERVER_BIN is missing: cargo build -p reservation-desk-server"
[[ -x "$SCHEMATHESIS" ]] || fail "$SCHEMATHESIS is missing: run bash scripts/setup.sh"

DIR="$(mktemp -d)"
SERVER=""
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$DIR"' EXIT
source "$ROOT/scripts/serve-for-tests.sh"  # start_server, wait_for_http
start_server "$SERVER_BIN" "sqlite://$DIR/fuzz.sqlite" "$DIR/server.log"
BASE="http://127.0.0.1:$PORT"

# Known IDs from the seeded database, offered to schemathesis as dictionaries: most generated
# path parameters and ID fields take one of them (the rest stay random), so the requests reach
# the operations' logic instead of stopping at a 404. A few active reservations only, so that a
# generated (orderId, reservationId) pair often belongs together. One configuration per document:
# /api names its IDs bare (orderId), the Azure surface as its specification does
# (reservationOrderId) and takes full ARM IDs in bodies; it also gets the customers' scopes and
# the catalog's SKU names and regions, so that scope checks and purchases are found, and
# `$expand` values, so that an order's payment plan (`$expand=schedule`) is answered and checked.
"$(dirname "$SCHEMATHESIS")/python" - "$BASE" "$DIR" <<'PY'
import json, sys, urllib.request

base, out = sys.argv[1], sys.argv[2]
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
orders = [r["reservationOrderId"] for r in active]
reservations = [r["id"] for r in active]

def write(name, dictionaries, bindings):
    with open(f"{out}/{name}", "w") as f:
        for key, values in dictionaries.items():
            f.write(f"[dictionaries.{key}]\nvalues = {json.dumps(values)}\n\n")
        f.write("[parameters]\n")
        for key, dictionary in bindings.items():
            f.write(f'"{key}" = {{ dictionary = "{dictionary}", probability = 0.8 }}\n')

write("api.toml", {"customers": customers, "orders": orders, "reservations": reservations}, {
    "path.customerId": "customers", "query.customerId": "customers",
    "path.orderId": "orders", "body.reservationOrderId": "orders",
    "path.reservationId": "reservations", "body.reservationId": "reservations",
    "body.reservationsToExchange[*].reservationId": "reservations",
})

scopes = sorted({
    id
    for c in customers for s in get(f"/api/customers/{c}/scopes")
    for id in s["appliedScopeProperties"].values() if isinstance(id, str) and id.startswith("/")
})
catalog = get("/api/catalog")
write("azure.toml", {
    "orders": orders,
    "reservations": reservations,
    "armReservations": [f"/providers/microsoft.capacity/reservationOrders/{r['reservationOrderId']}/reservations/{r['id']}" for r in active],
    "scopes": scopes,
    "skus": sorted({c["skuName"] for c in catalog}),
    "locations": sorted({c["location"] for c in catalog}),
    "expand": ["schedule", "Schedule", "renewProperties,schedule", "planInformation"],
}, {
    "path.reservationOrderId": "orders",
    "path.reservationId": "reservations",
    "body.properties.reservationToReturn.reservationId": "armReservations",
    "body.properties.reservationsToExchange[*].reservationId": "armReservations",
    "body.properties.reservationId": "armReservations",
    "body.properties.sources[*]": "armReservations",
    "body.properties.scopes[*]": "scopes",
    "body.properties.appliedScopes[*]": "scopes",
    "body.properties.reservationsToPurchase[*].sku.name": "skus",
    "body.properties.reservationsToPurchase[*].location": "locations",
    "query.$expand": "expand",
})
PY

# One run per document and role. The seed makes a failure reproducible; the examples database
# is off and the cache lives in $DIR, so nothing of one run leaks into the next (or into the
# working tree).
fuzz() {
  local label=$1 token=$2 url=$3 config=$4 examples=$5 workers=$6 log="$DIR/${1// /-}.log" started
  started=$SECONDS
  printf '\n--- schemathesis: %s (Bearer %s, %s) ---\n' "$label" "$token" "$url"
  # Run in $DIR: schemathesis keeps a cache of what it found in .schemathesis/ of its folder.
  if ! (cd "$DIR" && "$SCHEMATHESIS" --config-file "$config" run "$url" \
      --checks "$CHECKS" \
      --header "Authorization: Bearer $token" \
      --max-examples "$examples" \
      --seed "${FUZZ_SEED:-17}" \
      --workers "$workers" \
      --request-timeout 10 \
      --generation-database none \
      --no-color) 2>&1 | tee "$log"; then
    echo "--- the server's log ---" >&2; tail -n 50 "$DIR/server.log" >&2
    fail "schemathesis found problems: $label (see above)"
  fi
  kill -0 "$SERVER" 2>/dev/null || { cat "$DIR/server.log" >&2; fail "the server died while fuzzed: $label"; }
  # schemathesis' summary, e.g. "Test cases:\n  1234 generated, 1234 passed".
  local cases
  cases="$(grep -A1 -E '^ *Test cases:' "$log" | tail -n1 | sed 's/^ *//')"
  [[ -n "$cases" ]] || fail "schemathesis printed no test case count: $label"
  SUMMARY+=("$label: $cases ($((SECONDS - started)) s)")
}

API="$BASE/api/openapi.json"
AZURE="$BASE/providers/Microsoft.Capacity/openapi.json"
API_EXAMPLES="${FUZZ_MAX_EXAMPLES:-100}"
# The Azure surface: 100 examples per operation as for /api, both roles in about 1¼ minutes on 2
# cores. One worker: with two, hypothesis sometimes parses its lambdas' sources in both threads
# at once, which CPython 3.11's ast module does not survive ("AST constructor recursion depth
# mismatch", a runtime error that ends the run; seen 2 times in 4 runs of this document), and
# one worker was no slower here.
AZURE_EXAMPLES="${FUZZ_AZURE_MAX_EXAMPLES:-100}"
SALES_EXAMPLES="${FUZZ_SALES_MAX_EXAMPLES:-25}"
SUMMARY=()
if [[ "${FUZZ_ONLY:-}" != azure ]]; then
  fuzz "/api as AdminAgent" demo-admin-agent "$API" "$DIR/api.toml" "$API_EXAMPLES" 2
  fuzz "/api as SalesAgent" demo-sales-agent "$API" "$DIR/api.toml" "$SALES_EXAMPLES" 2
fi
if [[ "${FUZZ_ONLY:-}" != api ]]; then
  fuzz "Azure as AdminAgent" demo-admin-agent "$AZURE" "$DIR/azure.toml" "$AZURE_EXAMPLES" 1
  fuzz "Azure as SalesAgent" demo-sales-agent "$AZURE" "$DIR/azure.toml" "$SALES_EXAMPLES" 1
fi
printf '\nschemathesis test cases per document and role:\n'
printf '  %s\n' "${SUMMARY[@]}"
