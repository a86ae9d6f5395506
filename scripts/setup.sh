#!/usr/bin/env bash
# Installs what the app and its tests need and is missing; installs nothing that is present.
# Run it (`bash scripts/setup.sh`) or source it: scripts/run.sh, test.sh and bench.sh source it,
# which also puts the project's tools on their PATH. The trunk hook and the scripts call the tools
# by their own paths (scripts/tools.sh), so the README's commands work in a new shell after it.
# Everything comes from the registries: crates.io, npm, Debian. Nothing from GitHub.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/tools.sh"  # TRUNK_VERSION, WASM_BINDGEN_VERSION, WASM_SPLIT_VERSION, CARGO_BIN_DIR
export PATH="$ROOT/tools/node_modules/.bin:$CARGO_BIN_DIR:$PATH"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  say "cargo install trunk $TRUNK_VERSION (about 15 minutes, once)"
  # 0.22 needs a newer rustc than this machine's 1.95.
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  say "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 6 minutes, once)"
  # Not --locked: the CLI's own lock file names a crate version the registry does not serve.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

# The route splitter run by the trunk hook scripts/split-wasm.sh (src/split/).
if ! cargo install --list | grep -qx "wasm_split_cli_support v$WASM_SPLIT_VERSION:"; then
  say "cargo install wasm_split_cli_support $WASM_SPLIT_VERSION (about 1 minute, once)"
  cargo install wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --locked --features build-binary
fi

# wasm-opt from npm's binaryen 132 (Debian's 108 corrupts the externref table) and
# playwright-core for the end-to-end tests, both pinned by tools/package-lock.json.
if ! (cd "$ROOT/tools" && npm ls --silent >/dev/null 2>&1); then
  say "npm ci in tools/ (binaryen, playwright-core)"
  (cd "$ROOT/tools" && npm ci --no-audit --no-fund)
fi

# Python tools in a project-local environment, tools/.venv, pinned by tools/requirements.txt:
# schemathesis for the HTTP contract's fuzz step (scripts/fuzz-api.sh) and the official Azure SDK
# (azure-mgmt-reservations) for the Azure surface's walk (scripts/azure-sdk-walk.sh). Installed
# again whenever requirements.txt differs from what was installed (about 30 seconds, once).
if ! cmp -s "$ROOT/tools/requirements.txt" "$ROOT/tools/.venv/requirements.installed"; then
  say "pip install -r tools/requirements.txt into tools/.venv ($(tr '\n' ' ' <"$ROOT/tools/requirements.txt"))"
  [ -x "$ROOT/tools/.venv/bin/python" ] || python3 -m venv "$ROOT/tools/.venv"
  "$ROOT/tools/.venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$ROOT/tools/requirements.txt"
  cp "$ROOT/tools/requirements.txt" "$ROOT/tools/.venv/requirements.installed"
fi

# mold links every native build (.cargo/config.toml): without it nothing native links.
if ! command -v mold >/dev/null; then
  say "apt-get install mold (the linker of the native builds)"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q mold
fi

# Browsers and PostgreSQL for the tests (SETUP_BROWSERS=0 skips them, e.g. for a build-only job).
missing=()
[ "${SETUP_BROWSERS:-1}" = 1 ] || return 0 2>/dev/null || exit 0
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
command -v firefox-esr >/dev/null || missing+=(firefox-esr)
# A CJK font, so the Simplified Chinese screens render (and their screenshots show) real glyphs.
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
# Debian's PostgreSQL server for the PostgreSQL store's tests (scripts/postgres-for-tests.sh
# starts a throwaway cluster of its own); Debian puts initdb in /usr/lib/postgresql/*/bin, not on PATH.
command -v initdb >/dev/null || compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  say "apt-get install ${missing[*]}"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
fi

if ! command -v geckodriver >/dev/null; then
  say "cargo install geckodriver (about 3 minutes, once)"
  cargo install geckodriver
fi
if [ "${BASH_SOURCE[0]}" = "$0" ]; then say "scripts/setup.sh: everything is installed"; fi
