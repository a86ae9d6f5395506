//! What the API tests share: a router over a fresh SQLite file, one call helper, the demo
//! customers, and the refund flow as the Admin agent drives it (list, calculate, return, the
//! limit), whatever store the router stands on.

#![allow(dead_code)]

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use tower::ServiceExt;

/// The seeded customer close to the refund limit (`contract::seed`).
pub const CONTOSO: &str = contract::seed::CONTOSO;
/// A seeded customer with headroom.
pub const FABRIKAM: &str = contract::seed::FABRIKAM;

/// The API over a new database in a temporary folder (kept alive by the returned guard).
pub async fn fresh() -> (Router, tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/test.sqlite", dir.path().display());
    let router = reservation_desk_server::api(reservation_desk_server::db::open(&url).await.unwrap());
    (router, dir, url)
}

/// Sends `method path` with an optional JSON body; the status and the parsed JSON answer.
pub async fn call(router: &Router, method: &str, path: &str, body: Option<Value>) -> (StatusCode, Value) {
    call_as(router, "demo-global-admin", method, path, body).await
}

/// [`call`] signed in with `token` (empty: no Authorization header).
pub async fn call_as(router: &Router, token: &str, method: &str, path: &str, body: Option<Value>) -> (StatusCode, Value) {
    let mut request = Request::builder().method(method).uri(path);
    if !token.is_empty() {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    let body = match body {
        Some(json) => {
            request = request.header(header::CONTENT_TYPE, "application/json");
            Body::from(json.to_string())
        }
        None => Body::empty(),
    };
    let response = router.clone().oneshot(request.body(body).unwrap()).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

/// Who drives the refund flow in these tests: the Admin agent (may quote and move money).
pub const AGENT: &str = "demo-admin-agent";

/// `GET path` as the Admin agent, which must answer 200: the JSON.
pub async fn get_ok(router: &Router, path: &str) -> Value {
    let (status, body) = call_as(router, AGENT, "GET", path, None).await;
    assert_eq!(status, StatusCode::OK, "{path}: {body}");
    body
}

/// The customer's active reservations, as the API lists them.
pub async fn active(router: &Router, customer: &str) -> Vec<Value> {
    let list = get_ok(router, &format!("/api/customers/{customer}/reservations")).await;
    list.as_array().unwrap().iter().filter(|r| r["provisioningState"] == "Succeeded").cloned().collect()
}

/// `calculateRefund` for `quantity` units of `r`: the status and the answer.
pub async fn calculate(router: &Router, r: &Value, quantity: u32) -> (StatusCode, Value) {
    let order = r["reservationOrderId"].as_str().unwrap();
    let body = json!({ "reservationId": r["id"], "quantity": quantity });
    call_as(router, AGENT, "POST", &format!("/api/reservationOrders/{order}/calculateRefund"), Some(body)).await
}

/// The session of a quote for one unit of `r`, which must succeed.
pub async fn session_for(router: &Router, r: &Value) -> Value {
    let (status, calc) = calculate(router, r, 1).await;
    assert_eq!(status, StatusCode::OK, "{calc}");
    calc["sessionId"].clone()
}

/// `return` of `session`, quoted for `r`: the status and the answer.
pub async fn submit(router: &Router, r: &Value, session: &Value) -> (StatusCode, Value) {
    let order = r["reservationOrderId"].as_str().unwrap();
    let body = json!({ "sessionId": session, "returnReason": "No longer needed" });
    call_as(router, AGENT, "POST", &format!("/api/reservationOrders/{order}/return"), Some(body)).await
}

/// A `Money` as the API writes it: `{"amount": "123.45", "currency": "USD"}`.
pub fn amount(money: &Value) -> Decimal {
    money["amount"].as_str().unwrap_or_else(|| panic!("not money: {money}")).parse().unwrap()
}

/// USD counted toward `customer`'s refund limit.
pub async fn consumed(router: &Router, customer: &str) -> Decimal {
    amount(&get_ok(router, &format!("/api/customers/{customer}/refundLimit")).await["consumed"])
}
