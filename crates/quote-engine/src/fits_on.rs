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
//!
//! **By jumps, when the limit counts the canceled commitment** ([`first_fitting_day_canceled`]).
//! There counted(d) = C − U(d) never grows over the whole range, not only within a piece, and in
//! whole minor units fits(d) ⇔ U(d) ≥ need, with need = consumed(d) + C − limit. The least E with
//! U(E) ≥ need has a closed form ([`Breakdown::first_elapsed_reaching`]), so from a day d that
//! does not fit, no day fits before the earlier of that day (for this need) and the ledger's next
//! change date: the search jumps there and looks again. It starts from the day U alone reaches
//! C − limit (what the window holds is never negative, so nothing fits before it), and asks the
//! ledger only about the days it lands on: usually one or two, with no list of breaks to build.

use chrono::{Datelike, Days, NaiveDate};

use crate::breakdown::{Breakdown, TermClock};
use crate::error::QuoteError;
use crate::limit::Ledger;
use crate::money::{Money, POW10};

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

/// `m` in whole minor units of its currency; `None` when it is not a whole number of them.
fn in_minor_units(m: Money) -> Option<i128> {
    let dp = m.currency.minor_units();
    let (mantissa, scale) = (m.amount.mantissa(), m.amount.scale());
    if scale <= dp {
        mantissa.checked_mul(*POW10.get((dp - scale) as usize)? as i128)
    } else {
        let unit = *POW10.get((scale - dp) as usize)? as i128;
        (mantissa % unit == 0).then(|| mantissa / unit)
    }
}

/// The first day d with `after < d < before` on which returning units whose commitment is
/// `commitment` (rounded, in the limit's currency) fits the limit when the limit counts the
/// canceled commitment: consumed(d) + C − U(d) ≤ `limit`, U on `clock`'s term (see the module
/// docs). The answer of [`first_fitting_day`] with the pieces of the ledger's change dates.
///
/// `Ok(None)` when this search does not apply (the range outside the term, a figure that is not a
/// whole number of minor units, an overflow): the caller then searches over pieces.
pub(crate) fn first_fitting_day_canceled(
    after: NaiveDate,
    before: NaiveDate,
    clock: &TermClock,
    commitment: Money,
    limit: Money,
    ledger: &Ledger<'_>,
) -> Result<Option<Option<NaiveDate>>, QuoteError> {
    let dp = limit.currency.minor_units();
    let (Some(c), Some(l)) = (in_minor_units(commitment), in_minor_units(limit)) else { return Ok(None) };
    // U is computed from C's own mantissa (breakdown.rs): C must be at the minor unit itself.
    if commitment.currency != limit.currency || commitment.amount.scale() != dp || c < 0 || clock.term_days <= 0 {
        return Ok(None);
    }
    // Within the term, where U(E) is U of E itself, not of E clamped.
    if after < clock.start || before > clock.expiry {
        return Ok(None);
    }
    let Some(first) = after.succ_opt().filter(|d| *d < before) else { return Ok(Some(None)) };
    let day_number = |d: NaiveDate| i64::from(d.num_days_from_ce());
    let (start, end) = (day_number(clock.start), day_number(before));
    let t = i128::from(clock.term_days);
    // The first day (a day number) from which U reaches `need`; `None`: not within the term.
    let reaching = |need: i128| -> Result<Option<i64>, QuoteError> {
        let e = Breakdown::first_elapsed_reaching(c, t, need)?;
        Ok(e.and_then(|e| i64::try_from(e).ok()).map(|e| start + e))
    };
    let Some(need_alone) = c.checked_sub(l) else { return Ok(None) };
    let Ok(lower) = reaching(need_alone) else { return Ok(None) };
    let Some(lower) = lower else { return Ok(Some(None)) };
    let mut day = day_number(first).max(lower);
    loop {
        if day >= end {
            return Ok(Some(None));
        }
        let Some(date) = i32::try_from(day).ok().and_then(NaiveDate::from_num_days_from_ce_opt) else { return Ok(None) };
        let Some(consumed) = in_minor_units(ledger.consumed(date)?) else { return Ok(None) };
        let Some(need) = consumed.checked_add(need_alone) else { return Ok(None) };
        let Ok(fits_from) = reaching(need) else { return Ok(None) };
        if fits_from.is_some_and(|f| f <= day) {
            return Ok(Some(Some(date)));
        }
        // Until what counts changes, `need` stays; and U reaches it no sooner than `fits_from`.
        let next_change = ledger.next_change_after(date).map(day_number);
        day = match (fits_from, next_change) {
            (Some(f), Some(n)) => f.min(n),
            (f, n) => match f.or(n) {
                Some(next) => next,
                None => return Ok(Some(None)),
            },
        };
    }
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

    /// The search by jumps answers what the day-by-day scan and the search over pieces answer,
    /// with the canceled commitment as the basis, over generated terms, commitments, limits,
    /// windows and ledgers (amounts at 0 to 2 decimals, in and out of date order).
    #[test]
    fn by_jumps_equals_the_day_by_day_scan() {
        use rust_decimal::Decimal;

        use crate::currency::Currency;
        use crate::policy::Policy;
        use crate::reservation::PriorRefund;

        let mut next = crate::test_rng::below(0x9e37_79b9_7f4a_7c15u64);
        let usd = |cents: u64, scale_down: u32| {
            let unit = 10u64.pow(scale_down);
            Money::new(Decimal::new((cents / unit) as i64, 2 - scale_down), Currency::USD)
        };
        let (mut found, mut never) = (0, 0);
        for _ in 0..1500 {
            let start = d("2020-01-01") + Days::new(next(2000));
            let term_days = [365, 1096, 1826, 1 + next(60)][next(4) as usize];
            let expiry = start + Days::new(term_days);
            let clock = TermClock::new(start, expiry, start);
            // Rounded, as `Breakdown::commitment` makes it.
            let commitment = usd(next(2_000_000_000), next(3) as u32).round();
            let limit = Money::new(Decimal::new(next(600_000_000) as i64, 2), Currency::USD);
            let policy = Policy { limit_window_days: 1 + next(500) as u32, ..Policy::azure_current() };
            let mut ledger: Vec<PriorRefund> = (0..next(12))
                .map(|_| PriorRefund {
                    date: start + Days::new(next(term_days + 400)) - Days::new(300),
                    amount: usd(next(300_000_000), next(3) as u32),
                })
                .collect();
            if next(2) == 0 {
                ledger.sort_by_key(|r| r.date);
            }
            let ledger = Ledger::new(&policy, &ledger);
            let after = start + Days::new(next(term_days + 1));
            let fits = |day: NaiveDate| {
                let c = TermClock::new(start, expiry, day);
                let counted = commitment.checked_sub(Breakdown::used(commitment, &c)?)?;
                Ok(ledger.consumed(day)?.checked_add(counted)?.checked_le(limit)?)
            };
            let by_day = first_fitting_day_by_day(after, expiry, fits).unwrap();
            let jumps = first_fitting_day_canceled(after, expiry, &clock, commitment, limit, &ledger).unwrap();
            assert_eq!(jumps, Some(by_day), "{after} {commitment} {limit}");
            let pieces = first_fitting_day(after, expiry, ledger.change_dates(), fits).unwrap();
            assert_eq!(pieces, by_day);
            if by_day.is_some() {
                found += 1;
            } else {
                never += 1;
            }
        }
        assert!(found > 300 && never > 300, "{found} found, {never} never");
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
