//! Refund requests: quote with a session, then return against that session.

use quote_engine::api::RefundQuoteResponse;
use quote_engine::PolicyName;
use serde::{Deserialize, Serialize};

/// `POST /api/reservationOrders/{orderId}/calculateRefund`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CalculateRefundRequest {
    /// The reservation in that order.
    pub reservation_id: String,
    /// Units to return.
    pub quantity: u32,
    /// The policy preset; the deployment's (`GET /settings`) when absent. Another preset quotes a
    /// what-if: its session cannot be returned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<PolicyName>,
}

/// The server's quote for today, from its own stored data, and the session that holds it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CalculateRefundResponse {
    /// Pass to `return` within 10 minutes.
    pub session_id: String,
    /// When the session ends (RFC 3339, UTC).
    pub expires_at: String,
    /// The policy applied.
    pub policy: PolicyName,
    /// True when `policy` is not the deployment's: a what-if quote, whose `return` is refused
    /// (409 `policyNotDeployed`).
    #[serde(default)]
    pub what_if: bool,
    /// The quote.
    pub quote: RefundQuoteResponse,
}

/// `POST /api/reservationOrders/{orderId}/return`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReturnRequest {
    /// From `calculateRefund`.
    pub session_id: String,
    /// Why the customer returns it (free text, required).
    pub return_reason: String,
}

/// What a completed return did. Submitting the same session again returns this again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ReturnResponse {
    /// The refund's own ID.
    pub refund_id: String,
    /// The session it completed.
    pub session_id: String,
    /// The quote that was carried out.
    pub quote: RefundQuoteResponse,
    /// The reservation's quantity afterwards (0: cancelled).
    pub remaining_quantity: u32,
}
