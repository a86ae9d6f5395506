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
    // The policy with a grace period (five days, Partner Center's 2020 table).
    let settings = contract::Settings { refund_policy: quote_engine::PolicyName::PartnerCenter2020, ..Default::default() };
    let tenants = HashMap::from([("tenant-contoso".to_owned(), Tenant::Reservations(listed))]);
    let d = desk_of_with(vec![customer("contoso", "tenant-contoso", "Contoso")], tenants, settings).await;
    read(&d).await;
    let policy = settings.refund_policy.policy();
    for (i, id) in ids.iter().enumerate() {
        let order = format!("order-g{i}");
        let (status, r) = d.call("GET", &format!("/api/reservationOrders/{order}/reservations/{id}"), None).await;
        assert_eq!(status, StatusCode::OK, "{r}");
        assert_eq!(r["utilizationHistory"], json!([]), "Azure's averages are not turned into days: {r}");
        assert_eq!(r["utilization"]["last30Days"].as_str().map(dec), Some(Decimal::ZERO), "{r}");
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

/// One reservation the stand-ins list: its SKU, units, the days since it was bought, ARM's 1, 7
/// and 30-day averages in tenths of a percent (`None`: the window not reported), its order's
/// price of a unit in cents.
#[derive(Clone, Debug)]
struct Listed {
    sku: &'static str,
    quantity: u32,
    days_ago: u64,
    windows: [Option<u32>; 3],
    order_cents: i64,
}

/// The demo catalog's prices of `skus` (USD, every term): what Azure mode must never show as a price.
pub(crate) fn demo_prices(skus: &[&str]) -> Vec<Decimal> {
    use desk_service::catalog::{price_in, CATALOG};
    let mut prices = Vec::new();
    for sku in CATALOG.iter().filter(|s| skus.contains(&s.sku)) {
        for term in [quote_engine::Term::P1Y, quote_engine::Term::P3Y, quote_engine::Term::P5Y] {
            if let Ok(p) = price_in(sku, term, quote_engine::Currency::USD) {
                prices.push(p.amount);
            }
        }
    }
    prices
}

/// Every price field (a key naming a price: `unitPrice`, `currentUnitPrice`, …) in `answer` whose
/// amount is one of `demo`, with its path.
pub(crate) fn demo_priced(answer: &Value, demo: &[Decimal], path: &str, found: &mut Vec<String>) {
    match answer {
        Value::Object(fields) => {
            for (key, value) in fields {
                let here = format!("{path}.{key}");
                if key.to_lowercase().contains("price") {
                    if let Some(amount) = value.get("amount").and_then(Value::as_str).and_then(|a| a.parse::<Decimal>().ok()) {
                        if demo.contains(&amount) {
                            found.push(format!("{here} = {amount}"));
                        }
                    }
                }
                demo_priced(value, demo, &here, found);
            }
        }
        Value::Array(items) => items.iter().enumerate().for_each(|(i, v)| demo_priced(v, demo, &format!("{path}[{i}]"), found)),
        _ => {}
    }
}

/// Every utilization figure in `answer` (a field whose key names utilization, or under one) that
/// is not one of `reported`, and every daily history that is not empty, with its path.
pub(crate) fn made_up_utilization(answer: &Value, reported: &[Decimal], path: &str, under: bool, found: &mut Vec<String>) {
    match answer {
        Value::Object(fields) => {
            for (key, value) in fields {
                let here = format!("{path}.{key}");
                // The desk's settings (an alert's threshold) are no reservation's figure.
                if key.to_lowercase().contains("threshold") {
                    continue;
                }
                let named = under || key.to_lowercase().contains("utilization");
                made_up_utilization(value, reported, &here, named, found);
            }
        }
        Value::Array(items) if under && !items.is_empty() => found.push(format!("{path}: a history of {} days", items.len())),
        Value::Array(items) => items.iter().enumerate().for_each(|(i, v)| made_up_utilization(v, reported, &format!("{path}[{i}]"), false, found)),
        Value::String(text) if under => match text.parse::<Decimal>() {
            Ok(figure) if !reported.contains(&figure) => found.push(format!("{path} = {figure}")),
            _ => {}
        },
        Value::Number(n) if under => {
            let figure: Decimal = n.to_string().parse().unwrap_or_default();
            if !reported.contains(&figure) {
                found.push(format!("{path} = {figure}"));
            }
        }
        _ => {}
    }
}

/// ARM's reservation for `listed` number `i`.
fn arm_reservation(i: usize, l: &Listed) -> Value {
    let mut r = bought_days_ago(&format!("order-p{i}"), &format!("res-p{i}"), l.quantity, 0.0, l.days_ago);
    r["sku"]["name"] = json!(l.sku);
    let aggregates: Vec<Value> = [1.0, 7.0, 30.0]
        .iter()
        .zip(l.windows)
        .filter_map(|(grain, tenths)| tenths.map(|t| json!({"grain": grain, "grainUnit": "days", "value": f64::from(t) / 10.0, "valueUnit": "percentage"})))
        .collect();
    r["properties"]["utilization"] = json!({"trend": "SAME", "aggregates": aggregates});
    r
}

/// Reads `book` from the stand-ins, Azure pricing each SKU today at `today_cents`, and answers
/// every way the desk shows it: the paths that carry a demo catalog price, and those that carry a
/// utilization figure ARM did not report.
async fn answers_of(book: &[Listed], today_cents: &[(&'static str, i64)]) -> (Vec<String>, Vec<String>) {
    let listed: Vec<Value> = book.iter().enumerate().map(|(i, l)| arm_reservation(i, l)).collect();
    let d = desk_of(vec![customer("contoso", "tenant-contoso", "Contoso")], HashMap::from([("tenant-contoso".to_owned(), Tenant::Reservations(listed))])).await;
    for (i, l) in book.iter().enumerate() {
        let total = Decimal::new(l.order_cents, 2) * Decimal::from(l.quantity);
        d.stand_ins.order("tenant-contoso", &format!("order-p{i}"), |o| {
            *o = Some(crate::azure_stand_ins::Order::Priced {
                original_quantity: l.quantity,
                pricing_total: json!({"currencyCode": "USD", "amount": total.to_string().parse::<f64>().unwrap()}),
                transactions: vec![json!({"status": "Succeeded", "billingCurrencyTotal": {"currencyCode": "USD", "amount": total.to_string().parse::<f64>().unwrap()}})],
            });
        });
    }
    d.stand_ins.purchases(|p| {
        for (sku, cents) in today_cents {
            p.unit_prices.insert(((*sku).to_owned(), "P1Y".to_owned()), Decimal::new(*cents, 2));
        }
    });
    read(&d).await;
    let mut answers = Vec::new();
    let (status, list) = d.call("GET", "/api/customers/contoso/reservations", None).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(list.as_array().map(Vec::len), Some(book.len()), "every reservation read: {list}");
    for (i, _) in book.iter().enumerate() {
        let (order, id) = (format!("order-p{i}"), format!("res-p{i}"));
        answers.push(d.call("GET", &format!("/api/reservationOrders/{order}/reservations/{id}"), None).await.1);
        let (status, refund) = d.call("POST", &format!("/api/reservationOrders/{order}/calculateRefund"), Some(json!({"reservationId": id, "quantity": 1}))).await;
        assert_eq!(status, StatusCode::OK, "{refund}");
        answers.push(refund);
        answers.push(d.call("GET", &format!("/api/reservationOrders/{order}/reservations/{id}/revisions"), None).await.1);
    }
    // An exchange quote of one unit of the first for one Standard_D4s_v5 (its plain refund
    // beside it, and Azure's figures).
    let exchange = json!({
        "reservationsToExchange": [{"reservationId": "res-p0", "quantity": 1}],
        "reservationsToPurchase": [{"skuId": "Standard_D4s_v5/westeurope", "term": "P1Y", "billingPlan": "Upfront", "quantity": 1, "appliedScopeType": "Shared"}]
    });
    answers.push(d.call("POST", "/api/calculateExchange", Some(exchange)).await.1);
    answers.push(d.call("GET", "/api/worklist", None).await.1);
    answers.push(d.call("GET", "/api/alerts", None).await.1);
    answers.push(d.call("GET", "/api/customers/contoso/refundLimit", None).await.1);
    answers.push(d.call("GET", &format!("/api/customers/contoso/statements/{}", &today().to_string()[..7]), None).await.1);
    answers.push(d.call("GET", "/api/audit?customerId=contoso", None).await.1);
    // The Portfolio, as the console computes it from the list: today's price it quotes at.
    let reservations: Vec<contract::Reservation> = serde_json::from_value(list.clone()).unwrap();
    for r in &reservations {
        let engine = desk_service::portfolio::to_engine(r).expect("quotable");
        answers.push(json!({"portfolioCurrentUnitPrice": engine.current_unit_price}));
    }
    answers.push(list);
    let demo = demo_prices(&book.iter().map(|l| l.sku).collect::<Vec<_>>());
    let reported: Vec<Decimal> = book.iter().flat_map(|l| l.windows).flatten().map(|t| Decimal::new(i64::from(t), 1)).collect();
    let (mut priced, mut made_up) = (Vec::new(), Vec::new());
    for (n, answer) in answers.iter().enumerate() {
        demo_priced(answer, &demo, &format!("answer{n}"), &mut priced);
        made_up_utilization(answer, &reported, &format!("answer{n}"), false, &mut made_up);
    }
    (priced, made_up)
}

#[test]
fn no_answer_of_azure_mode_carries_a_demo_catalog_price_or_a_utilization_azure_did_not_report() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
    const SKUS: [&str; 2] = ["Standard_D2s_v3", "Standard_D4s_v5"];
    let demo = demo_prices(&SKUS);
    let cents = |demo: Vec<Decimal>| (50_000i64..900_000).prop_filter("not a demo catalog price", move |c| !demo.contains(&Decimal::new(*c, 2)));
    let window = prop_oneof![Just(None), Just(Some(0u32)), (0u32..=1000).prop_map(Some)];
    let listed = (prop::sample::select(SKUS.to_vec()), 1u32..4, prop::sample::select(vec![1u64, 3, 40, 200]), [window.clone(), window.clone(), window], cents(demo.clone()))
        .prop_map(|(sku, quantity, days_ago, windows, order_cents)| Listed { sku, quantity, days_ago, windows, order_cents });
    let strategy = (prop::collection::vec(listed, 1..4), cents(demo.clone()), cents(demo));
    let config = Config { cases: 6, failure_persistence: None, ..Config::default() };
    let mut runner = TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha));
    let outcome = runner.run(&strategy, |(book, d2, d4)| {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let (priced, made_up) = runtime.block_on(answers_of(&book, &[("Standard_D2s_v3", d2), ("Standard_D4s_v5", d4)]));
        prop_assert!(priced.is_empty(), "demo catalog prices: {priced:?}");
        prop_assert!(made_up.is_empty(), "utilization Azure did not report: {made_up:?}");
        Ok(())
    });
    if let Err(e) = outcome {
        panic!("{e}");
    }
}
