//! Azure mode against what Microsoft published, not against answers the desk's own stand-ins
//! make up: the specification's example answers for Microsoft.Capacity 2022-11-01
//! (`crates/azure-api/tests/published/`, byte for byte), replayed by the ARM stand-in as
//! published, only placed in one tenant and their dates moved by whole years so the
//! reservations still run. They leave out `billingPlan`, `purchaseDate` or `term`, which the
//! specification does not require: the desk fills them from the reservation order and shows the
//! published figures. A refund on a replayed reservation posts `return` in the shape of
//! `Return.json` and follows its `202` to the end. One reservation ARM lists that cannot be read
//! is listed with why, and the other nineteen load. A failed call keeps the IDs Microsoft's
//! support asks for.

use crate::azure_desk;
use crate::azure_stand_ins;

use std::collections::BTreeMap;

use axum::http::StatusCode;
use azure_desk::*;
use azure_stand_ins::*;
use chrono::{Datelike, NaiveDate};
use serde_json::{json, Value};

const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../azure-api/tests/published/microsoft.capacity-2022-11-01/examples");
const TENANT: &str = "tenant-fabrikam";

fn example(name: &str) -> Value {
    let text = std::fs::read_to_string(format!("{EXAMPLES}/{name}")).unwrap_or_else(|e| panic!("{name}: {e}"));
    serde_json::from_str(&text).unwrap()
}

/// The day an ARM date or date-time names, when `text` is one.
fn day_of(text: &str) -> Option<NaiveDate> {
    let date = NaiveDate::parse_from_str(text.get(..10)?, "%Y-%m-%d").ok()?;
    (text.len() == 10 || text.as_bytes()[10] == b'T').then_some(date)
}

/// Every date and date-time in `v` moved by `years` whole years (the same day and time; 29
/// February becomes 28 February).
fn shift_years(v: &mut Value, years: i32) {
    match v {
        Value::String(text) => {
            if let Some(day) = day_of(text) {
                let moved = day.with_year(day.year() + years).or_else(|| day.with_day(28).and_then(|d| d.with_year(d.year() + years))).unwrap();
                text.replace_range(..10, &moved.format("%Y-%m-%d").to_string());
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| shift_years(i, years)),
        Value::Object(map) => map.values_mut().for_each(|i| shift_years(i, years)),
        _ => {}
    }
}

/// The fewest whole years that keep every reservation of `items` running today (its expiry
/// after today).
fn years_to_run(items: &[Value]) -> i32 {
    let today = chrono::Utc::now().date_naive();
    let latest = items.iter().filter_map(|r| r["properties"]["expiryDate"].as_str().and_then(day_of)).max().unwrap();
    (0..100).find(|n| latest.with_year(latest.year() + n).is_some_and(|d| d > today)).unwrap()
}

/// A reservation list's items, moved to run today: the items and the years they were moved by.
fn running(example_name: &str) -> (Vec<Value>, i32) {
    let mut items = example(example_name)["responses"]["200"]["body"]["value"].as_array().unwrap().clone();
    let years = years_to_run(&items);
    items.iter_mut().for_each(|r| shift_years(r, years));
    (items, years)
}

fn order_of(reservation: &Value) -> String {
    let id = reservation["id"].as_str().unwrap();
    id.split('/').skip_while(|s| !s.eq_ignore_ascii_case("reservationOrders")).nth(1).unwrap().to_owned()
}

fn bare_id(reservation: &Value) -> String {
    reservation["id"].as_str().unwrap().rsplit('/').next().unwrap().to_owned()
}

/// Fabrikam's tenant answering the published reservations (`GetReservations.json` and
/// `GetReservationsFromOrder.json`), each order with the published order of
/// `GetReservationOrderDetailsWithExpandPlanInformation.json` (466 USD for 7 units, P1Y, Monthly),
/// its ID mapped to the order and its dates moved as its reservations'.
async fn replaying() -> (Desk, Vec<Value>) {
    let d = desk().await;
    let (listed, listed_years) = running("GetReservations.json");
    let (from_order, from_order_years) = running("GetReservationsFromOrder.json");
    let mut orders: BTreeMap<String, i32> = BTreeMap::new();
    for (r, years) in listed.iter().map(|r| (r, listed_years)).chain(from_order.iter().map(|r| (r, from_order_years))) {
        orders.insert(order_of(r), years);
    }
    for (order, years) in orders {
        let mut body = example("GetReservationOrderDetailsWithExpandPlanInformation.json")["responses"]["200"]["body"].clone();
        body["id"] = json!(format!("/providers/microsoft.capacity/reservationOrders/{order}"));
        body["name"] = json!(order);
        shift_years(&mut body, years);
        d.stand_ins.order(TENANT, &order, |o| *o = Some(Order::Published(body)));
    }
    let all: Vec<Value> = listed.into_iter().chain(from_order).collect();
    d.stand_ins.tenant(TENANT, |t| *t.unwrap() = Tenant::Reservations(all.clone()));
    (d, all)
}

#[tokio::test]
async fn microsofts_published_reservations_read_with_their_figures() {
    let (d, published) = replaying().await;
    read(&d).await;
    let (status, source) = d.call("GET", "/api/source/customers/fabrikam", None).await;
    assert_eq!(status, StatusCode::OK, "{source}");
    assert!(source.get("error").is_none() && source.get("unread").is_none(), "every published reservation reads: {source}");

    let (status, listed) = d.call("GET", "/api/customers/fabrikam/reservations", None).await;
    assert_eq!(status, StatusCode::OK, "{listed}");
    assert_eq!(listed.as_array().unwrap().len(), published.len(), "{listed}");
    for p in &published {
        let id = bare_id(p);
        let (status, shown) = d.call("GET", &format!("/api/reservationOrders/{}/reservations/{id}", order_of(p)), None).await;
        assert_eq!(status, StatusCode::OK, "{id}: {shown}");
        let props = &p["properties"];
        assert_eq!(shown["quantity"], props["quantity"], "{id}");
        assert_eq!(shown["displayName"], props["displayName"], "{id}");
        assert_eq!(shown["expiryDate"], props["expiryDate"], "{id}: Azure's expiry, not the purchase date plus the term");
        assert_eq!(shown["provisioningState"], props["provisioningState"], "{id}");
        // Left out of the reservation: the order's (P1Y, Monthly).
        assert_eq!(shown["term"], props.get("term").cloned().unwrap_or(json!("P1Y")), "{id}");
        assert_eq!(shown["billingPlan"], props.get("billingPlan").cloned().unwrap_or(json!("Monthly")), "{id}");
        // 466 USD for 7 units: 66.571428… rounded half-even to the cent.
        assert_eq!(shown["unitPrice"], json!({"amount": "66.57", "currencyCode": "USD"}), "{id}");
        assert!(shown.get("priceUnknown").is_none(), "{id}: {shown}");
        if let Some(aggregates) = props["utilization"]["aggregates"].as_array() {
            let thirty = aggregates.iter().find(|a| a["grain"] == json!(30.0)).unwrap();
            assert_eq!(shown["utilization"]["last30Days"], json!(thirty["value"].to_string()), "{id}: ARM's figure, digit for digit");
        }
    }
    // The reservation without a purchase date starts when its benefit did.
    let from_order = published.iter().find(|p| p["properties"].get("purchaseDate").is_none()).unwrap();
    let (_, shown) = d.call("GET", &format!("/api/reservationOrders/{}/reservations/{}", order_of(from_order), bare_id(from_order)), None).await;
    assert_eq!(shown["purchaseDate"].as_str(), from_order["properties"]["benefitStartTime"].as_str().map(|t| &t[..10]), "{shown}");
}

/// Each key of `v` with its members' shape, and the JSON type of each value.
fn shape(v: &Value) -> Value {
    match v {
        Value::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), shape(v))).collect()),
        Value::Array(items) => Value::Array(items.iter().take(1).map(shape).collect()),
        Value::String(_) => json!("string"),
        Value::Number(_) => json!("number"),
        Value::Bool(_) => json!("boolean"),
        Value::Null => json!("null"),
    }
}

/// Microsoft's list example's reservation is shared and names no `billingScopeId` (an optional
/// property): today's price is still asked, under the customer's subscription, and says so.
#[tokio::test]
async fn the_published_shared_reservation_without_a_billing_scope_is_priced_today_under_the_customers_subscription() {
    let (d, published) = replaying().await;
    let listed = example("GetReservations.json")["responses"]["200"]["body"]["value"][0].clone();
    let (sku, term) = (listed["sku"]["name"].as_str().unwrap(), listed["properties"]["term"].as_str().unwrap());
    assert!(listed["properties"].get("billingScopeId").is_none() && listed["properties"]["appliedScopeType"] == "Shared", "{listed}");
    d.stand_ins.purchases(|p| {
        p.unit_prices.insert((sku.into(), term.into()), "12.34".parse().unwrap());
    });
    read(&d).await;
    let r = published.iter().find(|p| bare_id(p) == bare_id(&listed)).unwrap();
    let (_, shown) = d.call("GET", &format!("/api/reservationOrders/{}/reservations/{}", order_of(r), bare_id(r)), None).await;
    let today = &shown["todayPrice"];
    assert_eq!((&today["kind"], &today["pricedUnder"], &today["subscriptionId"]), (&json!("azure"), &json!("customersSubscription"), &json!(format!("{TENANT}-sub"))), "{shown}");
}

#[tokio::test]
async fn a_refund_of_a_published_reservation_posts_returns_published_shape_and_follows_its_202() {
    let (d, published) = replaying().await;
    read(&d).await;
    let p = published.iter().find(|p| p["properties"]["provisioningState"] == "Succeeded" && p["properties"]["quantity"] == 2).unwrap();
    let (order, id) = (order_of(p), bare_id(p));
    let (status, quote) =
        d.call("POST", &format!("/api/reservationOrders/{order}/calculateRefund"), Some(json!({"reservationId": id, "quantity": 1}))).await;
    assert_eq!(status, StatusCode::OK, "{quote}");
    assert!(quote["azure"].is_object(), "Azure's calculateRefund beside the desk's quote: {quote}");
    let session = quote["sessionId"].as_str().unwrap();
    let (status, done) = d
        .call("POST", &format!("/api/reservationOrders/{order}/return"), Some(json!({"sessionId": session, "returnReason": "PurchasedWrongProduct"})))
        .await;
    assert_eq!(status, StatusCode::OK, "{done}");

    let posted = d.stand_ins.refunds(|r| r.return_bodies.clone());
    assert_eq!(posted.len(), 1, "one return: {posted:?}");
    let published_request = &example("Return.json")["parameters"]["body"];
    assert_eq!(shape(&posted[0]), shape(published_request), "the return's body has Return.json's shape: {}", posted[0]);
    assert_eq!(posted[0]["properties"]["reservationToReturn"]["quantity"], 1);
    assert!(posted[0]["properties"]["reservationToReturn"]["reservationId"].as_str().unwrap().ends_with(&format!("/reservationOrders/{order}/reservations/{id}")));
    assert!(d.stand_ins.refunds(|r| r.polls_answered) >= 2, "the 202 was followed through its Location to the end");
    let (_, shown) = d.call("GET", &format!("/api/reservationOrders/{order}/reservations/{id}"), None).await;
    assert_eq!(shown["quantity"], 1, "recorded from what ARM then holds: {shown}");
}

#[tokio::test]
async fn one_unreadable_reservation_among_twenty_leaves_nineteen_read_and_says_why() {
    let d = desk().await;
    let mut twenty: Vec<Value> = (1..=20).map(|i| reservation("order-c", &format!("res-c{i}"), &format!("contoso vm {i}"), 1, 50.0)).collect();
    twenty[6]["properties"]["quantity"] = json!("seven");
    d.stand_ins.tenant("tenant-contoso", |t| *t.unwrap() = Tenant::Reservations(twenty));
    d.stand_ins.order("tenant-contoso", "order-c", |o| *o = Some(priced_usd(20)));
    read(&d).await;

    let (_, listed) = d.call("GET", "/api/customers/contoso/reservations", None).await;
    assert_eq!(listed.as_array().unwrap().len(), 19, "{listed}");
    let (_, status) = d.call("GET", "/api/source/customers/contoso", None).await;
    assert!(status.get("error").is_none() && status["readAt"].is_string(), "the customer was read: {status}");
    let unread = status["unread"].as_array().unwrap();
    assert_eq!(unread.len(), 1, "{status}");
    assert!(unread[0]["id"].as_str().unwrap().ends_with("/reservations/res-c7"), "{status}");
    assert_eq!((&unread[0]["code"], &unread[0]["displayName"]), (&json!("UnreadableReservation"), &json!("contoso vm 7")));
    assert!(unread[0]["message"].as_str().unwrap().contains("properties.quantity"), "why names the member: {status}");
    let (_, fabrikam) = d.call("GET", "/api/customers/fabrikam/reservations", None).await;
    assert_eq!(fabrikam.as_array().unwrap().len(), 1, "the other customers load");
}

#[tokio::test]
async fn a_failed_read_keeps_the_ids_microsofts_support_asks_for() {
    let d = desk().await;
    read(&d).await;
    let (_, forbidden) = d.call("GET", "/api/source/customers/forbidden", None).await;
    let error = &forbidden["error"];
    assert_eq!(error["code"], "AuthorizationFailed", "{forbidden}");
    let request_id = error["requestId"].as_str().expect("Azure's x-ms-request-id");
    assert!(request_id.starts_with("arm-request-") && error["correlationId"].as_str().unwrap().starts_with("arm-correlation-"), "{forbidden}");
    let sent = error["clientRequestId"].as_str().expect("the desk's own request ID");
    let n: usize = request_id.trim_start_matches("arm-request-").parse().unwrap();
    d.stand_ins.record(|r| {
        assert_eq!(r.client_request_ids[n - 1], sent, "the ID the desk sent with that request");
        let mut ids = r.client_request_ids.clone();
        ids.sort();
        ids.dedup();
        assert!(!ids.iter().any(String::is_empty), "every request carries the desk's ID");
    });
    assert!(uuid_like(sent), "{sent}");
}

fn uuid_like(s: &str) -> bool {
    s.len() == 36 && s.bytes().filter(|b| *b == b'-').count() == 4
}
