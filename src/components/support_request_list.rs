use contract::SupportRequest;
use leptos::prelude::*;

use crate::format::format_time;
use crate::i18n::*;
use crate::paths;

/// A customer's support requests, newest first: each links to its page; in Azure mode each names
/// the Microsoft support ticket it became.
#[component]
pub fn SupportRequestList(requests: Vec<SupportRequest>) -> impl IntoView {
    let i18n = use_i18n();
    if requests.is_empty() {
        return view! { <p class="empty">{t!(i18n, no_support_requests)}</p> }.into_any();
    }
    let sent_any = requests.iter().any(|r| r.azure_ticket.is_some());
    let rows = requests
        .into_iter()
        .map(|r| {
            let (status, created) = (r.status, r.created_time);
            let href = paths::support_request(&r.customer_id, &r.id);
            let ticket = r.azure_ticket.and_then(|t| t.number);
            view! {
                <tr>
                    <th scope="row"><a href=href><code>{r.id}</code></a></th>
                    <td class="wide" data-label=move || t_string!(i18n, summary)>{r.request.summary}</td>
                    {sent_any.then(|| view! {
                        <td data-label=move || t_string!(i18n, microsoft_ticket)>{ticket.map(|n| view! { <code>{n}</code> })}</td>
                    })}
                    // The desk opens every request; another status (Azure's, or from a newer
                    // desk) as it is.
                    <td data-label=move || t_string!(i18n, status)>{move || if status == "Open" { t_string!(i18n, support_status_open).to_string() } else { status.clone() }}</td>
                    <td data-label=move || t_string!(i18n, created)>{move || format_time(&created, i18n.get_locale())}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll">
            <table class="data-table">
                <caption class="visually-hidden">{t!(i18n, support_requests)}</caption>
                <thead><tr>
                    <th scope="col">{t!(i18n, request_id)}</th>
                    <th scope="col">{t!(i18n, summary)}</th>
                    {sent_any.then(|| view! { <th scope="col">{t!(i18n, microsoft_ticket)}</th> })}
                    <th scope="col">{t!(i18n, status)}</th>
                    <th scope="col">{t!(i18n, created)}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}
