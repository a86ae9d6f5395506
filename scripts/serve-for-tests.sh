# Sourced by scripts/test.sh and scripts/fuzz-api.sh (which define `fail`): starting the server
# for a test step on a port of its own choosing, and waiting for an HTTP answer.

# Waits until `url` answers 2xx. Fails, printing `log`, when process `pid` exits first or after 30 s.
wait_for_http() {
  local pid=$1 url=$2 log=$3
  for _ in $(seq 1 150); do
    curl -sf -o /dev/null "$url" && return 0
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "the server (pid $pid) exited before $url answered; its log:" >&2; cat "$log" >&2
      fail "server did not start"
    fi
    sleep 0.2
  done
  echo "$url did not answer within 30 s; the server's log:" >&2; cat "$log" >&2
  fail "server did not answer"
}

# start_server BIN DATABASE_URL LOG [FLAG…]: starts the server on 127.0.0.1:0 (it picks a free
# port and logs it, so an old server still holding a port cannot answer for this one), sets
# SERVER (its pid) and PORT, and waits until /api/openapi.json answers.
start_server() {
  local bin=$1 database=$2 log=$3
  shift 3
  NO_COLOR=1 "$bin" --listen 127.0.0.1:0 --database "$database" "$@" >"$log" 2>&1 &
  SERVER=$!
  PORT=""
  for _ in $(seq 1 150); do
    PORT="$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9][0-9]*\).*|\1|p' "$log" | head -n1)"
    [[ -n "$PORT" ]] || ! kill -0 "$SERVER" 2>/dev/null && break
    sleep 0.2
  done
  [[ -n "$PORT" ]] || { cat "$log" >&2; fail "the server did not say which port it listens on"; }
  wait_for_http "$SERVER" "http://127.0.0.1:$PORT/api/openapi.json" "$log"
}
