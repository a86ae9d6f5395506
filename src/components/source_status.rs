//! Azure mode: on the customer page, when the customer's data was last read from Azure ("Read
//! from Azure 3 min ago") or why the last read failed (Azure's message and code, and the IDs
//! Microsoft's support asks for), the reservations Azure listed that could not be read (each with
//! its ID and why), a **Refresh** button that reads it again now, and why changes are not offered
//! here. What is stale (the server's `stale`: the last read failed, none, or it is older than
//! twice the refresh interval) says so first, on a warning background.

use contract::source::{AzureRequestIds, SourceStatus, UnreadReservation};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_i18n::I18nContext;

use crate::api::{self, ApiError};
use crate::components::problem_text::error_text;
use crate::i18n::*;

/// Minutes from an RFC 3339 instant to `now` (seconds since the epoch); `None` if unreadable.
fn minutes_since(at: &str, now: i64) -> Option<i64> {
    let at = chrono::DateTime::parse_from_rfc3339(at).ok()?.timestamp();
    Some(((now - at) / 60).max(0))
}

/// The status line, in the user's language.
fn status_text(i18n: I18nContext<Locale>, status: &SourceStatus, now: i64) -> String {
    let read = match status.read_at.as_deref().and_then(|at| minutes_since(at, now)) {
        Some(0) => t_string!(i18n, source_read_just_now).to_string(),
        Some(minutes) => t_string!(i18n, source_read_minutes_ago, minutes).to_string(),
        None => t_string!(i18n, source_never_read).to_string(),
    };
    let text = match &status.error {
        // Why the last read failed, then how old what is shown is.
        Some(error) => {
            let failed = t_string!(i18n, source_read_failed, message = error.message.clone(), code = error.code.clone());
            format!("{failed} {read}")
        }
        None => read,
    };
    // The server says when what is shown is stale (a failed read, none, or older than twice
    // the refresh interval).
    if status.stale {
        format!("{} {text}", t_string!(i18n, source_stale))
    } else {
        text
    }
}

/// "For Microsoft support: request ID …, correlation ID …, client request ID …", the known ones,
/// each ID in a `<code>` a partner opening a ticket with Microsoft can select and copy.
fn support_ids(i18n: I18nContext<Locale>, ids: &AzureRequestIds) -> impl IntoView {
    let known = [
        (t_string!(i18n, source_request_id).to_string(), ids.request_id.clone()),
        (t_string!(i18n, source_correlation_id).to_string(), ids.correlation_id.clone()),
        (t_string!(i18n, source_client_request_id).to_string(), ids.client_request_id.clone()),
    ];
    let separator = t_string!(i18n, source_support_ids_separator).to_string();
    let ids = known
        .into_iter()
        .filter_map(|(label, id)| Some((label, id?)))
        .enumerate()
        .map(|(i, (label, id))| {
            view! {
                {(i > 0).then(|| separator.clone())}
                <span class="support-id">{label}" "<code>{id}</code></span>
            }
        })
        .collect_view();
    view! { <p class="support-ids">{t_string!(i18n, source_support_ids).to_string()}" "{ids}</p> }
}

/// What a reservation Azure could not read is called: its display name, else its ID's last path
/// segment (the reservation's own ID); `None` when Azure gave neither.
fn unread_name(r: &UnreadReservation) -> Option<&str> {
    r.display_name.as_deref().filter(|name| !name.trim().is_empty()).or_else(|| r.id.rsplit('/').find(|s| !s.is_empty()))
}

/// Why Azure's answer for a reservation could not be read, in the user's language; a code this
/// build does not know shows the desk's English message and the code.
fn unread_reason(i18n: I18nContext<Locale>, r: &UnreadReservation) -> String {
    let text = match r.code.as_str() {
        "UnreadableReservation" => t_string!(i18n, source_unread_unreadable),
        "QuantityUnknown" => t_string!(i18n, source_unread_quantity),
        "ProvisioningStateUnknown" => t_string!(i18n, source_unread_provisioning_state),
        "TermUnknown" => t_string!(i18n, source_unread_term),
        "BillingPlanUnknown" => t_string!(i18n, source_unread_billing_plan),
        "PurchaseDateUnknown" => t_string!(i18n, source_unread_purchase_date),
        "ExpiryUnknown" => t_string!(i18n, source_unread_expiry),
        _ => return t_string!(i18n, source_unread_other, message = r.message.clone(), code = r.code.clone()).to_string(),
    };
    text.to_string()
}

/// The reservations of the last read that Azure listed but the desk could not read: how many, that
/// nothing is quoted or changed on them, and each with its name, its full ID (support asks for
/// it) and why.
fn unread_list(i18n: I18nContext<Locale>, unread: &[UnreadReservation]) -> impl IntoView {
    // The five languages the console speaks tell one from several, and only that.
    let summary = match unread.len() {
        1 => t_string!(i18n, source_unread_single).to_string(),
        count => t_string!(i18n, source_unread_several, count = count).to_string(),
    };
    let items = unread
        .iter()
        .map(|r| {
            let name = unread_name(r).map_or_else(|| t_string!(i18n, source_unread_no_id).to_string(), str::to_owned);
            let id = (!r.id.is_empty()).then(|| view! { <code class="unread-id">{r.id.clone()}</code> });
            view! {
                <li>
                    <span class="unread-name">{name}</span>
                    {id}
                    <span class="unread-reason">{unread_reason(i18n, r)}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="unread">
            <p>{summary}</p>
            <ul>{items}</ul>
        </div>
    }
}

/// A customer's source status as the desk answered it: the status line (a polite live region, so
/// a refresh is announced), under a failed read the IDs Microsoft's support asks for, and the
/// reservations Azure listed that could not be read. It is given the answer rather than fetching
/// it, so it renders without the network.
#[component]
pub fn SourceStatusView(
    /// The answer of `GET /api/source/customers/{customerId}`; `None` while it loads.
    #[prop(into)]
    answer: Signal<Option<Result<SourceStatus, ApiError>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let status = move || answer.get().and_then(Result::ok);
    view! {
        <p role="status" aria-live="polite" class=move || answer.with(|a| matches!(a, Some(Ok(s)) if s.stale)).then_some("warning stale")>
            {move || match answer.get() {
                Some(Ok(s)) => status_text(i18n, &s, crate::clock::now_seconds()),
                Some(Err(ApiError::Problem(p))) if p.status == 404 => t_string!(i18n, source_never_read).to_string(),
                Some(Err(error)) => error_text(i18n, &error),
                None => String::new(),
            }}
        </p>
        // Outside the live region, so a refresh announces the line alone, not every ID and
        // reservation again.
        {move || status().and_then(|s| s.error).filter(|e| !e.request.is_empty()).map(|e| support_ids(i18n, &e.request))}
        {move || status().filter(|s| !s.unread.is_empty()).map(|s| unread_list(i18n, &s.unread))}
    }
}

/// The customer's source status with its Refresh button; `on_read` runs after a read, so the
/// page reloads what it shows.
#[component]
pub fn SourceStatusLine(#[prop(into)] customer_id: Signal<String>, on_read: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let status = LocalResource::new(move || {
        let id = customer_id.get();
        async move { api::source_status(&id).await }
    });
    let busy = RwSignal::new(false);
    let failed = RwSignal::new(None::<ApiError>);
    let refresh = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        failed.set(None);
        let id = customer_id.get_untracked();
        spawn_local(async move {
            match api::refresh_from_azure(&id).await {
                Ok(_) => {
                    status.refetch();
                    on_read.run(());
                }
                Err(error) => failed.set(Some(error)),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="source-status" aria-label=move || t_string!(i18n, source_section)>
            <SourceStatusView answer=Signal::derive(move || status.get()) />
            <button type="button" on:click=refresh disabled=move || busy.get() aria-busy=move || busy.get().to_string()>
                {move || if busy.get() { t_string!(i18n, source_refreshing) } else { t_string!(i18n, source_refresh) }}
            </button>
            {move || failed.get().map(|error| view! { <p class="error" role="alert">{error_text(i18n, &error)}</p> })}
            <p class="sub">{t!(i18n, source_changes_through_azure)}</p>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::{minutes_since, unread_name};
    use contract::source::UnreadReservation;

    #[test]
    fn minutes_are_whole_and_never_negative() {
        let at = "2026-11-25T10:00:00Z";
        let t = chrono::DateTime::parse_from_rfc3339(at).unwrap().timestamp();
        assert_eq!(minutes_since(at, t + 59), Some(0));
        assert_eq!(minutes_since(at, t + 180), Some(3));
        assert_eq!(minutes_since(at, t - 30), Some(0), "a clock behind the server's");
        assert_eq!(minutes_since("yesterday", t), None);
    }

    #[test]
    fn an_unread_reservation_is_called_by_its_name_else_its_ids_last_segment() {
        let unread = |id: &str, display_name: Option<&str>| UnreadReservation {
            id: id.into(),
            display_name: display_name.map(Into::into),
            code: "TermUnknown".into(),
            message: String::new(),
        };
        let id = "/providers/microsoft.capacity/reservationOrders/o-1/reservations/r-1";
        assert_eq!(unread_name(&unread(id, Some("vm one"))), Some("vm one"));
        assert_eq!(unread_name(&unread(id, None)), Some("r-1"));
        assert_eq!(unread_name(&unread(id, Some(" "))), Some("r-1"), "a blank name is none");
        assert_eq!(unread_name(&unread("r-2/", None)), Some("r-2"));
        assert_eq!(unread_name(&unread("", None)), None, "Azure gave no ID");
    }
}
