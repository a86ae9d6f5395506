//! Access control (IAM) on reservation orders: list, add, remove, and who may.

use crate::common;

use axum::http::StatusCode;
use common::{call, call_as, fresh, CONTOSO, FABRIKAM};
use serde_json::json;

#[tokio::test]
async fn role_assignments_are_listed_added_and_removed_within_their_order() {
    let (router, _dir, _) = fresh().await;
    let (_, c) = call(&router, "GET", &format!("/api/customers/{CONTOSO}/reservations"), None).await;
    let (_, f) = call(&router, "GET", &format!("/api/customers/{FABRIKAM}/reservations"), None).await;
    let order = c[0]["reservationOrderId"].as_str().unwrap();
    let other_order = f[0]["reservationOrderId"].as_str().unwrap();
    let path = format!("/api/reservationOrders/{order}/roleAssignments");

    let (_, seeded) = call(&router, "GET", &path, None).await;
    assert_eq!(seeded.as_array().unwrap().len(), 2);
    assert_eq!(seeded[0]["role"], "Owner");
    assert_eq!(seeded[0]["principalName"], "admin@contoso.onmicrosoft.com");

    let body = json!({ "principalName": "ada@contoso.com", "principalType": "User", "role": "Reservations Reader" });
    let (status, _) = call_as(&router, "demo-helpdesk-agent", "POST", &path, Some(body.clone())).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "Helpdesk agents do not manage access");
    let (status, created) = call_as(&router, "demo-user-management-admin", "POST", &path, Some(body.clone())).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let (status, _) = call_as(&router, "demo-user-management-admin", "POST", &path, Some(body)).await;
    assert_eq!(status, StatusCode::CONFLICT, "the same role twice");
    let (status, problem) = call(&router, "POST", &path, Some(json!({ "principalName": "ada", "principalType": "User", "role": "Owner" }))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(problem["field"], "principalName");
    let (status, _) = call(&router, "POST", &path, Some(json!({ "principalName": "x@y.z", "principalType": "User", "role": "God" }))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    let id = created["id"].as_str().unwrap();
    let (status, _) = call(&router, "DELETE", &format!("/api/reservationOrders/{other_order}/roleAssignments/{id}"), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "an assignment of another order");
    let (status, _) = call_as(&router, "demo-user-management-admin", "DELETE", &format!("{path}/{id}"), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, after) = call(&router, "GET", &path, None).await;
    assert_eq!(after.as_array().unwrap().len(), 2);
    let (status, _) = call(&router, "GET", "/api/reservationOrders/no-such-order/roleAssignments", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
