//! Support requests: created with a fixed classification, validated field by field, listed.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use reservation_desk_server::{api, db};
use serde_json::{json, Value};
use tower::ServiceExt;

const CONTOSO: &str = "0b6e7d2a-4f1c-4d8e-9a51-1c2d3e4f5a01";

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
async fn a_request_is_created_validated_and_listed() {
    let dir = tempfile::tempdir().unwrap();
    let router = api(db::open(&format!("sqlite://{}/t.sqlite", dir.path().display())).await.unwrap());
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
