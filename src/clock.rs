//! What "today" is, for the view layer only: the engine never reads a clock, so the day a
//! quote is for is decided here (UTC, as the engine and the server count days).

use chrono::NaiveDate;

/// Today's UTC calendar date from the browser's clock.
pub fn today() -> NaiveDate {
    let now = js_sys::Date::new_0();
    NaiveDate::from_ymd_opt(now.get_utc_full_year() as i32, now.get_utc_month() + 1, now.get_utc_date())
        .expect("the browser's clock gives a valid date")
}

/// Seconds since the Unix epoch from the browser's clock (for "read N minutes ago").
pub fn now_seconds() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}
