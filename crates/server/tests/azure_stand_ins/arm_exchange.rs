//! ARM's exchange (`Microsoft.Capacity` 2022-11-01, from the specification's
//! `CalculateExchange.json` and `Exchange.json`) in the token's tenant.
//!
//! - `POST /providers/Microsoft.Capacity/calculateExchange` checks each of `reservationsToExchange`
//!   is a reservation of the tenant (`404 ReservationNotFound`) holding the units asked for
//!   (`400 InvalidQuantity`) and that each of `reservationsToPurchase` names a SKU, a region, a
//!   term, a billing plan and a quantity (`400 InvalidRequestContent`); it answers `202` with
//!   `Azure-AsyncOperation` and `Location` (the same URL, as the example has it) and
//!   `Retry-After`. `GET /providers/Microsoft.Capacity/calculateExchangeOperationResults/{id}`
//!   answers the status document `Succeeded` with the session and the figures: a returned unit
//!   refunds the refund stand-in's `unit_refund` for that reservation (`DEFAULT_UNIT_REFUND`
//!   when unset), a bought unit costs [`Exchanges::unit_price`] whatever its SKU, term or plan
//!   (USD, upfront); `netPayable = purchasesTotal − refundsTotal`; purchases that cost less than
//!   the refunds name the policy error [`REFUND_EXCEEDS_PURCHASE`] (Microsoft's
//!   `ErrorResponseCode` has no code of its own for it; Azure documents the rule: "the new
//!   purchase total should equal or be greater than the returned amount").
//! - `POST /providers/Microsoft.Capacity/exchange` with that session (unknown, used, or of
//!   another tenant: `400 InvalidSessionId`; with a policy error: `400` with its code) is made at
//!   once: the units leave the returned reservations, a new order `xorder-{n}` holds one
//!   reservation `xres-{n}-{k}` per purchase (its SKU, region, term, plan, quantity, name and
//!   scope, bought on [`Exchanges::purchase_date`]), and the order is priced at the purchases'
//!   total (`arm_orders.rs`), so that the desk prices the new reservations when it reads them.
//!   (Azure makes an order per purchase; with one price per unit the single order prices each
//!   the same.) It answers `202` with `Azure-AsyncOperation` and `Retry-After`;
//!   `GET /providers/Microsoft.Capacity/exchangeOperationResults/{id}` answers `InProgress`
//!   [`Exchanges::polls`] times, then `Succeeded` with what was bought (fully qualified IDs,
//!   `status: Succeeded`) and what was returned.
//!
//! - A trade-in names `savingsPlansToPurchase` (then `reservationsToPurchase` may be empty), each
//!   as the example has it: `sku.name` `Compute_Savings_Plan` or `Database_Savings_Plan`, a
//!   `term`, `appliedScopeType`, `commitment {currencyCode, amount, grain: Hourly}` (else `400
//!   InvalidRequestContent` naming the member). A plan costs its lifetime commitment (hourly ×
//!   8,760 × years) upfront, its first month (hourly × 730) with `billingPlan` `P1M`: its
//!   `billingCurrencyTotal`, counted in `purchasesTotal`. The policy errors `TradeInTooManyReservations`
//!   (more than 100 returns) and `SavingsPlanCommitmentTooLow` (under
//!   [`Exchanges::minimum_hourly_commitment`], when a test sets one) are named in the answer's
//!   `policyResult`. The exchange answers each plan's `savingsPlanOrderId` and `savingsPlanId`
//!   (`/providers/Microsoft.BillingBenefits/savingsPlanOrders/spo-{n}-{k}/savingsPlans/sp-{n}-{k}`)
//!   and keeps the plan bought in [`Exchanges::savings_plans`].
//!
//! An operation of another tenant is not found. Switches: ARM unreachable (`503` on every
//! exchange call), no Azure rights on exchanges (`403 AuthorizationFailed`), the exchange made and
//! its answer lost (`500`), the exchange failing (read when it is posted: nothing changes, and the
//! status document says `Failed` with the error).

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use rust_decimal::Decimal;
use serde_json::{json, Value};

use super::*;

/// The policy error of purchases that cost less than the refunds.
pub const REFUND_EXCEEDS_PURCHASE: &str = "ExchangeRefundExceedsPurchase";

/// The policy error of a trade-in of more reservations than one takes.
pub const TRADE_IN_TOO_MANY: &str = "TradeInTooManyReservations";

/// The policy error of a savings plan's hourly commitment under the minimum.
pub const COMMITMENT_TOO_LOW: &str = "SavingsPlanCommitmentTooLow";

/// What the exchange stand-in does and has seen.
#[derive(Debug)]
pub struct Exchanges {
    /// Every exchange call (calculation, exchange, their operations) answers `503`.
    pub unreachable: bool,
    /// `calculateExchange`, `exchange` and their operations answer `403 AuthorizationFailed`.
    pub forbidden: bool,
    /// `exchange` is made, then answered `500` (the desk never hears that ARM made it).
    pub lose_exchange_answer: bool,
    /// An exchange posted while set is not made; its operation ends `Failed` with this error
    /// (code, message).
    pub fail_operation: Option<(String, String)>,
    /// `InProgress` answers of each exchange operation before its end.
    pub polls: usize,
    /// `Retry-After` of each `202` and `InProgress`, in seconds.
    pub retry_after: u64,
    /// The price of one unit bought, in USD.
    pub unit_price: Decimal,
    /// The purchase date of the reservations bought (`YYYY-MM-DD`).
    pub purchase_date: String,
    /// `calculateExchange`s answered with a session.
    pub calculations: usize,
    /// Polls of calculation operations answered.
    pub calculation_polls: usize,
    /// `exchange`s posted, by session.
    pub exchanges_posted: HashMap<String, usize>,
    /// Polls of exchange operations answered.
    pub polls_answered: usize,
    /// The least hourly commitment a savings plan may have (none: any above zero).
    pub minimum_hourly_commitment: Option<Decimal>,
    /// The body of the last `calculateExchange` (what the desk sent).
    pub last_calculation: Option<Value>,
    /// Savings plans bought by trade-ins, in the order bought: (tenant, the plan as
    /// Microsoft.BillingBenefits would list it: `id`, `name`, `type`, `sku`, `properties`), the
    /// list a savings plans stand-in can answer from.
    pub savings_plans: Vec<(String, Value)>,
    sessions: HashMap<String, Session>,
    /// Calculation operations: (tenant, status document).
    calculated: HashMap<String, (String, Value)>,
    /// Exchange operations: (tenant, `InProgress` answers left, final status document).
    operations: HashMap<String, (String, usize, Value)>,
    orders_made: usize,
}

/// The price of one unit bought unless a test sets another ([`Exchanges::unit_price`]), in USD.
pub const DEFAULT_UNIT_PRICE: &str = "3000.00";

impl Default for Exchanges {
    fn default() -> Self {
        Self {
            unreachable: false,
            forbidden: false,
            lose_exchange_answer: false,
            fail_operation: None,
            polls: 2,
            retry_after: 5,
            unit_price: Decimal::from_str(DEFAULT_UNIT_PRICE).unwrap(),
            purchase_date: "2026-11-25".into(),
            calculations: 0,
            calculation_polls: 0,
            exchanges_posted: HashMap::new(),
            polls_answered: 0,
            minimum_hourly_commitment: None,
            last_calculation: None,
            savings_plans: Vec::new(),
            sessions: HashMap::new(),
            calculated: HashMap::new(),
            operations: HashMap::new(),
            orders_made: 0,
        }
    }
}

#[derive(Clone, Debug)]
struct Returned {
    order: String,
    reservation: String,
    quantity: u32,
    refund: Decimal,
}

#[derive(Clone, Debug)]
struct Bought {
    request: Value,
    quantity: u32,
    total: Decimal,
}

/// What ARM made: (order, reservation) or (savings plan order, savings plan).
type Ids = (String, String);

/// A savings plan a trade-in buys: the request's `SavingsPlanPurchaseRequest`, its hourly
/// commitment and what it costs now.
#[derive(Clone, Debug)]
struct PlanBought {
    request: Value,
    hourly: Decimal,
    total: Decimal,
}

#[derive(Clone, Debug)]
struct Session {
    tenant: String,
    returns: Vec<Returned>,
    purchases: Vec<Bought>,
    plans: Vec<PlanBought>,
    refunds_total: Decimal,
    purchases_total: Decimal,
    policy_errors: Vec<(String, String)>,
}

impl StandIns {
    /// Reads or changes the exchange stand-in (a test's switch).
    pub fn exchanges<T>(&self, f: impl FnOnce(&mut Exchanges) -> T) -> T {
        f(&mut self.inner.exchanges.lock().unwrap())
    }
}

fn usd(amount: Decimal) -> Value {
    json!({"currencyCode": "USD", "amount": amount.to_string().parse::<serde_json::Number>().unwrap()})
}

fn full_id(order: &str, reservation: &str) -> String {
    format!("/providers/microsoft.capacity/reservationOrders/{order}/reservations/{reservation}")
}

fn order_id(order: &str) -> String {
    format!("/providers/microsoft.capacity/reservationOrders/{order}")
}

/// (order, reservation) of a fully qualified reservation ID.
fn parse_id(id: &str) -> Option<(String, String)> {
    let (head, reservation) = id.rsplit_once('/')?;
    let order_path = head.strip_suffix("/reservations")?;
    let (providers, order) = order_path.rsplit_once('/')?;
    (providers.eq_ignore_ascii_case("/providers/microsoft.capacity/reservationOrders") && !order.is_empty() && !reservation.is_empty())
        .then(|| (order.to_owned(), reservation.to_owned()))
}

/// The token's tenant, or the answer refusing the request (the switches first).
fn admitted(s: &Inner, headers: &HeaderMap, query: &HashMap<String, String>, action: &str) -> Result<String, Box<Response>> {
    let claims = arm_claims(s, headers, query)?;
    let (unreachable, forbidden) = {
        let x = s.exchanges.lock().unwrap();
        (x.unreachable, x.forbidden)
    };
    if unreachable {
        return Err(Box::new(arm_error(StatusCode::SERVICE_UNAVAILABLE, "ServiceUnavailable", "The service is unavailable.")));
    }
    let tenant = claims["tid"].as_str().unwrap_or_default().to_owned();
    if forbidden || matches!(s.tenants.lock().unwrap().get(&tenant), Some(Tenant::Forbidden)) {
        let message = format!(
            "The client with object id '{}' does not have authorization to perform action 'Microsoft.Capacity/{action}' over scope '/providers/Microsoft.Capacity' or the scope is invalid.",
            claims["oid"].as_str().unwrap_or_default()
        );
        return Err(Box::new(arm_error(StatusCode::FORBIDDEN, "AuthorizationFailed", &message)));
    }
    Ok(tenant)
}

/// The units each reservation of `tenant` holds, by (order, reservation) in lower case.
fn held(s: &Inner, tenant: &str) -> HashMap<(String, String), u64> {
    let tenants = s.tenants.lock().unwrap();
    let all = match tenants.get(tenant) {
        Some(Tenant::Reservations(all)) | Some(Tenant::Throttled { then: all, .. }) => all.as_slice(),
        _ => &[],
    };
    all.iter()
        .filter_map(|r| parse_id(r["id"].as_str()?).map(|(o, id)| ((o.to_ascii_lowercase(), id.to_ascii_lowercase()), r["properties"]["quantity"].as_u64().unwrap_or(0))))
        .collect()
}

/// `None` when every return fits what the tenant holds; else ARM's refusal.
fn refused_returns(s: &Inner, tenant: &str, returns: &[Returned]) -> Option<Response> {
    let held = held(s, tenant);
    let mut asked: HashMap<(String, String), u64> = HashMap::new();
    for r in returns {
        *asked.entry((r.order.to_ascii_lowercase(), r.reservation.to_ascii_lowercase())).or_default() += u64::from(r.quantity);
    }
    for r in returns {
        let key = (r.order.to_ascii_lowercase(), r.reservation.to_ascii_lowercase());
        match held.get(&key) {
            None => return Some(arm_error(StatusCode::NOT_FOUND, "ReservationNotFound", &format!("The reservation {} was not found.", full_id(&r.order, &r.reservation)))),
            Some(h) if r.quantity == 0 || asked[&key] > *h => {
                return Some(arm_error(StatusCode::BAD_REQUEST, "InvalidQuantity", &format!("The quantity to exchange is more than reservation {} holds.", r.reservation)))
            }
            Some(_) => {}
        }
    }
    None
}

/// The request's savings plans (`savingsPlansToPurchase`), or a `400 InvalidRequestContent`
/// naming the member.
fn read_plans(body: &Value) -> Result<Vec<PlanBought>, Box<Response>> {
    let bad = |field: String| Box::new(arm_error(StatusCode::BAD_REQUEST, "InvalidRequestContent", &format!("{field} is missing or invalid.")));
    let mut plans = Vec::new();
    for (i, plan) in body["properties"]["savingsPlansToPurchase"].as_array().map(Vec::as_slice).unwrap_or_default().iter().enumerate() {
        let field = |name: &str| format!("properties.savingsPlansToPurchase[{i}].{name}");
        if !matches!(plan["sku"]["name"].as_str(), Some("Compute_Savings_Plan" | "Database_Savings_Plan")) {
            return Err(bad(field("sku.name")));
        }
        let p = &plan["properties"];
        let years = match p["term"].as_str() {
            Some("P1Y") => 1,
            Some("P3Y") => 3,
            _ => return Err(bad(field("properties.term"))),
        };
        if !matches!(p["appliedScopeType"].as_str(), Some("Single" | "Shared" | "ManagementGroup")) {
            return Err(bad(field("properties.appliedScopeType")));
        }
        if !matches!(p["billingPlan"].as_str(), None | Some("P1M")) {
            return Err(bad(field("properties.billingPlan")));
        }
        let c = &p["commitment"];
        if c["grain"].as_str() != Some("Hourly") || c["currencyCode"].as_str().is_none_or(|c| c.len() != 3) {
            return Err(bad(field("properties.commitment")));
        }
        let hourly = c["amount"].as_number().and_then(|n| Decimal::from_str(&n.to_string()).ok()).filter(|a| *a > Decimal::ZERO);
        let hourly = hourly.ok_or_else(|| bad(field("properties.commitment.amount")))?;
        let hours = if p["billingPlan"].as_str() == Some("P1M") { Decimal::from(730) } else { Decimal::from(8760 * years) };
        plans.push(PlanBought { request: plan.clone(), hourly, total: hourly * hours });
    }
    Ok(plans)
}

/// The request's returns and purchases, or a `400 InvalidRequestContent` naming the field (a
/// trade-in, `plans` not empty, may buy no reservation).
fn read_request(body: &Value, unit_refund: impl Fn(&str) -> Decimal, unit_price: Decimal, plans: bool) -> Result<(Vec<Returned>, Vec<Bought>), Box<Response>> {
    let bad = |field: String| Box::new(arm_error(StatusCode::BAD_REQUEST, "InvalidRequestContent", &format!("{field} is missing or invalid.")));
    let p = &body["properties"];
    let to_exchange = p["reservationsToExchange"].as_array().filter(|a| !a.is_empty()).ok_or_else(|| bad("properties.reservationsToExchange".into()))?;
    let mut returns = Vec::new();
    for (i, r) in to_exchange.iter().enumerate() {
        let (order, reservation) = r["reservationId"].as_str().and_then(parse_id).ok_or_else(|| bad(format!("properties.reservationsToExchange[{i}].reservationId")))?;
        let quantity = r["quantity"].as_u64().and_then(|q| u32::try_from(q).ok()).ok_or_else(|| bad(format!("properties.reservationsToExchange[{i}].quantity")))?;
        let refund = unit_refund(&reservation) * Decimal::from(quantity);
        returns.push(Returned { order, reservation, quantity, refund });
    }
    let empty = Vec::new();
    let to_purchase = match p["reservationsToPurchase"].as_array().filter(|a| !a.is_empty()) {
        Some(list) => list,
        None if plans => &empty,
        None => return Err(bad("properties.reservationsToPurchase".into())),
    };
    let mut purchases = Vec::new();
    for (i, buy) in to_purchase.iter().enumerate() {
        let field = |name: &str| format!("properties.reservationsToPurchase[{i}].{name}");
        let text = |v: &Value| v.as_str().filter(|t| !t.is_empty()).is_some();
        if !text(&buy["sku"]["name"]) {
            return Err(bad(field("sku.name")));
        }
        if !text(&buy["location"]) {
            return Err(bad(field("location")));
        }
        let props = &buy["properties"];
        if !matches!(props["term"].as_str(), Some("P1Y" | "P3Y" | "P5Y")) {
            return Err(bad(field("properties.term")));
        }
        if !matches!(props["billingPlan"].as_str(), Some("Upfront" | "Monthly")) {
            return Err(bad(field("properties.billingPlan")));
        }
        if !matches!(props["appliedScopeType"].as_str(), Some("Single" | "Shared" | "ManagementGroup")) {
            return Err(bad(field("properties.appliedScopeType")));
        }
        let quantity = props["quantity"].as_u64().and_then(|q| u32::try_from(q).ok()).filter(|q| *q > 0).ok_or_else(|| bad(field("properties.quantity")))?;
        purchases.push(Bought { request: buy.clone(), quantity, total: unit_price * Decimal::from(quantity) });
    }
    Ok((returns, purchases))
}

/// The operation's properties: the figures, the returns and the purchases; once exchanged, the
/// purchases' new (order, reservation).
fn properties(session_id: &str, x: &Session, bought: Option<&[(String, String)]>, plans_bought: Option<&[(String, String)]>) -> Value {
    let status = bought.map(|_| "Succeeded");
    let purchases: Vec<Value> = x
        .purchases
        .iter()
        .enumerate()
        .map(|(k, b)| {
            let mut one = json!({"properties": b.request, "billingCurrencyTotal": usd(b.total)});
            if let Some((order, reservation)) = bought.and_then(|ids| ids.get(k)) {
                one["reservationOrderId"] = json!(order_id(order));
                one["reservationId"] = json!(full_id(order, reservation));
                one["status"] = json!("Succeeded");
            }
            one
        })
        .collect();
    let returns: Vec<Value> = x
        .returns
        .iter()
        .map(|r| {
            let mut one = json!({
                "reservationId": full_id(&r.order, &r.reservation), "quantity": r.quantity, "billingRefundAmount": usd(r.refund),
                "billingInformation": {
                    "billingCurrencyTotalPaidAmount": usd(r.refund * Decimal::TWO),
                    "billingCurrencyProratedAmount": usd(r.refund),
                    "billingCurrencyRemainingCommitmentAmount": usd(Decimal::ZERO)
                }
            });
            if let Some(s) = status {
                one["status"] = json!(s);
            }
            one
        })
        .collect();
    let errors: Vec<Value> = x.policy_errors.iter().map(|(code, message)| json!({"code": code, "message": message})).collect();
    let plans: Vec<Value> = x
        .plans
        .iter()
        .enumerate()
        .map(|(k, plan)| {
            let mut one = json!({"properties": plan.request, "billingCurrencyTotal": usd(plan.total)});
            if let Some((order, id)) = plans_bought.and_then(|ids| ids.get(k)) {
                one["savingsPlanOrderId"] = json!(plan_order_id(order));
                one["savingsPlanId"] = json!(plan_id(order, id));
                one["status"] = json!("Succeeded");
            }
            one
        })
        .collect();
    json!({
        "sessionId": session_id,
        "netPayable": usd(x.purchases_total - x.refunds_total),
        "refundsTotal": usd(x.refunds_total),
        "purchasesTotal": usd(x.purchases_total),
        "policyResult": {"policyErrors": errors},
        "reservationsToPurchase": purchases,
        "savingsPlansToPurchase": plans,
        "reservationsToExchange": returns
    })
}

fn plan_order_id(order: &str) -> String {
    format!("/providers/Microsoft.BillingBenefits/savingsPlanOrders/{order}")
}

fn plan_id(order: &str, plan: &str) -> String {
    format!("{}/savingsPlans/{plan}", plan_order_id(order))
}

fn status_document(operation: &str, status: &str) -> Value {
    json!({"id": format!("/providers/microsoft.capacity/operationResults/{operation}"), "name": operation, "status": status})
}

/// `POST /providers/Microsoft.Capacity/calculateExchange`.
pub(super) async fn calculate_exchange(State(s): State<Arc<Inner>>, headers: HeaderMap, Query(query): Query<HashMap<String, String>>, Json(body): Json<Value>) -> Response {
    let tenant = match admitted(&s, &headers, &query, "calculateExchange/action") {
        Ok(t) => t,
        Err(r) => return *r,
    };
    let unit_refunds = s.refunds.lock().unwrap().unit_refund.clone();
    let unit_refund = |reservation: &str| {
        let unit = unit_refunds.get(reservation).copied().unwrap_or(DEFAULT_UNIT_REFUND);
        Decimal::from_str(&unit.to_string()).unwrap()
    };
    let (unit_price, minimum) = {
        let mut x = s.exchanges.lock().unwrap();
        x.last_calculation = Some(body.clone());
        (x.unit_price, x.minimum_hourly_commitment)
    };
    let plans = match read_plans(&body) {
        Ok(plans) => plans,
        Err(r) => return *r,
    };
    let (returns, purchases) = match read_request(&body, unit_refund, unit_price, !plans.is_empty()) {
        Ok(read) => read,
        Err(r) => return *r,
    };
    let mut policy_errors = Vec::new();
    if !plans.is_empty() && returns.len() > 100 {
        policy_errors.push((TRADE_IN_TOO_MANY.to_owned(), format!("A trade-in takes at most 100 reservations; this one returns {}.", returns.len())));
    }
    if let Some(refused) = refused_returns(&s, &tenant, &returns) {
        return refused;
    }
    for (k, plan) in plans.iter().enumerate() {
        if let Some(min) = minimum.filter(|min| plan.hourly < *min) {
            policy_errors.push((
                COMMITMENT_TOO_LOW.to_owned(),
                format!("Savings plan {} commits {} an hour: the least hourly commitment for this trade-in is {min}.", k + 1, plan.hourly),
            ));
        }
    }
    let refunds_total = returns.iter().map(|r| r.refund).sum::<Decimal>();
    let purchases_total = purchases.iter().map(|b| b.total).sum::<Decimal>() + plans.iter().map(|p| p.total).sum::<Decimal>();
    if purchases_total < refunds_total {
        policy_errors.push((
            REFUND_EXCEEDS_PURCHASE.to_owned(),
            format!("The purchases ({purchases_total} USD) cost less than the reservations returned refund ({refunds_total} USD): the new purchase total must equal or exceed the returned amount."),
        ));
    }
    let session = Session { tenant: tenant.clone(), returns, purchases, plans, refunds_total, purchases_total, policy_errors };
    let mut x = s.exchanges.lock().unwrap();
    x.calculations += 1;
    let n = x.calculations;
    let session_id = format!("20000000-aaaa-bbbb-cccc-{n:012}");
    let operation = format!("calc-{n}");
    let mut document = status_document(&operation, "Succeeded");
    document["properties"] = properties(&session_id, &session, None, None);
    x.sessions.insert(session_id, session);
    x.calculated.insert(operation.clone(), (tenant, document));
    let url = format!("{}/providers/Microsoft.Capacity/calculateExchangeOperationResults/{operation}?api-version=2022-11-01", s.base);
    (StatusCode::ACCEPTED, [("azure-asyncoperation", url.clone()), ("location", url), ("retry-after", x.retry_after.to_string())]).into_response()
}

/// `GET /providers/Microsoft.Capacity/calculateExchangeOperationResults/{operation}`.
pub(super) async fn calculate_exchange_result(
    State(s): State<Arc<Inner>>, Path(operation): Path<String>, headers: HeaderMap, Query(query): Query<HashMap<String, String>>,
) -> Response {
    let tenant = match admitted(&s, &headers, &query, "calculateExchange/action") {
        Ok(t) => t,
        Err(r) => return *r,
    };
    let mut x = s.exchanges.lock().unwrap();
    x.calculation_polls += 1;
    match x.calculated.get(&operation) {
        Some((of, document)) if *of == tenant => Json(document.clone()).into_response(),
        _ => arm_error(StatusCode::NOT_FOUND, "OperationNotFound", "There is no such operation."),
    }
}

/// The reservation bought by purchase `request`, as ARM lists it.
fn bought_reservation(order: &str, id: &str, request: &Value, purchase_date: &str) -> Value {
    let p = &request["properties"];
    let quantity = p["quantity"].as_u64().unwrap_or(1) as u32;
    let name = p["displayName"].as_str().map_or_else(|| format!("{order}/{id}"), str::to_owned);
    let mut r = reservation(order, id, &name, quantity, 0.0);
    let years = match p["term"].as_str() {
        Some("P3Y") => 3,
        Some("P5Y") => 5,
        _ => 1,
    };
    let bought = chrono::NaiveDate::parse_from_str(purchase_date, "%Y-%m-%d").expect("purchase_date is YYYY-MM-DD");
    let expiry = bought.checked_add_months(chrono::Months::new(12 * years)).unwrap();
    r["sku"]["name"] = request["sku"]["name"].clone();
    r["location"] = request["location"].clone();
    let props = r["properties"].as_object_mut().unwrap();
    props.remove("utilization");
    for (field, value) in [
        ("term", p["term"].clone()),
        ("billingPlan", p["billingPlan"].clone()),
        ("appliedScopeType", p["appliedScopeType"].clone()),
        ("userFriendlyAppliedScopeType", p["appliedScopeType"].clone()),
        ("purchaseDate", json!(purchase_date)),
        ("purchaseDateTime", json!(format!("{purchase_date}T08:00:00Z"))),
        ("effectiveDateTime", json!(format!("{purchase_date}T08:00:00Z"))),
        ("benefitStartTime", json!(format!("{purchase_date}T08:00:00Z"))),
        ("expiryDate", json!(expiry.to_string())),
        ("expiryDateTime", json!(format!("{expiry}T08:00:00Z"))),
    ] {
        props.insert(field.into(), value);
    }
    for optional in ["reservedResourceType", "appliedScopes", "appliedScopeProperties"] {
        if !p[optional].is_null() {
            props.insert(optional.into(), p[optional].clone());
        }
    }
    if let Some(renew) = p["renew"].as_bool() {
        props.insert("renew".into(), json!(renew));
    }
    r
}

/// ARM makes the exchange of `session` in its tenant: the units returned, a new order with a
/// reservation per purchase, priced, and each savings plan bought (kept in
/// [`Exchanges::savings_plans`]). The new (order, reservation) of each purchase and (savings
/// plan order, savings plan) of each plan.
fn make_exchange(s: &Inner, x: &mut Exchanges, session: &Session) -> (Vec<Ids>, Vec<Ids>) {
    x.orders_made += 1;
    let n = x.orders_made;
    let plans: Vec<(String, String)> = (1..=session.plans.len()).map(|k| (format!("spo-{n}-{k}"), format!("sp-{n}-{k}"))).collect();
    for ((order, id), plan) in plans.iter().zip(&session.plans) {
        let p = &plan.request["properties"];
        let bought = json!({
            "id": plan_id(order, id),
            "name": id,
            "type": "Microsoft.BillingBenefits/savingsPlanOrders/savingsPlans",
            "sku": plan.request["sku"],
            "properties": {
                "displayName": p["displayName"], "provisioningState": "Succeeded", "billingScopeId": p["billingScopeId"],
                "term": p["term"], "billingPlan": p["billingPlan"].as_str().unwrap_or("P1M"), "appliedScopeType": p["appliedScopeType"],
                "appliedScopeProperties": p["appliedScopeProperties"], "commitment": p["commitment"],
                "purchaseDateTime": format!("{}T08:00:00Z", x.purchase_date), "benefitStartTime": format!("{}T08:00:00Z", x.purchase_date)
            }
        });
        // The plan is the customer's from now on: Microsoft.BillingBenefits lists it.
        s.savings_plans.lock().unwrap().held.push((session.tenant.clone(), bought.clone()));
        x.savings_plans.push((session.tenant.clone(), bought));
    }
    let order = format!("xorder-{}", x.orders_made);
    let ids: Vec<(String, String)> = (1..=session.purchases.len()).map(|k| (order.clone(), format!("xres-{}-{k}", x.orders_made))).collect();
    {
        let mut tenants = s.tenants.lock().unwrap();
        if let Some(Tenant::Reservations(all) | Tenant::Throttled { then: all, .. }) = tenants.get_mut(&session.tenant) {
            for r in &session.returns {
                let id = full_id(&r.order, &r.reservation);
                if let Some(held) = all.iter_mut().find(|h| h["id"].as_str().is_some_and(|h| h.eq_ignore_ascii_case(&id))) {
                    let left = held["properties"]["quantity"].as_u64().unwrap_or(0).saturating_sub(u64::from(r.quantity));
                    held["properties"]["quantity"] = json!(left);
                }
            }
            for ((order, id), b) in ids.iter().zip(&session.purchases) {
                all.push(bought_reservation(order, id, &b.request, &x.purchase_date));
            }
        }
    }
    // A trade-in that buys no reservation makes no reservation order.
    if session.purchases.is_empty() {
        return (Vec::new(), plans);
    }
    let price = usd(session.purchases_total);
    let units = session.purchases.iter().map(|b| b.quantity).sum();
    let priced = Order::Priced {
        original_quantity: units,
        pricing_total: price.clone(),
        transactions: vec![json!({
            "dueDate": x.purchase_date, "paymentDate": x.purchase_date, "status": "Succeeded",
            "pricingCurrencyTotal": price, "billingCurrencyTotal": price, "billingAccount": "23456"
        })],
    };
    s.orders.lock().unwrap().insert((session.tenant.clone(), order), priced);
    (ids, plans)
}

/// `POST /providers/Microsoft.Capacity/exchange`.
pub(super) async fn exchange(State(s): State<Arc<Inner>>, headers: HeaderMap, Query(query): Query<HashMap<String, String>>, Json(body): Json<Value>) -> Response {
    let tenant = match admitted(&s, &headers, &query, "exchange/action") {
        Ok(t) => t,
        Err(r) => return *r,
    };
    let session_id = body["properties"]["sessionId"].as_str().unwrap_or_default().to_owned();
    let session = {
        let mut x = s.exchanges.lock().unwrap();
        *x.exchanges_posted.entry(session_id.clone()).or_default() += 1;
        x.sessions.get(&session_id).filter(|x| x.tenant == tenant).cloned()
    };
    let Some(session) = session else {
        return arm_error(StatusCode::BAD_REQUEST, "InvalidSessionId", "The session is not a calculateExchange session of this tenant, or it was used.");
    };
    if let Some((code, message)) = session.policy_errors.first() {
        return arm_error(StatusCode::BAD_REQUEST, code, message);
    }
    if let Some(refused) = refused_returns(&s, &tenant, &session.returns) {
        return refused;
    }
    let mut x = s.exchanges.lock().unwrap();
    x.sessions.remove(&session_id);
    let operation = format!("exchange-{}", x.operations.len() + 1);
    let document = match x.fail_operation.clone() {
        Some((code, message)) => {
            let mut failed = status_document(&operation, "Failed");
            failed["error"] = json!({"code": code, "message": message});
            failed
        }
        None => {
            let (bought, plans) = make_exchange(&s, &mut x, &session);
            let mut done = status_document(&operation, "Succeeded");
            done["properties"] = properties(&session_id, &session, Some(&bought), Some(&plans));
            done
        }
    };
    let polls = x.polls;
    x.operations.insert(operation.clone(), (tenant, polls, document));
    if x.lose_exchange_answer {
        return arm_error(StatusCode::INTERNAL_SERVER_ERROR, "InternalServerError", "The request timed out.");
    }
    let url = format!("{}/providers/Microsoft.Capacity/exchangeOperationResults/{operation}?api-version=2022-11-01", s.base);
    (StatusCode::ACCEPTED, [("azure-asyncoperation", url), ("retry-after", x.retry_after.to_string())]).into_response()
}

/// `GET /providers/Microsoft.Capacity/exchangeOperationResults/{operation}`: `InProgress`, then
/// the end.
pub(super) async fn exchange_result(
    State(s): State<Arc<Inner>>, Path(operation): Path<String>, headers: HeaderMap, Query(query): Query<HashMap<String, String>>,
) -> Response {
    let tenant = match admitted(&s, &headers, &query, "exchange/action") {
        Ok(t) => t,
        Err(r) => return *r,
    };
    let mut x = s.exchanges.lock().unwrap();
    x.polls_answered += 1;
    let (polls, retry_after) = (x.polls, x.retry_after);
    let Some((_, left, document)) = x.operations.get_mut(&operation).filter(|(of, _, _)| *of == tenant) else {
        return arm_error(StatusCode::NOT_FOUND, "OperationNotFound", "There is no such operation.");
    };
    // A test may lower `polls` after the exchange was posted: the operation then ends sooner.
    *left = (*left).min(polls);
    if *left > 0 {
        *left -= 1;
        return ([("retry-after", retry_after.to_string())], Json(status_document(&operation, "InProgress"))).into_response();
    }
    Json(document.clone()).into_response()
}
