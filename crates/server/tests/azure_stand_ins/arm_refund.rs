//! ARM's refund (`Microsoft.Capacity` 2022-11-01, from the specification's `CalculateRefund.json`
//! and `Return.json`) in the token's tenant: `calculateRefund` answers a `sessionId`, the refund
//! (a price per unit the test sets, times the units) and `policyResult` with the tenant's
//! `consumedRefundsTotal` and `maxRefundLimit`; `return` with that session answers `202` with
//! `Location` and `Retry-After` (the refund in the body, as `Return.json`), the tenant's
//! reservation loses the units at once, and the operation answers `202` a set number of polls,
//! then `200` (or an error, when told to fail). One reservation is read back by its ID. Switches:
//! ARM unreachable (`503`), the user without Azure rights on refunds (`403`), the return's answer
//! lost after ARM made it (`500`), the operation failing.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::*;

/// What the refund stand-in does and has seen.
#[derive(Debug)]
pub struct Refunds {
    /// The price of one unit, per reservation ID (`DEFAULT_UNIT_REFUND` when unset), in USD.
    pub unit_refund: HashMap<String, f64>,
    /// `consumedRefundsTotal`, per tenant (0 when unset).
    pub consumed: HashMap<String, f64>,
    /// `202`s each operation answers before its `200`.
    pub polls: usize,
    /// `Retry-After` of each `202`, in seconds.
    pub retry_after: u64,
    /// Every refund request answers `503` (ARM unreachable).
    pub unreachable: bool,
    /// `calculateRefund` and `return` answer `403` (no Azure rights on refunds).
    pub forbidden: bool,
    /// `return` is made, then answered `500` (the desk never hears that ARM made it).
    pub lose_return_answer: bool,
    /// `return` is answered `503` and not made (the desk cannot tell it from a lost answer).
    pub drop_returns: bool,
    /// The operation ends with this error (code, message) instead of `200`.
    pub fail_operation: Option<(String, String)>,
    /// `calculateRefund` names a `RefundLimitExceeded` policy error when the refund passes the
    /// limit (off: the figures alone say it, for the desk's own headroom check).
    pub policy_errors: bool,
    /// Holds each `calculateRefund` until this many are in flight (at most five seconds): two
    /// requests meet at ARM.
    pub calculate_together: Option<Arc<tokio::sync::Barrier>>,
    /// `calculateRefund`s answered.
    pub calculations: usize,
    /// `return`s posted, by Azure session.
    pub returns_posted: HashMap<String, usize>,
    /// Each `return`'s body, as posted.
    pub return_bodies: Vec<Value>,
    /// Polls of operations answered.
    pub polls_answered: usize,
    sessions: HashMap<String, (String, String, String, u32, f64)>,
    operations: HashMap<String, (usize, Value)>,
}

/// A unit's refund when the test sets none (USD).
pub const DEFAULT_UNIT_REFUND: f64 = 120.5;

impl Default for Refunds {
    fn default() -> Self {
        Self {
            unit_refund: HashMap::new(),
            consumed: HashMap::new(),
            polls: 2,
            retry_after: 5,
            unreachable: false,
            forbidden: false,
            lose_return_answer: false,
            drop_returns: false,
            fail_operation: None,
            policy_errors: true,
            calculate_together: None,
            calculations: 0,
            returns_posted: HashMap::new(),
            return_bodies: Vec::new(),
            polls_answered: 0,
            sessions: HashMap::new(),
            operations: HashMap::new(),
        }
    }
}

impl StandIns {
    /// Reads or changes the refund stand-in (a test's switch).
    pub fn refunds<T>(&self, f: impl FnOnce(&mut Refunds) -> T) -> T {
        f(&mut self.inner.refunds.lock().unwrap())
    }

    /// A reservation's quantity as the tenant's ARM has it now.
    pub fn quantity(&self, tenant: &str, reservation: &str) -> Option<u64> {
        self.tenant(tenant, |t| match t {
            Some(Tenant::Reservations(all)) => find(all, reservation).map(|r| r["properties"]["quantity"].as_u64().unwrap_or(0)),
            _ => None,
        })
    }
}

fn find<'a>(all: &'a [Value], reservation: &str) -> Option<&'a Value> {
    all.iter().find(|r| r["id"].as_str().is_some_and(|id| id.ends_with(&format!("/reservations/{reservation}"))))
}

fn price(amount: f64, currency: &str) -> Value {
    json!({"currencyCode": currency, "amount": (amount * 100.0).round() / 100.0})
}

/// The token's tenant, or the answer refusing the request.
fn tenant_of(s: &Inner, headers: &HeaderMap, query: &HashMap<String, String>) -> Result<String, Box<Response>> {
    let claims = arm_claims(s, headers, query)?;
    let refunds = s.refunds.lock().unwrap();
    if refunds.unreachable {
        return Err(Box::new(arm_error(StatusCode::SERVICE_UNAVAILABLE, "ServiceUnavailable", "The service is unavailable.")));
    }
    let tenant = claims["tid"].as_str().unwrap_or_default().to_owned();
    if refunds.forbidden || matches!(s.tenants.lock().unwrap().get(&tenant), Some(Tenant::Forbidden)) {
        let message = format!(
            "The client with object id '{}' does not have authorization to perform action 'Microsoft.Capacity/reservationOrders/return/action'.",
            claims["oid"].as_str().unwrap_or_default()
        );
        return Err(Box::new(arm_error(StatusCode::FORBIDDEN, "AuthorizationFailed", &message)));
    }
    Ok(tenant)
}

/// The reservation `reservationToReturn` names, checked to be of `order`.
fn to_return(body: &Value, order: &str) -> Option<(String, u32)> {
    let r = &body["properties"]["reservationToReturn"];
    let id = r["reservationId"].as_str()?;
    let (of, reservation) = id.split_once("/reservations/")?;
    let quantity = u32::try_from(r["quantity"].as_u64()?).ok()?;
    of.to_ascii_lowercase().ends_with(&format!("/reservationorders/{}", order.to_ascii_lowercase())).then(|| (reservation.to_owned(), quantity))
}

fn refund_body(s: &Inner, tenant: &str, order: &str, session: &str, reservation: &str, quantity: u32, refund: f64) -> Value {
    let (consumed, errors) = {
        let r = s.refunds.lock().unwrap();
        (r.consumed.get(tenant).copied().unwrap_or(0.0), r.policy_errors)
    };
    json!({
        "id": format!("/providers/microsoft.capacity/reservationOrders/{order}"),
        "properties": {
            "sessionId": session, "quantity": quantity,
            "billingRefundAmount": price(refund, "USD"), "pricingRefundAmount": price(refund, "USD"),
            "policyResult": {"properties": {
                "consumedRefundsTotal": price(consumed, "USD"), "maxRefundLimit": price(50000.0, "USD"),
                "policyErrors": if errors && consumed + refund > 50000.0 { json!([{"code": "RefundLimitExceeded", "message": "The refund exceeds the limit."}]) } else { json!([]) }
            }},
            "billingInformation": {
                "billingPlan": "Upfront", "completedTransactions": 1, "totalTransactions": 1,
                "billingCurrencyTotalPaidAmount": price(refund * 2.0, "USD"),
                "billingCurrencyProratedAmount": price(refund, "USD"),
                "billingCurrencyRemainingCommitmentAmount": price(refund, "USD")
            },
            "reservationToReturn": {"reservationId": format!("/providers/microsoft.capacity/reservationOrders/{order}/reservations/{reservation}"), "quantity": quantity}
        }
    })
}

/// `POST /providers/Microsoft.Capacity/reservationOrders/{order}/calculateRefund`.
pub(super) async fn calculate_refund(
    State(s): State<Arc<Inner>>, Path(order): Path<String>, headers: HeaderMap, Query(query): Query<HashMap<String, String>>, Json(body): Json<Value>,
) -> Response {
    let tenant = match tenant_of(&s, &headers, &query) {
        Ok(t) => t,
        Err(r) => return *r,
    };
    let Some((reservation, quantity)) = to_return(&body, &order) else {
        return arm_error(StatusCode::BAD_REQUEST, "InvalidRequestContent", "properties.reservationToReturn is missing or not of this order.");
    };
    let together = s.refunds.lock().unwrap().calculate_together.clone();
    if let Some(barrier) = together {
        let _ = tokio::time::timeout(std::time::Duration::from_secs(5), barrier.wait()).await;
    }
    let held = s.tenants.lock().unwrap().get(&tenant).and_then(|t| match t {
        Tenant::Reservations(all) => find(all, &reservation).map(|r| r["properties"]["quantity"].as_u64().unwrap_or(0)),
        _ => None,
    });
    match held {
        None => return arm_error(StatusCode::NOT_FOUND, "ReservationNotFound", "The reservation was not found."),
        Some(h) if u64::from(quantity) > h || quantity == 0 => {
            return arm_error(StatusCode::BAD_REQUEST, "InvalidQuantity", "The quantity to return is more than the reservation holds.")
        }
        Some(_) => {}
    }
    let (session, refund) = {
        let mut r = s.refunds.lock().unwrap();
        r.calculations += 1;
        let unit = r.unit_refund.get(&reservation).copied().unwrap_or(DEFAULT_UNIT_REFUND);
        let session = format!("10000000-aaaa-bbbb-cccc-{:012}", r.calculations);
        let refund = unit * f64::from(quantity);
        r.sessions.insert(session.clone(), (tenant.clone(), order.clone(), reservation.clone(), quantity, refund));
        (session, refund)
    };
    Json(refund_body(&s, &tenant, &order, &session, &reservation, quantity, refund)).into_response()
}

/// `POST /providers/Microsoft.Capacity/reservationOrders/{order}/return`.
pub(super) async fn return_reservation(
    State(s): State<Arc<Inner>>, Path(order): Path<String>, headers: HeaderMap, Query(query): Query<HashMap<String, String>>, Json(body): Json<Value>,
) -> Response {
    let tenant = match tenant_of(&s, &headers, &query) {
        Ok(t) => t,
        Err(r) => return *r,
    };
    let session = body["properties"]["sessionId"].as_str().unwrap_or_default().to_owned();
    let found = {
        let mut r = s.refunds.lock().unwrap();
        *r.returns_posted.entry(session.clone()).or_default() += 1;
        r.return_bodies.push(body.clone());
        r.sessions.get(&session).cloned()
    };
    let Some((of_tenant, of_order, reservation, quantity, refund)) = found.filter(|f| f.0 == tenant && f.1 == order) else {
        return arm_error(StatusCode::BAD_REQUEST, "InvalidSessionId", "The session is not a calculateRefund session of this order.");
    };
    if s.refunds.lock().unwrap().drop_returns {
        return arm_error(StatusCode::SERVICE_UNAVAILABLE, "ServiceUnavailable", "The service is unavailable.");
    }
    let _ = of_order;
    // ARM makes the return: the units leave the tenant's reservation.
    if let Some(Tenant::Reservations(all)) = s.tenants.lock().unwrap().get_mut(&of_tenant) {
        if let Some(r) = all.iter_mut().find(|r| r["id"].as_str().is_some_and(|id| id.ends_with(&format!("/reservations/{reservation}")))) {
            let left = r["properties"]["quantity"].as_u64().unwrap_or(0).saturating_sub(u64::from(quantity));
            r["properties"]["quantity"] = json!(left);
        }
    }
    let body = refund_body(&s, &tenant, &order, &session, &reservation, quantity, refund);
    let (operation, retry_after, lose) = {
        let mut r = s.refunds.lock().unwrap();
        r.sessions.remove(&session);
        let id = format!("return-{}", r.operations.len() + 1);
        let polls = r.polls;
        r.operations.insert(id.clone(), (polls, body.clone()));
        (id, r.retry_after, r.lose_return_answer)
    };
    if lose {
        return arm_error(StatusCode::INTERNAL_SERVER_ERROR, "InternalServerError", "The request timed out.");
    }
    let location = format!("{}/providers/Microsoft.Capacity/operationResults/{operation}?api-version=2022-11-01", s.base);
    (StatusCode::ACCEPTED, [("location", location), ("retry-after", retry_after.to_string())], Json(body)).into_response()
}

/// `GET /providers/Microsoft.Capacity/operationResults/{operation}`: `202` while it runs.
pub(super) async fn operation_result(
    State(s): State<Arc<Inner>>, Path(operation): Path<String>, headers: HeaderMap, Query(query): Query<HashMap<String, String>>,
) -> Response {
    if let Err(r) = tenant_of(&s, &headers, &query) {
        return *r;
    }
    let mut r = s.refunds.lock().unwrap();
    r.polls_answered += 1;
    let retry_after = r.retry_after;
    let fail = r.fail_operation.clone();
    let polls = r.polls;
    let Some((left, body)) = r.operations.get_mut(&operation) else {
        return arm_error(StatusCode::NOT_FOUND, "OperationNotFound", "There is no such operation.");
    };
    // A test may lower `polls` after the return was posted: the operation then ends sooner.
    *left = (*left).min(polls);
    if *left > 0 {
        *left -= 1;
        let location = format!("{}/providers/Microsoft.Capacity/operationResults/{operation}?api-version=2022-11-01", s.base);
        return (StatusCode::ACCEPTED, [("location", location), ("retry-after", retry_after.to_string())]).into_response();
    }
    match fail {
        Some((code, message)) => arm_error(StatusCode::CONFLICT, &code, &message),
        None => Json(body.clone()).into_response(),
    }
}

/// `GET /providers/Microsoft.Capacity/reservationOrders/{order}/reservations/{reservation}`.
pub(super) async fn reservation(
    State(s): State<Arc<Inner>>, Path((order, reservation)): Path<(String, String)>, headers: HeaderMap, Query(query): Query<HashMap<String, String>>,
) -> Response {
    let tenant = match tenant_of(&s, &headers, &query) {
        Ok(t) => t,
        Err(r) => return *r,
    };
    let found = s.tenants.lock().unwrap().get(&tenant).and_then(|t| match t {
        Tenant::Reservations(all) => find(all, &reservation)
            .filter(|r| r["id"].as_str().is_some_and(|id| id.to_ascii_lowercase().contains(&format!("/reservationorders/{}/", order.to_ascii_lowercase()))))
            .cloned(),
        _ => None,
    });
    match found {
        Some(r) => Json(r).into_response(),
        None => arm_error(StatusCode::NOT_FOUND, "ReservationNotFound", "The reservation was not found."),
    }
}
