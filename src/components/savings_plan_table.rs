//! A customer's savings plans: name, hourly commitment, term, billing plan, start, end and
//! scope; in Azure mode the plans the customer holds in Azure, with Azure's IDs, the utilization
//! of the last 1, 7 and 30 days and the automatic renewal, each figure Azure did not report said
//! to be unknown. A savings plan cannot be cancelled, exchanged or refunded, so the list has no
//! actions, and says so.

use contract::{AzureSavingsPlanFacts, CustomerSavingsPlan};
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use rust_decimal::Decimal;

use crate::components::labels::{plan_text, scope_named, term_text};
use crate::format::{format_date, format_money, format_percent};
use crate::i18n::*;

/// One window's utilization, or "Not reported".
fn percent_or_not_reported(i18n: I18nContext<Locale>, value: Option<Decimal>) -> String {
    match value {
        Some(p) => format_percent(p, i18n.get_locale()),
        None => t_string!(i18n, utilization_not_reported).to_string(),
    }
}

/// What Azure says of the plan's automatic renewal.
fn renewal_text(i18n: I18nContext<Locale>, facts: &AzureSavingsPlanFacts) -> String {
    let locale = i18n.get_locale();
    let unknown = || t_string!(i18n, savings_plan_unknown).to_string();
    match (facts.renew, &facts.renewal, &facts.renewal_unknown) {
        (None, _, _) => unknown(),
        (Some(false), _, _) => t_string!(i18n, savings_plan_renewal_off).to_string(),
        (Some(true), Some(r), _) => {
            let name = r.display_name.clone().unwrap_or_else(unknown);
            let term = r.term.map_or_else(unknown, |t| term_text(i18n, t));
            let plan = r.billing_plan.map_or_else(unknown, |p| plan_text(i18n, p));
            let amount = r.commitment.map_or_else(unknown, |c| t_string!(i18n, per_hour, amount = format_money(&c.per_hour(), locale)).to_string());
            t_string!(i18n, savings_plan_renews_into, name = name, term = term, plan = plan, amount = amount).to_string()
        }
        (Some(true), None, Some(why)) => t_string!(i18n, savings_plan_renewal_not_read, why = why.clone()).to_string(),
        (Some(true), None, None) => t_string!(i18n, savings_plan_renewal_on).to_string(),
    }
}

/// The table of `plans` (as the desk lists them: newest first), or its empty state; `azure`:
/// whether this desk reads Azure (the empty state and the note say where the plans come from).
#[component]
pub fn SavingsPlanTable(plans: Vec<CustomerSavingsPlan>, #[prop(into)] azure: Signal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let unknown = move || t_string!(i18n, savings_plan_unknown).to_string();
    let empty = plans.is_empty();
    // Azure's columns when any plan is Azure's.
    let from_azure = plans.iter().any(|p| p.azure.is_some());
    let rows = plans
        .into_iter()
        .map(|p| {
            let hourly = p.commitment.map(|c| c.per_hour());
            let (term, billing, scope_type) = (p.term, p.billing_plan, p.applied_scope_type);
            let scope_properties = p.applied_scope_properties.clone();
            let (start, end) = (p.start_date, p.expiry_date);
            let facts = p.azure.clone();
            let ids = facts.as_ref().map(|_| (p.savings_plan_order_id.clone(), p.id.clone()));
            let azure_cells = facts.map(|facts| {
                let u = facts.utilization;
                let renewal = facts.clone();
                view! {
                    <td data-label=move || t_string!(i18n, utilization)>
                        <ul class="plain">
                            <li>{move || format!("{}: {}", t_string!(i18n, utilization_1), percent_or_not_reported(i18n, u.last1_day))}</li>
                            <li>{move || format!("{}: {}", t_string!(i18n, utilization_7), percent_or_not_reported(i18n, u.last7_days))}</li>
                            <li>{move || format!("{}: {}", t_string!(i18n, utilization_30), percent_or_not_reported(i18n, u.last30_days))}</li>
                        </ul>
                    </td>
                    <td class="wide" data-label=move || t_string!(i18n, column_renewal)>{move || renewal_text(i18n, &renewal)}</td>
                }
            });
            view! {
                <tr>
                    <th scope="row">
                        {p.display_name.clone()}
                        {ids.map(|(order, plan)| view! {
                            <span class="plan-ids">{move || t_string!(i18n, savings_plan_ids, order = order.clone(), plan = plan.clone()).to_string()}</span>
                        })}
                    </th>
                    <td class="num" data-label=move || t_string!(i18n, column_hourly_commitment)>
                        {move || hourly.map_or_else(unknown, |h| t_string!(i18n, per_hour, amount = format_money(&h, locale())).to_string())}
                    </td>
                    <td data-label=move || t_string!(i18n, column_term)>{move || term.map_or_else(unknown, |t| term_text(i18n, t))}</td>
                    <td data-label=move || t_string!(i18n, column_billing_plan)>{move || billing.map_or_else(unknown, |b| plan_text(i18n, b))}</td>
                    <td data-label=move || t_string!(i18n, column_start)>{move || start.map_or_else(unknown, |d| format_date(d, locale()))}</td>
                    <td data-label=move || t_string!(i18n, column_expiry)>{move || end.map_or_else(unknown, |d| format_date(d, locale()))}</td>
                    <td data-label=move || t_string!(i18n, column_scope)>
                        {move || scope_type.map_or_else(unknown, |s| scope_named(i18n, s, scope_properties.as_ref()))}
                    </td>
                    {azure_cells}
                </tr>
            }
        })
        .collect_view();
    let empty_text = move || if azure.get() { t_string!(i18n, no_savings_plans_azure).to_string() } else { t_string!(i18n, no_savings_plans).to_string() };
    view! {
        {if empty {
            view! { <p class="empty">{empty_text}</p> }.into_any()
        } else {
            view! {
                {from_azure.then(|| view! { <p class="note">{t!(i18n, savings_plans_from_azure)}</p> })}
                <p class="note">{t!(i18n, savings_plans_final)}</p>
                <div class="table-scroll">
                    <table class="data-table savings-plans">
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
                                {from_azure.then(|| view! {
                                    <th scope="col">{t!(i18n, utilization)}</th>
                                    <th scope="col">{t!(i18n, column_renewal)}</th>
                                })}
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            }
            .into_any()
        }}
    }
}
