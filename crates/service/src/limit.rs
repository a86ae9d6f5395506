//! A customer's refund limit, from their ledger.

use chrono::NaiveDate;
use contract::{RefundLedgerEntry, RefundLimit};
use quote_engine::{refund_window, Money, Policy, PriorRefund};

use crate::error::ServiceError;
use contract::ProblemCode;

/// A refund already made, in a customer's ledger (USD: what counts toward the limit).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LedgerEntry {
    /// The customer.
    pub customer_id: String,
    /// The day it was made.
    pub date: NaiveDate,
    /// The amount that counts toward the limit.
    pub amount: Money,
    /// The reservation refunded.
    pub reservation_id: String,
    /// Its order.
    pub reservation_order_id: String,
}

/// The ledger as the engine's prior refunds.
pub fn prior_refunds(ledger: &[LedgerEntry]) -> Vec<PriorRefund> {
    ledger.iter().map(|e| PriorRefund { date: e.date, amount: e.amount }).collect()
}

/// The refund limit as of `today`: consumed, headroom, and each entry with its release date,
/// newest first. Both presets share the USD 50,000 / 365-day window.
pub fn refund_limit(ledger: &[LedgerEntry], today: NaiveDate) -> Result<RefundLimit, ServiceError> {
    let policy = Policy::partner_center_2020();
    let window = refund_window(&policy, today, &prior_refunds(ledger))
        .map_err(|e| ServiceError::new(ProblemCode::NotQuotable, format!("The refund ledger is inconsistent: {e}")))?;
    let mut entries: Vec<RefundLedgerEntry> = ledger
        .iter()
        .zip(window.entries)
        .map(|(e, w)| RefundLedgerEntry {
            date: e.date,
            amount: w.amount,
            reservation_id: e.reservation_id.clone(),
            reservation_order_id: e.reservation_order_id.clone(),
            released_on: w.released_on.unwrap_or(NaiveDate::MAX),
            counts: w.counts,
        })
        .collect();
    entries.sort_by_key(|e| std::cmp::Reverse(e.date));
    Ok(RefundLimit {
        as_of: today,
        limit: window.limit,
        consumed: window.consumed,
        headroom: window.headroom,
        entries,
        azure: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote_engine::Currency;
    use rust_decimal_macros::dec;

    fn entry(date: NaiveDate, dollars: rust_decimal::Decimal) -> LedgerEntry {
        LedgerEntry {
            customer_id: "c".into(),
            date,
            amount: Money::new(dollars, Currency::new("USD").unwrap()),
            reservation_id: "r".into(),
            reservation_order_id: "o".into(),
        }
    }

    #[test]
    fn only_entries_of_the_last_365_days_count_and_each_says_when_it_is_released() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        let ledger = [
            entry(NaiveDate::from_ymd_opt(2025, 11, 22).unwrap(), dec!(8000)), // 365 days ago: released today
            entry(NaiveDate::from_ymd_opt(2025, 11, 23).unwrap(), dec!(20000)),
            entry(NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(), dec!(11500.50)),
        ];
        let limit = refund_limit(&ledger, today).unwrap();
        assert_eq!(limit.consumed.amount, dec!(31500.50));
        assert_eq!(limit.headroom.amount, dec!(18499.50));
        assert_eq!(limit.limit.amount, dec!(50000));
        assert_eq!(limit.entries[0].date, NaiveDate::from_ymd_opt(2026, 11, 1).unwrap());
        assert_eq!(limit.entries[1].released_on, NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
        assert!(!limit.entries[2].counts);
    }
}
