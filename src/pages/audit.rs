use contract::{AuditAction, AuditEntry};
use leptos::prelude::*;
use leptos_i18n::I18nContext;

use crate::api;
use crate::components::audit_chain_check::AuditChainCheck;
use crate::components::labels::audit_action_text;
use crate::components::load_error::LoadError;
use crate::format::format_time;
use crate::i18n::*;

/// What changed, in the user's language where the entry's own data says it (the ledger rows
/// the chain starts covering); otherwise the desk's record as it was written.
fn change_text(i18n: I18nContext<Locale>, entry: &AuditEntry) -> String {
    if AuditAction::from_code(&entry.action) == Some(AuditAction::LedgerBaseline) {
        crate::t_count!(i18n, audit_ledger_baseline, entry.ledger.len())
    } else {
        entry.change.clone()
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
                                                <td data-label=move || t_string!(i18n, when)>{move || entry.with_value(|e| format_time(&e.time, i18n.get_locale()))}</td>
                                                <td data-label=move || t_string!(i18n, who)>{read(|e| e.actor.clone())}</td>
                                                <th scope="row">{move || entry.with_value(|e| audit_action_text(i18n, &e.action))}</th>
                                                <td class="wide" data-label=move || t_string!(i18n, change)>
                                                    {move || entry.with_value(|e| change_text(i18n, e))}
                                                    {entry.with_value(|e| e.ticket_reference.clone()).map(|reference| view! {
                                                        <span class="audit-ticket">" · " {t!(i18n, ticket_reference)} ": " {reference}</span>
                                                    })}
                                                </td>
                                                <td class="sub wide" data-label=move || t_string!(i18n, target)>{read(|e| e.target.clone())}</td>
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
