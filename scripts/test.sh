#!/usr/bin/env bash
# Runs every test: native workspace tests, the HTTP contract fuzzed (schemathesis), browser tests
# (wasm-bindgen-test in headless Chromium), then the end-to-end tests against the release build
# served by the real server. The release builds, the backup and the audit verification are the
# documentation's own command blocks, run as written in a new shell (scripts/doc-commands.sh).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/setup.sh"
cd "$ROOT"
# Each step's header says how long the run has taken so far (CI stops a run past 90 minutes),
# and the run ends (passed or failed) with a table of each step's wall time and the CPU time of
# the processes it waited for (the release builds beside the steps are counted in their own
# line): what to cut next is read there. A copy stays in $TMPDIR (or /tmp).
STEPS_TABLE="${TMPDIR:-/tmp}/reservation-desk-test-steps-$(date -u +%Y%m%dT%H%M%S).txt"
step_name="" step_started=0 step_cpu=0
# `times` in this shell, not in a `$(…)` subshell (a forked shell starts its children's times at 0):
# the CPU seconds of the processes this shell has waited for, into CPU_NOW.
children_cpu() {
  times >"$STEPS_TABLE.times"
  CPU_NOW=$(awk 'NR == 2 { split($1, u, "m"); split($2, s, "m"); printf "%d", u[1] * 60 + u[2] + s[1] * 60 + s[2] }' "$STEPS_TABLE.times")
}
end_step() {
  [ -n "$step_name" ] || return 0
  local cpu; children_cpu; cpu=$CPU_NOW
  printf '| %d:%02d | %d:%02d | %s |\n' $(((SECONDS - step_started) / 60)) $(((SECONDS - step_started) % 60)) \
    $(((cpu - step_cpu) / 60)) $(((cpu - step_cpu) % 60)) "${step_name:0:90}" >>"$STEPS_TABLE"
  step_name=""
}
step() {
  end_step
  children_cpu
  step_name="$*" step_started=$SECONDS step_cpu=$CPU_NOW
  printf '\n\033[1m==> [%d:%02d] %s\033[0m\n' $((SECONDS / 60)) $((SECONDS % 60)) "$*"
}
steps_summary() {
  end_step
  printf '\nscripts/test.sh, %d:%02d in all (wall, CPU of what each step waited for):\n| wall | CPU | step |\n|---|---|---|\n' \
    $((SECONDS / 60)) $((SECONDS % 60))
  cat "$STEPS_TABLE" 2>/dev/null || true
  # The end-to-end tests that failed, by name: CI shows only the end of the output.
  if [ -s "$STEPS_TABLE.failed" ]; then
    printf '\nFailed end-to-end tests:\n'
    cat "$STEPS_TABLE.failed"
  fi
  rm -f "$STEPS_TABLE.times" "$STEPS_TABLE.failed"
}
: >"$STEPS_TABLE"
trap steps_summary EXIT
fail() { echo "test.sh: $*" >&2; exit 1; }

# The quote engine's normal dependencies for every target (native and wasm32) contain none of
# the crates that do I/O. `cargo tree` runs on its own first: a failure of it fails the step.
engine_is_pure() {
  local package=$1 tree
  tree="$(cargo tree -p "$package" -e normal --target all --prefix none)" \
    || fail "cargo tree -p $package failed, so its dependencies were not checked"
  [[ "$(head -n1 <<<"$tree")" == "$package "* ]] || fail "cargo tree printed no tree for $package"
  if grep -E '^(web-sys|js-sys|wasm-bindgen|sqlx|tokio|axum|hyper|reqwest|gloo|mio|getrandom)( |$)' <<<"$tree"; then
    fail "$package must stay pure: the crates above must not be among its dependencies (any target)"
  fi
}

# Runs the wasm-bindgen browser tests in one browser. wasm-bindgen-test-runner takes the first
# of *_REMOTE, then GECKODRIVER, SAFARIDRIVER, CHROMEDRIVER, and skips browser tests under
# WASM_BINDGEN_TEST_ONLY_NODE: every other driver variable is unset, and the step fails unless
# the test binary ran its tests in that browser.
browser_tests() {
  local browser=$1 driver_var=$2 driver=$3 log
  shift 3
  log="$(mktemp)"
  local unset=()
  for name in GECKODRIVER SAFARIDRIVER CHROMEDRIVER MSEDGEDRIVER; do
    unset+=(-u "$name" -u "${name}_REMOTE" -u "${name}_ARGS")
  done
  for name in WASM_BINDGEN_TEST_ONLY_NODE WASM_BINDGEN_TEST_ONLY_WEB NO_HEADLESS WASM_BINDGEN_USE_BROWSER \
      WASM_BINDGEN_USE_NODE_EXPERIMENTAL WASM_BINDGEN_USE_DENO WASM_BINDGEN_USE_DEDICATED_WORKER \
      WASM_BINDGEN_USE_SHARED_WORKER WASM_BINDGEN_USE_SERVICE_WORKER WASM_BINDGEN_USE_EMSCRIPTEN; do
    unset+=(-u "$name")
  done
  # One binary, tests/browser/ (its modules: each a page or part of the app): `test = false`
  # (Cargo.toml), so that the native step's `cargo test --workspace` leaves it out; the library's
  # own unit tests are plain `#[test]`s that the native step runs (a wasm32 build of them would
  # only cost minutes).
  local tests=(--test browser)
  # `erase_components`: Leptos type-erases the views of this debug build, as natively
  # (.cargo/config.toml), so the SPA compiles faster; the release build keeps its full types.
  # WASM_BINDGEN_TEST_TIMEOUT: the runner gives a binary 20 s in all by default, and this one runs
  # every browser test in one page (about a minute in debug wasm, more beside the release build).
  env "${unset[@]}" "$driver_var=$driver" WASM_BINDGEN_TEST_TIMEOUT=600 \
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="--cfg erase_components" \
    cargo test --target wasm32-unknown-unknown -p reservation-desk "${tests[@]}" "$@" 2>&1 | tee "$log"
  # cargo prints "Running tests/browser/main.rs (…)"; the runner "Running headless tests in Chrome on …"
  # and "test result: ok. N passed; …" for each binary.
  awk -v browser="$browser" '
    /^ +Running tests\// { file = $2; pending = 1; headless = 0; files++ }
    /^Running headless tests in / { headless = ($5 == browser) }
    /^test result: / && pending {
      if ($4 + 0 == 0) { printf "%s ran no test\n", file; bad = 1 }
      else if (!headless) { printf "%s did not run in %s\n", file, browser; bad = 1 }
      pending = 0
    }
    END {
      if (pending) { printf "%s printed no test result\n", file; bad = 1 }
      if (files == 0) { print "no browser test binary ran"; bad = 1 }
      exit bad
    }' "$log" >&2 || fail "the $browser browser tests did not all run (see above)"
  rm -f "$log"
}

source "$ROOT/scripts/serve-for-tests.sh"  # start_server, wait_for_http

step "The documentation's command blocks: each run below or marked as not run by the tests (scripts/doc-commands.sh)"
scripts/doc-commands.sh self-test
scripts/doc-commands.sh check

step "The quote engine pulls in no web, database or async-runtime crate (every target)"
engine_is_pure quote-engine

step "Every locale has every English key (and the same {{ variables }})"
node scripts/check-locales.mjs

step "Dependencies inside each crate point one way: no import circle beyond those ARCHITECTURE.md names"
python3 scripts/import-cycles.py

# Lints ride on the builds the tests need. Every workspace crate is compiled by clippy-driver
# (through scripts/lint-wrapper.sh, cargo's RUSTC_WORKSPACE_WRAPPER, what `cargo clippy` itself
# sets), which lints it and then compiles it as rustc would, warnings as errors (CLIPPY_ARGS is
# how `cargo clippy -- -D warnings` hands them over); the SPA's library once, in its native build
# (the wrapper says why). Dependencies are compiled by rustc, their lints capped as always. A
# separate `cargo clippy` would check the whole workspace once more for native and twice for
# wasm32: 27 of a clean clone's 81 minutes. Exported: every later cargo build of this run (the
# fuzzed server, the Azure walk's server that the end-to-end tests start through cargo) reuses
# these artefacts.
CLIPPY_DRIVER="$(rustup which clippy-driver)" || fail "clippy-driver not found (rustup component add clippy)"
export CLIPPY_DRIVER RUSTC_WORKSPACE_WRAPPER="$ROOT/scripts/lint-wrapper.sh"
export CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"

# The release build is the documented command line, run as written in a new shell (without the
# lint wrapper: the SPA is linted for wasm32 by the browser tests' build): the static build, then
# the server's derived from it (the same compiled app; scripts/derive-server-build.sh). It runs
# beside the native and browser steps from the start, logged to a file: it is long and mostly one
# core (fat LTO, then wasm-opt), and uses target/release and target/wasm32-unknown-unknown/release,
# which no other step locks. The end-to-end step waits for it.
RELEASE_LOG="$(mktemp)"
# Its own session (setsid), so a failing run stops trunk and cargo with it (the trap below).
setsid bash -euo pipefail -c '
  times_file=$(mktemp)
  cpu() { times >"$times_file"; awk "NR == 2 { split(\$1, u, \"m\"); split(\$2, s, \"m\"); printf \"%d\", u[1] * 60 + u[2] + s[1] * 60 + s[2] }" "$times_file"; }
  started=$SECONDS
  scripts/doc-commands.sh run release-build-pages
  cpu >"$times_file.pages"
  echo "release build for GitHub Pages (dist-pages/): $((SECONDS - started)) s, CPU $(cat "$times_file.pages") s"
  started=$SECONDS
  scripts/doc-commands.sh run release-build-server
  cpu >"$times_file.server"
  echo "release build for the server (dist/, derived): $((SECONDS - started)) s, CPU $(($(cat "$times_file.server") - $(cat "$times_file.pages"))) s"
  rm -f "$times_file" "$times_file".*
' >"$RELEASE_LOG" 2>&1 &
RELEASE_BUILDS=$!
trap 'kill -- -$RELEASE_BUILDS 2>/dev/null || kill $RELEASE_BUILDS 2>/dev/null || true; steps_summary' EXIT

step "Native tests, linted as they build (engine, contract, service, server, SPA formatting), with the PostgreSQL store on a throwaway Debian PostgreSQL (loopback): the contract suite, per-customer money locks, two server processes on one database, alerts sent once by several senders"
# Includes crates/server/tests/api/alerts_delivery.rs (about 2 s): alerts to a real SMTP server
# (aiosmtpd from tools/.venv) and a webhook receiver, across a restart and two processes.
# DESK_REQUIRE_NODE: crates/server/tests/api/azure_source_api.rs runs the on-behalf-of exchange against
# npm's oidc-provider in tools/ (setup.sh installed it) and fails rather than skips without it.
# One build for all: the PostgreSQL tests need the feature `postgres-tests`, and every later
# build of the server (the fuzzing, the browser walk, the end-to-end server) selects it too, so
# the server is compiled once. The whole workspace, the SPA's library with it (its unit tests are
# plain `#[test]`s; its browser tests are `test = false` and run in the browsers below): one
# feature resolution, so the dependencies the SPA shares with the rest are compiled once (built
# on its own, `-p reservation-desk` resolved other features and compiled its whole tree again).
# `--all-targets --no-run` first: the benchmarks are compiled (and linted) too, as test builds;
# the run takes the default targets.
SERVER_FEATURES=(--features reservation-desk-server/postgres-tests)
cargo test --workspace "${SERVER_FEATURES[@]}" --all-targets --no-run
source "$ROOT/scripts/postgres-for-tests.sh"  # start_test_postgres, stop_test_postgres
POSTGRES_STEP_STARTED=$SECONDS
start_test_postgres
echo "cluster started in $((SECONDS - POSTGRES_STEP_STARTED)) s"
DESK_REQUIRE_NODE=1 cargo test --workspace "${SERVER_FEATURES[@]}"
stop_test_postgres

# The HTTP contract fuzzed (schemathesis on /api/openapi.json, as an Admin agent and as a Sales
# agent), then the Azure surface driven by the official Azure SDK for Python
# (azure-mgmt-reservations 3.0.0): beside the browser tests, logged to a file. Both drive a server
# of their own on a port the system chooses, and mostly use one core (Python and a debug server)
# where the browser tests' wasm32 build leaves the other; one after the other they were 7 minutes
# with a core idle. The server is the one the native step built for its integration tests
# (target/debug/, with the test build's features): a `cargo build` here would build it again with
# other dependency features.
[[ -x target/debug/reservation-desk-server ]] || fail "target/debug/reservation-desk-server was not built by the native step"
CONTRACT_LOG="$(mktemp)"
setsid bash -euo pipefail -c '
  times_file=$(mktemp)
  cpu() { times >"$times_file"; awk "NR == 2 { split(\$1, u, \"m\"); split(\$2, s, \"m\"); printf \"%d\", u[1] * 60 + u[2] + s[1] * 60 + s[2] }" "$times_file"; }
  started=$SECONDS
  bash scripts/fuzz-api.sh
  cpu >"$times_file.fuzz"
  echo "HTTP contract fuzzed (schemathesis, an Admin and a Sales agent): $((SECONDS - started)) s, CPU $(cat "$times_file.fuzz") s"
  started=$SECONDS
  bash scripts/azure-sdk-walk.sh
  cpu >"$times_file.sdk"
  echo "the Azure surface with the official Azure SDK for Python: $((SECONDS - started)) s, CPU $(($(cat "$times_file.sdk") - $(cat "$times_file.fuzz"))) s"
  rm -f "$times_file" "$times_file".*
' >"$CONTRACT_LOG" 2>&1 &
CONTRACT_TESTS=$!
trap 'kill -- -$RELEASE_BUILDS 2>/dev/null || kill $RELEASE_BUILDS 2>/dev/null || true; kill -- -$CONTRACT_TESTS 2>/dev/null || true; steps_summary' EXIT

CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER="$(cargo_tool wasm-bindgen-test-runner "$WASM_BINDGEN_VERSION")"
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER
! grep -rq 'wasm_bindgen_test' src/ || fail "src/ has a wasm_bindgen_test: the browser tests run tests/browser/ only; move it there"
step "Browser tests (wasm-bindgen-test) in headless Chromium, the SPA linted for wasm32 as it builds"
browser_tests Chrome CHROMEDRIVER /usr/bin/chromedriver
step "Browser tests (wasm-bindgen-test) in headless Firefox"
browser_tests Firefox GECKODRIVER "$(command -v geckodriver)"

step "The HTTP contract fuzzed and the Azure SDK walk (started with the browser tests)"
contract_status=0
wait "$CONTRACT_TESTS" || contract_status=$?
trap 'kill -- -$RELEASE_BUILDS 2>/dev/null || kill $RELEASE_BUILDS 2>/dev/null || true; steps_summary' EXIT
cat "$CONTRACT_LOG"
grep -E '^(HTTP contract fuzzed|the Azure surface with)' "$CONTRACT_LOG" | sed 's/^/| (beside) | | /; s/$/ |/' >>"$STEPS_TABLE" || true
rm -f "$CONTRACT_LOG"
[ "$contract_status" = 0 ] || fail "the fuzzed HTTP contract or the Azure SDK walk failed (its output above)"

step "Release build (started with the native tests), the documented lines as written in a new shell: under /reservation-desk/ as on GitHub Pages (dist-pages/, in-browser backend), and the server's derived from it at the root (dist/)"
release_status=0
wait "$RELEASE_BUILDS" || release_status=$?
trap steps_summary EXIT
cat "$RELEASE_LOG"
grep -E '^release build for ' "$RELEASE_LOG" | sed 's/^/| (beside) | | /; s/$/ |/' >>"$STEPS_TABLE" || true
rm -f "$RELEASE_LOG"
[ "$release_status" = 0 ] || fail "a release build failed (its output above)"

step "End-to-end tests (Playwright, Debian chromium): the release build on the real server, and the static build"
[[ -x target/debug/reservation-desk-server ]] || fail "target/debug/reservation-desk-server is missing"
E2E_DIR="$(mktemp -d)"
SERVER="" PAGES="" DOCUMENTED=""
trap 'kill $SERVER $PAGES $DOCUMENTED 2>/dev/null || true; rm -rf "$E2E_DIR"; steps_summary' EXIT
start_server ./target/debug/reservation-desk-server "sqlite://$E2E_DIR/e2e.sqlite" "$E2E_DIR/server.log" --static-dir dist
PAGES_PORT="$(node -e 'const s = require("node:net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')"
node tests/e2e/pages-server.mjs dist-pages /reservation-desk "$PAGES_PORT" >"$E2E_DIR/pages.log" 2>&1 &
PAGES=$!
wait_for_http "$PAGES" "http://127.0.0.1:$PAGES_PORT/reservation-desk/" "$E2E_DIR/pages.log"
# Two streams side by side. The files that start servers of their own (own-server.mjs for other
# flags, azure-walk.mjs for Azure mode, oidc-provider.mjs for sign-in) and use neither shared
# server run E2E_OWN_CONCURRENCY at a time (default 1: two browsers on the two cores); the files
# on the shared servers run one at a time, as they change the same databases. A browser walk
# mostly waits (for the page, the server, the browser's paint), so the two cores are busy where
# one stream left them idle.
OWN=() SHARED=()
for file in tests/e2e/*.test.mjs; do
  if grep -qE "from '\./(own-server|azure-walk|oidc-provider)\.mjs'" "$file" && ! grep -qE 'BASE_URL|PAGES_URL|openPage\(' "$file"; then
    OWN+=("$file")
  else
    SHARED+=("$file")
  fi
done
echo "end-to-end: ${#SHARED[@]} files on the shared servers, ${#OWN[@]} with servers of their own beside them"
export BASE_URL="http://127.0.0.1:$PORT" PAGES_URL="http://127.0.0.1:$PAGES_PORT/reservation-desk"
node --test --test-concurrency="${E2E_OWN_CONCURRENCY:-1}" "${OWN[@]}" >"$E2E_DIR/own.tap" 2>&1 &
OWN_RUN=$!
e2e_status=0
node --test --test-concurrency=1 "${SHARED[@]}" 2>&1 | tee "$E2E_DIR/shared.tap" || e2e_status=1
wait "$OWN_RUN" || e2e_status=1
echo "--- the files with servers of their own ---"
cat "$E2E_DIR/own.tap"
# Their TAP output is kept, so that the summary at the end names each failed test and its file.
if [ "$e2e_status" != 0 ]; then
  cat "$E2E_DIR/shared.tap" "$E2E_DIR/own.tap" | grep -E '^not ok |^# Subtest: |^ *location:' \
    | awk '/^# Subtest: / { name = substr($0, 12); next } /^not ok / { failed = 1; print "- " name; next } failed && /location:/ { sub(/^ */, ""); print "  " $0; failed = 0 }' \
    >"$STEPS_TABLE.failed"
  fail "end-to-end tests failed (named at the end)"
fi

step "The documented backup and audit verification, as written in a new shell, against the server as scripts/run.sh starts it (127.0.0.1:3000, data/reservation-desk.sqlite)"
! curl -s -o /dev/null http://127.0.0.1:3000/ \
  || fail "something answers on 127.0.0.1:3000 already (scripts/run.sh?): stop it; the documented commands talk to that address"
NO_COLOR=1 ./target/debug/reservation-desk-server >"$E2E_DIR/documented.log" 2>&1 &
DOCUMENTED=$!
wait_for_http "$DOCUMENTED" http://127.0.0.1:3000/api/openapi.json "$E2E_DIR/documented.log"
VERIFIED="$(scripts/doc-commands.sh run audit-verify)"
echo "$VERIFIED"
grep -q '"intact": *true' <<<"$VERIFIED" || fail "the documented audit verification did not answer \"intact\": true"
BACKUP=/tmp/reservation-desk-backup.sqlite  # where the documented backup writes
rm -f "$BACKUP"
scripts/doc-commands.sh run backup
[ "$(head -c 15 "$BACKUP" 2>/dev/null)" = "SQLite format 3" ] || fail "the documented backup wrote no SQLite file at $BACKUP"
rm -f "$BACKUP"
kill "$DOCUMENTED"
