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
}

impl RefundLimit {
    /// The ledger as the engine's prior refunds.
    pub fn prior_refunds(&self) -> Vec<PriorRefund> {
        self.entries.iter().map(|e| PriorRefund { date: e.date, amount: e.amount }).collect()
    }
}
