use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::*;
use crate::paths;

/// The Refund and Exchange buttons of a reservation. Only an active reservation can be refunded
/// or exchanged: on an expired or cancelled one the buttons stay in place, disabled, described
/// by the reason the Actions bar shows (`#actions-disabled-reason`).
#[component]
pub fn MoneyActions(
    /// The customer the reservation belongs to.
    customer_id: String,
    /// The reservation.
    reservation_id: String,
    /// Whether the reservation is active (provisioning state Succeeded).
    active: bool,
    /// Whether a refund or exchange of it waits for someone else's approval: the buttons are
    /// disabled, described by the note the Actions bar shows (or `waiting_reason`).
    #[prop(into, optional)]
    waiting: Signal<bool>,
    /// The ID of the note that says why while it waits, when not the Actions bar's.
    #[prop(optional)]
    waiting_reason: Option<&'static str>,
) -> impl IntoView {
    let i18n = use_i18n();
    if active {
        let (c, r) = (customer_id.clone(), reservation_id.clone());
        let reason = waiting_reason.unwrap_or("actions-disabled-reason");
        view! {
            <Show when=move || !waiting.get() fallback=move || view! {
                <button type="button" disabled aria-describedby=reason>{t!(i18n, refund)}</button>
                <button type="button" disabled aria-describedby=reason>{t!(i18n, exchange)}</button>
            }>
                <A href=paths::reservation(&c, &r, "refund") attr:class="button">{t!(i18n, refund)}</A>
                <A href=paths::reservation(&c, &r, "exchange") attr:class="button">{t!(i18n, exchange)}</A>
            </Show>
        }
        .into_any()
    } else {
        view! {
            <button type="button" disabled aria-describedby="actions-disabled-reason">{t!(i18n, refund)}</button>
            <button type="button" disabled aria-describedby="actions-disabled-reason">{t!(i18n, exchange)}</button>
        }
        .into_any()
    }
}
