//! The desk reads the partner's real Azure. `--source azure` against
//! stand-ins of Entra ID's token endpoint (the on-behalf-of grant), Partner Center and ARM on
//! loopback (`azure_stand_ins`, written from Microsoft's documentation), signing the user in
//! through the test identity provider (`oidc_provider`). Customers come from Partner Center
//! over several pages, each tenant's reservations from ARM over several pages; a tenant
//! answering 403 or throttling past the waits is shown on that customer while the others load;
//! a `Retry-After` is honoured without the test waiting; changes but refunds are refused.

use crate::azure_desk;
use crate::azure_stand_ins;

use std::collections::HashMap;
use std::time::Duration;

use axum::http::StatusCode;
use azure_desk::*;
use azure_stand_ins::*;
use reservation_desk_server::server_store::ServerStore;
use serde_json::{json, Value};

#[tokio::test]
async fn azure_mode_lists_partner_center_customers_and_each_tenants_reservations_over_pages() {
    let started = std::time::Instant::now();
    let d = desk().await;
    let summary = read(&d).await;
    assert_eq!((&summary["state"], &summary["read"], &summary["failed"], &summary["total"]), (&json!("done"), &json!(3), &json!(2), &json!(5)), "{summary}");
    assert_eq!(summary["unattended"], false, "on behalf of the signed-in user: {summary}");

    // Partner Center's five customers came over three pages, each tenant's reservations over
    // ARM's pages (contoso's five over three).
    d.stand_ins.record(|r| {
        assert_eq!(r.partner_center_pages, 3);
        assert_eq!(r.arm["tenant-contoso"], 3);
        assert!(r.refused.is_empty(), "every token was the right tenant's and audience's: {:?}", r.refused);
    });
    let (_, customers) = d.call("GET", "/api/customers", None).await;
    let counts: HashMap<String, u64> =
        customers.as_array().unwrap().iter().map(|c| (c["id"].as_str().unwrap().to_owned(), c["reservationCount"].as_u64().unwrap())).collect();
    assert_eq!(counts, HashMap::from([("contoso".into(), 5), ("fabrikam".into(), 1), ("slow".into(), 1), ("forbidden".into(), 0), ("flooded".into(), 0)]), "no demo customer");
    let (_, contoso) = d.call("GET", "/api/customers/contoso/reservations", None).await;
    let names: Vec<&str> = contoso.as_array().unwrap().iter().map(|r| r["displayName"].as_str().unwrap()).collect();
    assert_eq!(names.len(), 5, "{names:?}");
    assert_eq!(contoso[0]["utilization"]["last30Days"], "80.0", "ARM's aggregates, digit for digit");
    let (status, detail) = d.call("GET", "/api/reservationOrders/order-f/reservations/res-f1", None).await;
    assert_eq!((status, &detail["quantity"], &detail["customerId"]), (StatusCode::OK, &json!(2), &json!("fabrikam")));

    // The throttled tenant was waited out by its Retry-After (30 s asked, none spent).
    let (_, slow) = d.call("GET", "/api/source/customers/slow", None).await;
    assert!(slow["readAt"].is_string() && slow.get("error").is_none(), "{slow}");
    assert!(d.waits.lock().unwrap().contains(&Duration::from_secs(30)), "{:?}", d.waits.lock().unwrap());

    // The tenant without a GDAP role, and the one throttled past the waits, say why.
    let (_, forbidden) = d.call("GET", "/api/source/customers/forbidden", None).await;
    assert_eq!((&forbidden["error"]["code"], &forbidden["error"]["status"], &forbidden["tenantId"]), (&json!("AuthorizationFailed"), &json!(403), &json!("tenant-forbidden")));
    assert!(forbidden["error"]["message"].as_str().unwrap().contains("does not have authorization"), "Azure's message: {forbidden}");
    assert!(forbidden.get("readAt").is_none(), "{forbidden}");
    let (_, flooded) = d.call("GET", "/api/source/customers/flooded", None).await;
    assert_eq!((&flooded["error"]["code"], &flooded["error"]["status"]), (&json!("TooManyRequests"), &json!(429)));

    // The settings say where the data comes from.
    let (_, settings) = d.call("GET", "/api/settings", None).await;
    assert_eq!(settings["source"], "azure");
    println!("azure_source_api: read and checked in {:?}", started.elapsed());
    assert!(started.elapsed() < Duration::from_secs(20), "no Retry-After was slept: {:?}", started.elapsed());
}

#[tokio::test]
async fn tokens_are_asked_once_per_tenant_and_resource_and_a_second_read_replaces_the_cache() {
    let d = desk().await;
    read(&d).await;
    read(&d).await;
    d.stand_ins.record(|r| {
        assert_eq!(r.tokens[&(PARTNER_TENANT.to_owned(), format!("{PARTNER_CENTER_AUDIENCE}/user_impersonation"))], 1);
        assert_eq!(r.tokens[&("tenant-contoso".to_owned(), format!("{ARM_AUDIENCE}/user_impersonation"))], 1, "cached until shortly before expiry");
    });
    let (status, one) = d.call("POST", "/api/source/customers/fabrikam/refresh", None).await;
    assert_eq!(status, StatusCode::OK, "{one}");
    assert!(one["readAt"].is_string() && one.get("error").is_none(), "{one}");
    let (status, problem) = d.call("POST", "/api/source/customers/nobody/refresh", None).await;
    assert_eq!((status, &problem["code"]), (StatusCode::NOT_FOUND, &json!("notFound")));
}

#[tokio::test]
async fn in_azure_mode_changes_are_refused_with_the_reason_and_nothing_changes() {
    let d = desk().await;
    read(&d).await;
    // Every change goes through Azure (refunds, exchanges, configuration changes, role
    // assignments: azure_refund_api.rs, azure_exchange_api.rs, azure_changes_api.rs,
    // azure_access_control_api.rs); one Azure cannot take is refused with the reason, and
    // nothing is made in the desk's cache.
    let changes = [
        ("POST", "/api/reservationOrders/order-f/roleAssignments", json!({"principalName": "ada@contoso.com", "principalType": "User", "role": "Reservations Reader"})),
    ];
    for (method, path, body) in changes {
        let (status, problem) = d.call(method, path, Some(body)).await;
        assert_eq!((status, &problem["code"]), (StatusCode::BAD_REQUEST, &json!("invalidPrincipal")), "ARM names a principal by its object ID: {method} {path}: {problem}");
    }
    let (_, detail) = d.call("GET", "/api/reservationOrders/order-f/reservations/res-f1", None).await;
    assert_eq!(detail["displayName"], "fabrikam sql", "nothing changed locally");
    let (_, assignments) = d.call("GET", "/api/reservationOrders/order-f/roleAssignments", None).await;
    assert!(!assignments.to_string().contains("ada@contoso.com"), "no assignment made locally: {assignments}");
    // A quote still answers on the cached data (at the price of the reservation's order), Azure's
    // calculation beside it (refunds go through Azure: azure_refund_api.rs).
    let (status, quote) = d.call("POST", "/api/reservationOrders/order-f/calculateRefund", Some(json!({"reservationId": "res-f1", "quantity": 1}))).await;
    assert_eq!(status, StatusCode::OK, "{quote}");
}

#[tokio::test]
async fn the_sql_store_keeps_snapshots_as_the_memory_store_does() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/snap.sqlite", dir.path().display());
    let store = ServerStore::open_seeding(&url, &desk::audit_chain::ChainKey::none(), false).await.unwrap();
    desk::source::check::snapshots_replace_and_failures_keep(&store).await;
    desk::gdap::check::gdap_reads_replace_and_failures_keep(&store).await;
    desk::source::check::directory_words_are_kept_through_reads(&store).await;
}

#[tokio::test]
async fn a_tenants_consent_is_claimed_by_one_run_at_a_time_in_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/consents.sqlite", dir.path().display());
    let store = ServerStore::open_seeding(&url, &desk::audit_chain::ChainKey::none(), false).await.unwrap();
    desk::source::check::consent_claims_hold_once_per_tenant(&store).await;
}

/// The on-behalf-of exchange against a real token endpoint: npm's oidc-provider with the JWT
/// bearer grant registered, authenticating the desk's confidential client and verifying the
/// user's assertion; Partner Center and ARM take its tokens as Entra ID's. Without tools/'s
/// oidc-provider (a worktree without `scripts/setup.sh`) it says so and passes, unless
/// `DESK_REQUIRE_NODE` is set, as `scripts/test.sh` sets it.
#[tokio::test]
async fn the_on_behalf_of_exchange_works_against_npms_oidc_provider() {
    if tools().is_none() {
        assert!(std::env::var_os("DESK_REQUIRE_NODE").is_none(), "oidc-provider is not installed in tools/: run scripts/setup.sh");
        eprintln!("skipped: oidc-provider is not installed in tools/ (scripts/setup.sh installs it)");
        return;
    }
    let d = desk_at(None, true, CLIENT_SECRET).await;
    let summary = read(&d).await;
    assert_eq!((&summary["read"], &summary["failed"]), (&json!(3), &json!(2)), "{summary}");
    d.stand_ins.record(|r| {
        assert!(r.tokens.is_empty(), "no token came from the Rust stand-in's endpoint");
        assert!(r.refused.is_empty(), "oidc-provider's tokens passed as the tenant's and service's: {:?}", r.refused);
    });
    let (_, contoso) = d.call("GET", "/api/customers/contoso/reservations", None).await;
    assert_eq!(contoso.as_array().map(Vec::len), Some(5));
    let (_, forbidden) = d.call("GET", "/api/source/customers/forbidden", None).await;
    assert_eq!(forbidden["error"]["code"], "AuthorizationFailed");

    // The provider authenticates the desk's client: a wrong secret reads nothing, and says why.
    let wrong = desk_at(None, true, "not-the-secret").await;
    let ended = read(&wrong).await;
    assert_eq!((&ended["state"], &ended["error"]["code"]), (&json!("failed"), &json!("invalid_client")), "{ended}");
    assert!(!ended.to_string().contains("not-the-secret"), "the secret is never shown: {ended}");
    assert_eq!(wrong.call("GET", "/api/customers", None).await.1, json!([]));
}

#[tokio::test]
async fn the_first_signed_in_request_after_start_reads_azure_in_the_background() {
    let d = desk().await;
    let (status, customers) = d.call("GET", "/api/customers", None).await;
    assert_eq!((status, customers), (StatusCode::OK, json!([])), "nothing read yet: a new database, no demo");
    let mut listed = Value::Null;
    for _ in 0..100 {
        listed = d.call("GET", "/api/customers", None).await.1;
        if listed.as_array().is_some_and(|l| l.len() == 5) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(listed.as_array().map(Vec::len), Some(5), "{listed}");
    d.stand_ins.record(|r| assert_eq!(r.partner_center_pages, 3, "read once, not once per request"));
}
