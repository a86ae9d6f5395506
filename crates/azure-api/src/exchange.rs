//! `calculateExchange` and `exchange` as Microsoft.Capacity 2022-11-01 has them. A purchase
//! names its SKU by `sku.name` and `location`; the catalog gives the desk's SKU ID. A savings
//! plan (`savingsPlansToPurchase`, a trade-in) is the specification's `SavingsPlanPurchaseRequest`:
//! `{sku: {name}, properties: {displayName, billingScopeId, term, billingPlan, appliedScopeType,
//! appliedScopeProperties, commitment: {currencyCode, amount, grain}}}`. Both answer at once
//! (`status: Succeeded`), which the SDK's poller takes as done.
//!
//! A `billingScopeId` names the subscription charged: the desk bills the customer, so only one of
//! the customer's own subscriptions is taken ([`ArmCalculateExchangeRequest::check_billing_scopes`]).
//! The desk keeps no billing scope; the surface's session ID carries the ones the savings plans
//! named ([`ArmSession`]), so `exchange` answers each plan as it was asked. A refusal names the
//! member of this request that the desk's field is ([`ArmCalculateExchangeRequest::arm_target`]).

use std::str::FromStr;

use contract::exchange::{CalculateExchangeRequest, CalculateExchangeResponse, CatalogItem, ExchangePurchaseRequest, ExchangeResponse, ExchangeReturnRequest};
use contract::reservation::AppliedScopeType;
use contract::{Problem, ProblemCode, SavingsPlan, Scope};
use quote_engine::api::ExchangeQuoteResponse;
use quote_engine::rules::trade_in::MAX_TRADE_IN_RESERVATIONS;
use quote_engine::{reason, BillingPlan, Currency, Money, PolicyErrorCode, Term};
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
    /// The subscription charged: one of the customer's own (the customer is billed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_scope_id: Option<String>,
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
    /// Renew it automatically when its term ends (absent: no).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renew: Option<bool>,
}

impl PurchaseRequest {
    /// The desk's purchase line, its SKU found in `catalog` by name and region; or a 400 naming
    /// the field (`prefix`: where this request sits in the body, e.g. `properties.reservationsToPurchase[0].`).
    pub fn to_desk(&self, catalog: &[CatalogItem], prefix: &str) -> Result<ExchangePurchaseRequest, ArmError> {
        let item = catalog
            .iter()
            .find(|c| c.sku_name.eq_ignore_ascii_case(&self.sku.name) && c.location.eq_ignore_ascii_case(&self.location))
            .ok_or_else(|| {
                let detail = format!("{} in {} is not in the catalog.", self.sku.name, self.location);
                ArmError::from(&Problem::new(ProblemCode::NotInCatalog, detail, Some(format!("{prefix}sku.name"))))
            })?;
        let props = &self.properties;
        Ok(ExchangePurchaseRequest {
            sku_id: item.sku_id.clone(),
            term: props.term,
            billing_plan: props.billing_plan,
            quantity: props.quantity,
            applied_scope_type: props.applied_scope_type,
            applied_scope_properties: scope_target(props.applied_scope_properties.as_ref(), props.applied_scopes.as_deref()),
            display_name: props.display_name.clone(),
            renew: props.renew.unwrap_or(false),
        })
    }
}

/// `SavingsPlanPurchaseRequest`: a savings plan to buy, as the SDK's model writes it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SavingsPlanPurchaseRequest {
    /// `Compute_Savings_Plan` (for compute reservations) or `Database_Savings_Plan` (for database
    /// reservations, 1 year only).
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
    /// The subscription charged: one of the customer's own (the customer is billed).
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

    /// The request a savings plan the desk bought answers to (`SavingsPlanToPurchaseExchange.properties`),
    /// billed to `billing_scope_id` as it was asked; also what the desk sends ARM's
    /// `calculateExchange` for a savings plan it plans to buy (the hourly commitment asked).
    pub fn of(plan: &SavingsPlan, billing_scope_id: Option<String>) -> Self {
        Self {
            sku: crate::reservation::SkuName { name: plan.sku_name.clone() },
            properties: SavingsPlanPurchaseProperties {
                display_name: Some(plan.display_name.clone()),
                billing_scope_id,
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
        let purchases = p
            .reservations_to_purchase
            .iter()
            .enumerate()
            .map(|(i, buy)| buy.to_desk(catalog, &format!("properties.reservationsToPurchase[{i}].")))
            .collect::<Result<Vec<_>, _>>()?;
        let savings_plans = p.savings_plans_to_purchase.iter().enumerate().map(|(i, plan)| plan.to_desk(i)).collect::<Result<_, _>>()?;
        Ok(CalculateExchangeRequest { reservations_to_exchange: returns, reservations_to_purchase: purchases, savings_plans_to_purchase: savings_plans })
    }

    /// Whether a purchase or a savings plan names the subscription it bills.
    pub fn names_billing_scopes(&self) -> bool {
        self.billing_scopes().any(|(_, scope)| scope.is_some())
    }

    /// Each purchase's and savings plan's `billingScopeId` with the member that holds it.
    fn billing_scopes(&self) -> impl Iterator<Item = (String, Option<&str>)> {
        let p = &self.properties;
        let buys = p.reservations_to_purchase.iter().enumerate().map(|(i, b)| {
            (format!("properties.reservationsToPurchase[{i}].properties.billingScopeId"), b.properties.billing_scope_id.as_deref())
        });
        let plans = p.savings_plans_to_purchase.iter().enumerate().map(|(i, plan)| {
            (format!("properties.savingsPlansToPurchase[{i}].properties.billingScopeId"), plan.properties.billing_scope_id.as_deref())
        });
        buys.chain(plans)
    }

    /// Every `billingScopeId` checked to be one of `subscriptions` (the customer's own,
    /// [`subscriptions_of`]), compared as ARM compares IDs; or a 400 `scopeInvalid` naming it.
    /// The desk bills the customer: a subscription of another customer's, or anything but a
    /// subscription, cannot be the one charged.
    pub fn check_billing_scopes(&self, subscriptions: &[String]) -> Result<(), ArmError> {
        for (member, scope) in self.billing_scopes() {
            if let Some(scope) = scope.filter(|s| !subscriptions.iter().any(|own| same_id(own, s))) {
                let message = format!("The billing scope must be one of this customer's own subscriptions (/subscriptions/{{id}}), not '{scope}': the customer is billed.");
                return Err(ArmError::from(&Problem::new(ProblemCode::ScopeInvalid, message, Some(member))));
            }
        }
        Ok(())
    }

    /// The member of this request that the desk's field `field` (of its own
    /// `CalculateExchangeRequest`) is: a purchase's `skuId` is its `sku.name`, its other fields sit
    /// under its `properties`; a plan's `skuName` is its `sku.name`, `hourlyCommitment` its
    /// `properties.commitment`, its other fields under its `properties`; a scope is named by the
    /// member that names it ([`scope_member`]); the rest sits under `properties.` by its own name.
    pub fn arm_target(&self, field: &str) -> String {
        let p = &self.properties;
        let (list, item, rest) = match field.split_once('[').and_then(|(list, tail)| Some((list, tail.split_once(']')?))) {
            Some((list, (index, rest))) => (list, index.parse::<usize>().ok(), rest.strip_prefix('.').unwrap_or(rest)),
            None => (field, None, ""),
        };
        match (list, item) {
            ("reservationsToPurchase", Some(i)) => {
                let at = format!("properties.reservationsToPurchase[{i}]");
                match (rest, p.reservations_to_purchase.get(i)) {
                    ("", _) => at,
                    ("skuId", _) => format!("{at}.sku.name"),
                    ("appliedScopeProperties", Some(buy)) => {
                        let b = &buy.properties;
                        scope_member(&format!("{at}.properties"), Some(b.applied_scope_type), b.applied_scope_properties.as_ref(), b.applied_scopes.as_deref())
                    }
                    (other, _) => format!("{at}.properties.{other}"),
                }
            }
            ("savingsPlansToPurchase", Some(i)) => {
                let at = format!("properties.savingsPlansToPurchase[{i}]");
                match (rest, p.savings_plans_to_purchase.get(i)) {
                    ("", _) => at,
                    ("skuName", _) => format!("{at}.sku.name"),
                    ("appliedScopeProperties", Some(plan)) => {
                        let q = &plan.properties;
                        scope_member(&format!("{at}.properties"), Some(q.applied_scope_type), q.applied_scope_properties.as_ref(), None)
                    }
                    (other, _) => match other.strip_prefix("hourlyCommitment") {
                        Some(within) => format!("{at}.properties.commitment{within}"),
                        None => format!("{at}.properties.{other}"),
                    },
                }
            }
            _ => format!("properties.{field}"),
        }
    }

    /// The desk's refusal `e` of this request as the surface answers it. A trade-in of more
    /// reservations than one takes is Azure's policy error `TradeInTooManyReservations` in a
    /// quote, as Azure documents it (the desk refuses more than 100 lines in a list before it
    /// reads anything, with a 400 `tooManyLines`; the trade-in bound is the same 100): the
    /// request's lines with the policy error, without amounts, and no session, as nothing was
    /// quoted. Any other refusal is an ARM error naming the member of this request
    /// ([`Self::arm_target`]).
    pub fn refused(&self, mut e: ArmError) -> Result<OperationResult, ArmError> {
        let p = &self.properties;
        let returns = p.reservations_to_exchange.len();
        let too_many_to_trade_in = e.body.error.code == "tooManyLines"
            && e.body.error.target.as_deref() == Some("reservationsToExchange")
            && !p.savings_plans_to_purchase.is_empty()
            && returns > MAX_TRADE_IN_RESERVATIONS;
        if !too_many_to_trade_in {
            e.body.error.target = e.body.error.target.take().map(|field| self.arm_target(&field));
            return Err(e);
        }
        let error = crate::refund::PolicyErrorBody {
            code: PolicyErrorCode::TradeInTooManyReservations.as_str().to_owned(),
            message: format!("A trade-in for a savings plan returns at most {MAX_TRADE_IN_RESERVATIONS} reservations; this one returns {returns}."),
        };
        let mut properties = ExchangeProperties { policy_result: ExchangePolicyErrors { policy_errors: vec![error] }, ..ExchangeProperties::default() };
        self.echo(&mut properties, None);
        Ok(OperationResult { id: None, name: None, status: "Succeeded", properties })
    }

    /// The request's lines in `properties`, each with its amount from `quote` when that is
    /// itemized: valid, with one line per return and per purchase in the request's order, and a
    /// quote per plan (a plan left out of the quote, e.g. in another currency, leaves them all
    /// without amounts).
    fn echo(&self, properties: &mut ExchangeProperties, quote: Option<&ExchangeQuoteResponse>) {
        let p = &self.properties;
        let valid = quote.filter(|q| q.is_valid_exchange);
        let returns: Vec<Money> = valid.map_or_else(Vec::new, |q| {
            q.lines.iter().filter(|l| l.reason == reason::EXCHANGE_RETURN_PRO_RATED).map(|l| l.amount.negate()).collect()
        });
        let buys: Vec<Money> = valid.map_or_else(Vec::new, |q| {
            q.lines.iter().filter(|l| l.reason == reason::PURCHASE_UPFRONT || l.reason == reason::PURCHASE_FIRST_INSTALLMENT).map(|l| l.amount).collect()
        });
        let itemized = valid.is_some() && returns.len() == p.reservations_to_exchange.len() && buys.len() == p.reservations_to_purchase.len();
        properties.reservations_to_exchange = p
            .reservations_to_exchange
            .iter()
            .enumerate()
            .map(|(i, r)| ExchangedReservation {
                reservation_id: r.reservation_id.clone(),
                quantity: r.quantity,
                billing_refund_amount: itemized.then(|| (&returns[i]).into()),
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
                billing_currency_total: itemized.then(|| (&buys[i]).into()),
                status: None,
            })
            .collect();
        let plans = valid.filter(|q| q.savings_plans.len() == p.savings_plans_to_purchase.len()).map(|q| &q.savings_plans);
        properties.savings_plans_to_purchase = p
            .savings_plans_to_purchase
            .iter()
            .enumerate()
            .map(|(i, plan)| {
                let (billing, pricing) = plans.map_or((None, None), |quoted| plan_totals(&quoted[i].due_now));
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
    }
}

/// Whether two ARM IDs are the same: compared ignoring case and a trailing `/`, as ARM compares them.
fn same_id(a: &str, b: &str) -> bool {
    a.trim().trim_end_matches('/').eq_ignore_ascii_case(b.trim().trim_end_matches('/'))
}

/// The subscriptions (`/subscriptions/{id}`) among a customer's own `scopes`, each once.
pub fn subscriptions_of(scopes: &[Scope]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in scopes.iter().filter_map(|s| s.applied_scope_properties.subscription_id.as_deref()) {
        if !out.iter().any(|o| same_id(o, s)) {
            out.push(s.to_owned());
        }
    }
    out
}

/// The member of a request that names its applied scope, `at` the object that holds its
/// `appliedScopeType` (a purchase's or plan's `properties`, a PATCH's `properties`): for a
/// `Shared` scope, the target it should not have (`appliedScopeProperties`, or `appliedScopes`);
/// for another scope without a target, its `appliedScopeType`, which wants one; otherwise the ID
/// that names the scope, as the desk reads it: `appliedScopeProperties`' most specific ID (a
/// resource group, a management group, then a subscription), or the first of `appliedScopes`.
pub fn scope_member(at: &str, kind: Option<AppliedScopeType>, properties: Option<&ArmScopeProperties>, applied_scopes: Option<&[String]>) -> String {
    let listed = applied_scopes.is_some_and(|s| !s.is_empty());
    match (kind, properties) {
        (Some(AppliedScopeType::Shared), Some(_)) => format!("{at}.appliedScopeProperties"),
        (Some(AppliedScopeType::Shared), None) if listed => format!("{at}.appliedScopes"),
        (_, Some(p)) => {
            let id = [(&p.resource_group_id, "resourceGroupId"), (&p.management_group_id, "managementGroupId"), (&p.subscription_id, "subscriptionId")]
                .into_iter()
                .find_map(|(id, name)| id.as_ref().map(|_| name));
            match id {
                Some(name) => format!("{at}.appliedScopeProperties.{name}"),
                None => format!("{at}.appliedScopeProperties"),
            }
        }
        (_, None) if listed => format!("{at}.appliedScopes[0]"),
        (_, None) => format!("{at}.appliedScopeType"),
    }
}

/// A session of this surface, as `calculateExchange` answers its `sessionId` and `exchange` is
/// given it back: the desk's session, then the subscription each savings plan bills, each after a
/// `~` (empty for a plan that names none). The desk bills the customer and keeps no billing scope;
/// the session ID carries the ones asked for, so that `exchange` (and the result of one that
/// waited for approval) answers each plan as it was asked. A session whose plans name no billing
/// scope is the desk's own ID. Only a subscription ID of letters, digits and `-` (a GUID, as
/// Azure's are) is carried; `exchange` echoes only those still among the customer's own.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ArmSession {
    /// The desk's session.
    pub desk: String,
    /// The `billingScopeId` (`/subscriptions/{id}`) of each savings plan, in the request's order.
    pub plan_billing_scopes: Vec<Option<String>>,
}

const SUBSCRIPTIONS: &str = "/subscriptions/";

impl ArmSession {
    /// The session the desk answered `desk` for `request`.
    pub fn of(desk: &str, request: &ArmCalculateExchangeRequest) -> Self {
        let plan_billing_scopes = request.properties.savings_plans_to_purchase.iter().map(|p| p.properties.billing_scope_id.clone()).collect();
        Self { desk: desk.to_owned(), plan_billing_scopes }
    }

    /// The subscription ID a billing scope names, when it is one a session ID can carry.
    fn carried(scope: &str) -> Option<&str> {
        let scope = scope.trim().trim_end_matches('/');
        let head = scope.get(..SUBSCRIPTIONS.len())?;
        let id = &scope[SUBSCRIPTIONS.len()..];
        (head.eq_ignore_ascii_case(SUBSCRIPTIONS) && !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')).then_some(id)
    }

    /// The ID the client is given and sends back.
    pub fn id(&self) -> String {
        let carried: Vec<Option<&str>> = self.plan_billing_scopes.iter().map(|s| s.as_deref().and_then(Self::carried)).collect();
        if carried.iter().all(Option::is_none) {
            return self.desk.clone();
        }
        carried.iter().fold(self.desk.clone(), |id, s| format!("{id}~{}", s.unwrap_or_default()))
    }

    /// The session a client sent (`id` as [`Self::id`] wrote it; any other ID is the desk's).
    pub fn parse(id: &str) -> Self {
        let mut parts = id.split('~');
        let desk = parts.next().unwrap_or_default().to_owned();
        let plan_billing_scopes = parts.map(|s| (!s.is_empty()).then(|| format!("{SUBSCRIPTIONS}{s}"))).collect();
        Self { desk, plan_billing_scopes }
    }

    /// Its billing scopes, each kept only when it is one of `subscriptions` (the customer's own).
    pub fn billed_to(mut self, subscriptions: &[String]) -> Self {
        for scope in &mut self.plan_billing_scopes {
            *scope = scope.take().filter(|s| subscriptions.iter().any(|own| same_id(own, s)));
        }
        self
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
    /// From `calculateExchange` ([`ArmSession`]).
    pub session_id: String,
}

impl ArmExchangeRequest {
    /// The surface's session this request names.
    pub fn session(&self) -> ArmSession {
        ArmSession::parse(&self.properties.session_id)
    }

    /// The desk's refusal `e` naming this request's one member, `properties.sessionId`: whatever
    /// field the desk blames (a purchase's scope no longer the customer's, …) is in the session
    /// it names.
    pub fn refused(mut e: ArmError) -> ArmError {
        if e.body.error.target.is_some() {
            e.body.error.target = Some("properties.sessionId".to_owned());
        }
        e
    }
}

/// `CalculateExchangeOperationResultResponse` and `ExchangeOperationResultResponse`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = ExchangeOperationResultResponse))]
pub struct OperationResult {
    /// `/providers/microsoft.capacity/operationResults/{name}`; absent when nothing was quoted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The desk's session ID.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `Succeeded`: the desk answers at once.
    pub status: &'static str,
    /// The properties.
    pub properties: ExchangeProperties,
}

/// `CalculateExchangeResponseProperties` / `ExchangeResponseProperties`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = ExchangeResponseProperties))]
#[serde(rename_all = "camelCase")]
pub struct ExchangeProperties {
    /// The session ([`ArmSession`]); absent when nothing was quoted (a trade-in of more
    /// reservations than one takes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_id: Option<String>,
    /// Purchases less refunds (negative: a credit); absent when nothing was quoted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub net_payable: Option<Price>,
    /// What the returns refund; absent when nothing was quoted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refunds_total: Option<Price>,
    /// What the purchases cost now; absent when nothing was quoted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purchases_total: Option<Price>,
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
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ExchangePolicyErrors {
    /// The refusals.
    pub policy_errors: Vec<crate::refund::PolicyErrorBody>,
}

/// The totals and policy errors of quote `q`, under `session` (the surface's session ID).
fn totals(session: String, q: &ExchangeQuoteResponse) -> ExchangeProperties {
    ExchangeProperties {
        session_id: Some(session),
        net_payable: Some((&q.net_payable).into()),
        refunds_total: Some((&q.refunds_total).into()),
        purchases_total: Some((&q.purchases_total).into()),
        policy_result: ExchangePolicyErrors {
            policy_errors: q
                .policy_result
                .policy_errors
                .iter()
                .map(|e| crate::refund::PolicyErrorBody { code: serde_json::to_value(e.code).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default(), message: e.message.clone() })
                .collect(),
        },
        ..ExchangeProperties::default()
    }
}

/// The operation result of the desk's session `desk_session`.
fn result(desk_session: &str, properties: ExchangeProperties) -> OperationResult {
    OperationResult {
        id: Some(format!("{}/operationResults/{desk_session}", ids::PROVIDER)),
        name: Some(desk_session.to_owned()),
        status: "Succeeded",
        properties,
    }
}

/// The answer to `calculateExchange` for `request` (as the client sent it): the quote's totals
/// and each line of the request with its amount (a valid quote has one line per return and one
/// per purchase, in the request's order, and a quote per plan), under the surface's session,
/// which carries the plans' billing scopes ([`ArmSession`]).
pub fn calculated(request: &ArmCalculateExchangeRequest, c: &CalculateExchangeResponse) -> OperationResult {
    let mut properties = totals(ArmSession::of(&c.session_id, request).id(), &c.quote);
    request.echo(&mut properties, Some(&c.quote));
    result(&c.session_id, properties)
}

/// The answer to `exchange` of `session` (the surface's session the client sent, its billing
/// scopes those still among the customer's own): the totals, the reservations bought and each
/// savings plan bought, as it was asked.
pub fn exchanged(e: &ExchangeResponse, session: &ArmSession) -> OperationResult {
    let sent = if session.desk == e.session_id { session.clone() } else { ArmSession { desk: e.session_id.clone(), ..ArmSession::default() } };
    let mut properties = totals(sent.id(), &e.quote);
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
            properties: SavingsPlanPurchaseRequest::of(plan, sent.plan_billing_scopes.get(i).cloned().flatten()),
            billing_currency_total: e.quote.savings_plans.get(i).map(|q| (&q.due_now).into()),
            pricing_currency_total: None,
            status: Some("Succeeded"),
        })
        .collect();
    result(&e.session_id, properties)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn request(body: serde_json::Value) -> ArmCalculateExchangeRequest {
        serde_json::from_value(body).unwrap()
    }

    /// A trade-in of `returns` lines for a plan billed to `billing`, and a purchase billed to it too.
    fn trade_in(returns: usize, billing: &str) -> ArmCalculateExchangeRequest {
        let line = json!({"reservationId": "/providers/microsoft.capacity/reservationOrders/o-1/reservations/r-1", "quantity": 1});
        request(json!({"properties": {
            "reservationsToExchange": vec![line; returns],
            "reservationsToPurchase": [{"sku": {"name": "Standard_D2s_v5"}, "location": "westeurope", "properties": {
                "billingScopeId": billing, "term": "P1Y", "billingPlan": "Upfront", "quantity": 1, "appliedScopeType": "Single", "appliedScopes": ["/subscriptions/s-2"]}}],
            "savingsPlansToPurchase": [{"sku": {"name": "Compute_Savings_Plan"}, "properties": {
                "billingScopeId": billing, "term": "P3Y", "appliedScopeType": "Single",
                "appliedScopeProperties": {"subscriptionId": "/subscriptions/s-1", "resourceGroupId": "/subscriptions/s-1/resourceGroups/rg"},
                "commitment": {"currencyCode": "USD", "amount": 1.5, "grain": "Hourly"}}}]
        }}))
    }

    #[test]
    fn a_billing_scope_is_one_of_the_customers_subscriptions_in_any_case() {
        let own = vec!["/subscriptions/s-1".to_owned(), "/subscriptions/s-2".to_owned()];
        assert_eq!(trade_in(1, "/Subscriptions/S-2/").check_billing_scopes(&own), Ok(()));
        let e = trade_in(1, "/subscriptions/s-3").check_billing_scopes(&own).unwrap_err();
        assert_eq!((e.status, e.body.error.code.as_str()), (400, "scopeInvalid"));
        assert_eq!(e.body.error.target.as_deref(), Some("properties.reservationsToPurchase[0].properties.billingScopeId"), "the first named, in the request's order");
        assert!(trade_in(1, "x").names_billing_scopes());
        let mut unnamed = trade_in(1, "x");
        unnamed.properties.reservations_to_purchase[0].properties.billing_scope_id = None;
        unnamed.properties.savings_plans_to_purchase[0].properties.billing_scope_id = None;
        assert!(!unnamed.names_billing_scopes() && unnamed.check_billing_scopes(&[]).is_ok());
        let scopes: Vec<Scope> = serde_json::from_value(json!([
            {"appliedScopeType": "Single", "appliedScopeProperties": {"subscriptionId": "/subscriptions/s-1"}},
            {"appliedScopeType": "Single", "appliedScopeProperties": {"subscriptionId": "/subscriptions/S-1", "resourceGroupId": "/subscriptions/s-1/resourceGroups/rg"}},
            {"appliedScopeType": "ManagementGroup", "appliedScopeProperties": {"managementGroupId": "/providers/Microsoft.Management/managementGroups/mg"}},
            {"appliedScopeType": "Single", "appliedScopeProperties": {"subscriptionId": "/subscriptions/s-2"}}
        ]))
        .unwrap();
        assert_eq!(subscriptions_of(&scopes), own);
    }

    #[test]
    fn each_field_the_desk_blames_is_the_member_of_the_azure_request_that_holds_it() {
        let r = trade_in(1, "/subscriptions/s-1");
        for (desk, arm) in [
            ("reservationsToExchange", "properties.reservationsToExchange"),
            ("reservationsToExchange[0].quantity", "properties.reservationsToExchange[0].quantity"),
            ("reservationsToPurchase[0].skuId", "properties.reservationsToPurchase[0].sku.name"),
            ("reservationsToPurchase[0].quantity", "properties.reservationsToPurchase[0].properties.quantity"),
            ("reservationsToPurchase[0].displayName", "properties.reservationsToPurchase[0].properties.displayName"),
            ("reservationsToPurchase[0].appliedScopeProperties", "properties.reservationsToPurchase[0].properties.appliedScopes[0]"),
            ("reservationsToPurchase[0]", "properties.reservationsToPurchase[0]"),
            ("savingsPlansToPurchase[0].hourlyCommitment.amount", "properties.savingsPlansToPurchase[0].properties.commitment.amount"),
            ("savingsPlansToPurchase[0].hourlyCommitment", "properties.savingsPlansToPurchase[0].properties.commitment"),
            ("savingsPlansToPurchase[0].skuName", "properties.savingsPlansToPurchase[0].sku.name"),
            ("savingsPlansToPurchase[0].displayName", "properties.savingsPlansToPurchase[0].properties.displayName"),
            ("savingsPlansToPurchase[0].appliedScopeProperties", "properties.savingsPlansToPurchase[0].properties.appliedScopeProperties.resourceGroupId"),
        ] {
            assert_eq!(r.arm_target(desk), arm, "{desk}");
        }
    }

    #[test]
    fn a_scope_is_blamed_on_the_member_that_names_it() {
        let props = |s: Option<&str>, rg: Option<&str>, mg: Option<&str>| ArmScopeProperties {
            subscription_id: s.map(str::to_owned),
            resource_group_id: rg.map(str::to_owned),
            management_group_id: mg.map(str::to_owned),
            ..ArmScopeProperties::default()
        };
        let listed = ["/subscriptions/s-1".to_owned()];
        let member = |kind, p: Option<&ArmScopeProperties>, scopes: Option<&[String]>| scope_member("p", Some(kind), p, scopes);
        use AppliedScopeType::*;
        assert_eq!(member(Single, Some(&props(Some("s"), None, None)), None), "p.appliedScopeProperties.subscriptionId");
        assert_eq!(member(Single, Some(&props(Some("s"), Some("g"), None)), Some(&listed)), "p.appliedScopeProperties.resourceGroupId", "the target before appliedScopes");
        assert_eq!(member(ManagementGroup, Some(&props(None, None, Some("m"))), None), "p.appliedScopeProperties.managementGroupId");
        assert_eq!(member(Single, Some(&props(None, None, None)), None), "p.appliedScopeProperties");
        assert_eq!(member(Single, None, Some(&listed)), "p.appliedScopes[0]");
        assert_eq!(member(Single, None, Some(&[])), "p.appliedScopeType", "no target: the type that wants one");
        assert_eq!(member(Shared, Some(&props(Some("s"), None, None)), None), "p.appliedScopeProperties", "a shared scope takes no target");
        assert_eq!(member(Shared, None, Some(&listed)), "p.appliedScopes");
    }

    #[test]
    fn the_session_carries_each_plans_subscription_and_reads_back() {
        let plain = ArmSession { desk: "d-1".into(), plan_billing_scopes: vec![None, None] };
        assert_eq!(plain.id(), "d-1", "no billing scope: the desk's own ID");
        assert_eq!(ArmSession::parse("d-1"), ArmSession { desk: "d-1".into(), plan_billing_scopes: vec![] });
        let billed = ArmSession {
            desk: "6f1c0a2e-0000-4000-8000-000000000001".into(),
            plan_billing_scopes: vec![Some("/subscriptions/AB-12".into()), None, Some("/providers/Microsoft.Billing/billingAccounts/1".into()), Some("/subscriptions/cd-34/".into())],
        };
        let id = billed.id();
        assert_eq!(id, "6f1c0a2e-0000-4000-8000-000000000001~AB-12~~~cd-34", "only what a session ID can carry");
        let back = ArmSession::parse(&id);
        assert_eq!(back.desk, billed.desk);
        assert_eq!(back.plan_billing_scopes, [Some("/subscriptions/AB-12".to_owned()), None, None, Some("/subscriptions/cd-34".to_owned())]);
        assert_eq!(back.id(), id);
        let own = back.billed_to(&["/subscriptions/ab-12".to_owned()]);
        assert_eq!(own.plan_billing_scopes, [Some("/subscriptions/AB-12".to_owned()), None, None, None], "only the customer's own is echoed");
        let request = trade_in(1, "/subscriptions/s-1");
        assert_eq!(ArmSession::of("d-2", &request).id(), "d-2~s-1");
    }

    #[test]
    fn a_trade_in_over_the_bound_is_the_policy_error_in_a_quote_and_other_refusals_name_the_member() {
        let too_many = || ArmError::from(&Problem::new(ProblemCode::TooManyLines, "x", Some("reservationsToExchange".into())));
        let answer = trade_in(MAX_TRADE_IN_RESERVATIONS + 1, "/subscriptions/s-1").refused(too_many()).unwrap();
        let json = serde_json::to_value(&answer).unwrap();
        assert_eq!(json["status"], "Succeeded");
        assert_eq!(json["properties"]["policyResult"]["policyErrors"][0]["code"], "TradeInTooManyReservations");
        assert!(json["properties"]["policyResult"]["policyErrors"][0]["message"].as_str().unwrap().contains("101"));
        for absent in ["sessionId", "netPayable", "refundsTotal", "purchasesTotal"] {
            assert!(json["properties"].get(absent).is_none(), "{absent}: {json}");
        }
        assert!(json.get("id").is_none() && json.get("name").is_none(), "{json}");
        assert_eq!(json["properties"]["reservationsToExchange"].as_array().map(Vec::len), Some(101));
        assert!(json["properties"]["savingsPlansToPurchase"][0].get("billingCurrencyTotal").is_none());
        // Without a plan it is no trade-in: the desk's 400, naming the list as the request does.
        let mut plain = trade_in(MAX_TRADE_IN_RESERVATIONS + 1, "/subscriptions/s-1");
        plain.properties.savings_plans_to_purchase.clear();
        let e = plain.refused(too_many()).unwrap_err();
        assert_eq!((e.status, e.body.error.target.as_deref()), (400, Some("properties.reservationsToExchange")));
        let scope = ArmError::from(&Problem::new(ProblemCode::ScopeInvalid, "x", Some("savingsPlansToPurchase[0].appliedScopeProperties".into())));
        let e = trade_in(1, "/subscriptions/s-1").refused(scope).unwrap_err();
        assert_eq!(e.body.error.target.as_deref(), Some("properties.savingsPlansToPurchase[0].properties.appliedScopeProperties.resourceGroupId"));
    }
}
