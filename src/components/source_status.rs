//! Azure mode (issue 30): on the customer page, when the customer's data was last read from
//! Azure ("Read from Azure 3 min ago") or why the last read failed (Azure's message and code),
//! a **Refresh** button that reads it again now, and why changes are not offered here. What is
//! stale (the server's `stale`: the last read failed, none, or it is older than twice the
//! refresh interval) says so first, on a warning background.

use contract::source::SourceStatus;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, ApiError};
use crate::components::problem_text::error_text;
use crate::i18n::*;

/// Minutes from an RFC 3339 instant to `now` (seconds since the epoch); `None` if unreadable.
fn minutes_since(at: &str, now: i64) -> Option<i64> {
    let at = chrono::DateTime::parse_from_rfc3339(at).ok()?.timestamp();
    Some(((now - at) / 60).max(0))
}

/// The status line, in the user's language.
fn status_text(i18n: leptos_i18n::I18nContext<Locale>, status: &SourceStatus, now: i64) -> String {
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
            <p role="status" aria-live="polite" class=move || matches!(status.get(), Some(Ok(s)) if s.stale).then_some("warning stale")>
                {move || match status.get() {
                    Some(Ok(s)) => status_text(i18n, &s, crate::clock::now_seconds()),
                    Some(Err(ApiError::Problem(p))) if p.status == 404 => t_string!(i18n, source_never_read).to_string(),
                    Some(Err(error)) => error_text(i18n, &error),
                    None => String::new(),
                }}
            </p>
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
    use super::minutes_since;

    #[test]
    fn minutes_are_whole_and_never_negative() {
        let at = "2026-11-25T10:00:00Z";
        let t = chrono::DateTime::parse_from_rfc3339(at).unwrap().timestamp();
        assert_eq!(minutes_since(at, t + 59), Some(0));
        assert_eq!(minutes_since(at, t + 180), Some(3));
        assert_eq!(minutes_since(at, t - 30), Some(0), "a clock behind the server's");
        assert_eq!(minutes_since("yesterday", t), None);
    }
}
