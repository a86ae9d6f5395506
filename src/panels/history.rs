use leptos::prelude::*;
use leptos_i18n::I18nContext;

use contract::Revision;

use crate::api;
use crate::components::change_words::{approvers_of, bought_reservation_text, change_detail_text, ChangeWho};
use crate::components::labels::audit_action_text;
use crate::components::load_error::LoadError;
use crate::format::format_time;
use crate::i18n::*;
use crate::reservation_context::CurrentReservation;

/// History: the reservation's revisions, newest first: what changed, who changed it and when;
/// each refund or exchange that returned units of it among them, with its ticket reference (a
/// money move is not a revision of the configuration: its revision column is empty). Each row
/// is written in the page's language from its figures; a move that waited for approval names
/// who asked and who approved.
#[component]
pub fn HistoryPanel() -> impl IntoView {
    let i18n = use_i18n();
    let r = expect_context::<CurrentReservation>().detail.reservation;
    let (order_id, reservation_id) = (r.reservation_order_id.clone(), r.id.clone());
    let revisions = LocalResource::new(move || {
        let (order_id, reservation_id) = (order_id.clone(), reservation_id.clone());
        async move { api::revisions(&order_id, &reservation_id).await }
    });
    view! {
        <h2>{t!(i18n, history)}</h2>
        <Transition fallback=move || view! { <p class="loading" role="status">{t!(i18n, loading_history)}</p> }>
            {move || Suspend::new(async move {
                let list = match revisions.await {
                    Ok(list) => list,
                    Err(error) => return view! { <LoadError error retry=move || revisions.refetch() /> }.into_any(),
                };
                let rows = list
                    .into_iter()
                    .map(|v| {
                        let action = v.action.clone();
                        let money = matches!(action.as_str(), "refund" | "exchange");
                        let ticket = v.ticket_reference.clone();
                        let approvers = v.detail.as_ref().and_then(approvers_of).cloned();
                        let (time, actor, quantity) = (v.time.clone(), v.actor.clone(), v.reservation.quantity);
                        let revision = if money { "—".to_owned() } else { v.revision.to_string() };
                        let v = StoredValue::new(v);
                        view! {
                            <tr>
                                <td class="num" data-label=move || t_string!(i18n, revision)>{revision}</td>
                                <td class="when" data-label=move || t_string!(i18n, when)>{move || format_time(&time, i18n.get_locale())}</td>
                                <td class="who" data-label=move || t_string!(i18n, who)><ChangeWho actor approvers /></td>
                                <td data-label=move || t_string!(i18n, what)>{move || action_text(i18n, &action)}</td>
                                <td class="wide" data-label=move || t_string!(i18n, change)>
                                    {move || v.with_value(|v| change_text(i18n, v))}
                                    {ticket.map(|t| view! { <span class="sub history-ticket">{move || t_string!(i18n, history_ticket, ticket = t.clone()).to_string()}</span> })}
                                </td>
                                <td class="num" data-label=move || t_string!(i18n, column_quantity)>{quantity}</td>
                            </tr>
                        }
                    })
                    .collect_view();
                view! {
                    <div class="table-scroll">
                        <table class="data-table">
                            <caption class="visually-hidden">{t!(i18n, history)}</caption>
                            <thead>
                                <tr>
                                    <th scope="col" class="num">{t!(i18n, revision)}</th>
                                    <th scope="col">{t!(i18n, when)}</th>
                                    <th scope="col">{t!(i18n, who)}</th>
                                    <th scope="col">{t!(i18n, what)}</th>
                                    <th scope="col">{t!(i18n, change)}</th>
                                    <th scope="col" class="num">{t!(i18n, column_quantity)}</th>
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                }
                .into_any()
            })}
        </Transition>
    }
}

/// What a revision changed, in the page's language from the figures the desk recorded with it;
/// a revision an older desk wrote without them: its first rows from the reservation itself (a
/// purchase says what was bought), any other as the desk recorded it.
fn change_text(i18n: I18nContext<Locale>, v: &Revision) -> String {
    match (&v.detail, v.action.as_str()) {
        (Some(detail), _) => change_detail_text(i18n, detail),
        (None, "purchase") => bought_reservation_text(i18n, &v.reservation),
        (None, "before") => t_string!(i18n, revision_before_detail).to_string(),
        (None, _) => v.change.clone(),
    }
}

/// A revision's action in the page's language (a change made through Azure names its revision
/// as its audit entry does).
fn action_text(i18n: I18nContext<Locale>, action: &str) -> String {
    match action {
        "purchase" => t_string!(i18n, revision_purchase),
        "before" => t_string!(i18n, revision_before),
        "changeReservation" => t_string!(i18n, revision_change),
        "split" => t_string!(i18n, split),
        "merge" => t_string!(i18n, merge),
        "archive" => t_string!(i18n, archive),
        "unarchive" => t_string!(i18n, unarchive),
        other => return audit_action_text(i18n, other),
    }
    .to_string()
}
