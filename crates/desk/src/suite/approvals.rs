//! The suite's cases for maker and checker: a refund or exchange above the
//! deployment's approval threshold waits for another user's approval and moves money only then,
//! once, under the limit as it stands at approval; the requester can neither approve nor reject
//! it; it expires; a changed amount needs approval again.

use chrono::Duration;
use contract::Settings;
use desk_service::access::demo_user;
use quote_engine::{Currency, Money};
use rust_decimal::Decimal;
use serde_json::{json, Value};

use super::{amount, futures_join_all, noon, Harness, CONTOSO, FABRIKAM};

/// The requester (an Admin agent) and the approver (the Global admin): both may move money.
const MAKER: &str = "demo-admin-agent";
const CHECKER: &str = "demo-global-admin";

/// The harness's desk with an approval threshold of `usd` (expiring after `hours`).
fn with_threshold<S: crate::DeskStore>(h: Harness<S>, usd: &str, hours: u32) -> Harness<S> {
    let threshold = Money::new(usd.parse::<Decimal>().expect("an amount"), Currency::USD);
    let settings = Settings { approval_threshold: Some(threshold), approval_expiry_hours: hours, ..Settings::default() };
    Harness { desk: h.desk.with_settings(settings) }
}

/// `return` of `session` of `r` as `token` at `now`.
async fn submit_as<S: crate::DeskStore>(h: &Harness<S>, now: chrono::DateTime<chrono::Utc>, token: &str, r: &Value, session: &Value) -> (u16, Value) {
    let path = format!("/reservationOrders/{}/return", r["reservationOrderId"].as_str().expect("order"));
    h.at(now, token, "POST", &path, Some(json!({ "sessionId": session, "returnReason": "Over-bought" }))).await
}

/// `approve` of approval `id` as `token` at `now`.
async fn approve<S: crate::DeskStore>(h: &Harness<S>, now: chrono::DateTime<chrono::Utc>, token: &str, id: &Value) -> (u16, Value) {
    h.at(now, token, "POST", &format!("/approvals/{}/approve", id.as_str().expect("an ID")), None).await
}

/// The units of reservation `r` now.
async fn units<S: crate::DeskStore>(h: &Harness<S>, r: &Value) -> u64 {
    let path = format!("/reservationOrders/{}/reservations/{}", r["reservationOrderId"].as_str().unwrap(), r["id"].as_str().unwrap());
    h.get(&path).await["quantity"].as_u64().expect("units")
}

/// A pending request for one unit of FABRIKAM's first active reservation, asked by [`MAKER`] at
/// noon: the reservation, the session and the 202's approval.
async fn requested<S: crate::DeskStore>(h: &Harness<S>) -> (Value, Value, Value) {
    let r = h.active(FABRIKAM).await[0].clone();
    let (status, session) = h.calculate_at(noon(), &r, 1).await;
    assert_eq!(status, 200, "{session}");
    let (status, approval) = submit_as(h, noon(), MAKER, &r, &session["sessionId"]).await;
    assert_eq!(status, 202, "above the threshold the return waits: {approval}");
    (r, session, approval)
}

/// Without a threshold nothing changes: the return moves money at once (200) and nothing waits.
pub async fn without_an_approval_threshold_a_return_moves_money_at_once<S: crate::DeskStore>(h: Harness<S>) {
    assert!(h.get("/settings").await.get("approvalThreshold").is_none(), "no threshold unless set");
    assert_eq!(h.get("/settings").await["approvalExpiryHours"], 168, "7 days unless set");
    let r = h.active(FABRIKAM).await[0].clone();
    let (_, session) = h.calculate_at(noon(), &r, 1).await;
    assert!(session.get("approvalNeeded").is_none(), "Review warns of nothing: {session}");
    let (status, done) = submit_as(&h, noon(), MAKER, &r, &session["sessionId"]).await;
    assert_eq!(status, 200, "{done}");
    assert!(done["refundId"].is_string(), "{done}");
    assert_eq!(h.get("/approvals").await, json!([]));
}

/// Above the threshold a return answers 202 with a pending approval (the quote, who asked, when
/// it expires) and moves nothing; the same session again answers the same request; a refund at
/// the threshold exactly moves at once.
pub async fn above_the_threshold_a_return_waits_for_approval_and_moves_nothing<S: crate::DeskStore>(h: Harness<S>) {
    let h = with_threshold(h, "0.00", 168);
    assert_eq!(h.get("/settings").await["approvalThreshold"], json!({ "amount": "0.00", "currencyCode": "USD" }));
    let before = h.consumed(FABRIKAM).await;
    let (r, session, approval) = requested(&h).await;
    // Review said so before Submit: the threshold and the refund above it.
    let usd = |m: &Value| json!({ "amount": m["amount"], "currencyCode": "USD" });
    assert_eq!(session["approvalNeeded"], json!({ "threshold": { "amount": "0.00", "currencyCode": "USD" }, "figure": usd(&session["quote"]["refundAmount"]) }));
    assert_eq!(approval["status"], "pending");
    assert_eq!(approval["kind"], "refund");
    assert_eq!(approval["customerId"], FABRIKAM);
    assert_eq!(approval["reservationIds"], json!([r["id"]]));
    // What is approved: the reservation by name, the units, and why.
    let returns = json!([{ "reservationOrderId": r["reservationOrderId"], "reservationId": r["id"], "displayName": r["displayName"], "quantity": 1 }]);
    assert_eq!(approval["returns"], returns);
    assert_eq!(approval["returnReason"], "Over-bought");
    assert_eq!(approval["amount"], session["quote"]["refundAmount"]);
    assert_eq!(approval["refundQuote"], session["quote"]);
    assert_eq!(approval["requestedBy"]["userPrincipalName"], demo_user(MAKER).unwrap().user_principal_name);
    assert_eq!(approval["expiresAt"], crate::time::timestamp(noon() + Duration::days(7)));
    assert_eq!(h.consumed(FABRIKAM).await, before, "nothing counted");
    assert_eq!(units(&h, &r).await, r["quantity"].as_u64().unwrap(), "nothing returned");
    let (status, again) = submit_as(&h, noon(), MAKER, &r, &session["sessionId"]).await;
    assert_eq!((status, &again), (202, &approval), "the same session answers the same request");
    let id = approval["id"].as_str().unwrap();
    assert_eq!(h.get(&format!("/approvals/{id}")).await, approval);
    assert_eq!(h.get("/approvals").await, json!([approval]));
    let audit = h.last_audit(FABRIKAM).await;
    assert_eq!((audit["action"].as_str(), audit["target"].as_str()), (Some("approvalRequested"), Some(&*format!("approvals/{id}"))));
    // A refund not above the threshold moves at once.
    let (_, second) = h.calculate_at(noon(), &r, 1).await;
    let h = with_threshold(h, &amount(&second["quote"]["refundAmount"]).to_string(), 168);
    let (_, third) = h.calculate_at(noon(), &r, 1).await;
    assert!(third.get("approvalNeeded").is_none(), "at the threshold exactly Review warns of nothing: {third}");
    let (status, done) = submit_as(&h, noon(), MAKER, &r, &second["sessionId"]).await;
    assert_eq!(status, 200, "at the threshold exactly: {done}");
}

/// The requester can neither approve nor reject (403 `ownApproval`), a Sales agent may not move
/// money (403 `roleForbids`); another user's approval moves the money once, audited with both
/// names; the request is then closed and the session answers the refund.
pub async fn only_another_user_with_the_right_to_move_money_approves<S: crate::DeskStore>(h: Harness<S>) {
    let h = with_threshold(h, "0.00", 168);
    let before = h.consumed(FABRIKAM).await;
    let (r, session, approval) = requested(&h).await;
    let id = &approval["id"];
    let (status, problem) = approve(&h, noon(), MAKER, id).await;
    assert_eq!((status, problem["code"].as_str()), (403, Some("ownApproval")), "{problem}");
    let reject = format!("/approvals/{}/reject", id.as_str().unwrap());
    let (status, problem) = h.at(noon(), MAKER, "POST", &reject, Some(json!({ "reason": "changed my mind" }))).await;
    assert_eq!((status, problem["code"].as_str()), (403, Some("ownApproval")), "{problem}");
    let (status, problem) = approve(&h, noon(), "demo-sales-agent", id).await;
    assert_eq!((status, problem["code"].as_str()), (403, Some("roleForbids")), "{problem}");
    assert_eq!(h.consumed(FABRIKAM).await, before, "nothing moved yet");

    let (status, approved) = approve(&h, noon(), CHECKER, id).await;
    assert_eq!(status, 200, "{approved}");
    assert_eq!(approved["status"], "approved");
    assert_eq!(approved["decidedBy"]["userPrincipalName"], demo_user(CHECKER).unwrap().user_principal_name);
    assert_eq!(approved["refund"]["remainingQuantity"], r["quantity"].as_u64().unwrap() - 1);
    let counted = amount(&session["quote"]["policyResult"]["countedTowardLimit"]);
    assert_eq!(h.consumed(FABRIKAM).await, before + counted);
    assert_eq!(units(&h, &r).await, r["quantity"].as_u64().unwrap() - 1);

    let log = h.get(&format!("/audit?customerId={FABRIKAM}")).await;
    let (refund, decision) = (&log[0], &log[1]);
    assert_eq!(refund["action"], "refund");
    let change = refund["change"].as_str().unwrap();
    assert!(change.contains("requested by Adam Agent") && change.contains("approved by Gina Global"), "both names: {change}");
    assert_eq!(decision["action"], "approvalApproved");
    assert_eq!(h.get("/audit/verify").await["intact"], true);

    let (status, problem) = approve(&h, noon(), CHECKER, id).await;
    assert_eq!((status, problem["code"].as_str()), (409, Some("approvalClosed")), "{problem}");
    let (status, done) = submit_as(&h, noon(), MAKER, &r, &session["sessionId"]).await;
    assert_eq!((status, &done), (200, &approved["refund"]), "the session answers the refund done");
    assert_eq!(h.get("/approvals").await, json!([]));
}

/// 64 approvals of one request at once: the money moves once.
pub async fn a_burst_of_approvals_of_one_request_moves_money_once<S: crate::DeskStore>(h: Harness<S>) {
    let h = with_threshold(h, "0.00", 168);
    let before = h.consumed(FABRIKAM).await;
    let (r, session, approval) = requested(&h).await;
    let results = futures_join_all((0..64).map(|_| approve(&h, noon(), CHECKER, &approval["id"]))).await;
    let approved = results.iter().filter(|(status, _)| *status == 200).count();
    assert_eq!(approved, 1, "one approval moves the money: {results:?}");
    for (status, body) in results.iter().filter(|(status, _)| *status != 200) {
        assert_eq!((*status, body["code"].as_str()), (409, Some("approvalClosed")), "{body}");
    }
    let counted = amount(&session["quote"]["policyResult"]["countedTowardLimit"]);
    assert_eq!(h.consumed(FABRIKAM).await, before + counted, "counted once");
    assert_eq!(units(&h, &r).await, r["quantity"].as_u64().unwrap() - 1, "one unit returned");
    let log = h.get(&format!("/audit?customerId={FABRIKAM}")).await;
    let refunds = log.as_array().unwrap().iter().filter(|e| e["action"] == "refund").count();
    assert_eq!(refunds, 1);
}

/// An approval at the expiry instant moves the money; one second later it is refused
/// (`approvalExpired`), nothing moves, the request shows `expired` and leaves the list. Racing
/// each other, the in-time and the late approval move the money once.
pub async fn an_approval_racing_the_expiry_moves_money_only_in_time<S: crate::DeskStore>(h: Harness<S>) {
    let h = with_threshold(h, "0.00", 1);
    let before = h.consumed(FABRIKAM).await;
    let (r, session, approval) = requested(&h).await;
    let expiry = noon() + Duration::hours(1);
    let (status, problem) = approve(&h, expiry + Duration::seconds(1), CHECKER, &approval["id"]).await;
    assert_eq!((status, problem["code"].as_str()), (409, Some("approvalExpired")), "{problem}");
    let id = approval["id"].as_str().unwrap();
    let late = h.at(expiry + Duration::seconds(1), CHECKER, "GET", &format!("/approvals/{id}"), None).await.1;
    assert_eq!(late["status"], "expired");
    assert_eq!(h.at(expiry + Duration::seconds(1), CHECKER, "GET", "/approvals", None).await.1, json!([]));
    assert_eq!(h.consumed(FABRIKAM).await, before);

    let race = futures_join_all([
        approve(&h, expiry + Duration::seconds(1), CHECKER, &approval["id"]),
        approve(&h, expiry, CHECKER, &approval["id"]),
    ])
    .await;
    assert_eq!(race[1].0, 200, "in time: {}", race[1].1);
    assert_eq!(race[1].1["status"], "approved");
    assert!(matches!(race[0].1["code"].as_str(), Some("approvalExpired" | "approvalClosed")), "late: {}", race[0].1);
    let counted = amount(&session["quote"]["policyResult"]["countedTowardLimit"]);
    assert_eq!(h.consumed(FABRIKAM).await, before + counted, "moved once");
    assert_eq!(units(&h, &r).await, r["quantity"].as_u64().unwrap() - 1);
}

/// Two requests quoted on the same headroom of the customer nearest the limit, each fitting
/// alone, together not: once one is approved, the other's approval finds the limit as it stands
/// now and is refused (`policyRefused`); nothing more moves, and the limit holds.
pub async fn the_limit_is_checked_again_when_a_request_is_approved<S: crate::DeskStore>(h: Harness<S>) {
    let h = with_threshold(h, "0.00", 168);
    let headroom = Decimal::from(50_000) - h.consumed(CONTOSO).await;
    let mut pair = None;
    'find: for r in h.active(CONTOSO).await {
        for q in 1..=r["quantity"].as_u64().unwrap() / 2 {
            let (_, calc) = h.calculate_at(noon(), &r, q).await;
            let counted = amount(&calc["quote"]["policyResult"]["countedTowardLimit"]);
            if calc["quote"]["policyResult"]["policyErrors"] == json!([]) && counted + counted > headroom {
                pair = Some((r.clone(), q));
                break 'find;
            }
        }
    }
    let (r, q) = pair.expect("CONTOSO has a reservation two of whose equal returns each fit the headroom, not both");
    let (_, first) = h.calculate_at(noon(), &r, q).await;
    let (_, second) = h.calculate_at(noon(), &r, q).await;
    let (_, a) = submit_as(&h, noon(), MAKER, &r, &first["sessionId"]).await;
    let (_, b) = submit_as(&h, noon(), MAKER, &r, &second["sessionId"]).await;
    assert_eq!((a["status"].as_str(), b["status"].as_str()), (Some("pending"), Some("pending")));
    assert_eq!(approve(&h, noon(), CHECKER, &a["id"]).await.0, 200);
    let after_first = h.consumed(CONTOSO).await;
    let (status, problem) = approve(&h, noon(), CHECKER, &b["id"]).await;
    assert_eq!((status, problem["code"].as_str()), (409, Some("policyRefused")), "{problem}");
    assert_eq!(h.consumed(CONTOSO).await, after_first, "nothing more counted");
    assert!(h.consumed(CONTOSO).await <= Decimal::from(50_000), "the limit holds");
    assert_eq!(units(&h, &r).await, r["quantity"].as_u64().unwrap() - q);
    let id = b["id"].as_str().unwrap();
    assert_eq!(h.get(&format!("/approvals/{id}")).await["status"], "pending", "still waiting: it may be rejected");
}

/// Approved a day later, the desk's own quote has another amount: the request needs approval
/// again with both figures and nothing moves; approved again, the new amount moves.
pub async fn a_changed_amount_needs_approval_again_with_both_figures<S: crate::DeskStore>(h: Harness<S>) {
    let h = with_threshold(h, "0.00", 168);
    let before = h.consumed(FABRIKAM).await;
    let (r, _session, approval) = requested(&h).await;
    let tomorrow = noon() + Duration::days(1);
    let (status, again) = approve(&h, tomorrow, CHECKER, &approval["id"]).await;
    assert_eq!(status, 200, "{again}");
    assert_eq!(again["status"], "needsApprovalAgain");
    assert_eq!(again["previousAmount"], approval["amount"]);
    assert_ne!(again["amount"], approval["amount"], "a day later the refund is another amount");
    assert_eq!(again["amount"], again["refundQuote"]["refundAmount"]);
    assert_eq!(h.consumed(FABRIKAM).await, before, "nothing moved");
    assert_eq!(h.at(tomorrow, CHECKER, "GET", "/approvals", None).await.1, json!([again]), "still waiting");
    assert_eq!(h.last_audit(FABRIKAM).await["action"], "approvalNeedsApprovalAgain");
    let (status, problem) = approve(&h, tomorrow, MAKER, &approval["id"]).await;
    assert_eq!((status, problem["code"].as_str()), (403, Some("ownApproval")));
    let (status, done) = approve(&h, tomorrow, CHECKER, &approval["id"]).await;
    assert_eq!((status, done["status"].as_str()), (200, Some("approved")), "{done}");
    assert_eq!(done["refund"]["quote"]["refundAmount"], again["amount"], "the new amount moved");
    assert_eq!(units(&h, &r).await, r["quantity"].as_u64().unwrap() - 1);
}

/// A rejection needs a reason (400 `required`); it moves nothing, closes the request (approving
/// it is a 409), and the log names both people.
pub async fn a_rejection_with_a_reason_moves_nothing<S: crate::DeskStore>(h: Harness<S>) {
    let h = with_threshold(h, "0.00", 168);
    let before = h.consumed(FABRIKAM).await;
    let (r, session, approval) = requested(&h).await;
    let path = format!("/approvals/{}/reject", approval["id"].as_str().unwrap());
    let (status, problem) = h.at(noon(), CHECKER, "POST", &path, Some(json!({ "reason": "  " }))).await;
    assert_eq!((status, problem["code"].as_str(), problem["field"].as_str()), (400, Some("required"), Some("reason")));
    let (status, rejected) = h.at(noon(), CHECKER, "POST", &path, Some(json!({ "reason": "Customer still uses it" }))).await;
    assert_eq!(status, 200, "{rejected}");
    assert_eq!((rejected["status"].as_str(), rejected["rejectionReason"].as_str()), (Some("rejected"), Some("Customer still uses it")));
    assert_eq!(approve(&h, noon(), CHECKER, &approval["id"]).await.1["code"], "approvalClosed");
    assert_eq!(h.consumed(FABRIKAM).await, before);
    assert_eq!(units(&h, &r).await, r["quantity"].as_u64().unwrap());
    let audit = h.last_audit(FABRIKAM).await;
    assert_eq!(audit["action"], "approvalRejected");
    let change = audit["change"].as_str().unwrap();
    assert!(change.contains("rejected by Gina Global") && change.contains("requested by Adam Agent"), "{change}");
    let (status, answer) = submit_as(&h, noon(), MAKER, &r, &session["sessionId"]).await;
    assert_eq!((status, answer["status"].as_str()), (202, Some("rejected")), "the session answers its request as it ended");
    assert_eq!(h.get("/approvals").await, json!([]));
}

/// An exchange whose refunds total is above the threshold waits too, and is carried out once on
/// another user's approval; a user granted other customers neither lists nor finds it.
pub async fn an_exchange_above_the_threshold_waits_and_is_carried_out_once_on_approval<S: crate::DeskStore>(h: Harness<S>) {
    let h = with_threshold(h, "0.00", 168);
    let r = h.active(FABRIKAM).await[0].clone();
    let request = h.exchange_request(&r, 1).await;
    let (status, calc) = h.at(noon(), MAKER, "POST", "/calculateExchange", Some(request)).await;
    assert_eq!(status, 200, "{calc}");
    // Review says it will wait, by the refunds total (the figure the threshold is compared with).
    assert_eq!(calc["approvalNeeded"]["figure"], calc["quote"]["refundsTotal"], "{calc}");
    assert_eq!(calc["approvalNeeded"]["threshold"]["amount"], "0.00");
    let count = h.get(&format!("/customers/{FABRIKAM}")).await["reservationCount"].as_u64().unwrap();
    let long = json!({ "sessionId": calc["sessionId"], "reason": "x".repeat(1001) });
    let (status, problem) = h.at(noon(), MAKER, "POST", "/exchange", Some(long)).await;
    assert_eq!((status, problem["code"].as_str(), problem["field"].as_str()), (400, Some("tooLong"), Some("reason")), "{problem}");
    let body = json!({ "sessionId": calc["sessionId"], "reason": "  Moving the workload to D-series v5  " });
    let (status, approval) = h.at(noon(), MAKER, "POST", "/exchange", Some(body.clone())).await;
    assert_eq!((status, approval["kind"].as_str()), (202, Some("exchange")), "{approval}");
    assert_eq!(approval["amount"], calc["quote"]["refundsTotal"]);
    assert_eq!(approval["exchangeQuote"]["netPayable"], calc["quote"]["netPayable"], "both figures of the exchange");
    assert_eq!(approval["reservationIds"], json!([r["id"]]));
    let returns = json!([{ "reservationOrderId": r["reservationOrderId"], "reservationId": r["id"], "displayName": r["displayName"], "quantity": 1 }]);
    assert_eq!(approval["returns"], returns);
    assert_eq!(approval["returnReason"], "Moving the workload to D-series v5", "kept trimmed");
    // As stored: read back, and in the open list.
    let id = approval["id"].as_str().unwrap();
    assert_eq!(h.get(&format!("/approvals/{id}")).await, approval);
    assert_eq!(h.get("/approvals").await, json!([approval]));
    assert_eq!(h.get(&format!("/customers/{FABRIKAM}")).await["reservationCount"].as_u64().unwrap(), count, "nothing bought");
    let elsewhere = super::member("olga", contract::PartnerRole::AdminAgent, &["11111111-2222-3333-4444-555555555555"]);
    let grant = json!({ "groupId": "11111111-2222-3333-4444-555555555555", "customerId": CONTOSO, "role": "AdminAgent" });
    assert_eq!(h.call("POST", "/grants", Some(grant)).await.0, 201);
    assert_eq!(h.as_user(noon(), elsewhere.clone(), "GET", "/approvals", None).await.1, json!([]), "not the granted customer's");
    assert_eq!(h.as_user(noon(), elsewhere.clone(), "GET", &format!("/approvals/{id}"), None).await.0, 404);
    assert_eq!(h.as_user(noon(), elsewhere, "POST", &format!("/approvals/{id}/approve"), None).await.0, 404);
    let results = futures_join_all((0..8).map(|_| approve(&h, noon(), CHECKER, &approval["id"]))).await;
    assert_eq!(results.iter().filter(|(status, _)| *status == 200).count(), 1, "{results:?}");
    let done = &results.iter().find(|(status, _)| *status == 200).unwrap().1;
    assert_eq!(done["exchange"]["purchased"].as_array().map(Vec::len), Some(1), "{done}");
    assert_eq!(h.get(&format!("/customers/{FABRIKAM}")).await["reservationCount"].as_u64().unwrap(), count + 1, "bought once");
    let (status, again) = h.at(noon(), MAKER, "POST", "/exchange", Some(body)).await;
    assert_eq!((status, &again), (200, &done["exchange"]));
}

/// What an approver is shown before approving: an exchange's request keeps each reservation it
/// buys as asked, its scope named as the customer's own scopes name it (a client's name is not
/// needed); a customer billed in euros has each move's USD figure (the one compared with the
/// threshold) beside the euros, on the request and in Review's `approvalNeeded`.
pub async fn an_approval_keeps_what_it_buys_and_a_euro_move_its_usd_figure<S: crate::DeskStore>(h: Harness<S>) {
    let h = with_threshold(h, "0.00", 168);
    let r = h.active(FABRIKAM).await[0].clone();
    let mut request = h.exchange_request(&r, 2).await;
    let scopes = h.get(&format!("/customers/{FABRIKAM}/scopes")).await;
    let single = scopes.as_array().unwrap().iter().find(|s| s["appliedScopeType"] == "Single").expect("a single scope").clone();
    let mut target = single["appliedScopeProperties"].clone();
    target.as_object_mut().unwrap().remove("displayName");
    let line = &mut request["reservationsToPurchase"][0];
    line["appliedScopeType"] = json!("Single");
    line["appliedScopeProperties"] = target;
    line["displayName"] = json!("Cluster D4s");
    line["renew"] = json!(true);
    let (status, calc) = h.at(noon(), MAKER, "POST", "/calculateExchange", Some(request.clone())).await;
    assert_eq!(status, 200, "{calc}");
    assert!(calc["approvalNeeded"].get("billed").is_none(), "billed in USD: one figure: {calc}");
    let (status, approval) = h.at(noon(), MAKER, "POST", "/exchange", Some(json!({ "sessionId": calc["sessionId"] }))).await;
    assert_eq!(status, 202, "{approval}");
    let bought = &approval["reservationsToPurchase"][0];
    assert_eq!(bought["skuId"], request["reservationsToPurchase"][0]["skuId"]);
    assert_eq!((bought["quantity"].as_u64(), bought["term"].as_str(), bought["billingPlan"].as_str()), (Some(2), Some("P3Y"), Some("Upfront")));
    assert_eq!(bought["appliedScopeProperties"], single["appliedScopeProperties"], "the scope with its name");
    assert_eq!((bought["displayName"].as_str(), bought["renew"].as_bool()), (Some("Cluster D4s"), Some(true)));
    assert_eq!(approval["amountUsd"], calc["quote"]["refundsTotal"], "in USD the figure is the refunds total");
    let id = approval["id"].as_str().unwrap();
    assert_eq!(h.get(&format!("/approvals/{id}")).await, approval, "as stored");

    // Woodgrove Bank is billed in euros.
    let woodgrove = contract::seed::CUSTOMERS[4].0;
    let w = h.active(woodgrove).await;
    let (status, session) = h.calculate_at(noon(), &w[0], 1).await;
    assert_eq!(status, 200, "{session}");
    assert_eq!(session["quote"]["refundAmount"]["currencyCode"], "EUR");
    // The money moved in USD at the order's own rate (its USD price over its euro price), as a
    // dollar customer's refund is compared by the money it moves: not what it counts toward
    // the refund limit.
    let usd = &session["quote"]["refundAmountUsd"];
    assert_eq!(usd["currencyCode"], "USD", "{session}");
    let at_rate = amount(&session["quote"]["refundAmount"]) * amount(&w[0]["pricingUnitPrice"]) / amount(&w[0]["unitPrice"]);
    assert_eq!(amount(usd), at_rate.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointNearestEven));
    assert_eq!(session["approvalNeeded"]["figure"], *usd, "the USD figure compared");
    assert_eq!(session["approvalNeeded"]["billed"], session["quote"]["refundAmount"], "beside the euros");
    let (status, refund) = submit_as(&h, noon(), MAKER, &w[0], &session["sessionId"]).await;
    assert_eq!(status, 202, "{refund}");
    assert_eq!(refund["amount"], session["quote"]["refundAmount"]);
    assert_eq!(refund["amountUsd"], *usd);

    // A euro exchange: compared by its refunds total at the returns' USD prices.
    let request = h.exchange_request(&w[1], 1).await;
    let (status, calc) = h.at(noon(), MAKER, "POST", "/calculateExchange", Some(request)).await;
    assert_eq!(status, 200, "{calc}");
    let usd = &calc["quote"]["refundsTotalUsd"];
    assert_eq!(usd["currencyCode"], "USD", "{calc}");
    assert_eq!((&calc["approvalNeeded"]["figure"], &calc["approvalNeeded"]["billed"]), (usd, &calc["quote"]["refundsTotal"]));
    let (status, exchange) = h.at(noon(), MAKER, "POST", "/exchange", Some(json!({ "sessionId": calc["sessionId"] }))).await;
    assert_eq!(status, 202, "{exchange}");
    assert_eq!((&exchange["amount"], &exchange["amountUsd"]), (&calc["quote"]["refundsTotal"], usd));

    // A euro purchase: its commitment in euros beside the USD commitment compared.
    let buy = json!({ "customerId": woodgrove, "purchase": {
        "skuId": "Standard_D4s_v5/westeurope", "term": "P1Y", "billingPlan": "Upfront", "quantity": 1, "appliedScopeType": "Shared"
    } });
    let (status, quoted) = h.at(noon(), MAKER, "POST", "/calculatePurchase", Some(buy.clone())).await;
    assert_eq!(status, 200, "{quoted}");
    assert_eq!(quoted["quote"]["commitment"]["currencyCode"], "EUR");
    assert_eq!((&quoted["approvalNeeded"]["figure"], &quoted["approvalNeeded"]["billed"]), (&quoted["commitmentUsd"], &quoted["quote"]["commitment"]));
    let (status, purchase) = h.at(noon(), MAKER, "POST", "/purchase", Some(json!({ "sessionId": quoted["sessionId"] }))).await;
    assert_eq!(status, 202, "{purchase}");
    assert_eq!(purchase["amountUsd"], quoted["commitmentUsd"]);
    assert_eq!(purchase["purchaseRequest"], buy["purchase"]);
}

/// One threshold rule for every currency: a euro refund and a dollar refund are each compared by
/// the money they move in USD (the euros at their order's own rate), so under a threshold above
/// both refunds and below what each counts toward the refund limit, neither waits; under one
/// below both, both wait, each told the USD figure compared.
pub async fn a_euro_refund_and_a_dollar_refund_are_held_by_the_same_rule<S: crate::DeskStore>(h: Harness<S>) {
    let woodgrove = contract::seed::CUSTOMERS[4].0;
    // Each customer's refund of one unit whose money moved is furthest below what it counts
    // toward the limit (a reservation repriced lower today: refunded at today's price, its
    // canceled commitment counted at the price paid).
    let mut picked = Vec::new();
    for (customer, currency) in [(woodgrove, "EUR"), (FABRIKAM, "USD")] {
        let mut best: Option<(Decimal, Value, Value)> = None;
        for r in h.active(customer).await {
            assert_eq!(r["unitPrice"]["currencyCode"], currency);
            let (status, q) = h.calculate_at(noon(), &r, 1).await;
            if status != 200 || !q["quote"]["policyResult"]["policyErrors"].as_array().is_some_and(Vec::is_empty) {
                continue;
            }
            let moved = amount(if currency == "USD" { &q["quote"]["refundAmount"] } else { &q["quote"]["refundAmountUsd"] });
            let gap = amount(&q["quote"]["policyResult"]["countedTowardLimit"]) - moved;
            if best.as_ref().is_none_or(|(g, ..)| gap > *g) {
                best = Some((gap, r, q));
            }
        }
        picked.push(best.expect("a refundable reservation"));
    }
    let moved = |q: &Value| amount(q["quote"].get("refundAmountUsd").unwrap_or(&q["quote"]["refundAmount"]));
    let counted = |q: &Value| amount(&q["quote"]["policyResult"]["countedTowardLimit"]);
    let threshold = picked.iter().map(|(_, _, q)| moved(q)).max().unwrap() + Decimal::ONE;
    assert!(picked.iter().all(|(_, _, q)| counted(q) > threshold), "each counts more toward the limit than it moves: {picked:?}");
    let h = with_threshold(h, &threshold.to_string(), 168);
    for (_, r, _) in &picked {
        let (_, session) = h.calculate_at(noon(), r, 1).await;
        assert!(session.get("approvalNeeded").is_none(), "the money moved is below the threshold in USD: no wait: {session}");
        let (status, done) = submit_as(&h, noon(), MAKER, r, &session["sessionId"]).await;
        assert_eq!(status, 200, "{done}");
    }
    let h = with_threshold(h, "0.00", 168);
    for (_, r, _) in &picked {
        let (_, q) = h.calculate_at(noon(), r, 1).await;
        assert_eq!(amount(&q["approvalNeeded"]["figure"]), moved(&q), "the figure compared is the money moved in USD: {q}");
        assert_eq!(q["approvalNeeded"]["figure"]["currencyCode"], "USD");
    }
}

/// The requester is told each outcome ("the requester is told the outcome"): a
/// pending request alerts no one; a rejection, an approval and an expiry each queue one
/// `approvalOutcome` alert keyed by the request and its status, for the requester (at their
/// sign-in name) and the desk-wide e-mail, which senders racing each other claim once and no
/// later pass claims again; its text names the amount, who decided and the reason, and links
/// to the reservation.
pub async fn a_decided_approval_alerts_its_requester_once_and_a_pending_one_does_not<S: crate::DeskStore>(h: Harness<S>) {
    let recipients = crate::desk::Recipients { emails: vec!["ops@example.com".into()], webhook: false, email: true };
    let h = with_threshold(h, "0.00", 168);
    let h = Harness { desk: h.desk.with_alert_recipients(recipients) };
    let claim_all = |at: chrono::DateTime<chrono::Utc>| {
        let h = &h;
        async move {
            let runs = futures_join_all((0..4).map(|_| h.desk.claim_alert_retries(at))).await;
            let claimed: Vec<crate::desk::Claimed> = runs.into_iter().flat_map(|r| r.unwrap()).collect();
            for c in &claimed {
                h.desk.alert_sent(c, at).await.unwrap();
            }
            claimed
        }
    };

    let (r, _, pending) = requested(&h).await;
    assert!(claim_all(noon()).await.is_empty(), "a pending request alerts no one");
    let id = pending["id"].as_str().unwrap();
    let path = format!("/approvals/{id}/reject");
    let (status, rejected) = h.at(noon(), CHECKER, "POST", &path, Some(json!({ "reason": "Customer still uses it" }))).await;
    assert_eq!(status, 200, "{rejected}");
    let claimed = claim_all(noon()).await;
    let mut to: Vec<&str> = claimed.iter().map(|c| c.recipient.as_str()).collect();
    to.sort();
    let requester = crate::desk::mailto(&demo_user(MAKER).unwrap().user_principal_name);
    assert_eq!(to, [requester.as_str(), "mailto:ops@example.com"], "the requester and the desk-wide e-mail, once each");
    let alert = &claimed[0].alert;
    assert_eq!(alert.key, format!("approvalOutcome/{id}/rejected"));
    assert_eq!(alert.link, format!("/customers/{FABRIKAM}/reservations/{}", r["id"].as_str().unwrap()));
    assert_eq!(alert.action, contract::AlertAction::Review);
    let text = desk_service::alerts::sentence(alert, "Fabrikam");
    let amount = format!("{} USD", pending["amount"]["amount"].as_str().unwrap());
    assert!(text.contains(&amount) && text.contains(id), "{text}");
    assert!(text.contains("was rejected by Gina Global (gina.admin@partner.example): Customer still uses it. Nothing moved."), "{text}");
    assert!(claim_all(noon() + Duration::hours(1)).await.is_empty(), "sent once");

    let (_, _, second) = requested(&h).await;
    let (status, approved) = approve(&h, noon(), CHECKER, &second["id"]).await;
    assert_eq!((status, approved["status"].as_str()), (200, Some("approved")), "{approved}");
    let claimed = claim_all(noon()).await;
    assert_eq!(claimed.len(), 2, "{claimed:?}");
    let text = desk_service::alerts::sentence(&claimed[0].alert, "Fabrikam");
    assert_eq!(claimed[0].alert.key, format!("approvalOutcome/{}/approved", second["id"].as_str().unwrap()));
    assert!(text.contains("was approved by Gina Global (gina.admin@partner.example) and carried out."), "{text}");

    let (_, _, third) = requested(&h).await;
    assert!(claim_all(noon() + Duration::days(6)).await.is_empty(), "still pending before its expiry");
    let claimed = claim_all(noon() + Duration::days(8)).await;
    assert_eq!(claimed.len(), 2, "{claimed:?}");
    assert_eq!(claimed[0].alert.key, format!("approvalOutcome/{}/expired", third["id"].as_str().unwrap()));
    assert!(desk_service::alerts::sentence(&claimed[0].alert, "Fabrikam").contains("expired without a decision"));
    assert!(claim_all(noon() + Duration::days(9)).await.is_empty(), "an expiry is told once");
    let (_, _, _fourth) = requested(&h).await;
    let late = noon() + Duration::days(7 + crate::desk::EXPIRY_TOLD_DAYS + 1);
    assert!(claim_all(late).await.is_empty(), "an expiry first seen more than 30 days late is not queued on every pass");
}
