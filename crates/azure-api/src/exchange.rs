//! `calculateExchange` and `exchange` as Microsoft.Capacity 2022-11-01 has them. A purchase
//! names its SKU by `sku.name` and `location`; the catalog gives the desk's SKU ID. A savings
//! plan (`savingsPlansToPurchase`, a trade-in) is the specification's `SavingsPlanPurchaseRequest`:
//! `{sku: {name}, properties: {displayName, billingScopeId, term, billingPlan, appliedScopeType,
//! appliedScopeProperties, commitment: {currencyCode, amount, grain}}}`. Both answer at once
//! (`status: Succeeded`), which the SDK's poller takes as done.

use std::str::FromStr;

use contract::exchange::{CalculateExchangeRequest, CalculateExchangeResponse, CatalogItem, ExchangePurchaseRequest, ExchangeResponse, ExchangeReturnRequest};
use contract::reservation::AppliedScopeType;
use contract::{Problem, ProblemCode, SavingsPlan};
use quote_engine::api::ExchangeQuoteResponse;
use quote_engine::{reason, BillingPlan, Currency, Money, Term};
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize};

use crate::error::ArmError;
use crate::ids;
use crate::number::{ExactNumber, Price};
use crate::patch::ArmScopeProperties;
use crate::refund::ReservationToReturn;

/// `CalculateExchangeRequest`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = CalculateExchangeRequest))]
pub struct ArmCalculateExchangeRequest {
    /// The properties.
    pub properties: CalculateExchangeProperties,
}

/// `CalculateExchangeRequestProperties`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = CalculateExchangeRequestProperties))]
#[serde(rename_all = "camelCase")]
pub struct CalculateExchangeProperties {
    /// What to buy.
    #[serde(default)]
    pub reservations_to_purchase: Vec<PurchaseRequest>,
    /// Savings plans bought by trading the returns in.
    #[serde(default)]
    pub savings_plans_to_purchase: Vec<SavingsPlanPurchaseRequest>,
    /// What to return.
    #[serde(default)]
    pub reservations_to_exchange: Vec<ReservationToReturn>,
}

/// `PurchaseRequest`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PurchaseRequest {
    /// The SKU.
    pub sku: crate::reservation::SkuName,
    /// The region.
    pub location: String,
    /// The properties.
    pub properties: PurchaseProperties,
}

/// `PurchaseRequestProperties`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = PurchaseRequestProperties))]
#[serde(rename_all = "camelCase")]
pub struct PurchaseProperties {
    /// E.g. `VirtualMachines`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reserved_resource_type: Option<String>,
    /// `P1Y`, `P3Y` or `P5Y`.
    pub term: Term,
    /// `Upfront` or `Monthly`.
    pub billing_plan: BillingPlan,
    /// Units.
    pub quantity: u32,
    /// A name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Where it applies.
    pub applied_scope_type: AppliedScopeType,
    /// A `Single` scope's subscription.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applied_scopes: Option<Vec<String>>,
    /// The scope's target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applied_scope_properties: Option<ArmScopeProperties>,
}

/// `SavingsPlanPurchaseRequest`: a savings plan to buy, as the SDK's model writes it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SavingsPlanPurchaseRequest {
    /// `Compute_Savings_Plan`.
    pub sku: crate::reservation::SkuName,
    /// The properties.
    pub properties: SavingsPlanPurchaseProperties,
}

/// `SavingsPlanPurchaseRequestProperties`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = SavingsPlanPurchaseRequestProperties))]
#[serde(rename_all = "camelCase")]
pub struct SavingsPlanPurchaseProperties {
    /// A name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// The subscription billed: accepted and ignored (the customer is billed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_scope_id: Option<String>,
    /// `P1Y` or `P3Y`.
    pub term: Term,
    /// `P1M` for monthly payments; absent for upfront (the specification's `BillingPlan`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_plan: Option<String>,
    /// Where it applies.
    pub applied_scope_type: AppliedScopeType,
    /// The scope's target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applied_scope_properties: Option<ArmScopeProperties>,
    /// The hourly commitment.
    pub commitment: Commitment,
}

/// `Commitment`: `{currencyCode, amount, grain: "Hourly"}`, the amount a JSON number read digit for digit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Commitment {
    /// ISO 4217, the customer's billing currency.
    pub currency_code: String,
    /// Per hour.
    #[serde(deserialize_with = "exact_number")]
    pub amount: ExactNumber,
    /// `Hourly` (the only grain).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grain: Option<String>,
}

/// A JSON number (or a decimal string) as the exact decimal its text writes, never through a float.
fn exact_number<'de, D: Deserializer<'de>>(d: D) -> Result<ExactNumber, D::Error> {
    let raw = Box::<serde_json::value::RawValue>::deserialize(d)?;
    let text = raw.get().trim_matches('"');
    Decimal::from_str(text)
        .or_else(|_| Decimal::from_scientific(text))
        .map(ExactNumber)
        .map_err(|_| serde::de::Error::custom(format!("expected a number, got {}", raw.get())))
}

/// The desk's scope target from ARM's (a `Single` scope may name its subscription in
/// `appliedScopes` instead, for a reservation).
fn scope_target(properties: Option<&ArmScopeProperties>, scopes: Option<&[String]>) -> Option<contract::reservation::AppliedScopeProperties> {
    match (properties, scopes.and_then(|s| s.first())) {
        (Some(a), _) => Some(contract::reservation::AppliedScopeProperties {
            subscription_id: a.subscription_id.clone(),
            resource_group_id: a.resource_group_id.clone(),
            management_group_id: a.management_group_id.clone(),
            display_name: a.display_name.clone(),
        }),
        (None, Some(s)) => Some(contract::reservation::AppliedScopeProperties { subscription_id: Some(s.clone()), ..Default::default() }),
        (None, None) => None,
    }
}

impl SavingsPlanPurchaseRequest {
    /// The desk's savings plan purchase (item `i`), or a 400 naming the field.
    fn to_desk(&self, i: usize) -> Result<contract::SavingsPlanPurchaseRequest, ArmError> {
        let field = |name: &str| format!("properties.savingsPlansToPurchase[{i}].properties.{name}");
        let p = &self.properties;
        let billing_plan = match p.billing_plan.as_deref() {
            None | Some("Upfront") => BillingPlan::Upfront,
            Some("P1M" | "Monthly") => BillingPlan::Monthly,
            Some(other) => {
                return Err(ArmError::malformed(format!("billingPlan is P1M (monthly) or absent (upfront), not '{other}'."), Some(&field("billingPlan"))))
            }
        };
        if p.commitment.grain.as_deref().is_some_and(|g| g != "Hourly") {
            return Err(ArmError::malformed("A savings plan's commitment grain is Hourly.", Some(&field("commitment.grain"))));
        }
        let currency = Currency::new(&p.commitment.currency_code)
            .map_err(|_| ArmError::malformed("Give an ISO 4217 currency code, e.g. USD.", Some(&field("commitment.currencyCode"))))?;
        Ok(contract::SavingsPlanPurchaseRequest {
            sku_name: self.sku.name.clone(),
            term: p.term,
            billing_plan,
            hourly_commitment: Money::new(p.commitment.amount.0, currency),
            applied_scope_type: p.applied_scope_type,
            applied_scope_properties: scope_target(p.applied_scope_properties.as_ref(), None),
            display_name: p.display_name.clone(),
        })
    }

    /// The request a savings plan the desk bought answers to (`SavingsPlanToPurchaseExchange.properties`).
    fn of(plan: &SavingsPlan) -> Self {
        Self {
            sku: crate::reservation::SkuName { name: plan.sku_name.clone() },
            properties: SavingsPlanPurchaseProperties {
                display_name: Some(plan.display_name.clone()),
                billing_scope_id: None,
                term: plan.term,
                billing_plan: (plan.billing_plan == BillingPlan::Monthly).then(|| "P1M".to_owned()),
                applied_scope_type: plan.applied_scope_type,
                applied_scope_properties: plan.applied_scope_properties.as_ref().map(|a| ArmScopeProperties {
                    tenant_id: None,
                    management_group_id: a.management_group_id.clone(),
                    subscription_id: a.subscription_id.clone(),
                    resource_group_id: a.resource_group_id.clone(),
                    display_name: a.display_name.clone(),
                }),
                commitment: Commitment {
                    currency_code: plan.commitment.currency_code.to_string(),
                    amount: ExactNumber(plan.commitment.amount),
                    grain: Some(plan.commitment.grain.to_string()),
                },
            },
        }
    }
}

impl ArmCalculateExchangeRequest {
    /// The desk's request, each purchase's SKU found in `catalog`; or a 400 naming the field.
    pub fn to_desk(&self, catalog: &[CatalogItem]) -> Result<CalculateExchangeRequest, ArmError> {
        let p = &self.properties;
        let mut returns = Vec::new();
        for (i, r) in p.reservations_to_exchange.iter().enumerate() {
            let (order, id) = ids::parse_reservation_id(&r.reservation_id)
                .ok_or_else(|| ArmError::malformed("Give the reservation's ID.", Some(&format!("properties.reservationsToExchange[{i}].reservationId"))))?;
            // The order a full ID names goes to the desk, which refuses a reservation of another
            // order as unknown (as split, merge and refund refuse it against the path's order).
            returns.push(ExchangeReturnRequest { reservation_id: id.to_owned(), quantity: r.quantity, reservation_order_id: order.map(str::to_owned) });
        }
        let mut purchases = Vec::new();
        for (i, buy) in p.reservations_to_purchase.iter().enumerate() {
            let item = catalog
                .iter()
                .find(|c| c.sku_name.eq_ignore_ascii_case(&buy.sku.name) && c.location.eq_ignore_ascii_case(&buy.location))
                .ok_or_else(|| ArmError::from(&Problem::new(ProblemCode::NotInCatalog, format!("{} in {} is not in the catalog.", buy.sku.name, buy.location), Some(format!("properties.reservationsToPurchase[{i}].sku.name")))))?;
            let props = &buy.properties;
            let target = scope_target(props.applied_scope_properties.as_ref(), props.applied_scopes.as_deref());
            purchases.push(ExchangePurchaseRequest {
                sku_id: item.sku_id.clone(),
                term: props.term,
                billing_plan: props.billing_plan,
                quantity: props.quantity,
                applied_scope_type: props.applied_scope_type,
                applied_scope_properties: target,
                display_name: props.display_name.clone(),
            });
        }
        let savings_plans = p.savings_plans_to_purchase.iter().enumerate().map(|(i, plan)| plan.to_desk(i)).collect::<Result<_, _>>()?;
        Ok(CalculateExchangeRequest { reservations_to_exchange: returns, reservations_to_purchase: purchases, savings_plans_to_purchase: savings_plans })
    }
}

/// `ExchangeRequest`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = ExchangeRequest))]
pub struct ArmExchangeRequest {
    /// The properties.
    pub properties: ExchangeRequestProperties,
}

/// `ExchangeRequestProperties`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ExchangeRequestProperties {
    /// From `calculateExchange`.
    pub session_id: String,
}

/// `CalculateExchangeOperationResultResponse` and `ExchangeOperationResultResponse`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = ExchangeOperationResultResponse))]
pub struct OperationResult {
    /// `/providers/microsoft.capacity/operationResults/{sessionId}`.
    pub id: String,
    /// The session ID.
    pub name: String,
    /// `Succeeded`: the desk answers at once.
    pub status: &'static str,
    /// The properties.
    pub properties: ExchangeProperties,
}

/// `CalculateExchangeResponseProperties` / `ExchangeResponseProperties`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = ExchangeResponseProperties))]
#[serde(rename_all = "camelCase")]
pub struct ExchangeProperties {
    /// The session.
    pub session_id: String,
    /// Purchases less refunds (negative: a credit).
    pub net_payable: Price,
    /// What the returns refund.
    pub refunds_total: Price,
    /// What the purchases cost now.
    pub purchases_total: Price,
    /// The returns, each with its refund.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reservations_to_exchange: Vec<ExchangedReservation>,
    /// The purchases, each with what it costs now (and, once exchanged, its IDs).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reservations_to_purchase: Vec<PurchasedReservation>,
    /// The savings plans bought (a trade-in), each with what it costs now (and, once exchanged,
    /// its IDs).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub savings_plans_to_purchase: Vec<PurchasedSavingsPlan>,
    /// Why the policy refuses, if it does.
    pub policy_result: ExchangePolicyErrors,
}

/// `ReservationToExchange` / `ReservationToReturnForExchange`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = ReservationToReturnForExchange))]
#[serde(rename_all = "camelCase")]
pub struct ExchangedReservation {
    /// The full reservation ID.
    pub reservation_id: String,
    /// Units returned.
    pub quantity: u32,
    /// What it refunds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub billing_refund_amount: Option<Price>,
}

/// `ReservationToPurchaseCalculateExchange` / `ReservationToPurchaseExchange`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = ReservationToPurchaseExchange))]
#[serde(rename_all = "camelCase")]
pub struct PurchasedReservation {
    /// After the exchange: the new order's full ID.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reservation_order_id: Option<String>,
    /// After the exchange: the new reservation's full ID.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reservation_id: Option<String>,
    /// What was asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub properties: Option<PurchaseRequest>,
    /// What it costs now (the first installment of a monthly plan).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub billing_currency_total: Option<Price>,
    /// After the exchange: `Succeeded`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<&'static str>,
}

/// `SavingsPlanToPurchaseCalculateExchange` / `SavingsPlanToPurchaseExchange`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = SavingsPlanToPurchaseExchange))]
#[serde(rename_all = "camelCase")]
pub struct PurchasedSavingsPlan {
    /// After the exchange: the savings plan order's full ID.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub savings_plan_order_id: Option<String>,
    /// After the exchange: the savings plan's full ID.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub savings_plan_id: Option<String>,
    /// What was asked for (after the exchange: what was bought).
    pub properties: SavingsPlanPurchaseRequest,
    /// What it costs now: the lifetime commitment upfront, the first installment monthly.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub billing_currency_total: Option<Price>,
    /// The same in USD, the pricing currency, when the customer is billed in USD (the quote
    /// carries no exchange rate: absent otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pricing_currency_total: Option<Price>,
    /// After the exchange: `Succeeded`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<&'static str>,
}

/// Where the desk's savings plans live in ARM (`Microsoft.BillingBenefits`).
const SAVINGS_PLAN_PROVIDER: &str = "/providers/Microsoft.BillingBenefits";

/// The full ID of a savings plan order.
pub fn savings_plan_order_id(order: &str) -> String {
    format!("{SAVINGS_PLAN_PROVIDER}/savingsPlanOrders/{order}")
}

/// The full ID of a savings plan.
pub fn savings_plan_id(order: &str, plan: &str) -> String {
    format!("{SAVINGS_PLAN_PROVIDER}/savingsPlanOrders/{order}/savingsPlans/{plan}")
}

/// What a plan costs now, and the same in USD when that is the billing currency.
fn plan_totals(due: &Money) -> (Option<Price>, Option<Price>) {
    (Some(due.into()), (due.currency.code() == "USD").then(|| due.into()))
}

/// `ExchangePolicyErrors`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ExchangePolicyErrors {
    /// The refusals.
    pub policy_errors: Vec<crate::refund::PolicyErrorBody>,
}

fn totals(session_id: &str, q: &ExchangeQuoteResponse) -> ExchangeProperties {
    ExchangeProperties {
        session_id: session_id.to_owned(),
        net_payable: (&q.net_payable).into(),
        refunds_total: (&q.refunds_total).into(),
        purchases_total: (&q.purchases_total).into(),
        reservations_to_exchange: Vec::new(),
        reservations_to_purchase: Vec::new(),
        savings_plans_to_purchase: Vec::new(),
        policy_result: ExchangePolicyErrors {
            policy_errors: q
                .policy_result
                .policy_errors
                .iter()
                .map(|e| crate::refund::PolicyErrorBody { code: serde_json::to_value(e.code).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default(), message: e.message.clone() })
                .collect(),
        },
    }
}

fn result(session_id: &str, properties: ExchangeProperties) -> OperationResult {
    OperationResult { id: format!("{}/operationResults/{session_id}", ids::PROVIDER), name: session_id.to_owned(), status: "Succeeded", properties }
}

/// The answer to `calculateExchange` for `request` (as the client sent it). A valid quote has one
/// line per return and one per purchase, in the request's order, which gives each its amount.
pub fn calculated(request: &ArmCalculateExchangeRequest, c: &CalculateExchangeResponse) -> OperationResult {
    let q = &c.quote;
    let mut properties = totals(&c.session_id, q);
    let returns: Vec<_> = q.lines.iter().filter(|l| l.reason == reason::EXCHANGE_RETURN_PRO_RATED).collect();
    let buys: Vec<_> = q.lines.iter().filter(|l| l.reason == reason::PURCHASE_UPFRONT || l.reason == reason::PURCHASE_FIRST_INSTALLMENT).collect();
    let p = &request.properties;
    let itemized = q.is_valid_exchange && returns.len() == p.reservations_to_exchange.len() && buys.len() == p.reservations_to_purchase.len();
    properties.reservations_to_exchange = p
        .reservations_to_exchange
        .iter()
        .enumerate()
        .map(|(i, r)| ExchangedReservation {
            reservation_id: r.reservation_id.clone(),
            quantity: r.quantity,
            billing_refund_amount: itemized.then(|| (&returns[i].amount.negate()).into()),
        })
        .collect();
    properties.reservations_to_purchase = p
        .reservations_to_purchase
        .iter()
        .enumerate()
        .map(|(i, buy)| PurchasedReservation {
            reservation_order_id: None,
            reservation_id: None,
            properties: Some(buy.clone()),
            billing_currency_total: itemized.then(|| (&buys[i].amount).into()),
            status: None,
        })
        .collect();
    // Each plan's quote, in the request's order (a plan left out of the quote, e.g. in another
    // currency, leaves them all without amounts).
    let plans_itemized = q.is_valid_exchange && q.savings_plans.len() == p.savings_plans_to_purchase.len();
    properties.savings_plans_to_purchase = p
        .savings_plans_to_purchase
        .iter()
        .enumerate()
        .map(|(i, plan)| {
            let (billing, pricing) = if plans_itemized { plan_totals(&q.savings_plans[i].due_now) } else { (None, None) };
            PurchasedSavingsPlan {
                savings_plan_order_id: None,
                savings_plan_id: None,
                properties: plan.clone(),
                billing_currency_total: billing,
                pricing_currency_total: pricing,
                status: None,
            }
        })
        .collect();
    result(&c.session_id, properties)
}

/// The answer to `exchange`: the totals and the reservations bought.
pub fn exchanged(e: &ExchangeResponse) -> OperationResult {
    let mut properties = totals(&e.session_id, &e.quote);
    properties.reservations_to_purchase = e
        .purchased
        .iter()
        .map(|r| PurchasedReservation {
            reservation_order_id: Some(ids::order_id(&r.reservation_order_id)),
            reservation_id: Some(ids::reservation_id(&r.reservation_order_id, &r.id)),
            properties: None,
            billing_currency_total: None,
            status: Some("Succeeded"),
        })
        .collect();
    properties.savings_plans_to_purchase = e
        .savings_plans
        .iter()
        .enumerate()
        .map(|(i, plan)| PurchasedSavingsPlan {
            savings_plan_order_id: Some(savings_plan_order_id(&plan.savings_plan_order_id)),
            savings_plan_id: Some(savings_plan_id(&plan.savings_plan_order_id, &plan.id)),
            properties: SavingsPlanPurchaseRequest::of(plan),
            billing_currency_total: e.quote.savings_plans.get(i).map(|q| (&q.due_now).into()),
            pricing_currency_total: None,
            status: Some("Succeeded"),
        })
        .collect();
    result(&e.session_id, properties)
}
