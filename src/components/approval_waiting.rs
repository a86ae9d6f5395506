use contract::{Approval, ApprovalKind, ApprovalNeeded, ApprovalStatus};
use leptos::prelude::*;
use leptos_router::components::A;

use crate::format::{format_date, format_money};
use crate::i18n::*;
use crate::paths;

/// The day of an RFC 3339 instant, in the locale's words (the text itself if it is not one).
pub fn instant_day(text: &str, locale: Locale) -> String {
    text.get(..10).and_then(|d| d.parse::<chrono::NaiveDate>().ok()).map_or_else(|| text.to_owned(), |d| format_date(d, locale))
}

/// The ID of a reservation's one note that a request waits (in its Actions bar): what the
/// Refund and Exchange panels' disabled buttons name as their reason.
pub const WAITING_NOTE: &str = "actions-disabled-reason";

/// What a reservation's open approval request says: a refund or exchange of an amount, asked by
/// someone, waiting for approval by someone else (with both figures when the amount changed),
/// and the way to the Approvals page. `id` lets controls name it as their reason
/// (`aria-describedby`); `focus` takes keyboard focus when it appears (after a submit).
#[component]
pub fn ApprovalWaiting(approval: Approval, #[prop(into)] id: String, #[prop(optional)] focus: bool) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let note = NodeRef::<leptos::html::P>::new();
    if focus {
        Effect::new(move |_| {
            if let Some(p) = note.get() {
                let _ = p.focus();
            }
        });
    }
    let a = StoredValue::new(approval);
    let text = move || {
        a.with_value(|a| {
            let amount = format_money(&a.amount, locale());
            let name = a.requested_by.display_name.clone();
            let until = instant_day(&a.expires_at, locale());
            match (a.status, a.kind, a.previous_amount) {
                (ApprovalStatus::NeedsApprovalAgain, _, Some(previous)) => t_string!(
                    i18n,
                    approval_waiting_again,
                    amount = amount,
                    previous = format_money(&previous, locale()),
                    until = until
                )
                .to_string(),
                (_, ApprovalKind::Exchange, _) => t_string!(i18n, approval_waiting_exchange, amount = amount, name = name, until = until).to_string(),
                (_, ApprovalKind::Purchase, _) => t_string!(i18n, approval_waiting_purchase, amount = amount, name = name, until = until).to_string(),
                _ => t_string!(i18n, approval_waiting_refund, amount = amount, name = name, until = until).to_string(),
            }
        })
    };
    view! {
        <p id=id class="warning approval-waiting" role="status" tabindex="-1" node_ref=note>
            {text} " "
            <A href=paths::approvals()>{t!(i18n, open_approvals)}</A>
        </p>
    }
}

/// What Review says before Submit when the backend found the move above the approval threshold:
/// the figure, the threshold, and that it will wait for someone else. `id` lets Submit name it
/// (`aria-describedby`).
#[component]
pub fn ApprovalNeededNote(needed: ApprovalNeeded, kind: ApprovalKind, #[prop(into)] id: String) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    // The threshold is in USD: a move billed in another currency names its amount billed and the
    // USD figure compared (the desk's, never converted here).
    let text = move || {
        let (figure, threshold) = (format_money(&needed.figure, locale()), format_money(&needed.threshold, locale()));
        match (kind, needed.billed.map(|b| format_money(&b, locale()))) {
            (ApprovalKind::Refund, None) => t_string!(i18n, approval_needed_refund, figure = figure, threshold = threshold).to_string(),
            (ApprovalKind::Refund, Some(billed)) => t_string!(i18n, approval_needed_refund_billed, billed = billed, figure = figure, threshold = threshold).to_string(),
            (ApprovalKind::Exchange, None) => t_string!(i18n, approval_needed_exchange, figure = figure, threshold = threshold).to_string(),
            (ApprovalKind::Exchange, Some(billed)) => t_string!(i18n, approval_needed_exchange_billed, billed = billed, figure = figure, threshold = threshold).to_string(),
            (ApprovalKind::Purchase, None) => t_string!(i18n, approval_needed_purchase, figure = figure, threshold = threshold).to_string(),
            (ApprovalKind::Purchase, Some(billed)) => t_string!(i18n, approval_needed_purchase_billed, billed = billed, figure = figure, threshold = threshold).to_string(),
        }
    };
    view! { <p id=id class="warning approval-needed" role="note">{text}</p> }
}
