//! Refund quotes: returning quantity q of one reservation under a policy.

use std::borrow::Cow;

use chrono::{Days, Months, NaiveDate};
use rust_decimal::Decimal;

use crate::breakdown::{Breakdown, TermClock};
use crate::error::QuoteError;
use crate::fits_on::{first_fitting_day, first_fitting_day_canceled};
use crate::limit::{validate_ledger, Ledger};
use crate::money::Money;
use crate::outcome::{reason, LineDetail, Paid, PolicyError, PolicyErrorCode, PolicyWarning, QuoteLine, WarningCode};
use crate::policy::{LimitBasis, LimitMode, Policy, PolicyName};
use crate::reservation::{PriorRefund, Reservation};
use crate::rules::refund_price::{refund_unit_price, RefundPriceBasis, RefundUnitPrice};
use crate::term::BillingPlan;

/// The refund-limit side of a refund quote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefundPolicyResult {
    /// What already counts toward the limit as of the quote date (limit currency).
    pub consumed_refunds_total: Money,
    /// The limit (USD 50,000 in both presets).
    pub max_refund_limit: Money,
    /// What this refund adds to the window (zero when the quote has policy errors).
    pub counted_toward_limit: Money,
    /// Refusals; empty when the refund can go ahead.
    pub policy_errors: Vec<PolicyError>,
    /// Non-refusing notes, e.g. `RefundCapped`.
    pub warnings: Vec<PolicyWarning>,
}

/// An itemized refund quote; `lines` sum exactly to `refund_amount`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefundQuote {
    /// The policy applied.
    pub policy: PolicyName,
    /// The day quoted for.
    pub as_of: NaiveDate,
    /// Units returned.
    pub quantity: u32,
    /// The reservation's expiry date.
    pub expiry_date: NaiveDate,
    /// T: days in the term.
    pub term_days: i64,
    /// E: days from purchase to as-of (negative before the start).
    pub elapsed_days: i64,
    /// Monthly installments paid so far (1 of 1 for upfront).
    pub installments_paid: u32,
    /// Installments in the plan (1 for upfront).
    pub installments: u32,
    /// C: lifetime commitment of the returned units.
    pub commitment: Money,
    /// P: paid so far for the returned units.
    pub total_paid: Money,
    /// U: used, pro-rated by days.
    pub used_amount: Money,
    /// RC = C − U: the canceled commitment.
    pub remaining_commitment: Money,
    /// F = C − P: future payments that will not be collected.
    pub canceled_future_payments: Money,
    /// B = max(0, P − U): the pro-rated base the fee is a share of.
    pub pro_rated_base: Money,
    /// The early termination fee (zero when none applies).
    pub early_termination_fee: Money,
    /// What the customer gets back; refused by the limit, what the refund would be; refused
    /// for the reservation's state (not started, expired, bad quantity), zero.
    pub refund_amount: Money,
    /// The part lost to a truncating refund cap.
    pub forfeited_amount: Money,
    /// Billed in another currency than the limit's (USD): `refund_amount` in USD at the
    /// reservation's own rate (its USD price over its billing price), the money the refund
    /// moves as a USD customer's refund of the same units would; `None` when billed in USD.
    pub refund_amount_usd: Option<Money>,
    /// With `RefundLimitExceeded`: the largest quantity that would fit now.
    pub max_quantity_within_limit: Option<u32>,
    /// With `RefundLimitExceeded`: the first day the whole quantity would fit (`None`: not before expiry).
    pub fits_on: Option<NaiveDate>,
    /// Limit figures, policy errors and warnings.
    pub policy_result: RefundPolicyResult,
    /// The itemized breakdown.
    pub lines: Vec<QuoteLine>,
    /// With a `currentUnitPrice`: the unit price the refund is computed at (the lower of the
    /// two), which one it is and the two it was chosen from; `None` without one.
    pub refund_unit_price: Option<RefundUnitPrice>,
}

impl RefundQuote {
    /// True when the refund can go ahead (no policy errors).
    pub fn is_allowed(&self) -> bool {
        self.policy_result.policy_errors.is_empty()
    }
}

/// Which row of the policy table applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Rule {
    /// Within the grace period, no usage: refund = P.
    FullRefund,
    /// Within the grace period with usage: refund = B, no fee.
    ProRatedInGrace,
    /// After the grace period (or none): refund = B − fee.
    ProRatedWithFee,
}

/// The refund figures of one breakdown under one rule.
#[derive(Clone, Copy, Debug)]
struct Refund {
    fee: Money,
    refund: Money,
}

fn rule_for(policy: &Policy, elapsed_days: i64, has_usage: bool) -> Rule {
    match policy.grace_period_days {
        Some(g) if elapsed_days <= i64::from(g) && !has_usage => Rule::FullRefund,
        Some(g) if elapsed_days <= i64::from(g) => Rule::ProRatedInGrace,
        _ => Rule::ProRatedWithFee,
    }
}

fn apply_rule(policy: &Policy, rule: Rule, b: &Breakdown) -> Result<Refund, QuoteError> {
    let zero = Money::zero_rounded(b.base.currency);
    Ok(match rule {
        Rule::FullRefund => Refund {
            fee: zero,
            refund: b.paid,
        },
        Rule::ProRatedInGrace => Refund {
            fee: zero,
            refund: b.base,
        },
        Rule::ProRatedWithFee => {
            let fee = b.base.checked_mul(policy.effective_fee_rate())?.round();
            Refund {
                fee,
                refund: b.base.checked_sub(fee)?,
            }
        }
    })
}

/// `rate` in percent, without trailing zeros: 0.12 → `12`, 0.125 → `12.5`.
fn percent(rate: Decimal) -> Decimal {
    // The presets' 12 % without a multiplication and a normalization per quote (the same value).
    if rate == Decimal::new(12, 2) {
        return Decimal::from(12);
    }
    (rate * Decimal::ONE_HUNDRED).normalize()
}

/// The fee line's reason code, e.g. `early-termination-fee-12pct` (the presets' code without formatting).
fn fee_reason(pct: Decimal) -> Cow<'static, str> {
    if pct == Decimal::from(12) {
        Cow::Borrowed(reason::EARLY_TERMINATION_FEE_12PCT)
    } else {
        Cow::Owned(format!("{}{pct}pct", reason::EARLY_TERMINATION_FEE_PREFIX))
    }
}

/// The days on which what a refund of `reservation` counts can jump (besides the ledger's own
/// change dates): with the refunded amount as the basis, each installment due date and the
/// first day after the grace period. The canceled commitment only falls with time.
fn fits_on_breaks<'a>(
    policy: &'a Policy,
    reservation: &'a Reservation,
    ledger: &'a Ledger<'_>,
) -> impl Iterator<Item = NaiveDate> + 'a {
    let start = reservation.purchase_date;
    let by_refund = policy.limit_basis == LimitBasis::RefundedAmount;
    let installments = (0..reservation.term.months())
        .filter(move |_| by_refund && reservation.billing_plan == BillingPlan::Monthly)
        .filter_map(move |i| start.checked_add_months(Months::new(i)));
    let grace_end = policy
        .grace_period_days
        .filter(|_| by_refund)
        .and_then(move |g| start.checked_add_days(Days::new(u64::from(g) + 1)));
    ledger.change_dates().chain(installments).chain(grace_end)
}

/// Quotes returning `quantity` units of `reservation` on `as_of` under `policy`.
///
/// `prior_refunds` is the customer's ledger of what counted toward the refund limit.
/// Malformed input is an `Err`; policy outcomes are in `policy_result`.
pub fn quote_refund(
    policy: &Policy,
    as_of: NaiveDate,
    reservation: &Reservation,
    quantity: u32,
    prior_refunds: &[PriorRefund],
) -> Result<RefundQuote, QuoteError> {
    quote_refund_with(policy, as_of, reservation, quantity, prior_refunds, FitsOnSearch::Pieces)
}

/// How `fitsOn` is found: the searches of fits_on.rs (by jumps when the limit counts the
/// canceled commitment, else over pieces), or (tests only) over pieces always, or the day-by-day
/// oracle.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FitsOnSearch {
    Pieces,
    #[cfg(test)]
    PiecesOnly,
    #[cfg(test)]
    DayByDay,
}

fn quote_refund_with(
    policy: &Policy,
    as_of: NaiveDate,
    reservation: &Reservation,
    quantity: u32,
    prior_refunds: &[PriorRefund],
    search: FitsOnSearch,
) -> Result<RefundQuote, QuoteError> {
    policy.validate()?;
    let limit_currency = policy.refund_limit.currency;
    let limit_price = reservation.validate(&"reservation", limit_currency, true)?;
    validate_ledger(policy, prior_refunds, "priorRefunds")?;
    let expiry = reservation.expiry(&"reservation")?;
    let clock = TermClock::new(reservation.purchase_date, expiry, as_of);
    let currency = reservation.unit_price.currency;
    let zero = Money::zero_rounded(currency);
    let limit_zero = Money::zero_rounded(limit_currency);

    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    if as_of < reservation.purchase_date {
        errors.push(PolicyError {
            detail: None,
            code: PolicyErrorCode::ReservationNotStarted,
            message: format!(
                "The reservation starts on {}, after {as_of}.",
                reservation.purchase_date
            ),
        });
    } else if as_of >= expiry {
        errors.push(PolicyError {
            detail: None,
            code: PolicyErrorCode::ReservationExpired,
            message: format!("The reservation expired on {expiry}."),
        });
    }
    if quantity == 0 || quantity > reservation.quantity {
        errors.push(PolicyError {
            detail: None,
            code: PolicyErrorCode::InvalidRefundQuantity,
            message: format!(
                "Quantity must be between 1 and {}; got {quantity}.",
                reservation.quantity
            ),
        });
    }

    let b = Breakdown::compute(
        reservation.unit_price,
        quantity,
        reservation.billing_plan,
        reservation.term,
        &clock,
    )?;
    let rule = rule_for(policy, clock.elapsed_days, reservation.has_usage);
    // Refunds at the lower of the purchase and the current price (rules/refund_price.rs): when the
    // current price is lower, the pro-rated base is the one of the same reservation bought at it
    // (never more than at the purchase price). A full refund within a grace period gives back
    // what was paid.
    let mut refund_price = reservation
        .current_unit_price
        .map(|current| refund_unit_price(reservation.unit_price, current));
    let base_at_current = match refund_price {
        Some(p) if p.basis == RefundPriceBasis::CurrentPrice && rule != Rule::FullRefund => {
            let at = Breakdown::compute(p.unit_price, quantity, reservation.billing_plan, reservation.term, &clock)?;
            if at.base.amount < b.base.amount {
                Some(at.base)
            } else {
                // A refund at the lower price is never more than at the purchase price (the
                // lower price is there to lower it): the figure is the purchase price's, and
                // `basis` says so.
                refund_price = Some(p.capped_at_purchase_price());
                None
            }
        }
        _ => None,
    };
    let refund_base = base_at_current.unwrap_or(b.base);
    let Refund { fee, mut refund } = apply_rule(policy, rule, &Breakdown { base: refund_base, ..b })?;

    // At most five lines (paid, used, at the current price, fee, above the cap or refused): one
    // allocation, and no text: each line's English label is written only when asked for.
    let mut lines = Vec::with_capacity(5);
    let paid = match reservation.billing_plan {
        BillingPlan::Upfront => Paid::Upfront,
        BillingPlan::Monthly => Paid::Installments { paid: b.installments_paid, of: b.installments },
    };
    if rule == Rule::FullRefund {
        lines.push(QuoteLine::full_refund(
            paid,
            b.paid,
            reason::FULL_REFUND_WITHIN_GRACE,
            LineDetail::FullRefund { grace_days: policy.grace_period_days.unwrap_or(0) },
        ));
    } else {
        let paid_detail = match paid {
            Paid::Upfront => LineDetail::PaidUpfront,
            Paid::Installments { paid, of } => LineDetail::PaidInstallments { paid, of },
        };
        lines.push(QuoteLine::new(b.paid, reason::PAID_TO_DATE, paid_detail));
        let kept = b.paid.checked_sub(b.base)?;
        lines.push(QuoteLine::new(
            kept.negate(),
            reason::PRO_RATED,
            LineDetail::Used { days: clock.clamped_elapsed(), term_days: clock.term_days },
        ));
        if let (Some(base), Some(price)) = (base_at_current, refund_price) {
            lines.push(QuoteLine::new(
                base.checked_sub(b.base)?,
                reason::REFUND_AT_CURRENT_PRICE,
                LineDetail::CurrentPrice {
                    purchase_unit_price: price.purchase_unit_price,
                    current_unit_price: price.current_unit_price,
                },
            ));
        }
        if rule == Rule::ProRatedWithFee && policy.early_termination_fee_enabled {
            let pct = percent(policy.early_termination_fee_rate);
            lines.push(QuoteLine::new(
                fee.negate(),
                fee_reason(pct),
                LineDetail::Fee { rate_percent: pct, base: refund_base },
            ));
        }
    }

    let window_ledger = Ledger::new(policy, prior_refunds);
    let consumed = window_ledger.consumed(as_of)?.round();
    let limit = policy.refund_limit.round();
    let headroom = {
        let h = limit.checked_sub(consumed)?;
        if h.is_negative() {
            limit_zero
        } else {
            h
        }
    };
    // The lower current price in the limit's currency, at the reservation's own price ratio
    // (the current price itself when billing is in the limit's currency).
    let limit_current_price = match refund_price {
        Some(p) if p.basis == RefundPriceBasis::CurrentPrice => Some(if currency == limit_currency {
            p.unit_price
        } else {
            Money::new(limit_price.amount, limit_currency)
                .checked_mul(p.unit_price.amount)?
                .checked_div(reservation.unit_price.amount)?
                .round()
        }),
        _ => None,
    };
    // What returning `q` units on the day of `clock` would count toward the limit.
    let counted_at = |q: u32, clock: &TermClock| -> Result<Money, QuoteError> {
        Ok(match policy.limit_basis {
            LimitBasis::RefundedAmount => {
                let bl = Breakdown::compute(
                    limit_price,
                    q,
                    reservation.billing_plan,
                    reservation.term,
                    clock,
                )?;
                let rule = rule_for(policy, clock.elapsed_days, reservation.has_usage);
                // The refund at the lower price counts as refunded, on any day the searches try.
                let bl = match limit_current_price {
                    Some(price) if rule != Rule::FullRefund => {
                        let at = Breakdown::compute(price, q, reservation.billing_plan, reservation.term, clock)?;
                        Breakdown { base: at.base.checked_min(bl.base)?, ..bl }
                    }
                    _ => bl,
                };
                apply_rule(policy, rule, &bl)?.refund
            }
            // RC needs neither the payment plan nor the rule: the searches below call this often.
            LimitBasis::CanceledCommitment => Breakdown::remaining(limit_price, q, clock)?,
        })
    };
    // Whether `counted` on top of `consumed` stays within the limit (exact comparison: a window
    // that already holds more than the limit refuses even a refund that counts 0.00).
    let within_limit = |consumed: Money, counted: Money| -> Result<bool, QuoteError> {
        Ok(consumed.checked_add(counted)?.checked_le(limit)?)
    };

    // Refusals by the reservation's own state (not started, expired, bad quantity) have no refund.
    let refused_by_state = !errors.is_empty();
    let mut forfeited = zero;
    let mut counted = limit_zero;
    let mut max_quantity_within_limit = None;
    let mut fits_on = None;
    if !refused_by_state {
        // Billed in the limit's currency, `limit_price` is the unit price itself: what counts was
        // computed above already (the same figures from the same calls).
        counted = if currency == limit_currency {
            match policy.limit_basis {
                LimitBasis::RefundedAmount => refund,
                LimitBasis::CanceledCommitment => b.remaining,
            }
        } else {
            counted_at(quantity, &clock)?
        };
        match policy.limit_mode {
            LimitMode::Truncate => {
                // The headroom in the billing currency, at the reservation's own price ratio: a constant
                // conversion, so a capped refund never grows with time (exact when billing in USD).
                let headroom_billing = if limit_price.is_zero() || headroom.currency == currency {
                    Money::new(headroom.amount, currency)
                } else {
                    Money::new(headroom.amount, currency)
                        .checked_mul(reservation.unit_price.amount)?
                        .checked_div(limit_price.amount)?
                        .round()
                };
                let over_in_billing =
                    !limit_price.is_zero() && refund.checked_gt(headroom_billing)?;
                if over_in_billing || counted.checked_gt(headroom)? {
                    let capped = if over_in_billing {
                        headroom_billing
                    } else {
                        refund
                    };
                    forfeited = refund.checked_sub(capped)?;
                    counted = counted.checked_min(headroom)?;
                    if !forfeited.is_zero() {
                        warnings.push(PolicyWarning {
                            code: WarningCode::RefundCapped,
                            message: format!(
                                "The refund limit of {limit} per {} days leaves {headroom} (already counted: {consumed}); {forfeited} is forfeited.",
                                policy.limit_window_days
                            ),
                        });
                        lines.push(QuoteLine::new(
                            forfeited.negate(),
                            reason::REFUND_CAP_TRUNCATED,
                            LineDetail::AboveCap { headroom },
                        ));
                    }
                    refund = capped;
                }
            }
            LimitMode::Refuse if !within_limit(consumed, counted)? => {
                let fits = |q: u32, clock: &TermClock, consumed: Money| -> Result<bool, QuoteError> {
                    within_limit(consumed, counted_at(q, clock)?)
                };
                // Largest q' < q that fits now (binary search; the counted amount grows with q').
                let (mut lo, mut hi) = (0u32, quantity - 1);
                if !fits(0, &clock, consumed)? {
                    hi = 0;
                }
                while lo < hi {
                    let mid = lo + (hi - lo).div_ceil(2);
                    if fits(mid, &clock, consumed)? {
                        lo = mid;
                    } else {
                        hi = mid - 1;
                    }
                }
                max_quantity_within_limit = Some(lo);
                // First later day on which the whole quantity fits (entries are released, usage
                // grows): a search over the pieces in which the answer is monotone (fits_on.rs).
                // The whole quantity on a later day; with the canceled commitment as the basis,
                // C is the same every day and only U is recomputed.
                let commitment = Breakdown::commitment(limit_price, quantity)?;
                // With the canceled commitment as the basis, by jumps (fits_on.rs): the ledger is
                // asked about a day or two, not indexed.
                let by_jumps = match (search, policy.limit_basis) {
                    (FitsOnSearch::Pieces, LimitBasis::CanceledCommitment) => {
                        first_fitting_day_canceled(as_of, expiry, &clock, commitment, limit, &window_ledger)?
                    }
                    _ => None,
                };
                fits_on = match by_jumps {
                    Some(found) => found,
                    None => {
                        // The other searches ask about many days: prefix sums instead of a pass per day.
                        let window_ledger = window_ledger.indexed()?;
                        let fits_whole = |day: NaiveDate| {
                            let c = TermClock::new(reservation.purchase_date, expiry, day);
                            let counted = match policy.limit_basis {
                                LimitBasis::CanceledCommitment => commitment.checked_sub(Breakdown::used(commitment, &c)?)?,
                                LimitBasis::RefundedAmount => counted_at(quantity, &c)?,
                            };
                            within_limit(window_ledger.consumed(day)?, counted)
                        };
                        match search {
                            #[cfg(test)]
                            FitsOnSearch::DayByDay => {
                                crate::fits_on::first_fitting_day_by_day(as_of, expiry, fits_whole)?
                            }
                            _ => first_fitting_day(
                                as_of,
                                expiry,
                                fits_on_breaks(policy, reservation, &window_ledger),
                                fits_whole,
                            )?,
                        }
                    }
                };
                errors.push(PolicyError {
                    detail: None,
                    code: PolicyErrorCode::RefundLimitExceeded,
                    message: format!(
                        "This refund would count {counted} toward the limit of {limit} per {} days, which has {headroom} left (already counted: {consumed}).",
                        policy.limit_window_days
                    ),
                });
                // Refused by the limit, the quote still says what the refund would be (B), as
                // calculateRefund answers an amount beside its policy errors; nothing counts.
                counted = limit_zero;
            }
            LimitMode::Refuse => {}
        }
    }

    if refused_by_state {
        lines.push(QuoteLine::refused(
            errors.iter().map(|e| e.code),
            refund.negate(),
            reason::REFUSED_BY_POLICY,
        ));
        refund = zero;
    }

    // The refund as money moved in USD, at the order's own rate: what one approval threshold
    // compares for every billing currency.
    let refund_amount_usd = match currency == limit_currency {
        true => None,
        false if reservation.unit_price.is_zero() => Some(limit_zero),
        false => Some(
            Money::new(limit_price.amount, limit_currency)
                .checked_mul(refund.amount)?
                .checked_div(reservation.unit_price.amount)?
                .round(),
        ),
    };

    Ok(RefundQuote {
        policy: policy.name,
        as_of,
        quantity,
        expiry_date: expiry,
        term_days: clock.term_days,
        elapsed_days: clock.elapsed_days,
        installments_paid: b.installments_paid,
        installments: b.installments,
        commitment: b.commitment,
        total_paid: b.paid,
        used_amount: b.used,
        remaining_commitment: b.remaining,
        canceled_future_payments: b.canceled_future,
        pro_rated_base: b.base,
        early_termination_fee: fee,
        refund_amount: refund,
        forfeited_amount: forfeited,
        refund_amount_usd,
        max_quantity_within_limit,
        fits_on,
        policy_result: RefundPolicyResult {
            consumed_refunds_total: consumed,
            max_refund_limit: limit,
            counted_toward_limit: counted,
            policy_errors: errors,
            warnings,
        },
        lines,
        refund_unit_price: refund_price,
    })
}

#[cfg(test)]
mod tests {
    use chrono::Days;
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    use super::*;
    use crate::currency::Currency;
    use crate::policy::{LimitBasis, LimitMode};
    use crate::reservation::ReservedResourceType;
    use crate::term::Term;

    fn usd(cents: i64) -> Money {
        Money::new(Decimal::new(cents, 2), Currency::USD)
    }

    /// The presets, and a hand-built policy that refuses by the refunded amount (its
    /// counted amount jumps at installments and at the end of the grace period).
    fn policy() -> impl Strategy<Value = Policy> {
        prop_oneof![
            Just(Policy::azure_current()),
            Just(Policy {
                limit_mode: LimitMode::Refuse,
                limit_basis: LimitBasis::RefundedAmount,
                ..Policy::partner_center_2020()
            }),
        ]
    }

    prop_compose! {
        fn reservation()(term in prop_oneof![Just(Term::P1Y), Just(Term::P3Y), Just(Term::P5Y)],
                         monthly in any::<bool>(), start in 0u64..3000, quantity in 1u32..=10,
                         cents in 100_000i64..=3_000_000, has_usage in any::<bool>()) -> Reservation {
            Reservation {
                reserved_resource_type: ReservedResourceType::new("VirtualMachines").unwrap(),
                term,
                billing_plan: if monthly { BillingPlan::Monthly } else { BillingPlan::Upfront },
                purchase_date: NaiveDate::from_ymd_opt(2019, 1, 1).unwrap() + Days::new(start),
                quantity,
                unit_price: usd(cents),
                pricing_unit_price: None,
                has_usage,
                expiry_date: None,
                current_unit_price: None,
                sku_name: None,
            }
        }
    }

    /// With a lower current price, what a refund counts under a refunded-amount limit is the
    /// refund at that price, today and on every day the `fitsOn` searches try: both searches
    /// still agree, and the quote counts exactly its refund.
    #[test]
    fn a_lower_current_price_counts_as_refunded_on_every_day_the_searches_try() {
        let policy = Policy {
            limit_mode: LimitMode::Refuse,
            limit_basis: LimitBasis::RefundedAmount,
            ..Policy::partner_center_2020()
        };
        let mut searched = 0;
        for (monthly, quantity, ledger_cents) in [(false, 10, 4_000_000i64), (true, 10, 4_900_000), (false, 3, 4_990_000), (true, 1, 0)] {
            let r = Reservation {
                reserved_resource_type: ReservedResourceType::new("VirtualMachines").unwrap(),
                term: Term::P3Y,
                billing_plan: if monthly { BillingPlan::Monthly } else { BillingPlan::Upfront },
                purchase_date: NaiveDate::from_ymd_opt(2025, 1, 10).unwrap(),
                quantity,
                unit_price: usd(1_200_000),
                pricing_unit_price: None,
                has_usage: true,
                expiry_date: None,
                current_unit_price: Some(usd(900_000)),
                sku_name: None,
            };
            for days in [3u64, 200, 500] {
                let as_of = r.purchase_date + Days::new(days);
                let ledger = [PriorRefund { date: as_of - Days::new(30), amount: usd(ledger_cents) }];
                let fast = quote_refund_with(&policy, as_of, &r, quantity, &ledger, FitsOnSearch::Pieces).unwrap();
                let slow = quote_refund_with(&policy, as_of, &r, quantity, &ledger, FitsOnSearch::DayByDay).unwrap();
                assert_eq!(fast, slow);
                if fast.is_allowed() {
                    assert_eq!(fast.policy_result.counted_toward_limit, fast.refund_amount);
                } else {
                    searched += 1;
                    // `fitsOn` is the first day the whole quantity's refund at the lower price fits.
                    if let Some(day) = fast.fits_on {
                        assert!(quote_refund(&policy, day, &r, quantity, &ledger).unwrap().is_allowed(), "{day}");
                        assert!(!quote_refund(&policy, day - Days::new(1), &r, quantity, &ledger).unwrap().is_allowed(), "{day}");
                    }
                }
                let at_lower = quote_refund(&policy, as_of, &Reservation { unit_price: usd(900_000), current_unit_price: None, ..r.clone() }, quantity, &[]).unwrap();
                assert_eq!(fast.refund_amount, at_lower.refund_amount, "{days} days");
            }
        }
        assert!(searched >= 3, "only {searched} refusals");
    }

    /// The search over pieces returns exactly the day the day-by-day scan returns (and the rest
    /// of the quote is the same), for ledgers that release and add entries around as-of; most
    /// generated cases are refusals with a `fitsOn`, where the two searches really run.
    #[test]
    fn fits_on_search_equals_the_day_by_day_scan() {
        let inputs = (
            policy(),
            reservation(),
            0u64..1000,
            1u32..=10,
            prop::collection::vec((0u64..420, 100_000i64..=2_500_000), 0..6),
        );
        let config = ProptestConfig { cases: 384, failure_persistence: None, ..ProptestConfig::default() };
        let searched = std::cell::Cell::new(0u32);
        let result = proptest::test_runner::TestRunner::new(config).run(&inputs, |(policy, r, share, q, ledger)| {
            let expiry = crate::term::expiry_date(r.purchase_date, r.term).unwrap();
            let as_of = r.purchase_date + Days::new((expiry - r.purchase_date).num_days() as u64 * share / 1000);
            let ledger: Vec<PriorRefund> = ledger
                .into_iter()
                .map(|(back, cents)| PriorRefund { date: as_of + Days::new(20) - Days::new(back), amount: usd(cents) })
                .collect();
            let q = q.min(r.quantity);
            let fast = quote_refund_with(&policy, as_of, &r, q, &ledger, FitsOnSearch::Pieces).unwrap();
            let slow = quote_refund_with(&policy, as_of, &r, q, &ledger, FitsOnSearch::DayByDay).unwrap();
            prop_assert_eq!(&fast, &slow);
            let pieces = quote_refund_with(&policy, as_of, &r, q, &ledger, FitsOnSearch::PiecesOnly).unwrap();
            prop_assert_eq!(&pieces, &slow);
            if fast.fits_on.is_some() {
                searched.set(searched.get() + 1);
            }
            Ok(())
        });
        result.unwrap();
        assert!(searched.get() >= 384 / 4, "only {} of 384 cases found a fitsOn", searched.get());
    }
}
