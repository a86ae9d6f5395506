//! The stateless quote endpoints: the engine's figures, policy outcomes as 200, malformed
//! input as a 400 problem that names the field.

use crate::common;

use axum::http::StatusCode;
use common::{call, fresh};
use serde_json::{json, Value};

fn refund_body() -> Value {
    // Microsoft's worked example: 36 months at USD 100 (USD 3,600), returned after 12 months.
    json!({
        "policy": "azure-current", "asOf": "2025-03-01",
        "reservation": { "reservedResourceType": "VirtualMachines", "term": "P3Y", "billingPlan": "Monthly",
                         "purchaseDate": "2024-03-01", "quantity": 1,
                         "unitPrice": { "amount": "3600.00", "currencyCode": "USD" }, "hasUsage": true },
        "quantity": 1, "priorRefunds": []
    })
}

#[tokio::test]
async fn a_refund_quote_is_the_engines() {
    let (router, _dir, _) = fresh().await;
    let (status, quote) = call(&router, "POST", "/api/quotes/refund", Some(refund_body())).await;
    assert_eq!(status, StatusCode::OK, "{quote}");
    assert_eq!(quote["remainingCommitment"]["amount"], "2400.00");
    assert!(quote["policyResult"]["policyErrors"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn malformed_quote_requests_name_the_field() {
    let (router, _dir, _) = fresh().await;
    let mut number_amount = refund_body();
    number_amount["reservation"]["unitPrice"]["amount"] = json!(3600.0);
    let mut bad_term = refund_body();
    bad_term["reservation"]["term"] = json!("P2Y");
    let mut bad_date = refund_body();
    bad_date["asOf"] = json!("2025-02-30");
    for (body, field) in [
        (number_amount, "reservation.unitPrice.amount"),
        (bad_term, "reservation.term"),
        (bad_date, "asOf"),
    ] {
        let (status, problem) = call(&router, "POST", "/api/quotes/refund", Some(body)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{problem}");
        assert_eq!(problem["field"], field, "{problem}");
    }
    let (status, _) = call(&router, "POST", "/api/quotes/exchange", Some(json!({ "policy": "azure-current" }))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}
