use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::api;
use crate::clock;
use crate::components::{
    limit_meter::LimitMeter, load_error::LoadError, reservation_table::ReservationTable,
    support_request_list::SupportRequestList, tabs::{Tab, TabList},
};
use crate::i18n::*;
use crate::paths;

/// One customer: who they are, and their Azure reservations.
#[component]
pub fn CustomerPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let customer_id = move || params.read().get("customer_id").unwrap_or_default();
    let customer = LocalResource::new(move || {
        let id = customer_id();
        async move { api::customer(&id).await }
    });
    let limit = LocalResource::new(move || {
        let id = customer_id();
        async move { api::refund_limit(&id).await }
    });
    let tab = RwSignal::new(0usize);
    let support = LocalResource::new(move || {
        let id = customer_id();
        async move { api::support_requests(&id).await }
    });
    let reservations = LocalResource::new(move || {
        let id = customer_id();
        async move { api::reservations(&id).await }
    });

    view! {
        <nav class="breadcrumb" aria-label=move || t_string!(i18n, breadcrumb)>
            <A href=paths::customers()>{t!(i18n, back_to_customers)}</A>
        </nav>
        <Transition fallback=move || view! { <h1 class="skeleton-line">"\u{a0}"</h1> }>
            {move || Suspend::new(async move {
                match customer.await {
                    Ok(c) => view! {
                        <header class="page-header">
                            <h1>{c.name}</h1>
                            <p class="sub">{c.domain}</p>
                        </header>
                    }
                    .into_any(),
                    Err(error) => view! { <LoadError error retry=move || customer.refetch() /> }.into_any(),
                }
            })}
        </Transition>
        <Transition fallback=move || view! { <p class="loading" role="status">{t!(i18n, loading_limit)}</p> }>
            {move || Suspend::new(async move {
                match limit.await {
                    Ok(limit) => view! { <LimitMeter limit /> }.into_any(),
                    Err(error) => view! { <LoadError error retry=move || limit.refetch() /> }.into_any(),
                }
            })}
        </Transition>
        <TabList
            tabs=vec![
                Tab { key: "reservations", label: Signal::derive(move || t_string!(i18n, azure_reservations).to_string()) },
                Tab { key: "support", label: Signal::derive(move || t_string!(i18n, support_requests).to_string()) },
            ]
            selected=tab
            label=Signal::derive(move || t_string!(i18n, customer_sections).to_string())
        />
        <section id="panel-reservations" role="tabpanel" aria-labelledby="tab-0" hidden=move || tab.get() != 0>
            <Transition fallback=move || view! { <p class="loading" role="status">{t!(i18n, loading_reservations)}</p> }>
                {move || Suspend::new(async move {
                    match reservations.await {
                        Ok(list) => view! {
                            <ReservationTable customer_id=customer_id() reservations=list today=clock::today() />
                        }
                        .into_any(),
                        Err(error) => view! { <LoadError error retry=move || reservations.refetch() /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
        <section id="panel-support" role="tabpanel" aria-labelledby="tab-1" hidden=move || tab.get() != 1>
            <Show when=move || tab.get() == 1>
                <Transition fallback=move || view! { <p class="loading" role="status">{t!(i18n, loading_support_requests)}</p> }>
                    {move || Suspend::new(async move {
                        match support.await {
                            Ok(requests) => view! { <SupportRequestList requests /> }.into_any(),
                            Err(error) => view! { <LoadError error retry=move || support.refetch() /> }.into_any(),
                        }
                    })}
                </Transition>
            </Show>
        </section>
    }
}
