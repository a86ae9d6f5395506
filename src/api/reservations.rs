use contract::{MergeRequest, Reservation, ReservationDetail, Revision, SplitRequest};

use super::{transport, ApiError};

/// `GET /api/customers/{customerId}/reservations`.
pub async fn reservations(customer_id: &str) -> Result<Vec<Reservation>, ApiError> {
    transport::get(&format!("/customers/{customer_id}/reservations"), &[]).await
}

/// `GET /api/reservationOrders/{orderId}/reservations/{reservationId}`, with daily utilization.
pub async fn reservation(order_id: &str, reservation_id: &str) -> Result<ReservationDetail, ApiError> {
    transport::get(&format!("/reservationOrders/{order_id}/reservations/{reservation_id}"), &[]).await
}

/// `GET /api/reservationOrders/{orderId}/reservations/{reservationId}/revisions`, newest first.
pub async fn revisions(order_id: &str, reservation_id: &str) -> Result<Vec<Revision>, ApiError> {
    transport::get(&format!("/reservationOrders/{order_id}/reservations/{reservation_id}/revisions"), &[]).await
}

/// `POST /api/reservationOrders/{orderId}/split`: the split reservation, then its two parts.
pub async fn split(order_id: &str, request: &SplitRequest) -> Result<Vec<Reservation>, ApiError> {
    transport::post(&format!("/reservationOrders/{order_id}/split"), request).await
}

/// `POST /api/reservationOrders/{orderId}/merge`: the merged reservation, then its sources.
pub async fn merge(order_id: &str, request: &MergeRequest) -> Result<Vec<Reservation>, ApiError> {
    transport::post(&format!("/reservationOrders/{order_id}/merge"), request).await
}

/// `POST /api/reservationOrders/{orderId}/reservations/{reservationId}/archive` (or `/unarchive`).
pub async fn set_archived(order_id: &str, reservation_id: &str, archived: bool) -> Result<Reservation, ApiError> {
    let verb = if archived { "archive" } else { "unarchive" };
    transport::post(&format!("/reservationOrders/{order_id}/reservations/{reservation_id}/{verb}"), &()).await
}
