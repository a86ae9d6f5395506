//! Refunds at the lower price on the desk's surfaces (the rule itself is the
//! engine's, `quote_engine::rules::refund_price`): the desk finds the current catalog unit price
//! of a stored reservation in its own catalog and gives it to the engine as `currentUnitPrice`,
//! so every refund the desk quotes from stored data (a refund session and its re-check before
//! money moves, the Azure surface's `calculateRefund`/`return`, the Portfolio, the Overview's
//! comparison, the support attachment, the plain-refund figure beside an exchange) refunds at the
//! lower of the purchase price and today's price, with the engine's `refund-at-current-price`
//! line when today's is lower. The figure is the desk's own, never the client's.
//!
//! How a reservation is matched: by SKU name and product family, term and billing currency. The
//! desk's catalog ([`crate::catalog::CATALOG`]) prices a SKU per term only: the same price in every
//! region, and both billing plans cost the same over the term (a monthly plan pays the same total
//! in installments). So a reservation in a region the catalog does not sell in, or on either
//! billing plan, has the price of its SKU and term. A SKU the catalog does not list has no
//! current price: it is refunded at its purchase price, as before. In Azure mode the demo
//! catalog is never asked: today's price is the one Azure answered for the reservation's own SKU,
//! region, term and plan when the customer was read (`Reservation::today_price`), or none.

use contract::source::TodayPrice;
use contract::{Reservation, ReservationDetail};
use quote_engine::Money;

use crate::catalog::{price_in, CATALOG};

/// Today's unit price (whole term, one unit, in the reservation's billing currency) of the same
/// SKU and term as `r`: in Azure mode Azure's for the customer, as the read found it
/// (`Reservation::today_price`; none when Azure gave none, and then the purchase price stands);
/// in local mode the demo catalog's, if it sells the SKU (see the module's matching rules).
pub fn current_unit_price(r: &Reservation) -> Option<Money> {
    match &r.today_price {
        Some(TodayPrice::Azure { unit_price, .. }) => Some(*unit_price).filter(|p| p.currency == r.unit_price.currency),
        Some(TodayPrice::Unknown { .. }) => None,
        None => {
            let sku = CATALOG.iter().find(|s| s.sku == r.sku_name && s.family == r.reserved_resource_type)?;
            price_in(sku, r.term, r.unit_price.currency).ok()
        }
    }
}

/// `r` as the engine takes it with today's catalog price: the engine's input plus
/// [`current_unit_price`].
pub fn with_current_price(r: &Reservation, mut engine: quote_engine::Reservation) -> quote_engine::Reservation {
    engine.current_unit_price = current_unit_price(r);
    engine
}

/// The stored reservation `detail` as the engine quotes its refund: usage from its history and
/// today's catalog price ([`current_unit_price`]). Every refund the desk quotes from stored data
/// takes its reservation from here (`ReservationDetail::to_engine` alone has no current price).
pub fn refund_reservation(detail: &ReservationDetail) -> Result<quote_engine::Reservation, contract::NotQuotable> {
    Ok(with_current_price(&detail.reservation, detail.to_engine()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed::demo_data;
    use chrono::NaiveDate;
    use quote_engine::Term;
    use rust_decimal_macros::dec;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    fn seeded(name: &str) -> Reservation {
        demo_data(today()).reservations.into_iter().map(|s| s.reservation).find(|r| r.display_name == name).unwrap()
    }

    #[test]
    fn the_current_price_is_the_catalogs_for_the_same_sku_and_term_in_the_billing_currency() {
        // A 3-year D4s_v5 costs 1,752.00 × 2.4 = 4,204.80 today, in every region.
        let mut r = seeded("vm-d4sv5-nor-04");
        assert_eq!(current_unit_price(&r).map(|m| m.amount), Some(dec!(4204.80)));
        r.location = "australiaeast".into();
        assert_eq!(current_unit_price(&r).map(|m| m.amount), Some(dec!(4204.80)), "region does not change the catalog price");
        r.term = Term::P1Y;
        assert_eq!(current_unit_price(&r).map(|m| m.amount), Some(dec!(1752.00)));
        // Woodgrove is billed in euros: the catalog's EUR price.
        let eur = seeded("vm-d4sv5-eas-06");
        assert_eq!(current_unit_price(&eur).map(|m| (m.amount, m.currency.code().to_owned())), Some((dec!(1611.84), "EUR".into())));
        // A SKU the catalog does not sell, or one of another family under its name: none.
        r.sku_name = "Standard_M128s".into();
        assert_eq!(current_unit_price(&r), None);
        let mut wrong_family = seeded("vm-d4sv5-nor-04");
        wrong_family.reserved_resource_type = "SqlDatabases".into();
        assert_eq!(current_unit_price(&wrong_family), None);
    }

    #[test]
    fn in_azure_mode_todays_price_is_azures_or_none_never_the_demo_catalogs() {
        let mut r = seeded("vm-d4sv5-nor-04");
        let usd = |a| Money::new(a, r.unit_price.currency);
        r.today_price = Some(TodayPrice::Azure { unit_price: usd(dec!(3999.99)), priced_at: "2026-11-22T08:00:00Z".into(), subscription_id: None, priced_under: None });
        assert_eq!(current_unit_price(&r).map(|m| m.amount), Some(dec!(3999.99)), "Azure's, not the catalog's 4,204.80");
        r.today_price = Some(TodayPrice::Unknown { code: "AuthorizationFailed".into(), message: "no".into() });
        assert_eq!(current_unit_price(&r), None, "Azure gave none: the purchase price stands, never the demo's");
        // A price in another currency than the reservation's is not today's price.
        r.today_price = Some(TodayPrice::Azure { unit_price: Money::new(dec!(10), quote_engine::Currency::new("EUR").unwrap()), priced_at: String::new(), subscription_id: None, priced_under: None });
        assert_eq!(current_unit_price(&r), None);
    }
}
