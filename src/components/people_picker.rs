//! The people picker of Access control: a combobox that finds a user, group or application of the
//! order's customer by name or e-mail as the user types (the backend asks the customer's
//! directory: Microsoft Graph in Azure mode, the demo's people in local mode). Keyboard: type,
//! Down and Up move through what was found, Enter chooses, Escape closes. While it asks it says
//! so; a kind the directory refused is said with the directory's reason, and an object ID typed
//! in is what is then given.

use contract::{Principal, PrincipalSearch};
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

/// A principal as the list of options shows it: name, then e-mail and kind.
fn option_detail(i18n: I18nContext<Locale>, p: &Principal) -> String {
    let kind = principal_type_text(i18n, p.principal_type);
    match &p.email {
        Some(email) => format!("{email} · {kind}"),
        None => kind,
    }
}

/// The combobox. `text` is what is typed (an object ID typed in is given as it is); `chosen` the
/// principal chosen from what was found (cleared when the text changes).
#[component]
pub fn PeoplePicker(order_id: StoredValue<String>, text: RwSignal<String>, chosen: RwSignal<Option<Principal>>) -> impl IntoView {
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
        if typed.trim().chars().count() < SHORTEST {
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
    let refused_text = move |s: &PrincipalSearch| {
        s.refused
            .iter()
            .map(|r| {
                let why = format!("{}: {}", r.code, r.message);
                t_string!(i18n, people_refused, kind = principal_type_text(i18n, r.principal_type), why = why).to_string()
            })
            .collect::<Vec<_>>()
    };
    let status = move || match shown.get() {
        Shown::Nothing => None,
        Shown::Searching => Some(view! { <p class="loading" role="status">{t!(i18n, people_searching)}</p> }.into_any()),
        Shown::Failed(e) => {
            Some(view! { <p class="field-error" role="alert">{move || t_string!(i18n, people_search_failed, why = error_text(i18n, &e)).to_string()}</p> }.into_any())
        }
        Shown::Found(s) => {
            let none = (s.principals.is_empty() && s.refused.is_empty() && chosen.get().is_none())
                .then(|| view! { <p class="note" role="status">{t!(i18n, people_none_found)}</p> });
            let refused = refused_text(&s);
            Some(view! { {none} {refused.into_iter().map(|r| view! { <p class="note refused" role="status">{r}</p> }).collect_view()} }.into_any())
        }
    };
    view! {
        <div class="people-picker">
            <label for="people-picker">{t!(i18n, people_search)}</label>
            <input id="people-picker" type="text" role="combobox" autocomplete="off" aria-autocomplete="list" aria-controls="people-picker-list"
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
            {move || chosen.get().map(|p| view! { <p class="note chosen">{move || t_string!(i18n, people_chosen, name = format!("{} ({})", p.display_name, option_detail(i18n, &p))).to_string()}</p> })}
            {status}
        </div>
    }
}
