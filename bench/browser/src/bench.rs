//! Browser benchmarks for the performance report (bench/report.mjs loads this page):
//!
//! 1. the quote engine compiled to wasm: refund quotes per second, timed with
//!    `performance.now()`, with the same inputs as the native criterion bench;
//! 2. the app's own Portfolio tab (`PortfolioTab`, as the customer page mounts it) over 10,000
//!    generated reservations: its first render (every reservation quoted and recommended, the
//!    refunds chosen within the limit, the rows sorted, the first page in the DOM), and one
//!    keystroke in a filter (the family filter, then the search box): everything the tab does
//!    for it, until the table shows the new rows. (No quote depends on a filter, so the tab
//!    re-quotes nothing then; "re-quote all" times the engine over the 10,000 on its own.) The
//!    tab opens over the customer page, as in the app: that page (translations, router, its
//!    reservation table of the same 10,000) is mounted first and timed apart.
//!
//! 3. the app's Worklist page (`WorklistView`, as the page mounts it once the API answered) over
//!    500 customers × 20 reservations (the demo's reservations, cycled; about 12,500 rows): the
//!    answer's JSON read as the console reads it, the first render (the rows worded, the first
//!    page in the DOM), and one keystroke in the search box and in the reason filter until
//!    the table shows the new rows (median of 5 each).
//!
//! The figures are written as JSON into `#results`, which gets `data-done` when finished. A step
//! that did not happen (the filter is missing, no row changed, a quote failed) is not measured
//! around: the page writes `{"error": …}` instead, sets `data-failed` too, and bench/report.mjs
//! exits non-zero.

use chrono::NaiveDate;
use contract::{AppliedScopeType, ProvisioningState, RefundLedgerEntry, RefundLimit, Reservation, UtilizationAggregates};
use leptos::prelude::*;
use quote_engine::{
    quote_refund, BillingPlan, Currency, Money, Policy, PriorRefund, ReservedResourceType, Term,
};
use reservation_desk::components::portfolio::{PortfolioTab, PAGE_SIZE};
use reservation_desk::components::reservation_table::ReservationTable;
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
        expiry_date: None,
        current_unit_price: None,
        sku_name: None,
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
                utilization: UtilizationAggregates::known(Decimal::from(i % 100), Decimal::from(i % 100), Decimal::from(i % 100)),
                archived: false,
                split_properties: None,
                merge_properties: None,
                price_unknown: None,
                today_price: None,
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

/// The customer's refund limit: USD 50,000 a rolling year, with the twelve refunds of
/// [`ledger`] still counting.
fn limit(today: NaiveDate) -> Result<RefundLimit, String> {
    let usd = |cents| Money::new(Decimal::new(cents, 2), Currency::USD);
    let mut entries: Vec<RefundLedgerEntry> = ledger()?
        .into_iter()
        .enumerate()
        .map(|(i, p)| {
            let released_on = p.date + chrono::Days::new(365);
            RefundLedgerEntry {
                date: p.date,
                amount: p.amount,
                reservation_id: format!("refunded{i:02}"),
                reservation_order_id: format!("order{i:02}"),
                released_on,
                counts: today < released_on,
            }
        })
        .collect();
    entries.reverse();
    let consumed: i64 = entries.iter().filter(|e| e.counts).map(|_| 100_000).sum();
    Ok(RefundLimit { as_of: today, limit: usd(5_000_000), consumed: usd(consumed), headroom: usd(5_000_000 - consumed), entries, azure: None })
}

/// The `n`th element matching `selector`, as `T`.
fn control<T: JsCast>(selector: &str, n: u32, what: &str) -> Result<T, String> {
    let list = document().query_selector_all(selector).map_err(|e| format!("{e:?}"))?;
    list.item(n)
        .ok_or_else(|| format!("the {what} is missing ({} of {selector} on the page)", list.length()))?
        .dyn_into::<T>()
        .map_err(|_| format!("the {what} is not the element expected"))
}

/// Fires `kind` (bubbling) at `target`, as the browser does for a user's change.
fn fire(target: &web_sys::EventTarget, kind: &str) -> Result<(), String> {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict(kind, &init).map_err(|e| format!("{e:?}"))?;
    target.dispatch_event(&event).map_err(|e| format!("{e:?}"))?;
    Ok(())
}

/// Chooses `family` in the tab's family filter (its second control: policy, family, scope,
/// recommendation) and fires its `change`, as a user would.
fn select_family(family: &str) -> Result<(), String> {
    let select: web_sys::HtmlSelectElement = control("#panel-portfolio .filters select", 1, "family filter")?;
    select.set_value(family);
    if select.value() != family {
        return Err(format!("the family filter has no option {family:?}"));
    }
    fire(&select, "change")
}

/// Sets the search box to `text` and fires its `input`, as a keystroke does.
fn type_search(text: &str) -> Result<(), String> {
    let input: web_sys::HtmlInputElement = control("#panel-portfolio .filters input[type=search]", 0, "search box")?;
    input.set_value(text);
    fire(&input, "input")
}

/// The generated reservation a row shows, by the number in its display name.
fn row_index(name: &str) -> Result<usize, String> {
    name.strip_prefix("Reservation ").and_then(|n| n.parse().ok()).ok_or_else(|| format!("a row names {name:?}"))
}

/// The table's rows as display names, in order.
fn rows() -> Result<Vec<String>, String> {
    let list = document().query_selector_all("#panel-portfolio table tbody tr").map_err(|e| format!("{e:?}"))?;
    (0..list.length())
        .map(|i| {
            list.item(i)
                .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
                .and_then(|row| row.query_selector("th a").ok().flatten())
                .and_then(|a| a.text_content())
                .ok_or_else(|| format!("row {i} has no name link"))
        })
        .collect()
}

/// The table's "Showing n of m" line, when there are more rows than one page.
fn showing() -> Result<String, String> {
    document()
        .query_selector("#panel-portfolio .table-more [role=status]")
        .map_err(|e| format!("{e:?}"))?
        .and_then(|s| s.text_content())
        .ok_or_else(|| "no \"Showing n of m\" line under the table".into())
}

/// Checks the table after a keystroke: exactly the first page of the `matching` reservations
/// that pass `passes`, the count under the table, and rows on the page changed from `before`.
/// Returns the rows and how many changed.
fn check_rows(what: &str, before: &[String], passes: &dyn Fn(usize) -> bool, matching: usize) -> Result<(Vec<String>, usize), String> {
    let after = rows()?;
    if after.len() != PAGE_SIZE.min(matching) {
        return Err(format!("{what}: {} rows shown, expected {}", after.len(), PAGE_SIZE.min(matching)));
    }
    for name in &after {
        if !passes(row_index(name)?) {
            return Err(format!("{what}: the table still shows {name}, which does not match"));
        }
    }
    if matching > PAGE_SIZE && !showing()?.contains(&matching.to_string()) {
        return Err(format!("{what}: the table does not count {matching} matching: {:?}", showing()?));
    }
    let changed = (0..before.len().max(after.len())).filter(|&i| before.get(i) != after.get(i)).count();
    if changed == 0 {
        return Err(format!("{what}: the keystroke changed no row"));
    }
    Ok((after, changed))
}

fn median(mut times: Vec<f64>) -> f64 {
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

async fn run() -> Result<serde_json::Value, String> {
    let (micros_per_quote, quotes_per_second) = engine_throughput()?;

    let today = day("2026-11-22")?;
    let policy = Policy::partner_center_2020();
    let portfolio = portfolio()?;
    let start = now()?;
    let total = requote(&portfolio, &policy, today)?;
    let requote_ms = now()? - start;
    let active = |r: &Reservation| r.provisioning_state == ProvisioningState::Succeeded && today < r.expiry_date;
    if let Some((r, _)) = portfolio.iter().find(|(r, _)| !active(r)) {
        return Err(format!("{} is not active: the tab would leave it out", r.id));
    }

    let reservations: Vec<Reservation> = portfolio.iter().map(|(r, _)| r.clone()).collect();
    let limit = limit(today)?;
    let table = document()
        .get_element_by_id("table")
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        .ok_or("the page has no #table")?;
    // The customer page is on screen before the tab opens, as in the app: translations, the
    // router and the page's first tab, the reservation table of the same 10,000 (hidden when
    // another tab is chosen, as there). Its mount is timed apart ("customer page").
    let open = RwSignal::new(false);
    let start = now()?;
    leptos::mount::mount_to(table, move || {
        let list = reservations.clone();
        let reservations = reservations.clone();
        let limit = limit.clone();
        view! {
            <I18nContextProvider enable_cookie=false>
                <leptos_router::components::Router>
                    <section id="panel-reservations" hidden=move || open.get()>
                        <ReservationTable customer_id="bench".to_owned() reservations=list today />
                    </section>
                    <section id="panel-portfolio">
                        <Show when=move || open.get()>
                            // The 2020 preset as the deployment's, as a tab opened before the deployment's policy governed
                            // (the figures stay comparable with the earlier runs).
                            <PortfolioTab customer_id="bench".to_owned() reservations=reservations.clone() limit=limit.clone()
                                deployed=quote_engine::PolicyName::PartnerCenter2020 today />
                        </Show>
                    </section>
                </leptos_router::components::Router>
            </I18nContextProvider>
        }
    })
    .forget();
    leptos::task::tick().await;
    let shell_ms = now()? - start;
    if document().query_selector("#panel-portfolio .portfolio").map_err(|e| format!("{e:?}"))?.is_some() {
        return Err("the tab is on the page before it was opened".into());
    }
    // First render: the tab opens (as the customer page mounts it, at the deployment's policy):
    // every reservation quoted and recommended, until its first page of rows is in the DOM.
    let start = now()?;
    open.set(true);
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

    // One keystroke: the family filter narrows the list and the table shows the new rows.
    // Median of five, a different family each time so each is a real change; each is checked:
    // every row shown is of that family, the table counts the matching reservations, and rows
    // on the page changed.
    let family_of = |i: usize| portfolio[i].0.reserved_resource_type.as_str();
    let mut keystrokes = Vec::new();
    let mut times = Vec::new();
    for family in ["SqlDatabases", "CosmosDb", "AppService", "RedisCache", "Databricks"] {
        let start = now()?;
        select_family(family)?;
        leptos::task::tick().await;
        times.push(now()? - start);
        let matching = (0..PORTFOLIO).filter(|&i| family_of(i) == family).count();
        let (after, changed) = check_rows(family, &before, &|i| family_of(i) == family, matching)?;
        keystrokes.push(serde_json::json!({ "family": family, "matching": matching, "rowsShown": after.len(), "rowsChanged": changed }));
        before = after;
    }

    // Keystrokes in the search box (every family again): typed, then erased one at a time.
    select_family("")?;
    leptos::task::tick().await;
    before = rows()?;
    let mut searches = Vec::new();
    let mut search_times = Vec::new();
    for text in ["4", "42", "420", "42", "4"] {
        let start = now()?;
        type_search(text)?;
        leptos::task::tick().await;
        search_times.push(now()? - start);
        let passes = |i: usize| portfolio[i].0.display_name.contains(text) || portfolio[i].0.sku_name.contains(text);
        let matching = (0..PORTFOLIO).filter(|&i| passes(i)).count();
        let (after, changed) = check_rows(&format!("search {text:?}"), &before, &passes, matching)?;
        searches.push(serde_json::json!({ "text": text, "matching": matching, "rowsShown": after.len(), "rowsChanged": changed }));
        before = after;
    }

    Ok(serde_json::json!({
        "engine": { "microsPerQuote": micros_per_quote, "quotesPerSecond": quotes_per_second },
        "portfolio": {
            "reservations": PORTFOLIO,
            "requoteMs": requote_ms,
            "customerPageMs": shell_ms,
            "firstRenderMs": first_render_ms,
            "rowsAll": PAGE_SIZE.min(PORTFOLIO),
            "keystrokeMedianMs": median(times),
            "keystrokes": keystrokes,
            "searchMedianMs": median(search_times),
            "searches": searches,
            "refundableTotal": total.to_string(),
        }
    }))
}

const WORK_CUSTOMERS: usize = 500;
const WORK_PER_CUSTOMER: usize = 20;

/// The worklist of `WORK_CUSTOMERS` customers of `WORK_PER_CUSTOMER` reservations each (the demo's
/// reservations cycled, each its own IDs), as the desk answers it on `today`, in JSON.
fn worklist_json(today: NaiveDate) -> Result<String, String> {
    use desk_service::worklist::{customer_rows, worklist, CustomerBook};
    let demo = desk_service::seed::demo_data(today);
    let limit = desk_service::limit::refund_limit(&[], today).map_err(|e| e.to_string())?;
    let mut items = Vec::new();
    for c in 0..WORK_CUSTOMERS {
        let customer = contract::Customer { id: format!("c{c:04}"), name: format!("Customer {c:04}"), domain: format!("c{c}.example"), reservation_count: 0 };
        let reservations: Vec<Reservation> = (0..WORK_PER_CUSTOMER)
            .map(|i| {
                let seed = &demo.reservations[(c * WORK_PER_CUSTOMER + i) % demo.reservations.len()];
                let mut r = desk_service::utilization::with_aggregates(seed.reservation.clone(), seed.usage, today);
                (r.id, r.reservation_order_id, r.customer_id) = (format!("r{c:04}-{i:02}"), format!("o{c:04}-{i:02}"), customer.id.clone());
                r
            })
            .collect();
        let book = CustomerBook { customer: &customer, reservations: &reservations, limit: &limit, gdap: None, readiness: None, savings: None };
        items.extend(customer_rows(&book, today, Decimal::from(50)).map_err(|e| e.to_string())?);
    }
    let list = worklist(items, &std::collections::HashMap::new(), today, true).map_err(|e| e.to_string())?;
    serde_json::to_string(&list).map_err(|e| e.to_string())
}

/// The worklist table's rows, as the text of each row's first cell.
fn work_rows() -> Result<Vec<String>, String> {
    let list = document().query_selector_all("#worklist table tbody tr").map_err(|e| format!("{e:?}"))?;
    Ok((0..list.length()).filter_map(|i| list.item(i).and_then(|n| n.text_content())).collect())
}

/// Times one change of the worklist's filters: `apply` fires it, then the table must show rows
/// that differ from `before` (or none, when `may_empty`).
async fn work_keystroke(before: &[String], apply: &dyn Fn() -> Result<(), String>, what: &str) -> Result<(f64, Vec<String>), String> {
    let start = now()?;
    apply()?;
    leptos::task::tick().await;
    let took = now()? - start;
    let after = work_rows()?;
    if after == before {
        return Err(format!("worklist {what}: the keystroke changed no row"));
    }
    Ok((took, after))
}

async fn worklist_bench() -> Result<serde_json::Value, String> {
    let today = day("2026-11-27")?;
    let text = worklist_json(today)?;
    let start = now()?;
    let list: contract::Worklist = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    let parse_ms = now()? - start;
    let rows_all = list.items.len();
    let target = document().get_element_by_id("worklist").and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()).ok_or("the page has no #worklist")?;
    let start = now()?;
    leptos::mount::mount_to(target, move || {
        let list = list.clone();
        view! {
            <I18nContextProvider enable_cookie=false>
                <leptos_router::components::Router>
                    <reservation_desk::pages::worklist::WorklistView list />
                </leptos_router::components::Router>
            </I18nContextProvider>
        }
    })
    .forget();
    leptos::task::tick().await;
    let first_render_ms = now()? - start;
    let mut before = work_rows()?;
    if before.len() != reservation_desk::pages::worklist::PAGE_SIZE.min(rows_all) {
        return Err(format!("the worklist's first render shows {} rows of {rows_all}", before.len()));
    }
    let search = || -> Result<web_sys::HtmlInputElement, String> { control("#worklist .worklist-filters input[type=search]", 0, "worklist search box") };
    let mut search_times = Vec::new();
    for text in ["Customer 04", "Customer 042", "Customer 0421", "Customer 042", "Customer 04"] {
        let input = search()?;
        let (took, after) = work_keystroke(&before, &|| {
            input.set_value(text);
            fire(&input, "input")
        }, &format!("search {text:?}")).await?;
        search_times.push(took);
        before = after;
    }
    let input = search()?;
    input.set_value("");
    fire(&input, "input")?;
    leptos::task::tick().await;
    before = work_rows()?;
    let mut reason_times = Vec::new();
    for reason in ["underused", "exchangeRightEnds", "renewsIntoNoExchange", "seriesRetiring", ""] {
        let select: web_sys::HtmlSelectElement = control("#worklist .worklist-filters select", 0, "worklist reason filter")?;
        let (took, after) = work_keystroke(&before, &|| {
            select.set_value(reason);
            fire(&select, "change")
        }, &format!("reason {reason:?}")).await?;
        reason_times.push(took);
        before = after;
    }
    Ok(serde_json::json!({
        "customers": WORK_CUSTOMERS,
        "reservations": WORK_CUSTOMERS * WORK_PER_CUSTOMER,
        "rows": rows_all,
        "jsonBytes": text.len(),
        "parseMs": parse_ms,
        "firstRenderMs": first_render_ms,
        "searchMedianMs": median(search_times),
        "reasonMedianMs": median(reason_times),
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

pub fn main() {
    console_error_panic_hook::set_once();
    // `mount_to` would set up Leptos' task executor; the benchmark spawns before mounting.
    if let Err(e) = any_spawner::Executor::init_wasm_bindgen() {
        finish(Err(format!("Leptos' executor could not be set up: {e:?}")));
        return;
    }
    leptos::task::spawn_local(async {
        let result = match run().await {
            Ok(mut figures) => worklist_bench().await.map(|w| {
                figures["worklist"] = w;
                figures
            }),
            Err(e) => Err(e),
        };
        finish(result);
    });
}
