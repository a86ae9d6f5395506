use contract::{AuditAction, AuditEntry, ChangeDetail, WorkReason};
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::components::A;

use crate::api;
use crate::components::audit_chain_check::AuditChainCheck;
use crate::components::change_words::{approvers_of, change_detail_text, detail_id, ChangeWho};
use crate::components::labels::{audit_action_text, work_reason_text};
use crate::components::load_error::LoadError;
use crate::format::format_time;
use crate::i18n::*;
use crate::paths;

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

/// The ID a resource path names (`reservationOrders/o-1/reservations/r-1` → `r-1`,
/// `customers/c-1/applicationConsents` → `c-1`: a path of collections and IDs, maybe ending in
/// an action); none for a path that names no ID (`refundLedger`, `azureMode`).
fn short_target(target: &str) -> Option<&str> {
    let segments: Vec<&str> = target.split('/').collect();
    match segments.len() {
        0 | 1 => None,
        n if n % 2 == 0 => Some(segments[n - 1]),
        n => Some(segments[n - 2]),
    }
}

/// What an entry's resource is, read from its path (and, for a worklist row, from what the
/// entry recorded of it), so the Resource column names it rather than showing a raw key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// `reservationOrders/{order}/reservations/{id}`.
    Reservation { id: String },
    /// `reservationOrders/{id}` (a purchase), or an action on the order (`…/merge`).
    Order { id: String },
    /// `reservationOrders/{order}/roleAssignments/{id}`.
    RoleAssignment { id: String },
    /// `supportRequests/{id}`.
    SupportRequest { id: String },
    /// `exchange/{session}`.
    Exchange { id: String },
    /// `approvals/{id}`.
    Approval { id: String },
    /// `grants/{id}`.
    Grant { id: String },
    /// `worklist/{reason}:{customer}:{about}`: its reason, and the reservation's name when the
    /// row is about one (the row's key is IDs only).
    WorklistRow { reason: Option<WorkReason>, reservation: Option<String> },
    /// `customers/{id}/pricing`.
    CustomerPricing,
    /// `pricing`: the price for every customer.
    Pricing,
    /// `customers/{id}/applicationConsents`.
    Consent,
    /// `azureMode`.
    AzureMode,
    /// `refundLedger`.
    RefundLedger,
    /// A path this page does not know (a newer desk's): its ID, or nothing.
    Other { id: Option<String> },
}

impl Target {
    /// What `entry`'s path names.
    pub fn of(entry: &AuditEntry) -> Target {
        let segments: Vec<&str> = entry.target.split('/').collect();
        let id = || short_target(&entry.target).unwrap_or_default().to_owned();
        match segments.as_slice() {
            ["reservationOrders", _, "reservations", r] => Target::Reservation { id: (*r).to_owned() },
            ["reservationOrders", _, "roleAssignments", a] => Target::RoleAssignment { id: (*a).to_owned() },
            ["reservationOrders", o] | ["reservationOrders", o, _] => Target::Order { id: (*o).to_owned() },
            ["supportRequests", _] => Target::SupportRequest { id: id() },
            ["exchange", _] => Target::Exchange { id: id() },
            ["approvals", _] => Target::Approval { id: id() },
            ["grants", _] => Target::Grant { id: id() },
            ["worklist", key] => {
                let reservation = match &entry.detail {
                    Some(ChangeDetail::WorkItemMarked { reservation_name, .. }) => reservation_name.clone(),
                    _ => None,
                };
                Target::WorklistRow { reason: key.split(':').next().and_then(WorkReason::parse), reservation }
            }
            ["customers", _, "pricing"] => Target::CustomerPricing,
            ["pricing"] => Target::Pricing,
            ["customers", _, "applicationConsents"] => Target::Consent,
            ["azureMode"] => Target::AzureMode,
            ["refundLedger"] => Target::RefundLedger,
            _ => Target::Other { id: short_target(&entry.target).map(str::to_owned) },
        }
    }

    /// What it is, in the user's language (none for a path this page does not know).
    fn kind_text(&self, i18n: I18nContext<Locale>) -> Option<String> {
        let text = match self {
            Target::Reservation { .. } => t_string!(i18n, audit_target_reservation),
            Target::Order { .. } => t_string!(i18n, audit_target_order),
            Target::RoleAssignment { .. } => t_string!(i18n, audit_target_role_assignment),
            Target::SupportRequest { .. } => t_string!(i18n, audit_target_support_request),
            Target::Exchange { .. } => t_string!(i18n, audit_target_exchange),
            Target::Approval { .. } => t_string!(i18n, audit_target_approval),
            Target::Grant { .. } => t_string!(i18n, audit_target_grant),
            Target::WorklistRow { .. } => t_string!(i18n, audit_target_worklist_row),
            Target::CustomerPricing => t_string!(i18n, audit_target_customer_pricing),
            Target::Pricing => t_string!(i18n, audit_target_pricing),
            Target::Consent => t_string!(i18n, audit_target_consent),
            Target::AzureMode => t_string!(i18n, audit_target_azure_mode),
            Target::RefundLedger => t_string!(i18n, audit_target_refund_ledger),
            Target::Other { .. } => return None,
        };
        Some(text.to_string())
    }

    /// The ID that says which, where the kind alone does not.
    fn id(&self) -> Option<String> {
        match self {
            Target::Reservation { id }
            | Target::Order { id }
            | Target::RoleAssignment { id }
            | Target::SupportRequest { id }
            | Target::Exchange { id }
            | Target::Approval { id }
            | Target::Grant { id } => Some(id.clone()),
            Target::Other { id } => id.clone(),
            _ => None,
        }
    }
}

/// The Resource cell: what the entry changed, in words, with the ID that says which (a
/// reservation's linking to its page, when the entry names its customer); the path on hover.
fn target_view(i18n: I18nContext<Locale>, entry: &AuditEntry) -> impl IntoView + use<> {
    let target = Target::of(entry);
    let path = entry.target.clone();
    let link = match (&target, &entry.customer_id) {
        (Target::Reservation { id }, Some(customer)) => Some(paths::reservation(customer, id, "")),
        _ => None,
    };
    let row = match &target {
        Target::WorklistRow { reason, reservation } => Some((*reason, reservation.clone())),
        _ => None,
    };
    let id = target.id();
    let kind = move || target.kind_text(i18n);
    view! {
        <span class="target-kind" title=path>{kind}</span>
        {id.map(|id| match link {
            Some(href) => view! { " " <A href=href><code>{id}</code></A> }.into_any(),
            None => view! { " " <code>{id}</code> }.into_any(),
        })}
        {row.map(|(reason, reservation)| {
            let words = move || {
                let reason = reason.map(|r| work_reason_text(i18n, r));
                [reason, reservation.clone()].into_iter().flatten().collect::<Vec<_>>().join(" · ")
            };
            view! { <span class="sub">{words}</span> }
        })}
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
                                                    <ChangeWho actor=read(|e| e.actor.clone()) name=entry.with_value(|e| e.actor_name.clone())
                                                        approvers=entry.with_value(|e| e.detail.as_ref().and_then(approvers_of).cloned()) />
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
                                                <td class="audit-target" data-label=move || t_string!(i18n, target)>
                                                    {entry.with_value(|e| target_view(i18n, e))}
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

#[cfg(test)]
mod tests {
    use super::*;
    use contract::WorkState;

    fn entry(target: &str, detail: Option<ChangeDetail>) -> AuditEntry {
        AuditEntry {
            time: "2026-11-28T08:00:00Z".into(),
            actor: "adam.agent@partner.example".into(),
            actor_id: None,
            actor_name: None,
            action: "markWorkItem".into(),
            target: target.into(),
            customer_id: Some("c-1".into()),
            change: String::new(),
            ledger: Vec::new(),
            ticket_reference: None,
            detail,
        }
    }

    #[test]
    fn a_resource_is_named_for_what_it_is_never_shown_as_its_raw_key() {
        let marked = ChangeDetail::WorkItemMarked {
            reason: WorkReason::ExchangeRightEnds,
            reservation_name: Some("vm-web-01".into()),
            state: WorkState::Done,
            snoozed_until: None,
            owner: None,
            note: None,
        };
        let key = "worklist/exchangeRightEnds:2d8a0c4e-0000-4000-8000-000000000001:98a9d3f1-0000-4000-8000-000000000002";
        assert_eq!(
            Target::of(&entry(key, Some(marked))),
            Target::WorklistRow { reason: Some(WorkReason::ExchangeRightEnds), reservation: Some("vm-web-01".into()) }
        );
        // An entry without its figures still names the row's reason, from the key's first part.
        assert_eq!(Target::of(&entry("worklist/refundLimit:c-1", None)), Target::WorklistRow { reason: Some(WorkReason::RefundLimit), reservation: None });
        let cases = [
            ("reservationOrders/o-1/reservations/r-1", Target::Reservation { id: "r-1".into() }),
            ("reservationOrders/o-1", Target::Order { id: "o-1".into() }),
            ("reservationOrders/o-1/merge", Target::Order { id: "o-1".into() }),
            ("reservationOrders/o-1/roleAssignments/a-1", Target::RoleAssignment { id: "a-1".into() }),
            ("supportRequests/s-1", Target::SupportRequest { id: "s-1".into() }),
            ("exchange/x-1", Target::Exchange { id: "x-1".into() }),
            ("approvals/p-1", Target::Approval { id: "p-1".into() }),
            ("grants/g-1", Target::Grant { id: "g-1".into() }),
            ("customers/c-1/pricing", Target::CustomerPricing),
            ("pricing", Target::Pricing),
            ("customers/c-1/applicationConsents", Target::Consent),
            ("azureMode", Target::AzureMode),
            ("refundLedger", Target::RefundLedger),
            ("gadgets/g-9", Target::Other { id: Some("g-9".into()) }),
            ("gadgets", Target::Other { id: None }),
        ];
        for (path, target) in cases {
            assert_eq!(Target::of(&entry(path, None)), target, "{path}");
        }
    }
}
