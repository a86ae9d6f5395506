//! Refunds from stored data: the quote a backend gives for `calculateRefund`, and the check it
//! makes before `return` moves money.

use chrono::NaiveDate;
use contract::{ProvisioningState, ReservationDetail};
use quote_engine::api::RefundQuoteResponse;
use quote_engine::{quote_refund, Money, PolicyName, PriorRefund};

use crate::current_price::refund_reservation;
use crate::error::ServiceError;
use contract::ProblemCode;
use crate::limit::{prior_refunds, LedgerEntry};

/// The refund policy of a deployment that names none (`REFUND_POLICY`): `azure-current`, what
/// Microsoft applies today. A deployment's policy governs every refund that moves money; the
/// other presets quote what-ifs.
pub const DEFAULT_POLICY: PolicyName = PolicyName::DEFAULT;

/// How long a calculated refund can be submitted.
pub const SESSION_TTL_SECONDS: i64 = 600;

/// The refund quote for returning `quantity` of `detail` today, from the backend's own data:
/// usage from the utilization history, prior refunds from the customer's ledger.
pub fn quote(
    detail: &ReservationDetail,
    ledger: &[LedgerEntry],
    today: NaiveDate,
    quantity: u32,
    policy: PolicyName,
) -> Result<RefundQuoteResponse, ServiceError> {
    let r = &detail.reservation;
    if r.provisioning_state != ProvisioningState::Succeeded {
        return Err(ServiceError::new(ProblemCode::NotActive, format!(
            "Reservation {} is {:?}; only an active reservation can be refunded.",
            r.id, r.provisioning_state
        )));
    }
    if quantity == 0 || quantity > r.quantity {
        return Err(ServiceError::invalid(
            ProblemCode::QuantityOutOfRange,
            "quantity",
            format!("Quantity must be a whole number from 1 to {} (the reservation's quantity).", r.quantity),
        ));
    }
    // At the lower of the purchase price and today's catalog price.
    let reservation = refund_reservation(detail).map_err(|e| not_quotable(&r.id, &e))?;
    quote_refund(&policy.policy(), today, &reservation, quantity, &prior_refunds(ledger))
        .map(RefundQuoteResponse::from)
        .map_err(|e| ServiceError::new(ProblemCode::NotQuotable, format!("Reservation {} cannot be quoted: {e}", r.id)))
}

/// The problem a reservation the engine cannot take answers: `priceUnknown` when Azure did not
/// give its price, else `notQuotable`.
pub fn not_quotable(id: &str, e: &contract::NotQuotable) -> ServiceError {
    let code = match e {
        contract::NotQuotable::PriceUnknown(_) => ProblemCode::PriceUnknown,
        contract::NotQuotable::Family(_) => ProblemCode::NotQuotable,
    };
    ServiceError::new(code, format!("Reservation {id} cannot be quoted: {e}."))
}

/// What a return changes, for the backend to apply in one transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReturnPlan {
    /// The reservation's quantity afterwards.
    pub remaining_quantity: u32,
    /// Its state afterwards (Cancelled at 0).
    pub state: ProvisioningState,
    /// The ledger entry to add (USD counted toward the limit), when anything counts.
    pub ledger_entry: Option<LedgerEntry>,
}

/// Recomputes the quote now and compares it with the one the session holds: any difference
/// (new usage, a refund elsewhere, a changed quantity) or a policy refusal stops the return.
pub fn plan_return(
    detail: &ReservationDetail,
    ledger: &[LedgerEntry],
    today: NaiveDate,
    session_quote: &RefundQuoteResponse,
    policy: PolicyName,
) -> Result<ReturnPlan, ServiceError> {
    let fresh = quote(detail, ledger, today, session_quote.quantity, policy)?;
    if let Some(error) = fresh.policy_result.policy_errors.first() {
        return Err(ServiceError::new(ProblemCode::PolicyRefused, format!("The refund is refused: {}", error.message)));
    }
    if &fresh != session_quote {
        return Err(ServiceError::new(
            ProblemCode::QuoteChanged,
            "The quote changed since it was calculated (the reservation or the customer's refunds changed). \
             Calculate the refund again.",
        ));
    }
    let r = &detail.reservation;
    let remaining_quantity = r.quantity - fresh.quantity;
    let counted = fresh.policy_result.counted_toward_limit;
    Ok(ReturnPlan {
        remaining_quantity,
        state: if remaining_quantity == 0 { ProvisioningState::Cancelled } else { ProvisioningState::Succeeded },
        ledger_entry: (!counted.is_zero()).then(|| LedgerEntry {
            customer_id: r.customer_id.clone(),
            date: today,
            amount: counted,
            reservation_id: r.id.clone(),
            reservation_order_id: r.reservation_order_id.clone(),
        }),
    })
}

/// What a plain refund of `returns` (reservation, units) would give instead of an exchange,
/// returned one after another by `policy` (the deployment's) so that each counts against the customer's
/// limit like the ones before it: the ledger grows by what each counts (USD), not by what it
/// refunds (the billing currency), and a refund the limit refuses gives nothing. `None` when a
/// reservation cannot be quoted.
pub fn plain_refund_total(
    returns: &[(&ReservationDetail, u32)],
    prior_refunds: &[PriorRefund],
    today: NaiveDate,
    policy: PolicyName,
) -> Option<Money> {
    let policy = policy.policy();
    let mut prior = prior_refunds.to_vec();
    let mut total: Option<Money> = None;
    for (detail, quantity) in returns {
        let quote = quote_refund(&policy, today, &refund_reservation(detail).ok()?, *quantity, &prior).ok()?;
        let counted = quote.policy_result.counted_toward_limit;
        if !counted.is_zero() {
            prior.push(PriorRefund { date: today, amount: counted });
        }
        let refund = if quote.is_allowed() { quote.refund_amount } else { Money::zero(quote.refund_amount.currency).round() };
        total = Some(match total {
            None => refund,
            Some(sum) => sum.checked_add(refund).ok()?,
        });
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed::demo_data;
    use crate::utilization::detail;
    use quote_engine::reason;
    use rust_decimal_macros::dec;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    /// The seeded reservation `j` of Contoso (near its limit) as stored, with its history.
    fn contoso(j: usize) -> (ReservationDetail, Vec<LedgerEntry>) {
        let data = demo_data(today());
        let id = &data.customers.iter().find(|c| c.name == "Contoso Ltd").unwrap().id;
        let seeded = data.reservations.iter().filter(|r| &r.reservation.customer_id == id).nth(j).unwrap();
        let ledger = data.ledger.iter().filter(|e| &e.customer_id == id).cloned().collect();
        (detail(seeded.reservation.clone(), seeded.usage, today()), ledger)
    }

    #[test]
    fn an_unused_reservation_in_the_grace_window_is_refunded_in_full() {
        let (d, ledger) = contoso(0);
        assert!(!d.has_usage());
        // Contoso's first seeded reservation: P5Y, monthly, USD 6,307.20 per unit, bought two
        // days ago, so one installment of 6,307.20 / 60 = 105.12 is paid for the unit returned.
        assert_eq!((d.reservation.term, d.reservation.billing_plan), (quote_engine::Term::P5Y, quote_engine::BillingPlan::Monthly));
        assert_eq!(d.reservation.unit_price.amount, dec!(6307.20));
        let q = quote(&d, &ledger, today(), 1, PolicyName::PartnerCenter2020).unwrap();
        assert_eq!(q.total_paid.amount, dec!(105.12), "what was paid for one unit");
        assert_eq!(q.refund_amount, q.total_paid, "all of it comes back");
        assert_eq!(q.refund_amount.currency.code(), "USD");
        assert_eq!(q.canceled_future_payments.amount, dec!(6202.08), "the other 59 installments are cancelled");
        assert!(q.early_termination_fee.is_zero());
        assert!(q.forfeited_amount.is_zero());
        assert!(q.lines.iter().any(|l| l.reason == reason::FULL_REFUND_WITHIN_GRACE), "{:?}", q.lines);
    }

    #[test]
    fn bad_quantities_and_inactive_reservations_are_refused_with_reasons() {
        let (d, ledger) = contoso(3);
        let zero = quote(&d, &ledger, today(), 0, PolicyName::PartnerCenter2020).unwrap_err();
        assert_eq!(zero.field(), Some("quantity"));
        let too_many = quote(&d, &ledger, today(), d.reservation.quantity + 1, PolicyName::AzureCurrent);
        assert_eq!(too_many.unwrap_err().status(), 400);
        let (expired, ledger) = contoso(2);
        assert_eq!(quote(&expired, &ledger, today(), 1, PolicyName::AzureCurrent).unwrap_err().status(), 409);
    }

    #[test]
    fn a_return_goes_ahead_only_while_the_quote_is_unchanged() {
        let (d, ledger) = contoso(3);
        let q = quote(&d, &ledger, today(), 1, PolicyName::PartnerCenter2020).unwrap();
        let plan = plan_return(&d, &ledger, today(), &q, PolicyName::PartnerCenter2020).unwrap();
        assert_eq!(plan.remaining_quantity, d.reservation.quantity - 1);
        let entry = plan.ledger_entry.expect("a refund counts toward the limit");
        assert_eq!(entry.amount, q.policy_result.counted_toward_limit);

        // A refund recorded meanwhile changes the headroom, hence the quote.
        let mut later = ledger.clone();
        later.push(entry);
        let stale = plan_return(&d, &later, today(), &q, PolicyName::PartnerCenter2020);
        // (consumed toward the limit is part of the quote, so it always differs)
        assert!(matches!(&stale, Err(e) if e.code() == ProblemCode::QuoteChanged), "{stale:?}");
    }

    #[test]
    fn returning_every_unit_cancels_the_reservation() {
        let (d, ledger) = contoso(4);
        let all = d.reservation.quantity;
        let q = quote(&d, &ledger, today(), all, PolicyName::PartnerCenter2020).unwrap();
        let plan = plan_return(&d, &ledger, today(), &q, PolicyName::PartnerCenter2020).unwrap();
        assert_eq!(plan.remaining_quantity, 0);
        assert_eq!(plan.state, ProvisioningState::Cancelled);
    }

    #[test]
    fn the_plain_refund_of_euro_reservations_counts_usd_toward_the_limit() {
        // Woodgrove Bank is billed in euros; two of its active reservations returned one after the
        // other: the second is quoted on a ledger that grew by the first one's USD count. (Adding
        // the EUR refund to the USD ledger made the second quote fail and the comparison vanish.)
        let data = demo_data(today());
        let details: Vec<ReservationDetail> = data
            .reservations
            .iter()
            .filter(|s| s.reservation.unit_price.currency.code() == "EUR" && s.reservation.expiry_date > today() && s.reservation.purchase_date < today())
            .map(|s| detail(s.reservation.clone(), s.usage, today()))
            .take(2)
            .collect();
        assert_eq!(details.len(), 2, "the seed has two active EUR reservations");
        let pairs: Vec<(&ReservationDetail, u32)> = details.iter().map(|d| (d, 1)).collect();
        let total = plain_refund_total(&pairs, &[], today(), PolicyName::PartnerCenter2020).expect("both quotes succeed");
        assert_eq!(total.currency.code(), "EUR");
        let policy = PolicyName::PartnerCenter2020.policy();
        let first = quote_refund(&policy, today(), &refund_reservation(&details[0]).unwrap(), 1, &[]).unwrap();
        let counted = PriorRefund { date: today(), amount: first.policy_result.counted_toward_limit };
        assert_eq!(counted.amount.currency.code(), "USD");
        let second = quote_refund(&policy, today(), &refund_reservation(&details[1]).unwrap(), 1, &[counted]).unwrap();
        let allowed = |q: &quote_engine::RefundQuote| if q.is_allowed() { q.refund_amount.amount } else { rust_decimal::Decimal::ZERO };
        assert_eq!(total.amount, allowed(&first) + allowed(&second));
    }
}
