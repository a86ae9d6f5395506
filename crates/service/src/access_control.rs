//! Role assignments on reservation orders: the seeded ones and the checks on a new one.

use contract::{NewRoleAssignment, PrincipalType, ReservationRole, RoleAssignment};

use crate::error::ServiceError;
use contract::ProblemCode;
use crate::hash;

/// The assignments a seeded order starts with: the customer's admin as Owner and their
/// finance group as Reservations Reader.
pub fn seeded(order_id: &str, customer_domain: &str) -> Vec<RoleAssignment> {
    let make = |name: String, principal_type, role, n: u32| {
        let assignment = NewRoleAssignment { principal_name: name, principal_type, role, principal_id: None };
        RoleAssignment::local(hash::guid(&format!("role-assignment/{order_id}/{n}")), order_id, assignment)
    };
    vec![
        make(format!("admin@{customer_domain}"), PrincipalType::User, ReservationRole::Owner, 0),
        make("Finance team".into(), PrincipalType::Group, ReservationRole::ReservationsReader, 1),
    ]
}

/// The role and kind a new assignment names: one of the six roles that apply to reservations
/// and a user, group or application.
fn offered(new: &NewRoleAssignment) -> Result<(), ServiceError> {
    if !ReservationRole::OFFERED.contains(&new.role) {
        return Err(ServiceError::invalid(ProblemCode::MalformedRequest, "role", "Choose one of the roles that apply to reservations: Owner, Contributor, Reader, Reservations Administrator, Reservations Reader or Reservation Purchaser."));
    }
    if !PrincipalType::ASSIGNABLE.contains(&new.principal_type) {
        return Err(ServiceError::invalid(ProblemCode::MalformedRequest, "principalType", "A role is given to a user, a group or an application."));
    }
    Ok(())
}

/// Whether `id` is a GUID as Microsoft Entra ID's object IDs are (`8-4-4-4-12` hexadecimal).
pub fn is_object_id(id: &str) -> bool {
    let parts: Vec<&str> = id.split('-').collect();
    parts.len() == 5
        && parts.iter().zip([8, 4, 4, 4, 12]).all(|(p, n)| p.len() == n && p.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Checks a new assignment made through ARM (Azure mode): one of the six roles, a user, group or
/// application, named by its object ID in the customer's directory (`principalId`, else a
/// `principalName` that is one). The desk cannot look a name or an e-mail address up there: the
/// consent it holds in a customer's tenant is ARM's only. The assignment with `principalId` set
/// (lowercase) and `principalName` the same.
pub fn validate_azure(new: &NewRoleAssignment) -> Result<NewRoleAssignment, ServiceError> {
    offered(new)?;
    let given = new.principal_id.as_deref().map(str::trim).filter(|id| !id.is_empty()).unwrap_or_else(|| new.principal_name.trim());
    if !is_object_id(given) {
        return Err(ServiceError::invalid(
            ProblemCode::InvalidPrincipal,
            "principalId",
            "In Azure mode a principal is named by its object ID in the customer's Microsoft Entra directory (a GUID such as \
             ce2ce14e-85d7-4629-bdbc-454d0519d987); the desk cannot look names or e-mail addresses up there.",
        ));
    }
    let id = given.to_ascii_lowercase();
    Ok(NewRoleAssignment { principal_name: id.clone(), principal_id: Some(id), ..new.clone() })
}

/// Checks a new assignment against the order's `existing` ones; the trimmed assignment.
pub fn validate(new: &NewRoleAssignment, existing: &[RoleAssignment]) -> Result<NewRoleAssignment, ServiceError> {
    offered(new)?;
    let name = new.principal_name.trim();
    if name.is_empty() || name.chars().count() > 256 {
        return Err(ServiceError::invalid(ProblemCode::Required, "principalName", "Enter who gets access (1 to 256 characters)."));
    }
    if new.principal_type == PrincipalType::User && !name.contains('@') {
        return Err(ServiceError::invalid(ProblemCode::InvalidPrincipal, "principalName", "A user is named by their sign-in address, e.g. ada@contoso.com."));
    }
    let duplicate = existing.iter().any(|a| {
        a.assignment.role == new.role && a.assignment.principal_name.eq_ignore_ascii_case(name)
    });
    if duplicate {
        return Err(ServiceError::new(ProblemCode::AlreadyAssigned, format!("{name} already has this role on this reservation order.")));
    }
    Ok(NewRoleAssignment { principal_name: name.to_owned(), principal_id: None, ..new.clone() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new(name: &str, t: PrincipalType, role: ReservationRole) -> NewRoleAssignment {
        NewRoleAssignment { principal_name: name.into(), principal_type: t, role, principal_id: None }
    }

    #[test]
    fn names_are_checked_and_a_role_is_held_once() {
        let existing = seeded("o", "contoso.com");
        assert_eq!(existing.len(), 2);
        let ok = validate(&new(" ada@contoso.com ", PrincipalType::User, ReservationRole::Reader), &existing).unwrap();
        assert_eq!(ok.principal_name, "ada@contoso.com");
        let not_an_address = validate(&new("ada", PrincipalType::User, ReservationRole::Reader), &existing);
        assert_eq!(not_an_address.unwrap_err().field(), Some("principalName"));
        assert!(validate(&new("ops", PrincipalType::Group, ReservationRole::Reader), &existing).is_ok());
        let twice = validate(&new("ADMIN@contoso.com", PrincipalType::User, ReservationRole::Owner), &existing);
        assert_eq!(twice.unwrap_err().status(), 409);
        let other = validate(&new("x@contoso.com", PrincipalType::User, ReservationRole::Other), &existing);
        assert_eq!(other.unwrap_err().field(), Some("role"), "a role outside the six is never given");
        let foreign = validate(&new("partners", PrincipalType::ForeignGroup, ReservationRole::Reader), &existing);
        assert_eq!(foreign.unwrap_err().field(), Some("principalType"));
    }

    #[test]
    fn through_arm_a_principal_is_its_object_id() {
        let by_name = validate_azure(&new("ada@contoso.com", PrincipalType::User, ReservationRole::ReservationsReader));
        assert_eq!(by_name.unwrap_err().field(), Some("principalId"), "no directory look-up in the customer's tenant");
        let guid = "CE2CE14E-85D7-4629-BDBC-454D0519D987";
        let by_id = validate_azure(&new(guid, PrincipalType::Group, ReservationRole::ReservationPurchaser)).unwrap();
        assert_eq!((by_id.principal_id.as_deref(), by_id.principal_name.as_str()), (Some("ce2ce14e-85d7-4629-bdbc-454d0519d987"), "ce2ce14e-85d7-4629-bdbc-454d0519d987"));
        let mut named = new("Finance team", PrincipalType::Group, ReservationRole::Reader);
        named.principal_id = Some(guid.into());
        assert!(validate_azure(&named).is_ok(), "principalId wins over the name");
        assert!(!is_object_id("ce2ce14e-85d7-4629-bdbc-454d0519d98"));
        assert!(!is_object_id("../../roleAssignments"));
    }
}
