#!/usr/bin/env bash
# The test command's RUSTC_WORKSPACE_WRAPPER (scripts/test.sh): every workspace crate it compiles
# is linted by clippy-driver as it builds (CLIPPY_DRIVER; warnings as errors by CLIPPY_ARGS), once.
# The SPA's library is compiled twice, natively for its unit tests and for wasm32 for the browser
# tests, and clippy over it costs minutes each time (its views expand into large code): it is
# linted in the native build, which has its unit tests and all but a few lines of wasm32-only
# code, and compiled as rustc would for wasm32. Cargo calls `$WRAPPER $RUSTC <args>`.
set -euo pipefail
rustc=$1
shift
args=" $* "
if [[ "$args" == *" --crate-name reservation_desk "* && "$args" == *" --target wasm32-unknown-unknown "* \
      && "$args" != *" --test "* ]]; then
  exec "$rustc" "$@"
fi
exec "${CLIPPY_DRIVER:?the clippy-driver to lint with}" "$rustc" "$@"
