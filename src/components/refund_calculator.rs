use chrono::NaiveDate;
use leptos::prelude::*;
use desk_service::quantity::parse_quantity;
use quote_engine::api::RefundQuoteResponse;
use quote_engine::{quote_refund, PolicyName, PriorRefund, Reservation};

use crate::components::number_field::{number_problem_text, parse_whole, NumberField};
use crate::components::quote_text::policy_name_text;
use crate::components::refund_breakdown::RefundBreakdown;
use crate::components::server_agreement::{refund_differences, ServerAgreement};
use crate::i18n::*;

/// Quantity and policy inputs with a refund quote that the engine recomputes in the browser on
/// every change: no round trip. The server recomputes the same quote before money moves.
#[component]
pub fn RefundCalculator(
    /// The reservation being returned, as the engine sees it.
    reservation: Reservation,
    /// The customer's earlier refunds (the rolling refund-limit window).
    prior_refunds: Vec<PriorRefund>,
    /// The day to quote for; the view layer decides what "today" is, never the engine.
    today: NaiveDate,
    /// The quantity text the user typed (kept by the page, e.g. in the URL).
    quantity: RwSignal<String>,
    /// The chosen policy preset.
    policy: RwSignal<PolicyName>,
    /// The server's quote from the last Review, if any: beside the live one as a confirmation
    /// mark when they agree, in full with each difference named when they do not.
    #[prop(optional, into)]
    server: Option<Signal<Option<RefundQuoteResponse>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let max = reservation.quantity;
    let parsed = Memo::new(move |_| quantity.with(|text| parse_quantity(text, max)));
    let quote = Memo::new(move |_| {
        let q = parsed.get()?;
        Some(quote_refund(&policy.get().policy(), today, &reservation, q, &prior_refunds))
    });

    let policy_options = PolicyName::ALL
        .iter()
        .map(|&name| {
            view! {
                <option value=name.as_str() selected=move || policy.get() == name>
                    {move || policy_name_text(i18n, name)}
                </option>
            }
        })
        .collect_view();

    view! {
        <form class="quote-inputs" on:submit=|event| event.prevent_default()>
            <div class="field">
                <label for="refund-quantity">{t!(i18n, quantity_to_return)}</label>
                <div class="inline">
                    <NumberField id="refund-quantity" whole=true described_by="refund-quantity-hint"
                        value=quantity
                        on_input=Callback::new(move |text| quantity.set(text))
                        verdict=Signal::derive(move || quantity.with(|text| parse_whole(text, 1, max).err()).map(|p| number_problem_text(i18n, p))) />
                    <span id="refund-quantity-hint" class="hint">{t!(i18n, of_quantity, max)}</span>
                </div>
            </div>
            <div class="field">
                <label for="refund-policy">{t!(i18n, refund_policy)}</label>
                <select
                    id="refund-policy"
                    on:change=move |event| {
                        if let Ok(name) = event_target_value(&event).parse::<PolicyName>() {
                            policy.set(name);
                        }
                    }
                >
                    {policy_options}
                </select>
                // At a phone's width the select cuts the chosen policy's long name (an option
                // cannot wrap): written out in full under it there (the select itself says it
                // whole to a screen reader).
                <p class="hint policy-chosen" aria-hidden="true">{move || policy_name_text(i18n, policy.get())}</p>
            </div>
        </form>
        {move || match quote.get() {
            None => ().into_any(),
            Some(Ok(quote)) => {
                let live: RefundQuoteResponse = quote.into();
                let confirmed = server.and_then(|s| s.get()).map(|server| {
                    let differences = refund_differences(&live, &server);
                    let differ = !differences.is_empty();
                    view! {
                        <ServerAgreement differences />
                        {differ.then(|| view! {
                            <RefundBreakdown quote=server title=Signal::derive(move || t_string!(i18n, server_quote).to_string()) />
                        })}
                    }
                });
                view! {
                    <RefundBreakdown
                        quote=live
                        title=Signal::derive(move || t_string!(i18n, quote_breakdown).to_string())
                    />
                    {confirmed}
                }
                .into_any()
            }
            Some(Err(error)) => view! {
                <p class="field-error" role="alert">
                    {t!(i18n, quote_input_error, detail = error.to_string())}
                </p>
            }
            .into_any(),
        }}
    }
}
