//! Microsoft's dated rules, as data and checks: exchange eligibility from 1 February 2027
//! ([`exchange_eligibility`]), refunds at the lower price ([`refund_price`]) and retired VM series
//! ([`retired_series`], with a size's series from its SKU name in [`vm_series`](mod@vm_series)) and
//! the savings plan trade-in ([`trade_in`]). Each entry
//! carries its effective date and its source; every check is decided by the date it is given.

pub mod exchange_eligibility;
pub mod refund_price;
pub mod retired_series;
pub mod trade_in;
pub mod vm_series;

use chrono::NaiveDate;

use crate::outcome::{PolicyError, PolicyErrorCode, PolicyErrorDetail};
use crate::term::Term;
use exchange_eligibility::{exchange_right, ExchangeRight, ExchangeRightInput};
use retired_series::{retirement, RetiredSeries};
use vm_series::vm_series;

/// Whether a reservation is bought new or renewed (the retirement rules refuse both).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PurchaseKind {
    /// A new purchase (also a purchase in an exchange).
    Purchase,
    /// The renewal of an expiring reservation.
    Renewal,
}

/// The retirement that refuses buying or renewing `term` of the VM size `sku_name` on `on`, if any.
pub fn vm_retirement(sku_name: &str, term: Term, on: NaiveDate) -> Option<&'static RetiredSeries> {
    retirement(vm_series(sku_name)?.as_str(), term, on)
}

/// Whether `term` of the VM size `sku_name` may be bought (or renewed) on `on`: refused with
/// [`PolicyErrorCode::RetiredVmSeries`] naming the SKU, its series, the term and the date.
pub fn check_vm_purchase(sku_name: &str, term: Term, on: NaiveDate, kind: PurchaseKind) -> Result<(), PolicyError> {
    match vm_retirement(sku_name, term, on) {
        None => Ok(()),
        Some(r) => Err(PolicyError {
            detail: Some(PolicyErrorDetail::RetiredVmSeries {
                sku_name: sku_name.to_owned(),
                series: r.series.to_owned(),
                term,
                from: r.from,
                renewal: kind == PurchaseKind::Renewal,
            }),
            code: PolicyErrorCode::RetiredVmSeries,
            message: format!(
                "{sku_name} is a {} size: {}-year reservations of the {} series cannot be {} since {}.",
                r.series,
                term.years(),
                r.series,
                match kind {
                    PurchaseKind::Purchase => "bought",
                    PurchaseKind::Renewal => "renewed",
                },
                r.from
            ),
        }),
    }
}

/// Whether `units` units of a reservation may be exchanged on `as_of`; `Ok` with the right it is
/// exchanged under, else the refusal: [`PolicyErrorCode::ReservationNotExchangeable`] (bought or
/// renewed on or after the service's restriction date) or [`PolicyErrorCode::FinalExchangeUsed`]
/// (more units than still have their final exchange).
pub fn check_exchange(input: &ExchangeRightInput<'_>, as_of: NaiveDate, units: u32) -> Result<ExchangeRight, PolicyError> {
    let right = exchange_right(input, as_of);
    match right {
        ExchangeRight::NotRestricted | ExchangeRight::BeforeRestriction { .. } => Ok(right),
        ExchangeRight::NotExchangeable { from, renewal } => Err(not_exchangeable(input.reserved_resource_type.as_str(), from, renewal)),
        ExchangeRight::FinalExchange { units_with_right, .. } if units <= units_with_right => Ok(right),
        ExchangeRight::FinalExchange { from, units_with_right } => Err(PolicyError {
            detail: Some(PolicyErrorDetail::FinalExchangeUsed {
                reserved_resource_type: input.reserved_resource_type.as_str().to_owned(),
                from,
                units_with_right,
                units,
            }),
            code: PolicyErrorCode::FinalExchangeUsed,
            message: format!(
                "Bought before {from}, each unit of this {} reservation may be exchanged once more: {units_with_right} of its units still may, not {units}.",
                input.reserved_resource_type
            ),
        }),
    }
}

/// The refusal of a reservation bought or renewed on or after its service's restriction date.
pub(crate) fn not_exchangeable(family: &str, from: NaiveDate, renewal: bool) -> PolicyError {
    PolicyError {
        detail: Some(PolicyErrorDetail::NotExchangeable { reserved_resource_type: family.to_owned(), from, renewal }),
        code: PolicyErrorCode::ReservationNotExchangeable,
        message: format!(
            "{family} reservations {} on or after {from} cannot be exchanged (savings plans cover the service); refund it or trade it in for a savings plan.",
            if renewal { "renewed" } else { "bought" }
        ),
    }
}
