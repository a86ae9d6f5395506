//! The non-money changes Azure makes in Azure mode: a configuration change, a split,
//! a merge, an archive or unarchive is checked here by the same rules as in local mode (the
//! caller's permission and grants, the body, the reservation in the cache, quantities that add
//! up, alike sources of one order…), then asked of Azure by the adapter, and recorded here only
//! from Azure's answer: the adapter has re-read the customer into the cache, and
//! [`Desk::record_azure_change`] writes the revisions of what the re-read changed and one audit
//! entry naming who asked, what Azure answered and the operation's URL. Nothing is written
//! before Azure has confirmed.
//!
//! One difference from local mode: the desk does not read the customer's subscriptions from
//! Azure, so a scope target is Azure's to check (ARM refuses a subscription that is not the
//! tenant's); the shape of the scope (a shared one has no target, a single one has one) is still
//! the desk's.

use contract::AuditAction;
use contract::{MergeRequest, Reservation, ReservationPatch, Scope, SplitRequest};
use desk_service::{configuration, lineage};

use super::lineage::revisions_for;
use super::{audit_entry, no_order, no_reservation, Desk};
use crate::dispatch::parse;
use crate::store::{Decision, OrderView, OrderWrite};
use crate::{Call, DeskError, Ids, Operation, Store};

/// What Azure is asked to do, as the desk checked it.
#[derive(Clone, Debug, PartialEq)]
pub enum AzureChange {
    /// `PATCH …/reservations/{reservationId}`.
    Configure {
        /// The reservation.
        reservation_id: String,
        /// The change, as the desk checked it.
        patch: ReservationPatch,
    },
    /// `POST …/split`.
    Split(SplitRequest),
    /// `POST …/merge`.
    Merge(MergeRequest),
    /// `POST …/reservations/{reservationId}/archive` (`archive`) or `/unarchive`.
    Archive {
        /// The reservation.
        reservation_id: String,
        /// Archive, or unarchive.
        archive: bool,
    },
}

/// A change the desk allows, to be asked of Azure in the customer's tenant.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckedChange {
    /// The operation (its audit action is [`CheckedChange::action`]).
    pub op: Operation,
    /// The reservation order.
    pub order_id: String,
    /// Whose it is.
    pub customer_id: String,
    /// What to ask.
    pub change: AzureChange,
    /// The change in words, as the desk expects it ("split r-1 (3 units) into 1 + 2").
    pub expected: String,
    /// The same as figures, for the console to write in the user's language (`through_azure`
    /// set when it is recorded).
    pub detail: contract::ChangeDetail,
    /// `true` when the change changes nothing (the same name, a repeated archive): nothing is
    /// asked of Azure, and the desk answers as in local mode.
    pub unchanged: bool,
    /// The order's reservations as the cache held them when the change was checked.
    pub before: Vec<Reservation>,
}

impl CheckedChange {
    /// The audit action, as local mode names it.
    pub fn action(&self) -> &'static str {
        match self.change {
            AzureChange::Configure { .. } => AuditAction::ChangeReservation.code(),
            AzureChange::Split(_) => AuditAction::SplitReservation.code(),
            AzureChange::Merge(_) => AuditAction::MergeReservations.code(),
            AzureChange::Archive { archive: true, .. } => AuditAction::ArchiveReservation.code(),
            AzureChange::Archive { archive: false, .. } => AuditAction::UnarchiveReservation.code(),
        }
    }

    /// The audit target, as local mode names it.
    pub fn target(&self) -> String {
        let order = &self.order_id;
        match &self.change {
            AzureChange::Configure { reservation_id, .. } | AzureChange::Archive { reservation_id, .. } => {
                format!("reservationOrders/{order}/reservations/{reservation_id}")
            }
            AzureChange::Split(s) => format!("reservationOrders/{order}/reservations/{}", s.reservation_id),
            AzureChange::Merge(_) => format!("reservationOrders/{order}/merge"),
        }
    }

    /// The reservations the change acts on (the split one, the merged sources, the changed one).
    pub fn acted_on(&self) -> Vec<String> {
        match &self.change {
            AzureChange::Configure { reservation_id, .. } | AzureChange::Archive { reservation_id, .. } => vec![reservation_id.clone()],
            AzureChange::Split(s) => vec![s.reservation_id.clone()],
            AzureChange::Merge(m) => m.sources.clone(),
        }
    }
}

/// What Azure answered to a change it made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AzureConfirmation {
    /// The final answer's HTTP status.
    pub status: u16,
    /// What it said, in a line (e.g. the reservations it names, with their states).
    pub answer: String,
    /// The long-running operation's URL, when Azure answered 202 and it was followed.
    pub operation_url: Option<String>,
}

/// Whether `op` is one of the changes [`Desk::check_azure_change`] checks.
pub fn is_azure_change(op: Operation) -> bool {
    use Operation::*;
    matches!(op, ChangeReservation | SplitReservation | MergeReservations | ArchiveReservation | UnarchiveReservation)
}

fn stored(view: &OrderView, order_id: &str, id: &str) -> Result<Reservation, DeskError> {
    view.reservations.iter().find(|(r, _)| r.id == id).map(|(r, _)| r.clone()).ok_or_else(|| no_reservation(order_id, id))
}

/// The revision-free form of a reservation (its configuration, not its usage).
fn configuration_of(r: &Reservation) -> Reservation {
    let mut r = r.clone();
    r.utilization = Default::default();
    r
}

impl<S: Store, I: Ids> Desk<S, I> {
    /// Checks `op` (one of [`is_azure_change`]) on `params` with the JSON `request` as local mode
    /// would, writing nothing: the caller's permission (the grant check of [`Desk::authorize`]),
    /// the body, and the rule the change obeys, on the order as the cache holds it.
    pub async fn check_azure_change(
        &self,
        call: &Call,
        op: Operation,
        params: &[String],
        request: Option<&str>,
    ) -> Result<CheckedChange, DeskError> {
        if !is_azure_change(op) {
            return Err(DeskError::not_found("There is no such API endpoint."));
        }
        let acting = self.authorize(call, op, params, request).await?;
        let call = &acting.call;
        let p = |i: usize| params.get(i).cloned().unwrap_or_default();
        let order_id = p(0);
        let change = match op {
            Operation::ChangeReservation => AzureChange::Configure { reservation_id: p(1), patch: parse(request)? },
            Operation::SplitReservation => AzureChange::Split(parse(request)?),
            Operation::MergeReservations => AzureChange::Merge(parse(request)?),
            _ => AzureChange::Archive { reservation_id: p(1), archive: op == Operation::ArchiveReservation },
        };
        let today = call.today();
        self.store
            .change_order(&order_id, |view| {
                if view.reservations.is_empty() {
                    return Err(no_order(&order_id));
                }
                let order: Vec<Reservation> = view.reservations.iter().map(|(r, _)| r.clone()).collect();
                let (customer_id, expected, unchanged, detail) = match &change {
                    AzureChange::Configure { reservation_id, patch } => {
                        let before = stored(&view, &order_id, reservation_id)?;
                        // The scope target is Azure's to check (the desk does not read the
                        // tenant's subscriptions); its shape is the desk's.
                        let mut scopes = view.scopes.clone();
                        if let (Some(kind), Some(target)) = (patch.applied_scope_type, &patch.applied_scope_properties) {
                            scopes.push(Scope { applied_scope_type: kind, applied_scope_properties: target.clone() });
                        }
                        let after = configuration::apply_patch(&before, patch, &scopes, today)?;
                        let detail = contract::ChangeDetail::Configuration { changes: configuration::setting_changes(&before, &after), through_azure: true };
                        match configuration::describe_change(&before, &after) {
                            Some(change) => (before.customer_id, change, false, detail),
                            None => (before.customer_id, String::new(), true, detail),
                        }
                    }
                    AzureChange::Split(request) => {
                        let source = stored(&view, &order_id, &request.reservation_id)?;
                        lineage::split(&source, &request.quantities, ["part-1".into(), "part-2".into()])?;
                        let parts: Vec<String> = request.quantities.iter().map(u32::to_string).collect();
                        let expected = format!("split {} ({} units) into {}", source.id, source.quantity, parts.join(" + "));
                        let detail = contract::ChangeDetail::Split { quantity: source.quantity, parts: request.quantities.clone(), through_azure: true };
                        (source.customer_id, expected, false, detail)
                    }
                    AzureChange::Merge(request) => {
                        let (_, merged) = lineage::merge(&order, &request.sources, "merged".into())?;
                        let expected = format!("merge {} ({} units)", request.sources.join(", "), merged.quantity);
                        let sources = u32::try_from(request.sources.len()).unwrap_or(u32::MAX);
                        let detail = contract::ChangeDetail::Merge { sources, quantity: merged.quantity, through_azure: true };
                        (merged.customer_id, expected, false, detail)
                    }
                    AzureChange::Archive { reservation_id, archive } => {
                        let before = stored(&view, &order_id, reservation_id)?;
                        let after = lineage::archive(&before, *archive)?;
                        let expected = if *archive { "archive" } else { "unarchive" };
                        let detail = contract::ChangeDetail::Archive { archived: *archive, through_azure: true };
                        (before.customer_id.clone(), expected.to_owned(), after == before, detail)
                    }
                };
                Ok(Decision::Answer(CheckedChange {
                    op,
                    order_id: order_id.clone(),
                    customer_id,
                    change: change.clone(),
                    expected,
                    detail,
                    unchanged,
                    before: order,
                }))
            })
            .await
    }

    /// Records `checked` as Azure confirmed it, after the adapter re-read the customer into the
    /// cache: one revision per reservation of the order whose configuration the re-read changed
    /// (or that it added), and one audit entry with who asked, what Azure answered and the
    /// operation's URL.
    pub async fn record_azure_change(&self, call: &Call, checked: &CheckedChange, azure: &AzureConfirmation) -> Result<(), DeskError> {
        let action = checked.action();
        let operation = azure.operation_url.as_deref().map_or_else(|| "answered at once".to_owned(), |url| format!("operation {url}"));
        let change = format!("{} — Azure answered HTTP {}: {}; {operation}", checked.expected, azure.status, azure.answer);
        self.store
            .change_order(&checked.order_id, |view| {
                let mut revisions = Vec::new();
                for (after, _) in &view.reservations {
                    let before = checked.before.iter().find(|r| r.id == after.id);
                    if before.map(configuration_of) != Some(configuration_of(after)) {
                        revisions.extend(revisions_for(call, &view, before, after, action, &checked.expected, &checked.detail));
                    }
                }
                let audit = audit_entry(call, action, checked.target(), Some(checked.customer_id.clone()), change, checked.detail.clone());
                Ok(Decision::Write(OrderWrite { reservations: Vec::new(), revisions, audit: Some(audit), at: call.now }, ()))
            })
            .await
    }
}
