//! New support request in Azure mode: the request goes to Microsoft as an Azure support ticket
//! (Microsoft.Support, in the customer's tenant, on behalf of the signed-in user) instead of
//! staying the desk's own record. The desk checks the request here as in local mode (the
//! caller's permission and grants, the reservation known to the cache, every field of the
//! wizard), writing nothing, and fixes the ticket's name before anything is sent; the adapter
//! asks Azure (`crates/server/src/source/support.rs`); then [`Desk::record_azure_support`] writes
//! the request with Azure's ticket and its audit entry in one write. Nothing is recorded before
//! Azure made the ticket, so a failed create leaves no request marked sent.
//!
//! **One ticket per request.** The ticket's name is derived from the request itself (customer,
//! reservation, summary, details, contact e-mail and who asks), so a submit retried after a lost
//! answer names the same ticket: Azure then says the name is taken, the adapter reads that ticket
//! back, and the desk answers the request it recorded for it (or records it now, when the answer
//! that would have recorded it was lost). Azure never gets a second ticket for one request.

use contract::{AuditAction, AzureSupportTicket, ChangeDetail, NewSupportRequest, Reservation, SupportRequest};
use desk_service::support;
use sha2::{Digest, Sha256};

use super::{audit_entry, no_reservation, timestamp, Desk};
use crate::dispatch::parse;
use crate::{Call, DeskError, Ids, Operation, Store};

/// Whether `op` is one of the support requests' operations Azure mode answers through Azure
/// (creating one files a ticket; reading one reads its ticket back).
pub fn is_azure_support(op: Operation) -> bool {
    matches!(op, Operation::CreateSupportRequest | Operation::GetSupportRequest)
}

/// A new support request the desk allows, to be filed with Microsoft.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedSupport {
    /// What was asked (the summary trimmed).
    pub request: NewSupportRequest,
    /// The reservation it is about, as the cache holds it.
    pub reservation: Reservation,
    /// The ticket's name, fixed by the request (see the module's comment).
    pub ticket_name: String,
}

/// The ticket name of `request` about a reservation of `customer_id` asked by `user_id`: a
/// GUID-shaped digest (the shape of the names Azure's portal gives tickets), the same for the same
/// request.
pub fn ticket_name(customer_id: &str, user_id: &str, request: &NewSupportRequest) -> String {
    let mut hash = Sha256::new();
    for part in [customer_id, user_id, &request.reservation_order_id, &request.reservation_id, request.summary.trim(), request.details.trim(), request.contact.email.trim()] {
        hash.update(part.as_bytes());
        hash.update([0u8]);
    }
    let hex: String = hash.finalize().iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}

impl<S: Store, I: Ids> Desk<S, I> {
    /// Checks a new support request (the JSON `request`) as local mode does, writing nothing: the
    /// caller's permission and grants (a reservation of a customer not granted is not found), the
    /// reservation in the cache, every field.
    pub async fn check_azure_support(&self, call: &Call, request: Option<&str>) -> Result<CheckedSupport, DeskError> {
        let acting = self.authorize(call, Operation::CreateSupportRequest, &[], request).await?;
        let mut new: NewSupportRequest = parse(request)?;
        let (reservation, _) = self
            .store
            .reservation(&new.reservation_order_id, &new.reservation_id)
            .await?
            .ok_or_else(|| no_reservation(&new.reservation_order_id, &new.reservation_id))?;
        support::validate(&new, &reservation)?;
        new.summary = new.summary.trim().to_owned();
        let who = acting.call.user.id.clone().unwrap_or_else(|| acting.call.user.user_principal_name.clone());
        let ticket_name = ticket_name(&reservation.customer_id, &who, &new);
        Ok(CheckedSupport { request: new, reservation, ticket_name })
    }

    /// The request already recorded for ticket `name` of `customer_id`, if one is (a retried
    /// submit).
    pub async fn support_request_of_ticket(&self, customer_id: &str, name: &str) -> Result<Option<SupportRequest>, DeskError> {
        let list = self.store.support_requests(Some(customer_id)).await?;
        Ok(list.into_iter().find(|s| s.azure_ticket.as_ref().is_some_and(|t| t.name.eq_ignore_ascii_case(name))))
    }

    /// Records the request Azure made `ticket` for: the request with the ticket, and its audit
    /// entry naming the ticket, in one write.
    pub async fn record_azure_support(&self, call: &Call, checked: &CheckedSupport, ticket: AzureSupportTicket) -> Result<SupportRequest, DeskError> {
        if let Some(recorded) = self.support_request_of_ticket(&checked.reservation.customer_id, &ticket.name).await? {
            return Ok(recorded);
        }
        let id = self.new_support_id(call.now);
        let mut created = support::create(checked.request.clone(), &checked.reservation, id, timestamp(call.now));
        let number = ticket.number.clone().unwrap_or_else(|| "?".into());
        let change = format!(
            "support request {}: {} — sent to Microsoft as Azure support ticket {number} ({}, subscription {})",
            created.id, created.request.summary, ticket.name, ticket.subscription_id
        );
        if let Some(status) = &ticket.status {
            created.status = status.clone();
        }
        created.azure_ticket = Some(ticket);
        let target = format!("supportRequests/{}", created.id);
        let detail = ChangeDetail::SupportRequest { summary: created.request.summary.clone() };
        let audit = audit_entry(call, AuditAction::CreateSupportRequest.code(), target, Some(created.customer_id.clone()), change, detail);
        self.store.add_support_request(&created, call.now, &audit).await?;
        Ok(created)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use contract::{ContactInformation, ContactMethod};

    fn request(summary: &str) -> NewSupportRequest {
        NewSupportRequest {
            summary: summary.into(),
            details: "Refund one unit.".into(),
            reservation_id: "r-1".into(),
            reservation_order_id: "o-1".into(),
            severity: Default::default(),
            attached_quote: None,
            contact: ContactInformation {
                preferred_contact_method: ContactMethod::Email,
                name: "Ada Lovelace".into(),
                email: "ada@contoso.com".into(),
                phone: String::new(),
                language: "en".into(),
                time_zone: "Europe/Berlin".into(),
                country: "DEU".into(),
            },
        }
    }

    #[test]
    fn a_request_names_one_ticket_and_another_request_another() {
        let a = ticket_name("c-1", "u-1", &request("Refund"));
        assert_eq!(a, ticket_name("c-1", "u-1", &request("  Refund ")), "the same request, retried");
        assert_ne!(a, ticket_name("c-1", "u-1", &request("Exchange")));
        assert_ne!(a, ticket_name("c-1", "u-2", &request("Refund")));
        assert_eq!(a.len(), 36);
        assert!(a.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-'));
    }
}
