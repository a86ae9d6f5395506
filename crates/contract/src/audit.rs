//! The audit log: every change and money movement, who made it and what changed.

use serde::{Deserialize, Serialize};

/// One audited change (`GET /api/audit`, newest first).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    /// When (RFC 3339, UTC).
    pub time: String,
    /// Who (user principal name; for a user signed in through OpenID Connect, the token's
    /// `preferred_username`, else the user's ID).
    pub actor: String,
    /// The identity provider's ID of the actor (Entra ID `oid`, else `sub`); absent for demo users.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor_id: Option<String>,
    /// The actor's name as the identity provider gave it (`name`); with `actorId` only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor_name: Option<String>,
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

/// Whether the audit log's hash chain is intact (`GET /api/audit/verify`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AuditVerification {
    /// Every entry's hash matches its text and the hash before it.
    pub intact: bool,
    /// How many entries the chain has.
    pub entries: u64,
    /// The last entry's hash (SHA-256, hex): note it elsewhere to notice later if entries were
    /// cut off at the end, which no chain can show by itself.
    pub head: String,
    /// The first entry (1 = the oldest) whose hash does not match, when the chain is broken.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_broken: Option<u64>,
}
