//! Changing a reservation: scope, display name, renewal.

use serde::{Deserialize, Serialize};

use crate::reservation::{AppliedScopeProperties, AppliedScopeType};

/// `PATCH /api/reservationOrders/{orderId}/reservations/{reservationId}`: only the fields
/// present change.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReservationPatch {
    /// A new name (1–64 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// A new scope type; with `Single` or `ManagementGroup`, `appliedScopeProperties` too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applied_scope_type: Option<AppliedScopeType>,
    /// The new scope's target: one of the customer's own (see `GET …/scopes`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applied_scope_properties: Option<AppliedScopeProperties>,
    /// Automatic renewal on or off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renew: Option<bool>,
}

/// One scope a customer owns (`GET /api/customers/{customerId}/scopes`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Scope {
    /// `Single` (a subscription or a resource group) or `ManagementGroup`.
    pub applied_scope_type: AppliedScopeType,
    /// Its IDs and name.
    pub applied_scope_properties: AppliedScopeProperties,
}
