//! The suite's cases for the partner's worklist: every customer's rows, ranked, with the
//! campaign's totals; a granted user sees only its customers' rows; the team's state on a row
//! (snoozed, done, owner, note) is kept by the store and audited, refused to a role that may not
//! set it, and forgotten when the row's cause is gone, so a cause that returns starts open.

use chrono::{DateTime, TimeZone, Utc};
use serde_json::{json, Value};

use super::{amount, Harness, CONTOSO, FABRIKAM};

/// 27 November 2026, noon UTC: nine weeks before the exchange-policy date, when the suite's
/// book (seeded on 2 March 2026) has rows of most reasons.
fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 12, 0, 0).single().expect("a time")
}

async fn worklist<S: crate::DeskStore>(h: &Harness<S>, token: &str) -> Value {
    let (status, list) = h.at(now(), token, "GET", "/worklist", None).await;
    assert_eq!(status, 200, "{list}");
    list
}

fn items(list: &Value) -> &Vec<Value> {
    list["items"].as_array().expect("rows")
}

fn path_of(id: &str) -> String {
    format!("/worklist/{id}")
}

/// The whole book's rows: each reason the demo shows, ranked by `rankUsd`, the campaign's totals
/// the sums of its rows; a user granted Contoso and Fabrikam sees only theirs.
pub async fn the_worklist_lists_every_customers_rows_ranked_and_a_granted_user_only_its_customers<S: crate::DeskStore>(h: Harness<S>) {
    let list = worklist(&h, "demo-admin-agent").await;
    let rows = items(&list);
    let reasons: std::collections::BTreeSet<&str> = rows.iter().map(|r| r["reason"].as_str().unwrap()).collect();
    for reason in ["exchangeRightEnds", "renewsIntoNoExchange", "seriesRetiring", "expiringUncovered", "underused", "savingsOnTheTable"] {
        assert!(reasons.contains(reason), "{reason} in {reasons:?}");
    }
    let ranks: Vec<_> = rows.iter().filter(|r| !r["rankUsd"].is_null()).map(|r| amount(&r["rankUsd"])).collect();
    assert!(ranks.windows(2).all(|w| w[0] >= w[1]), "most at stake first");
    assert!(rows.iter().all(|r| r["state"] == "open"), "nobody marked anything yet");
    let campaign: Vec<&Value> = rows.iter().filter(|r| r["reason"] == "exchangeRightEnds").collect();
    assert_eq!(list["campaign"]["reservations"].as_u64(), Some(campaign.len() as u64));
    let sum: rust_decimal::Decimal = campaign.iter().map(|r| amount(&r["atStakeUsd"])).sum();
    assert_eq!(amount(&list["campaign"]["remainingCommitmentUsd"]), sum);
    assert_eq!(list["campaign"]["daysLeft"], 66);
    // On the seed day Contoso's refunds of the last 12 months leave it less than a tenth.
    let on_seed_day = h.get("/worklist").await;
    let contoso_limit = items(&on_seed_day).iter().find(|r| r["reason"] == "refundLimit").expect("Contoso is near its limit");
    assert_eq!(contoso_limit["customerId"], CONTOSO);
    assert_eq!(contoso_limit["link"], format!("/customers/{CONTOSO}/portfolio"));

    let limited = worklist(&h, desk_service::access::DEMO_LIMITED_TOKEN).await;
    let customers: std::collections::BTreeSet<&str> = items(&limited).iter().map(|r| r["customerId"].as_str().unwrap()).collect();
    assert_eq!(customers, [CONTOSO, FABRIKAM].into_iter().collect(), "only the granted customers");
    let theirs: Vec<&Value> = rows.iter().filter(|r| r["customerId"] == CONTOSO || r["customerId"] == FABRIKAM).collect();
    assert_eq!(items(&limited).len(), theirs.len());
}

/// Snoozed and done rows keep their state, owner and note, each write audited; Sales may not set
/// them; a row that is not listed (or of a customer not granted) is 404; a done row whose cause
/// goes (renewal turned off) leaves the list, and when the cause returns it is open again.
pub async fn a_worklist_row_is_snoozed_or_done_audited_and_leaves_with_its_cause<S: crate::DeskStore>(h: Harness<S>) {
    let list = worklist(&h, "demo-admin-agent").await;
    let underused = items(&list).iter().find(|r| r["reason"] == "underused" && r["customerId"] == FABRIKAM).expect("an underused Fabrikam row").clone();
    let id = underused["id"].as_str().unwrap();
    let snooze = json!({ "state": "snoozed", "snoozedUntil": "2026-12-04", "owner": "adam.agent@partner.example", "note": "Customer moves the workload in December" });
    let (status, marked) = h.at(now(), "demo-admin-agent", "PATCH", &path_of(id), Some(snooze.clone())).await;
    assert_eq!(status, 200, "{marked}");
    assert_eq!((marked["state"].as_str(), marked["snoozedUntil"].as_str()), (Some("snoozed"), Some("2026-12-04")));
    let again = worklist(&h, "demo-global-admin").await;
    let shown = items(&again).iter().find(|r| r["id"] == id).unwrap();
    assert_eq!((shown["state"].as_str(), shown["owner"].as_str(), shown["note"].as_str()), (Some("snoozed"), Some("adam.agent@partner.example"), Some("Customer moves the workload in December")));
    assert_eq!(shown["marked"]["by"], "adam.agent@partner.example");
    let audit = h.last_audit(FABRIKAM).await;
    assert_eq!((audit["action"].as_str(), audit["detail"]["kind"].as_str(), audit["detail"]["state"].as_str()), (Some("markWorkItem"), Some("workItemMarked"), Some("snoozed")), "{audit}");

    let (status, problem) = h.at(now(), "demo-sales-agent", "PATCH", &path_of(id), Some(json!({ "state": "done" }))).await;
    assert_eq!((status, problem["code"].as_str()), (403, Some("roleForbids")), "{problem}");
    let (status, problem) = h.at(now(), "demo-admin-agent", "PATCH", &path_of(id), Some(json!({ "state": "snoozed" }))).await;
    assert_eq!((status, problem["field"].as_str()), (400, Some("snoozedUntil")), "{problem}");
    let (status, _) = h.at(now(), "demo-admin-agent", "PATCH", &path_of(&format!("underused:{FABRIKAM}:no-such-reservation")), Some(json!({ "state": "done" }))).await;
    assert_eq!(status, 404);
    let elsewhere = items(&list).iter().find(|r| r["customerId"] != CONTOSO && r["customerId"] != FABRIKAM).unwrap()["id"].as_str().unwrap().to_owned();
    let (status, _) = h.at(now(), desk_service::access::DEMO_LIMITED_TOKEN, "PATCH", &path_of(&elsewhere), Some(json!({ "state": "done" }))).await;
    assert_eq!(status, 404, "a customer not granted is as one that does not exist");

    // Done on a renewal into no exchange; renewal turned off: the row and its state go.
    let renewal = items(&list).iter().find(|r| r["reason"] == "renewsIntoNoExchange").expect("a renewal row").clone();
    let renewal_id = renewal["id"].as_str().unwrap();
    let (status, _) = h.at(now(), "demo-admin-agent", "PATCH", &path_of(renewal_id), Some(json!({ "state": "done", "note": "Customer wants the renewal" }))).await;
    assert_eq!(status, 200);
    let reservation = format!("/reservationOrders/{}/reservations/{}", renewal["reservationOrderId"].as_str().unwrap(), renewal["reservationId"].as_str().unwrap());
    assert_eq!(items(&worklist(&h, "demo-admin-agent").await).iter().find(|r| r["id"] == renewal_id).unwrap()["state"], "done");
    let (status, body) = h.at(now(), "demo-admin-agent", "PATCH", &reservation, Some(json!({ "renew": false }))).await;
    assert_eq!(status, 200, "{body}");
    assert!(items(&worklist(&h, "demo-admin-agent").await).iter().all(|r| r["id"] != renewal_id), "its cause is gone");
    let (status, body) = h.at(now(), "demo-admin-agent", "PATCH", &reservation, Some(json!({ "renew": true }))).await;
    assert_eq!(status, 200, "{body}");
    let back = worklist(&h, "demo-admin-agent").await;
    let back = items(&back).iter().find(|r| r["id"] == renewal_id).expect("the cause returned");
    assert_eq!((back["state"].as_str(), back["note"].as_str()), (Some("open"), None), "it starts open");
    // The snoozed row kept its state through all this.
    assert_eq!(items(&worklist(&h, "demo-admin-agent").await).iter().find(|r| r["id"] == id).unwrap()["state"], "snoozed");
}
