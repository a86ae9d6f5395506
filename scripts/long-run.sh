#!/usr/bin/env bash
# The long run of the quote engine: generated inputs by the million through the engine and its
# JSON layer (quote_engine::api), on stable Rust with proptest (no nightly, no libFuzzer).
#
#   scripts/long-run.sh [INPUTS]      # INPUTS: total generated inputs, default 1,000,000
#
# What it runs: crates/quote-engine/tests/long_run.rs, a test target with its own main
# (`harness = false` in crates/quote-engine/Cargo.toml; this project does not use #[ignore]).
# It reads LONG_RUN_INPUTS, splits it evenly over its properties and prints, per property, the
# inputs it really evaluated (counted inside the property, not the configured number), the
# branches they reached, the seconds, then the total and the wall time. Any counter-example
# (shrunk by proptest) or panic fails it with exit status 1.
#
# Opt-in, honestly: the same target also runs in every plain `cargo test -p quote-engine` (and
# so in scripts/test.sh), with LONG_RUN_INPUTS unset, i.e. 7,000 inputs (1,000 per property):
# every property is exercised on each test run and can fail it; only the size is opt-in.
#
# Release mode (the workspace's release profile); LONG_RUN_SEED=N replays a run (the seed is
# printed), LONG_RUN_THREADS=N sets the worker threads (default: the cores, at most 2).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"
cd "$ROOT"

INPUTS="${1:-1000000}"
[[ "$INPUTS" =~ ^[0-9]+$ ]] || { echo "long-run.sh: INPUTS must be a number, got '$INPUTS'" >&2; exit 2; }

echo "==> building (release): cargo test --release -p quote-engine --test long_run --no-run"
cargo test --release -p quote-engine --test long_run --no-run

echo "==> $INPUTS inputs on $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
# The per-property "... in N of M cases" lines go to stderr; the table goes to stdout.
LONG_RUN_INPUTS="$INPUTS" cargo test --release -p quote-engine --test long_run 2> >(grep -v ' in [0-9]* of [0-9]* cases$' >&2)
