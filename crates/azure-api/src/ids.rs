//! ARM resource IDs of reservations and orders, written and read back.
//!
//! Azure writes `/providers/microsoft.capacity/reservationOrders/{orderId}/reservations/{id}`;
//! clients send them back in any case of the fixed words, so reading ignores their case.

/// The provider's namespace as IDs write it.
pub const PROVIDER: &str = "/providers/microsoft.capacity";

/// The full ID of a reservation order.
pub fn order_id(order: &str) -> String {
    format!("{PROVIDER}/reservationOrders/{order}")
}

/// The full ID of a reservation.
pub fn reservation_id(order: &str, reservation: &str) -> String {
    format!("{PROVIDER}/reservationOrders/{order}/reservations/{reservation}")
}

/// A reservation's `name`: `{orderId}/{reservationId}`.
pub fn reservation_name(order: &str, reservation: &str) -> String {
    format!("{order}/{reservation}")
}

/// The `(orderId, reservationId)` of a full reservation ID, or `None` when `id` is not one.
/// A bare reservation ID (a GUID, no slash) is taken as it is, with no order.
pub fn parse_reservation_id(id: &str) -> Option<(Option<&str>, &str)> {
    let id = id.trim();
    if !id.contains('/') {
        return (!id.is_empty()).then_some((None, id));
    }
    let parts: Vec<&str> = id.trim_matches('/').split('/').collect();
    match parts.as_slice() {
        [p, ns, o, order, r, reservation]
            if p.eq_ignore_ascii_case("providers")
                && ns.eq_ignore_ascii_case("microsoft.capacity")
                && o.eq_ignore_ascii_case("reservationOrders")
                && r.eq_ignore_ascii_case("reservations")
                && !order.is_empty()
                && !reservation.is_empty() =>
        {
            Some((Some(order), reservation))
        }
        _ => None,
    }
}

/// The reservation ID (bare) that `given` names, checked to be of `order_id` (the path's
/// order), or a 400 blaming `target`. A bare ID is taken as it is: the desk finds it in the order
/// or answers 404.
pub fn reservation_of(order_id: &str, given: &str, target: &str) -> Result<String, crate::ArmError> {
    match parse_reservation_id(given) {
        Some((Some(order), id)) if order == order_id => Ok(id.to_owned()),
        Some((None, id)) => Ok(id.to_owned()),
        Some((Some(other), _)) => {
            Err(crate::ArmError::malformed(format!("The reservation belongs to order {other}, not to {order_id} of the path."), Some(target)))
        }
        None => Err(crate::ArmError::malformed(
            "Give the reservation's ID, e.g. /providers/microsoft.capacity/reservationOrders/{orderId}/reservations/{reservationId}.",
            Some(target),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reservation_id_reads_back_in_any_case_of_the_fixed_words() {
        let id = reservation_id("o-1", "r-2");
        assert_eq!(id, "/providers/microsoft.capacity/reservationOrders/o-1/reservations/r-2");
        assert_eq!(parse_reservation_id(&id), Some((Some("o-1"), "r-2")));
        let upper = "/providers/Microsoft.Capacity/ReservationOrders/o-1/Reservations/r-2";
        assert_eq!(parse_reservation_id(upper), Some((Some("o-1"), "r-2")));
        assert_eq!(parse_reservation_id("r-2"), Some((None, "r-2")));
    }

    #[test]
    fn a_reservation_of_another_order_is_refused_naming_the_field() {
        assert_eq!(reservation_of("o-1", &reservation_id("o-1", "r-2"), "t"), Ok("r-2".to_owned()));
        assert_eq!(reservation_of("o-1", "r-2", "t"), Ok("r-2".to_owned()));
        let other = reservation_of("o-1", &reservation_id("o-9", "r-2"), "properties.reservationId").unwrap_err();
        assert_eq!((other.status, other.body.error.target.as_deref()), (400, Some("properties.reservationId")));
        assert_eq!(reservation_of("o-1", "/providers/x", "t").unwrap_err().status, 400);
    }

    #[test]
    fn anything_else_is_not_a_reservation_id() {
        for bad in ["", "  ", "/providers/microsoft.capacity/reservationOrders/o-1", "/subscriptions/s/reservations/r", "/providers/microsoft.capacity/reservationOrders//reservations/r", "/providers/x/reservationOrders/o/reservations/r"] {
            assert_eq!(parse_reservation_id(bad), None, "{bad:?}");
        }
    }
}
