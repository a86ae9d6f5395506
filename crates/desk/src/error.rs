//! What the desk answers when it does not answer a result.

use contract::{Problem, ProblemCode};
use desk_service::ServiceError;

/// A store could not read or write; nothing was changed (the store's transaction rolled back).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct StoreError(pub String);

impl StoreError {
    /// A stored value that does not read back: the store was written by something else.
    pub fn corrupt(what: &str, detail: impl std::fmt::Display) -> Self {
        Self(format!("stored {what} is not valid: {detail}"))
    }
}

/// Why an operation gave no result: a refusal the caller can act on (the problem document), or
/// a store failure (logged by the adapter, answered as a generic 500).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DeskError {
    /// A refusal with a stable code (its status follows from the code).
    #[error("{}", .0.detail)]
    Refused(Problem),
    /// The store failed.
    #[error("store: {0}")]
    Store(#[from] StoreError),
}

impl DeskError {
    /// A 404 with `detail`.
    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::Refused(Problem::not_found(detail))
    }

    /// A malformed request (400); `field` is the JSON path to blame, when known.
    pub fn malformed(detail: impl Into<String>, field: Option<String>) -> Self {
        Self::Refused(Problem::new(ProblemCode::MalformedRequest, detail, field))
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        match self {
            Self::Refused(problem) => problem.status,
            Self::Store(_) => 500,
        }
    }

    /// The problem document sent to the client; a store failure's own text is not sent.
    pub fn problem(&self) -> Problem {
        match self {
            Self::Refused(problem) => problem.clone(),
            Self::Store(_) => Problem::new(
                ProblemCode::Internal,
                "The server could not complete the request and changed nothing; try again.",
                None,
            ),
        }
    }
}

impl From<ServiceError> for DeskError {
    fn from(e: ServiceError) -> Self {
        Self::Refused(e.into())
    }
}

impl From<quote_engine::InputError> for DeskError {
    fn from(e: quote_engine::InputError) -> Self {
        let code = match e.kind {
            Some(quote_engine::QuoteErrorKind::InvalidSkuName) => ProblemCode::InvalidSkuName,
            _ => ProblemCode::InvalidQuoteInput,
        };
        Self::Refused(Problem::new(code, e.to_string(), Some(e.field)))
    }
}
