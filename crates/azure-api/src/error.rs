//! Errors in ARM's shape: `{"error": {"code", "message", "target"?}}`, with the desk's stable
//! problem codes, so a script can branch on the same names the SPA does.

use contract::{Problem, ProblemCode};
use serde::Serialize;

/// The api-version this surface answers.
pub const API_VERSION: &str = "2022-11-01";

/// An ARM error response body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorResponse {
    /// The error.
    pub error: ErrorDetail,
}

/// ARM's error detail.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorDetail {
    /// A stable code (the desk's `ProblemCode`, or ARM's own for the api-version).
    pub code: String,
    /// What went wrong, in English.
    pub message: String,
    /// The request field to blame, when one is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
}

/// A status with its ARM error body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArmError {
    /// The HTTP status.
    pub status: u16,
    /// The body.
    pub body: ErrorResponse,
    /// For a 405: the methods the path takes (the `Allow` header).
    pub allow: Option<String>,
}

impl ArmError {
    /// An error of `status` with `code` and `message`: for ARM's own codes (the api-version's);
    /// the desk's codes come with their status from a [`Problem`].
    pub fn new(status: u16, code: impl Into<String>, message: impl Into<String>, target: Option<String>) -> Self {
        ArmError { status, body: ErrorResponse { error: ErrorDetail { code: code.into(), message: message.into(), target } }, allow: None }
    }

    /// A 405 (`methodNotAllowed`): the path takes only `allow`.
    pub fn method_not_allowed(allow: impl Into<String>) -> Self {
        let allow = allow.into();
        let message = format!("This path takes only {allow}.");
        ArmError { allow: Some(allow), ..Self::from(&Problem::new(ProblemCode::MethodNotAllowed, message, None)) }
    }

    /// A 415 (`unsupportedMediaType`): the body is not sent as JSON.
    pub fn not_json() -> Self {
        Self::from(&Problem::new(ProblemCode::UnsupportedMediaType, "Send the body as JSON (Content-Type: application/json).", None))
    }

    /// The server failed (500 `internal`).
    pub fn internal(message: impl Into<String>) -> Self {
        Self::from(&Problem::new(ProblemCode::Internal, message, None))
    }

    /// No such resource (404), in the desk's words.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::from(&Problem::not_found(message))
    }

    /// A malformed request (400) blaming `target`.
    pub fn malformed(message: impl Into<String>, target: Option<&str>) -> Self {
        Self::from(&Problem::new(ProblemCode::MalformedRequest, message, target.map(str::to_owned)))
    }

    /// The same error with its target nested as ARM's body nests the desk's fields: the desk
    /// blames `quantities` where the request said `properties.quantities`.
    pub fn within_properties(self) -> Self {
        self.within("properties")
    }

    /// The same error with its target nested in the request's member `object`: the desk blames
    /// a refund's `quantity` where the request said `properties.reservationToReturn.quantity`.
    pub fn within(mut self, object: &str) -> Self {
        if let Some(target) = self.body.error.target.take() {
            self.body.error.target = Some(format!("{object}.{target}"));
        }
        self
    }

    /// The same error naming only a member that `body` (the request as sent) holds: a target
    /// it does not hold, such as a list the request left out, is narrowed to the nearest member
    /// that holds it (the object that leaves the list out, as a missing member is named), or
    /// left out when the body holds none of it.
    pub fn held_by(mut self, body: &serde_json::Value) -> Self {
        if let Some(target) = self.body.error.target.take() {
            self.body.error.target = held(body, &target);
        }
        self
    }

    /// Checks the `api-version` query parameter: missing or another version is a 400 with
    /// ARM's own codes (`MissingApiVersionParameter`, `InvalidApiVersionParameter`).
    pub fn check_api_version(given: Option<&str>) -> Result<(), ArmError> {
        match given {
            Some(API_VERSION) => Ok(()),
            None => Err(ArmError::new(
                400,
                "MissingApiVersionParameter",
                format!("The api-version query parameter (?api-version=) is required for all requests; this server supports '{API_VERSION}'."),
                Some("api-version".into()),
            )),
            Some(other) => Err(ArmError::new(
                400,
                "InvalidApiVersionParameter",
                format!("The api-version '{other}' is invalid. The supported version is '{API_VERSION}'."),
                Some("api-version".into()),
            )),
        }
    }
}

/// The longest part of `target` (`properties.list[0].member`) that names a member of `body`.
fn held(body: &serde_json::Value, target: &str) -> Option<String> {
    let mut at = body;
    let mut found: Option<String> = None;
    for part in target.split('.') {
        let (name, indexes) = part.split_at(part.find('[').unwrap_or(part.len()));
        let Some(next) = at.as_object().and_then(|o| o.get(name)) else { break };
        at = next;
        let mut path = match &found {
            Some(p) => format!("{p}.{name}"),
            None => name.to_owned(),
        };
        found = Some(path.clone());
        for index in indexes.split('[').skip(1) {
            let Some(next) = index.strip_suffix(']').and_then(|i| i.parse::<usize>().ok()).and_then(|i| at.as_array().and_then(|a| a.get(i))) else {
                return found;
            };
            at = next;
            path = format!("{path}[{index}");
            found = Some(path.clone());
        }
    }
    found
}

impl From<&Problem> for ArmError {
    fn from(p: &Problem) -> Self {
        let code = serde_json::to_value(p.code).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_else(|| "other".into());
        ArmError::new(p.status, code, p.detail.clone(), p.field.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_keeps_its_status_code_words_and_field() {
        let problem = Problem::new(ProblemCode::SessionExpired, "The quote expired; calculate again.", Some("sessionId".into()));
        let error = ArmError::from(&problem);
        assert_eq!(error.status, 409);
        assert_eq!(
            serde_json::to_value(&error.body).unwrap(),
            serde_json::json!({"error": {"code": "sessionExpired", "message": "The quote expired; calculate again.", "target": "sessionId"}})
        );
        let nested = ArmError::from(&Problem::new(ProblemCode::QuantityOutOfRange, "x", Some("sources[1]".into()))).within_properties();
        assert_eq!(nested.body.error.target.as_deref(), Some("properties.sources[1]"));
        let no_field = ArmError::not_found("No such reservation.");
        assert_eq!(serde_json::to_value(&no_field.body).unwrap(), serde_json::json!({"error": {"code": "notFound", "message": "No such reservation."}}));
    }

    #[test]
    fn a_target_is_narrowed_to_the_nearest_member_the_request_holds() {
        let body = serde_json::json!({"properties": {"reservationsToExchange": [{"quantity": 1}], "list": [[0]]}});
        let target = |t: &str| ArmError::malformed("x", Some(t)).held_by(&body).body.error.target;
        assert_eq!(target("properties.reservationsToExchange[0].quantity").as_deref(), Some("properties.reservationsToExchange[0].quantity"));
        assert_eq!(target("properties.reservationsToPurchase").as_deref(), Some("properties"), "a list left out: the object that leaves it out");
        assert_eq!(target("properties.reservationsToExchange[3].quantity").as_deref(), Some("properties.reservationsToExchange"));
        assert_eq!(target("properties.reservationsToExchange[0].properties.quantity").as_deref(), Some("properties.reservationsToExchange[0]"));
        assert_eq!(target("properties.list[0][0]").as_deref(), Some("properties.list[0][0]"));
        assert_eq!(target("properties.list[0][1]").as_deref(), Some("properties.list[0]"));
        assert_eq!(target("sessionId"), None, "none of it: no target");
        assert_eq!(ArmError::malformed("x", None).held_by(&body).body.error.target, None);
        let nested = ArmError::malformed("x", Some("quantity")).within("properties.reservationToReturn");
        assert_eq!(nested.body.error.target.as_deref(), Some("properties.reservationToReturn.quantity"));
    }

    #[test]
    fn the_adapters_own_refusals_keep_their_arm_codes_and_statuses() {
        let code = |e: &ArmError| (e.status, e.body.error.code.clone());
        let wrong_method = ArmError::method_not_allowed("GET, PATCH");
        assert_eq!((code(&wrong_method), wrong_method.allow.as_deref()), ((405, "methodNotAllowed".into()), Some("GET, PATCH")));
        assert_eq!(code(&ArmError::not_json()), (415, "unsupportedMediaType".into()));
        assert_eq!(code(&ArmError::internal("x")), (500, "internal".into()));
        assert_eq!(code(&ArmError::malformed("x", None)), (400, "malformedRequest".into()));
        assert_eq!(code(&ArmError::not_found("x")), (404, "notFound".into()));
    }

    #[test]
    fn only_the_one_api_version_is_answered() {
        assert_eq!(ArmError::check_api_version(Some("2022-11-01")), Ok(()));
        let missing = ArmError::check_api_version(None).unwrap_err();
        assert_eq!((missing.status, missing.body.error.code.as_str()), (400, "MissingApiVersionParameter"));
        let other = ArmError::check_api_version(Some("2020-01-01")).unwrap_err();
        assert_eq!((other.status, other.body.error.code.as_str()), (400, "InvalidApiVersionParameter"));
        assert!(other.body.error.message.contains("2020-01-01") && other.body.error.message.contains("2022-11-01"));
    }
}
