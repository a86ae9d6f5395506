use contract::{AppliedScopeType, Problem, ProvisioningState, ReservationPatch};
use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::components::labels::scope_label;
use crate::components::load_error::LoadError;
use crate::components::name_field::NameField;
use crate::components::problem_text::{error_text, problem_text};
use crate::components::retired_series::renewal_retired_text;
use crate::i18n::*;
use crate::reservation_context::CurrentReservation;
use crate::user::CurrentUser;
use desk_service::access::Permission;
use desk_service::configuration::{display_name, renewal_retirement};

/// The value of the "Shared" option in the scope list (the others are indexes into the
/// customer's scopes).
const SHARED: &str = "shared";

/// Configuration: display name, scope (chosen from the customer's own) and renewal; saved
/// through the backend, whose validation messages show next to the field they concern.
#[component]
pub fn ConfigurationPanel() -> impl IntoView {
    let i18n = use_i18n();
    let user = CurrentUser::expect();
    let current = expect_context::<CurrentReservation>();
    let r = current.detail.reservation.clone();
    if r.provisioning_state != ProvisioningState::Succeeded {
        return view! { <h2>{t!(i18n, configuration)}</h2><p class="empty">{t!(i18n, not_active_no_changes)}</p> }.into_any();
    }
    let customer_id = current.customer_id.clone();
    let scopes = LocalResource::new(move || {
        let id = customer_id.clone();
        async move { api::scopes(&id).await }
    });
    let name = RwSignal::new(r.display_name.clone());
    let renew = RwSignal::new(r.renew);
    // A retired VM series × term cannot renew: the switch cannot be turned on (the backend
    // refuses it too), only off when it is on; the reason shows under it either way.
    let retired = renewal_retirement(&r, crate::clock::today());
    let renew_locked = retired.is_some() && !r.renew;
    let sku_name = StoredValue::new(r.sku_name.clone());
    let renew_reason = move || retired.map(|ret| sku_name.with_value(|sku| renewal_retired_text(i18n, sku, ret)));
    let choice = RwSignal::new(None::<String>);

    let order_id = r.reservation_order_id.clone();
    let reservation_id = r.id.clone();
    let reload = current.reload;
    let saved_name = current.name;
    let save = Action::new_local(move |patch: &ReservationPatch| {
        let (order_id, reservation_id, patch) = (order_id.clone(), reservation_id.clone(), patch.clone());
        async move {
            let saved = api::update_reservation(&order_id, &reservation_id, &patch).await;
            // The page's title shows the saved name at once (as the backend stored it).
            if let Ok(r) = &saved {
                saved_name.set(r.display_name.clone());
            }
            saved
        }
    });
    // The name checked as it is typed, by the rule the backend applies (one rule, in desk-service).
    let name_problem = Memo::new(move |_| name.with(|n| display_name(n, "displayName").err().map(Problem::from)));
    let field_error = move |field: &'static str| {
        move || {
            if let Some(p) = name_problem.get().filter(|p| p.field.as_deref() == Some(field)) {
                return Some(problem_text(i18n, &p));
            }
            match save.value().get() {
                Some(Err(ApiError::Problem(p))) if p.field.as_deref() == Some(field) => Some(problem_text(i18n, &p)),
                _ => None,
            }
        }
    };
    let other_error = move || match save.value().get() {
        Some(Err(ApiError::Problem(p))) if p.field.is_some() => None,
        Some(Err(e)) => Some(error_text(i18n, &e)),
        _ => None,
    };
    let current_scope = (r.applied_scope_type, r.applied_scope_properties.clone());

    view! {
        <h2>{t!(i18n, configuration)}</h2>
        <Transition fallback=move || view! { <p class="loading" role="status">{t!(i18n, loading_scopes)}</p> }>
            {move || {
                let current_scope = current_scope.clone();
                Suspend::new(async move {
                    let scopes = match scopes.await {
                        Ok(scopes) => scopes,
                        Err(error) => return view! { <LoadError error retry=move || scopes.refetch() /> }.into_any(),
                    };
                    let selected = match &current_scope {
                        (AppliedScopeType::Shared, _) => SHARED.to_string(),
                        (_, props) => scopes
                            .iter()
                            .position(|s| Some(&s.applied_scope_properties) == props.as_ref())
                            .map(|i| i.to_string())
                            .unwrap_or_default(),
                    };
                    choice.set(Some(selected));
                    let options = scopes
                        .iter()
                        .enumerate()
                        .map(|(i, s)| {
                            let s = s.clone();
                            view! { <option value=i.to_string()>{move || scope_label(i18n, &s)}</option> }
                        })
                        .collect_view();
                    let submit_scopes = scopes.clone();
                    view! {
                        <form class="configuration" on:submit=move |event| {
                            event.prevent_default();
                            if save.pending().get_untracked() || name_problem.get_untracked().is_some() {
                                return;
                            }
                            let picked = choice.get_untracked().unwrap_or_default();
                            let target = picked.parse::<usize>().ok().and_then(|i| submit_scopes.get(i).cloned());
                            save.dispatch(ReservationPatch {
                                display_name: Some(name.get_untracked()),
                                applied_scope_type: Some(target.as_ref().map_or(AppliedScopeType::Shared, |s| s.applied_scope_type)),
                                applied_scope_properties: target.map(|s| s.applied_scope_properties),
                                renew: Some(renew.get_untracked()),
                            });
                        }>
                            <div class="field">
                                <label for="display-name">{t!(i18n, display_name)}</label>
                                <NameField id="display-name" value=name on_input=Callback::new(move |text| name.set(text))
                                    invalid=Signal::derive(move || field_error("displayName")().is_some()) />
                                {move || field_error("displayName")().map(|d| view! { <p class="field-error" role="alert">{d}</p> })}
                            </div>
                            <div class="field">
                                <label for="scope">{t!(i18n, scope)}</label>
                                <select id="scope"
                                    prop:value=move || choice.get().unwrap_or_default()
                                    on:change=move |e| choice.set(Some(event_target_value(&e)))>
                                    <option value=SHARED>{t!(i18n, scope_shared_all)}</option>
                                    {options}
                                </select>
                                <p class="hint">{t!(i18n, scope_hint)}</p>
                                {move || field_error("appliedScopeProperties")().map(|d| view! { <p class="field-error" role="alert">{d}</p> })}
                            </div>
                            <div class="field checkbox">
                                <label>
                                    <input type="checkbox" prop:checked=move || renew.get()
                                        disabled=renew_locked
                                        aria-describedby=retired.map(|_| "renew-retired")
                                        on:change=move |e| renew.set(event_target_checked(&e)) />
                                    {t!(i18n, auto_renew)}
                                </label>
                                {move || renew_reason().map(|d| view! { <p id="renew-retired" class="hint">{d}</p> })}
                                {move || field_error("renew")().map(|d| view! { <p class="field-error" role="alert">{d}</p> })}
                            </div>
                            // Busy is aria-disabled, not disabled: a focused button that becomes
                            // disabled drops keyboard focus to the document.
                            <button type="submit" disabled=move || !user.may(Permission::ChangeReservation)
                                aria-disabled=move || save.pending().get().to_string()
                                title=move || user.refusal(i18n, Permission::ChangeReservation)>
                                {move || if save.pending().get() { t_string!(i18n, working) } else { t_string!(i18n, save) }}
                            </button>
                            {move || other_error().map(|d| view! { <p class="field-error" role="alert">{d}</p> })}
                            {move || matches!(save.value().get(), Some(Ok(_))).then(|| view! {
                                <p class="success" role="status">{t!(i18n, saved)}</p>
                                <button type="button" class="secondary" on:click=move |_| reload.run(())>{t!(i18n, show_changes)}</button>
                            })}
                        </form>
                    }
                    .into_any()
                })
            }}
        </Transition>
    }
    .into_any()
}
