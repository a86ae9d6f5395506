use contract::{Reservation, ReservationPatch, Scope};
use desk::operation::endpoint;

use super::{transport, ApiError};

/// `GET /api/customers/{customerId}/scopes`: what a reservation's scope may be set to.
pub async fn scopes(customer_id: &str) -> Result<Vec<Scope>, ApiError> {
    transport::call::<endpoint::ListScopes>(&[customer_id], &[], &()).await
}

/// `PATCH /api/reservationOrders/{orderId}/reservations/{reservationId}`.
pub async fn update_reservation(
    order_id: &str,
    reservation_id: &str,
    patch: &ReservationPatch,
) -> Result<Reservation, ApiError> {
    transport::call::<endpoint::ChangeReservation>(&[order_id, reservation_id], &[], patch).await
}
