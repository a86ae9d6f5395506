//! The CSV file: its header in the user's language, and saving text as a download.

use desk_service::portfolio::CSV_COLUMNS;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use wasm_bindgen::{JsCast, JsValue};

use crate::i18n::*;

/// The CSV's header row in the user's language (desk-service writes the rows).
pub(super) fn csv_header(i18n: I18nContext<Locale>) -> [String; CSV_COLUMNS] {
    [
        t_string!(i18n, portfolio_csv_id).to_string(),
        t_string!(i18n, portfolio_csv_order_id).to_string(),
        t_string!(i18n, column_display_name).to_string(),
        t_string!(i18n, column_sku).to_string(),
        t_string!(i18n, column_family).to_string(),
        t_string!(i18n, column_scope).to_string(),
        t_string!(i18n, column_quantity).to_string(),
        t_string!(i18n, portfolio_csv_utilization_7).to_string(),
        t_string!(i18n, portfolio_csv_utilization_30).to_string(),
        t_string!(i18n, column_expiry).to_string(),
        t_string!(i18n, portfolio_column_days_left).to_string(),
        t_string!(i18n, portfolio_csv_currency).to_string(),
        t_string!(i18n, portfolio_column_remaining).to_string(),
        t_string!(i18n, portfolio_column_refund).to_string(),
        t_string!(i18n, portfolio_csv_allowed).to_string(),
        t_string!(i18n, portfolio_csv_counted).to_string(),
        t_string!(i18n, portfolio_column_credit).to_string(),
        t_string!(i18n, portfolio_filter_recommendation).to_string(),
        t_string!(i18n, portfolio_csv_reason).to_string(),
    ]
}

/// Saves `text` as a file named `filename` through a Blob and an object URL.
pub fn download(filename: &str, text: &str, mime: &str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let document = document();
    let link = document.create_element("a")?;
    link.set_attribute("href", &url)?;
    link.set_attribute("download", filename)?;
    link.set_attribute("hidden", "")?;
    let body = document.body().ok_or_else(|| JsValue::from_str("no body"))?;
    body.append_child(&link)?;
    link.unchecked_ref::<web_sys::HtmlElement>().click();
    link.remove();
    // The download has taken the blob by then; free it.
    set_timeout(move || drop(web_sys::Url::revoke_object_url(&url)), std::time::Duration::from_secs(10));
    Ok(())
}
