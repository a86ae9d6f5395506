//! The audit log's integrity check: a button (Global admin) that asks the backend to walk the
//! hash chain, and its answer: intact with the length and last hash, or where it breaks, and
//! whether the refund ledger holds what the chain records.

use desk_service::access::Permission;
use leptos::prelude::*;

use crate::api;
use crate::components::problem_text::ActionError;
use crate::i18n::*;
use crate::user::CurrentUser;

/// "Verify the chain" and what the backend found.
#[component]
pub fn AuditChainCheck() -> impl IntoView {
    let i18n = use_i18n();
    let user = CurrentUser::expect();
    let verify = Action::new_local(|_: &()| api::verify_audit());
    let result = move || {
        verify.value().get().map(|answer| match answer {
            Ok(report) if report.intact && report.entries == 0 => view! {
                <p class="chain-ok" role="status">{t!(i18n, audit_chain_empty)}</p>
            }
            .into_any(),
            Ok(report) if report.intact => view! {
                <p class="chain-ok" role="status">
                    {t!(i18n, audit_chain_intact, entries = report.entries)}
                    " " <code class="hash">{report.head}</code>
                </p>
            }
            .into_any(),
            Ok(report) => {
                let rows = report.ledger_mismatches.len();
                view! {
                    {report.first_broken.map(|entry| view! {
                        <p class="field-error" role="alert">
                            {t!(i18n, audit_chain_broken, entry = entry, entries = report.entries)}
                        </p>
                    })}
                    // The chain may be intact while the ledger the limits are computed from is not.
                    {(rows > 0).then(|| view! {
                        <p class="field-error" role="alert">{move || crate::t_count!(i18n, audit_chain_ledger_mismatch, rows)}</p>
                    })}
                }
                .into_any()
            }
            Err(error) => view! { <ActionError error /> }.into_any(),
        })
    };
    view! {
        <section class="audit-chain" aria-labelledby="audit-chain-heading">
            <h2 id="audit-chain-heading">{t!(i18n, audit_chain)}</h2>
            <p class="note">{t!(i18n, audit_chain_intro)}</p>
            <button type="button"
                disabled=move || verify.pending().get() || !user.may(Permission::VerifyAudit)
                title=move || user.refusal(i18n, Permission::VerifyAudit)
                on:click=move |_| { verify.dispatch(()); }>
                {move || if verify.pending().get() { t_string!(i18n, audit_chain_checking) } else { t_string!(i18n, audit_chain_verify) }}
            </button>
            {result}
        </section>
    }
}
