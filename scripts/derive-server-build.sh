#!/usr/bin/env bash
# The server's release build derived from the static one: the compiled app is the same (the page
# says which backend it talks to: src/api/base.rs), so one release build serves both, and what
# GitHub Pages runs is what the server sends. Copies the static build, moves it from its public
# URL (`<base href>`, e.g. /reservation-desk/) to the root, and makes it the server's build with
# scripts/select-backend.sh (the API base named, the in-browser backend's modules left out), as
# `RESERVATION_DESK_API=/api trunk build --release` does in its hook; then compresses what changed.
# Usage: RESERVATION_DESK_API=/api scripts/derive-server-build.sh <static build> <server build>
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
fail() { echo "derive-server-build: $*" >&2; exit 1; }
from="${1:?usage: RESERVATION_DESK_API=/api scripts/derive-server-build.sh <static build> <server build>}"
to="${2:?usage: RESERVATION_DESK_API=/api scripts/derive-server-build.sh <static build> <server build>}"
[ -n "${RESERVATION_DESK_API:-}" ] || fail "RESERVATION_DESK_API (e.g. /api) is not set"
[ "$(cat "$from/desk-backend.txt" 2>/dev/null)" = in-browser ] \
  || fail "$from is not a static build (its desk-backend.txt does not say in-browser)"
[ -f "$from/index.html.br" ] || fail "$from is not a release build (no index.html.br)"
base=$(perl -ne 'print $1 if /<base href="?([^" >]+)/' "$from/index.html")
[[ "$base" == /*/ ]] || fail "$from/index.html has no <base href=\"/…/\"> (found \"$base\")"

rm -rf "$to"
cp -r "$from" "$to"
rm -f "$to"/index.html* "$to"/404.html* "$to"/desk-backend.txt*
# trunk wrote the public URL at the start of every address in index.html (the base, the
# bindings' import, the wasm, the styles, the preloads): each becomes the root.
BASE="$base" perl -pe 's{(?<=[=\x27"(])\Q$ENV{BASE}\E}{/}g' "$from/index.html" >"$to/index.html"
! grep -qF "$base" "$to/index.html" || fail "$base is still in $to/index.html"
bash "$ROOT/scripts/select-backend.sh" "$to"
# GitHub Pages' 404.html is index.html (Trunk.toml); the server answers unknown paths with
# index.html itself, and keeps the copy as trunk's build would.
cp "$to/index.html" "$to/404.html"
node "$ROOT/scripts/precompress.mjs" "$to/index.html" "$to/404.html" "$to/desk-backend.txt"
