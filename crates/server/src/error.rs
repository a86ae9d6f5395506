//! The one error type of the HTTP layer; every error leaves as `application/problem+json`.

use axum::http::{header, StatusCode};
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
