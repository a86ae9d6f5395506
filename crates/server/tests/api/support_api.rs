//! Support requests: created with a fixed classification, validated field by field, listed.

use crate::common;

use axum::http::StatusCode;
use common::{call, fresh, CONTOSO};
use serde_json::{json, Value};

#[tokio::test]
async fn a_request_is_created_validated_and_listed() {
    let (router, _dir, _) = fresh().await;
    let (_, list) = call(&router, "GET", &format!("/api/customers/{CONTOSO}/reservations"), None).await;
    let r = &list[0];
    let request = |email: &str, order: &Value| json!({
        "summary": "Refund one unit", "details": "Workload moved.",
        "reservationId": r["id"], "reservationOrderId": order,
        "contact": { "preferredContactMethod": "Email", "name": "Ada", "email": email, "language": "de", "timeZone": "Europe/Berlin" }
    });
    let (status, problem) = call(&router, "POST", "/api/supportRequests", Some(request("not-an-email", &r["reservationOrderId"]))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(problem["field"], "contact.email");
    let (status, _) = call(&router, "POST", "/api/supportRequests", Some(request("ada@contoso.com", &json!("another-order")))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (status, created) = call(&router, "POST", "/api/supportRequests", Some(request("ada@contoso.com", &r["reservationOrderId"]))).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["issueType"], "Billing");
    assert_eq!(created["problemType"], "Reservation management");
    assert_eq!(created["category"], "Exchanges and refunds");
    assert_eq!(created["status"], "Open");
    let (_, fetched) = call(&router, "GET", &format!("/api/supportRequests/{}", created["id"].as_str().unwrap()), None).await;
    assert_eq!(fetched, created);
    let (_, mine) = call(&router, "GET", &format!("/api/supportRequests?customerId={CONTOSO}"), None).await;
    assert_eq!(mine.as_array().unwrap().len(), 1);
    let (_, others) = call(&router, "GET", "/api/supportRequests?customerId=someone-else", None).await;
    assert!(others.as_array().unwrap().is_empty());
}
