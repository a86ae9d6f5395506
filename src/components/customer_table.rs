use contract::Customer;
use leptos::prelude::*;

/// The customer list as a table, one row per customer.
#[component]
pub fn CustomerTable(customers: Vec<Customer>) -> impl IntoView {
    if customers.is_empty() {
        return view! { <p class="empty">"No customers match."</p> }.into_any();
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
            <caption class="visually-hidden">"Customers"</caption>
            <thead>
                <tr>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Domain"</th>
                    <th scope="col" class="num">"Reservations"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}
