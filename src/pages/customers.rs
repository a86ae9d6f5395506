use leptos::prelude::*;

use crate::api;
use crate::components::{customer_table::CustomerTable, load_error::LoadError};

/// The partner's customers, loaded from the backend.
#[component]
pub fn CustomersPage() -> impl IntoView {
    let customers = LocalResource::new(|| api::customers(""));
    let retry = move || customers.refetch();
    view! {
        <h1>"Customers"</h1>
        <Transition fallback=|| view! { <p class="loading" role="status">"Loading customers…"</p> }>
            {move || Suspend::new(async move {
                match customers.await {
                    Ok(list) => view! { <CustomerTable customers=list /> }.into_any(),
                    Err(error) => view! { <LoadError error retry /> }.into_any(),
                }
            })}
        </Transition>
    }
}
