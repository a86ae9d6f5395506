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
//!
//! The partner's GDAP relationships (Microsoft Graph, `desk_service::gdap`) say more: ARM's
//! refusal for want of a role is the relationship that reached Azure having ended, or no
//! relationship ever reaching Azure, when the last read of Graph shows it (both fixed by renewing
//! the relationship in Partner Center); and a tenant that can be read is warned when its
//! relationship that reaches Azure ends within 30 days without extending itself, or has ended.
//!
//! The customer's directory (Microsoft Graph) is told apart: Access control finds people by name
//! there only where the desk's application consent carries Graph's grant, and Partner Center
//! cannot be asked what a consent grants. What Graph answered last ([`directory_state`]) is
//! kept; a tenant whose consent predates Graph's grant needs consent again (renewed), and Graph
//! is asked again with each read until it answers ([`directory_probe_due`]).

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use contract::gdap::GdapStatus;
use contract::source::{CustomerReadiness, DirectoryAccess, DirectoryState, ReadinessState, SourceStatus};
use contract::Customer;

use crate::gdap::{self, Standing};

pub use contract::source::{FailureClass, ReadinessWarning, Remedy};

/// A customer's readiness for Azure mode.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Readiness {
    /// Read whole, and every reservation listed can be quoted (`reservations` of them; zero is a
    /// tenant with no reservations at all).
    Ready { reservations: usize },
    /// Read, but some reservations cannot be quoted: `unread` could not be read at all, `unpriced`
    /// have no price the desk can derive from their order. `readable` were read and priced.
    NotQuotable { readable: usize, unread: usize, unpriced: usize },
    /// Read, but Azure refused the user a refund or an exchange quote there (403, `code`): the
    /// user reads the tenant's reservations and cannot change them.
    ReadOnly { reservations: usize, code: String },
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

/// What Microsoft Graph's (or, for Graph's token, Entra ID's) refusal of a directory read says of
/// the desk's directory reads in the tenant, from its `code`, HTTP `status` and `message`: not
/// consented (`consent_required`, `AADSTS65001`, or `invalid_grant` / `interaction_required`
/// saying `consent_required`: the application consent there carries no grant on Graph), not
/// allowed (Graph's 403, `Authorization_RequestDenied`: a permission the consent lacks, or a user
/// who may not read the directory), or `None` when it says nothing of them (a 401 of the desk's
/// own credentials, throttled, out of reach, a query Graph refused).
pub fn directory_state(code: &str, status: Option<u16>, message: &str) -> Option<DirectoryState> {
    let code_is = |c: &str| code.eq_ignore_ascii_case(c);
    let says_consent = (code_is("invalid_grant") || code_is("interaction_required")) && message.contains("consent_required");
    if code_is("consent_required") || message.contains("AADSTS65001") || says_consent {
        Some(DirectoryState::NotConsented)
    } else if status == Some(403) || code_is("Authorization_RequestDenied") {
        Some(DirectoryState::NotAllowed)
    } else {
        None
    }
}

/// Whether `new` replaces the `kept` word on a tenant's directory (the stores keep the newer of two
/// by time): Graph refusing one user's reads (`notAllowed`: a user without Directory Readers)
/// does not replace Graph's answer to another, which says the consent grants the reads.
pub fn directory_word_replaces(kept: Option<&DirectoryAccess>, new: &DirectoryAccess) -> bool {
    !(new.state == DirectoryState::NotAllowed && kept.is_some_and(|k| k.state == DirectoryState::Answered))
}

/// How long Graph's answer stands before a read asks again, at least: each tenant's answer stands
/// this plus its own share of [`DIRECTORY_ANSWER_SPREAD`] ([`directory_answer_stands`]).
pub const DIRECTORY_ANSWER_STANDS: TimeDelta = TimeDelta::days(7);

/// Over how long the tenants' answers come due again: a book's tenants first asked in one read
/// (a new desk, or Graph's grant just renewed everywhere) are asked again over a day of reads,
/// not all in one read a week later.
pub const DIRECTORY_ANSWER_SPREAD: TimeDelta = TimeDelta::days(1);

/// How long Graph's answer in `tenant` stands: [`DIRECTORY_ANSWER_STANDS`] and a share of
/// [`DIRECTORY_ANSWER_SPREAD`] fixed by the tenant's ID (the same on every read and server).
pub fn directory_answer_stands(tenant: &str) -> TimeDelta {
    let spread_minutes = DIRECTORY_ANSWER_SPREAD.num_minutes() as u64;
    DIRECTORY_ANSWER_STANDS + TimeDelta::minutes((crate::hash::of_str(tenant) % spread_minutes) as i64)
}

/// Whether a read of `tenant` asks Graph again, with `kept` the last word on it, at `now`: until
/// Graph has answered there within [`directory_answer_stands`] (a refusal is asked again with
/// each read, so that a fix shows at the next one).
pub fn directory_probe_due(tenant: &str, kept: Option<&DirectoryAccess>, now: DateTime<Utc>) -> bool {
    let Some(kept) = kept.filter(|k| k.state == DirectoryState::Answered) else { return true };
    DateTime::parse_from_rfc3339(&kept.at).map_or(true, |at| now - at.with_timezone(&Utc) >= directory_answer_stands(tenant))
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
    if let Some(refused) = &status.change_refused {
        return Readiness::ReadOnly { reservations: listed, code: refused.code.clone() };
    }
    let unread = status.unread.len();
    let unpriced = unpriced.min(listed);
    if unread == 0 && unpriced == 0 {
        return Readiness::Ready { reservations: listed };
    }
    Readiness::NotQuotable { readable: listed - unpriced, unread, unpriced }
}

/// The relationships the last answer of Graph listed for the customer; `None` when Graph never
/// answered (nothing is known of them).
fn relationships(gdap: Option<&GdapStatus>) -> Option<&[contract::gdap::GdapRelationship]> {
    gdap.filter(|g| g.read_at.is_some()).map(|g| g.relationships.as_slice())
}

/// `readiness` refined by the customer's GDAP relationships (`gdap`, as last read): ARM's refusal
/// for want of a role is [`FailureClass::GdapRelationshipEnded`] when the relationship that
/// reached Azure ended and none active does, [`FailureClass::NoGdapRelationshipReachingAzure`]
/// when none ever reached Azure; with an active one reaching Azure it stays
/// [`FailureClass::NoAzureRole`] (the user lacks the role through it).
pub fn with_gdap(readiness: Readiness, gdap: Option<&GdapStatus>) -> Readiness {
    match (readiness, relationships(gdap)) {
        (Readiness::NotRead { class: FailureClass::NoAzureRole, code }, Some(relationships)) => {
            let class = match gdap::standing(relationships) {
                Standing::Reaches(_) => FailureClass::NoAzureRole,
                Standing::Ended => FailureClass::GdapRelationshipEnded,
                Standing::NeverReached => FailureClass::NoGdapRelationshipReachingAzure,
            };
            Readiness::NotRead { class, code }
        }
        (readiness, _) => readiness,
    }
}

/// What to do soon about a tenant that was read (ready, or read but not quotable), as of
/// `today`: its relationship reaching Azure ends within 30 days and none that reaches Azure
/// extends itself ([`ReadinessWarning::GdapEndsSoon`]), or the one that reached Azure has ended
/// and the tenant is read through another path ([`ReadinessWarning::NoActiveGdapRelationship`]).
pub fn warning(readiness: &Readiness, gdap: Option<&GdapStatus>, today: NaiveDate) -> Option<ReadinessWarning> {
    if !matches!(readiness, Readiness::Ready { .. } | Readiness::NotQuotable { .. }) {
        return None;
    }
    let relationships = relationships(gdap)?;
    match gdap::standing(relationships) {
        Standing::Reaches(shown) => {
            let extends = relationships.iter().any(|r| gdap::is_active(r) && gdap::reaches_azure(r) && gdap::auto_extends(r));
            (!extends && gdap::ends_soon(shown, today).is_some()).then_some(ReadinessWarning::GdapEndsSoon)
        }
        Standing::Ended => Some(ReadinessWarning::NoActiveGdapRelationship),
        Standing::NeverReached => None,
    }
}

impl Readiness {
    /// The state as the contract names it.
    pub fn state(&self) -> ReadinessState {
        match self {
            Readiness::Ready { .. } => ReadinessState::Ready,
            Readiness::NotQuotable { .. } | Readiness::ReadOnly { .. } => ReadinessState::ReadNotQuotable,
            Readiness::NotRead { .. } => ReadinessState::NotRead,
            Readiness::NeverTried => ReadinessState::NeverTried,
        }
    }

    /// What fixes it; `None` when the tenant is ready. Consent and the GDAP role are the
    /// partner's to give; throttling and Azure out of reach pass, so the tenant is read again
    /// later; anything else is what Azure's message says; reservations that cannot be quoted
    /// each say why on the customer's page.
    pub fn remedy(&self) -> Option<Remedy> {
        match self {
            Readiness::Ready { .. } => None,
            Readiness::NotQuotable { .. } => Some(Remedy::ReviewReservations),
            Readiness::ReadOnly { .. } => Some(Remedy::ActAsAdminAgent),
            Readiness::NotRead { class, .. } => Some(match class {
                FailureClass::ConsentMissing => Remedy::ConsentApp,
                FailureClass::NoAzureRole => Remedy::GrantAdminAgentRole,
                FailureClass::Throttled | FailureClass::AzureUnreachable => Remedy::ReadAgainLater,
                FailureClass::Other => Remedy::SeeAzureMessage,
                FailureClass::ReadOnlyAccess => Remedy::ActAsAdminAgent,
                FailureClass::GdapRelationshipEnded | FailureClass::NoGdapRelationshipReachingAzure => Remedy::RenewGdapRelationship,
            }),
            Readiness::NeverTried => Some(Remedy::ReadNow),
        }
    }
}

/// Microsoft's documentation of `remedy`, where it has one (learn.microsoft.com picks the
/// reader's language from the browser).
pub fn remedy_link(remedy: Remedy, class: Option<FailureClass>) -> Option<&'static str> {
    match (remedy, class) {
        (Remedy::ConsentApp, _) => Some("https://learn.microsoft.com/entra/identity/enterprise-apps/grant-admin-consent"),
        (Remedy::GrantAdminAgentRole | Remedy::RenewGdapRelationship, _) => Some("https://learn.microsoft.com/partner-center/gdap-introduction"),
        (Remedy::ActAsAdminAgent, _) => Some("https://learn.microsoft.com/azure/cost-management-billing/reservations/view-reservations"),
        (Remedy::ReadAgainLater, Some(FailureClass::Throttled)) => {
            Some("https://learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling")
        }
        _ => None,
    }
}

/// One row of the readiness table: `customer` (its `reservation_count` as the store holds
/// them), its last read's `status` (none: never read), how many of its reservations have no
/// price (`unpriced`), and its GDAP relationships as last read (`gdap`), as of `today`.
pub fn row(customer: &Customer, status: Option<&SourceStatus>, unpriced: usize, gdap: Option<&GdapStatus>, today: NaiveDate) -> CustomerReadiness {
    let readiness = with_gdap(readiness(status, customer.reservation_count as usize, unpriced), gdap);
    let warning = warning(&readiness, gdap, today);
    let (failure, unread, unpriced) = match &readiness {
        Readiness::NotRead { class, .. } => (Some(*class), status.map_or(0, |s| s.unread.len()), unpriced),
        Readiness::NotQuotable { unread, unpriced, .. } => (None, *unread, *unpriced),
        Readiness::ReadOnly { .. } => (Some(FailureClass::ReadOnlyAccess), status.map_or(0, |s| s.unread.len()), unpriced),
        Readiness::Ready { .. } | Readiness::NeverTried => (None, 0, 0),
    };
    let remedy = readiness.remedy();
    // The failed read's error; for a tenant that reads but may not be changed, Azure's refusal.
    let error = status.and_then(|s| s.error.as_ref().or(s.change_refused.as_ref()));
    let first_unread = status.and_then(|s| s.unread.first()).filter(|_| readiness.state() == ReadinessState::ReadNotQuotable);
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    CustomerReadiness {
        customer_id: customer.id.clone(),
        name: customer.name.clone(),
        domain: customer.domain.clone(),
        tenant_id: status.map(|s| s.tenant_id.clone()),
        state: readiness.state(),
        failure,
        remedy,
        remedy_link: remedy.and_then(|r| remedy_link(r, failure)).map(str::to_owned),
        code: error.map(|e| e.code.clone()).or_else(|| first_unread.map(|u| u.code.clone())),
        message: error.map(|e| e.message.clone()).or_else(|| first_unread.map(|u| u.message.clone())),
        status: error.and_then(|e| e.status),
        reservations: customer.reservation_count,
        unread: count(unread),
        unpriced: count(unpriced.min(customer.reservation_count as usize)),
        read_at: status.and_then(|s| s.read_at.clone()),
        failed_at: error.map(|e| e.at.clone()),
        gdap: gdap.and_then(|g| gdap::shown(&g.relationships)).map(gdap::summary),
        gdap_error: gdap.and_then(|g| g.error.clone()),
        warning,
        needs_consent: needs_consent(failure, status),
        directory: status.and_then(|s| s.directory.clone()),
    }
}

/// Whether a consent run for every tenant that needs one asks this one: a tenant read once whose
/// last read failed for want of consent, or where Graph is not consented (its consent is then
/// renewed with Graph's grant).
fn needs_consent(failure: Option<FailureClass>, status: Option<&SourceStatus>) -> bool {
    let Some(status) = status else { return false };
    failure == Some(FailureClass::ConsentMissing) || status.directory.as_ref().is_some_and(|d| d.state == DirectoryState::NotConsented)
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
            change_refused: None,
            directory: None,
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
    }

    /// What Graph last listed for the customer: `relationships`, read (or never: `None`).
    fn gdap(relationships: Vec<contract::gdap::GdapRelationship>) -> GdapStatus {
        GdapStatus { customer_id: "c".into(), relationships, read_at: Some("2026-11-26T08:00:00Z".into()), error: None }
    }

    /// A relationship ending `days` from [`today`], with `auto_extend` and `roles`.
    fn ending(id: &str, status: &str, days: i64, auto_extend: &str, roles: &[&str]) -> contract::gdap::GdapRelationship {
        let end = (today() + chrono::Duration::days(days)).and_hms_opt(11, 24, 42).unwrap().and_utc().to_rfc3339();
        crate::gdap::tests::relationship(id, status, Some(&end), auto_extend, roles)
    }

    use crate::gdap::tests::{GLOBAL_ADMIN, HELPDESK_ADMIN};

    #[test]
    fn arms_refusal_is_classed_by_the_gdap_relationship_that_explains_it() {
        let refused = || readiness(Some(&read(Some(("AuthorizationFailed", Some(403), "no authorization")), 0)), 0, 0);
        let class = |g: Option<&GdapStatus>| match with_gdap(refused(), g) {
            Readiness::NotRead { class, code } => {
                assert_eq!(code, "AuthorizationFailed", "Azure's code stays");
                class
            }
            other => panic!("{other:?}"),
        };
        let expired = ending("old", "expired", -3, "PT0S", &[GLOBAL_ADMIN]);
        let terminated = ending("cut", "terminated", -40, "PT0S", &[GLOBAL_ADMIN]);
        let helpdesk = ending("help", "active", 200, "P180D", &[HELPDESK_ADMIN]);
        let active = ending("new", "active", 300, "PT0S", &[GLOBAL_ADMIN]);
        assert_eq!(class(Some(&gdap(vec![expired.clone()]))), FailureClass::GdapRelationshipEnded);
        assert_eq!(class(Some(&gdap(vec![terminated, helpdesk.clone()]))), FailureClass::GdapRelationshipEnded, "an active one without Azure rights does not help");
        assert_eq!(class(Some(&gdap(vec![helpdesk.clone()]))), FailureClass::NoGdapRelationshipReachingAzure);
        assert_eq!(class(Some(&gdap(vec![]))), FailureClass::NoGdapRelationshipReachingAzure, "no relationship at all");
        assert_eq!(class(Some(&gdap(vec![expired.clone(), active]))), FailureClass::NoAzureRole, "renewed: the user lacks the role through it");
        assert_eq!(class(None), FailureClass::NoAzureRole, "Graph never read: nothing known");
        let unread = GdapStatus { read_at: None, error: Some(read(Some(("Forbidden", Some(403), "no permission")), 0).error.unwrap()), ..gdap(vec![]) };
        assert_eq!(class(Some(&unread)), FailureClass::NoAzureRole, "Graph refused: nothing known");
        let consent = readiness(Some(&read(Some(("invalid_grant", Some(400), "AADSTS65001")), 0)), 0, 0);
        assert_eq!(with_gdap(consent.clone(), Some(&gdap(vec![expired]))), consent, "only a refusal for want of a role");

        for class in [FailureClass::GdapRelationshipEnded, FailureClass::NoGdapRelationshipReachingAzure] {
            let readiness = Readiness::NotRead { class, code: "AuthorizationFailed".into() };
            assert_eq!(readiness.remedy(), Some(Remedy::RenewGdapRelationship));
            assert_eq!(remedy_link(Remedy::RenewGdapRelationship, Some(class)), Some("https://learn.microsoft.com/partner-center/gdap-introduction"));
        }
    }

    #[test]
    fn a_ready_tenant_is_warned_when_its_relationship_ends_within_thirty_days_without_extending() {
        let ready = readiness(Some(&read(None, 0)), 2, 0);
        let warn = |relationships: Vec<contract::gdap::GdapRelationship>| warning(&ready, Some(&gdap(relationships)), today());
        assert_eq!(warn(vec![ending("r", "active", 7, "PT0S", &[GLOBAL_ADMIN])]), Some(ReadinessWarning::GdapEndsSoon));
        assert_eq!(warn(vec![ending("r", "active", 30, "PT0S", &[GLOBAL_ADMIN])]), Some(ReadinessWarning::GdapEndsSoon));
        assert_eq!(warn(vec![ending("r", "active", 31, "PT0S", &[GLOBAL_ADMIN])]), None);
        assert_eq!(warn(vec![ending("r", "active", 7, "P180D", &[GLOBAL_ADMIN])]), None, "it extends itself");
        assert_eq!(
            warn(vec![ending("r", "active", 20, "PT0S", &[GLOBAL_ADMIN]), ending("s", "active", 10, "P180D", &[GLOBAL_ADMIN])]),
            None,
            "another relationship reaching Azure extends itself"
        );
        assert_eq!(warn(vec![ending("r", "active", 7, "PT0S", &[GLOBAL_ADMIN]), ending("n", "active", 400, "PT0S", &[GLOBAL_ADMIN])]), None, "renewed already");
        assert_eq!(warn(vec![ending("r", "active", 7, "PT0S", &[HELPDESK_ADMIN])]), None, "no Azure rights to lose");
        assert_eq!(warn(vec![ending("r", "expired", -1, "PT0S", &[GLOBAL_ADMIN])]), Some(ReadinessWarning::NoActiveGdapRelationship));
        assert_eq!(warn(vec![]), None);
        assert_eq!(warning(&ready, None, today()), None, "Graph never read");
        let failed = readiness(Some(&read(Some(("Timeout", None, "late")), 0)), 0, 0);
        assert_eq!(warning(&failed, Some(&gdap(vec![ending("r", "active", 7, "PT0S", &[GLOBAL_ADMIN])])), today()), None, "only a tenant that was read");

        // The row carries the relationship shown, the warning and Graph's error.
        let customer = Customer { id: "c".into(), name: "Contoso".into(), domain: "contoso.com".into(), reservation_count: 2 };
        let mut status = gdap(vec![ending("r", "active", 7, "PT0S", &[GLOBAL_ADMIN]), ending("old", "expired", -700, "PT0S", &[GLOBAL_ADMIN])]);
        status.error = read(Some(("Forbidden", Some(403), "Insufficient privileges")), 0).error;
        let row = row(&customer, Some(&read(None, 0)), 0, Some(&status), today());
        assert_eq!((row.state, row.warning), (ReadinessState::Ready, Some(ReadinessWarning::GdapEndsSoon)));
        let shown = row.gdap.unwrap();
        assert_eq!((shown.id.as_str(), shown.status.as_str(), shown.end_date, shown.auto_extends, shown.reaches_azure), ("r", "active", Some(today() + chrono::Days::new(7)), false, true));
        assert_eq!(row.gdap_error.map(|e| e.code), Some("Forbidden".into()));
    }

    #[test]
    fn a_tenant_that_reads_but_where_azure_refuses_a_refund_quote_is_read_only_access() {
        let refused = SourceError {
            code: "AuthorizationFailed".into(),
            message: "The client 'guest#EXT#' does not have authorization to perform action 'Microsoft.Capacity/reservationOrders/calculateRefund/action'.".into(),
            status: Some(403),
            at: "2026-11-26T09:00:00Z".into(),
            request: AzureRequestIds::default(),
        };
        let status = SourceStatus { change_refused: Some(refused), ..read(None, 0) };
        let r = readiness(Some(&status), 3, 0);
        assert_eq!(r, Readiness::ReadOnly { reservations: 3, code: "AuthorizationFailed".into() });
        assert_eq!((r.state(), r.remedy()), (ReadinessState::ReadNotQuotable, Some(Remedy::ActAsAdminAgent)));
        let customer = Customer { id: "c".into(), name: "C".into(), domain: "c.example".into(), reservation_count: 3 };
        let row = row(&customer, Some(&status), 0, None, chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap());
        assert_eq!((row.failure, row.code.as_deref(), row.status), (Some(FailureClass::ReadOnlyAccess), Some("AuthorizationFailed"), Some(403)));
        assert!(row.message.unwrap().contains("calculateRefund"));
        assert_eq!(row.remedy_link.as_deref(), Some("https://learn.microsoft.com/azure/cost-management-billing/reservations/view-reservations"));
        assert_eq!(row.failed_at.as_deref(), Some("2026-11-26T09:00:00Z"));
        // A failed read says more than a refusal to change.
        let failed = SourceStatus { error: read(Some(("AuthorizationFailed", Some(403), "no role")), 0).error, ..status };
        assert!(matches!(readiness(Some(&failed), 3, 0), Readiness::NotRead { class: FailureClass::NoAzureRole, .. }));
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

    #[test]
    fn each_state_and_class_names_its_remedy_and_its_link() {
        let failed = |code: &str, status: Option<u16>, message: &str| readiness(Some(&read(Some((code, status, message)), 0)), 0, 0);
        let cases = [
            (failed("invalid_grant", Some(400), "AADSTS65001: not consented"), Some(Remedy::ConsentApp), Some("grant-admin-consent")),
            (failed("AuthorizationFailed", Some(403), "no authorization"), Some(Remedy::GrantAdminAgentRole), Some("gdap-introduction")),
            (failed("Throttled", Some(429), "Too many requests"), Some(Remedy::ReadAgainLater), Some("request-limits-and-throttling")),
            (failed("Timeout", None, "no answer in time"), Some(Remedy::ReadAgainLater), None),
            (failed("InvalidTenant", Some(400), "not a tenant"), Some(Remedy::SeeAzureMessage), None),
            (readiness(Some(&read(None, 1)), 2, 0), Some(Remedy::ReviewReservations), None),
            (readiness(None, 0, 0), Some(Remedy::ReadNow), None),
            (readiness(Some(&read(None, 0)), 0, 0), None, None),
        ];
        for (readiness, remedy, link) in cases {
            assert_eq!(readiness.remedy(), remedy, "{readiness:?}");
            let class = match &readiness {
                Readiness::NotRead { class, .. } => Some(*class),
                _ => None,
            };
            let found = remedy.and_then(|r| remedy_link(r, class));
            assert_eq!(found.map(|l| l.rsplit('/').next().unwrap_or_default()), link, "{readiness:?}");
            assert!(found.is_none_or(|l| l.starts_with("https://learn.microsoft.com/")), "{found:?}");
        }
    }

    #[test]
    fn a_row_carries_the_state_class_remedy_azures_words_and_counts() {
        let customer = |count: u32| Customer { id: "c".into(), name: "Contoso".into(), domain: "contoso.com".into(), reservation_count: count };
        let failed = read(Some(("AuthorizationFailed", Some(403), "The client does not have authorization")), 1);
        let row = row(&customer(3), Some(&failed), 1, None, today());
        assert_eq!((row.state, row.failure, row.remedy), (ReadinessState::NotRead, Some(FailureClass::NoAzureRole), Some(Remedy::GrantAdminAgentRole)));
        assert_eq!((row.code.as_deref(), row.status, row.message.as_deref()), (Some("AuthorizationFailed"), Some(403), Some("The client does not have authorization")));
        assert_eq!((row.reservations, row.unread, row.unpriced), (3, 1, 1), "what the last whole read left stays counted");
        assert_eq!((row.read_at.as_deref(), row.failed_at.as_deref(), row.tenant_id.as_deref()), (Some("2026-11-26T08:00:00Z"), Some("2026-11-26T08:00:00Z"), Some("t")));

        let partly = super::row(&customer(2), Some(&read(None, 1)), 0, None, today());
        assert_eq!((partly.state, partly.failure, partly.remedy), (ReadinessState::ReadNotQuotable, None, Some(Remedy::ReviewReservations)));
        assert_eq!((partly.code.as_deref(), partly.message.as_deref(), partly.unread), (Some("QuantityUnknown"), Some("no quantity"), 1), "the first unread reservation says why");

        let ready = super::row(&customer(0), Some(&read(None, 0)), 0, None, today());
        assert_eq!((ready.state, ready.remedy, ready.code, ready.reservations), (ReadinessState::Ready, None, None, 0));
        let never = super::row(&customer(0), None, 0, None, today());
        assert_eq!((never.state, never.remedy, never.tenant_id, never.read_at), (ReadinessState::NeverTried, Some(Remedy::ReadNow), None, None));
    }

    fn directory(state: DirectoryState, at: &str) -> DirectoryAccess {
        DirectoryAccess { state, at: at.into(), error: None }
    }

    #[test]
    fn graphs_refusals_say_not_consented_not_allowed_or_nothing() {
        let aadsts = "AADSTS65001: The user or administrator has not consented to use the application with ID 'desk'.";
        assert_eq!(directory_state("invalid_grant", Some(400), aadsts), Some(DirectoryState::NotConsented), "Entra ID's refusal of Graph's token");
        assert_eq!(directory_state("consent_required", Some(400), "consent"), Some(DirectoryState::NotConsented));
        assert_eq!(directory_state("Authorization_RequestDenied", Some(403), "Insufficient privileges to complete the operation."), Some(DirectoryState::NotAllowed));
        assert_eq!(directory_state("interaction_required", Some(400), "suberror: consent_required"), Some(DirectoryState::NotConsented));
        assert_eq!(directory_state("invalid_client", Some(401), "AADSTS7000222: The provided client secret keys are expired."), None, "the desk's own secret: every tenant would say so");
        assert_eq!(directory_state("invalid_grant", Some(400), "AADSTS50173: The provided grant has expired."), None, "the user's grant, not the tenant's consent");
        for (code, status) in [("TooManyRequests", Some(429)), ("Unreachable", None), ("Request_UnsupportedQuery", Some(400)), ("serviceNotAvailable", Some(503))] {
            assert_eq!(directory_state(code, status, "m"), None, "{code} says nothing of the consent");
        }
    }

    #[test]
    fn one_users_refusal_does_not_replace_graphs_answer_to_another() {
        let answered = directory(DirectoryState::Answered, "2026-11-26T08:00:00Z");
        let not_allowed = directory(DirectoryState::NotAllowed, "2026-11-26T09:00:00Z");
        assert!(!directory_word_replaces(Some(&answered), &not_allowed));
        assert!(directory_word_replaces(None, &not_allowed));
        assert!(directory_word_replaces(Some(&directory(DirectoryState::Granted, "2026-11-26T08:00:00Z")), &not_allowed));
        assert!(directory_word_replaces(Some(&answered), &directory(DirectoryState::NotConsented, "2026-11-26T09:00:00Z")), "Entra refusing the token is the tenant's");
        assert!(directory_word_replaces(Some(&not_allowed), &answered));
    }

    #[test]
    fn graph_is_asked_again_until_it_answered_within_a_week_and_the_tenants_share_of_a_day() {
        let now = DateTime::parse_from_rfc3339("2026-11-29T08:00:00Z").unwrap().with_timezone(&Utc);
        let due = |kept: Option<&DirectoryAccess>| directory_probe_due("tenant-a", kept, now);
        assert!(due(None), "never asked");
        assert!(due(Some(&directory(DirectoryState::Granted, "2026-11-29T07:59:00Z"))), "granted, not asked since");
        assert!(due(Some(&directory(DirectoryState::NotConsented, "2026-11-29T07:59:00Z"))), "a refusal is asked again");
        assert!(due(Some(&directory(DirectoryState::NotAllowed, "2026-11-29T07:59:00Z"))));
        assert!(due(Some(&directory(DirectoryState::Answered, "not a time"))));
        // An answer stands a week and the tenant's share of a day: due from exactly then.
        let stands = directory_answer_stands("tenant-a");
        assert!(stands >= DIRECTORY_ANSWER_STANDS && stands < DIRECTORY_ANSWER_STANDS + DIRECTORY_ANSWER_SPREAD, "{stands}");
        let answered_ago = |ago: TimeDelta| directory(DirectoryState::Answered, &(now - ago).to_rfc3339());
        assert!(!due(Some(&answered_ago(stands - TimeDelta::seconds(1)))), "answered within its time");
        assert!(due(Some(&answered_ago(stands))), "its time is up");
        assert!(due(Some(&answered_ago(DIRECTORY_ANSWER_STANDS + DIRECTORY_ANSWER_SPREAD))), "never more than eight days");
        assert!(!due(Some(&answered_ago(DIRECTORY_ANSWER_STANDS - TimeDelta::seconds(1)))), "never less than a week");
        // A book's tenants all answered in one read come due over the day, not in one read.
        let shares: std::collections::BTreeSet<i64> = (0..500).map(|i| (directory_answer_stands(&format!("tenant-{i:04}")) - DIRECTORY_ANSWER_STANDS).num_hours()).collect();
        assert_eq!(shares.len(), 24, "500 tenants come due in every hour of the day: {shares:?}");
    }

    #[test]
    fn a_tenant_needs_consent_when_its_read_wants_it_or_graph_is_not_consented() {
        let customer = Customer { id: "c".into(), name: "Contoso".into(), domain: "contoso.com".into(), reservation_count: 1 };
        let with = |state| SourceStatus { directory: Some(directory(state, "2026-11-26T08:00:00Z")), ..read(None, 0) };
        let old_consent = row(&customer, Some(&with(DirectoryState::NotConsented)), 0, None, today());
        assert_eq!((old_consent.state, old_consent.needs_consent), (ReadinessState::Ready, true), "reads, but its consent predates Graph's grant");
        assert_eq!(old_consent.directory.map(|d| d.state), Some(DirectoryState::NotConsented));
        for state in [DirectoryState::Answered, DirectoryState::Granted, DirectoryState::NotAllowed] {
            assert!(!row(&customer, Some(&with(state)), 0, None, today()).needs_consent, "{state:?}");
        }
        let unconsented = read(Some(("invalid_grant", Some(400), "AADSTS65001: not consented")), 0);
        assert!(row(&customer, Some(&unconsented), 0, None, today()).needs_consent);
        assert!(!row(&customer, Some(&read(Some(("AuthorizationFailed", Some(403), "no role")), 0)), 0, None, today()).needs_consent);
        let never = row(&customer, None, 0, None, today());
        assert!(!never.needs_consent && never.directory.is_none(), "never read: no tenant to consent in yet");
    }
}
