use contract::{Reservation, ReservationPatch, Scope};

use super::{transport, ApiError};

/// `GET /api/customers/{customerId}/scopes`: what a reservation's scope may be set to.
pub async fn scopes(customer_id: &str) -> Result<Vec<Scope>, ApiError> {
    transport::get(&format!("/customers/{customer_id}/scopes"), &[]).await
}

/// `PATCH /api/reservationOrders/{orderId}/reservations/{reservationId}`.
pub async fn update_reservation(
    order_id: &str,
    reservation_id: &str,
    patch: &ReservationPatch,
) -> Result<Reservation, ApiError> {
    transport::patch(&format!("/reservationOrders/{order_id}/reservations/{reservation_id}"), patch).await
}
