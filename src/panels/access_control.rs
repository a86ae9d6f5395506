use contract::{NewRoleAssignment, PrincipalType, ReservationRole, RoleAssignment};
use desk_service::access::Permission;
use leptos::prelude::*;
use leptos_i18n::I18nContext;

use crate::api;
use crate::components::confirm_remove::ConfirmRemove;
use crate::components::load_error::LoadError;
use crate::components::problem_text::error_text;
use crate::i18n::*;
use crate::reservation_context::CurrentReservation;
use crate::user::CurrentUser;

const TYPES: [PrincipalType; 3] = [PrincipalType::User, PrincipalType::Group, PrincipalType::ServicePrincipal];
const ROLES: [ReservationRole; 4] = [
    ReservationRole::Owner,
    ReservationRole::ReservationsAdministrator,
    ReservationRole::ReservationsReader,
    ReservationRole::Reader,
];

fn type_text(i18n: I18nContext<Locale>, t: PrincipalType) -> String {
    match t {
        PrincipalType::User => t_string!(i18n, principal_User),
        PrincipalType::Group => t_string!(i18n, principal_Group),
        PrincipalType::ServicePrincipal => t_string!(i18n, principal_ServicePrincipal),
    }
    .to_string()
}

fn role_text(i18n: I18nContext<Locale>, r: ReservationRole) -> String {
    crate::components::labels::reservation_role_text(i18n, r)
}

/// Access control (IAM): who has which role on the reservation order; add, and remove after
/// a confirmation.
#[component]
pub fn AccessControlPanel() -> impl IntoView {
    let i18n = use_i18n();
    let user = CurrentUser::expect();
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
        Some(Err(e)) => Some(error_text(i18n, &e)),
        _ => None,
    };
    let may = move || user.may(Permission::ManageAccess);
    let why_not = move || user.refusal(i18n, Permission::ManageAccess);

    let row = move |a: RoleAssignment| {
        let id = a.id.clone();
        let (name, t, r) = (a.assignment.principal_name.clone(), a.assignment.principal_type, a.assignment.role);
        let question = {
            let name = name.clone();
            move || t_string!(i18n, confirm_remove, name = name.clone(), role = role_text(i18n, r)).to_string()
        };
        view! {
            <tr>
                <th scope="row">{name}</th>
                <td data-label=move || t_string!(i18n, principal_type)>{move || type_text(i18n, t)}</td>
                <td data-label=move || t_string!(i18n, role)>{move || role_text(i18n, r)}</td>
                <td class="row-actions">
                    <ConfirmRemove id confirming allowed=Signal::derive(may) why_not=Signal::derive(why_not)
                        question=Signal::derive(question) on_remove=Callback::new(move |id| { remove.dispatch(id); }) />
                </td>
            </tr>
        }
    };

    view! {
        <h2>{t!(i18n, access_control)}</h2>
        <p class="note">{t!(i18n, access_intro)}</p>
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
        <h3>{t!(i18n, add_assignment)}</h3>
        <form class="add-assignment" on:submit=move |e| {
            e.prevent_default();
            if add.pending().get_untracked() {
                return;
            }
            add.dispatch(NewRoleAssignment { principal_name: principal.get_untracked(), principal_type: kind.get_untracked(), role: role.get_untracked() });
        }>
            <label>{t!(i18n, principal)}
                <input type="text" prop:value=move || principal.get() on:input=move |e| principal.set(event_target_value(&e)) />
            </label>
            <label>{t!(i18n, principal_type)}
                <select on:change=move |e| {
                    let v = event_target_value(&e);
                    if let Some(t) = TYPES.into_iter().find(|t| format!("{t:?}") == v) { kind.set(t); }
                }>
                    {TYPES.map(|t| view! { <option value=format!("{t:?}")>{move || type_text(i18n, t)}</option> })}
                </select>
            </label>
            <label>{t!(i18n, role)}
                <select on:change=move |e| {
                    let v = event_target_value(&e);
                    if let Some(r) = ROLES.into_iter().find(|r| format!("{r:?}") == v) { role.set(r); }
                }>
                    {ROLES.map(|r| view! { <option value=format!("{r:?}") selected=r == ReservationRole::Reader>{move || role_text(i18n, r)}</option> })}
                </select>
            </label>
            // Busy is aria-disabled, not disabled: a focused button that becomes disabled drops
            // keyboard focus to the document.
            <button type="submit" disabled=move || !may() aria-disabled=move || add.pending().get().to_string() title=why_not>{t!(i18n, add)}</button>
        </form>
        {move || add_error().map(|d| view! { <p class="field-error" role="alert">{d}</p> })}
    }
}
