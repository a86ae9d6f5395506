//! The operations that change a reservation's configuration, its order's access, or open a
//! support request; each writes its audit entry with the change.

use contract::{AuditAction, ChangeDetail};
use contract::{NewRoleAssignment, NewSupportRequest, Reservation, ReservationPatch, RoleAssignment, SupportRequest};
use desk_service::{access_control, configuration, support, utilization};

use super::{audit_entry, no_reservation, timestamp, Desk};
use super::lineage::revisions_for;
use crate::store::{Decision, OrderWrite, RoleAssignmentWrite};
use crate::{Call, DeskError, Ids, Store};

impl<S: Store, I: Ids> Desk<S, I> {
    /// `PATCH /reservationOrders/{orderId}/reservations/{reservationId}`: name, scope, renewal.
    pub async fn change_reservation(
        &self,
        call: &Call,
        order_id: &str,
        reservation_id: &str,
        patch: ReservationPatch,
    ) -> Result<Reservation, DeskError> {
        self.store
            .change_order(order_id, |view| {
                let (reservation, usage) = view
                    .reservations
                    .iter()
                    .find(|(r, _)| r.id == reservation_id)
                    .cloned()
                    .ok_or_else(|| no_reservation(order_id, reservation_id))?;
                let changed = configuration::apply_patch(&reservation, &patch, &view.scopes, call.today())?;
                let answer = utilization::with_aggregates(changed.clone(), usage, call.today());
                let Some(change) = configuration::describe_change(&reservation, &changed) else {
                    return Ok(Decision::Answer(answer));
                };
                let detail = ChangeDetail::Configuration { changes: configuration::setting_changes(&reservation, &changed), through_azure: false };
                let revisions = revisions_for(call, &view, Some(&reservation), &changed, "changeReservation", &change, &detail);
                let target = format!("reservationOrders/{order_id}/reservations/{reservation_id}");
                let audit = audit_entry(call, AuditAction::ChangeReservation.code(), target, Some(changed.customer_id.clone()), change, detail);
                let write = OrderWrite { reservations: vec![(changed, usage)], revisions, audit: Some(audit), at: call.now };
                Ok(Decision::Write(write, answer))
            })
            .await
    }

    /// `POST /reservationOrders/{orderId}/roleAssignments`.
    pub async fn add_role_assignment(
        &self,
        call: &Call,
        order_id: &str,
        new: NewRoleAssignment,
    ) -> Result<RoleAssignment, DeskError> {
        let id = self.new_id();
        // The order's customer, whom the entry names (an order never changes customer).
        let customer = self.store.order_customer(order_id).await?;
        self.store
            .add_role_assignment(order_id, |(exists, existing)| {
                if !exists {
                    return Err(DeskError::not_found(format!("There is no reservation order '{order_id}'.")));
                }
                let checked = access_control::validate(&new, &existing)?;
                let created = RoleAssignment::local(id, order_id, checked);
                let change = format!("{} gets {:?}", created.assignment.principal_name, created.assignment.role);
                let target = format!("reservationOrders/{order_id}/roleAssignments/{}", created.id);
                let detail = ChangeDetail::RoleAssigned { principal_name: created.assignment.principal_name.clone(), role: created.assignment.role };
                let audit = audit_entry(call, AuditAction::AddRoleAssignment.code(), target, customer, change, detail);
                Ok(Decision::Write(RoleAssignmentWrite { assignment: created.clone(), at: call.now, audit }, created))
            })
            .await
    }

    /// `DELETE /reservationOrders/{orderId}/roleAssignments/{roleAssignmentId}`; an assignment of another
    /// order is not found.
    pub async fn remove_role_assignment(&self, call: &Call, order_id: &str, id: &str) -> Result<(), DeskError> {
        let target = format!("reservationOrders/{order_id}/roleAssignments/{id}");
        let customer = self.store.order_customer(order_id).await?;
        let audit = audit_entry(call, AuditAction::RemoveRoleAssignment.code(), target, customer, "removed".into(), ChangeDetail::RoleRemoved);
        if self.store.remove_role_assignment(order_id, id, call.now, &audit).await? {
            Ok(())
        } else {
            Err(DeskError::not_found(format!("Reservation order '{order_id}' has no role assignment '{id}'.")))
        }
    }

    /// `POST /supportRequests`.
    pub async fn create_support_request(&self, call: &Call, request: NewSupportRequest) -> Result<SupportRequest, DeskError> {
        let (reservation, _) = self
            .store
            .reservation(&request.reservation_order_id, &request.reservation_id)
            .await?
            .ok_or_else(|| no_reservation(&request.reservation_order_id, &request.reservation_id))?;
        support::validate(&request, &reservation)?;
        let id = self.new_support_id(call.now);
        let created = support::create(request, &reservation, id, timestamp(call.now));
        let change = format!("support request {}: {}", created.id, created.request.summary);
        let target = format!("supportRequests/{}", created.id);
        let detail = ChangeDetail::SupportRequest { summary: created.request.summary.clone() };
        let audit = audit_entry(call, AuditAction::CreateSupportRequest.code(), target, Some(created.customer_id.clone()), change, detail);
        self.store.add_support_request(&created, call.now, &audit).await?;
        Ok(created)
    }
}
