//! What went wrong talking to Azure, as the desk records it on a customer: a stable code (Azure's
//! own when it gave one), Azure's message, and the IDs Microsoft's support traces the call by.
//! Never a token.

pub use contract::source::AzureRequestIds;

/// A failed call: Azure's answer, or why there was none.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {message}")]
pub struct AzureError {
    /// The HTTP status Azure answered, if it answered.
    pub status: Option<u16>,
    /// Azure's error code (`AuthorizationFailed`, `invalid_grant`, …), else one of the client's:
    /// `Timeout`, `Unreachable`, `UnreadableAnswer`, `Throttled`, `UnexpectedLink`, `HttpStatus`.
    pub code: String,
    /// Azure's message, or the client's.
    pub message: String,
    /// The call's IDs (the desk's, and Azure's when it answered): what a partner quotes in a
    /// ticket with Microsoft.
    /// (Boxed: the error stays small in every `Result`.)
    pub request: Box<AzureRequestIds>,
    /// How long Azure asked to wait before asking again (`Retry-After` of a `429` or `503` that
    /// was not waited out), in seconds.
    pub retry_after: Option<u64>,
}

impl AzureError {
    /// A failure the client names itself (`code`), with no answer behind it.
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Self { request: Box::default(), retry_after: None, status: None, code: code.to_owned(), message: message.into() }
    }

    /// The same error, carrying the IDs of the call it came from.
    pub fn with_request(mut self, request: AzureRequestIds) -> Self {
        self.request = Box::new(request);
        self
    }

    /// A failure on this side (no request was answered).
    pub(crate) fn local(message: impl Into<String>) -> Self {
        Self { request: Box::default(), retry_after: None, status: None, code: "Unreachable".into(), message: message.into() }
    }

    /// An answer that is not what Microsoft documents.
    pub(crate) fn unreadable(status: u16, what: &str, err: impl std::fmt::Display) -> Self {
        Self { request: Box::default(), retry_after: None, status: Some(status), code: "UnreadableAnswer".into(), message: format!("{what} could not be read: {err}") }
    }

    /// A request that failed on the way (timeout, refused connection).
    pub(crate) fn transport(what: &str, err: &reqwest::Error) -> Self {
        if err.is_timeout() {
            return Self { request: Box::default(), retry_after: None, status: None, code: "Timeout".into(), message: format!("{what} did not answer in time") };
        }
        // reqwest's Display names the URL, never a header.
        Self { request: Box::default(), retry_after: None, status: None, code: "Unreachable".into(), message: format!("{what} could not be reached: {err}") }
    }

    /// An error answer, read by each service's shape: ARM's `{error: {code, message}}`, the
    /// token endpoint's `{error, error_description}`, Partner Center's `{code, description}`.
    pub(crate) fn from_answer(status: u16, what: &str, body: &[u8]) -> Self {
        // Partner Center may start its JSON with a byte order mark.
        let body = body.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(body);
        let json: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
        let text = |v: &serde_json::Value| match v {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            _ => None,
        };
        let (code, message) = if let Some(error) = json.get("error").filter(|e| e.is_object()) {
            (error.get("code").and_then(text), error.get("message").and_then(text))
        } else if let Some(error) = json.get("error").and_then(text) {
            (Some(error), json.get("error_description").and_then(text))
        } else {
            (json.get("code").and_then(text), json.get("description").or_else(|| json.get("message")).and_then(text))
        };
        Self {
            request: Box::default(),
            retry_after: None,
            status: Some(status),
            code: code.unwrap_or_else(|| "HttpStatus".into()),
            message: message.unwrap_or_else(|| format!("{what} answered HTTP {status}")),
        }
    }
}
