use serde::{Deserialize, Serialize};

/// An RFC 9457 problem document (`application/problem+json`), the shape of every API error.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Problem {
    /// A URI reference naming the problem type; `about:blank` when the status says it all.
    #[serde(rename = "type")]
    pub kind: String,
    /// Short, stable, human-readable summary of the problem type.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong this time, in English words a partner can act on.
    pub detail: String,
    /// Which problem this is, stable across releases: clients show their own translated text
    /// for it and fall back to `detail` for a code they do not know.
    #[serde(default)]
    pub code: ProblemCode,
    /// The offending request field (JSON path), when one field is to blame.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// The stable identity of a problem (an extension member of the problem document).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum ProblemCode {
    /// No bearer token was sent (401).
    SignInRequired,
    /// The bearer token is not (or no longer) valid (401).
    TokenInvalid,
    /// The signed-in role may not do this (403).
    RoleForbids,
    /// No such resource, or not the caller's to see (404).
    NotFound,
    /// The body is not JSON, has an unknown field or a value of the wrong type (400).
    MalformedRequest,
    /// A required value is missing or blank (400).
    Required,
    /// A quantity outside what the reservation or the catalog allows (400).
    QuantityOutOfRange,
    /// A text longer than the field allows (400).
    TooLong,
    /// Not an email address (400).
    InvalidEmail,
    /// Not a phone number (400).
    InvalidPhone,
    /// A role assignment's principal that is not a sign-in address (400).
    InvalidPrincipal,
    /// A scope that does not fit its type or is not the customer's own (400).
    ScopeInvalid,
    /// A SKU that is not in the catalog (400).
    NotInCatalog,
    /// The same reservation listed twice (400).
    ListedTwice,
    /// Reservations of different customers in one exchange (400).
    MixedCustomers,
    /// Reservations to merge that differ in SKU, region, term, price or scope (400).
    NotAlike,
    /// A stateless quote's input that the engine cannot read (400).
    InvalidQuoteInput,
    /// The reservation is cancelled or expired (409).
    NotActive,
    /// The quote's session is older than 10 minutes (409).
    SessionExpired,
    /// The figures changed since the quote; quote again (409).
    QuoteChanged,
    /// The refund policy refuses it, e.g. past the refund limit (409).
    PolicyRefused,
    /// The principal already holds the role (409).
    AlreadyAssigned,
    /// Stored data the engine cannot quote (409).
    NotQuotable,
    /// The request body is larger than the server takes (413).
    BodyTooLarge,
    /// The request did not arrive in time, e.g. a body sent a byte at a time (408).
    RequestTimeout,
    /// The server failed; nothing was changed (500).
    Internal,
    /// A code this client does not know (newer server): show `detail`.
    #[default]
    #[serde(other)]
    Other,
}

/// The media type of a [`Problem`].
pub const PROBLEM_JSON: &str = "application/problem+json";

impl Problem {
    /// A problem with the status's standard title.
    pub fn new(status: u16, code: ProblemCode, detail: impl Into<String>, field: Option<String>) -> Self {
        let title = match status {
            400 => "Bad Request",
            401 => "Unauthorized",
            403 => "Forbidden",
            404 => "Not Found",
            409 => "Conflict",
            500 => "Internal Server Error",
            405 => "Method Not Allowed",
            408 => "Request Timeout",
            413 => "Content Too Large",
            415 => "Unsupported Media Type",
            _ => "Error",
        };
        Self { kind: "about:blank".into(), title: title.into(), status, detail: detail.into(), code, field }
    }

    /// A 404 for a resource that does not exist (or is not the caller's to see).
    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::new(404, ProblemCode::NotFound, detail, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_code_is_a_camel_case_member_and_an_unknown_one_reads_as_other() {
        let problem = Problem::new(409, ProblemCode::SessionExpired, "expired", None);
        let json = serde_json::to_value(&problem).unwrap();
        assert_eq!(json["code"], "sessionExpired");
        assert_eq!(json["title"], "Conflict");
        let newer: Problem = serde_json::from_value(serde_json::json!({
            "type": "about:blank", "title": "Conflict", "status": 409, "detail": "d", "code": "somethingNew"
        }))
        .unwrap();
        assert_eq!(newer.code, ProblemCode::Other);
        let older: Problem = serde_json::from_value(serde_json::json!({
            "type": "about:blank", "title": "Conflict", "status": 409, "detail": "d"
        }))
        .unwrap();
        assert_eq!(older.code, ProblemCode::Other);
    }
}
