//! The browser tests (wasm-bindgen-test), one binary run in headless Chromium and then headless
//! Firefox by `scripts/test.sh`: one build, one link and one wasm-bindgen pass for all of them
//! (six binaries were six of each, in each browser). The tests run one after the other in one
//! page, so each unmounts what it mounts (a mounted app's router follows every URL the next test
//! sets) and starts the in-browser backend afresh where it needs known data.
//!
//! - `web`: components mounted alone, inside the app's i18n context and router;
//! - `panels`: each reservation panel in the mounted app, answered by the in-browser backend;
//! - `portfolio`: the Portfolio tab, checked against `desk_service::portfolio`'s rules;
//! - `worklist`: the partner's worklist page;
//! - `in_browser`: the in-browser backend (the GitHub Pages build's API);
//! - `golden`: desk-service's pinned values, compiled to wasm.

// Helpers a module or two use (`support`: mounting the app, waiting for the DOM).
#[allow(dead_code)]
mod support;

mod golden;
mod in_browser;
mod panels;
mod portfolio;
mod web;
mod worklist;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
