use contract::{Approval, ApprovalKind, ApprovalStatus, Customer};
use desk_service::access::Permission;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::api;
use crate::components::approval_waiting::instant_day;
use crate::components::exchange_breakdown::ExchangeBreakdown;
use crate::components::refund_breakdown::RefundBreakdown;
use crate::components::load_error::LoadError;
use crate::components::problem_text::error_text;
use crate::deployment::Deployment;
use crate::format::format_money;
use crate::i18n::*;
use crate::paths;
use crate::user::CurrentUser;

/// Whether the signed-in user asked for `approval` (the desk's own test: the same object ID, or
/// the same sign-in name).
fn asked_by_me(user: CurrentUser, approval: &Approval) -> bool {
    user.0.with(|u| {
        u.as_ref().is_some_and(|u| {
            let me = contract::ApprovalPerson { user_principal_name: u.user_principal_name.clone(), display_name: String::new(), id: u.id.clone() };
            approval.requested_by.is(&me)
        })
    })
}

/// Approvals: the refunds and exchanges above the deployment's approval threshold that wait for
/// a second person. Approve quotes again (the money moves only at the same amount); Reject needs
/// a reason. The requester, and a role that may not move money, sees both disabled with why.
#[component]
pub fn ApprovalsPage() -> impl IntoView {
    let i18n = use_i18n();
    let user = CurrentUser::expect();
    let settings = Deployment::settings();
    let data = LocalResource::new(|| async {
        let approvals = api::approvals().await?;
        let customers = api::customers("").await?;
        Ok::<_, api::ApiError>((approvals, customers))
    });
    // The outcome of the last decision, said once the list is fetched again.
    let outcome = RwSignal::new(None::<Result<Approval, api::ApiError>>);
    let rejecting = RwSignal::new(None::<String>);
    let reason = RwSignal::new(String::new());
    let reason_missing = RwSignal::new(false);
    let approve = Action::new_local(move |id: &String| {
        let id = id.clone();
        async move {
            let result = api::approve(&id).await;
            outcome.set(Some(result.clone()));
            data.refetch();
            result
        }
    });
    let reject = Action::new_local(move |(id, why): &(String, String)| {
        let (id, why) = (id.clone(), why.clone());
        async move {
            let result = api::reject(&id, &why).await;
            if result.is_ok() {
                rejecting.set(None);
                reason.set(String::new());
            }
            outcome.set(Some(result.clone()));
            data.refetch();
            result
        }
    });
    let busy = move || approve.pending().get() || reject.pending().get();
    let locale = move || i18n.get_locale();

    let outcome_text = move || {
        outcome.get().map(|result| match result {
            Err(e) => (true, error_text(i18n, &e)),
            Ok(a) => (
                false,
                match a.status {
                    ApprovalStatus::Approved => t_string!(i18n, approval_approved, amount = format_money(&a.amount, locale())).to_string(),
                    ApprovalStatus::NeedsApprovalAgain => t_string!(
                        i18n,
                        approval_again,
                        previous = a.previous_amount.map(|p| format_money(&p, locale())).unwrap_or_default(),
                        amount = format_money(&a.amount, locale())
                    )
                    .to_string(),
                    _ => t_string!(i18n, approval_rejected).to_string(),
                },
            ),
        })
    };

    let row = move |a: Approval, customers: &[Customer]| {
        let customer_name = customers.iter().find(|c| c.id == a.customer_id).map_or_else(|| a.customer_id.clone(), |c| c.name.clone());
        let reservation = a.reservation_ids.first().map(|r| paths::reservation(&a.customer_id, r, ""));
        let mine = asked_by_me(user, &a);
        let note_id = format!("approval-note-{}", a.id);
        // Why this user cannot decide it, shown beside the buttons that it disables.
        let why_not = move || {
            if mine {
                Some(t_string!(i18n, approval_own).to_string())
            } else {
                user.refusal(i18n, Permission::MoveMoney)
            }
        };
        let id = StoredValue::new(a.id.clone());
        let asking = move || rejecting.get().as_deref() == Some(id.get_value().as_str());
        let amount = a.amount;
        let previous = a.previous_amount;
        let kind = a.kind;
        let (requested_by, requested_at, expires_at) = (a.requested_by.display_name.clone(), a.requested_at.clone(), a.expires_at.clone());
        let reason_id = format!("reject-reason-{}", a.id);
        // The quote as it stands for approval, behind its kind (a disclosure: the table stays short).
        let quote_title = Signal::derive(move || t_string!(i18n, approval_quote).to_string());
        let quote = match (a.refund_quote.clone(), a.exchange_quote.clone()) {
            (Some(quote), _) => Some(view! { <RefundBreakdown quote title=quote_title /> }.into_any()),
            (None, Some(quote)) => Some(view! { <ExchangeBreakdown quote title=quote_title /> }.into_any()),
            (None, None) => None,
        };
        view! {
            <tr>
                <th scope="row">
                    {match reservation {
                        Some(href) => view! { <A href=href>{customer_name.clone()}</A> }.into_any(),
                        None => customer_name.clone().into_any(),
                    }}
                </th>
                <td>
                    <details class="approval-quote">
                        <summary>{move || if kind == ApprovalKind::Exchange { t_string!(i18n, exchange) } else { t_string!(i18n, refund) }}</summary>
                        {quote}
                    </details>
                </td>
                <td class="num">
                    {move || format_money(&amount, locale())}
                    {previous.map(|p| view! { <span class="sub">" (" {move || t_string!(i18n, approval_amount_was, amount = format_money(&p, locale())).to_string()} ")"</span> })}
                </td>
                <td>{requested_by}</td>
                <td>{move || instant_day(&requested_at, locale())}</td>
                <td>{move || instant_day(&expires_at, locale())}</td>
                <td class="row-actions">
                    <Show
                        when=asking
                        fallback={
                            let note_id = note_id.clone();
                            move || {
                                let described = why_not().is_some().then(|| note_id.clone());
                                view! {
                                    <button type="button" disabled=move || why_not().is_some()
                                        aria-disabled=move || busy().to_string()
                                        aria-describedby=described.clone()
                                        on:click=move |_| { if !busy() { approve.dispatch(id.get_value()); } }>
                                        {t!(i18n, approve)}
                                    </button>
                                    " "
                                    <button type="button" class="secondary" disabled=move || why_not().is_some()
                                        aria-describedby=described.clone()
                                        on:click=move |_| { reason_missing.set(false); rejecting.set(Some(id.get_value())); }>
                                        {t!(i18n, reject)}
                                    </button>
                                    {why_not().map(|text| view! { <p id=note_id.clone() class="sub disabled-reason">{text}</p> })}
                                }
                            }
                        }
                    >
                        <form class="reject-form" novalidate on:submit=move |e| {
                            e.prevent_default();
                            let why = reason.get_untracked().trim().to_owned();
                            reason_missing.set(why.is_empty());
                            if !why.is_empty() && !busy() {
                                reject.dispatch((id.get_value(), why));
                            }
                        }>
                            <label for=reason_id.clone()>{t!(i18n, rejection_reason)}</label>
                            <textarea id=reason_id.clone() rows="2" autofocus
                                prop:value=move || reason.get()
                                on:input=move |e| reason.set(event_target_value(&e))
                                aria-invalid=move || reason_missing.get().to_string()></textarea>
                            <Show when=move || reason_missing.get()>
                                <p class="field-error" role="alert">{t!(i18n, rejection_reason_required)}</p>
                            </Show>
                            <button type="submit" aria-disabled=move || busy().to_string()>{t!(i18n, confirm_reject)}</button>
                            " "
                            <button type="button" class="secondary" on:click=move |_| rejecting.set(None)>{t!(i18n, cancel)}</button>
                        </form>
                    </Show>
                </td>
            </tr>
        }
    };

    view! {
        <h1>{t!(i18n, approvals)}</h1>
        <p class="note">
            {move || match settings.get().and_then(Result::ok).map(|s| s.approval_threshold) {
                Some(Some(threshold)) => t_string!(i18n, approvals_intro, threshold = format_money(&threshold, locale())).to_string(),
                Some(None) => t_string!(i18n, approvals_off).to_string(),
                None => String::new(),
            }}
        </p>
        {move || outcome_text().map(|(failed, text)| if failed {
            view! { <p class="field-error" role="alert">{text}</p> }.into_any()
        } else {
            view! { <p class="success" role="status">{text}</p> }.into_any()
        })}
        <Transition fallback=move || view! { <p class="loading" role="status">{t!(i18n, loading_approvals)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((approvals, _)) if approvals.is_empty() => view! { <p class="empty">{t!(i18n, no_approvals)}</p> }.into_any(),
                    Ok((approvals, customers)) => view! {
                        <div class="table-scroll">
                            <table class="data-table approvals-table">
                                <caption class="visually-hidden">{t!(i18n, approvals)}</caption>
                                <thead><tr>
                                    <th scope="col">{t!(i18n, customer)}</th>
                                    <th scope="col">{t!(i18n, approval_what)}</th>
                                    <th scope="col" class="num">{t!(i18n, approval_amount)}</th>
                                    <th scope="col">{t!(i18n, requested_by)}</th>
                                    <th scope="col">{t!(i18n, requested_on)}</th>
                                    <th scope="col">{t!(i18n, column_expiry)}</th>
                                    <th scope="col"><span class="visually-hidden">{t!(i18n, actions)}</span></th>
                                </tr></thead>
                                <tbody>{approvals.into_iter().map(|a| row(a, &customers)).collect_view()}</tbody>
                            </table>
                        </div>
                    }
                    .into_any(),
                    Err(error) => view! { <LoadError error retry=move || data.refetch() /> }.into_any(),
                }
            })}
        </Transition>
    }
}
