//! Exchanges: the catalog, `calculateExchange` (a quote and a 10-minute session) and
//! `exchange` (recompute, refuse if anything changed, else one transaction; once per session).

use axum::extract::State;
use axum::Extension;
use axum::Json;
use contract::{
    CalculateExchangeRequest, CalculateExchangeResponse, CatalogItem, ExchangeRequest, ExchangeResponse,
    ReservationDetail, Scope, User,
};
use desk_service::exchange::{self, CheckedReturn};
use desk_service::utilization::{self, UsageProfile};
use contract::ProblemCode;
use desk_service::ServiceError;
use quote_engine::api::ExchangeQuoteResponse;
use sqlx::SqliteConnection;

use crate::audit;
use crate::configuration::scopes_of;
use crate::error::ApiError;
use crate::json::ApiJson;
use crate::sessions;
use crate::state::AppState;
use crate::store::{self, enum_text, ReservationRow, RESERVATION_COLUMNS};

/// How a newly bought reservation is used in the demo (it has no history yet).
const NEW_RESERVATION_USAGE: UsageProfile = UsageProfile { level: Some(75) };

/// `GET /api/catalog`.
pub async fn catalog() -> Json<Vec<CatalogItem>> {
    Json(exchange::catalog())
}

/// The returned reservations with their histories, and the customer's scopes.
async fn load(
    conn: &mut SqliteConnection,
    request: &CalculateExchangeRequest,
    today: chrono::NaiveDate,
) -> Result<(Vec<ReservationDetail>, Vec<Scope>), ApiError> {
    let mut details = Vec::new();
    for (i, ret) in request.reservations_to_exchange.iter().enumerate() {
        let row: Option<ReservationRow> =
            sqlx::query_as(&format!("SELECT {RESERVATION_COLUMNS} FROM reservations WHERE id = ?"))
                .bind(&ret.reservation_id)
                .fetch_optional(&mut *conn)
                .await?;
        let (r, usage) = row
            .ok_or_else(|| ServiceError::invalid(ProblemCode::NotFound, &format!("reservationsToExchange[{i}].reservationId"), format!("No reservation has the ID '{}'.", ret.reservation_id)))?
            .into_reservation()?;
        details.push(utilization::detail(r, usage, today));
    }
    let scopes = match details.first() {
        Some(d) => scopes_of(conn, &d.reservation.customer_id).await?,
        None => Vec::new(),
    };
    Ok((details, scopes))
}

fn checked<'a>(details: &'a [ReservationDetail], request: &CalculateExchangeRequest) -> Vec<CheckedReturn<'a>> {
    details
        .iter()
        .zip(&request.reservations_to_exchange)
        .map(|(detail, ret)| CheckedReturn { detail, quantity: ret.quantity })
        .collect()
}

/// `POST /api/calculateExchange`.
pub async fn calculate(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<CalculateExchangeRequest>,
) -> Result<Json<CalculateExchangeResponse>, ApiError> {
    let now = state.now();
    let mut conn = state.db.acquire().await?;
    let (details, scopes) = load(&mut conn, &request, now.date_naive()).await?;
    let quote = exchange::quote(&checked(&details, &request), &request.reservations_to_purchase, &scopes, now.date_naive())?;
    let session_id = uuid::Uuid::new_v4().to_string();
    let (expires, expires_at) = sessions::expiry(now);
    sqlx::query("INSERT INTO exchange_sessions (id, request, quote, created_at, expires_at) VALUES (?, ?, ?, ?, ?)")
        .bind(&session_id)
        .bind(serde_json::to_string(&request).unwrap_or_default())
        .bind(serde_json::to_string(&quote).unwrap_or_default())
        .bind(now.timestamp())
        .bind(expires)
        .execute(&mut *conn)
        .await?;
    Ok(Json(CalculateExchangeResponse { session_id, expires_at, quote }))
}

/// `POST /api/exchange`.
pub async fn submit(
    State(state): State<AppState>,
    Extension(user): Extension<User>,
    ApiJson(request): ApiJson<ExchangeRequest>,
) -> Result<Json<ExchangeResponse>, ApiError> {
    let _money = state.money.lock().await;
    // IMMEDIATE: take the write lock before reading the ledger, so even another process on
    // the same file cannot pass the same checks at the same time.
    let mut tx = state.db.begin_with("BEGIN IMMEDIATE").await?;
    let sql = "SELECT response FROM exchanges WHERE session_id = ?";
    if let Some(response) = sessions::completed::<ExchangeResponse>(&mut tx, sql, &request.session_id).await? {
        return Ok(Json(response));
    }
    let (stored_request, stored_quote, expires_at): (String, String, i64) =
        sqlx::query_as("SELECT request, quote, expires_at FROM exchange_sessions WHERE id = ?")
            .bind(&request.session_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| ServiceError::not_found(format!("There is no exchange session '{}'.", request.session_id)))?;
    let now = state.now();
    if now.timestamp() > expires_at {
        return Err(ServiceError::conflict(ProblemCode::SessionExpired, "The exchange session has expired (10 minutes). Calculate the exchange again.").into());
    }
    let decode = |e: serde_json::Error| sqlx::Error::Decode(format!("stored exchange session: {e}").into());
    let original: CalculateExchangeRequest = serde_json::from_str(&stored_request).map_err(decode)?;
    let session_quote: ExchangeQuoteResponse = serde_json::from_str(&stored_quote).map_err(decode)?;
    let today = now.date_naive();
    let (details, scopes) = load(&mut tx, &original, today).await?;
    let plan = exchange::plan_exchange(
        &checked(&details, &original),
        &original.reservations_to_purchase,
        &scopes,
        today,
        &request.session_id,
        &session_quote,
    )?;
    for (order_id, reservation_id, left, state_after) in &plan.returns {
        sqlx::query("UPDATE reservations SET quantity = ?, provisioning_state = ? WHERE reservation_order_id = ? AND id = ?")
            .bind(i64::from(*left))
            .bind(enum_text(state_after))
            .bind(order_id)
            .bind(reservation_id)
            .execute(&mut *tx)
            .await?;
    }
    for r in &plan.purchased {
        store::insert_reservation(&mut tx, r, NEW_RESERVATION_USAGE).await?;
    }
    let response = ExchangeResponse {
        session_id: request.session_id.clone(),
        reservation_order_id: plan.order_id.clone(),
        purchased: plan.purchased,
        quote: session_quote,
    };
    sqlx::query("INSERT INTO exchanges (session_id, reservation_order_id, created_at, response) VALUES (?, ?, ?, ?)")
        .bind(&request.session_id)
        .bind(&plan.order_id)
        .bind(now.timestamp())
        .bind(serde_json::to_string(&response).unwrap_or_default())
        .execute(&mut *tx)
        .await?;
    let change = format!(
        "returned {} reservation(s), bought {} in order {}; net payable {}",
        plan.returns.len(),
        response.purchased.len(),
        plan.order_id,
        response.quote.net_payable
    );
    let customer = response.purchased.first().map(|r| r.customer_id.clone());
    audit::record(&mut tx, now, &user, "exchange", format!("exchange/{}", request.session_id), customer.as_deref(), change).await?;
    tx.commit().await?;
    Ok(Json(response))
}
