//! The in-browser adapter's clock: the browser's `Date.now()`, read through here (and nowhere
//! below) so a test can move it past a session's ten minutes without waiting ten minutes (the
//! server's tests do the same with `AppState::with_clock`).

use std::cell::Cell;

use chrono::{DateTime, Utc};

thread_local! {
    /// Added to `Date.now()`; zero unless a test moved the clock.
    static OFFSET_MS: Cell<f64> = const { Cell::new(0.0) };
}

/// The instant as the backend sees it: the browser's clock, moved by a test's offset.
pub fn now() -> DateTime<Utc> {
    let ms = js_sys::Date::now() + OFFSET_MS.with(Cell::get);
    DateTime::from_timestamp_millis(ms as i64).unwrap_or_default()
}

/// For tests: runs the backend's clock `ms` ahead of the browser's (`0.0` puts it back).
#[doc(hidden)]
pub fn set_clock_offset_for_tests(ms: f64) {
    OFFSET_MS.with(|offset| offset.set(ms));
}
