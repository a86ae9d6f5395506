//! Changing a reservation (`PATCH`), and the scopes a customer owns.

use axum::extract::{Path, State};
use axum::Extension;
use axum::Json;
use contract::{Reservation, ReservationPatch, Scope, User};
use desk_service::{configuration, utilization};
use sqlx::SqliteConnection;

use crate::audit;
use crate::error::ApiError;
use crate::json::ApiJson;
use crate::state::AppState;
use crate::store::{self, enum_text};

/// The scopes `customer_id` owns, in seed order.
pub async fn scopes_of(conn: &mut SqliteConnection, customer_id: &str) -> Result<Vec<Scope>, ApiError> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT scope_type, properties FROM customer_scopes WHERE customer_id = ? ORDER BY rowid")
            .bind(customer_id)
            .fetch_all(conn)
            .await?;
    rows.into_iter()
        .map(|(kind, props)| {
            Ok(Scope {
                applied_scope_type: serde_json::from_value(serde_json::Value::String(kind))
                    .map_err(|e| sqlx::Error::Decode(e.to_string().into()))?,
                applied_scope_properties: serde_json::from_str(&props)
                    .map_err(|e| sqlx::Error::Decode(e.to_string().into()))?,
            })
        })
        .collect()
}

/// `GET /api/customers/{customerId}/scopes`.
pub async fn scopes(State(state): State<AppState>, Path(customer_id): Path<String>) -> Result<Json<Vec<Scope>>, ApiError> {
    let mut conn = state.db.acquire().await?;
    store::require_customer(&mut conn, &customer_id).await?;
    Ok(Json(scopes_of(&mut conn, &customer_id).await?))
}

/// `PATCH /api/reservationOrders/{orderId}/reservations/{reservationId}`.
pub async fn patch(
    State(state): State<AppState>,
    Extension(user): Extension<User>,
    Path((order_id, reservation_id)): Path<(String, String)>,
    ApiJson(patch): ApiJson<ReservationPatch>,
) -> Result<Json<Reservation>, ApiError> {
    let mut tx = state.db.begin().await?;
    let (reservation, usage) = store::reservation(&mut tx, &order_id, &reservation_id).await?.ok_or_else(|| {
        ApiError::NotFound(format!("Reservation order '{order_id}' has no reservation '{reservation_id}'."))
    })?;
    let scopes = scopes_of(&mut tx, &reservation.customer_id).await?;
    let changed = configuration::apply_patch(&reservation, &patch, &scopes)?;
    sqlx::query(
        "UPDATE reservations SET display_name = ?, applied_scope_type = ?, applied_scope_properties = ?, renew = ? \
         WHERE reservation_order_id = ? AND id = ?",
    )
    .bind(&changed.display_name)
    .bind(enum_text(&changed.applied_scope_type))
    .bind(changed.applied_scope_properties.as_ref().map(|p| serde_json::to_string(p).unwrap_or_default()))
    .bind(changed.renew)
    .bind(&order_id)
    .bind(&reservation_id)
    .execute(&mut *tx)
    .await?;
    if let Some(change) = configuration::describe_change(&reservation, &changed) {
        let target = format!("reservationOrders/{order_id}/reservations/{reservation_id}");
        audit::record(&mut tx, state.now(), &user, "changeReservation", target, Some(&changed.customer_id), change).await?;
    }
    tx.commit().await?;
    Ok(Json(utilization::with_aggregates(changed, usage, state.today())))
}
