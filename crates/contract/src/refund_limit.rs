//! A customer's refund limit: what the rolling 365-day window holds.

use chrono::NaiveDate;
use quote_engine::{Money, PriorRefund};
use serde::{Deserialize, Serialize};

/// One refund in the customer's ledger.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RefundLedgerEntry {
    /// The day the refund was made.
    pub date: NaiveDate,
    /// What counts toward the limit (USD).
    pub amount: Money,
    /// The reservation refunded.
    pub reservation_id: String,
    /// Its order.
    pub reservation_order_id: String,
    /// The first day this entry no longer counts (365 days after `date`).
    pub released_on: NaiveDate,
    /// Whether it still counts today.
    pub counts: bool,
}

/// `GET /api/customers/{customerId}/refundLimit`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RefundLimit {
    /// The day the figures are for.
    pub as_of: NaiveDate,
    /// USD 50,000.
    pub limit: Money,
    /// Refunds counting in the window today.
    pub consumed: Money,
    /// `limit − consumed`, never negative.
    pub headroom: Money,
    /// Every ledger entry, newest first.
    pub entries: Vec<RefundLedgerEntry>,
    /// In Azure mode: Azure's own count for the customer, as it last answered (absent in local
    /// mode, and before the first Review in Azure mode).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub azure: Option<AzureRefundStanding>,
}

/// Azure's own count of a customer's refunds (Azure mode): the policy result of its
/// `calculateRefund` as it last answered for the customer (at a Review). In Azure mode its
/// headroom is the one that counts: a refund above it is refused at Submit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AzureRefundStanding {
    /// Refunds Azure counts in the customer's rolling 12 months (`consumedRefundsTotal`).
    pub consumed_refunds_total: Money,
    /// Azure's limit (`maxRefundLimit`).
    pub max_refund_limit: Money,
    /// `maxRefundLimit − consumedRefundsTotal`, never negative.
    pub headroom: Money,
    /// When Azure answered it (RFC 3339, UTC).
    pub read_at: String,
}

impl RefundLimit {
    /// The ledger as the engine's prior refunds.
    pub fn prior_refunds(&self) -> Vec<PriorRefund> {
        self.entries.iter().map(|e| PriorRefund { date: e.date, amount: e.amount }).collect()
    }
}
