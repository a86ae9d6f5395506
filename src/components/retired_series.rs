//! Retired VM series in the user's language: why renewal cannot be turned on, which terms of a
//! catalog SKU retire, and why a purchase line is refused. The rule is the engine's
//! (`quote_engine::rules`), read through desk-service; these only write it.

use chrono::NaiveDate;
use contract::{CatalogItem, RetiredTerm};
use leptos_i18n::I18nContext;
use quote_engine::{RetiredSeries, Term};

use crate::components::labels::term_text;
use crate::format::format_date;
use crate::i18n::*;

/// "Automatic renewal is not available: Standard_F16s_v2 is a Fsv2 size, and 1 year reservations
/// of the Fsv2 series cannot be renewed from Jul 1, 2026."
pub fn renewal_retired_text(i18n: I18nContext<Locale>, sku: &str, retired: &RetiredSeries) -> String {
    let (term, date) = (term_text(i18n, retired.term), format_date(retired.from, i18n.get_locale()));
    t_string!(i18n, retired_series_renewal_disabled, sku = sku, series = retired.series, term = term, date = date).to_string()
}

/// The retired terms of `item` for its picker label, e.g. "1 year retired from Jul 1, 2026";
/// empty when none retires.
pub fn retired_terms_note(i18n: I18nContext<Locale>, item: &CatalogItem) -> String {
    item.retired_terms
        .iter()
        .map(|r| {
            let (term, date) = (term_text(i18n, r.term), format_date(r.from, i18n.get_locale()));
            t_string!(i18n, retired_series_term, term = term, date = date).to_string()
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Why `item`'s retired terms cannot be bought, one sentence a term ("Standard_D2s_v3 is a Dv3
/// size: 1 year reservations of the Dv3 series cannot be bought from Jul 1, 2026."), whether
/// the day has come or not; empty when none retires. Said under a term picker, whose disabled
/// option cannot say it itself; `except` a term said elsewhere already (the chosen one refused).
pub fn retired_terms_reason(i18n: I18nContext<Locale>, item: &CatalogItem, except: Option<Term>) -> String {
    item.retired_terms
        .iter()
        .filter(|r| Some(r.term) != except)
        .map(|r| {
            let (term, date) = (term_text(i18n, r.term), format_date(r.from, i18n.get_locale()));
            t_string!(i18n, retired_series_purchase_refused, sku = item.sku_name.clone(), series = r.series.clone(), term = term, date = date).to_string()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Why buying `term` of `item` on `today` is refused, if it is.
pub fn purchase_retired_text(i18n: I18nContext<Locale>, item: &CatalogItem, term: Term, today: NaiveDate) -> Option<String> {
    let RetiredTerm { from, series, .. } = desk_service::exchange::retired_on(item, term, today)?;
    let (term, date) = (term_text(i18n, term), format_date(*from, i18n.get_locale()));
    Some(t_string!(i18n, retired_series_purchase_refused, sku = item.sku_name.clone(), series = series.clone(), term = term, date = date).to_string())
}
