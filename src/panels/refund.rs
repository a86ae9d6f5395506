use contract::{CalculateRefundRequest, ProvisioningState, ReturnOutcome, ReturnRequest};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use quote_engine::PolicyName;

use crate::api;
use crate::clock;
use crate::components::approval_waiting::{ApprovalNeededNote, WAITING_NOTE};
use crate::components::azure_refund_check::{azure_refusal, AzureRefundCheckView};
use crate::components::load_error::LoadError;
use crate::components::number_field::parse_whole;
use crate::components::problem_text::ActionError;
use crate::components::quote_text::policy_name_text;
use crate::components::refund_calculator::RefundCalculator;
use crate::components::source_hold::{source_hold, SourceHoldNote};
use crate::components::ticket_reference::{ticket_reference_error, ticket_reference_required, ticket_reference_sent, TicketReferenceField};
use crate::deployment::{self, Deployment};
use crate::format::format_money;
use crate::i18n::*;
use crate::reservation_context::CurrentReservation;
use crate::paths;
use crate::user::CurrentUser;
use desk_service::access::Permission;

/// Keeps the quote's inputs in the address bar, so a quote can be shared as a link: the policy
/// only when it is a what-if (not the deployment's, or while that is not known yet).
fn write_query(quantity: &str, policy: PolicyName, deployed: Option<PolicyName>) {
    let Ok(url) = web_sys::Url::new(&window().location().href().unwrap_or_default()) else { return };
    url.search_params().set("quantity", quantity);
    match deployed {
        Some(deployed) if deployed == policy => url.search_params().delete("policy"),
        Some(_) => url.search_params().set("policy", policy.as_str()),
        None => {}
    }
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url.href()));
    }
}

/// Refund: a live quote in the browser as the user types, then Review (the server's quote
/// for today, with a session) and Submit (the return, carried out once). The policy starts at
/// the deployment's (`GET /api/settings`); another one (the switch, or `?policy=`) is a what-if:
/// quoted and reviewed, never submitted.
#[component]
pub fn RefundPanel() -> impl IntoView {
    let i18n = use_i18n();
    let user = CurrentUser::expect();
    let current = expect_context::<CurrentReservation>();
    let reservation = current.detail.reservation.clone();
    if reservation.provisioning_state != ProvisioningState::Succeeded {
        return view! { <h2>{t!(i18n, refund)}</h2><p class="empty">{t!(i18n, nothing_to_refund)}</p> }.into_any();
    }
    // At the lower of its purchase price and today's catalog price, as the desk quotes it.
    let engine_reservation = match desk_service::current_price::refund_reservation(&current.detail) {
        Ok(r) => r,
        Err(contract::NotQuotable::PriceUnknown(why)) => return view! {
            <h2>{t!(i18n, refund)}</h2>
            <p class="field-error price-unknown" role="alert">
                {t_string!(i18n, price_unknown_no_quote, message = why.message.clone(), code = why.code.clone()).to_string()}
            </p>
        }
        .into_any(),
        Err(e) => return view! { <p class="field-error" role="alert">{e.to_string()}</p> }.into_any(),
    };
    // Azure mode: held while the customer's last read from Azure failed (says why below).
    let hold = source_hold(current.customer_id.clone());

    let query = use_query_map().get_untracked();
    let quantity = RwSignal::new(query.get("quantity").unwrap_or_else(|| "1".into()));
    // The address bar's what-if, else the deployment's once known (the calculator waits for it).
    let asked: Option<PolicyName> = query.get("policy").and_then(|p| p.parse().ok());
    let policy = RwSignal::new(asked.unwrap_or(PolicyName::DEFAULT));
    let settings = Deployment::settings();
    let deployed = Memo::new(move |_| settings.get().and_then(Result::ok).map(|s| s.refund_policy));
    Effect::new(move |started: Option<bool>| {
        let known = deployed.get();
        if let (Some(d), false, None) = (known, started.unwrap_or(false), asked) {
            policy.set(d);
        }
        started.unwrap_or(false) || known.is_some()
    });
    let what_if = Memo::new(move |_| deployed.get().is_some_and(|d| d != policy.get()));
    Effect::new(move |_| write_query(&quantity.get(), policy.get(), deployed.get()));

    let customer_id = current.customer_id.clone();
    let limit = LocalResource::new(move || {
        let id = customer_id.clone();
        async move { Ok::<_, api::ApiError>((api::refund_limit(&id).await?, deployment::refund_policy(settings).await?)) }
    });

    let order_id = reservation.reservation_order_id.clone();
    let reservation_id = reservation.id.clone();
    // The quantity as its field reads it: while the field says it cannot be used, Review is
    // disabled (described by that verdict) and nothing is sent.
    let max_quantity = reservation.quantity;
    let parsed_quantity = Memo::new(move |_| quantity.with(|text| parse_whole(text, 1, max_quantity).ok()));
    let review = Action::new_local(move |&quantity: &u32| {
        let request = CalculateRefundRequest {
            reservation_id: reservation_id.clone(),
            quantity,
            // Until the deployment's policy is known, none: the backend applies its own.
            policy: (asked.is_some() || deployed.get_untracked().is_some()).then(|| policy.get_untracked()),
        };
        let order_id = order_id.clone();
        async move { api::calculate_refund(&order_id, &request).await }
    });
    // Changing the inputs after a review drops it: the server's quote must match what is shown.
    Effect::new(move |_| {
        quantity.track();
        policy.track();
        review.value().set(None);
    });

    let reason = RwSignal::new(String::new());
    let reason_missing = RwSignal::new(false);
    let ticket = RwSignal::new(String::new());
    let ticket_checked = RwSignal::new(false);
    let ticket_required = ticket_reference_required();
    let order_id = reservation.reservation_order_id.clone();
    let reload = current.reload;
    let waiting = current.waiting;
    let submit = Action::new_local(move |session_id: &String| {
        let request = ReturnRequest {
            session_id: session_id.clone(),
            return_reason: reason.get_untracked(),
            ticket_reference: ticket.with_untracked(|t| ticket_reference_sent(t)),
        };
        let order_id = order_id.clone();
        async move {
            let result = api::return_reservation(&order_id, &request).await;
            match &result {
                Ok(ReturnOutcome::Done(_)) => limit.refetch(),
                // Above the approval threshold: nothing moved; the panel and the Actions bar
                // now say it waits for someone else.
                Ok(ReturnOutcome::AwaitingApproval(approval)) => waiting.set(Some(approval.clone())),
                Err(_) => {}
            }
            result
        }
    });
    let support_link = paths::reservation(&current.customer_id, &reservation.id, "support");
    // The server's quote from Review, while it stands (not after the refund is done or waits).
    let server_quote = Signal::derive(move || {
        review.value().get().filter(|_| !matches!(submit.value().get(), Some(Ok(_))) && waiting.with(Option::is_none)).and_then(Result::ok).map(|c| c.quote)
    });

    // Azure mode: Azure gave no price today for its SKU, so it is refunded at its purchase price
    // (the lower-price rule has nothing to compare): said, with Azure's reason.
    let no_price_today = match &reservation.today_price {
        Some(contract::source::TodayPrice::Unknown { code, message }) => Some((code.clone(), message.clone())),
        _ => None,
    };
    // Azure named no subscription the reservation is billed to: today's price was asked under
    // one of the customer's own, said with which.
    let priced_under_customers = match &reservation.today_price {
        Some(contract::source::TodayPrice::Azure { subscription_id: Some(subscription), priced_under: Some(contract::source::PricedUnder::CustomersSubscription), .. }) => {
            Some(subscription.clone())
        }
        _ => None,
    };
    view! {
        <h2>{t!(i18n, refund)}</h2>
        {no_price_today.map(|(code, message)| view! {
            <p class="note" id="refund-no-price-today">{move || t_string!(i18n, today_price_unknown, message = message.clone(), code = code.clone()).to_string()}</p>
        })}
        {priced_under_customers.map(|subscription| view! {
            <p class="note" id="refund-price-today-subscription">{move || t_string!(i18n, today_price_under_customers_subscription, subscription = subscription.clone()).to_string()}</p>
        })}
        // A refund or exchange of this reservation waits for approval: no second one is offered
        // (the Actions bar above says so, once, and takes focus after a submit answered 202).
        <Transition fallback=move || view! { <p class="loading" role="status">{t!(i18n, loading_limit)}</p> }>
            {move || {
                let engine_reservation = engine_reservation.clone();
                Suspend::new(async move {
                    match limit.await {
                        Ok((limit, deployed)) => view! {
                            <RefundCalculator
                                reservation=engine_reservation
                                prior_refunds=limit.prior_refunds()
                                today=clock::today()
                                quantity
                                policy
                                server=server_quote
                            />
                            <Show when=move || what_if.get()>
                                <p class="warning what-if" role="note">
                                    {move || t_string!(
                                        i18n,
                                        refund_what_if,
                                        policy = policy_name_text(i18n, policy.get()),
                                        deployed = policy_name_text(i18n, deployed)
                                    ).to_string()}
                                </p>
                            </Show>
                        }
                        .into_any(),
                        Err(error) => view! { <LoadError error retry=move || limit.refetch() /> }.into_any(),
                    }
                })
            }}
        </Transition>
        <SourceHoldNote hold id="refund-source-hold" />
        <div class="actions">
            // While the server answers the button stays focusable (aria-disabled, not
            // disabled): a focused button that becomes disabled drops keyboard focus.
            <button type="button" on:click=move |_| {
                    if let (false, Some(q)) = (review.pending().get_untracked(), parsed_quantity.get_untracked()) { review.dispatch(q); }
                }
                disabled=move || !user.may(Permission::Quote) || waiting.with(Option::is_some) || hold.with(Option::is_some) || parsed_quantity.with(Option::is_none)
                aria-disabled=move || review.pending().get().to_string()
                aria-describedby=move || {
                    if waiting.with(Option::is_some) { Some(WAITING_NOTE) }
                    else if hold.with(Option::is_some) { Some("refund-source-hold") }
                    else { parsed_quantity.with(Option::is_none).then_some("refund-quantity-verdict") }
                }
                title=move || user.refusal(i18n, Permission::Quote)>
                {t!(i18n, review)}
            </button>
            // The support wizard attaches the quote for the same quantity and policy.
            <A href=move || format!("{support_link}?quantity={}&policy={}", String::from(js_sys::encode_uri_component(quantity.get().trim())), policy.get().as_str()) attr:class="button secondary">{t!(i18n, request_through_support)}</A>
        </div>
        // Once the refund is done, only its confirmation stays: nothing invites a second submit.
        {move || review.value().get().filter(|_| !matches!(submit.value().get(), Some(Ok(_))) && waiting.with(Option::is_none)).map(|result| match result {
            Err(error) => view! { <ActionError error /> }.into_any(),
            Ok(confirmed) => {
                let session_id = confirmed.session_id.clone();
                // Azure mode: Azure's policy and headroom govern (its figures beside the desk's).
                let azure_refuses = confirmed.azure.as_ref().is_some_and(azure_refusal);
                let refusable = if confirmed.azure.is_some() { azure_refuses } else { !confirmed.quote.policy_result.policy_errors.is_empty() };
                // Quoted under a policy other than the deployment's: the backend would refuse it.
                let quoted_what_if = confirmed.what_if;
                let quoted_policy = confirmed.policy;
                // Above the approval threshold (the backend's own decision): said before Submit.
                let needed = confirmed.approval_needed;
                let submit_described = [
                    if quoted_what_if { Some("what-if-reason") } else { azure_refuses.then_some("azure-refusal") },
                    needed.map(|_| "refund-approval-needed"),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
                // The server's quote is shown beside the live one (RefundCalculator): a mark when
                // they agree, in full with the differences named when not.
                view! {
                    {confirmed.azure.clone().map(|check| view! {
                        <AzureRefundCheckView quote=confirmed.quote.clone() check refusal_id="azure-refusal" />
                    })}
                    {needed.map(|n| view! { <ApprovalNeededNote needed=n kind=contract::ApprovalKind::Refund id="refund-approval-needed" /> })}
                    <form class="submit-refund" on:submit=move |event| {
                        event.prevent_default();
                        let missing = reason.with_untracked(|r| r.trim().is_empty());
                        reason_missing.set(missing);
                        ticket_checked.set(true);
                        let ticket_wrong = ticket.with_untracked(|t| ticket_reference_error(i18n, t, ticket_required.get_untracked()).is_some());
                        if !missing && !ticket_wrong && !submit.pending().get_untracked() {
                            submit.dispatch(session_id.clone());
                        }
                    }>
                        <div class="field">
                            <label for="return-reason">{t!(i18n, return_reason)}</label>
                            <textarea
                                id="return-reason"
                                rows="2"
                                prop:value=move || reason.get()
                                on:input=move |e| reason.set(event_target_value(&e))
                                aria-invalid=move || reason_missing.get().to_string()
                            ></textarea>
                            <Show when=move || reason_missing.get()>
                                <p class="field-error" role="alert">{t!(i18n, return_reason_required)}</p>
                            </Show>
                        </div>
                        <TicketReferenceField id="refund-ticket-reference" value=ticket required=ticket_required checked=ticket_checked />
                        <button type="submit"
                            disabled=move || refusable || quoted_what_if || !user.may(Permission::MoveMoney) || hold.with(Option::is_some)
                            aria-disabled=move || submit.pending().get().to_string()
                            aria-describedby=(!submit_described.is_empty()).then_some(submit_described)
                            title=move || user.refusal(i18n, Permission::MoveMoney)>
                            {move || if submit.pending().get() { t_string!(i18n, working) } else { t_string!(i18n, submit_refund) }}
                        </button>
                        <Show when=move || quoted_what_if>
                            <p id="what-if-reason" class="field-error what-if-reason">
                                {move || match deployed.get() {
                                    Some(d) => t_string!(
                                        i18n,
                                        refund_what_if_not_submittable,
                                        policy = policy_name_text(i18n, quoted_policy),
                                        deployed = policy_name_text(i18n, d)
                                    ).to_string(),
                                    None => t_string!(i18n, problem_policy_not_deployed).to_string(),
                                }}
                            </p>
                        </Show>
                    </form>
                }
                .into_any()
            }
        })}
        {move || submit.value().get().map(|result| match result {
            Err(error) => view! { <ActionError error /> }.into_any(),
            // The note above says it waits.
            Ok(ReturnOutcome::AwaitingApproval(_)) => ().into_any(),
            Ok(ReturnOutcome::Done(done)) => {
                let amount = done.quote.refund_amount;
                let id = done.refund_id.clone();
                // The form (and the focused Submit button) is gone: focus the confirmation, so
                // keyboard focus is not dropped to the document.
                let confirmation = NodeRef::<leptos::html::P>::new();
                Effect::new(move |_| {
                    if let Some(p) = confirmation.get() {
                        let _ = p.focus();
                    }
                });
                view! {
                    <p class="success" role="status" tabindex="-1" node_ref=confirmation>
                        {move || t_string!(i18n, refund_done, id = id.clone(), amount = format_money(&amount, i18n.get_locale())).to_string()}
                    </p>
                    <button type="button" class="secondary" on:click=move |_| reload.run(())>{t!(i18n, edit_quote)}</button>
                }
                .into_any()
            }
        })}
    }
    .into_any()
}

