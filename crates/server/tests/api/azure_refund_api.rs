//! A refund in Azure mode goes to Azure first and is recorded only from
//! Azure's answer. Against the ARM stand-in (`azure_stand_ins/arm_refund.rs`, written from the
//! specification's `CalculateRefund.json` and `Return.json`): Review shows Azure's
//! `calculateRefund` beside the desk's quote; Submit posts `return` with Azure's session once,
//! follows its `Location` (each `Retry-After` waited through the injected sleep) and records the
//! quantity ARM then holds, Azure's refund and an audit entry naming who asked and the operation.
//! Azure's headroom refuses before anything is sent; ARM unreachable, a 403 or a failed operation
//! record nothing. A restart at either crash point (the return asked but not answered; accepted
//! but not finished) ends in one return at the stand-in and one record in the desk.

use crate::azure_desk;
use crate::azure_stand_ins;

use std::time::Duration;

use axum::body::Body;
use axum::http::{header, HeaderMap, Request, StatusCode};
use azure_desk::*;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

const TENANT: &str = "tenant-contoso";

async fn review(d: &Desk, reservation: &str, quantity: u32) -> (StatusCode, Value) {
    d.call("POST", "/api/reservationOrders/order-c/calculateRefund", Some(json!({"reservationId": reservation, "quantity": quantity}))).await
}

async fn submit(d: &Desk, session: &str) -> (StatusCode, Value) {
    let body = json!({"sessionId": session, "returnReason": "Bought too many", "ticketReference": "CHG-AZ-1"});
    d.call("POST", "/api/reservationOrders/order-c/return", Some(body)).await
}

/// The refund entries of contoso's audit log.
async fn refunds_recorded(d: &Desk) -> Vec<Value> {
    let (_, audit) = d.call("GET", "/api/audit?customerId=contoso", None).await;
    audit.as_array().unwrap().iter().filter(|e| e["action"] == "refund").cloned().collect()
}

async fn desk_quantity(d: &Desk, reservation: &str) -> Value {
    d.call("GET", &format!("/api/reservationOrders/order-c/reservations/{reservation}"), None).await.1["quantity"].clone()
}

fn posted(d: &Desk) -> usize {
    d.stand_ins.refunds(|r| r.returns_posted.values().sum())
}

/// The request's status and headers (what `Desk::call` does not keep).
async fn headers_of(d: &Desk, path: &str, body: Value) -> (StatusCode, HeaderMap) {
    let request = Request::builder()
        .method("POST")
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {}", d.token))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    let response = d.router.clone().oneshot(request).await.unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    let _ = response.into_body().collect().await;
    (status, headers)
}

#[tokio::test]
async fn a_refund_goes_to_azure_first_and_is_recorded_from_azures_answer() {
    let d = desk().await;
    read(&d).await;
    d.stand_ins.refunds(|r| r.consumed.insert(TENANT.into(), 1200.0));

    // Review: the desk's quote (ARM carries no price yet: 0) and Azure's beside it, differences named.
    let (status, quote) = review(&d, "res-c3", 2).await;
    assert_eq!(status, StatusCode::OK, "{quote}");
    let azure = &quote["azure"];
    assert_eq!(azure["refundAmount"], json!({"amount": "241.0", "currencyCode": "USD"}), "{quote}");
    assert_eq!((&azure["consumedRefundsTotal"]["amount"], &azure["maxRefundLimit"]["amount"]), (&json!("1200.0"), &json!("50000.0")));
    assert_eq!(azure["headroom"]["amount"], "48800.0", "Azure's maxRefundLimit − consumedRefundsTotal");
    let named: Vec<&str> = azure["differences"].as_array().unwrap().iter().map(|f| f["figure"].as_str().unwrap()).collect();
    assert_eq!(named, vec!["refundAmount", "consumedRefundsTotal"], "{azure}");
    assert!(azure.get("sessionId").is_none() && !quote.to_string().contains("10000000-aaaa"), "Azure's session stays on the server: {quote}");
    let session = quote["sessionId"].as_str().unwrap().to_owned();
    assert_eq!(posted(&d), 0, "a review posts nothing");
    // The customer's refund limit now carries Azure's own count beside the desk's ledger.
    let (_, limit) = d.call("GET", "/api/customers/contoso/refundLimit", None).await;
    let standing = &limit["azure"];
    assert_eq!((&standing["consumedRefundsTotal"]["amount"], &standing["headroom"]["amount"]), (&json!("1200.0"), &json!("48800.0")), "{limit}");
    assert_eq!(limit["consumed"]["amount"], "0.00", "the desk's own ledger: nothing refunded through it yet");

    // Submit: one return at ARM with Azure's session, followed through its Location.
    let (status, done) = submit(&d, &session).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!((&done["remainingQuantity"], &done["quote"]["refundAmount"]["amount"]), (&json!(1), &json!("241.0")), "Azure's refund: {done}");
    d.stand_ins.refunds(|r| {
        assert_eq!(r.returns_posted.len(), 1);
        assert_eq!(r.returns_posted.values().copied().collect::<Vec<_>>(), vec![1]);
        assert_eq!(r.polls_answered, 3, "two 202s, then 200");
    });
    assert_eq!(d.stand_ins.quantity(TENANT, "res-c3"), Some(1));
    let (_, limit) = d.call("GET", "/api/customers/contoso/refundLimit", None).await;
    assert_eq!(limit["azure"]["consumedRefundsTotal"]["amount"], "1441.0", "Azure's count at Review plus what the refund counts: {limit}");
    assert_eq!(desk_quantity(&d, "res-c3").await, json!(1), "the quantity as Azure now has it");
    assert!(d.waits.lock().unwrap().iter().filter(|w| **w == Duration::from_secs(5)).count() >= 3, "each Retry-After waited: {:?}", d.waits.lock().unwrap());
    d.stand_ins.record(|r| assert!(r.refused.is_empty(), "{:?}", r.refused));

    // The audit entry: who asked, what Azure answered, the operation's URL, the partner's ticket.
    let recorded = refunds_recorded(&d).await;
    assert_eq!(recorded.len(), 1, "{recorded:?}");
    let change = recorded[0]["change"].as_str().unwrap();
    assert_eq!(recorded[0]["actor"], "ada@partner.example");
    assert_eq!(recorded[0]["ticketReference"], "CHG-AZ-1", "the ticket beside Azure's IDs: {}", recorded[0]);
    for said in ["through Azure", "quantity 3 → 1", "Azure refunded 241.0 USD", "operationResults/return-1", "asked by ada@partner.example"] {
        assert!(change.contains(said), "{said:?} in {change}");
    }

    // The same session again answers what was done; nothing is posted again.
    let (status, again) = submit(&d, &session).await;
    assert_eq!((status, &again["refundId"]), (StatusCode::OK, &done["refundId"]));
    assert_eq!(posted(&d), 1);
    assert_eq!(refunds_recorded(&d).await.len(), 1);
}

#[tokio::test]
async fn azures_headroom_and_policy_refuse_before_anything_is_sent() {
    let d = desk().await;
    read(&d).await;
    // Azure's own figures leave 100; the refund counts 120.5. Azure names no error here: the
    // desk's check of Azure's headroom refuses.
    d.stand_ins.refunds(|r| {
        r.consumed.insert(TENANT.into(), 49_900.0);
        r.policy_errors = false;
    });
    let (status, quote) = review(&d, "res-c1", 1).await;
    assert_eq!((status, &quote["azure"]["headroom"]["amount"]), (StatusCode::OK, &json!("100.0")), "{quote}");
    let (status, problem) = submit(&d, quote["sessionId"].as_str().unwrap()).await;
    assert_eq!((status, &problem["code"]), (StatusCode::CONFLICT, &json!("policyRefused")), "{problem}");
    assert!(problem["detail"].as_str().unwrap().contains("Azure's refund limit leaves 100.0 USD"), "{problem}");

    // Azure's policy error refuses as Azure words it.
    d.stand_ins.refunds(|r| r.policy_errors = true);
    let (_, quote) = review(&d, "res-c1", 1).await;
    assert_eq!(quote["azure"]["policyErrors"][0]["code"], "RefundLimitExceeded", "{quote}");
    let (status, problem) = submit(&d, quote["sessionId"].as_str().unwrap()).await;
    assert_eq!((status, &problem["code"]), (StatusCode::CONFLICT, &json!("policyRefused")));
    assert!(problem["detail"].as_str().unwrap().contains("RefundLimitExceeded"), "{problem}");

    assert_eq!(posted(&d), 0, "nothing was sent");
    assert_eq!(d.stand_ins.quantity(TENANT, "res-c1"), Some(1));
    assert!(refunds_recorded(&d).await.is_empty());
}

#[tokio::test]
async fn arm_unreachable_or_refusing_records_nothing_and_says_why() {
    let mut d = desk().await;
    read(&d).await;

    // ARM unreachable: Review cannot show Azure's figures; 503 with Retry-After.
    d.stand_ins.refunds(|r| r.unreachable = true);
    let (status, problem) = review(&d, "res-c2", 1).await;
    assert_eq!((status, &problem["code"]), (StatusCode::SERVICE_UNAVAILABLE, &json!("upstreamUnavailable")), "{problem}");
    let (status, headers) = headers_of(&d, "/api/reservationOrders/order-c/calculateRefund", json!({"reservationId": "res-c2", "quantity": 1})).await;
    assert_eq!((status, headers.get(header::RETRY_AFTER).and_then(|v| v.to_str().ok())), (StatusCode::SERVICE_UNAVAILABLE, Some("30")));

    // Azure refuses the user (a guest can read but not refund): Azure's reason, as such.
    d.stand_ins.refunds(|r| {
        r.unreachable = false;
        r.forbidden = true;
    });
    let (status, problem) = review(&d, "res-c2", 1).await;
    assert_eq!((status, &problem["code"]), (StatusCode::FORBIDDEN, &json!("upstreamForbidden")), "{problem}");
    assert!(problem["detail"].as_str().unwrap().contains("AuthorizationFailed") && problem["detail"].as_str().unwrap().contains("does not have authorization"), "{problem}");
    // The readiness table says so of the tenant: it reads, Azure refuses its changes.
    let contoso = |rows: Value| rows.as_array().unwrap().iter().find(|r| r["customerId"] == "contoso").cloned().unwrap();
    let row = contoso(d.call("GET", "/api/source/readiness", None).await.1);
    assert_eq!(
        (row["state"].as_str(), row["failure"].as_str(), row["remedy"].as_str(), row["code"].as_str(), &row["status"]),
        (Some("readNotQuotable"), Some("readOnlyAccess"), Some("actAsAdminAgent"), Some("AuthorizationFailed"), &json!(403)),
        "{row}"
    );
    assert!(row["readAt"].is_string(), "it reads: {row}");
    // A read keeps what Azure said of changes.
    read(&d).await;
    assert_eq!(contoso(d.call("GET", "/api/source/readiness", None).await.1)["failure"], "readOnlyAccess");

    // Reviewed, then ARM goes away before Submit: the reservation cannot be read before the
    // return, so nothing is claimed, sent or recorded.
    d.stand_ins.refunds(|r| r.forbidden = false);
    let (_, quote) = review(&d, "res-c2", 1).await;
    let row = contoso(d.call("GET", "/api/source/readiness", None).await.1);
    assert_eq!((row["state"].as_str(), row.get("failure")), (Some("ready"), None), "a quote Azure made clears it: {row}");
    let session = quote["sessionId"].as_str().unwrap().to_owned();
    d.stand_ins.refunds(|r| r.unreachable = true);
    let (status, problem) = submit(&d, &session).await;
    assert_eq!((status, &problem["code"]), (StatusCode::SERVICE_UNAVAILABLE, &json!("upstreamUnavailable")), "{problem}");
    assert_eq!(posted(&d), 0);
    // ARM answers again but drops the return (503, not made): whether Azure has it is unknown.
    d.stand_ins.refunds(|r| {
        r.unreachable = false;
        r.drop_returns = true;
    });
    let (status, problem) = submit(&d, &session).await;
    assert_eq!((status, &problem["code"]), (StatusCode::SERVICE_UNAVAILABLE, &json!("upstreamUnavailable")), "{problem}");
    // One request (the client asks again after each 503, as ARM's guidance says).
    let tried = posted(&d);
    assert!((1..=4).contains(&tried), "{tried}");
    // At once: the request that claimed it may still be posting it (here or in another
    // process), so it is left to it: in progress, nothing read or posted.
    d.stand_ins.refunds(|r| r.drop_returns = false);
    let (status, problem) = submit(&d, &session).await;
    assert_eq!((status, &problem["code"]), (StatusCode::CONFLICT, &json!("upstreamInProgress")), "{problem}");
    // Past that grace (the server started again later), the same session is reconciled by
    // reading ARM (its quantity unchanged: it failed, with the reason), never posted blind.
    d.restart_later(chrono::TimeDelta::seconds(desk::desk::ASKED_GRACE_SECONDS + 60)).await;
    let (status, problem) = submit(&d, &session).await;
    assert_eq!((status, &problem["code"]), (StatusCode::CONFLICT, &json!("upstreamRefused")), "{problem}");
    assert!(problem["detail"].as_str().unwrap().contains("quantity unchanged (2)"), "{problem}");
    assert_eq!(posted(&d), tried, "never posted again after the desk lost track");
    assert_eq!(desk_quantity(&d, "res-c2").await, json!(2));
    assert!(refunds_recorded(&d).await.is_empty());

    // Azure's operation fails: its error is shown, nothing is recorded.
    d.stand_ins.refunds(|r| r.fail_operation = Some(("ReturnFailed".into(), "The reservation could not be returned.".into())));
    let (_, quote) = review(&d, "res-c2", 1).await;
    let (status, problem) = submit(&d, quote["sessionId"].as_str().unwrap()).await;
    assert_eq!((status, &problem["code"]), (StatusCode::CONFLICT, &json!("upstreamRefused")), "{problem}");
    assert!(problem["detail"].as_str().unwrap().contains("The reservation could not be returned."), "{problem}");
    assert_eq!(desk_quantity(&d, "res-c2").await, json!(2), "nothing recorded that Azure did not confirm");
    assert!(refunds_recorded(&d).await.is_empty());
    let (status, again) = submit(&d, quote["sessionId"].as_str().unwrap()).await;
    assert_eq!((status, &again["code"]), (StatusCode::CONFLICT, &json!("upstreamRefused")), "a failed one answers its failure again");
    assert_eq!(posted(&d), tried + 1);
}

/// Crash point one: the return reached ARM, the desk never heard (ARM's answer lost; the desk as
/// if it had stopped there). After a restart the first signed-in request resumes it: ARM shows
/// the units gone, so it is recorded from what ARM shows. One return, one record.
#[tokio::test]
async fn a_return_asked_but_unanswered_is_reconciled_from_arm_after_a_restart() {
    let mut d = desk().await;
    read(&d).await;
    let (_, quote) = review(&d, "res-c4", 3).await;
    let session = quote["sessionId"].as_str().unwrap().to_owned();
    d.stand_ins.refunds(|r| r.lose_return_answer = true);
    let (status, problem) = submit(&d, &session).await;
    assert_eq!((status, &problem["code"]), (StatusCode::SERVICE_UNAVAILABLE, &json!("upstreamUnavailable")), "{problem}");
    assert_eq!((posted(&d), d.stand_ins.quantity(TENANT, "res-c4")), (1, Some(1)), "ARM made it");
    assert!(refunds_recorded(&d).await.is_empty(), "the desk recorded nothing it was not told");

    d.stand_ins.refunds(|r| r.lose_return_answer = false);
    // Started again after the grace in which the lost request might still have been posting it.
    d.restart_later(chrono::TimeDelta::seconds(desk::desk::ASKED_GRACE_SECONDS + 60)).await;
    // The first signed-in request after the start resumes it in the background.
    let _ = d.call("GET", "/api/customers", None).await;
    until(|| async { !refunds_recorded(&d).await.is_empty() }).await;
    let recorded = refunds_recorded(&d).await;
    assert_eq!(recorded.len(), 1);
    assert!(recorded[0]["change"].as_str().unwrap().contains("quantity 4 → 1 (read from ARM after a restart"), "{}", recorded[0]["change"]);
    let (status, done) = submit(&d, &session).await;
    assert_eq!((status, &done["remainingQuantity"]), (StatusCode::OK, &json!(1)), "{done}");
    assert_eq!(posted(&d), 1, "never posted again");
    assert_eq!(refunds_recorded(&d).await.len(), 1);
}

/// Crash point two: ARM accepted the return and was still running it when the server stopped.
/// After a restart it is followed to its end (its URL was kept) and recorded once.
#[tokio::test]
async fn a_return_still_running_at_a_restart_is_followed_to_its_end_and_recorded_once() {
    let mut d = desk().await;
    read(&d).await;
    let (_, quote) = review(&d, "res-c5", 2).await;
    let session = quote["sessionId"].as_str().unwrap().to_owned();
    d.stand_ins.refunds(|r| r.polls = 1000);
    let (status, problem) = submit(&d, &session).await;
    assert_eq!((status, &problem["code"]), (StatusCode::CONFLICT, &json!("upstreamInProgress")), "{problem}");
    assert_eq!(d.stand_ins.refunds(|r| r.polls_answered), azure_client::MOST_POLLS, "followed as far as the client follows");
    assert!(refunds_recorded(&d).await.is_empty());

    d.restart().await;
    d.stand_ins.refunds(|r| r.polls = 0);
    let _ = d.call("GET", "/api/customers", None).await;
    until(|| async { !refunds_recorded(&d).await.is_empty() }).await;
    assert_eq!(d.stand_ins.refunds(|r| r.polls_answered), azure_client::MOST_POLLS + 1, "the kept URL polled again");
    let (status, done) = submit(&d, &session).await;
    assert_eq!((status, &done["remainingQuantity"]), (StatusCode::OK, &json!(3)), "{done}");
    assert_eq!(posted(&d), 1, "one return at ARM");
    assert_eq!(refunds_recorded(&d).await.len(), 1, "one record in the desk");
    assert_eq!(d.stand_ins.quantity(TENANT, "res-c5"), Some(3));
}

#[tokio::test]
async fn the_sql_store_keeps_operations_as_the_memory_store_does() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/upstream.sqlite", dir.path().display());
    let store = reservation_desk_server::server_store::ServerStore::open_seeding(&url, &desk::audit_chain::ChainKey::none(), false).await.unwrap();
    desk::suite::upstream_store::operations_are_claimed_once(&store).await;
}

/// A reconciliation compares with what ARM held just before the return, never with the desk's
/// cache: a unit returned elsewhere (the portal) after the last read leaves the cache one unit
/// ahead of Azure, and a lost return must still read as not made.
#[tokio::test]
async fn a_return_is_reconciled_against_what_arm_held_before_it_not_the_desks_cache() {
    let mut d = desk().await;
    read(&d).await;
    let (_, quote) = review(&d, "res-c3", 1).await;
    let session = quote["sessionId"].as_str().unwrap().to_owned();
    d.stand_ins.tenant(TENANT, |t| {
        let Some(azure_stand_ins::Tenant::Reservations(all)) = t else { panic!("contoso's reservations") };
        let r = all.iter_mut().find(|r| r["name"] == "order-c/res-c3").expect("res-c3");
        r["properties"]["quantity"] = json!(2);
    });
    assert_eq!(desk_quantity(&d, "res-c3").await, json!(3), "the desk's cache is one unit ahead of Azure");
    d.stand_ins.refunds(|r| r.drop_returns = true);
    let (status, problem) = submit(&d, &session).await;
    assert_eq!((status, &problem["code"]), (StatusCode::SERVICE_UNAVAILABLE, &json!("upstreamUnavailable")), "{problem}");
    let tried = posted(&d);
    d.stand_ins.refunds(|r| r.drop_returns = false);
    d.restart_later(chrono::TimeDelta::seconds(desk::desk::ASKED_GRACE_SECONDS + 60)).await;
    let (status, problem) = submit(&d, &session).await;
    assert_eq!((status, &problem["code"]), (StatusCode::CONFLICT, &json!("upstreamRefused")), "not recorded as made: {problem}");
    assert!(problem["detail"].as_str().unwrap().contains("quantity unchanged (2)"), "{problem}");
    assert!(refunds_recorded(&d).await.is_empty());
    assert_eq!(posted(&d), tried, "never posted again");
}
