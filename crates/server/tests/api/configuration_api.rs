//! Changing a reservation's scope, name and renewal: only to the customer's own scopes, kept
//! in the database.

use crate::common;

use axum::http::StatusCode;
use common::{call, fresh, CONTOSO, FABRIKAM};
use serde_json::json;

#[tokio::test]
async fn scope_changes_are_validated_against_the_customers_own_and_persist() {
    let (router, _dir, url) = fresh().await;

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

    let reopened = reservation_desk_server::api(reservation_desk_server::db::open(&url).await.unwrap());
    let (_, again) = call(&reopened, "GET", &path, None).await;
    assert_eq!(again["displayName"], "web-tier");
    assert_eq!(again["renew"], false);
    assert_eq!(again["appliedScopeType"], "Single");
    assert_eq!(again["appliedScopeProperties"], rg["appliedScopeProperties"]);
    assert_eq!(again["quantity"], r["quantity"], "nothing else changed");
}
