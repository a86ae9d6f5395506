//! The Portfolio tab's "Buy" rows: beside what to do with the reservations the customer has,
//! what their usage says to buy, each with its yearly savings and a way to the Buy tab with it
//! filled in.

use contract::CustomerRecommendations;
use leptos::prelude::*;

use crate::components::labels::term_text;
use crate::format::{format_count, format_money};
use crate::i18n::*;
use crate::paths;

/// One row per recommendation the customer can buy: quantity, SKU, region, term and its savings
/// per year, a Buy link to the Buy tab filled in from it; nothing when there is none.
#[component]
pub fn PortfolioBuyRows(
    /// The customer (the links).
    customer_id: String,
    /// What the customer's usage recommends.
    recommendations: CustomerRecommendations,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let buyable: Vec<_> = recommendations.recommendations.into_iter().filter(|r| r.refusal.is_none()).collect();
    if buyable.is_empty() {
        return ().into_any();
    }
    let total = recommendations.savings_per_year;
    let rows = buyable
        .into_iter()
        .map(|r| {
            let href = format!("{}?recommendation={}", paths::customer_tab(&customer_id, "buy"), js_sys::encode_uri_component(&r.id));
            let (term, quantity) = (r.term, r.recommended_quantity);
            let savings = Some(r.savings_per_year);
            let (sku, region) = (r.sku_name.clone(), desk_service::region::display_name(&r.location).to_owned());
            let label = move || t_string!(i18n, buy_recommendation_label, sku = sku.clone(), region = region.clone(), term = term_text(i18n, term)).to_string();
            view! {
                <tr>
                    <th scope="row">{r.sku_name.clone()}</th>
                    <td data-label=move || t_string!(i18n, region)><span title=r.location.clone()>{desk_service::region::display_name(&r.location).to_owned()}</span></td>
                    <td data-label=move || t_string!(i18n, column_term)>{move || term_text(i18n, term)}</td>
                    <td class="num" data-label=move || t_string!(i18n, column_recommended_quantity)>{move || format_count(i64::from(quantity), locale())}</td>
                    <td class="num" data-label=move || t_string!(i18n, column_savings_per_year)>{move || savings.map(|s| format_money(&s, locale())).unwrap_or_default()}</td>
                    <td data-label=move || t_string!(i18n, actions)><a href=href aria-label=label>{t!(i18n, buy_this)}</a></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="portfolio-buy" aria-labelledby="portfolio-buy-heading">
            <h2 id="portfolio-buy-heading">{t!(i18n, tab_buy)}</h2>
            <p class="note">{move || t_string!(i18n, savings_on_the_table, amount = format_money(&total, locale())).to_string()}</p>
            <div class="table-scroll">
                <table class="data-table">
                    <caption class="visually-hidden">{t!(i18n, recommendations_heading)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, sku)}</th>
                            <th scope="col">{t!(i18n, region)}</th>
                            <th scope="col">{t!(i18n, column_term)}</th>
                            <th scope="col" class="num">{t!(i18n, column_recommended_quantity)}</th>
                            <th scope="col" class="num">{t!(i18n, column_savings_per_year)}</th>
                            <th scope="col">{t!(i18n, actions)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
    .into_any()
}
