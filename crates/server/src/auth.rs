//! Sign-in on every `/api` request: the server is the guard, whatever the UI shows. The role
//! is checked by the desk against the operation's permission.

use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;
use desk_service::access;

use crate::error::ApiError;
use crate::state::AppState;

/// Authenticates the bearer token (401) and hands the user to the operation.
pub async fn guard(State(state): State<AppState>, mut request: Request, next: Next) -> Result<Response, ApiError> {
    let token = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let user = access::authenticate(token, state.demo_users.sign_in())?;
    request.extensions_mut().insert(user);
    Ok(next.run(request).await)
}
