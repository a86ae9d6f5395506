//! The suite's cases for the partner's change or ticket reference: required where the
//! deployment says so, one line of 1 to 64 characters, and carried by a refund, an exchange and
//! an approval request into the money move's audit entry, inside the hash chain, and into the
//! History of each reservation the move returned units of.

use contract::Settings;
use quote_engine::{Currency, Money};
use serde_json::{json, Value};

use super::{noon, Harness, FABRIKAM};

const MAKER: &str = "demo-admin-agent";
const CHECKER: &str = "demo-global-admin";

/// The harness's desk requiring a ticket reference, with an approval threshold of USD 0 when
/// `approvals` (every move then waits for a second person).
fn requiring<S: crate::DeskStore>(h: Harness<S>, approvals: bool) -> Harness<S> {
    let threshold = approvals.then(|| Money::new(0.into(), Currency::USD));
    let settings = Settings { require_ticket_reference: true, approval_threshold: threshold, ..Settings::default() };
    Harness { desk: h.desk.with_settings(settings) }
}

/// `return` of a fresh one-unit session of `r` as [`MAKER`], with `ticket` (absent when `None`).
async fn return_with<S: crate::DeskStore>(h: &Harness<S>, r: &Value, ticket: Option<&str>) -> (u16, Value) {
    let (status, session) = h.calculate_at(noon(), r, 1).await;
    assert_eq!(status, 200, "{session}");
    let mut body = json!({ "sessionId": session["sessionId"], "returnReason": "Over-bought" });
    if let Some(ticket) = ticket {
        body["ticketReference"] = json!(ticket);
    }
    let path = format!("/reservationOrders/{}/return", r["reservationOrderId"].as_str().expect("order"));
    h.at(noon(), MAKER, "POST", &path, Some(body)).await
}

/// Where the deployment requires one, a refund without a ticket reference (absent or blank) is a
/// 400 `ticketReferenceRequired` that moves nothing, a reference past 64 characters or on two
/// lines is refused naming the field, and one that fits is kept trimmed in the refund's audit
/// entry, which the chain covers; the settings say it is required.
pub async fn a_refund_carries_its_required_ticket_reference_into_the_audit_chain<S: crate::DeskStore>(h: Harness<S>) {
    let h = requiring(h, false);
    assert_eq!(h.get("/settings").await["requireTicketReference"], true);
    let r = h.active(FABRIKAM).await[0].clone();
    let before = h.consumed(FABRIKAM).await;
    for (ticket, code) in [
        (None, "ticketReferenceRequired"),
        (Some("   "), "ticketReferenceRequired"),
        (Some(&*"C".repeat(65)), "tooLong"),
        (Some("CHG-1\nCHG-2"), "controlCharacter"),
    ] {
        let (status, problem) = return_with(&h, &r, ticket).await;
        assert_eq!((status, problem["code"].as_str(), problem["field"].as_str()), (400, Some(code), Some("ticketReference")), "{ticket:?}: {problem}");
    }
    assert_eq!(h.consumed(FABRIKAM).await, before, "no refused return moved money");
    let (status, done) = return_with(&h, &r, Some("  CHG-4711  ")).await;
    assert_eq!(status, 200, "{done}");
    let audit = h.last_audit(FABRIKAM).await;
    assert_eq!((audit["action"].as_str(), audit["ticketReference"].as_str()), (Some("refund"), Some("CHG-4711")), "{audit}");
    let verified = h.get("/audit/verify").await;
    assert_eq!(verified["intact"], true, "{verified}");

    // The reservation's History: the refund, newest, with its ticket and the units it left,
    // above how it was bought.
    let history = h.get(&history_path(&r)).await;
    let rows = history.as_array().unwrap();
    let quantity = r["quantity"].as_u64().unwrap();
    assert_eq!(rows.len(), 2, "{history}");
    let refund = &rows[0];
    assert_eq!((refund["action"].as_str(), refund["ticketReference"].as_str(), refund["actor"].as_str()), (Some("refund"), Some("CHG-4711"), Some("adam.agent@partner.example")), "{refund}");
    assert_eq!(refund["reservation"]["quantity"].as_u64(), Some(quantity - 1));
    assert!(refund["change"].as_str().unwrap().starts_with(&format!("returned 1 unit: quantity {quantity} → {}", quantity - 1)), "{refund}");
    assert_eq!((rows[1]["action"].as_str(), rows[1]["reservation"]["quantity"].as_u64()), (Some("purchase"), Some(quantity)), "as bought: {history}");
}

/// The path of `r`'s History.
fn history_path(r: &Value) -> String {
    format!("/reservationOrders/{}/reservations/{}/revisions", r["reservationOrderId"].as_str().unwrap(), r["id"].as_str().unwrap())
}

/// Without the requirement a ticket reference is optional: a refund without one is audited
/// without one (the entry's JSON has no such member, as entries written before it existed).
pub async fn a_ticket_reference_is_optional_unless_the_deployment_requires_one<S: crate::DeskStore>(h: Harness<S>) {
    assert!(h.get("/settings").await.get("requireTicketReference").is_none(), "not required unless set");
    let r = h.active(FABRIKAM).await[0].clone();
    let (status, done) = return_with(&h, &r, None).await;
    assert_eq!(status, 200, "{done}");
    let audit = h.last_audit(FABRIKAM).await;
    assert_eq!(audit["action"], "refund");
    assert!(audit.get("ticketReference").is_none(), "{audit}");
}

/// An exchange carries its ticket reference into its audit entry.
pub async fn an_exchange_carries_its_ticket_reference_into_the_audit_chain<S: crate::DeskStore>(h: Harness<S>) {
    let h = requiring(h, false);
    let r = h.active(FABRIKAM).await[0].clone();
    let request = h.exchange_request(&r, 1).await;
    let (status, calc) = h.at(noon(), MAKER, "POST", "/calculateExchange", Some(request)).await;
    assert_eq!(status, 200, "{calc}");
    let (status, problem) = h.at(noon(), MAKER, "POST", "/exchange", Some(json!({ "sessionId": calc["sessionId"] }))).await;
    assert_eq!((status, problem["code"].as_str()), (400, Some("ticketReferenceRequired")), "{problem}");
    let body = json!({ "sessionId": calc["sessionId"], "ticketReference": "INC0012345" });
    let (status, done) = h.at(noon(), MAKER, "POST", "/exchange", Some(body)).await;
    assert_eq!(status, 200, "{done}");
    let audit = h.last_audit(FABRIKAM).await;
    assert_eq!((audit["action"].as_str(), audit["ticketReference"].as_str()), (Some("exchange"), Some("INC0012345")), "{audit}");
    assert_eq!(h.get("/audit/verify").await["intact"], true);
    let history = h.get(&history_path(&r)).await;
    let newest = &history.as_array().unwrap()[0];
    assert_eq!((newest["action"].as_str(), newest["ticketReference"].as_str()), (Some("exchange"), Some("INC0012345")), "{history}");
    let quantity = r["quantity"].as_u64().unwrap();
    assert!(newest["change"].as_str().unwrap().starts_with(&format!("returned 1 unit in an exchange: quantity {quantity} → {}", quantity - 1)), "{newest}");
}

/// A request waiting for approval carries the ticket reference (shown to the approver, in its
/// `approvalRequested` entry), and the refund the approval carries out is audited under it.
pub async fn an_approval_request_carries_its_ticket_reference_to_the_refund_it_approves<S: crate::DeskStore>(h: Harness<S>) {
    let h = requiring(h, true);
    let r = h.active(FABRIKAM).await[0].clone();
    let (status, approval) = return_with(&h, &r, Some("CHG-4711")).await;
    assert_eq!(status, 202, "{approval}");
    assert_eq!(approval["ticketReference"], "CHG-4711");
    let requested = h.last_audit(FABRIKAM).await;
    assert_eq!((requested["action"].as_str(), requested["ticketReference"].as_str()), (Some("approvalRequested"), Some("CHG-4711")), "{requested}");
    let id = approval["id"].as_str().unwrap();
    let (status, approved) = h.at(noon(), CHECKER, "POST", &format!("/approvals/{id}/approve"), None).await;
    assert_eq!((status, approved["status"].as_str()), (200, Some("approved")), "{approved}");
    let audit = h.get(&format!("/audit?customerId={FABRIKAM}")).await;
    let refund = audit.as_array().unwrap().iter().find(|e| e["action"] == "refund").expect("the approved refund's entry");
    assert_eq!(refund["ticketReference"], "CHG-4711", "{refund}");
    assert_eq!(h.get("/audit/verify").await["intact"], true);
}
