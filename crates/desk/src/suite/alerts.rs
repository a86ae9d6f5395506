//! The suite's cases for alerts: the Alerts view per customer, per-user
//! subscriptions, and the one-sender claim of each delivery with its retries.

use chrono::Duration;
use serde_json::{json, Value};

use super::{futures_join_all, noon, Harness, CONTOSO};
use crate::desk::Recipients;

fn kinds(customer: &Value) -> Vec<String> {
    customer["alerts"].as_array().expect("a list").iter().map(|a| a["kind"]["type"].as_str().expect("a type").to_owned()).collect()
}

fn of<'a>(view: &'a Value, customer: &str) -> &'a Value {
    view["customers"].as_array().expect("a list").iter().find(|c| c["customerId"] == customer).expect("the customer is listed")
}

/// `GET /alerts` lists every customer with its alerts as of the day: an expiring reservation
/// of the demo data (saying whether it renews, with the Configuration panel's link) and Contoso's
/// refund headroom of USD 3,500 below the default USD 5,000; a subscription is the caller's
/// own, idempotent, and an unknown customer is a 404.
pub async fn the_alerts_view_lists_each_customers_alerts_and_subscriptions_are_per_user<S: crate::DeskStore>(h: Harness<S>) {
    let view = h.get("/alerts").await;
    assert_eq!(view["thresholds"], json!({ "utilizationPercent": "50", "headroomUsd": "5000" }));
    assert_eq!(view["customers"].as_array().expect("a list").len(), 8);
    let contoso = of(&view, CONTOSO);
    assert!(kinds(contoso).contains(&"lowRefundHeadroom".to_owned()), "{contoso}");
    let headroom = contoso["alerts"].as_array().unwrap().iter().find(|a| a["kind"]["type"] == "lowRefundHeadroom").unwrap();
    assert_eq!(headroom["kind"]["headroom"]["amount"], "3500.00");
    assert_eq!(headroom["action"], "refund");
    let expiring: Vec<&Value> = view["customers"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["alerts"].as_array().unwrap())
        .filter(|a| a["kind"]["type"] == "expiring")
        .collect();
    assert!(!expiring.is_empty(), "the demo data has a reservation expiring within 90 days");
    for a in expiring {
        assert!(a["kind"]["daysLeft"].as_u64().unwrap() <= a["kind"]["window"].as_u64().unwrap());
        assert!(a["kind"]["renew"].is_boolean());
        assert_eq!(a["action"], "renew");
        assert_eq!(a["link"], format!("/customers/{}/reservations/{}/configuration", a["customerId"].as_str().unwrap(), a["reservationId"].as_str().unwrap()));
    }
    assert_eq!(contoso["subscribed"], false);

    let path = format!("/customers/{CONTOSO}/alertSubscription");
    for _ in 0..2 {
        let (status, body) = h.call("POST", &path, Some(json!({ "subscribed": true }))).await;
        assert_eq!((status, body), (200, json!({ "subscribed": true })));
    }
    assert_eq!(of(&h.get("/alerts").await, CONTOSO)["subscribed"], true);
    let (status, sales) = h.at(noon(), "demo-sales-agent", "GET", "/alerts", None).await;
    assert_eq!(status, 200);
    assert_eq!(of(&sales, CONTOSO)["subscribed"], false, "a subscription is the caller's own");
    assert_eq!(h.desk.store().alert_subscriptions().await.unwrap().len(), 1);
    let (status, _) = h.call("POST", "/customers/no-such-customer/alertSubscription", Some(json!({ "subscribed": true }))).await;
    assert_eq!(status, 404);
    let (status, _) = h.call("POST", &path, Some(json!({ "subscribed": "yes" }))).await;
    assert_eq!(status, 400);
    h.call("POST", &path, Some(json!({ "subscribed": false }))).await;
    assert_eq!(of(&h.get("/alerts").await, CONTOSO)["subscribed"], false);
}

/// Each alert is claimed once per recipient however many senders ask together or again; a
/// subscriber with an e-mail sign-in name gets the customer's alerts; a failed delivery shows
/// on the Alerts view and is claimed again only once its backoff (a minute) has passed, then
/// recorded as sent.
pub async fn an_alert_is_claimed_once_per_recipient_and_a_failed_one_is_retried_after_its_backoff<S: crate::DeskStore>(h: Harness<S>) {
    let path = format!("/customers/{CONTOSO}/alertSubscription");
    let (status, _) = h.call("POST", &path, Some(json!({ "subscribed": true }))).await;
    assert_eq!(status, 200);
    let recipients = Recipients { emails: vec!["Ops@Example.com".into()], webhook: true, email: true };
    let due = h.desk.due_alerts(noon()).await.unwrap();
    let alerts: usize = due.iter().map(|(_, list)| list.len()).sum();
    let contoso: usize = due.iter().filter(|(c, _)| c.id == CONTOSO).map(|(_, list)| list.len()).sum();
    assert!(alerts > 0 && contoso > 0);

    let runs = futures_join_all((0..8).map(|_| h.desk.claim_due_alerts(noon(), &recipients))).await;
    let claimed: Vec<_> = runs.into_iter().flat_map(|r| r.unwrap()).collect();
    let admin = crate::desk::mailto(&desk_service::access::demo_user("demo-global-admin").unwrap().user_principal_name);
    assert_eq!(claimed.len(), 2 * alerts + contoso, "each alert once to ops@ and the webhook, Contoso's also to its subscriber");
    assert!(claimed.iter().any(|c| c.recipient == "mailto:ops@example.com"));
    assert_eq!(claimed.iter().filter(|c| c.recipient == admin).count(), contoso);
    let mut keys: Vec<(String, String)> = claimed.iter().map(|c| (c.alert.key.clone(), c.recipient.clone())).collect();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), claimed.len(), "no delivery claimed twice");
    let again = h.desk.claim_due_alerts(noon() + Duration::seconds(30), &recipients).await.unwrap();
    assert!(again.is_empty(), "again while the first sender holds them: nothing");

    let (failed, rest) = claimed.split_first().unwrap();
    for c in rest {
        h.desk.alert_sent(c, noon()).await.unwrap();
    }
    h.desk.alert_failed(failed, "451 try again later", desk_service::alerts::FIRST_RETRY_SECONDS, noon()).await.unwrap();
    let view = h.get("/alerts").await;
    let shown = view["deliveries"].as_array().unwrap().iter().find(|d| d["alertKey"] == failed.alert.key.as_str() && d["recipient"] == failed.recipient.as_str()).unwrap().clone();
    assert_eq!((shown["status"].as_str(), shown["attempts"].as_u64()), (Some("failed"), Some(1)));
    assert_eq!(shown["lastError"], "451 try again later");
    assert_eq!(shown["nextAttemptAt"], "2026-03-02T12:01:00Z");
    assert!(view["deliveries"].as_array().unwrap().iter().any(|d| d["status"] == "sent" && d["sentAt"] == "2026-03-02T12:00:00Z"));

    assert!(h.desk.claim_due_alerts(noon() + Duration::seconds(59), &recipients).await.unwrap().is_empty(), "not before its backoff");
    let retried = futures_join_all((0..4).map(|_| h.desk.claim_due_alerts(noon() + Duration::seconds(60), &recipients))).await;
    let retried: Vec<_> = retried.into_iter().flat_map(|r| r.unwrap()).collect();
    assert_eq!(retried.len(), 1, "{retried:?}");
    assert_eq!((retried[0].alert.key.as_str(), retried[0].attempts), (failed.alert.key.as_str(), 1));
    h.desk.alert_sent(&retried[0], noon() + Duration::seconds(61)).await.unwrap();
    let view = h.get("/alerts").await;
    assert!(view["deliveries"].as_array().unwrap().iter().all(|d| d["status"] == "sent"));
    assert!(h.desk.claim_due_alerts(noon() + Duration::days(1), &recipients).await.unwrap().iter().all(|c| c.attempts == 0), "retries are done");
}
