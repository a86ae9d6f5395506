use contract::{DataSource, NewRoleAssignment, PrincipalType, ReservationRole, RoleAssignment};
use desk_service::access::Permission;
use leptos::prelude::*;
use leptos_i18n::I18nContext;

use crate::api::{self, ApiError};
use crate::components::confirm_remove::ConfirmRemove;
use crate::components::load_error::LoadError;
use crate::components::problem_text::error_text;
use crate::deployment::Deployment;
use crate::i18n::*;
use crate::reservation_context::CurrentReservation;
use crate::user::CurrentUser;

fn type_text(i18n: I18nContext<Locale>, t: PrincipalType) -> String {
    match t {
        PrincipalType::User => t_string!(i18n, principal_User),
        PrincipalType::Group => t_string!(i18n, principal_Group),
        PrincipalType::ServicePrincipal => t_string!(i18n, principal_ServicePrincipal),
        PrincipalType::ForeignGroup => t_string!(i18n, principal_ForeignGroup),
        PrincipalType::Unknown => t_string!(i18n, principal_Unknown),
    }
    .to_string()
}

/// The role as shown: one of the six in the user's language, another by ARM's name for it.
fn role_text(i18n: I18nContext<Locale>, a: &RoleAssignment) -> String {
    match (a.assignment.role, &a.role_name) {
        (ReservationRole::Other, Some(name)) => name.clone(),
        (role, _) => crate::components::labels::reservation_role_text(i18n, role),
    }
}

/// Who holds it: a name, or (Azure mode, where the desk reads no names from the customer's
/// directory) the object ID and the kind of principal.
fn principal_text(i18n: I18nContext<Locale>, a: &RoleAssignment) -> String {
    if a.unnamed() {
        format!("{} ({})", a.assignment.principal_name, type_text(i18n, a.assignment.principal_type))
    } else {
        a.assignment.principal_name.clone()
    }
}

/// What an error code of ARM's in a refusal means, in the user's language (the refusal's own
/// text, with Azure's code, message and request IDs, follows it).
fn arm_meaning(i18n: I18nContext<Locale>, error: &ApiError) -> Option<String> {
    let ApiError::Problem(problem) = error else { return None };
    let text = &problem.detail;
    Some(
        if text.contains("AuthorizationFailed") {
            t_string!(i18n, arm_meaning_AuthorizationFailed)
        } else if text.contains("RoleAssignmentExists") {
            t_string!(i18n, arm_meaning_RoleAssignmentExists)
        } else if text.contains("PrincipalNotFound") {
            t_string!(i18n, arm_meaning_PrincipalNotFound)
        } else {
            return None;
        }
        .to_string(),
    )
}

/// A refusal inline: ARM's meaning when it is one of ARM's, then the problem's text.
fn refusal_text(i18n: I18nContext<Locale>, error: &ApiError) -> String {
    let text = error_text(i18n, error);
    match arm_meaning(i18n, error) {
        Some(meaning) => format!("{meaning} {text}"),
        None => text,
    }
}

/// Access control (IAM): who has which role on the reservation order; add, and remove after
/// a confirmation. In Azure mode the list is ARM's role assignments on the order (those given
/// above it marked inherited, removed where they were given), and a new one names its principal
/// by object ID.
#[component]
pub fn AccessControlPanel() -> impl IntoView {
    let i18n = use_i18n();
    let user = CurrentUser::expect();
    let settings = Deployment::settings();
    let azure = Signal::derive(move || settings.get().and_then(Result::ok).is_some_and(|s| s.source == DataSource::Azure));
    let order_id = StoredValue::new(expect_context::<CurrentReservation>().detail.reservation.reservation_order_id);
    let list = LocalResource::new(move || {
        let order = order_id.get_value();
        async move { api::role_assignments(&order).await }
    });
    let principal = RwSignal::new(String::new());
    let kind = RwSignal::new(PrincipalType::User);
    let role = RwSignal::new(ReservationRole::Reader);
    let confirming = RwSignal::new(None::<String>);
    let add = Action::new_local(move |new: &NewRoleAssignment| {
        let (order, new) = (order_id.get_value(), new.clone());
        async move {
            let result = api::add_role_assignment(&order, &new).await;
            if result.is_ok() {
                principal.set(String::new());
                list.refetch();
            }
            result
        }
    });
    let remove = Action::new_local(move |id: &String| {
        let (order, id) = (order_id.get_value(), id.clone());
        async move {
            let result = api::remove_role_assignment(&order, &id).await;
            confirming.set(None);
            list.refetch();
            result
        }
    });
    let add_error = move || match add.value().get() {
        Some(Err(e)) => Some(refusal_text(i18n, &e)),
        _ => None,
    };
    let remove_error = move || match remove.value().get() {
        Some(Err(e)) => Some(refusal_text(i18n, &e)),
        _ => None,
    };
    let may = move || user.may(Permission::ManageAccess);
    let why_not = move || user.refusal(i18n, Permission::ManageAccess);

    let row = move |a: RoleAssignment| {
        let id = a.id.clone();
        let (name, t, shown_role) = (principal_text(i18n, &a), a.assignment.principal_type, a.clone());
        let question = {
            let (name, a) = (name.clone(), a.clone());
            move || t_string!(i18n, confirm_remove, name = name.clone(), role = role_text(i18n, &a)).to_string()
        };
        let inherited = a.inherited.then(|| a.scope.clone().unwrap_or_else(|| "/".into()));
        let actions = match inherited.clone() {
            // Given above the order: removed there, not here.
            Some(_) => view! { <span class="note">{t!(i18n, access_inherited_remove)}</span> }.into_any(),
            None => view! {
                <ConfirmRemove id confirming allowed=Signal::derive(may) why_not=Signal::derive(why_not)
                    question=Signal::derive(question) on_remove=Callback::new(move |id| { remove.dispatch(id); }) />
            }
            .into_any(),
        };
        let is_inherited = inherited.is_some();
        view! {
            <tr class:inherited=is_inherited>
                <th scope="row"><span class="principal">{name}</span>
                    {inherited.map(|scope| view! { <span class="badge muted">{move || t_string!(i18n, access_inherited, scope = scope.clone()).to_string()}</span> })}
                </th>
                <td data-label=move || t_string!(i18n, principal_type)>{move || type_text(i18n, t)}</td>
                <td data-label=move || t_string!(i18n, role)>{move || role_text(i18n, &shown_role)}</td>
                <td class="row-actions">{actions}</td>
            </tr>
        }
    };

    view! {
        <h2>{t!(i18n, access_control)}</h2>
        <p class="note">{move || if azure.get() { t_string!(i18n, access_intro_azure).to_string() } else { t_string!(i18n, access_intro).to_string() }}</p>
        <Transition fallback=move || view! { <p class="loading" role="status">{t!(i18n, loading_access)}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(items) if items.is_empty() => view! { <p class="empty">{t!(i18n, no_assignments)}</p> }.into_any(),
                    Ok(items) => view! {
                        <table class="data-table">
                            <caption class="visually-hidden">{t!(i18n, access_control)}</caption>
                            <thead><tr>
                                <th scope="col">{t!(i18n, principal)}</th>
                                <th scope="col">{t!(i18n, principal_type)}</th>
                                <th scope="col">{t!(i18n, role)}</th>
                                <th scope="col"><span class="visually-hidden">{t!(i18n, actions)}</span></th>
                            </tr></thead>
                            <tbody>{items.into_iter().map(row).collect_view()}</tbody>
                        </table>
                    }
                    .into_any(),
                    Err(error) => view! { <LoadError error retry=move || list.refetch() /> }.into_any(),
                }
            })}
        </Transition>
        {move || remove_error().map(|d| view! { <p class="field-error" role="alert">{d}</p> })}
        <h3>{t!(i18n, add_assignment)}</h3>
        <form class="add-assignment" on:submit=move |e| {
            e.prevent_default();
            if add.pending().get_untracked() {
                return;
            }
            let named = principal.get_untracked();
            // Azure mode names the principal by its object ID (the server checks it is one).
            let principal_id = azure.get_untracked().then(|| named.trim().to_owned());
            add.dispatch(NewRoleAssignment { principal_name: named, principal_type: kind.get_untracked(), role: role.get_untracked(), principal_id });
        }>
            <label>{move || if azure.get() { t_string!(i18n, principal_object_id).to_string() } else { t_string!(i18n, principal).to_string() }}
                <input type="text" class:object-id=move || azure.get() prop:value=move || principal.get() on:input=move |e| principal.set(event_target_value(&e))
                    placeholder=move || azure.get().then_some("00000000-0000-0000-0000-000000000000")
                    title=move || azure.get().then(|| t_string!(i18n, principal_object_id_hint).to_string()) />
            </label>
            <label>{t!(i18n, principal_type)}
                <select on:change=move |e| {
                    let v = event_target_value(&e);
                    if let Some(t) = PrincipalType::ASSIGNABLE.into_iter().find(|t| format!("{t:?}") == v) { kind.set(t); }
                }>
                    {PrincipalType::ASSIGNABLE.map(|t| view! { <option value=format!("{t:?}")>{move || type_text(i18n, t)}</option> })}
                </select>
            </label>
            <label>{t!(i18n, role)}
                <select on:change=move |e| {
                    let v = event_target_value(&e);
                    if let Some(r) = ReservationRole::OFFERED.into_iter().find(|r| format!("{r:?}") == v) { role.set(r); }
                }>
                    {ReservationRole::OFFERED.map(|r| view! {
                        <option value=format!("{r:?}") selected=r == ReservationRole::Reader>{move || crate::components::labels::reservation_role_text(i18n, r)}</option>
                    })}
                </select>
            </label>
            // Busy is aria-disabled, not disabled: a focused button that becomes disabled drops
            // keyboard focus to the document.
            <button type="submit" disabled=move || !may() aria-disabled=move || add.pending().get().to_string() title=why_not>{t!(i18n, add)}</button>
        </form>
        {move || add_error().map(|d| view! { <p class="field-error" role="alert">{d}</p> })}
    }
}
