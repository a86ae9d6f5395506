# Sourced by scripts/test.sh (or by hand: `source scripts/postgres-for-tests.sh; start_test_postgres`):
# a throwaway PostgreSQL cluster for the PostgreSQL store's tests. Debian's server binaries
# (`apt-get install postgresql`, scripts/setup.sh) live in /usr/lib/postgresql/*/bin, not on PATH.
#
# start_test_postgres: initdb into a new temporary folder (as the `postgres` user when run as
# root: PostgreSQL refuses to run as root, and the data folder must belong to its user), start it
# with pg_ctl listening on 127.0.0.1 only, on a free port, with its unix socket in that private
# folder, password authentication with a random password, create the database `desk_tests` and
# export TEST_POSTGRES_URL. Durability is off (fsync=off): the cluster is deleted afterwards.
# TEST_POSTGRES_DURABLE=1 keeps PostgreSQL's durable defaults instead (fsync, synchronous_commit
# and full_page_writes on), for a benchmark whose commits cost what they cost in production
# (scripts/bench-server.sh); the tests keep the fast default.
# stop_test_postgres: stops it and removes the folder (also run on exit if the caller fails
# before it calls it; an EXIT trap the caller had set is kept: it runs after, and is the trap
# again once the cluster is stopped).

# The folder of initdb and pg_ctl: on PATH, else the newest Debian PostgreSQL.
test_postgres_bin() {
  if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
    dirname "$(command -v initdb)"
    return
  fi
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)"
  [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] || return 1
  echo "$dir"
}

# Runs a command as the cluster's owner. runuser is util-linux's, in /usr/sbin: by its path, so
# the documented commands (scripts/bench-server.sh) work in a new shell whose PATH has no sbin.
test_postgres_as_owner() {
  if [ "$(id -u)" = 0 ]; then /usr/sbin/runuser -u postgres -- "$@"; else "$@"; fi
}

# The command of the EXIT trap set now, if any, into TEST_POSTGRES_PREVIOUS_EXIT.
test_postgres_save_exit_trap() {
  local saved
  saved="$(trap -p EXIT)"
  TEST_POSTGRES_PREVIOUS_EXIT=""
  [ -n "$saved" ] || return 0
  trap() { TEST_POSTGRES_PREVIOUS_EXIT=$2; }  # `trap -- 'command' EXIT`, unquoted by eval
  eval "$saved"
  unset -f trap
}

start_test_postgres() {
  local bin started=0 port password durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  [ "${TEST_POSTGRES_DURABLE:-0}" = 1 ] && durability="-c fsync=on -c synchronous_commit=on -c full_page_writes=on"
  bin="$(test_postgres_bin)" || { echo "postgres-for-tests: no initdb/pg_ctl on PATH or in /usr/lib/postgresql/*/bin (apt-get install postgresql)" >&2; return 1; }
  TEST_POSTGRES_DIR="$(mktemp -d /tmp/desk-postgres.XXXXXX)"
  test_postgres_save_exit_trap
  trap 'stop_test_postgres; eval "$TEST_POSTGRES_PREVIOUS_EXIT"' EXIT
  mkdir -p "$TEST_POSTGRES_DIR/socket"
  chmod 700 "$TEST_POSTGRES_DIR"
  [ "$(id -u)" = 0 ] && chown -R postgres: "$TEST_POSTGRES_DIR"
  password="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  printf '%s\n' "$password" >"$TEST_POSTGRES_DIR/pw"
  [ "$(id -u)" = 0 ] && chown postgres: "$TEST_POSTGRES_DIR/pw"
  test_postgres_as_owner "$bin/initdb" -D "$TEST_POSTGRES_DIR/data" -U postgres --pwfile="$TEST_POSTGRES_DIR/pw" \
    --auth=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$TEST_POSTGRES_DIR/initdb.log" 2>&1 \
    || { cat "$TEST_POSTGRES_DIR/initdb.log" >&2; echo "postgres-for-tests: initdb failed" >&2; return 1; }
  rm -f "$TEST_POSTGRES_DIR/pw"
  # A free port (another process may take it between here and the start: then try another).
  for _ in 1 2 3; do
    port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    if test_postgres_as_owner "$bin/pg_ctl" -D "$TEST_POSTGRES_DIR/data" -l "$TEST_POSTGRES_DIR/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$TEST_POSTGRES_DIR/socket \
            -c max_connections=300 $durability" start >/dev/null; then
      started=1
      break
    fi
  done
  [ "$started" = 1 ] || { cat "$TEST_POSTGRES_DIR/server.log" >&2; echo "postgres-for-tests: pg_ctl start failed" >&2; return 1; }
  TEST_POSTGRES_BIN="$bin"
  local psql="$bin/psql"
  [ -x "$psql" ] || psql="$(command -v psql)" || { echo "postgres-for-tests: no psql" >&2; return 1; }
  PGPASSWORD="$password" "$psql" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -c 'CREATE DATABASE desk_tests' \
    || { echo "postgres-for-tests: CREATE DATABASE failed" >&2; return 1; }
  export TEST_POSTGRES_URL="postgres://postgres:$password@127.0.0.1:$port/desk_tests"
  echo "postgres-for-tests: PostgreSQL $("$bin/pg_ctl" --version | awk '{print $3}') on 127.0.0.1:$port ($TEST_POSTGRES_DIR; $durability)"
}

stop_test_postgres() {
  if [ -n "${TEST_POSTGRES_DIR:-}" ] && [ -d "$TEST_POSTGRES_DIR" ]; then
    if [ -f "$TEST_POSTGRES_DIR/data/postmaster.pid" ]; then
      test_postgres_as_owner "${TEST_POSTGRES_BIN:-$(test_postgres_bin)}/pg_ctl" -D "$TEST_POSTGRES_DIR/data" -m fast -w stop >/dev/null || true
    fi
    rm -rf "$TEST_POSTGRES_DIR"
  fi
  TEST_POSTGRES_DIR=""
  unset TEST_POSTGRES_URL
  if [ -n "${TEST_POSTGRES_PREVIOUS_EXIT:-}" ]; then trap "$TEST_POSTGRES_PREVIOUS_EXIT" EXIT; else trap - EXIT; fi
}
