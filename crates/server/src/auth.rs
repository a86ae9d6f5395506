//! Sign-in on every `/api` request: the server is the guard, whatever the UI shows. Who the
//! caller is is decided here, in the adapter: a demo token (where demo users are on), else an
//! access token of the configured OpenID Connect issuer (`oidc.rs`). The role is checked by the
//! desk against the operation's permission.

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap};
use contract::User;
use desk::DeskError;
use axum::middleware::Next;
use axum::response::Response;
use desk_service::access;

use crate::error::ApiError;
use crate::state::AppState;

/// Authenticates the bearer token (401; 403 for a valid token without a partner role) and hands
/// the user to the operation.
pub async fn guard(State(state): State<AppState>, mut request: Request, next: Next) -> Result<Response, ApiError> {
    let user = sign_in(&state, request.headers()).await?;
    // `/api/source/…` remembers the user and reads by itself.
    if let Some(source) = state.source.as_ref().filter(|_| !request.uri().path().starts_with("/api/source/")) {
        // Azure mode: the user's token is what the background refresh acts with (memory only);
        // the first signed-in request since start reads Azure.
        let token = request.headers().get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
        if let Some(acting) = token.and_then(|t| crate::source::Acting::of(&user, t.trim())) {
            if source.remember(acting.clone()) {
                // The first since start: money moves left unfinished by the last run are carried
                // on (they need a user's token), and Azure is read.
                crate::source::resume_in_background(state.clone(), acting.clone());
                crate::source::read_in_background(state.clone(), acting);
            }
        }
    }
    request.extensions_mut().insert(user);
    Ok(next.run(request).await)
}

/// Who sends `headers`: a demo token where demo users are on, else an access token of the
/// configured issuer. Both surfaces (`/api` and the Azure one) sign in through this.
pub async fn sign_in(state: &AppState, headers: &HeaderMap) -> Result<User, DeskError> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let demo = state.demo_users.sign_in();
    Ok(match (token, state.oidc.as_deref()) {
        (Some(token), Some(oidc)) if !(demo && access::demo_user(token).is_some()) => oidc.sign_in(token, state.now()).await?,
        _ => access::authenticate(token, demo)?,
    })
}
