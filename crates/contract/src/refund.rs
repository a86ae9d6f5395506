//! Refund requests: quote with a session, then return against that session.

use quote_engine::api::RefundQuoteResponse;
use quote_engine::{Money, PolicyName};
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
    /// In Azure mode (`--source azure`): Azure's own `calculateRefund` of the same units, beside
    /// the desk's quote, with any difference named. Absent in local mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub azure: Option<AzureRefundCheck>,
    /// Present when returning this quote would wait for another user's approval (above the
    /// deployment's approval threshold); absent when it would move money at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval_needed: Option<crate::ApprovalNeeded>,
}

/// Azure's `calculateRefund` of a refund the desk quoted (Azure mode): Azure's figures, and where
/// they differ from the desk's. A difference is a finding, not an error: the return is made with
/// Azure's figures. Azure's `sessionId` stays on the server (the return uses it; a client never
/// names it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AzureRefundCheck {
    /// What Azure refunds, in the billing currency (`billingRefundAmount`).
    pub refund_amount: Money,
    /// The same as it counts toward the limit, in USD (`pricingRefundAmount`).
    pub pricing_refund_amount: Money,
    /// Refunds Azure counts in the customer's rolling 12 months (`consumedRefundsTotal`).
    pub consumed_refunds_total: Money,
    /// Azure's limit (`maxRefundLimit`).
    pub max_refund_limit: Money,
    /// What the limit still allows: `maxRefundLimit − consumedRefundsTotal` (in Azure mode the
    /// headroom that counts).
    pub headroom: Money,
    /// Azure's policy errors (`policyErrors`: code and message); a return is refused while any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub policy_errors: Vec<AzurePolicyError>,
    /// Each figure where the desk and Azure differ.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub differences: Vec<RefundDifference>,
}

/// One of Azure's refund policy errors.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AzurePolicyError {
    /// Azure's code, e.g. `RefundLimitExceeded`.
    pub code: String,
    /// Azure's message.
    pub message: String,
}

/// A figure the desk and Azure give differently.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RefundDifference {
    /// Which figure.
    pub figure: RefundFigure,
    /// The desk's.
    pub desk: Money,
    /// Azure's.
    pub azure: Money,
}

/// The figures compared between the desk's quote and Azure's `calculateRefund`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum RefundFigure {
    /// The refund.
    RefundAmount,
    /// Refunds counted in the rolling 12 months.
    ConsumedRefundsTotal,
    /// The limit.
    MaxRefundLimit,
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
    /// The partner's own change or ticket reference for this move (free text, 1–64 characters,
    /// one line: the display name's rules). Required where the deployment says so
    /// (`requireTicketReference`): a move without it is a 400 `ticketReferenceRequired`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket_reference: Option<String>,
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
