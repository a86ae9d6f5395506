//! Exchange quotes: reservations returned toward new purchases.

use std::fmt;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::breakdown::{Breakdown, TermClock};
use crate::currency::Currency;
use crate::error::{QuoteError, QuoteErrorKind};
use crate::money::Money;
use crate::outcome::{reason, LineDetail, PolicyError, PolicyErrorCode, PolicyErrorDetail, QuoteLine};
use crate::policy::{Policy, PolicyName};
use crate::rules::exchange_eligibility::restriction;
use crate::rules::trade_in::{hours_in, trade_in_eligibility, MAX_TRADE_IN_RESERVATIONS};
use crate::rules::{check_vm_purchase, not_exchangeable, PurchaseKind};
use crate::reservation::{ExchangeReturn, Purchase, ReservedResourceType};
use crate::savings_plan::{minimum_hourly, SavingsPlanPurchase, SavingsPlanQuote};
use crate::term::{BillingPlan, InstallmentPlan};

/// An itemized exchange quote; `lines` sum exactly to `net_payable`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExchangeQuote {
    /// The policy applied (exchange rules are the same in both presets).
    pub policy: PolicyName,
    /// The day quoted for.
    pub as_of: NaiveDate,
    /// The settlement currency: that of the first return.
    pub currency: Currency,
    /// Σ pro-rated base B of the returns.
    pub refunds_total: Money,
    /// The same in the refund limit's currency (USD) when the exchange settles in another: each
    /// return's B at its USD price (`pricingUnitPrice`), what the approval threshold (USD) is
    /// compared with. `None` when the exchange settles in USD (`refunds_total` is it), or when a
    /// return has no USD price.
    pub refunds_total_usd: Option<Money>,
    /// What is due now for the purchases (upfront: commitment; monthly: first installment).
    pub purchases_total: Money,
    /// `purchases_total − refunds_total`; negative is a credit to the customer.
    pub net_payable: Money,
    /// Σ RC of the returns.
    pub remaining_commitment_total: Money,
    /// N: Σ lifetime commitment of the purchases.
    pub new_commitment_total: Money,
    /// Refusals; empty when the exchange can go ahead.
    pub policy_errors: Vec<PolicyError>,
    /// The itemized breakdown.
    pub lines: Vec<QuoteLine>,
    /// The savings plans bought (a trade-in), each quoted; empty for an exchange without.
    pub savings_plans: Vec<SavingsPlanQuote>,
}

impl ExchangeQuote {
    /// True when there are no policy errors.
    pub fn is_valid_exchange(&self) -> bool {
        self.policy_errors.is_empty()
    }
}

/// "Return 2", "Purchase 1": an item of an exchange in a policy message, written only when one is.
#[derive(Clone, Copy)]
enum Item {
    Return(usize),
    Purchase(usize),
    SavingsPlan(usize),
}

impl fmt::Display for Item {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Item::Return(n) => write!(f, "Return {n}"),
            Item::Purchase(n) => write!(f, "Purchase {n}"),
            Item::SavingsPlan(n) => write!(f, "Savings plan {n}"),
        }
    }
}

/// Quotes exchanging `returns` for `purchases` on `as_of`.
///
/// Items in another currency than the first return, or returns that are not active or
/// have an invalid quantity, are reported as policy errors and left out of the totals.
pub fn quote_exchange(
    policy: &Policy,
    as_of: NaiveDate,
    returns: &[ExchangeReturn],
    purchases: &[Purchase],
) -> Result<ExchangeQuote, QuoteError> {
    quote_exchange_with_savings_plans(policy, as_of, returns, purchases, &[])
}

/// Quotes exchanging `returns` for `purchases` and `savings_plans` on `as_of`: with savings
/// plans it is a trade-in (rules/trade_in.rs), and `purchases` may be empty.
///
/// A trade-in returns at most 100 reservations (`TradeInTooManyReservations`), each of a type
/// the plan may be traded for on `as_of` (`TradeInNotEligible`), and its new lifetime commitment
/// (reservations bought, plus each plan's hourly commitment × the hours of its term) is at least
/// the remaining commitment returned (`SavingsPlanCommitmentTooLow`, naming both). A reservation
/// bought after its service's exchange restriction date may still be traded in (the trade-in
/// policy does not change), and the returns of a trade-in without reservation purchases may be
/// of several families. Without savings plans the quote is [`quote_exchange`]'s, unchanged.
pub fn quote_exchange_with_savings_plans(
    policy: &Policy,
    as_of: NaiveDate,
    returns: &[ExchangeReturn],
    purchases: &[Purchase],
    savings_plans: &[SavingsPlanPurchase],
) -> Result<ExchangeQuote, QuoteError> {
    policy.validate()?;
    let first = returns
        .first()
        .ok_or_else(|| QuoteError::new("returns", QuoteErrorKind::EmptyList))?;
    if purchases.is_empty() && savings_plans.is_empty() {
        return Err(QuoteError::new("purchases", QuoteErrorKind::EmptyList));
    }
    let trade_in = !savings_plans.is_empty();
    // Only plans bought: the returns need not share a family (each is checked for the plan).
    let plans_only = trade_in && purchases.is_empty();
    for (i, r) in returns.iter().enumerate() {
        // Exchanges do not count toward the limit, so the USD price is optional here.
        r.reservation.validate(
            &format_args!("returns[{i}].reservation"),
            policy.refund_limit.currency,
            false,
        )?;
    }
    for (i, p) in purchases.iter().enumerate() {
        p.validate(&format_args!("purchases[{i}]"))?;
    }
    for (i, plan) in savings_plans.iter().enumerate() {
        plan.validate(&format_args!("savingsPlansToPurchase[{i}]"))?;
    }

    let currency = first.reservation.unit_price.currency;
    let family = &first.reservation.reserved_resource_type;
    let zero = Money::zero_rounded(currency);
    let mut errors = Vec::new();
    let mut lines = Vec::new();
    let mut check_item = |what: Item,
                          item_currency: Currency,
                          item_family: Option<&ReservedResourceType>|
     -> bool {
        if let Some(item_family) = item_family.filter(|f| *f != family) {
            errors.push(PolicyError {
                detail: None,
                code: PolicyErrorCode::ExchangeProductFamilyMismatch,
                message: format!("{what} is {item_family}, but the exchange is for {family}."),
            });
        }
        if item_currency != currency {
            errors.push(PolicyError {
                detail: None,
                code: PolicyErrorCode::CurrencyMismatch,
                message: format!("{what} is billed in {item_currency}, but the exchange settles in {currency}; it is left out of the totals."),
            });
            return false;
        }
        true
    };

    let mut refunds_total = zero;
    // In the limit's currency, while every return counted has a price in it.
    let limit_currency = policy.refund_limit.currency;
    let mut refunds_total_usd = (currency != limit_currency).then(|| Money::zero_rounded(limit_currency));
    let mut remaining_total = zero;
    let mut return_errors = Vec::new();
    for (i, ret) in returns.iter().enumerate() {
        let r = &ret.reservation;
        let what = Item::Return(i + 1);
        if !check_item(
            what,
            r.unit_price.currency,
            (!plans_only).then_some(&r.reserved_resource_type),
        ) {
            continue;
        }
        let expiry = r.expiry(&format_args!("returns[{i}].reservation"))?;
        let clock = TermClock::new(r.purchase_date, expiry, as_of);
        let refusal = if as_of < r.purchase_date {
            Some((
                PolicyErrorCode::ReservationNotStarted,
                format!("{what} starts on {}, after {as_of}.", r.purchase_date),
            ))
        } else if as_of >= expiry {
            Some((
                PolicyErrorCode::ReservationExpired,
                format!("{what} expired on {expiry}."),
            ))
        } else if ret.quantity == 0 || ret.quantity > r.quantity {
            Some((
                PolicyErrorCode::InvalidRefundQuantity,
                format!(
                    "{what}: quantity must be between 1 and {}; got {}.",
                    r.quantity, ret.quantity
                ),
            ))
        } else {
            None
        };
        if let Some((code, message)) = refusal {
            return_errors.push(PolicyError { detail: None, code, message });
            continue;
        }
        // Bought on or after its service's restriction date (1 February 2027 for the services
        // savings plans cover): not exchangeable. Still in the totals: the quote says what it
        // would be. (Units bought before keep one final exchange each; how many already used it
        // is the caller's record: rules::check_exchange.)
        // A trade-in for savings plans alone is not an exchange: the trade-in policy does not change.
        if let Some(service) = restriction(&r.reserved_resource_type).filter(|_| !plans_only) {
            if r.purchase_date >= service.from {
                let refusal = not_exchangeable(r.reserved_resource_type.as_str(), service.from, false);
                return_errors.push(PolicyError { message: format!("{what}: {}", refusal.message), ..refusal });
            }
        }
        let b = Breakdown::compute(r.unit_price, ret.quantity, r.billing_plan, r.term, &clock)?;
        refunds_total = refunds_total.checked_add(b.base)?;
        refunds_total_usd = match (refunds_total_usd, r.pricing_unit_price.filter(|p| p.currency == limit_currency)) {
            (Some(total), Some(price)) => {
                Some(total.checked_add(Breakdown::compute(price, ret.quantity, r.billing_plan, r.term, &clock)?.base)?)
            }
            _ => None,
        };
        remaining_total = remaining_total.checked_add(b.remaining)?;
        lines.push(QuoteLine::item(
            i + 1,
            b.base.negate(),
            reason::EXCHANGE_RETURN_PRO_RATED,
            LineDetail::ExchangeReturn {
                quantity: ret.quantity,
                reserved_resource_type: r.reserved_resource_type.clone(),
                term: r.term,
                paid: b.paid,
                used: b.used,
                days: clock.elapsed_days,
                term_days: clock.term_days,
            },
        ));
    }

    let mut purchase_errors = Vec::new();
    let mut purchases_total = zero;
    let mut new_commitment = zero;
    for (i, p) in purchases.iter().enumerate() {
        let what = Item::Purchase(i + 1);
        if !check_item(
            what,
            p.unit_price.currency,
            Some(&p.reserved_resource_type),
        ) {
            continue;
        }
        // A retired VM series × term cannot be bought (rules/retired_series.rs); still in the totals.
        if let Some(sku) = &p.sku_name {
            if let Err(refusal) = check_vm_purchase(sku, p.term, as_of, PurchaseKind::Purchase) {
                purchase_errors.push(PolicyError { message: format!("{what}: {}", refusal.message), ..refusal });
            }
        }
        let commitment = p.unit_price.checked_mul(Decimal::from(p.quantity))?.round();
        let (due, why, installments) = match p.billing_plan {
            BillingPlan::Upfront => (commitment, reason::PURCHASE_UPFRONT, None),
            BillingPlan::Monthly => (
                InstallmentPlan::new(commitment, p.term.months())?.installment(0)?,
                reason::PURCHASE_FIRST_INSTALLMENT,
                Some(p.term.months()),
            ),
        };
        new_commitment = new_commitment.checked_add(commitment)?;
        purchases_total = purchases_total.checked_add(due)?;
        lines.push(QuoteLine::item(
            i + 1,
            due,
            why,
            LineDetail::Purchase {
                quantity: p.quantity,
                reserved_resource_type: p.reserved_resource_type.clone(),
                term: p.term,
                commitment,
                installments,
            },
        ));
    }
    // Savings plans: each the hourly commitment × the hours of its term.
    let mut plan_errors = Vec::new();
    let mut plan_quotes = Vec::new();
    let mut plan_lines = Vec::new();
    for (i, plan) in savings_plans.iter().enumerate() {
        let what = Item::SavingsPlan(i + 1);
        if !check_item(what, plan.hourly_commitment.currency, None) {
            continue;
        }
        for (j, ret) in returns.iter().enumerate() {
            let family = ret.reservation.reserved_resource_type.as_str();
            if trade_in_eligibility(family, &plan.sku_name, plan.term, as_of).is_none() {
                plan_errors.push(PolicyError {
                    detail: Some(PolicyErrorDetail::TradeInNotEligible {
                        reserved_resource_type: family.to_owned(),
                        savings_plan_sku: plan.sku_name.clone(),
                        term: plan.term,
                    }),
                    code: PolicyErrorCode::TradeInNotEligible,
                    message: format!(
                        "{}: a {family} reservation cannot be traded in for {what} ({}, {} year{}).",
                        Item::Return(j + 1),
                        plan.sku_name,
                        plan.term.years(),
                        if plan.term.years() == 1 { "" } else { "s" }
                    ),
                });
            }
        }
        let hours = hours_in(plan.term);
        let commitment = plan.hourly_commitment.checked_mul(Decimal::from(hours))?.round();
        let (due, why, installments) = match plan.billing_plan {
            BillingPlan::Upfront => (commitment, reason::SAVINGS_PLAN_UPFRONT, None),
            BillingPlan::Monthly => (
                InstallmentPlan::new(commitment, plan.term.months())?.installment(0)?,
                reason::SAVINGS_PLAN_FIRST_INSTALLMENT,
                Some(plan.term.months()),
            ),
        };
        new_commitment = new_commitment.checked_add(commitment)?;
        purchases_total = purchases_total.checked_add(due)?;
        plan_lines.push(QuoteLine::item(
            i + 1,
            due,
            why,
            LineDetail::SavingsPlanPurchase {
                sku_name: plan.sku_name.clone(),
                term: plan.term,
                hourly_commitment: plan.hourly_commitment,
                hours,
                commitment,
                installments,
            },
        ));
        plan_quotes.push(SavingsPlanQuote {
            sku_name: plan.sku_name.clone(),
            term: plan.term,
            billing_plan: plan.billing_plan,
            hourly_commitment: plan.hourly_commitment,
            hours,
            lifetime_commitment: commitment,
            due_now: due,
            // Filled in below, once the whole new commitment is known.
            minimum_hourly_commitment: zero,
        });
    }
    for q in &mut plan_quotes {
        // What this plan must bring, the rest of the exchange as it is.
        let needed = remaining_total.checked_sub(new_commitment.checked_sub(q.lifetime_commitment)?)?;
        q.minimum_hourly_commitment = minimum_hourly(needed, q.hours).ok_or_else(QuoteError::overflow)?;
    }
    lines.extend(plan_lines);
    if trade_in && returns.len() > MAX_TRADE_IN_RESERVATIONS {
        errors.push(PolicyError {
            detail: Some(PolicyErrorDetail::TradeInTooManyReservations {
                reservations: u32::try_from(returns.len()).unwrap_or(u32::MAX),
                max: MAX_TRADE_IN_RESERVATIONS as u32,
            }),
            code: PolicyErrorCode::TradeInTooManyReservations,
            message: format!(
                "A trade-in for a savings plan returns at most {MAX_TRADE_IN_RESERVATIONS} reservations; this one returns {}.",
                returns.len()
            ),
        });
    }
    errors.extend(purchase_errors);
    errors.extend(return_errors);
    errors.extend(plan_errors);
    if !new_commitment.checked_ge(remaining_total)? {
        errors.push(if trade_in {
            PolicyError {
                detail: Some(PolicyErrorDetail::SavingsPlanCommitmentTooLow {
                    lifetime_commitment: new_commitment,
                    remaining_commitment: remaining_total,
                }),
                code: PolicyErrorCode::SavingsPlanCommitmentTooLow,
                message: format!(
                    "The new lifetime commitment {new_commitment} must be at least the remaining commitment returned, {remaining_total}."
                ),
            }
        } else {
            PolicyError {
                detail: None,
                code: PolicyErrorCode::ExchangeCommitmentTooLow,
                message: format!(
                    "The new commitment {new_commitment} must be at least the remaining commitment returned, {remaining_total}."
                ),
            }
        });
    }

    Ok(ExchangeQuote {
        policy: policy.name,
        as_of,
        currency,
        refunds_total,
        refunds_total_usd,
        purchases_total,
        net_payable: purchases_total.checked_sub(refunds_total)?,
        remaining_commitment_total: remaining_total,
        new_commitment_total: new_commitment,
        policy_errors: errors,
        lines,
        savings_plans: plan_quotes,
    })
}
