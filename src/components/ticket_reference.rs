//! The partner's own change or ticket reference on a refund or an exchange: one line under the
//! display name's rules, required where the deployment says so (`requireTicketReference`). The
//! verdict beside the field comes from the rule the backend applies
//! (`desk_service::ticket::ticket_reference`), so the page and the server agree on every input.

use contract::ProblemCode;
use desk_service::configuration::MAX_DISPLAY_NAME;
use leptos::prelude::*;
use leptos_i18n::I18nContext;

use crate::deployment::Deployment;
use crate::i18n::*;

/// What is wrong with `value` as a ticket reference (`required`: the deployment requires one), in
/// the page's language; `None` when it can be sent.
pub fn ticket_reference_error(i18n: I18nContext<Locale>, value: &str, required: bool) -> Option<String> {
    let error = desk_service::ticket::ticket_reference(Some(value), required).err()?;
    Some(match error.code() {
        ProblemCode::TicketReferenceRequired => t_string!(i18n, problem_ticket_reference_required).to_string(),
        ProblemCode::TooLong => t_string!(i18n, ticket_reference_too_long, max = MAX_DISPLAY_NAME).to_string(),
        _ => t_string!(i18n, ticket_reference_control).to_string(),
    })
}

/// The ticket reference a request carries: `None` when blank.
pub fn ticket_reference_sent(value: &str) -> Option<String> {
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_owned())
}

/// Whether this deployment requires a ticket reference (`false` until its settings answered: the
/// backend refuses a move without one where it does, with the same words).
pub fn ticket_reference_required() -> Signal<bool> {
    let settings = Deployment::settings();
    Signal::derive(move || settings.get().and_then(Result::ok).is_some_and(|s| s.require_ticket_reference))
}

/// The field (`id`) with its label and hint. Its verdict shows as soon as something is typed, or
/// once `checked` (a Submit tried) for a required one left blank.
#[component]
pub fn TicketReferenceField(
    /// The input's ID.
    #[prop(into)]
    id: String,
    /// The reference as typed.
    value: RwSignal<String>,
    /// Whether the deployment requires one.
    #[prop(into)]
    required: Signal<bool>,
    /// Set once Submit was tried.
    #[prop(into)]
    checked: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = Memo::new(move |_| {
        let shown = checked.get() || value.with(|v| !v.trim().is_empty());
        shown.then(|| value.with(|v| ticket_reference_error(i18n, v, required.get()))).flatten()
    });
    let (hint_id, error_id) = (format!("{id}-hint"), format!("{id}-error"));
    let described = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || if error.with(Option::is_some) { format!("{hint_id} {error_id}") } else { hint_id.clone() }
    };
    view! {
        <div class="field ticket-reference">
            <label for=id.clone()>{t!(i18n, ticket_reference)}</label>
            <input id=id type="text" autocomplete="off" spellcheck="false"
                prop:value=move || value.get()
                on:input=move |e| value.set(event_target_value(&e))
                aria-required=move || required.get().to_string()
                aria-invalid=move || error.with(Option::is_some).to_string()
                aria-describedby=described />
            <p id=hint_id class="hint">
                {move || if required.get() { t_string!(i18n, ticket_reference_hint_required) } else { t_string!(i18n, ticket_reference_hint_optional) }}
            </p>
            <p id=error_id class="field-error" role="alert">{move || error.get()}</p>
        </div>
    }
}
