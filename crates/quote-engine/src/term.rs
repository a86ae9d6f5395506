//! Terms, billing plans, expiry dates and monthly installment schedules.

use chrono::{Months, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::MoneyError;
use crate::money::Money;

/// Reservation term: one, three or five years (ISO 8601 durations on the wire).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
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

/// The regular installment of a commitment: `commitment / n` rounded half-even (capped so the last is never negative).
pub(crate) fn regular_installment(commitment: Money, n: u32) -> Result<Money, MoneyError> {
    let regular = commitment.checked_div(Decimal::from(n))?.round();
    if n <= 1 {
        return Ok(commitment);
    }
    // For tiny commitments (under n(n−1)/2 minor units) rounding up n−1 times would overshoot
    // the commitment; cap so the last installment stays ≥ 0. Real reservations never hit this.
    let cap = commitment
        .checked_div(Decimal::from(n - 1))?
        .floor_to_minor();
    Ok(if cap.amount < regular.amount {
        cap
    } else {
        regular
    })
}

/// The monthly schedule of `commitment` (already rounded): `n = 12 × years` installments, the last absorbing the remainder.
pub fn installment_schedule(
    commitment: Money,
    purchase: NaiveDate,
    term: Term,
) -> Result<Vec<Installment>, MoneyError> {
    let n = term.months();
    let regular = regular_installment(commitment, n)?;
    let last = commitment
        .checked_sub(regular.checked_mul(Decimal::from(n - 1))?)?
        .round();
    (0..n)
        .map(|i| {
            let due = purchase
                .checked_add_months(Months::new(i))
                .ok_or(MoneyError::Overflow)?;
            Ok(Installment {
                due,
                amount: if i + 1 == n { last } else { regular },
            })
        })
        .collect()
}

/// How many of the `n` installments starting at `purchase` are due on or before `as_of`.
pub(crate) fn installments_due(purchase: NaiveDate, n: u32, as_of: NaiveDate) -> u32 {
    if as_of < purchase {
        return 0;
    }
    (0..n)
        .take_while(|&i| {
            purchase
                .checked_add_months(Months::new(i))
                .is_some_and(|due| due <= as_of)
        })
        .count() as u32
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
