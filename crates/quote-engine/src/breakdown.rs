//! The per-reservation arithmetic shared by refunds and exchanges: C, P, U, RC, F, B.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use crate::error::MoneyError;
use crate::money::Money;
use crate::term::{installments_due, BillingPlan, InstallmentPlan, Term};

/// The position of an as-of date within a term.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct TermClock {
    pub start: NaiveDate,
    pub expiry: NaiveDate,
    /// The as-of date itself.
    pub as_of: NaiveDate,
    /// T: days from start to expiry.
    pub term_days: i64,
    /// E: days from start to as-of, unclamped (negative before the start).
    pub elapsed_days: i64,
}

impl TermClock {
    pub fn new(start: NaiveDate, expiry: NaiveDate, as_of: NaiveDate) -> Self {
        // Day numbers rather than `Sub` (a `TimeDelta` through cycles): the limit searches build
        // a clock for every day they try.
        let day = |d: NaiveDate| i64::from(d.num_days_from_ce());
        Self {
            start,
            expiry,
            as_of,
            term_days: day(expiry) - day(start),
            elapsed_days: day(as_of) - day(start),
        }
    }

    /// E clamped to `0..=T`, for hypothetical figures outside the term.
    pub fn clamped_elapsed(&self) -> i64 {
        self.elapsed_days.clamp(0, self.term_days)
    }
}

/// The figures of returning quantity q of a reservation, all rounded to the minor unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Breakdown {
    /// C = round(unit price × q).
    pub commitment: Money,
    /// P: everything paid so far.
    pub paid: Money,
    /// Installments paid (1 of 1 for upfront).
    pub installments_paid: u32,
    /// Installments in the plan (1 for upfront).
    pub installments: u32,
    /// U = round(C × E / T).
    pub used: Money,
    /// RC = C − U.
    pub remaining: Money,
    /// F = C − P.
    pub canceled_future: Money,
    /// B = max(0, P − U).
    pub base: Money,
}

impl Breakdown {
    /// C = round(unit price × q).
    pub fn commitment(unit_price: Money, quantity: u32) -> Result<Money, MoneyError> {
        Ok(unit_price.checked_mul(Decimal::from(quantity))?.round())
    }

    /// U = round(C × E / T), E clamped into the term (all of C at or past the end); C is rounded.
    pub fn used(commitment: Money, clock: &TermClock) -> Result<Money, MoneyError> {
        if clock.term_days <= 0 {
            return Ok(commitment);
        }
        // In integer minor units: C = c × 10^−dp exactly (C is rounded), so
        // U = round_half_even(c × E / T) × 10^−dp, with no 28-digit intermediate to round twice
        // and no Decimal division (the limit searches call this dozens of times per quote).
        let (c, dp) = (commitment.amount.mantissa(), commitment.amount.scale());
        let (e, t) = (i128::from(clock.clamped_elapsed()), i128::from(clock.term_days));
        let product = c.checked_mul(e).ok_or(MoneyError::Overflow)?;
        let (mut u, rest) = (product / t, product % t);
        if 2 * rest > t || (2 * rest == t && u % 2 == 1) {
            u += 1;
        }
        let amount = Decimal::try_from_i128_with_scale(u, dp).map_err(|_| MoneyError::Overflow)?;
        Ok(Money::new(amount, commitment.currency))
    }

    /// RC = C − U alone, without the payment plan: what the canceled-commitment limit counts.
    pub fn remaining(unit_price: Money, quantity: u32, clock: &TermClock) -> Result<Money, MoneyError> {
        let commitment = Self::commitment(unit_price, quantity)?;
        commitment.checked_sub(Self::used(commitment, clock)?)
    }

    /// Computes the figures at `clock` (E clamped into the term).
    pub fn compute(
        unit_price: Money,
        quantity: u32,
        plan: BillingPlan,
        term: Term,
        clock: &TermClock,
    ) -> Result<Self, MoneyError> {
        let commitment = Self::commitment(unit_price, quantity)?;
        let (paid, installments_paid, installments) = match plan {
            BillingPlan::Upfront => (commitment, 1, 1),
            BillingPlan::Monthly => {
                let n = term.months();
                let k = if clock.elapsed_days < 0 {
                    0
                } else {
                    // start + clamped E: as-of itself within the term, the expiry past it.
                    let as_of = if clock.elapsed_days <= clock.term_days { clock.as_of } else { clock.expiry };
                    installments_due(clock.start, n, as_of)
                };
                let paid = InstallmentPlan::new(commitment, n)?.paid_after(k)?;
                (paid, k, n)
            }
        };
        let used = Self::used(commitment, clock)?;
        let remaining = commitment.checked_sub(used)?;
        let canceled_future = commitment.checked_sub(paid)?;
        let over = paid.checked_sub(used)?;
        let base = if over.is_negative() {
            Money::zero_rounded(paid.currency)
        } else {
            over
        };
        Ok(Self {
            commitment,
            paid,
            installments_paid,
            installments,
            used,
            remaining,
            canceled_future,
            base,
        })
    }
}
