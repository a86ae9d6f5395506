//! Sign-in and roles, enforced by the server on every endpoint.

use crate::common;

use axum::http::StatusCode;
use common::{call, call_as, fresh, FABRIKAM};
use serde_json::json;

#[tokio::test]
async fn without_a_valid_token_every_endpoint_is_401() {
    let (router, _dir, _) = fresh().await;
    for (method, path) in [("GET", "/api/me"), ("GET", "/api/customers"), ("POST", "/api/exchange"), ("GET", "/api/nothing")] {
        let (status, problem) = call_as(&router, "", method, path, None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{method} {path}");
        assert_eq!(problem["status"], 401);
        assert_eq!(problem["code"], "signInRequired", "a code the UI translates");
        let (status, problem) = call_as(&router, "forged-token", method, path, None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(problem["code"], "tokenInvalid");
    }
}

#[tokio::test]
async fn me_says_who_is_signed_in() {
    let (router, _dir, _) = fresh().await;
    let (status, me) = call_as(&router, "demo-helpdesk-agent", "GET", "/api/me", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["role"], "HelpdeskAgent");
}

#[tokio::test]
async fn each_role_is_held_to_its_permissions() {
    let (router, _dir, _) = fresh().await;
    let (_, list) = call(&router, "GET", &format!("/api/customers/{FABRIKAM}/reservations"), None).await;
    let r = list.as_array().unwrap().iter().find(|r| r["provisioningState"] == "Succeeded").unwrap().clone();
    let order = r["reservationOrderId"].as_str().unwrap();
    let calc_path = format!("/api/reservationOrders/{order}/calculateRefund");
    let calc_body = json!({ "reservationId": r["id"], "quantity": 1 });
    let patch_path = format!("/api/reservationOrders/{order}/reservations/{}", r["id"].as_str().unwrap());

    // Sales agent: reads and quotes, but cannot move money or change a reservation.
    let (status, calc) = call_as(&router, "demo-sales-agent", "POST", &calc_path, Some(calc_body.clone())).await;
    assert_eq!(status, StatusCode::OK, "{calc}");
    let submit = json!({ "sessionId": calc["sessionId"], "returnReason": "x" });
    let (status, problem) = call_as(&router, "demo-sales-agent", "POST", &format!("/api/reservationOrders/{order}/return"), Some(submit.clone())).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(problem["detail"].as_str().unwrap().contains("Admin agent"), "{problem}");
    assert_eq!(problem["code"], "roleForbids");
    let (status, _) = call_as(&router, "demo-sales-agent", "PATCH", &patch_path, Some(json!({ "renew": false }))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Helpdesk agent: scope changes yes, quotes and refunds no.
    let (status, _) = call_as(&router, "demo-helpdesk-agent", "PATCH", &patch_path, Some(json!({ "renew": false }))).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = call_as(&router, "demo-helpdesk-agent", "POST", &calc_path, Some(calc_body.clone())).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // User management admin: reads only here.
    let (status, _) = call_as(&router, "demo-user-management-admin", "GET", "/api/customers", None).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = call_as(&router, "demo-user-management-admin", "POST", &calc_path, Some(calc_body)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // The refused attempts moved nothing; an admin agent can submit the sales agent's quote.
    let (status, _) = call_as(&router, "demo-admin-agent", "POST", &format!("/api/reservationOrders/{order}/return"), Some(submit)).await;
    assert_eq!(status, StatusCode::OK);
}
