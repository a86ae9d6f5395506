//! Access control (IAM) in Azure mode: the role assignments on a reservation order are ARM's
//! (Microsoft.Authorization), not the desk's records, and the people to give a role to are the
//! customer's directory's (Microsoft Graph). The desk checks a list, a search, an addition or a
//! removal here as in local mode (the caller's permission and grants, the order known to the
//! cache, the search's text, the body: one of the six roles that apply to reservations, a user,
//! group or application named by its object ID), writing nothing; the adapter asks ARM on behalf of the
//! signed-in user and reads the list back; then [`Desk::record_azure_access`] writes one audit
//! entry naming who asked and what Azure answered. Nothing is recorded before Azure confirmed.

use contract::{AuditAction, ChangeDetail, NewRoleAssignment};
use desk_service::access_control;

use super::{audit_entry, no_order, Desk};
use crate::dispatch::parse;
use crate::store::{Decision, OrderWrite};
use crate::{Call, DeskError, Ids, Operation, Store};

/// What ARM is asked, as the desk checked it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AccessChange {
    /// `GET …/providers/Microsoft.Authorization/roleAssignments`.
    List,
    /// Microsoft Graph's users, groups and service principals matching `text` (2 to 100
    /// characters, trimmed).
    Search {
        /// A name, an e-mail address or an object ID, or their start.
        text: String,
    },
    /// `PUT …/roleAssignments/{new GUID}`: the assignment with `principalId` set.
    Add(NewRoleAssignment),
    /// `DELETE …/roleAssignments/{id}`.
    Remove {
        /// ARM's role assignment name (a GUID).
        id: String,
    },
}

/// A list, an addition or a removal the desk allows, to be asked of ARM in the customer's tenant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedAccess {
    /// The reservation order.
    pub order_id: String,
    /// Whose it is.
    pub customer_id: String,
    /// What to ask.
    pub change: AccessChange,
}

/// Whether `op` is one of Access control's operations, which Azure mode answers from ARM.
pub fn is_azure_access(op: Operation) -> bool {
    matches!(op, Operation::ListRoleAssignments | Operation::SearchPrincipals | Operation::AddRoleAssignment | Operation::RemoveRoleAssignment)
}

impl<S: Store, I: Ids> Desk<S, I> {
    /// Checks `op` (one of [`is_azure_access`]) on `params` with the JSON `request`, writing
    /// nothing: the caller's permission (a 404 for an order of a customer not granted to it, as
    /// for one that does not exist), the order known to the cache, and a new assignment's body.
    pub async fn check_azure_access(&self, call: &Call, op: Operation, params: &[String], request: Option<&str>) -> Result<CheckedAccess, DeskError> {
        self.check_azure_access_with(call, op, params, &[], request).await
    }

    /// [`Desk::check_azure_access`] with the request's `query` (a search's `search`).
    pub async fn check_azure_access_with(
        &self, call: &Call, op: Operation, params: &[String], query: &[(String, String)], request: Option<&str>,
    ) -> Result<CheckedAccess, DeskError> {
        if !is_azure_access(op) {
            return Err(DeskError::not_found("There is no such API endpoint."));
        }
        self.authorize(call, op, params, request).await?;
        let p = |i: usize| params.get(i).cloned().unwrap_or_default();
        let order_id = p(0);
        let customer_id = self.store.order_customer(&order_id).await?.ok_or_else(|| no_order(&order_id))?;
        let change = match op {
            Operation::ListRoleAssignments => AccessChange::List,
            Operation::SearchPrincipals => {
                let search = query.iter().find(|(k, _)| k == "search").map(|(_, v)| v.as_str());
                AccessChange::Search { text: access_control::search_text(search)? }
            }
            Operation::AddRoleAssignment => AccessChange::Add(access_control::validate_azure(&parse::<NewRoleAssignment>(request)?)?),
            _ => {
                let id = p(1);
                if !access_control::is_object_id(&id) {
                    return Err(DeskError::not_found(format!("Reservation order '{order_id}' has no role assignment '{id}'.")));
                }
                AccessChange::Remove { id: id.to_ascii_lowercase() }
            }
        };
        Ok(CheckedAccess { order_id, customer_id, change })
    }

    /// Records an addition or removal Azure made (`answer`: what it said, in a line, with its
    /// request IDs): one audit entry, as local mode writes it, saying it went through Azure.
    pub async fn record_azure_access(&self, call: &Call, checked: &CheckedAccess, assignment_id: &str, answer: &str) -> Result<(), DeskError> {
        let order_id = &checked.order_id;
        let target = format!("reservationOrders/{order_id}/roleAssignments/{assignment_id}");
        let (action, change, detail) = match &checked.change {
            AccessChange::Add(new) => (
                AuditAction::AddRoleAssignment,
                format!("{} ({:?}) gets {} — through Azure: {answer}", new.principal_name, new.principal_type, new.role.arm_name()),
                ChangeDetail::RoleAssigned { principal_name: new.principal_name.clone(), role: new.role },
            ),
            AccessChange::Remove { .. } => (AuditAction::RemoveRoleAssignment, format!("removed — through Azure: {answer}"), ChangeDetail::RoleRemoved),
            AccessChange::List | AccessChange::Search { .. } => return Ok(()),
        };
        let audit = audit_entry(call, action.code(), target, Some(checked.customer_id.clone()), change, detail);
        self.store
            .change_order(order_id, |_| Ok(Decision::Write(OrderWrite { reservations: Vec::new(), revisions: Vec::new(), audit: Some(audit), at: call.now }, ())))
            .await
    }
}
