//! Changing a reservation's scope, name and renewal: only to the customer's own scopes, kept
//! in the database.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use reservation_desk_server::{api, db};
use serde_json::{json, Value};
use tower::ServiceExt;

const CONTOSO: &str = "0b6e7d2a-4f1c-4d8e-9a51-1c2d3e4f5a01";
const FABRIKAM: &str = "1c7f8e3b-5a2d-4e9f-8b62-2d3e4f5a6b02";

async fn call(router: &axum::Router, method: &str, path: &str, body: Option<Value>) -> (StatusCode, Value) {
    let mut request = Request::builder().method(method).uri(path);
    let body = match body {
        Some(b) => {
            request = request.header(header::CONTENT_TYPE, "application/json");
            Body::from(b.to_string())
        }
        None => Body::empty(),
    };
    let response = router.clone().oneshot(request.body(body).unwrap()).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

#[tokio::test]
async fn scope_changes_are_validated_against_the_customers_own_and_persist() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/t.sqlite", dir.path().display());
    let router = api(db::open(&url).await.unwrap());

    let (_, list) = call(&router, "GET", &format!("/api/customers/{CONTOSO}/reservations"), None).await;
    let r = list.as_array().unwrap().iter().find(|r| r["provisioningState"] == "Succeeded").unwrap().clone();
    let path = format!("/api/reservationOrders/{}/reservations/{}", r["reservationOrderId"].as_str().unwrap(), r["id"].as_str().unwrap());
    let (_, own) = call(&router, "GET", &format!("/api/customers/{CONTOSO}/scopes"), None).await;
    let (_, other) = call(&router, "GET", &format!("/api/customers/{FABRIKAM}/scopes"), None).await;
    let rg = own.as_array().unwrap().iter().find(|s| s["appliedScopeProperties"]["resourceGroupId"].is_string()).unwrap();

    let (status, problem) = call(&router, "PATCH", &path, Some(json!({
        "appliedScopeType": "Single", "appliedScopeProperties": other[0]["appliedScopeProperties"]
    }))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{problem}");
    assert_eq!(problem["field"], "appliedScopeProperties");

    let (status, problem) = call(&router, "PATCH", &path, Some(json!({ "renew": "yes" }))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{problem}");
    let (status, _) = call(&router, "PATCH", &path, Some(json!({ "quantity": 99 }))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "unknown fields are refused, not ignored");

    let (status, changed) = call(&router, "PATCH", &path, Some(json!({
        "displayName": "web-tier", "appliedScopeType": "Single",
        "appliedScopeProperties": rg["appliedScopeProperties"], "renew": false
    }))).await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(changed["appliedScopeProperties"], rg["appliedScopeProperties"]);

    let reopened = api(db::open(&url).await.unwrap());
    let (_, again) = call(&reopened, "GET", &path, None).await;
    assert_eq!(again["displayName"], "web-tier");
    assert_eq!(again["renew"], false);
    assert_eq!(again["appliedScopeType"], "Single");
    assert_eq!(again["appliedScopeProperties"], rg["appliedScopeProperties"]);
    assert_eq!(again["quantity"], r["quantity"], "nothing else changed");
}
