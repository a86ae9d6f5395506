//! Exchange eligibility on the desk's data (the rule itself is the engine's,
//! `quote_engine::rules::exchange_eligibility`): whether a stored reservation may be exchanged
//! on a day, and why not. The Exchange panel says it before the user tries, the Overview's
//! comparison shows the Exchange column as not available, and the Portfolio never recommends an
//! exchange the rules refuse; the exchange quote and the session's re-check refuse it in the
//! engine.
//!
//! What the desk stores decides the right:
//!
//! - the purchase date is the reservation's own `purchaseDate`: a reservation bought in an
//!   exchange starts on the exchange day (a new purchase), so a final exchange on or after
//!   1 February 2027 buys reservations that cannot be exchanged; split parts and merged
//!   reservations keep their order's purchase date, as on Azure;
//! - exchanged units leave the reservation (its quantity drops, or it is cancelled), as on
//!   Azure: the units still in a reservation bought before the date have not used their final
//!   exchange (`finalExchangeUnitsUsed` is 0), so a partial final exchange leaves the other units
//!   their right;
//! - renewals: the desk renews nothing itself. `renew` only says whether Azure is to renew the
//!   reservation at its expiry, and a renewal reaches the desk as a new reservation whose
//!   purchase date is its renewal day, so it is judged as a purchase of that day: one renewed on
//!   or after the date is not exchangeable. No stored reservation is marked a renewal.

use chrono::NaiveDate;
use contract::Reservation;
use quote_engine::{check_exchange, ExchangeRight, ExchangeRightInput, PolicyError, ReservedResourceType};

/// The engine's input for `r`, from what the desk stores (see the module).
fn input_of<'a>(family: &'a ReservedResourceType, r: &Reservation) -> ExchangeRightInput<'a> {
    ExchangeRightInput {
        reserved_resource_type: family,
        purchase_date: r.purchase_date,
        quantity: r.quantity,
        final_exchange_units_used: 0,
        renewal: false,
    }
}

/// The exchange right of `r` on `as_of`: `None` when its family name is malformed (the quote
/// refuses such data anyway).
pub fn exchange_right(r: &Reservation, as_of: NaiveDate) -> Option<ExchangeRight> {
    let family = ReservedResourceType::new(&r.reserved_resource_type).ok()?;
    Some(quote_engine::exchange_right(&input_of(&family, r), as_of))
}

/// Why `r` cannot be exchanged at all on `as_of` (the engine's refusal with its figures:
/// `ReservationNotExchangeable`), or `None` when at least one unit may be.
pub fn exchange_refusal(r: &Reservation, as_of: NaiveDate) -> Option<PolicyError> {
    let family = ReservedResourceType::new(&r.reserved_resource_type).ok()?;
    check_exchange(&input_of(&family, r), as_of, 1).err()
}

/// Whether `r` may be exchanged on `as_of` (at least one unit).
pub fn may_exchange(r: &Reservation, as_of: NaiveDate) -> bool {
    exchange_refusal(r, as_of).is_none()
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote_engine::{PolicyErrorCode, PolicyErrorDetail, EXCHANGE_POLICY_DATE};

    fn d(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn bought(family: &str, on: &str, quantity: u32) -> Reservation {
        let mut r = crate::seed::demo_data(d("2026-11-22")).reservations.remove(0).reservation;
        (r.reserved_resource_type, r.purchase_date, r.quantity) = (family.into(), d(on), quantity);
        r
    }

    #[test]
    fn bought_on_31_january_keeps_a_final_exchange_for_every_unit_and_on_1_february_none() {
        let before = bought("VirtualMachines", "2027-01-31", 10);
        assert_eq!(exchange_right(&before, d("2027-01-31")), Some(ExchangeRight::BeforeRestriction { from: EXCHANGE_POLICY_DATE }));
        assert_eq!(
            exchange_right(&before, d("2027-02-01")),
            Some(ExchangeRight::FinalExchange { from: EXCHANGE_POLICY_DATE, units_with_right: 10 })
        );
        assert!(may_exchange(&before, d("2027-06-01")));
        let on = bought("VirtualMachines", "2027-02-01", 10);
        let refusal = exchange_refusal(&on, d("2027-02-01")).unwrap();
        assert_eq!(refusal.code, PolicyErrorCode::ReservationNotExchangeable);
        assert_eq!(
            refusal.detail,
            Some(PolicyErrorDetail::NotExchangeable { reserved_resource_type: "VirtualMachines".into(), from: EXCHANGE_POLICY_DATE, renewal: false })
        );
    }

    /// A renewal reaches the desk as a reservation starting on its renewal day: one renewed on
    /// 1 May 2027 is a purchase of that day and not exchangeable, while the reservation it
    /// renewed (bought in 2024) had its final exchange until it expired.
    #[test]
    fn a_renewal_after_the_date_is_a_new_purchase_and_not_exchangeable() {
        let renewed = bought("VirtualMachines", "2027-05-01", 4);
        let refusal = exchange_refusal(&renewed, d("2027-05-02")).unwrap();
        assert_eq!(refusal.code, PolicyErrorCode::ReservationNotExchangeable);
        let original = bought("VirtualMachines", "2024-05-01", 4);
        assert_eq!(
            exchange_right(&original, d("2027-04-30")),
            Some(ExchangeRight::FinalExchange { from: EXCHANGE_POLICY_DATE, units_with_right: 4 })
        );
    }

    /// The database services savings plans cover follow the rule as compute does: bought on
    /// 1 February 2027 or after, refused naming the type; bought the day before, a final
    /// exchange for every unit.
    #[test]
    fn database_reservations_follow_the_same_rule() {
        for family in ["SqlDatabases", "PostgreSql", "MySql", "CosmosDb"] {
            let on = bought(family, "2027-02-01", 3);
            let refusal = exchange_refusal(&on, d("2027-03-01")).unwrap();
            assert_eq!(refusal.code, PolicyErrorCode::ReservationNotExchangeable, "{family}");
            assert_eq!(
                refusal.detail,
                Some(PolicyErrorDetail::NotExchangeable { reserved_resource_type: family.into(), from: EXCHANGE_POLICY_DATE, renewal: false })
            );
            assert!(!may_exchange(&on, d("2027-03-01")), "{family}");
            let before = bought(family, "2027-01-31", 3);
            assert_eq!(
                exchange_right(&before, d("2027-03-01")),
                Some(ExchangeRight::FinalExchange { from: EXCHANGE_POLICY_DATE, units_with_right: 3 }),
                "{family}"
            );
            assert!(may_exchange(&before, d("2027-03-01")), "{family}");
        }
    }

    #[test]
    fn services_savings_plans_do_not_cover_stay_exchangeable() {
        for family in ["AVS", "RedisCache", "ManagedDisk", "Databricks"] {
            let r = bought(family, "2027-03-01", 2);
            assert_eq!(exchange_right(&r, d("2027-04-01")), Some(ExchangeRight::NotRestricted), "{family}");
            assert!(may_exchange(&r, d("2027-04-01")));
        }
    }
}
