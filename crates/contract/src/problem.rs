use serde::{Deserialize, Serialize};

/// An RFC 9457 problem document (`application/problem+json`), the shape of every API error.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Problem {
    /// A URI reference naming the problem type; `about:blank` when the status says it all.
    #[serde(rename = "type")]
    pub kind: String,
    /// Short, stable, human-readable summary of the problem type.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong this time, in words a partner can act on.
    pub detail: String,
    /// The offending request field (JSON path), when one field is to blame.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// The media type of a [`Problem`].
pub const PROBLEM_JSON: &str = "application/problem+json";

impl Problem {
    /// A 404 for a resource that does not exist (or is not the caller's to see).
    pub fn not_found(detail: impl Into<String>) -> Self {
        Self {
            kind: "about:blank".into(),
            title: "Not Found".into(),
            status: 404,
            detail: detail.into(),
            field: None,
        }
    }
}
