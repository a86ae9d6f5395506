//! The in-browser backend's clock for session expiry: the browser's `Date.now()`, read through
//! here so a test can move it past a session's ten minutes without waiting ten minutes (the
//! server's tests do the same with `AppState::with_clock`).

use std::cell::Cell;

thread_local! {
    /// Added to `Date.now()`; zero unless a test moved the clock.
    static OFFSET_MS: Cell<f64> = const { Cell::new(0.0) };
}

/// Milliseconds since the epoch as the backend sees them.
pub fn now_ms() -> f64 {
    js_sys::Date::now() + OFFSET_MS.with(Cell::get)
}

/// For tests: runs the backend's clock `ms` ahead of the browser's (`0.0` puts it back).
#[doc(hidden)]
pub fn set_clock_offset_for_tests(ms: f64) {
    OFFSET_MS.with(|offset| offset.set(ms));
}
