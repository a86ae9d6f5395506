//! The audit log records who changed what, with the change, newest first.

use crate::common;

use axum::http::StatusCode;
use common::{call, call_as, fresh, FABRIKAM};
use serde_json::json;

#[tokio::test]
async fn refunds_and_changes_are_audited_with_their_actor() {
    let (router, _dir, _) = fresh().await;
    let (_, list) = call(&router, "GET", &format!("/api/customers/{FABRIKAM}/reservations"), None).await;
    let r = list.as_array().unwrap().iter().find(|r| r["provisioningState"] == "Succeeded").unwrap().clone();
    let order = r["reservationOrderId"].as_str().unwrap();
    let path = format!("/api/reservationOrders/{order}/reservations/{}", r["id"].as_str().unwrap());
    let (status, _) = call_as(&router, "demo-helpdesk-agent", "PATCH", &path, Some(json!({ "displayName": "renamed" }))).await;
    assert_eq!(status, StatusCode::OK);
    let (_, calc) = call(&router, "POST", &format!("/api/reservationOrders/{order}/calculateRefund"), Some(json!({ "reservationId": r["id"], "quantity": 1 }))).await;
    let (status, _) = call_as(&router, "demo-admin-agent", "POST", &format!("/api/reservationOrders/{order}/return"), Some(json!({ "sessionId": calc["sessionId"], "returnReason": "x" }))).await;
    assert_eq!(status, StatusCode::OK);

    let (status, audit) = call(&router, "GET", &format!("/api/audit?customerId={FABRIKAM}"), None).await;
    assert_eq!(status, StatusCode::OK);
    let entries = audit.as_array().unwrap();
    // The change, the return, and before them the entry recording Fabrikam's seeded ledger rows.
    assert_eq!(entries.len(), 3, "{audit}");
    assert_eq!(entries[2]["action"], "ledgerBaseline");
    assert_eq!(entries[0]["action"], "refund");
    assert_eq!(entries[0]["actor"], "adam.agent@partner.example");
    let before = r["quantity"].as_u64().unwrap();
    assert!(entries[0]["change"].as_str().unwrap().contains(&format!("quantity {before} → {}", before - 1)), "{}", entries[0]);
    assert_eq!(entries[1]["action"], "changeReservation");
    assert_eq!(entries[1]["actor"], "hana.helpdesk@partner.example");
    assert!(entries[1]["change"].as_str().unwrap().contains("→ renamed"));
}
