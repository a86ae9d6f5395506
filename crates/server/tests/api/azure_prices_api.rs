//! A reservation read from Azure carries its order's price. ARM's reservation has no
//! price; the desk reads each distinct order once per tenant read (`GET
//! /providers/Microsoft.Capacity/reservationOrders/{id}?$expand=schedule`) and takes
//! `planInformation.pricingCurrencyTotal / originalQuantity` as the whole-term price of one unit
//! (`azure_api::order_price`). An order it cannot read leaves its reservations listed with why
//! their price is unknown, and no refund or exchange is quoted on them (`priceUnknown`), never a
//! refund of zero; a price read before stays when the order cannot be read again.

use crate::azure_desk;
use crate::azure_stand_ins;

use axum::http::StatusCode;
use azure_desk::*;
use azure_stand_ins::*;
use chrono::{Datelike, NaiveDate, Utc};
use serde_json::{json, Value};

/// `tenant-fabrikam` lists one reservation of `order-f`, 2 units bought `days_ago` days ago for
/// one year, and the order is priced 2 × 2102.40 USD.
fn fabrikam_bought(d: &Desk, days_ago: i64) -> (NaiveDate, NaiveDate) {
    let purchase = Utc::now().date_naive() - chrono::TimeDelta::days(days_ago);
    let expiry = purchase.with_year(purchase.year() + 1).unwrap();
    let mut r = reservation("order-f", "res-f1", "fabrikam sql", 2, 12.5);
    let p = &mut r["properties"];
    p["purchaseDate"] = json!(purchase.to_string());
    p["purchaseDateTime"] = json!(format!("{purchase}T08:00:00Z"));
    p["expiryDate"] = json!(expiry.to_string());
    p["expiryDateTime"] = json!(format!("{expiry}T08:00:00Z"));
    d.stand_ins.tenant("tenant-fabrikam", |t| *t.unwrap() = Tenant::Reservations(vec![r]));
    d.stand_ins.order("tenant-fabrikam", "order-f", |o| *o = Some(priced_usd(2)));
    (purchase, expiry)
}

#[tokio::test]
async fn the_refund_quote_of_an_azure_reservation_is_the_engines_on_azures_price() {
    let d = desk().await;
    let (purchase, expiry) = fabrikam_bought(&d, 73);
    // Azure sells it today at the price it was bought at: no lower-price refund.
    d.stand_ins.purchases(|p| {
        p.unit_prices.insert(("Standard_D2s_v3".into(), "P1Y".into()), "2102.40".parse().unwrap());
    });
    let summary = read(&d).await;
    assert_eq!((&summary["read"], &summary["failed"]), (&json!(3), &json!(2)), "{summary}");
    // Each distinct order once per tenant read: contoso's five reservations share one order.
    d.stand_ins.record(|r| assert_eq!((r.orders["order-c"], r.orders["order-f"]), (1, 1), "{:?}", r.orders));

    let (_, detail) = d.call("GET", "/api/reservationOrders/order-f/reservations/res-f1", None).await;
    assert_eq!(detail["unitPrice"], json!({"amount": "2102.40", "currencyCode": "USD"}), "4204.80 USD for 2 units: {detail}");
    assert!(detail.get("priceUnknown").is_none() && detail.get("pricingUnitPrice").is_none(), "{detail}");

    let (status, quote) = d.call("POST", "/api/reservationOrders/order-f/calculateRefund", Some(json!({"reservationId": "res-f1", "quantity": 2}))).await;
    assert_eq!(status, StatusCode::OK, "{quote}");
    // By hand: C = 2 × 2102.40 = 4204.80 USD paid upfront; E days used of the term's T;
    // U = C × E / T rounded half-even to the cent; no fee (azure-current), far under the limit:
    // the refund is C − U. For E = 73 of T = 365: U = 840.96, the refund 3363.84 USD.
    let (e, t) = ((Utc::now().date_naive() - purchase).num_days(), (expiry - purchase).num_days());
    let used_cents = {
        let (product, t) = (420_480 * e, t);
        let (q, rest) = (product / t, product % t);
        if 2 * rest > t || (2 * rest == t && q % 2 == 1) { q + 1 } else { q }
    };
    let refund = rust_decimal::Decimal::new(420_480 - used_cents, 2);
    if t == 365 {
        assert_eq!(refund.to_string(), "3363.84");
    }
    assert_eq!(quote["quote"]["refundAmount"], json!({"amount": refund.to_string(), "currencyCode": "USD"}), "the engine's refund on Azure's price: {quote}");
    assert_eq!(quote["quote"]["totalPaid"]["amount"], "4204.80");
}

#[tokio::test]
async fn an_order_that_cannot_be_read_leaves_its_reservations_unpriced_with_why_and_unquoted() {
    let d = desk().await;
    fabrikam_bought(&d, 73);
    d.stand_ins.order("tenant-fabrikam", "order-f", |o| *o = Some(Order::Forbidden));
    let summary = read(&d).await;
    assert_eq!((&summary["read"], &summary["failed"]), (&json!(3), &json!(2)), "an order does not fail its tenant: {summary}");
    let (_, fabrikam) = d.call("GET", "/api/source/customers/fabrikam", None).await;
    assert!(fabrikam.get("error").is_none() && fabrikam["readAt"].is_string(), "{fabrikam}");

    let (_, detail) = d.call("GET", "/api/reservationOrders/order-f/reservations/res-f1", None).await;
    assert_eq!(detail["priceUnknown"]["code"], "AuthorizationFailed", "{detail}");
    assert!(detail["priceUnknown"]["message"].as_str().unwrap().contains("reservationOrders/read"), "Azure's message: {detail}");
    let (status, problem) = d.call("POST", "/api/reservationOrders/order-f/calculateRefund", Some(json!({"reservationId": "res-f1", "quantity": 1}))).await;
    assert_eq!((status, &problem["code"]), (StatusCode::CONFLICT, &json!("priceUnknown")), "never a refund of zero: {problem}");
    assert!(problem["detail"].as_str().unwrap().contains("AuthorizationFailed"), "says why: {problem}");
    let exchange = json!({
        "reservationsToExchange": [{"reservationId": "res-f1", "quantity": 1}],
        "reservationsToPurchase": [{"skuId": "Standard_D4s_v5/westeurope", "term": "P1Y", "billingPlan": "Upfront", "quantity": 1, "appliedScopeType": "Shared"}]
    });
    let (status, problem) = d.call("POST", "/api/calculateExchange", Some(exchange)).await;
    assert_eq!((status, &problem["code"]), (StatusCode::CONFLICT, &json!("priceUnknown")), "{problem}");
    // The other customers are priced.
    let (_, contoso) = d.call("GET", "/api/reservationOrders/order-c/reservations/res-c1", None).await;
    assert_eq!(contoso["unitPrice"]["amount"], "2102.40");

    // Readable again: priced. Unreadable once more: the price read before stays (an order's
    // price never changes).
    d.stand_ins.order("tenant-fabrikam", "order-f", |o| *o = Some(priced_usd(2)));
    assert_eq!(d.call("POST", "/api/source/customers/fabrikam/refresh", None).await.0, StatusCode::OK);
    let (_, detail) = d.call("GET", "/api/reservationOrders/order-f/reservations/res-f1", None).await;
    assert_eq!((&detail["unitPrice"]["amount"], detail.get("priceUnknown")), (&json!("2102.40"), None), "{detail}");
    d.stand_ins.order("tenant-fabrikam", "order-f", |o| *o = Some(Order::NoPlan));
    assert_eq!(d.call("POST", "/api/source/customers/fabrikam/refresh", None).await.0, StatusCode::OK);
    let (_, detail) = d.call("GET", "/api/reservationOrders/order-f/reservations/res-f1", None).await;
    assert_eq!((&detail["unitPrice"]["amount"], detail.get("priceUnknown")), (&json!("2102.40"), None), "kept: {detail}");
    let (status, _) = d.call("POST", "/api/reservationOrders/order-f/calculateRefund", Some(json!({"reservationId": "res-f1", "quantity": 1}))).await;
    assert_eq!(status, StatusCode::OK);

    // A new order without plan information: unknown, and why.
    d.stand_ins.order("tenant-contoso", "order-c", |o| *o = Some(Order::NoPlan));
    let mut listed = (1..=5).map(|i| reservation("order-c", &format!("res-c{i}"), &format!("contoso vm {i}"), i, 80.0)).collect::<Vec<_>>();
    listed.push(reservation("order-new", "res-n1", "new vm", 1, 10.0));
    d.stand_ins.tenant("tenant-contoso", |t| *t.unwrap() = Tenant::Reservations(listed));
    d.stand_ins.order("tenant-contoso", "order-new", |o| *o = Some(Order::NoPlan));
    assert_eq!(d.call("POST", "/api/source/customers/contoso/refresh", None).await.0, StatusCode::OK);
    let (_, new) = d.call("GET", "/api/reservationOrders/order-new/reservations/res-n1", None).await;
    assert_eq!(new["priceUnknown"]["code"], "NoPlanInformation", "{new}");
    let (_, old) = d.call("GET", "/api/reservationOrders/order-c/reservations/res-c1", None).await;
    assert_eq!(old["unitPrice"]["amount"], "2102.40", "an order priced before keeps its price: {old}");
}

/// A reservation ARM lists without utilization aggregates (the specification does not require
/// them): the desk shows each window as not reported, never 0 %, draws no daily history, and
/// the low-utilization alert skips it; one with a 7-day figure alone shows that one.
#[tokio::test]
async fn utilization_azure_did_not_report_is_unknown_never_zero() {
    let d = desk().await;
    fabrikam_bought(&d, 73);
    d.stand_ins.tenant("tenant-fabrikam", |t| {
        let Some(Tenant::Reservations(list)) = t else { panic!("fabrikam lists reservations") };
        list[0]["properties"].as_object_mut().unwrap().remove("utilization");
        let mut seven_only = list[0].clone();
        seven_only["id"] = json!("/providers/microsoft.capacity/reservationOrders/order-f/reservations/res-f2");
        seven_only["name"] = json!("order-f/res-f2");
        seven_only["properties"]["displayName"] = json!("fabrikam seven only");
        seven_only["properties"]["utilization"] = json!({"aggregates": [{"grain": 7.0, "grainUnit": "days", "value": 3.0, "valueUnit": "percentage"}]});
        list.push(seven_only);
    });
    read(&d).await;
    let (status, detail) = d.call("GET", "/api/reservationOrders/order-f/reservations/res-f1", None).await;
    assert_eq!(status, StatusCode::OK, "{detail}");
    assert_eq!(detail["utilization"], json!({}), "no window reported, none shown as 0: {detail}");
    assert_eq!(detail["utilizationHistory"], json!([]), "no day drawn around a figure nobody reported");
    let (_, seven) = d.call("GET", "/api/reservationOrders/order-f/reservations/res-f2", None).await;
    assert_eq!(seven["utilization"], json!({"last7Days": "3.0"}), "{seven}");
    let (_, list) = d.call("GET", "/api/customers/fabrikam/reservations", None).await;
    assert!(list.as_array().unwrap().iter().all(|r| r["utilization"].get("last30Days").is_none()), "{list}");
    // The 7-day figure of 3 % is below any threshold, but no alert is built on a reservation
    // with no 7-day figure; the one with 3 % over 7 days does get one.
    let (status, alerts) = d.call("GET", "/api/alerts", None).await;
    assert_eq!(status, StatusCode::OK, "{alerts}");
    let under_used: Vec<&str> = alerts["customers"].as_array().unwrap().iter()
        .flat_map(|c| c["alerts"].as_array().unwrap())
        .filter_map(|a| a["key"].as_str().filter(|k| k.starts_with("underUsed/")))
        .collect();
    assert!(under_used.iter().all(|k| !k.contains("res-f1")), "not reported is not unused: {under_used:?}");
    assert!(under_used.iter().any(|k| k.contains("res-f2")), "3 % over 7 days is under-used: {alerts}");
}

/// The lower-price refund rule's "today's price" in Azure mode is Azure's `calculatePrice` of one
/// unit of the reservation's own SKU, region, term and plan, billed to its subscription: a
/// reservation Azure now sells for less is refunded at Azure's lower price (the engine's
/// `refund-at-current-price` line); when Azure gives no price, at the purchase price, with why
/// kept on the reservation. Never the demo catalog's price.
#[tokio::test]
async fn todays_price_in_azure_mode_is_azures_or_the_purchase_price_with_why() {
    let d = desk().await;
    fabrikam_bought(&d, 73);
    // Billed to the customer's subscription, as ARM's reservations name it (`billingScopeId`).
    d.stand_ins.tenant("tenant-fabrikam", |t| {
        if let Some(Tenant::Reservations(all)) = t {
            all[0]["properties"]["billingScopeId"] = json!("/subscriptions/tenant-fabrikam-sub");
        }
    });
    // Azure sells a year of Standard_D2s_v3 for 1,900.00 today; it was bought at 2,102.40.
    d.stand_ins.purchases(|p| {
        p.unit_prices.insert(("Standard_D2s_v3".into(), "P1Y".into()), "1900.00".parse().unwrap());
    });
    read(&d).await;
    let (_, detail) = d.call("GET", "/api/reservationOrders/order-f/reservations/res-f1", None).await;
    let today = &detail["todayPrice"];
    assert_eq!((&today["kind"], today["unitPrice"]["amount"].as_str().map(|a| a.parse::<rust_decimal::Decimal>().unwrap())), (&json!("azure"), Some("1900".parse().unwrap())), "{detail}");
    let (status, quote) = d.call("POST", "/api/reservationOrders/order-f/calculateRefund", Some(json!({"reservationId": "res-f1", "quantity": 2}))).await;
    assert_eq!(status, StatusCode::OK, "{quote}");
    let lines = quote["quote"]["lines"].as_array().unwrap();
    let lower = lines.iter().find(|l| l["reason"] == "refund-at-current-price").unwrap_or_else(|| panic!("refunded at Azure's lower price: {quote}"));
    assert!(lower["label"].as_str().unwrap().contains("1900"), "{lower}");
    // The demo catalog's price for the same SKU is never asked (it has no Standard_D2s_v3; its
    // Standard_D2s_v5 is 876.00): the refund is below the purchase-price refund.
    let azure_refund = quote["quote"]["refundAmount"]["amount"].as_str().unwrap().parse::<rust_decimal::Decimal>().unwrap();
    assert!(azure_refund < "3363.85".parse().unwrap(), "{quote}");

    // Azure refuses the price: after the next read (a restarted server keeps no price) the
    // reservation says why, and is refunded at its purchase price (no lower-price line).
    d.stand_ins.purchases(|p| p.price_forbidden = true);
    let mut later = d;
    later.restart().await;
    read(&later).await;
    let (_, detail) = later.call("GET", "/api/reservationOrders/order-f/reservations/res-f1", None).await;
    assert_eq!((&detail["todayPrice"]["kind"], &detail["todayPrice"]["code"]), (&json!("unknown"), &json!("AuthorizationFailed")), "{detail}");
    let (_, quote) = later.call("POST", "/api/reservationOrders/order-f/calculateRefund", Some(json!({"reservationId": "res-f1", "quantity": 2}))).await;
    assert!(quote["quote"]["lines"].as_array().unwrap().iter().all(|l| l["reason"] != "refund-at-current-price"), "at the purchase price: {quote}");
}

/// A shared reservation whose ARM answer names no `billingScopeId` (optional in the
/// specification; Microsoft's own list example has none) and no single scope is priced today
/// under one of the customer's active subscriptions (the first by ID; a disabled one is not
/// asked): refunded at Azure's lower price like any other, and the reservation says which
/// subscription priced it and why that one.
#[tokio::test]
async fn todays_price_of_a_shared_reservation_azure_bills_nowhere_is_asked_under_a_customers_subscription() {
    let d = desk().await;
    fabrikam_bought(&d, 73);
    d.stand_ins.tenant("tenant-fabrikam", |t| {
        if let Some(Tenant::Reservations(all)) = t {
            let p = &all[0]["properties"];
            assert!(p.get("billingScopeId").is_none() && p["appliedScopeType"] == "Shared", "{p}");
        }
    });
    d.stand_ins.consumption(|c| {
        let mut disabled = Subscription::enabled("a-disabled-sub", vec![]);
        disabled.state = "Disabled".into();
        c.subscriptions.insert("tenant-fabrikam".into(), vec![disabled, Subscription::enabled("fabrikam-plan-sub", vec![])]);
    });
    d.stand_ins.purchases(|p| {
        p.unit_prices.insert(("Standard_D2s_v3".into(), "P1Y".into()), "1900.00".parse().unwrap());
    });
    read(&d).await;
    let (_, detail) = d.call("GET", "/api/reservationOrders/order-f/reservations/res-f1", None).await;
    let today = &detail["todayPrice"];
    assert_eq!((&today["kind"], &today["subscriptionId"], &today["pricedUnder"]), (&json!("azure"), &json!("fabrikam-plan-sub"), &json!("customersSubscription")), "{detail}");
    assert_eq!(today["unitPrice"]["amount"].as_str().map(|a| a.parse::<rust_decimal::Decimal>().unwrap()), Some("1900".parse().unwrap()), "{detail}");
    let billed: Vec<Value> = d.stand_ins.purchases(|p| p.price_bodies.iter().map(|b| b["properties"]["billingScopeId"].clone()).collect());
    assert!(billed.contains(&json!("/subscriptions/fabrikam-plan-sub")) && !billed.contains(&json!("/subscriptions/a-disabled-sub")), "{billed:?}");
    let (status, quote) = d.call("POST", "/api/reservationOrders/order-f/calculateRefund", Some(json!({"reservationId": "res-f1", "quantity": 2}))).await;
    assert_eq!(status, StatusCode::OK, "{quote}");
    assert!(quote["quote"]["lines"].as_array().unwrap().iter().any(|l| l["reason"] == "refund-at-current-price"), "refunded at Azure's lower price: {quote}");

    // A customer with no active subscription: no price, and why.
    d.stand_ins.consumption(|c| {
        let mut disabled = Subscription::enabled("a-disabled-sub", vec![]);
        disabled.state = "Disabled".into();
        c.subscriptions.insert("tenant-fabrikam".into(), vec![disabled]);
    });
    let mut later = d;
    later.restart().await;
    read(&later).await;
    let (_, detail) = later.call("GET", "/api/reservationOrders/order-f/reservations/res-f1", None).await;
    assert_eq!((&detail["todayPrice"]["kind"], &detail["todayPrice"]["code"]), (&json!("unknown"), &json!("NoSubscription")), "{detail}");
    assert!(detail["todayPrice"]["message"].as_str().unwrap().contains("no active subscription"), "{detail}");
}
