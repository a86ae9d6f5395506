//! `/api/reservationOrders/{orderId}/roleAssignments`: Access control (IAM).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use contract::{NewRoleAssignment, RoleAssignment, User};
use desk_service::access_control;
use sqlx::SqliteConnection;

use crate::audit;
use crate::error::ApiError;
use crate::json::ApiJson;
use crate::state::AppState;

async fn require_order(conn: &mut SqliteConnection, order_id: &str) -> Result<(), ApiError> {
    let found: Option<(i64,)> = sqlx::query_as("SELECT 1 FROM reservations WHERE reservation_order_id = ? LIMIT 1")
        .bind(order_id)
        .fetch_optional(conn)
        .await?;
    found.map(|_| ()).ok_or_else(|| ApiError::NotFound(format!("There is no reservation order '{order_id}'.")))
}

async fn assignments(conn: &mut SqliteConnection, order_id: &str) -> Result<Vec<RoleAssignment>, ApiError> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT body FROM role_assignments WHERE reservation_order_id = ? ORDER BY created_at, id")
            .bind(order_id)
            .fetch_all(conn)
            .await?;
    rows.iter()
        .map(|(body,)| serde_json::from_str(body).map_err(|e| sqlx::Error::Decode(e.to_string().into()).into()))
        .collect()
}

/// Stores an assignment (also used by the seed).
pub async fn insert(conn: &mut SqliteConnection, a: &RoleAssignment, at: i64) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT OR IGNORE INTO role_assignments (id, reservation_order_id, created_at, body) VALUES (?, ?, ?, ?)")
        .bind(&a.id)
        .bind(&a.reservation_order_id)
        .bind(at)
        .bind(serde_json::to_string(a).unwrap_or_default())
        .execute(conn)
        .await?;
    Ok(())
}

/// `GET …/roleAssignments`.
pub async fn list(State(state): State<AppState>, Path(order_id): Path<String>) -> Result<Json<Vec<RoleAssignment>>, ApiError> {
    let mut conn = state.db.acquire().await?;
    require_order(&mut conn, &order_id).await?;
    Ok(Json(assignments(&mut conn, &order_id).await?))
}

/// `POST …/roleAssignments`: 201 with the assignment.
pub async fn create(
    State(state): State<AppState>,
    Extension(user): Extension<User>,
    Path(order_id): Path<String>,
    ApiJson(new): ApiJson<NewRoleAssignment>,
) -> Result<(StatusCode, Json<RoleAssignment>), ApiError> {
    let mut tx = state.db.begin().await?;
    require_order(&mut tx, &order_id).await?;
    let checked = access_control::validate(&new, &assignments(&mut tx, &order_id).await?)?;
    let created = RoleAssignment { id: uuid::Uuid::new_v4().to_string(), reservation_order_id: order_id, assignment: checked };
    insert(&mut tx, &created, state.now().timestamp()).await?;
    let change = format!("{} gets {:?}", created.assignment.principal_name, created.assignment.role);
    audit::record(&mut tx, state.now(), &user, "addRoleAssignment", format!("reservationOrders/{}/roleAssignments/{}", created.reservation_order_id, created.id), None, change).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// `DELETE …/roleAssignments/{id}`: 204; an assignment of another order is not found.
pub async fn delete(
    State(state): State<AppState>,
    Extension(user): Extension<User>,
    Path((order_id, id)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let mut tx = state.db.begin().await?;
    let done = sqlx::query("DELETE FROM role_assignments WHERE reservation_order_id = ? AND id = ?")
        .bind(&order_id)
        .bind(&id)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(ApiError::NotFound(format!("Reservation order '{order_id}' has no role assignment '{id}'.")));
    }
    audit::record(&mut tx, state.now(), &user, "removeRoleAssignment", format!("reservationOrders/{order_id}/roleAssignments/{id}"), None, "removed".into()).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
