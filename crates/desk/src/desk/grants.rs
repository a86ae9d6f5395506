//! Grants: which security groups see which customers, and in which role (`/grants`, Global
//! admin). Each change is audited with the customer it names (none for all customers). How a
//! grant limits a caller is `reach.rs`.

use contract::AuditAction;
use contract::{Grant, NewGrant, ProblemCode};
use desk_service::{access, ServiceError};

use super::{audit_entry, Desk};
use crate::{Call, DeskError, Ids, Store};

fn no_grant(id: &str) -> DeskError {
    DeskError::not_found(format!("There is no grant '{id}'."))
}

impl<S: Store, I: Ids> Desk<S, I> {
    /// `GET /grants`: oldest first.
    pub async fn grants(&self) -> Result<Vec<Grant>, DeskError> {
        Ok(self.store.grants().await?)
    }

    /// What a grant gives, as its audit entry says it ("AdminAgent on Contoso Ltd (…)"), and as
    /// its detail does (`granted` or removed).
    async fn grant_words(&self, grant: &Grant, granted: bool) -> Result<(String, contract::ChangeDetail), DeskError> {
        let customer = match &grant.customer_id {
            Some(id) => self.store.customer(id).await?.map(|c| c.name),
            None => None,
        };
        let on = match (&grant.customer_id, &customer) {
            (Some(id), Some(name)) => format!("customer {name} ({id})"),
            (Some(id), None) => format!("customer {id}"),
            (None, _) => "all customers".to_owned(),
        };
        let detail = contract::ChangeDetail::Grant {
            granted,
            group_id: grant.group_id.clone(),
            role: grant.role,
            customer_name: customer.or_else(|| grant.customer_id.clone()),
        };
        Ok((format!("group {} as {:?} on {on}", grant.group_id, grant.role), detail))
    }

    /// `POST /grants`: the group's object ID must be a GUID; the customer, when named, must exist.
    pub async fn create_grant(&self, call: &Call, new: NewGrant) -> Result<Grant, DeskError> {
        let group_id = new.group_id.trim().to_ascii_lowercase();
        if !access::is_guid(&group_id) {
            let detail = "Name the security group by its object ID, a GUID such as 7a1c9e20-3b4d-4c5e-8f60-71829304a5b6.";
            return Err(ServiceError::invalid(ProblemCode::InvalidGroupId, "groupId", detail).into());
        }
        let customer_id = match new.customer_id.as_deref().map(str::trim) {
            Some(id) => Some(self.customer(id).await?.id),
            None => None,
        };
        let grant = Grant { id: self.new_id(), group_id, customer_id, role: new.role };
        let (words, detail) = self.grant_words(&grant, true).await?;
        let audit = audit_entry(call, AuditAction::AddGrant.code(), format!("grants/{}", grant.id), grant.customer_id.clone(), format!("granted {words}"), detail);
        if !self.store.add_grant(&grant, call.now, &audit).await? {
            let detail = "The group already holds this role on this customer.";
            return Err(ServiceError::new(ProblemCode::AlreadyGranted, detail).into());
        }
        Ok(grant)
    }

    /// `DELETE /grants/{grantId}`.
    pub async fn delete_grant(&self, call: &Call, id: &str) -> Result<(), DeskError> {
        let grant = self.store.grants().await?.into_iter().find(|g| g.id == id).ok_or_else(|| no_grant(id))?;
        let (words, detail) = self.grant_words(&grant, false).await?;
        let audit = audit_entry(call, AuditAction::RemoveGrant.code(), format!("grants/{id}"), grant.customer_id.clone(), format!("removed {words}"), detail);
        if self.store.remove_grant(id, call.now, &audit).await? {
            Ok(())
        } else {
            Err(no_grant(id))
        }
    }
}
