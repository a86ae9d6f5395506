use leptos::prelude::*;

use crate::api;
use crate::components::{customer_table::CustomerTable, load_error::LoadError};
use crate::i18n::*;

/// The partner's customers, loaded from the backend.
#[component]
pub fn CustomersPage() -> impl IntoView {
    let customers = LocalResource::new(|| api::customers(""));
    let i18n = use_i18n();
    let retry = move || customers.refetch();
    view! {
        <h1>{t!(i18n, customers)}</h1>
        <Transition fallback=move || view! { <p class="loading" role="status">{t!(i18n, loading_customers)}</p> }>
            {move || Suspend::new(async move {
                match customers.await {
                    Ok(list) => view! { <CustomerTable customers=list /> }.into_any(),
                    Err(error) => view! { <LoadError error retry /> }.into_any(),
                }
            })}
        </Transition>
    }
}
