//! The operations that move units between reservations of one order (split, merge), archive
//! finished ones, and read a reservation's revisions. Each change is one revision per reservation
//! it touches and one audit entry, written with the change.

use contract::AuditAction;
use contract::{ChangeDetail, MergeRequest, Reservation, Revision, SplitRequest};
use desk_service::{lineage, utilization};

use super::{audit_entry, no_reservation, timestamp, Desk};
use crate::store::{Decision, OrderView, OrderWrite, Stored};
use crate::{Call, DeskError, Ids, Store};

/// A reservation as a revision keeps it: its configuration, not its usage.
fn snapshot(r: &Reservation) -> Reservation {
    let mut r = r.clone();
    r.utilization = Default::default();
    r
}

/// The revisions one change of a reservation adds: when it had none recorded, first a revision
/// 1 of how it was before (`before`), then the change. A reservation the change creates
/// (`before` is `None`) starts at revision 1.
pub(super) fn revisions_for(
    call: &Call,
    view: &OrderView,
    before: Option<&Reservation>,
    after: &Reservation,
    action: &str,
    change: &str,
    detail: &ChangeDetail,
) -> Vec<Revision> {
    let revision = |n: u32, action: &str, change: &str, detail: &ChangeDetail, r: &Reservation| Revision {
        revision: n,
        time: timestamp(call.now),
        actor: call.user.user_principal_name.clone(),
        action: action.to_owned(),
        change: change.to_owned(),
        reservation: snapshot(r),
        ticket_reference: None,
        detail: Some(detail.clone()),
    };
    let mut out = Vec::with_capacity(2);
    let mut newest = view.revision_of(&after.id);
    if let Some(before) = before {
        if newest == 0 {
            newest = 1;
            out.push(revision(1, "before", "As it was before its first recorded change.", &ChangeDetail::Before, before));
        }
    }
    out.push(revision(newest + 1, action, change, detail, after));
    out
}

fn order_target(order_id: &str, what: &str) -> String {
    format!("reservationOrders/{order_id}/{what}")
}

impl<S: Store, I: Ids> Desk<S, I> {
    /// `POST /reservationOrders/{orderId}/split`: the reservation as it is afterwards (split),
    /// then its two parts.
    pub async fn split(&self, call: &Call, order_id: &str, request: SplitRequest) -> Result<Vec<Reservation>, DeskError> {
        let part_ids = [self.new_id(), self.new_id()];
        let today = call.today();
        self.store
            .change_order(order_id, |view| {
                let (source, usage) = find(&view, order_id, &request.reservation_id)?;
                let (after, parts) = lineage::split(&source, &request.quantities, part_ids)?;
                let change = format!(
                    "split {} ({} units) into {} ({}) and {} ({})",
                    source.id, source.quantity, parts[0].id, parts[0].quantity, parts[1].id, parts[1].quantity
                );
                let detail = ChangeDetail::Split { quantity: source.quantity, parts: parts.iter().map(|p| p.quantity).collect(), through_azure: false };
                let mut revisions = revisions_for(call, &view, Some(&source), &after, "split", &change, &detail);
                for part in &parts {
                    let created = format!("split from {} ({} of its {} units)", source.id, part.quantity, source.quantity);
                    let from = ChangeDetail::SplitFrom { quantity: part.quantity, of: source.quantity };
                    revisions.extend(revisions_for(call, &view, None, part, "split", &created, &from));
                }
                let target = format!("reservationOrders/{order_id}/reservations/{}", source.id);
                let audit = audit_entry(call, AuditAction::SplitReservation.code(), target, Some(source.customer_id.clone()), change, detail);
                let written: Vec<Stored> = std::iter::once(after).chain(parts).map(|r| (r, usage)).collect();
                let answer = written.iter().map(|(r, u)| utilization::with_aggregates(r.clone(), *u, today)).collect();
                Ok(Decision::Write(OrderWrite { reservations: written, revisions, audit: Some(audit), at: call.now }, answer))
            })
            .await
    }

    /// `POST /reservationOrders/{orderId}/merge`: the merged reservation, then its sources as
    /// they are afterwards (merged).
    pub async fn merge(&self, call: &Call, order_id: &str, request: MergeRequest) -> Result<Vec<Reservation>, DeskError> {
        let merged_id = self.new_id();
        let today = call.today();
        self.store
            .change_order(order_id, |view| {
                if view.reservations.is_empty() {
                    return Err(DeskError::not_found(format!("There is no reservation order '{order_id}'.")));
                }
                let order: Vec<Reservation> = view.reservations.iter().map(|(r, _)| r.clone()).collect();
                let (sources, merged) = lineage::merge(&order, &request.sources, merged_id)?;
                // The merged units were used if any source's were (the refund's grace rule).
                let usage = view
                    .reservations
                    .iter()
                    .filter(|(r, _)| request.sources.contains(&r.id))
                    .map(|(_, u)| *u)
                    .max_by_key(|u| u.level)
                    .unwrap_or_default();
                let names: Vec<&str> = request.sources.iter().map(String::as_str).collect();
                let change = format!("merged {} into {} ({} units)", names.join(", "), merged.id, merged.quantity);
                let detail = ChangeDetail::Merge { sources: u32::try_from(names.len()).unwrap_or(u32::MAX), quantity: merged.quantity, through_azure: false };
                let mut revisions = revisions_for(call, &view, None, &merged, "merge", &change, &detail);
                for after in &sources {
                    let before = order.iter().find(|r| r.id == after.id);
                    revisions.extend(revisions_for(call, &view, before, after, "merge", &change, &detail));
                }
                let audit = audit_entry(
                    call,
                    AuditAction::MergeReservations.code(),
                    order_target(order_id, "merge"),
                    Some(merged.customer_id.clone()),
                    change,
                    detail,
                );
                let mut written: Vec<Stored> = vec![(merged, usage)];
                for after in sources {
                    let own = view.reservations.iter().find(|(r, _)| r.id == after.id).map(|(_, u)| *u).unwrap_or_default();
                    written.push((after, own));
                }
                let answer = written.iter().map(|(r, u)| utilization::with_aggregates(r.clone(), *u, today)).collect();
                Ok(Decision::Write(OrderWrite { reservations: written, revisions, audit: Some(audit), at: call.now }, answer))
            })
            .await
    }

    /// `POST …/reservations/{reservationId}/archive` (`archive`) and `/unarchive`: only a
    /// finished reservation can be archived; a repeat changes nothing and writes nothing.
    pub async fn archive(
        &self,
        call: &Call,
        order_id: &str,
        reservation_id: &str,
        archive: bool,
    ) -> Result<Reservation, DeskError> {
        let today = call.today();
        self.store
            .change_order(order_id, |view| {
                let (before, usage) = find(&view, order_id, reservation_id)?;
                let after = lineage::archive(&before, archive)?;
                let answer = utilization::with_aggregates(after.clone(), usage, today);
                if after == before {
                    return Ok(Decision::Answer(answer));
                }
                let action = if archive { "archive" } else { "unarchive" };
                let change = if archive { "archived" } else { "unarchived" };
                let detail = ChangeDetail::Archive { archived: archive, through_azure: false };
                let revisions = revisions_for(call, &view, Some(&before), &after, action, change, &detail);
                let target = format!("reservationOrders/{order_id}/reservations/{reservation_id}");
                let verb = if archive { AuditAction::ArchiveReservation } else { AuditAction::UnarchiveReservation }.code();
                let audit = audit_entry(call, verb, target, Some(after.customer_id.clone()), change.to_owned(), detail);
                let write = OrderWrite { reservations: vec![(after, usage)], revisions, audit: Some(audit), at: call.now };
                Ok(Decision::Write(write, answer))
            })
            .await
    }

    /// `GET …/reservations/{reservationId}/revisions`: newest first. A reservation never changed
    /// has one revision: itself as it is (its units as bought when a money move returned some).
    /// Each refund or exchange that returned units of it is a row too (`refund`, `exchange`), with
    /// its ticket reference: the reservation as the move left it, under the configuration's
    /// revision then in force.
    pub async fn revisions(&self, order_id: &str, reservation_id: &str) -> Result<Vec<Revision>, DeskError> {
        let (current, _) =
            self.store.reservation(order_id, reservation_id).await?.ok_or_else(|| no_reservation(order_id, reservation_id))?;
        let mut list = self.store.revisions(order_id, reservation_id).await?;
        let moves = self.store.moves_of(order_id, reservation_id).await?;
        if list.is_empty() {
            let mut bought = snapshot(&current);
            if let Some(first) = moves.first() {
                bought.quantity = first.quantity_before;
                bought.provisioning_state = contract::ProvisioningState::Succeeded;
            }
            // What was bought (who bought it is not known: it was bought before the desk, or
            // outside it; a purchase the desk made records its own first revision).
            let detail = ChangeDetail::Purchase {
                bought: contract::Bought::of(&bought),
                commitment: None,
                due_today: None,
                approval: None,
                statement: Vec::new(),
                through_azure: false,
            };
            list.push(Revision {
                revision: 1,
                time: format!("{}T00:00:00Z", current.purchase_date),
                actor: String::new(),
                action: "purchase".into(),
                change: format!("bought {}", super::purchases::bought_words(&bought)),
                reservation: bought,
                ticket_reference: None,
                detail: Some(detail),
            });
        }
        list.sort_by_key(|v| v.revision);
        let rows: Vec<Revision> = moves.iter().map(|m| move_row(&list, &current, m)).collect();
        list.extend(rows);
        // Newest first; at one instant, a money move after the configuration it was made under.
        list.sort_by(|a, b| (b.time.as_str(), b.revision, is_move(b)).cmp(&(a.time.as_str(), a.revision, is_move(a))));
        Ok(list)
    }
}

/// Whether a History row is a money move's.
fn is_move(v: &Revision) -> bool {
    v.action == contract::AuditAction::Refund.code() || v.action == contract::AuditAction::Exchange.code()
}

/// A money move's row: the configuration in force when it was made (the newest revision before
/// it; before any, the first revision if it records how the reservation was before its first
/// change, else the reservation as it is) with the units and state the move left.
fn move_row(revisions: &[Revision], current: &Reservation, m: &crate::store::Move) -> Revision {
    let in_force = revisions
        .iter()
        .rfind(|v| v.time.as_str() <= m.time.as_str() && v.action != "purchase")
        .or_else(|| revisions.first().filter(|v| v.action == "before" || v.action == "purchase"));
    let (revision, mut reservation) = match in_force {
        Some(v) => (v.revision, v.reservation.clone()),
        None => (1, snapshot(current)),
    };
    reservation.quantity = m.quantity;
    reservation.provisioning_state = m.state;
    Revision {
        revision,
        time: m.time.clone(),
        actor: m.actor.clone(),
        action: m.action.clone(),
        change: m.change.clone(),
        reservation,
        ticket_reference: m.ticket_reference.clone(),
        detail: m.detail.clone(),
    }
}

/// The reservation `id` of the order in `view`, or a 404.
fn find(view: &OrderView, order_id: &str, id: &str) -> Result<Stored, DeskError> {
    view.reservations.iter().find(|(r, _)| r.id == id).cloned().ok_or_else(|| no_reservation(order_id, id))
}
