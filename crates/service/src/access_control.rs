//! Role assignments on reservation orders: the seeded ones and the checks on a new one.

use contract::{NewRoleAssignment, PrincipalType, ReservationRole, RoleAssignment};

use crate::error::ServiceError;
use contract::ProblemCode;
use crate::hash;

/// The assignments a seeded order starts with: the customer's admin as Owner and their
/// finance group as Reservations Reader.
pub fn seeded(order_id: &str, customer_domain: &str) -> Vec<RoleAssignment> {
    let make = |name: String, principal_type, role, n: u32| RoleAssignment {
        id: hash::guid(&format!("role-assignment/{order_id}/{n}")),
        reservation_order_id: order_id.to_owned(),
        assignment: NewRoleAssignment { principal_name: name, principal_type, role },
    };
    vec![
        make(format!("admin@{customer_domain}"), PrincipalType::User, ReservationRole::Owner, 0),
        make("Finance team".into(), PrincipalType::Group, ReservationRole::ReservationsReader, 1),
    ]
}

/// Checks a new assignment against the order's `existing` ones; the trimmed assignment.
pub fn validate(new: &NewRoleAssignment, existing: &[RoleAssignment]) -> Result<NewRoleAssignment, ServiceError> {
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
    Ok(NewRoleAssignment { principal_name: name.to_owned(), ..new.clone() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new(name: &str, t: PrincipalType, role: ReservationRole) -> NewRoleAssignment {
        NewRoleAssignment { principal_name: name.into(), principal_type: t, role }
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
    }
}
