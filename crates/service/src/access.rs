//! Who may do what: one table for both backends (the UI reads it too, to disable controls).
//! Which permission each operation needs is `desk::Operation::permission`.

use contract::{PartnerRole, User};

use crate::error::ServiceError;
use contract::ProblemCode;

/// What a request does, for the role check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Permission {
    /// See customers, reservations, limits, the catalog.
    Read,
    /// Ask for refund and exchange quotes (calculateRefund, calculateExchange).
    Quote,
    /// Move money: return, exchange.
    MoveMoney,
    /// Change a reservation's scope, name or renewal.
    ChangeReservation,
    /// Create support requests.
    SupportRequests,
    /// Manage role assignments.
    ManageAccess,
    /// Check the audit log's hash chain (Global admin only: it reads every customer's entries).
    VerifyAudit,
}

/// Whether `role` may do `permission`.
pub fn allows(role: PartnerRole, permission: Permission) -> bool {
    use Permission::*;
    match role {
        PartnerRole::GlobalAdmin => true,
        PartnerRole::AdminAgent => permission != VerifyAudit,
        PartnerRole::HelpdeskAgent => matches!(permission, Read | SupportRequests | ChangeReservation),
        PartnerRole::SalesAgent => matches!(permission, Read | Quote),
        PartnerRole::UserManagementAdmin => matches!(permission, Read | ManageAccess),
    }
}

/// Whether `user` may do `permission`: what any of its roles (`role` and `other_roles`) allows.
pub fn user_allows(user: &User, permission: Permission) -> bool {
    std::iter::once(&user.role).chain(&user.other_roles).any(|role| allows(*role, permission))
}

/// `Ok` when `user` may do `permission`, else a 403 that says which role can.
pub fn require(user: &User, permission: Permission) -> Result<(), ServiceError> {
    if user_allows(user, permission) {
        return Ok(());
    }
    let needed = match permission {
        Permission::Read => "any partner role",
        Permission::Quote => "Admin agent or Sales agent",
        Permission::MoveMoney => "Admin agent (or Global admin)",
        Permission::ChangeReservation => "Admin agent or Helpdesk agent",
        Permission::SupportRequests => "Admin agent or Helpdesk agent",
        Permission::ManageAccess => "Admin agent or User management admin",
        Permission::VerifyAudit => "Global admin",
    };
    let mut roles = format!("{:?}", user.role);
    for role in &user.other_roles {
        roles.push_str(&format!(" and {role:?}"));
    }
    Err(ServiceError::forbidden(format!("{} is signed in as {roles}; this needs {needed}.", user.display_name)))
}

/// The roles as the API documents name them, alphabetically (the order [`needs`] lists them in).
const ROLE_WORDS: [(PartnerRole, &str); 5] = [
    (PartnerRole::AdminAgent, "Admin agent"),
    (PartnerRole::GlobalAdmin, "Global admin"),
    (PartnerRole::HelpdeskAgent, "Helpdesk agent"),
    (PartnerRole::SalesAgent, "Sales agent"),
    (PartnerRole::UserManagementAdmin, "User management admin"),
];

/// Who may do `permission`, as the OpenAPI documents say it (e.g. "Needs Admin agent or Global
/// admin."), read from [`allows`]; `None` when every role may.
pub fn needs(permission: Permission) -> Option<String> {
    let roles: Vec<&str> = ROLE_WORDS.iter().filter(|(role, _)| allows(*role, permission)).map(|(_, words)| *words).collect();
    let (last, others) = roles.split_last().filter(|_| roles.len() < ROLE_WORDS.len())?;
    Some(if others.is_empty() { format!("Needs {last}.") } else { format!("Needs {} or {last}.", others.join(", ")) })
}

/// The signed-in user for a bearer token, or a 401.
pub fn authenticate(token: Option<&str>, demo_users: bool) -> Result<User, ServiceError> {
    let token = token.ok_or_else(|| ServiceError::unauthorized(ProblemCode::SignInRequired, "Sign in: send 'Authorization: Bearer <token>'."))?;
    demo_users
        .then(|| contract::demo_user(token))
        .flatten()
        .ok_or_else(|| ServiceError::unauthorized(ProblemCode::TokenInvalid, "The token is not valid; sign in again."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_gets_what_the_issue_lists_and_nothing_more() {
        use Permission::*;
        let all = [Read, Quote, MoveMoney, ChangeReservation, SupportRequests, ManageAccess, VerifyAudit];
        let granted = |role| all.iter().copied().filter(|p| allows(role, *p)).collect::<Vec<_>>();
        assert_eq!(granted(PartnerRole::GlobalAdmin), all);
        assert_eq!(granted(PartnerRole::AdminAgent), [Read, Quote, MoveMoney, ChangeReservation, SupportRequests, ManageAccess]);
        assert_eq!(granted(PartnerRole::HelpdeskAgent), [Read, ChangeReservation, SupportRequests]);
        assert_eq!(granted(PartnerRole::SalesAgent), [Read, Quote]);
        assert_eq!(granted(PartnerRole::UserManagementAdmin), [Read, ManageAccess]);
    }

    #[test]
    fn what_a_permission_needs_is_read_from_the_role_table() {
        assert_eq!(needs(Permission::Read), None);
        assert_eq!(needs(Permission::MoveMoney).as_deref(), Some("Needs Admin agent or Global admin."));
        assert_eq!(needs(Permission::Quote).as_deref(), Some("Needs Admin agent, Global admin or Sales agent."));
        assert_eq!(needs(Permission::ChangeReservation).as_deref(), Some("Needs Admin agent, Global admin or Helpdesk agent."));
        assert_eq!(needs(Permission::VerifyAudit).as_deref(), Some("Needs Global admin."));
    }

    #[test]
    fn tokens_are_checked_and_demo_users_can_be_turned_off() {
        assert_eq!(authenticate(None, true).unwrap_err().status(), 401);
        assert_eq!(authenticate(Some("nope"), true).unwrap_err().status(), 401);
        assert_eq!(authenticate(Some("demo-sales-agent"), true).unwrap().role, PartnerRole::SalesAgent);
        assert_eq!(authenticate(Some("demo-sales-agent"), false).unwrap_err().status(), 401);
        let sales = authenticate(Some("demo-sales-agent"), true).unwrap();
        let refused = require(&sales, Permission::MoveMoney).unwrap_err();
        assert_eq!(refused.status(), 403);
        assert!(refused.to_string().contains("Admin agent"));
    }

    #[test]
    fn several_narrower_roles_allow_what_any_of_them_allows() {
        let mut user = authenticate(Some("demo-helpdesk-agent"), true).unwrap();
        assert!(require(&user, Permission::Quote).is_err());
        user.other_roles = vec![PartnerRole::SalesAgent];
        assert!(require(&user, Permission::Quote).is_ok() && require(&user, Permission::SupportRequests).is_ok());
        let refused = require(&user, Permission::MoveMoney).unwrap_err();
        assert!(refused.to_string().contains("HelpdeskAgent and SalesAgent"), "{refused}");
    }
}
