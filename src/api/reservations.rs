use contract::{Reservation, ReservationDetail};

use super::{transport, ApiError};

/// `GET /api/customers/{customerId}/reservations`.
pub async fn reservations(customer_id: &str) -> Result<Vec<Reservation>, ApiError> {
    transport::get(&format!("/customers/{customer_id}/reservations"), &[]).await
}

/// `GET /api/reservationOrders/{orderId}/reservations/{reservationId}`, with daily utilization.
pub async fn reservation(order_id: &str, reservation_id: &str) -> Result<ReservationDetail, ApiError> {
    transport::get(&format!("/reservationOrders/{order_id}/reservations/{reservation_id}"), &[]).await
}
