//! [`Desk`]: one method per operation of the contract. Each is the only place its rules are
//! applied; the adapters (axum handlers, the in-browser dispatch) only parse and answer.

mod alerts;
mod approvals;
mod approvals_through_azure;
mod azure_recommendations;
mod catalogs;
mod changes;
mod consents;
mod grants;
mod lineage;
mod money;
mod pricing;
mod purchases;
mod reach;
mod readiness;
mod reads;
mod start;
mod through_azure;
mod through_azure_access;
mod through_azure_support;
mod upstream_exchange;
mod upstream_purchase;
mod upstream_moves;
mod upstream_refund;
mod worklist;

pub use catalogs::{plan_named, sold, term_named, CatalogQuery};
pub use consents::MOST_CONSENTS;
pub use alerts::{mailto, Claimed, Recipients, ALERT_LEASE_SECONDS, EXPIRY_TOLD_DAYS};
pub use reach::Acting;
pub use start::AZURE_MODE_STARTED;
pub use through_azure::{is_azure_change, AzureChange, AzureConfirmation, CheckedChange};
pub use through_azure_access::{is_azure_access, AccessChange, CheckedAccess};
pub use through_azure_support::{is_azure_support, ticket_name, CheckedSupport};
pub use upstream_exchange::exchange_check_of;
pub use upstream_moves::ASKED_GRACE_SECONDS;
pub use upstream_refund::check_of;
pub use crate::time::timestamp;

use chrono::{DateTime, Datelike, Utc};
use contract::{AuditEntry, Settings};

use crate::ids::{self, Ids};
use crate::Call;

/// The most audit entries one list answers.
pub const AUDIT_LIMIT: usize = 500;

/// The application layer over a store `S`, with IDs from `I`, as the deployment's
/// [`Settings`] say (its refund policy governs every refund that moves money).
#[derive(Debug)]
pub struct Desk<S, I> {
    store: S,
    ids: I,
    settings: Settings,
    /// What the alerts watch with (`ALERT_UTILIZATION_PERCENT`, `ALERT_HEADROOM_USD`).
    alert_thresholds: contract::AlertThresholds,
    /// Who receives alerts besides subscribers (the server's delivery settings): approval
    /// outcomes are queued for the requester and these at the decision.
    alert_recipients: alerts::Recipients,
    /// What is asked before a money move is recorded: Azure in Azure mode; [`crate::upstream::Local`]
    /// (nothing) otherwise.
    upstream: std::sync::Arc<dyn crate::upstream::Upstream>,
    /// The desk sessions whose return a request of this process is carrying to Azure now (a
    /// second submit or the resumer leaves them alone meanwhile).
    in_flight: std::sync::Mutex<std::collections::HashSet<String>>,
}

impl<S, I: Ids> Desk<S, I> {
    /// A desk over `store`, taking new IDs from `ids`, set up as `settings` say (the server's
    /// flags, the static build's variables).
    pub fn new(store: S, ids: I, settings: Settings) -> Self {
        Self {
            store,
            ids,
            settings,
            alert_thresholds: contract::AlertThresholds::default(),
            alert_recipients: alerts::Recipients::default(),
            upstream: std::sync::Arc::new(crate::upstream::Local),
            in_flight: std::sync::Mutex::default(),
        }
    }

    /// The same desk set up as `settings` say.
    pub fn with_settings(self, settings: Settings) -> Self {
        Self { settings, ..self }
    }

    /// The same desk watching with these alert thresholds.
    pub fn with_alert_thresholds(self, alert_thresholds: contract::AlertThresholds) -> Self {
        Self { alert_thresholds, ..self }
    }

    /// The same desk queueing approval outcomes for these recipients besides the requester
    /// (`ALERT_EMAIL_TO`, the webhook; e-mail only when SMTP is set).
    pub fn with_alert_recipients(self, alert_recipients: alerts::Recipients) -> Self {
        Self { alert_recipients, ..self }
    }

    /// The same desk asking `upstream` before it records a money move (Azure mode).
    pub fn with_upstream(self, upstream: std::sync::Arc<dyn crate::upstream::Upstream>) -> Self {
        Self { upstream, ..self }
    }

    /// Sets what is asked before a money move is recorded (the server, once, before the desk is
    /// shared).
    pub fn set_upstream(&mut self, upstream: std::sync::Arc<dyn crate::upstream::Upstream>) {
        self.upstream = upstream;
    }

    /// The store (for adapters that also seed or inspect it).
    pub fn store(&self) -> &S {
        &self.store
    }

    /// `GET /settings`: how this deployment is set up.
    pub fn settings(&self) -> Settings {
        self.settings
    }

    /// A new GUID.
    fn new_id(&self) -> String {
        ids::guid(self.ids.next_bits())
    }

    /// A support request ID as Partner Center writes them: the date, then ten digits.
    fn new_support_id(&self, now: DateTime<Utc>) -> String {
        let digits = self.ids.next_bits() % 10_000_000_000;
        let day = now.date_naive();
        format!("{:02}{:02}{:02}{digits:010}", day.year().rem_euclid(100), day.month(), day.day())
    }
}

/// The reservation orders an exchange touched (returned from, then bought), each once.
fn exchange_orders<'a>(orders: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for o in orders.filter(|o| !o.is_empty()) {
        if !out.iter().any(|seen| seen.eq_ignore_ascii_case(o)) {
            out.push(o.to_owned());
        }
    }
    out
}

/// `n` of `thing`, in the audit log's English ("1 unit", "2 units").
fn counted(n: impl TryInto<u64>, thing: &str) -> String {
    match n.try_into().unwrap_or(u64::MAX) {
        1 => format!("1 {thing}"),
        n => format!("{n} {thing}s"),
    }
}

/// What a money move's audit entry carries besides the move itself: `names` ends its change (an
/// approval's requester and approver), `ticket_reference` is the partner's own change or ticket
/// reference the move was made under.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Note {
    pub(super) names: String,
    pub(super) ticket_reference: Option<String>,
    /// Who asked and who approved, for the move's detail (an approved move).
    pub(super) approvers: Option<contract::Approvers>,
    /// The partner's price for the customer in force when the move is made, recorded with it for
    /// the customer's statement (read just before the store's transaction).
    pub(super) price: Option<contract::PartnerPricing>,
}

impl Note {
    /// A move's note with its ticket reference only (no approval's names).
    pub(super) fn ticket(ticket_reference: Option<String>) -> Self {
        Self { names: String::new(), ticket_reference, approvers: None, price: None }
    }

    /// The same with the partner's price in force.
    pub(super) fn priced(self, price: Option<contract::PartnerPricing>) -> Self {
        Self { price, ..self }
    }
}

/// The audit entry for `action` on `target` in `call`.
fn audit_entry(call: &Call, action: &str, target: String, customer_id: Option<String>, change: String, detail: contract::ChangeDetail) -> AuditEntry {
    AuditEntry {
        time: timestamp(call.now),
        actor: call.user.user_principal_name.clone(),
        actor_id: call.user.id.clone(),
        actor_name: call.user.id.as_ref().map(|_| call.user.display_name.clone()),
        action: action.to_owned(),
        target,
        customer_id,
        change,
        ledger: Vec::new(),
        ticket_reference: None,
        detail: Some(detail),
    }
}

fn no_customer(id: &str) -> crate::DeskError {
    crate::DeskError::not_found(format!("No customer has the ID '{id}'."))
}

fn no_reservation(order_id: &str, reservation_id: &str) -> crate::DeskError {
    crate::DeskError::not_found(format!("Reservation order '{order_id}' has no reservation '{reservation_id}'."))
}

fn no_order(order_id: &str) -> crate::DeskError {
    crate::DeskError::not_found(format!("There is no reservation order '{order_id}'."))
}

pub(super) fn no_exchange_session(session_id: &str) -> crate::DeskError {
    crate::DeskError::not_found(format!("There is no exchange session '{session_id}'."))
}

/// An exchange's returned reservation `i` that does not exist, or not in the order the line
/// names: a 400 naming its place.
fn unknown_exchange_reservation(i: usize, ret: &contract::ExchangeReturnRequest) -> crate::DeskError {
    let detail = match &ret.reservation_order_id {
        Some(order) => format!("Reservation order '{order}' has no reservation '{}'.", ret.reservation_id),
        None => format!("No reservation has the ID '{}'.", ret.reservation_id),
    };
    desk_service::ServiceError::invalid(contract::ProblemCode::UnknownReservation, &format!("reservationsToExchange[{i}].reservationId"), detail)
        .into()
}

/// The stored reservations of an exchange's return lines, in the lines' order: `None` where a
/// line's reservation does not exist or is not of the order the line names. `found` is what the
/// store read for the lines' IDs, in any order.
fn exchange_lines(lines: &[contract::ExchangeReturnRequest], found: Vec<crate::store::Stored>) -> Vec<Option<crate::store::Stored>> {
    lines
        .iter()
        .map(|line| {
            found
                .iter()
                .find(|(r, _)| {
                    r.id == line.reservation_id && line.reservation_order_id.as_ref().is_none_or(|order| *order == r.reservation_order_id)
                })
                .cloned()
        })
        .collect()
}

/// The reservation IDs of an exchange's return lines, for one store read.
fn exchange_ids(lines: &[contract::ExchangeReturnRequest]) -> Vec<String> {
    lines.iter().map(|line| line.reservation_id.clone()).collect()
}
