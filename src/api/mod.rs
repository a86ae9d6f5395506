//! All traffic to the backend goes through here, so the rest of the app sees typed results.
//!
//! One function per endpoint of the contract, grouped by resource: each calls its operation of
//! the desk's table (`desk::operation::endpoint`) with its path parameters, so the method, the
//! path and the body types are the table's. [`transport`] decides where a request goes.

mod access_control;
mod alerts;
pub mod base;
mod approvals;
mod configuration;
mod customers;
mod exchanges;
mod grants;
mod purchases;
mod refunds;
mod reservations;
mod source;
mod support;
pub mod transport;
mod statements;
mod worklist;

pub use access_control::*;
pub use alerts::*;
pub use approvals::*;
pub use configuration::*;
pub use customers::*;
pub use exchanges::*;
pub use grants::*;
pub use purchases::*;
pub use refunds::*;
pub use reservations::*;
pub use source::*;
pub use support::*;
pub use statements::*;
pub use worklist::*;

use contract::Problem;

/// Why a backend call failed, in a form the views can show.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApiError {
    /// The backend could not be reached.
    #[error("The server could not be reached ({0}).")]
    Network(String),
    /// The backend answered with a problem document.
    #[error("{}", .0.detail)]
    Problem(Problem),
    /// The backend answered something that is not the contract.
    #[error("The server sent an unexpected answer ({0}).")]
    Unexpected(String),
}

impl ApiError {
    /// Whether trying the same call again can help: a network failure, an unexpected answer or
    /// a server error (5xx) may pass; a refusal (403), something that does not exist (404) or a
    /// request the desk refuses (4xx) answers the same again.
    pub fn may_retry(&self) -> bool {
        match self {
            ApiError::Network(_) | ApiError::Unexpected(_) => true,
            ApiError::Problem(problem) => problem.status >= 500,
        }
    }
}
