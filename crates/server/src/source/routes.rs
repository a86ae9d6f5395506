//! `/api/source/…`, behind the sign-in guard like every `/api` path: a customer's source status,
//! and a read of Azure now (all customers, or one) on behalf of the caller. A customer is reached
//! as `GET /api/customers/{id}` reaches it (its permission and grants, through the desk), so a
//! caller who may not see a customer learns nothing of its status.

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use contract::{Problem, ProblemCode, User};
use desk::{Call, DeskError, Operation};

use super::Acting;
use crate::error::ApiError;
use crate::state::AppState;

fn refused(code: ProblemCode, detail: impl Into<String>) -> ApiError {
    ApiError(DeskError::Refused(Problem::new(code, detail, None)))
}

fn not_azure() -> ApiError {
    refused(ProblemCode::NotFound, desk::source::NOT_READING_AZURE)
}

/// The caller acting in Azure: their ID and the bearer token they signed in with.
pub(crate) fn acting(user: &User, headers: &HeaderMap) -> Result<Acting, ApiError> {
    let token = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .unwrap_or_default();
    Acting::of(user, token).ok_or_else(|| {
        refused(ProblemCode::RoleForbids, "Only a user signed in through the identity provider can act in Azure (a demo user cannot).")
    })
}

/// `status` with `stale` as of now, for this server's refresh interval.
fn as_of(state: &AppState, status: contract::source::SourceStatus) -> contract::source::SourceStatus {
    match &state.source {
        Some(source) => desk::source::as_of(status, state.now(), source.interval),
        None => status,
    }
}

/// The customer, as the caller may see it (404 otherwise), through the desk.
async fn reach(state: &AppState, call: &Call, customer_id: &str) -> Result<(), ApiError> {
    state.desk.handle(call, Operation::GetCustomer, &[customer_id.to_owned()], &[], None).await?;
    Ok(())
}

/// `GET /api/source/customers/{customerId}`: when the customer was last read from Azure, why
/// the last read failed, if it did, and whether what the desk shows of it is stale.
pub async fn status(State(state): State<AppState>, Extension(user): Extension<User>, Path(customer_id): Path<String>) -> Result<Response, ApiError> {
    if state.source.is_none() {
        return Err(not_azure());
    }
    let call = Call::new(user, state.now());
    reach(&state, &call, &customer_id).await?;
    match desk::source::SourceStore::source_status(state.desk.store(), &customer_id).await.map_err(DeskError::from)? {
        Some(status) => Ok(Json(as_of(&state, status)).into_response()),
        None => Err(refused(ProblemCode::NotFound, format!("Customer {customer_id} was not read from Azure."))),
    }
}

/// `POST /api/source/refresh`: reads every customer now, on behalf of the caller (who becomes
/// the user the background refresh acts for). 502 `azureUnavailable` when Partner Center cannot
/// be read; a customer whose tenant fails is counted in `failed` and says why on its status.
pub async fn refresh_all(State(state): State<AppState>, Extension(user): Extension<User>, headers: HeaderMap) -> Result<Response, ApiError> {
    let Some(source) = state.source.clone() else { return Err(not_azure()) };
    let acting = acting(&user, &headers)?;
    source.remember(acting.clone());
    match super::read_all(&state, &acting).await {
        Ok(summary) => Ok(Json(summary).into_response()),
        Err(err) => Err(refused(ProblemCode::AzureUnavailable, format!("Partner Center's customers could not be read ({}): {}", err.code, err.message))),
    }
}

/// `POST /api/source/customers/{customerId}/refresh`: reads one customer's reservations now, on
/// behalf of the caller; answers its status (with the error, if this read failed).
pub async fn refresh_one(
    State(state): State<AppState>,
    Extension(user): Extension<User>,
    Path(customer_id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let Some(source) = state.source.clone() else { return Err(not_azure()) };
    let acting = acting(&user, &headers)?;
    let call = Call::new(user, state.now());
    reach(&state, &call, &customer_id).await?;
    source.remember(acting.clone());
    match super::read_one(&state, &acting, &customer_id).await.map_err(DeskError::from)? {
        Some(status) => Ok(Json(as_of(&state, status)).into_response()),
        None => Err(refused(ProblemCode::NotFound, format!("Customer {customer_id} was not read from Azure."))),
    }
}
