//! The one error type of the HTTP layer; every error leaves as `application/problem+json`.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use contract::problem::{Problem, PROBLEM_JSON};
use desk::DeskError;

/// The `Retry-After` of `upstreamUnavailable` (Azure could not be reached for a money move).
pub const UPSTREAM_RETRY_AFTER_SECONDS: &str = "30";

/// An error answered to the client. A store failure is logged, never sent.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct ApiError(#[from] pub DeskError);

impl From<desk_service::ServiceError> for ApiError {
    fn from(e: desk_service::ServiceError) -> Self {
        Self(e.into())
    }
}

impl ApiError {
    /// The problem document for this error.
    pub fn problem(&self) -> Problem {
        self.0.problem()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let DeskError::Store(err) = &self.0 {
            tracing::error!(error = %err, "store error");
        }
        let problem = self.problem();
        let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_vec(&problem).unwrap_or_default();
        let mut response = (status, [(header::CONTENT_TYPE, PROBLEM_JSON)], body).into_response();
        // Azure could not be reached for a money move: when to try again (RFC 9110 §10.2.3).
        if problem.code == contract::ProblemCode::UpstreamUnavailable {
            response.headers_mut().insert(header::RETRY_AFTER, header::HeaderValue::from_static(UPSTREAM_RETRY_AFTER_SECONDS));
        }
        response
    }
}

/// The path below the provider's namespace (matched in any case, as ARM does).
pub(crate) fn below_provider(path: &str) -> Option<std::borrow::Cow<'_, str>> {
    const PREFIX: &str = "/providers/microsoft.capacity";
    let below = |path: &str| -> Option<usize> {
        let head = path.get(..PREFIX.len())?;
        let rest = &path[PREFIX.len()..];
        (head.eq_ignore_ascii_case(PREFIX) && (rest.is_empty() || rest.starts_with('/'))).then_some(PREFIX.len())
    };
    if let Some(n) = below(path) {
        return Some(std::borrow::Cow::Borrowed(&path[n..]));
    }
    // A subscription's operation (`/subscriptions/{id}/providers/Microsoft.Capacity/catalogs`):
    // the subscription kept before the rest, as the operation table writes it
    // (`contract::route::on_wire`).
    const SUBSCRIPTIONS: &str = "/subscriptions/";
    let head = path.get(..SUBSCRIPTIONS.len())?;
    if !head.eq_ignore_ascii_case(SUBSCRIPTIONS) {
        return None;
    }
    let id_end = SUBSCRIPTIONS.len() + path[SUBSCRIPTIONS.len()..].find('/')?;
    let n = below(&path[id_end..])?;
    Some(std::borrow::Cow::Owned(format!("/subscriptions/{}{}", &path[SUBSCRIPTIONS.len()..id_end], &path[id_end + n..])))
}

/// An ARM error as the Azure surface answers it (with `Allow` on a 405).
pub(crate) fn arm_error_response(e: azure_api::ArmError) -> Response {
    let status = StatusCode::from_u16(e.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (status, axum::Json(e.body)).into_response();
    if status == StatusCode::METHOD_NOT_ALLOWED {
        if let Some(allow) = e.allow.as_deref().and_then(|a| HeaderValue::from_str(a).ok()) {
            response.headers_mut().insert(header::ALLOW, allow);
        }
    }
    response
}
