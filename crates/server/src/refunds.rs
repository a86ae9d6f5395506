//! Refunds: a customer's limit, `calculateRefund` (a quote and a 10-minute session) and
//! `return` (recompute, refuse if anything changed, else one transaction; once per session).

use axum::extract::{Path, State};
use axum::Extension;
use contract::User;
use axum::Json;
use contract::{CalculateRefundRequest, CalculateRefundResponse, RefundLimit, ReturnRequest, ReturnResponse};
use desk_service::refund;
use contract::ProblemCode;
use desk_service::{limit, ServiceError};
use quote_engine::api::RefundQuoteResponse;
use quote_engine::PolicyName;

use crate::audit;
use crate::error::ApiError;
use crate::json::ApiJson;
use crate::reservations::load_detail;
use crate::sessions;
use crate::state::AppState;
use crate::store::{self, enum_text};

use desk_service::refund::DEFAULT_POLICY;

/// `GET /api/customers/{customerId}/refundLimit`.
pub async fn limit(State(state): State<AppState>, Path(customer_id): Path<String>) -> Result<Json<RefundLimit>, ApiError> {
    let mut conn = state.db.acquire().await?;
    store::require_customer(&mut conn, &customer_id).await?;
    let ledger = store::ledger(&mut conn, &customer_id).await?;
    Ok(Json(limit::refund_limit(&ledger, state.today())?))
}

/// `POST /api/reservationOrders/{orderId}/calculateRefund`.
pub async fn calculate(
    State(state): State<AppState>,
    Path(order_id): Path<String>,
    ApiJson(request): ApiJson<CalculateRefundRequest>,
) -> Result<Json<CalculateRefundResponse>, ApiError> {
    let detail = load_detail(&state, &order_id, &request.reservation_id).await?;
    let policy = request.policy.unwrap_or(DEFAULT_POLICY);
    let mut conn = state.db.acquire().await?;
    let ledger = store::ledger(&mut conn, &detail.reservation.customer_id).await?;
    let now = state.now();
    let quote = refund::quote(&detail, &ledger, now.date_naive(), request.quantity, policy)?;
    let session_id = uuid::Uuid::new_v4().to_string();
    let (expires, expires_at) = sessions::expiry(now);
    sqlx::query(
        "INSERT INTO refund_sessions (id, reservation_order_id, reservation_id, policy, quote, created_at, expires_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&session_id)
    .bind(&order_id)
    .bind(&request.reservation_id)
    .bind(enum_text(&policy))
    .bind(serde_json::to_string(&quote).unwrap_or_default())
    .bind(now.timestamp())
    .bind(expires)
    .execute(&mut *conn)
    .await?;
    Ok(Json(CalculateRefundResponse { session_id, expires_at, policy, quote }))
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    reservation_order_id: String,
    reservation_id: String,
    policy: String,
    quote: String,
    expires_at: i64,
}

/// `POST /api/reservationOrders/{orderId}/return`.
pub async fn submit(
    State(state): State<AppState>,
    Extension(user): Extension<User>,
    Path(order_id): Path<String>,
    ApiJson(request): ApiJson<ReturnRequest>,
) -> Result<Json<ReturnResponse>, ApiError> {
    if request.return_reason.trim().is_empty() {
        return Err(ServiceError::invalid(ProblemCode::Required, "returnReason", "Give a reason for the return.").into());
    }
    let _money = state.money.lock().await;
    // IMMEDIATE: take the write lock before reading the ledger, so even another process on
    // the same file cannot pass the same checks at the same time.
    let mut tx = state.db.begin_with("BEGIN IMMEDIATE").await?;

    // The same session again: answer what was done, move nothing.
    let sql = "SELECT response FROM refunds WHERE session_id = ?";
    if let Some(response) = sessions::completed::<ReturnResponse>(&mut tx, sql, &request.session_id).await? {
        return Ok(Json(response));
    }

    let session: SessionRow = sqlx::query_as::<_, SessionRow>(
        "SELECT reservation_order_id, reservation_id, policy, quote, expires_at FROM refund_sessions WHERE id = ?",
    )
    .bind(&request.session_id)
    .fetch_optional(&mut *tx)
    .await?
    .filter(|s| s.reservation_order_id == order_id)
    .ok_or_else(|| ServiceError::not_found(format!("Reservation order '{order_id}' has no refund session '{}'.", request.session_id)))?;
    let now = state.now();
    if now.timestamp() > session.expires_at {
        return Err(ServiceError::conflict(ProblemCode::SessionExpired, "The refund session has expired (10 minutes). Calculate the refund again.").into());
    }
    let policy: PolicyName = serde_json::from_value(serde_json::Value::String(session.policy.clone()))
        .map_err(|_| sqlx::Error::Decode("stored policy".into()))?;
    let session_quote: RefundQuoteResponse =
        serde_json::from_str(&session.quote).map_err(|e| sqlx::Error::Decode(format!("stored quote: {e}").into()))?;

    let (reservation, usage) = store::reservation(&mut tx, &order_id, &session.reservation_id)
        .await?
        .ok_or_else(|| ServiceError::not_found(format!("Reservation '{}' no longer exists.", session.reservation_id)))?;
    let today = now.date_naive();
    let detail = desk_service::utilization::detail(reservation, usage, today);
    let customer_id = detail.reservation.customer_id.clone();
    let ledger = store::ledger(&mut tx, &customer_id).await?;
    let plan = refund::plan_return(&detail, &ledger, today, &session_quote, policy)?;

    sqlx::query("UPDATE reservations SET quantity = ?, provisioning_state = ? WHERE reservation_order_id = ? AND id = ?")
        .bind(i64::from(plan.remaining_quantity))
        .bind(enum_text(&plan.state))
        .bind(&order_id)
        .bind(&session.reservation_id)
        .execute(&mut *tx)
        .await?;
    if let Some(entry) = &plan.ledger_entry {
        store::insert_ledger_entry(&mut tx, entry).await?;
    }
    let response = ReturnResponse {
        refund_id: uuid::Uuid::new_v4().to_string(),
        session_id: request.session_id.clone(),
        quote: session_quote,
        remaining_quantity: plan.remaining_quantity,
    };
    sqlx::query(
        "INSERT INTO refunds (id, session_id, reservation_order_id, reservation_id, customer_id, quantity, \
         refund_amount, currency, return_reason, created_at, response) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&response.refund_id)
    .bind(&request.session_id)
    .bind(&order_id)
    .bind(&session.reservation_id)
    .bind(&customer_id)
    .bind(i64::from(response.quote.quantity))
    .bind(response.quote.refund_amount.amount.to_string())
    .bind(response.quote.refund_amount.currency.code())
    .bind(request.return_reason.trim())
    .bind(now.timestamp())
    .bind(serde_json::to_string(&response).unwrap_or_default())
    .execute(&mut *tx)
    .await?;
    let change = format!(
        "returned {} unit(s): quantity {} → {}; refund {}",
        response.quote.quantity,
        detail.reservation.quantity,
        plan.remaining_quantity,
        response.quote.refund_amount
    );
    let target = format!("reservationOrders/{order_id}/reservations/{}", session.reservation_id);
    audit::record(&mut tx, now, &user, "refund", target, Some(&customer_id), change).await?;
    tx.commit().await?;
    Ok(Json(response))
}
