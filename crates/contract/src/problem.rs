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
///
/// Read by its name ([`ProblemCode::name`], one match for both directions of the wire), not by
/// serde's derive: a derived `Deserialize` matches the names twice (as text and as bytes), in
/// the first wasm module the SPA loads. An unknown name reads as [`ProblemCode::Other`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
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
    /// The path does not take this method (405); `Allow` names the ones it does.
    MethodNotAllowed,
    /// The body is not sent as JSON (`Content-Type: application/json`) (415).
    UnsupportedMediaType,
    /// A required value is missing or blank (400).
    Required,
    /// A quantity outside what the reservation or the catalog allows (400).
    QuantityOutOfRange,
    /// A text longer than the field allows (400).
    TooLong,
    /// The deployment requires the partner's change or ticket reference on every refund and
    /// exchange (`REQUIRE_TICKET_REFERENCE`), and the request has none (400).
    TicketReferenceRequired,
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
    /// A reservation the request body names does not exist, or not in the order the path names
    /// (400; a reservation the path names is a 404 `notFound`).
    UnknownReservation,
    /// The reservation is still active (or being created or changed): only a finished one
    /// (cancelled, expired, failed, split or merged) can be archived (400).
    IsActive,
    /// The reservation is no longer active (cancelled, expired, split, merged…), so it cannot be
    /// changed, refunded, exchanged, split or merged (409).
    NotActive,
    /// The quote's session is older than 10 minutes (409).
    SessionExpired,
    /// The figures changed since the quote; quote again (409).
    QuoteChanged,
    /// The refund policy refuses it, e.g. past the refund limit (409).
    PolicyRefused,
    /// The principal already holds the role (409).
    AlreadyAssigned,
    /// The refund session was quoted under a policy other than the deployment's (a what-if
    /// quote), so it cannot be returned (409).
    PolicyNotDeployed,
    /// Stored data the engine cannot quote (409).
    NotQuotable,
    /// The request body is larger than the server takes (413).
    BodyTooLarge,
    /// The request did not arrive in time, e.g. a body sent a byte at a time (408).
    RequestTimeout,
    // The server's edge and sign-in.
    /// Demo users are on and the request came through a proxy (`Forwarded`, `X-Forwarded-For`,
    /// `Via` or `X-Real-IP`): a server with public demo tokens answers only its own machine (403).
    DemoUsersBehindProxy,
    /// Demo users are on and the request names a host that is not `localhost` or a loopback
    /// address (a proxy, or a page's DNS rebinding) (403).
    DemoUsersForeignHost,
    /// The bearer token is an ID token (it carries `nonce`), not an access token for the API (401).
    IdTokenRefused,
    // Per-customer grants.
    /// A grant's group that is not a security group's object ID, a GUID (400).
    InvalidGroupId,
    /// The group already holds that role on that customer (or on all customers) (409).
    AlreadyGranted,
    // Input limits.
    /// A text with a control character (a tab, a line break, a bidirectional override…) where
    /// one line of plain text is expected, e.g. a display name (400).
    ControlCharacter,
    /// A list longer than the operation takes, e.g. more than 100 lines of an exchange (400).
    TooManyLines,
    // The dated rules in the stateless quotes.
    /// A quote's `skuName` that is not a SKU name: empty, longer than 128 characters or not
    /// printable ASCII (400).
    InvalidSkuName,
    // Retired VM series.
    /// Automatic renewal turned on for a reservation whose VM series can no longer be renewed
    /// for its term on the day it would renew (a retired series × term) (409).
    RenewalRetired,
    // The desk reading the partner's Azure.
    /// In Azure mode (`--source azure`) the desk reads Azure but does not yet change it: a
    /// refund, an exchange, a configuration change, a split, a merge, an archive or a role
    /// assignment is refused rather than done locally (409).
    AzureChangesNotYetSupported,
    /// In Azure mode what a customer can buy is Azure's catalog for that customer
    /// (`GET /customers/{customerId}/catalog`): the desk's one catalog is not asked (409).
    CatalogPerCustomer,
    /// A read-only pilot of Azure mode (`--azure-read-only true`): the desk reads the partner's
    /// Azure and quotes, but sends Azure nothing that changes anything, so a refund, an exchange,
    /// an approval, a configuration change, a split, a merge, an archive or a role assignment is
    /// refused (409).
    ReadOnlyPilot,
    /// Partner Center or Azure Resource Manager could not be read (unreachable, throttled,
    /// refused): the detail says Azure's reason (502).
    AzureUnavailable,
    /// Azure mode, a money move: Azure Resource Manager could not be reached, timed out, or
    /// answered 5xx or throttled; nothing was recorded. Try again after `Retry-After` (503).
    UpstreamUnavailable,
    /// Azure mode: Azure refused the signed-in user (403 there, e.g. no Admin agent role through
    /// GDAP in the customer's tenant); the detail is Azure's reason (403).
    UpstreamForbidden,
    /// Azure mode: Azure refused the change, or its operation ended failed; nothing was recorded
    /// but Azure's error (409).
    UpstreamRefused,
    /// Azure mode: Azure is still carrying out this return; the desk records it when Azure
    /// confirms it (409).
    UpstreamInProgress,
    /// Azure mode: the server has no key to seal a refresh token with (`DESK_SECRET_KEY_FILE`
    /// unset), so the desk cannot be connected for unattended reads (409).
    SecretKeyMissing,
    /// A reservation read from Azure whose price Azure did not give (its order could not be
    /// read): no refund or exchange is quoted or made on it; the detail says Azure's reason (409).
    PriceUnknown,
    // Maker and checker.
    /// The user who asked for an approval cannot approve or reject it: another user must (403).
    OwnApproval,
    /// The approval request is past its expiry (7 days unless the deployment sets another):
    /// nothing moves; submit the refund or exchange again (409).
    ApprovalExpired,
    /// The approval request was already approved or rejected (409).
    ApprovalClosed,
    /// The server failed; nothing was changed (500).
    Internal,
    /// A code this client does not know (newer server): show `detail`. The server never
    /// answers it. The last code ([`ProblemCode::ALL`] is checked against it).
    #[default]
    Other,
}

impl ProblemCode {
    /// Every code, in the order declared: a code's place is its discriminant (checked when
    /// compiling, below), so a code added before `Other` does not compile until it is here too.
    pub const ALL: [ProblemCode; ProblemCode::Other as usize + 1] = {
        use ProblemCode::*;
        [
            SignInRequired, TokenInvalid, RoleForbids, NotFound, MalformedRequest, MethodNotAllowed, UnsupportedMediaType,
            Required, QuantityOutOfRange, TooLong, TicketReferenceRequired, InvalidEmail, InvalidPhone, InvalidPrincipal,
            ScopeInvalid, NotInCatalog, ListedTwice, MixedCustomers, NotAlike, InvalidQuoteInput, UnknownReservation,
            IsActive, NotActive, SessionExpired, QuoteChanged, PolicyRefused, AlreadyAssigned, PolicyNotDeployed,
            NotQuotable, BodyTooLarge, RequestTimeout, DemoUsersBehindProxy, DemoUsersForeignHost, IdTokenRefused,
            InvalidGroupId, AlreadyGranted, ControlCharacter, TooManyLines, InvalidSkuName, RenewalRetired,
            AzureChangesNotYetSupported, CatalogPerCustomer, ReadOnlyPilot, AzureUnavailable, UpstreamUnavailable,
            UpstreamForbidden, UpstreamRefused, UpstreamInProgress, SecretKeyMissing, PriceUnknown, OwnApproval,
            ApprovalExpired, ApprovalClosed, Internal, Other,
        ]
    };

    /// The code's name on the wire (`sessionExpired`): serde's camelCase of the variant, as the
    /// derived `Serialize` writes it (the tests check each).
    pub const fn name(self) -> &'static str {
        use ProblemCode::*;
        // No `_` arm: a new code does not compile until it has its name here.
        match self {
            SignInRequired => "signInRequired",
            TokenInvalid => "tokenInvalid",
            RoleForbids => "roleForbids",
            NotFound => "notFound",
            MalformedRequest => "malformedRequest",
            MethodNotAllowed => "methodNotAllowed",
            UnsupportedMediaType => "unsupportedMediaType",
            Required => "required",
            QuantityOutOfRange => "quantityOutOfRange",
            TooLong => "tooLong",
            TicketReferenceRequired => "ticketReferenceRequired",
            InvalidEmail => "invalidEmail",
            InvalidPhone => "invalidPhone",
            InvalidPrincipal => "invalidPrincipal",
            ScopeInvalid => "scopeInvalid",
            NotInCatalog => "notInCatalog",
            ListedTwice => "listedTwice",
            MixedCustomers => "mixedCustomers",
            NotAlike => "notAlike",
            InvalidQuoteInput => "invalidQuoteInput",
            UnknownReservation => "unknownReservation",
            IsActive => "isActive",
            NotActive => "notActive",
            SessionExpired => "sessionExpired",
            QuoteChanged => "quoteChanged",
            PolicyRefused => "policyRefused",
            AlreadyAssigned => "alreadyAssigned",
            PolicyNotDeployed => "policyNotDeployed",
            NotQuotable => "notQuotable",
            BodyTooLarge => "bodyTooLarge",
            RequestTimeout => "requestTimeout",
            DemoUsersBehindProxy => "demoUsersBehindProxy",
            DemoUsersForeignHost => "demoUsersForeignHost",
            IdTokenRefused => "idTokenRefused",
            InvalidGroupId => "invalidGroupId",
            AlreadyGranted => "alreadyGranted",
            ControlCharacter => "controlCharacter",
            TooManyLines => "tooManyLines",
            InvalidSkuName => "invalidSkuName",
            RenewalRetired => "renewalRetired",
            AzureChangesNotYetSupported => "azureChangesNotYetSupported",
            CatalogPerCustomer => "catalogPerCustomer",
            ReadOnlyPilot => "readOnlyPilot",
            AzureUnavailable => "azureUnavailable",
            UpstreamUnavailable => "upstreamUnavailable",
            UpstreamForbidden => "upstreamForbidden",
            UpstreamRefused => "upstreamRefused",
            UpstreamInProgress => "upstreamInProgress",
            SecretKeyMissing => "secretKeyMissing",
            PriceUnknown => "priceUnknown",
            OwnApproval => "ownApproval",
            ApprovalExpired => "approvalExpired",
            ApprovalClosed => "approvalClosed",
            Internal => "internal",
            Other => "other",
        }
    }

    /// The code named `name` on the wire; [`ProblemCode::Other`] for a name this build does
    /// not know (a newer server's).
    pub fn from_name(name: &str) -> Self {
        Self::ALL.into_iter().find(|code| code.name() == name).unwrap_or(Self::Other)
    }
}

// Each code at its own place in `ProblemCode::ALL`: all of them, each once (`Other` is last).
const _: () = {
    let mut i = 0;
    while i < ProblemCode::ALL.len() {
        assert!(ProblemCode::ALL[i] as usize == i, "ProblemCode::ALL lists the codes in the order declared");
        i += 1;
    }
};

impl<'de> Deserialize<'de> for ProblemCode {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Name;
        impl serde::de::Visitor<'_> for Name {
            type Value = ProblemCode;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a problem code")
            }
            fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<ProblemCode, E> {
                Ok(ProblemCode::from_name(name))
            }
        }
        deserializer.deserialize_str(Name)
    }
}

/// The media type of a [`Problem`].
pub const PROBLEM_JSON: &str = "application/problem+json";

impl ProblemCode {
    /// The HTTP status a problem with this code answers: the one map from code to status, so a
    /// code means one status wherever it is answered (both backends and the Azure surface).
    pub const fn status(self) -> u16 {
        use ProblemCode::*;
        // No `_` arm: a new code does not compile until it has its status here.
        match self {
            MalformedRequest | Required | QuantityOutOfRange | TooLong | InvalidEmail | InvalidPhone
            | InvalidPrincipal | ScopeInvalid | NotInCatalog | ListedTwice | MixedCustomers | NotAlike
            | InvalidQuoteInput | UnknownReservation | IsActive | InvalidGroupId | ControlCharacter | TooManyLines
            | InvalidSkuName | TicketReferenceRequired => 400,
            SignInRequired | TokenInvalid | IdTokenRefused => 401,
            RoleForbids | DemoUsersBehindProxy | DemoUsersForeignHost | OwnApproval | UpstreamForbidden => 403,
            NotFound => 404,
            MethodNotAllowed => 405,
            RequestTimeout => 408,
            NotActive | SessionExpired | QuoteChanged | PolicyRefused | PolicyNotDeployed | AlreadyAssigned | NotQuotable
            | AlreadyGranted | RenewalRetired | AzureChangesNotYetSupported | CatalogPerCustomer | ReadOnlyPilot | ApprovalExpired | ApprovalClosed | UpstreamRefused
            | UpstreamInProgress | PriceUnknown | SecretKeyMissing => 409,
            BodyTooLarge => 413,
            UnsupportedMediaType => 415,
            Internal | Other => 500,
            AzureUnavailable => 502,
            UpstreamUnavailable => 503,
        }
    }
}

/// The standard title of an HTTP status.
fn title(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Error",
    }
}

impl Problem {
    /// A problem with `code`, its status ([`ProblemCode::status`]) and that status's standard title.
    pub fn new(code: ProblemCode, detail: impl Into<String>, field: Option<String>) -> Self {
        let status = code.status();
        Self { kind: "about:blank".into(), title: title(status).into(), status, detail: detail.into(), code, field }
    }

    /// A 404 for a resource that does not exist (or is not the caller's to see).
    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::new(ProblemCode::NotFound, detail, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_code_is_a_camel_case_member_and_an_unknown_one_reads_as_other() {
        let problem = Problem::new(ProblemCode::SessionExpired, "expired", None);
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

    /// Each code with its name on the wire and its status, one row per code. The `match` the
    /// macro writes has no `_` arm, so a new code does not compile until it has a row here, and
    /// a code whose name or status changes fails the test: both are visible to clients.
    macro_rules! pinned {
        ($($code:ident => $name:literal, $status:literal;)*) => {
            fn pinned(code: ProblemCode) -> (&'static str, u16) {
                match code {
                    $(ProblemCode::$code => ($name, $status),)*
                }
            }
            const CODES: &[ProblemCode] = &[$(ProblemCode::$code),*];
        };
    }

    pinned! {
        SignInRequired => "signInRequired", 401;
        TokenInvalid => "tokenInvalid", 401;
        RoleForbids => "roleForbids", 403;
        NotFound => "notFound", 404;
        MalformedRequest => "malformedRequest", 400;
        MethodNotAllowed => "methodNotAllowed", 405;
        UnsupportedMediaType => "unsupportedMediaType", 415;
        Required => "required", 400;
        QuantityOutOfRange => "quantityOutOfRange", 400;
        TooLong => "tooLong", 400;
        TicketReferenceRequired => "ticketReferenceRequired", 400;
        InvalidEmail => "invalidEmail", 400;
        InvalidPhone => "invalidPhone", 400;
        InvalidPrincipal => "invalidPrincipal", 400;
        ScopeInvalid => "scopeInvalid", 400;
        NotInCatalog => "notInCatalog", 400;
        ListedTwice => "listedTwice", 400;
        MixedCustomers => "mixedCustomers", 400;
        NotAlike => "notAlike", 400;
        InvalidQuoteInput => "invalidQuoteInput", 400;
        UnknownReservation => "unknownReservation", 400;
        IsActive => "isActive", 400;
        NotActive => "notActive", 409;
        SessionExpired => "sessionExpired", 409;
        QuoteChanged => "quoteChanged", 409;
        PolicyRefused => "policyRefused", 409;
        AlreadyAssigned => "alreadyAssigned", 409;
        PolicyNotDeployed => "policyNotDeployed", 409;
        NotQuotable => "notQuotable", 409;
        BodyTooLarge => "bodyTooLarge", 413;
        RequestTimeout => "requestTimeout", 408;
        DemoUsersBehindProxy => "demoUsersBehindProxy", 403;
        DemoUsersForeignHost => "demoUsersForeignHost", 403;
        IdTokenRefused => "idTokenRefused", 401;
        InvalidGroupId => "invalidGroupId", 400;
        AlreadyGranted => "alreadyGranted", 409;
        ControlCharacter => "controlCharacter", 400;
        TooManyLines => "tooManyLines", 400;
        InvalidSkuName => "invalidSkuName", 400;
        RenewalRetired => "renewalRetired", 409;
        AzureChangesNotYetSupported => "azureChangesNotYetSupported", 409;
        CatalogPerCustomer => "catalogPerCustomer", 409;
        ReadOnlyPilot => "readOnlyPilot", 409;
        AzureUnavailable => "azureUnavailable", 502;
        UpstreamUnavailable => "upstreamUnavailable", 503;
        UpstreamForbidden => "upstreamForbidden", 403;
        UpstreamRefused => "upstreamRefused", 409;
        UpstreamInProgress => "upstreamInProgress", 409;
        PriceUnknown => "priceUnknown", 409;
        SecretKeyMissing => "secretKeyMissing", 409;
        OwnApproval => "ownApproval", 403;
        ApprovalExpired => "approvalExpired", 409;
        ApprovalClosed => "approvalClosed", 409;
        Internal => "internal", 500;
        Other => "other", 500;
    }

    #[test]
    fn every_code_answers_one_status_under_its_one_name() {
        let mut names = std::collections::HashSet::new();
        for &code in CODES {
            let (name, status) = pinned(code);
            assert_eq!(code.status(), status, "{code:?}");
            assert!(names.insert(name), "{name} twice");
            let problem = Problem::new(code, "d", None);
            assert_eq!(problem.status, status, "{code:?}");
            assert_ne!(problem.title, "Error", "{code:?}: {status} has no standard title");
            let json = serde_json::to_value(&problem).unwrap();
            assert_eq!((json["code"].as_str(), json["status"].as_u64()), (Some(name), Some(u64::from(status))), "{code:?}");
            let back: Problem = serde_json::from_value(json).unwrap();
            assert_eq!(back, problem, "{code:?} reads back as itself");
            assert_eq!((code.name(), ProblemCode::from_name(name)), (name, code), "{code:?}");
            assert_eq!(serde_json::from_str::<ProblemCode>(&format!("\"{name}\"")).unwrap(), code, "{code:?}");
        }
        // ALL has every code once (checked when compiling) and none but the pinned ones.
        assert_eq!(ProblemCode::ALL.len(), CODES.len());
        assert!(CODES.iter().all(|code| ProblemCode::ALL.contains(code)));
    }

    #[test]
    fn a_code_is_read_from_its_name_only() {
        let read = |json: &str| serde_json::from_str::<ProblemCode>(json).map_err(|e| e.to_string());
        assert_eq!(read("\"notFound\""), Ok(ProblemCode::NotFound));
        // Names are exact: another case or the variant's own spelling is a newer server's code.
        assert_eq!(read("\"NotFound\""), Ok(ProblemCode::Other));
        assert_eq!(read("\"notfound\""), Ok(ProblemCode::Other));
        assert_eq!(read("\"\""), Ok(ProblemCode::Other));
        assert!(read("404").unwrap_err().contains("a problem code"), "{:?}", read("404"));
        assert!(read("null").is_err());
    }
}
