//! Which customers a partner user may see, and in which role: a grant gives a security group
//! (Entra ID object ID, as the token's `groups` claim carries it) a partner role on one customer
//! or on all of them (`GET/POST /api/grants`, `DELETE /api/grants/{grantId}`).

use serde::{Deserialize, Serialize};

use crate::PartnerRole;

/// `POST /api/grants`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewGrant {
    /// The security group's object ID (a GUID), as tokens carry it in `groups`.
    pub group_id: String,
    /// The customer; absent (or `null`) for all customers.
    #[serde(default)]
    pub customer_id: Option<String>,
    /// The role the group's members hold on that customer.
    pub role: PartnerRole,
}

/// One grant: a group's role on a customer, or on all customers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Grant {
    /// Its ID.
    pub id: String,
    /// The security group's object ID (lower case).
    pub group_id: String,
    /// The customer; `null` for all customers.
    pub customer_id: Option<String>,
    /// The role.
    pub role: PartnerRole,
}

impl Grant {
    /// Whether it is a grant on `customer_id` (or on all customers).
    pub fn covers(&self, customer_id: &str) -> bool {
        self.customer_id.as_deref().is_none_or(|c| c == customer_id)
    }
}
