//! Terms, billing plans, expiry dates and monthly installment schedules.

use chrono::{Datelike, Months, NaiveDate};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::MoneyError;
use crate::money::Money;

/// Reservation term: one, three or five years (ISO 8601 durations on the wire).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Term {
    /// One year.
    P1Y,
    /// Three years.
    P3Y,
    /// Five years.
    P5Y,
}

impl Term {
    /// Length in years.
    pub fn years(self) -> u32 {
        match self {
            Term::P1Y => 1,
            Term::P3Y => 3,
            Term::P5Y => 5,
        }
    }

    /// Length in months (also the number of monthly installments).
    pub fn months(self) -> u32 {
        12 * self.years()
    }
}

/// How the reservation is paid for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum BillingPlan {
    /// The whole commitment at purchase.
    Upfront,
    /// `12 × years` monthly installments, the first on the purchase date.
    Monthly,
}

/// The day a reservation expires: same calendar date `term` years later (29 Feb → 28 Feb); `None` past chrono's range.
pub fn expiry_date(purchase: NaiveDate, term: Term) -> Option<NaiveDate> {
    purchase.checked_add_months(Months::new(term.months()))
}

/// One monthly installment: its due date and amount.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Installment {
    /// Due on `purchase + i months` (clamped to the month's last day).
    pub due: NaiveDate,
    /// Rounded to the currency's minor unit.
    pub amount: Money,
}

/// How a commitment is split into `n` monthly installments.
///
/// The installment rule: each installment is `round(C / n)` (half-even) and the last takes the
/// remainder. For tiny commitments (fewer minor units than about n²/2) that rule would make
/// the last installment negative; there C's minor units are handed out as evenly as possible,
/// the larger installments first (C = 1.00, n = 60: forty of 0.02, then twenty of 0.01).
/// Either way the installments sum to C exactly and none is negative.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct InstallmentPlan {
    commitment: Money,
    n: u32,
    split: Split,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Split {
    /// `regular` for each of the first n − 1 installments, the last is C − (n − 1) × regular ≥ 0.
    Regular { regular: Money },
    /// The first `larger` installments are `base + one minor unit`, the rest `base`.
    Even { base: Money, unit: Money, larger: u32 },
}

impl InstallmentPlan {
    /// The plan of `commitment` (already rounded to the minor unit) over `n ≥ 1` installments.
    pub fn new(commitment: Money, n: u32) -> Result<Self, MoneyError> {
        let n = n.max(1);
        let regular = match regular_installment_fast(commitment, n) {
            Some(regular) => regular,
            None => commitment.checked_div(Decimal::from(n))?.round(),
        };
        let last = commitment.checked_sub(regular.checked_mul(Decimal::from(n - 1))?)?;
        let split = if !last.is_negative() {
            Split::Regular { regular }
        } else {
            let unit = Money::new(Decimal::new(1, commitment.currency.minor_units()), commitment.currency);
            let units = commitment.checked_div(unit.amount)?.amount.trunc();
            let base_units = (units / Decimal::from(n)).floor();
            let larger = units - base_units * Decimal::from(n);
            Split::Even {
                base: unit.checked_mul(base_units)?.round(),
                unit,
                // 0 ≤ `larger` < n, so it fits.
                larger: larger.to_u32().ok_or(MoneyError::Overflow)?,
            }
        };
        Ok(Self { commitment, n, split })
    }

    /// Installment `i` (from 0).
    pub fn installment(&self, i: u32) -> Result<Money, MoneyError> {
        match self.split {
            Split::Regular { regular } if i + 1 < self.n => Ok(regular),
            Split::Regular { regular } => Ok(self
                .commitment
                .checked_sub(regular.checked_mul(Decimal::from(self.n - 1))?)?
                .round()),
            Split::Even { base, unit, larger } if i < larger => base.checked_add(unit),
            Split::Even { base, .. } => Ok(base),
        }
    }

    /// The sum of the first `k` installments (C for k ≥ n).
    pub fn paid_after(&self, k: u32) -> Result<Money, MoneyError> {
        if k >= self.n {
            return Ok(self.commitment);
        }
        let sum = match self.split {
            Split::Regular { regular } => regular.checked_mul(Decimal::from(k))?,
            Split::Even { base, unit, larger } => base
                .checked_mul(Decimal::from(k))?
                .checked_add(unit.checked_mul(Decimal::from(k.min(larger)))?)?,
        };
        Ok(sum.round())
    }
}

/// `round(C / n)` half-even to the minor unit, in integers, for a commitment C at its minor unit
/// of 0 < c < 10^20 minor units and n ≤ 100: the value and scale that dividing the `Decimal`s and
/// rounding give (their quotient keeps at least ten digits past the minor unit, and c / n is
/// either exactly half a unit past one or at least 1/(2n) away from half, so rounding that
/// quotient rounds the same way). `None` outside that range, left to the `Decimal`s.
fn regular_installment_fast(commitment: Money, n: u32) -> Option<Money> {
    let dp = commitment.currency.minor_units();
    let amount = commitment.amount;
    if amount.scale() != dp || amount.is_sign_negative() || n == 0 || n > 100 {
        return None;
    }
    let c = amount.mantissa();
    if c <= 0 || c >= 100_000_000_000_000_000_000 {
        return None;
    }
    let n = i128::from(n);
    let (mut q, r) = (c / n, c % n);
    if 2 * r > n || (2 * r == n && q % 2 == 1) {
        q += 1;
    }
    Some(Money::new(Decimal::try_from_i128_with_scale(q, dp).ok()?, commitment.currency))
}

/// The monthly schedule of `commitment` (already rounded): `n = 12 × years` installments that sum to it (see [`InstallmentPlan`]).
pub fn installment_schedule(
    commitment: Money,
    purchase: NaiveDate,
    term: Term,
) -> Result<Vec<Installment>, MoneyError> {
    let n = term.months();
    let plan = InstallmentPlan::new(commitment, n)?;
    (0..n)
        .map(|i| {
            let due = purchase
                .checked_add_months(Months::new(i))
                .ok_or(MoneyError::Overflow)?;
            Ok(Installment {
                due,
                amount: plan.installment(i)?,
            })
        })
        .collect()
}

/// How many of the `n` installments starting at `purchase` are due on or before `as_of`.
///
/// Installment i is due on `purchase + i months` (clamped to the month's last day), so only the
/// one due in as-of's own month needs a date comparison: constant time, whatever the term.
pub fn installments_due(purchase: NaiveDate, n: u32, as_of: NaiveDate) -> u32 {
    if as_of < purchase {
        return 0;
    }
    let months = (as_of.year() - purchase.year()) * 12 + as_of.month() as i32 - purchase.month() as i32;
    let Ok(months) = u32::try_from(months) else { return 0 };
    let due_this_month = purchase
        .checked_add_months(Months::new(months))
        .is_some_and(|due| due <= as_of);
    (months + u32::from(due_this_month)).min(n)
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;
    use crate::currency::Currency;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn expiry_same_calendar_date() {
        assert_eq!(
            expiry_date(d("2025-03-01"), Term::P1Y),
            Some(d("2026-03-01"))
        );
        assert_eq!(
            expiry_date(d("2025-03-01"), Term::P3Y),
            Some(d("2028-03-01"))
        );
        assert_eq!(
            expiry_date(d("2025-03-01"), Term::P5Y),
            Some(d("2030-03-01"))
        );
        assert_eq!(expiry_date(NaiveDate::MAX, Term::P1Y), None);
    }

    #[test]
    fn feb_29_expires_feb_28() {
        assert_eq!(
            expiry_date(d("2024-02-29"), Term::P1Y),
            Some(d("2025-02-28"))
        );
        assert_eq!(
            expiry_date(d("2024-02-29"), Term::P3Y),
            Some(d("2027-02-28"))
        );
        // Four years later is a leap year again, but 5 years is not.
        assert_eq!(
            expiry_date(d("2024-02-29"), Term::P5Y),
            Some(d("2029-02-28"))
        );
    }

    #[test]
    fn term_lengths_in_days_include_leap_days() {
        let days = |p: &str, t| (expiry_date(d(p), t).unwrap() - d(p)).num_days();
        assert_eq!(days("2025-03-01", Term::P1Y), 365);
        assert_eq!(days("2027-03-01", Term::P1Y), 366);
        assert_eq!(days("2024-03-01", Term::P3Y), 1095);
        assert_eq!(days("2025-03-01", Term::P3Y), 1096);
        assert_eq!(days("2024-02-29", Term::P1Y), 365);
        assert_eq!(days("2025-01-01", Term::P5Y), 1826);
    }

    /// The integer installment is the `Decimal` division's, rounded, bit for bit.
    #[test]
    fn regular_installment_in_integers_is_the_decimal_one() {
        let mut next = crate::test_rng::xorshift(0x9e37_79b9_7f4a_7c15u64);
        let mut fast = 0;
        for i in 0..100_000u32 {
            let c: i64 = match i % 3 {
                0 => (next() % 100_000) as i64,
                1 => (next() % 10_000_000_000) as i64,
                _ => (next() >> 1) as i64,
            };
            let n = [12, 36, 60, 1, 2, 7, 99, 100][i as usize % 8];
            for (currency, dp) in [(Currency::USD, 2), (Currency::JPY, 0)] {
                let commitment = Money::new(Decimal::new(c, dp), currency);
                let expected = commitment.checked_div(Decimal::from(n)).unwrap().round();
                if let Some(got) = regular_installment_fast(commitment, n) {
                    assert_eq!(got.amount.serialize(), expected.amount.serialize(), "{commitment} / {n}");
                    fast += 1;
                }
            }
        }
        assert!(fast > 190_000, "{fast}");
    }

    #[test]
    fn schedule_last_installment_absorbs_remainder() {
        let c = Money::new(dec!(1000.00), Currency::USD);
        let s = installment_schedule(c, d("2025-01-31"), Term::P3Y).unwrap();
        assert_eq!(s.len(), 36);
        assert_eq!(s[0].amount.amount, dec!(27.78));
        assert_eq!(s[35].amount.amount, dec!(1000.00) - dec!(27.78) * dec!(35));
        assert_eq!(s[35].amount.amount, dec!(27.70));
        assert_eq!(
            Money::checked_sum(Currency::USD, s.iter().map(|i| i.amount)).unwrap(),
            c
        );
        // Month-end purchase: due dates clamp to the month's last day without drifting.
        assert_eq!(s[1].due, d("2025-02-28"));
        assert_eq!(s[2].due, d("2025-03-31"));
    }

    #[test]
    fn schedule_in_yen_has_whole_units() {
        let c = Money::new(dec!(100000), Currency::JPY);
        let s = installment_schedule(c, d("2025-01-15"), Term::P1Y).unwrap();
        assert_eq!(s[0].amount.amount, dec!(8333));
        assert_eq!(s[11].amount.amount, dec!(8337));
        assert_eq!(
            Money::checked_sum(Currency::JPY, s.iter().map(|i| i.amount))
                .unwrap()
                .amount,
            dec!(100000)
        );
    }

    #[test]
    fn tiny_commitment_never_has_negative_installment() {
        let c = Money::new(dec!(1.00), Currency::USD);
        let s = installment_schedule(c, d("2025-01-15"), Term::P3Y).unwrap();
        assert!(s.iter().all(|i| !i.amount.is_negative()));
        assert_eq!(
            Money::checked_sum(Currency::USD, s.iter().map(|i| i.amount))
                .unwrap()
                .amount,
            dec!(1.00)
        );
    }

    /// The definition: count the due dates one by one.
    fn installments_due_by_counting(purchase: NaiveDate, n: u32, as_of: NaiveDate) -> u32 {
        (0..n)
            .take_while(|&i| purchase.checked_add_months(Months::new(i)).is_some_and(|due| due <= as_of))
            .count() as u32
    }

    #[test]
    fn installments_due_equals_counting_the_due_dates() {
        // Month ends, leap days and every day around them, for each term length.
        for purchase in ["2024-01-31", "2024-02-29", "2023-03-30", "2025-06-15", "2025-12-31"] {
            let purchase = d(purchase);
            for n in [12, 36, 60] {
                for offset in 0..(n as u64 * 31 + 40) {
                    let as_of = purchase + chrono::Days::new(offset);
                    assert_eq!(installments_due(purchase, n, as_of), installments_due_by_counting(purchase, n, as_of), "{purchase} {n} {as_of}");
                }
            }
        }
    }


    #[test]
    fn installments_due_counts_the_as_of_day() {
        let p = d("2025-03-01");
        assert_eq!(installments_due(p, 36, d("2025-02-28")), 0);
        assert_eq!(installments_due(p, 36, p), 1);
        assert_eq!(installments_due(p, 36, d("2025-03-31")), 1);
        assert_eq!(installments_due(p, 36, d("2025-04-01")), 2);
        assert_eq!(installments_due(p, 36, d("2026-03-01")), 13);
        assert_eq!(installments_due(p, 36, d("2040-01-01")), 36);
    }
}
