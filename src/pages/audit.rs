use leptos::prelude::*;

use crate::api;
use crate::components::audit_chain_check::AuditChainCheck;
use crate::components::load_error::LoadError;
use crate::i18n::*;

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
                                    {list.into_iter().map(|e| view! {
                                        <tr>
                                            <td>{e.time}</td>
                                            <td>{e.actor}</td>
                                            <th scope="row">{e.action}</th>
                                            <td>{e.change}</td>
                                            <td class="sub">{e.target}</td>
                                        </tr>
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
