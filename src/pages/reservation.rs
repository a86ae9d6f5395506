use contract::{Approval, Problem, ReservationDetail};
use leptos::prelude::*;
use leptos_router::components::{Outlet, A};
use leptos_router::hooks::use_params_map;

use crate::api::{self, ApiError};
use crate::components::approval_waiting::{ApprovalWaiting, WAITING_NOTE};
use crate::components::archive_button::ArchiveButton;
use crate::components::money_actions::MoneyActions;
use crate::components::labels::{state_class, state_text};
use crate::components::load_error::LoadError;
use crate::i18n::*;
use crate::paths;
use crate::reservation_context::CurrentReservation;

/// The reservation behind a URL: the customer's list gives its order, the order path gives
/// the detail. A reservation of another customer is "not found", never shown.
async fn load(customer_id: String, reservation_id: String) -> Result<(ReservationDetail, Option<Approval>), ApiError> {
    let list = api::reservations(&customer_id).await?;
    let Some(found) = list.into_iter().find(|r| r.id == reservation_id) else {
        return Err(ApiError::Problem(Problem::not_found(format!(
            "Customer {customer_id} has no reservation {reservation_id}."
        ))));
    };
    let detail = api::reservation(&found.reservation_order_id, &found.id).await?;
    // The open request returning it, if any (a backend without approvals answers none).
    let waiting = api::approvals().await.unwrap_or_default().into_iter().find(|a| a.reservation_ids.contains(&reservation_id));
    Ok((detail, waiting))
}

/// A reservation: its name and state, the Actions bar, the panel tabs, and the panel.
#[component]
pub fn ReservationPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let customer_id = move || params.read().get("customer_id").unwrap_or_default();
    let reservation_id = move || params.read().get("reservation_id").unwrap_or_default();
    let detail = LocalResource::new(move || load(customer_id(), reservation_id()));
    let reload = Callback::new(move |_| detail.refetch());
    // The page's own, not each load's: a view of the reservation before (a panel, the Actions
    // bar) may still read them while the next one replaces it.
    let (name, waiting) = (RwSignal::new(String::new()), RwSignal::new(None::<Approval>));
    let waiting_now = Signal::derive(move || waiting.with(Option::is_some));
    // The customer's name for the breadcrumb (a customer that cannot be read is said once, below).
    let customer = LocalResource::new(move || {
        let id = customer_id();
        async move { api::customer(&id).await }
    });

    view! {
        <nav class="breadcrumb" aria-label=move || t_string!(i18n, breadcrumb)>
            <A href=paths::customers()>{t!(i18n, customers)}</A>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    customer.await.ok().map(|c| view! {
                        " / "
                        <A href=paths::customer(&c.id)>{c.name}</A>
                    })
                })}
            </Transition>
        </nav>
        <Transition fallback=move || view! { <p class="loading" role="status">{t!(i18n, loading_reservation)}</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok((detail, open_request)) => {
                        name.set(detail.reservation.display_name.clone());
                        waiting.set(open_request);
                        let current = CurrentReservation { customer_id: customer_id(), detail, reload, waiting, waiting_now, name };
                        provide_context(current.clone());
                        view! { <ReservationFrame current /> }.into_any()
                    }
                    Err(error) => view! { <LoadError error retry=move || detail.refetch() /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// Header, Actions bar and panel tabs around the routed panel.
#[component]
fn ReservationFrame(current: CurrentReservation) -> impl IntoView {
    let i18n = use_i18n();
    let r = &current.detail.reservation;
    let state = r.provisioning_state;
    let active = state == contract::ProvisioningState::Succeeded;
    let link = {
        let (c, id) = (current.customer_id.clone(), r.id.clone());
        move |panel: &str| paths::reservation(&c, &id, panel)
    };
    let split_merge_href = link("split-merge");
    let waiting = current.waiting;
    // Whether the Actions bar was drawn before: a request that appears later was just submitted.
    // (A flag of this closure's own, not a StoredValue: the closure may run once more while the
    // page moves to another reservation, after this frame's owner is gone.)
    let shown_once = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let name = current.name;
    view! {
        <header class="page-header">
            <h1>{move || name.get()}</h1>
            <p class="sub">
                {r.sku_name.clone()} " · " <span title=r.location.clone()>{desk_service::region::display_name(&r.location).to_owned()}</span> " "
                <span class=state_class(state)>{move || state_text(i18n, state)}</span>
            </p>
        </header>
        <div class="actions" role="toolbar" aria-label=move || t_string!(i18n, actions)>
            <A href=link("configuration") attr:class="button secondary">{t!(i18n, manage)}</A>
            // Only an active reservation can be refunded or exchanged: on an expired or cancelled
            // one the buttons stay in place, disabled, with the reason beside them.
            <MoneyActions customer_id=current.customer_id.clone() reservation_id=r.id.clone() active waiting=current.waiting_now />
            // New support request is a panel tab below, named once on the page.
            {active.then(|| view! { <A href=split_merge_href attr:class="button secondary">{t!(i18n, split_merge)}</A> })}
            {state.is_finished().then(|| view! { <ArchiveButton reservation=r.clone() /> })}
            <Show when=move || !active>
                <p id="actions-disabled-reason" class="sub disabled-reason">
                    {move || t_string!(i18n, actions_not_active, state = state_text(i18n, state).to_lowercase()).to_string()}
                </p>
            </Show>
            // A refund or exchange of it waits for someone else's approval: no second one.
            // Said once, here, for every panel; after a submit answered 202 (the request appears
            // while the page is open) it takes focus, since the panel's Submit is gone.
            {move || {
                let appeared = shown_once.swap(true, std::sync::atomic::Ordering::Relaxed);
                (active).then(|| waiting.get()).flatten().map(|approval| view! { <ApprovalWaiting approval id=WAITING_NOTE focus=appeared /> })
            }}
        </div>
        <nav class="panel-tabs" aria-label=move || t_string!(i18n, reservation_panels)>
            <A href=link("") exact=true>{t!(i18n, overview)}</A>
            <A href=link("access-control")>{t!(i18n, access_control)}</A>
            <A href=link("configuration")>{t!(i18n, configuration)}</A>
            <A href=link("properties")>{t!(i18n, properties)}</A>
            <A href=link("support")>{t!(i18n, new_support_request)}</A>
            <A href=link("history")>{t!(i18n, history)}</A>
        </nav>
        <div class="panel">
            <Outlet />
        </div>
    }
}
