//! Browser tests of the customer's Portfolio tab: the whole app mounted at
//! `/customers/{id}/portfolio`, answered by the in-browser backend (this test build has no API
//! base), signed in as the Admin agent. The expected rows and recommendations come from
//! `desk_service::portfolio` over the same backend's answers, so the tab is checked against the
//! rules, not against numbers copied here. Also: the Actions bar of an expired reservation.

use crate::support;

use contract::{RefundLimit, Reservation};
use desk_service::portfolio::{portfolio, Action};
use leptos::prelude::*;
use quote_engine::PolicyName;
use reservation_desk::in_browser::{handle, reset};
use support::{wait_until, Mounted, CONTOSO};
use wasm_bindgen_test::*;


fn get<T: serde::de::DeserializeOwned>(path: &str) -> T {
    serde_json::from_value(handle(Some("demo-admin-agent"), "GET", path, &[], None).unwrap()).unwrap()
}

/// The app mounted at `path` with fresh demo data; unmounted on drop.
fn open(path: &str) -> Mounted {
    reset();
    Mounted::at(path)
}

/// Chooses `value` in the `<select>` matched by `selector`, as a user would.
fn select(app: &Mounted, selector: &str, value: &str) {
    let select = app.root.query_selector(selector).unwrap().unwrap();
    js_sys::Reflect::set(&select, &"value".into(), &value.into()).unwrap();
    select.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
}

const ROWS: &str = "#panel-portfolio .portfolio-table tbody tr";

#[wasm_bindgen_test]
async fn the_portfolio_tab_has_its_own_url_and_one_row_per_active_reservation_with_the_rules_recommendation() {
    let app = open(&format!("/customers/{CONTOSO}/portfolio"));
    let list: Vec<Reservation> = get(&format!("/customers/{CONTOSO}/reservations"));
    let limit: RefundLimit = get(&format!("/customers/{CONTOSO}/refundLimit"));
    // Quoted by the deployment's policy (this build's: azure-current) until another is chosen.
    let expected = portfolio(&list, &limit, reservation_desk::clock::today(), PolicyName::AzureCurrent);
    assert!(expected.rows.len() >= 3, "Contoso has active reservations: {}", expected.rows.len());
    wait_until("the portfolio rows", || app.all(ROWS).len() == expected.rows.len()).await;
    assert_eq!(app.all("#tab-2")[0].get_attribute("aria-selected").as_deref(), Some("true"));
    assert!(app.all("#panel-portfolio")[0].get_attribute("hidden").is_none());
    assert!(app.all("#panel-reservations")[0].get_attribute("hidden").is_some());

    // Every rule's recommendation, under its reservation's name (rows are sorted Refund first).
    let rows = app.all(ROWS);
    for row in &expected.rows {
        let name = &list[row.position].display_name;
        let tr = rows
            .iter()
            .find(|tr| tr.query_selector("th a").unwrap().unwrap().text_content().unwrap() == *name)
            .unwrap_or_else(|| panic!("no row for {name}"));
        let badge = tr.query_selector(".recommendation .badge").unwrap().unwrap().text_content().unwrap();
        assert_eq!(badge, row.recommendation.action.as_str(), "{name}");
        let reason = tr.query_selector(".recommendation .reason").unwrap().unwrap().text_content().unwrap();
        assert!(!reason.is_empty(), "{name} has a reason");
    }
    // Contoso is near its limit: the headroom plan names what is left.
    assert!(app.text().contains("left in the limit") || app.text().contains("is left in the limit"), "{}", app.text());

    // Filter by recommendation: only those rows stay (positions over the quoted rows).
    let keeps = expected.rows.iter().filter(|r| r.recommendation.action == Action::Keep).count();
    select(&app, ".portfolio-controls label:nth-of-type(5) select", "Keep");
    wait_until("the Keep filter", || app.all(ROWS).len() == keeps || (keeps == 0 && app.text().contains("No reservations match"))).await;
    select(&app, ".portfolio-controls label:nth-of-type(5) select", "");
    wait_until("all rows again", || app.all(ROWS).len() == expected.rows.len()).await;

    // Select two rows: they are quoted together against the shared limit.
    for checkbox in app.all(&format!("{ROWS} input[type=checkbox]")).into_iter().take(2) {
        checkbox.click();
    }
    wait_until("the selection quote", || app.text().contains("2 selected")).await;

    // The other tabs are URLs too, and the tab list goes there.
    app.all("#tab-0")[0].click();
    wait_until("the reservations tab", || app.all("#tab-0")[0].get_attribute("aria-selected").as_deref() == Some("true")).await;
    assert_eq!(window().location().pathname().unwrap(), format!("/customers/{CONTOSO}"));
    app.all("#tab-2")[0].click();
    wait_until("back on the portfolio", || app.all(ROWS).len() == expected.rows.len()).await;
    assert_eq!(window().location().pathname().unwrap(), format!("/customers/{CONTOSO}/portfolio"));
}

#[wasm_bindgen_test]
async fn choosing_the_policy_requotes_and_keeps_it_in_the_url() {
    let app = open(&format!("/customers/{CONTOSO}/portfolio"));
    let list: Vec<Reservation> = get(&format!("/customers/{CONTOSO}/reservations"));
    let limit: RefundLimit = get(&format!("/customers/{CONTOSO}/refundLimit"));
    let today = reservation_desk::clock::today();
    let pc = portfolio(&list, &limit, today, PolicyName::PartnerCenter2020);
    let az = portfolio(&list, &limit, today, PolicyName::AzureCurrent);
    wait_until("the portfolio rows", || app.all(ROWS).len() == az.rows.len()).await;
    let policy = || js_sys::Reflect::get(&app.root.query_selector(".portfolio-controls label:nth-of-type(1) select").unwrap().unwrap(), &"value".into()).unwrap().as_string();
    assert_eq!(policy().as_deref(), Some("azure-current"), "the tab starts at the deployment's policy");
    assert_eq!(window().location().search().unwrap(), "", "which the address does not name");
    let refunds = |a: &Mounted| a.all(&format!("{ROWS} td:nth-child(7)")).iter().map(|td| td.text_content().unwrap()).collect::<Vec<_>>();
    let before = refunds(&app);
    select(&app, ".portfolio-controls label:nth-of-type(1) select", "partner-center-2020");
    wait_until("the what-if policy in the URL", || window().location().search().unwrap() == "?policy=partner-center-2020").await;
    // A fee under the 2020 policy: some refund changes (the engine decides which).
    let differs = pc.rows.iter().zip(&az.rows).any(|(a, b)| a.quote.map(|q| q.refund) != b.quote.map(|q| q.refund));
    assert!(differs, "the two policies quote Contoso differently");
    wait_until("the re-quoted refunds", || refunds(&app) != before).await;
    select(&app, ".portfolio-controls label:nth-of-type(1) select", "azure-current");
    wait_until("the deployment's policy again, off the URL", || window().location().search().unwrap().is_empty()).await;
    wait_until("the refunds as first quoted", || refunds(&app) == before).await;
}

#[wasm_bindgen_test]
async fn an_unknown_tab_is_not_found() {
    let app = open(&format!("/customers/{CONTOSO}/nonsense"));
    wait_until("the not-found page", || app.text().contains("Page not found")).await;
}

#[wasm_bindgen_test]
async fn refund_and_exchange_are_disabled_with_the_reason_on_an_expired_reservation() {
    reset();
    let list: Vec<Reservation> = get(&format!("/customers/{CONTOSO}/reservations"));
    let expired = list.iter().find(|r| r.provisioning_state == contract::ProvisioningState::Expired).expect("the seed has one");
    let app = open(&format!("/customers/{CONTOSO}/reservations/{}", expired.id));
    wait_until("the Actions bar", || !app.all(".actions").is_empty()).await;
    wait_until("the Overview panel", || app.all(".panel .actions").len() == 1).await;
    // The Actions bar's and the Overview panel's (beside them, a finished reservation can be
    // archived: that button stays enabled).
    let all = app.all(".actions button");
    let (buttons, others): (Vec<_>, Vec<_>) =
        all.into_iter().partition(|b| matches!(b.text_content().unwrap().as_str(), "Refund" | "Exchange"));
    let labels: Vec<String> = buttons.iter().map(|b| b.text_content().unwrap()).collect();
    assert_eq!(labels, ["Refund", "Exchange", "Refund", "Exchange"]);
    let others: Vec<String> = others.iter().map(|b| b.text_content().unwrap()).collect();
    assert_eq!(others, ["Archive"]);
    for b in &buttons {
        assert!(b.has_attribute("disabled"), "{:?} is disabled", b.text_content());
        assert_eq!(b.get_attribute("aria-describedby").as_deref(), Some("actions-disabled-reason"));
    }
    let reason = app.all("#actions-disabled-reason")[0].text_content().unwrap();
    assert_eq!(reason, "Refund and Exchange need an active reservation; this one is expired.");
    let live: Vec<String> = app.all(".actions a[href$='/refund'], .actions a[href$='/exchange']").iter().map(|a| a.outer_html()).collect();
    assert!(live.is_empty(), "no live link to either: {live:?}");
}
