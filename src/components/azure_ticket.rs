use contract::{AzureSupportTicket, SupportRequest};
use leptos::prelude::*;

use crate::format::format_time;
use crate::i18n::*;

/// Where a support request went: in Azure mode the Microsoft support ticket Azure made for it
/// (its number, status at Microsoft, the subscription it was filed in, its service and problem
/// type, when Azure was read, and why Azure could not be read just now, inline); otherwise that
/// the request is kept in the desk and was not sent to Microsoft. Its heading is `h2` on the
/// request's page (`page`), `h3` inside the wizard's panel.
#[component]
pub fn AzureTicket(request: SupportRequest, #[prop(optional)] page: bool) -> impl IntoView {
    let i18n = use_i18n();
    let Some(ticket) = request.azure_ticket else {
        return view! { <p class="hint">{t!(i18n, support_desk_record_only)}</p> }.into_any();
    };
    let AzureSupportTicket { number, status, subscription_id, service, problem_classification, read_at, read_error, .. } = ticket;
    view! {
        <section class="azure-ticket" aria-labelledby="azure-ticket-heading">
            {if page {
                view! { <h2 id="azure-ticket-heading">{t!(i18n, azure_ticket_heading)}</h2> }.into_any()
            } else {
                view! { <h3 id="azure-ticket-heading">{t!(i18n, azure_ticket_heading)}</h3> }.into_any()
            }}
            <dl class="properties">
                <dt>{t!(i18n, azure_ticket_number)}</dt>
                <dd>{match number {
                    Some(number) => view! { <code>{number}</code> }.into_any(),
                    None => view! { <span>{t!(i18n, azure_ticket_number_unknown)}</span> }.into_any(),
                }}</dd>
                <dt>{t!(i18n, azure_ticket_status)}</dt>
                <dd>{move || status.clone().unwrap_or_else(|| t_string!(i18n, azure_ticket_number_unknown).to_string())}</dd>
                <dt>{t!(i18n, azure_ticket_classification)}</dt>
                <dd>{format!("{service} · {problem_classification}")}</dd>
                <dt>{t!(i18n, azure_ticket_subscription)}</dt>
                <dd><code>{subscription_id}</code></dd>
                <dt>{t!(i18n, azure_ticket_read_at)}</dt>
                <dd>{move || format_time(&read_at, i18n.get_locale())}</dd>
            </dl>
            {read_error.map(|detail| view! {
                <p class="field-error" role="alert">{move || t_string!(i18n, azure_ticket_read_error, detail = detail.clone()).to_string()}</p>
            })}
        </section>
    }
    .into_any()
}
