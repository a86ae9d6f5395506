//! Azure mode with a second person's approval: in Azure mode a refund or exchange at or below the
//! approval threshold goes to Azure like any other (never recorded in the cache alone); one above
//! it waits for another user, whose approval asks Azure again on their behalf and is recorded as
//! approved only once Azure confirmed the move. Azure refusing leaves the request open.

use crate::azure_desk;

use axum::http::StatusCode;
use azure_desk::*;
use serde_json::{json, Value};

const TENANT: &str = "tenant-contoso";
/// The threshold: one unit of a fixture reservation (about 265 USD left of 2,102.40) is below
/// it, two are above.
const THRESHOLD: i64 = 400;

async fn approving() -> Desk {
    let threshold = quote_engine::Money::new(rust_decimal::Decimal::from(THRESHOLD), quote_engine::Currency::USD);
    let d = desk_with(contract::Settings { approval_threshold: Some(threshold), ..contract::Settings::default() }).await;
    // Azure sells the fixtures' SKU today at the price they were bought at: refunded at it.
    d.stand_ins.purchases(|p| {
        p.unit_prices.insert(("Standard_D2s_v3".into(), "P1Y".into()), "2102.40".parse().unwrap());
    });
    read(&d).await;
    d
}

fn approver(d: &Desk) -> String {
    d.other_user("00000000-0000-0000-0000-00000000b0b0", "bob@partner.example", "Bob Checker")
}

async fn refund(d: &Desk, reservation: &str, quantity: u32) -> (StatusCode, Value) {
    let (status, quote) =
        d.call("POST", "/api/reservationOrders/order-c/calculateRefund", Some(json!({"reservationId": reservation, "quantity": quantity}))).await;
    assert_eq!(status, StatusCode::OK, "{quote}");
    let session = quote["sessionId"].as_str().unwrap();
    d.call("POST", "/api/reservationOrders/order-c/return", Some(json!({"sessionId": session, "returnReason": "Bought too many"}))).await
}

fn returns_posted(d: &Desk) -> usize {
    d.stand_ins.refunds(|r| r.returns_posted.values().sum())
}

async fn audit(d: &Desk, action: &str) -> Vec<Value> {
    let (_, audit) = d.call("GET", "/api/audit?customerId=contoso", None).await;
    audit.as_array().unwrap().iter().filter(|e| e["action"] == action).cloned().collect()
}

#[tokio::test]
async fn a_refund_below_the_threshold_goes_to_azure_and_one_above_it_after_another_users_approval() {
    let d = approving().await;

    // Below: straight to Azure, recorded from its answer.
    let (status, done) = refund(&d, "res-c2", 1).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!((returns_posted(&d), d.stand_ins.quantity(TENANT, "res-c2")), (1, Some(1)), "Azure made it");
    assert!(audit(&d, "refund").await[0]["change"].as_str().unwrap().contains("through Azure"));

    // Above: an approval request; nothing asked of Azure yet.
    let (status, waiting) = refund(&d, "res-c3", 2).await;
    assert_eq!((status, &waiting["status"]), (StatusCode::ACCEPTED, &json!("pending")), "{waiting}");
    let approval = format!("/api/approvals/{}", waiting["id"].as_str().unwrap());
    assert_eq!(returns_posted(&d), 1);
    let (status, own) = d.call("POST", &format!("{approval}/approve"), None).await;
    assert_eq!((status, &own["code"]), (StatusCode::FORBIDDEN, &json!("ownApproval")), "{own}");

    // Azure refuses the approver: the request stays open, Azure's reason said.
    let bob = approver(&d);
    d.stand_ins.refunds(|r| r.forbidden = true);
    let (status, problem) = d.call_as(&bob, "POST", &format!("{approval}/approve"), None).await;
    assert_eq!((status, &problem["code"]), (StatusCode::FORBIDDEN, &json!("upstreamForbidden")), "{problem}");
    assert_eq!(d.call("GET", &approval, None).await.1["status"], "pending", "still open");
    assert_eq!((returns_posted(&d), d.stand_ins.quantity(TENANT, "res-c3")), (1, Some(3)));

    // Approved: asked of Azure on the approver's behalf, carried out once, then approved.
    d.stand_ins.refunds(|r| r.forbidden = false);
    let (status, approved) = d.call_as(&bob, "POST", &format!("{approval}/approve"), None).await;
    assert_eq!((status, &approved["status"]), (StatusCode::OK, &json!("approved")), "{approved}");
    assert_eq!(approved["refund"]["remainingQuantity"], 1, "{approved}");
    assert_eq!((returns_posted(&d), d.stand_ins.quantity(TENANT, "res-c3")), (2, Some(1)));
    let recorded = audit(&d, "refund").await;
    assert_eq!(recorded.len(), 2);
    let change = recorded.iter().map(|e| e["change"].as_str().unwrap()).find(|c| c.contains("quantity 3 → 1")).expect("the approved refund");
    for said in ["through Azure", "asked by bob@partner.example", "requested by Ada Admin", "approved by Bob Checker"] {
        assert!(change.contains(said), "{said:?} in {change}");
    }
    assert_eq!(audit(&d, "approvalApproved").await.len(), 1);
    // Its figures say the same for the console: through Azure, 3 → 1, asker and approver.
    let entry = recorded.iter().find(|e| e["change"].as_str().unwrap().contains("quantity 3 → 1")).unwrap();
    let detail = &entry["detail"];
    assert_eq!((&detail["kind"], &detail["throughAzure"], &detail["units"]), (&json!("refund"), &json!(true), &json!({"quantityBefore": 3, "quantityAfter": 1})), "{detail}");
    assert_eq!((&detail["approval"]["requestedBy"]["displayName"], &detail["approval"]["approvedBy"]["displayName"]), (&json!("Ada Admin"), &json!("Bob Checker")), "{detail}");
    let (_, history) = d.call("GET", "/api/reservationOrders/order-c/reservations/res-c3/revisions", None).await;
    let row = history.as_array().unwrap().iter().find(|v| v["action"] == "refund").expect("the refund's History row");
    // History's row has the entry's figures; the entry also records the statement's line.
    assert_eq!(detail["statement"][0]["kind"], "refund", "{detail}");
    let mut figures = detail.clone();
    figures.as_object_mut().unwrap().remove("statement");
    assert_eq!(row["detail"], figures, "History names asker and approver too: {row}");

    // Approving again changes nothing.
    let (status, again) = d.call_as(&bob, "POST", &format!("{approval}/approve"), None).await;
    assert_ne!(status, StatusCode::OK, "{again}");
    assert_eq!(returns_posted(&d), 2);
}

#[tokio::test]
async fn an_exchange_above_the_threshold_goes_to_azure_once_approved() {
    let d = approving().await;
    let request = json!({
        "reservationsToExchange": [{"reservationId": "res-c4", "quantity": 2}],
        "reservationsToPurchase": [{"skuId": "Standard_D4s_v5/westeurope", "term": "P1Y", "billingPlan": "Upfront", "quantity": 1, "appliedScopeType": "Shared"}]
    });
    let (status, quote) = d.call("POST", "/api/calculateExchange", Some(request)).await;
    assert_eq!(status, StatusCode::OK, "{quote}");
    let (status, waiting) = d.call("POST", "/api/exchange", Some(json!({"sessionId": quote["sessionId"]}))).await;
    assert_eq!((status, &waiting["status"]), (StatusCode::ACCEPTED, &json!("pending")), "{waiting}");
    let posted = || d.stand_ins.exchanges(|x| x.exchanges_posted.values().sum::<usize>());
    assert_eq!(posted(), 0);

    let approval = format!("/api/approvals/{}", waiting["id"].as_str().unwrap());
    let (status, approved) = d.call_as(&approver(&d), "POST", &format!("{approval}/approve"), None).await;
    assert_eq!((status, &approved["status"]), (StatusCode::OK, &json!("approved")), "{approved}");
    assert_eq!(approved["exchange"]["reservationOrderId"], "xorder-1", "{approved}");
    assert_eq!((posted(), d.stand_ins.quantity(TENANT, "res-c4")), (1, Some(2)));
    let change = audit(&d, "exchange").await[0]["change"].as_str().unwrap().to_owned();
    assert!(change.contains("exchanged through Azure") && change.contains("approved by Bob Checker"), "{change}");
    let detail = audit(&d, "exchange").await[0]["detail"].clone();
    assert_eq!((&detail["kind"], &detail["throughAzure"], &detail["returned"]), (&json!("exchange"), &json!(true), &json!([{"quantityBefore": 4, "quantityAfter": 2}])), "{detail}");
    assert_eq!(detail["bought"], json!([{"quantity": 1, "skuName": "Standard_D4s_v5", "location": "westeurope", "term": "P1Y"}]), "what Azure bought: {detail}");
    assert_eq!(detail["approval"]["approvedBy"]["displayName"], "Bob Checker", "{detail}");
}

/// An approved move Azure is still carrying out is that approval's: it cannot be rejected
/// meanwhile, and approving again answers how it stands (once Azure is done, approved).
#[tokio::test]
async fn an_approved_move_azure_is_carrying_out_cannot_be_rejected_and_ends_approved() {
    let d = approving().await;
    let (status, waiting) = refund(&d, "res-c5", 2).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{waiting}");
    let approval = format!("/api/approvals/{}", waiting["id"].as_str().unwrap());
    let bob = approver(&d);
    d.stand_ins.refunds(|r| r.polls = 1000);
    let (status, running) = d.call_as(&bob, "POST", &format!("{approval}/approve"), None).await;
    assert_eq!((status, &running["code"]), (StatusCode::CONFLICT, &json!("upstreamInProgress")), "{running}");
    assert_eq!(returns_posted(&d), 1);

    let carol = d.other_user("00000000-0000-0000-0000-0000000ca201", "carol@partner.example", "Carol Checker");
    let (status, refused) = d.call_as(&carol, "POST", &format!("{approval}/reject"), Some(json!({"reason": "Changed my mind"}))).await;
    assert_eq!((status, &refused["code"]), (StatusCode::CONFLICT, &json!("approvalClosed")), "{refused}");
    assert_eq!(d.call("GET", &approval, None).await.1["status"], "pending");

    d.stand_ins.refunds(|r| r.polls = 0);
    let (status, approved) = d.call_as(&bob, "POST", &format!("{approval}/approve"), None).await;
    assert_eq!((status, &approved["status"]), (StatusCode::OK, &json!("approved")), "{approved}");
    assert_eq!((returns_posted(&d), d.stand_ins.quantity(TENANT, "res-c5")), (1, Some(3)), "posted once");
}

/// The threshold is judged on Azure's figure too: a refund the desk quotes below it but Azure
/// counts above it waits for approval.
#[tokio::test]
async fn a_refund_azure_counts_above_the_threshold_waits_though_the_desk_quotes_it_below() {
    let d = approving().await;
    d.stand_ins.refunds(|r| {
        r.unit_refund.insert("res-c1".into(), 450.0);
    });
    // Review says it will wait, naming Azure's figure (the one above the threshold).
    let (_, quote) = d.call("POST", "/api/reservationOrders/order-c/calculateRefund", Some(json!({"reservationId": "res-c1", "quantity": 1}))).await;
    assert_eq!(quote["approvalNeeded"]["figure"], quote["azure"]["pricingRefundAmount"], "{quote}");
    assert_eq!(quote["approvalNeeded"]["threshold"]["amount"].as_str().map(|a| a.parse::<rust_decimal::Decimal>().unwrap()), Some(rust_decimal::Decimal::from(THRESHOLD)));
    let (status, waiting) = refund(&d, "res-c1", 1).await;
    assert_eq!((status, &waiting["status"]), (StatusCode::ACCEPTED, &json!("pending")), "{waiting}");
    assert!(waiting["amount"]["amount"].as_str().unwrap().parse::<rust_decimal::Decimal>().unwrap() < rust_decimal::Decimal::from(THRESHOLD), "the desk's figure is below: {waiting}");
    assert_eq!(returns_posted(&d), 0, "nothing asked of Azure before the approval");
}

#[tokio::test]
async fn two_approvers_at_the_same_instant_move_the_money_once_and_the_other_hears_the_approval_is_closed() {
    let d = approving().await;
    let (status, waiting) = refund(&d, "res-c3", 2).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{waiting}");
    let approve = format!("/api/approvals/{}/approve", waiting["id"].as_str().unwrap());
    let bob = approver(&d);
    let carol = d.other_user("00000000-0000-0000-0000-00000000c0c0", "carol@partner.example", "Carol Checker");
    // Both approvers ask Azure's calculateRefund again, and ARM answers both at once: they meet.
    d.stand_ins.refunds(|r| r.calculate_together = Some(std::sync::Arc::new(tokio::sync::Barrier::new(2))));
    let (first, second) = tokio::join!(d.call_as(&bob, "POST", &approve, None), d.call_as(&carol, "POST", &approve, None));
    assert_eq!(d.stand_ins.refunds(|r| r.calculations), 3, "the requester's review and both approvers' asked Azure");
    let mut statuses = [first.0, second.0];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT], "{first:?} {second:?}");
    let (winner, loser) = if first.0 == StatusCode::OK { (first.1, second.1) } else { (second.1, first.1) };
    assert_eq!(winner["status"], "approved", "{winner}");
    assert_eq!(loser["code"], "approvalClosed", "{loser}");
    assert_eq!((returns_posted(&d), d.stand_ins.quantity(TENANT, "res-c3")), (1, Some(1)), "one return in Azure");
    assert_eq!(audit(&d, "refund").await.len(), 1, "one refund recorded");
    let (_, now) = d.call("GET", approve.trim_end_matches("/approve"), None).await;
    assert_eq!(now["status"], "approved");
}
