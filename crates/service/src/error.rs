//! What the service layer refuses, with the HTTP status each backend answers with and the
//! stable code a client translates.

use contract::{Problem, ProblemCode};

/// A refusal, worded for the partner (English `detail`), with a stable [`ProblemCode`];
/// `field` names the offending request field.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{detail}")]
pub struct ServiceError {
    status: u16,
    code: ProblemCode,
    detail: String,
    field: Option<String>,
}

impl ServiceError {
    /// No such resource, or not the caller's to see (404).
    pub fn not_found(detail: impl Into<String>) -> Self {
        Self { status: 404, code: ProblemCode::NotFound, detail: detail.into(), field: None }
    }

    /// A request field is malformed or out of range (400).
    pub fn invalid(code: ProblemCode, field: &str, detail: impl Into<String>) -> Self {
        Self { status: 400, code, detail: detail.into(), field: Some(field.to_owned()) }
    }

    /// No valid sign-in (401).
    pub fn unauthorized(code: ProblemCode, detail: impl Into<String>) -> Self {
        Self { status: 401, code, detail: detail.into(), field: None }
    }

    /// Signed in, but the role may not do this (403).
    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self { status: 403, code: ProblemCode::RoleForbids, detail: detail.into(), field: None }
    }

    /// The request is well-formed but the state forbids it now (409), e.g. a stale session.
    pub fn conflict(code: ProblemCode, detail: impl Into<String>) -> Self {
        Self { status: 409, code, detail: detail.into(), field: None }
    }

    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The stable code.
    pub fn code(&self) -> ProblemCode {
        self.code
    }

    /// The offending field, when one is to blame.
    pub fn field(&self) -> Option<&str> {
        self.field.as_deref()
    }
}

impl From<ServiceError> for Problem {
    fn from(e: ServiceError) -> Self {
        Problem::new(e.status, e.code, e.detail, e.field)
    }
}
