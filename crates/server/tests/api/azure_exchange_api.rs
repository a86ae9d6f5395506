//! An exchange in Azure mode goes to Azure first and is recorded only from
//! Azure's answer. Against the ARM stand-in (`azure_stand_ins/arm_exchange.rs`, written from the
//! specification's `CalculateExchange.json` and `Exchange.json`): Review shows Azure's
//! `calculateExchange` beside the desk's quote; Submit posts `exchange` with Azure's session
//! once, follows its `Azure-AsyncOperation` and records the returned units as ARM then holds
//! them and the purchases under the IDs Azure gave them, with an audit entry naming who asked
//! and the operation. Azure's policy refuses before anything is sent; ARM unreachable, a 403 or a
//! failed operation record nothing. A restart at either crash point ends in one exchange at the
//! stand-in and one record in the desk.

use crate::azure_desk;


use axum::http::StatusCode;
use azure_desk::*;
use serde_json::{json, Value};

const TENANT: &str = "tenant-contoso";

/// Review: one unit of `reservation` (order-c) for one `Standard_D4s_v5` in West Europe.
async fn review(d: &Desk, reservation: &str) -> (StatusCode, Value) {
    let request = json!({
        "reservationsToExchange": [{"reservationId": reservation, "quantity": 1}],
        "reservationsToPurchase": [{"skuId": "Standard_D4s_v5/westeurope", "term": "P1Y", "billingPlan": "Upfront", "quantity": 1,
            "appliedScopeType": "Shared", "displayName": "d4 from exchange"}]
    });
    d.call("POST", "/api/calculateExchange", Some(request)).await
}

async fn submit(d: &Desk, session: &str) -> (StatusCode, Value) {
    d.call("POST", "/api/exchange", Some(json!({"sessionId": session}))).await
}

/// The exchange entries of contoso's audit log.
async fn exchanges_recorded(d: &Desk) -> Vec<Value> {
    let (_, audit) = d.call("GET", "/api/audit?customerId=contoso", None).await;
    audit.as_array().unwrap().iter().filter(|e| e["action"] == "exchange").cloned().collect()
}

async fn desk_quantity(d: &Desk, order: &str, reservation: &str) -> (StatusCode, Value) {
    let (status, r) = d.call("GET", &format!("/api/reservationOrders/{order}/reservations/{reservation}"), None).await;
    (status, r["quantity"].clone())
}

fn posted(d: &Desk) -> usize {
    d.stand_ins.exchanges(|x| x.exchanges_posted.values().sum())
}

#[tokio::test]
async fn an_exchange_goes_to_azure_first_and_is_recorded_from_azures_answer() {
    let d = desk().await;
    read(&d).await;

    // Review: the desk's quote and Azure's beside it (the stand-in credits 120.5 a unit and
    // charges 3000 a unit: every figure differs from the desk's, and each is named).
    let (status, quote) = review(&d, "res-c2").await;
    assert_eq!(status, StatusCode::OK, "{quote}");
    let azure = &quote["azure"];
    assert_eq!(azure["refundsTotal"]["amount"], "120.5", "{quote}");
    assert_eq!(azure["purchasesTotal"]["amount"], "3000.0", "{quote}");
    assert_eq!(azure["netPayable"]["amount"], "2879.5", "{quote}");
    let named: Vec<&str> = azure["differences"].as_array().unwrap().iter().map(|f| f["figure"].as_str().unwrap()).collect();
    assert_eq!(named, vec!["netPayable", "refundsTotal", "purchasesTotal"], "{azure}");
    assert!(azure.get("sessionId").is_none(), "Azure's session stays on the server: {quote}");
    let session = quote["sessionId"].as_str().unwrap().to_owned();
    assert_eq!(posted(&d), 0, "a review posts nothing");

    // Submit: one exchange at ARM with Azure's session, followed to its end.
    let (status, done) = submit(&d, &session).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(done["reservationOrderId"], "xorder-1", "the order Azure made: {done}");
    assert_eq!((&done["purchased"][0]["id"], &done["purchased"][0]["skuName"]), (&json!("xres-1-1"), &json!("Standard_D4s_v5")), "{done}");
    assert_eq!(done["quote"]["netPayable"]["amount"], "2879.5", "Azure's figures: {done}");
    assert_eq!(posted(&d), 1);
    assert_eq!(d.stand_ins.quantity(TENANT, "res-c2"), Some(1), "ARM returned the unit");
    assert_eq!(desk_quantity(&d, "order-c", "res-c2").await, (StatusCode::OK, json!(1)), "as Azure now has it");
    assert_eq!(desk_quantity(&d, "xorder-1", "xres-1-1").await, (StatusCode::OK, json!(1)), "the purchase under Azure's IDs");
    d.stand_ins.record(|r| assert!(r.refused.is_empty(), "{:?}", r.refused));

    let recorded = exchanges_recorded(&d).await;
    assert_eq!(recorded.len(), 1, "{recorded:?}");
    let change = recorded[0]["change"].as_str().unwrap();
    assert_eq!(recorded[0]["actor"], "ada@partner.example");
    for said in ["exchanged through Azure", "order-c/res-c2 2 → 1", "bought 1 in order xorder-1", "net payable 2879.5", "exchangeOperationResults/", "asked by ada@partner.example"] {
        assert!(change.contains(said), "{said:?} in {change}");
    }

    // The same session again answers what was done; nothing is posted again.
    let (status, again) = submit(&d, &session).await;
    assert_eq!((status, &again["reservationOrderId"]), (StatusCode::OK, &json!("xorder-1")));
    assert_eq!(posted(&d), 1);

    // Read again: the purchase is ARM's reservation of the same ID, held once.
    read(&d).await;
    let (_, list) = d.call("GET", "/api/customers/contoso/reservations", None).await;
    let ids: Vec<&str> = list.as_array().unwrap().iter().filter_map(|r| r["id"].as_str()).filter(|id| id.starts_with("xres-")).collect();
    assert_eq!(ids, vec!["xres-1-1"], "{list}");
    assert_eq!(exchanges_recorded(&d).await.len(), 1);
}

#[tokio::test]
async fn azures_policy_arm_unreachable_or_refusing_record_nothing_and_say_why() {
    let d = desk().await;
    read(&d).await;

    // Azure's policy refuses (its purchase cheaper than the credit): shown at Review, refused at
    // Submit before anything is sent.
    d.stand_ins.exchanges(|x| x.unit_price = rust_decimal::Decimal::TEN);
    let (status, quote) = review(&d, "res-c3").await;
    assert_eq!(status, StatusCode::OK, "{quote}");
    assert!(!quote["azure"]["policyErrors"].as_array().unwrap().is_empty(), "{quote}");
    let (status, problem) = submit(&d, quote["sessionId"].as_str().unwrap()).await;
    assert_eq!((status, &problem["code"]), (StatusCode::CONFLICT, &json!("policyRefused")), "{problem}");
    assert_eq!(posted(&d), 0);
    d.stand_ins.exchanges(|x| x.unit_price = rust_decimal::Decimal::from(3000));

    // ARM unreachable: Review cannot show Azure's figures.
    d.stand_ins.exchanges(|x| x.unreachable = true);
    let (status, problem) = review(&d, "res-c3").await;
    assert_eq!((status, &problem["code"]), (StatusCode::SERVICE_UNAVAILABLE, &json!("upstreamUnavailable")), "{problem}");

    // Azure refuses the user: its reason, as such.
    d.stand_ins.exchanges(|x| {
        x.unreachable = false;
        x.forbidden = true;
    });
    let (status, problem) = review(&d, "res-c3").await;
    assert_eq!((status, &problem["code"]), (StatusCode::FORBIDDEN, &json!("upstreamForbidden")), "{problem}");
    assert!(problem["detail"].as_str().unwrap().contains("AuthorizationFailed"), "{problem}");

    // Azure's operation fails: its error is shown, nothing is recorded.
    d.stand_ins.exchanges(|x| {
        x.forbidden = false;
        x.fail_operation = Some(("ExchangeFailed".into(), "The exchange could not be completed.".into()));
    });
    let (_, quote) = review(&d, "res-c3").await;
    let (status, problem) = submit(&d, quote["sessionId"].as_str().unwrap()).await;
    assert_eq!((status, &problem["code"]), (StatusCode::CONFLICT, &json!("upstreamRefused")), "{problem}");
    assert!(problem["detail"].as_str().unwrap().contains("The exchange could not be completed."), "{problem}");
    assert_eq!(desk_quantity(&d, "order-c", "res-c3").await, (StatusCode::OK, json!(3)), "nothing recorded that Azure did not confirm");
    assert!(exchanges_recorded(&d).await.is_empty());
    let (status, again) = submit(&d, quote["sessionId"].as_str().unwrap()).await;
    assert_eq!((status, &again["code"]), (StatusCode::CONFLICT, &json!("upstreamRefused")), "a failed one answers its failure again");
    assert_eq!(posted(&d), 1);
}

/// Crash point one: the exchange reached ARM, the desk never heard. After a restart the first
/// signed-in request resumes it: ARM shows the unit gone, so it is recorded from what ARM shows
/// (its purchase comes with the next read). One exchange, one record.
#[tokio::test]
async fn an_exchange_asked_but_unanswered_is_reconciled_from_arm_after_a_restart() {
    let mut d = desk().await;
    read(&d).await;
    let (_, quote) = review(&d, "res-c4").await;
    let session = quote["sessionId"].as_str().unwrap().to_owned();
    d.stand_ins.exchanges(|x| x.lose_exchange_answer = true);
    let (status, problem) = submit(&d, &session).await;
    assert_eq!((status, &problem["code"]), (StatusCode::SERVICE_UNAVAILABLE, &json!("upstreamUnavailable")), "{problem}");
    assert_eq!((posted(&d), d.stand_ins.quantity(TENANT, "res-c4")), (1, Some(3)), "ARM made it");
    assert!(exchanges_recorded(&d).await.is_empty(), "the desk recorded nothing it was not told");

    d.stand_ins.exchanges(|x| x.lose_exchange_answer = false);
    // Started again after the grace in which the lost request might still have been posting it.
    d.restart_later(chrono::TimeDelta::seconds(desk::desk::ASKED_GRACE_SECONDS + 60)).await;
    let _ = d.call("GET", "/api/customers", None).await;
    until(|| async { !exchanges_recorded(&d).await.is_empty() }).await;
    let change = exchanges_recorded(&d).await[0]["change"].as_str().unwrap().to_owned();
    assert!(change.contains("order-c/res-c4 4 → 3 (as Azure now has it)") && change.contains("Azure named no purchases"), "{change}");
    let (status, done) = submit(&d, &session).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(posted(&d), 1, "never posted again");
    read(&d).await;
    assert_eq!(desk_quantity(&d, "xorder-1", "xres-1-1").await.0, StatusCode::OK, "the purchase, read from ARM");
    assert_eq!(exchanges_recorded(&d).await.len(), 1);
}

/// Crash point two: ARM accepted the exchange and was still running it when the server stopped.
/// After a restart it is followed to its end (its URL was kept) and recorded once, with the
/// purchases Azure named.
#[tokio::test]
async fn an_exchange_still_running_at_a_restart_is_followed_to_its_end_and_recorded_once() {
    let mut d = desk().await;
    read(&d).await;
    let (_, quote) = review(&d, "res-c5").await;
    let session = quote["sessionId"].as_str().unwrap().to_owned();
    d.stand_ins.exchanges(|x| x.polls = 1000);
    let (status, problem) = submit(&d, &session).await;
    assert_eq!((status, &problem["code"]), (StatusCode::CONFLICT, &json!("upstreamInProgress")), "{problem}");
    assert!(problem["detail"].as_str().unwrap().contains("this exchange"), "{problem}");
    assert!(exchanges_recorded(&d).await.is_empty());

    d.restart().await;
    d.stand_ins.exchanges(|x| x.polls = 0);
    let _ = d.call("GET", "/api/customers", None).await;
    until(|| async { !exchanges_recorded(&d).await.is_empty() }).await;
    let (status, done) = submit(&d, &session).await;
    assert_eq!((status, &done["purchased"][0]["id"]), (StatusCode::OK, &json!("xres-1-1")), "{done}");
    assert_eq!(posted(&d), 1, "one exchange at ARM");
    assert_eq!(exchanges_recorded(&d).await.len(), 1, "one record in the desk");
    assert_eq!(desk_quantity(&d, "order-c", "res-c5").await, (StatusCode::OK, json!(4)));
}
