//! Refunds from stored data: the quote a backend gives for `calculateRefund`, and the check it
//! makes before `return` moves money.

use chrono::NaiveDate;
use contract::{ProvisioningState, ReservationDetail};
use quote_engine::api::RefundQuoteResponse;
use quote_engine::{quote_refund, PolicyName};

use crate::error::ServiceError;
use contract::ProblemCode;
use crate::limit::{prior_refunds, LedgerEntry};

/// The policy a refund is quoted with when the request names none (the demo deployment's).
pub const DEFAULT_POLICY: PolicyName = PolicyName::PartnerCenter2020;

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
        return Err(ServiceError::conflict(ProblemCode::NotActive, format!(
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
    let reservation = detail
        .to_engine()
        .map_err(|e| ServiceError::conflict(ProblemCode::NotQuotable, format!("Reservation {} cannot be quoted: {e}", r.id)))?;
    quote_refund(&policy.policy(), today, &reservation, quantity, &prior_refunds(ledger))
        .map(RefundQuoteResponse::from)
        .map_err(|e| ServiceError::conflict(ProblemCode::NotQuotable, format!("Reservation {} cannot be quoted: {e}", r.id)))
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
        return Err(ServiceError::conflict(ProblemCode::PolicyRefused, format!("The refund is refused: {}", error.message)));
    }
    if &fresh != session_quote {
        return Err(ServiceError::conflict(
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed::demo_data;
    use crate::utilization::detail;
    use quote_engine::reason;

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
        let q = quote(&d, &ledger, today(), 1, PolicyName::PartnerCenter2020).unwrap();
        assert!(q.lines.iter().any(|l| l.reason == reason::FULL_REFUND_WITHIN_GRACE), "{:?}", q.lines);
        assert!(q.early_termination_fee.is_zero());
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
}
