//! Azure mode (issue 30): how fresh a customer's data read from Azure is
//! (`GET /api/source/customers/{customerId}`), and what a read answered
//! (`POST /api/source/refresh`).

use serde::{Deserialize, Serialize};

/// When a customer was last read from Azure, and why the last read failed if it did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SourceStatus {
    /// The customer.
    pub customer_id: String,
    /// The customer's tenant, where its reservations are read.
    pub tenant_id: String,
    /// When its reservations were last read whole (RFC 3339, UTC); absent before the first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_at: Option<String>,
    /// Why the last read failed; absent when it succeeded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<SourceError>,
    /// Whether what the desk shows of this customer is stale: the last read failed, there was
    /// none, or it is older than twice the refresh interval (the server decides, by its clock).
    /// The views stay readable; the console holds refunds and exchanges while the last read
    /// failed.
    #[serde(default)]
    pub stale: bool,
}

/// A read that failed, as Azure answered it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SourceError {
    /// Azure's code (`AuthorizationFailed`, `invalid_grant`, …), or the desk's (`Timeout`,
    /// `Unreachable`, `Throttled`, …).
    pub code: String,
    /// Azure's message, in English.
    pub message: String,
    /// The HTTP status Azure answered, if it answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// When (RFC 3339, UTC).
    pub at: String,
}

/// Why a reservation read from Azure has no price: its order (`GET …/reservationOrders/{id}`)
/// could not be read, or carries no plan information the desk can derive a unit price from.
/// Its `unitPrice` is then zero and stands for nothing: the desk quotes no refund or exchange
/// on it (`priceUnknown`), rather than a refund of zero.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PriceUnknown {
    /// Azure's code (`AuthorizationFailed`, …), or the desk's: `NoPlanInformation`,
    /// `NoOriginalQuantity`, `BillingTotalUnknown`, `UnreadableAnswer`, `Timeout`, ….
    pub code: String,
    /// Azure's message, or the desk's, in English.
    pub message: String,
}

/// What a refresh read.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RefreshSummary {
    /// Customers whose reservations were read.
    pub read: u32,
    /// Customers whose read failed (each says why on its status).
    pub failed: u32,
}
