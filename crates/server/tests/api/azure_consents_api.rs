//! Consent at scale (`POST /api/source/consents`, `GET /api/source/consents/{consentRunId}`): the
//! Global admin consents the desk's API app, through Partner Center's application consent, in
//! every tenant whose readiness says consent is missing, or in the ones named. Over the
//! stand-ins (Partner Center's documented answers: 201, 400, 403, 409): each tenant is asked
//! once, with its own `MS-RequestId`, paced under Partner Center's 50 requests a second;
//! each outcome is audited with Partner Center's IDs; a consented tenant is read again and is
//! ready; two servers on one database ask each tenant once. A read-only pilot consents too.

use crate::azure_desk;
use crate::azure_stand_ins;

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use azure_desk::*;
use azure_stand_ins::*;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

/// The partner's customers: `CUSTOMERS`, each of one kind by its number (`i % 4`): 0 and 1 not
/// consented (Entra ID's `invalid_grant` or `consent_required`; the first with a reservation
/// once consented), 2 ready, 3 without a GDAP role.
const CUSTOMERS: usize = 120;
/// Partner Center refuses this one's consent (403: the user is no admin agent there).
const REFUSED: usize = 4;
/// This one's consent exists already (409), though its token is still refused.
const EXISTING: usize = 9;

fn id(i: usize) -> String {
    format!("customer-{i:03}")
}

fn tenant(i: usize) -> Tenant {
    match i % 4 {
        0 => Tenant::NotConsented { error: "invalid_grant".into(), then: vec![reservation(&format!("order-{i}"), &format!("res-{i}"), "vm", 2, 70.0)] },
        1 => Tenant::NotConsented { error: "consent_required".into(), then: vec![] },
        2 => Tenant::Reservations(vec![]),
        _ => Tenant::Forbidden,
    }
}

async fn partner(settings: contract::Settings) -> Desk {
    let customers = (0..CUSTOMERS).map(|i| customer(&id(i), &format!("tenant-{i}"), &format!("Company {i:03}"))).collect();
    let tenants: HashMap<String, Tenant> = (0..CUSTOMERS).map(|i| (format!("tenant-{i}"), tenant(i))).collect();
    let d = desk_of_with(customers, tenants, settings).await;
    d.stand_ins.refuse_consent(&id(REFUSED), 403, 600028, "The partner user is not authorized to consent for this customer.");
    d.stand_ins.consent_exists(&id(EXISTING));
    d
}

/// `POST /api/source/consents` with `body` on `router`, as `token`: status, `Location`, body.
async fn start(router: &axum::Router, token: &str, body: Value) -> (StatusCode, Option<String>, Value) {
    let request = Request::builder()
        .method("POST")
        .uri("/api/source/consents")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let location = response.headers().get(header::LOCATION).map(|v| v.to_str().unwrap().to_owned());
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, location, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

/// Follows the run at `location` until it is done (at most 20 seconds).
async fn finished(d: &Desk, token: &str, location: &str) -> Value {
    for _ in 0..400 {
        let (status, run) = d.call_as(token, "GET", location, None).await;
        assert_eq!(status, StatusCode::OK, "{run}");
        if run["done"] == true {
            return run;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the consent run at {location} did not finish");
}

async fn readiness(d: &Desk, token: &str) -> HashMap<String, Value> {
    let (status, rows) = d.call_as(token, "GET", "/api/source/readiness", None).await;
    assert_eq!(status, StatusCode::OK, "{rows}");
    rows.as_array().unwrap().iter().map(|r| (r["customerId"].as_str().unwrap().to_owned(), r.clone())).collect()
}

fn needing_consent() -> Vec<usize> {
    (0..CUSTOMERS).filter(|i| i % 4 < 2).collect()
}

#[tokio::test]
async fn the_global_admin_consents_every_tenant_that_needs_it_once_each_and_they_read_ready_in_a_read_only_pilot() {
    let d = partner(contract::Settings { azure_read_only: true, ..Default::default() }).await;
    let admin = d.global_admin();
    azure_desk::read_as(&d, &admin).await;
    let before = readiness(&d, &admin).await;
    assert!(needing_consent().iter().all(|i| before[&id(*i)]["failure"] == "consentMissing"));

    // Who may, and what is not a request.
    let (status, problem) = d.call("POST", "/api/source/consents", Some(json!({"all": true}))).await;
    assert_eq!((status, problem["code"].as_str()), (StatusCode::FORBIDDEN, Some("roleForbids")), "an Admin agent may not: {problem}");
    assert!(problem["detail"].as_str().unwrap().contains("Global admin"), "{problem}");
    for (body, says) in [
        (json!({}), "Name at least one customer"),
        (json!({"customerIds": []}), "Name at least one customer"),
        (json!({"all": true, "customerIds": [id(0)]}), "not both"),
        (json!({"customerIds": [id(0), "nobody", "customer-999"]}), "nobody, customer-999"),
        (json!({"all": true, "tenants": "every"}), "unknown field"),
    ] {
        let (status, _, problem) = start(&d.router, &admin, body.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {problem}");
        assert!(problem["detail"].as_str().unwrap().contains(says), "{body}: {problem}");
    }
    assert!(d.stand_ins.record(|r| r.consents.is_empty()), "nothing was asked of Partner Center");

    // Every tenant that needs consent, in one run.
    let (status, location, run) = start(&d.router, &admin, json!({"all": true})).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{run}");
    let location = location.expect("where to follow the run");
    assert_eq!(location, format!("/api/source/consents/{}", run["id"].as_str().unwrap()));
    assert_eq!((run["total"].as_u64(), run["requestedBy"].as_str()), (Some(needing_consent().len() as u64), Some("gina.admin@partner.example")));
    let run = finished(&d, &admin, &location).await;
    let tenants: HashMap<&str, &Value> = run["tenants"].as_array().unwrap().iter().map(|t| (t["customerId"].as_str().unwrap(), t)).collect();
    assert_eq!(tenants.len(), needing_consent().len());
    for i in needing_consent() {
        let t = tenants[id(i).as_str()];
        let expected = match i {
            REFUSED => ("failed", 403),
            EXISTING => ("alreadyConsented", 409),
            _ => ("consented", 201),
        };
        assert_eq!((t["state"].as_str().unwrap(), t["status"].as_u64().unwrap()), (expected.0, expected.1 as u64), "{t}");
        assert_eq!(t["tenantId"], format!("tenant-{i}"));
        assert!(t["requestId"].as_str().is_some_and(|r| r.starts_with("pc-request-")), "Partner Center's ID: {t}");
    }
    let refused = tenants[id(REFUSED).as_str()];
    assert_eq!((refused["code"].as_str(), refused["message"].as_str()), (Some("600028"), Some("The partner user is not authorized to consent for this customer.")));

    // Partner Center: each tenant asked once, for the desk's app, with the ID the run keeps for it.
    let asked = d.stand_ins.record(|r| r.consents.clone());
    assert_eq!(asked.len(), needing_consent().len(), "one request per tenant");
    let customers: HashSet<&str> = asked.iter().map(|(c, ..)| c.as_str()).collect();
    assert_eq!(customers.len(), asked.len());
    for (customer, request_id, body, _) in &asked {
        assert_eq!(tenants[customer.as_str()]["clientRequestId"].as_str(), Some(request_id.as_str()), "MS-RequestId");
        assert_eq!(body["applicationId"], CLIENT_ID);
        assert_eq!(
            body["applicationGrants"],
            json!([
                {"enterpriseApplicationId": "797f4846-ba00-4fd7-ba43-dac1f8f63013", "scope": "user_impersonation"},
                {"enterpriseApplicationId": "00000003-0000-0000-c000-000000000000", "scope": "User.ReadBasic.All,GroupMember.Read.All,Application.Read.All"},
            ]),
            "ARM, and Graph's directory reads for the people picker"
        );
    }
    // Paced: no second holds more than 50 of them.
    let mut at: Vec<std::time::Instant> = asked.iter().map(|(.., t)| *t).collect();
    at.sort();
    let busiest = (0..at.len()).map(|i| at[i..].iter().take_while(|t| t.duration_since(at[i]) < Duration::from_secs(1)).count()).max().unwrap();
    println!("azure_consents_api: {} consents in {:?}, at most {busiest} in one second", at.len(), at[at.len() - 1] - at[0]);
    assert!(busiest <= 50, "{busiest} requests in one second");

    // Consented tenants are read again at once: ready, with what they hold.
    let consented: Vec<usize> = needing_consent().into_iter().filter(|i| ![REFUSED, EXISTING].contains(i)).collect();
    let ready = || async { readiness(&d, &admin).await.iter().filter(|(c, r)| consented.iter().any(|i| id(*i) == **c) && r["state"] == "ready").count() };
    for _ in 0..100 {
        if ready().await == consented.len() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let after = readiness(&d, &admin).await;
    let not_ready: Vec<&Value> = consented.iter().map(|i| &after[&id(*i)]).filter(|r| r["state"] != "ready").collect();
    assert!(not_ready.is_empty(), "consented, read again, ready: {not_ready:?}");
    assert_eq!(after[&id(0)]["reservations"], 1, "the reservation the consent let the desk read");
    assert_eq!((after[&id(REFUSED)]["failure"].as_str(), after[&id(EXISTING)]["failure"].as_str()), (Some("consentMissing"), Some("consentMissing")));
    assert_eq!(after[&id(3)]["failure"], "noAzureRole", "a tenant without a GDAP role is not consent's to fix");

    // Audited, in the chain: who, where, what Partner Center answered.
    let (_, audit) = d.call_as(&admin, "GET", "/api/audit", None).await;
    let entries: Vec<&Value> = audit.as_array().unwrap().iter().filter(|e| e["action"] == "consentApplication").collect();
    assert_eq!(entries.len(), needing_consent().len());
    let entry = entries.iter().find(|e| e["customerId"] == id(0)).unwrap();
    assert_eq!(entry["actor"], "gina.admin@partner.example");
    let change = entry["change"].as_str().unwrap();
    assert!(change.contains("tenant-0") && change.contains("Partner Center answered 201") && change.contains("request ID pc-request-"), "{change}");
    let refused_entry = entries.iter().find(|e| e["customerId"] == id(REFUSED)).unwrap();
    assert!(refused_entry["change"].as_str().unwrap().contains("403 (600028: The partner user is not authorized"), "{refused_entry}");
    assert_eq!((&entry["detail"]["kind"], &entry["detail"]["state"], &entry["detail"]["status"]), (&json!("consent"), &json!("consented"), &json!(201)), "{entry}");
    assert!(entry["detail"]["customerName"].as_str().is_some_and(|n| !n.is_empty()), "the customer by name: {entry}");
    assert_eq!((&refused_entry["detail"]["state"], &refused_entry["detail"]["code"]), (&json!("failed"), &json!("600028")), "{refused_entry}");
    let (_, verified) = d.call_as(&admin, "GET", "/api/audit/verify", None).await;
    assert_eq!(verified["intact"], true, "{verified}");

    // Asked again: only the two still needing consent. The refused one is asked again; the one
    // Partner Center said was consented already is not, minutes later (the first run's).
    let (status, location, run) = start(&d.router, &admin, json!({"all": true})).await;
    assert_eq!((status, run["total"].as_u64()), (StatusCode::ACCEPTED, Some(2)), "{run}");
    let again = finished(&d, &admin, &location.unwrap()).await;
    let state = |i: usize| again["tenants"].as_array().unwrap().iter().find(|t| t["customerId"] == id(i)).map(|t| t["state"].clone());
    assert_eq!((state(REFUSED), state(EXISTING)), (Some(json!("failed")), Some(json!("elsewhere"))), "{again}");
    assert_eq!(d.stand_ins.record(|r| r.consents.len()), needing_consent().len() + 1);
}

#[tokio::test]
async fn two_servers_on_one_database_ask_partner_center_once_per_tenant() {
    let d = partner(contract::Settings::default()).await;
    let admin = d.global_admin();
    read(&d).await;
    let other = d.second_server().await;
    let named: Vec<String> = needing_consent().into_iter().map(id).collect();
    let (a, b) = tokio::join!(start(&d.router, &admin, json!({"all": true})), start(&other, &admin, json!({"customerIds": named})));
    assert_eq!((a.0, b.0), (StatusCode::ACCEPTED, StatusCode::ACCEPTED), "{} {}", a.2, b.2);
    let a = finished(&d, &admin, &a.1.unwrap()).await;
    let b = finished(&d, &admin, &b.1.unwrap()).await;
    let asked = d.stand_ins.record(|r| r.consents.clone());
    let customers: HashSet<&str> = asked.iter().map(|(c, ..)| c.as_str()).collect();
    assert_eq!((asked.len(), customers.len()), (needing_consent().len(), needing_consent().len()), "each tenant asked once, by one server");
    for i in needing_consent() {
        let state = |run: &Value| run["tenants"].as_array().unwrap().iter().find(|t| t["customerId"] == id(i)).unwrap()["state"].as_str().unwrap().to_owned();
        let (sa, sb) = (state(&a), state(&b));
        assert!((sa == "elsewhere") != (sb == "elsewhere"), "{} is one run's, the other says where: {sa} / {sb}", id(i));
    }
}

/// A tenant whose consent predates Microsoft Graph's grant: it reads (ARM's grant is there), but
/// Entra ID refuses Graph's token (`AADSTS65001`), and Partner Center says its consent exists
/// (409). Partner Center cannot be asked what a consent grants: the read asks Graph, the
/// readiness table says the tenant needs consent, and a run for every tenant that needs it
/// renews that consent (deleted, made again with every grant), after which Graph answers there.
#[tokio::test]
async fn a_consent_that_predates_graphs_grant_is_found_by_the_read_and_renewed_by_the_run() {
    let customers = vec![customer("c-old", "tenant-old", "Old Consent Ltd"), customer("c-new", "tenant-new", "New Consent Ltd")];
    let tenants: HashMap<String, Tenant> = [("tenant-old".to_owned(), Tenant::Reservations(vec![])), ("tenant-new".to_owned(), Tenant::Reservations(vec![]))].into();
    let d = desk_of_with(customers, tenants, contract::Settings::default()).await;
    d.stand_ins.consent_exists("c-old");
    d.stand_ins.graph(|g| g.directory_token_refused.insert("tenant-old".into()));
    let admin = d.global_admin();
    azure_desk::read_as(&d, &admin).await;

    let before = readiness(&d, &admin).await;
    let (old, new) = (&before["c-old"], &before["c-new"]);
    assert_eq!((old["state"].as_str(), old["needsConsent"].as_bool()), (Some("ready"), Some(true)), "it reads, and needs Graph's consent: {old}");
    assert_eq!(old["directory"]["state"], "notConsented", "{old}");
    assert!(old["directory"]["error"]["message"].as_str().is_some_and(|m| m.contains("AADSTS65001")), "Entra ID's words: {old}");
    assert_eq!((new["directory"]["state"].as_str(), new["needsConsent"].as_bool()), (Some("answered"), Some(false)), "{new}");
    let probes = d.stand_ins.graph(|g| g.directory_requests.iter().filter(|(t, c, q, _)| t == "tenant-new" && c == "users" && q.get("$top").map(String::as_str) == Some("1")).count());
    assert_eq!(probes, 1, "the read asked Graph once in the tenant");

    // Read again: Graph answered within the week, so it is not asked again where it answered.
    azure_desk::read_as(&d, &admin).await;
    let probes_after = d.stand_ins.graph(|g| g.directory_requests.iter().filter(|(t, c, ..)| t == "tenant-new" && c == "users").count());
    assert_eq!(probes_after, 1, "an answer stands for a week");

    // The run for every tenant that needs consent renews the old one.
    let (status, location, run) = start(&d.router, &admin, json!({"all": true})).await;
    assert_eq!((status, run["total"].as_u64()), (StatusCode::ACCEPTED, Some(1)), "{run}");
    let run = finished(&d, &admin, &location.unwrap()).await;
    let tenant = &run["tenants"][0];
    assert_eq!((tenant["customerId"].as_str(), tenant["state"].as_str(), tenant["status"].as_u64()), (Some("c-old"), Some("renewed"), Some(201)), "{run}");
    let deleted = d.stand_ins.record(|r| r.consent_deletions.clone());
    assert_eq!(deleted.len(), 1, "{deleted:?}");
    assert_eq!((deleted[0].0.as_str(), deleted[0].1.as_str()), ("c-old", CLIENT_ID), "the desk's own app's consent, in that customer");
    let asked = d.stand_ins.record(|r| r.consents.clone());
    assert_eq!(asked.len(), 2, "asked (409), then made again after the deletion: {asked:?}");
    assert_ne!(asked[0].1, asked[1].1, "the consent made again carries its own MS-RequestId");
    assert_ne!(deleted[0].2, asked[1].1);
    assert_eq!(asked[1].2["applicationGrants"][1]["enterpriseApplicationId"], "00000003-0000-0000-c000-000000000000", "with Graph's grant");

    // Read again at once: Graph answers there now, and nothing needs consent.
    let after = readiness(&d, &admin).await;
    assert_eq!((after["c-old"]["directory"]["state"].as_str(), after["c-old"]["needsConsent"].as_bool()), (Some("answered"), Some(false)), "{}", after["c-old"]);
    let (_, audit) = d.call_as(&admin, "GET", "/api/audit", None).await;
    let entry = audit.as_array().unwrap().iter().find(|e| e["action"] == "consentApplication" && e["customerId"] == "c-old").unwrap().clone();
    assert!(entry["change"].as_str().unwrap().contains("renewed the desk's API app's consent in tenant tenant-old"), "{entry}");
    assert_eq!(entry["detail"]["state"], "renewed", "{entry}");
    let (status, _, run) = start(&d.router, &admin, json!({"all": true})).await;
    assert_eq!((status, run["total"].as_u64()), (StatusCode::ACCEPTED, Some(0)), "no tenant needs consent now: {run}");
}

/// What the people picker hears from Graph is kept on the customer: a tenant the read found not
/// consented for Graph, where Graph answers the picker later (the consent was fixed outside the
/// desk), says so at once in the readiness table, and a refusal after an answer says that.
#[tokio::test]
async fn what_the_people_picker_hears_is_what_readiness_says_of_the_directory() {
    let customers = vec![customer("c-1", "tenant-1", "Contoso")];
    let tenants: HashMap<String, Tenant> = [("tenant-1".to_owned(), Tenant::Reservations(vec![reservation("order-1", "res-1", "vm", 1, 70.0)]))].into();
    let d = desk_of_with(customers, tenants, contract::Settings::default()).await;
    d.stand_ins.graph(|g| g.directory_token_refused.insert("tenant-1".into()));
    let admin = d.global_admin();
    azure_desk::read_as(&d, &admin).await;
    let row = &readiness(&d, &admin).await["c-1"];
    assert_eq!((row["directory"]["state"].as_str(), row["needsConsent"].as_bool()), (Some("notConsented"), Some(true)), "{row}");

    d.stand_ins.graph(|g| g.directory_token_refused.remove("tenant-1"));
    let picker = "/api/reservationOrders/order-1/principals?search=ann";
    let (status, found) = d.call_as(&admin, "GET", picker, None).await;
    assert_eq!((status, found.get("refused")), (StatusCode::OK, None), "{found}");
    let row = &readiness(&d, &admin).await["c-1"];
    assert_eq!((row["directory"]["state"].as_str(), row["needsConsent"].as_bool()), (Some("answered"), Some(false)), "{row}");

    // Graph throttling the picker says nothing of the consent: the answer stands.
    d.stand_ins.graph(|g| g.directory_throttled.insert("tenant-1".into(), 30));
    let (_, found) = d.call_as(&admin, "GET", picker, None).await;
    assert!(found["refused"].as_array().is_some_and(|r| r.iter().any(|k| k["kind"] == "throttled")), "{found}");
    assert_eq!(readiness(&d, &admin).await["c-1"]["directory"]["state"], "answered");
}

/// A stale `notConsented` word deletes nothing: the tenant's consent was renewed outside the desk,
/// so Graph answers there now, and no read has asked since. The run asks Graph's token there again
/// before it would delete, finds it given, keeps the consent (`alreadyConsented`) and Graph's
/// new answer.
#[tokio::test]
async fn a_stale_not_consented_word_does_not_delete_a_working_consent() {
    let customers = vec![customer("c-old", "tenant-old", "Old Consent Ltd")];
    let tenants: HashMap<String, Tenant> = [("tenant-old".to_owned(), Tenant::Reservations(vec![]))].into();
    let d = desk_of_with(customers, tenants, contract::Settings::default()).await;
    d.stand_ins.consent_exists("c-old");
    d.stand_ins.graph(|g| g.directory_token_refused.insert("tenant-old".into()));
    let admin = d.global_admin();
    azure_desk::read_as(&d, &admin).await;
    assert_eq!(readiness(&d, &admin).await["c-old"]["directory"]["state"], "notConsented");

    // Fixed outside the desk: Graph's token is given there now; the desk has not asked since.
    d.stand_ins.graph(|g| g.directory_token_refused.remove("tenant-old"));
    let (status, location, run) = start(&d.router, &admin, json!({"all": true})).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{run}");
    let run = finished(&d, &admin, &location.unwrap()).await;
    let deleted = d.stand_ins.record(|r| r.consent_deletions.clone());
    assert!(deleted.is_empty(), "a consent that grants Graph now was deleted on a stale word: {deleted:?}; run {run}");
    assert_eq!(run["tenants"][0]["state"], "alreadyConsented", "{run}");
    let row = &readiness(&d, &admin).await["c-old"];
    assert_eq!((row["directory"]["state"].as_str(), row["needsConsent"].as_bool()), (Some("answered"), Some(false)), "{row}");
}
