//! Who may do what: one table for both backends (the UI reads it too, to disable controls).
//! Which permission each operation needs is `desk::Operation::permission`.
//!
//! And who the caller is, as far as roles go: the demo users behind their fixed tokens
//! ([`DEMO_USERS`], [`authenticate`]) and the user an identity provider's token stands for
//! ([`user_of`] its claims; the server's `oidc.rs` checks the token itself).

use contract::{Grant, PartnerRole, User};
use serde::Deserialize;

use crate::error::ServiceError;
use contract::ProblemCode;

/// What a request does, for the role check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Permission {
    /// See customers, reservations, limits, the catalog.
    Read,
    /// Ask for refund, exchange and purchase quotes (calculateRefund, calculateExchange,
    /// calculatePurchase).
    Quote,
    /// Move money: return, exchange, purchase.
    MoveMoney,
    /// Change a reservation's scope, name or renewal.
    ChangeReservation,
    /// Create support requests.
    SupportRequests,
    /// Manage role assignments.
    ManageAccess,
    /// Check the audit log's hash chain (Global admin only: it reads every customer's entries).
    VerifyAudit,
    /// List, add and remove grants: which groups see which customers (Global admin only).
    ManageGrants,
    /// See every customer's readiness for Azure mode and what fixes it (Global admin and Admin
    /// agents: the roles that get Azure rights in a customer's tenant).
    ReadReadiness,
    /// Consent the desk's API app in customers' tenants through Partner Center (Global admin
    /// only: Partner Center asks an admin agent of the partner, and the consent opens every
    /// customer's Azure to the desk).
    ConsentApp,
    /// Set the team's state on the partner's worklist (snooze, done, owner, note): Global admin
    /// and Admin agents, the roles that act on what the worklist lists.
    WorkTheList,
    /// Set the partner's price for a customer or for all (Global admin only: it is what every
    /// customer is charged).
    SetPricing,
}

/// Whether `role` may do `permission`.
pub fn allows(role: PartnerRole, permission: Permission) -> bool {
    use Permission::*;
    match role {
        PartnerRole::GlobalAdmin => true,
        PartnerRole::AdminAgent => !matches!(permission, VerifyAudit | ManageGrants | ConsentApp | SetPricing),
        PartnerRole::HelpdeskAgent => matches!(permission, Read | SupportRequests | ChangeReservation),
        PartnerRole::SalesAgent => matches!(permission, Read | Quote),
        PartnerRole::UserManagementAdmin => matches!(permission, Read | ManageAccess),
    }
}

/// Whether a read-only pilot of Azure mode refuses what needs `permission`: everything that
/// would change the partner's Azure (money moves and their approvals, configuration changes,
/// splits, merges, archiving, role assignments). Reads, quotes and the desk's own records
/// (support requests, grants, alert subscriptions) stay. The server refuses by it
/// (`readOnlyPilot`) and the console disables by it, saying why.
pub fn read_only_pilot_refuses(permission: Permission) -> bool {
    matches!(permission, Permission::MoveMoney | Permission::ChangeReservation | Permission::ManageAccess)
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
    // The roles that may, read from the permission table as the OpenAPI documents' words are.
    let needed = who_may(permission).unwrap_or_else(|| "any partner role".to_owned());
    let mut roles = format!("{:?}", user.role);
    for role in &user.other_roles {
        roles.push_str(&format!(" and {role:?}"));
    }
    Err(ServiceError::forbidden(format!("{} is signed in as {roles}; this needs {needed}.", user.display_name)))
}

/// The demo users and their fixed bearer tokens (a deployment turns them off): token, sign-in
/// name, display name, role.
pub const DEMO_USERS: &[(&str, &str, &str, PartnerRole)] = &[
    ("demo-global-admin", "gina.admin@partner.example", "Gina Global", PartnerRole::GlobalAdmin),
    ("demo-admin-agent", "adam.agent@partner.example", "Adam Agent", PartnerRole::AdminAgent),
    ("demo-helpdesk-agent", "hana.helpdesk@partner.example", "Hana Helpdesk", PartnerRole::HelpdeskAgent),
    ("demo-sales-agent", "sam.sales@partner.example", "Sam Sales", PartnerRole::SalesAgent),
    ("demo-user-management-admin", "uma.users@partner.example", "Uma Users", PartnerRole::UserManagementAdmin),
    (DEMO_LIMITED_TOKEN, "casey.accounts@partner.example", "Casey Accounts", PartnerRole::AdminAgent),
];

/// The demo user limited by grants to two customers (Contoso and Fabrikam): a member of
/// [`DEMO_LIMITED_GROUP`], whose grants the seed adds (`seed::demo_grants`).
pub const DEMO_LIMITED_TOKEN: &str = "demo-contoso-fabrikam-agent";

/// The demo security group "Contoso and Fabrikam agents" (an Entra ID object ID's shape).
pub const DEMO_LIMITED_GROUP: &str = "7a1c9e20-3b4d-4c5e-8f60-71829304a5b6";

/// The groups of the demo user a token stands for (only the limited one has any).
fn demo_groups(token: &str) -> Vec<String> {
    if token == DEMO_LIMITED_TOKEN {
        vec![DEMO_LIMITED_GROUP.to_owned()]
    } else {
        Vec::new()
    }
}

/// The demo user a token stands for.
pub fn demo_user(token: &str) -> Option<User> {
    DEMO_USERS.iter().find(|(t, ..)| *t == token).map(|(_, upn, name, role)| User {
        user_principal_name: (*upn).to_owned(),
        display_name: (*name).to_owned(),
        role: *role,
        id: None,
        other_roles: Vec::new(),
        groups: demo_groups(token),
    })
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
    who_may(permission).map(|roles| format!("Needs {roles}."))
}

/// The roles [`allows`] gives `permission` ("Admin agent, Global admin or Helpdesk agent"), or
/// `None` when every role may.
fn who_may(permission: Permission) -> Option<String> {
    let roles: Vec<&str> = ROLE_WORDS.iter().filter(|(role, _)| allows(*role, permission)).map(|(_, words)| *words).collect();
    let (last, others) = roles.split_last().filter(|_| roles.len() < ROLE_WORDS.len())?;
    Some(if others.is_empty() { (*last).to_owned() } else { format!("{} or {last}", others.join(", ")) })
}

/// The signed-in demo user for a bearer token (when `demo_users` are on), or a 401.
pub fn authenticate(token: Option<&str>, demo_users: bool) -> Result<User, ServiceError> {
    let token = token.ok_or_else(|| ServiceError::new(ProblemCode::SignInRequired, "Sign in: send 'Authorization: Bearer <token>'."))?;
    demo_users
        .then(|| demo_user(token))
        .flatten()
        .ok_or_else(|| ServiceError::new(ProblemCode::TokenInvalid, "The token is not valid; sign in again."))
}

/// The app roles an identity provider's token may carry in its `roles` claim (Entra ID app
/// roles), most permitted first.
pub const APP_ROLES: [(&str, PartnerRole); 5] = [
    ("GlobalAdmin", PartnerRole::GlobalAdmin),
    ("AdminAgent", PartnerRole::AdminAgent),
    ("HelpdeskAgent", PartnerRole::HelpdeskAgent),
    ("SalesAgent", PartnerRole::SalesAgent),
    ("UserManagementAdmin", PartnerRole::UserManagementAdmin),
];

/// What a verified access token says about its holder: the claims [`user_of`] reads (the
/// server's `oidc::Claims` adds the ones it checks, `exp` and `nbf`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct TokenClaims {
    /// Entra ID's object ID of the user.
    pub oid: Option<String>,
    /// The subject.
    pub sub: Option<String>,
    /// The user's name.
    pub name: Option<String>,
    /// The user's sign-in name.
    pub preferred_username: Option<String>,
    /// Entra ID's user principal name (v1 tokens).
    pub upn: Option<String>,
    /// The app roles (a list; a single string is taken as one).
    #[serde(default, deserialize_with = "one_or_many")]
    pub roles: Vec<String>,
    /// The security groups' object IDs (Entra ID's `groups` claim, when the app registration
    /// emits it).
    #[serde(default, deserialize_with = "one_or_many")]
    pub groups: Vec<String>,
    /// Where claims too large for the token are to be fetched: Entra ID names `groups` here
    /// instead of sending them when the user is in more than 200 groups (the overage claim).
    #[serde(default, rename = "_claim_names")]
    pub claim_names: Option<serde_json::Map<String, serde_json::Value>>,
    /// Entra ID's overage marker in implicit-flow tokens.
    #[serde(default)]
    pub hasgroups: Option<bool>,
}

/// The group a user stands in when its token says it has groups without listing them (Entra ID's
/// overage claim). It is not a GUID, so no grant can name it: once grants exist, such a user
/// reaches no customer (grants fail closed) instead of every customer.
pub const GROUP_OVERAGE: &str = "groups-overage";

fn one_or_many<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match Option::<OneOrMany>::deserialize(deserializer)? {
        None => Vec::new(),
        Some(OneOrMany::One(role)) => vec![role],
        Some(OneOrMany::Many(roles)) => roles,
    })
}

/// The user `claims` stand for, or a 403 when they hold no partner role (a 401 when they name
/// no user). The ID is `oid` (else `sub`), the name `name` (else `preferred_username`), the roles
/// the [`APP_ROLES`] named in `roles`. Several roles: `role` is the most permitted; Global admin
/// and Admin agent each allow everything the narrower ones do, so beside them nothing else
/// counts; the narrower ones (Helpdesk agent, Sales agent, User management admin) add up
/// (`User::other_roles`).
pub fn user_of(claims: &TokenClaims) -> Result<User, ServiceError> {
    let non_empty = |v: &Option<String>| v.as_ref().filter(|s| !s.trim().is_empty()).cloned();
    let id = non_empty(&claims.oid)
        .or_else(|| non_empty(&claims.sub))
        .ok_or_else(|| ServiceError::new(ProblemCode::TokenInvalid, "The token names no user (no oid or sub); sign in again."))?;
    let display_name = non_empty(&claims.name).or_else(|| non_empty(&claims.preferred_username)).unwrap_or_else(|| id.clone());
    let held: Vec<PartnerRole> =
        APP_ROLES.iter().filter(|(name, _)| claims.roles.iter().any(|r| r == name)).map(|(_, role)| *role).collect();
    if held.is_empty() {
        return Err(ServiceError::forbidden(format!(
            "{display_name} is signed in but holds no role of this desk: an administrator assigns one of the app roles {}.",
            APP_ROLES.map(|(name, _)| name).join(", ")
        )));
    }
    let (role, other_roles) = most_permitted(held).unwrap_or((PartnerRole::SalesAgent, Vec::new()));
    Ok(User {
        user_principal_name: non_empty(&claims.preferred_username).or_else(|| non_empty(&claims.upn)).unwrap_or_else(|| id.clone()),
        display_name,
        role,
        id: Some(id),
        other_roles,
        groups: {
            let mut groups: Vec<String> =
                claims.groups.iter().map(|g| g.trim().to_ascii_lowercase()).filter(|g| !g.is_empty()).collect();
            let overage = claims.hasgroups == Some(true) || claims.claim_names.as_ref().is_some_and(|names| names.contains_key("groups"));
            if overage && groups.is_empty() {
                groups.push(GROUP_OVERAGE.to_owned());
            }
            groups
        },
    })
}

/// Roles held together as a [`User`] carries them: the most permitted (in [`APP_ROLES`] order)
/// and, beside a narrower one, the other narrower ones (Global admin and Admin agent each allow
/// everything those do). `None` for no role.
fn most_permitted(held: Vec<PartnerRole>) -> Option<(PartnerRole, Vec<PartnerRole>)> {
    let mut held: Vec<PartnerRole> = APP_ROLES.iter().map(|(_, role)| *role).filter(|role| held.contains(role)).collect();
    if held.is_empty() {
        return None;
    }
    let role = held.remove(0);
    if matches!(role, PartnerRole::GlobalAdmin | PartnerRole::AdminAgent) {
        held.clear();
    }
    Some((role, held))
}

/// Whether grants govern `user`, given every grant the deployment holds: a user whose token names
/// security groups, as soon as the deployment holds any grant. It fails closed: a user whose
/// groups hold no grant (or no longer hold one, once the last was removed) reaches no customer,
/// never every customer. A token without groups (a user assigned the app role directly, or every
/// demo user but the limited one) keeps the token's roles on every customer, and so does
/// everyone while no grant exists: the desk as it was before grants.
pub fn governed_by_grants(user: &User, all_grants: &[Grant]) -> bool {
    !user.groups.is_empty() && !all_grants.is_empty()
}

/// The user as it acts on `customer_id` (`None`: every customer) while grants govern it: with
/// the roles its groups' `grants` give on that customer (or on all customers, for `None`), the
/// most permitted first; `None` when they give none, and the customer is, to this user, one that
/// does not exist.
pub fn on_customer(user: &User, grants: &[Grant], customer_id: Option<&str>) -> Option<User> {
    let roles = grants
        .iter()
        .filter(|g| user.groups.contains(&g.group_id))
        .filter(|g| match customer_id {
            Some(c) => g.covers(c),
            None => g.customer_id.is_none(),
        })
        .map(|g| g.role)
        .collect();
    let (role, other_roles) = most_permitted(roles)?;
    Some(User { role, other_roles, ..user.clone() })
}

/// Whether `text` is a GUID as Entra ID writes object IDs (8-4-4-4-12 hexadecimal digits).
pub fn is_guid(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    parts.len() == 5
        && parts.iter().zip([8, 4, 4, 4, 12]).all(|(part, len)| part.len() == len && part.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_gets_what_the_issue_lists_and_nothing_more() {
        use Permission::*;
        let all = [Read, Quote, MoveMoney, ChangeReservation, SupportRequests, ManageAccess, VerifyAudit, ManageGrants, ReadReadiness, ConsentApp, WorkTheList, SetPricing];
        let granted = |role| all.iter().copied().filter(|p| allows(role, *p)).collect::<Vec<_>>();
        assert_eq!(granted(PartnerRole::GlobalAdmin), all);
        assert_eq!(granted(PartnerRole::AdminAgent), [Read, Quote, MoveMoney, ChangeReservation, SupportRequests, ManageAccess, ReadReadiness, WorkTheList]);
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
        assert_eq!(needs(Permission::ManageGrants).as_deref(), Some("Needs Global admin."));
        assert_eq!(needs(Permission::ReadReadiness).as_deref(), Some("Needs Admin agent or Global admin."));
        assert_eq!(needs(Permission::ConsentApp).as_deref(), Some("Needs Global admin."));
        assert_eq!(needs(Permission::WorkTheList).as_deref(), Some("Needs Admin agent or Global admin."));
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

    fn claims(roles: &[&str]) -> TokenClaims {
        TokenClaims { oid: Some("oid-1".into()), sub: Some("sub-1".into()), roles: roles.iter().map(|r| (*r).to_owned()).collect(), ..Default::default() }
    }

    #[test]
    fn the_most_permitted_role_wins_and_narrower_roles_add_up() {
        assert_eq!(user_of(&claims(&["SalesAgent", "GlobalAdmin", "HelpdeskAgent"])).unwrap().role, PartnerRole::GlobalAdmin);
        let admin = user_of(&claims(&["UserManagementAdmin", "AdminAgent"])).unwrap();
        assert_eq!((admin.role, admin.other_roles.len()), (PartnerRole::AdminAgent, 0));
        let both = user_of(&claims(&["SalesAgent", "HelpdeskAgent", "Unknown"])).unwrap();
        assert_eq!((both.role, both.other_roles), (PartnerRole::HelpdeskAgent, vec![PartnerRole::SalesAgent]));
        assert_eq!(user_of(&claims(&["globaladmin", "Reader"])).unwrap_err().status(), 403, "names are exact");
        assert_eq!(user_of(&claims(&[])).unwrap_err().status(), 403);
    }

    #[test]
    fn admin_agent_allows_everything_a_narrower_role_does() {
        use Permission::*;
        for permission in [Read, Quote, MoveMoney, ChangeReservation, SupportRequests, ManageAccess, VerifyAudit, ManageGrants, ReadReadiness, ConsentApp, WorkTheList, SetPricing] {
            for (_, narrow) in &APP_ROLES[2..] {
                assert!(!allows(*narrow, permission) || allows(PartnerRole::AdminAgent, permission), "{narrow:?} {permission:?}");
            }
        }
    }

    #[test]
    fn the_id_is_oid_else_sub_and_the_name_is_name_else_preferred_username() {
        let mut c = claims(&["SalesAgent"]);
        c.preferred_username = Some("ada@partner.example".into());
        let user = user_of(&c).unwrap();
        assert_eq!((user.id.as_deref(), user.display_name.as_str()), (Some("oid-1"), "ada@partner.example"));
        assert_eq!(user.user_principal_name, "ada@partner.example");
        c.oid = None;
        c.name = Some("Ada".into());
        let user = user_of(&c).unwrap();
        assert_eq!((user.id.as_deref(), user.display_name.as_str()), (Some("sub-1"), "Ada"));
        c.preferred_username = None;
        assert_eq!(user_of(&c).unwrap().user_principal_name, "sub-1");
        c.sub = Some(" ".into());
        assert_eq!(user_of(&c).unwrap_err().status(), 401);
    }

    fn grant(group: &str, customer: Option<&str>, role: PartnerRole) -> Grant {
        Grant { id: format!("{group}-{customer:?}-{role:?}"), group_id: group.into(), customer_id: customer.map(Into::into), role }
    }

    #[test]
    fn grants_govern_members_of_any_group_once_a_grant_exists_and_give_the_role_per_customer() {
        let grants = [
            grant("g-a", Some("contoso"), PartnerRole::SalesAgent),
            grant("g-a", Some("contoso"), PartnerRole::HelpdeskAgent),
            grant("g-a", Some("fabrikam"), PartnerRole::AdminAgent),
            grant("g-b", None, PartnerRole::SalesAgent),
        ];
        let mut user = authenticate(Some("demo-global-admin"), true).unwrap();
        assert!(!governed_by_grants(&user, &grants), "no group: the token's roles");
        user.groups = vec!["g-none".into()];
        assert!(!governed_by_grants(&user, &[]), "no grant exists: the token's roles");
        assert!(governed_by_grants(&user, &grants), "a group without a grant: governed, it fails closed");
        assert_eq!(on_customer(&user, &grants, Some("northwind")), None, "a group without a grant reaches no customer");
        user.groups = vec!["g-a".into()];
        assert_eq!(on_customer(&user, &grants, Some("northwind")), None);
        assert_eq!(on_customer(&user, &grants, None), None, "no grant on all customers");
        let on_contoso = on_customer(&user, &grants, Some("contoso")).unwrap();
        assert_eq!((on_contoso.role, on_contoso.other_roles), (PartnerRole::HelpdeskAgent, vec![PartnerRole::SalesAgent]));
        assert_eq!(on_customer(&user, &grants, Some("fabrikam")).unwrap().role, PartnerRole::AdminAgent);
        user.groups.push("g-b".into());
        assert_eq!(on_customer(&user, &grants, Some("northwind")).unwrap().role, PartnerRole::SalesAgent);
        assert_eq!(on_customer(&user, &grants, None).unwrap().role, PartnerRole::SalesAgent);
        assert!(require(&on_customer(&user, &grants, Some("northwind")).unwrap(), Permission::MoveMoney).is_err());
    }

    #[test]
    fn a_token_with_too_many_groups_to_list_is_governed_and_reaches_nothing_once_grants_exist() {
        let claims: TokenClaims = serde_json::from_value(serde_json::json!({
            "oid": "u1", "roles": ["GlobalAdmin"],
            "_claim_names": { "groups": "src1" }, "_claim_sources": { "src1": { "endpoint": "https://graph.microsoft.com/v1.0/users/u1/getMemberObjects" } }
        }))
        .unwrap();
        let user = user_of(&claims).unwrap();
        assert_eq!(user.groups, [GROUP_OVERAGE]);
        let grants = [grant("g-a", None, PartnerRole::GlobalAdmin)];
        assert!(governed_by_grants(&user, &grants));
        assert_eq!(on_customer(&user, &grants, Some("contoso")), None);
        assert!(!is_guid(GROUP_OVERAGE), "no grant can name it");
        let plain: TokenClaims = serde_json::from_value(serde_json::json!({ "oid": "u2", "roles": ["GlobalAdmin"] })).unwrap();
        assert!(user_of(&plain).unwrap().groups.is_empty(), "no groups and no overage: the token's roles");
    }

    #[test]
    fn a_group_id_is_a_guid_and_the_limited_demo_user_is_in_the_demo_group() {
        assert!(is_guid(DEMO_LIMITED_GROUP));
        assert!(is_guid("0B6E7D2A-4F1C-4D8E-9A51-1C2D3E4F5A01"));
        for bad in ["", "contoso-agents", "7a1c9e20-3b4d-4c5e-8f60-71829304a5b", "7a1c9e20-3b4d-4c5e-8f60-71829304a5bg", "7a1c9e203b4d4c5e8f6071829304a5b6"] {
            assert!(!is_guid(bad), "{bad}");
        }
        assert_eq!(demo_user(DEMO_LIMITED_TOKEN).unwrap().groups, [DEMO_LIMITED_GROUP]);
        assert!(demo_user("demo-global-admin").unwrap().groups.is_empty());
    }

    #[test]
    fn groups_come_from_the_groups_claim_in_lower_case() {
        let c: TokenClaims =
            serde_json::from_value(serde_json::json!({ "sub": "s", "roles": ["SalesAgent"], "groups": ["7A1C9E20-3B4D-4C5E-8F60-71829304A5B6", " "] })).unwrap();
        assert_eq!(user_of(&c).unwrap().groups, [DEMO_LIMITED_GROUP]);
    }

    #[test]
    fn a_single_string_of_roles_is_one_role() {
        let c: TokenClaims = serde_json::from_value(serde_json::json!({ "sub": "s", "roles": "SalesAgent" })).unwrap();
        assert_eq!(c.roles, ["SalesAgent"]);
    }
}
