//! ARM's IDs of reservations as the client writes them (a path segment, a fully qualified
//! `reservationId` in a body) and reads them back (the bare IDs, the last path segments of
//! Azure's fully qualified ones). An ID goes into a URL or a body only when it is what ARM's IDs
//! hold (GUIDs, names): an ID from a caller or an answer never reshapes a request.

use crate::AzureError;

/// `id` when it is what ARM's IDs hold (letters, digits, `-`, `_`, `.`); else `InvalidId`.
pub(crate) fn checked(id: &str) -> Result<&str, AzureError> {
    if !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.') {
        Ok(id)
    } else {
        Err(AzureError { retry_after: None, request: Default::default(), status: None, code: "InvalidId".into(), message: format!("{id:?} is not an ARM ID") })
    }
}

/// The fully qualified ID of a reservation, as `Microsoft.Capacity`'s examples write it.
pub(crate) fn reservation_id(order_id: &str, reservation_id: &str) -> String {
    format!("/providers/microsoft.capacity/reservationOrders/{order_id}/reservations/{reservation_id}")
}

/// The bare order ID of a fully qualified `…/providers/Microsoft.Capacity/reservationOrders/{o}`
/// (any case), checked.
pub(crate) fn order_of(full: &str) -> Option<&str> {
    let (head, order) = full.trim_end_matches('/').rsplit_once('/')?;
    head.to_ascii_lowercase().ends_with("/providers/microsoft.capacity/reservationorders").then_some(order).filter(|o| checked(o).is_ok())
}

/// The bare (order, reservation) IDs of a fully qualified
/// `…/reservationOrders/{o}/reservations/{r}` (any case), each checked.
pub(crate) fn reservation_of(full: &str) -> Option<(&str, &str)> {
    let (head, reservation) = full.trim_end_matches('/').rsplit_once('/')?;
    let order_path = head.strip_suffix("/reservations").or_else(|| head.strip_suffix("/Reservations"))?;
    let order = order_of(order_path)?;
    checked(reservation).ok().map(|r| (order, r))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_what_arm_ids_hold_is_an_id() {
        assert_eq!(checked("1f14354c-dc12-4c8d-8090-6f295a3a34aa").unwrap(), "1f14354c-dc12-4c8d-8090-6f295a3a34aa");
        for bad in ["", "a/b", "../x", "a?b", "a b", "a%2F"] {
            assert_eq!(checked(bad).unwrap_err().code, "InvalidId", "{bad}");
        }
    }

    #[test]
    fn fully_qualified_ids_read_back_to_bare_ones() {
        let full = reservation_id("o-1", "r-1");
        assert_eq!(reservation_of(&full), Some(("o-1", "r-1")));
        assert_eq!(reservation_of("/providers/Microsoft.Capacity/reservationOrders/O/reservations/R"), Some(("O", "R")));
        assert_eq!(order_of("/providers/microsoft.capacity/reservationOrders/1e85c519-b815-4169-8d79-62fc460c608f"), Some("1e85c519-b815-4169-8d79-62fc460c608f"));
        for bad in ["", "xorder-1", "/providers/microsoft.capacity/reservationOrders/", "/subscriptions/s/reservationOrders/o", "/providers/microsoft.capacity/reservationOrders/a b"] {
            assert_eq!(order_of(bad), None, "{bad}");
        }
        for bad in ["/providers/microsoft.capacity/reservationOrders/o", "/providers/microsoft.capacity/reservationOrders/o/reservations/a?b", "/providers/microsoft.capacity/reservationOrders/o/savingsPlans/r", "r-1"] {
            assert_eq!(reservation_of(bad), None, "{bad}");
        }
    }
}
