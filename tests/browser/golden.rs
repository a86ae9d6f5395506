//! The golden values of desk-service (`desk_service::golden`), checked compiled to wasm in a
//! browser: the same pinned IDs, histories and demo data the native unit tests check, so the
//! server and the in-browser backend cannot drift apart unnoticed (e.g. a `usize` that is 32
//! bits here and 64 natively).

use desk_service::golden;
use wasm_bindgen_test::*;


#[wasm_bindgen_test]
fn hashes_in_the_browser_equal_the_pinned_golden_values() {
    golden::check_hash();
}

#[wasm_bindgen_test]
fn histories_in_the_browser_equal_the_pinned_golden_values() {
    golden::check_utilization();
}

#[wasm_bindgen_test]
fn the_seed_in_the_browser_equals_the_pinned_golden_values() {
    golden::check_seed();
}
