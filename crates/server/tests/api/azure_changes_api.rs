//! In Azure mode a configuration change, a split, a merge, an
//! archive and an unarchive made in the desk go to ARM first (the stand-in in
//! `azure_stand_ins/arm_changes.rs`, long-running as Microsoft documents it), are followed to
//! their end with `Retry-After` honoured (recorded, not slept), and only then recorded: the
//! desk's cache is read again from ARM, so it shows what Azure holds, and the audit entry names
//! the operation's URL. Azure refusing (403) or out of reach (503) answers its reason and
//! changes nothing.

use crate::azure_desk;

use std::time::Duration;

use axum::http::StatusCode;
use azure_desk::*;
use serde_json::{json, Value};

/// The desk over the stand-ins, read once.
async fn read_desk() -> Desk {
    let d = desk().await;
    read(&d).await;
    d.waits.lock().unwrap().clear();
    d
}

fn in_stand_in(d: &Desk, tenant: &str, id: &str) -> Value {
    d.stand_ins
        .listed(tenant)
        .into_iter()
        .find(|r| r["id"].as_str().is_some_and(|i| i.ends_with(&format!("/reservations/{id}"))))
        .unwrap_or(Value::Null)
}

async fn audit_of(d: &Desk, action: &str) -> Vec<Value> {
    let (status, audit) = d.call("GET", "/api/audit?customerId=contoso", None).await;
    assert_eq!(status, StatusCode::OK, "{audit}");
    audit.as_array().unwrap().iter().filter(|e| e["action"] == action).cloned().collect()
}

fn waits(d: &Desk) -> Vec<Duration> {
    d.waits.lock().unwrap().clone()
}

#[tokio::test]
async fn a_scope_change_goes_to_arm_is_followed_to_its_end_and_the_cache_shows_azures_result() {
    let started = std::time::Instant::now();
    let d = read_desk().await;
    let patch = json!({"appliedScopeType": "Single", "appliedScopeProperties": {"subscriptionId": "/subscriptions/sub-contoso-prod", "displayName": "Production"}, "displayName": "contoso web"});
    let (status, answer) = d.call("PATCH", "/api/reservationOrders/order-c/reservations/res-c1", Some(patch)).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!((&answer["appliedScopeType"], &answer["displayName"]), (&json!("Single"), &json!("contoso web")));
    assert_eq!(answer["appliedScopeProperties"]["subscriptionId"], "/subscriptions/sub-contoso-prod");

    // ARM holds it: the stand-in's reservation changed, by the PATCH ARM documents.
    let arm = in_stand_in(&d, "tenant-contoso", "res-c1");
    assert_eq!((&arm["properties"]["appliedScopeType"], &arm["properties"]["displayName"]), (&json!("Single"), &json!("contoso web")));
    assert_eq!(arm["properties"]["appliedScopes"], json!(["/subscriptions/sub-contoso-prod"]));
    let requests = d.stand_ins.arm_changes(|c| c.requests.clone());
    let methods: Vec<(&str, &str)> = requests.iter().map(|r| (r.method.as_str(), r.tenant.as_str())).collect();
    assert_eq!(methods, [("PATCH", "tenant-contoso"), ("GET", "tenant-contoso"), ("GET", "tenant-contoso")], "one PATCH, then two polls");
    assert_eq!(requests[0].body["properties"]["name"], "contoso web", "the rename as ARM names it");
    d.stand_ins.record(|r| assert!(r.refused.is_empty(), "every token was ARM's for the tenant: {:?}", r.refused));

    // Followed to its end: the 202's Retry-After, then the running poll's, recorded, not slept.
    assert_eq!(waits(&d), [Duration::from_secs(5), Duration::from_secs(3)]);
    assert!(started.elapsed() < Duration::from_secs(20), "{:?}", started.elapsed());

    // The cache is Azure's: the reservation read back, and the audit names the operation.
    let (_, detail) = d.call("GET", "/api/reservationOrders/order-c/reservations/res-c1", None).await;
    assert_eq!((&detail["appliedScopeType"], &detail["displayName"]), (&json!("Single"), &json!("contoso web")));
    let entries = audit_of(&d, "changeReservation").await;
    assert_eq!(entries.len(), 1, "{entries:?}");
    let change = entries[0]["change"].as_str().unwrap();
    assert!(change.contains("/providers/Microsoft.Capacity/operationResults/op-1"), "the operation's URL: {change}");
    assert!(change.contains("Azure answered HTTP 200"), "{change}");
    assert_eq!(entries[0]["target"], "reservationOrders/order-c/reservations/res-c1");
    assert_eq!((&entries[0]["detail"]["kind"], &entries[0]["detail"]["throughAzure"]), (&json!("configuration"), &json!(true)), "{}", entries[0]);
    assert!(entries[0]["detail"]["changes"].as_array().is_some_and(|c| c.iter().any(|c| c["setting"] == "name" && c["to"] == "contoso web")), "{}", entries[0]);
    let (_, revisions) = d.call("GET", "/api/reservationOrders/order-c/reservations/res-c1/revisions", None).await;
    assert_eq!(revisions[0]["reservation"]["appliedScopeType"], "Single", "the revision is Azure's result: {revisions}");
}

#[tokio::test]
async fn a_split_then_a_merge_then_archive_and_unarchive_round_trip_through_arm() {
    let d = read_desk().await;
    let (status, parts) = d.call("POST", "/api/reservationOrders/order-c/split", Some(json!({"reservationId": "res-c3", "quantities": [1, 2]}))).await;
    assert_eq!(status, StatusCode::OK, "{parts}");
    let answered: Vec<(&str, u64, &str)> =
        parts.as_array().unwrap().iter().map(|r| (r["id"].as_str().unwrap(), r["quantity"].as_u64().unwrap(), r["provisioningState"].as_str().unwrap())).collect();
    assert_eq!(answered, [("res-c3", 3, "Split"), ("res-c3-split-1", 1, "Succeeded"), ("res-c3-split-2", 2, "Succeeded")], "as local mode orders it, Azure's IDs");
    assert_eq!(in_stand_in(&d, "tenant-contoso", "res-c3")["properties"]["provisioningState"], "Split");
    assert_eq!(in_stand_in(&d, "tenant-contoso", "res-c3-split-2")["properties"]["quantity"], 2);
    assert_eq!(d.stand_ins.arm_changes(|c| c.requests[0].body.clone()), json!({"properties": {"quantities": [1, 2], "reservationId": "/providers/microsoft.capacity/reservationOrders/order-c/reservations/res-c3"}}));
    assert_eq!(waits(&d), [Duration::from_secs(5), Duration::from_secs(3)]);
    let (_, listed) = d.call("GET", "/api/customers/contoso/reservations", None).await;
    assert_eq!(listed.as_array().unwrap().len(), 7, "the cache lists Azure's two new parts beside the five");
    let split = audit_of(&d, "splitReservation").await;
    assert!(split[0]["change"].as_str().unwrap().contains("order-c/res-c3-split-1 Succeeded (1 units)"), "what Azure answered: {split:?}");
    assert_eq!(split[0]["detail"], json!({"kind": "split", "quantity": 3, "parts": [1, 2], "throughAzure": true}), "{split:?}");

    // The desk's own rule still decides first: a split that does not add up never reaches ARM.
    let before = d.stand_ins.arm_changes(|c| c.requests.len());
    let (status, problem) = d.call("POST", "/api/reservationOrders/order-c/split", Some(json!({"reservationId": "res-c4", "quantities": [1, 1]}))).await;
    assert_eq!((status, &problem["code"]), (StatusCode::BAD_REQUEST, &json!("quantityOutOfRange")), "{problem}");
    assert_eq!(d.stand_ins.arm_changes(|c| c.requests.len()), before, "nothing asked of Azure");

    let (status, merged) =
        d.call("POST", "/api/reservationOrders/order-c/merge", Some(json!({"sources": ["res-c3-split-1", "res-c3-split-2"]}))).await;
    assert_eq!(status, StatusCode::OK, "{merged}");
    assert_eq!((&merged[0]["quantity"], &merged[0]["provisioningState"]), (&json!(3), &json!("Succeeded")), "{merged}");
    assert_eq!(merged[1]["provisioningState"], "Merged");
    let merged_id = merged[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(in_stand_in(&d, "tenant-contoso", &merged_id)["properties"]["quantity"], 3);

    // Archive the split reservation (finished), then unarchive it: ARM's 200, no polling.
    d.waits.lock().unwrap().clear();
    let (status, archived) = d.call("POST", "/api/reservationOrders/order-c/reservations/res-c3/archive", Some(json!({}))).await;
    assert_eq!((status, &archived["archived"]), (StatusCode::OK, &json!(true)), "{archived}");
    assert_eq!(in_stand_in(&d, "tenant-contoso", "res-c3")["properties"]["archived"], true);
    assert!(waits(&d).is_empty(), "answered at once: {:?}", waits(&d));
    let entry = audit_of(&d, "archiveReservation").await;
    assert!(entry[0]["change"].as_str().unwrap().contains("answered at once"), "{entry:?}");
    let (status, back) = d.call("POST", "/api/reservationOrders/order-c/reservations/res-c3/unarchive", Some(json!({}))).await;
    assert_eq!((status, back["archived"].as_bool().unwrap_or(false), &back["id"]), (StatusCode::OK, false, &json!("res-c3")), "{back}");
    assert_eq!(in_stand_in(&d, "tenant-contoso", "res-c3")["properties"]["archived"], false);

    // Archiving an active reservation is the desk's refusal, as in local mode; ARM is not asked.
    let before = d.stand_ins.arm_changes(|c| c.requests.len());
    let (status, problem) = d.call("POST", "/api/reservationOrders/order-c/reservations/res-c1/archive", Some(json!({}))).await;
    assert_eq!((status, &problem["code"]), (StatusCode::BAD_REQUEST, &json!("isActive")), "{problem}");
    assert_eq!(d.stand_ins.arm_changes(|c| c.requests.len()), before);
}

#[tokio::test]
async fn azure_refusing_answers_azures_reason_and_nothing_changes() {
    let d = read_desk().await;
    d.stand_ins.arm_changes(|c| {
        c.read_only.insert("tenant-contoso".into());
    });
    let (status, problem) = d.call("PATCH", "/api/reservationOrders/order-c/reservations/res-c1", Some(json!({"displayName": "renamed"}))).await;
    assert_eq!((status, &problem["code"]), (StatusCode::FORBIDDEN, &json!("upstreamForbidden")), "{problem}");
    let detail = problem["detail"].as_str().unwrap();
    assert!(detail.contains("AuthorizationFailed") && detail.contains("does not have authorization"), "Azure's code and message: {detail}");
    let (_, cached) = d.call("GET", "/api/reservationOrders/order-c/reservations/res-c1", None).await;
    assert_eq!(cached["displayName"], "contoso vm 1", "nothing changed in the cache");
    assert_eq!(in_stand_in(&d, "tenant-contoso", "res-c1")["properties"]["displayName"], "contoso vm 1");
    assert!(audit_of(&d, "changeReservation").await.is_empty(), "nothing recorded as done");

    // An operation ARM accepted that ends failed: Azure's reason, nothing recorded.
    d.stand_ins.arm_changes(|c| {
        c.read_only.clear();
        c.fail_operations = true;
    });
    let (status, problem) = d.call("POST", "/api/reservationOrders/order-c/split", Some(json!({"reservationId": "res-c2", "quantities": [1, 1]}))).await;
    assert_eq!((status, &problem["code"]), (StatusCode::CONFLICT, &json!("upstreamRefused")), "{problem}");
    assert!(problem["detail"].as_str().unwrap().contains("ReservationOperationFailed"), "{problem}");
    assert_eq!(in_stand_in(&d, "tenant-contoso", "res-c2")["properties"]["provisioningState"], "Succeeded");
    assert!(audit_of(&d, "splitReservation").await.is_empty());
}

#[tokio::test]
async fn arm_down_answers_upstream_unavailable_with_retry_after_and_nothing_changes() {
    let d = read_desk().await;
    d.stand_ins.arm_changes(|c| c.down = true);
    let response = {
        use axum::body::Body;
        use axum::http::{header, Request};
        use tower::ServiceExt;
        let request = Request::builder()
            .method("POST")
            .uri("/api/reservationOrders/order-c/split")
            .header(header::AUTHORIZATION, format!("Bearer {}", d.token))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(json!({"reservationId": "res-c2", "quantities": [1, 1]}).to_string()))
            .unwrap();
        d.router.clone().oneshot(request).await.unwrap()
    };
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(response.headers()["retry-after"], "30");
    assert_eq!(response.headers()["content-type"], "application/problem+json");
    let (status, problem) = d.call("PATCH", "/api/reservationOrders/order-c/reservations/res-c1", Some(json!({"displayName": "renamed"}))).await;
    assert_eq!((status, &problem["code"]), (StatusCode::SERVICE_UNAVAILABLE, &json!("upstreamUnavailable")), "{problem}");
    // ARM's 503 was waited out by its Retry-After before it counted as the answer; a request
    // that came while the tenant was paused waited the rest of that pause.
    let two = Duration::from_secs(2);
    assert!(waits(&d).iter().all(|w| *w <= two) && waits(&d).iter().filter(|w| **w == two).count() >= 3, "{:?}", waits(&d));
    let (_, listed) = d.call("GET", "/api/customers/contoso/reservations", None).await;
    assert!(listed.as_array().unwrap().iter().all(|r| r["provisioningState"] == "Succeeded" && r["displayName"] != "renamed"), "{listed}");
    assert!(audit_of(&d, "splitReservation").await.is_empty() && audit_of(&d, "changeReservation").await.is_empty());

    // The cache stays readable.
    let (status, _) = d.call("GET", "/api/reservationOrders/order-c/reservations/res-c2", None).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn the_desks_own_azure_surface_does_not_change_the_cache_in_azure_mode() {
    let d = read_desk().await;
    let path = "/providers/Microsoft.Capacity/reservationOrders/order-c/reservations/res-c1?api-version=2022-11-01";
    let (status, body) = d.call("PATCH", path, Some(json!({"properties": {"name": "renamed"}}))).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body["error"]["message"].as_str().unwrap_or_default().contains("does not forward changes"), "{body}");
    assert!(d.stand_ins.arm_changes(|c| c.requests.is_empty()), "nothing asked of Azure");
    let (_, cached) = d.call("GET", "/api/reservationOrders/order-c/reservations/res-c1", None).await;
    assert_eq!(cached["displayName"], "contoso vm 1");
}

/// A read-only pilot (`--azure-read-only true`) reads and quotes the partner's Azure and sends it
/// nothing that changes anything: every change answers 409 `readOnlyPilot` before Azure is asked,
/// Azure's own quote is still asked, the settings say so, and the audit chain records the mode.
#[tokio::test]
async fn a_read_only_pilot_reads_and_quotes_and_sends_azure_nothing_that_changes_anything() {
    let d = desk_with(contract::Settings { azure_read_only: true, ..contract::Settings::default() }).await;
    read(&d).await;
    d.state.desk.record_start(d.state.now()).await.unwrap();
    let (_, settings) = d.call("GET", "/api/settings", None).await;
    assert_eq!((&settings["source"], &settings["azureReadOnly"]), (&json!("azure"), &json!(true)), "{settings}");

    // Read: the customer's reservations came from ARM.
    let (status, listed) = d.call("GET", "/api/customers/contoso/reservations", None).await;
    assert_eq!(status, StatusCode::OK, "{listed}");
    assert!(listed.as_array().is_some_and(|v| !v.is_empty()), "{listed}");

    // Quoted: Azure's calculateRefund is asked (it moves nothing).
    let (status, quote) =
        d.call("POST", "/api/reservationOrders/order-c/calculateRefund", Some(json!({"reservationId": "res-c2", "quantity": 1}))).await;
    assert_eq!(status, StatusCode::OK, "{quote}");
    assert_eq!(d.stand_ins.refunds(|r| r.calculations), 1, "Azure's own quote is asked in the pilot");

    // Every change is refused before Azure is asked, saying why.
    let session = quote["sessionId"].as_str().unwrap_or_default().to_owned();
    let patch = json!({"displayName": "renamed in the pilot"});
    let changes = [
        ("PATCH", "/api/reservationOrders/order-c/reservations/res-c1", Some(patch)),
        ("POST", "/api/reservationOrders/order-c/return", Some(json!({"sessionId": session, "returnReason": "Bought too many"}))),
        ("POST", "/api/reservationOrders/order-c/split", Some(json!({"reservationId": "res-c1", "quantities": [1, 1]}))),
        ("POST", "/api/reservationOrders/order-c/reservations/res-c1/archive", None),
        ("POST", "/api/exchange", Some(json!({"sessionId": "any"}))),
    ];
    for (method, path, body) in changes {
        let (status, problem) = d.call(method, path, body).await;
        assert_eq!((status, problem["code"].as_str()), (StatusCode::CONFLICT, Some("readOnlyPilot")), "{method} {path}: {problem}");
        assert!(problem["detail"].as_str().is_some_and(|t| t.contains("read-only pilot")), "{problem}");
    }
    assert!(d.stand_ins.arm_changes(|c| c.requests.is_empty()), "no change reached ARM");
    assert_eq!(d.stand_ins.refunds(|r| r.returns_posted.len()), 0, "no return reached ARM");
    let (_, reservation) = d.call("GET", "/api/reservationOrders/order-c/reservations/res-c1", None).await;
    assert_ne!(reservation["displayName"], "renamed in the pilot");

    // The audit chain says under which mode this start runs.
    let (_, audit) = d.call("GET", "/api/audit", None).await;
    let started: Vec<&Value> = audit.as_array().unwrap().iter().filter(|e| e["action"] == desk::desk::AZURE_MODE_STARTED).collect();
    assert_eq!(started.len(), 1, "{audit}");
    assert!(started[0]["change"].as_str().unwrap().contains("read-only pilot"), "{}", started[0]);
    assert_eq!(started[0]["detail"], json!({"kind": "azureModeStarted", "readOnly": true}), "{}", started[0]);
    let verified = d.state.desk.verify_audit().await.unwrap();
    assert!(verified.intact, "the entry is in the chain: {verified:?}");
}
