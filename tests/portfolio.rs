//! Browser tests of the customer's Portfolio tab (issue 16): the whole app mounted at
//! `/customers/{id}/portfolio`, answered by the in-browser backend (this test build has no API
//! base), signed in as the Admin agent. The expected rows and recommendations come from
//! `desk_service::portfolio` over the same backend's answers, so the tab is checked against the
//! rules, not against numbers copied here. Also: the Actions bar of an expired reservation.

use contract::{RefundLimit, Reservation};
use desk_service::portfolio::{portfolio, Action};
use leptos::prelude::*;
use quote_engine::PolicyName;
use reservation_desk::app::App;
use reservation_desk::in_browser::{handle, reset};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const CONTOSO: &str = "0b6e7d2a-4f1c-4d8e-9a51-1c2d3e4f5a01";

fn get<T: serde::de::DeserializeOwned>(path: &str) -> T {
    serde_json::from_value(handle(Some("demo-admin-agent"), "GET", path, &[], None).unwrap()).unwrap()
}

/// The app mounted at `path` with fresh demo data; unmounted on drop.
struct Mounted {
    root: web_sys::HtmlElement,
    _app: Box<dyn std::any::Any>,
}

impl Mounted {
    fn open(path: &str) -> Self {
        reset();
        let document = document();
        if document.query_selector("base").unwrap().is_none() {
            let base = document.create_element("base").unwrap();
            base.set_attribute("href", "/").unwrap();
            document.head().unwrap().append_child(&base).unwrap();
        }
        reservation_desk::session::sign_in("demo-admin-agent");
        window().history().unwrap().push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(path)).unwrap();
        let root: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
        document.body().unwrap().append_child(&root).unwrap();
        let app = leptos::mount::mount_to(root.clone(), || App().into_any());
        Self { root, _app: Box::new(app) }
    }

    fn all(&self, selector: &str) -> Vec<web_sys::HtmlElement> {
        let list = self.root.query_selector_all(selector).unwrap();
        (0..list.length()).map(|i| list.item(i).unwrap().unchecked_into()).collect()
    }

    /// Waits (up to three seconds) until `ready` holds.
    async fn until(&self, what: &str, ready: impl Fn(&Self) -> bool) {
        for _ in 0..300 {
            if ready(self) {
                return;
            }
            sleep(10).await;
        }
        panic!("{what} never happened; the page: {}", self.root.text_content().unwrap_or_default());
    }

    fn text(&self) -> String {
        self.root.text_content().unwrap_or_default()
    }

    fn select(&self, selector: &str, value: &str) {
        let select = self.root.query_selector(selector).unwrap().unwrap();
        js_sys::Reflect::set(&select, &"value".into(), &value.into()).unwrap();
        select.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    }
}

impl Drop for Mounted {
    fn drop(&mut self) {
        self.root.remove();
    }
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms).unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

const ROWS: &str = "#panel-portfolio tbody tr";

#[wasm_bindgen_test]
async fn the_portfolio_tab_has_its_own_url_and_one_row_per_active_reservation_with_the_rules_recommendation() {
    let app = Mounted::open(&format!("/customers/{CONTOSO}/portfolio"));
    let list: Vec<Reservation> = get(&format!("/customers/{CONTOSO}/reservations"));
    let limit: RefundLimit = get(&format!("/customers/{CONTOSO}/refundLimit"));
    let expected = portfolio(&list, &limit, reservation_desk::clock::today(), PolicyName::PartnerCenter2020);
    assert!(expected.rows.len() >= 3, "Contoso has active reservations: {}", expected.rows.len());
    app.until("the portfolio rows", |a| a.all(ROWS).len() == expected.rows.len()).await;
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
    app.select(".portfolio-controls label:nth-of-type(5) select", "Keep");
    app.until("the Keep filter", |a| a.all(ROWS).len() == keeps || (keeps == 0 && a.text().contains("No reservations match"))).await;
    app.select(".portfolio-controls label:nth-of-type(5) select", "");
    app.until("all rows again", |a| a.all(ROWS).len() == expected.rows.len()).await;

    // Select two rows: they are quoted together against the shared limit.
    for checkbox in app.all(&format!("{ROWS} input[type=checkbox]")).into_iter().take(2) {
        checkbox.click();
    }
    app.until("the selection quote", |a| a.text().contains("2 selected")).await;

    // The other tabs are URLs too, and the tab list goes there.
    app.all("#tab-0")[0].click();
    app.until("the reservations tab", |a| a.all("#tab-0")[0].get_attribute("aria-selected").as_deref() == Some("true")).await;
    assert_eq!(window().location().pathname().unwrap(), format!("/customers/{CONTOSO}"));
    app.all("#tab-2")[0].click();
    app.until("back on the portfolio", |a| a.all(ROWS).len() == expected.rows.len()).await;
    assert_eq!(window().location().pathname().unwrap(), format!("/customers/{CONTOSO}/portfolio"));
}

#[wasm_bindgen_test]
async fn choosing_the_policy_requotes_and_keeps_it_in_the_url() {
    let app = Mounted::open(&format!("/customers/{CONTOSO}/portfolio"));
    let list: Vec<Reservation> = get(&format!("/customers/{CONTOSO}/reservations"));
    let limit: RefundLimit = get(&format!("/customers/{CONTOSO}/refundLimit"));
    let today = reservation_desk::clock::today();
    let pc = portfolio(&list, &limit, today, PolicyName::PartnerCenter2020);
    let az = portfolio(&list, &limit, today, PolicyName::AzureCurrent);
    app.until("the portfolio rows", |a| a.all(ROWS).len() == pc.rows.len()).await;
    let refunds = |a: &Mounted| a.all(&format!("{ROWS} td:nth-child(7)")).iter().map(|td| td.text_content().unwrap()).collect::<Vec<_>>();
    let before = refunds(&app);
    app.select(".portfolio-controls label:nth-of-type(1) select", "azure-current");
    app.until("the policy in the URL", |_| window().location().search().unwrap() == "?policy=azure-current").await;
    // No fee under the current policy: some refund changes (the engine decides which).
    let differs = pc.rows.iter().zip(&az.rows).any(|(a, b)| a.quote.map(|q| q.refund) != b.quote.map(|q| q.refund));
    assert!(differs, "the two policies quote Contoso differently");
    app.until("the re-quoted refunds", |a| refunds(a) != before).await;
}

#[wasm_bindgen_test]
async fn an_unknown_tab_is_not_found() {
    let app = Mounted::open(&format!("/customers/{CONTOSO}/nonsense"));
    app.until("the not-found page", |a| a.text().contains("Page not found")).await;
}

#[wasm_bindgen_test]
async fn refund_and_exchange_are_disabled_with_the_reason_on_an_expired_reservation() {
    reset();
    let list: Vec<Reservation> = get(&format!("/customers/{CONTOSO}/reservations"));
    let expired = list.iter().find(|r| r.provisioning_state == contract::ProvisioningState::Expired).expect("the seed has one");
    let app = Mounted::open(&format!("/customers/{CONTOSO}/reservations/{}", expired.id));
    app.until("the Actions bar", |a| !a.all(".actions").is_empty()).await;
    app.until("the Overview panel", |a| a.all(".panel .actions").len() == 1).await;
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
