use contract::{AuditAction, AuditEntry};
use leptos::prelude::*;
use leptos_i18n::I18nContext;

use crate::api;
use crate::components::audit_chain_check::AuditChainCheck;
use crate::components::change_words::{approvers_of, change_detail_text, detail_id, ChangeWho};
use crate::components::labels::audit_action_text;
use crate::components::load_error::LoadError;
use crate::format::format_time;
use crate::i18n::*;

/// What changed, in the user's language from the figures the desk recorded with it (or, for an
/// entry an older desk wrote without them, the ledger rows the chain starts covering); an older
/// entry of any other kind as the desk wrote it.
fn change_text(i18n: I18nContext<Locale>, entry: &AuditEntry) -> String {
    match &entry.detail {
        Some(detail) => change_detail_text(i18n, detail),
        None if AuditAction::from_code(&entry.action) == Some(AuditAction::LedgerBaseline) => {
            crate::t_count!(i18n, audit_ledger_baseline, entry.ledger.len())
        }
        None => entry.change.clone(),
    }
}

/// The ID a resource path names, which the Target column shows (the whole path on hover):
/// `reservationOrders/o-1/reservations/r-1` → `r-1`, `customers/c-1/applicationConsents` →
/// `c-1` (a path of collections and IDs, maybe ending in an action); none for a path that
/// names no ID (`refundLedger`, `azureMode`).
fn short_target(target: &str) -> &str {
    let segments: Vec<&str> = target.split('/').collect();
    match segments.len() {
        0 | 1 => "—",
        n if n % 2 == 0 => segments[n - 1],
        n => segments[n - 2],
    }
}

/// The audit log: every change and money movement, newest first.
#[component]
pub fn AuditPage() -> impl IntoView {
    let i18n = use_i18n();
    let entries = LocalResource::new(api::audit);
    view! {
        <h1>{t!(i18n, audit_log)}</h1>
        <p class="note">{t!(i18n, audit_intro)}</p>
        <AuditChainCheck />
        <Transition fallback=move || view! { <p class="loading" role="status">{t!(i18n, loading_audit)}</p> }>
            {move || Suspend::new(async move {
                match entries.await {
                    Ok(list) if list.is_empty() => view! { <p class="empty">{t!(i18n, audit_empty)}</p> }.into_any(),
                    Ok(list) => view! {
                        <div class="table-scroll">
                            <table class="data-table">
                                <caption class="visually-hidden">{t!(i18n, audit_log)}</caption>
                                <thead><tr>
                                    <th scope="col">{t!(i18n, when)}</th>
                                    <th scope="col">{t!(i18n, who)}</th>
                                    <th scope="col">{t!(i18n, what)}</th>
                                    <th scope="col">{t!(i18n, change)}</th>
                                    <th scope="col">{t!(i18n, target)}</th>
                                </tr></thead>
                                <tbody>
                                    {list.into_iter().map(|e| {
                                        let entry = StoredValue::new(e);
                                        let read = move |f: fn(&AuditEntry) -> String| entry.with_value(f);
                                        view! {
                                            <tr>
                                                <td class="when" data-label=move || t_string!(i18n, when)>{move || entry.with_value(|e| format_time(&e.time, i18n.get_locale()))}</td>
                                                <td class="who" data-label=move || t_string!(i18n, who)>
                                                    <ChangeWho actor=read(|e| e.actor_name.clone().unwrap_or_else(|| e.actor.clone())) approvers=entry.with_value(|e| e.detail.as_ref().and_then(approvers_of).cloned()) />
                                                </td>
                                                <th scope="row" class="audit-what">{move || entry.with_value(|e| audit_action_text(i18n, &e.action))}</th>
                                                <td class="wide" data-label=move || t_string!(i18n, change)>
                                                    {move || entry.with_value(|e| change_text(i18n, e))}
                                                    {entry.with_value(|e| e.detail.as_ref().and_then(detail_id)).map(|id| view! {
                                                        <span class="sub">{move || t_string!(i18n, change_group_id)} ": " <code>{id}</code></span>
                                                    })}
                                                    {entry.with_value(|e| e.ticket_reference.clone()).map(|reference| view! {
                                                        <span class="audit-ticket">" · " {t!(i18n, ticket_reference)} ": " {reference}</span>
                                                    })}
                                                </td>
                                                <td class="sub audit-target" data-label=move || t_string!(i18n, target)>
                                                    <code title=read(|e| e.target.clone())>{read(|e| short_target(&e.target).to_owned())}</code>
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }
                    .into_any(),
                    Err(error) => view! { <LoadError error retry=move || entries.refetch() /> }.into_any(),
                }
            })}
        </Transition>
    }
}
