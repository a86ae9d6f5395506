//! The per-reservation arithmetic shared by refunds and exchanges: C, P, U, RC, F, B.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::error::MoneyError;
use crate::money::Money;
use crate::term::{installments_due, regular_installment, BillingPlan, Term};

/// The position of an as-of date within a term.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct TermClock {
    pub start: NaiveDate,
    pub expiry: NaiveDate,
    /// T: days from start to expiry.
    pub term_days: i64,
    /// E: days from start to as-of, unclamped (negative before the start).
    pub elapsed_days: i64,
}

impl TermClock {
    pub fn new(start: NaiveDate, expiry: NaiveDate, as_of: NaiveDate) -> Self {
        Self {
            start,
            expiry,
            term_days: (expiry - start).num_days(),
            elapsed_days: (as_of - start).num_days(),
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
    /// Computes the figures at `clock` (E clamped into the term).
    pub fn compute(
        unit_price: Money,
        quantity: u32,
        plan: BillingPlan,
        term: Term,
        clock: &TermClock,
    ) -> Result<Self, MoneyError> {
        let commitment = unit_price.checked_mul(Decimal::from(quantity))?.round();
        let elapsed = clock.clamped_elapsed();
        let as_of = clock
            .start
            .checked_add_days(chrono::Days::new(elapsed as u64))
            .unwrap_or(clock.expiry);
        let (paid, installments_paid, installments) = match plan {
            BillingPlan::Upfront => (commitment, 1, 1),
            BillingPlan::Monthly => {
                let n = term.months();
                let k = if clock.elapsed_days < 0 {
                    0
                } else {
                    installments_due(clock.start, n, as_of)
                };
                let paid = if k >= n {
                    commitment
                } else {
                    regular_installment(commitment, n)?
                        .checked_mul(Decimal::from(k))?
                        .round()
                };
                (paid, k, n)
            }
        };
        let used = if clock.term_days <= 0 {
            commitment
        } else {
            commitment
                .checked_mul(Decimal::from(elapsed))?
                .checked_div(Decimal::from(clock.term_days))?
                .round()
        };
        let remaining = commitment.checked_sub(used)?;
        let canceled_future = commitment.checked_sub(paid)?;
        let over = paid.checked_sub(used)?;
        let base = if over.is_negative() {
            Money::zero(paid.currency).round()
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
