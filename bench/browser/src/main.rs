//! Browser benchmarks for the performance report (bench/report.mjs loads this page):
//!
//! 1. the quote engine compiled to wasm: refund quotes per second, timed with
//!    `performance.now()`, with the same inputs as the native criterion bench;
//! 2. a portfolio of 10,000 generated reservations in the app's own `ReservationTable`: one
//!    "keystroke" (the family filter changes) re-quotes all 10,000 and the table re-renders.
//!
//! The figures are written as JSON into `#results`, which gets `data-done` when finished. A step
//! that did not happen (the filter is missing, no row changed, a quote failed) is not measured
//! around: the page writes `{"error": …}` instead, sets `data-failed` too, and bench/report.mjs
//! exits non-zero.

use chrono::NaiveDate;
use contract::{AppliedScopeType, ProvisioningState, Reservation, UtilizationAggregates};
use leptos::prelude::*;
use quote_engine::{
    quote_refund, BillingPlan, Currency, Money, Policy, PriorRefund, ReservedResourceType, Term,
};
use reservation_desk::components::reservation_table::{ReservationTable, PAGE_SIZE};
use reservation_desk::i18n::I18nContextProvider;
use rust_decimal::Decimal;
use wasm_bindgen::JsCast;

const PORTFOLIO: usize = 10_000;
const FAMILIES: [&str; 6] =
    ["VirtualMachines", "SqlDatabases", "CosmosDb", "AppService", "RedisCache", "Databricks"];

fn now() -> Result<f64, String> {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).ok_or_else(|| "no performance.now() in this page".into())
}

fn day(s: &str) -> Result<NaiveDate, String> {
    s.parse().map_err(|e| format!("bad date {s:?}: {e}"))
}

fn engine_reservation(family: &str, plan: BillingPlan, quantity: u32, purchase: NaiveDate) -> Result<quote_engine::Reservation, String> {
    Ok(quote_engine::Reservation {
        reserved_resource_type: ReservedResourceType::new(family).map_err(|e| format!("family {family}: {e}"))?,
        term: Term::P3Y,
        billing_plan: plan,
        purchase_date: purchase,
        quantity,
        unit_price: Money::new(Decimal::new(360_000, 2), Currency::USD),
        pricing_unit_price: None,
        has_usage: true,
    })
}

fn ledger() -> Result<Vec<PriorRefund>, String> {
    let first = day("2025-12-01")?;
    Ok((0..12)
        .map(|i| PriorRefund { date: first + chrono::Days::new(i * 30), amount: Money::new(Decimal::new(100_000, 2), Currency::USD) })
        .collect())
}

/// Refund quotes per second in this browser (the criterion bench's partner-center/upfront case).
fn engine_throughput() -> Result<(f64, f64), String> {
    let policy = Policy::partner_center_2020();
    let reservation = engine_reservation("VirtualMachines", BillingPlan::Upfront, 4, day("2025-03-01")?)?;
    let ledger = ledger()?;
    let today = day("2026-11-22")?;
    let quote = || {
        quote_refund(&policy, today, &reservation, 2, &ledger)
            .map(|q| std::hint::black_box(q.refund_amount.amount))
            .map_err(|e| format!("the throughput quote failed: {e}"))
    };
    // Warm up, then time a batch long enough for a stable figure.
    for _ in 0..2_000 {
        quote()?;
    }
    let rounds = 30_000;
    let start = now()?;
    for _ in 0..rounds {
        quote()?;
    }
    let elapsed_ms = now()? - start;
    let micros_per_quote = elapsed_ms * 1000.0 / f64::from(rounds);
    Ok((micros_per_quote, 1_000_000.0 / micros_per_quote))
}

/// 10,000 reservations across families, plans, purchase dates and scopes.
fn portfolio() -> Result<Vec<(Reservation, quote_engine::Reservation)>, String> {
    let first = day("2024-01-01")?;
    (0..PORTFOLIO)
        .map(|i| {
            let family = FAMILIES[i % FAMILIES.len()];
            let plan = if i % 3 == 0 { BillingPlan::Monthly } else { BillingPlan::Upfront };
            let purchase = first + chrono::Days::new((i % 900) as u64);
            let quantity = 1 + (i % 8) as u32;
            let engine = engine_reservation(family, plan, quantity, purchase)?;
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
                archived: false,
                split_properties: None,
                merge_properties: None,
            };
            Ok((contract, engine))
        })
        .collect()
}

/// Quotes one unit of every reservation: the portfolio's refundable total. A quote that fails
/// fails the benchmark (a skipped quote would make the figure cheaper than the real work).
fn requote(portfolio: &[(Reservation, quote_engine::Reservation)], policy: &Policy, today: NaiveDate) -> Result<Decimal, String> {
    portfolio.iter().try_fold(Decimal::ZERO, |total, (contract, r)| {
        quote_refund(policy, today, r, 1, &[])
            .map(|q| total + q.refund_amount.amount)
            .map_err(|e| format!("quoting {} failed: {e}", contract.id))
    })
}

/// Chooses `family` in the table's family filter and fires its `change`, as a user would.
fn select_family(family: &str) -> Result<(), String> {
    let selects = document().query_selector_all(".filters select").map_err(|e| format!("{e:?}"))?;
    let select = selects
        .item(1)
        .ok_or_else(|| format!("the family filter is missing ({} filters on the page)", selects.length()))?
        .dyn_into::<web_sys::HtmlSelectElement>()
        .map_err(|_| "the second filter is not a <select>".to_owned())?;
    select.set_value(family);
    if select.value() != family {
        return Err(format!("the family filter has no option {family:?}"));
    }
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict("change", &init).map_err(|e| format!("{e:?}"))?;
    select.dispatch_event(&event).map_err(|e| format!("{e:?}"))?;
    Ok(())
}

/// The table's rows as (display name, family), in order.
fn rows() -> Result<Vec<(String, String)>, String> {
    let list = document().query_selector_all("table tbody tr").map_err(|e| format!("{e:?}"))?;
    (0..list.length())
        .map(|i| {
            let row = list.item(i).and_then(|n| n.dyn_into::<web_sys::Element>().ok()).ok_or("a row is not an element")?;
            let cell = |selector: &str| -> Result<String, String> {
                row.query_selector(selector)
                    .map_err(|e| format!("{e:?}"))?
                    .and_then(|c| c.text_content())
                    .ok_or_else(|| format!("row {i} has no {selector}"))
            };
            // Columns: display name (th), SKU, family, …
            Ok((cell("th")?, cell("td:nth-of-type(2)")?))
        })
        .collect()
}

/// The table's "Showing n of m" line, when there are more rows than one page.
fn showing() -> Result<String, String> {
    document()
        .query_selector(".table-more [role=status]")
        .map_err(|e| format!("{e:?}"))?
        .and_then(|s| s.text_content())
        .ok_or_else(|| "no \"Showing n of m\" line under the table".into())
}

async fn run() -> Result<serde_json::Value, String> {
    let (micros_per_quote, quotes_per_second) = engine_throughput()?;

    let today = day("2026-11-22")?;
    let policy = Policy::partner_center_2020();
    let portfolio = portfolio()?;
    let start = now()?;
    let total = requote(&portfolio, &policy, today)?;
    let requote_ms = now()? - start;

    let reservations: Vec<Reservation> = portfolio.iter().map(|(r, _)| r.clone()).collect();
    let table = document()
        .get_element_by_id("table")
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        .ok_or("the page has no #table")?;
    let start = now()?;
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
    let first_render_ms = now()? - start;
    let mut before = rows()?;
    if before.len() != PAGE_SIZE.min(PORTFOLIO) {
        return Err(format!("the first render shows {} rows, not {}", before.len(), PAGE_SIZE.min(PORTFOLIO)));
    }
    let all_status = showing()?;
    if !all_status.contains(&PORTFOLIO.to_string()) {
        return Err(format!("the table does not say it holds {PORTFOLIO} reservations: {all_status:?}"));
    }

    // One keystroke: the family filter narrows the list; the portfolio is re-quoted and the
    // table re-rendered. Median of five, a different family each time so each is a real change;
    // each is checked: every row shown is of that family, the table counts the matching
    // reservations, and rows on the page changed.
    let mut keystrokes = Vec::new();
    let mut times = Vec::new();
    for family in ["SqlDatabases", "CosmosDb", "AppService", "RedisCache", "Databricks"] {
        let start = now()?;
        std::hint::black_box(requote(&portfolio, &policy, today)?);
        select_family(family)?;
        leptos::task::tick().await;
        times.push(now()? - start);
        let after = rows()?;
        let matching = portfolio.iter().filter(|(r, _)| r.reserved_resource_type == family).count();
        if after.len() != PAGE_SIZE.min(matching) {
            return Err(format!("{family}: {} rows shown, expected {}", after.len(), PAGE_SIZE.min(matching)));
        }
        if let Some((name, other)) = after.iter().find(|(_, f)| f != family) {
            return Err(format!("{family}: the table still shows {name} of {other}"));
        }
        if matching > PAGE_SIZE && !showing()?.contains(&matching.to_string()) {
            return Err(format!("{family}: the table does not count {matching} matching: {:?}", showing()?));
        }
        let changed = (0..before.len().max(after.len())).filter(|&i| before.get(i) != after.get(i)).count();
        if changed == 0 {
            return Err(format!("{family}: choosing the filter changed no row"));
        }
        keystrokes.push(serde_json::json!({ "family": family, "matching": matching, "rowsShown": after.len(), "rowsChanged": changed }));
        before = after;
    }
    times.sort_by(f64::total_cmp);
    Ok(serde_json::json!({
        "engine": { "microsPerQuote": micros_per_quote, "quotesPerSecond": quotes_per_second },
        "portfolio": {
            "reservations": PORTFOLIO,
            "requoteMs": requote_ms,
            "firstRenderMs": first_render_ms,
            "rowsAll": PAGE_SIZE.min(PORTFOLIO),
            "keystrokeMedianMs": times[times.len() / 2],
            "keystrokes": keystrokes,
            "refundableTotal": total.to_string(),
        }
    }))
}

/// Writes the figures, or the error, where bench/report.mjs reads them.
fn finish(result: Result<serde_json::Value, String>) {
    let out = document().get_element_by_id("results").expect("the page has a #results element");
    let failed = result.is_err();
    let text = match result {
        Ok(figures) => figures.to_string(),
        Err(error) => serde_json::json!({ "error": error }).to_string(),
    };
    out.set_text_content(Some(&text));
    if failed {
        out.set_attribute("data-failed", "").expect("#results takes attributes");
    }
    out.set_attribute("data-done", "").expect("#results takes attributes");
}

fn main() {
    console_error_panic_hook::set_once();
    // `mount_to` would set up Leptos' task executor; the benchmark spawns before mounting.
    if let Err(e) = any_spawner::Executor::init_wasm_bindgen() {
        finish(Err(format!("Leptos' executor could not be set up: {e:?}")));
        return;
    }
    leptos::task::spawn_local(async {
        finish(run().await);
    });
}
