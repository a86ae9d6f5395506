//! Whether a customer's tenant is ready for Azure mode, and when it is not, which class of failure
//! stops it and what fixes it. One classification for every screen and report that says it: from
//! the customer's last read (`contract::source::SourceStatus`) and what that read listed.
//!
//! The classes follow what Azure answers when a partner's access falls short: the desk's API app
//! not consented in the customer's tenant (Entra ID's `consent_required`, `AADSTS65001`, or an
//! `invalid_grant` from the on-behalf-of exchange), the user without a GDAP role that reaches Azure
//! there (ARM's 403 `AuthorizationFailed`: only Admin agents get Azure rights), throttling,
//! Azure out of reach, and anything else said as Azure said it. A read that worked is ready, or
//! read but not quotable where a reservation could not be read or priced; a tenant with no
//! reservations at all is ready, and told apart from one whose reservations could not be read.

use contract::source::SourceStatus;

/// Why a customer's tenant could not be read, by what fixes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FailureClass {
    /// The desk's API app is not consented in the customer's tenant: consent it there (through
    /// Partner Center's application consent, or the tenant's admin).
    ConsentMissing,
    /// The signed-in user has no GDAP role in the customer's tenant that reaches Azure: give the
    /// user's security group the Admin agent role in the customer's GDAP relationship.
    NoAzureRole,
    /// Azure throttled the reads longer than the desk waits: read again later, or fewer tenants at
    /// once.
    Throttled,
    /// Azure could not be reached or did not answer in time, or failed on its side: read again
    /// later.
    AzureUnreachable,
    /// Anything else: Azure's code and message say what.
    Other,
}

/// A customer's readiness for Azure mode.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Readiness {
    /// Read whole, and every reservation listed can be quoted (`reservations` of them; zero is a
    /// tenant with no reservations at all).
    Ready { reservations: usize },
    /// Read, but some reservations cannot be quoted: `unread` could not be read at all, `unpriced`
    /// have no price the desk can derive from their order. `readable` were read and priced.
    NotQuotable { readable: usize, unread: usize, unpriced: usize },
    /// The last read failed, for `class`; Azure's `code` is kept beside it.
    NotRead { class: FailureClass, code: String },
    /// No read was tried yet.
    NeverTried,
}

/// The class of a failed read with Azure's (or the desk's) `code`, HTTP `status` and `message`.
pub fn classify_failure(code: &str, status: Option<u16>, message: &str) -> FailureClass {
    let code_is = |c: &str| code.eq_ignore_ascii_case(c);
    if code_is("consent_required") || message.contains("AADSTS65001") || code_is("invalid_grant") {
        return FailureClass::ConsentMissing;
    }
    if code_is("AuthorizationFailed") || code_is("LinkedAuthorizationFailed") || (status == Some(403) && !code_is("Throttled")) {
        return FailureClass::NoAzureRole;
    }
    if code_is("Throttled") || status == Some(429) {
        return FailureClass::Throttled;
    }
    if code_is("Unreachable") || code_is("Timeout") || status.is_some_and(|s| s >= 500) {
        return FailureClass::AzureUnreachable;
    }
    FailureClass::Other
}

/// A customer's readiness from its last read's `status` (none: never read), the reservations
/// that read listed, and how many of them have no price (`unpriced`).
pub fn readiness(status: Option<&SourceStatus>, listed: usize, unpriced: usize) -> Readiness {
    let Some(status) = status else { return Readiness::NeverTried };
    if let Some(error) = &status.error {
        let class = classify_failure(&error.code, error.status, &error.message);
        return Readiness::NotRead { class, code: error.code.clone() };
    }
    if status.read_at.is_none() {
        return Readiness::NeverTried;
    }
    let unread = status.unread.len();
    let unpriced = unpriced.min(listed);
    if unread == 0 && unpriced == 0 {
        return Readiness::Ready { reservations: listed };
    }
    Readiness::NotQuotable { readable: listed - unpriced, unread, unpriced }
}

#[cfg(test)]
mod tests {
    use super::*;
    use contract::source::{AzureRequestIds, SourceError, UnreadReservation};

    fn read(error: Option<(&str, Option<u16>, &str)>, unread: usize) -> SourceStatus {
        SourceStatus {
            customer_id: "c".into(),
            tenant_id: "t".into(),
            read_at: Some("2026-11-26T08:00:00Z".into()),
            error: error.map(|(code, status, message)| SourceError {
                code: code.into(),
                message: message.into(),
                status,
                at: "2026-11-26T08:00:00Z".into(),
                request: AzureRequestIds::default(),
            }),
            stale: false,
            unread: (0..unread)
                .map(|i| UnreadReservation { id: format!("r{i}"), display_name: None, code: "QuantityUnknown".into(), message: "no quantity".into() })
                .collect(),
        }
    }

    #[test]
    fn each_failure_azure_answers_is_classed_by_what_fixes_it() {
        let cases = [
            // Entra ID's answers to the on-behalf-of exchange where the app is not consented.
            ("consent_required", Some(400), "AADSTS65001: The user or administrator has not consented to use the application", FailureClass::ConsentMissing),
            ("invalid_grant", Some(400), "AADSTS65001: The user or administrator has not consented", FailureClass::ConsentMissing),
            ("invalid_grant", Some(400), "AADSTS50013: Assertion failed signature validation", FailureClass::ConsentMissing),
            ("interaction_required", Some(400), "AADSTS65001: consent needed", FailureClass::ConsentMissing),
            // ARM without a role that reaches Azure in the tenant.
            ("AuthorizationFailed", Some(403), "The client does not have authorization to perform action", FailureClass::NoAzureRole),
            ("HttpStatus", Some(403), "ARM answered HTTP 403", FailureClass::NoAzureRole),
            ("Throttled", Some(429), "Too many requests", FailureClass::Throttled),
            ("HttpStatus", Some(429), "ARM answered HTTP 429", FailureClass::Throttled),
            ("Unreachable", None, "ARM could not be reached", FailureClass::AzureUnreachable),
            ("Timeout", None, "ARM did not answer in time", FailureClass::AzureUnreachable),
            ("InternalServerError", Some(500), "Something went wrong", FailureClass::AzureUnreachable),
            ("HttpStatus", Some(503), "ARM answered HTTP 503", FailureClass::AzureUnreachable),
            ("InvalidTenant", None, "\"x\" is not a tenant ID", FailureClass::Other),
            ("UnreadableAnswer", Some(200), "the list could not be read", FailureClass::Other),
        ];
        for (code, status, message, class) in cases {
            assert_eq!(classify_failure(code, status, message), class, "{code} {status:?} {message}");
            assert_eq!(
                readiness(Some(&read(Some((code, status, message)), 0)), 3, 0),
                Readiness::NotRead { class, code: code.into() },
                "a failed read is not read, whatever it read before"
            );
        }
    }

    #[test]
    fn a_read_is_ready_not_quotable_or_never_tried() {
        assert_eq!(readiness(None, 0, 0), Readiness::NeverTried);
        assert_eq!(readiness(Some(&SourceStatus { read_at: None, ..read(None, 0) }), 0, 0), Readiness::NeverTried);
        assert_eq!(readiness(Some(&read(None, 0)), 4, 0), Readiness::Ready { reservations: 4 });
        assert_eq!(readiness(Some(&read(None, 0)), 0, 0), Readiness::Ready { reservations: 0 }, "no reservations at all is ready");
        assert_eq!(
            readiness(Some(&read(None, 2)), 0, 0),
            Readiness::NotQuotable { readable: 0, unread: 2, unpriced: 0 },
            "none readable is told apart from none at all"
        );
        assert_eq!(readiness(Some(&read(None, 0)), 5, 2), Readiness::NotQuotable { readable: 3, unread: 0, unpriced: 2 });
        assert_eq!(readiness(Some(&read(None, 1)), 2, 9), Readiness::NotQuotable { readable: 0, unread: 1, unpriced: 2 }, "never more unpriced than listed");
    }
}
