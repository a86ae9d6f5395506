//! The people picker of Access control: a combobox that finds a user, group or application of the
//! order's customer by name or e-mail as the user types (the backend asks the customer's
//! directory: Microsoft Graph in Azure mode, the demo's people in local mode). Keyboard: type,
//! Down and Up move through what was found, Enter chooses, Escape closes. While it asks it says
//! so; a kind the directory refused is said with what that means (not allowed, not consented,
//! busy for so many seconds, unavailable) and the directory's reason, and an object ID typed in
//! is what is then given: the principal the search found with that ID is chosen, so its kind
//! goes with it. A user who may not manage access (or a read-only pilot) finds the field
//! disabled with why, and nothing is searched.

use contract::{Principal, PrincipalSearch, RefusalKind};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_i18n::I18nContext;

use crate::api::{self, ApiError};
use crate::components::labels::principal_type_text;
use crate::components::problem_text::error_text;
use crate::i18n::*;

/// How long typing pauses before the directory is asked.
const PAUSE: std::time::Duration = std::time::Duration::from_millis(250);
/// The fewest characters searched (the backend's `SHORTEST_SEARCH`).
const SHORTEST: usize = desk_service::access_control::SHORTEST_SEARCH;

/// What the picker shows under the field.
#[derive(Clone)]
enum Shown {
    Nothing,
    Searching,
    Found(PrincipalSearch),
    Failed(ApiError),
}

/// The principal a search for an object ID (or an application's client ID) `typed` found: the one
/// principal with that ID, else none (a name typed, or several or none found).
pub fn found_by_id(typed: &str, found: &PrincipalSearch) -> Option<Principal> {
    if !desk_service::access_control::is_object_id(&typed.trim().to_ascii_lowercase()) {
        return None;
    }
    let mut with_id = found.principals.iter().filter(|p| p.has_id(typed));
    match (with_id.next(), with_id.next()) {
        (Some(p), None) => Some(p.clone()),
        _ => None,
    }
}

/// Whether "No one found" is said: no principal came back (whether or not a kind was refused)
/// and none is chosen.
pub fn no_one_found(found: &PrincipalSearch, chosen: bool) -> bool {
    found.principals.is_empty() && !chosen
}

/// A refused kind as the picker says it: what the refusal means, with the directory's reason.
fn refused_text(i18n: I18nContext<Locale>, r: &contract::DirectoryRefusal) -> String {
    let kind = principal_type_text(i18n, r.principal_type);
    let why = format!("{}: {}", r.code, r.message);
    match r.kind {
        RefusalKind::Forbidden => t_string!(i18n, people_refused_forbidden, kind = kind, why = why).to_string(),
        RefusalKind::NotConsented => t_string!(i18n, people_refused_not_consented, kind = kind, why = why).to_string(),
        RefusalKind::Throttled => t_string!(i18n, people_refused_throttled, kind = kind, seconds = r.retry_after.unwrap_or(1), why = why).to_string(),
        RefusalKind::BadQuery => t_string!(i18n, people_refused_bad_query, kind = kind, why = why).to_string(),
        RefusalKind::Unavailable => t_string!(i18n, people_refused_unavailable, kind = kind, why = why).to_string(),
    }
}

/// A principal as the list of options shows it: name, then e-mail and kind.
fn option_detail(i18n: I18nContext<Locale>, p: &Principal) -> String {
    let kind = principal_type_text(i18n, p.principal_type);
    match &p.email {
        Some(email) => format!("{email} · {kind}"),
        None => kind,
    }
}

/// The combobox. `text` is what is typed (an object ID typed in is given as it is); `chosen` the
/// principal chosen from what was found, or found by the object ID typed (cleared when the text
/// changes). `allowed` false disables it, saying `why_not`, and searches nothing.
#[component]
pub fn PeoplePicker(
    order_id: StoredValue<String>,
    text: RwSignal<String>,
    chosen: RwSignal<Option<Principal>>,
    #[prop(into)] allowed: Signal<bool>,
    #[prop(into)] why_not: Signal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let shown = RwSignal::new(Shown::Nothing);
    let open = RwSignal::new(false);
    let active = RwSignal::new(None::<usize>);
    // The latest search asked: an older answer arriving later is dropped.
    let asked = StoredValue::new(0_u64);
    let found = move || match shown.get() {
        Shown::Found(s) => s.principals,
        _ => Vec::new(),
    };
    let choose = move |p: Principal| {
        text.set(p.display_name.clone());
        chosen.set(Some(p));
        open.set(false);
        active.set(None);
    };
    let search = move |typed: String| {
        asked.update_value(|n| *n += 1);
        let this = asked.get_value();
        if !allowed.get_untracked() || typed.trim().chars().count() < SHORTEST {
            shown.set(Shown::Nothing);
            open.set(false);
            return;
        }
        set_timeout(
            move || {
                if asked.try_get_value() != Some(this) {
                    return;
                }
                shown.try_set(Shown::Searching);
                spawn_local(async move {
                    let Some(order) = order_id.try_get_value() else { return };
                    let answer = api::search_principals(&order, typed.trim()).await;
                    if asked.try_get_value() != Some(this) {
                        return;
                    }
                    let first = answer.as_ref().ok().and_then(|s| (!s.principals.is_empty()).then_some(0));
                    // An object ID typed: the one principal with it is chosen, its kind with it.
                    if let Some(p) = answer.as_ref().ok().and_then(|s| found_by_id(&typed, s)) {
                        chosen.try_set(Some(p));
                    }
                    shown.try_set(match answer {
                        Ok(s) => Shown::Found(s),
                        Err(e) => Shown::Failed(e),
                    });
                    active.try_set(first);
                    open.try_set(true);
                });
            },
            PAUSE,
        );
    };
    let on_key = move |e: leptos::ev::KeyboardEvent| {
        let count = found().len();
        match e.key().as_str() {
            "ArrowDown" if count > 0 => {
                e.prevent_default();
                open.set(true);
                active.update(|a| *a = Some(a.map_or(0, |i| (i + 1) % count)));
            }
            "ArrowUp" if count > 0 => {
                e.prevent_default();
                open.set(true);
                active.update(|a| *a = Some(a.map_or(count - 1, |i| (i + count - 1) % count)));
            }
            "Enter" if open.get_untracked() => {
                // Enter on an option chooses it; the form is submitted by the next Enter.
                if let Some(p) = active.get_untracked().and_then(|i| found().into_iter().nth(i)) {
                    e.prevent_default();
                    choose(p);
                }
            }
            "Escape" if open.get_untracked() => {
                e.prevent_default();
                open.set(false);
            }
            _ => {}
        }
    };
    let option_id = |i: usize| format!("people-option-{i}");
    let options = move || {
        found()
            .into_iter()
            .enumerate()
            .map(|(i, p)| {
                let detail = option_detail(i18n, &p);
                let name = p.display_name.clone();
                let picked = p.clone();
                view! {
                    <li role="option" id=option_id(i) class:active=move || active.get() == Some(i) aria-selected=move || (active.get() == Some(i)).to_string()
                        on:mousedown=move |e| { e.prevent_default(); choose(picked.clone()); }>
                        <span class="principal-name">{name}</span>" "<span class="muted">{detail}</span>
                    </li>
                }
            })
            .collect_view()
    };
    let status = move || match shown.get() {
        _ if !allowed.get() => None,
        Shown::Nothing => None,
        Shown::Searching => Some(view! { <p class="loading" role="status">{t!(i18n, people_searching)}</p> }.into_any()),
        Shown::Failed(e) => {
            Some(view! { <p class="field-error" role="alert">{move || t_string!(i18n, people_search_failed, why = error_text(i18n, &e)).to_string()}</p> }.into_any())
        }
        Shown::Found(s) => {
            let none = no_one_found(&s, chosen.get().is_some()).then(|| view! { <p class="note" role="status">{t!(i18n, people_none_found)}</p> });
            let refused: Vec<String> = s.refused.iter().map(|r| refused_text(i18n, r)).collect();
            Some(view! { {none} {refused.into_iter().map(|r| view! { <p class="note refused" role="status">{r}</p> }).collect_view()} }.into_any())
        }
    };
    view! {
        <div class="people-picker">
            <label for="people-picker">{t!(i18n, people_search)}</label>
            <input id="people-picker" type="text" role="combobox" autocomplete="off" aria-autocomplete="list" aria-controls="people-picker-list"
                disabled=move || !allowed.get() title=move || why_not.get()
                aria-describedby=move || (!allowed.get()).then_some("people-picker-why")
                aria-expanded=move || (open.get() && !found().is_empty()).to_string()
                aria-activedescendant=move || active.get().filter(|_| open.get()).map(option_id)
                placeholder=move || t_string!(i18n, people_search_placeholder).to_string()
                prop:value=move || text.get()
                on:input=move |e| {
                    let typed = event_target_value(&e);
                    text.set(typed.clone());
                    chosen.set(None);
                    search(typed);
                }
                on:keydown=on_key
                on:blur=move |_| open.set(false) />
            <ul id="people-picker-list" role="listbox" aria-label=move || t_string!(i18n, people_search).to_string() hidden=move || !open.get() || found().is_empty()>
                {options}
            </ul>
            {move || why_not.get().filter(|_| !allowed.get()).map(|why| view! { <p class="note" id="people-picker-why">{why}</p> })}
            {move || chosen.get().map(|p| view! { <p class="note chosen">{move || t_string!(i18n, people_chosen, name = format!("{} ({})", p.display_name, option_detail(i18n, &p))).to_string()}</p> })}
            {status}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use contract::PrincipalType;

    const GROUP: &str = "11111111-2222-3333-4444-555555555555";
    const APP: &str = "99999999-9999-4999-8999-999999999999";
    const CLIENT_ID: &str = "00000000-0000-0000-0000-0000000000aa";

    fn principal(id: &str, name: &str, principal_type: PrincipalType, app_id: Option<&str>) -> Principal {
        Principal { id: id.into(), display_name: name.into(), principal_type, email: None, app_id: app_id.map(str::to_owned) }
    }

    #[test]
    fn an_object_id_typed_chooses_the_one_principal_found_with_it_and_its_kind() {
        let group = principal(GROUP, "Contoso Group 1", PrincipalType::Group, None);
        let found = PrincipalSearch { principals: vec![group.clone()], refused: Vec::new() };
        assert_eq!(found_by_id(&format!(" {} ", GROUP.to_uppercase()), &found), Some(group), "any case, trimmed");
        assert_eq!(found_by_id("Contoso", &found), None, "a name is chosen from the list, not by itself");
        let other = PrincipalSearch { principals: vec![principal(APP, "Contoso automation", PrincipalType::ServicePrincipal, None)], refused: Vec::new() };
        assert_eq!(found_by_id(GROUP, &other), None, "not the ID typed");
        let two = PrincipalSearch { principals: vec![found.principals[0].clone(), found.principals[0].clone()], refused: Vec::new() };
        assert_eq!(found_by_id(GROUP, &two), None, "not one");
        // An application's client ID: its service principal, by its object ID.
        let app = principal(APP, "Contoso automation", PrincipalType::ServicePrincipal, Some(CLIENT_ID));
        let by_client_id = PrincipalSearch { principals: vec![app.clone()], refused: Vec::new() };
        assert_eq!(found_by_id(CLIENT_ID, &by_client_id).map(|p| (p.id, p.principal_type)), Some((APP.to_owned(), PrincipalType::ServicePrincipal)));
    }

    #[test]
    fn no_one_found_is_said_whenever_no_principal_came_back_even_with_a_kind_refused() {
        let refusal = contract::DirectoryRefusal {
            principal_type: PrincipalType::Group,
            kind: RefusalKind::Forbidden,
            code: "Authorization_RequestDenied".into(),
            message: "Insufficient privileges.".into(),
            status: Some(403),
            retry_after: None,
        };
        let refused = PrincipalSearch { principals: Vec::new(), refused: vec![refusal] };
        assert!(no_one_found(&refused, false), "users and applications found no one, groups were refused");
        assert!(!no_one_found(&refused, true), "one is chosen");
        let found = PrincipalSearch { principals: vec![principal(GROUP, "Contoso Group 1", PrincipalType::Group, None)], refused: Vec::new() };
        assert!(!no_one_found(&found, false));
    }
}
