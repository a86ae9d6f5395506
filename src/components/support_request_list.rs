use contract::SupportRequest;
use leptos::prelude::*;

use crate::format::format_time;
use crate::i18n::*;

/// A customer's support requests, newest first.
#[component]
pub fn SupportRequestList(requests: Vec<SupportRequest>) -> impl IntoView {
    let i18n = use_i18n();
    if requests.is_empty() {
        return view! { <p class="empty">{t!(i18n, no_support_requests)}</p> }.into_any();
    }
    let rows = requests
        .into_iter()
        .map(|r| {
            let (status, created) = (r.status, r.created_time);
            view! {
                <tr>
                    <th scope="row"><code>{r.id}</code></th>
                    <td class="wide" data-label=move || t_string!(i18n, summary)>{r.request.summary}</td>
                    // The desk opens every request; another status (from a newer desk) as it is.
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
                    <th scope="col">{t!(i18n, status)}</th>
                    <th scope="col">{t!(i18n, created)}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}
