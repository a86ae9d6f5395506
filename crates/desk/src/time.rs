//! How the desk writes an instant in what it stores and answers.

use chrono::{DateTime, Timelike, Utc};

/// An instant as the contract writes it: RFC 3339 in UTC, whole seconds. Written by hand (as
/// `to_rfc3339_opts(Secs, true)` writes it) to keep chrono's formatter out of the page's wasm.
pub fn timestamp(at: DateTime<Utc>) -> String {
    let t = at.time();
    format!("{}T{:02}:{:02}:{:02}Z", at.date_naive(), t.hour(), t.minute(), t.second())
}

#[cfg(test)]
mod tests {
    use chrono::{SecondsFormat, TimeZone, Utc};

    #[test]
    fn timestamps_are_written_as_chrono_writes_rfc_3339_in_whole_seconds() {
        for at in [Utc.with_ymd_and_hms(2026, 3, 2, 12, 0, 0).unwrap(), Utc.with_ymd_and_hms(1999, 12, 31, 23, 59, 59).unwrap()] {
            assert_eq!(super::timestamp(at), at.to_rfc3339_opts(SecondsFormat::Secs, true));
        }
        let with_millis = Utc.timestamp_millis_opt(1_700_000_000_999).unwrap();
        assert_eq!(super::timestamp(with_millis), with_millis.to_rfc3339_opts(SecondsFormat::Secs, true));
    }
}
