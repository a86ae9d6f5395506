//! Role assignments on reservation orders: the seeded ones and the checks on a new one.

use contract::{NewRoleAssignment, Principal, PrincipalSearch, PrincipalType, ReservationRole, RoleAssignment};

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

/// The demo's people in a customer's directory (local mode's people picker; part of the demo
/// seed, never in Azure mode, where Microsoft Graph answers): two users and the customer's admin,
/// the finance group the seeded orders name, and an application. Each with a stable object ID.
pub fn demo_people(customer_domain: &str) -> Vec<Principal> {
    let person = |n: u32, name: &str, local: Option<&str>, principal_type| Principal {
        id: hash::guid(&format!("person/{customer_domain}/{n}")),
        display_name: name.to_owned(),
        principal_type,
        email: local.map(|l| format!("{l}@{customer_domain}")),
        app_id: None,
    };
    vec![
        person(0, "Ada Lovelace", Some("ada"), PrincipalType::User),
        person(1, "Grace Hopper", Some("grace"), PrincipalType::User),
        person(2, "Customer admin", Some("admin"), PrincipalType::User),
        person(3, "Finance team", Some("finance"), PrincipalType::Group),
        person(4, "Reservations automation", None, PrincipalType::ServicePrincipal),
    ]
}

/// The fewest characters a search of the directory takes.
pub const SHORTEST_SEARCH: usize = 2;

/// The text of a people-picker search: 2 to 100 characters once control characters (which no
/// name, address or ID holds, and which Microsoft Graph's `$search` cannot take) are left out
/// and it is trimmed. A search of nothing but those is refused before any directory is asked.
pub fn search_text(raw: Option<&str>) -> Result<String, ServiceError> {
    let text: String = raw.unwrap_or_default().chars().filter(|c| !c.is_control()).collect();
    let text = text.trim();
    let n = text.chars().count();
    if !(SHORTEST_SEARCH..=100).contains(&n) {
        return Err(ServiceError::invalid(ProblemCode::Required, "search", "Type at least 2 characters of a name or e-mail address (at most 100)."));
    }
    Ok(text.to_owned())
}

/// Local mode's search: the demo's people of `customer_domain` whose name or e-mail contains
/// `text` (any case), users first, then groups and applications, as Graph's answer is ordered.
pub fn search_demo(customer_domain: &str, text: &str) -> PrincipalSearch {
    let needle = text.to_lowercase();
    let hit = |p: &Principal| {
        p.display_name.to_lowercase().contains(&needle) || p.email.as_deref().is_some_and(|e| e.to_lowercase().contains(&needle)) || p.id == needle
    };
    let mut principals: Vec<Principal> = demo_people(customer_domain).into_iter().filter(hit).collect();
    principals.sort_by_key(|p| PrincipalType::ASSIGNABLE.iter().position(|t| *t == p.principal_type));
    PrincipalSearch { principals, refused: Vec::new() }
}

/// Local mode's list with the demo's names and e-mails: an assignment naming a demo person by
/// e-mail (a user) or name (a group, an application) is shown with both.
pub fn named_demo(customer_domain: &str, assignments: Vec<RoleAssignment>) -> Vec<RoleAssignment> {
    let people = demo_people(customer_domain);
    assignments
        .into_iter()
        .map(|mut a| {
            let name = &a.assignment.principal_name;
            let found = people.iter().find(|p| {
                p.principal_type == a.assignment.principal_type && (p.email.as_deref().is_some_and(|e| e.eq_ignore_ascii_case(name)) || p.display_name.eq_ignore_ascii_case(name))
            });
            if let Some(p) = found {
                a.display_name = Some(p.display_name.clone());
                a.email = p.email.clone();
            }
            a
        })
        .collect()
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
/// `principalName` that is one): ARM's role assignment names the object ID, which the people
/// picker found by name or e-mail through Microsoft Graph, or which was typed where Graph could
/// not be read. The assignment with `principalId` set (lowercase) and `principalName` the name
/// given beside it (what the audit entry says), else the object ID.
pub fn validate_azure(new: &NewRoleAssignment) -> Result<NewRoleAssignment, ServiceError> {
    offered(new)?;
    let given = new.principal_id.as_deref().map(str::trim).filter(|id| !id.is_empty()).unwrap_or_else(|| new.principal_name.trim());
    if !is_object_id(given) {
        return Err(ServiceError::invalid(
            ProblemCode::InvalidPrincipal,
            "principalId",
            "In Azure mode a principal is named by its object ID in the customer's Microsoft Entra directory (a GUID such as \
             ce2ce14e-85d7-4629-bdbc-454d0519d987): choose the principal found by name or e-mail, or type its object ID.",
        ));
    }
    let id = given.to_ascii_lowercase();
    let name = new.principal_name.trim();
    let name = if name.is_empty() || name.chars().count() > 256 || name.eq_ignore_ascii_case(&id) { id.clone() } else { name.to_owned() };
    Ok(NewRoleAssignment { principal_name: name, principal_id: Some(id), ..new.clone() })
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
        assert_eq!(by_name.unwrap_err().field(), Some("principalId"), "ARM is asked with the object ID the picker found");
        let guid = "CE2CE14E-85D7-4629-BDBC-454D0519D987";
        let by_id = validate_azure(&new(guid, PrincipalType::Group, ReservationRole::ReservationPurchaser)).unwrap();
        assert_eq!((by_id.principal_id.as_deref(), by_id.principal_name.as_str()), (Some("ce2ce14e-85d7-4629-bdbc-454d0519d987"), "ce2ce14e-85d7-4629-bdbc-454d0519d987"));
        let mut named = new(" Finance team ", PrincipalType::Group, ReservationRole::Reader);
        named.principal_id = Some(guid.into());
        let named = validate_azure(&named).unwrap();
        assert_eq!((named.principal_id.as_deref(), named.principal_name.as_str()), (Some("ce2ce14e-85d7-4629-bdbc-454d0519d987"), "Finance team"), "principalId is asked, the name kept for the audit");
        assert!(!is_object_id("ce2ce14e-85d7-4629-bdbc-454d0519d98"));
        assert!(!is_object_id("../../roleAssignments"));
    }

    #[test]
    fn the_demos_people_are_found_by_name_or_e_mail_and_name_the_seeded_assignments() {
        let found = search_demo("contoso.com", "ADA");
        assert_eq!(found.principals.len(), 1);
        assert_eq!((found.principals[0].display_name.as_str(), found.principals[0].email.as_deref()), ("Ada Lovelace", Some("ada@contoso.com")));
        let kinds: Vec<PrincipalType> = search_demo("contoso.com", "contoso.com").principals.iter().map(|p| p.principal_type).collect();
        assert_eq!(kinds, vec![PrincipalType::User, PrincipalType::User, PrincipalType::User, PrincipalType::Group], "users first");
        assert!(search_demo("contoso.com", "automation").principals[0].email.is_none());
        assert!(search_demo("contoso.com", "nobody").principals.is_empty());
        assert_eq!(demo_people("contoso.com")[0].id, demo_people("contoso.com")[0].id, "stable IDs");
        assert_ne!(demo_people("contoso.com")[0].id, demo_people("fabrikam.com")[0].id);
        let named = named_demo("contoso.com", seeded("o", "contoso.com"));
        let shown: Vec<(Option<&str>, Option<&str>)> = named.iter().map(|a| (a.display_name.as_deref(), a.email.as_deref())).collect();
        assert_eq!(shown, vec![(Some("Customer admin"), Some("admin@contoso.com")), (Some("Finance team"), Some("finance@contoso.com"))]);
        assert_eq!(search_text(Some(" a ")).unwrap_err().field(), Some("search"));
        assert!(search_text(None).is_err());
        assert_eq!(search_text(Some(" ad ")).unwrap(), "ad");
    }

    #[test]
    fn a_search_of_nothing_graph_can_take_is_refused_and_quotes_are_kept_for_escaping() {
        assert_eq!(search_text(Some("\u{1}\u{2}\t")).unwrap_err().field(), Some("search"), "control characters only: nothing to search");
        assert_eq!(search_text(Some("a\u{0}")).unwrap_err().field(), Some("search"), "one character once they are out");
        assert_eq!(search_text(Some("a\u{7}\"b\\")).unwrap(), "a\"b\\", "a quote and a backslash are searched (escaped for Graph)");
    }
}
