//! Exchanges from stored data: the catalog, the quote, and the check before the swap.

use chrono::NaiveDate;
use contract::{
    CalculateExchangeRequest, CatalogItem, CatalogPrice, ExchangePurchaseRequest, ProvisioningState, Reservation, ReservationDetail,
    RetiredTerm, SavingsPlan, SavingsPlanCommitment, SavingsPlanPurchaseRequest, Scope, UtilizationAggregates,
};
use quote_engine::api::ExchangeQuoteResponse;
use quote_engine::rules::retired_series::RETIRED_SERIES;
use quote_engine::{
    expiry_date, quote_exchange_with_savings_plans, vm_series, ExchangeReturn, Money, PolicyName, Purchase, ReservedResourceType,
    SavingsPlanPurchase, Term,
};
use rust_decimal::Decimal;

use crate::configuration::{display_name, resolve_scope};
use crate::error::ServiceError;
use contract::ProblemCode;
use crate::hash;
use crate::catalog::{unit_price_usd, usd, CatalogSku, CATALOG, CATALOG_REGIONS, VM_FAMILY};

/// The most units one purchase line may buy.
pub const MAX_PURCHASE_QUANTITY: u32 = 1000;
/// The most lines each list of an exchange may hold (returns, purchases): far more than an
/// exchange needs (Azure's portal takes a handful), and it bounds what one request reads and
/// what its session stores.
pub const MAX_EXCHANGE_LINES: usize = 100;

/// Each list of `request` within [`MAX_EXCHANGE_LINES`], or a 400 (`tooManyLines`) naming the
/// list. Checked before anything is read.
pub fn check_line_counts(request: &CalculateExchangeRequest) -> Result<(), ServiceError> {
    for (list, lines) in [
        ("reservationsToExchange", request.reservations_to_exchange.len()),
        ("reservationsToPurchase", request.reservations_to_purchase.len()),
        ("savingsPlansToPurchase", request.savings_plans_to_purchase.len()),
    ] {
        if lines > MAX_EXCHANGE_LINES {
            return Err(ServiceError::invalid(
                ProblemCode::TooManyLines,
                list,
                format!("An exchange takes at most {MAX_EXCHANGE_LINES} lines in {list}; this one has {lines}."),
            ));
        }
    }
    Ok(())
}

/// The name a purchase line asks for, checked by the one display-name rule (`prefix` names the
/// line's fields); `None` when it asks for none (absent or blank), so the new reservation takes
/// the SKU's short name.
pub(crate) fn purchase_name(p: &ExchangePurchaseRequest, prefix: &str) -> Result<Option<String>, ServiceError> {
    p.display_name.as_deref().filter(|n| !n.trim().is_empty()).map(|n| display_name(n, &format!("{prefix}displayName"))).transpose()
}

/// The name savings plan `i` asks for, by the same rule; `None` when absent or blank.
fn plan_name(p: &SavingsPlanPurchaseRequest, i: usize) -> Result<Option<String>, ServiceError> {
    p.display_name
        .as_deref()
        .filter(|n| !n.trim().is_empty())
        .map(|n| display_name(n, &format!("savingsPlansToPurchase[{i}].displayName")))
        .transpose()
}

/// Savings plan `i` of a trade-in checked (a positive hourly commitment, its scope among the
/// customer's, its name), as the engine takes it. Its SKU and term are the engine's to judge
/// (`TradeInNotEligible`), its currency too (`CurrencyMismatch`).
fn checked_plan(p: &SavingsPlanPurchaseRequest, i: usize, scopes: &[Scope]) -> Result<SavingsPlanPurchase, ServiceError> {
    let field = format!("savingsPlansToPurchase[{i}]");
    let minor_units = p.hourly_commitment.currency.minor_units();
    if p.hourly_commitment.amount <= Decimal::ZERO || p.hourly_commitment.amount.normalize().scale() > minor_units {
        return Err(ServiceError::invalid(
            ProblemCode::InvalidQuoteInput,
            &format!("{field}.hourlyCommitment.amount"),
            format!(
                "The hourly commitment must be more than zero, with at most {minor_units} decimals in {}.",
                p.hourly_commitment.currency
            ),
        ));
    }
    resolve_scope(p.applied_scope_type, p.applied_scope_properties.as_ref(), scopes, &format!("{field}."))?;
    plan_name(p, i)?;
    Ok(SavingsPlanPurchase {
        sku_name: p.sku_name.clone(),
        term: p.term,
        billing_plan: p.billing_plan,
        hourly_commitment: p.hourly_commitment,
    })
}

/// Every purchasable SKU with its prices (USD).
pub fn catalog() -> Vec<CatalogItem> {
    CATALOG
        .iter()
        .flat_map(|sku| CATALOG_REGIONS.iter().map(move |region| (sku, *region)))
        .map(|(sku, region)| CatalogItem {
            sku_id: format!("{}/{region}", sku.sku),
            sku_name: sku.sku.to_owned(),
            reserved_resource_type: sku.family.to_owned(),
            location: region.to_owned(),
            prices: [Term::P1Y, Term::P3Y, Term::P5Y]
                .into_iter()
                .map(|term| CatalogPrice { term, unit_price: Money::new(unit_price_usd(sku, term), usd()) })
                .collect(),
            retired_terms: retired_terms(sku),
            terms: [Term::P1Y, Term::P3Y, Term::P5Y]
                .into_iter()
                .map(|term| contract::CatalogTerm { term, billing_plans: vec![quote_engine::BillingPlan::Upfront, quote_engine::BillingPlan::Monthly] })
                .collect(),
            title: None,
            restrictions: Vec::new(),
        })
        .collect()
}

/// The terms of `sku` that retire (a VM size of a retired series), each from its day: the
/// engine's dated list, whatever today is, so a client decides by its own date.
pub fn retired_terms(sku: &CatalogSku) -> Vec<RetiredTerm> {
    if sku.family != VM_FAMILY {
        return Vec::new();
    }
    let Some(series) = vm_series(sku.sku) else { return Vec::new() };
    [Term::P1Y, Term::P3Y, Term::P5Y]
        .into_iter()
        .filter_map(|term| {
            RETIRED_SERIES
                .iter()
                .filter(|r| r.series == series.as_str() && r.term == term)
                .min_by_key(|r| r.from)
                .map(|r| RetiredTerm { term, from: r.from, series: r.series.to_owned() })
        })
        .collect()
}

/// The retirement that refuses buying `term` of the catalog item on `on`, from its
/// [`CatalogItem::retired_terms`], if any (what the Exchange panel's SKU picker shows).
pub fn retired_on(item: &CatalogItem, term: Term, on: NaiveDate) -> Option<&RetiredTerm> {
    item.retired_terms.iter().find(|r| r.term == term && r.from <= on)
}

/// Whether `other` may join an exchange of `current`: another active reservation of the same
/// customer's and the same product family.
pub fn may_join(current: &contract::Reservation, other: &contract::Reservation) -> bool {
    other.id != current.id
        && other.customer_id == current.customer_id
        && other.provisioning_state == contract::ProvisioningState::Succeeded
        && other.reserved_resource_type == current.reserved_resource_type
}

/// "Optimize for utilization", as the Azure portal proposes it: keep the units the workload
/// used over the last 7 days — ceil(quantity × utilization / 100), so any use keeps a whole
/// unit — and return the rest. `utilization_7` is a percentage, clamped to 0–100.
///
/// The answer is from 0 (every unit is in use: nothing to return) to `quantity` (no use at all
/// over 7 days: the whole reservation goes back, which an exchange allows — the reservation is
/// then cancelled). Returning a unit the workload uses would move it to pay-as-you-go prices,
/// so the rule never rounds toward returning more.
pub fn optimized_return_quantity(quantity: u32, utilization_7: Decimal) -> u32 {
    let used = utilization_7.clamp(Decimal::ZERO, Decimal::ONE_HUNDRED);
    let keep = (Decimal::from(quantity) * used / Decimal::ONE_HUNDRED).ceil();
    // keep ≤ quantity because used ≤ 100, so the conversion cannot fail.
    quantity - u32::try_from(keep).unwrap_or(quantity).min(quantity)
}

/// One return, checked: the reservation with its history, and how many units go back.
pub struct CheckedReturn<'a> {
    /// The reservation.
    pub detail: &'a ReservationDetail,
    /// Units returned.
    pub quantity: u32,
}

/// What an exchange buys: reservations from the catalog and savings plans (a trade-in).
#[derive(Clone, Copy)]
pub struct Bought<'a> {
    /// Reservations.
    pub reservations: &'a [ExchangePurchaseRequest],
    /// Savings plans.
    pub savings_plans: &'a [SavingsPlanPurchaseRequest],
    /// The price of each reservation, in order (Azure mode: Azure's for the customer); empty:
    /// the demo catalog's.
    pub offers: &'a [crate::catalog::Offer],
}

impl<'a> Bought<'a> {
    /// What `request` buys, priced from the demo catalog.
    pub fn of(request: &'a CalculateExchangeRequest) -> Self {
        Self { reservations: &request.reservations_to_purchase, savings_plans: &request.savings_plans_to_purchase, offers: &[] }
    }

    /// The same, each reservation at its offer of `offers` (in order).
    pub fn at(self, offers: &'a [crate::catalog::Offer]) -> Self {
        Self { offers, ..self }
    }

    /// The offer of reservation `i` (`p`) in `currency`: its own, else the demo catalog's.
    fn offer(&self, i: usize, p: &ExchangePurchaseRequest, currency: quote_engine::Currency) -> Result<crate::catalog::Offer, ServiceError> {
        let field = format!("reservationsToPurchase[{i}].skuId");
        match self.offers.is_empty() {
            true => crate::catalog::offer(&p.sku_id, p.term, currency, &field),
            false => self.offers.get(i).cloned().ok_or_else(|| ServiceError::invalid(ProblemCode::NotInCatalog, &field, format!("'{}' has no price.", p.sku_id))),
        }
    }

    /// Reservations only (no trade-in).
    pub fn reservations(reservations: &'a [ExchangePurchaseRequest]) -> Self {
        Self { reservations, savings_plans: &[], offers: &[] }
    }
}

/// The exchange quote for today from stored data. All returns must be active reservations of
/// one customer; purchases come from the catalog, scoped to that customer's own scopes, and
/// savings plans (a trade-in) are the customer's choice of hourly commitment; the deployment's
/// `policy` governs (and names) the quote.
pub fn quote(
    returns: &[CheckedReturn<'_>],
    bought: Bought<'_>,
    scopes: &[Scope],
    today: NaiveDate,
    policy: PolicyName,
) -> Result<ExchangeQuoteResponse, ServiceError> {
    let purchases = bought.reservations;
    let first = returns
        .first()
        .ok_or_else(|| ServiceError::invalid(ProblemCode::Required, "reservationsToExchange", "Choose at least one reservation to return."))?;
    if purchases.is_empty() && bought.savings_plans.is_empty() {
        return Err(ServiceError::invalid(ProblemCode::Required, "reservationsToPurchase", "Choose at least one reservation to buy."));
    }
    let customer = &first.detail.reservation.customer_id;
    let mut engine_returns = Vec::new();
    for (i, ret) in returns.iter().enumerate() {
        let r = &ret.detail.reservation;
        let field = format!("reservationsToExchange[{i}]");
        if &r.customer_id != customer {
            return Err(ServiceError::invalid(ProblemCode::MixedCustomers, &format!("{field}.reservationId"), "All returned reservations must belong to one customer."));
        }
        if returns[..i].iter().any(|other| other.detail.reservation.id == r.id) {
            return Err(ServiceError::invalid(ProblemCode::ListedTwice, &format!("{field}.reservationId"), "A reservation is listed twice."));
        }
        if r.provisioning_state != ProvisioningState::Succeeded {
            return Err(ServiceError::new(ProblemCode::NotActive, format!("Reservation {} is {:?}; only an active reservation can be exchanged.", r.id, r.provisioning_state)));
        }
        if ret.quantity == 0 || ret.quantity > r.quantity {
            return Err(ServiceError::invalid(ProblemCode::QuantityOutOfRange, &format!("{field}.quantity"), format!("Quantity must be from 1 to {}.", r.quantity)));
        }
        let reservation = ret.detail.to_engine().map_err(|e| crate::refund::not_quotable(&r.id, &e))?;
        engine_returns.push(ExchangeReturn { reservation, quantity: ret.quantity });
    }
    let currency = first.detail.reservation.unit_price.currency;
    let mut engine_purchases = Vec::new();
    for (i, p) in purchases.iter().enumerate() {
        let offer = bought.offer(i, p, currency)?;
        if offer.unit_price.currency != currency {
            return Err(ServiceError::new(
                ProblemCode::NotQuotable,
                format!("{} is priced in {}, but the returned reservations are billed in {}.", p.sku_id, offer.unit_price.currency.code(), currency.code()),
            ));
        }
        engine_purchases.push(checked_offer(p, &offer, &format!("reservationsToPurchase[{i}]."), scopes)?);
    }
    let plans = bought.savings_plans.iter().enumerate().map(|(i, p)| checked_plan(p, i, scopes)).collect::<Result<Vec<_>, _>>()?;
    quote_exchange_with_savings_plans(&policy.policy(), today, &engine_returns, &engine_purchases, &plans)
        .map(ExchangeQuoteResponse::from)
        .map_err(|e| ServiceError::new(ProblemCode::NotQuotable, format!("The exchange cannot be quoted: {e}")))
}

/// A purchase line checked against the customer's `scopes`, priced by `offer` (the demo
/// catalog's or Azure's): the engine's purchase.
pub(crate) fn checked_offer(p: &ExchangePurchaseRequest, offer: &crate::catalog::Offer, prefix: &str, scopes: &[Scope]) -> Result<Purchase, ServiceError> {
    if p.sku_id != format!("{}/{}", offer.sku_name, offer.location) {
        return Err(ServiceError::invalid(ProblemCode::NotInCatalog, &format!("{prefix}skuId"), format!("'{}' is not the SKU priced.", p.sku_id)));
    }
    if p.quantity == 0 || p.quantity > MAX_PURCHASE_QUANTITY {
        return Err(ServiceError::invalid(ProblemCode::QuantityOutOfRange, &format!("{prefix}quantity"), format!("Quantity must be from 1 to {MAX_PURCHASE_QUANTITY}.")));
    }
    resolve_scope(p.applied_scope_type, p.applied_scope_properties.as_ref(), scopes, prefix)?;
    purchase_name(p, prefix)?;
    Ok(Purchase {
        reserved_resource_type: ReservedResourceType::new(&offer.family)
            .map_err(|_| ServiceError::new(ProblemCode::NotQuotable, format!("The desk cannot quote the product family {}.", offer.family)))?,
        term: p.term,
        billing_plan: p.billing_plan,
        quantity: p.quantity,
        unit_price: offer.unit_price,
        sku_name: (offer.family == VM_FAMILY).then(|| offer.sku_name.clone()),
    })
}

/// The reservation a purchase line `p` creates (an exchange's or a purchase's), starting
/// `today` in `order_id` for `customer_id`, priced by `offer`; without a name of its own it
/// takes `default_name(short SKU name, region)`. `prefix` names the line's fields in an error.
#[allow(clippy::too_many_arguments)] // One reservation's facts, each from a different source.
pub(crate) fn bought_reservation(
    p: &ExchangePurchaseRequest,
    offer: &crate::catalog::Offer,
    prefix: &str,
    id: String,
    order_id: &str,
    customer_id: &str,
    scopes: &[Scope],
    today: NaiveDate,
    default_name: impl Fn(&str, &str) -> String,
) -> Result<Reservation, ServiceError> {
    let (scope_type, scope) = resolve_scope(p.applied_scope_type, p.applied_scope_properties.as_ref(), scopes, prefix)?;
    let display_name = purchase_name(p, prefix)?.unwrap_or_else(|| default_name(&offer.short, &offer.location));
    let currency = offer.unit_price.currency;
    Ok(Reservation {
        id,
        reservation_order_id: order_id.to_owned(),
        customer_id: customer_id.to_owned(),
        display_name,
        sku_name: offer.sku_name.clone(),
        location: offer.location.clone(),
        reserved_resource_type: offer.family.clone(),
        quantity: p.quantity,
        term: p.term,
        billing_plan: p.billing_plan,
        purchase_date: today,
        expiry_date: expiry_date(today, p.term).unwrap_or(today),
        unit_price: offer.unit_price,
        pricing_unit_price: (currency.code() != "USD").then_some(offer.unit_price_usd),
        applied_scope_type: scope_type,
        applied_scope_properties: scope,
        provisioning_state: ProvisioningState::Succeeded,
        renew: p.renew,
        utilization: UtilizationAggregates::zero(),
        archived: false,
        split_properties: None,
        merge_properties: None,
        price_unknown: None,
        today_price: None,
    })
}

/// What an exchange changes, for the backend to apply in one transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExchangePlan {
    /// `(order ID, reservation ID, quantity afterwards, state afterwards)` per return.
    pub returns: Vec<(String, String, u32, ProvisioningState)>,
    /// The new order's ID.
    pub order_id: String,
    /// The reservations bought, starting today.
    pub purchased: Vec<Reservation>,
    /// The savings plans bought (a trade-in), starting today.
    pub savings_plans: Vec<SavingsPlan>,
    /// The customer of the returned reservations.
    pub customer_id: String,
}

/// The refusal of an exchange whose quote the policy refuses (409 `policyRefused`), naming each of
/// the quote's policy errors with its code; `None` for a quote that may be exchanged.
pub fn refusal(quote: &ExchangeQuoteResponse) -> Option<ServiceError> {
    let errors = &quote.policy_result.policy_errors;
    if errors.is_empty() && quote.is_valid_exchange {
        return None;
    }
    let said: Vec<String> = errors.iter().map(|e| format!("{} ({})", e.message, e.code.as_str())).collect();
    let said = if said.is_empty() { "the quote is not a valid exchange".to_owned() } else { said.join("; ") };
    Some(ServiceError::new(ProblemCode::PolicyRefused, format!("The exchange is refused: {said}")))
}

/// Recomputes the quote and compares it with the session's; if equal and allowed, says what
/// changes. New IDs derive from the session ID, so a retried plan is the same plan.
pub fn plan_exchange(
    returns: &[CheckedReturn<'_>],
    bought: Bought<'_>,
    scopes: &[Scope],
    today: NaiveDate,
    policy: PolicyName,
    session_id: &str,
    session_quote: &ExchangeQuoteResponse,
) -> Result<ExchangePlan, ServiceError> {
    let purchases = bought.reservations;
    let fresh = quote(returns, bought, scopes, today, policy)?;
    if let Some(refused) = refusal(&fresh) {
        return Err(refused);
    }
    if &fresh != session_quote {
        return Err(ServiceError::new(
            ProblemCode::QuoteChanged,
            "The quote changed since it was calculated. Calculate the exchange again.",
        ));
    }
    let customer_id = returns[0].detail.reservation.customer_id.clone();
    let currency = returns[0].detail.reservation.unit_price.currency;
    let order_id = hash::guid(&format!("exchange-order/{session_id}"));
    let mut purchased = Vec::new();
    for (i, p) in purchases.iter().enumerate() {
        let id = hash::guid(&format!("exchange/{session_id}/{i}"));
        let default_name = |short: &str, region: &str| format!("{short}-{}-x{}", region.get(..3).unwrap_or(region), i + 1);
        let prefix = format!("reservationsToPurchase[{i}].");
        let offer = bought.offer(i, p, currency)?;
        purchased.push(bought_reservation(p, &offer, &prefix, id, &order_id, &customer_id, scopes, today, default_name)?);
    }
    let mut savings_plans = Vec::new();
    for ((i, p), quoted) in bought.savings_plans.iter().enumerate().zip(&fresh.savings_plans) {
        let (scope_type, scope) = resolve_scope(p.applied_scope_type, p.applied_scope_properties.as_ref(), scopes, "")?;
        savings_plans.push(SavingsPlan {
            id: hash::guid(&format!("trade-in/{session_id}/{i}")),
            savings_plan_order_id: hash::guid(&format!("trade-in-order/{session_id}/{i}")),
            customer_id: customer_id.clone(),
            display_name: plan_name(p, i)?.unwrap_or_else(|| format!("{}-{}y-{}", p.sku_name, p.term.years(), i + 1)),
            sku_name: p.sku_name.clone(),
            term: p.term,
            billing_plan: p.billing_plan,
            commitment: SavingsPlanCommitment::hourly(p.hourly_commitment),
            lifetime_commitment: quoted.lifetime_commitment,
            applied_scope_type: scope_type,
            applied_scope_properties: scope,
            start_date: today,
            expiry_date: expiry_date(today, p.term).unwrap_or(today),
            exchange_session_id: session_id.to_owned(),
        });
    }
    let returns = returns
        .iter()
        .map(|ret| {
            let r = &ret.detail.reservation;
            let left = r.quantity - ret.quantity;
            let state = if left == 0 { ProvisioningState::Cancelled } else { ProvisioningState::Succeeded };
            (r.reservation_order_id.clone(), r.id.clone(), left, state)
        })
        .collect();
    Ok(ExchangePlan { returns, order_id, purchased, savings_plans, customer_id })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed::demo_data;
    use crate::utilization::detail;
    use contract::AppliedScopeType;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    fn vm_return() -> (ReservationDetail, Vec<Scope>) {
        let data = demo_data(today());
        let seeded = data
            .reservations
            .iter()
            .find(|r| r.reservation.provisioning_state == ProvisioningState::Succeeded
                && r.reservation.reserved_resource_type == "VirtualMachines"
                && r.reservation.unit_price.currency.code() == "USD")
            .unwrap();
        let scopes = data
            .scopes
            .iter()
            .filter(|s| s.customer_id == seeded.reservation.customer_id)
            .map(|s| Scope { applied_scope_type: s.scope_type, applied_scope_properties: s.properties.clone() })
            .collect();
        (detail(seeded.reservation.clone(), seeded.usage, today()), scopes)
    }

    fn buy(sku_id: &str, quantity: u32) -> ExchangePurchaseRequest {
        ExchangePurchaseRequest {
            sku_id: sku_id.into(),
            term: Term::P3Y,
            billing_plan: quote_engine::BillingPlan::Upfront,
            quantity,
            applied_scope_type: AppliedScopeType::Shared,
            applied_scope_properties: None,
            display_name: None,
            renew: false,
        }
    }

    #[test]
    fn the_catalog_prices_every_sku_for_every_term() {
        let c = catalog();
        assert_eq!(c.len(), CATALOG.len() * 2);
        assert!(c.iter().all(|i| i.prices.len() == 3));
    }

    #[test]
    fn the_catalog_marks_the_terms_of_a_retired_series_and_only_those() {
        let c = catalog();
        let f16 = c.iter().find(|i| i.sku_id == "Standard_F16s_v2/westeurope").unwrap();
        let from = NaiveDate::from_ymd_opt(2026, 7, 1).unwrap();
        assert_eq!(f16.retired_terms, vec![RetiredTerm { term: Term::P1Y, from, series: "Fsv2".into() }]);
        assert_eq!(retired_on(f16, Term::P1Y, from).map(|r| r.from), Some(from));
        assert_eq!(retired_on(f16, Term::P1Y, from.pred_opt().unwrap()), None, "the day before");
        assert_eq!(retired_on(f16, Term::P3Y, from), None);
        for other in c.iter().filter(|i| i.sku_name != "Standard_F16s_v2") {
            assert!(other.retired_terms.is_empty(), "{}", other.sku_id);
        }
    }

    #[test]
    fn a_retired_series_and_term_is_refused_from_its_date_and_the_session_recheck_refuses_it_too() {
        let (d, scopes) = vm_return();
        let returns = [CheckedReturn { detail: &d, quantity: 1 }];
        let one_year = [ExchangePurchaseRequest { term: Term::P1Y, ..buy("Standard_F16s_v2/westeurope", 4) }];
        let (before, from) = (NaiveDate::from_ymd_opt(2026, 6, 30).unwrap(), NaiveDate::from_ymd_opt(2026, 7, 1).unwrap());
        let q = quote(&returns, Bought::reservations(&one_year), &scopes, before, PolicyName::DEFAULT).unwrap();
        assert!(q.policy_result.policy_errors.iter().all(|e| e.code != quote_engine::PolicyErrorCode::RetiredVmSeries), "{:?}", q.policy_result);
        let refused = quote(&returns, Bought::reservations(&one_year), &scopes, from, PolicyName::DEFAULT).unwrap();
        assert!(!refused.is_valid_exchange);
        let error = refused.policy_result.policy_errors.iter().find(|e| e.code == quote_engine::PolicyErrorCode::RetiredVmSeries).unwrap();
        assert!(error.message.contains("Standard_F16s_v2") && error.message.contains("Fsv2"), "{}", error.message);
        // A session quoted the day before is re-checked on the day money moves.
        let err = plan_exchange(&returns, Bought::reservations(&one_year), &scopes, from, PolicyName::DEFAULT, "s1", &q).unwrap_err();
        assert_eq!(err.code(), ProblemCode::PolicyRefused);
        // 3 years of the same size is not retired.
        let three = quote(&returns, Bought::reservations(&[buy("Standard_F16s_v2/westeurope", 4)]), &scopes, from, PolicyName::DEFAULT).unwrap();
        assert!(three.policy_result.policy_errors.iter().all(|e| e.code != quote_engine::PolicyErrorCode::RetiredVmSeries));
    }

    #[test]
    fn a_bigger_vm_purchase_is_quoted_and_planned_with_new_ids_from_the_session() {
        let (d, scopes) = vm_return();
        let returns = [CheckedReturn { detail: &d, quantity: 1 }];
        let purchases = [buy("Standard_E8s_v5/westeurope", 2)];
        let q = quote(&returns, Bought::reservations(&purchases), &scopes, today(), PolicyName::DEFAULT).unwrap();
        assert!(q.is_valid_exchange, "{:?}", q.policy_result);
        let plan = plan_exchange(&returns, Bought::reservations(&purchases), &scopes, today(), PolicyName::DEFAULT, "s1", &q).unwrap();
        assert_eq!(plan.purchased.len(), 1);
        assert_eq!(plan.purchased[0].purchase_date, today());
        assert_eq!(plan.returns[0].2, d.reservation.quantity - 1);
        let again = plan_exchange(&returns, Bought::reservations(&purchases), &scopes, today(), PolicyName::DEFAULT, "s1", &q).unwrap();
        assert_eq!(plan, again, "the same session plans the same IDs");
    }

    #[test]
    fn another_family_is_a_policy_refusal_and_unknown_skus_name_the_field() {
        let (d, scopes) = vm_return();
        let returns = [CheckedReturn { detail: &d, quantity: 1 }];
        let q = quote(&returns, Bought::reservations(&[buy("SQLDB_GP_Gen5_8/eastus", 1)]), &scopes, today(), PolicyName::DEFAULT).unwrap();
        assert!(!q.is_valid_exchange);
        let err = quote(&returns, Bought::reservations(&[buy("Nope/westeurope", 1)]), &scopes, today(), PolicyName::DEFAULT).unwrap_err();
        assert_eq!(err.field(), Some("reservationsToPurchase[0].skuId"));
        let err = quote(&returns, Bought::reservations(&[buy("Standard_E8s_v5/westeurope", 0)]), &scopes, today(), PolicyName::DEFAULT).unwrap_err();
        assert_eq!(err.field(), Some("reservationsToPurchase[0].quantity"));
        let err = quote(&[], Bought::reservations(&[buy("Standard_E8s_v5/westeurope", 1)]), &scopes, today(), PolicyName::DEFAULT).unwrap_err();
        assert_eq!(err.field(), Some("reservationsToExchange"));
    }

    #[test]
    fn a_purchase_name_follows_the_display_name_rule_and_a_blank_one_takes_the_skus() {
        let (d, scopes) = vm_return();
        let returns = [CheckedReturn { detail: &d, quantity: 1 }];
        let named = |name: &str| ExchangePurchaseRequest { display_name: Some(name.into()), ..buy("Standard_E8s_v5/westeurope", 1) };
        let err = quote(&returns, Bought::reservations(&[named(&"x".repeat(65))]), &scopes, today(), PolicyName::DEFAULT).unwrap_err();
        assert_eq!((err.code(), err.field()), (ProblemCode::TooLong, Some("reservationsToPurchase[0].displayName")));
        let err = quote(&returns, Bought::reservations(&[named("web\ntier")]), &scopes, today(), PolicyName::DEFAULT).unwrap_err();
        assert_eq!(err.code(), ProblemCode::ControlCharacter);
        let q = quote(&returns, Bought::reservations(&[named("  web tier ")]), &scopes, today(), PolicyName::DEFAULT).unwrap();
        let plan = plan_exchange(&returns, Bought::reservations(&[named("  web tier ")]), &scopes, today(), PolicyName::DEFAULT, "s1", &q).unwrap();
        assert_eq!(plan.purchased[0].display_name, "web tier");
        let plan = plan_exchange(&returns, Bought::reservations(&[named("  ")]), &scopes, today(), PolicyName::DEFAULT, "s1", &q).unwrap();
        assert!(plan.purchased[0].display_name.ends_with("-x1"), "{}", plan.purchased[0].display_name);
    }

    #[test]
    fn each_list_of_an_exchange_takes_at_most_100_lines() {
        let line = contract::ExchangeReturnRequest { reservation_id: "r".into(), quantity: 1, reservation_order_id: None };
        let mut request = CalculateExchangeRequest {
            reservations_to_exchange: vec![line; MAX_EXCHANGE_LINES],
            reservations_to_purchase: vec![buy("Standard_E8s_v5/westeurope", 1); MAX_EXCHANGE_LINES],
            savings_plans_to_purchase: Vec::new(),
        };
        assert_eq!(check_line_counts(&request), Ok(()));
        request.reservations_to_purchase.push(buy("Standard_E8s_v5/westeurope", 1));
        let err = check_line_counts(&request).unwrap_err();
        assert_eq!((err.code(), err.field()), (ProblemCode::TooManyLines, Some("reservationsToPurchase")));
        request.reservations_to_exchange.push(request.reservations_to_exchange[0].clone());
        assert_eq!(check_line_counts(&request).unwrap_err().field(), Some("reservationsToExchange"));
    }

    fn compute_plan(hourly: &str) -> SavingsPlanPurchaseRequest {
        SavingsPlanPurchaseRequest {
            sku_name: quote_engine::COMPUTE_SAVINGS_PLAN.into(),
            term: Term::P3Y,
            billing_plan: quote_engine::BillingPlan::Upfront,
            hourly_commitment: Money::new(hourly.parse().unwrap(), usd()),
            applied_scope_type: AppliedScopeType::Shared,
            applied_scope_properties: None,
            display_name: None,
        }
    }

    #[test]
    fn a_trade_in_is_planned_as_savings_plans_from_the_session_starting_today_and_a_bad_commitment_names_the_field() {
        let (d, scopes) = vm_return();
        let returns = [CheckedReturn { detail: &d, quantity: d.reservation.quantity }];
        let probe = quote(&returns, Bought { reservations: &[], savings_plans: &[compute_plan("0.01")], offers: &[] }, &scopes, today(), PolicyName::DEFAULT).unwrap();
        let minimum = probe.savings_plans[0].minimum_hourly_commitment.amount.to_string();
        let plans = [compute_plan(&minimum)];
        let bought = Bought { reservations: &[], savings_plans: &plans, offers: &[] };
        let q = quote(&returns, bought, &scopes, today(), PolicyName::DEFAULT).unwrap();
        assert!(q.is_valid_exchange, "{:?}", q.policy_result);
        let plan = plan_exchange(&returns, bought, &scopes, today(), PolicyName::DEFAULT, "s1", &q).unwrap();
        assert!(plan.purchased.is_empty());
        let p = &plan.savings_plans[0];
        assert_eq!((p.start_date, p.expiry_date), (today(), expiry_date(today(), Term::P3Y).unwrap()));
        assert_eq!((p.customer_id.as_str(), p.exchange_session_id.as_str()), (d.reservation.customer_id.as_str(), "s1"));
        assert_eq!(p.commitment, SavingsPlanCommitment::hourly(plans[0].hourly_commitment));
        assert_eq!(p.lifetime_commitment, q.savings_plans[0].lifetime_commitment);
        assert_eq!(p.display_name, "Compute_Savings_Plan-3y-1");
        assert_eq!(plan, plan_exchange(&returns, bought, &scopes, today(), PolicyName::DEFAULT, "s1", &q).unwrap(), "the same IDs again");
        assert_eq!(plan.returns[0].3, ProvisioningState::Cancelled);
        for bad in ["0", "0.001"] {
            let err = quote(&returns, Bought { reservations: &[], savings_plans: &[compute_plan(bad)], offers: &[] }, &scopes, today(), PolicyName::DEFAULT).unwrap_err();
            assert_eq!(err.field(), Some("savingsPlansToPurchase[0].hourlyCommitment.amount"), "{bad}");
        }
        let mut request = CalculateExchangeRequest {
            reservations_to_exchange: Vec::new(),
            reservations_to_purchase: Vec::new(),
            savings_plans_to_purchase: vec![compute_plan("1.00"); MAX_EXCHANGE_LINES + 1],
        };
        assert_eq!(check_line_counts(&request).unwrap_err().field(), Some("savingsPlansToPurchase"));
        request.savings_plans_to_purchase.pop();
        assert_eq!(check_line_counts(&request), Ok(()));
    }

    #[test]
    fn only_other_active_reservations_of_the_family_may_join() {
        let data = demo_data(NaiveDate::from_ymd_opt(2026, 11, 22).unwrap());
        let all: Vec<&contract::Reservation> = data.reservations.iter().map(|s| &s.reservation).collect();
        let current = all.iter().find(|r| r.provisioning_state == contract::ProvisioningState::Succeeded).unwrap();
        assert!(!may_join(current, current), "not itself");
        let mut other = (*current).clone();
        other.id = "another".into();
        assert!(may_join(current, &other));
        for change in [
            |o: &mut contract::Reservation| o.provisioning_state = contract::ProvisioningState::Cancelled,
            |o: &mut contract::Reservation| o.reserved_resource_type = "SqlDatabases".into(),
            |o: &mut contract::Reservation| o.customer_id = "someone-else".into(),
        ] {
            let mut o = other.clone();
            change(&mut o);
            assert!(!may_join(current, &o));
        }
    }
    #[test]
    fn optimizing_for_utilization_keeps_the_units_used_and_returns_the_rest() {
        use rust_decimal_macros::dec;
        // No use: everything goes back; full use: nothing does.
        assert_eq!(optimized_return_quantity(10, dec!(0)), 10);
        assert_eq!(optimized_return_quantity(10, dec!(100)), 0);
        // Rounding: any part of a unit in use keeps the whole unit.
        assert_eq!(optimized_return_quantity(10, dec!(0.01)), 9, "ceil(0.001) = 1 kept");
        assert_eq!(optimized_return_quantity(10, dec!(30)), 7, "exactly 3 kept");
        assert_eq!(optimized_return_quantity(10, dec!(30.1)), 6, "ceil(3.01) = 4 kept");
        assert_eq!(optimized_return_quantity(10, dec!(99.9)), 0, "ceil(9.99) = 10 kept");
        assert_eq!(optimized_return_quantity(3, dec!(33.3)), 2, "ceil(0.999) = 1 kept");
        assert_eq!(optimized_return_quantity(3, dec!(33.34)), 1, "ceil(1.0002) = 2 kept");
        // Quantity 1: returned only when unused.
        assert_eq!(optimized_return_quantity(1, dec!(0)), 1);
        assert_eq!(optimized_return_quantity(1, dec!(0.5)), 0);
        assert_eq!(optimized_return_quantity(1, dec!(100)), 0);
        // Out-of-range percentages are clamped; nothing to return from nothing.
        assert_eq!(optimized_return_quantity(4, dec!(-3)), 4);
        assert_eq!(optimized_return_quantity(4, dec!(140)), 0);
        assert_eq!(optimized_return_quantity(0, dec!(50)), 0);
        assert_eq!(optimized_return_quantity(u32::MAX, dec!(50)), u32::MAX / 2);
    }
}
