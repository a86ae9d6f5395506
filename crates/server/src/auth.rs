//! Sign-in and roles on every `/api` request: the server is the guard, whatever the UI shows.

use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;
use axum::{Extension, Json};
use contract::User;
use desk_service::access;

use crate::error::ApiError;
use crate::state::AppState;

/// Authenticates the bearer token (401), checks the role against the request (403), and
/// hands the user to the handler.
pub async fn guard(State(state): State<AppState>, mut request: Request, next: Next) -> Result<Response, ApiError> {
    let token = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let user = access::authenticate(token, state.demo_users.sign_in())?;
    let path = request.uri().path().strip_prefix("/api").unwrap_or(request.uri().path());
    access::require(&user, access::permission_for(request.method().as_str(), path))?;
    request.extensions_mut().insert(user);
    Ok(next.run(request).await)
}

/// `GET /api/me`: the signed-in user and their role.
pub async fn me(Extension(user): Extension<User>) -> Json<User> {
    Json(user)
}
