//! Purchase quotes: what a new reservation costs, when it is paid, and what it saves against
//! running the same usage on demand.
//!
//! A purchase is one SKU × term × billing plan × quantity at a unit price (the whole term of one
//! unit). Upfront, the commitment is paid on the purchase day; monthly, it is paid in
//! `12 × years` installments that sum to it exactly ([`installment_schedule`]). A retired VM
//! series × term cannot be bought (rules/retired_series.rs): the quote is still made, with the
//! refusal as a policy error, so the user sees both the price and why it cannot be bought.
//!
//! Savings compare the commitment with the on-demand cost of the usage the reservation would
//! cover, as Microsoft.Consumption's reservation recommendations give it: the cost over a
//! look-back period of `days` days for `quantity` units. Over the term, that usage costs
//! `cost × term days / days`; a purchase of more units than the usage covers saves nothing more
//! (the extra units have no usage), of fewer saves in proportion. Everything is exact `Decimal`,
//! rounded half-even to the minor unit once per figure.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{QuoteError, QuoteErrorKind};
use crate::money::Money;
use crate::outcome::{reason, LineDetail, PolicyError, QuoteLine};
use crate::reservation::{check_amount, Purchase};
use crate::rules::{check_vm_purchase, PurchaseKind};
use crate::term::{expiry_date, installment_schedule, BillingPlan, InstallmentPlan};

/// The on-demand cost of the usage a reservation would cover (from a recommendation).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OnDemandUsage {
    /// What the usage cost on demand over the look-back period, in the purchase's currency.
    pub cost: Money,
    /// The look-back period, in days (7, 30 or 60 for Azure's recommendations).
    pub days: u32,
    /// The units of the SKU that usage fills (the recommended quantity).
    pub quantity: u32,
}

/// Body of a purchase quote: one reservation bought on `as_of`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PurchaseQuoteRequest {
    /// The day bought (the term starts on it).
    pub as_of: NaiveDate,
    /// What is bought.
    pub purchase: Purchase,
    /// The usage it would cover, when known: then the quote says what it saves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_demand: Option<OnDemandUsage>,
}

/// One payment of a purchase.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Payment {
    /// When it is due.
    pub due: NaiveDate,
    /// How much.
    pub amount: Money,
}

/// What a purchase saves against the same usage on demand, over its term.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PurchaseSavings {
    /// The covered usage's on-demand cost over the term.
    pub on_demand_total: Money,
    /// `onDemandTotal − commitment` (negative: the reservation costs more than it covers).
    pub savings_total: Money,
    /// The savings of one year: `savingsTotal / years`.
    pub savings_per_year: Money,
    /// The first month (from 1) by whose end the on-demand cost avoided reaches what was paid;
    /// absent when it never does within the term.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub break_even_month: Option<u32>,
}

/// An itemized purchase quote; `lines` sum exactly to `dueToday`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PurchaseQuote {
    /// The day bought.
    pub as_of: NaiveDate,
    /// The last day of the term (the reservation expires then).
    pub expiry_date: NaiveDate,
    /// The whole-term price of one unit.
    pub unit_price: Money,
    /// The commitment: `unitPrice × quantity`.
    pub commitment: Money,
    /// Paid on the purchase day: the commitment upfront, the first installment monthly.
    pub due_today: Money,
    /// Every payment, the first on the purchase day; they sum to the commitment.
    pub schedule: Vec<Payment>,
    /// Against the usage it covers, when the request gave it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub savings: Option<PurchaseSavings>,
    /// Refusals (a retired VM series × term); empty when it can be bought.
    pub policy_errors: Vec<PolicyError>,
    /// The itemized breakdown of `dueToday`.
    pub lines: Vec<QuoteLine>,
}

impl PurchaseQuote {
    /// True when nothing refuses it.
    pub fn is_buyable(&self) -> bool {
        self.policy_errors.is_empty()
    }
}

/// Quotes buying `request.purchase` on `request.as_of`.
pub fn quote_purchase(request: &PurchaseQuoteRequest) -> Result<PurchaseQuote, QuoteError> {
    let (p, as_of) = (&request.purchase, request.as_of);
    p.validate(&"purchase")?;
    let expiry = expiry_date(as_of, p.term).ok_or_else(|| QuoteError::new("asOf", QuoteErrorKind::DateOutOfRange))?;
    let commitment = p.unit_price.checked_mul(Decimal::from(p.quantity))?.round();
    let schedule: Vec<Payment> = match p.billing_plan {
        BillingPlan::Upfront => vec![Payment { due: as_of, amount: commitment }],
        BillingPlan::Monthly => installment_schedule(commitment, as_of, p.term)?
            .into_iter()
            .map(|i| Payment { due: i.due, amount: i.amount })
            .collect(),
    };
    let due_today = schedule[0].amount;
    let mut policy_errors = Vec::new();
    if let Some(sku) = &p.sku_name {
        if let Err(refusal) = check_vm_purchase(sku, p.term, as_of, PurchaseKind::Purchase) {
            policy_errors.push(refusal);
        }
    }
    let why = match p.billing_plan {
        BillingPlan::Upfront => reason::PURCHASE_UPFRONT,
        BillingPlan::Monthly => reason::PURCHASE_FIRST_INSTALLMENT,
    };
    let lines = vec![QuoteLine::item(
        1,
        due_today,
        why,
        LineDetail::Purchase {
            quantity: p.quantity,
            reserved_resource_type: p.reserved_resource_type.clone(),
            term: p.term,
            commitment,
            installments: (p.billing_plan == BillingPlan::Monthly).then(|| p.term.months()),
        },
    )];
    let savings = match &request.on_demand {
        Some(usage) => Some(savings(p, usage, commitment, as_of, expiry)?),
        None => None,
    };
    Ok(PurchaseQuote { as_of, expiry_date: expiry, unit_price: p.unit_price, commitment, due_today, schedule, savings, policy_errors, lines })
}

/// The purchase's savings against `usage` over the term from `as_of` to `expiry`.
fn savings(p: &Purchase, usage: &OnDemandUsage, commitment: Money, as_of: NaiveDate, expiry: NaiveDate) -> Result<PurchaseSavings, QuoteError> {
    if usage.cost.currency != commitment.currency {
        let kind = QuoteErrorKind::WrongCurrency { expected: commitment.currency, found: usage.cost.currency };
        return Err(QuoteError::new("onDemand.cost.currencyCode", kind));
    }
    check_amount(&usage.cost, || "onDemand.cost".into())?;
    for (field, n) in [("onDemand.days", usage.days), ("onDemand.quantity", usage.quantity)] {
        if n == 0 {
            return Err(QuoteError::new(field, QuoteErrorKind::ZeroQuantity));
        }
    }
    // The on-demand cost per day of the usage this purchase covers: more units than the usage
    // fills cover nothing more.
    let covered = Decimal::from(p.quantity.min(usage.quantity));
    let per_day = usage.cost.checked_mul(covered)?.checked_div(Decimal::from(usage.days) * Decimal::from(usage.quantity))?;
    let avoided_by = |day: NaiveDate| per_day.checked_mul(Decimal::from((day - as_of).num_days()));
    let on_demand_total = avoided_by(expiry)?.round();
    let savings_total = on_demand_total.checked_sub(commitment)?;
    let savings_per_year = savings_total.checked_div(Decimal::from(p.term.years()))?.round();
    // Break-even: the first month m whose end (as_of + m months) has avoided at least what was
    // paid by then (the commitment upfront; the first m installments monthly).
    let months = p.term.months();
    let plan = InstallmentPlan::new(commitment, months)?;
    let mut break_even_month = None;
    for m in 1..=months {
        let Some(end) = as_of.checked_add_months(chrono::Months::new(m)) else { break };
        let paid = match p.billing_plan {
            BillingPlan::Upfront => commitment,
            BillingPlan::Monthly => plan.paid_after(m)?,
        };
        if avoided_by(end)?.checked_ge(paid)? {
            break_even_month = Some(m);
            break;
        }
    }
    Ok(PurchaseSavings { on_demand_total, savings_total, savings_per_year, break_even_month })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::currency::Currency;
    use crate::reservation::ReservedResourceType;
    use crate::term::Term;

    fn usd(s: &str) -> Money {
        Money::new(s.parse().unwrap(), Currency::new("USD").unwrap())
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn buy(sku: &str, term: Term, plan: BillingPlan, quantity: u32, unit: &str) -> Purchase {
        Purchase {
            reserved_resource_type: ReservedResourceType::new("VirtualMachines").unwrap(),
            term,
            billing_plan: plan,
            quantity,
            unit_price: usd(unit),
            sku_name: Some(sku.into()),
        }
    }

    fn quote(purchase: Purchase, on_demand: Option<OnDemandUsage>) -> PurchaseQuote {
        quote_purchase(&PurchaseQuoteRequest { as_of: day("2026-11-26"), purchase, on_demand }).unwrap()
    }

    #[test]
    fn upfront_pays_the_whole_commitment_today_and_its_line_says_so() {
        let q = quote(buy("Standard_D4s_v5", Term::P3Y, BillingPlan::Upfront, 3, "4204.80"), None);
        assert_eq!(q.commitment, usd("12614.40"));
        assert_eq!(q.due_today, usd("12614.40"));
        assert_eq!(q.schedule, vec![Payment { due: day("2026-11-26"), amount: usd("12614.40") }]);
        assert_eq!(q.expiry_date, day("2029-11-26"));
        assert_eq!(q.lines.len(), 1);
        assert_eq!((q.lines[0].amount, q.lines[0].reason.as_ref()), (usd("12614.40"), reason::PURCHASE_UPFRONT));
        assert!(q.is_buyable() && q.savings.is_none());
    }

    #[test]
    fn monthly_installments_sum_to_the_commitment_exactly_with_the_remainder_last() {
        // 1000.00 over 36 months: 27.78 × 35 = 972.30, the last 27.70.
        let q = quote(buy("Standard_D2s_v5", Term::P3Y, BillingPlan::Monthly, 1, "1000.00"), None);
        assert_eq!(q.schedule.len(), 36);
        assert_eq!(q.due_today, usd("27.78"));
        assert_eq!(q.schedule[35], Payment { due: day("2029-10-26"), amount: usd("27.70") });
        let sum = q.schedule.iter().try_fold(usd("0.00"), |a, p| a.checked_add(p.amount)).unwrap();
        assert_eq!(sum, q.commitment);
        assert_eq!(q.lines[0].reason.as_ref(), reason::PURCHASE_FIRST_INSTALLMENT);
    }

    #[test]
    fn savings_over_the_term_and_the_break_even_month_follow_the_usage_by_hand() {
        // Usage of 2 units cost 600.00 over 30 days: 20.00 a day. One year from 2026-11-26 is
        // 365 days: 7300.00 on demand. Commitment 2 × 1752.00 = 3504.00: saves 3796.00.
        // Upfront: 3504.00 / 20.00 = 175.2 days; month 6 ends on 2027-05-26, 181 days: 3620.00.
        // Month 5 ends on 2027-04-26, 151 days: 3020.00 < 3504.00.
        let usage = OnDemandUsage { cost: usd("600.00"), days: 30, quantity: 2 };
        let q = quote(buy("Standard_D4s_v5", Term::P1Y, BillingPlan::Upfront, 2, "1752.00"), Some(usage));
        let s = q.savings.unwrap();
        assert_eq!((s.on_demand_total, s.savings_total, s.savings_per_year), (usd("7300.00"), usd("3796.00"), usd("3796.00")));
        assert_eq!(s.break_even_month, Some(6));
        // Monthly: 292.00 a month against 20.00 × 31 days = 620.00 avoided by the first month's end.
        let q = quote(buy("Standard_D4s_v5", Term::P1Y, BillingPlan::Monthly, 2, "1752.00"), Some(usage));
        assert_eq!(q.savings.unwrap().break_even_month, Some(1));
    }

    #[test]
    fn more_units_than_the_usage_fills_save_nothing_more_and_may_never_break_even() {
        let usage = OnDemandUsage { cost: usd("300.00"), days: 30, quantity: 1 };
        // Two units, one used: on demand 10.00 × 365 = 3650.00 against 3504.00: saves 146.00.
        let q = quote(buy("Standard_D4s_v5", Term::P1Y, BillingPlan::Upfront, 2, "1752.00"), Some(usage));
        assert_eq!(q.savings.unwrap().savings_total, usd("146.00"));
        // Four units, one used: 7008.00 against 3650.00: a loss, never even.
        let q = quote(buy("Standard_D4s_v5", Term::P1Y, BillingPlan::Upfront, 4, "1752.00"), Some(usage));
        let s = q.savings.unwrap();
        assert_eq!((s.savings_total, s.break_even_month), (usd("-3358.00"), None));
    }

    #[test]
    fn a_retired_series_and_term_is_quoted_and_refused_with_the_rules_reason() {
        let q = quote(buy("Standard_F16s_v2", Term::P1Y, BillingPlan::Upfront, 1, "5840.00"), None);
        assert!(!q.is_buyable(), "{:?}", q.policy_errors);
        assert_eq!(q.policy_errors[0].code, crate::PolicyErrorCode::RetiredVmSeries);
        assert!(q.policy_errors[0].message.contains("cannot be bought"), "{}", q.policy_errors[0].message);
        assert_eq!(q.commitment, usd("5840.00"));
        // Three years of the same series is still sold.
        assert!(quote(buy("Standard_F16s_v2", Term::P3Y, BillingPlan::Upfront, 1, "14016.00"), None).is_buyable());
    }

    #[test]
    fn bad_usage_names_the_field() {
        let p = buy("Standard_D4s_v5", Term::P1Y, BillingPlan::Upfront, 1, "1752.00");
        let eur = Money::new(Decimal::ONE_HUNDRED, Currency::new("EUR").unwrap());
        for (usage, field) in [
            (OnDemandUsage { cost: eur, days: 30, quantity: 1 }, "onDemand.cost.currencyCode"),
            (OnDemandUsage { cost: usd("10.00"), days: 0, quantity: 1 }, "onDemand.days"),
            (OnDemandUsage { cost: usd("10.00"), days: 30, quantity: 0 }, "onDemand.quantity"),
            (OnDemandUsage { cost: usd("-1.00"), days: 30, quantity: 1 }, "onDemand.cost"),
        ] {
            let e = quote_purchase(&PurchaseQuoteRequest { as_of: day("2026-11-26"), purchase: p.clone(), on_demand: Some(usage) }).unwrap_err();
            assert!(e.to_string().contains(field), "{e} should name {field}");
        }
    }
}
