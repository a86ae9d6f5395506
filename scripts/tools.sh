# Sourced by the scripts and the trunk hook: the project's pinned tools, by their own path, never
# whatever PATH holds (Debian's wasm-opt, binaryen 108, corrupts the build: a blank page).
# scripts/setup.sh installs them (the versions below) and is the one place that installs.
#
#   wasm_opt="$(project_tool wasm-opt)"             # tools/node_modules/.bin/wasm-opt (npm, pinned
#                                                   # by tools/package-lock.json)
#   bindgen="$(cargo_tool wasm-bindgen "$WASM_BINDGEN_VERSION")"  # ~/.cargo/bin, that version
#
# A missing tool (or another version) prints one line naming the command that installs it, and
# the command substitution fails (exit 1): under `set -e` the script stops there.

TOOLS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRUNK_VERSION=0.21.14
# wasm-bindgen-cli must match the wasm-bindgen library in Cargo.lock exactly.
WASM_BINDGEN_VERSION="$(grep -A1 '^name = "wasm-bindgen"$' "$TOOLS_ROOT/Cargo.lock" | sed -n 's/^version = "\(.*\)"/\1/p')"
# The route splitter run by the trunk hook scripts/split-wasm.sh (src/split/). Its version goes
# with wasm-bindgen's: 0.2.4 splits what wasm-bindgen 0.2.130 binds (upgrade the two together).
WASM_SPLIT_VERSION=0.2.4
# Where `cargo install` puts binaries.
CARGO_BIN_DIR="${CARGO_INSTALL_ROOT:-${CARGO_HOME:-$HOME/.cargo}}/bin"

# project_tool NAME: the path of NAME in tools/node_modules/.bin.
project_tool() {
  local path="$TOOLS_ROOT/tools/node_modules/.bin/$1"
  [ -x "$path" ] || { echo "$1 is missing: run bash scripts/setup.sh" >&2; exit 1; }
  echo "$path"
}

# cargo_tool NAME [VERSION]: the path of NAME in cargo's bin folder; with VERSION, the crate that
# `cargo install` installed it from must have that version (cargo's .crates.toml: not every tool
# answers --version; wasm-split-cli does not).
cargo_tool() {
  local path="$CARGO_BIN_DIR/$1" found
  [ -x "$path" ] || { echo "$1${2:+ $2} is missing: run bash scripts/setup.sh" >&2; exit 1; }
  if [ -n "${2:-}" ]; then
    # "wasm-bindgen-cli 0.2.130 (registry+…)" = ["wasm-bindgen", …] (the list may span lines)
    found="$(awk -v bin="\"$1\"" '/^"/ { version = $2 } index($0, bin) { print version; exit }' "$CARGO_BIN_DIR/../.crates.toml" 2>/dev/null)"
    [ "$found" = "$2" ] || { echo "$1 $2 is missing (found ${found:-no version}): run bash scripts/setup.sh" >&2; exit 1; }
  fi
  echo "$path"
}
