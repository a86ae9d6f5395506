//! What the service layer refuses, with the stable code a client translates; the HTTP status
//! follows from the code ([`ProblemCode::status`]).

use contract::{Problem, ProblemCode};

/// A refusal, worded for the partner (English `detail`), with a stable [`ProblemCode`] (which
/// decides the status); `field` names the offending request field.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{detail}")]
pub struct ServiceError {
    code: ProblemCode,
    detail: String,
    field: Option<String>,
}

impl ServiceError {
    /// A refusal with `code`, no one field to blame.
    pub fn new(code: ProblemCode, detail: impl Into<String>) -> Self {
        Self { code, detail: detail.into(), field: None }
    }

    /// A refusal with `code` that blames the request field `field` (a JSON path).
    pub fn invalid(code: ProblemCode, field: &str, detail: impl Into<String>) -> Self {
        Self { code, detail: detail.into(), field: Some(field.to_owned()) }
    }

    /// No such resource, or not the caller's to see (`notFound`).
    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::new(ProblemCode::NotFound, detail)
    }

    /// Signed in, but the role may not do this (`roleForbids`).
    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self::new(ProblemCode::RoleForbids, detail)
    }

    /// The HTTP status code, as the code has it.
    pub fn status(&self) -> u16 {
        self.code.status()
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
        Problem::new(e.code, e.detail, e.field)
    }
}
