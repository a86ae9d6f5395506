//! Every customer's readiness for Azure mode (`GET /api/source/readiness`), over the stand-ins
//! of a partner with more than five hundred customers: each tenant that cannot be read is
//! classed by what fixes it (the desk's API app not consented, no GDAP role that reaches Azure,
//! throttled, Azure failing on its side, anything else), with Azure's code and message and the
//! remedy; a tenant read whole is ready (with reservations or none at all), one read with
//! reservations that cannot be quoted says so. Only the Global admin and Admin agents see it; a
//! desk that does not read Azure answers 404.

use crate::azure_desk;
use crate::azure_stand_ins;
use crate::common;

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use azure_desk::*;
use azure_stand_ins::*;
use serde_json::{json, Value};

/// The customers of the partner: `CUSTOMERS` of them, each of one kind below by its number.
const CUSTOMERS: usize = 520;

/// What each tenant answers, by the customer's number, and the row the desk should show for it:
/// (state, failure, remedy, Azure's code).
fn kind(i: usize) -> (Tenant, &'static str, Option<&'static str>, Option<&'static str>, Option<&'static str>) {
    let order = format!("order-{i}");
    match i % 10 {
        0 => (Tenant::Reservations(vec![reservation(&order, &format!("res-{i}"), "vm", 2, 70.0)]), "ready", None, None, None),
        1 => (Tenant::Reservations(vec![]), "ready", None, None, None),
        2 => (Tenant::NotConsented { error: "invalid_grant".into(), then: vec![] }, "notRead", Some("consentMissing"), Some("consentApp"), Some("invalid_grant")),
        3 => (Tenant::NotConsented { error: "consent_required".into(), then: vec![] }, "notRead", Some("consentMissing"), Some("consentApp"), Some("consent_required")),
        4 => (Tenant::Forbidden, "notRead", Some("noAzureRole"), Some("grantAdminAgentRole"), Some("AuthorizationFailed")),
        5 => (Tenant::Throttled { seconds: 2, times: 100, then: vec![] }, "notRead", Some("throttled"), Some("readAgainLater"), Some("TooManyRequests")),
        6 => (
            Tenant::Fails { status: 503, code: "ServiceUnavailable".into(), message: "The service is unavailable.".into() },
            "notRead",
            Some("azureUnreachable"),
            Some("readAgainLater"),
            Some("ServiceUnavailable"),
        ),
        7 => (
            Tenant::Fails { status: 400, code: "InvalidResourceType".into(), message: "The resource type could not be found.".into() },
            "notRead",
            Some("other"),
            Some("seeAzureMessage"),
            Some("InvalidResourceType"),
        ),
        8 => {
            // One reservation read, one Azure lists without a quantity.
            let mut without_quantity = reservation(&order, &format!("res-{i}-b"), "vm b", 1, 70.0);
            without_quantity["properties"].as_object_mut().unwrap().remove("quantity");
            let read = reservation(&order, &format!("res-{i}-a"), "vm a", 1, 70.0);
            (Tenant::Reservations(vec![read, without_quantity]), "readNotQuotable", None, Some("reviewReservations"), Some("QuantityUnknown"))
        }
        _ => (Tenant::Reservations(vec![reservation(&order, &format!("res-{i}"), "vm", 1, 70.0)]), "readNotQuotable", None, Some("reviewReservations"), None),
    }
}

fn id(i: usize) -> String {
    format!("customer-{i:04}")
}

async fn partner() -> Desk {
    let customers = (0..CUSTOMERS).map(|i| customer(&id(i), &format!("tenant-{i}"), &format!("Company {i:04}"))).collect();
    let tenants: HashMap<String, Tenant> = (0..CUSTOMERS).map(|i| (format!("tenant-{i}"), kind(i).0)).collect();
    let d = desk_of(customers, tenants).await;
    // The orders of the tenth kind answer without plan information: read, but no price.
    for i in (0..CUSTOMERS).filter(|i| i % 10 == 9) {
        d.stand_ins.order(&format!("tenant-{i}"), &format!("order-{i}"), |o| *o = Some(Order::NoPlan));
    }
    d
}

#[tokio::test]
async fn each_of_five_hundred_tenants_is_classed_with_its_remedy_in_one_table() {
    let d = partner().await;
    let started = Instant::now();
    read(&d).await;
    let read_in = started.elapsed();
    let started = Instant::now();
    let (status, rows) = d.call("GET", "/api/source/readiness", None).await;
    let answered_in = started.elapsed();
    assert_eq!(status, StatusCode::OK, "{rows}");
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), CUSTOMERS, "one row per Partner Center customer");
    let names: Vec<&str> = rows.iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert!(names.windows(2).all(|w| w[0] <= w[1]), "sorted by name");

    let by_id: HashMap<&str, &Value> = rows.iter().map(|r| (r["customerId"].as_str().unwrap(), r)).collect();
    for i in 0..CUSTOMERS {
        let (_, state, failure, remedy, code) = kind(i);
        let row = by_id[id(i).as_str()];
        let field = |k: &str| row.get(k).and_then(Value::as_str);
        assert_eq!((field("state"), field("failure"), field("remedy")), (Some(state), failure, remedy), "{row}");
        assert_eq!(field("tenantId"), Some(format!("tenant-{i}").as_str()), "{row}");
        if let Some(code) = code {
            assert_eq!(field("code"), Some(code), "{row}");
        }
        match i % 10 {
            0 => assert_eq!((&row["reservations"], field("readAt").is_some()), (&json!(1), true), "{row}"),
            1 => assert_eq!((&row["reservations"], &row["unread"], field("readAt").is_some()), (&json!(0), &json!(0), true), "none at all is ready: {row}"),
            2 | 3 => {
                assert!(field("message").unwrap().contains("AADSTS65001"), "Entra ID's message: {row}");
                assert_eq!((&row["status"], field("remedyLink")), (&json!(400), Some("https://learn.microsoft.com/entra/identity/enterprise-apps/grant-admin-consent")));
            }
            4 => {
                assert!(field("message").unwrap().contains("does not have authorization"), "ARM's message: {row}");
                assert_eq!((&row["status"], field("remedyLink")), (&json!(403), Some("https://learn.microsoft.com/partner-center/gdap-introduction")));
                assert!(field("readAt").is_none() && field("failedAt").is_some(), "never read whole: {row}");
            }
            5 => assert_eq!((&row["status"], field("remedyLink").map(|l| l.ends_with("request-limits-and-throttling"))), (&json!(429), Some(true))),
            6 => assert_eq!((&row["status"], field("remedyLink")), (&json!(503), None), "{row}"),
            7 => assert_eq!((field("message"), &row["status"]), (Some("The resource type could not be found."), &json!(400)), "Azure's own words"),
            8 => assert_eq!((&row["reservations"], &row["unread"], &row["unpriced"]), (&json!(1), &json!(1), &json!(0)), "{row}"),
            _ => assert_eq!((&row["reservations"], &row["unread"], &row["unpriced"]), (&json!(1), &json!(0), &json!(1)), "{row}"),
        }
    }
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for row in rows {
        *counts.entry(row["state"].as_str().unwrap()).or_default() += 1;
    }
    assert_eq!(counts, BTreeMap::from([("notRead", 312), ("readNotQuotable", 104), ("ready", 104)]));
    println!("azure_readiness_api: {CUSTOMERS} tenants read in {read_in:?}, the table answered in {answered_in:?}");
    assert!(answered_in < Duration::from_secs(2), "the table of {CUSTOMERS} rows is one read of the store: {answered_in:?}");

    // A tenant that reads again after its GDAP role was given leaves the class behind.
    d.stand_ins.tenant("tenant-4", |t| *t.unwrap() = Tenant::Reservations(vec![]));
    assert_eq!(d.call("POST", "/api/source/customers/customer-0004/refresh", None).await.0, StatusCode::OK);
    let (_, rows) = d.call("GET", "/api/source/readiness", None).await;
    let row = rows.as_array().unwrap().iter().find(|r| r["customerId"] == "customer-0004").unwrap();
    assert_eq!((row["state"].as_str(), row.get("failure"), row.get("remedy")), (Some("ready"), None, None), "{row}");
}

#[tokio::test]
async fn only_the_global_admin_and_admin_agents_see_readiness_and_a_local_desk_answers_404() {
    let d = desk_of(vec![customer("contoso", "tenant-contoso", "Contoso")], HashMap::from([("tenant-contoso".to_owned(), Tenant::Forbidden)])).await;
    read(&d).await;
    let as_role = |role: &str| d.provider.token_with(|c| {
        c["tid"] = json!(PARTNER_TENANT);
        c["roles"] = json!([role]);
    });
    for (role, expected) in [
        ("GlobalAdmin", StatusCode::OK),
        ("AdminAgent", StatusCode::OK),
        ("HelpdeskAgent", StatusCode::FORBIDDEN),
        ("SalesAgent", StatusCode::FORBIDDEN),
        ("UserManagementAdmin", StatusCode::FORBIDDEN),
    ] {
        let (status, body) = d.call_as(&as_role(role), "GET", "/api/source/readiness", None).await;
        assert_eq!(status, expected, "{role}: {body}");
        if status == StatusCode::FORBIDDEN {
            assert_eq!(body["code"], "roleForbids", "problem+json: {body}");
        } else {
            assert_eq!((body[0]["customerId"].as_str(), body[0]["failure"].as_str()), (Some("contoso"), Some("noAzureRole")), "{role}: {body}");
        }
    }

    // The desk's own mode reads no Azure: a clear 404, as a customer's source status answers.
    let (local, _dir, _) = common::fresh().await;
    let (status, problem) = common::call(&local, "GET", "/api/source/readiness", None).await;
    assert_eq!((status, problem["code"].as_str()), (StatusCode::NOT_FOUND, Some("notFound")), "{problem}");
    assert!(problem["detail"].as_str().unwrap().contains("not reading Azure"), "{problem}");
}
