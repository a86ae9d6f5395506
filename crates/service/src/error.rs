//! What the service layer refuses, with the HTTP status each backend answers with.

/// A refusal, worded for the partner; `field` names the offending request field.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ServiceError {
    /// No such resource, or not the caller's to see (404).
    #[error("{0}")]
    NotFound(String),
    /// A request field is malformed or out of range (400).
    #[error("{detail}")]
    Invalid {
        /// JSON path of the field.
        field: String,
        /// What is wrong.
        detail: String,
    },
    /// No valid sign-in (401).
    #[error("{0}")]
    Unauthorized(String),
    /// Signed in, but the role may not do this (403).
    #[error("{0}")]
    Forbidden(String),
    /// The request is well-formed but the state forbids it now (409/422), e.g. a stale session.
    #[error("{0}")]
    Conflict(String),
}

impl ServiceError {
    /// A 400 for `field`.
    pub fn invalid(field: &str, detail: impl Into<String>) -> Self {
        Self::Invalid { field: field.to_owned(), detail: detail.into() }
    }

    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        match self {
            Self::NotFound(_) => 404,
            Self::Unauthorized(_) => 401,
            Self::Forbidden(_) => 403,
            Self::Invalid { .. } => 400,
            Self::Conflict(_) => 409,
        }
    }

    /// The offending field, when one is to blame.
    pub fn field(&self) -> Option<&str> {
        match self {
            Self::Invalid { field, .. } => Some(field),
            _ => None,
        }
    }
}

impl From<ServiceError> for contract::Problem {
    fn from(e: ServiceError) -> Self {
        let title = match e.status() {
            401 => "Unauthorized",
            403 => "Forbidden",
            404 => "Not Found",
            409 => "Conflict",
            _ => "Bad Request",
        };
        contract::Problem {
            kind: "about:blank".into(),
            title: title.into(),
            status: e.status(),
            detail: e.to_string(),
            field: e.field().map(str::to_owned),
        }
    }
}
