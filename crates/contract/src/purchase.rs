//! Purchases: a new reservation bought for a customer from the catalog, quoted in a ten-minute
//! session and bought once (its order ID is the session's).

use quote_engine::{OnDemandUsage, PurchaseQuote};
use serde::{Deserialize, Serialize};

use crate::exchange::ExchangePurchaseRequest;
use crate::reservation::Reservation;

/// `POST /api/calculatePurchase`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CalculatePurchaseRequest {
    /// The customer it is bought for (its scopes are the ones a purchase may apply to).
    pub customer_id: String,
    /// What is bought: a catalog SKU, term, billing plan, quantity, scope, name and renewal.
    pub purchase: ExchangePurchaseRequest,
    /// The usage it would cover (a recommendation's on-demand cost over its look-back period, in
    /// the customer's currency): the quote then says what it saves. Absent: no savings figures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_demand: Option<OnDemandUsage>,
}

/// The server's purchase quote and the session that holds it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CalculatePurchaseResponse {
    /// Pass to `purchase` within 10 minutes.
    pub session_id: String,
    /// The order the purchase creates: buying the session again buys nothing more.
    pub reservation_order_id: String,
    /// When the session ends (RFC 3339, UTC).
    pub expires_at: String,
    /// The quote (in the customer's currency).
    pub quote: PurchaseQuote,
    /// The commitment in USD, the pricing currency (what the approval threshold is compared with).
    pub commitment_usd: quote_engine::Money,
    /// Present when this purchase would wait for another user's approval (its commitment in USD
    /// is above the deployment's approval threshold).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval_needed: Option<crate::ApprovalNeeded>,
    /// In Azure mode: Azure's own price of this purchase (ARM's `calculatePrice` in the
    /// customer's tenant) beside the desk's, each difference named.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub azure: Option<AzurePurchaseCheck>,
}

/// Azure's price of a purchase beside the desk's quote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AzurePurchaseCheck {
    /// Azure's whole commitment (`billingCurrencyTotal`).
    pub commitment: quote_engine::Money,
    /// Azure's first payment (what is due today), when its schedule gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_today: Option<quote_engine::Money>,
    /// Each figure the desk and Azure give differently.
    pub differences: Vec<PurchaseDifference>,
}

/// A purchase figure the desk and Azure give differently.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PurchaseDifference {
    /// Which figure.
    pub figure: PurchaseFigure,
    /// The desk's.
    pub desk: quote_engine::Money,
    /// Azure's.
    pub azure: quote_engine::Money,
}

/// The figures compared between the desk's purchase quote and Azure's `calculatePrice`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum PurchaseFigure {
    /// The whole commitment.
    Commitment,
    /// What is paid today.
    DueToday,
}

/// `POST /api/purchase`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PurchaseRequest {
    /// From `calculatePurchase`.
    pub session_id: String,
    /// Why the customer buys (free text, optional): the approver reads it when the purchase waits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The partner's change or ticket reference (the display name's rules); required where the
    /// deployment says so (`requireTicketReference`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket_reference: Option<String>,
    /// What the caller means to buy, when it says so (the Azure surface's `PUT` carries the
    /// purchase again): it must be the one calculated, else nothing is bought (`quoteChanged`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purchase: Option<ExchangePurchaseRequest>,
}

/// What a purchase did. The same session again answers this again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PurchaseResponse {
    /// The session it completed.
    pub session_id: String,
    /// The new reservation order.
    pub reservation_order_id: String,
    /// The reservation bought, its term starting today.
    pub purchased: Vec<Reservation>,
    /// The quote carried out.
    pub quote: PurchaseQuote,
}

/// The answer to `POST /api/purchase`: bought, or waiting for another user's approval (202,
/// `Location: /api/approvals/{id}`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
#[allow(clippy::large_enum_variant)] // One per answer, moved once: a box would only add an allocation.
pub enum PurchaseOutcome {
    /// Bought (200).
    Done(PurchaseResponse),
    /// Above the approval threshold: nothing bought; another user must approve (202).
    AwaitingApproval(crate::Approval),
}
