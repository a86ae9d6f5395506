//! Nothing of the demo in Azure mode, on the paths the other Azure figure tests do not walk
//! (docs/azure-figures.md): a reservation exchanged into through Azure carries the price Azure
//! charged and no utilization until Azure reports one; and after a read, a purchase and an
//! exchange through Azure, no answer of the desk (the lists, each reservation and its
//! revisions, refund and exchange quotes, the worklist, alerts, approvals, statements, the audit
//! log, support requests, savings plans, the refund limit) carries a demo catalog price or a
//! utilization figure Azure did not report.

use std::collections::HashMap;

use crate::azure_desk;
use crate::azure_figures_api::{demo_priced, demo_prices, made_up_utilization};
use crate::azure_stand_ins::{customer, reservation, Order, Tenant};

use axum::http::StatusCode;
use azure_desk::*;
use rust_decimal::Decimal;
use serde_json::{json, Value};

fn dec(n: &str) -> Decimal {
    n.parse().unwrap()
}

fn amount(money: &Value) -> Decimal {
    dec(money["amount"].as_str().unwrap_or_default())
}

/// What Azure charges in these tests: none is a demo catalog price.
const ORDER_UNIT: &str = "1234.56";
const TODAY_D2: &str = "901.23";
const TODAY_D4: &str = "1876.54";
const EXCHANGE_UNIT: &str = "2345.67";
/// ARM's 1, 7 and 30-day averages of every reservation the stand-ins list.
const REPORTED: f64 = 80.0;

/// The desk over contoso's five reservations (order-c, Standard_D2s_v3, 1 to 5 units), every
/// price Azure gives off the demo catalog's, read once.
async fn azure_desk() -> Desk {
    let contoso = (1..=5).map(|i| reservation("order-c", &format!("res-c{i}"), &format!("contoso vm {i}"), i, REPORTED)).collect();
    let d = desk_of(vec![customer("contoso", "tenant-contoso", "Contoso")], HashMap::from([("tenant-contoso".to_owned(), Tenant::Reservations(contoso))])).await;
    let units = 15u32;
    let total: f64 = ORDER_UNIT.parse::<f64>().unwrap() * f64::from(units);
    d.stand_ins.order("tenant-contoso", "order-c", |o| {
        *o = Some(Order::Priced {
            original_quantity: units,
            pricing_total: json!({"currencyCode": "USD", "amount": total}),
            transactions: vec![json!({"status": "Succeeded", "billingCurrencyTotal": {"currencyCode": "USD", "amount": total}})],
        });
    });
    d.stand_ins.purchases(|p| {
        p.unit_prices.insert(("Standard_D2s_v3".into(), "P1Y".into()), dec(TODAY_D2));
        p.unit_prices.insert(("Standard_D4s_v5".into(), "P1Y".into()), dec(TODAY_D4));
    });
    d.stand_ins.exchanges(|x| x.unit_price = dec(EXCHANGE_UNIT));
    read(&d).await;
    d
}

/// Review of an exchange: one unit of `reservation` (order-c) for one Standard_D4s_v5, paid upfront.
async fn review_exchange(d: &Desk, reservation: &str) -> (StatusCode, Value) {
    review_exchange_billed(d, reservation, "Upfront").await
}

async fn review_exchange_billed(d: &Desk, reservation: &str, billing_plan: &str) -> (StatusCode, Value) {
    let request = json!({
        "reservationsToExchange": [{"reservationId": reservation, "quantity": 1}],
        "reservationsToPurchase": [{"skuId": "Standard_D4s_v5/westeurope", "term": "P1Y", "billingPlan": billing_plan, "quantity": 1,
            "appliedScopeType": "Shared", "displayName": "d4 from exchange"}]
    });
    d.call("POST", "/api/calculateExchange", Some(request)).await
}

/// The exchange of one unit of res-c2 for one Standard_D4s_v5, reviewed and carried out through
/// Azure: the reservation it bought (order, ID).
async fn exchange_through_azure(d: &Desk) -> (String, String) {
    exchange_through_azure_billed(d, "Upfront").await
}

async fn exchange_through_azure_billed(d: &Desk, billing_plan: &str) -> (String, String) {
    let (status, quote) = review_exchange_billed(d, "res-c2", billing_plan).await;
    assert_eq!(status, StatusCode::OK, "{quote}");
    let session = quote["sessionId"].as_str().unwrap().to_owned();
    let (status, done) = d.call("POST", "/api/exchange", Some(json!({"sessionId": session, "ticketReference": "CHG-2"}))).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    let bought = &done["purchased"][0];
    (bought["reservationOrderId"].as_str().unwrap().to_owned(), bought["id"].as_str().unwrap().to_owned())
}

#[tokio::test]
async fn a_reservation_exchanged_into_through_azure_has_azures_price_and_no_utilization_until_azure_reports_one() {
    let d = azure_desk().await;
    let (order, id) = exchange_through_azure(&d).await;

    // At once, before any read: the price Azure charged for it, and no utilization.
    let (status, r) = d.call("GET", &format!("/api/reservationOrders/{order}/reservations/{id}"), None).await;
    assert_eq!(status, StatusCode::OK, "{r}");
    assert_eq!((&r["todayPrice"]["kind"], amount(&r["todayPrice"]["unitPrice"])), (&json!("azure"), dec(EXCHANGE_UNIT)), "the price Azure charged: {r}");
    assert_eq!(r["utilization"], json!({}), "no average until Azure reports one: {r}");
    assert_eq!(r["utilizationHistory"], json!([]), "no made-up day: {r}");

    // No worklist row on a utilization Azure did not report.
    let (status, worklist) = d.call("GET", "/api/worklist", None).await;
    assert_eq!(status, StatusCode::OK, "{worklist}");
    let rows: Vec<&Value> = worklist["items"].as_array().unwrap().iter().filter(|i| i.to_string().contains(&id)).collect();
    assert!(rows.iter().all(|row| !row.to_string().to_lowercase().contains("underused")), "an underused row on day one: {rows:?}");

    // The refund quote takes today's price from Azure's.
    let (status, refund) =
        d.call("POST", &format!("/api/reservationOrders/{order}/calculateRefund"), Some(json!({"reservationId": id, "quantity": 1}))).await;
    assert_eq!(status, StatusCode::OK, "{refund}");
    assert_eq!(amount(&refund["quote"]["refundUnitPrice"]["currentUnitPrice"]), dec(EXCHANGE_UNIT), "Azure's price as today's: {refund}");
}

#[tokio::test]
async fn a_reservation_exchanged_into_billed_monthly_has_todays_price_unknown_with_why_not_the_exchange_total() {
    // Billed monthly, Azure's purchases total is what is due now, not the term's price of a unit.
    let d = azure_desk().await;
    let (order, id) = exchange_through_azure_billed(&d, "Monthly").await;
    let (status, r) = d.call("GET", &format!("/api/reservationOrders/{order}/reservations/{id}"), None).await;
    assert_eq!(status, StatusCode::OK, "{r}");
    assert_eq!(r["todayPrice"]["kind"], json!("unknown"), "not Azure's total taken as the term's price: {r}");
    assert!(r["todayPrice"]["message"].as_str().unwrap_or_default().contains("monthly"), "says why: {r}");
    assert_eq!(r["utilization"], json!({}), "no average until Azure reports one: {r}");
}

/// Every answer the desk gives about contoso, as the console asks for them: each a 200, so that
/// an error in place of an answer is not taken for one without demo figures.
async fn every_answer(d: &Desk) -> Vec<(String, Value)> {
    let mut answers = Vec::new();
    let get = |path: String| async move {
        let (status, answer) = d.call("GET", &path, None).await;
        assert_eq!(status, StatusCode::OK, "GET {path}: {answer}");
        (path, answer)
    };
    for path in [
        "/api/customers".to_owned(),
        "/api/customers/contoso".to_owned(),
        "/api/customers/contoso/reservations".to_owned(),
        "/api/customers/contoso/refundLimit".to_owned(),
        "/api/customers/contoso/savingsPlans".to_owned(),
        "/api/worklist".to_owned(),
        "/api/alerts".to_owned(),
        "/api/approvals".to_owned(),
        "/api/supportRequests".to_owned(),
        "/api/audit?customerId=contoso".to_owned(),
        "/api/source/readiness".to_owned(),
        format!("/api/customers/contoso/statements/{}", &chrono::Utc::now().to_rfc3339()[..7]),
    ] {
        answers.push(get(path).await);
    }
    let (_, list) = d.call("GET", "/api/customers/contoso/reservations", None).await;
    for r in list.as_array().unwrap() {
        let (order, id) = (r["reservationOrderId"].as_str().unwrap(), r["id"].as_str().unwrap());
        answers.push(get(format!("/api/reservationOrders/{order}/reservations/{id}")).await);
        answers.push(get(format!("/api/reservationOrders/{order}/reservations/{id}/revisions")).await);
        if r["provisioningState"] == "Succeeded" {
            let path = format!("/api/reservationOrders/{order}/calculateRefund");
            let (status, refund) = d.call("POST", &path, Some(json!({"reservationId": id, "quantity": 1}))).await;
            assert_eq!(status, StatusCode::OK, "POST {path}: {refund}");
            answers.push((path, refund));
        }
    }
    let (status, exchange) = review_exchange(d, "res-c4").await;
    assert_eq!(status, StatusCode::OK, "POST /api/calculateExchange: {exchange}");
    answers.push(("/api/calculateExchange".to_owned(), exchange));
    answers
}

#[tokio::test]
async fn after_a_purchase_and_an_exchange_through_azure_no_answer_carries_a_demo_price_or_a_made_up_utilization() {
    let d = azure_desk().await;
    let request = json!({"customerId": "contoso", "purchase": {"skuId": "Standard_D4s_v5/westeurope", "term": "P1Y", "billingPlan": "Upfront",
        "quantity": 2, "appliedScopeType": "Shared", "displayName": "d4 bought today", "renew": false}});
    let (status, quote) = d.call("POST", "/api/calculatePurchase", Some(request)).await;
    assert_eq!(status, StatusCode::OK, "{quote}");
    let session = quote["sessionId"].as_str().unwrap();
    let (status, done) = d.call("POST", "/api/purchase", Some(json!({"sessionId": session, "ticketReference": "CHG-1"}))).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    exchange_through_azure(&d).await;

    let demo = demo_prices(&["Standard_D2s_v3", "Standard_D4s_v5"]);
    let reported = [Decimal::from(80)];
    let (mut priced, mut made_up) = (Vec::new(), Vec::new());
    for (path, answer) in every_answer(&d).await {
        demo_priced(&answer, &demo, &path, &mut priced);
        made_up_utilization(&answer, &reported, &path, false, &mut made_up);
    }
    assert!(priced.is_empty(), "demo catalog prices: {priced:?}");
    assert!(made_up.is_empty(), "utilization Azure did not report: {made_up:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_row_written_before_azure_modes_prices_is_unknown_until_read_never_the_demos() {
    // A reservation row as an older desk wrote it: no today's price, no Azure averages (the
    // columns came later, NULL). Opened in Azure mode, it is "not read yet" with why, and no
    // utilization is reported: the demo catalog's price and the demo's usage are never taken.
    use desk::audit_chain::ChainKey;
    use desk::store::Store;
    use reservation_desk_server::opening::Opening;
    use reservation_desk_server::server_store::ServerStore;

    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/azure.sqlite", dir.path().display());
    crate::azure_mode_store_api::azure_database(&url).await;
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    sqlx::query("INSERT INTO customers (id, name, domain) VALUES ('tailspin-azure', 'Tailspin', 'tailspin.example')").execute(&pool).await.unwrap();
    sqlx::query(
        "INSERT INTO reservations (id, reservation_order_id, customer_id, display_name, sku_name, location, reserved_resource_type, quantity, term, \
         billing_plan, purchase_date, expiry_date, unit_price, currency, applied_scope_type, provisioning_state, renew, usage_level) \
         VALUES ('res-old', 'order-old', 'tailspin-azure', 'kept since before', 'Standard_D2s_v3', 'westeurope', 'VirtualMachines', 2, 'P1Y', \
         'Upfront', '2026-03-01', '2027-03-01', '876.00', 'USD', 'Shared', 'Succeeded', 0, 75)",
    )
    .execute(&pool)
    .await
    .unwrap();
    pool.close().await;

    let store = ServerStore::open_as(&url, &ChainKey::none(), Opening::Azure).await.unwrap();
    let held = store.reservations_of("tailspin-azure").await.unwrap();
    store.close().await;
    let (r, usage) = &held[0];
    match &r.today_price {
        Some(contract::source::TodayPrice::Unknown { code, message }) => {
            assert_eq!(code, "NotReadYet", "{message}");
            assert!(message.contains("next read"), "says when it is asked: {message}");
        }
        other => panic!("today's price of a row no read priced: {other:?}"),
    }
    // What the desk answers utilization from: Azure's averages, none reported (the row's demo
    // usage level is not used once Azure's are there).
    assert_eq!(usage.read, Some(contract::UtilizationAggregates::not_reported()), "no average Azure did not report: {usage:?}");
}
