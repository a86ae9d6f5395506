//! The audit log: every change and money movement, who made it and what changed.

use serde::{Deserialize, Serialize};

/// One audited change (`GET /api/audit`, newest first).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    /// When (RFC 3339, UTC).
    pub time: String,
    /// Who (user principal name).
    pub actor: String,
    /// What, e.g. `refund`, `exchange`, `changeReservation`, `addRoleAssignment`.
    pub action: String,
    /// The resource, e.g. `reservationOrders/{id}/reservations/{id}`.
    pub target: String,
    /// The customer concerned, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
    /// A one-line before → after, e.g. `quantity 4 → 3; refund USD 1,610.40`.
    pub change: String,
}
