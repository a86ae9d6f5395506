//! The one error type of the HTTP layer; every error leaves as `application/problem+json`.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use contract::problem::{Problem, PROBLEM_JSON};

/// An error answered to the client. Internal details are logged, never sent.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The addressed resource does not exist (or does not belong to its parent).
    #[error("{0}")]
    NotFound(String),
    /// The request is malformed; `field` names the offending JSON path when known.
    #[error("{detail}")]
    BadRequest { detail: String, field: Option<String> },
    /// A refusal of the service layer (404, 400 with a field, 409).
    #[error("{0}")]
    Service(#[from] desk_service::ServiceError),
    /// A storage failure: logged, answered as a generic 500.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

impl ApiError {
    fn status(&self) -> StatusCode {
        match self {
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::Service(e) => StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST),
            ApiError::Database(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The problem document for this error.
    pub fn problem(&self) -> Problem {
        let status = self.status();
        let (detail, field) = match self {
            ApiError::NotFound(detail) => (detail.clone(), None),
            ApiError::BadRequest { detail, field } => (detail.clone(), field.clone()),
            ApiError::Service(e) => (e.to_string(), e.field().map(str::to_owned)),
            ApiError::Database(_) => ("The server could not complete the request; try again.".to_owned(), None),
        };
        Problem {
            kind: "about:blank".to_owned(),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail,
            field,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Database(err) = &self {
            tracing::error!(error = %err, "database error");
        }
        let problem = self.problem();
        let status = self.status();
        let body = serde_json::to_vec(&problem).unwrap_or_default();
        (status, [(header::CONTENT_TYPE, PROBLEM_JSON)], body).into_response()
    }
}
