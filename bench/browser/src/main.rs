//! Browser benchmarks for the performance report (bench/report.mjs loads this page):
//!
//! 1. the quote engine compiled to wasm: refund quotes per second, timed with
//!    `performance.now()`, with the same inputs as the native criterion bench;
//! 2. a portfolio of 10,000 generated reservations in the app's own `ReservationTable`: one
//!    "keystroke" (the family filter changes) re-quotes all 10,000 and the table re-renders.
//!
//! The figures are written as JSON into `#results`, which gets `data-done` when finished.

use chrono::NaiveDate;
use contract::{AppliedScopeType, ProvisioningState, Reservation, UtilizationAggregates};
use leptos::prelude::*;
use quote_engine::{
    quote_refund, BillingPlan, Currency, Money, Policy, PriorRefund, ReservedResourceType, Term,
};
use reservation_desk::components::reservation_table::ReservationTable;
use reservation_desk::i18n::I18nContextProvider;
use rust_decimal::Decimal;
use wasm_bindgen::JsCast;

const PORTFOLIO: usize = 10_000;
const FAMILIES: [&str; 6] =
    ["VirtualMachines", "SqlDatabases", "CosmosDb", "AppService", "RedisCache", "Databricks"];

fn now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or_default()
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap_or_default()
}

fn engine_reservation(family: &str, plan: BillingPlan, quantity: u32, purchase: NaiveDate) -> quote_engine::Reservation {
    quote_engine::Reservation {
        reserved_resource_type: ReservedResourceType::new(family).unwrap_or_else(|_| unreachable!("known family")),
        term: Term::P3Y,
        billing_plan: plan,
        purchase_date: purchase,
        quantity,
        unit_price: Money::new(Decimal::new(360_000, 2), Currency::USD),
        pricing_unit_price: None,
        has_usage: true,
    }
}

fn ledger() -> Vec<PriorRefund> {
    (0..12)
        .map(|i| PriorRefund {
            date: day("2025-12-01") + chrono::Days::new(i * 30),
            amount: Money::new(Decimal::new(100_000, 2), Currency::USD),
        })
        .collect()
}

/// Refund quotes per second in this browser (the criterion bench's partner-center/upfront case).
fn engine_throughput() -> (f64, f64) {
    let policy = Policy::partner_center_2020();
    let reservation = engine_reservation("VirtualMachines", BillingPlan::Upfront, 4, day("2025-03-01"));
    let ledger = ledger();
    let today = day("2026-11-22");
    let mut refunded = Decimal::ZERO;
    // Warm up, then time a batch long enough for a stable figure.
    for _ in 0..2_000 {
        refunded += quote_refund(&policy, today, &reservation, 2, &ledger).map(|q| q.refund_amount.amount).unwrap_or_default();
    }
    let rounds = 30_000;
    let start = now();
    for _ in 0..rounds {
        refunded += quote_refund(&policy, today, &reservation, 2, &ledger).map(|q| q.refund_amount.amount).unwrap_or_default();
    }
    let elapsed_ms = now() - start;
    assert!(refunded > Decimal::ZERO, "the quotes were computed");
    let micros_per_quote = elapsed_ms * 1000.0 / f64::from(rounds);
    (micros_per_quote, 1_000_000.0 / micros_per_quote)
}

/// 10,000 reservations across families, plans, purchase dates and scopes.
fn portfolio() -> Vec<(Reservation, quote_engine::Reservation)> {
    (0..PORTFOLIO)
        .map(|i| {
            let family = FAMILIES[i % FAMILIES.len()];
            let plan = if i % 3 == 0 { BillingPlan::Monthly } else { BillingPlan::Upfront };
            let purchase = day("2024-01-01") + chrono::Days::new((i % 900) as u64);
            let quantity = 1 + (i % 8) as u32;
            let engine = engine_reservation(family, plan, quantity, purchase);
            let contract = Reservation {
                id: format!("r{i:05}"),
                reservation_order_id: format!("o{i:05}"),
                customer_id: "bench".into(),
                display_name: format!("Reservation {i:05}"),
                sku_name: "Standard_D2s_v5".into(),
                location: "westeurope".into(),
                reserved_resource_type: family.into(),
                quantity,
                term: Term::P3Y,
                billing_plan: plan,
                purchase_date: purchase,
                expiry_date: purchase + chrono::Months::new(36),
                unit_price: engine.unit_price,
                pricing_unit_price: None,
                applied_scope_type: [AppliedScopeType::Shared, AppliedScopeType::Single][i % 2],
                applied_scope_properties: None,
                provisioning_state: ProvisioningState::Succeeded,
                renew: i % 4 == 0,
                utilization: UtilizationAggregates {
                    last1_day: Decimal::from(i % 100),
                    last7_days: Decimal::from(i % 100),
                    last30_days: Decimal::from(i % 100),
                },
            };
            (contract, engine)
        })
        .collect()
}

/// Quotes one unit of every reservation: the portfolio's refundable total.
fn requote(portfolio: &[(Reservation, quote_engine::Reservation)], policy: &Policy, today: NaiveDate) -> Decimal {
    portfolio
        .iter()
        .filter_map(|(_, r)| quote_refund(policy, today, r, 1, &[]).ok())
        .map(|q| q.refund_amount.amount)
        .sum()
}

fn select_family(family: &str) {
    let document = document();
    let Some(select) = document
        .query_selector_all(".filters select")
        .ok()
        .and_then(|list| list.item(1))
        .and_then(|node| node.dyn_into::<web_sys::HtmlSelectElement>().ok())
    else {
        return;
    };
    select.set_value(family);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    if let Ok(event) = web_sys::Event::new_with_event_init_dict("change", &init) {
        let _ = select.dispatch_event(&event);
    }
}

fn rows() -> u32 {
    document().query_selector_all("table tbody tr").map(|l| l.length()).unwrap_or(0)
}

async fn run() -> serde_json::Value {
    let (micros_per_quote, quotes_per_second) = engine_throughput();

    let today = day("2026-11-22");
    let policy = Policy::partner_center_2020();
    let portfolio = portfolio();
    let start = now();
    let total = requote(&portfolio, &policy, today);
    let requote_ms = now() - start;

    let reservations: Vec<Reservation> = portfolio.iter().map(|(r, _)| r.clone()).collect();
    let table = document().get_element_by_id("table").and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    let Some(table) = table else { return serde_json::json!({ "error": "no #table" }) };
    let start = now();
    leptos::mount::mount_to(table, move || {
        view! {
            <I18nContextProvider enable_cookie=false>
                <leptos_router::components::Router>
                    <ReservationTable customer_id="bench".to_owned() reservations today />
                </leptos_router::components::Router>
            </I18nContextProvider>
        }
    })
    .forget();
    leptos::task::tick().await;
    let first_render_ms = now() - start;
    let all_rows = rows();

    // One keystroke: the family filter narrows the list; the portfolio is re-quoted and the
    // table re-rendered. Median of five, alternating the family so each is a real change.
    let mut keystrokes = Vec::new();
    let mut shown = 0;
    for (i, family) in ["SqlDatabases", "CosmosDb", "AppService", "RedisCache", "Databricks"].iter().enumerate() {
        let start = now();
        let requoted = requote(&portfolio, &policy, today);
        select_family(family);
        leptos::task::tick().await;
        keystrokes.push(now() - start);
        shown = rows();
        assert_eq!(requoted, total, "round {i}: the same portfolio quotes the same");
    }
    keystrokes.sort_by(f64::total_cmp);
    serde_json::json!({
        "engine": { "microsPerQuote": micros_per_quote, "quotesPerSecond": quotes_per_second },
        "portfolio": {
            "reservations": PORTFOLIO,
            "requoteMs": requote_ms,
            "firstRenderMs": first_render_ms,
            "rowsAll": all_rows,
            "keystrokeMedianMs": keystrokes[keystrokes.len() / 2],
            "rowsAfterKeystroke": shown,
            "refundableTotal": total.to_string(),
        }
    })
}

fn main() {
    console_error_panic_hook::set_once();
    // `mount_to` would set up Leptos' task executor; the benchmark spawns before mounting.
    let _ = any_spawner::Executor::init_wasm_bindgen();
    leptos::task::spawn_local(async {
        let results = run().await;
        if let Some(out) = document().get_element_by_id("results") {
            out.set_text_content(Some(&results.to_string()));
            let _ = out.set_attribute("data-done", "");
        }
    });
}
