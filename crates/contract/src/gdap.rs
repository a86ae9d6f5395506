//! Azure mode: the partner's GDAP relationships with a customer, as Microsoft Graph lists them
//! (`GET /tenantRelationships/delegatedAdminRelationships`, read with each full read of Azure),
//! kept per customer (the one the readiness table shows is `crate::source::GdapSummary`).

use serde::{Deserialize, Serialize};

use crate::source::SourceError;

/// One GDAP relationship between the partner and a customer, as Graph answered it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct GdapRelationship {
    /// Graph's ID of the relationship.
    pub id: String,
    /// Its display name (the partner's).
    #[serde(default)]
    pub display_name: String,
    /// The customer's tenant.
    pub customer_tenant_id: String,
    /// Graph's status as given: `active`, `expired`, `terminated`, `activating`,
    /// `approvalPending`, … (a status this desk does not know is kept as it came).
    pub status: String,
    /// When it ends, or ended (RFC 3339, UTC); absent before it is active.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_date_time: Option<String>,
    /// How long it lasts (ISO 8601, e.g. `P730D`; at most two years).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<String>,
    /// By how much it extends itself when it ends (ISO 8601): `PT0S` or `P0D` is no
    /// auto-extension, `P180D` six months.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_extend_duration: Option<String>,
    /// The Microsoft Entra role template IDs it grants (`accessDetails.unifiedRoles`).
    #[serde(default)]
    pub roles: Vec<String>,
}

/// What the desk holds of a customer's GDAP relationships: those the last read of Graph listed
/// for its tenant, when, and why the last read failed (the relationships of the read before
/// are kept then).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct GdapStatus {
    /// The customer.
    pub customer_id: String,
    /// Its relationships as last read (none: the partner has none with this tenant).
    #[serde(default)]
    pub relationships: Vec<GdapRelationship>,
    /// When Graph last answered (RFC 3339, UTC); absent before it ever did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_at: Option<String>,
    /// Why the last read of Graph failed (403 without `DelegatedAdminRelationship.Read.All`,
    /// …); absent when it answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<SourceError>,
}
