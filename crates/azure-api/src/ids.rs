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
    fn anything_else_is_not_a_reservation_id() {
        for bad in ["", "  ", "/providers/microsoft.capacity/reservationOrders/o-1", "/subscriptions/s/reservations/r", "/providers/microsoft.capacity/reservationOrders//reservations/r", "/providers/x/reservationOrders/o/reservations/r"] {
            assert_eq!(parse_reservation_id(bad), None, "{bad:?}");
        }
    }
}
