//! Support requests about a reservation.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use chrono::SecondsFormat;
use contract::{NewSupportRequest, SupportRequest, User};
use desk_service::support;
use serde::Deserialize;

use crate::audit;
use crate::error::ApiError;
use crate::json::ApiJson;
use crate::state::AppState;
use crate::store;

/// Query of the support request list.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListQuery {
    /// Only this customer's requests.
    #[serde(default)]
    customer_id: Option<String>,
}

fn decode(body: &str) -> Result<SupportRequest, ApiError> {
    serde_json::from_str(body).map_err(|e| sqlx::Error::Decode(format!("stored support request: {e}").into()).into())
}

/// `GET /api/supportRequests?customerId=`: newest first.
pub async fn list(State(state): State<AppState>, Query(query): Query<ListQuery>) -> Result<Json<Vec<SupportRequest>>, ApiError> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT body FROM support_requests WHERE ?1 IS NULL OR customer_id = ?1 ORDER BY created_at DESC, id DESC",
    )
    .bind(query.customer_id)
    .fetch_all(&state.db)
    .await?;
    rows.iter().map(|(body,)| decode(body)).collect::<Result<_, _>>().map(Json)
}

/// `GET /api/supportRequests/{id}`.
pub async fn get(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<SupportRequest>, ApiError> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT body FROM support_requests WHERE id = ?").bind(&id).fetch_optional(&state.db).await?;
    let (body,) = row.ok_or_else(|| ApiError::NotFound(format!("There is no support request '{id}'.")))?;
    decode(&body).map(Json)
}

/// `POST /api/supportRequests`: 201 with the created request.
pub async fn create(
    State(state): State<AppState>,
    Extension(user): Extension<User>,
    ApiJson(request): ApiJson<NewSupportRequest>,
) -> Result<(StatusCode, Json<SupportRequest>), ApiError> {
    let mut conn = state.db.acquire().await?;
    let (reservation, _) = store::reservation(&mut conn, &request.reservation_order_id, &request.reservation_id)
        .await?
        .ok_or_else(|| {
            ApiError::NotFound(format!(
                "Reservation order '{}' has no reservation '{}'.",
                request.reservation_order_id, request.reservation_id
            ))
        })?;
    support::validate(&request, &reservation)?;
    let now = state.now();
    // Partner Center style: the date, then ten digits.
    let digits = uuid::Uuid::new_v4().as_u128() % 10_000_000_000;
    let id = format!("{}{digits:010}", now.format("%y%m%d"));
    let created = support::create(request, &reservation, id, now.to_rfc3339_opts(SecondsFormat::Secs, true));
    sqlx::query("INSERT INTO support_requests (id, customer_id, created_at, body) VALUES (?, ?, ?, ?)")
        .bind(&created.id)
        .bind(&created.customer_id)
        .bind(now.timestamp())
        .bind(serde_json::to_string(&created).unwrap_or_default())
        .execute(&mut *conn)
        .await?;
    let change = format!("support request {}: {}", created.id, created.request.summary);
    audit::record(&mut conn, now, &user, "createSupportRequest", format!("supportRequests/{}", created.id), Some(&created.customer_id), change).await?;
    Ok((StatusCode::CREATED, Json(created)))
}
