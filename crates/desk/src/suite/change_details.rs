//! The suite's cases for what a change records as figures (`detail`) beside its English line:
//! every audit entry and History row the console shows carries the kind of change, the units,
//! the quantities before and after and the amounts as money, so the console writes each row in
//! the user's language; an approved move names who asked and who approved; a purchase, an
//! exchange and a trade-in say what they bought.

use chrono::Duration;
use contract::Settings;
use desk_service::access::demo_user;
use quote_engine::{Currency, Money};
use rust_decimal::Decimal;
use serde_json::{json, Value};

use super::{amount, noon, Harness, FABRIKAM};

/// The requester (an Admin agent) and the approver (the Global admin).
const MAKER: &str = "demo-admin-agent";
const CHECKER: &str = "demo-global-admin";

fn upn(token: &str) -> String {
    demo_user(token).expect("a demo user").user_principal_name
}

/// `GET …/revisions` of `r`.
async fn revisions<S: crate::DeskStore>(h: &Harness<S>, r: &Value) -> Vec<Value> {
    let path = format!("/reservationOrders/{}/reservations/{}/revisions", r["reservationOrderId"].as_str().unwrap(), r["id"].as_str().unwrap());
    h.get(&path).await.as_array().expect("a list").clone()
}

/// The audit log of FABRIKAM, newest first.
async fn audit<S: crate::DeskStore>(h: &Harness<S>) -> Vec<Value> {
    h.get(&format!("/audit?customerId={FABRIKAM}")).await.as_array().expect("a list").clone()
}

/// The newest entry of `action` in `entries`.
fn newest<'a>(entries: &'a [Value], action: &str) -> &'a Value {
    entries.iter().find(|e| e["action"] == action).unwrap_or_else(|| panic!("an entry {action}: {entries:?}"))
}

/// Every change the console can show records its figures: a refund (units before and after, the
/// refund as money), a configuration change setting by setting, a role assigned and removed, a
/// support request, a split, a merge, an archive and its undoing, a grant and its removal; the
/// audit log has no entry without them (the ledger's baseline too), and the reservation's History
/// says what was bought (not that nothing changed since) before its refund's row.
pub async fn every_audit_entry_and_history_row_records_its_figures<S: crate::DeskStore>(h: Harness<S>) {
    let r = h.active(FABRIKAM).await.into_iter().find(|r| r["quantity"].as_u64().unwrap_or(0) >= 3).expect("a reservation of three or more units");
    let quantity = r["quantity"].as_u64().unwrap();
    let order = r["reservationOrderId"].as_str().unwrap().to_owned();
    let base = format!("/reservationOrders/{order}/reservations/{}", r["id"].as_str().unwrap());

    // A refund of one unit.
    let (_, session) = h.calculate_at(noon(), &r, 1).await;
    let (status, done) = h.submit_at(noon(), &r, &session["sessionId"]).await;
    assert_eq!(status, 200, "{done}");
    let entries = audit(&h).await;
    let refund = &newest(&entries, "refund")["detail"];
    assert_eq!(refund["kind"], "refund", "{refund}");
    assert_eq!(refund["units"], json!({ "quantityBefore": quantity, "quantityAfter": quantity - 1 }));
    assert_eq!(refund["refund"], session["quote"]["refundAmount"], "the refund as money, exactly");
    assert!(refund.get("approval").is_none(), "no approval: {refund}");
    let history = revisions(&h, &r).await;
    assert_eq!(history[0]["action"], "refund");
    // The audit entry also records the statement's line (History's row leaves it out).
    assert_eq!(refund["statement"][0]["kind"], "refund", "{refund}");
    let mut figures = refund.clone();
    figures.as_object_mut().unwrap().remove("statement");
    assert_eq!(history[0]["detail"], figures, "History's row has the audit entry's figures");
    let bought = history.last().expect("the purchase row");
    assert_eq!(bought["action"], "purchase");
    assert!(!bought["change"].as_str().unwrap().contains("No change"), "a purchase row says what was bought: {bought}");
    assert_eq!(bought["detail"]["kind"], "purchase", "{bought}");
    assert_eq!(
        bought["detail"]["bought"],
        json!({ "quantity": quantity, "skuName": r["skuName"], "location": r["location"], "term": r["term"] }),
        "the units bought, before the refund: {bought}"
    );

    // Name and renewal.
    let renew = r["renew"].as_bool().unwrap_or(false);
    let (status, _) = h.call("PATCH", &base, Some(json!({ "displayName": "Renamed for History", "renew": !renew }))).await;
    assert_eq!(status, 200);
    let entries = audit(&h).await;
    let changed = &newest(&entries, "changeReservation")["detail"];
    assert_eq!(
        changed,
        &json!({ "kind": "configuration", "changes": [
            { "setting": "name", "from": r["displayName"], "to": "Renamed for History" },
            { "setting": "renew", "from": renew, "to": !renew }
        ]}),
        "{changed}"
    );
    let history = revisions(&h, &r).await;
    assert_eq!(history.iter().find(|v| v["action"] == "changeReservation").unwrap()["detail"], *changed);
    assert_eq!(history.iter().find(|v| v["action"] == "before").unwrap()["detail"], json!({ "kind": "before" }));

    // A role assigned and removed; a support request.
    let roles = format!("/reservationOrders/{order}/roleAssignments");
    let (status, created) = h.call("POST", &roles, Some(json!({ "principalName": "ops@fabrikam.example", "principalType": "User", "role": "Reader" }))).await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(h.last_audit(FABRIKAM).await["detail"], json!({ "kind": "roleAssigned", "principalName": "ops@fabrikam.example", "role": "Reader" }));
    assert_eq!(h.call("DELETE", &format!("{roles}/{}", created["id"].as_str().unwrap()), None).await.0, 204);
    assert_eq!(h.last_audit(FABRIKAM).await["detail"], json!({ "kind": "roleRemoved" }));
    let request = json!({
        "summary": "Refund question", "details": "Asked by the suite.", "reservationId": r["id"], "reservationOrderId": order,
        "contact": { "preferredContactMethod": "Email", "name": "Ops", "email": "ops@fabrikam.example", "phone": "", "language": "en", "timeZone": "UTC" }
    });
    assert_eq!(h.call("POST", "/supportRequests", Some(request)).await.0, 201);
    assert_eq!(h.last_audit(FABRIKAM).await["detail"], json!({ "kind": "supportRequest", "summary": "Refund question" }));

    // Split, merge, archive and unarchive.
    let left = quantity - 1;
    let (status, split) = h.call("POST", &format!("/reservationOrders/{order}/split"), Some(json!({ "reservationId": r["id"], "quantities": [1, left - 1] }))).await;
    assert_eq!(status, 200, "{split}");
    assert_eq!(h.last_audit(FABRIKAM).await["detail"], json!({ "kind": "split", "quantity": left, "parts": [1, left - 1] }));
    let part = revisions(&h, &split[1]).await;
    assert_eq!(part[0]["detail"], json!({ "kind": "splitFrom", "quantity": 1, "of": left }), "the part's first row");
    let (status, _) = h.call("POST", &format!("/reservationOrders/{order}/merge"), Some(json!({ "sources": [split[1]["id"], split[2]["id"]] }))).await;
    assert_eq!(status, 200);
    assert_eq!(h.last_audit(FABRIKAM).await["detail"], json!({ "kind": "merge", "sources": 2, "quantity": left }));
    assert_eq!(h.call("POST", &format!("{base}/archive"), None).await.0, 200);
    assert_eq!(h.last_audit(FABRIKAM).await["detail"], json!({ "kind": "archive", "archived": true }));
    assert_eq!(h.call("POST", &format!("{base}/unarchive"), None).await.0, 200);
    assert_eq!(h.last_audit(FABRIKAM).await["detail"], json!({ "kind": "archive", "archived": false }));

    // A grant and its removal name the role and the customer by name.
    let group = "7a1c9e20-3b4d-4c5e-8f60-71829304a5b6";
    let (status, grant) = h.call("POST", "/grants", Some(json!({ "groupId": group, "customerId": FABRIKAM, "role": "HelpdeskAgent" }))).await;
    assert_eq!(status, 201, "{grant}");
    let name = h.get(&format!("/customers/{FABRIKAM}")).await["name"].clone();
    let granted = json!({ "kind": "grant", "granted": true, "groupId": group, "role": "HelpdeskAgent", "customerName": name });
    assert_eq!(h.last_audit(FABRIKAM).await["detail"], granted);
    assert_eq!(h.call("DELETE", &format!("/grants/{}", grant["id"].as_str().unwrap()), None).await.0, 204);
    let removed = json!({ "kind": "grant", "granted": false, "groupId": group, "role": "HelpdeskAgent", "customerName": name });
    assert_eq!(h.last_audit(FABRIKAM).await["detail"], removed);

    // Nothing in the log (the seed's ledger baseline included) is without its figures.
    let all = h.get("/audit").await;
    for entry in all.as_array().unwrap() {
        assert!(entry["detail"]["kind"].is_string(), "an entry without its figures: {entry}");
    }
    assert_eq!(h.get("/audit/verify").await["intact"], true, "the figures are inside the chain, intact");
}

/// Above the threshold the Admin agent asks, the Global admin approves: the refund's audit entry
/// and its History row name both (asked by, approved by), as do the approval's own entries.
pub async fn an_approved_refund_names_who_asked_and_who_approved<S: crate::DeskStore>(h: Harness<S>) {
    let threshold = Money::new(Decimal::ZERO, Currency::USD);
    let h = Harness { desk: h.desk.with_settings(Settings { approval_threshold: Some(threshold), ..Settings::default() }) };
    let r = h.active(FABRIKAM).await[0].clone();
    let (_, session) = h.calculate_at(noon(), &r, 1).await;
    let path = format!("/reservationOrders/{}/return", r["reservationOrderId"].as_str().unwrap());
    let (status, approval) = h.at(noon(), MAKER, "POST", &path, Some(json!({ "sessionId": session["sessionId"], "returnReason": "Over-bought" }))).await;
    assert_eq!(status, 202, "{approval}");
    let asked = h.last_audit(FABRIKAM).await;
    assert_eq!(asked["detail"]["kind"], "approvalRequested", "{asked}");
    assert_eq!((&asked["detail"]["of"], &asked["detail"]["amount"]), (&json!("refund"), &session["quote"]["refundAmount"]));
    assert_eq!(asked["detail"]["requestedBy"]["userPrincipalName"], upn(MAKER));

    let later = noon() + Duration::minutes(5);
    let (status, approved) = h.at(later, CHECKER, "POST", &format!("/approvals/{}/approve", approval["id"].as_str().unwrap()), None).await;
    assert_eq!((status, approved["status"].as_str()), (200, Some("approved")), "{approved}");
    let both = json!({ "requestedBy": approved["requestedBy"], "approvedBy": approved["decidedBy"] });
    assert_eq!(both["requestedBy"]["userPrincipalName"], upn(MAKER));
    assert_eq!(both["approvedBy"]["userPrincipalName"], upn(CHECKER));
    let entries = audit(&h).await;
    let refund = newest(&entries, "refund");
    assert_eq!(refund["detail"]["approval"], both, "the refund's entry names asker and approver: {refund}");
    let decided = newest(&entries, "approvalApproved");
    assert_eq!((&decided["detail"]["requestedBy"], &decided["detail"]["approvedBy"]), (&both["requestedBy"], &both["approvedBy"]), "{decided}");
    let row = revisions(&h, &r).await.into_iter().find(|v| v["action"] == "refund").expect("the refund's History row");
    assert_eq!(row["detail"]["approval"], both, "History names asker and approver, not only the approver: {row}");
    assert_eq!(amount(&row["detail"]["refund"]), amount(&session["quote"]["refundAmount"]));
}

/// An exchange says what it bought (SKU, region, term, units) in its audit entry and in the
/// returned reservation's History row, with the units returned and the net payable as money;
/// a trade-in names its savings plan's hourly commitment and term.
pub async fn an_exchange_and_a_trade_in_record_what_they_bought<S: crate::DeskStore>(h: Harness<S>) {
    let r = h.active(FABRIKAM).await.into_iter().find(|r| r["quantity"].as_u64().unwrap_or(0) >= 2).expect("two or more units");
    let quantity = r["quantity"].as_u64().unwrap();
    let (status, calc) = h.call("POST", "/calculateExchange", Some(h.exchange_request(&r, 2).await)).await;
    assert_eq!(status, 200, "{calc}");
    let (status, done) = h.call("POST", "/exchange", Some(json!({ "sessionId": calc["sessionId"] }))).await;
    assert_eq!(status, 200, "{done}");
    let new = &done["purchased"][0];
    let bought = json!([{ "quantity": 2, "skuName": new["skuName"], "location": new["location"], "term": "P3Y" }]);
    let entry = h.last_audit(FABRIKAM).await;
    assert_eq!(entry["detail"]["kind"], "exchange", "{entry}");
    assert_eq!(entry["detail"]["bought"], bought, "{entry}");
    assert_eq!(entry["detail"]["returned"], json!([{ "quantityBefore": quantity, "quantityAfter": quantity - 1 }]));
    assert_eq!(entry["detail"]["netPayable"], done["quote"]["netPayable"]);
    let row = revisions(&h, &r).await.into_iter().find(|v| v["action"] == "exchange").expect("the exchange's History row");
    assert_eq!(row["detail"]["bought"], bought, "History says what the exchange bought: {row}");
    assert_eq!(row["detail"]["returned"], json!([{ "quantityBefore": quantity, "quantityAfter": quantity - 1 }]));

    // A trade-in of every unit of a VM reservation (the latest to expire, of any customer) for a
    // compute savings plan at the least hourly commitment.
    let mut vms = Vec::new();
    for c in h.get("/customers").await.as_array().expect("a list") {
        vms.extend(h.active(c["id"].as_str().unwrap()).await.into_iter().filter(|x| x["reservedResourceType"] == "VirtualMachines" && x["id"] != r["id"]));
    }
    vms.sort_by_key(|x| std::cmp::Reverse(x["expiryDate"].as_str().unwrap_or_default().to_owned()));
    let vm = vms.into_iter().next().expect("an active VM reservation");
    let customer = vm["customerId"].as_str().unwrap().to_owned();
    let trade = |hourly: &str| json!({
        "reservationsToExchange": [{ "reservationId": vm["id"], "quantity": vm["quantity"] }],
        "reservationsToPurchase": [],
        "savingsPlansToPurchase": [{
            "skuName": "Compute_Savings_Plan", "term": "P1Y", "billingPlan": "Upfront",
            "hourlyCommitment": { "amount": hourly, "currencyCode": vm["unitPrice"]["currencyCode"] },
            "appliedScopeType": "Shared", "displayName": "compute plan"
        }]
    });
    let (status, probe) = h.call("POST", "/calculateExchange", Some(trade("0.01"))).await;
    assert_eq!(status, 200, "{probe}");
    let hourly = amount(&probe["quote"]["savingsPlans"][0]["minimumHourlyCommitment"]).to_string();
    let (status, calc) = h.call("POST", "/calculateExchange", Some(trade(&hourly))).await;
    assert_eq!((status, &calc["quote"]["isValidExchange"]), (200, &json!(true)), "{calc}");
    let (status, done) = h.call("POST", "/exchange", Some(json!({ "sessionId": calc["sessionId"] }))).await;
    assert_eq!(status, 200, "{done}");
    let entry = h.last_audit(&customer).await;
    let plans = json!([{ "skuName": "Compute_Savings_Plan", "term": "P1Y", "hourlyCommitment": done["savingsPlans"][0]["commitment"].as_object().map(|c| json!({ "amount": c["amount"], "currencyCode": c["currencyCode"] })) }]);
    assert_eq!(entry["detail"]["savingsPlans"], plans, "{entry}");
    assert_eq!(amount(&entry["detail"]["savingsPlans"][0]["hourlyCommitment"]), amount(&json!(hourly)));
    let row = revisions(&h, &vm).await.into_iter().find(|v| v["action"] == "exchange").expect("the trade-in's History row");
    assert_eq!(row["detail"]["savingsPlans"], plans, "History says what the trade-in bought: {row}");
    assert_eq!(row["detail"]["returned"], json!([{ "quantityBefore": vm["quantity"], "quantityAfter": 0 }]));
}

/// A purchase records what it bought, the commitment and what was due, in its audit entry and in
/// the new reservation's first History row (with who bought it).
pub async fn a_purchase_records_what_it_bought_in_history_and_the_audit_log<S: crate::DeskStore>(h: Harness<S>) {
    let request = json!({
        "customerId": FABRIKAM,
        "purchase": {
            "skuId": "Standard_D2s_v5/westeurope", "term": "P3Y", "billingPlan": "Monthly", "quantity": 2,
            "appliedScopeType": "Shared", "displayName": "web tier", "renew": true
        },
        "onDemand": { "cost": { "amount": "240.00", "currencyCode": "USD" }, "days": 30, "quantity": 2 }
    });
    let (status, calc) = h.at(noon(), MAKER, "POST", "/calculatePurchase", Some(request)).await;
    assert_eq!(status, 200, "{calc}");
    let (status, done) = h.at(noon(), MAKER, "POST", "/purchase", Some(json!({ "sessionId": calc["sessionId"] }))).await;
    assert_eq!(status, 200, "{done}");
    let detail = json!({
        "kind": "purchase",
        "bought": { "quantity": 2, "skuName": "Standard_D2s_v5", "location": "westeurope", "term": "P3Y" },
        "commitment": calc["quote"]["commitment"],
        "dueToday": calc["quote"]["dueToday"]
    });
    let mut recorded = h.last_audit(FABRIKAM).await["detail"].clone();
    let statement = recorded.as_object_mut().unwrap().remove("statement").expect("the statement's line recorded with the purchase");
    assert_eq!((statement[0]["kind"].as_str(), statement[0]["billingPlan"].as_str(), &statement[0]["microsoft"]), (Some("purchase"), Some("Monthly"), &calc["quote"]["dueToday"]), "{statement}");
    assert_eq!(recorded, detail);
    let first = revisions(&h, &done["purchased"][0]).await;
    assert_eq!((first[0]["action"].as_str(), first[0]["actor"].as_str()), (Some("purchase"), Some(upn(MAKER).as_str())), "{first:?}");
    assert_eq!(first[0]["detail"], detail);
}
