//! A customer's savings plans (bought by trading reservations in): name, hourly commitment,
//! term, billing plan, start, end and scope. A savings plan cannot be cancelled, exchanged or
//! refunded, so the list has no actions, and says so.

use contract::SavingsPlan;
use leptos::prelude::*;

use crate::components::labels::{plan_text, scope_named, term_text};
use crate::format::{format_date, format_money};
use crate::i18n::*;

/// The table of `plans` (as the desk lists them: newest first), or its empty state.
#[component]
pub fn SavingsPlanTable(plans: Vec<SavingsPlan>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let empty = plans.is_empty();
    let rows = plans
        .into_iter()
        .map(|p| {
            let hourly = p.commitment.per_hour();
            let (term, billing, scope_type) = (p.term, p.billing_plan, p.applied_scope_type);
            let scope_properties = p.applied_scope_properties.clone();
            let (start, end) = (p.start_date, p.expiry_date);
            view! {
                <tr>
                    <th scope="row">{p.display_name.clone()}</th>
                    <td class="num" data-label=move || t_string!(i18n, column_hourly_commitment)>{move || t_string!(i18n, per_hour, amount = format_money(&hourly, locale())).to_string()}</td>
                    <td data-label=move || t_string!(i18n, column_term)>{move || term_text(i18n, term)}</td>
                    <td data-label=move || t_string!(i18n, column_billing_plan)>{move || plan_text(i18n, billing)}</td>
                    <td data-label=move || t_string!(i18n, column_start)>{move || format_date(start, locale())}</td>
                    <td data-label=move || t_string!(i18n, column_expiry)>{move || format_date(end, locale())}</td>
                    <td data-label=move || t_string!(i18n, column_scope)>{move || scope_named(i18n, scope_type, scope_properties.as_ref())}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <Show when=move || !empty fallback=move || view! { <p class="empty">{t!(i18n, no_savings_plans)}</p> }>
            <p class="note">{t!(i18n, savings_plans_final)}</p>
            <div class="table-scroll">
                <table class="data-table">
                    <caption class="visually-hidden">{t!(i18n, savings_plans)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, column_display_name)}</th>
                            <th scope="col" class="num">{t!(i18n, column_hourly_commitment)}</th>
                            <th scope="col">{t!(i18n, column_term)}</th>
                            <th scope="col">{t!(i18n, column_billing_plan)}</th>
                            <th scope="col">{t!(i18n, column_start)}</th>
                            <th scope="col">{t!(i18n, column_expiry)}</th>
                            <th scope="col">{t!(i18n, column_scope)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows.clone()}</tbody>
                </table>
            </div>
        </Show>
    }
}
