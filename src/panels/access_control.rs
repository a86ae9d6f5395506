use contract::{DataSource, NewRoleAssignment, Principal, PrincipalType, ReservationRole, RoleAssignment};
use desk_service::access::Permission;
use leptos::prelude::*;
use leptos_i18n::I18nContext;

use crate::api::{self, ApiError};
use crate::components::confirm_remove::ConfirmRemove;
use crate::components::labels::principal_type_text;
use crate::components::load_error::LoadError;
use crate::components::people_picker::PeoplePicker;
use crate::components::problem_text::error_text;
use crate::deployment::Deployment;
use crate::i18n::*;
use crate::reservation_context::CurrentReservation;
use crate::user::CurrentUser;

fn type_text(i18n: I18nContext<Locale>, t: PrincipalType) -> String {
    principal_type_text(i18n, t)
}

/// The role as shown: one of the six in the user's language, another by ARM's name for it.
fn role_text(i18n: I18nContext<Locale>, a: &RoleAssignment) -> String {
    match (a.assignment.role, &a.role_name) {
        (ReservationRole::Other, Some(name)) => name.clone(),
        (role, _) => crate::components::labels::reservation_role_text(i18n, role),
    }
}

/// Who holds it: the name from the customer's directory, else the name given, else (Azure mode,
/// where the directory did not name it) the object ID and the kind of principal.
fn principal_text(i18n: I18nContext<Locale>, a: &RoleAssignment) -> String {
    match &a.display_name {
        Some(name) => name.clone(),
        None if a.unnamed() => format!("{} ({})", a.assignment.principal_name, type_text(i18n, a.assignment.principal_type)),
        None => a.assignment.principal_name.clone(),
    }
}

/// The new assignment the form gives: the principal chosen from the picker, or found by the
/// object ID (or client ID) typed (by object ID, with its kind; in local mode by e-mail, else
/// name), or what was typed (Azure mode: an object ID, of the kind selected).
fn new_assignment(azure: bool, typed: &str, chosen: Option<Principal>, kind: PrincipalType, role: ReservationRole) -> NewRoleAssignment {
    match chosen {
        Some(p) if p.display_name == typed || p.has_id(typed) => {
            let principal_name = if azure { p.display_name.clone() } else { p.email.clone().unwrap_or_else(|| p.display_name.clone()) };
            NewRoleAssignment { principal_name, principal_type: p.principal_type, role, principal_id: Some(p.id) }
        }
        _ => NewRoleAssignment { principal_name: typed.to_owned(), principal_type: kind, role, principal_id: azure.then(|| typed.trim().to_owned()) },
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

/// Access control (IAM): who has which role on the reservation order, by name and e-mail; add
/// someone found by name or e-mail in the customer's directory (the people picker), and remove
/// after a confirmation. In Azure mode the list is ARM's role assignments on the order (those
/// given above it marked inherited, removed where they were given), named by Microsoft Graph;
/// where Graph is refused, a principal is shown, and given, by object ID, with Graph's reason.
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
    let chosen = RwSignal::new(None::<Principal>);
    let kind = RwSignal::new(PrincipalType::User);
    let role = RwSignal::new(ReservationRole::Reader);
    let confirming = RwSignal::new(None::<String>);
    let add = Action::new_local(move |new: &NewRoleAssignment| {
        let (order, new) = (order_id.get_value(), new.clone());
        async move {
            let result = api::add_role_assignment(&order, &new).await;
            if result.is_ok() {
                principal.set(String::new());
                chosen.set(None);
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
        let email = a.email.clone().filter(|e| !e.eq_ignore_ascii_case(&name));
        let unnamed_because = a.unnamed_because.clone();
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
                    {email.map(|e| view! { " " <span class="principal-email muted">{e}</span> })}
                    {unnamed_because.map(|why| view! { <span class="note unnamed">{move || t_string!(i18n, principal_unnamed_because, why = why.clone()).to_string()}</span> })}
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
            let new = new_assignment(azure.get_untracked(), &principal.get_untracked(), chosen.get_untracked(), kind.get_untracked(), role.get_untracked());
            add.dispatch(new);
        }>
            <PeoplePicker order_id text=principal chosen allowed=Signal::derive(may) why_not=Signal::derive(why_not) />
            <label>{t!(i18n, principal_type)}
                <select on:change=move |e| {
                    let v = event_target_value(&e);
                    if let Some(t) = PrincipalType::ASSIGNABLE.into_iter().find(|t| format!("{t:?}") == v) { kind.set(t); }
                }>
                    {PrincipalType::ASSIGNABLE.map(|t| view! {
                        <option value=format!("{t:?}") prop:selected=move || chosen.get().map_or(kind.get(), |p| p.principal_type) == t>{move || type_text(i18n, t)}</option>
                    })}
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

#[cfg(test)]
mod tests {
    use super::*;

    const GROUP: &str = "11111111-2222-3333-4444-555555555555";

    #[test]
    fn an_object_id_typed_and_found_is_given_with_the_kind_the_directory_says() {
        let group = Principal { id: GROUP.into(), display_name: "Contoso Group 1".into(), principal_type: PrincipalType::Group, email: None, app_id: None };
        // The kind selector still says User (its default): the principal found says Group.
        let new = new_assignment(true, GROUP, Some(group.clone()), PrincipalType::User, ReservationRole::Reader);
        assert_eq!((new.principal_type, new.principal_id.as_deref(), new.principal_name.as_str()), (PrincipalType::Group, Some(GROUP), "Contoso Group 1"));
        // An application's client ID typed: its service principal's object ID is what ARM gets.
        let app = Principal {
            id: "99999999-9999-4999-8999-999999999999".into(),
            display_name: "Contoso automation".into(),
            principal_type: PrincipalType::ServicePrincipal,
            email: None,
            app_id: Some("00000000-0000-0000-0000-0000000000aa".into()),
        };
        let new = new_assignment(true, "00000000-0000-0000-0000-0000000000AA", Some(app), PrincipalType::User, ReservationRole::Reader);
        assert_eq!((new.principal_type, new.principal_id.as_deref()), (PrincipalType::ServicePrincipal, Some("99999999-9999-4999-8999-999999999999")));
        // Nothing found: the object ID typed, of the kind selected.
        let new = new_assignment(true, GROUP, None, PrincipalType::User, ReservationRole::Reader);
        assert_eq!((new.principal_type, new.principal_id.as_deref()), (PrincipalType::User, Some(GROUP)));
        // Typed over since: what is typed now.
        let new = new_assignment(true, "22222222-3333-4444-5555-666666666666", Some(group), PrincipalType::User, ReservationRole::Reader);
        assert_eq!(new.principal_id.as_deref(), Some("22222222-3333-4444-5555-666666666666"));
    }
}
