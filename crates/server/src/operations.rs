//! The HTTP adapter of every operation: `/api/{path}` is matched against [`desk::Operation`],
//! its body checked to be JSON, and the desk answers. No operation has a handler of its own.

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use contract::{ProblemCode, User};
use desk::{Call, DeskError, Operation};

use crate::error::ApiError;
use crate::state::AppState;

fn malformed(detail: &str) -> ApiError {
    ApiError(DeskError::Refused(contract::Problem::new(400, ProblemCode::MalformedRequest, detail, None)))
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|mime| {
            let mime = mime.trim().to_ascii_lowercase();
            mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
        })
}

/// Answers any `/api` request (after [`crate::auth::guard`] signed the caller in).
pub async fn answer(
    State(state): State<AppState>,
    Extension(user): Extension<User>,
    method: Method,
    uri: Uri,
    Query(query): Query<Vec<(String, String)>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let path = uri.path().strip_prefix("/api").unwrap_or(uri.path());
    let (op, params) = Operation::find(method.as_str(), path).map_err(DeskError::from)?;
    let text = if op.takes_body() {
        if !is_json(&headers) {
            return Err(malformed("Send the body as JSON (Content-Type: application/json)."));
        }
        Some(std::str::from_utf8(&body).map_err(|_| malformed("The request body is not UTF-8 JSON."))?)
    } else {
        None
    };
    let call = Call::new(user, state.now());
    let reply = state.desk.handle(&call, op, &params, &query, text).await?;
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::OK);
    Ok(match reply.body {
        Some(json) => (status, Json(json)).into_response(),
        None => status.into_response(),
    })
}
