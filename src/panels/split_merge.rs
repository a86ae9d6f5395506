use contract::{MergeRequest, ProvisioningState, Reservation, SplitRequest};
use desk_service::access::Permission;
use desk_service::lineage;
use desk_service::quantity::parse_quantity;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::components::A;

use crate::api::{self, ApiError};
use crate::components::load_error::LoadError;
use crate::components::number_field::{number_problem_text, parse_whole, NumberField};
use crate::components::problem_text::{error_text, problem_text};
use crate::i18n::*;
use crate::reservation_context::CurrentReservation;
use crate::paths;
use crate::user::CurrentUser;

/// Split and merge: split this reservation into two that add up to it, or merge it with others
/// of its order that are alike. Neither moves money; the backend decides (and refuses) again.
#[component]
pub fn SplitMergePanel() -> impl IntoView {
    let i18n = use_i18n();
    let current = expect_context::<CurrentReservation>();
    let r = current.detail.reservation.clone();
    if r.provisioning_state != ProvisioningState::Succeeded {
        return view! { <h2>{t!(i18n, split_merge)}</h2><p class="empty">{t!(i18n, not_active_no_changes)}</p> }.into_any();
    }
    view! {
        <h2>{t!(i18n, split_merge)}</h2>
        <p class="note">{t!(i18n, split_merge_note)}</p>
        <SplitForm reservation=r.clone() />
        <MergeForm reservation=r customer_id=current.customer_id.clone() />
    }
    .into_any()
}

/// Links to the reservations a split or merge made (`made`), each by name and quantity.
fn made_links(customer_id: &str, made: &[Reservation]) -> impl IntoView {
    let items = made
        .iter()
        .map(|r| {
            let href = paths::reservation(customer_id, &r.id, "");
            let (name, quantity) = (r.display_name.clone(), r.quantity);
            view! { <li><A href=href>{name}</A> " (" {quantity} ")"</li> }
        })
        .collect_view();
    view! { <ul class="made">{items}</ul> }
}

/// The message for a failed call, when the problem does not name `field`.
fn failure(i18n: I18nContext<Locale>, result: Option<Result<Vec<Reservation>, ApiError>>) -> Option<String> {
    match result {
        Some(Err(ApiError::Problem(p))) => Some(problem_text(i18n, &p)),
        Some(Err(e)) => Some(error_text(i18n, &e)),
        _ => None,
    }
}

/// Two quantities that add up to the reservation's; the second follows the first until edited.
#[component]
fn SplitForm(reservation: Reservation) -> impl IntoView {
    let i18n = use_i18n();
    let user = CurrentUser::expect();
    let current = expect_context::<CurrentReservation>();
    let (reload, customer_id) = (current.reload, StoredValue::new(current.customer_id));
    let total = reservation.quantity;
    let first = RwSignal::new(String::from("1"));
    let second = RwSignal::new(total.saturating_sub(1).to_string());
    let quantities = move || {
        let parse = |s: String| parse_quantity(&s, total).unwrap_or(0);
        vec![parse(first.get()), parse(second.get())]
    };
    let invalid = move || lineage::split_quantities_error(total, &quantities()).is_some();
    let order_id = reservation.reservation_order_id.clone();
    let reservation_id = StoredValue::new(reservation.id.clone());
    let split = Action::new_local(move |request: &SplitRequest| {
        let (order_id, request) = (order_id.clone(), request.clone());
        async move { api::split(&order_id, &request).await }
    });
    let may = move || user.may(Permission::ChangeReservation);
    let too_small = total < 2;
    view! {
        <section class="split" aria-labelledby="split-heading">
            <h3 id="split-heading">{t!(i18n, split)}</h3>
            <Show when=move || !too_small fallback=move || view! { <p class="empty">{t!(i18n, split_needs_two)}</p> }>
                <form on:submit=move |event| {
                    event.prevent_default();
                    if split.pending().get_untracked() || invalid() {
                        return;
                    }
                    split.dispatch(SplitRequest { reservation_id: reservation_id.get_value(), quantities: quantities() });
                }>
                    <div class="field-row">
                        <div class="field">
                            <label for="split-first">{t!(i18n, split_first)}</label>
                            <NumberField id="split-first" whole=true described_by="split-hint"
                                value=first invalid=Signal::derive(invalid)
                                on_input=Callback::new(move |text: String| {
                                    if let Some(n) = parse_quantity(&text, total) {
                                        second.set(total.saturating_sub(n).to_string());
                                    }
                                    first.set(text);
                                })
                                verdict=Signal::derive(move || first.with(|t| parse_whole(t, 1, total).err()).map(|p| number_problem_text(i18n, p))) />
                        </div>
                        <div class="field">
                            <label for="split-second">{t!(i18n, split_second)}</label>
                            <NumberField id="split-second" whole=true described_by="split-hint"
                                value=second invalid=Signal::derive(invalid)
                                on_input=Callback::new(move |text| second.set(text))
                                verdict=Signal::derive(move || second.with(|t| parse_whole(t, 1, total).err()).map(|p| number_problem_text(i18n, p))) />
                        </div>
                    </div>
                    <p id="split-hint" class=move || if invalid() { "field-error" } else { "hint" }>
                        {move || t_string!(i18n, split_hint, total = total).to_string()}
                    </p>
                    <button type="submit" disabled=move || !may()
                        aria-disabled=move || (split.pending().get() || invalid()).to_string()
                        title=move || user.refusal(i18n, Permission::ChangeReservation)>
                        {move || if split.pending().get() { t_string!(i18n, working) } else { t_string!(i18n, split) }}
                    </button>
                    {move || failure(i18n, split.value().get()).map(|d| view! { <p class="field-error" role="alert">{d}</p> })}
                    {move || match split.value().get() {
                        // The answer is the source (now split), then its two parts.
                        Some(Ok(list)) => Some(view! {
                            <div role="status">
                                <p class="success">{t!(i18n, split_done)}</p>
                                {made_links(&customer_id.get_value(), list.get(1..).unwrap_or_default())}
                            </div>
                            <button type="button" class="secondary" on:click=move |_| reload.run(())>{t!(i18n, show_changes)}</button>
                        }),
                        _ => None,
                    }}
                </form>
            </Show>
        </section>
    }
}

/// The other reservations of the order that may be merged with this one, to tick.
#[component]
fn MergeForm(reservation: Reservation, customer_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let user = CurrentUser::expect();
    let reload = expect_context::<CurrentReservation>().reload;
    let customer = StoredValue::new(customer_id.clone());
    let candidates = LocalResource::new(move || {
        let (customer_id, reservation) = (customer_id.clone(), reservation.clone());
        async move {
            let list = api::reservations(&customer_id).await?;
            let found: Vec<Reservation> = lineage::merge_candidates(&list, &reservation).into_iter().cloned().collect();
            Ok::<_, ApiError>((reservation, found))
        }
    });
    let picked = RwSignal::new(Vec::<String>::new());
    let merge = Action::new_local(move |(order_id, request): &(String, MergeRequest)| {
        let (order_id, request) = (order_id.clone(), request.clone());
        async move { api::merge(&order_id, &request).await }
    });
    let may = move || user.may(Permission::ChangeReservation);
    view! {
        <section class="merge" aria-labelledby="merge-heading">
            <h3 id="merge-heading">{t!(i18n, merge)}</h3>
            <Transition fallback=move || view! { <p class="loading" role="status">{t!(i18n, loading_reservations)}</p> }>
                {move || Suspend::new(async move {
                    let (this, found) = match candidates.await {
                        Ok(found) => found,
                        Err(error) => return view! { <LoadError error retry=move || candidates.refetch() /> }.into_any(),
                    };
                    if found.is_empty() {
                        return view! { <p class="empty">{t!(i18n, merge_none)}</p> }.into_any();
                    }
                    let boxes = found
                        .into_iter()
                        .map(|c| {
                            let id = c.id.clone();
                            let toggle = id.clone();
                            let checked = move || picked.with(|p| p.contains(&id));
                            view! {
                                <label class="checkbox">
                                    <input type="checkbox" prop:checked=checked on:change=move |e| {
                                        let on = event_target_checked(&e);
                                        picked.update(|p| {
                                            p.retain(|x| x != &toggle);
                                            if on {
                                                p.push(toggle.clone());
                                            }
                                        });
                                    } />
                                    {c.display_name.clone()} " · " {t!(i18n, quantity_of, count = c.quantity)}
                                </label>
                            }
                        })
                        .collect_view();
                    let (order_id, this_id) = (this.reservation_order_id.clone(), this.id.clone());
                    view! {
                        <form on:submit=move |event| {
                            event.prevent_default();
                            let others = picked.get_untracked();
                            if merge.pending().get_untracked() || others.is_empty() {
                                return;
                            }
                            let sources = std::iter::once(this_id.clone()).chain(others).collect();
                            merge.dispatch((order_id.clone(), MergeRequest { sources }));
                        }>
                            <fieldset>
                                <legend>{t!(i18n, merge_pick)}</legend>
                                {boxes}
                            </fieldset>
                            <button type="submit" disabled=move || !may()
                                aria-disabled=move || (merge.pending().get() || picked.with(Vec::is_empty)).to_string()
                                title=move || user.refusal(i18n, Permission::ChangeReservation)>
                                {move || if merge.pending().get() { t_string!(i18n, working) } else { t_string!(i18n, merge) }}
                            </button>
                            {move || failure(i18n, merge.value().get()).map(|d| view! { <p class="field-error" role="alert">{d}</p> })}
                            {move || match merge.value().get() {
                                // The answer is the merged reservation, then its sources.
                                Some(Ok(list)) => Some(view! {
                                    <div role="status">
                                        <p class="success">{t!(i18n, merge_done)}</p>
                                        {made_links(&customer.get_value(), list.get(..1).unwrap_or_default())}
                                    </div>
                                    <button type="button" class="secondary" on:click=move |_| reload.run(())>{t!(i18n, show_changes)}</button>
                                }),
                                _ => None,
                            }}
                        </form>
                    }
                    .into_any()
                })}
            </Transition>
        </section>
    }
}
