//! The refund limit: a rolling window over the customer's refund ledger.
//!
//! An entry made on day d counts on as-of dates a with a − window < d ≤ a, so it is
//! released `window` days after it was made (365 days in both presets).

use std::borrow::Cow;

use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;

use crate::currency::Currency;
use crate::error::QuoteError;
use crate::money::Money;
use crate::policy::Policy;
use crate::reservation::{check_amount, check_currency, PriorRefund};

/// True when a ledger entry made on `entry` counts toward the window as of `as_of`.
pub fn counts_in_window(entry: NaiveDate, as_of: NaiveDate, window_days: u32) -> bool {
    entry <= as_of && (as_of - entry).num_days() < i64::from(window_days)
}

/// The first day on which an entry made on `entry` no longer counts (`entry + window`); `None` past chrono's range.
pub fn release_date(entry: NaiveDate, window_days: u32) -> Option<NaiveDate> {
    entry.checked_add_days(Days::new(u64::from(window_days)))
}

/// One ledger entry seen from an as-of date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WindowEntry {
    /// Day the refund was made.
    pub date: NaiveDate,
    /// Amount that counts toward the limit.
    pub amount: Money,
    /// Whether it counts as of the window's date.
    pub counts: bool,
    /// Day it stops counting.
    pub released_on: Option<NaiveDate>,
}

/// The state of the refund limit on one day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefundWindow {
    /// The day looked at.
    pub as_of: NaiveDate,
    /// The limit (USD 50,000 in both presets).
    pub limit: Money,
    /// Sum of the entries that count as of `as_of`.
    pub consumed: Money,
    /// `max(0, limit − consumed)`.
    pub headroom: Money,
    /// Every ledger entry, in input order, with whether it counts and when it is released.
    pub entries: Vec<WindowEntry>,
}

/// Validates the ledger: amounts in the limit's currency, within `0..=MAX_AMOUNT`.
pub(crate) fn validate_ledger(
    policy: &Policy,
    prior: &[PriorRefund],
    path: &str,
) -> Result<(), QuoteError> {
    prior.iter().enumerate().try_for_each(|(i, r)| {
        let field = || format!("{path}[{i}].amount");
        check_currency(&r.amount, policy.refund_limit.currency, field)?;
        check_amount(&r.amount, field)
    })
}

/// The refund limit as of `as_of`: consumed, headroom, and each entry's release date.
pub fn refund_window(
    policy: &Policy,
    as_of: NaiveDate,
    prior_refunds: &[PriorRefund],
) -> Result<RefundWindow, QuoteError> {
    policy.validate()?;
    validate_ledger(policy, prior_refunds, "priorRefunds")?;
    let entries: Vec<WindowEntry> = prior_refunds
        .iter()
        .map(|r| WindowEntry {
            date: r.date,
            // Validated to the minor unit already: `round` only fixes the scale (50000 → 50000.00).
            amount: r.amount.round(),
            counts: counts_in_window(r.date, as_of, policy.limit_window_days),
            released_on: release_date(r.date, policy.limit_window_days),
        })
        .collect();
    let currency = policy.refund_limit.currency;
    let consumed = Money::checked_sum(
        currency,
        entries.iter().filter(|e| e.counts).map(|e| e.amount),
    )?
    .round();
    let limit = policy.refund_limit.round();
    let headroom = headroom(limit, consumed)?;
    Ok(RefundWindow {
        as_of,
        limit,
        consumed,
        headroom,
        entries,
    })
}

fn headroom(limit: Money, consumed: Money) -> Result<Money, QuoteError> {
    let h = limit.checked_sub(consumed)?;
    Ok(if h.is_negative() {
        Money::zero_rounded(limit.currency)
    } else {
        h
    })
}

/// The ledger sorted by date, to answer "consumed as of day a": by one pass over the entries for
/// a single day (the quote itself: no allocation when the ledger is already in date order, as
/// ledgers are kept), or by prefix sums once [`Ledger::indexed`] for the searches that ask about
/// many days.
pub(crate) struct Ledger<'a> {
    /// The entries by date (a stable sort: as given when already in order).
    sorted: Cow<'a, [PriorRefund]>,
    currency: Currency,
    window_days: u32,
    /// `prefix[i]` = sum of the first i amounts; empty until [`Ledger::indexed`].
    prefix: Vec<Money>,
    /// `releases[i]`: the day entry i stops counting (`None` past chrono's range), sorted like
    /// the entries since each is released the same number of days after it was made; empty
    /// until [`Ledger::indexed`].
    releases: Vec<Option<NaiveDate>>,
}

impl<'a> Ledger<'a> {
    /// The ledger in date order (it must be validated already).
    pub fn new(policy: &Policy, prior: &'a [PriorRefund]) -> Self {
        let sorted = if prior.is_sorted_by_key(|r| r.date) {
            Cow::Borrowed(prior)
        } else {
            let mut sorted = prior.to_vec();
            sorted.sort_by_key(|r| r.date);
            Cow::Owned(sorted)
        };
        Self {
            sorted,
            currency: policy.refund_limit.currency,
            window_days: policy.limit_window_days,
            prefix: Vec::new(),
            releases: Vec::new(),
        }
    }

    /// The same ledger with prefix sums and release dates, so that [`Ledger::consumed`] is two
    /// binary searches.
    pub fn indexed(mut self) -> Result<Self, QuoteError> {
        let mut prefix = Vec::with_capacity(self.sorted.len() + 1);
        let mut acc = Money::zero(self.currency);
        prefix.push(acc);
        // Exact sums: amounts are validated to the minor unit, and no entry is rounded before
        // it is added (three entries of 16,666.665 must not sum to 49,999.98).
        for r in self.sorted.iter() {
            acc = acc.checked_add(r.amount)?;
            prefix.push(acc);
        }
        self.prefix = prefix;
        self.releases = self.sorted.iter().map(|r| release_date(r.date, self.window_days)).collect();
        Ok(self)
    }

    /// The days on which what counts changes: each entry's date (it starts counting) and its
    /// release date (it stops). Between two consecutive such days, `consumed` is constant.
    pub fn change_dates(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        let dates = self.sorted.iter().map(|r| r.date);
        dates.clone().chain(dates.filter_map(|d| release_date(d, self.window_days)))
    }

    /// The first of [`Ledger::change_dates`] after `day` (`None`: what counts never changes
    /// again): two binary searches, since entries are released in the order they were made.
    pub fn next_change_after(&self, day: NaiveDate) -> Option<NaiveDate> {
        let made = self.sorted.partition_point(|r| r.date <= day);
        let next_made = self.sorted.get(made).map(|r| r.date);
        // Released by `day` ⇔ date + window ≤ day ⇔ date ≤ day − window (none when that is before
        // chrono's range); the first entry after those is released after `day`, or past chrono's range.
        let released = match day.checked_sub_days(Days::new(u64::from(self.window_days))) {
            Some(last) => self.sorted.partition_point(|r| r.date <= last),
            None => 0,
        };
        let next_release = self.sorted.get(released).and_then(|r| release_date(r.date, self.window_days));
        match (next_made, next_release) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Sum of the entries that count as of `as_of` (made on or before it, not yet released):
    /// the exact value, whose scale may be the minor unit's or more (round it to report it).
    pub fn consumed(&self, as_of: NaiveDate) -> Result<Money, QuoteError> {
        let hi = self.sorted.partition_point(|r| r.date <= as_of);
        if !self.prefix.is_empty() {
            // Indexed: two binary searches over plain date comparisons, no date arithmetic.
            let lo = self.releases.partition_point(|r| r.is_some_and(|r| r <= as_of));
            // Exact: every amount has at most the minor unit's decimals (validated), so no rounding.
            return Ok(self.prefix[hi].checked_sub(self.prefix[lo.min(hi)])?);
        }
        // Entry d is released by `as_of` when d + window ≤ as_of, that is d ≤ as_of − window
        // (neither side past chrono's range: an entry released past it never is).
        let lo = match as_of.checked_sub_days(Days::new(u64::from(self.window_days))) {
            Some(last) => self.sorted.partition_point(|r| r.date <= last),
            None => 0,
        }
        .min(hi);
        let counting = &self.sorted[lo..hi];
        // Amounts at the minor unit (as ledgers hold them): their sum in integers, the same value
        // at the same scale as rounding the `Decimal` sum gives.
        let dp = self.currency.minor_units();
        if counting.iter().all(|r| r.amount.amount.scale() == dp) {
            let sum = counting.iter().map(|r| r.amount.amount.mantissa()).sum::<i128>();
            if let Ok(amount) = Decimal::try_from_i128_with_scale(sum, dp) {
                return Ok(Money::new(amount, self.currency));
            }
        }
        // The same two prefix sums as the index, added in the same order, in one pass.
        let mut acc = Money::zero(self.currency);
        let mut released = acc;
        for (i, r) in self.sorted[..hi].iter().enumerate() {
            if i == lo {
                released = acc;
            }
            acc = acc.checked_add(r.amount)?;
        }
        if lo == hi {
            released = acc;
        }
        Ok(acc.checked_sub(released)?)
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;
    use crate::currency::Currency;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }
    fn usd(a: rust_decimal::Decimal) -> Money {
        Money::new(a, Currency::USD)
    }

    #[test]
    fn window_boundaries() {
        let e = d("2025-03-01");
        assert!(!counts_in_window(e, d("2025-02-28"), 365));
        assert!(counts_in_window(e, e, 365));
        assert!(counts_in_window(e, d("2026-02-28"), 365));
        assert!(!counts_in_window(e, d("2026-03-01"), 365));
        assert_eq!(release_date(e, 365), Some(d("2026-03-01")));
        // Across a leap day the release is still 365 days later, not the same calendar date.
        assert_eq!(release_date(d("2027-06-01"), 365), Some(d("2028-05-31")));
    }

    #[test]
    fn refund_window_consumed_and_headroom() {
        let p = Policy::azure_current();
        let ledger = [
            PriorRefund {
                date: d("2025-01-10"),
                amount: usd(dec!(10000)),
            },
            PriorRefund {
                date: d("2025-06-01"),
                amount: usd(dec!(2400)),
            },
            PriorRefund {
                date: d("2026-12-01"),
                amount: usd(dec!(5)),
            },
        ];
        let w = refund_window(&p, d("2026-01-09"), &ledger).unwrap();
        assert_eq!(w.consumed, usd(dec!(12400.00)));
        assert_eq!(w.headroom, usd(dec!(37600.00)));
        assert_eq!(w.entries[0].released_on, Some(d("2026-01-10")));
        assert!(w.entries.iter().map(|e| e.counts).eq([true, true, false]));
        let w = refund_window(&p, d("2026-01-10"), &ledger).unwrap();
        assert_eq!(w.consumed, usd(dec!(2400.00)));
        let scan = Ledger::new(&p, &ledger);
        let reversed: Vec<PriorRefund> = ledger.iter().rev().copied().collect();
        let unsorted = Ledger::new(&p, &reversed);
        let idx = Ledger::new(&p, &ledger).indexed().unwrap();
        let in_cents: Vec<PriorRefund> = ledger.iter().map(|r| PriorRefund { amount: r.amount.round(), ..*r }).collect();
        for day in [
            "2024-12-31",
            "2025-01-10",
            "2026-01-09",
            "2026-01-10",
            "2026-06-01",
            "2026-12-01",
            "2027-12-01",
        ] {
            assert_eq!(
                idx.consumed(d(day)).unwrap(),
                refund_window(&p, d(day), &ledger).unwrap().consumed,
                "{day}"
            );
            // The one-pass sum, rounded, is the indexed one bit for bit, in or out of date
            // order, and by the integer sum (amounts in cents) as by the `Decimal` one.
            let bits = |l: &Ledger| l.consumed(d(day)).unwrap().round().amount.serialize();
            assert_eq!(bits(&scan), bits(&idx), "{day}");
            assert_eq!(bits(&unsorted), bits(&idx), "{day}");
            assert_eq!(bits(&Ledger::new(&p, &in_cents)), bits(&idx), "{day}");
        }
    }

    /// `next_change_after` is the least change date after the day, for ledgers in and out of
    /// date order, short and long windows, and days before, among and after the entries.
    #[test]
    fn next_change_after_is_the_least_later_change_date() {
        let mut next = crate::test_rng::below(0x853c_49e6_748f_ea9bu64);
        let base = d("2024-01-01");
        for _ in 0..3000 {
            let window = 1 + next(400) as u32;
            let policy = Policy { limit_window_days: window, ..Policy::azure_current() };
            let ledger: Vec<PriorRefund> = (0..next(8))
                .map(|_| PriorRefund { date: base + Days::new(next(500)), amount: usd(dec!(1)) })
                .collect();
            let l = Ledger::new(&policy, &ledger);
            for _ in 0..20 {
                let day = base + Days::new(next(1400)) - Days::new(200);
                let expected = l.change_dates().filter(|c| *c > day).min();
                assert_eq!(l.next_change_after(day), expected, "{day} {window} {ledger:?}");
            }
        }
        // At the edges of chrono's range: no release date, no window start.
        let edge = [PriorRefund { date: NaiveDate::MAX - Days::new(3), amount: usd(dec!(1)) }];
        let l = Ledger::new(&Policy::azure_current(), &edge);
        assert_eq!(l.next_change_after(NaiveDate::MAX - Days::new(3)), None);
        assert_eq!(l.next_change_after(NaiveDate::MIN), Some(NaiveDate::MAX - Days::new(3)));
    }

    #[test]
    fn headroom_never_negative() {
        let p = Policy::azure_current();
        let ledger = [PriorRefund {
            date: d("2025-01-10"),
            amount: usd(dec!(60000)),
        }];
        let w = refund_window(&p, d("2025-01-10"), &ledger).unwrap();
        assert_eq!(w.headroom, usd(dec!(0.00)));
    }

    #[test]
    fn ledger_must_be_usd_and_non_negative() {
        let p = Policy::azure_current();
        let eur = [PriorRefund {
            date: d("2025-01-10"),
            amount: Money::new(dec!(1), Currency::EUR),
        }];
        assert_eq!(
            refund_window(&p, d("2025-01-10"), &eur).unwrap_err().field,
            "priorRefunds[0].amount.currencyCode"
        );
        let neg = [PriorRefund {
            date: d("2025-01-10"),
            amount: usd(dec!(-1)),
        }];
        assert_eq!(
            refund_window(&p, d("2025-01-10"), &neg).unwrap_err().field,
            "priorRefunds[0].amount.amount"
        );
    }
}
