use contract::{Customer, Grant, NewGrant, PartnerRole};
use desk_service::access::{is_guid, Permission};
use leptos::prelude::*;

use crate::api;
use crate::components::confirm_remove::ConfirmRemove;
use crate::components::load_error::LoadError;
use crate::components::problem_text::error_text;
use crate::i18n::*;
use crate::user::{role_text, CurrentUser};

const ROLES: [PartnerRole; 5] = [
    PartnerRole::GlobalAdmin,
    PartnerRole::AdminAgent,
    PartnerRole::HelpdeskAgent,
    PartnerRole::SalesAgent,
    PartnerRole::UserManagementAdmin,
];

/// Access: which security groups see which customers, and in which role (Global admin). A
/// user in a group with a grant sees only the granted customers; the rule is the desk's
/// (`desk_service::access::on_customer`).
#[component]
pub fn AccessPage() -> impl IntoView {
    let i18n = use_i18n();
    let user = CurrentUser::expect();
    let data = LocalResource::new(|| async {
        let grants = api::grants().await?;
        let customers = api::customers("").await?;
        Ok::<_, api::ApiError>((grants, customers))
    });
    let group = RwSignal::new(String::new());
    let group_checked = RwSignal::new(false);
    let customer = RwSignal::new(String::new());
    let role = RwSignal::new(PartnerRole::SalesAgent);
    let confirming = RwSignal::new(None::<String>);
    let group_valid = move || is_guid(group.get().trim());
    let add = Action::new_local(move |new: &NewGrant| {
        let new = new.clone();
        async move {
            let result = api::create_grant(&new).await;
            if result.is_ok() {
                group.set(String::new());
                group_checked.set(false);
                data.refetch();
            }
            result
        }
    });
    let remove = Action::new_local(move |id: &String| {
        let id = id.clone();
        async move {
            let result = api::delete_grant(&id).await;
            confirming.set(None);
            data.refetch();
            result
        }
    });
    let add_error = move || match add.value().get() {
        Some(Err(e)) => Some(error_text(i18n, &e)),
        _ => None,
    };
    let remove_error = move || match remove.value().get() {
        Some(Err(e)) => Some(error_text(i18n, &e)),
        _ => None,
    };
    let may = move || user.may(Permission::ManageGrants);
    let why_not = move || user.refusal(i18n, Permission::ManageGrants);

    let row = move |g: Grant, customers: &[Customer]| {
        let id = g.id.clone();
        let name = g.customer_id.as_ref().map(|c| customers.iter().find(|x| &x.id == c).map_or_else(|| c.clone(), |x| x.name.clone()));
        let on = StoredValue::new(name);
        let on_text = move || on.get_value().unwrap_or_else(|| t_string!(i18n, all_customers).to_string());
        let (group_id, r) = (g.group_id.clone(), g.role);
        let question = move || t_string!(i18n, confirm_remove_grant, group = g.group_id.clone(), role = role_text(i18n, r), customer = on_text()).to_string();
        view! {
            <tr>
                <th scope="row" class="mono">{group_id}</th>
                <td data-label=move || t_string!(i18n, customer)>{on_text}</td>
                <td data-label=move || t_string!(i18n, role)>{move || role_text(i18n, r)}</td>
                <td class="row-actions">
                    <ConfirmRemove id confirming allowed=Signal::derive(may) why_not=Signal::derive(why_not)
                        question=Signal::derive(question) on_remove=Callback::new(move |id| { remove.dispatch(id); }) />
                </td>
            </tr>
        }
    };

    let submit = move |e: leptos::ev::SubmitEvent| {
        e.prevent_default();
        group_checked.set(true);
        if add.pending().get_untracked() || !is_guid(group.get_untracked().trim()) {
            return;
        }
        let customer_id = Some(customer.get_untracked()).filter(|c| !c.is_empty());
        add.dispatch(NewGrant { group_id: group.get_untracked().trim().to_owned(), customer_id, role: role.get_untracked() });
    };

    view! {
        <h1>{t!(i18n, access_page)}</h1>
        <p class="note">{t!(i18n, grants_intro)}</p>
        <Transition fallback=move || view! { <p class="loading" role="status">{t!(i18n, loading_grants)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((grants, customers)) => {
                        let table = if grants.is_empty() {
                            view! { <p class="empty">{t!(i18n, no_grants)}</p> }.into_any()
                        } else {
                            view! {
                                <div class="table-scroll">
                                    <table class="data-table grants-table">
                                        <caption class="visually-hidden">{t!(i18n, grants)}</caption>
                                        <thead><tr>
                                            <th scope="col">{t!(i18n, group_id)}</th>
                                            <th scope="col">{t!(i18n, customer)}</th>
                                            <th scope="col">{t!(i18n, role)}</th>
                                            <th scope="col"><span class="visually-hidden">{t!(i18n, actions)}</span></th>
                                        </tr></thead>
                                        <tbody>{grants.into_iter().map(|g| row(g, &customers)).collect_view()}</tbody>
                                    </table>
                                </div>
                            }
                            .into_any()
                        };
                        view! {
                            {table}
                            {move || remove_error().map(|d| view! { <p class="field-error" role="alert">{d}</p> })}
                            <h2>{t!(i18n, add_grant)}</h2>
                            <form class="add-assignment" novalidate on:submit=submit>
                                <label>{t!(i18n, group_id)}
                                    <input type="text" id="grant-group" class="mono group-id" spellcheck="false" autocomplete="off"
                                        placeholder="00000000-0000-0000-0000-000000000000"
                                        aria-invalid=move || (group_checked.get() && !group_valid()).to_string()
                                        aria-describedby="grant-group-error"
                                        prop:value=move || group.get()
                                        on:input=move |e| group.set(event_target_value(&e))
                                        on:blur=move |_| group_checked.set(!group.get_untracked().trim().is_empty()) />
                                </label>
                                <label>{t!(i18n, customer)}
                                    <select on:change=move |e| customer.set(event_target_value(&e))>
                                        <option value="" selected=true>{t!(i18n, all_customers)}</option>
                                        {customers.iter().map(|c| view! { <option value=c.id.clone()>{c.name.clone()}</option> }).collect_view()}
                                    </select>
                                </label>
                                <label>{t!(i18n, role)}
                                    <select on:change=move |e| {
                                        let v = event_target_value(&e);
                                        if let Some(r) = ROLES.into_iter().find(|r| format!("{r:?}") == v) { role.set(r); }
                                    }>
                                        {ROLES.map(|r| view! { <option value=format!("{r:?}") selected=r == PartnerRole::SalesAgent>{move || role_text(i18n, r)}</option> })}
                                    </select>
                                </label>
                                // Busy is aria-disabled, not disabled: a focused button that becomes
                                // disabled drops keyboard focus to the document.
                                <button type="submit" disabled=move || !may() aria-disabled=move || add.pending().get().to_string() title=why_not>{t!(i18n, add)}</button>
                            </form>
                            <p id="grant-group-error" class="field-error" role="alert">
                                {move || (group_checked.get() && !group_valid()).then(|| t_string!(i18n, group_id_invalid).to_string())}
                            </p>
                            {move || add_error().map(|d| view! { <p class="field-error" role="alert">{d}</p> })}
                        }
                        .into_any()
                    }
                    Err(error) => view! { <LoadError error retry=move || data.refetch() /> }.into_any(),
                }
            })}
        </Transition>
    }
}
