use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::api;
use crate::components::{azure_ticket::AzureTicket, load_error::LoadError};
use crate::format::format_time;
use crate::i18n::*;
use crate::paths;

/// One support request (`/customers/{id}/support/{requestId}`): what was asked and, in Azure
/// mode, the Microsoft support ticket it became, read again from Azure on each visit (its number
/// and status at Microsoft; why Azure could not be read, inline).
#[component]
pub fn SupportRequestPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let customer_id = Memo::new(move |_| params.read().get("customer_id").unwrap_or_default());
    let request_id = Memo::new(move |_| params.read().get("request_id").unwrap_or_default());
    let customer = LocalResource::new(move || {
        let id = customer_id.get();
        async move { api::customer(&id).await }
    });
    let request = LocalResource::new(move || {
        let id = request_id.get();
        async move { api::support_request(&id).await }
    });
    view! {
        <nav class="breadcrumb" aria-label=move || t_string!(i18n, breadcrumb)>
            <A href=paths::customers()>{t!(i18n, customers)}</A>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    customer.await.ok().map(|c| view! {
                        " / "
                        <A href=paths::customer(&c.id)>{c.name}</A>
                        " / "
                        <A href=paths::customer_tab(&c.id, "support")>{t!(i18n, support_requests)}</A>
                    })
                })}
            </Transition>
        </nav>
        <h1>{move || t_string!(i18n, support_request_title, id = request_id.get()).to_string()}</h1>
        <Transition fallback=move || view! { <p class="loading" role="status">{t!(i18n, loading_support_request)}</p> }>
            {move || Suspend::new(async move {
                match request.await {
                    Ok(found) => {
                        let created = found.created_time.clone();
                        let status = found.status.clone();
                        view! {
                            <dl class="properties">
                                <dt>{t!(i18n, summary)}</dt><dd>{found.request.summary.clone()}</dd>
                                <dt>{t!(i18n, category)}</dt><dd>{t!(i18n, exchanges_and_refunds)}</dd>
                                <dt>{t!(i18n, reservation_id)}</dt><dd><code>{found.request.reservation_id.clone()}</code></dd>
                                <dt>{t!(i18n, reservation_order_id)}</dt><dd><code>{found.request.reservation_order_id.clone()}</code></dd>
                                <dt>{t!(i18n, status)}</dt>
                                <dd>{move || if status == "Open" { t_string!(i18n, support_status_open).to_string() } else { status.clone() }}</dd>
                                <dt>{t!(i18n, created)}</dt><dd>{move || format_time(&created, i18n.get_locale())}</dd>
                            </dl>
                            <AzureTicket request=found page=true />
                        }
                        .into_any()
                    }
                    Err(error) => view! { <LoadError error retry=move || request.refetch() /> }.into_any(),
                }
            })}
        </Transition>
    }
}
