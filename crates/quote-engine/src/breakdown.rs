//! The per-reservation arithmetic shared by refunds and exchanges: C, P, U, RC, F, B.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use crate::error::MoneyError;
use crate::money::Money;
use crate::term::{installment_schedule, installments_due, BillingPlan, Installment, InstallmentPlan, Term};

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

/// U = round_half_even(c × e / t) in minor units, for a commitment of `c` minor units, `e` days
/// used of `t` (`t > 0`): in integers, with no 28-digit intermediate to round twice.
pub(crate) fn used_minor(c: i128, e: i128, t: i128) -> Result<i128, MoneyError> {
    let product = c.checked_mul(e).ok_or(MoneyError::Overflow)?;
    let (mut u, rest) = (product / t, product % t);
    if 2 * rest > t || (2 * rest == t && u % 2 == 1) {
        u += 1;
    }
    Ok(u)
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
        let u = used_minor(c, e, t)?;
        let amount = Decimal::try_from_i128_with_scale(u, dp).map_err(|_| MoneyError::Overflow)?;
        Ok(Money::new(amount, commitment.currency))
    }

    /// The least E in `0..=t` with U ≥ `need`, U in minor units as [`Breakdown::used`] computes it
    /// for a commitment of `c` minor units (`c ≥ 0`, `t > 0`): U never falls as E grows, so every
    /// later E reaches `need` too. `Ok(None)` when not even E = t does (`need > c`).
    ///
    /// The estimate ⌈(2·need − 1)·t / 2c⌉ is the least E with c·E/t ≥ need − ½, which rounds to
    /// `need` or (at an exact midpoint, half-even) to `need − 1`: the answer is it or the next day.
    /// Both steps below check with [`used_minor`] itself, so the answer is exact by construction.
    pub fn first_elapsed_reaching(c: i128, t: i128, need: i128) -> Result<Option<i128>, MoneyError> {
        if need <= 0 {
            return Ok(Some(0));
        }
        if need > c || t <= 0 {
            return Ok(None);
        }
        // 1 ≤ need ≤ c here, so 2·need − 1 and 2·c − 1 are positive.
        let overflow = || MoneyError::Overflow;
        let den = c.checked_mul(2).ok_or_else(overflow)?;
        let num = (2 * need - 1).checked_mul(t).and_then(|n| n.checked_add(den - 1)).ok_or_else(overflow)?;
        let mut e = (num / den).clamp(0, t);
        while e > 0 && used_minor(c, e - 1, t)? >= need {
            e -= 1;
        }
        while e < t && used_minor(c, e, t)? < need {
            e += 1;
        }
        Ok(Some(e))
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

/// The remaining commitment RC = C − U of `quantity` units at `unit_price` (the whole-term price
/// of one unit) over the term from `start` to `expiry`, as of `as_of`: the arithmetic a refund
/// and an exchange quote use (U pro-rated by whole days, E clamped into the term: all of C
/// before the start, none at or past the expiry). What a reservation still commits the customer
/// to, which the partner's worklist puts at stake.
pub fn remaining_commitment(unit_price: Money, quantity: u32, start: NaiveDate, expiry: NaiveDate, as_of: NaiveDate) -> Result<Money, MoneyError> {
    Breakdown::remaining(unit_price, quantity, &TermClock::new(start, expiry, as_of))
}

/// What `quantity` units at `unit_price` (the whole-term price of one unit) cost and when they
/// are due under `plan`: the commitment C = round(unit price × quantity), Upfront in one payment
/// on the purchase date, Monthly as the [`installment_schedule`](crate::installment_schedule) of C from the purchase date.
/// These are the very payments a refund quote counts as paid (P): the first
/// [`installments_due`](crate::installments_due)`(purchase, len, as_of)` of them.
pub fn payments(
    unit_price: Money,
    quantity: u32,
    plan: BillingPlan,
    term: Term,
    purchase: NaiveDate,
) -> Result<Vec<Installment>, MoneyError> {
    let commitment = Breakdown::commitment(unit_price, quantity)?;
    match plan {
        BillingPlan::Upfront => Ok(vec![Installment { due: purchase, amount: commitment }]),
        BillingPlan::Monthly => installment_schedule(commitment, purchase, term),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::currency::Currency;
    use rust_decimal_macros::dec;

    /// RC = C − round(C × E / T): all of C before the start, none from the expiry, and whole days
    /// in between (4 units of 1,200 over 365 days, 182 used: 4,800 − 2,393.42).
    #[test]
    fn the_remaining_commitment_is_the_unused_share_in_whole_days() {
        let unit = Money::new(dec!(1200.00), Currency::USD);
        let (start, expiry) = (NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(), NaiveDate::from_ymd_opt(2027, 1, 1).unwrap());
        let at = |y, m, d| remaining_commitment(unit, 4, start, expiry, NaiveDate::from_ymd_opt(y, m, d).unwrap()).unwrap().amount;
        assert_eq!(at(2026, 7, 2), dec!(2406.58));
        assert_eq!(at(2025, 12, 1), dec!(4800.00));
        assert_eq!(at(2027, 1, 1), dec!(0.00));
        assert_eq!(at(2027, 6, 1), dec!(0.00));
    }

    /// The closed form is the least E found by trying every E in turn, for small and large
    /// commitments, terms of one day to five years, and needs around 0 and C and at midpoints.
    #[test]
    fn first_elapsed_reaching_is_the_least_e_that_reaches() {
        let mut next = crate::test_rng::below(0x2545_f491_4f6c_dd1du64);
        let mut tried = 0u32;
        for i in 0..4000 {
            let t = i128::from(1 + next(if i % 4 == 0 { 1900 } else { 400 }));
            let c = i128::from(match i % 5 {
                0 => next(10),
                1 => next(1000),
                2 => next(1_000_000),
                3 => t as u64 * (1 + next(50)) / 2,
                _ => next(1 << 60),
            });
            let scan = |need: i128| (0..=t).find(|&e| used_minor(c, e, t).unwrap() >= need);
            for _ in 0..24 {
                let need = match next(4) {
                    0 => c - 3 + next(7) as i128,
                    1 => next(5) as i128 - 2,
                    // U at some E, and one past it: where a midpoint may round either way.
                    2 => used_minor(c, next(t as u64 + 1) as i128, t).unwrap() + next(2) as i128,
                    _ => next(c as u64 + 2) as i128,
                };
                assert_eq!(Breakdown::first_elapsed_reaching(c, t, need).unwrap(), scan(need), "c {c} t {t} need {need}");
                tried += 1;
            }
        }
        assert_eq!(tried, 96_000);
        // Midpoints that round down (half-even): c·E/t = 0.5 at E = 1 rounds to 0, so 1 needs
        // E = 2; 2.5 at E = 5 rounds to 2, so 3 needs E = 6.
        assert_eq!(used_minor(1, 1, 2).unwrap(), 0);
        assert_eq!(Breakdown::first_elapsed_reaching(1, 2, 1).unwrap(), Some(2));
        assert_eq!(used_minor(5, 5, 10).unwrap(), 2);
        assert_eq!(Breakdown::first_elapsed_reaching(5, 10, 3).unwrap(), Some(6));
        assert_eq!(Breakdown::first_elapsed_reaching(5, 10, 6).unwrap(), None);
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn payments_are_what_a_refund_counts_as_paid() {
        let unit = Money::new(dec!(333.33), Currency::USD);
        let upfront = payments(unit, 3, BillingPlan::Upfront, Term::P3Y, d("2025-01-31")).unwrap();
        assert_eq!(upfront, vec![Installment { due: d("2025-01-31"), amount: Money::new(dec!(999.99), Currency::USD) }]);
        for term in [Term::P1Y, Term::P3Y, Term::P5Y] {
            let monthly = payments(unit, 3, BillingPlan::Monthly, term, d("2025-01-31")).unwrap();
            let commitment = Money::new(dec!(999.99), Currency::USD);
            assert_eq!(monthly, installment_schedule(commitment, d("2025-01-31"), term).unwrap());
            let plan = InstallmentPlan::new(commitment, term.months()).unwrap();
            let mut sum = Money::zero(Currency::USD);
            for k in 0..=term.months() {
                assert_eq!(sum.round(), plan.paid_after(k).unwrap(), "{term:?} after {k}");
                if let Some(i) = monthly.get(k as usize) {
                    sum = sum.checked_add(i.amount).unwrap();
                }
            }
        }
    }
}
