//! Reservations of a customer, and one reservation under its order.

use axum::extract::{Path, State};
use axum::Json;
use contract::{Reservation, ReservationDetail};
use desk_service::utilization;

use crate::error::ApiError;
use crate::state::AppState;
use crate::store::{self, ReservationRow, RESERVATION_COLUMNS};

/// `GET /api/customers/{customerId}/reservations`, in desk-service's display order.
pub async fn list(State(state): State<AppState>, Path(customer_id): Path<String>) -> Result<Json<Vec<Reservation>>, ApiError> {
    let mut conn = state.db.acquire().await?;
    let rows: Vec<ReservationRow> = sqlx::query_as(&format!(
        "SELECT {RESERVATION_COLUMNS} FROM reservations WHERE customer_id = ?"
    ))
    .bind(&customer_id)
    .fetch_all(&mut *conn)
    .await?;
    // Only an empty answer needs the second look: no reservations, or no such customer (404).
    if rows.is_empty() {
        store::require_customer(&mut conn, &customer_id).await?;
    }
    let today = state.today();
    let mut list: Vec<Reservation> = rows
        .into_iter()
        .map(|row| row.into_reservation().map(|(r, usage)| utilization::with_aggregates(r, usage, today)))
        .collect::<Result<_, _>>()?;
    desk_service::reservations::sort_for_display(&mut list);
    Ok(Json(list))
}

/// The reservation `reservation_id` of order `order_id`, with its history, or a 404.
pub async fn load_detail(state: &AppState, order_id: &str, reservation_id: &str) -> Result<ReservationDetail, ApiError> {
    let mut conn = state.db.acquire().await?;
    let (r, usage) = store::reservation(&mut conn, order_id, reservation_id).await?.ok_or_else(|| {
        ApiError::NotFound(format!("Reservation order '{order_id}' has no reservation '{reservation_id}'."))
    })?;
    Ok(utilization::detail(r, usage, state.today()))
}

/// `GET /api/reservationOrders/{orderId}/reservations/{reservationId}`.
pub async fn get(
    State(state): State<AppState>,
    Path((order_id, reservation_id)): Path<(String, String)>,
) -> Result<Json<ReservationDetail>, ApiError> {
    load_detail(&state, &order_id, &reservation_id).await.map(Json)
}
