//! The customer's statement where money and Azure meet, through the HTTP surface and the Partner
//! Center stand-in: what a finance person checks that the pure rules' tests cannot see.

use crate::azure_desk;

use axum::http::StatusCode;
use azure_desk::*;
use serde_json::{json, Value};

fn amount(money: &Value) -> rust_decimal::Decimal {
    money["amount"].as_str().unwrap_or_default().parse().unwrap()
}

#[tokio::test]
async fn a_purchase_through_azure_is_on_the_statement_at_azures_total_whatever_first_payment_its_price_answer_lists() {
    // Partner Center sells upfront: the order's total (2 × 1,752.00) is what was due the day it
    // was bought, even when Azure's price answer lists a first payment of 150.00 beside it.
    let d = desk().await;
    read(&d).await;
    d.stand_ins.purchases(|p| p.upfront_first_payment = Some("150.00".parse().unwrap()));
    let request = json!({"customerId": "contoso", "purchase": {"skuId": "Standard_D4s_v5/westeurope", "term": "P1Y", "billingPlan": "Upfront",
        "quantity": 2, "appliedScopeType": "Shared", "displayName": "d4 for the ledger", "renew": false}});
    let (status, quote) = d.call("POST", "/api/calculatePurchase", Some(request)).await;
    assert_eq!(status, StatusCode::OK, "{quote}");
    let session = quote["sessionId"].as_str().unwrap();
    let (status, done) = d.call("POST", "/api/purchase", Some(json!({"sessionId": session, "ticketReference": "CHG-9"}))).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    let order = done["reservationOrderId"].as_str().unwrap();

    let (_, audit) = d.call("GET", "/api/audit?customerId=contoso", None).await;
    let entry = audit.as_array().unwrap().iter().find(|e| e["action"] == "purchase").unwrap_or_else(|| panic!("recorded: {audit}"));
    assert_eq!(amount(&entry["detail"]["dueToday"]), "3504".parse().unwrap(), "{entry}");
    let month = &entry["time"].as_str().unwrap()[..7];
    let (status, statement) = d.call("GET", &format!("/api/customers/contoso/statements/{month}"), None).await;
    assert_eq!(status, StatusCode::OK, "{statement}");
    let line = statement["lines"].as_array().unwrap().iter().find(|l| l["reservationOrderId"] == order).unwrap_or_else(|| panic!("on the statement: {statement}"));
    assert_eq!((amount(&line["microsoft"]), amount(&line["customer"])), ("3504".parse().unwrap(), "3504".parse().unwrap()), "{line}");
}
