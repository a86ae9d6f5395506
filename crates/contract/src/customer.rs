use serde::{Deserialize, Serialize};

/// A customer of the partner: the tenant whose Azure reservations the partner manages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Customer {
    /// Stable customer (tenant) ID, a GUID.
    pub id: String,
    /// Company name as shown in Partner Center.
    pub name: String,
    /// The customer's primary domain, e.g. `contoso.onmicrosoft.com`.
    pub domain: String,
    /// How many reservations the customer holds (any state).
    pub reservation_count: u32,
}
