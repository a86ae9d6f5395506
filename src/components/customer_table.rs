use contract::Customer;
use leptos::prelude::*;

use crate::i18n::*;

/// The customer list as a table, one row per customer.
#[component]
pub fn CustomerTable(customers: Vec<Customer>) -> impl IntoView {
    let i18n = use_i18n();
    if customers.is_empty() {
        return view! { <p class="empty">{t!(i18n, no_customers_match)}</p> }.into_any();
    }
    let rows = customers
        .into_iter()
        .map(|customer| {
            view! {
                <tr>
                    <th scope="row">{customer.name}</th>
                    <td>{customer.domain}</td>
                    <td class="num">{customer.reservation_count}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="data-table">
            <caption class="visually-hidden">{t!(i18n, customers)}</caption>
            <thead>
                <tr>
                    <th scope="col">{t!(i18n, column_name)}</th>
                    <th scope="col">{t!(i18n, column_domain)}</th>
                    <th scope="col" class="num">{t!(i18n, column_reservations)}</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}
