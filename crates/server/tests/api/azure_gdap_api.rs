//! The partner's GDAP relationships over the stand-ins (Microsoft Graph's
//! `delegatedAdminRelationships`, paged), read with each full read of Azure on behalf of the
//! signed-in user and shown per customer in `GET /api/source/readiness`: an expired relationship
//! behind ARM's 403, one ending in 7 days without extending itself (a warning, and its alerts),
//! one that extends itself, one whose roles do not reach Azure, and Graph answering 403 (the
//! reservations are read all the same, the relationships read before kept with Graph's error).

use crate::azure_desk;
use crate::azure_stand_ins;

use std::collections::HashMap;

use axum::http::StatusCode;
use azure_desk::*;
use azure_stand_ins::*;
use chrono::{Days, NaiveDate, Utc};
use serde_json::Value;

/// Global Administrator (Microsoft Entra built-in roles): the role the desk counts as reaching Azure.
const GLOBAL_ADMIN: &str = "62e90394-69f5-4237-9190-012177145e10";
/// Helpdesk Administrator: no Azure rights.
const HELPDESK_ADMIN: &str = "729827e3-9c14-49f7-bb1b-9608f156bbb8";

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

/// Noon (UTC) `days` from today, as Graph writes an end.
fn noon_in(days: i64) -> String {
    let day = if days >= 0 { today() + Days::new(days as u64) } else { today() - Days::new(days.unsigned_abs()) };
    format!("{day}T12:00:00.0000000Z")
}

/// Five customers, each tenant with a reservation (or ARM's 403), and the partner's
/// relationships with them as Graph lists them (more than one page).
async fn partner() -> Desk {
    let names = ["expired", "week", "extends", "helpdesk", "twenty"];
    let customers = names.iter().map(|n| customer(n, &format!("tenant-{n}"), &format!("{n} Ltd"))).collect();
    let tenants: HashMap<String, Tenant> = names
        .iter()
        .map(|n| {
            let tenant = match *n {
                "expired" | "helpdesk" => Tenant::Forbidden,
                _ => Tenant::Reservations(vec![reservation(&format!("order-{n}"), &format!("res-{n}"), &format!("{n} vm"), 1, 80.0)]),
            };
            (format!("tenant-{n}"), tenant)
        })
        .collect();
    let d = desk_of(customers, tenants).await;
    d.stand_ins.graph(|g| {
        g.relationships = Some(vec![
            gdap_relationship("rel-expired", "tenant-expired", "expired", &noon_in(-3), "PT0S", &[GLOBAL_ADMIN]),
            gdap_relationship("rel-week", "tenant-week", "active", &noon_in(7), "PT0S", &[HELPDESK_ADMIN, GLOBAL_ADMIN]),
            gdap_relationship("rel-week-old", "tenant-week", "terminated", &noon_in(-400), "PT0S", &[GLOBAL_ADMIN]),
            gdap_relationship("rel-extends", "tenant-extends", "active", &noon_in(7), "P180D", &[GLOBAL_ADMIN]),
            gdap_relationship("rel-helpdesk", "tenant-helpdesk", "active", &noon_in(300), "PT0S", &[HELPDESK_ADMIN]),
            gdap_relationship("rel-twenty", "tenant-twenty", "active", &noon_in(20), "PT0S", &[GLOBAL_ADMIN]),
            gdap_relationship("rel-stranger", "tenant-not-a-customer", "active", &noon_in(7), "PT0S", &[GLOBAL_ADMIN]),
        ]);
    });
    d
}

async fn rows(d: &Desk) -> HashMap<String, Value> {
    let (status, rows) = d.call("GET", "/api/source/readiness", None).await;
    assert_eq!(status, StatusCode::OK, "{rows}");
    rows.as_array().unwrap().iter().map(|r| (r["customerId"].as_str().unwrap().to_owned(), r.clone())).collect()
}

fn field<'a>(row: &'a Value, path: &str) -> Option<&'a str> {
    row.pointer(path).and_then(Value::as_str)
}

#[tokio::test]
async fn each_customer_shows_its_gdap_relationship_and_what_its_end_means() {
    let d = partner().await;
    let summary = read(&d).await;
    assert_eq!((&summary["read"], &summary["failed"]), (&serde_json::json!(3), &serde_json::json!(2)), "{summary}");
    assert_eq!(d.stand_ins.graph(|g| g.pages), 4, "seven relationships, two a page");
    let graph_scope = (PARTNER_TENANT.to_owned(), "https://graph.microsoft.com/DelegatedAdminRelationship.Read.All".to_owned());
    assert_eq!(d.stand_ins.record(|r| r.tokens.get(&graph_scope).copied()), Some(1), "one token for Graph, in the partner's tenant");
    assert!(d.stand_ins.record(|r| r.refused.is_empty()), "{:?}", d.stand_ins.record(|r| r.refused.clone()));

    let rows = rows(&d).await;
    // Expired behind ARM's 403: renew the relationship.
    let expired = &rows["expired"];
    assert_eq!(
        (field(expired, "/state"), field(expired, "/failure"), field(expired, "/remedy"), field(expired, "/code")),
        (Some("notRead"), Some("gdapRelationshipEnded"), Some("renewGdapRelationship"), Some("AuthorizationFailed")),
        "{expired}"
    );
    assert_eq!(field(expired, "/remedyLink"), Some("https://learn.microsoft.com/partner-center/gdap-introduction"));
    assert_eq!((field(expired, "/gdap/status"), field(expired, "/gdap/endDate")), (Some("expired"), Some((today() - Days::new(3)).to_string().as_str())));
    assert_eq!(expired.pointer("/gdap/reachesAzure"), Some(&Value::Bool(true)));

    // Ending in 7 days without extending itself: ready, warned; the old terminated one is not shown.
    let week = &rows["week"];
    assert_eq!((field(week, "/state"), field(week, "/warning"), week.get("remedy")), (Some("ready"), Some("gdapEndsSoon"), None), "{week}");
    assert_eq!((field(week, "/gdap/id"), field(week, "/gdap/name")), (Some("rel-week"), Some("rel-week relationship")));
    assert_eq!(field(week, "/gdap/endDate"), Some((today() + Days::new(7)).to_string().as_str()));
    assert_eq!((week.pointer("/gdap/autoExtends"), week.pointer("/gdap/reachesAzure")), (Some(&Value::Bool(false)), Some(&Value::Bool(true))));

    // Extending itself: ready, nothing to do.
    let extends = &rows["extends"];
    assert_eq!((field(extends, "/state"), extends.get("warning")), (Some("ready"), None), "{extends}");
    assert_eq!(extends.pointer("/gdap/autoExtends"), Some(&Value::Bool(true)));

    // Roles that do not reach Azure behind ARM's 403.
    let helpdesk = &rows["helpdesk"];
    assert_eq!(
        (field(helpdesk, "/failure"), field(helpdesk, "/remedy"), helpdesk.pointer("/gdap/reachesAzure")),
        (Some("noGdapRelationshipReachingAzure"), Some("renewGdapRelationship"), Some(&Value::Bool(false))),
        "{helpdesk}"
    );
    assert!(rows.values().all(|r| r.get("gdapError").is_none()), "Graph answered");

    // The alerts: 7 days before (the 7-day window), 20 days before (the 30-day window), none for
    // the one that extends itself or the one without Azure rights; two digests send each once.
    let webhook = desk::desk::Recipients { emails: vec![], webhook: true, email: false };
    let now = Utc::now();
    let first = d.state.desk.claim_due_alerts(now, &webhook).await.unwrap();
    let gdap: Vec<(String, String)> = first
        .iter()
        .filter(|c| matches!(c.alert.kind, contract::AlertKind::GdapRelationshipEnds { .. }))
        .map(|c| (c.alert.customer_id.clone(), c.alert.key.clone()))
        .collect();
    let in_days = |n: u64| today() + Days::new(n);
    assert_eq!(
        gdap,
        vec![
            ("twenty".to_owned(), format!("gdapRelationshipEnds/rel-twenty/{}/30", in_days(20))),
            ("week".to_owned(), format!("gdapRelationshipEnds/rel-week/{}/7", in_days(7))),
        ]
    );
    let week_alert = first.iter().find(|c| c.alert.customer_id == "week" && c.alert.key.starts_with("gdap")).unwrap();
    assert_eq!(week_alert.alert.action, contract::AlertAction::RenewGdapRelationship);
    let text = desk_service::alerts::sentence(&week_alert.alert, "week Ltd");
    assert!(text.contains("rel-week relationship") && text.contains("in 7 days") && text.contains("does not extend itself"), "{text}");
    for c in &first {
        assert!(d.state.desk.alert_sent(c, now).await.unwrap());
    }
    let second = d.state.desk.claim_due_alerts(now + chrono::Duration::hours(24), &webhook).await.unwrap();
    assert!(second.iter().all(|c| !c.alert.key.starts_with("gdapRelationshipEnds/")), "the next digest sends them again: {second:?}");
}

#[tokio::test]
async fn graph_answering_403_reads_the_reservations_and_keeps_the_relationships_with_why() {
    let d = partner().await;
    read(&d).await;
    d.stand_ins.graph(|g| g.forbidden = true);
    let summary = read(&d).await;
    assert_eq!(summary["state"], "done", "the reservations read does not fail: {summary}");
    assert_eq!(summary["read"], serde_json::json!(3), "{summary}");
    let rows = rows(&d).await;
    for (id, row) in &rows {
        assert_eq!((field(row, "/gdapError/code"), row.pointer("/gdapError/status")), (Some("Authorization_RequestDenied"), Some(&serde_json::json!(403))), "{id}: {row}");
        assert_eq!(field(row, "/gdapError/message"), Some("Insufficient privileges to complete the operation."), "Graph's own words: {row}");
        assert!(field(row, "/gdapError/clientRequestId").is_some(), "the IDs Microsoft traces the call by: {row}");
    }
    let week = &rows["week"];
    assert_eq!((field(week, "/state"), field(week, "/gdap/id"), field(week, "/warning")), (Some("ready"), Some("rel-week"), Some("gdapEndsSoon")), "what Graph said before is kept: {week}");
    assert_eq!(field(&rows["expired"], "/failure"), Some("gdapRelationshipEnded"), "{}", rows["expired"]);

    // A partner whose Graph never answered: nothing is known of its relationships.
    let fresh = partner().await;
    fresh.stand_ins.graph(|g| g.forbidden = true);
    read(&fresh).await;
    let never = self::rows(&fresh).await;
    assert_eq!((field(&never["expired"], "/failure"), never["expired"].get("gdap")), (Some("noAzureRole"), None), "{}", never["expired"]);
    assert_eq!((field(&never["week"], "/state"), never["week"].get("warning")), (Some("ready"), None));
}
