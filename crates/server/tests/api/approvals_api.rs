//! Maker and checker over HTTP: what the contract suite cannot see. A return
//! above the approval threshold answers 202 with `Location: /api/approvals/{id}`; on the Azure
//! surface the same return answers Azure's long-running 202 (no body, `Location` of the approval
//! result, `Retry-After`), whose result is 202 while it waits, the order once approved, and an ARM
//! error once rejected.

use crate::common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use common::{active, call_as, FABRIKAM};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

const MAKER: &str = "demo-admin-agent";
const CHECKER: &str = "demo-global-admin";

/// The API over a new database whose deployment asks approval above USD 0.00.
async fn waiting_router() -> (Router, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/test.sqlite", dir.path().display());
    let threshold = quote_engine::Money::new(rust_decimal::Decimal::ZERO, quote_engine::Currency::USD);
    let settings = contract::Settings { approval_threshold: Some(threshold), ..contract::Settings::default() };
    let store = reservation_desk_server::db::open(&url).await.unwrap();
    let state = reservation_desk_server::state::AppState::with_settings(store, std::sync::Arc::new(chrono::Utc::now), settings);
    (reservation_desk_server::api_with_state(state), dir)
}

/// `method path` as `token` with a JSON body: the status, the headers and the body's text.
async fn raw(router: &Router, token: &str, method: &str, path: &str, body: Option<Value>) -> (StatusCode, axum::http::HeaderMap, String) {
    let mut request = Request::builder().method(method).uri(path).header(header::AUTHORIZATION, format!("Bearer {token}"));
    let body = match body {
        Some(json) => {
            request = request.header(header::CONTENT_TYPE, "application/json");
            Body::from(json.to_string())
        }
        None => Body::empty(),
    };
    let response = router.clone().oneshot(request.body(body).unwrap()).await.unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, headers, String::from_utf8_lossy(&bytes).into_owned())
}

/// A refund session of one unit of FABRIKAM's first active reservation: the reservation and it.
async fn session(router: &Router) -> (Value, Value) {
    let r = active(router, FABRIKAM).await[0].clone();
    let session = common::session_for(router, &r).await;
    (r, session)
}

#[tokio::test]
async fn a_return_above_the_threshold_is_a_202_with_the_location_of_its_approval() {
    let (router, _dir) = waiting_router().await;
    let (r, session) = session(&router).await;
    let order = r["reservationOrderId"].as_str().unwrap();
    let body = json!({ "sessionId": session, "returnReason": "Over-bought" });
    let (status, headers, text) = raw(&router, MAKER, "POST", &format!("/api/reservationOrders/{order}/return"), Some(body)).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{text}");
    let approval: Value = serde_json::from_str(&text).unwrap();
    let location = headers[header::LOCATION].to_str().unwrap();
    assert_eq!(location, format!("/api/approvals/{}", approval["id"].as_str().unwrap()));
    let (status, found) = call_as(&router, CHECKER, "GET", location, None).await;
    assert_eq!((status, &found), (StatusCode::OK, &approval));
    let (status, problem) = call_as(&router, MAKER, "POST", &format!("{location}/approve"), None).await;
    assert_eq!((status, problem["code"].as_str()), (StatusCode::FORBIDDEN, Some("ownApproval")), "{problem}");
    assert_eq!(problem["status"], 403);
    let (status, done) = call_as(&router, CHECKER, "POST", &format!("{location}/approve"), None).await;
    assert_eq!((status, done["status"].as_str()), (StatusCode::OK, Some("approved")), "{done}");
    assert_eq!(call_as(&router, MAKER, "GET", location, None).await.1["status"], "approved", "the requester reads the outcome");
}

#[tokio::test]
async fn the_azure_return_above_the_threshold_is_a_long_running_202_whose_result_follows_the_approval() {
    let (router, _dir) = waiting_router().await;
    for (decision, token) in [("approve", CHECKER), ("reject", CHECKER)] {
        let (r, _) = session(&router).await;
        let (order, id) = (r["reservationOrderId"].as_str().unwrap(), r["id"].as_str().unwrap());
        let arm = |path: &str| format!("/providers/Microsoft.Capacity{path}?api-version=2022-11-01");
        let quote = json!({"properties": {"scope": "Reservation", "reservationToReturn": {"reservationId": id, "quantity": 1}}});
        let (status, calc) = call_as(&router, MAKER, "POST", &arm(&format!("/reservationOrders/{order}/calculateRefund")), Some(quote)).await;
        assert_eq!(status, StatusCode::OK, "{calc}");
        let refund = json!({"properties": {"sessionId": calc["properties"]["sessionId"], "scope": "Reservation", "returnReason": "SDK"}});
        let (status, headers, text) = raw(&router, MAKER, "POST", &arm(&format!("/reservationOrders/{order}/return")), Some(refund)).await;
        assert_eq!((status, text.as_str()), (StatusCode::ACCEPTED, ""), "Azure's 202 has no body");
        let location = headers[header::LOCATION].to_str().unwrap().to_owned();
        assert!(location.starts_with("/providers/Microsoft.Capacity/approvals/") && location.ends_with("?api-version=2022-11-01"), "{location}");
        assert_eq!(headers[header::RETRY_AFTER], "5");
        let (status, headers, _) = raw(&router, MAKER, "GET", &location, None).await;
        assert_eq!(status, StatusCode::ACCEPTED, "still waiting");
        assert_eq!(headers[header::LOCATION].to_str().unwrap(), location);
        let approval_id = location.trim_start_matches("/providers/Microsoft.Capacity/approvals/").split('?').next().unwrap();
        let body = (decision == "reject").then(|| json!({ "reason": "Not this quarter" }));
        let (status, decided) = call_as(&router, token, "POST", &format!("/api/approvals/{approval_id}/{decision}"), body).await;
        assert_eq!(status, StatusCode::OK, "{decided}");
        let (status, _, text) = raw(&router, MAKER, "GET", &location, None).await;
        let result: Value = serde_json::from_str(&text).unwrap();
        if decision == "approve" {
            assert_eq!(status, StatusCode::OK, "{text}");
            let returned = result["properties"]["reservations"].as_array().unwrap().iter().find(|x| x["name"] == format!("{order}/{id}")).unwrap();
            assert_eq!(returned["properties"]["quantity"].as_u64(), Some(r["quantity"].as_u64().unwrap() - 1), "the order after the return");
        } else {
            assert_eq!((status, result["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("approvalClosed")), "{text}");
            assert!(result["error"]["message"].as_str().unwrap().contains("Not this quarter"), "{text}");
        }
    }
}
