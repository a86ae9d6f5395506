#!/usr/bin/env bash
# The server benchmark (not part of the tests' pass/fail): submit latency with 64
# concurrent clients over the 8 demo customers, and the reservation list under wrk, SQLite and
# PostgreSQL side by side, on release binaries (crates/server/benches/server.rs prints the tables);
# first what one OpenID Connect token check costs (crates/server/benches/oidc.rs).
# PostgreSQL is a throwaway cluster on loopback (scripts/postgres-for-tests.sh) with fsync on,
# unless BENCH_POSTGRES_FSYNC=off. About 3 minutes with a warm build. scripts/bench.sh runs it too.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"
cd "$ROOT"

# wrk (C, from Debian): a client that does not saturate before the server on 2 cores.
command -v wrk >/dev/null || { [ "$(id -u)" = 0 ] && apt-get install -y -q wrk >/dev/null || sudo apt-get install -y -q wrk >/dev/null; }

cargo bench -p reservation-desk-server --features postgres-tests --bench server --no-run 2>&1 | grep -v '^ *\(Compiling\|Finished\|Executable\)' || true

source "$ROOT/scripts/postgres-for-tests.sh"
if [ "${BENCH_POSTGRES_FSYNC:-on}" = on ]; then export TEST_POSTGRES_DURABLE=1; else export TEST_POSTGRES_DURABLE=0; fi
start_test_postgres
echo "## Server benchmark — $(date -u '+%F %H:%M') UTC, $(nproc) cores, $(uname -m), PostgreSQL fsync ${BENCH_POSTGRES_FSYNC:-on}, SQLite synchronous=FULL (WAL)"
status=0
# What one OpenID Connect token check costs (crates/server/benches/oidc.rs), then the server under load.
cargo bench -q -p reservation-desk-server --bench oidc || status=$?
echo
cargo bench -q -p reservation-desk-server --features postgres-tests --bench server || status=$?
stop_test_postgres
exit "$status"
