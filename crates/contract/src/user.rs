//! Who is signed in: partner users and their roles.

use serde::{Deserialize, Serialize};

/// Partner Center roles a partner user can hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum PartnerRole {
    /// Everything.
    GlobalAdmin,
    /// Everything.
    AdminAgent,
    /// Read, support requests, scope changes.
    HelpdeskAgent,
    /// Read and quotes.
    SalesAgent,
    /// Read and role assignments.
    UserManagementAdmin,
}

/// `GET /api/me`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// Sign-in name.
    pub user_principal_name: String,
    /// Name shown in the header.
    pub display_name: String,
    /// The user's role; with several, the most permitted (Global admin, then Admin agent, then
    /// Helpdesk agent, Sales agent, User management admin).
    pub role: PartnerRole,
    /// The identity provider's ID of the user (Entra ID `oid`, else `sub`), which the audit log
    /// records; absent for demo users.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Narrower roles held besides `role` (a user signed in through OpenID Connect with, e.g.,
    /// Helpdesk agent and Sales agent): the user may do what any of its roles allows. Empty when
    /// `role` already allows everything they would (always for demo users).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_roles: Vec<PartnerRole>,
    /// The security groups the user is a member of (the token's `groups` claim: Entra ID object
    /// IDs): their grants decide which customers the user may see, and in which role
    /// (`desk_service::access::on_customer`). Empty for demo users but the limited one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<String>,
}
