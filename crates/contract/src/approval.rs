//! Maker and checker for large money moves: a return or exchange whose
//! refund is above the deployment's `approvalThreshold` waits for a second person's approval
//! (`GET /api/approvals/{id}`), and moves money only when another user approves it.

use quote_engine::api::{ExchangeQuoteResponse, RefundQuoteResponse};
use quote_engine::Money;
use serde::{Deserialize, Serialize};

use crate::{ExchangeResponse, ReturnResponse};

/// Where an approval request is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum ApprovalStatus {
    /// Waiting for another user's approval or rejection; nothing has moved.
    Pending,
    /// The desk quoted again on approval and the amount had changed: `amount` is the new figure,
    /// `previousAmount` the one first asked; it waits for an approval of the new figure.
    NeedsApprovalAgain,
    /// Approved by another user, and the money moved (once): `refund` or `exchange` says what.
    Approved,
    /// Rejected by another user, with a reason; nothing moved.
    Rejected,
    /// Neither approved nor rejected before `expiresAt`; nothing moved.
    Expired,
}

impl ApprovalStatus {
    /// Whether it still waits for a decision (before its expiry).
    pub fn is_open(self) -> bool {
        matches!(self, Self::Pending | Self::NeedsApprovalAgain)
    }
}

/// What an approval request would do when approved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum ApprovalKind {
    /// A return (`POST /reservationOrders/{orderId}/return`).
    Refund,
    /// An exchange (`POST /exchange`).
    Exchange,
    /// A purchase (`POST /purchase`).
    Purchase,
}

/// A person named by an approval: who asked, who decided.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ApprovalPerson {
    /// Their sign-in name.
    pub user_principal_name: String,
    /// Their display name.
    pub display_name: String,
    /// Their identity provider's object ID, when signed in through one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

impl ApprovalPerson {
    /// Whether `self` and `other` are the same person: the same object ID when both have one,
    /// otherwise the same sign-in name (case-insensitive).
    pub fn is(&self, other: &ApprovalPerson) -> bool {
        match (&self.id, &other.id) {
            (Some(a), Some(b)) => a == b,
            _ => self.user_principal_name.eq_ignore_ascii_case(&other.user_principal_name),
        }
    }
}

/// A request for a second person's approval of a money move (`GET /api/approvals/{id}`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Approval {
    /// Its ID.
    pub id: String,
    /// Where it is in its life.
    pub status: ApprovalStatus,
    /// A refund or an exchange.
    pub kind: ApprovalKind,
    /// The customer whose money it moves.
    pub customer_id: String,
    /// The refund's or exchange's session (submitting it again answers this approval).
    pub session_id: String,
    /// The reservations it returns (a refund's one, an exchange's lines'), so a reservation's page
    /// can say it waits.
    #[serde(default)]
    pub reservation_ids: Vec<String>,
    /// The returned reservation's order (a refund).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reservation_order_id: Option<String>,
    /// The returned reservation (a refund).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reservation_id: Option<String>,
    /// The reservations it returns as they were when it was asked: each one's name and the units
    /// returned (a refund's one, an exchange's lines, in the request's order). Absent from a
    /// request asked before the desk kept them: `reservationIds` still names them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub returns: Vec<ApprovalReturn>,
    /// Why the requester asks: a refund's return reason, or the reason given with an exchange.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_reason: Option<String>,
    /// The partner's change or ticket reference given with the request, carried into the money
    /// move's audit entry when it is approved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket_reference: Option<String>,
    /// The figure to approve: the refund, or the exchange's refunds total (the returns' credit;
    /// what the customer pays or gets is the quote's `netPayable`).
    pub amount: Money,
    /// What the approval threshold (USD) is compared with, in USD: a refund's money moved in USD
    /// (the refund, at its order's own rate when billed in another currency), an
    /// exchange's refunds total in USD (each return at its USD price), a purchase's commitment in
    /// USD. Beside `amount` so an approver billed in another currency sees both. Absent from a
    /// request asked before the desk kept it, or when a return has no USD price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount_usd: Option<Money>,
    /// When the desk quoted again on approval and found another figure: the figure first asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_amount: Option<Money>,
    /// The refund's quote as it stands for approval (a refund).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refund_quote: Option<RefundQuoteResponse>,
    /// The exchange's quote as it stands for approval (an exchange).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exchange_quote: Option<ExchangeQuoteResponse>,
    /// The purchase's quote as it stands for approval (a purchase).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purchase_quote: Option<quote_engine::PurchaseQuote>,
    /// What a purchase buys: the SKU, its region, term, billing plan, quantity, scope (with its
    /// name as the customer's scopes have it), display name and renewal (a purchase).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purchase_request: Option<crate::ExchangePurchaseRequest>,
    /// What an exchange buys, each reservation as requested (SKU and region, term, billing plan,
    /// quantity, scope with its name as the customer's scopes have it, display name, renewal).
    /// Absent from a request asked before the desk kept it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reservations_to_purchase: Vec<crate::ExchangePurchaseRequest>,
    /// The savings plans a trade-in buys (hourly commitment, term, billing plan, scope, name).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub savings_plans_to_purchase: Vec<crate::SavingsPlanPurchaseRequest>,
    /// Who asked.
    pub requested_by: ApprovalPerson,
    /// When (RFC 3339, UTC).
    pub requested_at: String,
    /// After this instant it can no longer be approved (RFC 3339, UTC).
    pub expires_at: String,
    /// Who approved or rejected it (or found the amount changed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<ApprovalPerson>,
    /// When (RFC 3339, UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_at: Option<String>,
    /// Why it was rejected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rejection_reason: Option<String>,
    /// What the approved return did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refund: Option<ReturnResponse>,
    /// What the approved exchange did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exchange: Option<ExchangeResponse>,
    /// What the approved purchase bought.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purchase: Option<crate::PurchaseResponse>,
}

/// A reservation an approval request returns, as it was when the request was asked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ApprovalReturn {
    /// Its order.
    pub reservation_order_id: String,
    /// The reservation.
    pub reservation_id: String,
    /// Its name.
    pub display_name: String,
    /// The units returned.
    pub quantity: u32,
}

/// What a Review tells before Submit: submitting this quote would wait for another user's
/// approval, because the figure the deployment's approval threshold is compared with is above it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ApprovalNeeded {
    /// The deployment's approval threshold (USD).
    pub threshold: Money,
    /// The figure above it: a refund's money moved in USD (the refund, at its order's own rate
    /// when billed in another currency), an exchange's refunds total, a purchase's commitment in USD; in Azure mode Azure's own figure when that is the one
    /// above.
    pub figure: Money,
    /// The same move in the customer's billing currency when that is not the figure's (USD): the
    /// refund, the exchange's refunds total, the purchase's commitment, so the note can show the
    /// amount billed beside its USD figure. Absent when billed in USD.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billed: Option<Money>,
}

/// `POST /api/approvals/{approvalId}/reject`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RejectApproval {
    /// Why (free text, required).
    pub reason: String,
}

/// What a return submission answers: the refund done (200), or the approval it waits for (202,
/// `Location: /api/approvals/{id}`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
#[allow(clippy::large_enum_variant)] // One per answer, moved once: a box would only add an allocation.
pub enum ReturnOutcome {
    /// The return was carried out (200).
    Done(ReturnResponse),
    /// Above the approval threshold: nothing moved; another user must approve (202).
    AwaitingApproval(Approval),
}

/// What an exchange submission answers: the exchange done (200), or the approval it waits for
/// (202, `Location: /api/approvals/{id}`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
#[allow(clippy::large_enum_variant)] // One per answer, moved once: a box would only add an allocation.
pub enum ExchangeOutcome {
    /// The exchange was carried out (200).
    Done(ExchangeResponse),
    /// Above the approval threshold: nothing moved; another user must approve (202).
    AwaitingApproval(Approval),
}
