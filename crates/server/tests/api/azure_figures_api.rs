//! Azure mode's figures come from Azure, on every path, or are unknown with why; never the
//! demo's (docs/azure-figures.md). Against the stand-ins: a reservation just bought through
//! Partner Center carries the price Azure charged and no utilization until Azure reports one; a
//! reservation Azure reports at 0 % within the grace period is refunded in full, the Portfolio
//! and the refund quote agreeing; and, over reservations of any utilization and price Azure
//! reports, no answer carries a demo catalog price or a made-up utilization figure.

use std::collections::HashMap;

use crate::azure_desk;
use crate::azure_stand_ins::{customer, reservation, Tenant};

use axum::http::StatusCode;
use azure_desk::*;
use rust_decimal::Decimal;
use serde_json::{json, Value};

fn dec(n: &str) -> Decimal {
    n.parse().unwrap()
}

/// A money value's amount (Azure writes `1900.0` where the desk writes `1900.00`).
fn amount(money: &Value) -> Decimal {
    dec(money["amount"].as_str().unwrap_or_default())
}

/// The desk's day (the Azure desk's clock is the system's).
fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}

/// A reservation as ARM lists it, bought `days_ago` days before today, with ARM's 1, 7 and 30-day
/// averages at `utilization`.
fn bought_days_ago(order: &str, id: &str, quantity: u32, utilization: f64, days_ago: u64) -> Value {
    let mut r = reservation(order, id, id, quantity, utilization);
    let day = today().checked_sub_days(chrono::Days::new(days_ago)).unwrap();
    let end = day.checked_add_months(chrono::Months::new(12)).unwrap();
    let p = &mut r["properties"];
    p["purchaseDate"] = json!(day.to_string());
    for field in ["purchaseDateTime", "effectiveDateTime", "benefitStartTime"] {
        p[field] = json!(format!("{day}T08:00:00Z"));
    }
    p["expiryDate"] = json!(end.to_string());
    p["expiryDateTime"] = json!(format!("{end}T08:00:00Z"));
    r
}

#[tokio::test]
async fn a_reservation_just_bought_through_partner_center_has_azures_price_and_no_made_up_utilization() {
    let d = desk().await;
    read(&d).await;
    // Azure charges 1,900.00 a unit, not the demo catalog's 1,752.00 for Standard_D4s_v5 P1Y.
    d.stand_ins.purchases(|p| p.unit_prices.insert(("Standard_D4s_v5".into(), "P1Y".into()), dec("1900.00")));
    let request = json!({"customerId": "contoso", "purchase": {"skuId": "Standard_D4s_v5/westeurope", "term": "P1Y", "billingPlan": "Upfront",
        "quantity": 2, "appliedScopeType": "Shared", "displayName": "d4 bought today", "renew": false}});
    let (status, quote) = d.call("POST", "/api/calculatePurchase", Some(request)).await;
    assert_eq!(status, StatusCode::OK, "{quote}");
    assert_eq!(amount(&quote["azure"]["commitment"]), dec("3800"), "{quote}");
    let session = quote["sessionId"].as_str().unwrap();
    let (status, done) = d.call("POST", "/api/purchase", Some(json!({"sessionId": session, "ticketReference": "CHG-1"}))).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    let order = done["reservationOrderId"].as_str().unwrap().to_owned();
    let id = done["purchased"][0]["id"].as_str().unwrap().to_owned();

    // At once, before any read: Azure's price, and no utilization.
    let (status, r) = d.call("GET", &format!("/api/reservationOrders/{order}/reservations/{id}"), None).await;
    assert_eq!(status, StatusCode::OK, "{r}");
    assert_eq!((&r["todayPrice"]["kind"], amount(&r["todayPrice"]["unitPrice"])), (&json!("azure"), dec("1900")), "the price Azure charged: {r}");
    assert_eq!(r["todayPrice"]["unitPrice"]["currencyCode"], "USD");
    assert_eq!(r["utilization"], json!({}), "no average until Azure reports one: {r}");
    assert_eq!(r["utilizationHistory"], json!([]), "no made-up day: {r}");
    let (_, list) = d.call("GET", "/api/customers/contoso/reservations", None).await;
    let listed = list.as_array().unwrap().iter().find(|x| x["id"] == json!(id)).unwrap();
    assert_eq!(listed["utilization"], json!({}), "the list says the same: {listed}");

    // The refund quote takes today's price from Azure's, not the demo catalog's.
    let (status, refund) =
        d.call("POST", &format!("/api/reservationOrders/{order}/calculateRefund"), Some(json!({"reservationId": id, "quantity": 1}))).await;
    assert_eq!(status, StatusCode::OK, "{refund}");
    let unit = &refund["quote"]["refundUnitPrice"];
    assert_eq!(amount(&unit["currentUnitPrice"]), dec("1900"), "Azure's price as today's: {refund}");
    assert_eq!(amount(&unit["unitPrice"]), dec("1900"), "{refund}");
    assert!(!refund.to_string().contains("1752"), "no demo catalog price in the quote: {refund}");
}

#[tokio::test]
async fn a_reservation_azure_reports_at_zero_is_refunded_in_full_within_the_grace_period_as_the_portfolio_says() {
    let ids = ["res-g1", "res-g2", "res-g3", "res-g4"];
    let listed = ids.iter().enumerate().map(|(i, id)| bought_days_ago(&format!("order-g{i}"), id, 1, 0.0, 4)).collect();
    let d = desk_of(vec![customer("contoso", "tenant-contoso", "Contoso")], HashMap::from([("tenant-contoso".to_owned(), Tenant::Reservations(listed))])).await;
    read(&d).await;
    let policy = d.settings.refund_policy.policy();
    for (i, id) in ids.iter().enumerate() {
        let order = format!("order-g{i}");
        let (status, r) = d.call("GET", &format!("/api/reservationOrders/{order}/reservations/{id}"), None).await;
        assert_eq!(status, StatusCode::OK, "{r}");
        assert_eq!(r["utilizationHistory"], json!([]), "Azure's averages are not turned into days: {r}");
        assert_eq!(amount(&r["utilization"]["last30Days"]), Decimal::ZERO, "{r}");
        let (status, refund) =
            d.call("POST", &format!("/api/reservationOrders/{order}/calculateRefund"), Some(json!({"reservationId": id, "quantity": 1}))).await;
        assert_eq!(status, StatusCode::OK, "{refund}");
        let quote = &refund["quote"];
        assert_eq!(amount(&quote["refundAmount"]), amount(&quote["totalPaid"]), "unused within the grace period: a full refund: {quote}");
        // The Portfolio quotes from the list's averages: the same full refund.
        let (_, list) = d.call("GET", "/api/customers/contoso/reservations", None).await;
        let listed: contract::Reservation = serde_json::from_value(list.as_array().unwrap().iter().find(|x| x["id"] == json!(id)).unwrap().clone()).unwrap();
        let row = desk_service::portfolio::quote_row(&listed, &[], today(), &policy).expect("the Portfolio quotes it");
        assert_eq!(row.refund.amount, amount(&quote["refundAmount"]), "the Portfolio and the refund quote agree on {id}");
    }
}
