//! Benchmarks that must run in a browser (see `bench.rs`): built for wasm32 by `scripts/bench.sh`
//! (trunk). A native build is this empty program, so the workspace's native test build does not
//! compile the app a second time for it.

#[cfg(target_arch = "wasm32")]
mod bench;

fn main() {
    #[cfg(target_arch = "wasm32")]
    bench::main();
}
