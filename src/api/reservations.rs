use contract::{MergeRequest, Reservation, ReservationDetail, Revision, SplitRequest};
use desk::operation::endpoint;

use super::{transport, ApiError};

/// `GET /api/customers/{customerId}/reservations`.
pub async fn reservations(customer_id: &str) -> Result<Vec<Reservation>, ApiError> {
    transport::call::<endpoint::ListReservations>(&[customer_id], &[], &()).await
}

/// `GET /api/reservationOrders/{orderId}/reservations/{reservationId}`, with daily utilization.
pub async fn reservation(order_id: &str, reservation_id: &str) -> Result<ReservationDetail, ApiError> {
    transport::call::<endpoint::GetReservation>(&[order_id, reservation_id], &[], &()).await
}

/// `GET /api/reservationOrders/{orderId}/reservations/{reservationId}/revisions`, newest first.
pub async fn revisions(order_id: &str, reservation_id: &str) -> Result<Vec<Revision>, ApiError> {
    transport::call::<endpoint::ListRevisions>(&[order_id, reservation_id], &[], &()).await
}

/// `POST /api/reservationOrders/{orderId}/split`: the split reservation, then its two parts.
pub async fn split(order_id: &str, request: &SplitRequest) -> Result<Vec<Reservation>, ApiError> {
    transport::call::<endpoint::SplitReservation>(&[order_id], &[], request).await
}

/// `POST /api/reservationOrders/{orderId}/merge`: the merged reservation, then its sources.
pub async fn merge(order_id: &str, request: &MergeRequest) -> Result<Vec<Reservation>, ApiError> {
    transport::call::<endpoint::MergeReservations>(&[order_id], &[], request).await
}

/// `POST /api/reservationOrders/{orderId}/reservations/{reservationId}/archive` (or `/unarchive`).
pub async fn set_archived(order_id: &str, reservation_id: &str, archived: bool) -> Result<Reservation, ApiError> {
    let params = [order_id, reservation_id];
    if archived {
        transport::call::<endpoint::ArchiveReservation>(&params, &[], &()).await
    } else {
        transport::call::<endpoint::UnarchiveReservation>(&params, &[], &()).await
    }
}
