//! The one error type of the HTTP layer; every error leaves as `application/problem+json`.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use contract::problem::{Problem, ProblemCode, PROBLEM_JSON};

/// An error answered to the client. Internal details are logged, never sent.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The addressed resource does not exist (or does not belong to its parent).
    #[error("{0}")]
    NotFound(String),
    /// The request is malformed; `field` names the offending JSON path when known.
    #[error("{detail}")]
    BadRequest { code: ProblemCode, detail: String, field: Option<String> },
    /// A refusal of the service layer (404, 400 with a field, 409).
    #[error("{0}")]
    Service(#[from] desk_service::ServiceError),
    /// The path exists, the method does not (405).
    #[error("method not allowed")]
    MethodNotAllowed,
    /// A storage failure: logged, answered as a generic 500.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

impl ApiError {
    fn status(&self) -> StatusCode {
        match self {
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Service(e) => StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST),
            ApiError::Database(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The problem document for this error.
    pub fn problem(&self) -> Problem {
        match self {
            ApiError::NotFound(detail) => Problem::not_found(detail.clone()),
            ApiError::BadRequest { code, detail, field } => Problem::new(400, *code, detail.clone(), field.clone()),
            ApiError::Service(e) => e.clone().into(),
            ApiError::MethodNotAllowed => {
                let mut problem = Problem::new(
                    405,
                    ProblemCode::MalformedRequest,
                    "This path does not take that method; see /api/openapi.json.",
                    None,
                );
                problem.title = "Method Not Allowed".to_owned();
                problem
            }
            ApiError::Database(_) => Problem::new(
                500,
                ProblemCode::Internal,
                "The server could not complete the request and changed nothing; try again.",
                None,
            ),
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
