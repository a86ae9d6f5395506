//! What a store keeps for the money passed on: the partner's price for each customer and the
//! default for all, each a history (a price is set from a moment on and never edited), so a move
//! is priced by what was in force when it happened. No rule lives here: how a move is priced is
//! `desk_service::statement`.

use chrono::{DateTime, Utc};
use contract::{AuditEntry, PartnerPricing};

use crate::store::StoreResult;

/// The partner pricing's port.
#[allow(async_fn_in_trait)]
pub trait PricingStore {
    /// The pricing history of `customer_id` (its own), or with `None` the default for all
    /// customers, oldest first.
    async fn partner_pricing(&self, customer_id: Option<&str>) -> StoreResult<Vec<PartnerPricing>>;
    /// Adds `pricing` to the history of `customer_id` (`None`: the default) and records `audit`,
    /// in one transaction.
    async fn add_partner_pricing(&self, customer_id: Option<&str>, pricing: &PartnerPricing, at: DateTime<Utc>, audit: &AuditEntry) -> StoreResult<()>;
}

/// The behaviour every [`PricingStore`] shows (feature `suite`): run by the memory store's tests
/// and each SQL store's.
#[cfg(feature = "suite")]
pub mod check {
    use super::*;
    use crate::store::Store;
    use contract::FixedPrice;
    use quote_engine::{Currency, Money, Term};
    use rust_decimal::Decimal;

    fn audit(customer: Option<&str>) -> AuditEntry {
        AuditEntry {
            time: "2026-11-27T10:00:00Z".into(),
            actor: "gina.admin@partner.example".into(),
            actor_id: None,
            actor_name: None,
            action: contract::AuditAction::SetPricing.code().into(),
            target: customer.map_or("pricing".into(), |c| format!("customers/{c}/pricing")),
            customer_id: customer.map(str::to_owned),
            change: "pricing set".into(),
            ledger: Vec::new(),
            ticket_reference: None,
            detail: None,
        }
    }

    fn pricing(from: &str, markup: i64, fixed: bool) -> PartnerPricing {
        PartnerPricing {
            from: from.into(),
            markup_percent: Decimal::new(markup, 1),
            fixed: if fixed {
                vec![FixedPrice { sku_name: "Standard_D4s_v5".into(), term: Term::P3Y, unit_price: Money::new(Decimal::new(299_999, 2), Currency::EUR) }]
            } else {
                Vec::new()
            },
        }
    }

    /// Each customer's history and the default's are kept apart, exactly, oldest first, each
    /// addition audited.
    pub async fn pricing_histories_are_kept_apart_in_order_and_audited<S: PricingStore + Store>(store: &S) {
        let at = DateTime::parse_from_rfc3339("2026-11-27T10:00:00Z").unwrap().with_timezone(&Utc);
        assert!(store.partner_pricing(None).await.unwrap().is_empty());
        let before = store.audit(None, 1000).await.unwrap().len();
        let first = pricing("2026-11-01T00:00:00Z", 125, false);
        let second = pricing("2026-11-20T08:30:00Z", -25, true);
        let default = pricing("2026-10-01T00:00:00Z", 100, false);
        store.add_partner_pricing(Some("c1"), &first, at, &audit(Some("c1"))).await.unwrap();
        store.add_partner_pricing(None, &default, at, &audit(None)).await.unwrap();
        store.add_partner_pricing(Some("c1"), &second, at, &audit(Some("c1"))).await.unwrap();
        assert_eq!(store.partner_pricing(Some("c1")).await.unwrap(), vec![first, second], "kept exactly, oldest first");
        assert_eq!(store.partner_pricing(None).await.unwrap(), vec![default]);
        assert!(store.partner_pricing(Some("c2")).await.unwrap().is_empty());
        assert_eq!(store.audit(None, 1000).await.unwrap().len(), before + 3, "each addition audited");
    }
}
