//! Grants through the server's two surfaces, with the limited demo user (a member of the demo
//! group granted Contoso and Fabrikam): the cached reservation list and the Azure surface answer
//! it only for its customers, and another customer as one that does not exist. The grant matrix
//! itself is the contract suite's (`the_grant_matrix_…`), on every store.

use crate::common;

use common::{call, call_as, fresh, CONTOSO, FABRIKAM};
use desk_service::access::DEMO_LIMITED_TOKEN;
use axum::http::StatusCode;
use serde_json::{json, Value};

const NORTHWIND: &str = contract::seed::CUSTOMERS[2].0;
const V: &str = "api-version=2022-11-01";

/// The reservation order IDs of `customer`, as `/api` lists them to the Global admin.
async fn orders_of(router: &axum::Router, customer: &str) -> Vec<String> {
    let (_, list) = call(router, "GET", &format!("/api/customers/{customer}/reservations"), None).await;
    let mut ids: Vec<String> = list.as_array().unwrap().iter().map(|r| r["reservationOrderId"].as_str().unwrap().to_owned()).collect();
    ids.sort();
    ids.dedup();
    ids
}

#[tokio::test]
async fn a_list_another_user_had_cached_is_still_a_404_for_a_user_not_granted_its_customer() {
    let (router, _dir, _) = fresh().await;
    let path = format!("/api/customers/{NORTHWIND}/reservations");
    let (status, _) = call(&router, "GET", &path, None).await;
    assert_eq!(status, StatusCode::OK, "the Global admin's answer is cached");
    let (status, problem) = call_as(&router, DEMO_LIMITED_TOKEN, "GET", &path, None).await;
    assert_eq!((status, problem["detail"].as_str()), (StatusCode::NOT_FOUND, Some(format!("No customer has the ID '{NORTHWIND}'.").as_str())));
    let (status, _) = call_as(&router, DEMO_LIMITED_TOKEN, "GET", &format!("/api/customers/{CONTOSO}/reservations"), None).await;
    assert_eq!(status, StatusCode::OK);
    let (_, customers) = call_as(&router, DEMO_LIMITED_TOKEN, "GET", "/api/customers", None).await;
    let names: Vec<&str> = customers.as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Contoso Ltd", "Fabrikam Inc"]);
}

#[tokio::test]
async fn the_azure_surface_lists_and_finds_only_the_granted_customers_orders() {
    let (router, _dir, _) = fresh().await;
    let mut granted = orders_of(&router, CONTOSO).await;
    granted.extend(orders_of(&router, FABRIKAM).await);
    granted.sort();
    let (status, orders) = call_as(&router, DEMO_LIMITED_TOKEN, "GET", &format!("/providers/Microsoft.Capacity/reservationOrders?{V}"), None).await;
    assert_eq!(status, StatusCode::OK, "{orders}");
    let mut listed: Vec<String> = orders["value"].as_array().unwrap().iter().map(|o| o["name"].as_str().unwrap().to_owned()).collect();
    listed.sort();
    assert_eq!(listed, granted);
    let (_, all) = call_as(&router, DEMO_LIMITED_TOKEN, "GET", &format!("/providers/Microsoft.Capacity/reservations?{V}"), None).await;
    let of_granted = |r: &Value| granted.iter().any(|o| r["id"].as_str().unwrap().contains(&format!("/reservationOrders/{o}/")));
    assert!(all["value"].as_array().unwrap().iter().all(of_granted), "{all}");

    let northwind = orders_of(&router, NORTHWIND).await[0].clone();
    let (status, body) = call_as(&router, DEMO_LIMITED_TOKEN, "GET", &format!("/providers/Microsoft.Capacity/reservationOrders/{northwind}?{V}"), None).await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::NOT_FOUND, Some("notFound")), "{body}");
    let (_, list) = call(&router, "GET", &format!("/api/customers/{NORTHWIND}/reservations"), None).await;
    let r = list.as_array().unwrap().iter().find(|r| r["reservationOrderId"] == northwind.as_str()).unwrap();
    let path = format!("/providers/Microsoft.Capacity/reservationOrders/{northwind}/reservations/{}?{V}", r["id"].as_str().unwrap());
    let (status, body) = call_as(&router, DEMO_LIMITED_TOKEN, "PATCH", &path, Some(json!({ "properties": { "displayName": "mine-now" } }))).await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::NOT_FOUND, Some("notFound")), "{body}");
    let (status, _) = call_as(&router, "demo-admin-agent", "GET", &path, None).await;
    assert_eq!(status, StatusCode::OK, "a user in no granted group sees it");
}

#[tokio::test]
async fn a_new_database_without_the_demo_users_holds_no_grant_and_so_shows_every_customer() {
    use desk::store::Store;
    let dir = tempfile::tempdir().unwrap();
    let key = desk::audit_chain::ChainKey::none();
    let day = chrono::Utc::now().date_naive();
    let url = format!("sqlite://{}/oidc.sqlite", dir.path().display());
    let seed = reservation_desk_server::db::Seed { day, demo_grants: false };
    let store = reservation_desk_server::server_store::ServerStore::open_with_seed(&url, &key, Some(seed)).await.unwrap();
    assert_eq!(store.grants().await.unwrap(), Vec::new(), "no grant governs a real user's groups");
    let grouped = contract::User {
        user_principal_name: "agent@partner.example".into(),
        display_name: "Agent".into(),
        role: contract::PartnerRole::AdminAgent,
        id: Some("oid-1".into()),
        other_roles: Vec::new(),
        groups: vec!["5d0c1b2a-3e4f-4a5b-8c6d-7e8f9a0b1c2d".into()],
    };
    assert!(!desk_service::access::governed_by_grants(&grouped, &store.grants().await.unwrap()), "a user in a group keeps the token's roles");
    assert_eq!(store.customers().await.unwrap().len(), contract::seed::CUSTOMERS.len());
    let demo = reservation_desk_server::server_store::ServerStore::open_with_seed(
        &format!("sqlite://{}/demo.sqlite", dir.path().display()),
        &key,
        Some(reservation_desk_server::db::Seed::demo(day)),
    )
    .await
    .unwrap();
    assert_eq!(demo.grants().await.unwrap().len(), 2, "the demo's two grants where its users sign in");
}
