//! `/api/source/…`, behind the sign-in guard like every `/api` path: a customer's source status,
//! and a read of Azure now (all customers, or one) on behalf of the caller. A customer is reached
//! as `GET /api/customers/{id}` reaches it (its permission and grants, through the desk), so a
//! caller who may not see a customer learns nothing of its status.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
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

/// `POST /api/source/refresh`: starts a read of every customer now, on behalf of the caller
/// (who becomes the user the background refresh acts for when the desk is not connected), and
/// answers `202` at once with the read and `Location: /api/source/reads/{readId}` to follow it.
/// When a read is already running, on this server or another of the deployment, that one.
pub async fn refresh_all(State(state): State<AppState>, Extension(user): Extension<User>, headers: HeaderMap) -> Result<Response, ApiError> {
    let Some(source) = state.source.clone() else { return Err(not_azure()) };
    let acting = acting(&user, &headers)?;
    source.remember(acting.clone());
    match super::reads::start(&state, super::reads::ReadFor::User(acting)).await {
        Ok(read) => {
            let location = format!("/api/source/reads/{}", read.id);
            Ok((StatusCode::ACCEPTED, [(header::LOCATION, location)], Json(read)).into_response())
        }
        Err(super::reads::StartError::Azure(err)) => Err(refused(ProblemCode::AzureUnavailable, format!("{}: {}", err.code, err.message))),
        Err(super::reads::StartError::Store(err)) => Err(ApiError(DeskError::from(err))),
    }
}

/// `GET /api/source/reads/{readId}` (`latest`: the newest read): how a read of the book goes.
pub async fn read_status(State(state): State<AppState>, Extension(_user): Extension<User>, Path(read_id): Path<String>) -> Result<Response, ApiError> {
    use crate::reads_store::ReadStore;
    if state.source.is_none() {
        return Err(not_azure());
    }
    let store = state.desk.store();
    let found = if read_id == "latest" { store.latest_read(false).await } else { store.source_read(&read_id).await }.map_err(DeskError::from)?;
    match found {
        Some(read) => Ok(Json(read).into_response()),
        None if read_id == "latest" => Err(refused(ProblemCode::NotFound, "The book was not read from Azure yet.")),
        None => Err(refused(ProblemCode::NotFound, format!("There is no read {read_id}."))),
    }
}

/// The caller may connect or disconnect the desk: the Global admin only.
fn may_connect(user: &User) -> Result<(), ApiError> {
    if desk_service::access::allows(user.role, desk_service::access::Permission::ConsentApp) {
        Ok(())
    } else {
        Err(refused(ProblemCode::RoleForbids, "Connecting the desk for unattended reads needs Global admin."))
    }
}

async fn connection_view(state: &AppState) -> Result<contract::source::AzureConnection, ApiError> {
    use crate::reads_store::ReadStore;
    let can_connect = state.source.as_ref().is_some_and(|s| s.keys.is_some());
    let stored = state.desk.store().connection().await.map_err(DeskError::from)?;
    Ok(super::connection::view(stored.as_ref(), can_connect))
}

/// `GET /api/source/connection`: whether the desk is connected for unattended reads, by whom
/// and since when, or why Entra refused the connection; never the token.
pub async fn connection(State(state): State<AppState>, Extension(_user): Extension<User>) -> Result<Response, ApiError> {
    if state.source.is_none() {
        return Err(not_azure());
    }
    Ok(Json(connection_view(&state).await?).into_response())
}

/// `PUT /api/source/connection`: the signed-in Global admin connects the desk: their token is
/// exchanged on their behalf in the partner's tenant with `offline_access`, and the refresh
/// token Entra gives is sealed and stored (replacing any before). A read with it starts at once.
pub async fn connect(State(state): State<AppState>, Extension(user): Extension<User>, headers: HeaderMap) -> Result<Response, ApiError> {
    let Some(source) = state.source.clone() else { return Err(not_azure()) };
    may_connect(&user)?;
    let acting = acting(&user, &headers)?;
    let Some(keys) = source.keys.clone() else {
        return Err(refused(ProblemCode::SecretKeyMissing, "This server has no key to seal a refresh token with: set DESK_SECRET_KEY_FILE (32 random bytes, e.g. openssl rand -base64 32) and restart it."));
    };
    let partner = source.partner_tenant.clone().or_else(|| acting.tenant.clone()).ok_or_else(|| {
        refused(ProblemCode::AzureUnavailable, "The signed-in user's token names no tenant (tid); set AZURE_PARTNER_TENANT_ID.")
    })?;
    let refresh = source
        .client
        .connect(&acting.obo, &partner)
        .await
        .map_err(|err| refused(ProblemCode::AzureUnavailable, format!("Entra ID gave no grant to keep ({}): {}", err.code, err.message)))?;
    let stored = crate::reads_store::StoredConnection {
        user_id: acting.obo.user.clone(),
        tenant_id: partner,
        user_name: acting.name.clone(),
        connected_at: state.now(),
        key_id: String::new(),
        sealed: String::new(),
        lost: None,
    };
    let connected = super::connection::save(state.desk.store(), &keys, stored, &refresh).await.map_err(|why| ApiError(DeskError::from(desk::StoreError(why))))?;
    if let Ok(mut held) = source.connected.lock() {
        *held = Some(connected.clone());
    }
    tracing::info!(user = %connected.stored.user_name, "a Global admin connected the desk for unattended reads");
    if let Err(err) = super::reads::start(&state, super::reads::ReadFor::Connection(connected)).await {
        tracing::warn!("reading Azure with the new connection did not start: {err}");
    }
    Ok(Json(connection_view(&state).await?).into_response())
}

/// `DELETE /api/source/connection`: forgets the stored connection (unattended reads stop).
pub async fn disconnect(State(state): State<AppState>, Extension(user): Extension<User>) -> Result<Response, ApiError> {
    use crate::reads_store::ReadStore;
    let Some(source) = state.source.clone() else { return Err(not_azure()) };
    may_connect(&user)?;
    state.desk.store().delete_connection().await.map_err(DeskError::from)?;
    if let Ok(mut held) = source.connected.lock() {
        *held = None;
    }
    Ok(Json(connection_view(&state).await?).into_response())
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
