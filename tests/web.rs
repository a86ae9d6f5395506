//! Browser tests: components mounted into a real DOM in headless Chromium
//! (`wasm-bindgen-test`, see scripts/test.sh).

use contract::Customer;
use leptos::prelude::*;
use reservation_desk::components::customer_table::CustomerTable;
use reservation_desk::components::load_error::LoadError;
use reservation_desk::api::ApiError;
use reservation_desk::i18n::{use_i18n, I18nContextProvider, Locale};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh element in the document for one test to mount into.
fn test_root() -> web_sys::HtmlElement {
    let document = document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    root.unchecked_into()
}

/// Mounts a view inside the i18n context the app provides, as the app does.
fn mount<V: IntoView + 'static>(root: &web_sys::HtmlElement, view: impl FnOnce() -> V + Send + 'static) {
    let handle = leptos::mount::mount_to(root.clone(), move || {
        view! { <I18nContextProvider enable_cookie=false>{view()}</I18nContextProvider> }
    });
    handle.forget();
}

fn customer(id: &str, name: &str, reservations: u32) -> Customer {
    Customer {
        id: id.into(),
        name: name.into(),
        domain: format!("{id}.onmicrosoft.com"),
        reservation_count: reservations,
    }
}

#[wasm_bindgen_test]
async fn customer_table_shows_one_row_per_customer() {
    let root = test_root();
    let customers = vec![customer("contoso", "Contoso Ltd", 4), customer("fabrikam", "Fabrikam Inc", 0)];
    mount(&root, move || view! { <CustomerTable customers /> });
    leptos::task::tick().await;

    let rows = root.query_selector_all("tbody tr").unwrap();
    assert_eq!(rows.length(), 2);
    let first = rows.item(0).unwrap().text_content().unwrap();
    assert!(first.contains("Contoso Ltd"), "{first}");
    assert!(first.contains("contoso.onmicrosoft.com"), "{first}");
    assert!(first.contains('4'), "{first}");
}

#[wasm_bindgen_test]
async fn customer_table_says_so_when_empty() {
    let root = test_root();
    mount(&root, || view! { <CustomerTable customers=vec![] /> });
    leptos::task::tick().await;

    assert!(root.query_selector("table").unwrap().is_none());
    assert_eq!(root.text_content().unwrap(), "No customers match.");
}

#[wasm_bindgen_test]
async fn load_error_shows_the_reason_and_retries_on_click() {
    let root = test_root();
    let (retries, set_retries) = signal(0);
    let error = ApiError::Network("connection refused".into());
    mount(&root, move || {
        view! { <LoadError error retry=move || set_retries.update(|n| *n += 1) /> }
    });
    leptos::task::tick().await;

    let alert = root.query_selector("[role=alert]").unwrap().expect("an alert");
    assert!(alert.text_content().unwrap().contains("could not be reached"));
    let button: web_sys::HtmlElement = root.query_selector("button").unwrap().unwrap().unchecked_into();
    button.click();
    button.click();
    assert_eq!(retries.get_untracked(), 2);
}

#[wasm_bindgen_test]
async fn switching_the_language_retranslates_what_is_on_screen() {
    let root = test_root();
    let (locale, set_locale) = signal(Locale::en);
    mount(&root, move || {
        let i18n = use_i18n();
        Effect::new(move || i18n.set_locale(locale.get()));
        view! { <CustomerTable customers=vec![customer("contoso", "Contoso Ltd", 4)] /> }
    });
    leptos::task::tick().await;
    let header = || root.query_selector("thead").unwrap().unwrap().text_content().unwrap();
    assert!(header().contains("Reservations"), "{}", header());

    set_locale.set(Locale::de);
    leptos::task::tick().await;
    assert!(header().contains("Reservierungen"), "{}", header());

    set_locale.set(Locale::zh_CN);
    leptos::task::tick().await;
    assert!(header().contains("预订"), "{}", header());
}
