//! `fitsOn`: the first day a refused refund would fit the limit, found by search over dates.
//!
//! fits(d) ⇔ consumed(d) + counted(d) ≤ limit, for days d with as-of < d < expiry.
//!
//! **Why a search is exact.** Cut that range at every day on which one of the two terms can
//! jump: the ledger's entry and release dates (consumed(d) sums the entries with
//! date ≤ d < date + window, so it is constant between those days) and, when the limit counts
//! the refunded amount, the installment due dates and the first day after the grace period
//! (between those, P and the policy row are constant). Inside one piece:
//!
//! - consumed(d) is constant;
//! - counted(d) never grows with d:
//!   - the canceled commitment RC = C − round(C·E/T): E grows with d and rounding is a
//!     non-decreasing function, so U grows and RC falls;
//!   - the refunded amount with P and the row fixed: a full refund is P, constant; B = max(0, P − U)
//!     falls as U grows; when B falls by k minor units, r·B falls by r·k ≤ k units, which crosses
//!     at most k rounding boundaries, so the fee round(r·B) falls by at most k units and
//!     B − fee does not grow.
//!
//! So within a piece fits(d) is false up to some day and true from it on: if it fails on the
//! piece's last day it fails on all of it, otherwise a binary search finds the first day. The
//! pieces are tried in date order, and the first that fits somewhere holds the answer. Cost:
//! one check per piece plus log₂(days) checks in one piece, instead of one check per day
//! (up to ~1,800 for a five-year term). [`first_fitting_day_by_day`] is kept as the tests' oracle.

use chrono::{Days, NaiveDate};

use crate::error::QuoteError;

/// The first day d with `after < d < before` for which `fits(d)` holds, given that `fits` is
/// monotone (false, then true) between consecutive `breaks` (see the module docs).
pub(crate) fn first_fitting_day(
    after: NaiveDate,
    before: NaiveDate,
    breaks: impl IntoIterator<Item = NaiveDate>,
    mut fits: impl FnMut(NaiveDate) -> Result<bool, QuoteError>,
) -> Result<Option<NaiveDate>, QuoteError> {
    let Some(first) = after.succ_opt().filter(|d| *d < before) else {
        return Ok(None);
    };
    let mut starts: Vec<NaiveDate> = breaks
        .into_iter()
        .filter(|d| *d > first && *d < before)
        .collect();
    starts.push(first);
    starts.sort_unstable();
    starts.dedup();
    for (i, &start) in starts.iter().enumerate() {
        let next = starts.get(i + 1).copied().unwrap_or(before);
        let Some(end) = next.pred_opt() else { continue };
        if !fits(end)? {
            continue;
        }
        // The first day in [start, end] that fits; `end` does.
        let (mut lo, mut hi) = (0u64, (end - start).num_days().unsigned_abs());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let day = start.checked_add_days(Days::new(mid)).unwrap_or(end);
            if fits(day)? {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return Ok(start.checked_add_days(Days::new(lo)));
    }
    Ok(None)
}

/// The same answer found by trying every day in turn: the definition, kept as the oracle the
/// property tests compare [`first_fitting_day`] with.
#[cfg(test)]
pub(crate) fn first_fitting_day_by_day(
    after: NaiveDate,
    before: NaiveDate,
    mut fits: impl FnMut(NaiveDate) -> Result<bool, QuoteError>,
) -> Result<Option<NaiveDate>, QuoteError> {
    let mut day = after;
    while let Some(next) = day.succ_opt().filter(|d| *d < before) {
        day = next;
        if fits(day)? {
            return Ok(Some(day));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn finds_the_first_day_of_a_monotone_piece() {
        let fits = |day: NaiveDate| Ok(day >= d("2025-06-13"));
        let found = first_fitting_day(d("2025-01-01"), d("2026-01-01"), [], fits).unwrap();
        assert_eq!(found, Some(d("2025-06-13")));
        assert_eq!(
            first_fitting_day_by_day(d("2025-01-01"), d("2026-01-01"), fits).unwrap(),
            found
        );
    }

    #[test]
    fn a_piece_that_fits_only_at_its_start_is_found_through_its_break() {
        // Fits only in [03-01, 03-10) (a ledger entry is released on 03-01, another counts from 03-10).
        let fits = |day: NaiveDate| Ok(day >= d("2025-03-01") && day < d("2025-03-10"));
        let breaks = [d("2025-03-01"), d("2025-03-10")];
        assert_eq!(
            first_fitting_day(d("2025-01-01"), d("2026-01-01"), breaks, fits).unwrap(),
            Some(d("2025-03-01"))
        );
    }

    #[test]
    fn nothing_fits_before_the_end() {
        let never = |_| Ok(false);
        assert_eq!(first_fitting_day(d("2025-01-01"), d("2026-01-01"), [], never).unwrap(), None);
        // An empty range: the day after as-of is already the expiry.
        let always = |_| Ok(true);
        assert_eq!(first_fitting_day(d("2025-12-31"), d("2026-01-01"), [], always).unwrap(), None);
        assert_eq!(first_fitting_day(d("2025-12-30"), d("2026-01-01"), [], always).unwrap(), Some(d("2025-12-31")));
    }
}
